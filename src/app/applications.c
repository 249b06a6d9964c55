#include "app/applications.h"

#include "app/progress.h"
#include "app/dfe_sync.h"

#include "lib/buf.h"
#include "lib/date.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* The one-at-a-time rule: nobody applies for what they are already enrolled on (active or
 * deferred). Without their enrolments the rule cannot be checked, so nothing goes ahead. */
static enum app_result check_not_enrolled(const struct accounts_env *env, const struct application *a,
                                          struct arena *arena, struct errors *errors)
{
    struct enrolment *existing;
    size_t count;
    if (store_enrolment_list_for(env->store, a->participant_id, arena, &existing, &count) != STORE_OK)
        return APP_UNAVAILABLE;
    struct enrolment_summary *summaries = arena_alloc(arena, sizeof(*summaries) * (count + 1));
    for (size_t i = 0; i < count; i++)
        summaries[i] = (struct enrolment_summary){existing[i].kind, existing[i].target, existing[i].state};
    enrolment_check_unique(summaries, count, a->kind, a->target, errors);
    return APP_OK;
}

enum app_result applications_save_draft(const struct accounts_env *env, const struct catalogue *catalogue,
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
    if (a->sponsor_id != 0 && a->sponsor_id == a->participant_id) {
        errors_add(errors, "sponsor_id", "Your sponsor must be someone else, such as your headteacher.");
    } else if (a->sponsor_id != 0) {
        /* Anyone else is refused as if they did not exist: a sponsor's id is no way to learn who
         * has an account, and being named gives nobody the approval. */
        struct arena arena = ARENA_INIT;
        struct user sponsor;
        enum store_status status = store_user_get(env->store, a->sponsor_id, &arena, &sponsor);
        bool eligible = status == STORE_OK && policy_may_sponsor(&sponsor, a->school_id);
        arena_release(&arena);
        if (status == STORE_ERROR)
            return APP_UNAVAILABLE;
        if (!eligible)
            errors_add(errors, "sponsor_id",
                       a->school_id == 0 ? "Give your school first: your sponsor is its headteacher."
                                         : "The sponsor named does not exist, or is not the headteacher of your "
                                           "school or a provider administrator.");
    }
    /* What is given in the DfE's terms must be right from the first draft; what is missing is
     * for submission to refuse. */
    char today[DATE_TEXT];
    date_of(env->now, today);
    dfe_application_check(&a->dfe, NULL, false, today, errors);
    if (a->id == 0 && errors->count == before) { /* a new draft for what they study already is a dead end */
        struct arena arena = ARENA_INIT;
        enum app_result result = check_not_enrolled(env, a, &arena, errors);
        arena_release(&arena);
        if (result != APP_OK)
            return result;
    }
    if (errors->count != before)
        return APP_INVALID;
    enum store_status status = a->id == 0 ? store_application_create(env->store, env->actor, a, env->now)
                                          : store_application_update(env->store, env->actor, a, env->now);
    if (status == STORE_NOT_FOUND) {
        errors_add(errors, "sponsor_id", "The sponsor, school or delivery partner named does not exist.");
        return APP_INVALID;
    }
    if (status == STORE_CONFLICT)
        errors_add(errors, "state", "Only a draft application can be changed.");
    return app_result_of_store(status);
}

/* Queues one email, refusing to send one cut short. */
static enum app_result email(const struct accounts_env *env, const char *to, const char *subject, struct buf *body)
{
    enum app_result result =
        buf_failed(body) ? app_broken("an email outgrew its buffer")
                         : app_result_of_store(store_mail_enqueue(env->store, to, subject, body->data, env->now));
    buf_free(body);
    return result;
}

/* Tells the applicant what a step by someone else did to their application, and what comes next. */
static enum app_result email_applicant(const struct accounts_env *env, const struct catalogue *catalogue,
                                       const struct application *a, enum application_step step, const char *reason,
                                       const struct cohort *cohort)
{
    if (a->participant_email == NULL || (env->actor != NULL && env->actor->user_id == a->participant_id))
        return APP_OK; /* nobody to tell, or they did it themselves */
    const char *what = study_title(catalogue, a->kind, a->target);
    const char *subject = NULL;
    struct buf body;
    buf_init(&body, 16 * 1024);
    buf_appendf(&body, "Dear %s,\n\n", a->participant_name ? a->participant_name : "");
    switch (step) {
    case STEP_SUBMIT:
        subject = "Your NPQ application has been sent";
        buf_appendf(&body, "Your application for the %s has been sent%s%s for approval.\n", what,
                    a->sponsor_name ? " to " : "", a->sponsor_name ? a->sponsor_name : "");
        break;
    case STEP_APPROVE:
        subject = "Your NPQ application has been approved by your sponsor";
        buf_appendf(&body,
                    "%s has approved your application for the %s. The provider will now decide on it, and we will "
                    "email you when they have.\n",
                    a->sponsor_name ? a->sponsor_name : "Your sponsor", what);
        break;
    case STEP_DECLINE:
        subject = "Your NPQ application was not approved by your sponsor";
        buf_appendf(&body, "%s did not approve your application for the %s.\n\nTheir reason: %s\n",
                    a->sponsor_name ? a->sponsor_name : "Your sponsor", what, reason ? reason : "");
        break;
    case STEP_ACCEPT:
        subject = "Your NPQ application has been accepted";
        buf_appendf(&body,
                    "Your application for the %s has been accepted. We will email you again when you have a place "
                    "in a cohort.\n",
                    what);
        break;
    case STEP_REJECT:
        subject = "Your NPQ application was not accepted";
        buf_appendf(&body, "Your application for the %s was not accepted.\n\nThe reason: %s\n", what,
                    reason ? reason : "");
        break;
    case STEP_ENROL:
        subject = "You have a place on your NPQ";
        buf_appendf(&body, "You are enrolled on the %s in cohort %s", what, cohort ? cohort->code : "");
        if (cohort != NULL && cohort->delivery_partner_name != NULL)
            buf_appendf(&body, ", run by %s", cohort->delivery_partner_name);
        if (cohort != NULL && cohort->starts_on != NULL) {
            char day[DATE_HUMAN_TEXT];
            date_format_day(cohort->starts_on, false, day, sizeof(day));
            buf_appendf(&body, ", starting on %s", day);
        }
        buf_appendf(&body, ".\n\nYour events, hours and work are on your home page:\n\n%s/\n", env->base_url);
        break;
    case APPLICATION_STEP_COUNT: break;
    }
    if (step != STEP_ENROL)
        buf_appendf(&body, "\nSee your application (you will be asked to sign in):\n\n%s/applications/%lld\n",
                    env->base_url, (long long)a->id);
    return email(env, a->participant_email, subject, &body);
}

/* Queues the email asking the sponsor to decide. */
static enum app_result email_sponsor(const struct accounts_env *env, const struct catalogue *catalogue,
                                     const struct application *a)
{
    const char *what = study_title(catalogue, a->kind, a->target);
    struct buf body;
    buf_init(&body, 16 * 1024);
    buf_appendf(&body,
                "Dear %s,\n\n%s has applied for the %s and has named you as the headteacher or sponsor who must "
                "approve the application.\n\nFunding: %s\nDelivery: %s\n\nPlease approve or decline it here (you "
                "will be asked to sign in):\n\n%s/applications/%lld\n",
                a->sponsor_name ? a->sponsor_name : "", a->participant_name, what, funding_route_title(a->funding),
                delivery_model_title(a->delivery_model), env->base_url, (long long)a->id);
    return email(env, a->sponsor_email, "An NPQ application needs your approval", &body);
}

/* The DfE course an application is for, or NULL when the DfE does not fund it. */
static const struct dfe_course *application_dfe_course(const struct catalogue *catalogue, const struct application *a)
{
    if (a->kind != STUDY_QUALIFICATION)
        return NULL;
    const struct catalogue_qualification *q = catalogue_qualification_find(catalogue, a->target, strlen(a->target));
    return q != NULL ? dfe_course_find(q->dfe_course) : NULL;
}

/* The rules a submission must meet, beyond the state machine: APP_INVALID with errors when it
 * does not meet them. */
static enum app_result check_submission(const struct accounts_env *env, const struct catalogue *catalogue,
                                        const struct application *a, struct arena *arena, struct errors *errors)
{
    size_t before = errors->count;
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
    char today[DATE_TEXT];
    date_of(env->now, today);
    dfe_application_check(&a->dfe, application_dfe_course(catalogue, a), true, today, errors);
    enum app_result result = check_not_enrolled(env, a, arena, errors);
    return result != APP_OK ? result : errors->count != before ? APP_INVALID : APP_OK;
}

/* Creates the enrolment an accepted application leads to, in the cohort named (read into cohort):
 * APP_INVALID when it does not fit or the participant is enrolled already. */
static enum app_result enrol(const struct accounts_env *env, const struct application *a, int64_t cohort_id,
                             struct arena *arena, struct cohort *cohort, struct errors *errors)
{
    enum store_status status = cohort_id > 0 ? store_cohort_get(env->store, cohort_id, arena, cohort) : STORE_NOT_FOUND;
    if (status == STORE_NOT_FOUND) {
        errors_add(errors, "cohort_id", "Choose the cohort to enrol the participant in.");
        return APP_INVALID;
    }
    if (status != STORE_OK)
        return app_result_of_store(status);
    if (cohort->kind != a->kind || strcasecmp(cohort->target, a->target) != 0) {
        errors_add(errors, "cohort_id", "Cohort %s is for %s, not %s.", cohort->code, cohort->target, a->target);
        return APP_INVALID;
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
    if (status == STORE_CONFLICT) {
        errors_add(errors, "target", "%s is already enrolled on the %s. A qualification is studied once at a time.",
                   a->participant_name, a->target);
        return APP_INVALID;
    }
    if (status == STORE_OK)
        status = store_application_set_enrolment(env->store, a->id, e.id);
    if (status != STORE_OK)
        return app_result_of_store(status);
    return progress_refresh(env, e.id); /* kept from the first day */
}

enum app_result applications_step(const struct accounts_env *env, const struct catalogue *catalogue,
                                  const struct caller *caller, int64_t id, enum application_step step,
                                  const char *reason, const char *reason_code, int64_t cohort_id, struct errors *errors)
{
    struct arena arena = ARENA_INIT;
    struct application a;
    enum app_result result = app_result_of_store(store_application_get(env->store, id, &arena, &a));
    struct relation relation;
    if (result == APP_OK)
        result = app_result_of_store(store_relation(env->store, caller, RESOURCE_APPLICATION, id, &relation));
    if (result == APP_OK && !policy_application_step(step, caller, &relation)) {
        errors_add(errors, "step", "You cannot %s this application.", application_step_name(step));
        result = APP_FORBIDDEN;
    }
    /* Out of order is the application's state refusing (409); a missing reason is the request's (422). */
    if (result == APP_OK && !application_step_allowed(a.state, step, errors))
        result = APP_CONFLICT;
    enum application_state next;
    if (result == APP_OK && !application_step_next(a.state, step, reason, &next, errors))
        result = APP_INVALID;
    /* A rejection of a DfE course carries the DfE's code beside the note; no other step has one. */
    if (result == APP_OK && step == STEP_REJECT &&
        !dfe_reason_code_check(&dfe_rejection_reasons, reason_code, application_dfe_course(catalogue, &a) != NULL,
                               errors))
        result = APP_INVALID;
    if (result == APP_OK && step != STEP_REJECT && reason_code != NULL && *reason_code != '\0') {
        errors_add(errors, "reason_code", "Only a rejection takes a DfE reason code.");
        result = APP_INVALID;
    }
    if (result == APP_OK && step == STEP_SUBMIT)
        result = check_submission(env, catalogue, &a, &arena, errors);
    if (result == APP_OK)
        result = app_result_of_store(store_begin(env->store));
    if (result == APP_OK) {
        result = app_result_of_store(store_application_transition(
            env->store, env->actor, id, a.state, next, application_step_name(step), reason, reason_code, env->now));
        if (result == APP_CONFLICT)
            errors_add(errors, "state",
                       "Someone else changed this application at the same time. Reload it and try again.");
        if (result == APP_OK && step == STEP_SUBMIT && a.sponsor_email != NULL)
            result = email_sponsor(env, catalogue, &a);
        struct cohort cohort = {0};
        if (result == APP_OK && step == STEP_ENROL)
            result = enrol(env, &a, cohort_id, &arena, &cohort, errors);
        if (result == APP_OK)
            result = email_applicant(env, catalogue, &a, step, reason, step == STEP_ENROL ? &cohort : NULL);
        /* The DfE hears of the provider's decision through the sync's outbox, with the decision. */
        const struct dfe_course *course = application_dfe_course(catalogue, &a);
        if (result == APP_OK && course != NULL && (step == STEP_ACCEPT || step == STEP_REJECT))
            result = dfe_tell_application_step(env->store, a.participant_email, course->identifier,
                                               step == STEP_ACCEPT ? "accept" : "reject", env->now);
        result = app_transaction_end(env->store, result);
    }
    arena_release(&arena);
    return result;
}

/* Tells the participant that someone else deferred, resumed or withdrew their enrolment. */
static enum app_result email_enrolment_step(const struct accounts_env *env, const struct enrolment *e,
                                            enum enrolment_step step, const char *reason, const char *expected_return,
                                            const struct cohort *cohort, struct arena *arena)
{
    if (step == ENROLMENT_COMPLETE || (env->actor != NULL && env->actor->user_id == e->participant_id))
        return APP_OK; /* completion has its own email with the award */
    struct user person;
    enum app_result result = app_result_of_store(store_user_get(env->store, e->participant_id, arena, &person));
    if (result != APP_OK)
        return result;
    const char *subject = "Your NPQ enrolment has changed";
    struct buf body;
    buf_init(&body, 16 * 1024);
    buf_appendf(&body, "Dear %s,\n\n", person.name);
    if (step == ENROLMENT_DEFER) {
        char day[DATE_HUMAN_TEXT];
        date_format_day(expected_return ? expected_return : "", false, day, sizeof(day));
        subject = "Your NPQ has been deferred";
        buf_appendf(&body,
                    "Your %s enrolment has been deferred: you are expected back on %s. Your places at coming events "
                    "have been given up, and your completed modules and hours are kept.\n\nThe reason: %s\n",
                    e->target, day, reason ? reason : "");
    } else if (step == ENROLMENT_WITHDRAW) {
        subject = "You have been withdrawn from your NPQ";
        buf_appendf(&body,
                    "Your %s enrolment has been withdrawn. Your completed modules are kept and count if you study "
                    "again.\n\nThe reason: %s\n",
                    e->target, reason ? reason : "");
    } else {
        subject = "Your NPQ has resumed";
        buf_appendf(&body, "Your %s enrolment has resumed%s%s.\n", e->target, cohort ? " in cohort " : "",
                    cohort ? cohort->code : "");
    }
    buf_appendf(&body, "\nSee your enrolment (you will be asked to sign in):\n\n%s/enrolments/%lld\n", env->base_url,
                (long long)e->id);
    return email(env, person.email, subject, &body);
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

/* The DfE course an enrolment is on, or NULL. */
static const struct dfe_course *enrolment_dfe_course(const struct catalogue *catalogue, const struct enrolment *e)
{
    if (catalogue == NULL || e->kind != STUDY_QUALIFICATION)
        return NULL;
    const struct catalogue_qualification *q = catalogue_qualification_find(catalogue, e->target, strlen(e->target));
    return q != NULL ? dfe_course_find(q->dfe_course) : NULL;
}

/* The DfE's reasons for a step of an enrolment: deferring and withdrawing have lists, nothing
 * else takes a code. */
static bool enrolment_reason_code_ok(enum enrolment_step step, const char *code, bool dfe, struct errors *errors)
{
    if (step == ENROLMENT_DEFER)
        return dfe_reason_code_check(&dfe_deferral_reasons, code, dfe, errors);
    if (step == ENROLMENT_WITHDRAW)
        return dfe_reason_code_check(&dfe_withdrawal_reasons, code, dfe, errors);
    if (code != NULL && *code != '\0') {
        errors_add(errors, "reason_code", "Only deferring and withdrawing take a DfE reason code.");
        return false;
    }
    return true;
}

enum app_result enrolments_step(const struct accounts_env *env, const struct catalogue *catalogue,
                                const struct caller *caller, int64_t id, enum enrolment_step step, const char *reason,
                                const char *reason_code, const char *expected_return, int64_t cohort_id,
                                struct errors *errors)
{
    struct arena arena = ARENA_INIT;
    struct enrolment e;
    enum store_status status = store_enrolment_get(env->store, id, &arena, &e);
    enum app_result result = app_result_of_store(status);
    char today[DATE_TEXT];
    date_of(env->now, today);
    struct cohort cohort;
    bool has_cohort = false;
    if (result == APP_OK && step == ENROLMENT_RESUME && cohort_id > 0) {
        /* A cohort the caller may not enrol people in is no cohort to them (a partner lead
         * resumes their participant only into their own partner's cohorts). */
        struct relation to;
        status = store_relation(env->store, caller, RESOURCE_COHORT, cohort_id, &to);
        if (status == STORE_OK && policy_allows(PERM_ENROLMENTS_MANAGE, caller, RESOURCE_COHORT, &to)) {
            status = store_cohort_get(env->store, cohort_id, &arena, &cohort);
            has_cohort = status == STORE_OK;
        }
        if (status == STORE_ERROR)
            result = APP_UNAVAILABLE;
    }
    /* The state first: resuming what is not deferred is out of order (409), whatever the cohort. */
    if (result == APP_OK && !enrolment_step_allowed(e.state, step, errors))
        result = APP_CONFLICT;
    enum enrolment_state next;
    if (result == APP_OK &&
        !enrolment_step_next(e.state, step, reason, expected_return, has_cohort, today, &next, errors))
        result = APP_INVALID;
    if (result == APP_OK && has_cohort && !resume_cohort_ok(env, &e, &cohort, &arena, errors))
        result = APP_INVALID;
    if (result == APP_OK &&
        !enrolment_reason_code_ok(step, reason_code, enrolment_dfe_course(catalogue, &e) != NULL, errors))
        result = APP_INVALID;
    if (result == APP_OK) {
        struct enrolment_change change = {
            .from = e.state,
            .to = next,
            .step = enrolment_step_name(step),
            .reason = reason,
            .reason_code = reason_code,
            .expected_return = expected_return,
            .cohort_id = step == ENROLMENT_RESUME ? cohort_id : 0,
        };
        result = app_result_of_store(store_begin(env->store));
        if (result == APP_OK)
            result = app_result_of_store(store_enrolment_transition(env->store, env->actor, id, &change, env->now));
        if (result == APP_OK && enrolment_state_gives_up_places(next))
            result = app_result_of_store(store_enrolment_bookings_release(env->store, id, env->now));
        if (result == APP_OK)
            result = progress_refresh(env, id);
        if (result == APP_OK)
            result = email_enrolment_step(env, &e, step, reason, expected_return, has_cohort ? &cohort : NULL, &arena);
        /* The DfE hears of a withdrawal, a deferral or a return through the sync's outbox, queued
         * with the step itself so neither happens without the other. */
        static const char *const dfe_steps[] = {
            [ENROLMENT_DEFER] = "defer", [ENROLMENT_RESUME] = "resume", [ENROLMENT_WITHDRAW] = "withdraw"};
        if (result == APP_OK && step != ENROLMENT_COMPLETE && enrolment_dfe_course(catalogue, &e) != NULL)
            result = dfe_tell_participant_step(env->store, id, dfe_steps[step], reason_code, NULL, env->now);
        result = app_transaction_end(env->store, result);
        if (result == APP_CONFLICT)
            errors_add(errors, "state",
                       "Someone else changed this enrolment at the same time. Reload it and try again.");
    }
    arena_release(&arena);
    return result;
}

enum app_result enrolments_change_schedule(const struct accounts_env *env, const struct catalogue *catalogue,
                                           int64_t id, const char *identifier, int cohort, struct errors *errors)
{
    struct arena arena = ARENA_INIT;
    struct enrolment e;
    enum app_result result = app_result_of_store(store_enrolment_get(env->store, id, &arena, &e));
    const struct dfe_course *course = result == APP_OK ? enrolment_dfe_course(catalogue, &e) : NULL;
    if (result == APP_OK && course == NULL) {
        errors_add(errors, "schedule_identifier", "Only a course the DfE funds follows a DfE schedule.");
        result = APP_INVALID;
    }
    if (result == APP_OK && e.state != ENROLMENT_ACTIVE && e.state != ENROLMENT_DEFERRED) {
        errors_add(errors, "state", "A %s enrolment keeps the schedule it had.", enrolment_state_name(e.state));
        result = APP_CONFLICT;
    }
    const struct catalogue_schedule *to =
        result == APP_OK ? catalogue_schedule_find(catalogue, identifier ? identifier : "", cohort) : NULL;
    if (result == APP_OK && to == NULL) {
        errors_add(errors, "schedule_identifier", "Choose a schedule the catalogue has for that cohort.");
        result = APP_INVALID;
    }
    /* The declarations are read and the schedule written in one transaction, so a declaration
     * made meanwhile is either seen by the check or made after the change. */
    if (result == APP_OK) {
        result = app_result_of_store(store_begin(env->store));
        struct dfe_declaration_made *made = NULL;
        size_t made_count = 0;
        if (result == APP_OK)
            result = app_result_of_store(store_declarations_standing(env->store, id, &arena, &made, &made_count));
        if (result == APP_OK) {
            struct dfe_milestone *milestones = arena_alloc(&arena, sizeof(*milestones) * (to->milestone_count + 1));
            for (size_t i = 0; i < to->milestone_count; i++)
                milestones[i] = (struct dfe_milestone){to->milestones[i].declaration_type, to->milestones[i].start_date,
                                                       to->milestones[i].milestone_date};
            if (!dfe_schedule_change_allowed(course->course_group, to->course_group, milestones, to->milestone_count,
                                             made, made_count, errors))
                result = APP_INVALID;
        }
        if (result == APP_OK)
            result = app_result_of_store(
                store_enrolment_set_schedule(env->store, env->actor, id, to->identifier, to->cohort, env->now));
        if (result == APP_OK)
            result = dfe_tell_participant_step(env->store, id, "change-schedule", NULL, to->identifier, env->now);
        result = app_transaction_end(env->store, result);
        if (result == APP_CONFLICT)
            errors_add(errors, "state",
                       "Someone else changed this enrolment at the same time. Reload it and try again.");
    }
    arena_release(&arena);
    return result;
}

enum app_result declarations_for(const struct accounts_env *env, const struct catalogue *catalogue, int64_t id,
                                 struct arena *arena, struct participant_declarations *out)
{
    memset(out, 0, sizeof(*out));
    struct enrolment e;
    enum app_result result = app_result_of_store(store_enrolment_get(env->store, id, arena, &e));
    if (result == APP_OK)
        result = app_result_of_store(store_declarations_standing(env->store, id, arena, &out->made, &out->made_count));
    if (result != APP_OK || e.schedule_identifier == NULL)
        return result;
    out->schedule = catalogue_schedule_find(catalogue, e.schedule_identifier, e.schedule_cohort);
    if (out->schedule == NULL)
        return APP_OK;
    struct dfe_evidence *attended;
    size_t attended_count;
    result = app_result_of_store(store_declaration_evidence(env->store, id, arena, &attended, &attended_count));
    if (result != APP_OK)
        return result;
    const struct catalogue_schedule *s = out->schedule;
    struct dfe_milestone *milestones = arena_alloc(arena, sizeof(*milestones) * (s->milestone_count + 1));
    for (size_t i = 0; i < s->milestone_count; i++)
        milestones[i] = (struct dfe_milestone){s->milestones[i].declaration_type, s->milestones[i].start_date,
                                               s->milestones[i].milestone_date};
    char today[DATE_TEXT];
    date_of(env->now, today);
    /* The final result: an award is a pass, whatever was released before it (a re-mark, an
     * appeal); otherwise a released fail of the final assessment is a fail. */
    const char *completed_on = NULL, *evidence = "Awarded";
    bool passed = true;
    if (e.state == ENROLMENT_COMPLETED) {
        char *day = arena_alloc(arena, DATE_TEXT);
        date_of(e.updated_at, day);
        completed_on = day;
    } else {
        bool found, final_passed = false;
        const char *released_on = NULL, *title = NULL;
        result =
            app_result_of_store(store_final_result(env->store, id, arena, &found, &released_on, &title, &final_passed));
        if (result != APP_OK)
            return result;
        if (found && !final_passed) {
            completed_on = released_on;
            size_t n = strlen(title) + sizeof("Failed ");
            char *text = arena_alloc(arena, n);
            snprintf(text, n, "Failed %s", title);
            evidence = text;
            passed = false;
        }
    }
    out->due = arena_alloc(arena, sizeof(*out->due) * (s->milestone_count + 1));
    out->due_count = dfe_declarations_due(milestones, s->milestone_count, attended, attended_count, completed_on,
                                          evidence, passed, today, out->due);
    return APP_OK;
}

enum app_result pathways_for(const struct accounts_env *env, const struct catalogue *catalogue, int64_t participant_id,
                             struct arena *arena, struct participant_pathway *out)
{
    memset(out, 0, sizeof(*out));
    enum store_status status =
        store_completions(env->store, participant_id, arena, &out->completed, &out->completed_count);
    if (status == STORE_OK)
        status = store_enrolment_list_for(env->store, participant_id, arena, &out->enrolments, &out->enrolment_count);
    if (status != STORE_OK)
        return app_result_of_store(status);
    out->pathways = arena_alloc(arena, sizeof(*out->pathways) * (catalogue->qualification_count + 1));
    /* A pathway is of modules: a qualification with none (the DfE's 2021 suite) has no pathway to
     * walk, and "all modules complete" would say nothing true of it. */
    for (size_t i = 0; i < catalogue->qualification_count; i++) {
        const struct catalogue_rule *rule = &catalogue->qualifications[i].rule;
        if (rule->essential_count + rule->elective_from_count > 0)
            pathway_compute(catalogue, &catalogue->qualifications[i], out->completed, out->completed_count, arena,
                            &out->pathways[out->pathway_count++]);
    }
    return APP_OK;
}

/* The programme's running */

enum app_result completions_record(const struct accounts_env *env, const struct catalogue *catalogue,
                                   int64_t participant_id, const char *module, const char *completed_on,
                                   int64_t enrolment_id, const char *note, const char **title, struct errors *errors)
{
    const struct catalogue_module *m = module ? catalogue_module_find(catalogue, module, strlen(module)) : NULL;
    size_t before = errors->count;
    if (m == NULL)
        errors_add(errors, "module", "Choose a module from the catalogue");
    if (!date_is_valid(completed_on))
        errors_add(errors, "completed_on", "Enter the date the module was completed as YYYY-MM-DD, a day that exists");
    if (errors->count != before)
        return APP_INVALID;
    *title = m->title;
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    enum store_status s = store_completion_record(env->store, env->actor, participant_id, m->code, completed_on,
                                                  enrolment_id, note, env->now);
    if (s == STORE_CONFLICT)
        errors_add(errors, "module", "%s is already recorded as completed.", m->title);
    enum app_result result = app_result_of_store(s);
    /* A completed module counts in every enrolment of the participant that includes it. */
    if (result == APP_OK)
        result = progress_refresh_scope(env, PROGRESS_OF_PARTICIPANT, participant_id, NULL);
    return app_transaction_end(env->store, result);
}

enum app_result fees_set(const struct accounts_env *env, const struct catalogue *catalogue, const char *kind_text,
                         const char *code, int64_t amount_pence, const char **code_out, struct errors *errors)
{
    size_t before = errors->count;
    enum study_kind kind = STUDY_QUALIFICATION;
    if (kind_text == NULL || !study_kind_parse(kind_text, &kind))
        errors_add(errors, "kind", "Kind must be qualification or module");
    const char *canonical = NULL;
    if (code != NULL && kind == STUDY_QUALIFICATION) {
        const struct catalogue_qualification *q = catalogue_qualification_find(catalogue, code, strlen(code));
        canonical = q ? q->code : NULL;
    } else if (code != NULL) {
        const struct catalogue_module *m = catalogue_module_find(catalogue, code, strlen(code));
        canonical = m ? m->code : NULL;
    }
    if (canonical == NULL)
        errors_add(errors, "code", "Choose a qualification or module from the catalogue");
    if (amount_pence < -1 || amount_pence > FEE_MAX_PENCE)
        errors_add(errors, "amount_pence", "Give the fee in pence, from 0 to %d, or none for to be confirmed",
                   FEE_MAX_PENCE);
    if (errors->count != before)
        return APP_INVALID;
    *code_out = canonical;
    return app_result_of_store(store_fee_set(env->store, env->actor, kind, canonical, amount_pence, env->now));
}
