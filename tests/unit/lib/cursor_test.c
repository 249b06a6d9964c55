/*
 * Cursors: every position survives the trip through a URL, and nothing else is read as one.
 */
#include "../test_support.h"

#include "lib/cursor.h"

#include <string.h>

static void positions_survive_the_trip(void **state)
{
    (void)state;
    struct arena arena = ARENA_INIT;
    const struct cursor cases[] = {
        {.key = CURSOR_ID, .id = 42},
        {.key = CURSOR_NUMBER, .number = -1799571600, .id = 7},
        {.key = CURSOR_NUMBER, .number = 0, .id = 0},
        {.key = CURSOR_TEXT, .text = "o'brien: anne/?&=", .id = 9},
        {.key = CURSOR_TEXT, .text = "", .id = 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *text = cursor_encode(&cases[i], &arena);
        assert_non_null(text);
        assert_int_equal(strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                         strlen(text));
        struct cursor back;
        assert_true(cursor_decode(text, &arena, &back));
        assert_int_equal(back.key, cases[i].key);
        assert_int_equal(back.id, cases[i].id);
        assert_int_equal(back.number, cases[i].number);
        if (cases[i].key == CURSOR_TEXT)
            assert_string_equal(back.text, cases[i].text);
    }
    arena_release(&arena);
}

/* base64url without padding of the plain text. */
static const char *encoded(struct arena *arena, const char *plain)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t len = strlen(plain);
    char *out = arena_alloc(arena, len * 2 + 4);
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned char)plain[i] << 16;
        if (i + 1 < len)
            v |= (unsigned char)plain[i + 1] << 8;
        if (i + 2 < len)
            v |= (unsigned char)plain[i + 2];
        out[o++] = alphabet[(v >> 18) & 63];
        out[o++] = alphabet[(v >> 12) & 63];
        if (i + 1 < len)
            out[o++] = alphabet[(v >> 6) & 63];
        if (i + 2 < len)
            out[o++] = alphabet[v & 63];
    }
    out[o] = '\0';
    return out;
}

static void anything_else_is_refused(void **state)
{
    (void)state;
    struct arena arena = ARENA_INIT;
    struct cursor c;
    /* The helper agrees with the encoder, so the refusals below are of the contents. */
    assert_true(cursor_decode(encoded(&arena, "i:42"), &arena, &c));
    assert_int_equal(c.id, 42);
    const char *bad_plain[] = {"i:",  "i:-1", "i:042",  "i:+4",    "i:4x", "x:4",      "i4",
                               "n:5", "n:5:", "n:-0:1", "n:1:2:3", "t:1",  "t:x:name", "n:99999999999999999999:1"};
    for (size_t i = 0; i < sizeof(bad_plain) / sizeof(bad_plain[0]); i++) {
        assert_false(cursor_decode(encoded(&arena, bad_plain[i]), &arena, &c));
        assert_int_equal(c.key, CURSOR_NONE);
    }
    const char *bad_text[] = {"", "garbage!", "aTo0Mg==", "aTo0Mg=", "a To0Mg", "%69%3A42"};
    for (size_t i = 0; i < sizeof(bad_text) / sizeof(bad_text[0]); i++)
        assert_false(cursor_decode(bad_text[i], &arena, &c));
    assert_false(cursor_decode(NULL, &arena, &c));
    char *huge = arena_alloc(&arena, 4096);
    memset(huge, 'A', 4095);
    assert_false(cursor_decode(huge, &arena, &c));
    arena_release(&arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(positions_survive_the_trip),
        cmocka_unit_test(anything_else_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
