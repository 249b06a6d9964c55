/*
 * Awards, Master's credits and what a transcript reads, in the database. Kept apart from the
 * submissions and marking code (store_assessment.c) because an award only reads assessment
 * results: it looks at the tables directly, so it depends on no other assessment code.
 *
 * An award's certificate number carries the award's own id as its serial. The row is written
 * first with a placeholder (its verification code, unique and secret, so the placeholder can
 * never collide) and numbered in the same transaction, so a number is never reused or skipped
 * over by a concurrent award.
 */
#include "domain/assessment.h"
#include "store/store_internal.h"

#include <jansson.h>
#include <string.h>

/* Evidence */

/* Any released pass for a final task of the qualification. The participant's, not only this
 * enrolment's: like a completed module, a passed final assessment belongs to the person, so it
 * still counts after they withdraw and enrol again. results holds released results only. */
static const char SQL_FINAL_PASSED[] =
    "SELECT EXISTS (SELECT 1 FROM results r JOIN submission_versions v ON v.id = r.version_id"
    " JOIN submissions s ON s.id = v.submission_id JOIN assessment_tasks t ON t.id = s.task_id"
    " WHERE s.participant_id = ?1 AND t.kind = 'final' AND t.target = ?2 AND r.outcome = 'pass')";
/* Events attended, by kind, in the enrolment's cohort and the cohorts it left by deferring. */
static const char SQL_ATTENDED[] =
    "SELECT count(*) FILTER (WHERE ev.kind = 'face_to_face'), count(*) FILTER (WHERE ev.kind = 'virtual_live')"
    " FROM attendance a JOIN events ev ON ev.id = a.event_id"
    " WHERE a.user_id = ?2 AND a.mark IN ('present', 'late') AND ev.cancelled_at IS NULL"
    " AND ev.cohort_id IN (SELECT cohort_id FROM enrolments WHERE id = ?1 AND cohort_id IS NOT NULL"
    "     UNION SELECT cohort_id FROM enrolment_events WHERE enrolment_id = ?1 AND cohort_id IS NOT NULL)";

enum store_status store_award_evidence(struct store *store, int64_t enrolment_id, int64_t participant_id,
                                       const char *qualification, struct award_evidence *out)
{
    memset(out, 0, sizeof(*out));
    struct db_stmt *stmt = db_prepare(store->db, SQL_FINAL_PASSED);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, participant_id);
    db_bind_text(stmt, 2, qualification);
    if (db_step(stmt) != DB_ROW)
        return STORE_ERROR;
    out->final_assessment_passed = db_column_int64(stmt, 0) != 0;
    db_reset(stmt);

    if ((stmt = db_prepare(store->db, SQL_ATTENDED)) == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, enrolment_id);
    db_bind_int64(stmt, 2, participant_id);
    if (db_step(stmt) != DB_ROW)
        return STORE_ERROR;
    out->face_to_face_attended = (int)db_column_int64(stmt, 0);
    out->virtual_attended = (int)db_column_int64(stmt, 1);
    db_reset(stmt);
    return STORE_OK;
}

/* Awards */

#define AWARD_COLUMNS                                                                                                  \
    "a.id, a.certificate_number, a.verification_code, a.participant_id, u.name, u.email, a.enrolment_id,"              \
    " a.qualification, a.awarded_on, coalesce(a.awarded_by, 0), a.created_at"
#define AWARD_JOINS " FROM awards a JOIN users u ON u.id = a.participant_id"

static const char SQL_AWARD_INSERT[] =
    "INSERT INTO awards (certificate_number, verification_code, participant_id, enrolment_id, qualification,"
    " awarded_on, awarded_by, created_at) VALUES ('pending ' || ?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_AWARD_NUMBER[] = "UPDATE awards SET certificate_number = ?2 WHERE id = ?1";
static const char SQL_AWARD_GET[] = "SELECT " AWARD_COLUMNS AWARD_JOINS " WHERE a.id = ?1";
static const char SQL_AWARD_FOR_ENROLMENT[] = "SELECT " AWARD_COLUMNS AWARD_JOINS " WHERE a.enrolment_id = ?1";
/* The code column is case-sensitive (no COLLATE), as a secret must be. */
static const char SQL_AWARD_BY_CODE[] = "SELECT " AWARD_COLUMNS AWARD_JOINS " WHERE a.verification_code = ?1";
static const char SQL_AWARD_LIST[] =
    "SELECT " AWARD_COLUMNS AWARD_JOINS " WHERE (?1 = 0 OR a.participant_id = ?1) AND (?4 = '' OR a.qualification = ?4)"
    " AND (?5 = '' OR a.awarded_on >= ?5) AND (?6 = '' OR a.awarded_on <= ?6) AND a.id < ?2 ORDER BY a.id DESC LIMIT "
    "?3";
static const char SQL_AWARD_COUNT[] =
    "SELECT count(*) FROM awards a WHERE (?1 = 0 OR a.participant_id = ?1) AND (?2 = '' OR a.qualification = ?2)"
    " AND (?3 = '' OR a.awarded_on >= ?3) AND (?4 = '' OR a.awarded_on <= ?4)";

static void read_award(struct db_stmt *stmt, struct arena *arena, struct award *a)
{
    memset(a, 0, sizeof(*a));
    a->id = db_column_int64(stmt, 0);
    a->certificate_number = store_text_or_empty(arena, stmt, 1);
    a->verification_code = store_text_or_empty(arena, stmt, 2);
    a->participant_id = db_column_int64(stmt, 3);
    a->participant_name = store_text_or_empty(arena, stmt, 4);
    a->participant_email = store_text_or_empty(arena, stmt, 5);
    a->enrolment_id = db_column_int64(stmt, 6);
    a->qualification = store_text_or_empty(arena, stmt, 7);
    a->awarded_on = store_text_or_empty(arena, stmt, 8);
    a->awarded_by = db_column_int64(stmt, 9);
    a->created_at = db_column_int64(stmt, 10);
}

/* Runs a query that yields at most one award, bound to an id or a text. */
static enum store_status award_one(struct store *store, const char *sql, int64_t id, const char *text,
                                   struct arena *arena, struct award *out)
{
    struct db_stmt *stmt = db_prepare(store->db, sql);
    if (stmt == NULL)
        return STORE_ERROR;
    if (text != NULL)
        db_bind_text(stmt, 1, text);
    else
        db_bind_int64(stmt, 1, id);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_NOT_FOUND;
    if (r != DB_ROW)
        return STORE_ERROR;
    read_award(stmt, arena, out);
    db_reset(stmt);
    return STORE_OK;
}

enum store_status store_award_create(struct store *store, const struct actor *actor, struct award *a, int year,
                                     struct arena *arena, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_AWARD_INSERT);
    if (stmt != NULL) {
        db_bind_text(stmt, 1, a->verification_code);
        db_bind_int64(stmt, 2, a->participant_id);
        db_bind_int64(stmt, 3, a->enrolment_id);
        db_bind_text(stmt, 4, a->qualification);
        db_bind_text(stmt, 5, a->awarded_on);
        store_bind_id(stmt, 6, actor->user_id);
        db_bind_int64(stmt, 7, now);
        enum db_result r = db_exec_stmt(stmt);
        if (r == DB_CONSTRAINT)
            status = STORE_CONFLICT;
        else if (r == DB_DONE)
            status = STORE_OK;
    }
    if (status == STORE_OK) {
        a->id = db_last_insert_id(store->db);
        char number[AWARD_NUMBER_TEXT];
        award_certificate_number(a->qualification, year, a->id, number);
        a->certificate_number = arena_strdup(arena, number);
        if (number[0] == '\0') /* a code or year no number can carry: a bug upstream, never "" in the table */
            return store_tx_end(store, STORE_ERROR);
        a->awarded_by = actor->user_id;
        a->created_at = now;
        status = STORE_ERROR;
        if ((stmt = db_prepare(store->db, SQL_AWARD_NUMBER)) != NULL) {
            db_bind_int64(stmt, 1, a->id);
            db_bind_text(stmt, 2, number);
            enum db_result r = db_exec_stmt(stmt);
            status = r == DB_DONE ? STORE_OK : r == DB_CONSTRAINT ? STORE_CONFLICT : STORE_ERROR;
        }
    }
    /* The verification code stays out of the audit log: it is the certificate's secret. */
    if (status == STORE_OK)
        status = store_audit_json(store, actor, "award.create", "award", a->id, NULL,
                                  json_pack("{s:s, s:I, s:I, s:s, s:s}", "certificate_number", a->certificate_number,
                                            "participant_id", (json_int_t)a->participant_id, "enrolment_id",
                                            (json_int_t)a->enrolment_id, "qualification", a->qualification,
                                            "awarded_on", a->awarded_on),
                                  now);
    return store_tx_end(store, status);
}

enum store_status store_award_get(struct store *store, int64_t id, struct arena *arena, struct award *out)
{
    return award_one(store, SQL_AWARD_GET, id, NULL, arena, out);
}

enum store_status store_award_for_enrolment(struct store *store, int64_t enrolment_id, struct arena *arena,
                                            struct award *out)
{
    return award_one(store, SQL_AWARD_FOR_ENROLMENT, enrolment_id, NULL, arena, out);
}

enum store_status store_award_find_by_code(struct store *store, const char *code, struct arena *arena,
                                           struct award *out)
{
    return award_one(store, SQL_AWARD_BY_CODE, 0, code ? code : "", arena, out);
}

enum store_status store_award_list(struct store *store, int64_t participant_id, struct store_page *page,
                                   struct arena *arena, struct award **out, size_t *count, size_t *total)
{
    struct award_filter filter = {.participant_id = participant_id};
    return store_award_search(store, &filter, page, arena, out, count, total);
}

enum store_status store_award_search(struct store *store, const struct award_filter *filter, struct store_page *page,
                                     struct arena *arena, struct award **out, size_t *count, size_t *total)
{
    const char *qualification = filter->qualification ? filter->qualification : "";
    const char *from = filter->awarded_from ? filter->awarded_from : "",
               *to = filter->awarded_to ? filter->awarded_to : "";
    struct db_stmt *stmt = db_prepare(store->db, SQL_AWARD_COUNT);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, filter->participant_id);
    db_bind_text(stmt, 2, qualification);
    db_bind_text(stmt, 3, from);
    db_bind_text(stmt, 4, to);
    *total = db_step(stmt) == DB_ROW ? (size_t)db_column_int64(stmt, 0) : 0;
    db_reset(stmt);
    if ((stmt = db_prepare(store->db, SQL_AWARD_LIST)) == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, filter->participant_id);
    store_page_bind(stmt, 2, CURSOR_ID, STORE_DESCENDING, page);
    db_bind_text(stmt, 4, qualification);
    db_bind_text(stmt, 5, from);
    db_bind_text(stmt, 6, to);
    *out = arena_alloc(arena, sizeof(**out) * store_page_limit(page));
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW && store_page_row(page, stmt, *count, CURSOR_ID, 0, 0, arena))
        read_award(stmt, arena, &(*out)[(*count)++]);
    return r == DB_DONE || r == DB_ROW ? STORE_OK : STORE_ERROR;
}

/* Master's credits */

static const char SQL_CREDIT_GET[] = "SELECT credits, awarding_body FROM module_credits WHERE module = ?1";
static const char SQL_CREDIT_PUT[] =
    "INSERT INTO module_credits (module, credits, awarding_body, updated_at) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (module) DO UPDATE SET credits = ?2, awarding_body = ?3, updated_at = ?4";
static const char SQL_CREDIT_LIST[] =
    "SELECT module, credits, awarding_body, updated_at FROM module_credits ORDER BY module LIMIT 5000";

enum store_status store_module_credit_set(struct store *store, const struct actor *actor, const char *module,
                                          int credits, const char *awarding_body, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    json_t *before = NULL;
    struct db_stmt *stmt = db_prepare(store->db, SQL_CREDIT_GET);
    if (stmt != NULL) {
        db_bind_text(stmt, 1, module);
        enum db_result r = db_step(stmt);
        if (r == DB_ROW) {
            const char *body = db_column_text(stmt, 1);
            before = json_pack("{s:I, s:s}", "credits", (json_int_t)db_column_int64(stmt, 0), "awarding_body",
                               body ? body : "");
            db_reset(stmt);
        }
        if (r == DB_ROW || r == DB_DONE)
            status = STORE_OK;
    }
    if (status == STORE_OK) {
        status = STORE_ERROR;
        if ((stmt = db_prepare(store->db, SQL_CREDIT_PUT)) != NULL) {
            db_bind_text(stmt, 1, module);
            db_bind_int64(stmt, 2, credits);
            db_bind_text(stmt, 3, awarding_body ? awarding_body : "");
            db_bind_int64(stmt, 4, now);
            enum db_result r = db_exec_stmt(stmt);
            status = r == DB_DONE ? STORE_OK : r == DB_CONSTRAINT ? STORE_CONFLICT : STORE_ERROR;
        }
    }
    if (status == STORE_OK) {
        status = store_audit_json(store, actor, "module_credit.set", "module", 0, before,
                                  json_pack("{s:s, s:i, s:s}", "module", module, "credits", credits, "awarding_body",
                                            awarding_body ? awarding_body : ""),
                                  now);
        before = NULL; /* taken by store_audit_json */
    }
    json_decref(before);
    return store_tx_end(store, status);
}

enum store_status store_module_credit_list(struct store *store, struct arena *arena, struct module_credit **out,
                                           size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_CREDIT_LIST);
    if (stmt == NULL)
        return STORE_ERROR;
    size_t cap = 64;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        struct module_credit *c = &(*out)[(*count)++];
        c->module = store_text_or_empty(arena, stmt, 0);
        c->credits = (int)db_column_int64(stmt, 1);
        c->awarding_body = store_text_or_empty(arena, stmt, 2);
        c->updated_at = db_column_int64(stmt, 3);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

/* Hours for a transcript */

static const char SQL_MODULE_HOURS[] =
    "SELECT module, coalesce(sum(CASE WHEN verified_at IS NOT NULL THEN quarter_hours END), 0),"
    " coalesce(sum(CASE WHEN verified_at IS NULL THEN quarter_hours END), 0)"
    " FROM activities WHERE participant_id = ?1 GROUP BY module ORDER BY module LIMIT 5000";

enum store_status store_module_hours(struct store *store, int64_t participant_id, struct arena *arena,
                                     struct module_hours **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_MODULE_HOURS);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, participant_id);
    size_t cap = 32;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        struct module_hours *h = &(*out)[(*count)++];
        h->module = store_text_or_empty(arena, stmt, 0);
        h->verified_quarter_hours = db_column_int64(stmt, 1);
        h->unverified_quarter_hours = db_column_int64(stmt, 2);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}
