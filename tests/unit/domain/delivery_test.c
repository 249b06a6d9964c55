/*
 * Programme delivery as rules, each at its boundaries: events (title length, 12 hours, 1..1000
 * places, venue or https link), cohort plans against the real default catalogue (NPQSL blended and
 * online, NPQH requiring none), bookings at and over capacity, the attendance window and
 * corrections, learning hours (quarter hours, 12 per entry, real dates, the module's cap reached
 * exactly or passed by a quarter), coaching, agreed actions, reminders, and the name tables.
 * Refusals are asserted by their field and key words, so a wrong or silent message fails.
 */
#include "../test_support.h"

#include "domain/catalogue_json.h"
#include "domain/delivery.h"

#include <math.h>
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

static const struct catalogue_rule *rule_of(const char *code)
{
    const struct catalogue_qualification *q = catalogue_qualification_find(catalogue, code, strlen(code));
    assert_non_null(q);
    return &q->rule;
}

static void print_errors(const struct errors *errors)
{
    for (size_t i = 0; i < errors->count; i++)
        fprintf(stderr, "  got %s: %s\n", errors->items[i].where, errors->items[i].message);
}

/* Asserts that some error is at where and its message contains word1 and, if given, word2. */
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

/* A string of n copies of unit (one character of one or more bytes), in a static buffer. */
static const char *repeat(const char *unit, size_t n)
{
    static char buf[4096];
    size_t len = strlen(unit);
    assert_true(n * len < sizeof(buf));
    for (size_t i = 0; i < n; i++)
        memcpy(buf + i * len, unit, len);
    buf[n * len] = '\0';
    return buf;
}

/* Events */

static const int64_t nine_am = 1767258000; /* 2026-01-01 09:00:00 UTC */

static struct delivery_event_input face_to_face(void)
{
    return (struct delivery_event_input){.kind = DELIVERY_EVENT_FACE_TO_FACE,
                                         .title = "NPQSL day 1: leading change",
                                         .starts_at = nine_am,
                                         .ends_at = nine_am + 6 * 3600,
                                         .capacity = 30,
                                         .venue_id = 7};
}

static struct delivery_event_input virtual_live(void)
{
    return (struct delivery_event_input){.kind = DELIVERY_EVENT_VIRTUAL_LIVE,
                                         .title = "NPQSL live session 1",
                                         .starts_at = nine_am,
                                         .ends_at = nine_am + 2 * 3600,
                                         .capacity = 40,
                                         .joining_url = "https://meet.example.org/npqsl-1"};
}

static void event_accepted(const struct delivery_event_input *e)
{
    struct errors errors = ERRORS_INIT;
    bool ok = delivery_event_check(e, &errors);
    expect_error_count(&errors, 0);
    assert_true(ok);
    errors_free(&errors);
}

static void event_refused(const struct delivery_event_input *e, const char *where, const char *word1, const char *word2)
{
    struct errors errors = ERRORS_INIT;
    assert_false(delivery_event_check(e, &errors));
    expect_error_count(&errors, 1);
    expect_error_at(&errors, where, word1, word2);
    errors_free(&errors);
}

static void each_kind_of_event_is_accepted_when_complete(void **state)
{
    (void)state;
    struct delivery_event_input e = face_to_face();
    event_accepted(&e);
    e = virtual_live();
    event_accepted(&e);
    e.kind = DELIVERY_EVENT_WEBINAR;
    event_accepted(&e);
    /* A face-to-face event may carry a secure link as well. */
    e = face_to_face();
    e.joining_url = "https://meet.example.org/speaker";
    event_accepted(&e);
    e.joining_url = "";
    event_accepted(&e);
}

static void an_event_title_is_1_to_200_characters(void **state)
{
    (void)state;
    struct delivery_event_input e = face_to_face();
    e.title = NULL;
    event_refused(&e, "title", "Enter a title", NULL);
    e.title = "";
    event_refused(&e, "title", "Enter a title", NULL);
    e.title = "   ";
    event_refused(&e, "title", "Enter a title", NULL);
    e.title = "A";
    event_accepted(&e);
    e.title = repeat("a", 200);
    event_accepted(&e);
    e.title = repeat("a", 201);
    event_refused(&e, "title", "200 characters or fewer", "It has 201");
    /* Characters, not bytes: 200 two-byte letters fit, 201 do not. */
    e.title = repeat("\xC3\xA9", 200);
    event_accepted(&e);
    e.title = repeat("\xC3\xA9", 201);
    event_refused(&e, "title", "200 characters", "201");
}

static void an_event_ends_after_it_starts_within_12_hours(void **state)
{
    (void)state;
    struct delivery_event_input e = face_to_face();
    e.ends_at = e.starts_at + 12 * 3600;
    event_accepted(&e);
    e.ends_at = e.starts_at + 12 * 3600 + 1;
    event_refused(&e, "ends_at", "at most 12 hours", NULL);
    e.ends_at = e.starts_at + 12 * 3600 + 15 * 60;
    event_refused(&e, "ends_at", "at most 12 hours", NULL);
    e.ends_at = e.starts_at + 1;
    event_accepted(&e);
    e.ends_at = e.starts_at;
    event_refused(&e, "ends_at", "end after it starts", NULL);
    e.ends_at = e.starts_at - 3600;
    event_refused(&e, "ends_at", "end after it starts", NULL);
}

static void an_event_needs_both_times(void **state)
{
    (void)state;
    struct delivery_event_input e = face_to_face();
    e.starts_at = 0;
    event_refused(&e, "starts_at", "when the event starts", NULL);
    e = face_to_face();
    e.ends_at = -5;
    event_refused(&e, "ends_at", "when the event ends", NULL);
}

static void an_event_has_1_to_1000_places(void **state)
{
    (void)state;
    struct delivery_event_input e = face_to_face();
    e.capacity = 1;
    event_accepted(&e);
    e.capacity = 1000;
    event_accepted(&e);
    e.capacity = 0;
    event_refused(&e, "capacity", "at least 1 place", NULL);
    e.capacity = -3;
    event_refused(&e, "capacity", "at least 1 place", NULL);
    e.capacity = 1001;
    event_refused(&e, "capacity", "at most 1000 places", NULL);
}

static void a_face_to_face_event_needs_a_venue(void **state)
{
    (void)state;
    struct delivery_event_input e = face_to_face();
    e.venue_id = 0;
    event_refused(&e, "venue_id", "venue", "face-to-face");
    e = face_to_face();
    e.joining_url = "http://meet.example.org/speaker";
    event_refused(&e, "joining_url", "https://", NULL);
}

static void an_online_event_needs_an_https_link_and_no_venue(void **state)
{
    (void)state;
    struct delivery_event_input e = virtual_live();
    e.joining_url = NULL;
    event_refused(&e, "joining_url", "Enter the joining link", "virtual live event");
    e.kind = DELIVERY_EVENT_WEBINAR;
    event_refused(&e, "joining_url", "Enter the joining link", "webinar");
    e = virtual_live();
    e.joining_url = "http://meet.example.org/npqsl-1";
    event_refused(&e, "joining_url", "https://", NULL);
    e.joining_url = "https://";
    event_refused(&e, "joining_url", "https://", NULL);
    e.joining_url = "https:///path";
    event_refused(&e, "joining_url", "https://", NULL);
    e.joining_url = "https://meet.example.org/a b";
    event_refused(&e, "joining_url", "https://", NULL);
    e.joining_url = "meet.example.org";
    event_refused(&e, "joining_url", "https://", NULL);
    e.joining_url = "HTTPS://meet.example.org/x";
    event_accepted(&e);
    e = virtual_live();
    e.venue_id = 7;
    event_refused(&e, "venue_id", "A virtual live event takes place online", "no venue");
    e.kind = DELIVERY_EVENT_WEBINAR;
    event_refused(&e, "venue_id", "A webinar takes place online", NULL);
}

static void every_problem_with_an_event_is_reported_at_once(void **state)
{
    (void)state;
    struct delivery_event_input e = {.kind = DELIVERY_EVENT_VIRTUAL_LIVE, .capacity = 2000, .venue_id = 3};
    struct errors errors = ERRORS_INIT;
    assert_false(delivery_event_check(&e, &errors));
    expect_error_count(&errors, 6);
    expect_error_at(&errors, "title", "Enter a title", NULL);
    expect_error_at(&errors, "starts_at", "starts", NULL);
    expect_error_at(&errors, "ends_at", "ends", NULL);
    expect_error_at(&errors, "capacity", "1000", NULL);
    expect_error_at(&errors, "venue_id", "no venue", NULL);
    expect_error_at(&errors, "joining_url", "joining link", NULL);
    errors_free(&errors);

    e = face_to_face();
    e.kind = (enum delivery_event_kind)9;
    event_refused(&e, "kind", "face-to-face, virtual live or a webinar", NULL);
}

/* Plans */

static void plan_is(const char *q, enum delivery_model model, size_t f2f, size_t virt, bool enough,
                    const char *sentence, int short_by)
{
    struct delivery_plan plan;
    bool ok = delivery_plan_check(rule_of(q), model, f2f, virt, &plan);
    if (strcmp(plan.sentence, sentence) != 0)
        fprintf(stderr, "expected \"%s\", got \"%s\"\n", sentence, plan.sentence);
    assert_string_equal(plan.sentence, sentence);
    assert_int_equal(ok, enough);
    assert_int_equal(plan.short_by, short_by);
}

static void npqsl_blended_needs_4_face_to_face_events(void **state)
{
    (void)state;
    plan_is("NPQSL", DELIVERY_BLENDED, 4, 0, true, "4 face-to-face events planned, 4 required", 0);
    plan_is("NPQSL", DELIVERY_BLENDED, 3, 0, false, "3 face-to-face events planned, 4 required: plan 1 more", 1);
    plan_is("NPQSL", DELIVERY_BLENDED, 1, 0, false, "1 face-to-face event planned, 4 required: plan 3 more", 3);
    plan_is("NPQSL", DELIVERY_BLENDED, 0, 0, false, "No face-to-face events planned, 4 required: plan 4 more", 4);
    plan_is("NPQSL", DELIVERY_BLENDED, 5, 0, true, "5 face-to-face events planned, 4 required", 0);
    /* Virtual live events do not stand in for face-to-face ones in the blended model. */
    plan_is("NPQSL", DELIVERY_BLENDED, 3, 4, false, "3 face-to-face events planned, 4 required: plan 1 more", 1);

    struct delivery_plan plan;
    delivery_plan_check(rule_of("NPQSL"), DELIVERY_BLENDED, 3, 0, &plan);
    assert_string_equal(plan.kind, "face-to-face");
    assert_int_equal(plan.required, 4);
    assert_int_equal(plan.planned, 3);
}

static void npqsl_online_replaces_them_with_virtual_live_events(void **state)
{
    (void)state;
    plan_is("NPQSL", DELIVERY_ONLINE, 0, 4, true, "4 virtual live events planned, 4 required", 0);
    plan_is("NPQSL", DELIVERY_ONLINE, 0, 2, false, "2 virtual live events planned, 4 required: plan 2 more", 2);
    /* Face-to-face events do not count online. */
    plan_is("NPQSL", DELIVERY_ONLINE, 4, 0, false, "No virtual live events planned, 4 required: plan 4 more", 4);

    struct delivery_plan plan;
    delivery_plan_check(rule_of("NPQSL"), DELIVERY_ONLINE, 0, 3, &plan);
    assert_string_equal(plan.kind, "virtual live");
    assert_int_equal(plan.required, 4);
    assert_int_equal(plan.planned, 3);
}

static void npqh_requires_no_events(void **state)
{
    (void)state;
    plan_is("NPQH", DELIVERY_BLENDED, 0, 0, true, "No events are required", 0);
    plan_is("NPQH", DELIVERY_ONLINE, 0, 0, true, "No events are required", 0);
    plan_is("NPQH", DELIVERY_BLENDED, 2, 0, true, "No events are required", 0);
}

static void the_plan_follows_the_rule_it_is_given(void **state)
{
    (void)state;
    struct catalogue_rule rule = {.min_face_to_face_events = 2, .min_virtual_events = 6};
    struct delivery_plan plan;
    assert_false(delivery_plan_check(&rule, DELIVERY_ONLINE, 0, 5, &plan));
    assert_string_equal(plan.sentence, "5 virtual live events planned, 6 required: plan 1 more");
    assert_true(delivery_plan_check(&rule, DELIVERY_BLENDED, 2, 0, &plan));
    assert_string_equal(plan.sentence, "2 face-to-face events planned, 2 required");
}

/* Bookings */

static void booking_accepted(int capacity, int booked)
{
    struct errors errors = ERRORS_INIT;
    bool ok = delivery_booking_check(capacity, booked, false, false, false, &errors);
    expect_error_count(&errors, 0);
    assert_true(ok);
    errors_free(&errors);
}

static void booking_refused(int capacity, int booked, bool already, bool cancelled, bool started, const char *word1,
                            const char *word2)
{
    struct errors errors = ERRORS_INIT;
    assert_false(delivery_booking_check(capacity, booked, already, cancelled, started, &errors));
    expect_error_count(&errors, 1);
    expect_error_at(&errors, "event_id", word1, word2);
    errors_free(&errors);
}

static void the_last_place_can_be_booked_and_then_the_event_is_full(void **state)
{
    (void)state;
    booking_accepted(30, 0);
    booking_accepted(30, 29);
    booking_refused(30, 30, false, false, false, "This event is full", "all 30 places are taken");
    booking_refused(30, 31, false, false, false, "full", "all 30 places");
    booking_accepted(1, 0);
    booking_refused(1, 1, false, false, false, "full", "its only place");
    booking_refused(0, 0, false, false, false, "no places", NULL);
}

static void a_booking_is_refused_once_booked_cancelled_or_started(void **state)
{
    (void)state;
    booking_refused(30, 5, true, false, false, "already booked", NULL);
    booking_refused(30, 5, false, true, false, "cancelled", NULL);
    booking_refused(30, 5, false, false, true, "already started", NULL);
    /* The weightiest reason is the one given. */
    booking_refused(30, 30, true, true, true, "cancelled", NULL);
    booking_refused(30, 30, true, false, true, "started", NULL);
    booking_refused(30, 30, true, false, false, "already booked", NULL);
}

/* Attendance */

static bool attendance(enum delivery_attendance_mark mark, int64_t now, bool booked, bool correcting,
                       const char *reason, struct errors *errors)
{
    return delivery_attendance_check(mark, nine_am, now, booked, correcting, reason, errors);
}

static void attendance_opens_30_minutes_before_the_start(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    assert_true(attendance(DELIVERY_ATTENDANCE_PRESENT, nine_am - 30 * 60, true, false, NULL, &errors));
    assert_true(attendance(DELIVERY_ATTENDANCE_LATE, nine_am, true, false, NULL, &errors));
    assert_true(attendance(DELIVERY_ATTENDANCE_ABSENT, nine_am + 8 * 3600, true, false, NULL, &errors));
    /* Weeks later, as a correction. */
    assert_true(
        attendance(DELIVERY_ATTENDANCE_EXCUSED, nine_am + 21 * 86400, true, true, "Sent a doctor's note", &errors));
    expect_error_count(&errors, 0);

    assert_false(attendance(DELIVERY_ATTENDANCE_PRESENT, nine_am - 30 * 60 - 1, true, false, NULL, &errors));
    expect_error_count(&errors, 1);
    expect_error_at(&errors, "mark", "30 minutes before the event starts", NULL);
    errors_free(&errors);
}

static void only_people_booked_on_the_event_are_marked(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    assert_false(attendance(DELIVERY_ATTENDANCE_PRESENT, nine_am, false, false, NULL, &errors));
    expect_error_count(&errors, 1);
    expect_error_at(&errors, "person_id", "Only people booked on this event", NULL);
    errors_free(&errors);
}

static void a_correction_needs_a_reason(void **state)
{
    (void)state;
    const char *missing[] = {NULL, "", "  \n"};
    for (size_t i = 0; i < 3; i++) {
        struct errors errors = ERRORS_INIT;
        assert_false(attendance(DELIVERY_ATTENDANCE_ABSENT, nine_am + 86400, true, true, missing[i], &errors));
        expect_error_count(&errors, 1);
        expect_error_at(&errors, "reason", "Give a reason", "changing the attendance");
        errors_free(&errors);
    }
}

static void every_attendance_problem_is_reported(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    assert_false(attendance(DELIVERY_ATTENDANCE_PRESENT, nine_am - 3600, false, true, NULL, &errors));
    expect_error_count(&errors, 3);
    errors_free(&errors);
    assert_false(attendance((enum delivery_attendance_mark)4, nine_am, true, false, NULL, &errors));
    expect_error_count(&errors, 1);
    expect_error_at(&errors, "mark", "present, late, absent or excused", NULL);
    errors_free(&errors);
}

/* Learning hours */

static const char *today = "2026-03-14";

static const struct catalogue_module *closing_the_gap(void)
{
    const struct catalogue_module *m = catalogue_module_find(catalogue, "closing-the-gap", 15);
    assert_non_null(m);
    assert_int_equal(m->hours_cap, 50);
    return m;
}

static void hours_accepted(double hours, const char *date, double logged, int cap)
{
    struct errors errors = ERRORS_INIT;
    bool ok = delivery_hours_check(hours, date, today, logged, cap, "Closing the gap", &errors);
    expect_error_count(&errors, 0);
    assert_true(ok);
    errors_free(&errors);
}

static void hours_refused(double hours, const char *date, double logged, int cap, const char *where, const char *word1,
                          const char *word2)
{
    struct errors errors = ERRORS_INIT;
    assert_false(delivery_hours_check(hours, date, today, logged, cap, "Closing the gap", &errors));
    expect_error_count(&errors, 1);
    expect_error_at(&errors, where, word1, word2);
    errors_free(&errors);
}

static void an_entry_is_more_than_0_and_at_most_12_hours(void **state)
{
    (void)state;
    hours_accepted(0.25, today, 0, 50);
    hours_accepted(12, today, 0, 50);
    hours_refused(12.25, today, 0, 50, "hours", "at most 12 hours", NULL);
    hours_refused(0, today, 0, 50, "hours", "more than 0", NULL);
    hours_refused(-1, today, 0, 50, "hours", "more than 0", NULL);
    hours_refused(NAN, today, 0, 50, "hours", "more than 0", NULL);
    hours_refused(INFINITY, today, 0, 50, "hours", "at most 12", NULL);
}

static void hours_are_logged_in_quarter_hours(void **state)
{
    (void)state;
    hours_accepted(0.5, today, 0, 50);
    hours_accepted(0.75, today, 0, 50);
    hours_accepted(2.75, today, 0, 50);
    hours_accepted(11.75, today, 0, 50);
    hours_refused(0.1, today, 0, 50, "hours", "quarter hours", NULL);
    hours_refused(1.3, today, 0, 50, "hours", "quarter hours", NULL);
    hours_refused(0.2, today, 0, 50, "hours", "quarter hours", NULL);
    hours_refused(2.26, today, 0, 50, "hours", "quarter hours", NULL);
}

static void the_date_is_real_and_not_in_the_future(void **state)
{
    (void)state;
    hours_accepted(1, today, 0, 50);
    hours_accepted(1, "2026-03-13", 0, 50);
    hours_accepted(1, "2024-02-29", 0, 50);
    hours_accepted(1, "2000-02-29", 0, 50);
    hours_refused(1, "2026-03-15", 0, 50, "date", "cannot be in the future", NULL);
    hours_refused(1, "2027-01-01", 0, 50, "date", "future", NULL);
    hours_refused(1, "2025-02-29", 0, 50, "date", "2025-02-29 is not a real date", NULL);
    hours_refused(1, "1900-02-29", 0, 50, "date", "not a real date", NULL);
    hours_refused(1, "2025-04-31", 0, 50, "date", "not a real date", NULL);
    hours_refused(1, "2025-13-01", 0, 50, "date", "not a real date", NULL);
    hours_refused(1, "2025-00-10", 0, 50, "date", "not a real date", NULL);
    hours_refused(1, "2025-01-00", 0, 50, "date", "not a real date", NULL);
    const char *misshapen[] = {NULL,         "",           "2025-1-01",   "2025/01/01",
                               " 025-01-01", "+025-01-01", "2025-01-011", "14/03/2026"};
    for (size_t i = 0; i < sizeof(misshapen) / sizeof(*misshapen); i++)
        hours_refused(1, misshapen[i], 0, 50, "date", "YYYY-MM-DD", NULL);
}

static void the_modules_cap_can_be_reached_but_not_passed(void **state)
{
    (void)state;
    const struct catalogue_module *m = closing_the_gap();
    struct errors errors = ERRORS_INIT;
    assert_true(delivery_hours_check(2.5, today, today, 47.5, m->hours_cap, m->title, &errors));
    assert_true(delivery_hours_check(0.25, today, today, 49.75, m->hours_cap, m->title, &errors));
    expect_error_count(&errors, 0);

    /* Over by a quarter of an hour. */
    assert_false(delivery_hours_check(0.5, today, today, 49.75, m->hours_cap, m->title, &errors));
    expect_error_count(&errors, 1);
    expect_error_at(&errors, "hours", "to 50.25, over its 50-hour limit", "You can log up to 0.25 more hours");
    errors_free(&errors);

    /* The sentence as a participant reads it. */
    assert_false(delivery_hours_check(5, today, today, 47.5, m->hours_cap, m->title, &errors));
    expect_error_count(&errors, 1);
    assert_string_equal(errors.items[0].message, "This would take your hours for Closing the gap to 52.5, over its "
                                                 "50-hour limit. You can log up to 2.5 more hours");
    errors_free(&errors);

    hours_refused(2, today, 49, 50, "hours", "to 51,", "up to 1 more hour");
    hours_refused(0.25, today, 50, 50, "hours", "already logged 50 hours for Closing the gap", "cannot log more");
}

static void the_cap_defaults_to_50_and_follows_the_module(void **state)
{
    (void)state;
    hours_accepted(2, today, 48, 0);
    hours_refused(2.25, today, 48, 0, "hours", "50-hour limit", "up to 2 more hours");
    hours_accepted(2, today, 8, 10);
    hours_refused(2.25, today, 8, 10, "hours", "10-hour limit", "up to 2 more hours");

    struct errors errors = ERRORS_INIT;
    assert_false(delivery_hours_check(1, today, today, 50, 50, NULL, &errors));
    expect_error_at(&errors, "hours", "for this module", NULL);
    errors_free(&errors);
}

static void every_hours_problem_is_reported(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    assert_false(delivery_hours_check(0.1, "2026-02-30", today, 0, 50, "Closing the gap", &errors));
    expect_error_count(&errors, 2);
    expect_error_at(&errors, "hours", "quarter", NULL);
    expect_error_at(&errors, "date", "not a real date", NULL);
    errors_free(&errors);
}

static void hours_read_as_people_say_them(void **state)
{
    (void)state;
    static const struct {
        double hours;
        const char *text;
    } cases[] = {{2.5, "2.5 hours"}, {1, "1 hour"},         {0.75, "0.75 hours"}, {0.25, "0.25 hours"},
                 {12, "12 hours"},   {0, "0 hours"},        {52.5, "52.5 hours"}, {50, "50 hours"},
                 {1.5, "1.5 hours"}, {10.25, "10.25 hours"}};
    char out[32];
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        delivery_hours_format(cases[i].hours, out, sizeof(out));
        assert_string_equal(out, cases[i].text);
    }
    /* A short buffer is cut, never overrun. */
    char small[4];
    delivery_hours_format(52.5, small, sizeof(small));
    assert_string_equal(small, "52.");
}

/* Coaching */

static void coaching_accepted(int64_t start, int64_t end, enum delivery_coaching_mode mode, const char *place)
{
    struct errors errors = ERRORS_INIT;
    bool ok = delivery_coaching_check(start, end, mode, place, &errors);
    expect_error_count(&errors, 0);
    assert_true(ok);
    errors_free(&errors);
}

static void coaching_refused(int64_t start, int64_t end, enum delivery_coaching_mode mode, const char *place,
                             const char *where, const char *word1, const char *word2)
{
    struct errors errors = ERRORS_INIT;
    assert_false(delivery_coaching_check(start, end, mode, place, &errors));
    expect_error_count(&errors, 1);
    expect_error_at(&errors, where, word1, word2);
    errors_free(&errors);
}

static void a_coaching_session_has_a_time_and_a_place(void **state)
{
    (void)state;
    int64_t s = nine_am, e = nine_am + 3600;
    coaching_accepted(s, e, DELIVERY_COACHING_ONLINE, "https://meet.example.org/coach");
    coaching_accepted(s, e, DELIVERY_COACHING_IN_PERSON, "Room 4, Hillside Academy");
    coaching_accepted(s, s + 12 * 3600, DELIVERY_COACHING_IN_PERSON, "Room 4");
    coaching_refused(s, s + 12 * 3600 + 1, DELIVERY_COACHING_IN_PERSON, "Room 4", "ends_at", "A session", "12 hours");
    coaching_refused(s, s, DELIVERY_COACHING_IN_PERSON, "Room 4", "ends_at", "session must end after it starts", NULL);
    coaching_refused(0, e, DELIVERY_COACHING_IN_PERSON, "Room 4", "starts_at", "when the session starts", NULL);

    coaching_refused(s, e, DELIVERY_COACHING_ONLINE, NULL, "joining_url", "Enter the joining link", NULL);
    coaching_refused(s, e, DELIVERY_COACHING_ONLINE, "http://meet.example.org/coach", "joining_url", "https://", NULL);
    coaching_refused(s, e, DELIVERY_COACHING_ONLINE, "Room 4", "joining_url", "https://", NULL);
    coaching_refused(s, e, DELIVERY_COACHING_IN_PERSON, "", "location", "where the session takes place", NULL);
    coaching_accepted(s, e, DELIVERY_COACHING_IN_PERSON, repeat("r", 200));
    coaching_refused(s, e, DELIVERY_COACHING_IN_PERSON, repeat("r", 201), "location", "200 characters", "201");
    coaching_refused(s, e, (enum delivery_coaching_mode)2, "Room 4", "mode", "online or in person", NULL);
}

static void an_agreed_action_is_up_to_500_characters_with_an_optional_due_date(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    assert_true(delivery_action_check("Observe two maths lessons with the head of department", NULL, &errors));
    assert_true(delivery_action_check("Draft the change plan", "", &errors));
    assert_true(delivery_action_check("Draft the change plan", "2026-04-30", &errors));
    assert_true(delivery_action_check("Draft the change plan", "2024-02-29", &errors));
    assert_true(delivery_action_check(repeat("x", 500), NULL, &errors));
    expect_error_count(&errors, 0);

    assert_false(delivery_action_check(repeat("x", 501), NULL, &errors));
    expect_error_count(&errors, 1);
    expect_error_at(&errors, "text", "500 characters or fewer", "It has 501");
    errors_free(&errors);

    assert_false(delivery_action_check("  ", NULL, &errors));
    expect_error_at(&errors, "text", "Enter the action", NULL);
    errors_free(&errors);

    assert_false(delivery_action_check("Draft the change plan", "2026-02-30", &errors));
    expect_error_count(&errors, 1);
    expect_error_at(&errors, "due_on", "YYYY-MM-DD", "leave it empty");
    errors_free(&errors);
    assert_false(delivery_action_check("Draft the change plan", "30/04/2026", &errors));
    expect_error_at(&errors, "due_on", "YYYY-MM-DD", NULL);
    errors_free(&errors);
}

/* Reminders */

static void a_reminder_is_due_in_the_24_hours_before_the_start(void **state)
{
    (void)state;
    const int64_t lead = DELIVERY_REMINDER_LEAD_SECONDS;
    assert_int_equal(lead, 24 * 3600);
    assert_false(delivery_reminder_due(nine_am, nine_am - lead - 1, lead));
    assert_true(delivery_reminder_due(nine_am, nine_am - lead, lead));
    assert_true(delivery_reminder_due(nine_am, nine_am - 3600, lead));
    assert_true(delivery_reminder_due(nine_am, nine_am - 1, lead));
    assert_false(delivery_reminder_due(nine_am, nine_am, lead));
    assert_false(delivery_reminder_due(nine_am, nine_am + 1, lead));
    assert_false(delivery_reminder_due(nine_am, nine_am - 1, 0));
}

/* Names */

static void names_read_both_ways(void **state)
{
    (void)state;
    static const char *kinds[] = {"face_to_face", "virtual_live", "webinar"};
    for (int i = 0; i < DELIVERY_EVENT_KIND_COUNT; i++) {
        enum delivery_event_kind k = DELIVERY_EVENT_KIND_COUNT;
        assert_string_equal(delivery_event_kind_name((enum delivery_event_kind)i), kinds[i]);
        assert_true(delivery_event_kind_parse(kinds[i], &k));
        assert_int_equal(k, i);
    }
    assert_string_equal(delivery_event_kind_title(DELIVERY_EVENT_VIRTUAL_LIVE), "Virtual live event");

    static const char *marks[] = {"present", "late", "absent", "excused"};
    for (int i = 0; i < DELIVERY_ATTENDANCE_MARK_COUNT; i++) {
        enum delivery_attendance_mark m = DELIVERY_ATTENDANCE_MARK_COUNT;
        assert_string_equal(delivery_attendance_mark_name((enum delivery_attendance_mark)i), marks[i]);
        assert_true(delivery_attendance_mark_parse(marks[i], &m));
        assert_int_equal(m, i);
    }
    assert_string_equal(delivery_attendance_mark_title(DELIVERY_ATTENDANCE_EXCUSED), "Excused");

    static const char *activities[] = {"workplace_learning",   "face_to_face", "peer_learning",
                                       "facilitated_learning", "reading",      "reflection",
                                       "online_learning"};
    static const char *activity_titles[] = {
        "Workplace learning", "Face-to-face activity", "Peer learning", "Facilitated learning", "Reading",
        "Reflection",         "Online learning"};
    for (int i = 0; i < DELIVERY_ACTIVITY_COUNT; i++) {
        enum delivery_activity a = DELIVERY_ACTIVITY_COUNT;
        assert_string_equal(delivery_activity_name((enum delivery_activity)i), activities[i]);
        assert_string_equal(delivery_activity_title((enum delivery_activity)i), activity_titles[i]);
        assert_true(delivery_activity_parse(activities[i], &a));
        assert_int_equal(a, i);
    }

    enum delivery_coaching_mode mode;
    assert_true(delivery_coaching_mode_parse("in_person", &mode));
    assert_int_equal(mode, DELIVERY_COACHING_IN_PERSON);
    assert_string_equal(delivery_coaching_mode_name(DELIVERY_COACHING_ONLINE), "online");
    assert_string_equal(delivery_coaching_mode_title(DELIVERY_COACHING_IN_PERSON), "In person");

    enum delivery_note_visibility v;
    assert_true(delivery_note_visibility_parse("shared", &v));
    assert_int_equal(v, DELIVERY_NOTE_SHARED);
    assert_true(delivery_note_visibility_parse("private", &v));
    assert_int_equal(v, DELIVERY_NOTE_PRIVATE);
    assert_string_equal(delivery_note_visibility_title(DELIVERY_NOTE_PRIVATE), "Private (coach only)");
    assert_non_null(strstr(delivery_note_visibility_title(DELIVERY_NOTE_SHARED), "participant"));
}

static void unknown_names_are_refused(void **state)
{
    (void)state;
    enum delivery_event_kind k = DELIVERY_EVENT_WEBINAR;
    assert_false(delivery_event_kind_parse("face-to-face", &k));
    assert_false(delivery_event_kind_parse("Webinar", &k));
    assert_false(delivery_event_kind_parse("", &k));
    assert_false(delivery_event_kind_parse(NULL, &k));
    assert_int_equal(k, DELIVERY_EVENT_WEBINAR);
    enum delivery_attendance_mark m;
    assert_false(delivery_attendance_mark_parse("attended", &m));
    enum delivery_activity a;
    assert_false(delivery_activity_parse("coaching", &a));
    enum delivery_coaching_mode mode;
    assert_false(delivery_coaching_mode_parse("in person", &mode));
    enum delivery_note_visibility v;
    assert_false(delivery_note_visibility_parse("public", &v));

    assert_string_equal(delivery_event_kind_name((enum delivery_event_kind)3), "");
    assert_string_equal(delivery_attendance_mark_title((enum delivery_attendance_mark) - 1), "");
    assert_string_equal(delivery_activity_name(DELIVERY_ACTIVITY_COUNT), "");
    assert_string_equal(delivery_note_visibility_name(DELIVERY_NOTE_VISIBILITY_COUNT), "");
}

static void quarter_hours_read_as_numbers(void **state)
{
    (void)state;
    char text[DELIVERY_HOURS_TEXT];
    const struct {
        int64_t quarters;
        const char *expected;
    } cases[] = {{0, "0"}, {1, "0.25"}, {10, "2.5"}, {15, "3.75"}, {48, "12"}, {-3, "0"}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        delivery_hours_number(cases[i].quarters, text);
        assert_string_equal(text, cases[i].expected);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quarter_hours_read_as_numbers),
        cmocka_unit_test(each_kind_of_event_is_accepted_when_complete),
        cmocka_unit_test(an_event_title_is_1_to_200_characters),
        cmocka_unit_test(an_event_ends_after_it_starts_within_12_hours),
        cmocka_unit_test(an_event_needs_both_times),
        cmocka_unit_test(an_event_has_1_to_1000_places),
        cmocka_unit_test(a_face_to_face_event_needs_a_venue),
        cmocka_unit_test(an_online_event_needs_an_https_link_and_no_venue),
        cmocka_unit_test(every_problem_with_an_event_is_reported_at_once),
        cmocka_unit_test(npqsl_blended_needs_4_face_to_face_events),
        cmocka_unit_test(npqsl_online_replaces_them_with_virtual_live_events),
        cmocka_unit_test(npqh_requires_no_events),
        cmocka_unit_test(the_plan_follows_the_rule_it_is_given),
        cmocka_unit_test(the_last_place_can_be_booked_and_then_the_event_is_full),
        cmocka_unit_test(a_booking_is_refused_once_booked_cancelled_or_started),
        cmocka_unit_test(attendance_opens_30_minutes_before_the_start),
        cmocka_unit_test(only_people_booked_on_the_event_are_marked),
        cmocka_unit_test(a_correction_needs_a_reason),
        cmocka_unit_test(every_attendance_problem_is_reported),
        cmocka_unit_test(an_entry_is_more_than_0_and_at_most_12_hours),
        cmocka_unit_test(hours_are_logged_in_quarter_hours),
        cmocka_unit_test(the_date_is_real_and_not_in_the_future),
        cmocka_unit_test(the_modules_cap_can_be_reached_but_not_passed),
        cmocka_unit_test(the_cap_defaults_to_50_and_follows_the_module),
        cmocka_unit_test(every_hours_problem_is_reported),
        cmocka_unit_test(hours_read_as_people_say_them),
        cmocka_unit_test(a_coaching_session_has_a_time_and_a_place),
        cmocka_unit_test(an_agreed_action_is_up_to_500_characters_with_an_optional_due_date),
        cmocka_unit_test(a_reminder_is_due_in_the_24_hours_before_the_start),
        cmocka_unit_test(names_read_both_ways),
        cmocka_unit_test(unknown_names_are_refused),
    };
    return cmocka_run_group_tests(tests, parse_default, free_default);
}
