/*
 * Pages of the API's lists: the one way a list reads ?limit= and ?after= and says where the next
 * page is. Every list takes both: limit, 1 to 500 (100 when absent), and after, the opaque cursor
 * that the Link header of the page before gave (lib/cursor.h). The answer to a page that is
 * followed by another carries
 *   Link: </api/v1/...?limit=...&after=CURSOR>; rel="next"
 * keeping the request's other parameters, so a client follows Link until there is none.
 */
#ifndef NPQ_HTTP_PAGING_H
#define NPQ_HTTP_PAGING_H

#include "http/request.h"
#include "lib/errors.h"
#include "store/store.h"

/* Reads limit and after into page for a list whose cursors are of kind. A malformed limit, or an
 * after that is not a cursor of that kind, adds an error naming the parameter (answered 400 by
 * api_query_refused) and returns false; page is then a first page of the default size. */
bool paging_read(struct request *request, enum cursor_key kind, struct store_page *page, struct errors *errors);

/* Adds the Link header for page->next (nothing when it is NULL: the last page). Call before the
 * reply. */
void paging_link(struct request *request, const struct store_page *page);

#endif
