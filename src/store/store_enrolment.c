/*
 * Applications, cohorts, enrolments, completed modules, fees and the funding report in the
 * database. State changes are compare-and-set (UPDATE ... WHERE state = the state the rules saw),
 * so two people acting at once cannot both move the same record, and each change is written to
 * the record's history and to the audit log in the same transaction.
 */
#include "store/store_internal.h"

#include "lib/date.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads an ordered list of module codes (application or enrolment electives). */
static enum store_status read_codes(struct store *store, const char *sql, int64_t id, struct arena *arena,
                                    const char ***out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, sql);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    size_t cap = 8;
    *out = arena_alloc(arena, sizeof(char *) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count + 1 == cap) {
            const char **grown = arena_alloc(arena, sizeof(char *) * cap * 2);
            memcpy(grown, *out, sizeof(char *) * cap);
            *out = grown;
            cap *= 2;
        }
        (*out)[(*count)++] = store_text_or_empty(arena, stmt, 0);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

/* Where a record of a page keeps its codes. */
struct code_slot {
    int64_t id;
    const char ***codes;
    size_t *count;
};

/* Reads the codes of every record of a page in one query rather than one per record: stmt, bound,
 * answers (record id, code) by record and then position; a row of a record not in slots (the one
 * past the page) is skipped. */
static enum store_status read_page_codes(struct db_stmt *stmt, struct arena *arena, struct code_slot *slots,
                                         size_t slot_count)
{
    size_t *caps = arena_alloc(arena, sizeof(*caps) * (slot_count ? slot_count : 1));
    for (size_t i = 0; i < slot_count; i++) {
        *slots[i].codes = NULL;
        *slots[i].count = 0;
    }
    size_t at = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        int64_t id = db_column_int64(stmt, 0);
        if (at >= slot_count || slots[at].id != id)
            for (at = 0; at < slot_count && slots[at].id != id; at++)
                ;
        if (at == slot_count)
            continue;
        struct code_slot *s = &slots[at];
        if (*s->count + 1 >= caps[at]) {
            size_t cap = caps[at] ? caps[at] * 2 : 8;
            const char **grown = arena_alloc(arena, sizeof(char *) * cap);
            if (*s->count)
                memcpy(grown, *s->codes, sizeof(char *) * *s->count);
            *s->codes = grown;
            caps[at] = cap;
        }
        (*s->codes)[(*s->count)++] = store_text_or_empty(arena, stmt, 1);
    }
    for (size_t i = 0; i < slot_count; i++)
        if (*slots[i].codes == NULL) /* callers read an empty list, never NULL */
            *slots[i].codes = arena_alloc(arena, sizeof(char *));
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

static enum store_status write_codes(struct store *store, const char *delete_sql, const char *insert_sql, int64_t id,
                                     const char **codes, size_t count)
{
    struct db_stmt *stmt = db_prepare(store->db, delete_sql);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    if (db_exec_stmt(stmt) != DB_DONE)
        return STORE_ERROR;
    for (size_t i = 0; i < count; i++) {
        if ((stmt = db_prepare(store->db, insert_sql)) == NULL)
            return STORE_ERROR;
        db_bind_int64(stmt, 1, id);
        db_bind_int64(stmt, 2, (int64_t)i);
        db_bind_text(stmt, 3, codes[i]);
        if (db_exec_stmt(stmt) != DB_DONE)
            return STORE_ERROR;
    }
    return STORE_OK;
}

static enum store_status read_history(struct store *store, const char *sql, int64_t id, struct arena *arena,
                                      struct history_event **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, sql);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    size_t cap = 16;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        struct history_event *e = &(*out)[(*count)++];
        e->at = db_column_int64(stmt, 0);
        e->actor_label = store_text_or_empty(arena, stmt, 1);
        e->step = store_text_or_empty(arena, stmt, 2);
        e->from_state = store_text_or_empty(arena, stmt, 3);
        e->to_state = store_text_or_empty(arena, stmt, 4);
        e->reason = store_text_or_empty(arena, stmt, 5);
        e->reason_code = store_text_or_empty(arena, stmt, 6);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

/* Cohorts */

/* A taken code (in any case) inserts nothing; an unknown partner fails its foreign key. */
static const char SQL_COHORT_INSERT[] =
    "INSERT INTO cohorts (code, kind, target, delivery_partner_id, delivery_model, starts_on, ends_on, created_at,"
    " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) ON CONFLICT (code) DO NOTHING";
#define COHORT_COLUMNS                                                                                                 \
    "c.id, c.code, c.kind, c.target, coalesce(c.delivery_partner_id, 0), o.name, c.delivery_model, c.starts_on,"       \
    " c.ends_on, (SELECT count(*) FROM enrolments e WHERE e.cohort_id = c.id AND e.state IN ('active', 'deferred'))"
static const char SQL_COHORT_GET[] = "SELECT " COHORT_COLUMNS " FROM cohorts c"
                                     " LEFT JOIN organisations o ON o.id = c.delivery_partner_id WHERE c.id = ?1";
/* A code taken by another cohort changes nothing; an unknown partner fails its foreign key. */
static const char SQL_COHORT_UPDATE[] =
    "UPDATE cohorts SET code = ?2, delivery_partner_id = ?3, delivery_model = ?4, starts_on = ?5, ends_on = ?6,"
    " updated_at = ?7 WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM cohorts o WHERE o.code = ?2 AND o.id <> ?1)";
static const char SQL_COHORT_LIST[] = "SELECT " COHORT_COLUMNS " FROM cohorts c"
                                      " LEFT JOIN organisations o ON o.id = c.delivery_partner_id"
                                      " WHERE (?1 IS NULL OR c.target = ?1)"
                                      " AND (c.starts_on, c.id) > (?2, ?3)"
                                      " ORDER BY c.starts_on, c.id LIMIT ?4";

static void read_cohort(struct db_stmt *stmt, struct arena *arena, struct cohort *c)
{
    memset(c, 0, sizeof(*c));
    c->id = db_column_int64(stmt, 0);
    c->code = store_text_or_empty(arena, stmt, 1);
    study_kind_parse(db_column_text(stmt, 2), &c->kind);
    c->target = store_text_or_empty(arena, stmt, 3);
    c->delivery_partner_id = db_column_int64(stmt, 4);
    c->delivery_partner_name = store_text(arena, stmt, 5);
    delivery_model_parse(db_column_text(stmt, 6), &c->delivery_model);
    c->starts_on = store_text_or_empty(arena, stmt, 7);
    c->ends_on = store_text_or_empty(arena, stmt, 8);
    c->participant_count = db_column_int64(stmt, 9);
}

enum store_status store_cohort_create(struct store *store, const struct actor *actor, struct cohort *c, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_COHORT_INSERT);
    if (stmt != NULL) {
        db_bind_text(stmt, 1, c->code);
        db_bind_text(stmt, 2, study_kind_name(c->kind));
        db_bind_text(stmt, 3, c->target);
        store_bind_id(stmt, 4, c->delivery_partner_id);
        db_bind_text(stmt, 5, delivery_model_name(c->delivery_model));
        db_bind_text(stmt, 6, c->starts_on);
        db_bind_text(stmt, 7, c->ends_on);
        db_bind_int64(stmt, 8, now);
        enum db_result r = db_exec_stmt(stmt);
        if (r == DB_CONSTRAINT)
            status = STORE_NOT_FOUND;
        else if (r == DB_DONE && db_changes(store->db) == 0)
            status = STORE_CONFLICT;
        else if (r == DB_DONE) {
            c->id = db_last_insert_id(store->db);
            status = store_audit_json(store, actor, "cohort.create", "cohort", c->id, NULL,
                                      json_pack("{s:s, s:s, s:s, s:s, s:s}", "code", c->code, "target", c->target,
                                                "delivery_model", delivery_model_name(c->delivery_model), "starts_on",
                                                c->starts_on, "ends_on", c->ends_on),
                                      now);
        }
    }
    return store_tx_end(store, status);
}

enum store_status store_cohort_update(struct store *store, const struct actor *actor, const struct cohort *c,
                                      int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_COHORT_UPDATE);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, c->id);
        db_bind_text(stmt, 2, c->code);
        store_bind_id(stmt, 3, c->delivery_partner_id);
        db_bind_text(stmt, 4, delivery_model_name(c->delivery_model));
        db_bind_text(stmt, 5, c->starts_on);
        db_bind_text(stmt, 6, c->ends_on);
        db_bind_int64(stmt, 7, now);
        enum db_result r = db_exec_stmt(stmt);
        if (r == DB_CONSTRAINT)
            status = STORE_NOT_FOUND;
        else if (r == DB_DONE && db_changes(store->db) == 0)
            status = STORE_CONFLICT;
        else if (r == DB_DONE)
            status = store_audit_json(store, actor, "cohort.update", "cohort", c->id, NULL,
                                      json_pack("{s:s, s:s, s:s, s:s}", "code", c->code, "delivery_model",
                                                delivery_model_name(c->delivery_model), "starts_on", c->starts_on,
                                                "ends_on", c->ends_on),
                                      now);
    }
    return store_tx_end(store, status);
}

enum store_status store_cohort_get(struct store *store, int64_t id, struct arena *arena, struct cohort *out)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_COHORT_GET);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_NOT_FOUND;
    if (r != DB_ROW)
        return STORE_ERROR;
    read_cohort(stmt, arena, out);
    db_reset(stmt);
    return STORE_OK;
}

enum store_status store_cohort_list(struct store *store, const char *target, struct store_page *page,
                                    struct arena *arena, struct cohort **out, size_t *count)
{
    struct store_page first = {.limit = 1000};
    if (page == NULL)
        page = &first;
    struct db_stmt *stmt = db_prepare(store->db, SQL_COHORT_LIST);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_text(stmt, 1, target);
    store_page_bind(stmt, 2, CURSOR_TEXT, STORE_ASCENDING, page);
    *out = arena_alloc(arena, sizeof(**out) * store_page_limit(page));
    *count = 0;
    enum db_result r;
    /* Columns 7 and 0 are starts_on and id. */
    while ((r = db_step(stmt)) == DB_ROW && store_page_row(page, stmt, *count, CURSOR_TEXT, 7, 0, arena))
        read_cohort(stmt, arena, &(*out)[(*count)++]);
    return r == DB_DONE || r == DB_ROW ? STORE_OK : STORE_ERROR;
}

/* Applications */

/* The application in the DfE's terms, bound from ?14 on in inserts and updates alike. */
#define DFE_COLUMNS                                                                                                    \
    "trn, school_urn, school_ukprn, employment_type, employer_name, headteacher_status, works_as_senco,"               \
    " senco_start_date, funding_choice, eligible_for_funding, funded_place, ineligibility_reason"
static const char SQL_APPLICATION_INSERT[] =
    "INSERT INTO applications (participant_id, kind, target, school_id, job_role, sponsor_id, delivery_model,"
    " preferred_region, preferred_partner_id, funding_route, scholarship_eligibility, state, created_by, created_at,"
    " updated_at, " DFE_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'draft', ?12, ?13, ?13,"
    " ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)";
static const char SQL_APPLICATION_UPDATE[] =
    "UPDATE applications SET kind = ?2, target = ?3, school_id = ?4, job_role = ?5, sponsor_id = ?6,"
    " delivery_model = ?7, preferred_region = ?8, preferred_partner_id = ?9, funding_route = ?10,"
    " scholarship_eligibility = ?11, updated_at = ?12, trn = ?14, school_urn = ?15, school_ukprn = ?16,"
    " employment_type = ?17, employer_name = ?18, headteacher_status = ?19, works_as_senco = ?20,"
    " senco_start_date = ?21, funding_choice = ?22, eligible_for_funding = ?23, funded_place = ?24,"
    " ineligibility_reason = ?25 WHERE id = ?1 AND state = 'draft'";
static const char SQL_APPLICATION_ELECTIVES_DELETE[] = "DELETE FROM application_electives WHERE application_id = ?1";
static const char SQL_APPLICATION_ELECTIVES_INSERT[] =
    "INSERT INTO application_electives (application_id, position, module) VALUES (?1, ?2, ?3)";
static const char SQL_APPLICATION_ELECTIVES[] =
    "SELECT module FROM application_electives WHERE application_id = ?1 ORDER BY position";
#define APPLICATION_COLUMNS                                                                                            \
    "a.id, a.participant_id, p.name, p.email, a.kind, a.target, coalesce(a.school_id, 0), school.name, a.job_role,"    \
    " coalesce(a.sponsor_id, 0), sponsor.name, sponsor.email, a.delivery_model, a.preferred_region,"                   \
    " coalesce(a.preferred_partner_id, 0), partner.name, a.funding_route, a.scholarship_eligibility, a.state,"         \
    " a.decision_reason, coalesce(a.enrolment_id, 0), a.created_at, a.updated_at, a.trn, a.school_urn,"                \
    " a.school_ukprn, a.employment_type, a.employer_name, a.headteacher_status, a.works_as_senco,"                     \
    " a.senco_start_date, a.funding_choice, a.eligible_for_funding, a.funded_place, a.ineligibility_reason,"           \
    " a.decision_reason_code"
#define APPLICATION_JOINS                                                                                              \
    " FROM applications a JOIN users p ON p.id = a.participant_id"                                                     \
    " LEFT JOIN organisations school ON school.id = a.school_id"                                                       \
    " LEFT JOIN users sponsor ON sponsor.id = a.sponsor_id"                                                            \
    " LEFT JOIN organisations partner ON partner.id = a.preferred_partner_id"
static const char SQL_APPLICATION_GET[] = "SELECT " APPLICATION_COLUMNS APPLICATION_JOINS " WHERE a.id = ?1";
/* The same scope as policy_allows for an application: the applicant, the sponsor, their coach or
 * mentor, the headteacher of their school, the lead of a partner they work with or that the
 * application prefers, and administrators. */
#define APPLICATION_MATCHES                                                                                            \
    APPLICATION_JOINS                                                                                                  \
    " WHERE (?2 = 1 OR a.participant_id = ?1 OR a.sponsor_id = ?1"                                                     \
    " OR EXISTS (SELECT 1 FROM assignments x WHERE x.staff_id = ?1 AND x.participant_id = a.participant_id"            \
    "     AND ((x.kind = 'coach' AND ?8 = 1) OR (x.kind = 'mentor' AND ?9 = 1)))"                                      \
    " OR (?3 = 1 AND (a.school_id IN (SELECT organisation_id FROM user_roles WHERE user_id = ?1"                       \
    "     AND role = 'headteacher') OR p.organisation_id IN (SELECT organisation_id FROM user_roles"                   \
    "     WHERE user_id = ?1 AND role = 'headteacher')))"                                                              \
    " OR (?4 = 1 AND (a.preferred_partner_id IN (SELECT organisation_id FROM user_roles WHERE user_id = ?1"            \
    "     AND role = 'partner_lead') OR EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = a.participant_id"       \
    "     AND ur.organisation_id IN (SELECT organisation_id FROM user_roles WHERE user_id = ?1"                        \
    "     AND role = 'partner_lead')))))"                                                                              \
    " AND (?5 = '' OR a.state = ?5) AND (?6 = 0 OR a.participant_id = ?6)"
/* Newest change first (CURSOR_NUMBER on updated_at), then id. */
#define APPLICATION_PAGE                                                                                               \
    APPLICATION_MATCHES " AND (a.updated_at, a.id) < (?10, ?11)"                                                       \
                        " ORDER BY a.updated_at DESC, a.id DESC LIMIT ?12"
static const char SQL_APPLICATION_LIST[] = "SELECT " APPLICATION_COLUMNS APPLICATION_PAGE;
static const char SQL_APPLICATION_COUNT[] = "SELECT count(*)" APPLICATION_MATCHES;
static const char SQL_APPLICATION_PAGE_ELECTIVES[] =
    "SELECT application_id, module FROM application_electives"
    " WHERE application_id IN (SELECT a.id" APPLICATION_PAGE ") ORDER BY application_id, position";
static const char SQL_APPLICATION_TRANSITION[] =
    "UPDATE applications SET state = ?3, decision_reason = CASE WHEN ?4 = '' THEN decision_reason ELSE ?4 END,"
    " decision_reason_code = CASE WHEN ?6 = '' THEN decision_reason_code ELSE ?6 END,"
    " updated_at = ?5 WHERE id = ?1 AND state = ?2";
static const char SQL_APPLICATION_EVENT[] =
    "INSERT INTO application_events (application_id, at, actor_id, actor_label, step, from_state, to_state, reason,"
    " reason_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?11)";
static const char SQL_APPLICATION_HISTORY[] =
    "SELECT at, actor_label, step, from_state, to_state, reason, reason_code FROM application_events"
    " WHERE application_id = ?1 ORDER BY id";
static const char SQL_APPLICATION_SET_ENROLMENT[] = "UPDATE applications SET enrolment_id = ?2 WHERE id = ?1";

static void bind_flag(struct db_stmt *stmt, int index, enum dfe_flag flag)
{
    if (flag == DFE_UNKNOWN)
        db_bind_null(stmt, index);
    else
        db_bind_int64(stmt, index, flag == DFE_YES);
}

static enum dfe_flag column_flag(struct db_stmt *stmt, int column)
{
    if (db_column_is_null(stmt, column))
        return DFE_UNKNOWN;
    return db_column_int64(stmt, column) ? DFE_YES : DFE_NO;
}

static void bind_application(struct db_stmt *stmt, const struct application *a)
{
    db_bind_text(stmt, 2, study_kind_name(a->kind));
    db_bind_text(stmt, 3, a->target);
    store_bind_id(stmt, 4, a->school_id);
    db_bind_text(stmt, 5, a->job_role ? a->job_role : "");
    store_bind_id(stmt, 6, a->sponsor_id);
    db_bind_text(stmt, 7, delivery_model_name(a->delivery_model));
    db_bind_text(stmt, 8, a->preferred_region ? a->preferred_region : "");
    store_bind_id(stmt, 9, a->preferred_partner_id);
    db_bind_text(stmt, 10, funding_route_name(a->funding));
    db_bind_text(stmt, 11, a->scholarship_eligibility ? a->scholarship_eligibility : "");
    const struct dfe_application *d = &a->dfe;
    const char *texts[] = {d->trn,           d->school_urn,        d->school_ukprn, d->employment_type,
                           d->employer_name, d->headteacher_status};
    for (int i = 0; i < 6; i++)
        db_bind_text(stmt, 14 + i, texts[i] ? texts[i] : "");
    bind_flag(stmt, 20, d->works_as_senco);
    db_bind_text(stmt, 21, d->senco_start_date && *d->senco_start_date ? d->senco_start_date : NULL);
    db_bind_text(stmt, 22, d->funding_choice ? d->funding_choice : "");
    bind_flag(stmt, 23, d->eligible_for_funding);
    bind_flag(stmt, 24, d->funded_place);
    db_bind_text(stmt, 25, d->ineligibility_reason ? d->ineligibility_reason : "");
}

static json_t *application_summary(const struct application *a)
{
    json_t *electives = json_array();
    for (size_t i = 0; i < a->elective_count; i++)
        json_array_append_new(electives, json_string(a->electives[i]));
    return json_pack("{s:s, s:s, s:o, s:s, s:s, s:I, s:I}", "kind", study_kind_name(a->kind), "target", a->target,
                     "electives", electives, "delivery_model", delivery_model_name(a->delivery_model), "funding_route",
                     funding_route_name(a->funding), "sponsor_id", (json_int_t)a->sponsor_id, "school_id",
                     (json_int_t)a->school_id);
}

enum store_status store_application_create(struct store *store, const struct actor *actor, struct application *a,
                                           int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_APPLICATION_INSERT);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, a->participant_id);
        bind_application(stmt, a);
        store_bind_id(stmt, 12, actor->user_id);
        db_bind_int64(stmt, 13, now);
        enum db_result r = db_exec_stmt(stmt);
        if (r == DB_CONSTRAINT)
            status = STORE_NOT_FOUND; /* a person or organisation named does not exist */
        else if (r == DB_DONE) {
            a->id = db_last_insert_id(store->db);
            status = write_codes(store, SQL_APPLICATION_ELECTIVES_DELETE, SQL_APPLICATION_ELECTIVES_INSERT, a->id,
                                 a->electives, a->elective_count);
            if (status == STORE_OK)
                status = store_audit_json(store, actor, "application.create", "application", a->id, NULL,
                                          application_summary(a), now);
        }
    }
    return store_tx_end(store, status);
}

enum store_status store_application_update(struct store *store, const struct actor *actor, const struct application *a,
                                           int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_APPLICATION_UPDATE);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, a->id);
        bind_application(stmt, a);
        db_bind_int64(stmt, 12, now);
        enum db_result r = db_exec_stmt(stmt);
        if (r == DB_CONSTRAINT)
            status = STORE_NOT_FOUND;
        else if (r == DB_DONE)
            status = db_changes(store->db) > 0 ? STORE_OK : STORE_CONFLICT;
        if (status == STORE_OK)
            status = write_codes(store, SQL_APPLICATION_ELECTIVES_DELETE, SQL_APPLICATION_ELECTIVES_INSERT, a->id,
                                 a->electives, a->elective_count);
        if (status == STORE_OK)
            status = store_audit_json(store, actor, "application.update", "application", a->id, NULL,
                                      application_summary(a), now);
    }
    return store_tx_end(store, status);
}

static void read_application(struct db_stmt *stmt, struct arena *arena, struct application *a)
{
    memset(a, 0, sizeof(*a));
    a->id = db_column_int64(stmt, 0);
    a->participant_id = db_column_int64(stmt, 1);
    a->participant_name = store_text_or_empty(arena, stmt, 2);
    a->participant_email = store_text_or_empty(arena, stmt, 3);
    study_kind_parse(db_column_text(stmt, 4), &a->kind);
    a->target = store_text_or_empty(arena, stmt, 5);
    a->school_id = db_column_int64(stmt, 6);
    a->school_name = store_text(arena, stmt, 7);
    a->job_role = store_text_or_empty(arena, stmt, 8);
    a->sponsor_id = db_column_int64(stmt, 9);
    a->sponsor_name = store_text(arena, stmt, 10);
    a->sponsor_email = store_text(arena, stmt, 11);
    delivery_model_parse(db_column_text(stmt, 12), &a->delivery_model);
    a->preferred_region = store_text_or_empty(arena, stmt, 13);
    a->preferred_partner_id = db_column_int64(stmt, 14);
    a->preferred_partner_name = store_text(arena, stmt, 15);
    funding_route_parse(db_column_text(stmt, 16), &a->funding);
    a->scholarship_eligibility = store_text_or_empty(arena, stmt, 17);
    application_state_parse(db_column_text(stmt, 18), &a->state);
    a->decision_reason = store_text_or_empty(arena, stmt, 19);
    a->enrolment_id = db_column_int64(stmt, 20);
    a->created_at = db_column_int64(stmt, 21);
    a->updated_at = db_column_int64(stmt, 22);
    struct dfe_application *d = &a->dfe;
    d->trn = store_text_or_empty(arena, stmt, 23);
    d->school_urn = store_text_or_empty(arena, stmt, 24);
    d->school_ukprn = store_text_or_empty(arena, stmt, 25);
    d->employment_type = store_text_or_empty(arena, stmt, 26);
    d->employer_name = store_text_or_empty(arena, stmt, 27);
    d->headteacher_status = store_text_or_empty(arena, stmt, 28);
    d->works_as_senco = column_flag(stmt, 29);
    d->senco_start_date = store_text_or_empty(arena, stmt, 30);
    d->funding_choice = store_text_or_empty(arena, stmt, 31);
    d->eligible_for_funding = column_flag(stmt, 32);
    d->funded_place = column_flag(stmt, 33);
    d->ineligibility_reason = store_text_or_empty(arena, stmt, 34);
    d->decision_reason_code = store_text_or_empty(arena, stmt, 35);
}

enum store_status store_application_get(struct store *store, int64_t id, struct arena *arena, struct application *out)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_APPLICATION_GET);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_NOT_FOUND;
    if (r != DB_ROW)
        return STORE_ERROR;
    read_application(stmt, arena, out);
    db_reset(stmt);
    return read_codes(store, SQL_APPLICATION_ELECTIVES, id, arena, &out->electives, &out->elective_count);
}

enum store_status store_application_history(struct store *store, int64_t id, struct arena *arena,
                                            struct history_event **out, size_t *count)
{
    return read_history(store, SQL_APPLICATION_HISTORY, id, arena, out, count);
}

static void bind_application_list(struct db_stmt *stmt, const struct caller *caller,
                                  const struct application_filter *filter, const struct store_page *page)
{
    db_bind_int64(stmt, 1, caller ? caller->user_id : 0);
    db_bind_int64(stmt, 2, caller_has(caller, ROLE_ADMIN));
    db_bind_int64(stmt, 3, caller_has(caller, ROLE_HEADTEACHER));
    db_bind_int64(stmt, 4, caller_has(caller, ROLE_PARTNER_LEAD));
    db_bind_text(stmt, 5, filter->state >= 0 ? application_state_name((enum application_state)filter->state) : "");
    db_bind_int64(stmt, 6, filter->participant_id);
    db_bind_int64(stmt, 8, caller_has(caller, ROLE_COACH));
    db_bind_int64(stmt, 9, caller_has(caller, ROLE_MENTOR));
    if (page != NULL)
        store_page_bind(stmt, 10, CURSOR_NUMBER, STORE_DESCENDING, page);
}

enum store_status store_application_list(struct store *store, const struct caller *caller,
                                         const struct application_filter *filter, struct store_page *page,
                                         struct arena *arena, struct application **out, size_t *count, size_t *total)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_APPLICATION_COUNT);
    if (stmt == NULL)
        return STORE_ERROR;
    bind_application_list(stmt, caller, filter, NULL);
    *total = db_step(stmt) == DB_ROW ? (size_t)db_column_int64(stmt, 0) : 0;
    db_reset(stmt);
    if ((stmt = db_prepare(store->db, SQL_APPLICATION_LIST)) == NULL)
        return STORE_ERROR;
    bind_application_list(stmt, caller, filter, page);
    *out = arena_alloc(arena, sizeof(**out) * store_page_limit(page));
    *count = 0;
    enum db_result r;
    /* Columns 22 and 0 are updated_at and id. */
    while ((r = db_step(stmt)) == DB_ROW && store_page_row(page, stmt, *count, CURSOR_NUMBER, 22, 0, arena))
        read_application(stmt, arena, &(*out)[(*count)++]);
    if (r != DB_DONE && r != DB_ROW)
        return STORE_ERROR;
    if ((stmt = db_prepare(store->db, SQL_APPLICATION_PAGE_ELECTIVES)) == NULL)
        return STORE_ERROR;
    bind_application_list(stmt, caller, filter, page);
    struct code_slot *slots = arena_alloc(arena, sizeof(*slots) * (*count ? *count : 1));
    for (size_t i = 0; i < *count; i++)
        slots[i] = (struct code_slot){(*out)[i].id, &(*out)[i].electives, &(*out)[i].elective_count};
    return read_page_codes(stmt, arena, slots, *count);
}

/* Writes a history row for a state change (both kinds of record share the shape). */
static enum store_status record_step(struct store *store, const char *sql, const struct actor *actor, int64_t id,
                                     const char *step, const char *from, const char *to, const char *reason,
                                     const char *reason_code, int64_t now, int64_t cohort_id,
                                     const char *expected_return)
{
    struct db_stmt *stmt = db_prepare(store->db, sql);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    db_bind_int64(stmt, 2, now);
    store_bind_id(stmt, 3, actor->user_id);
    db_bind_text(stmt, 4, actor->label ? actor->label : "system");
    db_bind_text(stmt, 5, step);
    db_bind_text(stmt, 6, from);
    db_bind_text(stmt, 7, to);
    db_bind_text(stmt, 8, reason ? reason : "");
    db_bind_text(stmt, 11, reason_code ? reason_code : ""); /* ?11 in both kinds of event */
    if (cohort_id >= 0) {                                   /* enrolment events carry two more columns */
        store_bind_id(stmt, 9, cohort_id);
        db_bind_text(stmt, 10, expected_return);
    }
    return db_exec_stmt(stmt) == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_application_transition(struct store *store, const struct actor *actor, int64_t id,
                                               enum application_state from, enum application_state to, const char *step,
                                               const char *reason, const char *reason_code, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_APPLICATION_TRANSITION);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, id);
        db_bind_text(stmt, 2, application_state_name(from));
        db_bind_text(stmt, 3, application_state_name(to));
        db_bind_text(stmt, 4, reason ? reason : "");
        db_bind_int64(stmt, 5, now);
        db_bind_text(stmt, 6, reason_code ? reason_code : "");
        if (db_exec_stmt(stmt) == DB_DONE)
            status = db_changes(store->db) > 0 ? STORE_OK : STORE_CONFLICT;
    }
    if (status == STORE_OK)
        status = record_step(store, SQL_APPLICATION_EVENT, actor, id, step, application_state_name(from),
                             application_state_name(to), reason, reason_code, now, -1, NULL);
    if (status == STORE_OK)
        status =
            store_audit_json(store, actor, "application.step", "application", id,
                             json_pack("{s:s}", "state", application_state_name(from)),
                             json_pack("{s:s, s:s, s:s, s:s}", "state", application_state_name(to), "step", step,
                                       "reason", reason ? reason : "", "reason_code", reason_code ? reason_code : ""),
                             now);
    return store_tx_end(store, status);
}

static enum store_status application_set_enrolment(struct store *store, int64_t id, int64_t enrolment_id)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_APPLICATION_SET_ENROLMENT);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    db_bind_int64(stmt, 2, enrolment_id);
    return db_exec_stmt(stmt) == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_application_set_enrolment(struct store *store, int64_t id, int64_t enrolment_id)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    return store_tx_end(store, application_set_enrolment(store, id, enrolment_id));
}

/* Enrolments */

static const char SQL_ENROLMENT_INSERT[] =
    "INSERT INTO enrolments (participant_id, application_id, kind, target, cohort_id, delivery_model, funding_route,"
    " scholarship_eligibility, school_id, state, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'active', ?10, ?10)";
static const char SQL_ENROLMENT_ELECTIVES_DELETE[] = "DELETE FROM enrolment_electives WHERE enrolment_id = ?1";
static const char SQL_ENROLMENT_ELECTIVES_INSERT[] =
    "INSERT INTO enrolment_electives (enrolment_id, position, module) VALUES (?1, ?2, ?3)";
static const char SQL_ENROLMENT_ELECTIVES[] =
    "SELECT module FROM enrolment_electives WHERE enrolment_id = ?1 ORDER BY position";
#define ENROLMENT_COLUMNS                                                                                              \
    "e.id, e.participant_id, p.name, coalesce(e.application_id, 0), e.kind, e.target, coalesce(e.cohort_id, 0),"       \
    " c.code, coalesce(c.delivery_partner_id, 0), e.delivery_model, e.funding_route, e.scholarship_eligibility,"       \
    " coalesce(e.school_id, 0), s.name, e.state, e.reason, e.expected_return, e.created_at, e.updated_at,"             \
    " e.reason_code, e.schedule_identifier, e.schedule_cohort"
#define ENROLMENT_JOINS                                                                                                \
    " FROM enrolments e JOIN users p ON p.id = e.participant_id LEFT JOIN cohorts c ON c.id = e.cohort_id"             \
    " LEFT JOIN organisations s ON s.id = e.school_id"
static const char SQL_ENROLMENT_GET[] = "SELECT " ENROLMENT_COLUMNS ENROLMENT_JOINS " WHERE e.id = ?1";
static const char SQL_ENROLMENT_FOR[] =
    "SELECT " ENROLMENT_COLUMNS ENROLMENT_JOINS " WHERE e.participant_id = ?1 ORDER BY e.id DESC";
/* The enrolments the caller may see; pages of them newest first by id (CURSOR_ID), ?7 the position and ?8 the rows. */
#define ENROLMENT_MATCHES                                                                                              \
    ENROLMENT_JOINS                                                                                                    \
    " WHERE (?2 = 1 OR e.participant_id = ?1"                                                                          \
    " OR (?3 = 1 AND c.delivery_partner_id IN (SELECT organisation_id FROM user_roles WHERE user_id = ?1"              \
    "     AND role = 'partner_lead'))"                                                                                 \
    " OR (?4 = 1 AND e.school_id IN (SELECT organisation_id FROM user_roles WHERE user_id = ?1"                        \
    "     AND role = 'headteacher'))"                                                                                  \
    " OR EXISTS (SELECT 1 FROM assignments a WHERE a.staff_id = ?1 AND a.participant_id = e.participant_id"            \
    "     AND ((a.kind = 'coach' AND ?5 = 1) OR (a.kind = 'mentor' AND ?6 = 1))))"
static const char SQL_ENROLMENT_LIST[] =
    "SELECT " ENROLMENT_COLUMNS ENROLMENT_MATCHES " AND e.id < ?7 ORDER BY e.id DESC LIMIT ?8";
static const char SQL_ENROLMENT_COUNT[] = "SELECT count(*)" ENROLMENT_MATCHES;
static const char SQL_ENROLMENT_PAGE_ELECTIVES[] =
    "SELECT enrolment_id, module FROM enrolment_electives WHERE enrolment_id IN (SELECT e.id" ENROLMENT_MATCHES
    " AND e.id < ?7 ORDER BY e.id DESC LIMIT ?8) ORDER BY enrolment_id, position";
static const char SQL_ENROLMENT_FOR_ELECTIVES[] =
    "SELECT enrolment_id, module FROM enrolment_electives"
    " WHERE enrolment_id IN (SELECT id FROM enrolments WHERE participant_id = ?1) ORDER BY enrolment_id, position";
static const char SQL_ENROLMENT_TRANSITION[] =
    "UPDATE enrolments SET state = ?3, reason = ?4, expected_return = ?5,"
    " cohort_id = CASE WHEN ?6 IS NULL THEN cohort_id ELSE ?6 END, updated_at = ?7, reason_code = ?8"
    " WHERE id = ?1 AND state = ?2";
/* A participant who defers or withdraws gives up their places at the cohort's coming events:
 * each booking this statement releases gives its event's place back (events.booked). */
static const char SQL_ENROLMENT_RELEASE_BOOKINGS[] =
    "UPDATE bookings SET cancelled_at = ?2 WHERE cancelled_at IS NULL"
    " AND user_id = (SELECT participant_id FROM enrolments WHERE id = ?1)"
    " AND event_id IN (SELECT id FROM events WHERE starts_at > ?2"
    "                  AND cohort_id = (SELECT cohort_id FROM enrolments WHERE id = ?1))"
    " RETURNING event_id";
static const char SQL_ENROLMENT_GIVE_BACK_PLACE[] = "UPDATE events SET booked = booked - 1 WHERE id = ?1";
static const char SQL_ENROLMENT_EVENT[] =
    "INSERT INTO enrolment_events (enrolment_id, at, actor_id, actor_label, step, from_state, to_state, reason,"
    " cohort_id, expected_return, reason_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
static const char SQL_ENROLMENT_HISTORY[] =
    "SELECT at, actor_label, step, from_state, to_state, reason, reason_code FROM enrolment_events"
    " WHERE enrolment_id = ?1 ORDER BY id";

static void read_enrolment(struct db_stmt *stmt, struct arena *arena, struct enrolment *e)
{
    memset(e, 0, sizeof(*e));
    e->id = db_column_int64(stmt, 0);
    e->participant_id = db_column_int64(stmt, 1);
    e->participant_name = store_text_or_empty(arena, stmt, 2);
    e->application_id = db_column_int64(stmt, 3);
    study_kind_parse(db_column_text(stmt, 4), &e->kind);
    e->target = store_text_or_empty(arena, stmt, 5);
    e->cohort_id = db_column_int64(stmt, 6);
    e->cohort_code = store_text(arena, stmt, 7);
    e->cohort_partner_id = db_column_int64(stmt, 8);
    delivery_model_parse(db_column_text(stmt, 9), &e->delivery_model);
    funding_route_parse(db_column_text(stmt, 10), &e->funding);
    e->scholarship_eligibility = store_text_or_empty(arena, stmt, 11);
    e->school_id = db_column_int64(stmt, 12);
    e->school_name = store_text(arena, stmt, 13);
    enrolment_state_parse(db_column_text(stmt, 14), &e->state);
    e->reason = store_text_or_empty(arena, stmt, 15);
    e->expected_return = store_text(arena, stmt, 16);
    e->created_at = db_column_int64(stmt, 17);
    e->updated_at = db_column_int64(stmt, 18);
    e->reason_code = store_text_or_empty(arena, stmt, 19);
    e->schedule_identifier = store_text(arena, stmt, 20);
    e->schedule_cohort = (int)db_column_int64(stmt, 21);
}

enum store_status store_enrolment_create(struct store *store, const struct actor *actor, struct enrolment *e,
                                         int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_ENROLMENT_INSERT);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, e->participant_id);
        store_bind_id(stmt, 2, e->application_id);
        db_bind_text(stmt, 3, study_kind_name(e->kind));
        db_bind_text(stmt, 4, e->target);
        store_bind_id(stmt, 5, e->cohort_id);
        db_bind_text(stmt, 6, delivery_model_name(e->delivery_model));
        db_bind_text(stmt, 7, funding_route_name(e->funding));
        db_bind_text(stmt, 8, e->scholarship_eligibility ? e->scholarship_eligibility : "");
        store_bind_id(stmt, 9, e->school_id);
        db_bind_int64(stmt, 10, now);
        enum db_result r = db_exec_stmt(stmt);
        if (r == DB_CONSTRAINT)
            status = STORE_CONFLICT;
        else if (r == DB_DONE) {
            e->id = db_last_insert_id(store->db);
            status = write_codes(store, SQL_ENROLMENT_ELECTIVES_DELETE, SQL_ENROLMENT_ELECTIVES_INSERT, e->id,
                                 e->electives, e->elective_count);
            if (status == STORE_OK)
                status = record_step(store, SQL_ENROLMENT_EVENT, actor, e->id, "enrol", "", "active", "", "", now,
                                     e->cohort_id, NULL);
            if (status == STORE_OK)
                status = store_audit_json(store, actor, "enrolment.create", "enrolment", e->id, NULL,
                                          json_pack("{s:I, s:s, s:s, s:I, s:s}", "participant_id",
                                                    (json_int_t)e->participant_id, "target", e->target, "funding_route",
                                                    funding_route_name(e->funding), "cohort_id",
                                                    (json_int_t)e->cohort_id, "state", "active"),
                                          now);
        }
    }
    return store_tx_end(store, status);
}

static enum store_status enrolment_fill(struct store *store, struct arena *arena, struct enrolment *e)
{
    return read_codes(store, SQL_ENROLMENT_ELECTIVES, e->id, arena, &e->electives, &e->elective_count);
}

enum store_status store_enrolment_get(struct store *store, int64_t id, struct arena *arena, struct enrolment *out)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_ENROLMENT_GET);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_NOT_FOUND;
    if (r != DB_ROW)
        return STORE_ERROR;
    read_enrolment(stmt, arena, out);
    db_reset(stmt);
    return enrolment_fill(store, arena, out);
}

enum store_status store_enrolment_history(struct store *store, int64_t id, struct arena *arena,
                                          struct history_event **out, size_t *count)
{
    return read_history(store, SQL_ENROLMENT_HISTORY, id, arena, out, count);
}

/* Fills in the electives of the enrolments read, with electives, a statement bound to answer
 * (enrolment id, module) for them. */
static enum store_status enrolment_electives(struct db_stmt *electives, struct arena *arena, struct enrolment *list,
                                             size_t count)
{
    struct code_slot *slots = arena_alloc(arena, sizeof(*slots) * (count ? count : 1));
    for (size_t i = 0; i < count; i++)
        slots[i] = (struct code_slot){list[i].id, &list[i].electives, &list[i].elective_count};
    return read_page_codes(electives, arena, slots, count);
}

enum store_status store_enrolment_list_for(struct store *store, int64_t participant_id, struct arena *arena,
                                           struct enrolment **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_ENROLMENT_FOR);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, participant_id);
    size_t cap = 8;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        read_enrolment(stmt, arena, &(*out)[(*count)++]);
    }
    if (r != DB_DONE || (stmt = db_prepare(store->db, SQL_ENROLMENT_FOR_ELECTIVES)) == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, participant_id);
    return enrolment_electives(stmt, arena, *out, *count);
}

static void bind_enrolment_list(struct db_stmt *stmt, const struct caller *caller, const struct store_page *page)
{
    db_bind_int64(stmt, 1, caller ? caller->user_id : 0);
    db_bind_int64(stmt, 2, caller_has(caller, ROLE_ADMIN));
    db_bind_int64(stmt, 3, caller_has(caller, ROLE_PARTNER_LEAD));
    db_bind_int64(stmt, 4, caller_has(caller, ROLE_HEADTEACHER));
    db_bind_int64(stmt, 5, caller_has(caller, ROLE_COACH));
    db_bind_int64(stmt, 6, caller_has(caller, ROLE_MENTOR));
    if (page != NULL)
        store_page_bind(stmt, 7, CURSOR_ID, STORE_DESCENDING, page);
}

enum store_status store_enrolment_list(struct store *store, const struct caller *caller, struct store_page *page,
                                       struct arena *arena, struct enrolment **out, size_t *count, size_t *total)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_ENROLMENT_COUNT);
    if (stmt == NULL)
        return STORE_ERROR;
    bind_enrolment_list(stmt, caller, NULL);
    *total = db_step(stmt) == DB_ROW ? (size_t)db_column_int64(stmt, 0) : 0;
    db_reset(stmt);
    if ((stmt = db_prepare(store->db, SQL_ENROLMENT_LIST)) == NULL)
        return STORE_ERROR;
    bind_enrolment_list(stmt, caller, page);
    *out = arena_alloc(arena, sizeof(**out) * store_page_limit(page));
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW && store_page_row(page, stmt, *count, CURSOR_ID, 0, 0, arena))
        read_enrolment(stmt, arena, &(*out)[(*count)++]);
    if ((r != DB_DONE && r != DB_ROW) || (stmt = db_prepare(store->db, SQL_ENROLMENT_PAGE_ELECTIVES)) == NULL)
        return STORE_ERROR;
    bind_enrolment_list(stmt, caller, page);
    return enrolment_electives(stmt, arena, *out, *count);
}

/* Cancels the participant's bookings at the cohort's coming events and gives their places back:
 * exactly the bookings the UPDATE released, as it returned them, so a booking cancelled by
 * someone else meanwhile is not given back twice. */
enum store_status store_enrolment_bookings_release(struct store *store, int64_t enrolment_id, int64_t now)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_ENROLMENT_RELEASE_BOOKINGS);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, enrolment_id);
    db_bind_int64(stmt, 2, now);
    /* Read to the end before the next statement runs. */
    struct arena arena = ARENA_INIT;
    size_t cap = 16, count = 0;
    int64_t *events = arena_alloc(&arena, sizeof(*events) * cap);
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (count == cap)
            events = arena_grow(&arena, events, &cap, sizeof(*events));
        events[count++] = db_column_int64(stmt, 0);
    }
    enum store_status status = r == DB_DONE ? STORE_OK : STORE_ERROR;
    for (size_t i = 0; status == STORE_OK && i < count; i++) {
        status = STORE_ERROR;
        if ((stmt = db_prepare(store->db, SQL_ENROLMENT_GIVE_BACK_PLACE)) != NULL) {
            db_bind_int64(stmt, 1, events[i]);
            if (db_exec_stmt(stmt) == DB_DONE)
                status = STORE_OK;
        }
    }
    arena_release(&arena);
    return status;
}

enum store_status store_enrolment_transition(struct store *store, const struct actor *actor, int64_t id,
                                             const struct enrolment_change *change, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_ENROLMENT_TRANSITION);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, id);
        db_bind_text(stmt, 2, enrolment_state_name(change->from));
        db_bind_text(stmt, 3, enrolment_state_name(change->to));
        db_bind_text(stmt, 4, change->reason ? change->reason : "");
        db_bind_text(stmt, 5, change->to == ENROLMENT_DEFERRED ? change->expected_return : NULL);
        store_bind_id(stmt, 6, change->cohort_id);
        db_bind_int64(stmt, 7, now);
        db_bind_text(stmt, 8, change->reason_code ? change->reason_code : "");
        enum db_result r = db_exec_stmt(stmt);
        if (r == DB_CONSTRAINT)
            status = STORE_NOT_FOUND; /* the cohort does not exist */
        else if (r == DB_DONE)
            status = db_changes(store->db) > 0 ? STORE_OK : STORE_CONFLICT;
    }
    if (status == STORE_OK)
        status = record_step(store, SQL_ENROLMENT_EVENT, actor, id, change->step, enrolment_state_name(change->from),
                             enrolment_state_name(change->to), change->reason, change->reason_code, now,
                             change->cohort_id, change->expected_return);
    if (status == STORE_OK)
        status = store_audit_json(store, actor, "enrolment.step", "enrolment", id,
                                  json_pack("{s:s}", "state", enrolment_state_name(change->from)),
                                  json_pack("{s:s, s:s, s:s, s:s, s:I}", "state", enrolment_state_name(change->to),
                                            "step", change->step, "reason", change->reason ? change->reason : "",
                                            "reason_code", change->reason_code ? change->reason_code : "", "cohort_id",
                                            (json_int_t)change->cohort_id),
                                  now);
    return store_tx_end(store, status);
}

static const char SQL_ENROLMENT_SET_SCHEDULE[] =
    "UPDATE enrolments SET schedule_identifier = ?2, schedule_cohort = ?3, updated_at = ?4"
    " WHERE id = ?1 AND state IN ('active', 'deferred') RETURNING state";
static const char SQL_ENROLMENT_SCHEDULE_EVENT[] =
    "INSERT INTO enrolment_events (enrolment_id, at, actor_id, actor_label, step, from_state, to_state, reason,"
    " schedule_identifier, schedule_cohort) VALUES (?1, ?2, ?3, ?4, 'change_schedule', ?5, ?5, ?6, ?7, ?8)";
static const char SQL_DECLARATIONS_STANDING[] =
    "SELECT declaration_type, declaration_date FROM declarations WHERE enrolment_id = ?1"
    " AND state NOT IN ('voided', 'ineligible', 'clawed_back') ORDER BY declaration_date, id";

enum store_status store_enrolment_set_schedule(struct store *store, const struct actor *actor, int64_t id,
                                               const char *identifier, int cohort, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    char state[16] = "";
    struct db_stmt *stmt = db_prepare(store->db, SQL_ENROLMENT_SET_SCHEDULE);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, id);
        db_bind_text(stmt, 2, identifier);
        db_bind_int64(stmt, 3, cohort);
        db_bind_int64(stmt, 4, now);
        enum db_result r = db_step(stmt);
        if (r == DB_ROW) {
            snprintf(state, sizeof(state), "%s", db_column_text(stmt, 0));
            status = STORE_OK;
        } else if (r == DB_DONE) {
            status = STORE_CONFLICT;
        }
        db_reset(stmt);
    }
    char reason[160];
    snprintf(reason, sizeof(reason), "%s, cohort %d", identifier, cohort);
    if (status == STORE_OK && (stmt = db_prepare(store->db, SQL_ENROLMENT_SCHEDULE_EVENT)) != NULL) {
        db_bind_int64(stmt, 1, id);
        db_bind_int64(stmt, 2, now);
        store_bind_id(stmt, 3, actor->user_id);
        db_bind_text(stmt, 4, actor->label ? actor->label : "system");
        db_bind_text(stmt, 5, state);
        db_bind_text(stmt, 6, reason);
        db_bind_text(stmt, 7, identifier);
        db_bind_int64(stmt, 8, cohort);
        status = db_exec_stmt(stmt) == DB_DONE ? STORE_OK : STORE_ERROR;
    } else if (status == STORE_OK) {
        status = STORE_ERROR;
    }
    if (status == STORE_OK)
        status = store_audit_json(store, actor, "enrolment.schedule", "enrolment", id, NULL,
                                  json_pack("{s:s, s:i}", "schedule_identifier", identifier, "cohort", cohort), now);
    return store_tx_end(store, status);
}

/* Everything a participant did on their course, each a date (text, or seconds to be dated in UTC)
 * and what it was in words. */
static const char SQL_DECLARATION_EVIDENCE[] =
    "SELECT NULL, e.starts_at, 'Attended ' || e.title FROM enrolments n"
    " JOIN events e ON e.cohort_id = n.cohort_id AND e.cancelled_at IS NULL"
    " JOIN attendance a ON a.event_id = e.id AND a.user_id = n.participant_id AND a.mark IN ('present', 'late')"
    " WHERE n.id = ?1"
    " UNION ALL SELECT a.done_on, 0, 'Logged learning hours for ' || a.module FROM activities a"
    " WHERE a.enrolment_id = ?1"
    " UNION ALL SELECT NULL, c.completed_at, 'Completed ' || v.title FROM content_completions c"
    " JOIN content_versions v ON v.item_id = c.item_id AND v.version = c.item_version WHERE c.enrolment_id = ?1"
    " UNION ALL SELECT NULL, v.submitted_at, 'Submitted ' || t.title FROM submission_versions v"
    " JOIN submissions s ON s.id = v.submission_id JOIN assessment_tasks t ON t.id = s.task_id"
    " WHERE s.enrolment_id = ?1";

static int evidence_by_date(const void *a, const void *b)
{
    return strcmp(((const struct dfe_evidence *)a)->date, ((const struct dfe_evidence *)b)->date);
}

enum store_status store_declaration_evidence(struct store *store, int64_t enrolment_id, struct arena *arena,
                                             struct dfe_evidence **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_DECLARATION_EVIDENCE);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, enrolment_id);
    size_t cap = 8;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        char *date = arena_alloc(arena, DATE_TEXT);
        if (db_column_is_null(stmt, 0))
            date_of(db_column_int64(stmt, 1), date);
        else
            snprintf(date, DATE_TEXT, "%s", db_column_text(stmt, 0));
        (*out)[*count].date = date;
        (*out)[*count].what = store_text_or_empty(arena, stmt, 2);
        (*count)++;
    }
    db_reset(stmt);
    /* Stable enough: the rule takes the first dated inside a window, whichever kind it is. */
    qsort(*out, *count, sizeof(**out), evidence_by_date);
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_declarations_standing(struct store *store, int64_t enrolment_id, struct arena *arena,
                                              struct dfe_declaration_made **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_DECLARATIONS_STANDING);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, enrolment_id);
    size_t cap = 4;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        (*out)[*count].declaration_type = store_text_or_empty(arena, stmt, 0);
        (*out)[*count].declaration_date = store_text_or_empty(arena, stmt, 1);
        (*count)++;
    }
    db_reset(stmt);
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

/* Completed modules */

static const char SQL_COMPLETIONS[] =
    "SELECT module, completed_on FROM module_completions WHERE participant_id = ?1 ORDER BY completed_on, id";
static const char SQL_COMPLETION_INSERT[] =
    "INSERT INTO module_completions (participant_id, module, completed_on, enrolment_id, note, recorded_by,"
    " recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

enum store_status store_completions(struct store *store, int64_t participant_id, struct arena *arena,
                                    struct completed_module **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_COMPLETIONS);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, participant_id);
    size_t cap = 64;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW && *count < cap) {
        (*out)[*count].code = store_text_or_empty(arena, stmt, 0);
        (*out)[*count].completed_on = store_text_or_empty(arena, stmt, 1);
        (*count)++;
    }
    if (r == DB_ROW)
        db_reset(stmt); /* more modules than any curriculum has: the rest cannot matter */
    return r == DB_ERROR || r == DB_CONSTRAINT ? STORE_ERROR : STORE_OK;
}

enum store_status store_completion_record(struct store *store, const struct actor *actor, int64_t participant_id,
                                          const char *module, const char *completed_on, int64_t enrolment_id,
                                          const char *note, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_COMPLETION_INSERT);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, participant_id);
        db_bind_text(stmt, 2, module);
        db_bind_text(stmt, 3, completed_on);
        store_bind_id(stmt, 4, enrolment_id);
        db_bind_text(stmt, 5, note ? note : "");
        store_bind_id(stmt, 6, actor->user_id);
        db_bind_int64(stmt, 7, now);
        enum db_result r = db_exec_stmt(stmt);
        if (r == DB_CONSTRAINT)
            status = STORE_CONFLICT;
        else if (r == DB_DONE)
            status = store_audit_json(store, actor, "completion.record", "user", participant_id, NULL,
                                      json_pack("{s:s, s:s, s:I}", "module", module, "completed_on", completed_on,
                                                "enrolment_id", (json_int_t)enrolment_id),
                                      now);
    }
    return store_tx_end(store, status);
}

/* Fees */

static const char SQL_FEE_PUT[] =
    "INSERT INTO fees (item_kind, item_code, amount_pence, updated_at) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (item_kind, item_code) DO UPDATE SET amount_pence = ?3, updated_at = ?4";
static const char SQL_FEE_LIST[] =
    "SELECT item_kind, item_code, coalesce(amount_pence, -1) FROM fees ORDER BY item_kind DESC, item_code";

enum store_status store_fee_set(struct store *store, const struct actor *actor, enum study_kind kind, const char *code,
                                int64_t amount_pence, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_FEE_PUT);
    if (stmt != NULL) {
        db_bind_text(stmt, 1, study_kind_name(kind));
        db_bind_text(stmt, 2, code);
        if (amount_pence >= 0)
            db_bind_int64(stmt, 3, amount_pence);
        else
            db_bind_null(stmt, 3);
        db_bind_int64(stmt, 4, now);
        if (db_exec_stmt(stmt) == DB_DONE)
            status = store_audit_json(store, actor, "fee.set", "fee", 0, NULL,
                                      json_pack("{s:s, s:s, s:o}", "kind", study_kind_name(kind), "code", code,
                                                "amount_pence",
                                                amount_pence >= 0 ? json_integer(amount_pence) : json_null()),
                                      now);
    }
    return store_tx_end(store, status);
}

enum store_status store_fee_list(struct store *store, struct arena *arena, struct fee **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_FEE_LIST);
    if (stmt == NULL)
        return STORE_ERROR;
    *out = arena_alloc(arena, sizeof(**out) * 1000);
    *count = 0;
    enum db_result r;
    while (*count < 1000 && (r = db_step(stmt)) == DB_ROW) {
        struct fee *f = &(*out)[(*count)++];
        study_kind_parse(db_column_text(stmt, 0), &f->kind);
        f->code = store_text_or_empty(arena, stmt, 1);
        f->amount_pence = db_column_int64(stmt, 2);
    }
    db_reset(stmt);
    return STORE_OK;
}

/* Reports */

/* The position is of the group's own columns, so it can narrow the rows before they are grouped. */
static const char SQL_REPORT_FUNDING[] =
    "SELECT e.funding_route, coalesce(e.school_id, 0), coalesce(s.name, ''), count(*) FROM enrolments e"
    " LEFT JOIN organisations s ON s.id = e.school_id WHERE e.state <> 'withdrawn'"
    " AND (e.funding_route, coalesce(s.name, ''), coalesce(e.school_id, 0)) > (?1, ?2, ?3)"
    " GROUP BY e.funding_route, coalesce(s.name, ''), coalesce(e.school_id, 0)"
    " ORDER BY e.funding_route, coalesce(s.name, ''), coalesce(e.school_id, 0) LIMIT ?4";

enum store_status store_report_funding(struct store *store, const struct funding_row *after, size_t limit,
                                       struct arena *arena, struct funding_row **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_REPORT_FUNDING);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_text(stmt, 1, after ? after->funding_route : "");
    db_bind_text(stmt, 2, after ? after->school_name : "");
    db_bind_int64(stmt, 3, after ? after->school_id : -1);
    db_bind_int64(stmt, 4, (int64_t)limit);
    *out = arena_alloc(arena, sizeof(**out) * (limit ? limit : 1));
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        struct funding_row *row = &(*out)[(*count)++];
        row->funding_route = store_text_or_empty(arena, stmt, 0);
        row->school_id = db_column_int64(stmt, 1);
        row->school_name = store_text_or_empty(arena, stmt, 2);
        row->enrolments = db_column_int64(stmt, 3);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

/* Relations for the policy */

static const char SQL_RELATION_APPLICATION[] =
    "SELECT a.participant_id, a.sponsor_id = ?1,"
    " a.preferred_partner_id IN (SELECT organisation_id FROM user_roles WHERE user_id = ?1 AND role = 'partner_lead'),"
    " a.school_id IN (SELECT organisation_id FROM user_roles WHERE user_id = ?1 AND role = 'headteacher'), 0"
    " FROM applications a WHERE a.id = ?2";
static const char SQL_RELATION_ENROLMENT[] =
    "SELECT e.participant_id, 0,"
    " c.delivery_partner_id IN (SELECT organisation_id FROM user_roles WHERE user_id = ?1 AND role = 'partner_lead'),"
    " e.school_id IN (SELECT organisation_id FROM user_roles WHERE user_id = ?1 AND role = 'headteacher'),"
    " EXISTS (SELECT 1 FROM cohort_staff s WHERE s.cohort_id = e.cohort_id AND s.user_id = ?1"
    "         AND s.role = 'facilitator')"
    " FROM enrolments e LEFT JOIN cohorts c ON c.id = e.cohort_id WHERE e.id = ?2";

enum store_status store_relation_record(struct store *store, const struct caller *caller, enum resource resource,
                                        int64_t id, struct relation *out)
{
    struct db_stmt *stmt =
        db_prepare(store->db, resource == RESOURCE_APPLICATION ? SQL_RELATION_APPLICATION : SQL_RELATION_ENROLMENT);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, caller ? caller->user_id : 0);
    db_bind_int64(stmt, 2, id);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_OK; /* out->exists stays false */
    if (r != DB_ROW)
        return STORE_ERROR;
    int64_t participant = db_column_int64(stmt, 0);
    bool sponsor = db_column_int64(stmt, 1) != 0;
    bool partner = db_column_int64(stmt, 2) != 0;
    bool school = db_column_int64(stmt, 3) != 0;
    bool facilitates = db_column_int64(stmt, 4) != 0; /* a facilitator of the enrolment's cohort */
    db_reset(stmt);
    enum store_status status = store_relation(store, caller, RESOURCE_USER, participant, out);
    out->facilitates = facilitates;
    out->sponsor = sponsor;
    out->partner_record = partner;
    out->at_own_school = out->at_own_school || school;
    return status;
}
