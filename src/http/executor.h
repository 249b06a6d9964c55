/*
 * An executor: what a request is handled with on the thread that handles it. Each event loop has
 * one, with no store (nothing on a loop may wait for the database); each thread of the server's
 * pools has one with its own store connection. Nothing in it is shared, so requests take no lock
 * to use it.
 */
#ifndef NPQ_HTTP_EXECUTOR_H
#define NPQ_HTTP_EXECUTOR_H

#include "http/response_cache.h"

#include <stdbool.h>
#include <stdint.h>

struct site;
struct site_catalogue;
struct store;
struct catalogue;

struct executor {
    struct site *site;
    struct store *store; /* NULL on an event loop */
    bool on_loop;
    struct response_cache cache; /* responses built from the catalogue in hand */
    struct site_catalogue *catalogue;
    uint64_t catalogue_generation;
};

void executor_init(struct executor *executor, struct site *site, struct store *store);
/* Releases the caches; the store is its owner's to close. */
void executor_dispose(struct executor *executor);

/*
 * The current catalogue: the one in hand, or the site's newer one, taken (and the response cache
 * emptied) at the first use after it changed. NULL only when no catalogue could ever be loaded.
 */
const struct catalogue *executor_catalogue(struct executor *executor);

#endif
