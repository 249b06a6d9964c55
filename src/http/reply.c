/*
 * Response writing, security headers and the hand-off to the access log.
 */
#include "http/reply.h"

#include "http/access_log.h"
#include "http/executor.h"
#include "http/worker.h"

#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define CSP                                                                                                            \
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "                 \
    "media-src 'self' https:; "                                                                                        \
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

void cached_response_set_etag(struct cached_response *cached)
{
    unsigned char hash[8];
    crypto_generichash(hash, sizeof(hash), (const unsigned char *)cached->body, cached->len, NULL, 0);
    char hex[17];
    sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
    snprintf(cached->etag, sizeof(cached->etag), "\"%s\"", hex);
}

/* Every status npq or h2o may send, so none goes out as "Unknown". */
static const char *status_reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    }
    return status >= 500 ? "Server Error" : status >= 400 ? "Client Error" : "Other";
}

void reply_header(struct request *request, const char *name, const char *value)
{
    struct response_header *h = request_alloc(request, sizeof(*h));
    h->name = arena_strdup(request_arena(request), name);
    h->value = arena_strdup(request_arena(request), value);
    *request->response.last_header = h;
    request->response.last_header = &h->next;
}

void reply_reset(struct request *request)
{
    request->response = (struct response){.last_header = &request->response.headers};
}

/* Records the answer; false (and a log line) when the handler already replied. */
static bool set_response(struct request *request, int status, const char *content_type, const char *body, size_t len)
{
    struct response *r = &request->response;
    if (r->status != 0) {
        fprintf(stderr, "npq: BUG: %.*s %.*s replied twice (%d, then %d)\n", (int)request->method.len,
                request->method.ptr, (int)request->path.len, request->path.ptr, r->status, status);
        return false;
    }
    r->status = status;
    r->content_type = content_type;
    r->body = body;
    r->len = len;
    return true;
}

void reply_body(struct request *request, int status, const char *content_type, const char *body, size_t len)
{
    char *copy = request_alloc(request, len + 1);
    if (len > 0)
        memcpy(copy, body, len);
    set_response(request, status, content_type, copy, len);
}

void reply_body_static(struct request *request, int status, const char *content_type, const char *body, size_t len)
{
    set_response(request, status, content_type, body, len);
}

/* Whether If-None-Match names etag (or is "*"): the client has this representation already. */
static bool client_has(struct request *request, const char *etag)
{
    struct str if_none_match = request_header(request, H2O_TOKEN_IF_NONE_MATCH);
    return if_none_match.len > 0 && (memmem(if_none_match.ptr, if_none_match.len, etag, strlen(etag)) != NULL ||
                                     str_eq(if_none_match, STR_LIT("*")));
}

void reply_body_tagged(struct request *request, int status, const char *content_type, const char *body, size_t len)
{
    struct cached_response tagged = {.body = body, .len = len};
    cached_response_set_etag(&tagged);
    reply_header(request, "etag", tagged.etag);
    if (status == 200 && client_has(request, tagged.etag))
        set_response(request, 304, NULL, "", 0);
    else
        reply_body(request, status, content_type, body, len);
}

void reply_cached(struct request *request, const struct cached_response *cached)
{
    reply_header(request, "etag", cached->etag);
    if (cached->cache_control != NULL)
        reply_header(request, "cache-control", cached->cache_control);
    if (client_has(request, cached->etag)) {
        set_response(request, 304, NULL, "", 0);
        return;
    }
    /* On a loop the cached body outlives the request (the loop sends it before its cache can
     * change); a pool thread's cache may change before the loop sends, so it is copied. */
    if (request->executor != NULL && request->executor->on_loop)
        set_response(request, 200, cached->content_type, cached->body, cached->len);
    else
        reply_body(request, 200, cached->content_type, cached->body, cached->len);
}

void reply_json(struct request *request, int status, json_t *document)
{
    if (document == NULL) {
        fprintf(stderr, "npq: BUG: %.*s %.*s could not build its JSON reply\n", (int)request->method.len,
                request->method.ptr, (int)request->path.len, request->path.ptr);
        reply_error(request, 500, "internal_error", "Sorry, there is a problem with the service. Try again later.");
        return;
    }
    /* One pass for the usual answer, which fits a first guess; a longer one is written again into
     * a buffer of the size the first pass reported (jansson's dump costs more than the guess). */
    enum { FIRST_GUESS = 8192 };
    char *body = arena_alloc_bytes(request_arena(request), FIRST_GUESS);
    size_t len = json_dumpb(document, body, FIRST_GUESS, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (len > FIRST_GUESS) {
        body = arena_alloc_bytes(request_arena(request), len);
        json_dumpb(document, body, len, JSON_COMPACT | JSON_PRESERVE_ORDER);
    }
    json_decref(document);
    set_response(request, status, "application/json; charset=utf-8", body, len);
}

void reply_error(struct request *request, int status, const char *code, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    json_t *document = json_pack("{s:{s:i, s:s, s:s}}", "error", "status", status, "code", code, "message", message);
    if (document == NULL) /* a message that is not UTF-8: say no more than the status */
        document = json_pack("{s:{s:i, s:s, s:s}}", "error", "status", status, "code", code, "message", "");
    reply_json(request, status, document);
}

void reply_redirect(struct request *request, const char *location)
{
    reply_header(request, "location", location);
    reply_body(request, 303, "text/plain; charset=utf-8", "", 0);
}

static void add_header(h2o_req_t *req, const char *name, size_t name_len, const char *value, size_t value_len)
{
    h2o_add_header_by_str(&req->pool, &req->res.headers, name, name_len, 1, NULL, value, value_len);
}

#define ADD_STATIC(req, name, value) add_header(req, name, sizeof(name) - 1, value, sizeof(value) - 1)

static bool has_cache_policy(const struct response *r)
{
    for (const struct response_header *h = r->headers; h != NULL; h = h->next)
        if (strcasecmp(h->name, "cache-control") == 0)
            return true;
    return false;
}

/* Status and headers of request->response onto the h2o request. */
static void put_head(struct request *request)
{
    h2o_req_t *req = request->req;
    struct response *r = &request->response;
    req->res.status = r->status;
    req->res.reason = status_reason(r->status);
    if (r->content_type != NULL)
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, r->content_type,
                       strlen(r->content_type));
    /* h2o keeps header values until the response is written, which is after this request's own
     * memory has gone: they are copied into h2o's. */
    for (const struct response_header *h = r->headers; h != NULL; h = h->next) {
        h2o_iovec_t name = h2o_strdup(&req->pool, h->name, SIZE_MAX);
        h2o_iovec_t value = h2o_strdup(&req->pool, h->value, SIZE_MAX);
        add_header(req, name.base, name.len, value.base, value.len);
    }
    /* What a signed-in person was shown is theirs: no shared cache or back button after sign-out
     * may show it again. A handler that set its own policy keeps it. */
    if (request->caller != NULL && !has_cache_policy(r))
        ADD_STATIC(req, "cache-control", "no-store");
    ADD_STATIC(req, "content-security-policy", CSP);
    ADD_STATIC(req, "x-content-type-options", "nosniff");
    ADD_STATIC(req, "x-frame-options", "DENY");
    ADD_STATIC(req, "referrer-policy", "same-origin");
}

/* Streaming */

enum { STREAM_PIECE_BYTES = 64 * 1024 };

struct reply_stream {
    pthread_mutex_t lock;
    pthread_cond_t taken;
    bool with_loop; /* the piece in buf is the loop's until it has been written */
    bool gone;      /* the client went away, or h2o stopped the answer */
    /* The writer's side */
    struct buf buf;
    size_t total;
    size_t length; /* SIZE_MAX until known */
    bool ended;
    h2o_send_state_t state; /* of the piece handed over */
    /* The loop's side */
    struct stream_generator *generator;
};

/* Lives in h2o's request memory, as long as h2o may call it. */
struct stream_generator {
    h2o_generator_t super;
    struct reply_stream *stream; /* NULL once the last piece is sent */
};

static void stream_release(struct reply_stream *s, bool gone)
{
    pthread_mutex_lock(&s->lock);
    s->with_loop = false;
    s->gone = s->gone || gone;
    pthread_cond_signal(&s->taken);
    pthread_mutex_unlock(&s->lock);
}

static void on_stream_proceed(h2o_generator_t *self, h2o_req_t *req)
{
    (void)req;
    struct stream_generator *g = (struct stream_generator *)self;
    if (g->stream != NULL)
        stream_release(g->stream, false);
}

static void on_stream_stop(h2o_generator_t *self, h2o_req_t *req)
{
    (void)req;
    struct stream_generator *g = (struct stream_generator *)self;
    if (g->stream != NULL)
        stream_release(g->stream, true);
    g->stream = NULL;
}

void reply_stream_begin(struct request *request, int status, const char *content_type)
{
    reply_stream_begin_sized(request, status, content_type, SIZE_MAX);
}

void reply_stream_begin_sized(struct request *request, int status, const char *content_type, size_t length)
{
    if (request->executor == NULL || request->executor->on_loop) { /* it would wait for itself */
        fprintf(stderr, "npq: BUG: %.*s streams its answer on an event loop\n", (int)request->path.len,
                request->path.ptr);
        reply_error(request, 500, "internal_error", "Sorry, there is a problem with the service. Try again later.");
        return;
    }
    if (!set_response(request, status, content_type, NULL, 0))
        return;
    struct reply_stream *s = request_alloc(request, sizeof(*s));
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->taken, NULL);
    buf_init(&s->buf, STREAM_PIECE_BYTES);
    s->length = length;
    request->response.stream = s;
    request->piece.request = request;
    request->piece.piece = true;
}

/* Hands the gathered piece to the loop and waits until it has been written (or the client has
 * gone). */
static bool hand_over(struct request *request, h2o_send_state_t state)
{
    struct reply_stream *s = request->response.stream;
    s->state = state;
    pthread_mutex_lock(&s->lock);
    s->with_loop = true;
    pthread_mutex_unlock(&s->lock);
    h2o_multithread_send_message(&request->worker->handled, &request->piece.super);
    pthread_mutex_lock(&s->lock);
    while (s->with_loop)
        pthread_cond_wait(&s->taken, &s->lock);
    bool gone = s->gone;
    pthread_mutex_unlock(&s->lock);
    s->total += s->buf.len;
    buf_reset(&s->buf);
    return !gone;
}

bool reply_stream_write(struct request *request, const void *data, size_t len)
{
    struct reply_stream *s = request->response.stream;
    if (s == NULL || s->ended || s->gone)
        return false;
    const char *p = data;
    while (len > 0) {
        size_t room = STREAM_PIECE_BYTES - s->buf.len, n = len < room ? len : room;
        buf_append(&s->buf, p, n);
        p += n, len -= n;
        if (s->buf.len == STREAM_PIECE_BYTES && !hand_over(request, H2O_SEND_STATE_IN_PROGRESS))
            return false;
    }
    return true;
}

static void stream_finish(struct request *request, h2o_send_state_t state)
{
    struct reply_stream *s = request->response.stream;
    if (s == NULL || s->ended)
        return;
    s->ended = true;
    if (!s->gone)
        hand_over(request, state);
    buf_free(&s->buf);
}

void reply_stream_end(struct request *request)
{
    stream_finish(request, H2O_SEND_STATE_FINAL);
}

void reply_stream_fail(struct request *request)
{
    stream_finish(request, H2O_SEND_STATE_ERROR);
}

void reply_stream_send_piece(struct request *request)
{
    struct reply_stream *s = request->response.stream;
    h2o_req_t *req = request->req;
    if (req == NULL) { /* the client has gone */
        stream_release(s, true);
        return;
    }
    if (s->generator == NULL) {
        put_head(request);
        req->res.content_length = s->length; /* SIZE_MAX when not known yet: chunked, or HTTP/2 frames */
        s->generator = h2o_mem_alloc_pool(&req->pool, sizeof(*s->generator));
        *s->generator = (struct stream_generator){{on_stream_proceed, on_stream_stop}, s};
        h2o_start_response(req, &s->generator->super);
    }
    if (s->state == H2O_SEND_STATE_IN_PROGRESS) {
        h2o_iovec_t piece = {s->buf.data, s->buf.len};
        h2o_send(req, &piece, 1, H2O_SEND_STATE_IN_PROGRESS); /* on_stream_proceed hands the buffer back */
        return;
    }
    /* The last piece: h2o may still be writing it after this request is gone, so it is copied
     * into h2o's memory, and the writer is released at once. */
    h2o_iovec_t last = h2o_strdup(&req->pool, s->buf.data ? s->buf.data : "", s->buf.len);
    s->generator->stream = NULL;
    stream_release(s, false);
    h2o_send(req, &last, last.len > 0 ? 1 : 0, s->state);
}

void reply_send(struct request *request)
{
    h2o_req_t *req = request->req;
    struct response *r = &request->response;
    uint64_t now_ms = h2o_now(req->conn->ctx->loop);
    if (r->stream != NULL) {
        /* Sent already, piece by piece; a piece h2o still holds no longer has a writer. */
        if (r->stream->generator != NULL)
            r->stream->generator->stream = NULL;
        access_log_write(&request->worker->log, request, r->status, r->stream->total, now_ms);
        return;
    }
    put_head(request);
    /* h2o_send_inline copies the body but leaves the length unset, which would make HTTP/1.1 chunk it. */
    req->res.content_length = r->len;
    access_log_write(&request->worker->log, request, r->status, r->len, now_ms);
    h2o_send_inline(req, r->body ? r->body : "", r->len);
}
