/*
 * Capturing a request from h2o, moving it off the loop, and the accessors handlers use.
 */
#include "http/request.h"

#include "http/executor.h"
#include "http/forwarded.h"
#include "http/reply.h"
#include "http/worker.h"
#include "lib/clock.h"
#include "lib/die.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

void *request_alloc(struct request *request, size_t size)
{
    return arena_alloc(&request->arena, size);
}

char *request_strndup(struct request *request, struct str s)
{
    return arena_strndup(&request->arena, s.ptr ? s.ptr : "", s.len);
}

struct arena *request_arena(struct request *request)
{
    return &request->arena;
}

struct str request_path(const struct request *request)
{
    return request->path;
}

struct str request_header(const struct request *request, const h2o_token_t *token)
{
    for (size_t i = 0; i < request->header_count; i++)
        if (request->headers[i].token == token)
            return request->headers[i].value;
    return (struct str){"", 0};
}

struct str request_header_named(const struct request *request, const char *lowercase_name)
{
    struct str name = str_of(lowercase_name);
    for (size_t i = 0; i < request->header_count; i++)
        if (str_eq_nocase(request->headers[i].name, name))
            return request->headers[i].value;
    return (struct str){"", 0};
}

struct str request_body(const struct request *request)
{
    return request->body;
}

const struct catalogue *request_catalogue(struct request *request)
{
    return executor_catalogue(request->executor);
}

bool request_query_read(struct request *request)
{
    if (request->query_form != NULL)
        return true;
    struct form *form = request_alloc(request, sizeof(*form));
    bool ok = request->query.len == 0 || form_parse(request->query.ptr, request->query.len, &request->arena, form);
    if (!ok)
        form->count = 0;
    request->query_form = form;
    return ok;
}

struct form *request_query(struct request *request)
{
    request_query_read(request);
    return request->query_form;
}

const char *request_client(struct request *request)
{
    char *host = request_alloc(request, NI_MAXHOST);
    if (request->peer_len == 0 ||
        h2o_socket_getnumerichost((void *)&request->peer, request->peer_len, host) == SIZE_MAX)
        return "";
    return host;
}

struct actor request_actor(struct request *request)
{
    struct actor actor = {0, "anonymous", request_client(request)};
    if (request->caller != NULL) {
        actor.user_id = request->caller->user_id;
        actor.label = request->caller->email;
    }
    return actor;
}

struct accounts_env request_accounts_env(struct request *request, struct actor *actor)
{
    *actor = request_actor(request);
    return (struct accounts_env){request->store, actor, request->settings->base_url, request->now};
}

int64_t request_param_id(const struct request *request, size_t index)
{
    if (index >= request->param_count || request->params[index].len == 0 || request->params[index].len > 18)
        return 0;
    int64_t id = 0;
    for (size_t i = 0; i < request->params[index].len; i++) {
        char c = request->params[index].ptr[i];
        if (c < '0' || c > '9')
            return 0;
        id = id * 10 + (c - '0');
    }
    return id;
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

/* A request through a proxy we believe: the client and the scheme are the ones it names. */
static void believe_proxy(struct request *r)
{
    struct str forwarded_for[8];
    size_t count = 0;
    for (size_t i = 0; i < r->header_count; i++) {
        const struct request_header *h = &r->headers[i];
        if (h->token == H2O_TOKEN_X_FORWARDED_FOR && count < sizeof(forwarded_for) / sizeof(forwarded_for[0]))
            forwarded_for[count++] = h->value;
        else if (str_eq(h->name, STR_LIT("x-forwarded-proto")))
            r->forwarded_https = str_eq(h->value, STR_LIT("https"));
    }
    forwarded_client(forwarded_for, count, &r->peer, &r->peer_len);
}

struct request *request_new(struct worker *worker, h2o_req_t *req)
{
    struct request *r = calloc(1, sizeof(*r));
    if (r == NULL)
        die("out of memory");
    r->req = req;
    r->worker = worker;
    r->site = worker->site;
    r->settings = site_settings(worker->site);
    r->response.last_header = &r->response.headers;
    r->method = (struct str){req->method.base, req->method.len};
    r->path = (struct str){req->path_normalized.base, req->path_normalized.len};
    r->target = (struct str){req->path.base, req->path.len};
    if (req->query_at != SIZE_MAX && req->query_at + 1 < req->path.len)
        r->query = (struct str){req->path.base + req->query_at + 1, req->path.len - req->query_at - 1};
    r->header_count = req->headers.size;
    r->headers = arena_alloc(&r->arena, sizeof(*r->headers) * (r->header_count ? r->header_count : 1));
    for (size_t i = 0; i < req->headers.size; i++) {
        const h2o_header_t *h = &req->headers.entries[i];
        r->headers[i] = (struct request_header){
            .token = h2o_iovec_is_token(h->name) ? (const h2o_token_t *)h->name : NULL,
            .name = {h->name->base, h->name->len},
            .value = {h->value.base, h->value.len},
        };
    }
    r->body = (struct str){req->entity.base ? req->entity.base : "", req->entity.len};
    r->peer_len = req->conn->callbacks->get_peername(req->conn, (void *)&r->peer);
    if (r->peer_len != 0 && forwarded_is_trusted((const struct sockaddr *)&r->peer, r->peer_len))
        believe_proxy(r);
    r->arrived_at = req->processed_at.at;
    r->now = clock_now();
    r->started_ns = request_clock_ns();
    return r;
}

static struct str copy_str(struct request *r, struct str s)
{
    return (struct str){request_strndup(r, s), s.len};
}

/* h2o frees its request (and, for HTTP/1, its connection) when the client goes away, whatever a
 * thread is still doing with it; this runs then, on the loop, and tells the request. */
/*
 * A body of REQUEST_SPOOL_BYTES or more (an upload) leaves the loop in a temporary file, unlinked
 * at once, mapped back to read: the handler reads it as memory, but the pages are the file's,
 * which the kernel writes out and drops under pressure, so the server's own memory does not grow
 * with the size of uploads. false (and the body is copied as usual) when no file can be made.
 */
static bool spool_body(struct request *r)
{
    const char *dir = request_spool_dir();
    size_t cap = strlen(dir) + 32;
    char *path = request_alloc(r, cap);
    snprintf(path, cap, "%s/npq-upload-XXXXXX", dir);
    int fd = mkostemp(path, O_CLOEXEC);
    if (fd < 0)
        return false;
    unlink(path);
    bool ok = true;
    for (size_t at = 0; ok && at < r->body.len;) {
        ssize_t n = write(fd, r->body.ptr + at, r->body.len - at);
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        at += n > 0 ? (size_t)n : 0;
    }
    void *map = ok ? mmap(NULL, r->body.len, PROT_READ, MAP_SHARED, fd, 0) : MAP_FAILED;
    close(fd);
    if (map == MAP_FAILED)
        return false;
    r->body_map = map;
    r->body.ptr = map;
    return true;
}

const char *request_spool_dir(void)
{
    const char *dir = getenv("TMPDIR");
    /* /var/tmp rather than /tmp, which is often memory (tmpfs). */
    return dir != NULL && dir[0] == '/' ? dir : "/var/tmp";
}

struct request_guard {
    struct request *request;
};

static void on_h2o_dispose(void *p)
{
    struct request_guard *guard = p;
    if (guard->request != NULL)
        guard->request->req = NULL;
}

void request_detach(struct request *r)
{
    r->method = copy_str(r, r->method);
    r->path = copy_str(r, r->path);
    r->target = copy_str(r, r->target);
    r->query = copy_str(r, r->query);
    for (size_t i = 0; i < r->header_count; i++) {
        r->headers[i].name = copy_str(r, r->headers[i].name);
        r->headers[i].value = copy_str(r, r->headers[i].value);
    }
    if (r->body.len < REQUEST_SPOOL_BYTES || !spool_body(r))
        r->body = copy_str(r, r->body);
    for (size_t i = 0; i < r->param_count; i++)
        r->params[i] = copy_str(r, r->params[i]);
    if (r->caller != NULL)
        r->caller = caller_clone(&r->arena, r->caller);
    if (r->session_token != NULL)
        r->session_token = arena_strdup(&r->arena, r->session_token);
    if (r->visitor_token != NULL)
        r->visitor_token = arena_strdup(&r->arena, r->visitor_token);
    struct request_guard *guard = h2o_mem_alloc_shared(&r->req->pool, sizeof(*guard), on_h2o_dispose);
    guard->request = r;
    r->guard = guard;
}

void request_finish(struct request *r)
{
    if (r->req != NULL) {
        if (r->guard != NULL)
            ((struct request_guard *)r->guard)->request = NULL; /* h2o's memory outlives ours from here */
        reply_send(r);
    }
    if (r->body_map != NULL)
        munmap(r->body_map, r->body.len);
    arena_release(&r->arena);
    free(r);
}
