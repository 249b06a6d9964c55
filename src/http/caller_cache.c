/*
 * Open addressing with linear probing, at most half full; emptied when it fills, since a loop
 * meets far fewer distinct callers than it has room for.
 */
#include "http/caller_cache.h"

#include "lib/die.h"

#include <stdlib.h>
#include <string.h>

void caller_cache_init(struct caller_cache *cache)
{
    cache->slots = calloc(CALLER_CACHE_SLOTS, sizeof(*cache->slots));
    if (cache->slots == NULL)
        die("out of memory");
    cache->used = 0;
}

static void clear(struct caller_cache *cache)
{
    for (size_t i = 0; i < CALLER_CACHE_SLOTS; i++)
        if (cache->slots[i].used) {
            arena_release(&cache->slots[i].arena);
            cache->slots[i] = (struct caller_cache_entry){0};
        }
    cache->used = 0;
}

void caller_cache_dispose(struct caller_cache *cache)
{
    if (cache->slots == NULL)
        return;
    clear(cache);
    free(cache->slots);
    cache->slots = NULL;
}

static size_t slot_of(const unsigned char key[32], bool session)
{
    uint64_t h;
    memcpy(&h, key, sizeof(h)); /* the key is a cryptographic hash already */
    return (size_t)((h ^ (uint64_t)session) % CALLER_CACHE_SLOTS);
}

static struct caller_cache_entry *lookup(struct caller_cache *cache, const unsigned char key[32], bool session)
{
    for (size_t i = slot_of(key, session), n = 0; n < CALLER_CACHE_SLOTS; i = (i + 1) % CALLER_CACHE_SLOTS, n++) {
        struct caller_cache_entry *e = &cache->slots[i];
        if (!e->used || (e->session == session && memcmp(e->key, key, 32) == 0))
            return e;
    }
    return NULL;
}

struct caller_cache_entry *caller_cache_find(struct caller_cache *cache, const unsigned char key[32], bool session,
                                             int64_t access_revision, int64_t now, int64_t idle_seconds)
{
    struct caller_cache_entry *e = lookup(cache, key, session);
    if (e == NULL || !e->used || e->access_revision != access_revision)
        return NULL;
    /* A session always ends, and is also let go when idle; a token ends only when it was given an end. */
    if ((session || e->credential.expires_at != 0) && now >= e->credential.expires_at)
        return NULL;
    if (session && now - e->credential.last_used_at > idle_seconds)
        return NULL;
    return e;
}

void caller_cache_put(struct caller_cache *cache, const unsigned char key[32], bool session, int64_t access_revision,
                      const struct credential *credential, const struct caller *caller)
{
    if (cache->used >= CALLER_CACHE_SLOTS / 2)
        clear(cache);
    struct caller_cache_entry *e = lookup(cache, key, session);
    if (e->used)
        arena_release(&e->arena);
    else
        cache->used++;
    *e = (struct caller_cache_entry){
        .used = true, .session = session, .access_revision = access_revision, .credential = *credential};
    memcpy(e->key, key, 32);
    e->caller = caller_clone(&e->arena, caller);
}

static struct role_grant *clone_grants(struct arena *arena, const struct role_grant *grants, size_t count)
{
    struct role_grant *copy = arena_alloc(arena, sizeof(*copy) * (count ? count : 1));
    for (size_t i = 0; i < count; i++) {
        copy[i] = grants[i];
        copy[i].organisation_name = arena_strdup(arena, grants[i].organisation_name);
    }
    return copy;
}

struct caller *caller_clone(struct arena *arena, const struct caller *caller)
{
    struct caller *copy = arena_alloc(arena, sizeof(*copy));
    *copy = *caller;
    copy->email = arena_strdup(arena, caller->email);
    copy->name = arena_strdup(arena, caller->name);
    struct role_grant *grants = clone_grants(arena, caller->grants, caller->grant_count);
    copy->grants = grants;
    if (caller->user != NULL) {
        struct user *user = arena_alloc(arena, sizeof(*user));
        *user = *caller->user;
        user->email = copy->email;
        user->name = copy->name;
        user->organisation_name = arena_strdup(arena, caller->user->organisation_name);
        user->roles = caller->user->roles == caller->grants
                          ? grants
                          : clone_grants(arena, caller->user->roles, caller->user->role_count);
        copy->user = user;
    }
    return copy;
}
