/*
 * Coaching sessions: /api/v1/coaching-sessions (the caller's, or one participant's history),
 * booking, rescheduling and cancelling, notes (private ones only ever shown to the coach and
 * administrators) and agreed actions that either side ticks off. Notes are Markdown, sent back
 * both as written and rendered safely (lib/markdown.h). Who may take each step is decided in
 * app/coaching.c; this file parses and renders.
 */
#include "api/api.h"

#include "app/coaching.h"
#include "http/paging.h"
#include "http/reply.h"
#include "lib/date.h"
#include "http/site.h"
#include "lib/markdown.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Reads an optional time member into *out (left alone when absent); adds an error when it is
 * there but not a UTC time. */
static void time_member(json_t *body, const char *key, int64_t *out, struct errors *errors)
{
    json_t *value = json_object_get(body, key);
    if (value == NULL || json_is_null(value))
        return;
    if (!date_parse_utc(json_string_value(value), false, out))
        errors_add(errors, key, "Give the time in UTC as YYYY-MM-DDTHH:MM:SSZ, like 2026-11-23T11:00:00Z");
}

/* Reads an optional string member; adds an error when it is there with another type. */
static const char *string_member(json_t *body, const char *key, struct errors *errors)
{
    json_t *value = json_object_get(body, key);
    if (value == NULL || json_is_null(value))
        return NULL;
    if (!json_is_string(value) || strlen(json_string_value(value)) != json_string_length(value)) {
        errors_add(errors, key, "Must be a string");
        return NULL;
    }
    return json_string_value(value);
}

/* Reads an optional positive id member (0 when absent); adds an error for anything else. */
static int64_t id_member(json_t *body, const char *key, struct errors *errors)
{
    json_t *value = json_object_get(body, key);
    if (value == NULL || json_is_null(value))
        return 0;
    if (!json_is_integer(value) || json_integer_value(value) <= 0) {
        errors_add(errors, key, "Must be the id of a person, a positive whole number");
        return 0;
    }
    return json_integer_value(value);
}

static json_t *person_json(int64_t id, const char *name)
{
    return json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", name ? name : "");
}

static json_t *markdown_json(const char *md)
{
    char *html = markdown_to_html(md, strlen(md));
    json_t *j = json_string(html);
    free(html);
    return j != NULL ? j : json_string("");
}

static const char *session_status(const struct coaching_session *s, int64_t now)
{
    if (s->cancelled_at != 0)
        return "cancelled";
    return s->ends_at <= now ? "past" : "upcoming";
}

static json_t *session_json(const struct coaching_session *s, int64_t now)
{
    return json_pack("{s:I, s:o, s:o, s:o, s:o, s:s, s:s, s:s, s:I, s:s, s:o, s:I, s:I, s:o, s:o}", "id",
                     (json_int_t)s->id, "coach", person_json(s->coach_id, s->coach_name), "participant",
                     person_json(s->participant_id, s->participant_name), "starts_at", api_time_json(s->starts_at),
                     "ends_at", api_time_json(s->ends_at), "mode", delivery_coaching_mode_name(s->mode), "mode_title",
                     delivery_coaching_mode_title(s->mode), "place", s->place ? s->place : "", "sequence",
                     (json_int_t)s->sequence, "status", session_status(s, now), "cancelled_at",
                     api_time_json(s->cancelled_at), "action_count", (json_int_t)s->action_count, "actions_done",
                     (json_int_t)s->actions_done, "created_at", api_time_json(s->created_at), "updated_at",
                     api_time_json(s->updated_at));
}

static json_t *note_json(const struct coaching_note *n)
{
    return json_pack("{s:I, s:o, s:s, s:s, s:o, s:o, s:o}", "id", (json_int_t)n->id, "author",
                     person_json(n->author_id, n->author_name), "visibility",
                     delivery_note_visibility_name(n->visibility), "body", n->body, "body_html", markdown_json(n->body),
                     "created_at", api_time_json(n->created_at), "updated_at", api_time_json(n->updated_at));
}

static json_t *action_json(const struct coaching_action *a)
{
    return json_pack("{s:I, s:s, s:o, s:b, s:o, s:o}", "id", (json_int_t)a->id, "text", a->text, "due_on",
                     a->due_on ? json_string(a->due_on) : json_null(), "done", a->done_at != 0, "done_at",
                     api_time_json(a->done_at), "created_at", api_time_json(a->created_at));
}

/* Replies with a session, its notes as the caller may read them and its actions. */
static void reply_session(struct request *request, int status, int64_t id)
{
    struct store *store = request->store;
    struct arena *arena = request_arena(request);
    struct coaching_session s;
    struct coaching_note *notes = NULL;
    struct coaching_action *actions = NULL;
    size_t note_count = 0, action_count = 0;
    /* The facts the gate loaded are about the session in the URL; one just booked has none yet. */
    struct relation made, *relation = &request->relation;
    enum store_status st = store_coaching_session_get(store, id, arena, &s);
    if (st == STORE_OK && id != request_param_id(request, 0)) {
        st = store_relation(store, request->caller, RESOURCE_COACHING_SESSION, id, &made);
        relation = &made;
    }
    if (st == STORE_OK)
        st = store_coaching_notes(store, id, policy_reads_private_notes(request->caller, relation), arena, &notes,
                                  &note_count);
    if (st == STORE_OK)
        st = store_coaching_actions(store, id, arena, &actions, &action_count);
    if (st != STORE_OK) {
        api_reply_store_status(request, st, "coaching session");
        return;
    }
    json_t *doc = session_json(&s, request->now);
    json_t *notes_json = json_array(), *actions_json = json_array();
    for (size_t i = 0; i < note_count; i++)
        json_array_append_new(notes_json, note_json(&notes[i]));
    for (size_t i = 0; i < action_count; i++)
        json_array_append_new(actions_json, action_json(&actions[i]));
    json_object_set_new(doc, "notes", notes_json);
    json_object_set_new(doc, "actions", actions_json);
    reply_json(request, status, doc);
}

void api_coaching_sessions_list(struct request *request)
{
    const struct caller *caller = request->caller;
    /* Everyone sees the sessions they are part of; administrators see every one. The filter only
     * narrows that, so naming someone else's participant finds nothing. */
    struct coaching_filter filter = {.user_id = policy_is_admin(caller) ? 0 : caller->user_id};
    struct errors errors = ERRORS_INIT;
    form_read_id(request_query(request), "participant_id", &filter.participant_id, &errors);
    struct store_page page;
    paging_read(request, CURSOR_NUMBER, &page, &errors);
    if (api_query_refused(request, &errors))
        return;
    struct coaching_session *list;
    size_t count;
    enum store_status s =
        store_coaching_session_list(request->store, &filter, &page, request_arena(request), &list, &count);
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "coaching session");
        return;
    }
    int64_t now = request->now;
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(array, session_json(&list[i], now));
    paging_link(request, &page);
    reply_json(request, 200, json_pack("{s:o}", "sessions", array));
}

/* Reads mode and place of a session body; mode -1 when absent. */
static int mode_member(json_t *body, struct errors *errors)
{
    const char *name = string_member(body, "mode", errors);
    enum delivery_coaching_mode mode;
    if (name == NULL)
        return -1;
    if (!delivery_coaching_mode_parse(name, &mode)) {
        errors_add(errors, "mode", "Choose whether the session is online or in_person");
        return -1;
    }
    return (int)mode;
}

void api_coaching_sessions_create(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    struct coaching_session s = {0};
    s.participant_id = id_member(body, "participant_id", &errors);
    s.coach_id = id_member(body, "coach_id", &errors);
    time_member(body, "starts_at", &s.starts_at, &errors);
    time_member(body, "ends_at", &s.ends_at, &errors);
    int mode = mode_member(body, &errors);
    if (mode < 0 && json_object_get(body, "mode") == NULL)
        errors_add(&errors, "mode", "Choose whether the session is online or in_person");
    s.mode = mode < 0 ? DELIVERY_COACHING_ONLINE : (enum delivery_coaching_mode)mode;
    s.place = string_member(body, "place", &errors);
    if (errors.count > 0) {
        api_reply_invalid(request, &errors);
        goto out;
    }
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result r = coaching_session_book(&env, request->caller, &s, &errors);
    if (r == APP_OK)
        reply_session(request, 201, s.id);
    else
        api_reply_result(request, r, &errors, "participant");
out:
    errors_free(&errors);
    json_decref(body);
}

void api_coaching_session_get(struct request *request)
{
    reply_session(request, 200, request_param_id(request, 0));
}

void api_coaching_session_update(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    struct coaching_change change = {.mode = -1};
    time_member(body, "starts_at", &change.starts_at, &errors);
    time_member(body, "ends_at", &change.ends_at, &errors);
    change.mode = mode_member(body, &errors);
    change.place = string_member(body, "place", &errors);
    if (errors.count > 0) {
        api_reply_invalid(request, &errors);
        goto out;
    }
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t id = request_param_id(request, 0);
    enum app_result r = coaching_session_reschedule(&env, request->caller, id, &change, &errors);
    if (r == APP_OK)
        reply_session(request, 200, id);
    else
        api_reply_result(request, r, &errors, "coaching session");
out:
    errors_free(&errors);
    json_decref(body);
}

void api_coaching_session_cancel(struct request *request)
{
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t id = request_param_id(request, 0);
    enum app_result r = coaching_session_cancel(&env, request->caller, id, &errors);
    if (r == APP_OK)
        reply_session(request, 200, id);
    else
        api_reply_result(request, r, &errors, "coaching session");
    errors_free(&errors);
}

void api_coaching_notes_create(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    struct coaching_note note = {.session_id = request_param_id(request, 0)};
    note.body = string_member(body, "body", &errors);
    const char *visibility = string_member(body, "visibility", &errors);
    if (visibility == NULL || !delivery_note_visibility_parse(visibility, &note.visibility))
        errors_add(&errors, "visibility", "Choose private (coach only) or shared (with the participant)");
    if (errors.count > 0) {
        api_reply_invalid(request, &errors);
        goto out;
    }
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result r = coaching_note_add(&env, request->caller, &note, &errors);
    if (r == APP_OK)
        reply_json(request, 201, note_json(&note));
    else
        api_reply_result(request, r, &errors, "coaching session");
out:
    errors_free(&errors);
    json_decref(body);
}

void api_coaching_actions_create(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    struct coaching_action action = {.session_id = request_param_id(request, 0)};
    action.text = string_member(body, "text", &errors);
    action.due_on = string_member(body, "due_on", &errors);
    if (errors.count > 0) {
        api_reply_invalid(request, &errors);
        goto out;
    }
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result r = coaching_action_add(&env, request->caller, &action, &errors);
    if (r == APP_OK)
        reply_json(request, 201, action_json(&action));
    else
        api_reply_result(request, r, &errors, "coaching session");
out:
    errors_free(&errors);
    json_decref(body);
}

static void set_done(struct request *request, bool done)
{
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t id = request_param_id(request, 0), action_id = request_param_id(request, 1);
    enum app_result r =
        action_id > 0 ? coaching_action_set_done(&env, request->caller, id, action_id, done, &errors) : APP_NOT_FOUND;
    struct coaching_action *actions;
    size_t count;
    if (r == APP_OK &&
        store_coaching_actions(request->store, id, request_arena(request), &actions, &count) == STORE_OK) {
        for (size_t i = 0; i < count; i++)
            if (actions[i].id == action_id) {
                reply_json(request, 200, action_json(&actions[i]));
                goto out;
            }
    }
    api_reply_result(request, r == APP_OK ? APP_UNAVAILABLE : r, &errors, "action in this session");
out:
    errors_free(&errors);
}

void api_coaching_action_done(struct request *request)
{
    set_done(request, true);
}

void api_coaching_action_undone(struct request *request)
{
    set_done(request, false);
}
