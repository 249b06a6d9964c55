/*
 * Opening a store and bringing its schema up to date.
 */
#include "store/store_internal.h"

#include "lib/die.h"

#include <jansson.h>
#include "lib/embedded.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void after_commit(struct db *writer, void *arg);

struct store_engine *store_engine_open(const char *location, char *err, size_t err_size)
{
    struct db_engine *db = db_engine_open(location, err, err_size);
    if (db == NULL)
        return NULL;
    struct store_engine *engine = calloc(1, sizeof(*engine));
    if (engine == NULL)
        die("out of memory");
    engine->db = db;
    pthread_mutex_init(&engine->follow_lock, NULL);
    pthread_mutex_init(&engine->listener_lock, NULL);
    atomic_init(&engine->known_catalogue, -1);
    atomic_init(&engine->known_access, -1);
    db_engine_set_commit_hook(db, after_commit, engine);
    return engine;
}

void store_engine_close(struct store_engine *engine)
{
    if (engine == NULL)
        return;
    db_engine_close(engine->db); /* stops the following thread first */
    pthread_mutex_destroy(&engine->follow_lock);
    pthread_mutex_destroy(&engine->listener_lock);
    free(engine);
}

/* Revisions only grow; a late report of an older one must not move the number back. */
static void raise_to(_Atomic int64_t *value, int64_t to)
{
    int64_t seen = atomic_load(value);
    while (seen < to && !atomic_compare_exchange_weak(value, &seen, to))
        ;
}

/* The same, but leaves an unknown (-1) number unknown: only the follower, which hears of every
 * change from then on, may make it known again. */
static void raise_known(_Atomic int64_t *value, int64_t to)
{
    int64_t seen = atomic_load(value);
    while (seen >= 0 && seen < to && !atomic_compare_exchange_weak(value, &seen, to))
        ;
}

static const char SQL_REVISIONS[] = "SELECT (SELECT revision FROM catalogue_meta WHERE id = 1),"
                                    " (SELECT revision FROM access_meta WHERE id = 1)";

/* What a handle that cannot read answers: the engine's revisions, unless it has lost track. */
static enum store_status known_revisions(struct store *store, struct store_revisions *out)
{
    out->catalogue = atomic_load(&store->engine->known_catalogue);
    out->access = atomic_load(&store->engine->known_access);
    return out->catalogue >= 0 && out->access >= 0 ? STORE_OK : STORE_ERROR;
}

enum store_status store_revisions(struct store *store, struct store_revisions *out)
{
    if (store->revisions_known)
        return known_revisions(store, out);
    struct db_stmt *stmt = db_prepare(store->db, SQL_REVISIONS);
    if (stmt == NULL)
        return STORE_ERROR;
    if (db_step(stmt) != DB_ROW)
        return STORE_ERROR;
    out->catalogue = db_column_int64(stmt, 0);
    out->access = db_column_int64(stmt, 1);
    db_reset(stmt);
    return STORE_OK;
}

static const char SQL_ACCESS_REVISION[] = "SELECT revision FROM access_meta WHERE id = 1";

enum store_status store_access_revision(struct store *store, int64_t *revision)
{
    /* Trusting a cached caller needs the revision as it is now, which memory cannot promise: what
     * another server committed a moment ago may not have been heard of yet. The caller is then
     * looked up on a pool thread. */
    if (store->revisions_known)
        return STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_ACCESS_REVISION);
    if (stmt == NULL || db_step(stmt) != DB_ROW)
        return STORE_ERROR;
    *revision = db_column_int64(stmt, 0);
    db_reset(stmt);
    return STORE_OK;
}

/* On the following thread: another process (or this one) moved a revision, or the connection
 * that hears of it was lost (follower NULL), when nothing known can be trusted until it is back. */
static void on_change(struct db *follower, void *arg)
{
    struct store_engine *engine = arg;
    struct store on_follower = {.db = follower};
    struct store_revisions revisions;
    if (follower == NULL || store_revisions(&on_follower, &revisions) != STORE_OK) {
        atomic_store(&engine->known_catalogue, -1);
        atomic_store(&engine->known_access, -1);
        return;
    }
    raise_to(&engine->known_catalogue, revisions.catalogue);
    raise_to(&engine->known_access, revisions.access);
    pthread_mutex_lock(&engine->listener_lock); /* the listener may be leaving (store_engine_watch) */
    if (engine->listener != NULL)
        engine->listener(&revisions, engine->listener_arg);
    pthread_mutex_unlock(&engine->listener_lock);
}

void store_never_wait(struct store *store)
{
    if (db_never_wait(store->db))
        return;
    struct store_engine *engine = store->engine;
    store->revisions_known = true;
    pthread_mutex_lock(&engine->follow_lock);
    if (!engine->following) {
        char err[256];
        engine->following = db_engine_follow(engine->db, "npq_revisions", on_change, engine, err, sizeof(err));
        if (!engine->following) /* its revisions stay unknown: every request is checked on a pool thread */
            fprintf(stderr, "npq: %s\n", err);
    }
    pthread_mutex_unlock(&engine->follow_lock);
}

/* After every commit of this process: what it changed is known at once, before it is answered,
 * so this process never trusts a copy its own commit made stale. */
static void after_commit(struct db *writer, void *arg)
{
    struct store_engine *engine = arg;
    bool following = atomic_load(&engine->known_access) >= 0;
    if (engine->listener == NULL && !following)
        return;
    struct store on_writer = {.db = writer};
    struct store_revisions revisions;
    if (store_revisions(&on_writer, &revisions) != STORE_OK)
        return;
    if (following) {
        raise_known(&engine->known_catalogue, revisions.catalogue);
        raise_known(&engine->known_access, revisions.access);
    }
    if (engine->listener != NULL)
        engine->listener(&revisions, engine->listener_arg);
}

void store_engine_watch(struct store_engine *engine, store_revisions_listener listener, void *arg)
{
    pthread_mutex_lock(&engine->listener_lock);
    engine->listener_arg = arg;
    engine->listener = listener;
    pthread_mutex_unlock(&engine->listener_lock);
}

struct store *store_connect(struct store_engine *engine, char *err, size_t err_size)
{
    struct db *db = db_connect(engine->db, err, err_size);
    if (db == NULL)
        return NULL;
    struct store *store = calloc(1, sizeof(*store));
    if (store == NULL)
        die("out of memory");
    store->db = db;
    store->engine = engine;
    return store;
}

struct store *store_open(const char *location, char *err, size_t err_size)
{
    struct store_engine *engine = store_engine_open(location, err, err_size);
    if (engine == NULL)
        return NULL;
    struct store *store = store_connect(engine, err, err_size);
    if (store == NULL) {
        store_engine_close(engine);
        return NULL;
    }
    store->owned = engine;
    return store;
}

bool store_backup(struct store *store, const char *to, char *err, size_t err_size)
{
    return db_backup(store->db, to, err, err_size);
}

bool store_restore(const char *location, const char *from, char *err, size_t err_size)
{
    /* every database npq made records its migrations */
    return db_restore(location, from, "schema_migrations", err, err_size);
}

void store_close(struct store *store)
{
    if (store == NULL)
        return;
    db_close(store->db);
    store_engine_close(store->owned);
    free(store);
}

const char *store_unfinished_query(struct store *store)
{
    return db_busy_statement(store->db);
}

const char *store_last_error(const struct store *store)
{
    return db_error(store->db);
}

static const char SQL_MIGRATIONS_TABLE[] = "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                           " version INTEGER PRIMARY KEY,"
                                           " name TEXT NOT NULL,"
                                           " applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)";
static const char SQL_MIGRATION_APPLIED[] = "SELECT count(*) FROM schema_migrations WHERE version = ?1";
static const char SQL_MIGRATION_RECORD[] = "INSERT INTO schema_migrations (version, name) VALUES (?1, ?2)";

enum store_status store_migrate(struct store *store, int *version)
{
    struct db *db = store->db;
    if (!db_begin_write(db))
        return STORE_ERROR;
    if (!db_lock_schema(db) || !db_exec_script(db, SQL_MIGRATIONS_TABLE)) {
        db_rollback(db);
        return STORE_ERROR;
    }
    if (!db_commit(db))
        return STORE_ERROR;
    *version = 0;
    bool postgres = strcmp(db_dialect(db), "postgres") == 0;
    const struct embedded_file *migrations = postgres ? embedded_migrations_postgres : embedded_migrations_sqlite;
    size_t count = postgres ? embedded_migrations_postgres_count : embedded_migrations_sqlite_count;
    for (size_t i = 0; i < count; i++) {
        const struct embedded_file *m = &migrations[i];
        int number = (int)strtol(m->name, NULL, 10); /* names start with their number: "001_catalogue.sql" */
        /* The schema lock first, so two processes starting together do not both apply it: the
         * version is read inside the transaction that applies the migration. */
        if (!db_begin_write(db))
            return STORE_ERROR;
        if (!db_lock_schema(db))
            goto fail;
        /* Each migration is applied unless recorded, not only those above the highest: work
         * merged in another order than its numbers still applies every one. */
        struct db_stmt *stmt = db_prepare(db, SQL_MIGRATION_APPLIED);
        if (stmt == NULL)
            goto fail;
        db_bind_int64(stmt, 1, number);
        if (db_step(stmt) != DB_ROW)
            goto fail;
        bool applied = db_column_int64(stmt, 0) > 0;
        db_reset(stmt);
        if (!applied) {
            if (!db_exec_script(db, (const char *)m->data))
                goto fail;
            stmt = db_prepare(db, SQL_MIGRATION_RECORD);
            if (stmt == NULL)
                goto fail;
            db_bind_int64(stmt, 1, number);
            db_bind_text(stmt, 2, m->name);
            if (db_exec_stmt(stmt) != DB_DONE)
                goto fail;
        }
        if (!db_commit(db))
            goto fail;
        if (number > *version)
            *version = number;
    }
    return STORE_OK;
fail:
    db_rollback(db);
    return STORE_ERROR;
}

bool store_tx_begin(struct store *store)
{
    if (store->depth == 0 && !db_begin_write(store->db))
        return false;
    store->depth++;
    return true;
}

bool store_tx_commit(struct store *store)
{
    if (store->depth == 0)
        return false; /* rolled back by an inner failure */
    if (--store->depth > 0)
        return true;
    if (db_commit(store->db))
        return true;
    db_rollback(store->db);
    return false;
}

void store_tx_rollback(struct store *store)
{
    /* An inner failure dooms the whole transaction: roll back now and let the outer levels
     * find nothing left to commit. */
    if (store->depth > 0) {
        db_rollback(store->db);
        store->depth = 0;
    }
}

enum store_status store_begin(struct store *store)
{
    return store_tx_begin(store) ? STORE_OK : STORE_ERROR;
}

enum store_status store_commit(struct store *store)
{
    if (store->depth == 0)
        return STORE_ERROR; /* an inner operation already rolled the transaction back */
    return store_tx_commit(store) ? STORE_OK : STORE_ERROR;
}

void store_rollback(struct store *store)
{
    store_tx_rollback(store);
}

const char *store_text(struct arena *arena, struct db_stmt *stmt, int column)
{
    if (db_column_is_null(stmt, column))
        return NULL;
    return arena_strndup(arena, db_column_text(stmt, column), db_column_bytes(stmt, column));
}

const char *store_text_or_empty(struct arena *arena, struct db_stmt *stmt, int column)
{
    const char *s = store_text(arena, stmt, column);
    return s ? s : "";
}

void store_bind_id(struct db_stmt *stmt, int index, int64_t id)
{
    if (id > 0)
        db_bind_int64(stmt, index, id);
    else
        db_bind_null(stmt, index);
}

bool store_page_advance(struct store_page *page, struct arena *arena)
{
    if (page->next == NULL)
        return false;
    /* A cursor this process made decodes; one that did not would be a bug, and ends the walk. */
    bool ok = cursor_decode(page->next, arena, &page->after);
    page->next = NULL;
    return ok;
}

size_t store_page_limit(const struct store_page *page)
{
    return page->limit == 0 ? STORE_PAGE_DEFAULT : page->limit;
}

int store_page_bind(struct db_stmt *stmt, int index, enum cursor_key kind, enum store_order order,
                    const struct store_page *page)
{
    bool from_start = page->after.key != kind, newest_first = order == STORE_DESCENDING;
    if (kind != CURSOR_ID) {
        if (kind == CURSOR_TEXT)
            db_bind_text(stmt, index, from_start ? "" : page->after.text);
        else
            db_bind_int64(stmt, index, !from_start ? page->after.number : newest_first ? INT64_MAX : INT64_MIN);
        index++;
    }
    db_bind_int64(stmt, index, !from_start ? page->after.id : newest_first ? INT64_MAX : 0);
    db_bind_int64(stmt, index + 1, (int64_t)store_page_limit(page) + 1);
    return index + 2;
}

bool store_page_row(struct store_page *page, struct db_stmt *stmt, size_t kept, enum cursor_key kind, int key_column,
                    int id_column, struct arena *arena)
{
    if (kept == 0)
        page->next = NULL;
    if (kept >= store_page_limit(page)) {
        page->next = cursor_encode(&page->last, arena);
        db_reset(stmt);
        return false;
    }
    page->last = (struct cursor){.key = kind, .id = db_column_int64(stmt, id_column)};
    if (kind == CURSOR_NUMBER)
        page->last.number = db_column_int64(stmt, key_column);
    else if (kind == CURSOR_TEXT)
        page->last.text = store_text_or_empty(arena, stmt, key_column);
    return true;
}

enum store_status store_tx_end(struct store *store, enum store_status status)
{
    if (status != STORE_OK) {
        store_tx_rollback(store);
        return status;
    }
    return store_tx_commit(store) ? STORE_OK : STORE_ERROR;
}

enum store_status store_audit_json(struct store *store, const struct actor *actor, const char *action,
                                   const char *entity, int64_t entity_id, json_t *before, json_t *after, int64_t now)
{
    char *b = before ? json_dumps(before, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    char *a = after ? json_dumps(after, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    enum store_status status = store_audit(store, actor, action, entity, entity_id, b, a, now);
    free(b);
    free(a);
    json_decref(before);
    json_decref(after);
    return status;
}
