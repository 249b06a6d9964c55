/*
 * The assessment pages (assessment.h says what each route is): a participant's tasks, one piece of
 * work with its draft, files, versions and receipts, a coach's feedback, the marking queue, the
 * marking form and releasing a result. Kept apart from the delivery pages because they follow a
 * piece of work through its states rather than a cohort's running.
 *
 * No rule lives here. Starting, saving, files, submitting, feedback, marking and releasing go
 * through app/assessment.h exactly as the JSON API does, and what each caller sees of unreleased
 * results and marks is what assessment_submission_read (view_of) and assessment_marking_queue
 * return: these pages render the marks they are given and never filter or add to them. Which forms
 * to offer is asked of the policy (policy_allows) and of the view the use case worked out; the
 * use case refuses anything else in its own words, which the page shows in the error summary.
 */
#include "pages/assessment.h"

#include "app/assessment.h"
#include "app/coaching.h" /* activities_modules: the modules of an enrolment */
#include "http/reply.h"
#include "http/site.h"
#include "lib/file_type.h"
#include "lib/markdown.h"
#include "lib/text.h"
#include "pages/forms.h"
#include "pages/html.h"
#include "pages/layout.h"
#include "pages/widgets.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum {
    MODULES_MAX = 64,    /* modules of one enrolment */
    ROWS_SHOWN = 200,    /* rows of a list of submissions */
    OUTCOMES_READ = 200, /* submissions whose released result a list looks up */
};

/* ---- Helpers: text ---- */

static const char *id_text(struct request *request, int64_t id)
{
    return request_printf(request, "%" PRId64, id);
}

/* 50009 as "50,009". */
static const char *with_commas(struct request *request, int64_t n)
{
    char grouped[32];
    text_thousands(n < 0 ? 0 : (uint64_t)n, grouped);
    return request_strndup(request, str_of(grouped));
}

static const char *words_text(struct request *request, size_t words)
{
    return request_printf(request, "%s word%s", with_commas(request, (int64_t)words), words == 1 ? "" : "s");
}

/* What a task is for: "Closing the gap" (a module's task) or "NPQSL final assessment". */
static const char *task_target_text(struct request *request, const struct catalogue *c, const struct assessment_task *t)
{
    if (t->kind == TASK_FINAL)
        return request_printf(request, "%s final assessment", t->target);
    const struct catalogue_module *m = c ? catalogue_module_find(c, t->target, strlen(t->target)) : NULL;
    return m ? m->title : t->target;
}

/* The title of what an enrolment is in. */
static const char *enrolment_title(const struct catalogue *c, const struct enrolment *e)
{
    if (e->kind == STUDY_QUALIFICATION) {
        const struct catalogue_qualification *q = catalogue_qualification_find(c, e->target, strlen(e->target));
        return q ? q->title : e->target;
    }
    const struct catalogue_module *m = catalogue_module_find(c, e->target, strlen(e->target));
    return m ? m->title : e->target;
}

/* ---- Helpers: page furniture ---- */

/* Plain text as people wrote it: paragraphs at blank lines, line breaks kept, all of it escaped. */
static void text_block(struct buf *b, struct request *request, const char *text)
{
    const char *p = text ? text : "";
    bool open = false;
    while (*p) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        size_t shown = len > 0 && p[len - 1] == '\r' ? len - 1 : len;
        bool blank = true;
        for (size_t i = 0; i < shown && blank; i++)
            blank = p[i] == ' ' || p[i] == '\t';
        if (blank && open) {
            html_printf(b, "</p>");
            open = false;
        } else if (!blank) {
            html_printf(b, open ? "<br>" : "<p class=\"govuk-body govuk-!-text-break-word\">");
            open = true;
            html_printf(b, "%s", request_strndup(request, (struct str){p, shown}));
        }
        p += len + (end ? 1 : 0);
    }
    if (open)
        html_printf(b, "</p>");
}

static void summary_row(struct buf *b, const char *key, const char *value_markup)
{
    html_printf(b,
                "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">%s</dt>"
                "<dd class=\"govuk-summary-list__value govuk-!-text-break-word\">%R</dd></div>",
                key, value_markup);
}

/* A SHA-256 in the monospace style of tokens, so it can be read and compared. */
static const char *hash_markup(struct request *request, const char *hex)
{
    struct buf b;
    buf_init(&b, 1024);
    html_printf(&b, "<span class=\"npq-token\" data-testid=\"sha256\">%s</span>", hex ? hex : "");
    return page_markup(request, &b);
}

/* The state of work as its reader may see it (the use case's shown_state). */
static const char *state_tag(struct request *request, enum submission_state state, int versions)
{
    switch (state) {
    case SUBMISSION_DRAFT: return page_tag(request, "grey", versions > 0 ? "Being revised" : "Draft");
    case SUBMISSION_SUBMITTED: return page_tag(request, "blue", "Submitted");
    case SUBMISSION_MARKED: return page_tag(request, "purple", "Marked");
    case SUBMISSION_MODERATED: return page_tag(request, "purple", "Moderated");
    case SUBMISSION_RELEASED: return page_tag(request, "green", "Result released");
    }
    return "";
}

/* When a version was submitted, in UK time, flagged when late. */
static const char *submitted_markup(struct request *request, const struct submission_version *v)
{
    struct buf b;
    buf_init(&b, 4096);
    html_printf(&b, "%s", page_time(request, v->submitted_at, DATE_MOMENT));
    if (v->late)
        html_printf(&b, " %R", page_tag(request, "red", "Late"));
    return page_markup(request, &b);
}

/* A released outcome in the domain's words. */
static const char *outcome_tag(struct request *request, enum mark_outcome outcome)
{
    const char *colour = outcome == OUTCOME_PASS ? "green" : outcome == OUTCOME_REFER ? "orange" : "red";
    return page_tag(request, colour, mark_outcome_title(outcome));
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

/* An error message above a field (nothing when error is NULL). */
static void error_message(struct buf *b, const char *id, const char *error)
{
    if (error != NULL)
        html_printf(b,
                    "<p id=\"%s-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:"
                    "</span> %s</p>",
                    id, error);
}

/* Radios in a fieldset whose legend is the question. The first input's id is id (where the error
 * summary links); the others add -2, -3... */
struct radio_item {
    const char *value;
    const char *label;
};

static void radios(struct buf *b, struct request *request, const char *name, const char *id, const char *legend,
                   const char *hint, const struct radio_item *items, size_t count, const char *selected,
                   const char *error, bool inline_items)
{
    html_printf(b, "<div class=\"govuk-form-group%R\"><fieldset class=\"govuk-fieldset\"",
                error ? " govuk-form-group--error" : "");
    if (hint != NULL || error != NULL) {
        html_printf(b, " aria-describedby=\"");
        if (hint != NULL)
            html_printf(b, "%s-hint", id);
        if (error != NULL)
            html_printf(b, "%R%s-error", hint ? " " : "", id);
        html_printf(b, "\"");
    }
    html_printf(b, "><legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">%s</legend>", legend);
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

/* Starts a page, with "Error: " before its title when errors are shown. */
static void begin(struct page *page, const char *title, const struct errors *errors)
{
    page_begin(page, title, SECTION_ASSESSMENT);
    page->has_errors = errors != NULL && errors->count > 0;
}

/* The fixed sentence for ?notice=NAME; NULL for a name this page never sends. */
struct notice {
    const char *name;
    const char *message;
};

static const char *notice_name(struct request *request)
{
    const char *name = form_get(request_query(request), "notice");
    return name ? name : "";
}

static const char *notice_for(struct request *request, const struct notice *notices, size_t count)
{
    const char *name = notice_name(request);
    for (size_t i = 0; i < count; i++)
        if (strcmp(name, notices[i].name) == 0)
            return notices[i].message;
    return NULL;
}

/* Whether the policy gives the caller a permission at all (the route's own check, for links). */
static bool may(struct request *request, enum permission permission)
{
    return policy_allows(permission, request->caller, RESOURCE_NONE, NULL);
}

/* A use case's errors at the places of this page the summary can link to: fields keep their
 * names; what is about the file goes to the upload; what is about the whole work to its anchor. */
static void errors_placed(struct errors *to, const struct errors *from, const char *whole)
{
    for (size_t i = 0; i < from->count; i++) {
        const char *where = from->items[i].where;
        if (strcmp(where, "name") == 0 || strcmp(where, "content_type") == 0)
            where = "file";
        else if (strcmp(where, "state") == 0 || strcmp(where, "marker") == 0 || strcmp(where, "enrolment_id") == 0 ||
                 strcmp(where, "task_id") == 0)
            where = whole;
        errors_add(to, where, "%s", from->items[i].message);
    }
}

/* ---- /assessment ---- */

/* The released result of a submission's latest version, read as the caller may see it; false when
 * it has none (a resubmission waiting for its result shows no earlier one). */
static bool released_outcome(struct request *request, const struct accounts_env *env, int64_t id,
                             enum mark_outcome *outcome)
{
    struct submission_detail d;
    if (assessment_submission_read(env, request->caller, id, request_arena(request), &d) != APP_OK ||
        d.version_count == 0 || !d.versions[d.version_count - 1].has_result)
        return false;
    *outcome = d.versions[d.version_count - 1].result;
    return true;
}

/* The submission of a task in an enrolment among the caller's list, or NULL. */
static const struct submission_summary *work_on(const struct submission_summary *list, size_t count, int64_t task_id,
                                                int64_t enrolment_id)
{
    for (size_t i = 0; i < count; i++)
        if (list[i].submission.task_id == task_id && list[i].submission.enrolment_id == enrolment_id)
            return &list[i];
    return NULL;
}

/* Whether a task is one of an enrolment's, for listing it (the use case decides when work starts). */
static bool task_listed(const struct catalogue *c, const struct assessment_task *t, const struct enrolment *e)
{
    if (t->kind == TASK_FINAL)
        return e->kind == STUDY_QUALIFICATION && strcasecmp(e->target, t->target) == 0;
    const struct catalogue_module *modules[MODULES_MAX];
    size_t n = activities_modules(c, e, modules, MODULES_MAX);
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(modules[i]->code, t->target) == 0)
            return true;
    return false;
}

/* The participant's own tasks, enrolment by enrolment. */
static void own_tasks(struct buf *b, struct request *request, const struct catalogue *c, const struct accounts_env *env,
                      const struct submission_summary *list, size_t count)
{
    struct arena *arena = request_arena(request);
    struct enrolment *enrolments;
    struct assessment_task *tasks;
    size_t enrolment_count, task_count;
    if (store_enrolment_list_for(env->store, request->caller->user_id, arena, &enrolments, &enrolment_count) !=
            STORE_OK ||
        store_task_list(env->store, NULL, arena, &tasks, &task_count) != STORE_OK) {
        html_printf(b, "<p class=\"govuk-body\">Your tasks cannot be read right now. Try again in a moment.</p>");
        return;
    }
    html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"tasks\">Your tasks</h2>");
    size_t live = 0, reads = 0;
    for (size_t e = 0; e < enrolment_count; e++) {
        const struct enrolment *en = &enrolments[e];
        if (en->state != ENROLMENT_ACTIVE && en->state != ENROLMENT_DEFERRED)
            continue;
        live++;
        html_printf(b, "<h3 class=\"govuk-heading-s\">%s%R%s</h3>", enrolment_title(c, en), en->cohort_code ? ", " : "",
                    en->cohort_code ? en->cohort_code : "");
        size_t shown = 0;
        for (size_t i = 0; i < task_count; i++) {
            const struct assessment_task *t = &tasks[i];
            if (!task_listed(c, t, en))
                continue;
            if (shown++ == 0) {
                static const char *const headers[] = {"Task", "Deadline (UK time)", "Status", ""};
                table_begin(b, request_printf(request, "Tasks of %s", enrolment_title(c, en)), headers, 4);
            }
            const struct submission_summary *w = work_on(list, count, t->id, en->id);
            html_printf(b, "<tr class=\"govuk-table__row\" data-testid=\"task\"><td class=\"govuk-table__cell\">");
            if (w != NULL)
                html_printf(b, "<a class=\"govuk-link\" href=\"/submissions/%s\">%s</a>",
                            id_text(request, w->submission.id), t->title);
            else
                html_printf(b, "%s", t->title);
            html_printf(b,
                        "<br><span class=\"govuk-hint govuk-!-font-size-16\">%s</span></td>"
                        "<td class=\"govuk-table__cell\">%s</td><td class=\"govuk-table__cell\">",
                        task_target_text(request, c, t), page_time(request, t->deadline, DATE_MOMENT));
            if (w != NULL) {
                html_printf(b, "%R", state_tag(request, w->shown_state, w->submission.versions));
                enum mark_outcome outcome;
                if (w->submission.versions > 0 && reads++ < OUTCOMES_READ &&
                    released_outcome(request, env, w->submission.id, &outcome))
                    html_printf(b, " %R", outcome_tag(request, outcome));
            } else {
                html_printf(b, "%R", page_tag(request, "grey", "Not started"));
            }
            html_printf(b, "</td><td class=\"govuk-table__cell\">");
            if (w == NULL) {
                html_printf(b, "<form method=\"post\" action=\"/assessment/start\" class=\"npq-inline-form\">");
                forms_csrf(b, request);
                html_printf(b,
                            "<input type=\"hidden\" name=\"task_id\" value=\"%s\"><input type=\"hidden\" "
                            "name=\"enrolment_id\" value=\"%s\"><button type=\"submit\" class=\"govuk-button "
                            "govuk-button--secondary\" data-module=\"govuk-button\">Start<span "
                            "class=\"govuk-visually-hidden\"> %s</span></button></form>",
                            id_text(request, t->id), id_text(request, en->id), t->title);
            }
            html_printf(b, "</td></tr>");
        }
        if (shown > 0)
            table_end(b);
        else
            html_printf(b, "<p class=\"govuk-body\">No tasks have been set for this yet.</p>");
    }
    if (live == 0)
        html_printf(b, "<p class=\"govuk-body\">You have no enrolment with assessed work.</p>");
}

/* The work of the participants the caller coaches (or, for those who mark, everyone's). */
static void others_work(struct buf *b, struct request *request, const struct accounts_env *env,
                        const struct submission_summary *list, size_t count, const char *heading, bool outcomes)
{
    html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"work\">%s</h2>", heading);
    static const char *const headers[] = {"Participant", "Task", "Status", "Last submitted (UK time)"};
    size_t shown = 0, reads = 0;
    for (size_t i = 0; i < count && shown < ROWS_SHOWN; i++) {
        const struct submission *s = &list[i].submission;
        if (s->participant_id == request->caller->user_id)
            continue;
        if (shown++ == 0)
            table_begin(b, heading, headers, 4);
        html_printf(b,
                    "<tr class=\"govuk-table__row\" data-testid=\"work\"><td class=\"govuk-table__cell\">%s</td>"
                    "<td class=\"govuk-table__cell\"><a class=\"govuk-link\" href=\"/submissions/%s\">%s</a></td>"
                    "<td class=\"govuk-table__cell\">%R",
                    s->participant_name, id_text(request, s->id), s->task_title,
                    state_tag(request, list[i].shown_state, s->versions));
        enum mark_outcome outcome;
        if (outcomes && s->versions > 0 && reads++ < OUTCOMES_READ && released_outcome(request, env, s->id, &outcome))
            html_printf(b, " %R", outcome_tag(request, outcome));
        html_printf(b, "</td><td class=\"govuk-table__cell\">%s</td></tr>",
                    page_time(request, s->latest_submitted_at, DATE_MOMENT));
    }
    if (shown > 0)
        table_end(b);
    else
        html_printf(b, "<p class=\"govuk-body\">No work has been started yet.</p>");
}

static void assessment_page(struct request *request, const struct errors *errors, int status)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    const struct caller *caller = request->caller;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct submission_summary *list;
    size_t count;
    if (assessment_submission_list(&env, caller, 0, &(struct store_page){.limit = 1000}, request_arena(request), &list,
                                   &count) != APP_OK) {
        page_unavailable(request);
        return;
    }
    struct page page;
    begin(&page, "Assessment", errors);
    struct buf *b = &page.body;
    forms_error_summary(b, errors);
    html_printf(b, "<h1 class=\"govuk-heading-l\">Assessment</h1>");
    bool marker = may(request, PERM_MARKING);
    if (marker) {
        html_printf(b, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/marking\">The marking queue</a>: work "
                       "waiting for an assessor, and marked work waiting for a moderator.</p>");
    }
    if (may(request, PERM_ASSESSMENT_MANAGE))
        html_printf(b, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/assessment/tasks\">Assessment "
                       "tasks</a>: set and change tasks, their briefs and criteria. <a class=\"govuk-link\" "
                       "href=\"/assessment/release\">Results waiting for release</a>.</p>");
    if (caller_has(caller, ROLE_PARTICIPANT))
        own_tasks(b, request, c, &env, list, count);
    if (marker)
        others_work(b, request, &env, list, count, "All participants’ work", false);
    else if (caller_has(caller, ROLE_COACH))
        others_work(b, request, &env, list, count, "Your participants’ work", true);
    page_send(request, &page, status);
}

void page_assessment(struct request *request)
{
    assessment_page(request, NULL, 200);
}

void page_assessment_start(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    int64_t task_id = forms_id(forms_text(request, "task_id")),
            enrolment_id = forms_id(forms_text(request, "enrolment_id"));
    struct errors found = ERRORS_INIT, errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t id = 0;
    enum app_result r = assessment_submission_start(&env, c, request->caller, task_id > 0 ? task_id : 0,
                                                    enrolment_id > 0 ? enrolment_id : 0, &id, &found);
    if (r == APP_OK)
        reply_redirect(request, request_printf(request, "/submissions/%" PRId64 "?notice=started", id));
    else if (r == APP_CONFLICT && id > 0)
        reply_redirect(request, request_printf(request, "/submissions/%" PRId64, id)); /* started already: carry on */
    else if (!page_refused(request, r, NULL)) {
        errors_placed(&errors, &found, "tasks");
        if (errors.count == 0)
            errors_add(&errors, "tasks", "This work cannot be started");
        assessment_page(request, &errors, page_status(r));
    }
    errors_free(&found);
    errors_free(&errors);
}

/* ---- /submissions/{id} ---- */

/* What the submission page's forms held when they were sent back with errors. */
struct submission_forms {
    const char *activity, *text; /* the draft */
    const char *body, *version;  /* a coach's feedback */
};

static void file_row(struct buf *b, struct request *request, const struct submission_file *f, bool removable)
{
    const char *href =
        request_printf(request, "/api/v1/submissions/%" PRId64 "/files/%" PRId64, f->submission_id, f->id);
    html_printf(b,
                "<li data-testid=\"file\"><a class=\"govuk-link\" href=\"%s\" download>%s</a> "
                "<span class=\"govuk-hint govuk-!-font-size-16\">%s, SHA-256 %R</span>",
                href, f->name, page_bytes_text(request, f->size), hash_markup(request, f->sha256));
    if (removable)
        page_post_button(
            b, request,
            request_printf(request, "/submissions/%" PRId64 "/files/%" PRId64 "/remove", f->submission_id, f->id),
            "Remove", f->name, "warning");
    html_printf(b, "</li>");
}

static void feedback_item(struct buf *b, struct request *request, const struct submission_feedback *f)
{
    html_printf(b,
                "<div class=\"govuk-inset-text\" data-testid=\"coach-feedback\"><p class=\"govuk-body-s "
                "govuk-!-margin-bottom-1\"><strong>%s</strong>, %s</p>",
                f->author_name, page_time(request, f->created_at, DATE_MOMENT));
    page_markdown(b, f->body, false);
    html_printf(b, "</div>");
}

/* One marking as its reader may see it: the use case has left out what they may not. */
static void mark_block(struct buf *b, struct request *request, const struct mark *m, const struct assessment_task *t)
{
    html_printf(
        b,
        "<div class=\"govuk-summary-card\" data-testid=\"mark\"><div class=\"govuk-summary-card__title-wrapper\">"
        "<h4 class=\"govuk-summary-card__title\">%s’s marking by %s</h4></div><div "
        "class=\"govuk-summary-card__content\"><dl class=\"govuk-summary-list\">",
        m->role == MARK_ASSESSOR ? "Assessor" : "Moderator", m->marker_name);
    summary_row(b, "Outcome", outcome_tag(request, m->outcome));
    for (size_t i = 0; i < m->criteria_count; i++) {
        struct buf v;
        buf_init(&v, 64 * 1024);
        html_printf(&v, "%R",
                    page_tag(request, m->criteria[i].met ? "green" : "yellow", m->criteria[i].met ? "Met" : "Not met"));
        if (m->criteria[i].comment && *m->criteria[i].comment)
            html_printf(&v, "<br>%s", m->criteria[i].comment);
        summary_row(b, i < t->criteria_count ? t->criteria[i].title : request_printf(request, "Criterion %zu", i + 1),
                    page_markup(request, &v));
    }
    html_printf(b, "</dl><h5 class=\"govuk-heading-s\">Feedback</h5>");
    page_markdown(b, m->feedback, false);
    html_printf(b, "</div></div>");
}

/* A version with its receipt, files, released result, marks and the coach's feedback on it. */
static void version_block(struct buf *b, struct request *request, const struct submission_detail *d,
                          const struct submission_version *v)
{
    html_printf(b, "<div class=\"govuk-!-margin-bottom-8\" id=\"version-%d\" data-testid=\"version\">", v->number);
    html_printf(b, "<h3 class=\"govuk-heading-m\">Version %d</h3>", v->number);
    if (v->has_result)
        html_printf(b,
                    "<p class=\"govuk-body\" data-testid=\"result\">Result: %R <span class=\"govuk-hint "
                    "govuk-!-font-size-16\">released %s</span></p>",
                    outcome_tag(request, v->result), page_time(request, v->released_at, DATE_MOMENT));
    html_printf(b, "<dl class=\"govuk-summary-list\">");
    summary_row(b, "Submitted", submitted_markup(request, v));
    summary_row(b, "Words", page_text_markup(request, with_commas(request, v->word_count)));
    summary_row(b, "Text SHA-256", hash_markup(request, v->text_sha256));
    struct buf files;
    buf_init(&files, 256 * 1024);
    size_t file_count = 0;
    for (size_t i = 0; i < d->file_count; i++)
        if (d->files[i].version_id == v->id) {
            if (file_count++ == 0)
                html_printf(&files, "<ul class=\"govuk-list\">");
            file_row(&files, request, &d->files[i], false);
        }
    if (file_count > 0)
        html_printf(&files, "</ul>");
    else
        html_printf(&files, "None");
    summary_row(b, "Files", page_markup(request, &files));
    html_printf(b, "</dl>");
    html_printf(b,
                "<div class=\"govuk-inset-text\" data-testid=\"receipt\"><h4 class=\"govuk-heading-s\">Receipt</h4>"
                "<p class=\"govuk-body govuk-!-text-break-word\">%s</p></div>",
                v->receipt);
    html_printf(b,
                "<details class=\"govuk-details\"><summary class=\"govuk-details__summary\"><span "
                "class=\"govuk-details__summary-text\">The text of version %d</span></summary>"
                "<div class=\"govuk-details__text\">",
                v->number);
    text_block(b, request, v->text);
    html_printf(b, "</div></details>");
    for (size_t i = 0; i < d->mark_count; i++)
        if (d->marks[i].version_id == v->id)
            mark_block(b, request, &d->marks[i], &d->task);
    for (size_t i = 0; i < d->feedback_count; i++)
        if (d->feedback[i].version_id == v->id)
            feedback_item(b, request, &d->feedback[i]);
    html_printf(b, "</div>");
}

/* The panel a participant sees just after submitting, with the receipt of what was received. */
static void submitted_panel(struct buf *b, struct request *request, const struct submission_detail *d)
{
    const struct submission_version *v = &d->versions[d->version_count - 1];
    html_printf(b,
                "<div class=\"govuk-panel govuk-panel--confirmation\" data-testid=\"submitted\"><h2 "
                "class=\"govuk-panel__title\">Work submitted</h2><div class=\"govuk-panel__body\">Version %d of "
                "your work was received on %s</div></div>",
                v->number, page_time(request, v->submitted_at, DATE_MOMENT));
    html_printf(b,
                "<div class=\"govuk-inset-text\" data-testid=\"latest-receipt\"><h2 class=\"govuk-heading-m\">Your "
                "receipt</h2><p class=\"govuk-body govuk-!-text-break-word\">%s</p><dl class=\"govuk-summary-list\">",
                v->receipt);
    summary_row(b, "Text SHA-256", hash_markup(request, v->text_sha256));
    for (size_t i = 0; i < d->file_count; i++)
        if (d->files[i].version_id == v->id)
            summary_row(b, request_printf(request, "%s SHA-256", d->files[i].name),
                        hash_markup(request, d->files[i].sha256));
    html_printf(b, "</dl><p class=\"govuk-body\">The SHA-256 fingerprints show exactly what was received. The receipt "
                   "has been emailed to you too. You will be emailed when your result is ready.</p></div>");
}

/* The participant's draft: the text and activity to save, the files, and submitting. */
static void draft_forms(struct buf *b, struct request *request, const struct submission_detail *d,
                        const struct submission_forms *f, const struct errors *errors)
{
    const struct submission *s = &d->submission;
    const char *self = request_printf(request, "/submissions/%" PRId64, s->id);
    size_t words = assessment_word_count(s->draft_text);
    html_printf(b, "<h2 class=\"govuk-heading-l\" id=\"work\">Your work</h2>");
    if (s->versions > 0)
        html_printf(b,
                    "<p class=\"govuk-body\">Revise your work using the feedback on version %d below, then "
                    "submit it again. You can resubmit %d more time%R.</p>",
                    s->versions, d->resubmissions_left, d->resubmissions_left == 1 ? "" : "s");
    forms_begin(b, request, request_printf(request, "%s/save", self));
    forms_input(b, "activity", "The school-improvement activity this work is about", "text",
                f && f->activity ? f->activity : s->activity, NULL, NULL, errors);
    const char *hint =
        d->task.word_limit > 0
            ? request_printf(request, "Your saved draft has %s. The limit is %s.", words_text(request, words),
                             words_text(request, (size_t)d->task.word_limit))
            : request_printf(request, "Your saved draft has %s. There is no word limit.", words_text(request, words));
    forms_textarea(b, "text", "Your work", f && f->text ? f->text : s->draft_text, hint, 20, errors);
    forms_button(b, "Save draft", "secondary");
    forms_end(b);

    html_printf(b, "<h3 class=\"govuk-heading-m\" id=\"files\">Files</h3>");
    size_t draft_files = 0;
    for (size_t i = 0; i < d->file_count; i++)
        if (d->files[i].version_id == 0) {
            if (draft_files++ == 0)
                html_printf(b, "<ul class=\"govuk-list\">");
            file_row(b, request, &d->files[i], true);
        }
    if (draft_files > 0)
        html_printf(b, "</ul>");
    else
        html_printf(b, "<p class=\"govuk-body\">No files attached.</p>");
    const char *error = forms_field_error(errors, "file");
    char limit[32];
    text_bytes(d->task.max_file_bytes, limit);
    html_printf(b, "<form method=\"post\" action=\"%s/files\" enctype=\"multipart/form-data\" novalidate>", self);
    forms_csrf(b, request);
    html_printf(b,
                "<div class=\"govuk-form-group%R\"><label class=\"govuk-label\" for=\"file\">Attach a file</label>"
                "<div id=\"file-hint\" class=\"govuk-hint\">Up to %s a file: %s</div>",
                error ? " govuk-form-group--error" : "", limit, file_type_known_list());
    error_message(b, "file", error);
    html_printf(b,
                "<input class=\"govuk-file-upload%R\" id=\"file\" name=\"file\" type=\"file\" aria-describedby="
                "\"file-hint%R\" accept=\"%s\"></div>",
                error ? " govuk-file-upload--error" : "", error ? " file-error" : "", file_type_accept_list());
    forms_button(b, "Upload file", "secondary");
    forms_end(b);

    html_printf(b,
                "<h3 class=\"govuk-heading-m\" id=\"submit\">Check and submit</h3><dl class=\"govuk-summary-list\">");
    summary_row(b, "Activity", page_text_markup(request, *s->activity ? s->activity : "Not named yet"));
    summary_row(
        b, "Words",
        page_text_markup(request, d->task.word_limit > 0
                                      ? request_printf(request, "%s of %s", with_commas(request, (int64_t)words),
                                                       with_commas(request, d->task.word_limit))
                                      : with_commas(request, (int64_t)words)));
    summary_row(b, "Files", page_text_markup(request, with_commas(request, (int64_t)draft_files)));
    html_printf(b, "</dl><p class=\"govuk-body\">What you have saved is what is submitted: save your draft first. "
                   "A submitted version cannot be changed.</p>");
    page_post_button(b, request, request_printf(request, "%s/submit", self), "Submit", NULL, NULL);
}

/* The draft as the coach reads it. */
static void draft_read_only(struct buf *b, struct request *request, const struct submission_detail *d)
{
    const struct submission *s = &d->submission;
    html_printf(b, "<h2 class=\"govuk-heading-l\" id=\"work\">The draft</h2><dl class=\"govuk-summary-list\">");
    summary_row(b, "Activity", page_text_markup(request, *s->activity ? s->activity : "Not named yet"));
    summary_row(b, "Words", page_text_markup(request, words_text(request, assessment_word_count(s->draft_text))));
    html_printf(b, "</dl>");
    if (s->draft_text && *s->draft_text)
        text_block(b, request, s->draft_text);
    else
        html_printf(b, "<p class=\"govuk-body\">Nothing written yet.</p>");
    size_t n = 0;
    for (size_t i = 0; i < d->file_count; i++)
        if (d->files[i].version_id == 0) {
            if (n++ == 0)
                html_printf(b, "<h3 class=\"govuk-heading-s\">Files</h3><ul class=\"govuk-list\">");
            file_row(b, request, &d->files[i], false);
        }
    if (n > 0)
        html_printf(b, "</ul>");
}

static void coach_feedback_form(struct buf *b, struct request *request, const struct submission_detail *d,
                                const struct submission_forms *f, const struct errors *errors)
{
    html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"feedback\">Give formative feedback</h2>");
    forms_begin(b, request, request_printf(request, "/submissions/%" PRId64 "/feedback", d->submission.id));
    struct form_option *options = arena_alloc(request_arena(request), sizeof(*options) * (d->version_count + 1));
    size_t n = 0;
    if (d->submission.state == SUBMISSION_DRAFT)
        options[n++] = (struct form_option){"0", "The draft"};
    for (size_t i = d->version_count; i > 0; i--)
        options[n++] = (struct form_option){request_printf(request, "%d", d->versions[i - 1].number),
                                            request_printf(request, "Version %d", d->versions[i - 1].number)};
    if (n > 0)
        forms_select(b, "version", "On", options, n, f ? f->version : NULL, NULL, errors);
    forms_textarea(b, "body", "Feedback", f ? f->body : NULL,
                   "The participant reads it beside their work. You can use Markdown.", 6, errors);
    forms_button(b, "Add feedback", NULL);
    forms_end(b);
}

/* Whether the caller's view offers marking now (the use case decides whether they may). */
static bool markable(const struct submission_detail *d)
{
    return d->shown_state == SUBMISSION_SUBMITTED || (d->shown_state == SUBMISSION_MARKED && d->awaiting_moderation);
}

/* Releasing, for administrators: the button when the work is ready, else why it is not. */
static void release_section(struct buf *b, struct request *request, const struct submission_detail *d)
{
    const char *why = NULL;
    switch (d->shown_state) {
    case SUBMISSION_DRAFT:
        why = d->version_count == 0 ? "This work has not been submitted: there is no result."
                                    : "The latest result has been released and the participant is revising the "
                                      "work: there is no new result.";
        break;
    case SUBMISSION_SUBMITTED: why = "This work has not been marked yet: there is no result to release."; break;
    case SUBMISSION_MARKED:
        if (d->awaiting_moderation)
            why = "This work must be moderated before its result is released: a second assessor marks it first.";
        break;
    case SUBMISSION_MODERATED: break;
    case SUBMISSION_RELEASED: why = "The result of this work has been released."; break;
    }
    html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"release\">Release the result</h2>");
    if (why != NULL) {
        html_printf(b, "<p class=\"govuk-body\" data-testid=\"release-reason\">%s</p>", why);
        return;
    }
    html_printf(b, "<p class=\"govuk-body\">The participant is emailed that a result is ready, and sees it with the "
                   "feedback when they sign in.</p>");
    page_post_button(b, request, request_printf(request, "/submissions/%" PRId64 "/release", d->submission.id),
                     "Release result", NULL, NULL);
}

static void submission_page(struct request *request, int64_t id, const struct submission_forms *f,
                            const struct errors *errors, int status)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct submission_detail d;
    enum app_result r = assessment_submission_read(&env, request->caller, id, request_arena(request), &d);
    if (r != APP_OK) {
        if (!page_refused(request, r, NULL))
            page_not_found(request);
        return;
    }
    const struct submission *s = &d.submission;
    const struct assessment_task *t = &d.task;
    bool has_errors = errors && errors->count > 0;

    struct page page;
    begin(&page, t->title, errors);
    page_breadcrumbs(&page, request, "/assessment", "Assessment", NULL, NULL);
    static const struct notice notices[] = {
        {"started", "Your draft has been started"},
        {"saved", "Draft saved"},
        {"file_added", "File attached"},
        {"file_removed", "File removed"},
        {"feedback_added", "Feedback added"},
        {"released", "Result released"},
    };
    const char *notice = has_errors ? NULL : notice_for(request, notices, sizeof(notices) / sizeof(notices[0]));
    if (notice != NULL)
        page_notice(&page, "success", notice);
    struct buf *b = &page.body;
    forms_error_summary(b, errors);
    if (!has_errors && d.view.participant && d.version_count > 0 && strcmp(notice_name(request), "submitted") == 0)
        submitted_panel(b, request, &d);

    html_printf(b, "<span class=\"govuk-caption-l\">%s%R%s</span><h1 class=\"govuk-heading-l\">%s</h1>",
                d.view.participant ? "" : s->participant_name, d.view.participant ? "" : ", ",
                task_target_text(request, c, t), t->title);
    html_printf(b, "<dl class=\"govuk-summary-list\">");
    summary_row(b, "Status", state_tag(request, d.shown_state, s->versions));
    summary_row(b, "Deadline",
                page_text_markup(
                    request, request_printf(request, "%s (UK time)", page_time(request, t->deadline, DATE_MOMENT))));
    summary_row(b, "Word limit",
                page_text_markup(request, t->word_limit > 0 ? words_text(request, (size_t)t->word_limit) : "None"));
    summary_row(b, "Resubmissions left",
                page_text_markup(request, request_printf(request, "%d", d.resubmissions_left)));
    html_printf(b, "</dl>");

    html_printf(b, "<h2 class=\"govuk-heading-m\">The task</h2>");
    page_markdown(b, t->brief, false);
    html_printf(b, "<h3 class=\"govuk-heading-s\">Criteria</h3><ol class=\"govuk-list govuk-list--number\">");
    for (size_t i = 0; i < t->criteria_count; i++) {
        html_printf(b, "<li><strong>%s</strong>", t->criteria[i].title);
        if (*t->criteria[i].descriptor)
            html_printf(b, "<br><span class=\"govuk-hint govuk-!-font-size-16\">%s</span>", t->criteria[i].descriptor);
        html_printf(b, "</li>");
    }
    html_printf(b, "</ol>");

    /* The draft is the participant's and their coach's, while it is one. */
    if (d.view.sees_draft && s->state == SUBMISSION_DRAFT) {
        if (d.view.participant)
            draft_forms(b, request, &d, f, errors);
        else
            draft_read_only(b, request, &d);
        size_t on_draft = 0;
        for (size_t i = 0; i < d.feedback_count; i++)
            if (d.feedback[i].version_id == 0) {
                if (on_draft++ == 0)
                    html_printf(b, "<h3 class=\"govuk-heading-m\">Feedback on the draft</h3>");
                feedback_item(b, request, &d.feedback[i]);
            }
    } else if (d.view.participant && d.shown_state == SUBMISSION_SUBMITTED) {
        html_printf(b, "<div class=\"govuk-inset-text\" id=\"work\">Your work has been submitted and is waiting for "
                       "its result. You will be emailed when it is ready.</div>");
    } else if (has_errors) {
        html_printf(b, "<div id=\"work\"></div>");
    }
    if (d.view.coach && !d.view.participant)
        coach_feedback_form(b, request, &d, f, errors);

    /* sees_unreleased is the use case's word for "may be one who marks this work". */
    if (may(request, PERM_MARKING) && d.view.sees_unreleased && markable(&d))
        html_printf(b,
                    "<p class=\"govuk-body\"><a class=\"govuk-button\" data-module=\"govuk-button\" "
                    "href=\"/submissions/%s/mark\">%R</a></p>",
                    id_text(request, s->id),
                    d.shown_state == SUBMISSION_MARKED ? "Moderate this work" : "Mark this work");
    if (may(request, PERM_ASSESSMENT_MANAGE) && d.view.sees_unreleased)
        release_section(b, request, &d);

    html_printf(b, "<h2 class=\"govuk-heading-l\" id=\"versions\">Submitted versions</h2>");
    if (d.version_count == 0)
        html_printf(b, "<p class=\"govuk-body\">Nothing has been submitted yet.</p>");
    for (size_t i = d.version_count; i > 0; i--)
        version_block(b, request, &d, &d.versions[i - 1]);
    page_send(request, &page, status);
}

void page_submission(struct request *request)
{
    submission_page(request, request_param_id(request, 0), NULL, NULL, 200);
}

/* The end of a step on the submission page: back to it with a notice, or the page with the refusal. */
static void step_done(struct request *request, int64_t id, enum app_result r, const struct errors *found,
                      const struct submission_forms *f, const char *notice, const char *whole)
{
    if (r == APP_OK) {
        reply_redirect(request, request_printf(request, "/submissions/%" PRId64 "?notice=%s#%s", id, notice, whole));
        return;
    }
    if (page_refused(request, r, NULL))
        return;
    struct errors errors = ERRORS_INIT;
    errors_placed(&errors, found, whole);
    if (errors.count == 0)
        errors_add(&errors, whole, "This cannot be done to the work as it is now");
    submission_page(request, id, f, &errors, page_status(r));
    errors_free(&errors);
}

void page_submission_save(struct request *request)
{
    int64_t id = request_param_id(request, 0);
    struct submission_forms f = {.activity = forms_text(request, "activity"), .text = forms_value(request, "text")};
    struct errors found = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result r = assessment_draft_save(&env, request->caller, id, f.activity, f.text, &found);
    step_done(request, id, r, &found, &f, "saved", "work");
    errors_free(&found);
}

void page_submission_file_add(struct request *request)
{
    int64_t id = request_param_id(request, 0);
    const struct multipart_file *upload = NULL;
    for (size_t i = 0; i < request->file_count; i++)
        if (strcmp(request->files[i].field, "file") == 0 && *request->files[i].filename)
            upload = &request->files[i];
    struct errors found = ERRORS_INIT;
    enum app_result r;
    if (upload == NULL) {
        errors_add(&found, "file", "Choose a file to attach");
        r = APP_INVALID;
    } else {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        struct submission_file file = {.name = page_upload_name(request, upload->filename)};
        r = assessment_file_add(&env, request->caller, id, &file, upload->data, upload->len, request_arena(request),
                                &found);
    }
    step_done(request, id, r, &found, NULL, "file_added", "files");
    errors_free(&found);
}

void page_submission_file_remove(struct request *request)
{
    int64_t id = request_param_id(request, 0), file_id = request_param_id(request, 1);
    struct errors found = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result r =
        file_id > 0 ? assessment_file_remove(&env, request->caller, id, file_id, &found) : APP_NOT_FOUND;
    step_done(request, id, r, &found, NULL, "file_removed", "files");
    errors_free(&found);
}

void page_submission_submit(struct request *request)
{
    int64_t id = request_param_id(request, 0);
    struct errors found = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct submission_version v;
    /* Answered only once the version is committed: the receipt on the next page is on disk. */
    enum app_result r = assessment_submit(&env, request->caller, id, request_arena(request), &v, &found);
    if (r == APP_OK)
        reply_redirect(request, request_printf(request, "/submissions/%" PRId64 "?notice=submitted", id));
    else
        step_done(request, id, r, &found, NULL, "", "work");
    errors_free(&found);
}

void page_submission_feedback(struct request *request)
{
    int64_t id = request_param_id(request, 0);
    struct submission_forms f = {.body = forms_value(request, "body"), .version = forms_text(request, "version")};
    struct errors found = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct submission_feedback out;
    /* "" or "0" is the draft; a version by its number. */
    int64_t version = strcmp(f.version, "0") == 0 ? 0 : forms_id(f.version);
    enum app_result r;
    if (version < 0 || version > 1000000) {
        errors_add(&found, "version", "Choose the draft or a version");
        r = APP_INVALID;
    } else {
        r = assessment_feedback_add(&env, request->caller, id, (int)version, f.body, request_arena(request), &out,
                                    &found);
    }
    step_done(request, id, r, &found, &f, "feedback_added", "feedback");
    errors_free(&found);
}

void page_submission_release(struct request *request)
{
    int64_t id = request_param_id(request, 0);
    struct errors found = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result r = assessment_release(&env, request->caller, id, &found);
    step_done(request, id, r, &found, NULL, "released", "release");
    errors_free(&found);
}

/* ---- /marking ---- */

enum { MARKING_PER_PAGE = 50 };

static void queue_table(struct buf *b, struct request *request, const struct marking_queue_entry *entries, size_t count)
{
    static const char *const headers[] = {"Participant", "Task", "Waiting for", "Submitted (UK time)", ""};
    table_begin(b, "Work waiting, the oldest first", headers, 5);
    for (size_t i = 0; i < count; i++) {
        const struct marking_item *it = &entries[i].item;
        bool moderation = entries[i].moderation;
        html_printf(b,
                    "<tr class=\"govuk-table__row\" data-testid=\"queue-item\"><td class=\"govuk-table__cell\">%s</td>"
                    "<td class=\"govuk-table__cell\">%s<br><span class=\"govuk-hint govuk-!-font-size-16\">Version %d"
                    "%R%s</span></td><td class=\"govuk-table__cell\">%s</td><td class=\"govuk-table__cell\">%s%R</td>"
                    "<td class=\"govuk-table__cell\">",
                    it->participant_name, it->task_title, it->version_number, moderation ? ", marked by " : "",
                    moderation && it->assessor_name ? it->assessor_name : "", moderation ? "Moderation" : "An assessor",
                    page_time(request, it->submitted_at, DATE_MOMENT),
                    it->late ? request_printf(request, " %s", page_tag(request, "red", "Late")) : "");
        if (entries[i].may_mark)
            html_printf(b,
                        "<a class=\"govuk-link\" href=\"/submissions/%s/mark\">%R<span "
                        "class=\"govuk-visually-hidden\"> %s’s work</span></a>",
                        id_text(request, it->submission_id), moderation ? "Moderate" : "Mark", it->participant_name);
        else
            html_printf(b, "<span class=\"govuk-hint govuk-!-font-size-16\">You marked this: another assessor "
                           "moderates it</span>");
        html_printf(b, "</td></tr>");
    }
    table_end(b);
}

void page_marking(struct request *request)
{
    struct errors malformed = ERRORS_INIT;
    struct store_page position;
    page_list_position(request, CURSOR_NUMBER, MARKING_PER_PAGE, &position, &malformed);
    if (page_query_refused(request, &malformed))
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct marking_queue_entry *queue;
    size_t count;
    enum app_result r =
        assessment_marking_queue(&env, request->caller, &position, request_arena(request), &queue, &count);
    if (r != APP_OK) {
        page_refusal(request, r, NULL);
        return;
    }
    struct page page;
    begin(&page, "Marking", NULL);
    page_breadcrumbs(&page, request, "/assessment", "Assessment", NULL, NULL);
    static const struct notice notices[] = {{"marked", "Marking saved"}};
    const char *notice = notice_for(request, notices, 1);
    if (notice != NULL)
        page_notice(&page, "success", notice);
    struct buf *b = &page.body;
    html_printf(b, "<h1 class=\"govuk-heading-l\">Marking</h1><p class=\"govuk-body\">Versions waiting for an "
                   "assessor, and marked work waiting for a moderator.</p>");
    if (count == 0)
        html_printf(b, "<p class=\"govuk-body\">No work is waiting for an assessor or a moderator.</p>");
    else
        queue_table(b, request, queue, count);
    page_pagination(b, request, NULL, 0, &position);
    page_send(request, &page, 200);
}

/* ---- /submissions/{id}/mark ---- */

/* The marking form as sent: for criterion i (from 1), "criterion-i-met" and "criterion-i-comment". */
struct mark_form {
    const char **met, **comment;
    const char *outcome, *feedback;
};

static void mark_page(struct request *request, int64_t id, const struct mark_form *f, const struct errors *errors,
                      int status)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct submission_detail d;
    enum app_result r = assessment_submission_read(&env, request->caller, id, request_arena(request), &d);
    if (r != APP_OK) {
        if (!page_refused(request, r, NULL))
            page_not_found(request);
        return;
    }
    const struct submission *s = &d.submission;
    const struct assessment_task *t = &d.task;
    const struct submission_version *v = d.version_count > 0 ? &d.versions[d.version_count - 1] : NULL;
    bool moderating = d.shown_state == SUBMISSION_MARKED;

    struct page page;
    begin(&page, request_printf(request, "%s: %s", moderating ? "Moderate" : "Mark", t->title), errors);
    page_breadcrumbs(&page, request, "/marking", "Marking", request_printf(request, "/submissions/%" PRId64, s->id),
                     t->title);
    struct buf *b = &page.body;
    forms_error_summary(b, errors);
    html_printf(b, "<span class=\"govuk-caption-l\">%s, %s</span><h1 class=\"govuk-heading-l\">%s</h1>",
                s->participant_name, task_target_text(request, c, t), t->title);
    if (v == NULL) {
        html_printf(b, "<p class=\"govuk-body\">Nothing has been submitted yet, so there is nothing to mark.</p>");
        page_send(request, &page, status);
        return;
    }
    if (!markable(&d) && !(errors && errors->count > 0))
        html_printf(b, "<div class=\"govuk-inset-text\">This work is not waiting for marking. Its page says where it "
                       "stands.</div>");

    html_printf(b, "<h2 class=\"govuk-heading-m\">Version %d</h2><dl class=\"govuk-summary-list\">", v->number);
    summary_row(b, "Activity", page_text_markup(request, s->activity));
    summary_row(b, "Submitted", submitted_markup(request, v));
    summary_row(b, "Words",
                page_text_markup(request, t->word_limit > 0 ? request_printf(request, "%s (limit %s)",
                                                                             with_commas(request, v->word_count),
                                                                             with_commas(request, t->word_limit))
                                                            : with_commas(request, v->word_count)));
    summary_row(b, "Text SHA-256", hash_markup(request, v->text_sha256));
    html_printf(b, "</dl>");
    text_block(b, request, v->text);
    size_t n = 0;
    for (size_t i = 0; i < d.file_count; i++)
        if (d.files[i].version_id == v->id) {
            if (n++ == 0)
                html_printf(b, "<h3 class=\"govuk-heading-s\">Files</h3><ul class=\"govuk-list\">");
            file_row(b, request, &d.files[i], false);
        }
    if (n > 0)
        html_printf(b, "</ul>");
    html_printf(b,
                "<details class=\"govuk-details\"><summary class=\"govuk-details__summary\"><span "
                "class=\"govuk-details__summary-text\">The brief</span></summary><div class=\"govuk-details__text\">");
    page_markdown(b, t->brief, false);
    html_printf(b, "</div></details>");
    for (size_t i = 0; i < d.mark_count; i++)
        if (d.marks[i].version_id == v->id)
            mark_block(b, request, &d.marks[i], t);
    if (!markable(&d) && !(errors && errors->count > 0)) {
        page_send(request, &page, status);
        return;
    }

    html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"mark-form\">%s</h2>",
                moderating ? "Your moderation" : "Your marking");
    forms_begin(b, request, request_printf(request, "/submissions/%" PRId64 "/mark", s->id));
    html_printf(b, "<div id=\"criteria\">");
    const char *criteria_error = forms_field_error(errors, "criteria");
    error_message(b, "criteria", criteria_error);
    static const struct radio_item met_items[] = {{"met", "Met"}, {"not_met", "Not met"}};
    for (size_t i = 0; i < t->criteria_count; i++) {
        const char *rid = request_printf(request, "criterion-%zu", i + 1);
        radios(b, request, request_printf(request, "%s-met", rid), rid,
               request_printf(request, "%zu. %s", i + 1, t->criteria[i].title),
               *t->criteria[i].descriptor ? t->criteria[i].descriptor : NULL, met_items, 2, f ? f->met[i] : NULL,
               forms_field_error(errors, rid), true);
        forms_textarea(b, request_printf(request, "%s-comment", rid), "Comment (optional)", f ? f->comment[i] : NULL,
                       NULL, 2, errors);
    }
    html_printf(b, "</div>");
    const struct radio_item outcomes[] = {{"pass", mark_outcome_title(OUTCOME_PASS)},
                                          {"refer", mark_outcome_title(OUTCOME_REFER)},
                                          {"fail", mark_outcome_title(OUTCOME_FAIL)}};
    radios(b, request, "outcome", "outcome", "Outcome", NULL, outcomes, 3, f ? f->outcome : NULL,
           forms_field_error(errors, "outcome"), false);
    forms_textarea(b, "feedback", "Feedback for the participant", f ? f->feedback : NULL,
                   "They read it once the result is released. You can use Markdown.", 8, errors);
    forms_button(b, moderating ? "Save moderation" : "Save marking", NULL);
    forms_end(b);
    page_send(request, &page, status);
}

void page_submission_mark(struct request *request)
{
    mark_page(request, request_param_id(request, 0), NULL, NULL, 200);
}

void page_submission_mark_save(struct request *request)
{
    int64_t id = request_param_id(request, 0);
    struct arena *arena = request_arena(request);
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct submission_detail d;
    enum app_result read = assessment_submission_read(&env, request->caller, id, arena, &d);
    if (read != APP_OK) {
        if (!page_refused(request, read, NULL))
            page_not_found(request);
        return;
    }
    const struct assessment_task t = d.task;
    /* Reading the form: every criterion judged, an outcome chosen; the rules judge the rest. */
    struct mark_form f = {.met = arena_alloc(arena, sizeof(*f.met) * (t.criteria_count + 1)),
                          .comment = arena_alloc(arena, sizeof(*f.comment) * (t.criteria_count + 1)),
                          .outcome = forms_text(request, "outcome"),
                          .feedback = forms_value(request, "feedback")};
    struct errors found = ERRORS_INIT;
    struct mark m = {.outcome = OUTCOME_PASS, .feedback = f.feedback, .criteria_count = t.criteria_count};
    m.criteria = arena_alloc(arena, sizeof(*m.criteria) * (t.criteria_count + 1));
    for (size_t i = 0; i < t.criteria_count; i++) {
        f.met[i] = forms_text(request, request_printf(request, "criterion-%zu-met", i + 1));
        f.comment[i] = forms_text(request, request_printf(request, "criterion-%zu-comment", i + 1));
        bool met = strcmp(f.met[i], "met") == 0;
        if (!met && strcmp(f.met[i], "not_met") != 0)
            errors_add(&found, request_printf(request, "criterion-%zu", i + 1), "Say whether criterion %zu is met",
                       i + 1);
        m.criteria[i] = (struct mark_criterion){met, f.comment[i]};
    }
    if (!mark_outcome_parse(f.outcome, &m.outcome))
        errors_add(&found, "outcome", "Choose the outcome");
    enum app_result r = found.count > 0 ? APP_INVALID : assessment_mark(&env, request->caller, id, &m, &found);
    if (r == APP_OK) {
        reply_redirect(request, "/marking?notice=marked");
    } else if (!page_refused(request, r, NULL)) {
        struct errors errors = ERRORS_INIT;
        for (size_t i = 0; i < found.count; i++) {
            const char *where = found.items[i].where;
            bool whole = strcmp(where, "state") == 0 || strcmp(where, "marker") == 0;
            errors_add(&errors, whole ? "mark-form" : where, "%s", found.items[i].message);
        }
        mark_page(request, id, &f, &errors, page_status(r));
        errors_free(&errors);
    }
    errors_free(&found);
}
