/*
 * Account use cases: inviting people, granting roles, signing in, resetting passwords.
 *
 * Each is a few store operations, domain checks and an email that must happen together; they live
 * here so the API, the pages and the command line share one implementation. Each returns an
 * enum app_result (app/result.h); errors are added with the form field they concern ("email",
 * "password", "role", "organisation_id").
 */
#ifndef NPQ_APP_ACCOUNTS_H
#define NPQ_APP_ACCOUNTS_H

#include "app/result.h"
#include "store/store.h"

#include <stdbool.h>
#include <stdint.h>

enum {
    ACCOUNTS_RESET_LIFETIME = 3600,        /* a password-reset link lasts an hour */
    ACCOUNTS_INVITE_LIFETIME = 7 * 86400,  /* an invitation a week */
    ACCOUNTS_THROTTLE_WINDOW = 15 * 60,    /* failed sign-ins are counted over 15 minutes */
    ACCOUNTS_MAX_FAILURES_PER_EMAIL = 5,   /* then that account waits */
    ACCOUNTS_MAX_FAILURES_PER_CLIENT = 50, /* and so does an address trying many accounts */
    ACCOUNTS_MAX_RESETS_PER_EMAIL = 3,     /* reset emails to one address in the throttling window */
    ACCOUNTS_MAX_RESETS_PER_CLIENT = 20,   /* reset requests from one client in the window */
    ACCOUNTS_TOKEN_TEXT = 48,              /* "npq_" + 43 characters + NUL */
    ACCOUNTS_TOKEN_DAYS_MAX = 730,         /* the longest a token may be given: two years */
};

/* What a use case needs from its surroundings. */
struct accounts_env {
    struct store *store;
    const struct actor *actor;
    const char *base_url; /* for links in emails, without a trailing slash */
    int64_t now;
};

/*
 * Creates an account with one role, without emailing anyone (the command line's first
 * administrator, demonstration data). Same checks and results as accounts_invite.
 */
enum app_result accounts_create_person(const struct accounts_env *env, const char *email, const char *name,
                                       int64_t organisation_id, enum role role, int64_t role_organisation_id,
                                       int64_t *user_id, struct errors *errors);

/*
 * Creates an account with one role and emails an invitation to set a password. organisation_id
 * is the person's school or partner (0 for none); role_organisation_id scopes the role (see
 * role_scope_kind). APP_INVALID with errors naming the fields (a taken email among them);
 * APP_UNAVAILABLE. Nothing is kept on failure.
 */
enum app_result accounts_invite(const struct accounts_env *env, const char *email, const char *name,
                                int64_t organisation_id, enum role role, int64_t role_organisation_id, int64_t *user_id,
                                struct errors *errors);

/*
 * Names a coach or mentor (kind) for a participant: the staff member must exist, hold that role,
 * not be the participant and not be theirs already; APP_INVALID with errors at "staff_id" (or
 * "participant_id") otherwise.
 */
enum app_result accounts_assign(const struct accounts_env *env, enum role kind, int64_t staff_id,
                                int64_t participant_id, int64_t *assignment_id, struct errors *errors);

/* The address links in emails start with: the one configured (a server's --base-url, kept in the
 * database), else $NPQ_BASE_URL, else the address the last server bound when none was ever
 * configured, else http://127.0.0.1:8080. Copied into out. */
void accounts_base_url(struct store *store, char *out, size_t size);

/* Sends a fresh invitation link to an existing account (APP_NOT_FOUND when there is none). */
enum app_result accounts_send_invitation(const struct accounts_env *env, int64_t user_id);

/* Grants a role after checking its scope is the right kind of organisation: APP_INVALID at
 * "organisation_id" when it is not, APP_CONFLICT at "role" when they hold the role already. */
enum app_result accounts_grant_role(const struct accounts_env *env, int64_t user_id, enum role role,
                                    int64_t organisation_id, int64_t *grant_id, struct errors *errors);

/*
 * Checks an email and password. An unknown email and a wrong password are refused alike (and take
 * as long): APP_UNAUTHENTICATED. Too many recent failures for the email or from the client are
 * refused before the password is looked at: APP_TOO_MANY. Either way errors say so at "email".
 * Every attempt is recorded.
 */
enum app_result accounts_sign_in(const struct accounts_env *env, const char *email, const char *password,
                                 const char *client, int64_t *user_id, struct errors *errors);

/* Emails a reset link when email belongs to an active account; otherwise does nothing, and the
 * caller says the same either way (APP_OK). More than ACCOUNTS_MAX_RESETS_PER_EMAIL requests for
 * one address, or ACCOUNTS_MAX_RESETS_PER_CLIENT from one client, in the throttling window are
 * APP_TOO_MANY (at "email"), whether or not the address has an account. */
enum app_result accounts_request_reset(const struct accounts_env *env, const char *email, struct errors *errors);

/* Whether a reset or invitation link is live at env->now, and whose it is (for the form's
 * greeting): APP_NOT_FOUND when it is not. */
enum app_result accounts_link_user(const struct accounts_env *env, enum one_time_purpose purpose, const char *token,
                                   struct arena *arena, struct user *user);

/*
 * Sets a password from a reset or invitation link: checks the password against the rules and its
 * confirmation, uses the link up and signs the person out everywhere. APP_NOT_FOUND when the
 * link is not live; APP_INVALID with errors when the password is not acceptable.
 */
enum app_result accounts_set_password_from_link(const struct accounts_env *env, enum one_time_purpose purpose,
                                                const char *token, const char *password, const char *confirmation,
                                                int64_t *user_id, struct errors *errors);

/* Sets a password directly (the command line's first administrator), with the same rules. */
enum app_result accounts_set_password(const struct accounts_env *env, int64_t user_id, const char *password,
                                      struct errors *errors);

/* Ends every session of user_id and, when tokens, revokes their API tokens too, in one
 * transaction. */
enum app_result accounts_sign_out_everywhere(const struct accounts_env *env, int64_t user_id, bool tokens);

/*
 * Activates or deactivates an account. A deactivated person is signed out everywhere and their
 * API tokens stop working, in the same transaction (reactivating brings neither back). Nobody
 * deactivates their own account (APP_INVALID, at "active"). Joins the caller's transaction.
 */
enum app_result accounts_set_active(const struct accounts_env *env, int64_t user_id, bool active,
                                    struct errors *errors);

/*
 * Makes an API token for user_id named name (up to 100 characters, one line) that works for
 * days days (1 to ACCOUNTS_TOKEN_DAYS_MAX; 0 until revoked), and writes its text into token: the
 * only time the text exists outside the client, since the store keeps only its hash. APP_INVALID
 * at "name" or "expires_in_days".
 */
enum app_result accounts_issue_token(const struct accounts_env *env, int64_t user_id, const char *name, int64_t days,
                                     char token[ACCOUNTS_TOKEN_TEXT], int64_t *id, struct errors *errors);

#endif
