/*
 * Responses built from the catalogue, kept per worker until the catalogue changes.
 *
 * Catalogue reads are the hottest requests and their answers only change on import, so each is
 * rendered once and then served from memory with its ETag. Keys are the request's canonical form
 * (e.g. "qualification:NPQSL"). The cache owns copies of keys and bodies.
 */
#ifndef NPQ_HTTP_RESPONSE_CACHE_H
#define NPQ_HTTP_RESPONSE_CACHE_H

#include "http/reply.h"

#include <stddef.h>

enum { RESPONSE_CACHE_SLOTS = 512 };

struct response_cache_entry {
    char *key;
    struct cached_response response;
};

struct response_cache {
    struct response_cache_entry slots[RESPONSE_CACHE_SLOTS];
    size_t used;
};

/* The entry for key, or NULL. */
const struct cached_response *response_cache_get(const struct response_cache *cache, const char *key);

/*
 * Stores a copy of body under key and returns the stored response (with its ETag). When the cache
 * is full it is emptied first: the set of distinct catalogue responses is small, so this only
 * happens under a flood of unusual keys.
 */
const struct cached_response *response_cache_put(struct response_cache *cache, const char *key, const char *body,
                                                 size_t len, const char *content_type, const char *cache_control);

void response_cache_clear(struct response_cache *cache);

#endif
