/*
 * The store's contract for calendars and notifications: one private feed address per person at
 * a time, a person's calendar of what they lead, staff, attend or are coached in, and the
 * notifications due about the events people are booked on, each recorded once.
 */
#include "fixture.h"

#include <string.h>

/* ---- Feeds ---- */

static void a_new_feed_replaces_the_old_and_a_revoked_one_stops_working(void **state)
{
    struct fixture *f = *state;
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    unsigned char first[32], second[32];
    fx_hash(first, 1);
    fx_hash(second, 2);
    int64_t created = 0, owner = 0;
    assert_int_equal(store_calendar_feed_get(f->store, pat, &created), STORE_NOT_FOUND);
    assert_int_equal(store_calendar_feed_create(f->store, &f->actor, pat, first, f->now), STORE_OK);
    assert_int_equal(store_calendar_feed_get(f->store, pat, &created), STORE_OK);
    assert_int_equal(created, f->now);
    assert_int_equal(store_calendar_feed_owner(f->store, first, &owner), STORE_OK);
    assert_int_equal(owner, pat);

    assert_int_equal(store_calendar_feed_create(f->store, &f->actor, pat, second, f->now + 10), STORE_OK);
    assert_int_equal(store_calendar_feed_owner(f->store, first, &owner), STORE_NOT_FOUND);
    assert_int_equal(store_calendar_feed_owner(f->store, second, &owner), STORE_OK);
    assert_int_equal(store_calendar_feed_get(f->store, pat, &created), STORE_OK);
    assert_int_equal(created, f->now + 10);
    assert_int_equal(fx_audited(f, "calendar_feed.create", "user", pat), 1);
    assert_int_equal(fx_audited(f, "calendar_feed.replace", "user", pat), 1);

    unsigned char third[32];
    fx_hash(third, 3);
    assert_int_equal(store_calendar_feed_create(f->store, &f->actor, 999999, third, f->now), STORE_NOT_FOUND);

    /* A deactivated person's address stops working; reactivated, it works again. */
    assert_int_equal(store_user_set_active(f->store, &f->actor, pat, false, f->now + 20), STORE_OK);
    assert_int_equal(store_calendar_feed_owner(f->store, second, &owner), STORE_NOT_FOUND);
    assert_int_equal(store_user_set_active(f->store, &f->actor, pat, true, f->now + 21), STORE_OK);
    assert_int_equal(store_calendar_feed_owner(f->store, second, &owner), STORE_OK);

    assert_int_equal(store_calendar_feed_revoke(f->store, &f->actor, pat, f->now + 30), STORE_OK);
    assert_int_equal(store_calendar_feed_revoke(f->store, &f->actor, pat, f->now + 31), STORE_NOT_FOUND);
    assert_int_equal(store_calendar_feed_owner(f->store, second, &owner), STORE_NOT_FOUND);
    assert_int_equal(store_calendar_feed_get(f->store, pat, &created), STORE_NOT_FOUND);
    assert_int_equal(fx_audited(f, "calendar_feed.revoke", "user", pat), 1);
}

/* ---- Entries ---- */

static void a_calendar_holds_what_the_person_leads_staffs_attends_or_is_coached_in(void **state)
{
    struct fixture *f = *state;
    int64_t partner = fx_organisation(f, ORG_DELIVERY_PARTNER, "North Partner");
    int64_t cohort = fx_cohort(f, partner), other = fx_cohort(f, partner);
    int64_t fran = fx_person(f, "Fran Facilitator", ROLE_FACILITATOR, partner, 0);
    int64_t cody = fx_person(f, "Cody Coach", ROLE_COACH, 0, 0);
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    assert_int_equal(store_cohort_staff_add(f->store, &f->actor, cohort, cody, ROLE_COACH, f->now), STORE_OK);
    struct venue v = {.delivery_partner_id = partner,
                      .name = "Mill Centre",
                      .address = "1 Mill St",
                      .postcode = "M1 1AE",
                      .capacity = 40};
    assert_int_equal(store_venue_create(f->store, &f->actor, &v, f->now), STORE_OK);
    struct event day = {.cohort_id = cohort,
                        .kind = DELIVERY_EVENT_FACE_TO_FACE,
                        .title = "Day one",
                        .module = "leading-teaching",
                        .venue_id = v.id,
                        .starts_at = f->now + 86400,
                        .ends_at = f->now + 90000,
                        .capacity = 20,
                        .facilitator_id = fran};
    assert_int_equal(store_event_create(f->store, &f->actor, &day, f->now), STORE_OK);
    int64_t webinar = fx_event(f, other, 20); /* a week on */
    int64_t booking = 0;
    assert_int_equal(store_booking_create(f->store, &f->actor, day.id, pat, f->now, &booking), STORE_OK);
    assert_int_equal(store_booking_create(f->store, &f->actor, webinar, pat, f->now, &booking), STORE_OK);
    struct coaching_session s = {.coach_id = cody,
                                 .participant_id = pat,
                                 .starts_at = f->now + 2 * 86400,
                                 .ends_at = f->now + 2 * 86400 + 3600,
                                 .mode = DELIVERY_COACHING_IN_PERSON,
                                 .place = "Room 4"};
    assert_int_equal(store_coaching_session_create(f->store, &f->actor, &s, f->now), STORE_OK);

    struct calendar_entry *list;
    size_t count;
    assert_int_equal(store_calendar_entries(f->store, pat, f->now, 50, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 3);
    assert_int_equal(list[0].subject, CALENDAR_EVENT); /* soonest first */
    assert_int_equal(list[0].id, day.id);
    assert_string_equal(list[0].kind, "face_to_face");
    assert_string_equal(list[0].title, "Day one");
    assert_string_equal(list[0].module, "leading-teaching");
    assert_string_equal(list[0].venue_name, "Mill Centre");
    assert_string_equal(list[0].venue_address, "1 Mill St");
    assert_string_equal(list[0].venue_postcode, "M1 1AE");
    assert_string_equal(list[0].joining_url, "");
    assert_int_equal(list[0].lead_id, fran);
    assert_string_equal(list[0].lead_name, "Fran Facilitator");
    assert_int_equal(list[1].subject, CALENDAR_COACHING_SESSION);
    assert_int_equal(list[1].id, s.id);
    assert_string_equal(list[1].kind, "in_person");
    assert_string_equal(list[1].place, "Room 4");
    assert_string_equal(list[1].title, "");
    assert_int_equal(list[1].lead_id, cody);
    assert_int_equal(list[1].participant_id, pat);
    assert_string_equal(list[1].participant_name, "Pat Participant");
    assert_int_equal(list[2].id, webinar);
    assert_int_equal(store_calendar_entries(f->store, pat, f->now, 1, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 1);
    assert_int_equal(store_calendar_entries(f->store, pat, f->now + 90000, 50, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 2); /* day one ended by then */

    /* The facilitator sees what she leads; the coach his cohort's events and his session. */
    assert_int_equal(store_calendar_entries(f->store, fran, f->now, 50, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 1);
    assert_int_equal(store_calendar_entries(f->store, cody, f->now, 50, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 2);

    /* Given back, the webinar leaves Pat's calendar; cancelled, day one stays there, as cancelled. */
    assert_int_equal(store_booking_cancel(f->store, &f->actor, webinar, pat, f->now + 1), STORE_OK);
    assert_int_equal(store_event_cancel(f->store, &f->actor, day.id, f->now + 2), STORE_OK);
    assert_int_equal(store_calendar_entries(f->store, pat, f->now, 50, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 2);
    assert_int_equal(list[0].id, day.id);
    assert_int_equal(list[0].cancelled_at, f->now + 2);
    assert_int_equal(list[0].sequence, 1);

    struct calendar_entry e;
    assert_int_equal(store_calendar_entry_get(f->store, CALENDAR_EVENT, day.id, &f->arena, &e), STORE_OK);
    assert_int_equal(e.cancelled_at, f->now + 2);
    assert_non_null(e.cohort_code);
    assert_true(strlen(e.cohort_code) > 0);
    assert_int_equal(store_calendar_entry_get(f->store, CALENDAR_COACHING_SESSION, s.id, &f->arena, &e), STORE_OK);
    assert_string_equal(e.lead_name, "Cody Coach");
    assert_int_equal(store_calendar_entry_get(f->store, CALENDAR_EVENT, 999999, &f->arena, &e), STORE_NOT_FOUND);
    assert_int_equal(store_calendar_entry_get(f->store, CALENDAR_COACHING_SESSION, 999999, &f->arena, &e),
                     STORE_NOT_FOUND);
}

/* ---- Notifications ---- */

static size_t due(struct fixture *f, int64_t now, struct notification **out)
{
    size_t count;
    assert_int_equal(store_notifications_due(f->store, now, 86400, 100, &f->arena, out, &count), STORE_OK);
    return count;
}

static void record(struct fixture *f, const struct notification *n, enum store_status expected)
{
    assert_int_equal(store_notification_record(f->store, n, f->now), expected);
}

static void notifications_fall_due_and_once_recorded_are_not_due_again(void **state)
{
    struct fixture *f = *state;
    int64_t cohort = fx_cohort(f, 0);
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t sam = fx_person(f, "Sam Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t event = fx_event(f, cohort, 10), booking = 0; /* starts a week on */
    struct notification *list;
    assert_int_equal(due(f, f->now, &list), 0);
    assert_int_equal(store_booking_create(f->store, &f->actor, event, pat, f->now, &booking), STORE_OK);

    /* Booked: an invitation, and only that while the event is more than a day off. */
    assert_int_equal(due(f, f->now, &list), 1);
    assert_int_equal(list[0].subject, CALENDAR_EVENT);
    assert_int_equal(list[0].subject_id, event);
    assert_int_equal(list[0].user_id, pat);
    assert_int_equal(list[0].kind, NOTIFICATION_INVITATION);
    assert_int_equal(list[0].sequence, 0);
    assert_int_equal(list[0].starts_at, f->now + 7 * 86400);
    record(f, &list[0], STORE_OK);
    record(f, &list[0], STORE_CONFLICT);
    assert_int_equal(due(f, f->now, &list), 0);

    /* Changed: a change for the new SEQUENCE; an invitation is never due twice, whatever SEQUENCE. */
    struct event before, after;
    assert_int_equal(store_event_get(f->store, event, &f->arena, &before), STORE_OK);
    after = before;
    after.title = "Leading change, day two";
    assert_int_equal(store_event_update(f->store, &f->actor, &before, &after, f->now), STORE_OK);
    assert_int_equal(due(f, f->now, &list), 1);
    assert_int_equal(list[0].kind, NOTIFICATION_CHANGE);
    assert_int_equal(list[0].sequence, 1);
    struct notification reinvite = list[0];
    reinvite.kind = NOTIFICATION_INVITATION;
    record(f, &reinvite, STORE_CONFLICT);
    record(f, &list[0], STORE_OK);
    assert_int_equal(due(f, f->now, &list), 0);

    /* A day before: one reminder (for Sam too, once booked, with his invitation first). */
    assert_int_equal(store_booking_create(f->store, &f->actor, event, sam, f->now, &booking), STORE_OK);
    int64_t eve = f->now + 6 * 86400;
    size_t n = due(f, eve, &list);
    assert_int_equal(n, 3);
    assert_int_equal(list[0].kind, NOTIFICATION_INVITATION);
    assert_int_equal(list[0].user_id, sam);
    assert_int_equal(list[1].kind, NOTIFICATION_REMINDER);
    assert_int_equal(list[2].kind, NOTIFICATION_REMINDER);
    for (size_t i = 0; i < n; i++)
        record(f, &list[i], STORE_OK);
    struct notification again = list[1];
    again.sequence = 7;
    record(f, &again, STORE_CONFLICT); /* a reminder once, whatever SEQUENCE */
    assert_int_equal(due(f, eve, &list), 0);

    /* Cancelled: a cancellation to each person booked when it was. */
    assert_int_equal(store_event_cancel(f->store, &f->actor, event, eve + 1), STORE_OK);
    n = due(f, eve + 2, &list);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(list[i].kind, NOTIFICATION_CANCELLATION);
        record(f, &list[i], STORE_OK);
    }
    assert_int_equal(due(f, eve + 2, &list), 0);
    /* Nothing about events that have started. */
    assert_int_equal(due(f, f->now + 8 * 86400, &list), 0);

    assert_string_equal(notification_kind_name(NOTIFICATION_INVITATION), "invitation");
    assert_string_equal(notification_kind_name(NOTIFICATION_CANCELLATION), "cancellation");
    assert_string_equal(notification_kind_name(NOTIFICATION_KIND_COUNT), "");
}

static void an_inactive_person_is_not_notified_and_the_list_is_limited(void **state)
{
    struct fixture *f = *state;
    int64_t cohort = fx_cohort(f, 0);
    int64_t event = fx_event(f, cohort, 10), booking = 0;
    int64_t people[4];
    for (int i = 0; i < 4; i++) {
        people[i] = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
        assert_int_equal(store_booking_create(f->store, &f->actor, event, people[i], f->now, &booking), STORE_OK);
    }
    assert_int_equal(store_user_set_active(f->store, &f->actor, people[3], false, f->now), STORE_OK);
    struct notification *list;
    size_t count;
    assert_int_equal(store_notifications_due(f->store, f->now, 86400, 100, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 3);
    assert_int_equal(store_notifications_due(f->store, f->now, 86400, 2, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 2);
}

int main(void)
{
#define TEST(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
    const struct CMUnitTest tests[] = {
        TEST(a_new_feed_replaces_the_old_and_a_revoked_one_stops_working),
        TEST(a_calendar_holds_what_the_person_leads_staffs_attends_or_is_coached_in),
        TEST(notifications_fall_due_and_once_recorded_are_not_due_again),
        TEST(an_inactive_person_is_not_notified_and_the_list_is_limited),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
