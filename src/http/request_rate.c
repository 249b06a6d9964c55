#include "http/request_rate.h"

#include "http/connection_limit.h"
#include "lib/cidr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/*
 * Buckets live in shards, each a small open-addressing table under its own lock. A client's bucket
 * is looked for in a short window of slots; when none is there, the window's stalest bucket is
 * taken over. Losing a bucket only gives that client a full burst again, which is what a client
 * not seen for a while has anyway, so the table never grows and never needs cleaning.
 */
enum { SHARDS = 16, SLOTS_PER_SHARD = 1024, WINDOW = 8, MAX_EXEMPT = 16 };

struct bucket {
    uint64_t client;
    int64_t updated_ms;
    int64_t millitokens; /* a request costs 1000 */
    bool used;
};

struct shard {
    pthread_mutex_t lock;
    struct bucket slots[SLOTS_PER_SHARD];
};

struct request_rate {
    int64_t per_second, capacity; /* capacity in millitokens */
    struct cidr exempt[MAX_EXEMPT];
    size_t exempt_count;
    struct shard shards[SHARDS];
};

static bool parse_exempt(struct request_rate *rate, const char *exempt)
{
    if (exempt == NULL || strcmp(exempt, "none") == 0)
        return true;
    struct str bad;
    return cidr_parse_list(exempt, rate->exempt, MAX_EXEMPT, &rate->exempt_count, &bad);
}

struct request_rate *request_rate_new(uint32_t per_second, const char *exempt, const char **problem)
{
    *problem = NULL;
    struct request_rate *rate = calloc(1, sizeof(*rate));
    if (rate == NULL) {
        *problem = "out of memory";
        return NULL;
    }
    if (per_second == 0 || !parse_exempt(rate, exempt)) {
        *problem = per_second == 0 ? "the rate must be 1 or more"
                                   : "the exempt list must be up to 16 CIDR blocks "
                                     "such as 127.0.0.0/8,::1/128, or none";
        free(rate);
        return NULL;
    }
    rate->per_second = per_second;
    rate->capacity = (int64_t)per_second * REQUEST_RATE_BURST_SECONDS * 1000;
    for (size_t i = 0; i < SHARDS; i++)
        pthread_mutex_init(&rate->shards[i].lock, NULL);
    return rate;
}

void request_rate_free(struct request_rate *rate)
{
    if (rate == NULL)
        return;
    for (size_t i = 0; i < SHARDS; i++)
        pthread_mutex_destroy(&rate->shards[i].lock);
    free(rate);
}

static bool is_exempt(const struct request_rate *rate, const struct sockaddr *addr, socklen_t len)
{
    unsigned char address[16];
    int family = cidr_address_of(addr, len, address);
    return family != AF_UNSPEC && cidr_contains(rate->exempt, rate->exempt_count, family, address);
}

static struct bucket *bucket_of(struct shard *shard, uint64_t client, uint64_t hash, int64_t now_ms, int64_t capacity)
{
    struct bucket *stalest = NULL;
    for (size_t i = 0; i < WINDOW; i++) {
        struct bucket *b = &shard->slots[(hash + i) % SLOTS_PER_SHARD];
        if (b->used && b->client == client)
            return b;
        if (stalest == NULL || !b->used || (stalest->used && b->updated_ms < stalest->updated_ms))
            stalest = b;
    }
    *stalest = (struct bucket){.client = client, .updated_ms = now_ms, .millitokens = capacity, .used = true};
    return stalest;
}

bool request_rate_allow(struct request_rate *rate, const struct sockaddr *addr, socklen_t len, int64_t now_ms,
                        uint32_t *retry_after_seconds)
{
    if (is_exempt(rate, addr, len))
        return true;
    uint64_t client = connection_limit_client(addr, len);
    uint64_t hash = client * 0x9e3779b97f4a7c15ull;
    struct shard *shard = &rate->shards[(hash >> 60) % SHARDS];
    pthread_mutex_lock(&shard->lock);
    struct bucket *b = bucket_of(shard, client, (size_t)(hash >> 32), now_ms, rate->capacity);
    if (now_ms > b->updated_ms) {
        int64_t refill = (now_ms - b->updated_ms) * rate->per_second; /* per_second millitokens a ms */
        b->millitokens = refill >= rate->capacity - b->millitokens ? rate->capacity : b->millitokens + refill;
        b->updated_ms = now_ms;
    }
    bool allowed = b->millitokens >= 1000;
    if (allowed) {
        b->millitokens -= 1000;
    } else {
        int64_t wait_ms = (1000 - b->millitokens + rate->per_second - 1) / rate->per_second;
        *retry_after_seconds = (uint32_t)((wait_ms + 999) / 1000); /* at least 1: Retry-After counts seconds */
    }
    pthread_mutex_unlock(&shard->lock);
    return allowed;
}
