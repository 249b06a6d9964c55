/*
 * The HTTP client's waits between attempts and which failures it counts as worth another try.
 */
#include "../test_support.h"

#include "lib/http_client.h"

static void the_wait_grows_and_stays_under_its_ceiling(void **state)
{
    (void)state;
    /* Full jitter: anything from nothing to the ceiling, the ceiling doubling each attempt. */
    assert_int_equal(http_client_backoff_ms(1, -1, 500, 30000, 0), 0);
    assert_int_equal(http_client_backoff_ms(1, -1, 500, 30000, 500), 500);
    assert_int_equal(http_client_backoff_ms(1, -1, 500, 30000, 501), 0);
    assert_int_equal(http_client_backoff_ms(3, -1, 500, 30000, 2000), 2000);
    assert_int_equal(http_client_backoff_ms(3, -1, 500, 30000, 2001), 0);
    assert_true(http_client_backoff_ms(3, -1, 500, 30000, UINT32_MAX) <= 2000);
    /* Capped however many attempts. */
    assert_true(http_client_backoff_ms(40, -1, 500, 30000, UINT32_MAX) <= 30000);
    assert_int_equal(http_client_backoff_ms(40, -1, 500, 30000, 30000), 30000);
}

static void a_server_that_says_how_long_to_wait_is_heard(void **state)
{
    (void)state;
    assert_int_equal(http_client_backoff_ms(1, 7, 500, 30000, 12345), 7000);
    assert_int_equal(http_client_backoff_ms(1, 0, 500, 30000, 12345), 0);
    /* But not for ever. */
    assert_int_equal(http_client_backoff_ms(1, 86400, 500, 30000, 1), HTTP_CLIENT_RETRY_AFTER_MAX * 1000);
}

static void only_failures_that_may_pass_are_retried(void **state)
{
    (void)state;
    assert_true(http_client_retryable(0));
    assert_true(http_client_retryable(429));
    assert_true(http_client_retryable(500));
    assert_true(http_client_retryable(503));
    assert_false(http_client_retryable(200));
    assert_false(http_client_retryable(400));
    assert_false(http_client_retryable(401));
    assert_false(http_client_retryable(404));
    assert_false(http_client_retryable(422));
}

static void no_answer_from_a_closed_port_is_said_in_words(void **state)
{
    (void)state;
    struct http_client_response response;
    /* Port 1 on loopback: nothing listens there. */
    struct http_client_request request = {"GET", "http://127.0.0.1:1/", NULL, NULL, 2000};
    assert_false(http_client_send(&request, &response));
    assert_int_equal(response.status, 0);
    assert_true(response.error[0] != '\0');
    assert_string_equal(response.body, "");
    http_client_response_free(&response);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_wait_grows_and_stays_under_its_ceiling),
        cmocka_unit_test(a_server_that_says_how_long_to_wait_is_heard),
        cmocka_unit_test(only_failures_that_may_pass_are_retried),
        cmocka_unit_test(no_answer_from_a_closed_port_is_said_in_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
