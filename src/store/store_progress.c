/*
 * The facts progress is judged on, for one enrolment: read across delivery (events, attendance,
 * coaching, hours), completions and assessment, so it lives apart from each of their files. Two
 * queries in one transaction, so the modules and the assessment describe the same moment.
 */
#include "store/store_internal.h"

#include <string.h>

static const char SQL_PROGRESS_ENROLMENT[] =
    "SELECT e.participant_id, e.state,"
    " (SELECT count(*) FROM coaching_sessions cs WHERE cs.participant_id = e.participant_id"
    "  AND cs.cancelled_at IS NULL AND cs.ends_at <= ?2),"
    " coalesce(t.id, 0), coalesce(t.deadline, 0), coalesce(s.state, ''),"
    " coalesce((SELECT r.outcome FROM results r JOIN submission_versions v ON v.id = r.version_id"
    "  WHERE v.submission_id = s.id ORDER BY r.released_at DESC, r.version_id DESC LIMIT 1), ''),"
    " u.name, e.target, e.kind"
    " FROM enrolments e JOIN users u ON u.id = e.participant_id"
    " LEFT JOIN assessment_tasks t ON t.target = e.target"
    "  AND t.kind = CASE e.kind WHEN 'qualification' THEN 'final' ELSE 'module' END"
    " LEFT JOIN submissions s ON s.task_id = t.id AND s.enrolment_id = e.id"
    " WHERE e.id = ?1 ORDER BY t.deadline DESC, t.id DESC LIMIT 1";

#define MODULE_EVENTS                                                                                                  \
    " FROM events ev WHERE ev.cohort_id = e.cohort_id AND ev.module = md.code AND ev.cancelled_at IS NULL"
#define MODULE_MARKS(marks)                                                                                            \
    " (SELECT count(*) FROM events ev JOIN attendance a ON a.event_id = ev.id AND a.user_id = e.participant_id"        \
    "  WHERE ev.cohort_id = e.cohort_id AND ev.module = md.code AND ev.cancelled_at IS NULL AND a.mark IN " marks ")"

/* The modules an enrolment studies: the qualification's essential ones and its chosen electives,
 * or the one module studied alone. */
static const char SQL_PROGRESS_MODULES[] =
    "SELECT md.code, md.title, md.hours_cap,"
    " (SELECT count(*)" MODULE_EVENTS "),"
    " (SELECT count(*)" MODULE_EVENTS " AND ev.ends_at <= ?2),"
    " (SELECT count(*)" MODULE_EVENTS " AND (ev.ends_at <= ?2 OR EXISTS (SELECT 1 FROM attendance a"
    "  WHERE a.event_id = ev.id AND a.user_id = e.participant_id)))," MODULE_MARKS(
        "('present', 'late')") "," MODULE_MARKS("('absent')") ","
                                                              " (SELECT coalesce(sum(ac.quarter_hours), 0) FROM "
                                                              "activities ac WHERE ac.enrolment_id = e.id"
                                                              "  AND ac.module = md.code),"
                                                              " EXISTS (SELECT 1 FROM module_completions mc WHERE "
                                                              "mc.participant_id = e.participant_id AND mc.module = "
                                                              "md.code)"
                                                              " FROM enrolments e JOIN modules md ON md.code IN ("
                                                              "  SELECT qm.module FROM qualification_modules qm WHERE "
                                                              "qm.qualification = e.target AND qm.role = 'essential'"
                                                              "   AND e.kind = 'qualification'"
                                                              "  UNION SELECT ee.module FROM enrolment_electives ee "
                                                              "WHERE ee.enrolment_id = e.id"
                                                              "  UNION SELECT e.target WHERE e.kind = 'module')"
                                                              " WHERE e.id = ?1 ORDER BY md.position, md.code";

enum store_status store_progress_facts(struct store *store, int64_t id, int64_t now, struct arena *arena,
                                       struct progress_facts_row *out)
{
    memset(out, 0, sizeof(*out));
    out->enrolment_id = id;
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_PROGRESS_ENROLMENT);
    if (stmt == NULL)
        goto out;
    db_bind_int64(stmt, 1, id);
    db_bind_int64(stmt, 2, now);
    enum db_result r = db_step(stmt);
    if (r != DB_ROW) {
        status = r == DB_DONE ? STORE_NOT_FOUND : STORE_ERROR;
        db_reset(stmt);
        goto out;
    }
    out->participant_id = db_column_int64(stmt, 0);
    out->state = store_text_or_empty(arena, stmt, 1);
    out->coaching_held = (int)db_column_int64(stmt, 2);
    out->has_task = db_column_int64(stmt, 3) != 0;
    out->deadline = db_column_int64(stmt, 4);
    out->submission = store_text_or_empty(arena, stmt, 5);
    out->outcome = store_text_or_empty(arena, stmt, 6);
    out->participant_name = store_text_or_empty(arena, stmt, 7);
    out->target = store_text_or_empty(arena, stmt, 8);
    out->kind = store_text_or_empty(arena, stmt, 9);
    db_reset(stmt);
    if ((stmt = db_prepare(store->db, SQL_PROGRESS_MODULES)) == NULL)
        goto out;
    db_bind_int64(stmt, 1, id);
    db_bind_int64(stmt, 2, now);
    size_t cap = 8;
    out->modules = arena_alloc(arena, sizeof(*out->modules) * cap);
    while ((r = db_step(stmt)) == DB_ROW) {
        if (out->module_count == cap)
            out->modules = arena_grow(arena, out->modules, &cap, sizeof(*out->modules));
        struct progress_module_row *m = &out->modules[out->module_count++];
        m->code = store_text_or_empty(arena, stmt, 0);
        m->title = store_text_or_empty(arena, stmt, 1);
        m->hours_cap = (int)db_column_int64(stmt, 2);
        m->events_total = (int)db_column_int64(stmt, 3);
        m->events_ended = (int)db_column_int64(stmt, 4);
        m->events_held = (int)db_column_int64(stmt, 5);
        m->events_attended = (int)db_column_int64(stmt, 6);
        m->events_missed = (int)db_column_int64(stmt, 7);
        m->quarter_hours = (int)db_column_int64(stmt, 8);
        m->completed = db_column_int64(stmt, 9) != 0;
    }
    status = r == DB_DONE ? STORE_OK : STORE_ERROR;
out:
    return store_tx_end(store, status);
}
