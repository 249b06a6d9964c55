/*
 * The per-client request rate: a burst, then the steady rate; Retry-After; clients apart; the
 * exempt blocks (IPv4, IPv6, IPv4 on a dual-stack socket); and a bad exempt list refused.
 */
#include "../test_support.h"

#include "http/request_rate.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

struct address {
    struct sockaddr_storage storage;
    socklen_t len;
};

static struct address address_of(const char *text)
{
    struct address a = {0};
    if (strchr(text, ':') != NULL) {
        struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&a.storage;
        v6->sin6_family = AF_INET6;
        assert_int_equal(inet_pton(AF_INET6, text, &v6->sin6_addr), 1);
        a.len = sizeof(*v6);
    } else {
        struct sockaddr_in *v4 = (struct sockaddr_in *)&a.storage;
        v4->sin_family = AF_INET;
        assert_int_equal(inet_pton(AF_INET, text, &v4->sin_addr), 1);
        a.len = sizeof(*v4);
    }
    return a;
}

static bool allow(struct request_rate *rate, const char *client, int64_t now_ms, uint32_t *retry_after)
{
    struct address a = address_of(client);
    return request_rate_allow(rate, (struct sockaddr *)&a.storage, a.len, now_ms, retry_after);
}

static void a_burst_then_the_steady_rate(void **state)
{
    (void)state;
    const char *problem;
    struct request_rate *rate = request_rate_new(5, "none", &problem);
    assert_non_null(rate);
    uint32_t retry_after = 0;
    int64_t now = 1000000;
    for (int i = 0; i < 5 * REQUEST_RATE_BURST_SECONDS; i++)
        assert_true(allow(rate, "192.0.2.1", now, &retry_after));
    assert_false(allow(rate, "192.0.2.1", now, &retry_after));
    assert_int_equal(retry_after, 1);
    assert_true(allow(rate, "192.0.2.2", now, &retry_after)); /* another client is not held back */
    now += 200;                                               /* one request's worth at 5 a second */
    assert_true(allow(rate, "192.0.2.1", now, &retry_after));
    assert_false(allow(rate, "192.0.2.1", now, &retry_after));
    now += 199;
    assert_false(allow(rate, "192.0.2.1", now, &retry_after));
    now += 1;
    assert_true(allow(rate, "192.0.2.1", now, &retry_after));
    /* a long quiet refills to the burst, no further */
    now += 3600 * 1000;
    for (int i = 0; i < 5 * REQUEST_RATE_BURST_SECONDS; i++)
        assert_true(allow(rate, "192.0.2.1", now, &retry_after));
    assert_false(allow(rate, "192.0.2.1", now, &retry_after));
    request_rate_free(rate);
}

static void one_ipv6_64_is_one_client(void **state)
{
    (void)state;
    const char *problem;
    struct request_rate *rate = request_rate_new(1, "none", &problem);
    assert_non_null(rate);
    uint32_t retry_after;
    for (int i = 0; i < REQUEST_RATE_BURST_SECONDS; i++)
        assert_true(allow(rate, i % 2 ? "2001:db8:1:2::1" : "2001:db8:1:2::ffff", 0, &retry_after));
    assert_false(allow(rate, "2001:db8:1:2::9", 0, &retry_after));
    assert_true(allow(rate, "2001:db8:1:3::1", 0, &retry_after));
    request_rate_free(rate);
}

static void exempt_blocks_are_never_limited(void **state)
{
    (void)state;
    const char *problem;
    struct request_rate *rate = request_rate_new(1, REQUEST_RATE_DEFAULT_EXEMPT ",198.51.100.0/25", &problem);
    assert_non_null(rate);
    uint32_t retry_after;
    for (int i = 0; i < 100; i++) {
        assert_true(allow(rate, "127.0.0.1", 0, &retry_after));
        assert_true(allow(rate, "127.9.9.9", 0, &retry_after));
        assert_true(allow(rate, "::1", 0, &retry_after));
        assert_true(allow(rate, "::ffff:127.0.0.1", 0, &retry_after));
        assert_true(allow(rate, "198.51.100.127", 0, &retry_after));
    }
    for (int i = 0; i < REQUEST_RATE_BURST_SECONDS; i++)
        assert_true(allow(rate, "198.51.100.128", 0, &retry_after)); /* just outside the /25 */
    assert_false(allow(rate, "198.51.100.128", 0, &retry_after));
    assert_false(allow(rate, "::ffff:198.51.100.128", 0, &retry_after));
    request_rate_free(rate);
}

static void a_bad_exempt_list_is_refused(void **state)
{
    (void)state;
    const char *bad[] = {"127.0.0.1/33", "::1/129", "localhost", "10.0.0.0/", "10.0.0.0/8x", "/8"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const char *problem = NULL;
        assert_null(request_rate_new(10, bad[i], &problem));
        assert_non_null(problem);
    }
    const char *problem = NULL;
    assert_null(request_rate_new(0, "none", &problem));
    struct request_rate *rate = request_rate_new(10, "", &problem);
    assert_non_null(rate);
    request_rate_free(rate);
}

/* Many clients churning through a small table: nobody is refused before spending their burst. */
static void many_clients_never_refused_early(void **state)
{
    (void)state;
    const char *problem;
    struct request_rate *rate = request_rate_new(1, "none", &problem);
    assert_non_null(rate);
    uint32_t retry_after;
    char text[32];
    for (int round = 0; round < 3; round++)
        for (int c = 0; c < 50000; c++) {
            snprintf(text, sizeof(text), "10.%d.%d.%d", c >> 16, (c >> 8) & 255, c & 255);
            assert_true(allow(rate, text, round * 100000, &retry_after));
        }
    request_rate_free(rate);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_burst_then_the_steady_rate),     cmocka_unit_test(one_ipv6_64_is_one_client),
        cmocka_unit_test(exempt_blocks_are_never_limited),  cmocka_unit_test(a_bad_exempt_list_is_refused),
        cmocka_unit_test(many_clients_never_refused_early),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
