/*
 * People, roles, assignments, organisations and the audit log in the database.
 *
 * Every write records an audit event in the same transaction, so the log cannot miss a change
 * that happened nor record one that did not. Summaries of records before and after a change are
 * small JSON objects built here, next to the columns they describe.
 */
#include "store/store_internal.h"

#include "lib/die.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The audit log */

static const char SQL_AUDIT_INSERT[] =
    "INSERT INTO audit_events (at, actor_id, actor_label, action, entity, entity_id, before, after, client)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

static enum store_status audit(struct store *store, const struct actor *actor, const char *action, const char *entity,
                               int64_t entity_id, const char *before, const char *after, int64_t now)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_AUDIT_INSERT);
    if (stmt == NULL)
        return STORE_ERROR;
    char id[24];
    snprintf(id, sizeof(id), "%lld", (long long)entity_id);
    db_bind_int64(stmt, 1, now);
    if (actor->user_id > 0)
        db_bind_int64(stmt, 2, actor->user_id);
    db_bind_text(stmt, 3, actor->label ? actor->label : "system");
    db_bind_text(stmt, 4, action);
    db_bind_text(stmt, 5, entity);
    db_bind_text(stmt, 6, id);
    db_bind_text(stmt, 7, before);
    db_bind_text(stmt, 8, after);
    db_bind_text(stmt, 9, actor->client ? actor->client : "");
    return db_exec_stmt(stmt) == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_audit(struct store *store, const struct actor *actor, const char *action, const char *entity,
                              int64_t entity_id, const char *before, const char *after, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    return store_tx_end(store, audit(store, actor, action, entity, entity_id, before, after, now));
}

#define AUDIT_MATCHES                                                                                                  \
    " FROM audit_events"                                                                                               \
    " WHERE (?1 = 0 OR actor_id = ?1) AND (?2 IS NULL OR action LIKE ?2 || '%')"                                       \
    " AND (?3 IS NULL OR entity = ?3) AND (?4 IS NULL OR entity_id = ?4)"                                              \
    " AND (?5 = 0 OR at >= ?5) AND (?6 = 0 OR at <= ?6)"
/* Newest first by id (CURSOR_ID). */
static const char SQL_AUDIT_LIST[] =
    "SELECT id, at, coalesce(actor_id, 0), actor_label, action, entity, entity_id, before, after, client" AUDIT_MATCHES
    " AND id < ?7 ORDER BY id DESC LIMIT ?8";
static const char SQL_AUDIT_COUNT[] = "SELECT count(*)" AUDIT_MATCHES;

static void bind_audit_filter(struct db_stmt *stmt, const struct audit_filter *filter)
{
    db_bind_int64(stmt, 1, filter->actor_id);
    db_bind_text(stmt, 2, filter->action && *filter->action ? filter->action : NULL);
    db_bind_text(stmt, 3, filter->entity && *filter->entity ? filter->entity : NULL);
    db_bind_text(stmt, 4, filter->entity_id && *filter->entity_id ? filter->entity_id : NULL);
    db_bind_int64(stmt, 5, filter->since);
    db_bind_int64(stmt, 6, filter->until);
}

enum store_status store_audit_list(struct store *store, const struct audit_filter *filter, struct store_page *page,
                                   struct arena *arena, struct audit_event **out, size_t *count, size_t *total)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_AUDIT_COUNT);
    if (stmt == NULL)
        return STORE_ERROR;
    bind_audit_filter(stmt, filter);
    *total = db_step(stmt) == DB_ROW ? (size_t)db_column_int64(stmt, 0) : 0;
    db_reset(stmt);
    if ((stmt = db_prepare(store->db, SQL_AUDIT_LIST)) == NULL)
        return STORE_ERROR;
    bind_audit_filter(stmt, filter);
    store_page_bind(stmt, 7, CURSOR_ID, STORE_DESCENDING, page);
    *out = arena_alloc(arena, sizeof(**out) * store_page_limit(page));
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW && store_page_row(page, stmt, *count, CURSOR_ID, 0, 0, arena)) {
        struct audit_event *e = &(*out)[(*count)++];
        e->id = db_column_int64(stmt, 0);
        e->at = db_column_int64(stmt, 1);
        e->actor_id = db_column_int64(stmt, 2);
        e->actor_label = store_text_or_empty(arena, stmt, 3);
        e->action = store_text_or_empty(arena, stmt, 4);
        e->entity = store_text_or_empty(arena, stmt, 5);
        e->entity_id = store_text_or_empty(arena, stmt, 6);
        e->before = store_text(arena, stmt, 7);
        e->after = store_text(arena, stmt, 8);
        e->client = store_text_or_empty(arena, stmt, 9);
    }
    return r == DB_DONE || r == DB_ROW ? STORE_OK : STORE_ERROR;
}

/* Settings */

static const char SQL_SECRET[] = "SELECT value FROM settings WHERE name = 'secret'";

enum store_status store_secret(struct store *store, unsigned char key[32])
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_SECRET);
    if (stmt == NULL || db_step(stmt) != DB_ROW)
        return STORE_ERROR;
    if (db_column_bytes(stmt, 0) != 32) {
        db_reset(stmt);
        return STORE_ERROR;
    }
    memcpy(key, db_column_blob(stmt, 0), 32);
    db_reset(stmt);
    return STORE_OK;
}

static const char SQL_SETTING_PUT[] =
    "INSERT INTO settings (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET value = ?2";
static const char SQL_SETTING_GET[] = "SELECT value FROM settings WHERE name = ?1";

static enum store_status setting_set(struct store *store, const char *name, const char *value)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_SETTING_PUT);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_text(stmt, 1, name);
    db_bind_text(stmt, 2, value);
    return db_exec_stmt(stmt) == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_setting_set(struct store *store, const char *name, const char *value)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    return store_tx_end(store, setting_set(store, name, value));
}

enum store_status store_setting_get(struct store *store, const char *name, char *out, size_t size)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_SETTING_GET);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_text(stmt, 1, name);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_NOT_FOUND;
    if (r != DB_ROW)
        return STORE_ERROR;
    snprintf(out, size, "%s", db_column_text(stmt, 0) ? db_column_text(stmt, 0) : "");
    db_reset(stmt);
    return STORE_OK;
}

/* People */

/* A taken email (in any case) inserts nothing; an unknown organisation fails its foreign key. */
static const char SQL_USER_INSERT[] = "INSERT INTO users (email, name, organisation_id, created_at, updated_at)"
                                      " VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT DO NOTHING";
static const char SQL_USER_BY_ID[] =
    "SELECT u.id, u.email, u.name, u.active, u.password_hash IS NOT NULL, coalesce(u.organisation_id, 0),"
    " o.name, u.created_at, u.updated_at, u.password_hash"
    " FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.id = ?1";
static const char SQL_USER_BY_EMAIL[] =
    "SELECT u.id, u.email, u.name, u.active, u.password_hash IS NOT NULL, coalesce(u.organisation_id, 0),"
    " o.name, u.created_at, u.updated_at, u.password_hash"
    " FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.email = ?1";
static const char SQL_USER_ROLES[] =
    "SELECT r.id, r.role, coalesce(r.organisation_id, 0), o.name FROM user_roles r"
    " LEFT JOIN organisations o ON o.id = r.organisation_id WHERE r.user_id = ?1 ORDER BY r.id";
static const char SQL_USER_UPDATE[] = "UPDATE users SET name = ?2, organisation_id = ?3, updated_at = ?4 WHERE id = ?1";
static const char SQL_USER_SET_ACTIVE[] = "UPDATE users SET active = ?2, updated_at = ?3 WHERE id = ?1";
static const char SQL_USER_SET_PASSWORD[] = "UPDATE users SET password_hash = ?2, updated_at = ?3 WHERE id = ?1";
static const char SQL_SESSIONS_REVOKE_USER[] =
    "UPDATE sessions SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL";
static const char SQL_LINKS_RETIRE_USER[] =
    "UPDATE one_time_tokens SET used_at = ?2 WHERE user_id = ?1 AND used_at IS NULL";

static json_t *user_summary(const struct user *u)
{
    json_t *roles = json_array();
    for (size_t i = 0; i < u->role_count; i++) {
        json_t *r = json_pack("{s:s}", "role", role_name(u->roles[i].role));
        if (u->roles[i].organisation_id)
            json_object_set_new(r, "organisation_id", json_integer(u->roles[i].organisation_id));
        json_array_append_new(roles, r);
    }
    json_t *j =
        json_pack("{s:s, s:s, s:b, s:o}", "email", u->email, "name", u->name, "active", u->active, "roles", roles);
    if (u->organisation_id)
        json_object_set_new(j, "organisation_id", json_integer(u->organisation_id));
    return j;
}

static enum store_status load_roles(struct store *store, struct arena *arena, struct user *u)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_USER_ROLES);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, u->id);
    size_t cap = 8;
    u->roles = arena_alloc(arena, sizeof(*u->roles) * cap);
    u->role_count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        enum role role;
        if (!role_parse(db_column_text(stmt, 1), &role))
            continue;
        if (u->role_count == cap)
            u->roles = arena_grow(arena, u->roles, &cap, sizeof(*u->roles));
        struct role_grant *g = &u->roles[u->role_count++];
        g->id = db_column_int64(stmt, 0);
        g->role = role;
        g->organisation_id = db_column_int64(stmt, 2);
        g->organisation_name = store_text(arena, stmt, 3);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

/* Reads the user row the statement is on (columns as in SQL_USER_BY_ID). */
static void read_user(struct db_stmt *stmt, struct arena *arena, struct user *u)
{
    memset(u, 0, sizeof(*u));
    u->id = db_column_int64(stmt, 0);
    u->email = store_text_or_empty(arena, stmt, 1);
    u->name = store_text_or_empty(arena, stmt, 2);
    u->active = db_column_int64(stmt, 3) != 0;
    u->has_password = db_column_int64(stmt, 4) != 0;
    u->organisation_id = db_column_int64(stmt, 5);
    u->organisation_name = store_text(arena, stmt, 6);
    u->created_at = db_column_int64(stmt, 7);
    u->updated_at = db_column_int64(stmt, 8);
}

static enum store_status user_fetch(struct store *store, const char *sql, int64_t id, const char *email,
                                    struct arena *arena, struct user *out, const char **password_hash)
{
    struct db_stmt *stmt = db_prepare(store->db, sql);
    if (stmt == NULL)
        return STORE_ERROR;
    if (email != NULL)
        db_bind_text(stmt, 1, email);
    else
        db_bind_int64(stmt, 1, id);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_NOT_FOUND;
    if (r != DB_ROW)
        return STORE_ERROR;
    read_user(stmt, arena, out);
    if (password_hash != NULL)
        *password_hash = store_text(arena, stmt, 9);
    db_reset(stmt);
    return load_roles(store, arena, out);
}

enum store_status store_user_get(struct store *store, int64_t id, struct arena *arena, struct user *out)
{
    return user_fetch(store, SQL_USER_BY_ID, id, NULL, arena, out, NULL);
}

enum store_status store_user_find_by_email(struct store *store, const char *email, struct arena *arena,
                                           struct user *out, const char **password_hash)
{
    return user_fetch(store, SQL_USER_BY_EMAIL, 0, email, arena, out, password_hash);
}

/* Runs a one-row update bound to id and checks it touched a row. */
static enum store_status exec_changed(struct store *store, struct db_stmt *stmt)
{
    enum db_result r = db_exec_stmt(stmt);
    if (r == DB_CONSTRAINT)
        return STORE_CONFLICT;
    if (r != DB_DONE)
        return STORE_ERROR;
    return db_changes(store->db) > 0 ? STORE_OK : STORE_NOT_FOUND;
}

enum store_status store_user_create(struct store *store, const struct actor *actor, const char *email, const char *name,
                                    int64_t organisation_id, int64_t now, int64_t *id)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_USER_INSERT);
    enum store_status status = STORE_ERROR;
    if (stmt != NULL) {
        db_bind_text(stmt, 1, email);
        db_bind_text(stmt, 2, name);
        if (organisation_id > 0)
            db_bind_int64(stmt, 3, organisation_id);
        db_bind_int64(stmt, 4, now);
        /* Told apart by the statement itself, so nothing runs after a failed one: on some engines
         * that ends the transaction. */
        enum db_result r = db_exec_stmt(stmt);
        if (r == DB_CONSTRAINT)
            status = STORE_NOT_FOUND;
        else if (r == DB_DONE && db_changes(store->db) == 0)
            status = STORE_CONFLICT;
        else if (r == DB_DONE) {
            *id = db_last_insert_id(store->db);
            struct user u = {
                .id = *id, .email = email, .name = name, .active = true, .organisation_id = organisation_id};
            status = store_audit_json(store, actor, "user.create", "user", *id, NULL, user_summary(&u), now);
        }
    }
    return store_tx_end(store, status);
}

/* Runs change (an update on the user) between summaries of the user before and after, audited. */
static enum store_status user_change(struct store *store, const struct actor *actor, int64_t id, const char *action,
                                     struct db_stmt *stmt, int64_t now)
{
    struct arena arena = ARENA_INIT;
    struct user before, after;
    enum store_status status = store_user_get(store, id, &arena, &before);
    if (status == STORE_OK)
        status = exec_changed(store, stmt);
    if (status == STORE_OK)
        status = store_user_get(store, id, &arena, &after);
    if (status == STORE_OK)
        status = store_audit_json(store, actor, action, "user", id, user_summary(&before), user_summary(&after), now);
    arena_release(&arena);
    return status;
}

enum store_status store_user_update(struct store *store, const struct actor *actor, int64_t id, const char *name,
                                    int64_t organisation_id, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_USER_UPDATE);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, id);
        db_bind_text(stmt, 2, name);
        if (organisation_id > 0)
            db_bind_int64(stmt, 3, organisation_id);
        db_bind_int64(stmt, 4, now);
        status = user_change(store, actor, id, "user.update", stmt, now);
        if (status == STORE_CONFLICT)
            status = STORE_NOT_FOUND; /* the organisation does not exist */
    }
    return store_tx_end(store, status);
}

enum store_status store_user_set_active(struct store *store, const struct actor *actor, int64_t id, bool active,
                                        int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_USER_SET_ACTIVE);
    enum store_status status = STORE_ERROR;
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, id);
        db_bind_int64(stmt, 2, active);
        db_bind_int64(stmt, 3, now);
        status = user_change(store, actor, id, active ? "user.reactivate" : "user.deactivate", stmt, now);
    }
    return store_tx_end(store, status);
}

enum store_status store_user_set_password(struct store *store, const struct actor *actor, int64_t id,
                                          const char *password_hash, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_USER_SET_PASSWORD);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, id);
        db_bind_text(stmt, 2, password_hash);
        db_bind_int64(stmt, 3, now);
        status = exec_changed(store, stmt);
    }
    /* A new password signs the person out everywhere and retires every reset or invitation link
     * still outstanding, so an older email cannot change it again. */
    const char *const follow_ups[] = {SQL_SESSIONS_REVOKE_USER, SQL_LINKS_RETIRE_USER};
    for (size_t i = 0; i < 2 && status == STORE_OK; i++) {
        stmt = db_prepare(store->db, follow_ups[i]);
        status = STORE_ERROR;
        if (stmt != NULL) {
            db_bind_int64(stmt, 1, id);
            db_bind_int64(stmt, 2, now);
            if (db_exec_stmt(stmt) == DB_DONE)
                status = STORE_OK;
        }
    }
    /* The hash itself never goes into the log. */
    if (status == STORE_OK)
        status = store_audit(store, actor, "user.set_password", "user", id, NULL, NULL, now);
    return store_tx_end(store, status);
}

/*
 * The scope filter for lists of people, the same rules as policy_allows: ?1 caller id,
 * ?2 admin, ?3 coach, ?4 mentor, ?5 headteacher, ?6 partner lead.
 */
#define USER_SCOPE                                                                                                     \
    " (?2 = 1 OR u.id = ?1"                                                                                            \
    " OR (?3 = 1 AND EXISTS (SELECT 1 FROM assignments a WHERE a.kind = 'coach' AND a.staff_id = ?1"                   \
    "     AND a.participant_id = u.id))"                                                                               \
    " OR (?4 = 1 AND EXISTS (SELECT 1 FROM assignments a WHERE a.kind = 'mentor' AND a.staff_id = ?1"                  \
    "     AND a.participant_id = u.id))"                                                                               \
    " OR (?5 = 1 AND u.organisation_id IN (SELECT organisation_id FROM user_roles WHERE user_id = ?1"                  \
    "     AND role = 'headteacher'))"                                                                                  \
    " OR (?6 = 1 AND EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id AND ur.organisation_id IN"            \
    "     (SELECT organisation_id FROM user_roles WHERE user_id = ?1 AND role = 'partner_lead'))))"

/* ?7 words of a name or email, ?8 a role ('' for any), ?9 inactive people too. */
#define USER_MATCHES                                                                                                   \
    " FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id"                                              \
    " WHERE" USER_SCOPE                                                                                                \
    " AND (?7 IS NULL OR lower(u.name) LIKE '%' || lower(?7) || '%' OR lower(u.email) LIKE '%' || lower(?7) || '%')"   \
    " AND (?8 = '' OR EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = ?8))"                     \
    " AND (?9 = 1 OR u.active = 1)"
/* By name (CURSOR_TEXT on lower(name)), then id; ?10 ?11 the position, ?12 the rows. */
#define USER_PAGE                                                                                                      \
    USER_MATCHES                                                                                                       \
    " AND lower(u.name) >= ?10 AND (lower(u.name), u.id) > (?10, ?11) ORDER BY lower(u.name), u.id LIMIT ?12"
static const char SQL_USER_LIST[] =
    "SELECT u.id, u.email, u.name, u.active, u.password_hash IS NOT NULL, coalesce(u.organisation_id, 0),"
    " o.name, u.created_at, u.updated_at, lower(u.name)" USER_PAGE;
static const char SQL_USER_COUNT[] = "SELECT count(*)" USER_MATCHES;
/* The roles of everyone on the page, in one query rather than one per person. */
static const char SQL_USER_PAGE_ROLES[] =
    "SELECT r.user_id, r.id, r.role, coalesce(r.organisation_id, 0), o.name FROM user_roles r"
    " LEFT JOIN organisations o ON o.id = r.organisation_id"
    " WHERE r.user_id IN (SELECT u.id" USER_PAGE ") ORDER BY r.user_id, r.id";

static void bind_scope(struct db_stmt *stmt, const struct caller *caller)
{
    db_bind_int64(stmt, 1, caller ? caller->user_id : 0);
    db_bind_int64(stmt, 2, caller_has(caller, ROLE_ADMIN));
    db_bind_int64(stmt, 3, caller_has(caller, ROLE_COACH));
    db_bind_int64(stmt, 4, caller_has(caller, ROLE_MENTOR));
    db_bind_int64(stmt, 5, caller_has(caller, ROLE_HEADTEACHER));
    db_bind_int64(stmt, 6, caller_has(caller, ROLE_PARTNER_LEAD));
}

/* Binds the filter and the page of a people list (the numbers of USER_PAGE). */
static void bind_user_list(struct db_stmt *stmt, const struct caller *caller, const struct user_filter *filter,
                           const struct store_page *page)
{
    bind_scope(stmt, caller);
    db_bind_text(stmt, 7, filter->query && *filter->query ? filter->query : NULL);
    db_bind_text(stmt, 8, filter->role >= 0 ? role_name((enum role)filter->role) : "");
    db_bind_int64(stmt, 9, filter->include_inactive);
    if (page != NULL)
        store_page_bind(stmt, 10, CURSOR_TEXT, STORE_ASCENDING, page);
}

/* Reads the roles of the people on the page (users, sorted by name) in one query. */
static enum store_status load_page_roles(struct store *store, const struct caller *caller,
                                         const struct user_filter *filter, const struct store_page *page,
                                         struct arena *arena, struct user *users, size_t count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_USER_PAGE_ROLES);
    if (stmt == NULL)
        return STORE_ERROR;
    bind_user_list(stmt, caller, filter, page);
    size_t *caps = arena_alloc(arena, sizeof(*caps) * (count ? count : 1));
    enum db_result r;
    size_t at = 0; /* the person of the last row: rows come by person */
    while ((r = db_step(stmt)) == DB_ROW) {
        int64_t user_id = db_column_int64(stmt, 0);
        if (at >= count || users[at].id != user_id)
            for (at = 0; at < count && users[at].id != user_id; at++)
                ;
        enum role role;
        if (at == count || !role_parse(db_column_text(stmt, 2), &role))
            continue; /* the row past the page, or a role this version does not know */
        struct user *u = &users[at];
        if (u->role_count == caps[at]) {
            caps[at] = caps[at] ? caps[at] : 4;
            u->roles = u->role_count ? arena_grow(arena, u->roles, &caps[at], sizeof(*u->roles))
                                     : arena_alloc(arena, sizeof(*u->roles) * caps[at]);
        }
        struct role_grant *g = &u->roles[u->role_count++];
        g->id = db_column_int64(stmt, 1);
        g->role = role;
        g->organisation_id = db_column_int64(stmt, 3);
        g->organisation_name = store_text(arena, stmt, 4);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_user_list(struct store *store, const struct caller *caller, const struct user_filter *filter,
                                  struct store_page *page, struct arena *arena, struct user **out, size_t *count,
                                  size_t *total)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_USER_COUNT);
    if (stmt == NULL)
        return STORE_ERROR;
    bind_user_list(stmt, caller, filter, NULL);
    *total = db_step(stmt) == DB_ROW ? (size_t)db_column_int64(stmt, 0) : 0;
    db_reset(stmt);
    if ((stmt = db_prepare(store->db, SQL_USER_LIST)) == NULL)
        return STORE_ERROR;
    bind_user_list(stmt, caller, filter, page);
    *out = arena_alloc(arena, sizeof(**out) * store_page_limit(page));
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW && store_page_row(page, stmt, *count, CURSOR_TEXT, 9, 0, arena))
        read_user(stmt, arena, &(*out)[(*count)++]);
    if (r != DB_DONE && r != DB_ROW)
        return STORE_ERROR;
    return load_page_roles(store, caller, filter, page, arena, *out, *count);
}

static const char SQL_SCHOOL_HEADTEACHERS[] =
    "SELECT u.id, u.name FROM users u JOIN user_roles r ON r.user_id = u.id "
    "WHERE r.role = 'headteacher' AND r.organisation_id = ?1 AND u.active = 1 ORDER BY u.name, u.id LIMIT ?2";

enum store_status store_school_headteachers(struct store *store, int64_t school_id, size_t limit, struct arena *arena,
                                            struct user **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_SCHOOL_HEADTEACHERS);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, school_id);
    db_bind_int64(stmt, 2, (int64_t)limit);
    *out = arena_alloc(arena, sizeof(**out) * (limit ? limit : 1));
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        (*out)[*count] = (struct user){
            .id = db_column_int64(stmt, 0), .name = arena_strdup(arena, db_column_text(stmt, 1)), .active = true};
        (*count)++;
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

/* Roles */

static const char SQL_ROLE_INSERT[] =
    "INSERT INTO user_roles (user_id, role, organisation_id, created_at) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_ROLE_GET[] =
    "SELECT role, coalesce(organisation_id, 0) FROM user_roles WHERE id = ?1 AND user_id = ?2";
static const char SQL_ROLE_DELETE[] = "DELETE FROM user_roles WHERE id = ?1 AND user_id = ?2";
static const char SQL_EXISTS_USER[] = "SELECT 1 FROM users WHERE id = ?1";
static const char SQL_EXISTS_ORGANISATION[] = "SELECT 1 FROM organisations WHERE id = ?1";

static bool row_exists(struct store *store, const char *sql, int64_t id)
{
    struct db_stmt *stmt = db_prepare(store->db, sql);
    if (stmt == NULL)
        return false;
    db_bind_int64(stmt, 1, id);
    bool found = db_step(stmt) == DB_ROW;
    db_reset(stmt);
    return found;
}

static json_t *grant_summary(enum role role, int64_t organisation_id)
{
    json_t *j = json_pack("{s:s}", "role", role_name(role));
    if (organisation_id)
        json_object_set_new(j, "organisation_id", json_integer(organisation_id));
    return j;
}

enum store_status store_role_grant(struct store *store, const struct actor *actor, int64_t user_id, enum role role,
                                   int64_t organisation_id, int64_t now, int64_t *grant_id)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    if (!row_exists(store, SQL_EXISTS_USER, user_id) ||
        (organisation_id > 0 && !row_exists(store, SQL_EXISTS_ORGANISATION, organisation_id))) {
        status = STORE_NOT_FOUND;
    } else {
        struct db_stmt *stmt = db_prepare(store->db, SQL_ROLE_INSERT);
        if (stmt != NULL) {
            db_bind_int64(stmt, 1, user_id);
            db_bind_text(stmt, 2, role_name(role));
            if (organisation_id > 0)
                db_bind_int64(stmt, 3, organisation_id);
            db_bind_int64(stmt, 4, now);
            enum db_result r = db_exec_stmt(stmt);
            if (r == DB_CONSTRAINT)
                status = STORE_CONFLICT;
            else if (r == DB_DONE) {
                *grant_id = db_last_insert_id(store->db);
                status = store_audit_json(store, actor, "role.grant", "user", user_id, NULL,
                                          grant_summary(role, organisation_id), now);
            }
        }
    }
    return store_tx_end(store, status);
}

enum store_status store_role_revoke(struct store *store, const struct actor *actor, int64_t user_id, int64_t grant_id,
                                    int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_ROLE_GET);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, grant_id);
        db_bind_int64(stmt, 2, user_id);
        enum db_result r = db_step(stmt);
        if (r == DB_DONE)
            status = STORE_NOT_FOUND;
        else if (r == DB_ROW) {
            enum role role = ROLE_PARTICIPANT;
            role_parse(db_column_text(stmt, 0), &role);
            int64_t organisation_id = db_column_int64(stmt, 1);
            db_reset(stmt);
            stmt = db_prepare(store->db, SQL_ROLE_DELETE);
            if (stmt != NULL) {
                db_bind_int64(stmt, 1, grant_id);
                db_bind_int64(stmt, 2, user_id);
                status = exec_changed(store, stmt);
                if (status == STORE_OK)
                    status = store_audit_json(store, actor, "role.revoke", "user", user_id,
                                              grant_summary(role, organisation_id), NULL, now);
            }
        }
    }
    return store_tx_end(store, status);
}

/* Assignments */

static const char SQL_ASSIGNMENT_INSERT[] =
    "INSERT INTO assignments (kind, staff_id, participant_id, created_at) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_ASSIGNMENT_GET[] = "SELECT kind, staff_id, participant_id FROM assignments WHERE id = ?1";
static const char SQL_ASSIGNMENT_DELETE[] = "DELETE FROM assignments WHERE id = ?1";
static const char SQL_ASSIGNMENT_LIST[] =
    "SELECT a.id, a.kind, a.staff_id, s.name, a.participant_id, p.name FROM assignments a"
    " JOIN users s ON s.id = a.staff_id JOIN users p ON p.id = a.participant_id"
    " WHERE a.staff_id = ?1 OR a.participant_id = ?1 ORDER BY a.id";

static json_t *assignment_summary(enum role kind, int64_t staff_id, int64_t participant_id)
{
    return json_pack("{s:s, s:I, s:I}", "kind", role_name(kind), "staff_id", (json_int_t)staff_id, "participant_id",
                     (json_int_t)participant_id);
}

enum store_status store_assignment_create(struct store *store, const struct actor *actor, enum role kind,
                                          int64_t staff_id, int64_t participant_id, int64_t now, int64_t *id)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    if (!row_exists(store, SQL_EXISTS_USER, staff_id) || !row_exists(store, SQL_EXISTS_USER, participant_id)) {
        status = STORE_NOT_FOUND;
    } else {
        struct db_stmt *stmt = db_prepare(store->db, SQL_ASSIGNMENT_INSERT);
        if (stmt != NULL) {
            db_bind_text(stmt, 1, role_name(kind));
            db_bind_int64(stmt, 2, staff_id);
            db_bind_int64(stmt, 3, participant_id);
            db_bind_int64(stmt, 4, now);
            enum db_result r = db_exec_stmt(stmt);
            if (r == DB_CONSTRAINT)
                status = STORE_CONFLICT;
            else if (r == DB_DONE) {
                *id = db_last_insert_id(store->db);
                status = store_audit_json(store, actor, "assignment.create", "user", participant_id, NULL,
                                          assignment_summary(kind, staff_id, participant_id), now);
            }
        }
    }
    return store_tx_end(store, status);
}

enum store_status store_assignment_delete(struct store *store, const struct actor *actor, int64_t id, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_ASSIGNMENT_GET);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, id);
        enum db_result r = db_step(stmt);
        if (r == DB_DONE)
            status = STORE_NOT_FOUND;
        else if (r == DB_ROW) {
            enum role kind = ROLE_COACH;
            role_parse(db_column_text(stmt, 0), &kind);
            int64_t staff_id = db_column_int64(stmt, 1), participant_id = db_column_int64(stmt, 2);
            db_reset(stmt);
            stmt = db_prepare(store->db, SQL_ASSIGNMENT_DELETE);
            if (stmt != NULL) {
                db_bind_int64(stmt, 1, id);
                status = exec_changed(store, stmt);
                if (status == STORE_OK)
                    status = store_audit_json(store, actor, "assignment.delete", "user", participant_id,
                                              assignment_summary(kind, staff_id, participant_id), NULL, now);
            }
        }
    }
    return store_tx_end(store, status);
}

enum store_status store_assignment_list(struct store *store, int64_t user_id, struct arena *arena,
                                        struct assignment **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_ASSIGNMENT_LIST);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, user_id);
    size_t cap = 16;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        struct assignment *a = &(*out)[(*count)++];
        a->id = db_column_int64(stmt, 0);
        a->kind = ROLE_COACH;
        role_parse(db_column_text(stmt, 1), &a->kind);
        a->staff_id = db_column_int64(stmt, 2);
        a->staff_name = store_text_or_empty(arena, stmt, 3);
        a->participant_id = db_column_int64(stmt, 4);
        a->participant_name = store_text_or_empty(arena, stmt, 5);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

/* Relations for the policy */

static const char SQL_RELATION_USER[] =
    "SELECT u.id = ?1,"
    " EXISTS (SELECT 1 FROM assignments a WHERE a.kind = 'coach' AND a.staff_id = ?1 AND a.participant_id = u.id),"
    " EXISTS (SELECT 1 FROM assignments a WHERE a.kind = 'mentor' AND a.staff_id = ?1 AND a.participant_id = u.id),"
    " u.organisation_id IN (SELECT organisation_id FROM user_roles WHERE user_id = ?1 AND role = 'headteacher'),"
    " EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id AND ur.organisation_id IN"
    "   (SELECT organisation_id FROM user_roles WHERE user_id = ?1 AND role = 'partner_lead'))"
    " FROM users u WHERE u.id = ?2";
static const char SQL_RELATION_TOKEN[] = "SELECT user_id = ?1 FROM api_tokens WHERE id = ?2";
static const char SQL_RELATION_ASSIGNMENT[] = "SELECT ?1 IN (staff_id, participant_id) FROM assignments WHERE id = ?2";
static const char SQL_RELATION_TASK[] = "SELECT 0 * ?1 FROM assessment_tasks WHERE id = ?2";
static const char SQL_RELATION_CONTENT_ITEM[] = "SELECT 0 * ?1 FROM content_items WHERE id = ?2";

enum store_status store_relation(struct store *store, const struct caller *caller, enum resource resource, int64_t id,
                                 struct relation *out)
{
    memset(out, 0, sizeof(*out));
    const char *sql = NULL;
    switch (resource) {
    case RESOURCE_NONE: return STORE_OK;
    case RESOURCE_USER: sql = SQL_RELATION_USER; break;
    case RESOURCE_TOKEN: sql = SQL_RELATION_TOKEN; break;
    case RESOURCE_ASSIGNMENT: sql = SQL_RELATION_ASSIGNMENT; break;
    case RESOURCE_TASK: sql = SQL_RELATION_TASK; break;
    case RESOURCE_CONTENT_ITEM: sql = SQL_RELATION_CONTENT_ITEM; break;
    case RESOURCE_ORGANISATION: out->exists = row_exists(store, SQL_EXISTS_ORGANISATION, id); return STORE_OK;
    case RESOURCE_APPLICATION:
    case RESOURCE_ENROLMENT: return store_relation_record(store, caller, resource, id, out);
    case RESOURCE_VENUE:
    case RESOURCE_COHORT:
    case RESOURCE_EVENT:
    case RESOURCE_COACHING_SESSION:
    case RESOURCE_SUBMISSION:
    case RESOURCE_AWARD: return store_relation_delivery(store, caller, resource, id, out);
    case RESOURCE_FORUM:
    case RESOURCE_FORUM_THREAD:
    case RESOURCE_FORUM_POST:
    case RESOURCE_FORUM_REPORT: return store_relation_forum(store, caller, resource, id, out);
    case RESOURCE_COUNT: return STORE_OK;
    }
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
    out->is_self = db_column_int64(stmt, 0) != 0;
    if (resource == RESOURCE_USER) {
        out->coached = db_column_int64(stmt, 1) != 0;
        out->mentored = db_column_int64(stmt, 2) != 0;
        out->at_own_school = db_column_int64(stmt, 3) != 0;
        out->in_own_partner = db_column_int64(stmt, 4) != 0;
    }
    db_reset(stmt);
    return STORE_OK;
}

/* Organisations */

static const char SQL_ORGANISATION_INSERT[] =
    "INSERT INTO organisations (kind, name, urn, local_authority, region, phase, regions_served, trust_id,"
    " created_at, updated_at, dfe_delivery_partner_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10)";
static const char SQL_ORGANISATION_UPDATE[] =
    "UPDATE organisations SET name = ?2, urn = ?3, local_authority = ?4, region = ?5, phase = ?6,"
    " regions_served = ?7, trust_id = ?8, updated_at = ?9, dfe_delivery_partner_id = ?10 WHERE id = ?1";
static const char SQL_ORGANISATION_GET[] =
    "SELECT id, kind, name, urn, local_authority, region, phase, regions_served, coalesce(trust_id, 0),"
    " created_at, updated_at, dfe_delivery_partner_id FROM organisations WHERE id = ?1";
static const char SQL_ORGANISATION_LIST[] =
    "SELECT id, kind, name, urn, local_authority, region, phase, regions_served, coalesce(trust_id, 0),"
    " created_at, updated_at, dfe_delivery_partner_id, lower(name) FROM organisations"
    " WHERE (?1 = '' OR kind = ?1) AND (?2 IS NULL OR lower(name) LIKE '%' || lower(?2) || '%' OR urn = ?2)"
    " AND lower(name) >= ?3 AND (lower(name), id) > (?3, ?4) ORDER BY lower(name), id LIMIT ?5";

static json_t *organisation_summary(const struct organisation *o)
{
    json_t *j = json_pack("{s:s, s:s}", "kind", organisation_kind_name(o->kind), "name", o->name);
    const struct {
        const char *key, *value;
    } fields[] = {{"urn", o->urn},
                  {"local_authority", o->local_authority},
                  {"region", o->region},
                  {"phase", o->phase},
                  {"regions_served", o->regions_served},
                  {"dfe_delivery_partner_id", o->dfe_delivery_partner_id}};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        if (fields[i].value && *fields[i].value)
            json_object_set_new(j, fields[i].key, json_string(fields[i].value));
    if (o->trust_id)
        json_object_set_new(j, "trust_id", json_integer(o->trust_id));
    return j;
}

static void bind_organisation(struct db_stmt *stmt, const struct organisation *o)
{
    db_bind_text(stmt, 2, o->name);
    db_bind_text(stmt, 3, o->urn && *o->urn ? o->urn : NULL);
    db_bind_text(stmt, 4, o->local_authority ? o->local_authority : "");
    db_bind_text(stmt, 5, o->region ? o->region : "");
    db_bind_text(stmt, 6, o->phase ? o->phase : "");
    db_bind_text(stmt, 7, o->regions_served ? o->regions_served : "");
    if (o->trust_id > 0)
        db_bind_int64(stmt, 8, o->trust_id);
    db_bind_text(stmt, 10,
                 o->dfe_delivery_partner_id && *o->dfe_delivery_partner_id ? o->dfe_delivery_partner_id : NULL);
}

static void read_organisation(struct db_stmt *stmt, struct arena *arena, struct organisation *o)
{
    memset(o, 0, sizeof(*o));
    o->id = db_column_int64(stmt, 0);
    organisation_kind_parse(db_column_text(stmt, 1), &o->kind);
    o->name = store_text_or_empty(arena, stmt, 2);
    o->urn = store_text(arena, stmt, 3);
    o->local_authority = store_text_or_empty(arena, stmt, 4);
    o->region = store_text_or_empty(arena, stmt, 5);
    o->phase = store_text_or_empty(arena, stmt, 6);
    o->regions_served = store_text_or_empty(arena, stmt, 7);
    o->trust_id = db_column_int64(stmt, 8);
    o->created_at = db_column_int64(stmt, 9);
    o->updated_at = db_column_int64(stmt, 10);
    o->dfe_delivery_partner_id = store_text(arena, stmt, 11);
}

enum store_status store_organisation_create(struct store *store, const struct actor *actor, struct organisation *o,
                                            int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_ORGANISATION_INSERT);
    if (stmt != NULL) {
        db_bind_text(stmt, 1, organisation_kind_name(o->kind));
        bind_organisation(stmt, o);
        db_bind_int64(stmt, 9, now);
        enum db_result r = db_exec_stmt(stmt);
        if (r == DB_CONSTRAINT)
            status = STORE_CONFLICT;
        else if (r == DB_DONE) {
            o->id = db_last_insert_id(store->db);
            status = store_audit_json(store, actor, "organisation.create", "organisation", o->id, NULL,
                                      organisation_summary(o), now);
        }
    }
    return store_tx_end(store, status);
}

enum store_status store_organisation_get(struct store *store, int64_t id, struct arena *arena, struct organisation *out)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_ORGANISATION_GET);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_NOT_FOUND;
    if (r != DB_ROW)
        return STORE_ERROR;
    read_organisation(stmt, arena, out);
    db_reset(stmt);
    return STORE_OK;
}

enum store_status store_organisation_update(struct store *store, const struct actor *actor,
                                            const struct organisation *o, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    struct arena arena = ARENA_INIT;
    struct organisation before;
    enum store_status status = store_organisation_get(store, o->id, &arena, &before);
    if (status == STORE_OK) {
        struct db_stmt *stmt = db_prepare(store->db, SQL_ORGANISATION_UPDATE);
        status = STORE_ERROR;
        if (stmt != NULL) {
            db_bind_int64(stmt, 1, o->id);
            bind_organisation(stmt, o);
            db_bind_int64(stmt, 9, now);
            status = exec_changed(store, stmt);
        }
        struct organisation after = *o;
        after.kind = before.kind;
        if (status == STORE_OK)
            status = store_audit_json(store, actor, "organisation.update", "organisation", o->id,
                                      organisation_summary(&before), organisation_summary(&after), now);
    }
    arena_release(&arena);
    return store_tx_end(store, status);
}

enum store_status store_organisation_list(struct store *store, int kind, const char *query, struct store_page *page,
                                          struct arena *arena, struct organisation **out, size_t *count)
{
    struct store_page first = {.limit = 1000};
    if (page == NULL)
        page = &first;
    struct db_stmt *stmt = db_prepare(store->db, SQL_ORGANISATION_LIST);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_text(stmt, 1, kind >= 0 ? organisation_kind_name((enum organisation_kind)kind) : "");
    db_bind_text(stmt, 2, query && *query ? query : NULL);
    store_page_bind(stmt, 3, CURSOR_TEXT, STORE_ASCENDING, page);
    *out = arena_alloc(arena, sizeof(**out) * store_page_limit(page));
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW && store_page_row(page, stmt, *count, CURSOR_TEXT, 12, 0, arena))
        read_organisation(stmt, arena, &(*out)[(*count)++]);
    return r == DB_DONE || r == DB_ROW ? STORE_OK : STORE_ERROR;
}
