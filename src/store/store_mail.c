/*
 * The outbox in the database: messages are queued by the change that causes them and handed out
 * to mailers one at a time under a lease, so that several servers sharing one database send each
 * message once. The sending itself (SMTP, retries) lives in src/mail; only the bookkeeping is here.
 */
#include "store/store_internal.h"

static const char SQL_MAIL_ENQUEUE[] =
    "INSERT INTO mail_outbox (recipient, subject, body, created_at, not_before) VALUES (?1, ?2, ?3, ?4, ?4)";

/* Oldest first, by queueing order. The same condition is used outside a transaction as a cheap
 * peek, so that an idle mailer polling every half second does not take the write lock each time. */
#define MAIL_DUE " WHERE sent_at IS NULL AND not_before <= ?1 AND (claimed_until IS NULL OR claimed_until < ?1)"
static const char SQL_MAIL_PEEK[] = "SELECT 1 FROM mail_outbox" MAIL_DUE " LIMIT 1";
static const char SQL_MAIL_NEXT[] =
    "SELECT id, recipient, subject, body, attempts FROM mail_outbox" MAIL_DUE " ORDER BY id LIMIT 1";
static const char SQL_MAIL_LEASE[] = "UPDATE mail_outbox SET claimed_until = ?2, attempts = attempts + 1 WHERE id = ?1";
static const char SQL_MAIL_SENT[] = "UPDATE mail_outbox SET sent_at = ?2, claimed_until = NULL WHERE id = ?1";
static const char SQL_MAIL_FAILED[] =
    "UPDATE mail_outbox SET not_before = ?2, claimed_until = NULL, last_error = ?3 WHERE id = ?1";
static const char SQL_MAIL_PENDING[] = "SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL";

static enum store_status mail_enqueue(struct store *store, const char *recipient, const char *subject, const char *body,
                                      int64_t now)
{
    /* No transaction of its own: the message must commit or roll back with the caller's change. */
    struct db_stmt *stmt = db_prepare(store->db, SQL_MAIL_ENQUEUE);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_text(stmt, 1, recipient);
    db_bind_text(stmt, 2, subject);
    db_bind_text(stmt, 3, body);
    db_bind_int64(stmt, 4, now);
    switch (db_exec_stmt(stmt)) {
    case DB_DONE: return STORE_OK;
    case DB_CONSTRAINT: return STORE_CONFLICT;
    default: return STORE_ERROR;
    }
}

enum store_status store_mail_enqueue(struct store *store, const char *recipient, const char *subject, const char *body,
                                     int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    return store_tx_end(store, mail_enqueue(store, recipient, subject, body, now));
}

static const char *column_text(struct arena *arena, struct db_stmt *stmt, int column)
{
    if (db_column_is_null(stmt, column))
        return "";
    return arena_strndup(arena, db_column_text(stmt, column), db_column_bytes(stmt, column));
}

/* out->attempts counts this claim too: it is the number of the attempt about to be made. */
enum store_status store_mail_claim(struct store *store, int64_t now, int lease_seconds, struct arena *arena,
                                   struct mail_message *out)
{
    struct db *db = store->db;
    struct db_stmt *stmt = db_prepare(db, SQL_MAIL_PEEK);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, now);
    enum db_result peek = db_step(stmt);
    if (peek == DB_ROW)
        db_reset(stmt);
    else
        return peek == DB_DONE ? STORE_NOT_FOUND : STORE_ERROR;

    /* The peek saw something; the real choice is made again under the write lock, which is what
     * makes the claim atomic between connections and processes. */
    if (!db_begin_write(db))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    if ((stmt = db_prepare(db, SQL_MAIL_NEXT)) == NULL)
        goto fail;
    db_bind_int64(stmt, 1, now);
    enum db_result rc = db_step(stmt);
    if (rc != DB_ROW) {
        if (rc == DB_DONE)
            status = STORE_NOT_FOUND; /* another sender took it between the peek and the lock */
        goto fail;
    }
    struct mail_message message = {
        .id = db_column_int64(stmt, 0),
        .recipient = column_text(arena, stmt, 1),
        .subject = column_text(arena, stmt, 2),
        .body = column_text(arena, stmt, 3),
        .attempts = (int)db_column_int64(stmt, 4) + 1,
    };
    db_reset(stmt);
    if ((stmt = db_prepare(db, SQL_MAIL_LEASE)) == NULL)
        goto fail;
    db_bind_int64(stmt, 1, message.id);
    db_bind_int64(stmt, 2, now + lease_seconds);
    if (db_exec_stmt(stmt) != DB_DONE || !db_commit(db))
        goto fail;
    *out = message;
    return STORE_OK;
fail:
    db_rollback(db);
    return status;
}

static enum store_status run_update(struct store *store, struct db_stmt *stmt)
{
    if (db_exec_stmt(stmt) != DB_DONE)
        return STORE_ERROR;
    return db_changes(store->db) == 1 ? STORE_OK : STORE_NOT_FOUND;
}

static enum store_status mail_mark_sent(struct store *store, int64_t id, int64_t now)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_MAIL_SENT);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    db_bind_int64(stmt, 2, now);
    return run_update(store, stmt);
}

enum store_status store_mail_mark_sent(struct store *store, int64_t id, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    return store_tx_end(store, mail_mark_sent(store, id, now));
}

static enum store_status mail_mark_failed(struct store *store, int64_t id, int64_t retry_at, const char *error)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_MAIL_FAILED);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    db_bind_int64(stmt, 2, retry_at);
    db_bind_text(stmt, 3, error);
    return run_update(store, stmt);
}

enum store_status store_mail_mark_failed(struct store *store, int64_t id, int64_t retry_at, const char *error)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    return store_tx_end(store, mail_mark_failed(store, id, retry_at, error));
}

enum store_status store_mail_pending(struct store *store, int64_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_MAIL_PENDING);
    if (stmt == NULL || db_step(stmt) != DB_ROW)
        return STORE_ERROR;
    *count = db_column_int64(stmt, 0);
    db_reset(stmt);
    return STORE_OK;
}
