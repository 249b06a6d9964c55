/*
 * Rules that follow from a change, decided by the use case rather than by the store's SQL: a
 * deactivated person is signed out everywhere, a venue's new address reaches the calendars of its
 * coming events, and a participant who defers or withdraws gives their places back. Each runs the
 * use case on a real database (the store contract tests' fixture) and checks what it left.
 */
#include "../store/fixture.h"

#include "app/accounts.h"
#include "app/applications.h"
#include "app/assessment.h"
#include "app/delivery.h"

#include <string.h>

static struct accounts_env env_of(struct fixture *f, const struct actor *actor)
{
    return (struct accounts_env){f->store, actor, "https://npq.example.org", f->now};
}

static void deactivating_signs_the_person_out_everywhere_for_good(void **state)
{
    struct fixture *f = *state;
    int64_t pat = fx_person(f, "Pat Smith", ROLE_PARTICIPANT, 0, 0);
    unsigned char session_hash[32], token_hash[32];
    fx_hash(session_hash, 1);
    fx_hash(token_hash, 2);
    int64_t session = 0, token = 0;
    assert_int_equal(store_session_create(f->store, pat, session_hash, f->now, f->now + 86400, "192.0.2.7", &session),
                     STORE_OK);
    assert_int_equal(store_token_create(f->store, &f->actor, pat, "laptop", token_hash, "npq_ab", 0, f->now, &token),
                     STORE_OK);

    struct accounts_env env = env_of(f, &f->admin);
    struct errors errors = ERRORS_INIT;
    assert_int_equal(accounts_set_active(&env, pat, false, &errors), APP_OK);
    assert_int_equal(accounts_set_active(&env, pat, true, &errors), APP_OK);
    assert_int_equal(errors.count, 0);

    /* Back again, yet the old session and token stay ended: they were revoked, not just refused. */
    struct caller c;
    struct credential found;
    assert_int_equal(store_session_authenticate(f->store, session_hash, f->now + 20, 3600, &f->arena, &c, &found),
                     STORE_NOT_FOUND);
    assert_int_equal(store_token_authenticate(f->store, token_hash, f->now, &f->arena, &c, &found), STORE_NOT_FOUND);
    assert_int_equal(fx_audited(f, "user.deactivate", "user", pat), 1);
    assert_int_equal(fx_audited(f, "token.revoke_all", "user", pat), 1);
}

static void nobody_deactivates_their_own_account(void **state)
{
    struct fixture *f = *state;
    struct accounts_env env = env_of(f, &f->admin);
    struct errors errors = ERRORS_INIT;
    assert_int_equal(accounts_set_active(&env, f->admin_id, false, &errors), APP_INVALID);
    assert_int_equal(errors.count, 1);
    assert_string_equal(errors.items[0].where, "active");
    errors_free(&errors);
    struct user u;
    assert_int_equal(store_user_get(f->store, f->admin_id, &f->arena, &u), STORE_OK);
    assert_true(u.active);
}

static void a_venues_new_address_reaches_the_calendars_and_its_capacity_does_not(void **state)
{
    struct fixture *f = *state;
    int64_t partner = fx_organisation(f, ORG_DELIVERY_PARTNER, "North Partner");
    struct caller admin = fx_caller(f, f->admin_id);
    struct accounts_env env = env_of(f, &f->admin);
    struct errors errors = ERRORS_INIT;
    struct venue v = {.delivery_partner_id = partner,
                      .name = "Mill Centre",
                      .address = "1 Mill St",
                      .postcode = "M1 1AE",
                      .capacity = 40};
    assert_int_equal(venues_save(&env, &admin, &v, &f->arena, &errors), APP_OK);
    struct event e = {.cohort_id = fx_cohort(f, partner),
                      .kind = DELIVERY_EVENT_FACE_TO_FACE,
                      .title = "Day one",
                      .venue_id = v.id,
                      .starts_at = f->now + 86400,
                      .ends_at = f->now + 90000,
                      .capacity = 30};
    assert_int_equal(store_event_create(f->store, &f->admin, &e, f->now), STORE_OK);

    const struct {
        const char *field;
        const char *value;
        int sequence; /* the event's, after the change */
    } changes[] = {
        {"capacity", NULL, 0},     {"accessibility", "Step-free", 0}, {"address", "2 New Rd", 1},
        {"postcode", "M2 2BB", 2}, {"name", "Mill House", 3},         {"name", "Mill House", 3},
    };
    for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
        struct venue next = v;
        if (strcmp(changes[i].field, "capacity") == 0)
            next.capacity = 50;
        else if (strcmp(changes[i].field, "accessibility") == 0)
            next.accessibility = changes[i].value;
        else if (strcmp(changes[i].field, "address") == 0)
            next.address = changes[i].value;
        else if (strcmp(changes[i].field, "postcode") == 0)
            next.postcode = changes[i].value;
        else
            next.name = changes[i].value;
        assert_int_equal(venues_save(&env, &admin, &next, &f->arena, &errors), APP_OK);
        assert_int_equal(errors.count, 0);
        v = next;
        struct event got;
        assert_int_equal(store_event_get(f->store, e.id, &f->arena, &got), STORE_OK);
        assert_int_equal(got.sequence, changes[i].sequence);
    }
}

static void deferring_and_withdrawing_give_places_back(void **state)
{
    struct fixture *f = *state;
    int64_t cohort = fx_cohort(f, 0);
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t kim = fx_person(f, "Kim Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t pat_enrolment = fx_enrolment(f, pat, cohort), kim_enrolment = fx_enrolment(f, kim, cohort);
    int64_t event = fx_event(f, cohort, 2), booking = 0;
    assert_int_equal(store_booking_create(f->store, &f->actor, event, pat, f->now, &booking), STORE_OK);
    assert_int_equal(store_booking_create(f->store, &f->actor, event, kim, f->now, &booking), STORE_OK);

    struct accounts_env env = env_of(f, &f->admin);
    struct caller admin = fx_caller(f, f->admin_id);
    struct errors errors = ERRORS_INIT;
    assert_int_equal(
        enrolments_step(&env, NULL, &admin, pat_enrolment, ENROLMENT_DEFER, "Illness", NULL, "2027-09-01", 0, &errors),
        APP_OK);
    struct event e;
    assert_int_equal(store_event_get(f->store, event, &f->arena, &e), STORE_OK);
    assert_int_equal(e.booked, 1);
    assert_int_equal(
        enrolments_step(&env, NULL, &admin, kim_enrolment, ENROLMENT_WITHDRAW, "Moved school", NULL, NULL, 0, &errors),
        APP_OK);
    assert_int_equal(errors.count, 0);
    assert_int_equal(store_event_get(f->store, event, &f->arena, &e), STORE_OK);
    assert_int_equal(e.booked, 0);
    bool booked = true;
    assert_int_equal(store_booking_exists(f->store, event, kim, &booked), STORE_OK);
    assert_false(booked);
}

/* A use case that commits inside a caller's transaction closes only its own level: what the caller
 * wrote before and after it is kept or undone with the caller's own end. */
static void a_use_case_inside_another_ends_only_its_own_level(void **state)
{
    struct fixture *f = *state;
    for (int keep = 0; keep < 2; keep++) {
        char value[32];
        assert_int_equal(store_begin(f->store), STORE_OK);
        assert_int_equal(store_setting_set(f->store, "before", keep ? "kept" : "undone"), STORE_OK);
        assert_int_equal(store_begin(f->store), STORE_OK);
        assert_int_equal(store_setting_set(f->store, "inner", "written"), STORE_OK);
        assert_int_equal(app_transaction_end(f->store, APP_OK), APP_OK);
        assert_int_equal(store_setting_set(f->store, "after", "written"), STORE_OK);
        assert_int_equal(app_transaction_end(f->store, keep ? APP_OK : APP_CONFLICT), keep ? APP_OK : APP_CONFLICT);
        assert_int_equal(store_setting_get(f->store, "inner", value, sizeof(value)), keep ? STORE_OK : STORE_NOT_FOUND);
        assert_int_equal(store_setting_get(f->store, "after", value, sizeof(value)), keep ? STORE_OK : STORE_NOT_FOUND);
    }
}

/* The marking queue leaves an assessor's own work out; a page of it is still full, read on from the
 * store until it is, and the pages together are the queue once. */
static void a_page_of_the_marking_queue_is_full_whatever_is_left_out(void **state)
{
    struct fixture *f = *state;
    const int64_t tasks[] = {fx_task(f), fx_task(f)};
    int64_t assessor = fx_person(f, "Ash Assessor", ROLE_ASSESSOR, 0, 0);
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t kim = fx_person(f, "Kim Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t own = fx_enrolment(f, assessor, 0);
    /* Submitted in this order: the assessor's own, Pat's, the assessor's own again, Kim's. */
    const int64_t who[] = {assessor, pat, assessor, kim};
    const int64_t enrolments[] = {own, fx_enrolment(f, pat, 0), own, fx_enrolment(f, kim, 0)};
    int64_t versions[4];
    for (int i = 0; i < 4; i++) {
        int64_t s = fx_submission(f, tasks[i / 2], enrolments[i], who[i]);
        assert_int_equal(fx_submit(f->store, &f->actor, s, 1, SUBMISSION_DRAFT, f->now + i, &versions[i]), STORE_OK);
    }
    struct accounts_env env = env_of(f, &f->admin);
    struct caller caller = fx_caller(f, assessor);
    struct store_page page = {.limit = 1};
    int64_t seen[4];
    size_t seen_count = 0, pages = 0;
    do {
        struct marking_queue_entry *entries;
        size_t count;
        assert_int_equal(assessment_marking_queue(&env, &caller, &page, &f->arena, &entries, &count), APP_OK);
        assert_int_equal(count, 1); /* never an empty page before the end */
        seen[seen_count++] = entries[0].item.version_id;
        assert_false(entries[0].moderation);
        pages++;
    } while (store_page_advance(&page, &f->arena));
    assert_int_equal(pages, 2);
    assert_int_equal(seen[0], versions[1]);
    assert_int_equal(seen[1], versions[3]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(deactivating_signs_the_person_out_everywhere_for_good, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(nobody_deactivates_their_own_account, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(a_page_of_the_marking_queue_is_full_whatever_is_left_out, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(a_venues_new_address_reaches_the_calendars_and_its_capacity_does_not,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(deferring_and_withdrawing_give_places_back, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(a_use_case_inside_another_ends_only_its_own_level, fixture_setup,
                                        fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
