/*
 * The HTTP server: one h2o event loop per thread, each with its own listening socket on the same
 * port (SO_REUSEPORT lets the kernel spread connections), its own database connection and
 * catalogue. SIGTERM or SIGINT stops accepting, lets requests in flight finish and returns.
 */
#ifndef NPQ_HTTP_SERVER_H
#define NPQ_HTTP_SERVER_H

struct server_options {
    const char *db;         /* store location */
    const char *listen;     /* "HOST:PORT"; port 0 picks a free one */
    int threads;            /* event-loop threads; 0 for one per core */
    const char *access_log; /* file path, "-" for standard error, "off" for none */
};

/* Runs until a stop signal; returns the process exit status. */
int server_run(const struct server_options *options);

#endif
