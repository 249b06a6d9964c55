/*
 * Sending files (see file_reply.h): the conditional and range logic once, the body from memory
 * or from the blob store.
 */
#include "http/file_reply.h"

#include "http/reply.h"
#include "lib/file_type.h"
#include "lib/http_range.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Whether an If-None-Match list names etag (weak comparison, RFC 9110 13.1.2), or is "*". */
static bool none_match_names(struct str header, const char *etag)
{
    if (str_eq(header, STR_LIT("*")))
        return true;
    size_t n = strlen(etag);
    const char *p = header.ptr, *end = header.ptr + header.len;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
            p++;
        if (end - p >= 2 && p[0] == 'W' && p[1] == '/')
            p += 2;
        const char *start = p;
        while (p < end && *p != ',')
            p++;
        const char *stop = p;
        while (stop > start && (stop[-1] == ' ' || stop[-1] == '\t'))
            stop--;
        if ((size_t)(stop - start) == n && memcmp(start, etag, n) == 0)
            return true;
    }
    return false;
}

/* What to send of a representation: the headers every answer carries, then 304, 416, 206 or 200
 * with *range the bytes to send. */
static int decide(struct request *request, uint64_t size, const char *etag, struct http_range *range)
{
    reply_header(request, "etag", etag);
    reply_header(request, "accept-ranges", "bytes");
    if (none_match_names(request_header(request, H2O_TOKEN_IF_NONE_MATCH), etag))
        return 304;
    *range = (struct http_range){0, size > 0 ? size - 1 : 0};
    struct str header = request_header(request, H2O_TOKEN_RANGE);
    struct str if_range = request_header(request, H2O_TOKEN_IF_RANGE);
    /* A range of another version would splice two files: only for the ETag sent now (a date in
     * If-Range is a weak validator, which RFC 9110 forbids comparing here). */
    if (header.len == 0 || (if_range.len > 0 && !str_eq(if_range, str_of(etag))))
        return 200;
    char value[80];
    switch (http_range_parse(header, size, range)) {
    case HTTP_RANGE_WHOLE: *range = (struct http_range){0, size > 0 ? size - 1 : 0}; return 200;
    case HTTP_RANGE_UNSATISFIABLE:
        snprintf(value, sizeof(value), "bytes */%" PRIu64, size);
        reply_header(request, "content-range", value);
        return 416;
    case HTTP_RANGE_PARTIAL:
        snprintf(value, sizeof(value), "bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64, range->first, range->last, size);
        reply_header(request, "content-range", value);
        return 206;
    }
    return 200;
}

/* The answers without a body of the file. */
static bool answered_without_body(struct request *request, int status)
{
    if (status == 304) {
        reply_body(request, 304, NULL, "", 0);
        return true;
    }
    if (status == 416) {
        reply_body(request, 416, "text/plain; charset=utf-8", "", 0);
        return true;
    }
    return false;
}

void file_reply_static(struct request *request, const void *data, size_t size, const char *media_type, const char *etag,
                       const char *cache_control)
{
    if (cache_control != NULL)
        reply_header(request, "cache-control", cache_control);
    struct http_range range;
    int status = decide(request, size, etag, &range);
    if (answered_without_body(request, status))
        return;
    size_t len = size == 0 ? 0 : (size_t)(range.last - range.first + 1);
    reply_body_static(request, status, media_type, (const char *)data + range.first, len);
}

/* Content-Disposition with the name percent-encoded (RFC 6266, RFC 8187), so any name is safe. */
static void disposition(struct request *request, const char *name, bool in_page)
{
    size_t cap = strlen(name) * 3 + 64;
    char *value = request_alloc(request, cap);
    size_t n = (size_t)snprintf(value, cap, "%s; filename*=UTF-8''", in_page ? "inline" : "attachment");
    for (const unsigned char *p = (const unsigned char *)name; *p && n + 4 < cap; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr(".-_~", *p))
            value[n++] = (char)*p;
        else
            n += (size_t)snprintf(value + n, cap - n, "%%%02X", *p);
    }
    value[n] = '\0';
    reply_header(request, "content-disposition", value);
}

static bool to_client(void *arg, const void *data, size_t len)
{
    return reply_stream_write(arg, data, len);
}

void file_reply_blob(struct request *request, const struct blob *blob, const char *name, const char *cache_control)
{
    /* Only a type npq knows is sent as such; a type kept from before types were checked (the
     * sender's claim) is sent as bytes to download. */
    const struct file_type *type = file_type_of_media_type(blob->media_type);
    const char *media_type = type != NULL ? type->media_type : "application/octet-stream";
    if (name != NULL)
        disposition(request, name, type != NULL && type->inline_safe);
    if (cache_control != NULL)
        reply_header(request, "cache-control", cache_control);
    char etag[BLOB_SHA256_HEX + 2];
    snprintf(etag, sizeof(etag), "\"%s\"", blob->sha256); /* the bytes' own name: strong by nature */
    struct http_range range;
    uint64_t size = blob->size > 0 ? (uint64_t)blob->size : 0;
    int status = decide(request, size, etag, &range);
    if (answered_without_body(request, status))
        return;
    if (size == 0) {
        reply_body(request, 200, media_type, "", 0);
        return;
    }
    bool head = str_eq(request->method, STR_LIT("HEAD"));
    size_t len = (size_t)(range.last - range.first + 1);
    reply_stream_begin_sized(request, status, media_type, len);
    if (head) {
        reply_stream_end(request);
        return;
    }
    if (blob_read(request->store, blob, range.first, range.last, to_client, request) != STORE_OK) {
        fprintf(stderr, "npq: blob %lld could not be read: %s\n", (long long)blob->id,
                "a chunk is missing or unreadable");
        reply_stream_fail(request);
        return;
    }
    reply_stream_end(request);
}
