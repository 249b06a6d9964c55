/*
 * The CSV writer: RFC 4180 quoting, and every cell a spreadsheet would run as a formula made
 * plain text with a leading quote mark.
 */
#include "../test_support.h"

#include "lib/csv_write.h"

static const char *row(struct buf *b, const char *const *fields, size_t count)
{
    buf_reset(b);
    for (size_t i = 0; i < count; i++)
        csv_write_field(b, fields[i], i == 0);
    csv_write_end(b);
    return b->data;
}

static void fields_are_quoted_only_when_they_must_be(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1024);
    assert_string_equal(row(&b, (const char *[]){"plain", "a, b", "say \"hi\"", "two\nlines", NULL}, 5),
                        "plain,\"a, b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
    buf_free(&b);
}

static void would_be_formulas_become_text(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1024);
    const struct {
        const char *value, *written;
    } cases[] = {
        {"=SUM(A1:A9)", "\"'=SUM(A1:A9)\"\r\n"},
        {"+44 161", "\"'+44 161\"\r\n"},
        {"-2", "\"'-2\"\r\n"},
        {"@cmd", "\"'@cmd\"\r\n"},
        {"\t=1+1", "\"'\t=1+1\"\r\n"},
        {"\r=1+1", "\"'\r=1+1\"\r\n"},
        {"a=b", "a=b\r\n"},
        {"", "\r\n"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_string_equal(row(&b, (const char *[]){cases[i].value}, 1), cases[i].written);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fields_are_quoted_only_when_they_must_be),
        cmocka_unit_test(would_be_formulas_become_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
