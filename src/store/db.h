/*
 * The database driver: the few operations the store needs from a SQL engine.
 *
 * Every query of npq is written once, in the store, against this interface; a driver maps it
 * onto one engine (db_sqlite.c today, PostgreSQL next). Queries use numbered parameters written
 * "?1", "?2"... which each driver rewrites into its own form. Statements are prepared on first
 * use and cached for the life of the connection, keyed by the address of their SQL text, so
 * queries must be string constants.
 *
 * Two objects:
 *   - a database (struct db_engine) is opened once per process and location and shared by every
 *     thread: it owns what the threads share (for SQLite, the one writer connection and the
 *     commit queue; for PostgreSQL, later, the pool of connections);
 *   - a handle (struct db) belongs to one thread at a time and is what queries run on.
 *
 * How SQLite is driven: each handle has its own read connection (WAL readers never wait for the
 * writer, nor the writer for them). Writes go through the database's single writer connection,
 * which handles take in turn: a write transaction is a SAVEPOINT inside a group transaction that
 * stays open while other handles are waiting for the writer, and the last of them commits the
 * whole group with one COMMIT and one fsync. db_commit returns only after the COMMIT that holds
 * the transaction has returned, so nothing is acknowledged before it is durable, and a handle
 * waiting for the writer blocks only its own thread.
 */
#ifndef NPQ_STORE_DB_H
#define NPQ_STORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db_engine;
struct db;
struct db_stmt;

enum db_result {
    DB_ROW,        /* a row is ready to read */
    DB_DONE,       /* the statement finished */
    DB_CONSTRAINT, /* a unique, check or foreign-key constraint refused the change */
    DB_ERROR,      /* anything else; db_error says what */
};

/* Opens the database at location (for SQLite a file path, created when missing); NULL with a
 * message in err on failure. Thread-safe once opened. */
struct db_engine *db_engine_open(const char *location, char *err, size_t err_size);
/* Closes it; every handle must have been closed first. */
void db_engine_close(struct db_engine *engine);

/*
 * Called on the committing thread after each group commit, while the writer is still held, with a
 * handle on the writer connection: for reading back counters the commit may have changed
 * (revisions that caches follow). Set once, before any handle writes.
 */
typedef void (*db_commit_hook)(struct db *writer, void *arg);
void db_engine_set_commit_hook(struct db_engine *engine, db_commit_hook hook, void *arg);

/* A handle for one thread; NULL with a message in err on failure. */
struct db *db_connect(struct db_engine *engine, char *err, size_t err_size);
void db_close(struct db *db);

/* From now on a read on this handle that would have to wait for a lock (a crash being recovered,
 * a checkpoint resetting the log) fails at once instead: for a thread that must never wait. */
void db_never_wait(struct db *db);

/* The last error of this handle, for logs; never NULL. */
const char *db_error(const struct db *db);

/*
 * The cached statement for sql, reset and unbound; NULL on error. Inside a write transaction
 * statements run on the writer; outside one, on the handle's read connection, where a statement
 * that would write is refused (NULL, and db_error says so): every write belongs to a transaction.
 */
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

/* The id of the row the last INSERT of this handle's transaction created. */
int64_t db_last_insert_id(struct db *db);

/* Rows changed by the last statement. */
int64_t db_changes(struct db *db);

/*
 * Transactions.
 *
 * db_begin_read starts a read transaction on the handle's read connection: every statement until
 * db_commit sees one snapshot. Reads outside a transaction each see the latest committed state.
 *
 * db_begin_write waits for the writer (blocking only this thread) and starts a write
 * transaction: atomic (db_rollback undoes all of it and only it) and isolated from every other
 * writer (transactions on one database run one after another), durable once db_commit returns
 * true. db_commit returning false means nothing of the transaction was kept (the group it was in
 * failed to commit: a full disk, an I/O error): report it, do not assume it happened.
 *
 * Rules that must hold however many servers write at once (the last place of an event, an hours
 * cap, version numbers, claiming a message) are still written as single conditional statements
 * or constraints, not as a read followed by a write, so that they hold on an engine that runs
 * writers side by side (PostgreSQL at READ COMMITTED).
 */
bool db_begin_read(struct db *db);
bool db_begin_write(struct db *db);
bool db_commit(struct db *db);
void db_rollback(struct db *db);

/*
 * Checks that no statement of the handle is left mid-way (stepped but not run to the end or
 * reset): such a statement holds a read snapshot open, and a later write on the connection then
 * fails. Returns the SQL of the first one found (and resets them all), or NULL when all is well.
 */
const char *db_busy_statement(struct db *db);

/* Runs a script of several statements with no parameters (migrations), inside a write
 * transaction. */
bool db_exec_script(struct db *db, const char *sql);

/* Which migrations folder this driver's schema lives in: "sqlite", later "postgres". */
const char *db_dialect(const struct db *db);

#endif
