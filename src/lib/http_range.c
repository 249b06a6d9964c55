#include "lib/http_range.h"

#include <ctype.h>

/* Reads the digits at *p (at least one) into *value; false on none or on overflow. */
static bool read_number(const char **p, const char *end, uint64_t *value)
{
    const char *start = *p;
    uint64_t v = 0;
    while (*p < end && isdigit((unsigned char)**p)) {
        unsigned digit = (unsigned)(**p - '0');
        if (v > (UINT64_MAX - digit) / 10)
            return false;
        v = v * 10 + digit;
        (*p)++;
    }
    *value = v;
    return *p > start;
}

static void skip_blanks(const char **p, const char *end)
{
    while (*p < end && (**p == ' ' || **p == '\t'))
        (*p)++;
}

enum http_range_outcome http_range_parse(struct str header, uint64_t size, struct http_range *out)
{
    const char *p = header.ptr, *end = header.ptr + header.len;
    skip_blanks(&p, end);
    static const char unit[] = "bytes=";
    if ((size_t)(end - p) < sizeof(unit) - 1 || strncasecmp(p, unit, sizeof(unit) - 1) != 0)
        return HTTP_RANGE_WHOLE; /* no Range, or a unit other than bytes */
    p += sizeof(unit) - 1;
    skip_blanks(&p, end);
    uint64_t first = 0, last = 0;
    bool suffix = false, open_end = false;
    if (p < end && *p == '-') {
        p++;
        suffix = true;
        if (!read_number(&p, end, &last))
            return HTTP_RANGE_WHOLE;
    } else {
        if (!read_number(&p, end, &first) || p == end || *p != '-')
            return HTTP_RANGE_WHOLE;
        p++;
        if (p < end && isdigit((unsigned char)*p)) {
            if (!read_number(&p, end, &last) || last < first)
                return HTTP_RANGE_WHOLE; /* invalid: ignored, as RFC 9110 says */
        } else {
            open_end = true;
        }
    }
    skip_blanks(&p, end);
    if (p != end)
        return HTTP_RANGE_WHOLE; /* a list of ranges, or trailing junk */
    if (suffix) {
        if (last == 0 || size == 0)
            return HTTP_RANGE_UNSATISFIABLE;
        out->first = last >= size ? 0 : size - last;
        out->last = size - 1;
        return HTTP_RANGE_PARTIAL;
    }
    if (first >= size)
        return HTTP_RANGE_UNSATISFIABLE;
    out->first = first;
    out->last = open_end || last >= size ? size - 1 : last;
    return HTTP_RANGE_PARTIAL;
}
