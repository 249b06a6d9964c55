/*
 * The SQLite backend: WAL journal, foreign keys on, a busy timeout so that several processes
 * (the server and an import from the command line) can share one file, and every statement
 * prepared once per connection and reused.
 */
#include "store/store_backend.h"

#include "lib/die.h"
#include "lib/embedded.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { STATEMENT_CACHE_SIZE = 64 };

struct sqlite_store {
    struct store base;
    sqlite3 *db;
    char error[256];
    /* Keyed by the address of the SQL text: every query is a string literal of this file. */
    struct {
        const char *sql;
        sqlite3_stmt *stmt;
    } cache[STATEMENT_CACHE_SIZE];
    size_t cached;
};

static struct sqlite_store *sqlite_of(struct store *store)
{
    return (struct sqlite_store *)store;
}

static enum store_status fail(struct sqlite_store *s, const char *what)
{
    snprintf(s->error, sizeof(s->error), "%s: %s", what, sqlite3_errmsg(s->db));
    return STORE_ERROR;
}

/* Returns the cached prepared statement for sql, reset and with bindings cleared. */
static sqlite3_stmt *prepare(struct sqlite_store *s, const char *sql)
{
    for (size_t i = 0; i < s->cached; i++)
        if (s->cache[i].sql == sql) {
            sqlite3_reset(s->cache[i].stmt);
            sqlite3_clear_bindings(s->cache[i].stmt);
            return s->cache[i].stmt;
        }
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK) {
        fail(s, "prepare");
        return NULL;
    }
    if (s->cached == STATEMENT_CACHE_SIZE)
        die("statement cache full: raise STATEMENT_CACHE_SIZE");
    s->cache[s->cached].sql = sql;
    s->cache[s->cached].stmt = stmt;
    s->cached++;
    return stmt;
}

static bool exec(struct sqlite_store *s, const char *sql)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        fail(s, "exec");
        return false;
    }
    return true;
}

/* Runs a statement that returns no rows. */
static bool step_done(struct sqlite_store *s, sqlite3_stmt *stmt)
{
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) {
        fail(s, "step");
        return false;
    }
    return true;
}

static struct store *sqlite_open(const char *location, char *err, size_t err_size)
{
    struct sqlite_store *s = calloc(1, sizeof(*s));
    if (s == NULL)
        die("out of memory");
    s->base.backend = &store_sqlite_backend;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(location, &s->db, flags, NULL) != SQLITE_OK) {
        snprintf(err, err_size, "cannot open %s: %s", location, sqlite3_errmsg(s->db));
        sqlite3_close(s->db);
        free(s);
        return NULL;
    }
    sqlite3_busy_timeout(s->db, 5000);
    sqlite3_extended_result_codes(s->db, 1);
    if (!exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")) {
        snprintf(err, err_size, "cannot set up %s: %s", location, s->error);
        sqlite3_close(s->db);
        free(s);
        return NULL;
    }
    return &s->base;
}

static void sqlite_close(struct store *store)
{
    struct sqlite_store *s = sqlite_of(store);
    for (size_t i = 0; i < s->cached; i++)
        sqlite3_finalize(s->cache[i].stmt);
    sqlite3_close(s->db);
    free(s);
}

static const char *sqlite_last_error(const struct store *store)
{
    return ((const struct sqlite_store *)store)->error;
}

/* Migrations */

static const char SQL_MIGRATIONS_TABLE[] = "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                           " version INTEGER PRIMARY KEY,"
                                           " name TEXT NOT NULL,"
                                           " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))";
static const char SQL_MIGRATION_VERSION[] = "SELECT coalesce(max(version), 0) FROM schema_migrations";
static const char SQL_MIGRATION_RECORD[] = "INSERT INTO schema_migrations (version, name) VALUES (?, ?)";

static enum store_status sqlite_migrate(struct store *store, int *version)
{
    struct sqlite_store *s = sqlite_of(store);
    if (!exec(s, SQL_MIGRATIONS_TABLE))
        return STORE_ERROR;
    *version = 0;
    for (size_t i = 0; i < embedded_migrations_sqlite_count; i++) {
        const struct embedded_file *m = &embedded_migrations_sqlite[i];
        int number = (int)strtol(m->name, NULL, 10); /* names start with their number: "001_catalogue.sql" */
        /* BEGIN IMMEDIATE takes the write lock first, so two processes starting together do not
         * both apply the same migration. */
        if (!exec(s, "BEGIN IMMEDIATE"))
            return STORE_ERROR;
        sqlite3_stmt *stmt = prepare(s, SQL_MIGRATION_VERSION);
        if (stmt == NULL || sqlite3_step(stmt) != SQLITE_ROW)
            goto fail;
        int current = sqlite3_column_int(stmt, 0);
        sqlite3_reset(stmt);
        if (number > current) {
            if (!exec(s, (const char *)m->data))
                goto fail;
            stmt = prepare(s, SQL_MIGRATION_RECORD);
            sqlite3_bind_int(stmt, 1, number);
            sqlite3_bind_text(stmt, 2, m->name, -1, SQLITE_STATIC);
            if (!step_done(s, stmt))
                goto fail;
        }
        if (!exec(s, "COMMIT"))
            goto fail;
        *version = number > current ? number : current;
    }
    return STORE_OK;
fail:
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return STORE_ERROR;
}

/* Catalogue */

static const char SQL_REVISION[] = "SELECT revision FROM catalogue_meta WHERE id = 1";
static const char SQL_REVISION_BUMP[] = "UPDATE catalogue_meta SET revision = revision + 1 WHERE id = 1";

static const char SQL_LEVEL_PUT[] = "INSERT INTO levels (number, title, position, generation) VALUES (?1, ?2, ?3, ?4)"
                                    " ON CONFLICT (number) DO UPDATE SET title = ?2, position = ?3, generation = ?4";
static const char SQL_STRAND_PUT[] = "INSERT INTO strands (code, title, position, generation) VALUES (?1, ?2, ?3, ?4)"
                                     " ON CONFLICT (code) DO UPDATE SET title = ?2, position = ?3, generation = ?4";
static const char SQL_MODULE_PUT[] =
    "INSERT INTO modules (code, title, strand, level, hours_cap, position, generation)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    " ON CONFLICT (code) DO UPDATE SET code = ?1, title = ?2, strand = ?3, level = ?4, hours_cap = ?5,"
    " position = ?6, generation = ?7";
static const char SQL_FRAMEWORK_PUT[] =
    "INSERT INTO frameworks (code, title, position, generation) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (code) DO UPDATE SET code = ?1, title = ?2, position = ?3, generation = ?4";
static const char SQL_QUALIFICATION_PUT[] =
    "INSERT INTO qualifications (code, title, level, summary, framework, elective_count, final_assessment,"
    " min_face_to_face_events, min_virtual_events, position, generation)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    " ON CONFLICT (code) DO UPDATE SET code = ?1, title = ?2, level = ?3, summary = ?4, framework = ?5,"
    " elective_count = ?6, final_assessment = ?7, min_face_to_face_events = ?8, min_virtual_events = ?9,"
    " position = ?10, generation = ?11";
static const char SQL_QUALIFICATION_MODULE_PUT[] =
    "INSERT INTO qualification_modules (qualification, module, role, position, generation)"
    " VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT (qualification, module) DO UPDATE SET role = ?3, position = ?4, generation = ?5";
static const char SQL_AREA_PUT[] =
    "INSERT INTO framework_areas (framework, number, title, generation) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (framework, number) DO UPDATE SET title = ?3, generation = ?4";
static const char SQL_STATEMENT_PUT[] =
    "INSERT INTO framework_statements (framework, area, kind, number, text, incomplete, generation)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    " ON CONFLICT (framework, area, kind, number) DO UPDATE SET text = ?5, incomplete = ?6, generation = ?7";
static const char SQL_PRACTICE_PUT[] =
    "INSERT INTO framework_practices (framework, area, kind, number, position, text, incomplete, generation)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    " ON CONFLICT (framework, area, kind, number, position) DO UPDATE SET text = ?6, incomplete = ?7,"
    " generation = ?8";

/* Rows an import no longer mentions, removed children first. */
static const char *const SQL_SWEEP[] = {
    "DELETE FROM framework_practices WHERE generation <> ?1",
    "DELETE FROM framework_statements WHERE generation <> ?1",
    "DELETE FROM framework_areas WHERE generation <> ?1",
    "DELETE FROM qualification_modules WHERE generation <> ?1",
    "DELETE FROM qualifications WHERE generation <> ?1",
    "DELETE FROM frameworks WHERE generation <> ?1",
    "DELETE FROM modules WHERE generation <> ?1",
    "DELETE FROM strands WHERE generation <> ?1",
    "DELETE FROM levels WHERE generation <> ?1",
};

static void bind_text(sqlite3_stmt *stmt, int index, const char *text)
{
    if (text == NULL)
        sqlite3_bind_null(stmt, index);
    else
        sqlite3_bind_text(stmt, index, text, -1, SQLITE_STATIC);
}

static bool put_statements(struct sqlite_store *s, const char *framework, int area, const char *kind,
                           const struct catalogue_statement *statements, size_t count, int64_t generation)
{
    for (size_t i = 0; i < count; i++) {
        const struct catalogue_statement *st = &statements[i];
        sqlite3_stmt *stmt = prepare(s, SQL_STATEMENT_PUT);
        if (stmt == NULL)
            return false;
        bind_text(stmt, 1, framework);
        sqlite3_bind_int(stmt, 2, area);
        bind_text(stmt, 3, kind);
        sqlite3_bind_int(stmt, 4, st->number);
        bind_text(stmt, 5, st->text);
        sqlite3_bind_int(stmt, 6, st->incomplete);
        sqlite3_bind_int64(stmt, 7, generation);
        if (!step_done(s, stmt))
            return false;
        for (size_t p = 0; p < st->practice_count; p++) {
            stmt = prepare(s, SQL_PRACTICE_PUT);
            if (stmt == NULL)
                return false;
            bind_text(stmt, 1, framework);
            sqlite3_bind_int(stmt, 2, area);
            bind_text(stmt, 3, kind);
            sqlite3_bind_int(stmt, 4, st->number);
            sqlite3_bind_int64(stmt, 5, (sqlite3_int64)p);
            bind_text(stmt, 6, st->practices[p].text);
            sqlite3_bind_int(stmt, 7, st->practices[p].incomplete);
            sqlite3_bind_int64(stmt, 8, generation);
            if (!step_done(s, stmt))
                return false;
        }
    }
    return true;
}

static bool put_rule_modules(struct sqlite_store *s, const char *qualification, const char **codes, size_t count,
                             const char *role, size_t *position, int64_t generation)
{
    for (size_t i = 0; i < count; i++) {
        sqlite3_stmt *stmt = prepare(s, SQL_QUALIFICATION_MODULE_PUT);
        if (stmt == NULL)
            return false;
        bind_text(stmt, 1, qualification);
        bind_text(stmt, 2, codes[i]);
        bind_text(stmt, 3, role);
        sqlite3_bind_int64(stmt, 4, (sqlite3_int64)(*position)++);
        sqlite3_bind_int64(stmt, 5, generation);
        if (!step_done(s, stmt))
            return false;
    }
    return true;
}

static bool put_catalogue(struct sqlite_store *s, const struct catalogue *c, int64_t g)
{
    sqlite3_stmt *stmt;
    for (size_t i = 0; i < c->level_count; i++) {
        if ((stmt = prepare(s, SQL_LEVEL_PUT)) == NULL)
            return false;
        sqlite3_bind_int(stmt, 1, c->levels[i].number);
        bind_text(stmt, 2, c->levels[i].title);
        sqlite3_bind_int64(stmt, 3, (sqlite3_int64)i);
        sqlite3_bind_int64(stmt, 4, g);
        if (!step_done(s, stmt))
            return false;
    }
    for (size_t i = 0; i < c->strand_count; i++) {
        if ((stmt = prepare(s, SQL_STRAND_PUT)) == NULL)
            return false;
        bind_text(stmt, 1, c->strands[i].code);
        bind_text(stmt, 2, c->strands[i].title);
        sqlite3_bind_int64(stmt, 3, (sqlite3_int64)i);
        sqlite3_bind_int64(stmt, 4, g);
        if (!step_done(s, stmt))
            return false;
    }
    for (size_t i = 0; i < c->module_count; i++) {
        const struct catalogue_module *m = &c->modules[i];
        if ((stmt = prepare(s, SQL_MODULE_PUT)) == NULL)
            return false;
        bind_text(stmt, 1, m->code);
        bind_text(stmt, 2, m->title);
        bind_text(stmt, 3, m->strand);
        sqlite3_bind_int(stmt, 4, m->level);
        sqlite3_bind_int(stmt, 5, m->hours_cap);
        sqlite3_bind_int64(stmt, 6, (sqlite3_int64)i);
        sqlite3_bind_int64(stmt, 7, g);
        if (!step_done(s, stmt))
            return false;
    }
    for (size_t i = 0; i < c->framework_count; i++) {
        const struct catalogue_framework *f = &c->frameworks[i];
        if ((stmt = prepare(s, SQL_FRAMEWORK_PUT)) == NULL)
            return false;
        bind_text(stmt, 1, f->code);
        bind_text(stmt, 2, f->title);
        sqlite3_bind_int64(stmt, 3, (sqlite3_int64)i);
        sqlite3_bind_int64(stmt, 4, g);
        if (!step_done(s, stmt))
            return false;
        for (size_t a = 0; a < f->area_count; a++) {
            const struct catalogue_area *area = &f->areas[a];
            if ((stmt = prepare(s, SQL_AREA_PUT)) == NULL)
                return false;
            bind_text(stmt, 1, f->code);
            sqlite3_bind_int(stmt, 2, area->number);
            bind_text(stmt, 3, area->title);
            sqlite3_bind_int64(stmt, 4, g);
            if (!step_done(s, stmt))
                return false;
            if (!put_statements(s, f->code, area->number, "learn_that", area->learn_that, area->learn_that_count, g) ||
                !put_statements(s, f->code, area->number, "learn_how_to", area->learn_how_to, area->learn_how_to_count,
                                g))
                return false;
        }
    }
    for (size_t i = 0; i < c->qualification_count; i++) {
        const struct catalogue_qualification *q = &c->qualifications[i];
        if ((stmt = prepare(s, SQL_QUALIFICATION_PUT)) == NULL)
            return false;
        bind_text(stmt, 1, q->code);
        bind_text(stmt, 2, q->title);
        sqlite3_bind_int(stmt, 3, q->level);
        bind_text(stmt, 4, q->summary);
        bind_text(stmt, 5, q->framework);
        sqlite3_bind_int(stmt, 6, q->rule.elective_count);
        sqlite3_bind_int(stmt, 7, q->rule.final_assessment);
        sqlite3_bind_int(stmt, 8, q->rule.min_face_to_face_events);
        sqlite3_bind_int(stmt, 9, q->rule.min_virtual_events);
        sqlite3_bind_int64(stmt, 10, (sqlite3_int64)i);
        sqlite3_bind_int64(stmt, 11, g);
        if (!step_done(s, stmt))
            return false;
        size_t position = 0;
        if (!put_rule_modules(s, q->code, q->rule.essential, q->rule.essential_count, "essential", &position, g) ||
            !put_rule_modules(s, q->code, q->rule.elective_from, q->rule.elective_from_count, "elective", &position, g))
            return false;
    }
    return true;
}

static enum store_status sqlite_catalogue_replace(struct store *store, const struct catalogue *catalogue,
                                                  struct errors *errors)
{
    struct sqlite_store *s = sqlite_of(store);
    if (!exec(s, "BEGIN IMMEDIATE"))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    sqlite3_stmt *stmt = prepare(s, SQL_REVISION_BUMP);
    if (stmt == NULL || !step_done(s, stmt))
        goto fail;
    stmt = prepare(s, SQL_REVISION);
    if (stmt == NULL || sqlite3_step(stmt) != SQLITE_ROW)
        goto fail;
    int64_t generation = sqlite3_column_int64(stmt, 0);
    sqlite3_reset(stmt);
    if (!put_catalogue(s, catalogue, generation))
        goto fail;
    for (size_t i = 0; i < sizeof(SQL_SWEEP) / sizeof(SQL_SWEEP[0]); i++) {
        if ((stmt = prepare(s, SQL_SWEEP[i])) == NULL)
            goto fail;
        sqlite3_bind_int64(stmt, 1, generation);
        int rc = sqlite3_step(stmt);
        sqlite3_reset(stmt);
        if (rc == SQLITE_CONSTRAINT_FOREIGNKEY || rc == SQLITE_CONSTRAINT_TRIGGER) {
            errors_add(errors, "$", "the new catalogue removes something that is still in use (%s)",
                       SQL_SWEEP[i] + strlen("DELETE FROM "));
            status = STORE_CONFLICT;
            goto fail;
        }
        if (rc != SQLITE_DONE) {
            fail(s, "sweep");
            goto fail;
        }
    }
    if (!exec(s, "COMMIT"))
        goto fail;
    return STORE_OK;
fail:
    if (status == STORE_ERROR)
        errors_add(errors, "$", "the database refused the catalogue: %s", s->error);
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return status;
}

static const char SQL_LEVELS[] = "SELECT number, title FROM levels ORDER BY position";
static const char SQL_STRANDS[] = "SELECT code, title FROM strands ORDER BY position";
static const char SQL_MODULES[] = "SELECT code, title, strand, level, hours_cap FROM modules ORDER BY position";
static const char SQL_QUALIFICATIONS[] =
    "SELECT code, title, level, summary, framework, elective_count, final_assessment, min_face_to_face_events,"
    " min_virtual_events FROM qualifications ORDER BY position";
static const char SQL_RULE_MODULES[] =
    "SELECT module FROM qualification_modules WHERE qualification = ?1 AND role = ?2 ORDER BY position";
static const char SQL_FRAMEWORKS[] = "SELECT code, title FROM frameworks ORDER BY position";
static const char SQL_AREAS[] = "SELECT number, title FROM framework_areas WHERE framework = ?1 ORDER BY number";
static const char SQL_STATEMENTS[] = "SELECT number, text, incomplete FROM framework_statements"
                                     " WHERE framework = ?1 AND area = ?2 AND kind = ?3 ORDER BY number";
static const char SQL_PRACTICES[] = "SELECT text, incomplete FROM framework_practices"
                                    " WHERE framework = ?1 AND area = ?2 AND kind = ?3 AND number = ?4"
                                    " ORDER BY position";
static const char SQL_COUNT[] = "SELECT (SELECT count(*) FROM levels), (SELECT count(*) FROM strands),"
                                " (SELECT count(*) FROM modules), (SELECT count(*) FROM qualifications),"
                                " (SELECT count(*) FROM frameworks)";

static const char *column_text(struct catalogue *c, sqlite3_stmt *stmt, int column)
{
    if (sqlite3_column_type(stmt, column) == SQLITE_NULL)
        return NULL;
    return arena_strndup(&c->arena, (const char *)sqlite3_column_text(stmt, column),
                         (size_t)sqlite3_column_bytes(stmt, column));
}

/* Runs a query and counts its rows, so arrays can be sized before they are filled. */
static size_t count_rows(sqlite3_stmt *stmt)
{
    size_t n = 0;
    while (sqlite3_step(stmt) == SQLITE_ROW)
        n++;
    sqlite3_reset(stmt);
    return n;
}

static bool load_rule_modules(struct sqlite_store *s, struct catalogue *c, const char *qualification, const char *role,
                              const char ***out, size_t *count)
{
    sqlite3_stmt *stmt = prepare(s, SQL_RULE_MODULES);
    if (stmt == NULL)
        return false;
    bind_text(stmt, 1, qualification);
    bind_text(stmt, 2, role);
    *count = count_rows(stmt);
    *out = arena_alloc(&c->arena, sizeof(**out) * (*count + 1));
    for (size_t i = 0; i < *count && sqlite3_step(stmt) == SQLITE_ROW; i++)
        (*out)[i] = column_text(c, stmt, 0);
    sqlite3_reset(stmt);
    return true;
}

static bool load_statements(struct sqlite_store *s, struct catalogue *c, const char *framework, int area,
                            const char *kind, struct catalogue_statement **out, size_t *count)
{
    sqlite3_stmt *stmt = prepare(s, SQL_STATEMENTS);
    if (stmt == NULL)
        return false;
    bind_text(stmt, 1, framework);
    sqlite3_bind_int(stmt, 2, area);
    bind_text(stmt, 3, kind);
    *count = count_rows(stmt);
    *out = arena_alloc(&c->arena, sizeof(**out) * (*count + 1));
    for (size_t i = 0; i < *count && sqlite3_step(stmt) == SQLITE_ROW; i++) {
        (*out)[i].number = sqlite3_column_int(stmt, 0);
        (*out)[i].text = column_text(c, stmt, 1);
        (*out)[i].incomplete = sqlite3_column_int(stmt, 2) != 0;
    }
    sqlite3_reset(stmt);
    for (size_t i = 0; i < *count; i++) {
        struct catalogue_statement *st = &(*out)[i];
        sqlite3_stmt *pstmt = prepare(s, SQL_PRACTICES);
        if (pstmt == NULL)
            return false;
        bind_text(pstmt, 1, framework);
        sqlite3_bind_int(pstmt, 2, area);
        bind_text(pstmt, 3, kind);
        sqlite3_bind_int(pstmt, 4, st->number);
        st->practice_count = count_rows(pstmt);
        st->practices = arena_alloc(&c->arena, sizeof(*st->practices) * (st->practice_count + 1));
        for (size_t p = 0; p < st->practice_count && sqlite3_step(pstmt) == SQLITE_ROW; p++) {
            st->practices[p].text = column_text(c, pstmt, 0);
            st->practices[p].incomplete = sqlite3_column_int(pstmt, 1) != 0;
        }
        sqlite3_reset(pstmt);
    }
    return true;
}

static bool load_catalogue(struct sqlite_store *s, struct catalogue *c)
{
    sqlite3_stmt *stmt = prepare(s, SQL_COUNT);
    if (stmt == NULL || sqlite3_step(stmt) != SQLITE_ROW)
        return false;
    c->level_count = (size_t)sqlite3_column_int64(stmt, 0);
    c->strand_count = (size_t)sqlite3_column_int64(stmt, 1);
    c->module_count = (size_t)sqlite3_column_int64(stmt, 2);
    c->qualification_count = (size_t)sqlite3_column_int64(stmt, 3);
    c->framework_count = (size_t)sqlite3_column_int64(stmt, 4);
    sqlite3_reset(stmt);
    c->levels = arena_alloc(&c->arena, sizeof(*c->levels) * (c->level_count + 1));
    c->strands = arena_alloc(&c->arena, sizeof(*c->strands) * (c->strand_count + 1));
    c->modules = arena_alloc(&c->arena, sizeof(*c->modules) * (c->module_count + 1));
    c->qualifications = arena_alloc(&c->arena, sizeof(*c->qualifications) * (c->qualification_count + 1));
    c->frameworks = arena_alloc(&c->arena, sizeof(*c->frameworks) * (c->framework_count + 1));

    if ((stmt = prepare(s, SQL_LEVELS)) == NULL)
        return false;
    for (size_t i = 0; i < c->level_count && sqlite3_step(stmt) == SQLITE_ROW; i++) {
        c->levels[i].number = sqlite3_column_int(stmt, 0);
        c->levels[i].title = column_text(c, stmt, 1);
    }
    if ((stmt = prepare(s, SQL_STRANDS)) == NULL)
        return false;
    for (size_t i = 0; i < c->strand_count && sqlite3_step(stmt) == SQLITE_ROW; i++) {
        c->strands[i].code = column_text(c, stmt, 0);
        c->strands[i].title = column_text(c, stmt, 1);
    }
    if ((stmt = prepare(s, SQL_MODULES)) == NULL)
        return false;
    for (size_t i = 0; i < c->module_count && sqlite3_step(stmt) == SQLITE_ROW; i++) {
        struct catalogue_module *m = &c->modules[i];
        m->code = column_text(c, stmt, 0);
        m->title = column_text(c, stmt, 1);
        m->strand = column_text(c, stmt, 2);
        m->level = sqlite3_column_int(stmt, 3);
        m->hours_cap = sqlite3_column_int(stmt, 4);
    }
    if ((stmt = prepare(s, SQL_QUALIFICATIONS)) == NULL)
        return false;
    for (size_t i = 0; i < c->qualification_count && sqlite3_step(stmt) == SQLITE_ROW; i++) {
        struct catalogue_qualification *q = &c->qualifications[i];
        q->code = column_text(c, stmt, 0);
        q->title = column_text(c, stmt, 1);
        q->level = sqlite3_column_int(stmt, 2);
        q->summary = column_text(c, stmt, 3);
        q->framework = column_text(c, stmt, 4);
        q->rule.elective_count = sqlite3_column_int(stmt, 5);
        q->rule.final_assessment = sqlite3_column_int(stmt, 6) != 0;
        q->rule.min_face_to_face_events = sqlite3_column_int(stmt, 7);
        q->rule.min_virtual_events = sqlite3_column_int(stmt, 8);
    }
    sqlite3_reset(stmt);
    for (size_t i = 0; i < c->qualification_count; i++) {
        struct catalogue_qualification *q = &c->qualifications[i];
        if (!load_rule_modules(s, c, q->code, "essential", &q->rule.essential, &q->rule.essential_count) ||
            !load_rule_modules(s, c, q->code, "elective", &q->rule.elective_from, &q->rule.elective_from_count))
            return false;
    }
    if ((stmt = prepare(s, SQL_FRAMEWORKS)) == NULL)
        return false;
    for (size_t i = 0; i < c->framework_count && sqlite3_step(stmt) == SQLITE_ROW; i++) {
        c->frameworks[i].code = column_text(c, stmt, 0);
        c->frameworks[i].title = column_text(c, stmt, 1);
    }
    sqlite3_reset(stmt);
    for (size_t i = 0; i < c->framework_count; i++) {
        struct catalogue_framework *f = &c->frameworks[i];
        if ((stmt = prepare(s, SQL_AREAS)) == NULL)
            return false;
        bind_text(stmt, 1, f->code);
        f->area_count = count_rows(stmt);
        f->areas = arena_alloc(&c->arena, sizeof(*f->areas) * (f->area_count + 1));
        for (size_t a = 0; a < f->area_count && sqlite3_step(stmt) == SQLITE_ROW; a++) {
            f->areas[a].number = sqlite3_column_int(stmt, 0);
            f->areas[a].title = column_text(c, stmt, 1);
        }
        sqlite3_reset(stmt);
        for (size_t a = 0; a < f->area_count; a++) {
            struct catalogue_area *area = &f->areas[a];
            if (!load_statements(s, c, f->code, area->number, "learn_that", &area->learn_that,
                                 &area->learn_that_count) ||
                !load_statements(s, c, f->code, area->number, "learn_how_to", &area->learn_how_to,
                                 &area->learn_how_to_count))
                return false;
        }
    }
    return true;
}

static enum store_status sqlite_catalogue_load(struct store *store, struct catalogue **out)
{
    struct sqlite_store *s = sqlite_of(store);
    struct catalogue *c = catalogue_new();
    /* One read transaction so the catalogue is a consistent snapshot even during an import. */
    if (!exec(s, "BEGIN"))
        goto fail;
    bool ok = load_catalogue(s, c);
    if (!ok)
        fail(s, "load catalogue");
    sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (!ok)
        goto fail;
    *out = c;
    return STORE_OK;
fail:
    catalogue_free(c);
    return STORE_ERROR;
}

static enum store_status sqlite_catalogue_revision(struct store *store, int64_t *revision)
{
    struct sqlite_store *s = sqlite_of(store);
    sqlite3_stmt *stmt = prepare(s, SQL_REVISION);
    if (stmt == NULL)
        return STORE_ERROR;
    int rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(stmt);
        return fail(s, "catalogue revision");
    }
    *revision = sqlite3_column_int64(stmt, 0);
    sqlite3_reset(stmt);
    return STORE_OK;
}

const struct store_backend store_sqlite_backend = {
    .name = "sqlite",
    .open = sqlite_open,
    .close = sqlite_close,
    .last_error = sqlite_last_error,
    .migrate = sqlite_migrate,
    .catalogue_replace = sqlite_catalogue_replace,
    .catalogue_load = sqlite_catalogue_load,
    .catalogue_revision = sqlite_catalogue_revision,
};
