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

void paging_query_append(struct request *request, struct buf *b, const char *name, const char *value)
{
    const char *parts[2] = {name, value};
    buf_append_str(b, b->len > 0 ? "&" : "");
    for (size_t i = 0; i < 2; i++) {
        size_t size = strlen(parts[i]) * 3 + 5; /* form_encode keeps room for one more escape */
        char *encoded = request_alloc(request, size);
        form_encode(parts[i], encoded, size);
        buf_append_str(b, i == 0 ? "" : "=");
        buf_append_str(b, encoded);
    }
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
    struct buf query;
    buf_init(&query, 16 * 1024);
    const struct form *fields = request_query(request);
    for (size_t i = 0; i < fields->count; i++)
        if (kept(fields->fields[i].name, keep, keep_count))
            paging_query_append(request, &query, fields->fields[i].name, fields->fields[i].value);
    if (after != NULL)
        paging_query_append(request, &query, "after", after);
    /* An address too long to repeat is none rather than a wrong one; the gate bounds queries. */
    const char *href = buf_failed(&query)
                           ? NULL
                           : request_printf(request, "%.*s%s%.*s", (int)request->path.len, request->path.ptr,
                                            query.len > 0 ? "?" : "", (int)query.len, query.data ? query.data : "");
    buf_free(&query);
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
