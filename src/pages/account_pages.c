/*
 * Signing in and out, setting a password from an emailed link (reset or invitation), and the
 * signed-in person's own account page with their API tokens.
 */
#include "app/accounts.h"
#include "http/auth.h"
#include "http/reply.h"
#include "http/site.h"
#include "pages/forms.h"
#include "pages/html.h"
#include "pages/layout.h"
#include "pages/widgets.h"
#include "pages/pages.h"
#include "pages/widgets.h"

#include <string.h>
#include <time.h>

/* Only paths on this site, so a link cannot send someone elsewhere after signing in. Browsers
 * drop tabs and newlines from addresses and read "\\" as "/", so any control character or
 * backslash could turn "/\t/evil.example" into another site's address: refuse them all. */
static const char *safe_next(const char *next)
{
    if (next == NULL || next[0] != '/' || next[1] == '/')
        return "/";
    for (const unsigned char *p = (const unsigned char *)next; *p; p++)
        if (*p < 0x21 || *p == 0x7f || *p == '\\')
            return "/";
    return next;
}

static void sign_in_form(struct request *request, int status, const char *email, const char *next,
                         const struct errors *errors, const char *notice)
{
    struct page page;
    page_begin(&page, "Sign in", SECTION_NONE);
    if (notice != NULL)
        page_notice(&page, "success", notice);
    struct buf *b = &page.body;
    page.has_errors = errors != NULL && errors->count > 0;
    html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    forms_error_summary(b, errors);
    html_printf(b, "<h1 class=\"govuk-heading-l\">Sign in</h1>");
    forms_begin(b, request, "/sign-in");
    html_printf(b, "<input type=\"hidden\" name=\"next\" value=\"%s\">", safe_next(next));
    forms_input(b, "email", "Email address", "email", email, NULL, "username", errors);
    forms_input(b, "password", "Password", "password", NULL, NULL, "current-password", errors);
    forms_button(b, "Sign in", NULL);
    forms_end(b);
    html_printf(b, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/password-reset\">Forgotten your "
                   "password?</a></p></div></div>");
    page_send(request, &page, status);
}

void page_sign_in(struct request *request)
{
    struct form *query = request_query(request);
    const char *notice = NULL;
    const char *done = form_get(query, "done");
    if (done != NULL && strcmp(done, "password") == 0)
        notice = "Your password is set. Sign in with it now.";
    else if (done != NULL && strcmp(done, "signed-out") == 0)
        notice = "You have signed out.";
    sign_in_form(request, 200, NULL, form_get(query, "next"), NULL, notice);
}

void page_sign_in_submit(struct request *request)
{
    const char *email = form_get(request->form, "email");
    const char *password = form_get(request->form, "password");
    const char *next = form_get(request->form, "next");
    struct errors errors = ERRORS_INIT;
    if (email == NULL || *email == '\0')
        errors_add(&errors, "email", "Enter your email address");
    if (password == NULL || *password == '\0')
        errors_add(&errors, "password", "Enter your password");
    int status = 422;
    if (errors.count == 0) {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        int64_t user_id;
        enum app_result r = accounts_sign_in(&env, email, password, actor.client, &user_id, &errors);
        if (r == APP_OK) {
            if (request->session_id != 0)
                auth_sign_out(request); /* a fresh session, never one chosen before signing in */
            if (auth_sign_in(request, user_id))
                reply_redirect(request, safe_next(next));
            else
                page_error(request, 503, "Sorry, there is a problem", "Try signing in again in a moment.");
            errors_free(&errors);
            return;
        }
        if (page_refused(request, r, &errors)) {
            errors_free(&errors);
            return;
        }
        status = page_status(r); /* 401 for a wrong password, 429 when throttled: the form again */
    }
    sign_in_form(request, status, email, next, &errors, NULL);
    errors_free(&errors);
}

void page_sign_out(struct request *request)
{
    auth_sign_out(request);
    reply_redirect(request, "/sign-in?done=signed-out");
}

void page_sign_out_everywhere(struct request *request)
{
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    bool tokens = strcmp(forms_value(request, "revoke_tokens"), "1") == 0;
    enum app_result r = accounts_sign_out_everywhere(&env, request->caller->user_id, tokens);
    if (r != APP_OK) {
        page_refusal(request, r, NULL);
        return;
    }
    auth_sign_out(request);
    reply_redirect(request, "/sign-in?done=signed-out");
}

static void reset_request_form(struct request *request, int status, const char *email, const struct errors *errors)
{
    struct page page;
    page_begin(&page, "Reset your password", SECTION_NONE);
    struct buf *b = &page.body;
    page.has_errors = errors != NULL && errors->count > 0;
    html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    forms_error_summary(b, errors);
    html_printf(b, "<h1 class=\"govuk-heading-l\">Reset your password</h1><p class=\"govuk-body\">Enter the email "
                   "address you sign in with. We will send you a link to choose a new password.</p>");
    forms_begin(b, request, "/password-reset");
    forms_input(b, "email", "Email address", "email", email, NULL, "username", errors);
    forms_button(b, "Send the link", NULL);
    forms_end(b);
    html_printf(b, "</div></div>");
    page_send(request, &page, status);
}

void page_password_reset(struct request *request)
{
    reset_request_form(request, 200, NULL, NULL);
}

void page_password_reset_submit(struct request *request)
{
    const char *email = form_get(request->form, "email");
    if (email == NULL || !account_email_valid(email)) {
        struct errors errors = ERRORS_INIT;
        errors_add(&errors, "email", "Enter an email address in the correct format, like name@example.com");
        reset_request_form(request, 422, email, &errors);
        errors_free(&errors);
        return;
    }
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct errors errors = ERRORS_INIT;
    enum app_result r = accounts_request_reset(&env, email, &errors);
    if (r == APP_TOO_MANY)
        reset_request_form(request, page_status(r), email, &errors);
    else if (r != APP_OK)
        page_refusal(request, r, &errors);
    errors_free(&errors);
    if (r != APP_OK)
        return;
    struct page page;
    page_begin(&page, "Check your email", SECTION_NONE);
    /* The same answer whether or not the address has an account. */
    html_printf(&page.body,
                "<h1 class=\"govuk-heading-l\">Check your email</h1><p class=\"govuk-body\">If %s has an account, "
                "we have sent it a link to reset the password. The link lasts 1 hour.</p>",
                email);
    page_send(request, &page, 200);
}

/* The form for choosing a password from a link; purpose decides the words and the address. */
static void link_form(struct request *request, enum one_time_purpose purpose, int status, const struct user *user,
                      const struct errors *errors)
{
    bool invite = purpose == ONE_TIME_INVITE;
    struct page page;
    page_begin(&page, invite ? "Set your password" : "Choose a new password", SECTION_NONE);
    struct buf *b = &page.body;
    page.has_errors = errors != NULL && errors->count > 0;
    html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    forms_error_summary(b, errors);
    html_printf(b,
                "<h1 class=\"govuk-heading-l\">%s</h1><p class=\"govuk-body\">%s, your email address for signing "
                "in is <strong>%s</strong>.</p>",
                invite ? "Set your password" : "Choose a new password", user->name, user->email);
    char action[128];
    snprintf(action, sizeof(action), "/%s/%.*s", invite ? "invitation" : "password-reset", (int)request->params[0].len,
             request->params[0].ptr);
    forms_begin(b, request, action);
    forms_input(b, "password", "Password", "password", NULL,
                "At least 12 characters. A good password is three or more random words.", "new-password", errors);
    forms_input(b, "confirmation", "Confirm password", "password", NULL, NULL, "new-password", errors);
    forms_button(b, invite ? "Set password" : "Change password", NULL);
    forms_end(b);
    html_printf(b, "</div></div>");
    page_send(request, &page, status);
}

static void link_expired(struct request *request, enum one_time_purpose purpose)
{
    page_error(request, 404, "This link has expired or been used",
               purpose == ONE_TIME_INVITE
                   ? "Ask your provider's administrator to send you a new invitation."
                   : "Links to reset a password last 1 hour and work once. Ask for a new one from the sign-in page.");
}

static void link_page(struct request *request, enum one_time_purpose purpose)
{
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct user user;
    const char *token = request_strndup(request, request->params[0]);
    enum app_result r = accounts_link_user(&env, purpose, token, request_arena(request), &user);
    if (r == APP_NOT_FOUND)
        link_expired(request, purpose);
    else if (r != APP_OK)
        page_refusal(request, r, NULL);
    else
        link_form(request, purpose, 200, &user, NULL);
}

static void link_submit(struct request *request, enum one_time_purpose purpose)
{
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    const char *token = request_strndup(request, request->params[0]);
    struct errors errors = ERRORS_INIT;
    int64_t user_id;
    enum app_result r = accounts_set_password_from_link(&env, purpose, token, form_get(request->form, "password"),
                                                        form_get(request->form, "confirmation"), &user_id, &errors);
    if (r == APP_OK) {
        reply_redirect(request, "/sign-in?done=password");
    } else if (r == APP_INVALID) {
        struct user user;
        if (accounts_link_user(&env, purpose, token, request_arena(request), &user) == APP_OK)
            link_form(request, purpose, page_status(r), &user, &errors);
        else
            link_expired(request, purpose);
    } else if (r == APP_NOT_FOUND) {
        link_expired(request, purpose);
    } else {
        page_refusal(request, r, NULL);
    }
    errors_free(&errors);
}

void page_reset_link(struct request *request)
{
    link_page(request, ONE_TIME_RESET);
}

void page_reset_link_submit(struct request *request)
{
    link_submit(request, ONE_TIME_RESET);
}

void page_invitation(struct request *request)
{
    link_page(request, ONE_TIME_INVITE);
}

void page_invitation_submit(struct request *request)
{
    link_submit(request, ONE_TIME_INVITE);
}

/* The account page; new_token is shown once, just after it is made. */
/* How long a new token lasts; a script's token should end by itself unless there is a reason. */
static void token_lifetime_choice(struct buf *b, const struct errors *errors)
{
    static const struct form_option lifetimes[] = {
        {"30", "30 days"}, {"90", "90 days"}, {"365", "1 year"}, {"0", "Until I revoke it"}};
    forms_select(b, "expires_in_days", "How long it works", lifetimes, sizeof(lifetimes) / sizeof(lifetimes[0]), "90",
                 "It stops working by itself after this", errors);
}

static void account_page(struct request *request, int status, const char *new_token, const struct errors *errors,
                         const char *notice)
{
    const struct caller *caller = request->caller;
    struct page page;
    page_begin(&page, "Your account", SECTION_ACCOUNT);
    if (notice != NULL)
        page_notice(&page, "success", notice);
    struct buf *b = &page.body;
    page.has_errors = errors != NULL && errors->count > 0;
    forms_error_summary(b, errors);
    html_printf(b,
                "<h1 class=\"govuk-heading-l\">Your account</h1><dl class=\"govuk-summary-list\">"
                "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Name</dt>"
                "<dd class=\"govuk-summary-list__value\">%s</dd></div>"
                "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Email address</dt>"
                "<dd class=\"govuk-summary-list__value\">%s</dd></div>"
                "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Roles</dt>"
                "<dd class=\"govuk-summary-list__value\"><ul class=\"govuk-list\">",
                caller->name, caller->email);
    for (size_t i = 0; i < caller->grant_count; i++) {
        const struct role_grant *g = &caller->grants[i];
        if (g->organisation_name != NULL)
            html_printf(b, "<li>%s, %s</li>", role_title(g->role), g->organisation_name);
        else
            html_printf(b, "<li>%s</li>", role_title(g->role));
    }
    html_printf(b, "</ul></dd></div></dl>");

    html_printf(b, "<h2 class=\"govuk-heading-m\">API tokens</h2><p class=\"govuk-body\">A token lets a program use "
                   "the API as you. Keep it secret, and revoke it when it is no longer needed.</p>");
    if (new_token != NULL)
        html_printf(b,
                    "<div class=\"govuk-inset-text\"><p class=\"govuk-body\">Your new token. Copy it now: it will "
                    "not be shown again.</p><p class=\"govuk-body npq-token\" data-testid=\"new-token\">%s</p></div>",
                    new_token);
    struct api_token *tokens;
    size_t count = 0;
    if (store_token_list(request->store, caller->user_id, NULL, request_arena(request), &tokens, &count) == STORE_OK &&
        count > 0) {
        html_printf(b, "<table class=\"govuk-table\"><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">"
                       "<th scope=\"col\" class=\"govuk-table__header\">Name</th>"
                       "<th scope=\"col\" class=\"govuk-table__header\">Starts with</th>"
                       "<th scope=\"col\" class=\"govuk-table__header\">Last used</th>"
                       "<th scope=\"col\" class=\"govuk-table__header\"><span class=\"govuk-visually-hidden\">"
                       "Actions</span></th></tr></thead>"
                       "<tbody class=\"govuk-table__body\">");
        for (size_t i = 0; i < count; i++) {
            const char *used =
                tokens[i].last_used_at ? page_time(request, tokens[i].last_used_at, DATE_SHORT) : "never";
            if (tokens[i].expires_at != 0 && tokens[i].expires_at <= request->now)
                used = request_printf(request, "%s (expired)", used);
            else if (tokens[i].expires_at != 0)
                used = request_printf(request, "%s (works until %s)", used,
                                      page_time(request, tokens[i].expires_at, DATE_SHORT_DAY));
            html_printf(b,
                        "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">%s</td>"
                        "<td class=\"govuk-table__cell npq-token\">%s…</td><td class=\"govuk-table__cell\">%s</td>"
                        "<td class=\"govuk-table__cell\">",
                        tokens[i].name, tokens[i].prefix, tokens[i].revoked_at ? "revoked" : used);
            if (tokens[i].revoked_at == 0) {
                char action[64];
                snprintf(action, sizeof(action), "/account/tokens/%lld/revoke", (long long)tokens[i].id);
                forms_action_button(b, request, action, "Revoke", "warning");
            }
            html_printf(b, "</td></tr>");
        }
        html_printf(b, "</tbody></table>");
        page_table_stack(b);
    }
    forms_begin(b, request, "/account/tokens");
    forms_input(b, "name", "Name of a new token", "text", NULL, "Say what it is for, like \"Reporting script\"", NULL,
                errors);
    token_lifetime_choice(b, errors);
    forms_button(b, "Make a token", "secondary");
    forms_end(b);

    html_printf(b, "<h2 class=\"govuk-heading-m\">Signing in</h2><p class=\"govuk-body\">Sign out on every device "
                   "where you are signed in, for example after using a shared computer.</p>");
    forms_begin(b, request, "/account/sign-out-everywhere");
    forms_checkbox(b, "revoke_tokens", "Also revoke my API tokens (programs using them stop working)", false);
    forms_button(b, "Sign out everywhere", "warning");
    forms_end(b);
    html_printf(b, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/password-reset\">Change your "
                   "password</a></p>");
    page_send(request, &page, status);
}

void page_account(struct request *request)
{
    const char *notice = form_get(request_query(request), "done");
    account_page(request, 200, NULL, NULL,
                 notice && strcmp(notice, "revoked") == 0 ? "The token is revoked and no longer works." : NULL);
}

void page_account_token_create(struct request *request)
{
    const char *name = form_get(request->form, "name");
    struct errors errors = ERRORS_INIT;
    int64_t days = 90;
    form_read_int(request->form, "expires_in_days", 0, ACCOUNTS_TOKEN_DAYS_MAX, &days, &errors);
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    char token[ACCOUNTS_TOKEN_TEXT];
    int64_t id;
    enum app_result r = errors.count > 0
                            ? APP_INVALID
                            : accounts_issue_token(&env, request->caller->user_id, name, days, token, &id, &errors);
    if (r == APP_OK)
        account_page(request, 201, token, NULL, NULL);
    else if (!page_refused(request, r, &errors))
        account_page(request, page_status(r), NULL, &errors, NULL);
    errors_free(&errors);
}

void page_account_token_revoke(struct request *request)
{
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t id = 0;
    for (size_t i = 0; i < request->params[0].len; i++)
        id = id * 10 + (request->params[0].ptr[i] - '0'); /* the gate checked it is a number */
    store_token_revoke(env.store, &actor, id, env.now);
    reply_redirect(request, "/account?done=revoked");
}
