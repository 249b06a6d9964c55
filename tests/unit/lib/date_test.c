/*
 * Dates and UTC times as the API and the rules read them: only real days and times.
 */
#include "../test_support.h"

#include "lib/date.h"

static void dates_must_exist(void **state)
{
    (void)state;
    assert_true(date_is_valid("2027-01-31"));
    assert_true(date_is_valid("2028-02-29")); /* a leap year */
    assert_false(date_is_valid("2027-02-29"));
    assert_false(date_is_valid("2100-02-29")); /* not a leap year */
    assert_true(date_is_valid("2000-02-29"));  /* but this is */
    assert_false(date_is_valid("2027-04-31"));
    assert_false(date_is_valid("2027-13-01"));
    assert_false(date_is_valid("2027-00-10"));
    assert_false(date_is_valid("2027-1-01"));
    assert_false(date_is_valid("2027-01- 1"));
    assert_false(date_is_valid("2027-+1-01"));
    assert_false(date_is_valid(""));
    assert_false(date_is_valid(NULL));
}

static void utc_times_are_read_in_their_forms(void **state)
{
    (void)state;
    int64_t t = 0;
    assert_true(date_parse_utc("2027-01-10T09:00:00Z", false, &t));
    assert_int_equal(t, 1799571600);
    assert_true(date_parse_utc("2027-01-10T09:00Z", false, &t));
    assert_int_equal(t, 1799571600);
    assert_true(date_parse_utc("2027-01-10T09:00:00+00:00", false, &t));
    assert_int_equal(t, 1799571600);
    assert_false(date_parse_utc("2027-01-10", false, &t));
    assert_true(date_parse_utc("2027-01-10", true, &t));
    assert_int_equal(t, 1799539200);
}

static void impossible_times_are_refused(void **state)
{
    (void)state;
    int64_t t = 0;
    assert_false(date_parse_utc("2027-04-31T09:00:00Z", false, &t));
    assert_false(date_parse_utc("2027-01-10T24:00:00Z", false, &t));
    assert_false(date_parse_utc("2027-01-10T09:60:00Z", false, &t));
    assert_false(date_parse_utc("2027-01-10T09:00:00", false, &t)); /* no zone: not known to be UTC */
    assert_false(date_parse_utc("2027-01-10T09:00:00+01:00", false, &t));
    assert_false(date_parse_utc("2027-01-10 09:00:00Z", false, &t));
    assert_false(date_parse_utc("2027-01-10T9:00:00Z", false, &t));
    assert_false(date_parse_utc(NULL, true, &t));
}

static void date_of_gives_the_utc_day(void **state)
{
    (void)state;
    char text[DATE_TEXT];
    date_of(1799571600, text);
    assert_string_equal(text, "2027-01-10");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dates_must_exist),
        cmocka_unit_test(utc_times_are_read_in_their_forms),
        cmocka_unit_test(impossible_times_are_refused),
        cmocka_unit_test(date_of_gives_the_utc_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
