#include "app/accounts.h"

#include "domain/password.h"
#include "lib/buf.h"
#include "lib/secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Makes a one-time link for user and queues the email carrying it. */
static enum store_status send_link(const struct accounts_env *env, const struct user *user,
                                   enum one_time_purpose purpose)
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
        return status;
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
    status = store_mail_enqueue(env->store, user->email,
                                invite ? "Your NPQ account: set your password" : "Reset your NPQ password", body.data,
                                env->now);
    buf_free(&body);
    return status;
}

/* Checks that organisation_id is the kind of organisation role must be scoped to. */
static bool role_scope_ok(const struct accounts_env *env, enum role role, int64_t organisation_id,
                          struct errors *errors)
{
    enum organisation_kind kind;
    if (!role_scope_kind(role, &kind)) {
        if (organisation_id != 0) {
            errors_add(errors, "organisation_id", "A %s is not tied to an organisation", role_title(role));
            return false;
        }
        return true;
    }
    struct arena arena = ARENA_INIT;
    struct organisation o;
    bool ok = organisation_id > 0 && store_organisation_get(env->store, organisation_id, &arena, &o) == STORE_OK &&
              o.kind == kind;
    arena_release(&arena);
    if (!ok)
        errors_add(errors, "organisation_id", "Choose the %s this %s belongs to", organisation_kind_title(kind),
                   role_title(role));
    return ok;
}

enum store_status accounts_grant_role(const struct accounts_env *env, int64_t user_id, enum role role,
                                      int64_t organisation_id, int64_t *grant_id, struct errors *errors)
{
    if (!role_scope_ok(env, role, organisation_id, errors))
        return STORE_CONFLICT;
    enum store_status status =
        store_role_grant(env->store, env->actor, user_id, role, organisation_id, env->now, grant_id);
    if (status == STORE_CONFLICT)
        errors_add(errors, "role", "They already have this role");
    else if (status == STORE_NOT_FOUND)
        errors_add(errors, "user", "There is no such person");
    return status;
}

/* Creates the person and grants the role; with invite, also queues the invitation. */
static enum store_status create_person(const struct accounts_env *env, const char *email, const char *name,
                                       int64_t organisation_id, enum role role, int64_t role_organisation_id,
                                       bool invite, int64_t *user_id, struct errors *errors)
{
    size_t before = errors->count;
    account_user_validate(email, name, errors);
    if (errors->count != before)
        return STORE_CONFLICT;
    if (store_begin(env->store) != STORE_OK)
        return STORE_ERROR;
    enum store_status status =
        store_user_create(env->store, env->actor, email, name, organisation_id, env->now, user_id);
    if (status == STORE_CONFLICT)
        errors_add(errors, "email", "An account with this email address already exists");
    else if (status == STORE_NOT_FOUND)
        errors_add(errors, "organisation_id", "Choose an organisation that exists");
    int64_t grant_id;
    if (status == STORE_OK)
        status = accounts_grant_role(env, *user_id, role, role_organisation_id, &grant_id, errors);
    if (status == STORE_OK && invite)
        status = accounts_send_invitation(env, *user_id);
    if (status != STORE_OK) {
        store_rollback(env->store);
        return status;
    }
    return store_commit(env->store);
}

enum store_status accounts_create_person(const struct accounts_env *env, const char *email, const char *name,
                                         int64_t organisation_id, enum role role, int64_t role_organisation_id,
                                         int64_t *user_id, struct errors *errors)
{
    return create_person(env, email, name, organisation_id, role, role_organisation_id, false, user_id, errors);
}

enum store_status accounts_invite(const struct accounts_env *env, const char *email, const char *name,
                                  int64_t organisation_id, enum role role, int64_t role_organisation_id,
                                  int64_t *user_id, struct errors *errors)
{
    return create_person(env, email, name, organisation_id, role, role_organisation_id, true, user_id, errors);
}

void accounts_base_url(struct store *store, char *out, size_t size)
{
    const char *env_url = getenv("NPQ_BASE_URL");
    if (store_setting_get(store, "base_url", out, size) == STORE_OK && *out != '\0')
        return;
    snprintf(out, size, "%s", env_url && *env_url ? env_url : "http://127.0.0.1:8080");
}

enum store_status accounts_send_invitation(const struct accounts_env *env, int64_t user_id)
{
    struct arena arena = ARENA_INIT;
    struct user user;
    enum store_status status = store_user_get(env->store, user_id, &arena, &user);
    if (status == STORE_OK && store_begin(env->store) == STORE_OK) {
        status = send_link(env, &user, ONE_TIME_INVITE);
        if (status == STORE_OK)
            status = store_audit(env->store, env->actor, "user.invite", "user", user_id, NULL, NULL, env->now);
        if (status == STORE_OK)
            status = store_commit(env->store);
        else
            store_rollback(env->store);
    }
    arena_release(&arena);
    return status;
}

enum sign_in_result accounts_sign_in(const struct accounts_env *env, const char *email, const char *password,
                                     const char *client, int64_t *user_id)
{
    int64_t by_email, by_client;
    if (store_sign_in_failures(env->store, email, client, env->now - ACCOUNTS_THROTTLE_WINDOW, &by_email, &by_client) !=
        STORE_OK)
        return SIGN_IN_ERROR;
    if (by_email >= ACCOUNTS_MAX_FAILURES_PER_EMAIL || by_client >= ACCOUNTS_MAX_FAILURES_PER_CLIENT)
        return SIGN_IN_THROTTLED;
    struct arena arena = ARENA_INIT;
    struct user user;
    const char *hash = NULL;
    enum store_status status = store_user_find_by_email(env->store, email, &arena, &user, &hash);
    if (status == STORE_ERROR) {
        arena_release(&arena);
        return SIGN_IN_ERROR;
    }
    bool known = status == STORE_OK && user.active;
    /* Verify even for unknown people, so the time taken does not tell them apart. */
    bool matched = secret_password_verify(known ? hash : NULL, password) && known;
    enum sign_in_result result = matched ? SIGN_IN_OK : SIGN_IN_REFUSED;
    if (store_sign_in_record(env->store, email, client, env->now, matched) != STORE_OK)
        result = SIGN_IN_ERROR;
    if (result == SIGN_IN_OK) {
        *user_id = user.id;
        struct actor actor = {user.id, user.email, client};
        store_audit(env->store, &actor, "session.sign_in", "user", user.id, NULL, NULL, env->now);
    }
    arena_release(&arena);
    return result;
}

enum store_status accounts_request_reset(const struct accounts_env *env, const char *email)
{
    struct arena arena = ARENA_INIT;
    struct user user;
    enum store_status status = store_user_find_by_email(env->store, email, &arena, &user, NULL);
    if (status == STORE_OK && user.active) {
        if (store_begin(env->store) != STORE_OK) {
            arena_release(&arena);
            return STORE_ERROR;
        }
        struct actor actor = {user.id, user.email, env->actor ? env->actor->client : ""};
        status = send_link(env, &user, ONE_TIME_RESET);
        if (status == STORE_OK)
            status = store_audit(env->store, &actor, "user.reset_requested", "user", user.id, NULL, NULL, env->now);
        if (status == STORE_OK)
            status = store_commit(env->store);
        else
            store_rollback(env->store);
    } else if (status == STORE_NOT_FOUND || status == STORE_OK) {
        status = STORE_OK; /* nothing to send, and nothing to tell */
    }
    arena_release(&arena);
    return status;
}

enum store_status accounts_link_user(const struct accounts_env *env, enum one_time_purpose purpose, const char *token,
                                     struct arena *arena, struct user *user)
{
    unsigned char hash[SECRET_HASH_BYTES];
    secret_token_hash(token, hash);
    int64_t user_id;
    enum store_status status = store_one_time_peek(env->store, hash, purpose, env->now, &user_id);
    if (status != STORE_OK)
        return status;
    status = store_user_get(env->store, user_id, arena, user);
    if (status == STORE_OK && !user->active)
        return STORE_NOT_FOUND;
    return status;
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

enum store_status accounts_set_password_from_link(const struct accounts_env *env, enum one_time_purpose purpose,
                                                  const char *token, const char *password, const char *confirmation,
                                                  int64_t *user_id, struct errors *errors)
{
    struct arena arena = ARENA_INIT;
    struct user user;
    enum store_status status = accounts_link_user(env, purpose, token, &arena, &user);
    if (status == STORE_OK && !password_acceptable(&user, password ? password : "", confirmation, errors))
        status = STORE_CONFLICT;
    char hash[SECRET_PASSWORD_HASH_TEXT];
    if (status == STORE_OK && !secret_password_hash(password, hash))
        status = STORE_ERROR;
    if (status == STORE_OK && store_begin(env->store) == STORE_OK) {
        unsigned char token_hash[SECRET_HASH_BYTES];
        secret_token_hash(token, token_hash);
        int64_t consumed_by;
        /* Used up in the same transaction as the change, so two submissions cannot both succeed. */
        status = store_one_time_consume(env->store, token_hash, purpose, env->now, &consumed_by);
        struct actor actor = {user.id, user.email, env->actor ? env->actor->client : ""};
        if (status == STORE_OK)
            status = store_user_set_password(env->store, &actor, user.id, hash, env->now);
        if (status == STORE_OK)
            status = store_commit(env->store);
        else
            store_rollback(env->store);
        *user_id = user.id;
    }
    arena_release(&arena);
    return status;
}

enum store_status accounts_set_password(const struct accounts_env *env, int64_t user_id, const char *password,
                                        struct errors *errors)
{
    struct arena arena = ARENA_INIT;
    struct user user;
    enum store_status status = store_user_get(env->store, user_id, &arena, &user);
    if (status == STORE_OK && !password_acceptable(&user, password, NULL, errors))
        status = STORE_CONFLICT;
    char hash[SECRET_PASSWORD_HASH_TEXT];
    if (status == STORE_OK)
        status = secret_password_hash(password, hash)
                     ? store_user_set_password(env->store, env->actor, user_id, hash, env->now)
                     : STORE_ERROR;
    arena_release(&arena);
    return status;
}

enum store_status accounts_issue_token(const struct accounts_env *env, int64_t user_id, const char *name,
                                       char token[ACCOUNTS_TOKEN_TEXT], int64_t *id)
{
    /* "npq_" marks the text as ours, so people and secret scanners recognise a leaked one. */
    char random[SECRET_TOKEN_TEXT];
    secret_token_new(random);
    snprintf(token, ACCOUNTS_TOKEN_TEXT, "npq_%s", random);
    unsigned char hash[SECRET_HASH_BYTES];
    secret_token_hash(token, hash);
    char prefix[13];
    snprintf(prefix, sizeof(prefix), "%s", token);
    return store_token_create(env->store, env->actor, user_id, name, hash, prefix, env->now, id);
}

enum store_status accounts_assign(const struct accounts_env *env, enum role kind, int64_t staff_id,
                                  int64_t participant_id, int64_t *assignment_id, struct errors *errors)
{
    const char *what = kind == ROLE_COACH ? "coach" : "mentor";
    if (staff_id == participant_id) {
        errors_add(errors, "staff_id", "A person cannot be their own coach or mentor");
        return STORE_CONFLICT;
    }
    struct arena arena = ARENA_INIT;
    struct user staff;
    enum store_status status = store_user_get(env->store, staff_id, &arena, &staff);
    if (status == STORE_NOT_FOUND)
        errors_add(errors, "staff_id", "Choose a person from the list");
    else if (status == STORE_OK && !user_has_role(&staff, kind)) {
        errors_add(errors, "staff_id", "This person is not a %s", what);
        status = STORE_CONFLICT;
    }
    arena_release(&arena);
    if (status != STORE_OK)
        return status;
    status = store_assignment_create(env->store, env->actor, kind, staff_id, participant_id, env->now, assignment_id);
    if (status == STORE_CONFLICT)
        errors_add(errors, "staff_id", "They are already this person's %s", what);
    else if (status == STORE_NOT_FOUND)
        errors_add(errors, "participant_id", "There is no such participant");
    return status;
}
