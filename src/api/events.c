/*
 * Running cohorts: a cohort's staff, participants, events and plan (/api/v1/cohorts/{id}), events
 * (/api/v1/events), their bookings and their registers. Handlers parse and render; the use cases
 * are app/delivery.c's, which apply domain/delivery.h's rules.
 *
 * Times are ISO 8601 UTC in JSON ("2027-01-10T09:00:00Z") and seconds everywhere else.
 */
#include "api/api.h"

#include "app/delivery.h"
#include "http/paging.h"
#include "http/reply.h"
#include "lib/date.h"
#include "http/site.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Reading members of a JSON body */

bool api_member_text(json_t *body, const char *key, const char **out, struct errors *errors)
{
    json_t *value = json_object_get(body, key);
    if (value == NULL)
        return false;
    *out = NULL;
    if (json_is_null(value))
        return true;
    /* A string holding a NUL would be cut short wherever it goes next: refuse it here. */
    if (!json_is_string(value) || strlen(json_string_value(value)) != json_string_length(value))
        errors_add(errors, key, "Must be text");
    else
        *out = json_string_value(value);
    return true;
}

bool api_member_int(json_t *body, const char *key, int64_t *out, struct errors *errors)
{
    json_t *value = json_object_get(body, key);
    if (value == NULL)
        return false;
    *out = 0;
    if (json_is_null(value))
        return true;
    if (!json_is_integer(value) || json_integer_value(value) < 0 || json_integer_value(value) > 1000000000)
        errors_add(errors, key, "Must be a whole number, 0 or more");
    else
        *out = (int64_t)json_integer_value(value);
    return true;
}

static bool time_member(json_t *body, const char *key, int64_t *out, struct errors *errors)
{
    const char *text;
    size_t before = errors->count;
    if (!api_member_text(body, key, &text, errors))
        return false;
    *out = 0;
    if (errors->count == before && text != NULL && !date_parse_utc(text, false, out))
        errors_add(errors, key, "Enter the time in UTC as YYYY-MM-DDTHH:MM:SSZ, like 2027-01-10T09:00:00Z");
    return true;
}

/* Replies */

static json_t *person_json(int64_t id, const char *name)
{
    return id > 0 ? json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", name ? name : "") : json_null();
}

static json_t *text_or_null(const char *text)
{
    return text ? json_string(text) : json_null();
}

static json_t *event_json(const struct event *e)
{
    int left = e->cancelled_at != 0 || e->booked >= e->capacity ? 0 : e->capacity - e->booked;
    return json_pack(
        "{s:I, s:{s:I, s:s}, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:i, s:i, s:i, s:o, s:I, s:b, s:o, s:o, "
        "s:o}",
        "id", (json_int_t)e->id, "cohort", "id", (json_int_t)e->cohort_id, "code", e->cohort_code, "kind",
        delivery_event_kind_name(e->kind), "kind_title", delivery_event_kind_title(e->kind), "title", e->title,
        "module", text_or_null(e->module), "framework_area",
        e->framework_area ? json_integer(e->framework_area) : json_null(), "venue",
        e->venue_id
            ? json_pack("{s:I, s:s, s:s}", "id", (json_int_t)e->venue_id, "name", e->venue_name ? e->venue_name : "",
                        "postcode", e->venue_postcode ? e->venue_postcode : "")
            : json_null(),
        "joining_url", text_or_null(e->joining_url), "starts_at", api_time_json(e->starts_at), "ends_at",
        api_time_json(e->ends_at), "capacity", e->capacity, "booked", e->booked, "places_left", left, "facilitator",
        person_json(e->facilitator_id, e->facilitator_name), "sequence", (json_int_t)e->sequence, "cancelled",
        e->cancelled_at != 0, "cancelled_at", api_time_json(e->cancelled_at), "created_at",
        api_time_json(e->created_at), "updated_at", api_time_json(e->updated_at));
}

static void reply_event(struct request *request, int status, int64_t id)
{
    struct event e;
    enum store_status s = store_event_get(request->store, id, request_arena(request), &e);
    if (s != STORE_OK)
        api_reply_store_status(request, s, "event");
    else
        reply_json(request, status, event_json(&e));
}

/* Cohorts: staff, participants, events and plan */

static json_t *staff_json(const struct cohort_staff *s)
{
    return json_pack("{s:{s:I, s:s, s:s}, s:s, s:o}", "user", "id", (json_int_t)s->user_id, "name", s->name, "email",
                     s->email, "role", role_name(s->role), "since", api_time_json(s->created_at));
}

/* The cohort as GET /api/v1/cohorts lists it (the Cohort schema). */
static json_t *cohort_summary_json(const struct cohort *c)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:I}", "id", (json_int_t)c->id, "code", c->code, "kind",
                     study_kind_name(c->kind), "target", c->target, "delivery_partner",
                     person_json(c->delivery_partner_id, c->delivery_partner_name), "delivery_model",
                     delivery_model_name(c->delivery_model), "starts_on", c->starts_on, "ends_on", c->ends_on,
                     "participants", (json_int_t)c->participant_count);
}

void api_cohort_get(struct request *request)
{
    const struct catalogue *catalogue = api_catalogue(request);
    if (catalogue == NULL)
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct cohort_delivery d;
    enum app_result s = cohort_delivery_get(&env, catalogue, request_param_id(request, 0), request_arena(request), &d);
    if (s != APP_OK) {
        struct errors none = ERRORS_INIT;
        api_reply_result(request, s, &none, "cohort");
        return;
    }
    json_t *staff = json_array(), *participants = json_array(), *events = json_array();
    for (size_t i = 0; i < d.staff_count; i++)
        json_array_append_new(staff, staff_json(&d.staff[i]));
    for (size_t i = 0; i < d.participant_count; i++)
        json_array_append_new(
            participants, json_pack("{s:I, s:s, s:I, s:s}", "id", (json_int_t)d.participants[i].user_id, "name",
                                    d.participants[i].name, "enrolment_id", (json_int_t)d.participants[i].enrolment_id,
                                    "state", enrolment_state_name(d.participants[i].state)));
    for (size_t i = 0; i < d.event_count; i++)
        json_array_append_new(events, event_json(&d.events[i]));
    json_t *plan = json_pack("{s:s, s:i, s:i, s:i, s:b, s:s}", "kind", d.plan.kind, "required", d.plan.required,
                             "planned", d.plan.planned, "short_by", d.plan.short_by, "enough", d.plan.short_by == 0,
                             "sentence", d.plan.sentence);
    reply_json(request, 200,
               json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "cohort", cohort_summary_json(&d.cohort), "staff", staff,
                         "participants", participants, "events", events, "plan", plan, "warning",
                         text_or_null(d.warning)));
}

void api_cohort_staff_add(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    int64_t user_id = 0;
    const char *role_text = NULL;
    api_member_int(body, "user_id", &user_id, &errors);
    api_member_text(body, "role", &role_text, &errors);
    enum role role = ROLE_COUNT;
    if (errors.count == 0 && !role_parse(role_text, &role))
        errors_add(&errors, "role", "Choose facilitator or coach");
    if (errors.count > 0) {
        api_reply_invalid(request, &errors);
        goto out;
    }
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t cohort_id = request_param_id(request, 0);
    enum app_result s = cohort_staff_add(&env, request->caller, cohort_id, user_id, role, &errors);
    if (s != APP_OK) {
        api_reply_result(request, s, &errors, "cohort");
        goto out;
    }
    struct cohort_staff *staff;
    size_t count;
    if (store_cohort_staff_list(request->store, cohort_id, request_arena(request), &staff, &count) != STORE_OK) {
        api_reply_store_status(request, STORE_ERROR, "cohort");
        goto out;
    }
    for (size_t i = 0; i < count; i++)
        if (staff[i].user_id == user_id && staff[i].role == role) {
            reply_json(request, 201, staff_json(&staff[i]));
            goto out;
        }
    api_reply_store_status(request, STORE_ERROR, "cohort");
out:
    errors_free(&errors);
    json_decref(body);
}

void api_cohort_staff_remove(struct request *request)
{
    char role_text[16];
    snprintf(role_text, sizeof(role_text), "%.*s", (int)request->params[2].len, request->params[2].ptr);
    enum role role = ROLE_COUNT;
    role_parse(role_text, &role);
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result s =
        cohort_staff_remove(&env, request_param_id(request, 0), request_param_id(request, 1), role, &errors);
    if (s == APP_OK)
        reply_body(request, 204, "text/plain; charset=utf-8", "", 0);
    else
        api_reply_result(request, s, &errors, "member of staff");
    errors_free(&errors);
}

/* Events */

/* The members of an event in body, over e: those left out keep e's values. */
static void read_event(json_t *body, struct event *e, bool *capacity_given, struct errors *errors)
{
    int64_t number;
    const char *kind = NULL;
    if (api_member_text(body, "kind", &kind, errors) && (kind == NULL || !delivery_event_kind_parse(kind, &e->kind)))
        e->kind = DELIVERY_EVENT_KIND_COUNT; /* for the rule to refuse, in its words */
    api_member_text(body, "title", &e->title, errors);
    api_member_text(body, "module", &e->module, errors);
    if (api_member_int(body, "framework_area", &number, errors))
        e->framework_area = (int)number;
    if (api_member_int(body, "venue_id", &number, errors))
        e->venue_id = number;
    api_member_text(body, "joining_url", &e->joining_url, errors);
    time_member(body, "starts_at", &e->starts_at, errors);
    time_member(body, "ends_at", &e->ends_at, errors);
    *capacity_given = api_member_int(body, "capacity", &number, errors);
    if (*capacity_given)
        e->capacity = number > DELIVERY_CAPACITY_MAX ? DELIVERY_CAPACITY_MAX + 1 : (int)number;
    if (api_member_int(body, "facilitator_id", &number, errors))
        e->facilitator_id = number;
}

void api_events_list(struct request *request)
{
    struct form *query = request_query(request);
    struct event_filter filter = {0};
    struct errors errors = ERRORS_INIT;
    form_read_id(query, "cohort_id", &filter.cohort_id, &errors);
    struct store_page page;
    paging_read(request, CURSOR_NUMBER, &page, &errors);
    if (api_query_refused(request, &errors))
        return;
    /* The times of the window have been answered 422 since they were added; kept so for clients. */
    const char *names[] = {"from", "to"};
    int64_t *values[] = {&filter.from, &filter.to};
    for (size_t i = 0; i < 2; i++) {
        const char *text = form_get(query, names[i]);
        if (text != NULL && *text != '\0' && !date_parse_utc(text, true, values[i]))
            errors_add(&errors, names[i], "Give a date (2027-01-10) or a UTC time (2027-01-10T09:00:00Z)");
    }
    if (errors.count > 0) {
        api_reply_invalid(request, &errors);
        errors_free(&errors);
        return;
    }
    if (filter.cohort_id > 0) {
        /* Asking for one cohort's events is asking to see that cohort. */
        struct relation relation;
        if (store_relation(request->store, request->caller, RESOURCE_COHORT, filter.cohort_id, &relation) != STORE_OK) {
            api_reply_store_status(request, STORE_ERROR, "cohort");
            return;
        }
        if (!policy_allows(PERM_DELIVERY_READ, request->caller, RESOURCE_COHORT, &relation)) {
            api_reply_reason(request, APP_NOT_FOUND, "There is no such cohort, or it is not yours to see.");
            return;
        }
    }
    struct event *list;
    size_t count;
    enum store_status s =
        store_event_list(request->store, request->caller, &filter, &page, request_arena(request), &list, &count);
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "event");
        return;
    }
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(array, event_json(&list[i]));
    paging_link(request, &page);
    reply_json(request, 200, json_pack("{s:o}", "events", array));
}

void api_events_create(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    const struct catalogue *catalogue = api_catalogue(request);
    struct errors errors = ERRORS_INIT;
    if (catalogue == NULL)
        goto out;
    struct event e = {.kind = DELIVERY_EVENT_KIND_COUNT};
    bool capacity_given = false;
    api_member_int(body, "cohort_id", &e.cohort_id, &errors);
    read_event(body, &e, &capacity_given, &errors);
    if (errors.count > 0) {
        api_reply_invalid(request, &errors);
        goto out;
    }
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result s = events_create(&env, catalogue, request->caller, &e, capacity_given, &errors);
    if (s == APP_OK)
        reply_event(request, 201, e.id);
    else
        api_reply_result(request, s, &errors, "cohort");
out:
    errors_free(&errors);
    json_decref(body);
}

void api_event_get(struct request *request)
{
    reply_event(request, 200, request_param_id(request, 0));
}

void api_event_update(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    const struct catalogue *catalogue = api_catalogue(request);
    struct errors errors = ERRORS_INIT;
    if (catalogue == NULL)
        goto out;
    struct event before;
    enum store_status found =
        store_event_get(request->store, request_param_id(request, 0), request_arena(request), &before);
    if (found != STORE_OK) {
        api_reply_store_status(request, found, "event");
        goto out;
    }
    struct event changed = before;
    bool capacity_given;
    int64_t cohort_id;
    if (api_member_int(body, "cohort_id", &cohort_id, &errors) && cohort_id != before.cohort_id)
        errors_add(&errors, "cohort_id", "An event cannot move to another cohort. Cancel it and schedule a new one");
    read_event(body, &changed, &capacity_given, &errors);
    if (errors.count > 0) {
        api_reply_invalid(request, &errors);
        goto out;
    }
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result s = events_update(&env, catalogue, request->caller, &before, &changed, &errors);
    if (s == APP_OK)
        reply_event(request, 200, before.id);
    else
        api_reply_result(request, s, &errors, "event");
out:
    errors_free(&errors);
    json_decref(body);
}

void api_event_cancel(struct request *request)
{
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t id = request_param_id(request, 0);
    enum app_result s = events_cancel(&env, id, &errors);
    if (s == APP_OK)
        reply_event(request, 200, id);
    else
        api_reply_result(request, s, &errors, "event");
    errors_free(&errors);
}

/* Bookings */

static json_t *booking_json(const struct booking *b)
{
    return json_pack("{s:I, s:I, s:{s:I, s:s, s:s}, s:o}", "id", (json_int_t)b->id, "event_id", (json_int_t)b->event_id,
                     "user", "id", (json_int_t)b->user_id, "name", b->user_name, "email", b->user_email, "created_at",
                     api_time_json(b->created_at));
}

void api_event_bookings_list(struct request *request)
{
    struct arena *arena = request_arena(request);
    int64_t id = request_param_id(request, 0);
    struct event e;
    struct booking *list;
    size_t count;
    enum store_status s = store_event_get(request->store, id, arena, &e);
    if (s == STORE_OK)
        s = store_booking_list(request->store, id, arena, &list, &count);
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "event");
        return;
    }
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(array, booking_json(&list[i]));
    json_t *doc = json_pack("{s:I, s:i, s:i, s:o}", "event_id", (json_int_t)id, "capacity", e.capacity, "booked",
                            (int)count, "bookings", array);
    /* At most the event's capacity: read whole, paged here. */
    api_reply_page_of(request, doc, "bookings", "id", CURSOR_ID);
}

void api_event_bookings_create(struct request *request)
{
    json_t *body = NULL;
    if (request_body(request).len > 0 && (body = api_read_object(request)) == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    int64_t user_id = 0;
    if (body != NULL)
        api_member_int(body, "user_id", &user_id, &errors);
    if (errors.count > 0) {
        api_reply_invalid(request, &errors);
        goto out;
    }
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t event_id = request_param_id(request, 0), booking_id = 0;
    enum app_result s = bookings_make(&env, request->caller, event_id, user_id, &booking_id, &errors);
    if (s != APP_OK) {
        api_reply_result(request, s, &errors, "event");
        goto out;
    }
    struct booking *list;
    size_t count;
    if (store_booking_list(request->store, event_id, request_arena(request), &list, &count) == STORE_OK)
        for (size_t i = 0; i < count; i++)
            if (list[i].id == booking_id) {
                reply_json(request, 201, booking_json(&list[i]));
                goto out;
            }
    api_reply_store_status(request, STORE_ERROR, "booking");
out:
    errors_free(&errors);
    json_decref(body);
}

void api_event_booking_cancel(struct request *request)
{
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result s =
        bookings_cancel(&env, request->caller, request_param_id(request, 0), request_param_id(request, 1), &errors);
    if (s == APP_OK)
        reply_body(request, 204, "text/plain; charset=utf-8", "", 0);
    else
        api_reply_result(request, s, &errors, "booking");
    errors_free(&errors);
}

/* Attendance */

static void reply_register(struct request *request, int64_t id)
{
    struct arena *arena = request_arena(request);
    struct event e;
    struct attendance_line *lines;
    size_t count;
    enum store_status s = store_event_get(request->store, id, arena, &e);
    if (s == STORE_OK)
        s = store_attendance_register(request->store, id, arena, &lines, &count);
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "event");
        return;
    }
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++) {
        const struct attendance_line *l = &lines[i];
        json_array_append_new(
            array,
            json_pack("{s:{s:I, s:s}, s:o, s:o, s:s, s:o, s:o}", "user", "id", (json_int_t)l->user_id, "name",
                      l->user_name, "mark",
                      l->marked ? json_string(delivery_attendance_mark_name(l->mark)) : json_null(), "mark_title",
                      l->marked ? json_string(delivery_attendance_mark_title(l->mark)) : json_null(), "reason",
                      l->reason, "recorded_at", l->marked ? api_time_json(l->recorded_at) : json_null(), "recorded_by",
                      l->marked ? person_json(l->recorded_by, l->recorded_by_name) : json_null()));
    }
    int64_t opens = e.starts_at - DELIVERY_ATTENDANCE_EARLY_SECONDS;
    reply_json(request, 200,
               json_pack("{s:I, s:s, s:o, s:o, s:o}", "event_id", (json_int_t)id, "title", e.title, "starts_at",
                         api_time_json(e.starts_at), "opens_at", api_time_json(opens), "register", array));
}

void api_event_attendance_get(struct request *request)
{
    reply_register(request, request_param_id(request, 0));
}

void api_event_attendance_put(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    json_t *marks = json_object_get(body, "marks");
    size_t count = json_is_array(marks) ? json_array_size(marks) : 0;
    if (!json_is_array(marks))
        errors_add(&errors, "marks", "Give the marks as a list of {user_id, mark, reason}");
    else if (count > 1000)
        errors_add(&errors, "marks", "Give at most 1000 marks at once");
    struct attendance_input *inputs = request_alloc(request, sizeof(*inputs) * (count ? count : 1));
    for (size_t i = 0; count <= 1000 && i < count; i++) {
        json_t *item = json_array_get(marks, i);
        struct errors found = ERRORS_INIT;
        inputs[i] = (struct attendance_input){0};
        if (!json_is_object(item))
            errors_add(&found, "mark", "Must be an object with user_id, mark and reason");
        else {
            if (!api_member_int(item, "user_id", &inputs[i].user_id, &found))
                errors_add(&found, "user_id", "Say whose mark this is");
            api_member_text(item, "mark", &inputs[i].mark, &found);
            api_member_text(item, "reason", &inputs[i].reason, &found);
        }
        for (size_t k = 0; k < found.count; k++) {
            char where[64];
            snprintf(where, sizeof(where), "marks[%zu].%s", i, found.items[k].where);
            errors_add(&errors, where, "%s", found.items[k].message);
        }
        errors_free(&found);
    }
    if (errors.count > 0) {
        api_reply_invalid(request, &errors);
        goto out;
    }
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t id = request_param_id(request, 0);
    enum app_result s = attendance_record(&env, id, inputs, count, &errors);
    if (s == APP_OK)
        reply_register(request, id);
    else
        api_reply_result(request, s, &errors, "event");
out:
    errors_free(&errors);
    json_decref(body);
}
