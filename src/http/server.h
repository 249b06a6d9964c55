/*
 * The HTTP server: one h2o event loop per thread, each with its own listening socket on the same
 * port (SO_REUSEPORT lets the kernel spread connections), its own database connection and
 * catalogue. SIGTERM or SIGINT stops accepting, lets requests in flight finish and returns.
 */
#ifndef NPQ_HTTP_SERVER_H
#define NPQ_HTTP_SERVER_H

#include <stdbool.h>
#include <stdint.h>

struct server_options {
    const char *db;               /* store location */
    const char *listen;           /* "HOST:PORT"; port 0 picks a free one */
    int threads;                  /* event-loop threads; 0 for one per core */
    const char *access_log;       /* file path, "-" for standard error, "off" for none */
    int64_t session_idle_seconds; /* 0 for the default, 30 minutes */
    int64_t session_max_seconds;  /* 0 for the default, 12 hours */
    bool secure_cookies;
    const char *base_url; /* for links in emails; NULL for http://LISTEN */
    const char *smtp_url; /* NULL or "log" prints mail to standard output */
    const char *mail_from;
    const char *smtp_username, *smtp_password;
    int64_t reminder_lead_seconds;  /* how long before an event its reminder is sent; 0 for a day */
    int notify_interval_ms;         /* how often notifications are looked for; 0 for 30 s */
    int dfe_sync_interval_seconds;  /* how often to sync with the DfE; 0 for never */
    int max_connections;            /* open at once in all; 0 for CONNECTION_LIMIT_DEFAULT_TOTAL */
    int max_connections_per_client; /* from one address (an IPv6 /64); 0 for the default */
    int rate_limit;                 /* requests a second from one client; 0 for the default, -1 for none */
    const char *rate_limit_exempt;  /* CIDR blocks never limited; NULL for REQUEST_RATE_DEFAULT_EXEMPT */
    int64_t content_file_limit;     /* bytes of a content item's attached file; 0 for 50 MiB */
};

/* Runs until a stop signal; returns the process exit status. */
int server_run(const struct server_options *options);

#endif
