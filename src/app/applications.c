#include "app/applications.h"

#include "lib/buf.h"
#include "lib/date.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum store_status applications_save_draft(const struct accounts_env *env, const struct catalogue *catalogue,
                                          struct application *a, struct errors *errors)
{
    size_t before = errors->count;
    const char *target = a->target ? a->target : "";
    if (a->kind == STUDY_QUALIFICATION) {
        const struct catalogue_qualification *q = catalogue_qualification_find(catalogue, target, strlen(target));
        if (q == NULL)
            errors_add(errors, "target", "Choose a qualification to apply for.");
        else
            a->target = q->code; /* stored as the catalogue spells it */
    } else {
        const struct catalogue_module *m = catalogue_module_find(catalogue, target, strlen(target));
        if (m == NULL)
            errors_add(errors, "target", "Choose a module to study.");
        else
            a->target = m->code;
    }
    /* Electives are kept as the catalogue spells them, however they were typed. */
    for (size_t i = 0; i < a->elective_count; i++) {
        const struct catalogue_module *m = catalogue_module_find(catalogue, a->electives[i], strlen(a->electives[i]));
        if (m != NULL)
            a->electives[i] = m->code;
    }
    if (a->sponsor_id != 0 && a->sponsor_id == a->participant_id)
        errors_add(errors, "sponsor_id", "Your sponsor must be someone else, such as your headteacher.");
    if (errors->count != before)
        return STORE_CONFLICT;
    enum store_status status = a->id == 0 ? store_application_create(env->store, env->actor, a, env->now)
                                          : store_application_update(env->store, env->actor, a, env->now);
    if (status == STORE_NOT_FOUND)
        errors_add(errors, "sponsor_id", "The sponsor, school or delivery partner named does not exist.");
    else if (status == STORE_CONFLICT)
        errors_add(errors, "state", "Only a draft application can be changed.");
    return status;
}

/* Queues the email asking the sponsor to decide. */
static enum store_status email_sponsor(const struct accounts_env *env, const struct catalogue *catalogue,
                                       const struct application *a)
{
    const char *what = a->target;
    if (a->kind == STUDY_QUALIFICATION) {
        const struct catalogue_qualification *q = catalogue_qualification_find(catalogue, a->target, strlen(a->target));
        what = q ? q->title : a->target;
    } else {
        const struct catalogue_module *m = catalogue_module_find(catalogue, a->target, strlen(a->target));
        what = m ? m->title : a->target;
    }
    struct buf body;
    buf_init(&body, 16 * 1024);
    buf_appendf(&body,
                "Dear %s,\n\n%s has applied for the %s and has named you as the headteacher or sponsor who must "
                "approve the application.\n\nFunding: %s\nDelivery: %s\n\nPlease approve or decline it here (you "
                "will be asked to sign in):\n\n%s/applications/%lld\n",
                a->sponsor_name ? a->sponsor_name : "", a->participant_name, what, funding_route_title(a->funding),
                delivery_model_title(a->delivery_model), env->base_url, (long long)a->id);
    enum store_status status =
        store_mail_enqueue(env->store, a->sponsor_email, "An NPQ application needs your approval", body.data, env->now);
    buf_free(&body);
    return status;
}

/* The rules a submission must meet, beyond the state machine. */
static void check_submission(const struct accounts_env *env, const struct catalogue *catalogue,
                             const struct application *a, struct arena *arena, struct errors *errors)
{
    struct application_choice choice = {
        .kind = a->kind,
        .target = a->target,
        .electives = a->electives,
        .elective_count = a->elective_count,
        .funding = a->funding,
        .scholarship_eligibility = a->scholarship_eligibility,
        .has_sponsor = a->sponsor_id != 0,
    };
    application_check(catalogue, &choice, errors);
    struct enrolment *existing;
    size_t count;
    if (store_enrolment_list_for(env->store, a->participant_id, arena, &existing, &count) == STORE_OK) {
        struct enrolment_summary summaries[64];
        size_t n = 0;
        for (size_t i = 0; i < count && n < 64; i++)
            summaries[n++] = (struct enrolment_summary){existing[i].kind, existing[i].target, existing[i].state};
        enrolment_check_unique(summaries, n, a->kind, a->target, errors);
    }
}

/* Creates the enrolment an accepted application leads to. */
static enum store_status enrol(const struct accounts_env *env, const struct application *a, int64_t cohort_id,
                               struct arena *arena, struct errors *errors)
{
    struct cohort cohort;
    enum store_status status =
        cohort_id > 0 ? store_cohort_get(env->store, cohort_id, arena, &cohort) : STORE_NOT_FOUND;
    if (status == STORE_NOT_FOUND) {
        errors_add(errors, "cohort_id", "Choose the cohort to enrol the participant in.");
        return STORE_CONFLICT;
    }
    if (status != STORE_OK)
        return status;
    if (cohort.kind != a->kind || strcasecmp(cohort.target, a->target) != 0) {
        errors_add(errors, "cohort_id", "Cohort %s is for %s, not %s.", cohort.code, cohort.target, a->target);
        return STORE_CONFLICT;
    }
    struct enrolment e = {
        .participant_id = a->participant_id,
        .application_id = a->id,
        .kind = a->kind,
        .target = a->target,
        .cohort_id = cohort_id,
        .delivery_model = a->delivery_model,
        .funding = a->funding,
        .scholarship_eligibility = a->scholarship_eligibility,
        .school_id = a->school_id,
        .electives = a->electives,
        .elective_count = a->elective_count,
    };
    status = store_enrolment_create(env->store, env->actor, &e, env->now);
    if (status == STORE_CONFLICT)
        errors_add(errors, "target", "%s is already enrolled on the %s. A qualification is studied once at a time.",
                   a->participant_name, a->target);
    if (status == STORE_OK)
        status = store_application_set_enrolment(env->store, a->id, e.id);
    return status;
}

enum store_status applications_step(const struct accounts_env *env, const struct catalogue *catalogue,
                                    const struct caller *caller, int64_t id, enum application_step step,
                                    const char *reason, int64_t cohort_id, bool *refused_by_policy,
                                    struct errors *errors)
{
    *refused_by_policy = false;
    struct arena arena = ARENA_INIT;
    struct application a;
    enum store_status status = store_application_get(env->store, id, &arena, &a);
    struct relation relation;
    if (status == STORE_OK)
        status = store_relation(env->store, caller, RESOURCE_APPLICATION, id, &relation);
    if (status == STORE_OK && !policy_application_step(step, caller, &relation)) {
        *refused_by_policy = true;
        errors_add(errors, "step", "You cannot %s this application.", application_step_name(step));
        status = STORE_CONFLICT;
    }
    enum application_state next;
    if (status == STORE_OK && !application_step_next(a.state, step, reason, &next, errors))
        status = STORE_CONFLICT;
    size_t before = errors->count;
    if (status == STORE_OK && step == STEP_SUBMIT) {
        check_submission(env, catalogue, &a, &arena, errors);
        if (errors->count != before)
            status = STORE_CONFLICT;
    }
    if (status == STORE_OK)
        status = store_begin(env->store);
    if (status == STORE_OK) {
        status = store_application_transition(env->store, env->actor, id, a.state, next, application_step_name(step),
                                              reason, env->now);
        if (status == STORE_CONFLICT)
            errors_add(errors, "state",
                       "Someone else changed this application at the same time. Reload it and try again.");
        if (status == STORE_OK && step == STEP_SUBMIT && a.sponsor_email != NULL)
            status = email_sponsor(env, catalogue, &a);
        if (status == STORE_OK && step == STEP_ENROL)
            status = enrol(env, &a, cohort_id, &arena, errors);
        if (status == STORE_OK)
            status = store_commit(env->store);
        store_rollback(env->store); /* ends the transaction after any failure above */
    }
    arena_release(&arena);
    return status;
}

/* A participant resumes in a later cohort of the same qualification or module. */
static bool resume_cohort_ok(const struct accounts_env *env, const struct enrolment *e, const struct cohort *to,
                             struct arena *arena, struct errors *errors)
{
    if (to->kind != e->kind || strcasecmp(to->target, e->target) != 0) {
        errors_add(errors, "cohort_id", "Cohort %s is for %s, not %s.", to->code, to->target, e->target);
        return false;
    }
    struct cohort from;
    if (e->cohort_id > 0 && store_cohort_get(env->store, e->cohort_id, arena, &from) == STORE_OK &&
        (to->id == from.id || strcmp(to->starts_on, from.starts_on) <= 0)) {
        errors_add(errors, "cohort_id",
                   "Choose a later cohort than the one the participant deferred from (%s, which began on %s).",
                   from.code, from.starts_on);
        return false;
    }
    return true;
}

enum store_status enrolments_step(const struct accounts_env *env, int64_t id, enum enrolment_step step,
                                  const char *reason, const char *expected_return, int64_t cohort_id,
                                  struct errors *errors)
{
    struct arena arena = ARENA_INIT;
    struct enrolment e;
    enum store_status status = store_enrolment_get(env->store, id, &arena, &e);
    char today[DATE_TEXT];
    date_of(env->now, today);
    struct cohort cohort;
    bool has_cohort = status == STORE_OK && step == ENROLMENT_RESUME && cohort_id > 0 &&
                      store_cohort_get(env->store, cohort_id, &arena, &cohort) == STORE_OK;
    /* The state first: resuming what is not deferred is out of order, whatever the cohort. */
    enum enrolment_state next;
    if (status == STORE_OK &&
        !enrolment_step_next(e.state, step, reason, expected_return, has_cohort, today, &next, errors))
        status = STORE_CONFLICT;
    if (status == STORE_OK && has_cohort && !resume_cohort_ok(env, &e, &cohort, &arena, errors))
        status = STORE_CONFLICT;
    if (status == STORE_OK) {
        struct enrolment_change change = {
            .from = e.state,
            .to = next,
            .step = enrolment_step_name(step),
            .reason = reason,
            .expected_return = expected_return,
            .cohort_id = step == ENROLMENT_RESUME ? cohort_id : 0,
        };
        status = store_enrolment_transition(env->store, env->actor, id, &change, env->now);
        if (status == STORE_CONFLICT)
            errors_add(errors, "state",
                       "Someone else changed this enrolment at the same time. Reload it and try again.");
    }
    arena_release(&arena);
    return status;
}

enum store_status pathways_for(const struct accounts_env *env, const struct catalogue *catalogue,
                               int64_t participant_id, struct arena *arena, struct participant_pathway *out)
{
    memset(out, 0, sizeof(*out));
    enum store_status status =
        store_completions(env->store, participant_id, arena, &out->completed, &out->completed_count);
    if (status == STORE_OK)
        status = store_enrolment_list_for(env->store, participant_id, arena, &out->enrolments, &out->enrolment_count);
    if (status != STORE_OK)
        return status;
    out->pathways = arena_alloc(arena, sizeof(*out->pathways) * (catalogue->qualification_count + 1));
    for (size_t i = 0; i < catalogue->qualification_count; i++)
        pathway_compute(catalogue, &catalogue->qualifications[i], out->completed, out->completed_count, arena,
                        &out->pathways[out->pathway_count++]);
    return STORE_OK;
}
