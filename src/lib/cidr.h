/*
 * Addresses and networks written as text ("192.0.2.1", "10.0.0.0/8", "::1", "fd00::/8"), and
 * whether a peer is in one. Shared by the proxies the server believes (http/forwarded) and the
 * addresses the request rate spares (http/request_rate).
 */
#ifndef NPQ_LIB_CIDR_H
#define NPQ_LIB_CIDR_H

#include "lib/str.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct cidr {
    int family; /* AF_INET or AF_INET6 */
    unsigned char address[16];
    unsigned prefix; /* bits that must match */
};

/* Reads "ADDRESS" or "ADDRESS/BITS" of len bytes; false when it is neither. */
bool cidr_parse(const char *text, size_t len, struct cidr *out);

/* Reads blocks separated by commas or spaces into out (room for max). False when one cannot be
 * read (*bad is it) or there are more than max (bad->len is 0). */
bool cidr_parse_list(const char *spec, struct cidr *out, size_t max, size_t *count, struct str *bad);

/* A socket address as its family (AF_INET or AF_INET6; AF_UNSPEC for any other kind) and bytes.
 * An IPv4-mapped IPv6 address (a dual-stack socket's IPv4 peer) counts as IPv4. */
int cidr_address_of(const struct sockaddr *sa, socklen_t len, unsigned char out[16]);

/* Whether an address (as cidr_address_of gives it) is in one of count blocks. */
bool cidr_contains(const struct cidr *blocks, size_t count, int family, const unsigned char *address);

#endif
