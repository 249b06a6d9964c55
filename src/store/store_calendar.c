/*
 * Calendars and notifications in the database: private feed addresses, a person's events and
 * coaching sessions as calendar entries, and the record of notifications sent.
 *
 * These queries read the delivery tables (events, bookings, cohort_staff, venues,
 * coaching_sessions) directly rather than through the event and coaching operations, so that
 * calendars need nothing from them but the schema. The notifications table's unique keys (its
 * primary key, and notifications_once for invitations and reminders) are what make each
 * notification go out once, however many servers look for due ones at the same time: recording is
 * one INSERT ... ON CONFLICT DO NOTHING whose changed-row count says who won.
 */
#include "store/store_internal.h"

#include <string.h>

/* Feeds */

static const char SQL_FEED_REVOKE[] =
    "UPDATE calendar_feeds SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL";
static const char SQL_FEED_INSERT[] =
    "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES (?1, ?2, ?3)";
static const char SQL_FEED_USER[] = "SELECT 1 FROM users WHERE id = ?1";
static const char SQL_FEED_GET[] =
    "SELECT created_at FROM calendar_feeds WHERE user_id = ?1 AND revoked_at IS NULL ORDER BY id DESC LIMIT 1";
static const char SQL_FEED_OWNER[] = "SELECT f.user_id FROM calendar_feeds f JOIN users u ON u.id = f.user_id"
                                     " WHERE f.token_hash = ?1 AND f.revoked_at IS NULL AND u.active = 1";

enum store_status store_calendar_feed_create(struct store *store, const struct actor *actor, int64_t user_id,
                                             const unsigned char token_hash[32], int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    /* The person first, so that a refused insert below can only mean a feed made meanwhile. */
    struct db_stmt *stmt = db_prepare(store->db, SQL_FEED_USER);
    if (stmt == NULL)
        goto out;
    db_bind_int64(stmt, 1, user_id);
    enum db_result found = db_step(stmt);
    if (found != DB_ROW) {
        status = found == DB_DONE ? STORE_NOT_FOUND : STORE_ERROR;
        goto out;
    }
    db_reset(stmt);
    if ((stmt = db_prepare(store->db, SQL_FEED_REVOKE)) == NULL)
        goto out;
    db_bind_int64(stmt, 1, user_id);
    db_bind_int64(stmt, 2, now);
    if (db_exec_stmt(stmt) != DB_DONE)
        goto out;
    bool replaced = db_changes(store->db) > 0;
    if ((stmt = db_prepare(store->db, SQL_FEED_INSERT)) == NULL)
        goto out;
    db_bind_int64(stmt, 1, user_id);
    db_bind_blob(stmt, 2, token_hash, 32);
    db_bind_int64(stmt, 3, now);
    enum db_result r = db_exec_stmt(stmt);
    if (r != DB_DONE) {
        status = r == DB_CONSTRAINT ? STORE_CONFLICT : STORE_ERROR; /* another live feed of theirs */
        goto out;
    }
    status = store_audit(store, actor, replaced ? "calendar_feed.replace" : "calendar_feed.create", "user", user_id,
                         NULL, NULL, now);
out:
    return store_tx_end(store, status);
}

enum store_status store_calendar_feed_revoke(struct store *store, const struct actor *actor, int64_t user_id,
                                             int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_FEED_REVOKE);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, user_id);
        db_bind_int64(stmt, 2, now);
        if (db_exec_stmt(stmt) == DB_DONE)
            status = db_changes(store->db) > 0
                         ? store_audit(store, actor, "calendar_feed.revoke", "user", user_id, NULL, NULL, now)
                         : STORE_NOT_FOUND;
    }
    return store_tx_end(store, status);
}

/* The first column of a one-row, one-integer query: STORE_NOT_FOUND when there is no row. */
static enum store_status single_int(struct db_stmt *stmt, int64_t *out)
{
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_NOT_FOUND;
    if (r != DB_ROW)
        return STORE_ERROR;
    *out = db_column_int64(stmt, 0);
    db_reset(stmt);
    return STORE_OK;
}

enum store_status store_calendar_feed_get(struct store *store, int64_t user_id, int64_t *created_at)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_FEED_GET);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, user_id);
    return single_int(stmt, created_at);
}

enum store_status store_calendar_feed_owner(struct store *store, const unsigned char token_hash[32], int64_t *user_id)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_FEED_OWNER);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_blob(stmt, 1, token_hash, 32);
    return single_int(stmt, user_id);
}

/* Entries */

/* The columns of an entry, in the order read_entry reads them: an event ev with its cohort c,
 * venue v and facilitator f; a coaching session s with its coach co and participant p. */
#define EVENT_COLUMNS                                                                                                  \
    "0, ev.id, ev.sequence, ev.starts_at, ev.ends_at, ev.updated_at, coalesce(ev.cancelled_at, 0), ev.kind,"           \
    " ev.title, c.code, ev.module, v.name, v.address, v.postcode, ev.joining_url, '',"                                 \
    " coalesce(ev.facilitator_id, 0), f.name, f.email, 0, ''"                                                          \
    " FROM events ev JOIN cohorts c ON c.id = ev.cohort_id LEFT JOIN venues v ON v.id = ev.venue_id"                   \
    " LEFT JOIN users f ON f.id = ev.facilitator_id"
#define SESSION_COLUMNS                                                                                                \
    "1, s.id, s.sequence, s.starts_at, s.ends_at, s.updated_at, coalesce(s.cancelled_at, 0), s.mode, '', '', '',"      \
    " '', '', '', CASE s.mode WHEN 'online' THEN s.place ELSE '' END,"                                                 \
    " CASE s.mode WHEN 'online' THEN '' ELSE s.place END, s.coach_id, co.name, co.email, s.participant_id, p.name"     \
    " FROM coaching_sessions s JOIN users co ON co.id = s.coach_id JOIN users p ON p.id = s.participant_id"

/* A booking that puts the event in a person's calendar: live, or live when the event was
 * cancelled (a cancellation may also end its bookings; the calendar must still be told). */
#define BOOKING_COUNTS(b, ev) "(" b ".cancelled_at IS NULL OR " b ".cancelled_at >= " ev ".cancelled_at)"

/* Joined by hand: clang-format would break the SQL at the macros. */
// clang-format off
static const char SQL_ENTRIES[] =
    "SELECT * FROM (SELECT " EVENT_COLUMNS " WHERE ev.ends_at > ?2 AND (ev.facilitator_id = ?1"
    "   OR EXISTS (SELECT 1 FROM cohort_staff cs WHERE cs.cohort_id = ev.cohort_id AND cs.user_id = ?1)"
    "   OR EXISTS (SELECT 1 FROM bookings b WHERE b.event_id = ev.id AND b.user_id = ?1"
    "              AND " BOOKING_COUNTS("b", "ev") "))"
    " UNION ALL SELECT " SESSION_COLUMNS " WHERE s.ends_at > ?2 AND (s.coach_id = ?1 OR s.participant_id = ?1)) AS entries"
    " ORDER BY 4, 1, 2 LIMIT ?3";
// clang-format on
static const char SQL_EVENT_GET[] = "SELECT " EVENT_COLUMNS " WHERE ev.id = ?1";
static const char SQL_SESSION_GET[] = "SELECT " SESSION_COLUMNS " WHERE s.id = ?1";

static void read_entry(struct arena *arena, struct db_stmt *stmt, struct calendar_entry *e)
{
    e->subject = db_column_int64(stmt, 0) == 0 ? CALENDAR_EVENT : CALENDAR_COACHING_SESSION;
    e->id = db_column_int64(stmt, 1);
    e->sequence = db_column_int64(stmt, 2);
    e->starts_at = db_column_int64(stmt, 3);
    e->ends_at = db_column_int64(stmt, 4);
    e->updated_at = db_column_int64(stmt, 5);
    e->cancelled_at = db_column_int64(stmt, 6);
    e->kind = store_text_or_empty(arena, stmt, 7);
    e->title = store_text_or_empty(arena, stmt, 8);
    e->cohort_code = store_text_or_empty(arena, stmt, 9);
    e->module = store_text_or_empty(arena, stmt, 10);
    e->venue_name = store_text_or_empty(arena, stmt, 11);
    e->venue_address = store_text_or_empty(arena, stmt, 12);
    e->venue_postcode = store_text_or_empty(arena, stmt, 13);
    e->joining_url = store_text_or_empty(arena, stmt, 14);
    e->place = store_text_or_empty(arena, stmt, 15);
    e->lead_id = db_column_int64(stmt, 16);
    e->lead_name = store_text_or_empty(arena, stmt, 17);
    e->lead_email = store_text_or_empty(arena, stmt, 18);
    e->participant_id = db_column_int64(stmt, 19);
    e->participant_name = store_text_or_empty(arena, stmt, 20);
}

enum store_status store_calendar_entries(struct store *store, int64_t user_id, int64_t since, size_t limit,
                                         struct arena *arena, struct calendar_entry **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_ENTRIES);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, user_id);
    db_bind_int64(stmt, 2, since);
    db_bind_int64(stmt, 3, (int64_t)limit);
    size_t cap = 16;
    *out = arena_alloc(arena, cap * sizeof(**out));
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        read_entry(arena, stmt, &(*out)[(*count)++]);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_calendar_entry_get(struct store *store, enum calendar_subject subject, int64_t id,
                                           struct arena *arena, struct calendar_entry *out)
{
    struct db_stmt *stmt = db_prepare(store->db, subject == CALENDAR_EVENT ? SQL_EVENT_GET : SQL_SESSION_GET);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_NOT_FOUND;
    if (r != DB_ROW)
        return STORE_ERROR;
    read_entry(arena, stmt, out);
    db_reset(stmt);
    return STORE_OK;
}

/* Notifications */

static const char *const kind_names[NOTIFICATION_KIND_COUNT] = {"invitation", "change", "cancellation", "reminder"};

const char *notification_kind_name(enum notification_kind kind)
{
    return (unsigned)kind < NOTIFICATION_KIND_COUNT ? kind_names[kind] : "";
}

/* Notifications of one kind to person u about event ev already recorded. */
#define SENT(kinds)                                                                                                    \
    "SELECT 1 FROM notifications n WHERE n.subject = 'event' AND n.subject_id = ev.id AND n.user_id = u.id AND "       \
    "n.kind IN (" kinds ")"
/* The SEQUENCE of the last invitation or change to person u about event ev, NULL when none. */
#define LAST_TOLD                                                                                                      \
    "(SELECT max(n.sequence) FROM notifications n WHERE n.subject = 'event' AND n.subject_id = ev.id"                  \
    " AND n.user_id = u.id AND n.kind IN ('invitation', 'change'))"
/* Active people with a live booking on an event that has not started and is not cancelled. */
#define BOOKED_ON_LIVE_EVENT                                                                                           \
    " FROM events ev JOIN bookings b ON b.event_id = ev.id AND b.cancelled_at IS NULL"                                 \
    " JOIN users u ON u.id = b.user_id AND u.active = 1 WHERE ev.starts_at > ?1 AND ev.cancelled_at IS NULL"

/* ?1 now, ?2 now + the reminder lead, ?3 the limit. Columns: subject_id, user_id, kind (the enum's
 * value), sequence, starts_at. */
// clang-format off
static const char SQL_DUE[] =
    "SELECT * FROM ("
    "SELECT ev.id, u.id, 0, ev.sequence, ev.starts_at" BOOKED_ON_LIVE_EVENT " AND NOT EXISTS (" SENT("'invitation'") ")"
    " UNION ALL SELECT ev.id, u.id, 1, ev.sequence, ev.starts_at" BOOKED_ON_LIVE_EVENT " AND " LAST_TOLD " < ev.sequence"
    " UNION ALL SELECT DISTINCT ev.id, u.id, 2, ev.sequence, ev.starts_at"
    "   FROM events ev JOIN bookings b ON b.event_id = ev.id AND " BOOKING_COUNTS("b", "ev")
    "   JOIN users u ON u.id = b.user_id AND u.active = 1"
    "   WHERE ev.starts_at > ?1 AND ev.cancelled_at IS NOT NULL"
    "   AND NOT EXISTS (" SENT("'cancellation'") " AND n.sequence >= coalesce(" LAST_TOLD ", 0))"
    " UNION ALL SELECT ev.id, u.id, 3, ev.sequence, ev.starts_at" BOOKED_ON_LIVE_EVENT " AND ev.starts_at <= ?2"
    "   AND NOT EXISTS (" SENT("'reminder'") ")) AS due"
    " ORDER BY 5, 1, 3, 2 LIMIT ?3";
// clang-format on

enum store_status store_notifications_due(struct store *store, int64_t now, int64_t reminder_lead, size_t limit,
                                          struct arena *arena, struct notification **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_DUE);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, now);
    db_bind_int64(stmt, 2, now + reminder_lead);
    db_bind_int64(stmt, 3, (int64_t)limit);
    size_t cap = 16;
    *out = arena_alloc(arena, cap * sizeof(**out));
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        int64_t kind = db_column_int64(stmt, 2);
        if (kind < 0 || kind >= NOTIFICATION_KIND_COUNT)
            continue;
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        (*out)[(*count)++] = (struct notification){
            .subject = CALENDAR_EVENT,
            .subject_id = db_column_int64(stmt, 0),
            .user_id = db_column_int64(stmt, 1),
            .kind = (enum notification_kind)kind,
            .sequence = db_column_int64(stmt, 3),
            .starts_at = db_column_int64(stmt, 4),
        };
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

static const char SQL_RECORD[] = "INSERT INTO notifications (subject, subject_id, user_id, kind, sequence, sent_at)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING";

static enum store_status notification_record(struct store *store, const struct notification *n, int64_t now)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_RECORD);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_text(stmt, 1, n->subject == CALENDAR_EVENT ? "event" : "coaching_session");
    db_bind_int64(stmt, 2, n->subject_id);
    db_bind_int64(stmt, 3, n->user_id);
    db_bind_text(stmt, 4, notification_kind_name(n->kind));
    db_bind_int64(stmt, 5, n->sequence);
    db_bind_int64(stmt, 6, now);
    switch (db_exec_stmt(stmt)) {
    case DB_DONE: return db_changes(store->db) == 1 ? STORE_OK : STORE_CONFLICT;
    case DB_CONSTRAINT: return STORE_CONFLICT; /* a kind or subject the table refuses: never send it */
    default: return STORE_ERROR;
    }
}

enum store_status store_notification_record(struct store *store, const struct notification *n, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    return store_tx_end(store, notification_record(store, n, now));
}
