/*
 * Award pages (awards.h says what each route is). Verification is public and says as little as
 * the certificate does: a stranger holding the address learns the name, the qualification, the
 * date and the number, and nothing else about the person. The transcript is for those who may
 * see the person (the route's permission), and links the certificate itself only for the person
 * and administrators, who alone may download it.
 */
#include "pages/awards.h"
#include "domain/delivery.h"
#include "lib/date.h"

#include "app/awards.h"
#include "http/reply.h"
#include "http/site.h"
#include "pages/html.h"
#include "pages/layout.h"
#include "pages/widgets.h"
#include "pdf/pdf.h"
#include "pdf/transcript.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void summary_row(struct buf *b, const char *key, const char *value)
{
    html_printf(b,
                "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">%s</dt>"
                "<dd class=\"govuk-summary-list__value govuk-!-text-break-word\">%s</dd></div>",
                key, value);
}

/* Verification */

void page_verify(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct arena *arena = request_arena(request);
    struct award award;
    enum app_result r =
        awards_find_by_code(request->store, request_strndup(request, request->params[0]), arena, &award);
    /* The address is a secret shared on purpose: not for search engines, nor for caches. */
    reply_header(request, "x-robots-tag", "noindex");
    reply_header(request, "cache-control", "no-store");
    if (r == APP_NOT_FOUND) {
        page_error(request, 404, "No certificate matches this address",
                   "Check that the address was copied in full, exactly as it appears on the certificate. If it "
                   "still does not match, the certificate was not issued here.");
        return;
    }
    if (r != APP_OK) {
        page_refusal(request, r, NULL);
        return;
    }
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct certificate certificate;
    awards_certificate(&env, c, &award, arena, &certificate);
    struct page page;
    page_begin(&page, "Certificate verified", SECTION_NONE);
    struct buf *b = &page.body;
    html_printf(b,
                "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">"
                "<div class=\"govuk-panel govuk-panel--confirmation\"><h1 class=\"govuk-panel__title\">Certificate "
                "verified</h1><div class=\"govuk-panel__body\">%s issued this certificate</div></div>"
                "<dl class=\"govuk-summary-list\" data-testid=\"certificate\">",
                certificate.provider);
    summary_row(b, "Name", certificate.name);
    summary_row(b, "Qualification", certificate.qualification);
    summary_row(b, "Awarded on", certificate.awarded_on);
    summary_row(b, "Certificate number", certificate.number);
    html_printf(b, "</dl><p class=\"govuk-body\">This page confirms what the certificate says and nothing more. "
                   "Anyone with this address can see it.</p></div></div>");
    page_send(request, &page, 200);
}

/* Transcripts */

/* The transcript of the person in the URL, or false after sending an error page. */
static bool load_transcript(struct request *request, const struct catalogue **c, struct transcript *t)
{
    if ((*c = page_catalogue(request)) == NULL)
        return false;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t participant = request_param_id(request, 0);
    enum app_result r = awards_transcript(
        &env, *c, participant, policy_sees_awards(request->caller, &request->relation), request_arena(request), t);
    if (r != APP_OK)
        page_refusal(request, r, NULL);
    return r == APP_OK;
}

static void modules_table(struct buf *b, const struct transcript *t)
{
    if (t->module_count == 0) {
        html_printf(b, "<p class=\"govuk-body\">No modules are recorded as completed yet.</p>");
        return;
    }
    html_printf(b, "<table class=\"govuk-table\" data-testid=\"modules\"><caption class=\"govuk-table__caption "
                   "govuk-visually-hidden\">Modules completed</caption><thead class=\"govuk-table__head\">"
                   "<tr class=\"govuk-table__row\"><th scope=\"col\" class=\"govuk-table__header\">Module</th>"
                   "<th scope=\"col\" class=\"govuk-table__header\">Completed</th>"
                   "<th scope=\"col\" class=\"govuk-table__header\">Hours logged</th>"
                   "<th scope=\"col\" class=\"govuk-table__header\">Master's credits</th></tr></thead>"
                   "<tbody class=\"govuk-table__body\">");
    for (size_t i = 0; i < t->module_count; i++) {
        const struct transcript_module *m = &t->modules[i];
        char on[DATE_HUMAN_TEXT], total[DATE_HUMAN_TEXT], verified[DATE_HUMAN_TEXT], credits[16];
        date_format_day(m->completed_on, false, on, sizeof(on));
        int64_t all = m->verified_quarter_hours + m->unverified_quarter_hours;
        delivery_hours_number(all, total);
        delivery_hours_number(m->verified_quarter_hours, verified);
        snprintf(credits, sizeof(credits), "%d", m->credits);
        html_printf(b,
                    "<tr class=\"govuk-table__row\"><th scope=\"row\" class=\"govuk-table__header\">%s</th>"
                    "<td class=\"govuk-table__cell\">%s</td><td class=\"govuk-table__cell\">",
                    m->title, on);
        if (all == 0)
            html_printf(b, "None logged");
        else if (m->unverified_quarter_hours == 0)
            html_printf(b, "%s (all verified)", total);
        else
            html_printf(b, "%s (%s verified)", total, verified);
        html_printf(b, "</td><td class=\"govuk-table__cell\">");
        if (!m->has_credit)
            html_printf(b, "None set");
        else if (*m->awarding_body)
            html_printf(b, "%s<br><span class=\"govuk-body-s\">%s</span>", credits, m->awarding_body);
        else
            html_printf(b, "%s", credits);
        html_printf(b, "</td></tr>");
    }
    html_printf(b, "</tbody></table>");
    page_table_stack(b);
    if (t->total_credits > 0)
        html_printf(b, "<p class=\"govuk-body\">Master's credits in total: <strong>%d</strong>.</p>", t->total_credits);
}

static void awards_list(struct buf *b, const struct transcript *t, bool may_download)
{
    if (t->award_count == 0) {
        html_printf(b, "<p class=\"govuk-body\">No qualification has been awarded yet.</p>");
        return;
    }
    for (size_t i = 0; i < t->award_count; i++) {
        const struct transcript_award *a = &t->awards[i];
        char on[DATE_HUMAN_TEXT], certificate[96];
        date_format_day(a->awarded_on, false, on, sizeof(on));
        snprintf(certificate, sizeof(certificate), "/api/v1/awards/%" PRId64 "/certificate.pdf", a->id);
        html_printf(b,
                    "<div class=\"govuk-summary-card\" data-testid=\"award\"><div class=\"govuk-summary-card__title-"
                    "wrapper\"><h3 class=\"govuk-summary-card__title\">%s</h3></div>"
                    "<div class=\"govuk-summary-card__content\"><dl class=\"govuk-summary-list\">",
                    a->qualification_title);
        summary_row(b, "Awarded on", on);
        summary_row(b, "Certificate number", a->certificate_number);
        if (a->verify_url != NULL)
            html_printf(b,
                        "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Verification "
                        "address</dt><dd class=\"govuk-summary-list__value govuk-!-text-break-word\">"
                        "<a class=\"govuk-link\" href=\"%s\">%s</a></dd></div>",
                        a->verify_url, a->verify_url);
        html_printf(b, "</dl>");
        if (may_download)
            html_printf(b,
                        "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"%s\">Download the certificate "
                        "(PDF)</a></p>",
                        certificate);
        html_printf(b, "</div></div>");
    }
}

void page_transcript(struct request *request)
{
    const struct catalogue *c;
    struct transcript t;
    if (!load_transcript(request, &c, &t))
        return;
    bool own = policy_is_self(request->caller, &request->relation);
    char pathway[64], pdf[64];
    snprintf(pathway, sizeof(pathway), "/participants/%" PRId64 "/pathway", t.participant_id);
    snprintf(pdf, sizeof(pdf), "/participants/%" PRId64 "/transcript.pdf", t.participant_id);

    struct page page;
    page_begin(&page, own ? "Your transcript" : "Transcript", own ? SECTION_TRANSCRIPT : SECTION_APPLICATIONS);
    struct buf crumbs;
    buf_init(&crumbs, 4096);
    html_printf(&crumbs,
                "<nav class=\"govuk-breadcrumbs\" aria-label=\"Breadcrumb\"><ol class=\"govuk-breadcrumbs__list\">"
                "<li class=\"govuk-breadcrumbs__list-item\"><a class=\"govuk-breadcrumbs__link\" href=\"/\">Home</a>"
                "</li><li class=\"govuk-breadcrumbs__list-item\"><a class=\"govuk-breadcrumbs__link\" href=\"%s\">"
                "Pathway</a></li></ol></nav>",
                pathway);
    page.breadcrumbs = page_markup(request, &crumbs);

    struct buf *b = &page.body;
    char issued[DATE_HUMAN_TEXT];
    date_format_day(t.generated_on, false, issued, sizeof(issued));
    html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-full\">"
                   "<span class=\"govuk-caption-l\">Transcript</span>");
    html_printf(b, "<h1 class=\"govuk-heading-l\">%s</h1>", t.name);
    html_printf(b,
                "<p class=\"govuk-body\">Issued by %s on %s. Hours are those logged in the learning-hours log; "
                "verified hours have been confirmed by a coach, a facilitator or the provider.</p>"
                "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"%s\">Download this transcript (PDF)</a></p>"
                "<h2 class=\"govuk-heading-m\">Modules completed</h2>",
                t.provider, issued, pdf);
    modules_table(b, &t);
    html_printf(b, "<h2 class=\"govuk-heading-m\">Qualifications awarded</h2>");
    awards_list(b, &t, policy_sees_awards(request->caller, &request->relation));
    html_printf(b, "</div></div>");
    page_send(request, &page, 200);
}

void page_transcript_pdf(struct request *request)
{
    const struct catalogue *c;
    struct transcript t;
    if (!load_transcript(request, &c, &t))
        return;
    struct buf out;
    buf_init(&out, PDF_MAX_BYTES);
    if (!pdf_transcript(&t, &out)) {
        buf_free(&out);
        page_error(request, 503, "Sorry, there is a problem", "The transcript could not be drawn. Try again shortly.");
        return;
    }
    char *disposition = request_alloc(request, 64);
    snprintf(disposition, 64, "inline; filename=\"transcript-%" PRId64 ".pdf\"", t.participant_id);
    reply_header(request, "content-disposition", disposition);
    reply_header(request, "cache-control", "private, no-store");
    reply_body(request, 200, "application/pdf", out.data, out.len);
    buf_free(&out);
}
