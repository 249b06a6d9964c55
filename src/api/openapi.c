/*
 * GET /api/v1/openapi.json: the OpenAPI 3.1 document, generated from the route table so that it
 * lists exactly the routes that exist. Schemas come from openapi-components.json, compiled in.
 */
#include "api/api.h"

#include "http/reply.h"
#include "lib/embedded.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static struct cached_response document;
static pthread_once_t document_once = PTHREAD_ONCE_INIT;

static json_t *path_parameters(const char *pattern)
{
    json_t *parameters = json_array();
    for (const char *p = strchr(pattern, '{'); p != NULL; p = strchr(p + 1, '{')) {
        const char *close = strchr(p, '}');
        size_t len = (size_t)(close - p - 1);
        if (len > 0 && p[len] == '*')
            len--;
        json_array_append_new(parameters, json_pack("{s:s%, s:s, s:b, s:{s:s}}", "name", p + 1, len, "in", "path",
                                                    "required", 1, "schema", "type", "string"));
    }
    return parameters;
}

/* What every list takes (route_is_list): a page's size and where it starts. */
static void add_page_parameters(json_t *parameters)
{
    json_array_append_new(
        parameters, json_pack("{s:s, s:s, s:s, s:{s:s, s:i, s:i, s:i}}", "name", "limit", "in", "query", "description",
                              "How many records a page holds (400 outside 1 to 500)", "schema", "type", "integer",
                              "minimum", 1, "maximum", STORE_PAGE_MAX, "default", STORE_PAGE_DEFAULT));
    json_array_append_new(parameters,
                          json_pack("{s:s, s:s, s:s, s:{s:s}}", "name", "after", "in", "query", "description",
                                    "Where the page starts: the opaque cursor in the Link header of the page before "
                                    "(400 for anything else)",
                                    "schema", "type", "string"));
}

static json_t *error_response(const char *description)
{
    return json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", description, "content", "application/json", "schema",
                     "$ref", "#/components/schemas/Error");
}

/* A route's response is a schema's name, or a media type ("text/csv") for an answer that is not JSON. */
static json_t *success_content(const char *response)
{
    if (strcmp(response, "application/json") == 0)
        return json_pack("{s:{s:{s:s}}}", response, "schema", "type", "object");
    if (strchr(response, '/') != NULL)
        return json_pack("{s:{s:{s:s, s:s}}}", response, "schema", "type", "string", "contentMediaType", response);
    char ref[128];
    snprintf(ref, sizeof(ref), "#/components/schemas/%s", response);
    return json_pack("{s:{s:{s:s}}}", "application/json", "schema", "$ref", ref);
}

/* Every error the gate, the body reader and the use cases can answer with, each with the Error
 * schema: 400 malformed, 401/403 for signed-in routes, 404 for a record that is not there or not
 * the caller's to see, 409/422 for writes refused by a rule or a clash. */
static json_t *responses_for(const struct route *route)
{
    json_t *ok = json_pack("{s:s}", "description", "Success");
    const char *success = strcmp(route->method, "POST") == 0 && route->response != NULL ? "201" : "200";
    if (strcmp(route->method, "DELETE") == 0)
        success = route->response != NULL ? "200" : "204"; /* the record as it is now, or nothing */
    char explicit_status[8];
    if (route->status != 0) {
        snprintf(explicit_status, sizeof(explicit_status), "%d", route->status);
        success = explicit_status;
    }
    if (route->response != NULL)
        json_object_set_new(ok, "content", success_content(route->response));
    if (route->csv)
        json_object_set_new(json_object_get(ok, "content"), "text/csv",
                            json_pack("{s:{s:s, s:s}}", "schema", "type", "string", "contentMediaType", "text/csv"));
    if (route_is_list(route))
        json_object_set_new(
            ok, "headers",
            json_pack(
                "{s:{s:s, s:{s:s}}}", "Link", "description",
                "<the same address with after=CURSOR>; rel=\"next\" while another page follows; absent on the last",
                "schema", "type", "string"));
    json_t *responses = json_pack("{s:o}", success, ok);
    bool is_write = strcmp(route->method, "GET") != 0;
    json_object_set_new(responses, "400", error_response("The request is malformed: its body or a query parameter"));
    if (route->permission != PERM_PUBLIC) {
        json_object_set_new(responses, "401", error_response("Not signed in, or the token is not valid"));
        json_object_set_new(responses, "403", error_response("Not permitted"));
    }
    if (strchr(route->pattern, '{') != NULL || route->permission != PERM_PUBLIC)
        json_object_set_new(responses, "404", error_response("Not found"));
    if (is_write) {
        json_object_set_new(responses, "409", error_response("Refused: it clashes with what is stored"));
        json_object_set_new(responses, "422", error_response("Refused: a field or a rule says no, named in fields"));
    }
    /* A CSV import answers with its report whatever happens: 201 imported, 200 checked only
     * (dry_run), 422 refused with every row's problems. */
    if (route->body != NULL && strcmp(route->body, "csv") == 0 && route->response != NULL) {
        json_object_set_new(responses, "200",
                            json_pack("{s:s, s:o}", "description", "Checked only (dry_run): nothing stored", "content",
                                      success_content(route->response)));
        json_object_set_new(responses, "422",
                            json_pack("{s:s, s:o}", "description", "Refused: the report names each row's problems",
                                      "content", success_content(route->response)));
    }
    json_object_set_new(responses, "default", error_response("Error"));
    return responses;
}

/* "GET /api/v1/qualifications/{code}" -> "getQualificationsCode"-style ids are unstable to read;
 * the id is the method and the path's literal words: "get_qualifications_code". */
static void operation_id(const struct route *route, char *out, size_t size)
{
    size_t n = 0;
    for (const char *m = route->method; *m && n + 1 < size; m++)
        out[n++] = (char)(*m | 0x20);
    for (const char *p = route->pattern + strlen("/api/v1"); *p && n + 1 < size; p++) {
        char ch = *p;
        if (ch == '/' || ch == '-' || ch == '.')
            ch = '_';
        if (ch == '{' || ch == '}' || ch == '*')
            continue;
        if (ch == '_' && n > 0 && out[n - 1] == '_')
            continue;
        out[n++] = ch;
    }
    while (n > 0 && out[n - 1] == '_')
        n--;
    out[n] = '\0';
}

static void document_build(void)
{
    const struct embedded_file *file =
        embedded_find(embedded_data, embedded_data_count, "openapi-components.json", strlen("openapi-components.json"));
    json_error_t err;
    json_t *components = file ? json_loadb((const char *)file->data, file->size, 0, &err) : NULL;
    if (components == NULL)
        components = json_object();

    json_t *paths = json_object();
    for (size_t i = 0; i < routes_count; i++) {
        const struct route *route = &routes[i];
        if (route->kind != ROUTE_API)
            continue;
        json_t *item = json_object_get(paths, route->pattern);
        if (item == NULL) {
            item = json_object();
            json_object_set_new(paths, route->pattern, item);
        }
        char method[16], id[128];
        size_t m = 0;
        for (; route->method[m] && m + 1 < sizeof(method); m++)
            method[m] = (char)(route->method[m] | 0x20);
        method[m] = '\0';
        operation_id(route, id, sizeof(id));
        json_t *parameters = path_parameters(route->pattern);
        if (route_is_list(route))
            add_page_parameters(parameters);
        if (route->csv)
            json_array_append_new(
                parameters,
                json_pack("{s:s, s:s, s:s, s:{s:s, s:[s, s]}}", "name", "format", "in", "query", "description",
                          "csv for a streamed CSV download (as Accept: text/csv asks); json, or none, for JSON",
                          "schema", "type", "string", "enum", "csv", "json"));
        json_t *operation = json_pack("{s:s, s:s, s:o, s:o, s:s}", "operationId", id, "summary", route->summary,
                                      "parameters", parameters, "responses", responses_for(route), "x-permission",
                                      permission_name(route->permission));
        if (route->body != NULL && strcmp(route->body, "csv") == 0) {
            json_object_set_new(
                operation, "requestBody",
                json_pack("{s:b, s:{s:{s:{s:s}}}}", "required", 1, "content", "text/csv", "schema", "type", "string"));
        } else if (route->body != NULL && strcmp(route->body, "file") == 0) {
            json_object_set_new(operation, "requestBody",
                                json_pack("{s:b, s:{s:{s:{s:s, s:s}}}}", "required", 1, "content", "*/*", "schema",
                                          "type", "string", "contentMediaType", "application/octet-stream"));
        } else if (route->body != NULL) {
            char ref[128];
            snprintf(ref, sizeof(ref), "#/components/schemas/%s", route->body);
            json_object_set_new(operation, "requestBody",
                                json_pack("{s:b, s:{s:{s:{s:s}}}}", "required", 1, "content", "application/json",
                                          "schema", "$ref", ref));
        }
        /* a public operation says so with an empty list, rather than leaving it unsaid */
        json_object_set_new(operation, "security",
                            route->permission == PERM_PUBLIC ? json_array()
                                                             : json_pack("[{s:[]}, {s:[]}]", "bearer", "session"));
        json_object_set_new(item, method, operation);
    }
    /* npq is not open source (package.json says UNLICENSED): SPDX's form for a licence of one's own */
    json_t *doc = json_pack("{s:s, s:{s:s, s:s, s:s, s:{s:s, s:s}}, s:[{s:s}], s:o, s:o}", "openapi", "3.1.0", "info",
                            "title", "npq API", "version", "1", "description",
                            "Read and manage National Professional Qualification programmes.", "license", "name",
                            "Proprietary: all rights reserved", "identifier", "LicenseRef-npq-proprietary", "servers",
                            "url", "/", "paths", paths, "components", components);
    document.body = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    document.len = strlen(document.body);
    document.content_type = "application/json; charset=utf-8";
    document.cache_control = "public, max-age=0, must-revalidate";
    cached_response_set_etag(&document);
    json_decref(doc);
}

void api_openapi(struct request *request)
{
    pthread_once(&document_once, document_build);
    reply_cached(request, &document);
}
