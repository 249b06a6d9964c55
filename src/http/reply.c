/*
 * Response writing, security headers and the hand-off to the access log.
 */
#include "http/reply.h"

#include "http/access_log.h"
#include "http/worker.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define CSP                                                                                                            \
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "                 \
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

void cached_response_set_etag(struct cached_response *cached)
{
    unsigned char hash[8];
    crypto_generichash(hash, sizeof(hash), (const unsigned char *)cached->body, cached->len, NULL, 0);
    char hex[17];
    sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
    snprintf(cached->etag, sizeof(cached->etag), "\"%s\"", hex);
}

static const char *status_reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    }
    return "Unknown";
}

static void add_header(h2o_req_t *req, const char *name, const char *value)
{
    h2o_add_header_by_str(&req->pool, &req->res.headers, name, strlen(name), 0, NULL, value, strlen(value));
}

void reply_header(struct request *request, const char *name, const char *value)
{
    add_header(request->req, name, value);
}

static void add_security_headers(h2o_req_t *req)
{
    add_header(req, "content-security-policy", CSP);
    add_header(req, "x-content-type-options", "nosniff");
    add_header(req, "x-frame-options", "DENY");
    add_header(req, "referrer-policy", "same-origin");
}

void reply_body(struct request *request, int status, const char *content_type, const char *body, size_t len)
{
    h2o_req_t *req = request->req;
    req->res.status = status;
    req->res.reason = status_reason(status);
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, content_type, strlen(content_type));
    add_security_headers(req);
    /* h2o_send_inline copies the body but leaves the length unset, which would make HTTP/1.1 chunk it. */
    req->res.content_length = len;
    access_log_write(&request->worker->log, request, status, len);
    h2o_send_inline(req, body, len);
}

void reply_cached(struct request *request, const struct cached_response *cached)
{
    h2o_req_t *req = request->req;
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ETAG, NULL, cached->etag, strlen(cached->etag));
    if (cached->cache_control != NULL)
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, cached->cache_control,
                       strlen(cached->cache_control));
    struct str if_none_match = request_header(request, H2O_TOKEN_IF_NONE_MATCH);
    if (if_none_match.len > 0 &&
        (memmem(if_none_match.ptr, if_none_match.len, cached->etag, strlen(cached->etag)) != NULL ||
         str_eq(if_none_match, STR_LIT("*")))) {
        req->res.status = 304;
        req->res.reason = "Not Modified";
        add_security_headers(req);
        access_log_write(&request->worker->log, request, 304, 0);
        h2o_send_inline(req, "", 0);
        return;
    }
    reply_body(request, 200, cached->content_type, cached->body, cached->len);
}

void reply_json(struct request *request, int status, json_t *document)
{
    size_t len = json_dumpb(document, NULL, 0, JSON_COMPACT | JSON_PRESERVE_ORDER);
    char *body = h2o_mem_alloc_pool(&request->req->pool, len + 1);
    json_dumpb(document, body, len, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(document);
    reply_body(request, status, "application/json; charset=utf-8", body, len);
}

void reply_error(struct request *request, int status, const char *code, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    reply_json(request, status,
               json_pack("{s:{s:i, s:s, s:s}}", "error", "status", status, "code", code, "message", message));
}

void reply_redirect(struct request *request, const char *location)
{
    h2o_req_t *req = request->req;
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_LOCATION, NULL, location, strlen(location));
    reply_body(request, 303, "text/plain; charset=utf-8", "", 0);
}
