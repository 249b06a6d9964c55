/*
 * How many requests one client may make: a token bucket per client, shared by every event-loop
 * thread, so that one script hammering the server cannot take the time everyone else needs. A
 * client is counted as the connection caps count it (an IPv4 address, or an IPv6 /64).
 *
 * Some addresses are exempt: by default loopback, since a reverse proxy on the same machine makes
 * every client look like 127.0.0.1, and limiting that one address would cut off everybody at once
 * (such a proxy limits clients itself). `--rate-limit-exempt none` counts loopback too.
 */
#ifndef NPQ_HTTP_REQUEST_RATE_H
#define NPQ_HTTP_REQUEST_RATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

enum { REQUEST_RATE_DEFAULT_PER_SECOND = 50, REQUEST_RATE_BURST_SECONDS = 10 };

#define REQUEST_RATE_DEFAULT_EXEMPT "127.0.0.0/8,::1/128"

struct request_rate;

/* A limit of per_second requests a second from each client, with bursts of up to
 * REQUEST_RATE_BURST_SECONDS seconds' worth; exempt is a comma-separated list of CIDR blocks
 * ("none" or "" for none). NULL with *problem set when exempt cannot be read or memory is short. */
struct request_rate *request_rate_new(uint32_t per_second, const char *exempt, const char **problem);
void request_rate_free(struct request_rate *rate);

/* Whether a request from addr may go on at now_ms (a monotonic clock in milliseconds). When it may
 * not, *retry_after_seconds says when the next one would be let through. */
bool request_rate_allow(struct request_rate *rate, const struct sockaddr *addr, socklen_t len, int64_t now_ms,
                        uint32_t *retry_after_seconds);

#endif
