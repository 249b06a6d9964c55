/*
 * The progress page: an enrolment's status and its reasons, overall and per module, for the
 * participant and for everyone the policy lets read the enrolment.
 */
#ifndef NPQ_PAGES_PROGRESS_H
#define NPQ_PAGES_PROGRESS_H

#include "http/request.h"

/* GET /enrolments/{id}/progress */
void page_progress(struct request *request);

#endif
