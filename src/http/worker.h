/*
 * A worker: one event-loop thread of the server with everything it owns alone (its h2o context,
 * its database connection, its copy of the catalogue and the responses cached from it, its
 * access-log buffer), so that requests never take a lock.
 */
#ifndef NPQ_HTTP_WORKER_H
#define NPQ_HTTP_WORKER_H

#include "http/access_log.h"
#include "http/response_cache.h"
#include "http/site.h"
#include "store/store.h"

#include <h2o.h>
#include <stdbool.h>
#include <stdint.h>

struct worker {
    const struct site_settings *settings;
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
