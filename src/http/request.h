/*
 * A request as handlers see it: the h2o request, the worker thread serving it, the matched route
 * and its parameters. Memory for the request comes from req->pool (request_alloc) and is released
 * when h2o finishes the request, so handlers never free piece by piece.
 */
#ifndef NPQ_HTTP_REQUEST_H
#define NPQ_HTTP_REQUEST_H

#include "domain/policy.h"
#include "http/router.h"
#include "lib/arena.h"
#include "lib/form.h"
#include "lib/multipart.h"
#include "lib/str.h"

#include <h2o.h>
#include <stdint.h>

struct worker;
struct store;
struct site_settings;
struct catalogue;

struct request {
    h2o_req_t *req;
    struct worker *worker;
    struct store *store;                  /* the database connection of the thread running the handler */
    const struct site_settings *settings; /* the server's settings, the same for every request */
    const struct route *route;
    struct str params[ROUTE_MAX_PARAMS];
    size_t param_count;
    uint64_t started_ns; /* monotonic, for the access log */

    /* Who is asking (auth.c). caller is NULL for anonymous requests. */
    struct caller *caller;
    int64_t session_id;        /* the signed-in session, 0 otherwise */
    const char *session_token; /* the session cookie's value, for binding CSRF tokens */
    const char *visitor_token; /* an anonymous visitor's cookie, for the same */
    bool via_bearer_token;     /* authenticated by an API token: no cookies, so no CSRF */

    /* A decoded form body (POST of a page), filled by the gate; NULL otherwise. For a
     * multipart/form-data body, form holds its text fields and files its uploads (data pointing
     * into the request body); files is NULL and file_count 0 otherwise. */
    struct form *form;
    struct multipart_file *files;
    size_t file_count;
    struct arena *arena_; /* see request_arena */
};

/* An arena released when the request ends, for results the store fills in. */
struct arena *request_arena(struct request *request);

/* The request's query string as a decoded form (empty when none). */
struct form *request_query(struct request *request);

/* The caller's network address, for the audit log and sign-in throttling. */
const char *request_client(struct request *request);

/* A monotonic clock in nanoseconds, for how long requests take. */
uint64_t request_clock_ns(void);

/* Request-lifetime memory, zeroed. */
void *request_alloc(struct request *request, size_t size);

/* Request-lifetime text from a printf format (numbers, dates, ids: never markup). */
const char *request_printf(struct request *request, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A request-lifetime NUL-terminated copy of a slice. */
char *request_strndup(struct request *request, struct str s);

/* The path without its query string. */
struct str request_path(const struct request *request);

/* The value of a request header, or an empty slice. */
struct str request_header(const struct request *request, const h2o_token_t *token);

/* The value of a request header that h2o has no token for ("x-file-name"), or an empty slice. */
struct str request_header_named(const struct request *request, const char *lowercase_name);

/* The request body (empty when none). */
struct str request_body(const struct request *request);

/* The current catalogue, or NULL when none can be loaded. */
const struct catalogue *request_catalogue(struct request *request);

#endif
