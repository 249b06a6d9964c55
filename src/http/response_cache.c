/*
 * Open addressing with linear probing, at most half full.
 */
#include "http/response_cache.h"

#include "lib/die.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t slot_of(const char *key)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return (size_t)(h % RESPONSE_CACHE_SLOTS);
}

const struct cached_response *response_cache_get(const struct response_cache *cache, const char *key)
{
    for (size_t i = slot_of(key), n = 0; n < RESPONSE_CACHE_SLOTS; i = (i + 1) % RESPONSE_CACHE_SLOTS, n++) {
        const struct response_cache_entry *e = &cache->slots[i];
        if (e->key == NULL)
            return NULL;
        if (strcmp(e->key, key) == 0)
            return &e->response;
    }
    return NULL;
}

const struct cached_response *response_cache_put(struct response_cache *cache, const char *key, const char *body,
                                                 size_t len, const char *content_type, const char *cache_control)
{
    if (cache->used >= RESPONSE_CACHE_SLOTS / 2)
        response_cache_clear(cache);
    size_t i = slot_of(key);
    while (cache->slots[i].key != NULL && strcmp(cache->slots[i].key, key) != 0)
        i = (i + 1) % RESPONSE_CACHE_SLOTS;
    struct response_cache_entry *e = &cache->slots[i];
    if (e->key == NULL) {
        e->key = strdup(key);
        if (e->key == NULL)
            die("out of memory");
        cache->used++;
    } else {
        free((char *)e->response.body);
    }
    char *copy = malloc(len + 1);
    if (copy == NULL)
        die("out of memory");
    memcpy(copy, body, len);
    copy[len] = '\0';
    e->response = (struct cached_response){
        .body = copy, .len = len, .content_type = content_type, .cache_control = cache_control};
    cached_response_set_etag(&e->response);
    return &e->response;
}

void response_cache_clear(struct response_cache *cache)
{
    for (size_t i = 0; i < RESPONSE_CACHE_SLOTS; i++) {
        free(cache->slots[i].key);
        free((char *)cache->slots[i].response.body);
        cache->slots[i] = (struct response_cache_entry){0};
    }
    cache->used = 0;
}
