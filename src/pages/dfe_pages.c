/*
 * The DfE page for administrators (/admin/dfe) and its forms, over the same use cases as the API:
 * declarations_approve, declarations_void, declarations_retry and dfe_sync_run.
 */
#include "pages/dfe.h"

#include "app/declarations.h"
#include "app/dfe_sync.h"
#include "http/reply.h"
#include "lib/process.h"
#include "pages/forms.h"
#include "pages/html.h"
#include "pages/widgets.h"

#include <inttypes.h>
#include <string.h>

/* GOV.UK asks for "Error: " before the title of a page showing errors. */
static const char *page_title(struct request *request, const char *title, const struct errors *errors)
{
    return errors && errors->count ? request_printf(request, "Error: %s", title) : title;
}

static const char *type_title(const char *type)
{
    const struct dfe_code *c = dfe_code_find(&dfe_declaration_types, type);
    return c ? c->title : type;
}

static const char *state_tag(struct request *request, const struct declaration *d)
{
    if (d->dfe_message[0] != '\0')
        return page_tag(request, "red", "Refused by the DfE");
    if (d->void_requested_at != 0)
        return page_tag(request, "orange", "Void asked for");
    switch (d->state) {
    case DFE_DECLARATION_DUE:
        return page_tag(request, "blue", d->submit_begun_at ? "Being submitted" : "Approved, to be submitted");
    case DFE_DECLARATION_SUBMITTED: return page_tag(request, "turquoise", "Submitted");
    case DFE_DECLARATION_ELIGIBLE: return page_tag(request, "turquoise", "Eligible");
    case DFE_DECLARATION_PAYABLE: return page_tag(request, "green", "Payable");
    case DFE_DECLARATION_PAID: return page_tag(request, "green", "Paid");
    case DFE_DECLARATION_VOIDED: return page_tag(request, "grey", "Voided");
    case DFE_DECLARATION_INELIGIBLE: return page_tag(request, "grey", "Ineligible");
    case DFE_DECLARATION_AWAITING_CLAWBACK: return page_tag(request, "orange", "Awaiting clawback");
    case DFE_DECLARATION_CLAWED_BACK: return page_tag(request, "grey", "Clawed back");
    }
    return "";
}

/* A one-button form taking a step on declaration id. */
static void step_button(struct buf *b, struct request *request, const char *action, int64_t id, const char *text,
                        const char *hidden, const char *variant)
{
    html_printf(b, "<form method=\"post\" action=\"%s\" class=\"npq-inline-form\">", action);
    forms_csrf(b, request);
    html_printf(b,
                "<input type=\"hidden\" name=\"declaration_id\" value=\"%s\"><button type=\"submit\" "
                "class=\"govuk-button govuk-button--%s govuk-!-margin-bottom-0\" data-module=\"govuk-button\">%s"
                "<span class=\"govuk-visually-hidden\"> %s</span></button></form>",
                request_printf(request, "%" PRId64, id), variant, text, hidden);
}

/* One table of declarations, with the steps each can take; show_person adds who it is for. */
static void declarations_table(struct buf *b, struct request *request, const struct declaration *list, size_t count,
                               bool show_person, const char *caption)
{
    html_printf(
        b,
        "<table class=\"govuk-table\"><caption class=\"govuk-table__caption govuk-table__caption--s\">%s"
        "</caption><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">%R"
        "<th scope=\"col\" class=\"govuk-table__header\">Declaration</th>"
        "<th scope=\"col\" class=\"govuk-table__header\">State</th>"
        "<th scope=\"col\" class=\"govuk-table__header\">Evidence and the DfE's answer</th>"
        "<th scope=\"col\" class=\"govuk-table__header\">Action</th></tr></thead><tbody class=\"govuk-table__body\">",
        caption, show_person ? "<th scope=\"col\" class=\"govuk-table__header\">Participant</th>" : "");
    for (size_t i = 0; i < count; i++) {
        const struct declaration *d = &list[i];
        html_printf(b, "<tr class=\"govuk-table__row\">");
        if (show_person)
            html_printf(b,
                        "<td class=\"govuk-table__cell\"><a class=\"govuk-link\" href=\"/enrolments/%s\">%s</a></td>",
                        request_printf(request, "%" PRId64, d->enrolment_id), d->participant_name);
        html_printf(b, "<td class=\"govuk-table__cell\">%s, dated %s</td><td class=\"govuk-table__cell\">%R</td>",
                    type_title(d->declaration_type), page_date(request, d->declaration_date, true),
                    state_tag(request, d));
        html_printf(b, "<td class=\"govuk-table__cell govuk-!-text-break-word\">%s", d->evidence);
        if (d->dfe_message[0] != '\0')
            html_printf(
                b,
                "<p class=\"govuk-body govuk-!-margin-top-2 govuk-!-margin-bottom-0\" data-testid=\"dfe-message\">"
                "<strong>The DfE said:</strong> %s</p>",
                d->dfe_message);
        else if (d->participant_id[0] == '\0' && d->state == DFE_DECLARATION_DUE)
            html_printf(b, "<p class=\"govuk-body govuk-!-margin-top-2 govuk-!-margin-bottom-0\">Waits until the DfE "
                           "lists this participant's application.</p>");
        if (d->dfe_id[0] != '\0')
            html_printf(b, "<p class=\"govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-0\">DfE id %s</p>",
                        d->dfe_id);
        html_printf(b, "</td><td class=\"govuk-table__cell\">");
        const char *base =
            request_printf(request, "/admin/dfe/enrolments/%" PRId64 "/declarations/%" PRId64, d->enrolment_id, d->id);
        const char *what = request_printf(request, "%s for %s", type_title(d->declaration_type), d->participant_name);
        if (d->dfe_message[0] != '\0' && d->dfe_id[0] == '\0')
            step_button(b, request, request_printf(request, "%s/retry", base), d->id, "Send again", what, "secondary");
        if (dfe_declaration_stands(d->state) && d->state != DFE_DECLARATION_AWAITING_CLAWBACK &&
            d->void_requested_at == 0)
            step_button(b, request, request_printf(request, "%s/void", base), d->id, "Void", what, "warning");
        html_printf(b, "</td></tr>");
    }
    html_printf(b, "</tbody></table>");
    page_table_stack(b);
}

static void due_table(struct buf *b, struct request *request, const struct declaration_due_row *due, size_t count,
                      const char *const *names)
{
    html_printf(b,
                "<table class=\"govuk-table\" data-testid=\"declarations-due\"><caption class=\"govuk-table__caption "
                "govuk-table__caption--s\">Due from the evidence</caption><thead class=\"govuk-table__head\">"
                "<tr class=\"govuk-table__row\"><th scope=\"col\" class=\"govuk-table__header\">Participant</th>"
                "<th scope=\"col\" class=\"govuk-table__header\">Declaration</th>"
                "<th scope=\"col\" class=\"govuk-table__header\">Evidence</th>"
                "<th scope=\"col\" class=\"govuk-table__header\">Action</th></tr></thead>"
                "<tbody class=\"govuk-table__body\">");
    for (size_t i = 0; i < count; i++) {
        const struct declaration_due_row *r = &due[i];
        html_printf(b,
                    "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><a class=\"govuk-link\" "
                    "href=\"/enrolments/%s\">%s</a></td><td class=\"govuk-table__cell\">%s, dated %s</td>"
                    "<td class=\"govuk-table__cell govuk-!-text-break-word\">%s</td><td class=\"govuk-table__cell\">",
                    request_printf(request, "%" PRId64, r->enrolment_id), names[i], type_title(r->due.declaration_type),
                    page_date(request, r->due.declaration_date, true), r->due.evidence);
        forms_begin(b, request,
                    request_printf(request, "/admin/dfe/enrolments/%" PRId64 "/declarations", r->enrolment_id));
        html_printf(b, "<input type=\"hidden\" name=\"declaration_type\" value=\"%s\">", r->due.declaration_type);
        html_printf(
            b,
            "<button type=\"submit\" class=\"govuk-button govuk-!-margin-bottom-0\" data-module=\"govuk-button\">"
            "Approve<span class=\"govuk-visually-hidden\"> %s for %s</span></button>",
            type_title(r->due.declaration_type), names[i]);
        forms_end(b);
        html_printf(b, "</td></tr>");
    }
    html_printf(b, "</tbody></table>");
    page_table_stack(b);
}

static void summary_row(struct buf *b, const char *key, const char *value)
{
    html_printf(b,
                "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">%s</dt>"
                "<dd class=\"govuk-summary-list__value govuk-!-text-break-word\">%s</dd></div>",
                key, value);
}

/* The page, with errors from a form posted to it (or NULL) and its status. */
static void dfe_page(struct request *request, const struct errors *errors, int status)
{
    const struct catalogue *catalogue = page_catalogue(request);
    if (catalogue == NULL)
        return; /* replied 503 */
    struct arena *arena = request_arena(request);
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct dfe_config config;
    enum store_status configured = store_dfe_config_get(request->store, arena, &config);
    int64_t last_at = 0;
    const char *last_result = "";
    struct declaration_due_row *due = NULL;
    size_t due_count = 0, made_count = 0, statement_count = 0, call_count = 0;
    struct declaration *made = NULL;
    struct dfe_statement_row *statements = NULL;
    struct dfe_log_entry *calls = NULL;
    enum app_result r = configured == STORE_ERROR ? APP_UNAVAILABLE : APP_OK;
    if (r == APP_OK)
        r = app_result_of_store(store_dfe_last_sync(request->store, arena, &last_at, &last_result));
    if (r == APP_OK)
        r = declarations_due_all(&env, catalogue, arena, &due, &due_count);
    if (r == APP_OK)
        r = app_result_of_store(
            store_declarations_list(request->store, DECLARATIONS_ALL, 0, arena, &made, &made_count));
    if (r == APP_OK)
        r = app_result_of_store(store_dfe_statements_list(request->store, arena, &statements, &statement_count));
    if (r == APP_OK)
        r = app_result_of_store(store_dfe_log_list(request->store, 0, 0, 20, arena, &calls, &call_count));
    if (r != APP_OK) {
        page_refusal(request, r, NULL);
        return;
    }
    /* The names of those due, from their declarations' enrolments or their enrolment. */
    const char **names = request_alloc(request, sizeof(*names) * (due_count + 1));
    for (size_t i = 0; i < due_count; i++) {
        struct enrolment e;
        names[i] = "Participant";
        if (store_enrolment_get(request->store, due[i].enrolment_id, arena, &e) == STORE_OK) {
            struct user u;
            if (store_user_get(request->store, e.participant_id, arena, &u) == STORE_OK)
                names[i] = u.name;
        }
    }
    struct page page;
    page_begin(&page, page_title(request, "The DfE", errors), SECTION_PEOPLE);
    const char *notice = form_get(request_query(request), "notice");
    if (errors == NULL && notice != NULL && strcmp(notice, "approved") == 0)
        page_notice(&page, "success", "The declaration is approved. The next sync submits it to the DfE.");
    else if (errors == NULL && notice != NULL && strcmp(notice, "voided") == 0)
        page_notice(&page, "success", "The declaration is voided, or its void is asked of the DfE at the next sync.");
    else if (errors == NULL && notice != NULL && strcmp(notice, "retry") == 0)
        page_notice(&page, "success", "The declaration will be sent again at the next sync.");
    else if (errors == NULL && notice != NULL && strcmp(notice, "synced") == 0)
        page_notice(&page, "success", "The sync with the DfE has run. Its result is below.");
    struct buf *b = &page.body;
    forms_error_summary(b, errors);
    html_printf(b, "<h1 class=\"govuk-heading-xl\">The DfE</h1>");
    html_printf(b, "<h2 class=\"govuk-heading-m\">Sync</h2><dl class=\"govuk-summary-list\">");
    summary_row(b, "Lead-provider API",
                configured == STORE_OK ? config.base_url : "Not configured: run npq dfe configure");
    if (configured == STORE_OK)
        summary_row(b, "Declarations due",
                    config.auto_submit ? "Submitted by the sync without approval" : "Submitted once approved here");
    summary_row(b, "Last sync", last_at ? page_time(request, last_at, DATE_MOMENT) : "Never");
    if (last_result[0] != '\0')
        summary_row(b, "Result", last_result);
    html_printf(b, "</dl>");
    if (configured == STORE_OK)
        page_post_button(b, request, "/admin/dfe/sync", "Sync now", NULL, "secondary");

    html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"due\">Declarations due</h2>");
    if (due_count == 0)
        html_printf(b, "<p class=\"govuk-body\">None: every declaration the evidence shows is made.</p>");
    else
        due_table(b, request, due, due_count, names);

    /* Approved, submitted, refused: the made ones in three tables by what they wait for. */
    struct declaration *approved = request_alloc(request, sizeof(*approved) * (made_count + 1));
    struct declaration *refused = request_alloc(request, sizeof(*refused) * (made_count + 1));
    struct declaration *submitted = request_alloc(request, sizeof(*submitted) * (made_count + 1));
    size_t na = 0, nr = 0, ns = 0;
    for (size_t i = 0; i < made_count; i++) {
        if (made[i].dfe_message[0] != '\0')
            refused[nr++] = made[i];
        else if (made[i].dfe_id[0] == '\0' && made[i].state == DFE_DECLARATION_DUE)
            approved[na++] = made[i];
        else
            submitted[ns++] = made[i];
    }
    html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"refused\">Refused by the DfE</h2>");
    if (nr == 0)
        html_printf(b, "<p class=\"govuk-body\">None.</p>");
    else
        declarations_table(b, request, refused, nr, true, "Put the cause right, then send again");
    html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"approved\">Approved, to be submitted</h2>");
    if (na == 0)
        html_printf(b, "<p class=\"govuk-body\">None.</p>");
    else
        declarations_table(b, request, approved, na, true, "Submitted at the next sync");
    html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"submitted\">Submitted</h2>");
    if (ns == 0)
        html_printf(b, "<p class=\"govuk-body\">None yet.</p>");
    else
        declarations_table(b, request, submitted, ns, true, "In the DfE's states");

    html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"statements\">Statements</h2>");
    if (statement_count == 0) {
        html_printf(b, "<p class=\"govuk-body\">None read from the DfE yet.</p>");
    } else {
        html_printf(b,
                    "<table class=\"govuk-table\"><caption class=\"govuk-table__caption govuk-table__caption--s\">"
                    "Financial statements</caption><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">"
                    "<th scope=\"col\" class=\"govuk-table__header\">Statement</th>"
                    "<th scope=\"col\" class=\"govuk-table__header\">Cohort</th>"
                    "<th scope=\"col\" class=\"govuk-table__header\">Cut-off</th>"
                    "<th scope=\"col\" class=\"govuk-table__header\">Payment</th>"
                    "<th scope=\"col\" class=\"govuk-table__header\">Paid</th></tr></thead>"
                    "<tbody class=\"govuk-table__body\">");
        for (size_t i = 0; i < statement_count; i++) {
            const struct dfe_statement_row *s = &statements[i];
            html_printf(b,
                        "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">%s %s</td>"
                        "<td class=\"govuk-table__cell\">%s</td><td class=\"govuk-table__cell\">%s</td>"
                        "<td class=\"govuk-table__cell\">%s</td><td class=\"govuk-table__cell\">%s</td></tr>",
                        s->month, s->year, s->cohort, page_date(request, s->cut_off_date, true),
                        page_date(request, s->payment_date, true), s->paid ? "Yes" : "No");
        }
        html_printf(b, "</tbody></table>");
        page_table_stack(b);
    }

    html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"calls\">Calls to the DfE</h2>");
    if (call_count == 0) {
        html_printf(b, "<p class=\"govuk-body\">None yet.</p>");
    } else {
        html_printf(b,
                    "<p class=\"govuk-body\">The latest %zu; every call and answer is kept, at "
                    "<a class=\"govuk-link\" href=\"/api/v1/dfe/sync-log\">/api/v1/dfe/sync-log</a>.</p>",
                    call_count);
        html_printf(b, "<table class=\"govuk-table\"><caption class=\"govuk-table__caption govuk-table__caption--s\">"
                       "Newest first</caption><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">"
                       "<th scope=\"col\" class=\"govuk-table__header\">When</th>"
                       "<th scope=\"col\" class=\"govuk-table__header\">Call</th>"
                       "<th scope=\"col\" class=\"govuk-table__header\">Answer</th></tr></thead>"
                       "<tbody class=\"govuk-table__body\">");
        for (size_t i = 0; i < call_count; i++) {
            const struct dfe_log_entry *e = &calls[i];
            html_printf(b,
                        "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">%s</td>"
                        "<td class=\"govuk-table__cell govuk-!-text-break-word\">%s %s%s</td>"
                        "<td class=\"govuk-table__cell govuk-!-text-break-word\">%s</td></tr>",
                        page_time(request, e->at, DATE_SHORT), e->method, e->path,
                        e->attempt > 1 ? request_printf(request, " (attempt %d)", e->attempt) : "",
                        e->status ? request_printf(request, "%d", e->status) : e->error);
        }
        html_printf(b, "</tbody></table>");
        page_table_stack(b);
    }
    page_send(request, &page, status);
}

void page_admin_dfe(struct request *request)
{
    dfe_page(request, NULL, 200);
}

/* After a form: back to the page with a notice, or the page again with what to put right. */
static void form_done(struct request *request, enum app_result r, const struct errors *errors, const char *notice)
{
    if (r == APP_OK)
        reply_redirect(request, request_printf(request, "/admin/dfe?notice=%s", notice));
    else if (r == APP_INVALID || r == APP_CONFLICT)
        dfe_page(request, errors, page_status(r));
    else
        page_refusal(request, r, errors);
}

void page_admin_dfe_approve(struct request *request)
{
    const struct catalogue *catalogue = page_catalogue(request);
    if (catalogue == NULL)
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct errors errors = ERRORS_INIT;
    int64_t id;
    enum app_result r = declarations_approve(&env, catalogue, request_param_id(request, 0),
                                             forms_value(request, "declaration_type"), &id, &errors);
    form_done(request, r, &errors, "approved");
    errors_free(&errors);
}

void page_admin_dfe_void(struct request *request)
{
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct errors errors = ERRORS_INIT;
    int64_t id = forms_id(forms_value(request, "declaration_id"));
    enum app_result r = APP_INVALID;
    if (id <= 0)
        errors_add(&errors, "declaration_id", "Choose one of this participant's declarations");
    else
        r = declarations_void(&env, request_param_id(request, 0), id, &errors);
    form_done(request, r, &errors, "voided");
    errors_free(&errors);
}

void page_admin_dfe_retry(struct request *request)
{
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct errors errors = ERRORS_INIT;
    int64_t id = forms_id(forms_value(request, "declaration_id"));
    enum app_result r = APP_INVALID;
    if (id <= 0)
        errors_add(&errors, "declaration_id", "Choose one of this participant's declarations");
    else
        r = declarations_retry(&env, request_param_id(request, 0), id, &errors);
    form_done(request, r, &errors, "retry");
    errors_free(&errors);
}

void page_admin_dfe_sync(struct request *request)
{
    const struct catalogue *catalogue = page_catalogue(request);
    if (catalogue == NULL)
        return;
    char holder[PROCESS_IDENTITY_TEXT];
    process_identity(holder);
    struct dfe_sync_env env = {request->store, catalogue, holder, NULL, 0, 0};
    struct dfe_sync_report report;
    enum app_result r = dfe_sync_run(&env, &report);
    struct errors errors = ERRORS_INIT;
    if (r != APP_OK)
        errors_add(&errors, "sync", "%s", report.error);
    /* A failed run is said on the page; what it did is in its result and the calls. */
    form_done(request, r == APP_OK ? APP_OK : APP_CONFLICT, &errors, "synced");
    errors_free(&errors);
}

void dfe_participant_declarations(struct buf *b, struct request *request, int64_t participant_id)
{
    struct declaration *list;
    size_t count;
    if (store_declarations_list(request->store, DECLARATIONS_OF_PARTICIPANT, participant_id, request_arena(request),
                                &list, &count) != STORE_OK ||
        count == 0)
        return;
    html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"declarations\">DfE declarations</h2>");
    declarations_table(b, request, list, count, false, "Made for this participant, newest first");
    html_printf(b, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/admin/dfe\">All declarations and the "
                   "sync with the DfE</a></p>");
}
