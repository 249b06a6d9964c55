/*
 * Enrolments and what surrounds them: /api/v1/enrolments (with defer, withdraw, resume,
 * complete), a participant's pathway and completed modules, cohorts, fees, the funding report and
 * CSV exports.
 */
#include "api/api.h"
#include "api/export.h"

#include "app/applications.h"
#include "app/delivery.h"
#include "http/paging.h"
#include "http/reply.h"
#include "http/site.h"
#include "lib/csv_write.h"
#include "lib/date.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

json_t *api_history_json(const struct history_event *events, size_t count);

static json_t *enrolment_json(const struct enrolment *e)
{
    json_t *electives = json_array();
    for (size_t i = 0; i < e->elective_count; i++)
        json_array_append_new(electives, json_string(e->electives[i]));
    json_t *doc = json_pack(
        "{s:I, s:{s:I, s:s}, s:o, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:o, s:o, s:o}", "id",
        (json_int_t)e->id, "participant", "id", (json_int_t)e->participant_id, "name", e->participant_name,
        "application_id", e->application_id ? json_integer(e->application_id) : json_null(), "kind",
        study_kind_name(e->kind), "target", e->target, "electives", electives, "cohort",
        e->cohort_id
            ? json_pack("{s:I, s:s}", "id", (json_int_t)e->cohort_id, "code", e->cohort_code ? e->cohort_code : "")
            : json_null(),
        "delivery_model", delivery_model_name(e->delivery_model), "funding_route", funding_route_name(e->funding),
        "scholarship_eligibility", e->scholarship_eligibility, "school",
        e->school_id
            ? json_pack("{s:I, s:s}", "id", (json_int_t)e->school_id, "name", e->school_name ? e->school_name : "")
            : json_null(),
        "state", enrolment_state_name(e->state), "state_title", enrolment_state_title(e->state), "reason", e->reason,
        "expected_return", e->expected_return ? json_string(e->expected_return) : json_null(), "created_at",
        api_time_json(e->created_at), "updated_at", api_time_json(e->updated_at));
    /* The participant in the DfE's terms: the coded reason beside the note, and the schedule. */
    json_object_set_new(doc, "reason_code", *e->reason_code ? json_string(e->reason_code) : json_null());
    json_object_set_new(doc, "schedule",
                        e->schedule_identifier ? json_pack("{s:s, s:i}", "identifier", e->schedule_identifier, "cohort",
                                                           e->schedule_cohort)
                                               : json_null());
    return doc;
}

static void reply_enrolment(struct request *request, int status, int64_t id)
{
    struct arena *arena = request_arena(request);
    struct enrolment e;
    struct history_event *history;
    size_t count;
    enum store_status s = store_enrolment_get(request->store, id, arena, &e);
    if (s == STORE_OK)
        s = store_enrolment_history(request->store, id, arena, &history, &count);
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "enrolment");
        return;
    }
    json_t *doc = enrolment_json(&e);
    json_object_set_new(doc, "history", api_history_json(history, count));
    reply_json(request, status, doc);
}

void api_enrolments_list(struct request *request)
{
    struct errors errors = ERRORS_INIT;
    struct store_page page;
    paging_read(request, CURSOR_ID, &page, &errors);
    if (api_query_refused(request, &errors))
        return;
    struct enrolment *list;
    size_t count, total;
    enum store_status s =
        store_enrolment_list(request->store, request->caller, &page, request_arena(request), &list, &count, &total);
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "enrolment");
        return;
    }
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(array, enrolment_json(&list[i]));
    paging_link(request, &page);
    reply_json(request, 200, json_pack("{s:o, s:I}", "enrolments", array, "total", (json_int_t)total));
}

void api_enrolment_get(struct request *request)
{
    reply_enrolment(request, 200, request_param_id(request, 0));
}

void api_enrolment_step(struct request *request)
{
    char step_name[16];
    snprintf(step_name, sizeof(step_name), "%.*s", (int)request->params[1].len, request->params[1].ptr);
    enum enrolment_step step;
    if (!enrolment_step_parse(step_name, &step)) {
        api_reply_reason(request, APP_NOT_FOUND, "There is no step \"%s\": use defer, resume, withdraw or complete.",
                         step_name);
        return;
    }
    json_t *body = NULL;
    if (request_body(request).len > 0 && (body = api_read_object(request)) == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    const char *reason = body ? json_string_value(json_object_get(body, "reason")) : NULL;
    const char *reason_code = body ? json_string_value(json_object_get(body, "reason_code")) : NULL;
    const char *expected_return = body ? json_string_value(json_object_get(body, "expected_return")) : NULL;
    json_t *cohort = body ? json_object_get(body, "cohort_id") : NULL;
    int64_t cohort_id = json_is_integer(cohort) && json_integer_value(cohort) > 0 ? json_integer_value(cohort) : 0;
    const struct catalogue *catalogue = api_catalogue(request);
    if (catalogue == NULL) { /* replied 503 */
        json_decref(body);
        return;
    }
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t id = request_param_id(request, 0);
    enum app_result r = enrolments_step(&env, catalogue, request->caller, id, step, reason, reason_code,
                                        expected_return, cohort_id, &errors);
    if (r == APP_OK)
        reply_enrolment(request, 200, id);
    else
        api_reply_result(request, r, &errors, "enrolment");
    errors_free(&errors);
    json_decref(body);
}

void api_enrolment_schedule(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    json_t *identifier = json_object_get(body, "schedule_identifier");
    json_t *cohort = json_object_get(body, "cohort");
    if (!json_is_string(identifier))
        errors_add(&errors, "schedule_identifier", "Give the DfE's schedule identifier, like npq-leadership-spring");
    if (!json_is_integer(cohort) || json_integer_value(cohort) < 2021 || json_integer_value(cohort) > 2100)
        errors_add(&errors, "cohort", "Give the cohort as a year from 2021, like 2025");
    if (errors.count > 0) {
        api_reply_invalid(request, &errors);
        goto out;
    }
    const struct catalogue *catalogue = api_catalogue(request);
    if (catalogue == NULL)
        goto out; /* replied 503 */
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t id = request_param_id(request, 0);
    enum app_result r = enrolments_change_schedule(&env, catalogue, id, json_string_value(identifier),
                                                   (int)json_integer_value(cohort), &errors);
    if (r == APP_OK)
        reply_enrolment(request, 200, id);
    else
        api_reply_result(request, r, &errors, "enrolment");
out:
    errors_free(&errors);
    json_decref(body);
}

void api_enrolment_declarations(struct request *request)
{
    const struct catalogue *catalogue = api_catalogue(request);
    if (catalogue == NULL)
        return; /* replied 503 */
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct participant_declarations d;
    enum app_result r = declarations_for(&env, catalogue, request_param_id(request, 0), request_arena(request), &d);
    if (r != APP_OK) {
        struct errors errors = ERRORS_INIT;
        api_reply_result(request, r, &errors, "enrolment");
        errors_free(&errors);
        return;
    }
    json_t *due = json_array();
    for (size_t i = 0; i < d.due_count; i++)
        json_array_append_new(due,
                              json_pack("{s:s, s:s, s:s}", "declaration_type", d.due[i].declaration_type,
                                        "declaration_date", d.due[i].declaration_date, "evidence", d.due[i].evidence));
    json_t *made = json_array();
    for (size_t i = 0; i < d.made_count; i++)
        json_array_append_new(made, json_pack("{s:s, s:s}", "declaration_type", d.made[i].declaration_type,
                                              "declaration_date", d.made[i].declaration_date));
    json_t *schedule = d.schedule ? json_pack("{s:s, s:i, s:s}", "identifier", d.schedule->identifier, "cohort",
                                              d.schedule->cohort, "title", d.schedule->title)
                                  : json_null();
    reply_json(request, 200, json_pack("{s:o, s:o, s:o}", "schedule", schedule, "due", due, "made", made));
}

static json_t *titles_json(const struct catalogue *c, const char **codes, size_t count)
{
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++) {
        const struct catalogue_module *m = catalogue_module_find(c, codes[i], strlen(codes[i]));
        json_array_append_new(array, json_pack("{s:s, s:s}", "code", codes[i], "title", m ? m->title : codes[i]));
    }
    return array;
}

void api_participant_pathway(struct request *request)
{
    const struct catalogue *c = api_catalogue(request);
    if (c == NULL)
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct participant_pathway p;
    int64_t id = request_param_id(request, 0);
    enum app_result r = pathways_for(&env, c, id, request_arena(request), &p);
    if (r != APP_OK) {
        api_reply_result(request, r, NULL, "participant");
        return;
    }
    json_t *completed = json_array();
    for (size_t i = 0; i < p.completed_count; i++) {
        const struct catalogue_module *m = catalogue_module_find(c, p.completed[i].code, strlen(p.completed[i].code));
        json_array_append_new(completed, json_pack("{s:s, s:s, s:s}", "code", p.completed[i].code, "title",
                                                   m ? m->title : p.completed[i].code, "completed_on",
                                                   p.completed[i].completed_on));
    }
    json_t *enrolments = json_array();
    for (size_t i = 0; i < p.enrolment_count; i++)
        json_array_append_new(enrolments, enrolment_json(&p.enrolments[i]));
    json_t *qualifications = json_array();
    for (size_t i = 0; i < p.pathway_count; i++) {
        const struct pathway *w = &p.pathways[i];
        char remaining[512];
        pathway_describe_remaining(c, w, remaining, sizeof(remaining));
        /* Counts towards it when at least one completed module is part of it. */
        bool counts = w->essential_done_count > 0 || w->electives_done_count > 0;
        bool enrolled = false;
        for (size_t e = 0; e < p.enrolment_count; e++)
            enrolled = enrolled ||
                       (p.enrolments[e].kind == STUDY_QUALIFICATION &&
                        strcasecmp(p.enrolments[e].target, w->qualification->code) == 0 &&
                        (p.enrolments[e].state == ENROLMENT_ACTIVE || p.enrolments[e].state == ENROLMENT_DEFERRED));
        json_array_append_new(
            qualifications,
            json_pack("{s:s, s:s, s:b, s:b, s:o, s:o, s:o, s:i, s:b, s:s}", "code", w->qualification->code, "title",
                      w->qualification->title, "enrolled", enrolled, "completed_modules_count_towards_it", counts,
                      "essential_done", titles_json(c, w->essential_done, w->essential_done_count),
                      "essential_remaining", titles_json(c, w->essential_remaining, w->essential_remaining_count),
                      "electives_done", titles_json(c, w->electives_done, w->electives_done_count), "electives_needed",
                      w->electives_needed, "modules_complete", w->modules_complete, "remaining", remaining));
    }
    reply_json(request, 200,
               json_pack("{s:I, s:o, s:o, s:o}", "participant_id", (json_int_t)id, "completed_modules", completed,
                         "enrolments", enrolments, "qualifications", qualifications));
}

void api_participant_completion(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    const struct catalogue *c = api_catalogue(request);
    struct errors errors = ERRORS_INIT;
    if (c == NULL)
        goto out;
    const char *module = json_string_value(json_object_get(body, "module"));
    const char *on = json_string_value(json_object_get(body, "completed_on"));
    const char *note = json_string_value(json_object_get(body, "note"));
    json_t *enrolment = json_object_get(body, "enrolment_id");
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    const char *title = NULL;
    enum app_result s =
        completions_record(&env, c, request_param_id(request, 0), module, on,
                           json_is_integer(enrolment) ? json_integer_value(enrolment) : 0, note, &title, &errors);
    if (s == APP_OK) {
        const struct catalogue_module *m = catalogue_module_find(c, module, strlen(module));
        reply_json(request, 201, json_pack("{s:s, s:s}", "module", m->code, "completed_on", on));
    } else if (s == APP_CONFLICT) {
        api_reply_reason(request, APP_CONFLICT, "%s", errors.items[errors.count - 1].message);
    } else if (s == APP_NOT_FOUND) {
        api_reply_store_status(request, STORE_NOT_FOUND, "participant or enrolment");
    } else {
        api_reply_result(request, s, &errors, "participant");
    }
out:
    errors_free(&errors);
    json_decref(body);
}

static json_t *cohort_json(const struct cohort *c)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:I}", "id", (json_int_t)c->id, "code", c->code, "kind",
                     study_kind_name(c->kind), "target", c->target, "delivery_partner",
                     c->delivery_partner_id ? json_pack("{s:I, s:s}", "id", (json_int_t)c->delivery_partner_id, "name",
                                                        c->delivery_partner_name ? c->delivery_partner_name : "")
                                            : json_null(),
                     "delivery_model", delivery_model_name(c->delivery_model), "starts_on", c->starts_on, "ends_on",
                     c->ends_on, "participants", (json_int_t)c->participant_count);
}

void api_cohorts_list(struct request *request)
{
    struct errors errors = ERRORS_INIT;
    struct store_page page;
    paging_read(request, CURSOR_TEXT, &page, &errors);
    if (api_query_refused(request, &errors))
        return;
    struct cohort *list;
    size_t count;
    enum store_status s = store_cohort_list(request->store, form_get(request_query(request), "target"), &page,
                                            request_arena(request), &list, &count);
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "cohort");
        return;
    }
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(array, cohort_json(&list[i]));
    paging_link(request, &page);
    reply_json(request, 200, json_pack("{s:o}", "cohorts", array));
}

/* Saves the cohort id (0: a new one) from body and answers with it. */
static void save_cohort(struct request *request, json_t *body, int64_t id, const struct cohort *before)
{
    const struct catalogue *cat = api_catalogue(request);
    if (cat == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    struct cohort_input in = {0};
    if (before != NULL) {
        in = (struct cohort_input){.code = before->code,
                                   .delivery_partner_id = before->delivery_partner_id,
                                   .delivery_model = delivery_model_name(before->delivery_model),
                                   .starts_on = before->starts_on,
                                   .ends_on = before->ends_on};
        /* What a cohort studies is fixed: sending the same is fine, anything else is refused. */
        const char *kind = json_string_value(json_object_get(body, "kind"));
        const char *target = json_string_value(json_object_get(body, "target"));
        if ((json_object_get(body, "kind") != NULL && (kind == NULL || strcmp(kind, study_kind_name(before->kind)))) ||
            (json_object_get(body, "target") != NULL && (target == NULL || strcasecmp(target, before->target))))
            errors_add(&errors, "target", "A cohort cannot change what it studies: its enrolments count towards it");
    }
    api_member_text(body, "code", &in.code, &errors);
    if (before == NULL) {
        api_member_text(body, "kind", &in.kind, &errors);
        api_member_text(body, "target", &in.target, &errors);
    }
    api_member_int(body, "delivery_partner_id", &in.delivery_partner_id, &errors);
    api_member_text(body, "delivery_model", &in.delivery_model, &errors);
    api_member_text(body, "starts_on", &in.starts_on, &errors);
    api_member_text(body, "ends_on", &in.ends_on, &errors);
    if (errors.count > 0) {
        api_reply_invalid(request, &errors);
        errors_free(&errors);
        return;
    }
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result s = cohorts_save(&env, cat, &in, &id, &errors);
    struct cohort saved;
    if (s == APP_OK && store_cohort_get(request->store, id, request_arena(request), &saved) != STORE_OK)
        s = APP_UNAVAILABLE;
    if (s == APP_OK)
        reply_json(request, before == NULL ? 201 : 200, cohort_json(&saved));
    else
        api_reply_result(request, s, &errors, "cohort");
    errors_free(&errors);
}

void api_cohorts_create(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    save_cohort(request, body, 0, NULL);
    json_decref(body);
}

void api_cohort_update(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct cohort before;
    int64_t id = request_param_id(request, 0);
    enum store_status s = store_cohort_get(request->store, id, request_arena(request), &before);
    if (s != STORE_OK)
        api_reply_store_status(request, s, "cohort");
    else
        save_cohort(request, body, id, &before);
    json_decref(body);
}

void api_fees_list(struct request *request)
{
    const struct catalogue *c = api_catalogue(request);
    if (c == NULL)
        return;
    struct fee *fees;
    size_t count;
    if (store_fee_list(request->store, request_arena(request), &fees, &count) != STORE_OK) {
        api_reply_store_status(request, STORE_ERROR, "fee");
        return;
    }
    /* Every qualification and module, "to be confirmed" unless a fee is set. */
    json_t *array = json_array();
    for (size_t i = 0; i < c->qualification_count + c->module_count; i++) {
        bool is_q = i < c->qualification_count;
        const char *code = is_q ? c->qualifications[i].code : c->modules[i - c->qualification_count].code;
        int64_t amount = -1;
        for (size_t f = 0; f < count; f++)
            if ((fees[f].kind == STUDY_QUALIFICATION) == is_q && strcasecmp(fees[f].code, code) == 0)
                amount = fees[f].amount_pence;
        json_array_append_new(array,
                              json_pack("{s:s, s:s, s:o, s:b}", "kind", is_q ? "qualification" : "module", "code", code,
                                        "amount_pence", amount >= 0 ? json_integer(amount) : json_null(),
                                        "to_be_confirmed", amount < 0));
    }
    /* One fee per qualification and module of the catalogue: built whole, paged here. */
    api_reply_page_of(request, json_pack("{s:o}", "fees", array), "fees", "code", CURSOR_TEXT);
}

void api_fees_set(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    const struct catalogue *c = api_catalogue(request);
    struct errors errors = ERRORS_INIT;
    if (c == NULL)
        goto out;
    json_t *amount = json_object_get(body, "amount_pence");
    int64_t pence = -1;
    if (amount == NULL || !(json_is_null(amount) || json_is_integer(amount)))
        pence = -2; /* refused by fees_set, in its words */
    else if (json_is_integer(amount))
        pence = json_integer_value(amount) < 0 ? -2 : json_integer_value(amount);
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    const char *kind = json_string_value(json_object_get(body, "kind"));
    const char *canonical = NULL;
    enum app_result s =
        fees_set(&env, c, kind, json_string_value(json_object_get(body, "code")), pence, &canonical, &errors);
    if (s == APP_OK)
        reply_json(request, 200, json_pack("{s:s, s:s, s:O}", "kind", kind, "code", canonical, "amount_pence", amount));
    else
        api_reply_result(request, s, &errors, "fee");
out:
    errors_free(&errors);
    json_decref(body);
}

/* Electives as "A; B" into out (emptied first). */
static void electives_text(struct buf *out, const char **codes, size_t count)
{
    buf_reset(out);
    for (size_t i = 0; i < count; i++)
        buf_appendf(out, "%s%s", i ? "; " : "", codes[i]);
}

/* Keeps a batch's last row, its text copied into arena, as where the next batch starts. */
static struct funding_row funding_position(const struct funding_row *row, struct arena *arena)
{
    return (struct funding_row){.funding_route = arena_strdup(arena, row->funding_route),
                                .school_id = row->school_id,
                                .school_name = arena_strdup(arena, row->school_name)};
}

/* jansson's writer into a buf (json_dump_callback): an encoder for each row of a streamed document. */
static int append_json(const char *text, size_t size, void *data)
{
    return buf_append(data, text, size) ? 0 : -1;
}

/* Appends one member of the route totals, in the encoder's spelling of its name. */
static void append_route_total(struct buf *b, const char *route, int64_t enrolments, bool first)
{
    json_t *name = json_string(route);
    buf_append_str(b, first ? "" : ",");
    json_dump_callback(name, append_json, b, JSON_ENCODE_ANY);
    buf_appendf(b, ":%" PRId64, enrolments);
    json_decref(name);
}

/*
 * The report read a batch of STORE_PAGE_MAX rows at a time, each batch sent to the client and its
 * memory released before the next is read, as CSV or as JSON alike. The JSON document is
 * {"by_school":[row, ...],"by_funding_route":{route: enrolments}}: the rows first, each written by
 * the encoder as it is read, and the totals by route, which need every row, last (a member's place
 * in an object means nothing to JSON); they are a handful of numbers, one per route.
 */
void api_report_funding(struct request *request)
{
    bool csv;
    if (!api_export_format_read(request, &csv))
        return;
    struct arena batch = ARENA_INIT;
    struct funding_row last, *after = NULL;
    int64_t by_route[FUNDING_ROUTE_COUNT] = {0};
    struct buf b;
    buf_init(&b, 1024 * 1024);
    bool begun = false, first_row = true;
    for (;;) {
        struct funding_row *rows;
        size_t count;
        if (store_report_funding(request->store, after, STORE_PAGE_MAX, &batch, &rows, &count) != STORE_OK) {
            if (begun)
                reply_stream_fail(request);
            else
                api_reply_store_status(request, STORE_ERROR, "report");
            break;
        }
        if (!begun && csv)
            api_export_begin(request, "funding-report.csv", "funding_route,school_id,school,enrolments\r\n");
        else if (!begun) {
            reply_stream_begin(request, 200, "application/json; charset=utf-8");
            buf_append_str(&b, "{\"by_school\":[");
        }
        begun = true;
        for (size_t i = 0; i < count; i++) {
            if (csv) {
                csv_write_field(&b, rows[i].funding_route, 1);
                csv_write_int(&b, rows[i].school_id, 0);
                csv_write_field(&b, rows[i].school_name, 0);
                csv_write_int(&b, rows[i].enrolments, 0);
                csv_write_end(&b);
                continue;
            }
            enum funding_route route;
            if (funding_route_parse(rows[i].funding_route, &route))
                by_route[route] += rows[i].enrolments;
            json_t *row = json_pack("{s:s, s:o, s:s, s:I}", "funding_route", rows[i].funding_route, "school_id",
                                    rows[i].school_id ? json_integer(rows[i].school_id) : json_null(), "school",
                                    rows[i].school_name, "enrolments", (json_int_t)rows[i].enrolments);
            buf_append_str(&b, first_row ? "" : ",");
            if (row == NULL || json_dump_callback(row, append_json, &b, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0)
                buf_fail(&b); /* the download is cut short, never sent with a row missing */
            json_decref(row);
            first_row = false;
        }
        struct arena next = ARENA_INIT;
        if (count > 0) {
            last = funding_position(&rows[count - 1], &next);
            after = &last;
        }
        arena_release(&batch);
        batch = next;
        bool end = count < STORE_PAGE_MAX;
        if (end && !csv) {
            buf_append_str(&b, "],\"by_funding_route\":{");
            bool first = true;
            for (int r = 0; r < FUNDING_ROUTE_COUNT; r++)
                if (by_route[r] > 0) {
                    append_route_total(&b, funding_route_name((enum funding_route)r), by_route[r], first);
                    first = false;
                }
            buf_append_str(&b, "}}");
        }
        if (!api_export_send(request, &b))
            break;
        if (end) {
            reply_stream_end(request);
            break;
        }
    }
    arena_release(&batch);
    buf_free(&b);
}

/*
 * The exports stream: a page of STORE_PAGE_MAX rows is read, written to the client and its memory
 * released before the next is read, so a download of any size holds one page and one 64 KiB piece.
 * Pages follow by cursor, so a record changed meanwhile is neither repeated nor its neighbours
 * skipped. A failure after the first page cuts the download short rather than end it as if whole.
 */
void api_export_applications(struct request *request)
{
    struct application_filter filter = {.state = -1};
    struct store_page page = {.limit = STORE_PAGE_MAX};
    struct arena batch = ARENA_INIT;
    struct buf b, electives;
    buf_init(&b, 16 * 1024 * 1024);
    buf_init(&electives, 64 * 1024);
    bool begun = false;
    for (;;) {
        struct application *list;
        size_t count, total;
        if (store_application_list(request->store, request->caller, &filter, &page, &batch, &list, &count, &total) !=
            STORE_OK) {
            if (begun)
                reply_stream_fail(request);
            else
                api_reply_store_status(request, STORE_ERROR, "application");
            break;
        }
        if (!begun) {
            api_export_begin(request, "applications.csv",
                             "id,participant,email,kind,target,electives,school,sponsor,delivery_model,funding_route,"
                             "scholarship_eligibility,state,decision_reason,updated_at\r\n");
            begun = true;
        }
        for (size_t i = 0; i < count; i++) {
            const struct application *a = &list[i];
            electives_text(&electives, a->electives, a->elective_count);
            csv_write_int(&b, a->id, 1);
            csv_write_field(&b, a->participant_name, 0);
            csv_write_field(&b, a->participant_email, 0);
            csv_write_field(&b, study_kind_name(a->kind), 0);
            csv_write_field(&b, a->target, 0);
            csv_write_field(&b, electives.data ? electives.data : "", 0);
            csv_write_field(&b, a->school_name ? a->school_name : "", 0);
            csv_write_field(&b, a->sponsor_name ? a->sponsor_name : "", 0);
            csv_write_field(&b, delivery_model_name(a->delivery_model), 0);
            csv_write_field(&b, funding_route_name(a->funding), 0);
            csv_write_field(&b, a->scholarship_eligibility, 0);
            csv_write_field(&b, application_state_name(a->state), 0);
            csv_write_field(&b, a->decision_reason, 0);
            json_t *t = api_time_json(a->updated_at);
            csv_write_field(&b, json_string_value(t), 0);
            json_decref(t);
            csv_write_end(&b);
            if (buf_failed(&electives))
                buf_fail(&b); /* a row with its electives cut short is not sent either */
        }
        struct arena next = ARENA_INIT;
        bool more = store_page_advance(&page, &next);
        arena_release(&batch);
        batch = next;
        if (!api_export_send(request, &b))
            break;
        if (!more) {
            reply_stream_end(request);
            break;
        }
    }
    arena_release(&batch);
    buf_free(&b);
    buf_free(&electives);
}

void api_export_enrolments(struct request *request)
{
    struct store_page page = {.limit = STORE_PAGE_MAX};
    struct arena batch = ARENA_INIT;
    struct buf b, electives;
    buf_init(&b, 16 * 1024 * 1024);
    buf_init(&electives, 64 * 1024);
    bool begun = false;
    for (;;) {
        struct enrolment *list;
        size_t count, total;
        if (store_enrolment_list(request->store, request->caller, &page, &batch, &list, &count, &total) != STORE_OK) {
            if (begun)
                reply_stream_fail(request);
            else
                api_reply_store_status(request, STORE_ERROR, "enrolment");
            break;
        }
        if (!begun) {
            api_export_begin(request, "enrolments.csv",
                             "id,participant,kind,target,electives,cohort,school,delivery_model,funding_route,"
                             "scholarship_eligibility,state,reason,expected_return\r\n");
            begun = true;
        }
        for (size_t i = 0; i < count; i++) {
            const struct enrolment *e = &list[i];
            electives_text(&electives, e->electives, e->elective_count);
            csv_write_int(&b, e->id, 1);
            csv_write_field(&b, e->participant_name, 0);
            csv_write_field(&b, study_kind_name(e->kind), 0);
            csv_write_field(&b, e->target, 0);
            csv_write_field(&b, electives.data ? electives.data : "", 0);
            csv_write_field(&b, e->cohort_code ? e->cohort_code : "", 0);
            csv_write_field(&b, e->school_name ? e->school_name : "", 0);
            csv_write_field(&b, delivery_model_name(e->delivery_model), 0);
            csv_write_field(&b, funding_route_name(e->funding), 0);
            csv_write_field(&b, e->scholarship_eligibility, 0);
            csv_write_field(&b, enrolment_state_name(e->state), 0);
            csv_write_field(&b, e->reason, 0);
            csv_write_field(&b, e->expected_return ? e->expected_return : "", 0);
            csv_write_end(&b);
            if (buf_failed(&electives))
                buf_fail(&b); /* a row with its electives cut short is not sent either */
        }
        struct arena next = ARENA_INIT;
        bool more = store_page_advance(&page, &next);
        arena_release(&batch);
        batch = next;
        if (!api_export_send(request, &b))
            break;
        if (!more) {
            reply_stream_end(request);
            break;
        }
    }
    arena_release(&batch);
    buf_free(&b);
    buf_free(&electives);
}
