/*
 * Markdown to HTML that is safe to put in a page: what people write in reflections and coaching
 * notes. A thin wrapper over cmark (CommonMark) in its safe mode, kept here so every caller
 * renders the same way and none can forget the options.
 *
 * Safe means: raw HTML in the text (a <script>, an <img onerror=...>, any tag) is left out, not
 * passed through; links and images whose address is javascript:, vbscript:, file: or data: (other
 * than a few image types) lose their address; everything else is escaped. Invalid UTF-8 becomes
 * the replacement character.
 */
#ifndef NPQ_LIB_MARKDOWN_H
#define NPQ_LIB_MARKDOWN_H

#include <stddef.h>

/* Renders len bytes of md (which need not be NUL-terminated; NULL with len 0 is "") as HTML.
 * Returns a NUL-terminated string the caller frees with free(); never NULL (out of memory aborts). */
char *markdown_to_html(const char *md, size_t len);

#endif
