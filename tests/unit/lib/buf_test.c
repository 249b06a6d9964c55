/*
 * The buffer's ceiling: appends past the maximum fail and change nothing.
 */
#include "../test_support.h"

#include "lib/buf.h"

static void appends_grow_until_the_maximum(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 10);
    assert_true(buf_append_str(&b, "12345"));
    assert_true(buf_appendf(&b, "%d", 6789));
    assert_string_equal(b.data, "123456789");
    assert_false(buf_append_str(&b, "ab"));
    assert_false(buf_appendf(&b, "%s", "abc"));
    assert_string_equal(b.data, "123456789");
    assert_true(buf_append_str(&b, "0"));
    assert_int_equal(b.len, 10);
    buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(appends_grow_until_the_maximum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
