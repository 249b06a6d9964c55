/*
 * The SQLite driver: WAL journal (readers never wait for the writer), durable commits, foreign keys on, a busy
 * timeout so several processes (servers and command-line imports) share one file, and a
 * per-connection cache of prepared statements.
 */
#include "store/db.h"

#include "lib/die.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { STATEMENT_CACHE_SIZE = 1024 };

struct db_stmt {
    sqlite3_stmt *stmt;
    struct db *db;
};

struct db {
    sqlite3 *handle;
    char error[256];
    bool used; /* a statement was prepared since the last db_busy_statement: only then look */
    struct {
        const char *sql;
        struct db_stmt stmt;
    } cache[STATEMENT_CACHE_SIZE];
    size_t cached;
};

static void record_error(struct db *db, const char *what)
{
    snprintf(db->error, sizeof(db->error), "%s: %s", what, sqlite3_errmsg(db->handle));
}

struct db *db_open(const char *location, char *err, size_t err_size)
{
    struct db *db = calloc(1, sizeof(*db));
    if (db == NULL)
        die("out of memory");
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(location, &db->handle, flags, NULL) != SQLITE_OK) {
        snprintf(err, err_size, "cannot open %s: %s", location, sqlite3_errmsg(db->handle));
        sqlite3_close(db->handle);
        free(db);
        return NULL;
    }
    sqlite3_busy_timeout(db->handle, 5000);
    sqlite3_extended_result_codes(db->handle, 1);
    /* synchronous = FULL: a commit reaches the disk before it returns, so what a 2xx (a
     * submission's receipt) promised survives power loss too, not only a killed process. */
    if (!db_exec_script(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")) {
        snprintf(err, err_size, "cannot set up %s: %s", location, db->error);
        sqlite3_close(db->handle);
        free(db);
        return NULL;
    }
    return db;
}

void db_close(struct db *db)
{
    if (db == NULL)
        return;
    for (size_t i = 0; i < db->cached; i++)
        sqlite3_finalize(db->cache[i].stmt.stmt);
    sqlite3_close(db->handle);
    free(db);
}

const char *db_error(const struct db *db)
{
    return db->error;
}

struct db_stmt *db_prepare(struct db *db, const char *sql)
{
    db->used = true;
    for (size_t i = 0; i < db->cached; i++)
        if (db->cache[i].sql == sql) {
            sqlite3_reset(db->cache[i].stmt.stmt);
            sqlite3_clear_bindings(db->cache[i].stmt.stmt);
            return &db->cache[i].stmt;
        }
    if (db->cached == STATEMENT_CACHE_SIZE)
        die("statement cache full: raise STATEMENT_CACHE_SIZE");
    sqlite3_stmt *stmt;
    /* "?1" is SQLite's own numbered-parameter syntax, so the text needs no rewriting. */
    if (sqlite3_prepare_v3(db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK) {
        record_error(db, "prepare");
        fprintf(stderr, "npq: %s\n  in: %s\n", db->error, sql);
        return NULL;
    }
    db->cache[db->cached].sql = sql;
    db->cache[db->cached].stmt = (struct db_stmt){stmt, db};
    return &db->cache[db->cached++].stmt;
}

void db_bind_int64(struct db_stmt *s, int index, int64_t value)
{
    sqlite3_bind_int64(s->stmt, index, value);
}

void db_bind_text(struct db_stmt *s, int index, const char *text)
{
    if (text == NULL)
        sqlite3_bind_null(s->stmt, index);
    else
        sqlite3_bind_text(s->stmt, index, text, -1, SQLITE_TRANSIENT);
}

void db_bind_blob(struct db_stmt *s, int index, const void *data, size_t len)
{
    sqlite3_bind_blob(s->stmt, index, data, (int)len, SQLITE_TRANSIENT);
}

void db_bind_null(struct db_stmt *s, int index)
{
    sqlite3_bind_null(s->stmt, index);
}

enum db_result db_step(struct db_stmt *s)
{
    int rc = sqlite3_step(s->stmt);
    if (rc == SQLITE_ROW)
        return DB_ROW;
    if (rc == SQLITE_DONE) {
        sqlite3_reset(s->stmt);
        return DB_DONE;
    }
    record_error(s->db, "step");
    sqlite3_reset(s->stmt);
    return (rc & 0xff) == SQLITE_CONSTRAINT ? DB_CONSTRAINT : DB_ERROR;
}

enum db_result db_exec_stmt(struct db_stmt *s)
{
    enum db_result r = db_step(s);
    if (r == DB_ROW) {
        db_reset(s);
        return DB_DONE;
    }
    return r;
}

void db_reset(struct db_stmt *s)
{
    sqlite3_reset(s->stmt);
}

int64_t db_column_int64(struct db_stmt *s, int column)
{
    return sqlite3_column_int64(s->stmt, column);
}

const char *db_column_text(struct db_stmt *s, int column)
{
    return (const char *)sqlite3_column_text(s->stmt, column);
}

size_t db_column_bytes(struct db_stmt *s, int column)
{
    return (size_t)sqlite3_column_bytes(s->stmt, column);
}

const void *db_column_blob(struct db_stmt *s, int column)
{
    return sqlite3_column_blob(s->stmt, column);
}

bool db_column_is_null(struct db_stmt *s, int column)
{
    return sqlite3_column_type(s->stmt, column) == SQLITE_NULL;
}

int64_t db_last_insert_id(struct db *db)
{
    return sqlite3_last_insert_rowid(db->handle);
}

int64_t db_changes(struct db *db)
{
    return sqlite3_changes64(db->handle);
}

const char *db_busy_statement(struct db *db)
{
    /* Cached catalogue reads touch no statement; they should not pay for a scan of them all. */
    if (!db->used)
        return NULL;
    db->used = false;
    const char *found = NULL;
    for (sqlite3_stmt *s = sqlite3_next_stmt(db->handle, NULL); s != NULL; s = sqlite3_next_stmt(db->handle, s))
        if (sqlite3_stmt_busy(s)) {
            if (found == NULL)
                found = sqlite3_sql(s);
            sqlite3_reset(s);
        }
    return found;
}

bool db_exec_script(struct db *db, const char *sql)
{
    if (sqlite3_exec(db->handle, sql, NULL, NULL, NULL) != SQLITE_OK) {
        record_error(db, "exec");
        return false;
    }
    return true;
}

bool db_begin_read(struct db *db)
{
    return db_exec_script(db, "BEGIN DEFERRED");
}

bool db_begin_write(struct db *db)
{
    return db_exec_script(db, "BEGIN IMMEDIATE");
}

bool db_commit(struct db *db)
{
    return db_exec_script(db, "COMMIT");
}

void db_rollback(struct db *db)
{
    sqlite3_exec(db->handle, "ROLLBACK", NULL, NULL, NULL);
}

const char *db_dialect(const struct db *db)
{
    (void)db;
    return "sqlite";
}
