/*
 * Rules in words: the phrases pages and the API show for each shape of rule.
 */
#include "../test_support.h"

#include "domain/rules.h"

static void describe(int essential, int electives, const char *expected)
{
    static const char *codes[] = {"a", "b", "c", "d", "e"};
    struct catalogue_rule rule = {.essential = codes,
                                  .essential_count = (size_t)essential,
                                  .elective_from = codes,
                                  .elective_from_count = 5,
                                  .elective_count = electives};
    char out[128];
    rules_describe_modules(&rule, out, sizeof(out));
    assert_string_equal(out, expected);
}

static void module_rules_read_as_people_say_them(void **state)
{
    (void)state;
    describe(2, 2, "2 essential and 2 elective modules");
    describe(2, 1, "2 essential and 1 elective module");
    describe(3, 2, "3 essential and 2 elective modules");
    describe(1, 0, "1 essential module");
    describe(0, 3, "3 elective modules");
    describe(0, 0, "no modules");
}

static void event_rules_read_as_people_say_them(void **state)
{
    (void)state;
    char out[160];
    struct catalogue_rule rule = {.min_face_to_face_events = 4, .min_virtual_events = 4};
    rules_describe_events(&rule, out, sizeof(out));
    assert_string_equal(out, "4 face-to-face events (4 virtual live events when studied online)");
    rule = (struct catalogue_rule){.min_face_to_face_events = 1};
    rules_describe_events(&rule, out, sizeof(out));
    assert_string_equal(out, "1 face-to-face event");
    rule = (struct catalogue_rule){.min_virtual_events = 2};
    rules_describe_events(&rule, out, sizeof(out));
    assert_string_equal(out, "2 virtual live events");
    rule = (struct catalogue_rule){0};
    rules_describe_events(&rule, out, sizeof(out));
    assert_string_equal(out, "");
}

static void descriptions_truncate_safely(void **state)
{
    (void)state;
    char out[8];
    static const char *codes[] = {"a", "b"};
    struct catalogue_rule rule = {.essential = codes,
                                  .essential_count = 2,
                                  .elective_count = 1,
                                  .elective_from = codes,
                                  .elective_from_count = 2};
    rules_describe_modules(&rule, out, sizeof(out));
    assert_int_equal(strlen(out), 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(module_rules_read_as_people_say_them),
        cmocka_unit_test(event_rules_read_as_people_say_them),
        cmocka_unit_test(descriptions_truncate_safely),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
