/*
 * The DfE: where npq stands with the lead-provider API (GET /api/v1/dfe), the declarations due
 * and made across participants, approving, voiding and sending again one participant's, running
 * a sync now, and the log of every call made. Administrators only, by the route table.
 */
#include "api/api.h"

#include "app/declarations.h"
#include "app/dfe_sync.h"
#include "http/paging.h"
#include "http/reply.h"
#include "lib/clock.h"
#include "lib/process.h"

#include <string.h>

json_t *api_declaration_json(const struct declaration *d)
{
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:b, s:o, s:o, s:o}", "id",
                     (json_int_t)d->id, "enrolment_id", (json_int_t)d->enrolment_id, "participant_name",
                     d->participant_name, "course_identifier", d->course_identifier, "declaration_type",
                     d->declaration_type, "declaration_date", d->declaration_date, "state",
                     dfe_declaration_state_name(d->state), "evidence", d->evidence, "dfe_id",
                     d->dfe_id[0] ? json_string(d->dfe_id) : json_null(), "dfe_message",
                     d->dfe_message[0] ? json_string(d->dfe_message) : json_null(), "outcome",
                     dfe_declaration_outcome(d->declaration_type, d->state, d->has_passed)
                         ? json_string(dfe_declaration_outcome(d->declaration_type, d->state, d->has_passed))
                         : json_null(),
                     "void_requested", d->void_requested_at != 0, "approved_at", api_time_json(d->approved_at),
                     "submitted_at", api_time_json(d->submitted_at), "statement_id",
                     d->statement_id[0] ? json_string(d->statement_id) : json_null());
}

static json_t *declarations_json(const struct declaration *list, size_t count)
{
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(array, api_declaration_json(&list[i]));
    return array;
}

void api_dfe_status(struct request *request)
{
    struct arena *arena = request_arena(request);
    struct dfe_config config;
    enum store_status s = store_dfe_config_get(request->store, arena, &config);
    if (s != STORE_OK && s != STORE_NOT_FOUND) {
        api_reply_store_status(request, s, "configuration");
        return;
    }
    int64_t last_at = 0;
    const char *last_result = "";
    struct dfe_statement_row *statements = NULL;
    size_t statement_count = 0;
    enum store_status t = store_dfe_last_sync(request->store, arena, &last_at, &last_result);
    if (t == STORE_OK)
        t = store_dfe_statements_list(request->store, arena, &statements, &statement_count);
    if (t != STORE_OK) {
        api_reply_store_status(request, t, "sync");
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < statement_count; i++) {
        const struct dfe_statement_row *r = &statements[i];
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id", r->dfe_id, "month", r->month,
                                              "year", r->year, "cohort", r->cohort, "cut_off_date", r->cut_off_date,
                                              "payment_date", r->payment_date, "paid", r->paid));
    }
    struct dfe_application_row *applications;
    size_t application_count;
    if (store_dfe_applications_list(request->store, arena, &applications, &application_count) != STORE_OK) {
        api_reply_store_status(request, STORE_ERROR, "sync");
        return;
    }
    json_t *pulled = json_array();
    for (size_t i = 0; i < application_count; i++) {
        const struct dfe_application_row *a = &applications[i];
        json_array_append_new(pulled,
                              json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "id", a->dfe_id, "participant_id",
                                        a->participant_id, "course_identifier", a->course_identifier, "email", a->email,
                                        "full_name", a->full_name, "status", a->status, "updated_at", a->dfe_updated_at,
                                        "enrolment_id", a->enrolment_id ? json_integer(a->enrolment_id) : json_null()));
    }
    bool configured = s == STORE_OK;
    reply_json(request, 200,
               json_pack("{s:o, s:b, s:o, s:b, s:o, s:o, s:o, s:o}", "applications", pulled, "configured", configured,
                         "base_url", configured ? json_string(config.base_url) : json_null(), "auto_submit",
                         configured && config.auto_submit, "requests_per_minute",
                         configured ? json_integer(config.requests_per_minute) : json_null(), "last_sync_at",
                         api_time_json(last_at), "last_sync_result",
                         last_result[0] ? json_string(last_result) : json_null(), "statements", list));
}

void api_dfe_declarations(struct request *request)
{
    const struct catalogue *catalogue = api_catalogue(request);
    if (catalogue == NULL)
        return; /* replied 503 */
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct arena *arena = request_arena(request);
    struct declaration_due_row *due;
    size_t due_count;
    enum app_result r = declarations_due_all(&env, catalogue, arena, &due, &due_count);
    struct declaration *made = NULL;
    size_t made_count = 0;
    if (r == APP_OK)
        r = app_result_of_store(
            store_declarations_list(request->store, DECLARATIONS_ALL, 0, arena, &made, &made_count));
    if (r != APP_OK) {
        struct errors errors = ERRORS_INIT;
        api_reply_result(request, r, &errors, "declaration");
        errors_free(&errors);
        return;
    }
    json_t *due_json = json_array();
    for (size_t i = 0; i < due_count; i++)
        json_array_append_new(due_json,
                              json_pack("{s:I, s:s, s:s, s:s}", "enrolment_id", (json_int_t)due[i].enrolment_id,
                                        "declaration_type", due[i].due.declaration_type, "declaration_date",
                                        due[i].due.declaration_date, "evidence", due[i].due.evidence));
    reply_json(request, 200,
               json_pack("{s:o, s:o}", "due", due_json, "declarations", declarations_json(made, made_count)));
}

static void reply_declaration(struct request *request, int status, int64_t id)
{
    struct declaration d;
    enum store_status s = store_declaration_get(request->store, id, request_arena(request), &d);
    if (s != STORE_OK)
        api_reply_store_status(request, s, "declaration");
    else
        reply_json(request, status, api_declaration_json(&d));
}

void api_enrolment_declarations_approve(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    const struct catalogue *catalogue = api_catalogue(request);
    if (catalogue == NULL) {
        json_decref(body);
        return; /* replied 503 */
    }
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct errors errors = ERRORS_INIT;
    int64_t id = 0;
    enum app_result r =
        declarations_approve(&env, catalogue, request_param_id(request, 0),
                             json_string_value(json_object_get(body, "declaration_type")), &id, &errors);
    if (r == APP_OK)
        reply_declaration(request, 201, id);
    else
        api_reply_result(request, r, &errors, "enrolment");
    errors_free(&errors);
    json_decref(body);
}

void api_enrolment_declarations_list(struct request *request)
{
    struct declaration *list;
    size_t count;
    enum store_status s = store_declarations_list(request->store, DECLARATIONS_OF_ENROLMENT,
                                                  request_param_id(request, 0), request_arena(request), &list, &count);
    if (s != STORE_OK)
        api_reply_store_status(request, s, "declaration");
    else
        api_reply_page_of(request, json_pack("{s:o}", "declarations", declarations_json(list, count)), "declarations",
                          "id", CURSOR_ID);
}

static void declaration_step(struct request *request, bool void_it)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct errors errors = ERRORS_INIT;
    json_t *given = json_object_get(body, "declaration_id");
    int64_t enrolment_id = request_param_id(request, 0), id = json_is_integer(given) ? json_integer_value(given) : 0;
    enum app_result r = APP_INVALID;
    if (id <= 0)
        errors_add(&errors, "declaration_id", "Give the id of one of this participant's declarations");
    else
        r = void_it ? declarations_void(&env, enrolment_id, id, &errors)
                    : declarations_retry(&env, enrolment_id, id, &errors);
    if (r == APP_OK)
        reply_declaration(request, 200, id);
    else
        api_reply_result(request, r, &errors, "declaration");
    errors_free(&errors);
    json_decref(body);
}

void api_declaration_void(struct request *request)
{
    declaration_step(request, true);
}

void api_declaration_retry(struct request *request)
{
    declaration_step(request, false);
}

void api_dfe_sync(struct request *request)
{
    const struct catalogue *catalogue = api_catalogue(request);
    if (catalogue == NULL)
        return; /* replied 503 */
    char holder[PROCESS_IDENTITY_TEXT];
    process_identity(holder);
    struct dfe_sync_env env = {request->store, catalogue, holder, NULL, 0, 0};
    struct dfe_sync_report report;
    enum app_result r = dfe_sync_run(&env, &report);
    char text[600];
    dfe_sync_report_text(&report, r, text, sizeof(text));
    if (r == APP_OK)
        reply_json(request, 200,
                   json_pack("{s:s, s:I, s:I, s:I, s:I}", "result", text, "calls", (json_int_t)report.calls,
                             "applications", (json_int_t)report.applications, "submitted", (json_int_t)report.submitted,
                             "refused", (json_int_t)report.refused));
    else
        /* Not configured, or another server syncing: the state refuses it now. */
        api_reply_reason(request, r == APP_NOT_FOUND ? APP_CONFLICT : r, "%s", report.error);
}

void api_dfe_log(struct request *request)
{
    struct form *query = request_query(request);
    struct errors errors = ERRORS_INIT;
    int64_t declaration_id = 0;
    form_read_id(query, "declaration_id", &declaration_id, &errors);
    struct store_page page;
    paging_read(request, CURSOR_ID, &page, &errors);
    if (api_query_refused(request, &errors))
        return;
    /* Newest first: a page is the calls before the last one of the page before. One more than the
     * page is read, to know whether another follows. */
    int64_t before = page.after.key == CURSOR_ID ? page.after.id : 0;
    struct dfe_log_entry *entries;
    size_t count;
    enum store_status s = store_dfe_log_list(request->store, declaration_id, before, (int)page.limit + 1,
                                             request_arena(request), &entries, &count);
    if (s == STORE_OK && count > page.limit) {
        count = page.limit;
        struct cursor last = {.key = CURSOR_ID, .id = entries[count - 1].id};
        page.next = cursor_encode(&last, request_arena(request));
    }
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "call");
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < count; i++) {
        const struct dfe_log_entry *e = &entries[i];
        json_array_append_new(
            list, json_pack("{s:I, s:o, s:s, s:s, s:s, s:i, s:s, s:s, s:i, s:I, s:o, s:o}", "id", (json_int_t)e->id,
                            "at", api_time_json(e->at), "method", e->method, "path", e->path, "request_body",
                            e->request_body, "status", e->status, "response_body", e->response_body, "error", e->error,
                            "attempt", e->attempt, "duration_ms", (json_int_t)e->duration_ms, "declaration_id",
                            e->declaration_id ? json_integer(e->declaration_id) : json_null(), "enrolment_id",
                            e->enrolment_id ? json_integer(e->enrolment_id) : json_null()));
    }
    paging_link(request, &page);
    reply_json(request, 200, json_pack("{s:o}", "calls", list));
}
