/*
 * --trusted-proxy: which peers may say who the client is (forwarded.h), and reading what they say.
 */
#include "http/forwarded.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct network {
    int family;
    unsigned char address[16];
    int prefix; /* bits that must match */
};

static struct network proxies[FORWARDED_PROXIES_MAX];
static size_t proxy_count;

/* An IPv4-mapped IPv6 address (a dual-stack socket's IPv4 peer) is compared as IPv4. */
static int address_of(const struct sockaddr *sa, socklen_t len, unsigned char out[16])
{
    if (sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
        memcpy(out, &((const struct sockaddr_in *)sa)->sin_addr, 4);
        return AF_INET;
    }
    if (sa->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
        const unsigned char *a = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
        static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (memcmp(a, v4_mapped, sizeof(v4_mapped)) == 0) {
            memcpy(out, a + 12, 4);
            return AF_INET;
        }
        memcpy(out, a, 16);
        return AF_INET6;
    }
    return AF_UNSPEC;
}

static bool matches(const struct network *n, int family, const unsigned char *address)
{
    if (n->family != family)
        return false;
    int whole = n->prefix / 8, rest = n->prefix % 8;
    if (memcmp(n->address, address, (size_t)whole) != 0)
        return false;
    return rest == 0 || ((n->address[whole] ^ address[whole]) & (0xff << (8 - rest))) == 0;
}

static bool trusted(int family, const unsigned char *address)
{
    for (size_t i = 0; i < proxy_count; i++)
        if (matches(&proxies[i], family, address))
            return true;
    return false;
}

/* Reads "ADDRESS" or "ADDRESS/BITS" of len bytes. */
static bool network_parse(const char *text, size_t len, struct network *out)
{
    char buf[INET6_ADDRSTRLEN + 8];
    if (len == 0 || len >= sizeof(buf))
        return false;
    memcpy(buf, text, len);
    buf[len] = '\0';
    char *slash = strchr(buf, '/');
    if (slash != NULL)
        *slash = '\0';
    if (inet_pton(AF_INET, buf, out->address) == 1)
        out->family = AF_INET, out->prefix = 32;
    else if (inet_pton(AF_INET6, buf, out->address) == 1)
        out->family = AF_INET6, out->prefix = 128;
    else
        return false;
    if (slash != NULL) {
        int bits = 0;
        const char *p = slash + 1;
        if (*p == '\0')
            return false;
        for (; *p != '\0'; p++) {
            if (*p < '0' || *p > '9' || (bits = bits * 10 + (*p - '0')) > out->prefix)
                return false;
        }
        out->prefix = bits;
    }
    return true;
}

bool forwarded_trust(const char *spec, char *err, size_t err_size)
{
    const char *p = spec;
    for (;;) {
        while (*p == ' ' || *p == ',')
            p++;
        if (*p == '\0')
            return true;
        size_t len = strcspn(p, ", ");
        struct network n = {0};
        if (!network_parse(p, len, &n)) {
            snprintf(err, err_size, "--trusted-proxy: %.*s is not an address or a network such as 10.0.0.0/8", (int)len,
                     p);
            return false;
        }
        if (proxy_count == FORWARDED_PROXIES_MAX) {
            snprintf(err, err_size, "--trusted-proxy: at most %d proxies", FORWARDED_PROXIES_MAX);
            return false;
        }
        proxies[proxy_count++] = n;
        p += len;
    }
}

void forwarded_trust_none(void)
{
    proxy_count = 0;
}

bool forwarded_is_trusted(const struct sockaddr *peer, socklen_t len)
{
    unsigned char address[16];
    int family = address_of(peer, len, address);
    return family != AF_UNSPEC && trusted(family, address);
}

/* The address at the end of value[0, *end), moving *end to before it; false when none is left. */
static bool last_address(const char *value, size_t *end, struct network *out, bool *readable)
{
    size_t e = *end;
    while (e > 0 && (value[e - 1] == ' ' || value[e - 1] == '\t' || value[e - 1] == ','))
        e--;
    if (e == 0)
        return false;
    size_t s = e;
    while (s > 0 && value[s - 1] != ',' && value[s - 1] != ' ' && value[s - 1] != '\t')
        s--;
    *end = s;
    const char *text = value + s;
    size_t len = e - s;
    /* "[v6]:port" and "v4:port" are how some proxies write it */
    if (len > 2 && text[0] == '[') {
        const char *close = memchr(text, ']', len);
        if (close != NULL)
            len = (size_t)(close - text - 1), text++;
    } else if (memchr(text, ':', len) != NULL && memchr(text, '.', len) != NULL) {
        len = (size_t)((const char *)memchr(text, ':', len) - text);
    }
    *readable = memchr(text, '/', len) == NULL && network_parse(text, len, out);
    return true;
}

bool forwarded_client(const struct str *values, size_t count, struct sockaddr_storage *out, socklen_t *out_len)
{
    for (size_t v = count; v-- > 0;) {
        size_t end = values[v].len;
        struct network n;
        bool readable;
        while (last_address(values[v].ptr, &end, &n, &readable)) {
            if (!readable)
                return false; /* what a proxy we believe wrote is not an address: believe nothing */
            if (trusted(n.family, n.address))
                continue;
            memset(out, 0, sizeof(*out));
            if (n.family == AF_INET) {
                struct sockaddr_in *a = (struct sockaddr_in *)out;
                a->sin_family = AF_INET;
                memcpy(&a->sin_addr, n.address, 4);
                *out_len = sizeof(*a);
            } else {
                struct sockaddr_in6 *a = (struct sockaddr_in6 *)out;
                a->sin6_family = AF_INET6;
                memcpy(&a->sin6_addr, n.address, 16);
                *out_len = sizeof(*a);
            }
            return true;
        }
    }
    return false;
}
