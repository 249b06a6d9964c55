/*
 * The Range header: single ranges, suffixes, open ends, ranges past the end, and what is ignored.
 */
#include "../test_support.h"

#include "lib/http_range.h"

static enum http_range_outcome parse(const char *header, uint64_t size, struct http_range *r)
{
    *r = (struct http_range){99, 99};
    return http_range_parse(str_of(header), size, r);
}

static void a_closed_range_is_answered_in_part(void **state)
{
    (void)state;
    struct http_range r;
    assert_int_equal(parse("bytes=0-99", 1000, &r), HTTP_RANGE_PARTIAL);
    assert_int_equal(r.first, 0);
    assert_int_equal(r.last, 99);
    assert_int_equal(parse("Bytes=10-10", 1000, &r), HTTP_RANGE_PARTIAL);
    assert_int_equal(r.first, 10);
    assert_int_equal(r.last, 10);
}

static void an_end_past_the_size_is_cut_to_the_last_byte(void **state)
{
    (void)state;
    struct http_range r;
    assert_int_equal(parse("bytes=900-5000", 1000, &r), HTTP_RANGE_PARTIAL);
    assert_int_equal(r.first, 900);
    assert_int_equal(r.last, 999);
    assert_int_equal(parse("bytes=0-99999999999999999999", 1000, &r), HTTP_RANGE_WHOLE); /* overflows */
}

static void an_open_range_runs_to_the_end(void **state)
{
    (void)state;
    struct http_range r;
    assert_int_equal(parse("bytes=500-", 1000, &r), HTTP_RANGE_PARTIAL);
    assert_int_equal(r.first, 500);
    assert_int_equal(r.last, 999);
    assert_int_equal(parse("bytes=0-", 1, &r), HTTP_RANGE_PARTIAL);
    assert_int_equal(r.last, 0);
}

static void a_suffix_is_the_last_bytes(void **state)
{
    (void)state;
    struct http_range r;
    assert_int_equal(parse("bytes=-100", 1000, &r), HTTP_RANGE_PARTIAL);
    assert_int_equal(r.first, 900);
    assert_int_equal(r.last, 999);
    assert_int_equal(parse("bytes=-5000", 1000, &r), HTTP_RANGE_PARTIAL);
    assert_int_equal(r.first, 0);
    assert_int_equal(r.last, 999);
}

static void a_range_beyond_the_end_cannot_be_satisfied(void **state)
{
    (void)state;
    struct http_range r;
    assert_int_equal(parse("bytes=1000-", 1000, &r), HTTP_RANGE_UNSATISFIABLE);
    assert_int_equal(parse("bytes=1000-2000", 1000, &r), HTTP_RANGE_UNSATISFIABLE);
    assert_int_equal(parse("bytes=-0", 1000, &r), HTTP_RANGE_UNSATISFIABLE);
    assert_int_equal(parse("bytes=0-", 0, &r), HTTP_RANGE_UNSATISFIABLE);
    assert_int_equal(parse("bytes=-1", 0, &r), HTTP_RANGE_UNSATISFIABLE);
}

static void lists_and_bad_syntax_get_the_whole(void **state)
{
    (void)state;
    struct http_range r;
    assert_int_equal(parse("", 1000, &r), HTTP_RANGE_WHOLE);
    assert_int_equal(parse("bytes=0-1,5-9", 1000, &r), HTTP_RANGE_WHOLE);
    assert_int_equal(parse("bytes=5-1", 1000, &r), HTTP_RANGE_WHOLE);
    assert_int_equal(parse("bytes=-", 1000, &r), HTTP_RANGE_WHOLE);
    assert_int_equal(parse("bytes=abc", 1000, &r), HTTP_RANGE_WHOLE);
    assert_int_equal(parse("items=0-1", 1000, &r), HTTP_RANGE_WHOLE);
    assert_int_equal(parse("bytes=1", 1000, &r), HTTP_RANGE_WHOLE);
    assert_int_equal(r.first, 99); /* untouched */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_closed_range_is_answered_in_part),
        cmocka_unit_test(an_end_past_the_size_is_cut_to_the_last_byte),
        cmocka_unit_test(an_open_range_runs_to_the_end),
        cmocka_unit_test(a_suffix_is_the_last_bytes),
        cmocka_unit_test(a_range_beyond_the_end_cannot_be_satisfied),
        cmocka_unit_test(lists_and_bad_syntax_get_the_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
