/*
 * page_table_stack: the last table written gets the stacking class and each body cell the
 * heading of its column, so a narrow screen can show every value under its name.
 */
#include "../test_support.h"

#include "pages/html.h"
#include "pages/widgets.h"

#include <string.h>

static void each_cell_is_labelled_by_its_column(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 8192);
    html_printf(&b, "<p>Before</p><table class=\"govuk-table\"><thead class=\"govuk-table__head\"><tr>"
                    "<th scope=\"col\" class=\"govuk-table__header\">Name</th>"
                    "<th scope=\"col\" class=\"govuk-table__header\">Tom &amp; <em>Jerry</em></th>"
                    "<th scope=\"col\" class=\"govuk-table__header\"><span class=\"govuk-visually-hidden\">Actions"
                    "</span></th></tr></thead><tbody class=\"govuk-table__body\">"
                    "<tr><th scope=\"row\">Ada</th><td class=\"c\">1</td><td><form></form></td></tr>"
                    "<tr><th scope=\"row\">Bo</th><td>2</td><td></td></tr></tbody></table>");
    page_table_stack(&b);
    assert_false(buf_failed(&b));
    assert_string_equal(
        b.data, "<p>Before</p><table class=\"npq-table-stacked govuk-table\"><thead class=\"govuk-table__head\">"
                "<tr><th scope=\"col\" class=\"govuk-table__header\">Name</th>"
                "<th scope=\"col\" class=\"govuk-table__header\">Tom &amp; <em>Jerry</em></th>"
                "<th scope=\"col\" class=\"govuk-table__header\"><span class=\"govuk-visually-hidden\">Actions"
                "</span></th></tr></thead><tbody class=\"govuk-table__body\">"
                "<tr><th data-label=\"Name\" scope=\"row\">Ada</th><td data-label=\"Tom &amp; Jerry\" "
                "class=\"c\">1</td><td><form></form></td></tr>"
                "<tr><th data-label=\"Name\" scope=\"row\">Bo</th><td data-label=\"Tom &amp; Jerry\">2</td>"
                "<td></td></tr></tbody></table>");
    buf_free(&b);
}

static void only_the_last_table_changes(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 8192);
    const char *first = "<table class=\"govuk-table\"><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr>"
                        "</tbody></table>";
    html_printf(&b, "%R%R", first, first);
    page_table_stack(&b);
    assert_int_equal(strncmp(b.data, first, strlen(first)), 0);
    assert_non_null(strstr(b.data + strlen(first), "<td data-label=\"A\">1</td>"));
    buf_free(&b);
}

static void a_buffer_without_a_table_fails(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 4096);
    html_printf(&b, "<p>No table</p>");
    page_table_stack(&b);
    assert_true(buf_failed(&b));
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_cell_is_labelled_by_its_column),
        cmocka_unit_test(only_the_last_table_changes),
        cmocka_unit_test(a_buffer_without_a_table_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
