/*
 * The DfE sync: the client of its lead-provider API over lib/http_client, the store keeping where
 * each part stands so that a run stopped anywhere is taken up by the next without a gap or a
 * second declaration.
 */
#include "app/dfe_sync.h"

#include "app/accounts.h"
#include "app/declarations.h"
#include "domain/dfe.h"
#include "lib/clock.h"
#include "lib/die.h"
#include "lib/errors.h"
#include "lib/http_client.h"
#include "lib/process.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    SYNC_ATTEMPTS = 5,             /* tries of one call that may pass on another */
    SYNC_BACKOFF_MAX_MS = 30000,   /* the longest wait between them, unless the DfE asks for more */
    SYNC_LEASE_SECONDS = 600,      /* renewed before every part of a run */
    SYNC_LOG_BODY_MAX = 64 * 1024, /* what the log keeps of one body */
    SYNC_SINCE_MARGIN = 300,       /* seconds taken off a pull's start for clocks that differ */
};

struct sync {
    const struct dfe_sync_env *env;
    struct dfe_sync_report *report;
    struct dfe_config config;
    struct arena arena;
    int64_t spacing_ms;   /* between the starts of two calls, to keep under the rate limit */
    int64_t last_call_ms; /* monotonic */
    int per_page;
    int64_t base_backoff_ms;
};

static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool stopped(struct sync *s)
{
    if (s->env->stop != NULL && atomic_load(s->env->stop))
        s->report->stopped = true;
    return s->report->stopped;
}

/* Sleeps ms in short steps so a stop is heard at once. */
static void pause_ms(struct sync *s, int64_t ms)
{
    int64_t until = monotonic_ms() + ms;
    while (!stopped(s)) {
        int64_t left = until - monotonic_ms();
        if (left <= 0)
            break;
        int64_t step = left < 50 ? left : 50;
        struct timespec ts = {(time_t)(step / 1000), (long)(step % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
}

static void log_call(struct sync *s, const char *method, const char *path, const char *body,
                     const struct http_client_response *r, int attempt, int64_t declaration_id, int64_t enrolment_id)
{
    char *kept = NULL;
    if (r->body_len > SYNC_LOG_BODY_MAX) {
        kept = malloc(SYNC_LOG_BODY_MAX + 1);
        if (kept != NULL) {
            memcpy(kept, r->body, SYNC_LOG_BODY_MAX);
            kept[SYNC_LOG_BODY_MAX] = '\0';
        }
    }
    struct dfe_log_entry e = {
        .at = clock_now(),
        .method = method,
        .path = path,
        .request_body = body,
        .status = (int)r->status,
        .response_body = kept ? kept : r->body,
        .error = r->error,
        .attempt = attempt,
        .duration_ms = r->duration_ms,
        .declaration_id = declaration_id,
        .enrolment_id = enrolment_id,
    };
    store_dfe_log_add(s->env->store, &e);
    free(kept);
}

/*
 * One call to the DfE at path (under the base URL), logged, kept under the rate limit; tried
 * again (after a wait) while the answer may pass and retry allows it. The last answer is in *r
 * (the caller frees it); false when stopped before any answer worth reading.
 */
static bool call(struct sync *s, const char *method, const char *path, const char *body, bool retry,
                 int64_t declaration_id, int64_t enrolment_id, struct http_client_response *r)
{
    char url[2048];
    snprintf(url, sizeof(url), "%s%s", s->config.base_url, path);
    memset(r, 0, sizeof(*r));
    for (int attempt = 1;; attempt++) {
        int64_t wait = s->last_call_ms + s->spacing_ms - monotonic_ms();
        if (s->last_call_ms != 0 && wait > 0)
            pause_ms(s, wait);
        if (stopped(s))
            return false;
        s->last_call_ms = monotonic_ms();
        struct http_client_request request = {method, url, s->config.token, body, 30000};
        http_client_send(&request, r);
        s->report->calls++;
        log_call(s, method, path, body, r, attempt, declaration_id, enrolment_id);
        if (!retry || !http_client_retryable(r->status) || attempt == SYNC_ATTEMPTS)
            return true;
        int64_t backoff = http_client_backoff_ms(attempt, r->retry_after, s->base_backoff_ms, SYNC_BACKOFF_MAX_MS,
                                                 randombytes_random());
        http_client_response_free(r);
        pause_ms(s, backoff);
    }
}

/* The DfE's errors in its words: each "title: detail", or the status when it said nothing. */
static const char *dfe_message(struct sync *s, const struct http_client_response *r)
{
    char text[1024] = "";
    size_t used = 0;
    json_t *doc = json_loads(r->body, 0, NULL);
    json_t *errors = json_object_get(doc, "errors");
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e)
    {
        const char *title = json_string_value(json_object_get(e, "title"));
        const char *detail = json_string_value(json_object_get(e, "detail"));
        int n = snprintf(text + used, sizeof(text) - used, "%s%s%s%s", used ? "; " : "", title ? title : "",
                         title && detail ? ": " : "", detail ? detail : "");
        if (n > 0)
            used += (size_t)n < sizeof(text) - used ? (size_t)n : sizeof(text) - used - 1;
    }
    if (used == 0 && json_is_string(json_object_get(doc, "error")))
        snprintf(text, sizeof(text), "%s", json_string_value(json_object_get(doc, "error")));
    json_decref(doc);
    if (text[0] == '\0') {
        if (r->status == 0)
            snprintf(text, sizeof(text), "No answer from the DfE: %s", r->error);
        else
            snprintf(text, sizeof(text), "The DfE answered %ld", r->status);
    }
    char *copy = arena_alloc(&s->arena, strlen(text) + 1);
    memcpy(copy, text, strlen(text) + 1);
    return copy;
}

static void fail(struct sync *s, const char *what, const struct http_client_response *r)
{
    snprintf(s->report->error, sizeof(s->report->error), "%s: %s", what, dfe_message(s, r));
}

static const char *text_of(struct sync *s, json_t *object, const char *key)
{
    json_t *v = json_object_get(object, key);
    const char *t = json_is_string(v) ? json_string_value(v) : "";
    char *copy = arena_alloc(&s->arena, strlen(t) + 1);
    memcpy(copy, t, strlen(t) + 1);
    return copy;
}

static void iso_time(int64_t seconds, char out[32])
{
    time_t t = (time_t)seconds;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A query value, percent-encoded. */
static void query_escape(const char *in, char *out, size_t size)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    for (; *in && n + 4 < size; in++) {
        unsigned char c = (unsigned char)*in;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr("-._~:", c)) {
            out[n++] = (char)c;
        } else {
            out[n++] = '%';
            out[n++] = hex[c >> 4];
            out[n++] = hex[c & 15];
        }
    }
    out[n] = '\0';
}

typedef bool (*page_handler)(struct sync *s, json_t *data, const char *cursor_name, const struct dfe_cursor *next);

static bool renew(struct sync *s);

/*
 * A paged pull of collection (its path, "/api/v3/npq-applications") under the cursor name: from
 * the cursor's page on, each page handed to on_page with the cursor that follows it, to be
 * written with what the page holds, in one transaction.
 */
static bool pull(struct sync *s, const char *collection, const char *cursor_name, bool sorted, page_handler on_page)
{
    struct dfe_cursor cursor;
    if (store_dfe_cursor_get(s->env->store, cursor_name, &s->arena, &cursor) != STORE_OK) {
        snprintf(s->report->error, sizeof(s->report->error), "the database failed: %s",
                 store_last_error(s->env->store));
        return false;
    }
    if (cursor.next_page <= 1 || cursor.next_since[0] == '\0') {
        /* A pull begins: what changes from now on is asked for again by the next one. */
        char since[32];
        iso_time(clock_now() - SYNC_SINCE_MARGIN, since);
        char *copy = arena_alloc(&s->arena, sizeof(since));
        memcpy(copy, since, sizeof(since));
        cursor.next_since = copy;
        cursor.next_page = 1;
    }
    for (;;) {
        char since[96] = "", path[512];
        if (cursor.updated_since[0] != '\0') {
            char escaped[80];
            query_escape(cursor.updated_since, escaped, sizeof(escaped));
            snprintf(since, sizeof(since), "filter%%5Bupdated_since%%5D=%s&", escaped);
        }
        snprintf(path, sizeof(path), "%s?%spage%%5Bpage%%5D=%d&page%%5Bper_page%%5D=%d%s", collection, since,
                 cursor.next_page, s->per_page, sorted ? "&sort=updated_at" : "");
        struct http_client_response r;
        if (!call(s, "GET", path, NULL, true, 0, 0, &r)) {
            http_client_response_free(&r);
            return false;
        }
        json_t *doc = r.status == 200 ? json_loads(r.body, 0, NULL) : NULL;
        json_t *data = json_object_get(doc, "data");
        if (!json_is_array(data)) {
            fail(s, collection, &r);
            json_decref(doc);
            http_client_response_free(&r);
            return false;
        }
        http_client_response_free(&r);
        bool last = json_array_size(data) < (size_t)s->per_page;
        struct dfe_cursor next = cursor;
        if (last) {
            next.updated_since = cursor.next_since;
            next.next_page = 1;
            next.next_since = "";
        } else {
            next.next_page = cursor.next_page + 1;
        }
        /* A long pull keeps the lease page by page, so no other server starts one beside it. */
        bool ok = renew(s) && on_page(s, data, cursor_name, &next);
        json_decref(doc);
        if (!ok)
            return false;
        if (last)
            return true;
        cursor = next;
    }
}

static bool applications_page(struct sync *s, json_t *data, const char *cursor_name, const struct dfe_cursor *next)
{
    size_t count = json_array_size(data), i;
    struct dfe_application_row *rows = arena_alloc(&s->arena, sizeof(*rows) * (count + 1));
    json_t *item;
    size_t n = 0;
    json_array_foreach(data, i, item)
    {
        json_t *a = json_object_get(item, "attributes");
        struct dfe_application_row *row = &rows[n];
        row->dfe_id = text_of(s, item, "id");
        row->participant_id = text_of(s, a, "participant_id");
        row->course_identifier = text_of(s, a, "course_identifier");
        row->email = text_of(s, a, "email");
        row->full_name = text_of(s, a, "full_name");
        row->status = text_of(s, a, "status");
        row->cohort = text_of(s, a, "cohort");
        row->schedule_identifier = text_of(s, a, "schedule_identifier");
        row->dfe_updated_at = text_of(s, a, "updated_at");
        if (row->dfe_id[0] != '\0') /* one without an id cannot be kept apart from the others */
            n++;
    }
    if (store_dfe_applications_put(s->env->store, rows, n, cursor_name, next, clock_now()) != STORE_OK) {
        snprintf(s->report->error, sizeof(s->report->error), "the database failed: %s",
                 store_last_error(s->env->store));
        return false;
    }
    s->report->applications += n;
    return true;
}

static bool declarations_page(struct sync *s, json_t *data, const char *cursor_name, const struct dfe_cursor *next)
{
    size_t i;
    json_t *item;
    json_array_foreach(data, i, item)
    {
        json_t *a = json_object_get(item, "attributes");
        enum dfe_declaration_state state;
        if (!dfe_declaration_state_parse(json_string_value(json_object_get(a, "state")), &state))
            continue;
        enum store_status st = store_declaration_reported(s->env->store, text_of(s, item, "id"), state,
                                                          text_of(s, a, "statement_id"), clock_now());
        if (st == STORE_OK)
            s->report->updated++;
        else if (st == STORE_ERROR)
            return false;
        /* NOT_FOUND: made elsewhere than npq; CONFLICT: a move the DfE's states do not make, not stored. */
    }
    return store_dfe_cursor_set(s->env->store, cursor_name, next, clock_now()) == STORE_OK;
}

static bool statements_page(struct sync *s, json_t *data, const char *cursor_name, const struct dfe_cursor *next)
{
    size_t count = json_array_size(data), i, n = 0;
    struct dfe_statement_row *rows = arena_alloc(&s->arena, sizeof(*rows) * (count + 1));
    json_t *item;
    json_array_foreach(data, i, item)
    {
        json_t *a = json_object_get(item, "attributes");
        rows[n] = (struct dfe_statement_row){text_of(s, item, "id"),
                                             text_of(s, a, "month"),
                                             text_of(s, a, "year"),
                                             text_of(s, a, "cohort"),
                                             text_of(s, a, "cut_off_date"),
                                             text_of(s, a, "payment_date"),
                                             json_is_true(json_object_get(a, "paid"))};
        if (rows[n].dfe_id[0] != '\0')
            n++;
    }
    if (store_dfe_statements_put(s->env->store, rows, n, clock_now()) != STORE_OK ||
        store_dfe_cursor_set(s->env->store, cursor_name, next, clock_now()) != STORE_OK)
        return false;
    s->report->statements += n;
    return true;
}

/* The DfE's declaration for d, if it has one (a submission of ours that reached it, its answer
 * lost): same participant, type and course, not voided. *found its id and state. */
static bool look_up(struct sync *s, const struct declaration *d, const char **dfe_id, enum dfe_declaration_state *state,
                    const char **statement_id, bool *found)
{
    *found = false;
    char escaped[128], path[256];
    query_escape(d->participant_id, escaped, sizeof(escaped));
    snprintf(path, sizeof(path), "/api/v3/participant-declarations?filter%%5Bparticipant_id%%5D=%s", escaped);
    struct http_client_response r;
    bool answered = call(s, "GET", path, NULL, true, d->id, d->enrolment_id, &r) && r.status == 200;
    json_t *doc = answered ? json_loads(r.body, 0, NULL) : NULL;
    http_client_response_free(&r);
    json_t *data = json_object_get(doc, "data");
    if (!json_is_array(data)) {
        json_decref(doc);
        return false;
    }
    size_t i;
    json_t *item;
    json_array_foreach(data, i, item)
    {
        json_t *a = json_object_get(item, "attributes");
        enum dfe_declaration_state st;
        if (strcmp(text_of(s, a, "declaration_type"), d->declaration_type) == 0 &&
            strcmp(text_of(s, a, "course_identifier"), d->course_identifier) == 0 &&
            dfe_declaration_state_parse(json_string_value(json_object_get(a, "state")), &st) &&
            dfe_declaration_stands(st)) {
            *dfe_id = text_of(s, item, "id");
            *state = st;
            *statement_id = text_of(s, a, "statement_id");
            *found = true;
            break;
        }
    }
    json_decref(doc);
    return true;
}

static bool adopt(struct sync *s, const struct declaration *d, json_t *declaration)
{
    json_t *a = json_object_get(declaration, "attributes");
    enum dfe_declaration_state state;
    const char *id = text_of(s, declaration, "id");
    if (id[0] == '\0' || !dfe_declaration_state_parse(json_string_value(json_object_get(a, "state")), &state))
        return false;
    if (store_declaration_accepted(s->env->store, d->id, id, state, text_of(s, a, "statement_id"), clock_now()) !=
        STORE_OK)
        return false;
    s->report->submitted++;
    return true;
}

static char *declaration_body(const struct declaration *d)
{
    char date[40];
    snprintf(date, sizeof(date), "%sT00:00:00Z", d->declaration_date);
    json_t *attributes =
        json_pack("{s:s, s:s, s:s, s:s}", "participant_id", d->participant_id, "declaration_type", d->declaration_type,
                  "declaration_date", date, "course_identifier", d->course_identifier);
    if (strcmp(d->declaration_type, "completed") == 0)
        json_object_set_new(attributes, "has_passed", json_boolean(d->has_passed));
    json_object_set_new(attributes, "delivery_partner_id", json_string(d->delivery_partner_id));
    json_t *doc = json_pack("{s:{s:s, s:o}}", "data", "type", "participant-declaration", "attributes", attributes);
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    return text;
}

/*
 * Submits one approved declaration so that the DfE has it once, however often this is cut short:
 * the start of a submission is written before it is sent, and a declaration begun before (or whose
 * answer was lost) is looked up at the DfE before it is sent again.
 */
static bool submit_one(struct sync *s, struct declaration *d)
{
    char *body = declaration_body(d);
    bool ok = true, done = false;
    for (int attempt = 1; ok && !done && attempt <= SYNC_ATTEMPTS; attempt++) {
        if (d->submit_begun_at != 0) {
            const char *dfe_id, *statement_id;
            enum dfe_declaration_state state;
            bool found;
            if (!look_up(s, d, &dfe_id, &state, &statement_id, &found)) {
                ok = false;
                break;
            }
            if (found) {
                ok = store_declaration_accepted(s->env->store, d->id, dfe_id, state, statement_id, clock_now()) ==
                     STORE_OK;
                s->report->submitted += ok;
                break;
            }
        } else if (store_declaration_submit_begin(s->env->store, d->id, clock_now()) != STORE_OK) {
            ok = false;
            break;
        }
        d->submit_begun_at = 1;
        struct http_client_response r;
        if (!call(s, "POST", "/api/v3/participant-declarations", body, false, d->id, d->enrolment_id, &r)) {
            http_client_response_free(&r);
            ok = false;
            break;
        }
        if (r.status == 200 || r.status == 201) {
            json_t *doc = json_loads(r.body, 0, NULL);
            ok = adopt(s, d, json_object_get(doc, "data"));
            if (!ok)
                fail(s, "a declaration's answer", &r);
            json_decref(doc);
            done = true;
        } else if (r.status == 400 || r.status == 422) {
            ok = store_declaration_refused(s->env->store, d->id, dfe_message(s, &r), clock_now()) == STORE_OK;
            s->report->refused += ok;
            done = true;
        } else if (!http_client_retryable(r.status)) {
            fail(s, "submitting a declaration", &r);
            ok = false;
        } else if (attempt < SYNC_ATTEMPTS) {
            pause_ms(s, http_client_backoff_ms(attempt, r.retry_after, s->base_backoff_ms, SYNC_BACKOFF_MAX_MS,
                                               randombytes_random()));
        } else {
            fail(s, "submitting a declaration", &r);
            ok = false;
        }
        http_client_response_free(&r);
    }
    free(body);
    return ok;
}

static bool submit_approved(struct sync *s)
{
    struct declaration *list;
    size_t count;
    if (store_declarations_list(s->env->store, DECLARATIONS_TO_SUBMIT, 0, &s->arena, &list, &count) != STORE_OK)
        return false;
    for (size_t i = 0; i < count && !stopped(s); i++) {
        /* Not known at the DfE yet (no application pulled for them): it waits for the next run. */
        if (list[i].participant_id[0] == '\0' || list[i].course_identifier[0] == '\0')
            continue;
        /* Refused here, as the DfE would refuse it, so an administrator reads why and can act. */
        struct errors errors = ERRORS_INIT;
        if (!dfe_declaration_partner_check(list[i].delivery_partner_id, list[i].delivery_partner_name, &errors)) {
            char why[400];
            snprintf(why, sizeof(why), "%s: %s", errors.items[0].where, errors.items[0].message);
            errors_free(&errors);
            if (store_declaration_refused(s->env->store, list[i].id, why, clock_now()) != STORE_OK)
                return false;
            s->report->refused++;
            continue;
        }
        if (!submit_one(s, &list[i]))
            return false;
    }
    return true;
}

static bool void_requested(struct sync *s)
{
    struct declaration *list;
    size_t count;
    if (store_declarations_list(s->env->store, DECLARATIONS_TO_VOID, 0, &s->arena, &list, &count) != STORE_OK)
        return false;
    for (size_t i = 0; i < count && !stopped(s); i++) {
        char escaped[128], path[256];
        query_escape(list[i].dfe_id, escaped, sizeof(escaped));
        snprintf(path, sizeof(path), "/api/v3/participant-declarations/%s/void", escaped);
        struct http_client_response r;
        /* Voiding twice voids once: safe to try again. */
        bool answered = call(s, "PUT", path, NULL, true, list[i].id, list[i].enrolment_id, &r);
        json_t *doc = answered && r.status == 200 ? json_loads(r.body, 0, NULL) : NULL;
        json_t *a = json_object_get(json_object_get(doc, "data"), "attributes");
        enum dfe_declaration_state state;
        if (doc != NULL && dfe_declaration_state_parse(json_string_value(json_object_get(a, "state")), &state) &&
            store_declaration_reported(s->env->store, list[i].dfe_id, state, NULL, clock_now()) == STORE_OK)
            s->report->voided++;
        else if (answered && (r.status == 400 || r.status == 422))
            store_declaration_refused(s->env->store, list[i].id, dfe_message(s, &r), clock_now());
        else if (answered)
            fail(s, "voiding a declaration", &r);
        json_decref(doc);
        http_client_response_free(&r);
        if (!answered)
            return false;
    }
    return true;
}

static bool send_outbox(struct sync *s)
{
    struct dfe_outbox_entry *list;
    size_t count;
    if (store_dfe_outbox_pending(s->env->store, &s->arena, &list, &count) != STORE_OK)
        return false;
    for (size_t i = 0; i < count && !stopped(s); i++) {
        struct http_client_response r;
        /* Each is a change of state the DfE refuses to make twice (422), so trying again is safe. */
        bool answered = call(s, list[i].method, list[i].path, list[i].body[0] ? list[i].body : NULL, true, 0,
                             list[i].enrolment_id, &r);
        if (answered && !http_client_retryable(r.status)) {
            store_dfe_outbox_done(s->env->store, list[i].id, (int)r.status, r.status == 200 ? "" : dfe_message(s, &r),
                                  clock_now());
            s->report->outbox_sent++;
        }
        http_client_response_free(&r);
        if (!answered)
            return false;
    }
    return true;
}

static bool renew(struct sync *s)
{
    enum store_status st = store_dfe_lease_take(s->env->store, s->env->holder, NULL, clock_now(), SYNC_LEASE_SECONDS);
    if (st == STORE_CONFLICT)
        snprintf(s->report->error, sizeof(s->report->error), "another server took over the sync");
    return st == STORE_OK;
}

static enum app_result run_parts(struct sync *s)
{
    const struct dfe_sync_env *env = s->env;
    if (!pull(s, "/api/v3/npq-applications", "applications", true, applications_page))
        return APP_UNAVAILABLE;
    if (env->catalogue != NULL && s->config.auto_submit && !stopped(s)) {
        struct actor actor = {.label = "DfE sync", .client = ""};
        struct accounts_env a = {env->store, &actor, NULL, clock_now()};
        if (declarations_approve_all(&a, env->catalogue, &s->report->approved) != APP_OK)
            return APP_UNAVAILABLE;
    }
    if (stopped(s) || !renew(s) || !submit_approved(s))
        return stopped(s) ? APP_OK : APP_UNAVAILABLE;
    if (stopped(s) || !renew(s) || !void_requested(s))
        return stopped(s) ? APP_OK : APP_UNAVAILABLE;
    if (env->catalogue != NULL && !stopped(s)) {
        struct actor actor = {.label = "DfE sync", .client = ""};
        struct accounts_env a = {env->store, &actor, NULL, clock_now()};
        if (declarations_outcomes_follow(&a, env->catalogue, &s->report->outcomes) != APP_OK)
            return APP_UNAVAILABLE;
    }
    if (stopped(s) || !renew(s) || !send_outbox(s))
        return stopped(s) ? APP_OK : APP_UNAVAILABLE;
    if (stopped(s) || !renew(s) ||
        !pull(s, "/api/v3/participant-declarations", "declarations", false, declarations_page))
        return stopped(s) ? APP_OK : APP_UNAVAILABLE;
    if (stopped(s) || !renew(s) || !pull(s, "/api/v3/statements", "statements", false, statements_page))
        return stopped(s) ? APP_OK : APP_UNAVAILABLE;
    return APP_OK;
}

enum app_result dfe_sync_run(const struct dfe_sync_env *env, struct dfe_sync_report *report)
{
    memset(report, 0, sizeof(*report));
    struct sync s = {.env = env, .report = report, .arena = ARENA_INIT};
    s.per_page = env->per_page > 0 ? env->per_page : 100;
    s.base_backoff_ms = env->base_backoff_ms > 0 ? env->base_backoff_ms : 500;
    enum store_status st = store_dfe_config_get(env->store, &s.arena, &s.config);
    if (st != STORE_OK) {
        snprintf(report->error, sizeof(report->error), "%s",
                 st == STORE_NOT_FOUND ? "npq is not configured for the DfE: run npq dfe configure"
                                       : "the database failed");
        arena_release(&s.arena);
        return app_result_of_store(st);
    }
    s.spacing_ms = 60000 / (s.config.requests_per_minute > 0 ? s.config.requests_per_minute : 200);
    /* A holder that has stopped (killed, crashed) gives the lease up at once. */
    const char *current = "";
    store_dfe_lease_holder(env->store, &s.arena, &current);
    const char *gone =
        current[0] != '\0' && strcmp(current, env->holder) != 0 && process_identity_gone(current) ? current : NULL;
    st = store_dfe_lease_take(env->store, env->holder, gone, clock_now(), SYNC_LEASE_SECONDS);
    if (st != STORE_OK) {
        snprintf(report->error, sizeof(report->error), "%s",
                 st == STORE_CONFLICT ? "another server is syncing with the DfE now" : "the database failed");
        arena_release(&s.arena);
        return app_result_of_store(st);
    }
    enum app_result result = run_parts(&s);
    if (result != APP_OK && report->error[0] == '\0')
        snprintf(report->error, sizeof(report->error), "the database failed: %s", store_last_error(env->store));
    char text[512];
    dfe_sync_report_text(report, result, text, sizeof(text));
    store_dfe_lease_give_back(env->store, env->holder, text, clock_now());
    arena_release(&s.arena);
    return result;
}

void dfe_sync_report_text(const struct dfe_sync_report *r, enum app_result result, char *out, size_t size)
{
    const char *how = result != APP_OK ? "Failed" : r->stopped ? "Stopped" : "Finished";
    snprintf(out, size,
             "%s%s%s. %zu calls, %zu applications pulled, %zu declarations approved, %zu submitted, %zu refused, "
             "%zu voided, %zu outcomes changed, %zu states read, %zu statements, %zu other calls sent.",
             how, r->error[0] ? ": " : "", r->error, r->calls, r->applications, r->approved, r->submitted, r->refused,
             r->voided, r->outcomes, r->updated, r->statements, r->outbox_sent);
}

enum app_result dfe_configure(const struct accounts_env *env, const struct dfe_config *config, struct errors *errors)
{
    size_t before = errors->count;
    const char *url = config->base_url ? config->base_url : "";
    if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
        errors_add(errors, "url", "Enter the DfE API's address, starting https://");
    if (config->token == NULL || config->token[0] == '\0' || strlen(config->token) > 500)
        errors_add(errors, "token", "Enter the lead provider's API token");
    if (config->requests_per_minute < 1 || config->requests_per_minute > 100000)
        errors_add(errors, "requests_per_minute", "Give the requests allowed per minute, from 1 to 100000");
    if (errors->count != before)
        return APP_INVALID;
    struct dfe_config c = *config;
    size_t len = strlen(url);
    char *trimmed = strdup(url);
    if (trimmed == NULL)
        die("out of memory");
    while (len > 0 && trimmed[len - 1] == '/')
        trimmed[--len] = '\0';
    c.base_url = trimmed;
    enum app_result result = app_result_of_store(store_dfe_config_set(env->store, env->actor, &c, env->now));
    free(trimmed);
    return result;
}

/* Queues method on the participant's endpoint step (/api/v3/participants/npq/{id}/step) with doc
 * as its body, which this takes. */
static enum app_result tell_participant(struct store *store, const char *method, const char *participant_id,
                                        const char *step, json_t *doc, int64_t enrolment_id, int64_t now)
{
    char *body = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    char escaped[128], path[256];
    query_escape(participant_id, escaped, sizeof(escaped));
    snprintf(path, sizeof(path), "/api/v3/participants/npq/%s/%s", escaped, step);
    enum app_result result =
        body == NULL ? APP_UNAVAILABLE
                     : app_result_of_store(store_dfe_outbox_add(store, method, path, body, enrolment_id, now));
    free(body);
    return result;
}

enum app_result dfe_tell_participant_step(struct store *store, int64_t enrolment_id, const char *step,
                                          const char *reason_code, const char *schedule_identifier, int64_t now)
{
    struct arena arena = ARENA_INIT;
    const char *participant_id, *course;
    enum store_status st = store_dfe_participant_of(store, enrolment_id, &arena, &participant_id, &course);
    if (st != STORE_OK) {
        arena_release(&arena);
        return st == STORE_NOT_FOUND ? APP_OK : app_result_of_store(st);
    }
    json_t *attributes = json_pack("{s:s}", "course_identifier", course);
    if ((strcmp(step, "withdraw") == 0 || strcmp(step, "defer") == 0) && reason_code != NULL && reason_code[0])
        json_object_set_new(attributes, "reason", json_string(reason_code));
    if (strcmp(step, "change-schedule") == 0 && schedule_identifier != NULL)
        json_object_set_new(attributes, "schedule_identifier", json_string(schedule_identifier));
    char type[64];
    snprintf(type, sizeof(type), "participant-%s", step);
    json_t *doc = json_pack("{s:{s:s, s:o}}", "data", "type", type, "attributes", attributes);
    enum app_result result = tell_participant(store, "PUT", participant_id, step, doc, enrolment_id, now);
    arena_release(&arena);
    return result;
}

enum app_result dfe_tell_outcome(struct store *store, int64_t enrolment_id, const char *participant_id,
                                 const char *course_identifier, const char *state, const char *completion_date,
                                 int64_t now)
{
    json_t *doc = json_pack("{s:{s:s, s:{s:s, s:s, s:s}}}", "data", "type", "npq-outcome-confirmation", "attributes",
                            "course_identifier", course_identifier, "state", state, "completion_date", completion_date);
    return tell_participant(store, "POST", participant_id, "outcomes", doc, enrolment_id, now);
}

enum app_result dfe_tell_application_step(struct store *store, const char *email, const char *course, const char *step,
                                          int64_t now)
{
    struct arena arena = ARENA_INIT;
    const char *dfe_id;
    enum store_status st = store_dfe_application_of(store, email, course, &arena, &dfe_id);
    if (st != STORE_OK) {
        arena_release(&arena);
        return st == STORE_NOT_FOUND ? APP_OK : app_result_of_store(st);
    }
    char escaped[128], path[256];
    query_escape(dfe_id, escaped, sizeof(escaped));
    snprintf(path, sizeof(path), "/api/v3/npq-applications/%s/%s", escaped, step);
    /* Accepting takes a body (the schedule is left to the DfE to choose); rejecting none. */
    const char *body =
        strcmp(step, "accept") == 0 ? "{\"data\":{\"type\":\"npq-application-accept\",\"attributes\":{}}}" : "";
    enum app_result result = app_result_of_store(store_dfe_outbox_add(store, "POST", path, body, 0, now));
    arena_release(&arena);
    return result;
}
