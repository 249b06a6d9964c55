/*
 * An enrolment's progress: the store's facts judged by the domain's rules, for the page at
 * /enrolments/{id}/progress and for GET /api/v1/enrolments/{id}/progress, so both say the same.
 * Whoever may read the enrolment may read this (the policy decides before the call): what it
 * holds is statuses, counts, dates and released outcomes, never drafts, notes or marks.
 */
#ifndef NPQ_APP_PROGRESS_H
#define NPQ_APP_PROGRESS_H

#include "app/accounts.h"
#include "domain/catalogue.h"
#include "domain/content.h"
#include "domain/progress.h"
#include "lib/form.h"
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
 * The progress of enrolment id at env->now under thresholds (those configured when NULL). Reads only.
 * APP_NOT_FOUND when there is no such enrolment, APP_UNAVAILABLE when the database fails.
 * Everything in arena.
 */
enum app_result progress_read(const struct accounts_env *env, int64_t id, const struct progress_thresholds *thresholds,
                              struct arena *arena, struct progress_view *out);

/*
 * The thresholds as configured (settings "progress.NAME", set by `npq progress settings`), each
 * the default where unset. APP_UNAVAILABLE when the database fails.
 */
enum app_result progress_settings_read(struct store *store, struct progress_thresholds *out);

/* Sets threshold name to value (text, a whole number), or "update_cadence" to monthly or weekly.
 * APP_INVALID with the error at name when no setting is called that, the value is not a whole
 * number in its range, or the thresholds would then disagree (behind before at risk). */
enum app_result progress_setting_set(struct store *store, const char *name, const char *value, struct errors *errors);

/*
 * Judges enrolment id again and keeps the result (enrolment_progress and its modules). Called by
 * every use case that changes what progress is judged on, inside its own transaction, so the kept
 * progress changes in the same commit as the change. Joins the caller's transaction, or makes its
 * own. APP_NOT_FOUND when no such enrolment.
 */
enum app_result progress_refresh(const struct accounts_env *env, int64_t id);

/* progress_refresh for each enrolment a change touches: of a cohort (id), of a participant (id),
 * studying a target (code). Inside the caller's transaction. */
enum app_result progress_refresh_scope(const struct accounts_env *env, enum progress_scope scope, int64_t id,
                                       const char *code);

/*
 * Refreshes every enrolment (PROGRESS_ALL) or those whose time has come with no write
 * (PROGRESS_DUE: a deadline nearer, an event ended), a few hundred to a transaction so that
 * writers are never held up long. *refreshed counts them.
 */
enum app_result progress_refresh_many(const struct accounts_env *env, enum progress_scope scope, size_t *refreshed);

/*
 * The hourly refresh of the server: claims env->now's hour (once across every server sharing the
 * database) and, when this process has it, refreshes what is due. *ran says whether it had it.
 */
enum app_result progress_refresh_hourly(const struct accounts_env *env, bool *ran, size_t *refreshed);

/* A progress list as asked for: the filter, where the page starts (after an enrolment id) and how
 * many at most. */
struct progress_query {
    struct progress_filter filter;
    int64_t after;
    size_t limit;
};

enum { PROGRESS_LIST_DEFAULT = 50, PROGRESS_LIST_MAX = 500 };

/*
 * Reads a list's query: cohort, partner (ids), region, qualification, status (a status name),
 * after (an enrolment id) and limit (1 to 500, 50 when absent). False, with an error naming each
 * malformed parameter, when any is; strings point into the query.
 */
bool progress_query_read(const struct form *query, struct progress_query *out, struct errors *errors);

/* The kept progress of the live and completed enrolments the caller watches over, filtered, from
 * q->after by enrolment id, at most q->limit (and *more when there are further). Everything in
 * arena. */
enum app_result progress_list(const struct accounts_env *env, const struct caller *caller,
                              const struct progress_query *q, struct arena *arena, struct progress_list_row **rows,
                              size_t *count, bool *more);

/* The caller's cohorts with their figures, from the kept progress (the filter's cohort, partner,
 * region and qualification apply). */
enum app_result progress_cohorts(const struct accounts_env *env, const struct caller *caller,
                                 const struct progress_filter *filter, struct arena *arena,
                                 struct progress_cohort_row **rows, size_t *count);

/* How often mentors and headteachers hear how their participants stand: the setting
 * "progress.update_cadence" (monthly unless set to weekly). */
enum progress_cadence { PROGRESS_MONTHLY, PROGRESS_WEEKLY };
enum app_result progress_cadence_read(struct store *store, enum progress_cadence *out);
const char *progress_cadence_name(enum progress_cadence cadence);

enum { PROGRESS_PERIOD_TEXT = 16, PROGRESS_PERIOD_WORDS = 48 };

/* The period now falls in (UTC): "2026-12" and "December 2026" for a month, "2026-W49" and "the
 * week of 30 November 2026" for an ISO week. */
void progress_period(enum progress_cadence cadence, int64_t now, char id[PROGRESS_PERIOD_TEXT],
                     char words[PROGRESS_PERIOD_WORDS]);

/*
 * Sends the progress update of the current period to everyone due one (store_progress_recipients):
 * a summary per participant with a link to their page. Each recipient's claim of the period and
 * their message in the outbox are one transaction, so each is sent once per period whichever
 * servers run this, and however often (the notifier's every pass, `npq progress send-updates`, an
 * administrator's button). *sent counts those sent now; period (may be NULL) receives its id.
 */
enum app_result progress_updates_send(const struct accounts_env *env, size_t *sent, char period[PROGRESS_PERIOD_TEXT]);

/* Whether user_id receives progress updates, and opting out or back in. */
enum app_result progress_updates_read(const struct accounts_env *env, int64_t user_id, bool *subscribed,
                                      enum progress_cadence *cadence);
enum app_result progress_updates_set(const struct accounts_env *env, int64_t user_id, bool subscribed);

/* Support plans */

enum { SUPPORT_ACTIONS_MAX = 10, SUPPORT_ACTION_TEXT_MAX = 500 };

/* What a plan is agreed as: who supports (an active coach or facilitator), the actions and their
 * dates, the review date; or, with close, that the plan has done its work. */
struct support_plan_input {
    int64_t supporter_id;
    const char *review_on;
    const struct support_action *actions;
    size_t action_count;
    bool close;
};

/* Enrolment id's open plan (*has false when none) and whether one is needed: the participant is at
 * risk or behind, or their work was referred. APP_NOT_FOUND when no such enrolment. */
enum app_result support_plan_read(const struct accounts_env *env, int64_t id, struct arena *arena,
                                  struct support_plan *out, bool *has, bool *needed);

/*
 * Agrees (or changes, or closes) enrolment id's plan as caller, whom r describes the enrolment to.
 * APP_FORBIDDEN unless policy_may_plan_support; APP_CONFLICT (at "state") for a first plan of a
 * participant who needs none, or a plan to close when none is open; APP_INVALID with the field of
 * each problem (supporter_id, review_on, actions[i].action, actions[i].due_on). On success out
 * holds the plan as kept (closing: as it was).
 */
enum app_result support_plan_save(const struct accounts_env *env, const struct caller *caller, const struct relation *r,
                                  int64_t id, const struct support_plan_input *in, struct arena *arena,
                                  struct support_plan *out, struct errors *errors);

/* Framework coverage: which statements of the qualification's framework are evidenced, and by what.
 * Content items are tagged to statements and areas, and events name an area of the framework;
 * nothing else (coaching, assessed work) is tagged to the framework yet, so only these count. */
struct coverage_statement {
    enum content_statement_kind kind;
    const struct catalogue_statement *statement;
    const struct coverage_evidence **evidence; /* content items tagged to it */
    size_t count;
};

struct coverage_area {
    const struct catalogue_area *area;
    const struct coverage_evidence **evidence; /* events of the area, content tagged to the area */
    size_t count;
    struct coverage_statement *statements; /* learn that, then learn how to */
    size_t statement_count;
};

struct coverage {
    const struct catalogue_framework *framework; /* NULL when the study has none (a module alone) */
    struct coverage_area *areas;
    size_t area_count;
};

/* The coverage of enrolment id (cohort false) or of cohort id's enrolments together (cohort true),
 * everything in arena. APP_NOT_FOUND when there is no such record. */
enum app_result coverage_read(const struct accounts_env *env, const struct catalogue *catalogue, int64_t id,
                              bool cohort, struct arena *arena, struct coverage *out);

/* n of d as a whole percent, rounded down; 0 when d is 0. The one way rates are shown. */
int progress_percent(int n, int d);

#endif
