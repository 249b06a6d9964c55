/*
 * The administration pages under /admin: people, organisations, bulk imports and the audit log.
 *
 * They are the HTML face of what /api/v1 offers (api/users.c, organisations.c, imports.c,
 * audit.c) and call the same store and app functions, so a rule holds whichever way a change
 * arrives. Permissions are checked by the gate from the route table before a handler runs; the
 * handlers only decide what to show to whom (an administrator's forms, for instance).
 *
 * Every POST answers 303 back to the page it came from with ?notice=NAME on success (the page
 * shows a fixed sentence for each known name) or, on failure, shows the page again with the
 * GOV.UK error summary and status 422.
 */
#ifndef NPQ_PAGES_ADMIN_H
#define NPQ_PAGES_ADMIN_H

#include "http/request.h"

/* People: /admin/users and /admin/users/{id} with its forms. */
void page_admin_users(struct request *request);
void page_admin_user_new(struct request *request);
void page_admin_user_create(struct request *request);
void page_admin_user(struct request *request);
void page_admin_user_role_grant(struct request *request);
void page_admin_user_role_revoke(struct request *request);
void page_admin_user_active(struct request *request);
void page_admin_user_invitation(struct request *request);
void page_admin_user_assignment_add(struct request *request);
void page_admin_user_assignment_remove(struct request *request);

/* Organisations: /admin/organisations, /new and /{id} (which also takes the edit form). */
void page_admin_organisations(struct request *request);
void page_admin_organisation_new(struct request *request);
void page_admin_organisation_create(struct request *request);
void page_admin_organisation(struct request *request);
void page_admin_organisation_update(struct request *request);

/* Bulk imports from CSV, previewed then committed: /admin/imports. */
void page_admin_imports(struct request *request);
void page_admin_imports_run(struct request *request);

/* The audit log, read-only: /admin/audit. */
void page_admin_audit(struct request *request);

/* Every award, filtered by qualification and date, each with its person and certificate: /admin/awards. */
void page_admin_awards(struct request *request);

#endif
