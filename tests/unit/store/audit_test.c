/*
 * The store's contract for the audit log: every write records who, when, what and the record
 * before and after, in the same transaction (so a change rolled back leaves no event), and the
 * log is read newest first through filters.
 */
#include "fixture.h"

#include <stdio.h>
#include <string.h>

static void an_event_is_recorded_with_its_actor_and_summaries(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(store_audit(f->store, &f->admin, "session.sign_in", "user", f->admin_id, NULL,
                                 "{\"method\":\"password\"}", f->now),
                     STORE_OK);
    struct audit_filter filter = {.action = "session."};
    struct audit_event *events;
    size_t count, total;
    assert_int_equal(
        store_audit_list(f->store, &filter, &(struct store_page){.limit = 10}, &f->arena, &events, &count, &total),
        STORE_OK);
    assert_int_equal(count, 1);
    assert_int_equal(total, 1);
    assert_int_equal(events[0].at, f->now);
    assert_int_equal(events[0].actor_id, f->admin_id);
    assert_string_equal(events[0].actor_label, "ada.admin@example.org");
    assert_string_equal(events[0].action, "session.sign_in");
    assert_string_equal(events[0].entity, "user");
    char id[24];
    snprintf(id, sizeof(id), "%lld", (long long)f->admin_id);
    assert_string_equal(events[0].entity_id, id);
    assert_null(events[0].before);
    assert_string_equal(events[0].after, "{\"method\":\"password\"}");
    assert_string_equal(events[0].client, "192.0.2.1");

    /* A write's own event holds the record before and after the change. */
    int64_t pat = fx_person(f, "Pat Smith", ROLE_PARTICIPANT, 0, 0);
    assert_int_equal(store_user_update(f->store, &f->admin, pat, "Pat Jones", 0, f->now + 1), STORE_OK);
    struct audit_filter update = {.action = "user.update"};
    assert_int_equal(
        store_audit_list(f->store, &update, &(struct store_page){.limit = 10}, &f->arena, &events, &count, &total),
        STORE_OK);
    assert_int_equal(count, 1);
    assert_non_null(strstr(events[0].before, "Pat Smith"));
    assert_non_null(strstr(events[0].after, "Pat Jones"));
}

static void a_change_rolled_back_leaves_no_event(void **state)
{
    struct fixture *f = *state;
    struct audit_filter all = {0};
    struct audit_event *events;
    size_t before, after, total;
    assert_int_equal(
        store_audit_list(f->store, &all, &(struct store_page){.limit = 500}, &f->arena, &events, &before, &total),
        STORE_OK);
    assert_int_equal(store_begin(f->store), STORE_OK);
    fx_organisation(f, ORG_TRUST, "River Trust");
    assert_int_equal(store_audit(f->store, &f->actor, "trust.note", "organisation", 1, NULL, NULL, f->now), STORE_OK);
    store_rollback(f->store);
    assert_int_equal(
        store_audit_list(f->store, &all, &(struct store_page){.limit = 500}, &f->arena, &events, &after, &total),
        STORE_OK);
    assert_int_equal(after, before);
}

static void the_log_is_read_newest_first_through_its_filters(void **state)
{
    struct fixture *f = *state;
    struct actor system = {.user_id = 0, .label = NULL, .client = NULL};
    for (int i = 0; i < 5; i++)
        assert_int_equal(store_audit(f->store, i % 2 ? &f->admin : &system, i < 3 ? "export.csv" : "export.pdf",
                                     "report", i, NULL, NULL, f->now + i * 100),
                         STORE_OK);
    struct audit_event *events;
    size_t count, total;
    struct audit_filter exports = {.action = "export."};
    assert_int_equal(
        store_audit_list(f->store, &exports, &(struct store_page){.limit = 10}, &f->arena, &events, &count, &total),
        STORE_OK);
    assert_int_equal(count, 5);
    assert_string_equal(events[0].entity_id, "4"); /* newest first */
    assert_string_equal(events[4].actor_label, "system");
    assert_string_equal(events[4].client, "");

    struct audit_filter pdfs = {.action = "export.pdf"};
    assert_int_equal(
        store_audit_list(f->store, &pdfs, &(struct store_page){.limit = 10}, &f->arena, &events, &count, &total),
        STORE_OK);
    assert_int_equal(count, 2);
    struct audit_filter by_admin = {.actor_id = f->admin_id, .entity = "report"};
    assert_int_equal(
        store_audit_list(f->store, &by_admin, &(struct store_page){.limit = 10}, &f->arena, &events, &count, &total),
        STORE_OK);
    assert_int_equal(count, 2);
    struct audit_filter one = {.entity = "report", .entity_id = "2"};
    assert_int_equal(
        store_audit_list(f->store, &one, &(struct store_page){.limit = 10}, &f->arena, &events, &count, &total),
        STORE_OK);
    assert_int_equal(count, 1);
    assert_int_equal(events[0].at, f->now + 200);
    struct audit_filter window = {.entity = "report", .since = f->now + 100, .until = f->now + 300};
    assert_int_equal(
        store_audit_list(f->store, &window, &(struct store_page){.limit = 10}, &f->arena, &events, &count, &total),
        STORE_OK);
    assert_int_equal(count, 3);
    /* Pages of two follow one another by cursor, each starting after the last row of the one before. */
    struct audit_filter reports = {.entity = "report"};
    struct store_page page = {.limit = 2};
    assert_int_equal(store_audit_list(f->store, &reports, &page, &f->arena, &events, &count, &total), STORE_OK);
    assert_int_equal(count, 2);
    assert_int_equal(total, 5);
    assert_string_equal(events[0].entity_id, "4");
    assert_non_null(page.next);
    assert_true(cursor_decode(page.next, &f->arena, &page.after));
    assert_int_equal(store_audit_list(f->store, &reports, &page, &f->arena, &events, &count, &total), STORE_OK);
    assert_int_equal(count, 2);
    assert_string_equal(events[0].entity_id, "2");
    assert_true(cursor_decode(page.next, &f->arena, &page.after));
    assert_int_equal(store_audit_list(f->store, &reports, &page, &f->arena, &events, &count, &total), STORE_OK);
    assert_int_equal(count, 1);
    assert_string_equal(events[0].entity_id, "0");
    assert_null(page.next); /* the last page says so */
}

int main(void)
{
#define TEST(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
    const struct CMUnitTest tests[] = {
        TEST(an_event_is_recorded_with_its_actor_and_summaries),
        TEST(a_change_rolled_back_leaves_no_event),
        TEST(the_log_is_read_newest_first_through_its_filters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
