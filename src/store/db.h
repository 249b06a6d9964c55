/*
 * The database driver: the few operations the store needs from a SQL engine.
 *
 * Every query of npq is written once, in the store, against this interface; a driver maps it
 * onto one engine (db_sqlite.c today, PostgreSQL next). Queries use numbered parameters written
 * "?1", "?2"... which each driver rewrites into its own form. Statements are prepared on first
 * use and cached for the life of the connection, keyed by the address of their SQL text, so
 * queries must be string constants. A connection is used by one thread at a time.
 */
#ifndef NPQ_STORE_DB_H
#define NPQ_STORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct db_stmt;

enum db_result {
    DB_ROW,        /* a row is ready to read */
    DB_DONE,       /* the statement finished */
    DB_CONSTRAINT, /* a unique, check or foreign-key constraint refused the change */
    DB_ERROR,      /* anything else; db_error says what */
};

/* Opens a connection; NULL with a message in err on failure. */
struct db *db_open(const char *location, char *err, size_t err_size);
void db_close(struct db *db);

/* The last error of this connection, for logs; never NULL. */
const char *db_error(const struct db *db);

/* The cached statement for sql, reset and unbound; NULL on error. */
struct db_stmt *db_prepare(struct db *db, const char *sql);

void db_bind_int64(struct db_stmt *stmt, int index, int64_t value);
void db_bind_text(struct db_stmt *stmt, int index, const char *text); /* NULL binds SQL NULL */
void db_bind_blob(struct db_stmt *stmt, int index, const void *data, size_t len);
void db_bind_null(struct db_stmt *stmt, int index);

/* Runs or advances the statement. After DB_DONE or an error the statement is reset. */
enum db_result db_step(struct db_stmt *stmt);

/* Runs a statement that returns no rows; returns DB_DONE on success. */
enum db_result db_exec_stmt(struct db_stmt *stmt);

/* Ends a statement's use early (before DB_DONE), releasing its read lock. */
void db_reset(struct db_stmt *stmt);

/* Column accessors for the current row; text is valid until the next step or reset. */
int64_t db_column_int64(struct db_stmt *stmt, int column);
const char *db_column_text(struct db_stmt *stmt, int column); /* NULL for SQL NULL */
size_t db_column_bytes(struct db_stmt *stmt, int column);
const void *db_column_blob(struct db_stmt *stmt, int column);
bool db_column_is_null(struct db_stmt *stmt, int column);

/* The id of the row the last INSERT on this connection created. */
int64_t db_last_insert_id(struct db *db);

/* Rows changed by the last statement. */
int64_t db_changes(struct db *db);

/* Transactions. begin_write takes the write lock at once, so a transaction that will write
 * never fails half-way for want of it. */
bool db_begin_read(struct db *db);
bool db_begin_write(struct db *db);
bool db_commit(struct db *db);
void db_rollback(struct db *db);

/*
 * Checks that no statement of the connection is left mid-way (stepped but not run to the end or
 * reset): such a statement holds a read snapshot open, and a later write on the connection then
 * fails. Returns the SQL of the first one found (and resets them all), or NULL when all is well.
 */
const char *db_busy_statement(struct db *db);

/* Runs a script of several statements with no parameters (migrations). */
bool db_exec_script(struct db *db, const char *sql);

/* Which migrations folder this driver's schema lives in: "sqlite", later "postgres". */
const char *db_dialect(const struct db *db);

#endif
