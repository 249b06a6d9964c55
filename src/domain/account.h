/*
 * People, organisations and roles as plain data, and the rules their fields must satisfy.
 *
 * Strings in these structs are owned by whoever filled them (the store fills them from a
 * caller's arena). Validation writes errors whose place is the field's name ("email", "urn"),
 * which the API returns and the forms show beside the field.
 */
#ifndef NPQ_DOMAIN_ACCOUNT_H
#define NPQ_DOMAIN_ACCOUNT_H

#include "lib/errors.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum role {
    ROLE_ADMIN,
    ROLE_PARTNER_LEAD,
    ROLE_FACILITATOR,
    ROLE_COACH,
    ROLE_ASSESSOR,
    ROLE_PARTICIPANT,
    ROLE_MENTOR,
    ROLE_HEADTEACHER,
    ROLE_COUNT
};

/* "admin", "partner_lead"...: the names used by the CLI, the API and the database. */
const char *role_name(enum role role);
/* "Provider administrator", "Delivery partner lead"...: for pages. */
const char *role_title(enum role role);
/* Parses a role name; false when it is not one. */
bool role_parse(const char *name, enum role *role);

enum organisation_kind { ORG_PROVIDER, ORG_DELIVERY_PARTNER, ORG_TRUST, ORG_SCHOOL, ORG_KIND_COUNT };

const char *organisation_kind_name(enum organisation_kind kind);  /* "delivery_partner" */
const char *organisation_kind_title(enum organisation_kind kind); /* "Delivery partner" */
bool organisation_kind_parse(const char *name, enum organisation_kind *kind);

/*
 * The kind of organisation a role's scope must be: a delivery partner for partner leads and
 * facilitators, a school for headteachers. Returns false for roles with no organisation scope
 * (coaches and mentors are scoped by assignment, participants to themselves).
 */
bool role_scope_kind(enum role role, enum organisation_kind *kind);

struct role_grant {
    int64_t id;
    enum role role;
    int64_t organisation_id; /* 0 when the role has no organisation scope */
    const char *organisation_name;
};

struct user {
    int64_t id;
    const char *email;
    const char *name;
    bool active;
    bool has_password;
    int64_t organisation_id; /* 0 when none */
    const char *organisation_name;
    int64_t created_at;
    int64_t updated_at;
    struct role_grant *roles;
    size_t role_count;
};

/* True when the user holds role (with any scope). */
bool user_has_role(const struct user *user, enum role role);

struct organisation {
    int64_t id;
    enum organisation_kind kind;
    const char *name;
    const char *urn; /* schools only; NULL otherwise */
    const char *local_authority;
    const char *region;
    const char *phase;
    const char *regions_served;          /* delivery partners: "North West; Merseyside" */
    int64_t trust_id;                    /* schools in a trust; 0 when none */
    const char *dfe_delivery_partner_id; /* delivery partners: the DfE's id for it (a UUID); NULL when none */
    int64_t created_at;
    int64_t updated_at;
};

/* Email addresses: one "@", a dotted domain, no spaces, at most 254 characters. */
bool account_email_valid(const char *email);

/* Checks a new or changed user's email and name. */
void account_user_validate(const char *email, const char *name, struct errors *errors);

/* Checks an organisation's fields: name, a 6-digit URN for schools (and only for schools),
 * lengths of the free-text fields. */
void account_organisation_validate(const struct organisation *organisation, struct errors *errors);

/* The regions of England, for forms and for checking imported data. */
extern const char *const account_regions[];
extern const size_t account_region_count;

/* School phases as Get Information about Schools names them. */
extern const char *const account_phases[];
extern const size_t account_phase_count;

#endif
