/*
 * The progress rules at their boundaries, as a table: each row is the facts of one enrolment, the
 * status the whole should have and a phrase its reasons must hold, so a right status with a wrong
 * or missing reason fails too. Then one module's rules alone, and the names both ways.
 */
#include "../test_support.h"

#include "domain/progress.h"

#include <stdio.h>

static const struct progress_module_facts fresh = {.code = "LT1", .title = "Leading teaching", .hours_cap = 600};

static struct progress_module_facts module_with(int held, int attended, int missed)
{
    struct progress_module_facts m = fresh;
    m.events_held = held;
    m.events_attended = attended;
    m.events_missed = missed;
    return m;
}

static struct progress_module_facts all_held_with_minutes(int minutes)
{
    struct progress_module_facts m = module_with(2, 2, 0);
    m.events_all_held = true;
    m.hours_logged = minutes;
    return m;
}

struct row {
    const char *name;
    struct progress_module_facts module;
    struct progress_facts facts; /* modules filled in from `module` */
    enum progress_status status;
    const char *phrase;
};

static bool reasons_hold(const struct progress_reasons *reasons, const char *phrase)
{
    for (size_t i = 0; i < reasons->count; i++)
        if (strstr(reasons->text[i], phrase) != NULL)
            return true;
    return false;
}

static void the_whole_follows_its_facts(void **state)
{
    (void)state;
    const struct row rows[] = {
        {"nothing held yet", fresh, {.modules_required = 1}, PROGRESS_ON_TRACK, "0 of 1 module completed"},
        {"all attended", module_with(3, 3, 0), {.modules_required = 1}, PROGRESS_ON_TRACK, "0 of 1 module"},
        {"one missed", module_with(3, 2, 1), {0}, PROGRESS_AT_RISK, "missed 1 of 3 face-to-face events"},
        {"two missed", module_with(3, 1, 2), {0}, PROGRESS_BEHIND, "missed 2 of 3 face-to-face events"},
        {"due in 15 days, nothing", fresh, {.has_deadline = true, .days_to_deadline = 15}, PROGRESS_ON_TRACK, NULL},
        {"due in 14 days, nothing",
         fresh,
         {.has_deadline = true, .days_to_deadline = 14},
         PROGRESS_AT_RISK,
         "final assessment due in 14 days, no draft yet"},
        {"due in 9 days, nothing",
         fresh,
         {.has_deadline = true, .days_to_deadline = 9},
         PROGRESS_AT_RISK,
         "final assessment due in 9 days, no draft yet"},
        {"due in 4 days, nothing", fresh, {.has_deadline = true, .days_to_deadline = 4}, PROGRESS_AT_RISK, "4 days"},
        {"due in 3 days, nothing",
         fresh,
         {.has_deadline = true, .days_to_deadline = 3},
         PROGRESS_BEHIND,
         "due in 3 days, no draft yet"},
        {"due in 3 days, a draft",
         fresh,
         {.has_deadline = true, .days_to_deadline = 3, .draft_started = true},
         PROGRESS_AT_RISK,
         "draft not yet submitted"},
        {"due tomorrow", fresh, {.has_deadline = true, .days_to_deadline = 1}, PROGRESS_BEHIND, "due in 1 day,"},
        {"overdue",
         fresh,
         {.has_deadline = true, .days_to_deadline = -2, .draft_started = true},
         PROGRESS_BEHIND,
         "was due 2 days ago"},
        {"submitted before the deadline",
         fresh,
         {.has_deadline = true, .days_to_deadline = 1, .submitted = true},
         PROGRESS_ON_TRACK,
         NULL},
        {"referred", fresh, {.submitted = true, .result = PROGRESS_RESULT_REFERRED}, PROGRESS_AT_RISK, "referred"},
        {"failed", fresh, {.submitted = true, .result = PROGRESS_RESULT_FAIL}, PROGRESS_BEHIND, "not passed"},
        {"passed despite a missed event",
         module_with(3, 2, 1),
         {.submitted = true, .result = PROGRESS_RESULT_PASS},
         PROGRESS_COMPLETE,
         "final assessment passed"},
        {"missed and overdue",
         module_with(2, 1, 1),
         {.has_deadline = true, .days_to_deadline = -1},
         PROGRESS_BEHIND,
         "missed 1 of 2"},
        {"too few hours once every event is held",
         all_held_with_minutes(120),
         {0},
         PROGRESS_AT_RISK,
         "Leading teaching: 2 of 10 learning hours logged"},
        {"enough hours", all_held_with_minutes(300), {0}, PROGRESS_ON_TRACK, NULL},
        {"coaching counted", fresh, {.coaching_held = 2}, PROGRESS_ON_TRACK, "2 coaching sessions held"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct progress_facts facts = rows[i].facts;
        facts.modules = &rows[i].module;
        facts.module_count = 1;
        struct progress_thresholds thresholds = progress_thresholds_default();
        struct progress_module module;
        struct progress p = progress_assess(&facts, &thresholds, &module);
        if (p.status != rows[i].status || (rows[i].phrase != NULL && !reasons_hold(&p.reasons, rows[i].phrase))) {
            fprintf(stderr, "%s: got %s\n", rows[i].name, progress_status_name(p.status));
            for (size_t r = 0; r < p.reasons.count; r++)
                fprintf(stderr, "  %s\n", p.reasons.text[r]);
            fail();
        }
        assert_true(p.reasons.count > 0 || p.status == PROGRESS_ON_TRACK);
    }
}

static void a_module_is_judged_on_its_own(void **state)
{
    (void)state;
    struct progress_thresholds thresholds = progress_thresholds_default();
    struct progress_module_facts m = module_with(4, 4, 0);
    m.events_all_held = true;
    m.hours_logged = 299; /* minutes: just under half of 600 */
    struct progress_module out = progress_module_assess(&m, &thresholds);
    assert_int_equal(out.status, PROGRESS_AT_RISK);
    assert_true(reasons_hold(&out.reasons, "4 of 10 learning hours logged"));
    m.hours_logged = 300;
    assert_int_equal(progress_module_assess(&m, &thresholds).status, PROGRESS_ON_TRACK);
    /* Hours are not judged while events are still to come. */
    m.hours_logged = 0;
    m.events_all_held = false;
    assert_int_equal(progress_module_assess(&m, &thresholds).status, PROGRESS_ON_TRACK);
    m.completed = true;
    m.events_missed = 3;
    out = progress_module_assess(&m, &thresholds);
    assert_int_equal(out.status, PROGRESS_COMPLETE);
    assert_true(reasons_hold(&out.reasons, "Leading teaching completed"));
    /* Thresholds move the boundaries. */
    thresholds.missed_events_at_risk = 2;
    thresholds.missed_events_behind = 3;
    struct progress_module_facts one = module_with(3, 2, 1);
    assert_int_equal(progress_module_assess(&one, &thresholds).status, PROGRESS_ON_TRACK);
    struct progress_module_facts two = module_with(3, 1, 2);
    assert_int_equal(progress_module_assess(&two, &thresholds).status, PROGRESS_AT_RISK);
}

static void names_and_titles(void **state)
{
    (void)state;
    assert_string_equal(progress_status_name(PROGRESS_AT_RISK), "at_risk");
    assert_string_equal(progress_status_title(PROGRESS_BEHIND), "Behind");
    assert_string_equal(progress_status_name(PROGRESS_COMPLETE), "complete");
    assert_string_equal(progress_status_title(PROGRESS_ON_TRACK), "On track");
}

/* Thresholds as configuration names them: each one's range at its ends, and thresholds that
 * would contradict each other. */
static void thresholds_by_name(void **state)
{
    (void)state;
    struct progress_thresholds t = progress_thresholds_default();
    assert_int_equal(PROGRESS_THRESHOLD_COUNT, 6);
    assert_string_equal(progress_threshold_name(5), "content_expected_percent");
    assert_int_equal(progress_threshold_get(&t, 5), 50);
    assert_string_equal(progress_threshold_name(0), "missed_events_at_risk");
    assert_int_equal(progress_threshold_get(&t, 3), 3); /* deadline_urgent_days */
    assert_true(progress_threshold_set(&t, "deadline_warning_days", 365));
    assert_int_equal(t.deadline_warning_days, 365);
    assert_false(progress_threshold_set(&t, "deadline_warning_days", 366));
    assert_int_equal(t.deadline_warning_days, 365);
    assert_true(progress_threshold_set(&t, "hours_expected_percent", 0));
    assert_true(progress_threshold_set(&t, "hours_expected_percent", 100));
    assert_false(progress_threshold_set(&t, "hours_expected_percent", 101));
    assert_true(progress_threshold_set(&t, "content_expected_percent", 100));
    assert_false(progress_threshold_set(&t, "content_expected_percent", 101));
    assert_false(progress_threshold_set(&t, "content_expected_percent", -1));
    assert_false(progress_threshold_set(&t, "missed_events_at_risk", 0));
    assert_false(progress_threshold_set(&t, "no_such_threshold", 1));
    assert_true(progress_thresholds_consistent(&t));
    assert_true(progress_threshold_set(&t, "missed_events_at_risk", 2));
    assert_false(progress_thresholds_consistent(&t)); /* behind (2) no longer after at risk (2) */
    assert_true(progress_threshold_set(&t, "missed_events_behind", 3));
    assert_true(progress_thresholds_consistent(&t));
    t.deadline_urgent_days = t.deadline_warning_days + 1;
    assert_false(progress_thresholds_consistent(&t));
    enum progress_status s = PROGRESS_ON_TRACK;
    assert_true(progress_status_parse("behind", &s));
    assert_int_equal(s, PROGRESS_BEHIND);
    assert_false(progress_status_parse("late", &s));
    assert_int_equal(s, PROGRESS_BEHIND);
}

/* A warning window of a configured width moves the at-risk boundary of a deadline with it. */
static void a_configured_deadline_window(void **state)
{
    (void)state;
    struct progress_thresholds t = progress_thresholds_default();
    t.deadline_warning_days = 30;
    t.deadline_urgent_days = 10;
    struct progress_facts facts = {.modules = &fresh, .module_count = 1, .has_deadline = true};
    facts.days_to_deadline = 31;
    assert_int_equal(progress_assess(&facts, &t, NULL).status, PROGRESS_ON_TRACK);
    facts.days_to_deadline = 30;
    assert_int_equal(progress_assess(&facts, &t, NULL).status, PROGRESS_AT_RISK);
    facts.days_to_deadline = 11;
    assert_int_equal(progress_assess(&facts, &t, NULL).status, PROGRESS_AT_RISK);
    facts.days_to_deadline = 10;
    assert_int_equal(progress_assess(&facts, &t, NULL).status, PROGRESS_BEHIND);
}

/* A course of 10 items paced by 5 events: 3 held expect 6 items done, half of that (3) is the
 * least on track; before the first event nothing is expected, once all are held all 10 are. */
static struct progress_module_facts course_with(int held, int done)
{
    struct progress_module_facts m = module_with(held, held, 0);
    m.events_total = 5;
    m.content_items = 10;
    m.content_done = done;
    return m;
}

static struct progress_module judge_course(const struct progress_thresholds *t, int held, int done)
{
    struct progress_module_facts m = course_with(held, done);
    return progress_module_assess(&m, t);
}

static void course_items_against_the_schedule(void **state)
{
    (void)state;
    struct progress_thresholds t = progress_thresholds_default();
    struct progress_module m = judge_course(&t, 3, 3);
    assert_int_equal(m.status, PROGRESS_ON_TRACK);
    m = judge_course(&t, 3, 2);
    assert_int_equal(m.status, PROGRESS_AT_RISK);
    assert_true(reasons_hold(&m.reasons, "2 of 10 course items done, 6 expected by now"));
    assert_int_equal(judge_course(&t, 0, 0).status, PROGRESS_ON_TRACK);
    /* 1 of 5 held expects 2; 1 done is half of it, on track; 0 is not. */
    assert_int_equal(judge_course(&t, 1, 1).status, PROGRESS_ON_TRACK);
    assert_int_equal(judge_course(&t, 1, 0).status, PROGRESS_AT_RISK);
    m = judge_course(&t, 5, 4);
    assert_int_equal(m.status, PROGRESS_AT_RISK);
    assert_true(reasons_hold(&m.reasons, "4 of 10 course items done, 10 expected by now"));
    assert_int_equal(judge_course(&t, 5, 5).status, PROGRESS_ON_TRACK);
    /* A module with no course, or no events to pace it, expects nothing. */
    struct progress_module_facts none = course_with(5, 0);
    none.content_items = 0;
    assert_int_equal(progress_module_assess(&none, &t).status, PROGRESS_ON_TRACK);
    none = course_with(0, 0);
    none.events_total = 0;
    assert_int_equal(progress_module_assess(&none, &t).status, PROGRESS_ON_TRACK);
    /* The threshold moves the boundary: at 100% every expected item is needed, at 0% none. */
    t.content_expected_percent = 100;
    assert_int_equal(judge_course(&t, 3, 5).status, PROGRESS_AT_RISK);
    assert_int_equal(judge_course(&t, 3, 6).status, PROGRESS_ON_TRACK);
    t.content_expected_percent = 0;
    assert_int_equal(judge_course(&t, 5, 0).status, PROGRESS_ON_TRACK);
    /* The whole names the module and its reason. */
    t = progress_thresholds_default();
    struct progress_module_facts behind = course_with(3, 1);
    struct progress whole = progress_assess(&(struct progress_facts){.modules = &behind, .module_count = 1}, &t, NULL);
    assert_int_equal(whole.status, PROGRESS_AT_RISK);
    assert_true(reasons_hold(&whole.reasons, "Leading teaching: 1 of 10 course items done, 6 expected by now"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_whole_follows_its_facts),
        cmocka_unit_test(a_module_is_judged_on_its_own),
        cmocka_unit_test(names_and_titles),
        cmocka_unit_test(thresholds_by_name),
        cmocka_unit_test(a_configured_deadline_window),
        cmocka_unit_test(course_items_against_the_schedule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
