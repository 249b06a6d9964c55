/*
 * HTML output that escapes by default.
 *
 * html_printf is the only way pages write markup: every %s argument is escaped for text and
 * attribute values alike, so user data cannot become markup by accident. Markup built by another
 * html_printf call (and only that) is inserted with %R.
 */
#ifndef NPQ_PAGES_HTML_H
#define NPQ_PAGES_HTML_H

#include "lib/buf.h"

/*
 * Appends fmt to b. Conversions: %s escaped string, %R raw (trusted markup), %d int,
 * %zu size_t, %% a percent sign. Anything else is a programming error: it is logged and b is
 * marked failed (buf_failed), so the page is answered with a 500 instead of the server stopping.
 * Inserting html_broken with %R marks b failed too.
 */
void html_printf(struct buf *b, const char *fmt, ...);

/* Markup that could not be built (its buffer reached its maximum): a piece that stands for the
 * failure where markup is passed on as a string, so the page it is put into fails in turn. */
extern const char html_broken[];

/* Appends s escaped. */
void html_escape(struct buf *b, const char *s);

#endif
