/*
 * Cursors as base64url of a short text: "i:ID", "n:NUMBER:ID" or "t:ID:TEXT". Decoding re-encodes
 * what it read and compares, so exactly one spelling of each position is accepted.
 */
#include "lib/cursor.h"

#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PLAIN_MAX = CURSOR_TEXT_MAX + 48 };

/* The plain text of a cursor into out; its length, or 0 when it cannot be one. */
static size_t plain_text(const struct cursor *c, char *out, size_t size)
{
    int n;
    switch (c->key) {
    case CURSOR_ID: n = snprintf(out, size, "i:%" PRId64, c->id); break;
    case CURSOR_NUMBER: n = snprintf(out, size, "n:%" PRId64 ":%" PRId64, c->number, c->id); break;
    case CURSOR_TEXT:
        if (c->text == NULL || strlen(c->text) > CURSOR_TEXT_MAX)
            return 0;
        n = snprintf(out, size, "t:%" PRId64 ":%s", c->id, c->text);
        break;
    default: return 0;
    }
    return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

const char *cursor_encode(const struct cursor *cursor, struct arena *arena)
{
    char plain[PLAIN_MAX];
    size_t len = plain_text(cursor, plain, sizeof(plain));
    if (len == 0)
        return NULL;
    size_t size = sodium_base64_encoded_len(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = arena_alloc_bytes(arena, size);
    sodium_bin2base64(out, size, (const unsigned char *)plain, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

/* A decimal at *p up to stop (or the end), no sign unless negative is allowed. */
static bool read_decimal(const char **p, char stop, bool negative, int64_t *out)
{
    const char *s = *p;
    if (negative && *s == '-')
        s++;
    if (*s < '0' || *s > '9')
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(*p, &end, 10);
    if (errno != 0 || (*end != stop && !(stop == '\0' && *end == '\0')))
        return false;
    *out = v;
    *p = end;
    return true;
}

bool cursor_decode(const char *text, struct arena *arena, struct cursor *out)
{
    *out = (struct cursor){.key = CURSOR_NONE};
    size_t text_len = text ? strlen(text) : 0;
    if (text_len == 0 || text_len > sodium_base64_encoded_len(PLAIN_MAX, sodium_base64_VARIANT_URLSAFE_NO_PADDING))
        return false;
    unsigned char plain[PLAIN_MAX + 1];
    size_t len;
    const char *end;
    if (sodium_base642bin(plain, PLAIN_MAX, text, text_len, NULL, &len, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        end != text + text_len || len < 3 || memchr(plain, '\0', len) != NULL)
        return false;
    plain[len] = '\0';
    const char *p = (const char *)plain + 2;
    struct cursor c = {.key = CURSOR_NONE};
    if (plain[1] != ':')
        return false;
    switch (plain[0]) {
    case 'i':
        c.key = CURSOR_ID;
        if (!read_decimal(&p, '\0', false, &c.id))
            return false;
        break;
    case 'n':
        c.key = CURSOR_NUMBER;
        if (!read_decimal(&p, ':', true, &c.number))
            return false;
        p++;
        if (!read_decimal(&p, '\0', false, &c.id))
            return false;
        break;
    case 't':
        c.key = CURSOR_TEXT;
        if (!read_decimal(&p, ':', false, &c.id))
            return false;
        c.text = p + 1;
        break;
    default: return false;
    }
    /* Only the one spelling cursor_encode makes: no leading zeros, "+", "-0" or spare bytes. */
    char again[PLAIN_MAX];
    size_t again_len = plain_text(&c, again, sizeof(again));
    if (again_len != len || memcmp(again, plain, len) != 0)
        return false;
    if (c.key == CURSOR_TEXT)
        c.text = arena_strdup(arena, c.text);
    *out = c;
    return true;
}
