/*
 * Coaching sessions, their notes and their agreed actions in the database. Apart from the other
 * delivery records because coaching is between two people, not a cohort: every query here is by
 * session, coach or participant. Changes to a session are compare-and-set on cancelled_at, so a
 * reschedule cannot revive a session cancelled meanwhile, and each write is audited in the same
 * transaction. Notes are audited by visibility and length only: a private note is the coach's.
 */
#include "store/store_internal.h"

#include <jansson.h>
#include <string.h>

#define SESSION_COLUMNS                                                                                                \
    "s.id, s.coach_id, c.name, s.participant_id, p.name, s.starts_at, s.ends_at, s.mode, s.place, s.sequence,"         \
    " coalesce(s.cancelled_at, 0), s.created_at, s.updated_at,"                                                        \
    " (SELECT count(*) FROM coaching_actions a WHERE a.session_id = s.id),"                                            \
    " (SELECT count(*) FROM coaching_actions a WHERE a.session_id = s.id AND a.done_at IS NOT NULL)"
#define SESSION_JOINS                                                                                                  \
    " FROM coaching_sessions s JOIN users c ON c.id = s.coach_id JOIN users p ON p.id = s.participant_id"

static const char SQL_SESSION_INSERT[] =
    "INSERT INTO coaching_sessions (coach_id, participant_id, starts_at, ends_at, mode, place, sequence, created_at,"
    " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?7)";
static const char SQL_SESSION_GET[] = "SELECT " SESSION_COLUMNS SESSION_JOINS " WHERE s.id = ?1";
static const char SQL_SESSION_LIST[] =
    "SELECT " SESSION_COLUMNS SESSION_JOINS " WHERE (?1 = 0 OR s.coach_id = ?1 OR s.participant_id = ?1)"
    " AND (?2 = 0 OR s.participant_id = ?2)"
    " AND (s.starts_at, s.id) < (?3, ?4) ORDER BY s.starts_at DESC, s.id DESC LIMIT ?5";
static const char SQL_SESSION_RESCHEDULE[] =
    "UPDATE coaching_sessions SET starts_at = ?2, ends_at = ?3, mode = ?4, place = ?5, sequence = sequence + 1,"
    " updated_at = ?6 WHERE id = ?1 AND cancelled_at IS NULL";
static const char SQL_SESSION_CANCEL[] =
    "UPDATE coaching_sessions SET cancelled_at = ?2, sequence = sequence + 1, updated_at = ?2"
    " WHERE id = ?1 AND cancelled_at IS NULL";
static const char SQL_SESSION_EXISTS[] = "SELECT 1 FROM coaching_sessions WHERE id = ?1";

static const char SQL_NOTE_INSERT[] =
    "INSERT INTO coaching_notes (session_id, author_id, visibility, body, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?5)";
static const char SQL_NOTES[] = "SELECT n.id, n.session_id, n.author_id, u.name, n.visibility, n.body, n.created_at,"
                                " n.updated_at FROM coaching_notes n JOIN users u ON u.id = n.author_id"
                                " WHERE n.session_id = ?1 AND (?2 = 1 OR n.visibility = 'shared') ORDER BY n.id";

static const char SQL_ACTION_INSERT[] =
    "INSERT INTO coaching_actions (session_id, text, due_on, created_by, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_ACTIONS[] = "SELECT id, session_id, text, due_on, coalesce(done_at, 0), coalesce(created_by, 0),"
                                  " created_at FROM coaching_actions WHERE session_id = ?1 ORDER BY id";
static const char SQL_ACTION_SET_DONE[] =
    "UPDATE coaching_actions SET done_at = CASE WHEN ?3 = 0 THEN NULL ELSE coalesce(done_at, ?4) END"
    " WHERE id = ?2 AND session_id = ?1";

static void read_session(struct db_stmt *stmt, struct arena *arena, struct coaching_session *s)
{
    memset(s, 0, sizeof(*s));
    s->id = db_column_int64(stmt, 0);
    s->coach_id = db_column_int64(stmt, 1);
    s->coach_name = store_text_or_empty(arena, stmt, 2);
    s->participant_id = db_column_int64(stmt, 3);
    s->participant_name = store_text_or_empty(arena, stmt, 4);
    s->starts_at = db_column_int64(stmt, 5);
    s->ends_at = db_column_int64(stmt, 6);
    delivery_coaching_mode_parse(db_column_text(stmt, 7), &s->mode);
    s->place = store_text_or_empty(arena, stmt, 8);
    s->sequence = db_column_int64(stmt, 9);
    s->cancelled_at = db_column_int64(stmt, 10);
    s->created_at = db_column_int64(stmt, 11);
    s->updated_at = db_column_int64(stmt, 12);
    s->action_count = db_column_int64(stmt, 13);
    s->actions_done = db_column_int64(stmt, 14);
}

/* What the audit log keeps of a session: when, how and where. */
static json_t *session_summary(const struct coaching_session *s)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:s, s:s}", "coach_id", (json_int_t)s->coach_id, "participant_id",
                     (json_int_t)s->participant_id, "starts_at", (json_int_t)s->starts_at, "ends_at",
                     (json_int_t)s->ends_at, "mode", delivery_coaching_mode_name(s->mode), "place",
                     s->place ? s->place : "");
}

/* Runs an UPDATE guarded by "cancelled_at IS NULL": STORE_CONFLICT when it changed nothing but
 * the session exists (it is cancelled), STORE_NOT_FOUND when it does not. */
static enum store_status guarded_change(struct store *store, struct db_stmt *stmt, int64_t id)
{
    if (db_exec_stmt(stmt) != DB_DONE)
        return STORE_ERROR;
    if (db_changes(store->db) > 0)
        return STORE_OK;
    struct db_stmt *exists = db_prepare(store->db, SQL_SESSION_EXISTS);
    if (exists == NULL)
        return STORE_ERROR;
    db_bind_int64(exists, 1, id);
    enum db_result r = db_step(exists);
    if (r == DB_ROW) {
        db_reset(exists);
        return STORE_CONFLICT;
    }
    return r == DB_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

enum store_status store_coaching_session_create(struct store *store, const struct actor *actor,
                                                struct coaching_session *s, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_SESSION_INSERT);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, s->coach_id);
        db_bind_int64(stmt, 2, s->participant_id);
        db_bind_int64(stmt, 3, s->starts_at);
        db_bind_int64(stmt, 4, s->ends_at);
        db_bind_text(stmt, 5, delivery_coaching_mode_name(s->mode));
        db_bind_text(stmt, 6, s->place ? s->place : "");
        db_bind_int64(stmt, 7, now);
        enum db_result r = db_exec_stmt(stmt);
        if (r == DB_CONSTRAINT)
            status = STORE_NOT_FOUND; /* the coach or participant does not exist */
        else if (r == DB_DONE) {
            s->id = db_last_insert_id(store->db);
            s->sequence = 0;
            s->cancelled_at = 0;
            status = store_audit_json(store, actor, "coaching_session.create", "coaching_session", s->id, NULL,
                                      session_summary(s), now);
        }
    }
    return store_tx_end(store, status);
}

enum store_status store_coaching_session_get(struct store *store, int64_t id, struct arena *arena,
                                             struct coaching_session *out)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_SESSION_GET);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_NOT_FOUND;
    if (r != DB_ROW)
        return STORE_ERROR;
    read_session(stmt, arena, out);
    db_reset(stmt);
    return STORE_OK;
}

enum store_status store_coaching_session_list(struct store *store, const struct coaching_filter *filter,
                                              struct store_page *page, struct arena *arena,
                                              struct coaching_session **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_SESSION_LIST);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, filter->user_id);
    db_bind_int64(stmt, 2, filter->participant_id);
    store_page_bind(stmt, 3, CURSOR_NUMBER, STORE_DESCENDING, page);
    *out = arena_alloc(arena, sizeof(**out) * store_page_limit(page));
    *count = 0;
    enum db_result r;
    /* Columns 5 and 0 are starts_at and id. */
    while ((r = db_step(stmt)) == DB_ROW && store_page_row(page, stmt, *count, CURSOR_NUMBER, 5, 0, arena))
        read_session(stmt, arena, &(*out)[(*count)++]);
    return r == DB_DONE || r == DB_ROW ? STORE_OK : STORE_ERROR;
}

enum store_status store_coaching_session_reschedule(struct store *store, const struct actor *actor,
                                                    const struct coaching_session *s, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    struct arena arena = ARENA_INIT;
    struct coaching_session before;
    enum store_status status = store_coaching_session_get(store, s->id, &arena, &before);
    if (status == STORE_OK) {
        struct db_stmt *stmt = db_prepare(store->db, SQL_SESSION_RESCHEDULE);
        status = STORE_ERROR;
        if (stmt != NULL) {
            db_bind_int64(stmt, 1, s->id);
            db_bind_int64(stmt, 2, s->starts_at);
            db_bind_int64(stmt, 3, s->ends_at);
            db_bind_text(stmt, 4, delivery_coaching_mode_name(s->mode));
            db_bind_text(stmt, 5, s->place ? s->place : "");
            db_bind_int64(stmt, 6, now);
            status = guarded_change(store, stmt, s->id);
        }
    }
    if (status == STORE_OK) {
        json_t *after = session_summary(s);
        json_object_set_new(after, "sequence", json_integer(before.sequence + 1));
        status = store_audit_json(store, actor, "coaching_session.reschedule", "coaching_session", s->id,
                                  session_summary(&before), after, now);
    }
    arena_release(&arena);
    return store_tx_end(store, status);
}

enum store_status store_coaching_session_cancel(struct store *store, const struct actor *actor, int64_t id, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_SESSION_CANCEL);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, id);
        db_bind_int64(stmt, 2, now);
        status = guarded_change(store, stmt, id);
    }
    if (status == STORE_OK)
        status = store_audit_json(store, actor, "coaching_session.cancel", "coaching_session", id,
                                  json_pack("{s:b}", "cancelled", 0), json_pack("{s:b}", "cancelled", 1), now);
    return store_tx_end(store, status);
}

/* Notes */

enum store_status store_coaching_note_add(struct store *store, const struct actor *actor, struct coaching_note *n,
                                          int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_NOTE_INSERT);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, n->session_id);
        db_bind_int64(stmt, 2, n->author_id);
        db_bind_text(stmt, 3, delivery_note_visibility_name(n->visibility));
        db_bind_text(stmt, 4, n->body ? n->body : "");
        db_bind_int64(stmt, 5, now);
        enum db_result r = db_exec_stmt(stmt);
        if (r == DB_CONSTRAINT)
            status = STORE_NOT_FOUND;
        else if (r == DB_DONE) {
            n->id = db_last_insert_id(store->db);
            n->created_at = n->updated_at = now;
            status = store_audit_json(store, actor, "coaching_note.create", "coaching_session", n->session_id, NULL,
                                      json_pack("{s:I, s:s, s:I}", "note_id", (json_int_t)n->id, "visibility",
                                                delivery_note_visibility_name(n->visibility), "length",
                                                (json_int_t)strlen(n->body ? n->body : "")),
                                      now);
        }
    }
    return store_tx_end(store, status);
}

enum store_status store_coaching_notes(struct store *store, int64_t session_id, bool with_private, struct arena *arena,
                                       struct coaching_note **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_NOTES);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, session_id);
    db_bind_int64(stmt, 2, with_private ? 1 : 0);
    size_t cap = 8;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        struct coaching_note *n = &(*out)[(*count)++];
        n->id = db_column_int64(stmt, 0);
        n->session_id = db_column_int64(stmt, 1);
        n->author_id = db_column_int64(stmt, 2);
        n->author_name = store_text_or_empty(arena, stmt, 3);
        /* Anything unreadable counts as private, so a bad row can never leak. */
        n->visibility = DELIVERY_NOTE_PRIVATE;
        delivery_note_visibility_parse(db_column_text(stmt, 4), &n->visibility);
        n->body = store_text_or_empty(arena, stmt, 5);
        n->created_at = db_column_int64(stmt, 6);
        n->updated_at = db_column_int64(stmt, 7);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

/* Actions */

enum store_status store_coaching_action_add(struct store *store, const struct actor *actor, struct coaching_action *a,
                                            int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_ACTION_INSERT);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, a->session_id);
        db_bind_text(stmt, 2, a->text);
        db_bind_text(stmt, 3, a->due_on && *a->due_on ? a->due_on : NULL);
        store_bind_id(stmt, 4, a->created_by);
        db_bind_int64(stmt, 5, now);
        enum db_result r = db_exec_stmt(stmt);
        if (r == DB_CONSTRAINT)
            status = STORE_NOT_FOUND;
        else if (r == DB_DONE) {
            a->id = db_last_insert_id(store->db);
            a->created_at = now;
            a->done_at = 0;
            json_t *after = json_pack("{s:I, s:s}", "action_id", (json_int_t)a->id, "text", a->text);
            if (a->due_on && *a->due_on)
                json_object_set_new(after, "due_on", json_string(a->due_on));
            status = store_audit_json(store, actor, "coaching_action.create", "coaching_session", a->session_id, NULL,
                                      after, now);
        }
    }
    return store_tx_end(store, status);
}

enum store_status store_coaching_actions(struct store *store, int64_t session_id, struct arena *arena,
                                         struct coaching_action **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_ACTIONS);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, session_id);
    size_t cap = 8;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        struct coaching_action *a = &(*out)[(*count)++];
        a->id = db_column_int64(stmt, 0);
        a->session_id = db_column_int64(stmt, 1);
        a->text = store_text_or_empty(arena, stmt, 2);
        a->due_on = store_text(arena, stmt, 3);
        a->done_at = db_column_int64(stmt, 4);
        a->created_by = db_column_int64(stmt, 5);
        a->created_at = db_column_int64(stmt, 6);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_coaching_action_set_done(struct store *store, const struct actor *actor, int64_t session_id,
                                                 int64_t action_id, bool done, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_ACTION_SET_DONE);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, session_id);
        db_bind_int64(stmt, 2, action_id);
        db_bind_int64(stmt, 3, done ? 1 : 0);
        db_bind_int64(stmt, 4, now);
        if (db_exec_stmt(stmt) == DB_DONE)
            status = db_changes(store->db) > 0 ? STORE_OK : STORE_NOT_FOUND;
    }
    if (status == STORE_OK)
        status = store_audit_json(store, actor, done ? "coaching_action.done" : "coaching_action.undone",
                                  "coaching_session", session_id, NULL,
                                  json_pack("{s:I, s:b}", "action_id", (json_int_t)action_id, "done", done), now);
    return store_tx_end(store, status);
}
