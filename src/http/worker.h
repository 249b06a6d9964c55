/*
 * A worker: one event-loop thread of the server with everything it owns alone: its h2o context,
 * the executor that runs requests on the loop itself, the callers it has met, its access-log
 * buffer, and the queue on which the pools hand back requests they have handled. Requests take
 * no lock here.
 */
#ifndef NPQ_HTTP_WORKER_H
#define NPQ_HTTP_WORKER_H

#include "http/access_log.h"
#include "http/caller_cache.h"
#include "http/executor.h"
#include "http/request_rate.h"
#include "http/site.h"

#include <h2o.h>
#include <h2o/multithread.h>
#include <stdbool.h>
#include <stdint.h>

struct request;

struct worker {
    struct site *site;
    h2o_context_t ctx;
    h2o_accept_ctx_t accept_ctx;
    h2o_socket_t *listener;
    struct executor executor; /* no store: requests handled on the loop never wait */
    struct caller_cache callers;
    struct store *revisions; /* never waits: for checking cached callers (auth_authenticate_cached) */
    struct access_log log;
    struct request_rate *rate; /* shared by every worker; NULL for no limit */
    h2o_multithread_queue_t *queue;
    h2o_multithread_receiver_t handled; /* requests the pools have answered */
    size_t in_pools;                    /* requests handed to the pools and not yet back */
};

/* Sets up the loop's side (on the worker's own thread, once its h2o context exists); false with a
 * message on standard error when its database connection cannot be opened. */
bool worker_open(struct worker *worker);
/* Undoes worker_open once nothing is in the pools. */
void worker_close(struct worker *worker);

/* Hands request to the pool for its method; the answer comes back on the worker's queue. */
void worker_send_to_pool(struct worker *worker, struct request *request);

#endif
