/*
 * The progress page: an enrolment's status and its reasons, overall and per module, for the
 * participant and for everyone the policy lets read the enrolment.
 */
#ifndef NPQ_PAGES_PROGRESS_H
#define NPQ_PAGES_PROGRESS_H

#include "http/request.h"

/* GET /enrolments/{id}/progress */
void page_progress(struct request *request);

/* GET /progress: the kept progress of those the caller watches over, at risk first */
void page_progress_list(struct request *request);

/* GET /progress/cohorts: the caller's cohorts' rates, as a chart and a table */
void page_progress_cohorts(struct request *request);

/* GET and POST /account/progress-updates: whether the caller receives progress updates */
void page_progress_updates(struct request *request);
void page_progress_updates_save(struct request *request);

/* POST /progress/updates: an administrator sends this period's updates to those not yet sent theirs */
void page_progress_updates_send(struct request *request);

/* GET and POST /enrolments/{id}/support-plan: the plan, and agreeing, changing or closing it */
void page_support_plan(struct request *request);
void page_support_plan_save(struct request *request);

/* GET /enrolments/{id}/coverage (a heatmap of areas by statements) and /cohorts/{id}/coverage */
void page_coverage(struct request *request);
void page_cohort_coverage(struct request *request);

#endif
