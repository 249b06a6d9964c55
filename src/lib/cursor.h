/*
 * Positions in lists, for key-set pagination: a page names the last row it showed by that row's
 * sort key and id, and the next page starts after it. A cursor travels in URLs (?after=), so it is
 * opaque to clients and URL-safe, and it is checked on the way in: text that cursor_encode could
 * not have made is refused, never guessed at.
 */
#ifndef NPQ_LIB_CURSOR_H
#define NPQ_LIB_CURSOR_H

#include "lib/arena.h"

#include <stdbool.h>
#include <stdint.h>

enum cursor_key {
    CURSOR_NONE,   /* no position: the first page */
    CURSOR_ID,     /* a list ordered by id alone */
    CURSOR_NUMBER, /* ordered by a number (a time, a count), then id */
    CURSOR_TEXT,   /* ordered by a text (a name, a code), then id; id may be 0 for a list keyed by text */
};

enum { CURSOR_TEXT_MAX = 512 }; /* the longest sort text a cursor carries, in bytes */

struct cursor {
    enum cursor_key key;
    int64_t number;   /* CURSOR_NUMBER */
    const char *text; /* CURSOR_TEXT: NUL-terminated, without NUL bytes inside */
    int64_t id;
};

/* The cursor as base64url without padding, in arena; NULL for CURSOR_NONE or a text longer than
 * CURSOR_TEXT_MAX. */
const char *cursor_encode(const struct cursor *cursor, struct arena *arena);

/* Reads text made by cursor_encode into out (its text in arena). Returns false, leaving out as
 * CURSOR_NONE, for anything else: other characters, a broken encoding, an unknown kind, numbers
 * that are not plain decimals, an id below 0, or bytes left over. */
bool cursor_decode(const char *text, struct arena *arena, struct cursor *out);

#endif
