/*
 * The DfE's codes and the few rules that follow from them. The lists are the enumerations of the
 * lead-provider API v3 document (../shared/dfe/lead-provider-api-v3.yaml) where it has them, and
 * the DfE's registration service's where it does not (employment types, rejection reasons).
 */
#include "domain/dfe.h"

#include "lib/date.h"

#include <string.h>

#define CODES(array)                                                                                                   \
    {                                                                                                                  \
        array, sizeof(array) / sizeof(array[0])                                                                        \
    }

static const struct dfe_code course_groups[] = {
    {"leadership", "Leadership"},
    {"specialist", "Specialist"},
    {"ehco", "Early headship coaching offer"},
    {"support", "Additional support offer"},
};
const struct dfe_codes dfe_course_groups = CODES(course_groups);

static const struct dfe_code declaration_types[] = {
    {"started", "Started"},
    {"retained-1", "Retained 1"},
    {"retained-2", "Retained 2"},
    {"completed", "Completed"},
};
const struct dfe_codes dfe_declaration_types = CODES(declaration_types);

static const struct dfe_code employment_types[] = {
    {"in_school", "In a school"},
    {"in_trust", "In a trust, not in one of its schools"},
    {"local_authority_virtual_school", "In a local authority virtual school"},
    {"hospital_school", "In a hospital school"},
    {"young_offender_institution", "In a young offender institution"},
    {"local_authority_supply_teacher", "A supply teacher employed by a local authority"},
    {"lead_mentor_for_accredited_itt_provider", "A lead mentor for an accredited initial teacher training provider"},
    {"early_years_setting", "In an early years setting"},
    {"other", "Somewhere else"},
};
const struct dfe_codes dfe_employment_types = CODES(employment_types);

static const struct dfe_code headteacher_statuses[] = {
    {"no", "Not a headteacher"},
    {"yes_when_course_starts", "Will be a headteacher when the course starts"},
    {"yes_in_first_two_years", "A headteacher in the first two years"},
    {"yes_over_two_years", "A headteacher for over two years"},
    {"yes_in_first_five_years", "A headteacher in the first five years"},
    {"yes_over_five_years", "A headteacher for over five years"},
};
const struct dfe_codes dfe_headteacher_statuses = CODES(headteacher_statuses);

static const struct dfe_code funding_choices[] = {
    {"school", "The school"},   {"trust", "The trust"},         {"self", "Themselves"},
    {"another", "Another way"}, {"employer", "Their employer"},
};
const struct dfe_codes dfe_funding_choices = CODES(funding_choices);

static const struct dfe_code ineligibility_reasons[] = {
    {"previously-funded", "Funded for this course before"},
    {"establishment-ineligible", "Works somewhere the DfE does not fund"},
};
const struct dfe_codes dfe_ineligibility_reasons = CODES(ineligibility_reasons);

static const struct dfe_code rejection_reasons[] = {
    {"rejected_by_provider", "Rejected by the provider"},
    {"other_application_in_this_cohort_accepted", "Another application in this cohort was accepted"},
    {"registration_expired", "The registration expired"},
};
const struct dfe_codes dfe_rejection_reasons = CODES(rejection_reasons);

static const struct dfe_code deferral_reasons[] = {
    {"bereavement", "Bereavement"},       {"long-term-sickness", "Long-term sickness"},
    {"parental-leave", "Parental leave"}, {"career-break", "Career break"},
    {"other", "Another reason"},
};
const struct dfe_codes dfe_deferral_reasons = CODES(deferral_reasons);

/* "quality-of-programme-structure-not-suitable." ends in a full stop in the DfE's own list, and
 * the DfE refuses the code without it. */
static const struct dfe_code withdrawal_reasons[] = {
    {"insufficient-capacity-to-undertake-programme", "Not enough capacity to undertake the programme"},
    {"personal-reason-health-or-pregnancy-related", "Personal reason: health or pregnancy"},
    {"personal-reason-moving-school", "Personal reason: moving school"},
    {"personal-reason-other", "Another personal reason"},
    {"insufficient-capacity", "Not enough capacity"},
    {"change-in-developmental-or-personal-priorities", "A change in developmental or personal priorities"},
    {"change-in-school-circumstances", "A change in the school's circumstances"},
    {"change-in-school-leadership", "A change in the school's leadership"},
    {"quality-of-programme-structure-not-suitable.", "Quality of programme: the structure was not suitable"},
    {"quality-of-programme-content-not-suitable", "Quality of programme: the content was not suitable"},
    {"quality-of-programme-facilitation-not-effective", "Quality of programme: facilitation was not effective"},
    {"quality-of-programme-accessibility", "Quality of programme: accessibility"},
    {"quality-of-programme-other", "Quality of programme: another reason"},
    {"programme-not-appropriate-for-role-and-cpd-needs", "Not appropriate for their role and development needs"},
};
const struct dfe_codes dfe_withdrawal_reasons = CODES(withdrawal_reasons);

const struct dfe_code *dfe_code_find(const struct dfe_codes *codes, const char *code)
{
    if (code == NULL)
        return NULL;
    for (size_t i = 0; i < codes->count; i++)
        if (strcmp(codes->items[i].code, code) == 0)
            return &codes->items[i];
    return NULL;
}

const struct dfe_course dfe_courses[] = {
    {"npq-senior-leadership", "leadership", false},
    {"npq-headship", "leadership", false},
    {"npq-executive-leadership", "leadership", false},
    {"npq-early-years-leadership", "leadership", false},
    {"npq-leading-teaching", "specialist", false},
    {"npq-leading-behaviour-culture", "specialist", false},
    {"npq-leading-teaching-development", "specialist", false},
    {"npq-leading-literacy", "specialist", false},
    {"npq-leading-primary-mathematics", "specialist", false},
    {"npq-senco", "specialist", true},
    {"npq-early-headship-coaching-offer", "ehco", false},
    {"npq-additional-support-offer", "support", false},
};
const size_t dfe_course_count = sizeof(dfe_courses) / sizeof(dfe_courses[0]);

const struct dfe_course *dfe_course_find(const char *identifier)
{
    if (identifier == NULL)
        return NULL;
    for (size_t i = 0; i < dfe_course_count; i++)
        if (strcmp(dfe_courses[i].identifier, identifier) == 0)
            return &dfe_courses[i];
    return NULL;
}

static const struct {
    const char *identifier;
    const char *course_group;
} schedules[] = {
    {"npq-leadership-autumn", "leadership"},
    {"npq-leadership-spring", "leadership"},
    {"npq-specialist-autumn", "specialist"},
    {"npq-specialist-spring", "specialist"},
    {"npq-ehco-march", "ehco"},
    {"npq-ehco-june", "ehco"},
    {"npq-ehco-november", "ehco"},
    {"npq-ehco-december", "ehco"},
    {"npq-aso-march", "support"},
    {"npq-aso-june", "support"},
    {"npq-aso-november", "support"},
    {"npq-aso-december", "support"},
};

const char *dfe_schedule_course_group(const char *identifier)
{
    if (identifier == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof(schedules) / sizeof(schedules[0]); i++)
        if (strcmp(schedules[i].identifier, identifier) == 0)
            return schedules[i].course_group;
    return NULL;
}

bool dfe_declaration_type_allowed(const char *course_group, const char *declaration_type)
{
    if (dfe_code_find(&dfe_course_groups, course_group) == NULL ||
        dfe_code_find(&dfe_declaration_types, declaration_type) == NULL)
        return false;
    return !(strcmp(course_group, "specialist") == 0 && strcmp(declaration_type, "retained-2") == 0);
}

static bool all_digits(const char *s, size_t n)
{
    if (strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

bool dfe_trn_valid(const char *trn)
{
    return trn != NULL && all_digits(trn, 7);
}

bool dfe_urn_valid(const char *urn)
{
    if (urn == NULL)
        return false;
    if (urn[0] == 'E' && urn[1] == 'Y')
        return all_digits(urn + 2, 6);
    return all_digits(urn, 6);
}

bool dfe_ukprn_valid(const char *ukprn)
{
    return ukprn != NULL && all_digits(ukprn, 8) && ukprn[0] == '1';
}

bool dfe_uuid_valid(const char *id)
{
    if (id == NULL || strlen(id) != 36)
        return false;
    for (size_t i = 0; i < 36; i++) {
        char c = id[i];
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (dash ? c != '-' : !hex)
            return false;
    }
    return true;
}

bool dfe_schedule_change_allowed(const char *course_group, const char *to_group,
                                 const struct dfe_milestone *to_milestones, size_t to_milestone_count,
                                 const struct dfe_declaration_made *made, size_t made_count, struct errors *errors)
{
    if (course_group == NULL || to_group == NULL || strcmp(course_group, to_group) != 0) {
        const struct dfe_code *group = dfe_code_find(&dfe_course_groups, course_group);
        errors_add(errors, "schedule_identifier", "Choose a schedule for %s courses",
                   group ? group->title : "this course's");
        return false;
    }
    size_t before = errors->count;
    for (size_t i = 0; i < made_count; i++) {
        const struct dfe_milestone *m = NULL;
        for (size_t j = 0; j < to_milestone_count; j++)
            if (strcmp(to_milestones[j].declaration_type, made[i].declaration_type) == 0)
                m = &to_milestones[j];
        if (m == NULL) {
            errors_add(errors, "schedule_identifier",
                       "The %s declaration already made has no milestone on that schedule", made[i].declaration_type);
            continue;
        }
        if (strcmp(made[i].declaration_date, m->start_date) < 0 ||
            (m->milestone_date != NULL && strcmp(made[i].declaration_date, m->milestone_date) > 0))
            errors_add(errors, "schedule_identifier",
                       "The %s declaration already made, dated %s, falls outside that schedule's window (%s to %s)",
                       made[i].declaration_type, made[i].declaration_date, m->start_date,
                       m->milestone_date ? m->milestone_date : "open");
    }
    return errors->count == before;
}

static bool given(const char *s)
{
    return s != NULL && *s != '\0';
}

bool dfe_reason_code_check(const struct dfe_codes *codes, const char *code, bool required, struct errors *errors)
{
    if (given(code) && dfe_code_find(codes, code) == NULL) {
        errors_add(errors, "reason_code", "Choose a reason from the DfE's list");
        return false;
    }
    if (required && !given(code)) {
        errors_add(errors, "reason_code", "Choose the DfE's reason");
        return false;
    }
    return true;
}

static void check_code(const struct dfe_codes *codes, const char *value, const char *field, const char *what,
                       struct errors *errors)
{
    if (given(value) && dfe_code_find(codes, value) == NULL)
        errors_add(errors, field, "Choose %s from the DfE's list", what);
}

bool dfe_application_check(const struct dfe_application *a, const struct dfe_course *course, bool complete,
                           const char *today, struct errors *errors)
{
    size_t before = errors->count;
    if (given(a->trn) && !dfe_trn_valid(a->trn))
        errors_add(errors, "trn", "Enter a teacher reference number (TRN) of 7 digits, like 1234567");
    if (given(a->school_urn) && !dfe_urn_valid(a->school_urn))
        errors_add(errors, "school_urn", "Enter a URN of 6 digits, like 106286, or EY and 6 digits for a nursery");
    if (given(a->school_ukprn) && !dfe_ukprn_valid(a->school_ukprn))
        errors_add(errors, "school_ukprn", "Enter a UKPRN of 8 digits beginning with 1, like 10079319");
    check_code(&dfe_employment_types, a->employment_type, "employment_type", "an employment type", errors);
    check_code(&dfe_headteacher_statuses, a->headteacher_status, "headteacher_status", "a headteacher status", errors);
    check_code(&dfe_funding_choices, a->funding_choice, "funding_choice", "how the course is paid for", errors);
    check_code(&dfe_ineligibility_reasons, a->ineligibility_reason, "ineligibility_reason",
               "why funding is not available", errors);
    if (given(a->ineligibility_reason) && a->eligible_for_funding != DFE_NO)
        errors_add(errors, "ineligibility_reason", "Give a reason only when the applicant is not eligible for funding");
    if (a->funded_place == DFE_YES && a->eligible_for_funding != DFE_YES)
        errors_add(errors, "funded_place", "A funded place needs the applicant to be eligible for funding");
    if (given(a->senco_start_date)) {
        if (a->works_as_senco != DFE_YES)
            errors_add(errors, "senco_start_date", "Give a start date only for a SENCO");
        else if (!date_is_valid(a->senco_start_date))
            errors_add(errors, "senco_start_date", "Enter the date they started as SENCO, like 2021-09-01");
        else if (today != NULL && strcmp(a->senco_start_date, today) > 0)
            errors_add(errors, "senco_start_date", "The date they started as SENCO must not be in the future");
    }
    if (!complete || course == NULL)
        return errors->count == before;
    if (!given(a->trn))
        errors_add(errors, "trn", "Enter the applicant's teacher reference number (TRN)");
    if (!given(a->employment_type))
        errors_add(errors, "employment_type", "Choose where the applicant works");
    else if (strcmp(a->employment_type, "in_school") == 0 && !given(a->school_urn) && !given(a->school_ukprn))
        errors_add(errors, "school_urn", "Enter the school's URN, or its UKPRN where it has no URN");
    else if (strcmp(a->employment_type, "in_school") != 0 && !given(a->employer_name))
        errors_add(errors, "employer_name", "Enter the name of the applicant's employer");
    if (!given(a->headteacher_status))
        errors_add(errors, "headteacher_status", "Choose whether the applicant is or will be a headteacher");
    if (!given(a->funding_choice))
        errors_add(errors, "funding_choice", "Choose how the course is paid for");
    if (course->needs_senco_details) {
        if (a->works_as_senco == DFE_UNKNOWN)
            errors_add(errors, "works_as_senco", "Say whether the applicant works as a SENCO");
        else if (a->works_as_senco == DFE_YES && !given(a->senco_start_date))
            errors_add(errors, "senco_start_date", "Enter the date they started as SENCO");
    }
    return errors->count == before;
}

static bool in_window(const char *date, const struct dfe_milestone *m)
{
    return strcmp(date, m->start_date) >= 0 && (m->milestone_date == NULL || strcmp(date, m->milestone_date) <= 0);
}

size_t dfe_declarations_due(const struct dfe_milestone *milestones, size_t milestone_count,
                            const struct dfe_evidence *attended, size_t attended_count, const char *completed_on,
                            const char *completed_evidence, bool passed, const char *today,
                            struct dfe_declaration_due *out)
{
    size_t n = 0;
    bool chain = true; /* every earlier attendance milestone is due */
    for (size_t i = 0; i < milestone_count; i++) {
        const struct dfe_milestone *m = &milestones[i];
        if (strcmp(m->declaration_type, "completed") == 0) {
            if (completed_on != NULL && in_window(completed_on, m))
                out[n++] = (struct dfe_declaration_due){m->declaration_type, completed_on,
                                                        completed_evidence ? completed_evidence : "Awarded", passed};
            continue;
        }
        const struct dfe_evidence *first = NULL;
        for (size_t j = 0; chain && first == NULL && j < attended_count; j++)
            if (in_window(attended[j].date, m) && strcmp(attended[j].date, today) <= 0)
                first = &attended[j];
        if (first == NULL || strcmp(m->start_date, today) > 0) {
            chain = false;
            continue;
        }
        out[n++] = (struct dfe_declaration_due){m->declaration_type, first->date, first->what, false};
    }
    return n;
}

static const char *const declaration_states[] = {
    [DFE_DECLARATION_DUE] = "due",
    [DFE_DECLARATION_SUBMITTED] = "submitted",
    [DFE_DECLARATION_ELIGIBLE] = "eligible",
    [DFE_DECLARATION_PAYABLE] = "payable",
    [DFE_DECLARATION_PAID] = "paid",
    [DFE_DECLARATION_VOIDED] = "voided",
    [DFE_DECLARATION_INELIGIBLE] = "ineligible",
    [DFE_DECLARATION_AWAITING_CLAWBACK] = "awaiting_clawback",
    [DFE_DECLARATION_CLAWED_BACK] = "clawed_back",
};
enum { DECLARATION_STATE_COUNT = sizeof(declaration_states) / sizeof(declaration_states[0]) };

const char *dfe_declaration_state_name(enum dfe_declaration_state state)
{
    return (unsigned)state < DECLARATION_STATE_COUNT ? declaration_states[state] : "due";
}

bool dfe_declaration_state_parse(const char *name, enum dfe_declaration_state *out)
{
    for (size_t i = 0; name != NULL && i < DECLARATION_STATE_COUNT; i++)
        if (strcmp(name, declaration_states[i]) == 0) {
            *out = (enum dfe_declaration_state)i;
            return true;
        }
    return false;
}

bool dfe_declaration_state_follows(enum dfe_declaration_state from, enum dfe_declaration_state to)
{
    if (from == to)
        return true;
    switch (from) {
    case DFE_DECLARATION_DUE:
        /* The DfE's first answer may already have judged it. */
        return to == DFE_DECLARATION_SUBMITTED || to == DFE_DECLARATION_ELIGIBLE || to == DFE_DECLARATION_INELIGIBLE ||
               to == DFE_DECLARATION_VOIDED;
    case DFE_DECLARATION_SUBMITTED:
        return to == DFE_DECLARATION_ELIGIBLE || to == DFE_DECLARATION_INELIGIBLE || to == DFE_DECLARATION_VOIDED ||
               to == DFE_DECLARATION_PAYABLE;
    case DFE_DECLARATION_ELIGIBLE: return to == DFE_DECLARATION_PAYABLE || to == DFE_DECLARATION_VOIDED;
    case DFE_DECLARATION_PAYABLE: return to == DFE_DECLARATION_PAID || to == DFE_DECLARATION_VOIDED;
    case DFE_DECLARATION_PAID: return to == DFE_DECLARATION_AWAITING_CLAWBACK;
    case DFE_DECLARATION_AWAITING_CLAWBACK: return to == DFE_DECLARATION_CLAWED_BACK;
    case DFE_DECLARATION_VOIDED:
    case DFE_DECLARATION_INELIGIBLE:
    case DFE_DECLARATION_CLAWED_BACK: return false;
    }
    return false;
}

bool dfe_declaration_void(enum dfe_declaration_state state, enum dfe_declaration_state *after, struct errors *errors)
{
    switch (state) {
    case DFE_DECLARATION_DUE:
    case DFE_DECLARATION_SUBMITTED:
    case DFE_DECLARATION_ELIGIBLE:
    case DFE_DECLARATION_PAYABLE: *after = DFE_DECLARATION_VOIDED; return true;
    case DFE_DECLARATION_PAID: *after = DFE_DECLARATION_AWAITING_CLAWBACK; return true;
    case DFE_DECLARATION_AWAITING_CLAWBACK:
        errors_add(errors, "state", "This declaration is awaiting clawback already.");
        return false;
    case DFE_DECLARATION_VOIDED:
    case DFE_DECLARATION_INELIGIBLE:
    case DFE_DECLARATION_CLAWED_BACK: break;
    }
    errors_add(errors, "state", "A %s declaration cannot be voided.", dfe_declaration_state_name(state));
    return false;
}

bool dfe_declaration_partner_check(const char *partner_id, const char *partner_name, struct errors *errors)
{
    if (partner_id != NULL && partner_id[0] != '\0')
        return true;
    if (partner_name == NULL || partner_name[0] == '\0')
        errors_add(errors, "delivery_partner_id",
                   "The participant's cohort has no delivery partner. Give the cohort one, then send the declaration "
                   "again.");
    else
        errors_add(errors, "delivery_partner_id",
                   "%s has no DfE delivery partner id. Add it on the delivery partner's page, then send the "
                   "declaration again.",
                   partner_name);
    return false;
}

bool dfe_declaration_stands(enum dfe_declaration_state state)
{
    return state != DFE_DECLARATION_VOIDED && state != DFE_DECLARATION_INELIGIBLE &&
           state != DFE_DECLARATION_CLAWED_BACK;
}

const char *dfe_declaration_outcome(const char *declaration_type, enum dfe_declaration_state state, bool passed)
{
    if (declaration_type == NULL || strcmp(declaration_type, "completed") != 0)
        return NULL;
    if (state == DFE_DECLARATION_VOIDED || state == DFE_DECLARATION_AWAITING_CLAWBACK ||
        state == DFE_DECLARATION_CLAWED_BACK)
        return "voided";
    return passed ? "passed" : "failed";
}

const char *dfe_outcome_to_tell(const char *course_group, enum dfe_declaration_state state, bool held, bool now)
{
    if (course_group == NULL || (strcmp(course_group, "leadership") != 0 && strcmp(course_group, "specialist") != 0))
        return NULL;
    if (!dfe_declaration_stands(state) || state == DFE_DECLARATION_DUE || state == DFE_DECLARATION_AWAITING_CLAWBACK ||
        held == now)
        return NULL;
    return now ? "passed" : "failed";
}
