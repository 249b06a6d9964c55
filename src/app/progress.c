/*
 * An enrolment's progress: see progress.h. The store's facts are turned into the domain's here
 * (quarter hours into minutes, a deadline into days from today, submission states and outcomes
 * into what the rules know).
 */
#include "app/progress.h"

#include <string.h>

enum { DAY = 86400 };

static int days_until(int64_t deadline, int64_t now)
{
    /* Whole days, counted down: due later today is 0 days, due yesterday is -1. */
    int64_t today = now / DAY;
    int64_t due = deadline / DAY;
    return (int)(due - today);
}

static enum progress_result result_of(const char *outcome)
{
    if (strcmp(outcome, "pass") == 0)
        return PROGRESS_RESULT_PASS;
    if (strcmp(outcome, "fail") == 0)
        return PROGRESS_RESULT_FAIL;
    if (strcmp(outcome, "refer") == 0)
        return PROGRESS_RESULT_REFERRED;
    return PROGRESS_RESULT_NONE;
}

enum app_result progress_read(const struct accounts_env *env, int64_t id, const struct progress_thresholds *thresholds,
                              struct arena *arena, struct progress_view *out)
{
    memset(out, 0, sizeof(*out));
    struct progress_thresholds defaults = progress_thresholds_default();
    if (thresholds == NULL)
        thresholds = &defaults;
    enum store_status status = store_progress_facts(env->store, id, env->now, arena, &out->facts);
    if (status != STORE_OK)
        return app_result_of_store(status);
    size_t n = out->facts.module_count;
    struct progress_module_facts *modules = arena_alloc(arena, sizeof(*modules) * (n > 0 ? n : 1));
    struct progress_module *judged = arena_alloc(arena, sizeof(*judged) * (n > 0 ? n : 1));
    for (size_t i = 0; i < n; i++) {
        const struct progress_module_row *m = &out->facts.modules[i];
        modules[i] = (struct progress_module_facts){.code = m->code,
                                                    .title = m->title,
                                                    .completed = m->completed,
                                                    .events_held = m->events_held,
                                                    .events_attended = m->events_attended,
                                                    .events_missed = m->events_missed,
                                                    .hours_logged = m->quarter_hours * 15,
                                                    .hours_cap = m->hours_cap * 60,
                                                    .events_all_held =
                                                        m->events_total > 0 && m->events_ended == m->events_total};
        if (m->completed)
            out->modules_completed++;
    }
    const char *s = out->facts.submission;
    out->days_to_deadline = out->facts.has_task ? days_until(out->facts.deadline, env->now) : 0;
    struct progress_facts facts = {
        .modules = modules,
        .module_count = n,
        .modules_required = (int)n,
        .coaching_held = out->facts.coaching_held,
        .has_deadline = out->facts.has_task,
        .days_to_deadline = out->days_to_deadline,
        .draft_started = strcmp(s, "draft") == 0,
        .submitted = s[0] != '\0' && strcmp(s, "draft") != 0,
        .result = result_of(out->facts.outcome),
    };
    out->judged = progress_assess(&facts, thresholds, judged);
    if (strcmp(out->facts.state, "completed") == 0 && out->judged.status != PROGRESS_COMPLETE)
        out->judged.status = PROGRESS_COMPLETE;
    out->modules = arena_alloc(arena, sizeof(*out->modules) * (n > 0 ? n : 1));
    for (size_t i = 0; i < n; i++)
        out->modules[i] = (struct progress_view_module){&out->facts.modules[i], judged[i]};
    return APP_OK;
}
