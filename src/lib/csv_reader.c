/*
 * The CSV reader: libcsv does the quoting; this file adds what libcsv leaves to its caller.
 *
 * libcsv reports neither where a row ends in the text nor blank rows in a usable form, so the
 * text is fed to it one line at a time: a row can only end on a line's last byte (or at the end
 * of the file), which tells us the offset of every row's end without parsing anything twice. That
 * gives spreadsheet row numbers and text-editor line numbers for errors.
 */
#include "lib/csv_reader.h"

#include "lib/die.h"

#include <csv.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct reader {
    struct csv_table *table;
    size_t max_rows;
    size_t len;

    char **fields; /* the row being read, copied into the table's arena field by field */
    size_t field_count;
    size_t field_cap;

    struct csv_row *rows; /* rows kept so far; copied into the arena at the end */
    size_t row_cap;

    size_t number;     /* rows ended so far, blank ones included */
    size_t terminator; /* offset of the last byte of the line being parsed */
    size_t cr_row_end; /* offset just past a CR that ended a row, to recognise its LF; else SIZE_MAX */
    size_t row_start;  /* offset where the row being read began */
    bool too_many;
    size_t too_many_at; /* offset where the first row over the limit began */
};

static void *grow(void *items, size_t *cap, size_t size)
{
    *cap = *cap ? *cap * 2 : 16;
    void *bigger = realloc(items, *cap * size);
    if (bigger == NULL)
        die("out of memory");
    return bigger;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static void on_field(void *data, size_t len, void *arg)
{
    struct reader *r = arg;
    const char *s = data ? data : "";
    /* libcsv trims unquoted values; quoted ones are trimmed too, as a spreadsheet user cannot see
     * the spaces they are trimming. */
    while (len > 0 && is_blank(s[0])) {
        s++;
        len--;
    }
    while (len > 0 && is_blank(s[len - 1]))
        len--;
    if (r->field_count == r->field_cap)
        r->fields = grow(r->fields, &r->field_cap, sizeof(*r->fields));
    r->fields[r->field_count++] = arena_strndup(&r->table->arena, s, len);
}

static void on_row(int c, void *arg)
{
    struct reader *r = arg;
    size_t at = c == -1 ? r->len : r->terminator;
    size_t count = r->field_count;
    r->field_count = 0;
    if (r->too_many)
        return;
    /* With CSV_REPALL_NL libcsv reports the LF of a CRLF as an empty row of its own. */
    if (c == '\n' && count == 0 && r->cr_row_end == at) {
        r->row_start = at + 1;
        return;
    }
    r->number++;
    r->cr_row_end = c == '\r' ? at + 1 : SIZE_MAX;
    size_t row_start = r->row_start;
    r->row_start = at + 1;

    bool blank = true;
    for (size_t i = 0; i < count && blank; i++)
        blank = r->fields[i][0] == '\0';
    if (blank)
        return;
    struct csv_table *t = r->table;
    if (t->row_count == r->max_rows) {
        r->too_many = true;
        r->too_many_at = row_start;
        return;
    }
    if (t->row_count == r->row_cap)
        r->rows = grow(r->rows, &r->row_cap, sizeof(*r->rows));
    struct csv_row *row = &r->rows[t->row_count++];
    row->number = r->number;
    row->width = count;
    row->fields = arena_alloc(&t->arena, count * sizeof(*row->fields));
    memcpy(row->fields, r->fields, count * sizeof(*row->fields));
}

/* The line holding offset, counting LF, CRLF and a lone CR each as one line break. */
static size_t line_at(const char *text, size_t len, size_t offset)
{
    size_t line = 1;
    for (size_t i = 0; i < offset && i < len; i++)
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n')))
            line++;
    return line;
}

/* Offset of the first byte that is not part of well-formed UTF-8 (or is NUL); len when none. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c == 0)
            return i;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        uint32_t cp;
        uint32_t min;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 2, cp = c & 0x1f, min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 3, cp = c & 0x0f, min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 4, cp = c & 0x07, min = 0x10000;
        } else {
            return i;
        }
        if (len - i < n)
            return i;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        /* Overlong forms, UTF-16 surrogates and code points past Unicode's end are not UTF-8. */
        if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
            return i;
        i += n;
    }
    return len;
}

/*
 * Where the quoted value left open at the end of the text begins. Strict parsing has already
 * accepted everything before, so a quote mark outside a quoted value can only open one.
 */
static size_t open_quote_at(const char *text, size_t len, size_t from)
{
    size_t open = from;
    bool quoted = false;
    for (size_t i = from; i < len; i++) {
        if (text[i] != '"')
            continue;
        if (!quoted) {
            quoted = true;
            open = i;
        } else if (i + 1 < len && text[i + 1] == '"') {
            i++;
        } else {
            quoted = false;
        }
    }
    return open;
}

static void fail(struct csv_failure *failure, enum csv_failure_kind kind, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail(struct csv_failure *failure, enum csv_failure_kind kind, size_t line, const char *fmt, ...)
{
    failure->kind = kind;
    failure->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(failure->message, sizeof(failure->message), fmt, ap);
    va_end(ap);
}

static void fail_parse(struct csv_failure *failure, struct csv_parser *parser, const char *text, size_t len,
                       size_t offset)
{
    if (csv_error(parser) != CSV_EPARSE)
        die("csv: %s", csv_strerror(csv_error(parser)));
    fail(failure, CSV_FAILURE_MALFORMED, line_at(text, len, offset),
         "Line %zu has a quote mark in the wrong place: put a value with quote marks wholly in quotes "
         "and double each quote mark inside it, like \"say \"\"hello\"\"\"",
         line_at(text, len, offset));
}

struct csv_table *csv_read(const char *text, size_t len, size_t max_rows, struct csv_failure *failure)
{
    struct arena arena = ARENA_INIT;
    struct csv_table *table = arena_alloc(&arena, sizeof(*table));
    table->arena = arena;
    struct reader r = {.table = table, .max_rows = max_rows, .len = len, .cr_row_end = SIZE_MAX};
    struct csv_parser parser;
    bool ok = false;

    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_REPALL_NL) != 0)
        die("csv: cannot initialise the parser");

    size_t bad = utf8_invalid_at((const unsigned char *)text, len);
    if (bad < len) {
        fail(failure, CSV_FAILURE_MALFORMED, line_at(text, len, bad),
             "Line %zu is not UTF-8 text: save the file as \"CSV UTF-8 (comma delimited)\" and upload that",
             line_at(text, len, bad));
        goto out;
    }

    size_t pos = len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    r.row_start = pos;
    while (pos < len && !r.too_many) {
        size_t end = pos;
        while (end < len && text[end] != '\n' && text[end] != '\r')
            end++;
        if (end < len)
            end++;
        r.terminator = end - 1;
        size_t parsed = csv_parse(&parser, text + pos, end - pos, on_field, on_row, &r);
        if (parsed != end - pos) {
            fail_parse(failure, &parser, text, len, pos + parsed);
            goto out;
        }
        pos = end;
    }
    if (!r.too_many && csv_fini(&parser, on_field, on_row, &r) != 0) {
        if (csv_error(&parser) != CSV_EPARSE)
            die("csv: %s", csv_strerror(csv_error(&parser)));
        size_t line = line_at(text, len, open_quote_at(text, len, r.row_start));
        fail(failure, CSV_FAILURE_MALFORMED, line,
             "Line %zu has a value that opens with a quote mark but never closes it: add the closing quote mark", line);
        goto out;
    }
    if (r.too_many) {
        size_t line = line_at(text, len, r.too_many_at);
        fail(failure, CSV_FAILURE_TOO_MANY_ROWS, line, "The file has more than %zu rows (line %zu is past the limit)",
             max_rows, line);
        goto out;
    }

    table->rows = arena_alloc(&table->arena, table->row_count * sizeof(*table->rows));
    if (table->row_count > 0)
        memcpy(table->rows, r.rows, table->row_count * sizeof(*table->rows));
    ok = true;

out:
    csv_free(&parser);
    free(r.fields);
    free(r.rows);
    if (!ok) {
        csv_table_free(table);
        return NULL;
    }
    return table;
}

void csv_table_free(struct csv_table *table)
{
    if (table == NULL)
        return;
    /* The table lives in its own arena, so copy the arena out before releasing it. */
    struct arena arena = table->arena;
    arena_release(&arena);
}
