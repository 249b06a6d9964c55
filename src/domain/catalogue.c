/*
 * Catalogue look-ups and the consistency rules an imported catalogue must satisfy.
 */
#include "domain/catalogue.h"

#include "domain/dfe.h"
#include "lib/date.h"
#include "lib/die.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct catalogue *catalogue_new(void)
{
    struct catalogue *catalogue = calloc(1, sizeof(*catalogue));
    if (catalogue == NULL)
        die("out of memory");
    return catalogue;
}

void catalogue_free(struct catalogue *catalogue)
{
    if (catalogue == NULL)
        return;
    arena_release(&catalogue->arena);
    free(catalogue);
}

static bool code_equals(const char *code, const char *candidate, size_t len)
{
    return strlen(code) == len && strncasecmp(code, candidate, len) == 0;
}

const struct catalogue_level *catalogue_level_find(const struct catalogue *c, int number)
{
    for (size_t i = 0; i < c->level_count; i++)
        if (c->levels[i].number == number)
            return &c->levels[i];
    return NULL;
}

const struct catalogue_strand *catalogue_strand_find(const struct catalogue *c, const char *code)
{
    for (size_t i = 0; i < c->strand_count; i++)
        if (strcmp(c->strands[i].code, code) == 0)
            return &c->strands[i];
    return NULL;
}

const struct catalogue_module *catalogue_module_find(const struct catalogue *c, const char *code, size_t len)
{
    for (size_t i = 0; i < c->module_count; i++)
        if (code_equals(c->modules[i].code, code, len))
            return &c->modules[i];
    return NULL;
}

const struct catalogue_qualification *catalogue_qualification_find(const struct catalogue *c, const char *code,
                                                                   size_t len)
{
    for (size_t i = 0; i < c->qualification_count; i++)
        if (code_equals(c->qualifications[i].code, code, len))
            return &c->qualifications[i];
    return NULL;
}

const struct catalogue_framework *catalogue_framework_find(const struct catalogue *c, const char *code, size_t len)
{
    for (size_t i = 0; i < c->framework_count; i++)
        if (code_equals(c->frameworks[i].code, code, len))
            return &c->frameworks[i];
    return NULL;
}

const struct catalogue_schedule *catalogue_schedule_find(const struct catalogue *c, const char *identifier, int cohort)
{
    for (size_t i = 0; identifier != NULL && i < c->schedule_count; i++)
        if (c->schedules[i].cohort == cohort && strcmp(c->schedules[i].identifier, identifier) == 0)
            return &c->schedules[i];
    return NULL;
}

const struct catalogue_qualification *catalogue_dfe_course_find(const struct catalogue *c, const char *identifier)
{
    for (size_t i = 0; identifier != NULL && i < c->qualification_count; i++)
        if (c->qualifications[i].dfe_course != NULL && strcmp(c->qualifications[i].dfe_course, identifier) == 0)
            return &c->qualifications[i];
    return NULL;
}

enum catalogue_module_role catalogue_rule_module_role(const struct catalogue_rule *rule, const char *module_code)
{
    for (size_t i = 0; i < rule->essential_count; i++)
        if (strcmp(rule->essential[i], module_code) == 0)
            return MODULE_ROLE_ESSENTIAL;
    for (size_t i = 0; i < rule->elective_from_count; i++)
        if (strcmp(rule->elective_from[i], module_code) == 0)
            return MODULE_ROLE_ELECTIVE;
    return MODULE_ROLE_NONE;
}

/* Validation. Paths are built into a fixed buffer: they are short and bounded by the format. */

typedef char path_t[160];

static void check_unique_codes(const char *const *codes, size_t count, const char *list, struct errors *errors)
{
    for (size_t i = 0; i < count; i++)
        for (size_t j = 0; j < i; j++)
            if (strcasecmp(codes[i], codes[j]) == 0) {
                path_t where;
                snprintf(where, sizeof(where), "$.%s[%zu].code", list, i);
                errors_add(errors, where, "duplicate code \"%s\" (also at %s[%zu])", codes[i], list, j);
                break;
            }
}

/* Rules name modules by their exact code: the rest of npq compares codes exactly, so a rule
 * spelling one in other letters would count it in some places and not in others. */
static bool module_code_exists(const struct catalogue *c, const char *code)
{
    for (size_t i = 0; i < c->module_count; i++)
        if (strcmp(c->modules[i].code, code) == 0)
            return true;
    return false;
}

static void validate_module_list(const struct catalogue *c, const char **codes, size_t count, const char *where_fmt,
                                 size_t qualification_index, struct errors *errors)
{
    for (size_t i = 0; i < count; i++) {
        path_t where;
        snprintf(where, sizeof(where), where_fmt, qualification_index, i);
        if (!module_code_exists(c, codes[i]))
            errors_add(errors, where, "unknown module \"%s\"", codes[i]);
        for (size_t j = 0; j < i; j++)
            if (strcmp(codes[i], codes[j]) == 0)
                errors_add(errors, where, "module \"%s\" is listed twice", codes[i]);
    }
}

static void validate_rule(const struct catalogue *c, size_t q, const struct catalogue_rule *rule, struct errors *errors)
{
    validate_module_list(c, rule->essential, rule->essential_count, "$.qualifications[%zu].rule.essential[%zu]", q,
                         errors);
    validate_module_list(c, rule->elective_from, rule->elective_from_count,
                         "$.qualifications[%zu].rule.electives.from[%zu]", q, errors);
    for (size_t i = 0; i < rule->elective_from_count; i++)
        for (size_t j = 0; j < rule->essential_count; j++)
            if (strcmp(rule->elective_from[i], rule->essential[j]) == 0) {
                path_t where;
                snprintf(where, sizeof(where), "$.qualifications[%zu].rule.electives.from[%zu]", q, i);
                errors_add(errors, where, "module \"%s\" is already essential", rule->elective_from[i]);
            }
    path_t where;
    if (rule->elective_count < 0 || (size_t)rule->elective_count > rule->elective_from_count) {
        snprintf(where, sizeof(where), "$.qualifications[%zu].rule.electives.count", q);
        errors_add(errors, where, "must be between 0 and the %zu modules listed in from", rule->elective_from_count);
    }
    if (rule->min_face_to_face_events < 0) {
        snprintf(where, sizeof(where), "$.qualifications[%zu].rule.min_face_to_face_events", q);
        errors_add(errors, where, "must not be negative");
    }
    if (rule->min_virtual_events < 0) {
        snprintf(where, sizeof(where), "$.qualifications[%zu].rule.min_virtual_events", q);
        errors_add(errors, where, "must not be negative");
    }
}

static void validate_statements(const struct catalogue_statement *statements, size_t count, size_t f, size_t a,
                                const char *list, struct errors *errors)
{
    for (size_t i = 0; i < count; i++) {
        path_t where;
        snprintf(where, sizeof(where), "$.frameworks[%zu].areas[%zu].%s[%zu].number", f, a, list, i);
        if (statements[i].number < 1)
            errors_add(errors, where, "must be 1 or more");
        else if (i > 0 && statements[i].number <= statements[i - 1].number)
            errors_add(errors, where, "numbers must ascend (%d follows %d)", statements[i].number,
                       statements[i - 1].number);
    }
}

/* A DfE course names a course identifier the DfE has, in the group the DfE puts it in, once. */
static void validate_dfe_course(const struct catalogue *c, size_t i, struct errors *errors)
{
    const struct catalogue_qualification *q = &c->qualifications[i];
    path_t where;
    if (q->dfe_course == NULL) {
        if (q->course_group != NULL) {
            snprintf(where, sizeof(where), "$.qualifications[%zu].course_group", i);
            errors_add(errors, where, "only a DfE course has a course group");
        }
        return;
    }
    const struct dfe_course *course = dfe_course_find(q->dfe_course);
    snprintf(where, sizeof(where), "$.qualifications[%zu].dfe_course", i);
    if (course == NULL) {
        errors_add(errors, where, "\"%s\" is not one of the DfE's course identifiers", q->dfe_course);
        return;
    }
    for (size_t j = 0; j < i; j++)
        if (c->qualifications[j].dfe_course != NULL && strcmp(c->qualifications[j].dfe_course, q->dfe_course) == 0)
            errors_add(errors, where, "course \"%s\" is also $.qualifications[%zu]", q->dfe_course, j);
    snprintf(where, sizeof(where), "$.qualifications[%zu].course_group", i);
    if (q->course_group == NULL)
        errors_add(errors, where, "is required for a DfE course (\"%s\")", course->course_group);
    else if (strcmp(q->course_group, course->course_group) != 0)
        errors_add(errors, where, "must be \"%s\" for %s", course->course_group, q->dfe_course);
}

/* A schedule is one the DfE has, in its course group, once per cohort, with each milestone a
 * declaration type its group allows, once, its window a real range of dates. */
static void validate_schedules(const struct catalogue *c, struct errors *errors)
{
    path_t where;
    for (size_t i = 0; i < c->schedule_count; i++) {
        const struct catalogue_schedule *s = &c->schedules[i];
        const char *group = dfe_schedule_course_group(s->identifier);
        snprintf(where, sizeof(where), "$.schedules[%zu].identifier", i);
        if (group == NULL)
            errors_add(errors, where, "\"%s\" is not one of the DfE's schedule identifiers", s->identifier);
        for (size_t j = 0; j < i; j++)
            if (c->schedules[j].cohort == s->cohort && strcmp(c->schedules[j].identifier, s->identifier) == 0)
                errors_add(errors, where, "schedule \"%s\" for cohort %d is also $.schedules[%zu]", s->identifier,
                           s->cohort, j);
        snprintf(where, sizeof(where), "$.schedules[%zu].course_group", i);
        if (group != NULL && strcmp(group, s->course_group) != 0)
            errors_add(errors, where, "must be \"%s\" for %s", group, s->identifier);
        snprintf(where, sizeof(where), "$.schedules[%zu].cohort", i);
        if (s->cohort < 2021 || s->cohort > 2100)
            errors_add(errors, where, "must be a year from 2021");
        for (size_t m = 0; m < s->milestone_count; m++) {
            const struct catalogue_milestone *ms = &s->milestones[m];
            snprintf(where, sizeof(where), "$.schedules[%zu].milestones[%zu].declaration_type", i, m);
            if (!dfe_declaration_type_allowed(s->course_group, ms->declaration_type))
                errors_add(errors, where, "\"%s\" is not a declaration type of %s courses", ms->declaration_type,
                           s->course_group);
            for (size_t k = 0; k < m; k++)
                if (strcmp(s->milestones[k].declaration_type, ms->declaration_type) == 0)
                    errors_add(errors, where, "\"%s\" is listed twice", ms->declaration_type);
            snprintf(where, sizeof(where), "$.schedules[%zu].milestones[%zu].start_date", i, m);
            if (!date_is_valid(ms->start_date))
                errors_add(errors, where, "must be a date, YYYY-MM-DD");
            snprintf(where, sizeof(where), "$.schedules[%zu].milestones[%zu].milestone_date", i, m);
            if (ms->milestone_date != NULL && !date_is_valid(ms->milestone_date))
                errors_add(errors, where, "must be a date, YYYY-MM-DD, or null");
            else if (ms->milestone_date != NULL && strcmp(ms->milestone_date, ms->start_date) < 0)
                errors_add(errors, where, "must not be before the start date %s", ms->start_date);
        }
    }
}

bool catalogue_validate(const struct catalogue *c, struct errors *errors)
{
    size_t before = errors->count;
    path_t where;

    for (size_t i = 0; i < c->level_count; i++) {
        snprintf(where, sizeof(where), "$.levels[%zu].number", i);
        if (c->levels[i].number < 1 || c->levels[i].number > 9)
            errors_add(errors, where, "must be between 1 and 9");
        else if (i > 0 && c->levels[i].number <= c->levels[i - 1].number)
            errors_add(errors, where, "levels must ascend (%d follows %d)", c->levels[i].number,
                       c->levels[i - 1].number);
    }

    const char **codes =
        calloc(c->module_count + c->strand_count + c->qualification_count + c->framework_count + 1, sizeof(*codes));
    if (codes == NULL)
        die("out of memory");
    for (size_t i = 0; i < c->strand_count; i++)
        codes[i] = c->strands[i].code;
    check_unique_codes(codes, c->strand_count, "strands", errors);
    for (size_t i = 0; i < c->module_count; i++)
        codes[i] = c->modules[i].code;
    check_unique_codes(codes, c->module_count, "modules", errors);
    for (size_t i = 0; i < c->qualification_count; i++)
        codes[i] = c->qualifications[i].code;
    check_unique_codes(codes, c->qualification_count, "qualifications", errors);
    for (size_t i = 0; i < c->framework_count; i++)
        codes[i] = c->frameworks[i].code;
    check_unique_codes(codes, c->framework_count, "frameworks", errors);
    free(codes);

    for (size_t i = 0; i < c->module_count; i++) {
        const struct catalogue_module *m = &c->modules[i];
        if (catalogue_strand_find(c, m->strand) == NULL) {
            snprintf(where, sizeof(where), "$.modules[%zu].strand", i);
            errors_add(errors, where, "unknown strand \"%s\"", m->strand);
        }
        if (catalogue_level_find(c, m->level) == NULL) {
            snprintf(where, sizeof(where), "$.modules[%zu].level", i);
            errors_add(errors, where, "unknown level %d", m->level);
        }
        if (m->hours_cap < 1 || m->hours_cap > 500) {
            snprintf(where, sizeof(where), "$.modules[%zu].hours_cap", i);
            errors_add(errors, where, "must be between 1 and 500 hours");
        }
    }

    for (size_t i = 0; i < c->qualification_count; i++) {
        const struct catalogue_qualification *q = &c->qualifications[i];
        if (q->level != 0 && catalogue_level_find(c, q->level) == NULL) {
            snprintf(where, sizeof(where), "$.qualifications[%zu].level", i);
            errors_add(errors, where, "unknown level %d", q->level);
        }
        validate_dfe_course(c, i, errors);
        if (q->framework != NULL && catalogue_framework_find(c, q->framework, strlen(q->framework)) == NULL) {
            snprintf(where, sizeof(where), "$.qualifications[%zu].framework", i);
            errors_add(errors, where, "unknown framework \"%s\"", q->framework);
        }
        validate_rule(c, i, &q->rule, errors);
    }

    for (size_t f = 0; f < c->framework_count; f++) {
        const struct catalogue_framework *fw = &c->frameworks[f];
        for (size_t a = 0; a < fw->area_count; a++) {
            snprintf(where, sizeof(where), "$.frameworks[%zu].areas[%zu].number", f, a);
            if (fw->areas[a].number < 1)
                errors_add(errors, where, "must be 1 or more");
            else if (a > 0 && fw->areas[a].number <= fw->areas[a - 1].number)
                errors_add(errors, where, "numbers must ascend (%d follows %d)", fw->areas[a].number,
                           fw->areas[a - 1].number);
            validate_statements(fw->areas[a].learn_that, fw->areas[a].learn_that_count, f, a, "learn_that", errors);
            validate_statements(fw->areas[a].learn_how_to, fw->areas[a].learn_how_to_count, f, a, "learn_how_to",
                                errors);
        }
    }
    validate_schedules(c, errors);
    return errors->count == before;
}
