#include "http/executor.h"

#include "http/site.h"

#include <string.h>

void executor_init(struct executor *executor, struct site *site, struct store *store)
{
    memset(executor, 0, sizeof(*executor));
    executor->site = site;
    executor->store = store;
    executor->on_loop = store == NULL;
}

void executor_dispose(struct executor *executor)
{
    response_cache_clear(&executor->cache);
    site_catalogue_release(executor->catalogue);
    executor->catalogue = NULL;
}

const struct catalogue *executor_catalogue(struct executor *executor)
{
    uint64_t generation = site_catalogue_generation(executor->site);
    if (executor->catalogue == NULL || generation != executor->catalogue_generation) {
        struct site_catalogue *fresh = site_catalogue_acquire(executor->site, &executor->catalogue_generation);
        site_catalogue_release(executor->catalogue);
        executor->catalogue = fresh;
        response_cache_clear(&executor->cache);
    }
    return site_catalogue_get(executor->catalogue);
}
