#include "http/connection_limit.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Clients with connections open, in an open-addressing table with linear probing. It has at
 * least twice as many slots as connections can be open, so it is never more than half full. */
struct client_count {
    uint64_t client;
    size_t open; /* 0 marks a free slot */
};

struct connection_limit {
    pthread_mutex_t lock;
    size_t max_total, max_per_client, open;
    size_t mask; /* slots - 1, slots a power of two */
    struct client_count *slots;
};

struct connection_limit *connection_limit_new(size_t max_total, size_t max_per_client)
{
    if (max_total == 0 || max_per_client == 0 || max_total > SIZE_MAX / 4)
        return NULL;
    size_t slots = 16;
    while (slots < 2 * max_total)
        slots *= 2;
    struct connection_limit *limit = calloc(1, sizeof(*limit));
    if (limit == NULL)
        return NULL;
    limit->slots = calloc(slots, sizeof(*limit->slots));
    if (limit->slots == NULL) {
        free(limit);
        return NULL;
    }
    pthread_mutex_init(&limit->lock, NULL);
    limit->max_total = max_total;
    limit->max_per_client = max_per_client;
    limit->mask = slots - 1;
    return limit;
}

void connection_limit_free(struct connection_limit *limit)
{
    if (limit == NULL)
        return;
    pthread_mutex_destroy(&limit->lock);
    free(limit->slots);
    free(limit);
}

uint64_t connection_limit_client(const struct sockaddr *addr, socklen_t len)
{
    if (addr->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
        const uint8_t *a = ((const struct sockaddr_in6 *)addr)->sin6_addr.s6_addr;
        static const uint8_t v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        uint64_t prefix = 0;
        if (memcmp(a, v4_mapped, sizeof v4_mapped) == 0) /* an IPv4 client on a dual-stack socket */
            return ((uint64_t)a[12] << 24) | ((uint64_t)a[13] << 16) | ((uint64_t)a[14] << 8) | a[15];
        for (int i = 0; i < 8; i++)
            prefix = prefix << 8 | a[i];
        /* IPv4 clients are below 2^32; the few /64s there (all reserved) are moved out of it */
        return prefix >= 1ull << 32 ? prefix : prefix | 1ull << 63;
    }
    if (addr->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in))
        return ntohl(((const struct sockaddr_in *)addr)->sin_addr.s_addr);
    return UINT64_MAX; /* any other kind of peer counts as one client */
}

/* Where client's probe run starts. Fibonacci hashing spreads neighbouring addresses. */
static size_t home_of(const struct connection_limit *limit, uint64_t client)
{
    return (size_t)((client * 0x9e3779b97f4a7c15ull) >> 32) & limit->mask;
}

static size_t slot_of(const struct connection_limit *limit, uint64_t client)
{
    size_t i = home_of(limit, client);
    while (limit->slots[i].open != 0 && limit->slots[i].client != client)
        i = (i + 1) & limit->mask;
    return i;
}

bool connection_limit_enter(struct connection_limit *limit, uint64_t client)
{
    pthread_mutex_lock(&limit->lock);
    size_t i = slot_of(limit, client);
    bool allowed = limit->open < limit->max_total &&
                   (client == CONNECTION_LIMIT_PROXY || limit->slots[i].open < limit->max_per_client);
    if (allowed) {
        limit->slots[i].client = client;
        limit->slots[i].open++;
        limit->open++;
    }
    pthread_mutex_unlock(&limit->lock);
    return allowed;
}

void connection_limit_leave(struct connection_limit *limit, uint64_t client)
{
    pthread_mutex_lock(&limit->lock);
    size_t i = slot_of(limit, client);
    if (limit->slots[i].open > 0) {
        limit->open--;
        if (--limit->slots[i].open == 0) {
            /* Backward-shift deletion: move later entries of the probe run into the hole, so
             * lookups never stop early at it and no tombstones pile up. */
            size_t hole = i;
            for (size_t j = (i + 1) & limit->mask; limit->slots[j].open != 0; j = (j + 1) & limit->mask) {
                size_t home = home_of(limit, limit->slots[j].client);
                /* j may move to hole when its home is not in the cyclic range (hole, j]. */
                bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
                if (!stays) {
                    limit->slots[hole] = limit->slots[j];
                    limit->slots[j].open = 0;
                    hole = j;
                }
            }
        }
    }
    pthread_mutex_unlock(&limit->lock);
}

size_t connection_limit_open(struct connection_limit *limit, uint64_t client, size_t *from_client)
{
    pthread_mutex_lock(&limit->lock);
    size_t total = limit->open;
    *from_client = limit->slots[slot_of(limit, client)].open;
    pthread_mutex_unlock(&limit->lock);
    return total;
}
