/*
 * The sync with the DfE's lead-provider API (v3): one run pulls the applications changed since the
 * last (paged, resumable), approves the declarations due when the provider submits automatically,
 * submits the approved ones (idempotently: one whose submission may have reached the DfE is looked
 * up there before it is sent again), asks for the voids wanted, sends the calls queued in the
 * outbox, and reads back the declarations' states and the statements.
 *
 * Every call and its answer goes to the sync log. Calls keep under the DfE's rate limit (the
 * configuration's requests per minute), wait as long as a 429's Retry-After says, and retry an
 * answer that may pass (none, 429, 5xx) with back-off and jitter. A run holds the lease, so one
 * server (or command) at a time runs it; a run stopped or killed leaves cursors that the next run
 * goes on from.
 */
#ifndef NPQ_APP_DFE_SYNC_H
#define NPQ_APP_DFE_SYNC_H

#include "app/result.h"
#include "domain/catalogue.h"
#include "lib/errors.h"
#include "store/store.h"

#include <stdatomic.h>

struct dfe_sync_env {
    struct store *store;
    const struct catalogue *catalogue; /* for declarations due; NULL approves none automatically */
    const char *holder;                /* who takes the lease: process_identity */
    atomic_bool *stop;                 /* set to stop between calls (NULL: never) */
    int per_page;                      /* page size of pulls; 0 for 100 */
    int64_t base_backoff_ms;           /* first wait before a retry; 0 for 500 */
};

struct dfe_sync_report {
    size_t calls;
    size_t applications;
    size_t approved;
    size_t submitted;
    size_t refused;
    size_t voided;
    size_t updated;
    size_t statements;
    size_t outbox_sent;
    size_t outcomes; /* changes of outcome queued for the DfE */
    bool stopped;
    char error[300]; /* why the run ended early, in words */
};

/*
 * One run. APP_OK when it finished (or was stopped: report->stopped); APP_NOT_FOUND when npq has
 * no DfE configuration; APP_CONFLICT when another holds the lease; APP_UNAVAILABLE when the
 * database or the DfE failed (report->error says which and how).
 */
enum app_result dfe_sync_run(const struct dfe_sync_env *env, struct dfe_sync_report *report);

/*
 * Queues, in the caller's transaction, what the DfE must hear of a participant's step: "withdraw"
 * and "defer" with the DfE's reason code, "resume", or "change-schedule" to schedule_identifier.
 * Nothing is queued for one the DfE has not listed (no application pulled for them).
 */
enum app_result dfe_tell_participant_step(struct store *store, int64_t enrolment_id, const char *step,
                                          const char *reason_code, const char *schedule_identifier, int64_t now);

/* Queues, in the caller's transaction, the DfE's accepting ("accept") or rejecting ("reject") of the
 * application of the person with email for course (a DfE course identifier). Nothing is queued
 * when the DfE has not listed their application. */
enum app_result dfe_tell_application_step(struct store *store, const char *email, const char *course, const char *step,
                                          int64_t now);

/* The report in one line of words, for the log and the pages. */
/* Queues, in the caller's transaction, a participant's outcome for the DfE's outcomes endpoint:
 * state "passed" or "failed", completion_date YYYY-MM-DD, for participant_id (the DfE's) on the
 * course. */
enum app_result dfe_tell_outcome(struct store *store, int64_t enrolment_id, const char *participant_id,
                                 const char *course_identifier, const char *state, const char *completion_date,
                                 int64_t now);

void dfe_sync_report_text(const struct dfe_sync_report *report, enum app_result result, char *out, size_t size);

/* Checks and writes the configuration: an http or https URL, a token, 1 to 100000 requests per
 * minute. APP_INVALID at "url", "token" or "requests_per_minute". */
struct accounts_env;
enum app_result dfe_configure(const struct accounts_env *env, const struct dfe_config *config, struct errors *errors);

#endif
