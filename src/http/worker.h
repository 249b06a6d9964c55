/*
 * A worker: one event-loop thread of the server with everything it owns alone (its h2o context,
 * its database connection, its copy of the catalogue and the responses cached from it, its
 * access-log buffer), so that requests never take a lock.
 */
#ifndef NPQ_HTTP_WORKER_H
#define NPQ_HTTP_WORKER_H

#include "http/access_log.h"
#include "http/response_cache.h"
#include "store/store.h"

#include <h2o.h>
#include <stdbool.h>
#include <stdint.h>

/* Settings every worker reads and none changes. */
struct site_settings {
    int64_t session_idle_seconds; /* a session unused this long ends */
    int64_t session_max_seconds;  /* and none lasts longer than this */
    bool secure_cookies;          /* the site is served over TLS (directly or behind a proxy) */
    const char *base_url;         /* "https://npq.example.org": links in emails start with it */
};

struct worker {
    const struct site_settings *settings;
    unsigned char secret[32]; /* store_secret: the key CSRF tokens are made with */
    h2o_context_t ctx;
    h2o_accept_ctx_t accept_ctx;
    h2o_socket_t *listener;
    struct store *store;
    struct catalogue *catalogue;
    int64_t catalogue_revision;
    uint64_t catalogue_checked_at; /* loop time in ms */
    struct response_cache cache;
    struct access_log log;
};

/*
 * The worker's catalogue, reloaded when the stored one has changed (checked at most once a
 * second, so an import from the command line shows within a second). A reload empties the
 * response cache. NULL only when no catalogue could ever be loaded.
 */
const struct catalogue *worker_catalogue(struct worker *worker);

#endif
