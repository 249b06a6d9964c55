/*
 * The Range request header of RFC 9110 (section 14), for bytes: what part of a representation of
 * a known size a client asks for. Kept apart from the reply so that its edge cases (suffixes,
 * open ends, numbers past the end) are tested without a server.
 *
 * One range is answered. A list of several ranges would be a multipart/byteranges answer, which
 * no browser or media player needs (they ask for one range at a time); RFC 9110 lets a server
 * ignore Range, so a list is answered with the whole representation (200), as is a header that
 * is not valid bytes-range syntax.
 */
#ifndef NPQ_LIB_HTTP_RANGE_H
#define NPQ_LIB_HTTP_RANGE_H

#include "lib/str.h"

#include <stdint.h>

enum http_range_outcome {
    HTTP_RANGE_WHOLE,        /* no Range, or one to ignore: 200 with everything */
    HTTP_RANGE_PARTIAL,      /* 206 with bytes first..last (inclusive) */
    HTTP_RANGE_UNSATISFIABLE /* 416 with Content-Range: bytes * / size */
};

struct http_range {
    uint64_t first;
    uint64_t last; /* inclusive; first <= last < size when PARTIAL */
};

/* What header (the Range value; empty when none was sent) asks of a representation of size
 * bytes. out is set only for HTTP_RANGE_PARTIAL. */
enum http_range_outcome http_range_parse(struct str header, uint64_t size, struct http_range *out);

#endif
