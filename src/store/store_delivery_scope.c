/*
 * Who stands where in delivery: facts about a venue, cohort, event or coaching session (and a
 * person's work and awards) relative to the caller, for the policy (domain/policy.c) to decide
 * on. Kept apart from the delivery queries themselves because every delivery route's gate check
 * comes through here.
 */
#include "store/store_internal.h"

#include <string.h>

#define PARTNER_LEAD_OF_CALLER "(SELECT organisation_id FROM user_roles WHERE user_id = ?1 AND role = 'partner_lead')"
/* Columns about a cohort c: partner lead, facilitator, coach, participant. */
#define COHORT_FACTS                                                                                                   \
    "c.delivery_partner_id IN " PARTNER_LEAD_OF_CALLER ","                                                             \
    " EXISTS (SELECT 1 FROM cohort_staff s WHERE s.cohort_id = c.id AND s.user_id = ?1 AND s.role = 'facilitator'),"   \
    " EXISTS (SELECT 1 FROM cohort_staff s WHERE s.cohort_id = c.id AND s.user_id = ?1 AND s.role = 'coach'),"         \
    " EXISTS (SELECT 1 FROM enrolments e WHERE e.cohort_id = c.id AND e.participant_id = ?1"                           \
    "         AND e.state IN ('active', 'deferred', 'completed'))"

static const char SQL_VENUE[] =
    "SELECT delivery_partner_id IN " PARTNER_LEAD_OF_CALLER ", 0, 0, 0, 0 FROM venues WHERE id = ?2";
static const char SQL_COHORT[] = "SELECT " COHORT_FACTS ", 0 FROM cohorts c WHERE c.id = ?2";
static const char SQL_EVENT[] = "SELECT " COHORT_FACTS ", ev.facilitator_id = ?1"
                                " FROM events ev JOIN cohorts c ON c.id = ev.cohort_id WHERE ev.id = ?2";
static const char SQL_SUBMISSION[] = "SELECT participant_id FROM submissions WHERE id = ?1";
static const char SQL_AWARD[] = "SELECT participant_id FROM awards WHERE id = ?1";
static const char SQL_COACHING[] =
    "SELECT 0, 0, coach_id = ?1, 0, participant_id = ?1 FROM coaching_sessions WHERE id = ?2";

/* A submission or an award is its participant's: the facts are those about the person. */
static enum store_status person_record_relation(struct store *store, const struct caller *caller, const char *sql,
                                                int64_t id, struct relation *out)
{
    struct db_stmt *stmt = db_prepare(store->db, sql);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_OK;
    if (r != DB_ROW)
        return STORE_ERROR;
    int64_t participant = db_column_int64(stmt, 0);
    db_reset(stmt);
    return store_relation(store, caller, RESOURCE_USER, participant, out);
}

enum store_status store_relation_delivery(struct store *store, const struct caller *caller, enum resource resource,
                                          int64_t id, struct relation *out)
{
    memset(out, 0, sizeof(*out));
    if (resource == RESOURCE_SUBMISSION || resource == RESOURCE_AWARD)
        return person_record_relation(store, caller, resource == RESOURCE_SUBMISSION ? SQL_SUBMISSION : SQL_AWARD, id,
                                      out);
    const char *sql = resource == RESOURCE_VENUE    ? SQL_VENUE
                      : resource == RESOURCE_COHORT ? SQL_COHORT
                      : resource == RESOURCE_EVENT  ? SQL_EVENT
                                                    : SQL_COACHING;
    struct db_stmt *stmt = db_prepare(store->db, sql);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, caller ? caller->user_id : 0);
    db_bind_int64(stmt, 2, id);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_OK;
    if (r != DB_ROW)
        return STORE_ERROR;
    out->exists = true;
    out->partner_record = db_column_int64(stmt, 0) != 0;
    out->facilitates = db_column_int64(stmt, 1) != 0;
    out->cohort_coach = db_column_int64(stmt, 2) != 0;
    out->in_cohort = db_column_int64(stmt, 3) != 0;
    /* The last column: an event's own facilitator, or the participant of a coaching session. */
    bool last = db_column_int64(stmt, 4) != 0;
    if (resource == RESOURCE_EVENT)
        out->facilitates = out->facilitates || last;
    else if (resource == RESOURCE_COACHING_SESSION)
        out->is_self = last;
    db_reset(stmt);
    return STORE_OK;
}
