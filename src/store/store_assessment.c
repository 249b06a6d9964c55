/*
 * Assessment in the database: tasks and their criteria, submissions (a draft, files, then
 * versions that a trigger keeps from ever changing), coaches' feedback, marks and released
 * results. Apart from the enrolment queries because a submission's life is its own state machine:
 * every change of state here is compare-and-set on the state it leaves, so two people acting at
 * once cannot both move it, and every write is audited in the same transaction. The audit log
 * keeps hashes, counts and lengths of a participant's work, never the work itself.
 *
 * Submitting holds its rules in its writes: the state's compare-and-set lets one of two
 * submitters through; the version is written only if its number is one more than the highest
 * (and the unique (submission_id, number) refuses a duplicate), so numbers run 1..n without gaps;
 * and it raises the task's versions_submitted, on the row that replacing the criteria updates
 * only while that count is 0, so a submission and a replacement at once cannot both win.
 */
#include "store/store_internal.h"

#include <jansson.h>
#include <string.h>

/* Tasks */

#define TASK_COLUMNS                                                                                                   \
    "t.id, t.kind, t.target, t.title, t.brief, t.deadline, t.word_limit, t.max_resubmissions,"                         \
    " t.moderation_percent, t.created_at, t.updated_at, t.versions_submitted, t.max_file_bytes"

static const char SQL_TASK_INSERT[] =
    "INSERT INTO assessment_tasks (kind, target, title, brief, deadline, word_limit, max_resubmissions,"
    " moderation_percent, created_at, updated_at, max_file_bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10)";
/* ?9 = 1 when the criteria are being replaced: only while nothing was submitted against them. */
static const char SQL_TASK_UPDATE[] =
    "UPDATE assessment_tasks SET title = ?2, brief = ?3, deadline = ?4, word_limit = ?5, max_resubmissions = ?6,"
    " moderation_percent = ?7, updated_at = ?8, max_file_bytes = ?10 WHERE id = ?1 AND (?9 = 0 OR versions_submitted = "
    "0)";
static const char SQL_TASK_COUNT_VERSION[] = "UPDATE assessment_tasks SET versions_submitted = versions_submitted + 1"
                                             " WHERE id = (SELECT task_id FROM submissions WHERE id = ?1)";
static const char SQL_TASK_GET[] = "SELECT " TASK_COLUMNS " FROM assessment_tasks t WHERE t.id = ?1";
static const char SQL_TASK_LIST[] = "SELECT " TASK_COLUMNS " FROM assessment_tasks t"
                                    " WHERE ?1 IS NULL OR t.target = ?1 ORDER BY t.deadline, t.id LIMIT 1000";
static const char SQL_CRITERION_INSERT[] =
    "INSERT INTO assessment_criteria (task_id, position, title, descriptor) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_CRITERIA_DELETE[] = "DELETE FROM assessment_criteria WHERE task_id = ?1";
static const char SQL_CRITERIA[] =
    "SELECT title, descriptor FROM assessment_criteria WHERE task_id = ?1 ORDER BY position";
/* The criteria of every task SQL_TASK_LIST reads, in one query rather than one per task. */
static const char SQL_TASK_LIST_CRITERIA[] =
    "SELECT task_id, title, descriptor FROM assessment_criteria WHERE task_id IN"
    " (SELECT t.id FROM assessment_tasks t WHERE ?1 IS NULL OR t.target = ?1 ORDER BY t.deadline, t.id LIMIT 1000)"
    " ORDER BY task_id, position";

static void read_task(struct db_stmt *stmt, struct arena *arena, struct assessment_task *t)
{
    memset(t, 0, sizeof(*t));
    t->id = db_column_int64(stmt, 0);
    task_kind_parse(db_column_text(stmt, 1), &t->kind);
    t->target = store_text_or_empty(arena, stmt, 2);
    t->title = store_text_or_empty(arena, stmt, 3);
    t->brief = store_text_or_empty(arena, stmt, 4);
    t->deadline = db_column_int64(stmt, 5);
    t->word_limit = (int)db_column_int64(stmt, 6);
    t->max_resubmissions = (int)db_column_int64(stmt, 7);
    t->moderation_percent = (int)db_column_int64(stmt, 8);
    t->created_at = db_column_int64(stmt, 9);
    t->updated_at = db_column_int64(stmt, 10);
    t->versions_submitted = db_column_int64(stmt, 11);
    t->max_file_bytes = db_column_int64(stmt, 12);
}

static enum store_status load_criteria(struct store *store, struct assessment_task *t, struct arena *arena)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_CRITERIA);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, t->id);
    size_t cap = 8;
    t->criteria = arena_alloc(arena, sizeof(*t->criteria) * cap);
    t->criteria_count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (t->criteria_count == cap)
            t->criteria = arena_grow(arena, t->criteria, &cap, sizeof(*t->criteria));
        t->criteria[t->criteria_count++] =
            (struct assessment_criterion){store_text_or_empty(arena, stmt, 0), store_text_or_empty(arena, stmt, 1)};
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

static enum store_status insert_criteria(struct store *store, const struct assessment_task *t)
{
    for (size_t i = 0; i < t->criteria_count; i++) {
        struct db_stmt *stmt = db_prepare(store->db, SQL_CRITERION_INSERT);
        if (stmt == NULL)
            return STORE_ERROR;
        db_bind_int64(stmt, 1, t->id);
        db_bind_int64(stmt, 2, (int64_t)i + 1);
        db_bind_text(stmt, 3, t->criteria[i].title);
        db_bind_text(stmt, 4, t->criteria[i].descriptor ? t->criteria[i].descriptor : "");
        if (db_exec_stmt(stmt) != DB_DONE)
            return STORE_ERROR;
    }
    return STORE_OK;
}

/* What the audit log keeps of a task. */
static json_t *task_summary(const struct assessment_task *t)
{
    return json_pack("{s:s, s:s, s:s, s:I, s:i, s:i, s:i, s:I, s:I}", "kind", task_kind_name(t->kind), "target",
                     t->target ? t->target : "", "title", t->title ? t->title : "", "deadline", (json_int_t)t->deadline,
                     "word_limit", t->word_limit, "max_resubmissions", t->max_resubmissions, "moderation_percent",
                     t->moderation_percent, "max_file_bytes", (json_int_t)t->max_file_bytes, "criteria",
                     (json_int_t)t->criteria_count);
}

enum store_status store_task_create(struct store *store, const struct actor *actor, struct assessment_task *t,
                                    int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_TASK_INSERT);
    if (stmt != NULL) {
        db_bind_text(stmt, 1, task_kind_name(t->kind));
        db_bind_text(stmt, 2, t->target);
        db_bind_text(stmt, 3, t->title);
        db_bind_text(stmt, 4, t->brief ? t->brief : "");
        db_bind_int64(stmt, 5, t->deadline);
        db_bind_int64(stmt, 6, t->word_limit);
        db_bind_int64(stmt, 7, t->max_resubmissions);
        db_bind_int64(stmt, 8, t->moderation_percent);
        db_bind_int64(stmt, 9, now);
        db_bind_int64(stmt, 10, t->max_file_bytes);
        if (db_exec_stmt(stmt) == DB_DONE) {
            t->id = db_last_insert_id(store->db);
            t->created_at = t->updated_at = now;
            status = insert_criteria(store, t);
        }
    }
    if (status == STORE_OK)
        status = store_audit_json(store, actor, "assessment_task.create", "assessment_task", t->id, NULL,
                                  task_summary(t), now);
    return store_tx_end(store, status);
}

enum store_status store_task_update(struct store *store, const struct actor *actor, const struct assessment_task *t,
                                    bool replace_criteria, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    struct arena arena = ARENA_INIT;
    struct assessment_task before;
    enum store_status status = store_task_get(store, t->id, &arena, &before);
    if (status == STORE_OK) {
        struct db_stmt *stmt = db_prepare(store->db, SQL_TASK_UPDATE);
        status = STORE_ERROR;
        if (stmt != NULL) {
            db_bind_int64(stmt, 1, t->id);
            db_bind_text(stmt, 2, t->title);
            db_bind_text(stmt, 3, t->brief ? t->brief : "");
            db_bind_int64(stmt, 4, t->deadline);
            db_bind_int64(stmt, 5, t->word_limit);
            db_bind_int64(stmt, 6, t->max_resubmissions);
            db_bind_int64(stmt, 7, t->moderation_percent);
            db_bind_int64(stmt, 8, now);
            db_bind_int64(stmt, 9, replace_criteria ? 1 : 0);
            db_bind_int64(stmt, 10, t->max_file_bytes);
            if (db_exec_stmt(stmt) == DB_DONE) /* unchanged: the task exists, so work was submitted */
                status = db_changes(store->db) > 0 ? STORE_OK : STORE_CONFLICT;
        }
    }
    if (status == STORE_OK && replace_criteria) {
        struct db_stmt *stmt = db_prepare(store->db, SQL_CRITERIA_DELETE);
        status = STORE_ERROR;
        if (stmt != NULL) {
            db_bind_int64(stmt, 1, t->id);
            if (db_exec_stmt(stmt) == DB_DONE)
                status = insert_criteria(store, t);
        }
    }
    if (status == STORE_OK) {
        struct assessment_task after = *t;
        after.kind = before.kind;
        after.target = before.target;
        if (!replace_criteria)
            after.criteria_count = before.criteria_count;
        status = store_audit_json(store, actor, "assessment_task.update", "assessment_task", t->id,
                                  task_summary(&before), task_summary(&after), now);
    }
    arena_release(&arena);
    return store_tx_end(store, status);
}

enum store_status store_task_get(struct store *store, int64_t id, struct arena *arena, struct assessment_task *out)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_TASK_GET);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_NOT_FOUND;
    if (r != DB_ROW)
        return STORE_ERROR;
    read_task(stmt, arena, out);
    db_reset(stmt);
    return load_criteria(store, out, arena);
}

enum store_status store_task_list(struct store *store, const char *target, struct arena *arena,
                                  struct assessment_task **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_TASK_LIST);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_text(stmt, 1, target);
    size_t cap = 16;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        read_task(stmt, arena, &(*out)[(*count)++]);
    }
    if (r != DB_DONE || (stmt = db_prepare(store->db, SQL_TASK_LIST_CRITERIA)) == NULL)
        return STORE_ERROR;
    db_bind_text(stmt, 1, target);
    size_t *caps = arena_alloc(arena, sizeof(*caps) * (*count ? *count : 1));
    size_t at = 0; /* the task of the last row: rows come by task */
    while ((r = db_step(stmt)) == DB_ROW) {
        int64_t task_id = db_column_int64(stmt, 0);
        if (at >= *count || (*out)[at].id != task_id)
            for (at = 0; at < *count && (*out)[at].id != task_id; at++)
                ;
        if (at == *count)
            continue; /* a task added between the two statements */
        struct assessment_task *t = &(*out)[at];
        if (t->criteria_count == caps[at]) {
            caps[at] = caps[at] ? caps[at] : 8;
            t->criteria = t->criteria_count ? arena_grow(arena, t->criteria, &caps[at], sizeof(*t->criteria))
                                            : arena_alloc(arena, sizeof(*t->criteria) * caps[at]);
        }
        t->criteria[t->criteria_count++] =
            (struct assessment_criterion){store_text_or_empty(arena, stmt, 1), store_text_or_empty(arena, stmt, 2)};
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

/* Submissions */

#define SUBMISSION_COLUMNS                                                                                             \
    "s.id, s.task_id, t.title, s.enrolment_id, s.participant_id, u.name, u.email, s.activity, s.draft_text,"           \
    " s.state, s.created_at, s.updated_at,"                                                                            \
    " (SELECT count(*) FROM submission_versions v WHERE v.submission_id = s.id),"                                      \
    " coalesce((SELECT v.id FROM submission_versions v WHERE v.submission_id = s.id"                                   \
    "           ORDER BY v.number DESC LIMIT 1), 0),"                                                                  \
    " coalesce((SELECT max(v.submitted_at) FROM submission_versions v WHERE v.submission_id = s.id), 0)"
#define SUBMISSION_JOINS                                                                                               \
    " FROM submissions s JOIN assessment_tasks t ON t.id = s.task_id JOIN users u ON u.id = s.participant_id"

/* Nothing is inserted when the enrolment has one for the task already, even one made at this
 * moment by another writer: the unique (task_id, enrolment_id) decides. */
static const char SQL_SUBMISSION_INSERT[] =
    "INSERT INTO submissions (task_id, enrolment_id, participant_id, state, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, 'draft', ?4, ?4) ON CONFLICT (task_id, enrolment_id) DO NOTHING";
static const char SQL_SUBMISSION_FIND[] = "SELECT id FROM submissions WHERE task_id = ?1 AND enrolment_id = ?2";
static const char SQL_SUBMISSION_GET[] = "SELECT " SUBMISSION_COLUMNS SUBMISSION_JOINS " WHERE s.id = ?1";
static const char SQL_SUBMISSION_LIST[] =
    "SELECT " SUBMISSION_COLUMNS SUBMISSION_JOINS " WHERE (?1 = 0 OR s.task_id = ?1)"
    " AND (?2 = 1 OR s.participant_id = ?3 OR (?4 = 1 AND s.participant_id IN"
    "      (SELECT a.participant_id FROM assignments a WHERE a.kind = 'coach' AND a.staff_id = ?3)))"
    " AND (s.updated_at, s.id) < (?5, ?6) ORDER BY s.updated_at DESC, s.id DESC LIMIT ?7";
static const char SQL_SUBMISSION_SAVE[] =
    "UPDATE submissions SET activity = coalesce(?2, activity), draft_text = coalesce(?3, draft_text),"
    " updated_at = ?4 WHERE id = ?1 AND state = 'draft'";
static const char SQL_SUBMISSION_STATE[] = "SELECT state FROM submissions WHERE id = ?1";
static const char SQL_SUBMISSION_MOVE[] =
    "UPDATE submissions SET state = ?3, updated_at = ?4 WHERE id = ?1 AND state = ?2";

static void read_submission(struct db_stmt *stmt, struct arena *arena, struct submission *s)
{
    memset(s, 0, sizeof(*s));
    s->id = db_column_int64(stmt, 0);
    s->task_id = db_column_int64(stmt, 1);
    s->task_title = store_text_or_empty(arena, stmt, 2);
    s->enrolment_id = db_column_int64(stmt, 3);
    s->participant_id = db_column_int64(stmt, 4);
    s->participant_name = store_text_or_empty(arena, stmt, 5);
    s->participant_email = store_text_or_empty(arena, stmt, 6);
    s->activity = store_text_or_empty(arena, stmt, 7);
    s->draft_text = store_text_or_empty(arena, stmt, 8);
    submission_state_parse(db_column_text(stmt, 9), &s->state);
    s->created_at = db_column_int64(stmt, 10);
    s->updated_at = db_column_int64(stmt, 11);
    s->versions = (int)db_column_int64(stmt, 12);
    s->latest_version_id = db_column_int64(stmt, 13);
    s->latest_submitted_at = db_column_int64(stmt, 14);
}

/*
 * After a guarded UPDATE of a submission changed nothing: STORE_CONFLICT when the submission
 * exists (it is in another state), STORE_NOT_FOUND when it does not.
 */
static enum store_status unchanged(struct store *store, int64_t id)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_SUBMISSION_STATE);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    enum db_result r = db_step(stmt);
    if (r == DB_ROW) {
        db_reset(stmt);
        return STORE_CONFLICT;
    }
    return r == DB_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

/* Moves a submission from one state to another, compare-and-set. */
static enum store_status move(struct store *store, int64_t id, enum submission_state from, enum submission_state to,
                              int64_t now)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_SUBMISSION_MOVE);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    db_bind_text(stmt, 2, submission_state_name(from));
    db_bind_text(stmt, 3, submission_state_name(to));
    db_bind_int64(stmt, 4, now);
    if (db_exec_stmt(stmt) != DB_DONE)
        return STORE_ERROR;
    return db_changes(store->db) > 0 ? STORE_OK : unchanged(store, id);
}

/* The audit log's "before" of a change of state. */
static json_t *state_before(enum submission_state from)
{
    return json_pack("{s:s}", "state", submission_state_name(from));
}

/* The submission an enrolment has for a task: its id in *id, STORE_NOT_FOUND when none. */
static enum store_status submission_find(struct store *store, int64_t task_id, int64_t enrolment_id, int64_t *id)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_SUBMISSION_FIND);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, task_id);
    db_bind_int64(stmt, 2, enrolment_id);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_NOT_FOUND;
    if (r != DB_ROW)
        return STORE_ERROR;
    *id = db_column_int64(stmt, 0);
    db_reset(stmt);
    return STORE_OK;
}

enum store_status store_submission_create(struct store *store, const struct actor *actor, struct submission *s,
                                          int64_t now, int64_t *existing)
{
    *existing = 0;
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_SUBMISSION_INSERT);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, s->task_id);
        db_bind_int64(stmt, 2, s->enrolment_id);
        db_bind_int64(stmt, 3, s->participant_id);
        db_bind_int64(stmt, 4, now);
        enum db_result r = db_exec_stmt(stmt);
        if (r == DB_CONSTRAINT)
            status = STORE_NOT_FOUND; /* the task, enrolment or participant does not exist */
        else if (r == DB_DONE && db_changes(store->db) == 0) {
            status = submission_find(store, s->task_id, s->enrolment_id, existing);
            status = status == STORE_OK ? STORE_CONFLICT : STORE_ERROR;
        } else if (r == DB_DONE) {
            s->id = db_last_insert_id(store->db);
            s->state = SUBMISSION_DRAFT;
            s->created_at = s->updated_at = now;
            status = STORE_OK;
        }
    }
    if (status == STORE_OK)
        status =
            store_audit_json(store, actor, "submission.create", "submission", s->id, NULL,
                             json_pack("{s:I, s:I, s:I}", "task_id", (json_int_t)s->task_id, "enrolment_id",
                                       (json_int_t)s->enrolment_id, "participant_id", (json_int_t)s->participant_id),
                             now);
    return store_tx_end(store, status);
}

enum store_status store_submission_get(struct store *store, int64_t id, struct arena *arena, struct submission *out)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_SUBMISSION_GET);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, id);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_NOT_FOUND;
    if (r != DB_ROW)
        return STORE_ERROR;
    read_submission(stmt, arena, out);
    db_reset(stmt);
    return STORE_OK;
}

enum store_status store_submission_list(struct store *store, const struct submission_filter *filter,
                                        struct store_page *page, struct arena *arena, struct submission **out,
                                        size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_SUBMISSION_LIST);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, filter->task_id);
    db_bind_int64(stmt, 2, filter->all ? 1 : 0);
    db_bind_int64(stmt, 3, filter->user_id);
    db_bind_int64(stmt, 4, filter->coach ? 1 : 0);
    store_page_bind(stmt, 5, CURSOR_NUMBER, STORE_DESCENDING, page);
    *out = arena_alloc(arena, sizeof(**out) * store_page_limit(page));
    *count = 0;
    enum db_result r;
    /* Columns 11 and 0 are updated_at and id. */
    while ((r = db_step(stmt)) == DB_ROW && store_page_row(page, stmt, *count, CURSOR_NUMBER, 11, 0, arena))
        read_submission(stmt, arena, &(*out)[(*count)++]);
    return r == DB_DONE || r == DB_ROW ? STORE_OK : STORE_ERROR;
}

enum store_status store_submission_save_draft(struct store *store, const struct actor *actor, int64_t id,
                                              const char *activity, const char *text, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_SUBMISSION_SAVE);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, id);
        db_bind_text(stmt, 2, activity);
        db_bind_text(stmt, 3, text);
        db_bind_int64(stmt, 4, now);
        if (db_exec_stmt(stmt) == DB_DONE)
            status = db_changes(store->db) > 0 ? STORE_OK : unchanged(store, id);
    }
    /* Drafts change often and are the participant's own until submitted: the log notes that they
     * changed, and how long they are, not what they say. */
    if (status == STORE_OK) {
        json_t *after = json_object();
        if (activity != NULL)
            json_object_set_new(after, "activity_length", json_integer((json_int_t)strlen(activity)));
        if (text != NULL)
            json_object_set_new(after, "text_length", json_integer((json_int_t)strlen(text)));
        status = store_audit_json(store, actor, "submission.save_draft", "submission", id, NULL, after, now);
    }
    return store_tx_end(store, status);
}

/* Files */

#define FILE_COLUMNS                                                                                                   \
    "sf.id, sf.submission_id, coalesce(sf.version_id, 0), sf.name, sf.content_type, sf.size, sf.sha256, "              \
    "sf.created_at, coalesce(sf.file_id, 0), coalesce(fl.blob_id, 0)"
#define FILE_FROM " FROM submission_files sf LEFT JOIN files fl ON fl.id = sf.file_id"

static const char SQL_FILE_INSERT[] =
    "INSERT INTO submission_files (submission_id, name, content_type, size, sha256, file_id, created_at)"
    " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 FROM submissions WHERE id = ?1 AND state = 'draft'";
static const char SQL_FILE_OWNER[] = "SELECT participant_id, state FROM submissions WHERE id = ?1";
static const char SQL_FILE_DRAFTS_OF[] =
    "SELECT coalesce(file_id, 0) FROM submission_files WHERE id = ?2 AND submission_id = ?1 AND version_id IS NULL"
    " AND EXISTS (SELECT 1 FROM submissions s WHERE s.id = ?1 AND s.state = 'draft')";
static const char SQL_FILE_DELETE[] = "DELETE FROM submission_files WHERE id = ?1";
static const char SQL_FILE_IS_DRAFTS[] =
    "SELECT 1 FROM submission_files WHERE id = ?2 AND submission_id = ?1 AND version_id IS NULL";
static const char SQL_FILES[] = "SELECT " FILE_COLUMNS FILE_FROM " WHERE sf.submission_id = ?1 ORDER BY sf.id";
static const char SQL_FILE_GET[] = "SELECT " FILE_COLUMNS FILE_FROM " WHERE sf.submission_id = ?1 AND sf.id = ?2";
static const char SQL_FILES_TO_VERSION[] =
    "UPDATE submission_files SET version_id = ?2 WHERE submission_id = ?1 AND version_id IS NULL";

static void read_file(struct db_stmt *stmt, struct arena *arena, struct submission_file *f)
{
    memset(f, 0, sizeof(*f));
    f->id = db_column_int64(stmt, 0);
    f->submission_id = db_column_int64(stmt, 1);
    f->version_id = db_column_int64(stmt, 2);
    f->name = store_text_or_empty(arena, stmt, 3);
    f->content_type = store_text_or_empty(arena, stmt, 4);
    f->size = db_column_int64(stmt, 5);
    f->sha256 = store_text_or_empty(arena, stmt, 6);
    f->created_at = db_column_int64(stmt, 7);
    f->file_id = db_column_int64(stmt, 8);
    f->blob_id = db_column_int64(stmt, 9);
}

static json_t *file_summary(const struct submission_file *f)
{
    return json_pack("{s:I, s:s, s:I, s:s}", "file_id", (json_int_t)f->id, "name", f->name, "size", (json_int_t)f->size,
                     "sha256", f->sha256);
}

enum store_status store_submission_file_add(struct store *store, const struct actor *actor, struct submission_file *f,
                                            int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    /* The files row names the participant, whoever attached it, so their export finds it. */
    struct stored_file held = {.blob_id = f->blob_id,
                               .record_kind = "submission",
                               .record_id = f->submission_id,
                               .name = f->name,
                               .size = f->size,
                               .sha256 = f->sha256,
                               .created_by = actor ? actor->user_id : 0};
    struct db_stmt *stmt = db_prepare(store->db, SQL_FILE_OWNER);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, f->submission_id);
        enum db_result r = db_step(stmt);
        if (r == DB_ROW) {
            held.owner_id = db_column_int64(stmt, 0);
            /* Nothing is written for work that takes no files. */
            status = strcmp(db_column_text(stmt, 1), "draft") == 0 ? STORE_OK : STORE_CONFLICT;
            db_reset(stmt);
        } else if (r == DB_DONE) {
            status = STORE_NOT_FOUND;
        }
    }
    if (status == STORE_OK)
        status = store_file_add(store, actor, &held, now);
    if (status == STORE_OK) {
        status = STORE_ERROR;
        stmt = db_prepare(store->db, SQL_FILE_INSERT);
        if (stmt != NULL) {
            db_bind_int64(stmt, 1, f->submission_id);
            db_bind_text(stmt, 2, f->name);
            db_bind_text(stmt, 3, f->content_type);
            db_bind_int64(stmt, 4, f->size);
            db_bind_text(stmt, 5, f->sha256);
            db_bind_int64(stmt, 6, held.id);
            db_bind_int64(stmt, 7, now);
            if (db_exec_stmt(stmt) == DB_DONE) {
                if (db_changes(store->db) > 0) {
                    f->id = db_last_insert_id(store->db);
                    f->file_id = held.id;
                    f->version_id = 0;
                    f->created_at = now;
                    status = STORE_OK;
                } else {
                    status = unchanged(store, f->submission_id);
                }
            }
        }
    }
    if (status == STORE_OK)
        status = store_audit_json(store, actor, "submission.file_add", "submission", f->submission_id, NULL,
                                  file_summary(f), now);
    return store_tx_end(store, status);
}

enum store_status store_submission_file_delete(struct store *store, const struct actor *actor, int64_t submission_id,
                                               int64_t file_id, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    int64_t held = 0;
    struct db_stmt *stmt = db_prepare(store->db, SQL_FILE_DRAFTS_OF);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, submission_id);
        db_bind_int64(stmt, 2, file_id);
        enum db_result r = db_step(stmt);
        if (r == DB_ROW) {
            held = db_column_int64(stmt, 0);
            db_reset(stmt);
            status = STORE_OK;
        } else if (r == DB_DONE) {
            status = STORE_NOT_FOUND;
        }
    }
    if (status == STORE_OK) {
        stmt = db_prepare(store->db, SQL_FILE_DELETE);
        status = STORE_ERROR;
        if (stmt != NULL) {
            db_bind_int64(stmt, 1, file_id);
            if (db_exec_stmt(stmt) == DB_DONE)
                status = STORE_OK;
        }
    }
    /* The bytes go with the last row that holds them. */
    if (status == STORE_OK && held > 0)
        status = store_file_delete(store, actor, held, now);
    if (status == STORE_NOT_FOUND) {
        /* A draft's file that stays because the work is no longer a draft is a conflict. */
        stmt = db_prepare(store->db, SQL_FILE_IS_DRAFTS);
        if (stmt == NULL) {
            status = STORE_ERROR;
        } else {
            db_bind_int64(stmt, 1, submission_id);
            db_bind_int64(stmt, 2, file_id);
            enum db_result r = db_step(stmt);
            if (r == DB_ROW) {
                db_reset(stmt);
                status = STORE_CONFLICT;
            } else if (r != DB_DONE) {
                status = STORE_ERROR;
            }
        }
    }
    if (status == STORE_OK)
        status = store_audit_json(store, actor, "submission.file_delete", "submission", submission_id,
                                  json_pack("{s:I}", "file_id", (json_int_t)file_id), NULL, now);
    return store_tx_end(store, status);
}

enum store_status store_submission_files(struct store *store, int64_t submission_id, struct arena *arena,
                                         struct submission_file **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_FILES);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, submission_id);
    size_t cap = 8;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        read_file(stmt, arena, &(*out)[(*count)++]);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_submission_file_get(struct store *store, int64_t submission_id, int64_t file_id,
                                            struct arena *arena, struct submission_file *out)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_FILE_GET);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, submission_id);
    db_bind_int64(stmt, 2, file_id);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return STORE_NOT_FOUND;
    if (r != DB_ROW)
        return STORE_ERROR;
    read_file(stmt, arena, out);
    db_reset(stmt);
    return STORE_OK;
}

/* Versions */

/* Written only as the next number: nothing is inserted when ?2 is not one more than the highest. */
static const char SQL_VERSION_INSERT[] =
    "INSERT INTO submission_versions (submission_id, number, text, text_sha256, word_count, submitted_at, late,"
    " receipt) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8"
    " WHERE ?2 = (SELECT coalesce(max(number), 0) + 1 FROM submission_versions WHERE submission_id = ?1)";
static const char SQL_VERSIONS[] =
    "SELECT v.id, v.submission_id, v.number, v.text, v.text_sha256, v.word_count, v.submitted_at, v.late,"
    " v.receipt, r.outcome, coalesce(r.released_at, 0)"
    " FROM submission_versions v LEFT JOIN results r ON r.version_id = v.id"
    " WHERE v.submission_id = ?1 ORDER BY v.number";

enum store_status store_submission_submit(struct store *store, const struct actor *actor, struct submission_version *v,
                                          enum submission_state from_state, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    /* The state first: a submission that moved on meanwhile is a conflict, not a second version. */
    enum store_status status = move(store, v->submission_id, from_state, SUBMISSION_SUBMITTED, now);
    if (status == STORE_OK) {
        struct db_stmt *stmt = db_prepare(store->db, SQL_VERSION_INSERT);
        status = STORE_ERROR;
        if (stmt != NULL) {
            db_bind_int64(stmt, 1, v->submission_id);
            db_bind_int64(stmt, 2, v->number);
            db_bind_text(stmt, 3, v->text);
            db_bind_text(stmt, 4, v->text_sha256);
            db_bind_int64(stmt, 5, v->word_count);
            db_bind_int64(stmt, 6, now);
            db_bind_int64(stmt, 7, v->late ? 1 : 0);
            db_bind_text(stmt, 8, v->receipt);
            enum db_result r = db_exec_stmt(stmt);
            if (r == DB_CONSTRAINT || (r == DB_DONE && db_changes(store->db) == 0))
                status = STORE_CONFLICT; /* not the next number */
            else if (r == DB_DONE) {
                v->id = db_last_insert_id(store->db);
                v->submitted_at = now;
                status = STORE_OK;
            }
        }
    }
    if (status == STORE_OK) {
        struct db_stmt *stmt = db_prepare(store->db, SQL_TASK_COUNT_VERSION);
        status = STORE_ERROR;
        if (stmt != NULL) {
            db_bind_int64(stmt, 1, v->submission_id);
            if (db_exec_stmt(stmt) == DB_DONE && db_changes(store->db) == 1)
                status = STORE_OK;
        }
    }
    int64_t files = 0;
    if (status == STORE_OK) {
        struct db_stmt *stmt = db_prepare(store->db, SQL_FILES_TO_VERSION);
        status = STORE_ERROR;
        if (stmt != NULL) {
            db_bind_int64(stmt, 1, v->submission_id);
            db_bind_int64(stmt, 2, v->id);
            if (db_exec_stmt(stmt) == DB_DONE) {
                files = db_changes(store->db);
                status = STORE_OK;
            }
        }
    }
    if (status == STORE_OK)
        status = store_audit_json(
            store, actor, "submission.submit", "submission", v->submission_id, state_before(from_state),
            json_pack("{s:s, s:I, s:i, s:s, s:I, s:b, s:I}", "state", "submitted", "version_id", (json_int_t)v->id,
                      "number", v->number, "text_sha256", v->text_sha256, "word_count", (json_int_t)v->word_count,
                      "late", v->late, "files", (json_int_t)files),
            now);
    return store_tx_end(store, status);
}

enum store_status store_submission_versions(struct store *store, int64_t submission_id, struct arena *arena,
                                            struct submission_version **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_VERSIONS);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, submission_id);
    size_t cap = 4;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        struct submission_version *v = &(*out)[(*count)++];
        memset(v, 0, sizeof(*v));
        v->id = db_column_int64(stmt, 0);
        v->submission_id = db_column_int64(stmt, 1);
        v->number = (int)db_column_int64(stmt, 2);
        v->text = store_text_or_empty(arena, stmt, 3);
        v->text_sha256 = store_text_or_empty(arena, stmt, 4);
        v->word_count = db_column_int64(stmt, 5);
        v->submitted_at = db_column_int64(stmt, 6);
        v->late = db_column_int64(stmt, 7) != 0;
        v->receipt = store_text_or_empty(arena, stmt, 8);
        v->has_result = !db_column_is_null(stmt, 9) && mark_outcome_parse(db_column_text(stmt, 9), &v->result);
        v->released_at = db_column_int64(stmt, 10);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

/* Feedback */

static const char SQL_FEEDBACK_INSERT[] =
    "INSERT INTO submission_feedback (submission_id, version_id, author_id, body, created_at)"
    " SELECT ?1, ?2, ?3, ?4, ?5 WHERE ?2 IS NULL"
    " OR EXISTS (SELECT 1 FROM submission_versions v WHERE v.id = ?2 AND v.submission_id = ?1)";
static const char SQL_FEEDBACK_LIST[] =
    "SELECT f.id, f.submission_id, coalesce(f.version_id, 0), coalesce(v.number, 0), f.author_id, u.name, f.body,"
    " f.created_at FROM submission_feedback f JOIN users u ON u.id = f.author_id"
    " LEFT JOIN submission_versions v ON v.id = f.version_id WHERE f.submission_id = ?1 ORDER BY f.id";

enum store_status store_submission_feedback_add(struct store *store, const struct actor *actor,
                                                struct submission_feedback *f, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_ERROR;
    struct db_stmt *stmt = db_prepare(store->db, SQL_FEEDBACK_INSERT);
    if (stmt != NULL) {
        db_bind_int64(stmt, 1, f->submission_id);
        store_bind_id(stmt, 2, f->version_id);
        db_bind_int64(stmt, 3, f->author_id);
        db_bind_text(stmt, 4, f->body);
        db_bind_int64(stmt, 5, now);
        enum db_result r = db_exec_stmt(stmt);
        if (r == DB_CONSTRAINT)
            status = STORE_NOT_FOUND;
        else if (r == DB_DONE && db_changes(store->db) == 0)
            status = STORE_NOT_FOUND;
        else if (r == DB_DONE) {
            f->id = db_last_insert_id(store->db);
            f->created_at = now;
            status = STORE_OK;
        }
    }
    if (status == STORE_OK)
        status = store_audit_json(store, actor, "submission.feedback", "submission", f->submission_id, NULL,
                                  json_pack("{s:I, s:I, s:I}", "feedback_id", (json_int_t)f->id, "version_id",
                                            (json_int_t)f->version_id, "length", (json_int_t)strlen(f->body)),
                                  now);
    return store_tx_end(store, status);
}

enum store_status store_submission_feedback_list(struct store *store, int64_t submission_id, struct arena *arena,
                                                 struct submission_feedback **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_FEEDBACK_LIST);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, submission_id);
    size_t cap = 8;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        struct submission_feedback *f = &(*out)[(*count)++];
        f->id = db_column_int64(stmt, 0);
        f->submission_id = db_column_int64(stmt, 1);
        f->version_id = db_column_int64(stmt, 2);
        f->version_number = (int)db_column_int64(stmt, 3);
        f->author_id = db_column_int64(stmt, 4);
        f->author_name = store_text_or_empty(arena, stmt, 5);
        f->body = store_text_or_empty(arena, stmt, 6);
        f->created_at = db_column_int64(stmt, 7);
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

/* Marks */

static const char SQL_MARK_INSERT[] =
    "INSERT INTO marks (version_id, marker_id, role, outcome, feedback, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_MARK_CRITERION_INSERT[] =
    "INSERT INTO mark_criteria (mark_id, position, met, comment) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_MARKS[] =
    "SELECT m.id, m.version_id, v.number, m.marker_id, u.name, m.role, m.outcome, m.feedback, m.created_at"
    " FROM marks m JOIN submission_versions v ON v.id = m.version_id JOIN users u ON u.id = m.marker_id"
    " WHERE v.submission_id = ?1 ORDER BY v.number, m.role = 'moderator', m.id";
static const char SQL_MARK_CRITERIA[] =
    "SELECT c.mark_id, c.met, c.comment FROM mark_criteria c JOIN marks m ON m.id = c.mark_id"
    " JOIN submission_versions v ON v.id = m.version_id WHERE v.submission_id = ?1 ORDER BY c.mark_id, c.position";

const char *mark_role_name(enum mark_role role)
{
    return role == MARK_MODERATOR ? "moderator" : "assessor";
}

enum store_status store_mark_add(struct store *store, const struct actor *actor, int64_t submission_id, struct mark *m,
                                 enum submission_state from_state, enum submission_state to_state, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = move(store, submission_id, from_state, to_state, now);
    if (status == STORE_OK) {
        struct db_stmt *stmt = db_prepare(store->db, SQL_MARK_INSERT);
        status = STORE_ERROR;
        if (stmt != NULL) {
            db_bind_int64(stmt, 1, m->version_id);
            db_bind_int64(stmt, 2, m->marker_id);
            db_bind_text(stmt, 3, mark_role_name(m->role));
            db_bind_text(stmt, 4, mark_outcome_name(m->outcome));
            db_bind_text(stmt, 5, m->feedback);
            db_bind_int64(stmt, 6, now);
            enum db_result r = db_exec_stmt(stmt);
            if (r == DB_CONSTRAINT)
                status = STORE_CONFLICT; /* this version has a mark in this role already */
            else if (r == DB_DONE) {
                m->id = db_last_insert_id(store->db);
                m->created_at = now;
                status = STORE_OK;
            }
        }
    }
    for (size_t i = 0; status == STORE_OK && i < m->criteria_count; i++) {
        struct db_stmt *stmt = db_prepare(store->db, SQL_MARK_CRITERION_INSERT);
        status = STORE_ERROR;
        if (stmt != NULL) {
            db_bind_int64(stmt, 1, m->id);
            db_bind_int64(stmt, 2, (int64_t)i + 1);
            db_bind_int64(stmt, 3, m->criteria[i].met ? 1 : 0);
            db_bind_text(stmt, 4, m->criteria[i].comment ? m->criteria[i].comment : "");
            if (db_exec_stmt(stmt) == DB_DONE)
                status = STORE_OK;
        }
    }
    if (status == STORE_OK)
        status =
            store_audit_json(store, actor, "submission.mark", "submission", submission_id, state_before(from_state),
                             json_pack("{s:s, s:I, s:I, s:s, s:s}", "state", submission_state_name(to_state), "mark_id",
                                       (json_int_t)m->id, "version_id", (json_int_t)m->version_id, "role",
                                       mark_role_name(m->role), "outcome", mark_outcome_name(m->outcome)),
                             now);
    return store_tx_end(store, status);
}

enum store_status store_marks(struct store *store, int64_t submission_id, struct arena *arena, struct mark **out,
                              size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_MARKS);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, submission_id);
    size_t cap = 4;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    *count = 0;
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW) {
        if (*count == cap)
            *out = arena_grow(arena, *out, &cap, sizeof(**out));
        struct mark *m = &(*out)[(*count)++];
        memset(m, 0, sizeof(*m));
        m->id = db_column_int64(stmt, 0);
        m->version_id = db_column_int64(stmt, 1);
        m->version_number = (int)db_column_int64(stmt, 2);
        m->marker_id = db_column_int64(stmt, 3);
        m->marker_name = store_text_or_empty(arena, stmt, 4);
        const char *role = db_column_text(stmt, 5);
        m->role = role != NULL && strcmp(role, "moderator") == 0 ? MARK_MODERATOR : MARK_ASSESSOR;
        mark_outcome_parse(db_column_text(stmt, 6), &m->outcome);
        m->feedback = store_text_or_empty(arena, stmt, 7);
        m->created_at = db_column_int64(stmt, 8);
    }
    if (r != DB_DONE)
        return STORE_ERROR;
    if (*count == 0)
        return STORE_OK;

    /* The criteria of every mark in one pass, attached to their marks by id (both are in id order). */
    stmt = db_prepare(store->db, SQL_MARK_CRITERIA);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, submission_id);
    size_t *caps = arena_alloc(arena, sizeof(*caps) * *count); /* zeroed: no criteria yet */
    while ((r = db_step(stmt)) == DB_ROW) {
        int64_t mark_id = db_column_int64(stmt, 0);
        for (size_t i = 0; i < *count; i++) {
            struct mark *m = &(*out)[i];
            if (m->id != mark_id)
                continue;
            if (caps[i] == 0) {
                caps[i] = 8;
                m->criteria = arena_alloc(arena, sizeof(*m->criteria) * caps[i]);
            } else if (m->criteria_count == caps[i]) {
                m->criteria = arena_grow(arena, m->criteria, &caps[i], sizeof(*m->criteria));
            }
            m->criteria[m->criteria_count++] =
                (struct mark_criterion){db_column_int64(stmt, 1) != 0, store_text_or_empty(arena, stmt, 2)};
            break;
        }
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}

/* Results */

static const char SQL_RESULT_INSERT[] =
    "INSERT INTO results (version_id, outcome, released_by, released_at) VALUES (?1, ?2, ?3, ?4)";

enum store_status store_result_release(struct store *store, const struct actor *actor, int64_t submission_id,
                                       int64_t version_id, enum mark_outcome outcome, enum submission_state from_state,
                                       enum submission_state to_state, int64_t now)
{
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = move(store, submission_id, from_state, to_state, now);
    if (status == STORE_OK) {
        struct db_stmt *stmt = db_prepare(store->db, SQL_RESULT_INSERT);
        status = STORE_ERROR;
        if (stmt != NULL) {
            db_bind_int64(stmt, 1, version_id);
            db_bind_text(stmt, 2, mark_outcome_name(outcome));
            store_bind_id(stmt, 3, actor->user_id);
            db_bind_int64(stmt, 4, now);
            enum db_result r = db_exec_stmt(stmt);
            if (r == DB_CONSTRAINT)
                status = STORE_CONFLICT;
            else if (r == DB_DONE)
                status = STORE_OK;
        }
    }
    if (status == STORE_OK)
        status =
            store_audit_json(store, actor, "submission.release", "submission", submission_id, state_before(from_state),
                             json_pack("{s:s, s:I, s:s}", "state", submission_state_name(to_state), "version_id",
                                       (json_int_t)version_id, "outcome", mark_outcome_name(outcome)),
                             now);
    return store_tx_end(store, status);
}

/* The marking queue */

static const char SQL_MARKING_QUEUE[] =
    "SELECT s.id, s.state, t.id, t.title, t.kind, t.target, t.moderation_percent, s.participant_id, u.name,"
    " v.id, v.number, v.submitted_at, v.late, coalesce(m.marker_id, 0), mu.name, m.outcome"
    " FROM submissions s JOIN assessment_tasks t ON t.id = s.task_id JOIN users u ON u.id = s.participant_id"
    " JOIN submission_versions v ON v.submission_id = s.id"
    "  AND v.number = (SELECT max(number) FROM submission_versions WHERE submission_id = s.id)"
    " LEFT JOIN marks m ON m.version_id = v.id AND m.role = 'assessor'"
    " LEFT JOIN users mu ON mu.id = m.marker_id"
    " WHERE s.state IN ('submitted', 'marked') AND (v.submitted_at, v.id) > (?1, ?2)"
    " ORDER BY v.submitted_at, v.id LIMIT ?3";

enum store_status store_marking_queue(struct store *store, struct store_page *page, struct arena *arena,
                                      struct marking_item **out, size_t *count)
{
    struct db_stmt *stmt = db_prepare(store->db, SQL_MARKING_QUEUE);
    if (stmt == NULL)
        return STORE_ERROR;
    store_page_bind(stmt, 1, CURSOR_NUMBER, STORE_ASCENDING, page);
    *out = arena_alloc(arena, sizeof(**out) * store_page_limit(page));
    *count = 0;
    enum db_result r;
    /* Columns 11 and 9 are the version's submitted_at and id. */
    while ((r = db_step(stmt)) == DB_ROW && store_page_row(page, stmt, *count, CURSOR_NUMBER, 11, 9, arena)) {
        struct marking_item *it = &(*out)[(*count)++];
        memset(it, 0, sizeof(*it));
        it->submission_id = db_column_int64(stmt, 0);
        submission_state_parse(db_column_text(stmt, 1), &it->state);
        it->task_id = db_column_int64(stmt, 2);
        it->task_title = store_text_or_empty(arena, stmt, 3);
        task_kind_parse(db_column_text(stmt, 4), &it->task_kind);
        it->task_target = store_text_or_empty(arena, stmt, 5);
        it->moderation_percent = (int)db_column_int64(stmt, 6);
        it->participant_id = db_column_int64(stmt, 7);
        it->participant_name = store_text_or_empty(arena, stmt, 8);
        it->version_id = db_column_int64(stmt, 9);
        it->version_number = (int)db_column_int64(stmt, 10);
        it->submitted_at = db_column_int64(stmt, 11);
        it->late = db_column_int64(stmt, 12) != 0;
        it->assessor_id = db_column_int64(stmt, 13);
        it->assessor_name = store_text_or_empty(arena, stmt, 14);
        if (!db_column_is_null(stmt, 15))
            mark_outcome_parse(db_column_text(stmt, 15), &it->assessor_outcome);
    }
    return r == DB_DONE || r == DB_ROW ? STORE_OK : STORE_ERROR;
}
