/*
 * The content library's rules at their boundaries: kinds read both ways, what a version must hold
 * (a title of 1 to 200 characters, 1 to 600 minutes, https media links, captions only for what
 * plays, a change note for every version after the first), partners' variants, tags read against
 * the real default catalogue (modules, areas, learn-that and learn-how-to statements that exist and
 * those that do not), the "updated" mark, what comes next, and the hours a completion suggests.
 * Refusals are asserted by their field and key words, so a wrong or silent message fails.
 */
#include "../test_support.h"

#include "domain/catalogue_json.h"
#include "domain/content.h"

#include <stdio.h>

static struct catalogue *catalogue;

static int parse_default(void **state)
{
    (void)state;
    const struct embedded_file *f = test_default_catalogue();
    struct errors errors = ERRORS_INIT;
    catalogue = catalogue_json_parse((const char *)f->data, f->size, &errors);
    errors_free(&errors);
    return catalogue == NULL ? -1 : 0;
}

static int free_default(void **state)
{
    (void)state;
    catalogue_free(catalogue);
    return 0;
}

static void expect_error_at(const struct errors *errors, const char *where, const char *word)
{
    for (size_t i = 0; i < errors->count; i++)
        if (strcmp(errors->items[i].where, where) == 0 && strstr(errors->items[i].message, word) != NULL)
            return;
    fprintf(stderr, "expected an error at %s with \"%s\"\n", where, word);
    for (size_t i = 0; i < errors->count; i++)
        fprintf(stderr, "  got %s: %s\n", errors->items[i].where, errors->items[i].message);
    fail();
}

static struct content_input reading(void)
{
    return (struct content_input){.kind = CONTENT_READING, .title = "Cognitive load", .body = "# Read", .minutes = 20};
}

static void kinds_read_both_ways(void **state)
{
    (void)state;
    for (int k = 0; k < CONTENT_KIND_COUNT; k++) {
        enum content_kind back = CONTENT_KIND_COUNT;
        assert_true(content_kind_parse(content_kind_name((enum content_kind)k), &back));
        assert_int_equal(back, k);
        assert_true(strlen(content_kind_title((enum content_kind)k)) > 0);
    }
    enum content_kind kind = CONTENT_AUDIO;
    assert_false(content_kind_parse("podcast", &kind));
    assert_false(content_kind_parse(NULL, &kind));
    assert_int_equal(kind, CONTENT_AUDIO);
    assert_string_equal(content_kind_name(CONTENT_TOOL), "tool_or_template");
    assert_string_equal(content_kind_name(CONTENT_KIND_COUNT), "");
    assert_true(content_kind_plays(CONTENT_VIDEO));
    assert_true(content_kind_plays(CONTENT_AUDIO));
    assert_false(content_kind_plays(CONTENT_CASE_STUDY));
}

static void a_title_is_1_to_200_characters_on_one_line(void **state)
{
    (void)state;
    struct content_input in = reading();
    struct errors errors = ERRORS_INIT;
    assert_true(content_input_check(&in, false, &errors));
    char title[410];
    memset(title, 0, sizeof(title));
    for (int i = 0; i < 200; i++)
        strcat(title, "\xc3\xa9"); /* 200 characters, 400 bytes */
    in.title = title;
    assert_true(content_input_check(&in, false, &errors));
    strcat(title, "e");
    assert_false(content_input_check(&in, false, &errors));
    expect_error_at(&errors, "title", "200 characters");
    errors_free(&errors);
    in.title = "  ";
    assert_false(content_input_check(&in, false, &errors));
    expect_error_at(&errors, "title", "Enter a title");
    errors_free(&errors);
    in.title = "Plan\xe2\x80\xae"
               "fdp";
    assert_false(content_input_check(&in, false, &errors));
    expect_error_at(&errors, "title", "one line");
    errors_free(&errors);
}

static void the_time_is_1_to_600_minutes(void **state)
{
    (void)state;
    struct content_input in = reading();
    struct errors errors = ERRORS_INIT;
    in.minutes = 1;
    assert_true(content_input_check(&in, false, &errors));
    in.minutes = 600;
    assert_true(content_input_check(&in, false, &errors));
    in.minutes = 0;
    assert_false(content_input_check(&in, false, &errors));
    expect_error_at(&errors, "minutes", "minutes");
    errors_free(&errors);
    in.minutes = 601;
    assert_false(content_input_check(&in, false, &errors));
    expect_error_at(&errors, "minutes", "600");
    errors_free(&errors);
}

static void video_and_audio_need_an_https_link_and_only_they_have_captions(void **state)
{
    (void)state;
    struct content_input in = reading();
    in.kind = CONTENT_VIDEO;
    struct errors errors = ERRORS_INIT;
    assert_false(content_input_check(&in, false, &errors));
    expect_error_at(&errors, "media_url", "video");
    errors_free(&errors);
    in.media_url = "http://media.example.org/a.mp4";
    assert_false(content_input_check(&in, false, &errors));
    expect_error_at(&errors, "media_url", "https://");
    errors_free(&errors);
    in.media_url = "javascript:alert(1)";
    assert_false(content_input_check(&in, false, &errors));
    errors_free(&errors);
    in.media_url = "https://media.example.org/a\".mp4";
    assert_false(content_input_check(&in, false, &errors));
    errors_free(&errors);
    in.media_url = "https://media.example.org/a.mp4";
    in.captions_url = "https://media.example.org/a.vtt";
    assert_true(content_input_check(&in, false, &errors));
    in.captions_url = "ftp://media.example.org/a.vtt";
    assert_false(content_input_check(&in, false, &errors));
    expect_error_at(&errors, "captions_url", "https://");
    errors_free(&errors);
    in = reading();
    in.captions_url = "https://media.example.org/a.vtt";
    assert_false(content_input_check(&in, false, &errors));
    expect_error_at(&errors, "captions_url", "video or audio");
    errors_free(&errors);
    in.captions_url = NULL;
    in.media_url = "https://example.org/paper.pdf"; /* a reading may link out */
    assert_true(content_input_check(&in, false, &errors));
}

static void a_new_version_says_what_changed(void **state)
{
    (void)state;
    struct content_input in = reading();
    struct errors errors = ERRORS_INIT;
    assert_true(content_input_check(&in, false, &errors));
    assert_false(content_input_check(&in, true, &errors));
    expect_error_at(&errors, "change_note", "what changed");
    errors_free(&errors);
    in.change_note = "Updated for the 2026 guidance";
    assert_true(content_input_check(&in, true, &errors));
    char note[502];
    memset(note, 'n', 501);
    note[501] = '\0';
    in.change_note = note;
    assert_false(content_input_check(&in, true, &errors));
    expect_error_at(&errors, "change_note", "500");
    errors_free(&errors);
}

static void a_variant_has_a_title_and_local_text(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    assert_true(content_variant_check("Local contacts", "Call the North West hub", NULL, false, &errors));
    assert_false(content_variant_check("Local contacts", "", NULL, false, &errors));
    expect_error_at(&errors, "body", "local text");
    errors_free(&errors);
    assert_false(content_variant_check("", "Text", NULL, false, &errors));
    expect_error_at(&errors, "title", "Enter a title");
    errors_free(&errors);
    assert_false(content_variant_check("Local", "Text", "", true, &errors));
    expect_error_at(&errors, "change_note", "what changed");
    errors_free(&errors);
}

static void round_trip(const char *text, const char *canonical)
{
    struct content_tag tag;
    struct errors errors = ERRORS_INIT;
    if (!content_tag_parse(catalogue, text, &tag, &errors, "tags")) {
        fprintf(stderr, "refused %s: %s\n", text, errors.count ? errors.items[0].message : "");
        fail();
    }
    char out[CONTENT_TAG_MAX];
    content_tag_format(&tag, out, sizeof(out));
    assert_string_equal(out, canonical);
    char prefix[64];
    assert_non_null(content_tag_describe(catalogue, &tag, prefix, sizeof(prefix)));
    errors_free(&errors);
}

static void tags_name_modules_areas_and_statements_of_the_catalogue(void **state)
{
    (void)state;
    round_trip("module:leading-teaching", "module:leading-teaching");
    round_trip("module:LEADING-TEACHING", "module:leading-teaching");
    round_trip("area:npqsl/3", "area:npqsl/3");
    round_trip("Statement:NPQSL/3/learn-that/6", "statement:npqsl/3/learn-that/6");
    round_trip("statement:npqsl/3/learn-how-to/4", "statement:npqsl/3/learn-how-to/4");
    struct content_tag tag;
    struct errors errors = ERRORS_INIT;
    assert_true(content_tag_parse(catalogue, "statement:npqsl/1/learn-that/2", &tag, &errors, "tags"));
    char prefix[64];
    const char *text = content_tag_describe(catalogue, &tag, prefix, sizeof(prefix));
    assert_string_equal(prefix, "Learn that 1.2: ");
    assert_non_null(text);
    assert_true(content_tag_parse(catalogue, "area:npqsl/3", &tag, &errors, "tags"));
    assert_string_equal(content_tag_describe(catalogue, &tag, prefix, sizeof(prefix)), "Curriculum and Assessment");
}

static void tags_outside_the_catalogue_are_refused(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *word;
    } cases[] = {
        {"module:basket-weaving", "no module"},
        {"area:npqxx/1", "no framework"},
        {"area:npqsl/99", "no area"},
        {"area:npqsl/3/", "area:npqsl/3"},
        {"statement:npqsl/3/learn-that/7", "no learn-that statement 7"},     /* area 3 has six */
        {"statement:npqsl/3/learn-how-to/5", "no learn-how-to statement 5"}, /* and four */
        {"statement:npqsl/3/learn-why/1", "learn-that or learn-how-to"},
        {"statement:npqsl/3/learn-that/", "its number"},
        {"statement:npqsl/3/learn-that/1x", "its number"},
        {"leading-teaching", "Write a tag as"},
        {"topic:behaviour", "Write a tag as"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct content_tag tag;
        struct errors errors = ERRORS_INIT;
        if (content_tag_parse(catalogue, cases[i].text, &tag, &errors, "tags")) {
            fprintf(stderr, "accepted %s\n", cases[i].text);
            fail();
        }
        expect_error_at(&errors, "tags", cases[i].word);
        errors_free(&errors);
    }
}

static void a_completion_is_outdated_when_the_item_or_its_variant_moves_on(void **state)
{
    (void)state;
    assert_false(content_completion_outdated(2, 0, 2, 0));
    assert_true(content_completion_outdated(1, 0, 2, 0));
    assert_true(content_completion_outdated(2, 0, 2, 1)); /* a variant made since */
    assert_true(content_completion_outdated(2, 1, 2, 2));
    assert_false(content_completion_outdated(2, 3, 2, 3));
}

static void the_next_step_is_the_first_not_done_or_changed_since(void **state)
{
    (void)state;
    struct content_step steps[] = {{true, false}, {false, false}, {false, false}};
    assert_int_equal(content_next_step(steps, 3), 1);
    steps[1].done = steps[2].done = true;
    assert_int_equal(content_next_step(steps, 3), -1);
    steps[0].outdated = true;
    assert_int_equal(content_next_step(steps, 3), 0);
    assert_int_equal(content_next_step(steps, 0), -1);
}

static void a_completion_suggests_quarter_hours_up_to_an_entrys_limit(void **state)
{
    (void)state;
    assert_int_equal(content_suggested_quarter_hours(1), 1);
    assert_int_equal(content_suggested_quarter_hours(15), 1);
    assert_int_equal(content_suggested_quarter_hours(16), 2);
    assert_int_equal(content_suggested_quarter_hours(90), 6);
    assert_int_equal(content_suggested_quarter_hours(600), 40);
    assert_int_equal(content_suggested_quarter_hours(721), 48);
    assert_int_equal(content_activity_of(CONTENT_READING), DELIVERY_ACTIVITY_READING);
    assert_int_equal(content_activity_of(CONTENT_VIDEO), DELIVERY_ACTIVITY_ONLINE_LEARNING);
    assert_int_equal(content_activity_of(CONTENT_ACTIVITY), DELIVERY_ACTIVITY_WORKPLACE_LEARNING);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kinds_read_both_ways),
        cmocka_unit_test(a_title_is_1_to_200_characters_on_one_line),
        cmocka_unit_test(the_time_is_1_to_600_minutes),
        cmocka_unit_test(video_and_audio_need_an_https_link_and_only_they_have_captions),
        cmocka_unit_test(a_new_version_says_what_changed),
        cmocka_unit_test(a_variant_has_a_title_and_local_text),
        cmocka_unit_test(tags_name_modules_areas_and_statements_of_the_catalogue),
        cmocka_unit_test(tags_outside_the_catalogue_are_refused),
        cmocka_unit_test(a_completion_is_outdated_when_the_item_or_its_variant_moves_on),
        cmocka_unit_test(the_next_step_is_the_first_not_done_or_changed_since),
        cmocka_unit_test(a_completion_suggests_quarter_hours_up_to_an_entrys_limit),
    };
    return cmocka_run_group_tests(tests, parse_default, free_default);
}
