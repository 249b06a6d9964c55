/*
 * Which peers are proxies the server believes (--trusted-proxy), and the client a proxy says it
 * forwards for. Behind nginx every connection comes from nginx; only a proxy named here may say,
 * in X-Forwarded-For and X-Forwarded-Proto, who the client is and whether it spoke HTTPS, so the
 * sign-in throttle, the audit log, sessions and the access log see the real client, and a client
 * talking to the server directly cannot pass itself off as another by sending the headers.
 * Configured once before serving; read by every loop afterwards without locks.
 */
#ifndef NPQ_HTTP_FORWARDED_H
#define NPQ_HTTP_FORWARDED_H

#include "lib/str.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

enum { FORWARDED_PROXIES_MAX = 32 };

/* Adds the proxies of spec: addresses or networks ("127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"),
 * separated by commas. False with a message in err when one cannot be read or there are too many. */
bool forwarded_trust(const char *spec, char *err, size_t err_size);

/* Forgets every proxy (for tests). */
void forwarded_trust_none(void);

/* Whether peer is a proxy the server believes. */
bool forwarded_is_trusted(const struct sockaddr *peer, socklen_t len);

/*
 * The client of a request that came from a trusted proxy, from the values of its
 * X-Forwarded-For headers in order (a proxy appends the address it saw to what it was given):
 * read from the right, the first address that is not itself a trusted proxy. Anything to its
 * left was written by the client and is not believed. False, leaving *out alone, when no
 * address can be read.
 */
bool forwarded_client(const struct str *values, size_t count, struct sockaddr_storage *out, socklen_t *out_len);

#endif
