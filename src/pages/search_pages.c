/*
 * The search page (search.h). No rule lives here: the query is checked and the hits chosen by
 * app/search.h exactly as for the JSON API; what is here is the form, kept as typed, and each
 * hit's snippet written run by run, every run escaped and the matched ones in <mark>.
 */
#include "pages/search.h"

#include "app/search.h"
#include "http/reply.h"
#include "lib/form.h"
#include "pages/forms.h"
#include "pages/html.h"
#include "pages/layout.h"
#include "pages/widgets.h"

#include <string.h>

enum { RESULTS_PER_PAGE = 20 };

static const char *const KEPT[] = {"q", "module", "area"};

/* The kinds of hit in words, as the list shows them under each title. */
static const char *hit_kind_words(const struct search_hit *hit)
{
    switch (hit->source) {
    case SEARCH_CONTENT: return "Learning content";
    case SEARCH_VARIANT: return "Learning content for your area";
    case SEARCH_STATEMENT: return "Framework statement";
    case SEARCH_POST: return "Forum post";
    }
    return "";
}

/* The filters' choices: every module of the catalogue, and every area of each framework (valued
 * "framework/number", as the API's area is). */
static void filters(struct buf *b, struct request *request, const struct catalogue *c, const char *module,
                    const char *area)
{
    struct form_option *modules = request_alloc(request, sizeof(*modules) * (c->module_count + 1));
    modules[0] = (struct form_option){"", "Any module"};
    for (size_t i = 0; i < c->module_count; i++)
        modules[i + 1] = (struct form_option){c->modules[i].code, c->modules[i].title};
    forms_select(b, "module", "Module", modules, c->module_count + 1, module, NULL, NULL);

    size_t area_count = 1;
    for (size_t f = 0; f < c->framework_count; f++)
        area_count += c->frameworks[f].area_count;
    struct form_option *areas = request_alloc(request, sizeof(*areas) * area_count);
    areas[0] = (struct form_option){"", "Any framework area"};
    size_t n = 1;
    for (size_t f = 0; f < c->framework_count; f++)
        for (size_t a = 0; a < c->frameworks[f].area_count; a++) {
            const struct catalogue_area *ar = &c->frameworks[f].areas[a];
            areas[n++] = (struct form_option){
                request_printf(request, "%s/%d", c->frameworks[f].code, ar->number),
                c->framework_count > 1
                    ? request_printf(request, "%s: %d. %s", c->frameworks[f].title, ar->number, ar->title)
                    : request_printf(request, "%d. %s", ar->number, ar->title)};
        }
    forms_select(b, "area", "Framework area", areas, n, area, NULL, NULL);
}

static void search_form(struct buf *b, struct request *request, const struct catalogue *c,
                        const struct search_filter *filter, const struct errors *errors)
{
    forms_error_summary(b, errors);
    html_printf(b, "<form method=\"get\" action=\"/search\" role=\"search\" novalidate>");
    forms_input(b, "q", "Search for", "search", filter->query ? filter->query : "",
                "Words from a title, a reading, a statement of the framework or a forum post", NULL, errors);
    html_printf(b,
                "<details class=\"govuk-details\"%s><summary class=\"govuk-details__summary\"><span "
                "class=\"govuk-details__summary-text\">Filter by module or framework area</span></summary><div "
                "class=\"govuk-details__text\">",
                (filter->module && *filter->module) || (filter->area && *filter->area) ? " open" : "");
    filters(b, request, c, filter->module ? filter->module : "", filter->area ? filter->area : "");
    html_printf(b, "</div></details>");
    forms_button(b, "Search", NULL);
    html_printf(b, "</form>");
}

static void result_item(struct buf *b, struct request *request, const struct search_result *r)
{
    html_printf(b,
                "<li class=\"govuk-!-margin-bottom-6\" data-testid=\"result\"><a class=\"govuk-link "
                "govuk-!-font-weight-bold govuk-!-text-break-word\" href=\"%s\">%s</a><br><span class=\"govuk-hint "
                "govuk-!-font-size-16\">%s</span><p class=\"govuk-body govuk-!-text-break-word\" "
                "data-testid=\"snippet\">",
                search_hit_href(&r->hit, request_arena(request)), r->hit.title, hit_kind_words(&r->hit));
    for (size_t i = 0; i < r->snippet_runs; i++)
        html_printf(b, r->snippet[i].matched ? "<mark>%s</mark>" : "%s", r->snippet[i].text);
    html_printf(b, "</p></li>");
}

void page_search(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    const struct form *query = request_query(request);
    struct search_filter filter = {
        .query = form_get(query, "q"), .module = form_get(query, "module"), .area = form_get(query, "area")};
    struct errors errors = ERRORS_INIT;
    struct store_page position;
    page_list_position(request, CURSOR_NUMBER, RESULTS_PER_PAGE, &position, &errors);
    if (page_query_refused(request, &errors))
        return;
    bool asked = filter.query != NULL && *filter.query != '\0';
    struct search_result *results = NULL;
    size_t count = 0;
    int status = 200;
    if (asked && !search_query_check(filter.query, &errors)) {
        status = 400; /* the query is the address's, and the form shows it again to be put right */
        asked = false;
    } else if (asked) {
        enum app_result r = search_run(request->store, request->caller, &filter, &position, request_arena(request),
                                       &results, &count, &errors);
        if (r != APP_OK) {
            page_refusal(request, r, &errors);
            errors_free(&errors);
            return;
        }
    }
    struct page page;
    page_begin(&page, asked ? request_printf(request, "Search: %s", filter.query) : "Search", SECTION_SEARCH);
    page.has_errors = errors.count > 0;
    struct buf *b = &page.body;
    html_printf(b, "<h1 class=\"govuk-heading-l\">Search</h1>");
    search_form(b, request, c, &filter, &errors);
    if (asked) {
        if (count == 0 && position.after.key == CURSOR_NONE) {
            html_printf(b, "<h2 class=\"govuk-heading-m\">No results</h2><p class=\"govuk-body\">Nothing you can "
                           "read matches your search. Try fewer or other words, or remove a filter.</p>");
        } else {
            html_printf(b, "<h2 class=\"govuk-heading-m\">Results</h2><ol class=\"govuk-list\">");
            for (size_t i = 0; i < count; i++)
                result_item(b, request, &results[i]);
            html_printf(b, "</ol>");
            page_pagination(b, request, KEPT, sizeof(KEPT) / sizeof(KEPT[0]), &position);
        }
    }
    errors_free(&errors);
    page_send(request, &page, status);
}
