/*
 * The learning-hours log in the database: a participant's entries per enrolment, in quarter hours
 * so that totals are exact. Changing or removing an entry is compare-and-set on verified_at, so an
 * entry verified meanwhile stays as it was verified; every write is audited in its own
 * transaction or the caller's.
 *
 * A module's cap is held here, by the write: every change to the log changes the module's total
 * in activity_totals in the same transaction, and hours are added only by
 * "UPDATE activity_totals SET quarter_hours = quarter_hours + n WHERE ... quarter_hours + n <= cap",
 * whose changed-row count decides. Two entries sent at once therefore cannot both fit under a cap
 * only one fits under, whatever either read before and on any engine: the second update waits for
 * the first's row and sees its total. store_activity_logged is for explaining a refusal.
 */
#include "store/store_internal.h"

#include <jansson.h>
#include <string.h>
#include <strings.h>

#define ACTIVITY_COLUMNS                                                                                               \
    "a.id, a.enrolment_id, a.participant_id, a.module, a.type, a.done_on, a.quarter_hours, a.reflection,"              \
    " coalesce(a.verified_by, 0), v.name, coalesce(a.verified_at, 0), a.created_at, a.updated_at"
#define ACTIVITY_JOINS " FROM activities a LEFT JOIN users v ON v.id = a.verified_by"

/* The date as one number (20270430), the key of the log's pages, which migration 031 indexes
 * with the enrolment. */
#define ACTIVITY_DAY "CAST(replace(a.done_on, '-', '') AS INTEGER)"
static const char SQL_ACTIVITY_LIST[] =
    "SELECT " ACTIVITY_COLUMNS ", " ACTIVITY_DAY ACTIVITY_JOINS " WHERE a.enrolment_id = ?1 AND " ACTIVITY_DAY " <= ?2"
    " AND (" ACTIVITY_DAY ", a.id) < (?2, ?3) ORDER BY " ACTIVITY_DAY " DESC, a.id DESC LIMIT ?4";
static const char SQL_ACTIVITY_SUMS[] =
    "SELECT module, type, CASE WHEN verified_at IS NULL THEN 0 ELSE 1 END AS verified, sum(quarter_hours)"
    " FROM activities WHERE enrolment_id = ?1 GROUP BY module, type, verified ORDER BY module, type, verified";
static const char SQL_ACTIVITY_GET[] =
    "SELECT " ACTIVITY_COLUMNS ACTIVITY_JOINS " WHERE a.enrolment_id = ?1 AND a.id = ?2";
static const char SQL_ACTIVITY_LOGGED[] = "SELECT coalesce(sum(quarter_hours), 0) FROM activities"
                                          " WHERE enrolment_id = ?1 AND module = ?2 AND id <> ?3";
static const char SQL_ACTIVITY_INSERT[] =
    "INSERT INTO activities (enrolment_id, participant_id, module, type, done_on, quarter_hours, reflection,"
    " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)";
/* Compare-and-set on the module and hours the change was computed from (?9, ?10), so the totals
 * move by exactly what the entry's hours did. */
static const char SQL_ACTIVITY_UPDATE[] =
    "UPDATE activities SET module = ?3, type = ?4, done_on = ?5, quarter_hours = ?6, reflection = ?7,"
    " updated_at = ?8 WHERE enrolment_id = ?1 AND id = ?2 AND verified_at IS NULL AND module = ?9"
    " AND quarter_hours = ?10";
static const char SQL_ACTIVITY_DELETE[] =
    "DELETE FROM activities WHERE enrolment_id = ?1 AND id = ?2 AND verified_at IS NULL"
    " RETURNING module, quarter_hours";
static const char SQL_TOTAL_ENSURE[] = "INSERT INTO activity_totals (enrolment_id, module, quarter_hours)"
                                       " VALUES (?1, ?2, 0) ON CONFLICT DO NOTHING";
/* ?3 quarter hours to add (negative: to take away), ?4 the cap; taking away always succeeds. */
static const char SQL_TOTAL_ADD[] =
    "UPDATE activity_totals SET quarter_hours = quarter_hours + ?3"
    " WHERE enrolment_id = ?1 AND module = ?2 AND (?3 <= 0 OR quarter_hours + ?3 <= ?4)";
static const char SQL_ACTIVITY_VERIFY[] = "UPDATE activities SET verified_by = ?3, verified_at = ?4, updated_at = ?4"
                                          " WHERE enrolment_id = ?1 AND id = ?2 AND verified_at IS NULL";

static void read_activity(struct db_stmt *stmt, struct arena *arena, struct activity *a)
{
    memset(a, 0, sizeof(*a));
    a->id = db_column_int64(stmt, 0);
    a->enrolment_id = db_column_int64(stmt, 1);
    a->participant_id = db_column_int64(stmt, 2);
    a->module = store_text_or_empty(arena, stmt, 3);
    delivery_activity_parse(db_column_text(stmt, 4), &a->type);
    a->done_on = store_text_or_empty(arena, stmt, 5);
    a->quarter_hours = (int)db_column_int64(stmt, 6);
    a->reflection = store_text_or_empty(arena, stmt, 7);
    a->verified_by = db_column_int64(stmt, 8);
    a->verified_by_name = store_text(arena, stmt, 9);
    a->verified_at = db_column_int64(stmt, 10);
    a->created_at = db_column_int64(stmt, 11);
    a->updated_at = db_column_int64(stmt, 12);
}

/* What the audit log keeps of an entry: everything but the reflection's text. */
static json_t *activity_summary(const struct activity *a)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:I, s:I}", "enrolment_id", (json_int_t)a->enrolment_id, "module", a->module,
                     "type", delivery_activity_name(a->type), "done_on", a->done_on, "quarter_hours",
                     (json_int_t)a->quarter_hours, "reflection_length",
                     (json_int_t)strlen(a->reflection ? a->reflection : ""));
}

enum store_status store_activity_list(struct store *store, int64_t enrolment_id, struct store_page *page,
                                      struct arena *arena, struct activity **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_ACTIVITY_LIST);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, enrolment_id);
    store_page_bind(stmt, 2, CURSOR_NUMBER, STORE_DESCENDING, page);
    *out = arena_alloc(arena, sizeof(**out) * store_page_limit(page));
    *count = 0;
    enum db_result r;
    /* Columns 13 and 0 are the day and the id. */
    while ((r = db_step(stmt)) == DB_ROW && store_page_row(page, stmt, *count, CURSOR_NUMBER, 13, 0, arena))
        read_activity(stmt, arena, &(*out)[(*count)++]);
    return r == DB_DONE || r == DB_ROW ? STORE_OK : STORE_ERROR;
}

enum store_status store_activity_sums(struct store *store, int64_t enrolment_id, struct arena *arena,
                                      struct activity_sum **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_ACTIVITY_SUMS);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, enrolment_id);
    size_t cap = 16;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        struct activity_sum *sum = &(*out)[(*count)++];
        sum->module = store_text_or_empty(arena, stmt, 0);
        sum->type = DELIVERY_ACTIVITY_COUNT; /* a kind no longer known counts towards no kind */
        delivery_activity_parse(db_column_text(stmt, 1), &sum->type);
        sum->verified = db_column_int64(stmt, 2) != 0;
        sum->quarter_hours = db_column_int64(stmt, 3);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_activity_get(struct store *store, int64_t enrolment_id, int64_t id, struct arena *arena,
                                     struct activity *out)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_ACTIVITY_GET);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, enrolment_id);
    db_bind_int64(stmt, 2, id);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_NOT_FOUND;
    if (r != DB_ROW)
        return STORE_ERROR;
    read_activity(stmt, arena, out);
    db_reset(stmt);
    return STORE_OK;
}

enum store_status store_activity_logged(struct store *store, int64_t enrolment_id, const char *module,
                                        int64_t except_id, int64_t *quarter_hours)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_ACTIVITY_LOGGED);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, enrolment_id);
    db_bind_text(stmt, 2, module);
    db_bind_int64(stmt, 3, except_id);
    if (db_step(stmt) != DB_ROW)
        return STORE_ERROR;
    *quarter_hours = db_column_int64(stmt, 0);
    db_reset(stmt);
    return STORE_OK;
}

/*
 * Adds quarter_hours (negative: takes them away) to an enrolment's total for a module, refusing
 * with STORE_CONFLICT an addition that would pass cap. The total's row is made first when
 * missing; INSERT ... ON CONFLICT DO NOTHING lets two writers do that at once.
 */
static enum store_status total_add(struct store *store, int64_t enrolment_id, const char *module, int64_t quarter_hours,
                                   int64_t cap)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_TOTAL_ENSURE);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, enrolment_id);
    db_bind_text(stmt, 2, module);
    enum db_result r = db_exec_stmt(stmt);
    if (r == DB_CONSTRAINT)
        return STORE_NOT_FOUND; /* no such enrolment */
    if (r != DB_DONE || (stmt = db_prepare(store->db, SQL_TOTAL_ADD)) == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, enrolment_id);
    db_bind_text(stmt, 2, module);
    db_bind_int64(stmt, 3, quarter_hours);
    db_bind_int64(stmt, 4, cap);
    if (db_exec_stmt(stmt) != DB_DONE)
        return STORE_ERROR;
    return db_changes(store->db) > 0 ? STORE_OK : STORE_CONFLICT;
}

enum store_status store_activity_create(struct store *store, const struct actor *actor, struct activity *a,
                                        int64_t cap_quarter_hours, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_ACTIVITY_INSERT);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, a->enrolment_id);
        db_bind_int64(stmt, 2, a->participant_id);
        db_bind_text(stmt, 3, a->module);
        db_bind_text(stmt, 4, delivery_activity_name(a->type));
        db_bind_text(stmt, 5, a->done_on);
        db_bind_int64(stmt, 6, a->quarter_hours);
        db_bind_text(stmt, 7, a->reflection ? a->reflection : "");
        db_bind_int64(stmt, 8, now);
        enum db_result r = db_exec_stmt(stmt);
        if (r == DB_CONSTRAINT)
            status = STORE_NOT_FOUND; /* the enrolment or participant does not exist */
        else if (r == DB_DONE) {
            a->id = db_last_insert_id(store->db);
            a->created_at = a->updated_at = now;
            status = total_add(store, a->enrolment_id, a->module, a->quarter_hours, cap_quarter_hours);
        }
    }
    if (status == STORE_OK)
        status = store_audit_json(store, actor, "activity.create", "activity", a->id, NULL, activity_summary(a), now);
    return store_tx_end(store, status);
}

/* After a guarded write changed nothing: STORE_CONFLICT when the entry exists (it is verified),
 * else STORE_NOT_FOUND. */
static enum store_status unchanged(struct store *store, int64_t enrolment_id, int64_t id)
{
    struct arena arena = ARENA_INIT;
    struct activity a;
    enum store_status status = store_activity_get(store, enrolment_id, id, &arena, &a);
    arena_release(&arena);
    return status == STORE_OK ? STORE_CONFLICT : status;
}

/* Moves an entry's hours from (old_module, old_hours) to (module, hours) in the totals: what is
 * taken away never fails, what is added must fit under cap. Two totals are changed in the order of
 * their module codes, so two changes moving hours in opposite directions never wait for each
 * other in a circle. */
static enum store_status totals_move(struct store *store, int64_t enrolment_id, const char *old_module,
                                     int64_t old_hours, const char *module, int64_t hours, int64_t cap)
{
    if (strcasecmp(old_module, module) == 0)
        return total_add(store, enrolment_id, module, hours - old_hours, cap);
    bool old_first = strcasecmp(old_module, module) < 0;
    enum store_status status = old_first ? total_add(store, enrolment_id, old_module, -old_hours, cap)
                                         : total_add(store, enrolment_id, module, hours, cap);
    if (status == STORE_OK)
        status = old_first ? total_add(store, enrolment_id, module, hours, cap)
                           : total_add(store, enrolment_id, old_module, -old_hours, cap);
    return status;
}

enum store_status store_activity_update(struct store *store, const struct actor *actor, const struct activity *a,
                                        int64_t cap_quarter_hours, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    struct arena arena = ARENA_INIT;
    struct activity before;
    enum store_status status = store_activity_get(store, a->enrolment_id, a->id, &arena, &before);
    if (status == STORE_OK) {
        struct db_stmt *stmt = db_prepare(store->db, SQL_ACTIVITY_UPDATE);
        status = STORE_ERROR;
        if (stmt != NULL) {
            db_bind_int64(stmt, 1, a->enrolment_id);
            db_bind_int64(stmt, 2, a->id);
            db_bind_text(stmt, 3, a->module);
            db_bind_text(stmt, 4, delivery_activity_name(a->type));
            db_bind_text(stmt, 5, a->done_on);
            db_bind_int64(stmt, 6, a->quarter_hours);
            db_bind_text(stmt, 7, a->reflection ? a->reflection : "");
            db_bind_int64(stmt, 8, now);
            db_bind_text(stmt, 9, before.module);
            db_bind_int64(stmt, 10, before.quarter_hours);
            if (db_exec_stmt(stmt) == DB_DONE)
                status = db_changes(store->db) > 0 ? STORE_OK : unchanged(store, a->enrolment_id, a->id);
        }
    }
    if (status == STORE_OK)
        status = totals_move(store, a->enrolment_id, before.module, before.quarter_hours, a->module, a->quarter_hours,
                             cap_quarter_hours);
    if (status == STORE_OK)
        status = store_audit_json(store, actor, "activity.update", "activity", a->id, activity_summary(&before),
                                  activity_summary(a), now);
    arena_release(&arena);
    return store_tx_end(store, status);
}

enum store_status store_activity_delete(struct store *store, const struct actor *actor, int64_t enrolment_id,
                                        int64_t id, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    struct arena arena = ARENA_INIT;
    struct activity before;
    enum store_status status = store_activity_get(store, enrolment_id, id, &arena, &before);
    if (status == STORE_OK) {
        struct db_stmt *stmt = db_prepare(store->db, SQL_ACTIVITY_DELETE);
        status = STORE_ERROR;
        if (stmt != NULL) {
            db_bind_int64(stmt, 1, enrolment_id);
            db_bind_int64(stmt, 2, id);
            enum db_result r = db_step(stmt);
            if (r == DB_ROW) {
                /* The hours the delete removed, as they were when it ran. */
                const char *module = store_text_or_empty(&arena, stmt, 0);
                int64_t hours = db_column_int64(stmt, 1);
                db_reset(stmt);
                status = total_add(store, enrolment_id, module, -hours, 0);
            } else if (r == DB_DONE) {
                status = unchanged(store, enrolment_id, id);
            }
        }
    }
    if (status == STORE_OK)
        status =
            store_audit_json(store, actor, "activity.delete", "activity", id, activity_summary(&before), NULL, now);
    arena_release(&arena);
    return store_tx_end(store, status);
}

enum store_status store_activity_verify(struct store *store, const struct actor *actor, int64_t enrolment_id,
                                        int64_t id, int64_t verifier_id, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_ACTIVITY_VERIFY);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, enrolment_id);
        db_bind_int64(stmt, 2, id);
        store_bind_id(stmt, 3, verifier_id);
        db_bind_int64(stmt, 4, now);
        if (db_exec_stmt(stmt) == DB_DONE)
            status = db_changes(store->db) > 0 ? STORE_OK : unchanged(store, enrolment_id, id);
    }
    if (status == STORE_OK)
        status = store_audit_json(store, actor, "activity.verify", "activity", id, json_pack("{s:b}", "verified", 0),
                                  json_pack("{s:b, s:I}", "verified", 1, "verified_by", (json_int_t)verifier_id), now);
    return store_tx_end(store, status);
}
