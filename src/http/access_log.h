/*
 * The access log: one JSON object a line (time, method, path, status, bytes, duration, client),
 * so it can be read by people and by log tools alike.
 *
 * Each worker buffers its own lines and writes them in blocks (when 32 KiB have gathered and at
 * least once a second), because a write() per request would cost a large share of a cached
 * response's time.
 */
#ifndef NPQ_HTTP_ACCESS_LOG_H
#define NPQ_HTTP_ACCESS_LOG_H

#include "lib/buf.h"

#include <stddef.h>
#include <stdint.h>

struct request;

struct access_log {
    int fd; /* -1 when logging is off */
    struct buf pending;
    uint64_t flushed_at_ms;
    /* The time of day changes once a second; format it once a second. */
    long long time_second;
    char time_text[32];
};

void access_log_init(struct access_log *log, int fd);

/* Appends a line for a finished request; writes the buffer out when it is due (now_ms: the loop's
 * clock). */
void access_log_write(struct access_log *log, const struct request *request, int status, size_t bytes, uint64_t now_ms);

/* Writes out whatever is buffered. */
void access_log_flush(struct access_log *log);

void access_log_dispose(struct access_log *log);

#endif
