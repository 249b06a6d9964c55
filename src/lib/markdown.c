/*
 * Markdown through cmark, always in safe mode (see markdown.h).
 */
#include "lib/markdown.h"

#include "lib/die.h"

#include <cmark.h>

char *markdown_to_html(const char *md, size_t len)
{
    /* CMARK_OPT_SAFE is cmark's default since 0.29; naming it keeps older libraries safe too, and
     * CMARK_OPT_UNSAFE is never passed. */
    char *html =
        cmark_markdown_to_html(md != NULL ? md : "", md != NULL ? len : 0, CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8);
    if (html == NULL)
        die("out of memory rendering Markdown");
    return html;
}
