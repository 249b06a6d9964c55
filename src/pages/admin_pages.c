/*
 * The administration pages: people, organisations, bulk imports and the audit log (admin.h says
 * what each route is). Kept apart from the catalogue pages because everything here sits behind a
 * permission and most of it changes data. The rules are not here: inviting, granting roles and
 * importing go through app/, field checks through domain/account.c, scopes through the store,
 * all shared with the JSON API. What is here is reading forms, choosing what to show the caller
 * and rendering with html_printf.
 */
#include "pages/admin.h"

#include "app/accounts.h"
#include "app/assessment.h"
#include "app/awards.h"
#include "app/imports.h"
#include "http/paging.h"
#include "http/reply.h"
#include "http/site.h"
#include "pages/dfe.h"
#include "pages/forms.h"
#include "pages/html.h"
#include "pages/layout.h"
#include "pages/widgets.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    USERS_PER_PAGE = 50,
    ORGANISATIONS_PER_PAGE = 100,
    EVENTS_PER_PAGE = 100,
    AWARDS_PER_PAGE = 100,
    STAFF_CHOICES_MAX = 500,            /* coaches or mentors offered in a list */
    IMPORT_MAX_BYTES = 5 * 1024 * 1024, /* an uploaded file */
    IMPORT_CARRY_MAX = 3 * 1024 * 1024, /* a previewed file carried back in the page, escaped */
};

/* Helpers: text, numbers, links */

static const char *id_text(struct request *request, int64_t id)
{
    return request_printf(request, "%" PRId64, id);
}

/* A copy of s without surrounding white space, in request memory. */
static const char *trimmed(struct request *request, const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    return request_strndup(request, (struct str){s, n});
}

/* An optional text field: trimmed, NULL when left empty. */
static const char *optional_field(struct request *request, const char *name)
{
    const char *value = trimmed(request, forms_value(request, name));
    return *value ? value : NULL;
}

/* Helpers: page furniture */

/* GOV.UK asks for "Error: " before the title of a page showing errors. */
static const char *page_title(struct request *request, const char *title, const struct errors *errors)
{
    return errors && errors->count ? request_printf(request, "Error: %s", title) : title;
}

static bool may(struct request *request, enum permission permission)
{
    return policy_allows(permission, request->caller, RESOURCE_NONE, NULL);
}

static void link_button(struct buf *b, const char *href, const char *text, const char *variant)
{
    html_printf(b,
                "<a href=\"%s\" role=\"button\" draggable=\"false\" class=\"govuk-button%R%s\" "
                "data-module=\"govuk-button\">%s</a>",
                href, variant ? " govuk-button--" : "", variant ? variant : "", text);
}

static void summary_row_begin(struct buf *b, const char *key)
{
    html_printf(b,
                "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">%s</dt>"
                "<dd class=\"govuk-summary-list__value\">",
                key);
}

static void summary_row(struct buf *b, const char *key, const char *value)
{
    summary_row_begin(b, key);
    html_printf(b, "%s</dd></div>", value && *value ? value : "Not given");
}

/* <table> with extra classes (or NULL), a caption and column headings; close with table_end. */
static void table_begin(struct buf *b, const char *classes, const char *caption, const char *const *headings,
                        size_t count)
{
    html_printf(b, "<table class=\"govuk-table%R%s\">", classes ? " " : "", classes ? classes : "");
    if (caption != NULL)
        html_printf(b, "<caption class=\"govuk-table__caption govuk-table__caption--m\">%s</caption>", caption);
    html_printf(b, "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">");
    for (size_t i = 0; i < count; i++)
        if (*headings[i])
            html_printf(b, "<th scope=\"col\" class=\"govuk-table__header\">%s</th>", headings[i]);
        else /* the column of buttons */
            html_printf(b, "<th scope=\"col\" class=\"govuk-table__header\"><span class=\"govuk-visually-hidden\">"
                           "Actions</span></th>");
    html_printf(b, "</tr></thead><tbody class=\"govuk-table__body\">");
}

/* Closes the table; on narrow screens its rows stack. */
static void table_end(struct buf *b)
{
    html_printf(b, "</tbody></table>");
    page_table_stack(b);
}

/* "Showing 50 of 120 people". */
static void showing(struct buf *b, size_t count, size_t total, const char *noun)
{
    if (count == 0)
        html_printf(b, "<p class=\"govuk-body\">No %s match.</p>", noun);
    else if (count == 1 && total <= 1)
        html_printf(b, "<p class=\"govuk-body\">Showing the only match.</p>"); /* noun is plural */
    else if (total == 0)
        html_printf(b, "<p class=\"govuk-body\">Showing %zu %s.</p>", count, noun); /* total not counted */
    else if (count == total)
        html_printf(b, "<p class=\"govuk-body\">Showing all %zu %s.</p>", total, noun);
    else
        html_printf(b, "<p class=\"govuk-body\">Showing %zu of %zu %s.</p>", count, total, noun);
}

/* A one-button form posting to action, with an optional hidden field. */
static void action_form(struct buf *b, struct request *request, const char *action, const char *hidden_name,
                        const char *hidden_value, const char *text, const char *variant)
{
    html_printf(b, "<form method=\"post\" action=\"%s\" class=\"npq-inline-form\">", action);
    forms_csrf(b, request);
    if (hidden_name != NULL)
        html_printf(b, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", hidden_name, hidden_value);
    forms_button(b, text, variant);
    html_printf(b, "</form>");
}

/* Helpers: choices for selects */

static struct form_option *options_new(struct request *request, size_t max)
{
    return arena_alloc(request_arena(request), sizeof(struct form_option) * (max ? max : 1));
}

/* The eight roles, after a first option with value "" when blank is given. */
static const struct form_option *role_options(struct request *request, const char *blank, size_t *count)
{
    struct form_option *options = options_new(request, ROLE_COUNT + 1);
    size_t n = 0;
    if (blank != NULL)
        options[n++] = (struct form_option){"", blank};
    for (int r = 0; r < ROLE_COUNT; r++)
        options[n++] = (struct form_option){role_name((enum role)r), role_title((enum role)r)};
    *count = n;
    return options;
}

/* A fixed list (regions, phases) after "blank"; current is kept as a choice when not in it. */
static const struct form_option *list_options(struct request *request, const char *blank, const char *const *list,
                                              size_t list_count, const char *current, size_t *count)
{
    struct form_option *options = options_new(request, list_count + 2);
    size_t n = 0;
    bool listed = current == NULL || *current == '\0';
    options[n++] = (struct form_option){"", blank};
    for (size_t i = 0; i < list_count; i++) {
        options[n++] = (struct form_option){list[i], list[i]};
        listed = listed || strcmp(list[i], current) == 0;
    }
    if (!listed)
        options[n++] = (struct form_option){current, current};
    *count = n;
    return options;
}

/* Organisations of one kind as choices, appended to options; false when the store failed. */
static bool add_organisations(struct request *request, enum organisation_kind kind, bool show_kind,
                              struct form_option *options, size_t *n)
{
    struct organisation *list;
    size_t count;
    if (store_organisation_list(request->store, (int)kind, NULL, NULL, request_arena(request), &list, &count) !=
        STORE_OK)
        return false;
    for (size_t i = 0; i < count; i++) {
        const struct organisation *o = &list[i];
        const char *label = o->name;
        if (kind == ORG_SCHOOL && o->urn)
            label = request_printf(request, "%s (school, URN %s)", o->name, o->urn);
        else if (show_kind)
            label = request_printf(request, "%s (%s)", o->name, kind == ORG_SCHOOL ? "school" : "delivery partner");
        options[(*n)++] = (struct form_option){id_text(request, o->id), label};
    }
    return true;
}

/* "None" then the delivery partners and schools: where a person works and where a role applies.
 * NULL when the store failed. */
static const struct form_option *scope_options(struct request *request, size_t *count)
{
    struct form_option *options = options_new(request, 2001); /* the store lists at most 1000 of a kind */
    size_t n = 0;
    options[n++] = (struct form_option){"", "None"};
    if (!add_organisations(request, ORG_DELIVERY_PARTNER, true, options, &n) ||
        !add_organisations(request, ORG_SCHOOL, true, options, &n))
        return NULL;
    *count = n;
    return options;
}

/* The organisation a role is scoped to: the one chosen, for roles that have a scope. */
static int64_t role_scope(enum role role, int64_t organisation_id)
{
    enum organisation_kind kind;
    return role_scope_kind(role, &kind) ? organisation_id : 0;
}

/*
 * Whether a use case's refusal was answered with a page of its own (page_refused: missing,
 * malformed, failed). Otherwise its errors are the form's to show again; the administration
 * forms answer every refusal they show with 422, the form being what the person corrects.
 */
static bool refused_with_page(struct request *request, enum app_result result, struct errors *errors, const char *where)
{
    if (result == APP_OK)
        return false;
    if (page_refused(request, result, errors))
        return true;
    if (errors->count == 0)
        errors_add(errors, where, "This could not be done. Reload the page and try again");
    return false;
}

/* People: the list */

static void status_tag(struct buf *b, const struct user *u)
{
    if (!u->active)
        html_printf(b, "<strong class=\"govuk-tag govuk-tag--grey\">Deactivated</strong>");
    else if (!u->has_password)
        html_printf(b, "<strong class=\"govuk-tag govuk-tag--yellow\">Invited</strong>");
    else
        html_printf(b, "<strong class=\"govuk-tag govuk-tag--green\">Active</strong>");
}

static void role_list(struct buf *b, const struct user *u)
{
    for (size_t i = 0; i < u->role_count; i++) {
        const struct role_grant *g = &u->roles[i];
        html_printf(b, "%s%s", i ? "<br>" : "", role_title(g->role));
        if (g->organisation_id && g->organisation_name)
            html_printf(b, " (%s)", g->organisation_name);
    }
}

static void users_filters(struct buf *b, struct request *request, const char *q, const char *role, bool inactive)
{
    size_t role_count;
    const struct form_option *roles = role_options(request, "Any role", &role_count);
    html_printf(b, "<form method=\"get\" action=\"/admin/users\" novalidate>"
                   "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-one-half\">");
    forms_input(b, "q", "Search by name or email", "search", q, NULL, "off", NULL);
    html_printf(b, "</div><div class=\"govuk-grid-column-one-half\">");
    forms_select(b, "role", "Role", roles, role_count, role, NULL, NULL);
    html_printf(b, "</div></div>");
    forms_checkbox(b, "include_inactive", "Include deactivated people", inactive);
    forms_button(b, "Search", "secondary");
    html_printf(b, "</form>");
}

static void users_table(struct buf *b, struct request *request, const struct user *users, size_t count)
{
    static const char *const headings[] = {"Name", "Email", "Organisation", "Roles", "Status"};
    table_begin(b, NULL, NULL, headings, 5);
    for (size_t i = 0; i < count; i++) {
        const struct user *u = &users[i];
        html_printf(b,
                    "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><a class=\"govuk-link\" "
                    "href=\"/admin/users/%s\">%s</a></td><td class=\"govuk-table__cell\">%s</td>"
                    "<td class=\"govuk-table__cell\">%s</td><td class=\"govuk-table__cell\">",
                    id_text(request, u->id), u->name, u->email, u->organisation_name ? u->organisation_name : "");
        role_list(b, u);
        html_printf(b, "</td><td class=\"govuk-table__cell\">");
        status_tag(b, u);
        html_printf(b, "</td></tr>");
    }
    table_end(b);
}

void page_admin_users(struct request *request)
{
    struct form *query = request_query(request);
    const char *q = form_get(query, "q"), *role_text = form_get(query, "role");
    bool inactive = false;
    struct errors malformed = ERRORS_INIT;
    form_read_flag(query, "include_inactive", &inactive, &malformed);
    struct store_page position;
    page_list_position(request, CURSOR_TEXT, USERS_PER_PAGE, &position, &malformed);
    enum role role;
    bool role_given = role_text != NULL && *role_text != '\0';
    if (role_given && !role_parse(role_text, &role))
        errors_add(&malformed, "role", "There is no role called \"%s\"", role_text);
    if (page_query_refused(request, &malformed))
        return;
    struct user_filter filter = {
        .query = q,
        .role = role_given ? (int)role : -1,
        .include_inactive = inactive,
    };
    struct user *users;
    size_t count, total;
    if (store_user_list(request->store, request->caller, &filter, &position, request_arena(request), &users, &count,
                        &total) != STORE_OK) {
        page_unavailable(request);
        return;
    }
    struct page page;
    page_begin(&page, "People", SECTION_PEOPLE);
    struct buf *b = &page.body;
    html_printf(b, "<h1 class=\"govuk-heading-xl\">People</h1>");
    if (may(request, PERM_USERS_MANAGE)) {
        html_printf(b, "<div class=\"govuk-button-group\">");
        link_button(b, "/admin/users/new", "Invite a person", NULL);
        link_button(b, "/admin/imports", "Import from a file", "secondary");
        html_printf(b, "</div>");
    }
    users_filters(b, request, q, filter.role >= 0 ? role_text : "", inactive);
    showing(b, count, total, "people");
    if (count > 0)
        users_table(b, request, users, count);
    static const char *const kept[] = {"q", "role", "include_inactive"};
    page_pagination(b, request, kept, sizeof(kept) / sizeof(kept[0]), &position);
    page_send(request, &page, 200);
}

/* People: inviting */

static void invite_page(struct request *request, const struct errors *errors, int status)
{
    size_t role_count, org_count;
    const struct form_option *roles = role_options(request, "Choose a role", &role_count);
    const struct form_option *orgs = scope_options(request, &org_count);
    if (orgs == NULL) {
        page_unavailable(request);
        return;
    }
    struct page page;
    page_begin(&page, page_title(request, "Invite a person", errors), SECTION_PEOPLE);
    page_breadcrumbs(&page, request, "/admin/users", "People", NULL, NULL);
    struct buf *b = &page.body;
    html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    forms_error_summary(b, errors);
    html_printf(b, "<h1 class=\"govuk-heading-xl\">Invite a person</h1><p class=\"govuk-body\">We will email them a "
                   "link to set their password. The link works once and lasts 7 days.</p>");
    forms_begin(b, request, "/admin/users/new");
    forms_input(b, "email", "Email address", "email", form_get(request->form, "email"), NULL, "off", errors);
    forms_input(b, "name", "Full name", "text", form_get(request->form, "name"), NULL, "off", errors);
    forms_select(b, "role", "Role", roles, role_count, form_get(request->form, "role"), NULL, errors);
    forms_select(b, "organisation_id", "Organisation (optional)", orgs, org_count,
                 form_get(request->form, "organisation_id"),
                 "Their school or delivery partner. Delivery partner leads and facilitators need a delivery partner, "
                 "headteachers a school: their role applies there.",
                 errors);
    forms_button(b, "Send invitation", NULL);
    forms_end(b);
    html_printf(b, "</div></div>");
    page_send(request, &page, status);
}

void page_admin_user_new(struct request *request)
{
    invite_page(request, NULL, 200);
}

void page_admin_user_create(struct request *request)
{
    const char *email = trimmed(request, forms_value(request, "email"));
    const char *name = trimmed(request, forms_value(request, "name"));
    int64_t organisation_id = forms_id(forms_value(request, "organisation_id"));
    enum role role;
    bool role_ok = role_parse(forms_value(request, "role"), &role);
    struct errors errors = ERRORS_INIT;
    if (!role_ok || organisation_id < 0) {
        /* accounts_invite needs a role; show the other fields' problems at the same time. */
        account_user_validate(email, name, &errors);
        if (!role_ok)
            errors_add(&errors, "role", "Choose a role");
        if (organisation_id < 0)
            errors_add(&errors, "organisation_id", "Choose an organisation from the list");
    } else {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        int64_t id = 0;
        enum app_result r =
            accounts_invite(&env, email, name, organisation_id, role, role_scope(role, organisation_id), &id, &errors);
        if (r == APP_OK) {
            reply_redirect(request, request_printf(request, "/admin/users/%" PRId64 "?notice=invited", id));
            goto out;
        }
        if (refused_with_page(request, r, &errors, "email"))
            goto out;
    }
    invite_page(request, &errors, 422);
out:
    errors_free(&errors);
}

/* People: one person */

/* The fixed sentence for a ?notice= value, or NULL for one we did not send. */
static const char *user_notice(struct request *request, const struct user *u)
{
    const char *notice = form_get(request_query(request), "notice");
    if (notice == NULL)
        return NULL;
    if (strcmp(notice, "invited") == 0 || strcmp(notice, "invitation_sent") == 0)
        return request_printf(request, "Invitation sent to %s", u->email);
    static const struct {
        const char *name, *message;
    } notices[] = {
        {"role_granted", "Role granted"},
        {"role_revoked", "Role removed"},
        {"deactivated", "Account deactivated: they have been signed out and their API tokens revoked"},
        {"reactivated", "Account reactivated"},
        {"assignment_added", "Coach or mentor added"},
        {"assignment_removed", "Coach or mentor removed"},
    };
    for (size_t i = 0; i < sizeof(notices) / sizeof(notices[0]); i++)
        if (strcmp(notice, notices[i].name) == 0)
            return notices[i].message;
    return NULL;
}

static void user_summary(struct buf *b, struct request *request, const struct user *u)
{
    html_printf(b, "<dl class=\"govuk-summary-list\">");
    summary_row(b, "Email address", u->email);
    summary_row_begin(b, "Organisation");
    if (u->organisation_id && may(request, PERM_ORGANISATIONS_READ))
        html_printf(b, "<a class=\"govuk-link\" href=\"/admin/organisations/%s\">%s</a>",
                    id_text(request, u->organisation_id), u->organisation_name);
    else
        html_printf(b, "%s", u->organisation_id ? u->organisation_name : "None");
    html_printf(b, "</dd></div>");
    summary_row_begin(b, "Status");
    status_tag(b, u);
    html_printf(b, "</dd></div>");
    summary_row(b, "Password", u->has_password ? "Set" : "Not set yet: invitation pending");
    summary_row(b, "Added", page_time(request, u->created_at, DATE_SHORT));
    html_printf(b, "</dl>");
}

/* Resend the invitation, deactivate or reactivate. */
static void user_actions(struct buf *b, struct request *request, const struct user *u)
{
    const char *base = request_printf(request, "/admin/users/%" PRId64, u->id);
    bool resend = u->active && !u->has_password, self = u->id == request->caller->user_id;
    if (!resend && self)
        return; /* nothing to offer: people cannot deactivate themselves */
    html_printf(b, "<div class=\"govuk-button-group\" id=\"active\">");
    if (resend)
        action_form(b, request, request_printf(request, "%s/invitation", base), NULL, NULL, "Send the invitation again",
                    "secondary");
    if (u->active && !self)
        action_form(b, request, request_printf(request, "%s/active", base), "active", "0", "Deactivate account",
                    "warning");
    else if (!u->active)
        action_form(b, request, request_printf(request, "%s/active", base), "active", "1", "Reactivate account",
                    "secondary");
    html_printf(b, "</div>");
}

static void user_roles(struct buf *b, struct request *request, const struct user *u, bool manage)
{
    html_printf(b, "<h2 class=\"govuk-heading-l\" id=\"roles\">Roles</h2>");
    if (u->role_count == 0) {
        html_printf(b, "<p class=\"govuk-body\">No roles.</p>");
        return;
    }
    static const char *const headings[] = {"Role", "Where it applies", ""};
    table_begin(b, NULL, NULL, headings, manage ? 3 : 2);
    for (size_t i = 0; i < u->role_count; i++) {
        const struct role_grant *g = &u->roles[i];
        html_printf(b,
                    "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">%s</td>"
                    "<td class=\"govuk-table__cell\">%s</td>",
                    role_title(g->role), g->organisation_id && g->organisation_name ? g->organisation_name : "");
        if (manage) {
            html_printf(b, "<td class=\"govuk-table__cell\">");
            bool own_admin = u->id == request->caller->user_id && g->role == ROLE_ADMIN;
            if (!own_admin)
                action_form(b, request,
                            request_printf(request, "/admin/users/%" PRId64 "/roles/%" PRId64 "/revoke", u->id, g->id),
                            NULL, NULL, "Remove", "warning");
            html_printf(b, "</td>");
        }
        html_printf(b, "</tr>");
    }
    table_end(b);
}

/* Everything a person's page shows, loaded before any of it is rendered. */
struct user_view {
    struct user user;
    struct assignment *assignments;
    size_t assignment_count;
    bool manage; /* the caller may change them: the forms are shown */
    const struct form_option *roles, *scopes, *staff;
    size_t role_count, scope_count, staff_count;
};

/* Coaches and mentors as choices, each once, without the person themselves; NULL on failure. */
static const struct form_option *staff_options(struct request *request, const struct user *u, size_t *count)
{
    struct user_filter filter = {.role = ROLE_COACH};
    struct store_page choices = {.limit = STAFF_CHOICES_MAX};
    struct user *coaches, *mentors;
    size_t coach_count, mentor_count, total;
    struct store *store = request->store;
    if (store_user_list(store, request->caller, &filter, &choices, request_arena(request), &coaches, &coach_count,
                        &total) != STORE_OK)
        return NULL;
    filter.role = ROLE_MENTOR;
    if (store_user_list(store, request->caller, &filter, &choices, request_arena(request), &mentors, &mentor_count,
                        &total) != STORE_OK)
        return NULL;
    struct form_option *options = options_new(request, coach_count + mentor_count + 1);
    size_t n = 0;
    options[n++] = (struct form_option){"", "Choose a person"};
    for (size_t i = 0; i < coach_count; i++)
        if (coaches[i].id != u->id)
            options[n++] =
                (struct form_option){id_text(request, coaches[i].id),
                                     request_printf(request, "%s (coach%s)", coaches[i].name,
                                                    user_has_role(&coaches[i], ROLE_MENTOR) ? " and mentor" : "")};
    for (size_t i = 0; i < mentor_count; i++)
        if (mentors[i].id != u->id && !user_has_role(&mentors[i], ROLE_COACH))
            options[n++] = (struct form_option){id_text(request, mentors[i].id),
                                                request_printf(request, "%s (mentor)", mentors[i].name)};
    *count = n;
    return options;
}

static enum store_status user_view_load(struct request *request, int64_t id, struct user_view *v)
{
    struct store *store = request->store;
    *v = (struct user_view){.manage = may(request, PERM_USERS_MANAGE)};
    enum store_status s = store_user_get(store, id, request_arena(request), &v->user);
    if (s == STORE_OK)
        s = store_assignment_list(store, id, request_arena(request), &v->assignments, &v->assignment_count);
    if (s != STORE_OK || !v->manage)
        return s;
    v->roles = role_options(request, "Choose a role", &v->role_count);
    v->scopes = scope_options(request, &v->scope_count);
    if (user_has_role(&v->user, ROLE_PARTICIPANT))
        v->staff = staff_options(request, &v->user, &v->staff_count);
    bool loaded = v->scopes != NULL && (v->staff != NULL || !user_has_role(&v->user, ROLE_PARTICIPANT));
    return loaded ? STORE_OK : STORE_ERROR;
}

static void user_grant_form(struct buf *b, struct request *request, const struct user_view *v,
                            const struct errors *errors)
{
    html_printf(b, "<h3 class=\"govuk-heading-m\">Grant a role</h3>");
    forms_begin(b, request, request_printf(request, "/admin/users/%" PRId64 "/roles", v->user.id));
    forms_select(b, "role", "Role", v->roles, v->role_count, form_get(request->form, "role"), NULL, errors);
    forms_select(
        b, "organisation_id", "Where it applies", v->scopes, v->scope_count, form_get(request->form, "organisation_id"),
        "Only for delivery partner leads and facilitators (a delivery partner) and headteachers (a school)", errors);
    forms_button(b, "Grant role", "secondary");
    forms_end(b);
}

/* One table of assignments: where the person is the participant, or the staff member. */
static void assignment_table(struct buf *b, struct request *request, const struct user_view *v, bool as_participant)
{
    static const char *const headings[] = {"Role", "Name", ""};
    size_t shown = 0;
    for (size_t i = 0; i < v->assignment_count; i++) {
        const struct assignment *a = &v->assignments[i];
        if ((as_participant ? a->participant_id : a->staff_id) != v->user.id)
            continue;
        if (shown++ == 0)
            table_begin(b, NULL, as_participant ? "Their coaches and mentors" : "The participants they look after",
                        headings, v->manage ? 3 : 2);
        int64_t other = as_participant ? a->staff_id : a->participant_id;
        html_printf(b,
                    "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">%s</td><td "
                    "class=\"govuk-table__cell\"><a class=\"govuk-link\" href=\"/admin/users/%s\">%s</a></td>",
                    role_title(a->kind), id_text(request, other), as_participant ? a->staff_name : a->participant_name);
        if (v->manage) {
            html_printf(b, "<td class=\"govuk-table__cell\">");
            action_form(
                b, request,
                request_printf(request, "/admin/users/%" PRId64 "/assignments/%" PRId64 "/delete", v->user.id, a->id),
                NULL, NULL, "Remove", "warning");
            html_printf(b, "</td>");
        }
        html_printf(b, "</tr>");
    }
    if (shown > 0)
        table_end(b);
}

static void user_assignment_form(struct buf *b, struct request *request, const struct user_view *v,
                                 const struct errors *errors)
{
    static const struct form_option kinds[] = {{"coach", "Coach"}, {"mentor", "Mentor"}};
    html_printf(b, "<h3 class=\"govuk-heading-m\">Add a coach or mentor</h3>");
    forms_begin(b, request, request_printf(request, "/admin/users/%" PRId64 "/assignments", v->user.id));
    forms_select(b, "kind", "As their", kinds, 2, form_get(request->form, "kind"), NULL, errors);
    forms_select(b, "staff_id", "Person", v->staff, v->staff_count, form_get(request->form, "staff_id"),
                 "People who hold the coach or mentor role", errors);
    forms_button(b, "Add", "secondary");
    forms_end(b);
}

static void user_assignments(struct buf *b, struct request *request, const struct user_view *v,
                             const struct errors *errors)
{
    html_printf(b, "<h2 class=\"govuk-heading-l\" id=\"assignments\">Coaches, mentors and participants</h2>");
    if (v->assignment_count == 0)
        html_printf(b, "<p class=\"govuk-body\">None.</p>");
    assignment_table(b, request, v, true);
    assignment_table(b, request, v, false);
    if (v->staff != NULL)
        user_assignment_form(b, request, v, errors);
}

static void user_history_links(struct buf *b, struct request *request, int64_t id)
{
    html_printf(b,
                "<h2 class=\"govuk-heading-l\">History</h2><ul class=\"govuk-list\"><li><a class=\"govuk-link\" "
                "href=\"/admin/audit?entity=user&amp;entity_id=%s\">Changes to this person</a></li>"
                "<li><a class=\"govuk-link\" href=\"/admin/audit?actor_id=%s\">Changes made by this person</a>"
                "</li></ul>",
                id_text(request, id), id_text(request, id));
}

/* Whether the caller may use permission on one record (resource id), as the gate would ask. */
static bool may_on(struct request *request, enum permission permission, enum resource resource, int64_t id)
{
    struct relation relation;
    return store_relation(request->store, request->caller, resource, id, &relation) == STORE_OK &&
           policy_allows(permission, request->caller, resource, &relation);
}

/* Where a piece of work stands, in words, as its reader may see it. */
static const char *work_state(enum submission_state state)
{
    switch (state) {
    case SUBMISSION_DRAFT: return "Draft";
    case SUBMISSION_SUBMITTED: return "Submitted";
    case SUBMISSION_MARKED: return "Marked";
    case SUBMISSION_MODERATED: return "Moderated";
    case SUBMISSION_RELEASED: return "Result released";
    }
    return "";
}

/* A participant's programme: each page about them the caller may open, from their applications
 * to their awards, so that nobody needs the API to follow one person. */
static void user_programme(struct buf *b, struct request *request, const struct user *u)
{
    struct arena *arena = request_arena(request);
    const struct catalogue *c = request_catalogue(request);
    const char *id = id_text(request, u->id);
    html_printf(b, "<h2 class=\"govuk-heading-l\" id=\"programme\">Their programme</h2><ul class=\"govuk-list\" "
                   "data-testid=\"programme\">");
    html_printf(b,
                "<li><a class=\"govuk-link\" href=\"/participants/%s/pathway\">Pathway</a>: what they have done "
                "and what remains</li>",
                id);
    html_printf(b, "<li><a class=\"govuk-link\" href=\"/participants/%s/transcript\">Transcript</a></li>", id);
    html_printf(b, "</ul>");

    struct application *applications;
    size_t count = 0, total = 0;
    struct application_filter filter = {.state = -1, .participant_id = u->id};
    if (store_application_list(request->store, request->caller, &filter, &(struct store_page){.limit = STORE_PAGE_MAX},
                               arena, &applications, &count, &total) == STORE_OK) {
        size_t shown = 0;
        for (size_t i = 0; i < count; i++) {
            const struct application *a = &applications[i];
            if (a->participant_id != u->id)
                continue;
            if (shown++ == 0)
                html_printf(b, "<h3 class=\"govuk-heading-m\">Applications</h3><ul class=\"govuk-list\">");
            html_printf(b, "<li><a class=\"govuk-link\" href=\"/applications/%s\">%s</a>: %s</li>",
                        id_text(request, a->id), c ? study_title(c, a->kind, a->target) : a->target,
                        application_state_title(a->state));
        }
        if (shown > 0)
            html_printf(b, "</ul>");
    }

    struct enrolment *enrolments;
    size_t enrolment_count = 0;
    if (store_enrolment_list_for(request->store, u->id, arena, &enrolments, &enrolment_count) == STORE_OK &&
        enrolment_count > 0) {
        html_printf(b, "<h3 class=\"govuk-heading-m\">Enrolments</h3><ul class=\"govuk-list\">");
        for (size_t i = 0; i < enrolment_count; i++) {
            const struct enrolment *e = &enrolments[i];
            const char *eid = id_text(request, e->id);
            if (!may_on(request, PERM_ENROLMENTS_READ, RESOURCE_ENROLMENT, e->id))
                continue;
            html_printf(b, "<li><a class=\"govuk-link\" href=\"/enrolments/%s\">%s</a>: %s", eid,
                        c ? study_title(c, e->kind, e->target) : e->target, enrolment_state_title(e->state));
            if (may_on(request, PERM_ACTIVITIES, RESOURCE_ENROLMENT, e->id))
                html_printf(b,
                            " – <a class=\"govuk-link\" href=\"/enrolments/%s/hours\">learning hours<span "
                            "class=\"govuk-visually-hidden\"> for %s</span></a>",
                            eid, e->target);
            if (e->kind == STUDY_QUALIFICATION && may_on(request, PERM_ASSESSMENT_MANAGE, RESOURCE_ENROLMENT, e->id))
                html_printf(b,
                            " – <a class=\"govuk-link\" href=\"/enrolments/%s/award\">award decision<span "
                            "class=\"govuk-visually-hidden\"> for %s</span></a>",
                            eid, e->target);
            html_printf(b, "</li>");
        }
        html_printf(b, "</ul>");
    }

    struct submission_summary *work;
    size_t work_count = 0;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    if (assessment_submission_list(&env, request->caller, 0, &(struct store_page){.limit = 1000}, arena, &work,
                                   &work_count) == APP_OK) {
        size_t shown = 0;
        for (size_t i = 0; i < work_count; i++) {
            const struct submission *sub = &work[i].submission;
            if (sub->participant_id != u->id)
                continue;
            if (shown++ == 0)
                html_printf(b, "<h3 class=\"govuk-heading-m\">Submissions</h3><ul class=\"govuk-list\">");
            html_printf(b, "<li><a class=\"govuk-link\" href=\"/submissions/%s\">%s</a>: %s</li>",
                        id_text(request, sub->id), sub->task_title, work_state(work[i].shown_state));
        }
        if (shown > 0)
            html_printf(b, "</ul>");
    }

    struct award *awards;
    size_t award_count = 0, award_total = 0;
    if (may(request, PERM_ASSESSMENT_MANAGE) &&
        store_award_list(request->store, u->id, &(struct store_page){.limit = 100}, arena, &awards, &award_count,
                         &award_total) == STORE_OK &&
        award_count > 0) {
        html_printf(b, "<h3 class=\"govuk-heading-m\">Awards</h3><ul class=\"govuk-list\">");
        for (size_t i = 0; i < award_count; i++)
            html_printf(b,
                        "<li>%s, certificate %s – <a class=\"govuk-link\" href=\"/api/v1/awards/%s/certificate.pdf\" "
                        "download>certificate (PDF)<span class=\"govuk-visually-hidden\"> %s</span></a></li>",
                        awards[i].qualification, awards[i].certificate_number, id_text(request, awards[i].id),
                        awards[i].certificate_number);
        html_printf(b, "</ul>");
    }
}

/* The page of one person; errors (or NULL) from a form posted to it. */
static void user_page(struct request *request, int64_t id, const struct errors *errors, int status)
{
    struct user_view v;
    enum store_status s = user_view_load(request, id, &v);
    if (s != STORE_OK) {
        page_store_failed(request, s);
        return;
    }
    const struct user *u = &v.user;
    struct page page;
    page_begin(&page, page_title(request, u->name, errors), SECTION_PEOPLE);
    page_breadcrumbs(&page, request, "/admin/users", "People", NULL, NULL);
    const char *notice = errors && errors->count ? NULL : user_notice(request, u);
    if (notice != NULL)
        page_notice(&page, "success", notice);
    struct buf *b = &page.body;
    forms_error_summary(b, errors);
    html_printf(b, "<span class=\"govuk-caption-l\">Person</span><h1 class=\"govuk-heading-xl\">%s</h1>", u->name);
    user_summary(b, request, u);
    if (v.manage)
        user_actions(b, request, u);
    user_roles(b, request, u, v.manage);
    if (v.manage)
        user_grant_form(b, request, &v, errors);
    user_assignments(b, request, &v, errors);
    if (user_has_role(u, ROLE_PARTICIPANT))
        user_programme(b, request, u);
    if (user_has_role(u, ROLE_PARTICIPANT) && may(request, PERM_PROGRAMME_MANAGE))
        dfe_participant_declarations(b, request, u->id);
    if (may(request, PERM_AUDIT_READ))
        user_history_links(b, request, u->id);
    page_send(request, &page, status);
}

void page_admin_user(struct request *request)
{
    user_page(request, request_param_id(request, 0), NULL, 200);
}

/* The end of every form posted to a person's page: back to it with a notice, or the page again
 * with the errors. */
static void user_form_done(struct request *request, int64_t id, const struct errors *errors, const char *notice)
{
    if (errors->count > 0)
        user_page(request, id, errors, 422);
    else
        reply_redirect(request, request_printf(request, "/admin/users/%" PRId64 "?notice=%s", id, notice));
}

/* The person of the page, or false after replying 404 or 503. */
static bool load_user(struct request *request, int64_t id, struct user *u)
{
    enum store_status s = store_user_get(request->store, id, request_arena(request), u);
    if (s != STORE_OK)
        page_store_failed(request, s);
    return s == STORE_OK;
}

void page_admin_user_role_grant(struct request *request)
{
    int64_t id = request_param_id(request, 0);
    int64_t organisation_id = forms_id(forms_value(request, "organisation_id"));
    enum role role;
    struct errors errors = ERRORS_INIT;
    if (!role_parse(forms_value(request, "role"), &role)) {
        errors_add(&errors, "role", "Choose a role");
    } else if (organisation_id < 0) {
        errors_add(&errors, "organisation_id", "Choose an organisation from the list");
    } else {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        int64_t grant_id;
        enum app_result r = accounts_grant_role(&env, id, role, role_scope(role, organisation_id), &grant_id, &errors);
        if (refused_with_page(request, r, &errors, "role"))
            goto out;
    }
    user_form_done(request, id, &errors, "role_granted");
out:
    errors_free(&errors);
}

void page_admin_user_role_revoke(struct request *request)
{
    int64_t id = request_param_id(request, 0), grant_id = request_param_id(request, 1);
    struct user u;
    if (!load_user(request, id, &u))
        return;
    const struct role_grant *grant = NULL;
    for (size_t i = 0; i < u.role_count; i++)
        if (u.roles[i].id == grant_id)
            grant = &u.roles[i];
    struct errors errors = ERRORS_INIT;
    enum store_status s = STORE_NOT_FOUND;
    if (grant != NULL && id == request->caller->user_id && grant->role == ROLE_ADMIN) {
        /* As in the API: an administrator removing their own role could lock everyone out. */
        errors_add(&errors, "roles", "You cannot remove your own administrator role");
    } else if (grant != NULL) {
        struct actor actor = request_actor(request);
        s = store_role_revoke(request->store, &actor, id, grant_id, request->now);
        if (s == STORE_ERROR) {
            page_unavailable(request);
            goto out;
        }
    }
    if (errors.count == 0 && s == STORE_NOT_FOUND)
        errors_add(&errors, "roles", "That role has already been removed");
    user_form_done(request, id, &errors, "role_revoked");
out:
    errors_free(&errors);
}

void page_admin_user_active(struct request *request)
{
    int64_t id = request_param_id(request, 0);
    struct user u;
    if (!load_user(request, id, &u))
        return;
    const char *active = forms_value(request, "active");
    bool want = strcmp(active, "1") == 0;
    struct errors errors = ERRORS_INIT;
    if (!want && strcmp(active, "0") != 0)
        errors_add(&errors, "active", "Choose whether to deactivate or reactivate the account");
    else if (want != u.active) {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        enum app_result result = accounts_set_active(&env, id, want, &errors);
        if (result != APP_OK && result != APP_INVALID) {
            page_refusal(request, result, &errors);
            goto out;
        }
    }
    user_form_done(request, id, &errors, want ? "reactivated" : "deactivated");
out:
    errors_free(&errors);
}

void page_admin_user_invitation(struct request *request)
{
    int64_t id = request_param_id(request, 0);
    struct user u;
    if (!load_user(request, id, &u))
        return;
    struct errors errors = ERRORS_INIT;
    if (!u.active) {
        errors_add(&errors, "active", "This account is deactivated; reactivate it first");
    } else {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        enum app_result r = accounts_send_invitation(&env, id);
        if (r != APP_OK) {
            page_refusal(request, r, NULL);
            goto out;
        }
    }
    user_form_done(request, id, &errors, "invitation_sent");
out:
    errors_free(&errors);
}

void page_admin_user_assignment_add(struct request *request)
{
    int64_t id = request_param_id(request, 0);
    int64_t staff_id = forms_id(forms_value(request, "staff_id"));
    enum role kind = ROLE_COACH;
    struct errors errors = ERRORS_INIT;
    const char *kind_text = forms_value(request, "kind");
    if (!role_parse(kind_text, &kind) || (kind != ROLE_COACH && kind != ROLE_MENTOR))
        errors_add(&errors, "kind", "Choose coach or mentor");
    else if (staff_id <= 0)
        errors_add(&errors, "staff_id", "Choose the coach or mentor");
    if (errors.count == 0) {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        int64_t assignment_id;
        enum app_result r = accounts_assign(&env, kind, staff_id, id, &assignment_id, &errors);
        if (refused_with_page(request, r, &errors, "staff_id"))
            goto out;
    }
    user_form_done(request, id, &errors, "assignment_added");
out:
    errors_free(&errors);
}

void page_admin_user_assignment_remove(struct request *request)
{
    int64_t id = request_param_id(request, 0), assignment_id = request_param_id(request, 1);
    struct store *store = request->store;
    struct assignment *list;
    size_t count;
    if (store_assignment_list(store, id, request_arena(request), &list, &count) != STORE_OK) {
        page_unavailable(request);
        return;
    }
    /* Only an assignment of this person can be ended from their page. */
    bool theirs = false;
    for (size_t i = 0; i < count; i++)
        theirs = theirs || list[i].id == assignment_id;
    struct errors errors = ERRORS_INIT;
    enum store_status s = STORE_NOT_FOUND;
    if (theirs) {
        struct actor actor = request_actor(request);
        s = store_assignment_delete(store, &actor, assignment_id, request->now);
    }
    if (s == STORE_NOT_FOUND)
        errors_add(&errors, "assignments", "That coach or mentor has already been removed");
    if (s == STORE_ERROR || s == STORE_CONFLICT)
        page_unavailable(request);
    else
        user_form_done(request, id, &errors, "assignment_removed");
    errors_free(&errors);
}

/* Organisations: the list */

static const struct form_option *kind_options(struct request *request, const char *blank, size_t *count)
{
    struct form_option *options = options_new(request, ORG_KIND_COUNT + 1);
    size_t n = 0;
    options[n++] = (struct form_option){"", blank};
    for (int k = 0; k < ORG_KIND_COUNT; k++)
        options[n++] = (struct form_option){organisation_kind_name((enum organisation_kind)k),
                                            organisation_kind_title((enum organisation_kind)k)};
    *count = n;
    return options;
}

static void organisations_table(struct buf *b, struct request *request, const struct organisation *list, size_t count)
{
    static const char *const headings[] = {"Name", "Kind", "URN", "Local authority", "Region"};
    table_begin(b, NULL, NULL, headings, 5);
    for (size_t i = 0; i < count; i++) {
        const struct organisation *o = &list[i];
        html_printf(b,
                    "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><a class=\"govuk-link\" "
                    "href=\"/admin/organisations/%s\">%s</a></td><td class=\"govuk-table__cell\">%s</td>"
                    "<td class=\"govuk-table__cell\">%s</td><td class=\"govuk-table__cell\">%s</td>"
                    "<td class=\"govuk-table__cell\">%s</td></tr>",
                    id_text(request, o->id), o->name, organisation_kind_title(o->kind), o->urn ? o->urn : "",
                    o->local_authority ? o->local_authority : "", o->region ? o->region : "");
    }
    table_end(b);
}

void page_admin_organisations(struct request *request)
{
    struct form *query = request_query(request);
    const char *q = form_get(query, "q"), *kind_text = form_get(query, "kind");
    enum organisation_kind kind;
    int kind_filter = -1;
    struct errors malformed = ERRORS_INIT;
    if (kind_text != NULL && *kind_text != '\0') {
        if (organisation_kind_parse(kind_text, &kind))
            kind_filter = (int)kind;
        else
            errors_add(&malformed, "kind", "There is no kind of organisation called \"%s\"", kind_text);
    }
    struct store_page position;
    page_list_position(request, CURSOR_TEXT, ORGANISATIONS_PER_PAGE, &position, &malformed);
    if (page_query_refused(request, &malformed))
        return;
    struct organisation *list;
    size_t count;
    if (store_organisation_list(request->store, kind_filter, q, &position, request_arena(request), &list, &count) !=
        STORE_OK) {
        page_unavailable(request);
        return;
    }
    struct page page;
    page_begin(&page, "Organisations", SECTION_ORGANISATIONS);
    struct buf *b = &page.body;
    html_printf(b, "<h1 class=\"govuk-heading-xl\">Organisations</h1>");
    if (may(request, PERM_ORGANISATIONS_MANAGE)) {
        html_printf(b, "<div class=\"govuk-button-group\">");
        link_button(b, "/admin/organisations/new", "Add an organisation", NULL);
        link_button(b, "/admin/imports", "Import schools from a file", "secondary");
        html_printf(b, "</div>");
    }
    size_t kind_count;
    const struct form_option *kinds = kind_options(request, "Any kind", &kind_count);
    html_printf(b, "<form method=\"get\" action=\"/admin/organisations\" novalidate><div class=\"govuk-grid-row\">"
                   "<div class=\"govuk-grid-column-one-half\">");
    forms_input(b, "q", "Search by name or URN", "search", q, NULL, "off", NULL);
    html_printf(b, "</div><div class=\"govuk-grid-column-one-half\">");
    forms_select(b, "kind", "Kind", kinds, kind_count, kind_filter >= 0 ? kind_text : "", NULL, NULL);
    html_printf(b, "</div></div>");
    forms_button(b, "Search", "secondary");
    html_printf(b, "</form>");
    showing(b, count, 0, "organisations");
    if (count > 0)
        organisations_table(b, request, list, count);
    static const char *const kept[] = {"q", "kind"};
    page_pagination(b, request, kept, sizeof(kept) / sizeof(kept[0]), &position);
    page_send(request, &page, 200);
}

/* Organisations: the form for adding and changing one */

/* "North West ; ;Merseyside" as "North West; Merseyside"; NULL when it names no region. */
static const char *regions_text(struct request *request, const char *text, struct errors *errors)
{
    struct buf b;
    buf_init(&b, 4096);
    const char *p = text;
    while (*p) {
        const char *semi = strchr(p, ';');
        size_t n = semi ? (size_t)(semi - p) : strlen(p);
        const char *region = trimmed(request, request_strndup(request, (struct str){p, n}));
        if (*region)
            buf_appendf(&b, "%s%s", b.len ? "; " : "", region);
        p += n + (semi ? 1 : 0);
    }
    if (buf_failed(&b)) /* far over what account_organisation_validate allows: never saved cut short */
        errors_add(errors, "regions_served", "Must be 1000 characters or fewer");
    const char *out = b.len ? request_strndup(request, (struct str){b.data, b.len}) : NULL;
    buf_free(&b);
    return out;
}

/* Reads the posted fields into o; each field the form carries replaces the one in o, as a PATCH
 * of the API does. Then the same checks as the API. */
static void read_organisation(struct request *request, struct organisation *o, struct errors *errors)
{
    const char *names[] = {"urn", "local_authority", "region", "phase", "dfe_delivery_partner_id"};
    const char **fields[] = {&o->urn, &o->local_authority, &o->region, &o->phase, &o->dfe_delivery_partner_id};
    if (form_get(request->form, "name") != NULL)
        o->name = trimmed(request, forms_value(request, "name"));
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (form_get(request->form, names[i]) != NULL)
            *fields[i] = optional_field(request, names[i]);
    if (form_get(request->form, "regions_served") != NULL)
        o->regions_served = regions_text(request, forms_value(request, "regions_served"), errors);
    if (form_get(request->form, "trust_id") != NULL) {
        int64_t trust = forms_id(forms_value(request, "trust_id"));
        if (trust < 0)
            errors_add(errors, "trust_id", "Choose a trust from the list");
        else if (trust > 0 && o->kind != ORG_SCHOOL)
            errors_add(errors, "trust_id", "Only a school can belong to a trust");
        else
            o->trust_id = trust;
    }
    if (o->name == NULL)
        o->name = "";
    account_organisation_validate(o, errors);
}

/* "None" and the trusts, a school's choices; NULL when the store failed. */
static const struct form_option *trust_options(struct request *request, size_t *count)
{
    struct form_option *trusts = options_new(request, 1001); /* the store lists at most 1000 */
    size_t n = 0;
    trusts[n++] = (struct form_option){"", "None"};
    if (!add_organisations(request, ORG_TRUST, false, trusts, &n))
        return NULL;
    *count = n;
    return trusts;
}

/* The fields of the form; the kind is chosen only when adding. */
static void organisation_fields(struct buf *b, struct request *request, const struct organisation *o, bool adding,
                                const struct form_option *trusts, size_t trust_count, const struct errors *errors)
{
    bool school = adding || o->kind == ORG_SCHOOL, partner = adding || o->kind == ORG_DELIVERY_PARTNER;
    size_t n;
    const struct form_option *options;
    if (adding) {
        options = kind_options(request, "Choose a kind", &n);
        forms_select(b, "kind", "Kind of organisation", options, n, form_get(request->form, "kind"), NULL, errors);
    }
    forms_input(b, "name", "Name", "text", o->name, NULL, "off", errors);
    if (school)
        forms_input(b, "urn", "URN", "text", o->urn,
                    adding ? "Schools only: their 6-digit unique reference number" : NULL, "off", errors);
    forms_input(b, "local_authority", "Local authority (optional)", "text", o->local_authority, NULL, "off", errors);
    options = list_options(request, "Not given", account_regions, account_region_count, o->region, &n);
    forms_select(b, "region", "Region (optional)", options, n, o->region ? o->region : "", NULL, errors);
    if (school) {
        options = list_options(request, "Not given", account_phases, account_phase_count, o->phase, &n);
        forms_select(b, "phase", "Phase (optional)", options, n, o->phase ? o->phase : "",
                     adding ? "Schools only" : NULL, errors);
    }
    if (partner)
        forms_input(b, "regions_served", "Regions served (optional)", "text", o->regions_served,
                    adding ? "Delivery partners only. Separate regions with semicolons, for example North West; "
                             "Merseyside"
                           : "Separate regions with semicolons, for example North West; Merseyside",
                    "off", errors);
    if (partner)
        forms_input(b, "dfe_delivery_partner_id", "DfE delivery partner id (optional)", "text",
                    o->dfe_delivery_partner_id,
                    adding ? "Delivery partners only. The id the DfE gave the partner, like "
                             "524df095-f9bf-4f9d-ba4c-772545a99e60; declarations are sent to the DfE only with it"
                           : "The id the DfE gave the partner, like 524df095-f9bf-4f9d-ba4c-772545a99e60; "
                             "declarations are sent to the DfE only with it",
                    "off", errors);
    if (school)
        forms_select(b, "trust_id", "Trust (optional)", trusts, trust_count,
                     o->trust_id ? id_text(request, o->trust_id) : "", adding ? "Schools only" : NULL, errors);
}

static void organisation_new_page(struct request *request, const struct organisation *o, const struct errors *errors,
                                  int status)
{
    size_t trust_count;
    const struct form_option *trusts = trust_options(request, &trust_count);
    if (trusts == NULL) {
        page_unavailable(request);
        return;
    }
    struct page page;
    page_begin(&page, page_title(request, "Add an organisation", errors), SECTION_ORGANISATIONS);
    page_breadcrumbs(&page, request, "/admin/organisations", "Organisations", NULL, NULL);
    struct buf *b = &page.body;
    html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    forms_error_summary(b, errors);
    html_printf(b, "<h1 class=\"govuk-heading-xl\">Add an organisation</h1>");
    forms_begin(b, request, "/admin/organisations/new");
    organisation_fields(b, request, o, true, trusts, trust_count, errors);
    forms_button(b, "Add organisation", NULL);
    forms_end(b);
    html_printf(b, "</div></div>");
    page_send(request, &page, status);
}

void page_admin_organisation_new(struct request *request)
{
    struct organisation o = {0};
    organisation_new_page(request, &o, NULL, 200);
}

void page_admin_organisation_create(struct request *request)
{
    struct organisation o = {0};
    struct errors errors = ERRORS_INIT;
    if (!organisation_kind_parse(forms_value(request, "kind"), &o.kind)) {
        errors_add(&errors, "kind", "Choose the kind of organisation");
        o.name = forms_value(request, "name"); /* kept for the form shown again */
    } else {
        read_organisation(request, &o, &errors);
    }
    if (errors.count == 0) {
        struct actor actor = request_actor(request);
        enum store_status s = store_organisation_create(request->store, &actor, &o, request->now);
        if (s == STORE_CONFLICT) {
            errors_add(&errors, "urn", "A school with this URN already exists");
        } else if (s != STORE_OK) {
            page_unavailable(request);
            goto out;
        } else {
            reply_redirect(request, request_printf(request, "/admin/organisations/%" PRId64 "?notice=created", o.id));
            goto out;
        }
    }
    organisation_new_page(request, &o, &errors, 422);
out:
    errors_free(&errors);
}

/* Organisations: one organisation */

static void organisation_summary(struct buf *b, struct request *request, const struct organisation *o)
{
    html_printf(b, "<dl class=\"govuk-summary-list\">");
    summary_row(b, "Kind", organisation_kind_title(o->kind));
    if (o->kind == ORG_SCHOOL)
        summary_row(b, "URN", o->urn);
    summary_row(b, "Local authority", o->local_authority);
    summary_row(b, "Region", o->region);
    if (o->kind == ORG_SCHOOL)
        summary_row(b, "Phase", o->phase);
    if (o->kind == ORG_DELIVERY_PARTNER)
        summary_row(b, "Regions served", o->regions_served);
    if (o->kind == ORG_DELIVERY_PARTNER)
        summary_row(b, "DfE delivery partner id",
                    o->dfe_delivery_partner_id ? o->dfe_delivery_partner_id : "None yet: declarations wait for it");
    struct organisation trust;
    if (o->kind == ORG_SCHOOL && o->trust_id &&
        store_organisation_get(request->store, o->trust_id, request_arena(request), &trust) == STORE_OK) {
        summary_row_begin(b, "Trust");
        html_printf(b, "<a class=\"govuk-link\" href=\"/admin/organisations/%s\">%s</a></dd></div>",
                    id_text(request, trust.id), trust.name);
    } else if (o->kind == ORG_SCHOOL) {
        summary_row(b, "Trust", "None");
    }
    html_printf(b, "</dl>");
}

/* shown is the stored organisation; values fill the form (the posted ones after an error). */
static void organisation_page(struct request *request, const struct organisation *shown,
                              const struct organisation *values, const struct errors *errors, int status)
{
    bool manage = may(request, PERM_ORGANISATIONS_MANAGE);
    size_t trust_count = 0;
    const struct form_option *trusts =
        manage && shown->kind == ORG_SCHOOL ? trust_options(request, &trust_count) : NULL;
    if (manage && shown->kind == ORG_SCHOOL && trusts == NULL) {
        page_unavailable(request);
        return;
    }
    struct page page;
    page_begin(&page, page_title(request, shown->name, errors), SECTION_ORGANISATIONS);
    page_breadcrumbs(&page, request, "/admin/organisations", "Organisations", NULL, NULL);
    const char *notice = form_get(request_query(request), "notice");
    if (notice != NULL && strcmp(notice, "created") == 0)
        page_notice(&page, "success", "Organisation added");
    else if (notice != NULL && strcmp(notice, "updated") == 0)
        page_notice(&page, "success", "Changes saved");
    struct buf *b = &page.body;
    forms_error_summary(b, errors);
    html_printf(b, "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-xl\">%s</h1>",
                organisation_kind_title(shown->kind), shown->name);
    organisation_summary(b, request, shown);
    if (manage) {
        html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">"
                       "<h2 class=\"govuk-heading-l\">Change the details</h2>");
        forms_begin(b, request, request_printf(request, "/admin/organisations/%" PRId64, shown->id));
        organisation_fields(b, request, values, false, trusts, trust_count, errors);
        forms_button(b, "Save changes", NULL);
        forms_end(b);
        html_printf(b, "</div></div>");
        if (may(request, PERM_AUDIT_READ))
            html_printf(b,
                        "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/admin/audit?entity=organisation"
                        "&amp;entity_id=%s\">Changes to this organisation</a></p>",
                        id_text(request, shown->id));
    }
    page_send(request, &page, status);
}

void page_admin_organisation(struct request *request)
{
    struct organisation o;
    enum store_status s =
        store_organisation_get(request->store, request_param_id(request, 0), request_arena(request), &o);
    if (s != STORE_OK) {
        page_store_failed(request, s);
        return;
    }
    organisation_page(request, &o, &o, NULL, 200);
}

void page_admin_organisation_update(struct request *request)
{
    struct organisation stored, o;
    enum store_status s =
        store_organisation_get(request->store, request_param_id(request, 0), request_arena(request), &stored);
    if (s != STORE_OK) {
        page_store_failed(request, s);
        return;
    }
    o = stored;
    struct errors errors = ERRORS_INIT;
    read_organisation(request, &o, &errors);
    if (errors.count == 0) {
        struct actor actor = request_actor(request);
        s = store_organisation_update(request->store, &actor, &o, request->now);
        if (s == STORE_CONFLICT) {
            errors_add(&errors, "urn", "A school with this URN already exists");
        } else if (s != STORE_OK) {
            page_store_failed(request, s);
            goto out;
        } else {
            reply_redirect(request, request_printf(request, "/admin/organisations/%" PRId64 "?notice=updated", o.id));
            goto out;
        }
    }
    organisation_page(request, &stored, &o, &errors, 422);
out:
    errors_free(&errors);
}

/* Imports */

/* "schools" or "people", the values of the kind radios. */
static bool import_kind_parse(const char *text, enum import_kind *kind)
{
    if (strcmp(text, "schools") == 0)
        *kind = IMPORT_SCHOOLS;
    else if (strcmp(text, "people") == 0)
        *kind = IMPORT_USERS;
    else
        return false;
    return true;
}

static void kind_radio(struct buf *b, const char *id, const char *value, const char *label, const char *hint,
                       const char *chosen)
{
    html_printf(b,
                "<div class=\"govuk-radios__item\"><input class=\"govuk-radios__input\" id=\"%s\" name=\"kind\" "
                "type=\"radio\" value=\"%s\" aria-describedby=\"%s-hint\"%R><label class=\"govuk-label "
                "govuk-radios__label\" for=\"%s\">%s</label><div id=\"%s-hint\" class=\"govuk-hint "
                "govuk-radios__hint\">%R</div></div>",
                id, value, id, strcmp(chosen, value) == 0 ? " checked" : "", id, label, id, hint);
}

/* The upload form: what the file holds, and the file. */
static void import_form(struct buf *b, struct request *request, const struct errors *errors)
{
    const char *kind_error = forms_field_error(errors, "kind"), *file_error = forms_field_error(errors, "file");
    html_printf(b, "<form method=\"post\" action=\"/admin/imports\" enctype=\"multipart/form-data\" novalidate>");
    forms_csrf(b, request);
    html_printf(b, "<input type=\"hidden\" name=\"action\" value=\"preview\">");
    html_printf(b,
                "<div class=\"govuk-form-group%R\"><fieldset class=\"govuk-fieldset\"><legend "
                "class=\"govuk-fieldset__legend govuk-fieldset__legend--m\">What does the file contain?</legend>",
                kind_error ? " govuk-form-group--error" : "");
    if (kind_error)
        html_printf(b,
                    "<p id=\"kind-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">"
                    "Error:</span> %s</p>",
                    kind_error);
    html_printf(b, "<div class=\"govuk-radios\" data-module=\"govuk-radios\">");
    kind_radio(b, "kind", "schools", "Schools",
               "Columns <code>name</code> and <code>urn</code> (6 digits), and optionally "
               "<code>local_authority</code>, <code>region</code>, <code>phase</code> and <code>trust</code> "
               "(the trust's name). A URN already taken is refused.",
               forms_value(request, "kind"));
    kind_radio(b, "kind-people", "people", "People and their roles",
               "Columns <code>email</code>, <code>name</code> and <code>role</code> (admin, partner_lead, "
               "facilitator, coach, assessor, participant, mentor or headteacher), and optionally "
               "<code>school_urn</code> (needed for headteachers) and <code>partner</code> (the delivery partner's "
               "name, needed for partner leads and facilitators). One row per role. New people are emailed an "
               "invitation.",
               forms_value(request, "kind"));
    html_printf(b, "</div></fieldset></div>");
    html_printf(b,
                "<div class=\"govuk-form-group%R\"><label class=\"govuk-label govuk-label--m\" for=\"file\">"
                "Upload a file</label><div id=\"file-hint\" class=\"govuk-hint\">A CSV file with a header row naming "
                "the columns, in any order, 5 MB or smaller</div>",
                file_error ? " govuk-form-group--error" : "");
    if (file_error)
        html_printf(b,
                    "<p id=\"file-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">"
                    "Error:</span> %s</p>",
                    file_error);
    html_printf(b,
                "<input class=\"govuk-file-upload%R\" id=\"file\" name=\"file\" type=\"file\" accept=\".csv,text/csv\" "
                "aria-describedby=\"file-hint%R\"></div>",
                file_error ? " govuk-file-upload--error" : "", file_error ? " file-error" : "");
    forms_button(b, "Check the file", NULL);
    html_printf(b, "<p class=\"govuk-body\">Nothing is imported until you have checked the file and confirmed. A file "
                   "with any problem is not imported at all.</p></form>");
}

static void imports_begin(struct page *page, struct request *request, const char *title, const struct errors *errors)
{
    page_begin(page, page_title(request, title, errors), SECTION_PEOPLE);
    page_breadcrumbs(page, request, "/admin/users", "People", NULL, NULL);
    html_printf(&page->body, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-full\">");
    forms_error_summary(&page->body, errors);
}

static void imports_form_page(struct request *request, const struct errors *errors, int status)
{
    struct page page;
    imports_begin(&page, request, "Import from a file", errors);
    html_printf(&page.body, "<h1 class=\"govuk-heading-xl\">Import from a file</h1>");
    import_form(&page.body, request, errors);
    html_printf(&page.body, "</div></div>");
    page_send(request, &page, status);
}

void page_admin_imports(struct request *request)
{
    imports_form_page(request, NULL, 200);
}

static void problems_table(struct buf *b, const struct errors *problems)
{
    static const char *const headings[] = {"Where", "Problem"};
    table_begin(b, NULL, NULL, headings, 2);
    for (size_t i = 0; i < problems->count; i++)
        html_printf(b,
                    "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">%s</td>"
                    "<td class=\"govuk-table__cell\">%s</td></tr>",
                    problems->items[i].where, problems->items[i].message);
    table_end(b);
}

/* "3 schools", "1 person". */
static const char *count_text(struct request *request, size_t n, enum import_kind kind)
{
    const char *noun = kind == IMPORT_SCHOOLS ? (n == 1 ? "school" : "schools") : (n == 1 ? "person" : "people");
    return request_printf(request, "%zu %s", n, noun);
}

/* How many bytes text takes once escaped into an attribute. */
static size_t escaped_length(const char *text, size_t len)
{
    size_t n = len;
    for (size_t i = 0; i < len; i++)
        n += text[i] == '&' ? 4 : text[i] == '<' || text[i] == '>' ? 3 : text[i] == '"' || text[i] == '\'' ? 5 : 0;
    return n;
}

/* After a clean preview: the same file, carried back in the page, to import for real. */
static void commit_form(struct buf *b, struct request *request, enum import_kind kind, const char *csv, size_t len,
                        size_t rows)
{
    if (escaped_length(csv, len) > IMPORT_CARRY_MAX) {
        html_printf(b, "<p class=\"govuk-body\">This file is too large to import from this page. Split it into "
                       "smaller files, or import it with <code>npq import</code>.</p>");
        return;
    }
    html_printf(b, "<form method=\"post\" action=\"/admin/imports\" enctype=\"multipart/form-data\" novalidate>");
    forms_csrf(b, request);
    html_printf(b,
                "<input type=\"hidden\" name=\"action\" value=\"commit\">"
                "<input type=\"hidden\" name=\"kind\" value=\"%s\"><input type=\"hidden\" name=\"csv\" value=\"%s\">"
                "<div class=\"govuk-button-group\">",
                kind == IMPORT_SCHOOLS ? "schools" : "people", csv);
    forms_button(b, request_printf(request, "Import %zu %s", rows, rows == 1 ? "row" : "rows"), NULL);
    html_printf(b, "<a class=\"govuk-link\" href=\"/admin/imports\">Choose a different file</a></div></form>");
}

/* What a run found: the rows, and what was or would be created. */
static void import_outcome(struct buf *b, struct request *request, enum import_kind kind,
                           const struct import_report *report, bool dry_run)
{
    html_printf(b, "<dl class=\"govuk-summary-list\">");
    summary_row(b, "Rows read", request_printf(request, "%zu", report->rows));
    if (kind == IMPORT_SCHOOLS) {
        summary_row(b, dry_run ? "Schools to add" : "Schools added", count_text(request, report->created, kind));
    } else {
        summary_row(b, dry_run ? "People to invite" : "People invited", count_text(request, report->created, kind));
        summary_row(b, "People given another role", count_text(request, report->updated, kind));
    }
    html_printf(b, "</dl>");
}

/* The file posted as "file" (preview) or the text posted as "csv" (commit); false after adding an
 * error about it. */
static bool import_input(struct request *request, bool commit, const char **csv, size_t *len, const char **name,
                         struct errors *errors)
{
    *name = "";
    if (commit) {
        *csv = forms_value(request, "csv");
        *len = strlen(*csv);
    } else {
        const struct multipart_file *file = NULL;
        for (size_t i = 0; i < request->file_count; i++)
            if (strcmp(request->files[i].field, "file") == 0)
                file = &request->files[i];
        if (file == NULL || (file->len == 0 && *file->filename == '\0')) {
            errors_add(errors, "file", "Select a CSV file");
            return false;
        }
        *csv = request_strndup(request, (struct str){file->data, file->len}); /* a C string for the page */
        *len = file->len;
        *name = file->filename;
    }
    if (*len == 0)
        errors_add(errors, "file", "The selected file is empty");
    else if (*len > IMPORT_MAX_BYTES)
        errors_add(errors, "file", "The selected file must be smaller than 5 MB");
    else if (memchr(*csv, '\0', *len) != NULL)
        errors_add(errors, "file", "The selected file must be a CSV file");
    return errors->count == 0;
}

/* The page after a run: problems (nothing imported), a preview to confirm, or the outcome. */
static void import_result_page(struct request *request, enum import_kind kind, const struct import_report *report,
                               bool dry_run, const char *csv, size_t len, const char *filename)
{
    bool ok = report->errors.count == 0;
    struct page page;
    const char *title = !ok ? "Nothing was imported" : dry_run ? "Check the import" : "Import complete";
    imports_begin(&page, request, title, NULL);
    if (ok && !dry_run)
        page_notice(&page, "success", request_printf(request, "Imported %zu rows", report->rows));
    struct buf *b = &page.body;
    html_printf(b, "<h1 class=\"govuk-heading-xl\">%s</h1>", title);
    if (*filename)
        html_printf(b, "<p class=\"govuk-body\">File: %s</p>", filename);
    if (!ok) {
        html_printf(b,
                    "<p class=\"govuk-body\">The file has %zu %s. Correct the file and check it again: a file is "
                    "imported whole or not at all.</p>",
                    report->errors.count, report->errors.count == 1 ? "problem" : "problems");
        problems_table(b, &report->errors);
        html_printf(b, "<h2 class=\"govuk-heading-l\">Check another file</h2>");
        import_form(b, request, NULL);
    } else {
        import_outcome(b, request, kind, report, dry_run);
        if (dry_run)
            commit_form(b, request, kind, csv, len, report->rows);
        else
            html_printf(b, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"%s\">%s</a></p>",
                        kind == IMPORT_SCHOOLS ? "/admin/organisations?kind=school" : "/admin/users",
                        kind == IMPORT_SCHOOLS ? "See the schools" : "See the people");
    }
    html_printf(b, "</div></div>");
    page_send(request, &page, ok ? 200 : 422);
}

void page_admin_imports_run(struct request *request)
{
    const char *action = forms_value(request, "action");
    bool commit = strcmp(action, "commit") == 0;
    struct errors errors = ERRORS_INIT;
    enum import_kind kind = IMPORT_SCHOOLS;
    if (!import_kind_parse(forms_value(request, "kind"), &kind))
        errors_add(&errors, "kind", "Choose what the file contains");
    const char *csv = "", *filename = "";
    size_t len = 0;
    if (!commit && strcmp(action, "preview") != 0)
        errors_add(&errors, "file", "Choose a file and check it first");
    else
        import_input(request, commit, &csv, &len, &filename, &errors);
    if (errors.count > 0) {
        imports_form_page(request, &errors, 422);
        errors_free(&errors);
        return;
    }
    errors_free(&errors);
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct import_report report;
    imports_run(&env, kind, csv, len, !commit, request_arena(request), &report);
    if (report.result != APP_OK && report.result != APP_INVALID)
        page_refusal(request, report.result, NULL);
    else
        import_result_page(request, kind, &report, !commit, csv, len, filename);
    imports_report_free(&report);
}

/* The audit log */

/* A date filter (YYYY-MM-DD) as seconds: the start of the day, or its last second for until. */
static int64_t date_filter(struct form *query, const char *name, bool end_of_day, struct errors *errors)
{
    const char *value = form_get(query, name);
    if (value == NULL || *value == '\0')
        return 0;
    struct tm tm = {0};
    const char *end = strptime(value, "%Y-%m-%d", &tm);
    if (end == NULL || *end != '\0' || strlen(value) != 10) {
        errors_add(errors, name, "Enter a date like 2026-11-23");
        return 0;
    }
    return (int64_t)timegm(&tm) + (end_of_day ? 86399 : 0);
}

/* Stored summaries are JSON; shown compact. Text that is not JSON is shown as it is. */
static const char *compact_json(struct request *request, const char *text)
{
    json_t *value = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
    if (value == NULL)
        return text;
    char *dumped = json_dumps(value, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    json_decref(value);
    if (dumped == NULL)
        return text;
    const char *copy = request_strndup(request, str_of(dumped));
    free(dumped);
    return copy;
}

static void audit_filters(struct buf *b, struct form *query, const struct errors *errors)
{
    html_printf(b, "<form method=\"get\" action=\"/admin/audit\" novalidate><div class=\"govuk-grid-row\">"
                   "<div class=\"govuk-grid-column-one-third\">");
    forms_input(b, "actor_id", "Who (their id)", "text", form_get(query, "actor_id"),
                "The number at the end of the address of their page", "off", errors);
    forms_input(b, "action", "Action starts with", "text", form_get(query, "action"),
                "For example, user. or role.grant", "off", errors);
    html_printf(b, "</div><div class=\"govuk-grid-column-one-third\">");
    forms_input(b, "entity", "Record", "text", form_get(query, "entity"), "user, organisation, token or assignment",
                "off", errors);
    forms_input(b, "entity_id", "Record id", "text", form_get(query, "entity_id"), NULL, "off", errors);
    html_printf(b, "</div><div class=\"govuk-grid-column-one-third\">");
    forms_input(b, "since", "From", "text", form_get(query, "since"), "For example, 2026-11-23", "off", errors);
    forms_input(b, "until", "To", "text", form_get(query, "until"), "For example, 2026-11-30", "off", errors);
    html_printf(b, "</div></div>");
    forms_button(b, "Filter", "secondary");
    html_printf(b, "</form>");
}

/* "user 12" with a link when the record has a page here. */
static void audit_record(struct buf *b, struct request *request, const struct audit_event *e)
{
    int64_t id = forms_id(e->entity_id);
    if (id > 0 && strcmp(e->entity, "user") == 0)
        html_printf(b, "<a class=\"govuk-link\" href=\"/admin/users/%s\">%s %s</a>", id_text(request, id), e->entity,
                    e->entity_id);
    else if (id > 0 && strcmp(e->entity, "organisation") == 0)
        html_printf(b, "<a class=\"govuk-link\" href=\"/admin/organisations/%s\">%s %s</a>", id_text(request, id),
                    e->entity, e->entity_id);
    else
        html_printf(b, "%s %s", e->entity, e->entity_id);
}

static void audit_change(struct buf *b, struct request *request, const struct audit_event *e)
{
    const char *before = compact_json(request, e->before), *after = compact_json(request, e->after);
    if (before == NULL && after == NULL)
        return;
    if (before != NULL)
        html_printf(b, "<code>%s</code>", before);
    else
        html_printf(b, "none");
    html_printf(b, " → ");
    if (after != NULL)
        html_printf(b, "<code>%s</code>", after);
    else
        html_printf(b, "none");
}

static void audit_table(struct buf *b, struct request *request, const struct audit_event *events, size_t count)
{
    static const char *const headings[] = {"Time (UTC)", "Who", "Action", "Record", "Change"};
    html_printf(b, "<div class=\"govuk-!-text-break-word\">");
    table_begin(b, "govuk-!-font-size-16", NULL, headings, 5);
    for (size_t i = 0; i < count; i++) {
        const struct audit_event *e = &events[i];
        html_printf(b,
                    "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">%s</td>"
                    "<td class=\"govuk-table__cell\">",
                    page_time(request, e->at, DATE_SHORT));
        if (e->actor_id > 0)
            html_printf(b, "<a class=\"govuk-link\" href=\"/admin/users/%s\">%s</a>", id_text(request, e->actor_id),
                        e->actor_label);
        else
            html_printf(b, "%s", e->actor_label);
        html_printf(b, "</td><td class=\"govuk-table__cell\"><code>%s</code></td><td class=\"govuk-table__cell\">",
                    e->action);
        audit_record(b, request, e);
        html_printf(b, "</td><td class=\"govuk-table__cell\">");
        audit_change(b, request, e);
        html_printf(b, "</td></tr>");
    }
    table_end(b);
    html_printf(b, "</div>");
}

void page_admin_audit(struct request *request)
{
    struct form *query = request_query(request);
    struct errors errors = ERRORS_INIT;
    int64_t actor_id = forms_id(form_get(query, "actor_id"));
    if (actor_id < 0)
        errors_add(&errors, "actor_id", "Enter the person's id, a whole number");
    struct store_page position;
    page_list_position(request, CURSOR_ID, EVENTS_PER_PAGE, &position, &errors);
    struct audit_filter filter = {
        .actor_id = actor_id > 0 ? actor_id : 0,
        .action = form_get(query, "action"),
        .entity = form_get(query, "entity"),
        .entity_id = form_get(query, "entity_id"),
        .since = date_filter(query, "since", false, &errors),
        .until = date_filter(query, "until", true, &errors),
    };
    struct audit_event *events = NULL;
    size_t count = 0, total = 0;
    if (errors.count == 0 && store_audit_list(request->store, &filter, &position, request_arena(request), &events,
                                              &count, &total) != STORE_OK) {
        page_unavailable(request);
        errors_free(&errors);
        return;
    }
    struct page page;
    page_begin(&page, page_title(request, "Audit log", &errors), SECTION_AUDIT);
    struct buf *b = &page.body;
    forms_error_summary(b, &errors);
    html_printf(b, "<h1 class=\"govuk-heading-xl\">Audit log</h1><p class=\"govuk-body\">Every change to people, "
                   "roles, organisations and tokens, newest first. The log cannot be changed.</p>");
    audit_filters(b, query, &errors);
    if (errors.count == 0) {
        showing(b, count, total, "events");
        if (count > 0)
            audit_table(b, request, events, count);
        static const char *const names[] = {"actor_id", "action", "entity", "entity_id", "since", "until"};
        page_pagination(b, request, names, sizeof(names) / sizeof(names[0]), &position);
    }
    page_send(request, &page, errors.count ? 422 : 200);
    errors_free(&errors);
}

/* Awards */

static void awards_filters(struct buf *b, struct request *request, const struct catalogue *c, struct form *query,
                           const struct errors *errors)
{
    struct form_option *options = request_alloc(request, sizeof(*options) * (c->qualification_count + 1));
    size_t n = 0;
    options[n++] = (struct form_option){"", "Any qualification"};
    for (size_t i = 0; i < c->qualification_count; i++)
        options[n++] = (struct form_option){
            c->qualifications[i].code,
            request_printf(request, "%s (%s)", c->qualifications[i].title, c->qualifications[i].code)};
    const char *chosen = form_get(query, "qualification");
    html_printf(b, "<form method=\"get\" action=\"/admin/awards\" novalidate><div class=\"govuk-grid-row\">"
                   "<div class=\"govuk-grid-column-one-half\">");
    forms_select(b, "qualification", "Qualification", options, n, chosen ? chosen : "", NULL, errors);
    html_printf(b, "</div><div class=\"govuk-grid-column-one-quarter\">");
    forms_input(b, "awarded_from", "Awarded from", "text", form_get(query, "awarded_from"), "For example, 2027-07-01",
                "off", errors);
    html_printf(b, "</div><div class=\"govuk-grid-column-one-quarter\">");
    forms_input(b, "awarded_to", "Awarded to", "text", form_get(query, "awarded_to"), "For example, 2027-07-31", "off",
                errors);
    html_printf(b, "</div></div>");
    forms_button(b, "Filter", "secondary");
    html_printf(b, "</form>");
}

static void awards_table(struct buf *b, struct request *request, const struct catalogue *c, const struct award *awards,
                         size_t count)
{
    static const char *const headings[] = {"Person", "Qualification", "Awarded on", "Certificate"};
    table_begin(b, NULL, NULL, headings, 4);
    for (size_t i = 0; i < count; i++) {
        const struct award *a = &awards[i];
        html_printf(b,
                    "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><a class=\"govuk-link\" "
                    "href=\"/admin/users/%s\">%s</a><br><a class=\"govuk-link govuk-!-font-size-16\" "
                    "href=\"/participants/%s/transcript\">Transcript<span class=\"govuk-visually-hidden\"> of %s</span>"
                    "</a></td><td class=\"govuk-table__cell\">%s</td><td class=\"govuk-table__cell\">%s</td>"
                    "<td class=\"govuk-table__cell govuk-!-text-break-word\"><a class=\"govuk-link\" "
                    "href=\"/api/v1/awards/%s/certificate.pdf\" download>%s<span class=\"govuk-visually-hidden\"> "
                    "(PDF)</span></a></td></tr>",
                    id_text(request, a->participant_id), a->participant_name, id_text(request, a->participant_id),
                    a->participant_name, study_title(c, STUDY_QUALIFICATION, a->qualification),
                    page_date(request, a->awarded_on, false), id_text(request, a->id), a->certificate_number);
    }
    table_end(b);
}

void page_admin_awards(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct form *query = request_query(request);
    struct errors errors = ERRORS_INIT;
    struct awards_query q;
    awards_query_read(query, c, &q, &errors);
    struct store_page position;
    page_list_position(request, CURSOR_ID, AWARDS_PER_PAGE, &position, &errors);
    struct award *awards = NULL;
    size_t count = 0, total = 0;
    if (errors.count == 0 && store_award_search(request->store, &q.filter, &position, request_arena(request), &awards,
                                                &count, &total) != STORE_OK) {
        page_unavailable(request);
        errors_free(&errors);
        return;
    }
    struct page page;
    page_begin(&page, page_title(request, "Awards", &errors), SECTION_PEOPLE);
    struct buf *b = &page.body;
    forms_error_summary(b, &errors);
    html_printf(b, "<h1 class=\"govuk-heading-xl\">Awards</h1><p class=\"govuk-body\">Every qualification "
                   "awarded, newest first, with its certificate. Who is ready for an award is on your <a "
                   "class=\"govuk-link\" href=\"/\">home page</a>.</p>");
    awards_filters(b, request, c, query, &errors);
    if (errors.count == 0) {
        showing(b, count, total, "awards");
        if (count > 0)
            awards_table(b, request, c, awards, count);
        static const char *const names[] = {"qualification", "awarded_from", "awarded_to"};
        page_pagination(b, request, names, sizeof(names) / sizeof(names[0]), &position);
    }
    page_send(request, &page, errors.count ? 422 : 200);
    errors_free(&errors);
}
