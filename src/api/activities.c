/*
 * The learning-hours log of an enrolment: /api/v1/enrolments/{id}/activities with its totals per
 * module (against each module's cap) and per kind of learning, adding, changing and removing an
 * entry, and verifying one. Hours travel as numbers in quarter steps (2.5); reflections are
 * Markdown, sent back as written and rendered safely. The rules are applied in app/coaching.c.
 */
#include "api/api.h"

#include "http/paging.h"

#include "app/coaching.h"
#include "http/reply.h"
#include "http/site.h"
#include "lib/markdown.h"

#include <stdlib.h>
#include <string.h>

static json_t *hours_json(int64_t quarter_hours)
{
    return json_real((double)quarter_hours / 4);
}

static json_t *hours_text_json(int64_t quarter_hours)
{
    char text[32];
    delivery_hours_format((double)quarter_hours / 4, text, sizeof(text));
    return json_string(text);
}

static json_t *activity_json(const struct catalogue *catalogue, const struct activity *a)
{
    const struct catalogue_module *m = catalogue_module_find(catalogue, a->module, strlen(a->module));
    char *html = markdown_to_html(a->reflection, strlen(a->reflection));
    json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:b, s:o, s:o, s:o, s:o}", "id",
                          (json_int_t)a->id, "enrolment_id", (json_int_t)a->enrolment_id, "module", a->module,
                          "module_title", m ? m->title : a->module, "type", delivery_activity_name(a->type),
                          "type_title", delivery_activity_title(a->type), "done_on", a->done_on, "hours",
                          hours_json(a->quarter_hours), "hours_text", hours_text_json(a->quarter_hours), "reflection",
                          a->reflection, "reflection_html", html, "verified", a->verified_at != 0, "verified_by",
                          a->verified_by ? json_pack("{s:I, s:s}", "id", (json_int_t)a->verified_by, "name",
                                                     a->verified_by_name ? a->verified_by_name : "")
                                         : json_null(),
                          "verified_at", api_time_json(a->verified_at), "created_at", api_time_json(a->created_at),
                          "updated_at", api_time_json(a->updated_at));
    free(html);
    return j;
}

void api_activities_list(struct request *request)
{
    const struct catalogue *catalogue = api_catalogue(request);
    if (catalogue == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    struct store_page page;
    paging_read(request, CURSOR_NUMBER, &page, &errors);
    if (api_query_refused(request, &errors))
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct activity_log log;
    enum app_result r =
        activities_read(&env, catalogue, request_param_id(request, 0), &page, request_arena(request), &log);
    if (r != APP_OK) {
        api_reply_result(request, r, NULL, "enrolment");
        return;
    }
    json_t *entries = json_array(), *modules = json_array(), *types = json_array();
    for (size_t i = 0; i < log.count; i++)
        json_array_append_new(entries, activity_json(catalogue, &log.entries[i]));
    for (size_t i = 0; i < log.module_count; i++) {
        const struct activity_module_total *t = &log.modules[i];
        int64_t cap_q = (int64_t)t->hours_cap * 4;
        json_array_append_new(modules,
                              json_pack("{s:s, s:s, s:o, s:o, s:o, s:i, s:o, s:b}", "module", t->code, "title",
                                        t->module ? t->module->title : t->code, "hours", hours_json(t->quarter_hours),
                                        "verified_hours", hours_json(t->verified_quarter_hours), "hours_text",
                                        hours_text_json(t->quarter_hours), "hours_cap", t->hours_cap, "hours_left",
                                        hours_json(t->quarter_hours < cap_q ? cap_q - t->quarter_hours : 0),
                                        "in_enrolment", t->in_enrolment));
    }
    for (int k = 0; k < DELIVERY_ACTIVITY_COUNT; k++)
        json_array_append_new(types, json_pack("{s:s, s:s, s:o}", "type", delivery_activity_name(k), "title",
                                               delivery_activity_title(k), "hours", hours_json(log.by_type[k])));
    const struct enrolment *e = &log.enrolment;
    paging_link(request, &page);
    reply_json(request, 200,
               json_pack("{s:I, s:{s:I, s:s}, s:s, s:s, s:b, s:o, s:{s:o, s:o, s:o}}", "enrolment_id",
                         (json_int_t)e->id, "participant", "id", (json_int_t)e->participant_id, "name",
                         e->participant_name, "target", e->target, "state", enrolment_state_name(e->state), "read_only",
                         log.read_only, "activities", entries, "totals", "hours", hours_json(log.total_quarter_hours),
                         "by_module", modules, "by_type", types));
}

/* Reads an entry's fields; false after replying 422 when one has the wrong type. */
static bool read_input(struct request *request, json_t *body, struct activity_input *in)
{
    memset(in, 0, sizeof(*in));
    struct errors errors = ERRORS_INIT;
    static const char *const strings[] = {"module", "type", "done_on", "reflection"};
    const char **targets[] = {&in->module, &in->type, &in->done_on, &in->reflection};
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
        json_t *v = json_object_get(body, strings[i]);
        if (v == NULL || json_is_null(v))
            continue;
        if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
            errors_add(&errors, strings[i], "Must be a string");
        else
            *targets[i] = json_string_value(v);
    }
    json_t *hours = json_object_get(body, "hours");
    if (hours != NULL && !json_is_null(hours)) {
        if (!json_is_number(hours))
            errors_add(&errors, "hours", "Give the hours as a number in quarter hours, like 1.5");
        else {
            in->hours = json_number_value(hours);
            in->has_hours = true;
        }
    }
    bool ok = errors.count == 0;
    if (!ok)
        api_reply_invalid(request, &errors);
    errors_free(&errors);
    return ok;
}

void api_activities_create(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    const struct catalogue *catalogue = api_catalogue(request);
    struct activity_input in;
    if (catalogue == NULL || !read_input(request, body, &in)) {
        json_decref(body);
        return;
    }
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct activity a;
    enum app_result r = activities_add(&env, catalogue, request->caller, request_param_id(request, 0), &in,
                                       request_arena(request), &a, &errors);
    if (r == APP_OK)
        reply_json(request, 201, activity_json(catalogue, &a));
    else
        api_reply_result(request, r, &errors, "enrolment");
    errors_free(&errors);
    json_decref(body);
}

void api_activity_update(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    const struct catalogue *catalogue = api_catalogue(request);
    struct activity_input in;
    if (catalogue == NULL || !read_input(request, body, &in)) {
        json_decref(body);
        return;
    }
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct activity a;
    int64_t activity_id = request_param_id(request, 1);
    enum app_result r = activity_id > 0
                            ? activities_change(&env, catalogue, request->caller, request_param_id(request, 0),
                                                activity_id, &in, request_arena(request), &a, &errors)
                            : APP_NOT_FOUND;
    if (r == APP_OK)
        reply_json(request, 200, activity_json(catalogue, &a));
    else
        api_reply_result(request, r, &errors, "entry in this learning log");
    errors_free(&errors);
    json_decref(body);
}

void api_activity_delete(struct request *request)
{
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t activity_id = request_param_id(request, 1);
    enum app_result r =
        activity_id > 0 ? activities_remove(&env, request->caller, request_param_id(request, 0), activity_id, &errors)
                        : APP_NOT_FOUND;
    if (r == APP_OK)
        reply_body(request, 204, "text/plain; charset=utf-8", "", 0);
    else
        api_reply_result(request, r, &errors, "entry in this learning log");
    errors_free(&errors);
}

void api_activity_verify(struct request *request)
{
    const struct catalogue *catalogue = api_catalogue(request);
    if (catalogue == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t enrolment_id = request_param_id(request, 0), activity_id = request_param_id(request, 1);
    enum app_result r =
        activity_id > 0 ? activities_verify(&env, request->caller, enrolment_id, activity_id, &errors) : APP_NOT_FOUND;
    struct activity a;
    if (r == APP_OK)
        r = store_activity_get(request->store, enrolment_id, activity_id, request_arena(request), &a) == STORE_OK
                ? APP_OK
                : APP_UNAVAILABLE;
    if (r == APP_OK)
        reply_json(request, 200, activity_json(catalogue, &a));
    else
        api_reply_result(request, r, &errors, "entry in this learning log");
    errors_free(&errors);
}
