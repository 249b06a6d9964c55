/*
 * Rules about time, tested by setting the clock rather than by waiting for it: a session's idle
 * limit and absolute end, the lifetimes of password-reset and invitation links, the sign-in
 * throttling window, and event reminders (due within the lead, sent once, never after the start).
 * Each test runs the use cases on a real SQLite database, taking now from clock_now() as the
 * server's edges do, and moves the clock on between steps.
 */
#include "../test_support.h"

#include "app/accounts.h"
#include "app/notify.h"
#include "domain/catalogue_json.h"
#include "lib/clock.h"
#include "lib/secret.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { T0 = 1800000000 }; /* Friday 15 January 2027, 08:00 UTC */

static const struct actor tester = {0, "time rules test", "127.0.0.1"};
static const char password[] = "correct horse battery staple quietly";

struct fixture {
    char path[64];
    struct store *store;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    snprintf(f->path, sizeof(f->path), "/tmp/npq-time-rules-test-%d.db", (int)getpid());
    unlink(f->path);
    char err[256];
    f->store = store_open(f->path, err, sizeof(err));
    assert_non_null(f->store);
    int version = 0;
    assert_int_equal(store_migrate(f->store, &version), STORE_OK);
    clock_set(T0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->store);
    char other[80];
    unlink(f->path);
    snprintf(other, sizeof(other), "%s-wal", f->path);
    unlink(other);
    snprintf(other, sizeof(other), "%s-shm", f->path);
    unlink(other);
    free(f);
    clock_use_system();
    return 0;
}

/* The surroundings of a use case at the clock's now, as a request or a command builds them. */
static struct accounts_env env_now(struct fixture *f)
{
    return (struct accounts_env){f->store, &tester, "https://npq.example.org", clock_now()};
}

static int64_t person(struct fixture *f, const char *email, enum role role, bool with_password)
{
    struct accounts_env env = env_now(f);
    struct errors errors = ERRORS_INIT;
    int64_t id = 0;
    assert_int_equal(accounts_create_person(&env, email, "Pat Participant", 0, role, 0, &id, &errors), APP_OK);
    if (with_password)
        assert_int_equal(accounts_set_password(&env, id, password, &errors), APP_OK);
    assert_int_equal(errors.count, 0);
    return id;
}

/* The token in the last link of the newest email in the outbox: ".../invitation/TOKEN". */
static const char *link_token(struct fixture *f, struct arena *arena, const char *path)
{
    struct mail_message m, newest = {0};
    /* Claiming leases each message; all are read, the newest kept. */
    while (store_mail_claim(f->store, "time rules test", clock_now(), 3600, arena, &m) == STORE_OK)
        newest = m;
    assert_non_null(newest.body);
    const char *at = strstr(newest.body, path);
    assert_non_null(at);
    at += strlen(path);
    size_t len = strcspn(at, " \n");
    char *token = arena_alloc(arena, len + 1);
    memcpy(token, at, len);
    token[len] = '\0';
    return token;
}

/* Sessions */

/* Whether the session is live now; a use of a live one is noted, as the server notes it. */
static bool session_live(struct fixture *f, const unsigned char hash[SECRET_HASH_BYTES], int64_t idle)
{
    struct arena arena = ARENA_INIT;
    struct caller caller;
    struct credential session;
    enum store_status s = store_session_authenticate(f->store, hash, clock_now(), idle, &arena, &caller, &session);
    arena_release(&arena);
    assert_true(s == STORE_OK || s == STORE_NOT_FOUND);
    if (s == STORE_OK) {
        struct credential_use use = {.session = true, .id = session.id, .at = clock_now()};
        assert_int_equal(store_credential_uses_record(f->store, &use, 1), STORE_OK);
    }
    return s == STORE_OK;
}

static void a_session_ends_when_left_idle(void **state)
{
    struct fixture *f = *state;
    int64_t user = person(f, "idle@example.org", ROLE_PARTICIPANT, true);
    char token[SECRET_TOKEN_TEXT];
    unsigned char hash[SECRET_HASH_BYTES];
    secret_token_new(token);
    secret_token_hash(token, hash);
    int64_t id;
    const int64_t idle = 1800, max = 43200; /* the server's defaults */
    assert_int_equal(store_session_create(f->store, user, hash, clock_now(), clock_now() + max, "127.0.0.1", &id),
                     STORE_OK);
    clock_advance(idle - 1);
    assert_true(session_live(f, hash, idle)); /* used just in time: the idle limit starts again */
    clock_advance(idle - 1);
    assert_true(session_live(f, hash, idle));
    clock_advance(idle + 1);
    assert_false(session_live(f, hash, idle));
}

static void a_session_in_use_still_ends_at_its_absolute_limit(void **state)
{
    struct fixture *f = *state;
    int64_t user = person(f, "busy@example.org", ROLE_PARTICIPANT, true);
    char token[SECRET_TOKEN_TEXT];
    unsigned char hash[SECRET_HASH_BYTES];
    secret_token_new(token);
    secret_token_hash(token, hash);
    int64_t id;
    const int64_t idle = 1800, max = 43200;
    assert_int_equal(store_session_create(f->store, user, hash, clock_now(), clock_now() + max, "127.0.0.1", &id),
                     STORE_OK);
    for (int64_t used = 0; used + 600 < max; used += 600) {
        clock_advance(600); /* every ten minutes, all day */
        assert_true(session_live(f, hash, idle));
    }
    clock_set(T0 + max + 1);
    assert_false(session_live(f, hash, idle));
}

/* Password-reset and invitation links */

static void a_reset_link_lasts_an_hour(void **state)
{
    struct fixture *f = *state;
    person(f, "reset@example.org", ROLE_PARTICIPANT, true);
    struct accounts_env env = env_now(f);
    struct errors none = ERRORS_INIT;
    assert_int_equal(accounts_request_reset(&env, "reset@example.org", &none), APP_OK);
    assert_int_equal(none.count, 0);
    struct arena arena = ARENA_INIT;
    const char *token = link_token(f, &arena, "/password-reset/");
    struct user user;

    clock_advance(ACCOUNTS_RESET_LIFETIME - 1);
    env = env_now(f);
    assert_int_equal(accounts_link_user(&env, ONE_TIME_RESET, token, &arena, &user), APP_OK);
    assert_string_equal(user.email, "reset@example.org");

    clock_advance(2);
    env = env_now(f);
    assert_int_equal(accounts_link_user(&env, ONE_TIME_RESET, token, &arena, &user), APP_NOT_FOUND);
    struct errors errors = ERRORS_INIT;
    int64_t id = 0;
    assert_int_equal(accounts_set_password_from_link(&env, ONE_TIME_RESET, token, "another good long passphrase",
                                                     "another good long passphrase", &id, &errors),
                     APP_NOT_FOUND);
    /* The old password still works: nothing was changed by the late attempt. */
    assert_int_equal(accounts_sign_in(&env, "reset@example.org", password, "127.0.0.1", &id, &errors), APP_OK);
    errors_free(&errors);
    arena_release(&arena);
}

static void an_invitation_lasts_a_week_and_works_once(void **state)
{
    struct fixture *f = *state;
    struct accounts_env env = env_now(f);
    struct errors errors = ERRORS_INIT;
    int64_t id = 0, signed_in = 0;
    assert_int_equal(accounts_invite(&env, "new@example.org", "Nia New", 0, ROLE_PARTICIPANT, 0, &id, &errors), APP_OK);
    struct arena arena = ARENA_INIT;
    const char *token = link_token(f, &arena, "/invitation/");
    struct user user;

    clock_advance(ACCOUNTS_INVITE_LIFETIME - 60);
    env = env_now(f);
    assert_int_equal(accounts_link_user(&env, ONE_TIME_INVITE, token, &arena, &user), APP_OK);
    assert_int_equal(
        accounts_set_password_from_link(&env, ONE_TIME_INVITE, token, password, password, &signed_in, &errors), APP_OK);
    assert_int_equal(signed_in, id);
    assert_int_equal(
        accounts_set_password_from_link(&env, ONE_TIME_INVITE, token, password, password, &signed_in, &errors),
        APP_NOT_FOUND); /* once */

    /* A second invitation, left unused for a week and a second. */
    assert_int_equal(accounts_send_invitation(&env, id), APP_OK);
    token = link_token(f, &arena, "/invitation/");
    clock_advance(ACCOUNTS_INVITE_LIFETIME + 1);
    env = env_now(f);
    assert_int_equal(accounts_link_user(&env, ONE_TIME_INVITE, token, &arena, &user), APP_NOT_FOUND);
    assert_int_equal(errors.count, 0);
    errors_free(&errors);
    arena_release(&arena);
}

/* Signing in */

static enum app_result sign_in(struct fixture *f, const char *email, const char *with, const char *client)
{
    struct accounts_env env = env_now(f);
    struct errors errors = ERRORS_INIT;
    int64_t id = 0;
    enum app_result r = accounts_sign_in(&env, email, with, client, &id, &errors);
    if (r != APP_OK) {
        assert_int_equal(errors.count, 1);
        assert_string_equal(errors.items[0].where, "email");
    }
    errors_free(&errors);
    return r;
}

static void failed_sign_ins_are_counted_over_fifteen_minutes(void **state)
{
    struct fixture *f = *state;
    person(f, "guess@example.org", ROLE_PARTICIPANT, true);
    for (int i = 0; i < ACCOUNTS_MAX_FAILURES_PER_EMAIL; i++) {
        assert_int_equal(sign_in(f, "guess@example.org", "wrong password, try again", "10.0.0.1"), APP_UNAUTHENTICATED);
        clock_advance(60);
    }
    /* Five failures in the last five minutes: even the right password waits. */
    assert_int_equal(sign_in(f, "guess@example.org", password, "10.0.0.2"), APP_TOO_MANY);
    /* Fifteen minutes after the first failure it drops out of the window, and one try is allowed. */
    clock_set(T0 + ACCOUNTS_THROTTLE_WINDOW + 1);
    assert_int_equal(sign_in(f, "guess@example.org", password, "10.0.0.2"), APP_OK);
}

static void an_address_trying_many_accounts_waits_too(void **state)
{
    struct fixture *f = *state;
    for (int i = 0; i < ACCOUNTS_MAX_FAILURES_PER_CLIENT; i++) {
        char email[64];
        snprintf(email, sizeof(email), "nobody%d@example.org", i);
        assert_int_equal(sign_in(f, email, "not a password of theirs", "10.9.9.9"), APP_UNAUTHENTICATED);
    }
    person(f, "real@example.org", ROLE_PARTICIPANT, true);
    assert_int_equal(sign_in(f, "real@example.org", password, "10.9.9.9"), APP_TOO_MANY);
    assert_int_equal(sign_in(f, "real@example.org", password, "10.1.1.1"), APP_OK); /* another address is not held */
    clock_advance(ACCOUNTS_THROTTLE_WINDOW + 1);
    assert_int_equal(sign_in(f, "real@example.org", password, "10.9.9.9"), APP_OK);
}

/* Password resets: how many may be asked for */

static enum app_result request_reset(struct fixture *f, const char *email, const char *client)
{
    struct actor from = {0, "anonymous", client};
    struct accounts_env env = {f->store, &from, "https://npq.example.org", clock_now()};
    struct errors errors = ERRORS_INIT;
    enum app_result r = accounts_request_reset(&env, email, &errors);
    if (r == APP_TOO_MANY) {
        assert_int_equal(errors.count, 1);
        assert_string_equal(errors.items[0].where, "email");
    }
    errors_free(&errors);
    return r;
}

static size_t emails_queued(struct fixture *f)
{
    struct arena arena = ARENA_INIT;
    struct mail_message m;
    size_t n = 0;
    while (store_mail_claim(f->store, "time rules test", clock_now(), 3600, &arena, &m) == STORE_OK)
        n++;
    arena_release(&arena);
    return n;
}

static void reset_emails_to_one_address_are_limited_for_fifteen_minutes(void **state)
{
    struct fixture *f = *state;
    person(f, "forgot@example.org", ROLE_PARTICIPANT, true);
    for (int i = 0; i < ACCOUNTS_MAX_RESETS_PER_EMAIL; i++)
        assert_int_equal(request_reset(f, "forgot@example.org", "10.0.0.1"), APP_OK);
    assert_int_equal(emails_queued(f), ACCOUNTS_MAX_RESETS_PER_EMAIL);
    /* From anywhere, and for an address with no account alike, so the limit tells nothing. */
    assert_int_equal(request_reset(f, "FORGOT@example.org", "10.0.0.2"), APP_TOO_MANY);
    for (int i = 0; i < ACCOUNTS_MAX_RESETS_PER_EMAIL; i++)
        assert_int_equal(request_reset(f, "nobody@example.org", "10.0.0.3"), APP_OK);
    assert_int_equal(request_reset(f, "nobody@example.org", "10.0.0.3"), APP_TOO_MANY);
    assert_int_equal(emails_queued(f), 0);
    clock_advance(ACCOUNTS_THROTTLE_WINDOW + 1);
    assert_int_equal(request_reset(f, "forgot@example.org", "10.0.0.1"), APP_OK);
    assert_int_equal(emails_queued(f), 1);
}

static void one_client_asking_for_many_resets_waits(void **state)
{
    struct fixture *f = *state;
    for (int i = 0; i < ACCOUNTS_MAX_RESETS_PER_CLIENT; i++) {
        char email[64];
        snprintf(email, sizeof(email), "someone%d@example.org", i);
        assert_int_equal(request_reset(f, email, "10.7.7.7"), APP_OK);
    }
    person(f, "real@example.org", ROLE_PARTICIPANT, true);
    assert_int_equal(request_reset(f, "real@example.org", "10.7.7.7"), APP_TOO_MANY);
    assert_int_equal(request_reset(f, "real@example.org", "10.1.1.1"), APP_OK); /* another client is not held */
}

static void a_password_reset_ends_a_sign_in_lock_out(void **state)
{
    struct fixture *f = *state;
    person(f, "locked@example.org", ROLE_PARTICIPANT, true);
    for (int i = 0; i < ACCOUNTS_MAX_FAILURES_PER_EMAIL; i++)
        assert_int_equal(sign_in(f, "locked@example.org", "wrong password, try again", "10.0.0.1"),
                         APP_UNAUTHENTICATED);
    assert_int_equal(sign_in(f, "locked@example.org", password, "10.0.0.1"), APP_TOO_MANY);

    assert_int_equal(request_reset(f, "locked@example.org", "10.0.0.1"), APP_OK);
    struct arena arena = ARENA_INIT;
    const char *token = link_token(f, &arena, "/password-reset/");
    struct accounts_env env = env_now(f);
    struct errors errors = ERRORS_INIT;
    int64_t id = 0;
    static const char fresh[] = "a fresh and rather long passphrase";
    assert_int_equal(accounts_set_password_from_link(&env, ONE_TIME_RESET, token, fresh, fresh, &id, &errors), APP_OK);
    assert_int_equal(sign_in(f, "locked@example.org", fresh, "10.0.0.1"), APP_OK);
    errors_free(&errors);
    arena_release(&arena);
}

/* Event reminders */

/* Subjects of the emails queued since the last call, joined by "|". */
static const char *queued(struct fixture *f, struct arena *arena)
{
    struct mail_message m;
    size_t len = 0;
    char *out = arena_alloc(arena, 4096);
    out[0] = '\0';
    while (store_mail_claim(f->store, "time rules test", clock_now(), 365 * 86400, arena, &m) == STORE_OK)
        len += (size_t)snprintf(out + len, 4096 - len, "%s%s", len ? "|" : "", m.subject);
    return out;
}

static size_t notify(struct fixture *f, int64_t lead)
{
    struct notify_env env = {f->store, "https://npq.example.org", clock_now(), lead};
    size_t sent = 0;
    assert_int_equal(notify_run(&env, &sent), APP_OK);
    return sent;
}

static void a_reminder_is_sent_once_within_the_lead_and_never_after_the_start(void **state)
{
    struct fixture *f = *state;
    const struct embedded_file *file = test_default_catalogue();
    struct errors errors = ERRORS_INIT;
    struct catalogue *c = catalogue_json_parse((const char *)file->data, file->size, &errors);
    assert_non_null(c);
    assert_int_equal(store_catalogue_replace(f->store, c, &errors), STORE_OK);
    catalogue_free(c);

    struct organisation partner = {.kind = ORG_DELIVERY_PARTNER, .name = "North West Hub", .regions_served = ""};
    assert_int_equal(store_organisation_create(f->store, &tester, &partner, clock_now()), STORE_OK);
    struct cohort cohort = {.code = "NPQSL-2027-NW-9",
                            .kind = STUDY_QUALIFICATION,
                            .target = "NPQSL",
                            .delivery_partner_id = partner.id,
                            .delivery_model = DELIVERY_ONLINE,
                            .starts_on = "2027-01-11",
                            .ends_on = "2028-07-31"};
    assert_int_equal(store_cohort_create(f->store, &tester, &cohort, clock_now()), STORE_OK);
    int64_t who = person(f, "booked@example.org", ROLE_PARTICIPANT, false);
    struct enrolment e = {.participant_id = who,
                          .kind = STUDY_QUALIFICATION,
                          .target = "NPQSL",
                          .cohort_id = cohort.id,
                          .delivery_model = DELIVERY_ONLINE,
                          .scholarship_eligibility = ""};
    assert_int_equal(store_enrolment_create(f->store, &tester, &e, clock_now()), STORE_OK);
    const int64_t lead = 86400, starts = T0 + 3 * 86400;
    struct event ev = {.cohort_id = cohort.id,
                       .kind = DELIVERY_EVENT_WEBINAR,
                       .title = "Webinar: evidence",
                       .joining_url = "https://meet.example.org/npq/1",
                       .starts_at = starts,
                       .ends_at = starts + 3600,
                       .capacity = 100};
    assert_int_equal(store_event_create(f->store, &tester, &ev, clock_now()), STORE_OK);
    int64_t booking;
    assert_int_equal(store_booking_create(f->store, &tester, ev.id, who, clock_now(), &booking), STORE_OK);

    struct arena arena = ARENA_INIT;
    queued(f, &arena); /* the invitation to set a password, if any */
    assert_int_equal(notify(f, lead), 1);
    assert_string_equal(queued(f, &arena), "Booked: Webinar: evidence, Monday 18 January 2027");

    clock_set(starts - lead - 1); /* a second before the lead: not yet */
    assert_int_equal(notify(f, lead), 0);
    clock_set(starts - lead);
    assert_int_equal(notify(f, lead), 1);
    assert_string_equal(queued(f, &arena), "Reminder: Webinar: evidence, Monday 18 January 2027");
    clock_advance(3600);
    assert_int_equal(notify(f, lead), 0); /* once */
    clock_set(starts + 60);
    assert_int_equal(notify(f, lead), 0); /* and nothing once it has started */
    assert_string_equal(queued(f, &arena), "");
    errors_free(&errors);
    arena_release(&arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_session_ends_when_left_idle, setup, teardown),
        cmocka_unit_test_setup_teardown(a_session_in_use_still_ends_at_its_absolute_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(a_reset_link_lasts_an_hour, setup, teardown),
        cmocka_unit_test_setup_teardown(an_invitation_lasts_a_week_and_works_once, setup, teardown),
        cmocka_unit_test_setup_teardown(failed_sign_ins_are_counted_over_fifteen_minutes, setup, teardown),
        cmocka_unit_test_setup_teardown(an_address_trying_many_accounts_waits_too, setup, teardown),
        cmocka_unit_test_setup_teardown(reset_emails_to_one_address_are_limited_for_fifteen_minutes, setup, teardown),
        cmocka_unit_test_setup_teardown(one_client_asking_for_many_resets_waits, setup, teardown),
        cmocka_unit_test_setup_teardown(a_password_reset_ends_a_sign_in_lock_out, setup, teardown),
        cmocka_unit_test_setup_teardown(a_reminder_is_sent_once_within_the_lead_and_never_after_the_start, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
