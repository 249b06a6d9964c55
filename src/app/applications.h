/*
 * Applications and enrolments as use cases: drafting and submitting an application, the sponsor's
 * and the provider's decisions (with the sponsor's email), enrolling in a cohort, deferring,
 * resuming and withdrawing, and a participant's pathway. Rules come from domain/enrolment.h and
 * domain/policy.h; these functions gather the facts, apply the rules and store the outcome.
 *
 * Results use enum store_status: STORE_OK; STORE_CONFLICT with errors when a rule refuses (the
 * API answers 409 for a step out of order, 422 for a bad answer); STORE_NOT_FOUND; STORE_ERROR.
 */
#ifndef NPQ_APP_APPLICATIONS_H
#define NPQ_APP_APPLICATIONS_H

#include "app/accounts.h"

/* Saves a draft (new when a->id is 0) after checking what can be checked of a draft: the
 * participant, sponsor and organisations exist, the target is in the catalogue. */
enum store_status applications_save_draft(const struct accounts_env *env, const struct catalogue *catalogue,
                                          struct application *a, struct errors *errors);

/*
 * Takes a step of an application as the caller: checks who may (policy_application_step),
 * whether the step may follow the current state, and for submit every rule of the application
 * (electives, sponsor, scholarship, no second live enrolment). Submitting emails the sponsor a link;
 * enrolling needs a cohort (cohort_id) of the same qualification and creates the enrolment.
 * *refused_by_policy is set when the caller may not take the step (the API answers 403).
 */
enum store_status applications_step(const struct accounts_env *env, const struct catalogue *catalogue,
                                    const struct caller *caller, int64_t id, enum application_step step,
                                    const char *reason, int64_t cohort_id, bool *refused_by_policy,
                                    struct errors *errors);

/* Defers, resumes (into cohort_id) or withdraws an enrolment. */
enum store_status enrolments_step(const struct accounts_env *env, int64_t id, enum enrolment_step step,
                                  const char *reason, const char *expected_return, int64_t cohort_id,
                                  struct errors *errors);

/* A participant's pathway: for each qualification, what is done and what remains, built from
 * their completed modules. Arrays in arena, one pathway per qualification of the catalogue. */
struct participant_pathway {
    struct completed_module *completed;
    size_t completed_count;
    struct enrolment *enrolments;
    size_t enrolment_count;
    struct pathway *pathways; /* one per catalogue qualification */
    size_t pathway_count;
};
enum store_status pathways_for(const struct accounts_env *env, const struct catalogue *catalogue,
                               int64_t participant_id, struct arena *arena, struct participant_pathway *out);

#endif
