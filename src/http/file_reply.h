/*
 * The one way npq sends a file, for front-end assets and for the files people upload alike:
 * a strong ETag (304 to an If-None-Match that names it), Accept-Ranges, one byte range answered
 * 206 with Content-Range (lib/http_range.h: a list of ranges gets the whole file, a range past
 * the end 416), If-Range, and for uploads a Content-Disposition that keeps the uploader's name
 * and shows in the page only what is safe there (images, audio, video); everything else is a
 * download. The type sent is npq's, decided from the bytes, never the uploader's; every answer
 * carries nosniff (reply.c), so no browser second-guesses it.
 */
#ifndef NPQ_HTTP_FILE_REPLY_H
#define NPQ_HTTP_FILE_REPLY_H

#include "http/request.h"
#include "store/blob.h"

#include <stdbool.h>
#include <stdint.h>

/* A file compiled into the binary: data outlives every request. etag is quoted. */
void file_reply_static(struct request *request, const void *data, size_t size, const char *media_type, const char *etag,
                       const char *cache_control);

/* A kept blob, named name for the download (NULL for none), on a pool thread: the bytes are
 * read from the store chunk by chunk as the client takes them. */
void file_reply_blob(struct request *request, const struct blob *blob, const char *name, const char *cache_control);

#endif
