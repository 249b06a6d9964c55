/*
 * The SQLite driver.
 *
 * One writer connection per database, taken in turn by the handles that write, and one read
 * connection per handle. WAL journal, so readers never wait for the writer; synchronous = FULL,
 * so a commit is on the disk before it returns; foreign keys on; a busy timeout, so other
 * processes (command-line imports, a second server) share the file.
 *
 * Group commit: a handle that has finished its transaction (a SAVEPOINT released inside the group
 * transaction) hands the writer to the next handle waiting for it and sleeps; the handle that
 * finds nobody waiting commits the group, once, and wakes every member with the outcome. While a
 * COMMIT is on its way to the disk, the next group gathers behind it, so under load one fsync
 * covers many requests, and an idle server commits each transaction at once.
 *
 * The writer is passed like a baton: handles wait for it in a queue, first come first served, each
 * on a semaphore of its own, and the handle giving it up wakes exactly the next one, which owns it
 * when it wakes. A group's members are woken the same way, one post each, after the engine's lock
 * is released. So a write costs one wake-up to get the writer and one to hear its outcome, and no
 * woken thread has to fight the others for a lock (a broadcast to a group of 30 woke 30 threads
 * to take the same mutex in turn).
 */
#include "store/db_driver.h"

#include "lib/die.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum {
    STATEMENT_SLOTS = 2048, /* per connection; a power of two, well above the number of queries */
    GROUP_MAX = 128,        /* transactions one COMMIT may hold, so a busy writer still commits often */
    BUSY_TIMEOUT_MS = 5000, /* how long a connection waits for another process's lock */
};

struct sqlite_stmt {
    struct db_stmt base;
    sqlite3_stmt *stmt;
    struct sqlite_db *db; /* the handle using it now, for errors */
};

/* A connection with its prepared statements, found by the address of their SQL. */
struct connection {
    sqlite3 *handle;
    struct {
        const char *sql;
        struct sqlite_stmt stmt;
    } slots[STATEMENT_SLOTS];
    size_t used;
    int64_t busy_since_ms; /* when the present wait for another process's lock began */
};

/* A handle waiting for the writer; it owns the writer when its turn is posted. */
struct writer_waiter {
    struct writer_waiter *next;
    sem_t turn;
};

/* A transaction released into the open group, waiting for its COMMIT. */
struct group_member {
    struct group_member *next;
    sem_t done;     /* posted when the group has ended */
    bool committed; /* and its COMMIT returned success; written before the post */
};

/* The statements that run transactions on the writer, prepared once rather than parsed for each
 * transaction (two of them run for every write, two more for every group). */
enum control {
    CONTROL_BEGIN,
    CONTROL_SAVEPOINT,
    CONTROL_RELEASE,
    CONTROL_ROLLBACK_TO,
    CONTROL_COMMIT,
    CONTROL_ROLLBACK,
    CONTROL_COUNT
};
static const char *const control_sql[CONTROL_COUNT] = {
    /* IMMEDIATE takes SQLite's write lock at once: waiting for another process happens here, on
     * the thread that begins the group, and no statement of the group can fail for want of it. */
    [CONTROL_BEGIN] = "BEGIN IMMEDIATE",      [CONTROL_SAVEPOINT] = "SAVEPOINT tx", [CONTROL_RELEASE] = "RELEASE tx",
    [CONTROL_ROLLBACK_TO] = "ROLLBACK TO tx", [CONTROL_COMMIT] = "COMMIT",          [CONTROL_ROLLBACK] = "ROLLBACK",
};

struct sqlite_engine {
    struct db_engine base;
    struct connection writer;
    sqlite3_stmt *control[CONTROL_COUNT];
    char *location;
    db_commit_hook hook;
    void *hook_arg;

    /* Owned by the handle holding the writer (handed on with it, so read without the lock). */
    bool group_open; /* BEGIN issued on the writer, COMMIT not yet */
    struct group_member *members;
    unsigned member_count;

    pthread_mutex_t lock; /* guards what follows */
    bool writer_busy;     /* a handle holds the writer connection */
    struct writer_waiter *queue_head, *queue_tail;
};

struct sqlite_db {
    struct db base;
    struct sqlite_engine *engine;
    struct connection reader;
    bool writing; /* holds the writer, inside a write transaction */
    bool reading; /* inside a read transaction on the reader */
    bool used;    /* a statement was prepared since the last db_busy_statement: only then look */
    char error[256];
};

static void record_error(struct sqlite_db *db, sqlite3 *handle, const char *what)
{
    snprintf(db->error, sizeof(db->error), "%s: %s", what, sqlite3_errmsg(handle));
}

static void sq_rollback(struct sqlite_db *db);

static struct connection *current(struct sqlite_db *db)
{
    return db->writing ? &db->engine->writer : &db->reader;
}

static bool exec_on(struct sqlite_db *db, sqlite3 *handle, const char *sql)
{
    if (sqlite3_exec(handle, sql, NULL, NULL, NULL) != SQLITE_OK) {
        record_error(db, handle, "exec");
        return false;
    }
    return true;
}

static int64_t monotonic_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now); /* not the settable clock: a test setting it must not end a wait */
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/*
 * Waits for another process's lock by trying again every millisecond, for BUSY_TIMEOUT_MS in all.
 * SQLite's own timeout sleeps up to 100 ms between tries once a wait has gone on a while, so a
 * write queued behind a command-line import was answered on average 50 ms after the lock was
 * free (and every write queued behind it later still). A thousand tries a second of waiting
 * cost nothing next to that.
 */
static int busy_wait(void *arg, int tries)
{
    struct connection *c = arg;
    if (tries == 0)
        c->busy_since_ms = monotonic_ms();
    else if (monotonic_ms() - c->busy_since_ms >= BUSY_TIMEOUT_MS)
        return 0;
    nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
    return 1;
}

/* Opens a connection with the settings every connection has; the writer also sets the journal. */
static bool connection_open(struct connection *c, const char *location, bool writer, char *err, size_t err_size)
{
    memset(c, 0, sizeof(*c));
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(location, &c->handle, flags, NULL) != SQLITE_OK) {
        snprintf(err, err_size, "cannot open %s: %s", location, sqlite3_errmsg(c->handle));
        sqlite3_close(c->handle);
        c->handle = NULL;
        return false;
    }
    sqlite3_busy_handler(c->handle, busy_wait, c);
    sqlite3_extended_result_codes(c->handle, 1);
    /* synchronous = FULL: a commit reaches the disk before it returns, so what a 2xx (a
     * submission's receipt) promised survives power loss too, not only a killed process.
     * Readers are query_only: a write that strays onto one fails instead of taking a lock. */
    const char *setup = writer ? "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
                               : "PRAGMA foreign_keys = ON; PRAGMA query_only = ON;";
    if (sqlite3_exec(c->handle, setup, NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, err_size, "cannot set up %s: %s", location, sqlite3_errmsg(c->handle));
        sqlite3_close(c->handle);
        c->handle = NULL;
        return false;
    }
    return true;
}

static void connection_close(struct connection *c)
{
    for (size_t i = 0; i < STATEMENT_SLOTS; i++)
        if (c->slots[i].sql != NULL)
            sqlite3_finalize(c->slots[i].stmt.stmt);
    sqlite3_close(c->handle);
}

/* Resets statements left mid-way; returns the SQL of the first, or NULL. */
static const char *reset_busy(sqlite3 *handle)
{
    const char *found = NULL;
    for (sqlite3_stmt *s = sqlite3_next_stmt(handle, NULL); s != NULL; s = sqlite3_next_stmt(handle, s))
        if (sqlite3_stmt_busy(s)) {
            if (found == NULL)
                found = sqlite3_sql(s);
            sqlite3_reset(s);
        }
    return found;
}

static void control_finalize(struct sqlite_engine *e)
{
    for (int i = 0; i < CONTROL_COUNT; i++) {
        sqlite3_finalize(e->control[i]);
        e->control[i] = NULL;
    }
}

static struct sqlite_engine *sq_engine_open(const char *location, char *err, size_t err_size)
{
    struct sqlite_engine *e = calloc(1, sizeof(*e));
    if (e == NULL)
        die("out of memory");
    e->base.driver = &db_sqlite_driver;
    if (!connection_open(&e->writer, location, true, err, err_size)) {
        free(e);
        return NULL;
    }
    for (int i = 0; i < CONTROL_COUNT; i++)
        if (sqlite3_prepare_v3(e->writer.handle, control_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &e->control[i], NULL) !=
            SQLITE_OK) {
            snprintf(err, err_size, "cannot prepare %s: %s", control_sql[i], sqlite3_errmsg(e->writer.handle));
            control_finalize(e);
            connection_close(&e->writer);
            free(e);
            return NULL;
        }
    e->location = strdup(location);
    if (e->location == NULL)
        die("out of memory");
    pthread_mutex_init(&e->lock, NULL);
    return e;
}

static void sq_engine_close(struct sqlite_engine *e)
{
    control_finalize(e);
    connection_close(&e->writer);
    pthread_mutex_destroy(&e->lock);
    free(e->location);
    free(e);
}

static void sq_engine_set_commit_hook(struct sqlite_engine *e, db_commit_hook hook, void *arg)
{
    e->hook = hook;
    e->hook_arg = arg;
}

static struct sqlite_db *sq_connect(struct sqlite_engine *engine, char *err, size_t err_size)
{
    struct sqlite_db *db = calloc(1, sizeof(*db));
    if (db == NULL)
        die("out of memory");
    db->base.driver = &db_sqlite_driver;
    db->engine = engine;
    if (!connection_open(&db->reader, engine->location, false, err, err_size)) {
        free(db);
        return NULL;
    }
    return db;
}

static void sq_close(struct sqlite_db *db)
{
    if (db == NULL)
        return;
    if (db->writing || db->reading)
        sq_rollback(db);
    connection_close(&db->reader);
    free(db);
}

/* Copies the main database of source into destination with SQLite's backup API, in one step
 * (one read transaction on source, so the copy is of one moment). */
static bool copy_database(sqlite3 *destination, sqlite3 *source, const char *what, char *err, size_t err_size)
{
    sqlite3_backup *backup = sqlite3_backup_init(destination, "main", source, "main");
    if (backup == NULL) {
        snprintf(err, err_size, "%s: %s", what, sqlite3_errmsg(destination));
        return false;
    }
    int rc = sqlite3_backup_step(backup, -1);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
        snprintf(err, err_size, "%s: %s", what,
                 rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? "the database is in use" : sqlite3_errstr(rc));
        return false;
    }
    return true;
}

/* Makes a file's contents and its name durable. */
static bool sync_file_and_folder(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    bool ok = fd >= 0 && fsync(fd) == 0;
    if (fd >= 0)
        close(fd);
    char folder[4096];
    snprintf(folder, sizeof(folder), "%s", path);
    char *slash = strrchr(folder, '/');
    if (slash == NULL)
        snprintf(folder, sizeof(folder), ".");
    else if (slash == folder)
        folder[1] = '\0';
    else
        *slash = '\0';
    int dir = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ok = ok && dir >= 0 && fsync(dir) == 0;
    if (dir >= 0)
        close(dir);
    return ok;
}

static bool sq_backup(struct sqlite_db *db, const char *to, char *err, size_t err_size)
{
    if (access(to, F_OK) == 0) {
        snprintf(err, err_size, "%s exists already; choose a new file for the backup", to);
        return false;
    }
    char partial[4096];
    snprintf(partial, sizeof(partial), "%s.partial", to);
    unlink(partial);
    sqlite3 *copy = NULL;
    bool ok = sqlite3_open_v2(partial, &copy, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) == SQLITE_OK;
    if (!ok)
        snprintf(err, err_size, "cannot create %s: %s", partial, sqlite3_errmsg(copy));
    ok = ok && copy_database(copy, db->reader.handle, "cannot copy the database", err, err_size);
    /* The copy keeps WAL mode from its source; folding it into one file makes the backup a single
     * self-contained file. */
    if (ok && sqlite3_exec(copy, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, err_size, "cannot finish %s: %s", partial, sqlite3_errmsg(copy));
        ok = false;
    }
    sqlite3_close(copy);
    if (ok && !sync_file_and_folder(partial)) {
        snprintf(err, err_size, "cannot write %s to disk: %s", partial, strerror(errno));
        ok = false;
    }
    if (ok && rename(partial, to) != 0) {
        snprintf(err, err_size, "cannot rename %s to %s: %s", partial, to, strerror(errno));
        ok = false;
    }
    if (ok)
        ok = sync_file_and_folder(to);
    else
        unlink(partial);
    return ok;
}

/* Whether the file at path is a whole SQLite database with the table required_table, opened
 * read-only so it is not changed. */
static bool database_whole(const char *path, const char *required_table, char *err, size_t err_size)
{
    sqlite3 *handle = NULL;
    char uri[4200];
    snprintf(uri, sizeof(uri), "file:%s?mode=ro", path);
    if (sqlite3_open_v2(uri, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
        snprintf(err, err_size, "cannot open %s: %s", path, sqlite3_errmsg(handle));
        sqlite3_close(handle);
        return false;
    }
    sqlite3_stmt *check = NULL;
    bool whole = false;
    int rc = sqlite3_prepare_v2(handle, "PRAGMA integrity_check", -1, &check, NULL);
    if (rc == SQLITE_OK && sqlite3_step(check) == SQLITE_ROW) {
        const char *verdict = (const char *)sqlite3_column_text(check, 0);
        whole = verdict != NULL && strcmp(verdict, "ok") == 0;
        if (!whole)
            snprintf(err, err_size, "%s is damaged: %s", path, verdict ? verdict : "no verdict");
    } else {
        snprintf(err, err_size, "%s is not a database: %s", path, sqlite3_errmsg(handle));
    }
    sqlite3_finalize(check);
    if (whole && sqlite3_table_column_metadata(handle, "main", required_table, NULL, NULL, NULL, NULL, NULL, NULL) !=
                     SQLITE_OK) {
        snprintf(err, err_size, "%s is a database, but not one of npq's (it has no %s table)", path, required_table);
        whole = false;
    }
    sqlite3_close(handle);
    return whole;
}

static bool sq_restore(const char *location, const char *from, const char *required_table, char *err, size_t err_size)
{
    if (!database_whole(from, required_table, err, err_size))
        return false;
    sqlite3 *source = NULL, *destination = NULL;
    char uri[4200];
    snprintf(uri, sizeof(uri), "file:%s?mode=ro", from);
    bool ok = sqlite3_open_v2(uri, &source, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) == SQLITE_OK &&
              sqlite3_open_v2(location, &destination, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) == SQLITE_OK;
    if (!ok)
        snprintf(err, err_size, "cannot open %s or %s", from, location);
    /* The copy goes through the destination's own journal, so it is one transaction there. */
    ok = ok && copy_database(destination, source, "cannot restore", err, err_size);
    if (ok && sqlite3_exec(destination, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, err_size, "cannot set up %s: %s", location, sqlite3_errmsg(destination));
        ok = false;
    }
    sqlite3_close(source);
    sqlite3_close(destination);
    return ok;
}

static void sq_never_wait(struct sqlite_db *db)
{
    sqlite3_busy_timeout(db->reader.handle, 0);
}

static const char *sq_error(const struct sqlite_db *db)
{
    return db->error;
}

static size_t slot_of(const char *sql)
{
    uintptr_t p = (uintptr_t)sql;
    return (size_t)((p >> 3) * UINT64_C(0x9E3779B97F4A7C15) >> 40) & (STATEMENT_SLOTS - 1);
}

static struct sqlite_stmt *sq_prepare(struct sqlite_db *db, const char *sql)
{
    db->used = true;
    struct connection *c = current(db);
    size_t i = slot_of(sql);
    while (c->slots[i].sql != NULL && c->slots[i].sql != sql)
        i = (i + 1) & (STATEMENT_SLOTS - 1);
    if (c->slots[i].sql == sql) {
        struct sqlite_stmt *s = &c->slots[i].stmt;
        sqlite3_reset(s->stmt);
        sqlite3_clear_bindings(s->stmt);
        s->db = db;
        return s;
    }
    if (c->used >= STATEMENT_SLOTS / 2)
        die("statement cache full: raise STATEMENT_SLOTS");
    sqlite3_stmt *stmt;
    /* "?1" is SQLite's own numbered-parameter syntax, so the text needs no rewriting. */
    if (sqlite3_prepare_v3(c->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK) {
        record_error(db, c->handle, "prepare");
        fprintf(stderr, "npq: %s\n  in: %s\n", db->error, sql);
        return NULL;
    }
    if (c == &db->reader && !sqlite3_stmt_readonly(stmt)) {
        sqlite3_finalize(stmt);
        snprintf(db->error, sizeof(db->error), "a write outside a write transaction");
        fprintf(stderr, "npq: BUG: %s\n  in: %s\n", db->error, sql);
        return NULL;
    }
    c->slots[i].sql = sql;
    c->slots[i].stmt = (struct sqlite_stmt){{&db_sqlite_driver}, stmt, db};
    c->used++;
    return &c->slots[i].stmt;
}

static void sq_bind_int64(struct sqlite_stmt *s, int index, int64_t value)
{
    sqlite3_bind_int64(s->stmt, index, value);
}

static void sq_bind_text(struct sqlite_stmt *s, int index, const char *text)
{
    if (text == NULL)
        sqlite3_bind_null(s->stmt, index);
    else
        sqlite3_bind_text(s->stmt, index, text, -1, SQLITE_TRANSIENT);
}

static void sq_bind_blob(struct sqlite_stmt *s, int index, const void *data, size_t len)
{
    sqlite3_bind_blob(s->stmt, index, data, (int)len, SQLITE_TRANSIENT);
}

static void sq_bind_null(struct sqlite_stmt *s, int index)
{
    sqlite3_bind_null(s->stmt, index);
}

static enum db_result sq_step(struct sqlite_stmt *s)
{
    int rc = sqlite3_step(s->stmt);
    if (rc == SQLITE_ROW)
        return DB_ROW;
    if (rc == SQLITE_DONE) {
        sqlite3_reset(s->stmt);
        return DB_DONE;
    }
    record_error(s->db, sqlite3_db_handle(s->stmt), "step");
    sqlite3_reset(s->stmt);
    return (rc & 0xff) == SQLITE_CONSTRAINT ? DB_CONSTRAINT : DB_ERROR;
}

static void sq_reset(struct sqlite_stmt *s)
{
    sqlite3_reset(s->stmt);
}

static int64_t sq_column_int64(struct sqlite_stmt *s, int column)
{
    return sqlite3_column_int64(s->stmt, column);
}

static const char *sq_column_text(struct sqlite_stmt *s, int column)
{
    return (const char *)sqlite3_column_text(s->stmt, column);
}

static size_t sq_column_bytes(struct sqlite_stmt *s, int column)
{
    return (size_t)sqlite3_column_bytes(s->stmt, column);
}

static const void *sq_column_blob(struct sqlite_stmt *s, int column)
{
    return sqlite3_column_blob(s->stmt, column);
}

static bool sq_column_is_null(struct sqlite_stmt *s, int column)
{
    return sqlite3_column_type(s->stmt, column) == SQLITE_NULL;
}

static int64_t sq_last_insert_id(struct sqlite_db *db)
{
    return sqlite3_last_insert_rowid(current(db)->handle);
}

static int64_t sq_changes(struct sqlite_db *db)
{
    return sqlite3_changes64(current(db)->handle);
}

static const char *sq_busy_statement(struct sqlite_db *db)
{
    /* Cached catalogue reads touch no statement; they should not pay for a scan of them all. */
    if (!db->used)
        return NULL;
    db->used = false;
    return reset_busy(db->reader.handle);
}

static bool sq_exec_script(struct sqlite_db *db, const char *sql)
{
    return exec_on(db, current(db)->handle, sql);
}

/* Runs one of the writer's transaction statements; on failure db_error says why. */
static bool control_run(struct sqlite_db *db, enum control which)
{
    struct sqlite_engine *e = db->engine;
    int rc = sqlite3_step(e->control[which]);
    if (rc != SQLITE_DONE)
        record_error(db, e->writer.handle, control_sql[which]);
    sqlite3_reset(e->control[which]);
    return rc == SQLITE_DONE;
}

/* The same for a clean-up after a failure, whose own failure changes nothing and must not hide
 * the first error. */
static void control_try(struct sqlite_engine *e, enum control which)
{
    sqlite3_step(e->control[which]);
    sqlite3_reset(e->control[which]);
}

static void wait_posted(sem_t *sem)
{
    while (sem_wait(sem) != 0)
        if (errno != EINTR)
            die("sem_wait: %s", strerror(errno));
}

/* The first handle waiting for the writer, taken off the queue; NULL when none. Lock held. */
static struct writer_waiter *queue_take(struct sqlite_engine *e)
{
    struct writer_waiter *next = e->queue_head;
    if (next != NULL) {
        e->queue_head = next->next;
        if (e->queue_head == NULL)
            e->queue_tail = NULL;
    }
    return next;
}

/*
 * Gives up the writer after a transaction, released into the group (member) or rolled back
 * (NULL). Hands the writer on while others wait and the group has room; otherwise ends the group:
 * COMMIT when it holds anything, ROLLBACK when it is empty (so other processes may write). Returns
 * whether member's work was committed.
 */
static bool writer_finish(struct sqlite_db *db, struct group_member *member)
{
    struct sqlite_engine *e = db->engine;
    sqlite3 *w = e->writer.handle;
    const char *left = reset_busy(w);
    if (left != NULL)
        fprintf(stderr, "npq: BUG: a transaction left a query unfinished: %s\n", left);

    /* Some errors (a full disk, an I/O error) make SQLite roll back the whole transaction:
     * the group's earlier members are lost with it and must hear so. */
    bool lost = e->group_open && sqlite3_get_autocommit(w);
    if (lost)
        fprintf(stderr, "npq: the database rolled back a group of %u transactions: %s\n", e->member_count,
                sqlite3_errmsg(w));
    bool open = e->group_open && !lost;
    if (member != NULL && open) {
        member->next = e->members;
        e->members = member;
        e->member_count++;
    }
    if (open && e->member_count < GROUP_MAX) {
        pthread_mutex_lock(&e->lock);
        struct writer_waiter *next = queue_take(e);
        pthread_mutex_unlock(&e->lock);
        if (next != NULL) {
            /* The next handle owns the writer, and the open group with it, from this post on. */
            db->writing = false;
            sem_post(&next->turn);
            if (member == NULL)
                return false;
            wait_posted(&member->done);
            return member->committed;
        }
    }

    /* This handle ends the group; it still holds the writer, so nobody else touches it. */
    bool committed = false;
    if (open && e->member_count > 0) {
        committed = control_run(db, CONTROL_COMMIT);
        if (!committed) {
            fprintf(stderr, "npq: a group commit failed: %s\n", db->error);
            control_try(e, CONTROL_ROLLBACK);
        } else if (e->hook != NULL) {
            e->hook(&db->base, e->hook_arg);
        }
    } else if (!sqlite3_get_autocommit(w)) {
        control_try(e, CONTROL_ROLLBACK);
    }
    struct group_member *members = e->members;
    e->members = NULL;
    e->member_count = 0;
    e->group_open = false;
    db->writing = false;

    /* The writer goes on first, so the next group's work starts while this one's members wake. */
    pthread_mutex_lock(&e->lock);
    struct writer_waiter *next = queue_take(e);
    if (next == NULL)
        e->writer_busy = false;
    pthread_mutex_unlock(&e->lock);
    if (next != NULL)
        sem_post(&next->turn);

    bool mine = false;
    for (struct group_member *m = members, *after; m != NULL; m = after) {
        after = m->next; /* m belongs to its thread again once posted */
        if (m == member) {
            mine = committed;
            continue;
        }
        m->committed = committed;
        sem_post(&m->done);
    }
    return mine;
}

static bool sq_begin_read(struct sqlite_db *db)
{
    if (db->writing || db->reading) {
        snprintf(db->error, sizeof(db->error), "a transaction is already open on this handle");
        return false;
    }
    if (!exec_on(db, db->reader.handle, "BEGIN DEFERRED"))
        return false;
    db->reading = true;
    return true;
}

static bool sq_begin_write(struct sqlite_db *db)
{
    if (db->writing || db->reading) {
        snprintf(db->error, sizeof(db->error), "a transaction is already open on this handle");
        return false;
    }
    struct sqlite_engine *e = db->engine;
    pthread_mutex_lock(&e->lock);
    if (!e->writer_busy) {
        e->writer_busy = true;
        pthread_mutex_unlock(&e->lock);
    } else {
        struct writer_waiter me = {0};
        sem_init(&me.turn, 0, 0);
        if (e->queue_tail != NULL)
            e->queue_tail->next = &me;
        else
            e->queue_head = &me;
        e->queue_tail = &me;
        pthread_mutex_unlock(&e->lock);
        wait_posted(&me.turn);
        sem_destroy(&me.turn);
    }
    db->writing = true;

    if (!e->group_open) {
        if (!control_run(db, CONTROL_BEGIN)) {
            writer_finish(db, NULL);
            return false;
        }
        e->group_open = true;
    }
    if (!control_run(db, CONTROL_SAVEPOINT)) {
        writer_finish(db, NULL);
        return false;
    }
    return true;
}

static bool sq_commit(struct sqlite_db *db)
{
    if (db->reading) {
        db->reading = false;
        if (exec_on(db, db->reader.handle, "COMMIT"))
            return true;
        sqlite3_exec(db->reader.handle, "ROLLBACK", NULL, NULL, NULL);
        return false;
    }
    if (!db->writing) {
        snprintf(db->error, sizeof(db->error), "commit without a transaction");
        return false;
    }
    struct sqlite_engine *e = db->engine;
    if (!control_run(db, CONTROL_RELEASE)) {
        control_try(e, CONTROL_ROLLBACK_TO);
        control_try(e, CONTROL_RELEASE);
        writer_finish(db, NULL);
        return false;
    }
    struct group_member member = {0};
    sem_init(&member.done, 0, 0);
    bool committed = writer_finish(db, &member);
    sem_destroy(&member.done);
    if (committed)
        return true;
    snprintf(db->error, sizeof(db->error), "the transaction could not be committed");
    return false;
}

static void sq_rollback(struct sqlite_db *db)
{
    if (db->reading) {
        db->reading = false;
        sqlite3_exec(db->reader.handle, "ROLLBACK", NULL, NULL, NULL);
        return;
    }
    if (!db->writing)
        return;
    control_try(db->engine, CONTROL_ROLLBACK_TO);
    control_try(db->engine, CONTROL_RELEASE);
    writer_finish(db, NULL);
}

/* Locking the schema needs nothing more: a migration's write transaction holds the database's one
 * writer, which no other connection, in this process or another, can have at the same time. */
static bool sq_lock_schema(struct sqlite_db *db)
{
    (void)db;
    return true;
}

/* db.h's operations on this driver's objects, for db.c. */
#define ENGINE(x) ((struct sqlite_engine *)(x))
#define HANDLE(x) ((struct sqlite_db *)(x))
#define STMT(x) ((struct sqlite_stmt *)(x))

static struct db_engine *op_engine_open(const char *location, char *err, size_t err_size)
{
    struct sqlite_engine *e = sq_engine_open(location, err, err_size);
    return e ? &e->base : NULL;
}
static void op_engine_close(struct db_engine *e)
{
    sq_engine_close(ENGINE(e));
}
static void op_engine_set_commit_hook(struct db_engine *e, db_commit_hook hook, void *arg)
{
    sq_engine_set_commit_hook(ENGINE(e), hook, arg);
}
static struct db *op_connect(struct db_engine *e, char *err, size_t err_size)
{
    struct sqlite_db *db = sq_connect(ENGINE(e), err, err_size);
    return db ? &db->base : NULL;
}
static void op_close(struct db *db)
{
    sq_close(HANDLE(db));
}
static bool op_never_wait(struct db *db)
{
    sq_never_wait(HANDLE(db));
    return true; /* a read of the file that needs no lock never waits */
}
static const char *op_error(const struct db *db)
{
    return sq_error((const struct sqlite_db *)db);
}
static struct db_stmt *op_prepare(struct db *db, const char *sql)
{
    struct sqlite_stmt *s = sq_prepare(HANDLE(db), sql);
    return s ? &s->base : NULL;
}
static void op_bind_int64(struct db_stmt *s, int index, int64_t value)
{
    sq_bind_int64(STMT(s), index, value);
}
static void op_bind_text(struct db_stmt *s, int index, const char *text)
{
    sq_bind_text(STMT(s), index, text);
}
static void op_bind_blob(struct db_stmt *s, int index, const void *data, size_t len)
{
    sq_bind_blob(STMT(s), index, data, len);
}
static void op_bind_null(struct db_stmt *s, int index)
{
    sq_bind_null(STMT(s), index);
}
static enum db_result op_step(struct db_stmt *s)
{
    return sq_step(STMT(s));
}
static void op_reset(struct db_stmt *s)
{
    sq_reset(STMT(s));
}
static int64_t op_column_int64(struct db_stmt *s, int column)
{
    return sq_column_int64(STMT(s), column);
}
static const char *op_column_text(struct db_stmt *s, int column)
{
    return sq_column_text(STMT(s), column);
}
static size_t op_column_bytes(struct db_stmt *s, int column)
{
    return sq_column_bytes(STMT(s), column);
}
static const void *op_column_blob(struct db_stmt *s, int column)
{
    return sq_column_blob(STMT(s), column);
}
static bool op_column_is_null(struct db_stmt *s, int column)
{
    return sq_column_is_null(STMT(s), column);
}
static int64_t op_last_insert_id(struct db *db)
{
    return sq_last_insert_id(HANDLE(db));
}
static int64_t op_changes(struct db *db)
{
    return sq_changes(HANDLE(db));
}
static bool op_begin_read(struct db *db)
{
    return sq_begin_read(HANDLE(db));
}
static bool op_begin_write(struct db *db)
{
    return sq_begin_write(HANDLE(db));
}
static bool op_commit(struct db *db)
{
    return sq_commit(HANDLE(db));
}
static void op_rollback(struct db *db)
{
    sq_rollback(HANDLE(db));
}
static bool op_lock_schema(struct db *db)
{
    return sq_lock_schema(HANDLE(db));
}
static const char *op_busy_statement(struct db *db)
{
    return sq_busy_statement(HANDLE(db));
}
static bool op_backup(struct db *db, const char *to, char *err, size_t err_size)
{
    return sq_backup(HANDLE(db), to, err, err_size);
}
static bool op_exec_script(struct db *db, const char *sql)
{
    return sq_exec_script(HANDLE(db), sql);
}

const struct db_driver db_sqlite_driver = {
    .engine_open = op_engine_open,
    .engine_close = op_engine_close,
    .engine_set_commit_hook = op_engine_set_commit_hook,
    .connect = op_connect,
    .close = op_close,
    .never_wait = op_never_wait,
    .error = op_error,
    .prepare = op_prepare,
    .bind_int64 = op_bind_int64,
    .bind_text = op_bind_text,
    .bind_blob = op_bind_blob,
    .bind_null = op_bind_null,
    .step = op_step,
    .reset = op_reset,
    .column_int64 = op_column_int64,
    .column_text = op_column_text,
    .column_bytes = op_column_bytes,
    .column_blob = op_column_blob,
    .column_is_null = op_column_is_null,
    .last_insert_id = op_last_insert_id,
    .changes = op_changes,
    .begin_read = op_begin_read,
    .begin_write = op_begin_write,
    .commit = op_commit,
    .rollback = op_rollback,
    .lock_schema = op_lock_schema,
    .busy_statement = op_busy_statement,
    .exec_script = op_exec_script,
    .backup = op_backup,
    .restore = sq_restore,
    .dialect = "sqlite",
};
