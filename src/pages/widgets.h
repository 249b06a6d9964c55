/*
 * Pieces of GOV.UK page furniture and wording that several areas' pages share: breadcrumbs,
 * tags, one-button forms, safe Markdown, times and dates as people in England read them, titles
 * from the catalogue, and the error pages for missing records and failed stores.
 */
#ifndef NPQ_PAGES_WIDGETS_H
#define NPQ_PAGES_WIDGETS_H

#include "app/result.h"
#include "domain/catalogue.h"
#include "domain/enrolment.h"
#include "http/request.h"
#include "lib/date.h"
#include "pages/layout.h"
#include "store/store.h"

#include <stdbool.h>
#include <stdint.h>

/* "January" ... "December". */

/* The 404 page for a record that is missing or not the caller's to see. */
void page_not_found(struct request *request);

/* Home > href:label (> href2:label2 when href2 is given), above the page. */
void page_breadcrumbs(struct page *page, struct request *request, const char *href, const char *label,
                      const char *href2, const char *label2);

/* The worker's catalogue, or NULL after sending a 503 page. */
const struct catalogue *page_catalogue(struct request *request);

/* Request-lifetime copy of markup built in b (which is freed): for %R. When b reached its maximum,
 * html_broken, which makes the page it is put into fail (a 500, not a truncated page). */
const char *page_markup(struct request *request, struct buf *b);

/* Markdown rendered by cmark in safe mode: no raw HTML, no javascript: links. */
void page_markdown(struct buf *b, const char *md, bool small);

/* A size for people: "12,345 bytes". In request memory. */
const char *page_bytes_text(struct request *request, int64_t size);

/* The name a browser sent for an uploaded file, without the folders some browsers put before it
 * (cut to one byte more than a name may have, so a long one is still refused). */
const char *page_upload_name(struct request *request, const char *name);

/* A one-button form posting to action; hidden is extra text for screen readers (may be NULL). */
void page_post_button(struct buf *b, struct request *request, const char *action, const char *text, const char *hidden,
                      const char *variant);

/*
 * Makes the last table written to b (from its "<table class=\"...", to the end of b) stack on
 * narrow screens: the table gets the class npq-table-stacked, and each body cell the text of its
 * column's heading as data-label, which app.css shows above the cell when the screen is too narrow
 * for the columns (each row then reads as a short list). Headings only for screen readers (the
 * column of buttons) label nothing. Call it after the table's closing tag; b fails when it holds
 * no table.
 */
void page_table_stack(struct buf *b);

/*
 * A list's pages, key-set like the API's (http/paging.h): page_list_position reads where this
 * page starts (?after=, from the Next link of the page before) into page, showing per_page rows,
 * and adds a malformed position to errors (answered by page_query_refused). page_pagination then
 * draws GOV.UK's pagination under the list: First (unless this is the first page) and Next (while
 * page->next), both to this page's address carrying the query parameters named in keep (the
 * list's filters, read and checked by the handler; NULL for none), so every page shows the same
 * filter and nothing else is carried on (a notice shown once). A page
 * knows the one after it, not the one before. An address too long to repeat fails b rather than
 * link to other records.
 */
void page_list_position(struct request *request, enum cursor_key kind, size_t per_page, struct store_page *page,
                        struct errors *errors);
void page_pagination(struct buf *b, struct request *request, const char *const *keep, size_t keep_count,
                     const struct store_page *page);

/* A GOV.UK tag of a colour ("green", "grey"...), as markup for %R. */
const char *page_tag(struct request *request, const char *colour, const char *text);

/* Plain text escaped, as markup for %R. */
const char *page_text_markup(struct request *request, const char *text);

/* A moment as people in England read it, in UK time (lib/date's styles): "23 November 2026 at
 * 11:50am", or "" for 0. Every page writes times through this. */
const char *page_time(struct request *request, int64_t seconds, enum date_style style);

/* A time span in UK time: "Wednesday 10 March 2027, 9:00am to 4:00pm". */
const char *page_time_range(struct request *request, int64_t start, int64_t end);

/* A stored date ("2027-09-01") as "1 September 2027", or with short_month "1 Sep 2027"; anything
 * else as it is. */
const char *page_date(struct request *request, const char *date, bool short_month);

/* A module's title, or its code when the catalogue has no such module. */
const char *page_module_title(const struct catalogue *c, const char *code);

/*
 * The pages' one mapping of a use case's result to HTTP. page_status gives the status a page
 * answers with (APP_INVALID 422, APP_BAD_REQUEST 400, APP_UNAUTHENTICATED 401, APP_FORBIDDEN 403,
 * APP_NOT_FOUND 404, APP_CONFLICT 409, APP_TOO_MANY 429, APP_UNAVAILABLE 503, APP_BROKEN 500).
 * page_refused sends the page for a result no form can put right (the 404 page, the 400 page
 * listing errors, the 503 and 500 pages) and returns true; for the others (invalid, refused,
 * conflicting, throttled) it sends nothing and returns false: the handler shows its form again
 * with the errors in its summary, answered with page_status(result).
 */
int page_status(enum app_result result);
bool page_refused(struct request *request, enum app_result result, const struct errors *errors);

/* After a form's use case, when the form is not done with: the status to show it again with (422
 * when the use case accepted what the form itself refused, else page_status(result)), or 0 when
 * the result is one no form can put right and page_refused has sent its page. */
int page_form_again(struct request *request, enum app_result result, const struct errors *errors);

/* 400: the address's query parameters are malformed; the page lists each problem. */
void page_bad_request(struct request *request, const struct errors *errors);

/* For pages reading their query with lib/form.h's checked readers: true after sending the 400
 * page listing every malformed parameter (errors are freed), false when there were none. */
bool page_query_refused(struct request *request, struct errors *errors);

/* Always sends a page: page_refused's, or for the other refusals an error page with
 * page_status(result) saying why (the first error). For handlers with no form to show again. */
void page_refusal(struct request *request, enum app_result result, const struct errors *errors);

/* page_refusal of a store status: 404 for a missing record, 409 for a conflict, 503 for a failed
 * database. */
void page_store_failed(struct request *request, enum store_status status);

#endif
