/*
 * Search as a use case (search.h).
 */
#include "app/search.h"

#include "domain/policy.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

enum { SCAN_BATCH = 200 };

/* Variants are shown to the people of their partner: those holding a role at it, and the
 * participants who study with it. */
static bool of_own_partner(const struct caller *caller, int64_t own, int64_t partner_id)
{
    for (size_t i = 0; caller != NULL && i < caller->grant_count; i++)
        if (caller->grants[i].organisation_id == partner_id)
            return true;
    return own > 0 && own == partner_id;
}

enum app_result search_run(struct store *store, const struct caller *caller, const struct search_filter *filter,
                           struct store_page *page, struct arena *arena, struct search_result **out, size_t *count,
                           struct errors *errors)
{
    *out = NULL;
    *count = 0;
    if (!search_query_check(filter->query, errors))
        return APP_BAD_REQUEST;
    size_t limit = page->limit == 0 ? STORE_PAGE_DEFAULT : page->limit;
    int64_t own = 0;
    if (caller != NULL && store_content_person_partner(store, caller->user_id, &own) != STORE_OK)
        return APP_UNAVAILABLE;
    *out = arena_alloc(arena, sizeof(**out) * limit);
    struct store_page batch = {.limit = SCAN_BATCH, .after = page->after};
    size_t scanned = 0;
    page->next = NULL;
    for (;;) {
        struct search_hit *hits;
        size_t n;
        if (store_search(store, caller, filter, &batch, arena, &hits, &n) != STORE_OK)
            return APP_UNAVAILABLE;
        scanned += n;
        for (size_t i = 0; i < n; i++) {
            struct search_hit *h = &hits[i];
            if (h->source == SEARCH_VARIANT)
                h->relation.in_own_partner = of_own_partner(caller, own, h->partner_id);
            if (!policy_sees_search_hit(caller, h->source, &h->relation))
                continue;
            (*out)[(*count)++].hit = *h;
            if (*count == limit) {
                /* Full: the next page starts after this hit, if anything follows it. */
                if (i + 1 < n || batch.next != NULL)
                    page->next = cursor_encode(&h->position, arena);
                goto snippets;
            }
        }
        if (batch.next == NULL)
            break;
        if (scanned >= SEARCH_SCAN_MAX) {
            page->next = batch.next; /* a short page: the rest is looked at on the next */
            break;
        }
        if (!store_page_advance(&batch, arena))
            break;
    }
snippets:
    for (size_t i = 0; i < *count; i++) {
        struct search_result *r = &(*out)[i];
        const char *snippet;
        if (store_search_snippet(store, filter->query, &r->hit, arena, &snippet) != STORE_OK)
            return APP_UNAVAILABLE;
        search_snippet_split(snippet, arena, &r->snippet, &r->snippet_runs);
    }
    return APP_OK;
}

const char *search_hit_href(const struct search_hit *hit, struct arena *arena)
{
    enum { HREF_MAX = 160 };
    char *href = arena_alloc(arena, HREF_MAX);
    switch (hit->source) {
    case SEARCH_CONTENT:
    case SEARCH_VARIANT: snprintf(href, HREF_MAX, "/content/%" PRId64, hit->id); break;
    case SEARCH_STATEMENT: snprintf(href, HREF_MAX, "/frameworks/%.60s#area-%d", hit->framework, hit->area); break;
    case SEARCH_POST:
        snprintf(href, HREF_MAX, "/forums/threads/%" PRId64 "#post-%" PRId64, hit->thread_id, hit->id);
        break;
    }
    return href;
}
