/*
 * Reading a whole CSV file into rows of strings, over libcsv.
 *
 * Imports come from spreadsheets, so the reader speaks of rows as a spreadsheet numbers them
 * (a quoted value spanning lines is one row; a blank line is a row with nothing in it) and of
 * lines as a text editor numbers them, for problems a person fixes in the raw file. It is strict:
 * a stray quote mark or an unclosed quoted value is an error rather than a guess, because a guess
 * would shift values into the wrong columns. It knows nothing about what the columns mean.
 */
#ifndef NPQ_LIB_CSV_READER_H
#define NPQ_LIB_CSV_READER_H

#include "lib/arena.h"

#include <stddef.h>

struct csv_row {
    size_t number; /* as a spreadsheet numbers it: 1 for the first row, counting blank rows */
    size_t width;  /* how many fields */
    char **fields; /* NUL-terminated, trimmed of surrounding spaces and tabs */
};

struct csv_table {
    struct arena arena; /* owns the table itself, every row and every field */
    struct csv_row *rows;
    size_t row_count;
};

enum csv_failure_kind {
    CSV_FAILURE_MALFORMED,     /* not UTF-8 text, a stray quote mark, an unclosed quoted value */
    CSV_FAILURE_TOO_MANY_ROWS, /* more than max_rows rows that are not blank */
};

struct csv_failure {
    enum csv_failure_kind kind;
    size_t line;       /* the line of the file (from 1, as a text editor counts) at fault */
    char message[200]; /* a sentence naming the line, for the person who made the file */
};

/*
 * Parses len bytes of CSV: comma-separated, fields optionally in double quotes (a quote inside
 * doubled), rows ending in LF or CRLF, an optional UTF-8 byte order mark first. The text must be
 * UTF-8 without NUL bytes. Rows whose fields are all empty (blank lines, lines of bare commas
 * that spreadsheets write) are left out, but they still count in the numbering of later rows.
 *
 * Returns the table, which the caller frees with csv_table_free, or NULL with failure filled in
 * when the text is malformed or has more than max_rows rows that are not blank (reading stops
 * there, so a huge file costs no more than max_rows rows). text need not be NUL-terminated.
 */
struct csv_table *csv_read(const char *text, size_t len, size_t max_rows, struct csv_failure *failure);

/* Frees the table and every string in it; NULL is allowed. */
void csv_table_free(struct csv_table *table);

#endif
