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
#include "lib/buf.h"
#include "lib/errors.h"
#include "store/store.h"

/* Reads limit and after into page for a list whose cursors are of kind. A malformed limit, or an
 * after that is not a cursor of that kind, adds an error naming the parameter (answered 400 by
 * api_query_refused) and returns false; page is then a first page of the default size. */
bool paging_read(struct request *request, enum cursor_key kind, struct store_page *page, struct errors *errors);

/* The address of another page of the list this request reads, in the request's arena: its path
 * and query, less after, and after=CURSOR unless after is NULL (the first page). keep names the
 * parameters a page of the site carries on (its filters, already checked, as they were sent: an
 * empty one can mean something, "any status"); NULL keeps every one, as the API's Link does. NULL when the address
 * outgrows its buffer. */
const char *paging_href(struct request *request, const char *const *keep, size_t keep_count, const char *after);

/* Appends name=value to the query being built in b, each percent-encoded as a query component
 * (lib/form.h's encoding), after an & unless b is still empty: the one way an address's query
 * is written, for the next page's Link and for a page's links that keep its filters. */
void paging_query_append(struct request *request, struct buf *b, const char *name, const char *value);

/* Adds the Link header for page->next (nothing when it is NULL: the last page). Call before the
 * reply. */
void paging_link(struct request *request, const struct store_page *page);

#endif
