/*
 * Storage: the one interface between npq and its database.
 *
 * Handlers and commands call these named operations; all SQL lives behind them, written once
 * against the driver interface of db.h. A store is one connection with its prepared statements,
 * used by one thread at a time: the server opens one per event-loop thread. SQLite is the driver
 * today (db_sqlite.c); a PostgreSQL driver is chosen by the location's scheme ("postgres://...").
 */
#ifndef NPQ_STORE_STORE_H
#define NPQ_STORE_STORE_H

#include "domain/account.h"
#include "domain/catalogue.h"
#include "domain/enrolment.h"
#include "domain/policy.h"
#include "lib/arena.h"
#include "lib/errors.h"

#include <stdint.h>

enum store_status {
    STORE_OK = 0,
    STORE_NOT_FOUND,
    STORE_CONFLICT, /* the change would break a constraint, e.g. deleting a module in use */
    STORE_ERROR,    /* the database failed; the message says how */
};

struct store;

/*
 * Opens the database at location (a file path for SQLite). Does not migrate. On failure returns
 * NULL and writes a message into err.
 */
struct store *store_open(const char *location, char *err, size_t err_size);
void store_close(struct store *store);

/*
 * After each request: whether every query of the connection finished. Returns the SQL of one
 * left open (a bug: it would make later writes fail), after closing them all; NULL when none.
 */
const char *store_unfinished_query(struct store *store);

/* The last error message of this connection, for logs; never NULL. */
const char *store_last_error(const struct store *store);

/*
 * Applies every migration newer than the schema's version, each in its own transaction, and
 * reports the version reached. Safe to call on every start and from several processes at once.
 */
enum store_status store_migrate(struct store *store, int *version);

/*
 * Replaces the catalogue with the given (validated) one, in one transaction: rows are updated in
 * place by their codes, new ones added, missing ones removed. When a missing row is still
 * referenced elsewhere nothing changes and STORE_CONFLICT is returned with the reason in errors.
 */
enum store_status store_catalogue_replace(struct store *store, const struct catalogue *catalogue,
                                          struct errors *errors);

/* Loads the whole catalogue; the caller frees *out with catalogue_free. */
enum store_status store_catalogue_load(struct store *store, struct catalogue **out);

/* A number that changes whenever the catalogue does, so caches know when to reload. */
enum store_status store_catalogue_revision(struct store *store, int64_t *revision);

/*
 * Transactions spanning several operations (an invitation: the user, the role, the link, the
 * mail). Operations called inside one join it instead of committing on their own; nesting is
 * counted, and only the outermost commit or rollback ends it.
 */
enum store_status store_begin(struct store *store);
enum store_status store_commit(struct store *store);
void store_rollback(struct store *store);

/* Named settings shared by every process (e.g. "base_url", recorded by the server when it starts). */
enum store_status store_setting_set(struct store *store, const char *name, const char *value);
/* STORE_NOT_FOUND when unset; the value is copied into out, truncated to size. */
enum store_status store_setting_get(struct store *store, const char *name, char *out, size_t size);

/* The server's secret key, made once when the schema is created and shared by every process. */
enum store_status store_secret(struct store *store, unsigned char key[32]);

/* Who makes a change, for the audit log. */
struct actor {
    int64_t user_id;    /* 0 for the command line or the system */
    const char *label;  /* their email, "command line" or "system" */
    const char *client; /* their address, or "" */
};

/* People */

/* Creates a user; STORE_CONFLICT when the email (in any case) is taken. */
enum store_status store_user_create(struct store *store, const struct actor *actor, const char *email, const char *name,
                                    int64_t organisation_id, int64_t now, int64_t *id);
/* A user with their roles; strings in arena. */
enum store_status store_user_get(struct store *store, int64_t id, struct arena *arena, struct user *out);
/* A user by email (any case), with the password hash (NULL when none is set). */
enum store_status store_user_find_by_email(struct store *store, const char *email, struct arena *arena,
                                           struct user *out, const char **password_hash);
enum store_status store_user_update(struct store *store, const struct actor *actor, int64_t id, const char *name,
                                    int64_t organisation_id, int64_t now);
/* Deactivating also ends every session and revokes every API token of the user. */
enum store_status store_user_set_active(struct store *store, const struct actor *actor, int64_t id, bool active,
                                        int64_t now);
/* Sets a new password hash and ends every session of the user. */
enum store_status store_user_set_password(struct store *store, const struct actor *actor, int64_t id,
                                          const char *password_hash, int64_t now);

struct user_filter {
    const char *query; /* part of a name or email, or NULL */
    int role;          /* an enum role, or -1 for any */
    bool include_inactive;
    size_t limit; /* at most 500 */
    size_t offset;
};
/* The people the caller may see (everyone for an admin), newest first, with the total count. */
enum store_status store_user_list(struct store *store, const struct caller *caller, const struct user_filter *filter,
                                  struct arena *arena, struct user **out, size_t *count, size_t *total);

/* Grants a role. STORE_CONFLICT when already held with that scope; STORE_NOT_FOUND when the user
 * or organisation does not exist. Scope kinds are the caller's to check (role_scope_kind). */
enum store_status store_role_grant(struct store *store, const struct actor *actor, int64_t user_id, enum role role,
                                   int64_t organisation_id, int64_t now, int64_t *grant_id);
enum store_status store_role_revoke(struct store *store, const struct actor *actor, int64_t user_id, int64_t grant_id,
                                    int64_t now);

struct assignment {
    int64_t id;
    enum role kind; /* ROLE_COACH or ROLE_MENTOR */
    int64_t staff_id;
    const char *staff_name;
    int64_t participant_id;
    const char *participant_name;
};
/* Names a coach or mentor for a participant. STORE_CONFLICT when already so. */
enum store_status store_assignment_create(struct store *store, const struct actor *actor, enum role kind,
                                          int64_t staff_id, int64_t participant_id, int64_t now, int64_t *id);
enum store_status store_assignment_delete(struct store *store, const struct actor *actor, int64_t id, int64_t now);
/* Assignments where the user is the staff member or the participant. */
enum store_status store_assignment_list(struct store *store, int64_t user_id, struct arena *arena,
                                        struct assignment **out, size_t *count);

/* Facts about a record relative to the caller, for policy_allows. */
enum store_status store_relation(struct store *store, const struct caller *caller, enum resource resource, int64_t id,
                                 struct relation *out);

/* Organisations */

/* Creates an organisation; STORE_CONFLICT when its URN is taken. Sets o->id. */
enum store_status store_organisation_create(struct store *store, const struct actor *actor, struct organisation *o,
                                            int64_t now);
enum store_status store_organisation_update(struct store *store, const struct actor *actor,
                                            const struct organisation *o, int64_t now);
enum store_status store_organisation_get(struct store *store, int64_t id, struct arena *arena,
                                         struct organisation *out);
/* Organisations of one kind (or all when kind is -1) whose name or URN contains query (or all). */
enum store_status store_organisation_list(struct store *store, int kind, const char *query, struct arena *arena,
                                          struct organisation **out, size_t *count);

/* Sign-in sessions and API tokens */

enum store_status store_session_create(struct store *store, int64_t user_id, const unsigned char token_hash[32],
                                       int64_t now, int64_t expires_at, const char *client, int64_t *id);
/*
 * The caller a session cookie belongs to. STORE_NOT_FOUND when the session is unknown, revoked,
 * past its absolute end, idle for longer than idle_seconds, or its user deactivated. Notes the
 * activity (at most once a minute, so reads stay reads).
 */
enum store_status store_session_authenticate(struct store *store, const unsigned char token_hash[32], int64_t now,
                                             int64_t idle_seconds, struct arena *arena, struct caller *caller,
                                             int64_t *session_id);
enum store_status store_session_revoke(struct store *store, int64_t session_id, int64_t now);
/* Ends every session of a user ("sign out everywhere"). */
enum store_status store_session_revoke_all(struct store *store, const struct actor *actor, int64_t user_id,
                                           int64_t now);

struct api_token {
    int64_t id;
    int64_t user_id;
    const char *user_email;
    const char *name;
    const char *prefix;
    int64_t created_at;
    int64_t last_used_at; /* 0 when never */
    int64_t revoked_at;   /* 0 when live */
};
enum store_status store_token_create(struct store *store, const struct actor *actor, int64_t user_id, const char *name,
                                     const unsigned char token_hash[32], const char *prefix, int64_t now, int64_t *id);
/* The caller a bearer token belongs to; STORE_NOT_FOUND when unknown, revoked or its user inactive. */
enum store_status store_token_authenticate(struct store *store, const unsigned char token_hash[32], int64_t now,
                                           struct arena *arena, struct caller *caller);
/* Tokens of one user, or of everyone when user_id is 0; newest first. */
enum store_status store_token_list(struct store *store, int64_t user_id, struct arena *arena, struct api_token **out,
                                   size_t *count);
enum store_status store_token_revoke(struct store *store, const struct actor *actor, int64_t id, int64_t now);

/* Password-reset and invitation links */

enum one_time_purpose { ONE_TIME_RESET, ONE_TIME_INVITE };
enum store_status store_one_time_create(struct store *store, int64_t user_id, enum one_time_purpose purpose,
                                        const unsigned char token_hash[32], int64_t now, int64_t expires_at);
/* The user a live link belongs to, without using it up; STORE_NOT_FOUND when used or expired. */
enum store_status store_one_time_peek(struct store *store, const unsigned char token_hash[32],
                                      enum one_time_purpose purpose, int64_t now, int64_t *user_id);
/* Uses a link up (once only, atomically) and returns its user; STORE_NOT_FOUND when not live. */
enum store_status store_one_time_consume(struct store *store, const unsigned char token_hash[32],
                                         enum one_time_purpose purpose, int64_t now, int64_t *user_id);

/* Sign-in throttling */

enum store_status store_sign_in_record(struct store *store, const char *email, const char *client, int64_t now,
                                       bool succeeded);
/* Failed attempts since a time, for this email and from this client. */
enum store_status store_sign_in_failures(struct store *store, const char *email, const char *client, int64_t since,
                                         int64_t *by_email, int64_t *by_client);

/* The audit log */

/* Records an event inside the current transaction (store functions do this for their own
 * writes; other layers use it for events with no write of their own, like signing in). */
enum store_status store_audit(struct store *store, const struct actor *actor, const char *action, const char *entity,
                              int64_t entity_id, const char *before, const char *after, int64_t now);

struct audit_event {
    int64_t id;
    int64_t at;
    int64_t actor_id;
    const char *actor_label;
    const char *action;
    const char *entity;
    const char *entity_id;
    const char *before; /* JSON or NULL */
    const char *after;  /* JSON or NULL */
    const char *client;
};
struct audit_filter {
    int64_t actor_id;   /* 0 for anyone */
    const char *action; /* prefix, e.g. "user." ; NULL for any */
    const char *entity; /* NULL for any */
    const char *entity_id;
    int64_t since, until; /* 0 for open */
    size_t limit, offset;
};
/* Events newest first, with the total that match. */
enum store_status store_audit_list(struct store *store, const struct audit_filter *filter, struct arena *arena,
                                   struct audit_event **out, size_t *count, size_t *total);

/* Cohorts */

struct cohort {
    int64_t id;
    const char *code; /* "NPQSL-2027-NW-1" */
    enum study_kind kind;
    const char *target; /* qualification or module code */
    int64_t delivery_partner_id;
    const char *delivery_partner_name;
    enum delivery_model delivery_model;
    const char *starts_on; /* YYYY-MM-DD */
    const char *ends_on;
    int64_t participant_count; /* live enrolments */
};
/* Creates a cohort; STORE_CONFLICT when its code is taken, STORE_NOT_FOUND for an unknown partner. */
enum store_status store_cohort_create(struct store *store, const struct actor *actor, struct cohort *cohort,
                                      int64_t now);
enum store_status store_cohort_get(struct store *store, int64_t id, struct arena *arena, struct cohort *out);
/* Cohorts of one qualification or module (target NULL for all), soonest first. */
enum store_status store_cohort_list(struct store *store, const char *target, struct arena *arena, struct cohort **out,
                                    size_t *count);

/* Applications */

struct application {
    int64_t id;
    int64_t participant_id;
    const char *participant_name;
    const char *participant_email;
    enum study_kind kind;
    const char *target;
    int64_t school_id;
    const char *school_name;
    const char *job_role;
    int64_t sponsor_id;
    const char *sponsor_name;
    const char *sponsor_email;
    enum delivery_model delivery_model;
    const char *preferred_region;
    int64_t preferred_partner_id;
    const char *preferred_partner_name;
    enum funding_route funding;
    const char *scholarship_eligibility;
    enum application_state state;
    const char *decision_reason;
    int64_t enrolment_id;
    const char **electives;
    size_t elective_count;
    int64_t created_at;
    int64_t updated_at;
};

struct history_event {
    int64_t at;
    const char *actor_label;
    const char *step;
    const char *from_state;
    const char *to_state;
    const char *reason;
};

/* Creates a draft (sets a->id); STORE_NOT_FOUND when a person or organisation named does not exist. */
enum store_status store_application_create(struct store *store, const struct actor *actor, struct application *a,
                                           int64_t now);
/* Changes a draft's answers; STORE_CONFLICT when it is no longer a draft. */
enum store_status store_application_update(struct store *store, const struct actor *actor, const struct application *a,
                                           int64_t now);
enum store_status store_application_get(struct store *store, int64_t id, struct arena *arena, struct application *out);
enum store_status store_application_history(struct store *store, int64_t id, struct arena *arena,
                                            struct history_event **out, size_t *count);

struct application_filter {
    int state; /* an enum application_state, or -1 for any */
    size_t limit, offset;
};
/* Applications the caller may see: their own, those they sponsor, their school's (headteachers),
 * those preferring their partner (partner leads), every one (admins). Newest first. */
enum store_status store_application_list(struct store *store, const struct caller *caller,
                                         const struct application_filter *filter, struct arena *arena,
                                         struct application **out, size_t *count, size_t *total);

/*
 * Moves an application from one state to the next, recording who, when and why. STORE_CONFLICT
 * when it is no longer in state from (someone else moved it first).
 */
enum store_status store_application_transition(struct store *store, const struct actor *actor, int64_t id,
                                               enum application_state from, enum application_state to, const char *step,
                                               const char *reason, int64_t now);
/* Notes the enrolment an application led to. */
enum store_status store_application_set_enrolment(struct store *store, int64_t id, int64_t enrolment_id);

/* Enrolments */

struct enrolment {
    int64_t id;
    int64_t participant_id;
    const char *participant_name;
    int64_t application_id;
    enum study_kind kind;
    const char *target;
    int64_t cohort_id;
    const char *cohort_code;
    int64_t cohort_partner_id;
    enum delivery_model delivery_model;
    enum funding_route funding;
    const char *scholarship_eligibility;
    int64_t school_id;
    const char *school_name;
    enum enrolment_state state;
    const char *reason;
    const char *expected_return; /* NULL unless deferred */
    const char **electives;
    size_t elective_count;
    int64_t created_at;
    int64_t updated_at;
};

/* Creates an active enrolment (sets e->id). STORE_CONFLICT when the participant already has a
 * live one in the same qualification or module. */
enum store_status store_enrolment_create(struct store *store, const struct actor *actor, struct enrolment *e,
                                         int64_t now);
enum store_status store_enrolment_get(struct store *store, int64_t id, struct arena *arena, struct enrolment *out);
enum store_status store_enrolment_history(struct store *store, int64_t id, struct arena *arena,
                                          struct history_event **out, size_t *count);
/* A participant's enrolments, newest first. */
enum store_status store_enrolment_list_for(struct store *store, int64_t participant_id, struct arena *arena,
                                           struct enrolment **out, size_t *count);
/* Enrolments the caller may see (admins: all; partner leads: their cohorts'; the rest: those of
 * people in their scope). */
enum store_status store_enrolment_list(struct store *store, const struct caller *caller, size_t limit, size_t offset,
                                       struct arena *arena, struct enrolment **out, size_t *count, size_t *total);

struct enrolment_change {
    enum enrolment_state from, to;
    const char *step;
    const char *reason;
    const char *expected_return; /* deferring */
    int64_t cohort_id;           /* resuming: the later cohort; 0 keeps the cohort */
};
/* Moves an enrolment on; STORE_CONFLICT when it is no longer in state from. Progress (completed
 * modules, electives) is untouched: it belongs to the participant, not the cohort. */
enum store_status store_enrolment_transition(struct store *store, const struct actor *actor, int64_t id,
                                             const struct enrolment_change *change, int64_t now);

/* Completed modules */

/* A participant's completed modules, oldest first (codes and dates in arena). */
enum store_status store_completions(struct store *store, int64_t participant_id, struct arena *arena,
                                    struct completed_module **out, size_t *count);
/* Records a completed module; STORE_CONFLICT when it is already recorded. */
enum store_status store_completion_record(struct store *store, const struct actor *actor, int64_t participant_id,
                                          const char *module, const char *completed_on, int64_t enrolment_id,
                                          const char *note, int64_t now);

/* Fees */

struct fee {
    enum study_kind kind;
    const char *code;
    int64_t amount_pence; /* -1: to be confirmed */
};
/* Sets a fee; amount_pence -1 means "to be confirmed". */
enum store_status store_fee_set(struct store *store, const struct actor *actor, enum study_kind kind, const char *code,
                                int64_t amount_pence, int64_t now);
enum store_status store_fee_list(struct store *store, struct arena *arena, struct fee **out, size_t *count);

/* Reports */

struct funding_row {
    const char *funding_route;
    int64_t school_id;
    const char *school_name; /* "" when none */
    int64_t enrolments;
};
/* Live and completed enrolments counted by funding route and school. */
enum store_status store_report_funding(struct store *store, struct arena *arena, struct funding_row **out,
                                       size_t *count);

struct roster; /* domain/roster.h */

/* Bulk imports: all rows or none. Checks against the database (URNs taken, partners and schools
 * that must exist) add errors at "row N, column C". With dry_run nothing is kept. */
struct import_summary {
    size_t created;        /* new schools or new people */
    size_t updated;        /* existing people given another role */
    int64_t *new_user_ids; /* for invitations: ids of the people created (arena memory) */
};
enum store_status store_import_schools(struct store *store, const struct actor *actor, const struct roster *roster,
                                       bool dry_run, int64_t now, struct errors *errors,
                                       struct import_summary *summary);
enum store_status store_import_users(struct store *store, const struct actor *actor, const struct roster *roster,
                                     bool dry_run, int64_t now, struct arena *arena, struct errors *errors,
                                     struct import_summary *summary);

/* Mail waiting to be sent (the outbox). Messages are queued in the same transaction as the change
 * that causes them and sent by the server's mailer (src/mail). */
struct mail_message {
    int64_t id;
    const char *recipient;
    const char *subject;
    const char *body;
    int attempts;
};

/* Queues a message to send from now on. */
enum store_status store_mail_enqueue(struct store *store, const char *recipient, const char *subject, const char *body,
                                     int64_t now);

/*
 * Claims the oldest message that is due and not leased by another sender, leasing it for
 * lease_seconds so no other server sends it meanwhile. STORE_NOT_FOUND when none is due.
 * Strings are copied into arena.
 */
enum store_status store_mail_claim(struct store *store, int64_t now, int lease_seconds, struct arena *arena,
                                   struct mail_message *out);

/* Records that the SMTP server accepted the message; it is never sent again. */
enum store_status store_mail_mark_sent(struct store *store, int64_t id, int64_t now);

/* Records a failed attempt; the message is due again at retry_at. */
enum store_status store_mail_mark_failed(struct store *store, int64_t id, int64_t retry_at, const char *error);

/* Counts messages not yet sent (for health and tests). */
enum store_status store_mail_pending(struct store *store, int64_t *count);

#endif
