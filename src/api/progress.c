/*
 * GET /api/v1/enrolments/{id}/progress: an enrolment's status and its reasons, per module and for
 * the whole, as the page shows them. The gate has already asked the policy whether the caller may
 * read the enrolment; what is returned holds no drafts, notes or marks (see app/progress.h).
 */
#include "api/api.h"
#include "app/progress.h"
#include "http/reply.h"

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
