/*
 * Markdown rendering is safe whatever people type: scripts, raw HTML and javascript: links never
 * reach the page, while ordinary Markdown still renders.
 */
#include "../test_support.h"

#include "lib/markdown.h"

#include <stdlib.h>

/* Renders a NUL-terminated string; the caller frees the result. */
static char *render(const char *md)
{
    return markdown_to_html(md, strlen(md));
}

static void ordinary_markdown_renders(void **state)
{
    (void)state;
    char *html = render("**Bold** and *light*\n\n- one\n- two\n\n[Notes](https://example.org/notes)");
    assert_non_null(strstr(html, "<strong>Bold</strong>"));
    assert_non_null(strstr(html, "<em>light</em>"));
    assert_non_null(strstr(html, "<li>one</li>"));
    assert_non_null(strstr(html, "<a href=\"https://example.org/notes\">Notes</a>"));
    free(html);
}

static void script_tags_are_left_out(void **state)
{
    (void)state;
    const char *inputs[] = {
        "<script>alert(1)</script>",                  /* an HTML block */
        "Hello <script>alert(1)</script> there",      /* inline */
        "<SCRIPT src=\"https://evil.example/x.js\">", /* any case */
    };
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        char *html = render(inputs[i]);
        assert_null(strstr(html, "<script"));
        assert_null(strstr(html, "<SCRIPT"));
        free(html);
    }
    /* The text around an inline tag stays. */
    char *html = render("Hello <script>alert(1)</script> there");
    assert_non_null(strstr(html, "Hello"));
    assert_non_null(strstr(html, "there"));
    free(html);
}

static void raw_html_is_left_out(void **state)
{
    (void)state;
    char *html = render("<div onclick=\"steal()\">x</div>\n\nText with <img src=x onerror=alert(1)> and "
                        "<iframe src=\"https://evil.example\"></iframe>");
    assert_null(strstr(html, "<div"));
    assert_null(strstr(html, "<img"));
    assert_null(strstr(html, "<iframe"));
    assert_null(strstr(html, "onerror"));
    assert_null(strstr(html, "onclick"));
    assert_non_null(strstr(html, "raw HTML omitted"));
    free(html);
}

static void dangerous_link_addresses_are_removed(void **state)
{
    (void)state;
    const char *inputs[] = {
        "[click](javascript:alert(1))", "[click](JavaScript:alert(1))", "[click](vbscript:msgbox(1))",
        "<javascript:alert(1)>",        "![pic](javascript:alert(1))",  "[click][ref]\n\n[ref]: javascript:alert(1)",
    };
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        char *html = render(inputs[i]);
        /* No attribute keeps the address; an autolink may still show it as harmless text. */
        assert_null(strcasestr(html, "=\"javascript:"));
        assert_null(strcasestr(html, "=\"vbscript:"));
        assert_true(strstr(html, "href=\"\"") != NULL || strstr(html, "src=\"\"") != NULL);
        free(html);
    }
    char *html = render("[click](javascript:alert(1))");
    assert_non_null(strstr(html, "<a href=\"\">click</a>"));
    free(html);
}

static void text_is_escaped(void **state)
{
    (void)state;
    char *html = render("5 < 6 & \"quotes\"");
    assert_non_null(strstr(html, "5 &lt; 6 &amp; &quot;quotes&quot;"));
    free(html);
}

static void empty_and_counted_input(void **state)
{
    (void)state;
    char *html = markdown_to_html(NULL, 0);
    assert_string_equal(html, "");
    free(html);
    /* Only len bytes are read: the text need not end in NUL. */
    const char text[] = {'*', 'h', 'i', '*', '<'};
    html = markdown_to_html(text, 4);
    assert_string_equal(html, "<p><em>hi</em></p>\n");
    free(html);
    /* Invalid UTF-8 becomes the replacement character. */
    html = render("bad \xff byte");
    assert_non_null(strstr(html, "\xef\xbf\xbd"));
    free(html);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ordinary_markdown_renders), cmocka_unit_test(script_tags_are_left_out),
        cmocka_unit_test(raw_html_is_left_out),      cmocka_unit_test(dangerous_link_addresses_are_removed),
        cmocka_unit_test(text_is_escaped),           cmocka_unit_test(empty_and_counted_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
