/*
 * Modules: GET /api/v1/modules and /api/v1/modules/{code}, with the qualifications each counts
 * towards.
 */
#include "api/api.h"

#include <stdio.h>
#include <string.h>

static json_t *build_list(const struct catalogue *c, const void *arg)
{
    (void)arg;
    json_t *list = json_array();
    for (size_t i = 0; i < c->module_count; i++)
        json_array_append_new(list, api_module_summary_json(&c->modules[i]));
    return json_pack("{s:o}", "modules", list);
}

void api_modules_list(struct request *request)
{
    api_reply_catalogue_list(request, "modules", build_list, "modules");
}

static json_t *build_detail(const struct catalogue *c, const void *arg)
{
    const struct catalogue_module *m = arg;
    if (m == NULL)
        return NULL;
    const struct catalogue_strand *strand = catalogue_strand_find(c, m->strand);
    json_t *qualifications = json_array();
    for (size_t i = 0; i < c->qualification_count; i++) {
        const struct catalogue_qualification *q = &c->qualifications[i];
        enum catalogue_module_role role = catalogue_rule_module_role(&q->rule, m->code);
        if (role == MODULE_ROLE_NONE)
            continue;
        char href[128];
        snprintf(href, sizeof(href), "/api/v1/qualifications/%s", q->code);
        json_array_append_new(qualifications,
                              json_pack("{s:s, s:s, s:s, s:s}", "code", q->code, "title", q->title, "role",
                                        role == MODULE_ROLE_ESSENTIAL ? "essential" : "elective", "href", href));
    }
    return json_pack("{s:s, s:s, s:{s:s, s:s}, s:o, s:i, s:o}", "code", m->code, "title", m->title, "strand", "code",
                     m->strand, "title", strand ? strand->title : "", "level", api_level_json(c, m->level), "hours_cap",
                     m->hours_cap, "qualifications", qualifications);
}

void api_module_get(struct request *request)
{
    const struct catalogue *c = api_catalogue(request);
    if (c == NULL)
        return;
    struct str code = request->params[0];
    const struct catalogue_module *m = catalogue_module_find(c, code.ptr, code.len);
    char key[160];
    snprintf(key, sizeof(key), "module:%s", m ? m->code : "");
    api_reply_catalogue(request, key, build_detail, m, "There is no module with that code.");
}
