/*
 * A request as handlers see it: what arrived, who is asking, the matched route, and the answer
 * being built.
 *
 * A request may be handled on its event loop or on a thread of the server's pools, so a handler
 * never touches h2o: what arrived is captured from h2o when the request comes in (and copied into
 * the request's own memory before it leaves the loop), and the reply functions (reply.h) only
 * fill in request->response, which the loop sends once the handler has returned. Memory for the
 * request comes from its arena (request_alloc) and is released when the answer has been sent, so
 * handlers never free piece by piece.
 */
#ifndef NPQ_HTTP_REQUEST_H
#define NPQ_HTTP_REQUEST_H

#include "app/accounts.h"
#include "domain/policy.h"
#include "http/router.h"
#include "lib/arena.h"
#include "lib/form.h"
#include "lib/multipart.h"
#include "lib/pool.h"
#include "lib/str.h"
#include "store/store.h"

#include <h2o.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/time.h>

struct worker;
struct executor;
struct reply_stream;
struct site;
struct site_settings;
struct catalogue;

struct request_header {
    const h2o_token_t *token; /* h2o's token for a well-known name, or NULL */
    struct str name;          /* lower case */
    struct str value;
};

struct response_header {
    struct response_header *next;
    const char *name;
    const char *value;
};

/* The answer, filled by the reply functions and sent by the loop. */
struct response {
    int status; /* 0 until a reply function has run */
    const char *content_type;
    const char *body; /* request memory, or a cached response the loop sends before it can change */
    size_t len;
    struct response_header *headers, **last_header;
    struct reply_stream *stream; /* a body sent in pieces as it is made (reply_stream_begin), or NULL */
};

/* A message from a pool thread to the request's loop: the request is answered, or a piece of a
 * streamed answer is ready. */
struct request_message {
    h2o_multithread_message_t super;
    struct request *request;
    bool piece;
};

/* What authentication looked up in the database, for the loop's cache of callers. */
struct credential_found {
    bool found;
    bool session;
    unsigned char key[32];   /* the token's or session cookie's hash */
    int64_t access_revision; /* store_revisions().access before the lookup */
    struct credential credential;
};

struct request {
    /* What arrived. */
    struct str method;
    struct str path;         /* normalised, without the query string */
    struct str target;       /* as sent: path and query */
    struct str query;        /* after "?", or empty */
    struct form *query_form; /* query decoded (request_query), once */
    struct request_header *headers;
    size_t header_count;
    struct str body;
    void *body_map;               /* a large body, in a file mapped to read (request_detach); NULL otherwise */
    struct sockaddr_storage peer; /* the client's address: the one a trusted proxy names (forwarded.h) */
    socklen_t peer_len;
    bool forwarded_https;      /* a trusted proxy says the client spoke HTTPS to it */
    struct timeval arrived_at; /* wall clock, for the access log */
    uint64_t started_ns;       /* monotonic, for how long requests take */
    int64_t now;               /* seconds since the epoch when the request arrived */

    /* The route the gate matched. */
    const struct route *route;
    struct str params[ROUTE_MAX_PARAMS];
    size_t param_count;

    /* Who is asking (auth.c). caller is NULL for anonymous requests. */
    struct caller *caller;
    /* On a loop, the loop's cache entry the caller was found in (caller_cache.h), for answers that
     * depend on the caller alone to be kept with it; NULL otherwise. */
    struct caller_cache_entry *caller_entry;
    int64_t session_id;        /* the signed-in session, 0 otherwise */
    const char *session_token; /* the session cookie's value, for binding CSRF tokens */
    const char *visitor_token; /* an anonymous visitor's cookie, for the same */
    bool via_bearer_token;     /* authenticated by an API token: no cookies, so no CSRF */
    bool authenticated;        /* authentication has run (on the loop, from its cache) */
    struct credential_found credential_found;

    /* What the store knows about the record the route's first parameter names, relative to the
     * caller (the gate loads it once, before the policy decides; all false for a route with no
     * record). Handlers read it rather than asking again who the caller is to the record. */
    struct relation relation;

    /* A decoded form body (POST of a page), filled by the gate; NULL otherwise. For a
     * multipart/form-data body, form holds its text fields and files its uploads (data pointing
     * into the request body); files is NULL and file_count 0 otherwise. */
    struct form *form;
    struct multipart_file *files;
    size_t file_count;

    /* Where the handler runs: the store of that thread (NULL on an event loop, where nothing may
     * wait for the database), its caches, and what every thread shares. */
    struct executor *executor;
    struct store *store;
    const struct site_settings *settings;
    struct site *site;

    struct response response;
    struct arena arena;

    /* The loop's side, touched only on the loop's thread: the h2o request while h2o keeps it
     * (NULL once the client has gone), and the worker that sends the answer. */
    h2o_req_t *req;
    struct worker *worker;
    void *guard;
    struct pool_job job;
    struct request_message done, piece;
};

/* Bodies this large or larger leave the loop in a file rather than in memory (request.c). */
enum { REQUEST_SPOOL_BYTES = 1024 * 1024 };

/* The directory upload bodies are spooled to: $TMPDIR, or /var/tmp. */
const char *request_spool_dir(void);

/* The request's arena, released when the request ends, for results the store fills in. */
struct arena *request_arena(struct request *request);

/* The request's query string as a decoded form (empty when none). The gate refuses a query that
 * cannot be decoded (a bad %-escape) with 400 before any handler runs. */
struct form *request_query(struct request *request);

/* Decodes the query string once; false when it is malformed. */
bool request_query_read(struct request *request);

/* The caller's network address, for the audit log and sign-in throttling. */
const char *request_client(struct request *request);

/* The actor for the audit log: the caller (or "anonymous") and their address. */
struct actor request_actor(struct request *request);

/* The surroundings app use cases need (store, actor, base URL, the request's now), with actor
 * filled as request_actor does. */
struct accounts_env request_accounts_env(struct request *request, struct actor *actor);

/* The id in URL parameter index (digits only, 1 or more), or 0. */
int64_t request_param_id(const struct request *request, size_t index);

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

/*
 * For the loop (gate.c and worker.c).
 *
 * request_new captures an h2o request: its strings still point into h2o's memory, which is good
 * for as long as the loop handles it. request_detach copies them into the request's arena before
 * the request goes to another thread, and arranges to hear if h2o lets the request go meanwhile
 * (request->req becomes NULL). request_finish sends the answer, if the client is still there,
 * and frees the request.
 */
struct request *request_new(struct worker *worker, h2o_req_t *req);
void request_detach(struct request *request);
void request_finish(struct request *request);

#endif
