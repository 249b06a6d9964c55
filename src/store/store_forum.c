/*
 * Learning communities in the database: forums, threads, posts, reports, subscriptions, mentions
 * and daily digests (store.h says what each operation does).
 *
 * Membership is facts, not rows: FORUM_FACTS reads what the person ?1 is to the forum f (enrolled
 * in its cohort or studying its module, facilitating, coaching one of its participants, leading
 * its cohort's partner), the same four columns for the gate's relation, the list of forums and the
 * report queue, and domain/policy.c decides. A rule that two writers could break (a reply to a
 * thread being locked, a second open report, a digest sent twice) is decided by the statement
 * that writes.
 */
#include "store/forum_sql.h"
#include "store/store_internal.h"

#include <ctype.h>
#include <string.h>

static const char SQL_FORUM_LIST[] =
    "SELECT f.id, f.kind, COALESCE(f.cohort_id, 0), " FORUM_NAME ", COALESCE(f.module, ''),"
    " (SELECT count(*) FROM forum_threads t WHERE t.forum_id = f.id),"
    " COALESCE((SELECT max(t.last_post_at) FROM forum_threads t WHERE t.forum_id = f.id), 0),"
    " COALESCE((SELECT fs.mode FROM forum_subscriptions fs WHERE fs.forum_id = f.id AND fs.user_id = ?1), "
    "''), " FORUM_FACTS " FROM forums f" FORUM_JOINS " WHERE" FORUM_LIVE " AND (?2 = 0 OR f.id = ?2)"
    " ORDER BY CASE f.kind WHEN 'provider' THEN 0 WHEN 'cohort' THEN 1 ELSE 2 END, 4, f.id";

static const char SQL_RELATION_FORUM[] =
    "SELECT f.kind, " FORUM_FACTS ", 0, 0 FROM forums f" FORUM_JOINS " WHERE f.id = ?2 AND" FORUM_LIVE;
static const char SQL_RELATION_THREAD[] =
    "SELECT f.kind, " FORUM_FACTS ", 0, 0 FROM forum_threads t"
    " JOIN forums f ON f.id = t.forum_id" FORUM_JOINS " WHERE t.id = ?2 AND" FORUM_LIVE;
static const char SQL_RELATION_POST[] =
    "SELECT f.kind, " FORUM_FACTS ", p.author_id = ?1, p.hidden FROM forum_posts p"
    " JOIN forum_threads t ON t.id = p.thread_id JOIN forums f ON f.id = t.forum_id" FORUM_JOINS
    " WHERE p.id = ?2 AND" FORUM_LIVE;
static const char SQL_RELATION_REPORT[] =
    "SELECT f.kind, " FORUM_FACTS ", 0, p.hidden FROM forum_reports r JOIN forum_posts p ON p.id = r.post_id"
    " JOIN forum_threads t ON t.id = p.thread_id JOIN forums f ON f.id = t.forum_id" FORUM_JOINS
    " WHERE r.id = ?2 AND" FORUM_LIVE;

#define THREAD_COLUMNS                                                                                                 \
    "SELECT t.id, t.forum_id, t.title, t.author_id, u.name, t.pinned, t.locked, t.created_at, t.last_post_at,"         \
    " (SELECT count(*) FROM forum_posts p WHERE p.thread_id = t.id AND p.hidden = 0) - 1"
#define THREAD_FROM " FROM forum_threads t JOIN users u ON u.id = t.author_id"
#define THREAD_SELECT THREAD_COLUMNS THREAD_FROM
/* Pinned first, then the most recently active: one number orders both (THREAD_POSITION, which
 * migration 031 indexes with the forum), so pages are key-set like every list's. */
#define THREAD_POSITION "(t.pinned * 10000000000 + t.last_post_at)"
static const char SQL_THREAD_LIST[] =
    THREAD_COLUMNS ", " THREAD_POSITION THREAD_FROM " WHERE t.forum_id = ?1 AND " THREAD_POSITION " <= ?2"
                   " AND (" THREAD_POSITION ", t.id) < (?2, ?3) ORDER BY " THREAD_POSITION " DESC, t.id DESC LIMIT ?4";
static const char SQL_THREAD_GET[] = THREAD_SELECT " WHERE t.id = ?1";
static const char SQL_POST_LIST[] =
    "SELECT " POST_COLUMNS " FROM forum_posts p" POST_JOINS " WHERE p.thread_id = ?1 AND (?2 = 1 OR p.hidden = 0)"
    " AND p.id > ?3 ORDER BY p.id LIMIT ?4";
static const char SQL_POST_GET[] = "SELECT " POST_COLUMNS " FROM forum_posts p" POST_JOINS " WHERE p.id = ?1";

static const char SQL_THREAD_INSERT[] =
    "INSERT INTO forum_threads (forum_id, title, author_id, created_at, last_post_at)"
    " VALUES (?1, ?2, ?3, ?4, ?4)";
static const char SQL_OPENING_INSERT[] =
    "INSERT INTO forum_posts (thread_id, author_id, body, created_at) VALUES (?1, ?2, ?3, ?4)";
/* Locked is decided here, by the write: a reply racing a lock either lands first or not at all. */
static const char SQL_REPLY_INSERT[] = "INSERT INTO forum_posts (thread_id, author_id, body, created_at)"
                                       " SELECT id, ?2, ?3, ?4 FROM forum_threads WHERE id = ?1 AND locked = 0";
static const char SQL_THREAD_TOUCH[] =
    "UPDATE forum_threads SET last_post_at = ?2 WHERE id = ?1 AND last_post_at <= ?2";
static const char SQL_POST_EDIT[] = "UPDATE forum_posts SET body = ?2, edited_at = ?3 WHERE id = ?1";
static const char SQL_POST_HIDE[] = "UPDATE forum_posts SET hidden = ?2, hidden_by = ?3 WHERE id = ?1";
static const char SQL_THREAD_SET[] = "UPDATE forum_threads SET pinned = CASE WHEN ?2 < 0 THEN pinned ELSE ?2 END,"
                                     " locked = CASE WHEN ?3 < 0 THEN locked ELSE ?3 END WHERE id = ?1";

static const char SQL_REPORT_INSERT[] =
    "INSERT INTO forum_reports (post_id, reporter_id, reason, created_at) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_REPORT_RESOLVE[] = "UPDATE forum_reports SET resolved_at = ?3, resolved_by = ?2, outcome = ?4"
                                         " WHERE id = ?1 AND resolved_at IS NULL";
#define REPORT_SELECT                                                                                                  \
    "SELECT r.id, r.reporter_id, ru.name, r.reason, r.created_at, " POST_COLUMNS ", " FORUM_NAME                       \
    ", f.kind, " FORUM_FACTS " FROM forum_reports r JOIN forum_posts p ON p.id = r.post_id" POST_JOINS                 \
    " JOIN users ru ON ru.id = r.reporter_id JOIN forums f ON f.id = t.forum_id" FORUM_JOINS
static const char SQL_REPORT_GET[] = REPORT_SELECT " WHERE r.id = ?2";
static const char SQL_REPORTS_OPEN[] =
    REPORT_SELECT " WHERE r.resolved_at IS NULL AND" FORUM_LIVE " ORDER BY r.created_at, r.id LIMIT ?2";

static const char SQL_SUBSCRIBE[] = "INSERT INTO forum_subscriptions (user_id, forum_id, mode, created_at)"
                                    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (user_id, forum_id) DO UPDATE SET mode = ?3";
static const char SQL_UNSUBSCRIBE[] = "DELETE FROM forum_subscriptions WHERE user_id = ?1 AND forum_id = ?2";

/* Loose on purpose ("_" and "%" in a name match too much, never too little): forum_mentions
 * decides which names the text truly mentions. */
static const char SQL_PEOPLE_NAMED[] = "SELECT u.id FROM users u WHERE u.active = 1"
                                       " AND lower(?1) LIKE ('%@' || lower(u.name) || '%') ORDER BY u.id LIMIT 200";
static const char SQL_PEOPLE_EACH_POST[] =
    "SELECT s.user_id FROM forum_subscriptions s JOIN users u ON u.id = s.user_id"
    " WHERE s.forum_id = ?1 AND s.mode = 'each_post' AND u.active = 1 ORDER BY s.user_id LIMIT 5000";
static const char SQL_MENTION_RECORD[] =
    "INSERT INTO forum_mentions (post_id, user_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING";

/* Posts a person's next digest lists: ?1 the person, ?2 the start of the day. */
#define DIGEST_WINDOW                                                                                                  \
    " s.mode = 'daily_digest' AND p.hidden = 0 AND p.author_id <> s.user_id AND p.created_at < ?2"                     \
    " AND p.created_at >= s.created_at AND p.created_at >= COALESCE((SELECT max(d.covered_until)"                      \
    " FROM forum_digests d WHERE d.user_id = s.user_id), 0)"
static const char SQL_DIGEST_DUE[] =
    "SELECT DISTINCT s.user_id FROM forum_subscriptions s JOIN users su ON su.id = s.user_id AND su.active = 1"
    " JOIN forum_threads t ON t.forum_id = s.forum_id JOIN forum_posts p ON p.thread_id = t.id"
    " WHERE" DIGEST_WINDOW " AND NOT EXISTS (SELECT 1 FROM forum_digests d WHERE d.user_id = s.user_id AND d.day = ?1)"
    " ORDER BY s.user_id LIMIT ?3";
static const char SQL_DIGEST_POSTS[] =
    "SELECT " POST_COLUMNS ", " FORUM_NAME ", f.kind FROM forum_subscriptions s"
    " JOIN forums f ON f.id = s.forum_id" FORUM_JOINS " JOIN forum_threads t ON t.forum_id = s.forum_id"
    " JOIN forum_posts p ON p.thread_id = t.id JOIN users u ON u.id = p.author_id"
    " WHERE s.user_id = ?1 AND" DIGEST_WINDOW " AND" FORUM_LIVE " ORDER BY p.id LIMIT ?3";
static const char SQL_DIGEST_RECORD[] = "INSERT INTO forum_digests (user_id, day, covered_until, sent_at)"
                                        " VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING";

/* ---- Reading rows ---- */

static enum forum_kind kind_of(struct db_stmt *stmt, int column)
{
    enum forum_kind kind = FORUM_KIND_NONE;
    forum_kind_parse(db_column_text(stmt, column), &kind);
    return kind;
}

/* The four FORUM_FACTS columns from column on. */
void store_forum_facts_read(struct db_stmt *stmt, int column, enum forum_kind kind, struct relation *r)
{
    memset(r, 0, sizeof(*r));
    r->exists = true;
    r->forum_kind = kind;
    r->in_cohort = db_column_int64(stmt, column) != 0;
    r->facilitates = db_column_int64(stmt, column + 1) != 0;
    r->cohort_coach = db_column_int64(stmt, column + 2) != 0;
    r->partner_record = db_column_int64(stmt, column + 3) != 0;
}

static void read_thread(struct db_stmt *stmt, struct arena *arena, struct forum_thread *t)
{
    t->id = db_column_int64(stmt, 0);
    t->forum_id = db_column_int64(stmt, 1);
    t->title = store_text_or_empty(arena, stmt, 2);
    t->author_id = db_column_int64(stmt, 3);
    t->author_name = store_text_or_empty(arena, stmt, 4);
    t->pinned = db_column_int64(stmt, 5) != 0;
    t->locked = db_column_int64(stmt, 6) != 0;
    t->created_at = db_column_int64(stmt, 7);
    t->last_post_at = db_column_int64(stmt, 8);
    int64_t replies = db_column_int64(stmt, 9);
    t->reply_count = replies > 0 ? replies : 0;
}

/* The POST_COLUMNS from column on; returns the column after them. */
static int read_post(struct db_stmt *stmt, int column, struct arena *arena, struct forum_post *p)
{
    p->id = db_column_int64(stmt, column);
    p->thread_id = db_column_int64(stmt, column + 1);
    p->forum_id = db_column_int64(stmt, column + 2);
    p->thread_title = store_text_or_empty(arena, stmt, column + 3);
    p->author_id = db_column_int64(stmt, column + 4);
    p->author_name = store_text_or_empty(arena, stmt, column + 5);
    p->body = store_text_or_empty(arena, stmt, column + 6);
    p->hidden = db_column_int64(stmt, column + 7) != 0;
    p->created_at = db_column_int64(stmt, column + 8);
    p->edited_at = db_column_int64(stmt, column + 9);
    p->opening = db_column_int64(stmt, column + 10) != 0;
    return column + 11;
}

static void read_report(struct db_stmt *stmt, struct arena *arena, struct forum_report *r)
{
    r->id = db_column_int64(stmt, 0);
    r->reporter_id = db_column_int64(stmt, 1);
    r->reporter_name = store_text_or_empty(arena, stmt, 2);
    r->reason = store_text_or_empty(arena, stmt, 3);
    r->created_at = db_column_int64(stmt, 4);
    int next = read_post(stmt, 5, arena, &r->post);
    r->forum_name = store_text_or_empty(arena, stmt, next);
    r->forum_kind = kind_of(stmt, next + 1);
    store_forum_facts_read(stmt, next + 2, r->forum_kind, &r->relation);
}

static void read_forum(struct db_stmt *stmt, struct arena *arena, struct forum *f)
{
    f->id = db_column_int64(stmt, 0);
    f->kind = kind_of(stmt, 1);
    f->cohort_id = db_column_int64(stmt, 2);
    f->name = store_text_or_empty(arena, stmt, 3);
    f->module = store_text_or_empty(arena, stmt, 4);
    f->thread_count = db_column_int64(stmt, 5);
    f->last_post_at = db_column_int64(stmt, 6);
    enum forum_delivery d;
    f->subscription = forum_delivery_parse(db_column_text(stmt, 7), &d) ? (int)d : -1;
    store_forum_facts_read(stmt, 8, f->kind, &f->relation);
}

static enum store_status exec_write(struct store *store, struct db_stmt *stmt)
{
    enum db_result r = db_exec_stmt(stmt);
    if (r == DB_CONSTRAINT)
        return STORE_CONFLICT;
    if (r != DB_DONE)
        return STORE_ERROR;
    return db_changes(store->db) > 0 ? STORE_OK : STORE_NOT_FOUND;
}

/* ---- The gate's facts ---- */

enum store_status store_relation_forum(struct store *store, const struct caller *caller, enum resource resource,
                                       int64_t id, struct relation *out)
{
    memset(out, 0, sizeof(*out));
    const char *sql = resource == RESOURCE_FORUM          ? SQL_RELATION_FORUM
                      : resource == RESOURCE_FORUM_THREAD ? SQL_RELATION_THREAD
                      : resource == RESOURCE_FORUM_POST   ? SQL_RELATION_POST
                                                          : SQL_RELATION_REPORT;
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
    store_forum_facts_read(stmt, 1, kind_of(stmt, 0), out);
    out->is_self = db_column_int64(stmt, 5) != 0;
    out->post_hidden = db_column_int64(stmt, 6) != 0;
    db_reset(stmt);
    return STORE_OK;
}

/* ---- Forums, threads and posts ---- */

static enum store_status forums_read(struct store *store, const struct caller *caller, int64_t id, struct arena *arena,
                                     struct forum **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_FORUM_LIST);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, caller ? caller->user_id : 0);
    db_bind_int64(stmt, 2, id);
    size_t cap = 16;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        read_forum(stmt, arena, &(*out)[(*count)++]);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_forum_list(struct store *store, const struct caller *caller, struct arena *arena,
                                   struct forum **out, size_t *count)
{
    return forums_read(store, caller, 0, arena, out, count);
}

enum store_status store_forum_get(struct store *store, const struct caller *caller, int64_t id, struct arena *arena,
                                  struct forum *out)
{
    struct forum *all;
    size_t count;
    enum store_status s = forums_read(store, caller, id, arena, &all, &count);
    if (s == STORE_OK && count == 0)
        return STORE_NOT_FOUND;
    if (s == STORE_OK)
        *out = all[0];
    return s;
}

enum store_status store_forum_threads(struct store *store, int64_t forum_id, struct store_page *page,
                                      struct arena *arena, struct forum_thread **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_THREAD_LIST);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, forum_id);
    store_page_bind(stmt, 2, CURSOR_NUMBER, STORE_DESCENDING, page);
    *out = arena_alloc(arena, sizeof(**out) * store_page_limit(page));
    *count = 0;
    enum db_result r;
    /* Columns 10 and 0 are the position and the id. */
    while ((r = db_step(stmt)) == DB_ROW && store_page_row(page, stmt, *count, CURSOR_NUMBER, 10, 0, arena))
        read_thread(stmt, arena, &(*out)[(*count)++]);
    return r == DB_DONE || r == DB_ROW ? STORE_OK : STORE_ERROR;
}

enum store_status store_forum_thread_get(struct store *store, int64_t id, struct arena *arena, struct forum_thread *out)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_THREAD_GET);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_NOT_FOUND;
    if (r != DB_ROW)
        return STORE_ERROR;
    read_thread(stmt, arena, out);
    db_reset(stmt);
    return STORE_OK;
}

enum store_status store_forum_posts(struct store *store, int64_t thread_id, bool with_hidden, struct store_page *page,
                                    struct arena *arena, struct forum_post **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_POST_LIST);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, thread_id);
    db_bind_int64(stmt, 2, with_hidden ? 1 : 0);
    store_page_bind(stmt, 3, CURSOR_ID, STORE_ASCENDING, page);
    *out = arena_alloc(arena, sizeof(**out) * store_page_limit(page));
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW && store_page_row(page, stmt, *count, CURSOR_ID, 0, 0, arena))
        read_post(stmt, 0, arena, &(*out)[(*count)++]);
    return r == DB_DONE || r == DB_ROW ? STORE_OK : STORE_ERROR;
}

enum store_status store_forum_post_get(struct store *store, int64_t id, struct arena *arena, struct forum_post *out)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_POST_GET);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_NOT_FOUND;
    if (r != DB_ROW)
        return STORE_ERROR;
    read_post(stmt, 0, arena, out);
    db_reset(stmt);
    return STORE_OK;
}

static enum store_status post_insert(struct store *store, const char *sql, int64_t thread_id, int64_t author_id,
                                     const char *body, int64_t now, int64_t *post_id)
{
    struct db_stmt *stmt = db_prepare(store->db, sql);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, thread_id);
    db_bind_int64(stmt, 2, author_id);
    db_bind_text(stmt, 3, body);
    db_bind_int64(stmt, 4, now);
    enum store_status s = exec_write(store, stmt);
    if (s == STORE_NOT_FOUND)
        return STORE_CONFLICT; /* the thread is locked (the gate found it, so it exists) */
    if (s != STORE_OK)
        return s;
    *post_id = db_last_insert_id(store->db);
    stmt = db_prepare(store->db, SQL_THREAD_TOUCH);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, thread_id);
    db_bind_int64(stmt, 2, now);
    return db_exec_stmt(stmt) == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_forum_thread_create(struct store *store, int64_t forum_id, int64_t author_id, const char *title,
                                            const char *body, int64_t now, int64_t *thread_id, int64_t *post_id)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_THREAD_INSERT);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, forum_id);
        db_bind_text(stmt, 2, title);
        db_bind_int64(stmt, 3, author_id);
        db_bind_int64(stmt, 4, now);
        status = exec_write(store, stmt);
        if (status == STORE_OK) {
            *thread_id = db_last_insert_id(store->db);
            status = post_insert(store, SQL_OPENING_INSERT, *thread_id, author_id, body, now, post_id);
        }
    }
    return store_tx_end(store, status);
}

enum store_status store_forum_reply_create(struct store *store, int64_t thread_id, int64_t author_id, const char *body,
                                           int64_t now, int64_t *post_id)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    return store_tx_end(store, post_insert(store, SQL_REPLY_INSERT, thread_id, author_id, body, now, post_id));
}

enum store_status store_forum_post_edit(struct store *store, int64_t id, const char *body, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_POST_EDIT);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, id);
        db_bind_text(stmt, 2, body);
        db_bind_int64(stmt, 3, now);
        status = exec_write(store, stmt);
    }
    return store_tx_end(store, status);
}

enum store_status store_forum_post_hide(struct store *store, int64_t id, bool hidden, int64_t by)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_POST_HIDE);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, id);
        db_bind_int64(stmt, 2, hidden ? 1 : 0);
        store_bind_id(stmt, 3, hidden ? by : 0);
        status = exec_write(store, stmt);
    }
    return store_tx_end(store, status);
}

enum store_status store_forum_thread_set(struct store *store, int64_t id, int pinned, int locked)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_THREAD_SET);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, id);
        db_bind_int64(stmt, 2, pinned < 0 ? -1 : pinned > 0);
        db_bind_int64(stmt, 3, locked < 0 ? -1 : locked > 0);
        status = exec_write(store, stmt);
    }
    return store_tx_end(store, status);
}

/* ---- Reports ---- */

enum store_status store_forum_report_create(struct store *store, int64_t post_id, int64_t reporter_id,
                                            const char *reason, int64_t now, int64_t *id)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_REPORT_INSERT);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, post_id);
        db_bind_int64(stmt, 2, reporter_id);
        db_bind_text(stmt, 3, reason);
        db_bind_int64(stmt, 4, now);
        status = exec_write(store, stmt);
        if (status == STORE_OK)
            *id = db_last_insert_id(store->db);
    }
    return store_tx_end(store, status);
}

enum store_status store_forum_report_resolve(struct store *store, int64_t id, int64_t by, const char *outcome,
                                             int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_REPORT_RESOLVE);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, id);
        db_bind_int64(stmt, 2, by);
        db_bind_int64(stmt, 3, now);
        db_bind_text(stmt, 4, outcome);
        status = exec_write(store, stmt);
        if (status == STORE_NOT_FOUND)
            status = STORE_CONFLICT; /* closed already, by another moderator or an earlier request */
    }
    return store_tx_end(store, status);
}

enum store_status store_forum_report_get(struct store *store, const struct caller *caller, int64_t id,
                                         struct arena *arena, struct forum_report *out)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_REPORT_GET);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, caller ? caller->user_id : 0);
    db_bind_int64(stmt, 2, id);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_NOT_FOUND;
    if (r != DB_ROW)
        return STORE_ERROR;
    read_report(stmt, arena, out);
    db_reset(stmt);
    return STORE_OK;
}

enum store_status store_forum_reports_open(struct store *store, const struct caller *caller, size_t limit,
                                           struct arena *arena, struct forum_report **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_REPORTS_OPEN);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, caller ? caller->user_id : 0);
    db_bind_int64(stmt, 2, (int64_t)limit);
    size_t cap = 16;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        read_report(stmt, arena, &(*out)[(*count)++]);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

/* ---- Search ---- */

#define SEARCH_SELECT                                                                                                  \
    "SELECT " POST_COLUMNS ", " FORUM_NAME ", f.kind, " FORUM_FACTS " FROM forum_posts p" POST_JOINS                   \
    " JOIN forums f ON f.id = t.forum_id" FORUM_JOINS
static const char SQL_SEARCH_SQLITE[] = SEARCH_SELECT
    " JOIN forum_posts_search s ON s.rowid = p.id"
    " WHERE forum_posts_search MATCH ?2 AND p.hidden = 0 AND" FORUM_LIVE " ORDER BY s.rank, p.id DESC LIMIT ?3";
static const char SQL_SEARCH_POSTGRES[] =
    SEARCH_SELECT " WHERE p.search @@ plainto_tsquery('english', ?2) AND p.hidden = 0 AND" FORUM_LIVE
                  " ORDER BY ts_rank(p.search, plainto_tsquery('english', ?2)) DESC, p.id DESC LIMIT ?3";

/* The words of query as an FTS5 query: each run of letters and digits quoted, all of them
 * required, so nothing typed is read as FTS5's own syntax. "" when there are none. */
const char *store_fts5_words(const char *query, struct arena *arena)
{
    size_t len = strlen(query);
    char *out = arena_alloc(arena, len * 3 + 1), *o = out;
    const unsigned char *p = (const unsigned char *)query;
    while (*p) {
        while (*p && !(isalnum(*p) || *p >= 0x80))
            p++;
        if (!*p)
            break;
        if (o != out)
            *o++ = ' ';
        *o++ = '"';
        while (*p && (isalnum(*p) || *p >= 0x80))
            *o++ = (char)*p++;
        *o++ = '"';
    }
    *o = '\0';
    return out;
}

enum store_status store_forum_search(struct store *store, const struct caller *caller, const char *query, size_t limit,
                                     struct arena *arena, struct forum_search_hit **out, size_t *count)
{
    *count = 0;
    *out = NULL;
    bool postgres = strcmp(db_dialect(store->db), "postgres") == 0;
    const char *words = postgres ? query : store_fts5_words(query ? query : "", arena);
    if (words == NULL || *words == '\0')
        return STORE_OK;
    struct db_stmt *stmt = db_prepare(store->db, postgres ? SQL_SEARCH_POSTGRES : SQL_SEARCH_SQLITE);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, caller ? caller->user_id : 0);
    db_bind_text(stmt, 2, words);
    db_bind_int64(stmt, 3, (int64_t)limit);
    size_t cap = 16;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        struct forum_search_hit *hit = &(*out)[(*count)++];
        int next = read_post(stmt, 0, arena, &hit->post);
        hit->forum_name = store_text_or_empty(arena, stmt, next);
        hit->forum_kind = kind_of(stmt, next + 1);
        store_forum_facts_read(stmt, next + 2, hit->forum_kind, &hit->relation);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

/* ---- Subscriptions, mentions, digests ---- */

enum store_status store_forum_subscribe(struct store *store, int64_t user_id, int64_t forum_id, int mode, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, mode < 0 ? SQL_UNSUBSCRIBE : SQL_SUBSCRIBE);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, user_id);
        db_bind_int64(stmt, 2, forum_id);
        if (mode >= 0) {
            db_bind_text(stmt, 3, forum_delivery_name((enum forum_delivery)mode));
            db_bind_int64(stmt, 4, now);
        }
        status = exec_write(store, stmt);
        if (status == STORE_NOT_FOUND)
            status = STORE_OK; /* ending a subscription there was not is no failure */
    }
    return store_tx_end(store, status);
}

static enum store_status ids_read(struct db_stmt *stmt, struct arena *arena, int64_t **ids, size_t *count)
{
    size_t cap = 16;
    *ids = arena_alloc(arena, sizeof(**ids) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *ids = arena_grow(arena, *ids, &cap, sizeof(**ids));
        (*ids)[(*count)++] = db_column_int64(stmt, 0);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_forum_people(struct store *store, int64_t forum_id, enum forum_people which, const char *text,
                                     struct arena *arena, int64_t **ids, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, which == FORUM_PEOPLE_NAMED ? SQL_PEOPLE_NAMED : SQL_PEOPLE_EACH_POST);
    if (stmt == NULL)
        return STORE_ERROR;
    if (which == FORUM_PEOPLE_NAMED)
        db_bind_text(stmt, 1, text ? text : "");
    else
        db_bind_int64(stmt, 1, forum_id);
    return ids_read(stmt, arena, ids, count);
}

enum store_status store_forum_mention_record(struct store *store, int64_t post_id, int64_t user_id, bool *recorded)
{
    *recorded = false;
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_MENTION_RECORD);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, post_id);
        db_bind_int64(stmt, 2, user_id);
        status = exec_write(store, stmt);
        /* Recorded before is no failure: it must not roll back the post's transaction. */
        *recorded = status == STORE_OK;
        if (status == STORE_NOT_FOUND)
            status = STORE_OK;
    }
    return store_tx_end(store, status);
}

enum store_status store_forum_digest_due(struct store *store, const char *day, int64_t day_start, size_t limit,
                                         struct arena *arena, int64_t **ids, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_DIGEST_DUE);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_text(stmt, 1, day);
    db_bind_int64(stmt, 2, day_start);
    db_bind_int64(stmt, 3, (int64_t)limit);
    return ids_read(stmt, arena, ids, count);
}

enum store_status store_forum_digest_posts(struct store *store, int64_t user_id, int64_t day_start, size_t limit,
                                           struct arena *arena, struct forum_digest_item **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_DIGEST_POSTS);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, user_id);
    db_bind_int64(stmt, 2, day_start);
    db_bind_int64(stmt, 3, (int64_t)limit);
    size_t cap = 16;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        struct forum_digest_item *item = &(*out)[(*count)++];
        int next = read_post(stmt, 0, arena, &item->post);
        item->forum_name = store_text_or_empty(arena, stmt, next);
        item->forum_kind = kind_of(stmt, next + 1);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_forum_digest_record(struct store *store, int64_t user_id, const char *day,
                                            int64_t covered_until, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_DIGEST_RECORD);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, user_id);
        db_bind_text(stmt, 2, day);
        db_bind_int64(stmt, 3, covered_until);
        db_bind_int64(stmt, 4, now);
        status = exec_write(store, stmt);
        if (status == STORE_NOT_FOUND)
            status = STORE_CONFLICT;
    }
    return store_tx_end(store, status);
}
