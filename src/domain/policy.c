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
    case PERM_COUNT: break;
    }
    return "unknown";
}

/* May the caller see this person? */
static bool user_visible(const struct caller *caller, const struct relation *r)
{
    if (caller_has(caller, ROLE_ADMIN) || r->is_self)
        return true;
    return (r->coached && caller_has(caller, ROLE_COACH)) || (r->mentored && caller_has(caller, ROLE_MENTOR)) ||
           (r->at_own_school && caller_has(caller, ROLE_HEADTEACHER)) ||
           (r->in_own_partner && caller_has(caller, ROLE_PARTNER_LEAD));
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
    case PERM_SUBMISSIONS: return caller != NULL;
    case PERM_MARKING: return caller_has(caller, ROLE_ADMIN) || caller_has(caller, ROLE_ASSESSOR);
    case PERM_ASSESSMENT_MANAGE: return caller_has(caller, ROLE_ADMIN);
    case PERM_DELIVERY_MANAGE: return caller_has(caller, ROLE_ADMIN) || caller_has(caller, ROLE_PARTNER_LEAD);
    case PERM_ATTENDANCE:
        return caller_has(caller, ROLE_ADMIN) || caller_has(caller, ROLE_PARTNER_LEAD) ||
               caller_has(caller, ROLE_FACILITATOR);
    case PERM_ENROLMENTS_MANAGE: return caller_has(caller, ROLE_ADMIN) || caller_has(caller, ROLE_PARTNER_LEAD);
    case PERM_PROGRAMME_MANAGE: return caller_has(caller, ROLE_ADMIN);
    case PERM_ORGANISATIONS_READ: return caller_has(caller, ROLE_ADMIN) || caller_has(caller, ROLE_PARTNER_LEAD);
    case PERM_USERS_MANAGE:
    case PERM_ORGANISATIONS_MANAGE:
    case PERM_AUDIT_READ: return caller_has(caller, ROLE_ADMIN);
    case PERM_COUNT: break;
    }
    return false;
}

static bool admin_or_partner_lead_of(const struct caller *caller, const struct relation *r)
{
    return caller_has(caller, ROLE_ADMIN) || (r->partner_record && caller_has(caller, ROLE_PARTNER_LEAD));
}

/* Cohorts and their events: who sees them, who manages them, who takes the register, who books. */
static bool delivery_record_allows(enum permission permission, const struct caller *caller, const struct relation *r)
{
    bool staff = admin_or_partner_lead_of(caller, r) || (r->facilitates && caller_has(caller, ROLE_FACILITATOR));
    switch (permission) {
    case PERM_DELIVERY_MANAGE: return admin_or_partner_lead_of(caller, r);
    case PERM_ATTENDANCE: return staff;
    case PERM_BOOKING: return caller_has(caller, ROLE_ADMIN) || r->in_cohort;
    default: return staff || (r->cohort_coach && caller_has(caller, ROLE_COACH)) || r->in_cohort;
    }
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
    switch (resource) {
    case RESOURCE_USER: return user_visible(caller, relation);
    case RESOURCE_TOKEN: return relation->is_self || caller_has(caller, ROLE_ADMIN);
    case RESOURCE_ORGANISATION: return true; /* role_allows already limited who reads organisations */
    case RESOURCE_APPLICATION:
        return user_visible(caller, relation) || (relation->sponsor) ||
               (relation->partner_record && caller_has(caller, ROLE_PARTNER_LEAD));
    case RESOURCE_ENROLMENT:
        if (permission == PERM_ENROLMENTS_MANAGE)
            return caller_has(caller, ROLE_ADMIN) ||
                   (relation->partner_record && caller_has(caller, ROLE_PARTNER_LEAD));
        if (permission == PERM_ACTIVITIES)
            return user_visible(caller, relation) || relation->facilitates ||
                   (relation->partner_record && caller_has(caller, ROLE_PARTNER_LEAD));
        return user_visible(caller, relation) || (relation->partner_record && caller_has(caller, ROLE_PARTNER_LEAD));
    case RESOURCE_VENUE:
        /* Where events happen is no secret; changing a venue is for its partner. */
        return permission != PERM_DELIVERY_MANAGE || admin_or_partner_lead_of(caller, relation);
    case RESOURCE_COHORT:
    case RESOURCE_EVENT: return delivery_record_allows(permission, caller, relation);
    case RESOURCE_COACHING_SESSION:
        return caller_has(caller, ROLE_ADMIN) || relation->is_self ||
               (relation->cohort_coach && caller_has(caller, ROLE_COACH));
    case RESOURCE_SUBMISSION:
        /* The participant, their coach (formative feedback), assessors and administrators. */
        return caller_has(caller, ROLE_ADMIN) || caller_has(caller, ROLE_ASSESSOR) || relation->is_self ||
               (relation->coached && caller_has(caller, ROLE_COACH));
    case RESOURCE_NONE: break;
    }
    return false;
}

bool policy_application_step(enum application_step step, const struct caller *caller, const struct relation *relation)
{
    if (caller == NULL || relation == NULL || !relation->exists)
        return false;
    bool admin = caller_has(caller, ROLE_ADMIN);
    switch (step) {
    case STEP_SUBMIT: return relation->is_self || admin;
    case STEP_APPROVE:
    case STEP_DECLINE: return relation->sponsor || admin;
    case STEP_ACCEPT:
    case STEP_REJECT:
    case STEP_ENROL: return admin;
    case APPLICATION_STEP_COUNT: break;
    }
    return false;
}
