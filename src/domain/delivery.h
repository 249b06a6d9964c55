/*
 * Programme delivery as rules: the events a cohort meets at (face-to-face, virtual live, webinar),
 * whether a cohort's plan has the events its qualification asks for, booking places, recording
 * attendance, the learning hours a participant logs against a module, coaching sessions and their
 * agreed actions, and when a reminder is due.
 *
 * Pure functions over plain values, separate from enrolment.h because they concern running a
 * cohort rather than getting into one. No clock is read here: every "now" or "today" is passed in,
 * so the rules are tested at their exact boundaries. Every refusal is a sentence a participant or
 * facilitator understands, added to errors at the form field it concerns; a check returns true
 * when it added none.
 */
#ifndef NPQ_DOMAIN_DELIVERY_H
#define NPQ_DOMAIN_DELIVERY_H

#include "domain/catalogue.h"
#include "domain/enrolment.h" /* enum delivery_model: blended or online only */
#include "lib/errors.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits the rules below hold to; times are in seconds. */
enum {
    DELIVERY_TITLE_MAX = 200,               /* characters in an event's title */
    DELIVERY_LOCATION_MAX = 200,            /* characters in a coaching session's location */
    DELIVERY_URL_MAX = 2000,                /* bytes in a joining link */
    DELIVERY_EVENT_MAX_SECONDS = 12 * 3600, /* an event or coaching session fits in one day */
    DELIVERY_CAPACITY_MAX = 1000,
    DELIVERY_ATTENDANCE_EARLY_SECONDS = 30 * 60, /* attendance opens this long before the start */
    DELIVERY_REMINDER_LEAD_SECONDS = 24 * 3600,
    DELIVERY_ACTION_MAX = 500, /* characters in an agreed action */
};

/* Events */

enum delivery_event_kind {
    DELIVERY_EVENT_FACE_TO_FACE, /* at a venue */
    DELIVERY_EVENT_VIRTUAL_LIVE, /* online, live and interactive: replaces face-to-face in the online model */
    DELIVERY_EVENT_WEBINAR,      /* online, mostly presented */
    DELIVERY_EVENT_KIND_COUNT
};

/* Names are the stored and JSON form ("face_to_face", "virtual_live", "webinar"); titles are for
 * people ("Face-to-face event"). Out-of-range values give "". parse accepts names only and leaves
 * *kind alone when it returns false. The same holds for every name/title/parse trio below. */
const char *delivery_event_kind_name(enum delivery_event_kind kind);
const char *delivery_event_kind_title(enum delivery_event_kind kind);
bool delivery_event_kind_parse(const char *name, enum delivery_event_kind *kind);

/* An event as entered by whoever schedules it. Strings are borrowed, and may be NULL for "not given". */
struct delivery_event_input {
    enum delivery_event_kind kind;
    const char *title;
    int64_t starts_at; /* UTC, seconds since 1970; 0 or less means not given */
    int64_t ends_at;   /* UTC, seconds since 1970; 0 or less means not given */
    int capacity;      /* places that can be booked */
    int64_t venue_id;  /* the venue's id; 0 for none */
    const char *joining_url;
};

/*
 * Checks an event before it is saved, reporting every problem at once: a title of 1 to 200
 * characters (field "title"); a start and an end, the end after the start and at most 12 hours
 * later ("starts_at", "ends_at"); 1 to 1000 places ("capacity"). A face-to-face event needs a venue
 * ("venue_id"); it may also carry a joining link, which must then be https. A virtual live event or
 * webinar needs an https joining link ("joining_url") and has no venue ("venue_id").
 */
bool delivery_event_check(const struct delivery_event_input *e, struct errors *errors);

/* Planning a cohort's events */

/* A cohort's plan measured against its qualification's rule. */
struct delivery_plan {
    int required;      /* events of this kind the rule asks for */
    int planned;       /* events of this kind in the plan */
    const char *kind;  /* "face-to-face" or "virtual live": the kind that counts (a static string) */
    int short_by;      /* how many more to plan; 0 when the plan is enough */
    char sentence[96]; /* "2 virtual live events planned, 4 required: plan 2 more" */
};

/*
 * Measures a plan against rule. In the blended model face-to-face events count against
 * rule->min_face_to_face_events; online only, virtual live events replace them and count against
 * rule->min_virtual_events. Events of the other kind do not count. A rule that requires none gives
 * the sentence "No events are required". Fills *out and returns true when the plan is enough.
 */
bool delivery_plan_check(const struct catalogue_rule *rule, enum delivery_model model, size_t face_to_face_planned,
                         size_t virtual_planned, struct delivery_plan *out);

/* Booking */

/*
 * Whether a participant may take a place on an event that has capacity places and booked of them
 * taken. Refuses, at field "event_id", with the first reason that applies in this order: the
 * event is cancelled, it has started, the participant is already booked, it is full ("This event
 * is full: all 30 places are taken").
 */
bool delivery_booking_check(int capacity, int booked, bool already_booked, bool cancelled_event, bool event_started,
                            struct errors *errors);

/* Attendance */

enum delivery_attendance_mark {
    DELIVERY_ATTENDANCE_PRESENT,
    DELIVERY_ATTENDANCE_LATE,
    DELIVERY_ATTENDANCE_ABSENT,
    DELIVERY_ATTENDANCE_EXCUSED, /* absent for a reason the provider accepts */
    DELIVERY_ATTENDANCE_MARK_COUNT
};

const char *delivery_attendance_mark_name(enum delivery_attendance_mark mark);  /* "present" */
const char *delivery_attendance_mark_title(enum delivery_attendance_mark mark); /* "Present" */
bool delivery_attendance_mark_parse(const char *name, enum delivery_attendance_mark *mark);

/*
 * Whether mark may be recorded now for one person on an event starting at event_start (both UTC
 * seconds). Attendance opens 30 minutes before the start and stays open, so a mark can be
 * corrected at any later time. Only a person booked on the event can be marked ("person_id").
 * correcting says a mark is already recorded and this one replaces it; a correction needs a
 * reason ("reason") so the audit trail says why. A mark that is not one of the four, or given too
 * early, is refused at "mark". Reports every problem at once.
 */
bool delivery_attendance_check(enum delivery_attendance_mark mark, int64_t event_start, int64_t now, bool booked,
                               bool correcting, const char *reason, struct errors *errors);

/* Learning hours */

/* The kinds of blended learning a module's hours are made of. */
enum delivery_activity {
    DELIVERY_ACTIVITY_WORKPLACE_LEARNING,
    DELIVERY_ACTIVITY_FACE_TO_FACE,
    DELIVERY_ACTIVITY_PEER_LEARNING,
    DELIVERY_ACTIVITY_FACILITATED_LEARNING,
    DELIVERY_ACTIVITY_READING,
    DELIVERY_ACTIVITY_REFLECTION,
    DELIVERY_ACTIVITY_ONLINE_LEARNING,
    DELIVERY_ACTIVITY_COUNT
};

const char *delivery_activity_name(enum delivery_activity activity);  /* "workplace_learning" */
const char *delivery_activity_title(enum delivery_activity activity); /* "Workplace learning" */
bool delivery_activity_parse(const char *name, enum delivery_activity *activity);

/*
 * Checks one entry in a participant's learning-hours log for a module. hours must be more than 0,
 * at most 12, and in quarter hours ("hours"). date must be a real YYYY-MM-DD date and not after
 * today, which the caller gives as YYYY-MM-DD; NULL skips that comparison ("date"). The entry
 * must not take the module's total past its cap: logged_so_far is what the participant has
 * already logged for it, hours_cap its limit (0 or less means the default of 50), module_title
 * names it in the sentence ("This would take your hours for Closing the gap to 52.5, over its
 * 50-hour limit. You can log up to 2.5 more hours"; NULL reads "this module"). Reaching the cap
 * exactly is allowed. Reports every problem at once.
 */
bool delivery_hours_check(double hours, const char *date, const char *today, double logged_so_far, int hours_cap,
                          const char *module_title, struct errors *errors);

/* Writes hours for people into out: "1 hour", "2.5 hours", "0.75 hours", "12 hours". Shown to the
 * nearest hundredth, without trailing zeros. out is always terminated when size > 0. */
void delivery_hours_format(double hours, char *out, size_t size);

enum { DELIVERY_HOURS_TEXT = 32 };

/* Quarter hours as a bare number of hours, for tables and documents: "12", "2.5", "0.75"; a
 * negative count as "0". */
void delivery_hours_number(int64_t quarter_hours, char out[DELIVERY_HOURS_TEXT]);

/* Coaching */

enum delivery_coaching_mode { DELIVERY_COACHING_ONLINE, DELIVERY_COACHING_IN_PERSON, DELIVERY_COACHING_MODE_COUNT };

const char *delivery_coaching_mode_name(enum delivery_coaching_mode mode);  /* "online", "in_person" */
const char *delivery_coaching_mode_title(enum delivery_coaching_mode mode); /* "Online", "In person" */
bool delivery_coaching_mode_parse(const char *name, enum delivery_coaching_mode *mode);

/*
 * Checks a coaching session: a start and an end (UTC seconds), the end after the start and at most
 * 12 hours later ("starts_at", "ends_at"). place is where it happens: for an online session an https
 * joining link ("joining_url"), in person a location of 1 to 200 characters ("location"). Reports
 * every problem at once.
 */
bool delivery_coaching_check(int64_t starts_at, int64_t ends_at, enum delivery_coaching_mode mode, const char *place,
                             struct errors *errors);

/*
 * Checks an action agreed in a coaching session: text of 1 to 500 characters ("text"); due_on is
 * optional (NULL or ""), and when given a real YYYY-MM-DD date ("due_on"). A due date in the past
 * is allowed: actions are often written up after the session, and an overdue one is still recorded.
 */
bool delivery_action_check(const char *text, const char *due_on, struct errors *errors);

/* Who can read a coaching note. Who may read what is decided by the policy (domain/policy.h);
 * this is the choice the coach makes. */
enum delivery_note_visibility {
    DELIVERY_NOTE_PRIVATE, /* the coach only */
    DELIVERY_NOTE_SHARED,  /* the coach and the participant */
    DELIVERY_NOTE_VISIBILITY_COUNT
};

const char *delivery_note_visibility_name(enum delivery_note_visibility v);  /* "private", "shared" */
const char *delivery_note_visibility_title(enum delivery_note_visibility v); /* "Private (coach only)" */
bool delivery_note_visibility_parse(const char *name, enum delivery_note_visibility *v);

/* Reminders */

/*
 * Whether the reminder for an event starting at event_start is due at now: true from
 * event_start - reminder_lead up to, but not including, event_start (all UTC seconds; the usual
 * lead is DELIVERY_REMINDER_LEAD_SECONDS). Sending it once is the caller's business.
 */
bool delivery_reminder_due(int64_t event_start, int64_t now, int64_t reminder_lead);

#endif
