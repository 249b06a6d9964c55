/*
 * Applications, enrolments and pathways as rules, against the real default catalogue: elective
 * choices at every boundary, every (state, step) pair of both state machines, the one-at-a-time
 * rule, pathway credits and their sentences, and the name tables read both ways.
 */
#include "../test_support.h"

#include "domain/catalogue_json.h"
#include "domain/enrolment.h"

#include <stdio.h>

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

/* Asserts that some error is at where and its message contains every one of the words. */
static void expect_error_at(const struct errors *errors, const char *where, const char *word1, const char *word2)
{
    for (size_t i = 0; i < errors->count; i++)
        if (strcmp(errors->items[i].where, where) == 0 && strstr(errors->items[i].message, word1) != NULL &&
            (word2 == NULL || strstr(errors->items[i].message, word2) != NULL))
            return;
    fprintf(stderr, "expected an error at %s with \"%s\"%s%s\n", where, word1, word2 ? " and " : "",
            word2 ? word2 : "");
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

/* Electives */

/* Checks chosen against qualification q; returns the outcome and leaves the errors in errors. */
static bool electives(const char *q, struct errors *errors, size_t count, const char **chosen)
{
    return enrolment_check_electives(catalogue, qualification(q), chosen, count, errors);
}

static void electives_accepted(const char *q, size_t count, const char **chosen)
{
    struct errors errors = ERRORS_INIT;
    bool ok = electives(q, &errors, count, chosen);
    expect_error_count(&errors, 0);
    assert_true(ok);
    errors_free(&errors);
}

/* Expects exactly one error, at "electives", containing word1 (and word2 when given). */
static void electives_refused(const char *q, size_t count, const char **chosen, const char *word1, const char *word2)
{
    struct errors errors = ERRORS_INIT;
    bool ok = electives(q, &errors, count, chosen);
    assert_false(ok);
    expect_error_count(&errors, 1);
    expect_error_at(&errors, "electives", word1, word2);
    errors_free(&errors);
}

static void npqsl_accepts_exactly_two_electives_from_its_list(void **state)
{
    (void)state;
    const struct catalogue_rule *rule = &qualification("NPQSL")->rule;
    assert_int_equal(rule->elective_count, 2);
    /* Every pair from the list is a valid choice. */
    for (size_t i = 0; i < rule->elective_from_count; i++)
        for (size_t j = i + 1; j < rule->elective_from_count; j++) {
            const char *chosen[] = {rule->elective_from[i], rule->elective_from[j]};
            electives_accepted("NPQSL", 2, chosen);
        }
    const char *named[] = {"improving-the-quality-of-teaching", "leading-change-for-improvement"};
    electives_accepted("NPQSL", 2, named);
    /* Codes are typed either way, as elsewhere. */
    const char *typed[] = {"Improving-The-Quality-Of-Teaching", "LEADING-CHANGE-FOR-IMPROVEMENT"};
    electives_accepted("npqsl", 2, typed);
}

static void npqsl_refuses_too_few_or_too_many_electives(void **state)
{
    (void)state;
    const char *chosen[] = {"improving-the-quality-of-teaching", "leading-change-for-improvement",
                            "school-self-evaluation"};
    electives_refused("NPQSL", 0, NULL, "Choose 2 elective modules", "You chose 0.");
    electives_refused("NPQSL", 1, chosen, "Choose 2 elective modules", "You chose 1.");
    electives_refused("NPQSL", 3, chosen, "Choose 2 elective modules", "You chose 3.");

    struct errors errors = ERRORS_INIT;
    assert_false(electives("NPQSL", &errors, 1, chosen));
    expect_error_count(&errors, 1);
    assert_string_equal(errors.items[0].where, "electives");
    assert_string_equal(errors.items[0].message, "Choose 2 elective modules for the NPQSL. You chose 1.");
    errors_free(&errors);
}

static void a_duplicate_elective_is_refused(void **state)
{
    (void)state;
    const char *twice[] = {"leading-change-for-improvement", "leading-change-for-improvement"};
    electives_refused("NPQSL", 2, twice, "twice", "Leading change for improvement");
    /* The count is right once the duplicate is dropped, and only the duplicate is reported. */
    const char *three[] = {"school-self-evaluation", "leading-change-for-improvement", "school-self-evaluation"};
    electives_refused("NPQSL", 3, three, "School self-evaluation twice", "Choose 2 different elective modules");
}

static void a_duplicate_typed_in_another_case_is_refused(void **state)
{
    (void)state;
    /* Codes match case-insensitively everywhere else, so these are the same module twice. */
    const char *twice[] = {"leading-change-for-improvement", "Leading-Change-For-Improvement"};
    electives_refused("NPQSL", 2, twice, "twice", "Leading change for improvement");
}

static void an_essential_module_is_not_an_elective(void **state)
{
    (void)state;
    const char *chosen[] = {"closing-the-gap", "school-self-evaluation"};
    electives_refused("NPQSL", 2, chosen, "Closing the gap is an essential module of the NPQSL", "already included");
    const char *typed[] = {"school-self-evaluation", "Succeeding-In-Senior-Leadership"};
    electives_refused("NPQSL", 2, typed, "Succeeding in senior leadership", "essential");
}

static void a_module_outside_the_list_is_refused(void **state)
{
    (void)state;
    /* leading-teaching is essential to the NPQML, but nothing to the NPQSL. */
    const char *chosen[] = {"leading-teaching", "school-self-evaluation"};
    electives_refused("NPQSL", 2, chosen, "Leading teaching is not one of the elective modules of the NPQSL", NULL);
    /* An NPQH essential is not an NPQSL elective either. */
    const char *headship[] = {"school-self-evaluation", "succeeding-in-headship"};
    electives_refused("NPQSL", 2, headship, "Succeeding in headship", "not one of the elective modules");
}

static void an_unknown_module_is_refused(void **state)
{
    (void)state;
    const char *chosen[] = {"school-self-evaluation", "underwater-basket-weaving"};
    electives_refused("NPQSL", 2, chosen, "There is no module called underwater-basket-weaving", NULL);
    const char *empty[] = {"school-self-evaluation", ""};
    electives_refused("NPQSL", 2, empty, "There is no module called", NULL);
}

static void every_wrong_choice_is_reported(void **state)
{
    (void)state;
    const char *chosen[] = {"leading-teaching", "nope", "closing-the-gap"};
    struct errors errors = ERRORS_INIT;
    assert_false(electives("NPQSL", &errors, 3, chosen));
    expect_error_count(&errors, 3);
    expect_error_at(&errors, "electives", "Leading teaching", "not one of");
    expect_error_at(&errors, "electives", "nope", "no module");
    expect_error_at(&errors, "electives", "Closing the gap", "essential");
    errors_free(&errors);
}

static void npqml_takes_exactly_one_elective(void **state)
{
    (void)state;
    const char *chosen[] = {"leading-change-for-improvement", "leading-an-effective-team"};
    electives_accepted("NPQML", 1, chosen);
    electives_refused("NPQML", 0, NULL, "Choose 1 elective module for the NPQML", "You chose 0.");
    electives_refused("NPQML", 2, chosen, "Choose 1 elective module for the NPQML", "You chose 2");
    /* One module, not "modules". */
    struct errors errors = ERRORS_INIT;
    assert_false(electives("NPQML", &errors, 2, chosen));
    assert_null(strstr(errors.items[0].message, "modules"));
    errors_free(&errors);
    /* An NPQML essential is not an elective of it. */
    const char *essential[] = {"managing-systems-and-processes"};
    electives_refused("NPQML", 1, essential, "Managing systems and processes", "essential");
}

static void npqh_accepts_closing_the_gap_as_an_elective(void **state)
{
    (void)state;
    const char *chosen[] = {"closing-the-gap", "leading-change-for-improvement"};
    electives_accepted("NPQH", 2, chosen);
    electives_refused("NPQH", 1, chosen, "Choose 2 elective modules for the NPQH", "You chose 1.");
    const char *essential[] = {"closing-the-gap", "succeeding-in-headship"};
    electives_refused("NPQH", 2, essential, "Succeeding in headship", "essential module of the NPQH");
}

static void earlier_errors_do_not_change_the_outcome(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    errors_add(&errors, "elsewhere", "An earlier problem");
    const char *good[] = {"closing-the-gap", "leading-change-for-improvement"};
    assert_true(electives("NPQH", &errors, 2, good));
    expect_error_count(&errors, 1);
    const char *bad[] = {"closing-the-gap"};
    assert_false(electives("NPQH", &errors, 1, bad));
    expect_error_count(&errors, 2);
    errors_free(&errors);
}

static void a_full_error_list_still_refuses(void **state)
{
    (void)state;
    /* errors_add keeps at most ERRORS_MAX; a refusal must not turn into acceptance when full. */
    struct errors errors = ERRORS_INIT;
    for (int i = 0; i < ERRORS_MAX; i++)
        errors_add(&errors, "elsewhere", "Problem %d", i);
    const char *bad[] = {"nope"};
    bool ok = electives("NPQSL", &errors, 1, bad);
    errors_free(&errors);
    assert_false(ok);
}

/* Applications: what is asked for */

static const char *two_electives[] = {"school-self-evaluation", "leading-change-for-improvement"};

static struct application_choice good_qualification(void)
{
    return (struct application_choice){.kind = STUDY_QUALIFICATION,
                                       .target = "NPQSL",
                                       .electives = two_electives,
                                       .elective_count = 2,
                                       .funding = FUNDING_SCHOOL,
                                       .has_sponsor = true};
}

static struct application_choice good_module(void)
{
    return (struct application_choice){
        .kind = STUDY_MODULE, .target = "leading-change-for-improvement", .funding = FUNDING_SELF, .has_sponsor = true};
}

static void check_accepts(const struct application_choice *choice)
{
    struct errors errors = ERRORS_INIT;
    bool ok = application_check(catalogue, choice, &errors);
    expect_error_count(&errors, 0);
    assert_true(ok);
    errors_free(&errors);
}

static void check_refuses(const struct application_choice *choice, const char *where, const char *word)
{
    struct errors errors = ERRORS_INIT;
    bool ok = application_check(catalogue, choice, &errors);
    assert_false(ok);
    expect_error_count(&errors, 1);
    expect_error_at(&errors, where, word, NULL);
    errors_free(&errors);
}

static void a_complete_application_passes(void **state)
{
    (void)state;
    struct application_choice c = good_qualification();
    check_accepts(&c);
    c.target = "npqsl";
    check_accepts(&c);
    c = good_module();
    check_accepts(&c);
    c.target = "Closing-The-Gap";
    check_accepts(&c);
    /* A module studied alone, even one essential somewhere, with an empty (non-NULL) electives list. */
    c.electives = two_electives;
    c.elective_count = 0;
    check_accepts(&c);
    c = good_qualification();
    c.funding = FUNDING_SCHOLARSHIP;
    c.scholarship_eligibility = "I work in a school in an education investment area";
    check_accepts(&c);
    /* NPQML with its one elective. */
    c = good_qualification();
    c.target = "NPQML";
    c.elective_count = 1;
    c.electives = (const char *[]){"leading-change-for-improvement"};
    check_accepts(&c);
}

static void the_target_must_exist_as_the_kind_asked_for(void **state)
{
    (void)state;
    struct application_choice c = good_qualification();
    c.target = "NPQX";
    check_refuses(&c, "target", "Choose a qualification to apply for");
    c.target = NULL;
    check_refuses(&c, "target", "Choose a qualification to apply for");
    c.target = "";
    check_refuses(&c, "target", "Choose a qualification to apply for");
    /* A module code is not a qualification. */
    c.target = "leading-change-for-improvement";
    check_refuses(&c, "target", "Choose a qualification");

    c = good_module();
    c.target = "no-such-module";
    check_refuses(&c, "target", "Choose a module to study");
    c.target = NULL;
    check_refuses(&c, "target", "Choose a module to study");
    /* A qualification code is not a module. */
    c.target = "NPQSL";
    check_refuses(&c, "target", "Choose a module to study");
}

static void electives_are_checked_for_a_qualification(void **state)
{
    (void)state;
    struct application_choice c = good_qualification();
    c.elective_count = 1;
    check_refuses(&c, "electives", "Choose 2 elective modules");
    c.elective_count = 0;
    c.electives = NULL;
    check_refuses(&c, "electives", "Choose 2 elective modules");
    c.electives = (const char *[]){"closing-the-gap", "school-self-evaluation"};
    c.elective_count = 2;
    check_refuses(&c, "electives", "essential");
}

static void a_module_studied_alone_has_no_electives(void **state)
{
    (void)state;
    struct application_choice c = good_module();
    c.electives = two_electives;
    c.elective_count = 1;
    check_refuses(&c, "electives", "A module studied alone has no electives");
    c.elective_count = 2;
    check_refuses(&c, "electives", "no electives");
}

static void a_sponsor_must_be_named(void **state)
{
    (void)state;
    struct application_choice c = good_qualification();
    c.has_sponsor = false;
    check_refuses(&c, "sponsor_id", "headteacher or sponsor");
    c = good_module();
    c.has_sponsor = false;
    check_refuses(&c, "sponsor_id", "headteacher or sponsor");
}

static void a_scholarship_says_why_the_applicant_is_eligible(void **state)
{
    (void)state;
    struct application_choice c = good_qualification();
    c.funding = FUNDING_SCHOLARSHIP;
    c.scholarship_eligibility = NULL;
    check_refuses(&c, "scholarship_eligibility", "eligible for a scholarship");
    c.scholarship_eligibility = "";
    check_refuses(&c, "scholarship_eligibility", "eligible for a scholarship");
    /* Other routes need no eligibility. */
    c.funding = FUNDING_SELF;
    check_accepts(&c);
    c.funding = FUNDING_SCHOOL;
    check_accepts(&c);
}

static void every_problem_is_reported_at_once(void **state)
{
    (void)state;
    struct application_choice c = good_module();
    c.target = "nope";
    c.electives = two_electives;
    c.elective_count = 2;
    c.has_sponsor = false;
    c.funding = FUNDING_SCHOLARSHIP;
    struct errors errors = ERRORS_INIT;
    assert_false(application_check(catalogue, &c, &errors));
    expect_error_count(&errors, 4);
    expect_error_at(&errors, "target", "module", NULL);
    expect_error_at(&errors, "electives", "no electives", NULL);
    expect_error_at(&errors, "sponsor_id", "sponsor", NULL);
    expect_error_at(&errors, "scholarship_eligibility", "scholarship", NULL);
    errors_free(&errors);

    c = good_qualification();
    c.elective_count = 3;
    c.electives = (const char *[]){"school-self-evaluation", "school-self-evaluation", "leading-teaching"};
    c.has_sponsor = false;
    assert_false(application_check(catalogue, &c, &errors));
    expect_error_count(&errors, 3);
    expect_error_at(&errors, "electives", "twice", NULL);
    expect_error_at(&errors, "electives", "not one of", NULL);
    expect_error_at(&errors, "sponsor_id", "sponsor", NULL);
    errors_free(&errors);
}

/* Applications: steps */

enum { NO = -1 };

/* Where each step leads from each state; NO where it may not be taken. */
static const int application_moves[APPLICATION_STATE_COUNT][APPLICATION_STEP_COUNT] = {
    [APPLICATION_DRAFT] = {[STEP_SUBMIT] = APPLICATION_SUBMITTED,
                           [STEP_APPROVE] = NO,
                           [STEP_DECLINE] = NO,
                           [STEP_ACCEPT] = NO,
                           [STEP_REJECT] = NO,
                           [STEP_ENROL] = NO},
    [APPLICATION_SUBMITTED] = {[STEP_SUBMIT] = NO,
                               [STEP_APPROVE] = APPLICATION_SPONSOR_APPROVED,
                               [STEP_DECLINE] = APPLICATION_SPONSOR_DECLINED,
                               [STEP_ACCEPT] = NO,
                               [STEP_REJECT] = NO,
                               [STEP_ENROL] = NO},
    [APPLICATION_SPONSOR_APPROVED] = {[STEP_SUBMIT] = NO,
                                      [STEP_APPROVE] = NO,
                                      [STEP_DECLINE] = NO,
                                      [STEP_ACCEPT] = APPLICATION_ACCEPTED,
                                      [STEP_REJECT] = APPLICATION_REJECTED,
                                      [STEP_ENROL] = NO},
    [APPLICATION_SPONSOR_DECLINED] = {NO, NO, NO, NO, NO, NO},
    [APPLICATION_ACCEPTED] = {[STEP_SUBMIT] = NO,
                              [STEP_APPROVE] = NO,
                              [STEP_DECLINE] = NO,
                              [STEP_ACCEPT] = NO,
                              [STEP_REJECT] = NO,
                              [STEP_ENROL] = APPLICATION_ENROLLED},
    [APPLICATION_REJECTED] = {NO, NO, NO, NO, NO, NO},
    [APPLICATION_ENROLLED] = {NO, NO, NO, NO, NO, NO},
};

static void every_application_step_from_every_state(void **state)
{
    (void)state;
    int allowed = 0;
    for (int s = 0; s < APPLICATION_STATE_COUNT; s++)
        for (int t = 0; t < APPLICATION_STEP_COUNT; t++) {
            struct errors errors = ERRORS_INIT;
            enum application_state next = (enum application_state)99;
            bool ok = application_step_next((enum application_state)s, (enum application_step)t, "The budget is spent",
                                            &next, &errors);
            if (application_moves[s][t] != NO) {
                if (!ok)
                    fprintf(stderr, "%s from %s was refused\n", application_step_name((enum application_step)t),
                            application_state_name((enum application_state)s));
                assert_true(ok);
                expect_error_count(&errors, 0);
                assert_int_equal(next, application_moves[s][t]);
                allowed++;
            } else {
                if (ok)
                    fprintf(stderr, "%s from %s was allowed\n", application_step_name((enum application_step)t),
                            application_state_name((enum application_state)s));
                assert_false(ok);
                expect_error_count(&errors, 1);
                expect_error_at(&errors, "state", application_state_title((enum application_state)s), NULL);
                assert_int_equal(next, 99); /* untouched when refused */
            }
            errors_free(&errors);
        }
    assert_int_equal(allowed, 6);
}

static void the_happy_path_runs_from_draft_to_enrolled(void **state)
{
    (void)state;
    static const enum application_step path[] = {STEP_SUBMIT, STEP_APPROVE, STEP_ACCEPT, STEP_ENROL};
    static const enum application_state after[] = {APPLICATION_SUBMITTED, APPLICATION_SPONSOR_APPROVED,
                                                   APPLICATION_ACCEPTED, APPLICATION_ENROLLED};
    enum application_state s = APPLICATION_DRAFT;
    struct errors errors = ERRORS_INIT;
    for (size_t i = 0; i < 4; i++) {
        /* No reason needed for these steps. */
        assert_true(application_step_next(s, path[i], NULL, &s, &errors));
        assert_int_equal(s, after[i]);
    }
    expect_error_count(&errors, 0);
    errors_free(&errors);
}

static void refusals_name_the_current_state(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    enum application_state next = APPLICATION_DRAFT;
    assert_false(application_step_next(APPLICATION_SUBMITTED, STEP_SUBMIT, NULL, &next, &errors));
    assert_string_equal(errors.items[0].where, "state");
    assert_string_equal(errors.items[0].message,
                        "Only a draft application can be submitted. This application is Waiting for the sponsor.");
    errors_free(&errors);
    assert_false(application_step_next(APPLICATION_ENROLLED, STEP_ACCEPT, NULL, &next, &errors));
    expect_error_at(&errors, "state", "only accept an application its sponsor has approved", "Enrolled");
    errors_free(&errors);
    assert_false(application_step_next(APPLICATION_SPONSOR_DECLINED, STEP_APPROVE, NULL, &next, &errors));
    expect_error_at(&errors, "state", "not yet decided", "Declined by the sponsor");
    errors_free(&errors);
    assert_false(application_step_next(APPLICATION_REJECTED, STEP_ENROL, NULL, &next, &errors));
    expect_error_at(&errors, "state", "Only an accepted application can be enrolled", "Rejected");
    errors_free(&errors);
    assert_int_equal(next, APPLICATION_DRAFT);
}

static void declining_and_rejecting_need_a_reason(void **state)
{
    (void)state;
    static const struct {
        enum application_state from;
        enum application_step step;
    } cases[] = {{APPLICATION_SUBMITTED, STEP_DECLINE}, {APPLICATION_SPONSOR_APPROVED, STEP_REJECT}};
    static const char *missing[] = {NULL, ""};
    for (size_t i = 0; i < 2; i++)
        for (size_t j = 0; j < 2; j++) {
            struct errors errors = ERRORS_INIT;
            enum application_state next = (enum application_state)99;
            assert_false(application_step_next(cases[i].from, cases[i].step, missing[j], &next, &errors));
            expect_error_count(&errors, 1);
            expect_error_at(&errors, "reason", "Give a reason", NULL);
            assert_int_equal(next, 99);
            errors_free(&errors);
        }
    /* From the wrong state, the state is the problem, with or without a reason. */
    struct errors errors = ERRORS_INIT;
    enum application_state next;
    assert_false(application_step_next(APPLICATION_DRAFT, STEP_DECLINE, NULL, &next, &errors));
    expect_error_count(&errors, 1);
    expect_error_at(&errors, "state", "Draft", NULL);
    errors_free(&errors);
}

static void an_unknown_step_is_refused(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    enum application_state next = APPLICATION_DRAFT;
    assert_false(application_step_next(APPLICATION_DRAFT, APPLICATION_STEP_COUNT, "x", &next, &errors));
    assert_int_equal(next, APPLICATION_DRAFT);
    errors_free(&errors);
}

/* Enrolments: steps */

#define TODAY "2026-06-15"
#define LATER "2026-09-01"

static const int enrolment_moves[4][4] = {
    [ENROLMENT_ACTIVE] = {[ENROLMENT_DEFER] = ENROLMENT_DEFERRED,
                          [ENROLMENT_RESUME] = NO,
                          [ENROLMENT_WITHDRAW] = ENROLMENT_WITHDRAWN,
                          [ENROLMENT_COMPLETE] = ENROLMENT_COMPLETED},
    [ENROLMENT_DEFERRED] = {[ENROLMENT_DEFER] = NO,
                            [ENROLMENT_RESUME] = ENROLMENT_ACTIVE,
                            [ENROLMENT_WITHDRAW] = ENROLMENT_WITHDRAWN,
                            [ENROLMENT_COMPLETE] = NO},
    [ENROLMENT_WITHDRAWN] = {NO, NO, NO, NO},
    [ENROLMENT_COMPLETED] = {NO, NO, NO, NO},
};

static void every_enrolment_step_from_every_state(void **state)
{
    (void)state;
    int allowed = 0;
    for (int s = 0; s < 4; s++)
        for (int t = 0; t < 4; t++) {
            struct errors errors = ERRORS_INIT;
            enum enrolment_state next = (enum enrolment_state)99;
            bool ok = enrolment_step_next((enum enrolment_state)s, (enum enrolment_step)t, "Moving house", LATER, true,
                                          TODAY, &next, &errors);
            if (enrolment_moves[s][t] != NO) {
                if (!ok)
                    fprintf(stderr, "%s from %s was refused\n", enrolment_step_name((enum enrolment_step)t),
                            enrolment_state_name((enum enrolment_state)s));
                assert_true(ok);
                expect_error_count(&errors, 0);
                assert_int_equal(next, enrolment_moves[s][t]);
                allowed++;
            } else {
                if (ok)
                    fprintf(stderr, "%s from %s was allowed\n", enrolment_step_name((enum enrolment_step)t),
                            enrolment_state_name((enum enrolment_state)s));
                assert_false(ok);
                expect_error_count(&errors, 1);
                expect_error_at(&errors, "state", "Only", enrolment_state_name((enum enrolment_state)s));
            }
            errors_free(&errors);
        }
    assert_int_equal(allowed, 5);
}

/* The state half of each step agrees with the whole, and says nothing of the rest of what was
 * sent: a missing reason is never a refusal by the state. */
static void whether_a_step_may_be_taken_depends_on_the_state_alone(void **state)
{
    (void)state;
    for (int s = 0; s < APPLICATION_STATE_COUNT; s++)
        for (int t = 0; t < APPLICATION_STEP_COUNT; t++) {
            struct errors errors = ERRORS_INIT;
            bool ok = application_step_allowed((enum application_state)s, (enum application_step)t, &errors);
            assert_int_equal(ok, application_moves[s][t] != NO);
            expect_error_count(&errors, ok ? 0 : 1);
            if (!ok)
                expect_error_at(&errors, "state", application_state_title((enum application_state)s), NULL);
            errors_free(&errors);
        }
    for (int s = 0; s < 4; s++)
        for (int t = 0; t < 4; t++) {
            struct errors errors = ERRORS_INIT;
            bool ok = enrolment_step_allowed((enum enrolment_state)s, (enum enrolment_step)t, &errors);
            assert_int_equal(ok, enrolment_moves[s][t] != NO);
            expect_error_count(&errors, ok ? 0 : 1);
            if (!ok)
                expect_error_at(&errors, "state", "Only", enrolment_state_name((enum enrolment_state)s));
            errors_free(&errors);
        }
    struct errors errors = ERRORS_INIT;
    assert_true(application_step_allowed(APPLICATION_SUBMITTED, STEP_DECLINE, &errors)); /* no reason needed yet */
    assert_true(enrolment_step_allowed(ENROLMENT_ACTIVE, ENROLMENT_DEFER, &errors));
    expect_error_count(&errors, 0);
    assert_false(application_step_allowed(APPLICATION_DRAFT, APPLICATION_STEP_COUNT, &errors));
}

static void refused_enrolment_steps_say_why(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    enum enrolment_state next;
    assert_false(enrolment_step_next(ENROLMENT_DEFERRED, ENROLMENT_DEFER, "x", LATER, true, TODAY, &next, &errors));
    expect_error_at(&errors, "state", "Only an active enrolment can be deferred", "deferred");
    errors_free(&errors);
    assert_false(enrolment_step_next(ENROLMENT_ACTIVE, ENROLMENT_RESUME, "x", LATER, true, TODAY, &next, &errors));
    expect_error_at(&errors, "state", "Only a deferred enrolment can be resumed", "active");
    errors_free(&errors);
    assert_false(enrolment_step_next(ENROLMENT_COMPLETED, ENROLMENT_WITHDRAW, "x", LATER, true, TODAY, &next, &errors));
    expect_error_at(&errors, "state", "Only an active or deferred enrolment can be withdrawn", "completed");
    errors_free(&errors);
    assert_false(enrolment_step_next(ENROLMENT_DEFERRED, ENROLMENT_COMPLETE, "x", LATER, true, TODAY, &next, &errors));
    assert_string_equal(errors.items[0].message, "Only an active enrolment can be completed. This one is deferred.");
    errors_free(&errors);
}

static void defer(const char *reason, const char *expected_return, struct errors *errors, bool *ok)
{
    enum enrolment_state next;
    *ok = enrolment_step_next(ENROLMENT_ACTIVE, ENROLMENT_DEFER, reason, expected_return, false, TODAY, &next, errors);
}

static void defer_accepted(const char *expected_return)
{
    struct errors errors = ERRORS_INIT;
    bool ok;
    defer("Illness", expected_return, &errors, &ok);
    if (!ok)
        fprintf(stderr, "deferring to %s was refused\n", expected_return);
    expect_error_count(&errors, 0);
    assert_true(ok);
    errors_free(&errors);
}

static void defer_refused(const char *expected_return, const char *word)
{
    struct errors errors = ERRORS_INIT;
    bool ok;
    defer("Illness", expected_return, &errors, &ok);
    if (ok)
        fprintf(stderr, "deferring to \"%s\" was accepted\n", expected_return ? expected_return : "(null)");
    assert_false(ok);
    expect_error_count(&errors, 1);
    expect_error_at(&errors, "expected_return", word, NULL);
    errors_free(&errors);
}

static void deferring_needs_a_reason_and_a_return_date_from_today(void **state)
{
    (void)state;
    defer_accepted(TODAY);
    defer_accepted("2026-06-16");
    defer_accepted("2026-07-01");
    defer_accepted("2027-01-31");
    defer_accepted("2027-12-31");
    defer_accepted("2028-02-29");

    defer_refused("2026-06-14", "today or later");
    defer_refused("2026-05-31", "today or later");
    defer_refused("2025-12-31", "today or later");

    defer_refused(NULL, "YYYY-MM-DD");
    defer_refused("", "YYYY-MM-DD");
    defer_refused("2027-13-01", "YYYY-MM-DD");
    defer_refused("2027-00-10", "YYYY-MM-DD");
    defer_refused("2027-01-00", "YYYY-MM-DD");
    defer_refused("2027-01-32", "YYYY-MM-DD");
    defer_refused("2027-1-1", "YYYY-MM-DD");
    defer_refused("2027-01-1", "YYYY-MM-DD");
    defer_refused("27-01-01", "YYYY-MM-DD");
    defer_refused("tomorrow", "YYYY-MM-DD");
    defer_refused("01/09/2027", "YYYY-MM-DD");
    defer_refused("2027-09-01T00:00", "YYYY-MM-DD");
    defer_refused("2027-09-01 ", "YYYY-MM-DD");
    defer_refused("2027-0901x", "YYYY-MM-DD");

    struct errors errors = ERRORS_INIT;
    bool ok;
    defer(NULL, LATER, &errors, &ok);
    assert_false(ok);
    expect_error_count(&errors, 1);
    expect_error_at(&errors, "reason", "reason for deferring", NULL);
    errors_free(&errors);
    defer("", LATER, &errors, &ok);
    assert_false(ok);
    expect_error_at(&errors, "reason", "reason for deferring", NULL);
    errors_free(&errors);

    /* Everything wrong at once is reported at once. */
    enum enrolment_state next;
    assert_false(
        enrolment_step_next(ENROLMENT_WITHDRAWN, ENROLMENT_DEFER, NULL, "tomorrow", false, TODAY, &next, &errors));
    expect_error_count(&errors, 3);
    expect_error_at(&errors, "state", "withdrawn", NULL);
    expect_error_at(&errors, "reason", "deferring", NULL);
    expect_error_at(&errors, "expected_return", "YYYY-MM-DD", NULL);
    errors_free(&errors);
}

static void deferring_refuses_dates_that_do_not_exist(void **state)
{
    (void)state;
    defer_refused("2027-02-30", "YYYY-MM-DD");
    defer_refused("2027-02-29", "YYYY-MM-DD"); /* 2027 is not a leap year */
    defer_refused("2027-04-31", "YYYY-MM-DD");
}

static void deferring_refuses_dates_not_in_the_yyyy_mm_dd_shape(void **state)
{
    (void)state;
    /* Ten characters that sscanf reads as numbers but that are not YYYY-MM-DD; as strings they
     * also compare wrongly against today. */
    defer_refused("2027-01- 1", "YYYY-MM-DD");
    defer_refused("2027- 1-01", "YYYY-MM-DD");
    defer_refused("2027-+1-01", "YYYY-MM-DD");
}

static void resuming_needs_a_cohort(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    enum enrolment_state next;
    assert_false(enrolment_step_next(ENROLMENT_DEFERRED, ENROLMENT_RESUME, NULL, NULL, false, TODAY, &next, &errors));
    expect_error_count(&errors, 1);
    expect_error_at(&errors, "cohort_id", "Choose the cohort", NULL);
    errors_free(&errors);
    /* No reason or date is needed to resume. */
    assert_true(enrolment_step_next(ENROLMENT_DEFERRED, ENROLMENT_RESUME, NULL, NULL, true, TODAY, &next, &errors));
    assert_int_equal(next, ENROLMENT_ACTIVE);
    expect_error_count(&errors, 0);
    /* Resuming an active enrolment without a cohort: both problems. */
    assert_false(enrolment_step_next(ENROLMENT_ACTIVE, ENROLMENT_RESUME, NULL, NULL, false, TODAY, &next, &errors));
    expect_error_count(&errors, 2);
    expect_error_at(&errors, "state", "active", NULL);
    expect_error_at(&errors, "cohort_id", "cohort", NULL);
    errors_free(&errors);
}

static void withdrawing_needs_a_reason(void **state)
{
    (void)state;
    static const enum enrolment_state from[] = {ENROLMENT_ACTIVE, ENROLMENT_DEFERRED};
    static const char *missing[] = {NULL, ""};
    for (size_t i = 0; i < 2; i++) {
        struct errors errors = ERRORS_INIT;
        enum enrolment_state next;
        for (size_t j = 0; j < 2; j++) {
            assert_false(
                enrolment_step_next(from[i], ENROLMENT_WITHDRAW, missing[j], NULL, false, TODAY, &next, &errors));
            expect_error_count(&errors, 1);
            expect_error_at(&errors, "reason", "reason for withdrawing", NULL);
            errors_free(&errors);
        }
        /* No date or cohort needed. */
        assert_true(enrolment_step_next(from[i], ENROLMENT_WITHDRAW, "New job", NULL, false, NULL, &next, &errors));
        assert_int_equal(next, ENROLMENT_WITHDRAWN);
        errors_free(&errors);
    }
}

static void completing_needs_nothing_but_an_active_enrolment(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    enum enrolment_state next;
    assert_true(enrolment_step_next(ENROLMENT_ACTIVE, ENROLMENT_COMPLETE, NULL, NULL, false, NULL, &next, &errors));
    assert_int_equal(next, ENROLMENT_COMPLETED);
    expect_error_count(&errors, 0);
    for (int s = ENROLMENT_DEFERRED; s <= ENROLMENT_COMPLETED; s++) {
        assert_false(
            enrolment_step_next((enum enrolment_state)s, ENROLMENT_COMPLETE, "x", LATER, true, TODAY, &next, &errors));
        expect_error_count(&errors, 1);
        expect_error_at(&errors, "state", "Only an active enrolment can be completed", NULL);
        errors_free(&errors);
    }
}

/* Enrolments: one at a time */

static void one_enrolment_per_qualification_at_a_time(void **state)
{
    (void)state;
    struct enrolment_summary existing[] = {
        {STUDY_QUALIFICATION, "NPQML", ENROLMENT_COMPLETED},
        {STUDY_QUALIFICATION, "NPQSL", ENROLMENT_ACTIVE},
        {STUDY_MODULE, "leading-change-for-improvement", ENROLMENT_DEFERRED},
        {STUDY_QUALIFICATION, "NPQH", ENROLMENT_WITHDRAWN},
    };
    struct errors errors = ERRORS_INIT;
    assert_false(enrolment_check_unique(existing, 4, STUDY_QUALIFICATION, "NPQSL", &errors));
    expect_error_count(&errors, 1);
    expect_error_at(&errors, "target", "already enrolled", "NPQSL");
    expect_error_at(&errors, "target", "active", NULL);
    errors_free(&errors);
    assert_false(enrolment_check_unique(existing, 4, STUDY_QUALIFICATION, "npqsl", &errors));
    expect_error_at(&errors, "target", "already enrolled", NULL);
    errors_free(&errors);
    assert_false(enrolment_check_unique(existing, 4, STUDY_MODULE, "Leading-Change-For-Improvement", &errors));
    expect_error_count(&errors, 1);
    expect_error_at(&errors, "target", "already enrolled", "deferred");
    errors_free(&errors);

    /* Completed and withdrawn enrolments do not count; another qualification is fine. */
    assert_true(enrolment_check_unique(existing, 4, STUDY_QUALIFICATION, "NPQML", &errors));
    assert_true(enrolment_check_unique(existing, 4, STUDY_QUALIFICATION, "npqh", &errors));
    assert_true(enrolment_check_unique(existing, 4, STUDY_MODULE, "closing-the-gap", &errors));
    /* The same code as the other kind is another thing. */
    assert_true(enrolment_check_unique(existing, 4, STUDY_QUALIFICATION, "leading-change-for-improvement", &errors));
    assert_true(enrolment_check_unique(NULL, 0, STUDY_QUALIFICATION, "NPQSL", &errors));
    /* Only the first three are active or deferred elsewhere; one deferred NPQH blocks NPQH. */
    existing[3].state = ENROLMENT_DEFERRED;
    assert_false(enrolment_check_unique(existing, 4, STUDY_QUALIFICATION, "NPQH", &errors));
    expect_error_count(&errors, 1);
    errors_free(&errors);
}

/* Pathways */

struct path {
    struct arena arena;
    struct pathway p;
    char words[256];
};

static void compute(const char *q, const char **done, size_t count, struct path *out)
{
    struct completed_module modules[40];
    assert_true(count <= 40);
    for (size_t i = 0; i < count; i++)
        modules[i] = (struct completed_module){done[i], "2025-07-01"};
    out->arena = (struct arena)ARENA_INIT;
    pathway_compute(catalogue, qualification(q), modules, count, &out->arena, &out->p);
    pathway_describe_remaining(catalogue, &out->p, out->words, sizeof(out->words));
}

static void expect_codes(const char **got, size_t got_count, size_t count, const char **codes)
{
    assert_int_equal(got_count, count);
    for (size_t i = 0; i < count; i++)
        assert_string_equal(got[i], codes[i]);
}

#define CODES(...)                                                                                                     \
    (sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)), (const char *[])                                   \
    {                                                                                                                  \
        __VA_ARGS__                                                                                                    \
    }

static void with_nothing_done_everything_remains(void **state)
{
    (void)state;
    struct path sl;
    compute("NPQSL", NULL, 0, &sl);
    assert_ptr_equal(sl.p.qualification, qualification("NPQSL"));
    assert_int_equal(sl.p.essential_done_count, 0);
    expect_codes(sl.p.essential_remaining, sl.p.essential_remaining_count,
                 CODES("closing-the-gap", "succeeding-in-senior-leadership"));
    assert_int_equal(sl.p.electives_done_count, 0);
    assert_int_equal(sl.p.electives_needed, 2);
    assert_false(sl.p.modules_complete);
    assert_string_equal(sl.words, "needs Closing the gap, Succeeding in senior leadership and 2 electives");
    /* The arrays point into the catalogue. */
    assert_ptr_equal(sl.p.essential_remaining[0], qualification("NPQSL")->rule.essential[0]);
    arena_release(&sl.arena);

    struct path ml;
    compute("NPQML", NULL, 0, &ml);
    assert_int_equal(ml.p.electives_needed, 1);
    assert_string_equal(ml.words, "needs Leading teaching, Managing systems and processes and 1 elective");
    arena_release(&ml.arena);

    struct path h;
    compute("NPQH", NULL, 0, &h);
    assert_int_equal(h.p.essential_remaining_count, 3);
    assert_string_equal(h.words, "needs Leading and improving teaching, Leading an effective school, Succeeding in "
                                 "headship and 2 electives");
    arena_release(&h.arena);
}

static void a_module_studied_alone_counts_towards_every_qualification_that_offers_it(void **state)
{
    (void)state;
    const char *done[] = {"leading-change-for-improvement"};
    struct path ml, sl, h;
    compute("NPQML", done, 1, &ml);
    expect_codes(ml.p.electives_done, ml.p.electives_done_count, CODES("leading-change-for-improvement"));
    assert_int_equal(ml.p.electives_needed, 0);
    assert_int_equal(ml.p.essential_done_count, 0);
    assert_false(ml.p.modules_complete);
    assert_string_equal(ml.words, "needs Leading teaching and Managing systems and processes");

    compute("NPQSL", done, 1, &sl);
    expect_codes(sl.p.electives_done, sl.p.electives_done_count, CODES("leading-change-for-improvement"));
    assert_int_equal(sl.p.electives_needed, 1);
    assert_int_equal(sl.p.essential_done_count, 0);
    assert_string_equal(sl.words, "needs Closing the gap, Succeeding in senior leadership and 1 more elective");

    compute("NPQH", done, 1, &h);
    expect_codes(h.p.electives_done, h.p.electives_done_count, CODES("leading-change-for-improvement"));
    assert_int_equal(h.p.electives_needed, 1);
    assert_int_equal(h.p.essential_remaining_count, 3);
    arena_release(&ml.arena);
    arena_release(&sl.arena);
    arena_release(&h.arena);
}

static void closing_the_gap_is_essential_for_npqsl_and_elective_for_npqh(void **state)
{
    (void)state;
    const char *done[] = {"closing-the-gap"};
    struct path sl, h, ml;
    compute("NPQSL", done, 1, &sl);
    expect_codes(sl.p.essential_done, sl.p.essential_done_count, CODES("closing-the-gap"));
    expect_codes(sl.p.essential_remaining, sl.p.essential_remaining_count, CODES("succeeding-in-senior-leadership"));
    assert_int_equal(sl.p.electives_done_count, 0);
    assert_int_equal(sl.p.electives_needed, 2);
    assert_string_equal(sl.words, "needs Succeeding in senior leadership and 2 electives");

    compute("NPQH", done, 1, &h);
    assert_int_equal(h.p.essential_done_count, 0);
    expect_codes(h.p.electives_done, h.p.electives_done_count, CODES("closing-the-gap"));
    assert_int_equal(h.p.electives_needed, 1);

    /* Not part of the NPQML at all. */
    compute("NPQML", done, 1, &ml);
    assert_int_equal(ml.p.essential_done_count, 0);
    assert_int_equal(ml.p.electives_done_count, 0);
    assert_int_equal(ml.p.electives_needed, 1);
    arena_release(&sl.arena);
    arena_release(&h.arena);
    arena_release(&ml.arena);
}

static void extra_electives_are_not_counted_twice(void **state)
{
    (void)state;
    /* Three NPQSL electives, given out of list order, and one completed twice. */
    const char *done[] = {"effective-partnership-working", "school-self-evaluation",
                          "improving-the-quality-of-teaching", "school-self-evaluation"};
    struct path sl;
    compute("NPQSL", done, 4, &sl);
    assert_int_equal(sl.p.electives_done_count, 2);
    assert_int_equal(sl.p.electives_needed, 0);
    /* In the rule's order, each once. */
    expect_codes(sl.p.electives_done, sl.p.electives_done_count,
                 CODES("improving-the-quality-of-teaching", "school-self-evaluation"));
    assert_false(sl.p.modules_complete);
    assert_string_equal(sl.words, "needs Closing the gap and Succeeding in senior leadership");
    arena_release(&sl.arena);

    /* The same elective completed twice is one elective. */
    const char *again[] = {"school-self-evaluation", "school-self-evaluation"};
    compute("NPQSL", again, 2, &sl);
    assert_int_equal(sl.p.electives_done_count, 1);
    assert_int_equal(sl.p.electives_needed, 1);
    arena_release(&sl.arena);

    /* An essential completed twice is one essential, and is never an elective. */
    const char *essential[] = {"closing-the-gap", "closing-the-gap"};
    compute("NPQSL", essential, 2, &sl);
    assert_int_equal(sl.p.essential_done_count, 1);
    assert_int_equal(sl.p.electives_done_count, 0);
    arena_release(&sl.arena);
}

static void only_electives_or_only_essentials_remaining(void **state)
{
    (void)state;
    struct path p;
    const char *essentials[] = {"succeeding-in-senior-leadership", "closing-the-gap"};
    compute("NPQSL", essentials, 2, &p);
    expect_codes(p.p.essential_done, p.p.essential_done_count,
                 CODES("closing-the-gap", "succeeding-in-senior-leadership"));
    assert_int_equal(p.p.essential_remaining_count, 0);
    assert_string_equal(p.words, "needs 2 electives");
    arena_release(&p.arena);

    const char *one_short[] = {"succeeding-in-senior-leadership", "closing-the-gap", "school-self-evaluation"};
    compute("NPQSL", one_short, 3, &p);
    assert_string_equal(p.words, "needs 1 more elective");
    arena_release(&p.arena);

    const char *one_essential[] = {"succeeding-in-senior-leadership", "school-self-evaluation",
                                   "leading-change-for-improvement"};
    compute("NPQSL", one_essential, 3, &p);
    assert_string_equal(p.words, "needs Closing the gap");
    arena_release(&p.arena);

    const char *h[] = {"closing-the-gap", "curriculum-development"};
    compute("NPQH", h, 2, &p);
    assert_string_equal(p.words, "needs Leading and improving teaching, Leading an effective school and Succeeding in "
                                 "headship");
    arena_release(&p.arena);

    const char *h_one[] = {"leading-and-improving-teaching", "succeeding-in-headship"};
    compute("NPQH", h_one, 2, &p);
    assert_string_equal(p.words, "needs Leading an effective school and 2 electives");
    arena_release(&p.arena);
}

static void everything_done_completes_every_qualification(void **state)
{
    (void)state;
    const char *all[40];
    assert_true(catalogue->module_count <= 40);
    for (size_t i = 0; i < catalogue->module_count; i++)
        all[i] = catalogue->modules[i].code;
    static const char *quals[] = {"NPQML", "NPQSL", "NPQH"};
    for (size_t i = 0; i < 3; i++) {
        struct path p;
        compute(quals[i], all, catalogue->module_count, &p);
        const struct catalogue_rule *rule = &qualification(quals[i])->rule;
        assert_true(p.p.modules_complete);
        assert_int_equal(p.p.essential_done_count, rule->essential_count);
        assert_int_equal(p.p.essential_remaining_count, 0);
        assert_int_equal(p.p.electives_done_count, rule->elective_count);
        assert_int_equal(p.p.electives_needed, 0);
        assert_string_equal(p.words, "all modules complete");
        arena_release(&p.arena);
    }
    /* Exactly what the NPQML asks, and no more. */
    struct path p;
    const char *ml[] = {"managing-systems-and-processes", "leading-in-a-diverse-system", "leading-teaching"};
    compute("NPQML", ml, 3, &p);
    assert_true(p.p.modules_complete);
    assert_string_equal(p.words, "all modules complete");
    arena_release(&p.arena);
}

static void modules_of_other_qualifications_do_not_count(void **state)
{
    (void)state;
    const char *done[] = {"succeeding-in-headship", "curriculum-development", "leading-teaching", "no-such-module"};
    struct path sl;
    compute("NPQSL", done, 4, &sl);
    assert_int_equal(sl.p.essential_done_count, 0);
    assert_int_equal(sl.p.electives_done_count, 0);
    assert_int_equal(sl.p.electives_needed, 2);
    arena_release(&sl.arena);
}

static void descriptions_truncate_safely(void **state)
{
    (void)state;
    struct path sl;
    compute("NPQSL", NULL, 0, &sl);
    char small[16];
    memset(small, 'x', sizeof(small));
    pathway_describe_remaining(catalogue, &sl.p, small, sizeof(small));
    assert_string_equal(small, "needs Closing t");
    char tiny[1] = {'x'};
    pathway_describe_remaining(catalogue, &sl.p, tiny, sizeof(tiny));
    assert_int_equal(tiny[0], '\0');
    /* Cut off in the middle of the electives part. */
    char mid[80];
    pathway_describe_remaining(catalogue, &sl.p, mid, 60);
    assert_int_equal(strlen(mid), 59);
    arena_release(&sl.arena);
}

/* Names */

static void names_read_both_ways(void **state)
{
    (void)state;
    static const char *kinds[] = {"qualification", "module"};
    for (int i = 0; i < 2; i++) {
        enum study_kind k = (enum study_kind)9;
        assert_string_equal(study_kind_name((enum study_kind)i), kinds[i]);
        assert_true(study_kind_parse(kinds[i], &k));
        assert_int_equal(k, i);
    }
    static const char *models[] = {"blended", "online"}, *model_titles[] = {"Blended", "Online only"};
    for (int i = 0; i < 2; i++) {
        enum delivery_model m = (enum delivery_model)9;
        assert_string_equal(delivery_model_name((enum delivery_model)i), models[i]);
        assert_string_equal(delivery_model_title((enum delivery_model)i), model_titles[i]);
        assert_true(delivery_model_parse(models[i], &m));
        assert_int_equal(m, i);
    }
    static const char *routes[] = {"school", "self", "scholarship"},
                      *route_titles[] = {"School-funded", "Self-funded", "Scholarship"};
    for (int i = 0; i < 3; i++) {
        enum funding_route r = (enum funding_route)9;
        assert_string_equal(funding_route_name((enum funding_route)i), routes[i]);
        assert_string_equal(funding_route_title((enum funding_route)i), route_titles[i]);
        assert_true(funding_route_parse(routes[i], &r));
        assert_int_equal(r, i);
    }
    static const char *app_states[] = {"draft",    "submitted", "sponsor_approved", "sponsor_declined",
                                       "accepted", "rejected",  "enrolled"};
    static const char *app_titles[] = {"Draft",
                                       "Waiting for the sponsor",
                                       "Approved by the sponsor",
                                       "Declined by the sponsor",
                                       "Accepted",
                                       "Rejected",
                                       "Enrolled"};
    for (int i = 0; i < APPLICATION_STATE_COUNT; i++) {
        enum application_state s = (enum application_state)99;
        assert_string_equal(application_state_name((enum application_state)i), app_states[i]);
        assert_string_equal(application_state_title((enum application_state)i), app_titles[i]);
        assert_true(application_state_parse(app_states[i], &s));
        assert_int_equal(s, i);
    }
    static const char *app_steps[] = {"submit", "approve", "decline", "accept", "reject", "enrol"};
    for (int i = 0; i < APPLICATION_STEP_COUNT; i++) {
        enum application_step t = (enum application_step)99;
        assert_string_equal(application_step_name((enum application_step)i), app_steps[i]);
        assert_true(application_step_parse(app_steps[i], &t));
        assert_int_equal(t, i);
    }
    static const char *enr_states[] = {"active", "deferred", "withdrawn", "completed"},
                      *enr_titles[] = {"Active", "Deferred", "Withdrawn", "Completed"};
    for (int i = 0; i < 4; i++) {
        enum enrolment_state s = (enum enrolment_state)99;
        assert_string_equal(enrolment_state_name((enum enrolment_state)i), enr_states[i]);
        assert_string_equal(enrolment_state_title((enum enrolment_state)i), enr_titles[i]);
        assert_true(enrolment_state_parse(enr_states[i], &s));
        assert_int_equal(s, i);
    }
    static const char *enr_steps[] = {"defer", "resume", "withdraw", "complete"};
    for (int i = 0; i < 4; i++) {
        enum enrolment_step t = (enum enrolment_step)99;
        assert_string_equal(enrolment_step_name((enum enrolment_step)i), enr_steps[i]);
        assert_true(enrolment_step_parse(enr_steps[i], &t));
        assert_int_equal(t, i);
    }
}

static void unknown_names_are_refused(void **state)
{
    (void)state;
    static const char *bad[] = {NULL, "", "x", "Module", "MODULE", " module", "module ", "modules", "draft\n"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        enum study_kind k = (enum study_kind)9;
        enum delivery_model m = (enum delivery_model)9;
        enum funding_route r = (enum funding_route)9;
        enum application_state as = (enum application_state)99;
        enum application_step at = (enum application_step)99;
        enum enrolment_state es = (enum enrolment_state)99;
        enum enrolment_step et = (enum enrolment_step)99;
        assert_false(study_kind_parse(bad[i], &k));
        assert_false(delivery_model_parse(bad[i], &m));
        assert_false(funding_route_parse(bad[i], &r));
        assert_false(application_state_parse(bad[i], &as));
        assert_false(application_step_parse(bad[i], &at));
        assert_false(enrolment_state_parse(bad[i], &es));
        assert_false(enrolment_step_parse(bad[i], &et));
        /* Left untouched when refused. */
        assert_int_equal(k, 9);
        assert_int_equal(m, 9);
        assert_int_equal(r, 9);
        assert_int_equal(as, 99);
        assert_int_equal(at, 99);
        assert_int_equal(es, 99);
        assert_int_equal(et, 99);
    }
    enum application_state as;
    enum enrolment_state es;
    enum funding_route r;
    enum delivery_model m;
    /* Names of one table are not names of another; titles are not names. */
    assert_false(application_state_parse("active", &as));
    assert_false(enrolment_state_parse("draft", &es));
    assert_false(application_state_parse("Draft", &as));
    assert_false(application_state_parse("Approved by the sponsor", &as));
    assert_false(funding_route_parse("School-funded", &r));
    assert_false(delivery_model_parse("Online only", &m));
    assert_false(application_state_parse("approved", &as));
    /* Out of range values have no name. */
    assert_string_equal(application_state_name(APPLICATION_STATE_COUNT), "");
    assert_string_equal(application_state_title(APPLICATION_STATE_COUNT), "");
    assert_string_equal(application_step_name(APPLICATION_STEP_COUNT), "");
    assert_string_equal(enrolment_state_name((enum enrolment_state)4), "");
    assert_string_equal(enrolment_state_title((enum enrolment_state)4), "");
    assert_string_equal(enrolment_step_name((enum enrolment_step)4), "");
    assert_string_equal(study_kind_name((enum study_kind)2), "");
    assert_string_equal(delivery_model_name((enum delivery_model)2), "");
    assert_string_equal(delivery_model_title((enum delivery_model)2), "");
    assert_string_equal(funding_route_name((enum funding_route)3), "");
    assert_string_equal(funding_route_title((enum funding_route)3), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(npqsl_accepts_exactly_two_electives_from_its_list),
        cmocka_unit_test(npqsl_refuses_too_few_or_too_many_electives),
        cmocka_unit_test(a_duplicate_elective_is_refused),
        cmocka_unit_test(a_duplicate_typed_in_another_case_is_refused),
        cmocka_unit_test(an_essential_module_is_not_an_elective),
        cmocka_unit_test(a_module_outside_the_list_is_refused),
        cmocka_unit_test(an_unknown_module_is_refused),
        cmocka_unit_test(every_wrong_choice_is_reported),
        cmocka_unit_test(npqml_takes_exactly_one_elective),
        cmocka_unit_test(npqh_accepts_closing_the_gap_as_an_elective),
        cmocka_unit_test(earlier_errors_do_not_change_the_outcome),
        cmocka_unit_test(a_full_error_list_still_refuses),
        cmocka_unit_test(a_complete_application_passes),
        cmocka_unit_test(the_target_must_exist_as_the_kind_asked_for),
        cmocka_unit_test(electives_are_checked_for_a_qualification),
        cmocka_unit_test(a_module_studied_alone_has_no_electives),
        cmocka_unit_test(a_sponsor_must_be_named),
        cmocka_unit_test(a_scholarship_says_why_the_applicant_is_eligible),
        cmocka_unit_test(every_problem_is_reported_at_once),
        cmocka_unit_test(every_application_step_from_every_state),
        cmocka_unit_test(the_happy_path_runs_from_draft_to_enrolled),
        cmocka_unit_test(refusals_name_the_current_state),
        cmocka_unit_test(declining_and_rejecting_need_a_reason),
        cmocka_unit_test(an_unknown_step_is_refused),
        cmocka_unit_test(every_enrolment_step_from_every_state),
        cmocka_unit_test(refused_enrolment_steps_say_why),
        cmocka_unit_test(whether_a_step_may_be_taken_depends_on_the_state_alone),
        cmocka_unit_test(deferring_needs_a_reason_and_a_return_date_from_today),
        cmocka_unit_test(deferring_refuses_dates_that_do_not_exist),
        cmocka_unit_test(deferring_refuses_dates_not_in_the_yyyy_mm_dd_shape),
        cmocka_unit_test(resuming_needs_a_cohort),
        cmocka_unit_test(withdrawing_needs_a_reason),
        cmocka_unit_test(completing_needs_nothing_but_an_active_enrolment),
        cmocka_unit_test(one_enrolment_per_qualification_at_a_time),
        cmocka_unit_test(with_nothing_done_everything_remains),
        cmocka_unit_test(a_module_studied_alone_counts_towards_every_qualification_that_offers_it),
        cmocka_unit_test(closing_the_gap_is_essential_for_npqsl_and_elective_for_npqh),
        cmocka_unit_test(extra_electives_are_not_counted_twice),
        cmocka_unit_test(only_electives_or_only_essentials_remaining),
        cmocka_unit_test(everything_done_completes_every_qualification),
        cmocka_unit_test(modules_of_other_qualifications_do_not_count),
        cmocka_unit_test(descriptions_truncate_safely),
        cmocka_unit_test(names_read_both_ways),
        cmocka_unit_test(unknown_names_are_refused),
    };
    return cmocka_run_group_tests(tests, parse_default, free_default);
}
