/*
 * Dates and UTC times as the API and the rules read them: only real days and times.
 */
#include "../test_support.h"

#include "lib/date.h"

#include <time.h>

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

/* UTC seconds of a date and time, by the C library rather than date.c's own arithmetic. */
static int64_t utc(int y, int mo, int d, int h, int mi)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi};
    return (int64_t)timegm(&tm);
}

/* UK time at the edges of British Summer Time (the last Sundays of March and October, 1am GMT),
 * spans that cross midnight, noon and midnight on the 12-hour clock. */
static void assert_range(int64_t start, int64_t end, const char *expected)
{
    char out[DATE_HUMAN_TEXT];
    date_format_uk_range(start, end, out, sizeof(out));
    assert_string_equal(out, expected);
}

static void winter_times_are_gmt(void **state)
{
    (void)state;
    assert_range(utc(2027, 1, 11, 9, 0), utc(2027, 1, 11, 16, 0), "Monday 11 January 2027, 9:00am to 4:00pm");
    assert_int_equal(date_uk_offset(utc(2027, 1, 11, 9, 0)), 0);
}

static void summer_times_are_bst(void **state)
{
    (void)state;
    assert_range(utc(2027, 6, 15, 15, 30), utc(2027, 6, 15, 17, 0), "Tuesday 15 June 2027, 4:30pm to 6:00pm");
}

static void bst_starts_at_1am_gmt_on_the_last_sunday_of_march(void **state)
{
    (void)state;
    /* 2027: 28 March. */
    assert_int_equal(date_uk_offset(utc(2027, 3, 28, 0, 59) + 59), 0);
    assert_int_equal(date_uk_offset(utc(2027, 3, 28, 1, 0)), 3600);
    assert_int_equal(date_uk_offset(utc(2027, 3, 21, 12, 0)), 0);
    /* 2026: 29 March. */
    assert_int_equal(date_uk_offset(utc(2026, 3, 29, 1, 0) - 1), 0);
    assert_int_equal(date_uk_offset(utc(2026, 3, 29, 1, 0)), 3600);
}

static void bst_ends_at_1am_gmt_on_the_last_sunday_of_october(void **state)
{
    (void)state;
    /* 2026: 25 October. 00:59:59 GMT is 1:59:59 BST; 1:00 GMT is 1:00 GMT again. */
    assert_int_equal(date_uk_offset(utc(2026, 10, 25, 1, 0) - 1), 3600);
    assert_int_equal(date_uk_offset(utc(2026, 10, 25, 1, 0)), 0);
    assert_range(utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30), "Sunday 25 October 2026, 1:30am to 1:30am");
}

static void a_span_over_midnight_names_both_days(void **state)
{
    (void)state;
    assert_range(utc(2026, 12, 31, 23, 0), utc(2027, 1, 1, 1, 0),
                 "Thursday 31 December 2026, 11:00pm to Friday 1 January 2027, 1:00am");
    /* 23:30 UTC in summer is already the next day in the UK. */
    assert_range(utc(2027, 7, 1, 23, 30), utc(2027, 7, 2, 0, 15), "Friday 2 July 2027, 12:30am to 1:15am");
}

static void noon_and_midnight_read_as_12(void **state)
{
    (void)state;
    assert_range(utc(2027, 2, 1, 12, 0), utc(2027, 2, 1, 12, 5), "Monday 1 February 2027, 12:00pm to 12:05pm");
    assert_range(utc(2027, 2, 1, 0, 0), utc(2027, 2, 1, 0, 45), "Monday 1 February 2027, 12:00am to 12:45am");
}

static void moments_read_in_uk_time_in_each_style(void **state)
{
    (void)state;
    char out[DATE_HUMAN_TEXT];
    date_format_uk(utc(2026, 11, 23, 11, 50), DATE_MOMENT, out, sizeof(out));
    assert_string_equal(out, "23 November 2026 at 11:50am");
    date_format_uk(utc(2027, 6, 15, 15, 30), DATE_MOMENT, out, sizeof(out));
    assert_string_equal(out, "15 June 2027 at 4:30pm");
    date_format_uk(utc(2027, 6, 15, 15, 30), DATE_SHORT, out, sizeof(out));
    assert_string_equal(out, "15\u00a0Jun\u00a02027 16:30");
    date_format_uk(utc(2027, 6, 15, 23, 30), DATE_DAY, out, sizeof(out));
    assert_string_equal(out, "16 June 2027");
    date_format_uk(utc(2027, 1, 11, 9, 0), DATE_WEEKDAY, out, sizeof(out));
    assert_string_equal(out, "Monday 11 January 2027");
    date_format_uk(0, DATE_MOMENT, out, sizeof(out));
    assert_string_equal(out, "");
}

static void uk_wall_clock_times_become_utc(void **state)
{
    (void)state;
    int64_t t;
    assert_true(date_uk_to_utc(utc(2027, 7, 15, 9, 30), &t));
    assert_int_equal(t, utc(2027, 7, 15, 8, 30));
    assert_true(date_uk_to_utc(utc(2027, 1, 12, 14, 0), &t));
    assert_int_equal(t, utc(2027, 1, 12, 14, 0));
    /* 28 March 2027: 1:30am does not happen in the UK. */
    assert_false(date_uk_to_utc(utc(2027, 3, 28, 1, 30), &t));
    /* 31 October 2027: 1:30am happens twice; the first, in BST, is meant. */
    assert_true(date_uk_to_utc(utc(2027, 10, 31, 1, 30), &t));
    assert_int_equal(t, utc(2027, 10, 31, 0, 30));
}

static void stored_dates_read_as_words(void **state)
{
    (void)state;
    char out[DATE_HUMAN_TEXT];
    date_format_day("2027-01-10", false, out, sizeof(out));
    assert_string_equal(out, "10 January 2027");
    date_format_day("2027-01-10", true, out, sizeof(out));
    assert_string_equal(out, "10 Jan 2027");
    date_format_day("2027-01-05", false, out, sizeof(out));
    assert_string_equal(out, "5 January 2027");
    date_format_day("2027-02-30", false, out, sizeof(out)); /* not a day: as it is */
    assert_string_equal(out, "2027-02-30");
    date_format_day(NULL, false, out, sizeof(out));
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dates_must_exist),
        cmocka_unit_test(utc_times_are_read_in_their_forms),
        cmocka_unit_test(impossible_times_are_refused),
        cmocka_unit_test(date_of_gives_the_utc_day),
        cmocka_unit_test(winter_times_are_gmt),
        cmocka_unit_test(summer_times_are_bst),
        cmocka_unit_test(bst_starts_at_1am_gmt_on_the_last_sunday_of_march),
        cmocka_unit_test(bst_ends_at_1am_gmt_on_the_last_sunday_of_october),
        cmocka_unit_test(a_span_over_midnight_names_both_days),
        cmocka_unit_test(noon_and_midnight_read_as_12),
        cmocka_unit_test(moments_read_in_uk_time_in_each_style),
        cmocka_unit_test(uk_wall_clock_times_become_utc),
        cmocka_unit_test(stored_dates_read_as_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
