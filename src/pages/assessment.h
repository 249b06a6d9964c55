/*
 * The assessment pages: a participant's tasks and their work on each (the draft, its files,
 * submitting with a receipt, earlier versions with their released results and feedback), a
 * coach's formative feedback, the marking queue and the marking form for assessors, and releasing
 * a result for administrators.
 *
 * They are the HTML face of /api/v1/submissions and /api/v1/marking-queue and call the same use
 * cases (app/assessment.h), so a rule holds whichever way a step arrives, and what a caller sees
 * of unreleased marking is what assessment_submission_read and assessment_marking_queue give them.
 * The gate checks each route's permission and the submission its first URL parameter names before
 * a handler runs.
 *
 * Every POST answers 303 to the page to show next with ?notice=NAME on success (the page shows a
 * fixed sentence for each known name and ignores anything else), or shows the page again with
 * the GOV.UK error summary in the use case's words: 422 for something sent that the rules refuse,
 * 409 when the work's state refuses the step, 403 when the caller may see the work but not take
 * the step.
 */
#ifndef NPQ_PAGES_ASSESSMENT_H
#define NPQ_PAGES_ASSESSMENT_H

#include "http/request.h"

/* /assessment: a participant's tasks in their live enrolments with the state of their work, a
 * coach's participants' work, and for assessors and administrators the way to the marking queue
 * and every submission. POST /assessment/start (task_id, enrolment_id) starts a draft. */
void page_assessment(struct request *request);
void page_assessment_start(struct request *request);

/* /submissions/{id}: the task, the draft (participant and coach), earlier versions with their
 * receipts, released results and feedback, and the steps the caller may take. */
void page_submission(struct request *request);

/* POST /submissions/{id}/save (activity, text), /files (multipart: file), /files/{file}/remove,
 * /submit: the participant's steps. */
void page_submission_save(struct request *request);
void page_submission_file_add(struct request *request);
void page_submission_file_remove(struct request *request);
void page_submission_submit(struct request *request);

/* POST /submissions/{id}/feedback (body, version): the coach's formative feedback. */
void page_submission_feedback(struct request *request);

/* POST /submissions/{id}/release: an administrator releases the result. */
void page_submission_release(struct request *request);

/* /marking: versions waiting for an assessor, and for a moderator, that the caller may mark. */
void page_marking(struct request *request);

/* /submissions/{id}/mark: the latest version with a judgement on each criterion, the outcome and
 * feedback (GET), saved by POST. */
void page_submission_mark(struct request *request);
void page_submission_mark_save(struct request *request);

#endif
