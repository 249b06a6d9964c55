#include "domain/enrolment.h"

#include "lib/buf.h"
#include "lib/date.h"
#include "lib/text.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define ENUM_TABLE(prefix, type, count, ...)                                                                           \
    static const struct text_name prefix##_table[count] = {__VA_ARGS__};                                               \
    const char *prefix##_name(type value)                                                                              \
    {                                                                                                                  \
        return (int)value < (count) ? prefix##_table[value].name : "";                                                 \
    }                                                                                                                  \
    bool prefix##_parse(const char *name, type *value)                                                                 \
    {                                                                                                                  \
        int i;                                                                                                         \
        if (!text_name_find(prefix##_table, count, name, &i))                                                          \
            return false;                                                                                              \
        *value = (type)i;                                                                                              \
        return true;                                                                                                   \
    }

ENUM_TABLE(study_kind, enum study_kind, 2, {"qualification", "Qualification"}, {"module", "Module studied alone"})

const char *study_title(const struct catalogue *catalogue, enum study_kind kind, const char *code)
{
    if (kind == STUDY_QUALIFICATION) {
        const struct catalogue_qualification *q = catalogue_qualification_find(catalogue, code, strlen(code));
        return q ? q->title : code;
    }
    const struct catalogue_module *m = catalogue_module_find(catalogue, code, strlen(code));
    return m ? m->title : code;
}
ENUM_TABLE(delivery_model, enum delivery_model, 2, {"blended", "Blended"}, {"online", "Online only"})
ENUM_TABLE(funding_route, enum funding_route, 3, {"school", "School-funded"}, {"self", "Self-funded"},
           {"scholarship", "Scholarship"})
ENUM_TABLE(application_state, enum application_state, APPLICATION_STATE_COUNT, {"draft", "Draft"},
           {"submitted", "Waiting for the sponsor"}, {"sponsor_approved", "Approved by the sponsor"},
           {"sponsor_declined", "Declined by the sponsor"}, {"accepted", "Accepted"}, {"rejected", "Rejected"},
           {"enrolled", "Enrolled"})
ENUM_TABLE(application_step, enum application_step, APPLICATION_STEP_COUNT, {"submit", "Submit"},
           {"approve", "Approve"}, {"decline", "Decline"}, {"accept", "Accept"}, {"reject", "Reject"},
           {"enrol", "Enrol"})
ENUM_TABLE(enrolment_state, enum enrolment_state, 4, {"active", "Active"}, {"deferred", "Deferred"},
           {"withdrawn", "Withdrawn"}, {"completed", "Completed"})
ENUM_TABLE(enrolment_step, enum enrolment_step, 4, {"defer", "Defer"}, {"resume", "Resume"}, {"withdraw", "Withdraw"},
           {"complete", "Complete"})

const char *delivery_model_title(enum delivery_model model)
{
    return (int)model < 2 ? delivery_model_table[model].title : "";
}

const char *funding_route_title(enum funding_route route)
{
    return (int)route < 3 ? funding_route_table[route].title : "";
}

const char *application_state_title(enum application_state state)
{
    return (int)state < APPLICATION_STATE_COUNT ? application_state_table[state].title : "";
}

const char *enrolment_state_title(enum enrolment_state state)
{
    return (int)state < 4 ? enrolment_state_table[state].title : "";
}

/* From each step, the one state it may be taken from and the state it leads to. */
static const struct {
    enum application_state from, to;
    const char *refusal; /* why not, when the application is elsewhere */
} application_steps[APPLICATION_STEP_COUNT] = {
    [STEP_SUBMIT] = {APPLICATION_DRAFT, APPLICATION_SUBMITTED, "Only a draft application can be submitted"},
    [STEP_APPROVE] = {APPLICATION_SUBMITTED, APPLICATION_SPONSOR_APPROVED,
                      "The sponsor can only approve an application that has been submitted and not yet decided"},
    [STEP_DECLINE] = {APPLICATION_SUBMITTED, APPLICATION_SPONSOR_DECLINED,
                      "The sponsor can only decline an application that has been submitted and not yet decided"},
    [STEP_ACCEPT] = {APPLICATION_SPONSOR_APPROVED, APPLICATION_ACCEPTED,
                     "The provider can only accept an application its sponsor has approved"},
    [STEP_REJECT] = {APPLICATION_SPONSOR_APPROVED, APPLICATION_REJECTED,
                     "The provider can only reject an application its sponsor has approved"},
    [STEP_ENROL] = {APPLICATION_ACCEPTED, APPLICATION_ENROLLED,
                    "Only an accepted application can be enrolled in a cohort"},
};

bool application_step_allowed(enum application_state state, enum application_step step, struct errors *errors)
{
    if ((int)step >= APPLICATION_STEP_COUNT)
        return false;
    if (state != application_steps[step].from) {
        errors_add(errors, "state", "%s. This application is %s.", application_steps[step].refusal,
                   application_state_title(state));
        return false;
    }
    return true;
}

bool application_step_next(enum application_state state, enum application_step step, const char *reason,
                           enum application_state *next, struct errors *errors)
{
    if (!application_step_allowed(state, step, errors))
        return false;
    if ((step == STEP_DECLINE || step == STEP_REJECT) && !text_has_words(reason)) {
        errors_add(errors, "reason", "Give a reason, so the applicant knows why");
        return false;
    }
    *next = application_steps[step].to;
    return true;
}

bool enrolment_check_electives(const struct catalogue *catalogue, const struct catalogue_qualification *q,
                               const char **chosen, size_t count, struct errors *errors)
{
    /* ok, not the length of errors, decides: a full error list must still refuse. */
    bool ok = true;
    const struct catalogue_rule *rule = &q->rule;
    for (size_t i = 0; i < count; i++) {
        const struct catalogue_module *m = catalogue_module_find(catalogue, chosen[i], strlen(chosen[i]));
        const char *title = m ? m->title : chosen[i];
        enum catalogue_module_role role = m ? catalogue_rule_module_role(rule, m->code) : MODULE_ROLE_NONE;
        /* Codes are matched however they are typed, so duplicates are too. */
        bool repeated = false;
        for (size_t j = 0; j < i && !repeated; j++)
            repeated = m != NULL ? catalogue_module_find(catalogue, chosen[j], strlen(chosen[j])) == m
                                 : strcasecmp(chosen[i], chosen[j]) == 0;
        if (repeated)
            errors_add(errors, "electives", "You chose %s twice. Choose %d different elective modules.", title,
                       rule->elective_count);
        else if (m == NULL)
            errors_add(errors, "electives", "There is no module called %s.", chosen[i]);
        else if (role == MODULE_ROLE_ESSENTIAL)
            errors_add(errors, "electives",
                       "%s is an essential module of the %s, so it is already included. "
                       "Choose a different elective.",
                       title, q->code);
        else if (role == MODULE_ROLE_NONE)
            errors_add(errors, "electives", "%s is not one of the elective modules of the %s.", title, q->code);
        else
            continue;
        ok = false;
    }
    if (ok && (int)count != rule->elective_count) {
        errors_add(errors, "electives", "Choose %d elective %s for the %s. You chose %zu.", rule->elective_count,
                   rule->elective_count == 1 ? "module" : "modules", q->code, count);
        ok = false;
    }
    return ok;
}

bool application_check(const struct catalogue *catalogue, const struct application_choice *choice,
                       struct errors *errors)
{
    bool ok = true;
    const char *target = choice->target ? choice->target : "";
    if (choice->kind == STUDY_QUALIFICATION) {
        const struct catalogue_qualification *q = catalogue_qualification_find(catalogue, target, strlen(target));
        if (q == NULL) {
            errors_add(errors, "target", "Choose a qualification to apply for.");
            ok = false;
        } else if (!enrolment_check_electives(catalogue, q, choice->electives, choice->elective_count, errors)) {
            ok = false;
        }
    } else {
        if (catalogue_module_find(catalogue, target, strlen(target)) == NULL) {
            errors_add(errors, "target", "Choose a module to study.");
            ok = false;
        }
        if (choice->elective_count > 0) {
            errors_add(errors, "electives", "A module studied alone has no electives.");
            ok = false;
        }
    }
    if (!choice->has_sponsor) {
        errors_add(errors, "sponsor_id", "Name the headteacher or sponsor who must approve your application.");
        ok = false;
    }
    if (choice->funding == FUNDING_SCHOLARSHIP && !text_has_words(choice->scholarship_eligibility)) {
        errors_add(errors, "scholarship_eligibility", "Say why you are eligible for a scholarship.");
        ok = false;
    }
    return ok;
}

bool enrolment_state_gives_up_places(enum enrolment_state state)
{
    return state == ENROLMENT_DEFERRED || state == ENROLMENT_WITHDRAWN;
}

bool enrolment_step_allowed(enum enrolment_state state, enum enrolment_step step, struct errors *errors)
{
    const char *only = NULL; /* what the step may be taken from, when state is not it */
    switch (step) {
    case ENROLMENT_DEFER:
        if (state != ENROLMENT_ACTIVE)
            only = "Only an active enrolment can be deferred";
        break;
    case ENROLMENT_RESUME:
        if (state != ENROLMENT_DEFERRED)
            only = "Only a deferred enrolment can be resumed";
        break;
    case ENROLMENT_WITHDRAW:
        if (state != ENROLMENT_ACTIVE && state != ENROLMENT_DEFERRED)
            only = "Only an active or deferred enrolment can be withdrawn";
        break;
    case ENROLMENT_COMPLETE:
        if (state != ENROLMENT_ACTIVE)
            only = "Only an active enrolment can be completed";
        break;
    default: return false;
    }
    if (only != NULL)
        errors_add(errors, "state", "%s. This one is %s.", only, enrolment_state_name(state));
    return only == NULL;
}

bool enrolment_step_next(enum enrolment_state state, enum enrolment_step step, const char *reason,
                         const char *expected_return, bool has_cohort, const char *today, enum enrolment_state *next,
                         struct errors *errors)
{
    bool ok = enrolment_step_allowed(state, step, errors);
    switch (step) {
    case ENROLMENT_DEFER:
        if (!text_has_words(reason)) {
            errors_add(errors, "reason", "Give the reason for deferring.");
            ok = false;
        }
        if (!date_is_valid(expected_return)) {
            errors_add(errors, "expected_return", "Enter the expected return date as YYYY-MM-DD, like 2027-09-01.");
            ok = false;
        } else if (today != NULL && strcmp(expected_return, today) < 0) {
            errors_add(errors, "expected_return", "The expected return date must be today or later.");
            ok = false;
        }
        if (ok)
            *next = ENROLMENT_DEFERRED;
        break;
    case ENROLMENT_RESUME:
        if (!has_cohort) {
            errors_add(errors, "cohort_id", "Choose the cohort the participant rejoins.");
            ok = false;
        }
        if (ok)
            *next = ENROLMENT_ACTIVE;
        break;
    case ENROLMENT_WITHDRAW:
        if (!text_has_words(reason)) {
            errors_add(errors, "reason", "Give the reason for withdrawing.");
            ok = false;
        }
        if (ok)
            *next = ENROLMENT_WITHDRAWN;
        break;
    case ENROLMENT_COMPLETE:
        if (ok)
            *next = ENROLMENT_COMPLETED;
        break;
    default: return false;
    }
    return ok;
}

bool enrolment_check_unique(const struct enrolment_summary *existing, size_t count, enum study_kind kind,
                            const char *target, struct errors *errors)
{
    for (size_t i = 0; i < count; i++)
        if (existing[i].kind == kind && strcasecmp(existing[i].target, target) == 0 &&
            (existing[i].state == ENROLMENT_ACTIVE || existing[i].state == ENROLMENT_DEFERRED)) {
            errors_add(errors, "target",
                       "You are already enrolled on the %s (%s). You can only study it once at a "
                       "time",
                       target, enrolment_state_name(existing[i].state));
            return false;
        }
    return true;
}

static bool completed(const struct completed_module *done, size_t count, const char *code)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(done[i].code, code) == 0)
            return true;
    return false;
}

void pathway_compute(const struct catalogue *catalogue, const struct catalogue_qualification *q,
                     const struct completed_module *done, size_t done_count, struct arena *arena, struct pathway *out)
{
    (void)catalogue;
    const struct catalogue_rule *rule = &q->rule;
    memset(out, 0, sizeof(*out));
    out->qualification = q;
    out->essential_done = arena_alloc(arena, sizeof(char *) * (rule->essential_count + 1));
    out->essential_remaining = arena_alloc(arena, sizeof(char *) * (rule->essential_count + 1));
    out->electives_done = arena_alloc(arena, sizeof(char *) * (rule->elective_from_count + 1));
    for (size_t i = 0; i < rule->essential_count; i++) {
        if (completed(done, done_count, rule->essential[i]))
            out->essential_done[out->essential_done_count++] = rule->essential[i];
        else
            out->essential_remaining[out->essential_remaining_count++] = rule->essential[i];
    }
    for (size_t i = 0; i < rule->elective_from_count && (int)out->electives_done_count < rule->elective_count; i++)
        if (completed(done, done_count, rule->elective_from[i]))
            out->electives_done[out->electives_done_count++] = rule->elective_from[i];
    out->electives_needed = rule->elective_count - (int)out->electives_done_count;
    out->modules_complete = out->essential_remaining_count == 0 && out->electives_needed == 0;
}

void pathway_describe_remaining(const struct catalogue *catalogue, const struct pathway *p, char *out, size_t size)
{
    if (size == 0)
        return;
    if (p->modules_complete) {
        snprintf(out, size, "all modules complete");
        return;
    }
    /* Built whole, then cut to fit: a long list still reads from its start. */
    struct buf b;
    buf_init(&b, 4096);
    buf_append_str(&b, "needs ");
    for (size_t i = 0; i < p->essential_remaining_count; i++) {
        const char *code = p->essential_remaining[i];
        const struct catalogue_module *m = catalogue_module_find(catalogue, code, strlen(code));
        bool last = i + 1 == p->essential_remaining_count && p->electives_needed == 0;
        buf_appendf(&b, "%s%s", i == 0 ? "" : last ? " and " : ", ", m ? m->title : code);
    }
    /* "1 more elective" once some are done; "2 electives" when none are yet. */
    if (p->electives_needed > 0)
        buf_appendf(&b, "%s%d %selective%s", p->essential_remaining_count ? " and " : "", p->electives_needed,
                    p->electives_done_count > 0 ? "more " : "", p->electives_needed == 1 ? "" : "s");
    snprintf(out, size, "%s", b.data ? b.data : "");
    buf_free(&b);
}
