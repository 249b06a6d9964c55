/*
 * The driver dispatch: db.h's operations, routed to the driver of the database they act on
 * (db_sqlite.c for a file path, db_postgres.c for a postgres:// or postgresql:// address).
 */
#include "store/db_driver.h"

#include <stdio.h>
#include <string.h>

static bool is_postgres(const char *location)
{
    return strncmp(location, "postgres://", 11) == 0 || strncmp(location, "postgresql://", 13) == 0;
}

static const struct db_driver *driver_of(const char *location)
{
    return is_postgres(location) ? &db_postgres_driver : &db_sqlite_driver;
}

struct db_engine *db_engine_open(const char *location, char *err, size_t err_size)
{
    return driver_of(location)->engine_open(location, err, err_size);
}

bool db_backup(struct db *db, const char *to, char *err, size_t err_size)
{
    return db->driver->backup(db, to, err, err_size);
}

bool db_restore(const char *location, const char *from, const char *required_table, char *err, size_t err_size)
{
    return driver_of(location)->restore(location, from, required_table, err, err_size);
}

void db_engine_close(struct db_engine *engine)
{
    if (engine != NULL)
        engine->driver->engine_close(engine);
}

void db_engine_set_commit_hook(struct db_engine *engine, db_commit_hook hook, void *arg)
{
    engine->driver->engine_set_commit_hook(engine, hook, arg);
}

struct db *db_connect(struct db_engine *engine, char *err, size_t err_size)
{
    return engine->driver->connect(engine, err, err_size);
}

void db_close(struct db *db)
{
    if (db != NULL)
        db->driver->close(db);
}

bool db_never_wait(struct db *db)
{
    return db->driver->never_wait(db);
}

bool db_engine_follow(struct db_engine *engine, const char *channel, db_change_listener changed, void *arg, char *err,
                      size_t err_size)
{
    if (engine->driver->engine_follow == NULL) {
        snprintf(err, err_size, "this database needs no following: every handle reads it");
        return false;
    }
    return engine->driver->engine_follow(engine, channel, changed, arg, err, err_size);
}

const char *db_error(const struct db *db)
{
    return db->driver->error(db);
}

struct db_stmt *db_prepare(struct db *db, const char *sql)
{
    return db->driver->prepare(db, sql);
}

void db_bind_int64(struct db_stmt *stmt, int index, int64_t value)
{
    stmt->driver->bind_int64(stmt, index, value);
}

void db_bind_text(struct db_stmt *stmt, int index, const char *text)
{
    stmt->driver->bind_text(stmt, index, text);
}

void db_bind_blob(struct db_stmt *stmt, int index, const void *data, size_t len)
{
    stmt->driver->bind_blob(stmt, index, data, len);
}

void db_bind_null(struct db_stmt *stmt, int index)
{
    stmt->driver->bind_null(stmt, index);
}

enum db_result db_step(struct db_stmt *stmt)
{
    return stmt->driver->step(stmt);
}

enum db_result db_exec_stmt(struct db_stmt *stmt)
{
    enum db_result r = db_step(stmt);
    if (r == DB_ROW) {
        db_reset(stmt);
        return DB_DONE;
    }
    return r;
}

void db_reset(struct db_stmt *stmt)
{
    stmt->driver->reset(stmt);
}

int64_t db_column_int64(struct db_stmt *stmt, int column)
{
    return stmt->driver->column_int64(stmt, column);
}

const char *db_column_text(struct db_stmt *stmt, int column)
{
    return stmt->driver->column_text(stmt, column);
}

size_t db_column_bytes(struct db_stmt *stmt, int column)
{
    return stmt->driver->column_bytes(stmt, column);
}

const void *db_column_blob(struct db_stmt *stmt, int column)
{
    return stmt->driver->column_blob(stmt, column);
}

bool db_column_is_null(struct db_stmt *stmt, int column)
{
    return stmt->driver->column_is_null(stmt, column);
}

int64_t db_last_insert_id(struct db *db)
{
    return db->driver->last_insert_id(db);
}

int64_t db_changes(struct db *db)
{
    return db->driver->changes(db);
}

bool db_begin_read(struct db *db)
{
    return db->driver->begin_read(db);
}

bool db_begin_write(struct db *db)
{
    return db->driver->begin_write(db);
}

bool db_commit(struct db *db)
{
    return db->driver->commit(db);
}

void db_rollback(struct db *db)
{
    db->driver->rollback(db);
}

bool db_lock_schema(struct db *db)
{
    return db->driver->lock_schema(db);
}

const char *db_busy_statement(struct db *db)
{
    return db->driver->busy_statement(db);
}

bool db_exec_script(struct db *db, const char *sql)
{
    return db->driver->exec_script(db, sql);
}

const char *db_dialect(const struct db *db)
{
    return db->driver->dialect;
}
