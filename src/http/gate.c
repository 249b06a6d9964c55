/*
 * The one path every request takes: lookup, method, authentication, CSRF, authorization, then
 * the handler. Each refusal is answered here, as JSON under /api/ and as a page elsewhere.
 */
#include "http/gate.h"

#include "http/auth.h"
#include "http/reply.h"
#include "http/worker.h"
#include "lib/form.h"
#include "pages/layout.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { FORM_MAX_BYTES = 2 * 1024 * 1024 };

static bool is_api_path(struct str path)
{
    return str_starts_with(path, STR_LIT("/api/"));
}

static bool is_unsafe(h2o_req_t *req)
{
    struct str m = {req->method.base, req->method.len};
    return !str_eq(m, STR_LIT("GET")) && !str_eq(m, STR_LIT("HEAD")) && !str_eq(m, STR_LIT("OPTIONS"));
}

static void refuse(struct request *request, bool api, int status, const char *code, const char *heading,
                   const char *message)
{
    if (api)
        reply_error(request, status, code, "%s", message);
    else
        page_error(request, status, heading, message);
}

/* Anonymous page visitors who need to sign in are sent there, and brought back afterwards. */
static void redirect_to_sign_in(struct request *request)
{
    char next[1024];
    h2o_req_t *req = request->req;
    form_encode(request_strndup(request, (struct str){req->path.base, req->path.len}), next, sizeof(next));
    char *location = request_alloc(request, sizeof(next) + 32);
    snprintf(location, sizeof(next) + 32, "/sign-in?next=%s", next);
    reply_redirect(request, location);
}

/*
 * Decodes a form body into request->form (and, for multipart/form-data, its uploaded files into
 * request->files); false when it is one but too large or malformed. Uploads are allowed a larger
 * body than other forms; the handler that takes a file sets its own, smaller limit on it.
 */
static bool read_form(struct request *request)
{
    /* Room for the largest file a submission takes (20 MiB) and the form around it. */
    enum { MULTIPART_MAX_BYTES = 21 * 1024 * 1024 };
    h2o_req_t *req = request->req;
    struct str type = request_header(request, H2O_TOKEN_CONTENT_TYPE);
    bool multipart = multipart_is_form_data(type);
    if (!multipart && !str_starts_with(type, STR_LIT("application/x-www-form-urlencoded")))
        return true; /* not a form: the handler reads the body itself */
    if (req->entity.len > (multipart ? MULTIPART_MAX_BYTES : FORM_MAX_BYTES))
        return false;
    request->form = request_alloc(request, sizeof(*request->form));
    if (multipart)
        return multipart_parse(type, req->entity.base, req->entity.len, request_arena(request), request->form,
                               &request->files, &request->file_count);
    return form_parse(req->entity.base, req->entity.len, request_arena(request), request->form);
}

/* The id in the route's first parameter: a positive integer, or 0. */
static int64_t resource_id(const struct request *request)
{
    if (request->param_count == 0 || request->params[0].len == 0 || request->params[0].len > 18)
        return 0;
    int64_t id = 0;
    for (size_t i = 0; i < request->params[0].len; i++) {
        char c = request->params[0].ptr[i];
        if (c < '0' || c > '9')
            return 0;
        id = id * 10 + (c - '0');
    }
    return id;
}

void gate_dispatch(struct worker *worker, h2o_req_t *req)
{
    struct request *request = h2o_mem_alloc_pool(&req->pool, sizeof(*request));
    *request = (struct request){.req = req,
                                .worker = worker,
                                .store = worker->store,
                                .settings = worker->settings,
                                .started_ns = request_clock_ns()};
    struct str path = request_path(request);
    bool api = is_api_path(path);

    struct route_match match;
    switch (router_match(routes, routes_count, (struct str){req->method.base, req->method.len}, path, &match)) {
    case ROUTE_NOT_FOUND:
        if (api)
            reply_error(request, 404, "not_found", "There is no API resource at this address.");
        else
            page_error(request, 404, "Page not found", "If you typed the web address, check it is correct.");
        return;
    case ROUTE_METHOD_NOT_ALLOWED:
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ALLOW, NULL,
                       h2o_strdup(&req->pool, match.allow, SIZE_MAX).base, strlen(match.allow));
        if (api)
            reply_error(request, 405, "method_not_allowed", "This address accepts %s only.", match.allow);
        else
            page_error(request, 405, "Method not allowed", "This page cannot be used that way.");
        return;
    case ROUTE_FOUND: break;
    }
    const struct route *route = match.route;
    request->route = route;
    request->param_count = match.param_count;
    for (size_t i = 0; i < match.param_count; i++)
        request->params[i] = match.params[i];

    /* Public API reads and assets are served without looking at credentials: they are the
     * hottest requests and the same for everyone. Pages look, to show who is signed in. */
    bool needs_caller = route->permission != PERM_PUBLIC || route->kind == ROUTE_PAGE || is_unsafe(req) ||
                        request_header(request, H2O_TOKEN_AUTHORIZATION).len > 0;
    if (needs_caller && route->kind != ROUTE_ASSET) {
        switch (auth_authenticate(request)) {
        case AUTH_INVALID_TOKEN:
            reply_header(request, "www-authenticate", "Bearer");
            reply_error(request, 401, "unauthenticated", "The API token is not valid or has been revoked.");
            return;
        case AUTH_ERROR:
            refuse(request, api, 503, "unavailable", "Sorry, there is a problem", "Try again in a moment.");
            return;
        case AUTH_OK:
        case AUTH_ANONYMOUS: break;
        }
    }
    if (route->permission != PERM_PUBLIC && request->caller == NULL) {
        if (api) {
            reply_header(request, "www-authenticate", "Bearer");
            reply_error(request, 401, "unauthenticated", "Sign in, or send an API token, to use this.");
        } else {
            redirect_to_sign_in(request);
        }
        return;
    }
    if (is_unsafe(req)) {
        if (!read_form(request)) {
            refuse(request, api, 400, "bad_request", "There is a problem", "The form could not be read.");
            return;
        }
        if (!auth_csrf_valid(request)) {
            refuse(request, api, 403, "csrf_failed", "This form has expired",
                   "Go back, reload the page and try again.");
            return;
        }
    }
    struct relation relation;
    if (route->resource != RESOURCE_NONE) {
        int64_t id = resource_id(request);
        enum store_status status =
            id > 0 ? store_relation(worker->store, request->caller, route->resource, id, &relation) : STORE_OK;
        if (id == 0)
            relation = (struct relation){0};
        if (status != STORE_OK) {
            refuse(request, api, 503, "unavailable", "Sorry, there is a problem", "Try again in a moment.");
            return;
        }
    }
    if (!policy_allows(route->permission, request->caller, route->resource,
                       route->resource != RESOURCE_NONE ? &relation : NULL)) {
        /* A record outside the caller's scope looks exactly like one that does not exist. */
        if (route->resource != RESOURCE_NONE && policy_allows(route->permission, request->caller, RESOURCE_NONE, NULL))
            refuse(request, api, 404, "not_found", "Page not found",
                   "There is nothing here, or it is not yours to see.");
        else
            refuse(request, api, 403, "forbidden", "You cannot do this",
                   "You do not have permission to do this. Ask a provider administrator if you need it.");
        return;
    }
    route->handler(request);
    const char *unfinished = store_unfinished_query(worker->store);
    if (unfinished != NULL) {
        /* A query left open holds an old snapshot and makes later writes fail: a bug that tests
         * must see at once, so debug builds stop here. */
        fprintf(stderr, "npq: BUG: %s %s left a query unfinished: %s\n", route->method, route->pattern, unfinished);
        assert(!"query left unfinished");
    }
}
