/*
 * Growable byte buffer with a ceiling.
 *
 * Every buffer has a maximum size so that no input can make it grow without bound (curl's dynbuf
 * makes the same promise). Appending past the maximum fails and leaves the buffer as it was; the
 * contents are always NUL-terminated so they can be handed to C string functions.
 *
 * A refusal is also remembered: the buffer is marked failed until it is reset, freed or cut back
 * with buf_truncate. A writer may therefore append many times without looking at each result and
 * ask buf_failed once, where the document is handed on; what it built is then incomplete and is
 * not to be sent or kept.
 */
#ifndef NPQ_LIB_BUF_H
#define NPQ_LIB_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
    char *data;
    size_t len;
    size_t cap;
    size_t max;
    bool failed; /* an append was refused since the buffer was last emptied (see buf_failed) */
};

/* An empty buffer that may hold up to max bytes. */
void buf_init(struct buf *b, size_t max);

/* Frees the contents; the buffer is empty and usable again, and no longer failed. */
void buf_free(struct buf *b);

/* Empties the buffer, keeping its memory; it is no longer failed. */
void buf_reset(struct buf *b);

/* Cuts the contents back to their first len bytes (len no more than b->len), for a writer that
 * takes back what it wrote after a refusal; the buffer is no longer failed. */
void buf_truncate(struct buf *b, size_t len);

/* Each returns false, changing nothing but marking the buffer failed, when the result would
 * exceed the maximum. */
bool buf_append(struct buf *b, const void *data, size_t len);
bool buf_append_str(struct buf *b, const char *s);
bool buf_appendf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool buf_vappendf(struct buf *b, const char *fmt, va_list ap);

/* Marks the buffer failed without appending: for a writer that finds its input cannot be
 * written (a programming error it reports rather than aborting on). */
void buf_fail(struct buf *b);

/* Whether any append was refused since the buffer was last emptied: the contents are then
 * incomplete. */
static inline bool buf_failed(const struct buf *b)
{
    return b->failed;
}

#endif
