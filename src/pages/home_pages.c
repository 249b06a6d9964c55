/*
 * The home page at /, where signing in lands: for each role the person holds, what waits for them
 * next (app/home.h gathers it; GET /api/v1/me/home answers the same). People not signed in see the
 * catalogue's home instead. Also /hours, the menu's way to a participant's learning-hours log.
 * Every list is a GOV.UK summary list, which stacks on a narrow screen.
 */
#include "app/home.h"
#include "http/reply.h"
#include "pages/html.h"
#include "pages/layout.h"
#include "pages/pages.h"
#include "pages/widgets.h"

#include <inttypes.h>
#include <string.h>

static void item_row(struct buf *b, struct request *request, const struct home_item *it)
{
    bool actions = it->action != NULL && it->action_href != NULL;
    html_printf(b,
                "<div class=\"govuk-summary-list__row%R\" data-home-item=\"%s\">"
                "<dt class=\"govuk-summary-list__key\"><a class=\"govuk-link\" href=\"%s\">%s</a></dt>"
                "<dd class=\"govuk-summary-list__value\"><p class=\"govuk-body govuk-!-margin-bottom-1\">%s</p>",
                actions ? "" : " govuk-summary-list__row--no-actions", request_printf(request, "%" PRId64, it->id),
                it->href, it->title, it->detail ? it->detail : "");
    if (it->at)
        html_printf(b, "<p class=\"govuk-body-s govuk-!-margin-bottom-1\">%s</p>",
                    page_time(request, it->at, DATE_MOMENT));
    if (it->due)
        html_printf(b, "<p class=\"govuk-body-s govuk-!-margin-bottom-1\">Due %s</p>",
                    page_time(request, it->due, DATE_MOMENT));
    if (it->date)
        html_printf(b, "<p class=\"govuk-body-s govuk-!-margin-bottom-1\">Due %s</p>",
                    page_date(request, it->date, false));
    if (it->note)
        html_printf(b, "<p class=\"govuk-body-s govuk-!-margin-bottom-0 npq-secondary\">%s</p>", it->note);
    html_printf(b, "</dd>");
    if (actions)
        html_printf(b,
                    "<dd class=\"govuk-summary-list__actions\"><a class=\"govuk-link\" href=\"%s\">%s"
                    "<span class=\"govuk-visually-hidden\">: %s</span></a></dd>",
                    it->action_href, it->action, it->title);
    html_printf(b, "</div>");
}

void page_home(struct request *request)
{
    const struct caller *caller = request->caller;
    if (caller == NULL) {
        page_catalogue_home(request);
        return;
    }
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct home home;
    enum app_result r = home_read(&env, c, caller, request_arena(request), &home);
    if (r != APP_OK) {
        page_refusal(request, r, NULL);
        return;
    }
    struct page page;
    page_begin(&page, "Home", SECTION_HOME);
    struct buf *b = &page.body;
    html_printf(b, "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\">What to do next</h1>",
                caller->name);
    if (home.part_count == 0)
        html_printf(b, "<p class=\"govuk-body\">You have no role in the programme yet. You can "
                       "<a class=\"govuk-link\" href=\"/qualifications\">read about the qualifications</a> or "
                       "<a class=\"govuk-link\" href=\"/apply\">apply for one</a>.</p>");
    for (size_t i = 0; i < home.part_count; i++) {
        const struct home_part *p = &home.parts[i];
        html_printf(b, "<section class=\"npq-home-part\" data-home-part=\"%s\" aria-labelledby=\"home-%s\">",
                    role_name(p->role), role_name(p->role));
        html_printf(b, "<h2 class=\"govuk-heading-l\" id=\"home-%s\">%s</h2>", role_name(p->role), p->heading);
        for (size_t k = 0; k < p->list_count; k++) {
            const struct home_list *l = &p->lists[k];
            html_printf(b, "<div data-home-list=\"%s\"><h3 class=\"govuk-heading-m\">%s</h3>", l->key, l->heading);
            if (l->count == 0) {
                html_printf(b, "<p class=\"govuk-body\">%s</p></div>", l->empty);
                continue;
            }
            html_printf(b, "<dl class=\"govuk-summary-list\">");
            for (size_t n = 0; n < l->count; n++)
                item_row(b, request, &l->items[n]);
            html_printf(b, "</dl></div>");
        }
        if (p->link_count > 0) {
            html_printf(b, "<ul class=\"govuk-list\">");
            for (size_t n = 0; n < p->link_count; n++)
                html_printf(b, "<li><a class=\"govuk-link\" href=\"%s\">%s</a></li>", p->links[n].href,
                            p->links[n].text);
            html_printf(b, "</ul>");
        }
        html_printf(b, "</section>");
    }
    page_send(request, &page, 200);
}

void page_hours_home(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct enrolment *list;
    size_t count;
    enum store_status s =
        store_enrolment_list_for(request->store, request->caller->user_id, request_arena(request), &list, &count);
    if (s != STORE_OK) {
        page_store_failed(request, s);
        return;
    }
    size_t live = 0;
    int64_t only = 0;
    for (size_t i = 0; i < count; i++)
        if (list[i].state != ENROLMENT_WITHDRAWN) {
            live++;
            only = list[i].id;
        }
    /* One enrolment: its log is the page. */
    if (live == 1) {
        reply_redirect(request, request_printf(request, "/enrolments/%" PRId64 "/hours", only));
        return;
    }
    struct page page;
    page_begin(&page, "Your learning hours", SECTION_HOURS);
    struct buf *b = &page.body;
    html_printf(b, "<h1 class=\"govuk-heading-l\">Your learning hours</h1>");
    if (live == 0)
        html_printf(b, "<p class=\"govuk-body\">You can log learning hours once you are enrolled on a qualification "
                       "or module.</p>");
    else {
        html_printf(b, "<p class=\"govuk-body\">Choose what the hours are for.</p><ul class=\"govuk-list\">");
        for (size_t i = 0; i < count; i++)
            if (list[i].state != ENROLMENT_WITHDRAWN)
                html_printf(b, "<li><a class=\"govuk-link\" href=\"%s\">%s</a> (%s)</li>",
                            request_printf(request, "/enrolments/%" PRId64 "/hours", list[i].id),
                            study_title(c, list[i].kind, list[i].target), enrolment_state_title(list[i].state));
        html_printf(b, "</ul>");
    }
    page_send(request, &page, 200);
}
