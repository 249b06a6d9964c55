/*
 * The programme pages: applying for a qualification or a module, following an application through
 * the sponsor's and the provider's decisions, an enrolment with its changes, and a participant's
 * pathway.
 *
 * They are the HTML face of /api/v1/applications, /api/v1/enrolments and
 * /api/v1/participants/{id}/pathway and call the same use cases (app/applications.h), so a rule
 * holds whichever way a change arrives. The gate checks the route's permission and the record
 * named by the first URL parameter before a handler runs; handlers decide only what to show the
 * caller (which steps, which forms), asking the same policy the use cases obey.
 *
 * Every POST answers 303 to the page to show next, with ?done=STEP on success (the page shows a
 * fixed sentence for each known step and ignores anything else), or shows the page again with
 * the GOV.UK error summary: 422 for a wrong answer or a rule refused, 409 for a step taken out of
 * order, 403 when the caller may not take it.
 */
#ifndef NPQ_PAGES_PROGRAMME_H
#define NPQ_PAGES_PROGRAMME_H

#include "http/request.h"

/* /apply: choose a qualification or a single module (GET), and start a draft with it (POST). */
void page_apply(struct request *request);
void page_apply_start(struct request *request);

/* /applications: the applications the caller may see. */
void page_applications(struct request *request);

/* /applications/{id}: answers, state, history and the steps the caller may take now. */
void page_application(struct request *request);

/* /applications/{id}/edit: a draft's questions (the applicant or an administrator). */
void page_application_edit(struct request *request);
void page_application_save(struct request *request);

/* /applications/{id}/check: "Check your answers" before submitting. */
void page_application_check(struct request *request);

/* POST /applications/{id}/{step}: submit, approve, decline, accept, reject or enrol. */
void page_application_step(struct request *request);

/* /enrolments/{id}: details and history; defer, resume, withdraw and (after a question on
 * /enrolments/{id}/complete) complete for those who manage it. */
void page_enrolment(struct request *request);
void page_enrolment_step(struct request *request);
void page_enrolment_complete_confirm(struct request *request);
void page_enrolment_schedule(struct request *request);

/* /participants/{id}/pathway: completed modules and where they stand for each qualification. */
void page_pathway(struct request *request);

#endif
