/*
 * How many connections the server holds open, in all and from one client, so that one client
 * (thousands of slow readers, a flood of idle sockets) cannot take what others need. Shared by
 * every event-loop thread; a connection over either cap is answered 503 and closed at once.
 *
 * A client is its IPv4 address, or the /64 an IPv6 address is in (a host is usually given a whole
 * /64, so counting single IPv6 addresses would be no limit at all).
 */
#ifndef NPQ_HTTP_CONNECTION_LIMIT_H
#define NPQ_HTTP_CONNECTION_LIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

enum { CONNECTION_LIMIT_DEFAULT_TOTAL = 4096, CONNECTION_LIMIT_DEFAULT_PER_CLIENT = 256 };

struct connection_limit;

/* A limit of max_total connections in all and max_per_client from one client (both 1 or more).
 * Returns NULL when out of memory. */
struct connection_limit *connection_limit_new(size_t max_total, size_t max_per_client);
void connection_limit_free(struct connection_limit *limit);

/* The client a peer address belongs to. */
uint64_t connection_limit_client(const struct sockaddr *addr, socklen_t len);

/* The "client" of a trusted proxy's connections (--trusted-proxy), which carry many clients:
 * counted in all, never against the cap per client. (It stands for an IPv6 multicast /64, which
 * is never a peer.) */
#define CONNECTION_LIMIT_PROXY (UINT64_MAX - 1)

/* Counts a new connection from client and returns true, or returns false (counting nothing) when
 * it would go over either cap. */
bool connection_limit_enter(struct connection_limit *limit, uint64_t client);

/* A connection that entered has closed. */
void connection_limit_leave(struct connection_limit *limit, uint64_t client);

/* Connections open now, in all and from client. */
size_t connection_limit_open(struct connection_limit *limit, uint64_t client, size_t *from_client);

#endif
