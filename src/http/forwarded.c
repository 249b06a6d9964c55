/*
 * --trusted-proxy: which peers may say who the client is (forwarded.h), and reading what they say.
 */
#include "http/forwarded.h"

#include "lib/cidr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static struct cidr proxies[FORWARDED_PROXIES_MAX];
static size_t proxy_count;

static bool trusted(int family, const unsigned char *address)
{
    return cidr_contains(proxies, proxy_count, family, address);
}

bool forwarded_trust(const char *spec, char *err, size_t err_size)
{
    size_t added;
    struct str bad;
    if (!cidr_parse_list(spec, proxies + proxy_count, FORWARDED_PROXIES_MAX - proxy_count, &added, &bad)) {
        if (bad.len == 0)
            snprintf(err, err_size, "--trusted-proxy: at most %d proxies", FORWARDED_PROXIES_MAX);
        else
            snprintf(err, err_size, "--trusted-proxy: %.*s is not an address or a network such as 10.0.0.0/8",
                     (int)bad.len, bad.ptr);
        return false;
    }
    proxy_count += added;
    return true;
}

void forwarded_trust_none(void)
{
    proxy_count = 0;
}

bool forwarded_is_trusted(const struct sockaddr *peer, socklen_t len)
{
    unsigned char address[16];
    int family = cidr_address_of(peer, len, address);
    return family != AF_UNSPEC && trusted(family, address);
}

/* The address at the end of value[0, *end), moving *end to before it; false when none is left. */
static bool last_address(const char *value, size_t *end, struct cidr *out, bool *readable)
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
    *readable = memchr(text, '/', len) == NULL && cidr_parse(text, len, out);
    return true;
}

bool forwarded_client(const struct str *values, size_t count, struct sockaddr_storage *out, socklen_t *out_len)
{
    for (size_t v = count; v-- > 0;) {
        size_t end = values[v].len;
        struct cidr n;
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
