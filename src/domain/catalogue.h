/*
 * The catalogue: levels, strands, modules, qualifications and frameworks, as plain data.
 *
 * This is the curriculum every other part of npq refers to. It holds no I/O: the store loads and
 * saves it, catalogue_json.h reads and writes its file format, and the rules here check that it
 * hangs together (every code it refers to exists, no module is both essential and elective...).
 *
 * A catalogue owns all of its memory through one arena; catalogue_free releases it whole.
 */
#ifndef NPQ_DOMAIN_CATALOGUE_H
#define NPQ_DOMAIN_CATALOGUE_H

#include "lib/arena.h"
#include "lib/errors.h"

#include <stdbool.h>
#include <stddef.h>

enum { CATALOGUE_DEFAULT_HOURS_CAP = 50 };

struct catalogue_level {
    int number;
    const char *title;
};

struct catalogue_strand {
    const char *code;
    const char *title;
};

struct catalogue_module {
    const char *code;
    const char *title;
    const char *strand; /* a strand code */
    int level;
    int hours_cap;
};

/* What must be done to be awarded a qualification. Module entries are module codes. */
struct catalogue_rule {
    const char **essential;
    size_t essential_count;
    const char **elective_from;
    size_t elective_from_count;
    int elective_count;
    bool final_assessment;
    int min_face_to_face_events;
    int min_virtual_events;
};

struct catalogue_qualification {
    const char *code;
    const char *title;
    int level; /* a level number; 0 for a qualification outside the 2012 levels */
    const char *summary;
    const char *framework;    /* a framework code, or NULL */
    const char *dfe_course;   /* the DfE's course identifier ("npq-headship"), or NULL */
    const char *course_group; /* its DfE course group (domain/dfe.h), NULL exactly when dfe_course is */
    struct catalogue_rule rule;
};

/* One milestone of a DfE schedule: when a declaration of its type may be dated (YYYY-MM-DD;
 * milestone_date NULL leaves the window open). */
struct catalogue_milestone {
    const char *declaration_type;
    const char *start_date;
    const char *milestone_date;
};

/* A DfE schedule for one cohort (the year of the DfE's call-off contract). Known by
 * (identifier, cohort). */
struct catalogue_schedule {
    const char *identifier; /* "npq-leadership-autumn" */
    int cohort;
    const char *course_group;
    const char *title;
    struct catalogue_milestone *milestones;
    size_t milestone_count;
};

struct catalogue_practice {
    const char *text;
    bool incomplete;
};

struct catalogue_statement {
    int number;
    const char *text;
    bool incomplete;
    struct catalogue_practice *practices;
    size_t practice_count;
};

struct catalogue_area {
    int number;
    const char *title;
    struct catalogue_statement *learn_that;
    size_t learn_that_count;
    struct catalogue_statement *learn_how_to;
    size_t learn_how_to_count;
};

struct catalogue_framework {
    const char *code;
    const char *title;
    struct catalogue_area *areas;
    size_t area_count;
};

struct catalogue {
    struct arena arena;
    struct catalogue_level *levels;
    size_t level_count;
    struct catalogue_strand *strands;
    size_t strand_count;
    struct catalogue_module *modules;
    size_t module_count;
    struct catalogue_qualification *qualifications;
    size_t qualification_count;
    struct catalogue_framework *frameworks;
    size_t framework_count;
    struct catalogue_schedule *schedules;
    size_t schedule_count;
};

/* A new empty catalogue; the caller owns it and releases it with catalogue_free. */
struct catalogue *catalogue_new(void);
void catalogue_free(struct catalogue *catalogue);

/*
 * Checks that the catalogue hangs together: unique codes and numbers, every reference resolves,
 * rules are satisfiable. Problems are added to errors with JSON paths into the file format.
 * Returns true when there were none.
 */
bool catalogue_validate(const struct catalogue *catalogue, struct errors *errors);

/* Look-ups return NULL when nothing matches. Codes of qualifications and modules match
 * case-insensitively, as people type them either way. */
const struct catalogue_level *catalogue_level_find(const struct catalogue *c, int number);
const struct catalogue_strand *catalogue_strand_find(const struct catalogue *c, const char *code);
const struct catalogue_module *catalogue_module_find(const struct catalogue *c, const char *code, size_t len);
const struct catalogue_qualification *catalogue_qualification_find(const struct catalogue *c, const char *code,
                                                                   size_t len);
const struct catalogue_framework *catalogue_framework_find(const struct catalogue *c, const char *code, size_t len);
const struct catalogue_schedule *catalogue_schedule_find(const struct catalogue *c, const char *identifier, int cohort);
/* The qualification that is the DfE course with this identifier. */
const struct catalogue_qualification *catalogue_dfe_course_find(const struct catalogue *c, const char *identifier);

/* How a module takes part in a qualification's rule. */
enum catalogue_module_role { MODULE_ROLE_NONE, MODULE_ROLE_ESSENTIAL, MODULE_ROLE_ELECTIVE };
enum catalogue_module_role catalogue_rule_module_role(const struct catalogue_rule *rule, const char *module_code);

#endif
