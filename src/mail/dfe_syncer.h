/*
 * The DfE syncer: a thread of the server that runs the sync with the DfE's lead-provider API
 * (app/dfe_sync.h) every interval. Several servers may run one on a database: the sync's lease
 * lets one run at a time, the others find it held and wait for their next turn.
 */
#ifndef NPQ_MAIL_DFE_SYNCER_H
#define NPQ_MAIL_DFE_SYNCER_H

#include <stddef.h>

struct store_engine;

struct dfe_syncer_options {
    struct store_engine *engine; /* the database; the syncer opens its own connection to it */
    int interval_seconds;        /* how often to sync; 0 starts no syncer */
};

struct dfe_syncer;

/* Starts the thread (NULL without error when interval_seconds is 0). On failure returns NULL
 * with a message in err. */
struct dfe_syncer *dfe_syncer_start(const struct dfe_syncer_options *options, char *err, size_t err_size);

/* Stops a run in hand between two calls, stops the thread and frees everything. NULL-safe. */
void dfe_syncer_stop(struct dfe_syncer *syncer);

#endif
