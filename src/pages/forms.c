#include "pages/forms.h"

#include "http/auth.h"
#include "pages/html.h"

#include <string.h>

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
