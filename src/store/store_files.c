/*
 * The files table (migration 026): which record holds a blob, under what name, and whose it is.
 * The bytes are the blob store's (blob.h); this file knows the rows that name them.
 */
#include "store/blob.h"
#include "store/store_internal.h"

#include <jansson.h>
#include <string.h>

#define COLUMNS                                                                                                        \
    "f.id, f.blob_id, f.record_kind, f.record_id, coalesce(f.owner_id, 0), f.name, b.media_type, b.size, b.sha256, "   \
    "coalesce(f.created_by, 0), f.created_at"

static const char SQL_INSERT[] = "INSERT INTO files (blob_id, record_kind, record_id, owner_id, name, created_by, "
                                 "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_GET[] = "SELECT " COLUMNS " FROM files f JOIN blobs b ON b.id = f.blob_id WHERE f.id = ?1";
static const char SQL_OF_RECORD[] = "SELECT " COLUMNS " FROM files f JOIN blobs b ON b.id = f.blob_id"
                                    " WHERE f.record_kind = ?1 AND f.record_id = ?2 ORDER BY f.id";
static const char SQL_OF_OWNER[] =
    "SELECT " COLUMNS " FROM files f JOIN blobs b ON b.id = f.blob_id WHERE f.owner_id = ?1 ORDER BY f.id";
static const char SQL_DELETE[] = "DELETE FROM files WHERE id = ?1 RETURNING blob_id";

static void read_row(struct db_stmt *stmt, struct arena *arena, struct stored_file *f)
{
    memset(f, 0, sizeof(*f));
    f->id = db_column_int64(stmt, 0);
    f->blob_id = db_column_int64(stmt, 1);
    f->record_kind = store_text_or_empty(arena, stmt, 2);
    f->record_id = db_column_int64(stmt, 3);
    f->owner_id = db_column_int64(stmt, 4);
    f->name = store_text_or_empty(arena, stmt, 5);
    f->media_type = store_text_or_empty(arena, stmt, 6);
    f->size = db_column_int64(stmt, 7);
    f->sha256 = store_text_or_empty(arena, stmt, 8);
    f->created_by = db_column_int64(stmt, 9);
    f->created_at = db_column_int64(stmt, 10);
}

enum store_status store_file_add(struct store *store, const struct actor *actor, struct stored_file *f, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_INSERT);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, f->blob_id);
        db_bind_text(stmt, 2, f->record_kind);
        db_bind_int64(stmt, 3, f->record_id);
        store_bind_id(stmt, 4, f->owner_id);
        db_bind_text(stmt, 5, f->name);
        store_bind_id(stmt, 6, f->created_by);
        db_bind_int64(stmt, 7, now);
        if (db_exec_stmt(stmt) == DB_DONE) {
            f->id = db_last_insert_id(store->db);
            f->created_at = now;
            status = STORE_OK;
        }
    }
    if (status == STORE_OK)
        status = store_audit_json(store, actor, "file.add", f->record_kind, f->record_id, NULL,
                                  json_pack("{s:I, s:s, s:I, s:s}", "file_id", (json_int_t)f->id, "name", f->name,
                                            "size", (json_int_t)f->size, "sha256", f->sha256 ? f->sha256 : ""),
                                  now);
    return store_tx_end(store, status);
}

enum store_status store_file_get(struct store *store, int64_t id, struct arena *arena, struct stored_file *out)
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
    read_row(stmt, arena, out);
    db_reset(stmt);
    return STORE_OK;
}

static enum store_status read_all(struct db_stmt *stmt, struct arena *arena, struct stored_file **out, size_t *count)
{
    size_t cap = 8;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        read_row(stmt, arena, &(*out)[(*count)++]);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_files_of(struct store *store, const char *record_kind, int64_t record_id, struct arena *arena,
                                 struct stored_file **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_OF_RECORD);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_text(stmt, 1, record_kind);
    db_bind_int64(stmt, 2, record_id);
    return read_all(stmt, arena, out, count);
}

enum store_status store_files_of_owner(struct store *store, int64_t owner_id, struct arena *arena,
                                       struct stored_file **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_OF_OWNER);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, owner_id);
    return read_all(stmt, arena, out, count);
}

enum store_status store_file_delete(struct store *store, const struct actor *actor, int64_t id, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    struct arena arena = ARENA_INIT;
    struct stored_file f;
    enum store_status status = store_file_get(store, id, &arena, &f);
    if (status == STORE_OK) {
        struct db_stmt *stmt = db_prepare(store->db, SQL_DELETE);
        status = STORE_ERROR;
        if (stmt != NULL) {
            db_bind_int64(stmt, 1, id);
            if (db_step(stmt) == DB_ROW) {
                db_reset(stmt);
                status = STORE_OK;
            }
        }
    }
    if (status == STORE_OK)
        status = blob_release(store, f.blob_id);
    if (status == STORE_OK)
        status = store_audit_json(store, actor, "file.delete", f.record_kind, f.record_id,
                                  json_pack("{s:I, s:s}", "file_id", (json_int_t)id, "name", f.name), NULL, now);
    arena_release(&arena);
    return store_tx_end(store, status);
}
