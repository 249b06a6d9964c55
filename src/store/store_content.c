/*
 * The content library in the database: items and their versions, tags, partners' local variants,
 * the units of a module's course, participants' completions and their learning records.
 *
 * A version number is never read and then written: "UPDATE content_items SET version = version + 1
 * ... RETURNING version" decides it, and a variant's upsert moves its own counter the same way, so
 * two editors at once make two versions on any engine. A completion and its learning record are
 * written in one transaction.
 */
#include "store/store_internal.h"

#include <jansson.h>
#include <string.h>

#define VERSION_COLUMNS                                                                                                \
    "v.version, v.title, v.body, v.media_url, v.captions_url, v.transcript, v.minutes, v.change_note,"                 \
    " coalesce(u.name, ''), v.created_at"

static const char SQL_ITEM_INSERT[] =
    "INSERT INTO content_items (kind, version, created_by, created_at, updated_at) VALUES (?1, 1, ?2, ?3, ?3)";
static const char SQL_ITEM_BUMP[] = "UPDATE content_items SET version = version + 1, kind = ?2, updated_at = ?3"
                                    " WHERE id = ?1 RETURNING version";
static const char SQL_VERSION_INSERT[] =
    "INSERT INTO content_versions (item_id, version, title, body, media_url, captions_url, transcript, minutes,"
    " change_note, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
static const char SQL_TAGS_DELETE[] = "DELETE FROM content_tags WHERE item_id = ?1";
static const char SQL_TAG_INSERT[] =
    "INSERT INTO content_tags (item_id, tag) VALUES (?1, ?2) ON CONFLICT (item_id, tag) DO NOTHING";
static const char SQL_ITEM_GET[] = "SELECT i.id, i.kind, i.created_at, i.updated_at, " VERSION_COLUMNS
                                   " FROM content_items i JOIN content_versions v ON v.item_id = i.id"
                                   " AND v.version = i.version LEFT JOIN users u ON u.id = v.created_by"
                                   " WHERE i.id = ?1";
static const char SQL_TAGS[] = "SELECT tag FROM content_tags WHERE item_id = ?1 ORDER BY tag";
static const char SQL_VERSIONS[] = "SELECT " VERSION_COLUMNS " FROM content_versions v LEFT JOIN users u"
                                   " ON u.id = v.created_by WHERE v.item_id = ?1 ORDER BY v.version DESC";
static const char SQL_ITEM_LIST[] =
    "SELECT i.id, i.kind, i.created_at, i.updated_at, " VERSION_COLUMNS
    " FROM content_items i JOIN content_versions v ON v.item_id = i.id AND v.version = i.version"
    " LEFT JOIN users u ON u.id = v.created_by"
    " WHERE (?1 IS NULL OR EXISTS (SELECT 1 FROM content_tags t WHERE t.item_id = i.id AND t.tag = ?1))"
    " AND (?2 IS NULL OR lower(v.title) LIKE '%' || lower(?2) || '%')"
    " AND (i.updated_at, i.id) < (?3, ?4) ORDER BY i.updated_at DESC, i.id DESC LIMIT ?5";

#define VARIANT_COLUMNS                                                                                                \
    "cv.item_id, cv.partner_id, o.name, cv.version, cv.title, cv.body, cv.change_note, cv.updated_at"
static const char SQL_VARIANT_GET[] = "SELECT " VARIANT_COLUMNS " FROM content_variants cv JOIN organisations o"
                                      " ON o.id = cv.partner_id WHERE cv.item_id = ?1 AND cv.partner_id = ?2";
static const char SQL_VARIANTS[] = "SELECT " VARIANT_COLUMNS " FROM content_variants cv JOIN organisations o"
                                   " ON o.id = cv.partner_id WHERE cv.item_id = ?1 AND (?2 = 0 OR cv.partner_id = ?2)"
                                   " ORDER BY o.name, cv.partner_id";
static const char SQL_VARIANT_SAVE[] =
    "INSERT INTO content_variants (item_id, partner_id, version, title, body, change_note, updated_by, created_at,"
    " updated_at) SELECT ?1, o.id, 1, ?3, ?4, ?5, ?6, ?7, ?7 FROM organisations o"
    " WHERE o.id = ?2 AND o.kind = 'delivery_partner' AND EXISTS (SELECT 1 FROM content_items WHERE id = ?1)"
    " ON CONFLICT (item_id, partner_id) DO UPDATE SET version = content_variants.version + 1,"
    " title = excluded.title,"
    " body = excluded.body, change_note = excluded.change_note, updated_by = excluded.updated_by,"
    " updated_at = excluded.updated_at RETURNING version";
static const char SQL_IS_PARTNER[] = "SELECT count(*) FROM organisations WHERE id = ?1 AND kind = 'delivery_partner'";
static const char SQL_PERSON_PARTNER[] =
    "SELECT p FROM (SELECT r.organisation_id AS p, 0 AS o, r.id AS k FROM user_roles r JOIN organisations g"
    " ON g.id = r.organisation_id AND g.kind = 'delivery_partner' WHERE r.user_id = ?1"
    " UNION ALL SELECT c.delivery_partner_id, 1, e.id FROM enrolments e JOIN cohorts c ON c.id = e.cohort_id"
    " WHERE e.participant_id = ?1 AND c.delivery_partner_id IS NOT NULL) AS found ORDER BY o, k DESC LIMIT 1";

static const char SQL_UNIT_INSERT[] =
    "INSERT INTO content_units (module, position, title, created_at) SELECT ?1, coalesce(max(position), 0) + 1, ?2, ?3"
    " FROM content_units WHERE module = ?1";
static const char SQL_UNIT_ITEM_INSERT[] =
    "INSERT INTO content_unit_items (unit_id, item_id, position) VALUES (?1, ?2, ?3)";
static const char SQL_ITEM_EXISTS[] = "SELECT count(*) FROM content_items WHERE id = ?1";
/* One module's units (?1) with their items as partner ?2's participants see them; asked once per
 * module, in the course's order, in SQL both engines read alike. */
static const char SQL_COURSE[] =
    "SELECT u.id, u.module, u.position, u.title, i.id, i.kind, coalesce(cv.title, v.title), v.minutes, i.version,"
    " coalesce(cv.version, 0) FROM content_units u"
    " LEFT JOIN content_unit_items ui ON ui.unit_id = u.id LEFT JOIN content_items i ON i.id = ui.item_id"
    " LEFT JOIN content_versions v ON v.item_id = i.id AND v.version = i.version"
    " LEFT JOIN content_variants cv ON cv.item_id = i.id AND cv.partner_id = ?2"
    " WHERE u.module = ?1 ORDER BY u.position, ui.position";
static const char SQL_COMPLETIONS[] = "SELECT item_id, item_version, variant_version, completed_at"
                                      " FROM content_completions WHERE enrolment_id = ?1";
static const char SQL_COMPLETE[] =
    "INSERT INTO content_completions (enrolment_id, item_id, item_version, variant_version, completed_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (enrolment_id, item_id) DO UPDATE SET"
    " item_version = excluded.item_version, variant_version = excluded.variant_version,"
    " completed_at = excluded.completed_at";
static const char SQL_RECORD_INSERT[] =
    "INSERT INTO learning_records (actor_id, verb, object_id, object_version, enrolment_id, module, timestamp,"
    " result_completion, result_duration_seconds) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_RECORDS[] =
    "SELECT r.id, r.actor_id, u.email, u.name, r.verb, r.object_id, r.object_version, coalesce(v.title, ''),"
    " coalesce(r.enrolment_id, 0), r.module, r.timestamp, coalesce(r.result_completion, -1),"
    " coalesce(r.result_duration_seconds, -1) FROM learning_records r JOIN users u ON u.id = r.actor_id"
    " LEFT JOIN content_versions v ON v.item_id = r.object_id AND v.version = r.object_version"
    " WHERE r.enrolment_id = ?1 AND r.id > ?2 ORDER BY r.id LIMIT ?3";

static const char *const verb_iris[] = {
    [LEARNING_EXPERIENCED] = "http://adlnet.gov/expapi/verbs/experienced",
    [LEARNING_COMPLETED] = "http://adlnet.gov/expapi/verbs/completed",
};

const char *learning_verb_iri(enum learning_verb verb)
{
    return (unsigned)verb <= LEARNING_COMPLETED ? verb_iris[verb] : "";
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* Reads the version columns starting at column first. */
static void read_version(struct db_stmt *stmt, int first, struct arena *arena, struct content_version *v)
{
    v->version = (int)db_column_int64(stmt, first);
    v->title = store_text_or_empty(arena, stmt, first + 1);
    v->body = store_text_or_empty(arena, stmt, first + 2);
    v->media_url = store_text_or_empty(arena, stmt, first + 3);
    v->captions_url = store_text_or_empty(arena, stmt, first + 4);
    v->transcript = store_text_or_empty(arena, stmt, first + 5);
    v->minutes = (int)db_column_int64(stmt, first + 6);
    v->change_note = store_text_or_empty(arena, stmt, first + 7);
    v->author_name = store_text_or_empty(arena, stmt, first + 8);
    v->created_at = db_column_int64(stmt, first + 9);
}

static void read_item(struct db_stmt *stmt, struct arena *arena, struct content_item *out)
{
    memset(out, 0, sizeof(*out));
    out->id = db_column_int64(stmt, 0);
    content_kind_parse(db_column_text(stmt, 1), &out->kind);
    out->created_at = db_column_int64(stmt, 2);
    out->updated_at = db_column_int64(stmt, 3);
    read_version(stmt, 4, arena, &out->current);
}

static enum store_status insert_version(struct store *store, const struct actor *actor, int64_t id, int version,
                                        const struct content_input *in, int64_t now)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_VERSION_INSERT);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    db_bind_int64(stmt, 2, version);
    db_bind_text(stmt, 3, in->title);
    db_bind_text(stmt, 4, or_empty(in->body));
    db_bind_text(stmt, 5, or_empty(in->media_url));
    db_bind_text(stmt, 6, or_empty(in->captions_url));
    db_bind_text(stmt, 7, or_empty(in->transcript));
    db_bind_int64(stmt, 8, in->minutes);
    db_bind_text(stmt, 9, or_empty(in->change_note));
    store_bind_id(stmt, 10, actor ? actor->user_id : 0);
    db_bind_int64(stmt, 11, now);
    enum db_result r = db_exec_stmt(stmt);
    return r == DB_DONE ? STORE_OK : r == DB_CONSTRAINT ? STORE_CONFLICT : STORE_ERROR;
}

static enum store_status replace_tags(struct store *store, int64_t id, const char *const *tags, size_t count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_TAGS_DELETE);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    if (db_exec_stmt(stmt) != DB_DONE)
        return STORE_ERROR;
    for (size_t i = 0; i < count; i++) {
        if ((stmt = db_prepare(store->db, SQL_TAG_INSERT)) == NULL)
            return STORE_ERROR;
        db_bind_int64(stmt, 1, id);
        db_bind_text(stmt, 2, tags[i]);
        if (db_exec_stmt(stmt) != DB_DONE)
            return STORE_ERROR;
    }
    return STORE_OK;
}

/* What the audit log keeps of a version: its title, kind, time and note, not its text. */
static json_t *version_summary(const struct content_input *in, int version)
{
    return json_pack("{s:s, s:s, s:i, s:i, s:s}", "title", or_empty(in->title), "kind", content_kind_name(in->kind),
                     "version", version, "minutes", in->minutes, "change_note", or_empty(in->change_note));
}

enum store_status store_content_create(struct store *store, const struct actor *actor, const struct content_input *in,
                                       const char *const *tags, size_t tag_count, int64_t now, int64_t *id)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_ITEM_INSERT);
    if (stmt != NULL) {
        db_bind_text(stmt, 1, content_kind_name(in->kind));
        store_bind_id(stmt, 2, actor ? actor->user_id : 0);
        db_bind_int64(stmt, 3, now);
        enum db_result r = db_exec_stmt(stmt);
        if (r == DB_DONE) {
            *id = db_last_insert_id(store->db);
            status = insert_version(store, actor, *id, 1, in, now);
        } else if (r == DB_CONSTRAINT)
            status = STORE_CONFLICT;
    }
    if (status == STORE_OK)
        status = replace_tags(store, *id, tags, tag_count);
    if (status == STORE_OK)
        status =
            store_audit_json(store, actor, "content.create", "content_item", *id, NULL, version_summary(in, 1), now);
    return store_tx_end(store, status);
}

enum store_status store_content_revise(struct store *store, const struct actor *actor, int64_t id,
                                       const struct content_input *in, const char *const *tags, size_t tag_count,
                                       int64_t now, int *version)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_ITEM_BUMP);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, id);
        db_bind_text(stmt, 2, content_kind_name(in->kind));
        db_bind_int64(stmt, 3, now);
        enum db_result r = db_step(stmt);
        if (r == DB_ROW) {
            *version = (int)db_column_int64(stmt, 0);
            db_reset(stmt);
            status = insert_version(store, actor, id, *version, in, now);
        } else if (r == DB_DONE)
            status = STORE_NOT_FOUND;
    }
    if (status == STORE_OK && tags != NULL)
        status = replace_tags(store, id, tags, tag_count);
    if (status == STORE_OK)
        status = store_audit_json(store, actor, "content.revise", "content_item", id, NULL,
                                  version_summary(in, *version), now);
    return store_tx_end(store, status);
}

static enum store_status read_tags(struct store *store, struct arena *arena, struct content_item *item)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_TAGS);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, item->id);
    size_t cap = 8;
    item->tags = arena_alloc(arena, sizeof(*item->tags) * cap);
    item->tag_count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (item->tag_count == cap)
            item->tags = arena_grow(arena, item->tags, &cap, sizeof(*item->tags));
        item->tags[item->tag_count++] = store_text_or_empty(arena, stmt, 0);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_content_get(struct store *store, int64_t id, struct arena *arena, struct content_item *out)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_ITEM_GET);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_NOT_FOUND;
    if (r != DB_ROW)
        return STORE_ERROR;
    read_item(stmt, arena, out);
    db_reset(stmt);
    return read_tags(store, arena, out);
}

enum store_status store_content_versions(struct store *store, int64_t id, struct arena *arena,
                                         struct content_version **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_VERSIONS);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    size_t cap = 8;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        read_version(stmt, 0, arena, &(*out)[(*count)++]);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_content_list(struct store *store, const char *tag, const char *query, struct store_page *page,
                                     struct arena *arena, struct content_item **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_ITEM_LIST);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_text(stmt, 1, tag && *tag ? tag : NULL);
    db_bind_text(stmt, 2, query && *query ? query : NULL);
    store_page_bind(stmt, 3, CURSOR_NUMBER, STORE_DESCENDING, page);
    *out = arena_alloc(arena, sizeof(**out) * store_page_limit(page));
    *count = 0;
    enum db_result r;
    /* Columns 3 and 0 are updated_at and id. */
    while ((r = db_step(stmt)) == DB_ROW && store_page_row(page, stmt, *count, CURSOR_NUMBER, 3, 0, arena))
        read_item(stmt, arena, &(*out)[(*count)++]);
    return r == DB_DONE || r == DB_ROW ? STORE_OK : STORE_ERROR;
}

static void read_variant(struct db_stmt *stmt, struct arena *arena, struct content_variant *v)
{
    v->item_id = db_column_int64(stmt, 0);
    v->partner_id = db_column_int64(stmt, 1);
    v->partner_name = store_text_or_empty(arena, stmt, 2);
    v->version = (int)db_column_int64(stmt, 3);
    v->title = store_text_or_empty(arena, stmt, 4);
    v->body = store_text_or_empty(arena, stmt, 5);
    v->change_note = store_text_or_empty(arena, stmt, 6);
    v->updated_at = db_column_int64(stmt, 7);
}

enum store_status store_content_variant_get(struct store *store, int64_t item_id, int64_t partner_id,
                                            struct arena *arena, struct content_variant *out)
{
    memset(out, 0, sizeof(*out));
    struct db_stmt *stmt = db_prepare(store->db, SQL_VARIANT_GET);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, item_id);
    db_bind_int64(stmt, 2, partner_id);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_NOT_FOUND;
    if (r != DB_ROW)
        return STORE_ERROR;
    read_variant(stmt, arena, out);
    db_reset(stmt);
    return STORE_OK;
}

enum store_status store_content_variants(struct store *store, int64_t item_id, int64_t partner_id, struct arena *arena,
                                         struct content_variant **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_VARIANTS);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, item_id);
    db_bind_int64(stmt, 2, partner_id);
    size_t cap = 8;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        read_variant(stmt, arena, &(*out)[(*count)++]);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_content_variant_save(struct store *store, const struct actor *actor, int64_t item_id,
                                             int64_t partner_id, const char *title, const char *body,
                                             const char *change_note, int64_t now, int *version)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_VARIANT_SAVE);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, item_id);
        db_bind_int64(stmt, 2, partner_id);
        db_bind_text(stmt, 3, title);
        db_bind_text(stmt, 4, body);
        db_bind_text(stmt, 5, or_empty(change_note));
        store_bind_id(stmt, 6, actor ? actor->user_id : 0);
        db_bind_int64(stmt, 7, now);
        enum db_result r = db_step(stmt);
        if (r == DB_ROW) {
            *version = (int)db_column_int64(stmt, 0);
            db_reset(stmt);
            status = STORE_OK;
        } else if (r == DB_DONE)
            status = STORE_NOT_FOUND; /* no such item, or not a delivery partner */
        else if (r == DB_CONSTRAINT)
            status = STORE_CONFLICT;
    }
    if (status == STORE_OK)
        status = store_audit_json(store, actor, "content.variant", "content_item", item_id, NULL,
                                  json_pack("{s:I, s:i, s:s, s:s}", "partner_id", (json_int_t)partner_id, "version",
                                            *version, "title", title, "change_note", or_empty(change_note)),
                                  now);
    return store_tx_end(store, status);
}

static enum store_status count_of(struct store *store, const char *sql, int64_t id, int64_t *n)
{
    struct db_stmt *stmt = db_prepare(store->db, sql);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    if (db_step(stmt) != DB_ROW)
        return STORE_ERROR;
    *n = db_column_int64(stmt, 0);
    db_reset(stmt);
    return STORE_OK;
}

enum store_status store_content_person_partner(struct store *store, int64_t user_id, int64_t *partner_id)
{
    *partner_id = 0;
    struct db_stmt *stmt = db_prepare(store->db, SQL_PERSON_PARTNER);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, user_id);
    enum db_result r = db_step(stmt);
    if (r == DB_ROW) {
        *partner_id = db_column_int64(stmt, 0);
        db_reset(stmt);
        return STORE_OK;
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_content_is_partner(struct store *store, int64_t id, bool *is_partner)
{
    int64_t n = 0;
    enum store_status s = count_of(store, SQL_IS_PARTNER, id, &n);
    *is_partner = n > 0;
    return s;
}

enum store_status store_content_unit_create(struct store *store, const struct actor *actor, const char *module,
                                            const char *title, const int64_t *items, size_t item_count, int64_t now,
                                            int64_t *id)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_UNIT_INSERT);
    if (stmt != NULL) {
        db_bind_text(stmt, 1, module);
        db_bind_text(stmt, 2, title);
        db_bind_int64(stmt, 3, now);
        enum db_result r = db_exec_stmt(stmt);
        if (r == DB_DONE) {
            *id = db_last_insert_id(store->db);
            status = STORE_OK;
        } else if (r == DB_CONSTRAINT)
            status = STORE_CONFLICT;
    }
    for (size_t i = 0; status == STORE_OK && i < item_count; i++) {
        int64_t n = 0;
        status = count_of(store, SQL_ITEM_EXISTS, items[i], &n);
        if (status == STORE_OK && n == 0)
            status = STORE_NOT_FOUND;
        if (status != STORE_OK || (stmt = db_prepare(store->db, SQL_UNIT_ITEM_INSERT)) == NULL) {
            status = status == STORE_OK ? STORE_ERROR : status;
            break;
        }
        db_bind_int64(stmt, 1, *id);
        db_bind_int64(stmt, 2, items[i]);
        db_bind_int64(stmt, 3, (int64_t)i + 1);
        enum db_result r = db_exec_stmt(stmt);
        status = r == DB_DONE ? STORE_OK : r == DB_CONSTRAINT ? STORE_CONFLICT : STORE_ERROR;
    }
    if (status == STORE_OK)
        status = store_audit_json(
            store, actor, "content.unit", "content_unit", *id, NULL,
            json_pack("{s:s, s:s, s:I}", "module", module, "title", title, "items", (json_int_t)item_count), now);
    return store_tx_end(store, status);
}

enum store_status store_course_units(struct store *store, const char *const *modules, size_t module_count,
                                     int64_t partner_id, struct arena *arena, struct course_unit **out, size_t *count)
{
    size_t cap = 16;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    for (size_t m = 0; m < module_count; m++) {
        struct db_stmt *stmt = db_prepare(store->db, SQL_COURSE);
        if (stmt == NULL)
            return STORE_ERROR;
        db_bind_text(stmt, 1, modules[m]);
        db_bind_int64(stmt, 2, partner_id);
        size_t item_cap = 0;
        struct course_unit *u = NULL;
        enum db_result r;
        while ((r = db_step(stmt)) == DB_ROW) {
            int64_t unit_id = db_column_int64(stmt, 0);
            if (u == NULL || u->id != unit_id) {
                if (*count == cap)
                    *out = arena_grow(arena, *out, &cap, sizeof(**out));
                u = &(*out)[(*count)++];
                memset(u, 0, sizeof(*u));
                u->id = unit_id;
                u->module = modules[m]; /* the catalogue's spelling, as given, rather than the unit's */
                u->position = (int)db_column_int64(stmt, 2);
                u->title = store_text_or_empty(arena, stmt, 3);
                item_cap = 0;
            }
            if (db_column_is_null(stmt, 4))
                continue; /* a unit with no items yet */
            if (u->item_count == item_cap) {
                if (item_cap == 0) {
                    item_cap = 8;
                    u->items = arena_alloc(arena, sizeof(*u->items) * item_cap);
                } else
                    u->items = arena_grow(arena, u->items, &item_cap, sizeof(*u->items));
            }
            struct course_item *it = &u->items[u->item_count++];
            it->item_id = db_column_int64(stmt, 4);
            content_kind_parse(db_column_text(stmt, 5), &it->kind);
            it->title = store_text_or_empty(arena, stmt, 6);
            it->minutes = (int)db_column_int64(stmt, 7);
            it->version = (int)db_column_int64(stmt, 8);
            it->variant_version = (int)db_column_int64(stmt, 9);
        }
        if (r != DB_DONE)
            return STORE_ERROR;
    }
    return STORE_OK;
}

enum store_status store_content_completions(struct store *store, int64_t enrolment_id, struct arena *arena,
                                            struct content_completion **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_COMPLETIONS);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, enrolment_id);
    size_t cap = 16;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        struct content_completion *c = &(*out)[(*count)++];
        c->item_id = db_column_int64(stmt, 0);
        c->item_version = (int)db_column_int64(stmt, 1);
        c->variant_version = (int)db_column_int64(stmt, 2);
        c->completed_at = db_column_int64(stmt, 3);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_learning_record_add(struct store *store, struct learning_record *rec)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_RECORD_INSERT);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, rec->actor_id);
        db_bind_text(stmt, 2, learning_verb_iri(rec->verb));
        db_bind_int64(stmt, 3, rec->object_id);
        db_bind_int64(stmt, 4, rec->object_version);
        store_bind_id(stmt, 5, rec->enrolment_id);
        db_bind_text(stmt, 6, rec->module);
        db_bind_int64(stmt, 7, rec->timestamp);
        if (rec->result_completion >= 0)
            db_bind_int64(stmt, 8, rec->result_completion);
        else
            db_bind_null(stmt, 8);
        if (rec->result_duration_seconds >= 0)
            db_bind_int64(stmt, 9, rec->result_duration_seconds);
        else
            db_bind_null(stmt, 9);
        enum db_result r = db_exec_stmt(stmt);
        if (r == DB_DONE) {
            rec->id = db_last_insert_id(store->db);
            status = STORE_OK;
        } else if (r == DB_CONSTRAINT)
            status = STORE_NOT_FOUND;
    }
    return store_tx_end(store, status);
}

enum store_status store_content_complete(struct store *store, const struct actor *actor, int64_t enrolment_id,
                                         const struct content_completion *c, struct learning_record *record)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_COMPLETE);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, enrolment_id);
        db_bind_int64(stmt, 2, c->item_id);
        db_bind_int64(stmt, 3, c->item_version);
        db_bind_int64(stmt, 4, c->variant_version);
        db_bind_int64(stmt, 5, c->completed_at);
        enum db_result r = db_exec_stmt(stmt);
        status = r == DB_DONE ? STORE_OK : r == DB_CONSTRAINT ? STORE_NOT_FOUND : STORE_ERROR;
    }
    if (status == STORE_OK)
        status = store_learning_record_add(store, record);
    (void)actor; /* completions are learning records, not changes for the audit log */
    return store_tx_end(store, status);
}

enum store_status store_learning_records(struct store *store, int64_t enrolment_id, struct store_page *page,
                                         struct arena *arena, struct learning_record **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_RECORDS);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, enrolment_id);
    store_page_bind(stmt, 2, CURSOR_ID, STORE_ASCENDING, page);
    *out = arena_alloc(arena, sizeof(**out) * store_page_limit(page));
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW && store_page_row(page, stmt, *count, CURSOR_ID, 0, 0, arena)) {
        struct learning_record *rec = &(*out)[(*count)++];
        rec->id = db_column_int64(stmt, 0);
        rec->actor_id = db_column_int64(stmt, 1);
        rec->actor_email = store_text_or_empty(arena, stmt, 2);
        rec->actor_name = store_text_or_empty(arena, stmt, 3);
        const char *verb = db_column_text(stmt, 4);
        rec->verb =
            verb && strcmp(verb, verb_iris[LEARNING_COMPLETED]) == 0 ? LEARNING_COMPLETED : LEARNING_EXPERIENCED;
        rec->object_id = db_column_int64(stmt, 5);
        rec->object_version = (int)db_column_int64(stmt, 6);
        rec->object_title = store_text_or_empty(arena, stmt, 7);
        rec->enrolment_id = db_column_int64(stmt, 8);
        rec->module = store_text(arena, stmt, 9);
        rec->timestamp = db_column_int64(stmt, 10);
        rec->result_completion = (int)db_column_int64(stmt, 11);
        rec->result_duration_seconds = (int)db_column_int64(stmt, 12);
    }
    return r == DB_DONE || r == DB_ROW ? STORE_OK : STORE_ERROR;
}
