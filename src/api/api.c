#include "api/api.h"

#include "http/reply.h"
#include "http/executor.h"
#include "http/paging.h"
#include "http/site.h"
#include "lib/date.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const struct catalogue *api_catalogue(struct request *request)
{
    const struct catalogue *catalogue = request_catalogue(request);
    if (catalogue == NULL)
        api_reply_reason(request, APP_UNAVAILABLE, "The catalogue cannot be read right now. Try again shortly.");
    return catalogue;
}

void api_reply_catalogue(struct request *request, const char *key, api_builder build, const void *arg,
                         const char *not_found)
{
    const struct catalogue *catalogue = api_catalogue(request);
    if (catalogue == NULL)
        return;
    struct response_cache *cache = &request->executor->cache;
    const struct cached_response *cached = response_cache_get(cache, key);
    if (cached == NULL) {
        json_t *document = build(catalogue, arg);
        if (document == NULL) {
            api_reply_reason(request, APP_NOT_FOUND, "%s", not_found);
            return;
        }
        char *body = json_dumps(document, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(document);
        cached = response_cache_put(cache, key, body, strlen(body), "application/json; charset=utf-8",
                                    "public, max-age=0, must-revalidate");
        free(body);
    }
    reply_cached(request, cached);
}

json_t *api_level_json(const struct catalogue *catalogue, int number)
{
    /* A qualification outside the 2012 levels has none. */
    if (number == 0)
        return json_null();
    const struct catalogue_level *level = catalogue_level_find(catalogue, number);
    return json_pack("{s:i, s:s}", "number", number, "title", level ? level->title : "");
}

json_t *api_module_summary_json(const struct catalogue_module *module)
{
    char href[256];
    snprintf(href, sizeof(href), "/api/v1/modules/%s", module->code);
    return json_pack("{s:s, s:s, s:s, s:i, s:i, s:s}", "code", module->code, "title", module->title, "strand",
                     module->strand, "level", module->level, "hours_cap", module->hours_cap, "href", href);
}

enum { API_MAX_BODY = 1024 * 1024 };

json_t *api_read_object(struct request *request)
{
    struct str type = request_header(request, H2O_TOKEN_CONTENT_TYPE);
    struct str entity = request_body(request);
    if (!str_starts_with(type, STR_LIT("application/json"))) {
        reply_error(request, 415, "unsupported_media_type", "Send the body as application/json.");
        return NULL;
    }
    if (entity.len > API_MAX_BODY) {
        reply_error(request, 413, "too_large", "The body must be 1 MiB or smaller.");
        return NULL;
    }
    json_error_t err;
    json_t *body = json_loadb(entity.ptr, entity.len, 0, &err);
    if (body == NULL) {
        reply_error(request, 400, "bad_json", "The body is not valid JSON: %s (line %d, column %d).", err.text,
                    err.line, err.column);
        return NULL;
    }
    if (!json_is_object(body)) {
        json_decref(body);
        reply_error(request, 400, "bad_json", "The body must be a JSON object.");
        return NULL;
    }
    return body;
}

json_t *api_time_json(int64_t seconds)
{
    if (seconds == 0)
        return json_null();
    char text[DATE_UTC_TEXT];
    date_format_utc(seconds, text);
    return json_string(text);
}

/* The one JSON error envelope: {"error":{"status":S,"code":C,"message":M,"fields":[...]}}, with
 * fields (each {"field","message"}) when given and detail's members (stolen) after them. */
static void reply_envelope(struct request *request, int status, const char *code, const char *message,
                           const struct errors *fields, json_t *detail)
{
    json_t *error = json_pack("{s:i, s:s, s:s}", "status", status, "code", code, "message", message);
    if (error != NULL && fields != NULL) {
        json_t *list = json_array();
        for (size_t i = 0; i < fields->count; i++)
            json_array_append_new(
                list, json_pack("{s:s, s:s}", "field", fields->items[i].where, "message", fields->items[i].message));
        json_object_set_new(error, "fields", list);
    }
    if (error != NULL && json_is_object(detail))
        json_object_update(error, detail);
    json_decref(detail);
    reply_json(request, status, error != NULL ? json_pack("{s:o}", "error", error) : NULL);
}

/* A reason as a sentence: the use cases' reasons mostly leave off the full stop. */
static const char *sentence(struct request *request, const char *text)
{
    size_t len = strlen(text);
    if (len == 0 || strchr(".?!", text[len - 1]) != NULL)
        return text;
    return request_printf(request, "%s.", text);
}

void api_reply_result(struct request *request, enum app_result result, const struct errors *errors, const char *what)
{
    api_reply_result_detail(request, result, errors, what, NULL);
}

void api_reply_result_detail(struct request *request, enum app_result result, const struct errors *errors,
                             const char *what, json_t *detail)
{
    const char *first = errors != NULL && errors->count > 0 ? errors->items[0].message : NULL;
    const char *thing = what != NULL ? what : "record";
    int status = 500;
    const char *message = NULL;
    const struct errors *fields = NULL;
    switch (result) {
    case APP_INVALID:
        status = 422;
        message = first ? first : "The request is not valid.";
        fields = errors;
        break;
    case APP_BAD_REQUEST:
        status = 400;
        message = first ? first : "The request is not well formed.";
        fields = errors;
        break;
    case APP_UNAUTHENTICATED:
        status = 401;
        message = first ? sentence(request, first) : "Sign in, or send an API token, to use this.";
        break;
    case APP_FORBIDDEN:
        status = 403;
        message = first ? sentence(request, first) : "You do not have permission to do this.";
        break;
    case APP_NOT_FOUND:
        status = 404;
        message = first ? sentence(request, first) : request_printf(request, "There is no such %s.", thing);
        break;
    case APP_CONFLICT:
        status = 409;
        message = first ? sentence(request, first)
                        : request_printf(request, "That conflicts with the %s as it is now.", thing);
        break;
    case APP_TOO_LARGE:
        status = 413;
        message = first ? first : "The upload is too large.";
        fields = errors;
        break;
    case APP_TOO_MANY:
        status = 429;
        message = first ? sentence(request, first) : "There have been too many attempts. Wait a while and try again.";
        break;
    case APP_UNAVAILABLE:
        status = 503;
        message = first ? sentence(request, first) : "The database could not complete this. Try again shortly.";
        break;
    case APP_OK: /* a handler that replies with an error for a success is itself the bug */
        app_broken("a successful result was answered as an error");
        break;
    case APP_BROKEN: message = first ? sentence(request, first) : NULL; break;
    }
    if (message == NULL)
        message = "Sorry, there is a problem with the service. Try again later.";
    reply_envelope(request, status, app_result_code(status == 500 ? APP_BROKEN : result), message, fields, detail);
}

void api_reply_reason(struct request *request, enum app_result result, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    struct errors errors = ERRORS_INIT;
    errors_add(&errors, "request", "%s", message);
    api_reply_result(request, result, &errors, NULL);
    errors_free(&errors);
}

void api_reply_invalid(struct request *request, const struct errors *errors)
{
    api_reply_result(request, APP_INVALID, errors, NULL);
}

void api_reply_store_status(struct request *request, enum store_status status, const char *what)
{
    api_reply_result(request, app_result_of_store(status), NULL, what);
}

bool api_string_member(struct request *request, json_t *object, const char *key, const char **out)
{
    json_t *value = json_object_get(object, key);
    *out = NULL;
    if (value == NULL || json_is_null(value))
        return true;
    if (!json_is_string(value) || strlen(json_string_value(value)) != json_string_length(value)) {
        struct errors errors = ERRORS_INIT;
        errors_add(&errors, key, "Must be a string");
        api_reply_invalid(request, &errors);
        errors_free(&errors);
        return false;
    }
    *out = json_string_value(value);
    return true;
}

bool api_query_refused(struct request *request, struct errors *errors)
{
    if (errors->count == 0)
        return false;
    api_reply_result(request, APP_BAD_REQUEST, errors, NULL);
    errors_free(errors);
    return true;
}

/* The position of item by member (an integer id, or a text such as a code). */
static struct cursor item_position(json_t *item, const char *member, enum cursor_key kind)
{
    json_t *value = json_object_get(item, member);
    if (kind == CURSOR_TEXT)
        return (struct cursor){.key = CURSOR_TEXT, .text = json_string_value(value) ? json_string_value(value) : ""};
    return (struct cursor){.key = CURSOR_ID, .id = json_integer_value(value)};
}

static bool same_position(const struct cursor *a, const struct cursor *b)
{
    return a->key == CURSOR_TEXT ? strcmp(a->text, b->text) == 0 : a->id == b->id;
}

void api_reply_page_of(struct request *request, json_t *doc, const char *array_key, const char *member,
                       enum cursor_key kind)
{
    struct errors errors = ERRORS_INIT;
    struct store_page page;
    paging_read(request, kind, &page, &errors);
    json_t *all = json_object_get(doc, array_key);
    size_t start = 0, count = json_array_size(all);
    if (errors.count == 0 && page.after.key != CURSOR_NONE) {
        while (start < count) {
            struct cursor here = item_position(json_array_get(all, start++), member, kind);
            if (same_position(&here, &page.after))
                break;
            if (start == count)
                errors_add(&errors, "after", "after names a record no longer in this list: start again without it");
        }
    }
    if (api_query_refused(request, &errors)) {
        json_decref(doc);
        return;
    }
    size_t end = count - start > page.limit ? start + page.limit : count;
    json_t *kept = json_array();
    for (size_t i = start; i < end; i++)
        json_array_append(kept, json_array_get(all, i));
    if (end < count) {
        struct cursor last = item_position(json_array_get(all, end - 1), member, kind);
        page.next = cursor_encode(&last, request_arena(request));
    }
    json_object_set_new(doc, array_key, kept);
    paging_link(request, &page);
    reply_json(request, 200, doc);
}

void api_reply_catalogue_list(struct request *request, const char *key, api_builder build, const char *array_key)
{
    struct form *query = request_query(request);
    if (form_get(query, "limit") == NULL && form_get(query, "after") == NULL) {
        api_reply_catalogue(request, key, build, NULL, "");
        return;
    }
    const struct catalogue *catalogue = api_catalogue(request);
    if (catalogue != NULL)
        api_reply_page_of(request, build(catalogue, NULL), array_key, "code", CURSOR_TEXT);
}

static json_t *organisation_ref(int64_t id, const char *name)
{
    return id ? json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", name ? name : "") : json_null();
}

json_t *api_user_json(const struct user *u)
{
    json_t *roles = json_array();
    for (size_t i = 0; i < u->role_count; i++)
        json_array_append_new(
            roles, json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)u->roles[i].id, "role",
                             role_name(u->roles[i].role), "title", role_title(u->roles[i].role), "organisation",
                             organisation_ref(u->roles[i].organisation_id, u->roles[i].organisation_name)));
    return json_pack("{s:I, s:s, s:s, s:b, s:b, s:o, s:o, s:o, s:o}", "id", (json_int_t)u->id, "email", u->email,
                     "name", u->name, "active", u->active, "has_password", u->has_password, "organisation",
                     organisation_ref(u->organisation_id, u->organisation_name), "roles", roles, "created_at",
                     api_time_json(u->created_at), "updated_at", api_time_json(u->updated_at));
}

json_t *api_organisation_json(const struct organisation *o)
{
    json_t *regions = json_array();
    const char *p = o->regions_served ? o->regions_served : "";
    while (*p) {
        const char *semi = strchr(p, ';');
        size_t len = semi ? (size_t)(semi - p) : strlen(p);
        while (len > 0 && p[len - 1] == ' ')
            len--;
        if (len > 0)
            json_array_append_new(regions, json_stringn(p, len));
        p = semi ? semi + 1 : p + strlen(p);
        while (*p == ' ')
            p++;
    }
    return json_pack("{s:I, s:s, s:s, s:s?, s:s, s:s, s:s, s:o, s:o, s:s?, s:o, s:o}", "id", (json_int_t)o->id, "kind",
                     organisation_kind_name(o->kind), "name", o->name, "urn", o->urn, "local_authority",
                     o->local_authority ? o->local_authority : "", "region", o->region ? o->region : "", "phase",
                     o->phase ? o->phase : "", "regions_served", regions, "trust_id",
                     o->trust_id ? json_integer(o->trust_id) : json_null(), "dfe_delivery_partner_id",
                     o->dfe_delivery_partner_id, "created_at", api_time_json(o->created_at), "updated_at",
                     api_time_json(o->updated_at));
}

static int hex_value(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

const char *api_file_name_header(struct request *request)
{
    struct str value = request_header_named(request, "x-file-name");
    if (value.len == 0)
        return NULL;
    char *name = request_alloc(request, value.len + 1);
    size_t n = 0;
    for (size_t i = 0; i < value.len; i++) {
        int hi, lo;
        if (value.ptr[i] == '%' && i + 2 < value.len && (hi = hex_value(value.ptr[i + 1])) >= 0 &&
            (lo = hex_value(value.ptr[i + 2])) >= 0) {
            name[n++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            name[n++] = value.ptr[i];
        }
    }
    name[n] = '\0';
    /* jansson takes only UTF-8, and a name must survive into JSON. */
    json_t *check = json_stringn(name, n);
    if (check == NULL || strlen(name) != n) {
        json_decref(check);
        return NULL;
    }
    json_decref(check);
    return name;
}
