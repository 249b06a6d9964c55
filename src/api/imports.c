/*
 * Bulk imports: POST /api/v1/imports/schools and /api/v1/imports/users with a CSV body.
 * ?dry_run=true checks every row and reports what would happen without keeping anything; without
 * it the whole file is imported or, if any row has a problem, none of it.
 */
#include "api/api.h"

#include "app/imports.h"
#include "http/reply.h"
#include "http/site.h"

#include <string.h>

static void run(struct request *request, enum import_kind kind)
{
    struct str type = request_header(request, H2O_TOKEN_CONTENT_TYPE);
    if (!str_starts_with(type, STR_LIT("text/csv"))) {
        reply_error(request, 415, "unsupported_media_type", "Send the file as text/csv.");
        return;
    }
    bool dry_run = false;
    struct errors malformed = ERRORS_INIT;
    form_read_flag(request_query(request), "dry_run", &dry_run, &malformed);
    if (api_query_refused(request, &malformed))
        return; /* a preview misread as the real thing would keep what was only to be checked */
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct import_report report;
    imports_run(&env, kind, request_body(request).ptr, request_body(request).len, dry_run, request_arena(request),
                &report);
    /* A file with problems is answered with its report (422, every row's errors); anything else
     * that stopped it is answered like any other failure. */
    if (report.result != APP_OK && report.result != APP_INVALID) {
        api_reply_result(request, report.result, NULL, "import");
        imports_report_free(&report);
        return;
    }
    json_t *errors = json_array();
    for (size_t i = 0; i < report.errors.count; i++)
        json_array_append_new(errors, json_pack("{s:s, s:s}", "where", report.errors.items[i].where, "message",
                                                report.errors.items[i].message));
    bool ok = report.errors.count == 0;
    reply_json(request, ok ? (dry_run ? 200 : 201) : 422,
               json_pack("{s:b, s:b, s:I, s:I, s:I, s:o}", "dry_run", dry_run, "imported", ok && !dry_run, "rows",
                         (json_int_t)report.rows, "created", (json_int_t)report.created, "updated",
                         (json_int_t)report.updated, "errors", errors));
    imports_report_free(&report);
}

void api_imports_schools(struct request *request)
{
    run(request, IMPORT_SCHOOLS);
}

void api_imports_users(struct request *request)
{
    run(request, IMPORT_USERS);
}
