/*
 * Growable byte buffer with a ceiling.
 *
 * Every buffer has a maximum size so that no input can make it grow without bound (curl's dynbuf
 * makes the same promise). Appending past the maximum fails and leaves the buffer as it was; the
 * contents are always NUL-terminated so they can be handed to C string functions.
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
};

/* An empty buffer that may hold up to max bytes. */
void buf_init(struct buf *b, size_t max);

/* Frees the contents; the buffer is empty and usable again. */
void buf_free(struct buf *b);

/* Empties the buffer, keeping its memory. */
void buf_reset(struct buf *b);

/* Each returns false, changing nothing, when the result would exceed the maximum. */
bool buf_append(struct buf *b, const void *data, size_t len);
bool buf_append_str(struct buf *b, const char *s);
bool buf_appendf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool buf_vappendf(struct buf *b, const char *fmt, va_list ap);

#endif
