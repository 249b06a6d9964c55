/*
 * Delivering a programme as use cases: venues, the staff of a cohort and whether its plan of
 * events meets its qualification's rule, scheduling and cancelling events, booking places and
 * taking the register. The rules are domain/delivery.h's and domain/policy.h's; these functions
 * gather the facts from the store, apply the rules and store the outcome, so the API, the pages
 * and any later command line share one implementation.
 *
 * Each returns an enum delivery_status saying which kind of answer the front door gives, with
 * errors naming the fields (for DELIVERY_INVALID) or saying why (for the others). Errors are
 * the caller's to free.
 */
#ifndef NPQ_APP_DELIVERY_H
#define NPQ_APP_DELIVERY_H

#include "app/accounts.h"
#include "domain/delivery.h"

enum delivery_status {
    DELIVERY_DONE,
    DELIVERY_INVALID,   /* a field is wrong: errors name each (the API answers 422) */
    DELIVERY_CONFLICT,  /* the record's state refuses it: full, cancelled, changed meanwhile (409) */
    DELIVERY_FORBIDDEN, /* the caller may see the record but not do this to it (403) */
    DELIVERY_NOT_FOUND, /* no such record, or none the caller may see (404) */
    DELIVERY_FAILED,    /* the database failed (503) */
};

/* Venues */

enum {
    VENUE_NAME_MAX = 200,           /* characters */
    VENUE_ADDRESS_MAX = 500,        /* characters */
    VENUE_ACCESSIBILITY_MAX = 2000, /* characters */
};

/*
 * A UK postcode in the shape Royal Mail uses (outward code A9, A99, AA9, AA99, A9A or AA9A, then
 * an inward code 9AA), however it was spaced or cased: written into out upper case with one space
 * ("m1 1ae" -> "M1 1AE"). Returns false, leaving out empty, when it is not one.
 */
bool venues_postcode_normalise(const char *postcode, char out[9]);

/*
 * Adds (v->id 0) or changes a venue after checking it: a name, an address and accessibility notes
 * of sane lengths, a postcode (normalised in place, copied into arena), 1 to 1000 places. A new
 * venue belongs to a delivery partner, which a partner lead may only choose among those they lead
 * (DELIVERY_FORBIDDEN otherwise); one of 0 means the caller's own when they lead exactly one. A
 * venue is not made smaller than an upcoming event at it offers.
 */
enum delivery_status venues_save(const struct accounts_env *env, const struct caller *caller, struct venue *v,
                                 struct arena *arena, struct errors *errors);

/* Cohorts: staff and plan */

/* Adds a facilitator or coach (role) to a cohort; the person must hold that role. Already there
 * is DELIVERY_CONFLICT. */
enum delivery_status cohort_staff_add(const struct accounts_env *env, int64_t cohort_id, int64_t user_id,
                                      enum role role, struct errors *errors);
enum delivery_status cohort_staff_remove(const struct accounts_env *env, int64_t cohort_id, int64_t user_id,
                                         enum role role, struct errors *errors);

/* Everything about running one cohort, for its page and its API answer. Arrays in arena. */
struct cohort_delivery {
    struct cohort cohort;
    struct cohort_staff *staff;
    size_t staff_count;
    struct cohort_participant *participants;
    size_t participant_count;
    struct event *events; /* cancelled ones too, marked so */
    size_t event_count;
    struct delivery_plan plan; /* cancelled events do not count */
    const char *warning;       /* why the plan falls short, or NULL when it is enough */
};
enum delivery_status cohort_delivery_get(const struct accounts_env *env, const struct catalogue *catalogue,
                                         int64_t cohort_id, struct arena *arena, struct cohort_delivery *out);

/* Events */

/*
 * Schedules an event (sets e->id) for a cohort the caller manages: one they cannot see is
 * DELIVERY_NOT_FOUND, one they see but do not manage DELIVERY_FORBIDDEN. Checks it with
 * delivery_event_check and against what it names: the venue is the cohort's partner's and holds
 * the places offered (capacity_given false takes the venue's capacity for a face-to-face event),
 * the module is part of the cohort's qualification, the framework area exists, the facilitator
 * holds that role. Module codes are replaced by the catalogue's spelling.
 */
enum delivery_status events_create(const struct accounts_env *env, const struct catalogue *catalogue,
                                   const struct caller *caller, struct event *e, bool capacity_given,
                                   struct errors *errors);

/*
 * Changes before into changed, with the checks of events_create and one more: no fewer places
 * than are booked. Bumps the sequence when anything changed (and writes nothing otherwise).
 * DELIVERY_CONFLICT when the event is cancelled or someone changed it since before was read.
 */
enum delivery_status events_update(const struct accounts_env *env, const struct catalogue *catalogue,
                                   const struct event *before, struct event *changed, struct errors *errors);

/* Cancels an event; DELIVERY_CONFLICT when it already is. */
enum delivery_status events_cancel(const struct accounts_env *env, int64_t event_id, struct errors *errors);

/* Bookings */

/*
 * Books user_id a place on an event: participants book themselves, administrators anyone
 * (DELIVERY_FORBIDDEN otherwise). The person must be enrolled in the event's cohort
 * (DELIVERY_INVALID at "user_id"); delivery_booking_check's refusals (cancelled, started, already
 * booked, full) are DELIVERY_CONFLICT. Places are counted and taken in one write transaction, so
 * bookings made at the same moment never pass the capacity.
 */
enum delivery_status bookings_make(const struct accounts_env *env, const struct caller *caller, int64_t event_id,
                                   int64_t user_id, int64_t *booking_id, struct errors *errors);

/* Gives a place back: one's own before the event starts, or anyone's by an administrator. */
enum delivery_status bookings_cancel(const struct accounts_env *env, const struct caller *caller, int64_t event_id,
                                     int64_t user_id, struct errors *errors);

/* Attendance */

struct attendance_input {
    int64_t user_id;
    const char *mark; /* "present", "late", "absent", "excused" */
    const char *reason;
};

/*
 * Records marks on an event's register, all or none: each is checked by
 * delivery_attendance_check (booked people only, from 30 minutes before the start, a reason to
 * change an existing mark) and errors are placed at "marks[i].field". Each mark written is audited,
 * a correction with the mark before and after; a mark sent again unchanged writes nothing.
 */
enum delivery_status attendance_record(const struct accounts_env *env, int64_t event_id,
                                       const struct attendance_input *marks, size_t count, struct errors *errors);

#endif
