/*
 * What the server knows of itself, the same for every request and every thread: set once before
 * the first request, read-only afterwards.
 */
#ifndef NPQ_HTTP_SITE_H
#define NPQ_HTTP_SITE_H

#include <stdbool.h>
#include <stdint.h>

/* Settings every worker reads and none changes. */
struct site_settings {
    int64_t session_idle_seconds; /* a session unused this long ends */
    int64_t session_max_seconds;  /* and none lasts longer than this */
    bool secure_cookies;          /* the site is served over TLS (directly or behind a proxy) */
    const char *base_url;         /* "https://npq.example.org": links in emails start with it */
    unsigned char secret[32];     /* store_secret: the key CSRF tokens are made with */
};

#endif
