/*
 * The learning pages: the content library (its items, adding one, a new version, a partner's
 * local variant) and a participant's course per enrolment (its modules, units and items, an item
 * with "mark as done", and the offer to put its time in the learning-hours log).
 *
 * They are the HTML face of api/content.c and call the same use cases (app/content.h). Every POST
 * answers 303 back with ?notice=NAME on success, or shows its form again with what was typed and
 * the GOV.UK error summary (422), or a refusal page (403, 404).
 */
#ifndef NPQ_PAGES_CONTENT_H
#define NPQ_PAGES_CONTENT_H

#include "http/request.h"

/* /content: the library, searchable by title and tag, with the caller's courses. */
void page_content_library(struct request *request);

/* /content/new: an administrator's form for a new item. */
void page_content_new(struct request *request);
void page_content_create(struct request *request);

/* /content/units/new: an administrator's form for a unit at the end of a module's course. */
void page_content_unit_new(struct request *request);
void page_content_unit_create(struct request *request);

/* /content/{id}: an item as the caller sees it (their partner's variant), with its changes. */
void page_content_item(struct request *request);

/* /content/{id}/edit: a new version, with a change note (administrators). */
void page_content_edit(struct request *request);
void page_content_revise(struct request *request);

/* /content/{id}/variants/{partner}: a partner's local variant (its lead, administrators). */
void page_content_file_add(struct request *request);
void page_content_file_remove(struct request *request);
void page_content_variant(struct request *request);
void page_content_variant_save(struct request *request);

/* /enrolments/{id}/course: the course; /enrolments/{id}/course/{item}: one item, marked done by
 * a POST to .../done. */
void page_course(struct request *request);
void page_course_item(struct request *request);
void page_course_item_done(struct request *request);

#endif
