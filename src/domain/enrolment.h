/*
 * Applications, enrolments and pathways as rules: which electives a qualification accepts, which
 * step of an application or enrolment may follow which, what a participant's completed modules
 * already count towards. Pure functions; every refusal is a sentence a participant understands,
 * added to errors at the field it concerns.
 */
#ifndef NPQ_DOMAIN_ENROLMENT_H
#define NPQ_DOMAIN_ENROLMENT_H

#include "domain/catalogue.h"
#include "lib/errors.h"

#include <stdbool.h>
#include <stddef.h>

/* What is applied for or enrolled on: a whole qualification, or one module studied alone. */
enum study_kind { STUDY_QUALIFICATION, STUDY_MODULE };

enum delivery_model { DELIVERY_BLENDED, DELIVERY_ONLINE };

enum funding_route { FUNDING_SCHOOL, FUNDING_SELF, FUNDING_SCHOLARSHIP };
enum { FUNDING_ROUTE_COUNT = FUNDING_SCHOLARSHIP + 1 };

const char *study_kind_name(enum study_kind kind); /* "qualification", "module" */

/* The title of a qualification or module studied alone, as the catalogue has it; the code itself
 * when the catalogue has no such one. */
const char *study_title(const struct catalogue *catalogue, enum study_kind kind, const char *code);
bool study_kind_parse(const char *name, enum study_kind *kind);
const char *delivery_model_name(enum delivery_model model);  /* "blended", "online" */
const char *delivery_model_title(enum delivery_model model); /* "Blended", "Online only" */
bool delivery_model_parse(const char *name, enum delivery_model *model);
const char *funding_route_name(enum funding_route route);  /* "school", "self", "scholarship" */
const char *funding_route_title(enum funding_route route); /* "School-funded"... */
bool funding_route_parse(const char *name, enum funding_route *route);

/* Applications */

enum application_state {
    APPLICATION_DRAFT,
    APPLICATION_SUBMITTED,
    APPLICATION_SPONSOR_APPROVED,
    APPLICATION_SPONSOR_DECLINED,
    APPLICATION_ACCEPTED,
    APPLICATION_REJECTED,
    APPLICATION_ENROLLED,
    APPLICATION_STATE_COUNT
};

enum application_step {
    STEP_SUBMIT,  /* the applicant (or an administrator for them) sends it */
    STEP_APPROVE, /* the named sponsor agrees */
    STEP_DECLINE, /* the named sponsor refuses, with a reason */
    STEP_ACCEPT,  /* the provider accepts */
    STEP_REJECT,  /* the provider rejects, with a reason */
    STEP_ENROL,   /* the provider places the participant in a cohort */
    APPLICATION_STEP_COUNT
};

const char *application_state_name(enum application_state state);  /* "sponsor_approved" */
const char *application_state_title(enum application_state state); /* "Approved by sponsor" */
bool application_state_parse(const char *name, enum application_state *state);
const char *application_step_name(enum application_step step); /* "submit" */
bool application_step_parse(const char *name, enum application_step *step);

/*
 * The state an application moves to when step is taken from state. When the step cannot be taken
 * now, returns false with the reason in errors (field "state"). Declining and rejecting need a
 * reason (field "reason").
 */
bool application_step_next(enum application_state state, enum application_step step, const char *reason,
                           enum application_state *next, struct errors *errors);

/* The state half of application_step_next: whether step may be taken from state at all. When not,
 * the application's state is what refuses, and why is added at "state". */
bool application_step_allowed(enum application_state state, enum application_step step, struct errors *errors);

/* What an application asks for, as far as the rules are concerned. */
struct application_choice {
    enum study_kind kind;
    const char *target; /* qualification or module code */
    const char **electives;
    size_t elective_count;
    enum funding_route funding;
    const char *scholarship_eligibility; /* required for scholarships */
    bool has_sponsor;                    /* a headteacher or sponsor is named */
};

/*
 * Checks an application before it is submitted: the qualification or module exists, the
 * electives are right (count, from the list, no duplicates, not an essential module), a sponsor is
 * named, and a scholarship says why the applicant is eligible.
 */
bool application_check(const struct catalogue *catalogue, const struct application_choice *choice,
                       struct errors *errors);

/* Checks elective choices against a qualification's rule (fields "electives"). */
bool enrolment_check_electives(const struct catalogue *catalogue, const struct catalogue_qualification *q,
                               const char **chosen, size_t count, struct errors *errors);

/* Enrolments */

enum enrolment_state { ENROLMENT_ACTIVE, ENROLMENT_DEFERRED, ENROLMENT_WITHDRAWN, ENROLMENT_COMPLETED };

enum enrolment_step { ENROLMENT_DEFER, ENROLMENT_RESUME, ENROLMENT_WITHDRAW, ENROLMENT_COMPLETE };

const char *enrolment_state_name(enum enrolment_state state);
const char *enrolment_state_title(enum enrolment_state state);
bool enrolment_state_parse(const char *name, enum enrolment_state *state);
const char *enrolment_step_name(enum enrolment_step step);
bool enrolment_step_parse(const char *name, enum enrolment_step *step);

/*
 * The state an enrolment moves to. Deferring needs a reason and an expected return date
 * (YYYY-MM-DD, not before today); withdrawing needs a reason; resuming needs a cohort. today is
 * YYYY-MM-DD.
 */
bool enrolment_step_next(enum enrolment_state state, enum enrolment_step step, const char *reason,
                         const char *expected_return, bool has_cohort, const char *today, enum enrolment_state *next,
                         struct errors *errors);

/* The state half of enrolment_step_next: whether step may be taken from state at all. When not,
 * the enrolment's state is what refuses, and why is added at "state". */
bool enrolment_step_allowed(enum enrolment_state state, enum enrolment_step step, struct errors *errors);

/* Whether a participant moving to state gives up their places at their cohort's coming events:
 * deferring and withdrawing do, so others can have them; finishing does not. */
bool enrolment_state_gives_up_places(enum enrolment_state state);

/* An enrolment a participant already has, for the one-at-a-time rule. */
struct enrolment_summary {
    enum study_kind kind;
    const char *target;
    enum enrolment_state state;
};

/* Refuses a second enrolment in the same qualification (or module) while one is active or
 * deferred (field "target"). */
bool enrolment_check_unique(const struct enrolment_summary *existing, size_t count, enum study_kind kind,
                            const char *target, struct errors *errors);

/* Pathways */

/* A module the participant has completed, from any enrolment or studied alone. */
struct completed_module {
    const char *code;
    const char *completed_on; /* YYYY-MM-DD */
};

/* Where a participant stands against one qualification. Arrays point into the catalogue. */
struct pathway {
    const struct catalogue_qualification *qualification;
    const char **essential_done;
    size_t essential_done_count;
    const char **essential_remaining;
    size_t essential_remaining_count;
    const char **electives_done; /* at most the number the rule asks for count */
    size_t electives_done_count;
    int electives_needed; /* how many more electives are needed */
    bool modules_complete;
};

/*
 * Works out a qualification's pathway from completed modules (credits: a module completed alone
 * or in another qualification counts where the same module is in this one). The arrays are
 * allocated in arena.
 */
void pathway_compute(const struct catalogue *catalogue, const struct catalogue_qualification *q,
                     const struct completed_module *done, size_t done_count, struct arena *arena, struct pathway *out);

/* "needs 1 more elective and Closing the gap" — what remains, in words. */
void pathway_describe_remaining(const struct catalogue *catalogue, const struct pathway *p, char *out, size_t size);

#endif
