/*
 * The progress page (/enrolments/{id}/progress): where an enrolment stands and why, first as one
 * status with its reasons, then each module as a summary card that stacks on a phone. Everything
 * shown is what progress_read returns, so the page and GET /api/v1/enrolments/{id}/progress agree
 * and neither shows drafts, notes or marks.
 *
 * And the lists of those a person watches over, read from the kept progress: /progress (who is at
 * risk and why, with filters) and /progress/cohorts (each cohort's rates, drawn as an SVG chart
 * with the same numbers in a table beside it).
 */
#include "pages/progress.h"

#include "app/progress.h"
#include "http/paging.h"
#include "http/reply.h"
#include "pages/html.h"
#include "pages/layout.h"
#include "pages/forms.h"
#include "pages/widgets.h"

#include "domain/policy.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *tag_colour(enum progress_status status)
{
    switch (status) {
    case PROGRESS_COMPLETE: return "govuk-tag--green";
    case PROGRESS_AT_RISK: return "govuk-tag--yellow";
    case PROGRESS_BEHIND: return "govuk-tag--red";
    default: return "govuk-tag--blue";
    }
}

static void reasons_list(struct buf *b, const struct progress_reasons *reasons)
{
    html_printf(b, "<ul class=\"govuk-list govuk-list--bullet\" data-testid=\"reasons\">");
    for (size_t i = 0; i < reasons->count; i++)
        html_printf(b, "<li>%s</li>", reasons->text[i]);
    html_printf(b, "</ul>");
}

void page_progress(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct progress_view v;
    int64_t id = request_param_id(request, 0);
    enum app_result r = progress_read(&env, id, NULL, request_arena(request), &v);
    if (r != APP_OK) {
        page_refusal(request, r, NULL);
        return;
    }
    bool own = request->caller->user_id == v.facts.participant_id;
    enum study_kind kind = STUDY_QUALIFICATION;
    study_kind_parse(v.facts.kind, &kind);
    const char *enrolment = request_printf(request, "/enrolments/%" PRId64, id);
    struct page page;
    page_begin(&page, own ? "Your progress" : request_printf(request, "Progress: %s", v.facts.participant_name),
               SECTION_PEOPLE);
    page_breadcrumbs(&page, request, enrolment, "Enrolment", NULL, NULL);
    struct buf *b = &page.body;
    html_printf(b,
                "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\"><span "
                "class=\"govuk-caption-l\">%s, %s</span><h1 class=\"govuk-heading-l\">%s</h1>",
                v.facts.participant_name, study_title(c, kind, v.facts.target), own ? "Your progress" : "Progress");
    html_printf(b, "<p class=\"govuk-body\" data-testid=\"status\"><strong class=\"govuk-tag %s\">%s</strong></p>",
                tag_colour(v.judged.status), progress_status_title(v.judged.status));
    reasons_list(b, &v.judged.reasons);
    for (size_t i = 0; i < v.facts.module_count; i++) {
        const struct progress_view_module *m = &v.modules[i];
        html_printf(b,
                    "<div class=\"govuk-summary-card\" data-testid=\"module\"><div "
                    "class=\"govuk-summary-card__title-wrapper\"><h2 class=\"govuk-summary-card__title\">%s</h2>"
                    "<strong class=\"govuk-tag %s\">%s</strong></div><div class=\"govuk-summary-card__content\">"
                    "<dl class=\"govuk-summary-list\"><div class=\"govuk-summary-list__row\"><dt "
                    "class=\"govuk-summary-list__key\">Events</dt><dd class=\"govuk-summary-list__value\">%d "
                    "attended, %d missed, of %d held (%d in all)</dd></div><div "
                    "class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Learning hours</dt><dd "
                    "class=\"govuk-summary-list__value\">%d of %d</dd></div><div "
                    "class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Why</dt><dd "
                    "class=\"govuk-summary-list__value\">",
                    m->facts->title, tag_colour(m->judged.status), progress_status_title(m->judged.status),
                    m->facts->events_attended, m->facts->events_missed, m->facts->events_held, m->facts->events_total,
                    m->facts->quarter_hours / 4, m->facts->hours_cap);
        reasons_list(b, &m->judged.reasons);
        html_printf(b, "</dd></div></dl></div></div>");
    }
    html_printf(b,
                "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"%s/support-plan\">Support plan</a></p><p "
                "class=\"govuk-body\"><a class=\"govuk-link\" href=\"%s/coverage\">Framework coverage</a></p><p "
                "class=\"govuk-body\"><a class=\"govuk-link\" href=\"%s\">Back to the enrolment</a></p>",
                enrolment, enrolment, enrolment);
    html_printf(b, "</div></div>");
    page_send(request, &page, 200);
}

/* The lists: /progress and /progress/cohorts */

static const char *tag_of(struct request *request, const char *status_name)
{
    enum progress_status status = PROGRESS_ON_TRACK;
    progress_status_parse(status_name, &status);
    return request_printf(request, "<strong class=\"govuk-tag %s\">%s</strong>", tag_colour(status),
                          progress_status_title(status));
}

/* The kept reasons, one a line, as a list. */
static void kept_reasons_list(struct buf *b, const char *text)
{
    html_printf(b, "<ul class=\"govuk-list govuk-body-s\">");
    while (text != NULL && *text != '\0') {
        const char *end = strchr(text, '\n');
        size_t len = end ? (size_t)(end - text) : strlen(text);
        char line[PROGRESS_REASON_TEXT + 1];
        snprintf(line, sizeof(line), "%.*s", (int)(len < PROGRESS_REASON_TEXT ? len : PROGRESS_REASON_TEXT), text);
        html_printf(b, "<li>%s</li>", line);
        text = end ? end + 1 : NULL;
    }
    html_printf(b, "</ul>");
}

/* name=value for a filter that is set; an unset one is left out of the address. */
static void filter_add(struct request *request, struct buf *b, const char *name, const char *value)
{
    if (value != NULL && *value != '\0')
        paging_query_append(request, b, name, value);
}

/* The filters as chosen, as a query (status only when the list has one: NULL for the cohorts'). */
static void filters_query(struct request *request, struct buf *b, const struct progress_query *q, const char *status)
{
    if (status != NULL) {
        paging_query_append(request, b, "status", status); /* empty is "any status", so kept */
    }
    filter_add(request, b, "cohort",
               q->filter.cohort_id > 0 ? request_printf(request, "%" PRId64, q->filter.cohort_id) : NULL);
    filter_add(request, b, "partner",
               q->filter.partner_id > 0 ? request_printf(request, "%" PRId64, q->filter.partner_id) : NULL);
    filter_add(request, b, "qualification", q->filter.qualification);
    filter_add(request, b, "region", q->filter.region);
}

/* A link to the API's CSV of what the page lists, with the same filters: the whole list, not
 * only this page of it. */
static void download_link(struct buf *b, struct request *request, const char *path, const struct progress_query *q,
                          const char *status, const char *words)
{
    struct buf query;
    buf_init(&query, 64 * 1024);
    filters_query(request, &query, q, status);
    buf_appendf(&query, "%sformat=csv", query.len ? "&" : "");
    if (buf_failed(&query))
        buf_fail(b);
    html_printf(b, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"%s?%s\" download>%s</a></p>", path,
                query.data ? query.data : "", words);
    buf_free(&query);
}

/* The filters both lists share, as chosen: cohorts and qualifications from the caller's own cohorts. */
static void filter_form(struct buf *b, struct request *request, const char *action, const struct progress_query *q,
                        const char *status, const struct progress_cohort_row *cohorts, size_t cohort_count)
{
    struct form_option *cohort_options = request_alloc(request, sizeof(*cohort_options) * (cohort_count + 1));
    struct form_option *target_options = request_alloc(request, sizeof(*target_options) * (cohort_count + 1));
    size_t targets = 1;
    cohort_options[0] = (struct form_option){"", "Any cohort"};
    target_options[0] = (struct form_option){"", "Any qualification"};
    for (size_t i = 0; i < cohort_count; i++) {
        cohort_options[i + 1] =
            (struct form_option){request_printf(request, "%" PRId64, cohorts[i].cohort_id), cohorts[i].code};
        bool seen = false;
        for (size_t k = 1; k < targets && !seen; k++)
            seen = strcasecmp(target_options[k].value, cohorts[i].target) == 0;
        if (!seen)
            target_options[targets++] = (struct form_option){cohorts[i].target, cohorts[i].target};
    }
    html_printf(b,
                "<form method=\"get\" action=\"%s\" novalidate class=\"govuk-!-margin-bottom-6\"><div "
                "class=\"govuk-grid-row\"><div class=\"govuk-grid-column-one-quarter\">",
                action);
    if (status != NULL) {
        static const struct form_option statuses[] = {{"at_risk", "At risk"},
                                                      {"behind", "Behind"},
                                                      {"on_track", "On track"},
                                                      {"complete", "Complete"},
                                                      {"", "Any status"}};
        forms_select(b, "status", "Status", statuses, sizeof(statuses) / sizeof(statuses[0]), status, NULL, NULL);
        html_printf(b, "</div><div class=\"govuk-grid-column-one-quarter\">");
    }
    forms_select(b, "cohort", "Cohort", cohort_options, cohort_count + 1,
                 q->filter.cohort_id > 0 ? request_printf(request, "%" PRId64, q->filter.cohort_id) : "", NULL, NULL);
    html_printf(b, "</div><div class=\"govuk-grid-column-one-quarter\">");
    forms_select(b, "qualification", "Qualification", target_options, targets,
                 q->filter.qualification ? q->filter.qualification : "", NULL, NULL);
    html_printf(b, "</div><div class=\"govuk-grid-column-one-quarter\">");
    forms_input(b, "region", "School's region", "text", q->filter.region ? q->filter.region : "", NULL, "off", NULL);
    html_printf(b, "</div></div>");
    if (q->filter.partner_id > 0)
        html_printf(b, "<input type=\"hidden\" name=\"partner\" value=\"%s\">",
                    request_printf(request, "%" PRId64, q->filter.partner_id));
    forms_button(b, "Show", "secondary");
    html_printf(b, "</form>");
}

/* The filters, and where this page starts when position is not NULL. */
static bool read_query(struct request *request, struct progress_query *q, struct store_page *position)
{
    struct errors errors = ERRORS_INIT;
    progress_query_read(request_query(request), q, &errors);
    if (position != NULL) {
        page_list_position(request, CURSOR_ID, PROGRESS_LIST_DEFAULT, position, &errors);
        q->after = position->after.key == CURSOR_ID ? position->after.id : 0;
        q->limit = position->limit;
    }
    return !page_query_refused(request, &errors);
}

void page_progress_list(struct request *request)
{
    struct progress_query q;
    struct store_page position;
    if (!read_query(request, &q, &position))
        return;
    /* The page opens on those at risk; "Any status" asks for everyone (status= with nothing). */
    const char *status = form_get(request_query(request), "status");
    if (status == NULL)
        q.filter.status = status = "at_risk";
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct progress_list_row *rows;
    struct progress_cohort_row *cohorts;
    size_t count, cohort_count;
    bool more;
    enum app_result r = progress_list(&env, request->caller, &q, request_arena(request), &rows, &count, &more);
    if (r == APP_OK)
        r = progress_cohorts(&env, request->caller, &(struct progress_filter){0}, request_arena(request), &cohorts,
                             &cohort_count);
    if (r != APP_OK) {
        page_refusal(request, r, NULL);
        return;
    }
    struct page page;
    page_begin(&page, "Participants' progress", SECTION_PROGRESS);
    struct buf *b = &page.body;
    html_printf(b, "<h1 class=\"govuk-heading-l\">Participants' progress</h1><p class=\"govuk-body\">Who needs "
                   "support, and why. <a class=\"govuk-link\" href=\"/progress/cohorts\">Cohorts' figures</a></p>");
    filter_form(b, request, "/progress", &q, status, cohorts, cohort_count);
    download_link(b, request, "/api/v1/progress", &q, status, "Download everyone these filters match (CSV)");
    if (count == 0) {
        html_printf(b, "<p class=\"govuk-body\" data-testid=\"none\">Nobody you support matches these filters.</p>");
        page_send(request, &page, 200);
        return;
    }
    html_printf(b, "<table class=\"govuk-table\" data-testid=\"progress\"><caption class=\"govuk-table__caption "
                   "govuk-table__caption--m\">Participants</caption><thead class=\"govuk-table__head\"><tr "
                   "class=\"govuk-table__row\"><th scope=\"col\" class=\"govuk-table__header\">Participant</th><th "
                   "scope=\"col\" class=\"govuk-table__header\">Cohort</th><th scope=\"col\" "
                   "class=\"govuk-table__header\">School</th><th scope=\"col\" "
                   "class=\"govuk-table__header\">Status</th><th scope=\"col\" "
                   "class=\"govuk-table__header\">Why</th><th scope=\"col\" "
                   "class=\"govuk-table__header\">Support plan</th></tr></thead><tbody class=\"govuk-table__body\">");
    for (size_t i = 0; i < count; i++) {
        const struct progress_list_row *row = &rows[i];
        html_printf(b,
                    "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><a class=\"govuk-link\" "
                    "href=\"%s\">%s</a></td><td class=\"govuk-table__cell\">%s</td><td "
                    "class=\"govuk-table__cell\">%s</td><td class=\"govuk-table__cell\">%R</td><td "
                    "class=\"govuk-table__cell\">",
                    request_printf(request, "/enrolments/%" PRId64 "/progress", row->progress.enrolment_id),
                    row->participant_name, row->cohort_code[0] ? row->cohort_code : row->target,
                    row->school_name[0] ? row->school_name : "None given", tag_of(request, row->progress.status));
        kept_reasons_list(b, row->progress.reasons);
        html_printf(b, "</td><td class=\"govuk-table__cell\"><a class=\"govuk-link\" href=\"%s\">%s</a></td></tr>",
                    request_printf(request, "/enrolments/%" PRId64 "/support-plan", row->progress.enrolment_id),
                    row->has_plan ? "In place" : "None yet");
    }
    html_printf(b, "</tbody></table>");
    page_table_stack(b);
    if (more) {
        struct cursor last = {.key = CURSOR_ID, .id = rows[count - 1].progress.enrolment_id};
        position.next = cursor_encode(&last, request_arena(request));
    }
    static const char *const kept[] = {"status", "cohort", "partner", "qualification", "region"};
    page_pagination(b, request, kept, sizeof(kept) / sizeof(kept[0]), &position);
    page_send(request, &page, 200);
}

/* The four rates of a cohort, in the order the chart and the table show them. */
enum { RATES = 4 };
static const char *const rate_names[RATES] = {"Completion", "Attendance", "Submission", "Pass"};
static const char *const rate_colours[RATES] = {"#00703c", "#1d70b8", "#4c2c92", "#d4351c"};

static void rates_of(const struct progress_cohort_row *c, int out[RATES])
{
    out[0] = progress_percent(c->complete, c->enrolments);
    out[1] = progress_percent(c->events_attended, c->events_held);
    out[2] = progress_percent(c->submitted, c->with_task);
    out[3] = progress_percent(c->passed, c->with_result);
}

/*
 * A bar chart drawn on the server as SVG: one group of four bars a cohort. It is an image with a
 * title and a description for screen readers; the same numbers are in the table beside it, which
 * is what assistive technology and a narrow screen read best.
 */
static void rates_chart(struct buf *b, const struct progress_cohort_row *rows, size_t count)
{
    enum { LABEL = 24, BAR = 14, GAP = 18, WIDTH = 600, LEFT = 110 };
    size_t shown = count < 20 ? count : 20;
    int height = (int)shown * (LABEL + RATES * BAR + GAP) + 10;
    html_printf(b,
                "<figure class=\"govuk-!-margin-0 govuk-!-margin-bottom-6\" data-testid=\"chart\"><svg "
                "xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"rates-title rates-desc\" "
                "viewBox=\"0 0 %d %d\" width=\"100%%\" "
                "font-family=\"GDS Transport, arial, sans-serif\"><title id=\"rates-title\">Cohorts by completion, "
                "attendance, submission and pass rates</title><desc id=\"rates-desc\">",
                WIDTH, height);
    for (size_t i = 0; i < shown; i++) {
        int rates[RATES];
        rates_of(&rows[i], rates);
        html_printf(b, "%s: completion %d%%, attendance %d%%, submission %d%%, pass %d%%. ", rows[i].code, rates[0],
                    rates[1], rates[2], rates[3]);
    }
    html_printf(b, "</desc>");
    int y = 4;
    for (size_t i = 0; i < shown; i++) {
        int rates[RATES];
        rates_of(&rows[i], rates);
        html_printf(b, "<text x=\"0\" y=\"%d\" font-size=\"16\" font-weight=\"bold\" fill=\"#0b0c0c\">%s</text>",
                    y + 16, rows[i].code);
        y += LABEL;
        for (int k = 0; k < RATES; k++) {
            int w = rates[k] * (WIDTH - LEFT - 60) / 100;
            html_printf(b,
                        "<text x=\"0\" y=\"%d\" font-size=\"13\" fill=\"#0b0c0c\">%s</text><rect x=\"%d\" y=\"%d\" "
                        "width=\"%d\" height=\"%d\" fill=\"%s\"></rect><text x=\"%d\" y=\"%d\" font-size=\"13\" "
                        "fill=\"#0b0c0c\">%d%%</text>",
                        y + 11, rate_names[k], LEFT, y + 1, w, BAR - 3, rate_colours[k], LEFT + w + 6, y + 11,
                        rates[k]);
            y += BAR;
        }
        y += GAP;
    }
    html_printf(b, "</svg>");
    if (count > shown)
        html_printf(
            b,
            "<figcaption class=\"govuk-body-s\">The first %zu cohorts are drawn; the table has all %zu.</figcaption>",
            shown, count);
    html_printf(b, "</figure>");
}

void page_progress_cohorts(struct request *request)
{
    struct progress_query q;
    if (!read_query(request, &q, NULL))
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct progress_cohort_row *rows, *all;
    size_t count, all_count;
    enum app_result r = progress_cohorts(&env, request->caller, &q.filter, request_arena(request), &rows, &count);
    if (r == APP_OK)
        r = progress_cohorts(&env, request->caller, &(struct progress_filter){0}, request_arena(request), &all,
                             &all_count);
    if (r != APP_OK) {
        page_refusal(request, r, NULL);
        return;
    }
    struct page page;
    page_begin(&page, "Cohorts' progress", SECTION_PROGRESS);
    struct buf *b = &page.body;
    html_printf(b, "<h1 class=\"govuk-heading-l\">Cohorts' progress</h1><p class=\"govuk-body\">Completion, "
                   "attendance, submission and pass rates of the cohorts you oversee. <a class=\"govuk-link\" "
                   "href=\"/progress\">Who is at risk</a></p>");
    const char *notice = form_get(request_query(request), "notice");
    int64_t sent = -1;
    struct errors ignored = ERRORS_INIT;
    if (notice != NULL && strcmp(notice, "sent") == 0 &&
        form_read_int(request_query(request), "sent", 0, INT32_MAX, &sent, &ignored) && sent >= 0)
        page_notice(&page, "success",
                    sent == 1 ? "1 progress update was sent."
                              : request_printf(request, "%" PRId64 " progress updates were sent.", sent));
    errors_free(&ignored);
    if (policy_allows(PERM_PROGRAMME_MANAGE, request->caller, RESOURCE_NONE, NULL)) {
        html_printf(b, "<p class=\"govuk-body\">Mentors and headteachers are sent a progress update once a period. "
                       "Those not yet sent this period's can be sent it now.</p>");
        page_post_button(b, request, "/progress/updates", "Send progress updates now", NULL, "secondary");
    }
    filter_form(b, request, "/progress/cohorts", &q, NULL, all, all_count);
    download_link(b, request, "/api/v1/progress/cohorts", &q, NULL, "Download these cohorts' figures (CSV)");
    if (count == 0) {
        html_printf(b, "<p class=\"govuk-body\" data-testid=\"none\">No cohort you oversee has participants yet.</p>");
        page_send(request, &page, 200);
        return;
    }
    html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-one-half\">");
    rates_chart(b, rows, count);
    html_printf(b, "</div><div class=\"govuk-grid-column-one-half\">");
    html_printf(b, "<table class=\"govuk-table\" data-testid=\"rates\"><caption class=\"govuk-table__caption "
                   "govuk-table__caption--m\">Rates by cohort</caption><thead class=\"govuk-table__head\"><tr "
                   "class=\"govuk-table__row\"><th scope=\"col\" class=\"govuk-table__header\">Cohort</th><th "
                   "scope=\"col\" class=\"govuk-table__header govuk-table__header--numeric\">Participants</th><th "
                   "scope=\"col\" class=\"govuk-table__header govuk-table__header--numeric\">At risk or behind</th>");
    for (int k = 0; k < RATES; k++)
        html_printf(b, "<th scope=\"col\" class=\"govuk-table__header govuk-table__header--numeric\">%s</th>",
                    rate_names[k]);
    html_printf(b, "</tr></thead><tbody class=\"govuk-table__body\">");
    for (size_t i = 0; i < count; i++) {
        int rates[RATES];
        rates_of(&rows[i], rates);
        html_printf(b,
                    "<tr class=\"govuk-table__row\"><th scope=\"row\" class=\"govuk-table__header\"><a "
                    "class=\"govuk-link\" href=\"%s\">%s</a></th><td class=\"govuk-table__cell "
                    "govuk-table__cell--numeric\">%d</td><td class=\"govuk-table__cell "
                    "govuk-table__cell--numeric\">%d</td>",
                    request_printf(request, "/progress?status=&cohort=%" PRId64, rows[i].cohort_id), rows[i].code,
                    rows[i].enrolments, rows[i].at_risk + rows[i].behind);
        for (int k = 0; k < RATES; k++)
            html_printf(b, "<td class=\"govuk-table__cell govuk-table__cell--numeric\">%d%%</td>", rates[k]);
        html_printf(b, "</tr>");
    }
    html_printf(b, "</tbody></table>");
    page_table_stack(b);
    html_printf(b, "</div></div>");
    page_send(request, &page, 200);
}

/* Progress updates by email: opting out (/account/progress-updates), sending now (administrators) */

void page_progress_updates(struct request *request)
{
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    bool subscribed;
    enum progress_cadence cadence;
    enum app_result r = progress_updates_read(&env, request->caller->user_id, &subscribed, &cadence);
    if (r != APP_OK) {
        page_refusal(request, r, NULL);
        return;
    }
    struct page page;
    page_begin(&page, "Progress updates", SECTION_ACCOUNT);
    page_breadcrumbs(&page, request, "/account", "Your account", NULL, NULL);
    const char *notice = form_get(request_query(request), "notice");
    if (notice != NULL && strcmp(notice, "saved") == 0)
        page_notice(&page, "success",
                    subscribed ? "You will receive progress updates."
                               : "You will not receive "
                                 "progress updates.");
    struct buf *b = &page.body;
    html_printf(b,
                "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\"><h1 "
                "class=\"govuk-heading-l\">Progress updates</h1><p class=\"govuk-body\">Mentors and headteachers "
                "are sent an email %s saying how each participant they support stands, and why, with a link to "
                "their progress.</p><p class=\"govuk-body\" data-testid=\"updates-state\">%s</p>",
                cadence == PROGRESS_WEEKLY ? "every week" : "every month",
                subscribed ? "You receive progress updates." : "You asked not to receive progress updates.");
    html_printf(b, "<form method=\"post\" action=\"/account/progress-updates\" novalidate>");
    forms_csrf(b, request);
    html_printf(
        b,
        "<input type=\"hidden\" name=\"subscribed\" value=\"%s\"><button type=\"submit\" class=\"govuk-button%R\" "
        "data-module=\"govuk-button\">%s</button></form></div></div>",
        subscribed ? "no" : "yes", subscribed ? " govuk-button--warning" : "",
        subscribed ? "Stop progress updates" : "Send me progress updates again");
    page_send(request, &page, 200);
}

void page_progress_updates_save(struct request *request)
{
    const char *value = request->form ? form_get(request->form, "subscribed") : NULL;
    bool yes = value != NULL && strcmp(value, "yes") == 0, no = value != NULL && strcmp(value, "no") == 0;
    if (!yes && !no) {
        struct errors errors = ERRORS_INIT;
        errors_add(&errors, "subscribed", "Choose yes or no");
        page_refusal(request, APP_INVALID, &errors);
        errors_free(&errors);
        return;
    }
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result r = progress_updates_set(&env, request->caller->user_id, yes);
    if (r != APP_OK)
        page_refusal(request, r, NULL);
    else
        reply_redirect(request, "/account/progress-updates?notice=saved");
}

void page_progress_updates_send(struct request *request)
{
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    size_t sent = 0;
    char period[PROGRESS_PERIOD_TEXT];
    enum app_result r = progress_updates_send(&env, &sent, period);
    if (r != APP_OK)
        page_refusal(request, r, NULL);
    else
        reply_redirect(request, request_printf(request, "/progress/cohorts?notice=sent&sent=%zu", sent));
}

/* Support plans: /enrolments/{id}/support-plan */

enum { PLAN_FORM_ACTIONS = 3 };

/* The form's values: as posted when shown again, else the plan as kept. */
struct plan_form {
    const char *supporter;
    struct forms_date review;
    const char *action[PLAN_FORM_ACTIONS];
    struct forms_date due[PLAN_FORM_ACTIONS];
};

static void plan_page(struct request *request, int status, const struct plan_form *posted, const struct errors *errors)
{
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t id = request_param_id(request, 0);
    struct arena *arena = request_arena(request);
    struct support_plan plan;
    bool has, needed;
    struct enrolment e;
    enum app_result r = support_plan_read(&env, id, arena, &plan, &has, &needed);
    if (r == APP_OK)
        r = app_result_of_store(store_enrolment_get(request->store, id, arena, &e));
    struct cohort_staff *staff = NULL;
    size_t staff_count = 0;
    if (r == APP_OK && e.cohort_id > 0)
        r = app_result_of_store(store_cohort_staff_list(request->store, e.cohort_id, arena, &staff, &staff_count));
    if (r != APP_OK) {
        page_refusal(request, r, NULL);
        return;
    }
    bool own = request->caller->user_id == e.participant_id;
    bool writer = policy_may_plan_support(request->caller, &request->relation);
    const char *self = request_printf(request, "/enrolments/%" PRId64 "/support-plan", id);
    struct page page;
    page_begin(&page, own ? "Your support plan" : request_printf(request, "Support plan: %s", e.participant_name),
               SECTION_PROGRESS);
    page.has_errors = errors != NULL && errors->count > 0;
    page_breadcrumbs(&page, request, request_printf(request, "/enrolments/%" PRId64 "/progress", id), "Progress", NULL,
                     NULL);
    const char *notice = form_get(request_query(request), "notice");
    if (notice != NULL && strcmp(notice, "saved") == 0)
        page_notice(&page, "success", "The support plan is saved.");
    else if (notice != NULL && strcmp(notice, "closed") == 0)
        page_notice(&page, "success", "The support plan is closed.");
    struct buf *b = &page.body;
    html_printf(b,
                "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\"><span "
                "class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\">%s</h1>",
                e.participant_name, own ? "Your support plan" : "Support plan");
    forms_error_summary(b, errors);
    if (has) {
        html_printf(
            b,
            "<dl class=\"govuk-summary-list\" data-testid=\"plan\"><div class=\"govuk-summary-list__row\"><dt "
            "class=\"govuk-summary-list__key\">Supported by</dt><dd class=\"govuk-summary-list__value\">%s</dd>"
            "</div><div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Reviewed on</dt>"
            "<dd class=\"govuk-summary-list__value\">%s</dd></div>",
            plan.supporter_name, page_date(request, plan.review_on, false));
        for (size_t i = 0; i < plan.action_count; i++)
            html_printf(b,
                        "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Action %zu, by "
                        "%s</dt><dd class=\"govuk-summary-list__value\">%s</dd></div>",
                        i + 1, page_date(request, plan.actions[i].due_on, false), plan.actions[i].action);
        html_printf(b, "</dl>");
    } else
        html_printf(b, "<p class=\"govuk-body\" data-testid=\"no-plan\">%s</p>",
                    needed ? "There is no support plan yet, and one is needed: the participant is at risk, behind "
                             "or was referred."
                           : "There is no support plan. One is agreed when a participant is at risk, behind or "
                             "referred.");
    if (writer && (has || needed)) {
        struct plan_form kept = {0};
        if (posted == NULL) {
            kept.supporter = has ? request_printf(request, "%" PRId64, plan.supporter_id) : "";
            kept.review = forms_date_of(request, has ? plan.review_on : "");
            for (size_t i = 0; i < PLAN_FORM_ACTIONS; i++) {
                kept.action[i] = has && i < plan.action_count ? plan.actions[i].action : "";
                kept.due[i] = forms_date_of(request, has && i < plan.action_count ? plan.actions[i].due_on : "");
            }
            posted = &kept;
        }
        struct form_option *people = request_alloc(request, sizeof(*people) * (staff_count + 1));
        people[0] = (struct form_option){"", "Choose a coach or facilitator"};
        for (size_t i = 0; i < staff_count; i++)
            people[i + 1] = (struct form_option){request_printf(request, "%" PRId64, staff[i].user_id),
                                                 request_printf(request, "%s (%s)", staff[i].name,
                                                                staff[i].role == ROLE_COACH ? "coach" : "facilitator")};
        html_printf(b, "<h2 class=\"govuk-heading-m\">%s</h2>", has ? "Change the plan" : "Agree a plan");
        forms_begin(b, request, self);
        forms_select(b, "supporter_id", "Who supports them", people, staff_count + 1, posted->supporter,
                     "A coach or facilitator of their cohort", errors);
        for (size_t i = 0; i < PLAN_FORM_ACTIONS; i++) {
            char name[32], due[32];
            snprintf(name, sizeof(name), "actions[%zu].action", i);
            snprintf(due, sizeof(due), "actions[%zu].due_on", i);
            forms_textarea(b, request_printf(request, "%s", name), request_printf(request, "Action %zu", i + 1),
                           posted->action[i], i == 0 ? "Leave the ones you do not need empty" : NULL, 2, errors);
            forms_date_input(b, request_printf(request, "%s", due),
                             request_printf(request, "Action %zu is due by", i + 1), NULL, &posted->due[i], errors);
        }
        forms_date_input(b, "review_on", "When the plan is reviewed", NULL, &posted->review, errors);
        forms_button(b, has ? "Save the plan" : "Agree the plan", NULL);
        forms_end(b);
        if (has)
            page_post_button(b, request, request_printf(request, "%s?close=1", self), "Close the plan", NULL,
                             "secondary");
    }
    html_printf(b, "</div></div>");
    page_send(request, &page, status);
}

void page_support_plan(struct request *request)
{
    plan_page(request, 200, NULL, NULL);
}

void page_support_plan_save(struct request *request)
{
    int64_t id = request_param_id(request, 0);
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct errors errors = ERRORS_INIT;
    struct support_plan_input in = {0};
    bool flag = false;
    struct errors ignored = ERRORS_INIT;
    in.close = form_read_flag(request_query(request), "close", &flag, &ignored) && flag;
    errors_free(&ignored);
    struct plan_form posted = {.supporter = forms_text(request, "supporter_id"),
                               .review = forms_date_posted(request, "review_on")};
    struct support_action *actions = request_alloc(request, sizeof(*actions) * PLAN_FORM_ACTIONS);
    if (!in.close) {
        int64_t supporter = forms_id(posted.supporter);
        in.supporter_id = supporter > 0 ? supporter : 0;
        in.review_on = forms_date_iso(request, &posted.review, "review_on", "review", &errors);
        for (size_t i = 0; i < PLAN_FORM_ACTIONS; i++) {
            posted.action[i] = forms_text(request, request_printf(request, "actions[%zu].action", i));
            posted.due[i] = forms_date_posted(request, request_printf(request, "actions[%zu].due_on", i));
            bool empty = posted.action[i][0] == '\0' && posted.due[i].day[0] == '\0' &&
                         posted.due[i].month[0] == '\0' && posted.due[i].year[0] == '\0';
            if (empty)
                continue;
            const char *due =
                forms_date_iso(request, &posted.due[i], request_printf(request, "actions[%zu].due_on", in.action_count),
                               "due", &errors);
            /* A date the boxes cannot make is refused here; the use case is still asked about the rest. */
            actions[in.action_count++] = (struct support_action){posted.action[i], due ? due : "not a date"};
        }
        in.actions = actions;
    }
    struct support_plan plan;
    enum app_result r =
        support_plan_save(&env, request->caller, &request->relation, id, &in, request_arena(request), &plan, &errors);
    if (r == APP_OK && errors.count == 0) {
        reply_redirect(request, request_printf(request, "/enrolments/%" PRId64 "/support-plan?notice=%s", id,
                                               in.close ? "closed" : "saved"));
    } else {
        int status = page_form_again(request, r, &errors);
        if (status != 0)
            plan_page(request, status, &posted, &errors);
    }
    errors_free(&errors);
}

/* Framework coverage: /enrolments/{id}/coverage (a heatmap) and /cohorts/{id}/coverage */

static const char *statement_label(struct request *request, int area, const struct coverage_statement *s)
{
    return request_printf(request, "%s %d.%d", s->kind == CONTENT_LEARN_THAT ? "Learn that" : "Learn how to", area,
                          s->statement->number);
}

static const char *statement_anchor(struct request *request, int area, const struct coverage_statement *s)
{
    return request_printf(request, "s-%d-%s-%d", area, s->kind == CONTENT_LEARN_THAT ? "that" : "how",
                          s->statement->number);
}

static void evidence_items(struct buf *b, struct request *request, const struct coverage_evidence *const *list,
                           size_t n)
{
    html_printf(b, "<ul class=\"govuk-list govuk-list--bullet\">");
    for (size_t i = 0; i < n; i++) {
        const struct coverage_evidence *e = list[i];
        html_printf(
            b, "<li>%s: <a class=\"govuk-link\" href=\"%s\">%s</a></li>", e->event ? "Event attended" : "Content done",
            e->event ? request_printf(request, "/events/%" PRId64, e->id)
                     : request_printf(request, "/enrolments/%" PRId64 "/course/%" PRId64, e->enrolment_id, e->id),
            e->title);
    }
    html_printf(b, "</ul>");
}

void page_coverage(struct request *request)
{
    const struct catalogue *catalogue = page_catalogue(request);
    if (catalogue == NULL)
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t id = request_param_id(request, 0);
    struct coverage c;
    enum app_result r = coverage_read(&env, catalogue, id, false, request_arena(request), &c);
    if (r != APP_OK) {
        page_refusal(request, r, NULL);
        return;
    }
    const char *progress = request_printf(request, "/enrolments/%" PRId64 "/progress", id);
    struct page page;
    page_begin(&page, "Framework coverage", SECTION_PROGRESS);
    page_breadcrumbs(&page, request, progress, "Progress", NULL, NULL);
    struct buf *b = &page.body;
    html_printf(b, "<h1 class=\"govuk-heading-l\">Framework coverage</h1>");
    if (c.framework == NULL) {
        html_printf(b, "<p class=\"govuk-body\">This study has no framework of its own to cover.</p>");
        page_send(request, &page, 200);
        return;
    }
    html_printf(b,
                "<p class=\"govuk-body\">Which statements of the %s are evidenced by content done and events "
                "attended. Each statement shows how many pieces of evidence it has; follow it to see them. "
                "Coaching and assessed work are not tagged to statements, so they do not show here.</p>",
                c.framework->title);
    html_printf(b, "<div data-testid=\"heatmap\">");
    for (size_t i = 0; i < c.area_count; i++) {
        const struct coverage_area *a = &c.areas[i];
        html_printf(
            b,
            "<h2 class=\"govuk-heading-s govuk-!-margin-bottom-2\">Area %d: %s</h2><p class=\"govuk-body-s\">%zu "
            "for the area as a whole</p><ul class=\"govuk-list\">",
            a->area->number, a->area->title, a->count);
        for (size_t j = 0; j < a->statement_count; j++) {
            const struct coverage_statement *s = &a->statements[j];
            const char *colour = s->count == 0   ? "govuk-tag--grey"
                                 : s->count == 1 ? "govuk-tag--blue"
                                                 : "govuk-tag--green";
            html_printf(b,
                        "<li class=\"govuk-!-display-inline-block govuk-!-margin-right-1\"><a class=\"govuk-link\" "
                        "href=\"#%s\"><strong class=\"govuk-tag %R\">%s: %zu</strong></a></li>",
                        statement_anchor(request, a->area->number, s), colour,
                        statement_label(request, a->area->number, s), s->count);
        }
        html_printf(b, "</ul>");
    }
    html_printf(b, "</div><h2 class=\"govuk-heading-m\">Evidence</h2>");
    for (size_t i = 0; i < c.area_count; i++) {
        const struct coverage_area *a = &c.areas[i];
        if (a->count > 0) {
            html_printf(b, "<h3 class=\"govuk-heading-s\">Area %d as a whole</h3>", a->area->number);
            evidence_items(b, request, a->evidence, a->count);
        }
        for (size_t j = 0; j < a->statement_count; j++) {
            const struct coverage_statement *s = &a->statements[j];
            html_printf(b, "<h3 class=\"govuk-heading-s\" id=\"%s\">%s</h3><p class=\"govuk-body-s\">%s</p>",
                        statement_anchor(request, a->area->number, s), statement_label(request, a->area->number, s),
                        s->statement->text);
            if (s->count == 0)
                html_printf(b, "<p class=\"govuk-body\">No evidence yet.</p>");
            else
                evidence_items(b, request, s->evidence, s->count);
        }
    }
    page_send(request, &page, 200);
}

void page_cohort_coverage(struct request *request)
{
    const struct catalogue *catalogue = page_catalogue(request);
    if (catalogue == NULL)
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t id = request_param_id(request, 0);
    struct coverage c;
    enum app_result r = coverage_read(&env, catalogue, id, true, request_arena(request), &c);
    if (r != APP_OK) {
        page_refusal(request, r, NULL);
        return;
    }
    struct page page;
    page_begin(&page, "Statements nobody has touched", SECTION_DELIVERY);
    page_breadcrumbs(&page, request, request_printf(request, "/cohorts/%" PRId64, id), "Cohort", NULL, NULL);
    struct buf *b = &page.body;
    html_printf(b, "<h1 class=\"govuk-heading-l\">Statements nobody has touched</h1>");
    if (c.framework == NULL) {
        html_printf(b, "<p class=\"govuk-body\">This cohort's study has no framework of its own to cover.</p>");
        page_send(request, &page, 200);
        return;
    }
    html_printf(b,
                "<p class=\"govuk-body\">Statements of the %s that no participant of the cohort has evidenced by "
                "content done. Plan events or content for them.</p>",
                c.framework->title);
    size_t none = 0;
    for (size_t i = 0; i < c.area_count; i++) {
        const struct coverage_area *a = &c.areas[i];
        bool heading = false;
        for (size_t j = 0; j < a->statement_count; j++) {
            const struct coverage_statement *s = &a->statements[j];
            if (s->count > 0)
                continue;
            if (!heading)
                html_printf(b,
                            "<h2 class=\"govuk-heading-s\">Area %d: %s</h2><ul class=\"govuk-list\" "
                            "data-testid=\"untouched\">",
                            a->area->number, a->area->title);
            heading = true;
            none++;
            html_printf(b, "<li><strong>%s</strong>: %s</li>", statement_label(request, a->area->number, s),
                        s->statement->text);
        }
        if (heading)
            html_printf(b, "</ul>");
    }
    if (none == 0)
        html_printf(b, "<p class=\"govuk-body\">Every statement has been touched.</p>");
    page_send(request, &page, 200);
}
