/*
 * The store's contract for opening and transactions, settings, people, roles, assignments,
 * organisations, sign-in sessions, API tokens, one-time links and sign-in attempts: each
 * operation's success as a user relies on it, and each documented refusal.
 */
#include "fixture.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* ---- Opening, migrating, transactions ---- */

static void a_location_that_cannot_be_opened_says_why(void **state)
{
    (void)state;
    char err[256] = "";
    assert_null(store_open("/nonexistent-directory/npq.db", err, sizeof(err)));
    assert_non_null(strstr(err, "/nonexistent-directory/npq.db"));
    err[0] = '\0';
    assert_null(store_open("postgres://localhost/npq", err, sizeof(err)));
    assert_true(strlen(err) > 0);
}

static void migrating_again_keeps_the_version_and_the_data(void **state)
{
    struct fixture *f = *state;
    int first = 0, again = 0;
    assert_int_equal(store_migrate(f->store, &first), STORE_OK);
    assert_true(first >= 11);
    assert_int_equal(store_migrate(f->store, &again), STORE_OK);
    assert_int_equal(again, first);
    struct user u;
    assert_int_equal(store_user_get(f->store, f->admin_id, &f->arena, &u), STORE_OK);
    assert_string_equal(u.name, "Ada Admin");
}

static void a_transaction_keeps_all_or_nothing(void **state)
{
    struct fixture *f = *state;
    int64_t a = 0, b = 0;
    /* Rolled back: neither person exists, nor their audit events. */
    assert_int_equal(store_begin(f->store), STORE_OK);
    assert_int_equal(store_user_create(f->store, &f->actor, "one@example.org", "One", 0, f->now, &a), STORE_OK);
    assert_int_equal(store_user_create(f->store, &f->actor, "two@example.org", "Two", 0, f->now, &b), STORE_OK);
    store_rollback(f->store);
    struct user u;
    assert_int_equal(store_user_get(f->store, a, &f->arena, &u), STORE_NOT_FOUND);
    assert_int_equal(store_user_find_by_email(f->store, "two@example.org", &f->arena, &u, NULL), STORE_NOT_FOUND);
    assert_int_equal(fx_audited(f, "user.create", "user", a), 0);

    /* Committed: both, seen from another connection too. */
    assert_int_equal(store_begin(f->store), STORE_OK);
    assert_int_equal(store_begin(f->store), STORE_OK); /* nested: joins */
    assert_int_equal(store_user_create(f->store, &f->actor, "one@example.org", "One", 0, f->now, &a), STORE_OK);
    assert_int_equal(store_commit(f->store), STORE_OK); /* inner: nothing is committed yet */
    assert_int_equal(store_user_create(f->store, &f->actor, "two@example.org", "Two", 0, f->now, &b), STORE_OK);
    assert_int_equal(store_commit(f->store), STORE_OK);
    struct store *other = fixture_connect(f);
    assert_int_equal(store_user_get(other, a, &f->arena, &u), STORE_OK);
    assert_int_equal(store_user_get(other, b, &f->arena, &u), STORE_OK);
    store_close(other);
}

static void a_refused_operation_dooms_the_transaction_it_joined(void **state)
{
    struct fixture *f = *state;
    int64_t a = 0, b = 0;
    assert_int_equal(store_begin(f->store), STORE_OK);
    assert_int_equal(store_user_create(f->store, &f->actor, "one@example.org", "One", 0, f->now, &a), STORE_OK);
    assert_int_equal(store_user_create(f->store, &f->actor, "ONE@example.org", "Again", 0, f->now, &b), STORE_CONFLICT);
    /* Nothing is left to commit: the caller learns it, and the first person is not kept. */
    assert_int_equal(store_commit(f->store), STORE_ERROR);
    store_rollback(f->store);
    struct user u;
    assert_int_equal(store_user_get(f->store, a, &f->arena, &u), STORE_NOT_FOUND);
    assert_string_equal(store_last_error(f->store), store_last_error(f->store)); /* never NULL */
    assert_null(store_unfinished_query(f->store));
}

static int commits_seen;
static struct store_revisions last_seen;

static void count_commit(const struct store_revisions *revisions, void *arg)
{
    (void)arg;
    commits_seen++;
    last_seen = *revisions;
}

static void connections_of_one_engine_share_its_commits_and_revisions(void **state)
{
    struct fixture *f = *state;
    char err[256];
    struct store_engine *engine = store_engine_open(f->location, err, sizeof(err));
    assert_non_null(engine);
    store_engine_watch(engine, count_commit, NULL);
    struct store *a = store_connect(engine, err, sizeof(err)), *b = store_connect(engine, err, sizeof(err));
    assert_non_null(a);
    assert_non_null(b);
    /* A handle that never waits still answers the revisions, current with every commit of its
     * engine; other reads are another handle's (PostgreSQL refuses them), and the access revision
     * for trusting a cached caller is given exactly as it is now, or refused. */
    store_never_wait(b);
    struct store *c = store_connect(engine, err, sizeof(err));
    assert_non_null(c);

    struct store_revisions before, after;
    int64_t access = -1;
    assert_int_equal(store_revisions(b, &before), STORE_OK);
    enum store_status exact = store_access_revision(b, &access);
    assert_true(exact == STORE_OK ? access == before.access : exact == STORE_ERROR);

    /* Who someone is changes: the access revision moves; the catalogue's does not. */
    int64_t id = 0;
    commits_seen = 0;
    assert_int_equal(store_user_create(a, &f->actor, "pat@example.org", "Pat", 0, f->now, &id), STORE_OK);
    assert_true(commits_seen >= 1);
    assert_int_equal(store_user_update(a, &f->actor, id, "Pat Smith", 0, f->now), STORE_OK);
    assert_int_equal(store_revisions(b, &after), STORE_OK);
    assert_true(after.access > before.access);
    assert_int_equal(after.catalogue, before.catalogue);
    assert_int_equal(last_seen.access, after.access); /* told to the watcher by the commit */
    struct user u;
    assert_int_equal(store_user_get(c, id, &f->arena, &u), STORE_OK);
    assert_string_equal(u.name, "Pat Smith");

    /* Noting that a session was used is not a change of access. */
    unsigned char hash[32];
    fx_hash(hash, 1);
    int64_t session = 0;
    assert_int_equal(store_session_create(a, id, hash, f->now, f->now + 3600, "", &session), STORE_OK);
    assert_int_equal(store_revisions(b, &before), STORE_OK);
    struct credential_use use = {.session = true, .id = session, .at = f->now + 60};
    assert_int_equal(store_credential_uses_record(a, &use, 1), STORE_OK);
    assert_int_equal(store_revisions(b, &after), STORE_OK);
    assert_int_equal(after.access, before.access);
    assert_int_equal(store_session_revoke(a, session, f->now + 61), STORE_OK);
    assert_int_equal(store_revisions(b, &before), STORE_OK);
    assert_true(before.access > after.access);
    exact = store_access_revision(b, &access);
    assert_true(exact == STORE_OK ? access == before.access : exact == STORE_ERROR);

    /* And the catalogue's moves with the catalogue. */
    struct catalogue *empty = catalogue_new();
    struct errors errors = ERRORS_INIT;
    assert_int_equal(store_catalogue_replace(a, empty, &errors), STORE_OK);
    assert_int_equal(store_revisions(b, &before), STORE_OK);
    assert_true(before.catalogue > after.catalogue);
    catalogue_free(empty);
    errors_free(&errors);

    store_close(a);
    store_close(b);
    store_close(c);
    store_engine_close(engine);
}

/* Another server is another engine: what it commits reaches a handle of this one that never
 * waits, at once on SQLite and within a notification's round trip on PostgreSQL. */
static void another_engines_commits_reach_a_handle_that_never_waits(void **state)
{
    struct fixture *f = *state;
    char err[256];
    struct store_engine *here = store_engine_open(f->location, err, sizeof(err));
    struct store_engine *there = store_engine_open(f->location, err, sizeof(err));
    assert_non_null(here);
    assert_non_null(there);
    struct store *loop = store_connect(here, err, sizeof(err));
    struct store *writer = store_connect(there, err, sizeof(err));
    assert_non_null(loop);
    assert_non_null(writer);
    store_never_wait(loop);
    struct store_revisions before, now = {-1, -1};
    assert_int_equal(store_revisions(loop, &before), STORE_OK);

    int64_t id = 0;
    assert_int_equal(store_user_create(writer, &f->actor, "kim@example.org", "Kim", 0, f->now, &id), STORE_OK);
    assert_int_equal(store_user_set_active(writer, &f->actor, id, false, f->now), STORE_OK);
    struct store_revisions written;
    assert_int_equal(store_revisions(writer, &written), STORE_OK);
    assert_true(written.access > before.access);
    for (int waited_ms = 0; waited_ms < 2000; waited_ms++) {
        assert_int_equal(store_revisions(loop, &now), STORE_OK);
        if (now.access >= written.access)
            break;
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    assert_int_equal(now.access, written.access);

    store_close(loop);
    store_close(writer);
    store_engine_close(here);
    store_engine_close(there);
}

/* ---- Settings and the secret ---- */

static void settings_are_kept_replaced_and_truncated_to_the_buffer(void **state)
{
    struct fixture *f = *state;
    char value[64];
    assert_int_equal(store_setting_get(f->store, "base_url", value, sizeof(value)), STORE_NOT_FOUND);
    assert_int_equal(store_setting_set(f->store, "base_url", "https://npq.example.org"), STORE_OK);
    assert_int_equal(store_setting_get(f->store, "base_url", value, sizeof(value)), STORE_OK);
    assert_string_equal(value, "https://npq.example.org");
    assert_int_equal(store_setting_set(f->store, "base_url", "https://other.example.org"), STORE_OK);
    assert_int_equal(store_setting_get(f->store, "base_url", value, sizeof(value)), STORE_OK);
    assert_string_equal(value, "https://other.example.org");
    char small[6];
    assert_int_equal(store_setting_get(f->store, "base_url", small, sizeof(small)), STORE_OK);
    assert_string_equal(small, "https");
}

static void the_secret_is_made_once_and_shared(void **state)
{
    struct fixture *f = *state;
    unsigned char a[32], b[32], zero[32] = {0};
    assert_int_equal(store_secret(f->store, a), STORE_OK);
    struct store *other = fixture_connect(f);
    assert_int_equal(store_secret(other, b), STORE_OK);
    store_close(other);
    assert_memory_equal(a, b, 32);
    assert_memory_not_equal(a, zero, 32);
}

/* ---- People ---- */

static void a_person_is_created_and_found_by_id_and_any_case_of_email(void **state)
{
    struct fixture *f = *state;
    int64_t school = fx_school(f, "Hill Primary");
    int64_t id = 0;
    assert_int_equal(store_user_create(f->store, &f->admin, "Pat.Smith@Example.org", "Pat Smith", school, f->now, &id),
                     STORE_OK);
    struct user u;
    assert_int_equal(store_user_get(f->store, id, &f->arena, &u), STORE_OK);
    assert_int_equal(u.id, id);
    assert_string_equal(u.email, "Pat.Smith@Example.org");
    assert_string_equal(u.name, "Pat Smith");
    assert_true(u.active);
    assert_false(u.has_password);
    assert_int_equal(u.organisation_id, school);
    assert_string_equal(u.organisation_name, "Hill Primary");
    assert_int_equal(u.created_at, f->now);
    assert_int_equal(u.role_count, 0);

    const char *hash = "unset";
    assert_int_equal(store_user_find_by_email(f->store, "pat.smith@example.ORG", &f->arena, &u, &hash), STORE_OK);
    assert_int_equal(u.id, id);
    assert_null(hash);
    assert_int_equal(fx_audited(f, "user.create", "user", id), 1);
}

static void a_person_is_refused_for_a_taken_email_or_an_unknown_organisation(void **state)
{
    struct fixture *f = *state;
    int64_t id = 0, other = 0;
    assert_int_equal(store_user_create(f->store, &f->actor, "pat@example.org", "Pat", 0, f->now, &id), STORE_OK);
    assert_int_equal(store_user_create(f->store, &f->actor, "PAT@EXAMPLE.ORG", "Another Pat", 0, f->now, &other),
                     STORE_CONFLICT);
    assert_int_equal(store_user_create(f->store, &f->actor, "sam@example.org", "Sam", 999999, f->now, &other),
                     STORE_NOT_FOUND);
    struct user u;
    assert_int_equal(store_user_find_by_email(f->store, "sam@example.org", &f->arena, &u, NULL), STORE_NOT_FOUND);
    assert_int_equal(store_user_get(f->store, 999999, &f->arena, &u), STORE_NOT_FOUND);
}

static void a_person_is_updated_and_the_change_audited(void **state)
{
    struct fixture *f = *state;
    int64_t school = fx_school(f, "Hill Primary");
    int64_t id = fx_person(f, "Pat Smith", ROLE_PARTICIPANT, 0, 0);
    assert_int_equal(store_user_update(f->store, &f->admin, id, "Pat Jones", school, f->now + 60), STORE_OK);
    struct user u;
    assert_int_equal(store_user_get(f->store, id, &f->arena, &u), STORE_OK);
    assert_string_equal(u.name, "Pat Jones");
    assert_int_equal(u.organisation_id, school);
    assert_int_equal(u.updated_at, f->now + 60);
    assert_int_equal(fx_audited(f, "user.update", "user", id), 1);

    assert_int_equal(store_user_update(f->store, &f->admin, 999999, "Nobody", 0, f->now), STORE_NOT_FOUND);
    assert_int_equal(store_user_update(f->store, &f->admin, id, "Pat Jones", 999999, f->now), STORE_NOT_FOUND);
    assert_int_equal(store_user_get(f->store, id, &f->arena, &u), STORE_OK);
    assert_int_equal(u.organisation_id, school); /* the refused change kept nothing */
}

/* Deactivating refuses the person's credentials at once; revoking them (accounts_set_active does
 * both in one transaction) keeps them ended when the account comes back. */
static void deactivating_refuses_credentials_and_revoking_them_ends_them_for_good(void **state)
{
    struct fixture *f = *state;
    int64_t id = fx_person(f, "Pat Smith", ROLE_PARTICIPANT, 0, 0);
    unsigned char session_hash[32], token_hash[32];
    fx_hash(session_hash, 1);
    fx_hash(token_hash, 2);
    int64_t session = 0, token = 0;
    assert_int_equal(store_session_create(f->store, id, session_hash, f->now, f->now + 86400, "192.0.2.7", &session),
                     STORE_OK);
    assert_int_equal(store_token_create(f->store, &f->actor, id, "laptop", token_hash, "npq_ab", 0, f->now, &token),
                     STORE_OK);

    assert_int_equal(store_user_set_active(f->store, &f->admin, id, false, f->now + 10), STORE_OK);
    struct user u;
    assert_int_equal(store_user_get(f->store, id, &f->arena, &u), STORE_OK);
    assert_false(u.active);
    struct caller c;
    struct credential sid;
    assert_int_equal(store_session_authenticate(f->store, session_hash, f->now + 20, 3600, &f->arena, &c, &sid),
                     STORE_NOT_FOUND);
    assert_int_equal(store_token_authenticate(f->store, token_hash, f->now, &f->arena, &c, &sid), STORE_NOT_FOUND);
    assert_int_equal(fx_audited(f, "user.deactivate", "user", id), 1);
    assert_int_equal(store_session_revoke_all(f->store, &f->admin, id, f->now + 11), STORE_OK);
    assert_int_equal(store_token_revoke_all(f->store, &f->admin, id, f->now + 11), STORE_OK);
    assert_int_equal(fx_audited(f, "token.revoke_all", "user", id), 1);

    /* Back again, the old session and token stay ended. */
    assert_int_equal(store_user_set_active(f->store, &f->admin, id, true, f->now + 30), STORE_OK);
    assert_int_equal(store_session_authenticate(f->store, session_hash, f->now + 40, 3600, &f->arena, &c, &sid),
                     STORE_NOT_FOUND);
    assert_int_equal(store_token_authenticate(f->store, token_hash, f->now, &f->arena, &c, &sid), STORE_NOT_FOUND);
    assert_int_equal(fx_audited(f, "user.reactivate", "user", id), 1);
    assert_int_equal(store_user_set_active(f->store, &f->admin, 999999, false, f->now), STORE_NOT_FOUND);
}

static void a_new_password_signs_out_everywhere_and_retires_links(void **state)
{
    struct fixture *f = *state;
    int64_t id = fx_person(f, "Pat Smith", ROLE_PARTICIPANT, 0, 0);
    unsigned char session_hash[32], link_hash[32];
    fx_hash(session_hash, 1);
    fx_hash(link_hash, 2);
    int64_t session = 0;
    assert_int_equal(store_session_create(f->store, id, session_hash, f->now, f->now + 86400, "", &session), STORE_OK);
    assert_int_equal(store_one_time_create(f->store, id, ONE_TIME_RESET, link_hash, f->now, f->now + 3600), STORE_OK);

    assert_int_equal(store_user_set_password(f->store, &f->actor, id, "$argon2id$v=19$example", f->now + 5), STORE_OK);
    struct user u;
    assert_int_equal(store_user_get(f->store, id, &f->arena, &u), STORE_OK);
    const char *hash = NULL;
    assert_int_equal(store_user_find_by_email(f->store, u.email, &f->arena, &u, &hash), STORE_OK);
    assert_int_equal(u.id, id);
    assert_true(u.has_password);
    assert_string_equal(hash, "$argon2id$v=19$example");
    struct caller c;
    struct credential sid;
    assert_int_equal(store_session_authenticate(f->store, session_hash, f->now + 6, 3600, &f->arena, &c, &sid),
                     STORE_NOT_FOUND);
    int64_t owner;
    assert_int_equal(store_one_time_peek(f->store, link_hash, ONE_TIME_RESET, f->now + 6, &owner), STORE_NOT_FOUND);
    assert_int_equal(fx_audited(f, "user.set_password", "user", id), 1);
    assert_int_equal(store_user_set_password(f->store, &f->actor, 999999, "x", f->now), STORE_NOT_FOUND);
}

static void lists_of_people_keep_to_the_callers_scope(void **state)
{
    struct fixture *f = *state;
    int64_t school = fx_school(f, "Hill Primary"), other_school = fx_school(f, "Dale Academy");
    int64_t partner = fx_organisation(f, ORG_DELIVERY_PARTNER, "North Partner");
    int64_t head = fx_person(f, "Hana Head", ROLE_HEADTEACHER, school, school);
    int64_t coach = fx_person(f, "Cody Coach", ROLE_COACH, 0, 0);
    int64_t lead = fx_person(f, "Lee Lead", ROLE_PARTNER_LEAD, partner, partner);
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, school);
    int64_t sam = fx_person(f, "Sam Participant", ROLE_PARTICIPANT, 0, other_school);
    int64_t fran = fx_person(f, "Fran Facilitator", ROLE_FACILITATOR, partner, partner);
    int64_t assignment = 0;
    assert_int_equal(store_assignment_create(f->store, &f->actor, ROLE_COACH, coach, sam, f->now, &assignment),
                     STORE_OK);
    assert_int_equal(store_user_set_active(f->store, &f->actor, fran, false, f->now), STORE_OK);

    struct user_filter all = {.role = -1};
    struct user *people;
    size_t count, total;
    struct caller admin = fx_caller(f, f->admin_id);
    assert_int_equal(
        store_user_list(f->store, &admin, &all, &(struct store_page){.limit = 100}, &f->arena, &people, &count, &total),
        STORE_OK);
    assert_int_equal(count, 6); /* not the deactivated facilitator */
    assert_int_equal(total, 6);
    for (size_t i = 1; i < count; i++) /* by name */
        assert_true(strcmp(people[i - 1].name, people[i].name) <= 0);
    all.include_inactive = true;
    assert_int_equal(
        store_user_list(f->store, &admin, &all, &(struct store_page){.limit = 100}, &f->arena, &people, &count, &total),
        STORE_OK);
    assert_int_equal(count, 7);
    all.include_inactive = false;

    struct caller as_head = fx_caller(f, head);
    assert_int_equal(store_user_list(f->store, &as_head, &all, &(struct store_page){.limit = 100}, &f->arena, &people,
                                     &count, &total),
                     STORE_OK);
    assert_int_equal(count, 2); /* herself and Pat at her school */
    for (size_t i = 0; i < count; i++)
        assert_true(people[i].id == head || people[i].id == pat);

    struct caller as_coach = fx_caller(f, coach);
    assert_int_equal(store_user_list(f->store, &as_coach, &all, &(struct store_page){.limit = 100}, &f->arena, &people,
                                     &count, &total),
                     STORE_OK);
    assert_int_equal(count, 2); /* himself and his coachee */
    for (size_t i = 0; i < count; i++)
        assert_true(people[i].id == coach || people[i].id == sam);

    struct caller as_lead = fx_caller(f, lead);
    assert_int_equal(store_user_list(f->store, &as_lead, &all, &(struct store_page){.limit = 100}, &f->arena, &people,
                                     &count, &total),
                     STORE_OK);
    assert_int_equal(count, 1); /* the facilitator of the partner is inactive */
    assert_int_equal(people[0].id, lead);

    struct caller as_pat = fx_caller(f, pat);
    assert_int_equal(store_user_list(f->store, &as_pat, &all, &(struct store_page){.limit = 100}, &f->arena, &people,
                                     &count, &total),
                     STORE_OK);
    assert_int_equal(count, 1);
    assert_int_equal(people[0].id, pat);
    assert_int_equal(people[0].role_count, 1);
    assert_int_equal(people[0].roles[0].role, ROLE_PARTICIPANT);

    /* Filters, and paging with the total. */
    struct user_filter participants = {.role = ROLE_PARTICIPANT};
    struct store_page page = {.limit = 1};
    assert_int_equal(store_user_list(f->store, &admin, &participants, &page, &f->arena, &people, &count, &total),
                     STORE_OK);
    assert_int_equal(count, 1);
    assert_int_equal(total, 2);
    assert_string_equal(people[0].name, "Pat Participant");
    assert_int_equal(people[0].role_count, 1); /* roles come with each page */
    assert_true(cursor_decode(page.next, &f->arena, &page.after));
    assert_int_equal(store_user_list(f->store, &admin, &participants, &page, &f->arena, &people, &count, &total),
                     STORE_OK);
    assert_int_equal(count, 1);
    assert_string_equal(people[0].name, "Sam Participant");
    assert_int_equal(people[0].role_count, 1);
    assert_null(page.next);
    struct user_filter named = {.query = "cody", .role = -1};
    assert_int_equal(store_user_list(f->store, &admin, &named, &(struct store_page){.limit = 100}, &f->arena, &people,
                                     &count, &total),
                     STORE_OK);
    assert_int_equal(count, 1);
    assert_int_equal(people[0].id, coach);
}

/* ---- Roles and assignments ---- */

static void roles_are_granted_once_per_scope_and_revoked_by_their_owner(void **state)
{
    struct fixture *f = *state;
    int64_t school = fx_school(f, "Hill Primary"), other = fx_school(f, "Dale Academy");
    int64_t id = fx_person(f, "Hana Head", -1, 0, 0);
    int64_t grant = 0, second = 0, again = 0;
    assert_int_equal(store_role_grant(f->store, &f->admin, id, ROLE_HEADTEACHER, school, f->now, &grant), STORE_OK);
    assert_int_equal(store_role_grant(f->store, &f->admin, id, ROLE_HEADTEACHER, other, f->now, &second), STORE_OK);
    assert_int_equal(store_role_grant(f->store, &f->admin, id, ROLE_HEADTEACHER, school, f->now, &again),
                     STORE_CONFLICT);
    assert_int_equal(store_role_grant(f->store, &f->admin, 999999, ROLE_COACH, 0, f->now, &again), STORE_NOT_FOUND);
    assert_int_equal(store_role_grant(f->store, &f->admin, id, ROLE_HEADTEACHER, 999999, f->now, &again),
                     STORE_NOT_FOUND);

    struct user u;
    assert_int_equal(store_user_get(f->store, id, &f->arena, &u), STORE_OK);
    assert_int_equal(u.role_count, 2);
    assert_int_equal(u.roles[0].id, grant);
    assert_int_equal(u.roles[0].role, ROLE_HEADTEACHER);
    assert_int_equal(u.roles[0].organisation_id, school);
    assert_string_equal(u.roles[0].organisation_name, "Hill Primary");
    assert_int_equal(fx_audited(f, "role.grant", "user", id), 2);

    /* A grant id is revoked only through the person who holds it. */
    assert_int_equal(store_role_revoke(f->store, &f->admin, f->admin_id, grant, f->now), STORE_NOT_FOUND);
    assert_int_equal(store_role_revoke(f->store, &f->admin, id, grant, f->now), STORE_OK);
    assert_int_equal(store_role_revoke(f->store, &f->admin, id, grant, f->now), STORE_NOT_FOUND);
    assert_int_equal(store_user_get(f->store, id, &f->arena, &u), STORE_OK);
    assert_int_equal(u.role_count, 1);
    assert_int_equal(u.roles[0].organisation_id, other);
    assert_int_equal(fx_audited(f, "role.revoke", "user", id), 1);
}

static void assignments_name_a_coach_or_mentor_once(void **state)
{
    struct fixture *f = *state;
    int64_t coach = fx_person(f, "Cody Coach", ROLE_COACH, 0, 0);
    int64_t mentor = fx_person(f, "Mo Mentor", ROLE_MENTOR, 0, 0);
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t a = 0, b = 0, again = 0;
    assert_int_equal(store_assignment_create(f->store, &f->admin, ROLE_COACH, coach, pat, f->now, &a), STORE_OK);
    assert_int_equal(store_assignment_create(f->store, &f->admin, ROLE_MENTOR, mentor, pat, f->now, &b), STORE_OK);
    assert_int_equal(store_assignment_create(f->store, &f->admin, ROLE_COACH, coach, pat, f->now, &again),
                     STORE_CONFLICT);
    assert_int_equal(store_assignment_create(f->store, &f->admin, ROLE_COACH, 999999, pat, f->now, &again),
                     STORE_NOT_FOUND);
    assert_int_equal(store_assignment_create(f->store, &f->admin, ROLE_COACH, coach, 999999, f->now, &again),
                     STORE_NOT_FOUND);

    struct assignment *list;
    size_t count;
    assert_int_equal(store_assignment_list(f->store, pat, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 2);
    assert_int_equal(list[0].id, a);
    assert_int_equal(list[0].kind, ROLE_COACH);
    assert_int_equal(list[0].staff_id, coach);
    assert_string_equal(list[0].staff_name, "Cody Coach");
    assert_int_equal(list[0].participant_id, pat);
    assert_string_equal(list[0].participant_name, "Pat Participant");
    assert_int_equal(list[1].kind, ROLE_MENTOR);
    assert_int_equal(store_assignment_list(f->store, coach, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 1);

    assert_int_equal(store_assignment_delete(f->store, &f->admin, a, f->now), STORE_OK);
    assert_int_equal(store_assignment_delete(f->store, &f->admin, a, f->now), STORE_NOT_FOUND);
    assert_int_equal(store_assignment_list(f->store, coach, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 0);
    assert_int_equal(fx_audited(f, "assignment.create", "user", pat), 2);
    assert_int_equal(fx_audited(f, "assignment.delete", "user", pat), 1);
}

static void relations_tell_the_policy_how_a_record_stands_to_the_caller(void **state)
{
    struct fixture *f = *state;
    int64_t school = fx_school(f, "Hill Primary");
    int64_t partner = fx_organisation(f, ORG_DELIVERY_PARTNER, "North Partner");
    int64_t head = fx_person(f, "Hana Head", ROLE_HEADTEACHER, school, school);
    int64_t coach = fx_person(f, "Cody Coach", ROLE_COACH, 0, 0);
    int64_t lead = fx_person(f, "Lee Lead", ROLE_PARTNER_LEAD, partner, 0);
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, school);
    int64_t fran = fx_person(f, "Fran Facilitator", ROLE_FACILITATOR, partner, 0);
    int64_t a = 0;
    assert_int_equal(store_assignment_create(f->store, &f->actor, ROLE_COACH, coach, pat, f->now, &a), STORE_OK);

    struct relation r;
    struct caller as_pat = fx_caller(f, pat), as_head = fx_caller(f, head), as_coach = fx_caller(f, coach),
                  as_lead = fx_caller(f, lead);
    assert_int_equal(store_relation(f->store, &as_pat, RESOURCE_USER, pat, &r), STORE_OK);
    assert_true(r.exists && r.is_self && !r.coached);
    assert_int_equal(store_relation(f->store, &as_coach, RESOURCE_USER, pat, &r), STORE_OK);
    assert_true(r.exists && !r.is_self && r.coached && !r.mentored);
    assert_int_equal(store_relation(f->store, &as_head, RESOURCE_USER, pat, &r), STORE_OK);
    assert_true(r.at_own_school && !r.coached);
    assert_int_equal(store_relation(f->store, &as_lead, RESOURCE_USER, fran, &r), STORE_OK);
    assert_true(r.in_own_partner);
    assert_int_equal(store_relation(f->store, &as_lead, RESOURCE_USER, pat, &r), STORE_OK);
    assert_false(r.in_own_partner);
    assert_int_equal(store_relation(f->store, &as_pat, RESOURCE_USER, 999999, &r), STORE_OK);
    assert_false(r.exists);

    unsigned char hash[32];
    fx_hash(hash, 3);
    int64_t token = 0;
    assert_int_equal(store_token_create(f->store, &f->actor, pat, "laptop", hash, "npq_ab", 0, f->now, &token),
                     STORE_OK);
    assert_int_equal(store_relation(f->store, &as_pat, RESOURCE_TOKEN, token, &r), STORE_OK);
    assert_true(r.exists && r.is_self);
    assert_int_equal(store_relation(f->store, &as_head, RESOURCE_TOKEN, token, &r), STORE_OK);
    assert_true(r.exists && !r.is_self);
    assert_int_equal(store_relation(f->store, &as_head, RESOURCE_ORGANISATION, school, &r), STORE_OK);
    assert_true(r.exists);
    assert_int_equal(store_relation(f->store, &as_head, RESOURCE_ORGANISATION, 999999, &r), STORE_OK);
    assert_false(r.exists);
    assert_int_equal(store_relation(f->store, NULL, RESOURCE_NONE, 0, &r), STORE_OK);
    assert_false(r.exists);
}

/* ---- Organisations ---- */

static void organisations_are_created_updated_and_found(void **state)
{
    struct fixture *f = *state;
    int64_t trust = fx_organisation(f, ORG_TRUST, "River Trust");
    struct organisation school = {.kind = ORG_SCHOOL,
                                  .name = "Hill Primary",
                                  .urn = "123456",
                                  .local_authority = "Manchester",
                                  .region = "North West",
                                  .phase = "Primary",
                                  .trust_id = trust};
    assert_int_equal(store_organisation_create(f->store, &f->admin, &school, f->now), STORE_OK);
    struct organisation o;
    assert_int_equal(store_organisation_get(f->store, school.id, &f->arena, &o), STORE_OK);
    assert_int_equal(o.kind, ORG_SCHOOL);
    assert_string_equal(o.name, "Hill Primary");
    assert_string_equal(o.urn, "123456");
    assert_string_equal(o.local_authority, "Manchester");
    assert_string_equal(o.region, "North West");
    assert_string_equal(o.phase, "Primary");
    assert_int_equal(o.trust_id, trust);
    assert_int_equal(o.created_at, f->now);
    assert_int_equal(fx_audited(f, "organisation.create", "organisation", school.id), 1);

    struct organisation twin = {.kind = ORG_SCHOOL, .name = "Hill Primary Annexe", .urn = "123456"};
    assert_int_equal(store_organisation_create(f->store, &f->admin, &twin, f->now), STORE_CONFLICT);
    struct organisation partner = {
        .kind = ORG_DELIVERY_PARTNER, .name = "North Partner", .regions_served = "North West; Merseyside"};
    assert_int_equal(store_organisation_create(f->store, &f->admin, &partner, f->now), STORE_OK);
    assert_int_equal(store_organisation_get(f->store, partner.id, &f->arena, &o), STORE_OK);
    assert_null(o.urn);
    assert_string_equal(o.regions_served, "North West; Merseyside");

    struct organisation renamed = school;
    renamed.name = "Hill Primary School";
    renamed.urn = "654321";
    assert_int_equal(store_organisation_update(f->store, &f->admin, &renamed, f->now + 1), STORE_OK);
    assert_int_equal(store_organisation_get(f->store, school.id, &f->arena, &o), STORE_OK);
    assert_string_equal(o.name, "Hill Primary School");
    assert_string_equal(o.urn, "654321");
    assert_int_equal(o.updated_at, f->now + 1);
    assert_int_equal(fx_audited(f, "organisation.update", "organisation", school.id), 1);

    struct organisation clash = {.kind = ORG_SCHOOL, .name = "Dale", .urn = "111111"};
    assert_int_equal(store_organisation_create(f->store, &f->admin, &clash, f->now), STORE_OK);
    clash.urn = "654321";
    assert_int_equal(store_organisation_update(f->store, &f->admin, &clash, f->now), STORE_CONFLICT);
    struct organisation missing = {.id = 999999, .kind = ORG_SCHOOL, .name = "Nowhere"};
    assert_int_equal(store_organisation_update(f->store, &f->admin, &missing, f->now), STORE_NOT_FOUND);
    assert_int_equal(store_organisation_get(f->store, 999999, &f->arena, &o), STORE_NOT_FOUND);

    struct organisation *list;
    size_t count;
    assert_int_equal(store_organisation_list(f->store, ORG_SCHOOL, NULL, NULL, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 2);
    assert_string_equal(list[0].name, "Dale"); /* by name */
    assert_int_equal(store_organisation_list(f->store, -1, "hill", NULL, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 1);
    assert_int_equal(list[0].id, school.id);
    assert_int_equal(store_organisation_list(f->store, -1, "111111", NULL, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 1); /* by URN */
    assert_int_equal(store_organisation_list(f->store, -1, NULL, NULL, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 4);
}

/* ---- Sessions ---- */

static void a_session_authenticates_until_revoked_idle_or_past_its_end(void **state)
{
    struct fixture *f = *state;
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    unsigned char hash[32], other[32];
    fx_hash(hash, 1);
    fx_hash(other, 2);
    int64_t id = 0;
    int64_t idle = 1800, end = f->now + 8 * 3600;
    assert_int_equal(store_session_create(f->store, pat, hash, f->now, end, "192.0.2.9", &id), STORE_OK);

    struct caller c;
    struct credential found;
    assert_int_equal(store_session_authenticate(f->store, hash, f->now + 60, idle, &f->arena, &c, &found), STORE_OK);
    assert_int_equal(found.id, id);
    assert_int_equal(found.last_used_at, f->now);
    assert_int_equal(found.expires_at, end);
    assert_int_equal(c.user_id, pat);
    assert_string_equal(c.name, "Pat Participant");
    assert_true(caller_has(&c, ROLE_PARTICIPANT));
    assert_false(caller_has(&c, ROLE_ADMIN));
    assert_int_equal(store_session_authenticate(f->store, other, f->now + 60, idle, &f->arena, &c, &found),
                     STORE_NOT_FOUND);

    /* Uses noted keep it alive past the idle limit from its start; a use is never noted earlier
     * than one already noted. */
    struct credential_use uses[] = {{.session = true, .id = id, .at = f->now + 1700},
                                    {.session = true, .id = id, .at = f->now + 900}};
    assert_int_equal(store_credential_uses_record(f->store, uses, 2), STORE_OK);
    assert_int_equal(store_session_authenticate(f->store, hash, f->now + 3400, idle, &f->arena, &c, &found), STORE_OK);
    assert_int_equal(found.last_used_at, f->now + 1700);
    /* Idle for longer than the limit since the last use noted: over. */
    assert_int_equal(store_session_authenticate(f->store, hash, f->now + 1700 + idle + 1, idle, &f->arena, &c, &found),
                     STORE_NOT_FOUND);

    /* Past its absolute end, however active. */
    unsigned char busy[32];
    fx_hash(busy, 3);
    assert_int_equal(store_session_create(f->store, pat, busy, f->now, f->now + 600, "", &id), STORE_OK);
    assert_int_equal(store_session_authenticate(f->store, busy, f->now + 500, idle, &f->arena, &c, &found), STORE_OK);
    assert_int_equal(store_session_authenticate(f->store, busy, f->now + 600, idle, &f->arena, &c, &found),
                     STORE_NOT_FOUND);

    /* Revoked: this one only, or all of them. */
    unsigned char a[32], b[32];
    fx_hash(a, 4);
    fx_hash(b, 5);
    int64_t sa = 0, sb = 0;
    assert_int_equal(store_session_create(f->store, pat, a, f->now, end, "", &sa), STORE_OK);
    assert_int_equal(store_session_create(f->store, pat, b, f->now, end, "", &sb), STORE_OK);
    assert_int_equal(store_session_revoke(f->store, sa, f->now + 1), STORE_OK);
    assert_int_equal(store_session_authenticate(f->store, a, f->now + 2, idle, &f->arena, &c, &found), STORE_NOT_FOUND);
    assert_int_equal(store_session_authenticate(f->store, b, f->now + 2, idle, &f->arena, &c, &found), STORE_OK);
    assert_int_equal(store_session_revoke_all(f->store, &f->actor, pat, f->now + 3), STORE_OK);
    assert_int_equal(store_session_authenticate(f->store, b, f->now + 4, idle, &f->arena, &c, &found), STORE_NOT_FOUND);
    assert_int_equal(fx_audited(f, "session.revoke_all", "user", pat), 1);
}

/* ---- API tokens ---- */

static void a_token_authenticates_until_revoked_and_notes_its_use(void **state)
{
    struct fixture *f = *state;
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    unsigned char first[32], second[32];
    fx_hash(first, 1);
    fx_hash(second, 2);
    int64_t a = 0, b = 0;
    assert_int_equal(store_token_create(f->store, &f->admin, pat, "laptop", first, "npq_aa", 0, f->now, &a), STORE_OK);
    assert_int_equal(store_token_create(f->store, &f->admin, pat, "phone", second, "npq_bb", 0, f->now + 1, &b),
                     STORE_OK);
    int64_t c = 0;
    unsigned char third[32];
    fx_hash(third, 3);
    assert_int_equal(store_token_create(f->store, &f->admin, 999999, "nobody", third, "npq_cc", 0, f->now, &c),
                     STORE_NOT_FOUND);
    assert_int_equal(fx_audited(f, "token.create", "api_token", a), 1);

    struct caller caller;
    struct credential used;
    assert_int_equal(store_token_authenticate(f->store, first, f->now, &f->arena, &caller, &used), STORE_OK);
    assert_int_equal(caller.user_id, pat);
    assert_int_equal(used.id, a);
    assert_int_equal(used.last_used_at, 0);
    assert_int_equal(used.expires_at, 0);
    assert_true(caller_has(&caller, ROLE_PARTICIPANT));
    assert_int_equal(store_token_authenticate(f->store, third, f->now, &f->arena, &caller, &used), STORE_NOT_FOUND);
    struct credential_use use = {.session = false, .id = a, .at = f->now + 100};
    assert_int_equal(store_credential_uses_record(f->store, &use, 1), STORE_OK);

    struct api_token *tokens;
    size_t count;
    assert_int_equal(store_token_list(f->store, pat, NULL, &f->arena, &tokens, &count), STORE_OK);
    assert_int_equal(count, 2);
    assert_int_equal(tokens[0].id, b); /* newest first */
    assert_string_equal(tokens[0].name, "phone");
    assert_string_equal(tokens[0].prefix, "npq_bb");
    assert_int_equal(tokens[0].last_used_at, 0);
    assert_int_equal(tokens[1].id, a);
    assert_int_equal(tokens[1].last_used_at, f->now + 100);
    assert_int_equal(tokens[1].created_at, f->now);
    struct user u;
    assert_int_equal(store_user_get(f->store, pat, &f->arena, &u), STORE_OK);
    assert_string_equal(tokens[1].user_email, u.email);
    assert_int_equal(store_token_list(f->store, 0, NULL, &f->arena, &tokens, &count), STORE_OK);
    assert_int_equal(count, 2); /* everyone's */

    assert_int_equal(store_token_revoke(f->store, &f->admin, a, f->now + 200), STORE_OK);
    assert_int_equal(store_token_revoke(f->store, &f->admin, a, f->now + 201), STORE_NOT_FOUND);
    assert_int_equal(store_token_revoke(f->store, &f->admin, 999999, f->now), STORE_NOT_FOUND);
    assert_int_equal(store_token_authenticate(f->store, first, f->now, &f->arena, &caller, &used), STORE_NOT_FOUND);
    assert_int_equal(store_token_list(f->store, pat, NULL, &f->arena, &tokens, &count), STORE_OK);
    assert_int_equal(tokens[1].revoked_at, f->now + 200);
    assert_int_equal(fx_audited(f, "token.revoke", "api_token", a), 1);
}

static void a_token_given_an_end_stops_working_then(void **state)
{
    struct fixture *f = *state;
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    unsigned char hash[32];
    fx_hash(hash, 9);
    int64_t id = 0, ends = f->now + 30 * 86400;
    assert_int_equal(store_token_create(f->store, &f->admin, pat, "script", hash, "npq_dd", ends, f->now, &id),
                     STORE_OK);
    struct caller caller;
    struct credential used;
    assert_int_equal(store_token_authenticate(f->store, hash, ends - 1, &f->arena, &caller, &used), STORE_OK);
    assert_int_equal(used.expires_at, ends); /* so a cached copy ends on time too */
    assert_int_equal(store_token_authenticate(f->store, hash, ends, &f->arena, &caller, &used), STORE_NOT_FOUND);
    struct api_token *tokens;
    size_t count;
    assert_int_equal(store_token_list(f->store, pat, NULL, &f->arena, &tokens, &count), STORE_OK);
    assert_int_equal(count, 1);
    assert_int_equal(tokens[0].expires_at, ends);
}

/* ---- One-time links ---- */

static void a_link_is_used_once_for_its_purpose_before_it_expires(void **state)
{
    struct fixture *f = *state;
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    unsigned char reset[32], invite[32], unknown[32];
    fx_hash(reset, 1);
    fx_hash(invite, 2);
    fx_hash(unknown, 3);
    assert_int_equal(store_one_time_create(f->store, pat, ONE_TIME_RESET, reset, f->now, f->now + 3600), STORE_OK);
    assert_int_equal(store_one_time_create(f->store, pat, ONE_TIME_INVITE, invite, f->now, f->now + 3600), STORE_OK);

    int64_t who = 0;
    assert_int_equal(store_one_time_peek(f->store, reset, ONE_TIME_RESET, f->now + 10, &who), STORE_OK);
    assert_int_equal(who, pat);
    assert_int_equal(store_one_time_peek(f->store, reset, ONE_TIME_RESET, f->now + 10, &who), STORE_OK); /* not used */
    assert_int_equal(store_one_time_peek(f->store, reset, ONE_TIME_INVITE, f->now + 10, &who), STORE_NOT_FOUND);
    assert_int_equal(store_one_time_peek(f->store, unknown, ONE_TIME_RESET, f->now + 10, &who), STORE_NOT_FOUND);

    who = 0;
    assert_int_equal(store_one_time_consume(f->store, reset, ONE_TIME_RESET, f->now + 20, &who), STORE_OK);
    assert_int_equal(who, pat);
    assert_int_equal(store_one_time_consume(f->store, reset, ONE_TIME_RESET, f->now + 21, &who), STORE_NOT_FOUND);
    assert_int_equal(store_one_time_peek(f->store, reset, ONE_TIME_RESET, f->now + 21, &who), STORE_NOT_FOUND);

    /* Expired at its end. */
    assert_int_equal(store_one_time_consume(f->store, invite, ONE_TIME_INVITE, f->now + 3600, &who), STORE_NOT_FOUND);
}

/* ---- Sign-in attempts ---- */

static void failed_sign_ins_are_counted_by_email_and_by_client(void **state)
{
    struct fixture *f = *state;
    for (int i = 0; i < 3; i++)
        assert_int_equal(store_sign_in_record(f->store, "pat@example.org", "192.0.2.1", f->now + i, false), STORE_OK);
    assert_int_equal(store_sign_in_record(f->store, "sam@example.org", "192.0.2.1", f->now + 5, false), STORE_OK);
    assert_int_equal(store_sign_in_record(f->store, "PAT@example.org", "198.51.100.2", f->now + 6, false), STORE_OK);
    int64_t by_email = -1, by_client = -1;
    assert_int_equal(store_sign_in_failures(f->store, "pat@example.org", "192.0.2.1", f->now, &by_email, &by_client),
                     STORE_OK);
    assert_int_equal(by_email, 4); /* any case of the address */
    assert_int_equal(by_client, 4);
    assert_int_equal(
        store_sign_in_failures(f->store, "pat@example.org", "192.0.2.1", f->now + 2, &by_email, &by_client), STORE_OK);
    assert_int_equal(by_email, 2);
    assert_int_equal(by_client, 2);

    /* A success clears the count for the address, not for the client. */
    assert_int_equal(store_sign_in_record(f->store, "pat@example.org", "192.0.2.1", f->now + 7, true), STORE_OK);
    assert_int_equal(store_sign_in_failures(f->store, "pat@example.org", "192.0.2.1", f->now, &by_email, &by_client),
                     STORE_OK);
    assert_int_equal(by_email, 0);
    assert_int_equal(by_client, 4);
}

int main(void)
{
#define TEST(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_location_that_cannot_be_opened_says_why),
        TEST(migrating_again_keeps_the_version_and_the_data),
        TEST(a_transaction_keeps_all_or_nothing),
        TEST(a_refused_operation_dooms_the_transaction_it_joined),
        TEST(connections_of_one_engine_share_its_commits_and_revisions),
        TEST(another_engines_commits_reach_a_handle_that_never_waits),
        TEST(settings_are_kept_replaced_and_truncated_to_the_buffer),
        TEST(the_secret_is_made_once_and_shared),
        TEST(a_person_is_created_and_found_by_id_and_any_case_of_email),
        TEST(a_person_is_refused_for_a_taken_email_or_an_unknown_organisation),
        TEST(a_person_is_updated_and_the_change_audited),
        TEST(deactivating_refuses_credentials_and_revoking_them_ends_them_for_good),
        TEST(a_new_password_signs_out_everywhere_and_retires_links),
        TEST(lists_of_people_keep_to_the_callers_scope),
        TEST(roles_are_granted_once_per_scope_and_revoked_by_their_owner),
        TEST(assignments_name_a_coach_or_mentor_once),
        TEST(relations_tell_the_policy_how_a_record_stands_to_the_caller),
        TEST(organisations_are_created_updated_and_found),
        TEST(a_session_authenticates_until_revoked_idle_or_past_its_end),
        TEST(a_token_authenticates_until_revoked_and_notes_its_use),
        TEST(a_token_given_an_end_stops_working_then),
        TEST(a_link_is_used_once_for_its_purpose_before_it_expires),
        TEST(failed_sign_ins_are_counted_by_email_and_by_client),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
