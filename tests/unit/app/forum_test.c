/*
 * Learning communities as use cases on a real database (the store contract tests' fixture):
 * who is told of a post (a subscriber for each post who belongs, never one who does not, never
 * the author), and the daily digest, which lists the posts made before the day began and is sent
 * once per person per day however often the notifier looks.
 */
#include "../store/fixture.h"

#include "app/forum.h"

#include <string.h>

enum { DAY = 86400 };

static struct accounts_env env_at(struct fixture *f, int64_t now)
{
    return (struct accounts_env){f->store, &f->actor, "https://npq.example.org", now};
}

/* The cohort's forum, as its participant sees it. */
static int64_t cohort_forum(struct fixture *f, const struct caller *member, int64_t cohort)
{
    struct forum *forums;
    size_t count;
    assert_int_equal(forum_list_mine(f->store, member, &f->arena, &forums, &count), APP_OK);
    for (size_t i = 0; i < count; i++)
        if (forums[i].kind == FORUM_COHORT && forums[i].cohort_id == cohort)
            return forums[i].id;
    fail_msg("the participant has no forum for their cohort");
    return 0;
}

/* Emails queued and not yet counted: claimed from the outbox (each once), kept until counted. */
static struct mail_message box[64];
static size_t box_count;

/* How many emails to recipient whose subject starts with prefix are queued at now; those counted
 * are taken out of the box, and *body is the last one's. */
static int mails(struct fixture *f, const char *recipient, const char *prefix, int64_t now, const char **body)
{
    struct mail_message m;
    while (box_count < 64 && store_mail_claim(f->store, "test", now, 30 * DAY, &f->arena, &m) == STORE_OK)
        box[box_count++] = m;
    int n = 0;
    size_t kept = 0;
    for (size_t i = 0; i < box_count; i++)
        if (strcmp(box[i].recipient, recipient) == 0 && strncmp(box[i].subject, prefix, strlen(prefix)) == 0) {
            n++;
            if (body)
                *body = box[i].body;
        } else
            box[kept++] = box[i];
    box_count = kept;
    return n;
}

struct people {
    int64_t cohort, other_cohort, pat, sam, olu;
    struct caller pat_c, sam_c, olu_c;
    const char *sam_email, *olu_email;
};

static void people_make(struct fixture *f, struct people *p)
{
    int64_t partner = fx_organisation(f, ORG_DELIVERY_PARTNER, "Hub");
    p->cohort = fx_cohort(f, partner);
    p->other_cohort = fx_cohort(f, partner);
    p->pat = fx_person(f, "Pat Smith", ROLE_PARTICIPANT, 0, 0);
    p->sam = fx_person(f, "Sam Lee", ROLE_PARTICIPANT, 0, 0);
    p->olu = fx_person(f, "Olu Other", ROLE_PARTICIPANT, 0, 0);
    fx_enrolment(f, p->pat, p->cohort);
    fx_enrolment(f, p->sam, p->cohort);
    fx_enrolment(f, p->olu, p->other_cohort);
    p->pat_c = fx_caller(f, p->pat);
    p->sam_c = fx_caller(f, p->sam);
    p->olu_c = fx_caller(f, p->olu);
    struct user u;
    assert_int_equal(store_user_get(f->store, p->sam, &f->arena, &u), STORE_OK);
    p->sam_email = u.email;
    assert_int_equal(store_user_get(f->store, p->olu, &f->arena, &u), STORE_OK);
    p->olu_email = u.email;
}

static void each_post_tells_members_who_follow_and_nobody_else(void **state)
{
    struct fixture *f = *state;
    box_count = 0;
    struct people p;
    people_make(f, &p);
    int64_t forum = cohort_forum(f, &p.pat_c, p.cohort);
    struct accounts_env env = env_at(f, f->now);
    assert_int_equal(forum_subscribe(&env, &p.sam_c, forum, FORUM_EACH_POST), APP_OK);
    /* Olu is in another cohort: a subscription written past the gate gives them nothing. */
    assert_int_equal(forum_subscribe(&env, &p.olu_c, forum, FORUM_EACH_POST), APP_OK);
    assert_int_equal(forum_subscribe(&env, &p.pat_c, forum, FORUM_EACH_POST), APP_OK);
    struct errors errors = ERRORS_INIT;
    int64_t thread, post;
    assert_int_equal(
        forum_thread_start(&env, &p.pat_c, forum, "Week 1", "What did you read, @Olu Other?", &thread, &post, &errors),
        APP_OK);
    const char *body = NULL;
    assert_int_equal(mails(f, p.sam_email, "New post in Cohort", f->now, &body), 1);
    assert_non_null(strstr(body, "https://npq.example.org/forums/threads/"));
    assert_int_equal(mails(f, p.olu_email, "", f->now, NULL), 0);

    /* Search finds the post for members only, on either engine's index. */
    struct forum_search_hit *hits;
    size_t count;
    assert_int_equal(forum_search(f->store, &p.sam_c, "READ? \"olu", 0, &f->arena, &hits, &count), APP_OK);
    assert_int_equal(count, 1);
    assert_int_equal(hits[0].post.id, post);
    assert_int_equal(forum_search(f->store, &p.olu_c, "read", 0, &f->arena, &hits, &count), APP_OK);
    assert_int_equal(count, 0);
    errors_free(&errors);
}

static void a_digest_lists_yesterdays_posts_once_a_day(void **state)
{
    struct fixture *f = *state;
    box_count = 0;
    struct people p;
    people_make(f, &p);
    int64_t forum = cohort_forum(f, &p.pat_c, p.cohort);
    struct accounts_env env = env_at(f, f->now);
    assert_int_equal(forum_subscribe(&env, &p.sam_c, forum, FORUM_DAILY_DIGEST), APP_OK);
    struct errors errors = ERRORS_INIT;
    int64_t thread, post;
    assert_int_equal(
        forum_thread_start(&env, &p.pat_c, forum, "Evidence", "How do you weigh visits?", &thread, &post, &errors),
        APP_OK);
    assert_int_equal(mails(f, p.sam_email, "New post", f->now, NULL), 0);

    size_t sent = 9;
    /* The same day: the post waits for tomorrow's digest. */
    assert_int_equal(forum_digests_run(f->store, "https://npq.example.org", f->now + 3600, &sent), APP_OK);
    assert_int_equal(sent, 0);
    /* Tomorrow: one digest, and only one however often the notifier looks. */
    int64_t tomorrow = f->now + DAY;
    assert_int_equal(forum_digests_run(f->store, "https://npq.example.org", tomorrow, &sent), APP_OK);
    assert_int_equal(sent, 1);
    assert_int_equal(forum_digests_run(f->store, "https://npq.example.org", tomorrow + 60, &sent), APP_OK);
    assert_int_equal(sent, 0);
    const char *body = NULL;
    assert_int_equal(mails(f, p.sam_email, "Forum digest: 1 new post", tomorrow + 60, &body), 1);
    assert_non_null(strstr(body, "Evidence, by Pat Smith"));
    /* The day after, nothing new: no digest. A reply today goes in the next one only. */
    struct accounts_env later = env_at(f, tomorrow + 120);
    assert_int_equal(forum_reply(&later, &p.pat_c, thread, "Also books.", &post, &errors), APP_OK);
    assert_int_equal(forum_digests_run(f->store, "https://npq.example.org", tomorrow + 180, &sent), APP_OK);
    assert_int_equal(sent, 0);
    assert_int_equal(forum_digests_run(f->store, "https://npq.example.org", tomorrow + DAY, &sent), APP_OK);
    assert_int_equal(sent, 1);
    assert_int_equal(mails(f, p.sam_email, "Forum digest: 1 new post", tomorrow + DAY, &body), 1);
    assert_non_null(strstr(body, "Also books."));
    assert_null(strstr(body, "How do you weigh"));
    errors_free(&errors);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(each_post_tells_members_who_follow_and_nobody_else, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(a_digest_lists_yesterdays_posts_once_a_day, fixture_setup, fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
