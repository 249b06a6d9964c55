/*
 * The blob store over the blobs and blob_chunks tables (migration 026).
 */
#include "store/blob.h"

#include "store/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_PENDING[] = "INSERT INTO blobs (sha256, size, media_type, created_at) VALUES (NULL, 0, '', ?1)";
static const char SQL_CHUNK_INSERT[] = "INSERT INTO blob_chunks (blob_id, seq, data) VALUES (?1, ?2, ?3)";
static const char SQL_BY_SHA[] = "SELECT id, size, media_type FROM blobs WHERE sha256 = ?1";
static const char SQL_FINISH[] = "UPDATE blobs SET sha256 = ?2, size = ?3, media_type = ?4 WHERE id = ?1";
static const char SQL_CHUNKS_DELETE[] = "DELETE FROM blob_chunks WHERE blob_id = ?1";
static const char SQL_DELETE[] = "DELETE FROM blobs WHERE id = ?1";
static const char SQL_GET[] = "SELECT id, sha256, size, media_type FROM blobs WHERE id = ?1 AND sha256 IS NOT NULL";
static const char SQL_CHUNK[] = "SELECT data FROM blob_chunks WHERE blob_id = ?1 AND seq = ?2";
static const char SQL_UNUSED[] = "SELECT 1 FROM blobs b WHERE b.id = ?1 AND NOT EXISTS (SELECT 1 FROM files f WHERE "
                                 "f.blob_id = b.id)";
static const char SQL_TOTALS[] = "SELECT count(*), coalesce(sum(size), 0) FROM blobs WHERE sha256 IS NOT NULL";

enum store_status blob_write_begin(struct store *store, struct blob_writer *w, int64_t now)
{
    *w = (struct blob_writer){.store = store};
    crypto_hash_sha256_init(&w->hash);
    struct db_stmt *stmt = db_prepare(store->db, SQL_PENDING);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, now);
    if (db_exec_stmt(stmt) != DB_DONE)
        return STORE_ERROR;
    w->id = db_last_insert_id(store->db);
    w->chunk = malloc(BLOB_CHUNK_BYTES);
    if (w->chunk == NULL)
        abort();
    return STORE_OK;
}

static bool put_chunk(struct blob_writer *w, const void *data, size_t len)
{
    struct db_stmt *stmt = db_prepare(w->store->db, SQL_CHUNK_INSERT);
    if (stmt == NULL)
        return false;
    db_bind_int64(stmt, 1, w->id);
    db_bind_int64(stmt, 2, w->seq);
    db_bind_blob(stmt, 3, data, len);
    if (db_exec_stmt(stmt) != DB_DONE)
        return false;
    w->seq++;
    return true;
}

enum store_status blob_write(struct blob_writer *w, const void *data, size_t len)
{
    if (w->failed || w->chunk == NULL)
        return STORE_ERROR;
    const unsigned char *p = data;
    crypto_hash_sha256_update(&w->hash, p, len);
    w->size += (int64_t)len;
    while (len > 0) {
        /* A whole chunk in the caller's memory goes straight to the database, uncopied. */
        if (w->chunk_len == 0 && len >= BLOB_CHUNK_BYTES) {
            if (!put_chunk(w, p, BLOB_CHUNK_BYTES))
                goto fail;
            p += BLOB_CHUNK_BYTES, len -= BLOB_CHUNK_BYTES;
            continue;
        }
        size_t room = BLOB_CHUNK_BYTES - w->chunk_len, n = len < room ? len : room;
        memcpy(w->chunk + w->chunk_len, p, n);
        w->chunk_len += n, p += n, len -= n;
        if (w->chunk_len == BLOB_CHUNK_BYTES) {
            if (!put_chunk(w, w->chunk, w->chunk_len))
                goto fail;
            w->chunk_len = 0;
        }
    }
    return STORE_OK;
fail:
    w->failed = true;
    return STORE_ERROR;
}

void blob_write_abandon(struct blob_writer *w)
{
    free(w->chunk);
    w->chunk = NULL;
}

static enum store_status exec_id(struct store *store, const char *sql, int64_t id)
{
    struct db_stmt *stmt = db_prepare(store->db, sql);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    return db_exec_stmt(stmt) == DB_DONE ? STORE_OK : STORE_ERROR;
}

/* Deletes a blob and its chunks (chunks first: they name it). */
static enum store_status drop(struct store *store, int64_t id)
{
    enum store_status status = exec_id(store, SQL_CHUNKS_DELETE, id);
    return status == STORE_OK ? exec_id(store, SQL_DELETE, id) : status;
}

enum store_status blob_write_end(struct blob_writer *w, const char *media_type, struct blob *out)
{
    enum store_status status = STORE_ERROR;
    if (w->failed || w->chunk == NULL)
        goto out;
    if (w->chunk_len > 0 && !put_chunk(w, w->chunk, w->chunk_len))
        goto out;
    unsigned char hash[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&w->hash, hash);
    memset(out, 0, sizeof(*out));
    sodium_bin2hex(out->sha256, sizeof(out->sha256), hash, sizeof(hash));
    struct db_stmt *stmt = db_prepare(w->store->db, SQL_BY_SHA);
    if (stmt == NULL)
        goto out;
    db_bind_text(stmt, 1, out->sha256);
    enum db_result r = db_step(stmt);
    if (r == DB_ROW) {
        out->id = db_column_int64(stmt, 0);
        out->size = db_column_int64(stmt, 1);
        snprintf(out->media_type, sizeof(out->media_type), "%s", db_column_text(stmt, 2));
        db_reset(stmt);
        status = drop(w->store, w->id); /* the same bytes are kept already */
        goto out;
    }
    if (r != DB_DONE)
        goto out;
    stmt = db_prepare(w->store->db, SQL_FINISH);
    if (stmt == NULL)
        goto out;
    db_bind_int64(stmt, 1, w->id);
    db_bind_text(stmt, 2, out->sha256);
    db_bind_int64(stmt, 3, w->size);
    db_bind_text(stmt, 4, media_type);
    r = db_exec_stmt(stmt);
    if (r == DB_CONSTRAINT) {
        status = STORE_CONFLICT; /* another writer kept the same bytes at this moment: try again */
        goto out;
    }
    if (r != DB_DONE)
        goto out;
    out->id = w->id;
    out->size = w->size;
    snprintf(out->media_type, sizeof(out->media_type), "%s", media_type);
    status = STORE_OK;
out:
    blob_write_abandon(w);
    return status;
}

enum store_status blob_get(struct store *store, int64_t id, struct blob *out)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_GET);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_NOT_FOUND;
    if (r != DB_ROW)
        return STORE_ERROR;
    memset(out, 0, sizeof(*out));
    out->id = db_column_int64(stmt, 0);
    snprintf(out->sha256, sizeof(out->sha256), "%s", db_column_text(stmt, 1));
    out->size = db_column_int64(stmt, 2);
    snprintf(out->media_type, sizeof(out->media_type), "%s", db_column_text(stmt, 3));
    db_reset(stmt);
    return STORE_OK;
}

enum store_status blob_read(struct store *store, const struct blob *blob, uint64_t first, uint64_t last, blob_sink sink,
                            void *arg)
{
    if (blob->size <= 0 || last >= (uint64_t)blob->size || first > last)
        return first > last || blob->size <= 0 ? STORE_OK : STORE_ERROR;
    for (uint64_t seq = first / BLOB_CHUNK_BYTES; seq <= last / BLOB_CHUNK_BYTES; seq++) {
        struct db_stmt *stmt = db_prepare(store->db, SQL_CHUNK);
        if (stmt == NULL)
            return STORE_ERROR;
        db_bind_int64(stmt, 1, blob->id);
        db_bind_int64(stmt, 2, (int64_t)seq);
        if (db_step(stmt) != DB_ROW)
            return STORE_ERROR; /* a chunk missing is a broken blob, not an absent one */
        uint64_t start = seq * BLOB_CHUNK_BYTES;
        size_t len = db_column_bytes(stmt, 0);
        const unsigned char *data = db_column_blob(stmt, 0);
        uint64_t from = first > start ? first - start : 0, to = last - start + 1;
        if (to > len)
            to = len;
        /* The chunk's bytes are the statement's until it is reset: sink them before. */
        bool more = from < to ? sink(arg, data + from, (size_t)(to - from)) : true;
        db_reset(stmt);
        if (!more)
            break;
    }
    return STORE_OK;
}

enum store_status blob_release(struct store *store, int64_t id)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_UNUSED);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_OK; /* still held, or gone already */
    if (r != DB_ROW)
        return STORE_ERROR;
    db_reset(stmt);
    return drop(store, id);
}

enum store_status blob_totals(struct store *store, int64_t *count, int64_t *bytes)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_TOTALS);
    if (stmt == NULL)
        return STORE_ERROR;
    if (db_step(stmt) != DB_ROW)
        return STORE_ERROR;
    *count = db_column_int64(stmt, 0);
    *bytes = db_column_int64(stmt, 1);
    db_reset(stmt);
    return STORE_OK;
}
