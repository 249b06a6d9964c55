/* Markdown that people write (lib/markdown). Whatever goes in, no tag of the writer's comes out
 * and no link or image runs a script. */
#include "fuzz.h"

#include <stdbool.h>

#include "lib/markdown.h"

#include <strings.h>

/* Whether an attribute value (href="..." or src="...") starts with scheme, ignoring case. */
static bool attribute_starts(const char *html, const char *attribute, const char *scheme)
{
    size_t attribute_len = strlen(attribute), scheme_len = strlen(scheme);
    for (const char *p = strstr(html, attribute); p != NULL; p = strstr(p + 1, attribute))
        if (strncasecmp(p + attribute_len, scheme, scheme_len) == 0)
            return true;
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *html = markdown_to_html((const char *)data, size);
    if (strcasestr(html, "<script") != NULL || strcasestr(html, "<img src=x") != NULL)
        abort();
    static const char *const schemes[] = {"javascript:", "vbscript:", "file:"};
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
        if (attribute_starts(html, "href=\"", schemes[i]) || attribute_starts(html, "src=\"", schemes[i]))
            abort();
    free(html);
    return 0;
}
