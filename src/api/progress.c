/*
 * GET /api/v1/enrolments/{id}/progress: an enrolment's status and its reasons, per module and for
 * the whole, as the page shows them. The gate has already asked the policy whether the caller may
 * read the enrolment; what is returned holds no drafts, notes or marks (see app/progress.h).
 *
 * GET /api/v1/progress and /api/v1/progress/cohorts: the kept progress of everyone the caller
 * watches over, and their cohorts' figures, as /progress and /progress/cohorts show them.
 *
 * Every report here is also a CSV download (?format=csv or Accept: text/csv, api/export.h): the
 * progress list streamed a batch at a time from the kept progress, the others row by row.
 */
#include "api/api.h"
#include "api/export.h"
#include "app/progress.h"
#include "http/paging.h"
#include "http/reply.h"
#include "lib/csv_write.h"

#include <inttypes.h>
#include <string.h>

static json_t *reasons_json(const struct progress_reasons *reasons)
{
    json_t *a = json_array();
    for (size_t i = 0; i < reasons->count; i++)
        json_array_append_new(a, json_string(reasons->text[i]));
    return a;
}

static json_t *progress_json(const struct progress_view *v)
{
    json_t *modules = json_array();
    for (size_t i = 0; i < v->facts.module_count; i++) {
        const struct progress_view_module *m = &v->modules[i];
        json_array_append_new(modules,
                              json_pack("{s:s, s:s, s:s, s:o, s:{s:i, s:i, s:i, s:i}, s:{s:f, s:i}, s:b}", "code",
                                        m->facts->code, "title", m->facts->title, "status",
                                        progress_status_name(m->judged.status), "reasons",
                                        reasons_json(&m->judged.reasons), "events", "total", m->facts->events_total,
                                        "held", m->facts->events_held, "attended", m->facts->events_attended, "missed",
                                        m->facts->events_missed, "hours", "logged", m->facts->quarter_hours / 4.0,
                                        "cap", m->facts->hours_cap, "completed", m->facts->completed));
    }
    json_t *assessment = json_null();
    if (v->facts.has_task)
        assessment = json_pack("{s:I, s:i, s:s, s:o}", "deadline", (json_int_t)v->facts.deadline, "days_to_deadline",
                               v->days_to_deadline, "submission",
                               v->facts.submission[0] != '\0' ? v->facts.submission : "not_started", "result",
                               v->facts.outcome[0] != '\0' ? json_string(v->facts.outcome) : json_null());
    return json_pack("{s:I, s:s, s:s, s:o, s:i, s:i, s:i, s:o, s:o}", "enrolment_id", (json_int_t)v->facts.enrolment_id,
                     "status", progress_status_name(v->judged.status), "status_title",
                     progress_status_title(v->judged.status), "reasons", reasons_json(&v->judged.reasons),
                     "modules_completed", v->modules_completed, "modules_required", (int)v->facts.module_count,
                     "coaching_held", v->facts.coaching_held, "assessment", assessment, "modules", modules);
}

void api_progress_get(struct request *request)
{
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct progress_view view;
    enum app_result r = progress_read(&env, request_param_id(request, 0), NULL, request_arena(request), &view);
    if (r == APP_OK)
        reply_json(request, 200, progress_json(&view));
    else
        api_reply_result(request, r, NULL, "enrolment");
}

/* The kept reasons, one a line, as an array. */
static json_t *kept_reasons_json(const char *text)
{
    json_t *a = json_array();
    while (text != NULL && *text != '\0') {
        const char *end = strchr(text, '\n');
        size_t len = end ? (size_t)(end - text) : strlen(text);
        json_array_append_new(a, json_stringn(text, len));
        text = end ? end + 1 : NULL;
    }
    return a;
}

static json_t *row_json(struct request *request, const struct progress_list_row *r)
{
    const struct progress_record *p = &r->progress;
    enum progress_status status = PROGRESS_ON_TRACK;
    progress_status_parse(p->status, &status);
    json_t *cohort = r->cohort_id > 0 ? json_pack("{s:I, s:s}", "id", (json_int_t)r->cohort_id, "code", r->cohort_code)
                                      : json_null();
    return json_pack(
        "{s:I, s:{s:I, s:s}, s:s, s:o, s:s, s:s, s:s, s:s, s:o, s:i, s:i, s:i, s:i, s:b, s:o, s:I, s:s, s:b}",
        "enrolment_id", (json_int_t)p->enrolment_id, "participant", "id", (json_int_t)r->participant_id, "name",
        r->participant_name, "qualification", r->target, "cohort", cohort, "school", r->school_name, "region",
        r->region, "status", progress_status_name(status), "status_title", progress_status_title(status), "reasons",
        kept_reasons_json(p->reasons), "modules_completed", p->modules_completed, "modules_required",
        p->modules_required, "events_held", p->events_held, "events_attended", p->events_attended, "submitted",
        p->submitted, "result", p->result[0] != '\0' ? json_string(p->result) : json_null(), "refreshed_at",
        (json_int_t)r->refreshed_at, "progress_url",
        request_printf(request, "/enrolments/%" PRId64 "/progress", p->enrolment_id), "has_plan", r->has_plan);
}

/* The kept reasons, one a line, as "A; B" for a cell. */
static void csv_reasons(struct buf *b, const char *text, struct buf *scratch)
{
    buf_reset(scratch);
    for (const char *c = text; c != NULL && *c != '\0'; c++) {
        if (*c == '\n')
            buf_append(scratch, "; ", 2);
        else
            buf_append(scratch, c, 1);
    }
    csv_write_field(b, scratch->data ? scratch->data : "", 0);
    if (buf_failed(scratch))
        buf_fail(b); /* a row with its reasons cut short is not sent either */
}

static void progress_csv_row(struct buf *b, const struct progress_list_row *r, struct buf *scratch)
{
    const struct progress_record *p = &r->progress;
    enum progress_status status = PROGRESS_ON_TRACK;
    progress_status_parse(p->status, &status);
    csv_write_int(b, p->enrolment_id, 1);
    csv_write_int(b, r->participant_id, 0);
    csv_write_field(b, r->participant_name, 0);
    csv_write_field(b, r->target, 0);
    csv_write_field(b, r->cohort_id > 0 ? r->cohort_code : "", 0);
    csv_write_field(b, r->school_name, 0);
    csv_write_field(b, r->region, 0);
    csv_write_field(b, progress_status_name(status), 0);
    csv_reasons(b, p->reasons, scratch);
    csv_write_int(b, p->modules_completed, 0);
    csv_write_int(b, p->modules_required, 0);
    csv_write_int(b, p->events_held, 0);
    csv_write_int(b, p->events_attended, 0);
    csv_write_field(b, p->submitted ? "yes" : "no", 0);
    csv_write_field(b, p->result, 0);
    csv_write_field(b, r->has_plan ? "yes" : "no", 0);
    json_t *t = api_time_json(r->refreshed_at);
    csv_write_field(b, json_string_value(t), 0);
    json_decref(t);
    csv_write_end(b);
}

/* The whole list as CSV from q->after: a batch of STORE_PAGE_MAX read, sent and released before
 * the next is read, each batch starting after the last enrolment of the one before. */
static void progress_list_csv(struct request *request, const struct accounts_env *env, struct progress_query *q)
{
    q->limit = STORE_PAGE_MAX;
    struct arena batch = ARENA_INIT;
    struct buf b, scratch;
    buf_init(&b, 16 * 1024 * 1024);
    buf_init(&scratch, 64 * 1024);
    bool begun = false;
    for (;;) {
        struct progress_list_row *rows;
        size_t count;
        bool more;
        enum app_result r = progress_list(env, request->caller, q, &batch, &rows, &count, &more);
        if (r != APP_OK) {
            if (begun)
                reply_stream_fail(request);
            else
                api_reply_result(request, r, NULL, "progress");
            break;
        }
        if (!begun) {
            api_export_begin(request, "progress.csv",
                             "enrolment_id,participant_id,participant,qualification,cohort,school,region,status,"
                             "reasons,modules_completed,modules_required,events_held,events_attended,submitted,"
                             "result,has_plan,refreshed_at\r\n");
            begun = true;
        }
        for (size_t i = 0; i < count; i++)
            progress_csv_row(&b, &rows[i], &scratch);
        if (count > 0)
            q->after = rows[count - 1].progress.enrolment_id;
        arena_release(&batch);
        if (!more) {
            api_export_end(request, &b);
            break;
        }
        if (!api_export_send(request, &b))
            break;
    }
    arena_release(&batch);
    buf_free(&b);
    buf_free(&scratch);
}

void api_progress_list(struct request *request)
{
    struct errors errors = ERRORS_INIT;
    struct progress_query q;
    progress_query_read(request_query(request), &q, &errors);
    struct store_page page;
    paging_read(request, CURSOR_ID, &page, &errors);
    if (api_query_refused(request, &errors))
        return;
    bool csv;
    if (!api_export_format_read(request, &csv))
        return;
    q.after = page.after.key == CURSOR_ID ? page.after.id : 0;
    q.limit = page.limit;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    if (csv) {
        progress_list_csv(request, &env, &q);
        return;
    }
    struct progress_list_row *rows;
    size_t count;
    bool more;
    enum app_result r = progress_list(&env, request->caller, &q, request_arena(request), &rows, &count, &more);
    if (r != APP_OK) {
        api_reply_result(request, r, NULL, "progress");
        return;
    }
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(array, row_json(request, &rows[i]));
    if (more && count > 0) {
        struct cursor last = {.key = CURSOR_ID, .id = rows[count - 1].progress.enrolment_id};
        page.next = cursor_encode(&last, request_arena(request));
    }
    paging_link(request, &page);
    reply_json(request, 200, json_pack("{s:o}", "progress", array));
}

/* Cohorts are a few hundred at most: read at once, sent a batch of rows at a time. */
static void cohorts_csv(struct request *request, const struct progress_cohort_row *rows, size_t count)
{
    struct buf b;
    buf_init(&b, 16 * 1024 * 1024);
    api_export_begin(request, "progress-cohorts.csv",
                     "cohort_id,code,qualification,delivery_partner_id,enrolments,complete,at_risk,behind,"
                     "completion_rate,attendance_rate,submission_rate,pass_rate\r\n");
    bool sent = true;
    for (size_t i = 0; i < count && sent; i++) {
        const struct progress_cohort_row *c = &rows[i];
        csv_write_int(&b, c->cohort_id, 1);
        csv_write_field(&b, c->code, 0);
        csv_write_field(&b, c->target, 0);
        if (c->partner_id > 0)
            csv_write_int(&b, c->partner_id, 0);
        else
            csv_write_field(&b, "", 0);
        csv_write_int(&b, c->enrolments, 0);
        csv_write_int(&b, c->complete, 0);
        csv_write_int(&b, c->at_risk, 0);
        csv_write_int(&b, c->behind, 0);
        csv_write_int(&b, progress_percent(c->complete, c->enrolments), 0);
        csv_write_int(&b, progress_percent(c->events_attended, c->events_held), 0);
        csv_write_int(&b, progress_percent(c->submitted, c->with_task), 0);
        csv_write_int(&b, progress_percent(c->passed, c->with_result), 0);
        csv_write_end(&b);
        if ((i + 1) % STORE_PAGE_MAX == 0)
            sent = api_export_send(request, &b);
    }
    if (sent)
        api_export_end(request, &b);
    buf_free(&b);
}

void api_progress_cohorts(struct request *request)
{
    struct errors errors = ERRORS_INIT;
    struct progress_query q;
    progress_query_read(request_query(request), &q, &errors);
    if (api_query_refused(request, &errors))
        return;
    bool csv;
    if (!api_export_format_read(request, &csv))
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct progress_cohort_row *rows;
    size_t count;
    enum app_result r = progress_cohorts(&env, request->caller, &q.filter, request_arena(request), &rows, &count);
    if (r != APP_OK) {
        api_reply_result(request, r, NULL, "cohort");
        return;
    }
    if (csv) {
        cohorts_csv(request, rows, count);
        return;
    }
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++) {
        const struct progress_cohort_row *c = &rows[i];
        json_array_append_new(
            array, json_pack("{s:I, s:s, s:s, s:o, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "cohort_id",
                             (json_int_t)c->cohort_id, "code", c->code, "qualification", c->target,
                             "delivery_partner_id", c->partner_id > 0 ? json_integer(c->partner_id) : json_null(),
                             "enrolments", c->enrolments, "complete", c->complete, "at_risk", c->at_risk, "behind",
                             c->behind, "completion_rate", progress_percent(c->complete, c->enrolments),
                             "attendance_rate", progress_percent(c->events_attended, c->events_held), "submission_rate",
                             progress_percent(c->submitted, c->with_task), "pass_rate",
                             progress_percent(c->passed, c->with_result)));
    }
    api_reply_page_of(request, json_pack("{s:o}", "cohorts", array), "cohorts", "cohort_id", CURSOR_ID);
}

/* Progress updates by email */

static void reply_updates(struct request *request, const struct accounts_env *env)
{
    bool subscribed;
    enum progress_cadence cadence;
    enum app_result r = progress_updates_read(env, request->caller->user_id, &subscribed, &cadence);
    if (r != APP_OK)
        api_reply_result(request, r, NULL, "setting");
    else
        reply_json(request, 200,
                   json_pack("{s:b, s:s}", "subscribed", subscribed, "cadence", progress_cadence_name(cadence)));
}

void api_progress_updates_get(struct request *request)
{
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    reply_updates(request, &env);
}

void api_progress_updates_put(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    json_t *subscribed = json_object_get(body, "subscribed");
    struct errors errors = ERRORS_INIT;
    if (!json_is_boolean(subscribed))
        errors_add(&errors, "subscribed", "Must be true or false");
    const char *key;
    json_t *value;
    json_object_foreach(body, key, value)
    {
        if (strcmp(key, "subscribed") != 0)
            errors_add(&errors, key, "Is not a setting of progress updates");
    }
    if (errors.count > 0) {
        api_reply_invalid(request, &errors);
        errors_free(&errors);
        json_decref(body);
        return;
    }
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result r = progress_updates_set(&env, request->caller->user_id, json_is_true(subscribed));
    json_decref(body);
    if (r != APP_OK)
        api_reply_result(request, r, NULL, "setting");
    else
        reply_updates(request, &env);
}

void api_progress_updates_send(struct request *request)
{
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    size_t sent = 0;
    char period[PROGRESS_PERIOD_TEXT];
    enum app_result r = progress_updates_send(&env, &sent, period);
    if (r != APP_OK)
        api_reply_result(request, r, NULL, "progress update");
    else
        reply_json(request, 200, json_pack("{s:s, s:I}", "period", period, "sent", (json_int_t)sent));
}

/* Support plans */

static json_t *plan_json(int64_t enrolment_id, const struct support_plan *p, bool has, bool needed)
{
    json_t *plan = json_null();
    if (has) {
        json_t *actions = json_array();
        for (size_t i = 0; i < p->action_count; i++)
            json_array_append_new(
                actions, json_pack("{s:s, s:s}", "action", p->actions[i].action, "due_on", p->actions[i].due_on));
        plan =
            json_pack("{s:I, s:{s:I, s:s}, s:s, s:o, s:o, s:o}", "id", (json_int_t)p->id, "supporter", "id",
                      (json_int_t)p->supporter_id, "name", p->supporter_name, "review_on", p->review_on, "actions",
                      actions, "created_at", api_time_json(p->created_at), "updated_at", api_time_json(p->updated_at));
    }
    return json_pack("{s:I, s:b, s:o}", "enrolment_id", (json_int_t)enrolment_id, "needed", needed, "plan", plan);
}

/* The plan as CSV: a row per agreed action (one with no action when the plan has none yet), no
 * rows when there is no open plan. */
static void plan_csv(struct request *request, int64_t id, const struct support_plan *p, bool has, bool needed)
{
    struct buf b;
    buf_init(&b, 1024 * 1024);
    api_export_begin(request, "support-plan.csv", "enrolment_id,needed,supporter,review_on,action,due_on\r\n");
    for (size_t i = 0; has && i < (p->action_count > 0 ? p->action_count : 1); i++) {
        csv_write_int(&b, id, 1);
        csv_write_field(&b, needed ? "yes" : "no", 0);
        csv_write_field(&b, p->supporter_name, 0);
        csv_write_field(&b, p->review_on, 0);
        csv_write_field(&b, p->action_count > 0 ? p->actions[i].action : "", 0);
        csv_write_field(&b, p->action_count > 0 ? p->actions[i].due_on : "", 0);
        csv_write_end(&b);
    }
    api_export_end(request, &b);
    buf_free(&b);
}

void api_support_plan_get(struct request *request)
{
    bool csv;
    if (!api_export_format_read(request, &csv))
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t id = request_param_id(request, 0);
    struct support_plan plan;
    bool has, needed;
    enum app_result r = support_plan_read(&env, id, request_arena(request), &plan, &has, &needed);
    if (r != APP_OK)
        api_reply_result(request, r, NULL, "enrolment");
    else if (csv)
        plan_csv(request, id, &plan, has, needed);
    else
        reply_json(request, 200, plan_json(id, &plan, has, needed));
}

void api_support_plan_put(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    struct support_plan_input in = {0};
    json_t *closed = json_object_get(body, "closed");
    if (closed != NULL && !json_is_boolean(closed))
        errors_add(&errors, "closed", "Must be true or false");
    in.close = json_is_true(closed);
    if (!in.close) {
        api_member_int(body, "supporter_id", &in.supporter_id, &errors);
        api_member_text(body, "review_on", &in.review_on, &errors);
        json_t *actions = json_object_get(body, "actions");
        if (actions != NULL && !json_is_array(actions))
            errors_add(&errors, "actions", "Must be a list of actions, each with action and due_on");
        size_t n = json_is_array(actions) ? json_array_size(actions) : 0;
        struct support_action *list = request_alloc(request, sizeof(*list) * (n > 0 ? n : 1));
        for (size_t i = 0; i < n; i++) {
            json_t *a = json_array_get(actions, i);
            const char *text = json_string_value(json_object_get(a, "action"));
            const char *due = json_string_value(json_object_get(a, "due_on"));
            list[i] = (struct support_action){text ? text : "", due ? due : ""};
        }
        in.actions = list;
        in.action_count = n;
    }
    if (errors.count > 0) {
        api_reply_invalid(request, &errors);
        errors_free(&errors);
        json_decref(body);
        return;
    }
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t id = request_param_id(request, 0);
    struct support_plan plan;
    enum app_result r =
        support_plan_save(&env, request->caller, &request->relation, id, &in, request_arena(request), &plan, &errors);
    if (r == APP_OK) {
        bool has, needed;
        r = support_plan_read(&env, id, request_arena(request), &plan, &has, &needed);
        if (r == APP_OK)
            reply_json(request, 200, plan_json(id, &plan, has, needed));
    }
    if (r != APP_OK)
        api_reply_result(request, r, &errors, "enrolment");
    errors_free(&errors);
    json_decref(body);
}

/* Framework coverage */

static const char *statement_kind_name(enum content_statement_kind kind)
{
    return kind == CONTENT_LEARN_THAT ? "learn_that" : "learn_how_to";
}

static json_t *evidence_json(struct request *request, const struct coverage_evidence *e)
{
    const char *url = e->event
                          ? request_printf(request, "/events/%" PRId64, e->id)
                          : request_printf(request, "/enrolments/%" PRId64 "/course/%" PRId64, e->enrolment_id, e->id);
    return json_pack("{s:s, s:I, s:s, s:s}", "kind", e->event ? "event" : "content", "id", (json_int_t)e->id, "title",
                     e->title, "url", url);
}

static json_t *evidence_list_json(struct request *request, const struct coverage_evidence *const *list, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, evidence_json(request, list[i]));
    return a;
}

static json_t *framework_json(const struct coverage *c)
{
    return c->framework ? json_pack("{s:s, s:s}", "code", c->framework->code, "title", c->framework->title)
                        : json_null();
}

/* The evidence of a cell as "A; B" into out (emptied first). */
static void evidence_text(struct buf *out, const struct coverage_evidence *const *list, size_t n)
{
    buf_reset(out);
    for (size_t i = 0; i < n; i++)
        buf_appendf(out, "%s%s", i ? "; " : "", list[i]->title);
}

/* A cell of the heatmap as a CSV row: an area (kind "area", no number) or one of its statements.
 * evidence (NULL: not listed) names what evidences it. */
static void coverage_csv_row(struct buf *b, const struct catalogue_area *area, const char *kind, int number,
                             const char *text, size_t count, const struct buf *evidence)
{
    csv_write_int(b, area->number, 1);
    csv_write_field(b, area->title, 0);
    csv_write_field(b, kind, 0);
    if (number > 0)
        csv_write_int(b, number, 0);
    else
        csv_write_field(b, "", 0);
    csv_write_field(b, text, 0);
    csv_write_int(b, (int64_t)count, 0);
    if (evidence != NULL) {
        csv_write_field(b, evidence->data ? evidence->data : "", 0);
        if (buf_failed(evidence))
            buf_fail(b);
    }
    csv_write_end(b);
}

/* Coverage as CSV: a row per area and per statement with how much evidences it; for an enrolment
 * (cohort false) also what. */
static void coverage_csv(struct request *request, const struct coverage *c, bool cohort)
{
    struct buf b, evidence;
    buf_init(&b, 16 * 1024 * 1024);
    buf_init(&evidence, 1024 * 1024);
    api_export_begin(request, cohort ? "cohort-coverage.csv" : "coverage.csv",
                     cohort ? "area,area_title,kind,number,statement,evidence_count\r\n"
                            : "area,area_title,kind,number,statement,evidence_count,evidence\r\n");
    for (size_t i = 0; i < c->area_count; i++) {
        const struct coverage_area *a = &c->areas[i];
        evidence_text(&evidence, a->evidence, a->count);
        coverage_csv_row(&b, a->area, "area", 0, a->area->title, a->count, cohort ? NULL : &evidence);
        for (size_t j = 0; j < a->statement_count; j++) {
            const struct coverage_statement *st = &a->statements[j];
            evidence_text(&evidence, st->evidence, st->count);
            coverage_csv_row(&b, a->area, statement_kind_name(st->kind), st->statement->number, st->statement->text,
                             st->count, cohort ? NULL : &evidence);
        }
    }
    api_export_end(request, &b);
    buf_free(&b);
    buf_free(&evidence);
}

void api_coverage_get(struct request *request)
{
    bool csv;
    if (!api_export_format_read(request, &csv))
        return;
    const struct catalogue *catalogue = api_catalogue(request);
    if (catalogue == NULL)
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t id = request_param_id(request, 0);
    struct coverage c;
    enum app_result r = coverage_read(&env, catalogue, id, false, request_arena(request), &c);
    if (r != APP_OK) {
        api_reply_result(request, r, NULL, "enrolment");
        return;
    }
    if (csv) {
        coverage_csv(request, &c, false);
        return;
    }
    json_t *areas = json_array();
    for (size_t i = 0; i < c.area_count; i++) {
        const struct coverage_area *a = &c.areas[i];
        json_t *statements = json_array();
        for (size_t j = 0; j < a->statement_count; j++) {
            const struct coverage_statement *s = &a->statements[j];
            json_array_append_new(statements,
                                  json_pack("{s:s, s:i, s:s, s:o}", "kind", statement_kind_name(s->kind), "number",
                                            s->statement->number, "text", s->statement->text, "evidence",
                                            evidence_list_json(request, s->evidence, s->count)));
        }
        json_array_append_new(
            areas, json_pack("{s:i, s:s, s:o, s:o}", "number", a->area->number, "title", a->area->title, "evidence",
                             evidence_list_json(request, a->evidence, a->count), "statements", statements));
    }
    reply_json(
        request, 200,
        json_pack("{s:I, s:o, s:o}", "enrolment_id", (json_int_t)id, "framework", framework_json(&c), "areas", areas));
}

void api_cohort_coverage_get(struct request *request)
{
    bool csv;
    if (!api_export_format_read(request, &csv))
        return;
    const struct catalogue *catalogue = api_catalogue(request);
    if (catalogue == NULL)
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t id = request_param_id(request, 0);
    struct coverage c;
    enum app_result r = coverage_read(&env, catalogue, id, true, request_arena(request), &c);
    if (r != APP_OK) {
        api_reply_result(request, r, NULL, "cohort");
        return;
    }
    if (csv) {
        coverage_csv(request, &c, true);
        return;
    }
    json_t *untouched = json_array();
    size_t total = 0;
    for (size_t i = 0; i < c.area_count; i++)
        for (size_t j = 0; j < c.areas[i].statement_count; j++) {
            const struct coverage_statement *s = &c.areas[i].statements[j];
            total++;
            if (s->count == 0)
                json_array_append_new(untouched, json_pack("{s:i, s:s, s:i, s:s}", "area", c.areas[i].area->number,
                                                           "kind", statement_kind_name(s->kind), "number",
                                                           s->statement->number, "text", s->statement->text));
        }
    reply_json(request, 200,
               json_pack("{s:I, s:o, s:I, s:o}", "cohort_id", (json_int_t)id, "framework", framework_json(&c),
                         "statements", (json_int_t)total, "untouched", untouched));
}
