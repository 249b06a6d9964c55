/*
 * The store's contract for delivery: venues, the staff and participants of cohorts, events,
 * bookings and attendance. The places of an event are decided by the booking's own write, so a
 * caller that counted them before is refused when someone else took the last one meanwhile.
 */
#include "fixture.h"

#include <string.h>

/* ---- Venues ---- */

static void a_venue_is_created_changed_and_listed_by_partner(void **state)
{
    struct fixture *f = *state;
    int64_t north = fx_organisation(f, ORG_DELIVERY_PARTNER, "North Partner");
    int64_t south = fx_organisation(f, ORG_DELIVERY_PARTNER, "South Partner");
    struct venue v = {.delivery_partner_id = north,
                      .name = "Mill Centre",
                      .address = "1 Mill St, Manchester",
                      .postcode = "M1 1AE",
                      .capacity = 40,
                      .accessibility = "Step-free"};
    assert_int_equal(store_venue_create(f->store, &f->admin, &v, f->now), STORE_OK);
    struct venue got;
    assert_int_equal(store_venue_get(f->store, v.id, &f->arena, &got), STORE_OK);
    assert_int_equal(got.delivery_partner_id, north);
    assert_string_equal(got.delivery_partner_name, "North Partner");
    assert_string_equal(got.name, "Mill Centre");
    assert_string_equal(got.address, "1 Mill St, Manchester");
    assert_string_equal(got.postcode, "M1 1AE");
    assert_int_equal(got.capacity, 40);
    assert_string_equal(got.accessibility, "Step-free");
    assert_int_equal(fx_audited(f, "venue.create", "venue", v.id), 1);

    struct venue lost = v;
    lost.delivery_partner_id = 999999;
    assert_int_equal(store_venue_create(f->store, &f->admin, &lost, f->now), STORE_NOT_FOUND);

    struct venue changed = got;
    changed.delivery_partner_id = south; /* not changed by an update */
    changed.capacity = 60;
    changed.accessibility = "Step-free; hearing loop";
    assert_int_equal(store_venue_update(f->store, &f->admin, &changed, f->now + 1), STORE_OK);
    assert_int_equal(store_venue_get(f->store, v.id, &f->arena, &got), STORE_OK);
    assert_int_equal(got.capacity, 60);
    assert_int_equal(got.delivery_partner_id, north);
    assert_string_equal(got.accessibility, "Step-free; hearing loop");
    assert_int_equal(got.updated_at, f->now + 1);
    assert_int_equal(fx_audited(f, "venue.update", "venue", v.id), 1);
    struct venue missing = changed;
    missing.id = 999999;
    assert_int_equal(store_venue_update(f->store, &f->admin, &missing, f->now), STORE_NOT_FOUND);
    assert_int_equal(store_venue_get(f->store, 999999, &f->arena, &got), STORE_NOT_FOUND);

    struct venue other = {.delivery_partner_id = south, .name = "Dock Hall", .capacity = 20};
    assert_int_equal(store_venue_create(f->store, &f->admin, &other, f->now), STORE_OK);
    struct venue *list;
    size_t count;
    assert_int_equal(store_venue_list(f->store, south, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 1);
    assert_int_equal(list[0].id, other.id);
    assert_int_equal(store_venue_list(f->store, 0, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 2);
    assert_string_equal(list[0].delivery_partner_name, "North Partner"); /* by partner, then name */
}

/* Which changes move attendees is venues_save's rule (tests/unit/app/use_case_rules_test.c); the
 * store re-sequences the venue's coming events when asked, and only those. */
static void resequencing_a_venue_tells_the_calendars_of_its_coming_events(void **state)
{
    struct fixture *f = *state;
    int64_t partner = fx_organisation(f, ORG_DELIVERY_PARTNER, "North Partner");
    struct venue v = {.delivery_partner_id = partner,
                      .name = "Mill Centre",
                      .address = "1 Mill St",
                      .postcode = "M1 1AE",
                      .capacity = 40};
    assert_int_equal(store_venue_create(f->store, &f->admin, &v, f->now), STORE_OK);
    int64_t cohort = fx_cohort(f, partner);
    struct event e = {.cohort_id = cohort,
                      .kind = DELIVERY_EVENT_FACE_TO_FACE,
                      .title = "Day one",
                      .venue_id = v.id,
                      .starts_at = f->now + 86400,
                      .ends_at = f->now + 90000,
                      .capacity = 30};
    assert_int_equal(store_event_create(f->store, &f->admin, &e, f->now), STORE_OK);

    int largest = -1;
    assert_int_equal(store_venue_largest_event(f->store, v.id, f->now, &largest), STORE_OK);
    assert_int_equal(largest, 30);
    assert_int_equal(store_venue_largest_event(f->store, v.id, f->now + 100000, &largest), STORE_OK);
    assert_int_equal(largest, 0); /* over by then */

    struct venue bigger = v;
    bigger.capacity = 50; /* nobody's diary changes */
    assert_int_equal(store_venue_update(f->store, &f->admin, &bigger, f->now + 1), STORE_OK);
    struct event got;
    assert_int_equal(store_event_get(f->store, e.id, &f->arena, &got), STORE_OK);
    assert_int_equal(got.sequence, 0);
    assert_int_equal(store_begin(f->store), STORE_OK);
    assert_int_equal(store_venue_events_resequence(f->store, v.id, f->now + 2), STORE_OK);
    assert_int_equal(store_commit(f->store), STORE_OK);
    assert_int_equal(store_event_get(f->store, e.id, &f->arena, &got), STORE_OK);
    assert_int_equal(got.sequence, 1);
    assert_int_equal(store_begin(f->store), STORE_OK);
    assert_int_equal(store_venue_events_resequence(f->store, v.id, f->now + 100000), STORE_OK); /* once over */
    assert_int_equal(store_commit(f->store), STORE_OK);
    assert_int_equal(store_event_get(f->store, e.id, &f->arena, &got), STORE_OK);
    assert_int_equal(got.sequence, 1);
}

/* ---- The staff and participants of cohorts ---- */

static void cohort_staff_are_added_once_per_role_and_removed(void **state)
{
    struct fixture *f = *state;
    int64_t cohort = fx_cohort(f, 0);
    int64_t fran = fx_person(f, "Fran Facilitator", ROLE_FACILITATOR, 0, 0);
    int64_t cody = fx_person(f, "Cody Coach", ROLE_COACH, 0, 0);
    assert_int_equal(store_cohort_staff_add(f->store, &f->admin, cohort, cody, ROLE_COACH, f->now), STORE_OK);
    assert_int_equal(store_cohort_staff_add(f->store, &f->admin, cohort, fran, ROLE_FACILITATOR, f->now), STORE_OK);
    assert_int_equal(store_cohort_staff_add(f->store, &f->admin, cohort, fran, ROLE_COACH, f->now), STORE_OK);
    assert_int_equal(store_cohort_staff_add(f->store, &f->admin, cohort, fran, ROLE_FACILITATOR, f->now),
                     STORE_CONFLICT);
    assert_int_equal(fx_audited(f, "cohort.staff_add", "cohort", cohort), 3);

    struct cohort_staff *staff;
    size_t count;
    assert_int_equal(store_cohort_staff_list(f->store, cohort, &f->arena, &staff, &count), STORE_OK);
    assert_int_equal(count, 3);
    assert_int_equal(staff[0].role, ROLE_FACILITATOR); /* facilitators first, then coaches by name */
    assert_int_equal(staff[0].user_id, fran);
    assert_string_equal(staff[0].name, "Fran Facilitator");
    assert_int_equal(staff[1].role, ROLE_COACH);
    assert_string_equal(staff[1].name, "Cody Coach");

    struct relation r;
    struct caller as_fran = fx_caller(f, fran);
    assert_int_equal(store_relation(f->store, &as_fran, RESOURCE_COHORT, cohort, &r), STORE_OK);
    assert_true(r.exists && r.facilitates && r.cohort_coach && !r.in_cohort);

    assert_int_equal(store_cohort_staff_remove(f->store, &f->admin, cohort, fran, ROLE_COACH, f->now), STORE_OK);
    assert_int_equal(store_cohort_staff_remove(f->store, &f->admin, cohort, fran, ROLE_COACH, f->now), STORE_NOT_FOUND);
    assert_int_equal(store_cohort_staff_list(f->store, cohort, &f->arena, &staff, &count), STORE_OK);
    assert_int_equal(count, 2);
    assert_int_equal(fx_audited(f, "cohort.staff_remove", "cohort", cohort), 1);
}

static void a_cohorts_participants_are_its_live_enrolments(void **state)
{
    struct fixture *f = *state;
    int64_t cohort = fx_cohort(f, 0);
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t sam = fx_person(f, "Sam Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t kim = fx_person(f, "Kim Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t pe = fx_enrolment(f, pat, cohort), se = fx_enrolment(f, sam, cohort), ke = fx_enrolment(f, kim, cohort);
    struct enrolment_change defer = {
        .from = ENROLMENT_ACTIVE, .to = ENROLMENT_DEFERRED, .step = "defer", .expected_return = "2027-09-01"};
    struct enrolment_change withdraw = {.from = ENROLMENT_ACTIVE, .to = ENROLMENT_WITHDRAWN, .step = "withdraw"};
    assert_int_equal(store_enrolment_transition(f->store, &f->actor, se, &defer, f->now), STORE_OK);
    assert_int_equal(store_enrolment_transition(f->store, &f->actor, ke, &withdraw, f->now), STORE_OK);

    struct cohort_participant *list;
    size_t count;
    assert_int_equal(store_cohort_participants(f->store, cohort, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 2); /* active and deferred, by name */
    assert_int_equal(list[0].user_id, pat);
    assert_int_equal(list[0].enrolment_id, pe);
    assert_int_equal(list[0].state, ENROLMENT_ACTIVE);
    assert_int_equal(list[1].user_id, sam);
    assert_int_equal(list[1].state, ENROLMENT_DEFERRED);

    bool enrolled = false;
    assert_int_equal(store_cohort_enrolled(f->store, cohort, pat, &enrolled), STORE_OK);
    assert_true(enrolled);
    assert_int_equal(store_cohort_enrolled(f->store, cohort, sam, &enrolled), STORE_OK);
    assert_false(enrolled); /* deferred: cannot be booked */
    assert_int_equal(store_cohort_enrolled(f->store, cohort, kim, &enrolled), STORE_OK);
    assert_false(enrolled);
}

/* ---- Events ---- */

static void an_event_is_created_and_found(void **state)
{
    struct fixture *f = *state;
    int64_t partner = fx_organisation(f, ORG_DELIVERY_PARTNER, "North Partner");
    int64_t cohort = fx_cohort(f, partner);
    int64_t fran = fx_person(f, "Fran Facilitator", ROLE_FACILITATOR, partner, 0);
    struct venue v = {.delivery_partner_id = partner, .name = "Mill Centre", .postcode = "M1 1AE", .capacity = 40};
    assert_int_equal(store_venue_create(f->store, &f->admin, &v, f->now), STORE_OK);
    struct event e = {.cohort_id = cohort,
                      .kind = DELIVERY_EVENT_FACE_TO_FACE,
                      .title = "Day one",
                      .module = "leading-teaching",
                      .framework_area = 2,
                      .venue_id = v.id,
                      .starts_at = f->now + 86400,
                      .ends_at = f->now + 86400 + 6 * 3600,
                      .capacity = 30,
                      .facilitator_id = fran};
    assert_int_equal(store_event_create(f->store, &f->admin, &e, f->now), STORE_OK);
    assert_int_equal(e.sequence, 0);
    struct event got;
    assert_int_equal(store_event_get(f->store, e.id, &f->arena, &got), STORE_OK);
    assert_int_equal(got.cohort_id, cohort);
    assert_non_null(got.cohort_code);
    assert_int_equal(got.cohort_partner_id, partner);
    assert_int_equal(got.kind, DELIVERY_EVENT_FACE_TO_FACE);
    assert_string_equal(got.title, "Day one");
    assert_string_equal(got.module, "leading-teaching");
    assert_int_equal(got.framework_area, 2);
    assert_int_equal(got.venue_id, v.id);
    assert_string_equal(got.venue_name, "Mill Centre");
    assert_string_equal(got.venue_postcode, "M1 1AE");
    assert_null(got.joining_url);
    assert_int_equal(got.starts_at, e.starts_at);
    assert_int_equal(got.ends_at, e.ends_at);
    assert_int_equal(got.capacity, 30);
    assert_int_equal(got.facilitator_id, fran);
    assert_string_equal(got.facilitator_name, "Fran Facilitator");
    assert_int_equal(got.cancelled_at, 0);
    assert_int_equal(got.booked, 0);
    assert_int_equal(fx_audited(f, "event.create", "event", e.id), 1);

    struct event bad = e;
    bad.cohort_id = 999999;
    assert_int_equal(store_event_create(f->store, &f->admin, &bad, f->now), STORE_NOT_FOUND);
    bad = e;
    bad.venue_id = 999999;
    assert_int_equal(store_event_create(f->store, &f->admin, &bad, f->now), STORE_NOT_FOUND);
    bad = e;
    bad.facilitator_id = 999999;
    assert_int_equal(store_event_create(f->store, &f->admin, &bad, f->now), STORE_NOT_FOUND);
    assert_int_equal(store_event_get(f->store, 999999, &f->arena, &got), STORE_NOT_FOUND);

    struct relation r;
    struct caller as_fran = fx_caller(f, fran);
    assert_int_equal(store_relation(f->store, &as_fran, RESOURCE_EVENT, e.id, &r), STORE_OK);
    assert_true(r.exists && r.facilitates);
}

static void an_event_changes_only_from_the_version_the_caller_saw(void **state)
{
    struct fixture *f = *state;
    int64_t cohort = fx_cohort(f, 0);
    struct event before;
    assert_int_equal(store_event_get(f->store, fx_event(f, cohort, 10), &f->arena, &before), STORE_OK);

    /* More places: nobody's diary changes, so the SEQUENCE stays. */
    struct event changed = before;
    changed.capacity = 12;
    assert_int_equal(store_event_update(f->store, &f->admin, &before, &changed, f->now + 1), STORE_OK);
    struct event got;
    assert_int_equal(store_event_get(f->store, before.id, &f->arena, &got), STORE_OK);
    assert_int_equal(got.capacity, 12);
    assert_int_equal(got.sequence, 0);

    /* A new time is news: the SEQUENCE rises. */
    struct event later = got;
    later.starts_at += 3600;
    later.ends_at += 3600;
    assert_int_equal(store_event_update(f->store, &f->admin, &got, &later, f->now + 2), STORE_OK);
    assert_int_equal(store_event_get(f->store, before.id, &f->arena, &got), STORE_OK);
    assert_int_equal(got.sequence, 1);
    assert_int_equal(got.starts_at, before.starts_at + 3600);
    assert_int_equal(fx_audited(f, "event.update", "event", before.id), 2);

    /* From a version someone else has changed since: refused, nothing changes. */
    struct event stale = before;
    stale.title = "Stale title";
    assert_int_equal(store_event_update(f->store, &f->admin, &before, &stale, f->now + 3), STORE_CONFLICT);
    assert_int_equal(store_event_get(f->store, before.id, &f->arena, &got), STORE_OK);
    assert_string_equal(got.title, "Leading change");

    /* Fewer places than are booked: refused by the write, whatever the caller counted. */
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t sam = fx_person(f, "Sam Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t b = 0;
    assert_int_equal(store_booking_create(f->store, &f->actor, before.id, pat, f->now, &b), STORE_OK);
    assert_int_equal(store_booking_create(f->store, &f->actor, before.id, sam, f->now, &b), STORE_OK);
    assert_int_equal(store_event_get(f->store, before.id, &f->arena, &got), STORE_OK);
    struct event smaller = got;
    smaller.capacity = 1;
    assert_int_equal(store_event_update(f->store, &f->admin, &got, &smaller, f->now + 4), STORE_CONFLICT);
    smaller.capacity = 2;
    assert_int_equal(store_event_update(f->store, &f->admin, &got, &smaller, f->now + 4), STORE_OK);
    assert_int_equal(store_event_get(f->store, before.id, &f->arena, &got), STORE_OK);
    assert_int_equal(got.capacity, 2);

    /* Cancelled: once, with a new SEQUENCE; then it cannot be changed. */
    assert_int_equal(store_event_cancel(f->store, &f->admin, before.id, f->now + 5), STORE_OK);
    assert_int_equal(store_event_cancel(f->store, &f->admin, before.id, f->now + 6), STORE_CONFLICT);
    struct event cancelled;
    assert_int_equal(store_event_get(f->store, before.id, &f->arena, &cancelled), STORE_OK);
    assert_int_equal(cancelled.cancelled_at, f->now + 5);
    assert_int_equal(cancelled.sequence, got.sequence + 1);
    struct event revived = cancelled;
    revived.title = "Back on";
    assert_int_equal(store_event_update(f->store, &f->admin, &cancelled, &revived, f->now + 7), STORE_CONFLICT);
    assert_int_equal(fx_audited(f, "event.cancel", "event", before.id), 1);
}

static void lists_of_events_keep_to_the_callers_scope(void **state)
{
    struct fixture *f = *state;
    int64_t north = fx_organisation(f, ORG_DELIVERY_PARTNER, "North Partner");
    int64_t south = fx_organisation(f, ORG_DELIVERY_PARTNER, "South Partner");
    int64_t nc = fx_cohort(f, north), sc = fx_cohort(f, south);
    int64_t lead = fx_person(f, "Lee Lead", ROLE_PARTNER_LEAD, north, 0);
    int64_t fran = fx_person(f, "Fran Facilitator", ROLE_FACILITATOR, south, 0);
    int64_t cody = fx_person(f, "Cody Coach", ROLE_COACH, 0, 0);
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    fx_enrolment(f, pat, nc);
    assert_int_equal(store_cohort_staff_add(f->store, &f->actor, sc, cody, ROLE_COACH, f->now), STORE_OK);
    int64_t n1 = fx_event(f, nc, 5), n2 = fx_event(f, nc, 5), s1 = fx_event(f, sc, 5);
    struct event s1e, changed;
    assert_int_equal(store_event_get(f->store, s1, &f->arena, &s1e), STORE_OK);
    changed = s1e;
    changed.facilitator_id = fran;
    changed.starts_at -= 3600; /* the soonest */
    assert_int_equal(store_event_update(f->store, &f->actor, &s1e, &changed, f->now), STORE_OK);

    struct event_filter any = {0};
    struct event *list;
    size_t count;
    struct caller c = fx_caller(f, f->admin_id);
    assert_int_equal(store_event_list(f->store, &c, &any, NULL, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 3);
    assert_int_equal(list[0].id, s1); /* soonest first */
    const struct {
        int64_t who;
        size_t count;
        int64_t first;
    } scopes[] = {{lead, 2, n1}, {fran, 1, s1}, {cody, 1, s1}, {pat, 2, n1}};
    for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
        c = fx_caller(f, scopes[i].who);
        assert_int_equal(store_event_list(f->store, &c, &any, NULL, &f->arena, &list, &count), STORE_OK);
        assert_int_equal(count, scopes[i].count);
        assert_int_equal(list[0].id, scopes[i].first);
    }
    struct event_filter cohort_only = {.cohort_id = nc};
    c = fx_caller(f, f->admin_id);
    assert_int_equal(store_event_list(f->store, &c, &cohort_only, NULL, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 2);
    struct event_filter window = {.from = s1e.starts_at, .to = s1e.starts_at + 1};
    assert_int_equal(store_event_list(f->store, &c, &window, NULL, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 2); /* n1 and n2 start then; s1 moved an hour earlier */

    assert_int_equal(store_event_cancel(f->store, &f->actor, n2, f->now), STORE_OK);
    assert_int_equal(store_cohort_events(f->store, nc, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 2); /* cancelled ones too */
}

/* ---- Bookings ---- */

static void a_place_is_booked_once_and_given_back(void **state)
{
    struct fixture *f = *state;
    int64_t cohort = fx_cohort(f, 0);
    int64_t event = fx_event(f, cohort, 2);
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t sam = fx_person(f, "Sam Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t kim = fx_person(f, "Kim Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t first = 0, second = 0, again = 0;
    assert_int_equal(store_booking_create(f->store, &f->admin, event, pat, f->now, &first), STORE_OK);
    assert_int_equal(store_booking_create(f->store, &f->admin, event, pat, f->now, &again), STORE_CONFLICT);
    assert_int_equal(store_booking_create(f->store, &f->admin, event, sam, f->now + 1, &second), STORE_OK);
    /* Full. */
    assert_int_equal(store_booking_create(f->store, &f->admin, event, kim, f->now + 2, &again), STORE_CONFLICT);

    struct booking *list;
    size_t count;
    assert_int_equal(store_booking_list(f->store, event, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 2);
    assert_int_equal(list[0].id, first); /* oldest first */
    assert_int_equal(list[0].user_id, pat);
    assert_string_equal(list[0].user_name, "Pat Participant");
    assert_int_equal(list[1].user_id, sam);
    struct event e;
    assert_int_equal(store_event_get(f->store, event, &f->arena, &e), STORE_OK);
    assert_int_equal(e.booked, 2);
    bool booked = false;
    assert_int_equal(store_booking_exists(f->store, event, kim, &booked), STORE_OK);
    assert_false(booked);
    assert_int_equal(fx_audited(f, "booking.create", "event", event), 2);

    /* Given back: the place is free for someone else, and a place is given back once. */
    assert_int_equal(store_booking_cancel(f->store, &f->admin, event, pat, f->now + 3), STORE_OK);
    assert_int_equal(store_booking_cancel(f->store, &f->admin, event, pat, f->now + 3), STORE_NOT_FOUND);
    assert_int_equal(store_booking_cancel(f->store, &f->admin, event, kim, f->now + 3), STORE_NOT_FOUND);
    assert_int_equal(store_booking_create(f->store, &f->admin, event, kim, f->now + 4, &again), STORE_OK);
    assert_int_equal(store_event_get(f->store, event, &f->arena, &e), STORE_OK);
    assert_int_equal(e.booked, 2);
    assert_int_equal(store_booking_exists(f->store, event, pat, &booked), STORE_OK);
    assert_false(booked);
    /* And booked again after giving it back, when there is room. */
    assert_int_equal(store_booking_cancel(f->store, &f->admin, event, sam, f->now + 5), STORE_OK);
    assert_int_equal(store_booking_create(f->store, &f->admin, event, pat, f->now + 6, &again), STORE_OK);
    assert_int_equal(fx_audited(f, "booking.cancel", "event", event), 2);
}

static void a_cancelled_started_or_unknown_event_cannot_be_booked(void **state)
{
    struct fixture *f = *state;
    int64_t cohort = fx_cohort(f, 0);
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t cancelled = fx_event(f, cohort, 5), started = fx_event(f, cohort, 5), id = 0;
    assert_int_equal(store_event_cancel(f->store, &f->admin, cancelled, f->now), STORE_OK);
    assert_int_equal(store_booking_create(f->store, &f->admin, cancelled, pat, f->now, &id), STORE_CONFLICT);
    struct event e;
    assert_int_equal(store_event_get(f->store, started, &f->arena, &e), STORE_OK);
    assert_int_equal(store_booking_create(f->store, &f->admin, started, pat, e.starts_at, &id), STORE_CONFLICT);
    assert_int_equal(store_booking_create(f->store, &f->admin, started, pat, e.starts_at - 1, &id), STORE_OK);
    assert_int_equal(store_booking_create(f->store, &f->admin, 999999, pat, f->now, &id), STORE_NOT_FOUND);
    assert_int_equal(store_booking_create(f->store, &f->admin, cancelled, 999999, f->now, &id), STORE_NOT_FOUND);
    assert_int_equal(store_event_get(f->store, cancelled, &f->arena, &e), STORE_OK);
    assert_int_equal(e.booked, 0);
}

static void the_last_place_goes_to_whoever_writes_first_not_to_whoever_counted_first(void **state)
{
    struct fixture *f = *state;
    int64_t cohort = fx_cohort(f, 0);
    int64_t event = fx_event(f, cohort, 1);
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t sam = fx_person(f, "Sam Participant", ROLE_PARTICIPANT, 0, 0);
    /* Pat's request counts the places: one free. */
    struct event seen;
    assert_int_equal(store_event_get(f->store, event, &f->arena, &seen), STORE_OK);
    assert_int_equal(seen.capacity - seen.booked, 1);
    /* Meanwhile Sam's request, on another connection, takes it. */
    struct store *other = fixture_connect(f);
    int64_t id = 0;
    assert_int_equal(store_booking_create(other, &f->actor, event, sam, f->now, &id), STORE_OK);
    store_close(other);
    /* Pat's booking, written on what it counted, is refused. */
    assert_int_equal(store_booking_create(f->store, &f->actor, event, pat, f->now, &id), STORE_CONFLICT);
    struct booking *list;
    size_t count;
    assert_int_equal(store_booking_list(f->store, event, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 1);
    assert_int_equal(list[0].user_id, sam);
}

static void deferring_gives_back_only_the_places_still_held(void **state)
{
    struct fixture *f = *state;
    int64_t cohort = fx_cohort(f, 0);
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t enrolment = fx_enrolment(f, pat, cohort);
    int64_t a = fx_event(f, cohort, 3), b = fx_event(f, cohort, 3), c = fx_event(f, cohort, 3), id = 0;
    int64_t sam = fx_person(f, "Sam Participant", ROLE_PARTICIPANT, 0, 0);
    assert_int_equal(store_booking_create(f->store, &f->actor, a, pat, f->now, &id), STORE_OK);
    assert_int_equal(store_booking_create(f->store, &f->actor, b, pat, f->now, &id), STORE_OK);
    assert_int_equal(store_booking_create(f->store, &f->actor, b, sam, f->now, &id), STORE_OK);
    assert_int_equal(store_booking_create(f->store, &f->actor, c, sam, f->now, &id), STORE_OK);
    assert_int_equal(store_booking_cancel(f->store, &f->actor, a, pat, f->now + 1), STORE_OK); /* given back before */

    struct enrolment_change withdraw = {.from = ENROLMENT_ACTIVE, .to = ENROLMENT_WITHDRAWN, .step = "withdraw"};
    assert_int_equal(store_begin(f->store), STORE_OK);
    assert_int_equal(store_enrolment_transition(f->store, &f->actor, enrolment, &withdraw, f->now + 2), STORE_OK);
    assert_int_equal(store_enrolment_bookings_release(f->store, enrolment, f->now + 2), STORE_OK);
    assert_int_equal(store_commit(f->store), STORE_OK);
    const struct {
        int64_t event;
        int booked;
    } expect[] = {{a, 0}, {b, 1}, {c, 1}};
    for (size_t i = 0; i < 3; i++) {
        struct event e;
        struct booking *list;
        size_t count;
        assert_int_equal(store_event_get(f->store, expect[i].event, &f->arena, &e), STORE_OK);
        assert_int_equal(store_booking_list(f->store, expect[i].event, &f->arena, &list, &count), STORE_OK);
        assert_int_equal(e.booked, expect[i].booked);
        assert_int_equal(count, (size_t)expect[i].booked);
    }
}

/* ---- Attendance ---- */

static void the_register_lists_bookings_with_their_marks(void **state)
{
    struct fixture *f = *state;
    int64_t cohort = fx_cohort(f, 0);
    int64_t event = fx_event(f, cohort, 5);
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t sam = fx_person(f, "Sam Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t fran = fx_person(f, "Fran Facilitator", ROLE_FACILITATOR, 0, 0);
    int64_t id = 0;
    assert_int_equal(store_booking_create(f->store, &f->actor, event, sam, f->now, &id), STORE_OK);
    assert_int_equal(store_booking_create(f->store, &f->actor, event, pat, f->now, &id), STORE_OK);

    struct actor as_fran = {.user_id = fran, .label = "fran@example.org", .client = ""};
    assert_int_equal(store_attendance_set(f->store, &as_fran, event, pat, NULL, DELIVERY_ATTENDANCE_LATE, "", f->now),
                     STORE_OK);
    enum delivery_attendance_mark was = DELIVERY_ATTENDANCE_LATE;
    assert_int_equal(store_attendance_set(f->store, &as_fran, event, pat, &was, DELIVERY_ATTENDANCE_PRESENT,
                                          "Arrived on time after all", f->now + 60),
                     STORE_OK);
    assert_int_equal(fx_audited(f, "attendance.record", "event", event), 1);
    assert_int_equal(fx_audited(f, "attendance.correct", "event", event), 1);
    assert_int_equal(
        store_attendance_set(f->store, &as_fran, 999999, pat, NULL, DELIVERY_ATTENDANCE_ABSENT, "", f->now),
        STORE_NOT_FOUND);

    struct attendance_line *lines;
    size_t count;
    assert_int_equal(store_attendance_register(f->store, event, &f->arena, &lines, &count), STORE_OK);
    assert_int_equal(count, 2);
    assert_int_equal(lines[0].user_id, pat); /* by name */
    assert_true(lines[0].marked);
    assert_int_equal(lines[0].mark, DELIVERY_ATTENDANCE_PRESENT);
    assert_string_equal(lines[0].reason, "Arrived on time after all");
    assert_int_equal(lines[0].recorded_at, f->now + 60);
    assert_int_equal(lines[0].recorded_by, fran);
    assert_string_equal(lines[0].recorded_by_name, "Fran Facilitator");
    assert_int_equal(lines[1].user_id, sam);
    assert_false(lines[1].marked);

    /* Someone who gives their place back leaves the register. */
    assert_int_equal(store_booking_cancel(f->store, &f->actor, event, sam, f->now), STORE_OK);
    assert_int_equal(store_attendance_register(f->store, event, &f->arena, &lines, &count), STORE_OK);
    assert_int_equal(count, 1);
}

int main(void)
{
#define TEST(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
    const struct CMUnitTest tests[] = {
        TEST(a_venue_is_created_changed_and_listed_by_partner),
        TEST(resequencing_a_venue_tells_the_calendars_of_its_coming_events),
        TEST(cohort_staff_are_added_once_per_role_and_removed),
        TEST(a_cohorts_participants_are_its_live_enrolments),
        TEST(an_event_is_created_and_found),
        TEST(an_event_changes_only_from_the_version_the_caller_saw),
        TEST(lists_of_events_keep_to_the_callers_scope),
        TEST(a_place_is_booked_once_and_given_back),
        TEST(a_cancelled_started_or_unknown_event_cannot_be_booked),
        TEST(the_last_place_goes_to_whoever_writes_first_not_to_whoever_counted_first),
        TEST(deferring_gives_back_only_the_places_still_held),
        TEST(the_register_lists_bookings_with_their_marks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
