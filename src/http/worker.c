#include "http/worker.h"

#include <stdio.h>

enum { CATALOGUE_CHECK_INTERVAL_MS = 1000 };

const struct catalogue *worker_catalogue(struct worker *w)
{
    uint64_t now = h2o_now(w->ctx.loop);
    if (w->catalogue != NULL && now - w->catalogue_checked_at < CATALOGUE_CHECK_INTERVAL_MS)
        return w->catalogue;
    w->catalogue_checked_at = now;
    int64_t revision;
    if (store_catalogue_revision(w->store, &revision) != STORE_OK) {
        fprintf(stderr, "npq: catalogue revision: %s\n", store_last_error(w->store));
        return w->catalogue;
    }
    if (w->catalogue != NULL && revision == w->catalogue_revision)
        return w->catalogue;
    struct catalogue *fresh;
    if (store_catalogue_load(w->store, &fresh) != STORE_OK) {
        fprintf(stderr, "npq: catalogue load: %s\n", store_last_error(w->store));
        return w->catalogue;
    }
    catalogue_free(w->catalogue);
    w->catalogue = fresh;
    w->catalogue_revision = revision;
    response_cache_clear(&w->cache);
    return w->catalogue;
}
