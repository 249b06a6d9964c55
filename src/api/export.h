/*
 * The one way a report leaves the API as a spreadsheet: the caller chooses CSV with ?format=csv
 * or Accept: text/csv (JSON otherwise), and the CSV is streamed, a header row then rows sent a
 * batch at a time (STORE_PAGE_MAX records read, written and released before the next are read),
 * so a download of any size holds one batch in memory. Cells go through lib/csv_write.h, which
 * makes those a spreadsheet would run as a formula plain text.
 */
#ifndef NPQ_API_EXPORT_H
#define NPQ_API_EXPORT_H

#include "http/request.h"
#include "lib/buf.h"

#include <stdbool.h>

/* Whether the caller asked for CSV: ?format=csv, or no format and an Accept header naming
 * text/csv. format=json (or none) is the JSON document. False after answering 400 naming format
 * for any other value. */
bool api_export_format_read(struct request *request, bool *csv);

/* Starts a CSV download named filename (an attachment) with header, the header row ending in
 * CRLF. */
void api_export_begin(struct request *request, const char *filename, const char *header);

/* Sends the rows gathered in b and empties it; false once the client has gone or a row outgrew b
 * (the download is then cut short, never sent with a row missing). */
bool api_export_send(struct request *request, struct buf *b);

/* Sends what b holds and ends the download (or cuts it short as api_export_send does). */
void api_export_end(struct request *request, struct buf *b);

#endif
