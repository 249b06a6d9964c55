/*
 * Who may do what: the one authorization policy of npq, denied by default.
 *
 * Every route names a permission and, when its first URL parameter is a record's id, the kind of
 * record it is. The gate asks the store once for the facts about that record relative to the
 * caller (store_relation: is it theirs, their coachee's, in a cohort they facilitate...), asks
 * policy_allows, and leaves the facts in request->relation for the handler. Each answer is a pure
 * function of the caller's roles and of those facts, written as the named predicates below
 * (policy_is_coach_of...), which use cases, pages and forms ask too: nothing else in the code
 * compares a caller's id or roles to decide who may. Lists are filtered by the same scopes in the
 * store's queries.
 */
#ifndef NPQ_DOMAIN_POLICY_H
#define NPQ_DOMAIN_POLICY_H

#include "domain/account.h"
#include "domain/enrolment.h"
#include "domain/forum.h"
#include "domain/search.h"

#include <stdbool.h>
#include <stdint.h>

enum permission {
    PERM_PUBLIC,               /* anyone, signed in or not: catalogue, health, assets, sign-in */
    PERM_SIGNED_IN,            /* any signed-in person: their own account, their own tokens */
    PERM_USERS_READ,           /* people within the caller's scope (see policy_allows) */
    PERM_USERS_MANAGE,         /* invite people, grant and revoke roles, deactivate: admins */
    PERM_ORGANISATIONS_READ,   /* schools, trusts and partners: admins and partner leads */
    PERM_ORGANISATIONS_MANAGE, /* create and change organisations, bulk imports: admins */
    PERM_AUDIT_READ,           /* the audit log: admins */
    PERM_APPLICATIONS,         /* applications the caller may see (their own, sponsored, scoped) */
    PERM_ENROLMENTS_READ,      /* enrolments of people in the caller's scope */
    PERM_ENROLMENTS_MANAGE,    /* defer, withdraw, resume, enrol, record completions: admins, partner leads */
    PERM_COHORTS_READ,         /* cohorts: every signed-in person */
    PERM_PROGRAMME_MANAGE,     /* cohorts, fees, reports: admins */
    PERM_DELIVERY_READ,        /* venues, cohorts' plans and events: scoped to the caller's cohorts */
    PERM_DELIVERY_MANAGE,      /* venues, cohort staff, events: admins; partner leads for their partner */
    PERM_ATTENDANCE,           /* take or correct a register: the event's facilitator, partner lead, admins */
    PERM_BOOKING,              /* book or cancel a place: participants of the cohort, admins */
    PERM_COACHING,             /* coaching sessions, notes, actions: the coach and the participant, admins */
    PERM_ACTIVITIES,           /* the learning-hours log: the participant, their coach, facilitators, admins */
    PERM_SUBMISSIONS,          /* a participant's work: the participant, their coach, assessors, admins */
    PERM_MARKING,              /* marking and moderating: assessors and admins */
    PERM_ASSESSMENT_MANAGE,    /* tasks, releasing results, awards, credits: admins */
    PERM_CONTENT_READ,         /* the content library: every signed-in person (variants scoped by app/content.c) */
    PERM_CONTENT_MANAGE,       /* items and units: admins; local variants: partner leads for their partner */
    PERM_FORUMS,               /* learning communities: their members (domain/forum.h) */
    PERM_FORUMS_MODERATE,      /* hide, lock, pin, the report queue: a forum's moderators */
    PERM_PROGRESS_READ,        /* progress lists and dashboards: admins, partner leads, headteachers, mentors,
                                  coaches, each over whom they watch (scoped by the store's queries) */
    PERM_SUPPORT_READ,         /* a participant's support plan: the participant, their circle, facilitators, lead */
    PERM_SUPPORT_MANAGE,       /* agree a support plan: admins, the partner's lead, the coach, facilitators */
    PERM_COUNT
};

/* The kind of record a route touches, whose id is in one of its URL parameters. */
enum resource {
    RESOURCE_NONE,
    RESOURCE_USER,
    RESOURCE_TOKEN,
    RESOURCE_ORGANISATION,
    RESOURCE_APPLICATION,
    RESOURCE_ENROLMENT,
    RESOURCE_VENUE,
    RESOURCE_COHORT,
    RESOURCE_EVENT,
    RESOURCE_COACHING_SESSION,
    RESOURCE_SUBMISSION,
    RESOURCE_ASSIGNMENT,   /* a coach or mentor named for a participant */
    RESOURCE_TASK,         /* an assessment task */
    RESOURCE_AWARD,        /* an award: the facts are those of the person awarded */
    RESOURCE_CONTENT_ITEM, /* an item of the content library: whose variant is shown is app/content.c's */
    RESOURCE_FORUM,        /* a learning community: the facts are the caller's standing in it */
    RESOURCE_FORUM_THREAD, /* a thread: its forum's facts */
    RESOURCE_FORUM_POST,   /* a post: its forum's facts, whether it is hidden, whether the caller wrote it */
    RESOURCE_FORUM_REPORT, /* a report of a post: the post's forum's facts */
    RESOURCE_COUNT
};

/* The signed-in person making a request. */
struct caller {
    int64_t user_id;
    const char *email;
    const char *name;
    unsigned roles; /* bit (1u << role) for each role held */
    const struct role_grant *grants;
    size_t grant_count;
    const struct user *user; /* the whole account, as GET /api/v1/me shows it */
};

/* What the store knows about a record relative to the caller. Facts only, never a decision: a
 * fact holds whatever roles the caller has now (a facilitator whose role was revoked may still be
 * on a cohort's staff), and the predicates below weigh it against the role it needs. */
struct relation {
    bool exists;
    bool is_self;        /* the record is the caller, or the caller's own (token, work, award, session) */
    bool coached;        /* the caller is the person's assigned coach */
    bool mentored;       /* the caller is the person's named mentor */
    bool at_own_school;  /* the person works at a school where the caller is headteacher */
    bool in_own_partner; /* the person holds a role in the caller's delivery partner */
    bool sponsor;        /* an application names the caller as its sponsor */
    bool partner_record; /* an application prefers, or an enrolment's cohort belongs to, the caller's partner */
    bool facilitates;    /* the caller facilitates the event, or works with the cohort as a facilitator */
    bool cohort_coach;   /* the caller is a coach of the cohort, or the coach of the coaching session */
    bool in_cohort;      /* the caller is a participant of the cohort (an enrolment in it) */
    /* For a forum and what is in it: which kind it is, and whether the post is hidden. The facts
     * above then speak of the forum's cohort or module: in_cohort is an enrolment in the cohort
     * (or in the module or a qualification with it), facilitates a place on a cohort's staff as
     * facilitator (of a cohort studying the module), cohort_coach coaching one of its participants
     * (or being on the cohort's staff as coach), partner_record leading the cohort's partner, and
     * is_self having written the post. */
    enum forum_kind forum_kind;
    bool post_hidden;
};

static inline bool caller_has(const struct caller *caller, enum role role)
{
    return caller != NULL && (caller->roles & (1u << role)) != 0;
}

/* "public", "users.read"...: the names the OpenAPI document and the tests use. */
const char *permission_name(enum permission permission);

/* "none", "user", "coaching_session"...: the names `npq routes` and the tests use. */
const char *resource_name(enum resource resource);

/*
 * Who the caller is to a record, each fact weighed against the role it needs. r describes the
 * record (or, for a person's records, the person); a NULL caller or r is nobody to anything.
 */
bool policy_is_admin(const struct caller *caller);
/* Assessors mark any participant's work. */
bool policy_is_assessor(const struct caller *caller);
/* The record is the caller, or the caller's own. */
bool policy_is_self(const struct caller *caller, const struct relation *r);
/* The person's assigned coach, mentor, or headteacher of their school, holding that role. */
bool policy_is_coach_of(const struct caller *caller, const struct relation *r);
bool policy_is_mentor_of(const struct caller *caller, const struct relation *r);
bool policy_is_headteacher_of(const struct caller *caller, const struct relation *r);
/* The record (application, enrolment, cohort, event, venue) belongs to a partner the caller leads. */
bool policy_is_partner_lead_of(const struct caller *caller, const struct relation *r);
/* The person holds a role in a partner the caller leads (one of the partner's own people). */
bool policy_leads_partner_of_person(const struct caller *caller, const struct relation *r);
/* The caller leads the delivery partner partner_id (for a record not yet made, such as a venue). */
bool policy_leads_partner(const struct caller *caller, int64_t partner_id);
/* A facilitator of the cohort or event (or of the cohort of an enrolment), holding the role. */
bool policy_is_facilitator_of(const struct caller *caller, const struct relation *r);
/* A coach on the cohort's staff, or the coach of the coaching session, holding the role. */
bool policy_is_cohort_coach_of(const struct caller *caller, const struct relation *r);
/* A participant of the cohort (or of the event's cohort): an enrolment in it. */
bool policy_is_participant_of(const struct caller *caller, const struct relation *r);
/* Named as the application's sponsor, and still one who may sponsor: a headteacher or an
 * administrator (being named gives nobody else anything). */
bool policy_is_sponsor_of(const struct caller *caller, const struct relation *r);
/* Whether a person may be named the sponsor of an application from school (0 when none is given
 * yet): an active administrator, or an active headteacher of that school (the role held with the
 * school as its scope). A headteacher of another school may not. */
bool policy_may_sponsor(const struct user *person, int64_t school_id);

/* Whether the caller may see the person r describes (the records of people: users, pathways). */
bool policy_sees_person(const struct caller *caller, const struct relation *r);
/* Whether the caller may see the person's awards and the addresses that verify them. */
bool policy_sees_awards(const struct caller *caller, const struct relation *r);
/* Whether the caller may change an application's answers: the applicant, or an administrator. */
bool policy_may_change_application(const struct caller *caller, const struct relation *r);
/* Whether the caller may act for another person where one acts for oneself (apply, book). */
bool policy_acts_for_others(const struct caller *caller);
/* Whether the caller may verify entries of an enrolment's learning log (never their own). */
bool policy_may_verify_hours(const struct caller *caller, const struct relation *r);
/* A coaching session (r as the gate loads it for one): its coach or an administrator changes its
 * time or place; they or its participant (who may book one with their coach) cancel it; the coach
 * alone writes its notes, the coach and the participant record its actions, and private notes are
 * read by the coach and administrators, never by the participant. */
bool policy_may_change_session(const struct caller *caller, const struct relation *r);
bool policy_may_cancel_session(const struct caller *caller, const struct relation *r);
bool policy_is_session_pair(const struct caller *caller, const struct relation *r);
bool policy_reads_private_notes(const struct caller *caller, const struct relation *r);
/* Whether the caller may write an enrolment's learning log: the participant, or an administrator. */
bool policy_may_log_hours(const struct caller *caller, const struct relation *r);
/* Whether the caller may agree a participant's support plan (r describes the enrolment): an
 * administrator, the lead of the cohort's partner, the participant's coach or a facilitator of
 * their cohort; never the participant alone. */
bool policy_may_plan_support(const struct caller *caller, const struct relation *r);

/* The areas of the service a person has work in, for the navigation: who is shown the way there
 * (anyone signed in may look; what they see is scoped). */
enum policy_area { AREA_DELIVERY, AREA_COACHING, AREA_ASSESSMENT, AREA_PEOPLE };
bool policy_works_in(const struct caller *caller, enum policy_area area);

/* Learning communities (r as the gate loads it for a forum, thread, post or report): who belongs
 * (forum_member), who moderates (forum_moderator), who sees a post (members; a hidden one only
 * its moderators) and who changes its text (its author, while a member). */
bool policy_is_forum_member(const struct caller *caller, const struct relation *r);
bool policy_moderates_forum(const struct caller *caller, const struct relation *r);
bool policy_sees_forum_post(const struct caller *caller, const struct relation *r);
bool policy_may_edit_forum_post(const struct caller *caller, const struct relation *r);

/* Search (app/search.c asks for each hit): statements are public; a forum post as
 * policy_sees_forum_post; an item to anyone holding a role other than participant, and to a
 * participant when r->in_cohort (they study a module it is tagged to, or it is tagged to none); a
 * local variant to administrators, and to others only when r->in_own_partner (the variant is of the
 * partner they work for or study with) and they would see its item. */
bool policy_sees_search_hit(const struct caller *caller, enum search_source source, const struct relation *r);

/* Whether the caller may name a person as a cohort's staff (or an event's facilitator) in role,
 * once the cohort is theirs to manage: person describes that person relative to the caller. */
bool policy_may_name_staff(const struct caller *caller, const struct relation *person, enum role role);

/*
 * Whether caller (NULL when not signed in) may use a route needing permission. For routes that
 * touch a record, relation describes it (NULL otherwise); a record outside the caller's scope is
 * refused exactly like one that does not exist.
 */
bool policy_allows(enum permission permission, const struct caller *caller, enum resource resource,
                   const struct relation *relation);

/* Steps of an application and who may take them: the applicant submits (or an administrator for
 * them), the named sponsor approves or declines, the provider (an administrator) accepts, rejects
 * and enrols. relation describes the application. */
bool policy_application_step(enum application_step step, const struct caller *caller, const struct relation *relation);

#endif
