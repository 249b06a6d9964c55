#include "lib/cidr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

bool cidr_parse(const char *text, size_t len, struct cidr *out)
{
    char buf[INET6_ADDRSTRLEN + 8];
    if (len == 0 || len >= sizeof(buf))
        return false;
    memcpy(buf, text, len);
    buf[len] = '\0';
    char *slash = strchr(buf, '/');
    if (slash != NULL)
        *slash = '\0';
    memset(out, 0, sizeof(*out));
    if (inet_pton(AF_INET, buf, out->address) == 1)
        out->family = AF_INET, out->prefix = 32;
    else if (inet_pton(AF_INET6, buf, out->address) == 1)
        out->family = AF_INET6, out->prefix = 128;
    else
        return false;
    if (slash != NULL) {
        unsigned bits = 0;
        const char *p = slash + 1;
        if (*p == '\0')
            return false;
        for (; *p != '\0'; p++)
            if (*p < '0' || *p > '9' || (bits = bits * 10 + (unsigned)(*p - '0')) > out->prefix)
                return false;
        out->prefix = bits;
    }
    return true;
}

bool cidr_parse_list(const char *spec, struct cidr *out, size_t max, size_t *count, struct str *bad)
{
    *count = 0;
    const char *p = spec;
    for (;;) {
        while (*p == ' ' || *p == ',')
            p++;
        if (*p == '\0')
            return true;
        size_t len = strcspn(p, ", ");
        if (*count == max) {
            *bad = (struct str){p, 0};
            return false;
        }
        if (!cidr_parse(p, len, &out[*count])) {
            *bad = (struct str){p, len};
            return false;
        }
        (*count)++;
        p += len;
    }
}

int cidr_address_of(const struct sockaddr *sa, socklen_t len, unsigned char out[16])
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

static bool block_contains(const struct cidr *n, int family, const unsigned char *address)
{
    if (n->family != family)
        return false;
    unsigned whole = n->prefix / 8, rest = n->prefix % 8;
    if (memcmp(n->address, address, whole) != 0)
        return false;
    return rest == 0 || ((n->address[whole] ^ address[whole]) & (0xff << (8 - rest))) == 0;
}

bool cidr_contains(const struct cidr *blocks, size_t count, int family, const unsigned char *address)
{
    for (size_t i = 0; i < count; i++)
        if (block_contains(&blocks[i], family, address))
            return true;
    return false;
}
