/*
 * The clock a test can set: it reads the system's time until set, then exactly the time set,
 * moved on only when the test says so.
 */
#include "../test_support.h"

#include "lib/clock.h"

#include <time.h>

static void reads_the_system_clock_until_set(void **state)
{
    (void)state;
    clock_use_system();
    int64_t before = (int64_t)time(NULL);
    int64_t now = clock_now();
    assert_true(now >= before && now <= (int64_t)time(NULL));
}

static void a_set_clock_stands_still_until_moved(void **state)
{
    (void)state;
    clock_set(1800000000); /* 15 January 2027 */
    assert_int_equal(clock_now(), 1800000000);
    assert_int_equal(clock_now(), 1800000000);
    clock_advance(3600);
    assert_int_equal(clock_now(), 1800003600);
    clock_advance(-7200);
    assert_int_equal(clock_now(), 1799996400);
    clock_use_system();
    assert_true(clock_now() >= (int64_t)time(NULL) - 1); /* the system's again */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_the_system_clock_until_set),
        cmocka_unit_test(a_set_clock_stands_still_until_moved),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
