/*
 * The one path every request takes: lookup, method, authentication, CSRF, authorization, then
 * the handler. Each refusal is answered here, as JSON under /api/ and as a page elsewhere.
 */
#include "http/gate.h"

#include "app/files.h"
#include "http/auth.h"
#include "http/caller_cache.h"
#include "http/executor.h"
#include "http/reply.h"
#include "http/worker.h"
#include "lib/form.h"
#include "pages/layout.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FORM_MAX_BYTES = 2 * 1024 * 1024 };

static bool is_api_path(struct str path)
{
    return str_starts_with(path, STR_LIT("/api/"));
}

static bool is_unsafe(const struct request *request)
{
    struct str m = request->method;
    return !str_eq(m, STR_LIT("GET")) && !str_eq(m, STR_LIT("HEAD")) && !str_eq(m, STR_LIT("OPTIONS"));
}

/* Whether the body says nothing: empty, blank, or an empty JSON object. An API route that takes
 * no body refuses any other, so a client's mistake is never quietly ignored. */
static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool body_says_nothing(struct str body)
{
    size_t i = 0, n = body.len;
    while (i < n && is_blank(body.ptr[i]))
        i++;
    while (n > i && is_blank(body.ptr[n - 1]))
        n--;
    if (i == n)
        return true;
    if (body.ptr[i] != '{' || body.ptr[n - 1] != '}')
        return false;
    for (i++; i < n - 1; i++)
        if (!is_blank(body.ptr[i]))
            return false;
    return true;
}

static void refuse(struct request *request, int status, const char *code, const char *heading, const char *message)
{
    if (is_api_path(request->path))
        reply_error(request, status, code, "%s", message);
    else
        page_error(request, status, heading, message);
}

/* Anonymous page visitors who need to sign in are sent there, and brought back afterwards. */
static void redirect_to_sign_in(struct request *request)
{
    char next[1024];
    form_encode(request_strndup(request, request->path), next, sizeof(next));
    reply_redirect(request, request_printf(request, "/sign-in?next=%s", next));
}

/*
 * Decodes a form body into request->form (and, for multipart/form-data, its uploaded files into
 * request->files); false when it is one but too large or malformed. Uploads are allowed a larger
 * body than other forms; the handler that takes a file sets its own, smaller limit on it.
 */
static bool read_form(struct request *request)
{
    size_t multipart_max = files_body_max(request->settings->content_file_limit);
    struct str type = request_header(request, H2O_TOKEN_CONTENT_TYPE);
    bool multipart = multipart_is_form_data(type);
    if (!multipart && !str_starts_with(type, STR_LIT("application/x-www-form-urlencoded")))
        return true; /* not a form: the handler reads the body itself */
    if (request->body.len > (multipart ? multipart_max : FORM_MAX_BYTES))
        return false;
    request->form = request_alloc(request, sizeof(*request->form));
    if (multipart)
        return multipart_parse(type, request->body.ptr, request->body.len, request_arena(request), request->form,
                               &request->files, &request->file_count);
    return form_parse(request->body.ptr, request->body.len, request_arena(request), request->form);
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

/* Whether the route needs to know who is asking. Public API reads and assets are the same for
 * everyone; pages look, to show who is signed in; a sent token is always checked. */
static bool needs_caller(const struct request *request)
{
    const struct route *route = request->route;
    if (route->kind == ROUTE_ASSET)
        return false;
    return route->permission != PERM_PUBLIC || route->kind == ROUTE_PAGE || is_unsafe(request) ||
           request_header(request, H2O_TOKEN_AUTHORIZATION).len > 0;
}

void gate_run(struct request *request, struct executor *executor)
{
    request->executor = executor;
    request->store = executor->store;
    const struct route *route = request->route;

    if (!request_query_read(request)) {
        refuse(request, 400, "bad_request", "There is a problem", "The address's query string could not be read.");
        return;
    }
    if (!request->authenticated && needs_caller(request)) {
        switch (auth_authenticate(request)) {
        case AUTH_INVALID_TOKEN:
            reply_header(request, "www-authenticate", "Bearer");
            reply_error(request, 401, "unauthenticated", "The API token is not valid or has been revoked.");
            return;
        case AUTH_ERROR:
            refuse(request, 503, "unavailable", "Sorry, there is a problem", "Try again in a moment.");
            return;
        case AUTH_OK:
        case AUTH_ANONYMOUS:
        case AUTH_UNKNOWN: break; /* only the cached check answers this */
        }
    }
    if (route->permission != PERM_PUBLIC && request->caller == NULL) {
        if (is_api_path(request->path)) {
            reply_header(request, "www-authenticate", "Bearer");
            reply_error(request, 401, "unauthenticated", "Sign in, or send an API token, to use this.");
        } else {
            redirect_to_sign_in(request);
        }
        return;
    }
    if (route->kind == ROUTE_API && route->body == NULL && !body_says_nothing(request->body)) {
        refuse(request, 400, "bad_request", "There is a problem", "This takes no request body: send none, or {}.");
        return;
    }
    if (is_unsafe(request)) {
        if (!read_form(request)) {
            refuse(request, 400, "bad_request", "There is a problem", "The form could not be read.");
            return;
        }
        if (!auth_csrf_valid(request)) {
            refuse(request, 403, "csrf_failed", "This form has expired", "Go back, reload the page and try again.");
            return;
        }
    }
    if (route->resource != RESOURCE_NONE) {
        int64_t id = resource_id(request);
        if (id > 0 &&
            store_relation(request->store, request->caller, route->resource, id, &request->relation) != STORE_OK) {
            refuse(request, 503, "unavailable", "Sorry, there is a problem", "Try again in a moment.");
            return;
        }
    }
    if (!policy_allows(route->permission, request->caller, route->resource,
                       route->resource != RESOURCE_NONE ? &request->relation : NULL)) {
        /* A record outside the caller's scope looks exactly like one that does not exist. */
        if (route->resource != RESOURCE_NONE && policy_allows(route->permission, request->caller, RESOURCE_NONE, NULL))
            refuse(request, 404, "not_found", "Page not found", "There is nothing here, or it is not yours to see.");
        else
            refuse(request, 403, "forbidden", "You cannot do this",
                   "You do not have permission to do this. Ask a provider administrator if you need it.");
        return;
    }
    route->handler(request);
    struct reply_stream *stream = request->response.stream;
    const char *broken = NULL;
    const char *unfinished = request->store ? store_unfinished_query(request->store) : NULL;
    if (request->response.status == 0)
        broken = "sent no reply";
    else if (unfinished != NULL)
        /* A query left open holds an old snapshot and makes later writes fail. */
        broken = request_printf(request, "left a query unfinished: %s", unfinished);
    if (broken != NULL) {
        /* A bug: logged, and answered as a failure rather than stopping the server. */
        fprintf(stderr, "npq: BUG: %s %s %s\n", route->method, route->pattern, broken);
        if (stream != NULL) {
            reply_stream_fail(request); /* its status has gone: the client sees it cut short */
        } else {
            reply_reset(request);
            refuse(request, 500, "internal_error", "Sorry, there is a problem with the service", "Try again later.");
        }
    }
    if (stream != NULL)
        reply_stream_fail(request); /* left open by the handler; nothing once it has ended */
}

/* Whether the loop can run the whole request itself: a route that needs no database, and a
 * caller who needs no looking up (anonymous, or in the loop's cache). */
static bool runs_on_loop(struct worker *worker, struct request *request)
{
    if (!request->route->on_loop)
        return false;
    if (!needs_caller(request))
        return true;
    enum auth_result result = auth_authenticate_cached(request, &worker->callers, worker->revisions);
    request->authenticated = result == AUTH_OK || result == AUTH_ANONYMOUS;
    return request->authenticated; /* otherwise the database decides */
}

/* A request for the pools whose caller the loop already knows is sent with its caller, so the
 * pool thread need not ask the database who it is. The copy is the request's own: the cache's
 * entry may be replaced while the pool works. */
static void authenticate_from_cache(struct worker *worker, struct request *request)
{
    if (request->route->on_loop || !needs_caller(request))
        return; /* runs_on_loop has looked already, or there is nobody to look up */
    if (auth_authenticate_cached(request, &worker->callers, worker->revisions) != AUTH_OK)
        return;
    request->caller = caller_clone(request_arena(request), request->caller);
    request->caller_entry = NULL; /* the loop's own */
    request->authenticated = true;
}

/* The route table's index, made once for every loop; the table never changes while serving. */
static struct router *route_index;
static pthread_once_t route_index_once = PTHREAD_ONCE_INIT;

static void route_index_make(void)
{
    route_index = router_new(routes, routes_count);
    if (route_index == NULL) {
        fprintf(stderr, "npq: out of memory indexing the routes\n");
        abort();
    }
}

void gate_dispatch(struct worker *worker, h2o_req_t *req)
{
    pthread_once(&route_index_once, route_index_make);
    struct request *request = request_new(worker, req);
    request->executor = &worker->executor;
    bool api = is_api_path(request->path);

    uint32_t retry_after;
    if (worker->rate != NULL && !request_rate_allow(worker->rate, (struct sockaddr *)&request->peer, request->peer_len,
                                                    (int64_t)h2o_now(worker->ctx.loop), &retry_after)) {
        reply_header(request, "retry-after", request_printf(request, "%u", retry_after));
        refuse(request, 429, "too_many_requests", "Too many requests",
               "Too many requests have come from your address. Wait a few seconds and try again.");
        request_finish(request);
        return;
    }

    struct route_match match;
    switch (router_find(route_index, request->method, request->path, &match)) {
    case ROUTE_NOT_FOUND:
        if (api)
            reply_error(request, 404, "not_found", "There is no API resource at this address.");
        else
            page_error(request, 404, "Page not found", "If you typed the web address, check it is correct.");
        request_finish(request);
        return;
    case ROUTE_METHOD_NOT_ALLOWED:
        reply_header(request, "allow", request_strndup(request, str_of(match.allow)));
        if (api)
            reply_error(request, 405, "method_not_allowed", "This address accepts %s only.", match.allow);
        else
            page_error(request, 405, "Method not allowed", "This page cannot be used that way.");
        request_finish(request);
        return;
    case ROUTE_FOUND: break;
    }
    request->route = match.route;
    request->param_count = match.param_count;
    for (size_t i = 0; i < match.param_count; i++)
        request->params[i] = match.params[i];

    if (runs_on_loop(worker, request)) {
        gate_run(request, &worker->executor);
        request_finish(request);
        return;
    }
    authenticate_from_cache(worker, request);
    worker_send_to_pool(worker, request);
}
