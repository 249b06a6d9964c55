/*
 * The escaping printf of the pages (see html.h). It never aborts: a broken format or a piece of
 * markup that could not be built leaves its buffer failed, and the page is then not sent.
 */
#include "pages/html.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char html_broken[] = "";

void html_escape(struct buf *b, const char *s)
{
    const char *run = s;
    for (const char *p = s; *p; p++) {
        const char *entity = NULL;
        switch (*p) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        case '\'': entity = "&#39;"; break;
        default: continue;
        }
        buf_append(b, run, (size_t)(p - run));
        buf_append_str(b, entity);
        run = p + 1;
    }
    buf_append_str(b, run);
}

void html_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *run = fmt;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%')
            continue;
        buf_append(b, run, (size_t)(p - run));
        p++;
        switch (*p) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            html_escape(b, s ? s : "");
            break;
        }
        case 'R': {
            const char *s = va_arg(ap, const char *);
            if (s == html_broken)
                buf_fail(b);
            buf_append_str(b, s ? s : "");
            break;
        }
        case 'd': buf_appendf(b, "%d", va_arg(ap, int)); break;
        case 'z':
            if (p[1] != 'u')
                goto unsupported;
            p++;
            buf_appendf(b, "%zu", va_arg(ap, size_t));
            break;
        case '%': buf_append(b, "%", 1); break;
        default: goto unsupported;
        }
        run = p + 1;
    }
    buf_append_str(b, run);
    va_end(ap);
    return;
unsupported:
    /* The arguments after this one cannot be read safely: stop here, and let the page fail. */
    fprintf(stderr, "npq: BUG: html_printf: unsupported conversion in \"%s\"\n", fmt);
    buf_fail(b);
    va_end(ap);
}
