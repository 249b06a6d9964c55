/*
 * The store's contract for coaching and the learning-hours log: sessions that a reschedule cannot
 * revive once cancelled, notes whose private ones stay the coach's, actions ticked off and
 * reopened, and entries of hours under a module's cap, which the write itself holds.
 */
#include "fixture.h"

#include <string.h>

struct pair {
    int64_t coach, participant;
};

static struct pair coach_and_participant(struct fixture *f)
{
    return (struct pair){fx_person(f, "Cody Coach", ROLE_COACH, 0, 0),
                         fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0)};
}

static int64_t session(struct fixture *f, struct pair p, int64_t starts_at)
{
    struct coaching_session s = {.coach_id = p.coach,
                                 .participant_id = p.participant,
                                 .starts_at = starts_at,
                                 .ends_at = starts_at + 3600,
                                 .mode = DELIVERY_COACHING_ONLINE,
                                 .place = "https://meet.example.org/c"};
    assert_int_equal(store_coaching_session_create(f->store, &f->actor, &s, f->now), STORE_OK);
    return s.id;
}

/* ---- Sessions ---- */

static void a_session_is_booked_found_and_listed_for_both_people(void **state)
{
    struct fixture *f = *state;
    struct pair p = coach_and_participant(f);
    struct coaching_session s = {.coach_id = p.coach,
                                 .participant_id = p.participant,
                                 .starts_at = f->now + 86400,
                                 .ends_at = f->now + 86400 + 3600,
                                 .mode = DELIVERY_COACHING_IN_PERSON,
                                 .place = "Room 4"};
    assert_int_equal(store_coaching_session_create(f->store, &f->admin, &s, f->now), STORE_OK);
    assert_int_equal(s.sequence, 0);
    struct coaching_session got;
    assert_int_equal(store_coaching_session_get(f->store, s.id, &f->arena, &got), STORE_OK);
    assert_int_equal(got.coach_id, p.coach);
    assert_string_equal(got.coach_name, "Cody Coach");
    assert_int_equal(got.participant_id, p.participant);
    assert_string_equal(got.participant_name, "Pat Participant");
    assert_int_equal(got.starts_at, s.starts_at);
    assert_int_equal(got.mode, DELIVERY_COACHING_IN_PERSON);
    assert_string_equal(got.place, "Room 4");
    assert_int_equal(got.cancelled_at, 0);
    assert_int_equal(got.action_count, 0);
    assert_int_equal(fx_audited(f, "coaching_session.create", "coaching_session", s.id), 1);

    struct coaching_session bad = s;
    bad.coach_id = 999999;
    assert_int_equal(store_coaching_session_create(f->store, &f->admin, &bad, f->now), STORE_NOT_FOUND);
    bad = s;
    bad.participant_id = 999999;
    assert_int_equal(store_coaching_session_create(f->store, &f->admin, &bad, f->now), STORE_NOT_FOUND);
    assert_int_equal(store_coaching_session_get(f->store, 999999, &f->arena, &got), STORE_NOT_FOUND);

    int64_t later = session(f, p, f->now + 2 * 86400);
    int64_t other = fx_person(f, "Sam Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t theirs = session(f, (struct pair){p.coach, other}, f->now + 3 * 86400);
    struct coaching_session *list;
    size_t count;
    struct coaching_filter mine = {.user_id = p.participant};
    assert_int_equal(
        store_coaching_session_list(f->store, &mine, &(struct store_page){.limit = 100}, &f->arena, &list, &count),
        STORE_OK);
    assert_int_equal(count, 2);
    assert_int_equal(list[0].id, later); /* the latest start first */
    struct coaching_filter coachs = {.user_id = p.coach};
    assert_int_equal(
        store_coaching_session_list(f->store, &coachs, &(struct store_page){.limit = 100}, &f->arena, &list, &count),
        STORE_OK);
    assert_int_equal(count, 3);
    struct coaching_filter one = {.user_id = p.coach, .participant_id = other};
    assert_int_equal(
        store_coaching_session_list(f->store, &one, &(struct store_page){.limit = 100}, &f->arena, &list, &count),
        STORE_OK);
    assert_int_equal(count, 1);
    assert_int_equal(list[0].id, theirs);
    struct coaching_filter everyone = {0};
    assert_int_equal(
        store_coaching_session_list(f->store, &everyone, &(struct store_page){.limit = 100}, &f->arena, &list, &count),
        STORE_OK);
    assert_int_equal(count, 3);

    struct relation r;
    struct caller as_coach = fx_caller(f, p.coach), as_pat = fx_caller(f, p.participant);
    assert_int_equal(store_relation(f->store, &as_coach, RESOURCE_COACHING_SESSION, s.id, &r), STORE_OK);
    assert_true(r.exists && r.cohort_coach && !r.is_self);
    assert_int_equal(store_relation(f->store, &as_pat, RESOURCE_COACHING_SESSION, s.id, &r), STORE_OK);
    assert_true(r.exists && r.is_self && !r.cohort_coach);
}

static void a_cancelled_session_cannot_be_rescheduled_or_cancelled_again(void **state)
{
    struct fixture *f = *state;
    struct pair p = coach_and_participant(f);
    int64_t id = session(f, p, f->now + 86400);
    struct coaching_session got;
    assert_int_equal(store_coaching_session_get(f->store, id, &f->arena, &got), STORE_OK);
    struct coaching_session moved = got;
    moved.starts_at += 7200;
    moved.ends_at += 7200;
    moved.mode = DELIVERY_COACHING_IN_PERSON;
    moved.place = "Room 4";
    assert_int_equal(store_coaching_session_reschedule(f->store, &f->admin, &moved, f->now + 1), STORE_OK);
    assert_int_equal(store_coaching_session_get(f->store, id, &f->arena, &got), STORE_OK);
    assert_int_equal(got.starts_at, moved.starts_at);
    assert_int_equal(got.mode, DELIVERY_COACHING_IN_PERSON);
    assert_string_equal(got.place, "Room 4");
    assert_int_equal(got.sequence, 1);
    assert_int_equal(fx_audited(f, "coaching_session.reschedule", "coaching_session", id), 1);

    assert_int_equal(store_coaching_session_cancel(f->store, &f->admin, id, f->now + 2), STORE_OK);
    assert_int_equal(store_coaching_session_cancel(f->store, &f->admin, id, f->now + 3), STORE_CONFLICT);
    assert_int_equal(store_coaching_session_reschedule(f->store, &f->admin, &moved, f->now + 4), STORE_CONFLICT);
    assert_int_equal(store_coaching_session_get(f->store, id, &f->arena, &got), STORE_OK);
    assert_int_equal(got.cancelled_at, f->now + 2);
    assert_int_equal(got.sequence, 2);
    assert_int_equal(got.starts_at, moved.starts_at);

    struct coaching_session missing = moved;
    missing.id = 999999;
    assert_int_equal(store_coaching_session_reschedule(f->store, &f->admin, &missing, f->now), STORE_NOT_FOUND);
    assert_int_equal(store_coaching_session_cancel(f->store, &f->admin, 999999, f->now), STORE_NOT_FOUND);
}

/* ---- Notes and actions ---- */

static void private_notes_are_left_out_unless_asked_for(void **state)
{
    struct fixture *f = *state;
    struct pair p = coach_and_participant(f);
    int64_t id = session(f, p, f->now + 86400);
    struct coaching_note private_note = {
        .session_id = id, .author_id = p.coach, .visibility = DELIVERY_NOTE_PRIVATE, .body = "Seems tired"};
    struct coaching_note shared = {.session_id = id,
                                   .author_id = p.coach,
                                   .visibility = DELIVERY_NOTE_SHARED,
                                   .body = "Agreed to **observe** a lesson"};
    assert_int_equal(store_coaching_note_add(f->store, &f->actor, &private_note, f->now), STORE_OK);
    assert_int_equal(store_coaching_note_add(f->store, &f->actor, &shared, f->now + 1), STORE_OK);
    struct coaching_note lost = shared;
    lost.session_id = 999999;
    assert_int_equal(store_coaching_note_add(f->store, &f->actor, &lost, f->now), STORE_NOT_FOUND);

    struct coaching_note *notes;
    size_t count;
    assert_int_equal(store_coaching_notes(f->store, id, true, &f->arena, &notes, &count), STORE_OK);
    assert_int_equal(count, 2);
    assert_int_equal(notes[0].id, private_note.id); /* oldest first */
    assert_int_equal(notes[0].visibility, DELIVERY_NOTE_PRIVATE);
    assert_string_equal(notes[0].body, "Seems tired");
    assert_string_equal(notes[0].author_name, "Cody Coach");
    assert_int_equal(store_coaching_notes(f->store, id, false, &f->arena, &notes, &count), STORE_OK);
    assert_int_equal(count, 1);
    assert_int_equal(notes[0].id, shared.id);
    assert_string_equal(notes[0].body, "Agreed to **observe** a lesson");

    /* The log keeps the length, never the words. */
    struct audit_filter filter = {.action = "coaching_note.create"};
    struct audit_event *events;
    size_t n, total;
    assert_int_equal(
        store_audit_list(f->store, &filter, &(struct store_page){.limit = 10}, &f->arena, &events, &n, &total),
        STORE_OK);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++)
        assert_null(strstr(events[i].after, "tired"));
}

static void actions_are_ticked_off_once_and_reopened(void **state)
{
    struct fixture *f = *state;
    struct pair p = coach_and_participant(f);
    int64_t id = session(f, p, f->now + 86400), other = session(f, p, f->now + 2 * 86400);
    struct coaching_action first = {
        .session_id = id, .text = "Observe a lesson", .due_on = "2027-01-20", .created_by = p.coach};
    struct coaching_action second = {.session_id = id, .text = "Read the report", .created_by = p.participant};
    assert_int_equal(store_coaching_action_add(f->store, &f->actor, &first, f->now), STORE_OK);
    assert_int_equal(store_coaching_action_add(f->store, &f->actor, &second, f->now), STORE_OK);
    struct coaching_action lost = first;
    lost.session_id = 999999;
    assert_int_equal(store_coaching_action_add(f->store, &f->actor, &lost, f->now), STORE_NOT_FOUND);

    assert_int_equal(store_coaching_action_set_done(f->store, &f->actor, id, first.id, true, f->now + 10), STORE_OK);
    assert_int_equal(store_coaching_action_set_done(f->store, &f->actor, id, first.id, true, f->now + 20), STORE_OK);
    assert_int_equal(store_coaching_action_set_done(f->store, &f->actor, other, first.id, true, f->now),
                     STORE_NOT_FOUND); /* not an action of that session */
    struct coaching_action *actions;
    size_t count;
    assert_int_equal(store_coaching_actions(f->store, id, &f->arena, &actions, &count), STORE_OK);
    assert_int_equal(count, 2);
    assert_string_equal(actions[0].text, "Observe a lesson");
    assert_string_equal(actions[0].due_on, "2027-01-20");
    assert_int_equal(actions[0].done_at, f->now + 10); /* the first time it was ticked */
    assert_int_equal(actions[0].created_by, p.coach);
    assert_null(actions[1].due_on);
    assert_int_equal(actions[1].done_at, 0);
    struct coaching_session s;
    assert_int_equal(store_coaching_session_get(f->store, id, &f->arena, &s), STORE_OK);
    assert_int_equal(s.action_count, 2);
    assert_int_equal(s.actions_done, 1);

    assert_int_equal(store_coaching_action_set_done(f->store, &f->actor, id, first.id, false, f->now + 30), STORE_OK);
    assert_int_equal(store_coaching_actions(f->store, id, &f->arena, &actions, &count), STORE_OK);
    assert_int_equal(actions[0].done_at, 0);
    assert_int_equal(fx_audited(f, "coaching_action.create", "coaching_session", id), 2);
}

/* ---- The learning-hours log ---- */

static struct activity entry(int64_t enrolment, int64_t participant, const char *module, int quarter_hours,
                             const char *done_on)
{
    return (struct activity){.enrolment_id = enrolment,
                             .participant_id = participant,
                             .module = module,
                             .type = DELIVERY_ACTIVITY_READING,
                             .done_on = done_on,
                             .quarter_hours = quarter_hours,
                             .reflection = "Read the *report*"};
}

static int64_t logged(struct fixture *f, int64_t enrolment, const char *module)
{
    int64_t q = -1;
    assert_int_equal(store_activity_logged(f->store, enrolment, module, 0, &q), STORE_OK);
    return q;
}

static void entries_are_logged_found_and_listed_latest_first(void **state)
{
    struct fixture *f = *state;
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t e = fx_enrolment(f, pat, 0);
    struct activity a = entry(e, pat, "leading-teaching", 6, "2027-01-02");
    struct activity b = entry(e, pat, "leading-teaching", 4, "2027-01-03");
    struct activity c = entry(e, pat, "leading-change-for-improvement", 8, "2027-01-01");
    assert_int_equal(store_activity_create(f->store, &f->actor, &a, 200, f->now), STORE_OK);
    assert_int_equal(store_activity_create(f->store, &f->actor, &b, 200, f->now), STORE_OK);
    assert_int_equal(store_activity_create(f->store, &f->actor, &c, 200, f->now), STORE_OK);
    struct activity lost = entry(999999, pat, "leading-teaching", 4, "2027-01-03");
    assert_int_equal(store_activity_create(f->store, &f->actor, &lost, 200, f->now), STORE_NOT_FOUND);
    lost = entry(e, 999999, "leading-teaching", 4, "2027-01-03");
    assert_int_equal(store_activity_create(f->store, &f->actor, &lost, 200, f->now), STORE_NOT_FOUND);

    struct activity got;
    assert_int_equal(store_activity_get(f->store, e, a.id, &f->arena, &got), STORE_OK);
    assert_int_equal(got.participant_id, pat);
    assert_string_equal(got.module, "leading-teaching");
    assert_int_equal(got.type, DELIVERY_ACTIVITY_READING);
    assert_string_equal(got.done_on, "2027-01-02");
    assert_int_equal(got.quarter_hours, 6);
    assert_string_equal(got.reflection, "Read the *report*");
    assert_int_equal(got.verified_at, 0);
    assert_int_equal(store_activity_get(f->store, e + 1, a.id, &f->arena, &got), STORE_NOT_FOUND);

    struct activity *list;
    size_t count;
    assert_int_equal(
        store_activity_list(f->store, e, &(struct store_page){.limit = STORE_PAGE_MAX}, &f->arena, &list, &count),
        STORE_OK);
    assert_int_equal(count, 3);
    assert_int_equal(list[0].id, b.id); /* the latest date first */
    assert_int_equal(list[2].id, c.id);
    assert_int_equal(logged(f, e, "leading-teaching"), 10);
    assert_int_equal(logged(f, e, "LEADING-TEACHING"), 10);
    int64_t without = -1;
    assert_int_equal(store_activity_logged(f->store, e, "leading-teaching", a.id, &without), STORE_OK);
    assert_int_equal(without, 4);
    assert_int_equal(fx_audited(f, "activity.create", "activity", a.id), 1);
}

static void an_entry_that_would_pass_the_cap_is_refused_and_reaching_it_is_allowed(void **state)
{
    struct fixture *f = *state;
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t e = fx_enrolment(f, pat, 0);
    struct activity a = entry(e, pat, "leading-teaching", 40, "2027-01-02");
    assert_int_equal(store_activity_create(f->store, &f->actor, &a, 48, f->now), STORE_OK);
    struct activity over = entry(e, pat, "leading-teaching", 9, "2027-01-02");
    assert_int_equal(store_activity_create(f->store, &f->actor, &over, 48, f->now), STORE_CONFLICT);
    struct activity exact = entry(e, pat, "Leading-Teaching", 8, "2027-01-02");
    assert_int_equal(store_activity_create(f->store, &f->actor, &exact, 48, f->now), STORE_OK);
    /* The cap is per module: another module has its own. */
    struct activity elsewhere = entry(e, pat, "leading-change-for-improvement", 9, "2027-01-02");
    assert_int_equal(store_activity_create(f->store, &f->actor, &elsewhere, 48, f->now), STORE_OK);
    assert_int_equal(logged(f, e, "leading-teaching"), 48);
    struct activity *list;
    size_t count;
    assert_int_equal(
        store_activity_list(f->store, e, &(struct store_page){.limit = STORE_PAGE_MAX}, &f->arena, &list, &count),
        STORE_OK);
    assert_int_equal(count, 3);
}

static void the_log_pages_by_date_newest_first_and_adds_up_whole(void **state)
{
    struct fixture *f = *state;
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t e = fx_enrolment(f, pat, 0);
    const char *days[] = {"2027-01-02", "2027-03-01", "2026-12-31", "2027-03-01", "2027-01-15"};
    int64_t ids[5];
    for (int i = 0; i < 5; i++) {
        struct activity a =
            entry(e, pat, i == 4 ? "leading-change-for-improvement" : "leading-teaching", i + 1, days[i]);
        if (i == 2)
            a.type = DELIVERY_ACTIVITY_REFLECTION;
        assert_int_equal(store_activity_create(f->store, &f->actor, &a, 400, f->now), STORE_OK);
        ids[i] = a.id;
    }
    /* The latest date first, the newer of one day's entries first, two to a page, none twice. */
    const int64_t order[] = {ids[3], ids[1], ids[4], ids[0], ids[2]};
    struct store_page page = {.limit = 2};
    size_t seen = 0;
    int pages = 0;
    do {
        struct activity *list;
        size_t count;
        assert_int_equal(store_activity_list(f->store, e, &page, &f->arena, &list, &count), STORE_OK);
        assert_true(count <= 2);
        for (size_t i = 0; i < count; i++)
            assert_int_equal(list[i].id, order[seen++]);
        pages++;
    } while (store_page_advance(&page, &f->arena));
    assert_int_equal(seen, 5);
    assert_int_equal(pages, 3);
    /* The sums are of the whole log, whatever the page. */
    assert_int_equal(store_activity_verify(f->store, &f->actor, e, ids[0], pat, f->now), STORE_OK);
    struct activity_sum *sums;
    size_t n;
    assert_int_equal(store_activity_sums(f->store, e, &f->arena, &sums, &n), STORE_OK);
    int64_t teaching = 0, verified = 0, reflection = 0, all = 0;
    for (size_t i = 0; i < n; i++) {
        all += sums[i].quarter_hours;
        teaching += strcmp(sums[i].module, "leading-teaching") == 0 ? sums[i].quarter_hours : 0;
        verified += sums[i].verified ? sums[i].quarter_hours : 0;
        reflection += sums[i].type == DELIVERY_ACTIVITY_REFLECTION ? sums[i].quarter_hours : 0;
    }
    assert_int_equal(all, 15);
    assert_int_equal(teaching, 10);
    assert_int_equal(verified, 1);
    assert_int_equal(reflection, 3);
}

static void the_cap_holds_against_hours_logged_since_the_caller_looked(void **state)
{
    struct fixture *f = *state;
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t e = fx_enrolment(f, pat, 0);
    /* One request reads the log: 40 quarter hours left of 40. */
    assert_int_equal(logged(f, e, "leading-teaching"), 0);
    /* Another, on its own connection, logs 30 of them. */
    struct store *other = fixture_connect(f);
    struct activity theirs = entry(e, pat, "leading-teaching", 30, "2027-01-02");
    assert_int_equal(store_activity_create(other, &f->actor, &theirs, 40, f->now), STORE_OK);
    store_close(other);
    /* The first one's 20, which fitted when it looked, no longer do. */
    struct activity mine = entry(e, pat, "leading-teaching", 20, "2027-01-02");
    assert_int_equal(store_activity_create(f->store, &f->actor, &mine, 40, f->now), STORE_CONFLICT);
    assert_int_equal(logged(f, e, "leading-teaching"), 30);
}

static void changing_an_entry_moves_its_hours_under_the_cap(void **state)
{
    struct fixture *f = *state;
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t e = fx_enrolment(f, pat, 0);
    struct activity a = entry(e, pat, "leading-teaching", 20, "2027-01-02");
    struct activity b = entry(e, pat, "leading-change-for-improvement", 30, "2027-01-02");
    assert_int_equal(store_activity_create(f->store, &f->actor, &a, 40, f->now), STORE_OK);
    assert_int_equal(store_activity_create(f->store, &f->actor, &b, 40, f->now), STORE_OK);

    /* More hours, up to the cap. */
    struct activity changed = a;
    changed.quarter_hours = 40;
    changed.type = DELIVERY_ACTIVITY_PEER_LEARNING;
    changed.reflection = "Talked it through";
    assert_int_equal(store_activity_update(f->store, &f->actor, &changed, 40, f->now + 1), STORE_OK);
    struct activity got;
    assert_int_equal(store_activity_get(f->store, e, a.id, &f->arena, &got), STORE_OK);
    assert_int_equal(got.quarter_hours, 40);
    assert_int_equal(got.type, DELIVERY_ACTIVITY_PEER_LEARNING);
    assert_string_equal(got.reflection, "Talked it through");
    assert_int_equal(got.updated_at, f->now + 1);
    assert_int_equal(logged(f, e, "leading-teaching"), 40);

    /* Into a module with no room for it: refused, and nothing moves. */
    struct activity moved = got;
    moved.module = "leading-change-for-improvement";
    assert_int_equal(store_activity_update(f->store, &f->actor, &moved, 40, f->now + 2), STORE_CONFLICT);
    assert_int_equal(logged(f, e, "leading-teaching"), 40);
    assert_int_equal(logged(f, e, "leading-change-for-improvement"), 30);
    /* With room: the hours leave one module and join the other. */
    moved.quarter_hours = 10;
    assert_int_equal(store_activity_update(f->store, &f->actor, &moved, 40, f->now + 3), STORE_OK);
    assert_int_equal(logged(f, e, "leading-teaching"), 0);
    assert_int_equal(logged(f, e, "leading-change-for-improvement"), 40);

    /* Fewer hours always fit, even under a cap lowered since. */
    struct activity fewer = b;
    fewer.quarter_hours = 20;
    assert_int_equal(store_activity_update(f->store, &f->actor, &fewer, 8, f->now + 4), STORE_OK);
    assert_int_equal(logged(f, e, "leading-change-for-improvement"), 30);

    /* Written from an older read of the entry (30, not 20): the cap counts what the entry had. */
    struct activity stale = b;
    stale.quarter_hours = 12;
    assert_int_equal(store_activity_update(f->store, &f->actor, &stale, 40, f->now + 5), STORE_OK);
    assert_int_equal(logged(f, e, "leading-change-for-improvement"), 22);
    struct activity too_much = entry(e, pat, "leading-change-for-improvement", 19, "2027-01-04");
    assert_int_equal(store_activity_create(f->store, &f->actor, &too_much, 40, f->now + 6), STORE_CONFLICT);
    struct activity room = entry(e, pat, "leading-change-for-improvement", 18, "2027-01-04");
    assert_int_equal(store_activity_create(f->store, &f->actor, &room, 40, f->now + 6), STORE_OK);
    struct activity missing = stale;
    missing.id = 999999;
    assert_int_equal(store_activity_update(f->store, &f->actor, &missing, 40, f->now), STORE_NOT_FOUND);
    assert_int_equal(fx_audited(f, "activity.update", "activity", a.id), 2);
}

static void a_verified_entry_stays_as_it_was_verified(void **state)
{
    struct fixture *f = *state;
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t cody = fx_person(f, "Cody Coach", ROLE_COACH, 0, 0);
    int64_t e = fx_enrolment(f, pat, 0);
    struct activity a = entry(e, pat, "leading-teaching", 8, "2027-01-02");
    struct activity b = entry(e, pat, "leading-teaching", 4, "2027-01-03");
    assert_int_equal(store_activity_create(f->store, &f->actor, &a, 200, f->now), STORE_OK);
    assert_int_equal(store_activity_create(f->store, &f->actor, &b, 200, f->now), STORE_OK);

    assert_int_equal(store_activity_verify(f->store, &f->actor, e, a.id, cody, f->now + 1), STORE_OK);
    assert_int_equal(store_activity_verify(f->store, &f->actor, e, a.id, cody, f->now + 2), STORE_CONFLICT);
    assert_int_equal(store_activity_verify(f->store, &f->actor, e, 999999, cody, f->now), STORE_NOT_FOUND);
    struct activity got;
    assert_int_equal(store_activity_get(f->store, e, a.id, &f->arena, &got), STORE_OK);
    assert_int_equal(got.verified_by, cody);
    assert_string_equal(got.verified_by_name, "Cody Coach");
    assert_int_equal(got.verified_at, f->now + 1);
    assert_int_equal(fx_audited(f, "activity.verify", "activity", a.id), 1);

    struct activity changed = got;
    changed.quarter_hours = 2;
    assert_int_equal(store_activity_update(f->store, &f->actor, &changed, 200, f->now + 3), STORE_CONFLICT);
    assert_int_equal(store_activity_delete(f->store, &f->actor, e, a.id, f->now + 3), STORE_CONFLICT);
    assert_int_equal(store_activity_get(f->store, e, a.id, &f->arena, &got), STORE_OK);
    assert_int_equal(got.quarter_hours, 8);

    /* An unverified one is removed, once, and its hours leave the total. */
    assert_int_equal(store_activity_delete(f->store, &f->actor, e, b.id, f->now + 4), STORE_OK);
    assert_int_equal(store_activity_delete(f->store, &f->actor, e, b.id, f->now + 5), STORE_NOT_FOUND);
    assert_int_equal(logged(f, e, "leading-teaching"), 8);
    assert_int_equal(fx_audited(f, "activity.delete", "activity", b.id), 1);
    /* Its room is free again. */
    struct activity again = entry(e, pat, "leading-teaching", 4, "2027-01-03");
    assert_int_equal(store_activity_create(f->store, &f->actor, &again, 12, f->now + 6), STORE_OK);
}

int main(void)
{
#define TEST(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
    const struct CMUnitTest tests[] = {
        TEST(a_session_is_booked_found_and_listed_for_both_people),
        TEST(a_cancelled_session_cannot_be_rescheduled_or_cancelled_again),
        TEST(private_notes_are_left_out_unless_asked_for),
        TEST(actions_are_ticked_off_once_and_reopened),
        TEST(entries_are_logged_found_and_listed_latest_first),
        TEST(an_entry_that_would_pass_the_cap_is_refused_and_reaching_it_is_allowed),
        TEST(the_log_pages_by_date_newest_first_and_adds_up_whole),
        TEST(the_cap_holds_against_hours_logged_since_the_caller_looked),
        TEST(changing_an_entry_moves_its_hours_under_the_cap),
        TEST(a_verified_entry_stays_as_it_was_verified),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
