#include "pages/widgets.h"

#include "app/notify.h"
#include "http/paging.h"
#include "http/site.h"
#include "lib/markdown.h"
#include "lib/text.h"
#include "pages/forms.h"
#include "pages/html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void page_not_found(struct request *request)
{
    page_error(request, 404, "Page not found", "There is nothing here, or it is not yours to see.");
}

void page_breadcrumbs(struct page *page, struct request *request, const char *href, const char *label,
                      const char *href2, const char *label2)
{
    struct buf b;
    buf_init(&b, 4096);
    html_printf(&b,
                "<nav class=\"govuk-breadcrumbs\" aria-label=\"Breadcrumb\"><ol class=\"govuk-breadcrumbs__list\">"
                "<li class=\"govuk-breadcrumbs__list-item\"><a class=\"govuk-breadcrumbs__link\" href=\"/\">Home</a>"
                "</li><li class=\"govuk-breadcrumbs__list-item\"><a class=\"govuk-breadcrumbs__link\" href=\"%s\">%s"
                "</a></li>",
                href, label);
    if (href2 != NULL)
        html_printf(&b,
                    "<li class=\"govuk-breadcrumbs__list-item\"><a class=\"govuk-breadcrumbs__link\" href=\"%s\">%s"
                    "</a></li>",
                    href2, label2);
    html_printf(&b, "</ol></nav>");
    page->breadcrumbs = page_markup(request, &b);
}

/* Whether p starts a cell's tag: "<td" or "<th" then a space or ">" (not "<thead"). */
static bool cell_tag(const char *p)
{
    return p[0] == '<' && p[1] == 't' && (p[2] == 'd' || p[2] == 'h') && (p[3] == ' ' || p[3] == '>');
}

#define STACK_COLUMNS 16

static const char hidden_span[] = "<span class=\"govuk-visually-hidden\"";

void page_table_stack(struct buf *b)
{
    if (buf_failed(b))
        return;
    const char *table = NULL;
    for (const char *p = b->data ? strstr(b->data, "<table class=\"") : NULL; p; p = strstr(p + 1, "<table class=\""))
        table = p;
    if (table == NULL) {
        buf_fail(b);
        return;
    }
    size_t start = (size_t)(table - b->data);
    const char *head = strstr(table, "<thead");
    const char *head_end = head ? strstr(head, "</thead>") : NULL;
    if (head_end == NULL) {
        buf_fail(b); /* not a table of ours: a page that calls this wrongly fails rather than misleads */
        return;
    }
    /* The headings' text, without their markup; markup built by html_printf, so it is escaped. */
    struct buf labels[STACK_COLUMNS];
    size_t columns = 0;
    for (const char *p = head; p < head_end && columns < STACK_COLUMNS; p++) {
        if (!cell_tag(p))
            continue;
        const char *end = strstr(p, "</th>");
        const char *open = strchr(p, '>');
        if (end == NULL || open == NULL || open > end)
            break;
        buf_init(&labels[columns], 1024);
        bool hidden = false;
        for (const char *q = open + 1; q < end; q++) {
            if (*q == '<') {
                hidden = hidden || strncmp(q, hidden_span, sizeof(hidden_span) - 1) == 0;
                while (q < end && *q != '>')
                    q++;
            } else if (*q != '"') {
                buf_append(&labels[columns], q, 1);
            }
        }
        if (hidden)
            buf_reset(&labels[columns]);
        columns++;
        p = end;
    }
    struct buf out;
    buf_init(&out, b->max);
    buf_append(&out, table, 14);
    buf_append_str(&out, "npq-table-stacked ");
    buf_append(&out, table + 14, (size_t)(head_end - table) - 14);
    size_t column = 0;
    for (const char *p = head_end; *p; p++) {
        if (strncmp(p, "<tr", 3) == 0 && (p[3] == ' ' || p[3] == '>'))
            column = 0;
        if (cell_tag(p)) {
            buf_append(&out, p, 3);
            if (column < columns && labels[column].len > 0)
                buf_appendf(&out, " data-label=\"%s\"", labels[column].data);
            column++;
            p += 2;
            continue;
        }
        buf_append(&out, p, 1);
    }
    for (size_t i = 0; i < columns; i++)
        buf_free(&labels[i]);
    buf_truncate(b, start);
    if (buf_failed(&out))
        buf_fail(b);
    else
        buf_append(b, out.data, out.len);
    buf_free(&out);
}

const struct catalogue *page_catalogue(struct request *request)
{
    const struct catalogue *c = request_catalogue(request);
    if (c == NULL)
        page_error(request, 503, "Sorry, there is a problem",
                   "The catalogue cannot be read right now. Try again later.");
    return c;
}

const char *page_markup(struct request *request, struct buf *b)
{
    /* Incomplete markup is never inserted: the page it goes into fails instead (html_broken). */
    const char *out =
        buf_failed(b) ? html_broken : request_strndup(request, (struct str){b->data ? b->data : "", b->len});
    buf_free(b);
    return out;
}

void page_markdown(struct buf *b, const char *md, bool small)
{
    char *html = markdown_to_html(md, md ? strlen(md) : 0);
    html_printf(b, "<div class=\"%R npq-markdown\">", small ? "govuk-body-s" : "govuk-body");
    buf_append_str(b, html);
    html_printf(b, "</div>");
    free(html);
}

void page_post_button(struct buf *b, struct request *request, const char *action, const char *text, const char *hidden,
                      const char *variant)
{
    html_printf(b, "<form method=\"post\" action=\"%s\" class=\"npq-inline-form\">", action);
    forms_csrf(b, request);
    html_printf(b, "<button type=\"submit\" class=\"govuk-button%R%R\" data-module=\"govuk-button\">%s",
                variant ? " govuk-button--" : "", variant ? variant : "", text);
    if (hidden != NULL)
        html_printf(b, "<span class=\"govuk-visually-hidden\"> %s</span>", hidden);
    html_printf(b, "</button></form>");
}

const char *page_tag(struct request *request, const char *colour, const char *text)
{
    struct buf b;
    buf_init(&b, 1024);
    html_printf(&b, "<strong class=\"govuk-tag govuk-tag--%R\">%s</strong>", colour, text);
    return page_markup(request, &b);
}

const char *page_text_markup(struct request *request, const char *text)
{
    struct buf b;
    buf_init(&b, 64 * 1024);
    html_printf(&b, "%s", text ? text : "");
    return page_markup(request, &b);
}

const char *page_time(struct request *request, int64_t seconds, enum date_style style)
{
    char *out = request_alloc(request, DATE_HUMAN_TEXT);
    date_format_uk(seconds, style, out, DATE_HUMAN_TEXT);
    return out;
}

const char *page_time_range(struct request *request, int64_t start, int64_t end)
{
    char *out = request_alloc(request, DATE_HUMAN_TEXT);
    date_format_uk_range(start, end, out, DATE_HUMAN_TEXT);
    return out;
}

const char *page_date(struct request *request, const char *date, bool short_month)
{
    char *out = request_alloc(request, DATE_HUMAN_TEXT);
    date_format_day(date, short_month, out, DATE_HUMAN_TEXT);
    return out;
}

const char *page_module_title(const struct catalogue *c, const char *code)
{
    const struct catalogue_module *m = catalogue_module_find(c, code, strlen(code));
    return m ? m->title : code;
}

int page_status(enum app_result result)
{
    switch (result) {
    case APP_OK: return 200;
    case APP_INVALID: return 422;
    case APP_BAD_REQUEST: return 400;
    case APP_UNAUTHENTICATED: return 401;
    case APP_FORBIDDEN: return 403;
    case APP_NOT_FOUND: return 404;
    case APP_CONFLICT: return 409;
    case APP_TOO_LARGE: return 413;
    case APP_TOO_MANY: return 429;
    case APP_UNAVAILABLE: return 503;
    case APP_BROKEN: break;
    }
    return 500;
}

void page_bad_request(struct request *request, const struct errors *errors)
{
    struct page page;
    page_begin(&page, "There is a problem with this address", SECTION_NONE);
    html_printf(&page.body, "<h1 class=\"govuk-heading-l\">There is a problem with this address</h1>"
                            "<ul class=\"govuk-list govuk-list--bullet\" data-testid=\"bad-request\">");
    for (size_t i = 0; errors != NULL && i < errors->count; i++)
        html_printf(&page.body, "<li>%s</li>", errors->items[i].message);
    html_printf(&page.body, "</ul><p class=\"govuk-body\">Check the address, or go back and use the page's links and "
                            "forms.</p>");
    page_send(request, &page, 400);
}

bool page_query_refused(struct request *request, struct errors *errors)
{
    if (errors->count == 0)
        return false;
    page_bad_request(request, errors);
    errors_free(errors);
    return true;
}

bool page_refused(struct request *request, enum app_result result, const struct errors *errors)
{
    switch (result) {
    case APP_NOT_FOUND: page_not_found(request); return true;
    case APP_BAD_REQUEST: page_bad_request(request, errors); return true;
    case APP_UNAVAILABLE: page_unavailable(request); return true;
    case APP_BROKEN:
        page_error(request, 500, "Sorry, there is a problem", "This could not be done. Try again later.");
        return true;
    case APP_OK: /* answering a success as a refusal is itself the bug */
        app_broken("a page answered a successful result as a refusal");
        page_error(request, 500, "Sorry, there is a problem", "This could not be done. Try again later.");
        return true;
    case APP_INVALID:
    case APP_UNAUTHENTICATED:
    case APP_FORBIDDEN:
    case APP_CONFLICT:
    case APP_TOO_LARGE:
    case APP_TOO_MANY: break;
    }
    return false;
}

int page_form_again(struct request *request, enum app_result result, const struct errors *errors)
{
    if (result == APP_OK)
        return 422;
    if (result != APP_INVALID && page_refused(request, result, errors))
        return 0;
    return page_status(result);
}

void page_refusal(struct request *request, enum app_result result, const struct errors *errors)
{
    if (page_refused(request, result, errors))
        return;
    const char *why = errors != NULL && errors->count > 0 ? errors->items[0].message : NULL;
    switch (result) {
    case APP_FORBIDDEN:
        page_error(request, 403, "You cannot do this", why ? why : "You do not have permission to do this.");
        return;
    case APP_CONFLICT:
        page_error(request, 409, "This cannot be done now",
                   why ? why : "It may have changed since you opened the page. Go back, reload it and try again.");
        return;
    case APP_TOO_MANY:
        page_error(request, 429, "Too many attempts", why ? why : "Wait a while, then try again.");
        return;
    default:
        page_error(request, page_status(result), "There is a problem", why ? why : "Check what you entered.");
        return;
    }
}

void page_store_failed(struct request *request, enum store_status status)
{
    page_refusal(request, app_result_of_store(status), NULL);
}

const char *page_bytes_text(struct request *request, int64_t size)
{
    char grouped[32];
    text_thousands(size < 0 ? 0 : (uint64_t)size, grouped);
    return request_printf(request, "%s byte%s", grouped, size == 1 ? "" : "s");
}

const char *page_upload_name(struct request *request, const char *name)
{
    enum { NAME_KEEP = 255 };
    const char *base = name;
    for (const char *p = name; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    size_t len = strlen(base);
    return request_strndup(request, (struct str){base, len > NAME_KEEP + 1 ? NAME_KEEP + 1 : len});
}

/* List pages */

#define ARROW_PREV                                                                                                     \
    "<svg class=\"govuk-pagination__icon govuk-pagination__icon--prev\" xmlns=\"http://www.w3.org/2000/svg\" "         \
    "height=\"13\" width=\"15\" aria-hidden=\"true\" focusable=\"false\" viewBox=\"0 0 15 13\"><path d=\"m6.5938-0.00" \
    "78125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z\">"       \
    "</path></svg>"
#define ARROW_NEXT                                                                                                     \
    "<svg class=\"govuk-pagination__icon govuk-pagination__icon--next\" xmlns=\"http://www.w3.org/2000/svg\" "         \
    "height=\"13\" width=\"15\" aria-hidden=\"true\" focusable=\"false\" viewBox=\"0 0 15 13\"><path "                 \
    "d=\"m8.107-0.0078"                                                                                                \
    "125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z\">"       \
    "</path></svg>"

void page_list_position(struct request *request, enum cursor_key kind, size_t per_page, struct store_page *page,
                        struct errors *errors)
{
    paging_read(request, kind, page, errors);
    page->limit = per_page; /* a page of the site shows what fits on it, whatever ?limit= says */
}

void page_pagination(struct buf *b, struct request *request, const char *const *keep, size_t keep_count,
                     const struct store_page *page)
{
    bool first = page->after.key == CURSOR_NONE, has_next = page->next != NULL;
    if (first && !has_next)
        return;
    static const char *const nothing[] = {""};
    if (keep == NULL) /* no filters: a page's notice or anything else sent is not carried on */
        keep = nothing, keep_count = 0;
    const char *first_href = first ? "" : paging_href(request, keep, keep_count, NULL);
    const char *next_href = has_next ? paging_href(request, keep, keep_count, page->next) : "";
    if (first_href == NULL || next_href == NULL) {
        buf_fail(b); /* links to other pages without their filters would show other records */
        return;
    }
    html_printf(b, "<nav class=\"govuk-pagination govuk-pagination--block\" aria-label=\"Pagination\">");
    if (!first)
        html_printf(b,
                    "<div class=\"govuk-pagination__prev\"><a class=\"govuk-link govuk-pagination__link\" "
                    "href=\"%s\" rel=\"first\">" ARROW_PREV "<span class=\"govuk-pagination__link-title "
                    "govuk-pagination__link-title--decorated\">First<span class=\"govuk-visually-hidden\"> page"
                    "</span></span></a></div>",
                    first_href);
    if (has_next)
        html_printf(b,
                    "<div class=\"govuk-pagination__next\"><a class=\"govuk-link govuk-pagination__link\" "
                    "href=\"%s\" rel=\"next\">" ARROW_NEXT "<span class=\"govuk-pagination__link-title "
                    "govuk-pagination__link-title--decorated\">Next<span class=\"govuk-visually-hidden\"> page"
                    "</span></span></a></div>",
                    next_href);
    html_printf(b, "</nav>");
}
