/*
 * The delivery pages (delivery.h says what each route is): cohorts and their plans, events with
 * booking, the register, coaching sessions, the learning-hours log and the calendar address.
 * Kept apart from the programme pages because they follow a cohort's running rather than a
 * person's way into it.
 *
 * No rule lives here. Scheduling, booking, marking, notes, actions, hours and verifying go through
 * app/delivery.h and app/coaching.h exactly as the JSON API does, and what a page offers the caller
 * is asked of the policy (policy_allows with the store's facts about the record) or of the domain
 * (delivery_booking_check says whether a place can be taken and, when not, in what words). What is
 * here is reading forms, turning the UK times people type into UTC, choosing what to show and
 * rendering with html_printf.
 */
#include "pages/delivery.h"

#include "app/coaching.h"
#include "app/delivery.h"
#include "app/notify.h"
#include "http/reply.h"
#include "http/site.h"
#include "lib/date.h"
#include "lib/markdown.h"
#include "lib/secret.h"
#include "pages/forms.h"
#include "pages/html.h"
#include "pages/layout.h"
#include "pages/widgets.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum {
    COHORTS_SHOWN = 100, /* rows of the cohorts on /delivery */
    EVENTS_SHOWN = 50,   /* coming events on /delivery */
    MODULES_MAX = 64,    /* modules offered in one select */
    FACILITATORS_MAX = 500,
    URL_TEXT = 1024,
};

/* ---- Helpers: text ---- */

static const char *id_text(struct request *request, int64_t id)
{
    return request_printf(request, "%" PRId64, id);
}

/* Quarter hours as a number of hours for people: "12", "2.5", "0.75". */
static const char *hours_number(struct request *request, int64_t quarter_hours)
{
    char *out = request_alloc(request, DELIVERY_HOURS_TEXT);
    delivery_hours_number(quarter_hours, out);
    return out;
}

/* Quarter hours as "12 hours", "1 hour", "0.75 hours" (the domain's words). */
static const char *hours_text(struct request *request, int64_t quarter_hours)
{
    char *out = request_alloc(request, 32);
    delivery_hours_format((double)quarter_hours / 4, out, 32);
    return out;
}

/* ---- Helpers: UK time in forms ---- */

/* Digits only, 1 to max of them, as a number; -1 otherwise. */
static int small_number(const char *text, size_t max)
{
    size_t n = strlen(text);
    if (n == 0 || n > max)
        return -1;
    int value = 0;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        value = value * 10 + (*p - '0');
    }
    return value;
}

/* A date typed in the three boxes of the GOV.UK date input. */
struct date_parts {
    const char *day, *month, *year;
};

static struct date_parts date_fields(struct request *request, const char *prefix)
{
    return (struct date_parts){forms_text(request, request_printf(request, "%s-day", prefix)),
                               forms_text(request, request_printf(request, "%s-month", prefix)),
                               forms_text(request, request_printf(request, "%s-year", prefix))};
}

static bool date_empty(const struct date_parts *d)
{
    return *d->day == '\0' && *d->month == '\0' && *d->year == '\0';
}

/* The date as numbers, false when a box is empty or holds anything but digits (a year of four). */
static bool date_numbers(const struct date_parts *d, int *year, int *month, int *day)
{
    *day = small_number(d->day, 2);
    *month = small_number(d->month, 2);
    *year = small_number(d->year, 4);
    return *day > 0 && *month > 0 && *year >= 1000;
}

/* Midnight of a real date, as local seconds; false for 31 April and the like. */
static bool date_local(int year, int month, int day, int64_t *out)
{
    if (month < 1 || month > 12 || day < 1 || day > 31)
        return false;
    struct tm tm = {.tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = day, .tm_hour = 12};
    time_t t = timegm(&tm);
    if (t == (time_t)-1 || tm.tm_mday != day || tm.tm_mon != month - 1)
        return false;
    *out = (int64_t)t - 12 * 3600;
    return true;
}

/* ---- Helpers: page furniture ---- */

/* Whether the policy lets the caller use permission on a record (resource id). */
static bool may(struct request *request, enum permission permission, enum resource resource, int64_t id)
{
    struct relation relation;
    if (store_relation(request->store, request->caller, resource, id, &relation) != STORE_OK)
        return false;
    return policy_allows(permission, request->caller, resource, &relation);
}

/* Whether the caller runs the programme (cohorts, fees, reports). */
static bool programme_manager(struct request *request)
{
    return may(request, PERM_PROGRAMME_MANAGE, RESOURCE_NONE, 0);
}

/* The fixed sentence for ?notice=NAME; NULL for a name this page never sends. */
struct notice {
    const char *name;
    const char *message;
};

static const char *notice_for(struct request *request, const struct notice *notices, size_t count)
{
    const char *name = form_get(request_query(request), "notice");
    for (size_t i = 0; name != NULL && i < count; i++)
        if (strcmp(name, notices[i].name) == 0)
            return notices[i].message;
    return NULL;
}

/* Starts a page, with "Error: " before its title when errors are shown. */
static void begin(struct page *page, const char *title, enum page_section section, const struct errors *errors)
{
    page_begin(page, title, section);
    page->has_errors = errors != NULL && errors->count > 0;
}

/* Copies errors from one list to another, all at where (a place on the page the summary links to). */
static void errors_at(struct errors *to, const struct errors *from, const char *where)
{
    for (size_t i = 0; i < from->count; i++)
        errors_add(to, where, "%s", from->items[i].message);
}

/*
 * Adds a use case's errors (from) to the form's own (to), leaving out those at a field the form
 * already refused (its own reading says it better than a rule given a stand-in value) and, when
 * times were a stand-in, what the rule says of the times.
 */
static void errors_merge(struct errors *to, const struct errors *from, bool times_stand_in)
{
    size_t mine = to->count;
    for (size_t i = 0; i < from->count; i++) {
        const char *where = from->items[i].where;
        bool taken = times_stand_in && (strcmp(where, "starts_at") == 0 || strcmp(where, "ends_at") == 0);
        for (size_t k = 0; k < mine && !taken; k++)
            taken = strcmp(to->items[k].where, where) == 0;
        if (!taken)
            errors_add(to, where, "%s", from->items[i].message);
    }
}

static void summary_row(struct buf *b, const char *key, const char *value_markup)
{
    html_printf(b,
                "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">%s</dt>"
                "<dd class=\"govuk-summary-list__value govuk-!-text-break-word\">%R</dd></div>",
                key, value_markup);
}

/* A link as markup; the address is escaped like any text. */
static const char *link_markup(struct request *request, const char *href, const char *text)
{
    struct buf b;
    buf_init(&b, 8 * 1024);
    html_printf(&b, "<a class=\"govuk-link\" href=\"%s\">%s</a>", href, text);
    return page_markup(request, &b);
}

/* An error message above a field (nothing when error is NULL). */
static void error_message(struct buf *b, const char *id, const char *error)
{
    if (error != NULL)
        html_printf(b,
                    "<p id=\"%s-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:"
                    "</span> %s</p>",
                    id, error);
}

/* aria-describedby naming a field's hint and error message, when it has them. */
static void described_by(struct buf *b, const char *id, bool hint, bool error)
{
    if (!hint && !error)
        return;
    html_printf(b, " aria-describedby=\"");
    if (hint)
        html_printf(b, "%s-hint", id);
    if (error)
        html_printf(b, "%R%s-error", hint ? " " : "", id);
    html_printf(b, "\"");
}

/* A text input whose id and name may differ, with a GOV.UK width class (or NULL). */
struct input {
    const char *id, *name, *label, *value, *hint, *width, *inputmode, *autocomplete;
};

static void text_input(struct buf *b, const struct input *in, const char *error)
{
    html_printf(b, "<div class=\"govuk-form-group%R\"><label class=\"govuk-label\" for=\"%s\">%s</label>",
                error ? " govuk-form-group--error" : "", in->id, in->label);
    if (in->hint != NULL)
        html_printf(b, "<div id=\"%s-hint\" class=\"govuk-hint\">%s</div>", in->id, in->hint);
    error_message(b, in->id, error);
    html_printf(b, "<input class=\"govuk-input%R%R%R\" id=\"%s\" name=\"%s\" type=\"text\" value=\"%s\"",
                in->width ? " " : "", in->width ? in->width : "", error ? " govuk-input--error" : "", in->id,
                in->name ? in->name : in->id, in->value ? in->value : "");
    if (in->inputmode != NULL)
        html_printf(b, " inputmode=\"%s\"", in->inputmode);
    if (in->autocomplete != NULL)
        html_printf(b, " autocomplete=\"%s\"", in->autocomplete);
    described_by(b, in->id, in->hint != NULL, error != NULL);
    html_printf(b, "></div>");
}

/* Radios in a fieldset whose legend is the question. The first input's id is id (where the error
 * summary links); the others add -2, -3... inline lays short answers side by side. */
struct radio_item {
    const char *value;
    const char *label;
};

static void radios(struct buf *b, struct request *request, const char *name, const char *id, const char *legend,
                   const char *legend_size, const char *hint, const struct radio_item *items, size_t count,
                   const char *selected, const char *error, bool inline_items)
{
    html_printf(b, "<div class=\"govuk-form-group%R\"><fieldset class=\"govuk-fieldset\"",
                error ? " govuk-form-group--error" : "");
    described_by(b, id, hint != NULL, error != NULL);
    html_printf(b, "><legend class=\"govuk-fieldset__legend govuk-fieldset__legend--%R\">%s</legend>", legend_size,
                legend);
    if (hint != NULL)
        html_printf(b, "<div id=\"%s-hint\" class=\"govuk-hint\">%s</div>", id, hint);
    error_message(b, id, error);
    html_printf(b, "<div class=\"govuk-radios%R\" data-module=\"govuk-radios\">",
                inline_items ? " govuk-radios--inline" : "");
    for (size_t i = 0; i < count; i++) {
        const char *item_id = i == 0 ? id : request_printf(request, "%s-%zu", id, i + 1);
        bool checked = selected != NULL && strcmp(selected, items[i].value) == 0;
        html_printf(b,
                    "<div class=\"govuk-radios__item\"><input class=\"govuk-radios__input\" id=\"%s\" name=\"%s\" "
                    "type=\"radio\" value=\"%s\"%R><label class=\"govuk-label govuk-radios__label\" for=\"%s\">%s"
                    "</label></div>",
                    item_id, name, items[i].value, checked ? " checked" : "", item_id, items[i].label);
    }
    html_printf(b, "</div></fieldset></div>");
}

/* The GOV.UK date input: three boxes named prefix-day, -month, -year; the first has id id. */
static void date_input(struct buf *b, const char *id, const char *prefix, const char *legend, const char *hint,
                       const struct date_parts *value, const char *error)
{
    html_printf(b,
                "<div class=\"govuk-form-group%R\"><fieldset class=\"govuk-fieldset\" role=\"group\" "
                "aria-describedby=\"%s-hint%R%s%R\"><legend class=\"govuk-fieldset__legend "
                "govuk-fieldset__legend--s\">%s</legend><div id=\"%s-hint\" class=\"govuk-hint\">%s</div>",
                error ? " govuk-form-group--error" : "", id, error ? " " : "", error ? id : "", error ? "-error" : "",
                legend, id, hint);
    error_message(b, id, error);
    html_printf(b, "<div class=\"govuk-date-input\">");
    const char *labels[] = {"Day", "Month", "Year"};
    const char *parts[] = {"day", "month", "year"};
    const char *values[] = {value ? value->day : "", value ? value->month : "", value ? value->year : ""};
    for (int i = 0; i < 3; i++)
        html_printf(b,
                    "<div class=\"govuk-date-input__item\"><div class=\"govuk-form-group\"><label class=\"govuk-label "
                    "govuk-date-input__label\" for=\"%s%R%R\">%s</label><input class=\"govuk-input "
                    "govuk-date-input__input govuk-input--width-%R%R\" id=\"%s%R%R\" name=\"%s-%R\" type=\"text\" "
                    "inputmode=\"numeric\" value=\"%s\"></div></div>",
                    id, i ? "-" : "", i ? parts[i] : "", labels[i], i == 2 ? "4" : "2",
                    error ? " govuk-input--error" : "", id, i ? "-" : "", i ? parts[i] : "", prefix, parts[i],
                    values[i]);
    html_printf(b, "</div></fieldset></div>");
}

static void table_begin(struct buf *b, const char *caption, const char *const *headers, size_t count)
{
    html_printf(
        b,
        "<table class=\"govuk-table govuk-table--small-text-until-tablet\"><caption class=\"govuk-table__caption "
        "govuk-visually-hidden\">%s</caption><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">",
        caption);
    for (size_t i = 0; i < count; i++)
        if (*headers[i])
            html_printf(b, "<th scope=\"col\" class=\"govuk-table__header\">%s</th>", headers[i]);
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

/* ---- Events: words shared by several pages ---- */

/* Where an event happens: the venue and its postcode, or "Online". */
static const char *event_place(struct request *request, const struct event *e)
{
    if (e->venue_id != 0)
        return e->venue_postcode && *e->venue_postcode
                   ? request_printf(request, "%s, %s", e->venue_name ? e->venue_name : "", e->venue_postcode)
                   : (e->venue_name ? e->venue_name : "");
    return "Online";
}

/* The rows of an events table: title, kind, when, where, places. */
static void events_table(struct buf *b, struct request *request, const struct event *events, size_t count, size_t limit,
                         bool show_cohort)
{
    static const char *const headers[] = {"Event", "When (UK time)", "Where", "Booked"};
    table_begin(b, "Events", headers, 4);
    for (size_t i = 0; i < count && i < limit; i++) {
        const struct event *e = &events[i];
        html_printf(b,
                    "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><a class=\"govuk-link\" "
                    "href=\"/events/%s\">%s</a><br><span class=\"govuk-hint govuk-!-font-size-16\">%s%R%s</span>",
                    id_text(request, e->id), e->title, delivery_event_kind_title(e->kind), show_cohort ? ", " : "",
                    show_cohort ? e->cohort_code : "");
        if (e->cancelled_at != 0)
            html_printf(b, "<br>%R", page_tag(request, "red", "Cancelled"));
        html_printf(b,
                    "</td><td class=\"govuk-table__cell\">%s</td><td class=\"govuk-table__cell "
                    "govuk-!-text-break-word\">",
                    page_time_range(request, e->starts_at, e->ends_at));
        if (e->venue_id != 0)
            html_printf(b, "%s", event_place(request, e));
        else if (e->joining_url != NULL && *e->joining_url)
            html_printf(b, "<a class=\"govuk-link\" href=\"%s\" rel=\"noopener noreferrer\">Joining link</a>",
                        e->joining_url);
        else
            html_printf(b, "Online");
        html_printf(b, "</td><td class=\"govuk-table__cell\">%d of %d</td></tr>", e->booked, e->capacity);
    }
    table_end(b);
}

/* ---- /delivery ---- */

void page_delivery(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct store *store = request->store;
    struct arena *arena = request_arena(request);
    struct cohort *cohorts;
    size_t cohort_count;
    struct event *events;
    size_t event_count;
    struct event_filter filter = {.from = request->now};
    enum store_status s = store_cohort_list(store, NULL, NULL, arena, &cohorts, &cohort_count);
    if (s == STORE_OK)
        s = store_event_list(store, request->caller, &filter, NULL, arena, &events, &event_count);
    if (s != STORE_OK) {
        page_unavailable(request);
        return;
    }
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);

    struct page page;
    begin(&page, "Delivery", SECTION_DELIVERY, NULL);
    struct buf *b = &page.body;
    html_printf(b, "<h1 class=\"govuk-heading-l\">Delivery</h1><p class=\"govuk-body\">The cohorts you work with or "
                   "study in, and their events coming up. <a class=\"govuk-link\" href=\"/account/calendar\">Get your "
                   "calendar address</a> to see them in your own calendar.</p>"
                   "<h2 class=\"govuk-heading-m\" id=\"cohorts\">Your cohorts</h2>");
    if (programme_manager(request) || may(request, PERM_DELIVERY_MANAGE, RESOURCE_NONE, 0)) {
        html_printf(b, "<ul class=\"govuk-list\">");
        if (programme_manager(request))
            html_printf(b, "<li><a class=\"govuk-link\" href=\"/cohorts/new\">Add a cohort</a></li><li><a "
                           "class=\"govuk-link\" href=\"/programme/reports\">Fees, reports and exports</a></li>");
        html_printf(b, "<li><a class=\"govuk-link\" href=\"/venues\">Venues</a></li></ul>");
    }
    size_t shown = 0;
    for (size_t i = 0; i < cohort_count && shown < COHORTS_SHOWN; i++) {
        const struct cohort *co = &cohorts[i];
        /* The cohorts the caller may see are theirs: those they manage, work in or study in. */
        if (!may(request, PERM_DELIVERY_READ, RESOURCE_COHORT, co->id))
            continue;
        struct cohort_delivery d;
        if (cohort_delivery_get(&env, c, co->id, arena, &d) != APP_OK)
            continue;
        if (shown++ == 0) {
            static const char *const headers[] = {"Cohort", "Starts", "Plan"};
            table_begin(b, "Your cohorts", headers, 3);
        }
        html_printf(b,
                    "<tr class=\"govuk-table__row\" data-testid=\"cohort-row\"><td class=\"govuk-table__cell "
                    "govuk-!-text-break-word\">"
                    "<a class=\"govuk-link\" href=\"/cohorts/%s\">%s</a><br><span class=\"govuk-hint "
                    "govuk-!-font-size-16\">%s</span></td><td class=\"govuk-table__cell\">%s</td>"
                    "<td class=\"govuk-table__cell\">%s",
                    id_text(request, co->id), co->code, co->target, page_date(request, co->starts_on, false),
                    d.plan.sentence);
        if (d.warning != NULL)
            html_printf(b, "<br>%R", page_tag(request, "orange", "Short of events"));
        html_printf(b, "</td></tr>");
    }
    if (shown > 0)
        table_end(b);
    else
        html_printf(b, "<p class=\"govuk-body\">You do not work with or study in any cohort yet.</p>");

    html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"events\">Coming up</h2>");
    if (event_count == 0)
        html_printf(b, "<p class=\"govuk-body\">There are no events coming up.</p>");
    else
        events_table(b, request, events, event_count, EVENTS_SHOWN, true);
    if (caller_has(request->caller, ROLE_COACH) || caller_has(request->caller, ROLE_PARTICIPANT))
        html_printf(b, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/coaching\">Coaching sessions</a></p>");
    page_send(request, &page, 200);
}

/* ---- /cohorts/{id} ---- */

/* The add-an-event form as typed, to show again with its errors. */
struct event_form {
    const char *kind, *title, *module, *framework_area, *venue_id, *joining_url;
    struct date_parts date;
    const char *starts_at, *ends_at, *capacity, *facilitator_id;
    const char *sequence; /* changing: the version the form was made from */
};

/* The modules an event of the cohort may be about: its qualification's essential and elective
 * modules, or the one module it studies. */
static size_t cohort_modules(const struct catalogue *c, const struct cohort *co, const struct catalogue_module **out,
                             size_t max)
{
    size_t n = 0;
    if (co->kind == STUDY_MODULE) {
        const struct catalogue_module *m = catalogue_module_find(c, co->target, strlen(co->target));
        if (m != NULL && n < max)
            out[n++] = m;
        return n;
    }
    const struct catalogue_qualification *q = catalogue_qualification_find(c, co->target, strlen(co->target));
    if (q == NULL)
        return 0;
    size_t total = q->rule.essential_count + q->rule.elective_from_count;
    for (size_t i = 0; i < total && n < max; i++) {
        const char *code =
            i < q->rule.essential_count ? q->rule.essential[i] : q->rule.elective_from[i - q->rule.essential_count];
        const struct catalogue_module *m = catalogue_module_find(c, code, strlen(code));
        if (m != NULL)
            out[n++] = m;
    }
    return n;
}

/* Facilitators to choose from: the cohort's own first, then the others the caller may see. */
static size_t facilitator_options(struct request *request, const struct cohort_delivery *d, struct form_option *options,
                                  size_t max)
{
    size_t n = 0;
    options[n++] = (struct form_option){"", "No facilitator yet"};
    for (size_t i = 0; i < d->staff_count && n < max; i++)
        if (d->staff[i].role == ROLE_FACILITATOR)
            options[n++] = (struct form_option){id_text(request, d->staff[i].user_id), d->staff[i].name};
    struct user_filter filter = {.role = ROLE_FACILITATOR};
    struct store_page choices = {.limit = FACILITATORS_MAX};
    struct user *people;
    size_t count = 0, total = 0;
    if (store_user_list(request->store, request->caller, &filter, &choices, request_arena(request), &people, &count,
                        &total) != STORE_OK)
        return n;
    for (size_t i = 0; i < count && n < max; i++) {
        const char *id = id_text(request, people[i].id);
        bool seen = false;
        for (size_t k = 1; k < n && !seen; k++)
            seen = strcmp(options[k].value, id) == 0;
        if (!seen)
            options[n++] = (struct form_option){id, people[i].name};
    }
    return n;
}

/* The event form: scheduling one for the cohort, or changing editing (NULL when adding). */
static void event_form_render(struct buf *b, struct request *request, const struct catalogue *c,
                              const struct cohort_delivery *d, const struct event_form *f, const struct errors *errors,
                              const struct event *editing)
{
    struct arena *arena = request_arena(request);
    const struct cohort *co = &d->cohort;
    if (editing == NULL) {
        html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"add-event\">Schedule an event</h2><div "
                       "class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
        forms_begin(b, request, request_printf(request, "/cohorts/%" PRId64 "/events", co->id));
    } else {
        html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
        forms_begin(b, request, request_printf(request, "/events/%" PRId64 "/edit", editing->id));
        /* The version the form was made from: a change made meanwhile by someone else is refused. */
        html_printf(b, "<input type=\"hidden\" name=\"sequence\" value=\"%s\">",
                    f && f->sequence ? f->sequence : id_text(request, editing->sequence));
    }

    struct radio_item kinds[DELIVERY_EVENT_KIND_COUNT];
    for (int k = 0; k < DELIVERY_EVENT_KIND_COUNT; k++)
        kinds[k] = (struct radio_item){delivery_event_kind_name((enum delivery_event_kind)k),
                                       delivery_event_kind_title((enum delivery_event_kind)k)};
    radios(b, request, "kind", "kind", "What kind of event?", "s",
           co->delivery_model == DELIVERY_ONLINE ? "This cohort studies online: its plan counts virtual live events."
                                                 : "This cohort's plan counts face-to-face events.",
           kinds, DELIVERY_EVENT_KIND_COUNT, f ? f->kind : NULL, forms_field_error(errors, "kind"), false);
    forms_input(b, "title", "Title", "text", f ? f->title : NULL, NULL, NULL, errors);

    const struct catalogue_module *modules[MODULES_MAX];
    size_t module_count = cohort_modules(c, co, modules, MODULES_MAX);
    struct form_option *options = arena_alloc(arena, sizeof(*options) * (module_count + 1));
    options[0] = (struct form_option){"", "No particular module"};
    for (size_t i = 0; i < module_count; i++)
        options[i + 1] = (struct form_option){modules[i]->code, modules[i]->title};
    forms_select(b, "module", "Module", options, module_count + 1, f ? f->module : "", NULL, errors);

    const struct catalogue_qualification *q =
        co->kind == STUDY_QUALIFICATION ? catalogue_qualification_find(c, co->target, strlen(co->target)) : NULL;
    const struct catalogue_framework *fw =
        q && q->framework ? catalogue_framework_find(c, q->framework, strlen(q->framework)) : NULL;
    if (fw != NULL) {
        options = arena_alloc(arena, sizeof(*options) * (fw->area_count + 1));
        options[0] = (struct form_option){"", "None"};
        for (size_t i = 0; i < fw->area_count; i++)
            options[i + 1] =
                (struct form_option){request_printf(request, "%d", fw->areas[i].number),
                                     request_printf(request, "%d. %s", fw->areas[i].number, fw->areas[i].title)};
        forms_select(b, "framework_area", "Framework area", options, fw->area_count + 1, f ? f->framework_area : "",
                     NULL, errors);
    }

    struct venue *venues = NULL;
    size_t venue_count = 0;
    if (store_venue_list(request->store, co->delivery_partner_id, arena, &venues, &venue_count) != STORE_OK)
        venue_count = 0;
    options = arena_alloc(arena, sizeof(*options) * (venue_count + 1));
    options[0] = (struct form_option){"", "No venue (online)"};
    for (size_t i = 0; i < venue_count; i++)
        options[i + 1] = (struct form_option){
            id_text(request, venues[i].id),
            request_printf(request, "%s, %s (%d places)", venues[i].name, venues[i].postcode, venues[i].capacity)};
    forms_select(b, "venue_id", "Venue", options, venue_count + 1, f ? f->venue_id : "",
                 "For a face-to-face event: one of the delivery partner's venues", errors);
    text_input(b,
               &(struct input){.id = "joining_url",
                               .label = "Joining link",
                               .value = f ? f->joining_url : NULL,
                               .hint = "For a virtual live event or webinar, starting with https://",
                               .inputmode = "url"},
               forms_field_error(errors, "joining_url"));

    date_input(b, "date", "date", "Date", "For example, 10 3 2027", f ? &f->date : NULL,
               forms_field_error(errors, "date"));
    text_input(b,
               &(struct input){.id = "starts_at",
                               .label = "Start time (UK time)",
                               .value = f ? f->starts_at : NULL,
                               .hint = "For example, 9:30am or 14:00",
                               .width = "govuk-input--width-5"},
               forms_field_error(errors, "starts_at"));
    text_input(b,
               &(struct input){.id = "ends_at",
                               .label = "End time (UK time)",
                               .value = f ? f->ends_at : NULL,
                               .hint = "For example, 4pm or 16:00",
                               .width = "govuk-input--width-5"},
               forms_field_error(errors, "ends_at"));
    text_input(b,
               &(struct input){.id = "capacity",
                               .label = "Places",
                               .value = f ? f->capacity : NULL,
                               .hint = "Leave empty at a venue to offer all its places",
                               .width = "govuk-input--width-4",
                               .inputmode = "numeric"},
               forms_field_error(errors, "capacity"));

    options = arena_alloc(arena, sizeof(*options) * (d->staff_count + FACILITATORS_MAX + 1));
    size_t facilitators = facilitator_options(request, d, options, d->staff_count + FACILITATORS_MAX + 1);
    forms_select(b, "facilitator_id", "Facilitator", options, facilitators, f ? f->facilitator_id : "",
                 "They take the event's register", errors);
    forms_button(b, editing ? "Save changes" : "Schedule event", NULL);
    forms_end(b);
    html_printf(b, "</div></div>");
}

static size_t staff_options(struct request *request, struct form_option *options, size_t max);

static void cohort_page(struct request *request, int64_t id, const struct event_form *form, const struct errors *errors,
                        int status)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct cohort_delivery d;
    enum app_result s = cohort_delivery_get(&env, c, id, request_arena(request), &d);
    if (s != APP_OK) {
        page_refusal(request, s, NULL);
        return;
    }
    const struct cohort *co = &d.cohort;
    bool manage = may(request, PERM_DELIVERY_MANAGE, RESOURCE_COHORT, id);

    struct page page;
    begin(&page, co->code, SECTION_DELIVERY, errors);
    page_breadcrumbs(&page, request, "/delivery", "Delivery", NULL, NULL);
    static const struct notice notices[] = {{"event_added", "Event scheduled"},
                                            {"cohort_added", "Cohort added. Schedule its events and add its staff."},
                                            {"cohort_changed", "Cohort changed"},
                                            {"staff_added", "Added to the cohort's staff"},
                                            {"staff_removed", "Removed from the cohort's staff"}};
    const char *notice = errors && errors->count ? NULL : notice_for(request, notices, 5);
    if (notice != NULL)
        page_notice(&page, "success", notice);
    struct buf *b = &page.body;
    forms_error_summary(b, errors);
    html_printf(b,
                "<span class=\"govuk-caption-l\">Cohort</span><h1 class=\"govuk-heading-l\">%s</h1>"
                "<dl class=\"govuk-summary-list\">",
                co->code);
    summary_row(b, co->kind == STUDY_QUALIFICATION ? "Qualification" : "Module",
                page_text_markup(request,
                                 request_printf(request, "%s (%s)", study_title(c, co->kind, co->target), co->target)));
    summary_row(b, "Delivery partner",
                page_text_markup(request, co->delivery_partner_name ? co->delivery_partner_name : "None"));
    summary_row(b, "Delivery model", page_text_markup(request, delivery_model_title(co->delivery_model)));
    summary_row(b, "Dates",
                page_text_markup(request, request_printf(request, "%s to %s", page_date(request, co->starts_on, false),
                                                         page_date(request, co->ends_on, false))));
    summary_row(b, "Participants", page_text_markup(request, request_printf(request, "%zu", d.participant_count)));
    html_printf(b, "</dl>");
    if (programme_manager(request))
        html_printf(b,
                    "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/cohorts/%s/edit\">Change the cohort's "
                    "code, partner, delivery or dates</a></p>",
                    id_text(request, id));

    html_printf(b,
                "<h2 class=\"govuk-heading-m\" id=\"plan\">Plan</h2><p class=\"govuk-body\" "
                "data-testid=\"plan\">%s</p>",
                d.plan.sentence);
    if (d.warning != NULL)
        html_printf(b,
                    "<div class=\"govuk-warning-text\" data-testid=\"plan-warning\"><span class=\"govuk-warning-text__"
                    "icon\" aria-hidden=\"true\">!</span><strong class=\"govuk-warning-text__text\"><span "
                    "class=\"govuk-visually-hidden\">Warning</span> %s</strong></div>",
                    d.warning);

    html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"events\">Events</h2>");
    if (d.event_count == 0)
        html_printf(b, "<p class=\"govuk-body\">No events are scheduled yet.</p>");
    else
        events_table(b, request, d.events, d.event_count, d.event_count, false);

    html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"staff\">Staff</h2>");
    if (d.staff_count == 0)
        html_printf(b, "<p class=\"govuk-body\">No facilitators or coaches work with this cohort yet.</p>");
    else {
        html_printf(b, "<ul class=\"govuk-list\">");
        for (size_t i = 0; i < d.staff_count; i++) {
            html_printf(b, "<li data-testid=\"staff\">%s, %s", d.staff[i].name, role_title(d.staff[i].role));
            if (manage)
                page_post_button(b, request,
                                 request_printf(request, "/cohorts/%" PRId64 "/staff/%" PRId64 "/%s/remove", id,
                                                d.staff[i].user_id, role_name(d.staff[i].role)),
                                 "Remove", request_printf(request, " %s from the cohort", d.staff[i].name),
                                 "secondary");
            html_printf(b, "</li>");
        }
        html_printf(b, "</ul>");
    }
    if (manage) {
        struct form_option *options =
            arena_alloc(request_arena(request), sizeof(*options) * (2 * FACILITATORS_MAX + 1));
        size_t n = staff_options(request, options, 2 * FACILITATORS_MAX + 1);
        forms_begin(b, request, request_printf(request, "/cohorts/%" PRId64 "/staff", id));
        forms_select(b, "staff", "Add a facilitator or coach", options, n, forms_value(request, "staff"),
                     "They must hold the role already: grant it on their page under People", errors);
        forms_button(b, "Add to staff", "secondary");
        forms_end(b);
    }
    html_printf(b, "<h2 class=\"govuk-heading-m\">Participants</h2>");
    if (d.participant_count == 0)
        html_printf(b, "<p class=\"govuk-body\">Nobody is enrolled in this cohort yet.</p>");
    else {
        html_printf(b, "<ul class=\"govuk-list\">");
        for (size_t i = 0; i < d.participant_count; i++) {
            const struct cohort_participant *p = &d.participants[i];
            html_printf(b, "<li>%s", p->name);
            if (p->state != ENROLMENT_ACTIVE)
                html_printf(b, " (%s)", enrolment_state_title(p->state));
            if (may(request, PERM_ACTIVITIES, RESOURCE_ENROLMENT, p->enrolment_id))
                html_printf(b,
                            " – <a class=\"govuk-link\" href=\"/enrolments/%s/hours\">learning hours<span "
                            "class=\"govuk-visually-hidden\"> of %s</span></a>",
                            id_text(request, p->enrolment_id), p->name);
            html_printf(b, "</li>");
        }
        html_printf(b, "</ul>");
    }
    if (manage)
        event_form_render(b, request, c, &d, form, errors, NULL);
    page_send(request, &page, status);
}

void page_cohort(struct request *request)
{
    cohort_page(request, request_param_id(request, 0), NULL, NULL, 200);
}

/* The time of day in clock (as typed) on local_day, as UTC; errors at where. */
static int64_t event_time(bool day_ok, int64_t local_day, const char *clock, const char *where, const char *what,
                          struct errors *errors)
{
    if (*clock == '\0') {
        errors_add(errors, where, "Enter the %s time, like 9:30am or 14:00", what);
        return 0;
    }
    int minutes = forms_clock_minutes(clock);
    if (minutes < 0) {
        errors_add(errors, where, "Enter the %s time as a time of day, like 9:30am or 14:00", what);
        return 0;
    }
    int64_t utc = 0;
    if (day_ok && !date_uk_to_utc(local_day + (int64_t)minutes * 60, &utc))
        errors_add(errors, where, "The clocks go forward at 1am on this day, so there is no %s. Choose a time from 2am",
                   clock);
    return utc;
}

static const char *const event_fields[] = {"kind",     "title",       "module",        "framework_area",
                                           "venue_id", "joining_url", "date",          "starts_at",
                                           "ends_at",  "capacity",    "facilitator_id"};
enum { EVENT_FIELDS = sizeof(event_fields) / sizeof(event_fields[0]) };

/*
 * Reads the event form into f (as typed) and e (the values; e's id, cohort and sequence are
 * kept), with the form's own errors. What cannot be a value at all is refused here, in the form's
 * words. Returns whether the times are a stand-in: when the form itself was wrong, e has no start
 * or end, which the domain never lets through (an event needs both), so nothing is stored, and
 * what the rule then says of the times is left out.
 */
static bool event_form_read(struct request *request, struct event_form *f, struct event *e, bool *capacity_given,
                            struct errors *errors)
{
    *f = (struct event_form){
        .kind = forms_text(request, "kind"),
        .title = forms_text(request, "title"),
        .module = forms_text(request, "module"),
        .framework_area = forms_text(request, "framework_area"),
        .venue_id = forms_text(request, "venue_id"),
        .joining_url = forms_text(request, "joining_url"),
        .date = date_fields(request, "date"),
        .starts_at = forms_text(request, "starts_at"),
        .ends_at = forms_text(request, "ends_at"),
        .capacity = forms_text(request, "capacity"),
        .facilitator_id = forms_text(request, "facilitator_id"),
        .sequence = forms_text(request, "sequence"),
    };
    e->kind = DELIVERY_EVENT_KIND_COUNT;
    e->title = f->title;
    delivery_event_kind_parse(f->kind, &e->kind); /* unknown: the rule refuses KIND_COUNT in its words */
    e->module = *f->module ? f->module : NULL;
    e->joining_url = *f->joining_url ? f->joining_url : NULL;
    e->venue_id = forms_id(f->venue_id);
    if (e->venue_id < 0)
        errors_add(errors, "venue_id", "Choose a venue from the list");
    int area = *f->framework_area ? small_number(f->framework_area, 3) : 0;
    if (area < 0)
        errors_add(errors, "framework_area", "Choose a framework area from the list");
    e->framework_area = area > 0 ? area : 0;
    e->facilitator_id = forms_id(f->facilitator_id);
    if (e->facilitator_id < 0)
        errors_add(errors, "facilitator_id", "Choose a facilitator from the list");
    *capacity_given = *f->capacity != '\0';
    if (*capacity_given) {
        int places = small_number(f->capacity, 5);
        if (places < 0)
            errors_add(errors, "capacity", "Enter the number of places as a whole number, like 30");
        e->capacity = places;
    }
    int year, month, day;
    int64_t local_day = 0;
    bool day_ok = false;
    if (date_empty(&f->date))
        errors_add(errors, "date", "Enter the date of the event");
    else if (!date_numbers(&f->date, &year, &month, &day) || !(day_ok = date_local(year, month, day, &local_day)))
        errors_add(errors, "date", "Enter a real date, like 10 3 2027");
    e->starts_at = event_time(day_ok, local_day, f->starts_at, "starts_at", "start", errors);
    e->ends_at = event_time(day_ok, local_day, f->ends_at, "ends_at", "end", errors);

    bool stand_in = errors->count > 0;
    if (stand_in)
        e->starts_at = e->ends_at = 0;
    if (e->venue_id < 0)
        e->venue_id = 0;
    if (e->facilitator_id < 0)
        e->facilitator_id = 0;
    *capacity_given = *capacity_given && e->capacity >= 0;
    return stand_in;
}

void page_cohort_event_create(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    int64_t cohort_id = request_param_id(request, 0);
    struct event_form f;
    struct errors errors = ERRORS_INIT;
    struct event e = {.cohort_id = cohort_id};
    bool capacity_given;
    bool stand_in = event_form_read(request, &f, &e, &capacity_given, &errors);

    /* The use case still checks the rest, so every problem shows at once. */
    struct errors found = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result s = events_create(&env, c, request->caller, &e, capacity_given, &found);
    if (s == APP_OK && !stand_in) {
        reply_redirect(request, request_printf(request, "/cohorts/%" PRId64 "?notice=event_added#events", cohort_id));
    } else if (s == APP_INVALID || (s == APP_OK && stand_in)) {
        errors_merge(&errors, &found, stand_in);
        forms_errors_in_order(&errors, event_fields, EVENT_FIELDS);
        cohort_page(request, cohort_id, &f, &errors, 422);
    } else if (!page_refused(request, s, &found)) {
        errors_merge(&errors, &found, false);
        forms_errors_in_order(&errors, event_fields, EVENT_FIELDS);
        cohort_page(request, cohort_id, &f, &errors, page_status(s));
    }
    errors_free(&found);
    errors_free(&errors);
}

/* ---- Forms that add or change a record: cohorts and venues ---- */

/* The delivery partners as choices, after one that chooses none (labelled first). False when the
 * store failed. */
static bool partner_options(struct request *request, const char *first, struct form_option **out, size_t *count)
{
    struct organisation *partners;
    size_t n = 0;
    if (store_organisation_list(request->store, ORG_DELIVERY_PARTNER, NULL, NULL, request_arena(request), &partners,
                                &n) != STORE_OK)
        return false;
    *out = arena_alloc(request_arena(request), sizeof(**out) * (n + 1));
    (*out)[0] = (struct form_option){"", first};
    for (size_t i = 0; i < n; i++)
        (*out)[i + 1] = (struct form_option){id_text(request, partners[i].id), partners[i].name};
    *count = n + 1;
    return true;
}

/* Opens the page of a record's form, titled title, under Delivery and parent (parent_href NULL for
 * none), with its error summary and the form posting to action. Returns the body to write into. */
static struct buf *record_form_begin(struct page *page, struct request *request, const char *title,
                                     const char *parent_href, const char *parent_text, const struct errors *errors,
                                     const char *action)
{
    begin(page, title, SECTION_DELIVERY, errors);
    page_breadcrumbs(page, request, "/delivery", "Delivery", parent_href, parent_text);
    struct buf *b = &page->body;
    html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    forms_error_summary(b, errors);
    html_printf(b, "<h1 class=\"govuk-heading-l\">%s</h1>", title);
    forms_begin(b, request, action);
    return b;
}

/* Ends a record's form with its one button and sends the page. */
static void record_form_end(struct page *page, struct request *request, const char *button, int status)
{
    forms_button(&page->body, button, NULL);
    forms_end(&page->body);
    html_printf(&page->body, "</div></div>");
    page_send(request, page, status);
}

/*
 * The end of a record form's POST, once the use case has answered s (its errors in found, the
 * form's own in errors): 303 to done when it saved and the form refused nothing, and 0; otherwise
 * the status to show the form again with, errors then holding both in the order of fields; 0 too
 * when the result is one no form can put right and its page was sent.
 */
static int record_form_outcome(struct request *request, enum app_result s, struct errors *errors,
                               const struct errors *found, const char *const *fields, size_t field_count,
                               const char *done)
{
    if (s == APP_OK && errors->count == 0) {
        reply_redirect(request, done);
        return 0;
    }
    int again = page_form_again(request, s, found);
    if (again != 0) {
        errors_merge(errors, found, false);
        forms_errors_in_order(errors, fields, field_count);
    }
    return again;
}

/* ---- /cohorts/new, /cohorts/{id}/edit and the cohort's staff ---- */

/* The cohort form as typed. study is "qualification:CODE" or "module:CODE". */
struct cohort_form {
    const char *code, *study, *delivery_partner_id, *delivery_model;
    struct forms_date starts_on, ends_on;
};

static const char *const cohort_fields[] = {"code",      "target",  "delivery_model",
                                            "starts_on", "ends_on", "delivery_partner_id"};

static void cohort_form_page(struct request *request, const struct cohort *existing, const struct cohort_form *f,
                             const struct errors *errors, int status)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct arena *arena = request_arena(request);
    struct form_option *partners;
    size_t partner_count;
    if (!partner_options(request, "None yet", &partners, &partner_count)) {
        page_unavailable(request);
        return;
    }
    const char *self = existing ? request_printf(request, "/cohorts/%" PRId64, existing->id) : NULL;
    struct page page;
    struct buf *b = record_form_begin(&page, request, existing ? "Change the cohort" : "Add a cohort", self,
                                      existing ? existing->code : NULL, errors,
                                      existing ? request_printf(request, "%s/edit", self) : "/cohorts/new");
    text_input(b,
               &(struct input){.id = "code",
                               .label = "Code",
                               .value = f->code,
                               .hint = "How staff and participants tell it apart, like NPQSL-2027-NW-1",
                               .width = "govuk-input--width-20"},
               forms_field_error(errors, "code"));
    if (existing) {
        html_printf(b, "<dl class=\"govuk-summary-list\">");
        summary_row(b, "Studies",
                    page_text_markup(request, request_printf(request, "%s (%s)",
                                                             study_title(c, existing->kind, existing->target),
                                                             existing->target)));
        html_printf(b, "</dl><p class=\"govuk-body\">What a cohort studies cannot change: its enrolments count "
                       "towards it.</p>");
    } else {
        size_t n = c->qualification_count + c->module_count + 1;
        struct form_option *options = arena_alloc(arena, sizeof(*options) * n);
        options[0] = (struct form_option){"", "Choose a qualification or module"};
        for (size_t i = 0; i < c->qualification_count; i++)
            options[i + 1] = (struct form_option){
                request_printf(request, "qualification:%s", c->qualifications[i].code),
                request_printf(request, "%s: %s", c->qualifications[i].code, c->qualifications[i].title)};
        for (size_t i = 0; i < c->module_count; i++)
            options[c->qualification_count + i + 1] =
                (struct form_option){request_printf(request, "module:%s", c->modules[i].code),
                                     request_printf(request, "Module on its own: %s", c->modules[i].title)};
        forms_select(b, "target", "What it studies", options, n, f->study, NULL, errors);
    }
    static const struct radio_item models[] = {{"blended", "Blended: face-to-face and online"},
                                               {"online", "Online only"}};
    radios(b, request, "delivery_model", "delivery_model", "How is it delivered?", "s",
           "Its plan counts face-to-face events when blended, virtual live events when online", models, 2,
           f->delivery_model, forms_field_error(errors, "delivery_model"), false);
    forms_date_input(b, "starts_on", "Start date", "For example, 1 9 2027", &f->starts_on, errors);
    forms_date_input(b, "ends_on", "End date", "For example, 31 7 2028", &f->ends_on, errors);
    forms_select(b, "delivery_partner_id", "Delivery partner", partners, partner_count, f->delivery_partner_id,
                 "Its venues hold the cohort's face-to-face events, and its lead manages them", errors);
    record_form_end(&page, request, existing ? "Save changes" : "Add cohort", status);
}

void page_cohort_new(struct request *request)
{
    struct cohort_form f = {.code = "", .study = form_get(request_query(request), "target"), .delivery_model = ""};
    if (f.study != NULL && strchr(f.study, ':') == NULL)
        f.study = request_printf(request, "qualification:%s", f.study); /* ?target=NPQSL from a dead end */
    f.starts_on = f.ends_on = (struct forms_date){"", "", ""};
    f.delivery_partner_id = "";
    cohort_form_page(request, NULL, &f, NULL, 200);
}

void page_cohort_edit(struct request *request)
{
    struct cohort co;
    enum store_status s = store_cohort_get(request->store, request_param_id(request, 0), request_arena(request), &co);
    if (s != STORE_OK) {
        page_store_failed(request, s);
        return;
    }
    struct cohort_form f = {.code = co.code,
                            .delivery_model = delivery_model_name(co.delivery_model),
                            .delivery_partner_id =
                                co.delivery_partner_id ? id_text(request, co.delivery_partner_id) : "",
                            .starts_on = forms_date_of(request, co.starts_on),
                            .ends_on = forms_date_of(request, co.ends_on)};
    cohort_form_page(request, &co, &f, NULL, 200);
}

/* POST /cohorts/new and /cohorts/{id}/edit: the form read, then cohorts_save as the API calls it. */
static void cohort_save(struct request *request, const struct cohort *existing)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct cohort_form f = {.code = forms_text(request, "code"),
                            .study = forms_text(request, "target"),
                            .delivery_partner_id = forms_text(request, "delivery_partner_id"),
                            .delivery_model = forms_text(request, "delivery_model"),
                            .starts_on = forms_date_posted(request, "starts_on"),
                            .ends_on = forms_date_posted(request, "ends_on")};
    struct errors errors = ERRORS_INIT;
    struct cohort_input in = {.code = f.code, .delivery_model = *f.delivery_model ? f.delivery_model : NULL};
    if (existing == NULL) {
        const char *colon = strchr(f.study, ':');
        if (colon == NULL)
            errors_add(&errors, "target", "Choose what the cohort studies");
        else {
            in.kind = request_printf(request, "%.*s", (int)(colon - f.study), f.study);
            in.target = colon + 1;
        }
    }
    in.delivery_partner_id = forms_id(f.delivery_partner_id);
    if (in.delivery_partner_id < 0)
        errors_add(&errors, "delivery_partner_id", "Choose a delivery partner from the list");
    in.starts_on = forms_date_iso(request, &f.starts_on, "starts_on", "start", &errors);
    in.ends_on = forms_date_iso(request, &f.ends_on, "ends_on", "end", &errors);
    if (in.delivery_model == NULL)
        errors_add(&errors, "delivery_model", "Choose how the cohort is delivered");

    /* A field the form refused reaches the use case empty, which it refuses too: nothing is saved. */
    struct errors found = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t id = existing ? existing->id : 0;
    enum app_result s = cohorts_save(&env, c, &in, &id, &found);
    int again = record_form_outcome(
        request, s, &errors, &found, cohort_fields, sizeof(cohort_fields) / sizeof(cohort_fields[0]),
        request_printf(request, "/cohorts/%" PRId64 "?notice=%s", id, existing ? "cohort_changed" : "cohort_added"));
    if (again != 0)
        cohort_form_page(request, existing, &f, &errors, again);
    errors_free(&found);
    errors_free(&errors);
}

void page_cohort_create(struct request *request)
{
    cohort_save(request, NULL);
}

void page_cohort_update(struct request *request)
{
    struct cohort co;
    enum store_status s = store_cohort_get(request->store, request_param_id(request, 0), request_arena(request), &co);
    if (s != STORE_OK)
        page_store_failed(request, s);
    else
        cohort_save(request, &co);
}

/* People who may join a cohort's staff: "facilitator:ID" and "coach:ID" for each holder of the role. */
static size_t staff_options(struct request *request, struct form_option *options, size_t max)
{
    size_t n = 0;
    options[n++] = (struct form_option){"", "Choose a person"};
    static const enum role roles[] = {ROLE_FACILITATOR, ROLE_COACH};
    for (size_t r = 0; r < 2; r++) {
        struct user_filter filter = {.role = roles[r]};
        struct store_page choices = {.limit = FACILITATORS_MAX};
        struct user *people;
        size_t count = 0, total = 0;
        if (store_user_list(request->store, request->caller, &filter, &choices, request_arena(request), &people, &count,
                            &total) != STORE_OK)
            continue;
        for (size_t i = 0; i < count && n < max; i++)
            options[n++] =
                (struct form_option){request_printf(request, "%s:%" PRId64, role_name(roles[r]), people[i].id),
                                     request_printf(request, "%s, %s", people[i].name, role_title(roles[r]))};
    }
    return n;
}

void page_cohort_staff_add(struct request *request)
{
    int64_t id = request_param_id(request, 0);
    const char *chosen = forms_text(request, "staff");
    const char *colon = strchr(chosen, ':');
    struct errors found = ERRORS_INIT;
    enum app_result s = APP_INVALID;
    enum role role = ROLE_COUNT;
    int64_t user_id = colon ? forms_id(colon + 1) : 0;
    if (colon == NULL || user_id <= 0 ||
        !role_parse(request_printf(request, "%.*s", (int)(colon - chosen), chosen), &role))
        errors_add(&found, "staff", "Choose the person to add to the cohort");
    else {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        s = cohort_staff_add(&env, request->caller, id, user_id, role, &found);
    }
    if (s == APP_OK) {
        reply_redirect(request, request_printf(request, "/cohorts/%" PRId64 "?notice=staff_added#staff", id));
    } else if (!page_refused(request, s, &found)) {
        struct errors errors = ERRORS_INIT;
        errors_at(&errors, &found, "staff");
        cohort_page(request, id, NULL, &errors, page_status(s));
        errors_free(&errors);
    }
    errors_free(&found);
}

void page_cohort_staff_remove(struct request *request)
{
    int64_t id = request_param_id(request, 0);
    int64_t user_id = request_param_id(request, 1);
    enum role role = ROLE_COUNT;
    struct errors found = ERRORS_INIT;
    enum app_result s = APP_NOT_FOUND;
    if (role_parse(request_printf(request, "%.*s", (int)request->params[2].len, request->params[2].ptr), &role)) {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        s = cohort_staff_remove(&env, id, user_id, role, &found);
    }
    if (s == APP_OK) {
        reply_redirect(request, request_printf(request, "/cohorts/%" PRId64 "?notice=staff_removed#staff", id));
    } else if ((s == APP_NOT_FOUND && found.count > 0) || !page_refused(request, s, &found)) {
        /* The gate found the cohort: a person not on its staff is its state, not a missing page. */
        struct errors errors = ERRORS_INIT;
        errors_at(&errors, &found, "staff");
        cohort_page(request, id, NULL, &errors, s == APP_NOT_FOUND ? 409 : page_status(s));
        errors_free(&errors);
    }
    errors_free(&found);
}

/* ---- /venues ---- */

void page_venues(struct request *request)
{
    struct venue *venues;
    size_t count = 0;
    if (store_venue_list(request->store, 0, request_arena(request), &venues, &count) != STORE_OK) {
        page_unavailable(request);
        return;
    }
    struct page page;
    begin(&page, "Venues", SECTION_DELIVERY, NULL);
    page_breadcrumbs(&page, request, "/delivery", "Delivery", NULL, NULL);
    static const struct notice notices[] = {{"venue_added", "Venue added"}, {"venue_changed", "Venue changed"}};
    const char *notice = notice_for(request, notices, 2);
    if (notice != NULL)
        page_notice(&page, "success", notice);
    struct buf *b = &page.body;
    html_printf(b, "<h1 class=\"govuk-heading-l\">Venues</h1><p class=\"govuk-body\">Where the delivery partners hold "
                   "face-to-face events.</p>");
    if (may(request, PERM_DELIVERY_MANAGE, RESOURCE_NONE, 0))
        html_printf(b, "<p class=\"govuk-body\"><a class=\"govuk-button\" href=\"/venues/new\">Add a venue</a></p>");
    if (count == 0) {
        html_printf(b, "<p class=\"govuk-body\">There are no venues yet.</p>");
    } else {
        for (size_t i = 0; i < count; i++) {
            const struct venue *v = &venues[i];
            html_printf(b,
                        "<div class=\"govuk-summary-card\" data-testid=\"venue\"><div class=\"govuk-summary-card__"
                        "title-wrapper\"><h2 class=\"govuk-summary-card__title\">%s</h2>",
                        v->name);
            if (may(request, PERM_DELIVERY_MANAGE, RESOURCE_VENUE, v->id))
                html_printf(b,
                            "<ul class=\"govuk-summary-card__actions\"><li class=\"govuk-summary-card__action\"><a "
                            "class=\"govuk-link\" href=\"/venues/%s/edit\">Change<span class=\"govuk-visually-"
                            "hidden\"> %s</span></a></li></ul>",
                            id_text(request, v->id), v->name);
            html_printf(b, "</div><div class=\"govuk-summary-card__content\"><dl class=\"govuk-summary-list\">");
            summary_row(b, "Delivery partner",
                        page_text_markup(request, v->delivery_partner_name ? v->delivery_partner_name : ""));
            summary_row(b, "Address",
                        page_text_markup(request, request_printf(request, "%s%s%s", v->address ? v->address : "",
                                                                 v->address && *v->address ? ", " : "", v->postcode)));
            summary_row(b, "Places", page_text_markup(request, request_printf(request, "%d", v->capacity)));
            if (v->accessibility && *v->accessibility)
                summary_row(b, "Accessibility", page_text_markup(request, v->accessibility));
            html_printf(b, "</dl></div></div>");
        }
    }
    page_send(request, &page, 200);
}

struct venue_form {
    const char *delivery_partner_id, *name, *address, *postcode, *capacity, *accessibility;
};

static const char *const venue_fields[] = {"delivery_partner_id", "name", "address", "postcode", "capacity",
                                           "accessibility"};

static void venue_form_page(struct request *request, const struct venue *existing, const struct venue_form *f,
                            const struct errors *errors, int status)
{
    struct form_option *partners = NULL;
    size_t partner_count = 0;
    if (existing == NULL && !partner_options(request, "Choose a delivery partner", &partners, &partner_count)) {
        page_unavailable(request);
        return;
    }
    struct page page;
    struct buf *b =
        record_form_begin(&page, request, existing ? "Change the venue" : "Add a venue", "/venues", "Venues", errors,
                          existing ? request_printf(request, "/venues/%" PRId64 "/edit", existing->id) : "/venues/new");
    if (existing == NULL) {
        forms_select(b, "delivery_partner_id", "Delivery partner", partners, partner_count, f->delivery_partner_id,
                     "A partner lead adds venues for the partner they lead", errors);
    } else {
        html_printf(b, "<p class=\"govuk-body\">Delivery partner: %s</p>",
                    existing->delivery_partner_name ? existing->delivery_partner_name : "");
    }
    forms_input(b, "name", "Name", "text", f->name, NULL, NULL, errors);
    forms_textarea(b, "address", "Address", f->address, NULL, 3, errors);
    text_input(b,
               &(struct input){.id = "postcode",
                               .label = "Postcode",
                               .value = f->postcode,
                               .width = "govuk-input--width-10",
                               .autocomplete = "postal-code"},
               forms_field_error(errors, "postcode"));
    text_input(b,
               &(struct input){.id = "capacity",
                               .label = "Places",
                               .value = f->capacity,
                               .hint = "How many people the venue holds",
                               .width = "govuk-input--width-4",
                               .inputmode = "numeric"},
               forms_field_error(errors, "capacity"));
    forms_textarea(b, "accessibility", "Accessibility", f->accessibility,
                   "Step-free access, parking, hearing loops: what participants need to know", 4, errors);
    record_form_end(&page, request, existing ? "Save changes" : "Add venue", status);
}

void page_venue_new(struct request *request)
{
    struct venue_form f = {"", "", "", "", "", ""};
    venue_form_page(request, NULL, &f, NULL, 200);
}

void page_venue_edit(struct request *request)
{
    struct venue v;
    enum store_status s = store_venue_get(request->store, request_param_id(request, 0), request_arena(request), &v);
    if (s != STORE_OK) {
        page_store_failed(request, s);
        return;
    }
    struct venue_form f = {"", v.name, v.address, v.postcode, id_text(request, v.capacity), v.accessibility};
    venue_form_page(request, &v, &f, NULL, 200);
}

/* POST /venues/new and /venues/{id}/edit: venues_save as the API calls it. */
static void venue_save(struct request *request, struct venue *existing)
{
    struct venue_form f = {forms_text(request, "delivery_partner_id"),
                           forms_text(request, "name"),
                           forms_text(request, "address"),
                           forms_text(request, "postcode"),
                           forms_text(request, "capacity"),
                           forms_text(request, "accessibility")};
    struct errors errors = ERRORS_INIT;
    struct venue v = existing ? *existing : (struct venue){0};
    if (existing == NULL) {
        v.delivery_partner_id = forms_id(f.delivery_partner_id);
        if (v.delivery_partner_id < 0) {
            errors_add(&errors, "delivery_partner_id", "Choose a delivery partner from the list");
            v.delivery_partner_id = 0;
        }
    }
    v.name = f.name;
    v.address = f.address;
    v.postcode = f.postcode;
    v.accessibility = f.accessibility;
    v.capacity = 0; /* refused by the use case when not a number from 1 */
    if (*f.capacity != '\0') {
        int places = small_number(f.capacity, 5);
        if (places < 0)
            errors_add(&errors, "capacity", "Enter the number of places as a whole number, like 30");
        else
            v.capacity = places;
    }
    struct errors found = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    /* What the form refused reaches the use case as nothing it accepts (no places, no partner). */
    enum app_result s = venues_save(&env, request->caller, &v, request_arena(request), &found);
    int again =
        record_form_outcome(request, s, &errors, &found, venue_fields, sizeof(venue_fields) / sizeof(venue_fields[0]),
                            request_printf(request, "/venues?notice=%s", existing ? "venue_changed" : "venue_added"));
    if (again != 0)
        venue_form_page(request, existing, &f, &errors, again);
    errors_free(&found);
    errors_free(&errors);
}

void page_venue_create(struct request *request)
{
    venue_save(request, NULL);
}

void page_venue_update(struct request *request)
{
    struct venue v;
    enum store_status s = store_venue_get(request->store, request_param_id(request, 0), request_arena(request), &v);
    if (s != STORE_OK)
        page_store_failed(request, s);
    else
        venue_save(request, &v);
}

/* ---- /events/{id} ---- */

/* The form an administrator books a participant of the event's cohort with: those enrolled and not
 * booked yet. False when the store failed. */
static bool place_form(struct buf *b, struct request *request, const struct event *e, const struct booking *booked,
                       size_t booked_count)
{
    struct cohort_participant *people;
    size_t count = 0;
    if (store_cohort_participants(request->store, e->cohort_id, request_arena(request), &people, &count) != STORE_OK)
        return false;
    struct form_option *options = arena_alloc(request_arena(request), sizeof(*options) * (count + 1));
    size_t n = 0;
    options[n++] = (struct form_option){"", "Choose a participant"};
    for (size_t i = 0; i < count; i++) {
        bool has_place = false;
        for (size_t k = 0; k < booked_count && !has_place; k++)
            has_place = booked[k].user_id == people[i].user_id;
        if (!has_place && people[i].state == ENROLMENT_ACTIVE)
            options[n++] = (struct form_option){id_text(request, people[i].user_id), people[i].name};
    }
    if (n == 1) {
        html_printf(b, "<p class=\"govuk-body\">Everyone enrolled in cohort %s has a place.</p>", e->cohort_code);
        return true;
    }
    forms_begin(b, request, request_printf(request, "/events/%" PRId64 "/places", e->id));
    forms_select(b, "user_id", "Book a participant of the cohort", options, n, "", NULL, NULL);
    forms_button(b, "Book a place", "secondary");
    forms_end(b);
    return true;
}

static void event_page(struct request *request, int64_t id, const struct errors *errors, int status)
{
    struct store *store = request->store;
    struct arena *arena = request_arena(request);
    struct event e;
    enum store_status s = store_event_get(store, id, arena, &e);
    if (s != STORE_OK) {
        page_store_failed(request, s);
        return;
    }
    const struct relation *relation = &request->relation; /* the event in the URL, id */
    const struct caller *caller = request->caller;
    bool manage = policy_allows(PERM_DELIVERY_MANAGE, caller, RESOURCE_EVENT, relation);
    bool attendance = policy_allows(PERM_ATTENDANCE, caller, RESOURCE_EVENT, relation);
    bool booking =
        policy_is_participant_of(caller, relation) && policy_allows(PERM_BOOKING, caller, RESOURCE_EVENT, relation);
    bool cohort_visible = may(request, PERM_DELIVERY_READ, RESOURCE_COHORT, e.cohort_id);
    int64_t now = request->now;
    bool cancelled = e.cancelled_at != 0, started = now >= e.starts_at;
    const char *self = request_printf(request, "/events/%" PRId64, id);

    struct page page;
    begin(&page, e.title, SECTION_DELIVERY, errors);
    if (cohort_visible)
        page_breadcrumbs(&page, request, "/delivery", "Delivery",
                         request_printf(request, "/cohorts/%" PRId64, e.cohort_id), e.cohort_code);
    else
        page_breadcrumbs(&page, request, "/delivery", "Delivery", NULL, NULL);
    static const struct notice notices[] = {
        {"booked", "You have a place on this event. It is in your calendar address and we will email you."},
        {"unbooked", "You have given your place back"},
        {"cancelled", "The event is cancelled. Everyone booked on it will be told."},
        {"changed", "Event changed. Everyone booked on it will be told."},
        {"place_added", "Place booked. The participant will be emailed."},
        {"place_removed", "Place given back."},
    };
    const char *notice = errors && errors->count ? NULL : notice_for(request, notices, 6);
    if (notice != NULL)
        page_notice(&page, "success", notice);
    struct buf *b = &page.body;
    forms_error_summary(b, errors);
    html_printf(b, "<span class=\"govuk-caption-l\">%s, cohort %s</span><h1 class=\"govuk-heading-l\">%s</h1>",
                delivery_event_kind_title(e.kind), e.cohort_code, e.title);
    if (cancelled)
        html_printf(b,
                    "<div class=\"govuk-warning-text\"><span class=\"govuk-warning-text__icon\" aria-hidden=\"true\">"
                    "!</span><strong class=\"govuk-warning-text__text\"><span class=\"govuk-visually-hidden\">Warning"
                    "</span> This event has been cancelled.</strong></div>");

    html_printf(b, "<dl class=\"govuk-summary-list\">");
    summary_row(b, "When", page_text_markup(request, page_time_range(request, e.starts_at, e.ends_at)));
    summary_row(b, "Where", page_text_markup(request, event_place(request, &e)));
    if (e.joining_url != NULL && *e.joining_url) {
        struct buf link;
        buf_init(&link, 8 * 1024);
        html_printf(&link, "<a class=\"govuk-link\" href=\"%s\" rel=\"noopener noreferrer\">%s</a>", e.joining_url,
                    e.joining_url);
        summary_row(b, "Joining link", page_markup(request, &link));
    }
    if (e.module != NULL) {
        const struct catalogue *c = request_catalogue(request);
        summary_row(b, "Module", page_text_markup(request, c ? page_module_title(c, e.module) : e.module));
    }
    if (e.framework_area != 0)
        summary_row(b, "Framework area",
                    page_text_markup(request, request_printf(request, "Area %d", e.framework_area)));
    summary_row(b, "Facilitator", page_text_markup(request, e.facilitator_id ? e.facilitator_name : "Not named yet"));
    int left = cancelled || e.booked >= e.capacity ? 0 : e.capacity - e.booked;
    summary_row(
        b, "Places",
        page_text_markup(request, request_printf(request, "%d of %d booked, %d left", e.booked, e.capacity, left)));
    html_printf(b,
                "</dl><p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/api/v1/events/%s/ics\" download>"
                "Add to calendar<span class=\"govuk-visually-hidden\"> (an .ics file)</span></a> or <a "
                "class=\"govuk-link\" href=\"/account/calendar\">get your calendar address</a></p>",
                id_text(request, id));

    if (booking) {
        bool booked = false;
        if (store_booking_exists(store, id, caller->user_id, &booked) != STORE_OK) {
            page_send(request, &page, 503);
            return;
        }
        html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"booking\">Your place</h2>");
        if (booked) {
            html_printf(b, "<p class=\"govuk-body\" data-testid=\"booking-state\">You have a place on this event.</p>");
            if (!cancelled && !started)
                page_post_button(b, request, request_printf(request, "%s/unbook", self), "Cancel my place", NULL,
                                 "secondary");
        } else {
            /* Whether a place can be taken, and if not why, in the domain's words. */
            struct errors why = ERRORS_INIT;
            if (delivery_booking_check(e.capacity, e.booked, false, cancelled, started, &why)) {
                html_printf(b, "<p class=\"govuk-body\" data-testid=\"booking-state\">%d %s left.</p>", left,
                            left == 1 ? "place" : "places");
                page_post_button(b, request, request_printf(request, "%s/book", self), "Book a place", NULL, NULL);
            } else {
                html_printf(b, "<div class=\"govuk-inset-text\" data-testid=\"booking-state\">%s.</div>",
                            why.items[0].message);
            }
            errors_free(&why);
        }
    }

    /* An administrator books participants of the cohort and gives their places back
     * (bookings_make and bookings_cancel ask the same predicate). */
    bool for_others = policy_acts_for_others(caller);
    if (attendance || for_others) {
        html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"places\">%s</h2>", attendance ? "The register" : "Places");
        struct booking *list;
        size_t count = 0;
        s = store_booking_list(store, id, arena, &list, &count);
        if (s != STORE_OK) {
            page_send(request, &page, 503);
            return;
        }
        if (count > 0 && for_others) {
            html_printf(b, "<dl class=\"govuk-summary-list\" data-testid=\"booked\">");
            for (size_t i = 0; i < count; i++) {
                html_printf(b,
                            "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">%s</dt>"
                            "<dd class=\"govuk-summary-list__actions\">",
                            list[i].user_name);
                if (!cancelled && !started)
                    page_post_button(b, request,
                                     request_printf(request, "%s/places/%" PRId64 "/remove", self, list[i].user_id),
                                     "Remove", list[i].user_name, "secondary");
                html_printf(b, "</dd></div>");
            }
            html_printf(b, "</dl>");
        } else if (count > 0) {
            html_printf(b, "<p class=\"govuk-body\">Booked:</p><ul class=\"govuk-list govuk-list--bullet\">");
            for (size_t i = 0; i < count; i++)
                html_printf(b, "<li>%s</li>", list[i].user_name);
            html_printf(b, "</ul>");
        } else {
            html_printf(b, "<p class=\"govuk-body\">Nobody is booked yet.</p>");
        }
        if (for_others && !cancelled && !started && !place_form(b, request, &e, list, count)) {
            page_send(request, &page, 503);
            return;
        }
    }
    if (attendance) {
        if (!cancelled)
            html_printf(b,
                        "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"%s/register\">Take the register"
                        "</a></p>",
                        self);
    }
    if (manage && !cancelled) {
        html_printf(b,
                    "<h2 class=\"govuk-heading-m\">Change or cancel</h2><p class=\"govuk-body\"><a "
                    "class=\"govuk-link\" href=\"%s/edit\">Change the event</a></p><p class=\"govuk-body\">Everyone "
                    "booked on it is told by email of a change or a cancellation, and their calendars take it.</p>"
                    "<a class=\"govuk-button govuk-button--warning\" href=\"%s/cancel\">Cancel this event</a>",
                    self, self);
    }
    page_send(request, &page, status);
}

void page_event(struct request *request)
{
    event_page(request, request_param_id(request, 0), NULL, 200);
}

/* The end of a POST to an event's page: back to it with a notice, or the page with the refusal. */
static void event_step_done(struct request *request, int64_t id, enum app_result s, const struct errors *found,
                            const char *where, const char *notice)
{
    if (s == APP_OK) {
        reply_redirect(request, request_printf(request, "/events/%" PRId64 "?notice=%s", id, notice));
        return;
    }
    if ((s != APP_NOT_FOUND || found->count == 0) && page_refused(request, s, found))
        return;
    struct errors errors = ERRORS_INIT;
    errors_at(&errors, found, where);
    if (errors.count == 0)
        errors_add(&errors, "booking", "This cannot be done to the event as it is now");
    /* The gate found the event: what is missing with a reason ("You have no place on this event")
     * is the state of the record, not the page. */
    event_page(request, id, &errors, s == APP_NOT_FOUND ? 409 : page_status(s));
    errors_free(&errors);
}

void page_event_book(struct request *request)
{
    int64_t id = request_param_id(request, 0), booking_id = 0;
    struct errors found = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result s = bookings_make(&env, request->caller, id, 0, &booking_id, &found);
    event_step_done(request, id, s, &found, "booking", "booked");
    errors_free(&found);
}

void page_event_unbook(struct request *request)
{
    int64_t id = request_param_id(request, 0);
    struct errors found = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result s = bookings_cancel(&env, request->caller, id, request->caller->user_id, &found);
    event_step_done(request, id, s, &found, "booking", "unbooked");
    errors_free(&found);
}

void page_event_place_add(struct request *request)
{
    int64_t id = request_param_id(request, 0), booking_id = 0;
    int64_t user_id = forms_id(forms_text(request, "user_id"));
    struct errors found = ERRORS_INIT;
    enum app_result s;
    if (user_id <= 0) {
        errors_add(&found, "user_id", "Choose the participant to book");
        s = APP_INVALID;
    } else {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        s = bookings_make(&env, request->caller, id, user_id, &booking_id, &found);
    }
    event_step_done(request, id, s, &found, "places", "place_added");
    errors_free(&found);
}

void page_event_place_remove(struct request *request)
{
    int64_t id = request_param_id(request, 0), user_id = request_param_id(request, 1);
    struct errors found = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result s = user_id > 0 ? bookings_cancel(&env, request->caller, id, user_id, &found) : APP_NOT_FOUND;
    event_step_done(request, id, s, &found, "places", "place_removed");
    errors_free(&found);
}

void page_event_cancel(struct request *request)
{
    int64_t id = request_param_id(request, 0);
    struct errors found = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result s = events_cancel(&env, id, &found);
    event_step_done(request, id, s, &found, "booking", "cancelled");
    errors_free(&found);
}

/* ---- /events/{id}/edit and the confirmation before cancelling ---- */

/* The event as its form shows it: UK dates and times, ids as text. */
static struct event_form event_form_of(struct request *request, const struct event *e)
{
    int64_t local = e->starts_at + date_uk_offset(e->starts_at);
    int64_t local_end = e->ends_at + date_uk_offset(e->ends_at);
    time_t t = (time_t)local, t_end = (time_t)local_end;
    struct tm tm, tm_end;
    gmtime_r(&t, &tm);
    gmtime_r(&t_end, &tm_end);
    return (struct event_form){
        .kind = delivery_event_kind_name(e->kind),
        .title = e->title,
        .module = e->module ? e->module : "",
        .framework_area = e->framework_area ? request_printf(request, "%d", e->framework_area) : "",
        .venue_id = e->venue_id ? id_text(request, e->venue_id) : "",
        .joining_url = e->joining_url ? e->joining_url : "",
        .date = {request_printf(request, "%d", tm.tm_mday), request_printf(request, "%d", tm.tm_mon + 1),
                 request_printf(request, "%d", tm.tm_year + 1900)},
        .starts_at = request_printf(request, "%d:%02d", tm.tm_hour, tm.tm_min),
        .ends_at = request_printf(request, "%d:%02d", tm_end.tm_hour, tm_end.tm_min),
        .capacity = request_printf(request, "%d", e->capacity),
        .facilitator_id = e->facilitator_id ? id_text(request, e->facilitator_id) : "",
        .sequence = id_text(request, e->sequence),
    };
}

static void event_edit_page(struct request *request, const struct event *e, const struct event_form *f,
                            const struct errors *errors, int status)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct cohort_delivery d;
    enum app_result s = cohort_delivery_get(&env, c, e->cohort_id, request_arena(request), &d);
    if (s != APP_OK) {
        page_refusal(request, s, NULL);
        return;
    }
    struct page page;
    begin(&page, "Change the event", SECTION_DELIVERY, errors);
    page_breadcrumbs(&page, request, request_printf(request, "/cohorts/%" PRId64, e->cohort_id), e->cohort_code,
                     request_printf(request, "/events/%" PRId64, e->id), e->title);
    struct buf *b = &page.body;
    forms_error_summary(b, errors);
    html_printf(b,
                "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\" id=\"event_id\">Change the "
                "event</h1><p class=\"govuk-body\">Everyone booked is told of a new time or place, and calendars "
                "take the change.</p>",
                e->title);
    if (e->cancelled_at != 0)
        html_printf(b, "<p class=\"govuk-body\">This event has been cancelled, so it can no longer be changed.</p>");
    else
        event_form_render(b, request, c, &d, f, errors, e);
    page_send(request, &page, e->cancelled_at != 0 && status == 200 ? 409 : status);
}

void page_event_edit(struct request *request)
{
    struct event e;
    enum store_status s = store_event_get(request->store, request_param_id(request, 0), request_arena(request), &e);
    if (s != STORE_OK) {
        page_store_failed(request, s);
        return;
    }
    struct event_form f = event_form_of(request, &e);
    event_edit_page(request, &e, &f, NULL, 200);
}

void page_event_update(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct event before;
    enum store_status found_event =
        store_event_get(request->store, request_param_id(request, 0), request_arena(request), &before);
    if (found_event != STORE_OK) {
        page_store_failed(request, found_event);
        return;
    }
    struct event shown = before;
    struct event_form f;
    struct errors errors = ERRORS_INIT;
    struct event changed = before;
    bool capacity_given;
    bool stand_in = event_form_read(request, &f, &changed, &capacity_given, &errors);
    /* The version the form showed: if someone changed the event since, the use case refuses. */
    int sequence = small_number(f.sequence, 9);
    if (sequence >= 0)
        before.sequence = sequence;
    if (!capacity_given) {
        /* Empty at a venue: all its places; elsewhere the places stay as they were. */
        struct venue v;
        changed.capacity = shown.capacity;
        if (changed.venue_id > 0 &&
            store_venue_get(request->store, changed.venue_id, request_arena(request), &v) == STORE_OK)
            changed.capacity = v.capacity;
    }
    struct errors found = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result s = events_update(&env, c, request->caller, &before, &changed, &found);
    int again; /* the status to show the form again with */
    if (s == APP_OK && !stand_in) {
        reply_redirect(request, request_printf(request, "/events/%" PRId64 "?notice=changed", before.id));
    } else if ((again = page_form_again(request, s, &found)) != 0) {
        errors_merge(&errors, &found, stand_in);
        forms_errors_in_order(&errors, event_fields, EVENT_FIELDS);
        event_edit_page(request, &shown, &f, &errors, again);
    }
    errors_free(&found);
    errors_free(&errors);
}

/* GET /events/{id}/cancel: what cancelling does, and the one button that does it. */
void page_event_cancel_confirm(struct request *request)
{
    int64_t id = request_param_id(request, 0);
    struct event e;
    enum store_status s = store_event_get(request->store, id, request_arena(request), &e);
    if (s != STORE_OK) {
        page_store_failed(request, s);
        return;
    }
    const char *self = request_printf(request, "/events/%" PRId64, id);
    struct page page;
    begin(&page, "Cancel the event", SECTION_DELIVERY, NULL);
    page_breadcrumbs(&page, request, request_printf(request, "/cohorts/%" PRId64, e.cohort_id), e.cohort_code, self,
                     e.title);
    struct buf *b = &page.body;
    html_printf(b,
                "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\"><span "
                "class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\">Are you sure you want to cancel this "
                "event?</h1><p class=\"govuk-body\">%s, %s.</p>",
                e.title, page_time_range(request, e.starts_at, e.ends_at), event_place(request, &e));
    if (e.cancelled_at != 0) {
        html_printf(b,
                    "<p class=\"govuk-body\">It has been cancelled already.</p><p class=\"govuk-body\"><a "
                    "class=\"govuk-link\" href=\"%s\">Back to the event</a></p></div></div>",
                    self);
        page_send(request, &page, 409);
        return;
    }
    html_printf(b,
                "<div class=\"govuk-warning-text\"><span class=\"govuk-warning-text__icon\" aria-hidden=\"true\">!"
                "</span><strong class=\"govuk-warning-text__text\"><span class=\"govuk-visually-hidden\">Warning"
                "</span> %s booked on it will be emailed, and it is marked cancelled in calendars. This cannot be "
                "undone.</strong></div>",
                e.booked == 1 ? "The 1 person" : request_printf(request, "All %d people", e.booked));
    forms_begin(b, request, request_printf(request, "%s/cancel", self));
    html_printf(b, "<div class=\"govuk-button-group\">");
    forms_button(b, "Yes, cancel the event", "warning");
    html_printf(b, "<a class=\"govuk-link\" href=\"%s\">No, keep it</a></div>", self);
    forms_end(b);
    html_printf(b, "</div></div>");
    page_send(request, &page, 200);
}

/* ---- /events/{id}/register ---- */

/*
 * The register as a form for a phone: one fieldset a person with four large radios side by side
 * (Present, Late, Absent, Excused), the saved mark chosen, and for a person already marked a text
 * box for the reason of a correction. posted (or NULL) holds what was sent, shown again with the
 * errors; field_errors are at "mark-ID" and "reason-ID", summary the same with each person's name.
 */
static void register_page(struct request *request, int64_t id, const struct attendance_input *posted,
                          size_t posted_count, const struct errors *field_errors, const struct errors *summary,
                          int status)
{
    struct store *store = request->store;
    struct arena *arena = request_arena(request);
    struct event e;
    struct attendance_line *lines = NULL;
    size_t count = 0;
    enum store_status s = store_event_get(store, id, arena, &e);
    if (s == STORE_OK)
        s = store_attendance_register(store, id, arena, &lines, &count);
    if (s != STORE_OK) {
        page_store_failed(request, s);
        return;
    }
    int64_t now = request->now, opens = e.starts_at - DELIVERY_ATTENDANCE_EARLY_SECONDS;
    const char *self = request_printf(request, "/events/%" PRId64, id);

    struct page page;
    begin(&page, request_printf(request, "Register: %s", e.title), SECTION_DELIVERY, summary);
    page_breadcrumbs(&page, request, "/delivery", "Delivery", self, e.title);
    static const struct notice notices[] = {{"saved", "Register saved"}};
    const char *notice = summary && summary->count ? NULL : notice_for(request, notices, 1);
    if (notice != NULL)
        page_notice(&page, "success", notice);
    struct buf *b = &page.body;
    forms_error_summary(b, summary);
    html_printf(b,
                "<span class=\"govuk-caption-l\">Register</span><h1 class=\"govuk-heading-l\">%s</h1>"
                "<p class=\"govuk-body\">%s<br>%s</p>",
                e.title, page_time_range(request, e.starts_at, e.ends_at), event_place(request, &e));
    if (e.cancelled_at != 0) {
        html_printf(b, "<p class=\"govuk-body\">This event has been cancelled, so it has no register to take.</p>");
        page_send(request, &page, status);
        return;
    }
    if (count == 0) {
        html_printf(b, "<p class=\"govuk-body\">Nobody is booked on this event.</p>");
        page_send(request, &page, status);
        return;
    }
    if (now < opens)
        html_printf(b,
                    "<div class=\"govuk-inset-text\">The register opens on %s, 30 minutes before the event "
                    "starts.</div>",
                    page_time(request, opens, DATE_MOMENT));
    html_printf(b, "<p class=\"govuk-body\">Choose a mark for each person. To change a saved mark, say why.</p>");
    html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    forms_begin(b, request, request_printf(request, "%s/register", self));
    static const struct radio_item marks[DELIVERY_ATTENDANCE_MARK_COUNT] = {
        {"present", "Present"}, {"late", "Late"}, {"absent", "Absent"}, {"excused", "Excused"}};
    for (size_t i = 0; i < count; i++) {
        const struct attendance_line *l = &lines[i];
        const char *uid = id_text(request, l->user_id);
        const char *mark_id = request_printf(request, "mark-%s", uid);
        const char *reason_id = request_printf(request, "reason-%s", uid);
        const char *selected = l->marked ? delivery_attendance_mark_name(l->mark) : NULL;
        const char *reason = NULL;
        for (size_t k = 0; k < posted_count; k++)
            if (posted[k].user_id == l->user_id) {
                selected = posted[k].mark;
                reason = posted[k].reason;
            }
        const char *hint =
            l->marked ? request_printf(request, "Saved: %s, by %s on %s%s%s", delivery_attendance_mark_title(l->mark),
                                       l->recorded_by_name && *l->recorded_by_name ? l->recorded_by_name : "someone",
                                       page_time(request, l->recorded_at, DATE_MOMENT),
                                       l->reason && *l->reason ? ". Reason: " : "", l->reason ? l->reason : "")
                      : NULL;
        html_printf(b, "<div class=\"npq-register-person\" data-testid=\"register-person\">");
        radios(b, request, mark_id, mark_id, l->user_name, "m", hint, marks, DELIVERY_ATTENDANCE_MARK_COUNT, selected,
               forms_field_error(field_errors, mark_id), true);
        if (l->marked)
            text_input(b,
                       &(struct input){.id = reason_id,
                                       .label = "Reason for a correction",
                                       .value = reason,
                                       .hint = NULL,
                                       .autocomplete = "off"},
                       forms_field_error(field_errors, reason_id));
        html_printf(b, "</div>");
    }
    forms_button(b, "Save register", NULL);
    forms_end(b);
    html_printf(b, "</div></div>");
    page_send(request, &page, status);
}

void page_event_register(struct request *request)
{
    register_page(request, request_param_id(request, 0), NULL, 0, NULL, NULL, 200);
}

void page_event_register_save(struct request *request)
{
    int64_t id = request_param_id(request, 0);
    struct store *store = request->store;
    struct attendance_line *lines = NULL;
    size_t count = 0;
    enum store_status st = store_attendance_register(store, id, request_arena(request), &lines, &count);
    if (st != STORE_OK) {
        page_store_failed(request, st);
        return;
    }
    /* A mark for each person on the register whose radios were chosen. */
    struct attendance_input *inputs = request_alloc(request, sizeof(*inputs) * (count ? count : 1));
    const char **names = request_alloc(request, sizeof(*names) * (count ? count : 1));
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        const char *uid = id_text(request, lines[i].user_id);
        const char *mark = forms_text(request, request_printf(request, "mark-%s", uid));
        const char *reason = forms_text(request, request_printf(request, "reason-%s", uid));
        if (*mark == '\0')
            continue;
        names[n] = lines[i].user_name;
        inputs[n++] = (struct attendance_input){lines[i].user_id, mark, *reason ? reason : NULL};
    }
    struct errors found = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result s = attendance_record(&env, id, inputs, n, &found);
    if (s == APP_OK) {
        reply_redirect(request, request_printf(request, "/events/%" PRId64 "/register?notice=saved", id));
    } else if (!page_refused(request, s, NULL)) {
        /* "marks[3].reason" is the fourth mark sent: its person's reason box. */
        struct errors fields = ERRORS_INIT, summary = ERRORS_INIT;
        const char *first = count > 0 ? request_printf(request, "mark-%" PRId64, lines[0].user_id) : "main-content";
        for (size_t i = 0; i < found.count; i++) {
            const char *where = found.items[i].where, *message = found.items[i].message;
            size_t index;
            char part[32];
            if (sscanf(where, "marks[%zu].%31s", &index, part) == 2 && index < n) {
                const char *box = strcmp(part, "reason") == 0 ? "reason" : "mark";
                const char *at = request_printf(request, "%s-%" PRId64, box, inputs[index].user_id);
                errors_add(&fields, at, "%s", message);
                errors_add(&summary, at, "%s: %s", names[index], message);
            } else { /* about the whole register ("Give at least one mark"): at its first question */
                errors_add(&fields, first, "%s", message);
                errors_add(&summary, first, "%s", message);
            }
        }
        if (summary.count == 0)
            errors_add(&summary, first, "The register could not be saved as it is now");
        register_page(request, id, inputs, n, &fields, &summary, page_status(s));
        errors_free(&fields);
        errors_free(&summary);
    }
    errors_free(&found);
}

/* ---- /coaching ---- */

static const char *other_person(const struct request *request, const struct coaching_session *s)
{
    return request->caller->user_id == s->coach_id ? s->participant_name : s->coach_name;
}

static void sessions_table(struct buf *b, struct request *request, const struct coaching_session *list,
                           const size_t *rows, size_t count, const char *caption)
{
    static const char *const headers[] = {"When (UK time)", "With", "How", "Actions done"};
    table_begin(b, caption, headers, 4);
    for (size_t r = 0; r < count; r++) {
        const struct coaching_session *s = &list[rows[r]];
        html_printf(b,
                    "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><a class=\"govuk-link\" "
                    "href=\"/coaching/%s\">%s</a>",
                    id_text(request, s->id), page_time_range(request, s->starts_at, s->ends_at));
        if (s->cancelled_at != 0)
            html_printf(b, "<br>%R", page_tag(request, "red", "Cancelled"));
        html_printf(b,
                    "</td><td class=\"govuk-table__cell\">%s</td><td class=\"govuk-table__cell\">%s</td>"
                    "<td class=\"govuk-table__cell\">%s of %s</td></tr>",
                    other_person(request, s), delivery_coaching_mode_title(s->mode), id_text(request, s->actions_done),
                    id_text(request, s->action_count));
    }
    table_end(b);
}

void page_coaching(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct store *store = request->store;
    struct arena *arena = request_arena(request);
    const struct caller *caller = request->caller;
    struct coaching_filter filter = {.user_id = caller->user_id};
    struct coaching_session *list;
    size_t count;
    struct enrolment *enrolments = NULL;
    size_t enrolment_count = 0;
    enum store_status s =
        store_coaching_session_list(store, &filter, &(struct store_page){.limit = 1000}, arena, &list, &count);
    if (s == STORE_OK && caller_has(caller, ROLE_PARTICIPANT))
        s = store_enrolment_list_for(store, caller->user_id, arena, &enrolments, &enrolment_count);
    if (s != STORE_OK) {
        page_unavailable(request);
        return;
    }
    int64_t now = request->now;
    /* The list comes latest first: coming sessions are shown soonest first, past ones latest first. */
    size_t *upcoming = arena_alloc(arena, sizeof(size_t) * (count + 1));
    size_t *past = arena_alloc(arena, sizeof(size_t) * (count + 1));
    size_t up = 0, done = 0;
    for (size_t i = count; i-- > 0;)
        if (list[i].cancelled_at == 0 && list[i].ends_at > now)
            upcoming[up++] = i;
    for (size_t i = 0; i < count; i++)
        if (!(list[i].cancelled_at == 0 && list[i].ends_at > now))
            past[done++] = i;

    struct page page;
    begin(&page, "Coaching", SECTION_COACHING, NULL);
    struct buf *b = &page.body;
    html_printf(b, "<h1 class=\"govuk-heading-l\">Coaching</h1><ul class=\"govuk-list\">");
    if (caller_has(caller, ROLE_COACH) || caller_has(caller, ROLE_PARTICIPANT))
        html_printf(b, "<li><a class=\"govuk-link\" href=\"/coaching/new\">Book a coaching session</a></li>");
    for (size_t i = 0; i < enrolment_count; i++)
        if (enrolments[i].state != ENROLMENT_WITHDRAWN)
            html_printf(b,
                        "<li><a class=\"govuk-link\" href=\"/enrolments/%s/hours\">Your learning hours for %s</a>"
                        "</li>",
                        id_text(request, enrolments[i].id), study_title(c, enrolments[i].kind, enrolments[i].target));
    if (enrolment_count > 0)
        html_printf(b, "<li><a class=\"govuk-link\" href=\"/delivery\">Your cohort's events</a></li>");
    html_printf(b, "<li><a class=\"govuk-link\" href=\"/account/calendar\">Get your calendar address</a> to see "
                   "sessions and events in your own calendar</li></ul>");
    html_printf(b, "<h2 class=\"govuk-heading-m\">Coming up</h2>");
    if (up == 0)
        html_printf(b, "<p class=\"govuk-body\">No coaching sessions are booked.</p>");
    else
        sessions_table(b, request, list, upcoming, up, "Coaching sessions coming up");
    html_printf(b, "<h2 class=\"govuk-heading-m\">Past and cancelled</h2>");
    if (done == 0)
        html_printf(b, "<p class=\"govuk-body\">None yet.</p>");
    else
        sessions_table(b, request, list, past, done, "Past and cancelled coaching sessions");
    page_send(request, &page, 200);
}

/* ---- /coaching/new ---- */

/* The booking form as typed. pair is "COACH_ID:PARTICIPANT_ID". */
struct booking_form {
    const char *pair, *starts_at, *ends_at, *mode, *place;
    struct forms_date date;
};

static const char *const booking_fields[] = {"pair", "date", "starts_at", "ends_at", "mode", "place"};
enum { BOOKING_FIELDS = sizeof(booking_fields) / sizeof(booking_fields[0]) };

/* When, how and where a session is: the part of the form that booking and rescheduling share. */
static void session_time_inputs(struct buf *b, struct request *request, const struct booking_form *f,
                                const struct errors *errors)
{
    forms_date_input(b, "date", "Date", "For example, 12 5 2027", &f->date, errors);
    text_input(b,
               &(struct input){.id = "starts_at",
                               .label = "Start time (UK time)",
                               .value = f->starts_at,
                               .hint = "For example, 4pm or 16:00",
                               .width = "govuk-input--width-5"},
               forms_field_error(errors, "starts_at"));
    text_input(b,
               &(struct input){.id = "ends_at",
                               .label = "End time (UK time)",
                               .value = f->ends_at,
                               .hint = "For example, 5pm or 17:00",
                               .width = "govuk-input--width-5"},
               forms_field_error(errors, "ends_at"));
    static const struct radio_item modes[] = {{"online", "Online"}, {"in_person", "In person"}};
    radios(b, request, "mode", "mode", "How will you meet?", "s", NULL, modes, 2, f->mode,
           forms_field_error(errors, "mode"), true);
    text_input(b,
               &(struct input){.id = "place",
                               .label = "Joining link or place",
                               .value = f->place,
                               .hint = "Online: a link starting with https://. In person: where to meet"},
               forms_field_error(errors, "place"));
}

/* The posted form (all but who the session is with) into f as typed and s as values, with the
 * form's own errors. Returns whether the times are a stand-in: when the form itself was wrong, s
 * has no times, which the use case always refuses, so nothing is stored. */
static bool session_form_read(struct request *request, struct booking_form *f, struct coaching_session *s,
                              struct errors *errors)
{
    f->starts_at = forms_text(request, "starts_at");
    f->ends_at = forms_text(request, "ends_at");
    f->mode = forms_text(request, "mode");
    f->place = forms_text(request, "place");
    f->date = forms_date_posted(request, "date");
    s->place = f->place;
    if (!delivery_coaching_mode_parse(f->mode, &s->mode))
        errors_add(errors, "mode", "Choose whether you meet online or in person");
    const char *day = forms_date_iso(request, &f->date, "date", "session's", errors);
    int64_t local_day = 0;
    int year, month, dom;
    bool day_ok =
        day != NULL && sscanf(day, "%4d-%2d-%2d", &year, &month, &dom) == 3 && date_local(year, month, dom, &local_day);
    s->starts_at = event_time(day_ok, local_day, f->starts_at, "starts_at", "start", errors);
    s->ends_at = event_time(day_ok, local_day, f->ends_at, "ends_at", "end", errors);
    bool stand_in = errors->count > 0;
    if (stand_in)
        s->starts_at = s->ends_at = 0;
    return stand_in;
}

/* Adds what the use case said to errors, unless the form already said it of that field or (with
 * stand-in times) it is about the times. Who the session is with is the form's "pair"; a refusal
 * of the session's state is shown at its first field. */
static void session_errors_merge(struct errors *errors, const struct errors *found, bool stand_in)
{
    for (size_t i = 0; i < found->count; i++) {
        const char *where = found->items[i].where;
        if (strcmp(where, "participant_id") == 0 || strcmp(where, "coach_id") == 0)
            where = "pair";
        else if (strcmp(where, "state") == 0)
            where = "date"; /* the session was cancelled meanwhile: said at the top of the form */
        if (forms_field_error(errors, where) == NULL &&
            !(stand_in && (strcmp(where, "starts_at") == 0 || strcmp(where, "ends_at") == 0)))
            errors_add(errors, where, "%s", found->items[i].message);
    }
    forms_errors_in_order(errors, booking_fields, BOOKING_FIELDS);
}

static void booking_page(struct request *request, const struct booking_form *f, const struct errors *errors, int status)
{
    struct assignment *list;
    size_t count = 0;
    if (store_assignment_list(request->store, request->caller->user_id, request_arena(request), &list, &count) !=
        STORE_OK) {
        page_unavailable(request);
        return;
    }
    /* Whom the caller may book with: their coachees when they coach, their coaches when they study. */
    struct form_option *options = arena_alloc(request_arena(request), sizeof(*options) * (count + 1));
    size_t n = 0;
    options[n++] = (struct form_option){"", "Choose who the session is with"};
    for (size_t i = 0; i < count; i++) {
        if (list[i].kind != ROLE_COACH)
            continue;
        bool coaching = list[i].staff_id == request->caller->user_id;
        options[n++] = (struct form_option){
            request_printf(request, "%" PRId64 ":%" PRId64, list[i].staff_id, list[i].participant_id),
            coaching ? list[i].participant_name : request_printf(request, "%s, your coach", list[i].staff_name)};
    }
    struct page page;
    begin(&page, "Book a coaching session", SECTION_COACHING, errors);
    page_breadcrumbs(&page, request, "/coaching", "Coaching", NULL, NULL);
    struct buf *b = &page.body;
    html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    forms_error_summary(b, errors);
    html_printf(b, "<h1 class=\"govuk-heading-l\">Book a coaching session</h1>");
    if (n == 1) {
        html_printf(b, "<p class=\"govuk-body\" data-testid=\"no-pairs\">You have nobody to book coaching with: a "
                       "provider administrator names a participant's coach.</p></div></div>");
        page_send(request, &page, status);
        return;
    }
    html_printf(b, "<p class=\"govuk-body\">Both of you are emailed, and the session is in your calendars.</p>");
    forms_begin(b, request, "/coaching/new");
    forms_select(b, "pair", "With", options, n, f->pair, NULL, errors);
    session_time_inputs(b, request, f, errors);
    forms_button(b, "Book session", NULL);
    forms_end(b);
    html_printf(b, "</div></div>");
    page_send(request, &page, status);
}

void page_coaching_new(struct request *request)
{
    struct booking_form f = {.pair = form_get(request_query(request), "pair"), .date = {"", "", ""}};
    booking_page(request, &f, NULL, 200);
}

void page_coaching_book(struct request *request)
{
    struct booking_form f = {.pair = forms_text(request, "pair")};
    struct errors errors = ERRORS_INIT;
    struct coaching_session s = {.mode = DELIVERY_COACHING_ONLINE};
    const char *colon = strchr(f.pair, ':');
    s.coach_id = colon ? forms_id(request_printf(request, "%.*s", (int)(colon - f.pair), f.pair)) : -1;
    s.participant_id = colon ? forms_id(colon + 1) : -1;
    if (s.coach_id <= 0 || s.participant_id <= 0) {
        errors_add(&errors, "pair", "Choose who the session is with");
        s.coach_id = s.participant_id = 0;
    }
    bool stand_in = session_form_read(request, &f, &s, &errors);
    struct errors found = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result r = coaching_session_book(&env, request->caller, &s, &found);
    if (r == APP_OK && !stand_in) {
        reply_redirect(request, request_printf(request, "/coaching/%" PRId64 "?notice=booked", s.id));
    } else if (r == APP_OK || r == APP_INVALID || r == APP_FORBIDDEN || !page_refused(request, r, &found)) {
        session_errors_merge(&errors, &found, stand_in);
        booking_page(request, &f, &errors, r == APP_OK ? 422 : page_status(r));
    }
    errors_free(&found);
    errors_free(&errors);
}

/* ---- /coaching/{id}/edit and the confirmation before cancelling ---- */

/* The session for a page that changes its time or place (the coach or an administrator) or
 * cancels it (they or the participant): the gate has let the caller see it; the policy says
 * whether they may do this. False when a page was sent instead. */
static bool session_for_page(struct request *request, int64_t id, bool cancel, struct coaching_session *s)
{
    enum store_status st = store_coaching_session_get(request->store, id, request_arena(request), s);
    if (st != STORE_OK) {
        page_store_failed(request, st);
        return false;
    }
    if (!(cancel ? policy_may_cancel_session : policy_may_change_session)(request->caller, &request->relation)) {
        struct errors errors = ERRORS_INIT;
        errors_add(&errors, "id",
                   cancel ? "Only the coach or the participant can cancel this session"
                          : "Only the coach can change this session");
        page_refusal(request, APP_FORBIDDEN, &errors);
        errors_free(&errors);
        return false;
    }
    return true;
}

/* A refusal of a cancelled session's change: what happened and the way back. */
static void session_cancelled_page(struct request *request, const struct coaching_session *s, const char *title)
{
    const char *self = request_printf(request, "/coaching/%" PRId64, s->id);
    struct page page;
    begin(&page, title, SECTION_COACHING, NULL);
    page_breadcrumbs(&page, request, "/coaching", "Coaching", self, "Session");
    html_printf(&page.body,
                "<h1 class=\"govuk-heading-l\">%s</h1><p class=\"govuk-body\">This session has been cancelled "
                "already. Book a new one instead.</p><p class=\"govuk-body\"><a class=\"govuk-link\" href=\"%s\">Back "
                "to the session</a></p>",
                title, self);
    page_send(request, &page, 409);
}

static void reschedule_page(struct request *request, const struct coaching_session *s, const struct booking_form *f,
                            const struct errors *errors, int status)
{
    const char *self = request_printf(request, "/coaching/%" PRId64, s->id);
    struct page page;
    begin(&page, "Change the session", SECTION_COACHING, errors);
    page_breadcrumbs(&page, request, "/coaching", "Coaching", self, "Session");
    struct buf *b = &page.body;
    html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    forms_error_summary(b, errors);
    html_printf(b,
                "<span class=\"govuk-caption-l\">%s with %s</span><h1 class=\"govuk-heading-l\">Change the "
                "session</h1><p class=\"govuk-body\">Both of you are emailed the new time and place, and calendars "
                "show the change.</p>",
                s->coach_name, s->participant_name);
    forms_begin(b, request, request_printf(request, "%s/edit", self));
    session_time_inputs(b, request, f, errors);
    html_printf(b, "<div class=\"govuk-button-group\">");
    forms_button(b, "Save changes", NULL);
    html_printf(b, "<a class=\"govuk-link\" href=\"%s\">Keep it as it is</a></div>", self);
    forms_end(b);
    html_printf(b, "</div></div>");
    page_send(request, &page, status);
}

void page_coaching_edit(struct request *request)
{
    struct coaching_session s;
    if (!session_for_page(request, request_param_id(request, 0), false, &s))
        return;
    if (s.cancelled_at != 0) {
        session_cancelled_page(request, &s, "Change the session");
        return;
    }
    int64_t local = s.starts_at + date_uk_offset(s.starts_at), local_end = s.ends_at + date_uk_offset(s.ends_at);
    time_t t = (time_t)local, t_end = (time_t)local_end;
    struct tm tm, tm_end;
    gmtime_r(&t, &tm);
    gmtime_r(&t_end, &tm_end);
    struct booking_form f = {
        .pair = "",
        .starts_at = request_printf(request, "%d:%02d", tm.tm_hour, tm.tm_min),
        .ends_at = request_printf(request, "%d:%02d", tm_end.tm_hour, tm_end.tm_min),
        .mode = delivery_coaching_mode_name(s.mode),
        .place = s.place ? s.place : "",
        .date = {request_printf(request, "%d", tm.tm_mday), request_printf(request, "%d", tm.tm_mon + 1),
                 request_printf(request, "%d", tm.tm_year + 1900)},
    };
    reschedule_page(request, &s, &f, NULL, 200);
}

void page_coaching_reschedule(struct request *request)
{
    int64_t id = request_param_id(request, 0);
    struct coaching_session s;
    if (!session_for_page(request, id, false, &s))
        return;
    struct booking_form f = {.pair = ""};
    struct coaching_session posted = {.mode = DELIVERY_COACHING_ONLINE};
    struct errors errors = ERRORS_INIT, found = ERRORS_INIT;
    bool stand_in = session_form_read(request, &f, &posted, &errors);
    /* Stand-in times are 0, which the change reads as "keep": refuse them here instead. */
    enum app_result r = APP_INVALID;
    if (!stand_in) {
        struct coaching_change change = {
            .starts_at = posted.starts_at, .ends_at = posted.ends_at, .mode = (int)posted.mode, .place = posted.place};
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        r = coaching_session_reschedule(&env, request->caller, id, &change, &found);
    }
    if (r == APP_OK)
        reply_redirect(request, request_printf(request, "/coaching/%" PRId64 "?notice=moved", id));
    else if (r == APP_INVALID || r == APP_CONFLICT || !page_refused(request, r, &found)) {
        session_errors_merge(&errors, &found, stand_in);
        reschedule_page(request, &s, &f, &errors, r == APP_INVALID ? 422 : page_status(r));
    }
    errors_free(&found);
    errors_free(&errors);
}

/* GET /coaching/{id}/cancel: what cancelling does, and the one button that does it. */
void page_coaching_cancel_confirm(struct request *request)
{
    struct coaching_session s;
    if (!session_for_page(request, request_param_id(request, 0), true, &s))
        return;
    if (s.cancelled_at != 0) {
        session_cancelled_page(request, &s, "Cancel the session");
        return;
    }
    const char *self = request_printf(request, "/coaching/%" PRId64, s.id);
    struct page page;
    begin(&page, "Cancel the session", SECTION_COACHING, NULL);
    page_breadcrumbs(&page, request, "/coaching", "Coaching", self, "Session");
    struct buf *b = &page.body;
    html_printf(b,
                "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\"><span "
                "class=\"govuk-caption-l\">%s with %s</span><h1 class=\"govuk-heading-l\">Are you sure you want to "
                "cancel this session?</h1><p class=\"govuk-body\">%s.</p>",
                s.coach_name, s.participant_name, page_time_range(request, s.starts_at, s.ends_at));
    html_printf(b, "<div class=\"govuk-warning-text\"><span class=\"govuk-warning-text__icon\" aria-hidden=\"true\">!"
                   "</span><strong class=\"govuk-warning-text__text\"><span class=\"govuk-visually-hidden\">Warning"
                   "</span> The coach and the participant are emailed, and it is marked cancelled in calendars. "
                   "This cannot be undone: to meet after all, book a new session.</strong></div>");
    forms_begin(b, request, request_printf(request, "%s/cancel", self));
    html_printf(b, "<div class=\"govuk-button-group\">");
    forms_button(b, "Yes, cancel the session", "warning");
    html_printf(b, "<a class=\"govuk-link\" href=\"%s\">No, keep it</a></div>", self);
    forms_end(b);
    html_printf(b, "</div></div>");
    page_send(request, &page, 200);
}

/* ---- /coaching/{id} ---- */

/* The two forms of a session's page as typed, to show again with their errors. */
struct session_forms {
    const char *visibility, *body;
    const char *text;
    struct date_parts due;
};

static void session_page(struct request *request, int64_t id, const struct session_forms *f,
                         const struct errors *errors, int status)
{
    struct store *store = request->store;
    struct arena *arena = request_arena(request);
    const struct caller *caller = request->caller;
    struct coaching_session s;
    struct coaching_note *notes = NULL;
    struct coaching_action *actions = NULL;
    size_t note_count = 0, action_count = 0;
    enum store_status st = store_coaching_session_get(store, id, arena, &s);
    if (st == STORE_OK)
        st = store_coaching_notes(store, id, policy_reads_private_notes(caller, &request->relation), arena, &notes,
                                  &note_count);
    if (st == STORE_OK)
        st = store_coaching_actions(store, id, arena, &actions, &action_count);
    if (st != STORE_OK) {
        page_store_failed(request, st);
        return;
    }
    const struct relation *relation = &request->relation; /* the session in the URL, id */
    bool coach = policy_is_cohort_coach_of(caller, relation);
    /* The coach and the participant record and tick off actions: app/coaching.c asks the same
     * predicates when they are used; this only chooses whom to show the buttons. */
    bool pair = policy_is_session_pair(caller, relation);
    const char *self = request_printf(request, "/coaching/%" PRId64, id);
    const char *title = pair
                            ? request_printf(request, "Coaching session with %s", other_person(request, &s))
                            : request_printf(request, "Coaching session: %s with %s", s.coach_name, s.participant_name);

    struct page page;
    begin(&page, title, SECTION_COACHING, errors);
    page_breadcrumbs(&page, request, "/coaching", "Coaching", NULL, NULL);
    static const struct notice notices[] = {{"note_added", "Note added"},
                                            {"action_added", "Action added"},
                                            {"action_done", "Action ticked off"},
                                            {"action_undone", "Action opened again"},
                                            {"booked", "Session booked. You are both emailed."},
                                            {"moved", "Session changed. You are both emailed."},
                                            {"cancelled", "Session cancelled. You are both emailed."}};
    const char *notice = errors && errors->count ? NULL : notice_for(request, notices, 7);
    if (notice != NULL)
        page_notice(&page, "success", notice);
    struct buf *b = &page.body;
    forms_error_summary(b, errors);
    html_printf(b, "<span class=\"govuk-caption-l\">Coaching session</span><h1 class=\"govuk-heading-l\">%s</h1>",
                pair ? request_printf(request, "With %s", other_person(request, &s)) : title);
    if (s.cancelled_at != 0)
        html_printf(b, "<p class=\"govuk-body\">%R This session was cancelled.</p>",
                    page_tag(request, "red", "Cancelled"));
    html_printf(b, "<dl class=\"govuk-summary-list\">");
    summary_row(b, "When", page_text_markup(request, page_time_range(request, s.starts_at, s.ends_at)));
    summary_row(b, "How", page_text_markup(request, delivery_coaching_mode_title(s.mode)));
    if (s.mode == DELIVERY_COACHING_ONLINE && s.place && strncasecmp(s.place, "https://", 8) == 0)
        summary_row(b, "Joining link", link_markup(request, s.place, s.place));
    else
        summary_row(b, "Where", page_text_markup(request, s.place ? s.place : ""));
    summary_row(b, "Coach", page_text_markup(request, s.coach_name));
    summary_row(b, "Participant", page_text_markup(request, s.participant_name));
    html_printf(b, "</dl>");
    if (s.cancelled_at == 0 && policy_may_cancel_session(caller, relation)) {
        html_printf(b, "<div class=\"govuk-button-group\">");
        if (policy_may_change_session(caller, relation))
            html_printf(b,
                        "<a class=\"govuk-button govuk-button--secondary\" data-module=\"govuk-button\" "
                        "href=\"%s/edit\">Change time or place</a>",
                        self);
        html_printf(b,
                    "<a class=\"govuk-button govuk-button--warning\" data-module=\"govuk-button\" "
                    "href=\"%s/cancel\">Cancel session</a></div>",
                    self);
    }

    html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"actions\">Agreed actions</h2>");
    if (action_count == 0)
        html_printf(b, "<p class=\"govuk-body\">No actions are recorded yet.</p>");
    for (size_t i = 0; i < action_count; i++) {
        const struct coaching_action *a = &actions[i];
        html_printf(b,
                    "<div class=\"govuk-summary-card\" data-testid=\"action\"><div class=\"govuk-summary-card__"
                    "title-wrapper\"><h3 class=\"govuk-summary-card__title\">%s</h3>%R</div>"
                    "<div class=\"govuk-summary-card__content\">",
                    a->text, a->done_at ? page_tag(request, "green", "Done") : page_tag(request, "grey", "Open"));
        if (a->due_on != NULL)
            html_printf(b, "<p class=\"govuk-body\">Due by %s</p>", page_date(request, a->due_on, false));
        if (pair) {
            const char *action =
                request_printf(request, "%s/actions/%" PRId64 "/%s", self, a->id, a->done_at ? "undone" : "done");
            page_post_button(b, request, action, a->done_at ? "Mark as not done" : "Mark as done", a->text,
                             "secondary");
        }
        html_printf(b, "</div></div>");
    }
    if (pair) {
        html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\"><h3 "
                       "class=\"govuk-heading-s\">Add an action</h3>");
        forms_begin(b, request, request_printf(request, "%s/actions", self));
        forms_input(b, "text", "What was agreed", "text", f ? f->text : NULL, NULL, NULL, errors);
        date_input(b, "due_on", "due", "Due by (optional)", "For example, 27 3 2027", f ? &f->due : NULL,
                   forms_field_error(errors, "due_on"));
        forms_button(b, "Add action", "secondary");
        forms_end(b);
        html_printf(b, "</div></div>");
    }

    html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"notes\">Notes</h2>");
    if (note_count == 0)
        html_printf(b, "<p class=\"govuk-body\">No notes %s yet.</p>", coach ? "are written" : "are shared with you");
    for (size_t i = 0; i < note_count; i++) {
        const struct coaching_note *n = &notes[i];
        html_printf(b,
                    "<div class=\"govuk-summary-card\" data-testid=\"note\"><div class=\"govuk-summary-card__"
                    "title-wrapper\"><h3 class=\"govuk-summary-card__title\">%s, %s</h3>%R</div>"
                    "<div class=\"govuk-summary-card__content\">",
                    n->author_name, page_time(request, n->created_at, DATE_MOMENT),
                    n->visibility == DELIVERY_NOTE_PRIVATE ? page_tag(request, "grey", "Private")
                                                           : page_tag(request, "blue", "Shared"));
        page_markdown(b, n->body, false);
        html_printf(b, "</div></div>");
    }
    if (coach) {
        html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\"><h3 "
                       "class=\"govuk-heading-s\">Write a note</h3>");
        forms_begin(b, request, request_printf(request, "%s/notes", self));
        struct radio_item items[DELIVERY_NOTE_VISIBILITY_COUNT];
        for (int v = 0; v < DELIVERY_NOTE_VISIBILITY_COUNT; v++)
            items[v] = (struct radio_item){delivery_note_visibility_name((enum delivery_note_visibility)v),
                                           delivery_note_visibility_title((enum delivery_note_visibility)v)};
        radios(b, request, "visibility", "visibility", "Who can read it?", "s", NULL, items,
               DELIVERY_NOTE_VISIBILITY_COUNT, f && *f->visibility ? f->visibility : "private",
               forms_field_error(errors, "visibility"), false);
        forms_textarea(b, "body", "Note", f ? f->body : NULL,
                       "You can use Markdown: **bold**, lists with - and links like [text](https://...)", 6, errors);
        forms_button(b, "Add note", "secondary");
        forms_end(b);
        html_printf(b, "</div></div>");
    }
    page_send(request, &page, status);
}

void page_coaching_session(struct request *request)
{
    session_page(request, request_param_id(request, 0), NULL, NULL, 200);
}

/* The end of a POST to a session's page. */
static void session_step_done(struct request *request, int64_t id, enum app_result r, const struct session_forms *f,
                              struct errors *errors, const char *notice)
{
    if (r == APP_OK)
        reply_redirect(request, request_printf(request, "/coaching/%" PRId64 "?notice=%s", id, notice));
    else if (!page_refused(request, r, NULL)) {
        if (errors->count == 0)
            errors_add(errors, "actions", "This cannot be done to the session as it is now");
        session_page(request, id, f, errors, page_status(r));
    }
}

void page_coaching_cancel(struct request *request)
{
    int64_t id = request_param_id(request, 0);
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result r = coaching_session_cancel(&env, request->caller, id, &errors);
    if (r == APP_OK)
        reply_redirect(request, request_printf(request, "/coaching/%" PRId64 "?notice=cancelled", id));
    else
        page_refusal(request, r, &errors);
    errors_free(&errors);
}

void page_coaching_note_add(struct request *request)
{
    int64_t id = request_param_id(request, 0);
    struct session_forms f = {
        .visibility = forms_text(request, "visibility"), .body = forms_text(request, "body"), .text = ""};
    struct coaching_note note = {.session_id = id, .body = f.body, .visibility = DELIVERY_NOTE_VISIBILITY_COUNT};
    delivery_note_visibility_parse(f.visibility, &note.visibility); /* unknown: refused in the rule's words */
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result r = coaching_note_add(&env, request->caller, &note, &errors);
    session_step_done(request, id, r, &f, &errors, "note_added");
    errors_free(&errors);
}

void page_coaching_action_add(struct request *request)
{
    int64_t id = request_param_id(request, 0);
    struct session_forms f = {
        .visibility = "", .body = "", .text = forms_text(request, "text"), .due = date_fields(request, "due")};
    /* The three boxes as YYYY-MM-DD for the rule to check; as typed when they are not numbers, so
     * that it refuses them. */
    const char *due = NULL;
    int year, month, day;
    if (!date_empty(&f.due))
        due = date_numbers(&f.due, &year, &month, &day)
                  ? request_printf(request, "%04d-%02d-%02d", year, month, day)
                  : request_printf(request, "%s-%s-%s", f.due.year, f.due.month, f.due.day);
    struct coaching_action action = {.session_id = id, .text = f.text, .due_on = due};
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result r = coaching_action_add(&env, request->caller, &action, &errors);
    session_step_done(request, id, r, &f, &errors, "action_added");
    errors_free(&errors);
}

static void action_set_done(struct request *request, bool done)
{
    int64_t id = request_param_id(request, 0), action_id = request_param_id(request, 1);
    struct errors found = ERRORS_INIT, errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result r =
        action_id > 0 ? coaching_action_set_done(&env, request->caller, id, action_id, done, &found) : APP_NOT_FOUND;
    errors_at(&errors, &found, "actions");
    session_step_done(request, id, r, NULL, &errors, done ? "action_done" : "action_undone");
    errors_free(&found);
    errors_free(&errors);
}

void page_coaching_action_done(struct request *request)
{
    action_set_done(request, true);
}

void page_coaching_action_undone(struct request *request)
{
    action_set_done(request, false);
}

/* ---- /enrolments/{id}/hours ---- */

enum { HOURS_PER_PAGE = 50 }; /* entries on a page of the log */

/* The log-hours form as typed. */
struct hours_form {
    const char *module, *type, *hours, *reflection;
    struct date_parts date;
};

static void hours_page(struct request *request, int64_t id, const struct hours_form *f, const struct errors *errors,
                       int status)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct arena *arena = request_arena(request);
    const struct caller *caller = request->caller;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct errors malformed = ERRORS_INIT;
    struct store_page position;
    page_list_position(request, CURSOR_NUMBER, HOURS_PER_PAGE, &position, &malformed);
    if (page_query_refused(request, &malformed))
        return;
    struct activity_log log;
    enum app_result r = activities_read(&env, c, id, &position, arena, &log);
    if (r != APP_OK) {
        page_refusal(request, r, NULL);
        return;
    }
    const struct enrolment *en = &log.enrolment;
    const struct relation *relation = &request->relation; /* the enrolment in the URL, id */
    bool own = policy_is_self(caller, relation);
    /* Who is offered the forms: the same predicates app/coaching.c asks when they are used. */
    bool may_log = (own || policy_is_admin(caller)) && !log.read_only;
    bool may_verify = !log.read_only && policy_may_verify_hours(caller, relation);
    const char *self = request_printf(request, "/enrolments/%" PRId64 "/hours", id);

    struct page page;
    begin(&page, own ? "Your learning hours" : request_printf(request, "Learning hours: %s", en->participant_name),
          own ? SECTION_HOURS : SECTION_DELIVERY, errors);
    if (own)
        page_breadcrumbs(&page, request, "/coaching", "Coaching", NULL, NULL);
    else if (may(request, PERM_DELIVERY_READ, RESOURCE_COHORT, en->cohort_id) && en->cohort_id != 0)
        page_breadcrumbs(&page, request, "/delivery", "Delivery",
                         request_printf(request, "/cohorts/%" PRId64, en->cohort_id),
                         en->cohort_code ? en->cohort_code : "Cohort");
    else
        page_breadcrumbs(&page, request, "/delivery", "Delivery", NULL, NULL);
    static const struct notice notices[] = {{"logged", "Hours logged"}, {"verified", "Entry verified"}};
    const char *notice = errors && errors->count ? NULL : notice_for(request, notices, 2);
    if (notice != NULL)
        page_notice(&page, "success", notice);
    struct buf *b = &page.body;
    forms_error_summary(b, errors);
    html_printf(b, "<span class=\"govuk-caption-l\">%s, %s</span><h1 class=\"govuk-heading-l\">%s</h1>",
                en->participant_name, study_title(c, en->kind, en->target),
                own ? "Your learning hours" : "Learning hours");
    html_printf(b, "<p class=\"govuk-body\">%s logged in all.</p>", hours_text(request, log.total_quarter_hours));
    if (log.read_only)
        html_printf(b, "<div class=\"govuk-inset-text\">This enrolment was withdrawn: its log can be read but not "
                       "changed.</div>");

    html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"modules\">By module</h2>");
    static const char *const module_headers[] = {"Module", "Logged", "Left"};
    table_begin(b, "Hours by module", module_headers, 3);
    for (size_t i = 0; i < log.module_count; i++) {
        const struct activity_module_total *t = &log.modules[i];
        int64_t cap_q = (int64_t)t->hours_cap * 4;
        html_printf(b,
                    "<tr class=\"govuk-table__row\" data-testid=\"module-total\"><td class=\"govuk-table__cell\">%s"
                    "</td><td class=\"govuk-table__cell\">%s of %d hours",
                    t->module ? t->module->title : t->code, hours_number(request, t->quarter_hours), t->hours_cap);
        if (t->verified_quarter_hours > 0)
            html_printf(b, "<br><span class=\"govuk-hint govuk-!-font-size-16\">%s verified</span>",
                        hours_text(request, t->verified_quarter_hours));
        html_printf(b, "</td><td class=\"govuk-table__cell\">%s left</td></tr>",
                    hours_text(request, t->quarter_hours < cap_q ? cap_q - t->quarter_hours : 0));
    }
    table_end(b);

    html_printf(b, "<h2 class=\"govuk-heading-m\">By kind of learning</h2>");
    if (log.total_quarter_hours == 0)
        html_printf(b, "<p class=\"govuk-body\">Nothing is logged yet.</p>");
    else {
        html_printf(b, "<dl class=\"govuk-summary-list\">");
        for (int k = 0; k < DELIVERY_ACTIVITY_COUNT; k++)
            if (log.by_type[k] > 0)
                summary_row(b, delivery_activity_title((enum delivery_activity)k),
                            page_text_markup(request, hours_text(request, log.by_type[k])));
        html_printf(b, "</dl>");
    }

    html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"entries\">Entries</h2>");
    if (log.count == 0)
        html_printf(b, "<p class=\"govuk-body\">No entries yet.</p>");
    else {
        /* Four columns, so that the table fits a phone: what was learned carries its kind and
         * reflection under the module's title. */
        static const char *const headers[] = {"Date", "Learning", "Hours", "Verified"};
        table_begin(b, "Entries in the learning log", headers, 4);
        for (size_t i = 0; i < log.count; i++) {
            const struct activity *a = &log.entries[i];
            html_printf(b,
                        "<tr class=\"govuk-table__row\" data-testid=\"entry\"><td class=\"govuk-table__cell\">%s</td>"
                        "<td class=\"govuk-table__cell govuk-!-text-break-word\">%s<br><span class=\"govuk-hint "
                        "govuk-!-font-size-16\">%s</span>",
                        page_date(request, a->done_on, true), page_module_title(c, a->module),
                        delivery_activity_title(a->type));
            if (a->reflection != NULL && *a->reflection)
                page_markdown(b, a->reflection, true);
            html_printf(b, "</td><td class=\"govuk-table__cell\">%s</td><td class=\"govuk-table__cell\">",
                        hours_text(request, a->quarter_hours));
            if (a->verified_at != 0)
                html_printf(b, "%R<br><span class=\"govuk-hint govuk-!-font-size-16\">by %s</span>",
                            page_tag(request, "green", "Verified"), a->verified_by_name ? a->verified_by_name : "");
            else {
                html_printf(b, "%R", page_tag(request, "grey", "Not verified"));
                if (may_verify)
                    page_post_button(
                        b, request, request_printf(request, "%s/%" PRId64 "/verify", self, a->id), "Verify",
                        request_printf(request, "%s of %s on %s", hours_text(request, a->quarter_hours),
                                       delivery_activity_title(a->type), page_date(request, a->done_on, false)),
                        "secondary");
            }
            html_printf(b, "</td></tr>");
        }
        table_end(b);
    }
    page_pagination(b, request, NULL, 0, &position);

    if (may_log) {
        html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"log\">Log learning hours</h2><div class=\"govuk-grid-row\">"
                       "<div class=\"govuk-grid-column-two-thirds\">");
        forms_begin(b, request, self);
        const struct catalogue_module *modules[MODULES_MAX];
        size_t module_count = activities_modules(c, en, modules, MODULES_MAX);
        struct form_option *options = arena_alloc(arena, sizeof(*options) * (module_count + 1));
        options[0] = (struct form_option){"", "Choose a module"};
        for (size_t i = 0; i < module_count; i++)
            options[i + 1] = (struct form_option){modules[i]->code, modules[i]->title};
        forms_select(b, "module", "Module", options, module_count + 1, f ? f->module : "", NULL, errors);
        struct radio_item types[DELIVERY_ACTIVITY_COUNT];
        for (int k = 0; k < DELIVERY_ACTIVITY_COUNT; k++)
            types[k] = (struct radio_item){delivery_activity_name((enum delivery_activity)k),
                                           delivery_activity_title((enum delivery_activity)k)};
        radios(b, request, "type", "type", "What kind of learning?", "s", NULL, types, DELIVERY_ACTIVITY_COUNT,
               f ? f->type : NULL, forms_field_error(errors, "type"), false);
        date_input(b, "done_on", "date", "When did you do it?", "For example, 14 3 2027", f ? &f->date : NULL,
                   forms_field_error(errors, "done_on"));
        text_input(b,
                   &(struct input){.id = "hours",
                                   .label = "Hours",
                                   .value = f ? f->hours : NULL,
                                   .hint = "In quarter hours, like 1.5 or 0.75",
                                   .width = "govuk-input--width-4",
                                   .inputmode = "decimal"},
                   forms_field_error(errors, "hours"));
        forms_textarea(b, "reflection", "Reflection (optional)", f ? f->reflection : NULL,
                       "What you did and what you learned. You can use Markdown", 5, errors);
        forms_button(b, "Log hours", NULL);
        forms_end(b);
        html_printf(b, "</div></div>");
    }
    page_send(request, &page, status);
}

void page_hours(struct request *request)
{
    hours_page(request, request_param_id(request, 0), NULL, NULL, 200);
}

/* "1.5" as a number; false for anything else (the rule then judges 0, which it refuses). */
static bool parse_hours(const char *text, double *out)
{
    char *end = NULL;
    if (*text == '\0' || strlen(text) > 16)
        return false;
    double value = strtod(text, &end);
    if (end == text || *end != '\0')
        return false;
    *out = value;
    return true;
}

void page_hours_log(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    int64_t id = request_param_id(request, 0);
    struct hours_form f = {.module = forms_text(request, "module"),
                           .type = forms_text(request, "type"),
                           .hours = forms_text(request, "hours"),
                           .reflection = forms_text(request, "reflection"),
                           .date = date_fields(request, "date")};
    struct errors errors = ERRORS_INIT;
    struct activity_input in = {
        .module = f.module, .type = *f.type ? f.type : NULL, .has_hours = true, .reflection = f.reflection};
    /* What cannot be a value at all is refused here; the rule is then given a stand-in it refuses
     * too (no date, no hours), so nothing is logged, and the form's words are kept for the field. */
    int year, month, day;
    if (!date_numbers(&f.date, &year, &month, &day)) {
        errors_add(&errors, "done_on", "Enter the date you did the learning, with a day, month and year");
        in.done_on = "";
    } else {
        in.done_on = request_printf(request, "%04d-%02d-%02d", year, month, day);
    }
    if (*f.hours != '\0' && !parse_hours(f.hours, &in.hours)) {
        errors_add(&errors, "hours", "Enter the hours as a number, like 1.5");
        in.hours = 0;
    }
    struct errors found = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct activity a;
    enum app_result r = activities_add(&env, c, request->caller, id, &in, request_arena(request), &a, &found);
    if (r == APP_OK && errors.count == 0) {
        reply_redirect(request, request_printf(request, "/enrolments/%" PRId64 "/hours?notice=logged", id));
    } else if (!page_refused(request, r, NULL)) {
        errors_merge(&errors, &found, false);
        /* The use case's "id" and "state" are about the whole log: the summary links to its entries. */
        struct errors shown = ERRORS_INIT;
        for (size_t i = 0; i < errors.count; i++) {
            const char *where = errors.items[i].where;
            bool whole = strcmp(where, "id") == 0 || strcmp(where, "state") == 0;
            errors_add(&shown, whole ? "entries" : where, "%s", errors.items[i].message);
        }
        hours_page(request, id, &f, &shown, r == APP_OK ? 422 : page_status(r));
        errors_free(&shown);
    }
    errors_free(&found);
    errors_free(&errors);
}

void page_hours_verify(struct request *request)
{
    int64_t id = request_param_id(request, 0), activity_id = request_param_id(request, 1);
    struct errors found = ERRORS_INIT, errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result r =
        activity_id > 0 ? activities_verify(&env, request->caller, id, activity_id, &found) : APP_NOT_FOUND;
    if (r == APP_OK)
        reply_redirect(request, request_printf(request, "/enrolments/%" PRId64 "/hours?notice=verified", id));
    else if (!page_refused(request, r, NULL)) {
        errors_at(&errors, &found, "entries");
        if (errors.count == 0)
            errors_add(&errors, "entries", "This entry cannot be verified as it is now");
        hours_page(request, id, NULL, &errors, page_status(r));
    }
    errors_free(&found);
    errors_free(&errors);
}

/* ---- /account/calendar ---- */

/* new_url: the address just made, shown this once; NULL otherwise. */
static void calendar_page(struct request *request, const char *new_url, int status)
{
    int64_t created_at = 0;
    enum store_status s = store_calendar_feed_get(request->store, request->caller->user_id, &created_at);
    if (s != STORE_OK && s != STORE_NOT_FOUND) {
        page_unavailable(request);
        return;
    }
    bool exists = s == STORE_OK;
    struct page page;
    begin(&page, "Your calendar", SECTION_ACCOUNT, NULL);
    page_breadcrumbs(&page, request, "/account", "Your account", NULL, NULL);
    static const struct notice notices[] = {
        {"revoked", "Your calendar address is revoked: it no longer works."},
        {"none", "You had no calendar address to revoke."},
    };
    const char *notice = new_url ? NULL : notice_for(request, notices, 2);
    if (notice != NULL)
        page_notice(&page, "success", notice);
    struct buf *b = &page.body;
    html_printf(b, "<h1 class=\"govuk-heading-l\">Your calendar</h1><p class=\"govuk-body\">Your calendar address "
                   "lets Outlook, Google Calendar or Apple Calendar show the events you are booked on or run and your "
                   "coaching sessions, and keep them up to date when they change or are cancelled.</p>"
                   "<p class=\"govuk-body\">Anyone who has the address can read your calendar, so keep it to "
                   "yourself. It is shown only once, when you make it.</p>");
    if (new_url != NULL)
        html_printf(b,
                    "<div class=\"govuk-panel govuk-panel--confirmation govuk-!-text-align-left\"><h2 "
                    "class=\"govuk-panel__title govuk-!-font-size-27\">Your calendar address</h2><div "
                    "class=\"govuk-panel__body govuk-!-font-size-19\"><p class=\"npq-token\" "
                    "data-testid=\"calendar-url\">%s</p><p>Copy it now and subscribe to it in your calendar: it will "
                    "not be shown again.</p></div></div>",
                    new_url);
    else if (exists)
        html_printf(b,
                    "<p class=\"govuk-body\" data-testid=\"calendar-state\">You made a calendar address on %s. If "
                    "you no longer have it, make a new one: the old one then stops working.</p>",
                    page_time(request, created_at, DATE_MOMENT));
    else
        html_printf(b,
                    "<p class=\"govuk-body\" data-testid=\"calendar-state\">You do not have a calendar address.</p>");
    page_post_button(b, request, "/account/calendar",
                     exists || new_url ? "Make a new calendar address" : "Make a calendar address", NULL,
                     exists || new_url ? "secondary" : NULL);
    if (exists || new_url)
        page_post_button(b, request, "/account/calendar/revoke", "Stop my calendar address working", NULL, "warning");
    html_printf(b, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/delivery\">Events</a> · <a "
                   "class=\"govuk-link\" href=\"/coaching\">Coaching</a></p>");
    page_send(request, &page, status);
}

void page_account_calendar(struct request *request)
{
    calendar_page(request, NULL, 200);
}

void page_account_calendar_create(struct request *request)
{
    struct actor actor = request_actor(request);
    char url[1024];
    enum app_result r = notify_calendar_feed_create(request->store, &actor, request->caller->user_id,
                                                    request->settings->base_url, request->now, url, sizeof(url));
    if (r != APP_OK) {
        page_refusal(request, r, NULL);
        return;
    }
    reply_header(request, "cache-control", "no-store");
    calendar_page(request, request_strndup(request, str_of(url)), 201);
}

void page_account_calendar_revoke(struct request *request)
{
    struct actor actor = request_actor(request);
    enum store_status s = store_calendar_feed_revoke(request->store, &actor, request->caller->user_id, request->now);
    if (s == STORE_OK)
        reply_redirect(request, "/account/calendar?notice=revoked");
    else if (s == STORE_NOT_FOUND)
        reply_redirect(request, "/account/calendar?notice=none");
    else
        page_unavailable(request);
}
