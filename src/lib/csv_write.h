/*
 * Writing CSV (RFC 4180) for exports that open in spreadsheets: fields quoted when they must be,
 * and cells that a spreadsheet would run as a formula (=, +, -, @, tab or CR at the start) made
 * plain text.
 *
 * The writers return nothing: a field that does not fit marks the buffer failed (buf_failed),
 * which the caller checks once before the file is sent, so an export is never cut short.
 */
#ifndef NPQ_LIB_CSV_WRITE_H
#define NPQ_LIB_CSV_WRITE_H

#include "lib/buf.h"

#include <stdint.h>

/* Appends one field; first says whether it starts the row (no comma before it). */
void csv_write_field(struct buf *b, const char *value, int first);

/* Appends an integer field. */
void csv_write_int(struct buf *b, int64_t value, int first);

/* Ends the row (CRLF, as RFC 4180 and spreadsheets expect). */
void csv_write_end(struct buf *b);

#endif
