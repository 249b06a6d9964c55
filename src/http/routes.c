/*
 * Every route of npq. Add a row here and the gate, the 405 Allow header, the OpenAPI document
 * and the route tests all know of it.
 */
#include "api/api.h"
#include "http/router.h"
#include "http/static_assets.h"
#include "pages/pages.h"

/* One row each: method, pattern, handler, permission, the record its first parameter names,
 * a summary, and for the API the schemas of its response and request body. */
// clang-format off
#define API(method, pattern, handler, permission, resource, summary, response, body) \
    {method, pattern, handler, permission, resource, ROUTE_API, summary, response, body}
#define PAGE(method, pattern, handler, permission, resource, summary) \
    {method, pattern, handler, permission, resource, ROUTE_PAGE, summary, NULL, NULL}
// clang-format on

const struct route routes[] = {
    /* JSON API */
    API("GET", "/api/v1/health", api_health, PERM_PUBLIC, RESOURCE_NONE, "Whether the server can reach its database",
        "Health", NULL),
    API("GET", "/api/v1/openapi.json", api_openapi, PERM_PUBLIC, RESOURCE_NONE, "This OpenAPI document", NULL, NULL),
    API("GET", "/api/v1/qualifications", api_qualifications_list, PERM_PUBLIC, RESOURCE_NONE, "List qualifications",
        "QualificationList", NULL),
    API("GET", "/api/v1/qualifications/{code}", api_qualification_get, PERM_PUBLIC, RESOURCE_NONE,
        "A qualification with its rule and its modules by strand (code is case-insensitive)", "Qualification", NULL),
    API("GET", "/api/v1/modules", api_modules_list, PERM_PUBLIC, RESOURCE_NONE, "List modules", "ModuleList", NULL),
    API("GET", "/api/v1/modules/{code}", api_module_get, PERM_PUBLIC, RESOURCE_NONE,
        "A module and the qualifications it counts towards", "Module", NULL),
    API("GET", "/api/v1/frameworks", api_frameworks_list, PERM_PUBLIC, RESOURCE_NONE, "List frameworks",
        "FrameworkList", NULL),
    API("GET", "/api/v1/frameworks/{code}", api_framework_get, PERM_PUBLIC, RESOURCE_NONE,
        "A framework with its areas and statements", "Framework", NULL),

    /* People and organisations */
    API("GET", "/api/v1/me", api_me, PERM_SIGNED_IN, RESOURCE_NONE, "The caller and their roles", "User", NULL),
    API("GET", "/api/v1/users", api_users_list, PERM_USERS_READ, RESOURCE_NONE,
        "People the caller may see (q, role, include_inactive, limit, offset)", "UserList", NULL),
    API("POST", "/api/v1/users", api_users_create, PERM_USERS_MANAGE, RESOURCE_NONE,
        "Invite a person: creates the account with one role and emails a link to set a password", "User", "NewUser"),
    API("GET", "/api/v1/users/{id}", api_user_get, PERM_USERS_READ, RESOURCE_USER, "A person", "User", NULL),
    API("PATCH", "/api/v1/users/{id}", api_user_update, PERM_USERS_MANAGE, RESOURCE_USER,
        "Change a person's name or organisation, or deactivate or reactivate them", "User", "UserChange"),
    API("POST", "/api/v1/users/{id}/roles", api_user_roles_add, PERM_USERS_MANAGE, RESOURCE_USER,
        "Grant a role, scoped to an organisation where the role needs one", "User", "RoleGrant"),
    API("DELETE", "/api/v1/users/{id}/roles/{grant}", api_user_roles_remove, PERM_USERS_MANAGE, RESOURCE_USER,
        "Revoke a role", "User", NULL),
    API("POST", "/api/v1/users/{id}/invitation", api_user_invitation, PERM_USERS_MANAGE, RESOURCE_USER,
        "Email a fresh invitation link", "Status", NULL),
    API("GET", "/api/v1/users/{id}/assignments", api_user_assignments, PERM_USERS_READ, RESOURCE_USER,
        "The coaches and mentors of a person, or the participants they look after", "AssignmentList", NULL),
    API("POST", "/api/v1/assignments", api_assignments_create, PERM_USERS_MANAGE, RESOURCE_NONE,
        "Name a coach or mentor for a participant", "Assignment", "NewAssignment"),
    API("DELETE", "/api/v1/assignments/{id}", api_assignments_delete, PERM_USERS_MANAGE, RESOURCE_NONE,
        "End an assignment", NULL, NULL),
    API("GET", "/api/v1/organisations", api_organisations_list, PERM_ORGANISATIONS_READ, RESOURCE_NONE,
        "Schools, trusts, delivery partners and the provider (kind, q)", "OrganisationList", NULL),
    API("POST", "/api/v1/organisations", api_organisations_create, PERM_ORGANISATIONS_MANAGE, RESOURCE_NONE,
        "Add an organisation", "Organisation", "NewOrganisation"),
    API("GET", "/api/v1/organisations/{id}", api_organisation_get, PERM_ORGANISATIONS_READ, RESOURCE_ORGANISATION,
        "An organisation", "Organisation", NULL),
    API("PATCH", "/api/v1/organisations/{id}", api_organisation_update, PERM_ORGANISATIONS_MANAGE,
        RESOURCE_ORGANISATION, "Change an organisation", "Organisation", "OrganisationChange"),
    API("POST", "/api/v1/imports/schools", api_imports_schools, PERM_ORGANISATIONS_MANAGE, RESOURCE_NONE,
        "Import schools from CSV, all or nothing (dry_run=true previews)", "ImportResult", "csv"),
    API("POST", "/api/v1/imports/users", api_imports_users, PERM_USERS_MANAGE, RESOURCE_NONE,
        "Import people and their roles from CSV, all or nothing (dry_run=true previews)", "ImportResult", "csv"),

    /* Applications, enrolments and pathways */
    API("GET", "/api/v1/applications", api_applications_list, PERM_APPLICATIONS, RESOURCE_NONE,
        "Applications the caller may see: their own, those they sponsor, their school's or partner's (state)",
        "ApplicationList", NULL),
    API("POST", "/api/v1/applications", api_applications_create, PERM_APPLICATIONS, RESOURCE_NONE,
        "Start a draft application (administrators may name participant_id)", "Application", "ApplicationAnswers"),
    API("GET", "/api/v1/applications/{id}", api_application_get, PERM_APPLICATIONS, RESOURCE_APPLICATION,
        "An application with its history", "Application", NULL),
    API("PATCH", "/api/v1/applications/{id}", api_application_update, PERM_APPLICATIONS, RESOURCE_APPLICATION,
        "Change a draft's answers", "Application", "ApplicationAnswers"),
    API("POST", "/api/v1/applications/{id}/{step}", api_application_step, PERM_APPLICATIONS, RESOURCE_APPLICATION,
        "Take a step: submit, approve, decline, accept, reject or enrol (409 when out of order)", "Application",
        "StepRequest"),
    API("GET", "/api/v1/enrolments", api_enrolments_list, PERM_ENROLMENTS_READ, RESOURCE_NONE,
        "Enrolments of people in the caller's scope", "EnrolmentList", NULL),
    API("GET", "/api/v1/enrolments/{id}", api_enrolment_get, PERM_ENROLMENTS_READ, RESOURCE_ENROLMENT,
        "An enrolment with its history", "Enrolment", NULL),
    API("POST", "/api/v1/enrolments/{id}/{step}", api_enrolment_step, PERM_ENROLMENTS_MANAGE, RESOURCE_ENROLMENT,
        "Defer (reason, expected_return), resume (cohort_id), withdraw (reason) or complete", "Enrolment",
        "EnrolmentStepRequest"),
    API("GET", "/api/v1/participants/{id}/pathway", api_participant_pathway, PERM_USERS_READ, RESOURCE_USER,
        "What a participant has done, what remains, and what their modules count towards", "Pathway", NULL),
    API("POST", "/api/v1/participants/{id}/completions", api_participant_completion, PERM_PROGRAMME_MANAGE,
        RESOURCE_USER, "Record a completed module (also one studied alone or elsewhere)", "Completion", "Completion"),
    API("GET", "/api/v1/cohorts", api_cohorts_list, PERM_COHORTS_READ, RESOURCE_NONE, "Cohorts (target)", "CohortList",
        NULL),
    API("POST", "/api/v1/cohorts", api_cohorts_create, PERM_PROGRAMME_MANAGE, RESOURCE_NONE, "Add a cohort", "Cohort",
        "NewCohort"),
    API("GET", "/api/v1/fees", api_fees_list, PERM_PUBLIC, RESOURCE_NONE,
        "The fee of every qualification and module (null: to be confirmed)", "FeeList", NULL),
    API("PUT", "/api/v1/fees", api_fees_set, PERM_PROGRAMME_MANAGE, RESOURCE_NONE,
        "Set one fee, in pence, or null for to be confirmed", "Fee", "Fee"),
    API("GET", "/api/v1/reports/funding", api_report_funding, PERM_PROGRAMME_MANAGE, RESOURCE_NONE,
        "Enrolments by funding route and by school (format=csv for a spreadsheet)", "FundingReport", NULL),
    API("GET", "/api/v1/exports/applications.csv", api_export_applications, PERM_PROGRAMME_MANAGE, RESOURCE_NONE,
        "Every application as CSV", NULL, NULL),
    API("GET", "/api/v1/exports/enrolments.csv", api_export_enrolments, PERM_PROGRAMME_MANAGE, RESOURCE_NONE,
        "Every enrolment as CSV", NULL, NULL),

    /* API tokens and the audit log */
    API("GET", "/api/v1/tokens", api_tokens_list, PERM_SIGNED_IN, RESOURCE_NONE,
        "The caller's API tokens (administrators: user_id or all=1)", "TokenList", NULL),
    API("POST", "/api/v1/tokens", api_tokens_create, PERM_SIGNED_IN, RESOURCE_NONE,
        "Make an API token for the caller; its text is in this response only", "TokenCreated", "NewToken"),
    API("DELETE", "/api/v1/tokens/{id}", api_tokens_revoke, PERM_SIGNED_IN, RESOURCE_TOKEN,
        "Revoke a token (its owner or an administrator)", NULL, NULL),
    API("GET", "/api/v1/audit-events", api_audit_list, PERM_AUDIT_READ, RESOURCE_NONE,
        "The audit log, newest first (actor_id, action, entity, entity_id, since, until, limit, offset)",
        "AuditEventList", NULL),

    /* Pages */
    PAGE("GET", "/", page_home, PERM_PUBLIC, RESOURCE_NONE, "Home"),
    PAGE("GET", "/qualifications", page_qualifications, PERM_PUBLIC, RESOURCE_NONE, "Qualifications"),
    PAGE("GET", "/qualifications/{code}", page_qualification, PERM_PUBLIC, RESOURCE_NONE, "A qualification"),
    PAGE("GET", "/modules/{code}", page_module, PERM_PUBLIC, RESOURCE_NONE, "A module"),
    PAGE("GET", "/frameworks", page_frameworks, PERM_PUBLIC, RESOURCE_NONE, "Frameworks"),
    PAGE("GET", "/frameworks/{code}", page_framework, PERM_PUBLIC, RESOURCE_NONE, "A framework"),

    /* Signing in and the signed-in person's account */
    PAGE("GET", "/sign-in", page_sign_in, PERM_PUBLIC, RESOURCE_NONE, "Sign in"),
    PAGE("POST", "/sign-in", page_sign_in_submit, PERM_PUBLIC, RESOURCE_NONE, "Sign in"),
    PAGE("POST", "/sign-out", page_sign_out, PERM_SIGNED_IN, RESOURCE_NONE, "Sign out"),
    PAGE("GET", "/password-reset", page_password_reset, PERM_PUBLIC, RESOURCE_NONE, "Ask for a reset link"),
    PAGE("POST", "/password-reset", page_password_reset_submit, PERM_PUBLIC, RESOURCE_NONE, "Ask for a reset link"),
    PAGE("GET", "/password-reset/{token}", page_reset_link, PERM_PUBLIC, RESOURCE_NONE, "Choose a new password"),
    PAGE("POST", "/password-reset/{token}", page_reset_link_submit, PERM_PUBLIC, RESOURCE_NONE,
         "Choose a new password"),
    PAGE("GET", "/invitation/{token}", page_invitation, PERM_PUBLIC, RESOURCE_NONE, "Set a first password"),
    PAGE("POST", "/invitation/{token}", page_invitation_submit, PERM_PUBLIC, RESOURCE_NONE, "Set a first password"),
    PAGE("GET", "/account", page_account, PERM_SIGNED_IN, RESOURCE_NONE, "Your account"),
    PAGE("POST", "/account/tokens", page_account_token_create, PERM_SIGNED_IN, RESOURCE_NONE, "Make an API token"),
    PAGE("POST", "/account/tokens/{id}/revoke", page_account_token_revoke, PERM_SIGNED_IN, RESOURCE_TOKEN,
         "Revoke an API token"),
    PAGE("POST", "/account/sign-out-everywhere", page_sign_out_everywhere, PERM_SIGNED_IN, RESOURCE_NONE,
         "Sign out everywhere"),

    /* Front-end assets */
    {"GET", "/assets/{path*}", static_assets_serve, PERM_PUBLIC, RESOURCE_NONE, ROUTE_ASSET, "Front-end assets", NULL,
     NULL},
};

const size_t routes_count = sizeof(routes) / sizeof(routes[0]);
