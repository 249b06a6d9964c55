/*
 * Streamed CSV for the API's reports (see export.h): the funding report, the applications and
 * enrolments exports, progress, cohorts, framework coverage and support plans all start, send and
 * end their downloads here.
 */
#include "api/export.h"

#include "api/api.h"
#include "http/reply.h"
#include "lib/errors.h"
#include "lib/form.h"
#include "lib/str.h"

#include <stdio.h>
#include <string.h>

bool api_export_format_read(struct request *request, bool *csv)
{
    const char *format = form_get(request_query(request), "format");
    if (format == NULL || *format == '\0') {
        struct str accept = request_header(request, H2O_TOKEN_ACCEPT);
        *csv = accept.len > 0 && memmem(accept.ptr, accept.len, "text/csv", 8) != NULL;
        return true;
    }
    *csv = strcmp(format, "csv") == 0;
    if (*csv || strcmp(format, "json") == 0)
        return true;
    struct errors errors = ERRORS_INIT;
    errors_add(&errors, "format", "format must be csv or json");
    api_query_refused(request, &errors);
    return false;
}

void api_export_begin(struct request *request, const char *filename, const char *header)
{
    char disposition[128];
    snprintf(disposition, sizeof(disposition), "attachment; filename=\"%s\"", filename);
    reply_header(request, "content-disposition", request_strndup(request, str_of(disposition)));
    reply_stream_begin(request, 200, "text/csv; charset=utf-8");
    reply_stream_write(request, header, strlen(header));
}

bool api_export_send(struct request *request, struct buf *b)
{
    if (buf_failed(b)) {
        fprintf(stderr, "npq: a row of an export outgrew its buffer; the download was cut short\n");
        reply_stream_fail(request);
        return false;
    }
    bool sent = reply_stream_write(request, b->data ? b->data : "", b->len);
    buf_reset(b);
    return sent;
}

void api_export_end(struct request *request, struct buf *b)
{
    if (api_export_send(request, b))
        reply_stream_end(request);
}
