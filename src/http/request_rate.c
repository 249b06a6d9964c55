#include "http/request_rate.h"

#include "http/connection_limit.h"

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

struct cidr {
    int family; /* AF_INET or AF_INET6 */
    uint8_t bytes[16];
    unsigned prefix; /* bits that must match */
};

struct request_rate {
    int64_t per_second, capacity; /* capacity in millitokens */
    struct cidr exempt[MAX_EXEMPT];
    size_t exempt_count;
    struct shard shards[SHARDS];
};

static bool parse_cidr(const char *text, size_t len, struct cidr *out)
{
    char address[64];
    const char *slash = memchr(text, '/', len);
    size_t address_len = slash ? (size_t)(slash - text) : len;
    if (address_len == 0 || address_len >= sizeof(address))
        return false;
    memcpy(address, text, address_len);
    address[address_len] = '\0';
    if (inet_pton(AF_INET, address, out->bytes) == 1)
        out->family = AF_INET;
    else if (inet_pton(AF_INET6, address, out->bytes) == 1)
        out->family = AF_INET6;
    else
        return false;
    unsigned max = out->family == AF_INET ? 32 : 128;
    out->prefix = max;
    if (slash != NULL) {
        const char *p = slash + 1, *end = text + len;
        if (p == end || end - p > 3)
            return false;
        unsigned n = 0;
        for (; p < end; p++) {
            if (*p < '0' || *p > '9')
                return false;
            n = n * 10 + (unsigned)(*p - '0');
        }
        if (n > max)
            return false;
        out->prefix = n;
    }
    return true;
}

static bool parse_exempt(struct request_rate *rate, const char *exempt)
{
    if (exempt == NULL || strcmp(exempt, "none") == 0)
        return true;
    const char *p = exempt;
    while (*p != '\0') {
        size_t len = strcspn(p, ",");
        if (len > 0) {
            if (rate->exempt_count == MAX_EXEMPT || !parse_cidr(p, len, &rate->exempt[rate->exempt_count]))
                return false;
            rate->exempt_count++;
        }
        p += len;
        if (*p == ',')
            p++;
    }
    return true;
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

static bool prefix_matches(const uint8_t *a, const uint8_t *b, unsigned bits)
{
    size_t whole = bits / 8;
    if (memcmp(a, b, whole) != 0)
        return false;
    unsigned rest = bits % 8;
    if (rest == 0)
        return true;
    uint8_t mask = (uint8_t)(0xff << (8 - rest));
    return (a[whole] & mask) == (b[whole] & mask);
}

static bool is_exempt(const struct request_rate *rate, const struct sockaddr *addr, socklen_t len)
{
    uint8_t bytes[16];
    int family;
    if (addr->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
        family = AF_INET;
        memcpy(bytes, &((const struct sockaddr_in *)addr)->sin_addr, 4);
    } else if (addr->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)addr)->sin6_addr;
        if (IN6_IS_ADDR_V4MAPPED(a)) { /* an IPv4 client on a dual-stack socket */
            family = AF_INET;
            memcpy(bytes, a->s6_addr + 12, 4);
        } else {
            family = AF_INET6;
            memcpy(bytes, a->s6_addr, 16);
        }
    } else {
        return false;
    }
    for (size_t i = 0; i < rate->exempt_count; i++)
        if (rate->exempt[i].family == family && prefix_matches(bytes, rate->exempt[i].bytes, rate->exempt[i].prefix))
            return true;
    return false;
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
