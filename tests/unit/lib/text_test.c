/*
 * Text facts the rules share: words present, characters counted as people count them,
 * thousands separators, name tables.
 */
#include "../test_support.h"

#include "lib/text.h"

static void words_and_characters(void **state)
{
    (void)state;
    assert_false(text_has_words(NULL));
    assert_false(text_has_words(" \t\r\n"));
    assert_true(text_has_words("  a "));
    assert_int_equal(text_characters(NULL), 0);
    assert_int_equal(text_characters("Siân"), 4);
    assert_int_equal(text_characters("Ō😀"), 2);
}

static void thousands(void **state)
{
    (void)state;
    char out[32];
    text_thousands(0, out);
    assert_string_equal(out, "0");
    text_thousands(999, out);
    assert_string_equal(out, "999");
    text_thousands(50009, out);
    assert_string_equal(out, "50,009");
    text_thousands(1234567, out);
    assert_string_equal(out, "1,234,567");
}

static void sizes_in_words(void **state)
{
    (void)state;
    char out[32];
    text_bytes(20 * 1024 * 1024, out);
    assert_string_equal(out, "20 MiB");
    text_bytes(1024 * 1024 * 1024, out);
    assert_string_equal(out, "1 GiB");
    text_bytes(1536 * 1024 * 1024LL, out);
    assert_string_equal(out, "1,536 MiB");
    text_bytes(512 * 1024, out);
    assert_string_equal(out, "512 KiB");
    text_bytes(1024 * 1024 + 1, out); /* exactly: never rounded to a unit */
    assert_string_equal(out, "1,048,577 bytes");
    text_bytes(1, out);
    assert_string_equal(out, "1 byte");
}

static void one_line(void **state)
{
    (void)state;
    assert_true(text_is_one_line(NULL));
    assert_true(text_is_one_line("Plan – “naïve” readers, 2027.pdf"));
    assert_true(text_is_one_line("شرح الخطة.pdf")); /* right-to-left text itself is fine */
    assert_false(text_is_one_line("two\nlines"));
    assert_false(text_is_one_line("tab\there"));
    assert_false(text_is_one_line("del\x7f"));
    assert_false(text_is_one_line("c1 \xc2\x85 next line"));
    /* U+202E RIGHT-TO-LEFT OVERRIDE, split from "fdp" so it is not read as one hex escape */
    assert_false(text_is_one_line("plan\xe2\x80\xae"
                                  "fdp.exe"));
    assert_false(text_is_one_line("isolate \xe2\x81\xa6x\xe2\x81\xa9"));
    assert_false(text_is_one_line("line\xe2\x80\xa8separator"));
    assert_true(text_is_one_line("dash \xe2\x80\x94"
                                 " and ellipsis \xe2\x80\xa6"));
}

static void names(void **state)
{
    (void)state;
    static const struct text_name table[] = {{"pass", "Pass"}, {"refer", "Referred"}};
    int index = -1;
    assert_true(text_name_find(table, 2, "refer", &index));
    assert_int_equal(index, 1);
    assert_false(text_name_find(table, 2, "Refer", &index));
    assert_false(text_name_find(table, 2, NULL, &index));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(words_and_characters),
        cmocka_unit_test(thousands),
        cmocka_unit_test(sizes_in_words),
        cmocka_unit_test(names),
        cmocka_unit_test(one_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
