/*
 * The search page, /search: one box over what the caller may read (the content library, their
 * partner's local variants, the framework's statements and forum posts), filtered by module and
 * framework area, ranked, each hit with its matched words highlighted. The HTML face of
 * api/search.c: the same use case (app/search.h) and the same cursor for the next page.
 */
#ifndef NPQ_PAGES_SEARCH_H
#define NPQ_PAGES_SEARCH_H

#include "http/request.h"

/* GET /search?q=&module=&area=&after=: the form, kept as typed, and a page of results; a query
 * the rules refuse shows the form again with the error (400). */
void page_search(struct request *request);

#endif
