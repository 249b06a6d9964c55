/*
 * The rules of search at their boundaries: what a query must hold, how a snippet's marks become
 * plain runs (a stray mark never opens a run that leaks a mark), and who sees which kind of hit.
 */
#include "../test_support.h"

#include "domain/policy.h"
#include "domain/search.h"

#include <string.h>

#define ROLE(r) (1u << (r))

static void a_query_needs_a_word_and_fits_the_limit(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    assert_true(search_query_check("leading", &errors));
    assert_int_equal(errors.count, 0);
    assert_false(search_query_check("  ", &errors));
    assert_false(search_query_check(NULL, &errors));
    char longest[SEARCH_QUERY_MAX + 2];
    memset(longest, 'a', sizeof(longest) - 1);
    longest[SEARCH_QUERY_MAX] = '\0';
    assert_true(search_query_check(longest, &errors));
    longest[SEARCH_QUERY_MAX] = 'a';
    longest[SEARCH_QUERY_MAX + 1] = '\0';
    assert_false(search_query_check(longest, &errors));
    assert_int_equal(errors.count, 3);
    for (size_t i = 0; i < errors.count; i++)
        assert_string_equal(errors.items[i].where, "q");
    errors_free(&errors);
}

static void a_snippet_splits_into_plain_runs(void **state)
{
    (void)state;
    struct arena arena = ARENA_INIT;
    struct search_run *runs;
    size_t n;
    search_snippet_split("What do " SEARCH_MARK_OPEN "leaders" SEARCH_MARK_CLOSE " do?", &arena, &runs, &n);
    assert_int_equal(n, 3);
    assert_string_equal(runs[0].text, "What do ");
    assert_false(runs[0].matched);
    assert_string_equal(runs[1].text, "leaders");
    assert_true(runs[1].matched);
    assert_string_equal(runs[2].text, " do?");
    assert_false(runs[2].matched);

    /* Marks at the edges and stray marks leave no empty run and no mark in any text. */
    search_snippet_split(SEARCH_MARK_OPEN "a" SEARCH_MARK_CLOSE SEARCH_MARK_CLOSE "b" SEARCH_MARK_OPEN, &arena, &runs,
                         &n);
    assert_int_equal(n, 2);
    assert_string_equal(runs[0].text, "a");
    assert_true(runs[0].matched);
    assert_string_equal(runs[1].text, "b");
    assert_false(runs[1].matched);
    search_snippet_split("", &arena, &runs, &n);
    assert_int_equal(n, 0);
    arena_release(&arena);
}

static void who_sees_which_hit(void **state)
{
    (void)state;
    struct caller participant = {.user_id = 7, .roles = ROLE(ROLE_PARTICIPANT)};
    struct caller lead = {.user_id = 8, .roles = ROLE(ROLE_PARTNER_LEAD)};
    struct relation none = {.exists = true};
    struct relation studied = {.exists = true, .in_cohort = true};
    assert_true(policy_sees_search_hit(&participant, SEARCH_STATEMENT, &none));
    assert_false(policy_sees_search_hit(NULL, SEARCH_STATEMENT, &none));
    assert_false(policy_sees_search_hit(&participant, SEARCH_CONTENT, &none)); /* not of a module they study */
    assert_true(policy_sees_search_hit(&participant, SEARCH_CONTENT, &studied));
    assert_true(policy_sees_search_hit(&lead, SEARCH_CONTENT, &none));
    assert_false(policy_sees_search_hit(&participant, SEARCH_VARIANT, &studied)); /* another partner's */
    struct relation own = studied;
    own.in_own_partner = true;
    assert_true(policy_sees_search_hit(&participant, SEARCH_VARIANT, &own));
    assert_false(policy_sees_search_hit(&lead, SEARCH_VARIANT, &none));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_query_needs_a_word_and_fits_the_limit),
        cmocka_unit_test(a_snippet_splits_into_plain_runs),
        cmocka_unit_test(who_sees_which_hit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
