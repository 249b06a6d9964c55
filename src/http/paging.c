/*
 * Reading a page's parameters and pointing at the next page (paging.h).
 */
#include "http/paging.h"

#include "http/reply.h"
#include "lib/buf.h"

#include <string.h>

bool paging_read(struct request *request, enum cursor_key kind, struct store_page *page, struct errors *errors)
{
    *page = (struct store_page){.limit = STORE_PAGE_DEFAULT};
    struct form *query = request_query(request);
    int64_t limit = STORE_PAGE_DEFAULT;
    bool ok = form_read_int(query, "limit", 1, STORE_PAGE_MAX, &limit, errors);
    page->limit = (size_t)limit;
    const char *after = form_get(query, "after");
    if (after != NULL && *after != '\0') {
        struct cursor c;
        if (cursor_decode(after, request_arena(request), &c) && c.key == kind) {
            page->after = c;
        } else {
            errors_add(errors, "after", "after must be a cursor from the Link header of this list's previous page");
            ok = false;
        }
    }
    return ok;
}

/* Appends s percent-encoded as a query component (lib/form.h's encoding). */
static void append_encoded(struct request *request, struct buf *b, const char *s)
{
    size_t size = strlen(s) * 3 + 5; /* form_encode keeps room for one more escape */
    char *encoded = request_alloc(request, size);
    form_encode(s, encoded, size);
    buf_append_str(b, encoded);
}

/* Whether the query parameter name is one of keep (every one but after when keep is NULL). */
static bool kept(const char *name, const char *const *keep, size_t keep_count)
{
    if (strcmp(name, "after") == 0)
        return false;
    if (keep == NULL)
        return true;
    for (size_t i = 0; i < keep_count; i++)
        if (strcmp(name, keep[i]) == 0)
            return true;
    return false;
}

const char *paging_href(struct request *request, const char *const *keep, size_t keep_count, const char *after)
{
    struct buf b;
    buf_init(&b, 16 * 1024);
    buf_appendf(&b, "%.*s", (int)request->path.len, request->path.ptr);
    const char *separator = "?";
    const struct form *query = request_query(request);
    for (size_t i = 0; i < query->count; i++) {
        if (!kept(query->fields[i].name, keep, keep_count))
            continue;
        buf_append_str(&b, separator);
        append_encoded(request, &b, query->fields[i].name);
        buf_append_str(&b, "=");
        append_encoded(request, &b, query->fields[i].value);
        separator = "&";
    }
    if (after != NULL) {
        buf_append_str(&b, separator);
        buf_append_str(&b, "after=");
        append_encoded(request, &b, after);
    }
    /* An address too long to repeat is none rather than a wrong one; the gate bounds queries. */
    const char *href = buf_failed(&b) ? NULL : request_strndup(request, (struct str){b.data, b.len});
    buf_free(&b);
    return href;
}

void paging_link(struct request *request, const struct store_page *page)
{
    if (page->next == NULL)
        return;
    const char *href = paging_href(request, NULL, 0, page->next);
    if (href != NULL)
        reply_header(request, "link", request_printf(request, "<%s>; rel=\"next\"", href));
}
