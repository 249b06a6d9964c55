/*
 * An enrolment's progress: the store's facts judged by the domain's rules, for the page at
 * /enrolments/{id}/progress and for GET /api/v1/enrolments/{id}/progress, so both say the same.
 * Whoever may read the enrolment may read this (the policy decides before the call): what it
 * holds is statuses, counts, dates and released outcomes, never drafts, notes or marks.
 */
#ifndef NPQ_APP_PROGRESS_H
#define NPQ_APP_PROGRESS_H

#include "app/accounts.h"
#include "domain/progress.h"
#include "store/store.h"

struct progress_view_module {
    const struct progress_module_row *facts;
    struct progress_module judged;
};

struct progress_view {
    struct progress_facts_row facts;
    struct progress judged;
    struct progress_view_module *modules; /* facts.module_count of them */
    int modules_completed;
    int days_to_deadline; /* meaningful when facts.has_task */
};

/*
 * The progress of enrolment id at env->now under thresholds (the defaults when NULL). Reads only.
 * APP_NOT_FOUND when there is no such enrolment, APP_UNAVAILABLE when the database fails.
 * Everything in arena.
 */
enum app_result progress_read(const struct accounts_env *env, int64_t id, const struct progress_thresholds *thresholds,
                              struct arena *arena, struct progress_view *out);

#endif
