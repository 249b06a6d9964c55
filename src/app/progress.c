/*
 * An enrolment's progress: see progress.h. The store's facts are turned into the domain's here
 * (quarter hours into minutes, a deadline into days from today, submission states and outcomes
 * into what the rules know).
 */
#include "app/progress.h"

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/date.h"
#include "lib/text.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum { DAY = 86400 };

static int days_until(int64_t deadline, int64_t now)
{
    /* Whole days, counted down: due later today is 0 days, due yesterday is -1. */
    int64_t today = now / DAY;
    int64_t due = deadline / DAY;
    return (int)(due - today);
}

static enum progress_result result_of(const char *outcome)
{
    if (strcmp(outcome, "pass") == 0)
        return PROGRESS_RESULT_PASS;
    if (strcmp(outcome, "fail") == 0)
        return PROGRESS_RESULT_FAIL;
    if (strcmp(outcome, "refer") == 0)
        return PROGRESS_RESULT_REFERRED;
    return PROGRESS_RESULT_NONE;
}

enum { SETTING_NAME = 64, SETTING_VALUE = 32 };

enum app_result progress_settings_read(struct store *store, struct progress_thresholds *out)
{
    *out = progress_thresholds_default();
    for (size_t i = 0; i < PROGRESS_THRESHOLD_COUNT; i++) {
        char name[SETTING_NAME], value[SETTING_VALUE];
        snprintf(name, sizeof(name), "progress.%s", progress_threshold_name(i));
        enum store_status s = store_setting_get(store, name, value, sizeof(value));
        if (s == STORE_NOT_FOUND)
            continue;
        if (s != STORE_OK)
            return APP_UNAVAILABLE;
        char *end = NULL;
        errno = 0;
        long n = strtol(value, &end, 10);
        /* Only progress_setting_set writes these, so a value it refuses keeps the default. */
        if (errno == 0 && end != value && *end == '\0')
            progress_threshold_set(out, progress_threshold_name(i), n);
    }
    return APP_OK;
}

enum app_result progress_setting_set(struct store *store, const char *name, const char *value, struct errors *errors)
{
    struct progress_thresholds t;
    enum app_result result = progress_settings_read(store, &t);
    if (result != APP_OK)
        return result;
    if (strcmp(name, "update_cadence") == 0) {
        if (strcmp(value, "monthly") != 0 && strcmp(value, "weekly") != 0) {
            errors_add(errors, name, "update_cadence is monthly or weekly");
            return APP_INVALID;
        }
        return app_result_of_store(store_setting_set(store, "progress.update_cadence", value));
    }
    bool known = false;
    for (size_t i = 0; i < PROGRESS_THRESHOLD_COUNT; i++)
        known = known || strcmp(progress_threshold_name(i), name) == 0;
    if (!known) {
        errors_add(errors, name, "There is no progress threshold called %s", name);
        return APP_INVALID;
    }
    char *end = NULL;
    errno = 0;
    long n = strtol(value, &end, 10);
    if (errno != 0 || end == value || *end != '\0' || !progress_threshold_set(&t, name, n)) {
        errors_add(errors, name, "Give %s as a whole number in its range", name);
        return APP_INVALID;
    }
    if (!progress_thresholds_consistent(&t)) {
        errors_add(errors, name,
                   "Behind must take more missed events than at risk, and the urgent deadline must fall within the "
                   "warning");
        return APP_INVALID;
    }
    char key[SETTING_NAME], text[SETTING_VALUE];
    snprintf(key, sizeof(key), "progress.%s", name);
    snprintf(text, sizeof(text), "%ld", n);
    return app_result_of_store(store_setting_set(store, key, text));
}

enum app_result progress_read(const struct accounts_env *env, int64_t id, const struct progress_thresholds *thresholds,
                              struct arena *arena, struct progress_view *out)
{
    memset(out, 0, sizeof(*out));
    struct progress_thresholds configured;
    if (thresholds == NULL) {
        if (progress_settings_read(env->store, &configured) != APP_OK)
            return APP_UNAVAILABLE;
        thresholds = &configured;
    }
    enum store_status status = store_progress_facts(env->store, id, env->now, arena, &out->facts);
    if (status != STORE_OK)
        return app_result_of_store(status);
    size_t n = out->facts.module_count;
    struct progress_module_facts *modules = arena_alloc(arena, sizeof(*modules) * (n > 0 ? n : 1));
    struct progress_module *judged = arena_alloc(arena, sizeof(*judged) * (n > 0 ? n : 1));
    for (size_t i = 0; i < n; i++) {
        const struct progress_module_row *m = &out->facts.modules[i];
        modules[i] =
            (struct progress_module_facts){.code = m->code,
                                           .title = m->title,
                                           .completed = m->completed,
                                           .events_held = m->events_held,
                                           .events_attended = m->events_attended,
                                           .events_missed = m->events_missed,
                                           .hours_logged = m->quarter_hours * 15,
                                           .hours_cap = m->hours_cap * 60,
                                           .events_all_held = m->events_total > 0 && m->events_ended == m->events_total,
                                           .events_total = m->events_total,
                                           .content_items = m->content_items,
                                           .content_done = m->content_done};
        if (m->completed)
            out->modules_completed++;
    }
    const char *s = out->facts.submission;
    out->days_to_deadline = out->facts.has_task ? days_until(out->facts.deadline, env->now) : 0;
    struct progress_facts facts = {
        .modules = modules,
        .module_count = n,
        .modules_required = (int)n,
        .coaching_held = out->facts.coaching_held,
        .has_deadline = out->facts.has_task,
        .days_to_deadline = out->days_to_deadline,
        .draft_started = strcmp(s, "draft") == 0,
        .submitted = s[0] != '\0' && strcmp(s, "draft") != 0,
        .result = result_of(out->facts.outcome),
    };
    out->judged = progress_assess(&facts, thresholds, judged);
    if (strcmp(out->facts.state, "completed") == 0 && out->judged.status != PROGRESS_COMPLETE)
        out->judged.status = PROGRESS_COMPLETE;
    out->modules = arena_alloc(arena, sizeof(*out->modules) * (n > 0 ? n : 1));
    for (size_t i = 0; i < n; i++)
        out->modules[i] = (struct progress_view_module){&out->facts.modules[i], judged[i]};
    return APP_OK;
}

/* When time alone would next change this judgement: the next event of an unfinished module ends,
 * or the final assessment's deadline comes within the warning, or (once within it) the next day,
 * since the days left are part of the reason. 0 when only a write can change it. */
static int64_t recheck_at(const struct progress_view *v, const struct progress_thresholds *t, int64_t now)
{
    int64_t at = 0;
    if (v->judged.status == PROGRESS_COMPLETE)
        return 0;
    for (size_t i = 0; i < v->facts.module_count; i++) {
        const struct progress_module_row *m = &v->facts.modules[i];
        if (!m->completed && m->next_event_end > 0 && (at == 0 || m->next_event_end < at))
            at = m->next_event_end;
    }
    const char *s = v->facts.submission;
    bool submitted = s[0] != '\0' && strcmp(s, "draft") != 0;
    if (v->facts.has_task && !submitted && v->facts.outcome[0] == '\0') {
        int64_t today = now / DAY;
        int64_t due = v->facts.deadline / DAY;
        int64_t next =
            due - today > t->deadline_warning_days ? (due - t->deadline_warning_days) * DAY : (today + 1) * DAY;
        if (at == 0 || next < at)
            at = next;
    }
    return at;
}

static const char *reasons_text(const struct progress_reasons *reasons, struct arena *arena)
{
    struct buf b;
    buf_init(&b, PROGRESS_REASONS_MAX * (PROGRESS_REASON_TEXT + 1));
    for (size_t i = 0; i < reasons->count; i++)
        buf_appendf(&b, "%s%s", i > 0 ? "\n" : "", reasons->text[i]);
    const char *text = arena_strdup(arena, b.len > 0 ? b.data : "");
    buf_free(&b);
    return text;
}

static enum app_result refresh_one(const struct accounts_env *env, const struct progress_thresholds *t, int64_t id)
{
    struct arena arena = ARENA_INIT;
    struct progress_view v;
    enum app_result result = progress_read(env, id, t, &arena, &v);
    if (result == APP_OK) {
        struct progress_record r = {
            .enrolment_id = id,
            .status = progress_status_name(v.judged.status),
            .reasons = reasons_text(&v.judged.reasons, &arena),
            .modules_completed = v.modules_completed,
            .modules_required = (int)v.facts.module_count,
            .has_task = v.facts.has_task,
            .submitted = v.facts.submission[0] != '\0' && strcmp(v.facts.submission, "draft") != 0,
            .result = v.facts.outcome,
            .recheck_at = recheck_at(&v, t, env->now),
        };
        size_t n = v.facts.module_count;
        struct progress_module_record *modules = arena_alloc(&arena, sizeof(*modules) * (n > 0 ? n : 1));
        for (size_t i = 0; i < n; i++) {
            r.events_held += v.facts.modules[i].events_held;
            r.events_attended += v.facts.modules[i].events_attended;
            modules[i] = (struct progress_module_record){v.facts.modules[i].code,
                                                         progress_status_name(v.modules[i].judged.status),
                                                         reasons_text(&v.modules[i].judged.reasons, &arena)};
        }
        result = app_result_of_store(store_progress_save(env->store, &r, modules, n, env->now));
    }
    arena_release(&arena);
    return result;
}

enum app_result progress_refresh(const struct accounts_env *env, int64_t id)
{
    struct progress_thresholds t;
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    enum app_result result = progress_settings_read(env->store, &t);
    if (result == APP_OK)
        result = refresh_one(env, &t, id);
    return app_transaction_end(env->store, result);
}

enum { REFRESH_BATCH = 200 };

/* Refreshes the enrolments of scope after *after, one batch, inside the caller's transaction. */
static enum app_result refresh_batch(const struct accounts_env *env, const struct progress_thresholds *t,
                                     enum progress_scope scope, int64_t id, const char *code, int64_t *after,
                                     size_t *done, bool *more)
{
    struct arena arena = ARENA_INIT;
    int64_t *ids = NULL;
    size_t count = 0;
    enum app_result result = app_result_of_store(
        store_progress_enrolments(env->store, scope, id, code, env->now, *after, REFRESH_BATCH, &arena, &ids, &count));
    for (size_t i = 0; result == APP_OK && i < count; i++) {
        result = refresh_one(env, t, ids[i]);
        *after = ids[i];
    }
    if (result == APP_OK)
        *done += count;
    *more = result == APP_OK && count == REFRESH_BATCH;
    arena_release(&arena);
    return result;
}

enum app_result progress_refresh_scope(const struct accounts_env *env, enum progress_scope scope, int64_t id,
                                       const char *code)
{
    struct progress_thresholds t;
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    enum app_result result = progress_settings_read(env->store, &t);
    int64_t after = 0;
    size_t done = 0;
    bool more = result == APP_OK;
    while (more)
        result = refresh_batch(env, &t, scope, id, code, &after, &done, &more);
    return app_transaction_end(env->store, result);
}

enum app_result progress_refresh_many(const struct accounts_env *env, enum progress_scope scope, size_t *refreshed)
{
    *refreshed = 0;
    struct progress_thresholds t;
    enum app_result result = progress_settings_read(env->store, &t);
    int64_t after = 0;
    bool more = result == APP_OK;
    while (more) {
        /* A transaction a batch: the writer is handed on between them. */
        if (store_begin(env->store) != STORE_OK)
            return APP_UNAVAILABLE;
        int64_t from = after;
        result = app_transaction_end(env->store, refresh_batch(env, &t, scope, 0, NULL, &after, refreshed, &more));
        /* PROGRESS_DUE rows refreshed drop out of the query; the id order still moves on. */
        if (after == from)
            more = false;
    }
    return result;
}

enum app_result progress_refresh_hourly(const struct accounts_env *env, bool *ran, size_t *refreshed)
{
    *refreshed = 0;
    enum app_result result = app_result_of_store(store_progress_run_claim(env->store, env->now / 3600, env->now, ran));
    if (result != APP_OK || !*ran)
        return result;
    return progress_refresh_many(env, PROGRESS_DUE, refreshed);
}

bool progress_query_read(const struct form *query, struct progress_query *out, struct errors *errors)
{
    memset(out, 0, sizeof(*out));
    size_t before = errors->count;
    int64_t limit = PROGRESS_LIST_DEFAULT;
    form_read_id(query, "cohort", &out->filter.cohort_id, errors);
    form_read_id(query, "partner", &out->filter.partner_id, errors);
    out->limit = (size_t)limit; /* the page asked for is the front door's to read (http/paging.h) */
    out->filter.region = form_get(query, "region");
    out->filter.qualification = form_get(query, "qualification");
    const char *status = form_get(query, "status");
    enum progress_status parsed;
    if (status != NULL && status[0] != '\0' && !progress_status_parse(status, &parsed))
        errors_add(errors, "status", "status must be one of complete, on_track, at_risk or behind");
    else
        out->filter.status = status;
    return errors->count == before;
}

enum app_result progress_list(const struct accounts_env *env, const struct caller *caller,
                              const struct progress_query *q, struct arena *arena, struct progress_list_row **rows,
                              size_t *count, bool *more)
{
    /* One more than asked for says whether there is a next page. */
    enum app_result result = app_result_of_store(
        store_progress_list(env->store, caller, &q->filter, q->after, q->limit + 1, arena, rows, count));
    *more = result == APP_OK && *count > q->limit;
    if (*more)
        *count = q->limit;
    return result;
}

enum app_result progress_cohorts(const struct accounts_env *env, const struct caller *caller,
                                 const struct progress_filter *filter, struct arena *arena,
                                 struct progress_cohort_row **rows, size_t *count)
{
    struct progress_filter f = *filter;
    f.status = NULL; /* a cohort's figures count every status */
    return app_result_of_store(store_progress_cohorts(env->store, caller, &f, arena, rows, count));
}

int progress_percent(int n, int d)
{
    return d > 0 ? (int)((int64_t)n * 100 / d) : 0;
}

/* Progress updates by email */

enum app_result progress_cadence_read(struct store *store, enum progress_cadence *out)
{
    char value[SETTING_VALUE];
    *out = PROGRESS_MONTHLY;
    enum store_status s = store_setting_get(store, "progress.update_cadence", value, sizeof(value));
    if (s == STORE_OK && strcmp(value, "weekly") == 0)
        *out = PROGRESS_WEEKLY;
    return s == STORE_OK || s == STORE_NOT_FOUND ? APP_OK : APP_UNAVAILABLE;
}

const char *progress_cadence_name(enum progress_cadence cadence)
{
    return cadence == PROGRESS_WEEKLY ? "weekly" : "monthly";
}

void progress_period(enum progress_cadence cadence, int64_t now, char id[PROGRESS_PERIOD_TEXT],
                     char words[PROGRESS_PERIOD_WORDS])
{
    static const char *const months[] = {"January", "February", "March",     "April",   "May",      "June",
                                         "July",    "August",   "September", "October", "November", "December"};
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    if (cadence == PROGRESS_MONTHLY) {
        snprintf(id, PROGRESS_PERIOD_TEXT, "%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
        snprintf(words, PROGRESS_PERIOD_WORDS, "%s %d", months[tm.tm_mon], tm.tm_year + 1900);
        return;
    }
    /* The ISO week: it starts on Monday, and belongs to the year of its Thursday. */
    int weekday = (tm.tm_wday + 6) % 7; /* Monday 0 */
    time_t monday = t - (time_t)weekday * DAY, thursday = monday + 3 * DAY;
    struct tm m, th;
    gmtime_r(&monday, &m);
    gmtime_r(&thursday, &th);
    strftime(id, PROGRESS_PERIOD_TEXT, "%G-W%V", &th);
    snprintf(words, PROGRESS_PERIOD_WORDS, "the week of %d %s %d", m.tm_mday, months[m.tm_mon], m.tm_year + 1900);
}

enum { UPDATE_BATCH = 50, UPDATE_PARTICIPANTS_MAX = 200, UPDATE_BODY_MAX = 256 * 1024 };

/* The message to one recipient: each participant they watch over, with their status, reasons and
 * the address of their page. */
static enum app_result update_message(const struct accounts_env *env, const struct progress_recipient *to,
                                      const char *words, struct arena *arena, struct buf *body)
{
    struct caller watcher = {.user_id = to->user_id,
                             .roles =
                                 (to->mentor ? 1u << ROLE_MENTOR : 0) | (to->headteacher ? 1u << ROLE_HEADTEACHER : 0)};
    struct progress_query q = {.limit = UPDATE_PARTICIPANTS_MAX};
    struct progress_list_row *rows;
    size_t count;
    bool more;
    enum app_result result = progress_list(env, &watcher, &q, arena, &rows, &count, &more);
    if (result != APP_OK)
        return result;
    buf_appendf(body, "Hello %s,\n\nHow the participants you support stand, for %s.\n", to->name, words);
    for (size_t i = 0; i < count; i++) {
        const struct progress_list_row *r = &rows[i];
        enum progress_status status = PROGRESS_ON_TRACK;
        progress_status_parse(r->progress.status, &status);
        buf_appendf(body, "\n%s, %s%s%s: %s\n", r->participant_name, r->target, r->cohort_code[0] ? ", cohort " : "",
                    r->cohort_code, progress_status_title(status));
        for (const char *reason = r->progress.reasons; reason != NULL && *reason != '\0';) {
            const char *end = strchr(reason, '\n');
            int len = end ? (int)(end - reason) : (int)strlen(reason);
            buf_appendf(body, "  - %.*s\n", len, reason);
            reason = end ? end + 1 : NULL;
        }
        buf_appendf(body, "  %s/enrolments/%" PRId64 "/progress\n", env->base_url, r->progress.enrolment_id);
    }
    if (more)
        buf_appendf(body, "\nThere are more than %d: see them all at %s/progress\n", UPDATE_PARTICIPANTS_MAX,
                    env->base_url);
    buf_appendf(body,
                "\nEveryone's progress: %s/progress\n\nTo stop these updates, or have them again: "
                "%s/account/progress-updates\n",
                env->base_url, env->base_url);
    return buf_failed(body) ? app_broken("a progress update outgrew its buffer") : APP_OK;
}

/* One recipient's claim and message, in one transaction; *sent when this call sent it. */
static enum app_result update_one(const struct accounts_env *env, const struct progress_recipient *to,
                                  const char *period, const char *words, bool *sent)
{
    *sent = false;
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    enum app_result result =
        app_result_of_store(store_progress_update_claim(env->store, to->user_id, period, env->now, sent));
    if (result == APP_OK && *sent) {
        struct arena arena = ARENA_INIT;
        struct buf body;
        buf_init(&body, UPDATE_BODY_MAX);
        char subject[96];
        snprintf(subject, sizeof(subject), "Progress update: %s", words);
        result = update_message(env, to, words, &arena, &body);
        if (result == APP_OK)
            result = app_result_of_store(store_mail_enqueue(env->store, to->email, subject, body.data, env->now));
        buf_free(&body);
        arena_release(&arena);
    }
    result = app_transaction_end(env->store, result);
    if (result != APP_OK)
        *sent = false;
    return result;
}

enum app_result progress_updates_send(const struct accounts_env *env, size_t *sent, char period[PROGRESS_PERIOD_TEXT])
{
    *sent = 0;
    enum progress_cadence cadence;
    enum app_result result = progress_cadence_read(env->store, &cadence);
    if (result != APP_OK)
        return result;
    char id[PROGRESS_PERIOD_TEXT], words[PROGRESS_PERIOD_WORDS];
    progress_period(cadence, env->now, id, words);
    if (period != NULL)
        snprintf(period, PROGRESS_PERIOD_TEXT, "%s", id);
    int64_t after = 0;
    for (;;) {
        struct arena arena = ARENA_INIT;
        struct progress_recipient *due;
        size_t count;
        result =
            app_result_of_store(store_progress_recipients(env->store, id, after, UPDATE_BATCH, &arena, &due, &count));
        for (size_t i = 0; result == APP_OK && i < count; i++) {
            bool one = false;
            result = update_one(env, &due[i], id, words, &one);
            *sent += one;
            after = due[i].user_id;
        }
        arena_release(&arena);
        if (result != APP_OK || count < UPDATE_BATCH)
            return result;
    }
}

enum app_result progress_updates_read(const struct accounts_env *env, int64_t user_id, bool *subscribed,
                                      enum progress_cadence *cadence)
{
    enum app_result result = app_result_of_store(store_progress_updates_get(env->store, user_id, subscribed));
    return result == APP_OK ? progress_cadence_read(env->store, cadence) : result;
}

enum app_result progress_updates_set(const struct accounts_env *env, int64_t user_id, bool subscribed)
{
    return app_result_of_store(store_progress_updates_set(env->store, user_id, subscribed, env->now));
}

/* Support plans */

enum app_result support_plan_read(const struct accounts_env *env, int64_t id, struct arena *arena,
                                  struct support_plan *out, bool *has, bool *needed)
{
    struct progress_view v;
    enum app_result result = progress_read(env, id, NULL, arena, &v);
    if (result != APP_OK)
        return result;
    *needed = v.judged.status == PROGRESS_AT_RISK || v.judged.status == PROGRESS_BEHIND ||
              strcmp(v.facts.outcome, "refer") == 0;
    enum store_status s = store_support_plan_get(env->store, id, arena, out);
    *has = s == STORE_OK;
    return s == STORE_OK || s == STORE_NOT_FOUND ? APP_OK : APP_UNAVAILABLE;
}

static void check_plan(const struct accounts_env *env, const struct support_plan_input *in, struct arena *arena,
                       struct errors *errors)
{
    struct user supporter;
    enum store_status s =
        in->supporter_id > 0 ? store_user_get(env->store, in->supporter_id, arena, &supporter) : STORE_NOT_FOUND;
    if (s == STORE_NOT_FOUND)
        errors_add(errors, "supporter_id", "Choose the coach or facilitator who supports the participant");
    else if (s == STORE_OK && (!supporter.active ||
                               !(user_has_role(&supporter, ROLE_COACH) || user_has_role(&supporter, ROLE_FACILITATOR))))
        errors_add(errors, "supporter_id", "%s is not an active coach or facilitator", supporter.name);
    if (in->review_on == NULL || !date_is_valid(in->review_on))
        errors_add(errors, "review_on", "Enter the date the plan is reviewed as YYYY-MM-DD, a day that exists");
    if (in->action_count == 0)
        errors_add(errors, "actions", "Agree at least one action");
    else if (in->action_count > SUPPORT_ACTIONS_MAX)
        errors_add(errors, "actions", "Agree at most %d actions", SUPPORT_ACTIONS_MAX);
    for (size_t i = 0; i < in->action_count && i < SUPPORT_ACTIONS_MAX; i++) {
        const struct support_action *a = &in->actions[i];
        char where[48];
        size_t len = a->action ? strlen(a->action) : 0;
        snprintf(where, sizeof(where), "actions[%zu].action", i);
        if (len == 0 || !text_has_words(a->action))
            errors_add(errors, where, "Say what action %zu is", i + 1);
        else if (text_characters(a->action) > SUPPORT_ACTION_TEXT_MAX)
            errors_add(errors, where, "Describe action %zu in %d characters or fewer", i + 1, SUPPORT_ACTION_TEXT_MAX);
        snprintf(where, sizeof(where), "actions[%zu].due_on", i);
        if (a->due_on == NULL || !date_is_valid(a->due_on))
            errors_add(errors, where, "Enter the date action %zu is due as YYYY-MM-DD, a day that exists", i + 1);
    }
}

enum app_result support_plan_save(const struct accounts_env *env, const struct caller *caller, const struct relation *r,
                                  int64_t id, const struct support_plan_input *in, struct arena *arena,
                                  struct support_plan *out, struct errors *errors)
{
    if (!policy_may_plan_support(caller, r)) {
        errors_add(errors, "id",
                   "Only the participant's coach, a facilitator of their cohort or the delivery partner can agree "
                   "a support plan");
        return APP_FORBIDDEN;
    }
    bool has, needed;
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    enum app_result result = support_plan_read(env, id, arena, out, &has, &needed);
    if (result == APP_OK && in->close) {
        result = app_result_of_store(store_support_plan_close(env->store, id, env->now));
        if (result == APP_NOT_FOUND) {
            errors_add(errors, "state", "There is no open support plan to close");
            result = APP_CONFLICT;
        }
        return app_transaction_end(env->store, result);
    }
    if (result == APP_OK && !has && !needed) {
        errors_add(errors, "state", "A support plan is for a participant at risk, behind or referred; this one is not");
        result = APP_CONFLICT;
    }
    size_t before = errors->count;
    if (result == APP_OK)
        check_plan(env, in, arena, errors);
    if (result == APP_OK && errors->count != before)
        result = APP_INVALID;
    if (result == APP_OK) {
        struct support_plan p = {.enrolment_id = id,
                                 .supporter_id = in->supporter_id,
                                 .review_on = in->review_on,
                                 .actions = (struct support_action *)in->actions,
                                 .action_count = in->action_count};
        enum store_status s = store_support_plan_save(env->store, env->actor, &p, env->now);
        if (s == STORE_CONFLICT)
            errors_add(errors, "state", "Someone else agreed a plan at the same time. Reload it and try again");
        result = app_result_of_store(s);
    }
    if (result == APP_OK)
        result = app_result_of_store(store_support_plan_get(env->store, id, arena, out));
    return app_transaction_end(env->store, result);
}

/* Framework coverage */

static struct coverage_statement *statements_of(const struct catalogue_area *a, struct arena *arena, size_t *count)
{
    *count = a->learn_that_count + a->learn_how_to_count;
    struct coverage_statement *out = arena_alloc(arena, sizeof(*out) * (*count > 0 ? *count : 1));
    for (size_t i = 0; i < a->learn_that_count; i++)
        out[i] = (struct coverage_statement){CONTENT_LEARN_THAT, &a->learn_that[i], NULL, 0};
    for (size_t i = 0; i < a->learn_how_to_count; i++)
        out[a->learn_that_count + i] = (struct coverage_statement){CONTENT_LEARN_HOW_TO, &a->learn_how_to[i], NULL, 0};
    return out;
}

/* Appends e to a list of n (kept to at most max, which the caller sized). */
static void evidence_add(const struct coverage_evidence ***list, size_t *n, const struct coverage_evidence *e,
                         struct arena *arena, size_t max)
{
    if (*list == NULL)
        *list = arena_alloc(arena, sizeof(**list) * (max > 0 ? max : 1));
    if (*n < max)
        (*list)[(*n)++] = e;
}

enum app_result coverage_read(const struct accounts_env *env, const struct catalogue *catalogue, int64_t id,
                              bool cohort, struct arena *arena, struct coverage *out)
{
    memset(out, 0, sizeof(*out));
    const char *target = NULL;
    enum study_kind kind = STUDY_QUALIFICATION;
    enum app_result result;
    if (cohort) {
        struct cohort c;
        result = app_result_of_store(store_cohort_get(env->store, id, arena, &c));
        target = result == APP_OK ? c.target : NULL;
        kind = result == APP_OK ? c.kind : kind;
    } else {
        struct enrolment e;
        result = app_result_of_store(store_enrolment_get(env->store, id, arena, &e));
        target = result == APP_OK ? e.target : NULL;
        kind = result == APP_OK ? e.kind : kind;
    }
    if (result != APP_OK)
        return result;
    const struct catalogue_qualification *q =
        kind == STUDY_QUALIFICATION ? catalogue_qualification_find(catalogue, target, strlen(target)) : NULL;
    out->framework = q != NULL && q->framework != NULL
                         ? catalogue_framework_find(catalogue, q->framework, strlen(q->framework))
                         : NULL;
    if (out->framework == NULL)
        return APP_OK;
    struct coverage_evidence *evidence;
    size_t count;
    result = app_result_of_store(store_coverage_evidence(env->store, id, cohort, arena, &evidence, &count));
    if (result != APP_OK)
        return result;
    const struct catalogue_framework *f = out->framework;
    out->area_count = f->area_count;
    out->areas = arena_alloc(arena, sizeof(*out->areas) * (f->area_count > 0 ? f->area_count : 1));
    for (size_t i = 0; i < f->area_count; i++) {
        out->areas[i] = (struct coverage_area){.area = &f->areas[i]};
        out->areas[i].statements = statements_of(&f->areas[i], arena, &out->areas[i].statement_count);
    }
    for (size_t k = 0; k < count; k++) {
        const struct coverage_evidence *e = &evidence[k];
        struct content_tag tag = {.kind = CONTENT_TAG_AREA, .area = e->area};
        if (!e->event) {
            struct errors ignored = ERRORS_INIT;
            bool ok = content_tag_parse(catalogue, e->tag, &tag, &ignored, "tag");
            errors_free(&ignored);
            /* A tag of another framework, or one the catalogue no longer has, evidences nothing here. */
            if (!ok || tag.kind == CONTENT_TAG_MODULE || strcasecmp(tag.code, f->code) != 0)
                continue;
        }
        for (size_t i = 0; i < out->area_count; i++) {
            struct coverage_area *a = &out->areas[i];
            if (a->area->number != tag.area)
                continue;
            if (tag.kind == CONTENT_TAG_AREA) {
                evidence_add(&a->evidence, &a->count, e, arena, count);
                continue;
            }
            for (size_t j = 0; j < a->statement_count; j++) {
                struct coverage_statement *st = &a->statements[j];
                if (st->kind == tag.statement_kind && st->statement->number == tag.number)
                    evidence_add(&st->evidence, &st->count, e, arena, count);
            }
        }
    }
    return APP_OK;
}
