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
#include "domain/dfe.h"
#include "domain/enrolment.h"
#include "domain/policy.h"
#include "lib/arena.h"
#include "lib/cursor.h"
#include "lib/errors.h"

#include <stdint.h>

enum store_status {
    STORE_OK = 0,
    STORE_NOT_FOUND,
    STORE_CONFLICT, /* the change would break a constraint, e.g. deleting a module in use */
    STORE_ERROR,    /* the database failed; the message says how */
};

struct store;
struct store_engine;

/*
 * A database shared by the threads of one process (store_engine: for SQLite, the writer that
 * commits their transactions in groups), and one thread's connection to it (store). A store is
 * used by one thread at a time.
 */
struct store_engine *store_engine_open(const char *location, char *err, size_t err_size);
void store_engine_close(struct store_engine *engine);
/* A connection of one thread to engine; NULL with a message in err on failure. */
struct store *store_connect(struct store_engine *engine, char *err, size_t err_size);

/*
 * Opens the database at location (a file path for SQLite) for a single thread: an engine of its
 * own and one connection, closed together by store_close (the command line). Does not migrate.
 * On failure returns NULL and writes a message into err.
 */
struct store *store_open(const char *location, char *err, size_t err_size);
void store_close(struct store *store);

/* An online backup of everything npq keeps (files included: they are in the database) into a new
 * file at to, and putting one back at location; see db_backup and db_restore. */
bool store_backup(struct store *store, const char *to, char *err, size_t err_size);
bool store_restore(const char *location, const char *from, char *err, size_t err_size);

/*
 * Moving a provider: copies every row of the SQLite database at from (files included: the blob
 * store's chunks are rows) into the PostgreSQL database at to, migrating both first. Tables go
 * parents first, in batches of transactions; each row is written by its primary key and only when
 * the target does not hold it as it is, so a re-run copies nothing twice. Refuses (STORE_CONFLICT)
 * a target holding more rows of a table than the source. Then checks that every table holds the
 * source's number of rows and every file's chunks hash to its SHA-256. The report's memory and
 * the statements built for the copy live in arena. STORE_ERROR or STORE_CONFLICT with a message
 * in err; what was committed before a failure stays, and a re-run completes it.
 */
struct store_copy_table {
    const char *name;
    int64_t source_rows, target_rows; /* target_rows: after the copy */
    int64_t copied;                   /* rows the target did not hold as they are */
};
struct store_copy_report {
    struct store_copy_table *tables; /* in the order copied */
    size_t table_count;
    int64_t copied;
    int64_t files_checked, file_bytes;
};
enum store_status store_copy(const char *from, const char *to, struct arena *arena, struct store_copy_report *report,
                             char *err, size_t err_size);

/*
 * Numbers that change whenever the catalogue, or who anyone is and what they may do (accounts,
 * roles, sessions, tokens, organisations), changes: caches of either compare them to know they
 * are stale. Changed by the writes themselves (triggers), whichever process makes them.
 */
struct store_revisions {
    int64_t catalogue;
    int64_t access;
};
enum store_status store_revisions(struct store *store, struct store_revisions *out);
/* The access revision alone: one row, for checking a cached caller on every request. */
enum store_status store_access_revision(struct store *store, int64_t *revision);

/* From now on a query on this connection that would have to wait for a lock fails at once
 * (STORE_ERROR): for an event loop, which must never wait. store_revisions and
 * store_access_revision go on answering, current with every commit of any process: on SQLite
 * from the file, which needs no lock; on PostgreSQL, where any query is a round trip, from the
 * engine's memory, which its commits keep current at once and a thread following the others'
 * (db_engine_follow) within a notification's delivery; there other queries fail, and so does
 * store_access_revision (a cached caller is trusted only against the revision as it is now), and
 * store_revisions while that thread has lost its connection. */
void store_never_wait(struct store *store);

/*
 * A page of a list (key-set pagination): at most limit rows (0 means STORE_PAGE_DEFAULT; the API
 * lets a client ask for 1 to STORE_PAGE_MAX, the server's own pages more) of those after the position after
 * (CURSOR_NONE: from the start), in the list's one order, which its comment names with the kind of cursor it takes. A
 * list sets next to the cursor of the page that follows (in the arena it was given), or NULL at the end. A cursor of
 * another kind than the list's is the caller's to refuse before asking (http/paging.h).
 */
enum { STORE_PAGE_MAX = 500, STORE_PAGE_DEFAULT = 100 };
struct store_page {
    size_t limit;
    struct cursor after;
    const char *next;
    struct cursor last; /* the list's own: the position of the last row kept so far */
};
/* Moves page on to the page after it, its position copied into arena (so the memory of the page
 * read may be released); false when it was the last. */
bool store_page_advance(struct store_page *page, struct arena *arena);
/* The rows a page holds: its limit, or STORE_PAGE_DEFAULT for 0. */
size_t store_page_limit(const struct store_page *page);

/* Called after every commit this process makes, on the committing thread, with the revisions
 * the commit left. Set once, before any connection writes; listener must be quick. */
typedef void (*store_revisions_listener)(const struct store_revisions *revisions, void *arg);
void store_engine_watch(struct store_engine *engine, store_revisions_listener listener, void *arg);

/*
 * After each request: whether every query of the connection finished. Returns the SQL of one
 * left open (a bug: it would make later writes fail), after closing them all; NULL when none.
 */
const char *store_unfinished_query(struct store *store);

/* The last error message of this connection, for logs; never NULL. */
const char *store_last_error(const struct store *store);

/*
 * Applies every migration the schema has not recorded, in the order of their numbers, each in its
 * own transaction, and reports the highest version applied. Safe to call on every start and from several processes at
 * once.
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
/* Marks the account active or not; signing out is accounts_set_active's (app/accounts.h). */
enum store_status store_user_set_active(struct store *store, const struct actor *actor, int64_t id, bool active,
                                        int64_t now);
/* Sets a new password hash and ends every session of the user. */
enum store_status store_user_set_password(struct store *store, const struct actor *actor, int64_t id,
                                          const char *password_hash, int64_t now);

struct user_filter {
    const char *query; /* part of a name or email, or NULL */
    int role;          /* an enum role, or -1 for any */
    bool include_inactive;
};
/* A page of the people the caller may see (everyone for an admin), by name then id (cursors of
 * CURSOR_TEXT), each with their roles, and total, how many match in all. */
enum store_status store_user_list(struct store *store, const struct caller *caller, const struct user_filter *filter,
                                  struct store_page *page, struct arena *arena, struct user **out, size_t *count,
                                  size_t *total);

/* The active people holding the headteacher role at school (the role's scope), by name, at most
 * limit: whom an applicant from that school may name as sponsor. Only id and name are filled. */
enum store_status store_school_headteachers(struct store *store, int64_t school_id, size_t limit, struct arena *arena,
                                            struct user **out, size_t *count);

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
/* A page of the organisations of one kind (or all when kind is -1) whose name or URN contains
 * query (or all), by name then id (CURSOR_TEXT); page NULL for the first 1000, for choices. */
enum store_status store_organisation_list(struct store *store, int kind, const char *query, struct store_page *page,
                                          struct arena *arena, struct organisation **out, size_t *count);

/* Sign-in sessions and API tokens */

enum store_status store_session_create(struct store *store, int64_t user_id, const unsigned char token_hash[32],
                                       int64_t now, int64_t expires_at, const char *client, int64_t *id);
/* A session or API token found by store_session_authenticate or store_token_authenticate. */
struct credential {
    int64_t id;           /* the session's or the token's */
    int64_t last_used_at; /* the last use noted (store_credential_uses_record) */
    int64_t expires_at;   /* a session's absolute end, a token's end; 0 for a token without one */
};

/*
 * The caller a session cookie belongs to. STORE_NOT_FOUND when the session is unknown, revoked,
 * past its absolute end, idle for longer than idle_seconds, or its user deactivated. A read: the
 * use is noted later, with store_credential_uses_record.
 */
enum store_status store_session_authenticate(struct store *store, const unsigned char token_hash[32], int64_t now,
                                             int64_t idle_seconds, struct arena *arena, struct caller *caller,
                                             struct credential *session);

/* A use of a session or token to note: its last_used_at becomes at (never earlier than it was). */
struct credential_use {
    bool session; /* a session; otherwise an API token */
    int64_t id;
    int64_t at;
};
/* Notes many uses in one transaction, so keeping idle sessions alive costs no write per request. */
enum store_status store_credential_uses_record(struct store *store, const struct credential_use *uses, size_t count);
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
    int64_t expires_at;   /* 0 when it lasts until revoked */
};
/* Makes a token that works until expires_at (0: until revoked). */
enum store_status store_token_create(struct store *store, const struct actor *actor, int64_t user_id, const char *name,
                                     const unsigned char token_hash[32], const char *prefix, int64_t expires_at,
                                     int64_t now, int64_t *id);
/* The caller a bearer token belongs to; STORE_NOT_FOUND when unknown, revoked, expired by now or its
 * user inactive. A read, like store_session_authenticate. */
enum store_status store_token_authenticate(struct store *store, const unsigned char token_hash[32], int64_t now,
                                           struct arena *arena, struct caller *caller, struct credential *token);
/* A page of the tokens of one user, or of everyone when user_id is 0; newest first (CURSOR_ID);
 * page NULL for the first 1000. */
enum store_status store_token_list(struct store *store, int64_t user_id, struct store_page *page, struct arena *arena,
                                   struct api_token **out, size_t *count);
enum store_status store_token_revoke(struct store *store, const struct actor *actor, int64_t id, int64_t now);
/* Revokes every live token of a user. */
enum store_status store_token_revoke_all(struct store *store, const struct actor *actor, int64_t user_id, int64_t now);

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

/* Counts a password-reset request for this email and for this client, whether or not the
 * address has an account, and gives each one's requests in its current window of window seconds
 * (this one included). The count is raised by the statement that returns it, so concurrent
 * requests are each counted once. Joins the caller's transaction. */
enum store_status store_reset_request_count(struct store *store, const char *email, const char *client, int64_t now,
                                            int64_t window, int64_t *by_email, int64_t *by_client);

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
};
/* A page of events, newest first (CURSOR_ID), with the total that match. */
enum store_status store_audit_list(struct store *store, const struct audit_filter *filter, struct store_page *page,
                                   struct arena *arena, struct audit_event **out, size_t *count, size_t *total);

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
/* Changes a cohort's code, partner, delivery model and dates (never what it studies): STORE_CONFLICT
 * when another cohort has the code (or there is no such cohort), STORE_NOT_FOUND for an unknown
 * partner. */
enum store_status store_cohort_update(struct store *store, const struct actor *actor, const struct cohort *cohort,
                                      int64_t now);
enum store_status store_cohort_get(struct store *store, int64_t id, struct arena *arena, struct cohort *out);
/* A page of the cohorts of one qualification or module (target NULL for all), soonest first
 * (CURSOR_TEXT on starts_on, then id); page NULL for the first 1000. */
enum store_status store_cohort_list(struct store *store, const char *target, struct store_page *page,
                                    struct arena *arena, struct cohort **out, size_t *count);

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
    struct dfe_application dfe; /* the application in the DfE's terms */
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
    const char *reason_code; /* the DfE's code beside the reason, or "" */
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
    int state;              /* an enum application_state, or -1 for any */
    int64_t participant_id; /* one participant's, or 0 for anyone's */
};
/* A page of the applications the caller may see: their own, those they sponsor, their school's
 * (headteachers), those preferring their partner (partner leads), every one (admins). Latest
 * change first (CURSOR_NUMBER on updated_at, then id), electives read for the whole page at once;
 * total, how many match in all. */
enum store_status store_application_list(struct store *store, const struct caller *caller,
                                         const struct application_filter *filter, struct store_page *page,
                                         struct arena *arena, struct application **out, size_t *count, size_t *total);

/*
 * Moves an application from one state to the next, recording who, when and why (the note, and the
 * DfE's reason code when there is one; NULL or "" for none). STORE_CONFLICT when it is no longer in
 * state from (someone else moved it first).
 */
enum store_status store_application_transition(struct store *store, const struct actor *actor, int64_t id,
                                               enum application_state from, enum application_state to, const char *step,
                                               const char *reason, const char *reason_code, int64_t now);
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
    const char *reason_code;         /* the DfE's code for the last deferral or withdrawal, or "" */
    const char *expected_return;     /* NULL unless deferred */
    const char *schedule_identifier; /* the DfE schedule followed, or NULL */
    int schedule_cohort;             /* its cohort; 0 with no schedule */
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
/* A page of the enrolments the caller may see (admins: all; partner leads: their cohorts'; the
 * rest: those of people in their scope), newest first (CURSOR_ID), electives read for the whole
 * page at once; total, how many there are in all. */
enum store_status store_enrolment_list(struct store *store, const struct caller *caller, struct store_page *page,
                                       struct arena *arena, struct enrolment **out, size_t *count, size_t *total);

struct enrolment_change {
    enum enrolment_state from, to;
    const char *step;
    const char *reason;
    const char *reason_code;     /* the DfE's code beside the reason, or NULL */
    const char *expected_return; /* deferring */
    int64_t cohort_id;           /* resuming: the later cohort; 0 keeps the cohort */
};
/* Moves an enrolment on; STORE_CONFLICT when it is no longer in state from. Progress (completed
 * modules, electives) is untouched: it belongs to the participant, not the cohort. */
enum store_status store_enrolment_transition(struct store *store, const struct actor *actor, int64_t id,
                                             const struct enrolment_change *change, int64_t now);
/* Cancels the participant's bookings at their cohort's coming events and gives the places back
 * (only those this call cancelled, so a place is never given back twice). Joins the caller's
 * transaction (store_begin); a write outside one is refused. */
enum store_status store_enrolment_bookings_release(struct store *store, int64_t enrolment_id, int64_t now);
/* Puts a live (active or deferred) enrolment on a DfE schedule, recording the change in its
 * history. STORE_CONFLICT when the enrolment is no longer live. */
enum store_status store_enrolment_set_schedule(struct store *store, const struct actor *actor, int64_t id,
                                               const char *identifier, int cohort, int64_t now);
/* The declarations that stand for an enrolment (not voided, ineligible or clawed back), oldest
 * first; strings in arena. */
/* The evidence of what an enrolment's participant did, oldest first, each as its UTC date and in
 * words: events of their cohort attended (present or late, not cancelled), learning hours logged,
 * items of their course done, and work submitted for assessment; strings in arena. */
enum store_status store_declaration_evidence(struct store *store, int64_t enrolment_id, struct arena *arena,
                                             struct dfe_evidence **out, size_t *count);
enum store_status store_declarations_standing(struct store *store, int64_t enrolment_id, struct arena *arena,
                                              struct dfe_declaration_made **out, size_t *count);

/* Declarations made (store_dfe.c). Strings in arena; 0 for a time or id not set. */
struct declaration {
    int64_t id;
    int64_t enrolment_id;
    const char *participant_name;
    const char *course_identifier; /* the DfE course of the enrolment's qualification; "" for none */
    const char *participant_id;    /* the DfE's id of the participant, from their application; "" unknown */
    const char *declaration_type;
    const char *declaration_date; /* YYYY-MM-DD */
    enum dfe_declaration_state state;
    const char *evidence;
    const char *dfe_id;      /* "" until the DfE has accepted it */
    const char *dfe_message; /* the DfE's refusal in its words; "" for none */
    const char *statement_id;
    bool has_passed; /* completed: the outcome sent (or to send) to the DfE, passed or failed */
    /* The DfE's id of the delivery partner running the participant's cohort ("" when it has none)
     * and that partner's name ("" when the cohort has no partner). */
    const char *delivery_partner_id;
    const char *delivery_partner_name;
    int64_t approved_at;
    int64_t submit_begun_at;
    int64_t submitted_at;
    int64_t void_requested_at;
    int64_t updated_at;
};
/* Which declarations a list holds. */
enum declaration_list {
    DECLARATIONS_OF_ENROLMENT,     /* every one of enrolment_id, newest first */
    DECLARATIONS_OF_PARTICIPANT,   /* every one of the enrolments of the person enrolment_id names */
    DECLARATIONS_ALL,              /* every one, newest first (at most 500) */
    DECLARATIONS_TO_SUBMIT,        /* approved, not accepted by the DfE, not refused by it: oldest first */
    DECLARATIONS_TO_VOID,          /* a void asked for that the DfE has not confirmed */
    DECLARATIONS_COMPLETED_AT_DFE, /* completed ones the DfE has accepted, no void asked for */
};
enum store_status store_declarations_list(struct store *store, enum declaration_list which, int64_t enrolment_id,
                                          struct arena *arena, struct declaration **out, size_t *count);
enum store_status store_declaration_get(struct store *store, int64_t id, struct arena *arena, struct declaration *out);
/* Records an approved declaration (state due) of the enrolment, a completed one with its outcome
 * (passed); STORE_CONFLICT when one of its type stands already. Audited. */
enum store_status store_declaration_approve(struct store *store, const struct actor *actor, int64_t enrolment_id,
                                            const char *declaration_type, const char *declaration_date,
                                            const char *evidence, bool passed, int64_t now, int64_t *id);
/* A completed declaration's outcome moves from !passed to passed (STORE_CONFLICT when it is not
 * !passed now: moved meanwhile). Audited. The caller queues the outcome in the same transaction. */
enum store_status store_declaration_outcome_set(struct store *store, const struct actor *actor, int64_t id, bool passed,
                                                int64_t now);
/* The enrolment's final result, when its final assessment's result is released: *found false when
 * not; else the day it was released (YYYY-MM-DD in arena), the task's title and whether it passed
 * (a referral with no resubmission left is no pass). */
enum store_status store_final_result(struct store *store, int64_t enrolment_id, struct arena *arena, bool *found,
                                     const char **released_on, const char **title, bool *passed);
/* A submission is being begun: a declaration with a begun time and no DfE id may have reached the
 * DfE, and is looked up there before it is sent again. */
enum store_status store_declaration_submit_begin(struct store *store, int64_t id, int64_t now);
/* The DfE accepted it as dfe_id, in state; or refused it (message), which leaves it due. */
enum store_status store_declaration_accepted(struct store *store, int64_t id, const char *dfe_id,
                                             enum dfe_declaration_state state, const char *statement_id, int64_t now);
enum store_status store_declaration_refused(struct store *store, int64_t id, const char *message, int64_t now);
/* The DfE reports a declaration (by its id) in state: stored when the state machine allows the
 * move (STORE_CONFLICT when not, STORE_NOT_FOUND when npq has no such declaration). */
enum store_status store_declaration_reported(struct store *store, const char *dfe_id, enum dfe_declaration_state state,
                                             const char *statement_id, int64_t now);
/* A void: straight to after when the DfE never had it (no DfE id), otherwise asked for, to be sent.
 * STORE_CONFLICT when the state changed meanwhile. Audited. */
enum store_status store_declaration_void(struct store *store, const struct actor *actor, int64_t id,
                                         enum dfe_declaration_state from, enum dfe_declaration_state after,
                                         int64_t now);
/* Approving again a declaration the DfE refused: its message is cleared so the sync sends it. */
enum store_status store_declaration_retry(struct store *store, const struct actor *actor, int64_t id, int64_t now);

/* The DfE's lead-provider API: configuration, the sync's cursors, what it pulled, its log. */
struct dfe_config {
    const char *base_url; /* without a trailing slash */
    const char *token;
    bool auto_submit; /* declarations due are approved by the sync itself */
    int requests_per_minute;
    int64_t updated_at;
};
/* STORE_NOT_FOUND when npq has not been configured for the DfE. */
enum store_status store_dfe_config_get(struct store *store, struct arena *arena, struct dfe_config *out);
enum store_status store_dfe_config_set(struct store *store, const struct actor *actor, const struct dfe_config *config,
                                       int64_t now);

/* Where a paged pull stands; a pull never begun asks from the start, page 1. */
struct dfe_cursor {
    const char *updated_since; /* "" for everything */
    int next_page;
    const char *next_since; /* when the pull in hand began, less a margin: its updated_since once done */
};
enum store_status store_dfe_cursor_get(struct store *store, const char *name, struct arena *arena,
                                       struct dfe_cursor *out);
/* Writes the cursor; next_page 1 marks the pull finished. */
enum store_status store_dfe_cursor_set(struct store *store, const char *name, const struct dfe_cursor *cursor,
                                       int64_t now);

struct dfe_application_row {
    const char *dfe_id;
    const char *participant_id;
    const char *course_identifier;
    const char *email;
    const char *full_name;
    const char *status;
    const char *cohort;
    const char *schedule_identifier;
    const char *dfe_updated_at;
    int64_t enrolment_id; /* read: the enrolment it is linked to, 0 for none */
};
/* One page of a pull in one transaction: the applications upserted by their DfE id (each linked to
 * the enrolment of the person with its email on the qualification of its course) and the cursor. */
enum store_status store_dfe_applications_put(struct store *store, const struct dfe_application_row *rows, size_t count,
                                             const char *cursor_name, const struct dfe_cursor *cursor, int64_t now);
enum store_status store_dfe_applications_list(struct store *store, struct arena *arena,
                                              struct dfe_application_row **out, size_t *count);

struct dfe_statement_row {
    const char *dfe_id;
    const char *month;
    const char *year;
    const char *cohort;
    const char *cut_off_date;
    const char *payment_date;
    bool paid;
};
enum store_status store_dfe_statements_put(struct store *store, const struct dfe_statement_row *rows, size_t count,
                                           int64_t now);
enum store_status store_dfe_statements_list(struct store *store, struct arena *arena, struct dfe_statement_row **out,
                                            size_t *count);

/* One call to the DfE and its answer. */
struct dfe_log_entry {
    int64_t id;
    int64_t at;
    const char *method;
    const char *path;
    const char *request_body;
    int status; /* 0: no answer */
    const char *response_body;
    const char *error;
    int attempt;
    int64_t duration_ms;
    int64_t declaration_id;
    int64_t enrolment_id;
};
enum store_status store_dfe_log_add(struct store *store, const struct dfe_log_entry *entry);
/* Newest first, at most limit, after_id 0 or the id to page below; declaration_id 0 for all. */
enum store_status store_dfe_log_list(struct store *store, int64_t declaration_id, int64_t before_id, int limit,
                                     struct arena *arena, struct dfe_log_entry **out, size_t *count);

/* Calls that follow from changes in npq, sent in order by the sync. */
struct dfe_outbox_entry {
    int64_t id;
    const char *method;
    const char *path;
    const char *body;
    int64_t enrolment_id;
};
/* Joins the caller's transaction, so the call is queued with the change that causes it. */
enum store_status store_dfe_outbox_add(struct store *store, const char *method, const char *path, const char *body,
                                       int64_t enrolment_id, int64_t now);
/* The DfE's id of the enrolment's participant and their course, from the application linked to it;
 * STORE_NOT_FOUND when the DfE has not listed one. Strings in arena. */
enum store_status store_dfe_participant_of(struct store *store, int64_t enrolment_id, struct arena *arena,
                                           const char **participant_id, const char **course_identifier);
/* The DfE's id of the application of the person with email for course; STORE_NOT_FOUND when the DfE
 * has listed none. In arena. */
enum store_status store_dfe_application_of(struct store *store, const char *email, const char *course_identifier,
                                           struct arena *arena, const char **dfe_id);
enum store_status store_dfe_outbox_pending(struct store *store, struct arena *arena, struct dfe_outbox_entry **out,
                                           size_t *count);
enum store_status store_dfe_outbox_done(struct store *store, int64_t id, int status, const char *message, int64_t now);

/* The lease that lets one server at a time sync: taken when free, expired, already the holder's or
 * held by gone_holder (a process known to have stopped; NULL for none), STORE_CONFLICT when
 * another holds it; renewed by taking it again, given back with the outcome of the run in words.
 * *current is who holds it now (in arena). */
enum store_status store_dfe_lease_take(struct store *store, const char *holder, const char *gone_holder, int64_t now,
                                       int64_t seconds);
enum store_status store_dfe_lease_holder(struct store *store, struct arena *arena, const char **current);
/* The enrolments on a DfE schedule that may be due a declaration (not withdrawn), oldest first. */
enum store_status store_enrolments_on_schedule(struct store *store, struct arena *arena, int64_t **ids, size_t *count);
enum store_status store_dfe_lease_give_back(struct store *store, const char *holder, const char *result, int64_t now);
/* When the last sync ran and how it ended; *at 0 when never. */
enum store_status store_dfe_last_sync(struct store *store, struct arena *arena, int64_t *at, const char **result);

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
/* Live and completed enrolments counted by funding route and school, by route, then school name,
 * then school id: at most limit rows after the row after (NULL: from the start), so that a report
 * of any size is read a batch at a time (the last batch holds fewer than limit). */
enum store_status store_report_funding(struct store *store, const struct funding_row *after, size_t limit,
                                       struct arena *arena, struct funding_row **out, size_t *count);

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
 * Claims the oldest message that is due and not leased by another sender, leasing it to claimer
 * (a name for the sender, or NULL) for lease_seconds so no other server sends it meanwhile: of
 * senders claiming at once, each message goes to one. STORE_NOT_FOUND when none is due (or others
 * leased each one it tried: poll again). Not for calling inside a transaction of the caller's:
 * the lease is committed before it returns. Strings are copied into arena.
 */
enum store_status store_mail_claim(struct store *store, const char *claimer, int64_t now, int lease_seconds,
                                   struct arena *arena, struct mail_message *out);

/* The senders that hold leases on unsent messages at now (strings in arena). */
enum store_status store_mail_claimers(struct store *store, int64_t now, struct arena *arena, const char ***out,
                                      size_t *count);

/* Ends every lease claimer holds on unsent messages, so they are due again at once: for a sender
 * known to have died with them. */
enum store_status store_mail_release(struct store *store, const char *claimer);

/* Records that the SMTP server accepted the message; it is never sent again. */
enum store_status store_mail_mark_sent(struct store *store, int64_t id, int64_t now);

/* Records a failed attempt; the message is due again at retry_at. */
enum store_status store_mail_mark_failed(struct store *store, int64_t id, int64_t retry_at, const char *error);

/* Counts messages not yet sent (for health and tests). */
enum store_status store_mail_pending(struct store *store, int64_t *count);

/* Delivery: venues, cohort staff, events, bookings, attendance */

#include "domain/delivery.h" /* event kinds and attendance marks */

/* A place where face-to-face events happen, belonging to one delivery partner. */
struct venue {
    int64_t id;
    int64_t delivery_partner_id;
    const char *delivery_partner_name;
    const char *name;
    const char *address;
    const char *postcode; /* normalised: "M1 1AE" */
    int capacity;
    const char *accessibility;
    int64_t created_at;
    int64_t updated_at;
};
/* Creates a venue (sets v->id); STORE_NOT_FOUND when the partner does not exist. */
enum store_status store_venue_create(struct store *store, const struct actor *actor, struct venue *v, int64_t now);
/* Changes a venue's name, address, postcode, capacity and accessibility (not its partner). */
enum store_status store_venue_update(struct store *store, const struct actor *actor, const struct venue *v,
                                     int64_t now);
/* Raises the sequence of the venue's coming, live events, so calendars take their new details. */
enum store_status store_venue_events_resequence(struct store *store, int64_t venue_id, int64_t now);
enum store_status store_venue_get(struct store *store, int64_t id, struct arena *arena, struct venue *out);
/* Venues of one delivery partner (every venue when partner_id is 0), by partner and name. */
enum store_status store_venue_list(struct store *store, int64_t partner_id, struct arena *arena, struct venue **out,
                                   size_t *count);
/* The most places offered by an event at the venue that is neither cancelled nor over by now
 * (0 when none), so a venue is not made smaller than what it has promised. */
enum store_status store_venue_largest_event(struct store *store, int64_t venue_id, int64_t now, int *capacity);

/* A facilitator or coach working with a cohort. */
struct cohort_staff {
    int64_t user_id;
    const char *name;
    const char *email;
    enum role role; /* ROLE_FACILITATOR or ROLE_COACH */
    int64_t created_at;
};
/* The cohort's staff by role, then name. */
enum store_status store_cohort_staff_list(struct store *store, int64_t cohort_id, struct arena *arena,
                                          struct cohort_staff **out, size_t *count);
/* STORE_CONFLICT when they already have that role in the cohort. role: ROLE_FACILITATOR or ROLE_COACH. */
enum store_status store_cohort_staff_add(struct store *store, const struct actor *actor, int64_t cohort_id,
                                         int64_t user_id, enum role role, int64_t now);
/* STORE_NOT_FOUND when they do not have that role in the cohort. */
enum store_status store_cohort_staff_remove(struct store *store, const struct actor *actor, int64_t cohort_id,
                                            int64_t user_id, enum role role, int64_t now);

/* A participant of a cohort: someone with a live (active or deferred) enrolment in it. */
struct cohort_participant {
    int64_t user_id;
    const char *name;
    int64_t enrolment_id;
    enum enrolment_state state;
};
enum store_status store_cohort_participants(struct store *store, int64_t cohort_id, struct arena *arena,
                                            struct cohort_participant **out, size_t *count);
/* Whether user_id has an active enrolment in the cohort: who can be booked on its events. */
enum store_status store_cohort_enrolled(struct store *store, int64_t cohort_id, int64_t user_id, bool *enrolled);

/* An event of a cohort, with the number of places booked. */
struct event {
    int64_t id;
    int64_t cohort_id;
    const char *cohort_code;
    int64_t cohort_partner_id; /* 0 when the cohort has no delivery partner */
    enum delivery_event_kind kind;
    const char *title;
    const char *module; /* a module code, or NULL */
    int framework_area; /* an area number, or 0 for none */
    int64_t venue_id;   /* 0 for none */
    const char *venue_name;
    const char *venue_postcode;
    const char *joining_url; /* NULL for none */
    int64_t starts_at;       /* UTC seconds */
    int64_t ends_at;
    int capacity;
    int64_t facilitator_id; /* 0 for none */
    const char *facilitator_name;
    int64_t sequence;     /* bumped on every change, for calendars */
    int64_t cancelled_at; /* 0 while it goes ahead */
    int64_t created_at;
    int64_t updated_at;
    int booked; /* live bookings */
};
/* Creates an event (sets e->id and e->sequence); STORE_NOT_FOUND when the cohort, venue or
 * facilitator does not exist. */
enum store_status store_event_create(struct store *store, const struct actor *actor, struct event *e, int64_t now);
/*
 * Replaces an event's details with changed's and bumps its sequence, compare-and-set on
 * before->sequence: STORE_CONFLICT when someone changed or cancelled it meanwhile, or when
 * changed->capacity is below the places booked by then. The audit event holds both versions.
 */
enum store_status store_event_update(struct store *store, const struct actor *actor, const struct event *before,
                                     const struct event *changed, int64_t now);
/* Cancels an event and bumps its sequence; STORE_CONFLICT when it is already cancelled. */
enum store_status store_event_cancel(struct store *store, const struct actor *actor, int64_t id, int64_t now);
enum store_status store_event_get(struct store *store, int64_t id, struct arena *arena, struct event *out);

struct event_filter {
    int64_t cohort_id; /* 0 for any */
    int64_t from, to;  /* starts_at in [from, to); 0 for open */
};
/* A page of the events the caller may see (admins: all; partner leads: their partner's cohorts;
 * facilitators and coaches: their cohorts and the events they facilitate; participants: their
 * cohorts), soonest first (CURSOR_NUMBER on starts_at, then id); page NULL for the first 1000. */
enum store_status store_event_list(struct store *store, const struct caller *caller, const struct event_filter *filter,
                                   struct store_page *page, struct arena *arena, struct event **out, size_t *count);
/* Every event of one cohort, cancelled ones included, soonest first (for its plan). */
enum store_status store_cohort_events(struct store *store, int64_t cohort_id, struct arena *arena, struct event **out,
                                      size_t *count);

/* A place taken on an event. */
struct booking {
    int64_t id;
    int64_t event_id;
    int64_t user_id;
    const char *user_name;
    const char *user_email;
    int64_t created_at;
};
/* Live bookings of an event, oldest first. */
enum store_status store_booking_list(struct store *store, int64_t event_id, struct arena *arena, struct booking **out,
                                     size_t *count);
enum store_status store_booking_exists(struct store *store, int64_t event_id, int64_t user_id, bool *booked);
/*
 * Books a place. STORE_CONFLICT when the person already holds one, when every place is taken, or
 * when the event is cancelled or has started by now; each is decided by the write itself, not by
 * what the caller read before, so bookings made at once never pass the capacity, on any engine.
 * STORE_NOT_FOUND when there is no such event or person. The caller's own checks are for its
 * messages.
 */
enum store_status store_booking_create(struct store *store, const struct actor *actor, int64_t event_id,
                                       int64_t user_id, int64_t now, int64_t *id);
/* Gives a place back (the event has one more free); STORE_NOT_FOUND when the person holds none. */
enum store_status store_booking_cancel(struct store *store, const struct actor *actor, int64_t event_id,
                                       int64_t user_id, int64_t now);

/* One line of an event's register: a booked person and their mark, if any. */
struct attendance_line {
    int64_t user_id;
    const char *user_name;
    bool marked;
    enum delivery_attendance_mark mark;
    const char *reason; /* why the mark was last corrected, or "" */
    int64_t recorded_at;
    int64_t recorded_by; /* 0 when unknown */
    const char *recorded_by_name;
};
/* The register: every person with a live booking, by name, with their mark. */
enum store_status store_attendance_register(struct store *store, int64_t event_id, struct arena *arena,
                                            struct attendance_line **out, size_t *count);
/*
 * Records or corrects one person's mark. before is the mark it replaces (NULL when there was
 * none): the audit event ("attendance.record" or "attendance.correct") holds both.
 */
enum store_status store_attendance_set(struct store *store, const struct actor *actor, int64_t event_id,
                                       int64_t user_id, const enum delivery_attendance_mark *before,
                                       enum delivery_attendance_mark mark, const char *reason, int64_t now);

/* Coaching and the learning-hours log */

#include "domain/delivery.h" /* coaching modes, note visibility, activity types */

struct coaching_session {
    int64_t id;
    int64_t coach_id;
    const char *coach_name;
    int64_t participant_id;
    const char *participant_name;
    int64_t starts_at; /* UTC seconds */
    int64_t ends_at;
    enum delivery_coaching_mode mode;
    const char *place;    /* the joining link (online) or the location (in person) */
    int64_t sequence;     /* iCalendar SEQUENCE: bumped by every reschedule and by cancelling */
    int64_t cancelled_at; /* 0 while the session stands */
    int64_t created_at;
    int64_t updated_at;
    int64_t action_count; /* actions agreed in it, and how many of them are done (read only) */
    int64_t actions_done;
};

/* Books a session (sets s->id); sequence starts at 0. STORE_NOT_FOUND when the coach or the
 * participant does not exist. Who may book, and whether the times make sense, is the caller's. */
enum store_status store_coaching_session_create(struct store *store, const struct actor *actor,
                                                struct coaching_session *s, int64_t now);
/* A session with its action counts; strings in arena. */
enum store_status store_coaching_session_get(struct store *store, int64_t id, struct arena *arena,
                                             struct coaching_session *out);

struct coaching_filter {
    int64_t user_id;        /* sessions where this person is the coach or the participant; 0: every one */
    int64_t participant_id; /* only this participant's; 0: any */
};
/* A page of the sessions matching filter, past and future, the latest start first
 * (CURSOR_NUMBER on starts_at, then id), with their action counts. */
enum store_status store_coaching_session_list(struct store *store, const struct coaching_filter *filter,
                                              struct store_page *page, struct arena *arena,
                                              struct coaching_session **out, size_t *count);

/* Moves a session to s's times, mode and place and bumps its sequence. STORE_CONFLICT when it is
 * cancelled (or was cancelled meanwhile); STORE_NOT_FOUND when there is no session s->id. */
enum store_status store_coaching_session_reschedule(struct store *store, const struct actor *actor,
                                                    const struct coaching_session *s, int64_t now);
/* Cancels a session: sets cancelled_at and bumps its sequence. STORE_CONFLICT when already cancelled. */
enum store_status store_coaching_session_cancel(struct store *store, const struct actor *actor, int64_t id,
                                                int64_t now);

struct coaching_note {
    int64_t id;
    int64_t session_id;
    int64_t author_id;
    const char *author_name;
    enum delivery_note_visibility visibility;
    const char *body; /* Markdown, as written */
    int64_t created_at;
    int64_t updated_at;
};
/* Adds a note to a session (sets n->id). The audit log records its visibility and length, not the
 * text: private notes are the coach's alone. */
enum store_status store_coaching_note_add(struct store *store, const struct actor *actor, struct coaching_note *n,
                                          int64_t now);
/* A session's notes, oldest first; private ones only when with_private (the caller decides who
 * may read them: policy, never the participant). */
enum store_status store_coaching_notes(struct store *store, int64_t session_id, bool with_private, struct arena *arena,
                                       struct coaching_note **out, size_t *count);

struct coaching_action {
    int64_t id;
    int64_t session_id;
    const char *text;
    const char *due_on; /* YYYY-MM-DD, or NULL */
    int64_t done_at;    /* 0 while open */
    int64_t created_by;
    int64_t created_at;
};
/* Records an agreed action (sets a->id). */
enum store_status store_coaching_action_add(struct store *store, const struct actor *actor, struct coaching_action *a,
                                            int64_t now);
/* A session's actions in the order they were agreed. */
enum store_status store_coaching_actions(struct store *store, int64_t session_id, struct arena *arena,
                                         struct coaching_action **out, size_t *count);
/* Ticks an action off (done) or opens it again. Ticking a done action keeps its first done_at.
 * STORE_NOT_FOUND when action_id is not an action of session_id. */
enum store_status store_coaching_action_set_done(struct store *store, const struct actor *actor, int64_t session_id,
                                                 int64_t action_id, bool done, int64_t now);

/* One entry of the learning-hours log. */
struct activity {
    int64_t id;
    int64_t enrolment_id;
    int64_t participant_id;
    const char *module; /* a module code */
    enum delivery_activity type;
    const char *done_on;    /* YYYY-MM-DD */
    int quarter_hours;      /* hours x 4: sums stay exact */
    const char *reflection; /* Markdown, "" when none */
    int64_t verified_by;    /* 0 while unverified */
    const char *verified_by_name;
    int64_t verified_at;
    int64_t created_at;
    int64_t updated_at;
};
/* A page of an enrolment's log, latest date first (CURSOR_NUMBER: the date as YYYYMMDD, newest
 * first, then the newest entry). */
enum store_status store_activity_list(struct store *store, int64_t enrolment_id, struct store_page *page,
                                      struct arena *arena, struct activity **out, size_t *count);
/* The quarter hours of a whole log, added up by module, kind and whether verified. */
struct activity_sum {
    const char *module;
    enum delivery_activity type;
    bool verified;
    int64_t quarter_hours;
};
enum store_status store_activity_sums(struct store *store, int64_t enrolment_id, struct arena *arena,
                                      struct activity_sum **out, size_t *count);
/* One entry; STORE_NOT_FOUND when there is no entry id in that enrolment's log. */
enum store_status store_activity_get(struct store *store, int64_t enrolment_id, int64_t id, struct arena *arena,
                                     struct activity *out);
/* Quarter hours logged in an enrolment for a module, leaving out the entry except_id (0: none),
 * for telling someone how much more fits. It holds no cap: the writes below do. */
enum store_status store_activity_logged(struct store *store, int64_t enrolment_id, const char *module,
                                        int64_t except_id, int64_t *quarter_hours);
/*
 * Adds an entry (sets a->id). STORE_CONFLICT when it would take the hours logged in the enrolment
 * for its module past cap_quarter_hours: decided by the write, so entries added at once never
 * pass a cap together. STORE_NOT_FOUND when the enrolment or participant does not exist.
 */
enum store_status store_activity_create(struct store *store, const struct actor *actor, struct activity *a,
                                        int64_t cap_quarter_hours, int64_t now);
/*
 * Changes an unverified entry's module, type, date, hours and reflection. STORE_CONFLICT when it
 * is verified, when its module or hours were changed meanwhile (read it again), or when more
 * hours would take its module past cap_quarter_hours (fewer hours always fit); STORE_NOT_FOUND
 * when it is not in the enrolment's log.
 */
enum store_status store_activity_update(struct store *store, const struct actor *actor, const struct activity *a,
                                        int64_t cap_quarter_hours, int64_t now);
/* Removes an unverified entry: STORE_CONFLICT when it is verified, STORE_NOT_FOUND when it is not
 * in the enrolment's log. */
enum store_status store_activity_delete(struct store *store, const struct actor *actor, int64_t enrolment_id,
                                        int64_t id, int64_t now);
/* Marks an entry verified by verifier_id. STORE_CONFLICT when it is already verified. */
enum store_status store_activity_verify(struct store *store, const struct actor *actor, int64_t enrolment_id,
                                        int64_t id, int64_t verifier_id, int64_t now);

/* Calendars and notifications */

/* What a calendar entry is. */
enum calendar_subject { CALENDAR_EVENT, CALENDAR_COACHING_SESSION };

/*
 * An event or a coaching session as calendars and emails show it (store_calendar.c reads the
 * delivery tables itself, so calendars depend on no other delivery code). Strings are copied into
 * the caller's arena and are never NULL: "" when there is none.
 */
struct calendar_entry {
    enum calendar_subject subject;
    int64_t id;
    int64_t sequence;           /* iCalendar SEQUENCE, raised by every change */
    int64_t starts_at, ends_at; /* UTC seconds */
    int64_t updated_at;         /* when this version was made */
    int64_t cancelled_at;       /* 0 unless cancelled */
    const char *kind;           /* events: "face_to_face", "virtual_live", "webinar"; sessions: "online", "in_person" */
    const char *title;          /* an event's title; "" for a session */
    const char *cohort_code;    /* an event's cohort; "" for a session */
    const char *module;         /* an event's module code, or "" */
    const char *venue_name, *venue_address, *venue_postcode; /* an event's venue, "" when it has none */
    const char *joining_url; /* an event's joining link, or an online session's; "" when none */
    const char *place;       /* an in-person session's location; "" otherwise */
    int64_t lead_id;         /* the event's facilitator or the session's coach; 0 when none */
    const char *lead_name, *lead_email;
    int64_t participant_id; /* a session's participant; 0 for an event */
    const char *participant_name;
};

/*
 * A person's private calendar feed. Its address carries a secret token of which only the hash is
 * stored; making a new feed revokes the one before, so one address works at a time (a unique
 * index holds it). STORE_NOT_FOUND when there is no such person; STORE_CONFLICT when another feed
 * of theirs was made at the same moment and won (making one again replaces it).
 */
enum store_status store_calendar_feed_create(struct store *store, const struct actor *actor, int64_t user_id,
                                             const unsigned char token_hash[32], int64_t now);
/* STORE_NOT_FOUND when the person has no live feed. */
enum store_status store_calendar_feed_revoke(struct store *store, const struct actor *actor, int64_t user_id,
                                             int64_t now);
/* When the person's live feed was made; STORE_NOT_FOUND when there is none. */
enum store_status store_calendar_feed_get(struct store *store, int64_t user_id, int64_t *created_at);
/* The active person whose live feed has this token hash; STORE_NOT_FOUND for any other hash. */
enum store_status store_calendar_feed_owner(struct store *store, const unsigned char token_hash[32], int64_t *user_id);

/*
 * A person's calendar, soonest first, at most limit entries ending after since: the events they
 * facilitate, those of cohorts they are staff of, those they are booked on (and a cancelled event
 * they were booked on when it was cancelled, so calendars learn it is off), and the coaching
 * sessions they coach or are coached in. Cancelled entries are included.
 */
enum store_status store_calendar_entries(struct store *store, int64_t user_id, int64_t since, size_t limit,
                                         struct arena *arena, struct calendar_entry **out, size_t *count);

/* One event or coaching session; STORE_NOT_FOUND when there is none. */
enum store_status store_calendar_entry_get(struct store *store, enum calendar_subject subject, int64_t id,
                                           struct arena *arena, struct calendar_entry *out);

/* What a notification says. Names are the stored form: "invitation", "change", ... */
enum notification_kind {
    NOTIFICATION_INVITATION,
    NOTIFICATION_CHANGE,
    NOTIFICATION_CANCELLATION,
    NOTIFICATION_REMINDER,
    NOTIFICATION_KIND_COUNT
};
const char *notification_kind_name(enum notification_kind kind);

/* One notification to one person, identified as the notifications table's primary key is. */
struct notification {
    enum calendar_subject subject;
    int64_t subject_id;
    int64_t user_id;
    enum notification_kind kind;
    int64_t sequence;  /* the subject's SEQUENCE the notification tells of */
    int64_t starts_at; /* the subject's start, for deciding whether a reminder is due */
};

/*
 * Notifications about events that may be due at now and are not recorded yet, soonest event first
 * and, for one event, in the order of enum notification_kind; at most limit. For every active
 * person with a live booking on an event that has not started: an invitation when they have had
 * none; a change when its SEQUENCE is above that of the last invitation or change they had; a
 * reminder, when it starts at most reminder_lead seconds after now and they have had none
 * (whether one is due is still the caller's decision: delivery_reminder_due). For a cancelled
 * event that has not started, a cancellation to everyone whose booking was live when it was
 * cancelled, unless they had one since their last invitation or change. Nothing is written.
 */
enum store_status store_notifications_due(struct store *store, int64_t now, int64_t reminder_lead, size_t limit,
                                          struct arena *arena, struct notification **out, size_t *count);

/*
 * Records a notification as sent, inside the caller's transaction, with which the email it
 * stands for must be queued. STORE_CONFLICT when it is recorded already (by this server or
 * another, at this moment or before): the caller must then queue nothing. What counts as the same
 * notification is held by unique keys, so two servers recording at once cannot both win: a change
 * per SEQUENCE, a cancellation per SEQUENCE, an invitation and a reminder once per person and
 * event whatever the SEQUENCE.
 */
enum store_status store_notification_record(struct store *store, const struct notification *n, int64_t now);

/* Awards, credits and transcripts */

/* A qualification awarded: one per enrolment, with its certificate number and the secret code of
 * its public verification address. */
struct award {
    int64_t id;
    const char *certificate_number; /* "NPQSL-2027-000042-7" */
    const char *verification_code;  /* the secret in /verify/CODE */
    int64_t participant_id;
    const char *participant_name;
    const char *participant_email;
    int64_t enrolment_id;
    const char *qualification; /* its code */
    const char *awarded_on;    /* YYYY-MM-DD */
    int64_t awarded_by;        /* 0 when the command line or the system */
    int64_t created_at;
};

/*
 * What the database knows towards an award, beyond completed modules (store_completions), for
 * award_check. The final assessment is passed when a released result of "pass" exists for a
 * version the participant submitted to a final task of this qualification. Events attended are
 * those marked present or late, not cancelled, of the enrolment's cohort and of every cohort it
 * was in before (a deferral resumes in a later cohort), counted by kind.
 */
struct award_evidence {
    bool final_assessment_passed;
    int face_to_face_attended;
    int virtual_attended;
};
enum store_status store_award_evidence(struct store *store, int64_t enrolment_id, int64_t participant_id,
                                       const char *qualification, struct award_evidence *out);

/*
 * Records an award (sets a->id, and a->certificate_number in arena), inside the caller's
 * transaction or its own. The number is award_certificate_number(qualification, year, id): its
 * serial is the row's id, so no two awards ever share one. a->participant_id, enrolment_id,
 * qualification, awarded_on and verification_code are the caller's. STORE_CONFLICT when the
 * enrolment already has an award (or, never in practice, the code is taken).
 */
enum store_status store_award_create(struct store *store, const struct actor *actor, struct award *a, int year,
                                     struct arena *arena, int64_t now);
/* An award by id; strings in arena. */
enum store_status store_award_get(struct store *store, int64_t id, struct arena *arena, struct award *out);
/* The award of an enrolment; STORE_NOT_FOUND when it has none. */
enum store_status store_award_for_enrolment(struct store *store, int64_t enrolment_id, struct arena *arena,
                                            struct award *out);
/* The award whose verification code is code (compared exactly); STORE_NOT_FOUND for any other. */
enum store_status store_award_find_by_code(struct store *store, const char *code, struct arena *arena,
                                           struct award *out);
/* A page of awards newest first (CURSOR_ID), of one participant when participant_id is not 0,
 * with the total that match. */
enum store_status store_award_list(struct store *store, int64_t participant_id, struct store_page *page,
                                   struct arena *arena, struct award **out, size_t *count, size_t *total);
/* Which awards store_award_search finds: a field left 0 or NULL does not narrow the list. */
struct award_filter {
    int64_t participant_id;
    const char *qualification; /* a qualification's code, exactly */
    const char *awarded_from;  /* YYYY-MM-DD, the first day included */
    const char *awarded_to;    /* YYYY-MM-DD, the last day included */
};
/* A page of the awards that match filter, newest first (CURSOR_ID), with the total that match. */
enum store_status store_award_search(struct store *store, const struct award_filter *filter, struct store_page *page,
                                     struct arena *arena, struct award **out, size_t *count, size_t *total);

/* The Master's credit a completed module is worth, as agreed with a university. */
struct module_credit {
    const char *module; /* its code */
    int credits;
    const char *awarding_body; /* "" when not named */
    int64_t updated_at;
};
/* Sets (or replaces) a module's credit; audited. */
enum store_status store_module_credit_set(struct store *store, const struct actor *actor, const char *module,
                                          int credits, const char *awarding_body, int64_t now);
/* Every credit set, by module code. */
enum store_status store_module_credit_list(struct store *store, struct arena *arena, struct module_credit **out,
                                           size_t *count);

/* Hours a participant logged against one module, over all their enrolments, in quarter hours. */
struct module_hours {
    const char *module;
    int64_t verified_quarter_hours;
    int64_t unverified_quarter_hours;
};
/* Logged hours per module for a participant, by module code. */
enum store_status store_module_hours(struct store *store, int64_t participant_id, struct arena *arena,
                                     struct module_hours **out, size_t *count);

/* Assessment: tasks, submissions, marks, results */

#include "domain/assessment.h" /* task kinds, outcomes, submission states */

struct assessment_criterion {
    const char *title;
    const char *descriptor; /* what meeting it looks like; "" when none */
};

/* A piece of assessed work set for a module, or a qualification's final assessment. */
struct assessment_task {
    int64_t id;
    enum task_kind kind;
    const char *target; /* a module code, or a qualification code for a final assessment */
    const char *title;
    const char *brief; /* Markdown */
    int64_t deadline;  /* UTC seconds */
    int word_limit;    /* 0: none */
    int max_resubmissions;
    int moderation_percent;
    int64_t max_file_bytes;                /* the largest file one may attach to work on it */
    struct assessment_criterion *criteria; /* in order: position i + 1 */
    size_t criteria_count;
    int64_t created_at;
    int64_t updated_at;
    int64_t versions_submitted; /* read only: versions submitted against the task so far */
};

/* Creates a task with its criteria (sets t->id). */
enum store_status store_task_create(struct store *store, const struct actor *actor, struct assessment_task *t,
                                    int64_t now);
/* Replaces a task's title, brief, deadline, limits (words, resubmissions, file size) and moderation share, and with
 * replace_criteria its criteria: STORE_CONFLICT then when a version was already submitted against
 * it (work is marked against the criteria it was written to). STORE_NOT_FOUND when there is none. */
enum store_status store_task_update(struct store *store, const struct actor *actor, const struct assessment_task *t,
                                    bool replace_criteria, int64_t now);
/* A task with its criteria; strings in arena. */
enum store_status store_task_get(struct store *store, int64_t id, struct arena *arena, struct assessment_task *out);
/* Tasks of one module or qualification (target NULL: every task), by deadline, with criteria. */
enum store_status store_task_list(struct store *store, const char *target, struct arena *arena,
                                  struct assessment_task **out, size_t *count);

/* A participant's work on one task in one enrolment: the draft and what is known of its versions. */
struct submission {
    int64_t id;
    int64_t task_id;
    const char *task_title;
    int64_t enrolment_id;
    int64_t participant_id;
    const char *participant_name;
    const char *participant_email;
    const char *activity;
    const char *draft_text;
    enum submission_state state;
    int64_t created_at;
    int64_t updated_at;
    int versions;                /* read only: versions submitted */
    int64_t latest_version_id;   /* read only: 0 when none */
    int64_t latest_submitted_at; /* read only: 0 when none */
};

/* Starts a draft (sets s->id; task_id, enrolment_id and participant_id are the caller's).
 * STORE_CONFLICT when the enrolment already has a submission for the task, even one started at the
 * same moment (its id in *existing); STORE_NOT_FOUND when the task or enrolment does not exist. */
enum store_status store_submission_create(struct store *store, const struct actor *actor, struct submission *s,
                                          int64_t now, int64_t *existing);
enum store_status store_submission_get(struct store *store, int64_t id, struct arena *arena, struct submission *out);

struct submission_filter {
    int64_t task_id; /* 0: any */
    bool all;        /* every participant's (assessors, administrators) */
    int64_t user_id; /* otherwise: this person's own, and their coachees' when coach */
    bool coach;
};
/* A page of the submissions matching filter, the latest change first (CURSOR_NUMBER on
 * updated_at, then id). */
enum store_status store_submission_list(struct store *store, const struct submission_filter *filter,
                                        struct store_page *page, struct arena *arena, struct submission **out,
                                        size_t *count);

/* Saves the draft's activity and text (NULL keeps either). STORE_CONFLICT unless it is a draft. */
enum store_status store_submission_save_draft(struct store *store, const struct actor *actor, int64_t id,
                                              const char *activity, const char *text, int64_t now);

/* A file attached to the draft (version_id 0) or submitted with a version. Its bytes are the
 * blob blob_id, held through the files row file_id (store_files.c), which names the participant. */
struct submission_file {
    int64_t id;
    int64_t submission_id;
    int64_t version_id;
    const char *name;
    const char *content_type;
    int64_t size;
    const char *sha256; /* hex */
    int64_t created_at;
    int64_t file_id;
    int64_t blob_id;
};
/* Attaches the blob f->blob_id (written in the caller's transaction) to the draft under f->name,
 * as the participant's file (sets f->id and f->file_id). STORE_CONFLICT unless the submission is
 * a draft, STORE_NOT_FOUND when there is none. */
enum store_status store_submission_file_add(struct store *store, const struct actor *actor, struct submission_file *f,
                                            int64_t now);
/* Removes a draft's file. STORE_NOT_FOUND when it is not one of the draft's files; STORE_CONFLICT
 * unless the submission is a draft. */
enum store_status store_submission_file_delete(struct store *store, const struct actor *actor, int64_t submission_id,
                                               int64_t file_id, int64_t now);
/* Every file of a submission, the draft's and its versions', oldest first (without their bytes). */
enum store_status store_submission_files(struct store *store, int64_t submission_id, struct arena *arena,
                                         struct submission_file **out, size_t *count);
/* One file (its bytes are the blob out->blob_id). */
enum store_status store_submission_file_get(struct store *store, int64_t submission_id, int64_t file_id,
                                            struct arena *arena, struct submission_file *out);

/* Files (store_files.c): which record holds each blob (blob.h), under what name, and whose it
 * is, so that a person's export and erasure find their files. record_kind is "submission" or
 * "content_item". */
struct stored_file {
    int64_t id;
    int64_t blob_id;
    const char *record_kind;
    int64_t record_id;
    int64_t owner_id; /* the person it belongs to; 0 for the library's */
    const char *name;
    const char *media_type; /* the blob's, detected from its bytes */
    int64_t size;
    const char *sha256;
    int64_t created_by;
    int64_t created_at;
};
/* Adds a files row for f->blob_id (sets f->id and f->created_at); audited. */
enum store_status store_file_add(struct store *store, const struct actor *actor, struct stored_file *f, int64_t now);
enum store_status store_file_get(struct store *store, int64_t id, struct arena *arena, struct stored_file *out);
/* The files a record holds, oldest first. */
enum store_status store_files_of(struct store *store, const char *record_kind, int64_t record_id, struct arena *arena,
                                 struct stored_file **out, size_t *count);
/* Every file that is a person's, oldest first: for their data export and erasure. */
enum store_status store_files_of_owner(struct store *store, int64_t owner_id, struct arena *arena,
                                       struct stored_file **out, size_t *count);
/* Deletes a files row, and its blob when no other row holds it; audited. STORE_NOT_FOUND when
 * there is no such file. */
enum store_status store_file_delete(struct store *store, const struct actor *actor, int64_t id, int64_t now);

/* A submitted version, never changed once written, and its released result if any. */
struct submission_version {
    int64_t id;
    int64_t submission_id;
    int number;
    const char *text;
    const char *text_sha256;
    int64_t word_count;
    int64_t submitted_at;
    bool late;
    const char *receipt;
    bool has_result; /* read only: the released result */
    enum mark_outcome result;
    int64_t released_at;
};
/*
 * Writes version v (number, text, text_sha256, word_count, late, receipt; sets v->id), moves the
 * draft's files to it and moves the submission from from_state to SUBMITTED, inside the caller's
 * transaction or its own. STORE_CONFLICT when the submission is no longer in from_state (someone
 * submitted meanwhile: of two at once, one wins) or v->number is not one more than the highest
 * version's, so numbers run 1..n with no gap and no duplicate.
 */
enum store_status store_submission_submit(struct store *store, const struct actor *actor, struct submission_version *v,
                                          enum submission_state from_state, int64_t now);
/* A submission's versions, oldest first, with their results. */
enum store_status store_submission_versions(struct store *store, int64_t submission_id, struct arena *arena,
                                            struct submission_version **out, size_t *count);

/* A coach's formative feedback, on the draft (version_id 0) or on a version. */
struct submission_feedback {
    int64_t id;
    int64_t submission_id;
    int64_t version_id;
    int version_number; /* read only: 0 for the draft */
    int64_t author_id;
    const char *author_name;
    const char *body; /* Markdown */
    int64_t created_at;
};
/* Adds feedback (sets f->id). STORE_NOT_FOUND when the version is not one of the submission's. */
enum store_status store_submission_feedback_add(struct store *store, const struct actor *actor,
                                                struct submission_feedback *f, int64_t now);
/* A submission's feedback, oldest first. */
enum store_status store_submission_feedback_list(struct store *store, int64_t submission_id, struct arena *arena,
                                                 struct submission_feedback **out, size_t *count);

enum mark_role { MARK_ASSESSOR, MARK_MODERATOR };
const char *mark_role_name(enum mark_role role); /* "assessor", "moderator" */

struct mark_criterion {
    bool met;
    const char *comment; /* "" when none */
};
/* An assessor's or moderator's marking of one version. */
struct mark {
    int64_t id;
    int64_t version_id;
    int version_number; /* read only */
    int64_t marker_id;
    const char *marker_name;
    enum mark_role role;
    enum mark_outcome outcome;
    const char *feedback;            /* Markdown, for the participant */
    struct mark_criterion *criteria; /* by position */
    size_t criteria_count;
    int64_t created_at;
};
/*
 * Records a mark with its criteria (sets m->id) and moves the submission from from_state to
 * to_state, in one transaction (the caller's or its own). STORE_CONFLICT when the version already
 * has a mark in that role or the submission is no longer in from_state.
 */
enum store_status store_mark_add(struct store *store, const struct actor *actor, int64_t submission_id, struct mark *m,
                                 enum submission_state from_state, enum submission_state to_state, int64_t now);
/* Every mark of a submission's versions, by version then role, with criteria. */
enum store_status store_marks(struct store *store, int64_t submission_id, struct arena *arena, struct mark **out,
                              size_t *count);

/*
 * Writes the released result of a version and moves its submission from from_state to to_state
 * (RELEASED, or DRAFT for a referral that may be resubmitted), in one transaction (the caller's
 * or its own). STORE_CONFLICT when the version already has a result or the submission moved on.
 */
enum store_status store_result_release(struct store *store, const struct actor *actor, int64_t submission_id,
                                       int64_t version_id, enum mark_outcome outcome, enum submission_state from_state,
                                       enum submission_state to_state, int64_t now);

/* A version waiting for its assessor (SUBMITTED) or, once marked, perhaps for a moderator. */
struct marking_item {
    int64_t submission_id;
    enum submission_state state; /* SUBMITTED or MARKED */
    int64_t task_id;
    const char *task_title;
    enum task_kind task_kind;
    const char *task_target;
    int moderation_percent;
    int64_t participant_id;
    const char *participant_name;
    int64_t version_id;
    int version_number;
    int64_t submitted_at;
    bool late;
    int64_t assessor_id; /* MARKED: who marked it, and how (for assessment_needs_moderation) */
    const char *assessor_name;
    enum mark_outcome assessor_outcome;
};
/* A page of the submissions SUBMITTED or MARKED with their latest version, the oldest submitted
 * first (CURSOR_NUMBER: the version's submitted_at and id). Which marked ones need moderating is
 * the caller's to decide. */
enum store_status store_marking_queue(struct store *store, struct store_page *page, struct arena *arena,
                                      struct marking_item **out, size_t *count);

/* The home page: what waits for one person in each of their roles (store_home.c) */

/* Which question a home row answers. subject is the person asked about (the caller, or for
 * HOME_ENROLMENT_WORK an enrolment). */
enum home_query {
    HOME_PARTICIPANT_EVENTS,     /* coming events of the cohorts they study in; n0 booked, n1 places left */
    HOME_PARTICIPANT_TASKS,      /* tasks not yet submitted, deadline to come; ref the enrolment, n0 the
                                    submission (0: not started); kind "module" or "final", code the target */
    HOME_PARTICIPANT_FEEDBACK,   /* coaches' feedback on drafts and results released, newest first */
    HOME_PARTICIPANT_COACHING,   /* coaching sessions to come */
    HOME_PARTICIPANT_ACTIONS,    /* agreed actions not yet done; id the session, date the due date */
    HOME_FACILITATOR_EVENTS,     /* events they facilitate, from those under way or ended in the last
                                    12 hours on; n0 booked, n1 places, n2 ends_at, n3 marks taken */
    HOME_FACILITATOR_COHORTS,    /* cohorts they facilitate in; n0 participants */
    HOME_COACH_COACHEES,         /* the people they coach; at their next session, n0 sessions held */
    HOME_COACH_SESSIONS,         /* coaching sessions to come */
    HOME_COACH_DRAFTS,           /* coachees' drafts changed since their last feedback; ref the person */
    HOME_COACH_HOURS,            /* coachees' enrolments with hours not verified; n0 entries, n1 quarter hours */
    HOME_ASSESSOR_DEADLINES,     /* tasks whose deadline is in the last 14 days or to come; n0 waiting marking */
    HOME_LEAD_COHORTS,           /* cohorts of the partners they lead; n0 participants, n1 attended marks,
                                    n2 marks taken */
    HOME_LEAD_UNPLACED,          /* people in those cohorts with no place on any of its coming events;
                                    id the person, ref the cohort */
    HOME_LEAD_UNASSIGNED,        /* people accepted who prefer those partners, not yet in a cohort; id the
                                    person, ref the application */
    HOME_ADMIN_APPLICATIONS,     /* applications waiting for the provider: approved by the sponsor, or
                                    accepted and not yet enrolled */
    HOME_ADMIN_RELEASE,          /* marked or moderated work whose result is not released */
    HOME_ADMIN_AWARD_CANDIDATES, /* live qualification enrolments with a passed final assessment and no award */
    HOME_ADMIN_COHORTS,          /* cohorts not yet ended, for their plans */
    HOME_MENTOR_PEOPLE,          /* enrolments of the people they mentor; ref the person, at the next event,
                                    n0 attended, n1 marks, n2 quarter hours logged, n3 next deadline */
    HOME_HEADTEACHER_PEOPLE,     /* the same, for enrolments at their schools */
    HOME_ENROLMENT_WORK,         /* the work of one enrolment: state only ("released" gives the outcome in detail) */
};

/* One answer: what each column holds depends on the query (above). */
struct home_row {
    int64_t id;
    int64_t ref;
    const char *title;  /* "" when none */
    const char *detail; /* "" when none */
    int64_t at;         /* UTC seconds, 0 when none */
    const char *kind;   /* "" when none */
    const char *code;   /* a qualification or module code, "" when none */
    const char *date;   /* YYYY-MM-DD, "" when none */
    int64_t n[4];
};

/* The rows answering query about subject at now, at most limit of them; strings in arena. */
enum store_status store_home_rows(struct store *store, enum home_query query, int64_t subject, int64_t now,
                                  size_t limit, struct arena *arena, struct home_row **out, size_t *count);

/* The content library (store_content.c) */

#include "domain/content.h" /* kinds of item and what a version holds */

/* One version of an item as written; strings in arena. */
struct content_version {
    int version;
    const char *title;
    const char *body; /* Markdown */
    const char *media_url;
    const char *captions_url;
    const char *transcript;
    int minutes;
    const char *change_note;
    const char *author_name; /* "" when the author is gone or was the command line */
    int64_t created_at;
};

/* An item with its current version and tags (tags in their written form, sorted). */
struct content_item {
    int64_t id;
    enum content_kind kind;
    struct content_version current;
    const char **tags;
    size_t tag_count;
    int64_t created_at;
    int64_t updated_at;
};

/* A delivery partner's local variant of an item. */
struct content_variant {
    int64_t item_id;
    int64_t partner_id;
    const char *partner_name;
    int version;
    const char *title;
    const char *body;
    const char *change_note;
    int64_t updated_at;
};

/* Makes an item at version 1 with its tags (written forms, already checked). Sets *id. */
enum store_status store_content_create(struct store *store, const struct actor *actor, const struct content_input *in,
                                       const char *const *tags, size_t tag_count, int64_t now, int64_t *id);

/* Makes the next version of an item, the number chosen by the write itself, and replaces its kind
 * and tags (tags NULL keeps them). Sets *version. STORE_NOT_FOUND for no such item. */
enum store_status store_content_revise(struct store *store, const struct actor *actor, int64_t id,
                                       const struct content_input *in, const char *const *tags, size_t tag_count,
                                       int64_t now, int *version);

/* An item with its current version and tags. */
enum store_status store_content_get(struct store *store, int64_t id, struct arena *arena, struct content_item *out);

/* Every version of an item, newest first. */
enum store_status store_content_versions(struct store *store, int64_t id, struct arena *arena,
                                         struct content_version **out, size_t *count);

/* A page of items, newest change first (CURSOR_NUMBER on updated_at, then id), with tag_count 0:
 * all, or those with tag (its written form, any case), or whose current title contains query
 * (NULL or "" for any). */
enum store_status store_content_list(struct store *store, const char *tag, const char *query, struct store_page *page,
                                     struct arena *arena, struct content_item **out, size_t *count);

/* The variant of an item for a partner; STORE_NOT_FOUND when the partner has none. */
enum store_status store_content_variant_get(struct store *store, int64_t item_id, int64_t partner_id,
                                            struct arena *arena, struct content_variant *out);

/* An item's variants, for every partner (partner_id 0) or one. */
enum store_status store_content_variants(struct store *store, int64_t item_id, int64_t partner_id, struct arena *arena,
                                         struct content_variant **out, size_t *count);

/* Makes or changes a partner's variant, its version moved by the write. Sets *version.
 * STORE_NOT_FOUND for no such item or partner. */
enum store_status store_content_variant_save(struct store *store, const struct actor *actor, int64_t item_id,
                                             int64_t partner_id, const char *title, const char *body,
                                             const char *change_note, int64_t now, int *version);

/* The delivery partner whose variants a person sees outside a course: the partner of a role they
 * hold, else of the cohort of their newest enrolment; 0 for none. */
enum store_status store_content_person_partner(struct store *store, int64_t user_id, int64_t *partner_id);

/* Whether id is a delivery partner. */
enum store_status store_content_is_partner(struct store *store, int64_t id, bool *is_partner);

/* Courses: a module's ordered units of ordered items */

/* One item in a unit, as a participant of a partner sees it (its variant's title when there is one). */
struct course_item {
    int64_t item_id;
    enum content_kind kind;
    const char *title;
    int minutes;
    int version;         /* the item's current version */
    int variant_version; /* the partner's variant's, 0 for none */
};

struct course_unit {
    int64_t id;
    const char *module; /* the catalogue's code */
    int position;
    const char *title;
    struct course_item *items;
    size_t item_count;
};

/* Adds a unit at the end of a module's course with items in the order given. Sets *id.
 * STORE_NOT_FOUND when an item does not exist; STORE_CONFLICT for an item named twice. */
enum store_status store_content_unit_create(struct store *store, const struct actor *actor, const char *module,
                                            const char *title, const int64_t *items, size_t item_count, int64_t now,
                                            int64_t *id);

/* The units of the modules given (any case), in module order then position, each with its items in
 * order as seen by partner_id's participants (0: no partner). */
enum store_status store_course_units(struct store *store, const char *const *modules, size_t module_count,
                                     int64_t partner_id, struct arena *arena, struct course_unit **out, size_t *count);

/* An item a participant marked as done in an enrolment. */
struct content_completion {
    int64_t item_id;
    int item_version;
    int variant_version;
    int64_t completed_at;
};

enum store_status store_content_completions(struct store *store, int64_t enrolment_id, struct arena *arena,
                                            struct content_completion **out, size_t *count);

/* Learning activity in the shape of xAPI (see 022_content.sql). */
enum learning_verb { LEARNING_EXPERIENCED, LEARNING_COMPLETED };
struct learning_record {
    int64_t id;
    int64_t actor_id;
    const char *actor_email; /* read only */
    const char *actor_name;  /* read only */
    enum learning_verb verb;
    int64_t object_id;
    int object_version;
    const char *object_title; /* read only: the version's title */
    int64_t enrolment_id;
    const char *module; /* NULL when the item is in none of the enrolment's units */
    int64_t timestamp;
    int result_completion;       /* -1 for none */
    int result_duration_seconds; /* -1 for none */
};

/* The verb's IRI: "http://adlnet.gov/expapi/verbs/completed". */
const char *learning_verb_iri(enum learning_verb verb);

/* Records one statement (sets r->id); inside the caller's transaction. */
enum store_status store_learning_record_add(struct store *store, struct learning_record *r);

/* Marks an item done in an enrolment at the versions seen (again: the versions move on), and
 * records the completion as learning activity, in one transaction. */
enum store_status store_content_complete(struct store *store, const struct actor *actor, int64_t enrolment_id,
                                         const struct content_completion *c, struct learning_record *record);

/* A page of an enrolment's learning records, oldest first (CURSOR_ID). */
enum store_status store_learning_records(struct store *store, int64_t enrolment_id, struct store_page *page,
                                         struct arena *arena, struct learning_record **out, size_t *count);

/* Progress (store_progress.c) */

/* One module of an enrolment as it stands: the cohort's events for it, the participant's marks,
 * hours logged (in quarter hours) against its cap (in hours), and whether it is completed. */
struct progress_module_row {
    const char *code;
    const char *title;
    int hours_cap;
    int events_total; /* not cancelled */
    int events_ended; /* of those, ended by now */
    int events_held;  /* of those, ended by now or with the participant's mark recorded */
    int events_attended;
    int events_missed; /* marked absent; an excused absence is not missed */
    int quarter_hours;
    bool completed;
    int64_t next_event_end; /* when the next of its events ends, 0 when none is to come */
    int content_items;      /* distinct items in the module's course */
    int content_done;       /* of those, marked done in the enrolment */
};

/* Everything progress is judged on for one enrolment, read in one transaction. Results are only
 * ever released ones (a result row is written on release), so what this holds may be shown to
 * anyone who may read the enrolment. */
struct progress_facts_row {
    int64_t enrolment_id;
    int64_t participant_id;
    const char *participant_name;
    const char *kind;   /* "qualification" or "module" */
    const char *target; /* its code */
    const char *state;  /* the enrolment's */
    int coaching_held;
    bool has_task;
    int64_t deadline;       /* the final (or module) assessment's, UTC seconds */
    const char *submission; /* its state, "" when nothing is started */
    const char *outcome;    /* the latest released outcome, "" when none */
    struct progress_module_row *modules;
    size_t module_count;
};

/* The facts of enrolment id at now, strings and modules in arena; STORE_NOT_FOUND when no such
 * enrolment. */
enum store_status store_progress_facts(struct store *store, int64_t id, int64_t now, struct arena *arena,
                                       struct progress_facts_row *out);

/* ---- Learning communities (store_forum.c) ----
 *
 * Forums, threads, posts, reports, subscriptions, mentions and digests. Who belongs to a forum is
 * not stored: store_relation(RESOURCE_FORUM...) reads a person's facts about it, and the policy
 * decides (policy_is_forum_member). Lists that span forums return each forum's facts for the
 * caller beside its rows, and the use case keeps the rows the policy allows, so there is one rule
 * of membership and it is not written again in SQL. Strings are in the arena given. */

struct forum {
    int64_t id;
    enum forum_kind kind;
    int64_t cohort_id;        /* a cohort's forum, else 0 */
    const char *name;         /* the cohort's code, the module's title, or "" for the provider's */
    const char *module;       /* a module's forum: its code, else "" */
    int64_t thread_count;     /* threads in it */
    int64_t last_post_at;     /* its newest post (hidden ones too), 0 when none */
    int subscription;         /* the caller's: an enum forum_delivery, or -1 for none */
    struct relation relation; /* the caller's facts about it, as the gate would load them */
};

struct forum_thread {
    int64_t id;
    int64_t forum_id;
    const char *title;
    int64_t author_id;
    const char *author_name;
    bool pinned;
    bool locked;
    int64_t created_at;
    int64_t last_post_at;
    int64_t reply_count; /* posts after the first that are not hidden */
};

struct forum_post {
    int64_t id;
    int64_t thread_id;
    int64_t forum_id;
    const char *thread_title;
    int64_t author_id;
    const char *author_name;
    const char *body; /* Markdown as written */
    bool hidden;
    int64_t created_at;
    int64_t edited_at; /* 0 when never edited */
    bool opening;      /* the first post of its thread */
};

struct forum_report {
    int64_t id;
    int64_t reporter_id;
    const char *reporter_name;
    const char *reason;
    int64_t created_at;
    struct forum_post post;
    const char *forum_name;
    enum forum_kind forum_kind;
    struct relation relation; /* the caller's facts about the post's forum */
};

/* Every forum (a module's only while the catalogue has the module), the provider's first, then
 * cohorts' and modules' by name, with the facts of caller about each and its subscription. */
enum store_status store_forum_list(struct store *store, const struct caller *caller, struct arena *arena,
                                   struct forum **out, size_t *count);

/* One forum as store_forum_list has it; STORE_NOT_FOUND when there is none. */
enum store_status store_forum_get(struct store *store, const struct caller *caller, int64_t id, struct arena *arena,
                                  struct forum *out);

/* A page of a forum's threads, pinned first, then the most recently active (CURSOR_NUMBER: the
 * two as one position, newest first). */
enum store_status store_forum_threads(struct store *store, int64_t forum_id, struct store_page *page,
                                      struct arena *arena, struct forum_thread **out, size_t *count);

enum store_status store_forum_thread_get(struct store *store, int64_t id, struct arena *arena,
                                         struct forum_thread *out);

/* A page of a thread's posts in order (CURSOR_ID); hidden ones only with_hidden. */
enum store_status store_forum_posts(struct store *store, int64_t thread_id, bool with_hidden, struct store_page *page,
                                    struct arena *arena, struct forum_post **out, size_t *count);

enum store_status store_forum_post_get(struct store *store, int64_t id, struct arena *arena, struct forum_post *out);

/* A thread with its opening post. Sets *thread_id and *post_id. */
enum store_status store_forum_thread_create(struct store *store, int64_t forum_id, int64_t author_id, const char *title,
                                            const char *body, int64_t now, int64_t *thread_id, int64_t *post_id);

/* A reply, refused with STORE_CONFLICT by the write itself when the thread is locked. */
enum store_status store_forum_reply_create(struct store *store, int64_t thread_id, int64_t author_id, const char *body,
                                           int64_t now, int64_t *post_id);

enum store_status store_forum_post_edit(struct store *store, int64_t id, const char *body, int64_t now);
enum store_status store_forum_post_hide(struct store *store, int64_t id, bool hidden, int64_t by);

/* Pins or unpins, locks or unlocks a thread; a value below 0 leaves that one as it is. */
enum store_status store_forum_thread_set(struct store *store, int64_t id, int pinned, int locked);

/* A report; STORE_CONFLICT when the reporter's earlier report of the post is still open. */
enum store_status store_forum_report_create(struct store *store, int64_t post_id, int64_t reporter_id,
                                            const char *reason, int64_t now, int64_t *id);

/* Closes an open report with an outcome ("hidden" or "kept"); STORE_CONFLICT when it is closed. */
enum store_status store_forum_report_resolve(struct store *store, int64_t id, int64_t by, const char *outcome,
                                             int64_t now);

/* A report (open or not) with its post; STORE_NOT_FOUND when there is none. */
enum store_status store_forum_report_get(struct store *store, const struct caller *caller, int64_t id,
                                         struct arena *arena, struct forum_report *out);

/* Open reports, oldest first (at most limit), each with the caller's facts about its forum. */
enum store_status store_forum_reports_open(struct store *store, const struct caller *caller, size_t limit,
                                           struct arena *arena, struct forum_report **out, size_t *count);

/* Posts whose text matches the words of query (not hidden), best match first (at most limit),
 * each with the caller's facts about its forum: SQLite's FTS5 or PostgreSQL's tsvector, chosen
 * here for the engine. Only letters and digits of query count as words; none matches nothing. */
struct forum_search_hit {
    struct forum_post post;
    const char *forum_name;
    enum forum_kind forum_kind;
    struct relation relation;
};
enum store_status store_forum_search(struct store *store, const struct caller *caller, const char *query, size_t limit,
                                     struct arena *arena, struct forum_search_hit **out, size_t *count);

/*
 * One search over content items (their current version), partners' local variants, framework
 * statements and forum posts (migration 034: FTS5 with porter stemming on SQLite, 'english'
 * tsvectors on PostgreSQL), best match first, key-set paged. Every match is returned with the facts
 * the policy needs (policy_sees_search_hit), never a decision: relation.in_cohort for an item or
 * variant says the person ?1 studies a module it is tagged to (or it is tagged to no module); for
 * a post relation holds its forum's facts, whether it is hidden and whether the person wrote it.
 * Filters left "" do not narrow: module (a module's code: items tagged to it, posts of its forum;
 * no statements), area ("framework/number": items tagged to the area or one of its statements,
 * the area's statements; no posts), kind (a content kind, "statement" or "post").
 * Only letters and digits of query count as words; none matches nothing.
 */
struct search_filter {
    const char *query;
    const char *module;
    const char *area;
    const char *kind;
};
struct search_hit {
    enum search_source source;
    int64_t id;          /* the item (content or variant) or the post; 0 for a statement */
    int64_t partner_id;  /* a variant's partner */
    int64_t thread_id;   /* a post's thread */
    int64_t row;         /* the row of its index, for store_search_snippet */
    struct cursor position; /* the page position just after this hit */
    const char *title;   /* the item's or variant's title, the post's thread, the statement's text */
    const char *content_kind;
    const char *framework; /* a statement's framework, area, kind and number */
    int area;
    const char *statement_kind;
    int number;
    struct relation relation;
};
enum store_status store_search(struct store *store, const struct caller *caller, const struct search_filter *filter,
                               struct store_page *page, struct arena *arena, struct search_hit **out, size_t *count);

/* The words of hit that match query, with SEARCH_MARK_OPEN and SEARCH_MARK_CLOSE around each (in
 * arena; "" when the engine finds none). */
enum store_status store_search_snippet(struct store *store, const char *query, const struct search_hit *hit,
                                       struct arena *arena, const char **out);

/* Sets the person's subscription to a forum (mode an enum forum_delivery), or ends it (mode -1). */
enum store_status store_forum_subscribe(struct store *store, int64_t user_id, int64_t forum_id, int mode, int64_t now);

/* Who to tell of a post: the active people whose names follow an "@" somewhere in text (a loose
 * match, which forum_mentions makes exact), or those subscribed to forum_id for each post.
 * Ids only: the use case asks the policy whether each still belongs. */
enum forum_people { FORUM_PEOPLE_NAMED, FORUM_PEOPLE_EACH_POST };
enum store_status store_forum_people(struct store *store, int64_t forum_id, enum forum_people which, const char *text,
                                     struct arena *arena, int64_t **ids, size_t *count);

/* Records that post_id mentions user_id; *recorded is false when it was recorded before. */
enum store_status store_forum_mention_record(struct store *store, int64_t post_id, int64_t user_id, bool *recorded);

/* An active person as the gate would know them: their account and every role. STORE_NOT_FOUND
 * for no such person, or one who is not active. */
enum store_status store_caller_get(struct store *store, int64_t user_id, struct arena *arena, struct caller *caller);

/* People subscribed for a daily digest with none recorded for day, and posts made before
 * day_start that their last digest did not cover (at most limit of them). */
enum store_status store_forum_digest_due(struct store *store, const char *day, int64_t day_start, size_t limit,
                                         struct arena *arena, int64_t **ids, size_t *count);

/* The posts a digest for user_id lists: in forums they subscribe to daily, not hidden, not
 * theirs, made in [their last digest's end, day_start), oldest first (at most limit), each with
 * forum_id and thread_title set, and the name and kind of its forum. */
struct forum_digest_item {
    struct forum_post post;
    const char *forum_name;
    enum forum_kind forum_kind;
};
enum store_status store_forum_digest_posts(struct store *store, int64_t user_id, int64_t day_start, size_t limit,
                                           struct arena *arena, struct forum_digest_item **out, size_t *count);

/* Records user_id's digest of day, covering posts up to covered_until; STORE_CONFLICT when one
 * is recorded already (another server sent it). */
enum store_status store_forum_digest_record(struct store *store, int64_t user_id, const char *day,
                                            int64_t covered_until, int64_t now);
/* An enrolment's progress as kept in enrolment_progress: what the lists and dashboards read. */
struct progress_record {
    int64_t enrolment_id;
    const char *status;  /* progress_status_name's */
    const char *reasons; /* one a line */
    int modules_completed;
    int modules_required;
    int events_held;
    int events_attended;
    bool has_task;
    bool submitted;
    const char *result; /* "pass", "fail", "refer" or "" */
    int64_t recheck_at; /* 0 when only a write can change it */
};

struct progress_module_record {
    const char *module;
    const char *status;
    const char *reasons;
};

/* Replaces the kept progress of r->enrolment_id and its modules, inside the caller's transaction. */
enum store_status store_progress_save(struct store *store, const struct progress_record *r,
                                      const struct progress_module_record *modules, size_t module_count, int64_t now);

/* Which enrolments a change touches, to refresh: those of a cohort, of a participant, studying a
 * target (a task's qualification or module), studying a module in any way (alone, as essential or
 * as a chosen elective: a change to its course), or all of them; ids after after_id, at most limit,
 * in order. PROGRESS_DUE: the live ones whose kept progress is missing or whose recheck_at has come. */
enum progress_scope {
    PROGRESS_OF_COHORT,
    PROGRESS_OF_PARTICIPANT,
    PROGRESS_OF_TARGET,
    PROGRESS_OF_MODULE,
    PROGRESS_ALL,
    PROGRESS_DUE
};
enum store_status store_progress_enrolments(struct store *store, enum progress_scope scope, int64_t id,
                                            const char *code, int64_t now, int64_t after_id, size_t limit,
                                            struct arena *arena, int64_t **out, size_t *count);

/* What a progress list may be narrowed to; 0 or NULL for any. */
struct progress_filter {
    int64_t cohort_id;
    int64_t partner_id;
    const char *region;        /* the school's region */
    const char *qualification; /* the target studied */
    const char *status;        /* progress_status_name's */
    int64_t participant_id;
};

/* One enrolment of a progress list, read from the kept table with whom it concerns. */
struct progress_list_row {
    struct progress_record progress;
    int64_t participant_id;
    const char *participant_name;
    const char *target;
    int64_t cohort_id;
    const char *cohort_code;
    int64_t partner_id;
    const char *school_name;
    const char *region;
    int64_t refreshed_at;
    bool has_plan; /* a support plan is open for the enrolment */
};

/*
 * The live enrolments the caller may watch over, read from the kept progress: every one for an
 * administrator, their partner's cohorts for a partner lead, their school's for a headteacher,
 * those named to them for a mentor or coach. After after_id (ordered by id), at most limit.
 */
enum store_status store_progress_list(struct store *store, const struct caller *caller,
                                      const struct progress_filter *filter, int64_t after_id, size_t limit,
                                      struct arena *arena, struct progress_list_row **out, size_t *count);

/* One cohort's figures, summed from the kept progress of its live and completed enrolments. */
struct progress_cohort_row {
    int64_t cohort_id;
    const char *code;
    const char *target;
    int64_t partner_id;
    int enrolments;
    int complete;
    int at_risk;
    int behind;
    int events_held;
    int events_attended;
    int with_task;
    int submitted;
    int with_result;
    int passed;
};

/* The cohorts the caller may watch over (same scopes as store_progress_list; filter's cohort,
 * partner and qualification apply), by code. */
enum store_status store_progress_cohorts(struct store *store, const struct caller *caller,
                                         const struct progress_filter *filter, struct arena *arena,
                                         struct progress_cohort_row **out, size_t *count);

/* Claims the refresh of hour for this process: *claimed is false when another has it already. */
enum store_status store_progress_run_claim(struct store *store, int64_t hour, int64_t now, bool *claimed);

/* Someone due a progress update for a period: an active mentor named to a participant, or
 * headteacher of a school, with a live enrolment to report on, not opted out, not yet sent one. */
struct progress_recipient {
    int64_t user_id;
    const char *email;
    const char *name;
    bool mentor;      /* holds the mentor role */
    bool headteacher; /* holds the headteacher role */
};

/* Those due the update of period (after after_id by id, at most limit). */
enum store_status store_progress_recipients(struct store *store, const char *period, int64_t after_id, size_t limit,
                                            struct arena *arena, struct progress_recipient **out, size_t *count);

/* Claims the update of period for recipient_id, inside the caller's transaction (with the mail
 * it sends): *claimed is false when it was claimed already, by this process or another. */
enum store_status store_progress_update_claim(struct store *store, int64_t recipient_id, const char *period,
                                              int64_t now, bool *claimed);

/* Support plans (store_progress.c): for a participant at risk or referred, who supports them, the
 * actions agreed and by when, and when it is reviewed. */
struct support_action {
    const char *action;
    const char *due_on; /* YYYY-MM-DD */
};

struct support_plan {
    int64_t id;
    int64_t enrolment_id;
    int64_t supporter_id;
    const char *supporter_name;
    const char *review_on; /* YYYY-MM-DD */
    int64_t created_by;
    int64_t created_at;
    int64_t updated_at;
    struct support_action *actions;
    size_t action_count;
};

/* The open plan of an enrolment; STORE_NOT_FOUND when it has none. Strings and actions in arena. */
enum store_status store_support_plan_get(struct store *store, int64_t enrolment_id, struct arena *arena,
                                         struct support_plan *out);

/* Writes p as the enrolment's open plan (changing the one open, or opening one: p->id is set),
 * its actions replacing those it had, inside the caller's transaction. STORE_CONFLICT when
 * another was opened at the same moment. */
enum store_status store_support_plan_save(struct store *store, const struct actor *actor, struct support_plan *p,
                                          int64_t now);

/* Closes the enrolment's open plan: STORE_NOT_FOUND when it has none. */
enum store_status store_support_plan_close(struct store *store, int64_t enrolment_id, int64_t now);

/* Framework coverage (store_progress.c): what evidences the statements and areas of a framework
 * for an enrolment: content items done with their statement and area tags, and events attended
 * whose plan names an area of the framework. */
struct coverage_evidence {
    bool event; /* an event attended; otherwise a content item done */
    int64_t id; /* the event's or the item's */
    const char *title;
    const char *tag; /* a content item's "statement:..." or "area:..." tag; "" for an event */
    int area;        /* an event's framework area */
    int64_t enrolment_id;
};

/* The evidence of enrolment id (cohort false) or of every enrolment in cohort id (cohort true). */
enum store_status store_coverage_evidence(struct store *store, int64_t id, bool cohort, struct arena *arena,
                                          struct coverage_evidence **out, size_t *count);

/* Whether user_id receives progress updates (they do unless they opted out), and changing it. */
enum store_status store_progress_updates_get(struct store *store, int64_t user_id, bool *subscribed);
enum store_status store_progress_updates_set(struct store *store, int64_t user_id, bool subscribed, int64_t now);

#endif
