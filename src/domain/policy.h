/*
 * Who may do what: the one authorization policy of npq, denied by default.
 *
 * Every route names a permission (and, when it touches one record, the kind of record and which
 * URL parameter holds its id). The gate asks policy_allows before the handler runs. The answer is
 * a pure function of the caller (their roles and scopes) and of facts about the record relative
 * to the caller, which the store looks up (store_relation_*). Lists are filtered by the same
 * scopes in the store's queries.
 */
#ifndef NPQ_DOMAIN_POLICY_H
#define NPQ_DOMAIN_POLICY_H

#include "domain/account.h"
#include "domain/enrolment.h"

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
    RESOURCE_SUBMISSION
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

/* What the store knows about a record relative to the caller. */
struct relation {
    bool exists;
    bool is_self;        /* the record is the caller (or, for a token, the caller's own) */
    bool coached;        /* the caller is the person's assigned coach */
    bool mentored;       /* the caller is the person's named mentor */
    bool at_own_school;  /* the person works at a school where the caller is headteacher */
    bool in_own_partner; /* the person holds a role in the caller's delivery partner */
    bool sponsor;        /* an application names the caller as its sponsor */
    bool partner_record; /* an application prefers, or an enrolment's cohort belongs to, the caller's partner */
    bool facilitates;    /* the caller facilitates the event, or works with the cohort as a facilitator */
    bool cohort_coach;   /* the caller is a coach of the cohort, or the coach of the coaching session */
    bool in_cohort;      /* the caller is a participant of the cohort (an enrolment in it) */
};

static inline bool caller_has(const struct caller *caller, enum role role)
{
    return caller != NULL && (caller->roles & (1u << role)) != 0;
}

/* "public", "users.read"...: the names the OpenAPI document and the tests use. */
const char *permission_name(enum permission permission);

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
