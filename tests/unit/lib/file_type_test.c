/*
 * Files are what their bytes say: every known type by its signature, the name deciding only what
 * bytes cannot, and programs, archives and broken text refused whatever they are called.
 */
#include "../test_support.h"

#include "lib/file_type.h"

#include <string.h>

/* A minimal ZIP holding the named entries (empty, stored), with its central directory. */
static size_t zip_of(unsigned char *out, const char *const *names, size_t count)
{
    size_t at = 0, offsets[8];
    for (size_t i = 0; i < count; i++) {
        size_t n = strlen(names[i]);
        offsets[i] = at;
        memcpy(out + at, "PK\x03\x04", 4);
        memset(out + at + 4, 0, 26);
        out[at + 26] = (unsigned char)n;
        memcpy(out + at + 30, names[i], n);
        at += 30 + n;
    }
    size_t directory = at;
    for (size_t i = 0; i < count; i++) {
        size_t n = strlen(names[i]);
        memcpy(out + at, "PK\x01\x02", 4);
        memset(out + at + 4, 0, 42);
        out[at + 28] = (unsigned char)n;
        out[at + 42] = (unsigned char)offsets[i];
        memcpy(out + at + 46, names[i], n);
        at += 46 + n;
    }
    size_t size = at - directory;
    memcpy(out + at, "PK\x05\x06", 4);
    memset(out + at + 4, 0, 18);
    out[at + 8] = out[at + 10] = (unsigned char)count;
    out[at + 12] = (unsigned char)size;
    out[at + 16] = (unsigned char)directory;
    return at + 22;
}

static const char *type_of(const void *data, size_t len, const char *name)
{
    const struct file_type *t = file_type_detect(data, len, name);
    return t ? t->media_type : NULL;
}

#define TYPE_OF(bytes, name) type_of(bytes, sizeof(bytes) - 1, name)

static void signatures_decide_the_type(void **state)
{
    (void)state;
    assert_string_equal(TYPE_OF("%PDF-1.7\n...", "x.txt"), "application/pdf");
    assert_string_equal(TYPE_OF("\x89PNG\r\n\x1a\n\0\0", NULL), "image/png");
    assert_string_equal(TYPE_OF("\xff\xd8\xff\xe0\0\x10JFIF", NULL), "image/jpeg");
    assert_string_equal(TYPE_OF("GIF89a\x01\0", NULL), "image/gif");
    assert_string_equal(TYPE_OF("RIFF\0\0\0\0WEBPVP8 ", NULL), "image/webp");
    assert_string_equal(TYPE_OF("RIFF\0\0\0\0WAVEfmt ", NULL), "audio/wav");
    assert_string_equal(TYPE_OF("ID3\x04\0\0", NULL), "audio/mpeg");
    assert_string_equal(TYPE_OF("\xff\xfb\x90\x64", NULL), "audio/mpeg");
    assert_string_equal(TYPE_OF("OggS\0\x02", NULL), "audio/ogg");
    assert_string_equal(TYPE_OF("fLaC\0\0", NULL), "audio/flac");
    assert_string_equal(TYPE_OF("\0\0\0\x20"
                                "ftypisom\0\0",
                                NULL),
                        "video/mp4");
    assert_string_equal(TYPE_OF("\0\0\0\x20"
                                "ftypM4A \0\0",
                                NULL),
                        "audio/mp4");
    assert_string_equal(TYPE_OF("\0\0\0\x14"
                                "ftypqt  \0\0",
                                NULL),
                        "video/quicktime");
    assert_string_equal(TYPE_OF("\x1a\x45\xdf\xa3\x9f", NULL), "video/webm");
    assert_string_equal(TYPE_OF("{\\rtf1\\ansi", NULL), "application/rtf");
    assert_true(file_type_detect("\x89PNG\r\n\x1a\n", 8, NULL)->inline_safe);
    assert_false(file_type_detect("%PDF-1.7", 8, NULL)->inline_safe);
}

static void office_and_open_documents_are_told_apart(void **state)
{
    (void)state;
    unsigned char zip[2048];
    size_t n = zip_of(zip, (const char *[]){"[Content_Types].xml", "_rels/.rels", "word/document.xml"}, 3);
    assert_string_equal(type_of(zip, n, "plan.zip"),
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    n = zip_of(zip, (const char *[]){"[Content_Types].xml", "xl/workbook.xml"}, 2);
    assert_string_equal(type_of(zip, n, NULL), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    n = zip_of(zip, (const char *[]){"[Content_Types].xml", "ppt/presentation.xml"}, 2);
    assert_string_equal(type_of(zip, n, NULL),
                        "application/vnd.openxmlformats-officedocument.presentationml.presentation");
    /* Any other archive is not a document, whatever it is called. */
    n = zip_of(zip, (const char *[]){"payload.exe", "readme.txt"}, 2);
    assert_null(type_of(zip, n, "plan.docx"));
    n = zip_of(zip, (const char *[]){"[Content_Types].xml", "word/a.xml", "xl/b.xml"}, 3);
    assert_null(type_of(zip, n, NULL));

    static const char odt[] = "PK\x03\x04"
                              "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x08\0\0\0"
                              "mimetypeapplication/vnd.oasis.opendocument.text";
    assert_string_equal(type_of(odt, sizeof(odt) - 1, NULL), "application/vnd.oasis.opendocument.text");
    static const char odt_template[] = "PK\x03\x04"
                                       "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x08\0\0\0"
                                       "mimetypeapplication/vnd.oasis.opendocument.text-template";
    assert_null(type_of(odt_template, sizeof(odt_template) - 1, NULL));

    static const char ole[] = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0";
    assert_string_equal(type_of(ole, sizeof(ole) - 1, "Old plan.DOC"), "application/msword");
    assert_string_equal(type_of(ole, sizeof(ole) - 1, "budget.xls"), "application/vnd.ms-excel");
    assert_null(type_of(ole, sizeof(ole) - 1, "installer.msi"));
}

static void text_is_well_formed_utf8_and_its_name_says_which(void **state)
{
    (void)state;
    assert_string_equal(TYPE_OF("A plan, with “quotes” and naïve words.\r\n\tIndented.", "notes"),
                        "text/plain; charset=utf-8");
    assert_string_equal(TYPE_OF("\xef\xbb\xbfname,score\n", "marks.CSV"), "text/csv; charset=utf-8");
    assert_string_equal(TYPE_OF("# Reading\n", "notes.md"), "text/markdown; charset=utf-8");
    assert_null(TYPE_OF("text with a \0 in it", "notes.txt"));
    assert_null(TYPE_OF("bell \x07", "notes.txt"));
    assert_null(TYPE_OF("latin-1 caf\xe9", "notes.txt"));
    assert_null(TYPE_OF("overlong \xc0\xaf", "notes.txt"));
    assert_null(TYPE_OF("surrogate \xed\xa0\x80", "notes.txt"));
    assert_null(TYPE_OF("cut short \xe2\x80", "notes.txt"));
}

static void programs_and_the_empty_are_unknown(void **state)
{
    (void)state;
    assert_null(TYPE_OF("MZ\x90\0\x03\0\0\0", "plan.pdf"));
    assert_null(TYPE_OF("\x7f"
                        "ELF\x02\x01\x01",
                        "plan.pdf"));
    assert_null(type_of("", 0, "plan.txt"));
    assert_null(type_of(NULL, 0, NULL));
    assert_non_null(strstr(file_type_known_list(), "PDF"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signatures_decide_the_type),
        cmocka_unit_test(office_and_open_documents_are_told_apart),
        cmocka_unit_test(text_is_well_formed_utf8_and_its_name_says_which),
        cmocka_unit_test(programs_and_the_empty_are_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
