#include "http/access_log.h"

#include "http/request.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

enum { ACCESS_LOG_FLUSH_BYTES = 32 * 1024, ACCESS_LOG_MAX = 1024 * 1024 };

void access_log_init(struct access_log *log, int fd)
{
    log->fd = fd;
    buf_init(&log->pending, ACCESS_LOG_MAX);
    log->flushed_at_ms = 0;
    log->time_second = 0;
    log->time_text[0] = '\0';
}

/* Appends s as the inside of a JSON string: quotes, backslashes and control bytes escaped. */
static void append_json_string(struct buf *b, struct str s)
{
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            buf_append(b, esc, 2);
        } else if (c < 0x20 || c == 0x7f) {
            buf_appendf(b, "\\u%04x", c);
        } else {
            buf_append(b, &s.ptr[i], 1);
        }
    }
}

void access_log_write(struct access_log *log, const struct request *request, int status, size_t bytes, uint64_t now_ms)
{
    if (log->fd < 0)
        return;
    uint64_t duration_us = (request_clock_ns() - request->started_ns) / 1000;
    char client[NI_MAXHOST] = "";
    if (request->peer_len != 0)
        h2o_socket_getnumerichost((void *)&request->peer, request->peer_len, client);
    struct buf *b = &log->pending;
    size_t mark = b->len;
    time_t second = request->arrived_at.tv_sec;
    if (second != log->time_second) {
        struct tm tm;
        gmtime_r(&second, &tm);
        strftime(log->time_text, sizeof(log->time_text), "%Y-%m-%dT%H:%M:%S", &tm);
        log->time_second = second;
    }
    bool ok = buf_appendf(b, "{\"time\":\"%s.%03ldZ\",\"method\":\"", log->time_text,
                          (long)(request->arrived_at.tv_usec / 1000));
    append_json_string(b, request->method);
    buf_append_str(b, "\",\"path\":\"");
    append_json_string(b, request->target);
    ok = ok && buf_appendf(b, "\",\"status\":%d,\"bytes\":%zu,\"duration_us\":%llu,\"client\":\"%s\"}\n", status, bytes,
                           (unsigned long long)duration_us, client);
    if (!ok) /* the buffer is full: drop this line rather than grow without bound */
        buf_truncate(b, mark);
    if (b->len >= ACCESS_LOG_FLUSH_BYTES || now_ms - log->flushed_at_ms >= 1000) {
        access_log_flush(log);
        log->flushed_at_ms = now_ms;
    }
}

void access_log_flush(struct access_log *log)
{
    size_t off = 0;
    while (log->fd >= 0 && off < log->pending.len) {
        ssize_t n = write(log->fd, log->pending.data + off, log->pending.len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    buf_reset(&log->pending);
}

void access_log_dispose(struct access_log *log)
{
    access_log_flush(log);
    buf_free(&log->pending);
}
