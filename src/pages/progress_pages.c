/*
 * The progress page (/enrolments/{id}/progress): where an enrolment stands and why, first as one
 * status with its reasons, then each module as a summary card that stacks on a phone. Everything
 * shown is what progress_read returns, so the page and GET /api/v1/enrolments/{id}/progress agree
 * and neither shows drafts, notes or marks.
 */
#include "pages/progress.h"

#include "app/progress.h"
#include "http/reply.h"
#include "pages/html.h"
#include "pages/layout.h"
#include "pages/widgets.h"

#include <inttypes.h>

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
    html_printf(b, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"%s\">Back to the enrolment</a></p>",
                enrolment);
    html_printf(b, "</div></div>");
    page_send(request, &page, 200);
}
