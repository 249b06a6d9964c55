#include "domain/policy.h"

const char *permission_name(enum permission permission)
{
    switch (permission) {
    case PERM_PUBLIC: return "public";
    case PERM_SIGNED_IN: return "signed_in";
    case PERM_USERS_READ: return "users.read";
    case PERM_USERS_MANAGE: return "users.manage";
    case PERM_ORGANISATIONS_READ: return "organisations.read";
    case PERM_ORGANISATIONS_MANAGE: return "organisations.manage";
    case PERM_AUDIT_READ: return "audit.read";
    case PERM_APPLICATIONS: return "applications";
    case PERM_ENROLMENTS_READ: return "enrolments.read";
    case PERM_ENROLMENTS_MANAGE: return "enrolments.manage";
    case PERM_COHORTS_READ: return "cohorts.read";
    case PERM_PROGRAMME_MANAGE: return "programme.manage";
    case PERM_DELIVERY_READ: return "delivery.read";
    case PERM_DELIVERY_MANAGE: return "delivery.manage";
    case PERM_ATTENDANCE: return "attendance";
    case PERM_BOOKING: return "booking";
    case PERM_COACHING: return "coaching";
    case PERM_ACTIVITIES: return "activities";
    case PERM_SUBMISSIONS: return "submissions";
    case PERM_MARKING: return "marking";
    case PERM_ASSESSMENT_MANAGE: return "assessment.manage";
    case PERM_CONTENT_READ: return "content.read";
    case PERM_CONTENT_MANAGE: return "content.manage";
    case PERM_FORUMS: return "forums";
    case PERM_FORUMS_MODERATE: return "forums.moderate";
    case PERM_PROGRESS_READ: return "progress.read";
    case PERM_SUPPORT_READ: return "support.read";
    case PERM_SUPPORT_MANAGE: return "support.manage";
    case PERM_COUNT: break;
    }
    return "unknown";
}

const char *resource_name(enum resource resource)
{
    switch (resource) {
    case RESOURCE_NONE: return "none";
    case RESOURCE_USER: return "user";
    case RESOURCE_TOKEN: return "token";
    case RESOURCE_ORGANISATION: return "organisation";
    case RESOURCE_APPLICATION: return "application";
    case RESOURCE_ENROLMENT: return "enrolment";
    case RESOURCE_VENUE: return "venue";
    case RESOURCE_COHORT: return "cohort";
    case RESOURCE_EVENT: return "event";
    case RESOURCE_COACHING_SESSION: return "coaching_session";
    case RESOURCE_SUBMISSION: return "submission";
    case RESOURCE_ASSIGNMENT: return "assignment";
    case RESOURCE_TASK: return "task";
    case RESOURCE_AWARD: return "award";
    case RESOURCE_CONTENT_ITEM: return "content_item";
    case RESOURCE_FORUM: return "forum";
    case RESOURCE_FORUM_THREAD: return "forum_thread";
    case RESOURCE_FORUM_POST: return "forum_post";
    case RESOURCE_FORUM_REPORT: return "forum_report";
    case RESOURCE_COUNT: break;
    }
    return "unknown";
}

/* Who the caller is to a record. Every fact about a relation counts only with the role it is a
 * relation of: staff rows and assignments outlive a revoked role, the role does not. */

bool policy_is_admin(const struct caller *caller)
{
    return caller_has(caller, ROLE_ADMIN);
}

bool policy_is_assessor(const struct caller *caller)
{
    return caller_has(caller, ROLE_ASSESSOR);
}

bool policy_is_self(const struct caller *caller, const struct relation *r)
{
    return caller != NULL && r != NULL && r->is_self;
}

bool policy_is_coach_of(const struct caller *caller, const struct relation *r)
{
    return r != NULL && r->coached && caller_has(caller, ROLE_COACH);
}

bool policy_is_mentor_of(const struct caller *caller, const struct relation *r)
{
    return r != NULL && r->mentored && caller_has(caller, ROLE_MENTOR);
}

bool policy_is_headteacher_of(const struct caller *caller, const struct relation *r)
{
    return r != NULL && r->at_own_school && caller_has(caller, ROLE_HEADTEACHER);
}

bool policy_is_partner_lead_of(const struct caller *caller, const struct relation *r)
{
    return r != NULL && r->partner_record && caller_has(caller, ROLE_PARTNER_LEAD);
}

bool policy_leads_partner_of_person(const struct caller *caller, const struct relation *r)
{
    return r != NULL && r->in_own_partner && caller_has(caller, ROLE_PARTNER_LEAD);
}

bool policy_leads_partner(const struct caller *caller, int64_t partner_id)
{
    for (size_t i = 0; caller != NULL && i < caller->grant_count; i++)
        if (caller->grants[i].role == ROLE_PARTNER_LEAD && caller->grants[i].organisation_id == partner_id)
            return true;
    return false;
}

bool policy_is_facilitator_of(const struct caller *caller, const struct relation *r)
{
    return r != NULL && r->facilitates && caller_has(caller, ROLE_FACILITATOR);
}

bool policy_is_cohort_coach_of(const struct caller *caller, const struct relation *r)
{
    return r != NULL && r->cohort_coach && caller_has(caller, ROLE_COACH);
}

bool policy_is_participant_of(const struct caller *caller, const struct relation *r)
{
    return caller != NULL && r != NULL && r->in_cohort;
}

bool policy_is_sponsor_of(const struct caller *caller, const struct relation *r)
{
    return r != NULL && r->sponsor && (policy_is_admin(caller) || caller_has(caller, ROLE_HEADTEACHER));
}

bool policy_may_sponsor(const struct user *person, int64_t school_id)
{
    if (person == NULL || !person->active)
        return false;
    if (user_has_role(person, ROLE_ADMIN))
        return true;
    for (size_t i = 0; i < person->role_count; i++)
        if (person->roles[i].role == ROLE_HEADTEACHER && school_id != 0 &&
            person->roles[i].organisation_id == school_id)
            return true;
    return false;
}

/* Decisions built of them. */

bool policy_sees_person(const struct caller *caller, const struct relation *r)
{
    return policy_is_admin(caller) || policy_is_self(caller, r) || policy_is_coach_of(caller, r) ||
           policy_is_mentor_of(caller, r) || policy_is_headteacher_of(caller, r) ||
           policy_leads_partner_of_person(caller, r);
}

bool policy_sees_awards(const struct caller *caller, const struct relation *r)
{
    return policy_is_admin(caller) || policy_is_self(caller, r);
}

bool policy_may_change_application(const struct caller *caller, const struct relation *r)
{
    return policy_is_admin(caller) || policy_is_self(caller, r);
}

bool policy_acts_for_others(const struct caller *caller)
{
    return policy_is_admin(caller);
}

bool policy_may_verify_hours(const struct caller *caller, const struct relation *r)
{
    if (caller == NULL || r == NULL || r->is_self)
        return false;
    return policy_is_admin(caller) || policy_is_coach_of(caller, r) || policy_is_facilitator_of(caller, r) ||
           policy_is_partner_lead_of(caller, r);
}

bool policy_may_change_session(const struct caller *caller, const struct relation *r)
{
    return policy_is_admin(caller) || policy_is_cohort_coach_of(caller, r);
}

bool policy_may_cancel_session(const struct caller *caller, const struct relation *r)
{
    return policy_may_change_session(caller, r) || policy_is_self(caller, r);
}

bool policy_is_session_pair(const struct caller *caller, const struct relation *r)
{
    return policy_is_self(caller, r) || policy_is_cohort_coach_of(caller, r);
}

bool policy_reads_private_notes(const struct caller *caller, const struct relation *r)
{
    return !policy_is_self(caller, r) && (policy_is_admin(caller) || policy_is_cohort_coach_of(caller, r));
}

bool policy_may_log_hours(const struct caller *caller, const struct relation *r)
{
    return policy_is_self(caller, r) || policy_is_admin(caller);
}

bool policy_may_plan_support(const struct caller *caller, const struct relation *r)
{
    return policy_is_admin(caller) || policy_is_partner_lead_of(caller, r) || policy_is_coach_of(caller, r) ||
           policy_is_facilitator_of(caller, r);
}

bool policy_works_in(const struct caller *caller, enum policy_area area)
{
    bool admin = policy_is_admin(caller), coach = caller_has(caller, ROLE_COACH);
    switch (area) {
    case AREA_DELIVERY:
        return admin || caller_has(caller, ROLE_PARTNER_LEAD) || caller_has(caller, ROLE_FACILITATOR) || coach;
    case AREA_COACHING: return caller_has(caller, ROLE_PARTICIPANT) || coach;
    case AREA_ASSESSMENT: return caller_has(caller, ROLE_PARTICIPANT) || coach || policy_is_assessor(caller) || admin;
    case AREA_PEOPLE:
        return admin || caller_has(caller, ROLE_PARTNER_LEAD) || caller_has(caller, ROLE_HEADTEACHER) || coach ||
               caller_has(caller, ROLE_MENTOR);
    }
    return false;
}

/* The caller's standing in the forum r describes: each fact with the role it needs. */
static struct forum_standing forum_standing_of(const struct caller *caller, const struct relation *r)
{
    struct forum_standing s = {.kind = r != NULL && r->exists ? r->forum_kind : FORUM_KIND_NONE};
    if (caller == NULL || s.kind == FORUM_KIND_NONE)
        return (struct forum_standing){.kind = FORUM_KIND_NONE};
    s.admin = policy_is_admin(caller);
    s.has_role = caller->roles != 0;
    s.participant = policy_is_participant_of(caller, r);
    s.facilitator = policy_is_facilitator_of(caller, r);
    s.coach = policy_is_cohort_coach_of(caller, r);
    s.partner_lead = policy_is_partner_lead_of(caller, r);
    return s;
}

bool policy_is_forum_member(const struct caller *caller, const struct relation *r)
{
    struct forum_standing s = forum_standing_of(caller, r);
    return forum_member(&s);
}

bool policy_moderates_forum(const struct caller *caller, const struct relation *r)
{
    struct forum_standing s = forum_standing_of(caller, r);
    return forum_moderator(&s);
}

bool policy_sees_forum_post(const struct caller *caller, const struct relation *r)
{
    return policy_is_forum_member(caller, r) && (!r->post_hidden || policy_moderates_forum(caller, r));
}

bool policy_may_edit_forum_post(const struct caller *caller, const struct relation *r)
{
    return policy_is_self(caller, r) && policy_sees_forum_post(caller, r);
}

/* Holding any role but participant: the staff for whom the whole library is open. */
static bool is_staff(const struct caller *caller)
{
    return caller != NULL && (caller->roles & ~(1u << ROLE_PARTICIPANT)) != 0;
}

bool policy_sees_search_hit(const struct caller *caller, enum search_source source, const struct relation *r)
{
    if (caller == NULL || r == NULL)
        return false;
    switch (source) {
    case SEARCH_STATEMENT: return true;
    case SEARCH_POST: return policy_sees_forum_post(caller, r);
    case SEARCH_CONTENT: return is_staff(caller) || (caller_has(caller, ROLE_PARTICIPANT) && r->in_cohort);
    case SEARCH_VARIANT:
        return policy_is_admin(caller) ||
               (r->in_own_partner && (is_staff(caller) || (caller_has(caller, ROLE_PARTICIPANT) && r->in_cohort)));
    }
    return false;
}

bool policy_may_name_staff(const struct caller *caller, const struct relation *person, enum role role)
{
    if (policy_is_admin(caller))
        return true;
    /* Coaches belong to no partner; a facilitator is the partner's own, named only by its lead. */
    return caller_has(caller, ROLE_PARTNER_LEAD) &&
           (role != ROLE_FACILITATOR || policy_leads_partner_of_person(caller, person));
}

static bool role_allows(enum permission permission, const struct caller *caller)
{
    switch (permission) {
    case PERM_PUBLIC: return true;
    case PERM_SIGNED_IN:
    case PERM_USERS_READ:
    case PERM_APPLICATIONS:
    case PERM_ENROLMENTS_READ:
    case PERM_COHORTS_READ:
    case PERM_DELIVERY_READ:
    case PERM_BOOKING:
    case PERM_COACHING:
    case PERM_ACTIVITIES:
    case PERM_CONTENT_READ:
    case PERM_FORUMS:
    case PERM_SUPPORT_READ:
    case PERM_SUBMISSIONS: return caller != NULL;
    case PERM_FORUMS_MODERATE:
        return caller_has(caller, ROLE_ADMIN) || caller_has(caller, ROLE_PARTNER_LEAD) ||
               caller_has(caller, ROLE_FACILITATOR);
    case PERM_SUPPORT_MANAGE:
        return caller_has(caller, ROLE_ADMIN) || caller_has(caller, ROLE_PARTNER_LEAD) ||
               caller_has(caller, ROLE_COACH) || caller_has(caller, ROLE_FACILITATOR);
    case PERM_MARKING: return caller_has(caller, ROLE_ADMIN) || caller_has(caller, ROLE_ASSESSOR);
    case PERM_ASSESSMENT_MANAGE: return caller_has(caller, ROLE_ADMIN);
    case PERM_DELIVERY_MANAGE:
    case PERM_CONTENT_MANAGE: return caller_has(caller, ROLE_ADMIN) || caller_has(caller, ROLE_PARTNER_LEAD);
    case PERM_ATTENDANCE:
        return caller_has(caller, ROLE_ADMIN) || caller_has(caller, ROLE_PARTNER_LEAD) ||
               caller_has(caller, ROLE_FACILITATOR);
    case PERM_ENROLMENTS_MANAGE: return caller_has(caller, ROLE_ADMIN) || caller_has(caller, ROLE_PARTNER_LEAD);
    case PERM_PROGRAMME_MANAGE: return caller_has(caller, ROLE_ADMIN);
    case PERM_PROGRESS_READ:
        return caller_has(caller, ROLE_ADMIN) || caller_has(caller, ROLE_PARTNER_LEAD) ||
               caller_has(caller, ROLE_HEADTEACHER) || caller_has(caller, ROLE_MENTOR) ||
               caller_has(caller, ROLE_COACH);
    case PERM_ORGANISATIONS_READ: return caller_has(caller, ROLE_ADMIN) || caller_has(caller, ROLE_PARTNER_LEAD);
    case PERM_USERS_MANAGE:
    case PERM_ORGANISATIONS_MANAGE:
    case PERM_AUDIT_READ: return caller_has(caller, ROLE_ADMIN);
    case PERM_COUNT: break;
    }
    return false;
}

/* Cohorts and their events: who sees them, who manages them, who takes the register, who books. */
static bool delivery_record_allows(enum permission permission, const struct caller *caller, const struct relation *r)
{
    bool manager = policy_is_admin(caller) || policy_is_partner_lead_of(caller, r);
    bool staff = manager || policy_is_facilitator_of(caller, r);
    switch (permission) {
    case PERM_DELIVERY_MANAGE:
    case PERM_ENROLMENTS_MANAGE: return manager;
    case PERM_ATTENDANCE: return staff;
    case PERM_BOOKING: return policy_is_admin(caller) || policy_is_participant_of(caller, r);
    default: return staff || policy_is_cohort_coach_of(caller, r) || policy_is_participant_of(caller, r);
    }
}

/* The participant's records (applications, enrolments and their logs): the person's circle, and
 * for what a partner runs, its lead. */
static bool record_allows(enum permission permission, enum resource resource, const struct caller *caller,
                          const struct relation *r)
{
    bool lead = policy_is_partner_lead_of(caller, r);
    if (resource == RESOURCE_APPLICATION)
        return policy_sees_person(caller, r) || r->sponsor || lead;
    if (permission == PERM_ENROLMENTS_MANAGE)
        return policy_is_admin(caller) || lead;
    if (permission == PERM_ACTIVITIES || permission == PERM_SUPPORT_READ)
        return policy_sees_person(caller, r) || policy_is_facilitator_of(caller, r) || lead;
    if (permission == PERM_SUPPORT_MANAGE)
        return policy_may_plan_support(caller, r);
    return policy_sees_person(caller, r) || lead;
}

bool policy_allows(enum permission permission, const struct caller *caller, enum resource resource,
                   const struct relation *relation)
{
    if (!role_allows(permission, caller))
        return false;
    if (resource == RESOURCE_NONE)
        return true;
    if (relation == NULL || !relation->exists)
        return false;
    const struct relation *r = relation;
    switch (resource) {
    case RESOURCE_USER: return policy_sees_person(caller, r);
    case RESOURCE_TOKEN: return policy_is_self(caller, r) || policy_is_admin(caller);
    case RESOURCE_ORGANISATION: return true; /* role_allows already limited who reads organisations */
    case RESOURCE_APPLICATION:
    case RESOURCE_ENROLMENT: return record_allows(permission, resource, caller, r);
    case RESOURCE_VENUE:
        /* Where events happen is no secret; changing a venue is for its partner. */
        return permission != PERM_DELIVERY_MANAGE || policy_is_admin(caller) || policy_is_partner_lead_of(caller, r);
    case RESOURCE_COHORT:
    case RESOURCE_EVENT: return delivery_record_allows(permission, caller, r);
    case RESOURCE_COACHING_SESSION:
        return policy_is_admin(caller) || policy_is_self(caller, r) || policy_is_cohort_coach_of(caller, r);
    case RESOURCE_SUBMISSION:
        /* The participant, their coach (formative feedback), assessors and administrators. */
        return policy_is_admin(caller) || policy_is_assessor(caller) || policy_is_self(caller, r) ||
               policy_is_coach_of(caller, r);
    case RESOURCE_ASSIGNMENT:
    case RESOURCE_TASK:
    case RESOURCE_CONTENT_ITEM:
        return true; /* role_allows decided: assignments are administrators', tasks and content everyone's */
    case RESOURCE_AWARD: return policy_sees_awards(caller, r);
    case RESOURCE_FORUM:
    case RESOURCE_FORUM_THREAD:
        return permission == PERM_FORUMS_MODERATE ? policy_moderates_forum(caller, r)
                                                  : policy_is_forum_member(caller, r);
    case RESOURCE_FORUM_POST:
        return permission == PERM_FORUMS_MODERATE ? policy_moderates_forum(caller, r)
                                                  : policy_sees_forum_post(caller, r);
    case RESOURCE_FORUM_REPORT: return policy_moderates_forum(caller, r);
    case RESOURCE_NONE:
    case RESOURCE_COUNT: break;
    }
    return false;
}

bool policy_application_step(enum application_step step, const struct caller *caller, const struct relation *relation)
{
    if (caller == NULL || relation == NULL || !relation->exists)
        return false;
    switch (step) {
    case STEP_SUBMIT: return policy_may_change_application(caller, relation);
    case STEP_APPROVE:
    case STEP_DECLINE: return policy_is_sponsor_of(caller, relation) || policy_is_admin(caller);
    case STEP_ACCEPT:
    case STEP_REJECT:
    case STEP_ENROL: return policy_is_admin(caller);
    case APPLICATION_STEP_COUNT: break;
    }
    return false;
}
