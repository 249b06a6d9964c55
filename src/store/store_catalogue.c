/*
 * The catalogue in the database: replaced whole by an import, loaded whole by each worker.
 */
#include "store/store_internal.h"

#include <string.h>

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
    " min_face_to_face_events, min_virtual_events, position, generation, dfe_course, course_group)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
    " ON CONFLICT (code) DO UPDATE SET code = ?1, title = ?2, level = ?3, summary = ?4, framework = ?5,"
    " elective_count = ?6, final_assessment = ?7, min_face_to_face_events = ?8, min_virtual_events = ?9,"
    " position = ?10, generation = ?11, dfe_course = ?12, course_group = ?13";
/* A qualification that gives its DfE course to another in the same import would meet the unique
 * course identifier before the other is written, so every identifier is cleared first. */
static const char SQL_QUALIFICATION_DFE_CLEAR[] = "UPDATE qualifications SET dfe_course = NULL, course_group = NULL";
static const char SQL_SCHEDULE_PUT[] =
    "INSERT INTO schedules (identifier, cohort, course_group, title, position, generation)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    " ON CONFLICT (identifier, cohort) DO UPDATE SET course_group = ?3, title = ?4, position = ?5, generation = ?6";
static const char SQL_MILESTONE_PUT[] =
    "INSERT INTO schedule_milestones (identifier, cohort, declaration_type, start_date, milestone_date, position,"
    " generation) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    " ON CONFLICT (identifier, cohort, declaration_type) DO UPDATE SET start_date = ?4, milestone_date = ?5,"
    " position = ?6, generation = ?7";
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
    "DELETE FROM schedule_milestones WHERE generation <> ?1",
    "DELETE FROM schedules WHERE generation <> ?1",
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

static void bind_text(struct db_stmt *stmt, int index, const char *text)
{
    db_bind_text(stmt, index, text);
}

static bool put_statements(struct db *db, const char *framework, int area, const char *kind,
                           const struct catalogue_statement *statements, size_t count, int64_t generation)
{
    for (size_t i = 0; i < count; i++) {
        const struct catalogue_statement *st = &statements[i];
        struct db_stmt *stmt = db_prepare(db, SQL_STATEMENT_PUT);
        if (stmt == NULL)
            return false;
        bind_text(stmt, 1, framework);
        db_bind_int64(stmt, 2, area);
        bind_text(stmt, 3, kind);
        db_bind_int64(stmt, 4, st->number);
        bind_text(stmt, 5, st->text);
        db_bind_int64(stmt, 6, st->incomplete);
        db_bind_int64(stmt, 7, generation);
        if (db_exec_stmt(stmt) != DB_DONE)
            return false;
        for (size_t p = 0; p < st->practice_count; p++) {
            stmt = db_prepare(db, SQL_PRACTICE_PUT);
            if (stmt == NULL)
                return false;
            bind_text(stmt, 1, framework);
            db_bind_int64(stmt, 2, area);
            bind_text(stmt, 3, kind);
            db_bind_int64(stmt, 4, st->number);
            db_bind_int64(stmt, 5, (int64_t)p);
            bind_text(stmt, 6, st->practices[p].text);
            db_bind_int64(stmt, 7, st->practices[p].incomplete);
            db_bind_int64(stmt, 8, generation);
            if (db_exec_stmt(stmt) != DB_DONE)
                return false;
        }
    }
    return true;
}

static bool put_rule_modules(struct db *db, const char *qualification, const char **codes, size_t count,
                             const char *role, size_t *position, int64_t generation)
{
    for (size_t i = 0; i < count; i++) {
        struct db_stmt *stmt = db_prepare(db, SQL_QUALIFICATION_MODULE_PUT);
        if (stmt == NULL)
            return false;
        bind_text(stmt, 1, qualification);
        bind_text(stmt, 2, codes[i]);
        bind_text(stmt, 3, role);
        db_bind_int64(stmt, 4, (int64_t)(*position)++);
        db_bind_int64(stmt, 5, generation);
        if (db_exec_stmt(stmt) != DB_DONE)
            return false;
    }
    return true;
}

static bool put_schedules(struct db *db, const struct catalogue *c, int64_t g)
{
    struct db_stmt *stmt;
    for (size_t i = 0; i < c->schedule_count; i++) {
        const struct catalogue_schedule *s = &c->schedules[i];
        if ((stmt = db_prepare(db, SQL_SCHEDULE_PUT)) == NULL)
            return false;
        bind_text(stmt, 1, s->identifier);
        db_bind_int64(stmt, 2, s->cohort);
        bind_text(stmt, 3, s->course_group);
        bind_text(stmt, 4, s->title);
        db_bind_int64(stmt, 5, (int64_t)i);
        db_bind_int64(stmt, 6, g);
        if (db_exec_stmt(stmt) != DB_DONE)
            return false;
        for (size_t m = 0; m < s->milestone_count; m++) {
            const struct catalogue_milestone *ms = &s->milestones[m];
            if ((stmt = db_prepare(db, SQL_MILESTONE_PUT)) == NULL)
                return false;
            bind_text(stmt, 1, s->identifier);
            db_bind_int64(stmt, 2, s->cohort);
            bind_text(stmt, 3, ms->declaration_type);
            bind_text(stmt, 4, ms->start_date);
            bind_text(stmt, 5, ms->milestone_date);
            db_bind_int64(stmt, 6, (int64_t)m);
            db_bind_int64(stmt, 7, g);
            if (db_exec_stmt(stmt) != DB_DONE)
                return false;
        }
    }
    return true;
}

static bool put_catalogue(struct db *db, const struct catalogue *c, int64_t g)
{
    struct db_stmt *stmt;
    if ((stmt = db_prepare(db, SQL_QUALIFICATION_DFE_CLEAR)) == NULL || db_exec_stmt(stmt) != DB_DONE)
        return false;
    for (size_t i = 0; i < c->level_count; i++) {
        if ((stmt = db_prepare(db, SQL_LEVEL_PUT)) == NULL)
            return false;
        db_bind_int64(stmt, 1, c->levels[i].number);
        bind_text(stmt, 2, c->levels[i].title);
        db_bind_int64(stmt, 3, (int64_t)i);
        db_bind_int64(stmt, 4, g);
        if (db_exec_stmt(stmt) != DB_DONE)
            return false;
    }
    for (size_t i = 0; i < c->strand_count; i++) {
        if ((stmt = db_prepare(db, SQL_STRAND_PUT)) == NULL)
            return false;
        bind_text(stmt, 1, c->strands[i].code);
        bind_text(stmt, 2, c->strands[i].title);
        db_bind_int64(stmt, 3, (int64_t)i);
        db_bind_int64(stmt, 4, g);
        if (db_exec_stmt(stmt) != DB_DONE)
            return false;
    }
    for (size_t i = 0; i < c->module_count; i++) {
        const struct catalogue_module *m = &c->modules[i];
        if ((stmt = db_prepare(db, SQL_MODULE_PUT)) == NULL)
            return false;
        bind_text(stmt, 1, m->code);
        bind_text(stmt, 2, m->title);
        bind_text(stmt, 3, m->strand);
        db_bind_int64(stmt, 4, m->level);
        db_bind_int64(stmt, 5, m->hours_cap);
        db_bind_int64(stmt, 6, (int64_t)i);
        db_bind_int64(stmt, 7, g);
        if (db_exec_stmt(stmt) != DB_DONE)
            return false;
    }
    for (size_t i = 0; i < c->framework_count; i++) {
        const struct catalogue_framework *f = &c->frameworks[i];
        if ((stmt = db_prepare(db, SQL_FRAMEWORK_PUT)) == NULL)
            return false;
        bind_text(stmt, 1, f->code);
        bind_text(stmt, 2, f->title);
        db_bind_int64(stmt, 3, (int64_t)i);
        db_bind_int64(stmt, 4, g);
        if (db_exec_stmt(stmt) != DB_DONE)
            return false;
        for (size_t a = 0; a < f->area_count; a++) {
            const struct catalogue_area *area = &f->areas[a];
            if ((stmt = db_prepare(db, SQL_AREA_PUT)) == NULL)
                return false;
            bind_text(stmt, 1, f->code);
            db_bind_int64(stmt, 2, area->number);
            bind_text(stmt, 3, area->title);
            db_bind_int64(stmt, 4, g);
            if (db_exec_stmt(stmt) != DB_DONE)
                return false;
            if (!put_statements(db, f->code, area->number, "learn_that", area->learn_that, area->learn_that_count, g) ||
                !put_statements(db, f->code, area->number, "learn_how_to", area->learn_how_to, area->learn_how_to_count,
                                g))
                return false;
        }
    }
    for (size_t i = 0; i < c->qualification_count; i++) {
        const struct catalogue_qualification *q = &c->qualifications[i];
        if ((stmt = db_prepare(db, SQL_QUALIFICATION_PUT)) == NULL)
            return false;
        bind_text(stmt, 1, q->code);
        bind_text(stmt, 2, q->title);
        if (q->level != 0)
            db_bind_int64(stmt, 3, q->level);
        else
            db_bind_null(stmt, 3);
        bind_text(stmt, 4, q->summary);
        bind_text(stmt, 5, q->framework);
        db_bind_int64(stmt, 6, q->rule.elective_count);
        db_bind_int64(stmt, 7, q->rule.final_assessment);
        db_bind_int64(stmt, 8, q->rule.min_face_to_face_events);
        db_bind_int64(stmt, 9, q->rule.min_virtual_events);
        db_bind_int64(stmt, 10, (int64_t)i);
        db_bind_int64(stmt, 11, g);
        bind_text(stmt, 12, q->dfe_course);
        bind_text(stmt, 13, q->course_group);
        if (db_exec_stmt(stmt) != DB_DONE)
            return false;
        size_t position = 0;
        if (!put_rule_modules(db, q->code, q->rule.essential, q->rule.essential_count, "essential", &position, g) ||
            !put_rule_modules(db, q->code, q->rule.elective_from, q->rule.elective_from_count, "elective", &position,
                              g))
            return false;
    }
    return put_schedules(db, c, g);
}

enum store_status store_catalogue_replace(struct store *store, const struct catalogue *catalogue, struct errors *errors)
{
    struct db *db = store->db;
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(db, SQL_REVISION_BUMP);
    if (stmt == NULL || db_exec_stmt(stmt) != DB_DONE)
        goto fail;
    stmt = db_prepare(db, SQL_REVISION);
    if (stmt == NULL || db_step(stmt) != DB_ROW)
        goto fail;
    int64_t generation = db_column_int64(stmt, 0);
    db_reset(stmt);
    if (!put_catalogue(db, catalogue, generation))
        goto fail;
    for (size_t i = 0; i < sizeof(SQL_SWEEP) / sizeof(SQL_SWEEP[0]); i++) {
        if ((stmt = db_prepare(db, SQL_SWEEP[i])) == NULL)
            goto fail;
        db_bind_int64(stmt, 1, generation);
        enum db_result rc = db_exec_stmt(stmt);
        if (rc == DB_CONSTRAINT) {
            errors_add(errors, "$", "the new catalogue removes something that is still in use (%s)",
                       SQL_SWEEP[i] + strlen("DELETE FROM "));
            status = STORE_CONFLICT;
            goto fail;
        }
        if (rc != DB_DONE)
            goto fail;
    }
    if (!store_tx_commit(store))
        goto fail;
    return STORE_OK;
fail:
    if (status == STORE_ERROR)
        errors_add(errors, "$", "the database refused the catalogue: %s", db_error(db));
    store_tx_rollback(store);
    return status;
}

static const char SQL_LEVELS[] = "SELECT number, title FROM levels ORDER BY position";
static const char SQL_STRANDS[] = "SELECT code, title FROM strands ORDER BY position";
static const char SQL_MODULES[] = "SELECT code, title, strand, level, hours_cap FROM modules ORDER BY position";
static const char SQL_QUALIFICATIONS[] =
    "SELECT code, title, level, summary, framework, elective_count, final_assessment, min_face_to_face_events,"
    " min_virtual_events, dfe_course, course_group FROM qualifications ORDER BY position";
static const char SQL_SCHEDULES[] = "SELECT identifier, cohort, course_group, title FROM schedules ORDER BY position";
static const char SQL_MILESTONES[] = "SELECT declaration_type, start_date, milestone_date FROM schedule_milestones"
                                     " WHERE identifier = ?1 AND cohort = ?2 ORDER BY position";
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
                                " (SELECT count(*) FROM frameworks), (SELECT count(*) FROM schedules)";

static const char *column_text(struct catalogue *c, struct db_stmt *stmt, int column)
{
    if (db_column_is_null(stmt, column))
        return NULL;
    return arena_strndup(&c->arena, db_column_text(stmt, column), db_column_bytes(stmt, column));
}

/* Runs a query and counts its rows, so arrays can be sized before they are filled. */
static size_t count_rows(struct db_stmt *stmt)
{
    size_t n = 0;
    while (db_step(stmt) == DB_ROW)
        n++;
    db_reset(stmt);
    return n;
}

static bool load_rule_modules(struct db *db, struct catalogue *c, const char *qualification, const char *role,
                              const char ***out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(db, SQL_RULE_MODULES);
    if (stmt == NULL)
        return false;
    bind_text(stmt, 1, qualification);
    bind_text(stmt, 2, role);
    *count = count_rows(stmt);
    *out = arena_alloc(&c->arena, sizeof(**out) * (*count + 1));
    for (size_t i = 0; i < *count && db_step(stmt) == DB_ROW; i++)
        (*out)[i] = column_text(c, stmt, 0);
    db_reset(stmt);
    return true;
}

static bool load_statements(struct db *db, struct catalogue *c, const char *framework, int area, const char *kind,
                            struct catalogue_statement **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(db, SQL_STATEMENTS);
    if (stmt == NULL)
        return false;
    bind_text(stmt, 1, framework);
    db_bind_int64(stmt, 2, area);
    bind_text(stmt, 3, kind);
    *count = count_rows(stmt);
    *out = arena_alloc(&c->arena, sizeof(**out) * (*count + 1));
    for (size_t i = 0; i < *count && db_step(stmt) == DB_ROW; i++) {
        (*out)[i].number = (int)db_column_int64(stmt, 0);
        (*out)[i].text = column_text(c, stmt, 1);
        (*out)[i].incomplete = (int)db_column_int64(stmt, 2) != 0;
    }
    db_reset(stmt);
    for (size_t i = 0; i < *count; i++) {
        struct catalogue_statement *st = &(*out)[i];
        struct db_stmt *pstmt = db_prepare(db, SQL_PRACTICES);
        if (pstmt == NULL)
            return false;
        bind_text(pstmt, 1, framework);
        db_bind_int64(pstmt, 2, area);
        bind_text(pstmt, 3, kind);
        db_bind_int64(pstmt, 4, st->number);
        st->practice_count = count_rows(pstmt);
        st->practices = arena_alloc(&c->arena, sizeof(*st->practices) * (st->practice_count + 1));
        for (size_t p = 0; p < st->practice_count && db_step(pstmt) == DB_ROW; p++) {
            st->practices[p].text = column_text(c, pstmt, 0);
            st->practices[p].incomplete = (int)db_column_int64(pstmt, 1) != 0;
        }
        db_reset(pstmt);
    }
    return true;
}

static bool load_schedules(struct db *db, struct catalogue *c)
{
    struct db_stmt *stmt = db_prepare(db, SQL_SCHEDULES);
    if (stmt == NULL)
        return false;
    for (size_t i = 0; i < c->schedule_count && db_step(stmt) == DB_ROW; i++) {
        struct catalogue_schedule *s = &c->schedules[i];
        s->identifier = column_text(c, stmt, 0);
        s->cohort = (int)db_column_int64(stmt, 1);
        s->course_group = column_text(c, stmt, 2);
        s->title = column_text(c, stmt, 3);
    }
    db_reset(stmt);
    for (size_t i = 0; i < c->schedule_count; i++) {
        struct catalogue_schedule *s = &c->schedules[i];
        if ((stmt = db_prepare(db, SQL_MILESTONES)) == NULL)
            return false;
        bind_text(stmt, 1, s->identifier);
        db_bind_int64(stmt, 2, s->cohort);
        s->milestone_count = count_rows(stmt);
        s->milestones = arena_alloc(&c->arena, sizeof(*s->milestones) * (s->milestone_count + 1));
        for (size_t m = 0; m < s->milestone_count && db_step(stmt) == DB_ROW; m++) {
            s->milestones[m].declaration_type = column_text(c, stmt, 0);
            s->milestones[m].start_date = column_text(c, stmt, 1);
            s->milestones[m].milestone_date = column_text(c, stmt, 2);
        }
        db_reset(stmt);
    }
    return true;
}

static bool load_catalogue(struct db *db, struct catalogue *c)
{
    struct db_stmt *stmt = db_prepare(db, SQL_COUNT);
    if (stmt == NULL || db_step(stmt) != DB_ROW)
        return false;
    c->level_count = (size_t)db_column_int64(stmt, 0);
    c->strand_count = (size_t)db_column_int64(stmt, 1);
    c->module_count = (size_t)db_column_int64(stmt, 2);
    c->qualification_count = (size_t)db_column_int64(stmt, 3);
    c->framework_count = (size_t)db_column_int64(stmt, 4);
    c->schedule_count = (size_t)db_column_int64(stmt, 5);
    db_reset(stmt);
    c->schedules = arena_alloc(&c->arena, sizeof(*c->schedules) * (c->schedule_count + 1));
    c->levels = arena_alloc(&c->arena, sizeof(*c->levels) * (c->level_count + 1));
    c->strands = arena_alloc(&c->arena, sizeof(*c->strands) * (c->strand_count + 1));
    c->modules = arena_alloc(&c->arena, sizeof(*c->modules) * (c->module_count + 1));
    c->qualifications = arena_alloc(&c->arena, sizeof(*c->qualifications) * (c->qualification_count + 1));
    c->frameworks = arena_alloc(&c->arena, sizeof(*c->frameworks) * (c->framework_count + 1));

    if ((stmt = db_prepare(db, SQL_LEVELS)) == NULL)
        return false;
    for (size_t i = 0; i < c->level_count && db_step(stmt) == DB_ROW; i++) {
        c->levels[i].number = (int)db_column_int64(stmt, 0);
        c->levels[i].title = column_text(c, stmt, 1);
    }
    db_reset(stmt);
    if ((stmt = db_prepare(db, SQL_STRANDS)) == NULL)
        return false;
    for (size_t i = 0; i < c->strand_count && db_step(stmt) == DB_ROW; i++) {
        c->strands[i].code = column_text(c, stmt, 0);
        c->strands[i].title = column_text(c, stmt, 1);
    }
    db_reset(stmt);
    if ((stmt = db_prepare(db, SQL_MODULES)) == NULL)
        return false;
    for (size_t i = 0; i < c->module_count && db_step(stmt) == DB_ROW; i++) {
        struct catalogue_module *m = &c->modules[i];
        m->code = column_text(c, stmt, 0);
        m->title = column_text(c, stmt, 1);
        m->strand = column_text(c, stmt, 2);
        m->level = (int)db_column_int64(stmt, 3);
        m->hours_cap = (int)db_column_int64(stmt, 4);
    }
    db_reset(stmt);
    if ((stmt = db_prepare(db, SQL_QUALIFICATIONS)) == NULL)
        return false;
    for (size_t i = 0; i < c->qualification_count && db_step(stmt) == DB_ROW; i++) {
        struct catalogue_qualification *q = &c->qualifications[i];
        q->code = column_text(c, stmt, 0);
        q->title = column_text(c, stmt, 1);
        q->level = db_column_is_null(stmt, 2) ? 0 : (int)db_column_int64(stmt, 2);
        q->summary = column_text(c, stmt, 3);
        q->framework = column_text(c, stmt, 4);
        q->rule.elective_count = (int)db_column_int64(stmt, 5);
        q->rule.final_assessment = (int)db_column_int64(stmt, 6) != 0;
        q->rule.min_face_to_face_events = (int)db_column_int64(stmt, 7);
        q->rule.min_virtual_events = (int)db_column_int64(stmt, 8);
        q->dfe_course = column_text(c, stmt, 9);
        q->course_group = column_text(c, stmt, 10);
    }
    db_reset(stmt);
    for (size_t i = 0; i < c->qualification_count; i++) {
        struct catalogue_qualification *q = &c->qualifications[i];
        if (!load_rule_modules(db, c, q->code, "essential", &q->rule.essential, &q->rule.essential_count) ||
            !load_rule_modules(db, c, q->code, "elective", &q->rule.elective_from, &q->rule.elective_from_count))
            return false;
    }
    if ((stmt = db_prepare(db, SQL_FRAMEWORKS)) == NULL)
        return false;
    for (size_t i = 0; i < c->framework_count && db_step(stmt) == DB_ROW; i++) {
        c->frameworks[i].code = column_text(c, stmt, 0);
        c->frameworks[i].title = column_text(c, stmt, 1);
    }
    db_reset(stmt);
    for (size_t i = 0; i < c->framework_count; i++) {
        struct catalogue_framework *f = &c->frameworks[i];
        if ((stmt = db_prepare(db, SQL_AREAS)) == NULL)
            return false;
        bind_text(stmt, 1, f->code);
        f->area_count = count_rows(stmt);
        f->areas = arena_alloc(&c->arena, sizeof(*f->areas) * (f->area_count + 1));
        for (size_t a = 0; a < f->area_count && db_step(stmt) == DB_ROW; a++) {
            f->areas[a].number = (int)db_column_int64(stmt, 0);
            f->areas[a].title = column_text(c, stmt, 1);
        }
        db_reset(stmt);
        for (size_t a = 0; a < f->area_count; a++) {
            struct catalogue_area *area = &f->areas[a];
            if (!load_statements(db, c, f->code, area->number, "learn_that", &area->learn_that,
                                 &area->learn_that_count) ||
                !load_statements(db, c, f->code, area->number, "learn_how_to", &area->learn_how_to,
                                 &area->learn_how_to_count))
                return false;
        }
    }
    return load_schedules(db, c);
}

enum store_status store_catalogue_load(struct store *store, struct catalogue **out)
{
    struct db *db = store->db;
    struct catalogue *c = catalogue_new();
    /* One read transaction so the catalogue is a consistent snapshot even during an import. */
    if (!db_begin_read(db))
        goto fail;
    bool ok = load_catalogue(db, c);
    db_commit(db);
    if (!ok)
        goto fail;
    *out = c;
    return STORE_OK;
fail:
    catalogue_free(c);
    return STORE_ERROR;
}

enum store_status store_catalogue_revision(struct store *store, int64_t *revision)
{
    struct db *db = store->db;
    struct db_stmt *stmt = db_prepare(db, SQL_REVISION);
    if (stmt == NULL)
        return STORE_ERROR;
    if (db_step(stmt) != DB_ROW)
        return STORE_ERROR;
    *revision = db_column_int64(stmt, 0);
    db_reset(stmt);
    return STORE_OK;
}
