/*
 * Qualifications: GET /api/v1/qualifications and /api/v1/qualifications/{code}.
 */
#include "api/api.h"

#include "domain/rules.h"

#include <stdio.h>
#include <string.h>

static json_t *qualification_summary_json(const struct catalogue *c, const struct catalogue_qualification *q)
{
    char modules[128], href[128];
    rules_describe_modules(&q->rule, modules, sizeof(modules));
    snprintf(href, sizeof(href), "/api/v1/qualifications/%s", q->code);
    return json_pack("{s:s, s:s, s:o, s:s, s:s?, s:s?, s:s?, s:s}", "code", q->code, "title", q->title, "level",
                     api_level_json(c, q->level), "requirement", modules, "framework", q->framework, "dfe_course",
                     q->dfe_course, "course_group", q->course_group, "href", href);
}

static json_t *build_list(const struct catalogue *c, const void *arg)
{
    (void)arg;
    json_t *list = json_array();
    for (size_t i = 0; i < c->qualification_count; i++)
        json_array_append_new(list, qualification_summary_json(c, &c->qualifications[i]));
    return json_pack("{s:o}", "qualifications", list);
}

void api_qualifications_list(struct request *request)
{
    api_reply_catalogue_list(request, "qualifications", build_list, "qualifications");
}

static json_t *code_array(const char **codes, size_t count)
{
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(array, json_string(codes[i]));
    return array;
}

/* The rule's modules in one strand with one role, in rule order. */
static json_t *strand_modules(const struct catalogue *c, const char **codes, size_t count, const char *strand)
{
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++) {
        const struct catalogue_module *m = catalogue_module_find(c, codes[i], strlen(codes[i]));
        if (m != NULL && strcmp(m->strand, strand) == 0)
            json_array_append_new(array, api_module_summary_json(m));
    }
    return array;
}

static json_t *build_detail(const struct catalogue *c, const void *arg)
{
    const struct catalogue_qualification *q = arg;
    if (q == NULL)
        return NULL;
    const struct catalogue_rule *rule = &q->rule;
    char modules[128], events[160];
    rules_describe_modules(rule, modules, sizeof(modules));
    rules_describe_events(rule, events, sizeof(events));
    json_t *rule_json = json_pack(
        "{s:o, s:{s:i, s:o}, s:b, s:i, s:i, s:s, s:s}", "essential", code_array(rule->essential, rule->essential_count),
        "electives", "count", rule->elective_count, "from", code_array(rule->elective_from, rule->elective_from_count),
        "final_assessment", rule->final_assessment, "min_face_to_face_events", rule->min_face_to_face_events,
        "min_virtual_events", rule->min_virtual_events, "description", modules, "events_description", events);
    json_t *strands = json_array();
    for (size_t i = 0; i < c->strand_count; i++) {
        const struct catalogue_strand *s = &c->strands[i];
        json_array_append_new(strands,
                              json_pack("{s:s, s:s, s:o, s:o}", "code", s->code, "title", s->title, "essential",
                                        strand_modules(c, rule->essential, rule->essential_count, s->code), "elective",
                                        strand_modules(c, rule->elective_from, rule->elective_from_count, s->code)));
    }
    return json_pack("{s:s, s:s, s:o, s:s, s:s?, s:s?, s:s?, s:o, s:o}", "code", q->code, "title", q->title, "level",
                     api_level_json(c, q->level), "summary", q->summary, "framework", q->framework, "dfe_course",
                     q->dfe_course, "course_group", q->course_group, "rule", rule_json, "strands", strands);
}

void api_qualification_get(struct request *request)
{
    const struct catalogue *c = api_catalogue(request);
    if (c == NULL)
        return;
    struct str code = request->params[0];
    const struct catalogue_qualification *q = catalogue_qualification_find(c, code.ptr, code.len);
    char key[160];
    snprintf(key, sizeof(key), "qualification:%s", q ? q->code : "");
    api_reply_catalogue(request, key, build_detail, q, "There is no qualification with that code.");
}
