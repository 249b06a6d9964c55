/*
 * An HTTP client for calling other services' JSON APIs: one request at a time over libcurl, with
 * a deadline, and the arithmetic of trying again (exponential back-off with full jitter, or the
 * wait a server asked for with Retry-After). It knows nothing of what it calls; retrying is the
 * caller's to decide, because only the caller knows whether a request may be sent twice.
 */
#ifndef NPQ_LIB_HTTP_CLIENT_H
#define NPQ_LIB_HTTP_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    HTTP_CLIENT_MAX_BODY = 16 * 1024 * 1024, /* an answer larger than this is refused */
    HTTP_CLIENT_RETRY_AFTER_MAX = 300,       /* a longer Retry-After is waited for this long */
};

struct http_client_request {
    const char *method; /* "GET", "POST", "PUT" */
    const char *url;
    const char *bearer; /* sent as "Authorization: Bearer ..."; NULL for none */
    const char *body;   /* JSON, or NULL for none */
    long timeout_ms;    /* the whole exchange; 0 for 30 s */
};

struct http_client_response {
    long status; /* 0 when no answer came (the connection failed or timed out) */
    char *body;  /* NUL-terminated, owned by the response; "" when none */
    size_t body_len;
    long retry_after; /* seconds the server asked to wait (429, 503), -1 when it did not say */
    int64_t duration_ms;
    char error[256]; /* why there was no answer, in words */
};

/* Sends one request and waits for its answer. Returns false when no answer came (status 0 and
 * error say why). Free the response with http_client_response_free, in either case. */
bool http_client_send(const struct http_client_request *request, struct http_client_response *response);
void http_client_response_free(struct http_client_response *response);

/* Whether an answer (or none) is worth asking again for: none, 408, 429 and 5xx. */
bool http_client_retryable(long status);

/*
 * How long to wait before attempt number attempt (1 for the first retry): the server's
 * Retry-After when it gave one (capped at HTTP_CLIENT_RETRY_AFTER_MAX), otherwise a random time
 * up to base_ms * 2^(attempt-1), capped at max_ms ("full jitter": clients that failed together do
 * not come back together). random is a uniformly random number the caller supplies.
 */
int64_t http_client_backoff_ms(int attempt, long retry_after, int64_t base_ms, int64_t max_ms, uint32_t random);

#endif
