/*
 * multipart/form-data: what browsers send is read into fields and files, and every malformed or
 * oversized body is refused with false rather than half-read.
 */
#include "../test_support.h"

#include "lib/multipart.h"

#include <stdlib.h>

#define TYPE "multipart/form-data; boundary=XyZ"

struct parsed {
    struct arena arena;
    struct form fields;
    struct multipart_file *files;
    size_t file_count;
};

static bool parse(struct parsed *p, const char *type, const char *body, size_t len)
{
    p->arena = (struct arena)ARENA_INIT;
    return multipart_parse(str_of(type), body, len, &p->arena, &p->fields, &p->files, &p->file_count);
}

static bool parse_text(struct parsed *p, const char *type, const char *body)
{
    return parse(p, type, body, strlen(body));
}

static void reads_text_fields_and_a_file(void **state)
{
    (void)state;
    static const char body[] = "--XyZ\r\n"
                               "Content-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
                               "abc\r\n"
                               "--XyZ\r\n"
                               "content-disposition: form-data; name=\"kind\"\r\n\r\n"
                               "two\r\nlines\r\n"
                               "--XyZ\r\n"
                               "Content-Disposition: form-data; name=\"file\"; filename=\"C:\\data\\schools.csv\"\r\n"
                               "Content-Type: text/csv\r\n\r\n"
                               "name,urn\r\nA \0school,100000\r\n"
                               "--XyZ--\r\n";
    struct parsed p;
    assert_true(parse(&p, TYPE, body, sizeof(body) - 1));
    assert_int_equal(p.fields.count, 2);
    assert_string_equal(form_get(&p.fields, "csrf_token"), "abc");
    assert_string_equal(form_get(&p.fields, "kind"), "two\r\nlines");
    assert_int_equal(p.file_count, 1);
    assert_string_equal(p.files[0].field, "file");
    assert_string_equal(p.files[0].filename, "C:\\data\\schools.csv"); /* backslashes are not escapes */
    assert_string_equal(p.files[0].content_type, "text/csv");
    /* Binary content, NUL included, is described in place, not copied. */
    const char *content = "name,urn\r\nA \0school,100000";
    assert_int_equal(p.files[0].len, 26);
    assert_memory_equal(p.files[0].data, content, 26);
    assert_true(p.files[0].data > body && p.files[0].data < body + sizeof(body));
    arena_release(&p.arena);
}

static void quoted_boundary_preamble_padding_and_empty_file(void **state)
{
    (void)state;
    const char *type = "Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a b:c\"";
    const char *body = "ignored preamble\r\n"
                       "--a b:c  \r\n"
                       "Content-Disposition: form-data; name=upload; filename=\"\"\r\n"
                       "Content-Type: application/octet-stream\r\n\r\n"
                       "\r\n"
                       "--a b:c\r\n"
                       "Content-Disposition: form-data; name=\"empty\"\r\n\r\n"
                       "\r\n"
                       "--a b:c--";
    struct parsed p;
    assert_true(parse_text(&p, type, body));
    assert_int_equal(p.file_count, 1);
    assert_string_equal(p.files[0].field, "upload");
    assert_string_equal(p.files[0].filename, "");
    assert_int_equal(p.files[0].len, 0);
    assert_string_equal(form_get(&p.fields, "empty"), "");
    arena_release(&p.arena);
}

static void a_body_with_no_parts(void **state)
{
    (void)state;
    struct parsed p;
    assert_true(parse_text(&p, TYPE, "--XyZ--\r\n"));
    assert_int_equal(p.fields.count, 0);
    assert_int_equal(p.file_count, 0);
    arena_release(&p.arena);
}

static void recognises_the_content_type(void **state)
{
    (void)state;
    assert_true(multipart_is_form_data(STR_LIT("multipart/form-data; boundary=x")));
    assert_true(multipart_is_form_data(STR_LIT(" MULTIPART/FORM-DATA ")));
    assert_false(multipart_is_form_data(STR_LIT("multipart/mixed; boundary=x")));
    assert_false(multipart_is_form_data(STR_LIT("application/x-www-form-urlencoded")));
    assert_false(multipart_is_form_data(STR_LIT("")));
}

static void refuses_bad_content_types(void **state)
{
    (void)state;
    const char *body = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ--";
    const char *types[] = {
        "multipart/form-data",                 /* no boundary */
        "multipart/form-data; boundary=",      /* empty */
        "multipart/form-data; boundary=\"XyZ", /* unterminated quote */
        "multipart/mixed; boundary=XyZ",
        "multipart/form-data; boundary=XyZ junk",
        "multipart/form-data; boundary=0123456789012345678901234567890123456789012345678901234567890123456789X",
        "text/plain",
    };
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        struct parsed p;
        assert_false(parse_text(&p, types[i], body));
        arena_release(&p.arena);
    }
    struct parsed p;
    assert_true(parse_text(&p, TYPE, body)); /* the same body is fine with a good type */
    arena_release(&p.arena);
}

static void refuses_malformed_bodies(void **state)
{
    (void)state;
    const char *bodies[] = {
        "",
        "no delimiter at all",
        "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1",                  /* unterminated */
        "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ",         /* no close */
        "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n1\r\n--XyZ--",           /* no blank line */
        "--XyZ\r\nContent-Type: text/plain\r\n\r\n1\r\n--XyZ--",                         /* no disposition */
        "--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n1\r\n--XyZ--",      /* not form-data */
        "--XyZ\r\nContent-Disposition: form-data\r\n\r\n1\r\n--XyZ--",                   /* no name */
        "--XyZ\r\nContent-Disposition: form-data; name=\"\"\r\n\r\n1\r\n--XyZ--",        /* empty name */
        "--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\n1\r\n--XyZ--",         /* open quote */
        "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\nX: y\r\n\r\n1\r\n--XyZ--", /* bare LF */
        "--XyZ\r\nno colon here\r\n\r\n1\r\n--XyZ--",                                    /* bad header */
        "--XyZ\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ--",         /* LF after delimiter */
        "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZjunk\r\n", /* boundary prefix */
    };
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        struct parsed p;
        if (parse_text(&p, TYPE, bodies[i]))
            fail_msg("accepted body %zu: %s", i, bodies[i]);
        arena_release(&p.arena);
    }
}

static void refuses_nul_in_text_fields(void **state)
{
    (void)state;
    static const char body[] = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\0y\r\n--XyZ--";
    struct parsed p;
    assert_false(parse(&p, TYPE, body, sizeof(body) - 1));
    arena_release(&p.arena);
}

/* A body of n text parts. */
static char *many_parts(size_t n, size_t *len)
{
    static const char part[] = "--XyZ\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nv\r\n";
    size_t size = n * (sizeof(part) - 1) + 8;
    char *body = malloc(size + 1);
    assert_non_null(body);
    size_t at = 0;
    for (size_t i = 0; i < n; i++, at += sizeof(part) - 1)
        memcpy(body + at, part, sizeof(part) - 1);
    memcpy(body + at, "--XyZ--", 7);
    *len = at + 7;
    return body;
}

static void at_most_64_parts(void **state)
{
    (void)state;
    size_t len;
    char *body = many_parts(MULTIPART_MAX_PARTS, &len);
    struct parsed p;
    assert_true(parse(&p, TYPE, body, len));
    assert_int_equal(p.fields.count, MULTIPART_MAX_PARTS);
    arena_release(&p.arena);
    free(body);
    body = many_parts(MULTIPART_MAX_PARTS + 1, &len);
    assert_false(parse(&p, TYPE, body, len));
    arena_release(&p.arena);
    free(body);
}

static void refuses_huge_part_headers(void **state)
{
    (void)state;
    size_t filler = 10000;
    const char *head = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Filler: ";
    const char *tail = "\r\n\r\n1\r\n--XyZ--";
    size_t len = strlen(head) + filler + strlen(tail);
    char *body = malloc(len);
    assert_non_null(body);
    memcpy(body, head, strlen(head));
    memset(body + strlen(head), 'x', filler);
    memcpy(body + strlen(head) + filler, tail, strlen(tail));
    struct parsed p;
    assert_false(parse(&p, TYPE, body, len));
    arena_release(&p.arena);
    free(body);
}

/* Every truncation of a good body is refused, without reading past its end (ASan checks). */
static void truncations_never_overrun(void **state)
{
    (void)state;
    static const char body[] = "--XyZ\r\n"
                               "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
                               "1\r\n"
                               "--XyZ\r\n"
                               "Content-Disposition: form-data; name=\"f\"; filename=\"x.csv\"\r\n\r\n"
                               "data\r\n"
                               "--XyZ--";
    for (size_t n = 0; n < sizeof(body) - 1; n++) {
        char *copy = malloc(n ? n : 1);
        assert_non_null(copy);
        memcpy(copy, body, n);
        struct parsed p;
        bool ok = parse(&p, TYPE, copy, n);
        assert_false(ok);
        arena_release(&p.arena);
        free(copy);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_text_fields_and_a_file),
        cmocka_unit_test(quoted_boundary_preamble_padding_and_empty_file),
        cmocka_unit_test(a_body_with_no_parts),
        cmocka_unit_test(recognises_the_content_type),
        cmocka_unit_test(refuses_bad_content_types),
        cmocka_unit_test(refuses_malformed_bodies),
        cmocka_unit_test(refuses_nul_in_text_fields),
        cmocka_unit_test(at_most_64_parts),
        cmocka_unit_test(refuses_huge_part_headers),
        cmocka_unit_test(truncations_never_overrun),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
