/*
 * The content library's use cases (content.h). The catalogue checks tags here, once, so the store
 * keeps only their written forms; what a person sees of an item (which partner's variant) is
 * decided here too, from their roles and enrolments, never by the page or the API.
 */
#include "app/content.h"

#include "app/coaching.h"
#include "app/files.h"
#include "app/progress.h"
#include "lib/date.h"
#include "lib/text.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

enum { COURSE_MODULES_MAX = 64 };

static bool is_admin(const struct caller *caller)
{
    return caller_has(caller, ROLE_ADMIN);
}

/* Checks the tags and gives their written forms in arena. */
static const char **tags_checked(const struct catalogue *catalogue, const struct content_change *change,
                                 struct arena *arena, struct errors *errors)
{
    if (change->tag_count > CONTENT_TAGS_MAX) {
        errors_add(errors, "tags", "An item can have at most %d tags", CONTENT_TAGS_MAX);
        return NULL;
    }
    const char **out = arena_alloc(arena, sizeof(*out) * (change->tag_count + 1));
    for (size_t i = 0; i < change->tag_count; i++) {
        struct content_tag tag;
        char text[CONTENT_TAG_MAX + 8];
        if (!content_tag_parse(catalogue, change->tags[i], &tag, errors, "tags"))
            return NULL;
        content_tag_format(&tag, text, sizeof(text));
        out[i] = arena_strdup(arena, text);
    }
    return out;
}

static void input_of(const struct content_change *change, const struct content_version *was, int was_kind,
                     struct content_input *in)
{
    in->kind = change->kind >= 0 ? (enum content_kind)change->kind : (enum content_kind)was_kind;
    in->title = change->title ? change->title : was ? was->title : NULL;
    in->body = change->body ? change->body : was ? was->body : NULL;
    in->media_url = change->media_url ? change->media_url : was ? was->media_url : NULL;
    in->captions_url = change->captions_url ? change->captions_url : was ? was->captions_url : NULL;
    in->transcript = change->transcript ? change->transcript : was ? was->transcript : NULL;
    in->minutes = change->minutes != 0 ? change->minutes : was ? was->minutes : 0;
    in->change_note = change->change_note;
}

static enum app_result refuse_writer(const struct caller *caller, struct errors *errors)
{
    if (is_admin(caller))
        return APP_OK;
    errors_add(errors, "id", "Only the provider's administrators write the content library");
    return APP_FORBIDDEN;
}

enum app_result content_create(const struct accounts_env *env, const struct catalogue *catalogue,
                               const struct caller *caller, const struct content_change *change, struct arena *arena,
                               struct content_item *out, struct errors *errors)
{
    enum app_result result = refuse_writer(caller, errors);
    if (result != APP_OK)
        return result;
    struct content_input in;
    input_of(change, NULL, change->kind >= 0 ? change->kind : CONTENT_KIND_COUNT, &in);
    size_t before = errors->count;
    content_input_check(&in, false, errors);
    const char **tags = tags_checked(catalogue, change, arena, errors);
    if (errors->count > before)
        return APP_INVALID;
    int64_t id = 0;
    result =
        app_result_of_store(store_content_create(env->store, env->actor, &in, tags, change->tag_count, env->now, &id));
    if (result == APP_OK)
        result = app_result_of_store(store_content_get(env->store, id, arena, out));
    return result;
}

enum app_result content_revise(const struct accounts_env *env, const struct catalogue *catalogue,
                               const struct caller *caller, int64_t id, const struct content_change *change,
                               struct arena *arena, struct content_item *out, struct errors *errors)
{
    enum app_result result = refuse_writer(caller, errors);
    if (result != APP_OK)
        return result;
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    struct content_item was;
    result = app_result_of_store(store_content_get(env->store, id, arena, &was));
    struct content_input in;
    const char **tags = NULL;
    if (result == APP_OK) {
        input_of(change, &was.current, (int)was.kind, &in);
        size_t before = errors->count;
        content_input_check(&in, true, errors);
        if (change->has_tags)
            tags = tags_checked(catalogue, change, arena, errors);
        if (errors->count > before)
            result = APP_INVALID;
    }
    int version = 0;
    if (result == APP_OK)
        result = app_result_of_store(store_content_revise(
            env->store, env->actor, id, &in, change->has_tags ? tags : NULL, change->tag_count, env->now, &version));
    if (result == APP_OK)
        result = app_result_of_store(store_content_get(env->store, id, arena, out));
    return app_transaction_end(env->store, result);
}

/* Files */

static const char CONTENT_RECORD[] = "content_item";

enum app_result content_file_attach(const struct accounts_env *env, const struct caller *caller, int64_t item_id,
                                    const char *name, const void *data, size_t len, int64_t limit, struct arena *arena,
                                    struct stored_file *out, struct errors *errors)
{
    enum app_result result = refuse_writer(caller, errors);
    if (result != APP_OK)
        return result;
    if (!files_name_ok(name)) {
        errors_add(errors, "name",
                   "Name the file (in the X-File-Name header through the API): %d bytes or fewer, without slashes, "
                   "control characters or marks that change the direction of text",
                   FILE_NAME_MAX);
        return APP_INVALID;
    }
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    struct content_item item;
    result = app_result_of_store(store_content_get(env->store, item_id, arena, &item));
    if (result == APP_OK) {
        struct stored_file *files;
        size_t count;
        result = app_result_of_store(store_files_of(env->store, CONTENT_RECORD, item_id, arena, &files, &count));
        if (result == APP_OK && count >= CONTENT_FILES_MAX) {
            errors_add(errors, "file", "An item can have at most %d files. Remove one first", CONTENT_FILES_MAX);
            result = APP_INVALID;
        }
    }
    /* Everything a library offers: handouts and templates, pictures, recordings and films. */
    const struct file_use use = {"for the content library", FILE_KINDS_ALL, limit};
    struct blob blob;
    const struct file_type *type = NULL;
    if (result == APP_OK)
        result = files_keep(env, &use, name, data, len, &blob, &type, errors);
    if (result == APP_OK) {
        *out = (struct stored_file){.blob_id = blob.id,
                                    .record_kind = CONTENT_RECORD,
                                    .record_id = item_id,
                                    .name = arena_strdup(arena, name),
                                    .media_type = type->media_type,
                                    .size = blob.size,
                                    .sha256 = arena_strdup(arena, blob.sha256),
                                    .created_by = env->actor ? env->actor->user_id : 0};
        result = app_result_of_store(store_file_add(env->store, env->actor, out, env->now));
    }
    return app_transaction_end(env->store, result);
}

enum app_result content_file_read(const struct accounts_env *env, int64_t item_id, int64_t file_id, struct arena *arena,
                                  struct stored_file *out)
{
    enum app_result result = app_result_of_store(store_file_get(env->store, file_id, arena, out));
    if (result == APP_OK && (strcmp(out->record_kind, CONTENT_RECORD) != 0 || out->record_id != item_id))
        result = APP_NOT_FOUND; /* a file of another record is not this item's, whoever may read it */
    return result;
}

enum app_result content_file_remove(const struct accounts_env *env, const struct caller *caller, int64_t item_id,
                                    int64_t file_id, struct errors *errors)
{
    enum app_result result = refuse_writer(caller, errors);
    if (result != APP_OK)
        return result;
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    struct arena arena = ARENA_INIT;
    struct stored_file f;
    result = content_file_read(env, item_id, file_id, &arena, &f);
    if (result == APP_OK)
        result = app_result_of_store(store_file_delete(env->store, env->actor, file_id, env->now));
    arena_release(&arena);
    return app_transaction_end(env->store, result);
}

enum app_result content_files(const struct accounts_env *env, int64_t item_id, struct arena *arena,
                              struct stored_file **out, size_t *count)
{
    return app_result_of_store(store_files_of(env->store, CONTENT_RECORD, item_id, arena, out, count));
}

/* The delivery partners caller holds a role at. */
static bool caller_at_partner(const struct caller *caller, int64_t partner_id)
{
    for (size_t i = 0; caller != NULL && partner_id > 0 && i < caller->grant_count; i++)
        if (caller->grants[i].organisation_id == partner_id)
            return true;
    return false;
}

bool content_may_write_variant(const struct caller *caller, int64_t partner_id)
{
    if (is_admin(caller))
        return true;
    for (size_t i = 0; caller != NULL && partner_id > 0 && i < caller->grant_count; i++)
        if (caller->grants[i].role == ROLE_PARTNER_LEAD && caller->grants[i].organisation_id == partner_id)
            return true;
    return false;
}

/* The partner lead's own partner, for the variants they manage; 0 when they lead none. */
static int64_t led_partner(const struct caller *caller)
{
    for (size_t i = 0; caller != NULL && i < caller->grant_count; i++)
        if (caller->grants[i].role == ROLE_PARTNER_LEAD && caller->grants[i].organisation_id > 0)
            return caller->grants[i].organisation_id;
    return 0;
}

enum app_result content_read(const struct accounts_env *env, const struct caller *caller, int64_t id,
                             int64_t partner_id, struct arena *arena, struct content_view *out)
{
    memset(out, 0, sizeof(*out));
    enum app_result result = app_result_of_store(store_content_get(env->store, id, arena, &out->item));
    if (result == APP_OK)
        result =
            app_result_of_store(store_content_versions(env->store, id, arena, &out->versions, &out->version_count));
    if (result == APP_OK && partner_id < 0)
        result =
            app_result_of_store(store_content_person_partner(env->store, caller ? caller->user_id : 0, &partner_id));
    if (result == APP_OK && partner_id > 0) {
        out->partner_id = partner_id;
        enum store_status s = store_content_variant_get(env->store, id, partner_id, arena, &out->variant);
        out->has_variant = s == STORE_OK;
        if (s != STORE_OK && s != STORE_NOT_FOUND)
            result = APP_UNAVAILABLE;
    }
    if (result == APP_OK)
        result = content_files(env, id, arena, &out->files, &out->file_count);
    int64_t managed = is_admin(caller) ? 0 : led_partner(caller);
    if (result == APP_OK && (is_admin(caller) || managed > 0))
        result = app_result_of_store(
            store_content_variants(env->store, id, managed, arena, &out->variants, &out->variant_count));
    return result;
}

enum app_result content_variant_read(const struct accounts_env *env, const struct caller *caller, int64_t item_id,
                                     int64_t partner_id, struct arena *arena, struct content_variant *out)
{
    bool allowed = is_admin(caller) || caller_at_partner(caller, partner_id);
    if (!allowed && caller != NULL) {
        int64_t own = 0;
        if (store_content_person_partner(env->store, caller->user_id, &own) != STORE_OK)
            return APP_UNAVAILABLE;
        allowed = own == partner_id;
    }
    if (!allowed)
        return APP_NOT_FOUND; /* another partner's variant is refused as if it did not exist */
    return app_result_of_store(store_content_variant_get(env->store, item_id, partner_id, arena, out));
}

enum app_result content_variant_save(const struct accounts_env *env, const struct caller *caller, int64_t item_id,
                                     int64_t partner_id, const char *title, const char *body, const char *change_note,
                                     struct arena *arena, struct content_variant *out, struct errors *errors)
{
    if (!content_may_write_variant(caller, partner_id)) {
        errors_add(errors, "partner", "Only the partner's lead, or an administrator, writes its local variants");
        return APP_FORBIDDEN;
    }
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    struct content_variant was;
    enum store_status s = store_content_variant_get(env->store, item_id, partner_id, arena, &was);
    enum app_result result = s == STORE_OK || s == STORE_NOT_FOUND ? APP_OK : APP_UNAVAILABLE;
    if (result == APP_OK && !content_variant_check(title, body, change_note, s == STORE_OK, errors))
        result = APP_INVALID;
    int version = 0;
    if (result == APP_OK)
        result = app_result_of_store(store_content_variant_save(env->store, env->actor, item_id, partner_id, title,
                                                                body, change_note, env->now, &version));
    if (result == APP_OK)
        result = app_result_of_store(store_content_variant_get(env->store, item_id, partner_id, arena, out));
    return app_transaction_end(env->store, result);
}

enum app_result content_unit_add(const struct accounts_env *env, const struct catalogue *catalogue,
                                 const struct caller *caller, const char *module, const char *title,
                                 const int64_t *items, size_t item_count, int64_t *id, struct errors *errors)
{
    enum app_result result = refuse_writer(caller, errors);
    if (result != APP_OK)
        return result;
    size_t before = errors->count;
    const struct catalogue_module *m = module ? catalogue_module_find(catalogue, module, strlen(module)) : NULL;
    if (m == NULL)
        errors_add(errors, "module", "Choose a module of the catalogue");
    if (!text_has_words(title))
        errors_add(errors, "title", "Enter the unit's title");
    else if (text_characters(title) > CONTENT_TITLE_MAX || !text_is_one_line(title))
        errors_add(errors, "title", "The title must be one line of %d characters or fewer", CONTENT_TITLE_MAX);
    if (item_count == 0 || item_count > CONTENT_UNIT_ITEMS_MAX)
        errors_add(errors, "items", "A unit has 1 to %d items", CONTENT_UNIT_ITEMS_MAX);
    for (size_t i = 0; i < item_count; i++)
        for (size_t j = 0; j < i; j++)
            if (items[i] == items[j]) {
                errors_add(errors, "items", "Item %lld is named twice", (long long)items[i]);
                i = item_count;
                break;
            }
    if (errors->count > before)
        return APP_INVALID;
    /* The course's new items are expected of everyone studying the module, in the same commit. */
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    enum store_status s =
        store_content_unit_create(env->store, env->actor, m->code, title, items, item_count, env->now, id);
    if (s == STORE_NOT_FOUND)
        errors_add(errors, "items", "Every item must be in the content library");
    result = s == STORE_NOT_FOUND ? APP_INVALID : app_result_of_store(s);
    if (result == APP_OK)
        result = progress_refresh_scope(env, PROGRESS_OF_MODULE, 0, m->code);
    return app_transaction_end(env->store, result);
}

/* ---- The course view ---- */

static const struct content_completion *completion_of(const struct content_completion *list, size_t count,
                                                      int64_t item_id)
{
    for (size_t i = 0; i < count; i++)
        if (list[i].item_id == item_id)
            return &list[i];
    return NULL;
}

/* The newest note of what changed: the variant's when it moved on, else the item's. */
static const char *change_note_of(const struct accounts_env *env, int64_t partner_id, const struct course_entry *e,
                                  const struct content_completion *c, struct arena *arena)
{
    if (e->item.variant_version > c->variant_version) {
        struct content_variant v;
        if (store_content_variant_get(env->store, e->item.item_id, partner_id, arena, &v) == STORE_OK && *v.change_note)
            return v.change_note;
    }
    struct content_item item;
    if (store_content_get(env->store, e->item.item_id, arena, &item) == STORE_OK)
        return item.current.change_note;
    return "";
}

enum app_result course_read(const struct accounts_env *env, const struct catalogue *catalogue, int64_t enrolment_id,
                            struct arena *arena, struct course *out)
{
    memset(out, 0, sizeof(*out));
    struct activity_log log;
    enum app_result result = activities_read(env, catalogue, enrolment_id, NULL, arena, &log);
    if (result != APP_OK)
        return result;
    out->enrolment = log.enrolment;
    out->read_only = log.read_only;
    const struct catalogue_module *modules[COURSE_MODULES_MAX];
    size_t module_count = activities_modules(catalogue, &out->enrolment, modules, COURSE_MODULES_MAX);
    const char **codes = arena_alloc(arena, sizeof(*codes) * (module_count + 1));
    for (size_t i = 0; i < module_count; i++)
        codes[i] = modules[i]->code;
    struct course_unit *units;
    size_t unit_count;
    struct content_completion *done;
    size_t done_count;
    int64_t partner = out->enrolment.cohort_partner_id;
    if (store_course_units(env->store, codes, module_count, partner, arena, &units, &unit_count) != STORE_OK ||
        store_content_completions(env->store, enrolment_id, arena, &done, &done_count) != STORE_OK)
        return APP_UNAVAILABLE;

    out->modules = arena_alloc(arena, sizeof(*out->modules) * (module_count + 1));
    out->module_count = module_count;
    for (size_t m = 0; m < module_count; m++) {
        struct course_module *cm = &out->modules[m];
        memset(cm, 0, sizeof(*cm));
        cm->module = modules[m];
        cm->hours_cap = modules[m]->hours_cap > 0 ? modules[m]->hours_cap : CATALOGUE_DEFAULT_HOURS_CAP;
        for (size_t t = 0; t < log.module_count; t++)
            if (log.modules[t].module == modules[m])
                cm->logged_quarter_hours = log.modules[t].quarter_hours;
        size_t n = 0;
        for (size_t u = 0; u < unit_count; u++)
            n += strcasecmp(units[u].module, codes[m]) == 0;
        cm->units = arena_alloc(arena, sizeof(*cm->units) * (n + 1));
        for (size_t u = 0; u < unit_count; u++) {
            if (strcasecmp(units[u].module, codes[m]) != 0)
                continue;
            struct course_unit_view *uv = &cm->units[cm->unit_count++];
            uv->unit = &units[u];
            uv->count = units[u].item_count;
            uv->entries = arena_alloc(arena, sizeof(*uv->entries) * (uv->count + 1));
            for (size_t i = 0; i < uv->count; i++) {
                struct course_entry *e = &uv->entries[i];
                memset(e, 0, sizeof(*e));
                e->item = units[u].items[i];
                e->module = codes[m];
                const struct content_completion *c = completion_of(done, done_count, e->item.item_id);
                if (c != NULL) {
                    e->done = true;
                    e->completed_at = c->completed_at;
                    e->outdated = content_completion_outdated(c->item_version, c->variant_version, e->item.version,
                                                              e->item.variant_version);
                    if (e->outdated)
                        e->change_note = change_note_of(env, partner, e, c, arena);
                }
                cm->minutes += e->item.minutes;
                out->items++;
                if (e->done && !e->outdated) {
                    cm->minutes_done += e->item.minutes;
                    out->items_done++;
                } else if (out->next == NULL)
                    out->next = e;
            }
        }
    }
    return APP_OK;
}

const struct course_entry *course_find(const struct course *course, int64_t item_id)
{
    for (size_t m = 0; m < course->module_count; m++)
        for (size_t u = 0; u < course->modules[m].unit_count; u++)
            for (size_t i = 0; i < course->modules[m].units[u].count; i++)
                if (course->modules[m].units[u].entries[i].item.item_id == item_id)
                    return &course->modules[m].units[u].entries[i];
    return NULL;
}

const struct course_entry *course_after(const struct course *course, const struct course_entry *entry)
{
    bool found = false;
    for (size_t m = 0; m < course->module_count; m++)
        for (size_t u = 0; u < course->modules[m].unit_count; u++)
            for (size_t i = 0; i < course->modules[m].units[u].count; i++) {
                const struct course_entry *e = &course->modules[m].units[u].entries[i];
                if (found)
                    return e;
                found = e == entry;
            }
    return NULL;
}

enum app_result course_item_open(const struct accounts_env *env, const struct catalogue *catalogue,
                                 const struct caller *caller, int64_t enrolment_id, int64_t item_id,
                                 struct arena *arena, struct course *course, struct content_view *view,
                                 const struct course_entry **entry)
{
    enum app_result result = course_read(env, catalogue, enrolment_id, arena, course);
    if (result != APP_OK)
        return result;
    *entry = course_find(course, item_id);
    if (*entry == NULL)
        return APP_NOT_FOUND;
    result = content_read(env, caller, item_id, course->enrolment.cohort_partner_id, arena, view);
    if (result != APP_OK || caller == NULL || caller->user_id != course->enrolment.participant_id)
        return result;
    /* The participant opened it: one statement, in a transaction of its own. */
    struct learning_record record = {.actor_id = caller->user_id,
                                     .verb = LEARNING_EXPERIENCED,
                                     .object_id = item_id,
                                     .object_version = view->item.current.version,
                                     .enrolment_id = enrolment_id,
                                     .module = (*entry)->module,
                                     .timestamp = env->now,
                                     .result_completion = -1,
                                     .result_duration_seconds = -1};
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    return app_transaction_end(env->store, app_result_of_store(store_learning_record_add(env->store, &record)));
}

enum app_result course_item_done(const struct accounts_env *env, const struct catalogue *catalogue,
                                 const struct caller *caller, int64_t enrolment_id, int64_t item_id,
                                 struct arena *arena, struct course_hours_offer *offer, struct errors *errors)
{
    memset(offer, 0, sizeof(*offer));
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    struct course course;
    enum app_result result = course_read(env, catalogue, enrolment_id, arena, &course);
    const struct course_entry *e = result == APP_OK ? course_find(&course, item_id) : NULL;
    if (result == APP_OK && (caller == NULL || caller->user_id != course.enrolment.participant_id)) {
        errors_add(errors, "id", "Only the participant marks their own learning as done");
        result = APP_FORBIDDEN;
    } else if (result == APP_OK && course.read_only) {
        errors_add(errors, "state", "This enrolment was withdrawn: its course can be read but not marked");
        result = APP_CONFLICT;
    } else if (result == APP_OK && e == NULL)
        result = APP_NOT_FOUND;
    if (result == APP_OK) {
        struct content_completion c = {.item_id = item_id,
                                       .item_version = e->item.version,
                                       .variant_version = e->item.variant_version,
                                       .completed_at = env->now};
        struct learning_record record = {.actor_id = caller->user_id,
                                         .verb = LEARNING_COMPLETED,
                                         .object_id = item_id,
                                         .object_version = e->item.version,
                                         .enrolment_id = enrolment_id,
                                         .module = e->module,
                                         .timestamp = env->now,
                                         .result_completion = 1,
                                         .result_duration_seconds = e->item.minutes * 60};
        result = app_result_of_store(store_content_complete(env->store, env->actor, enrolment_id, &c, &record));
    }
    if (result == APP_OK)
        result = progress_refresh(env, enrolment_id);
    if (result == APP_OK) {
        offer->module = e->module;
        offer->type = content_activity_of(e->item.kind);
        offer->quarter_hours = content_suggested_quarter_hours(e->item.minutes);
        date_of(env->now + date_uk_offset(env->now), offer->done_on);
    }
    return app_transaction_end(env->store, result);
}
