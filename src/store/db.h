/*
 * The database driver: the few operations the store needs from a SQL engine.
 *
 * Every query of npq is written once, in the store, against this interface; a driver maps it
 * onto one engine (db_sqlite.c, db_postgres.c), chosen by the location (db.c). Queries use
 * numbered parameters written "?1", "?2"... which each driver rewrites into its own form, and SQL
 * both engines read alike (no SQLite-only functions, LIKE on lower() on both sides, no COLLATE in
 * queries: a column's case-insensitivity is the schema's, NOCASE or citext). Statements are prepared on first
 * use and cached for the life of the connection, keyed by the address of their SQL text, so
 * queries must be string constants.
 *
 * Two objects:
 *   - a database (struct db_engine) is opened once per process and location and shared by every
 *     thread: it owns what the threads share (for SQLite, the one writer connection and the
 *     commit queue; for PostgreSQL, the server's address);
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

/* Opens the database at location: a file path for SQLite, created when missing, or a
 * postgres:// (postgresql://) address for PostgreSQL, whose database is created when missing;
 * NULL with a message in err on failure. Thread-safe once opened. */
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

/*
 * Backups. db_backup copies the whole database db reads, as it is at one moment, into a new
 * database at to, while others go on reading and writing: the copy is written beside to and
 * renamed into place only once complete and on disk, so a backup cut short leaves nothing at to.
 * It refuses a to that exists. db_restore first checks the database at from (that it is one,
 * whole by SQLite's integrity check, and has the table named by required_table), then replaces everything at location
 * with it in one transaction; no server may be using location meanwhile. Both return false with a message in err on
 * failure, leaving to (or location) as it was.
 */
bool db_backup(struct db *db, const char *to, char *err, size_t err_size);
bool db_restore(const char *location, const char *from, const char *required_table, char *err, size_t err_size);

/* A handle for one thread; NULL with a message in err on failure. */
struct db *db_connect(struct db_engine *engine, char *err, size_t err_size);
void db_close(struct db *db);

/* From now on a read on this handle that would have to wait for a lock (a crash being recovered,
 * a checkpoint resetting the log) fails at once instead: for a thread that must never wait.
 * Returns whether the handle still reads at all: false where every query is a round trip to a
 * server (PostgreSQL), which a thread that must never wait cannot afford, so every query fails;
 * what such a thread needs is then kept current by db_engine_follow. */
bool db_never_wait(struct db *db);

/*
 * Follows what every process commits, for an engine whose never-waiting handles cannot read
 * (PostgreSQL): a thread of the engine, on a connection of its own, listens on channel (which
 * the schema's triggers notify) and calls changed with a handle on that connection, first before
 * db_engine_follow returns and again after each notification, so changed reads there what it
 * keeps; with NULL when the connection is lost (what it keeps may be stale from then on), and
 * with the handle again once it is back. changed runs on the following thread (or the caller's,
 * the first time) and must be quick. At most once per engine; stopped by db_engine_close.
 * False with a message in err when it could not start, or the engine needs no following (SQLite:
 * every handle reads the file itself).
 */
typedef void (*db_change_listener)(struct db *follower, void *arg);
bool db_engine_follow(struct db_engine *engine, const char *channel, db_change_listener changed, void *arg, char *err,
                      size_t err_size);

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
 * Transactions: what every driver guarantees, and what the store relies on (no more).
 *
 *   - Atomic: after db_commit returns true every change of the transaction is kept; after
 *     db_rollback, or a commit that returns false, none is (db_rollback undoes all of it and only
 *     it; a false commit means the group it was in failed to commit, a full disk or an I/O error:
 *     report it, do not assume it happened). Every write belongs to a write transaction: outside
 *     one, db_prepare refuses a statement that would write.
 *   - Durable when db_commit returns true: the changes survive the process being killed and the
 *     machine losing power (SQLite: WAL with synchronous = FULL, one fsync per group commit).
 *   - Isolated at least as READ COMMITTED: a statement sees only committed changes and the
 *     transaction's own, and a row changed by a transaction that has not ended cannot be changed
 *     by another until it ends; the second writer waits for the row, then its UPDATE or DELETE
 *     decides on the row as it is by then. So db_changes after a conditional write says whether
 *     this transaction won. SQLite gives more (db_begin_write waits for the database's one
 *     writer, blocking only this thread, so write transactions run one after another), but
 *     nothing may depend on that.
 *   - db_begin_read starts a transaction that only reads (on the handle's read connection) and
 *     whose statements all see one snapshot (PostgreSQL: REPEATABLE READ, READ ONLY). Reads
 *     outside a transaction each see the latest committed state.
 *
 * So a value read earlier in a transaction may be stale by the time the transaction writes, and
 * the store never writes what it decided from such a read. Each rule that writers at the same
 * moment could break is decided by the writing statement itself or by a constraint:
 *   - places on an event: UPDATE events SET booked = booked + 1 WHERE booked < capacity ...,
 *     with CHECK (booked BETWEEN 0 AND capacity); a capacity is lowered by the same row's UPDATE;
 *   - a module's hours cap: UPDATE activity_totals ... WHERE quarter_hours + n <= cap;
 *   - submissions: the state's compare-and-set (UPDATE ... WHERE state = ?), a version inserted
 *     only as max(number) + 1, UNIQUE (submission_id, number), and the task's versions_submitted
 *     guarding a change of its criteria; a draft started by INSERT ... ON CONFLICT DO NOTHING;
 *   - the outbox: a claim is one UPDATE ... WHERE id = (oldest due) AND still due RETURNING;
 *   - notifications: INSERT ... ON CONFLICT DO NOTHING under the primary key and the unique
 *     index of invitations and reminders; one live calendar feed by a partial unique index;
 *   - every state change (applications, enrolments, events, coaching sessions, links, tokens):
 *     compare-and-set on the state the caller saw; one live booking, enrolment, email, code or
 *     URN: unique indexes.
 * The one exception is store_migrate (store.c), which must exclude a second migrator: it calls
 * db_lock_schema at the start of each migration's transaction, before reading the schema version
 * (SQLite: the writer already excludes; PostgreSQL: pg_advisory_xact_lock).
 *
 * What a caller must do:
 *   - After any statement in a transaction returns DB_CONSTRAINT or DB_ERROR, run no other: roll
 *     back (PostgreSQL ends the transaction at its first failed statement; SQLite keeps it, but
 *     the store treats both alike, and an inner operation's failure rolls back the outer one).
 *   - A transaction that fails for want of a lock or because the engine chose it as a deadlock
 *     or serialization victim (SQLite: busy past the timeout; PostgreSQL: 40P01, 40001) is
 *     reported like any failure: db_begin_write or db_commit returns false, or a statement
 *     DB_ERROR. It may be retried, whole, from db_begin_write, reading again everything it
 *     decides on; never by re-running only the failed statement. No rule above needs a retry to
 *     hold, so retrying is for availability, never for correctness.
 */
bool db_begin_read(struct db *db);
bool db_begin_write(struct db *db);
bool db_commit(struct db *db);
void db_rollback(struct db *db);

/* Inside a write transaction: waits until no other transaction, in any process, holds the schema
 * lock, and holds it until this one ends. For migrations. */
bool db_lock_schema(struct db *db);

/*
 * Checks that no statement of the handle is left mid-way (stepped but not run to the end or
 * reset): such a statement holds a read snapshot open, and a later write on the connection then
 * fails. Returns the SQL of the first one found (and resets them all), or NULL when all is well.
 */
const char *db_busy_statement(struct db *db);

/* Runs a script of several statements with no parameters (migrations), inside a write
 * transaction. */
bool db_exec_script(struct db *db, const char *sql);

/* Which migrations folder this driver's schema lives in: "sqlite" or "postgres". */
const char *db_dialect(const struct db *db);

#endif
