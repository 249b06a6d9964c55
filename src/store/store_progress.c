/*
 * The facts progress is judged on, for one enrolment: read across delivery (events, attendance,
 * coaching, hours), completions and assessment, so it lives apart from each of their files. Two
 * queries in one transaction, so the modules and the assessment describe the same moment.
 *
 * And progress as it is kept (enrolment_progress, enrolment_module_progress): written by the use
 * cases' refresh inside their own transactions, read by the lists and dashboards, each scoped in
 * SQL to what the caller watches over.
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

#define COURSE_ITEMS " FROM content_units cu JOIN content_unit_items ui ON ui.unit_id = cu.id WHERE cu.module = md.code"

/* The modules an enrolment studies: the qualification's essential ones and its chosen electives,
 * or the one module studied alone. */
/* clang-format off */
static const char SQL_PROGRESS_MODULES[] =
    "SELECT md.code, md.title, md.hours_cap,"
    " (SELECT count(*)" MODULE_EVENTS "),"
    " (SELECT count(*)" MODULE_EVENTS " AND ev.ends_at <= ?2),"
    " (SELECT count(*)" MODULE_EVENTS " AND (ev.ends_at <= ?2 OR EXISTS (SELECT 1 FROM attendance a"
    "  WHERE a.event_id = ev.id AND a.user_id = e.participant_id))),"
    MODULE_MARKS("('present', 'late')") "," MODULE_MARKS("('absent')") ","
    " (SELECT coalesce(sum(ac.quarter_hours), 0) FROM activities ac WHERE ac.enrolment_id = e.id"
    "  AND ac.module = md.code),"
    " EXISTS (SELECT 1 FROM module_completions mc WHERE mc.participant_id = e.participant_id"
    "  AND mc.module = md.code),"
    " (SELECT coalesce(min(ev.ends_at), 0)" MODULE_EVENTS " AND ev.ends_at > ?2),"
    " (SELECT count(DISTINCT ui.item_id)" COURSE_ITEMS "),"
    " (SELECT count(DISTINCT ui.item_id)" COURSE_ITEMS " AND EXISTS (SELECT 1 FROM content_completions cc"
    "  WHERE cc.enrolment_id = e.id AND cc.item_id = ui.item_id))"
    " FROM enrolments e JOIN modules md ON md.code IN ("
    "  SELECT qm.module FROM qualification_modules qm WHERE qm.qualification = e.target AND qm.role = 'essential'"
    "   AND e.kind = 'qualification'"
    "  UNION SELECT ee.module FROM enrolment_electives ee WHERE ee.enrolment_id = e.id"
    "  UNION SELECT e.target WHERE e.kind = 'module')"
    " WHERE e.id = ?1 ORDER BY md.position, md.code";
/* clang-format on */

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
        m->next_event_end = db_column_int64(stmt, 10);
        m->content_items = (int)db_column_int64(stmt, 11);
        m->content_done = (int)db_column_int64(stmt, 12);
    }
    status = r == DB_DONE ? STORE_OK : STORE_ERROR;
out:
    return store_tx_end(store, status);
}

/* Keeping progress */

static const char SQL_PROGRESS_SAVE[] =
    "INSERT INTO enrolment_progress (enrolment_id, status, reasons, modules_completed, modules_required, events_held,"
    " events_attended, has_task, submitted, result, recheck_at, refreshed_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
    " ON CONFLICT (enrolment_id) DO UPDATE SET status = ?2, reasons = ?3, modules_completed = ?4,"
    " modules_required = ?5, events_held = ?6, events_attended = ?7, has_task = ?8, submitted = ?9, result = ?10,"
    " recheck_at = ?11, refreshed_at = ?12";
static const char SQL_PROGRESS_MODULES_CLEAR[] = "DELETE FROM enrolment_module_progress WHERE enrolment_id = ?1";
static const char SQL_PROGRESS_MODULE_SAVE[] =
    "INSERT INTO enrolment_module_progress (enrolment_id, module, status, reasons) VALUES (?1, ?2, ?3, ?4)";

enum store_status store_progress_save(struct store *store, const struct progress_record *r,
                                      const struct progress_module_record *modules, size_t module_count, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_PROGRESS_SAVE);
    if (stmt == NULL)
        goto out;
    db_bind_int64(stmt, 1, r->enrolment_id);
    db_bind_text(stmt, 2, r->status);
    db_bind_text(stmt, 3, r->reasons);
    db_bind_int64(stmt, 4, r->modules_completed);
    db_bind_int64(stmt, 5, r->modules_required);
    db_bind_int64(stmt, 6, r->events_held);
    db_bind_int64(stmt, 7, r->events_attended);
    db_bind_int64(stmt, 8, r->has_task);
    db_bind_int64(stmt, 9, r->submitted);
    db_bind_text(stmt, 10, r->result);
    store_bind_id(stmt, 11, r->recheck_at);
    db_bind_int64(stmt, 12, now);
    if (db_exec_stmt(stmt) != DB_DONE)
        goto out;
    if ((stmt = db_prepare(store->db, SQL_PROGRESS_MODULES_CLEAR)) == NULL)
        goto out;
    db_bind_int64(stmt, 1, r->enrolment_id);
    if (db_exec_stmt(stmt) != DB_DONE)
        goto out;
    for (size_t i = 0; i < module_count; i++) {
        if ((stmt = db_prepare(store->db, SQL_PROGRESS_MODULE_SAVE)) == NULL)
            goto out;
        db_bind_int64(stmt, 1, r->enrolment_id);
        db_bind_text(stmt, 2, modules[i].module);
        db_bind_text(stmt, 3, modules[i].status);
        db_bind_text(stmt, 4, modules[i].reasons);
        if (db_exec_stmt(stmt) != DB_DONE)
            goto out;
    }
    status = STORE_OK;
out:
    return store_tx_end(store, status);
}

/* clang-format off */
static const char SQL_PROGRESS_OF_COHORT[] =
    "SELECT id FROM enrolments WHERE cohort_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3";
static const char SQL_PROGRESS_OF_PARTICIPANT[] =
    "SELECT id FROM enrolments WHERE participant_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3";
static const char SQL_PROGRESS_OF_TARGET[] =
    "SELECT id FROM enrolments WHERE target = ?1 AND id > ?2 ORDER BY id LIMIT ?3";
static const char SQL_PROGRESS_OF_MODULE[] =
    "SELECT e.id FROM enrolments e WHERE e.id > ?2 AND (e.target = ?1"
    " OR (e.kind = 'qualification' AND EXISTS (SELECT 1 FROM qualification_modules qm"
    "  WHERE qm.qualification = e.target AND qm.module = ?1 AND qm.role = 'essential'))"
    " OR EXISTS (SELECT 1 FROM enrolment_electives ee WHERE ee.enrolment_id = e.id AND ee.module = ?1))"
    " ORDER BY e.id LIMIT ?3";
static const char SQL_PROGRESS_ALL[] =
    "SELECT id FROM enrolments WHERE id > ?2 ORDER BY id LIMIT ?3";
/* Deferred and withdrawn enrolments keep the progress they had when they stopped. */
static const char SQL_PROGRESS_DUE[] =
    "SELECT e.id FROM enrolments e LEFT JOIN enrolment_progress p ON p.enrolment_id = e.id"
    " WHERE e.id > ?2 AND (p.enrolment_id IS NULL OR (e.state = 'active' AND p.recheck_at <= ?1))"
    " ORDER BY e.id LIMIT ?3";
/* clang-format on */

enum store_status store_progress_enrolments(struct store *store, enum progress_scope scope, int64_t id,
                                            const char *code, int64_t now, int64_t after_id, size_t limit,
                                            struct arena *arena, int64_t **out, size_t *count)
{
    static const char *const sql[] = {[PROGRESS_OF_COHORT] = SQL_PROGRESS_OF_COHORT,
                                      [PROGRESS_OF_PARTICIPANT] = SQL_PROGRESS_OF_PARTICIPANT,
                                      [PROGRESS_OF_TARGET] = SQL_PROGRESS_OF_TARGET,
                                      [PROGRESS_OF_MODULE] = SQL_PROGRESS_OF_MODULE,
                                      [PROGRESS_ALL] = SQL_PROGRESS_ALL,
                                      [PROGRESS_DUE] = SQL_PROGRESS_DUE};
    *out = NULL;
    *count = 0;
    struct db_stmt *stmt = db_prepare(store->db, sql[scope]);
    if (stmt == NULL)
        return STORE_ERROR;
    if (scope == PROGRESS_OF_TARGET || scope == PROGRESS_OF_MODULE)
        db_bind_text(stmt, 1, code);
    else if (scope == PROGRESS_DUE)
        db_bind_int64(stmt, 1, now);
    else
        db_bind_int64(stmt, 1, id);
    db_bind_int64(stmt, 2, after_id);
    db_bind_int64(stmt, 3, (int64_t)limit);
    size_t cap = limit < 64 ? 64 : limit;
    int64_t *ids = arena_alloc(arena, sizeof(*ids) * cap);
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            ids = arena_grow(arena, ids, &cap, sizeof(*ids));
        ids[(*count)++] = db_column_int64(stmt, 0);
    }
    *out = ids;
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

/* Who a list reaches: ?1 the caller, ?2..?6 whether they are an administrator, partner lead,
 * headteacher, coach, mentor (each fact counts only with its role, as in the policy). */
#define PROGRESS_SCOPE                                                                                                 \
    " (?2 = 1"                                                                                                         \
    " OR (?3 = 1 AND c.delivery_partner_id IN (SELECT organisation_id FROM user_roles WHERE user_id = ?1"              \
    "     AND role = 'partner_lead'))"                                                                                 \
    " OR (?4 = 1 AND e.school_id IN (SELECT organisation_id FROM user_roles WHERE user_id = ?1"                        \
    "     AND role = 'headteacher'))"                                                                                  \
    " OR EXISTS (SELECT 1 FROM assignments a WHERE a.staff_id = ?1 AND a.participant_id = e.participant_id"            \
    "     AND ((a.kind = 'coach' AND ?5 = 1) OR (a.kind = 'mentor' AND ?6 = 1))))"
/* ?7 cohort, ?8 partner, ?9 region, ?10 qualification, ?11 status, ?12 participant; NULL for any. */
#define PROGRESS_FILTER                                                                                                \
    " AND (?7 IS NULL OR e.cohort_id = ?7) AND (?8 IS NULL OR c.delivery_partner_id = ?8)"                             \
    " AND (?9 IS NULL OR s.region = ?9) AND (?10 IS NULL OR e.target = ?10) AND (?11 IS NULL OR p.status = ?11)"       \
    " AND (?12 IS NULL OR e.participant_id = ?12)"
#define PROGRESS_JOINS                                                                                                 \
    " FROM enrolment_progress p JOIN enrolments e ON e.id = p.enrolment_id JOIN users u ON u.id = e.participant_id"    \
    " LEFT JOIN cohorts c ON c.id = e.cohort_id LEFT JOIN organisations s ON s.id = e.school_id"

static const char SQL_PROGRESS_LIST[] =
    "SELECT p.enrolment_id, p.status, p.reasons, p.modules_completed, p.modules_required, p.events_held,"
    " p.events_attended, p.has_task, p.submitted, p.result, coalesce(p.recheck_at, 0), p.refreshed_at,"
    " e.participant_id, u.name, e.target, coalesce(e.cohort_id, 0), coalesce(c.code, ''),"
    " coalesce(c.delivery_partner_id, 0), coalesce(s.name, ''), coalesce(s.region, ''),"
    " EXISTS (SELECT 1 FROM support_plans sp WHERE sp.enrolment_id = e.id AND sp.state = 'open')" PROGRESS_JOINS
    " WHERE e.state IN ('active', 'completed') AND p.enrolment_id > ?13 AND" PROGRESS_SCOPE PROGRESS_FILTER
    " ORDER BY p.enrolment_id LIMIT ?14";

static const char SQL_PROGRESS_COHORTS[] =
    "SELECT c.id, c.code, c.target, coalesce(c.delivery_partner_id, 0), count(*),"
    " sum(CASE WHEN p.status = 'complete' THEN 1 ELSE 0 END),"
    " sum(CASE WHEN p.status = 'at_risk' THEN 1 ELSE 0 END),"
    " sum(CASE WHEN p.status = 'behind' THEN 1 ELSE 0 END),"
    " sum(p.events_held), sum(p.events_attended), sum(p.has_task), sum(p.submitted),"
    " sum(CASE WHEN p.result <> '' THEN 1 ELSE 0 END), sum(CASE WHEN p.result = 'pass' THEN 1 ELSE 0 END)"
    " FROM enrolment_progress p JOIN enrolments e ON e.id = p.enrolment_id JOIN cohorts c ON c.id = e.cohort_id"
    " LEFT JOIN organisations s ON s.id = e.school_id"
    " WHERE e.state IN ('active', 'completed') AND" PROGRESS_SCOPE PROGRESS_FILTER
    " GROUP BY c.id, c.code, c.target, c.delivery_partner_id ORDER BY c.code";

static void bind_scope(struct db_stmt *stmt, const struct caller *caller, const struct progress_filter *f)
{
    db_bind_int64(stmt, 1, caller ? caller->user_id : 0);
    db_bind_int64(stmt, 2, caller_has(caller, ROLE_ADMIN));
    db_bind_int64(stmt, 3, caller_has(caller, ROLE_PARTNER_LEAD));
    db_bind_int64(stmt, 4, caller_has(caller, ROLE_HEADTEACHER));
    db_bind_int64(stmt, 5, caller_has(caller, ROLE_COACH));
    db_bind_int64(stmt, 6, caller_has(caller, ROLE_MENTOR));
    store_bind_id(stmt, 7, f->cohort_id);
    store_bind_id(stmt, 8, f->partner_id);
    db_bind_text(stmt, 9, f->region != NULL && f->region[0] != '\0' ? f->region : NULL);
    db_bind_text(stmt, 10, f->qualification != NULL && f->qualification[0] != '\0' ? f->qualification : NULL);
    db_bind_text(stmt, 11, f->status != NULL && f->status[0] != '\0' ? f->status : NULL);
    store_bind_id(stmt, 12, f->participant_id);
}

enum store_status store_progress_list(struct store *store, const struct caller *caller,
                                      const struct progress_filter *filter, int64_t after_id, size_t limit,
                                      struct arena *arena, struct progress_list_row **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    struct db_stmt *stmt = db_prepare(store->db, SQL_PROGRESS_LIST);
    if (stmt == NULL)
        return STORE_ERROR;
    bind_scope(stmt, caller, filter);
    db_bind_int64(stmt, 13, after_id);
    db_bind_int64(stmt, 14, (int64_t)limit);
    size_t cap = 32;
    struct progress_list_row *rows = arena_alloc(arena, sizeof(*rows) * cap);
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            rows = arena_grow(arena, rows, &cap, sizeof(*rows));
        struct progress_list_row *row = &rows[(*count)++];
        struct progress_record *p = &row->progress;
        p->enrolment_id = db_column_int64(stmt, 0);
        p->status = store_text_or_empty(arena, stmt, 1);
        p->reasons = store_text_or_empty(arena, stmt, 2);
        p->modules_completed = (int)db_column_int64(stmt, 3);
        p->modules_required = (int)db_column_int64(stmt, 4);
        p->events_held = (int)db_column_int64(stmt, 5);
        p->events_attended = (int)db_column_int64(stmt, 6);
        p->has_task = db_column_int64(stmt, 7) != 0;
        p->submitted = db_column_int64(stmt, 8) != 0;
        p->result = store_text_or_empty(arena, stmt, 9);
        p->recheck_at = db_column_int64(stmt, 10);
        row->refreshed_at = db_column_int64(stmt, 11);
        row->participant_id = db_column_int64(stmt, 12);
        row->participant_name = store_text_or_empty(arena, stmt, 13);
        row->target = store_text_or_empty(arena, stmt, 14);
        row->cohort_id = db_column_int64(stmt, 15);
        row->cohort_code = store_text_or_empty(arena, stmt, 16);
        row->partner_id = db_column_int64(stmt, 17);
        row->school_name = store_text_or_empty(arena, stmt, 18);
        row->region = store_text_or_empty(arena, stmt, 19);
        row->has_plan = db_column_int64(stmt, 20) != 0;
    }
    *out = rows;
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_progress_cohorts(struct store *store, const struct caller *caller,
                                         const struct progress_filter *filter, struct arena *arena,
                                         struct progress_cohort_row **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    struct db_stmt *stmt = db_prepare(store->db, SQL_PROGRESS_COHORTS);
    if (stmt == NULL)
        return STORE_ERROR;
    bind_scope(stmt, caller, filter);
    size_t cap = 16;
    struct progress_cohort_row *rows = arena_alloc(arena, sizeof(*rows) * cap);
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            rows = arena_grow(arena, rows, &cap, sizeof(*rows));
        struct progress_cohort_row *row = &rows[(*count)++];
        row->cohort_id = db_column_int64(stmt, 0);
        row->code = store_text_or_empty(arena, stmt, 1);
        row->target = store_text_or_empty(arena, stmt, 2);
        row->partner_id = db_column_int64(stmt, 3);
        int *figures[] = {&row->enrolments,      &row->complete,  &row->at_risk,   &row->behind,      &row->events_held,
                          &row->events_attended, &row->with_task, &row->submitted, &row->with_result, &row->passed};
        for (size_t i = 0; i < sizeof(figures) / sizeof(figures[0]); i++)
            *figures[i] = (int)db_column_int64(stmt, (int)i + 4);
    }
    *out = rows;
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

static const char SQL_PROGRESS_RUN_CLAIM[] =
    "INSERT INTO progress_refresh_runs (hour, claimed_at) VALUES (?1, ?2) ON CONFLICT (hour) DO NOTHING";

enum store_status store_progress_run_claim(struct store *store, int64_t hour, int64_t now, bool *claimed)
{
    *claimed = false;
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_PROGRESS_RUN_CLAIM);
    if (stmt == NULL)
        goto out;
    db_bind_int64(stmt, 1, hour);
    db_bind_int64(stmt, 2, now);
    if (db_exec_stmt(stmt) != DB_DONE)
        goto out;
    *claimed = db_changes(store->db) == 1;
    status = STORE_OK;
out:
    return store_tx_end(store, status);
}

/* Progress updates by email */

/* clang-format off */
static const char SQL_PROGRESS_RECIPIENTS[] =
    "SELECT u.id, u.email, u.name,"
    " EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'mentor'),"
    " EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'headteacher')"
    " FROM users u WHERE u.active = 1 AND u.id > ?2"
    " AND u.id IN (SELECT user_id FROM user_roles WHERE role IN ('mentor', 'headteacher'))"
    " AND NOT EXISTS (SELECT 1 FROM progress_update_claims c WHERE c.recipient_id = u.id AND c.period = ?1)"
    " AND NOT EXISTS (SELECT 1 FROM progress_update_optouts o WHERE o.user_id = u.id)"
    " AND (EXISTS (SELECT 1 FROM assignments a JOIN enrolments e ON e.participant_id = a.participant_id"
    "       AND e.state = 'active' WHERE a.kind = 'mentor' AND a.staff_id = u.id"
    "       AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'mentor'))"
    "  OR EXISTS (SELECT 1 FROM user_roles r JOIN enrolments e ON e.school_id = r.organisation_id"
    "       AND e.state = 'active' WHERE r.user_id = u.id AND r.role = 'headteacher'))"
    " ORDER BY u.id LIMIT ?3";
static const char SQL_PROGRESS_UPDATE_CLAIM[] =
    "INSERT INTO progress_update_claims (recipient_id, period, sent_at) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (recipient_id, period) DO NOTHING";
static const char SQL_PROGRESS_OPTED_OUT[] = "SELECT 1 FROM progress_update_optouts WHERE user_id = ?1";
static const char SQL_PROGRESS_OPT_OUT[] =
    "INSERT INTO progress_update_optouts (user_id, opted_out_at) VALUES (?1, ?2) ON CONFLICT (user_id) DO NOTHING";
static const char SQL_PROGRESS_OPT_IN[] = "DELETE FROM progress_update_optouts WHERE user_id = ?1";
/* clang-format on */

enum store_status store_progress_recipients(struct store *store, const char *period, int64_t after_id, size_t limit,
                                            struct arena *arena, struct progress_recipient **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    struct db_stmt *stmt = db_prepare(store->db, SQL_PROGRESS_RECIPIENTS);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_text(stmt, 1, period);
    db_bind_int64(stmt, 2, after_id);
    db_bind_int64(stmt, 3, (int64_t)limit);
    size_t cap = 16;
    struct progress_recipient *rows = arena_alloc(arena, sizeof(*rows) * cap);
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            rows = arena_grow(arena, rows, &cap, sizeof(*rows));
        rows[(*count)++] = (struct progress_recipient){
            .user_id = db_column_int64(stmt, 0),
            .email = store_text_or_empty(arena, stmt, 1),
            .name = store_text_or_empty(arena, stmt, 2),
            .mentor = db_column_int64(stmt, 3) != 0,
            .headteacher = db_column_int64(stmt, 4) != 0,
        };
    }
    *out = rows;
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_progress_update_claim(struct store *store, int64_t recipient_id, const char *period,
                                              int64_t now, bool *claimed)
{
    *claimed = false;
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_PROGRESS_UPDATE_CLAIM);
    if (stmt == NULL)
        goto out;
    db_bind_int64(stmt, 1, recipient_id);
    db_bind_text(stmt, 2, period);
    db_bind_int64(stmt, 3, now);
    if (db_exec_stmt(stmt) != DB_DONE)
        goto out;
    *claimed = db_changes(store->db) == 1;
    status = STORE_OK;
out:
    return store_tx_end(store, status);
}

enum store_status store_progress_updates_get(struct store *store, int64_t user_id, bool *subscribed)
{
    *subscribed = true;
    struct db_stmt *stmt = db_prepare(store->db, SQL_PROGRESS_OPTED_OUT);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, user_id);
    enum db_result r = db_step(stmt);
    if (r == DB_ROW)
        *subscribed = false;
    db_reset(stmt);
    return r == DB_ROW || r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_progress_updates_set(struct store *store, int64_t user_id, bool subscribed, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, subscribed ? SQL_PROGRESS_OPT_IN : SQL_PROGRESS_OPT_OUT);
    if (stmt == NULL)
        goto out;
    db_bind_int64(stmt, 1, user_id);
    if (!subscribed)
        db_bind_int64(stmt, 2, now);
    if (db_exec_stmt(stmt) == DB_DONE)
        status = STORE_OK;
out:
    return store_tx_end(store, status);
}

/* Support plans */

static const char SQL_SUPPORT_PLAN_GET[] =
    "SELECT sp.id, sp.supporter_id, u.name, sp.review_on, coalesce(sp.created_by, 0), sp.created_at, sp.updated_at"
    " FROM support_plans sp JOIN users u ON u.id = sp.supporter_id WHERE sp.enrolment_id = ?1 AND sp.state = 'open'";
static const char SQL_SUPPORT_ACTIONS[] =
    "SELECT action, due_on FROM support_plan_actions WHERE plan_id = ?1 ORDER BY position";
static const char SQL_SUPPORT_PLAN_UPDATE[] =
    "UPDATE support_plans SET supporter_id = ?2, review_on = ?3, updated_at = ?4"
    " WHERE enrolment_id = ?1 AND state = 'open' RETURNING id";
static const char SQL_SUPPORT_PLAN_INSERT[] =
    "INSERT INTO support_plans (enrolment_id, supporter_id, review_on, state, created_by, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, 'open', ?5, ?4, ?4) RETURNING id";
static const char SQL_SUPPORT_ACTIONS_CLEAR[] = "DELETE FROM support_plan_actions WHERE plan_id = ?1";
static const char SQL_SUPPORT_ACTION_INSERT[] =
    "INSERT INTO support_plan_actions (plan_id, position, action, due_on) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_SUPPORT_PLAN_CLOSE[] =
    "UPDATE support_plans SET state = 'closed', updated_at = ?2 WHERE enrolment_id = ?1 AND state = 'open'";

enum store_status store_support_plan_get(struct store *store, int64_t enrolment_id, struct arena *arena,
                                         struct support_plan *out)
{
    memset(out, 0, sizeof(*out));
    struct db_stmt *stmt = db_prepare(store->db, SQL_SUPPORT_PLAN_GET);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, enrolment_id);
    enum db_result r = db_step(stmt);
    if (r != DB_ROW) {
        db_reset(stmt);
        return r == DB_DONE ? STORE_NOT_FOUND : STORE_ERROR;
    }
    out->id = db_column_int64(stmt, 0);
    out->enrolment_id = enrolment_id;
    out->supporter_id = db_column_int64(stmt, 1);
    out->supporter_name = store_text_or_empty(arena, stmt, 2);
    out->review_on = store_text_or_empty(arena, stmt, 3);
    out->created_by = db_column_int64(stmt, 4);
    out->created_at = db_column_int64(stmt, 5);
    out->updated_at = db_column_int64(stmt, 6);
    db_reset(stmt);
    if ((stmt = db_prepare(store->db, SQL_SUPPORT_ACTIONS)) == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, out->id);
    size_t cap = 8;
    out->actions = arena_alloc(arena, sizeof(*out->actions) * cap);
    while ((r = db_step(stmt)) == DB_ROW) {
        if (out->action_count == cap)
            out->actions = arena_grow(arena, out->actions, &cap, sizeof(*out->actions));
        out->actions[out->action_count++] =
            (struct support_action){store_text_or_empty(arena, stmt, 0), store_text_or_empty(arena, stmt, 1)};
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_support_plan_save(struct store *store, const struct actor *actor, struct support_plan *p,
                                          int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_SUPPORT_PLAN_UPDATE);
    if (stmt == NULL)
        goto out;
    db_bind_int64(stmt, 1, p->enrolment_id);
    db_bind_int64(stmt, 2, p->supporter_id);
    db_bind_text(stmt, 3, p->review_on);
    db_bind_int64(stmt, 4, now);
    enum db_result r = db_step(stmt);
    p->id = r == DB_ROW ? db_column_int64(stmt, 0) : 0;
    db_reset(stmt);
    if (r != DB_ROW && r != DB_DONE)
        goto out;
    if (p->id == 0) {
        if ((stmt = db_prepare(store->db, SQL_SUPPORT_PLAN_INSERT)) == NULL)
            goto out;
        db_bind_int64(stmt, 1, p->enrolment_id);
        db_bind_int64(stmt, 2, p->supporter_id);
        db_bind_text(stmt, 3, p->review_on);
        db_bind_int64(stmt, 4, now);
        store_bind_id(stmt, 5, actor ? actor->user_id : 0);
        r = db_step(stmt);
        p->id = r == DB_ROW ? db_column_int64(stmt, 0) : 0;
        db_reset(stmt);
        if (r == DB_CONSTRAINT) {
            status = STORE_CONFLICT; /* the one open plan was opened by someone else just now */
            goto out;
        }
        if (r != DB_ROW)
            goto out;
    }
    if ((stmt = db_prepare(store->db, SQL_SUPPORT_ACTIONS_CLEAR)) == NULL)
        goto out;
    db_bind_int64(stmt, 1, p->id);
    if (db_exec_stmt(stmt) != DB_DONE)
        goto out;
    for (size_t i = 0; i < p->action_count; i++) {
        if ((stmt = db_prepare(store->db, SQL_SUPPORT_ACTION_INSERT)) == NULL)
            goto out;
        db_bind_int64(stmt, 1, p->id);
        db_bind_int64(stmt, 2, (int64_t)i + 1);
        db_bind_text(stmt, 3, p->actions[i].action);
        db_bind_text(stmt, 4, p->actions[i].due_on);
        if (db_exec_stmt(stmt) != DB_DONE)
            goto out;
    }
    status = STORE_OK;
out:
    return store_tx_end(store, status);
}

enum store_status store_support_plan_close(struct store *store, int64_t enrolment_id, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_SUPPORT_PLAN_CLOSE);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, enrolment_id);
        db_bind_int64(stmt, 2, now);
        if (db_exec_stmt(stmt) == DB_DONE)
            status = db_changes(store->db) == 1 ? STORE_OK : STORE_NOT_FOUND;
    }
    return store_tx_end(store, status);
}

/* Framework coverage */

/* clang-format off */
#define COVERAGE_SQL(which)                                                                                            \
    "SELECT 0, ci.id, cv.title, t.tag, 0, e.id FROM enrolments e"                                                      \
    " JOIN content_completions cc ON cc.enrolment_id = e.id JOIN content_items ci ON ci.id = cc.item_id"               \
    " JOIN content_versions cv ON cv.item_id = ci.id AND cv.version = ci.version"                                      \
    " JOIN content_tags t ON t.item_id = ci.id AND (t.tag LIKE 'statement:%' OR t.tag LIKE 'area:%')"                  \
    " WHERE " which " = ?1"                                                                                            \
    " UNION ALL SELECT 1, ev.id, ev.title, '', ev.framework_area, e.id FROM enrolments e"                              \
    " JOIN events ev ON ev.cohort_id = e.cohort_id AND ev.cancelled_at IS NULL AND ev.framework_area IS NOT NULL"      \
    " JOIN attendance a ON a.event_id = ev.id AND a.user_id = e.participant_id AND a.mark IN ('present', 'late')"     \
    " WHERE " which " = ?1 ORDER BY 1, 3, 2"
static const char SQL_COVERAGE_ENROLMENT[] = COVERAGE_SQL("e.id");
static const char SQL_COVERAGE_COHORT[] = COVERAGE_SQL("e.cohort_id");
/* clang-format on */

enum store_status store_coverage_evidence(struct store *store, int64_t id, bool cohort, struct arena *arena,
                                          struct coverage_evidence **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    struct db_stmt *stmt = db_prepare(store->db, cohort ? SQL_COVERAGE_COHORT : SQL_COVERAGE_ENROLMENT);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    size_t cap = 32;
    struct coverage_evidence *rows = arena_alloc(arena, sizeof(*rows) * cap);
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            rows = arena_grow(arena, rows, &cap, sizeof(*rows));
        rows[(*count)++] = (struct coverage_evidence){
            .event = db_column_int64(stmt, 0) != 0,
            .id = db_column_int64(stmt, 1),
            .title = store_text_or_empty(arena, stmt, 2),
            .tag = store_text_or_empty(arena, stmt, 3),
            .area = (int)db_column_int64(stmt, 4),
            .enrolment_id = db_column_int64(stmt, 5),
        };
    }
    *out = rows;
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}
