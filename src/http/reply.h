/*
 * Replies: every response npq sends goes through here, so every one carries the security headers
 * and is written to the access log. Each handler calls exactly one reply function, which fills in
 * request->response on whatever thread the handler runs; reply_send, on the loop, sends it.
 */
#ifndef NPQ_HTTP_REPLY_H
#define NPQ_HTTP_REPLY_H

#include "http/request.h"

#include <jansson.h>
#include <stdbool.h>

/* A response body kept between requests (catalogue reads, assets), with its strong ETag. */
struct cached_response {
    const char *body;
    size_t len;
    const char *content_type;
    const char *cache_control;
    char etag[24]; /* "\"" + 16 hex digits + "\"" */
};

/* Fills etag from the body's contents. */
void cached_response_set_etag(struct cached_response *cached);

/* Sends a body, which is copied; content_type must live until the request ends. A second reply
 * to one request is a bug: it is logged and the first stands. */
void reply_body(struct request *request, int status, const char *content_type, const char *body, size_t len);

/* Sends a body that outlives every request (compiled into the binary): not copied. */
void reply_body_static(struct request *request, int status, const char *content_type, const char *body, size_t len);

/* Sends a body (copied) with a strong ETag made from it, or 304 Not Modified when the answer
 * would be 200 and If-None-Match names that ETag: for pages whose body is the same for everyone
 * who asks, where hashing it costs less than sending it. */
void reply_body_tagged(struct request *request, int status, const char *content_type, const char *body, size_t len);

/* Sends a cached response, or 304 Not Modified when If-None-Match names its ETag. */
void reply_cached(struct request *request, const struct cached_response *cached);

/* Sends a JSON document and releases the reference. A NULL document (jansson could not build it)
 * is a failure: 500, logged. */
void reply_json(struct request *request, int status, json_t *document);

/*
 * Sends {"error":{"status":S,"code":C,"message":M}}. code is a stable machine name
 * ("not_found", "method_not_allowed", ...); the message is for people.
 */
void reply_error(struct request *request, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* 303 See Other to location (a path on this site). */
void reply_redirect(struct request *request, const char *location);

/* Adds a response header; name and value are copied. */
void reply_header(struct request *request, const char *name, const char *value);

/* Forgets the answer built so far (status, headers, body), so that a failure found after the
 * handler replied (an invariant broken, a query left open) can answer instead. */
void reply_reset(struct request *request);

/*
 * Streaming, for answers too large to hold whole (exports): begin with the status and type, write
 * the body in as many pieces as it takes, then end. Pieces are gathered into 64 KiB and handed to
 * the loop one at a time; the writer waits while the client reads, so memory stays bounded
 * whatever the size. reply_stream_write returns false once the client has gone: stop making the
 * rest. reply_stream_fail ends the answer as broken (the client sees it cut short), for a failure
 * after the status has gone. On a pool thread only; a stream a handler leaves open is failed.
 */
void reply_stream_begin(struct request *request, int status, const char *content_type);
/* The same for a body whose length is known (a file): sent with Content-Length, not chunked. The
 * writer must then write exactly length bytes. */
void reply_stream_begin_sized(struct request *request, int status, const char *content_type, size_t length);
bool reply_stream_write(struct request *request, const void *data, size_t len);
void reply_stream_end(struct request *request);
void reply_stream_fail(struct request *request);

/* Sends request->response through h2o and writes the access log: on the loop, once. For a
 * streamed answer, only the log. */
void reply_send(struct request *request);

/* On the loop: sends the piece of request's stream that is ready. */
void reply_stream_send_piece(struct request *request);

#endif
