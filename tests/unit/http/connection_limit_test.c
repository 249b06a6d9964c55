/*
 * The connection caps: in all and per client, the IPv6 /64 rule, and the table's bookkeeping
 * under many clients coming and going (checked against plain counts).
 */
#include "../test_support.h"

#include "http/connection_limit.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>

static void caps_in_all_and_per_client(void **state)
{
    (void)state;
    struct connection_limit *limit = connection_limit_new(5, 3);
    assert_non_null(limit);
    for (int i = 0; i < 3; i++)
        assert_true(connection_limit_enter(limit, 1));
    assert_false(connection_limit_enter(limit, 1)); /* a fourth from one client */
    assert_true(connection_limit_enter(limit, 2));
    assert_true(connection_limit_enter(limit, 3));
    assert_false(connection_limit_enter(limit, 4)); /* a sixth in all */
    size_t from_client;
    assert_int_equal(connection_limit_open(limit, 1, &from_client), 5);
    assert_int_equal(from_client, 3);
    connection_limit_leave(limit, 1);
    assert_true(connection_limit_enter(limit, 4));
    assert_int_equal(connection_limit_open(limit, 4, &from_client), 5);
    assert_int_equal(from_client, 1);
    connection_limit_free(limit);
}

static void a_trusted_proxy_counts_in_all_but_has_no_cap_of_its_own(void **state)
{
    (void)state;
    struct connection_limit *limit = connection_limit_new(6, 2);
    assert_non_null(limit);
    for (int i = 0; i < 5; i++)
        assert_true(connection_limit_enter(limit, CONNECTION_LIMIT_PROXY)); /* many clients behind it */
    assert_true(connection_limit_enter(limit, 1));
    assert_false(connection_limit_enter(limit, CONNECTION_LIMIT_PROXY)); /* the total still holds */
    size_t from_proxy;
    assert_int_equal(connection_limit_open(limit, CONNECTION_LIMIT_PROXY, &from_proxy), 6);
    assert_int_equal(from_proxy, 5);
    connection_limit_leave(limit, CONNECTION_LIMIT_PROXY);
    assert_true(connection_limit_enter(limit, 1));
    connection_limit_leave(limit, CONNECTION_LIMIT_PROXY);
    assert_false(connection_limit_enter(limit, 1)); /* a client talking directly keeps its cap of 2 */
    connection_limit_free(limit);
}

static uint64_t client_of(const char *address)
{
    struct sockaddr_storage storage = {0};
    socklen_t len;
    if (strchr(address, ':') != NULL) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&storage;
        a->sin6_family = AF_INET6;
        assert_int_equal(inet_pton(AF_INET6, address, &a->sin6_addr), 1);
        len = sizeof(*a);
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&storage;
        a->sin_family = AF_INET;
        assert_int_equal(inet_pton(AF_INET, address, &a->sin_addr), 1);
        len = sizeof(*a);
    }
    return connection_limit_client((struct sockaddr *)&storage, len);
}

static void clients_by_address(void **state)
{
    (void)state;
    assert_int_equal(client_of("2001:db8:1:2::1"), client_of("2001:db8:1:2:ffff::9")); /* one /64 */
    assert_int_not_equal(client_of("2001:db8:1:2::1"), client_of("2001:db8:1:3::1"));
    assert_int_equal(client_of("::ffff:192.0.2.7"), client_of("192.0.2.7")); /* IPv4 on a dual-stack socket */
    assert_int_not_equal(client_of("192.0.2.7"), client_of("192.0.2.8"));
    assert_int_not_equal(client_of("::"), client_of("0.0.0.0"));
}

/* Random arrivals and departures from a few hundred clients, against an array of counts: every
 * entry must stay findable after the deletions that move others. */
static void bookkeeping_under_churn(void **state)
{
    (void)state;
    enum { CLIENTS = 300, TOTAL = 1000, PER_CLIENT = 7, STEPS = 200000 };
    struct connection_limit *limit = connection_limit_new(TOTAL, PER_CLIENT);
    size_t counts[CLIENTS] = {0}, open = 0;
    srand(7);
    for (int step = 0; step < STEPS; step++) {
        size_t c = (size_t)rand() % CLIENTS;
        uint64_t client = (uint64_t)c * 1024; /* neighbouring keys collide more */
        if (rand() % 2 == 0) {
            bool expected = open < TOTAL && counts[c] < PER_CLIENT;
            assert_int_equal(connection_limit_enter(limit, client), expected);
            if (expected)
                counts[c]++, open++;
        } else if (counts[c] > 0) {
            connection_limit_leave(limit, client);
            counts[c]--, open--;
        }
    }
    for (size_t c = 0; c < CLIENTS; c++) {
        size_t from_client;
        assert_int_equal(connection_limit_open(limit, (uint64_t)c * 1024, &from_client), open);
        assert_int_equal(from_client, counts[c]);
    }
    connection_limit_free(limit);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(caps_in_all_and_per_client),
        cmocka_unit_test(a_trusted_proxy_counts_in_all_but_has_no_cap_of_its_own),
        cmocka_unit_test(clients_by_address),
        cmocka_unit_test(bookkeeping_under_churn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
