/*
 * Search as JSON: GET /api/v1/search?q=&module=&area=&kind=, a page of what the caller may read
 * that matches q, best first. A snippet travels as runs of plain text, each matched or not, so a
 * client highlights without parsing markup (app/search.h).
 */
#include "api/api.h"

#include "app/search.h"
#include "http/paging.h"
#include "http/reply.h"
#include "lib/form.h"

static json_t *snippet_json(const struct search_result *r)
{
    json_t *runs = json_array();
    for (size_t i = 0; i < r->snippet_runs; i++)
        json_array_append_new(runs,
                              json_pack("{s:s, s:b}", "text", r->snippet[i].text, "match", r->snippet[i].matched));
    return runs;
}

static json_t *result_json(struct request *request, const struct search_result *r)
{
    const struct search_hit *h = &r->hit;
    json_t *out = json_pack("{s:s, s:s, s:s, s:o}", "type", search_source_name(h->source), "title", h->title, "href",
                            search_hit_href(h, request_arena(request)), "snippet", snippet_json(r));
    switch (h->source) {
    case SEARCH_VARIANT: json_object_set_new(out, "partner_id", json_integer(h->partner_id)); /* fall through */
    case SEARCH_CONTENT:
        json_object_set_new(out, "id", json_integer(h->id));
        json_object_set_new(out, "kind", json_string(h->content_kind));
        break;
    case SEARCH_STATEMENT:
        json_object_set_new(out, "statement",
                            json_pack("{s:s, s:i, s:s, s:i}", "framework", h->framework, "area", h->area, "kind",
                                      h->statement_kind, "number", h->number));
        break;
    case SEARCH_POST:
        json_object_set_new(out, "id", json_integer(h->id));
        json_object_set_new(out, "thread_id", json_integer(h->thread_id));
        break;
    }
    return out;
}

void api_search(struct request *request)
{
    const struct form *query = request_query(request);
    struct errors errors = ERRORS_INIT;
    struct search_filter filter = {.query = form_get(query, "q"),
                                   .module = form_get(query, "module"),
                                   .area = form_get(query, "area"),
                                   .kind = form_get(query, "kind")};
    struct store_page page;
    paging_read(request, CURSOR_NUMBER, &page, &errors);
    search_query_check(filter.query, &errors);
    if (api_query_refused(request, &errors))
        return;
    struct search_result *results;
    size_t count;
    enum app_result r =
        search_run(request->store, request->caller, &filter, &page, request_arena(request), &results, &count, &errors);
    if (r != APP_OK) {
        api_reply_result(request, r, &errors, "q");
        errors_free(&errors);
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(list, result_json(request, &results[i]));
    paging_link(request, &page);
    reply_json(request, 200, json_pack("{s:o}", "results", list));
}
