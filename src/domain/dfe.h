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

#endif
