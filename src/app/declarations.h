/*
 * Declarations to the DfE: which each participant is due from the evidence, an administrator's
 * approving one (or the sync approving every one due, when the provider chooses), voiding one,
 * and sending again one the DfE refused. The DfE hears of them through the sync (app/dfe_sync.h).
 */
#ifndef NPQ_APP_DECLARATIONS_H
#define NPQ_APP_DECLARATIONS_H

#include "app/accounts.h"
#include "app/result.h"
#include "domain/catalogue.h"
#include "lib/errors.h"
#include "store/store.h"

/* A declaration a participant is due and has not had made. */
struct declaration_due_row {
    int64_t enrolment_id;
    struct dfe_declaration_due due;
};

/* Every declaration due and not yet made (none of its type stands), by enrolment then schedule
 * order; array in arena. */
enum app_result declarations_due_all(const struct accounts_env *env, const struct catalogue *catalogue,
                                     struct arena *arena, struct declaration_due_row **out, size_t *count);

/* The declarations an enrolment's participant is due and has not had made; array in arena. */
enum app_result declarations_due_for(const struct accounts_env *env, const struct catalogue *catalogue,
                                     int64_t enrolment_id, struct arena *arena, struct dfe_declaration_due **out,
                                     size_t *count);

/*
 * Approves the declaration of declaration_type the enrolment is due, dated and evidenced by the
 * rule (never by the caller), for the sync to submit; *id is the declaration's. APP_INVALID at
 * "declaration_type" when the type is not one of the DfE's or the evidence does not make it due;
 * APP_CONFLICT at "declaration_type" when one of its type stands already.
 */
enum app_result declarations_approve(const struct accounts_env *env, const struct catalogue *catalogue,
                                     int64_t enrolment_id, const char *declaration_type, int64_t *id,
                                     struct errors *errors);

/* Approves every declaration due (the provider's choice of automatic submission); *approved is how
 * many. */
enum app_result declarations_approve_all(const struct accounts_env *env, const struct catalogue *catalogue,
                                         size_t *approved);

/*
 * Voids declaration id of the enrolment (APP_NOT_FOUND when it is another's): at once when the DfE
 * never had it, otherwise asked of the DfE by the next sync (a paid one then awaits clawback).
 * APP_CONFLICT at "state" when its state cannot be voided or a void is already asked for.
 */
enum app_result declarations_void(const struct accounts_env *env, int64_t enrolment_id, int64_t id,
                                  struct errors *errors);

/*
 * Follows a change of result after a completed declaration reached the DfE (a re-mark: a fail
 * turned into an award, or the other way): for each completed declaration the DfE holds whose
 * outcome differs from what the evidence now says (dfe_outcome_to_tell), the declaration takes the
 * new outcome and the outcome is queued for the DfE's outcomes endpoint, in one transaction, so
 * it is told once however often this runs. A voided one is left alone: the DfE voids its outcome
 * itself. *told is how many were queued.
 */
enum app_result declarations_outcomes_follow(const struct accounts_env *env, const struct catalogue *catalogue,
                                             size_t *told);

/* Sends again a declaration the DfE refused (after the cause is put right). APP_CONFLICT at "state"
 * when it was not refused. */
enum app_result declarations_retry(const struct accounts_env *env, int64_t enrolment_id, int64_t id,
                                   struct errors *errors);

#endif
