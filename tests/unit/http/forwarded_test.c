/*
 * --trusted-proxy: which peers are believed, and the client read from X-Forwarded-For, from the
 * right, past the proxies we believe and never past an address a client could have written.
 */
#include "../test_support.h"

#include "http/forwarded.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

static socklen_t address(const char *text, struct sockaddr_storage *out)
{
    memset(out, 0, sizeof(*out));
    if (strchr(text, ':') != NULL) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)out;
        a->sin6_family = AF_INET6;
        assert_int_equal(inet_pton(AF_INET6, text, &a->sin6_addr), 1);
        return sizeof(*a);
    }
    struct sockaddr_in *a = (struct sockaddr_in *)out;
    a->sin_family = AF_INET;
    assert_int_equal(inet_pton(AF_INET, text, &a->sin_addr), 1);
    return sizeof(*a);
}

static bool is_trusted(const char *text)
{
    struct sockaddr_storage a;
    socklen_t len = address(text, &a);
    return forwarded_is_trusted((const struct sockaddr *)&a, len);
}

/* The client named by the headers, as text; "" when none is believed. */
static const char *client_of(const char *first, const char *second, char out[INET6_ADDRSTRLEN])
{
    struct str values[2] = {{first, strlen(first)}, {second ? second : "", second ? strlen(second) : 0}};
    struct sockaddr_storage a;
    socklen_t len = 0;
    out[0] = '\0';
    if (!forwarded_client(values, second ? 2 : 1, &a, &len))
        return out;
    if (a.ss_family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *)&a)->sin_addr, out, INET6_ADDRSTRLEN);
    else
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&a)->sin6_addr, out, INET6_ADDRSTRLEN);
    return out;
}

static int reset(void **state)
{
    (void)state;
    forwarded_trust_none();
    return 0;
}

static void only_the_named_proxies_and_networks_are_believed(void **state)
{
    (void)state;
    char err[128];
    assert_false(is_trusted("127.0.0.1")); /* nobody, until named */
    assert_true(forwarded_trust("127.0.0.1, 10.1.0.0/16,fd00::/8", err, sizeof(err)));
    assert_true(is_trusted("127.0.0.1"));
    assert_false(is_trusted("127.0.0.2"));
    assert_true(is_trusted("10.1.200.3"));
    assert_false(is_trusted("10.2.0.1"));
    assert_true(is_trusted("fd12::1"));
    assert_false(is_trusted("fe80::1"));
    assert_true(is_trusted("::ffff:127.0.0.1")); /* an IPv4 peer on a dual-stack socket */
}

static void a_spec_that_is_not_an_address_is_refused_naming_it(void **state)
{
    (void)state;
    char err[128];
    assert_false(forwarded_trust("127.0.0.1,nginx.local", err, sizeof(err)));
    assert_non_null(strstr(err, "nginx.local"));
    assert_false(forwarded_trust("10.0.0.0/33", err, sizeof(err)));
    assert_false(forwarded_trust("10.0.0.0/", err, sizeof(err)));
}

static void the_client_is_the_first_address_from_the_right_that_no_believed_proxy_has(void **state)
{
    (void)state;
    char err[128], out[INET6_ADDRSTRLEN];
    assert_true(forwarded_trust("127.0.0.1,10.0.0.0/8", err, sizeof(err)));
    assert_string_equal(client_of("203.0.113.7", NULL, out), "203.0.113.7");
    /* what the client wrote itself stays to the left of the address its proxy saw */
    assert_string_equal(client_of("1.2.3.4, 203.0.113.7", NULL, out), "203.0.113.7");
    /* a chain of our own proxies is walked past */
    assert_string_equal(client_of("198.51.100.9, 10.0.0.5", "127.0.0.1", out), "198.51.100.9");
    assert_string_equal(client_of("2001:db8::1", NULL, out), "2001:db8::1");
    assert_string_equal(client_of("[2001:db8::2]:4711", NULL, out), "2001:db8::2");
    assert_string_equal(client_of("192.0.2.1:8080", NULL, out), "192.0.2.1");
    /* nothing to believe: the peer stays the client */
    assert_string_equal(client_of("", NULL, out), "");
    assert_string_equal(client_of("10.0.0.1, 127.0.0.1", NULL, out), "");
    assert_string_equal(client_of("203.0.113.7, not-an-address", NULL, out), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(only_the_named_proxies_and_networks_are_believed, reset),
        cmocka_unit_test_setup(a_spec_that_is_not_an_address_is_refused_naming_it, reset),
        cmocka_unit_test_setup(the_client_is_the_first_address_from_the_right_that_no_believed_proxy_has, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
