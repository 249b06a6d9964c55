/*
 * GOV.UK form patterns: the error summary at the top, each field with its label, hint and
 * error message beside it, and the hidden CSRF field every form carries. Values are escaped.
 */
#ifndef NPQ_PAGES_FORMS_H
#define NPQ_PAGES_FORMS_H

#include "http/request.h"
#include "lib/buf.h"
#include "lib/errors.h"

#include <stdbool.h>
#include <stdint.h>

struct form_option {
    const char *value;
    const char *label;
};

/* Reading a posted form: a field as sent, or "" (never NULL). */
const char *forms_value(struct request *request, const char *name);

/* A field without surrounding white space, or "". */
const char *forms_text(struct request *request, const char *name);

/* A record's id from a form value: 0 when empty, -1 when not a positive number. */
int64_t forms_id(const char *text);

/* <form method="post" action="..."> with its CSRF field; close with forms_end. */
void forms_begin(struct buf *b, struct request *request, const char *action);
void forms_end(struct buf *b);

/* The hidden CSRF field alone (for forms built by hand). */
void forms_csrf(struct buf *b, struct request *request);

/* "There is a problem" with a link to each field in error; nothing when there are none. */
void forms_error_summary(struct buf *b, const struct errors *errors);

/* The first error for field, or NULL. */
const char *forms_field_error(const struct errors *errors, const char *field);

/* A text input (type "text", "email", "password", "number"...). hint and autocomplete may be NULL. */
void forms_input(struct buf *b, const char *name, const char *label, const char *type, const char *value,
                 const char *hint, const char *autocomplete, const struct errors *errors);

/* A drop-down list; the option whose value equals selected is chosen. */
void forms_select(struct buf *b, const char *name, const char *label, const struct form_option *options, size_t count,
                  const char *selected, const char *hint, const struct errors *errors);

/* A textarea. */
void forms_textarea(struct buf *b, const char *name, const char *label, const char *value, const char *hint, int rows,
                    const struct errors *errors);

/* A date as typed in the three boxes of the GOV.UK date input (never NULL: "" when empty). */
struct forms_date {
    const char *day, *month, *year;
};
/* The boxes name-day, name-month and name-year as posted. */
struct forms_date forms_date_posted(struct request *request, const char *name);
/* A stored date ("2027-09-01") in the boxes: "1", "9", "2027"; empty boxes for anything else. */
struct forms_date forms_date_of(struct request *request, const char *iso);
/* The date typed as "YYYY-MM-DD" (request memory), or NULL after adding an error at name: "Enter
 * the WHAT date" when empty, "Enter a real WHAT date, like 1 9 2027" otherwise. */
const char *forms_date_iso(struct request *request, const struct forms_date *date, const char *name, const char *what,
                           struct errors *errors);
/* The date input: a fieldset whose legend is the question, its first box with id name (where the
 * error summary links). */
void forms_date_input(struct buf *b, const char *name, const char *legend, const char *hint,
                      const struct forms_date *value, const struct errors *errors);
/* A time of day as people type it ("9:30", "09:30", "9.30", "9:30am", "9am", "2 pm", "14:00") in
 * minutes after midnight; -1 for anything else. */
int forms_clock_minutes(const char *text);
/* Reorders errors to follow a form's fields (those at other places last), so the summary reads in
 * the order of the form whichever check found each. */
void forms_errors_in_order(struct errors *errors, const char *const *fields, size_t count);

/* A submit button; secondary and warning are the GOV.UK variants. */
void forms_button(struct buf *b, const char *text, const char *variant);

/* One small checkbox whose value, when ticked, is "1". */
void forms_checkbox(struct buf *b, const char *name, const char *label, bool checked);

/* Checkboxes sharing name, one per option, in a fieldset with legend and hint (NULL for none);
 * those whose value is among checked (count of them) are ticked. The error for name is shown. */
void forms_checkboxes(struct buf *b, struct request *request, const char *name, const char *legend, const char *hint,
                      const struct form_option *options, size_t count, const char *const *checked, size_t checked_count,
                      const struct errors *errors);

/* A one-button form posting to action (sign out, revoke, deactivate). */
void forms_action_button(struct buf *b, struct request *request, const char *action, const char *text,
                         const char *variant);

#endif
