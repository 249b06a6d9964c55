#include "http/request.h"

#include "http/worker.h"

#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void *request_alloc(struct request *request, size_t size)
{
    void *p = h2o_mem_alloc_pool(&request->req->pool, size);
    memset(p, 0, size);
    return p;
}

char *request_strndup(struct request *request, struct str s)
{
    char *copy = h2o_mem_alloc_pool(&request->req->pool, s.len + 1);
    memcpy(copy, s.ptr, s.len);
    copy[s.len] = '\0';
    return copy;
}

struct str request_path(const struct request *request)
{
    const h2o_req_t *req = request->req;
    return (struct str){req->path_normalized.base, req->path_normalized.len};
}

struct str request_header(const struct request *request, const h2o_token_t *token)
{
    ssize_t i = h2o_find_header(&request->req->headers, token, -1);
    if (i < 0)
        return (struct str){"", 0};
    h2o_iovec_t value = request->req->headers.entries[i].value;
    return (struct str){value.base, value.len};
}

struct str request_header_named(const struct request *request, const char *lowercase_name)
{
    ssize_t i = h2o_find_header_by_str(&request->req->headers, lowercase_name, strlen(lowercase_name), -1);
    if (i < 0)
        return (struct str){"", 0};
    h2o_iovec_t value = request->req->headers.entries[i].value;
    return (struct str){value.base, value.len};
}

struct str request_body(const struct request *request)
{
    const h2o_req_t *req = request->req;
    return (struct str){req->entity.base ? req->entity.base : "", req->entity.len};
}

const struct catalogue *request_catalogue(struct request *request)
{
    return worker_catalogue(request->worker);
}

static void arena_dispose(void *p)
{
    arena_release(p);
}

struct arena *request_arena(struct request *request)
{
    if (request->arena_ == NULL) {
        request->arena_ = h2o_mem_alloc_shared(&request->req->pool, sizeof(struct arena), arena_dispose);
        *request->arena_ = (struct arena)ARENA_INIT;
    }
    return request->arena_;
}

struct form *request_query(struct request *request)
{
    struct form *form = request_alloc(request, sizeof(*form));
    h2o_req_t *req = request->req;
    if (req->query_at != SIZE_MAX && req->query_at + 1 < req->path.len &&
        !form_parse(req->path.base + req->query_at + 1, req->path.len - req->query_at - 1, request_arena(request),
                    form))
        form->count = 0;
    return form;
}

const char *request_client(struct request *request)
{
    struct sockaddr_storage ss;
    socklen_t len = request->req->conn->callbacks->get_peername(request->req->conn, (void *)&ss);
    char *host = request_alloc(request, NI_MAXHOST);
    if (len == 0 || h2o_socket_getnumerichost((void *)&ss, len, host) == SIZE_MAX)
        return "";
    return host;
}

const char *request_printf(struct request *request, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    size_t size = (size_t)(n > 0 ? n : 0) + 1;
    char *out = request_alloc(request, size);
    va_start(ap, fmt);
    vsnprintf(out, size, fmt, ap);
    va_end(ap);
    return out;
}

uint64_t request_clock_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
