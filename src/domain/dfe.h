/*
 * The Department for Education's terms for the NPQs it funds (the 2021 suite and after), as the
 * lead-provider API v3 speaks them: course identifiers and their course groups, schedules and
 * declaration types, the formats of a TRN, a URN and a UKPRN, and the coded answers an
 * application or a participant carries (employment type, headteacher status, funding choice,
 * ineligibility, and the reasons for rejection, deferral and withdrawal).
 *
 * Pure rules, no I/O. The catalogue says which of its qualifications is which DfE course and
 * holds the schedules' dates as data; this module says which codes exist and what follows from
 * them. Every list here is the DfE's, so a code npq accepts is one the DfE will accept.
 */
#ifndef NPQ_DOMAIN_DFE_H
#define NPQ_DOMAIN_DFE_H

#include "lib/errors.h"

#include <stdbool.h>
#include <stddef.h>

/* A code the DfE defines and the words a person reads for it. */
struct dfe_code {
    const char *code;
    const char *title;
};

/* A list of codes; find returns NULL when code is not in it (codes match exactly). */
struct dfe_codes {
    const struct dfe_code *items;
    size_t count;
};
const struct dfe_code *dfe_code_find(const struct dfe_codes *codes, const char *code);

/* The lists, each as the DfE has it. */
extern const struct dfe_codes dfe_course_groups;         /* leadership, specialist, ehco, support */
extern const struct dfe_codes dfe_declaration_types;     /* started, retained-1, retained-2, completed */
extern const struct dfe_codes dfe_employment_types;      /* in_school, local_authority_virtual_school, ... */
extern const struct dfe_codes dfe_headteacher_statuses;  /* no, yes_when_course_starts, ... */
extern const struct dfe_codes dfe_funding_choices;       /* school, trust, self, another, employer */
extern const struct dfe_codes dfe_ineligibility_reasons; /* previously-funded, establishment-ineligible */
extern const struct dfe_codes dfe_rejection_reasons;     /* rejected_by_provider, ... */
extern const struct dfe_codes dfe_deferral_reasons;      /* bereavement, long-term-sickness, ... */
extern const struct dfe_codes dfe_withdrawal_reasons;    /* insufficient-capacity-to-undertake-programme, ... */

/* A DfE course: its identifier, its course group, and whether it needs the applicant's SENCO
 * details. */
struct dfe_course {
    const char *identifier; /* "npq-senior-leadership" */
    const char *course_group;
    bool needs_senco_details;
};
extern const struct dfe_course dfe_courses[];
extern const size_t dfe_course_count;
const struct dfe_course *dfe_course_find(const char *identifier);

/* The course group a schedule identifier belongs to ("npq-specialist-spring" is specialist), or
 * NULL when the DfE has no such schedule. */
const char *dfe_schedule_course_group(const char *identifier);

/* Whether declarations of type may be made for a course group: retained-2 is for leadership,
 * ehco and support courses, not specialist ones. */
bool dfe_declaration_type_allowed(const char *course_group, const char *declaration_type);

/* Formats. A TRN is 7 digits; a school's URN 6 digits; a private childcare provider's URN "EY"
 * and 6 digits; a UKPRN 8 digits beginning 1. */
bool dfe_trn_valid(const char *trn);
bool dfe_urn_valid(const char *urn);
bool dfe_ukprn_valid(const char *ukprn);
/* The DfE's ids (a delivery partner's, a participant's) are UUIDs: 8-4-4-4-12 hexadecimal digits,
 * either case. */
bool dfe_uuid_valid(const char *id);

/* One milestone of a schedule: the window in which a declaration of its type may be dated.
 * Dates are YYYY-MM-DD; milestone_date NULL leaves the window open. */
struct dfe_milestone {
    const char *declaration_type;
    const char *start_date;
    const char *milestone_date;
};

/* A declaration already made for a participant, as far as a change of schedule is concerned. */
struct dfe_declaration_made {
    const char *declaration_type;
    const char *declaration_date; /* YYYY-MM-DD */
};

/*
 * Whether a participant of course_group may move to a schedule of to_group with to_milestones,
 * having had made the declarations in made. Refused (with the reason at "schedule_identifier")
 * when the schedule is of another course group, or when a declaration made would not be valid on
 * it: its type is not one of the schedule's, or its date falls outside that milestone's window.
 */
bool dfe_schedule_change_allowed(const char *course_group, const char *to_group,
                                 const struct dfe_milestone *to_milestones, size_t to_milestone_count,
                                 const struct dfe_declaration_made *made, size_t made_count, struct errors *errors);

/* Something npq knows a participant did, as evidence for a declaration: an event of their cohort
 * they attended (present or late), learning hours they logged, an item of their course they
 * marked done, or work they submitted for assessment. */
struct dfe_evidence {
    const char *date; /* YYYY-MM-DD */
    const char *what; /* in words: "Attended Face-to-face day 1" */
};

/* A declaration the evidence shows to be due. */
struct dfe_declaration_due {
    const char *declaration_type;
    const char *declaration_date; /* YYYY-MM-DD, the evidence's date */
    const char *evidence;         /* what it rests on, in words */
    bool passed;                  /* completed: the participant passed; false for the other types */
};

/*
 * The declarations a participant on a schedule is due, from what npq knows, in the schedule's
 * order; writes at most milestone_count into out and returns how many. started, retained-1 and
 * retained-2 are each due once a milestone's window has opened (start_date on or before today)
 * and the participant attended an event dated inside it (up to today), dated by the first such
 * event; a retained declaration needs every earlier one due as well, as the DfE pays retention
 * only of someone started. completed is due when the participant's final result is known
 * (completed_on, NULL when not) inside its window: passed when they were awarded, failed when
 * their final result is a fail (passed false). attended is in date order.
 */
size_t dfe_declarations_due(const struct dfe_milestone *milestones, size_t milestone_count,
                            const struct dfe_evidence *attended, size_t attended_count, const char *completed_on,
                            const char *completed_evidence, bool passed, const char *today,
                            struct dfe_declaration_due *out);

/*
 * A declaration's state. DUE is npq's own: decided (and perhaps approved) but not accepted by the
 * DfE yet. The rest are the DfE's, as its API reports them: a submitted declaration becomes
 * eligible (or ineligible), then payable, then paid; voiding one not yet paid voids it, voiding a
 * paid one awaits its clawback, which then happens.
 */
enum dfe_declaration_state {
    DFE_DECLARATION_DUE,
    DFE_DECLARATION_SUBMITTED,
    DFE_DECLARATION_ELIGIBLE,
    DFE_DECLARATION_PAYABLE,
    DFE_DECLARATION_PAID,
    DFE_DECLARATION_VOIDED,
    DFE_DECLARATION_INELIGIBLE,
    DFE_DECLARATION_AWAITING_CLAWBACK,
    DFE_DECLARATION_CLAWED_BACK,
};
const char *dfe_declaration_state_name(enum dfe_declaration_state state); /* "awaiting_clawback" */
bool dfe_declaration_state_parse(const char *name, enum dfe_declaration_state *out);

/* Whether a declaration in from may next be in to, as the DfE moves it (a state is also allowed
 * to stay as it is: the DfE reports it again). Anything else reported is refused, not stored. */
bool dfe_declaration_state_follows(enum dfe_declaration_state from, enum dfe_declaration_state to);

/* Whether a declaration in state may be voided, and the state the void leaves it in: a due one is
 * voided without the DfE hearing of it; a submitted, eligible or payable one is voided; a paid one
 * awaits clawback. Refused (false, with the reason at "state") for one voided, ineligible or
 * clawed back, or awaiting clawback already. */
bool dfe_declaration_void(enum dfe_declaration_state state, enum dfe_declaration_state *after, struct errors *errors);

/* Whether the declaration still stands, so that another of its type may not be made: every state
 * but voided, ineligible and clawed back. */
bool dfe_declaration_stands(enum dfe_declaration_state state);

/* The outcome a completed declaration carries: passed or failed by the result, voided when the
 * declaration is. NULL for a declaration of another type. */
const char *dfe_declaration_outcome(const char *declaration_type, enum dfe_declaration_state state, bool passed);

/*
 * The outcome the DfE must be told of through its outcomes endpoint, or NULL for none: when a
 * completed declaration that stands was sent with held (passed or not) and the result is now
 * otherwise (a re-mark), "passed" or "failed". Never for a voided one: voiding a completed
 * declaration voids its outcome at the DfE, which records that itself. Only leadership and
 * specialist courses have outcomes (the coaching and support offers have no assessment).
 */
const char *dfe_outcome_to_tell(const char *course_group, enum dfe_declaration_state state, bool held, bool now);

/* Whether a declaration may be sent for a participant whose cohort has the delivery partner named
 * partner_name ("" or NULL for none) with the DfE id partner_id ("" or NULL when not recorded):
 * the DfE pays through the partner and refuses a declaration without one. Refused (with the
 * reason at "delivery_partner_id", in words saying what an administrator should do) otherwise. */
bool dfe_declaration_partner_check(const char *partner_id, const char *partner_name, struct errors *errors);

/* Checks the DfE reason code given with a step (field "reason_code"): one of codes when given,
 * and given when required (the step is for a DfE course). */
bool dfe_reason_code_check(const struct dfe_codes *codes, const char *code, bool required, struct errors *errors);

/* A flag the DfE may leave undecided; a zeroed one is undecided. */
enum dfe_flag { DFE_UNKNOWN, DFE_NO, DFE_YES };

/* An application in the DfE's terms. Text is "" or NULL when not given; codes are from the lists
 * above. A zeroed one says nothing. */
struct dfe_application {
    const char *trn;
    const char *school_urn;   /* a school's or a private childcare provider's URN */
    const char *school_ukprn; /* where there is no URN */
    const char *employment_type;
    const char *employer_name; /* for those not employed by a school */
    const char *headteacher_status;
    enum dfe_flag works_as_senco;
    const char *senco_start_date; /* YYYY-MM-DD or "" */
    const char *funding_choice;
    enum dfe_flag eligible_for_funding;
    enum dfe_flag funded_place;
    const char *ineligibility_reason;
    const char *decision_reason_code; /* the DfE's code for a rejection */
};

/*
 * Checks what an application says in the DfE's terms, each error at the field's own name: every
 * format and code given is right (whatever the course), and the answers agree with each other
 * (an ineligibility reason only when not eligible, a funded place only when eligible, a SENCO
 * start date only for one who works as a SENCO). When complete is true (on submission) and
 * course is a DfE course, the answers the DfE needs are there too: the TRN, the school's URN or
 * UKPRN for one employed by a school, the employment type, the headteacher status, the funding
 * choice, and for the SENCO course whether they work as one and since when. today is YYYY-MM-DD.
 */
bool dfe_application_check(const struct dfe_application *a, const struct dfe_course *course, bool complete,
                           const char *today, struct errors *errors);

#endif
