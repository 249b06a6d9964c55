/*
 * The programme pages (programme.h says what each route is): applying as a GOV.UK question-page
 * journey, an application's page where the sponsor and the provider decide, an enrolment's page
 * where it is deferred, resumed or withdrawn, and a participant's pathway. Kept apart from the
 * account and administration pages because they follow one record through its states.
 *
 * No rule lives here. Drafts, steps and pathways go through app/applications.h, exactly as the
 * JSON API does; which steps to offer is asked of policy_application_step and of the domain's
 * state machines (application_step_next, enrolment_step_next), so a button is shown only when
 * pressing it could succeed. What is here is reading forms, choosing what to show the caller and
 * rendering with html_printf.
 */
#include "pages/programme.h"

#include "app/applications.h"
#include "domain/rules.h"
#include "http/reply.h"
#include "http/site.h"
#include "lib/date.h"
#include "pages/forms.h"
#include "pages/html.h"
#include "pages/layout.h"
#include "pages/widgets.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum {
    ELECTIVES_MAX = 32,       /* elective checkboxes read from one form */
    APPLICATIONS_SHOWN = 100, /* rows of the applications list */
    SPONSORS_MAX = 500,       /* headteachers offered as sponsors */
    SCHOLARSHIP_ROWS = 5,
};

/* Helpers: text */

/* "£1,250" or "£1,250.50". */
static const char *money_text(struct request *request, int64_t pence)
{
    char digits[24], grouped[40];
    snprintf(digits, sizeof(digits), "%" PRId64, pence / 100);
    size_t n = strlen(digits), o = 0;
    for (size_t i = 0; i < n && o + 2 < sizeof(grouped); i++) {
        if (i > 0 && (n - i) % 3 == 0)
            grouped[o++] = ',';
        grouped[o++] = digits[i];
    }
    grouped[o] = '\0';
    int rest = (int)(pence % 100);
    return rest ? request_printf(request, "£%s.%02d", grouped, rest) : request_printf(request, "£%s", grouped);
}

/* "submit" as "Submit": step names shown in a history. */
static const char *capitalised(struct request *request, const char *s)
{
    char *out = request_strndup(request, str_of(s ? s : ""));
    if (out[0] >= 'a' && out[0] <= 'z')
        out[0] = (char)(out[0] - 'a' + 'A');
    return out;
}

/* "NPQSL" for a qualification, the title for a module: short enough for a table column. */
static const char *target_short(const struct catalogue *c, enum study_kind kind, const char *code)
{
    return kind == STUDY_QUALIFICATION ? code : study_title(c, kind, code);
}

/* Helpers: page furniture */

/* GOV.UK asks for "Error: " before the title of a page showing errors. */
static const char *page_title(struct request *request, const char *title, const struct errors *errors)
{
    return errors && errors->count ? request_printf(request, "Error: %s", title) : title;
}

static void link_button(struct buf *b, const char *href, const char *text, const char *variant)
{
    html_printf(b,
                "<a href=\"%s\" role=\"button\" draggable=\"false\" class=\"govuk-button%R%s\" "
                "data-module=\"govuk-button\">%s</a>",
                href, variant ? " govuk-button--" : "", variant ? variant : "", text);
}

/* A submit button sending its form to action (several buttons may share one form). */
static void step_button(struct buf *b, const char *action, const char *text, const char *variant)
{
    html_printf(b,
                "<button type=\"submit\" formaction=\"%s\" class=\"govuk-button%R%s\" "
                "data-module=\"govuk-button\">%s</button>",
                action, variant ? " govuk-button--" : "", variant ? variant : "", text);
}

/*
 * A summary-list row. id (or NULL) is where the error summary links for this answer; value is
 * markup made with html_printf; change (or NULL) is the address of the question. Rows of a list
 * where some have a Change link and others not say so (no_actions), as GOV.UK asks.
 */
static void summary_row(struct buf *b, const char *id, const char *key, const char *value, const char *change,
                        bool no_actions)
{
    html_printf(b, "<div class=\"govuk-summary-list__row%R\"",
                no_actions ? " govuk-summary-list__row--no-actions" : "");
    if (id != NULL)
        html_printf(b, " id=\"%s\"", id);
    html_printf(b,
                "><dt class=\"govuk-summary-list__key\">%s</dt><dd class=\"govuk-summary-list__value "
                "govuk-!-text-break-word\">%R</dd>",
                key, value);
    if (change != NULL)
        html_printf(b,
                    "<dd class=\"govuk-summary-list__actions\"><a class=\"govuk-link\" href=\"%s\">Change"
                    "<span class=\"govuk-visually-hidden\"> %s</span></a></dd>",
                    change, key);
    html_printf(b, "</div>");
}

/* Text as summary-row markup; "Not given" when empty. */
static const char *text_value(struct request *request, const char *text)
{
    struct buf b;
    buf_init(&b, 64 * 1024);
    html_printf(&b, "%s", text && *text ? text : "Not given");
    return page_markup(request, &b);
}

/* Module titles as a bullet list, as summary-row markup. */
static const char *modules_value(struct request *request, const struct catalogue *c, const char **codes, size_t count,
                                 const char *none)
{
    struct buf b;
    buf_init(&b, 64 * 1024);
    if (count == 0)
        html_printf(&b, "%s", none);
    else {
        html_printf(&b, "<ul class=\"govuk-list\">");
        for (size_t i = 0; i < count; i++)
            html_printf(&b, "<li>%s</li>", page_module_title(c, codes[i]));
        html_printf(&b, "</ul>");
    }
    return page_markup(request, &b);
}

static const char *application_tag_colour(enum application_state state)
{
    switch (state) {
    case APPLICATION_DRAFT: return " govuk-tag--grey";
    case APPLICATION_SUBMITTED: return " govuk-tag--blue";
    case APPLICATION_SPONSOR_APPROVED: return " govuk-tag--turquoise";
    case APPLICATION_SPONSOR_DECLINED:
    case APPLICATION_REJECTED: return " govuk-tag--red";
    case APPLICATION_ACCEPTED:
    case APPLICATION_ENROLLED: return " govuk-tag--green";
    case APPLICATION_STATE_COUNT: break;
    }
    return "";
}

static const char *enrolment_tag_colour(enum enrolment_state state)
{
    switch (state) {
    case ENROLMENT_ACTIVE: return " govuk-tag--green";
    case ENROLMENT_DEFERRED: return " govuk-tag--yellow";
    case ENROLMENT_WITHDRAWN: return " govuk-tag--red";
    case ENROLMENT_COMPLETED: return " govuk-tag--blue";
    }
    return "";
}

/* Who did what and when, newest last, as the store keeps it. application says which states. */
static void history_list(struct buf *b, struct request *request, const struct history_event *events, size_t count,
                         bool application)
{
    html_printf(b, "<h2 class=\"govuk-heading-m\">History</h2>");
    if (count == 0) {
        html_printf(b, "<p class=\"govuk-body\">Nothing has happened to it yet.</p>");
        return;
    }
    html_printf(b, "<ol class=\"govuk-list\" data-testid=\"history\">");
    for (size_t i = 0; i < count; i++) {
        const struct history_event *e = &events[i];
        const char *to = e->to_state ? e->to_state : "";
        if (application) {
            enum application_state s;
            if (application_state_parse(to, &s))
                to = application_state_title(s);
        } else {
            enum enrolment_state s;
            if (enrolment_state_parse(to, &s))
                to = enrolment_state_title(s);
        }
        html_printf(b,
                    "<li class=\"govuk-!-margin-bottom-4 govuk-!-text-break-word\"><strong>%s</strong>: %s"
                    "<br><span class=\"govuk-hint govuk-!-font-size-16\">by %s, %s</span>",
                    capitalised(request, e->step), to, e->actor_label, page_time(request, e->at, DATE_MOMENT));
        if (e->reason && *e->reason)
            html_printf(b, "<br>Reason: %s", e->reason);
        html_printf(b, "</li>");
    }
    html_printf(b, "</ol>");
}

/*
 * Radios in a fieldset whose legend is the question (the page's h1, or an h2). The first input's
 * id is id, where the error summary links; the others add -2, -3... An item's conditional markup
 * is revealed under it when it is chosen; without JavaScript it is simply always shown.
 */
struct radio_item {
    const char *value;
    const char *label;
    const char *hint;        /* or NULL */
    const char *conditional; /* markup made with html_printf, or NULL */
};

static void radios(struct buf *b, struct request *request, const char *name, const char *id, const char *legend,
                   bool page_heading, const char *hint, const struct radio_item *items, size_t count,
                   const char *selected, const struct errors *errors)
{
    const char *error = forms_field_error(errors, id);
    html_printf(b, "<div class=\"govuk-form-group%R\"><fieldset class=\"govuk-fieldset\"",
                error ? " govuk-form-group--error" : "");
    if (hint != NULL || error != NULL) {
        html_printf(b, " aria-describedby=\"");
        if (hint != NULL)
            html_printf(b, "%s-hint", id);
        if (error != NULL)
            html_printf(b, "%R%s-error", hint ? " " : "", id);
        html_printf(b, "\"");
    }
    if (page_heading)
        html_printf(b,
                    "><legend class=\"govuk-fieldset__legend govuk-fieldset__legend--l\">"
                    "<h1 class=\"govuk-fieldset__heading\">%s</h1></legend>",
                    legend);
    else
        html_printf(b,
                    "><legend class=\"govuk-fieldset__legend govuk-fieldset__legend--m\">"
                    "<h2 class=\"govuk-fieldset__heading\">%s</h2></legend>",
                    legend);
    if (hint != NULL)
        html_printf(b, "<div id=\"%s-hint\" class=\"govuk-hint\">%s</div>", id, hint);
    if (error != NULL)
        html_printf(b,
                    "<p id=\"%s-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">"
                    "Error:</span> %s</p>",
                    id, error);
    html_printf(b, "<div class=\"govuk-radios\" data-module=\"govuk-radios\">");
    for (size_t i = 0; i < count; i++) {
        const struct radio_item *item = &items[i];
        const char *item_id = i == 0 ? id : request_printf(request, "%s-%zu", id, i + 1);
        bool checked = selected != NULL && strcmp(selected, item->value) == 0;
        html_printf(b,
                    "<div class=\"govuk-radios__item\"><input class=\"govuk-radios__input\" id=\"%s\" name=\"%s\" "
                    "type=\"radio\" value=\"%s\"%R",
                    item_id, name, item->value, checked ? " checked" : "");
        if (item->hint != NULL)
            html_printf(b, " aria-describedby=\"%s-item-hint\"", item_id);
        if (item->conditional != NULL)
            html_printf(b, " data-reveals=\"conditional-%s\"", item_id); /* shown by app.js */
        html_printf(b, "><label class=\"govuk-label govuk-radios__label\" for=\"%s\">%s</label>", item_id, item->label);
        if (item->hint != NULL)
            html_printf(b, "<div id=\"%s-item-hint\" class=\"govuk-hint govuk-radios__hint\">%s</div>", item_id,
                        item->hint);
        html_printf(b, "</div>");
        if (item->conditional != NULL)
            html_printf(b, "<div class=\"govuk-radios__conditional%R\" id=\"conditional-%s\">%R</div>",
                        checked ? "" : " govuk-radios__conditional--hidden", item_id, item->conditional);
    }
    html_printf(b, "</div></fieldset></div>");
}

static const char *id_text(struct request *request, int64_t id)
{
    return id > 0 ? request_printf(request, "%" PRId64, id) : "";
}

/* Apply: the start page */

/* "Fee: £1,250", or "Fees to be confirmed" until the provider sets one. */
static const char *fee_text(struct request *request, const struct fee *fees, size_t count, enum study_kind kind,
                            const char *code)
{
    for (size_t i = 0; i < count; i++)
        if (fees[i].kind == kind && strcasecmp(fees[i].code, code) == 0 && fees[i].amount_pence >= 0)
            return request_printf(request, "Fee: %s", money_text(request, fees[i].amount_pence));
    return "Fees to be confirmed";
}

static void apply_page(struct request *request, const struct catalogue *c, const char *choice, const char *module,
                       const struct errors *errors, int status)
{
    struct fee *fees;
    size_t fee_count;
    if (store_fee_list(request->store, request_arena(request), &fees, &fee_count) != STORE_OK) {
        page_unavailable(request);
        return;
    }
    struct radio_item *items = request_alloc(request, sizeof(*items) * (c->qualification_count + 1));
    size_t n = 0;
    for (size_t i = 0; i < c->qualification_count; i++) {
        const struct catalogue_qualification *q = &c->qualifications[i];
        char modules[128];
        rules_describe_modules(&q->rule, modules, sizeof(modules));
        /* A course of the DfE's 2021 suite has no modules to describe: say who funds it and how it ends. */
        const struct dfe_code *group = dfe_code_find(&dfe_course_groups, q->course_group);
        bool npq = group != NULL && (strcmp(group->code, "leadership") == 0 || strcmp(group->code, "specialist") == 0);
        if (group != NULL)
            snprintf(modules, sizeof(modules), "%s%s funded by the DfE, %s", npq ? "A " : "",
                     npq ? (strcmp(group->code, "leadership") == 0 ? "leadership NPQ" : "specialist NPQ")
                         : group->title,
                     q->rule.final_assessment ? "with a final assessment" : "with no final assessment");
        items[n++] =
            (struct radio_item){q->code, request_printf(request, "%s (%s)", q->title, q->code),
                                request_printf(request, "%s. %s.", modules,
                                               fee_text(request, fees, fee_count, STUDY_QUALIFICATION, q->code)),
                                NULL};
    }
    struct form_option *options = request_alloc(request, sizeof(*options) * (c->module_count + 1));
    options[0] = (struct form_option){"", "Choose a module"};
    for (size_t i = 0; i < c->module_count; i++)
        options[i + 1] = (struct form_option){c->modules[i].code, c->modules[i].title};
    struct buf conditional;
    buf_init(&conditional, 256 * 1024);
    forms_select(&conditional, "module", "Which module?", options, c->module_count + 1, module,
                 "It counts later towards any qualification that includes it.", errors);
    items[n++] =
        (struct radio_item){"module", "A single module studied alone", NULL, page_markup(request, &conditional)};

    struct page page;
    page_begin(&page, page_title(request, "What do you want to apply for?", errors), SECTION_APPLICATIONS);
    page_breadcrumbs(&page, request, "/applications", "Applications", NULL, NULL);
    struct buf *b = &page.body;
    html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    forms_error_summary(b, errors);
    forms_begin(b, request, "/apply");
    radios(b, request, "choice", "target", "What do you want to apply for?", true,
           "A qualification is a set of essential and elective modules. A module studied alone can count later "
           "towards a qualification.",
           items, n, choice, errors);
    forms_button(b, "Continue", NULL);
    forms_end(b);
    html_printf(b, "</div></div>");
    page_send(request, &page, status);
}

void page_apply(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c != NULL)
        apply_page(request, c, NULL, NULL, NULL, 200);
}

void page_apply_start(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    const char *choice = forms_text(request, "choice");
    const char *module = forms_text(request, "module");
    struct application a = {.participant_id = request->caller->user_id,
                            .kind = STUDY_QUALIFICATION,
                            .target = choice,
                            .job_role = "",
                            .preferred_region = "",
                            .scholarship_eligibility = "",
                            .delivery_model = DELIVERY_BLENDED,
                            .funding = FUNDING_SCHOOL};
    if (strcmp(choice, "module") == 0) {
        a.kind = STUDY_MODULE;
        a.target = module;
    }
    /* The applicant's own school, when they have one, is the likely answer to "your school". */
    struct user me;
    struct organisation school;
    struct arena *arena = request_arena(request);
    if (store_user_get(request->store, a.participant_id, arena, &me) == STORE_OK && me.organisation_id &&
        store_organisation_get(request->store, me.organisation_id, arena, &school) == STORE_OK &&
        school.kind == ORG_SCHOOL)
        a.school_id = school.id;

    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct errors errors = ERRORS_INIT;
    enum app_result r = applications_save_draft(&env, c, &a, &errors);
    if (r == APP_OK)
        reply_redirect(request, request_printf(request, "/applications/%" PRId64 "/edit", a.id));
    else if (!page_refused(request, r, &errors))
        apply_page(request, c, choice, module, &errors, page_status(r));
    errors_free(&errors);
}

/* The list */

void page_applications(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct application_filter filter = {.state = -1};
    struct store_page first = {.limit = APPLICATIONS_SHOWN};
    struct application *list;
    size_t count, total;
    if (store_application_list(request->store, request->caller, &filter, &first, request_arena(request), &list, &count,
                               &total) != STORE_OK) {
        page_unavailable(request);
        return;
    }
    struct page page;
    page_begin(&page, "Applications", SECTION_APPLICATIONS);
    struct buf *b = &page.body;
    html_printf(b, "<h1 class=\"govuk-heading-l\">Applications</h1>");
    link_button(b, "/apply", "Start an application", NULL);
    if (caller_has(request->caller, ROLE_PARTICIPANT))
        html_printf(b,
                    "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/participants/%s/pathway\">Your "
                    "pathway</a>: the modules you have completed and what they count towards.</p>",
                    id_text(request, request->caller->user_id));
    if (count == 0) {
        html_printf(b, "<p class=\"govuk-body\">There are no applications to show yet.</p>");
        page_send(request, &page, 200);
        return;
    }
    if (total > count)
        html_printf(b, "<p class=\"govuk-body\">Showing the newest %zu of %zu applications.</p>", count, total);
    html_printf(b, "<table class=\"govuk-table govuk-table--small-text-until-tablet\">"
                   "<caption class=\"govuk-table__caption govuk-visually-hidden\">Applications you can see</caption>"
                   "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">"
                   "<th scope=\"col\" class=\"govuk-table__header\">Applicant</th>"
                   "<th scope=\"col\" class=\"govuk-table__header\">Applying for</th>"
                   "<th scope=\"col\" class=\"govuk-table__header\">Status</th>"
                   "<th scope=\"col\" class=\"govuk-table__header\">Updated</th></tr></thead>"
                   "<tbody class=\"govuk-table__body\">");
    for (size_t i = 0; i < count; i++) {
        const struct application *a = &list[i];
        html_printf(b,
                    "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">%s</td>"
                    "<td class=\"govuk-table__cell\"><a class=\"govuk-link\" href=\"/applications/%s\">%s"
                    "<span class=\"govuk-visually-hidden\"> application from %s</span></a></td>"
                    "<td class=\"govuk-table__cell\"><strong class=\"govuk-tag%R\">%s</strong></td>"
                    "<td class=\"govuk-table__cell\">%s</td></tr>",
                    a->participant_name, id_text(request, a->id), target_short(c, a->kind, a->target),
                    a->participant_name, application_tag_colour(a->state), application_state_title(a->state),
                    page_time(request, a->updated_at, DATE_SHORT_DAY));
    }
    html_printf(b, "</tbody></table>");
    page_table_stack(b);
    page_send(request, &page, 200);
}

/* An application's answers */

/* The application in the URL, whose relation the gate loaded. */
static bool may_change(const struct request *request)
{
    return policy_may_change_application(request->caller, &request->relation);
}

static void refuse_change(struct request *request)
{
    page_error(request, 403, "You cannot change this application",
               "Only the applicant or a provider administrator can change it.");
}

/*
 * The answers as summary lists. On the check page (check) each answer has a Change link to its
 * question, and each row's id is the field the domain names in a refusal, so the error summary
 * links to the answer at fault.
 */
/* The application in the DfE's terms, for a course the DfE funds. */

static const struct catalogue_qualification *dfe_qualification(const struct catalogue *c, const struct application *a)
{
    const struct catalogue_qualification *q =
        a->kind == STUDY_QUALIFICATION ? catalogue_qualification_find(c, a->target, strlen(a->target)) : NULL;
    return q != NULL && q->dfe_course != NULL ? q : NULL;
}

static const char *flag_name(enum dfe_flag flag)
{
    return flag == DFE_YES ? "yes" : flag == DFE_NO ? "no" : "";
}

static enum dfe_flag flag_parse(const char *text)
{
    return strcmp(text, "yes") == 0 ? DFE_YES : strcmp(text, "no") == 0 ? DFE_NO : DFE_UNKNOWN;
}

static const char *flag_title(enum dfe_flag flag)
{
    return flag == DFE_YES ? "Yes" : flag == DFE_NO ? "No" : "Not answered";
}

static const char *code_title(const struct dfe_codes *codes, const char *code)
{
    const struct dfe_code *found = dfe_code_find(codes, code);
    return found ? found->title : "Not answered";
}

static const char *given_or(const char *text, const char *otherwise)
{
    return text != NULL && *text ? text : otherwise;
}

/* Who decides funding: the provider, never the applicant. */
static bool decides_funding(const struct request *request)
{
    return caller_has(request->caller, ROLE_ADMIN);
}

static void dfe_answers(struct buf *b, struct request *request, const struct application *a, bool senco, bool check,
                        const char *edit)
{
    const struct dfe_application *d = &a->dfe;
#define DFE_CHANGE(anchor) (check ? request_printf(request, "%s#%s", edit, anchor) : NULL)
    html_printf(b,
                "<h2 class=\"govuk-heading-m\">For the Department for Education</h2><dl class=\"govuk-summary-list\">");
    summary_row(b, "trn", "Teacher reference number (TRN)", text_value(request, given_or(d->trn, "Not answered")),
                DFE_CHANGE("trn"), false);
    summary_row(b, "employment_type", "Where they work",
                text_value(request, code_title(&dfe_employment_types, d->employment_type)),
                DFE_CHANGE("employment_type"), false);
    summary_row(b, "school_urn", "School URN", text_value(request, given_or(d->school_urn, "Not given")),
                DFE_CHANGE("school_urn"), false);
    summary_row(b, "school_ukprn", "School UKPRN", text_value(request, given_or(d->school_ukprn, "Not given")),
                DFE_CHANGE("school_ukprn"), false);
    if (*given_or(d->employer_name, ""))
        summary_row(b, "employer_name", "Employer", text_value(request, d->employer_name), DFE_CHANGE("employer_name"),
                    false);
    summary_row(b, "headteacher_status", "Headteacher",
                text_value(request, code_title(&dfe_headteacher_statuses, d->headteacher_status)),
                DFE_CHANGE("headteacher_status"), false);
    if (senco) {
        summary_row(b, "works_as_senco", "Works as a SENCO", text_value(request, flag_title(d->works_as_senco)),
                    DFE_CHANGE("works_as_senco"), false);
        summary_row(b, "senco_start_date", "SENCO since",
                    text_value(request, given_or(d->senco_start_date, "Not given")), DFE_CHANGE("senco_start_date"),
                    false);
    }
    summary_row(b, "funding_choice", "Paid for by",
                text_value(request, code_title(&dfe_funding_choices, d->funding_choice)), DFE_CHANGE("funding_choice"),
                false);
    summary_row(b, "eligible_for_funding", "Eligible for DfE funding",
                text_value(request, flag_title(d->eligible_for_funding)), NULL, false);
    summary_row(b, "funded_place", "Funded place", text_value(request, flag_title(d->funded_place)), NULL, false);
    if (*given_or(d->ineligibility_reason, ""))
        summary_row(b, "ineligibility_reason", "Why not eligible",
                    text_value(request, code_title(&dfe_ineligibility_reasons, d->ineligibility_reason)), NULL, false);
    if (*given_or(d->decision_reason_code, ""))
        summary_row(b, "rejection_reason_code", "The DfE's reason for the rejection",
                    text_value(request, code_title(&dfe_rejection_reasons, d->decision_reason_code)), NULL, false);
    html_printf(b, "</dl>");
#undef DFE_CHANGE
}

static void flag_select(struct buf *b, const char *name, const char *label, enum dfe_flag flag, const char *hint,
                        const struct errors *errors)
{
    static const struct form_option options[] = {{"", "Not answered"}, {"yes", "Yes"}, {"no", "No"}};
    forms_select(b, name, label, options, 3, flag_name(flag), hint, errors);
}

static struct form_option *dfe_options(struct request *request, const struct dfe_codes *codes, const char *none,
                                       size_t *count);
static void dfe_reason_select(struct buf *b, struct request *request, const char *name, const struct dfe_codes *codes,
                              const char *chosen, const struct errors *errors);

static void dfe_questions(struct buf *b, struct request *request, const struct application *a, bool senco,
                          const struct errors *errors)
{
    const struct dfe_application *d = &a->dfe;
    size_t n;
    html_printf(b, "<h2 class=\"govuk-heading-m\">For the Department for Education</h2>"
                   "<p class=\"govuk-body\">The DfE funds this course and asks the provider for these answers.</p>");
    forms_input(b, "trn", "Teacher reference number (TRN)", "text", d->trn, "7 digits, for example 1234567", NULL,
                errors);
    struct form_option *options = dfe_options(request, &dfe_employment_types, "Choose where you work", &n);
    forms_select(b, "employment_type", "Where do you work?", options, n, given_or(d->employment_type, ""), NULL,
                 errors);
    forms_input(b, "school_urn", "School URN", "text", d->school_urn,
                "6 digits, for example 106286, or EY and 6 digits for a nursery", NULL, errors);
    forms_input(b, "school_ukprn", "School UKPRN", "text", d->school_ukprn,
                "Only where the school has no URN: 8 digits beginning with 1", NULL, errors);
    forms_input(b, "employer_name", "Employer", "text", d->employer_name, "If you are not employed by a school",
                "organization", errors);
    options = dfe_options(request, &dfe_headteacher_statuses, "Choose one", &n);
    forms_select(b, "headteacher_status", "Are you, or will you be, a headteacher?", options, n,
                 given_or(d->headteacher_status, ""), NULL, errors);
    if (senco) {
        flag_select(b, "works_as_senco", "Do you work as a SENCO?", d->works_as_senco, NULL, errors);
        forms_input(b, "senco_start_date", "When did you start as SENCO?", "text", d->senco_start_date,
                    "As YYYY-MM-DD, for example 2021-09-01", NULL, errors);
    }
    options = dfe_options(request, &dfe_funding_choices, "Choose who pays", &n);
    forms_select(b, "funding_choice", "If the DfE does not fund your place, who pays?", options, n,
                 given_or(d->funding_choice, ""), NULL, errors);
    if (decides_funding(request)) {
        html_printf(b, "<h3 class=\"govuk-heading-s\">The provider's decision on funding</h3>");
        flag_select(b, "eligible_for_funding", "Eligible for DfE funding", d->eligible_for_funding, NULL, errors);
        flag_select(b, "funded_place", "Funded place", d->funded_place, "Only for an applicant eligible for funding",
                    errors);
        options = dfe_options(request, &dfe_ineligibility_reasons, "None", &n);
        forms_select(b, "ineligibility_reason", "Why not eligible", options, n, given_or(d->ineligibility_reason, ""),
                     "Only for an applicant not eligible for funding", errors);
    }
}

/* Reads the DfE questions of the edit form, shown for a DfE course only. */
static void read_dfe_answers(struct request *request, struct application *a)
{
    struct dfe_application *d = &a->dfe;
    d->trn = forms_text(request, "trn");
    d->employment_type = forms_text(request, "employment_type");
    d->school_urn = forms_text(request, "school_urn");
    d->school_ukprn = forms_text(request, "school_ukprn");
    d->employer_name = forms_text(request, "employer_name");
    d->headteacher_status = forms_text(request, "headteacher_status");
    /* Asked of the SENCO course only; elsewhere they stay unanswered. */
    d->works_as_senco = flag_parse(forms_text(request, "works_as_senco"));
    d->senco_start_date = forms_text(request, "senco_start_date");
    d->funding_choice = forms_text(request, "funding_choice");
    if (decides_funding(request)) {
        d->eligible_for_funding = flag_parse(forms_text(request, "eligible_for_funding"));
        d->funded_place = flag_parse(forms_text(request, "funded_place"));
        d->ineligibility_reason = forms_text(request, "ineligibility_reason");
    }
}

static void answers(struct buf *b, struct request *request, const struct catalogue *c, const struct application *a,
                    bool check)
{
    bool own = a->participant_id == request->caller->user_id;
    const char *edit = request_printf(request, "/applications/%" PRId64 "/edit", a->id);
#define CHANGE(anchor) (check ? request_printf(request, "%s#%s", edit, anchor) : NULL)
    const struct catalogue_qualification *q =
        a->kind == STUDY_QUALIFICATION ? catalogue_qualification_find(c, a->target, strlen(a->target)) : NULL;
    const char *what = q ? request_printf(request, "%s (%s)", q->title, q->code) : study_title(c, a->kind, a->target);

    html_printf(b, "<h2 class=\"govuk-heading-m\">%s</h2><dl class=\"govuk-summary-list\">",
                own ? "What you are applying for" : "What they are applying for");
    summary_row(b, "target", a->kind == STUDY_QUALIFICATION ? "Qualification" : "Module studied alone",
                text_value(request, what), NULL, check);
    if (q != NULL) {
        summary_row(b, "electives", "Elective modules",
                    modules_value(request, c, a->electives, a->elective_count, "None chosen yet"), CHANGE("electives"),
                    false);
        summary_row(b, NULL, "Essential modules",
                    modules_value(request, c, q->rule.essential, q->rule.essential_count, "None"), NULL, check);
    }
    html_printf(b, "</dl><h2 class=\"govuk-heading-m\">%s</h2><dl class=\"govuk-summary-list\">",
                own ? "About you" : "About the applicant");
    summary_row(b, "school_id", "School", text_value(request, a->school_name), CHANGE("school_id"), false);
    summary_row(b, "job_role", "Job role", text_value(request, a->job_role), CHANGE("job_role"), false);
    summary_row(b, "sponsor_id", "Sponsor", text_value(request, a->sponsor_name), CHANGE("sponsor_id"), false);
    html_printf(b, "</dl><h2 class=\"govuk-heading-m\">How and where</h2><dl class=\"govuk-summary-list\">");
    summary_row(b, "delivery_model", "Delivery model", text_value(request, delivery_model_title(a->delivery_model)),
                CHANGE("delivery_model"), false);
    summary_row(b, "preferred_region", "Preferred region",
                text_value(request, *a->preferred_region ? a->preferred_region : "No preference"),
                CHANGE("preferred_region"), false);
    summary_row(b, "preferred_partner_id", "Delivery partner",
                text_value(request, a->preferred_partner_name ? a->preferred_partner_name : "No preference"),
                CHANGE("preferred_partner_id"), false);
    html_printf(b, "</dl><h2 class=\"govuk-heading-m\">Funding</h2><dl class=\"govuk-summary-list\">");
    summary_row(b, "funding_route", "Funding", text_value(request, funding_route_title(a->funding)),
                CHANGE("funding_route"), false);
    if (a->funding == FUNDING_SCHOLARSHIP)
        summary_row(b, "scholarship_eligibility", "Why eligible for a scholarship",
                    text_value(request, a->scholarship_eligibility), CHANGE("scholarship_eligibility"), false);
    if (!check && a->decision_reason && *a->decision_reason)
        summary_row(b, NULL, "Reason for the decision", text_value(request, a->decision_reason), NULL, false);
    html_printf(b, "</dl>");
    const struct catalogue_qualification *dfe = dfe_qualification(c, a);
    if (dfe != NULL)
        dfe_answers(b, request, a, dfe_course_find(dfe->dfe_course)->needs_senco_details, check, edit);
#undef CHANGE
}

/* The application page */

/* The fixed sentence for ?done=STEP; anything else shows none. */
static const char *application_notice(struct request *request)
{
    static const char *const sentences[APPLICATION_STEP_COUNT] = {
        [STEP_SUBMIT] = "The application is submitted. We have emailed the sponsor to ask them to approve it.",
        [STEP_APPROVE] = "You have approved the application. The provider will now consider it.",
        [STEP_DECLINE] = "You have declined the application. The applicant can see your reason.",
        [STEP_ACCEPT] = "The application is accepted. Enrol the participant in a cohort next.",
        [STEP_REJECT] = "The application is rejected. The applicant can see your reason.",
        [STEP_ENROL] = "The participant is enrolled in the cohort.",
    };
    enum application_step step;
    const char *done = form_get(request_query(request), "done");
    return done != NULL && application_step_parse(done, &step) ? sentences[step] : NULL;
}

/* Whether the application's state lets step be taken now. The reason is a stand-in, so that
 * declining and rejecting are judged on the state alone (the form asks for the real one). */
static bool step_open(enum application_state state, enum application_step step)
{
    struct errors scratch = ERRORS_INIT;
    enum application_state next;
    bool open = application_step_next(state, step, "a reason", &next, &scratch);
    errors_free(&scratch);
    return open;
}

/* What the caller may do now: each step the policy lets them take and the state allows. */
static void application_actions(struct buf *b, struct request *request, const struct application *a, bool dfe,
                                const bool can[APPLICATION_STEP_COUNT], const struct errors *errors, const char *reason,
                                int64_t cohort_id)
{
    const char *base = request_printf(request, "/applications/%" PRId64, a->id);
    if (can[STEP_SUBMIT]) {
        html_printf(b,
                    "<p class=\"govuk-body\">This application is a draft. <a class=\"govuk-link\" "
                    "href=\"%s/edit\">Change your answers</a>, or submit it.</p>",
                    base);
        forms_begin(b, request, request_printf(request, "%s/submit", base));
        html_printf(b, "<div class=\"govuk-button-group\">");
        forms_button(b, "Submit application", NULL);
        html_printf(b, "<a class=\"govuk-link\" href=\"%s/check\">Check your answers first</a></div>", base);
        forms_end(b);
    }
    /* Two decisions share one form and its reason: each button sends it to its own step. */
    static const struct {
        enum application_step yes, no;
        const char *heading, *hint;
    } decisions[] = {
        {STEP_APPROVE, STEP_DECLINE, "Approve or decline",
         "Needed if you decline, and shown to the applicant. You can add one when approving too."},
        {STEP_ACCEPT, STEP_REJECT, "Accept or reject",
         "Needed if you reject, and shown to the applicant. You can add one when accepting too."},
    };
    for (size_t i = 0; i < sizeof(decisions) / sizeof(decisions[0]); i++) {
        enum application_step yes = decisions[i].yes, no = decisions[i].no;
        if (!can[yes] && !can[no])
            continue;
        html_printf(b, "<h3 class=\"govuk-heading-s\">%s</h3>", decisions[i].heading);
        forms_begin(b, request, request_printf(request, "%s/%s", base, application_step_name(can[yes] ? yes : no)));
        /* A rejection of a DfE course carries the DfE's code beside the note. */
        if (dfe && can[STEP_REJECT] && no == STEP_REJECT)
            dfe_reason_select(b, request, "reason_code", &dfe_rejection_reasons, forms_text(request, "reason_code"),
                              errors);
        forms_textarea(b, "reason", "Reason", reason, decisions[i].hint, 3, errors);
        html_printf(b, "<div class=\"govuk-button-group\">");
        if (can[yes])
            step_button(b, request_printf(request, "%s/%s", base, application_step_name(yes)),
                        capitalised(request, application_step_name(yes)), NULL);
        if (can[no])
            step_button(b, request_printf(request, "%s/%s", base, application_step_name(no)),
                        capitalised(request, application_step_name(no)), "warning");
        html_printf(b, "</div>");
        forms_end(b);
    }
    if (can[STEP_ENROL]) {
        struct cohort *cohorts;
        size_t count = 0;
        if (store_cohort_list(request->store, a->target, NULL, request_arena(request), &cohorts, &count) != STORE_OK)
            count = 0;
        struct form_option *options = request_alloc(request, sizeof(*options) * (count + 1));
        size_t n = 0;
        options[n++] = (struct form_option){"", "Choose a cohort"};
        for (size_t i = 0; i < count; i++)
            if (cohorts[i].kind == a->kind)
                options[n++] = (struct form_option){id_text(request, cohorts[i].id),
                                                    request_printf(request, "%s, from %s (%s)", cohorts[i].code,
                                                                   page_date(request, cohorts[i].starts_on, false),
                                                                   delivery_model_title(cohorts[i].delivery_model))};
        html_printf(b, "<h3 class=\"govuk-heading-s\">Enrol in a cohort</h3>");
        if (n == 1) {
            if (policy_allows(PERM_PROGRAMME_MANAGE, request->caller, RESOURCE_NONE, NULL))
                html_printf(b,
                            "<p class=\"govuk-body\" id=\"cohort_id\">There is no cohort for the %s yet. <a "
                            "class=\"govuk-link\" href=\"/cohorts/new?target=%s:%s\">Add a cohort</a>, then enrol the "
                            "participant in it.</p>",
                            a->target, study_kind_name(a->kind), a->target);
            else
                html_printf(b,
                            "<p class=\"govuk-body\" id=\"cohort_id\">There is no cohort for the %s yet. A provider "
                            "administrator adds one; then enrol the participant in it.</p>",
                            a->target);
        } else {
            forms_begin(b, request, request_printf(request, "%s/enrol", base));
            forms_select(b, "cohort_id", "Cohort", options, n, id_text(request, cohort_id), NULL, errors);
            forms_button(b, "Enrol", NULL);
            forms_end(b);
        }
    }
}

static void application_page(struct request *request, const struct catalogue *c, int64_t id,
                             const struct errors *errors, int status, const char *notice, const char *reason,
                             int64_t cohort_id)
{
    struct arena *arena = request_arena(request);
    struct store *store = request->store;
    struct application a;
    struct history_event *events;
    size_t event_count;
    const struct relation *relation = &request->relation; /* the application in the URL, id */
    enum store_status s = store_application_get(store, id, arena, &a);
    if (s == STORE_OK)
        s = store_application_history(store, id, arena, &events, &event_count);
    if (s != STORE_OK) {
        page_store_failed(request, s);
        return;
    }
    bool can[APPLICATION_STEP_COUNT], any = false;
    for (int i = 0; i < APPLICATION_STEP_COUNT; i++) {
        enum application_step step = (enum application_step)i;
        can[i] = policy_application_step(step, request->caller, relation) && step_open(a.state, step);
        any = any || can[i];
    }
    bool own = policy_is_self(request->caller, relation);
    const char *title = study_title(c, a.kind, a.target);

    struct page page;
    page_begin(&page, page_title(request, request_printf(request, "Application: %s", title), errors),
               SECTION_APPLICATIONS);
    if (notice != NULL)
        page_notice(&page, "success", notice);
    page_breadcrumbs(&page, request, "/applications", "Applications", NULL, NULL);
    struct buf *b = &page.body;
    html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    forms_error_summary(b, errors);
    html_printf(b, "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\">%s</h1>",
                own ? "Your application" : request_printf(request, "Application from %s", a.participant_name), title);
    html_printf(b,
                "<p class=\"govuk-body\" id=\"state\"><span class=\"govuk-visually-hidden\">Status: </span><strong "
                "class=\"govuk-tag%R\" "
                "data-testid=\"state\">%s</strong></p>",
                application_tag_colour(a.state), application_state_title(a.state));
    if (a.state == APPLICATION_SUBMITTED && a.sponsor_name != NULL && !relation->sponsor)
        html_printf(b, "<p class=\"govuk-body\">We have emailed %s, the sponsor, to ask them to approve it.</p>",
                    a.sponsor_name);
    if (a.enrolment_id != 0)
        html_printf(b,
                    "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/enrolments/%s\">See the "
                    "enrolment</a></p>",
                    id_text(request, a.enrolment_id));
    answers(b, request, c, &a, false);
    if (any || (errors != NULL && errors->count > 0)) {
        html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"step\">What you can do now</h2>");
        if (!any)
            html_printf(b, "<p class=\"govuk-body\">There is nothing for you to do on this application now.</p>");
        application_actions(b, request, &a, dfe_qualification(c, &a) != NULL, can, errors, reason, cohort_id);
    }
    history_list(b, request, events, event_count, true);
    html_printf(b, "</div></div>");
    page_send(request, &page, status);
}

void page_application(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c != NULL)
        application_page(request, c, request_param_id(request, 0), NULL, 200, application_notice(request), NULL, 0);
}

/* The questions of a draft */

static const struct form_option *organisation_options(struct request *request, enum organisation_kind kind,
                                                      const char *blank, size_t *count)
{
    struct organisation *list;
    size_t n;
    if (store_organisation_list(request->store, (int)kind, NULL, NULL, request_arena(request), &list, &n) != STORE_OK)
        return NULL;
    struct form_option *options = request_alloc(request, sizeof(*options) * (n + 1));
    options[0] = (struct form_option){"", blank};
    for (size_t i = 0; i < n; i++)
        options[i + 1] = (struct form_option){id_text(request, list[i].id), list[i].name};
    *count = n + 1;
    return options;
}

/*
 * The people who may be named as sponsor: the headteachers of the applicant's school (only their
 * ids and names, which is what an applicant needs). Until a school is saved there are none to
 * offer, and the form says to give the school first.
 */
static const struct form_option *sponsor_options(struct request *request, const struct application *a, size_t *count)
{
    struct user *people = NULL;
    size_t n = 0;
    if (a->school_id != 0 && store_school_headteachers(request->store, a->school_id, SPONSORS_MAX,
                                                       request_arena(request), &people, &n) != STORE_OK)
        return NULL;
    struct form_option *options = request_alloc(request, sizeof(*options) * (n + 2));
    size_t k = 0;
    bool current_listed = a->sponsor_id == 0;
    options[k++] = (struct form_option){"", a->school_id ? "Choose your sponsor" : "Save your school first"};
    for (size_t i = 0; i < n; i++) {
        options[k++] = (struct form_option){id_text(request, people[i].id), people[i].name};
        current_listed = current_listed || people[i].id == a->sponsor_id;
    }
    /* A sponsor named another way (through the API) stays a choice, so saving does not drop them. */
    if (!current_listed)
        options[k++] = (struct form_option){id_text(request, a->sponsor_id), a->sponsor_name ? a->sponsor_name : ""};
    *count = k;
    return options;
}

/* The qualification's elective modules as checkboxes grouped by strand, its essential ones listed
 * as already included. */
static void electives_fieldset(struct buf *b, struct request *request, const struct catalogue *c,
                               const struct catalogue_qualification *q, const struct application *a,
                               const struct errors *errors)
{
    const struct catalogue_rule *rule = &q->rule;
    const char *error = forms_field_error(errors, "electives");
    html_printf(b,
                "<div class=\"govuk-form-group%R\"><fieldset class=\"govuk-fieldset\" "
                "aria-describedby=\"electives-hint%R\"><legend class=\"govuk-fieldset__legend "
                "govuk-fieldset__legend--m\"><h2 class=\"govuk-fieldset__heading\">Your elective modules</h2>"
                "</legend>",
                error ? " govuk-form-group--error" : "", error ? " electives-error" : "");
    if (rule->essential_count > 0) {
        html_printf(b,
                    "<div class=\"govuk-inset-text\" data-testid=\"essential\">The %s includes these essential "
                    "modules already:<ul class=\"govuk-list govuk-list--bullet govuk-!-margin-bottom-0\">",
                    q->code);
        for (size_t i = 0; i < rule->essential_count; i++)
            html_printf(b, "<li>%s</li>", page_module_title(c, rule->essential[i]));
        html_printf(b, "</ul></div>");
    }
    html_printf(b, "<div id=\"electives-hint\" class=\"govuk-hint\">Choose %d</div>", rule->elective_count);
    if (error != NULL)
        html_printf(b,
                    "<p id=\"electives-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">"
                    "Error:</span> %s</p>",
                    error);
    size_t shown = 0;
    for (size_t s = 0; s < c->strand_count; s++) {
        const struct catalogue_strand *strand = &c->strands[s];
        size_t in_strand = 0;
        for (size_t i = 0; i < rule->elective_from_count; i++) {
            const struct catalogue_module *m =
                catalogue_module_find(c, rule->elective_from[i], strlen(rule->elective_from[i]));
            if (m == NULL || strcmp(m->strand, strand->code) != 0)
                continue;
            if (in_strand++ == 0)
                html_printf(b,
                            "<h3 class=\"govuk-heading-s govuk-!-margin-top-4 govuk-!-margin-bottom-2\">%s</h3>"
                            "<div class=\"govuk-checkboxes\" data-module=\"govuk-checkboxes\">",
                            strand->title);
            bool checked = false;
            for (size_t e = 0; e < a->elective_count; e++)
                checked = checked || strcasecmp(a->electives[e], m->code) == 0;
            const char *id = shown++ == 0 ? "electives" : request_printf(request, "electives-%zu", shown);
            html_printf(b,
                        "<div class=\"govuk-checkboxes__item\"><input class=\"govuk-checkboxes__input\" id=\"%s\" "
                        "name=\"electives\" type=\"checkbox\" value=\"%s\"%R><label class=\"govuk-label "
                        "govuk-checkboxes__label\" for=\"%s\">%s</label></div>",
                        id, m->code, checked ? " checked" : "", id, m->title);
        }
        if (in_strand > 0)
            html_printf(b, "</div>");
    }
    html_printf(b, "</fieldset></div>");
}

static void edit_page(struct request *request, const struct catalogue *c, const struct application *a,
                      const struct errors *errors, int status)
{
    size_t school_count, partner_count, sponsor_count;
    const struct form_option *schools = organisation_options(request, ORG_SCHOOL, "Choose your school", &school_count);
    const struct form_option *partners =
        organisation_options(request, ORG_DELIVERY_PARTNER, "No preference", &partner_count);
    const struct form_option *sponsors = sponsor_options(request, a, &sponsor_count);
    if (schools == NULL || partners == NULL || sponsors == NULL) {
        page_unavailable(request);
        return;
    }
    struct form_option *regions = request_alloc(request, sizeof(*regions) * (account_region_count + 1));
    regions[0] = (struct form_option){"", "No preference"};
    for (size_t i = 0; i < account_region_count; i++)
        regions[i + 1] = (struct form_option){account_regions[i], account_regions[i]};

    const struct catalogue_qualification *q =
        a->kind == STUDY_QUALIFICATION ? catalogue_qualification_find(c, a->target, strlen(a->target)) : NULL;
    int events = q ? q->rule.min_face_to_face_events : 0;
    const struct radio_item delivery[] = {
        {delivery_model_name(DELIVERY_BLENDED), delivery_model_title(DELIVERY_BLENDED),
         events > 0 ? request_printf(request, "%d face-to-face events, webinars, online study and coaching", events)
                    : "Face-to-face events, webinars, online study and coaching",
         NULL},
        {delivery_model_name(DELIVERY_ONLINE), delivery_model_title(DELIVERY_ONLINE),
         "Virtual live events replace the face-to-face events", NULL},
    };
    struct buf eligibility;
    buf_init(&eligibility, 256 * 1024);
    forms_textarea(&eligibility, "scholarship_eligibility", "Why you are eligible", a->scholarship_eligibility,
                   "For example, the kind of school you work in", SCHOLARSHIP_ROWS, errors);
    const struct radio_item funding[] = {
        {funding_route_name(FUNDING_SCHOOL), funding_route_title(FUNDING_SCHOOL), "Your school pays the fee", NULL},
        {funding_route_name(FUNDING_SELF), funding_route_title(FUNDING_SELF), "You pay the fee yourself", NULL},
        {funding_route_name(FUNDING_SCHOLARSHIP), funding_route_title(FUNDING_SCHOLARSHIP),
         "A scholarship pays the fee, if you are eligible for one", page_markup(request, &eligibility)},
    };

    bool own = a->participant_id == request->caller->user_id;
    struct page page;
    page_begin(&page, page_title(request, "Your application", errors), SECTION_APPLICATIONS);
    page_breadcrumbs(&page, request, "/applications", "Applications", NULL, NULL);
    struct buf *b = &page.body;
    html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    forms_error_summary(b, errors);
    html_printf(b,
                "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\">%s</h1>"
                "<p class=\"govuk-body\">Your answers are saved as a draft each time you continue. You can check "
                "them before you submit.</p>",
                q ? request_printf(request, "%s (%s)", q->title, q->code) : study_title(c, a->kind, a->target),
                own ? "Your application" : request_printf(request, "Application from %s", a->participant_name));
    forms_begin(b, request, request_printf(request, "/applications/%" PRId64 "/edit", a->id));
    if (q != NULL)
        electives_fieldset(b, request, c, q, a, errors);
    html_printf(b, "<h2 class=\"govuk-heading-m\">Your school and job</h2>");
    forms_select(b, "school_id", "School", schools, school_count, id_text(request, a->school_id), NULL, errors);
    forms_input(b, "job_role", "Job role", "text", a->job_role, "For example, assistant headteacher",
                "organization-title", errors);
    html_printf(b, "<h2 class=\"govuk-heading-m\">Your sponsor</h2>");
    forms_select(b, "sponsor_id", "Sponsor", sponsors, sponsor_count, id_text(request, a->sponsor_id),
                 "The headteacher of your school, who must approve your application. When you submit it, we email them "
                 "a link to do so.",
                 errors);
    radios(b, request, "delivery_model", "delivery_model", "How do you want to study?", false, NULL, delivery, 2,
           delivery_model_name(a->delivery_model), errors);
    html_printf(b, "<h2 class=\"govuk-heading-m\">Where you would like to study</h2>");
    forms_select(b, "preferred_region", "Preferred region", regions, account_region_count + 1, a->preferred_region,
                 NULL, errors);
    forms_select(b, "preferred_partner_id", "Delivery partner", partners, partner_count,
                 id_text(request, a->preferred_partner_id), "The teaching school hub or partner that runs the events",
                 errors);
    radios(b, request, "funding_route", "funding_route", "How will your place be funded?", false, NULL, funding, 3,
           funding_route_name(a->funding), errors);
    const struct catalogue_qualification *dfe = dfe_qualification(c, a);
    if (dfe != NULL)
        dfe_questions(b, request, a, dfe_course_find(dfe->dfe_course)->needs_senco_details, errors);
    forms_button(b, "Save and continue", NULL);
    forms_end(b);
    html_printf(b, "</div></div>");
    page_send(request, &page, status);
}

/* Loads the application of the URL for a page about its answers; false after replying. */
static bool load_draft(struct request *request, struct application *a)
{
    enum store_status s =
        store_application_get(request->store, request_param_id(request, 0), request_arena(request), a);
    if (s != STORE_OK) {
        page_store_failed(request, s);
        return false;
    }
    if (!may_change(request)) {
        refuse_change(request);
        return false;
    }
    return true;
}

void page_application_edit(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    struct application a;
    if (c == NULL || !load_draft(request, &a))
        return;
    if (a.state != APPLICATION_DRAFT)
        reply_redirect(request, request_printf(request, "/applications/%" PRId64, a.id));
    else
        edit_page(request, c, &a, NULL, 200);
}

/* Reads the answers of the edit form into a; wrong shapes (an id that is not one) into errors. */
static void read_answers(struct request *request, struct application *a, struct errors *errors)
{
    const char *chosen[ELECTIVES_MAX];
    size_t n = request->form ? form_get_all(request->form, "electives", chosen, ELECTIVES_MAX) : 0;
    a->electives = request_alloc(request, sizeof(char *) * (n + 1));
    for (size_t i = 0; i < n; i++)
        a->electives[i] = chosen[i];
    a->elective_count = n;
    const struct {
        const char *name;
        int64_t *id;
    } ids[] = {{"school_id", &a->school_id},
               {"sponsor_id", &a->sponsor_id},
               {"preferred_partner_id", &a->preferred_partner_id}};
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        int64_t id = forms_id(forms_text(request, ids[i].name));
        if (id < 0)
            errors_add(errors, ids[i].name, "Choose from the list");
        else
            *ids[i].id = id;
    }
    a->job_role = forms_text(request, "job_role");
    a->preferred_region = forms_text(request, "preferred_region");
    if (!delivery_model_parse(forms_text(request, "delivery_model"), &a->delivery_model))
        errors_add(errors, "delivery_model", "Choose blended or online only");
    if (!funding_route_parse(forms_text(request, "funding_route"), &a->funding))
        errors_add(errors, "funding_route", "Choose how your place will be funded");
    /* Without JavaScript the box is shown under every choice; it only means something for one. */
    a->scholarship_eligibility =
        a->funding == FUNDING_SCHOLARSHIP ? forms_text(request, "scholarship_eligibility") : "";
}

void page_application_save(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    struct application a;
    if (c == NULL || !load_draft(request, &a))
        return;
    struct errors errors = ERRORS_INIT;
    int status = 422;
    read_answers(request, &a, &errors);
    const struct catalogue_qualification *dfe = dfe_qualification(c, &a);
    if (dfe != NULL)
        read_dfe_answers(request, &a);
    if (errors.count == 0) {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        enum app_result r = applications_save_draft(&env, c, &a, &errors);
        if (r != APP_OK && page_refused(request, r, &errors))
            goto out;
        if (r == APP_OK) {
            /* Saved. The answers are then checked as submitting will check them, so a mistake
             * shows here beside its question rather than after "Submit". */
            struct application_choice choice = {
                .kind = a.kind,
                .target = a.target,
                .electives = a.electives,
                .elective_count = a.elective_count,
                .funding = a.funding,
                .scholarship_eligibility = a.scholarship_eligibility,
                .has_sponsor = a.sponsor_id != 0,
            };
            char today[DATE_TEXT];
            date_of(request->now, today);
            bool complete = application_check(c, &choice, &errors);
            if (dfe != NULL)
                complete =
                    dfe_application_check(&a.dfe, dfe_course_find(dfe->dfe_course), true, today, &errors) && complete;
            if (complete) {
                reply_redirect(request, request_printf(request, "/applications/%" PRId64 "/check", a.id));
                goto out;
            }
        } else {
            status = page_status(r); /* 409 when it is no longer a draft */
        }
    }
    edit_page(request, c, &a, &errors, status);
out:
    errors_free(&errors);
}

/* Check your answers */

static void check_page(struct request *request, const struct catalogue *c, const struct application *a,
                       const struct errors *errors, int status)
{
    struct page page;
    page_begin(&page, page_title(request, "Check your answers", errors), SECTION_APPLICATIONS);
    page_breadcrumbs(&page, request, "/applications", "Applications", NULL, NULL);
    struct buf *b = &page.body;
    html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    forms_error_summary(b, errors);
    html_printf(b, "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\">Check your answers</h1>",
                study_title(c, a->kind, a->target));
    answers(b, request, c, a, true);
    html_printf(b, "<h2 class=\"govuk-heading-m\">Now submit your application</h2>");
    if (a->sponsor_name != NULL)
        html_printf(b,
                    "<p class=\"govuk-body\">When you submit it, we will email %s, your sponsor, a link to approve "
                    "or decline it.</p>",
                    a->sponsor_name);
    forms_begin(b, request, request_printf(request, "/applications/%" PRId64 "/submit", a->id));
    forms_button(b, "Submit application", NULL);
    forms_end(b);
    html_printf(b, "</div></div>");
    page_send(request, &page, status);
}

void page_application_check(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    struct application a;
    if (c == NULL || !load_draft(request, &a))
        return;
    if (a.state != APPLICATION_DRAFT)
        reply_redirect(request, request_printf(request, "/applications/%" PRId64, a.id));
    else
        check_page(request, c, &a, NULL, 200);
}

/* Steps */

void page_application_step(struct request *request)
{
    char name[16];
    snprintf(name, sizeof(name), "%.*s", (int)request->params[1].len, request->params[1].ptr);
    enum application_step step;
    if (!application_step_parse(name, &step)) {
        page_not_found(request);
        return;
    }
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    int64_t id = request_param_id(request, 0);
    const char *reason = forms_text(request, "reason");
    /* Accepting and rejecting share a form: its DfE code belongs to the rejection alone. */
    const char *reason_code = step == STEP_REJECT ? forms_text(request, "reason_code") : "";
    int64_t cohort_id = forms_id(forms_text(request, "cohort_id"));
    if (cohort_id < 0)
        cohort_id = 0;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct errors errors = ERRORS_INIT;
    enum app_result r = applications_step(&env, c, request->caller, id, step, reason, reason_code, cohort_id, &errors);
    if (r == APP_OK) {
        reply_redirect(request, request_printf(request, "/applications/%" PRId64 "?done=%s", id, name));
    } else if (!page_refused(request, r, &errors)) {
        /* A submission refused by the rules is shown where its answers are: the check page. */
        struct application a;
        if (step == STEP_SUBMIT && r == APP_INVALID &&
            store_application_get(request->store, id, request_arena(request), &a) == STORE_OK &&
            a.state == APPLICATION_DRAFT && may_change(request))
            check_page(request, c, &a, &errors, page_status(r));
        else
            application_page(request, c, id, &errors, page_status(r), NULL, reason, cohort_id);
    }
    errors_free(&errors);
}

/* Enrolments */

static const char *enrolment_notice(struct request *request)
{
    const char *done = form_get(request_query(request), "done");
    enum enrolment_step step;
    if (done != NULL && strcmp(done, "schedule") == 0)
        return "The participant's DfE schedule is changed.";
    if (done == NULL || !enrolment_step_parse(done, &step))
        return NULL;
    switch (step) {
    case ENROLMENT_DEFER: return "The enrolment is deferred.";
    case ENROLMENT_RESUME: return "The enrolment is resumed in the new cohort.";
    case ENROLMENT_WITHDRAW: return "The participant is withdrawn.";
    case ENROLMENT_COMPLETE: return "The enrolment is completed.";
    }
    return NULL;
}

/* Whether the enrolment's state lets step be taken now; the answers are stand-ins that the
 * domain accepts, so only the state decides (the form asks for the real ones). */
static bool enrolment_step_open(enum enrolment_state state, enum enrolment_step step, const char *today)
{
    struct errors scratch = ERRORS_INIT;
    enum enrolment_state next;
    bool open = enrolment_step_next(state, step, "a reason", today, true, today, &next, &scratch);
    errors_free(&scratch);
    return open;
}

/* What was typed into one of the enrolment's forms, shown again with its errors. */
struct enrolment_answers {
    enum enrolment_step step;
    const char *schedule; /* "identifier/cohort" as the schedule form sent it, or NULL */
    const char *reason;
    const char *reason_code;
    const char *expected_return;
    int64_t cohort_id;
};

/* The reason fields of the defer and withdraw forms have their own names, so both forms can be
 * on one page; the domain calls each one "reason". */
static const char *reason_field(enum enrolment_step step)
{
    return step == ENROLMENT_DEFER ? "defer_reason" : "withdraw_reason";
}

static const char *reason_code_field(enum enrolment_step step)
{
    return step == ENROLMENT_DEFER ? "defer_reason_code" : "withdraw_reason_code";
}

/* A DfE code list as the options of a select, after a first option that chooses none. */
static struct form_option *dfe_options(struct request *request, const struct dfe_codes *codes, const char *none,
                                       size_t *count)
{
    struct form_option *options = request_alloc(request, sizeof(*options) * (codes->count + 1));
    options[0] = (struct form_option){"", none};
    for (size_t i = 0; i < codes->count; i++)
        options[i + 1] = (struct form_option){codes->items[i].code, codes->items[i].title};
    *count = codes->count + 1;
    return options;
}

/* The select of the DfE's reasons for a step, on a DfE course only. */
static void dfe_reason_select(struct buf *b, struct request *request, const char *name, const struct dfe_codes *codes,
                              const char *chosen, const struct errors *errors)
{
    size_t n;
    struct form_option *options = dfe_options(request, codes, "Choose the DfE's reason", &n);
    forms_select(b, name, "The DfE's reason", options, n, chosen ? chosen : "",
                 "The lead-provider API takes one of these; say more in the box below", errors);
}

static bool enrolment_is_dfe(const struct catalogue *c, const struct enrolment *e)
{
    const struct catalogue_qualification *q =
        e->kind == STUDY_QUALIFICATION ? catalogue_qualification_find(c, e->target, strlen(e->target)) : NULL;
    return q != NULL && q->dfe_course != NULL;
}

/* A participant's DfE schedule, its milestones, and (for those who manage the enrolment, while it
 * is live) the form to change it to another of the course group's. */
static void enrolment_schedule(struct buf *b, struct request *request, const struct catalogue *c,
                               const struct enrolment *e, bool manage, const struct errors *errors,
                               const struct enrolment_answers *entered)
{
    const struct catalogue_qualification *q =
        e->kind == STUDY_QUALIFICATION ? catalogue_qualification_find(c, e->target, strlen(e->target)) : NULL;
    if (q == NULL || q->course_group == NULL)
        return;
    html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"schedule\">DfE schedule</h2>");
    const struct catalogue_schedule *now =
        e->schedule_identifier ? catalogue_schedule_find(c, e->schedule_identifier, e->schedule_cohort) : NULL;
    if (e->schedule_identifier == NULL) {
        html_printf(b, "<p class=\"govuk-body\">Not on a DfE schedule yet.</p>");
    } else {
        html_printf(b, "<p class=\"govuk-body\" data-testid=\"schedule\">%s (%s, cohort %d)</p>",
                    now ? now->title : "A schedule the catalogue no longer has", e->schedule_identifier,
                    e->schedule_cohort);
    }
    if (now != NULL && now->milestone_count > 0) {
        html_printf(b, "<table class=\"govuk-table\"><caption class=\"govuk-table__caption govuk-table__caption--s\">"
                       "Milestones: when each declaration may be dated</caption><thead class=\"govuk-table__head\">"
                       "<tr class=\"govuk-table__row\"><th scope=\"col\" class=\"govuk-table__header\">Declaration</th>"
                       "<th scope=\"col\" class=\"govuk-table__header\">From</th><th scope=\"col\" "
                       "class=\"govuk-table__header\">Until</th></tr></thead><tbody class=\"govuk-table__body\">");
        for (size_t i = 0; i < now->milestone_count; i++) {
            const struct catalogue_milestone *m = &now->milestones[i];
            html_printf(b,
                        "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">%s</td>"
                        "<td class=\"govuk-table__cell\">%s</td><td class=\"govuk-table__cell\">%s</td></tr>",
                        code_title(&dfe_declaration_types, m->declaration_type),
                        page_date(request, m->start_date, false),
                        m->milestone_date ? page_date(request, m->milestone_date, false) : "No end");
        }
        html_printf(b, "</tbody></table>");
    }
    if (!manage)
        return;
    /* What the evidence shows the participant is due, for the provider to declare. */
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct participant_declarations d;
    if (now != NULL && declarations_for(&env, c, e->id, request_arena(request), &d) == APP_OK) {
        html_printf(b, "<h3 class=\"govuk-heading-s\">Declarations due</h3>");
        if (d.due_count == 0)
            html_printf(b, "<p class=\"govuk-body\">None yet: nothing npq knows shows a milestone reached.</p>");
        else
            html_printf(b, "<ul class=\"govuk-list govuk-list--bullet\" data-testid=\"declarations-due\">");
        for (size_t i = 0; i < d.due_count; i++)
            html_printf(b, "<li>%s, dated %s: %s</li>", code_title(&dfe_declaration_types, d.due[i].declaration_type),
                        page_date(request, d.due[i].declaration_date, false), d.due[i].evidence);
        if (d.due_count > 0)
            html_printf(b, "</ul>");
    }
    if (e->state != ENROLMENT_ACTIVE && e->state != ENROLMENT_DEFERRED)
        return;
    struct form_option *options = request_alloc(request, sizeof(*options) * (c->schedule_count + 1));
    size_t n = 0;
    options[n++] = (struct form_option){"", "Choose a schedule"};
    for (size_t i = 0; i < c->schedule_count; i++)
        if (strcmp(c->schedules[i].course_group, q->course_group) == 0)
            options[n++] = (struct form_option){
                request_printf(request, "%s/%d", c->schedules[i].identifier, c->schedules[i].cohort),
                request_printf(request, "%s, cohort %d", c->schedules[i].title, c->schedules[i].cohort)};
    const char *chosen = entered != NULL && entered->schedule != NULL ? entered->schedule
                         : e->schedule_identifier != NULL
                             ? request_printf(request, "%s/%d", e->schedule_identifier, e->schedule_cohort)
                             : "";
    forms_begin(b, request, request_printf(request, "/enrolments/%" PRId64 "/schedule", e->id));
    forms_select(b, "schedule_identifier", e->schedule_identifier ? "Change the schedule" : "Put on a schedule",
                 options, n, chosen, "A declaration already made must still fit the schedule chosen", errors);
    forms_button(b, "Save schedule", "secondary");
    forms_end(b);
}

static void enrolment_forms(struct buf *b, struct request *request, const struct catalogue *c,
                            const struct enrolment *e, const struct errors *errors,
                            const struct enrolment_answers *entered)
{
    char today[DATE_TEXT];
    date_of(request->now, today);
    bool defer = enrolment_step_open(e->state, ENROLMENT_DEFER, today);
    bool resume = enrolment_step_open(e->state, ENROLMENT_RESUME, today);
    bool withdraw = enrolment_step_open(e->state, ENROLMENT_WITHDRAW, today);
    bool complete = enrolment_step_open(e->state, ENROLMENT_COMPLETE, today);
    bool has_errors = errors != NULL && errors->count > 0;
    if (!defer && !resume && !withdraw && !complete && !has_errors)
        return;
    html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"step\">Change this enrolment</h2>");
    if (!defer && !resume && !withdraw && !complete)
        html_printf(b, "<p class=\"govuk-body\">An enrolment that is %s cannot be changed.</p>",
                    enrolment_state_name(e->state));
    const char *base = request_printf(request, "/enrolments/%" PRId64, e->id);
#define ENTERED(s, member) (entered != NULL && entered->step == (s) ? entered->member : NULL)
    if (defer) {
        html_printf(b, "<h3 class=\"govuk-heading-s\">Defer</h3>");
        forms_begin(b, request, request_printf(request, "%s/defer", base));
        if (enrolment_is_dfe(c, e))
            dfe_reason_select(b, request, reason_code_field(ENROLMENT_DEFER), &dfe_deferral_reasons,
                              ENTERED(ENROLMENT_DEFER, reason_code), errors);
        forms_textarea(b, reason_field(ENROLMENT_DEFER), "Why the participant is deferring",
                       ENTERED(ENROLMENT_DEFER, reason), NULL, 3, errors);
        forms_input(b, "expected_return", "Expected return date", "text", ENTERED(ENROLMENT_DEFER, expected_return),
                    "As YYYY-MM-DD, for example 2027-09-01", NULL, errors);
        forms_button(b, "Defer", "secondary");
        forms_end(b);
    }
    if (resume) {
        struct cohort *cohorts;
        size_t count = 0;
        if (store_cohort_list(request->store, e->target, NULL, request_arena(request), &cohorts, &count) != STORE_OK)
            count = 0;
        /* Offered: the cohorts of the same qualification that start after the one left. */
        const char *left_start = NULL;
        for (size_t i = 0; i < count; i++)
            if (cohorts[i].id == e->cohort_id)
                left_start = cohorts[i].starts_on;
        struct form_option *options = request_alloc(request, sizeof(*options) * (count + 1));
        size_t n = 0;
        options[n++] = (struct form_option){"", "Choose a cohort"};
        for (size_t i = 0; i < count; i++)
            if (cohorts[i].kind == e->kind && cohorts[i].id != e->cohort_id &&
                (left_start == NULL || strcmp(cohorts[i].starts_on, left_start) > 0))
                options[n++] = (struct form_option){id_text(request, cohorts[i].id),
                                                    request_printf(request, "%s, from %s", cohorts[i].code,
                                                                   page_date(request, cohorts[i].starts_on, false))};
        html_printf(b, "<h3 class=\"govuk-heading-s\">Resume in a later cohort</h3>");
        if (n == 1) {
            if (policy_allows(PERM_PROGRAMME_MANAGE, request->caller, RESOURCE_NONE, NULL))
                html_printf(b,
                            "<p class=\"govuk-body\" id=\"cohort_id\">There is no later cohort for the %s yet. <a "
                            "class=\"govuk-link\" href=\"/cohorts/new?target=%s:%s\">Add a cohort</a>, then resume "
                            "the enrolment in it.</p>",
                            study_title(c, e->kind, e->target), study_kind_name(e->kind), e->target);
            else
                html_printf(b,
                            "<p class=\"govuk-body\" id=\"cohort_id\">There is no later cohort for the %s yet. A "
                            "provider administrator adds one; then resume the enrolment in it.</p>",
                            study_title(c, e->kind, e->target));
        } else {
            forms_begin(b, request, request_printf(request, "%s/resume", base));
            int64_t chosen = entered != NULL && entered->step == ENROLMENT_RESUME ? entered->cohort_id : 0;
            forms_select(b, "cohort_id", "Later cohort", options, n, id_text(request, chosen), NULL, errors);
            forms_button(b, "Resume", "secondary");
            forms_end(b);
        }
    }
    if (withdraw) {
        html_printf(b, "<h3 class=\"govuk-heading-s\">Withdraw</h3>");
        forms_begin(b, request, request_printf(request, "%s/withdraw", base));
        if (enrolment_is_dfe(c, e))
            dfe_reason_select(b, request, reason_code_field(ENROLMENT_WITHDRAW), &dfe_withdrawal_reasons,
                              ENTERED(ENROLMENT_WITHDRAW, reason_code), errors);
        forms_textarea(b, reason_field(ENROLMENT_WITHDRAW), "Why the participant is withdrawing",
                       ENTERED(ENROLMENT_WITHDRAW, reason), NULL, 3, errors);
        forms_button(b, "Withdraw", "warning");
        forms_end(b);
    }
    if (complete)
        html_printf(b,
                    "<h3 class=\"govuk-heading-s\">Complete</h3><p class=\"govuk-body\">When the participant has "
                    "finished the programme.</p><a class=\"govuk-button govuk-button--secondary\" "
                    "data-module=\"govuk-button\" href=\"%s/complete\">Complete the enrolment</a>",
                    base);
#undef ENTERED
}

static void enrolment_page(struct request *request, const struct catalogue *c, int64_t id, const struct errors *errors,
                           int status, const char *notice, const struct enrolment_answers *entered)
{
    struct arena *arena = request_arena(request);
    struct store *store = request->store;
    struct enrolment e;
    struct history_event *events;
    size_t event_count;
    struct relation person; /* the participant; request->relation is the enrolment in the URL, id */
    enum store_status s = store_enrolment_get(store, id, arena, &e);
    if (s == STORE_OK)
        s = store_enrolment_history(store, id, arena, &events, &event_count);
    if (s == STORE_OK)
        s = store_relation(store, request->caller, RESOURCE_USER, e.participant_id, &person);
    if (s != STORE_OK) {
        page_store_failed(request, s);
        return;
    }
    bool own = policy_is_self(request->caller, &person);
    const char *title = study_title(c, e.kind, e.target);
    struct page page;
    page_begin(&page, page_title(request, request_printf(request, "Enrolment: %s", title), errors),
               SECTION_APPLICATIONS);
    if (notice != NULL)
        page_notice(&page, "success", notice);
    page_breadcrumbs(&page, request, "/applications", "Applications", NULL, NULL);
    struct buf *b = &page.body;
    html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    forms_error_summary(b, errors);
    html_printf(b,
                "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\">%s</h1>"
                "<p class=\"govuk-body\" id=\"state\"><span class=\"govuk-visually-hidden\">Status: </span><strong "
                "class=\"govuk-tag%R\" "
                "data-testid=\"state\">%s</strong></p><dl class=\"govuk-summary-list\">",
                own ? "Your enrolment" : request_printf(request, "Enrolment of %s", e.participant_name), title,
                enrolment_tag_colour(e.state), enrolment_state_title(e.state));
    struct buf who;
    buf_init(&who, 4096);
    if (policy_allows(PERM_USERS_READ, request->caller, RESOURCE_USER, &person))
        html_printf(&who, "<a class=\"govuk-link\" href=\"/participants/%s/pathway\">%s</a>",
                    id_text(request, e.participant_id), e.participant_name);
    else
        html_printf(&who, "%s", e.participant_name);
    summary_row(b, NULL, "Participant", page_markup(request, &who), NULL, false);
    summary_row(b, NULL, e.kind == STUDY_QUALIFICATION ? "Qualification" : "Module studied alone",
                text_value(request,
                           e.kind == STUDY_QUALIFICATION ? request_printf(request, "%s (%s)", title, e.target) : title),
                NULL, false);
    if (e.kind == STUDY_QUALIFICATION)
        summary_row(b, NULL, "Elective modules", modules_value(request, c, e.electives, e.elective_count, "None"), NULL,
                    false);
    summary_row(b, NULL, "Cohort", text_value(request, e.cohort_code), NULL, false);
    summary_row(b, NULL, "Delivery model", text_value(request, delivery_model_title(e.delivery_model)), NULL, false);
    summary_row(b, NULL, "Funding", text_value(request, funding_route_title(e.funding)), NULL, false);
    summary_row(b, NULL, "School", text_value(request, e.school_name), NULL, false);
    if (e.reason && *e.reason)
        summary_row(b, NULL, "Reason", text_value(request, e.reason), NULL, false);
    if (e.expected_return)
        summary_row(b, NULL, "Expected return", text_value(request, page_date(request, e.expected_return, false)), NULL,
                    false);
    summary_row(b, NULL, "Enrolled on", text_value(request, page_time(request, e.created_at, DATE_MOMENT)), NULL,
                false);
    html_printf(b, "</dl>");
    if (e.application_id)
        html_printf(b,
                    "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/applications/%s\">See the "
                    "application</a></p>",
                    id_text(request, e.application_id));
    html_printf(b,
                "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/enrolments/%s/progress\">Progress: on "
                "track or not, and why</a></p>",
                id_text(request, id));
    if (e.kind == STUDY_QUALIFICATION &&
        policy_allows(PERM_ASSESSMENT_MANAGE, request->caller, RESOURCE_ENROLMENT, &request->relation))
        html_printf(b,
                    "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/enrolments/%s/award\">The award "
                    "decision: what remains, and awarding</a></p>",
                    id_text(request, id));
    bool manage = policy_allows(PERM_ENROLMENTS_MANAGE, request->caller, RESOURCE_ENROLMENT, &request->relation);
    enrolment_schedule(b, request, c, &e, manage, errors, entered);
    if (manage)
        enrolment_forms(b, request, c, &e, errors, entered);
    history_list(b, request, events, event_count, false);
    html_printf(b, "</div></div>");
    page_send(request, &page, status);
}

void page_enrolment(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c != NULL)
        enrolment_page(request, c, request_param_id(request, 0), NULL, 200, enrolment_notice(request), NULL);
}

void page_enrolment_step(struct request *request)
{
    char name[16];
    snprintf(name, sizeof(name), "%.*s", (int)request->params[1].len, request->params[1].ptr);
    struct enrolment_answers entered = {0};
    if (!enrolment_step_parse(name, &entered.step)) {
        page_not_found(request);
        return;
    }
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    int64_t id = request_param_id(request, 0);
    if (entered.step != ENROLMENT_RESUME)
        entered.reason = forms_text(request, reason_field(entered.step));
    if (entered.step == ENROLMENT_DEFER)
        entered.expected_return = forms_text(request, "expected_return");
    if (entered.step != ENROLMENT_RESUME)
        entered.reason_code = forms_text(request, reason_code_field(entered.step));
    entered.cohort_id = forms_id(forms_text(request, "cohort_id"));
    if (entered.cohort_id < 0)
        entered.cohort_id = 0;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct errors errors = ERRORS_INIT, shown = ERRORS_INIT;
    enum app_result r = enrolments_step(&env, c, request->caller, id, entered.step, entered.reason, entered.reason_code,
                                        entered.expected_return, entered.cohort_id, &errors);
    if (r == APP_OK) {
        reply_redirect(request, request_printf(request, "/enrolments/%" PRId64 "?done=%s", id, name));
    } else if (!page_refused(request, r, &errors)) {
        for (size_t i = 0; i < errors.count; i++) {
            const char *where = errors.items[i].where;
            if (strcmp(where, "reason") == 0)
                where = reason_field(entered.step);
            else if (strcmp(where, "reason_code") == 0)
                where = reason_code_field(entered.step);
            errors_add(&shown, where, "%s", errors.items[i].message);
        }
        enrolment_page(request, c, id, &shown, page_status(r), NULL, &entered);
    }
    errors_free(&errors);
    errors_free(&shown);
}

/* GET /enrolments/{id}/complete: what completing does, and the one button that does it. */
void page_enrolment_complete_confirm(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    int64_t id = request_param_id(request, 0);
    struct enrolment e;
    enum store_status s = store_enrolment_get(request->store, id, request_arena(request), &e);
    if (s != STORE_OK) {
        page_store_failed(request, s);
        return;
    }
    const char *self = request_printf(request, "/enrolments/%" PRId64, id);
    struct page page;
    page_begin(&page, "Complete the enrolment", SECTION_APPLICATIONS);
    page_breadcrumbs(&page, request, "/applications", "Applications", self, "Enrolment");
    struct buf *b = &page.body;
    html_printf(b,
                "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\"><span "
                "class=\"govuk-caption-l\">%s, cohort %s</span>",
                e.participant_name, e.cohort_code);
    struct errors why = ERRORS_INIT;
    if (!enrolment_step_allowed(e.state, ENROLMENT_COMPLETE, &why)) {
        html_printf(b,
                    "<h1 class=\"govuk-heading-l\">This enrolment cannot be completed</h1><p class=\"govuk-body\">%s."
                    "</p><p class=\"govuk-body\"><a class=\"govuk-link\" href=\"%s\">Back to the enrolment</a></p>"
                    "</div></div>",
                    why.items[0].message, self);
        errors_free(&why);
        page_send(request, &page, 409);
        return;
    }
    html_printf(b,
                "<h1 class=\"govuk-heading-l\">Are you sure the participant has finished the %s?</h1><div "
                "class=\"govuk-warning-text\"><span class=\"govuk-warning-text__icon\" aria-hidden=\"true\">!"
                "</span><strong class=\"govuk-warning-text__text\"><span class=\"govuk-visually-hidden\">Warning"
                "</span> A completed enrolment cannot be deferred, withdrawn or resumed again.</strong></div>",
                study_title(c, e.kind, e.target));
    forms_begin(b, request, request_printf(request, "%s/complete", self));
    html_printf(b, "<div class=\"govuk-button-group\">");
    forms_button(b, "Yes, complete the enrolment", NULL);
    html_printf(b, "<a class=\"govuk-link\" href=\"%s\">No, go back</a></div>", self);
    forms_end(b);
    html_printf(b, "</div></div>");
    page_send(request, &page, 200);
}

void page_enrolment_schedule(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    int64_t id = request_param_id(request, 0);
    struct enrolment_answers entered = {.step = ENROLMENT_COMPLETE, /* no step's form shows it again */
                                        .schedule = forms_text(request, "schedule_identifier")};
    /* The choice is "identifier/cohort"; anything else names no schedule. */
    const char *slash = strchr(entered.schedule, '/');
    const char *identifier =
        slash ? request_printf(request, "%.*s", (int)(slash - entered.schedule), entered.schedule) : entered.schedule;
    int cohort = 0;
    if (slash != NULL && strlen(slash + 1) == 4 && isdigit((unsigned char)slash[1]) &&
        isdigit((unsigned char)slash[2]) && isdigit((unsigned char)slash[3]) && isdigit((unsigned char)slash[4]))
        cohort = (slash[1] - '0') * 1000 + (slash[2] - '0') * 100 + (slash[3] - '0') * 10 + (slash[4] - '0');
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct errors errors = ERRORS_INIT;
    enum app_result r = enrolments_change_schedule(&env, c, id, identifier, cohort, &errors);
    if (r == APP_OK)
        reply_redirect(request, request_printf(request, "/enrolments/%" PRId64 "?done=schedule", id));
    else if (!page_refused(request, r, &errors))
        enrolment_page(request, c, id, &errors, page_status(r), NULL, &entered);
    errors_free(&errors);
}

/* Pathways */

/* The participant's live enrolment in a qualification, as the domain counts one live (the rule
 * that allows one at a time), or NULL. */
static const struct enrolment *live_enrolment(const struct participant_pathway *p, const char *code)
{
    for (size_t i = 0; i < p->enrolment_count; i++) {
        const struct enrolment *e = &p->enrolments[i];
        struct enrolment_summary one = {e->kind, e->target, e->state};
        struct errors scratch = ERRORS_INIT;
        bool live = !enrolment_check_unique(&one, 1, STUDY_QUALIFICATION, code, &scratch);
        errors_free(&scratch);
        if (live)
            return e;
    }
    return NULL;
}

static void pathway_card(struct buf *b, struct request *request, const struct catalogue *c, const struct pathway *w,
                         const struct enrolment *live)
{
    const struct catalogue_qualification *q = w->qualification;
    html_printf(b,
                "<div class=\"govuk-summary-card\" data-qualification=\"%s\"><div "
                "class=\"govuk-summary-card__title-wrapper\"><h3 class=\"govuk-summary-card__title\">%s (%s)</h3>",
                q->code, q->title, q->code);
    if (live != NULL)
        html_printf(b,
                    "<ul class=\"govuk-summary-card__actions\"><li class=\"govuk-summary-card__action\">"
                    "<a class=\"govuk-link\" href=\"/enrolments/%s\">See the enrolment<span "
                    "class=\"govuk-visually-hidden\"> in the %s</span></a></li></ul>",
                    id_text(request, live->id), q->code);
    html_printf(b, "</div><div class=\"govuk-summary-card__content\"><dl class=\"govuk-summary-list\">");
    summary_row(
        b, NULL, "Enrolled",
        text_value(request, live ? request_printf(request, "Yes: %s, cohort %s", enrolment_state_title(live->state),
                                                  live->cohort_code ? live->cohort_code : "not set")
                                 : "No"),
        NULL, false);
    summary_row(b, NULL, "Essential modules done",
                modules_value(request, c, w->essential_done, w->essential_done_count, "None yet"), NULL, false);
    summary_row(b, NULL, "Essential modules to do",
                modules_value(request, c, w->essential_remaining, w->essential_remaining_count, "None"), NULL, false);
    summary_row(b, NULL, request_printf(request, "Electives done (%d needed)", q->rule.elective_count),
                modules_value(request, c, w->electives_done, w->electives_done_count, "None yet"), NULL, false);
    char remaining[512];
    pathway_describe_remaining(c, w, remaining, sizeof(remaining));
    summary_row(b, NULL, "Still to do", text_value(request, capitalised(request, remaining)), NULL, false);
    html_printf(b, "</dl></div></div>");
}

void page_pathway(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    int64_t id = request_param_id(request, 0);
    struct arena *arena = request_arena(request);
    struct user person;
    struct participant_pathway p;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result r = app_result_of_store(store_user_get(request->store, id, arena, &person));
    if (r == APP_OK)
        r = pathways_for(&env, c, id, arena, &p);
    if (r != APP_OK) {
        page_refusal(request, r, NULL);
        return;
    }
    bool own = id == request->caller->user_id;
    struct page page;
    page_begin(&page, own ? "Your pathway" : request_printf(request, "Pathway: %s", person.name),
               own ? SECTION_PATHWAY : SECTION_APPLICATIONS);
    const char *notice = form_get(request_query(request), "notice");
    if (notice != NULL && strcmp(notice, "completed") == 0)
        page_notice(&page, "success", "Completed module recorded");
    page_breadcrumbs(&page, request, "/applications", "Applications", NULL, NULL);
    struct buf *b = &page.body;
    html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    if (own)
        html_printf(b, "<h1 class=\"govuk-heading-l\">Your pathway</h1>");
    else
        html_printf(b, "<span class=\"govuk-caption-l\">Pathway</span><h1 class=\"govuk-heading-l\">%s</h1>",
                    person.name);
    html_printf(b, "<p class=\"govuk-body\">A completed module counts towards every qualification that includes it, "
                   "however it was studied.</p><h2 class=\"govuk-heading-m\">Completed modules</h2>");
    struct relation relation;
    if (store_relation(request->store, request->caller, RESOURCE_USER, id, &relation) == STORE_OK &&
        policy_allows(PERM_PROGRAMME_MANAGE, request->caller, RESOURCE_USER, &relation))
        html_printf(b,
                    "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/participants/%s/completions\">Record a "
                    "completed module</a></p>",
                    id_text(request, id));
    if (p.completed_count == 0) {
        html_printf(b, "<p class=\"govuk-body\">No modules are recorded as completed yet.</p>");
    } else {
        html_printf(b, "<dl class=\"govuk-summary-list\" data-testid=\"completed\">");
        for (size_t i = 0; i < p.completed_count; i++)
            summary_row(b, NULL, page_module_title(c, p.completed[i].code),
                        text_value(request, request_printf(request, "Completed on %s",
                                                           page_date(request, p.completed[i].completed_on, false))),
                        NULL, false);
        html_printf(b, "</dl>");
    }
    /* Where the modules already count and the participant is not enrolled: a head start. */
    struct buf counts;
    buf_init(&counts, 64 * 1024);
    size_t counted = 0;
    for (size_t i = 0; i < p.pathway_count; i++) {
        const struct pathway *w = &p.pathways[i];
        if ((w->essential_done_count == 0 && w->electives_done_count == 0) ||
            live_enrolment(&p, w->qualification->code) != NULL)
            continue;
        html_printf(&counts, "<li>%s (%s)</li>", w->qualification->title, w->qualification->code);
        counted++;
    }
    const char *counts_markup = page_markup(request, &counts);
    if (counted > 0)
        html_printf(b,
                    "<div class=\"govuk-inset-text\" data-testid=\"counts-towards\">%s completed modules already "
                    "count towards:<ul class=\"govuk-list govuk-list--bullet govuk-!-margin-bottom-0\">%R</ul></div>",
                    own ? "Your" : "Their", counts_markup);
    html_printf(b, "<h2 class=\"govuk-heading-m\">Qualifications</h2>");
    for (size_t i = 0; i < p.pathway_count; i++)
        pathway_card(b, request, c, &p.pathways[i], live_enrolment(&p, p.pathways[i].qualification->code));
    html_printf(b, "</div></div>");
    page_send(request, &page, 200);
}
