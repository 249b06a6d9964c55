/*
 * Query strings and the checked readers of one field: a well-formed value is read, an absent or
 * empty one leaves the default, and anything else is an error that names the field and says what
 * it must be, never a silent default.
 */
#include "../test_support.h"

#include "lib/form.h"

#include <stdio.h>
#include <string.h>

static struct form parse(struct arena *arena, const char *text)
{
    struct form form;
    assert_true(form_parse(text, strlen(text), arena, &form));
    return form;
}

static void whole_numbers_are_read_within_their_range(void **state)
{
    (void)state;
    struct arena arena = ARENA_INIT;
    struct form f = parse(&arena, "limit=500&low=1&neg=-3&empty=&big=9223372036854775807");
    struct errors errors = ERRORS_INIT;
    int64_t n = 7;
    assert_true(form_read_int(&f, "limit", 1, 500, &n, &errors));
    assert_int_equal(n, 500);
    assert_true(form_read_int(&f, "low", 1, 500, &n, &errors));
    assert_int_equal(n, 1);
    assert_true(form_read_int(&f, "neg", -10, 10, &n, &errors));
    assert_int_equal(n, -3);
    assert_true(form_read_int(&f, "big", 0, INT64_MAX, &n, &errors));
    assert_true(n == INT64_MAX);
    n = 7;
    assert_true(form_read_int(&f, "absent", 1, 500, &n, &errors));
    assert_true(form_read_int(&f, "empty", 1, 500, &n, &errors));
    assert_int_equal(n, 7); /* left as it was */
    assert_int_equal(errors.count, 0);
    arena_release(&arena);
}

static void malformed_numbers_are_errors_naming_the_field(void **state)
{
    (void)state;
    struct arena arena = ARENA_INIT;
    /* As they arrive in a query string: "%2012" is " 12", "%2B12" is "+12". */
    static const char *const bad[] = {
        "abc", "12x", "%2012", "%2B12", "1.5", "0", "501", "-1", "1e3", "0x10", "99999999999999999999", "-"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char text[64];
        snprintf(text, sizeof(text), "limit=%s", bad[i]);
        struct form f = parse(&arena, text);
        struct errors errors = ERRORS_INIT;
        int64_t n = 7;
        if (form_read_int(&f, "limit", 1, 500, &n, &errors))
            fail_msg("limit=%s was read as %lld", bad[i], (long long)n);
        assert_int_equal(n, 7);
        assert_int_equal(errors.count, 1);
        assert_string_equal(errors.items[0].where, "limit");
        assert_string_equal(errors.items[0].message, "limit must be a whole number from 1 to 500");
        errors_free(&errors);
    }
    struct form f = parse(&arena, "participant_id=0&task_id=x");
    struct errors errors = ERRORS_INIT;
    int64_t id = 0;
    assert_false(form_read_id(&f, "participant_id", &id, &errors));
    assert_false(form_read_id(&f, "task_id", &id, &errors));
    assert_int_equal(errors.count, 2);
    assert_string_equal(errors.items[0].message, "participant_id must be a whole number, 1 or more");
    assert_string_equal(errors.items[1].where, "task_id");
    errors_free(&errors);
    arena_release(&arena);
}

static void flags_are_true_or_false(void **state)
{
    (void)state;
    struct arena arena = ARENA_INIT;
    struct form f = parse(&arena, "a=true&b=1&c=false&d=0&e=yes&f=TRUE&g=2");
    struct errors errors = ERRORS_INIT;
    bool value = false;
    assert_true(form_read_flag(&f, "a", &value, &errors) && value);
    assert_true(form_read_flag(&f, "b", &value, &errors) && value);
    assert_true(form_read_flag(&f, "c", &value, &errors) && !value);
    value = true;
    assert_true(form_read_flag(&f, "d", &value, &errors) && !value);
    assert_true(form_read_flag(&f, "absent", &value, &errors) && !value);
    assert_int_equal(errors.count, 0);
    assert_false(form_read_flag(&f, "e", &value, &errors));
    assert_false(form_read_flag(&f, "f", &value, &errors));
    assert_false(form_read_flag(&f, "g", &value, &errors));
    assert_int_equal(errors.count, 3);
    assert_string_equal(errors.items[0].where, "e");
    assert_string_equal(errors.items[0].message, "e must be true or false");
    errors_free(&errors);
    arena_release(&arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(whole_numbers_are_read_within_their_range),
        cmocka_unit_test(malformed_numbers_are_errors_naming_the_field),
        cmocka_unit_test(flags_are_true_or_false),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
