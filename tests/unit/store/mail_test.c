/*
 * The store's contract for the outbox: a message queued with the change that causes it (and
 * gone if that change is rolled back), handed to one sender at a time under a lease, due again
 * when the lease passes or at its retry time, and never again once sent.
 */
#include "fixture.h"

#include <string.h>

static int64_t pending(struct fixture *f)
{
    int64_t n = -1;
    assert_int_equal(store_mail_pending(f->store, &n), STORE_OK);
    return n;
}

static void a_message_is_queued_with_its_change_or_not_at_all(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(store_begin(f->store), STORE_OK);
    assert_int_equal(store_mail_enqueue(f->store, "pat@example.org", "Welcome", "Hello", f->now), STORE_OK);
    store_rollback(f->store);
    assert_int_equal(pending(f), 0);
    assert_int_equal(store_begin(f->store), STORE_OK);
    assert_int_equal(store_mail_enqueue(f->store, "pat@example.org", "Welcome", "Hello", f->now), STORE_OK);
    assert_int_equal(store_commit(f->store), STORE_OK);
    assert_int_equal(pending(f), 1);
}

static void messages_are_claimed_oldest_first_once_per_lease(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(store_mail_enqueue(f->store, "ada@example.org", "First", "Body one", f->now), STORE_OK);
    assert_int_equal(store_mail_enqueue(f->store, "bob@example.org", "Second", "Body two", f->now), STORE_OK);
    struct mail_message m, n, again;
    assert_int_equal(store_mail_claim(f->store, NULL, f->now - 1, 120, &f->arena, &m),
                     STORE_NOT_FOUND); /* not yet due */
    assert_int_equal(store_mail_claim(f->store, NULL, f->now, 120, &f->arena, &m), STORE_OK);
    assert_string_equal(m.recipient, "ada@example.org");
    assert_string_equal(m.subject, "First");
    assert_string_equal(m.body, "Body one");
    assert_int_equal(m.attempts, 1);
    /* Another sender gets the next one, not the leased one. */
    struct store *other = fixture_connect(f);
    assert_int_equal(store_mail_claim(other, NULL, f->now, 120, &f->arena, &n), STORE_OK);
    assert_string_equal(n.recipient, "bob@example.org");
    assert_int_equal(store_mail_claim(other, NULL, f->now + 60, 120, &f->arena, &again), STORE_NOT_FOUND);
    store_close(other);

    /* Its sender died: due again once the lease has passed, as a further attempt. */
    assert_int_equal(store_mail_claim(f->store, NULL, f->now + 120, 120, &f->arena, &again), STORE_NOT_FOUND);
    assert_int_equal(store_mail_claim(f->store, NULL, f->now + 121, 120, &f->arena, &again), STORE_OK);
    assert_int_equal(again.id, m.id);
    assert_int_equal(again.attempts, 2);
    assert_int_equal(pending(f), 2);
}

static void a_failed_message_waits_for_its_retry_and_a_sent_one_never_comes_back(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(store_mail_enqueue(f->store, "ada@example.org", "Hello", "Body", f->now), STORE_OK);
    struct mail_message m;
    assert_int_equal(store_mail_claim(f->store, NULL, f->now, 120, &f->arena, &m), STORE_OK);
    assert_int_equal(store_mail_mark_failed(f->store, m.id, f->now + 600, "451 try later"), STORE_OK);
    assert_int_equal(store_mail_claim(f->store, NULL, f->now + 599, 120, &f->arena, &m), STORE_NOT_FOUND);
    assert_int_equal(store_mail_claim(f->store, NULL, f->now + 600, 120, &f->arena, &m), STORE_OK);
    assert_int_equal(m.attempts, 2);
    assert_int_equal(store_mail_mark_sent(f->store, m.id, f->now + 601), STORE_OK);
    assert_int_equal(pending(f), 0);
    assert_int_equal(store_mail_claim(f->store, NULL, f->now + 100000, 120, &f->arena, &m), STORE_NOT_FOUND);
    assert_int_equal(store_mail_mark_sent(f->store, 999999, f->now), STORE_NOT_FOUND);
    assert_int_equal(store_mail_mark_failed(f->store, 999999, f->now, "x"), STORE_NOT_FOUND);
}

static void a_dead_senders_leases_can_be_taken_back_at_once(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(store_mail_enqueue(f->store, "ada@example.org", "One", "Body", f->now), STORE_OK);
    assert_int_equal(store_mail_enqueue(f->store, "bob@example.org", "Two", "Body", f->now), STORE_OK);
    assert_int_equal(store_mail_enqueue(f->store, "cy@example.org", "Three", "Body", f->now), STORE_OK);
    struct mail_message m;
    assert_int_equal(store_mail_claim(f->store, "host boot 1 1", f->now, 120, &f->arena, &m), STORE_OK);
    assert_int_equal(store_mail_claim(f->store, "host boot 2 2", f->now, 120, &f->arena, &m), STORE_OK);
    const char **claimers;
    size_t count;
    assert_int_equal(store_mail_claimers(f->store, f->now, &f->arena, &claimers, &count), STORE_OK);
    assert_int_equal(count, 2);
    /* Only the dead sender's lease ends; the living one's holds. */
    assert_int_equal(store_mail_release(f->store, "host boot 1 1"), STORE_OK);
    assert_int_equal(store_mail_claim(f->store, NULL, f->now, 120, &f->arena, &m), STORE_OK);
    assert_string_equal(m.recipient, "ada@example.org");
    assert_int_equal(store_mail_claim(f->store, NULL, f->now, 120, &f->arena, &m), STORE_OK);
    assert_string_equal(m.recipient, "cy@example.org");
    assert_int_equal(store_mail_claim(f->store, NULL, f->now, 120, &f->arena, &m), STORE_NOT_FOUND);
    /* A sent message is not leased to anyone any more. */
    assert_int_equal(store_mail_mark_sent(f->store, m.id, f->now), STORE_OK);
    assert_int_equal(store_mail_claimers(f->store, f->now, &f->arena, &claimers, &count), STORE_OK);
    assert_int_equal(count, 1);
    assert_string_equal(claimers[0], "host boot 2 2");
}

int main(void)
{
#define TEST(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
    const struct CMUnitTest tests[] = {
        TEST(a_message_is_queued_with_its_change_or_not_at_all),
        TEST(messages_are_claimed_oldest_first_once_per_lease),
        TEST(a_failed_message_waits_for_its_retry_and_a_sent_one_never_comes_back),
        TEST(a_dead_senders_leases_can_be_taken_back_at_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
