/*
 * The page frame (see layout.h) and the one place a page is handed to reply: a page whose
 * buffers reached their maximum anywhere while it was built is never sent truncated; it is logged
 * and answered with a 500 page instead.
 */
#include "pages/layout.h"

#include "http/reply.h"
#include "http/static_assets.h"
#include "pages/forms.h"
#include "pages/html.h"

#include <stdio.h>

void page_begin(struct page *page, const char *title, enum page_section section)
{
    page->title = title;
    page->section = section;
    page->breadcrumbs = NULL;
    page->notice = NULL;
    page->has_errors = false;
    buf_init(&page->notice_buf, 4096);
    buf_init(&page->body, PAGE_MAX_BYTES);
}

void page_notice(struct page *page, const char *kind, const char *message)
{
    struct buf b;
    buf_init(&b, 4096);
    bool success = kind != NULL && kind[0] == 's';
    html_printf(&b,
                "<div class=\"govuk-notification-banner%R\" role=\"%R\" aria-labelledby=\"notice-title\" "
                "data-module=\"govuk-notification-banner\"><div class=\"govuk-notification-banner__header\">"
                "<h2 class=\"govuk-notification-banner__title\" id=\"notice-title\">%s</h2></div>"
                "<div class=\"govuk-notification-banner__content\"><p class=\"govuk-notification-banner__heading\">"
                "%s</p></div></div>",
                success ? " govuk-notification-banner--success" : "", success ? "alert" : "region",
                success ? "Success" : "Important", message);
    buf_free(&page->notice_buf);
    page->notice_buf = b;
    page->notice = page->notice_buf.data;
}

static void nav_item(struct buf *b, const char *href, const char *label, bool current)
{
    if (current)
        html_printf(b,
                    "<li class=\"govuk-service-navigation__item govuk-service-navigation__item--active\">"
                    "<a class=\"govuk-service-navigation__link\" href=\"%s\" aria-current=\"page\">"
                    "<strong class=\"govuk-service-navigation__active-fallback\">%s</strong></a></li>",
                    href, label);
    else
        html_printf(b,
                    "<li class=\"govuk-service-navigation__item\">"
                    "<a class=\"govuk-service-navigation__link\" href=\"%s\">%s</a></li>",
                    href, label);
}

/* The last resort when even the 500 page could not be built: a page that needs no buffer. */
static const char broken_page[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Sorry, there is a problem – NPQ"
    "</title></head>\n<body><h1>Sorry, there is a problem</h1><p>This page could not be shown. Try again later.</p>"
    "</body>\n</html>\n";

static void send_page(struct request *request, struct page *page, int status, bool fallback);

/* A page that could not be built whole: say so in the log, and answer 500 with a page that says so. */
static void send_broken(struct request *request, bool fallback)
{
    struct str path = request_path(request);
    fprintf(stderr, "npq: BUG: the page for %.*s outgrew its buffer or was written wrongly; answered 500\n",
            (int)path.len, path.ptr);
    if (fallback) {
        reply_body(request, 500, "text/html; charset=utf-8", broken_page, sizeof(broken_page) - 1);
        return;
    }
    struct page page;
    page_begin(&page, "Sorry, there is a problem", SECTION_NONE);
    html_printf(&page.body, "<h1 class=\"govuk-heading-l\">Sorry, there is a problem</h1>"
                            "<p class=\"govuk-body\">This page could not be shown. Try again later.</p>");
    send_page(request, &page, 500, true);
}

void page_send(struct request *request, struct page *page, int status)
{
    send_page(request, page, status, false);
}

static void send_page(struct request *request, struct page *page, int status, bool fallback)
{
    const char *v = static_assets_version();
    struct buf nav;
    buf_init(&nav, 16 * 1024);
    nav_item(&nav, "/", "Home", page->section == SECTION_HOME);
    nav_item(&nav, "/qualifications", "Qualifications", page->section == SECTION_QUALIFICATIONS);
    nav_item(&nav, "/frameworks", "Frameworks", page->section == SECTION_FRAMEWORKS);
    const struct caller *caller = request->caller;
    if (caller != NULL) {
        nav_item(&nav, "/applications", "Applications", page->section == SECTION_APPLICATIONS);
        nav_item(&nav, "/content", "Learning", page->section == SECTION_LEARNING);
        if (caller->roles != 0) /* every role belongs to the provider's forum at least */
            nav_item(&nav, "/forums", "Forums", page->section == SECTION_FORUMS);
        if (policy_allows(PERM_CONTENT_READ, caller, RESOURCE_NONE, NULL))
            nav_item(&nav, "/search", "Search", page->section == SECTION_SEARCH);
        bool staff = policy_works_in(caller, AREA_DELIVERY);
        if (staff)
            nav_item(&nav, "/delivery", "Delivery", page->section == SECTION_DELIVERY);
        /* A participant's own menu: their events, hours, pathway and transcript. */
        if (caller_has(caller, ROLE_PARTICIPANT)) {
            if (!staff)
                nav_item(&nav, "/delivery", "Events", page->section == SECTION_DELIVERY);
            nav_item(&nav, "/hours", "Hours", page->section == SECTION_HOURS);
            char href[96];
            snprintf(href, sizeof(href), "/participants/%lld/pathway", (long long)caller->user_id);
            nav_item(&nav, href, "Pathway", page->section == SECTION_PATHWAY);
            snprintf(href, sizeof(href), "/participants/%lld/transcript", (long long)caller->user_id);
            nav_item(&nav, href, "Transcript", page->section == SECTION_TRANSCRIPT);
        }
        if (policy_works_in(caller, AREA_COACHING))
            nav_item(&nav, "/coaching", "Coaching", page->section == SECTION_COACHING);
        if (policy_works_in(caller, AREA_ASSESSMENT))
            nav_item(&nav, "/assessment", "Assessment", page->section == SECTION_ASSESSMENT);
        if (policy_works_in(caller, AREA_PEOPLE))
            nav_item(&nav, "/admin/users", "People", page->section == SECTION_PEOPLE);
        if (policy_allows(PERM_PROGRESS_READ, caller, RESOURCE_NONE, NULL))
            nav_item(&nav, "/progress", "Progress", page->section == SECTION_PROGRESS);
        if (policy_allows(PERM_ORGANISATIONS_READ, caller, RESOURCE_NONE, NULL))
            nav_item(&nav, "/admin/organisations", "Organisations", page->section == SECTION_ORGANISATIONS);
        if (policy_allows(PERM_AUDIT_READ, caller, RESOURCE_NONE, NULL))
            nav_item(&nav, "/admin/audit", "Audit log", page->section == SECTION_AUDIT);
        nav_item(&nav, "/account", "Your account", page->section == SECTION_ACCOUNT);
    } else {
        nav_item(&nav, "/sign-in", "Sign in", false);
    }
    /* Who is signed in goes inside the header, so it belongs to the page's banner landmark. */
    struct buf account;
    buf_init(&account, 16 * 1024);
    if (caller != NULL) {
        html_printf(&account,
                    "<div class=\"govuk-width-container npq-signed-in\"><p class=\"govuk-body-s\">"
                    "Signed in as <strong>%s</strong></p>",
                    caller->name);
        forms_action_button(&account, request, "/sign-out", "Sign out", "secondary");
        html_printf(&account, "</div>");
    }

    struct buf out;
    buf_init(&out, PAGE_MAX_BYTES + 64 * 1024);
    html_printf(
        &out,
        "<!DOCTYPE html>\n<html lang=\"en\" class=\"govuk-template\">\n<head>\n"
        "<meta charset=\"utf-8\">\n<title>%R%s – NPQ</title>\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1, viewport-fit=cover\">\n"
        "<meta name=\"theme-color\" content=\"#1d70b8\">\n"
        "<link rel=\"icon\" sizes=\"48x48\" href=\"/assets/images/favicon.ico\">\n"
        "<link rel=\"icon\" sizes=\"any\" href=\"/assets/images/favicon.svg\" type=\"image/svg+xml\">\n"
        "<link rel=\"apple-touch-icon\" href=\"/assets/images/govuk-icon-180.png\">\n"
        "<link rel=\"manifest\" href=\"/assets/manifest.json\">\n"
        "<link rel=\"stylesheet\" href=\"/assets/govuk-frontend.min.css?v=%s\">\n"
        "<link rel=\"stylesheet\" href=\"/assets/app.css?v=%s\">\n"
        "</head>\n<body class=\"govuk-template__body\">\n"
        "<a href=\"#main-content\" class=\"govuk-skip-link\" data-module=\"govuk-skip-link\">"
        "Skip to main content</a>\n"
        "<header class=\"govuk-template__header\">\n"
        "<div class=\"govuk-generic-header\"><div class=\"govuk-generic-header__container "
        "govuk-width-container\"><div class=\"govuk-generic-header__logo\">"
        "<a href=\"/\" class=\"govuk-generic-header__homepage-link\">NPQ</a></div></div></div>\n"
        "<section aria-label=\"Service information\" class=\"govuk-service-navigation\" "
        "data-module=\"govuk-service-navigation\"><div class=\"govuk-width-container\">"
        "<div class=\"govuk-service-navigation__container\">"
        "<span class=\"govuk-service-navigation__service-name\">"
        "<a href=\"/\" class=\"govuk-service-navigation__link\">National Professional Qualifications</a></span>"
        "<nav aria-label=\"Menu\" class=\"govuk-service-navigation__wrapper\">"
        "<button type=\"button\" class=\"govuk-service-navigation__toggle govuk-js-service-navigation-toggle\" "
        "aria-controls=\"navigation\" hidden aria-hidden=\"true\">Menu</button>"
        "<ul class=\"govuk-service-navigation__list\" id=\"navigation\">%R</ul></nav></div></div></section>\n"
        "%R</header>\n<div class=\"govuk-width-container\">\n%R"
        "<main class=\"govuk-main-wrapper\" id=\"main-content\">\n%R%R</main>\n</div>\n"
        "<footer class=\"govuk-footer\"><div class=\"govuk-width-container\">"
        "<div class=\"govuk-footer__meta\"><div class=\"govuk-footer__meta-item govuk-footer__meta-item--grow\">"
        "<a class=\"govuk-footer__link\" href=\"/api/v1/openapi.json\">API</a></div></div></div></footer>\n"
        "<script type=\"module\" src=\"/assets/app.js?v=%s\"></script>\n</body>\n</html>\n",
        page->has_errors ? "Error: " : "", page->title, v, v, nav.data ? nav.data : "",
        account.data ? account.data : "", page->breadcrumbs ? page->breadcrumbs : "", page->notice ? page->notice : "",
        page->body.data ? page->body.data : "", v);
    bool failed = buf_failed(&nav) || buf_failed(&account) || buf_failed(&page->notice_buf) ||
                  buf_failed(&page->body) || buf_failed(&out);
    buf_free(&nav);
    buf_free(&account);
    buf_free(&page->notice_buf);
    buf_free(&page->body);
    if (failed)
        send_broken(request, fallback);
    else if (request->caller == NULL && request->session_token == NULL && status == 200)
        /* A visitor's page is the same for every visitor (no CSRF token of theirs in it, or the
         * token makes it theirs and the ETag with it): a revisit costs a hash, not a page. */
        reply_body_tagged(request, status, "text/html; charset=utf-8", out.data, out.len);
    else
        reply_body(request, status, "text/html; charset=utf-8", out.data, out.len); /* h2o copies the body */
    buf_free(&out);
}

void page_error(struct request *request, int status, const char *heading, const char *message)
{
    struct page page;
    page_begin(&page, heading, SECTION_NONE);
    html_printf(&page.body, "<h1 class=\"govuk-heading-l\">%s</h1><p class=\"govuk-body\">%s</p>", heading, message);
    page_send(request, &page, status);
}

void page_unavailable(struct request *request)
{
    page_error(request, 503, "Sorry, there is a problem",
               "The database could not complete this. Try again in a moment.");
}
