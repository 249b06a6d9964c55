/*
 * Signed-in callers an event loop has met, so that a request with a known API token or session
 * cookie is answered without asking the database who it is.
 *
 * Entries are keyed by the hash of the token or cookie. Each remembers the access revision it was
 * looked up under (store_access_revision): any change to accounts, roles, sessions, tokens or
 * organisations moves the revision and makes every entry stale, so a revoked token or a removed
 * role is never honoured from memory. A session entry also keeps the session's absolute end and
 * its last use, so idle and expired sessions end here exactly as they would in the database.
 * One cache per loop, used by that loop's thread only.
 */
#ifndef NPQ_HTTP_CALLER_CACHE_H
#define NPQ_HTTP_CALLER_CACHE_H

#include "domain/policy.h"
#include "lib/arena.h"
#include "store/store.h"

#include <stdbool.h>
#include <stdint.h>

enum { CALLER_CACHE_SLOTS = 8192 };

struct caller_cache_entry {
    bool used;
    bool session;
    unsigned char key[32];
    int64_t access_revision;
    struct credential credential; /* last_used_at: the last use noted, here or in the database */
    struct caller *caller;
    const char *me_json; /* GET /api/v1/me as answered to this caller once, or NULL */
    size_t me_json_len;
    struct arena arena; /* the caller's copy, and me_json */
};

struct caller_cache {
    struct caller_cache_entry *slots;
    size_t used;
};

void caller_cache_init(struct caller_cache *cache);
void caller_cache_dispose(struct caller_cache *cache);

/*
 * The entry for key when it is current: made under access_revision and, for a session, neither
 * past its end nor idle for idle_seconds at now. NULL otherwise.
 */
struct caller_cache_entry *caller_cache_find(struct caller_cache *cache, const unsigned char key[32], bool session,
                                             int64_t access_revision, int64_t now, int64_t idle_seconds);

/* Keeps a copy of caller under key. */
void caller_cache_put(struct caller_cache *cache, const unsigned char key[32], bool session, int64_t access_revision,
                      const struct credential *credential, const struct caller *caller);

/* A deep copy of caller (its grants and account) in arena. */
struct caller *caller_clone(struct arena *arena, const struct caller *caller);

#endif
