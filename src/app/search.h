/*
 * Search as a use case: one query over the content library, partners' local variants, the
 * framework's statements and forum posts, keeping only the hits the policy lets the caller see
 * (policy_sees_search_hit), each with its snippet split into matched and plain runs.
 *
 * The store pages over every match; hits the caller may not see are dropped here, and the store
 * is asked for more until the page is full, the matches end, or SEARCH_SCAN_MAX matches have been
 * looked at (the page is then short but its cursor goes on from the last match looked at, so no
 * visible hit is skipped).
 */
#ifndef NPQ_APP_SEARCH_H
#define NPQ_APP_SEARCH_H

#include "app/result.h"
#include "domain/search.h"
#include "store/store.h"

enum { SEARCH_SCAN_MAX = 2000 };

struct search_result {
    struct search_hit hit;
    struct search_run *snippet;
    size_t snippet_runs;
};

/* Checks filter->query (errors at "q", APP_INVALID) and fills *out with at most page->limit hits
 * the caller sees, best first; page->next as store_page. In arena. */
enum app_result search_run(struct store *store, const struct caller *caller, const struct search_filter *filter,
                           struct store_page *page, struct arena *arena, struct search_result **out, size_t *count,
                           struct errors *errors);

/* Where a hit is read: /content/ID (an item or, for its partner's people, its variant),
 * /frameworks/CODE#area-N (a statement), /forums/threads/ID#post-ID (a post). In arena. */
const char *search_hit_href(const struct search_hit *hit, struct arena *arena);

#endif
