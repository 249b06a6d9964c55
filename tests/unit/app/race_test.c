/*
 * The use cases under concurrent requests: threads, each with its own connection (as each server
 * thread has), released together. What a person sees is asserted: exactly as many bookings as
 * places and "This event is full" for the rest, the hours cap kept with the message that says
 * how much more fits, one version of work submitted twice at once, and one email per
 * notification however many notifiers run. The store's rules underneath are raced in
 * tests/unit/store/race_test.c.
 */
#include "../store/fixture.h"

#include "app/accounts.h"
#include "app/assessment.h"
#include "app/coaching.h"
#include "app/delivery.h"
#include "app/notify.h"
#include "domain/catalogue_json.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

enum { RACERS = 4 };

struct racer {
    struct fixture *f;
    const struct catalogue *catalogue;
    pthread_barrier_t *barrier;
    int index;
    int64_t who;  /* the person acting */
    int64_t what; /* the event, enrolment or submission acted on */
    int result;   /* the use case's answer */
    size_t sent;  /* notify_run: emails queued */
    char message[256];
};

static void run_racers(struct racer *racers, int count, void *(*run)(void *))
{
    pthread_barrier_t barrier;
    assert_int_equal(pthread_barrier_init(&barrier, NULL, (unsigned)count), 0);
    pthread_t threads[RACERS];
    for (int i = 0; i < count; i++) {
        racers[i].barrier = &barrier;
        racers[i].index = i;
        assert_int_equal(pthread_create(&threads[i], NULL, run, &racers[i]), 0);
    }
    for (int i = 0; i < count; i++)
        pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&barrier);
}

static void keep_first_message(struct racer *r, const struct errors *errors)
{
    snprintf(r->message, sizeof(r->message), "%s", errors->count > 0 ? errors->items[0].message : "");
}

static struct catalogue *default_catalogue(void)
{
    const struct embedded_file *file = test_default_catalogue();
    struct errors errors = ERRORS_INIT;
    struct catalogue *c = catalogue_json_parse((const char *)file->data, file->size, &errors);
    assert_non_null(c);
    errors_free(&errors);
    return c;
}

/* ---- Booking the last places ---- */

static void *book_self(void *arg)
{
    struct racer *r = arg;
    struct store *store = fixture_connect(r->f);
    struct actor actor = {.user_id = r->who, .label = "participant", .client = ""};
    struct accounts_env env = {.store = store, .actor = &actor, .base_url = "http://npq.test", .now = r->f->now};
    struct arena arena = ARENA_INIT;
    struct user u;
    struct caller caller = {.user_id = r->who};
    if (store_user_get(store, r->who, &arena, &u) == STORE_OK)
        for (size_t i = 0; i < u.role_count; i++)
            caller.roles |= 1u << u.roles[i].role;
    struct errors errors = ERRORS_INIT;
    int64_t booking = 0;
    pthread_barrier_wait(r->barrier);
    r->result = bookings_make(&env, &caller, r->what, 0, &booking, &errors);
    keep_first_message(r, &errors);
    errors_free(&errors);
    arena_release(&arena);
    store_close(store);
    return NULL;
}

static void people_booking_the_last_places_at_once_are_told_it_is_full(void **state)
{
    struct fixture *f = *state;
    int64_t cohort = fx_cohort(f, 0);
    int64_t people[RACERS];
    for (int i = 0; i < RACERS; i++) {
        people[i] = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
        fx_enrolment(f, people[i], cohort);
    }
    for (int round = 0; round < 6; round++) {
        int capacity = 1 + round % 2;
        int64_t event = fx_event(f, cohort, capacity);
        struct racer racers[RACERS];
        for (int i = 0; i < RACERS; i++)
            racers[i] = (struct racer){.f = f, .who = people[i], .what = event};
        run_racers(racers, RACERS, book_self);
        int booked = 0;
        for (int i = 0; i < RACERS; i++) {
            if (racers[i].result == APP_OK) {
                booked++;
                continue;
            }
            assert_int_equal(racers[i].result, APP_CONFLICT);
            assert_non_null(strstr(racers[i].message, "This event is full"));
        }
        assert_int_equal(booked, capacity);
        struct event e;
        assert_int_equal(store_event_get(f->store, event, &f->arena, &e), STORE_OK);
        assert_int_equal(e.booked, capacity);
    }
}

/* ---- Logging the last hours ---- */

static void *log_hours(void *arg)
{
    struct racer *r = arg;
    struct store *store = fixture_connect(r->f);
    struct actor actor = {.user_id = r->who, .label = "participant", .client = ""};
    struct accounts_env env = {.store = store, .actor = &actor, .base_url = "http://npq.test", .now = r->f->now};
    struct caller caller = {.user_id = r->who, .roles = 1u << ROLE_PARTICIPANT};
    struct activity_input input = {.module = "closing-the-gap",
                                   .type = "reading",
                                   .done_on = "2027-01-02",
                                   .hours = 12,
                                   .has_hours = true,
                                   .reflection = ""};
    struct arena arena = ARENA_INIT;
    struct activity out;
    struct errors errors = ERRORS_INIT;
    pthread_barrier_wait(r->barrier);
    r->result = activities_add(&env, r->catalogue, &caller, r->what, &input, &arena, &out, &errors);
    keep_first_message(r, &errors);
    errors_free(&errors);
    arena_release(&arena);
    store_close(store);
    return NULL;
}

static void entries_logged_at_once_keep_the_cap_and_say_what_is_left(void **state)
{
    struct fixture *f = *state;
    struct catalogue *catalogue = default_catalogue();
    const struct catalogue_module *m = catalogue_module_find(catalogue, "closing-the-gap", 15);
    assert_non_null(m);
    assert_int_equal(m->hours_cap, 50);
    for (int round = 0; round < 5; round++) {
        int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
        int64_t enrolment = fx_enrolment(f, pat, 0);
        /* 20 hours logged: 30 left, room for two more entries of 12 hours. */
        for (int i = 0; i < 2; i++) {
            struct activity a = {.enrolment_id = enrolment,
                                 .participant_id = pat,
                                 .module = "closing-the-gap",
                                 .type = DELIVERY_ACTIVITY_READING,
                                 .done_on = "2027-01-01",
                                 .quarter_hours = 40};
            assert_int_equal(store_activity_create(f->store, &f->actor, &a, 200, f->now), STORE_OK);
        }
        struct racer racers[RACERS];
        for (int i = 0; i < RACERS; i++)
            racers[i] = (struct racer){.f = f, .catalogue = catalogue, .who = pat, .what = enrolment};
        run_racers(racers, RACERS, log_hours);
        int logged = 0;
        for (int i = 0; i < RACERS; i++) {
            if (racers[i].result == APP_OK) {
                logged++;
                continue;
            }
            assert_int_equal(racers[i].result, APP_INVALID);
            assert_non_null(strstr(racers[i].message, "50-hour limit"));
        }
        assert_int_equal(logged, 2);
        int64_t total = 0;
        assert_int_equal(store_activity_logged(f->store, enrolment, "closing-the-gap", 0, &total), STORE_OK);
        assert_int_equal(total, 44 * 4);
    }
    catalogue_free(catalogue);
}

/* ---- Submitting the same work twice ---- */

static void *submit_work(void *arg)
{
    struct racer *r = arg;
    struct store *store = fixture_connect(r->f);
    struct actor actor = {.user_id = r->who, .label = "participant", .client = ""};
    struct accounts_env env = {.store = store, .actor = &actor, .base_url = "http://npq.test", .now = r->f->now};
    struct caller caller = {.user_id = r->who, .roles = 1u << ROLE_PARTICIPANT};
    struct arena arena = ARENA_INIT;
    struct submission_version out;
    struct errors errors = ERRORS_INIT;
    pthread_barrier_wait(r->barrier);
    r->result = assessment_submit(&env, &caller, r->what, &arena, &out, &errors);
    keep_first_message(r, &errors);
    errors_free(&errors);
    arena_release(&arena);
    store_close(store);
    return NULL;
}

static void work_submitted_twice_at_once_makes_one_version_and_one_receipt(void **state)
{
    struct fixture *f = *state;
    int64_t task = fx_task(f);
    for (int round = 0; round < 5; round++) {
        int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
        int64_t submission = fx_submission(f, task, fx_enrolment(f, pat, 0), pat);
        assert_int_equal(store_submission_save_draft(f->store, &f->actor, submission, "Reading scheme",
                                                     "My plan for teaching reading", f->now),
                         STORE_OK);
        int64_t mail_before = 0, mail_after = 0;
        assert_int_equal(store_mail_pending(f->store, &mail_before), STORE_OK);
        struct racer racers[2];
        for (int i = 0; i < 2; i++)
            racers[i] = (struct racer){.f = f, .who = pat, .what = submission};
        run_racers(racers, 2, submit_work);
        int ok = (racers[0].result == APP_OK) + (racers[1].result == APP_OK);
        assert_int_equal(ok, 1);
        struct racer *loser = racers[0].result == APP_OK ? &racers[1] : &racers[0];
        assert_int_equal(loser->result, APP_CONFLICT);
        struct submission_version *versions;
        size_t count;
        assert_int_equal(store_submission_versions(f->store, submission, &f->arena, &versions, &count), STORE_OK);
        assert_int_equal(count, 1);
        assert_int_equal(versions[0].number, 1);
        assert_int_equal(store_mail_pending(f->store, &mail_after), STORE_OK);
        assert_int_equal(mail_after, mail_before + 1); /* one receipt */
    }
}

/* ---- Several notifiers ---- */

static void *notify(void *arg)
{
    struct racer *r = arg;
    struct store *store = fixture_connect(r->f);
    struct notify_env env = {.store = store,
                             .base_url = "http://npq.test",
                             .now = r->f->now + r->what,
                             .reminder_lead = DELIVERY_REMINDER_LEAD_SECONDS};
    pthread_barrier_wait(r->barrier);
    r->result = notify_run(&env, &r->sent);
    store_close(store);
    return NULL;
}

static void notifiers_running_at_once_send_each_notification_once(void **state)
{
    struct fixture *f = *state;
    int64_t cohort = fx_cohort(f, 0);
    int64_t people[6];
    for (int i = 0; i < 6; i++)
        people[i] = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t expected = 0, booking = 0;
    for (int round = 0; round < 3; round++) {
        int64_t event = fx_event(f, cohort, 10);
        for (int i = 0; i < 6; i++)
            assert_int_equal(store_booking_create(f->store, &f->actor, event, people[i], f->now, &booking), STORE_OK);
        /* Invitations now; then, six days on, the reminders. */
        const int64_t offsets[] = {0, 6 * 86400};
        for (size_t pass = 0; pass < 2; pass++) {
            struct racer racers[RACERS];
            for (int i = 0; i < RACERS; i++)
                racers[i] = (struct racer){.f = f, .what = offsets[pass]};
            run_racers(racers, RACERS, notify);
            size_t sent = 0;
            for (int i = 0; i < RACERS; i++) {
                assert_int_equal(racers[i].result, APP_OK);
                sent += racers[i].sent;
            }
            expected += 6;
            assert_int_equal(sent, 6); /* one each, whichever notifier sent it */
        }
    }
    int64_t pending = 0;
    assert_int_equal(store_mail_pending(f->store, &pending), STORE_OK);
    assert_int_equal(pending, expected);
}

/* ---- Asking for password resets at once ---- */

static void *request_reset(void *arg)
{
    struct racer *r = arg;
    struct store *store = fixture_connect(r->f);
    struct actor actor = {.user_id = 0, .label = "anonymous", .client = "198.51.100.7"};
    struct accounts_env env = {.store = store, .actor = &actor, .base_url = "http://npq.test", .now = r->f->now};
    struct errors errors = ERRORS_INIT;
    pthread_barrier_wait(r->barrier);
    r->result = accounts_request_reset(&env, "racing.reset@example.org", &errors);
    keep_first_message(r, &errors);
    errors_free(&errors);
    store_close(store);
    return NULL;
}

static void reset_requests_at_once_are_each_counted_against_the_limit(void **state)
{
    struct fixture *f = *state;
    enum { ASKING = ACCOUNTS_MAX_RESETS_PER_EMAIL + 1 };
    _Static_assert((int)ASKING <= (int)RACERS, "one more request than the limit allows, at once");
    struct racer racers[RACERS];
    for (int i = 0; i < ASKING; i++)
        racers[i] = (struct racer){.f = f};
    run_racers(racers, ASKING, request_reset);
    int sent = 0, refused = 0;
    for (int i = 0; i < ASKING; i++) {
        sent += racers[i].result == APP_OK;
        refused += racers[i].result == APP_TOO_MANY;
    }
    assert_int_equal(sent, ACCOUNTS_MAX_RESETS_PER_EMAIL);
    assert_int_equal(refused, 1);
}

int main(void)
{
#define TEST(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
    const struct CMUnitTest tests[] = {
        TEST(people_booking_the_last_places_at_once_are_told_it_is_full),
        TEST(entries_logged_at_once_keep_the_cap_and_say_what_is_left),
        TEST(work_submitted_twice_at_once_makes_one_version_and_one_receipt),
        TEST(notifiers_running_at_once_send_each_notification_once),
        TEST(reset_requests_at_once_are_each_counted_against_the_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
