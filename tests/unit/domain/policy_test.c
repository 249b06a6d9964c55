/*
 * The policy as a table: (role held, what the store found about the record, permission, kind of
 * record) -> allowed or not. Each row is one decision a person relies on, written down apart from
 * policy.c: the circle that sees a person, a partner's records for its lead, a relation that
 * counts only with its role (a facilitator whose role was revoked is nobody to their old cohort),
 * sponsors who must be headteachers, and records outside the caller's scope refused like missing
 * ones. A row that no longer holds fails with its line.
 */
#include "../test_support.h"

#include "domain/policy.h"

#include <stdio.h>

enum { NOBODY = -1 };

/* The facts, by name, so a row reads as what it means. */
/* Nothing but that the record exists. */
#define UNRELATED .is_self = false
#define SELF .is_self = true
#define COACHED .coached = true
#define MENTORED .mentored = true
#define AT_SCHOOL .at_own_school = true
#define IN_PARTNER .in_own_partner = true
#define SPONSOR .sponsor = true
#define PARTNER .partner_record = true
#define FACILITATES .facilitates = true
#define COHORT_COACH .cohort_coach = true
#define IN_COHORT .in_cohort = true

struct row {
    int line;
    int role; /* the one role the caller holds, NOBODY for an anonymous caller */
    struct relation relation;
    enum permission permission;
    enum resource resource;
    bool allowed;
};

#define ROW(role, permission, resource, allowed, ...)                                                                  \
    {                                                                                                                  \
        __LINE__, role, {.exists = true, __VA_ARGS__}, permission, resource, allowed                                   \
    }
#define MISSING(role, permission, resource)                                                                            \
    {                                                                                                                  \
        __LINE__, role, {.exists = false}, permission, resource, false                                                 \
    }

static const struct row rows[] = {
    /* People: themselves, their coach, mentor, headteacher, and the lead of a partner they work in. */
    ROW(ROLE_PARTICIPANT, PERM_USERS_READ, RESOURCE_USER, true, SELF),
    ROW(ROLE_PARTICIPANT, PERM_USERS_READ, RESOURCE_USER, false, UNRELATED),
    ROW(ROLE_COACH, PERM_USERS_READ, RESOURCE_USER, true, COACHED),
    ROW(ROLE_COACH, PERM_USERS_READ, RESOURCE_USER, false, MENTORED),
    ROW(ROLE_MENTOR, PERM_USERS_READ, RESOURCE_USER, true, MENTORED),
    ROW(ROLE_MENTOR, PERM_USERS_READ, RESOURCE_USER, false, COACHED),
    ROW(ROLE_HEADTEACHER, PERM_USERS_READ, RESOURCE_USER, true, AT_SCHOOL),
    ROW(ROLE_PARTICIPANT, PERM_USERS_READ, RESOURCE_USER, false, AT_SCHOOL), /* a colleague, not their head */
    ROW(ROLE_PARTNER_LEAD, PERM_USERS_READ, RESOURCE_USER, true, IN_PARTNER),
    ROW(ROLE_FACILITATOR, PERM_USERS_READ, RESOURCE_USER, false, IN_PARTNER),
    ROW(ROLE_ADMIN, PERM_USERS_READ, RESOURCE_USER, true, UNRELATED),
    ROW(ROLE_PARTNER_LEAD, PERM_USERS_MANAGE, RESOURCE_USER, false, IN_PARTNER),
    ROW(ROLE_ADMIN, PERM_USERS_MANAGE, RESOURCE_USER, true, UNRELATED),
    MISSING(ROLE_ADMIN, PERM_USERS_READ, RESOURCE_USER),
    ROW(NOBODY, PERM_USERS_READ, RESOURCE_USER, false, SELF),

    /* Tokens: their owner and administrators. */
    ROW(ROLE_PARTICIPANT, PERM_SIGNED_IN, RESOURCE_TOKEN, true, SELF),
    ROW(ROLE_COACH, PERM_SIGNED_IN, RESOURCE_TOKEN, false, COACHED),
    ROW(ROLE_ADMIN, PERM_SIGNED_IN, RESOURCE_TOKEN, true, UNRELATED),

    /* Applications: the person's circle, the named sponsor, the preferred partner's lead. */
    ROW(ROLE_PARTICIPANT, PERM_APPLICATIONS, RESOURCE_APPLICATION, true, SELF),
    ROW(ROLE_PARTICIPANT, PERM_APPLICATIONS, RESOURCE_APPLICATION, false, UNRELATED),
    ROW(ROLE_HEADTEACHER, PERM_APPLICATIONS, RESOURCE_APPLICATION, true, AT_SCHOOL),
    ROW(ROLE_PARTNER_LEAD, PERM_APPLICATIONS, RESOURCE_APPLICATION, true, PARTNER),
    ROW(ROLE_FACILITATOR, PERM_APPLICATIONS, RESOURCE_APPLICATION, false, PARTNER),
    ROW(ROLE_COACH, PERM_APPLICATIONS, RESOURCE_APPLICATION, true, COACHED),

    /* Enrolments: seen by the circle and the cohort's partner lead; managed by that lead. */
    ROW(ROLE_PARTNER_LEAD, PERM_ENROLMENTS_READ, RESOURCE_ENROLMENT, true, PARTNER),
    ROW(ROLE_PARTNER_LEAD, PERM_ENROLMENTS_MANAGE, RESOURCE_ENROLMENT, true, PARTNER),
    ROW(ROLE_PARTNER_LEAD, PERM_ENROLMENTS_MANAGE, RESOURCE_ENROLMENT, false, IN_PARTNER), /* not their cohort */
    ROW(ROLE_PARTNER_LEAD, PERM_ENROLMENTS_MANAGE, RESOURCE_ENROLMENT, false, UNRELATED),
    ROW(ROLE_PARTICIPANT, PERM_ENROLMENTS_MANAGE, RESOURCE_ENROLMENT, false, SELF),
    ROW(ROLE_ADMIN, PERM_ENROLMENTS_MANAGE, RESOURCE_ENROLMENT, true, UNRELATED),
    ROW(ROLE_HEADTEACHER, PERM_ENROLMENTS_READ, RESOURCE_ENROLMENT, true, AT_SCHOOL),
    ROW(ROLE_MENTOR, PERM_ENROLMENTS_READ, RESOURCE_ENROLMENT, false, COACHED),

    /* The learning log: the circle, and the cohort's facilitators while they hold the role. */
    ROW(ROLE_FACILITATOR, PERM_ACTIVITIES, RESOURCE_ENROLMENT, true, FACILITATES),
    ROW(ROLE_PARTICIPANT, PERM_ACTIVITIES, RESOURCE_ENROLMENT, false, FACILITATES), /* role revoked */
    ROW(ROLE_COACH, PERM_ACTIVITIES, RESOURCE_ENROLMENT, false, FACILITATES),
    ROW(ROLE_COACH, PERM_ACTIVITIES, RESOURCE_ENROLMENT, true, COACHED),
    ROW(ROLE_PARTICIPANT, PERM_ACTIVITIES, RESOURCE_ENROLMENT, true, SELF),

    /* Venues: anyone signed in reads them; their partner's lead changes them. */
    ROW(ROLE_PARTICIPANT, PERM_DELIVERY_READ, RESOURCE_VENUE, true, UNRELATED),
    ROW(ROLE_PARTNER_LEAD, PERM_DELIVERY_MANAGE, RESOURCE_VENUE, true, PARTNER),
    ROW(ROLE_PARTNER_LEAD, PERM_DELIVERY_MANAGE, RESOURCE_VENUE, false, UNRELATED),

    /* Cohorts and events: staff, coaches and participants read; the partner's lead manages. */
    ROW(ROLE_PARTNER_LEAD, PERM_DELIVERY_MANAGE, RESOURCE_COHORT, true, PARTNER),
    ROW(ROLE_PARTNER_LEAD, PERM_DELIVERY_MANAGE, RESOURCE_COHORT, false, UNRELATED),
    ROW(ROLE_PARTNER_LEAD, PERM_DELIVERY_READ, RESOURCE_COHORT, false, UNRELATED),  /* another partner's */
    ROW(ROLE_PARTNER_LEAD, PERM_ENROLMENTS_MANAGE, RESOURCE_COHORT, true, PARTNER), /* resume into it */
    ROW(ROLE_PARTNER_LEAD, PERM_ENROLMENTS_MANAGE, RESOURCE_COHORT, false, UNRELATED),
    ROW(ROLE_FACILITATOR, PERM_DELIVERY_MANAGE, RESOURCE_COHORT, false, FACILITATES),
    ROW(ROLE_FACILITATOR, PERM_DELIVERY_READ, RESOURCE_COHORT, true, FACILITATES),
    ROW(ROLE_PARTICIPANT, PERM_DELIVERY_READ, RESOURCE_COHORT, false, FACILITATES), /* staff row, role revoked */
    ROW(ROLE_COACH, PERM_DELIVERY_READ, RESOURCE_COHORT, true, COHORT_COACH),
    ROW(ROLE_PARTICIPANT, PERM_DELIVERY_READ, RESOURCE_COHORT, false, COHORT_COACH),
    ROW(ROLE_PARTICIPANT, PERM_DELIVERY_READ, RESOURCE_COHORT, true, IN_COHORT),
    ROW(ROLE_FACILITATOR, PERM_ATTENDANCE, RESOURCE_EVENT, true, FACILITATES),
    ROW(ROLE_FACILITATOR, PERM_ATTENDANCE, RESOURCE_EVENT, false, UNRELATED),
    ROW(ROLE_COACH, PERM_ATTENDANCE, RESOURCE_EVENT, false, COHORT_COACH),
    ROW(ROLE_PARTNER_LEAD, PERM_ATTENDANCE, RESOURCE_EVENT, true, PARTNER),
    ROW(ROLE_PARTICIPANT, PERM_BOOKING, RESOURCE_EVENT, true, IN_COHORT),
    ROW(ROLE_PARTICIPANT, PERM_BOOKING, RESOURCE_EVENT, false, UNRELATED),
    ROW(ROLE_FACILITATOR, PERM_BOOKING, RESOURCE_EVENT, false, FACILITATES),
    ROW(ROLE_ADMIN, PERM_BOOKING, RESOURCE_EVENT, true, UNRELATED),
    MISSING(ROLE_ADMIN, PERM_DELIVERY_READ, RESOURCE_EVENT),

    /* Coaching sessions: its coach, its participant, administrators. */
    ROW(ROLE_COACH, PERM_COACHING, RESOURCE_COACHING_SESSION, true, COHORT_COACH),
    ROW(ROLE_PARTICIPANT, PERM_COACHING, RESOURCE_COACHING_SESSION, false, COHORT_COACH), /* no longer a coach */
    ROW(ROLE_PARTICIPANT, PERM_COACHING, RESOURCE_COACHING_SESSION, true, SELF),
    ROW(ROLE_COACH, PERM_COACHING, RESOURCE_COACHING_SESSION, false, COACHED),
    ROW(ROLE_ADMIN, PERM_COACHING, RESOURCE_COACHING_SESSION, true, UNRELATED),

    /* Submissions: the participant, their coach, assessors, administrators; marking is assessors'. */
    ROW(ROLE_PARTICIPANT, PERM_SUBMISSIONS, RESOURCE_SUBMISSION, true, SELF),
    ROW(ROLE_PARTICIPANT, PERM_SUBMISSIONS, RESOURCE_SUBMISSION, false, UNRELATED),
    ROW(ROLE_COACH, PERM_SUBMISSIONS, RESOURCE_SUBMISSION, true, COACHED),
    ROW(ROLE_MENTOR, PERM_SUBMISSIONS, RESOURCE_SUBMISSION, false, MENTORED),
    ROW(ROLE_HEADTEACHER, PERM_SUBMISSIONS, RESOURCE_SUBMISSION, false, AT_SCHOOL),
    ROW(ROLE_ASSESSOR, PERM_SUBMISSIONS, RESOURCE_SUBMISSION, true, UNRELATED),
    ROW(ROLE_ASSESSOR, PERM_MARKING, RESOURCE_SUBMISSION, true, UNRELATED),
    ROW(ROLE_COACH, PERM_MARKING, RESOURCE_SUBMISSION, false, COACHED),
    ROW(ROLE_ASSESSOR, PERM_ASSESSMENT_MANAGE, RESOURCE_SUBMISSION, false, UNRELATED),

    /* Assignments, tasks and awards, the kinds of record the routes name too. */
    ROW(ROLE_ADMIN, PERM_USERS_MANAGE, RESOURCE_ASSIGNMENT, true, UNRELATED),
    ROW(ROLE_COACH, PERM_USERS_MANAGE, RESOURCE_ASSIGNMENT, false, SELF),
    MISSING(ROLE_ADMIN, PERM_USERS_MANAGE, RESOURCE_ASSIGNMENT),
    ROW(ROLE_PARTICIPANT, PERM_SUBMISSIONS, RESOURCE_TASK, true, UNRELATED),
    ROW(ROLE_ASSESSOR, PERM_ASSESSMENT_MANAGE, RESOURCE_TASK, false, UNRELATED),
    MISSING(ROLE_PARTICIPANT, PERM_SUBMISSIONS, RESOURCE_TASK),
    ROW(ROLE_PARTICIPANT, PERM_SIGNED_IN, RESOURCE_AWARD, true, SELF),
    ROW(ROLE_PARTICIPANT, PERM_SIGNED_IN, RESOURCE_AWARD, false, UNRELATED),
    ROW(ROLE_COACH, PERM_SIGNED_IN, RESOURCE_AWARD, false, COACHED), /* they see the person, not the award */
    ROW(ROLE_ADMIN, PERM_SIGNED_IN, RESOURCE_AWARD, true, UNRELATED),
    ROW(NOBODY, PERM_SIGNED_IN, RESOURCE_AWARD, false, SELF),

    /* Organisations are read by role alone. */
    ROW(ROLE_PARTNER_LEAD, PERM_ORGANISATIONS_READ, RESOURCE_ORGANISATION, true, UNRELATED),
    ROW(ROLE_FACILITATOR, PERM_ORGANISATIONS_READ, RESOURCE_ORGANISATION, false, UNRELATED),
    ROW(ROLE_PARTNER_LEAD, PERM_ORGANISATIONS_MANAGE, RESOURCE_ORGANISATION, false, UNRELATED),

    /* Progress lists: those who watch over participants; the store scopes whom each sees. */
    ROW(ROLE_ADMIN, PERM_PROGRESS_READ, RESOURCE_NONE, true, UNRELATED),
    ROW(ROLE_PARTNER_LEAD, PERM_PROGRESS_READ, RESOURCE_NONE, true, UNRELATED),
    ROW(ROLE_HEADTEACHER, PERM_PROGRESS_READ, RESOURCE_NONE, true, UNRELATED),
    ROW(ROLE_MENTOR, PERM_PROGRESS_READ, RESOURCE_NONE, true, UNRELATED),
    ROW(ROLE_COACH, PERM_PROGRESS_READ, RESOURCE_NONE, true, UNRELATED),
    ROW(ROLE_PARTICIPANT, PERM_PROGRESS_READ, RESOURCE_NONE, false, SELF),
    ROW(ROLE_FACILITATOR, PERM_PROGRESS_READ, RESOURCE_NONE, false, UNRELATED),
    ROW(ROLE_ASSESSOR, PERM_PROGRESS_READ, RESOURCE_NONE, false, UNRELATED),
    ROW(NOBODY, PERM_PROGRESS_READ, RESOURCE_NONE, false, UNRELATED),

    /* Support plans: read by the participant's circle and cohort staff, agreed by those who support them. */
    ROW(ROLE_PARTICIPANT, PERM_SUPPORT_READ, RESOURCE_ENROLMENT, true, SELF),
    ROW(ROLE_MENTOR, PERM_SUPPORT_READ, RESOURCE_ENROLMENT, true, MENTORED),
    ROW(ROLE_FACILITATOR, PERM_SUPPORT_READ, RESOURCE_ENROLMENT, true, .facilitates = true),
    ROW(ROLE_PARTICIPANT, PERM_SUPPORT_READ, RESOURCE_ENROLMENT, false, UNRELATED),
    ROW(ROLE_PARTICIPANT, PERM_SUPPORT_MANAGE, RESOURCE_ENROLMENT, false, SELF),
    ROW(ROLE_MENTOR, PERM_SUPPORT_MANAGE, RESOURCE_ENROLMENT, false, MENTORED),
    ROW(ROLE_HEADTEACHER, PERM_SUPPORT_MANAGE, RESOURCE_ENROLMENT, false, AT_SCHOOL),
    ROW(ROLE_COACH, PERM_SUPPORT_MANAGE, RESOURCE_ENROLMENT, true, COACHED),
    ROW(ROLE_COACH, PERM_SUPPORT_MANAGE, RESOURCE_ENROLMENT, false, UNRELATED),
    ROW(ROLE_FACILITATOR, PERM_SUPPORT_MANAGE, RESOURCE_ENROLMENT, true, .facilitates = true),
    ROW(ROLE_FACILITATOR, PERM_SUPPORT_MANAGE, RESOURCE_ENROLMENT, false, IN_PARTNER),
    ROW(ROLE_PARTNER_LEAD, PERM_SUPPORT_MANAGE, RESOURCE_ENROLMENT, true, .partner_record = true),
    ROW(ROLE_ADMIN, PERM_SUPPORT_MANAGE, RESOURCE_ENROLMENT, true, UNRELATED),
};

static struct caller caller_with(int role)
{
    return (struct caller){.user_id = 7, .roles = role == NOBODY ? 0 : 1u << role};
}

static void every_row_of_the_table_holds(void **state)
{
    (void)state;
    size_t wrong = 0;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const struct row *r = &rows[i];
        struct caller c = caller_with(r->role);
        bool allowed = policy_allows(r->permission, r->role == NOBODY ? NULL : &c, r->resource, &r->relation);
        if (allowed != r->allowed) {
            fprintf(stderr, "policy_test.c:%d: %s %s on a %s: %s, expected %s\n", r->line,
                    r->role == NOBODY ? "anonymous" : role_name((enum role)r->role), permission_name(r->permission),
                    resource_name(r->resource), allowed ? "allowed" : "refused", r->allowed ? "allowed" : "refused");
            wrong++;
        }
    }
    assert_int_equal(wrong, 0);
}

/* A record the route names is never decided without the store's facts about it. */
static void a_record_without_facts_is_refused(void **state)
{
    (void)state;
    struct caller admin = caller_with(ROLE_ADMIN);
    for (int k = RESOURCE_USER; k < RESOURCE_COUNT; k++)
        assert_false(policy_allows(PERM_USERS_READ, &admin, (enum resource)k, NULL));
}

/* Every kind of record has a name for `npq routes`, and every permission one for OpenAPI. */
static void every_kind_and_permission_has_a_name(void **state)
{
    (void)state;
    for (int k = 0; k < RESOURCE_COUNT; k++)
        assert_string_not_equal(resource_name((enum resource)k), "unknown");
    for (int p = 0; p < PERM_COUNT; p++)
        assert_string_not_equal(permission_name((enum permission)p), "unknown");
}

/* Steps of an application: the named sponsor approves only while a headteacher (or an
 * administrator); naming anyone else sponsor gives them nothing. */
struct step_row {
    int line;
    int role;
    struct relation relation;
    enum application_step step;
    bool allowed;
};

#define STEP(role, step, allowed, ...)                                                                                 \
    {                                                                                                                  \
        __LINE__, role, {.exists = true, __VA_ARGS__}, step, allowed                                                   \
    }

static const struct step_row steps[] = {
    STEP(ROLE_PARTICIPANT, STEP_SUBMIT, true, SELF),
    STEP(ROLE_PARTICIPANT, STEP_SUBMIT, false, SPONSOR),
    STEP(ROLE_HEADTEACHER, STEP_APPROVE, true, SPONSOR, AT_SCHOOL),
    STEP(ROLE_HEADTEACHER, STEP_DECLINE, true, SPONSOR, AT_SCHOOL),
    STEP(ROLE_PARTICIPANT, STEP_APPROVE, false, SPONSOR, AT_SCHOOL), /* a colleague named sponsor */
    STEP(ROLE_HEADTEACHER, STEP_APPROVE, false, AT_SCHOOL),          /* the head, not named */
    STEP(ROLE_ADMIN, STEP_APPROVE, true, UNRELATED),
    STEP(ROLE_HEADTEACHER, STEP_ACCEPT, false, SPONSOR, AT_SCHOOL),
    STEP(ROLE_ADMIN, STEP_ENROL, true, UNRELATED),
    STEP(ROLE_PARTNER_LEAD, STEP_ENROL, false, PARTNER),
};

static void every_step_of_the_table_holds(void **state)
{
    (void)state;
    size_t wrong = 0;
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        const struct step_row *r = &steps[i];
        struct caller c = caller_with(r->role);
        bool allowed = policy_application_step(r->step, &c, &r->relation);
        if (allowed != r->allowed) {
            fprintf(stderr, "policy_test.c:%d: %s taking step %d: %s, expected %s\n", r->line,
                    role_name((enum role)r->role), (int)r->step, allowed ? "allowed" : "refused",
                    r->allowed ? "allowed" : "refused");
            wrong++;
        }
    }
    assert_int_equal(wrong, 0);
}

/* The decisions the forms and use cases ask besides the gate. */
static void verifying_hours_is_for_the_people_responsible_never_oneself(void **state)
{
    (void)state;
    struct caller coach = caller_with(ROLE_COACH), facilitator = caller_with(ROLE_FACILITATOR),
                  participant = caller_with(ROLE_PARTICIPANT), admin = caller_with(ROLE_ADMIN),
                  lead = caller_with(ROLE_PARTNER_LEAD);
    assert_true(policy_may_verify_hours(&coach, &(struct relation){.exists = true, COACHED}));
    assert_false(policy_may_verify_hours(&coach, &(struct relation){.exists = true}));
    assert_true(policy_may_verify_hours(&facilitator, &(struct relation){.exists = true, FACILITATES}));
    assert_false(policy_may_verify_hours(&participant, &(struct relation){.exists = true, FACILITATES}));
    assert_true(policy_may_verify_hours(&lead, &(struct relation){.exists = true, PARTNER}));
    assert_false(policy_may_verify_hours(&lead, &(struct relation){.exists = true, IN_PARTNER}));
    assert_true(policy_may_verify_hours(&admin, &(struct relation){.exists = true}));
    /* An administrator's own log is theirs to keep, not to verify. */
    admin.roles |= 1u << ROLE_PARTICIPANT;
    assert_false(policy_may_verify_hours(&admin, &(struct relation){.exists = true, SELF}));
}

static void a_partner_lead_names_only_their_own_partners_facilitators(void **state)
{
    (void)state;
    struct caller lead = caller_with(ROLE_PARTNER_LEAD), admin = caller_with(ROLE_ADMIN),
                  facilitator = caller_with(ROLE_FACILITATOR);
    struct relation theirs = {.exists = true, IN_PARTNER}, elsewhere = {.exists = true};
    assert_true(policy_may_name_staff(&lead, &theirs, ROLE_FACILITATOR));
    assert_false(policy_may_name_staff(&lead, &elsewhere, ROLE_FACILITATOR));
    assert_true(policy_may_name_staff(&lead, &elsewhere, ROLE_COACH)); /* coaches belong to no partner */
    assert_true(policy_may_name_staff(&admin, &elsewhere, ROLE_FACILITATOR));
    assert_false(policy_may_name_staff(&facilitator, &theirs, ROLE_FACILITATOR));
    /* A record not made yet (a venue) names its partner by id. */
    struct role_grant grant = {.role = ROLE_PARTNER_LEAD, .organisation_id = 5};
    lead.grants = &grant;
    lead.grant_count = 1;
    assert_true(policy_leads_partner(&lead, 5));
    assert_false(policy_leads_partner(&lead, 6));
    grant.role = ROLE_FACILITATOR;
    assert_false(policy_leads_partner(&lead, 5));
}

static void awards_and_changes_are_for_the_person_and_administrators(void **state)
{
    (void)state;
    struct caller participant = caller_with(ROLE_PARTICIPANT), coach = caller_with(ROLE_COACH),
                  admin = caller_with(ROLE_ADMIN);
    struct relation self = {.exists = true, SELF}, coachee = {.exists = true, COACHED};
    assert_true(policy_sees_awards(&participant, &self));
    assert_false(policy_sees_awards(&coach, &coachee));
    assert_true(policy_sees_awards(&admin, &coachee));
    assert_true(policy_may_change_application(&participant, &self));
    assert_false(policy_may_change_application(&coach, &coachee));
    assert_false(policy_acts_for_others(&coach));
    assert_true(policy_acts_for_others(&admin));
    assert_false(policy_is_self(NULL, &self));
}

/* A coaching session: the coach (while a coach) changes it and writes notes; the pair record
 * actions; private notes are never the participant's, even an administrator's own session's. */
static void a_coaching_session_belongs_to_its_coach_and_participant(void **state)
{
    (void)state;
    struct caller coach = caller_with(ROLE_COACH), participant = caller_with(ROLE_PARTICIPANT),
                  admin = caller_with(ROLE_ADMIN), former = caller_with(ROLE_ASSESSOR);
    struct relation coaches = {.exists = true, COHORT_COACH}, own = {.exists = true, SELF}, none = {.exists = true};
    assert_true(policy_may_change_session(&coach, &coaches));
    assert_false(policy_may_change_session(&participant, &own));
    assert_false(policy_may_change_session(&former, &coaches)); /* their coach role revoked */
    assert_true(policy_may_change_session(&admin, &none));
    assert_true(policy_may_cancel_session(&coach, &coaches));
    assert_true(policy_may_cancel_session(&participant, &own)); /* they may book one, so call it off */
    assert_true(policy_may_cancel_session(&admin, &none));
    assert_false(policy_may_cancel_session(&former, &coaches));
    assert_false(policy_may_cancel_session(&participant, &none)); /* someone else's session */
    assert_true(policy_is_session_pair(&coach, &coaches));
    assert_true(policy_is_session_pair(&participant, &own));
    assert_false(policy_is_session_pair(&admin, &none));
    assert_true(policy_reads_private_notes(&coach, &coaches));
    assert_true(policy_reads_private_notes(&admin, &none));
    assert_false(policy_reads_private_notes(&participant, &own));
    admin.roles |= 1u << ROLE_PARTICIPANT;
    assert_false(policy_reads_private_notes(&admin, &own));
    assert_true(policy_may_log_hours(&participant, &own));
    assert_false(policy_may_log_hours(&coach, &(struct relation){.exists = true, COACHED}));
}

static void the_navigation_shows_each_role_its_areas(void **state)
{
    (void)state;
    struct caller mentor = caller_with(ROLE_MENTOR), assessor = caller_with(ROLE_ASSESSOR),
                  facilitator = caller_with(ROLE_FACILITATOR);
    assert_true(policy_works_in(&mentor, AREA_PEOPLE));
    assert_false(policy_works_in(&mentor, AREA_DELIVERY));
    assert_true(policy_works_in(&assessor, AREA_ASSESSMENT));
    assert_false(policy_works_in(&assessor, AREA_COACHING));
    assert_true(policy_works_in(&facilitator, AREA_DELIVERY));
    assert_false(policy_works_in(&facilitator, AREA_PEOPLE));
    assert_false(policy_works_in(NULL, AREA_ASSESSMENT));
}

static void only_the_schools_headteacher_or_an_administrator_may_be_named_sponsor(void **state)
{
    (void)state;
    enum { SCHOOL = 7, OTHER_SCHOOL = 8 };
    struct role_grant head = {.role = ROLE_HEADTEACHER, .organisation_id = SCHOOL}, admin = {.role = ROLE_ADMIN},
                      participant = {.role = ROLE_PARTICIPANT};
    struct role_grant two[] = {{.role = ROLE_PARTICIPANT}, {.role = ROLE_HEADTEACHER, .organisation_id = SCHOOL}};
    assert_true(policy_may_sponsor(&(struct user){.active = true, .roles = &head, .role_count = 1}, SCHOOL));
    assert_true(policy_may_sponsor(&(struct user){.active = true, .roles = two, .role_count = 2}, SCHOOL));
    assert_false(policy_may_sponsor(&(struct user){.active = true, .roles = &head, .role_count = 1}, OTHER_SCHOOL));
    assert_false(policy_may_sponsor(&(struct user){.active = true, .roles = &head, .role_count = 1}, 0));
    assert_true(policy_may_sponsor(&(struct user){.active = true, .roles = &admin, .role_count = 1}, SCHOOL));
    assert_true(policy_may_sponsor(&(struct user){.active = true, .roles = &admin, .role_count = 1}, 0));
    assert_false(policy_may_sponsor(&(struct user){.active = true, .roles = &participant, .role_count = 1}, SCHOOL));
    assert_false(policy_may_sponsor(&(struct user){.active = false, .roles = &head, .role_count = 1}, SCHOOL));
    assert_false(policy_may_sponsor(NULL, SCHOOL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_row_of_the_table_holds),
        cmocka_unit_test(a_record_without_facts_is_refused),
        cmocka_unit_test(every_kind_and_permission_has_a_name),
        cmocka_unit_test(every_step_of_the_table_holds),
        cmocka_unit_test(verifying_hours_is_for_the_people_responsible_never_oneself),
        cmocka_unit_test(a_partner_lead_names_only_their_own_partners_facilitators),
        cmocka_unit_test(awards_and_changes_are_for_the_person_and_administrators),
        cmocka_unit_test(only_the_schools_headteacher_or_an_administrator_may_be_named_sponsor),
        cmocka_unit_test(a_coaching_session_belongs_to_its_coach_and_participant),
        cmocka_unit_test(the_navigation_shows_each_role_its_areas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
