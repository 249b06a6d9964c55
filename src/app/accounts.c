#include "app/accounts.h"

#include "domain/password.h"
#include "lib/buf.h"
#include "lib/secret.h"
#include "lib/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Makes a one-time link for user and queues the email carrying it. */
static enum app_result send_link(const struct accounts_env *env, const struct user *user, enum one_time_purpose purpose)
{
    char token[SECRET_TOKEN_TEXT];
    secret_token_new(token);
    unsigned char hash[SECRET_HASH_BYTES];
    secret_token_hash(token, hash);
    bool invite = purpose == ONE_TIME_INVITE;
    int64_t lifetime = invite ? ACCOUNTS_INVITE_LIFETIME : ACCOUNTS_RESET_LIFETIME;
    enum store_status status =
        store_one_time_create(env->store, user->id, purpose, hash, env->now, env->now + lifetime);
    if (status != STORE_OK)
        return app_result_of_store(status);
    struct buf body;
    buf_init(&body, 8192);
    if (invite)
        buf_appendf(&body,
                    "Dear %s,\n\nYou have been given an account for your National Professional Qualification "
                    "programme.\n\nSet your password to start:\n\n%s/invitation/%s\n\nThe link works once and "
                    "lasts 7 days. Your email address for signing in is %s.\n",
                    user->name, env->base_url, token, user->email);
    else
        buf_appendf(&body,
                    "Dear %s,\n\nSomeone (we hope you) asked to reset the password for your NPQ account.\n\n"
                    "Choose a new password here:\n\n%s/password-reset/%s\n\nThe link works once and lasts 1 hour. "
                    "If you did not ask for this, you can ignore this email: your password has not changed.\n",
                    user->name, env->base_url, token);
    enum app_result result =
        buf_failed(&body)
            ? app_broken("an invitation or reset email outgrew its buffer")
            : app_result_of_store(store_mail_enqueue(
                  env->store, user->email, invite ? "Your NPQ account: set your password" : "Reset your NPQ password",
                  body.data, env->now));
    buf_free(&body);
    return result;
}

/* Checks that organisation_id is the kind of organisation role must be scoped to. */
static enum app_result role_scope_ok(const struct accounts_env *env, enum role role, int64_t organisation_id,
                                     struct errors *errors)
{
    enum organisation_kind kind;
    if (!role_scope_kind(role, &kind)) {
        if (organisation_id != 0) {
            errors_add(errors, "organisation_id", "A %s is not tied to an organisation", role_title(role));
            return APP_INVALID;
        }
        return APP_OK;
    }
    struct arena arena = ARENA_INIT;
    struct organisation o;
    enum store_status status =
        organisation_id > 0 ? store_organisation_get(env->store, organisation_id, &arena, &o) : STORE_NOT_FOUND;
    arena_release(&arena);
    if (status == STORE_ERROR)
        return APP_UNAVAILABLE;
    if (status == STORE_OK && o.kind == kind)
        return APP_OK;
    errors_add(errors, "organisation_id", "Choose the %s this %s belongs to", organisation_kind_title(kind),
               role_title(role));
    return APP_INVALID;
}

enum app_result accounts_grant_role(const struct accounts_env *env, int64_t user_id, enum role role,
                                    int64_t organisation_id, int64_t *grant_id, struct errors *errors)
{
    enum app_result result = role_scope_ok(env, role, organisation_id, errors);
    if (result != APP_OK)
        return result;
    result = app_result_of_store(
        store_role_grant(env->store, env->actor, user_id, role, organisation_id, env->now, grant_id));
    if (result == APP_CONFLICT)
        errors_add(errors, "role", "They already have this role");
    else if (result == APP_NOT_FOUND)
        errors_add(errors, "user", "There is no such person");
    return result;
}

/* Creates the person and grants the role; with invite, also queues the invitation. */
static enum app_result create_person(const struct accounts_env *env, const char *email, const char *name,
                                     int64_t organisation_id, enum role role, int64_t role_organisation_id, bool invite,
                                     int64_t *user_id, struct errors *errors)
{
    size_t before = errors->count;
    account_user_validate(email, name, errors);
    if (errors->count != before)
        return APP_INVALID;
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    enum app_result result = APP_OK;
    enum store_status status =
        store_user_create(env->store, env->actor, email, name, organisation_id, env->now, user_id);
    /* A taken email and a missing organisation are answers on the form to put right. */
    if (status == STORE_CONFLICT) {
        errors_add(errors, "email", "An account with this email address already exists");
        result = APP_INVALID;
    } else if (status == STORE_NOT_FOUND) {
        errors_add(errors, "organisation_id", "Choose an organisation that exists");
        result = APP_INVALID;
    } else {
        result = app_result_of_store(status);
    }
    int64_t grant_id;
    if (result == APP_OK)
        result = accounts_grant_role(env, *user_id, role, role_organisation_id, &grant_id, errors);
    if (result == APP_OK && invite)
        result = accounts_send_invitation(env, *user_id);
    return app_transaction_end(env->store, result);
}

enum app_result accounts_create_person(const struct accounts_env *env, const char *email, const char *name,
                                       int64_t organisation_id, enum role role, int64_t role_organisation_id,
                                       int64_t *user_id, struct errors *errors)
{
    return create_person(env, email, name, organisation_id, role, role_organisation_id, false, user_id, errors);
}

enum app_result accounts_invite(const struct accounts_env *env, const char *email, const char *name,
                                int64_t organisation_id, enum role role, int64_t role_organisation_id, int64_t *user_id,
                                struct errors *errors)
{
    return create_person(env, email, name, organisation_id, role, role_organisation_id, true, user_id, errors);
}

void accounts_base_url(struct store *store, char *out, size_t size)
{
    const char *env_url = getenv("NPQ_BASE_URL");
    if (store_setting_get(store, "base_url", out, size) == STORE_OK && *out != '\0')
        return;
    if (env_url && *env_url) {
        snprintf(out, size, "%s", env_url);
        return;
    }
    /* no address was ever configured: the one the last server bound, where it still listens */
    if (store_setting_get(store, "bound_url", out, size) == STORE_OK && *out != '\0')
        return;
    snprintf(out, size, "http://127.0.0.1:8080");
}

enum app_result accounts_send_invitation(const struct accounts_env *env, int64_t user_id)
{
    struct arena arena = ARENA_INIT;
    struct user user;
    enum app_result result = app_result_of_store(store_user_get(env->store, user_id, &arena, &user));
    if (result == APP_OK)
        result = app_result_of_store(store_begin(env->store));
    if (result == APP_OK) {
        result = send_link(env, &user, ONE_TIME_INVITE);
        if (result == APP_OK)
            result = app_result_of_store(
                store_audit(env->store, env->actor, "user.invite", "user", user_id, NULL, NULL, env->now));
        result = app_transaction_end(env->store, result);
    }
    arena_release(&arena);
    return result;
}

enum app_result accounts_sign_in(const struct accounts_env *env, const char *email, const char *password,
                                 const char *client, int64_t *user_id, struct errors *errors)
{
    int64_t by_email, by_client;
    if (store_sign_in_failures(env->store, email, client, env->now - ACCOUNTS_THROTTLE_WINDOW, &by_email, &by_client) !=
        STORE_OK)
        return APP_UNAVAILABLE;
    if (by_email >= ACCOUNTS_MAX_FAILURES_PER_EMAIL || by_client >= ACCOUNTS_MAX_FAILURES_PER_CLIENT) {
        errors_add(errors, "email",
                   "There have been too many attempts to sign in. Wait 15 minutes and try again, or reset your "
                   "password");
        return APP_TOO_MANY;
    }
    struct arena arena = ARENA_INIT;
    struct user user;
    const char *hash = NULL;
    enum store_status status = store_user_find_by_email(env->store, email, &arena, &user, &hash);
    if (status == STORE_ERROR) {
        arena_release(&arena);
        return APP_UNAVAILABLE;
    }
    bool known = status == STORE_OK && user.active;
    /* Verify even for unknown people, so the time taken does not tell them apart. */
    bool matched = secret_password_verify(known ? hash : NULL, password) && known;
    enum app_result result = matched ? APP_OK : APP_UNAUTHENTICATED;
    if (store_sign_in_record(env->store, email, client, env->now, matched) != STORE_OK)
        result = APP_UNAVAILABLE;
    if (result == APP_UNAUTHENTICATED) /* the same words whether or not the email has an account */
        errors_add(errors, "email", "Enter a correct email address and password");
    if (result == APP_OK) {
        *user_id = user.id;
        struct actor actor = {user.id, user.email, client};
        /* A sign-in the audit log cannot show does not happen. */
        result = app_result_of_store(
            store_audit(env->store, &actor, "session.sign_in", "user", user.id, NULL, NULL, env->now));
    }
    arena_release(&arena);
    return result;
}

/* Counts this request in its address's and its client's window (whether or not the address has
 * an account, so the limit tells nothing about who has one); APP_TOO_MANY when over either. */
static enum app_result reset_allowed(const struct accounts_env *env, const char *email, struct errors *errors)
{
    const char *client = env->actor ? env->actor->client : "";
    int64_t by_email, by_client;
    if (store_reset_request_count(env->store, email, client, env->now, ACCOUNTS_THROTTLE_WINDOW, &by_email,
                                  &by_client) != STORE_OK)
        return APP_UNAVAILABLE;
    if (by_email <= ACCOUNTS_MAX_RESETS_PER_EMAIL && by_client <= ACCOUNTS_MAX_RESETS_PER_CLIENT)
        return APP_OK;
    errors_add(errors, "email",
               "There have been too many requests to reset a password. Wait 15 minutes, then check your email "
               "for the links already sent");
    return APP_TOO_MANY;
}

enum app_result accounts_request_reset(const struct accounts_env *env, const char *email, struct errors *errors)
{
    struct arena arena = ARENA_INIT;
    enum app_result result = app_result_of_store(store_begin(env->store));
    if (result == APP_OK)
        result = reset_allowed(env, email, errors);
    struct user user;
    enum store_status status =
        result == APP_OK ? store_user_find_by_email(env->store, email, &arena, &user, NULL) : STORE_NOT_FOUND;
    if (status == STORE_ERROR)
        result = APP_UNAVAILABLE;
    /* Nothing to send to an unknown or inactive account, and nothing to tell. */
    if (result == APP_OK && status == STORE_OK && user.active) {
        struct actor actor = {user.id, user.email, env->actor ? env->actor->client : ""};
        result = send_link(env, &user, ONE_TIME_RESET);
        if (result == APP_OK)
            result = app_result_of_store(
                store_audit(env->store, &actor, "user.reset_requested", "user", user.id, NULL, NULL, env->now));
    }
    /* A refusal is counted too, so it is committed like a request. */
    enum app_result ended = app_transaction_end(env->store, result == APP_TOO_MANY ? APP_OK : result);
    if (ended != APP_OK)
        result = ended;
    arena_release(&arena);
    return result;
}

enum app_result accounts_link_user(const struct accounts_env *env, enum one_time_purpose purpose, const char *token,
                                   struct arena *arena, struct user *user)
{
    unsigned char hash[SECRET_HASH_BYTES];
    secret_token_hash(token, hash);
    int64_t user_id;
    enum app_result result = app_result_of_store(store_one_time_peek(env->store, hash, purpose, env->now, &user_id));
    if (result == APP_OK)
        result = app_result_of_store(store_user_get(env->store, user_id, arena, user));
    if (result == APP_OK && !user->active)
        return APP_NOT_FOUND;
    return result;
}

/* Checks a new password and its confirmation for user. */
static bool password_acceptable(const struct user *user, const char *password, const char *confirmation,
                                struct errors *errors)
{
    size_t before = errors->count;
    password_check(password, user->email, user->name, errors);
    if (errors->count == before && confirmation != NULL && strcmp(password, confirmation) != 0)
        errors_add(errors, "confirmation", "The passwords do not match");
    return errors->count == before;
}

enum app_result accounts_set_password_from_link(const struct accounts_env *env, enum one_time_purpose purpose,
                                                const char *token, const char *password, const char *confirmation,
                                                int64_t *user_id, struct errors *errors)
{
    struct arena arena = ARENA_INIT;
    struct user user;
    enum app_result result = accounts_link_user(env, purpose, token, &arena, &user);
    if (result == APP_OK && !password_acceptable(&user, password ? password : "", confirmation, errors))
        result = APP_INVALID;
    char hash[SECRET_PASSWORD_HASH_TEXT];
    if (result == APP_OK && !secret_password_hash(password, hash))
        result = app_broken("a password could not be hashed");
    if (result == APP_OK)
        result = app_result_of_store(store_begin(env->store));
    if (result == APP_OK) {
        unsigned char token_hash[SECRET_HASH_BYTES];
        secret_token_hash(token, token_hash);
        int64_t consumed_by;
        /* Used up in the same transaction as the change, so two submissions cannot both succeed. */
        result = app_result_of_store(store_one_time_consume(env->store, token_hash, purpose, env->now, &consumed_by));
        struct actor actor = {user.id, user.email, env->actor ? env->actor->client : ""};
        if (result == APP_OK)
            result = app_result_of_store(store_user_set_password(env->store, &actor, user.id, hash, env->now));
        /* Proving control of the mailbox ends a lock-out by failed sign-ins. */
        if (result == APP_OK)
            result = app_result_of_store(store_sign_in_record(env->store, user.email, actor.client, env->now, true));
        result = app_transaction_end(env->store, result);
        *user_id = user.id;
    }
    arena_release(&arena);
    return result;
}

enum app_result accounts_set_password(const struct accounts_env *env, int64_t user_id, const char *password,
                                      struct errors *errors)
{
    struct arena arena = ARENA_INIT;
    struct user user;
    enum app_result result = app_result_of_store(store_user_get(env->store, user_id, &arena, &user));
    if (result == APP_OK && !password_acceptable(&user, password, NULL, errors))
        result = APP_INVALID;
    char hash[SECRET_PASSWORD_HASH_TEXT];
    if (result == APP_OK && !secret_password_hash(password, hash))
        result = app_broken("a password could not be hashed");
    if (result == APP_OK)
        result = app_result_of_store(store_user_set_password(env->store, env->actor, user_id, hash, env->now));
    arena_release(&arena);
    return result;
}

enum app_result accounts_sign_out_everywhere(const struct accounts_env *env, int64_t user_id, bool tokens)
{
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    enum store_status status = store_session_revoke_all(env->store, env->actor, user_id, env->now);
    if (status == STORE_OK && tokens)
        status = store_token_revoke_all(env->store, env->actor, user_id, env->now);
    return app_transaction_end(env->store, app_result_of_store(status));
}

enum app_result accounts_set_active(const struct accounts_env *env, int64_t user_id, bool active, struct errors *errors)
{
    if (!active && user_id == env->actor->user_id) {
        errors_add(errors, "active", "You cannot deactivate your own account");
        return APP_INVALID;
    }
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    enum app_result result =
        app_result_of_store(store_user_set_active(env->store, env->actor, user_id, active, env->now));
    if (result == APP_OK && !active)
        result = accounts_sign_out_everywhere(env, user_id, true);
    result = app_transaction_end(env->store, result);
    return result;
}

enum app_result accounts_issue_token(const struct accounts_env *env, int64_t user_id, const char *name, int64_t days,
                                     char token[ACCOUNTS_TOKEN_TEXT], int64_t *id, struct errors *errors)
{
    size_t before = errors->count;
    if (name == NULL || !text_has_words(name) || text_characters(name) > 100 || !text_is_one_line(name))
        errors_add(errors, "name", "Give the token a name of 100 characters or fewer, saying what it is for");
    if (days < 0 || days > ACCOUNTS_TOKEN_DAYS_MAX)
        errors_add(errors, "expires_in_days", "A token can last from 1 to %d days, or until it is revoked",
                   ACCOUNTS_TOKEN_DAYS_MAX);
    if (errors->count != before)
        return APP_INVALID;
    /* "npq_" marks the text as ours, so people and secret scanners recognise a leaked one. */
    char random[SECRET_TOKEN_TEXT];
    secret_token_new(random);
    snprintf(token, ACCOUNTS_TOKEN_TEXT, "npq_%s", random);
    unsigned char hash[SECRET_HASH_BYTES];
    secret_token_hash(token, hash);
    char prefix[13];
    snprintf(prefix, sizeof(prefix), "%s", token);
    int64_t expires_at = days > 0 ? env->now + days * 86400 : 0;
    return app_result_of_store(
        store_token_create(env->store, env->actor, user_id, name, hash, prefix, expires_at, env->now, id));
}

enum app_result accounts_assign(const struct accounts_env *env, enum role kind, int64_t staff_id,
                                int64_t participant_id, int64_t *assignment_id, struct errors *errors)
{
    const char *what = kind == ROLE_COACH ? "coach" : "mentor";
    if (staff_id == participant_id) {
        errors_add(errors, "staff_id", "A person cannot be their own coach or mentor");
        return APP_INVALID;
    }
    struct arena arena = ARENA_INIT;
    struct user staff;
    enum store_status status = store_user_get(env->store, staff_id, &arena, &staff);
    enum app_result result = app_result_of_store(status);
    if (status == STORE_NOT_FOUND) {
        errors_add(errors, "staff_id", "Choose a person from the list");
        result = APP_INVALID;
    } else if (status == STORE_OK && !user_has_role(&staff, kind)) {
        errors_add(errors, "staff_id", "This person is not a %s", what);
        result = APP_INVALID;
    }
    arena_release(&arena);
    if (result != APP_OK)
        return result;
    /* Both answers are about the people named in the form, to choose again. */
    status = store_assignment_create(env->store, env->actor, kind, staff_id, participant_id, env->now, assignment_id);
    result = app_result_of_store(status);
    if (status == STORE_CONFLICT) {
        errors_add(errors, "staff_id", "They are already this person's %s", what);
        result = APP_INVALID;
    } else if (status == STORE_NOT_FOUND) {
        errors_add(errors, "participant_id", "There is no such participant");
        result = APP_INVALID;
    }
    return result;
}
