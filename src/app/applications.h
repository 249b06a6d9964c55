/*
 * Applications and enrolments as use cases: drafting and submitting an application, the sponsor's
 * and the provider's decisions (with the sponsor's email), enrolling in a cohort, deferring,
 * resuming and withdrawing, and a participant's pathway. Rules come from domain/enrolment.h and
 * domain/policy.h; these functions gather the facts, apply the rules and store the outcome.
 *
 * Each returns an enum app_result (app/result.h): APP_INVALID with errors naming the fields for
 * an answer that breaks a rule, APP_CONFLICT with the reason at "state" for a step the record's
 * state refuses (out of order, or changed by someone else meanwhile), APP_FORBIDDEN for a step the
 * caller may not take, APP_NOT_FOUND, APP_UNAVAILABLE.
 */
#ifndef NPQ_APP_APPLICATIONS_H
#define NPQ_APP_APPLICATIONS_H

#include "app/accounts.h"

/* Saves a draft (new when a->id is 0) after checking what can be checked of a draft: the
 * participant, sponsor and organisations exist, the target is in the catalogue, and what it says
 * in the DfE's terms is well formed (dfe_application_check). */
enum app_result applications_save_draft(const struct accounts_env *env, const struct catalogue *catalogue,
                                        struct application *a, struct errors *errors);

/*
 * Takes a step of an application as the caller: checks who may (policy_application_step),
 * whether the step may follow the current state, and for submit every rule of the application
 * (electives, sponsor, scholarship, no second live enrolment, and for a DfE course the answers
 * the DfE needs). A rejection of a DfE course needs the DfE's reason_code (dfe_rejection_reasons)
 * beside the reason; no other step takes one. Submitting emails the sponsor a link;
 * enrolling needs a cohort (cohort_id) of the same qualification and creates the enrolment.
 * APP_FORBIDDEN (at "step") when the caller may not take the step.
 */
enum app_result applications_step(const struct accounts_env *env, const struct catalogue *catalogue,
                                  const struct caller *caller, int64_t id, enum application_step step,
                                  const char *reason, const char *reason_code, int64_t cohort_id,
                                  struct errors *errors);

/* Defers, resumes (into cohort_id, which must be a cohort the caller may enrol people in: another
 * is refused as if it did not exist) or withdraws an enrolment. Deferring and withdrawing take the
 * DfE's reason code beside the reason (dfe_deferral_reasons, dfe_withdrawal_reasons), required
 * when the enrolment is on a DfE course of catalogue; no other step takes one. */
enum app_result enrolments_step(const struct accounts_env *env, const struct catalogue *catalogue,
                                const struct caller *caller, int64_t id, enum enrolment_step step, const char *reason,
                                const char *reason_code, const char *expected_return, int64_t cohort_id,
                                struct errors *errors);

/*
 * Puts a participant on another DfE schedule (identifier and cohort, from catalogue). Refused at
 * "schedule_identifier" (APP_INVALID) when the enrolment is not on a DfE course, the schedule does
 * not exist, is for another course group, or would leave a declaration already made invalid (of a
 * type it has no milestone for, or dated outside that milestone's window); APP_CONFLICT at
 * "state" when the enrolment is withdrawn or completed.
 */
enum app_result enrolments_change_schedule(const struct accounts_env *env, const struct catalogue *catalogue,
                                           int64_t id, const char *identifier, int cohort, struct errors *errors);

/* The DfE declarations a participant is due from what npq knows (attendance at their cohort's
 * events, the award), and those already made. None are due off a schedule. Arrays in arena. */
struct participant_declarations {
    const struct catalogue_schedule *schedule; /* NULL when not on one */
    struct dfe_declaration_due *due;
    size_t due_count;
    struct dfe_declaration_made *made;
    size_t made_count;
};
enum app_result declarations_for(const struct accounts_env *env, const struct catalogue *catalogue, int64_t id,
                                 struct arena *arena, struct participant_declarations *out);

/* A participant's pathway: for each qualification made of modules, what is done and what remains,
 * built from their completed modules. Arrays in arena, one pathway per such qualification. */
struct participant_pathway {
    struct completed_module *completed;
    size_t completed_count;
    struct enrolment *enrolments;
    size_t enrolment_count;
    struct pathway *pathways; /* one per catalogue qualification made of modules */
    size_t pathway_count;
};
enum app_result pathways_for(const struct accounts_env *env, const struct catalogue *catalogue, int64_t participant_id,
                             struct arena *arena, struct participant_pathway *out);

/* The programme's running: completed modules and fees. */

enum {
    FEE_MAX_PENCE = 100000000, /* £1,000,000 */
};

/*
 * Records that participant_id completed module (a catalogue code, in any case) on completed_on
 * (YYYY-MM-DD), also one studied alone or elsewhere; enrolment_id (0 for none) and note are kept
 * with it. Sets *title to the module's title. APP_INVALID at "module" or "completed_on";
 * APP_CONFLICT when it is recorded already; APP_NOT_FOUND for no such person or enrolment.
 */
enum app_result completions_record(const struct accounts_env *env, const struct catalogue *catalogue,
                                   int64_t participant_id, const char *module, const char *completed_on,
                                   int64_t enrolment_id, const char *note, const char **title, struct errors *errors);

/*
 * Sets the fee of a qualification or module (kind "qualification" or "module"; code in any case,
 * *code_out its catalogue spelling) to amount_pence, 0 to FEE_MAX_PENCE, or -1 for to be
 * confirmed. APP_INVALID at "kind", "code" or "amount_pence".
 */
enum app_result fees_set(const struct accounts_env *env, const struct catalogue *catalogue, const char *kind,
                         const char *code, int64_t amount_pence, const char **code_out, struct errors *errors);

#endif
