/*
 * Frameworks: GET /api/v1/frameworks and /api/v1/frameworks/{code}, with areas and statements.
 */
#include "api/api.h"

#include <stdio.h>
#include <string.h>

static json_t *statements_json(const struct catalogue_statement *statements, size_t count, bool practices)
{
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++) {
        const struct catalogue_statement *s = &statements[i];
        json_t *item = json_pack("{s:i, s:s, s:b}", "number", s->number, "text", s->text, "incomplete", s->incomplete);
        if (practices) {
            json_t *list = json_array();
            for (size_t p = 0; p < s->practice_count; p++)
                json_array_append_new(list, json_pack("{s:s, s:b}", "text", s->practices[p].text, "incomplete",
                                                      s->practices[p].incomplete));
            json_object_set_new(item, "practices", list);
        }
        json_array_append_new(array, item);
    }
    return array;
}

static json_t *qualifications_using(const struct catalogue *c, const char *framework)
{
    json_t *codes = json_array();
    for (size_t i = 0; i < c->qualification_count; i++)
        if (c->qualifications[i].framework != NULL && strcmp(c->qualifications[i].framework, framework) == 0)
            json_array_append_new(codes, json_string(c->qualifications[i].code));
    return codes;
}

static json_t *build_list(const struct catalogue *c, const void *arg)
{
    (void)arg;
    json_t *list = json_array();
    for (size_t i = 0; i < c->framework_count; i++) {
        const struct catalogue_framework *f = &c->frameworks[i];
        char href[128];
        snprintf(href, sizeof(href), "/api/v1/frameworks/%s", f->code);
        json_array_append_new(list, json_pack("{s:s, s:s, s:i, s:o, s:s}", "code", f->code, "title", f->title,
                                              "area_count", (int)f->area_count, "qualifications",
                                              qualifications_using(c, f->code), "href", href));
    }
    return json_pack("{s:o}", "frameworks", list);
}

void api_frameworks_list(struct request *request)
{
    api_reply_catalogue_list(request, "frameworks", build_list, "frameworks");
}

static json_t *build_detail(const struct catalogue *c, const void *arg)
{
    const struct catalogue_framework *f = arg;
    if (f == NULL)
        return NULL;
    json_t *areas = json_array();
    for (size_t a = 0; a < f->area_count; a++) {
        const struct catalogue_area *area = &f->areas[a];
        json_array_append_new(
            areas, json_pack("{s:i, s:s, s:o, s:o}", "number", area->number, "title", area->title, "learn_that",
                             statements_json(area->learn_that, area->learn_that_count, false), "learn_how_to",
                             statements_json(area->learn_how_to, area->learn_how_to_count, true)));
    }
    return json_pack("{s:s, s:s, s:o, s:o}", "code", f->code, "title", f->title, "qualifications",
                     qualifications_using(c, f->code), "areas", areas);
}

void api_framework_get(struct request *request)
{
    const struct catalogue *c = api_catalogue(request);
    if (c == NULL)
        return;
    struct str code = request->params[0];
    const struct catalogue_framework *f = catalogue_framework_find(c, code.ptr, code.len);
    char key[160];
    snprintf(key, sizeof(key), "framework:%s", f ? f->code : "");
    api_reply_catalogue(request, key, build_detail, f, "There is no framework with that code.");
}
