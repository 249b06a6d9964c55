/*
 * The home page's questions: for one person, what waits for them in each role. Apart from the
 * records' own files because every query here reads across areas (events with bookings, work with
 * coaching assignments, enrolments with attendance and hours) to answer one question for one
 * person, and only reads. Each query has the same twelve columns (see struct home_row), binds the
 * subject as ?1, the time as ?2 and the limit as ?3, and is scoped in SQL to what the person's
 * role reaches: their cohorts, their coachees, the partners they lead, their schools.
 */
#include "store/store_internal.h"

#include "lib/date.h"

#include <string.h>

/* The partners a person leads, and the schools a person heads. */
#define LEAD_PARTNERS "(SELECT organisation_id FROM user_roles WHERE user_id = ?1 AND role = 'partner_lead')"
#define HEAD_SCHOOLS "(SELECT organisation_id FROM user_roles WHERE user_id = ?1 AND role = 'headteacher')"
#define COACHEES "(SELECT participant_id FROM assignments WHERE staff_id = ?1 AND kind = 'coach')"
#define MENTEES "(SELECT participant_id FROM assignments WHERE staff_id = ?1 AND kind = 'mentor')"

static const char SQL_PARTICIPANT_EVENTS[] =
    "SELECT ev.id, ev.cohort_id, ev.title, c.code, ev.starts_at, ev.kind, coalesce(ev.module, ''), '',"
    " EXISTS (SELECT 1 FROM bookings b WHERE b.event_id = ev.id AND b.user_id = ?1 AND b.cancelled_at IS NULL),"
    " ev.capacity - ev.booked, ev.ends_at, 0"
    " FROM events ev JOIN cohorts c ON c.id = ev.cohort_id"
    " WHERE ev.cancelled_at IS NULL AND ev.ends_at > ?2"
    " AND ev.cohort_id IN (SELECT cohort_id FROM enrolments WHERE participant_id = ?1 AND state = 'active')"
    " ORDER BY ev.starts_at, ev.id LIMIT ?3";

static const char SQL_PARTICIPANT_TASKS[] =
    "SELECT t.id, e.id, t.title, coalesce(s.state, ''), t.deadline, t.kind, t.target, '', coalesce(s.id, 0), 0, 0, 0"
    " FROM enrolments e JOIN assessment_tasks t ON t.deadline > ?2"
    " LEFT JOIN submissions s ON s.task_id = t.id AND s.enrolment_id = e.id"
    " WHERE e.participant_id = ?1 AND e.state = 'active' AND (s.id IS NULL OR s.state = 'draft')"
    " ORDER BY t.deadline, t.id LIMIT ?3";

static const char SQL_PARTICIPANT_FEEDBACK[] =
    "SELECT s.id, s.task_id, t.title, 'Feedback from ' || u.name, f.created_at, 'feedback', '', '', 0, 0, 0, 0"
    " FROM submission_feedback f JOIN submissions s ON s.id = f.submission_id"
    " JOIN assessment_tasks t ON t.id = s.task_id JOIN users u ON u.id = f.author_id"
    " WHERE s.participant_id = ?1 AND s.state = 'draft'"
    " UNION ALL"
    " SELECT s.id, s.task_id, t.title, r.outcome, r.released_at, 'result', '', '', 0, 0, 0, 0"
    " FROM results r JOIN submission_versions v ON v.id = r.version_id JOIN submissions s ON s.id = v.submission_id"
    " JOIN assessment_tasks t ON t.id = s.task_id WHERE s.participant_id = ?1"
    " ORDER BY 5 DESC, 1 DESC LIMIT ?3";

static const char SQL_PARTICIPANT_COACHING[] =
    "SELECT cs.id, cs.coach_id, u.name, cs.place, cs.starts_at, cs.mode, '', '', cs.ends_at, 0, 0, 0"
    " FROM coaching_sessions cs JOIN users u ON u.id = cs.coach_id"
    " WHERE cs.participant_id = ?1 AND cs.cancelled_at IS NULL AND cs.ends_at > ?2"
    " ORDER BY cs.starts_at, cs.id LIMIT ?3";

static const char SQL_PARTICIPANT_ACTIONS[] =
    "SELECT a.session_id, a.id, a.text, '', 0, '', '', coalesce(a.due_on, ''), 0, 0, 0, 0"
    " FROM coaching_actions a JOIN coaching_sessions cs ON cs.id = a.session_id"
    " WHERE cs.participant_id = ?1 AND cs.cancelled_at IS NULL AND a.done_at IS NULL"
    " ORDER BY a.due_on IS NULL, a.due_on, a.id LIMIT ?3";

static const char SQL_FACILITATOR_EVENTS[] =
    "SELECT ev.id, ev.cohort_id, ev.title, c.code, ev.starts_at, ev.kind, coalesce(ev.module, ''), '',"
    " ev.booked, ev.capacity, ev.ends_at, (SELECT count(*) FROM attendance a WHERE a.event_id = ev.id)"
    " FROM events ev JOIN cohorts c ON c.id = ev.cohort_id"
    " WHERE ev.cancelled_at IS NULL AND ev.ends_at > ?2 - 43200"
    " AND (ev.facilitator_id = ?1 OR ev.cohort_id IN"
    " (SELECT cohort_id FROM cohort_staff WHERE user_id = ?1 AND role = 'facilitator'))"
    " ORDER BY ev.starts_at, ev.id LIMIT ?3";

static const char SQL_FACILITATOR_COHORTS[] =
    "SELECT c.id, 0, c.code, c.delivery_model, 0, c.kind, c.target, c.starts_on,"
    " (SELECT count(*) FROM enrolments e WHERE e.cohort_id = c.id AND e.state = 'active'), 0, 0, 0"
    " FROM cohorts c WHERE c.id IN (SELECT cohort_id FROM cohort_staff WHERE user_id = ?1 AND role = 'facilitator'"
    " UNION SELECT cohort_id FROM events WHERE facilitator_id = ?1)"
    " ORDER BY c.starts_on DESC, c.id LIMIT ?3";

static const char SQL_COACH_COACHEES[] =
    "SELECT u.id, 0, u.name, '', coalesce((SELECT min(cs.starts_at) FROM coaching_sessions cs"
    " WHERE cs.participant_id = u.id AND cs.coach_id = ?1 AND cs.cancelled_at IS NULL AND cs.starts_at > ?2), 0),"
    " '', '', '', (SELECT count(*) FROM coaching_sessions cs WHERE cs.participant_id = u.id AND cs.coach_id = ?1"
    " AND cs.cancelled_at IS NULL AND cs.ends_at <= ?2), 0, 0, 0"
    " FROM users u WHERE u.id IN " COACHEES " ORDER BY u.name, u.id LIMIT ?3";

static const char SQL_COACH_SESSIONS[] =
    "SELECT cs.id, cs.participant_id, u.name, cs.place, cs.starts_at, cs.mode, '', '', cs.ends_at, 0, 0, 0"
    " FROM coaching_sessions cs JOIN users u ON u.id = cs.participant_id"
    " WHERE cs.coach_id = ?1 AND cs.cancelled_at IS NULL AND cs.ends_at > ?2"
    " ORDER BY cs.starts_at, cs.id LIMIT ?3";

static const char SQL_COACH_DRAFTS[] =
    "SELECT s.id, s.participant_id, t.title, u.name, s.updated_at, t.kind, t.target, '', 0, 0, 0, 0"
    " FROM submissions s JOIN assessment_tasks t ON t.id = s.task_id JOIN users u ON u.id = s.participant_id"
    " WHERE s.state = 'draft' AND s.draft_text <> '' AND s.participant_id IN " COACHEES
    " AND NOT EXISTS (SELECT 1 FROM submission_feedback f WHERE f.submission_id = s.id"
    " AND f.created_at >= s.updated_at)"
    " ORDER BY s.updated_at, s.id LIMIT ?3";

static const char SQL_COACH_HOURS[] =
    "SELECT e.id, e.participant_id, u.name, '', max(a.created_at), e.kind, e.target, '', count(*),"
    " sum(a.quarter_hours), 0, 0"
    " FROM activities a JOIN enrolments e ON e.id = a.enrolment_id JOIN users u ON u.id = e.participant_id"
    " WHERE a.verified_at IS NULL AND e.state <> 'withdrawn' AND e.participant_id IN " COACHEES
    " GROUP BY e.id, u.name ORDER BY 5, e.id LIMIT ?3";

static const char SQL_ASSESSOR_DEADLINES[] =
    "SELECT t.id, 0, t.title, '', t.deadline, t.kind, t.target, '',"
    " (SELECT count(*) FROM submissions s WHERE s.task_id = t.id AND s.state = 'submitted'), 0, 0, 0"
    " FROM assessment_tasks t WHERE t.deadline > ?2 - 1209600 ORDER BY t.deadline, t.id LIMIT ?3";

static const char SQL_LEAD_COHORTS[] =
    "SELECT c.id, 0, c.code, c.delivery_model, 0, c.kind, c.target, c.starts_on,"
    " (SELECT count(*) FROM enrolments e WHERE e.cohort_id = c.id AND e.state = 'active'),"
    " (SELECT count(*) FROM attendance a JOIN events ev ON ev.id = a.event_id WHERE ev.cohort_id = c.id"
    " AND a.mark IN ('present', 'late')),"
    " (SELECT count(*) FROM attendance a JOIN events ev ON ev.id = a.event_id WHERE ev.cohort_id = c.id), 0"
    " FROM cohorts c WHERE c.delivery_partner_id IN " LEAD_PARTNERS
    " ORDER BY c.ends_on < ?4, c.starts_on, c.id LIMIT ?3";

static const char SQL_LEAD_UNPLACED[] =
    "SELECT u.id, c.id, u.name, c.code, 0, e.kind, e.target, '', e.id, 0, 0, 0"
    " FROM enrolments e JOIN users u ON u.id = e.participant_id JOIN cohorts c ON c.id = e.cohort_id"
    " WHERE e.state = 'active' AND c.delivery_partner_id IN " LEAD_PARTNERS
    " AND EXISTS (SELECT 1 FROM events ev WHERE ev.cohort_id = c.id AND ev.cancelled_at IS NULL"
    " AND ev.starts_at > ?2)"
    " AND NOT EXISTS (SELECT 1 FROM bookings b JOIN events ev ON ev.id = b.event_id WHERE b.user_id = u.id"
    " AND b.cancelled_at IS NULL AND ev.cohort_id = c.id AND ev.cancelled_at IS NULL AND ev.starts_at > ?2)"
    " ORDER BY c.code, u.name, u.id LIMIT ?3";

static const char SQL_LEAD_UNASSIGNED[] =
    "SELECT u.id, a.id, u.name, '', a.updated_at, a.kind, a.target, '', 0, 0, 0, 0"
    " FROM applications a JOIN users u ON u.id = a.participant_id"
    " WHERE a.state = 'accepted' AND a.preferred_partner_id IN " LEAD_PARTNERS " ORDER BY a.updated_at, a.id LIMIT ?3";

static const char SQL_ADMIN_APPLICATIONS[] =
    "SELECT a.id, a.participant_id, u.name, a.state, a.updated_at, a.kind, a.target, '', 0, 0, 0, 0"
    " FROM applications a JOIN users u ON u.id = a.participant_id"
    " WHERE a.state IN ('sponsor_approved', 'accepted')"
    " ORDER BY a.updated_at, a.id LIMIT ?3";

static const char SQL_ADMIN_RELEASE[] =
    "SELECT s.id, s.participant_id, t.title, u.name, s.updated_at, s.state, t.target, '', 0, 0, 0, 0"
    " FROM submissions s JOIN assessment_tasks t ON t.id = s.task_id JOIN users u ON u.id = s.participant_id"
    " WHERE s.state IN ('marked', 'moderated') ORDER BY s.state = 'marked', s.updated_at, s.id LIMIT ?3";

static const char SQL_ADMIN_AWARD_CANDIDATES[] =
    "SELECT e.id, e.participant_id, u.name, '', e.updated_at, e.kind, e.target, '', 0, 0, 0, 0"
    " FROM enrolments e JOIN users u ON u.id = e.participant_id"
    " WHERE e.kind = 'qualification' AND e.state IN ('active', 'completed')"
    " AND NOT EXISTS (SELECT 1 FROM awards w WHERE w.enrolment_id = e.id)"
    " AND EXISTS (SELECT 1 FROM submissions s JOIN assessment_tasks t ON t.id = s.task_id"
    " JOIN submission_versions v ON v.submission_id = s.id JOIN results r ON r.version_id = v.id"
    " WHERE s.enrolment_id = e.id AND t.kind = 'final' AND r.outcome = 'pass')"
    " ORDER BY e.updated_at, e.id LIMIT ?3";

static const char SQL_ADMIN_COHORTS[] =
    "SELECT c.id, 0, c.code, c.delivery_model, 0, c.kind, c.target, c.starts_on, 0, 0, 0, 0"
    " FROM cohorts c WHERE c.ends_on >= ?4 ORDER BY c.starts_on, c.id LIMIT ?3";

/* One row per enrolment of the people a mentor or headteacher follows: progress, attendance, the
 * hours logged and the next milestones, never the content of their work. */
#define PEOPLE_COLUMNS                                                                                                 \
    "SELECT e.id, u.id, u.name, e.state, coalesce((SELECT min(ev.starts_at) FROM events ev"                            \
    " WHERE ev.cohort_id = e.cohort_id AND ev.cancelled_at IS NULL AND ev.starts_at > ?2), 0),"                        \
    " e.kind, e.target, '',"                                                                                           \
    " (SELECT count(*) FROM attendance a JOIN events ev ON ev.id = a.event_id WHERE a.user_id = u.id"                  \
    " AND ev.cohort_id = e.cohort_id AND a.mark IN ('present', 'late')),"                                              \
    " (SELECT count(*) FROM attendance a JOIN events ev ON ev.id = a.event_id WHERE a.user_id = u.id"                  \
    " AND ev.cohort_id = e.cohort_id),"                                                                                \
    " coalesce((SELECT sum(quarter_hours) FROM activity_totals x WHERE x.enrolment_id = e.id), 0),"                    \
    " coalesce((SELECT min(t.deadline) FROM assessment_tasks t WHERE t.deadline > ?2"                                  \
    " AND (t.target = e.target OR t.target IN (SELECT module FROM enrolment_electives WHERE enrolment_id = e.id))"     \
    " AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.task_id = t.id AND s.enrolment_id = e.id"                    \
    " AND s.state <> 'draft')), 0)"                                                                                    \
    " FROM enrolments e JOIN users u ON u.id = e.participant_id"                                                       \
    " WHERE e.state IN ('active', 'deferred', 'completed') AND "

static const char SQL_MENTOR_PEOPLE[] =
    PEOPLE_COLUMNS "e.participant_id IN " MENTEES " ORDER BY u.name, u.id, e.id LIMIT ?3";
static const char SQL_HEADTEACHER_PEOPLE[] =
    PEOPLE_COLUMNS "e.school_id IN " HEAD_SCHOOLS " ORDER BY u.name, u.id, e.id LIMIT ?3";

static const char SQL_ENROLMENT_WORK[] =
    "SELECT s.id, s.task_id, t.title, CASE WHEN s.state = 'released' THEN coalesce((SELECT r.outcome FROM results r"
    " JOIN submission_versions v ON v.id = r.version_id WHERE v.submission_id = s.id ORDER BY v.number DESC"
    " LIMIT 1), '') ELSE '' END, s.updated_at, s.state, t.target, '', 0, 0, 0, 0"
    " FROM submissions s JOIN assessment_tasks t ON t.id = s.task_id"
    " WHERE s.enrolment_id = ?1 AND ?2 = ?2 ORDER BY t.deadline, s.id LIMIT ?3";

static const char *const queries[] = {
    [HOME_PARTICIPANT_EVENTS] = SQL_PARTICIPANT_EVENTS,
    [HOME_PARTICIPANT_TASKS] = SQL_PARTICIPANT_TASKS,
    [HOME_PARTICIPANT_FEEDBACK] = SQL_PARTICIPANT_FEEDBACK,
    [HOME_PARTICIPANT_COACHING] = SQL_PARTICIPANT_COACHING,
    [HOME_PARTICIPANT_ACTIONS] = SQL_PARTICIPANT_ACTIONS,
    [HOME_FACILITATOR_EVENTS] = SQL_FACILITATOR_EVENTS,
    [HOME_FACILITATOR_COHORTS] = SQL_FACILITATOR_COHORTS,
    [HOME_COACH_COACHEES] = SQL_COACH_COACHEES,
    [HOME_COACH_SESSIONS] = SQL_COACH_SESSIONS,
    [HOME_COACH_DRAFTS] = SQL_COACH_DRAFTS,
    [HOME_COACH_HOURS] = SQL_COACH_HOURS,
    [HOME_ASSESSOR_DEADLINES] = SQL_ASSESSOR_DEADLINES,
    [HOME_LEAD_COHORTS] = SQL_LEAD_COHORTS,
    [HOME_LEAD_UNPLACED] = SQL_LEAD_UNPLACED,
    [HOME_LEAD_UNASSIGNED] = SQL_LEAD_UNASSIGNED,
    [HOME_ADMIN_APPLICATIONS] = SQL_ADMIN_APPLICATIONS,
    [HOME_ADMIN_RELEASE] = SQL_ADMIN_RELEASE,
    [HOME_ADMIN_AWARD_CANDIDATES] = SQL_ADMIN_AWARD_CANDIDATES,
    [HOME_ADMIN_COHORTS] = SQL_ADMIN_COHORTS,
    [HOME_MENTOR_PEOPLE] = SQL_MENTOR_PEOPLE,
    [HOME_HEADTEACHER_PEOPLE] = SQL_HEADTEACHER_PEOPLE,
    [HOME_ENROLMENT_WORK] = SQL_ENROLMENT_WORK,
};

enum store_status store_home_rows(struct store *store, enum home_query query, int64_t subject, int64_t now,
                                  size_t limit, struct arena *arena, struct home_row **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    if ((size_t)query >= sizeof(queries) / sizeof(queries[0]) || queries[query] == NULL)
        return STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, queries[query]);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, subject);
    db_bind_int64(stmt, 2, now);
    db_bind_int64(stmt, 3, (int64_t)limit);
    char today[DATE_TEXT];
    date_of(now, today); /* a cohort's days are dates: compared as text, on any engine */
    db_bind_text(stmt, 4, today);
    size_t cap = limit < 16 ? (limit ? limit : 1) : 16;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        struct home_row *row = &(*out)[(*count)++];
        memset(row, 0, sizeof(*row));
        row->id = db_column_int64(stmt, 0);
        row->ref = db_column_int64(stmt, 1);
        row->title = store_text_or_empty(arena, stmt, 2);
        row->detail = store_text_or_empty(arena, stmt, 3);
        row->at = db_column_int64(stmt, 4);
        row->kind = store_text_or_empty(arena, stmt, 5);
        row->code = store_text_or_empty(arena, stmt, 6);
        row->date = store_text_or_empty(arena, stmt, 7);
        for (int i = 0; i < 4; i++)
            row->n[i] = db_column_int64(stmt, 8 + i);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}
