#include "http/gate.h"

#include "http/reply.h"
#include "http/worker.h"
#include "pages/layout.h"

#include <time.h>

static uint64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static bool is_api_path(struct str path)
{
    return str_starts_with(path, STR_LIT("/api/"));
}

/* Decides the route's permission for the caller. Everything not granted is denied. */
static bool gate_allows(const struct request *request)
{
    return policy_allows(request->route->permission, NULL, request->route->resource, NULL);
}

void gate_dispatch(struct worker *worker, h2o_req_t *req)
{
    struct request *request = h2o_mem_alloc_pool(&req->pool, sizeof(*request));
    *request = (struct request){.req = req, .worker = worker, .started_ns = monotonic_ns()};
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
    request->route = match.route;
    request->param_count = match.param_count;
    for (size_t i = 0; i < match.param_count; i++)
        request->params[i] = match.params[i];

    if (!gate_allows(request)) {
        if (api)
            reply_error(request, 403, "forbidden", "You do not have permission to do this.");
        else
            page_error(request, 403, "You cannot see this page", "You do not have permission to see this page.");
        return;
    }
    match.route->handler(request);
}
