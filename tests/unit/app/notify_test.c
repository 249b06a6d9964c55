/*
 * What notification emails say, without a database: the subject and body of each kind of
 * notification (UK time itself is tested with lib/date).
 */
#include "../test_support.h"

#include "app/notify.h"

#include <time.h>

/* UTC seconds of a date and time, by the C library. */
static int64_t utc(int y, int mo, int d, int h, int mi)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi};
    return (int64_t)timegm(&tm);
}

static struct calendar_entry sample_event(void)
{
    return (struct calendar_entry){
        .subject = CALENDAR_EVENT,
        .id = 42,
        .sequence = 3,
        .starts_at = utc(2027, 1, 11, 9, 0),
        .ends_at = utc(2027, 1, 11, 16, 0),
        .kind = "face_to_face",
        .title = "Day 1: Leading with integrity",
        .cohort_code = "NPQSL-2027-NW-1",
        .module = "",
        .venue_name = "Mersey Hub",
        .venue_address = "1 Dock Road, Liverpool",
        .venue_postcode = "L3 4AA",
        .joining_url = "",
        .place = "",
        .lead_name = "Femi Facilitator",
        .lead_email = "f@example.org",
        .participant_name = "",
    };
}

static void every_kind_names_the_event_its_time_place_and_page(void **state)
{
    (void)state;
    struct calendar_entry e = sample_event();
    static const char *const subjects[NOTIFICATION_KIND_COUNT] = {
        "Booked: Day 1: Leading with integrity, Monday 11 January 2027",
        "Changed: Day 1: Leading with integrity, Monday 11 January 2027",
        "Cancelled: Day 1: Leading with integrity, Monday 11 January 2027",
        "Reminder: Day 1: Leading with integrity, Monday 11 January 2027",
    };
    for (int kind = 0; kind < NOTIFICATION_KIND_COUNT; kind++) {
        struct buf subject, body;
        buf_init(&subject, 1024);
        buf_init(&body, 8192);
        assert_true(notify_compose((enum notification_kind)kind, &e, "Pat Participant", "https://npq.example.org",
                                   &subject, &body));
        assert_string_equal(subject.data, subjects[kind]);
        assert_non_null(strstr(body.data, "Dear Pat Participant,\n"));
        assert_non_null(strstr(body.data, "When: Monday 11 January 2027, 9:00am to 4:00pm (UK time)\n"));
        assert_non_null(strstr(body.data, "Where: Mersey Hub, 1 Dock Road, Liverpool, L3 4AA\n"));
        assert_non_null(strstr(body.data, "https://npq.example.org/events/42\n"));
        assert_null(strstr(body.data, "/api/v1/"));
        assert_null(strstr(body.data, "Join online"));
        buf_free(&subject);
        buf_free(&body);
    }
}

static void an_online_event_gives_its_link_instead_of_a_place(void **state)
{
    (void)state;
    struct calendar_entry e = sample_event();
    e.kind = "webinar";
    e.venue_name = e.venue_address = e.venue_postcode = "";
    e.joining_url = "https://meet.example.org/x";
    struct buf subject, body;
    buf_init(&subject, 1024);
    buf_init(&body, 8192);
    assert_true(notify_compose(NOTIFICATION_INVITATION, &e, "Pat", "https://npq.example.org", &subject, &body));
    assert_non_null(strstr(body.data, "Join online: https://meet.example.org/x\n"));
    assert_null(strstr(body.data, "Where:"));
    assert_non_null(strstr(body.data, "Type: Webinar\n"));
    buf_free(&subject);
    buf_free(&body);
}

static void a_session_is_titled_by_the_other_person(void **state)
{
    (void)state;
    struct arena arena = ARENA_INIT;
    struct calendar_entry s = {.subject = CALENDAR_COACHING_SESSION,
                               .lead_id = 4,
                               .lead_name = "Carys Coach",
                               .participant_id = 6,
                               .participant_name = "Pat Participant",
                               .place = "Library"};
    assert_string_equal(notify_title(&s, 6, &arena), "Coaching session with Carys Coach");
    assert_string_equal(notify_title(&s, 4, &arena), "Coaching session with Pat Participant");
    assert_string_equal(notify_location(&s, &arena), "Library");
    arena_release(&arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_kind_names_the_event_its_time_place_and_page),
        cmocka_unit_test(an_online_event_gives_its_link_instead_of_a_place),
        cmocka_unit_test(a_session_is_titled_by_the_other_person),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
