/*
 * The rules of learning communities at their boundaries: who belongs to each kind of forum and
 * who moderates it (written as the policy sees them, from a caller's roles and the facts about
 * the forum, so a fact without its role gives nothing), which members a post mentions, what a
 * title, a post and a report must hold, and the day a digest belongs to.
 */
#include "../test_support.h"

#include "domain/forum.h"
#include "domain/policy.h"

#include <string.h>

static struct caller caller_with(unsigned roles)
{
    return (struct caller){.user_id = 7, .roles = roles};
}

#define ROLE(r) (1u << (r))

static struct relation forum_facts(enum forum_kind kind)
{
    return (struct relation){.exists = true, .forum_kind = kind};
}

static void a_cohort_forum_is_its_people_and_their_staff(void **state)
{
    (void)state;
    struct relation r = forum_facts(FORUM_COHORT);
    struct caller participant = caller_with(ROLE(ROLE_PARTICIPANT));
    assert_false(policy_is_forum_member(&participant, &r)); /* of another cohort */
    r.in_cohort = true;
    assert_true(policy_is_forum_member(&participant, &r));
    assert_false(policy_moderates_forum(&participant, &r));

    struct relation staff = forum_facts(FORUM_COHORT);
    staff.facilitates = true;
    struct caller facilitator = caller_with(ROLE(ROLE_FACILITATOR));
    assert_true(policy_is_forum_member(&facilitator, &staff));
    assert_true(policy_moderates_forum(&facilitator, &staff));
    /* A place on the staff outlives a revoked role; the role is what counts. */
    struct caller former = caller_with(ROLE(ROLE_PARTICIPANT));
    assert_false(policy_is_forum_member(&former, &staff));

    struct relation coached = forum_facts(FORUM_COHORT);
    coached.cohort_coach = true;
    struct caller coach = caller_with(ROLE(ROLE_COACH));
    assert_true(policy_is_forum_member(&coach, &coached));
    assert_false(policy_moderates_forum(&coach, &coached));

    struct relation partner = forum_facts(FORUM_COHORT);
    partner.partner_record = true;
    struct caller lead = caller_with(ROLE(ROLE_PARTNER_LEAD));
    assert_true(policy_is_forum_member(&lead, &partner));
    assert_true(policy_moderates_forum(&lead, &partner));
    struct relation elsewhere = forum_facts(FORUM_COHORT);
    assert_false(policy_is_forum_member(&lead, &elsewhere));

    struct caller admin = caller_with(ROLE(ROLE_ADMIN));
    assert_true(policy_is_forum_member(&admin, &elsewhere));
    assert_true(policy_moderates_forum(&admin, &elsewhere));

    struct caller headteacher = caller_with(ROLE(ROLE_HEADTEACHER));
    assert_false(policy_is_forum_member(&headteacher, &elsewhere));
}

static void a_module_forum_is_who_studies_it_and_only_administrators_moderate(void **state)
{
    (void)state;
    struct relation r = forum_facts(FORUM_MODULE);
    struct caller participant = caller_with(ROLE(ROLE_PARTICIPANT));
    assert_false(policy_is_forum_member(&participant, &r));
    r.in_cohort = true; /* enrolled in a qualification with the module */
    assert_true(policy_is_forum_member(&participant, &r));

    struct relation facilitated = forum_facts(FORUM_MODULE);
    facilitated.facilitates = true;
    struct caller facilitator = caller_with(ROLE(ROLE_FACILITATOR));
    assert_true(policy_is_forum_member(&facilitator, &facilitated));
    assert_false(policy_moderates_forum(&facilitator, &facilitated));

    /* A partner's lead has no standing in a module's forum by leading a partner. */
    struct relation partner = forum_facts(FORUM_MODULE);
    partner.partner_record = true;
    struct caller lead = caller_with(ROLE(ROLE_PARTNER_LEAD));
    assert_false(policy_is_forum_member(&lead, &partner));
    assert_false(policy_moderates_forum(&lead, &partner));

    struct caller admin = caller_with(ROLE(ROLE_ADMIN));
    assert_true(policy_moderates_forum(&admin, &partner));
}

static void the_provider_forum_is_everyone_with_a_role(void **state)
{
    (void)state;
    struct relation r = forum_facts(FORUM_PROVIDER);
    struct caller mentor = caller_with(ROLE(ROLE_MENTOR));
    assert_true(policy_is_forum_member(&mentor, &r));
    assert_false(policy_moderates_forum(&mentor, &r));
    struct caller nobody = caller_with(0);
    assert_false(policy_is_forum_member(&nobody, &r));
    assert_false(policy_is_forum_member(NULL, &r));
    struct relation missing = {.exists = false, .forum_kind = FORUM_PROVIDER};
    assert_false(policy_is_forum_member(&mentor, &missing));
}

static void a_hidden_post_is_seen_by_moderators_only_and_edited_by_its_author(void **state)
{
    (void)state;
    struct relation r = forum_facts(FORUM_COHORT);
    r.in_cohort = true;
    r.is_self = true;
    struct caller author = caller_with(ROLE(ROLE_PARTICIPANT));
    assert_true(policy_sees_forum_post(&author, &r));
    assert_true(policy_may_edit_forum_post(&author, &r));
    r.post_hidden = true;
    assert_false(policy_sees_forum_post(&author, &r));
    assert_false(policy_may_edit_forum_post(&author, &r));
    assert_false(policy_allows(PERM_FORUMS, &author, RESOURCE_FORUM_POST, &r));

    struct relation other = forum_facts(FORUM_COHORT);
    other.in_cohort = true;
    assert_false(policy_may_edit_forum_post(&author, &other));

    struct relation staff = forum_facts(FORUM_COHORT);
    staff.facilitates = true;
    staff.post_hidden = true;
    struct caller facilitator = caller_with(ROLE(ROLE_FACILITATOR));
    assert_true(policy_allows(PERM_FORUMS, &facilitator, RESOURCE_FORUM_POST, &staff));
    assert_true(policy_allows(PERM_FORUMS_MODERATE, &facilitator, RESOURCE_FORUM_POST, &staff));
    assert_true(policy_allows(PERM_FORUMS_MODERATE, &facilitator, RESOURCE_FORUM_REPORT, &staff));
    /* Members who do not moderate never reach the moderation routes. */
    assert_false(policy_allows(PERM_FORUMS_MODERATE, &author, RESOURCE_FORUM_THREAD, &r));
}

static void mentions_match_members_by_the_longest_name(void **state)
{
    (void)state;
    const char *names[] = {"Sam", "Sam Lee", "Priya Shah", "Zoë Hart"};
    bool m[4];
    assert_int_equal(forum_mentions("Thanks @sam lee and @Priya Shah!", names, 4, m), 2);
    assert_false(m[0]);
    assert_true(m[1]);
    assert_true(m[2]);
    assert_false(m[3]);

    assert_int_equal(forum_mentions("@Sam, what do you think?", names, 4, m), 1);
    assert_true(m[0]);
    assert_false(m[1]);

    /* Part of a longer word, an email address or a name not followed by a boundary: nobody. */
    assert_int_equal(forum_mentions("write to sam@example.org or @Samantha", names, 4, m), 0);
    assert_int_equal(forum_mentions("@Zoë Hart@Sam", names, 4, m), 1);
    assert_true(m[3]);
    assert_int_equal(forum_mentions("@Zoë Harte", names, 4, m), 0);

    /* Twice is once; no text and no members mention nobody. */
    assert_int_equal(forum_mentions("@Priya Shah @priya shah", names, 4, m), 1);
    assert_int_equal(forum_mentions(NULL, names, 4, m), 0);
    assert_int_equal(forum_mentions("@Sam", names, 0, m), 0);
}

static void titles_posts_and_reasons_have_limits(void **state)
{
    (void)state;
    struct errors e = ERRORS_INIT;
    assert_true(forum_check_title("Reading for week 3", "title", &e));
    assert_false(forum_check_title("  ", "title", &e));
    assert_string_equal(e.items[0].where, "title");
    char long_title[FORUM_TITLE_MAX + 2];
    memset(long_title, 'a', sizeof(long_title) - 1);
    long_title[sizeof(long_title) - 1] = '\0';
    assert_false(forum_check_title(long_title, "title", &e));
    long_title[FORUM_TITLE_MAX] = '\0';
    assert_true(forum_check_title(long_title, "title", &e));
    assert_false(forum_check_title("two\nlines", "title", &e));
    assert_false(forum_check_body("", "body", &e));
    assert_false(forum_check_body(NULL, "body", &e));
    assert_true(forum_check_body("**Hello**", "body", &e));
    assert_false(forum_check_reason("", "reason", &e));
    assert_true(forum_check_reason("Shares a colleague's phone number", "reason", &e));
    errors_free(&e);

    enum forum_delivery d;
    assert_true(forum_delivery_parse("daily_digest", &d));
    assert_int_equal(d, FORUM_DAILY_DIGEST);
    assert_false(forum_delivery_parse("weekly", &d));
    enum forum_kind k;
    assert_true(forum_kind_parse("module", &k));
    assert_int_equal(k, FORUM_MODULE);
    assert_string_equal(forum_kind_name(FORUM_PROVIDER), "provider");
}

static void a_digest_belongs_to_its_utc_day(void **state)
{
    (void)state;
    char day[FORUM_DAY_TEXT];
    int64_t t = 1798761599; /* 2026-12-31T23:59:59Z */
    forum_digest_day(t, day);
    assert_string_equal(day, "2026-12-31");
    assert_int_equal(forum_digest_day_start(t), 1798675200);
    forum_digest_day(t + 1, day);
    assert_string_equal(day, "2027-01-01");
    assert_int_equal(forum_digest_day_start(t + 1), t + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_cohort_forum_is_its_people_and_their_staff),
        cmocka_unit_test(a_module_forum_is_who_studies_it_and_only_administrators_moderate),
        cmocka_unit_test(the_provider_forum_is_everyone_with_a_role),
        cmocka_unit_test(a_hidden_post_is_seen_by_moderators_only_and_edited_by_its_author),
        cmocka_unit_test(mentions_match_members_by_the_longest_name),
        cmocka_unit_test(titles_posts_and_reasons_have_limits),
        cmocka_unit_test(a_digest_belongs_to_its_utc_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
