/*
 * The content library and the course view as JSON: /api/v1/content (items, their versions, tags
 * and partners' local variants), /api/v1/content-units (a module's course), and per enrolment
 * /api/v1/enrolments/{id}/course (modules, units, items, what is done and next), opening and
 * marking an item, and the learning records as xAPI statements. Markdown travels as written with
 * its safe HTML beside it. The rules are applied in app/content.c.
 */
#include "api/api.h"

#include "app/content.h"
#include "http/file_reply.h"
#include "http/paging.h"
#include "http/reply.h"
#include "http/site.h"
#include "lib/file_type.h"
#include "lib/form.h"
#include "lib/markdown.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static json_t *html_json(const char *md)
{
    char *html = markdown_to_html(md, md ? strlen(md) : 0);
    json_t *j = json_string(html);
    free(html);
    return j;
}

static json_t *tags_json(const struct catalogue *catalogue, const struct content_item *item)
{
    json_t *tags = json_array();
    for (size_t i = 0; i < item->tag_count; i++) {
        struct content_tag tag;
        struct errors none = ERRORS_INIT;
        char prefix[64] = "";
        const char *text = content_tag_parse(catalogue, item->tags[i], &tag, &none, "tags")
                               ? content_tag_describe(catalogue, &tag, prefix, sizeof(prefix))
                               : NULL;
        errors_free(&none);
        json_array_append_new(tags, json_pack("{s:s, s:s, s:o}", "tag", item->tags[i], "label", prefix, "text",
                                              text ? json_string(text) : json_null()));
    }
    return tags;
}

static json_t *item_json(const struct catalogue *catalogue, const struct content_item *item)
{
    const struct content_version *v = &item->current;
    return json_pack("{s:I, s:s, s:s, s:i, s:s, s:s, s:o, s:s, s:s, s:s, s:i, s:s, s:s, s:o, s:o, s:o}", "id",
                     (json_int_t)item->id, "kind", content_kind_name(item->kind), "kind_title",
                     content_kind_title(item->kind), "version", v->version, "title", v->title, "body", v->body,
                     "body_html", html_json(v->body), "media_url", v->media_url, "captions_url", v->captions_url,
                     "transcript", v->transcript, "minutes", v->minutes, "change_note", v->change_note, "author",
                     v->author_name, "tags", tags_json(catalogue, item), "created_at", api_time_json(item->created_at),
                     "updated_at", api_time_json(item->updated_at));
}

static json_t *variant_json(const struct content_variant *v)
{
    return json_pack("{s:I, s:I, s:s, s:i, s:s, s:s, s:o, s:s, s:o}", "item_id", (json_int_t)v->item_id, "partner_id",
                     (json_int_t)v->partner_id, "partner_name", v->partner_name, "version", v->version, "title",
                     v->title, "body", v->body, "body_html", html_json(v->body), "change_note", v->change_note,
                     "updated_at", api_time_json(v->updated_at));
}

/* A file attached to an item, with the address it is served from (ranges and all). */
static json_t *content_file_json(const struct stored_file *f)
{
    char href[96];
    snprintf(href, sizeof(href), "/api/v1/content/%" PRId64 "/files/%" PRId64, f->record_id, f->id);
    const struct file_type *type = file_type_of_media_type(f->media_type);
    return json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:o, s:s}", "id", (json_int_t)f->id, "name", f->name,
                     "content_type", f->media_type, "kind", type ? file_kind_name(type->kind) : "document", "size",
                     (json_int_t)f->size, "sha256", f->sha256, "created_at", api_time_json(f->created_at), "href",
                     href);
}

static json_t *view_json(const struct catalogue *catalogue, const struct content_view *view)
{
    json_t *j = item_json(catalogue, &view->item);
    json_t *versions = json_array(), *variants = json_array();
    for (size_t i = 0; i < view->version_count; i++) {
        const struct content_version *v = &view->versions[i];
        json_array_append_new(versions, json_pack("{s:i, s:s, s:s, s:s, s:o}", "version", v->version, "title", v->title,
                                                  "change_note", v->change_note, "author", v->author_name, "created_at",
                                                  api_time_json(v->created_at)));
    }
    for (size_t i = 0; i < view->variant_count; i++)
        json_array_append_new(variants, variant_json(&view->variants[i]));
    json_object_set_new(j, "versions", versions);
    json_object_set_new(j, "variant", view->has_variant ? variant_json(&view->variant) : json_null());
    json_object_set_new(j, "variants", variants);
    json_t *files = json_array();
    for (size_t i = 0; i < view->file_count; i++)
        json_array_append_new(files, content_file_json(&view->files[i]));
    json_object_set_new(j, "files", files);
    return j;
}

/* Reads an item's members; false after replying 422 when one has the wrong type. tags point into
 * body, which the caller keeps. */
static bool read_change(struct request *request, json_t *body, struct content_change *c)
{
    memset(c, 0, sizeof(*c));
    c->kind = -1;
    struct errors errors = ERRORS_INIT;
    const char *kind = NULL;
    if (api_member_text(body, "kind", &kind, &errors) && kind != NULL) {
        enum content_kind k;
        /* An unknown kind is the rule's to refuse, with the other fields' problems. */
        c->kind = content_kind_parse(kind, &k) ? (int)k : CONTENT_KIND_COUNT;
    }
    api_member_text(body, "title", &c->title, &errors);
    api_member_text(body, "body", &c->body, &errors);
    api_member_text(body, "media_url", &c->media_url, &errors);
    api_member_text(body, "captions_url", &c->captions_url, &errors);
    api_member_text(body, "transcript", &c->transcript, &errors);
    api_member_text(body, "change_note", &c->change_note, &errors);
    int64_t minutes = 0;
    if (api_member_int(body, "minutes", &minutes, &errors)) {
        c->minutes = minutes > CONTENT_MINUTES_MAX ? CONTENT_MINUTES_MAX + 1 : (int)minutes;
        if (minutes == 0)
            c->minutes = -1; /* given as 0: refused by the rule, not taken for "keep" */
    }
    json_t *tags = json_object_get(body, "tags");
    if (tags != NULL && !json_is_null(tags)) {
        if (!json_is_array(tags))
            errors_add(&errors, "tags", "Must be a list of tags");
        else {
            size_t n = json_array_size(tags);
            const char **list = request_alloc(request, sizeof(*list) * (n + 1));
            for (size_t i = 0; i < n; i++) {
                json_t *t = json_array_get(tags, i);
                if (!json_is_string(t) || strlen(json_string_value(t)) != json_string_length(t)) {
                    errors_add(&errors, "tags", "Each tag must be text");
                    break;
                }
                list[i] = json_string_value(t);
            }
            c->tags = list;
            c->tag_count = n;
            c->has_tags = true;
        }
    }
    bool ok = errors.count == 0;
    if (!ok)
        api_reply_invalid(request, &errors);
    errors_free(&errors);
    return ok;
}

void api_content_list(struct request *request)
{
    const struct catalogue *catalogue = api_catalogue(request);
    if (catalogue == NULL)
        return;
    const struct form *query = request_query(request);
    const char *tag = form_get(query, "tag"), *q = form_get(query, "q");
    struct errors errors = ERRORS_INIT;
    struct store_page page;
    paging_read(request, CURSOR_NUMBER, &page, &errors);
    if (api_query_refused(request, &errors))
        return;
    struct content_item *items;
    size_t count;
    enum store_status s = store_content_list(request->store, tag, q, &page, request_arena(request), &items, &count);
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "content");
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < count; i++) {
        const struct content_version *v = &items[i].current;
        json_array_append_new(list,
                              json_pack("{s:I, s:s, s:s, s:i, s:s, s:i, s:o}", "id", (json_int_t)items[i].id, "kind",
                                        content_kind_name(items[i].kind), "kind_title",
                                        content_kind_title(items[i].kind), "version", v->version, "title", v->title,
                                        "minutes", v->minutes, "updated_at", api_time_json(items[i].updated_at)));
    }
    paging_link(request, &page);
    reply_json(request, 200, json_pack("{s:o}", "items", list));
}

void api_content_create(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    const struct catalogue *catalogue = api_catalogue(request);
    struct content_change change;
    if (catalogue == NULL || !read_change(request, body, &change)) {
        json_decref(body);
        return;
    }
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct content_item item;
    enum app_result r =
        content_create(&env, catalogue, request->caller, &change, request_arena(request), &item, &errors);
    if (r == APP_OK)
        reply_json(request, 201, item_json(catalogue, &item));
    else
        api_reply_result(request, r, &errors, "content item");
    errors_free(&errors);
    json_decref(body);
}

void api_content_get(struct request *request)
{
    const struct catalogue *catalogue = api_catalogue(request);
    if (catalogue == NULL)
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct content_view view;
    enum app_result r =
        content_read(&env, request->caller, request_param_id(request, 0), -1, request_arena(request), &view);
    if (r == APP_OK)
        reply_json(request, 200, view_json(catalogue, &view));
    else
        api_reply_result(request, r, NULL, "content item");
}

void api_content_update(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    const struct catalogue *catalogue = api_catalogue(request);
    struct content_change change;
    if (catalogue == NULL || !read_change(request, body, &change)) {
        json_decref(body);
        return;
    }
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct content_item item;
    enum app_result r = content_revise(&env, catalogue, request->caller, request_param_id(request, 0), &change,
                                       request_arena(request), &item, &errors);
    if (r == APP_OK)
        reply_json(request, 200, item_json(catalogue, &item));
    else
        api_reply_result(request, r, &errors, "content item");
    errors_free(&errors);
    json_decref(body);
}

void api_content_files_list(struct request *request)
{
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct stored_file *files;
    size_t count;
    enum app_result r = content_files(&env, request_param_id(request, 0), request_arena(request), &files, &count);
    if (r != APP_OK) {
        api_reply_result(request, r, NULL, "content item");
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(list, content_file_json(&files[i]));
    api_reply_page_of(request, json_pack("{s:o}", "files", list), "files", "id", CURSOR_ID);
}

void api_content_files_add(struct request *request)
{
    struct str entity = request_body(request);
    int64_t limit = request->settings->content_file_limit;
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct stored_file f;
    enum app_result r =
        content_file_attach(&env, request->caller, request_param_id(request, 0), api_file_name_header(request),
                            entity.ptr, entity.len, limit, request_arena(request), &f, &errors);
    if (r == APP_OK)
        reply_json(request, 201, content_file_json(&f));
    else
        api_reply_result(request, r, &errors, "content item");
    errors_free(&errors);
}

void api_content_file_get(struct request *request)
{
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct stored_file f;
    struct blob blob;
    int64_t file_id = request_param_id(request, 1);
    enum app_result r = file_id > 0
                            ? content_file_read(&env, request_param_id(request, 0), file_id, request_arena(request), &f)
                            : APP_NOT_FOUND;
    if (r == APP_OK)
        r = app_result_of_store(blob_get(request->store, f.blob_id, &blob));
    if (r != APP_OK) {
        api_reply_result(request, r, NULL, "file of this item");
        return;
    }
    /* Library material, the same for everyone who reads it: a browser keeps it and asks again
     * with its ETag, so a video's ranges are fetched once. */
    file_reply_blob(request, &blob, f.name, "private, no-cache");
}

void api_content_file_delete(struct request *request)
{
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct errors errors = ERRORS_INIT;
    int64_t file_id = request_param_id(request, 1);
    enum app_result r = file_id > 0
                            ? content_file_remove(&env, request->caller, request_param_id(request, 0), file_id, &errors)
                            : APP_NOT_FOUND;
    if (r == APP_OK)
        reply_body(request, 204, "text/plain; charset=utf-8", "", 0);
    else
        api_reply_result(request, r, &errors, "file of this item");
    errors_free(&errors);
}

void api_content_variant_get(struct request *request)
{
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct content_variant v;
    enum app_result r = content_variant_read(&env, request->caller, request_param_id(request, 0),
                                             request_param_id(request, 1), request_arena(request), &v);
    if (r == APP_OK)
        reply_json(request, 200, variant_json(&v));
    else
        api_reply_result(request, r, NULL, "local variant");
}

void api_content_variant_put(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    const char *title = NULL, *text = NULL, *note = NULL;
    api_member_text(body, "title", &title, &errors);
    api_member_text(body, "body", &text, &errors);
    api_member_text(body, "change_note", &note, &errors);
    if (errors.count > 0) {
        api_reply_invalid(request, &errors);
        errors_free(&errors);
        json_decref(body);
        return;
    }
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct content_variant v;
    enum app_result r =
        content_variant_save(&env, request->caller, request_param_id(request, 0), request_param_id(request, 1), title,
                             text, note, request_arena(request), &v, &errors);
    if (r == APP_OK)
        reply_json(request, 200, variant_json(&v));
    else
        api_reply_result(request, r, &errors, "content item or delivery partner");
    errors_free(&errors);
    json_decref(body);
}

void api_content_units_create(struct request *request)
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
    const char *module = NULL, *title = NULL;
    api_member_text(body, "module", &module, &errors);
    api_member_text(body, "title", &title, &errors);
    json_t *items = json_object_get(body, "items");
    size_t n = json_is_array(items) ? json_array_size(items) : 0;
    int64_t *ids = request_alloc(request, sizeof(*ids) * (n + 1));
    if (items != NULL && !json_is_array(items))
        errors_add(&errors, "items", "Must be a list of item ids");
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(items, i);
        if (!json_is_integer(v) || json_integer_value(v) <= 0) {
            errors_add(&errors, "items", "Each item is a content item's id");
            break;
        }
        ids[i] = (int64_t)json_integer_value(v);
    }
    int64_t id = 0;
    enum app_result r = APP_INVALID;
    if (errors.count == 0) {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        r = content_unit_add(&env, catalogue, request->caller, module, title, ids, n, &id, &errors);
    }
    if (r == APP_OK)
        reply_json(request, 201,
                   json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)id, "module", module, "title", title,
                             "item_count", (json_int_t)n));
    else
        api_reply_result(request, r, &errors, "content unit");
    errors_free(&errors);
    json_decref(body);
}

/* ---- The course view ---- */

static json_t *entry_json(const struct course_entry *e)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:i, s:i, s:b, s:b, s:b, s:o, s:o}", "item_id", (json_int_t)e->item.item_id,
                     "kind", content_kind_name(e->item.kind), "title", e->item.title, "module", e->module, "minutes",
                     e->item.minutes, "version", e->item.version, "local_variant", e->item.variant_version > 0, "done",
                     e->done && !e->outdated, "updated", e->outdated, "change_note",
                     e->outdated && e->change_note ? json_string(e->change_note) : json_null(), "completed_at",
                     api_time_json(e->completed_at));
}

static json_t *course_json(const struct course *course)
{
    json_t *modules = json_array();
    for (size_t m = 0; m < course->module_count; m++) {
        const struct course_module *cm = &course->modules[m];
        json_t *units = json_array();
        for (size_t u = 0; u < cm->unit_count; u++) {
            json_t *entries = json_array();
            for (size_t i = 0; i < cm->units[u].count; i++)
                json_array_append_new(entries, entry_json(&cm->units[u].entries[i]));
            json_array_append_new(units, json_pack("{s:I, s:i, s:s, s:o}", "id", (json_int_t)cm->units[u].unit->id,
                                                   "position", cm->units[u].unit->position, "title",
                                                   cm->units[u].unit->title, "items", entries));
        }
        json_array_append_new(modules, json_pack("{s:s, s:s, s:i, s:i, s:f, s:i, s:o}", "module", cm->module->code,
                                                 "title", cm->module->title, "minutes", cm->minutes, "minutes_done",
                                                 cm->minutes_done, "hours_logged", (double)cm->logged_quarter_hours / 4,
                                                 "hours_cap", cm->hours_cap, "units", units));
    }
    const struct enrolment *e = &course->enrolment;
    return json_pack("{s:I, s:{s:I, s:s}, s:s, s:b, s:I, s:I, s:o, s:o}", "enrolment_id", (json_int_t)e->id,
                     "participant", "id", (json_int_t)e->participant_id, "name", e->participant_name, "target",
                     e->target, "read_only", course->read_only, "items", (json_int_t)course->items, "items_done",
                     (json_int_t)course->items_done, "next", course->next ? entry_json(course->next) : json_null(),
                     "modules", modules);
}

void api_course_get(struct request *request)
{
    const struct catalogue *catalogue = api_catalogue(request);
    if (catalogue == NULL)
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct course course;
    enum app_result r = course_read(&env, catalogue, request_param_id(request, 0), request_arena(request), &course);
    if (r == APP_OK)
        reply_json(request, 200, course_json(&course));
    else
        api_reply_result(request, r, NULL, "enrolment");
}

void api_course_item_get(struct request *request)
{
    const struct catalogue *catalogue = api_catalogue(request);
    if (catalogue == NULL)
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct course course;
    struct content_view view;
    const struct course_entry *entry = NULL;
    int64_t item_id = request_param_id(request, 1);
    enum app_result r = item_id > 0 ? course_item_open(&env, catalogue, request->caller, request_param_id(request, 0),
                                                       item_id, request_arena(request), &course, &view, &entry)
                                    : APP_NOT_FOUND;
    if (r != APP_OK) {
        api_reply_result(request, r, NULL, "item in this course");
        return;
    }
    const struct course_entry *after = course_after(&course, entry);
    json_t *j = view_json(catalogue, &view);
    json_object_set_new(j, "course", entry_json(entry));
    json_object_set_new(j, "next", after ? entry_json(after) : json_null());
    reply_json(request, 200, j);
}

void api_course_item_done(struct request *request)
{
    const struct catalogue *catalogue = api_catalogue(request);
    if (catalogue == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct course_hours_offer offer;
    int64_t enrolment_id = request_param_id(request, 0), item_id = request_param_id(request, 1);
    enum app_result r = item_id > 0 ? course_item_done(&env, catalogue, request->caller, enrolment_id, item_id,
                                                       request_arena(request), &offer, &errors)
                                    : APP_NOT_FOUND;
    if (r == APP_OK)
        /* The entry the hours log would take, to POST to .../activities as it is, or changed. */
        reply_json(request, 200,
                   json_pack("{s:I, s:I, s:b, s:{s:s, s:s, s:s, s:f}}", "enrolment_id", (json_int_t)enrolment_id,
                             "item_id", (json_int_t)item_id, "done", 1, "suggested_activity", "module", offer.module,
                             "type", delivery_activity_name(offer.type), "done_on", offer.done_on, "hours",
                             (double)offer.quarter_hours / 4));
    else
        api_reply_result(request, r, &errors, "item in this course");
    errors_free(&errors);
}

void api_learning_records(struct request *request)
{
    struct errors errors = ERRORS_INIT;
    struct store_page page;
    paging_read(request, CURSOR_ID, &page, &errors);
    if (api_query_refused(request, &errors))
        return;
    struct learning_record *records;
    size_t count;
    enum store_status s = store_learning_records(request->store, request_param_id(request, 0), &page,
                                                 request_arena(request), &records, &count);
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "enrolment");
        return;
    }
    /* Each row as the xAPI statement it is. */
    json_t *statements = json_array();
    for (size_t i = 0; i < count; i++) {
        const struct learning_record *r = &records[i];
        json_t *result = json_object();
        if (r->result_completion >= 0)
            json_object_set_new(result, "completion", json_boolean(r->result_completion));
        if (r->result_duration_seconds >= 0)
            json_object_set_new(result, "duration",
                                json_string(request_printf(request, "PT%dS", r->result_duration_seconds)));
        json_array_append_new(
            statements,
            json_pack("{s:I, s:{s:s, s:s, s:s}, s:{s:s}, s:{s:s, s:s, s:{s:s, s:{s:s}}}, s:o, s:o, s:{s:I, s:o}}", "id",
                      (json_int_t)r->id, "actor", "objectType", "Agent", "name", r->actor_name, "mbox",
                      request_printf(request, "mailto:%s", r->actor_email), "verb", "id", learning_verb_iri(r->verb),
                      "object", "objectType", "Activity", "id",
                      request_printf(request, "urn:npq:content:%" PRId64 ":%d", r->object_id, r->object_version),
                      "definition", "type", "http://adlnet.gov/expapi/activities/lesson", "name", "en-GB",
                      r->object_title, "timestamp", api_time_json(r->timestamp), "result", result, "context",
                      "enrolment_id", (json_int_t)r->enrolment_id, "module",
                      r->module ? json_string(r->module) : json_null()));
    }
    paging_link(request, &page);
    reply_json(request, 200, json_pack("{s:o}", "statements", statements));
}
