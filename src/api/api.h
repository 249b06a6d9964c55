/*
 * The JSON API under /api/v1: one file per resource, each a set of handlers named in the route
 * table (http/routes.c). Helpers shared by the handlers live in api.c.
 */
#ifndef NPQ_API_API_H
#define NPQ_API_API_H

#include "app/accounts.h"
#include "app/result.h"
#include "domain/catalogue.h"
#include "http/request.h"
#include "store/store.h"

#include <jansson.h>

/* Handlers */
void api_health(struct request *request);
void api_openapi(struct request *request);
void api_qualifications_list(struct request *request);
void api_qualification_get(struct request *request);
void api_modules_list(struct request *request);
void api_module_get(struct request *request);
void api_frameworks_list(struct request *request);
void api_framework_get(struct request *request);

/* People, organisations, tokens, audit (users.c, organisations.c, tokens.c, audit.c, imports.c) */
void api_me(struct request *request);
/* home.c */
void api_me_home(struct request *request);
void api_users_list(struct request *request);
void api_users_create(struct request *request);
void api_user_get(struct request *request);
void api_user_update(struct request *request);
void api_user_roles_add(struct request *request);
void api_user_roles_remove(struct request *request);
void api_user_invitation(struct request *request);
void api_user_assignments(struct request *request);
void api_assignments_create(struct request *request);
void api_assignments_delete(struct request *request);
void api_organisations_list(struct request *request);
void api_organisations_create(struct request *request);
void api_organisation_get(struct request *request);
void api_organisation_update(struct request *request);
void api_tokens_list(struct request *request);
void api_tokens_create(struct request *request);
void api_tokens_revoke(struct request *request);
void api_audit_list(struct request *request);
void api_imports_schools(struct request *request);
void api_imports_users(struct request *request);

/* Applications, enrolments, cohorts, fees, reports (applications.c, enrolments.c) */
void api_applications_list(struct request *request);
void api_applications_create(struct request *request);
void api_application_get(struct request *request);
void api_application_update(struct request *request);
void api_application_step(struct request *request);
void api_enrolments_list(struct request *request);
void api_enrolment_get(struct request *request);
void api_enrolment_step(struct request *request);
void api_enrolment_schedule(struct request *request);
void api_enrolment_declarations(struct request *request);

/* The DfE: status, declarations due and made, approving, voiding, a sync now, its log (dfe.c) */
void api_dfe_status(struct request *request);
void api_dfe_declarations(struct request *request);
void api_dfe_sync(struct request *request);
void api_dfe_log(struct request *request);
void api_enrolment_declarations_list(struct request *request);
void api_enrolment_declarations_approve(struct request *request);
void api_declaration_void(struct request *request);
void api_declaration_retry(struct request *request);
struct declaration;
json_t *api_declaration_json(const struct declaration *declaration);
void api_participant_pathway(struct request *request);
void api_participant_completion(struct request *request);
void api_cohorts_list(struct request *request);
void api_cohorts_create(struct request *request);
void api_cohort_update(struct request *request);
void api_fees_list(struct request *request);
void api_fees_set(struct request *request);
void api_report_funding(struct request *request);
void api_export_applications(struct request *request);
void api_export_enrolments(struct request *request);

/* Calendars: the private feed, its public address and one event as .ics (calendar.c) */
void api_calendar_feed_create(struct request *request);
void api_calendar_feed_get(struct request *request);
void api_calendar_feed_revoke(struct request *request);
void api_event_ics(struct request *request);
void calendar_feed_serve(struct request *request); /* GET /calendar/TOKEN.ics, a page route */

/* Coaching and the learning-hours log (coaching.c, activities.c) */
void api_coaching_sessions_list(struct request *request);
void api_coaching_sessions_create(struct request *request);
void api_coaching_session_get(struct request *request);
void api_coaching_session_update(struct request *request);
void api_coaching_session_cancel(struct request *request);
void api_coaching_notes_create(struct request *request);
void api_coaching_actions_create(struct request *request);
void api_coaching_action_done(struct request *request);
void api_coaching_action_undone(struct request *request);
void api_activities_list(struct request *request);
void api_activities_create(struct request *request);
void api_activity_update(struct request *request);
void api_activity_delete(struct request *request);
void api_activity_verify(struct request *request);

/* Delivery: venues, delivery partners, cohorts' staff and plans, events, bookings, attendance
 * (venues.c, events.c) */
void api_venues_list(struct request *request);
void api_venues_create(struct request *request);
void api_venue_get(struct request *request);
void api_venue_update(struct request *request);
void api_delivery_partners_list(struct request *request);
void api_cohort_get(struct request *request);
void api_cohort_staff_add(struct request *request);
void api_cohort_staff_remove(struct request *request);
void api_events_list(struct request *request);
void api_events_create(struct request *request);
void api_event_get(struct request *request);
void api_event_update(struct request *request);
void api_event_cancel(struct request *request);
void api_event_bookings_list(struct request *request);
void api_event_bookings_create(struct request *request);
void api_event_booking_cancel(struct request *request);
void api_event_attendance_get(struct request *request);
void api_event_attendance_put(struct request *request);

/* Awards, verification, Master's credits and transcripts (awards.c) */
void api_award_check(struct request *request);
void api_awards_create(struct request *request);
void api_awards_list(struct request *request);
void api_award_get(struct request *request);
void api_award_certificate(struct request *request);
void api_verify(struct request *request);
void api_module_credits_list(struct request *request);
void api_module_credits_set(struct request *request);
void api_participant_transcript(struct request *request);

/* Assessment: tasks, submissions and their files, feedback, marks, release, the marking queue
 * (assessment.c) */
void api_assessment_tasks_list(struct request *request);
void api_assessment_tasks_create(struct request *request);
void api_assessment_task_get(struct request *request);
void api_assessment_task_update(struct request *request);
void api_submissions_list(struct request *request);
void api_submissions_create(struct request *request);
void api_submission_get(struct request *request);
void api_submission_update(struct request *request);
void api_submission_files_add(struct request *request);
void api_submission_file_get(struct request *request);
void api_submission_file_delete(struct request *request);
void api_submission_submit(struct request *request);
void api_submission_feedback_create(struct request *request);
void api_submission_marks_create(struct request *request);
void api_submission_release(struct request *request);
void api_marking_queue(struct request *request);

/* The content library, courses and learning records (content.c) */
void api_content_list(struct request *request);
void api_content_create(struct request *request);
void api_content_files_list(struct request *request);
void api_content_files_add(struct request *request);
void api_content_file_get(struct request *request);
void api_content_file_delete(struct request *request);
void api_content_get(struct request *request);
void api_content_update(struct request *request);
void api_content_variant_get(struct request *request);
void api_content_variant_put(struct request *request);
void api_content_units_create(struct request *request);
void api_course_get(struct request *request);
void api_progress_get(struct request *request);
void api_progress_list(struct request *request);
void api_progress_cohorts(struct request *request);
void api_progress_updates_get(struct request *request);
void api_progress_updates_put(struct request *request);
void api_progress_updates_send(struct request *request);
void api_support_plan_get(struct request *request);
void api_support_plan_put(struct request *request);
void api_coverage_get(struct request *request);
void api_cohort_coverage_get(struct request *request);
void api_course_item_get(struct request *request);
void api_course_item_done(struct request *request);
void api_learning_records(struct request *request);
/* Learning communities: forums, threads, posts, reports, subscriptions (forums.c) */
void api_forums_list(struct request *request);
void api_forum_get(struct request *request);
void api_forum_threads_create(struct request *request);
void api_forum_subscription_put(struct request *request);
void api_forum_subscription_delete(struct request *request);
void api_forum_thread_get(struct request *request);
void api_forum_thread_update(struct request *request);
void api_forum_posts_create(struct request *request);
void api_forum_post_get(struct request *request);
void api_forum_post_update(struct request *request);
void api_forum_reports_create(struct request *request);
void api_forum_reports_list(struct request *request);
void api_forum_report_resolve(struct request *request);
void api_forum_search(struct request *request);

/* Search (search.c). */
void api_search(struct request *request);

/* A venue as the API shows it (venues.c). */
json_t *api_venue_json(const struct venue *venue);

/*
 * Optional members of a JSON body, for handlers that report every problem at once (events.c).
 * Each returns whether key is present; null counts as present and gives NULL or 0. A value of the
 * wrong type (or a negative or huge number) adds an error at key and leaves NULL or 0.
 */
bool api_member_text(json_t *body, const char *key, const char **out, struct errors *errors);
bool api_member_int(json_t *body, const char *key, int64_t *out, struct errors *errors);

/* Shared by the handlers that change things. */

/* The request body as a JSON object, or NULL after replying 400 or 415. */
json_t *api_read_object(struct request *request);

/* The X-File-Name header of an upload (the body is the file), percent-decoded so that names
 * beyond ASCII can be sent; NULL when it is missing or is not UTF-8. In request memory. */
const char *api_file_name_header(struct request *request);

/* A time as ISO 8601 UTC ("2026-11-23T11:00:00Z"), or null for 0. */
json_t *api_time_json(int64_t seconds);

/*
 * The API's one mapping of a use case's result to HTTP, in the one error envelope
 * {"error":{"status":S,"code":C,"message":M,"fields":[{"field":F,"message":M}...]}}:
 * APP_INVALID 422 and APP_BAD_REQUEST 400 (with fields: every error, the first as the message),
 * APP_UNAUTHENTICATED 401, APP_FORBIDDEN 403, APP_NOT_FOUND 404, APP_CONFLICT 409 and
 * APP_TOO_MANY 429 (the first error as the message, else a sentence about what: "enrolment"),
 * APP_UNAVAILABLE 503 and APP_BROKEN 500. code is app_result_code's. errors may be NULL.
 */
void api_reply_result(struct request *request, enum app_result result, const struct errors *errors, const char *what);

/* api_reply_result with more members of the envelope's error object (detail, stolen; NULL for
 * none): the record that exists already ("id"), what an award still needs ("why"). */
void api_reply_result_detail(struct request *request, enum app_result result, const struct errors *errors,
                             const char *what, json_t *detail);

/* api_reply_result with one reason (a sentence, printf-style) for a refusal a handler decides
 * itself: APP_FORBIDDEN, APP_NOT_FOUND, APP_CONFLICT, APP_UNAVAILABLE. */
void api_reply_reason(struct request *request, enum app_result result, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* api_reply_result of APP_INVALID: 422 with every error as a field. */
void api_reply_invalid(struct request *request, const struct errors *errors);

/* api_reply_result of a store status, for handlers that read the store directly (404, 409, 503). */
void api_reply_store_status(struct request *request, enum store_status status, const char *what);

/* Reads an optional string member; NULL when absent or null. Replies 422 and returns false when
 * it is present with another type. */
bool api_string_member(struct request *request, json_t *object, const char *key, const char **out);

/*
 * Query parameters are read with lib/form.h's checked readers (form_read_id, form_read_flag,
 * form_read_int), each adding an error naming a malformed parameter to one list; then
 * api_query_refused answers 400 {"error":{"code":"bad_request", "fields":[...]}} with every one of
 * them and returns true (freeing errors), or returns false when there are none.
 */
bool api_query_refused(struct request *request, struct errors *errors);

/*
 * Lists take ?limit= and ?after= through http/paging.h: a list read from the store a page at a
 * time passes the page to the store and calls paging_link before replying. A list bounded by what
 * holds it (the catalogue, a person's tokens, an event's bookings) is built whole and cut here:
 * api_reply_page_of replies 200 with doc (stolen) after cutting its array at array_key to the page
 * after the item whose member (an integer id for CURSOR_ID, a text such as a code for
 * CURSOR_TEXT) the cursor names, keeping their order, with the Link header to the rest; 400 for
 * a malformed limit or after, or an after naming an item no longer there.
 */
void api_reply_page_of(struct request *request, json_t *doc, const char *array_key, const char *member,
                       enum cursor_key kind);

/* JSON for a user with roles, an organisation, an audit event. */
json_t *api_user_json(const struct user *user);
json_t *api_organisation_json(const struct organisation *organisation);

/*
 * The worker's catalogue, or NULL after replying 503 when none can be loaded.
 */
const struct catalogue *api_catalogue(struct request *request);

/*
 * Replies with the cached response for key, building it first with build(catalogue, arg) when it
 * is not cached. build returns a new JSON reference, or NULL when the thing does not exist (the
 * caller's not_found message is then sent as a 404, and nothing is cached).
 */
typedef json_t *(*api_builder)(const struct catalogue *catalogue, const void *arg);
void api_reply_catalogue(struct request *request, const char *key, api_builder build, const void *arg,
                         const char *not_found);
/* A list of the catalogue (build takes no arg) keyed by "code": the cached whole list when the
 * query names no page (each of the catalogue's lists is far shorter than a default page), else
 * the page asked for (api_reply_page_of). */
void api_reply_catalogue_list(struct request *request, const char *key, api_builder build, const char *array_key);

/* Small representations shared between resources. */
json_t *api_level_json(const struct catalogue *catalogue, int number);
json_t *api_module_summary_json(const struct catalogue_module *module);

#endif
