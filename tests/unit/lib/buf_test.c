/*
 * The buffer's ceiling: appends past the maximum fail and change nothing, and the refusal is
 * remembered until the buffer is emptied, so a writer may check once.
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

static void a_refusal_is_remembered_until_the_buffer_is_emptied(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 8);
    assert_true(buf_append_str(&b, "1234"));
    assert_false(buf_failed(&b));
    assert_false(buf_appendf(&b, "%s", "56789")); /* one byte too many */
    assert_true(buf_failed(&b));
    /* Later appends that fit still fit, but the contents are known to be incomplete. */
    assert_true(buf_append_str(&b, "5"));
    assert_string_equal(b.data, "12345");
    assert_true(buf_failed(&b));
    buf_reset(&b);
    assert_false(buf_failed(&b));
    assert_false(buf_append(&b, "123456789", 9));
    assert_true(buf_failed(&b));
    buf_free(&b);
    assert_false(buf_failed(&b));
    assert_int_equal(b.max, 8);
}

static void truncating_takes_back_what_a_writer_wrote(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 8);
    assert_true(buf_append_str(&b, "head"));
    size_t mark = b.len;
    assert_true(buf_append_str(&b, "tail"));
    assert_false(buf_append_str(&b, "!"));
    buf_truncate(&b, mark);
    assert_false(buf_failed(&b));
    assert_string_equal(b.data, "head");
    assert_int_equal(b.len, 4);
    buf_truncate(&b, 100); /* never longer than it is */
    assert_string_equal(b.data, "head");
    buf_fail(&b);
    assert_true(buf_failed(&b));
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(appends_grow_until_the_maximum),
        cmocka_unit_test(a_refusal_is_remembered_until_the_buffer_is_emptied),
        cmocka_unit_test(truncating_takes_back_what_a_writer_wrote),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
