/*
 * The outbox in the database: messages are queued by the change that causes them and handed out
 * to mailers one at a time under a lease, so that several servers sharing one database send each
 * message once. The sending itself (SMTP, retries) lives in src/mail; only the bookkeeping is here.
 *
 * A claim is one statement, "UPDATE ... SET claimed_until = ... WHERE id = (the oldest due) AND
 * it is still due RETURNING ...": the row is locked and the condition checked again as the row
 * is when the update reaches it, so of two senders choosing the same message only one gets a row
 * back, on any engine. The other simply tries the next.
 */
#include "store/store_internal.h"

static const char SQL_MAIL_ENQUEUE[] =
    "INSERT INTO mail_outbox (recipient, subject, body, created_at, not_before) VALUES (?1, ?2, ?3, ?4, ?4)";

/* Oldest first, by queueing order. The same condition is used outside a transaction as a cheap
 * peek, so that an idle mailer polling every half second does not take the write lock each time. */
#define MAIL_DUE " WHERE sent_at IS NULL AND not_before <= ?1 AND (claimed_until IS NULL OR claimed_until < ?1)"
static const char SQL_MAIL_PEEK[] = "SELECT 1 FROM mail_outbox" MAIL_DUE " LIMIT 1";
static const char SQL_MAIL_CLAIM[] =
    "UPDATE mail_outbox SET claimed_until = ?2, claimed_by = ?3, attempts = attempts + 1"
    " WHERE id = (SELECT id FROM mail_outbox" MAIL_DUE " ORDER BY id LIMIT 1)"
    " AND sent_at IS NULL AND not_before <= ?1 AND (claimed_until IS NULL OR claimed_until < ?1)"
    " RETURNING id, recipient, subject, body, attempts";
/* How often a claimer that lost the race for the oldest message tries the next before giving up
 * until its next poll. */
enum { MAIL_CLAIM_TRIES = 8 };
static const char SQL_MAIL_SENT[] = "UPDATE mail_outbox SET sent_at = ?2, claimed_until = NULL WHERE id = ?1";
static const char SQL_MAIL_FAILED[] =
    "UPDATE mail_outbox SET not_before = ?2, claimed_until = NULL, last_error = ?3 WHERE id = ?1";
static const char SQL_MAIL_PENDING[] = "SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL";
static const char SQL_MAIL_CLAIMERS[] = "SELECT DISTINCT claimed_by FROM mail_outbox"
                                        " WHERE sent_at IS NULL AND claimed_until >= ?1 AND claimed_by IS NOT NULL";
static const char SQL_MAIL_RELEASE[] =
    "UPDATE mail_outbox SET claimed_until = NULL WHERE claimed_by = ?1 AND sent_at IS NULL";

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

/* One try at the claim, inside a write transaction: STORE_NOT_FOUND when another sender leased
 * the message it chose first. */
static enum store_status claim_once(struct store *store, const char *claimer, int64_t now, int lease_seconds,
                                    struct arena *arena, struct mail_message *out)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_MAIL_CLAIM);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, now);
    db_bind_int64(stmt, 2, now + lease_seconds);
    db_bind_text(stmt, 3, claimer);
    enum db_result rc = db_step(stmt);
    if (rc != DB_ROW)
        return rc == DB_DONE ? STORE_NOT_FOUND : STORE_ERROR;
    *out = (struct mail_message){
        .id = db_column_int64(stmt, 0),
        .recipient = column_text(arena, stmt, 1),
        .subject = column_text(arena, stmt, 2),
        .body = column_text(arena, stmt, 3),
        .attempts = (int)db_column_int64(stmt, 4),
    };
    db_reset(stmt);
    return STORE_OK;
}

/* out->attempts counts this claim too: it is the number of the attempt about to be made. */
enum store_status store_mail_claim(struct store *store, const char *claimer, int64_t now, int lease_seconds,
                                   struct arena *arena, struct mail_message *out)
{
    for (int attempt = 0; attempt < MAIL_CLAIM_TRIES; attempt++) {
        /* A read first, so that an idle mailer polling every half second writes nothing. */
        struct db_stmt *stmt = db_prepare(store->db, SQL_MAIL_PEEK);
        if (stmt == NULL)
            return STORE_ERROR;
        db_bind_int64(stmt, 1, now);
        enum db_result peek = db_step(stmt);
        if (peek != DB_ROW)
            return peek == DB_DONE ? STORE_NOT_FOUND : STORE_ERROR;
        db_reset(stmt);

        if (!store_tx_begin(store))
            return STORE_ERROR;
        struct mail_message message;
        enum store_status status = store_tx_end(store, claim_once(store, claimer, now, lease_seconds, arena, &message));
        if (status == STORE_NOT_FOUND)
            continue; /* another sender leased it first */
        if (status == STORE_OK)
            *out = message; /* only once the lease is committed */
        return status;
    }
    return STORE_NOT_FOUND;
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

enum store_status store_mail_claimers(struct store *store, int64_t now, struct arena *arena, const char ***out,
                                      size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_MAIL_CLAIMERS);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, now);
    size_t cap = 8;
    *out = arena_alloc(arena, cap * sizeof(**out));
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        (*out)[(*count)++] = column_text(arena, stmt, 0);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

static enum store_status mail_release(struct store *store, const char *claimer)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_MAIL_RELEASE);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_text(stmt, 1, claimer);
    return db_exec_stmt(stmt) == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_mail_release(struct store *store, const char *claimer)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    return store_tx_end(store, mail_release(store, claimer));
}
