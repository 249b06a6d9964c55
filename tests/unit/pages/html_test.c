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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strings_are_escaped),
        cmocka_unit_test(raw_numbers_and_percent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
