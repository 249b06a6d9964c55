/*
 * Password rules: length, the common-password list (also with digits and symbols around a
 * common word), keyboard and alphabet runs, and the person's own email and name.
 */
#include "../test_support.h"

#include "domain/password.h"

#include <stdio.h>

/* The first error's message for password, or NULL when it is accepted. */
static const char *refusal(const char *password, const char *email, const char *name)
{
    static char message[512];
    struct errors errors = ERRORS_INIT;
    password_check(password, email, name, &errors);
    const char *result = NULL;
    if (errors.count > 0) {
        assert_string_equal(errors.items[0].where, "password");
        snprintf(message, sizeof(message), "%s", errors.items[0].message);
        result = message;
    }
    errors_free(&errors);
    return result;
}

static void length_is_counted_in_characters(void **state)
{
    (void)state;
    assert_non_null(strstr(refusal("", NULL, NULL), "Enter a password"));
    assert_non_null(strstr(refusal("short-words", NULL, NULL), "12 characters or more"));
    assert_null(refusal("amber-falcon", NULL, NULL));
    /* 12 characters of which several are two bytes long: long enough. */
    assert_null(refusal("éàüöçñéàüöçñ", NULL, NULL));
    assert_non_null(strstr(refusal("éàüöçñéàüöç", NULL, NULL), "12 characters or more"));
}

static void common_passwords_are_refused(void **state)
{
    (void)state;
    assert_non_null(strstr(refusal("password1234", NULL, NULL), "too common"));
    assert_non_null(strstr(refusal("PASSWORD1234", NULL, NULL), "too common"));
    /* A common word with digits and symbols around it is still that word. */
    assert_non_null(strstr(refusal("Password2024!", NULL, NULL), "too common"));
    assert_non_null(strstr(refusal("!!sunshine2026", NULL, NULL), "too common"));
    assert_non_null(strstr(refusal("aaaaaaaaaaaaaaa", NULL, NULL), "too common"));
}

static void keyboard_and_alphabet_runs_are_refused(void **state)
{
    (void)state;
    assert_non_null(strstr(refusal("qwertyuiopasdf", NULL, NULL), "too common"));
    assert_non_null(strstr(refusal("abcdefghijklm", NULL, NULL), "too common"));
    assert_non_null(strstr(refusal("098765432109", NULL, NULL), "too common"));
    assert_null(refusal("qwerty-river-lamp", NULL, NULL));
}

static void own_email_and_name_are_refused(void **state)
{
    (void)state;
    assert_non_null(strstr(refusal("my-morgan.jones-pass", "morgan.jones@example.org", NULL), "email"));
    assert_non_null(strstr(refusal("hello-from-Priyanka!", NULL, "Priyanka Shah"), "name"));
    /* Parts of a name shorter than four letters are too common to hold against anyone. */
    assert_null(refusal("blue-jo-lantern-77", NULL, "Jo Priyanka"));
}

static void long_passwords_have_a_limit(void **state)
{
    (void)state;
    char long_password[PASSWORD_MAX_BYTES + 2];
    memset(long_password, 'x', sizeof(long_password) - 1);
    long_password[sizeof(long_password) - 1] = '\0';
    long_password[0] = 'y'; /* not a single repeated character */
    assert_non_null(strstr(refusal(long_password, NULL, NULL), "or fewer"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(length_is_counted_in_characters),
        cmocka_unit_test(common_passwords_are_refused),
        cmocka_unit_test(keyboard_and_alphabet_runs_are_refused),
        cmocka_unit_test(own_email_and_name_are_refused),
        cmocka_unit_test(long_passwords_have_a_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
