/*
 * Sign-in sessions, API tokens, one-time links and sign-in attempts in the database. Tokens are
 * looked up by their SHA-256; the tokens themselves are never stored.
 */
#include "store/store_internal.h"

#include <stdio.h>
#include <string.h>

/* Fills a caller from a user id: who they are and every role they hold. */
enum store_status store_caller_get(struct store *store, int64_t user_id, struct arena *arena, struct caller *caller)
{
    struct user *user = arena_alloc(arena, sizeof(*user));
    enum store_status status = store_user_get(store, user_id, arena, user);
    if (status != STORE_OK)
        return status;
    if (!user->active)
        return STORE_NOT_FOUND;
    memset(caller, 0, sizeof(*caller));
    caller->user_id = user->id;
    caller->email = user->email;
    caller->name = user->name;
    caller->grants = user->roles;
    caller->grant_count = user->role_count;
    caller->user = user;
    for (size_t i = 0; i < user->role_count; i++)
        caller->roles |= 1u << user->roles[i].role;
    return STORE_OK;
}

/* Sessions */

static const char SQL_SESSION_INSERT[] =
    "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, client)"
    " VALUES (?1, ?2, ?3, ?3, ?4, ?5)";
/* Times are whole seconds: uses at 10.9 s and 12.1 s are 2 apart on the clock but only 1.2 s in
 * fact, so a session ends only when more than idle whole seconds have passed. */
static const char SQL_SESSION_FIND[] =
    "SELECT id, user_id, last_seen_at, expires_at FROM sessions"
    " WHERE token_hash = ?1 AND revoked_at IS NULL AND expires_at > ?2 AND last_seen_at >= ?2 - ?3";
static const char SQL_SESSION_TOUCH[] =
    "UPDATE sessions SET last_seen_at = CASE WHEN last_seen_at > ?2 THEN last_seen_at ELSE ?2 END WHERE id = ?1";
static const char SQL_SESSION_REVOKE[] = "UPDATE sessions SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL";
static const char SQL_SESSION_REVOKE_ALL[] =
    "UPDATE sessions SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL";

enum store_status store_session_create(struct store *store, int64_t user_id, const unsigned char token_hash[32],
                                       int64_t now, int64_t expires_at, const char *client, int64_t *id)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_SESSION_INSERT);
    if (stmt != NULL) {
        db_bind_blob(stmt, 1, token_hash, 32);
        db_bind_int64(stmt, 2, user_id);
        db_bind_int64(stmt, 3, now);
        db_bind_int64(stmt, 4, expires_at);
        db_bind_text(stmt, 5, client ? client : "");
        if (db_exec_stmt(stmt) == DB_DONE) {
            *id = db_last_insert_id(store->db);
            status = STORE_OK;
        }
    }
    return store_tx_end(store, status);
}

enum store_status store_session_authenticate(struct store *store, const unsigned char token_hash[32], int64_t now,
                                             int64_t idle_seconds, struct arena *arena, struct caller *caller,
                                             struct credential *session)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_SESSION_FIND);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_blob(stmt, 1, token_hash, 32);
    db_bind_int64(stmt, 2, now);
    db_bind_int64(stmt, 3, idle_seconds);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_NOT_FOUND;
    if (r != DB_ROW)
        return STORE_ERROR;
    int64_t user_id = db_column_int64(stmt, 1);
    *session = (struct credential){.id = db_column_int64(stmt, 0),
                                   .last_used_at = db_column_int64(stmt, 2),
                                   .expires_at = db_column_int64(stmt, 3)};
    db_reset(stmt);
    return store_caller_get(store, user_id, arena, caller);
}

enum store_status store_session_revoke(struct store *store, int64_t session_id, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_SESSION_REVOKE);
    enum store_status status = STORE_ERROR;
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, session_id);
        db_bind_int64(stmt, 2, now);
        if (db_exec_stmt(stmt) == DB_DONE)
            status = STORE_OK;
    }
    return store_tx_end(store, status);
}

enum store_status store_session_revoke_all(struct store *store, const struct actor *actor, int64_t user_id, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_SESSION_REVOKE_ALL);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, user_id);
        db_bind_int64(stmt, 2, now);
        if (db_exec_stmt(stmt) == DB_DONE)
            status = store_audit(store, actor, "session.revoke_all", "user", user_id, NULL, NULL, now);
    }
    if (status != STORE_OK) {
        store_tx_rollback(store);
        return status;
    }
    return store_tx_commit(store) ? STORE_OK : STORE_ERROR;
}

/* API tokens */

static const char SQL_TOKEN_INSERT[] =
    "INSERT INTO api_tokens (token_hash, user_id, name, prefix, created_at, expires_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_TOKEN_FIND[] =
    "SELECT id, user_id, coalesce(last_used_at, 0), coalesce(expires_at, 0) FROM api_tokens"
    " WHERE token_hash = ?1 AND revoked_at IS NULL"
    " AND (expires_at IS NULL OR expires_at > ?2)";
static const char SQL_TOKEN_TOUCH[] =
    "UPDATE api_tokens SET last_used_at = CASE WHEN last_used_at > ?2 THEN last_used_at ELSE ?2 END WHERE id = ?1";
static const char SQL_TOKEN_LIST[] =
    "SELECT t.id, t.user_id, u.email, t.name, t.prefix, t.created_at, coalesce(t.last_used_at, 0),"
    " coalesce(t.revoked_at, 0), coalesce(t.expires_at, 0) FROM api_tokens t JOIN users u ON u.id = t.user_id"
    " WHERE (?1 = 0 OR t.user_id = ?1) AND t.id < ?2 ORDER BY t.id DESC LIMIT ?3";
static const char SQL_TOKEN_REVOKE[] =
    "UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL RETURNING user_id";

enum store_status store_token_create(struct store *store, const struct actor *actor, int64_t user_id, const char *name,
                                     const unsigned char token_hash[32], const char *prefix, int64_t expires_at,
                                     int64_t now, int64_t *id)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_TOKEN_INSERT);
    if (stmt != NULL) {
        db_bind_blob(stmt, 1, token_hash, 32);
        db_bind_int64(stmt, 2, user_id);
        db_bind_text(stmt, 3, name);
        db_bind_text(stmt, 4, prefix);
        db_bind_int64(stmt, 5, now);
        store_bind_id(stmt, 6, expires_at); /* NULL for none */
        enum db_result r = db_exec_stmt(stmt);
        if (r == DB_CONSTRAINT)
            status = STORE_NOT_FOUND; /* no such user */
        else if (r == DB_DONE) {
            *id = db_last_insert_id(store->db);
            status = store_audit(store, actor, "token.create", "api_token", *id, NULL, NULL, now);
        }
    }
    if (status != STORE_OK) {
        store_tx_rollback(store);
        return status;
    }
    return store_tx_commit(store) ? STORE_OK : STORE_ERROR;
}

enum store_status store_token_authenticate(struct store *store, const unsigned char token_hash[32], int64_t now,
                                           struct arena *arena, struct caller *caller, struct credential *token)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_TOKEN_FIND);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_blob(stmt, 1, token_hash, 32);
    db_bind_int64(stmt, 2, now);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_NOT_FOUND;
    if (r != DB_ROW)
        return STORE_ERROR;
    int64_t user_id = db_column_int64(stmt, 1);
    *token = (struct credential){.id = db_column_int64(stmt, 0),
                                 .last_used_at = db_column_int64(stmt, 2),
                                 .expires_at = db_column_int64(stmt, 3)};
    db_reset(stmt);
    return store_caller_get(store, user_id, arena, caller);
}

enum store_status store_credential_uses_record(struct store *store, const struct credential_use *uses, size_t count)
{
    if (count == 0)
        return STORE_OK;
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_OK;
    for (size_t i = 0; i < count && status == STORE_OK; i++) {
        struct db_stmt *stmt = db_prepare(store->db, uses[i].session ? SQL_SESSION_TOUCH : SQL_TOKEN_TOUCH);
        if (stmt == NULL) {
            status = STORE_ERROR;
            break;
        }
        db_bind_int64(stmt, 1, uses[i].id);
        db_bind_int64(stmt, 2, uses[i].at);
        if (db_exec_stmt(stmt) != DB_DONE)
            status = STORE_ERROR;
    }
    return store_tx_end(store, status);
}

enum store_status store_token_list(struct store *store, int64_t user_id, struct store_page *page, struct arena *arena,
                                   struct api_token **out, size_t *count)
{
    struct store_page first = {.limit = 1000};
    if (page == NULL)
        page = &first;
    struct db_stmt *stmt = db_prepare(store->db, SQL_TOKEN_LIST);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, user_id);
    store_page_bind(stmt, 2, CURSOR_ID, STORE_DESCENDING, page);
    *out = arena_alloc(arena, sizeof(**out) * store_page_limit(page));
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW && store_page_row(page, stmt, *count, CURSOR_ID, 0, 0, arena)) {
        struct api_token *t = &(*out)[(*count)++];
        t->id = db_column_int64(stmt, 0);
        t->user_id = db_column_int64(stmt, 1);
        t->user_email = store_text(arena, stmt, 2);
        t->name = store_text(arena, stmt, 3);
        t->prefix = store_text(arena, stmt, 4);
        t->created_at = db_column_int64(stmt, 5);
        t->last_used_at = db_column_int64(stmt, 6);
        t->revoked_at = db_column_int64(stmt, 7);
        t->expires_at = db_column_int64(stmt, 8);
    }
    return r == DB_DONE || r == DB_ROW ? STORE_OK : STORE_ERROR;
}

static const char SQL_TOKEN_REVOKE_ALL[] =
    "UPDATE api_tokens SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL";

enum store_status store_token_revoke_all(struct store *store, const struct actor *actor, int64_t user_id, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_TOKEN_REVOKE_ALL);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, user_id);
        db_bind_int64(stmt, 2, now);
        if (db_exec_stmt(stmt) == DB_DONE)
            status = store_audit(store, actor, "token.revoke_all", "user", user_id, NULL, NULL, now);
    }
    return store_tx_end(store, status);
}

enum store_status store_token_revoke(struct store *store, const struct actor *actor, int64_t id, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_TOKEN_REVOKE);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, id);
        db_bind_int64(stmt, 2, now);
        enum db_result r = db_step(stmt);
        if (r == DB_DONE)
            status = STORE_NOT_FOUND; /* unknown or already revoked */
        else if (r == DB_ROW) {
            db_reset(stmt);
            status = store_audit(store, actor, "token.revoke", "api_token", id, NULL, NULL, now);
        }
    }
    if (status != STORE_OK) {
        store_tx_rollback(store);
        return status;
    }
    return store_tx_commit(store) ? STORE_OK : STORE_ERROR;
}

/* One-time links */

static const char SQL_ONE_TIME_INSERT[] =
    "INSERT INTO one_time_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_ONE_TIME_PEEK[] =
    "SELECT user_id FROM one_time_tokens"
    " WHERE token_hash = ?1 AND purpose = ?2 AND used_at IS NULL AND expires_at > ?3";
static const char SQL_ONE_TIME_CONSUME[] =
    "UPDATE one_time_tokens SET used_at = ?3"
    " WHERE token_hash = ?1 AND purpose = ?2 AND used_at IS NULL AND expires_at > ?3 RETURNING user_id";

static const char *purpose_name(enum one_time_purpose purpose)
{
    return purpose == ONE_TIME_RESET ? "reset" : "invite";
}

static enum store_status one_time_create(struct store *store, int64_t user_id, enum one_time_purpose purpose,
                                         const unsigned char token_hash[32], int64_t now, int64_t expires_at)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_ONE_TIME_INSERT);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_blob(stmt, 1, token_hash, 32);
    db_bind_int64(stmt, 2, user_id);
    db_bind_text(stmt, 3, purpose_name(purpose));
    db_bind_int64(stmt, 4, now);
    db_bind_int64(stmt, 5, expires_at);
    return db_exec_stmt(stmt) == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_one_time_create(struct store *store, int64_t user_id, enum one_time_purpose purpose,
                                        const unsigned char token_hash[32], int64_t now, int64_t expires_at)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    return store_tx_end(store, one_time_create(store, user_id, purpose, token_hash, now, expires_at));
}

static enum store_status one_time_lookup(struct store *store, const char *sql, const unsigned char token_hash[32],
                                         enum one_time_purpose purpose, int64_t now, int64_t *user_id)
{
    struct db_stmt *stmt = db_prepare(store->db, sql);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_blob(stmt, 1, token_hash, 32);
    db_bind_text(stmt, 2, purpose_name(purpose));
    db_bind_int64(stmt, 3, now);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_NOT_FOUND;
    if (r != DB_ROW)
        return STORE_ERROR;
    *user_id = db_column_int64(stmt, 0);
    db_reset(stmt);
    return STORE_OK;
}

enum store_status store_one_time_peek(struct store *store, const unsigned char token_hash[32],
                                      enum one_time_purpose purpose, int64_t now, int64_t *user_id)
{
    return one_time_lookup(store, SQL_ONE_TIME_PEEK, token_hash, purpose, now, user_id);
}

enum store_status store_one_time_consume(struct store *store, const unsigned char token_hash[32],
                                         enum one_time_purpose purpose, int64_t now, int64_t *user_id)
{
    /* A write: in the caller's transaction or one of its own, like every other. */
    if (!store_tx_begin(store))
        return STORE_ERROR;
    return store_tx_end(store, one_time_lookup(store, SQL_ONE_TIME_CONSUME, token_hash, purpose, now, user_id));
}

/* Sign-in attempts */

static const char SQL_ATTEMPT_INSERT[] =
    "INSERT INTO sign_in_attempts (email, client, at, succeeded) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_ATTEMPT_FAILURES[] =
    "SELECT (SELECT count(*) FROM sign_in_attempts WHERE email = ?1 AND at >= ?3 AND succeeded = 0"
    "        AND at > coalesce((SELECT max(at) FROM sign_in_attempts WHERE email = ?1"
    "                           AND succeeded = 1), 0)),"
    " (SELECT count(*) FROM sign_in_attempts WHERE client = ?2 AND at >= ?3 AND succeeded = 0)";
static const char SQL_ATTEMPT_PRUNE[] = "DELETE FROM sign_in_attempts WHERE at < ?1";

static enum store_status sign_in_record(struct store *store, const char *email, const char *client, int64_t now,
                                        bool succeeded)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_ATTEMPT_INSERT);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_text(stmt, 1, email);
    db_bind_text(stmt, 2, client ? client : "");
    db_bind_int64(stmt, 3, now);
    db_bind_int64(stmt, 4, succeeded);
    if (db_exec_stmt(stmt) != DB_DONE)
        return STORE_ERROR;
    /* Attempts older than a day no longer matter to any limit. */
    stmt = db_prepare(store->db, SQL_ATTEMPT_PRUNE);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, now - 86400);
    return db_exec_stmt(stmt) == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_sign_in_record(struct store *store, const char *email, const char *client, int64_t now,
                                       bool succeeded)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    return store_tx_end(store, sign_in_record(store, email, client, now, succeeded));
}

/* A request in key's window: a window older than ?3 starts again at this one. */
static const char SQL_RESET_COUNT[] =
    "INSERT INTO password_reset_limits (key, window_start, requests) VALUES (?1, ?2, 1)"
    " ON CONFLICT (key) DO UPDATE SET"
    " requests = CASE WHEN password_reset_limits.window_start <= ?3 THEN 1 ELSE password_reset_limits.requests + 1 END,"
    " window_start = CASE WHEN password_reset_limits.window_start <= ?3 THEN ?2"
    " ELSE password_reset_limits.window_start END"
    " RETURNING requests";
static const char SQL_RESET_PRUNE[] = "DELETE FROM password_reset_limits WHERE window_start < ?1";

static enum store_status reset_count(struct store *store, const char *kind, const char *who, int64_t now,
                                     int64_t window, int64_t *requests)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_RESET_COUNT);
    if (stmt == NULL)
        return STORE_ERROR;
    char key[600];
    snprintf(key, sizeof(key), "%s:%s", kind, who ? who : "");
    db_bind_text(stmt, 1, key);
    db_bind_int64(stmt, 2, now);
    db_bind_int64(stmt, 3, now - window);
    if (db_step(stmt) != DB_ROW)
        return STORE_ERROR;
    *requests = db_column_int64(stmt, 0);
    return db_step(stmt) == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_reset_request_count(struct store *store, const char *email, const char *client, int64_t now,
                                            int64_t window, int64_t *by_email, int64_t *by_client)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = reset_count(store, "email", email, now, window, by_email);
    if (status == STORE_OK)
        status = reset_count(store, "client", client, now, window, by_client);
    /* Windows a day old count for nothing: their rows go. */
    struct db_stmt *stmt = status == STORE_OK ? db_prepare(store->db, SQL_RESET_PRUNE) : NULL;
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, now - 86400);
        if (db_exec_stmt(stmt) != DB_DONE)
            status = STORE_ERROR;
    } else if (status == STORE_OK) {
        status = STORE_ERROR;
    }
    return store_tx_end(store, status);
}

enum store_status store_sign_in_failures(struct store *store, const char *email, const char *client, int64_t since,
                                         int64_t *by_email, int64_t *by_client)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_ATTEMPT_FAILURES);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_text(stmt, 1, email);
    db_bind_text(stmt, 2, client ? client : "");
    db_bind_int64(stmt, 3, since);
    if (db_step(stmt) != DB_ROW)
        return STORE_ERROR;
    *by_email = db_column_int64(stmt, 0);
    *by_client = db_column_int64(stmt, 1);
    db_reset(stmt);
    return STORE_OK;
}
