/*
 * Assessment over JSON: /api/v1/assessment-tasks (what is set), /api/v1/submissions (a
 * participant's draft, its files, submitting with a receipt, coaches' feedback, marks and
 * release) and /api/v1/marking-queue. Who may take each step, and what each caller may see of
 * unreleased marking, is decided in app/assessment.c; this file parses and renders. Files are
 * sent as the raw request body (Content-Type the file's, X-File-Name its name) so that a large
 * file needs no encoding; each task sets how large (max_file_bytes).
 */
#include "api/api.h"

#include "app/assessment.h"
#include "http/file_reply.h"
#include "http/paging.h"
#include "http/reply.h"
#include "lib/date.h"
#include "lib/file_type.h"
#include "http/site.h"
#include "lib/markdown.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Reading bodies */

static void time_member(json_t *body, const char *key, int64_t *out, struct errors *errors)
{
    const char *text = NULL;
    size_t before = errors->count;
    if (!api_member_text(body, key, &text, errors) || errors->count > before || text == NULL)
        return;
    if (!date_parse_utc(text, false, out))
        errors_add(errors, key, "Give the time in UTC as YYYY-MM-DDTHH:MM:SSZ, like 2027-01-10T09:00:00Z");
}

/* An optional whole number member into *out; whether it was there. */
static bool int_member(json_t *body, const char *key, int *out, struct errors *errors)
{
    int64_t value = 0;
    size_t before = errors->count;
    if (!api_member_int(body, key, &value, errors))
        return false;
    if (errors->count == before)
        *out = (int)value;
    return errors->count == before;
}

/* A size in bytes: any whole number, which the rules then hold to their range (api_member_int
 * stops short of 1 GiB). Returns whether key is present; null gives 0. */
static bool bytes_member(json_t *body, const char *key, int64_t *out, struct errors *errors)
{
    json_t *value = json_object_get(body, key);
    if (value == NULL)
        return false;
    *out = 0;
    if (json_is_integer(value))
        *out = (int64_t)json_integer_value(value);
    else if (!json_is_null(value))
        errors_add(errors, key, "Give the size in bytes, a whole number");
    return true;
}

/* criteria: [{title, descriptor}] into arena; NULL when absent. */
static struct assessment_criterion *criteria_member(json_t *body, struct arena *arena, size_t *count,
                                                    struct errors *errors)
{
    json_t *list = json_object_get(body, "criteria");
    *count = 0;
    if (list == NULL || json_is_null(list))
        return NULL;
    if (!json_is_array(list)) {
        errors_add(errors, "criteria", "Give the criteria as a list of {title, descriptor}");
        return NULL;
    }
    size_t n = json_array_size(list);
    struct assessment_criterion *out = arena_alloc(arena, sizeof(*out) * (n + 1));
    for (size_t i = 0; i < n; i++) {
        json_t *item = json_array_get(list, i);
        const char *title = NULL, *descriptor = NULL;
        if (!json_is_object(item)) {
            errors_add(errors, "criteria", "Criterion %zu must be an object with a title", i + 1);
            continue;
        }
        api_member_text(item, "title", &title, errors);
        api_member_text(item, "descriptor", &descriptor, errors);
        out[i] = (struct assessment_criterion){title ? title : "", descriptor ? descriptor : ""};
    }
    *count = n;
    return out;
}

/* Rendering */

static json_t *person_json(int64_t id, const char *name)
{
    return json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", name ? name : "");
}

static json_t *markdown_json(const char *md)
{
    char *html = markdown_to_html(md, md ? strlen(md) : 0);
    json_t *j = json_string(html ? html : "");
    free(html);
    return j != NULL ? j : json_string("");
}

static json_t *task_json(const struct assessment_task *t)
{
    json_t *criteria = json_array();
    for (size_t i = 0; i < t->criteria_count; i++)
        json_array_append_new(criteria, json_pack("{s:I, s:s, s:s}", "position", (json_int_t)i + 1, "title",
                                                  t->criteria[i].title, "descriptor", t->criteria[i].descriptor));
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:i, s:i, s:i, s:I, s:o, s:o, s:o}", "id", (json_int_t)t->id,
                     "kind", task_kind_name(t->kind), "target", t->target, "title", t->title, "brief", t->brief,
                     "brief_html", markdown_json(t->brief), "deadline", api_time_json(t->deadline), "word_limit",
                     t->word_limit, "max_resubmissions", t->max_resubmissions, "moderation_percent",
                     t->moderation_percent, "max_file_bytes", (json_int_t)t->max_file_bytes, "criteria", criteria,
                     "created_at", api_time_json(t->created_at), "updated_at", api_time_json(t->updated_at));
}

static json_t *task_ref_json(int64_t id, const char *title, enum task_kind kind, const char *target)
{
    return json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "title", title ? title : "", "kind",
                     task_kind_name(kind), "target", target ? target : "");
}

static json_t *file_json(const struct submission_file *f, int version_number)
{
    char href[96];
    snprintf(href, sizeof(href), "/api/v1/submissions/%lld/files/%lld", (long long)f->submission_id, (long long)f->id);
    return json_pack("{s:I, s:s, s:s, s:I, s:s, s:o, s:o, s:s}", "id", (json_int_t)f->id, "name", f->name,
                     "content_type", f->content_type, "size", (json_int_t)f->size, "sha256", f->sha256, "version",
                     version_number > 0 ? json_integer(version_number) : json_null(), "created_at",
                     api_time_json(f->created_at), "href", href);
}

static json_t *mark_json(const struct mark *m, const struct assessment_task *t)
{
    json_t *criteria = json_array();
    for (size_t i = 0; i < m->criteria_count; i++)
        json_array_append_new(criteria, json_pack("{s:I, s:s, s:b, s:s}", "position", (json_int_t)i + 1, "title",
                                                  i < t->criteria_count ? t->criteria[i].title : "", "met",
                                                  m->criteria[i].met, "comment", m->criteria[i].comment));
    return json_pack("{s:I, s:i, s:s, s:o, s:s, s:s, s:s, s:o, s:o, s:o}", "id", (json_int_t)m->id, "version",
                     m->version_number, "role", mark_role_name(m->role), "marker",
                     person_json(m->marker_id, m->marker_name), "outcome", mark_outcome_name(m->outcome),
                     "outcome_title", mark_outcome_title(m->outcome), "feedback", m->feedback, "feedback_html",
                     markdown_json(m->feedback), "criteria", criteria, "created_at", api_time_json(m->created_at));
}

static json_t *feedback_json(const struct submission_feedback *f)
{
    return json_pack("{s:I, s:o, s:o, s:s, s:o, s:o}", "id", (json_int_t)f->id, "version",
                     f->version_number > 0 ? json_integer(f->version_number) : json_null(), "author",
                     person_json(f->author_id, f->author_name), "body", f->body, "body_html", markdown_json(f->body),
                     "created_at", api_time_json(f->created_at));
}

/* A version with its files, and its result and marks as the caller may see them. */
static json_t *version_json(const struct submission_version *v, const struct submission_file *files, size_t file_count,
                            const struct mark *marks, size_t mark_count, const struct assessment_task *t)
{
    json_t *files_json = json_array(), *marks_json = json_array();
    for (size_t i = 0; i < file_count; i++)
        if (files[i].version_id == v->id)
            json_array_append_new(files_json, file_json(&files[i], v->number));
    for (size_t i = 0; i < mark_count; i++)
        if (marks[i].version_id == v->id)
            json_array_append_new(marks_json, mark_json(&marks[i], t));
    json_t *result = v->has_result
                         ? json_pack("{s:s, s:s, s:o}", "outcome", mark_outcome_name(v->result), "title",
                                     mark_outcome_title(v->result), "released_at", api_time_json(v->released_at))
                         : json_null();
    return json_pack("{s:I, s:i, s:s, s:s, s:I, s:o, s:b, s:s, s:o, s:o, s:o}", "id", (json_int_t)v->id, "number",
                     v->number, "text", v->text, "text_sha256", v->text_sha256, "word_count", (json_int_t)v->word_count,
                     "submitted_at", api_time_json(v->submitted_at), "late", v->late, "receipt", v->receipt, "files",
                     files_json, "result", result, "marks", marks_json);
}

static json_t *submission_json(const struct submission_detail *d)
{
    const struct submission *s = &d->submission;
    json_t *draft = json_null();
    if (s->draft_text != NULL) {
        json_t *files = json_array();
        for (size_t i = 0; i < d->file_count; i++)
            if (d->files[i].version_id == 0)
                json_array_append_new(files, file_json(&d->files[i], 0));
        draft = json_pack("{s:s, s:I, s:o}", "text", s->draft_text, "word_count",
                          (json_int_t)assessment_word_count(s->draft_text), "files", files);
    }
    json_t *versions = json_array(), *feedback = json_array();
    for (size_t i = 0; i < d->version_count; i++)
        json_array_append_new(
            versions, version_json(&d->versions[i], d->files, d->file_count, d->marks, d->mark_count, &d->task));
    for (size_t i = 0; i < d->feedback_count; i++)
        json_array_append_new(feedback, feedback_json(&d->feedback[i]));
    return json_pack("{s:I, s:s, s:o, s:o, s:I, s:s, s:o, s:o, s:o, s:i, s:b, s:o, s:o}", "id", (json_int_t)s->id,
                     "state", submission_state_name(d->shown_state), "task", task_json(&d->task), "participant",
                     person_json(s->participant_id, s->participant_name), "enrolment_id", (json_int_t)s->enrolment_id,
                     "activity", s->activity, "draft", draft, "versions", versions, "feedback", feedback,
                     "resubmissions_left", d->resubmissions_left, "awaiting_moderation", d->awaiting_moderation,
                     "created_at", api_time_json(s->created_at), "updated_at", api_time_json(s->updated_at));
}

/* Replies with a submission as the caller may see it. */
static void reply_submission(struct request *request, int status, int64_t id)
{
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct submission_detail detail;
    struct errors errors = ERRORS_INIT;
    enum app_result r = assessment_submission_read(&env, request->caller, id, request_arena(request), &detail);
    if (r == APP_OK)
        reply_json(request, status, submission_json(&detail));
    else
        api_reply_result(request, r, &errors, "submission");
    errors_free(&errors);
}

/* Tasks */

void api_assessment_tasks_list(struct request *request)
{
    const char *target = form_get(request_query(request), "target");
    struct assessment_task *tasks;
    size_t count;
    enum store_status s =
        store_task_list(request->store, target && *target ? target : NULL, request_arena(request), &tasks, &count);
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "assessment task");
        return;
    }
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(array, task_json(&tasks[i]));
    /* A few tasks per module and qualification of the catalogue: read whole, paged here. */
    api_reply_page_of(request, json_pack("{s:o}", "tasks", array), "tasks", "id", CURSOR_ID);
}

static void reply_task(struct request *request, int status, int64_t id)
{
    struct assessment_task t;
    enum store_status s = store_task_get(request->store, id, request_arena(request), &t);
    if (s == STORE_OK)
        reply_json(request, status, task_json(&t));
    else
        api_reply_store_status(request, s, "assessment task");
}

void api_assessment_tasks_create(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    const struct catalogue *catalogue = api_catalogue(request);
    if (catalogue == NULL) {
        json_decref(body);
        return;
    }
    struct errors errors = ERRORS_INIT;
    struct assessment_task t = {
        .word_limit = 0, .max_resubmissions = 1, .moderation_percent = 20, .max_file_bytes = TASK_FILE_BYTES_DEFAULT};
    const char *kind = NULL;
    api_member_text(body, "kind", &kind, &errors);
    if (kind == NULL || !task_kind_parse(kind, &t.kind))
        errors_add(&errors, "kind", "Choose module (a module's task) or final (a qualification's final assessment)");
    api_member_text(body, "target", &t.target, &errors);
    api_member_text(body, "title", &t.title, &errors);
    api_member_text(body, "brief", &t.brief, &errors);
    time_member(body, "deadline", &t.deadline, &errors);
    int_member(body, "word_limit", &t.word_limit, &errors);
    int_member(body, "max_resubmissions", &t.max_resubmissions, &errors);
    int_member(body, "moderation_percent", &t.moderation_percent, &errors);
    bytes_member(body, "max_file_bytes", &t.max_file_bytes, &errors);
    t.criteria = criteria_member(body, request_arena(request), &t.criteria_count, &errors);
    if (t.brief == NULL)
        t.brief = "";
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result r = errors.count > 0 ? APP_INVALID : assessment_task_set(&env, catalogue, &t, &errors);
    if (r == APP_OK)
        reply_task(request, 201, t.id);
    else
        api_reply_result(request, r, &errors, "assessment task");
    errors_free(&errors);
    json_decref(body);
}

void api_assessment_task_get(struct request *request)
{
    reply_task(request, 200, request_param_id(request, 0));
}

void api_assessment_task_update(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    const struct catalogue *catalogue = api_catalogue(request);
    if (catalogue == NULL) {
        json_decref(body);
        return;
    }
    struct errors errors = ERRORS_INIT;
    struct task_change change = {0};
    if (json_object_get(body, "kind") != NULL || json_object_get(body, "target") != NULL)
        errors_add(&errors, json_object_get(body, "kind") ? "kind" : "target",
                   "A task's kind and target cannot change: set a new task instead");
    api_member_text(body, "title", &change.title, &errors);
    api_member_text(body, "brief", &change.brief, &errors);
    time_member(body, "deadline", &change.deadline, &errors);
    change.has_word_limit = int_member(body, "word_limit", &change.word_limit, &errors);
    change.has_max_resubmissions = int_member(body, "max_resubmissions", &change.max_resubmissions, &errors);
    change.has_moderation_percent = int_member(body, "moderation_percent", &change.moderation_percent, &errors);
    change.has_max_file_bytes = bytes_member(body, "max_file_bytes", &change.max_file_bytes, &errors);
    change.criteria = criteria_member(body, request_arena(request), &change.criteria_count, &errors);
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct assessment_task t;
    enum app_result r = errors.count > 0 ? APP_INVALID
                                         : assessment_task_change(&env, catalogue, request_param_id(request, 0),
                                                                  &change, request_arena(request), &t, &errors);
    if (r == APP_OK)
        reply_json(request, 200, task_json(&t));
    else
        api_reply_result(request, r, &errors, "assessment task");
    errors_free(&errors);
    json_decref(body);
}

/* Submissions */

void api_submissions_list(struct request *request)
{
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct submission_summary *list;
    size_t count;
    struct errors errors = ERRORS_INIT;
    int64_t task_id = 0;
    form_read_id(request_query(request), "task_id", &task_id, &errors);
    struct store_page page;
    paging_read(request, CURSOR_NUMBER, &page, &errors);
    if (api_query_refused(request, &errors))
        return;
    enum app_result r =
        assessment_submission_list(&env, request->caller, task_id, &page, request_arena(request), &list, &count);
    if (r != APP_OK) {
        api_reply_result(request, r, &errors, "submission");
        errors_free(&errors);
        return;
    }
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++) {
        const struct submission *s = &list[i].submission;
        json_array_append_new(
            array, json_pack("{s:I, s:s, s:{s:I, s:s}, s:o, s:I, s:i, s:o, s:o, s:o}", "id", (json_int_t)s->id, "state",
                             submission_state_name(list[i].shown_state), "task", "id", (json_int_t)s->task_id, "title",
                             s->task_title, "participant", person_json(s->participant_id, s->participant_name),
                             "enrolment_id", (json_int_t)s->enrolment_id, "versions", s->versions,
                             "latest_submitted_at", api_time_json(s->latest_submitted_at), "created_at",
                             api_time_json(s->created_at), "updated_at", api_time_json(s->updated_at)));
    }
    paging_link(request, &page);
    reply_json(request, 200, json_pack("{s:o}", "submissions", array));
}

void api_submissions_create(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    const struct catalogue *catalogue = api_catalogue(request);
    if (catalogue == NULL) {
        json_decref(body);
        return;
    }
    struct errors errors = ERRORS_INIT;
    int64_t task_id = 0, enrolment_id = 0, id = 0;
    api_member_int(body, "task_id", &task_id, &errors);
    api_member_int(body, "enrolment_id", &enrolment_id, &errors);
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result r = errors.count > 0 ? APP_INVALID
                                         : assessment_submission_start(&env, catalogue, request->caller, task_id,
                                                                       enrolment_id, &id, &errors);
    if (r == APP_OK)
        reply_submission(request, 201, id);
    else if (r == APP_CONFLICT && id > 0) /* the work already started: where it is, to carry on with it */
        api_reply_result_detail(request, r, &errors, "submission", json_pack("{s:I}", "id", (json_int_t)id));
    else
        api_reply_result(request, r, &errors, "submission");
    errors_free(&errors);
    json_decref(body);
}

void api_submission_get(struct request *request)
{
    reply_submission(request, 200, request_param_id(request, 0));
}

void api_submission_update(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    const char *activity = NULL, *text = NULL;
    api_member_text(body, "activity", &activity, &errors);
    api_member_text(body, "text", &text, &errors);
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t id = request_param_id(request, 0);
    enum app_result r =
        errors.count > 0 ? APP_INVALID : assessment_draft_save(&env, request->caller, id, activity, text, &errors);
    if (r == APP_OK)
        reply_submission(request, 200, id);
    else
        api_reply_result(request, r, &errors, "submission");
    errors_free(&errors);
    json_decref(body);
}

/* Files */

void api_submission_files_add(struct request *request)
{
    struct str entity = request_body(request);
    struct submission_file f = {0};
    f.name = api_file_name_header(request);
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t id = request_param_id(request, 0);
    enum app_result r =
        assessment_file_add(&env, request->caller, id, &f, entity.ptr, entity.len, request_arena(request), &errors);
    if (r == APP_OK)
        reply_json(request, 201, file_json(&f, 0));
    else
        api_reply_result(request, r, &errors, "submission");
    errors_free(&errors);
}

void api_submission_file_get(struct request *request)
{
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct submission_file f;
    struct errors errors = ERRORS_INIT;
    int64_t file_id = request_param_id(request, 1);
    enum app_result r = file_id > 0 ? assessment_file_read(&env, request->caller, request_param_id(request, 0), file_id,
                                                           request_arena(request), &f)
                                    : APP_NOT_FOUND;
    struct blob blob;
    if (r == APP_OK)
        r = app_result_of_store(blob_get(request->store, f.blob_id, &blob));
    if (r != APP_OK) {
        api_reply_result(request, r, &errors, "file in this submission");
        errors_free(&errors);
        return;
    }
    /* A participant's work: kept by no cache (a client may still ask If-None-Match). */
    file_reply_blob(request, &blob, f.name, "private, no-store");
}

void api_submission_file_delete(struct request *request)
{
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct errors errors = ERRORS_INIT;
    int64_t file_id = request_param_id(request, 1);
    enum app_result r =
        file_id > 0 ? assessment_file_remove(&env, request->caller, request_param_id(request, 0), file_id, &errors)
                    : APP_NOT_FOUND;
    if (r == APP_OK)
        reply_body(request, 204, "text/plain; charset=utf-8", "", 0);
    else
        api_reply_result(request, r, &errors, "file in this draft");
    errors_free(&errors);
}

/* Submitting, feedback, marking, releasing */

void api_submission_submit(struct request *request)
{
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct errors errors = ERRORS_INIT;
    struct submission_version v;
    int64_t id = request_param_id(request, 0);
    struct arena *arena = request_arena(request);
    /* assessment_submit returns only after COMMIT: a 200 means the version is on disk. */
    enum app_result r = assessment_submit(&env, request->caller, id, arena, &v, &errors);
    if (r != APP_OK) {
        api_reply_result(request, r, &errors, "submission");
        errors_free(&errors);
        return;
    }
    struct submission_file *files = NULL;
    size_t count = 0;
    if (store_submission_files(request->store, id, arena, &files, &count) != STORE_OK)
        count = 0; /* committed already: the receipt names the files in any case */
    reply_json(request, 200,
               json_pack("{s:I, s:s, s:o, s:s}", "submission_id", (json_int_t)id, "state", "submitted", "version",
                         version_json(&v, files, count, NULL, 0, NULL), "receipt", v.receipt));
    errors_free(&errors);
}

void api_submission_feedback_create(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    const char *text = NULL;
    int version = 0;
    api_member_text(body, "body", &text, &errors);
    int_member(body, "version", &version, &errors);
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct submission_feedback f;
    enum app_result r = errors.count > 0 ? APP_INVALID
                                         : assessment_feedback_add(&env, request->caller, request_param_id(request, 0),
                                                                   version, text, request_arena(request), &f, &errors);
    if (r == APP_OK)
        reply_json(request, 201, feedback_json(&f));
    else
        api_reply_result(request, r, &errors, "submission");
    errors_free(&errors);
    json_decref(body);
}

void api_submission_marks_create(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    struct arena *arena = request_arena(request);
    struct mark m = {.outcome = OUTCOME_PASS};
    const char *outcome = NULL;
    api_member_text(body, "outcome", &outcome, &errors);
    if (outcome == NULL || !mark_outcome_parse(outcome, &m.outcome))
        errors_add(&errors, "outcome", "Choose pass, refer or fail");
    api_member_text(body, "feedback", &m.feedback, &errors);
    json_t *criteria = json_object_get(body, "criteria");
    if (criteria != NULL && !json_is_array(criteria))
        errors_add(&errors, "criteria", "Give a list of {met, comment}, one for each criterion in order");
    else if (criteria != NULL) {
        m.criteria_count = json_array_size(criteria);
        m.criteria = arena_alloc(arena, sizeof(*m.criteria) * (m.criteria_count + 1));
        for (size_t i = 0; i < m.criteria_count; i++) {
            json_t *item = json_array_get(criteria, i);
            json_t *met = json_object_get(item, "met");
            const char *comment = NULL;
            if (!json_is_object(item) || !json_is_boolean(met)) {
                errors_add(&errors, "criteria", "Say whether criterion %zu is met (met: true or false)", i + 1);
                continue;
            }
            api_member_text(item, "comment", &comment, &errors);
            m.criteria[i] = (struct mark_criterion){json_is_true(met), comment ? comment : ""};
        }
    }
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result r = errors.count > 0
                            ? APP_INVALID
                            : assessment_mark(&env, request->caller, request_param_id(request, 0), &m, &errors);
    if (r == APP_OK) {
        struct assessment_task t;
        struct submission s;
        struct store *store = request->store;
        if (store_submission_get(store, request_param_id(request, 0), arena, &s) == STORE_OK &&
            store_task_get(store, s.task_id, arena, &t) == STORE_OK)
            reply_json(request, 201, mark_json(&m, &t));
        else
            api_reply_result(request, APP_UNAVAILABLE, &errors, "submission");
    } else {
        api_reply_result(request, r, &errors, "submission");
    }
    errors_free(&errors);
    json_decref(body);
}

void api_submission_release(struct request *request)
{
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct errors errors = ERRORS_INIT;
    int64_t id = request_param_id(request, 0);
    enum app_result r = assessment_release(&env, request->caller, id, &errors);
    if (r == APP_OK)
        reply_submission(request, 200, id);
    else
        api_reply_result(request, r, &errors, "submission");
    errors_free(&errors);
}

/* The marking queue */

void api_marking_queue(struct request *request)
{
    struct errors errors = ERRORS_INIT;
    struct store_page page;
    paging_read(request, CURSOR_NUMBER, &page, &errors);
    if (api_query_refused(request, &errors))
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct marking_queue_entry *entries;
    size_t count;
    enum app_result r =
        assessment_marking_queue(&env, request->caller, &page, request_arena(request), &entries, &count);
    if (r != APP_OK) {
        api_reply_result(request, r, NULL, "marking queue");
        return;
    }
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++) {
        const struct marking_item *it = &entries[i].item;
        json_array_append_new(
            array, json_pack("{s:I, s:I, s:i, s:s, s:o, s:o, s:o, s:b, s:o, s:b}", "submission_id",
                             (json_int_t)it->submission_id, "version_id", (json_int_t)it->version_id, "version",
                             it->version_number, "waiting_for", entries[i].moderation ? "moderator" : "assessor",
                             "task", task_ref_json(it->task_id, it->task_title, it->task_kind, it->task_target),
                             "participant", person_json(it->participant_id, it->participant_name), "submitted_at",
                             api_time_json(it->submitted_at), "late", it->late, "assessor",
                             it->assessor_id ? person_json(it->assessor_id, it->assessor_name) : json_null(),
                             "may_mark", entries[i].may_mark));
    }
    paging_link(request, &page);
    reply_json(request, 200, json_pack("{s:o}", "queue", array));
}
