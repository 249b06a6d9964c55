/*
 * Escaping by default: %s can never become markup; %R inserts trusted markup as it is.
 */
#include "../test_support.h"

#include "pages/html.h"

static void strings_are_escaped(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 4096);
    html_printf(&b, "<p title=\"%s\">%s</p>", "\"><script>", "Tom & Jerry's <b>");
    assert_string_equal(b.data, "<p title=\"&quot;&gt;&lt;script&gt;\">Tom &amp; Jerry&#39;s &lt;b&gt;</p>");
    buf_free(&b);
}

static void raw_numbers_and_percent(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 4096);
    html_printf(&b, "%R|%d|%zu|100%%|%s", "<em>ok</em>", -3, (size_t)42, (const char *)NULL);
    assert_string_equal(b.data, "<em>ok</em>|-3|42|100%|");
    buf_free(&b);
}

static void a_page_that_outgrows_its_buffer_is_marked_failed(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 16);
    html_printf(&b, "<p>%s</p>", "Tom & Jerry"); /* 22 bytes escaped */
    assert_true(buf_failed(&b));
    buf_free(&b);
}

static void a_wrong_conversion_fails_the_buffer_instead_of_aborting(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 4096);
    const char *fmt = "<p>%x</p>"; /* not one of html_printf's conversions */
    html_printf(&b, fmt, 12);
    assert_true(buf_failed(&b));
    buf_free(&b);
    buf_init(&b, 4096);
    html_printf(&b, "%zd", (size_t)1);
    assert_true(buf_failed(&b));
    buf_free(&b);
}

static void broken_markup_fails_the_page_it_is_put_into(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 4096);
    html_printf(&b, "<div>%R</div>", "<em>fine</em>");
    assert_false(buf_failed(&b));
    html_printf(&b, "<div>%R</div>", html_broken);
    assert_true(buf_failed(&b));
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_page_that_outgrows_its_buffer_is_marked_failed),
        cmocka_unit_test(a_wrong_conversion_fails_the_buffer_instead_of_aborting),
        cmocka_unit_test(broken_markup_fails_the_page_it_is_put_into),
        cmocka_unit_test(strings_are_escaped),
        cmocka_unit_test(raw_numbers_and_percent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
