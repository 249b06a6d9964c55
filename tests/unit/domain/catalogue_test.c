/*
 * The catalogue file format: the default catalogue parses and round-trips byte for byte, and
 * each kind of mistake is reported at its JSON path with nothing returned.
 */
#include "../test_support.h"

#include "domain/catalogue_json.h"
#include "domain/dfe.h"

#include <stdio.h>
#include <stdlib.h>

static struct catalogue *parse_default(void)
{
    const struct embedded_file *f = test_default_catalogue();
    struct errors errors = ERRORS_INIT;
    struct catalogue *c = catalogue_json_parse((const char *)f->data, f->size, &errors);
    for (size_t i = 0; i < errors.count; i++)
        fprintf(stderr, "%s: %s\n", errors.items[i].where, errors.items[i].message);
    assert_int_equal(errors.count, 0);
    assert_non_null(c);
    errors_free(&errors);
    return c;
}

static void default_catalogue_holds_the_seed_structure(void **state)
{
    (void)state;
    struct catalogue *c = parse_default();
    assert_int_equal(c->level_count, 5);
    assert_int_equal(c->strand_count, 3);
    assert_int_equal(c->qualification_count, 15);

    const struct catalogue_qualification *sl = catalogue_qualification_find(c, "npqsl", 5);
    assert_non_null(sl);
    assert_string_equal(sl->code, "NPQSL");
    assert_int_equal(sl->level, 2);
    assert_int_equal(sl->rule.essential_count, 2);
    assert_int_equal(sl->rule.elective_count, 2);
    assert_string_equal(sl->rule.essential[0], "closing-the-gap");
    assert_string_equal(sl->rule.essential[1], "succeeding-in-senior-leadership");
    assert_int_equal(sl->rule.min_face_to_face_events, 4);
    assert_true(sl->rule.final_assessment);
    assert_string_equal(sl->framework, "npqsl");

    const struct catalogue_qualification *ml = catalogue_qualification_find(c, "NPQML", 5);
    assert_int_equal(ml->rule.essential_count, 2);
    assert_int_equal(ml->rule.elective_count, 1);
    const struct catalogue_qualification *h = catalogue_qualification_find(c, "NPQH", 4);
    assert_int_equal(h->rule.essential_count, 3);
    assert_int_equal(h->rule.elective_count, 2);

    /* A module offered at several levels is one module counting towards each qualification. */
    const struct catalogue_module *change = catalogue_module_find(c, "leading-change-for-improvement", 30);
    assert_non_null(change);
    assert_int_equal(change->level, 1);
    assert_int_equal(catalogue_rule_module_role(&ml->rule, change->code), MODULE_ROLE_ELECTIVE);
    assert_int_equal(catalogue_rule_module_role(&sl->rule, change->code), MODULE_ROLE_ELECTIVE);
    assert_int_equal(catalogue_rule_module_role(&h->rule, change->code), MODULE_ROLE_ELECTIVE);
    assert_int_equal(catalogue_rule_module_role(&h->rule, "closing-the-gap"), MODULE_ROLE_ELECTIVE);

    const struct catalogue_framework *f = catalogue_framework_find(c, "NPQSL", 5);
    assert_non_null(f);
    assert_int_equal(f->area_count, 10);
    assert_string_equal(f->areas[0].title, "School Culture");
    assert_string_equal(f->areas[9].title, "Governance and Accountability");
    /* Teaching's statements are cut off in the source: numbers 1 and 9, both incomplete. */
    assert_int_equal(f->areas[1].learn_that_count, 2);
    assert_int_equal(f->areas[1].learn_that[1].number, 9);
    assert_true(f->areas[1].learn_that[1].incomplete);
    catalogue_free(c);
}

static void export_gives_back_the_same_bytes(void **state)
{
    (void)state;
    const struct embedded_file *f = test_default_catalogue();
    struct catalogue *c = parse_default();
    char *text = catalogue_json_dump(c);
    assert_non_null(text);
    assert_int_equal(strlen(text), f->size);
    assert_memory_equal(text, f->data, f->size);
    free(text);
    catalogue_free(c);
}

/* Parses text expecting failure, and checks that one error is at where and mentions what. */
static void expect_error(const char *text, const char *where, const char *what)
{
    struct errors errors = ERRORS_INIT;
    struct catalogue *c = catalogue_json_parse(text, strlen(text), &errors);
    assert_null(c);
    bool found = false;
    for (size_t i = 0; i < errors.count; i++)
        if (strcmp(errors.items[i].where, where) == 0 && strstr(errors.items[i].message, what) != NULL)
            found = true;
    if (!found)
        for (size_t i = 0; i < errors.count; i++)
            fprintf(stderr, "got %s: %s\n", errors.items[i].where, errors.items[i].message);
    assert_true(found);
    errors_free(&errors);
}

#define HEAD                                                                                                           \
    "{\"format\":\"npq-catalogue/1\",\"levels\":[{\"number\":1,\"title\":\"One\"}],"                                   \
    "\"strands\":[{\"code\":\"s\",\"title\":\"S\"}],"
#define MODULES                                                                                                        \
    "\"modules\":[{\"code\":\"a\",\"title\":\"A\",\"strand\":\"s\",\"level\":1},"                                      \
    "{\"code\":\"b\",\"title\":\"B\",\"strand\":\"s\",\"level\":1}],"
#define RULE(essential, from, count)                                                                                   \
    "\"rule\":{\"essential\":" essential ",\"electives\":{\"count\":" count ",\"from\":" from "},"                     \
    "\"final_assessment\":false,\"min_face_to_face_events\":0,\"min_virtual_events\":0}"
#define QUAL(rule) "\"qualifications\":[{\"code\":\"Q\",\"title\":\"Q\",\"level\":1,\"framework\":null," rule "}],"
#define NO_FRAMEWORKS "\"frameworks\":[]}"

static void a_minimal_catalogue_parses_with_defaults(void **state)
{
    (void)state;
    const char *text = HEAD MODULES QUAL(RULE("[\"a\"]", "[\"b\"]", "1")) NO_FRAMEWORKS;
    struct errors errors = ERRORS_INIT;
    struct catalogue *c = catalogue_json_parse(text, strlen(text), &errors);
    assert_non_null(c);
    assert_int_equal(c->modules[0].hours_cap, CATALOGUE_DEFAULT_HOURS_CAP);
    assert_string_equal(c->qualifications[0].summary, "");
    assert_null(c->qualifications[0].framework);
    catalogue_free(c);
}

static void errors_name_their_place(void **state)
{
    (void)state;
    expect_error("{", "$", "not valid JSON");
    expect_error("[]", "$", "must be an object");
    expect_error("{\"format\":\"other/2\"}", "$.format", "must be \"npq-catalogue/1\"");
    expect_error(HEAD MODULES QUAL(RULE("[\"a\"]", "[\"b\"]", "1")) NO_FRAMEWORKS "x", "$", "not valid JSON");
    expect_error(HEAD "\"modules\":[{\"code\":\"a\",\"title\":\"A\",\"strand\":\"nope\",\"level\":1}]," QUAL(
                     RULE("[\"a\"]", "[]", "0")) NO_FRAMEWORKS,
                 "$.modules[0].strand", "unknown strand \"nope\"");
    expect_error(HEAD "\"modules\":[{\"code\":\"a\",\"title\":\"A\",\"strand\":\"s\",\"level\":\"1\"}]," QUAL(
                     RULE("[\"a\"]", "[]", "0")) NO_FRAMEWORKS,
                 "$.modules[0].level", "must be an integer");
    expect_error(HEAD "\"modules\":[{\"code\":\"Bad Code\",\"title\":\"A\",\"strand\":\"s\",\"level\":1}]," QUAL(
                     RULE("[]", "[]", "0")) NO_FRAMEWORKS,
                 "$.modules[0].code", "lower-case");
    expect_error(HEAD "\"modules\":[{\"code\":\"a\",\"title\":\"A\",\"strand\":\"s\",\"level\":1,\"hourz\":5}]," QUAL(
                     RULE("[\"a\"]", "[]", "0")) NO_FRAMEWORKS,
                 "$.modules[0].hourz", "unknown field");
    expect_error(HEAD
                 "\"modules\":[{\"code\":\"a\",\"title\":\"A\",\"strand\":\"s\",\"level\":1,\"hours_cap\":0}]," QUAL(
                     RULE("[\"a\"]", "[]", "0")) NO_FRAMEWORKS,
                 "$.modules[0].hours_cap", "between 1 and 500");
    expect_error(HEAD MODULES QUAL(RULE("[\"a\"]", "[\"zz\"]", "1")) NO_FRAMEWORKS,
                 "$.qualifications[0].rule.electives.from[0]", "unknown module \"zz\"");
    expect_error(HEAD MODULES QUAL(RULE("[\"a\"]", "[\"a\",\"b\"]", "1")) NO_FRAMEWORKS,
                 "$.qualifications[0].rule.electives.from[0]", "already essential");
    expect_error(HEAD MODULES QUAL(RULE("[\"a\",\"a\"]", "[]", "0")) NO_FRAMEWORKS,
                 "$.qualifications[0].rule.essential[1]", "listed twice");
    expect_error(HEAD MODULES QUAL(RULE("[\"a\"]", "[\"b\"]", "2")) NO_FRAMEWORKS,
                 "$.qualifications[0].rule.electives.count", "between 0 and the 1");
    expect_error(HEAD MODULES "\"qualifications\":[{\"code\":\"Q\",\"title\":\"Q\",\"level\":1,"
                              "\"framework\":\"missing\"," RULE("[]", "[]", "0") "}]," NO_FRAMEWORKS,
                 "$.qualifications[0].framework", "unknown framework");
    expect_error(HEAD MODULES "\"qualifications\":[{\"code\":\"Q\",\"title\":\"Q\",\"level\":1}]," NO_FRAMEWORKS,
                 "$.qualifications[0].rule", "is required");
    expect_error(HEAD MODULES QUAL(RULE(
                     "[]", "[]",
                     "0")) "\"frameworks\":[{\"code\":\"f\",\"title\":\"F\",\"areas\":[{\"number\":1,\"title\":\"A\","
                           "\"learn_that\":[{\"number\":2,\"text\":\"x\"},{\"number\":1,\"text\":\"y\"}],\"learn_how_"
                           "to\":[]}]}]}",
                 "$.frameworks[0].areas[0].learn_that[1].number", "must ascend");
    expect_error(HEAD MODULES QUAL(RULE(
                     "[]", "[]",
                     "0")) "\"frameworks\":[{\"code\":\"f\",\"title\":\"F\",\"areas\":[{\"number\":1,\"title\":\"A\","
                           "\"learn_that\":[{\"number\":1,\"text\":\"x\",\"practices\":[{\"text\":\"p\"}]}],"
                           "\"learn_how_to\":[]}]}]}",
                 "$.frameworks[0].areas[0].learn_that[0].practices", "only \"learn how to\"");
    expect_error("{\"format\":\"npq-catalogue/1\",\"format\":\"npq-catalogue/1\"}", "$", "duplicate");
}

static void the_dfe_suite_is_in_the_default_catalogue(void **state)
{
    (void)state;
    struct catalogue *c = parse_default();
    /* Every course the DfE funds, once, as a qualification with no modules and no level. */
    for (size_t i = 0; i < dfe_course_count; i++) {
        const struct catalogue_qualification *q = catalogue_dfe_course_find(c, dfe_courses[i].identifier);
        assert_non_null(q);
        assert_string_equal(q->course_group, dfe_courses[i].course_group);
        assert_int_equal(q->level, 0);
        assert_int_equal(q->rule.essential_count + q->rule.elective_from_count, 0);
    }
    const struct catalogue_qualification *sl = catalogue_dfe_course_find(c, "npq-senior-leadership");
    assert_string_equal(sl->code, "NPQSL21");
    assert_true(sl->rule.final_assessment);
    assert_string_equal(sl->framework, "npqsl");
    assert_false(catalogue_dfe_course_find(c, "npq-early-headship-coaching-offer")->rule.final_assessment);
    /* The 2012 NPQSL stays as it was. */
    assert_int_equal(catalogue_qualification_find(c, "NPQSL", 5)->level, 2);
    /* Schedules: specialist ones have no retained-2. */
    const struct catalogue_schedule *s = catalogue_schedule_find(c, "npq-specialist-spring", 2026);
    assert_non_null(s);
    assert_int_equal(s->milestone_count, 3);
    for (size_t i = 0; i < s->milestone_count; i++)
        assert_string_not_equal(s->milestones[i].declaration_type, "retained-2");
    assert_null(catalogue_schedule_find(c, "npq-specialist-spring", 2019));
    catalogue_free(c);
}

#define DFE_QUAL(course, group)                                                                                        \
    "\"qualifications\":[{\"code\":\"Q\",\"title\":\"Q\",\"level\":null,\"framework\":null,\"dfe_course\":" course     \
    ",\"course_group\":" group ",\"rule\":{\"essential\":[],\"final_assessment\":true,"                                \
    "\"min_face_to_face_events\":0,\"min_virtual_events\":0}}],"
#define SCHEDULE(identifier, group, milestones)                                                                        \
    "\"frameworks\":[],\"schedules\":[{\"identifier\":\"" identifier "\",\"cohort\":2025,\"course_group\":\"" group    \
    "\",\"title\":\"T\",\"milestones\":[" milestones "]}]}"

static void dfe_courses_and_schedules_are_checked(void **state)
{
    (void)state;
    /* A qualification with no modules, no level and a final assessment is a whole qualification. */
    const char *ok = HEAD "\"modules\":[]," DFE_QUAL("\"npq-senco\"", "\"specialist\"")
        SCHEDULE("npq-specialist-spring", "specialist",
                 "{\"declaration_type\":\"started\",\"start_date\":\"2026-01-01\",\"milestone_date\":\"2026-04-30\"}");
    struct errors errors = ERRORS_INIT;
    struct catalogue *c = catalogue_json_parse(ok, strlen(ok), &errors);
    for (size_t i = 0; i < errors.count; i++)
        fprintf(stderr, "%s: %s\n", errors.items[i].where, errors.items[i].message);
    assert_non_null(c);
    assert_int_equal(c->qualifications[0].rule.elective_count, 0);
    catalogue_free(c);
    errors_free(&errors);

    expect_error(HEAD "\"modules\":[]," DFE_QUAL("\"npq-middle-leadership\"", "\"leadership\"") "\"frameworks\":[]}",
                 "$.qualifications[0].dfe_course", "not one of the DfE's course identifiers");
    expect_error(HEAD "\"modules\":[]," DFE_QUAL("\"npq-senco\"", "\"leadership\"") "\"frameworks\":[]}",
                 "$.qualifications[0].course_group", "must be \"specialist\"");
    expect_error(HEAD "\"modules\":[]," DFE_QUAL("\"npq-senco\"", "null") "\"frameworks\":[]}",
                 "$.qualifications[0].course_group", "is required");
    expect_error(HEAD "\"modules\":[]," DFE_QUAL("null", "\"specialist\"") "\"frameworks\":[]}",
                 "$.qualifications[0].course_group", "only a DfE course");
    expect_error(HEAD "\"modules\":[]," DFE_QUAL("null", "null") SCHEDULE("npq-leadership-summer", "leadership", ""),
                 "$.schedules[0].identifier", "not one of the DfE's schedule identifiers");
    expect_error(HEAD "\"modules\":[]," DFE_QUAL("null", "null") SCHEDULE("npq-leadership-autumn", "specialist", ""),
                 "$.schedules[0].course_group", "must be \"leadership\"");
    expect_error(HEAD "\"modules\":[]," DFE_QUAL("null", "null")
                     SCHEDULE("npq-specialist-autumn", "specialist",
                              "{\"declaration_type\":\"retained-2\",\"start_date\":\"2026-01-01\","
                              "\"milestone_date\":null}"),
                 "$.schedules[0].milestones[0].declaration_type", "not a declaration type of specialist");
    expect_error(HEAD "\"modules\":[]," DFE_QUAL("null", "null")
                     SCHEDULE("npq-specialist-autumn", "specialist",
                              "{\"declaration_type\":\"started\",\"start_date\":\"2026-02-01\","
                              "\"milestone_date\":\"2026-01-31\"}"),
                 "$.schedules[0].milestones[0].milestone_date", "must not be before");
    expect_error(HEAD "\"modules\":[]," DFE_QUAL("null", "null")
                     SCHEDULE("npq-specialist-autumn", "specialist",
                              "{\"declaration_type\":\"started\",\"start_date\":\"2026-02-30\","
                              "\"milestone_date\":null}"),
                 "$.schedules[0].milestones[0].start_date", "must be a date");
}

static void duplicate_codes_are_refused(void **state)
{
    (void)state;
    expect_error(HEAD "\"modules\":[{\"code\":\"a\",\"title\":\"A\",\"strand\":\"s\",\"level\":1},"
                      "{\"code\":\"a\",\"title\":\"A2\",\"strand\":\"s\",\"level\":1}]," QUAL(RULE("[]", "[]", "0"))
                          NO_FRAMEWORKS,
                 "$.modules[1].code", "duplicate code \"a\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_catalogue_holds_the_seed_structure),
        cmocka_unit_test(export_gives_back_the_same_bytes),
        cmocka_unit_test(a_minimal_catalogue_parses_with_defaults),
        cmocka_unit_test(errors_name_their_place),
        cmocka_unit_test(duplicate_codes_are_refused),
        cmocka_unit_test(the_dfe_suite_is_in_the_default_catalogue),
        cmocka_unit_test(dfe_courses_and_schedules_are_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
