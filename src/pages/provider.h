/*
 * The provider's pages for running the programme: fees, the funding report with the CSV exports,
 * recording a completed module, the award decision with what remains in words, assessment tasks
 * with their briefs and criteria, and the queue of results waiting for release. Each calls the
 * use case the JSON API calls (app/applications.h's fees_set and completions_record,
 * app/awards.h's awards_check and awards_make, app/assessment.h's task use cases), so a rule holds whichever way a
 * change arrives.
 *
 * Every POST answers 303 to the page it came from with ?notice=NAME on success, or shows the form
 * again, as typed, with the GOV.UK error summary in the order of its fields.
 */
#ifndef NPQ_PAGES_PROVIDER_H
#define NPQ_PAGES_PROVIDER_H

#include "http/request.h"

/* /programme/fees: every qualification's and module's fee, and the form that sets one. */
void page_fees(struct request *request);
void page_fees_set(struct request *request);

/* /programme/credits: the Master's credits each module is worth, set through awards_credit_set. */
void page_credits(struct request *request);
void page_credits_set(struct request *request);

/* /programme/reports: enrolments by funding route and school, with links to the CSV files. */
void page_reports(struct request *request);

/* /participants/{id}/completions: record a module the participant completed. */
void page_completion_new(struct request *request);
void page_completion_record(struct request *request);

/* /enrolments/{id}/award: whether the qualification may be awarded, what remains in words, and
 * the button that awards it (or the award made, with its certificate). */
void page_award(struct request *request);
void page_award_make(struct request *request);

/* /assessment/tasks: every task; /assessment/tasks/new and /{id}/edit set or change one with its
 * brief (Markdown) and criteria (one a line), through assessment_task_set and _change. */
void page_tasks(struct request *request);
void page_task_new(struct request *request);
void page_task_create(struct request *request);
void page_task_edit(struct request *request);
void page_task_update(struct request *request);

/* /assessment/release: marked work whose result may be released now (moderated where sampled). */
void page_release_queue(struct request *request);

#endif
