/*
 * GET /api/v1/me/home: the caller's home as JSON, the same parts, lists and items as the page at /
 * (app/home.h), so what a person is shown to do next can be read without the pages.
 */
#include "api/api.h"

#include "app/home.h"
#include "http/reply.h"

static json_t *text_or_null(const char *text)
{
    return text ? json_string(text) : json_null();
}

static json_t *item_json(const struct home_item *it)
{
    json_t *o =
        json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:s}", "id", (json_int_t)it->id, "title", it->title, "detail",
                  it->detail ? it->detail : "", "note", text_or_null(it->note), "at", api_time_json(it->at), "due",
                  api_time_json(it->due), "date", text_or_null(it->date), "href", it->href);
    if (o != NULL && it->action != NULL && it->action_href != NULL)
        json_object_set_new(o, "action", json_pack("{s:s, s:s}", "text", it->action, "href", it->action_href));
    return o;
}

static json_t *home_json(const struct home *home)
{
    json_t *parts = json_array();
    for (size_t i = 0; i < home->part_count; i++) {
        const struct home_part *p = &home->parts[i];
        json_t *lists = json_array();
        for (size_t k = 0; k < p->list_count; k++) {
            const struct home_list *l = &p->lists[k];
            json_t *items = json_array();
            for (size_t n = 0; n < l->count; n++)
                json_array_append_new(items, item_json(&l->items[n]));
            json_array_append_new(lists, json_pack("{s:s, s:s, s:s, s:o}", "key", l->key, "heading", l->heading,
                                                   "empty", l->empty, "items", items));
        }
        json_t *links = json_array();
        for (size_t k = 0; k < p->link_count; k++)
            json_array_append_new(links, json_pack("{s:s, s:s}", "text", p->links[k].text, "href", p->links[k].href));
        json_array_append_new(parts, json_pack("{s:s, s:s, s:o, s:o}", "role", role_name(p->role), "heading",
                                               p->heading, "lists", lists, "links", links));
    }
    return json_pack("{s:o}", "parts", parts);
}

void api_me_home(struct request *request)
{
    const struct catalogue *c = api_catalogue(request);
    if (c == NULL)
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct home home;
    struct errors errors = ERRORS_INIT;
    enum app_result r = home_read(&env, c, request->caller, request_arena(request), &home);
    if (r == APP_OK)
        reply_json(request, 200, home_json(&home));
    else
        api_reply_result(request, r, &errors, "home");
    errors_free(&errors);
}
