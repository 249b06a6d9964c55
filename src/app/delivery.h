/*
 * Delivering a programme as use cases: venues, the staff of a cohort and whether its plan of
 * events meets its qualification's rule, scheduling and cancelling events, booking places and
 * taking the register. The rules are domain/delivery.h's and domain/policy.h's; these functions
 * gather the facts from the store, apply the rules and store the outcome, so the API, the pages
 * and any later command line share one implementation.
 *
 * Each returns an enum app_result saying which kind of answer the front door gives, with
 * errors naming the fields (for APP_INVALID) or saying why (for the others). Errors are
 * the caller's to free.
 */
#ifndef NPQ_APP_DELIVERY_H
#define NPQ_APP_DELIVERY_H

#include "app/accounts.h"
#include "domain/delivery.h"

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
 * (APP_FORBIDDEN otherwise); one of 0 means the caller's own when they lead exactly one. A
 * venue is not made smaller than an upcoming event at it offers.
 */
enum app_result venues_save(const struct accounts_env *env, const struct caller *caller, struct venue *v,
                            struct arena *arena, struct errors *errors);

/* Cohorts: staff and plan */

enum {
    COHORT_CODE_MAX = 60, /* characters */
};

/* A cohort as typed or sent: text, parsed by cohorts_save. NULL is an answer left out. */
struct cohort_input {
    const char *code;            /* "NPQSL-2027-NW-1" */
    const char *kind;            /* "qualification" (NULL too) or "module"; a new cohort's only */
    const char *target;          /* the qualification or module code; a new cohort's only */
    int64_t delivery_partner_id; /* 0 for none */
    const char *delivery_model;  /* "blended" or "online" */
    const char *starts_on;       /* YYYY-MM-DD */
    const char *ends_on;
};

/*
 * Adds a cohort (*id 0; sets it) or changes cohort *id. A new cohort studies a qualification or
 * module of the catalogue; a cohort's code, delivery partner, delivery model and dates (the end
 * not before the start) may change, what it studies never: its enrolments count towards it.
 * APP_INVALID with errors at "code", "kind", "target", "delivery_partner_id", "delivery_model",
 * "starts_on" or "ends_on", all at once; APP_NOT_FOUND when the cohort to change is gone.
 */
enum app_result cohorts_save(const struct accounts_env *env, const struct catalogue *catalogue,
                             const struct cohort_input *in, int64_t *id, struct errors *errors);

/* Adds a facilitator or coach (role) to a cohort; the person must hold that role and be one the
 * caller may name (policy_may_name_staff: a partner lead names their own partner's facilitators).
 * Anyone else is refused as if they did not exist. Already there is APP_CONFLICT. */
enum app_result cohort_staff_add(const struct accounts_env *env, const struct caller *caller, int64_t cohort_id,
                                 int64_t user_id, enum role role, struct errors *errors);
enum app_result cohort_staff_remove(const struct accounts_env *env, int64_t cohort_id, int64_t user_id, enum role role,
                                    struct errors *errors);

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
enum app_result cohort_delivery_get(const struct accounts_env *env, const struct catalogue *catalogue,
                                    int64_t cohort_id, struct arena *arena, struct cohort_delivery *out);

/* Events */

/*
 * Schedules an event (sets e->id) for a cohort the caller manages: one they cannot see is
 * APP_NOT_FOUND, one they see but do not manage APP_FORBIDDEN. Checks it with
 * delivery_event_check and against what it names: the venue is the cohort's partner's and holds
 * the places offered (capacity_given false takes the venue's capacity for a face-to-face event),
 * the module is part of the cohort's qualification, the framework area exists, the facilitator
 * holds that role. Module codes are replaced by the catalogue's spelling.
 */
enum app_result events_create(const struct accounts_env *env, const struct catalogue *catalogue,
                              const struct caller *caller, struct event *e, bool capacity_given, struct errors *errors);

/*
 * Changes before into changed, with the checks of events_create and one more: no fewer places
 * than are booked. Bumps the sequence when anything changed (and writes nothing otherwise).
 * APP_CONFLICT when the event is cancelled or someone changed it since before was read.
 */
enum app_result events_update(const struct accounts_env *env, const struct catalogue *catalogue,
                              const struct caller *caller, const struct event *before, struct event *changed,
                              struct errors *errors);

/* Cancels an event; APP_CONFLICT when it already is. */
enum app_result events_cancel(const struct accounts_env *env, int64_t event_id, struct errors *errors);

/* Bookings */

/*
 * Books user_id a place on an event: participants book themselves, administrators anyone
 * (APP_FORBIDDEN otherwise). The person must be enrolled in the event's cohort
 * (APP_INVALID at "user_id"); delivery_booking_check's refusals (cancelled, started, already
 * booked, full) are APP_CONFLICT. Places are counted and taken in one write transaction, so
 * bookings made at the same moment never pass the capacity.
 */
enum app_result bookings_make(const struct accounts_env *env, const struct caller *caller, int64_t event_id,
                              int64_t user_id, int64_t *booking_id, struct errors *errors);

/* Gives a place back: one's own before the event starts, or anyone's by an administrator. */
enum app_result bookings_cancel(const struct accounts_env *env, const struct caller *caller, int64_t event_id,
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
enum app_result attendance_record(const struct accounts_env *env, int64_t event_id,
                                  const struct attendance_input *marks, size_t count, struct errors *errors);

#endif
