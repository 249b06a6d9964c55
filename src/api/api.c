#include "api/api.h"

#include "http/reply.h"
#include "http/worker.h"

#include <stdio.h>
#include <stdlib.h>

const struct catalogue *api_catalogue(struct request *request)
{
    const struct catalogue *catalogue = worker_catalogue(request->worker);
    if (catalogue == NULL)
        reply_error(request, 503, "unavailable", "The catalogue cannot be read right now. Try again shortly.");
    return catalogue;
}

void api_reply_catalogue(struct request *request, const char *key, api_builder build, const void *arg,
                         const char *not_found)
{
    const struct catalogue *catalogue = api_catalogue(request);
    if (catalogue == NULL)
        return;
    struct response_cache *cache = &request->worker->cache;
    const struct cached_response *cached = response_cache_get(cache, key);
    if (cached == NULL) {
        json_t *document = build(catalogue, arg);
        if (document == NULL) {
            reply_error(request, 404, "not_found", "%s", not_found);
            return;
        }
        char *body = json_dumps(document, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(document);
        cached = response_cache_put(cache, key, body, strlen(body), "application/json; charset=utf-8",
                                    "public, max-age=0, must-revalidate");
        free(body);
    }
    reply_cached(request, cached);
}

json_t *api_level_json(const struct catalogue *catalogue, int number)
{
    const struct catalogue_level *level = catalogue_level_find(catalogue, number);
    return json_pack("{s:i, s:s}", "number", number, "title", level ? level->title : "");
}

json_t *api_module_summary_json(const struct catalogue_module *module)
{
    char href[256];
    snprintf(href, sizeof(href), "/api/v1/modules/%s", module->code);
    return json_pack("{s:s, s:s, s:s, s:i, s:i, s:s}", "code", module->code, "title", module->title, "strand",
                     module->strand, "level", module->level, "hours_cap", module->hours_cap, "href", href);
}
