/*
 * Declarations made for participants and the DfE sync's own records: its configuration, the
 * cursors of its paged pulls, the applications and statements pulled, every call in its log, the
 * outbox of calls that follow from changes in npq, and the lease that lets one server run it.
 */
#include "store/store_internal.h"

#include "lib/date.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* Declarations */

#define DECLARATION_COLUMNS                                                                                            \
    "SELECT d.id, d.enrolment_id, u.name, COALESCE(q.dfe_course, ''),"                                                 \
    " COALESCE((SELECT a.participant_id FROM dfe_applications a WHERE a.enrolment_id = d.enrolment_id"                 \
    " ORDER BY a.dfe_updated_at DESC LIMIT 1), ''),"                                                                   \
    " d.declaration_type, d.declaration_date, d.state, d.evidence, COALESCE(d.dfe_id, ''), d.dfe_message,"             \
    " COALESCE(d.statement_id, ''), COALESCE(d.has_passed, 0),"                                                        \
    " COALESCE(d.approved_at, 0), COALESCE(d.submit_begun_at, 0), COALESCE(d.submitted_at, 0),"                        \
    " COALESCE(d.void_requested_at, 0), d.updated_at, COALESCE(p.dfe_delivery_partner_id, ''), COALESCE(p.name, '')"   \
    " FROM declarations d JOIN enrolments e ON e.id = d.enrolment_id JOIN users u ON u.id = e.participant_id"          \
    " LEFT JOIN qualifications q ON e.kind = 'qualification' AND q.code = e.target"                                    \
    " LEFT JOIN cohorts c ON c.id = e.cohort_id LEFT JOIN organisations p ON p.id = c.delivery_partner_id"

static const char *const SQL_DECLARATIONS[] = {
    [DECLARATIONS_OF_ENROLMENT] = DECLARATION_COLUMNS " WHERE d.enrolment_id = ?1 ORDER BY d.id DESC",
    [DECLARATIONS_OF_PARTICIPANT] = DECLARATION_COLUMNS " WHERE e.participant_id = ?1 ORDER BY d.id DESC",
    [DECLARATIONS_ALL] = DECLARATION_COLUMNS " ORDER BY d.id DESC LIMIT 500",
    [DECLARATIONS_TO_SUBMIT] = DECLARATION_COLUMNS
    " WHERE d.state = 'due' AND d.approved_at IS NOT NULL AND d.dfe_id IS NULL AND d.dfe_message = ''"
    " ORDER BY d.id",
    [DECLARATIONS_TO_VOID] =
        DECLARATION_COLUMNS " WHERE d.void_requested_at IS NOT NULL AND d.dfe_id IS NOT NULL ORDER BY d.id",
    [DECLARATIONS_COMPLETED_AT_DFE] = DECLARATION_COLUMNS
    " WHERE d.declaration_type = 'completed' AND d.dfe_id IS NOT NULL AND d.void_requested_at IS NULL"
    " AND d.state NOT IN ('voided', 'ineligible', 'awaiting_clawback', 'clawed_back') ORDER BY d.id",
};
static const char SQL_DECLARATION_GET[] = DECLARATION_COLUMNS " WHERE d.id = ?1";

static void declaration_read(struct db_stmt *stmt, struct arena *arena, struct declaration *d)
{
    d->id = db_column_int64(stmt, 0);
    d->enrolment_id = db_column_int64(stmt, 1);
    d->participant_name = store_text_or_empty(arena, stmt, 2);
    d->course_identifier = store_text_or_empty(arena, stmt, 3);
    d->participant_id = store_text_or_empty(arena, stmt, 4);
    d->declaration_type = store_text_or_empty(arena, stmt, 5);
    d->declaration_date = store_text_or_empty(arena, stmt, 6);
    if (!dfe_declaration_state_parse(db_column_text(stmt, 7), &d->state))
        d->state = DFE_DECLARATION_DUE;
    d->evidence = store_text_or_empty(arena, stmt, 8);
    d->dfe_id = store_text_or_empty(arena, stmt, 9);
    d->dfe_message = store_text_or_empty(arena, stmt, 10);
    d->statement_id = store_text_or_empty(arena, stmt, 11);
    d->has_passed = db_column_int64(stmt, 12) != 0;
    d->approved_at = db_column_int64(stmt, 13);
    d->submit_begun_at = db_column_int64(stmt, 14);
    d->submitted_at = db_column_int64(stmt, 15);
    d->void_requested_at = db_column_int64(stmt, 16);
    d->updated_at = db_column_int64(stmt, 17);
    d->delivery_partner_id = store_text_or_empty(arena, stmt, 18);
    d->delivery_partner_name = store_text_or_empty(arena, stmt, 19);
}

enum store_status store_declarations_list(struct store *store, enum declaration_list which, int64_t enrolment_id,
                                          struct arena *arena, struct declaration **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_DECLARATIONS[which]);
    if (stmt == NULL)
        return STORE_ERROR;
    if (which == DECLARATIONS_OF_ENROLMENT || which == DECLARATIONS_OF_PARTICIPANT)
        db_bind_int64(stmt, 1, enrolment_id);
    size_t cap = 8;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        declaration_read(stmt, arena, &(*out)[(*count)++]);
    }
    db_reset(stmt);
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_declaration_get(struct store *store, int64_t id, struct arena *arena, struct declaration *out)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_DECLARATION_GET);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    enum db_result r = db_step(stmt);
    if (r == DB_ROW)
        declaration_read(stmt, arena, out);
    db_reset(stmt);
    return r == DB_ROW ? STORE_OK : r == DB_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

static const char SQL_DECLARATION_APPROVE[] =
    "INSERT INTO declarations (enrolment_id, declaration_type, declaration_date, state, evidence, created_by,"
    " created_at, updated_at, approved_by, approved_at, has_passed)"
    " VALUES (?1, ?2, ?3, 'due', ?4, ?5, ?6, ?6, ?5, ?6, ?7)";

enum store_status store_declaration_approve(struct store *store, const struct actor *actor, int64_t enrolment_id,
                                            const char *declaration_type, const char *declaration_date,
                                            const char *evidence, bool passed, int64_t now, int64_t *id)
{
    bool completed = strcmp(declaration_type, "completed") == 0;
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_DECLARATION_APPROVE);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, enrolment_id);
        db_bind_text(stmt, 2, declaration_type);
        db_bind_text(stmt, 3, declaration_date);
        db_bind_text(stmt, 4, evidence ? evidence : "");
        store_bind_id(stmt, 5, actor->user_id);
        db_bind_int64(stmt, 6, now);
        if (completed)
            db_bind_int64(stmt, 7, passed ? 1 : 0);
        enum db_result r = db_exec_stmt(stmt);
        status = r == DB_DONE ? STORE_OK : r == DB_CONSTRAINT ? STORE_CONFLICT : STORE_ERROR;
    }
    if (status == STORE_OK) {
        *id = db_last_insert_id(store->db);
        status = store_audit_json(store, actor, "declaration.approve", "enrolment", enrolment_id, NULL,
                                  json_pack("{s:I, s:s, s:s}", "declaration_id", (json_int_t)*id, "declaration_type",
                                            declaration_type, "declaration_date", declaration_date),
                                  now);
    }
    return store_tx_end(store, status);
}

/* One UPDATE of one declaration (?1 its id, ?2 now, then up to three texts, NULL ones not bound) in
 * a transaction of its own: STORE_NOT_FOUND when no row moved. */
static enum store_status update_one(struct store *store, const char *sql, int64_t id, const char *text1,
                                    const char *text2, const char *text3, int64_t now)
{
    const char *texts[] = {text1, text2, text3};
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, sql);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, id);
        db_bind_int64(stmt, 2, now);
        for (int i = 0; i < 3 && texts[i] != NULL; i++)
            db_bind_text(stmt, 3 + i, texts[i]);
        enum db_result r = db_exec_stmt(stmt);
        status = r == DB_DONE         ? (db_changes(store->db) > 0 ? STORE_OK : STORE_NOT_FOUND)
                 : r == DB_CONSTRAINT ? STORE_CONFLICT
                                      : STORE_ERROR;
    }
    return store_tx_end(store, status);
}

static const char SQL_DECLARATION_OUTCOME_SET[] =
    "UPDATE declarations SET has_passed = ?3, updated_at = ?2 WHERE id = ?1 AND declaration_type = 'completed'"
    " AND has_passed = 1 - ?3";

enum store_status store_declaration_outcome_set(struct store *store, const struct actor *actor, int64_t id, bool passed,
                                                int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_DECLARATION_OUTCOME_SET);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, id);
        db_bind_int64(stmt, 2, now);
        db_bind_int64(stmt, 3, passed ? 1 : 0);
        enum db_result r = db_exec_stmt(stmt);
        status = r != DB_DONE ? STORE_ERROR : db_changes(store->db) > 0 ? STORE_OK : STORE_CONFLICT;
    }
    if (status == STORE_OK)
        status = store_audit_json(store, actor, "declaration.outcome", "declaration", id, NULL,
                                  json_pack("{s:s}", "outcome", passed ? "passed" : "failed"), now);
    return store_tx_end(store, status);
}

/* The latest released result of the enrolment's final assessment. */
static const char SQL_FINAL_RESULT[] =
    "SELECT r.outcome, r.released_at, t.title FROM submissions s"
    " JOIN assessment_tasks t ON t.id = s.task_id AND t.kind = 'final'"
    " JOIN submission_versions v ON v.submission_id = s.id JOIN results r ON r.version_id = v.id"
    " WHERE s.enrolment_id = ?1 AND s.state = 'released' ORDER BY r.released_at DESC, v.id DESC LIMIT 1";

enum store_status store_final_result(struct store *store, int64_t enrolment_id, struct arena *arena, bool *found,
                                     const char **released_on, const char **title, bool *passed)
{
    *found = false;
    struct db_stmt *stmt = db_prepare(store->db, SQL_FINAL_RESULT);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, enrolment_id);
    enum db_result r = db_step(stmt);
    if (r == DB_ROW) {
        *found = true;
        *passed = strcmp(db_column_text(stmt, 0), "pass") == 0;
        char *day = arena_alloc(arena, DATE_TEXT);
        date_of(db_column_int64(stmt, 1), day);
        *released_on = day;
        *title = store_text_or_empty(arena, stmt, 2);
    }
    db_reset(stmt);
    return r == DB_ROW || r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_declaration_submit_begin(struct store *store, int64_t id, int64_t now)
{
    return update_one(store,
                      "UPDATE declarations SET submit_begun_at = ?2, updated_at = ?2 WHERE id = ?1 AND dfe_id IS NULL",
                      id, NULL, NULL, NULL, now);
}

enum store_status store_declaration_accepted(struct store *store, int64_t id, const char *dfe_id,
                                             enum dfe_declaration_state state, const char *statement_id, int64_t now)
{
    return update_one(store,
                      "UPDATE declarations SET dfe_id = ?3, state = ?4, statement_id = NULLIF(?5, ''),"
                      " submitted_at = ?2, updated_at = ?2, dfe_message = '' WHERE id = ?1",
                      id, dfe_id, dfe_declaration_state_name(state), statement_id ? statement_id : "", now);
}

enum store_status store_declaration_refused(struct store *store, int64_t id, const char *message, int64_t now)
{
    return update_one(store,
                      "UPDATE declarations SET dfe_message = ?3, submit_begun_at = NULL, updated_at = ?2 WHERE id = ?1",
                      id, message, NULL, NULL, now);
}

static const char SQL_DECLARATION_BY_DFE_ID[] = "SELECT id, state FROM declarations WHERE dfe_id = ?1";

enum store_status store_declaration_reported(struct store *store, const char *dfe_id, enum dfe_declaration_state state,
                                             const char *statement_id, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    int64_t id = 0;
    enum dfe_declaration_state from = DFE_DECLARATION_DUE;
    struct db_stmt *stmt = db_prepare(store->db, SQL_DECLARATION_BY_DFE_ID);
    if (stmt != NULL) {
        db_bind_text(stmt, 1, dfe_id);
        enum db_result r = db_step(stmt);
        if (r == DB_ROW) {
            id = db_column_int64(stmt, 0);
            status = dfe_declaration_state_parse(db_column_text(stmt, 1), &from) ? STORE_OK : STORE_ERROR;
        } else if (r == DB_DONE) {
            status = STORE_NOT_FOUND;
        }
        db_reset(stmt);
    }
    if (status == STORE_OK && !dfe_declaration_state_follows(from, state))
        status = STORE_CONFLICT;
    /* A void the DfE reports is the void asked for, done. */
    if (status == STORE_OK &&
        (stmt = db_prepare(store->db, "UPDATE declarations SET state = ?2, statement_id = COALESCE(NULLIF(?3,"
                                      " ''), statement_id), updated_at = ?4, void_requested_at = CASE WHEN"
                                      " ?2 IN ('voided', 'awaiting_clawback', 'clawed_back') THEN NULL"
                                      " ELSE void_requested_at END WHERE id = ?1")) != NULL) {
        db_bind_int64(stmt, 1, id);
        db_bind_text(stmt, 2, dfe_declaration_state_name(state));
        db_bind_text(stmt, 3, statement_id ? statement_id : "");
        db_bind_int64(stmt, 4, now);
        status = db_exec_stmt(stmt) == DB_DONE ? STORE_OK : STORE_ERROR;
    } else if (status == STORE_OK) {
        status = STORE_ERROR;
    }
    return store_tx_end(store, status);
}

enum store_status store_declaration_void(struct store *store, const struct actor *actor, int64_t id,
                                         enum dfe_declaration_state from, enum dfe_declaration_state after, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    /* Never sent (and no submission begun that might have reached the DfE): voided here alone. */
    struct db_stmt *stmt = db_prepare(
        store->db, "UPDATE declarations SET state = CASE WHEN dfe_id IS NULL AND submit_begun_at IS NULL THEN ?3"
                   " ELSE state END, void_requested_at = CASE WHEN dfe_id IS NULL AND submit_begun_at IS NULL THEN"
                   " NULL ELSE ?4 END, approved_at = CASE WHEN dfe_id IS NULL AND submit_begun_at IS NULL THEN NULL"
                   " ELSE approved_at END, updated_at = ?4 WHERE id = ?1 AND state = ?2 AND void_requested_at IS NULL"
                   " RETURNING enrolment_id");
    int64_t enrolment_id = 0;
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, id);
        db_bind_text(stmt, 2, dfe_declaration_state_name(from));
        db_bind_text(stmt, 3, dfe_declaration_state_name(after));
        db_bind_int64(stmt, 4, now);
        enum db_result r = db_step(stmt);
        if (r == DB_ROW)
            enrolment_id = db_column_int64(stmt, 0);
        status = r == DB_ROW ? STORE_OK : r == DB_DONE ? STORE_CONFLICT : STORE_ERROR;
        db_reset(stmt);
    }
    if (status == STORE_OK)
        status = store_audit_json(
            store, actor, "declaration.void", "enrolment", enrolment_id,
            json_pack("{s:I, s:s}", "declaration_id", (json_int_t)id, "state", dfe_declaration_state_name(from)), NULL,
            now);
    return store_tx_end(store, status);
}

enum store_status store_declaration_retry(struct store *store, const struct actor *actor, int64_t id, int64_t now)
{
    (void)actor;
    return update_one(store,
                      "UPDATE declarations SET dfe_message = '', approved_at = ?2, updated_at = ?2 WHERE id = ?1"
                      " AND state = 'due' AND dfe_id IS NULL",
                      id, NULL, NULL, NULL, now);
}

/* Configuration */

enum store_status store_dfe_config_get(struct store *store, struct arena *arena, struct dfe_config *out)
{
    struct db_stmt *stmt = db_prepare(
        store->db, "SELECT base_url, token, auto_submit, requests_per_minute, updated_at FROM dfe_config WHERE id = 1");
    if (stmt == NULL)
        return STORE_ERROR;
    enum db_result r = db_step(stmt);
    if (r == DB_ROW) {
        out->base_url = store_text_or_empty(arena, stmt, 0);
        out->token = store_text_or_empty(arena, stmt, 1);
        out->auto_submit = db_column_int64(stmt, 2) != 0;
        out->requests_per_minute = (int)db_column_int64(stmt, 3);
        out->updated_at = db_column_int64(stmt, 4);
    }
    db_reset(stmt);
    return r == DB_ROW ? STORE_OK : r == DB_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

enum store_status store_dfe_config_set(struct store *store, const struct actor *actor, const struct dfe_config *config,
                                       int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(
        store->db, "INSERT INTO dfe_config (id, base_url, token, auto_submit, requests_per_minute, updated_at)"
                   " VALUES (1, ?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO UPDATE SET base_url = excluded.base_url,"
                   " token = excluded.token, auto_submit = excluded.auto_submit,"
                   " requests_per_minute = excluded.requests_per_minute, updated_at = excluded.updated_at");
    if (stmt != NULL) {
        db_bind_text(stmt, 1, config->base_url);
        db_bind_text(stmt, 2, config->token);
        db_bind_int64(stmt, 3, config->auto_submit ? 1 : 0);
        db_bind_int64(stmt, 4, config->requests_per_minute);
        db_bind_int64(stmt, 5, now);
        status = db_exec_stmt(stmt) == DB_DONE ? STORE_OK : STORE_ERROR;
    }
    /* The token is a secret: the audit says it changed, never what it is. */
    if (status == STORE_OK)
        status = store_audit_json(store, actor, "dfe.configure", "dfe", 1, NULL,
                                  json_pack("{s:s, s:b, s:i}", "base_url", config->base_url, "auto_submit",
                                            config->auto_submit, "requests_per_minute", config->requests_per_minute),
                                  now);
    return store_tx_end(store, status);
}

/* Cursors */

enum store_status store_dfe_cursor_get(struct store *store, const char *name, struct arena *arena,
                                       struct dfe_cursor *out)
{
    struct db_stmt *stmt =
        db_prepare(store->db, "SELECT updated_since, next_page, next_since FROM dfe_sync_cursors WHERE name = ?1");
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_text(stmt, 1, name);
    *out = (struct dfe_cursor){"", 1, ""};
    enum db_result r = db_step(stmt);
    if (r == DB_ROW) {
        out->updated_since = store_text_or_empty(arena, stmt, 0);
        out->next_page = (int)db_column_int64(stmt, 1);
        out->next_since = store_text_or_empty(arena, stmt, 2);
    }
    db_reset(stmt);
    return r == DB_ROW || r == DB_DONE ? STORE_OK : STORE_ERROR;
}

static enum store_status cursor_write(struct store *store, const char *name, const struct dfe_cursor *cursor,
                                      int64_t now)
{
    struct db_stmt *stmt =
        db_prepare(store->db, "INSERT INTO dfe_sync_cursors (name, updated_since, next_page, next_since, finished_at)"
                              " VALUES (?1, ?2, ?3, ?4, CASE WHEN ?3 = 1 THEN ?5 END) ON CONFLICT (name) DO UPDATE SET"
                              " updated_since = excluded.updated_since, next_page = excluded.next_page,"
                              " next_since = excluded.next_since,"
                              " finished_at = COALESCE(excluded.finished_at, dfe_sync_cursors.finished_at)");
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_text(stmt, 1, name);
    db_bind_text(stmt, 2, cursor->updated_since);
    db_bind_int64(stmt, 3, cursor->next_page);
    db_bind_text(stmt, 4, cursor->next_since);
    db_bind_int64(stmt, 5, now);
    return db_exec_stmt(stmt) == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_dfe_cursor_set(struct store *store, const char *name, const struct dfe_cursor *cursor,
                                       int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    return store_tx_end(store, cursor_write(store, name, cursor, now));
}

/* Applications */

static const char SQL_DFE_APPLICATION_PUT[] =
    "INSERT INTO dfe_applications (dfe_id, participant_id, course_identifier, email, full_name, status, cohort,"
    " schedule_identifier, dfe_updated_at, synced_at, enrolment_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
    " (SELECT e.id FROM enrolments e JOIN users u ON u.id = e.participant_id JOIN qualifications q"
    " ON e.kind = 'qualification' AND q.code = e.target WHERE u.email = ?4 AND q.dfe_course = ?3"
    " ORDER BY e.id DESC LIMIT 1))"
    " ON CONFLICT (dfe_id) DO UPDATE SET participant_id = excluded.participant_id,"
    " course_identifier = excluded.course_identifier, email = excluded.email, full_name = excluded.full_name,"
    " status = excluded.status, cohort = excluded.cohort, schedule_identifier = excluded.schedule_identifier,"
    " dfe_updated_at = excluded.dfe_updated_at, synced_at = excluded.synced_at,"
    " enrolment_id = COALESCE(excluded.enrolment_id, dfe_applications.enrolment_id)";

enum store_status store_dfe_applications_put(struct store *store, const struct dfe_application_row *rows, size_t count,
                                             const char *cursor_name, const struct dfe_cursor *cursor, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_OK;
    for (size_t i = 0; status == STORE_OK && i < count; i++) {
        struct db_stmt *stmt = db_prepare(store->db, SQL_DFE_APPLICATION_PUT);
        if (stmt == NULL) {
            status = STORE_ERROR;
            break;
        }
        const struct dfe_application_row *a = &rows[i];
        db_bind_text(stmt, 1, a->dfe_id);
        db_bind_text(stmt, 2, a->participant_id);
        db_bind_text(stmt, 3, a->course_identifier);
        db_bind_text(stmt, 4, a->email);
        db_bind_text(stmt, 5, a->full_name);
        db_bind_text(stmt, 6, a->status);
        db_bind_text(stmt, 7, a->cohort ? a->cohort : "");
        db_bind_text(stmt, 8, a->schedule_identifier ? a->schedule_identifier : "");
        db_bind_text(stmt, 9, a->dfe_updated_at);
        db_bind_int64(stmt, 10, now);
        status = db_exec_stmt(stmt) == DB_DONE ? STORE_OK : STORE_ERROR;
    }
    if (status == STORE_OK)
        status = cursor_write(store, cursor_name, cursor, now);
    return store_tx_end(store, status);
}

enum store_status store_dfe_applications_list(struct store *store, struct arena *arena,
                                              struct dfe_application_row **out, size_t *count)
{
    struct db_stmt *stmt =
        db_prepare(store->db, "SELECT dfe_id, participant_id, course_identifier, email, full_name, status, cohort,"
                              " schedule_identifier, dfe_updated_at, COALESCE(enrolment_id, 0) FROM dfe_applications"
                              " ORDER BY dfe_updated_at DESC, dfe_id LIMIT 500");
    if (stmt == NULL)
        return STORE_ERROR;
    size_t cap = 8;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        struct dfe_application_row *a = &(*out)[(*count)++];
        a->dfe_id = store_text_or_empty(arena, stmt, 0);
        a->participant_id = store_text_or_empty(arena, stmt, 1);
        a->course_identifier = store_text_or_empty(arena, stmt, 2);
        a->email = store_text_or_empty(arena, stmt, 3);
        a->full_name = store_text_or_empty(arena, stmt, 4);
        a->status = store_text_or_empty(arena, stmt, 5);
        a->cohort = store_text_or_empty(arena, stmt, 6);
        a->schedule_identifier = store_text_or_empty(arena, stmt, 7);
        a->dfe_updated_at = store_text_or_empty(arena, stmt, 8);
        a->enrolment_id = db_column_int64(stmt, 9);
    }
    db_reset(stmt);
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

/* Statements */

enum store_status store_dfe_statements_put(struct store *store, const struct dfe_statement_row *rows, size_t count,
                                           int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_OK;
    for (size_t i = 0; status == STORE_OK && i < count; i++) {
        struct db_stmt *stmt = db_prepare(
            store->db, "INSERT INTO dfe_statements (dfe_id, month, year, cohort, cut_off_date, payment_date, paid,"
                       " synced_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (dfe_id) DO UPDATE SET"
                       " month = excluded.month, year = excluded.year, cohort = excluded.cohort,"
                       " cut_off_date = excluded.cut_off_date, payment_date = excluded.payment_date,"
                       " paid = excluded.paid, synced_at = excluded.synced_at");
        if (stmt == NULL) {
            status = STORE_ERROR;
            break;
        }
        const struct dfe_statement_row *s = &rows[i];
        db_bind_text(stmt, 1, s->dfe_id);
        db_bind_text(stmt, 2, s->month);
        db_bind_text(stmt, 3, s->year);
        db_bind_text(stmt, 4, s->cohort);
        db_bind_text(stmt, 5, s->cut_off_date);
        db_bind_text(stmt, 6, s->payment_date);
        db_bind_int64(stmt, 7, s->paid ? 1 : 0);
        db_bind_int64(stmt, 8, now);
        status = db_exec_stmt(stmt) == DB_DONE ? STORE_OK : STORE_ERROR;
    }
    return store_tx_end(store, status);
}

enum store_status store_dfe_statements_list(struct store *store, struct arena *arena, struct dfe_statement_row **out,
                                            size_t *count)
{
    struct db_stmt *stmt =
        db_prepare(store->db, "SELECT dfe_id, month, year, cohort, cut_off_date, payment_date, paid FROM"
                              " dfe_statements ORDER BY payment_date DESC, dfe_id LIMIT 200");
    if (stmt == NULL)
        return STORE_ERROR;
    size_t cap = 8;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        struct dfe_statement_row *s = &(*out)[(*count)++];
        s->dfe_id = store_text_or_empty(arena, stmt, 0);
        s->month = store_text_or_empty(arena, stmt, 1);
        s->year = store_text_or_empty(arena, stmt, 2);
        s->cohort = store_text_or_empty(arena, stmt, 3);
        s->cut_off_date = store_text_or_empty(arena, stmt, 4);
        s->payment_date = store_text_or_empty(arena, stmt, 5);
        s->paid = db_column_int64(stmt, 6) != 0;
    }
    db_reset(stmt);
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

/* The log */

enum store_status store_dfe_log_add(struct store *store, const struct dfe_log_entry *e)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(
        store->db, "INSERT INTO dfe_sync_log (at, method, path, request_body, status, response_body, error, attempt,"
                   " duration_ms, declaration_id, enrolment_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, e->at);
        db_bind_text(stmt, 2, e->method);
        db_bind_text(stmt, 3, e->path);
        db_bind_text(stmt, 4, e->request_body ? e->request_body : "");
        db_bind_int64(stmt, 5, e->status);
        db_bind_text(stmt, 6, e->response_body ? e->response_body : "");
        db_bind_text(stmt, 7, e->error ? e->error : "");
        db_bind_int64(stmt, 8, e->attempt);
        db_bind_int64(stmt, 9, e->duration_ms);
        store_bind_id(stmt, 10, e->declaration_id);
        store_bind_id(stmt, 11, e->enrolment_id);
        status = db_exec_stmt(stmt) == DB_DONE ? STORE_OK : STORE_ERROR;
    }
    return store_tx_end(store, status);
}

enum store_status store_dfe_log_list(struct store *store, int64_t declaration_id, int64_t before_id, int limit,
                                     struct arena *arena, struct dfe_log_entry **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(
        store->db, "SELECT id, at, method, path, request_body, status, response_body, error, attempt, duration_ms,"
                   " COALESCE(declaration_id, 0), COALESCE(enrolment_id, 0) FROM dfe_sync_log"
                   " WHERE (?1 = 0 OR declaration_id = ?1) AND (?2 = 0 OR id < ?2) ORDER BY id DESC LIMIT ?3");
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, declaration_id);
    db_bind_int64(stmt, 2, before_id);
    db_bind_int64(stmt, 3, limit);
    size_t cap = 16;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        struct dfe_log_entry *e = &(*out)[(*count)++];
        e->id = db_column_int64(stmt, 0);
        e->at = db_column_int64(stmt, 1);
        e->method = store_text_or_empty(arena, stmt, 2);
        e->path = store_text_or_empty(arena, stmt, 3);
        e->request_body = store_text_or_empty(arena, stmt, 4);
        e->status = (int)db_column_int64(stmt, 5);
        e->response_body = store_text_or_empty(arena, stmt, 6);
        e->error = store_text_or_empty(arena, stmt, 7);
        e->attempt = (int)db_column_int64(stmt, 8);
        e->duration_ms = db_column_int64(stmt, 9);
        e->declaration_id = db_column_int64(stmt, 10);
        e->enrolment_id = db_column_int64(stmt, 11);
    }
    db_reset(stmt);
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

/* The outbox */

enum store_status store_dfe_outbox_add(struct store *store, const char *method, const char *path, const char *body,
                                       int64_t enrolment_id, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(
        store->db, "INSERT INTO dfe_outbox (method, path, body, enrolment_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (stmt != NULL) {
        db_bind_text(stmt, 1, method);
        db_bind_text(stmt, 2, path);
        db_bind_text(stmt, 3, body ? body : "");
        store_bind_id(stmt, 4, enrolment_id);
        db_bind_int64(stmt, 5, now);
        status = db_exec_stmt(stmt) == DB_DONE ? STORE_OK : STORE_ERROR;
    }
    return store_tx_end(store, status);
}

enum store_status store_dfe_participant_of(struct store *store, int64_t enrolment_id, struct arena *arena,
                                           const char **participant_id, const char **course_identifier)
{
    struct db_stmt *stmt = db_prepare(store->db, "SELECT participant_id, course_identifier FROM dfe_applications"
                                                 " WHERE enrolment_id = ?1 ORDER BY dfe_updated_at DESC LIMIT 1");
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, enrolment_id);
    enum db_result r = db_step(stmt);
    if (r == DB_ROW) {
        *participant_id = store_text_or_empty(arena, stmt, 0);
        *course_identifier = store_text_or_empty(arena, stmt, 1);
    }
    db_reset(stmt);
    return r == DB_ROW ? STORE_OK : r == DB_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

enum store_status store_dfe_application_of(struct store *store, const char *email, const char *course_identifier,
                                           struct arena *arena, const char **dfe_id)
{
    struct db_stmt *stmt = db_prepare(store->db, "SELECT dfe_id FROM dfe_applications WHERE email = ?1"
                                                 " AND course_identifier = ?2 ORDER BY dfe_updated_at DESC LIMIT 1");
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_text(stmt, 1, email);
    db_bind_text(stmt, 2, course_identifier);
    enum db_result r = db_step(stmt);
    if (r == DB_ROW)
        *dfe_id = store_text_or_empty(arena, stmt, 0);
    db_reset(stmt);
    return r == DB_ROW ? STORE_OK : r == DB_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

enum store_status store_dfe_outbox_pending(struct store *store, struct arena *arena, struct dfe_outbox_entry **out,
                                           size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, "SELECT id, method, path, body, COALESCE(enrolment_id, 0) FROM"
                                                 " dfe_outbox WHERE sent_at IS NULL ORDER BY id LIMIT 100");
    if (stmt == NULL)
        return STORE_ERROR;
    size_t cap = 8;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        struct dfe_outbox_entry *e = &(*out)[(*count)++];
        e->id = db_column_int64(stmt, 0);
        e->method = store_text_or_empty(arena, stmt, 1);
        e->path = store_text_or_empty(arena, stmt, 2);
        e->body = store_text_or_empty(arena, stmt, 3);
        e->enrolment_id = db_column_int64(stmt, 4);
    }
    db_reset(stmt);
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_dfe_outbox_done(struct store *store, int64_t id, int status_code, const char *message,
                                        int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt =
        db_prepare(store->db, "UPDATE dfe_outbox SET sent_at = ?2, status = ?3, dfe_message = ?4 WHERE id = ?1");
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, id);
        db_bind_int64(stmt, 2, now);
        db_bind_int64(stmt, 3, status_code);
        db_bind_text(stmt, 4, message ? message : "");
        status = db_exec_stmt(stmt) == DB_DONE ? STORE_OK : STORE_ERROR;
    }
    return store_tx_end(store, status);
}

/* The lease */

enum store_status store_dfe_lease_take(struct store *store, const char *holder, const char *gone_holder, int64_t now,
                                       int64_t seconds)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    /* One statement decides, so two servers asking at once cannot both win. */
    struct db_stmt *stmt = db_prepare(
        store->db, "INSERT INTO dfe_sync_lease (id, holder, until) VALUES (1, ?1, ?2) ON CONFLICT (id) DO UPDATE SET"
                   " holder = excluded.holder, until = excluded.until WHERE dfe_sync_lease.until <= ?3"
                   " OR dfe_sync_lease.holder = excluded.holder OR dfe_sync_lease.holder = ?4");
    if (stmt != NULL) {
        db_bind_text(stmt, 1, holder);
        db_bind_int64(stmt, 2, now + seconds);
        db_bind_int64(stmt, 3, now);
        db_bind_text(stmt, 4, gone_holder ? gone_holder : "");
        enum db_result r = db_exec_stmt(stmt);
        status = r != DB_DONE ? STORE_ERROR : db_changes(store->db) > 0 ? STORE_OK : STORE_CONFLICT;
    }
    return store_tx_end(store, status);
}

enum store_status store_dfe_lease_give_back(struct store *store, const char *holder, const char *result, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, "UPDATE dfe_sync_lease SET until = 0, last_run_at = ?2,"
                                                 " last_result = ?3 WHERE id = 1 AND holder = ?1");
    if (stmt != NULL) {
        db_bind_text(stmt, 1, holder);
        db_bind_int64(stmt, 2, now);
        db_bind_text(stmt, 3, result ? result : "");
        status = db_exec_stmt(stmt) == DB_DONE ? STORE_OK : STORE_ERROR;
    }
    return store_tx_end(store, status);
}

enum store_status store_dfe_last_sync(struct store *store, struct arena *arena, int64_t *at, const char **result)
{
    struct db_stmt *stmt =
        db_prepare(store->db, "SELECT COALESCE(last_run_at, 0), last_result FROM dfe_sync_lease WHERE id = 1");
    if (stmt == NULL)
        return STORE_ERROR;
    *at = 0;
    *result = "";
    enum db_result r = db_step(stmt);
    if (r == DB_ROW) {
        *at = db_column_int64(stmt, 0);
        *result = store_text_or_empty(arena, stmt, 1);
    }
    db_reset(stmt);
    return r == DB_ROW || r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_dfe_lease_holder(struct store *store, struct arena *arena, const char **current)
{
    struct db_stmt *stmt = db_prepare(store->db, "SELECT holder FROM dfe_sync_lease WHERE id = 1");
    if (stmt == NULL)
        return STORE_ERROR;
    *current = "";
    enum db_result r = db_step(stmt);
    if (r == DB_ROW)
        *current = store_text_or_empty(arena, stmt, 0);
    db_reset(stmt);
    return r == DB_ROW || r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_enrolments_on_schedule(struct store *store, struct arena *arena, int64_t **ids, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, "SELECT id FROM enrolments WHERE schedule_identifier IS NOT NULL"
                                                 " AND state <> 'withdrawn' ORDER BY id LIMIT 5000");
    if (stmt == NULL)
        return STORE_ERROR;
    size_t cap = 16;
    *ids = arena_alloc(arena, sizeof(**ids) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *ids = arena_grow(arena, *ids, &cap, sizeof(**ids));
        (*ids)[(*count)++] = db_column_int64(stmt, 0);
    }
    db_reset(stmt);
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}
