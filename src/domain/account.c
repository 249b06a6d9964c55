#include "domain/account.h"

#include "domain/dfe.h"

#include <string.h>

static const struct {
    const char *name;
    const char *title;
} roles[ROLE_COUNT] = {
    [ROLE_ADMIN] = {"admin", "Provider administrator"},
    [ROLE_PARTNER_LEAD] = {"partner_lead", "Delivery partner lead"},
    [ROLE_FACILITATOR] = {"facilitator", "Facilitator"},
    [ROLE_COACH] = {"coach", "Coach"},
    [ROLE_ASSESSOR] = {"assessor", "Assessor"},
    [ROLE_PARTICIPANT] = {"participant", "Participant"},
    [ROLE_MENTOR] = {"mentor", "Mentor"},
    [ROLE_HEADTEACHER] = {"headteacher", "Headteacher"},
};

const char *role_name(enum role role)
{
    return role < ROLE_COUNT ? roles[role].name : "";
}

const char *role_title(enum role role)
{
    return role < ROLE_COUNT ? roles[role].title : "";
}

bool role_parse(const char *name, enum role *role)
{
    for (int r = 0; r < ROLE_COUNT && name != NULL; r++)
        if (strcmp(roles[r].name, name) == 0) {
            *role = (enum role)r;
            return true;
        }
    return false;
}

static const struct {
    const char *name;
    const char *title;
} kinds[ORG_KIND_COUNT] = {
    [ORG_PROVIDER] = {"provider", "Provider"},
    [ORG_DELIVERY_PARTNER] = {"delivery_partner", "Delivery partner"},
    [ORG_TRUST] = {"trust", "Trust"},
    [ORG_SCHOOL] = {"school", "School"},
};

const char *organisation_kind_name(enum organisation_kind kind)
{
    return kind < ORG_KIND_COUNT ? kinds[kind].name : "";
}

const char *organisation_kind_title(enum organisation_kind kind)
{
    return kind < ORG_KIND_COUNT ? kinds[kind].title : "";
}

bool organisation_kind_parse(const char *name, enum organisation_kind *kind)
{
    for (int k = 0; k < ORG_KIND_COUNT && name != NULL; k++)
        if (strcmp(kinds[k].name, name) == 0) {
            *kind = (enum organisation_kind)k;
            return true;
        }
    return false;
}

bool role_scope_kind(enum role role, enum organisation_kind *kind)
{
    switch (role) {
    case ROLE_PARTNER_LEAD:
    case ROLE_FACILITATOR: *kind = ORG_DELIVERY_PARTNER; return true;
    case ROLE_HEADTEACHER: *kind = ORG_SCHOOL; return true;
    default: return false;
    }
}

bool user_has_role(const struct user *user, enum role role)
{
    for (size_t i = 0; i < user->role_count; i++)
        if (user->roles[i].role == role)
            return true;
    return false;
}

bool account_email_valid(const char *email)
{
    size_t len = strlen(email);
    if (len < 3 || len > 254)
        return false;
    const char *at = strchr(email, '@');
    if (at == NULL || at == email || strchr(at + 1, '@') != NULL)
        return false;
    const char *domain = at + 1;
    const char *dot = strrchr(domain, '.');
    if (dot == NULL || dot == domain || dot[1] == '\0')
        return false;
    for (const char *p = email; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == ',' || *p == ';' || *p == '"')
            return false;
    return true;
}

static void check_length(const char *field, const char *value, size_t max, bool required, struct errors *errors)
{
    size_t len = value ? strlen(value) : 0;
    if (required && len == 0)
        errors_add(errors, field, "Enter the %s", field[0] == 'n' ? "name" : field);
    else if (len > max)
        errors_add(errors, field, "Must be %zu characters or fewer", max);
}

void account_user_validate(const char *email, const char *name, struct errors *errors)
{
    if (email == NULL || *email == '\0')
        errors_add(errors, "email", "Enter an email address");
    else if (!account_email_valid(email))
        errors_add(errors, "email", "Enter an email address in the correct format, like name@example.com");
    check_length("name", name, 200, true, errors);
}

void account_organisation_validate(const struct organisation *o, struct errors *errors)
{
    check_length("name", o->name, 200, true, errors);
    if (o->kind == ORG_SCHOOL) {
        const char *urn = o->urn ? o->urn : "";
        bool digits = strlen(urn) == 6;
        for (const char *p = urn; *p && digits; p++)
            digits = *p >= '0' && *p <= '9';
        if (*urn == '\0')
            errors_add(errors, "urn", "Enter the school's URN");
        else if (!digits)
            errors_add(errors, "urn", "URN must be 6 digits, like 100000");
    } else if (o->urn != NULL && *o->urn != '\0') {
        errors_add(errors, "urn", "Only schools have a URN");
    }
    check_length("local_authority", o->local_authority, 100, false, errors);
    check_length("region", o->region, 100, false, errors);
    check_length("phase", o->phase, 100, false, errors);
    check_length("regions_served", o->regions_served, 1000, false, errors);
    if (o->dfe_delivery_partner_id != NULL && *o->dfe_delivery_partner_id != '\0') {
        if (o->kind != ORG_DELIVERY_PARTNER)
            errors_add(errors, "dfe_delivery_partner_id", "Only a delivery partner has a DfE delivery partner id");
        else if (!dfe_uuid_valid(o->dfe_delivery_partner_id))
            errors_add(errors, "dfe_delivery_partner_id",
                       "Enter the id the DfE gave the delivery partner, like 524df095-f9bf-4f9d-ba4c-772545a99e60");
    }
}

const char *const account_regions[] = {
    "East Midlands", "East of England",          "London", "North East", "North West", "South East", "South West",
    "West Midlands", "Yorkshire and the Humber",
};
const size_t account_region_count = sizeof(account_regions) / sizeof(account_regions[0]);

const char *const account_phases[] = {
    "Nursery",   "Primary", "Middle deemed primary", "Middle deemed secondary",
    "Secondary", "16 plus", "All-through",           "Not applicable",
};
const size_t account_phase_count = sizeof(account_phases) / sizeof(account_phases[0]);
