/*
 * The provider's pages (provider.h says what each route is). Kept apart from the application and
 * delivery pages because they are the administrator's view across the programme, not one
 * person's way into it or one cohort's running. No rule lives here: forms are read into what the
 * use cases take, and what they say is shown.
 */
#include "pages/provider.h"

#include "app/applications.h"
#include "app/assessment.h"
#include "app/awards.h"
#include "http/reply.h"
#include "http/site.h"
#include "lib/date.h"
#include "lib/text.h"
#include "pages/forms.h"
#include "pages/html.h"
#include "pages/layout.h"
#include "pages/widgets.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- Helpers ---- */

static const char *id_text(struct request *request, int64_t id)
{
    return request_printf(request, "%" PRId64, id);
}

static void begin(struct page *page, const char *title, enum page_section section, const struct errors *errors)
{
    page_begin(page, title, section);
    page->has_errors = errors != NULL && errors->count > 0;
}

static void summary_row(struct buf *b, const char *key, const char *value_markup)
{
    html_printf(b,
                "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">%s</dt>"
                "<dd class=\"govuk-summary-list__value govuk-!-text-break-word\">%R</dd></div>",
                key, value_markup);
}

/* The success banner for ?notice=NAME when it is name. */
static void notice_if(struct page *page, struct request *request, const char *name, const char *message)
{
    const char *sent = form_get(request_query(request), "notice");
    if (sent != NULL && strcmp(sent, name) == 0)
        page_notice(page, "success", message);
}

/* Pence as "£1,250.00"; -1 as "To be confirmed". */
static const char *money(struct request *request, int64_t pence)
{
    if (pence < 0)
        return "To be confirmed";
    int64_t pounds = pence / 100;
    char digits[32], grouped[48];
    snprintf(digits, sizeof(digits), "%" PRId64, pounds);
    size_t n = strlen(digits), k = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            grouped[k++] = ',';
        grouped[k++] = digits[i];
    }
    grouped[k] = '\0';
    return request_printf(request, "£%s.%02d", grouped, (int)(pence % 100));
}

/* "1250", "1,250.50", "£99.5" as pence; -1 for "" (to be confirmed); -2 for anything else. */
static int64_t pence_of(const char *text)
{
    const char *p = text;
    if (strncmp(p, "£", strlen("£")) == 0)
        p += strlen("£");
    if (*p == '\0')
        return *text == '\0' ? -1 : -2;
    int64_t pounds = 0;
    int digits = 0;
    for (; (*p >= '0' && *p <= '9') || *p == ','; p++) {
        if (*p == ',')
            continue;
        if (++digits > 9)
            return -2;
        pounds = pounds * 10 + (*p - '0');
    }
    if (digits == 0)
        return -2;
    int64_t pence = 0;
    if (*p == '.') {
        p++;
        int places = 0;
        for (; *p >= '0' && *p <= '9'; p++) {
            if (++places > 2)
                return -2;
            pence = pence * 10 + (*p - '0');
        }
        if (places == 0)
            return -2;
        if (places == 1)
            pence *= 10;
    }
    return *p == '\0' ? pounds * 100 + pence : -2;
}

/* ---- /programme/fees ---- */

static void fees_page(struct request *request, const char *item, const char *amount, const struct errors *errors,
                      int status)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct fee *fees;
    size_t count = 0;
    if (store_fee_list(request->store, request_arena(request), &fees, &count) != STORE_OK) {
        page_unavailable(request);
        return;
    }
    struct page page;
    begin(&page, "Fees", SECTION_NONE, errors);
    page_breadcrumbs(&page, request, "/programme/reports", "Reports and exports", NULL, NULL);
    notice_if(&page, request, "fee_set", "Fee saved");
    struct buf *b = &page.body;
    html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    forms_error_summary(b, errors);
    html_printf(b, "<h1 class=\"govuk-heading-l\">Fees</h1><p class=\"govuk-body\">What each qualification and module "
                   "costs. Applicants see \"to be confirmed\" until a fee is set.</p>");

    size_t n = c->qualification_count + c->module_count;
    struct form_option *options = arena_alloc(request_arena(request), sizeof(*options) * (n + 1));
    options[0] = (struct form_option){"", "Choose a qualification or module"};
    html_printf(b, "<dl class=\"govuk-summary-list\" data-testid=\"fees\">");
    for (size_t i = 0; i < n; i++) {
        bool is_q = i < c->qualification_count;
        const char *code = is_q ? c->qualifications[i].code : c->modules[i - c->qualification_count].code;
        const char *title = is_q ? c->qualifications[i].title : c->modules[i - c->qualification_count].title;
        int64_t amount_pence = -1;
        for (size_t f = 0; f < count; f++)
            if ((fees[f].kind == STUDY_QUALIFICATION) == is_q && strcasecmp(fees[f].code, code) == 0)
                amount_pence = fees[f].amount_pence;
        const char *label =
            is_q ? request_printf(request, "%s (%s)", title, code) : request_printf(request, "Module: %s", title);
        summary_row(b, label, page_text_markup(request, money(request, amount_pence)));
        options[i + 1] =
            (struct form_option){request_printf(request, "%s:%s", is_q ? "qualification" : "module", code), label};
    }
    html_printf(b, "</dl><h2 class=\"govuk-heading-m\" id=\"set\">Set a fee</h2>");
    forms_begin(b, request, "/programme/fees");
    forms_select(b, "code", "Qualification or module", options, n + 1, item, NULL, errors);
    forms_input(b, "amount_pence", "Fee in pounds", "text", amount,
                "For example, 1250 or 1,250.00. Leave empty for to be confirmed", NULL, errors);
    forms_button(b, "Save fee", NULL);
    forms_end(b);
    html_printf(b, "</div></div>");
    page_send(request, &page, status);
}

void page_fees(struct request *request)
{
    fees_page(request, "", "", NULL, 200);
}

void page_fees_set(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    const char *item = forms_text(request, "code");
    const char *amount = forms_text(request, "amount_pence");
    const char *colon = strchr(item, ':');
    struct errors errors = ERRORS_INIT;
    int64_t pence = pence_of(amount);
    if (pence == -2)
        errors_add(&errors, "amount_pence", "Enter the fee in pounds, like 1250 or 1,250.00, or leave it empty");
    if (colon == NULL)
        errors_add(&errors, "code", "Choose a qualification or module");
    struct errors found = ERRORS_INIT;
    enum app_result s = APP_INVALID;
    if (errors.count == 0) {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        const char *saved;
        s = fees_set(&env, c, request_printf(request, "%.*s", (int)(colon - item), item), colon + 1, pence, &saved,
                     &found);
    }
    if (s == APP_OK) {
        reply_redirect(request, "/programme/fees?notice=fee_set");
    } else if (s == APP_INVALID || !page_refused(request, s, &found)) {
        for (size_t i = 0; i < found.count; i++)
            errors_add(&errors, strcmp(found.items[i].where, "kind") == 0 ? "code" : found.items[i].where, "%s",
                       found.items[i].message);
        static const char *const fields[] = {"code", "amount_pence"};
        forms_errors_in_order(&errors, fields, 2);
        fees_page(request, item, amount, &errors, page_status(s));
    }
    errors_free(&found);
    errors_free(&errors);
}

/* ---- /programme/reports ---- */

void page_reports(struct request *request)
{
    /* Every row, read a batch at a time into the page's memory. */
    struct funding_row *rows = NULL;
    size_t count = 0, got, cap = 0;
    do {
        struct funding_row *batch;
        if (store_report_funding(request->store, count ? &rows[count - 1] : NULL, STORE_PAGE_MAX,
                                 request_arena(request), &batch, &got) != STORE_OK) {
            page_unavailable(request);
            return;
        }
        while (count + got > cap) {
            cap = cap ? cap : STORE_PAGE_MAX;
            rows = count ? arena_grow(request_arena(request), rows, &cap, sizeof(*rows))
                         : arena_alloc(request_arena(request), sizeof(*rows) * cap);
        }
        memcpy(rows + count, batch, sizeof(*rows) * got);
        count += got;
    } while (got == STORE_PAGE_MAX);
    struct page page;
    begin(&page, "Reports and exports", SECTION_NONE, NULL);
    struct buf *b = &page.body;
    html_printf(b, "<h1 class=\"govuk-heading-l\">Reports and exports</h1><ul class=\"govuk-list\">"
                   "<li><a class=\"govuk-link\" href=\"/programme/fees\">Fees</a></li>"
                   "<li><a class=\"govuk-link\" href=\"/programme/credits\">Master's credits</a></li>"
                   "<li><a class=\"govuk-link\" href=\"/api/v1/reports/funding?format=csv\" download>Funding report "
                   "(CSV)</a></li>"
                   "<li><a class=\"govuk-link\" href=\"/api/v1/exports/applications.csv\" download>Every application "
                   "(CSV)</a></li>"
                   "<li><a class=\"govuk-link\" href=\"/api/v1/exports/enrolments.csv\" download>Every enrolment "
                   "(CSV)</a></li></ul><h2 class=\"govuk-heading-m\">Funding</h2>");
    if (count == 0) {
        html_printf(b, "<p class=\"govuk-body\">Nobody is enrolled yet.</p>");
        page_send(request, &page, 200);
        return;
    }
    /* Totals by route first: what a funder asks; then each school. */
    static const char *const routes[] = {"school", "self", "scholarship"};
    html_printf(b, "<dl class=\"govuk-summary-list\" data-testid=\"funding-totals\">");
    for (size_t r = 0; r < 3; r++) {
        int64_t total = 0;
        for (size_t i = 0; i < count; i++)
            if (strcmp(rows[i].funding_route, routes[r]) == 0)
                total += rows[i].enrolments;
        enum funding_route route;
        funding_route_parse(routes[r], &route);
        summary_row(b, funding_route_title(route),
                    page_text_markup(request,
                                     request_printf(request, "%" PRId64 " enrolment%s", total, total == 1 ? "" : "s")));
    }
    html_printf(b, "</dl><h2 class=\"govuk-heading-m\">By school</h2><table class=\"govuk-table "
                   "govuk-table--small-text-until-tablet\" data-testid=\"funding-schools\"><caption "
                   "class=\"govuk-table__caption govuk-visually-hidden\">Enrolments by school and funding</caption>"
                   "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\"><th scope=\"col\" "
                   "class=\"govuk-table__header\">School</th><th scope=\"col\" class=\"govuk-table__header\">Funding"
                   "</th><th scope=\"col\" class=\"govuk-table__header govuk-table__header--numeric\">Enrolments</th>"
                   "</tr></thead><tbody class=\"govuk-table__body\">");
    for (size_t i = 0; i < count; i++) {
        enum funding_route route = FUNDING_SCHOOL;
        bool known = funding_route_parse(rows[i].funding_route, &route);
        html_printf(b,
                    "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell govuk-!-text-break-word\">%s</td>"
                    "<td class=\"govuk-table__cell\">%s</td><td class=\"govuk-table__cell "
                    "govuk-table__cell--numeric\">%s</td></tr>",
                    *rows[i].school_name ? rows[i].school_name : "No school",
                    known ? funding_route_title(route) : rows[i].funding_route,
                    request_printf(request, "%" PRId64, rows[i].enrolments));
    }
    html_printf(b, "</tbody></table>");
    page_send(request, &page, 200);
}

/* ---- /participants/{id}/completions ---- */

struct completion_form {
    const char *module, *note, *enrolment_id;
    struct forms_date completed_on;
};

static void completion_page(struct request *request, const struct completion_form *f, const struct errors *errors,
                            int status)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    int64_t id = request_param_id(request, 0);
    struct user person;
    enum store_status s = store_user_get(request->store, id, request_arena(request), &person);
    if (s != STORE_OK) {
        page_store_failed(request, s);
        return;
    }
    const char *pathway = request_printf(request, "/participants/%" PRId64 "/pathway", id);
    struct page page;
    begin(&page, "Record a completed module", SECTION_PEOPLE, errors);
    page_breadcrumbs(&page, request, request_printf(request, "/admin/users/%" PRId64, id), person.name, pathway,
                     "Pathway");
    struct buf *b = &page.body;
    html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    forms_error_summary(b, errors);
    html_printf(b,
                "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\">Record a completed module</h1>"
                "<p class=\"govuk-body\">A completed module counts towards every qualification that includes it, "
                "however it was studied: in a cohort, alone or elsewhere.</p>",
                person.name);
    forms_begin(b, request, request_printf(request, "/participants/%" PRId64 "/completions", id));
    struct form_option *options = arena_alloc(request_arena(request), sizeof(*options) * (c->module_count + 1));
    options[0] = (struct form_option){"", "Choose a module"};
    for (size_t i = 0; i < c->module_count; i++)
        options[i + 1] = (struct form_option){c->modules[i].code, c->modules[i].title};
    forms_select(b, "module", "Module", options, c->module_count + 1, f->module, NULL, errors);
    forms_date_input(b, "completed_on", "Date completed", "For example, 20 3 2026", &f->completed_on, errors);
    forms_textarea(b, "note", "Note (optional)", f->note, "Where it was studied, or the evidence seen", 3, errors);
    forms_button(b, "Record completion", NULL);
    forms_end(b);
    html_printf(b,
                "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"%s\">Back to the pathway</a></p></div></div>",
                pathway);
    page_send(request, &page, status);
}

void page_completion_new(struct request *request)
{
    struct completion_form f = {.module = "", .note = "", .completed_on = {"", "", ""}};
    completion_page(request, &f, NULL, 200);
}

void page_completion_record(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    int64_t id = request_param_id(request, 0);
    struct completion_form f = {.module = forms_text(request, "module"),
                                .note = forms_text(request, "note"),
                                .completed_on = forms_date_posted(request, "completed_on")};
    struct errors errors = ERRORS_INIT, found = ERRORS_INIT;
    const char *on = forms_date_iso(request, &f.completed_on, "completed_on", "completion", &errors);
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    const char *title = NULL;
    /* A date the form refused reaches the use case as none, which it refuses too. */
    enum app_result s =
        completions_record(&env, c, id, f.module, errors.count ? NULL : on, 0, *f.note ? f.note : NULL, &title, &found);
    if (s == APP_OK) {
        reply_redirect(request, request_printf(request, "/participants/%" PRId64 "/pathway?notice=completed", id));
    } else if (s == APP_INVALID || s == APP_CONFLICT || !page_refused(request, s, &found)) {
        for (size_t i = 0; i < found.count; i++)
            if (forms_field_error(&errors, found.items[i].where) == NULL)
                errors_add(&errors, found.items[i].where, "%s", found.items[i].message);
        static const char *const fields[] = {"module", "completed_on", "note"};
        forms_errors_in_order(&errors, fields, 3);
        completion_page(request, &f, &errors, page_status(s));
    }
    errors_free(&found);
    errors_free(&errors);
}

/* ---- /enrolments/{id}/award ---- */

static void award_page(struct request *request, const struct errors *errors, int status)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    int64_t id = request_param_id(request, 0);
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct award_status st;
    enum app_result r = awards_check(&env, c, id, request_arena(request), &st);
    if (r != APP_OK) {
        page_refusal(request, r, NULL);
        return;
    }
    const struct enrolment *e = &st.enrolment;
    const char *title = study_title(c, e->kind, e->target);
    struct page page;
    begin(&page, request_printf(request, "Award: %s", e->participant_name), SECTION_APPLICATIONS, errors);
    page_breadcrumbs(&page, request, request_printf(request, "/admin/users/%" PRId64, e->participant_id),
                     e->participant_name, request_printf(request, "/enrolments/%" PRId64, id), "Enrolment");
    notice_if(&page, request, "awarded", "Awarded. The participant has been emailed their certificate's address.");
    struct buf *b = &page.body;
    html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    forms_error_summary(b, errors);
    html_printf(b,
                "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\" id=\"award\">Award the %s</h1>",
                e->participant_name, e->target);
    html_printf(b, "<dl class=\"govuk-summary-list\">");
    summary_row(b, "Studies", page_text_markup(request, request_printf(request, "%s (%s)", title, e->target)));
    summary_row(b, "Enrolment", page_text_markup(request, enrolment_state_title(e->state)));
    struct buf done;
    buf_init(&done, 16 * 1024);
    if (st.facts.modules_completed_count == 0)
        html_printf(&done, "None yet");
    for (size_t i = 0; i < st.facts.modules_completed_count; i++)
        html_printf(&done, "%R%s", i ? "<br>" : "", page_module_title(c, st.facts.modules_completed[i]));
    summary_row(b, "Modules completed", page_markup(request, &done));
    const struct catalogue_qualification *q = catalogue_qualification_find(c, e->target, strlen(e->target));
    summary_row(
        b, "Final assessment",
        page_text_markup(request, st.facts.final_assessment_passed ? "Passed"
                                  : q != NULL && !q->rule.final_assessment
                                      ? request_printf(request, "None: the %s has no final assessment", e->target)
                                      : "Not passed yet"));
    summary_row(b, "Events attended",
                page_text_markup(request, request_printf(request, "%d face-to-face, %d virtual live",
                                                         st.facts.face_to_face_attended, st.facts.virtual_attended)));
    html_printf(b, "</dl>");
    if (st.awarded) {
        html_printf(b,
                    "<div class=\"govuk-panel govuk-panel--confirmation\"><h2 class=\"govuk-panel__title\">Awarded"
                    "</h2><div class=\"govuk-panel__body\">Certificate %s<br>on %s</div></div>"
                    "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/api/v1/awards/%s/certificate.pdf\" "
                    "download>Download the certificate (PDF)</a></p>",
                    st.award.certificate_number, page_date(request, st.award.awarded_on, false),
                    id_text(request, st.award.id));
    } else if (st.eligible) {
        html_printf(b,
                    "<p class=\"govuk-body\" data-testid=\"award-check\">Every requirement of the %s is met.</p>"
                    "<p class=\"govuk-body\">Awarding completes the enrolment, makes the certificate and emails %s "
                    "its address. It cannot be undone.</p>",
                    e->target, e->participant_name);
        forms_begin(b, request, request_printf(request, "/enrolments/%" PRId64 "/award", id));
        forms_button(b, request_printf(request, "Award the %s to %s", e->target, e->participant_name), NULL);
        forms_end(b);
    } else {
        html_printf(b, "<div class=\"govuk-inset-text\" data-testid=\"award-check\">Not ready to award: %s %s.</div>",
                    e->participant_name, st.why);
    }
    html_printf(b, "</div></div>");
    page_send(request, &page, status);
}

void page_award(struct request *request)
{
    award_page(request, NULL, 200);
}

void page_award_make(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    int64_t id = request_param_id(request, 0);
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct award award;
    struct errors found = ERRORS_INIT;
    char why[AWARDS_WHY_TEXT];
    enum app_result r = awards_make(&env, c, id, request_arena(request), &award, &found, why);
    if (r == APP_OK) {
        reply_redirect(request, request_printf(request, "/enrolments/%" PRId64 "/award?notice=awarded", id));
    } else if (r == APP_INVALID || r == APP_CONFLICT || !page_refused(request, r, &found)) {
        struct errors errors = ERRORS_INIT;
        for (size_t i = 0; i < found.count; i++)
            errors_add(&errors, "award", "%s", found.items[i].message);
        award_page(request, &errors, page_status(r));
        errors_free(&errors);
    }
    errors_free(&found);
}

/* ---- /assessment/tasks ---- */

void page_tasks(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct assessment_task *tasks;
    size_t count = 0;
    if (store_task_list(request->store, NULL, request_arena(request), &tasks, &count) != STORE_OK) {
        page_unavailable(request);
        return;
    }
    struct page page;
    begin(&page, "Assessment tasks", SECTION_ASSESSMENT, NULL);
    page_breadcrumbs(&page, request, "/assessment", "Assessment", NULL, NULL);
    notice_if(&page, request, "task_set", "Task set. Participants studying it can start their work.");
    notice_if(&page, request, "task_changed", "Task changed");
    struct buf *b = &page.body;
    html_printf(b, "<h1 class=\"govuk-heading-l\">Assessment tasks</h1><p class=\"govuk-body\"><a "
                   "class=\"govuk-button\" href=\"/assessment/tasks/new\">Set a task</a> <a class=\"govuk-link\" "
                   "href=\"/assessment/release\">Results waiting for release</a></p>");
    if (count == 0)
        html_printf(b, "<p class=\"govuk-body\">No tasks are set yet.</p>");
    for (size_t i = 0; i < count; i++) {
        const struct assessment_task *t = &tasks[i];
        html_printf(b,
                    "<div class=\"govuk-summary-card\" data-testid=\"task\"><div class=\"govuk-summary-card__title-"
                    "wrapper\"><h2 class=\"govuk-summary-card__title\">%s</h2><ul class=\"govuk-summary-card__"
                    "actions\"><li class=\"govuk-summary-card__action\"><a class=\"govuk-link\" href=\"/assessment/"
                    "tasks/%s/edit\">Change<span class=\"govuk-visually-hidden\"> %s</span></a></li></ul></div><div "
                    "class=\"govuk-summary-card__content\"><dl class=\"govuk-summary-list\">",
                    t->title, id_text(request, t->id), t->title);
        summary_row(b, t->kind == TASK_FINAL ? "Final assessment of" : "Module",
                    page_text_markup(request, t->kind == TASK_FINAL ? study_title(c, STUDY_QUALIFICATION, t->target)
                                                                    : page_module_title(c, t->target)));
        summary_row(b, "Deadline", page_text_markup(request, page_time(request, t->deadline, DATE_MOMENT)));
        char largest[32];
        text_bytes(t->max_file_bytes, largest);
        summary_row(b, "Files", page_text_markup(request, request_printf(request, "Up to %s each", largest)));
        summary_row(b, "Criteria", page_text_markup(request, request_printf(request, "%zu", t->criteria_count)));
        summary_row(b, "Versions submitted",
                    page_text_markup(request, request_printf(request, "%" PRId64, t->versions_submitted)));
        html_printf(b, "</dl></div></div>");
    }
    page_send(request, &page, 200);
}

/* The task form as typed. study is "module:CODE" or "final:CODE" (a new task's only). */
struct task_form {
    const char *study, *title, *brief, *deadline_time, *word_limit, *max_resubmissions, *moderation_percent, *criteria;
    struct forms_date deadline;
    const char *max_file_mib;
};

static const char *const task_fields[] = {"target",
                                          "title",
                                          "brief",
                                          "deadline",
                                          "deadline_time",
                                          "word_limit",
                                          "max_resubmissions",
                                          "moderation_percent",
                                          "max_file_mib",
                                          "criteria"};
enum { TASK_FIELDS = sizeof(task_fields) / sizeof(task_fields[0]) };

/* Criteria as the textarea shows them: one a line, "Title: what meeting it looks like". */
static const char *criteria_text(struct request *request, const struct assessment_task *t)
{
    struct buf b;
    buf_init(&b, 64 * 1024);
    for (size_t i = 0; i < t->criteria_count; i++)
        buf_appendf(&b, "%s%s%s%s", i ? "\n" : "", t->criteria[i].title,
                    t->criteria[i].descriptor && *t->criteria[i].descriptor ? ": " : "",
                    t->criteria[i].descriptor ? t->criteria[i].descriptor : "");
    const char *out = request_strndup(request, (struct str){b.data ? b.data : "", b.len});
    buf_free(&b);
    return out;
}

/* The textarea's lines as criteria (empty lines skipped); the first ": " parts title and descriptor. */
static struct assessment_criterion *criteria_of(struct request *request, const char *text, size_t *count)
{
    size_t lines = 1;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';
    struct assessment_criterion *out = arena_alloc(request_arena(request), sizeof(*out) * lines);
    *count = 0;
    const char *p = text;
    while (*p != '\0') {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *line = request_strndup(request, (struct str){p, len});
        char *cr = strchr(line, '\r');
        if (cr != NULL)
            *cr = '\0';
        while (*line == ' ' || *line == '\t')
            line++;
        if (*line != '\0') {
            const char *colon = strstr(line, ": ");
            if (colon == NULL && line[strlen(line) - 1] == ':')
                colon = line + strlen(line) - 1;
            out[*count].title = colon ? request_strndup(request, (struct str){line, (size_t)(colon - line)}) : line;
            out[*count].descriptor = colon ? colon + (colon[1] ? 2 : 1) : "";
            (*count)++;
        }
        p += len + (end ? 1 : 0);
    }
    return out;
}

/* The largest file as the form shows it: whole MiB, or the exact MiB a limit set through the API
 * has ("0.5"). */
static const char *max_file_text(struct request *request, int64_t bytes)
{
    if (bytes % (1024 * 1024) == 0)
        return request_printf(request, "%" PRId64, bytes / (1024 * 1024));
    return request_printf(request, "%.6g", (double)bytes / (1024 * 1024));
}

static void task_form_page(struct request *request, const struct assessment_task *existing, const struct task_form *f,
                           const struct errors *errors, int status)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct page page;
    const char *heading = existing ? "Change the task" : "Set a task";
    begin(&page, heading, SECTION_ASSESSMENT, errors);
    page_breadcrumbs(&page, request, "/assessment", "Assessment", "/assessment/tasks", "Tasks");
    struct buf *b = &page.body;
    html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    forms_error_summary(b, errors);
    html_printf(b, "<h1 class=\"govuk-heading-l\">%s</h1>", heading);
    forms_begin(b, request,
                existing ? request_printf(request, "/assessment/tasks/%" PRId64 "/edit", existing->id)
                         : "/assessment/tasks/new");
    if (existing == NULL) {
        size_t n = c->module_count + c->qualification_count + 1;
        struct form_option *options = arena_alloc(request_arena(request), sizeof(*options) * n);
        options[0] = (struct form_option){"", "Choose a module or a qualification's final assessment"};
        for (size_t i = 0; i < c->qualification_count; i++)
            options[i + 1] =
                (struct form_option){request_printf(request, "final:%s", c->qualifications[i].code),
                                     request_printf(request, "Final assessment: %s (%s)", c->qualifications[i].title,
                                                    c->qualifications[i].code)};
        for (size_t i = 0; i < c->module_count; i++)
            options[c->qualification_count + i + 1] =
                (struct form_option){request_printf(request, "module:%s", c->modules[i].code),
                                     request_printf(request, "Module: %s", c->modules[i].title)};
        forms_select(b, "target", "What it assesses", options, n, f->study, NULL, errors);
    } else {
        html_printf(b, "<p class=\"govuk-body\">What a task assesses cannot change: set a new task instead.</p>");
    }
    forms_input(b, "title", "Title", "text", f->title, NULL, NULL, errors);
    forms_textarea(b, "brief", "Brief", f->brief,
                   "What participants are asked to do. Markdown: # a heading, * a list item, **bold**", 8, errors);
    forms_date_input(b, "deadline", "Deadline", "For example, 30 4 2027", &f->deadline, errors);
    forms_input(b, "deadline_time", "Deadline time (UK time)", "text", f->deadline_time, "For example, 5pm or 23:59",
                NULL, errors);
    forms_input(b, "word_limit", "Word limit", "text", f->word_limit, "Leave empty for no limit", NULL, errors);
    forms_input(b, "max_resubmissions", "Resubmissions allowed after a referral", "text", f->max_resubmissions, NULL,
                NULL, errors);
    forms_input(b, "moderation_percent", "Share of marked work moderated (%)", "text", f->moderation_percent,
                "From 0 to 100", NULL, errors);
    forms_input(b, "max_file_mib", "Largest file a participant may attach (MiB)", "text", f->max_file_mib,
                "A whole number of mebibytes, from 1 to 1024 (1 GiB)", NULL, errors);
    forms_textarea(b, "criteria", "Criteria", f->criteria,
                   existing && existing->versions_submitted > 0
                       ? "Work has been submitted against these criteria, so they can no longer change"
                       : "One a line: a title, then a colon and what meeting it looks like",
                   6, errors);
    forms_button(b, existing ? "Save changes" : "Set task", NULL);
    forms_end(b);
    html_printf(b, "</div></div>");
    page_send(request, &page, status);
}

void page_task_new(struct request *request)
{
    struct task_form f = {"",  "",   "", "5pm",        "",
                          "1", "20", "", {"", "", ""}, max_file_text(request, TASK_FILE_BYTES_DEFAULT)};
    task_form_page(request, NULL, &f, NULL, 200);
}

/* A task as its form shows it: the deadline in UK time. */
static struct task_form task_form_of(struct request *request, const struct assessment_task *t)
{
    int64_t local = t->deadline + date_uk_offset(t->deadline);
    time_t seconds = (time_t)local;
    struct tm tm;
    gmtime_r(&seconds, &tm);
    return (struct task_form){
        .title = t->title,
        .brief = t->brief,
        .deadline = {request_printf(request, "%d", tm.tm_mday), request_printf(request, "%d", tm.tm_mon + 1),
                     request_printf(request, "%d", tm.tm_year + 1900)},
        .deadline_time = request_printf(request, "%d:%02d", tm.tm_hour, tm.tm_min),
        .word_limit = t->word_limit ? request_printf(request, "%d", t->word_limit) : "",
        .max_resubmissions = request_printf(request, "%d", t->max_resubmissions),
        .moderation_percent = request_printf(request, "%d", t->moderation_percent),
        .criteria = criteria_text(request, t),
        .max_file_mib = max_file_text(request, t->max_file_bytes),
    };
}

void page_task_edit(struct request *request)
{
    struct assessment_task t;
    enum store_status s = store_task_get(request->store, request_param_id(request, 0), request_arena(request), &t);
    if (s != STORE_OK) {
        page_store_failed(request, s);
        return;
    }
    struct task_form f = task_form_of(request, &t);
    task_form_page(request, &t, &f, NULL, 200);
}

/* The form's field for a field a use case names. */
static const char *task_field(const char *where)
{
    if (strcmp(where, "kind") == 0)
        return "target";
    if (strcmp(where, "max_file_bytes") == 0)
        return "max_file_mib";
    return where;
}

/* A whole number of at most 6 digits, or -1 (errors at name when not empty and not one). */
static int form_number(const char *text, const char *name, const char *what, struct errors *errors)
{
    if (*text == '\0')
        return -1;
    int value = 0;
    size_t n = 0;
    for (const char *p = text; *p; p++, n++) {
        if (*p < '0' || *p > '9' || n >= 6) {
            errors_add(errors, name, "Enter %s as a whole number, like %s", what,
                       strcmp(name, "word_limit") == 0 ? "2500" : "1");
            return -1;
        }
        value = value * 10 + (*p - '0');
    }
    return value;
}

/* Reads the task form into f and, the values, into t or change; returns whether the form itself
 * refused something (its errors in errors). The largest file is left alone (*max_file_bytes 0) when
 * it reads kept_max_file, the text the form showed for a task's limit (NULL for a new task). */
static bool task_form_read(struct request *request, struct task_form *f, int64_t *deadline, int *word_limit,
                           int *max_resubmissions, int *moderation_percent, const char *kept_max_file,
                           int64_t *max_file_bytes, struct assessment_criterion **criteria, size_t *criteria_count,
                           struct errors *errors)
{
    *f = (struct task_form){.study = forms_text(request, "target"),
                            .title = forms_text(request, "title"),
                            .brief = forms_value(request, "brief"),
                            .deadline_time = forms_text(request, "deadline_time"),
                            .word_limit = forms_text(request, "word_limit"),
                            .max_resubmissions = forms_text(request, "max_resubmissions"),
                            .moderation_percent = forms_text(request, "moderation_percent"),
                            .criteria = forms_value(request, "criteria"),
                            .deadline = forms_date_posted(request, "deadline"),
                            .max_file_mib = forms_text(request, "max_file_mib")};
    size_t before = errors->count;
    const char *day = forms_date_iso(request, &f->deadline, "deadline", "deadline", errors);
    int minutes = forms_clock_minutes(f->deadline_time);
    if (minutes < 0)
        errors_add(errors, "deadline_time", "Enter the time of the deadline, like 5pm or 23:59");
    *deadline = 0;
    if (day != NULL && minutes >= 0) {
        int y, m, d;
        sscanf(day, "%4d-%2d-%2d", &y, &m, &d);
        struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
        int64_t local = (int64_t)timegm(&tm) + (int64_t)minutes * 60;
        if (!date_uk_to_utc(local, deadline))
            errors_add(errors, "deadline_time", "The clocks go forward at 1am on this day: choose a time from 2am");
    }
    int n = form_number(f->word_limit, "word_limit", "the word limit", errors);
    *word_limit = n < 0 ? 0 : n;
    n = form_number(f->max_resubmissions, "max_resubmissions", "the resubmissions allowed", errors);
    if (n < 0 && *f->max_resubmissions == '\0')
        errors_add(errors, "max_resubmissions", "Enter how many resubmissions are allowed, like 1");
    *max_resubmissions = n < 0 ? 0 : n;
    n = form_number(f->moderation_percent, "moderation_percent", "the share moderated", errors);
    if (n < 0 && *f->moderation_percent == '\0')
        errors_add(errors, "moderation_percent", "Enter the share of marked work moderated, from 0 to 100");
    *moderation_percent = n < 0 ? 0 : n;
    /* A whole number of MiB; 0, which the use case refuses, for anything else. */
    *max_file_bytes = 0;
    if (kept_max_file == NULL || strcmp(f->max_file_mib, kept_max_file) != 0) {
        n = form_number(f->max_file_mib, "max_file_mib", "the largest file in MiB", errors);
        if (n < 0 && *f->max_file_mib == '\0')
            errors_add(errors, "max_file_mib", "Enter the largest file a participant may attach, in MiB, like 50");
        *max_file_bytes = n < 0 ? 0 : (int64_t)n * 1024 * 1024;
    }
    *criteria = criteria_of(request, f->criteria, criteria_count);
    return errors->count != before;
}

void page_task_create(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct task_form f;
    struct errors errors = ERRORS_INIT;
    struct assessment_task t = {0};
    bool refused = task_form_read(request, &f, &t.deadline, &t.word_limit, &t.max_resubmissions, &t.moderation_percent,
                                  NULL, &t.max_file_bytes, &t.criteria, &t.criteria_count, &errors);
    const char *colon = strchr(f.study, ':');
    if (colon == NULL || !task_kind_parse(request_printf(request, "%.*s", (int)(colon - f.study), f.study), &t.kind)) {
        errors_add(&errors, "target", "Choose what the task assesses");
        refused = true;
    }
    t.target = colon ? colon + 1 : "";
    t.title = f.title;
    t.brief = f.brief;
    /* When the form refused something, the use case still checks the rest, given no deadline,
     * which it always refuses: nothing is stored, and what it says of the deadline is left out. */
    if (refused)
        t.deadline = 0;
    struct errors found = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result s = assessment_task_set(&env, c, &t, &found);
    int again; /* the status to show the form again with */
    if (s == APP_OK && !refused) {
        reply_redirect(request, "/assessment/tasks?notice=task_set");
    } else if ((again = page_form_again(request, s, &found)) != 0) {
        for (size_t i = 0; i < found.count; i++) {
            const char *where = task_field(found.items[i].where);
            if (forms_field_error(&errors, where) == NULL && !(refused && strcmp(where, "deadline") == 0))
                errors_add(&errors, where, "%s", found.items[i].message);
        }
        forms_errors_in_order(&errors, task_fields, TASK_FIELDS);
        task_form_page(request, NULL, &f, &errors, again);
    }
    errors_free(&found);
    errors_free(&errors);
}

void page_task_update(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    int64_t id = request_param_id(request, 0);
    struct assessment_task existing;
    enum store_status got = store_task_get(request->store, id, request_arena(request), &existing);
    if (got != STORE_OK) {
        page_store_failed(request, got);
        return;
    }
    struct task_form f;
    struct errors errors = ERRORS_INIT;
    struct task_change change = {.has_word_limit = true, .has_max_resubmissions = true, .has_moderation_percent = true};
    bool refused = task_form_read(request, &f, &change.deadline, &change.word_limit, &change.max_resubmissions,
                                  &change.moderation_percent, max_file_text(request, existing.max_file_bytes),
                                  &change.max_file_bytes, &change.criteria, &change.criteria_count, &errors);
    /* A limit left as the form showed it is kept exactly, even one set through the API that is not
     * a whole number of MiB. */
    change.has_max_file_bytes = strcmp(f.max_file_mib, max_file_text(request, existing.max_file_bytes)) != 0;
    change.title = f.title;
    change.brief = f.brief;
    /* Criteria as they were are kept, not replaced: after work is submitted they cannot change. */
    bool same = change.criteria_count == existing.criteria_count;
    for (size_t i = 0; same && i < existing.criteria_count; i++)
        same = strcmp(change.criteria[i].title, existing.criteria[i].title) == 0 &&
               strcmp(change.criteria[i].descriptor,
                      existing.criteria[i].descriptor ? existing.criteria[i].descriptor : "") == 0;
    if (same)
        change.criteria = NULL;
    else if (change.criteria_count == 0)
        change.criteria = arena_alloc(request_arena(request), sizeof(*change.criteria)); /* none: refused */
    struct errors found = ERRORS_INIT;
    enum app_result s = APP_INVALID;
    /* A change is a replacement in which 0 or NULL keeps a value, so a form that refused
     * something is not passed on: its own errors are shown. */
    if (!refused) {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        struct assessment_task saved;
        s = assessment_task_change(&env, c, id, &change, request_arena(request), &saved, &found);
    }
    if (s == APP_OK) {
        reply_redirect(request, "/assessment/tasks?notice=task_changed");
    } else if (s == APP_INVALID || s == APP_CONFLICT || !page_refused(request, s, &found)) {
        for (size_t i = 0; i < found.count; i++)
            errors_add(&errors, task_field(found.items[i].where), "%s", found.items[i].message);
        forms_errors_in_order(&errors, task_fields, TASK_FIELDS);
        task_form_page(request, &existing, &f, &errors, page_status(s));
    }
    errors_free(&found);
    errors_free(&errors);
}

/* ---- /assessment/release ---- */

void page_release_queue(struct request *request)
{
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct submission_summary *list;
    size_t count = 0;
    enum app_result r = assessment_submission_list(&env, request->caller, 0, &(struct store_page){.limit = 1000},
                                                   request_arena(request), &list, &count);
    if (r != APP_OK) {
        page_refusal(request, r, NULL);
        return;
    }
    struct page page;
    begin(&page, "Results waiting for release", SECTION_ASSESSMENT, NULL);
    page_breadcrumbs(&page, request, "/assessment", "Assessment", NULL, NULL);
    struct buf *b = &page.body;
    html_printf(b, "<h1 class=\"govuk-heading-l\">Results waiting for release</h1><p class=\"govuk-body\">Marked work, "
                   "moderated where it was sampled. A participant sees their result once it is released.</p>");
    size_t ready = 0, moderating = 0;
    struct buf rows;
    buf_init(&rows, PAGE_MAX_BYTES);
    for (size_t i = 0; i < count; i++) {
        const struct submission *s = &list[i].submission;
        if (s->state != SUBMISSION_MARKED && s->state != SUBMISSION_MODERATED)
            continue;
        struct submission_detail d;
        if (assessment_submission_read(&env, request->caller, s->id, request_arena(request), &d) != APP_OK)
            continue;
        if (d.awaiting_moderation) {
            moderating++;
            continue;
        }
        ready++;
        html_printf(&rows,
                    "<div class=\"govuk-summary-card\" data-testid=\"release\"><div class=\"govuk-summary-card__"
                    "title-wrapper\"><h2 class=\"govuk-summary-card__title\">%s: %s</h2><ul class=\"govuk-summary-"
                    "card__actions\"><li class=\"govuk-summary-card__action\"><a class=\"govuk-link\" href=\"/"
                    "submissions/%s\">Check and release<span class=\"govuk-visually-hidden\"> %s's result</span></a>"
                    "</li></ul></div><div class=\"govuk-summary-card__content\"><dl class=\"govuk-summary-list\">",
                    s->participant_name, s->task_title, id_text(request, s->id), s->participant_name);
        summary_row(&rows, "Version", page_text_markup(request, request_printf(request, "%d", s->versions)));
        summary_row(&rows, "State",
                    page_text_markup(request, s->state == SUBMISSION_MODERATED ? "Moderated" : "Marked"));
        summary_row(&rows, "Submitted",
                    page_text_markup(request, page_time(request, s->latest_submitted_at, DATE_MOMENT)));
        html_printf(&rows, "</dl></div></div>");
    }
    const char *cards = page_markup(request, &rows);
    if (ready == 0)
        html_printf(b, "<p class=\"govuk-body\" data-testid=\"release-empty\">No results are waiting for release.</p>");
    else
        html_printf(b, "%R", cards);
    if (moderating > 0)
        html_printf(b,
                    "<p class=\"govuk-body\">%s waiting for a moderator first: <a class=\"govuk-link\" "
                    "href=\"/marking\">the marking queue</a>.</p>",
                    moderating == 1 ? "1 more is" : request_printf(request, "%zu more are", moderating));
    page_send(request, &page, 200);
}

/* ---- /programme/credits ---- */

static void credits_page(struct request *request, const char *module, const char *credits, const char *body,
                         const struct errors *errors, int status)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct module_credit *list;
    size_t count = 0;
    if (store_module_credit_list(request->store, request_arena(request), &list, &count) != STORE_OK) {
        page_unavailable(request);
        return;
    }
    struct page page;
    begin(&page, "Master's credits", SECTION_NONE, errors);
    page_breadcrumbs(&page, request, "/programme/reports", "Reports and exports", NULL, NULL);
    notice_if(&page, request, "credits_set", "Credits saved. Transcripts show them from now on.");
    struct buf *b = &page.body;
    html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    forms_error_summary(b, errors);
    html_printf(b, "<h1 class=\"govuk-heading-l\">Master's credits</h1><p class=\"govuk-body\">What a completed "
                   "module is worth towards a Master's degree, as agreed with a university. Transcripts show it.</p>"
                   "<dl class=\"govuk-summary-list\" data-testid=\"credits\">");
    struct form_option *options = arena_alloc(request_arena(request), sizeof(*options) * (c->module_count + 1));
    options[0] = (struct form_option){"", "Choose a module"};
    for (size_t i = 0; i < c->module_count; i++) {
        const struct module_credit *set = NULL;
        for (size_t k = 0; k < count && set == NULL; k++)
            if (strcasecmp(list[k].module, c->modules[i].code) == 0)
                set = &list[k];
        summary_row(
            b, c->modules[i].title,
            page_text_markup(request, set == NULL ? "Not set"
                                      : *set->awarding_body
                                          ? request_printf(request, "%d credits, %s", set->credits, set->awarding_body)
                                          : request_printf(request, "%d credits", set->credits)));
        options[i + 1] = (struct form_option){c->modules[i].code, c->modules[i].title};
    }
    html_printf(b, "</dl><h2 class=\"govuk-heading-m\">Set a module's credits</h2>");
    forms_begin(b, request, "/programme/credits");
    forms_select(b, "module", "Module", options, c->module_count + 1, module, NULL, errors);
    forms_input(b, "credits", "Credits", "text", credits, "A whole number from 0 to 180", NULL, errors);
    forms_input(b, "awarding_body", "Awarding body (optional)", "text", body, "The university that awards them", NULL,
                errors);
    forms_button(b, "Save credits", NULL);
    forms_end(b);
    html_printf(b, "</div></div>");
    page_send(request, &page, status);
}

void page_credits(struct request *request)
{
    credits_page(request, "", "", "", NULL, 200);
}

void page_credits_set(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    const char *module = forms_text(request, "module"), *credits = forms_text(request, "credits"),
               *body = forms_text(request, "awarding_body");
    struct errors errors = ERRORS_INIT;
    int64_t number = -1;
    if (*credits != '\0') {
        number = 0;
        for (const char *p = credits; *p && number >= 0; p++)
            number = *p >= '0' && *p <= '9' && number < 100000 ? number * 10 + (*p - '0') : -1;
    }
    /* A number the form could not read reaches the use case as none, which it refuses in its words. */
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    const char *saved;
    enum app_result s = awards_credit_set(&env, c, module, number, body, &saved, &errors);
    if (s == APP_OK) {
        reply_redirect(request, "/programme/credits?notice=credits_set");
    } else if (s == APP_INVALID || !page_refused(request, s, &errors)) {
        static const char *const fields[] = {"module", "credits", "awarding_body"};
        forms_errors_in_order(&errors, fields, 3);
        credits_page(request, module, credits, body, &errors, page_status(s));
    }
    errors_free(&errors);
}
