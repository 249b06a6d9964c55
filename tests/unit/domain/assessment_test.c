/*
 * Assessment and award as rules, against the real default catalogue: tasks at every limit, words
 * counted as people count them (and safely on broken UTF-8), who may submit when, markings that
 * agree with their criteria, who may mark whom, the moderation sample, the award rule and its
 * sentence, and certificate numbers with their check digit.
 */
#include "../test_support.h"

#include "domain/assessment.h"
#include "domain/catalogue_json.h"

#include <stdio.h>
#include <stdlib.h>

static struct catalogue *catalogue;

static int parse_default(void **state)
{
    (void)state;
    const struct embedded_file *f = test_default_catalogue();
    struct errors errors = ERRORS_INIT;
    catalogue = catalogue_json_parse((const char *)f->data, f->size, &errors);
    for (size_t i = 0; i < errors.count; i++)
        fprintf(stderr, "%s: %s\n", errors.items[i].where, errors.items[i].message);
    errors_free(&errors);
    return catalogue == NULL ? -1 : 0;
}

static int free_default(void **state)
{
    (void)state;
    catalogue_free(catalogue);
    catalogue = NULL;
    return 0;
}

static const struct catalogue_qualification *qualification(const char *code)
{
    const struct catalogue_qualification *q = catalogue_qualification_find(catalogue, code, strlen(code));
    assert_non_null(q);
    return q;
}

static void print_errors(const struct errors *errors)
{
    for (size_t i = 0; i < errors->count; i++)
        fprintf(stderr, "  got %s: %s\n", errors->items[i].where, errors->items[i].message);
}

/* Asserts that some error is at where and its message contains the words. */
static void expect_error_at(const struct errors *errors, const char *where, const char *words)
{
    for (size_t i = 0; i < errors->count; i++)
        if (strcmp(errors->items[i].where, where) == 0 && strstr(errors->items[i].message, words) != NULL)
            return;
    fprintf(stderr, "expected an error at %s with \"%s\"\n", where, words);
    print_errors(errors);
    fail();
}

static void expect_error_count(const struct errors *errors, size_t count)
{
    if (errors->count != count) {
        fprintf(stderr, "expected %zu error(s), got %zu\n", count, errors->count);
        print_errors(errors);
    }
    assert_int_equal(errors->count, count);
}

/* Every message is a sentence: it ends with a full stop. */
static void expect_sentences(const struct errors *errors)
{
    for (size_t i = 0; i < errors->count; i++) {
        size_t len = strlen(errors->items[i].message);
        if (len == 0 || errors->items[i].message[len - 1] != '.') {
            fprintf(stderr, "not a sentence: %s\n", errors->items[i].message);
            fail();
        }
    }
}

/* An error list with no room left, to show that a check refuses without adding anything. */
static void fill_errors(struct errors *errors)
{
    for (int i = 0; i < ERRORS_MAX; i++)
        errors_add(errors, "earlier", "An earlier problem.");
    assert_int_equal(errors->count, ERRORS_MAX);
}

/* Text of n copies of s. The caller frees it. */
static char *repeat(const char *s, size_t n)
{
    size_t len = strlen(s);
    char *out = malloc(len * n + 1);
    assert_non_null(out);
    for (size_t i = 0; i < n; i++)
        memcpy(out + i * len, s, len);
    out[len * n] = '\0';
    return out;
}

/* Tasks */

static const char *two_criteria[] = {"Analyses the school's data", "Evaluates the impact of the change"};

static struct task_input module_task(void)
{
    return (struct task_input){
        .kind = TASK_MODULE,
        .target = "closing-the-gap",
        .title = "Closing the gap: a case study",
        .brief = "Write about **one** intervention.",
        .deadline = 1800000000,
        .word_limit = 2000,
        .max_resubmissions = 1,
        .moderation_percent = 20,
        .max_file_bytes = TASK_FILE_BYTES_DEFAULT,
        .criteria = two_criteria,
        .criteria_count = 2,
    };
}

static bool task_ok(struct task_input *task, struct errors *errors)
{
    bool ok = assessment_task_check(catalogue, task, errors);
    expect_sentences(errors);
    if (ok)
        expect_error_count(errors, 0);
    else
        assert_true(errors->count > 0);
    return ok;
}

static void a_module_task_takes_the_catalogue_spelling(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    struct task_input task = module_task();
    task.target = "Closing-The-GAP";
    assert_true(task_ok(&task, &errors));
    assert_string_equal(task.target, "closing-the-gap");
    errors_free(&errors);
}

static void a_module_task_needs_a_module(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    struct task_input task = module_task();
    task.target = "no-such-module";
    assert_false(task_ok(&task, &errors));
    expect_error_at(&errors, "target", "There is no module called no-such-module.");
    assert_string_equal(task.target, "no-such-module");
    errors_free(&errors);

    task.target = "NPQSL"; /* a qualification is not a module */
    assert_false(task_ok(&task, &errors));
    expect_error_at(&errors, "target", "no module called NPQSL");
    errors_free(&errors);

    task.target = NULL;
    assert_false(task_ok(&task, &errors));
    expect_error_at(&errors, "target", "Choose the module");
    errors_free(&errors);

    task.target = "  ";
    assert_false(task_ok(&task, &errors));
    expect_error_at(&errors, "target", "Choose the module");
    errors_free(&errors);
}

static void a_final_assessment_only_where_the_rule_asks_for_one(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    struct task_input task = module_task();
    task.kind = TASK_FINAL;
    task.target = "npqsl";
    assert_true(task_ok(&task, &errors));
    assert_string_equal(task.target, "NPQSL");
    errors_free(&errors);

    task.target = "NPQML";
    assert_false(task_ok(&task, &errors));
    expect_error_at(&errors, "target", "The NPQML has no final assessment.");
    expect_error_count(&errors, 1);
    errors_free(&errors);

    task.target = "closing-the-gap"; /* a module is not a qualification */
    assert_false(task_ok(&task, &errors));
    expect_error_at(&errors, "target", "There is no qualification called closing-the-gap.");
    errors_free(&errors);

    task.target = "";
    assert_false(task_ok(&task, &errors));
    expect_error_at(&errors, "target", "Choose the qualification");
    errors_free(&errors);

    task.kind = (enum task_kind)7;
    task.target = "NPQSL";
    assert_false(task_ok(&task, &errors));
    expect_error_at(&errors, "kind", "module or is a final assessment");
    errors_free(&errors);
}

static void a_task_title_has_1_to_200_characters(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    struct task_input task = module_task();
    task.title = " \t";
    assert_false(task_ok(&task, &errors));
    expect_error_at(&errors, "title", "Enter a title");
    errors_free(&errors);

    task.title = NULL;
    assert_false(task_ok(&task, &errors));
    expect_error_at(&errors, "title", "Enter a title");
    errors_free(&errors);

    /* Characters, not bytes: 200 two-byte letters are 400 bytes and still fit. */
    char *title = repeat("\xc3\xa9", 200);
    task.title = title;
    assert_true(task_ok(&task, &errors));
    errors_free(&errors);
    free(title);

    title = repeat("a", 201);
    task.title = title;
    assert_false(task_ok(&task, &errors));
    expect_error_at(&errors, "title", "200 characters or fewer. It has 201.");
    errors_free(&errors);
    free(title);
}

static void a_brief_has_at_most_20000_bytes(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    struct task_input task = module_task();
    task.brief = NULL;
    assert_true(task_ok(&task, &errors));
    task.brief = "";
    assert_true(task_ok(&task, &errors));

    char *brief = repeat("x", 20000);
    task.brief = brief;
    assert_true(task_ok(&task, &errors));
    free(brief);

    brief = repeat("x", 20001);
    task.brief = brief;
    assert_false(task_ok(&task, &errors));
    expect_error_at(&errors, "brief", "20,000 bytes or fewer");
    errors_free(&errors);
    free(brief);
}

static void a_task_needs_a_deadline(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    struct task_input task = module_task();
    task.deadline = 0;
    assert_false(task_ok(&task, &errors));
    expect_error_at(&errors, "deadline", "Enter the deadline");
    errors_free(&errors);
    task.deadline = -5;
    assert_false(task_ok(&task, &errors));
    errors_free(&errors);
    task.deadline = 1;
    assert_true(task_ok(&task, &errors));
}

static void task_limits_at_their_boundaries(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    static const struct {
        int word_limit, max_resubmissions, moderation_percent;
        const char *field; /* NULL: accepted */
        const char *words;
    } cases[] = {
        {0, 1, 20, NULL, NULL},
        {20000, 1, 20, NULL, NULL},
        {20001, 1, 20, "word_limit", "between 0 (no limit) and 20,000."},
        {-1, 1, 20, "word_limit", "between 0 (no limit) and 20,000."},
        {2000, 0, 20, NULL, NULL},
        {2000, 5, 20, NULL, NULL},
        {2000, 6, 20, "max_resubmissions", "between 0 and 5 resubmissions"},
        {2000, -1, 20, "max_resubmissions", "between 0 and 5 resubmissions"},
        {2000, 1, 0, NULL, NULL},
        {2000, 1, 100, NULL, NULL},
        {2000, 1, 101, "moderation_percent", "between 0 and 100 percent"},
        {2000, 1, -1, "moderation_percent", "between 0 and 100 percent"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct task_input task = module_task();
        task.word_limit = cases[i].word_limit;
        task.max_resubmissions = cases[i].max_resubmissions;
        task.moderation_percent = cases[i].moderation_percent;
        bool ok = task_ok(&task, &errors);
        if (cases[i].field == NULL) {
            assert_true(ok);
        } else {
            assert_false(ok);
            expect_error_count(&errors, 1);
            expect_error_at(&errors, cases[i].field, cases[i].words);
        }
        errors_free(&errors);
    }
    /* The largest file a participant may attach: more than nothing, at most 1 GiB. */
    static const struct {
        int64_t bytes;
        bool ok;
    } files[] = {{1, true},
                 {TASK_FILE_BYTES_DEFAULT, true},
                 {TASK_FILE_BYTES_MAX, true},
                 {TASK_FILE_BYTES_MAX + 1, false},
                 {0, false},
                 {-1, false}};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        struct task_input task = module_task();
        task.max_file_bytes = files[i].bytes;
        assert_int_equal(task_ok(&task, &errors), files[i].ok);
        if (!files[i].ok) {
            expect_error_count(&errors, 1);
            expect_error_at(&errors, "max_file_bytes", "more than 0 and at most 1 GiB.");
        }
        errors_free(&errors);
    }
}

static void a_task_has_1_to_20_criteria_with_titles(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    const char *criteria[ASSESSMENT_MAX_CRITERIA + 1];
    for (size_t i = 0; i < ASSESSMENT_MAX_CRITERIA + 1; i++)
        criteria[i] = "Uses evidence";
    struct task_input task = module_task();
    task.criteria = criteria;

    task.criteria_count = 0;
    assert_false(task_ok(&task, &errors));
    expect_error_at(&errors, "criteria", "at least 1 criterion");
    errors_free(&errors);

    task.criteria_count = 1;
    assert_true(task_ok(&task, &errors));
    task.criteria_count = 20;
    assert_true(task_ok(&task, &errors));

    task.criteria_count = 21;
    assert_false(task_ok(&task, &errors));
    expect_error_at(&errors, "criteria", "at most 20 criteria. This one has 21.");
    errors_free(&errors);

    task.criteria_count = 3;
    criteria[1] = " \n";
    assert_false(task_ok(&task, &errors));
    expect_error_at(&errors, "criteria", "Criterion 2 needs a title.");
    expect_error_count(&errors, 1);
    errors_free(&errors);
    criteria[1] = NULL;
    assert_false(task_ok(&task, &errors));
    expect_error_at(&errors, "criteria", "Criterion 2 needs a title.");
    errors_free(&errors);

    char *long_title = repeat("b", 200);
    criteria[1] = long_title;
    assert_true(task_ok(&task, &errors));
    free(long_title);
    long_title = repeat("b", 201);
    criteria[2] = long_title;
    criteria[1] = "Fine";
    assert_false(task_ok(&task, &errors));
    expect_error_at(&errors, "criteria", "criterion 3 must be 200 characters or fewer");
    errors_free(&errors);
    free(long_title);
}

static void every_task_problem_is_reported_at_once(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    struct task_input task = {.kind = TASK_FINAL,
                              .target = "NPQML",
                              .title = "",
                              .deadline = 0,
                              .word_limit = -1,
                              .max_resubmissions = 9,
                              .moderation_percent = 200,
                              .max_file_bytes = 0,
                              .criteria_count = 0};
    assert_false(task_ok(&task, &errors));
    expect_error_count(&errors, 8);
    errors_free(&errors);

    /* ok, not the length of the list, decides: a full list still refuses. */
    fill_errors(&errors);
    assert_false(assessment_task_check(catalogue, &task, &errors));
    errors_free(&errors);
    fill_errors(&errors);
    task = module_task();
    assert_true(assessment_task_check(catalogue, &task, &errors));
    errors_free(&errors);
}

/* Counting words */

/* Counts words in an exact-size copy of text, so a read past its end is caught by ASan. */
static size_t words(const char *text)
{
    size_t len = strlen(text);
    char *copy = malloc(len + 1);
    assert_non_null(copy);
    memcpy(copy, text, len + 1);
    size_t n = assessment_word_count(copy);
    free(copy);
    return n;
}

static void nothing_to_count(void **state)
{
    (void)state;
    assert_int_equal(assessment_word_count(NULL), 0);
    assert_int_equal(words(""), 0);
    assert_int_equal(words(" \t\r\n "), 0);
    assert_int_equal(words("... -- ' ! ? , ; : () \"\" --- '' -'-"), 0);
}

static void apostrophes_and_hyphens_join_inside_words(void **state)
{
    (void)state;
    assert_int_equal(words("don't"), 1);
    assert_int_equal(words("well-known"), 1);
    assert_int_equal(words("a well-known head's view, isn't it?"), 6);
    assert_int_equal(words("mother-in-law's"), 1);
    /* At either end they are punctuation. */
    assert_int_equal(words("'quoted' -dashed- teachers'"), 3);
    assert_int_equal(words("before - after"), 2);
    assert_int_equal(words("before--after"), 2);
    assert_int_equal(words("before -- after"), 2);
    /* The typographic apostrophe joins too. */
    assert_int_equal(words("don\xe2\x80\x99t"), 1);
    assert_int_equal(words("\xe2\x80\x98quoted\xe2\x80\x99"), 1);
    assert_int_equal(words("teachers\xe2\x80\x99 views"), 2);
    assert_int_equal(words("\xe2\x80\x99 \xe2\x80\x90 \xe2\x80\x91"), 0);
    assert_int_equal(words("well\xe2\x80\x90known"), 1);
}

static void numbers_are_words(void **state)
{
    (void)state;
    assert_int_equal(words("In 2024 we ran 3 cohorts"), 6);
    assert_int_equal(words("Year-7 pupils"), 2);
    assert_int_equal(words("2,150"), 2); /* a comma separates, as any punctuation does */
    assert_int_equal(words("3.5"), 2);
}

static void separators_are_any_spacing_or_punctuation(void **state)
{
    (void)state;
    assert_int_equal(words("one\ntwo\tthree\r\nfour"), 4);
    assert_int_equal(words("one,two;three.four/five"), 5);
    assert_int_equal(words("  leading and trailing  "), 3);
    /* A no-break space pasted from a word processor is still a space. */
    assert_int_equal(words("two\xc2\xa0words"), 2);
    assert_int_equal(words("ideographic\xe3\x80\x80space"), 2);
    /* So is punctuation beyond ASCII: dashes, quotation marks, an ellipsis. */
    assert_int_equal(words("before \xe2\x80\x93 after"), 2);
    assert_int_equal(words("before\xe2\x80\x94"
                           "after"),
                     2);
    assert_int_equal(words("\xe2\x80\x9cquoted\xe2\x80\x9d \xc2\xab"
                           "cit\xc3\xa9\xc2\xbb"),
                     2);
    assert_int_equal(words("Wait\xe2\x80\xa6 \xe2\x80\x94 \xe2\x80\xa6"), 1);
}

static void letters_of_any_script_make_words(void **state)
{
    (void)state;
    assert_int_equal(words("Si\xc3\xa2n's caf\xc3\xa9"), 2);
    assert_int_equal(words("\xc3\xa9t\xc3\xa9"), 1);
    assert_int_equal(words("\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 \xd0\xbc\xd0\xb8\xd1\x80"), 2);
    assert_int_equal(words("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88"), 2);
}

static void an_emoji_counts_as_a_letter(void **state)
{
    (void)state;
    assert_int_equal(words("Great work \xf0\x9f\x8e\x89"), 3);
    assert_int_equal(words("great\xf0\x9f\x8e\x89"), 1);
    /* Joined by zero-width joiners, a family is one emoji. */
    assert_int_equal(words("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7"), 1);
    assert_int_equal(words("\xf0\x9f\x8e\x89 \xf0\x9f\x8e\x89"), 2);
}

static void broken_utf8_is_counted_without_reading_past_the_end(void **state)
{
    (void)state;
    /* Sequences cut short at the very end. */
    assert_int_equal(words("word \xc3"), 2);
    assert_int_equal(words("word\xe2\x82"), 1);
    assert_int_equal(words("word \xf0\x9f\x8e"), 2);
    assert_int_equal(words("\xf0"), 1);
    /* Cut short before an ASCII character, which is read afresh. */
    assert_int_equal(words("a\xc3 b"), 2);
    assert_int_equal(words("\xe2\x82 b"), 2);
    /* Bytes that start nothing. */
    assert_int_equal(words("\x80\x80"), 1);
    assert_int_equal(words("\xff \xfe \xc0\xaf"), 3);
}

/* Submitting */

static struct submission_facts first_submission(void)
{
    return (struct submission_facts){
        .state = SUBMISSION_DRAFT,
        .versions = 0,
        .max_resubmissions = 1,
        .activity = "A reading intervention in Year 7",
        .word_count = 1500,
        .word_limit = 2000,
        .file_count = 0,
        .now = 1000,
        .deadline = 2000,
    };
}

static struct submission_facts after_release(enum mark_outcome outcome, int versions, int max_resubmissions)
{
    struct submission_facts f = first_submission();
    f.state = SUBMISSION_RELEASED;
    f.has_result = true;
    f.last_outcome = outcome;
    f.versions = versions;
    f.max_resubmissions = max_resubmissions;
    return f;
}

static bool submit(const struct submission_facts *f, bool *late, struct errors *errors)
{
    *late = !*late; /* so a test sees that it is set either way */
    bool ok = assessment_submit_check(f, late, errors);
    expect_sentences(errors);
    if (ok)
        expect_error_count(errors, 0);
    else
        assert_true(errors->count > 0);
    return ok;
}

static void a_first_submission_from_a_draft(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    bool late = true;
    struct submission_facts f = first_submission();
    assert_true(submit(&f, &late, &errors));
    assert_false(late);
}

static void submitted_or_marked_work_waits(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    bool late = false;
    struct submission_facts f = first_submission();
    f.state = SUBMISSION_SUBMITTED;
    f.versions = 1;
    assert_false(submit(&f, &late, &errors));
    expect_error_at(&errors, "state", "already been submitted and is waiting for marking.");
    errors_free(&errors);

    enum submission_state marked[] = {SUBMISSION_MARKED, SUBMISSION_MODERATED};
    for (size_t i = 0; i < 2; i++) {
        f.state = marked[i];
        assert_false(submit(&f, &late, &errors));
        expect_error_at(&errors, "state", "already been submitted");
        expect_error_count(&errors, 1);
        errors_free(&errors);
    }

    /* A version with no result yet cannot be followed by another. */
    f.state = SUBMISSION_DRAFT;
    assert_false(submit(&f, &late, &errors));
    expect_error_at(&errors, "state", "already been submitted");
    errors_free(&errors);
    f = after_release(OUTCOME_REFER, 1, 1);
    f.has_result = false;
    assert_false(submit(&f, &late, &errors));
    expect_error_at(&errors, "state", "already been submitted");
    errors_free(&errors);

    f.state = (enum submission_state)42;
    assert_false(submit(&f, &late, &errors));
    expect_error_at(&errors, "state", "cannot be submitted now");
    errors_free(&errors);
}

static void a_referral_may_be_resubmitted_while_resubmissions_remain(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    bool late = false;
    /* Released, or back to a draft while it is rewritten: either may be resubmitted. */
    struct submission_facts f = after_release(OUTCOME_REFER, 1, 1);
    assert_true(submit(&f, &late, &errors));
    f.state = SUBMISSION_DRAFT;
    assert_true(submit(&f, &late, &errors));

    f = after_release(OUTCOME_REFER, 2, 1);
    assert_false(submit(&f, &late, &errors));
    expect_error_at(&errors, "state", "You have used the 1 resubmission this task allows.");
    expect_error_count(&errors, 1);
    errors_free(&errors);

    f = after_release(OUTCOME_REFER, 2, 2);
    assert_true(submit(&f, &late, &errors));
    f = after_release(OUTCOME_REFER, 3, 2);
    f.state = SUBMISSION_DRAFT;
    assert_false(submit(&f, &late, &errors));
    expect_error_at(&errors, "state", "You have used the 2 resubmissions this task allows.");
    errors_free(&errors);

    f = after_release(OUTCOME_REFER, 1, 0);
    assert_false(submit(&f, &late, &errors));
    expect_error_at(&errors, "state", "This task allows no resubmissions.");
    errors_free(&errors);

    f = after_release(OUTCOME_REFER, 5, 5);
    assert_true(submit(&f, &late, &errors));
    f = after_release(OUTCOME_REFER, 6, 5);
    assert_false(submit(&f, &late, &errors));
    errors_free(&errors);
}

static void passed_or_failed_work_is_not_resubmitted(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    bool late = false;
    struct submission_facts f = after_release(OUTCOME_PASS, 1, 5);
    assert_false(submit(&f, &late, &errors));
    expect_error_at(&errors, "state", "passed");
    errors_free(&errors);

    f = after_release(OUTCOME_FAIL, 1, 5);
    assert_false(submit(&f, &late, &errors));
    expect_error_at(&errors, "state", "failed work cannot be resubmitted");
    errors_free(&errors);
    f.state = SUBMISSION_DRAFT;
    assert_false(submit(&f, &late, &errors));
    expect_error_at(&errors, "state", "failed");
    errors_free(&errors);
}

static void late_work_is_accepted_and_flagged(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    bool late = true;
    struct submission_facts f = first_submission();
    f.now = f.deadline;
    assert_true(submit(&f, &late, &errors));
    assert_false(late);
    f.now = f.deadline + 1;
    late = false;
    assert_true(submit(&f, &late, &errors));
    assert_true(late);
    /* Refused work still says whether it is late. */
    f.activity = "";
    late = false;
    assert_false(submit(&f, &late, &errors));
    assert_true(late);
    errors_free(&errors);
    struct submission_facts on_time = first_submission();
    assert_true(assessment_submit_check(&on_time, NULL, &errors));
}

static void work_names_its_activity(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    bool late = false;
    struct submission_facts f = first_submission();
    const char *blank[] = {NULL, "", " \n\t"};
    for (size_t i = 0; i < 3; i++) {
        f.activity = blank[i];
        assert_false(submit(&f, &late, &errors));
        expect_error_at(&errors, "activity", "Name the school-improvement activity this work is about.");
        expect_error_count(&errors, 1);
        errors_free(&errors);
    }
}

static void work_has_text_or_a_file(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    bool late = false;
    struct submission_facts f = first_submission();
    f.word_count = 0;
    assert_false(submit(&f, &late, &errors));
    expect_error_at(&errors, "text", "attach it as a file");
    errors_free(&errors);
    f.file_count = 1;
    assert_true(submit(&f, &late, &errors));
    f.file_count = 0;
    f.word_count = 1;
    assert_true(submit(&f, &late, &errors));
}

static void work_keeps_to_the_word_limit(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    bool late = false;
    struct submission_facts f = first_submission();
    f.word_count = 2000;
    assert_true(submit(&f, &late, &errors));

    f.word_count = 2001;
    assert_false(submit(&f, &late, &errors));
    expect_error_at(&errors, "text", "Your work is 2,001 words; the limit is 2,000.");
    errors_free(&errors);

    f.word_count = 2150;
    f.file_count = 2; /* a file does not excuse the text */
    assert_false(submit(&f, &late, &errors));
    expect_error_at(&errors, "text", "Your work is 2,150 words; the limit is 2,000.");
    errors_free(&errors);

    f.word_count = 1234567;
    f.word_limit = 20000;
    assert_false(submit(&f, &late, &errors));
    expect_error_at(&errors, "text", "Your work is 1,234,567 words; the limit is 20,000.");
    errors_free(&errors);

    f.word_count = 120;
    f.word_limit = 100;
    assert_false(submit(&f, &late, &errors));
    expect_error_at(&errors, "text", "Your work is 120 words; the limit is 100.");
    errors_free(&errors);

    f.word_limit = 0; /* no limit */
    f.word_count = 1000000;
    assert_true(submit(&f, &late, &errors));
}

static void every_submission_problem_is_reported_at_once(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    bool late = false;
    struct submission_facts f = after_release(OUTCOME_PASS, 1, 1);
    f.activity = NULL;
    f.word_count = 0;
    assert_false(submit(&f, &late, &errors));
    expect_error_count(&errors, 3);
    errors_free(&errors);

    fill_errors(&errors);
    assert_false(assessment_submit_check(&f, &late, &errors));
    errors_free(&errors);
}

/* Whether the work may be submitted at all is told apart from what was written: the first is the
 * work's state (a conflict), the second the participant's to fix. */
static void the_state_alone_decides_whether_work_may_be_submitted(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    struct submission_facts f = first_submission();
    f.activity = NULL;
    f.word_count = 0; /* nothing written: assessment_submit_check refuses it, the state does not */
    assert_true(assessment_submit_allowed(&f, &errors));
    expect_error_count(&errors, 0);
    assert_true(assessment_submit_allowed(&(struct submission_facts){.state = SUBMISSION_RELEASED,
                                                                     .versions = 1,
                                                                     .has_result = true,
                                                                     .last_outcome = OUTCOME_REFER,
                                                                     .max_resubmissions = 1},
                                          &errors));
    expect_error_count(&errors, 0);

    struct submission_facts refused[] = {
        {.state = SUBMISSION_SUBMITTED, .versions = 1},
        {.state = SUBMISSION_MARKED, .versions = 1},
        {.state = SUBMISSION_MODERATED, .versions = 1},
        after_release(OUTCOME_PASS, 1, 1),
        after_release(OUTCOME_FAIL, 1, 1),
        after_release(OUTCOME_REFER, 2, 1), /* no resubmission left */
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        assert_false(assessment_submit_allowed(&refused[i], &errors));
        assert_int_equal(errors.count, 1);
        assert_string_equal(errors.items[0].where, "state");
        expect_sentences(&errors);
        errors_free(&errors);
    }
}

/* Marking */

static bool mark(enum mark_outcome outcome, const bool *met, size_t count, size_t expected, const char *feedback,
                 struct errors *errors)
{
    static const char *const titles[] = {"Reads the evidence", "Plans the change", "Leads the team"};
    bool ok = assessment_mark_check(outcome, met, count, expected, count <= 3 ? titles : NULL, feedback, errors);
    expect_sentences(errors);
    if (ok)
        expect_error_count(errors, 0);
    else
        assert_true(errors->count > 0);
    return ok;
}

static void a_pass_needs_every_criterion_met(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    const bool all[] = {true, true, true};
    const bool one_unmet[] = {true, false, true};
    const bool two_unmet[] = {false, false, true};
    assert_true(mark(OUTCOME_PASS, all, 3, 3, "Well argued.", &errors));

    assert_false(mark(OUTCOME_PASS, one_unmet, 3, 3, "Well argued.", &errors));
    expect_error_at(&errors, "outcome",
                    "A pass needs every criterion met, and criterion 2 (Plans the change) is not. Mark it met, or "
                    "refer the work.");
    expect_error_count(&errors, 1);
    errors_free(&errors);

    assert_false(mark(OUTCOME_PASS, two_unmet, 3, 3, "Well argued.", &errors));
    expect_error_at(&errors, "outcome",
                    "A pass needs every criterion met, and criteria 1 (Reads the evidence) and 2 (Plans the change) "
                    "are not. Mark them met, or refer the work.");
    errors_free(&errors);
}

static void a_referral_or_fail_needs_a_criterion_unmet(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    const bool all[] = {true, true};
    const bool one_unmet[] = {true, false};
    const bool none[] = {false, false};
    assert_false(mark(OUTCOME_REFER, all, 2, 2, "Nearly.", &errors));
    expect_error_at(&errors, "outcome", "cannot be referred when every criterion is met");
    errors_free(&errors);
    assert_false(mark(OUTCOME_FAIL, all, 2, 2, "No.", &errors));
    expect_error_at(&errors, "outcome", "cannot be failed when every criterion is met");
    errors_free(&errors);

    assert_true(mark(OUTCOME_REFER, one_unmet, 2, 2, "Nearly.", &errors));
    assert_true(mark(OUTCOME_FAIL, one_unmet, 2, 2, "No.", &errors));
    assert_true(mark(OUTCOME_FAIL, none, 2, 2, "No.", &errors));
    assert_true(mark(OUTCOME_REFER, none, 2, 2, "Nearly.", &errors));
}

static void every_criterion_is_judged(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    const bool met[] = {true, true, true, true};
    assert_false(mark(OUTCOME_PASS, met, 2, 3, "Good.", &errors));
    expect_error_at(&errors, "criteria", "this task has 3, and 2 were judged.");
    expect_error_count(&errors, 1);
    errors_free(&errors);
    assert_false(mark(OUTCOME_PASS, met, 4, 3, "Good.", &errors));
    expect_error_at(&errors, "criteria", "this task has 3, and 4 were judged.");
    errors_free(&errors);
    assert_false(mark(OUTCOME_PASS, met, 1, 2, "Good.", &errors));
    expect_error_at(&errors, "criteria", "this task has 2, and 1 was judged.");
    errors_free(&errors);
    assert_false(mark(OUTCOME_PASS, NULL, 3, 3, "Good.", &errors));
    expect_error_at(&errors, "criteria", "Judge every criterion");
    errors_free(&errors);

    assert_false(mark((enum mark_outcome)9, met, 3, 3, "Good.", &errors));
    expect_error_at(&errors, "outcome", "Choose pass, refer or fail.");
    errors_free(&errors);
}

static void a_marking_has_feedback(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    const bool met[] = {true};
    const char *blank[] = {NULL, "", "  \r\n"};
    for (size_t i = 0; i < 3; i++) {
        assert_false(mark(OUTCOME_PASS, met, 1, 1, blank[i], &errors));
        expect_error_at(&errors, "feedback", "Write feedback for the participant.");
        expect_error_count(&errors, 1);
        errors_free(&errors);
    }
    /* Every problem at once, and a full list still refuses. */
    const bool unmet[] = {false};
    assert_false(mark(OUTCOME_PASS, unmet, 1, 1, "", &errors));
    expect_error_count(&errors, 2);
    errors_free(&errors);
    fill_errors(&errors);
    assert_false(assessment_mark_check(OUTCOME_PASS, unmet, 1, 1, NULL, "Fine.", &errors));
    errors_free(&errors);
}

/* Who marks */

static bool marker(bool moderating, bool coaches, bool apart, bool is_assessor, struct errors *errors)
{
    bool ok = assessment_marker_check(moderating, coaches, apart, is_assessor, errors);
    expect_sentences(errors);
    if (ok)
        expect_error_count(errors, 0);
    else
        assert_true(errors->count > 0);
    return ok;
}

static void a_coach_does_not_mark_a_coachee_when_kept_apart(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    assert_false(marker(false, true, true, false, &errors));
    expect_error_at(&errors, "marker", "You coach this participant, so another assessor must mark their work.");
    errors_free(&errors);
    assert_true(marker(false, true, false, false, &errors));
    assert_true(marker(false, false, true, false, &errors));
    assert_true(marker(false, false, false, false, &errors));
    /* The assessor marking is who the assessor is. */
    assert_true(marker(false, false, true, true, &errors));
}

static void a_moderator_is_not_the_assessor(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    assert_false(marker(true, false, false, true, &errors));
    expect_error_at(&errors, "marker", "A moderator must be someone other than the assessor.");
    errors_free(&errors);
    assert_false(marker(true, false, true, true, &errors));
    expect_error_at(&errors, "marker", "someone other than the assessor");
    errors_free(&errors);
    assert_true(marker(true, false, true, false, &errors));

    assert_false(marker(true, true, true, false, &errors));
    expect_error_at(&errors, "marker", "You coach this participant, so another moderator");
    errors_free(&errors);
    assert_true(marker(true, true, false, false, &errors));

    fill_errors(&errors);
    assert_false(assessment_marker_check(true, false, false, true, &errors));
    errors_free(&errors);
}

/* Moderation */

static void every_fail_is_moderated(void **state)
{
    (void)state;
    for (int64_t id = 1; id <= 1000; id++) {
        assert_true(assessment_needs_moderation(id, 0, OUTCOME_FAIL));
        assert_true(assessment_needs_moderation(id, 50, OUTCOME_FAIL));
    }
}

static void none_at_0_percent_all_at_100(void **state)
{
    (void)state;
    for (int64_t id = 1; id <= 10000; id++) {
        assert_false(assessment_needs_moderation(id, 0, OUTCOME_PASS));
        assert_false(assessment_needs_moderation(id, 0, OUTCOME_REFER));
        assert_false(assessment_needs_moderation(id, -5, OUTCOME_PASS));
        assert_true(assessment_needs_moderation(id, 100, OUTCOME_PASS));
        assert_true(assessment_needs_moderation(id, 100, OUTCOME_REFER));
        assert_true(assessment_needs_moderation(id, 150, OUTCOME_PASS));
    }
}

static void about_the_share_asked_for_is_sampled_the_same_each_time(void **state)
{
    (void)state;
    int percents[] = {1, 20, 50, 90};
    for (size_t p = 0; p < sizeof(percents) / sizeof(percents[0]); p++) {
        int sampled = 0;
        for (int64_t id = 1; id <= 10000; id++) {
            bool first = assessment_needs_moderation(id, percents[p], OUTCOME_PASS);
            assert_true(first == assessment_needs_moderation(id, percents[p], OUTCOME_PASS));
            /* Raising the share only adds to the sample. */
            if (first)
                assert_true(assessment_needs_moderation(id, percents[p] + 5, OUTCOME_PASS));
            sampled += first;
        }
        /* Not a block of neighbouring ids: the sample is spread through them. */
        if (percents[p] == 20) {
            int runs = 0;
            for (int64_t id = 1; id <= 100; id++)
                runs += assessment_needs_moderation(id, 20, OUTCOME_PASS) &&
                        !assessment_needs_moderation(id - 1, 20, OUTCOME_PASS);
            assert_true(runs >= 5);
        }
        /* Within 2 percentage points of the share asked for. */
        int expected = percents[p] * 100;
        if (sampled < expected - 200 || sampled > expected + 200) {
            fprintf(stderr, "%d%%: %d of 10000 sampled\n", percents[p], sampled);
            fail();
        }
    }
}

static void the_moderators_outcome_is_released(void **state)
{
    (void)state;
    assert_int_equal(assessment_released_outcome(OUTCOME_PASS, false, OUTCOME_FAIL), OUTCOME_PASS);
    assert_int_equal(assessment_released_outcome(OUTCOME_PASS, true, OUTCOME_REFER), OUTCOME_REFER);
    assert_int_equal(assessment_released_outcome(OUTCOME_FAIL, true, OUTCOME_PASS), OUTCOME_PASS);
    assert_int_equal(assessment_released_outcome(OUTCOME_REFER, false, OUTCOME_PASS), OUTCOME_REFER);
}

/* Awards */

struct award_case {
    struct award_facts facts;
    char why[256];
    bool ok;
};

static void award(struct award_case *c, const char *q, const char **done, size_t done_count, bool final_passed,
                  enum delivery_model model, int face_to_face, int virtual_live)
{
    c->facts = (struct award_facts){.qualification = qualification(q),
                                    .modules_completed = done,
                                    .modules_completed_count = done_count,
                                    .final_assessment_passed = final_passed,
                                    .model = model,
                                    .face_to_face_attended = face_to_face,
                                    .virtual_attended = virtual_live};
    memset(c->why, 'X', sizeof(c->why));
    c->ok = award_check(catalogue, &c->facts, c->why, sizeof(c->why));
}

static const char *npqsl_all[] = {"closing-the-gap", "succeeding-in-senior-leadership", "school-self-evaluation",
                                  "effective-partnership-working"};

static void with_nothing_done_everything_is_needed(void **state)
{
    (void)state;
    struct award_case c;
    award(&c, "NPQSL", NULL, 0, false, DELIVERY_BLENDED, 0, 0);
    assert_false(c.ok);
    assert_string_equal(c.why, "needs Closing the gap, Succeeding in senior leadership, 2 electives, a pass in the "
                               "final assessment and 4 more face-to-face events");
    award(&c, "NPQSL", NULL, 0, false, DELIVERY_ONLINE, 0, 0);
    assert_false(c.ok);
    assert_string_equal(c.why, "needs Closing the gap, Succeeding in senior leadership, 2 electives, a pass in the "
                               "final assessment and 4 more virtual live events");
}

static void with_everything_done_the_award_is_made(void **state)
{
    (void)state;
    struct award_case c;
    award(&c, "NPQSL", npqsl_all, 4, true, DELIVERY_BLENDED, 4, 0);
    assert_true(c.ok);
    assert_string_equal(c.why, "all requirements met");
    award(&c, "NPQSL", npqsl_all, 4, true, DELIVERY_BLENDED, 9, 0);
    assert_true(c.ok);
    /* Codes match however they are written. */
    const char *shouted[] = {"CLOSING-THE-GAP", "Succeeding-In-Senior-Leadership", "SCHOOL-SELF-EVALUATION",
                             "effective-partnership-working"};
    award(&c, "NPQSL", shouted, 4, true, DELIVERY_BLENDED, 4, 0);
    assert_true(c.ok);
}

static void online_study_counts_virtual_live_events(void **state)
{
    (void)state;
    struct award_case c;
    award(&c, "NPQSL", npqsl_all, 4, true, DELIVERY_ONLINE, 0, 4);
    assert_true(c.ok);
    award(&c, "NPQSL", npqsl_all, 4, true, DELIVERY_ONLINE, 4, 3);
    assert_false(c.ok);
    assert_string_equal(c.why, "needs 1 more virtual live event");
    award(&c, "NPQSL", npqsl_all, 4, true, DELIVERY_BLENDED, 3, 4);
    assert_false(c.ok);
    assert_string_equal(c.why, "needs 1 more face-to-face event");
    award(&c, "NPQSL", npqsl_all, 4, true, DELIVERY_BLENDED, 1, 0);
    assert_string_equal(c.why, "needs 3 more face-to-face events");

    /* A rule whose two numbers differ: each model is held to its own. */
    struct catalogue_qualification q = {.code = "TEST",
                                        .rule = {.min_face_to_face_events = 2, .min_virtual_events = 5}};
    struct award_facts facts = {.qualification = &q, .model = DELIVERY_ONLINE, .virtual_attended = 2};
    char why[64];
    assert_false(award_check(catalogue, &facts, why, sizeof(why)));
    assert_string_equal(why, "needs 3 more virtual live events");
    facts.model = DELIVERY_BLENDED;
    facts.face_to_face_attended = 2;
    assert_true(award_check(catalogue, &facts, why, sizeof(why)));
}

static void electives_count_once_and_extra_ones_do_not_matter(void **state)
{
    (void)state;
    struct award_case c;
    const char *three[] = {"closing-the-gap", "succeeding-in-senior-leadership", "school-self-evaluation",
                           "effective-partnership-working", "leading-professional-development"};
    award(&c, "NPQSL", three, 5, true, DELIVERY_BLENDED, 4, 0);
    assert_true(c.ok);
    assert_string_equal(c.why, "all requirements met");

    const char *twice[] = {"closing-the-gap", "succeeding-in-senior-leadership", "school-self-evaluation",
                           "SCHOOL-SELF-EVALUATION"};
    award(&c, "NPQSL", twice, 4, true, DELIVERY_BLENDED, 4, 0);
    assert_false(c.ok);
    assert_string_equal(c.why, "needs 1 more elective");

    /* A module of another qualification is no elective of this one. */
    const char *other[] = {"closing-the-gap", "succeeding-in-senior-leadership", "leading-teaching",
                           "leading-an-effective-team"};
    award(&c, "NPQSL", other, 4, true, DELIVERY_BLENDED, 4, 0);
    assert_false(c.ok);
    assert_string_equal(c.why, "needs 2 electives");
}

static void what_remains_reads_in_order(void **state)
{
    (void)state;
    struct award_case c;
    const char *some[] = {"succeeding-in-senior-leadership", "school-self-evaluation"};
    award(&c, "NPQSL", some, 2, false, DELIVERY_BLENDED, 4, 0);
    assert_false(c.ok);
    assert_string_equal(c.why, "needs Closing the gap, 1 more elective and a pass in the final assessment");

    award(&c, "NPQSL", npqsl_all, 4, false, DELIVERY_BLENDED, 4, 0);
    assert_false(c.ok);
    assert_string_equal(c.why, "needs a pass in the final assessment");

    award(&c, "NPQSL", npqsl_all + 1, 3, true, DELIVERY_BLENDED, 2, 0);
    assert_false(c.ok);
    assert_string_equal(c.why, "needs Closing the gap and 2 more face-to-face events");
}

static void a_rule_without_final_or_events_asks_for_neither(void **state)
{
    (void)state;
    struct award_case c;
    const char *ml[] = {"leading-teaching", "managing-systems-and-processes", "leading-an-effective-team"};
    award(&c, "NPQML", ml, 3, false, DELIVERY_BLENDED, 0, 0);
    assert_true(c.ok);
    assert_string_equal(c.why, "all requirements met");
    award(&c, "NPQML", ml, 2, false, DELIVERY_ONLINE, 0, 0);
    assert_false(c.ok);
    assert_string_equal(c.why, "needs 1 elective");
}

static void the_sentence_is_cut_to_fit(void **state)
{
    (void)state;
    struct award_facts facts = {.qualification = qualification("NPQSL"), .model = DELIVERY_BLENDED};
    char full[256];
    assert_false(award_check(catalogue, &facts, full, sizeof(full)));
    char small[20];
    assert_false(award_check(catalogue, &facts, small, sizeof(small)));
    assert_int_equal(strlen(small), sizeof(small) - 1);
    assert_memory_equal(small, full, sizeof(small) - 1);
    char one[1] = {'X'};
    assert_false(award_check(catalogue, &facts, one, sizeof(one)));
    assert_int_equal(one[0], '\0');
    char none[1] = {'X'};
    assert_false(award_check(catalogue, &facts, none, 0));
    assert_int_equal(none[0], 'X');
    assert_false(award_check(catalogue, &facts, NULL, 0));
    char met[4];
    const char *all[] = {"closing-the-gap", "succeeding-in-senior-leadership", "school-self-evaluation",
                         "effective-partnership-working"};
    facts.modules_completed = all;
    facts.modules_completed_count = 4;
    facts.final_assessment_passed = true;
    facts.face_to_face_attended = 4;
    assert_true(award_check(catalogue, &facts, met, sizeof(met)));
    assert_string_equal(met, "all");

    /* Never half a character: a module not in the catalogue is named by its code. */
    static const char *essential[] = {"Si\xc3\xa2n"};
    struct catalogue_qualification q = {.code = "TEST", .rule = {.essential = essential, .essential_count = 1}};
    struct award_facts odd = {.qualification = &q};
    char why[64];
    assert_false(award_check(catalogue, &odd, why, sizeof(why)));
    assert_string_equal(why, "needs Si\xc3\xa2n");
    char cut[10]; /* room for "needs Si" and the first byte of the next character */
    assert_false(award_check(catalogue, &odd, cut, sizeof(cut)));
    assert_string_equal(cut, "needs Si");

    struct award_facts nothing = {0};
    assert_false(award_check(catalogue, &nothing, why, sizeof(why)));
    assert_true(strlen(why) > 0);
}

/* Certificate numbers */

static void a_certificate_number_has_its_check_digit(void **state)
{
    (void)state;
    char number[AWARD_NUMBER_TEXT];
    award_certificate_number("NPQSL", 2027, 42, number);
    /* Luhn over 2027000042 */
    assert_string_equal(number, "NPQSL-2027-000042-3");
    assert_true(award_certificate_number_valid(number));
    award_certificate_number("NPQSL", 2027, 123456, number);
    assert_string_equal(number, "NPQSL-2027-123456-7");
    award_certificate_number("NPQSL", 2027, 1234567, number);
    assert_string_equal(number, "NPQSL-2027-1234567-9");
    assert_true(award_certificate_number_valid(number));
    award_certificate_number("npqsl", 2026, 1, number);
    assert_string_equal(number, "NPQSL-2026-000001-1");
    award_certificate_number("NPQH", 2027, 0, number);
    assert_true(award_certificate_number_valid(number));

    /* Round trips across years and serials. */
    for (int year = 2024; year <= 2030; year++)
        for (int64_t serial = 0; serial < 2000; serial += 7) {
            award_certificate_number("NPQML", year, serial, number);
            assert_true(award_certificate_number_valid(number));
        }
    award_certificate_number("NPQ", 2027, INT64_MAX, number);
    assert_string_equal(number, "NPQ-2027-9223372036854775807-9");
    assert_true(award_certificate_number_valid(number));
}

static void a_number_that_cannot_be_made_is_empty(void **state)
{
    (void)state;
    char number[AWARD_NUMBER_TEXT];
    const struct {
        const char *code;
        int year;
        int64_t serial;
    } cases[] = {
        {NULL, 2027, 1},     {"", 2027, 1},       {"NPQ-SL", 2027, 1},        {"NPQ SL", 2027, 1}, {"NPQSL", 0, 1},
        {"NPQSL", 10000, 1}, {"NPQSL", 2027, -1}, {"NPQSL", 2027, INT64_MAX}, /* 19 digits do not fit beside a
                                                                                 five-letter code */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        memset(number, 'X', sizeof(number));
        award_certificate_number(cases[i].code, cases[i].year, cases[i].serial, number);
        assert_string_equal(number, "");
    }
}

static void one_digit_changed_is_caught(void **state)
{
    (void)state;
    char number[AWARD_NUMBER_TEXT];
    award_certificate_number("NPQSL", 2027, 385041, number);
    assert_true(award_certificate_number_valid(number));
    for (size_t i = 0; number[i] != '\0'; i++) {
        if (number[i] < '0' || number[i] > '9')
            continue;
        char original = number[i];
        for (char d = '0'; d <= '9'; d++) {
            if (d == original)
                continue;
            number[i] = d;
            if (award_certificate_number_valid(number)) {
                fprintf(stderr, "accepted %s\n", number);
                fail();
            }
        }
        number[i] = original;
    }
    assert_true(award_certificate_number_valid(number));
}

static void swapped_neighbours_are_caught(void **state)
{
    (void)state;
    assert_true(award_certificate_number_valid("NPQSL-2027-123456-7"));
    assert_false(award_certificate_number_valid("NPQSL-2027-213456-7"));
    assert_false(award_certificate_number_valid("NPQSL-2027-124356-7"));
    assert_false(award_certificate_number_valid("NPQSL-2027-123465-7"));
    assert_false(award_certificate_number_valid("NPQSL-2072-123456-7"));
}

static void malformed_numbers_are_refused(void **state)
{
    (void)state;
    const char *bad[] = {
        NULL,
        "",
        "NPQSL",
        "NPQSL-2027-000042",
        "NPQSL-2027-000042-",
        "NPQSL-2027-000042-33",
        "NPQSL-2027-000042-3 ",
        " NPQSL-2027-000042-3",
        "npqsl-2027-000042-3", /* codes are upper case */
        "NPQ SL-2027-000042-3",
        "-2027-000042-3",
        "NPQSL--2027-000042-3",
        "NPQSL-27-000042-3",
        "NPQSL-02027-000042-3",
        "NPQSL-2027-42-3",
        "NPQSL-2027-00042-3",
        "NPQSL-2027-0000042-7", /* the right check digit, but a longer serial never starts with 0 */
        "NPQSL-2027-000042-X",
        "NPQSL-2027-00004a-3",
        "NPQSL_2027_000042_3",
        "NPQSLNPQSLNPQSLNPQSL-2027-000042-3", /* longer than a number can be */
        "NPQSL-2027-000042-3-3",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (award_certificate_number_valid(bad[i])) {
            fprintf(stderr, "accepted %s\n", bad[i]);
            fail();
        }
    assert_true(award_certificate_number_valid("NPQSL-2027-000042-3"));
    assert_true(award_certificate_number_valid("NPQSLNPQSL-2027-000042-3"));
}

/* Names */

static void names_read_both_ways(void **state)
{
    (void)state;
    enum task_kind kind = TASK_MODULE;
    assert_string_equal(task_kind_name(TASK_MODULE), "module");
    assert_string_equal(task_kind_name(TASK_FINAL), "final");
    assert_true(task_kind_parse("final", &kind));
    assert_int_equal(kind, TASK_FINAL);
    assert_false(task_kind_parse("Final", &kind));
    assert_false(task_kind_parse(NULL, &kind));
    assert_int_equal(kind, TASK_FINAL);
    assert_string_equal(task_kind_name((enum task_kind)2), "");

    enum mark_outcome outcomes[] = {OUTCOME_PASS, OUTCOME_REFER, OUTCOME_FAIL};
    const char *names[] = {"pass", "refer", "fail"};
    const char *titles[] = {"Pass", "Referred for resubmission", "Fail"};
    for (size_t i = 0; i < 3; i++) {
        enum mark_outcome o = (enum mark_outcome)99;
        assert_string_equal(mark_outcome_name(outcomes[i]), names[i]);
        assert_string_equal(mark_outcome_title(outcomes[i]), titles[i]);
        assert_true(mark_outcome_parse(names[i], &o));
        assert_int_equal(o, outcomes[i]);
    }
    enum mark_outcome o = OUTCOME_PASS;
    assert_false(mark_outcome_parse("referred", &o));
    assert_int_equal(o, OUTCOME_PASS);
    assert_string_equal(mark_outcome_name((enum mark_outcome)3), "");
    assert_string_equal(mark_outcome_title((enum mark_outcome)3), "");

    const char *states[] = {"draft", "submitted", "marked", "moderated", "released"};
    for (int i = 0; i < 5; i++) {
        enum submission_state s = (enum submission_state)99;
        assert_string_equal(submission_state_name((enum submission_state)i), states[i]);
        assert_true(submission_state_parse(states[i], &s));
        assert_int_equal(s, i);
    }
    enum submission_state s = SUBMISSION_DRAFT;
    assert_false(submission_state_parse("pending", &s));
    assert_int_equal(s, SUBMISSION_DRAFT);
    assert_string_equal(submission_state_name((enum submission_state)5), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_module_task_takes_the_catalogue_spelling),
        cmocka_unit_test(a_module_task_needs_a_module),
        cmocka_unit_test(a_final_assessment_only_where_the_rule_asks_for_one),
        cmocka_unit_test(a_task_title_has_1_to_200_characters),
        cmocka_unit_test(a_brief_has_at_most_20000_bytes),
        cmocka_unit_test(a_task_needs_a_deadline),
        cmocka_unit_test(task_limits_at_their_boundaries),
        cmocka_unit_test(a_task_has_1_to_20_criteria_with_titles),
        cmocka_unit_test(every_task_problem_is_reported_at_once),
        cmocka_unit_test(nothing_to_count),
        cmocka_unit_test(apostrophes_and_hyphens_join_inside_words),
        cmocka_unit_test(numbers_are_words),
        cmocka_unit_test(separators_are_any_spacing_or_punctuation),
        cmocka_unit_test(letters_of_any_script_make_words),
        cmocka_unit_test(an_emoji_counts_as_a_letter),
        cmocka_unit_test(broken_utf8_is_counted_without_reading_past_the_end),
        cmocka_unit_test(a_first_submission_from_a_draft),
        cmocka_unit_test(submitted_or_marked_work_waits),
        cmocka_unit_test(a_referral_may_be_resubmitted_while_resubmissions_remain),
        cmocka_unit_test(passed_or_failed_work_is_not_resubmitted),
        cmocka_unit_test(the_state_alone_decides_whether_work_may_be_submitted),
        cmocka_unit_test(late_work_is_accepted_and_flagged),
        cmocka_unit_test(work_names_its_activity),
        cmocka_unit_test(work_has_text_or_a_file),
        cmocka_unit_test(work_keeps_to_the_word_limit),
        cmocka_unit_test(every_submission_problem_is_reported_at_once),
        cmocka_unit_test(a_pass_needs_every_criterion_met),
        cmocka_unit_test(a_referral_or_fail_needs_a_criterion_unmet),
        cmocka_unit_test(every_criterion_is_judged),
        cmocka_unit_test(a_marking_has_feedback),
        cmocka_unit_test(a_coach_does_not_mark_a_coachee_when_kept_apart),
        cmocka_unit_test(a_moderator_is_not_the_assessor),
        cmocka_unit_test(every_fail_is_moderated),
        cmocka_unit_test(none_at_0_percent_all_at_100),
        cmocka_unit_test(about_the_share_asked_for_is_sampled_the_same_each_time),
        cmocka_unit_test(the_moderators_outcome_is_released),
        cmocka_unit_test(with_nothing_done_everything_is_needed),
        cmocka_unit_test(with_everything_done_the_award_is_made),
        cmocka_unit_test(online_study_counts_virtual_live_events),
        cmocka_unit_test(electives_count_once_and_extra_ones_do_not_matter),
        cmocka_unit_test(what_remains_reads_in_order),
        cmocka_unit_test(a_rule_without_final_or_events_asks_for_neither),
        cmocka_unit_test(the_sentence_is_cut_to_fit),
        cmocka_unit_test(a_certificate_number_has_its_check_digit),
        cmocka_unit_test(a_number_that_cannot_be_made_is_empty),
        cmocka_unit_test(one_digit_changed_is_caught),
        cmocka_unit_test(swapped_neighbours_are_caught),
        cmocka_unit_test(malformed_numbers_are_refused),
        cmocka_unit_test(names_read_both_ways),
    };
    return cmocka_run_group_tests(tests, parse_default, free_default);
}
