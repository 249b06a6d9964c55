/*
 * Delivery in the database: venues, the staff of cohorts, events, bookings and attendance.
 *
 * Kept apart from store_delivery_scope.c, which answers only "who stands where" for the gate,
 * and from the coaching and calendar queries, which concern other records. Every write records an
 * audit event in its own transaction.
 *
 * Places are counted on the event's row (events.booked, checked against capacity by the table):
 * a booking takes one with "UPDATE events SET booked = booked + 1 WHERE booked < capacity ...",
 * whose changed-row count decides, and a cancellation gives back only a place its own UPDATE of
 * the booking released. So the capacity holds with any number of writers on any engine, without
 * relying on what the caller counted earlier; the unique index on live bookings refuses a second
 * place for the same person.
 */
#include "store/store_internal.h"

#include "lib/date.h"

#include <jansson.h>
#include <string.h>
#include <time.h>

/* A time for audit summaries, as the API shows times: "2027-01-10T09:00:00Z"; null for 0. */
static json_t *time_json(int64_t seconds)
{
    if (seconds <= 0)
        return json_null();
    char text[DATE_UTC_TEXT];
    date_format_utc(seconds, text);
    return json_string(text);
}

static json_t *id_or_null(int64_t id)
{
    return id > 0 ? json_integer(id) : json_null();
}

static json_t *text_or_null(const char *text)
{
    return text ? json_string(text) : json_null();
}

/* Venues */

#define VENUE_COLUMNS                                                                                                  \
    "v.id, v.delivery_partner_id, o.name, v.name, v.address, v.postcode, v.capacity, v.accessibility, v.created_at,"   \
    " v.updated_at FROM venues v JOIN organisations o ON o.id = v.delivery_partner_id"
static const char SQL_VENUE_INSERT[] =
    "INSERT INTO venues (delivery_partner_id, name, address, postcode, capacity, accessibility, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)";
static const char SQL_VENUE_UPDATE[] = "UPDATE venues SET name = ?2, address = ?3, postcode = ?4, capacity = ?5,"
                                       " accessibility = ?6, updated_at = ?7 WHERE id = ?1";
static const char SQL_VENUE_GET[] = "SELECT " VENUE_COLUMNS " WHERE v.id = ?1";
static const char SQL_VENUE_LIST[] =
    "SELECT " VENUE_COLUMNS " WHERE ?1 = 0 OR v.delivery_partner_id = ?1 ORDER BY o.name, v.name, v.id LIMIT 1000";
static const char SQL_VENUE_LARGEST_EVENT[] = "SELECT coalesce(max(capacity), 0) FROM events"
                                              " WHERE venue_id = ?1 AND cancelled_at IS NULL AND ends_at > ?2";

static void read_venue(struct db_stmt *stmt, struct arena *arena, struct venue *v)
{
    memset(v, 0, sizeof(*v));
    v->id = db_column_int64(stmt, 0);
    v->delivery_partner_id = db_column_int64(stmt, 1);
    v->delivery_partner_name = store_text_or_empty(arena, stmt, 2);
    v->name = store_text_or_empty(arena, stmt, 3);
    v->address = store_text_or_empty(arena, stmt, 4);
    v->postcode = store_text_or_empty(arena, stmt, 5);
    v->capacity = (int)db_column_int64(stmt, 6);
    v->accessibility = store_text_or_empty(arena, stmt, 7);
    v->created_at = db_column_int64(stmt, 8);
    v->updated_at = db_column_int64(stmt, 9);
}

static json_t *venue_summary(const struct venue *v)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:i, s:s}", "delivery_partner_id", (json_int_t)v->delivery_partner_id,
                     "name", v->name, "address", v->address ? v->address : "", "postcode",
                     v->postcode ? v->postcode : "", "capacity", v->capacity, "accessibility",
                     v->accessibility ? v->accessibility : "");
}

static void bind_venue(struct db_stmt *stmt, const struct venue *v)
{
    db_bind_text(stmt, 2, v->name);
    db_bind_text(stmt, 3, v->address ? v->address : "");
    db_bind_text(stmt, 4, v->postcode ? v->postcode : "");
    db_bind_int64(stmt, 5, v->capacity);
    db_bind_text(stmt, 6, v->accessibility ? v->accessibility : "");
}

enum store_status store_venue_create(struct store *store, const struct actor *actor, struct venue *v, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_VENUE_INSERT);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, v->delivery_partner_id);
        bind_venue(stmt, v);
        db_bind_int64(stmt, 7, now);
        enum db_result r = db_exec_stmt(stmt);
        if (r == DB_CONSTRAINT)
            status = STORE_NOT_FOUND; /* the partner: every other constraint was checked by the caller */
        else if (r == DB_DONE) {
            v->id = db_last_insert_id(store->db);
            status = store_audit_json(store, actor, "venue.create", "venue", v->id, NULL, venue_summary(v), now);
        }
    }
    return store_tx_end(store, status);
}

static bool texts_equal(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static const char SQL_EVENTS_AT_VENUE_BUMP[] = "UPDATE events SET sequence = sequence + 1, updated_at = ?2"
                                               " WHERE venue_id = ?1 AND starts_at > ?2 AND cancelled_at IS NULL";

enum store_status store_venue_update(struct store *store, const struct actor *actor, const struct venue *v, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    struct arena arena = ARENA_INIT;
    struct venue before;
    enum store_status status = store_venue_get(store, v->id, &arena, &before);
    struct db_stmt *stmt = status == STORE_OK ? db_prepare(store->db, SQL_VENUE_UPDATE) : NULL;
    if (status == STORE_OK && stmt == NULL)
        status = STORE_ERROR;
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, v->id);
        bind_venue(stmt, v);
        db_bind_int64(stmt, 7, now);
        status = db_exec_stmt(stmt) == DB_DONE ? STORE_OK : STORE_ERROR;
        if (status == STORE_OK) {
            struct venue after = *v;
            after.delivery_partner_id = before.delivery_partner_id;
            status = store_audit_json(store, actor, "venue.update", "venue", v->id, venue_summary(&before),
                                      venue_summary(&after), now);
        }
    }
    arena_release(&arena);
    return store_tx_end(store, status);
}

enum store_status store_venue_events_resequence(struct store *store, int64_t venue_id, int64_t now)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_EVENTS_AT_VENUE_BUMP);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, venue_id);
    db_bind_int64(stmt, 2, now);
    return db_exec_stmt(stmt) == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_venue_get(struct store *store, int64_t id, struct arena *arena, struct venue *out)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_VENUE_GET);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_NOT_FOUND;
    if (r != DB_ROW)
        return STORE_ERROR;
    read_venue(stmt, arena, out);
    db_reset(stmt);
    return STORE_OK;
}

enum store_status store_venue_list(struct store *store, int64_t partner_id, struct arena *arena, struct venue **out,
                                   size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_VENUE_LIST);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, partner_id);
    size_t cap = 16;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        read_venue(stmt, arena, &(*out)[(*count)++]);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_venue_largest_event(struct store *store, int64_t venue_id, int64_t now, int *capacity)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_VENUE_LARGEST_EVENT);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, venue_id);
    db_bind_int64(stmt, 2, now);
    if (db_step(stmt) != DB_ROW)
        return STORE_ERROR;
    *capacity = (int)db_column_int64(stmt, 0);
    db_reset(stmt);
    return STORE_OK;
}

/* The staff and participants of cohorts */

static const char SQL_STAFF_LIST[] =
    "SELECT s.user_id, u.name, u.email, s.role, s.created_at FROM cohort_staff s JOIN users u ON u.id = s.user_id"
    " WHERE s.cohort_id = ?1 ORDER BY s.role DESC, u.name, u.id"; /* facilitators, then coaches */
static const char SQL_STAFF_INSERT[] =
    "INSERT INTO cohort_staff (cohort_id, user_id, role, created_at) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_STAFF_DELETE[] = "DELETE FROM cohort_staff WHERE cohort_id = ?1 AND user_id = ?2 AND role = ?3";
static const char SQL_PARTICIPANTS[] =
    "SELECT e.participant_id, u.name, e.id, e.state FROM enrolments e JOIN users u ON u.id = e.participant_id"
    " WHERE e.cohort_id = ?1 AND e.state IN ('active', 'deferred') ORDER BY u.name, u.id";
static const char SQL_ENROLLED[] =
    "SELECT EXISTS (SELECT 1 FROM enrolments WHERE cohort_id = ?1 AND participant_id = ?2 AND state = 'active')";

enum store_status store_cohort_staff_list(struct store *store, int64_t cohort_id, struct arena *arena,
                                          struct cohort_staff **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_STAFF_LIST);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, cohort_id);
    size_t cap = 8;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        struct cohort_staff *s = &(*out)[(*count)++];
        s->user_id = db_column_int64(stmt, 0);
        s->name = store_text_or_empty(arena, stmt, 1);
        s->email = store_text_or_empty(arena, stmt, 2);
        s->role = ROLE_FACILITATOR;
        role_parse(db_column_text(stmt, 3), &s->role);
        s->created_at = db_column_int64(stmt, 4);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_cohort_staff_add(struct store *store, const struct actor *actor, int64_t cohort_id,
                                         int64_t user_id, enum role role, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_STAFF_INSERT);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, cohort_id);
        db_bind_int64(stmt, 2, user_id);
        db_bind_text(stmt, 3, role_name(role));
        db_bind_int64(stmt, 4, now);
        enum db_result r = db_exec_stmt(stmt);
        if (r == DB_CONSTRAINT)
            status = STORE_CONFLICT;
        else if (r == DB_DONE)
            status =
                store_audit_json(store, actor, "cohort.staff_add", "cohort", cohort_id, NULL,
                                 json_pack("{s:I, s:s}", "user_id", (json_int_t)user_id, "role", role_name(role)), now);
    }
    return store_tx_end(store, status);
}

enum store_status store_cohort_staff_remove(struct store *store, const struct actor *actor, int64_t cohort_id,
                                            int64_t user_id, enum role role, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_STAFF_DELETE);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, cohort_id);
        db_bind_int64(stmt, 2, user_id);
        db_bind_text(stmt, 3, role_name(role));
        if (db_exec_stmt(stmt) == DB_DONE)
            status = db_changes(store->db) > 0 ? STORE_OK : STORE_NOT_FOUND;
    }
    if (status == STORE_OK)
        status = store_audit_json(store, actor, "cohort.staff_remove", "cohort", cohort_id,
                                  json_pack("{s:I, s:s}", "user_id", (json_int_t)user_id, "role", role_name(role)),
                                  NULL, now);
    return store_tx_end(store, status);
}

enum store_status store_cohort_participants(struct store *store, int64_t cohort_id, struct arena *arena,
                                            struct cohort_participant **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_PARTICIPANTS);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, cohort_id);
    size_t cap = 32;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        struct cohort_participant *p = &(*out)[(*count)++];
        p->user_id = db_column_int64(stmt, 0);
        p->name = store_text_or_empty(arena, stmt, 1);
        p->enrolment_id = db_column_int64(stmt, 2);
        p->state = ENROLMENT_ACTIVE;
        enrolment_state_parse(db_column_text(stmt, 3), &p->state);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_cohort_enrolled(struct store *store, int64_t cohort_id, int64_t user_id, bool *enrolled)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_ENROLLED);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, cohort_id);
    db_bind_int64(stmt, 2, user_id);
    if (db_step(stmt) != DB_ROW)
        return STORE_ERROR;
    *enrolled = db_column_int64(stmt, 0) != 0;
    db_reset(stmt);
    return STORE_OK;
}

/* Events */

#define EVENT_COLUMNS                                                                                                  \
    "ev.id, ev.cohort_id, c.code, coalesce(c.delivery_partner_id, 0), ev.kind, ev.title, ev.module,"                   \
    " coalesce(ev.framework_area, 0), coalesce(ev.venue_id, 0), v.name, v.postcode, ev.joining_url, ev.starts_at,"     \
    " ev.ends_at, ev.capacity, coalesce(ev.facilitator_id, 0), f.name, ev.sequence, coalesce(ev.cancelled_at, 0),"     \
    " ev.created_at, ev.updated_at,"                                                                                   \
    " ev.booked"                                                                                                       \
    " FROM events ev JOIN cohorts c ON c.id = ev.cohort_id LEFT JOIN venues v ON v.id = ev.venue_id"                   \
    " LEFT JOIN users f ON f.id = ev.facilitator_id"
static const char SQL_EVENT_INSERT[] =
    "INSERT INTO events (cohort_id, kind, title, module, framework_area, venue_id, joining_url, starts_at, ends_at,"
    " capacity, facilitator_id, sequence, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 0, ?12, ?12)";
static const char SQL_EVENT_UPDATE[] =
    "UPDATE events SET kind = ?3, title = ?4, module = ?5, framework_area = ?6, venue_id = ?7, joining_url = ?8,"
    " starts_at = ?9, ends_at = ?10, capacity = ?11, facilitator_id = ?12, sequence = sequence + ?14, updated_at = ?13"
    " WHERE id = ?1 AND sequence = ?2 AND cancelled_at IS NULL AND booked <= ?11";
static const char SQL_EVENT_CANCEL[] = "UPDATE events SET cancelled_at = ?2, sequence = sequence + 1, updated_at = ?2"
                                       " WHERE id = ?1 AND cancelled_at IS NULL";
static const char SQL_EVENT_GET[] = "SELECT " EVENT_COLUMNS " WHERE ev.id = ?1";
/* The same scope as policy_allows gives PERM_DELIVERY_READ on an event: ?1 caller, ?2 admin,
 * ?3 facilitator role, ?4 coach role; then ?5 cohort, ?6 from, ?7 to. */
static const char SQL_EVENT_LIST[] =
    "SELECT " EVENT_COLUMNS " WHERE (?2 = 1"
    " OR c.delivery_partner_id IN (SELECT organisation_id FROM user_roles WHERE user_id = ?1 AND role = 'partner_lead')"
    " OR (?3 = 1 AND (ev.facilitator_id = ?1 OR EXISTS (SELECT 1 FROM cohort_staff s WHERE s.cohort_id = c.id"
    "     AND s.user_id = ?1 AND s.role = 'facilitator')))"
    " OR (?4 = 1 AND EXISTS (SELECT 1 FROM cohort_staff s WHERE s.cohort_id = c.id AND s.user_id = ?1"
    "     AND s.role = 'coach'))"
    " OR EXISTS (SELECT 1 FROM enrolments e WHERE e.cohort_id = c.id AND e.participant_id = ?1"
    "     AND e.state IN ('active', 'deferred', 'completed')))"
    " AND (?5 = 0 OR ev.cohort_id = ?5) AND (?6 = 0 OR ev.starts_at >= ?6) AND (?7 = 0 OR ev.starts_at < ?7)"
    " AND (ev.starts_at, ev.id) > (?8, ?9) ORDER BY ev.starts_at, ev.id LIMIT ?10";
static const char SQL_COHORT_EVENTS[] =
    "SELECT " EVENT_COLUMNS " WHERE ev.cohort_id = ?1 ORDER BY ev.starts_at, ev.id LIMIT 1000";

static void read_event(struct db_stmt *stmt, struct arena *arena, struct event *e)
{
    memset(e, 0, sizeof(*e));
    e->id = db_column_int64(stmt, 0);
    e->cohort_id = db_column_int64(stmt, 1);
    e->cohort_code = store_text_or_empty(arena, stmt, 2);
    e->cohort_partner_id = db_column_int64(stmt, 3);
    e->kind = DELIVERY_EVENT_FACE_TO_FACE;
    delivery_event_kind_parse(db_column_text(stmt, 4), &e->kind);
    e->title = store_text_or_empty(arena, stmt, 5);
    e->module = store_text(arena, stmt, 6);
    e->framework_area = (int)db_column_int64(stmt, 7);
    e->venue_id = db_column_int64(stmt, 8);
    e->venue_name = store_text(arena, stmt, 9);
    e->venue_postcode = store_text(arena, stmt, 10);
    e->joining_url = store_text(arena, stmt, 11);
    e->starts_at = db_column_int64(stmt, 12);
    e->ends_at = db_column_int64(stmt, 13);
    e->capacity = (int)db_column_int64(stmt, 14);
    e->facilitator_id = db_column_int64(stmt, 15);
    e->facilitator_name = store_text(arena, stmt, 16);
    e->sequence = db_column_int64(stmt, 17);
    e->cancelled_at = db_column_int64(stmt, 18);
    e->created_at = db_column_int64(stmt, 19);
    e->updated_at = db_column_int64(stmt, 20);
    e->booked = (int)db_column_int64(stmt, 21);
}

static json_t *event_summary(const struct event *e)
{
    return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:i, s:o}", "cohort_id", (json_int_t)e->cohort_id,
                     "kind", delivery_event_kind_name(e->kind), "title", e->title ? e->title : "", "module",
                     text_or_null(e->module), "framework_area", id_or_null(e->framework_area), "venue_id",
                     id_or_null(e->venue_id), "joining_url", text_or_null(e->joining_url), "starts_at",
                     time_json(e->starts_at), "ends_at", time_json(e->ends_at), "capacity", e->capacity,
                     "facilitator_id", id_or_null(e->facilitator_id));
}

/* Binds the columns an event's details are made of, as parameters 3 to 11 of the insert and
 * 3 to 12 of the update (first is 3 or 4: the insert has the cohort first, the update the id and
 * sequence). */
static void bind_event_details(struct db_stmt *stmt, int first, const struct event *e)
{
    db_bind_text(stmt, first, delivery_event_kind_name(e->kind));
    db_bind_text(stmt, first + 1, e->title);
    db_bind_text(stmt, first + 2, e->module);
    store_bind_id(stmt, first + 3, e->framework_area);
    store_bind_id(stmt, first + 4, e->venue_id);
    db_bind_text(stmt, first + 5, e->joining_url);
    db_bind_int64(stmt, first + 6, e->starts_at);
    db_bind_int64(stmt, first + 7, e->ends_at);
    db_bind_int64(stmt, first + 8, e->capacity);
    store_bind_id(stmt, first + 9, e->facilitator_id);
}

enum store_status store_event_create(struct store *store, const struct actor *actor, struct event *e, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_EVENT_INSERT);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, e->cohort_id);
        bind_event_details(stmt, 2, e);
        db_bind_int64(stmt, 12, now);
        enum db_result r = db_exec_stmt(stmt);
        if (r == DB_CONSTRAINT)
            status = STORE_NOT_FOUND; /* a cohort, venue or person named does not exist */
        else if (r == DB_DONE) {
            e->id = db_last_insert_id(store->db);
            e->sequence = 0;
            status = store_audit_json(store, actor, "event.create", "event", e->id, NULL, event_summary(e), now);
        }
    }
    return store_tx_end(store, status);
}

/* Whether a change is one that attendees see (time, place, title...), which calendars must be
 * told of with a higher SEQUENCE. The number of places is not: nobody's diary changes. */
static bool attendees_see(const struct event *a, const struct event *b)
{
    return a->kind != b->kind || a->starts_at != b->starts_at || a->ends_at != b->ends_at ||
           a->venue_id != b->venue_id || a->facilitator_id != b->facilitator_id ||
           a->framework_area != b->framework_area || !texts_equal(a->title, b->title) ||
           !texts_equal(a->module, b->module) || !texts_equal(a->joining_url, b->joining_url);
}

enum store_status store_event_update(struct store *store, const struct actor *actor, const struct event *before,
                                     const struct event *changed, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    int bump = attendees_see(before, changed) ? 1 : 0;
    struct db_stmt *stmt = db_prepare(store->db, SQL_EVENT_UPDATE);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, before->id);
        db_bind_int64(stmt, 2, before->sequence);
        bind_event_details(stmt, 3, changed);
        db_bind_int64(stmt, 13, now);
        db_bind_int64(stmt, 14, bump);
        enum db_result r = db_exec_stmt(stmt);
        if (r == DB_CONSTRAINT)
            status = STORE_NOT_FOUND;
        else if (r == DB_DONE)
            status = db_changes(store->db) > 0 ? STORE_OK : STORE_CONFLICT;
    }
    if (status == STORE_OK) {
        json_t *after = event_summary(changed);
        json_object_set_new(after, "sequence", json_integer(before->sequence + bump));
        status = store_audit_json(store, actor, "event.update", "event", before->id, event_summary(before), after, now);
    }
    return store_tx_end(store, status);
}

enum store_status store_event_cancel(struct store *store, const struct actor *actor, int64_t id, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_EVENT_CANCEL);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, id);
        db_bind_int64(stmt, 2, now);
        if (db_exec_stmt(stmt) == DB_DONE)
            status = db_changes(store->db) > 0 ? STORE_OK : STORE_CONFLICT;
    }
    if (status == STORE_OK)
        status = store_audit_json(store, actor, "event.cancel", "event", id, json_pack("{s:n}", "cancelled_at"),
                                  json_pack("{s:o}", "cancelled_at", time_json(now)), now);
    return store_tx_end(store, status);
}

enum store_status store_event_get(struct store *store, int64_t id, struct arena *arena, struct event *out)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_EVENT_GET);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_NOT_FOUND;
    if (r != DB_ROW)
        return STORE_ERROR;
    read_event(stmt, arena, out);
    db_reset(stmt);
    return STORE_OK;
}

static enum store_status event_rows(struct db_stmt *stmt, struct arena *arena, struct event **out, size_t *count)
{
    size_t cap = 32;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        read_event(stmt, arena, &(*out)[(*count)++]);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_event_list(struct store *store, const struct caller *caller, const struct event_filter *filter,
                                   struct store_page *page, struct arena *arena, struct event **out, size_t *count)
{
    struct store_page first = {.limit = 1000};
    if (page == NULL)
        page = &first;
    struct db_stmt *stmt = db_prepare(store->db, SQL_EVENT_LIST);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, caller ? caller->user_id : 0);
    db_bind_int64(stmt, 2, caller_has(caller, ROLE_ADMIN));
    db_bind_int64(stmt, 3, caller_has(caller, ROLE_FACILITATOR));
    db_bind_int64(stmt, 4, caller_has(caller, ROLE_COACH));
    db_bind_int64(stmt, 5, filter->cohort_id);
    db_bind_int64(stmt, 6, filter->from);
    db_bind_int64(stmt, 7, filter->to);
    store_page_bind(stmt, 8, CURSOR_NUMBER, STORE_ASCENDING, page);
    *out = arena_alloc(arena, sizeof(**out) * store_page_limit(page));
    *count = 0;
    enum db_result r;
    /* Columns 12 and 0 are starts_at and id. */
    while ((r = db_step(stmt)) == DB_ROW && store_page_row(page, stmt, *count, CURSOR_NUMBER, 12, 0, arena))
        read_event(stmt, arena, &(*out)[(*count)++]);
    return r == DB_DONE || r == DB_ROW ? STORE_OK : STORE_ERROR;
}

enum store_status store_cohort_events(struct store *store, int64_t cohort_id, struct arena *arena, struct event **out,
                                      size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_COHORT_EVENTS);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, cohort_id);
    return event_rows(stmt, arena, out, count);
}

/* Bookings */

static const char SQL_BOOKING_LIST[] =
    "SELECT b.id, b.event_id, b.user_id, u.name, u.email, b.created_at FROM bookings b JOIN users u ON u.id = b.user_id"
    " WHERE b.event_id = ?1 AND b.cancelled_at IS NULL ORDER BY b.created_at, b.id";
static const char SQL_BOOKING_EXISTS[] =
    "SELECT EXISTS (SELECT 1 FROM bookings WHERE event_id = ?1 AND user_id = ?2 AND cancelled_at IS NULL)";
static const char SQL_BOOKING_INSERT[] = "INSERT INTO bookings (event_id, user_id, created_at) VALUES (?1, ?2, ?3)";
/* Takes a place: the row is locked and the condition checked against it as it is now. */
static const char SQL_BOOKING_TAKE_PLACE[] = "UPDATE events SET booked = booked + 1"
                                             " WHERE id = ?1 AND booked < capacity AND cancelled_at IS NULL"
                                             " AND starts_at > ?2";
static const char SQL_BOOKING_CANCEL[] =
    "UPDATE bookings SET cancelled_at = ?3 WHERE event_id = ?1 AND user_id = ?2 AND cancelled_at IS NULL";
static const char SQL_BOOKING_GIVE_BACK[] = "UPDATE events SET booked = booked - 1 WHERE id = ?1";
static const char SQL_EVENT_EXISTS[] = "SELECT 1 FROM events WHERE id = ?1";
/* Events and people are never deleted, so what this finds stays true for the insert after it. */
static const char SQL_BOOKING_BOTH_EXIST[] =
    "SELECT EXISTS (SELECT 1 FROM events WHERE id = ?1) AND EXISTS (SELECT 1 FROM users WHERE id = ?2)";

enum store_status store_booking_list(struct store *store, int64_t event_id, struct arena *arena, struct booking **out,
                                     size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_BOOKING_LIST);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, event_id);
    size_t cap = 32;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        struct booking *b = &(*out)[(*count)++];
        b->id = db_column_int64(stmt, 0);
        b->event_id = db_column_int64(stmt, 1);
        b->user_id = db_column_int64(stmt, 2);
        b->user_name = store_text_or_empty(arena, stmt, 3);
        b->user_email = store_text_or_empty(arena, stmt, 4);
        b->created_at = db_column_int64(stmt, 5);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_booking_exists(struct store *store, int64_t event_id, int64_t user_id, bool *booked)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_BOOKING_EXISTS);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, event_id);
    db_bind_int64(stmt, 2, user_id);
    if (db_step(stmt) != DB_ROW)
        return STORE_ERROR;
    *booked = db_column_int64(stmt, 0) != 0;
    db_reset(stmt);
    return STORE_OK;
}

/* After a write to an event changed nothing: STORE_CONFLICT when the event exists, else
 * STORE_NOT_FOUND. */
static enum store_status event_unchanged(struct store *store, int64_t event_id)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_EVENT_EXISTS);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, event_id);
    enum db_result r = db_step(stmt);
    if (r == DB_ROW) {
        db_reset(stmt);
        return STORE_CONFLICT;
    }
    return r == DB_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

enum store_status store_booking_create(struct store *store, const struct actor *actor, int64_t event_id,
                                       int64_t user_id, int64_t now, int64_t *id)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    /* The booking first, then the place: every writer locks a booking before its event's row
     * (cancelling does the same), so two of them never wait for each other in a circle. The
     * event and the person are looked for first, so that a refused insert means "booked". */
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_BOOKING_BOTH_EXIST);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, event_id);
        db_bind_int64(stmt, 2, user_id);
        if (db_step(stmt) == DB_ROW) {
            status = db_column_int64(stmt, 0) ? STORE_OK : STORE_NOT_FOUND;
            db_reset(stmt);
        }
    }
    stmt = status == STORE_OK ? db_prepare(store->db, SQL_BOOKING_INSERT) : NULL;
    if (status == STORE_OK)
        status = STORE_ERROR;
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, event_id);
        db_bind_int64(stmt, 2, user_id);
        db_bind_int64(stmt, 3, now);
        enum db_result r = db_exec_stmt(stmt);
        if (r == DB_CONSTRAINT)
            status = STORE_CONFLICT; /* booked already */
        else if (r == DB_DONE) {
            *id = db_last_insert_id(store->db);
            status = STORE_OK;
        }
    }
    if (status == STORE_OK) {
        status = STORE_ERROR;
        if ((stmt = db_prepare(store->db, SQL_BOOKING_TAKE_PLACE)) != NULL) {
            db_bind_int64(stmt, 1, event_id);
            db_bind_int64(stmt, 2, now);
            if (db_exec_stmt(stmt) == DB_DONE)
                status = db_changes(store->db) > 0 ? STORE_OK : event_unchanged(store, event_id);
        }
    }
    if (status == STORE_OK)
        status = store_audit_json(
            store, actor, "booking.create", "event", event_id, NULL,
            json_pack("{s:I, s:I}", "booking_id", (json_int_t)*id, "user_id", (json_int_t)user_id), now);
    return store_tx_end(store, status);
}

enum store_status store_booking_cancel(struct store *store, const struct actor *actor, int64_t event_id,
                                       int64_t user_id, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_BOOKING_CANCEL);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, event_id);
        db_bind_int64(stmt, 2, user_id);
        db_bind_int64(stmt, 3, now);
        if (db_exec_stmt(stmt) == DB_DONE)
            status = db_changes(store->db) > 0 ? STORE_OK : STORE_NOT_FOUND;
    }
    /* Only the cancellation that released the booking gives its place back. */
    if (status == STORE_OK) {
        status = STORE_ERROR;
        if ((stmt = db_prepare(store->db, SQL_BOOKING_GIVE_BACK)) != NULL) {
            db_bind_int64(stmt, 1, event_id);
            if (db_exec_stmt(stmt) == DB_DONE)
                status = STORE_OK;
        }
    }
    if (status == STORE_OK)
        status = store_audit_json(store, actor, "booking.cancel", "event", event_id,
                                  json_pack("{s:I}", "user_id", (json_int_t)user_id), NULL, now);
    return store_tx_end(store, status);
}

/* Attendance */

static const char SQL_REGISTER[] =
    "SELECT b.user_id, u.name, a.mark, coalesce(a.reason, ''), coalesce(a.recorded_at, 0),"
    " coalesce(a.recorded_by, 0), r.name FROM bookings b JOIN users u ON u.id = b.user_id"
    " LEFT JOIN attendance a ON a.event_id = b.event_id AND a.user_id = b.user_id"
    " LEFT JOIN users r ON r.id = a.recorded_by"
    " WHERE b.event_id = ?1 AND b.cancelled_at IS NULL ORDER BY u.name, u.id";
static const char SQL_ATTENDANCE_PUT[] =
    "INSERT INTO attendance (event_id, user_id, mark, recorded_by, recorded_at, reason)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    " ON CONFLICT (event_id, user_id) DO UPDATE SET mark = ?3, recorded_by = ?4, recorded_at = ?5, reason = ?6";

enum store_status store_attendance_register(struct store *store, int64_t event_id, struct arena *arena,
                                            struct attendance_line **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_REGISTER);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, event_id);
    size_t cap = 32;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        struct attendance_line *line = &(*out)[(*count)++];
        line->user_id = db_column_int64(stmt, 0);
        line->user_name = store_text_or_empty(arena, stmt, 1);
        line->marked = delivery_attendance_mark_parse(db_column_text(stmt, 2), &line->mark);
        line->reason = store_text_or_empty(arena, stmt, 3);
        line->recorded_at = db_column_int64(stmt, 4);
        line->recorded_by = db_column_int64(stmt, 5);
        line->recorded_by_name = store_text(arena, stmt, 6);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_attendance_set(struct store *store, const struct actor *actor, int64_t event_id,
                                       int64_t user_id, const enum delivery_attendance_mark *before,
                                       enum delivery_attendance_mark mark, const char *reason, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_ATTENDANCE_PUT);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, event_id);
        db_bind_int64(stmt, 2, user_id);
        db_bind_text(stmt, 3, delivery_attendance_mark_name(mark));
        store_bind_id(stmt, 4, actor->user_id);
        db_bind_int64(stmt, 5, now);
        db_bind_text(stmt, 6, reason ? reason : "");
        enum db_result r = db_exec_stmt(stmt);
        if (r == DB_CONSTRAINT)
            status = STORE_NOT_FOUND;
        else if (r == DB_DONE) {
            const char *mark_name = delivery_attendance_mark_name(mark);
            json_t *was = before ? json_pack("{s:I, s:s}", "user_id", (json_int_t)user_id, "mark",
                                             delivery_attendance_mark_name(*before))
                                 : NULL;
            json_t *is = json_pack("{s:I, s:s, s:s}", "user_id", (json_int_t)user_id, "mark", mark_name, "reason",
                                   reason ? reason : "");
            status = store_audit_json(store, actor, before ? "attendance.correct" : "attendance.record", "event",
                                      event_id, was, is, now);
        }
    }
    return store_tx_end(store, status);
}
