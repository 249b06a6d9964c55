/*
 * The delivery pages: running cohorts (their plan, staff, participants and events), one event with
 * booking and cancelling, the register a facilitator takes on a phone, coaching sessions with their
 * notes and agreed actions, a participant's learning-hours log, and the page where a person makes
 * or revokes their private calendar address.
 *
 * They are the HTML face of api/events.c, venues.c, coaching.c, activities.c and calendar.c and
 * call the same use cases (app/delivery.h, app/coaching.h), so a rule holds whichever way a change
 * arrives. The gate checks each route's permission and the record its first URL parameter names
 * before a handler runs; handlers decide only what to show the caller.
 *
 * Every POST answers 303 back to the page it came from with ?notice=NAME on success (the page
 * shows a fixed sentence for each known name and ignores anything else), or shows that page again
 * with the GOV.UK error summary: 422 for a field at fault, 409 when the record's state refuses the
 * change (full, cancelled, verified), 403 when the caller may see the record but not do this.
 * Times are shown and entered in UK time (app/notify.h's rule) and stored in UTC.
 */
#ifndef NPQ_PAGES_DELIVERY_H
#define NPQ_PAGES_DELIVERY_H

#include "http/request.h"

/* /delivery: the caller's cohorts with their plans, and the events coming up. */
void page_delivery(struct request *request);

/* /cohorts/{id}: a cohort's details, staff, participants, plan and events; managers schedule an
 * event with the form, posted to /cohorts/{id}/events. */
void page_cohort(struct request *request);
void page_cohort_event_create(struct request *request);

/* /cohorts/new and /cohorts/{id}/edit: a cohort's code, what it studies (new ones only), partner,
 * delivery model and dates, saved by cohorts_save as the API does; its staff added from the people
 * holding the role, or removed, on its page. */
void page_cohort_new(struct request *request);
void page_cohort_create(struct request *request);
void page_cohort_edit(struct request *request);
void page_cohort_update(struct request *request);
void page_cohort_staff_add(struct request *request);
void page_cohort_staff_remove(struct request *request);
/* /venues: every venue as a summary card; /venues/new and /venues/{id}/edit save by venues_save. */
void page_venues(struct request *request);
void page_venue_new(struct request *request);
void page_venue_create(struct request *request);
void page_venue_edit(struct request *request);
void page_venue_update(struct request *request);
/* /events/{id}: an event, its .ics download, booking for the cohort's participants and
 * cancelling for those who manage it. */
void page_event(struct request *request);
void page_event_book(struct request *request);
void page_event_unbook(struct request *request);
void page_event_cancel(struct request *request);
/* /events/{id}/edit: the scheduling form filled in, saved by events_update against the version it
 * showed; GET /events/{id}/cancel asks before the POST cancels. */
void page_event_edit(struct request *request);
void page_event_update(struct request *request);
void page_event_cancel_confirm(struct request *request);
/* /events/{id}/places: an administrator books a participant of the cohort, or gives their place back. */
void page_event_place_add(struct request *request);
void page_event_place_remove(struct request *request);

/* /events/{id}/register: every booked person with four marks, saved all or none. */
void page_event_register(struct request *request);
void page_event_register_save(struct request *request);

/* /coaching and /coaching/{id}: sessions, notes (private ones for the coach only), actions. */
void page_coaching(struct request *request);
void page_coaching_session(struct request *request);
/* /coaching/new: a coach books with a coachee, a participant with their coach (coaching_session_book). */
void page_coaching_new(struct request *request);
void page_coaching_book(struct request *request);
void page_coaching_note_add(struct request *request);
void page_coaching_action_add(struct request *request);
void page_coaching_action_done(struct request *request);
void page_coaching_action_undone(struct request *request);
/* /coaching/{id}/edit and /coaching/{id}/cancel: the coach or an administrator moves a session, or
 * cancels it after a question (coaching_session_reschedule, _cancel); both of the pair are emailed. */
void page_coaching_edit(struct request *request);
void page_coaching_reschedule(struct request *request);
void page_coaching_cancel_confirm(struct request *request);
void page_coaching_cancel(struct request *request);

/* /enrolments/{id}/hours: the learning-hours log, logging hours and verifying an entry. */
void page_hours(struct request *request);
void page_hours_log(struct request *request);
void page_hours_verify(struct request *request);

/* /account/calendar: the private calendar address, made (shown once) or revoked. */
void page_account_calendar(struct request *request);
void page_account_calendar_create(struct request *request);
void page_account_calendar_revoke(struct request *request);

#endif
