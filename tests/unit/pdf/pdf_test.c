/*
 * PDF text layout: lines break at spaces and never inside a character, a word wider than the line
 * is cut, the last line allowed takes the rest; certificates and transcripts come out as whole
 * PDF documents. Also the words certificates use for dates and hours (app/awards.h).
 */
#include "../test_support.h"

#include "app/awards.h"
#include "pdf/certificate.h"
#include "pdf/pdf.h"
#include "pdf/transcript.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* A one-page document to measure text in; pdf_end releases it. */
static void begin(struct pdf *pdf, struct buf *out)
{
    buf_init(out, PDF_MAX_BYTES);
    pdf_begin(pdf, out, PDF_A4_SHORT, PDF_A4_LONG, "test");
    pdf_font(pdf, PDF_SANS, 10);
}

static void finish(struct pdf *pdf, struct buf *out)
{
    assert_true(pdf_end(pdf));
    assert_true(out->len > 5);
    assert_memory_equal(out->data, "%PDF-", 5);
    buf_free(out);
}

static void lines_break_at_spaces_within_the_width(void **state)
{
    (void)state;
    struct pdf pdf;
    struct buf out;
    begin(&pdf, &out);
    const char *text = "National Professional Qualification for Senior Leadership";
    double width = pdf_text_width(&pdf, "National Professional Qualification");
    char lines[4][PDF_LINE_BYTES];
    size_t n = pdf_wrap(&pdf, text, width, lines, 4);
    assert_int_equal(n, 2);
    assert_string_equal(lines[0], "National Professional Qualification");
    assert_string_equal(lines[1], "for Senior Leadership");
    for (size_t i = 0; i < n; i++)
        assert_true(pdf_text_width(&pdf, lines[i]) <= width);
    /* Wide enough for all: one line; nothing to lay out: none. */
    assert_int_equal(pdf_wrap(&pdf, text, 10000, lines, 4), 1);
    assert_string_equal(lines[0], text);
    assert_int_equal(pdf_wrap(&pdf, "   ", 100, lines, 4), 0);
    assert_int_equal(pdf_wrap(&pdf, NULL, 100, lines, 4), 0);
    /* Runs of spaces are one space, and never make empty lines. */
    n = pdf_wrap(&pdf, "  one    two  ", 10000, lines, 4);
    assert_int_equal(n, 1);
    assert_string_equal(lines[0], "one two");
    finish(&pdf, &out);
}

static void a_long_word_is_cut_between_characters(void **state)
{
    (void)state;
    struct pdf pdf;
    struct buf out;
    begin(&pdf, &out);
    /* Twenty "é" (two bytes each) in a line that holds a few of them: each line is whole characters. */
    char word[41];
    for (int i = 0; i < 20; i++)
        memcpy(word + 2 * i, "\xc3\xa9", 2);
    word[40] = '\0';
    char lines[16][PDF_LINE_BYTES];
    double width = pdf_text_width(&pdf, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
    size_t n = pdf_wrap(&pdf, word, width, lines, 16);
    assert_true(n >= 4);
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(lines[i]);
        assert_true(len > 0);
        assert_int_equal(len % 2, 0); /* never half of "é" */
        assert_true(pdf_text_width(&pdf, lines[i]) <= width + 0.001);
        total += len;
    }
    assert_int_equal(total, strlen(word));
    /* Narrower than one character: still one character a line, so layout always ends. */
    n = pdf_wrap(&pdf, "abc", 0.1, lines, 16);
    assert_int_equal(n, 3);
    assert_string_equal(lines[2], "c");
    finish(&pdf, &out);
}

static void the_last_line_allowed_takes_the_rest(void **state)
{
    (void)state;
    struct pdf pdf;
    struct buf out;
    begin(&pdf, &out);
    char lines[2][PDF_LINE_BYTES];
    double width = pdf_text_width(&pdf, "alpha beta");
    size_t n = pdf_wrap(&pdf, "alpha beta gamma delta epsilon", width, lines, 2);
    assert_int_equal(n, 2);
    assert_string_equal(lines[0], "alpha beta");
    assert_string_equal(lines[1], "gamma delta epsilon");
    finish(&pdf, &out);
}

static void documents_are_whole_pdfs(void **state)
{
    (void)state;
    struct certificate c = {
        "Demo NPQ Provider", "Zoë Ångström-O'Neill", "National Professional Qualification for Senior Leadership",
        "23 November 2026",  "NPQSL-2026-000042-7",  "https://npq.example.org/verify/abc"};
    struct buf out;
    buf_init(&out, PDF_MAX_BYTES);
    assert_true(pdf_certificate(&c, &out));
    assert_memory_equal(out.data, "%PDF-", 5);
    assert_non_null(memmem(out.data, out.len, "%%EOF", 5));
    buf_free(&out);

    /* A document that outgrows its buffer is refused, not cut short. */
    buf_init(&out, 1024);
    assert_false(pdf_certificate(&c, &out));
    buf_free(&out);

    struct transcript_module modules[30];
    for (size_t i = 0; i < 30; i++)
        modules[i] = (struct transcript_module){
            "leading-teaching", "Leading teaching", "2026-06-01", 10, 3, i % 2 == 0, 15, "University of Example"};
    struct transcript_award award = {1,
                                     "NPQSL",
                                     "National Professional Qualification for Senior Leadership",
                                     "NPQSL-2026-000001-3",
                                     "2026-11-23",
                                     "https://npq.example.org/verify/abc"};
    struct transcript t = {7, "Pat Participant", "Demo NPQ Provider", "2026-11-23", modules, 30, 225, &award, 1};
    buf_init(&out, PDF_MAX_BYTES);
    assert_true(pdf_transcript(&t, &out));
    assert_memory_equal(out.data, "%PDF-", 5);
    buf_free(&out);
}

/* The text of a PDF as poppler's pdftotext reads it, which is how a reader copies or searches it. */
static char *text_of(const struct buf *pdf, char *text, size_t size)
{
    char path[64];
    snprintf(path, sizeof(path), "/tmp/npq-pdf-test-%d.pdf", (int)getpid());
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(pdf->data, 1, pdf->len, f), pdf->len);
    fclose(f);
    char command[128];
    snprintf(command, sizeof(command), "pdftotext -enc UTF-8 %s -", path);
    FILE *p = popen(command, "r");
    assert_non_null(p);
    size_t n = fread(text, 1, size - 1, p);
    text[n] = '\0';
    assert_int_equal(pclose(p), 0);
    unlink(path);
    return text;
}

static void every_script_prints_and_the_verification_address_is_a_link(void **state)
{
    (void)state;
    /* Each name, and what of it pdftotext must give back: it reads Arabic's lam-alef ligature
     * in visual order, so only the first word is compared there. */
    static const char *const names[][2] = {
        {"王秀英", "王秀英"},
        {"山田 花子", "山田 花子"},
        {"김민준", "김민준"},
        {"محمد الأمين", "محمد"},
        {"Ελένη Παπαδοπούλου", "Ελένη Παπαδοπούλου"},
        {"Дмитрий Иванов", "Дмитрий Иванов"},
        {"अनीता शर्मा", "अनीता"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        struct certificate c = {
            "Demo NPQ Provider", names[i][0],          "National Professional Qualification for Headship",
            "23 November 2026",  "NPQH-2026-000042-7", "https://npq.example.org/verify/abc"};
        struct buf out;
        buf_init(&out, PDF_MAX_BYTES);
        assert_true(pdf_certificate(&c, &out));
        char text[8192];
        if (strstr(text_of(&out, text, sizeof(text)), names[i][1]) == NULL)
            fail_msg("%s does not print: the PDF's text is\n%s", names[i][0], text);
        /* A link annotation to the address, so a reader can follow it. */
        assert_non_null(memmem(out.data, out.len, "/URI (https://npq.example.org/verify/abc)", 41));
        buf_free(&out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lines_break_at_spaces_within_the_width),
        cmocka_unit_test(a_long_word_is_cut_between_characters),
        cmocka_unit_test(the_last_line_allowed_takes_the_rest),
        cmocka_unit_test(documents_are_whole_pdfs),
        cmocka_unit_test(every_script_prints_and_the_verification_address_is_a_link),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
