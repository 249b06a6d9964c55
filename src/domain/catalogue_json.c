/*
 * Reading and writing the catalogue file format.
 *
 * The reader is strict: unknown keys, wrong types and missing fields are errors, because a typo
 * in a field name would otherwise silently drop data. Every error carries the JSON path of the
 * offending value.
 */
#include "domain/catalogue_json.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct reader {
    struct catalogue *catalogue;
    struct errors *errors;
};

typedef char path_t[160];

static void path_key(path_t out, const char *parent, const char *key)
{
    snprintf(out, sizeof(path_t), "%s.%s", parent, key);
}

static void path_index(path_t out, const char *parent, size_t index)
{
    snprintf(out, sizeof(path_t), "%s[%zu]", parent, index);
}

static const char *json_type_name(const json_t *value)
{
    switch (json_typeof(value)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "a value";
}

/* Reports keys other than the allowed ones. allowed is a NULL-terminated list. */
static void check_keys(struct reader *r, const json_t *object, const char *path, const char *const *allowed)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)object, key, value)
    {
        bool known = false;
        for (const char *const *a = allowed; *a != NULL; a++)
            if (strcmp(*a, key) == 0)
                known = true;
        if (!known) {
            path_t where;
            path_key(where, path, key);
            errors_add(r->errors, where, "unknown field");
        }
    }
}

static bool expect_object(struct reader *r, const json_t *value, const char *path)
{
    if (json_is_object(value))
        return true;
    errors_add(r->errors, path, "must be an object, not %s", json_type_name(value));
    return false;
}

/* The member of object at key, or NULL with an error when it is missing and required. */
static json_t *member(struct reader *r, const json_t *object, const char *path, const char *key, bool required)
{
    json_t *value = json_object_get(object, key);
    if (value == NULL && required) {
        path_t where;
        path_key(where, path, key);
        errors_add(r->errors, where, "is required");
    }
    return value;
}

static const char *read_string(struct reader *r, const json_t *object, const char *path, const char *key, bool nonempty)
{
    json_t *value = member(r, object, path, key, true);
    if (value == NULL)
        return "";
    path_t where;
    path_key(where, path, key);
    if (!json_is_string(value)) {
        errors_add(r->errors, where, "must be a string, not %s", json_type_name(value));
        return "";
    }
    if (nonempty && json_string_length(value) == 0)
        errors_add(r->errors, where, "must not be empty");
    if (strlen(json_string_value(value)) != json_string_length(value))
        errors_add(r->errors, where, "must not contain NUL characters");
    return arena_strndup(&r->catalogue->arena, json_string_value(value), json_string_length(value));
}

static bool is_slug(const char *s)
{
    if (*s == '\0' || *s == '-')
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
            return false;
    return s[strlen(s) - 1] != '-';
}

static bool is_qualification_code(const char *s)
{
    if (*s == '\0')
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
            return false;
    return true;
}

static const char *read_slug(struct reader *r, const json_t *object, const char *path, const char *key)
{
    const char *s = read_string(r, object, path, key, true);
    if (*s != '\0' && !is_slug(s)) {
        path_t where;
        path_key(where, path, key);
        errors_add(r->errors, where, "\"%s\" must be lower-case letters, digits and single hyphens", s);
    }
    return s;
}

/* A slug that may be absent or null (NULL then). */
static const char *read_optional_slug(struct reader *r, const json_t *object, const char *path, const char *key)
{
    json_t *value = json_object_get(object, key);
    if (value == NULL || json_is_null(value))
        return NULL;
    return read_slug(r, object, path, key);
}

static int read_int(struct reader *r, const json_t *object, const char *path, const char *key, bool required,
                    int fallback, int min, int max)
{
    json_t *value = member(r, object, path, key, required);
    if (value == NULL)
        return fallback;
    path_t where;
    path_key(where, path, key);
    if (!json_is_integer(value)) {
        errors_add(r->errors, where, "must be an integer, not %s", json_type_name(value));
        return fallback;
    }
    json_int_t n = json_integer_value(value);
    if (n < min || n > max) {
        errors_add(r->errors, where, "must be between %d and %d", min, max);
        return fallback;
    }
    return (int)n;
}

static bool read_bool(struct reader *r, const json_t *object, const char *path, const char *key, bool required)
{
    json_t *value = member(r, object, path, key, required);
    if (value == NULL)
        return false;
    if (!json_is_boolean(value)) {
        path_t where;
        path_key(where, path, key);
        errors_add(r->errors, where, "must be true or false, not %s", json_type_name(value));
        return false;
    }
    return json_is_true(value);
}

/* The array at key (or NULL), allocating count elements of size each in *out. */
static const json_t *read_array(struct reader *r, const json_t *object, const char *path, const char *key, size_t size,
                                void **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    json_t *value = member(r, object, path, key, true);
    if (value == NULL)
        return NULL;
    if (!json_is_array(value)) {
        path_t where;
        path_key(where, path, key);
        errors_add(r->errors, where, "must be an array, not %s", json_type_name(value));
        return NULL;
    }
    *count = json_array_size(value);
    *out = arena_alloc(&r->catalogue->arena, size * (*count ? *count : 1));
    return value;
}

static void read_code_list(struct reader *r, const json_t *object, const char *path, const char *key, const char ***out,
                           size_t *count)
{
    const json_t *array = read_array(r, object, path, key, sizeof(**out), (void **)out, count);
    path_t list_path;
    path_key(list_path, path, key);
    for (size_t i = 0; array != NULL && i < *count; i++) {
        json_t *item = json_array_get(array, i);
        path_t where;
        path_index(where, list_path, i);
        if (!json_is_string(item)) {
            errors_add(r->errors, where, "must be a module code string, not %s", json_type_name(item));
            (*out)[i] = "";
            continue;
        }
        (*out)[i] = arena_strdup(&r->catalogue->arena, json_string_value(item));
    }
}

static void read_levels(struct reader *r, const json_t *root)
{
    struct catalogue *c = r->catalogue;
    const json_t *array = read_array(r, root, "$", "levels", sizeof(*c->levels), (void **)&c->levels, &c->level_count);
    for (size_t i = 0; array != NULL && i < c->level_count; i++) {
        path_t path;
        path_index(path, "$.levels", i);
        json_t *item = json_array_get(array, i);
        if (!expect_object(r, item, path))
            continue;
        check_keys(r, item, path, (const char *const[]){"number", "title", NULL});
        c->levels[i].number = read_int(r, item, path, "number", true, 0, 1, 9);
        c->levels[i].title = read_string(r, item, path, "title", true);
    }
}

static void read_strands(struct reader *r, const json_t *root)
{
    struct catalogue *c = r->catalogue;
    const json_t *array =
        read_array(r, root, "$", "strands", sizeof(*c->strands), (void **)&c->strands, &c->strand_count);
    for (size_t i = 0; array != NULL && i < c->strand_count; i++) {
        path_t path;
        path_index(path, "$.strands", i);
        json_t *item = json_array_get(array, i);
        c->strands[i].code = c->strands[i].title = "";
        if (!expect_object(r, item, path))
            continue;
        check_keys(r, item, path, (const char *const[]){"code", "title", NULL});
        c->strands[i].code = read_slug(r, item, path, "code");
        c->strands[i].title = read_string(r, item, path, "title", true);
    }
}

static void read_modules(struct reader *r, const json_t *root)
{
    struct catalogue *c = r->catalogue;
    const json_t *array =
        read_array(r, root, "$", "modules", sizeof(*c->modules), (void **)&c->modules, &c->module_count);
    for (size_t i = 0; array != NULL && i < c->module_count; i++) {
        path_t path;
        path_index(path, "$.modules", i);
        json_t *item = json_array_get(array, i);
        struct catalogue_module *m = &c->modules[i];
        m->code = m->title = m->strand = "";
        m->hours_cap = CATALOGUE_DEFAULT_HOURS_CAP;
        if (!expect_object(r, item, path))
            continue;
        check_keys(r, item, path, (const char *const[]){"code", "title", "strand", "level", "hours_cap", NULL});
        m->code = read_slug(r, item, path, "code");
        m->title = read_string(r, item, path, "title", true);
        m->strand = read_string(r, item, path, "strand", true);
        m->level = read_int(r, item, path, "level", true, 0, 1, 9);
        m->hours_cap = read_int(r, item, path, "hours_cap", false, CATALOGUE_DEFAULT_HOURS_CAP, 1, 500);
    }
}

static void read_rule(struct reader *r, const json_t *object, const char *parent, struct catalogue_rule *rule)
{
    path_t path;
    path_key(path, parent, "rule");
    json_t *value = member(r, object, parent, "rule", true);
    if (value == NULL || !expect_object(r, value, path))
        return;
    check_keys(r, value, path,
               (const char *const[]){"essential", "electives", "final_assessment", "min_face_to_face_events",
                                     "min_virtual_events", NULL});
    read_code_list(r, value, path, "essential", &rule->essential, &rule->essential_count);
    /* A qualification with no modules (the 2021 suite) may leave electives out. */
    path_t electives_path;
    path_key(electives_path, path, "electives");
    json_t *electives = member(r, value, path, "electives", false);
    if (electives != NULL && expect_object(r, electives, electives_path)) {
        check_keys(r, electives, electives_path, (const char *const[]){"count", "from", NULL});
        rule->elective_count = read_int(r, electives, electives_path, "count", true, 0, 0, 100);
        read_code_list(r, electives, electives_path, "from", &rule->elective_from, &rule->elective_from_count);
    }
    rule->final_assessment = read_bool(r, value, path, "final_assessment", true);
    rule->min_face_to_face_events = read_int(r, value, path, "min_face_to_face_events", true, 0, 0, 100);
    rule->min_virtual_events = read_int(r, value, path, "min_virtual_events", true, 0, 0, 100);
}

static void read_qualifications(struct reader *r, const json_t *root)
{
    struct catalogue *c = r->catalogue;
    const json_t *array = read_array(r, root, "$", "qualifications", sizeof(*c->qualifications),
                                     (void **)&c->qualifications, &c->qualification_count);
    for (size_t i = 0; array != NULL && i < c->qualification_count; i++) {
        path_t path;
        path_index(path, "$.qualifications", i);
        json_t *item = json_array_get(array, i);
        struct catalogue_qualification *q = &c->qualifications[i];
        q->code = q->title = q->summary = "";
        if (!expect_object(r, item, path))
            continue;
        check_keys(r, item, path,
                   (const char *const[]){"code", "title", "level", "summary", "framework", "dfe_course", "course_group",
                                         "rule", NULL});
        q->code = read_string(r, item, path, "code", true);
        if (*q->code != '\0' && !is_qualification_code(q->code)) {
            path_t where;
            path_key(where, path, "code");
            errors_add(r->errors, where, "\"%s\" must be upper-case letters and digits", q->code);
        }
        q->title = read_string(r, item, path, "title", true);
        /* A qualification outside the 2012 levels says "level": null. */
        json_t *level = member(r, item, path, "level", true);
        if (level != NULL && !json_is_null(level))
            q->level = read_int(r, item, path, "level", true, 0, 1, 9);
        q->summary = json_object_get(item, "summary") ? read_string(r, item, path, "summary", false) : "";
        q->framework = read_optional_slug(r, item, path, "framework");
        q->dfe_course = read_optional_slug(r, item, path, "dfe_course");
        q->course_group = read_optional_slug(r, item, path, "course_group");
        read_rule(r, item, path, &q->rule);
    }
}

static void read_statements(struct reader *r, const json_t *area, const char *area_path, const char *key,
                            bool with_practices, struct catalogue_statement **out, size_t *count)
{
    const json_t *array = read_array(r, area, area_path, key, sizeof(**out), (void **)out, count);
    path_t list_path;
    path_key(list_path, area_path, key);
    for (size_t i = 0; array != NULL && i < *count; i++) {
        path_t path;
        path_index(path, list_path, i);
        json_t *item = json_array_get(array, i);
        struct catalogue_statement *s = &(*out)[i];
        s->text = "";
        if (!expect_object(r, item, path))
            continue;
        check_keys(r, item, path, (const char *const[]){"number", "text", "incomplete", "practices", NULL});
        s->number = read_int(r, item, path, "number", true, 0, 1, 10000);
        s->text = read_string(r, item, path, "text", true);
        s->incomplete = read_bool(r, item, path, "incomplete", false);
        if (json_object_get(item, "practices") == NULL)
            continue;
        const json_t *practices =
            read_array(r, item, path, "practices", sizeof(*s->practices), (void **)&s->practices, &s->practice_count);
        path_t practices_path;
        path_key(practices_path, path, "practices");
        if (!with_practices && s->practice_count > 0)
            errors_add(r->errors, practices_path, "only \"learn how to\" statements have practices");
        for (size_t j = 0; practices != NULL && j < s->practice_count; j++) {
            path_t ppath;
            path_index(ppath, practices_path, j);
            json_t *p = json_array_get(practices, j);
            s->practices[j].text = "";
            if (!expect_object(r, p, ppath))
                continue;
            check_keys(r, p, ppath, (const char *const[]){"text", "incomplete", NULL});
            s->practices[j].text = read_string(r, p, ppath, "text", true);
            s->practices[j].incomplete = read_bool(r, p, ppath, "incomplete", false);
        }
    }
}

static void read_frameworks(struct reader *r, const json_t *root)
{
    struct catalogue *c = r->catalogue;
    const json_t *array =
        read_array(r, root, "$", "frameworks", sizeof(*c->frameworks), (void **)&c->frameworks, &c->framework_count);
    for (size_t i = 0; array != NULL && i < c->framework_count; i++) {
        path_t path;
        path_index(path, "$.frameworks", i);
        json_t *item = json_array_get(array, i);
        struct catalogue_framework *f = &c->frameworks[i];
        f->code = f->title = "";
        if (!expect_object(r, item, path))
            continue;
        check_keys(r, item, path, (const char *const[]){"code", "title", "areas", NULL});
        f->code = read_slug(r, item, path, "code");
        f->title = read_string(r, item, path, "title", true);
        const json_t *areas = read_array(r, item, path, "areas", sizeof(*f->areas), (void **)&f->areas, &f->area_count);
        path_t areas_path;
        path_key(areas_path, path, "areas");
        for (size_t a = 0; areas != NULL && a < f->area_count; a++) {
            path_t apath;
            path_index(apath, areas_path, a);
            json_t *area = json_array_get(areas, a);
            f->areas[a].title = "";
            if (!expect_object(r, area, apath))
                continue;
            check_keys(r, area, apath, (const char *const[]){"number", "title", "learn_that", "learn_how_to", NULL});
            f->areas[a].number = read_int(r, area, apath, "number", true, 0, 1, 1000);
            f->areas[a].title = read_string(r, area, apath, "title", true);
            read_statements(r, area, apath, "learn_that", false, &f->areas[a].learn_that,
                            &f->areas[a].learn_that_count);
            read_statements(r, area, apath, "learn_how_to", true, &f->areas[a].learn_how_to,
                            &f->areas[a].learn_how_to_count);
        }
    }
}

static void read_schedules(struct reader *r, const json_t *root)
{
    struct catalogue *c = r->catalogue;
    /* Optional, so that a catalogue of the 2012 suite alone needs no schedules. */
    if (json_object_get(root, "schedules") == NULL)
        return;
    const json_t *array =
        read_array(r, root, "$", "schedules", sizeof(*c->schedules), (void **)&c->schedules, &c->schedule_count);
    for (size_t i = 0; array != NULL && i < c->schedule_count; i++) {
        path_t path;
        path_index(path, "$.schedules", i);
        json_t *item = json_array_get(array, i);
        struct catalogue_schedule *s = &c->schedules[i];
        s->identifier = s->course_group = s->title = "";
        if (!expect_object(r, item, path))
            continue;
        check_keys(r, item, path,
                   (const char *const[]){"identifier", "cohort", "course_group", "title", "milestones", NULL});
        s->identifier = read_slug(r, item, path, "identifier");
        s->cohort = read_int(r, item, path, "cohort", true, 0, 2021, 2100);
        s->course_group = read_slug(r, item, path, "course_group");
        s->title = read_string(r, item, path, "title", true);
        const json_t *milestones = read_array(r, item, path, "milestones", sizeof(*s->milestones),
                                              (void **)&s->milestones, &s->milestone_count);
        path_t milestones_path;
        path_key(milestones_path, path, "milestones");
        for (size_t m = 0; milestones != NULL && m < s->milestone_count; m++) {
            path_t mpath;
            path_index(mpath, milestones_path, m);
            json_t *ms = json_array_get(milestones, m);
            struct catalogue_milestone *milestone = &s->milestones[m];
            milestone->declaration_type = milestone->start_date = "";
            if (!expect_object(r, ms, mpath))
                continue;
            check_keys(r, ms, mpath, (const char *const[]){"declaration_type", "start_date", "milestone_date", NULL});
            milestone->declaration_type = read_slug(r, ms, mpath, "declaration_type");
            milestone->start_date = read_string(r, ms, mpath, "start_date", true);
            json_t *until = member(r, ms, mpath, "milestone_date", true);
            if (until != NULL && !json_is_null(until))
                milestone->milestone_date = read_string(r, ms, mpath, "milestone_date", true);
        }
    }
}

struct catalogue *catalogue_json_parse(const char *text, size_t len, struct errors *errors)
{
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        errors_add(errors, "$", "not valid JSON: %s (line %d, column %d)", jerr.text, jerr.line, jerr.column);
        return NULL;
    }
    struct catalogue *catalogue = catalogue_new();
    struct reader r = {catalogue, errors};
    size_t before = errors->count;
    if (expect_object(&r, root, "$")) {
        check_keys(&r, root, "$",
                   (const char *const[]){"format", "levels", "strands", "modules", "qualifications", "frameworks",
                                         "schedules", NULL});
        const char *format = read_string(&r, root, "$", "format", true);
        if (*format != '\0' && strcmp(format, CATALOGUE_FORMAT) != 0)
            errors_add(errors, "$.format", "must be \"%s\", not \"%s\"", CATALOGUE_FORMAT, format);
        read_levels(&r, root);
        read_strands(&r, root);
        read_modules(&r, root);
        read_qualifications(&r, root);
        read_frameworks(&r, root);
        read_schedules(&r, root);
    }
    json_decref(root);
    /* Reference checks only make sense on a document whose shape is right. */
    if (errors->count == before)
        catalogue_validate(catalogue, errors);
    if (errors->count != before) {
        catalogue_free(catalogue);
        return NULL;
    }
    return catalogue;
}

/* Writing. json_object_set_new keeps insertion order with JSON_PRESERVE_ORDER on dump. */

static json_t *code_list(const char **codes, size_t count)
{
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(array, json_string(codes[i]));
    return array;
}

static json_t *statements_json(const struct catalogue_statement *statements, size_t count)
{
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++) {
        const struct catalogue_statement *s = &statements[i];
        json_t *practices = json_array();
        for (size_t j = 0; j < s->practice_count; j++)
            json_array_append_new(practices, json_pack("{s:s, s:b}", "text", s->practices[j].text, "incomplete",
                                                       s->practices[j].incomplete));
        json_array_append_new(array, json_pack("{s:i, s:s, s:b, s:o}", "number", s->number, "text", s->text,
                                               "incomplete", s->incomplete, "practices", practices));
    }
    return array;
}

json_t *catalogue_json_build(const struct catalogue *c)
{
    json_t *levels = json_array();
    for (size_t i = 0; i < c->level_count; i++)
        json_array_append_new(levels,
                              json_pack("{s:i, s:s}", "number", c->levels[i].number, "title", c->levels[i].title));

    json_t *strands = json_array();
    for (size_t i = 0; i < c->strand_count; i++)
        json_array_append_new(strands,
                              json_pack("{s:s, s:s}", "code", c->strands[i].code, "title", c->strands[i].title));

    json_t *modules = json_array();
    for (size_t i = 0; i < c->module_count; i++) {
        const struct catalogue_module *m = &c->modules[i];
        json_array_append_new(modules, json_pack("{s:s, s:s, s:s, s:i, s:i}", "code", m->code, "title", m->title,
                                                 "strand", m->strand, "level", m->level, "hours_cap", m->hours_cap));
    }

    json_t *qualifications = json_array();
    for (size_t i = 0; i < c->qualification_count; i++) {
        const struct catalogue_qualification *q = &c->qualifications[i];
        const struct catalogue_rule *rule = &q->rule;
        json_t *rule_json = json_pack(
            "{s:o, s:{s:i, s:o}, s:b, s:i, s:i}", "essential", code_list(rule->essential, rule->essential_count),
            "electives", "count", rule->elective_count, "from",
            code_list(rule->elective_from, rule->elective_from_count), "final_assessment", rule->final_assessment,
            "min_face_to_face_events", rule->min_face_to_face_events, "min_virtual_events", rule->min_virtual_events);
        json_array_append_new(qualifications,
                              json_pack("{s:s, s:s, s:o, s:s, s:s?, s:s?, s:s?, s:o}", "code", q->code, "title",
                                        q->title, "level", q->level ? json_integer(q->level) : json_null(), "summary",
                                        q->summary, "framework", q->framework, "dfe_course", q->dfe_course,
                                        "course_group", q->course_group, "rule", rule_json));
    }

    json_t *frameworks = json_array();
    for (size_t i = 0; i < c->framework_count; i++) {
        const struct catalogue_framework *f = &c->frameworks[i];
        json_t *areas = json_array();
        for (size_t a = 0; a < f->area_count; a++) {
            const struct catalogue_area *area = &f->areas[a];
            json_array_append_new(
                areas, json_pack("{s:i, s:s, s:o, s:o}", "number", area->number, "title", area->title, "learn_that",
                                 statements_json(area->learn_that, area->learn_that_count), "learn_how_to",
                                 statements_json(area->learn_how_to, area->learn_how_to_count)));
        }
        json_array_append_new(frameworks,
                              json_pack("{s:s, s:s, s:o}", "code", f->code, "title", f->title, "areas", areas));
    }

    json_t *schedules = json_array();
    for (size_t i = 0; i < c->schedule_count; i++) {
        const struct catalogue_schedule *s = &c->schedules[i];
        json_t *milestones = json_array();
        for (size_t m = 0; m < s->milestone_count; m++) {
            const struct catalogue_milestone *ms = &s->milestones[m];
            json_array_append_new(milestones,
                                  json_pack("{s:s, s:s, s:s?}", "declaration_type", ms->declaration_type, "start_date",
                                            ms->start_date, "milestone_date", ms->milestone_date));
        }
        json_array_append_new(schedules,
                              json_pack("{s:s, s:i, s:s, s:s, s:o}", "identifier", s->identifier, "cohort", s->cohort,
                                        "course_group", s->course_group, "title", s->title, "milestones", milestones));
    }

    return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "format", CATALOGUE_FORMAT, "levels", levels, "strands",
                     strands, "modules", modules, "qualifications", qualifications, "frameworks", frameworks,
                     "schedules", schedules);
}

char *catalogue_json_dump(const struct catalogue *catalogue)
{
    json_t *doc = catalogue_json_build(catalogue);
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (text == NULL)
        return NULL;
    size_t len = strlen(text);
    char *with_newline = realloc(text, len + 2);
    if (with_newline == NULL) {
        free(text);
        return NULL;
    }
    with_newline[len] = '\n';
    with_newline[len + 1] = '\0';
    return with_newline;
}
