/*
 * Progress as rules: from the facts of one enrolment so far (events of its cohort held, attended
 * and missed; coaching sessions held; hours logged against each module's cap; submissions and
 * released results; the final assessment's deadline; the modules the qualification needs), a
 * status for each module and for the whole, each with its reasons in words a participant, a
 * mentor and a headteacher read alike. Pure functions: the facts are gathered by the store, the
 * thresholds are a struct with defaults so that a provider may change them later.
 */
#ifndef NPQ_DOMAIN_PROGRESS_H
#define NPQ_DOMAIN_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

/* Ordered from best to worst after COMPLETE, so the worst of several is the largest. */
enum progress_status { PROGRESS_COMPLETE, PROGRESS_ON_TRACK, PROGRESS_AT_RISK, PROGRESS_BEHIND, PROGRESS_STATUS_COUNT };

const char *progress_status_name(enum progress_status status);  /* "on_track", "at_risk" ... */
const char *progress_status_title(enum progress_status status); /* "On track", "At risk" ... */

/* Where the thresholds sit. A participant who misses `missed_events_at_risk` events of a module
 * is at risk, `missed_events_behind` behind; a final assessment due within `deadline_warning_days`
 * with nothing submitted is at risk, within `deadline_urgent_days` (or past) behind; hours below
 * `hours_expected_percent` of the cap once every event of a module is held put it at risk. A
 * module's course is paced by its events: once k of its n events are held, k/n of the course's
 * items are expected done, and fewer than `content_expected_percent` of those puts it at risk. */
struct progress_thresholds {
    int missed_events_at_risk;
    int missed_events_behind;
    int deadline_warning_days;
    int deadline_urgent_days;
    int hours_expected_percent;
    int content_expected_percent;
};

/* The defaults: 1 missed event at risk, 2 behind; 14 and 3 days; 50% of the hours; 50% of the
 * course items the events held so far expect. */
struct progress_thresholds progress_thresholds_default(void);

/* The thresholds by name, as configuration names them ("missed_events_at_risk" ...), in order:
 * PROGRESS_THRESHOLD_COUNT of them. */
enum { PROGRESS_THRESHOLD_COUNT = 6 };
const char *progress_threshold_name(size_t index);
int progress_threshold_get(const struct progress_thresholds *t, size_t index);

/* Sets the threshold called name to value: false (t unchanged) when no threshold has that name or
 * value is out of its range (events 1 to 50, days 0 to 365, percent 0 to 100). */
bool progress_threshold_set(struct progress_thresholds *t, const char *name, long value);

/* Whether the thresholds agree with each other: behind needs more missed events than at risk,
 * and the urgent deadline falls within the warning. */
bool progress_thresholds_consistent(const struct progress_thresholds *t);

/* The status named name ("at_risk" ...); false when none has it. */
bool progress_status_parse(const char *name, enum progress_status *out);

/* A released result, or none yet. Results not released are NONE here, by the store's query. */
enum progress_result { PROGRESS_RESULT_NONE, PROGRESS_RESULT_PASS, PROGRESS_RESULT_FAIL, PROGRESS_RESULT_REFERRED };

struct progress_module_facts {
    const char *code;
    const char *title;
    bool completed;       /* a completion is recorded */
    int events_held;      /* events of the cohort for this module that have ended */
    int events_attended;  /* of those, marked attended */
    int events_missed;    /* of those, marked absent or not marked for a booked place */
    int hours_logged;     /* minutes logged against the module */
    int hours_cap;        /* minutes the module counts at most; 0 when it has no cap */
    bool events_all_held; /* every event of the module has ended */
    int events_total;     /* events of the cohort for this module, held or to come */
    int content_items;    /* items in the module's course */
    int content_done;     /* of those, marked done in this enrolment */
};

struct progress_facts {
    const struct progress_module_facts *modules;
    size_t module_count;
    int modules_required; /* modules the qualification needs completed */
    int coaching_held;    /* coaching sessions held so far */
    bool has_deadline;    /* the final assessment has a due date */
    int days_to_deadline; /* negative once past */
    bool draft_started;   /* a submission exists, not yet submitted */
    bool submitted;       /* a submission has been handed in */
    enum progress_result result;
};

enum { PROGRESS_REASONS_MAX = 6, PROGRESS_REASON_TEXT = 160 };

struct progress_reasons {
    size_t count;
    char text[PROGRESS_REASONS_MAX][PROGRESS_REASON_TEXT];
};

struct progress_module {
    enum progress_status status;
    struct progress_reasons reasons;
};

struct progress {
    enum progress_status status;
    struct progress_reasons reasons;
};

/* The status of one module and why. */
struct progress_module progress_module_assess(const struct progress_module_facts *facts,
                                              const struct progress_thresholds *thresholds);

/* The status of the whole enrolment and why: the worst of its modules, its final assessment and
 * its deadline; complete once a pass is released. `modules_out` (module_count entries, owned by
 * the caller) receives each module's assessment when not NULL. */
struct progress progress_assess(const struct progress_facts *facts, const struct progress_thresholds *thresholds,
                                struct progress_module *modules_out);

#endif
