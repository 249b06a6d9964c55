#include "pages/forms.h"

#include "http/auth.h"
#include "pages/html.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

void forms_csrf(struct buf *b, struct request *request)
{
    html_printf(b, "<input type=\"hidden\" name=\"" AUTH_CSRF_FIELD "\" value=\"%s\">", auth_csrf_token(request));
}

void forms_begin(struct buf *b, struct request *request, const char *action)
{
    html_printf(b, "<form method=\"post\" action=\"%s\" novalidate>", action);
    forms_csrf(b, request);
}

void forms_end(struct buf *b)
{
    html_printf(b, "</form>");
}

void forms_error_summary(struct buf *b, const struct errors *errors)
{
    if (errors == NULL || errors->count == 0)
        return;
    html_printf(b, "<div class=\"govuk-error-summary\" data-module=\"govuk-error-summary\"><div role=\"alert\">"
                   "<h2 class=\"govuk-error-summary__title\">There is a problem</h2>"
                   "<div class=\"govuk-error-summary__body\"><ul class=\"govuk-list govuk-error-summary__list\">");
    for (size_t i = 0; i < errors->count; i++)
        html_printf(b, "<li><a href=\"#%s\">%s</a></li>", errors->items[i].where, errors->items[i].message);
    html_printf(b, "</ul></div></div></div>");
}

const char *forms_field_error(const struct errors *errors, const char *field)
{
    for (size_t i = 0; errors != NULL && i < errors->count; i++)
        if (strcmp(errors->items[i].where, field) == 0)
            return errors->items[i].message;
    return NULL;
}

/* The opening of a form group: label, hint and error message. */
static const char *group_begin(struct buf *b, const char *name, const char *label, const char *hint,
                               const struct errors *errors)
{
    const char *error = forms_field_error(errors, name);
    html_printf(b, "<div class=\"govuk-form-group%R\"><label class=\"govuk-label\" for=\"%s\">%s</label>",
                error ? " govuk-form-group--error" : "", name, label);
    if (hint != NULL)
        html_printf(b, "<div id=\"%s-hint\" class=\"govuk-hint\">%s</div>", name, hint);
    if (error != NULL)
        html_printf(b,
                    "<p id=\"%s-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">"
                    "Error:</span> %s</p>",
                    name, error);
    return error;
}

static void described_by(struct buf *b, const char *name, const char *hint, const char *error)
{
    if (hint == NULL && error == NULL)
        return;
    html_printf(b, " aria-describedby=\"");
    if (hint != NULL)
        html_printf(b, "%s-hint", name);
    if (error != NULL)
        html_printf(b, "%R%s-error", hint ? " " : "", name);
    html_printf(b, "\"");
}

void forms_input(struct buf *b, const char *name, const char *label, const char *type, const char *value,
                 const char *hint, const char *autocomplete, const struct errors *errors)
{
    const char *error = group_begin(b, name, label, hint, errors);
    html_printf(b, "<input class=\"govuk-input%R\" id=\"%s\" name=\"%s\" type=\"%s\"",
                error ? " govuk-input--error" : "", name, name, type);
    if (value != NULL && strcmp(type, "password") != 0)
        html_printf(b, " value=\"%s\"", value);
    if (autocomplete != NULL)
        html_printf(b, " autocomplete=\"%s\"", autocomplete);
    if (strcmp(type, "email") == 0)
        html_printf(b, " spellcheck=\"false\"");
    described_by(b, name, hint, error);
    html_printf(b, "></div>");
}

void forms_select(struct buf *b, const char *name, const char *label, const struct form_option *options, size_t count,
                  const char *selected, const char *hint, const struct errors *errors)
{
    const char *error = group_begin(b, name, label, hint, errors);
    html_printf(b, "<select class=\"govuk-select%R\" id=\"%s\" name=\"%s\"", error ? " govuk-select--error" : "", name,
                name);
    described_by(b, name, hint, error);
    html_printf(b, ">");
    for (size_t i = 0; i < count; i++)
        html_printf(b, "<option value=\"%s\"%R>%s</option>", options[i].value,
                    selected && strcmp(selected, options[i].value) == 0 ? " selected" : "", options[i].label);
    html_printf(b, "</select></div>");
}

void forms_textarea(struct buf *b, const char *name, const char *label, const char *value, const char *hint, int rows,
                    const struct errors *errors)
{
    const char *error = group_begin(b, name, label, hint, errors);
    html_printf(b, "<textarea class=\"govuk-textarea%R\" id=\"%s\" name=\"%s\" rows=\"%d\"",
                error ? " govuk-textarea--error" : "", name, name, rows);
    described_by(b, name, hint, error);
    html_printf(b, ">%s</textarea></div>", value ? value : "");
}

void forms_button(struct buf *b, const char *text, const char *variant)
{
    html_printf(b, "<button type=\"submit\" class=\"govuk-button%R%s\" data-module=\"govuk-button\">%s</button>",
                variant ? " govuk-button--" : "", variant ? variant : "", text);
}

void forms_checkbox(struct buf *b, const char *name, const char *label, bool checked)
{
    html_printf(b,
                "<div class=\"govuk-form-group\"><div class=\"govuk-checkboxes govuk-checkboxes--small\" "
                "data-module=\"govuk-checkboxes\"><div class=\"govuk-checkboxes__item\">"
                "<input class=\"govuk-checkboxes__input\" id=\"%s\" name=\"%s\" type=\"checkbox\" value=\"1\"%R>"
                "<label class=\"govuk-label govuk-checkboxes__label\" for=\"%s\">%s</label></div></div></div>",
                name, name, checked ? " checked" : "", name, label);
}

void forms_checkboxes(struct buf *b, struct request *request, const char *name, const char *legend, const char *hint,
                      const struct form_option *options, size_t count, const char *const *checked, size_t checked_count,
                      const struct errors *errors)
{
    const char *error = forms_field_error(errors, name);
    html_printf(b,
                "<div class=\"govuk-form-group%R\"><fieldset class=\"govuk-fieldset\"%R><legend "
                "class=\"govuk-fieldset__legend govuk-fieldset__legend--m\">%s</legend>",
                error ? " govuk-form-group--error" : "",
                hint || error ? request_printf(request, " aria-describedby=\"%s%s%s%s\"", hint ? name : "",
                                               hint ? "-hint" : "", error ? (hint ? " " : "") : "",
                                               error ? request_printf(request, "%s-error", name) : "")
                              : "",
                legend);
    if (hint != NULL)
        html_printf(b, "<div id=\"%s-hint\" class=\"govuk-hint\">%s</div>", name, hint);
    if (error != NULL)
        html_printf(b,
                    "<p id=\"%s-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">"
                    "Error:</span> %s</p>",
                    name, error);
    html_printf(b, "<div class=\"govuk-checkboxes\" data-module=\"govuk-checkboxes\">");
    for (size_t i = 0; i < count; i++) {
        bool ticked = false;
        for (size_t k = 0; k < checked_count && !ticked; k++)
            ticked = strcmp(checked[k], options[i].value) == 0;
        /* The first box carries the field's own id, so the error summary's link lands on it. */
        const char *id = i == 0 ? name : request_printf(request, "%s-%zu", name, i + 1);
        html_printf(b,
                    "<div class=\"govuk-checkboxes__item\"><input class=\"govuk-checkboxes__input\" id=\"%s\" "
                    "name=\"%s\" type=\"checkbox\" value=\"%s\"%R><label class=\"govuk-label "
                    "govuk-checkboxes__label\" for=\"%s\">%s</label></div>",
                    id, name, options[i].value, ticked ? " checked" : "", id, options[i].label);
    }
    html_printf(b, "</div></fieldset></div>");
}

void forms_action_button(struct buf *b, struct request *request, const char *action, const char *text,
                         const char *variant)
{
    html_printf(b, "<form method=\"post\" action=\"%s\" class=\"npq-inline-form\">", action);
    forms_csrf(b, request);
    forms_button(b, text, variant);
    html_printf(b, "</form>");
}

const char *forms_value(struct request *request, const char *name)
{
    const char *s = request->form ? form_get(request->form, name) : NULL;
    return s != NULL ? s : "";
}

const char *forms_text(struct request *request, const char *name)
{
    const char *s = forms_value(request, name);
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    return request_strndup(request, (struct str){s, n});
}

int64_t forms_id(const char *text)
{
    if (text == NULL || *text == '\0')
        return 0;
    if (strlen(text) > 18)
        return -1;
    int64_t id = 0;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        id = id * 10 + (*p - '0');
    }
    return id > 0 ? id : -1;
}

struct forms_date forms_date_posted(struct request *request, const char *name)
{
    return (struct forms_date){forms_text(request, request_printf(request, "%s-day", name)),
                               forms_text(request, request_printf(request, "%s-month", name)),
                               forms_text(request, request_printf(request, "%s-year", name))};
}

/* Digits only, 1 to max of them, as a number; -1 otherwise. */
static int digits(const char *text, size_t max)
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

struct forms_date forms_date_of(struct request *request, const char *iso)
{
    int y, m, d;
    if (iso == NULL || strlen(iso) != 10 || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return (struct forms_date){"", "", ""};
    return (struct forms_date){request_printf(request, "%d", d), request_printf(request, "%d", m),
                               request_printf(request, "%04d", y)};
}

const char *forms_date_iso(struct request *request, const struct forms_date *date, const char *name, const char *what,
                           struct errors *errors)
{
    if (*date->day == '\0' && *date->month == '\0' && *date->year == '\0') {
        errors_add(errors, name, "Enter the %s date", what);
        return NULL;
    }
    int day = digits(date->day, 2), month = digits(date->month, 2), year = digits(date->year, 4);
    /* A real day: one that timegm does not move into the next month. */
    struct tm tm = {.tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = day, .tm_hour = 12};
    bool real = day >= 1 && day <= 31 && month >= 1 && month <= 12 && year >= 1000 && timegm(&tm) != (time_t)-1 &&
                tm.tm_mday == day && tm.tm_mon == month - 1;
    if (!real) {
        errors_add(errors, name, "Enter a real %s date, like 1 9 2027", what);
        return NULL;
    }
    return request_printf(request, "%04d-%02d-%02d", year, month, day);
}

void forms_date_input(struct buf *b, const char *name, const char *legend, const char *hint,
                      const struct forms_date *value, const struct errors *errors)
{
    const char *error = forms_field_error(errors, name);
    html_printf(b, "<div class=\"govuk-form-group%R\"><fieldset class=\"govuk-fieldset\" role=\"group\"",
                error ? " govuk-form-group--error" : "");
    described_by(b, name, hint, error);
    html_printf(b, "><legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">%s</legend>", legend);
    if (hint != NULL)
        html_printf(b, "<div id=\"%s-hint\" class=\"govuk-hint\">%s</div>", name, hint);
    if (error != NULL)
        html_printf(b,
                    "<p id=\"%s-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">"
                    "Error:</span> %s</p>",
                    name, error);
    html_printf(b, "<div class=\"govuk-date-input\">");
    static const char *const labels[] = {"Day", "Month", "Year"};
    static const char *const parts[] = {"day", "month", "year"};
    const char *values[] = {value ? value->day : "", value ? value->month : "", value ? value->year : ""};
    for (int i = 0; i < 3; i++) {
        /* The first box carries the field's own id, so the summary's link lands in it. */
        const char *id = i == 0 ? name : NULL;
        html_printf(b,
                    "<div class=\"govuk-date-input__item\"><div class=\"govuk-form-group\"><label class=\"govuk-label "
                    "govuk-date-input__label\" for=\"%s%R%R\">%s</label><input class=\"govuk-input "
                    "govuk-date-input__input govuk-input--width-%R%R\" id=\"%s%R%R\" name=\"%s-%R\" type=\"text\" "
                    "inputmode=\"numeric\" value=\"%s\"></div></div>",
                    name, id ? "" : "-", id ? "" : parts[i], labels[i], i == 2 ? "4" : "2",
                    error ? " govuk-input--error" : "", name, id ? "" : "-", id ? "" : parts[i], name, parts[i],
                    values[i]);
    }
    html_printf(b, "</div></fieldset></div>");
}

void forms_errors_in_order(struct errors *errors, const char *const *fields, size_t count)
{
    struct errors sorted = ERRORS_INIT;
    for (size_t k = 0; k <= count; k++)
        for (size_t i = 0; i < errors->count; i++) {
            bool known = false;
            for (size_t j = 0; j < count && !known; j++)
                known = strcmp(errors->items[i].where, fields[j]) == 0;
            if (k < count ? strcmp(errors->items[i].where, fields[k]) == 0 : !known)
                errors_add(&sorted, errors->items[i].where, "%s", errors->items[i].message);
        }
    errors_free(errors);
    *errors = sorted;
}

int forms_clock_minutes(const char *text)
{
    const char *p = text;
    int hour = 0, minute = 0, digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 2) {
        hour = hour * 10 + (*p - '0');
        p++;
        digits++;
    }
    if (digits == 0)
        return -1;
    if (*p == ':' || *p == '.') {
        p++;
        if (!(p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9'))
            return -1;
        minute = (p[0] - '0') * 10 + (p[1] - '0');
        p += 2;
    }
    while (*p == ' ')
        p++;
    if (strcasecmp(p, "am") == 0 || strcasecmp(p, "pm") == 0) {
        if (hour < 1 || hour > 12)
            return -1;
        hour = hour % 12 + (tolower((unsigned char)*p) == 'p' ? 12 : 0);
    } else if (*p != '\0') {
        return -1;
    }
    if (hour > 23 || minute > 59)
        return -1;
    return hour * 60 + minute;
}
