/*
 * People: /api/v1/me, /api/v1/users and a person's roles, invitation and assignments.
 */
#include "api/api.h"

#include "app/accounts.h"
#include "http/caller_cache.h"
#include "http/paging.h"
#include "http/reply.h"
#include "http/site.h"

#include <stdlib.h>
#include <string.h>

/* Replies with the person as they are now (status 200 or 201). */
static void reply_user(struct request *request, int status, int64_t id)
{
    struct user user;
    enum store_status s = store_user_get(request->store, id, request_arena(request), &user);
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "person");
        return;
    }
    reply_json(request, status, api_user_json(&user));
}

void api_me(struct request *request)
{
    /* From the caller as authentication found it: this read is answered without the database. On
     * a loop the answer is made once and kept with the cached caller, which a change to accounts,
     * roles or organisations replaces (the access revision); most of the work was the JSON. */
    struct caller_cache_entry *entry = request->caller_entry;
    if (entry == NULL) {
        reply_json(request, 200, api_user_json(request->caller->user));
        return;
    }
    if (entry->me_json == NULL) {
        json_t *document = api_user_json(request->caller->user);
        char *text = document ? json_dumps(document, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(document);
        if (text == NULL) {
            reply_json(request, 200, NULL); /* answers the failure */
            return;
        }
        entry->me_json_len = strlen(text);
        entry->me_json = arena_strdup(&entry->arena, text);
        free(text);
    }
    /* The entry outlives the request: a loop sends the answer before its cache can change. */
    reply_body_static(request, 200, "application/json; charset=utf-8", entry->me_json, entry->me_json_len);
}

void api_users_list(struct request *request)
{
    struct form *query = request_query(request);
    struct user_filter filter = {
        .query = form_get(query, "q"),
        .role = -1,
    };
    struct errors errors = ERRORS_INIT;
    struct store_page page;
    paging_read(request, CURSOR_TEXT, &page, &errors);
    form_read_flag(query, "include_inactive", &filter.include_inactive, &errors);
    const char *role_text = form_get(query, "role");
    enum role role;
    if (role_text != NULL && *role_text != '\0') {
        if (role_parse(role_text, &role))
            filter.role = (int)role;
        else
            errors_add(&errors, "role",
                       "role must be one of admin, partner_lead, facilitator, coach, assessor, "
                       "participant, mentor or headteacher, not \"%s\"",
                       role_text);
    }
    if (api_query_refused(request, &errors))
        return;
    struct user *users;
    size_t count, total;
    enum store_status s = store_user_list(request->store, request->caller, &filter, &page, request_arena(request),
                                          &users, &count, &total);
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "person");
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(list, api_user_json(&users[i]));
    paging_link(request, &page);
    reply_json(request, 200, json_pack("{s:o, s:I}", "users", list, "total", (json_int_t)total));
}

/* Reads "role" (required) into *role, adding an error when missing or unknown. */
static void read_role(json_t *body, enum role *role, struct errors *errors)
{
    const char *name = json_string_value(json_object_get(body, "role"));
    if (name == NULL)
        errors_add(errors, "role", "Choose a role");
    else if (!role_parse(name, role))
        errors_add(errors, "role",
                   "Role must be one of admin, partner_lead, facilitator, coach, assessor, "
                   "participant, mentor, headteacher");
}

/* Reads an optional positive integer id member. */
static int64_t read_id(json_t *body, const char *key, struct errors *errors)
{
    json_t *value = json_object_get(body, key);
    if (value == NULL || json_is_null(value))
        return 0;
    if (!json_is_integer(value) || json_integer_value(value) <= 0) {
        errors_add(errors, key, "Must be the id of a record, a positive whole number");
        return 0;
    }
    return json_integer_value(value);
}

void api_users_create(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    const char *email = json_string_value(json_object_get(body, "email"));
    const char *name = json_string_value(json_object_get(body, "name"));
    enum role role = ROLE_PARTICIPANT;
    read_role(body, &role, &errors);
    int64_t organisation_id = read_id(body, "organisation_id", &errors);
    int64_t role_organisation_id = read_id(body, "role_organisation_id", &errors);
    int64_t id = 0;
    if (errors.count == 0) {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        enum app_result r = accounts_invite(&env, email ? email : "", name ? name : "", organisation_id, role,
                                            role_organisation_id, &id, &errors);
        if (r != APP_OK) {
            api_reply_result(request, r, &errors, "person");
            goto out;
        }
    }
    if (errors.count > 0)
        api_reply_invalid(request, &errors);
    else
        reply_user(request, 201, id);
out:
    errors_free(&errors);
    json_decref(body);
}

void api_user_get(struct request *request)
{
    reply_user(request, 200, request_param_id(request, 0));
}

void api_user_update(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    int64_t id = request_param_id(request, 0);
    struct store *store = request->store;
    struct user current;
    enum store_status s = store_user_get(store, id, request_arena(request), &current);
    struct errors errors = ERRORS_INIT;
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "person");
        goto out;
    }
    const char *name = current.name;
    if (!api_string_member(request, body, "name", &name))
        goto out;
    if (name == NULL)
        name = current.name;
    int64_t organisation_id = current.organisation_id;
    if (json_object_get(body, "organisation_id") != NULL)
        organisation_id = read_id(body, "organisation_id", &errors);
    json_t *active = json_object_get(body, "active");
    if (active != NULL && !json_is_boolean(active))
        errors_add(&errors, "active", "Must be true or false");
    account_user_validate(current.email, name, &errors);
    for (const char *const *key = (const char *const[]){"email", "roles", "password", NULL}; *key; key++)
        if (json_object_get(body, *key) != NULL)
            errors_add(&errors, *key, "Cannot be changed here");
    if (errors.count > 0) {
        api_reply_invalid(request, &errors);
        goto out;
    }
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result result = app_result_of_store(store_begin(store));
    if (result == APP_OK)
        result = app_result_of_store(store_user_update(store, &actor, id, name, organisation_id, env.now));
    if (result == APP_OK && active != NULL && json_is_true(active) != current.active)
        result = accounts_set_active(&env, id, json_is_true(active), &errors);
    if (result == APP_OK)
        result = app_result_of_store(store_commit(store));
    else
        store_rollback(store);
    if (result != APP_OK)
        api_reply_result(request, result, &errors, "person or organisation");
    else
        reply_user(request, 200, id);
out:
    errors_free(&errors);
    json_decref(body);
}

void api_user_roles_add(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    enum role role = ROLE_PARTICIPANT;
    read_role(body, &role, &errors);
    int64_t organisation_id = read_id(body, "organisation_id", &errors);
    int64_t id = request_param_id(request, 0), grant_id;
    if (errors.count == 0) {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        enum app_result r = accounts_grant_role(&env, id, role, organisation_id, &grant_id, &errors);
        if (r != APP_OK) {
            api_reply_result(request, r, &errors, "person");
            goto out;
        }
    }
    if (errors.count > 0)
        api_reply_invalid(request, &errors);
    else
        reply_user(request, 201, id);
out:
    errors_free(&errors);
    json_decref(body);
}

void api_user_roles_remove(struct request *request)
{
    int64_t id = request_param_id(request, 0), grant_id = request_param_id(request, 1);
    if (id == request->caller->user_id) {
        /* An administrator removing their own last admin role could lock everyone out. */
        struct user me;
        if (store_user_get(request->store, id, request_arena(request), &me) == STORE_OK)
            for (size_t i = 0; i < me.role_count; i++)
                if (me.roles[i].id == grant_id && me.roles[i].role == ROLE_ADMIN) {
                    api_reply_reason(request, APP_CONFLICT, "You cannot remove your own administrator role.");
                    return;
                }
    }
    struct actor actor = request_actor(request);
    enum store_status s = store_role_revoke(request->store, &actor, id, grant_id, request->now);
    if (s != STORE_OK)
        api_reply_store_status(request, s, "role");
    else
        reply_user(request, 200, id);
}

void api_user_invitation(struct request *request)
{
    int64_t id = request_param_id(request, 0);
    struct user user;
    enum store_status s = store_user_get(request->store, id, request_arena(request), &user);
    if (s == STORE_OK && !user.active) {
        api_reply_reason(request, APP_CONFLICT, "This account is deactivated; reactivate it first.");
        return;
    }
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "person");
        return;
    }
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result r = accounts_send_invitation(&env, id);
    if (r != APP_OK)
        api_reply_result(request, r, NULL, "person");
    else
        reply_json(request, 202, json_pack("{s:s}", "status", "sent"));
}

static json_t *assignment_json(const struct assignment *a)
{
    return json_pack("{s:I, s:s, s:{s:I, s:s}, s:{s:I, s:s}}", "id", (json_int_t)a->id, "kind", role_name(a->kind),
                     "staff", "id", (json_int_t)a->staff_id, "name", a->staff_name, "participant", "id",
                     (json_int_t)a->participant_id, "name", a->participant_name);
}

void api_user_assignments(struct request *request)
{
    struct assignment *list;
    size_t count;
    enum store_status s =
        store_assignment_list(request->store, request_param_id(request, 0), request_arena(request), &list, &count);
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "assignment");
        return;
    }
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(array, assignment_json(&list[i]));
    /* A person has a handful of coaches, mentors or coachees: read whole, paged here. */
    api_reply_page_of(request, json_pack("{s:o}", "assignments", array), "assignments", "id", CURSOR_ID);
}

void api_assignments_create(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    const char *kind_text = json_string_value(json_object_get(body, "kind"));
    enum role kind = ROLE_COACH;
    if (kind_text == NULL || !role_parse(kind_text, &kind) || (kind != ROLE_COACH && kind != ROLE_MENTOR))
        errors_add(&errors, "kind", "Kind must be coach or mentor");
    int64_t staff_id = read_id(body, "staff_id", &errors);
    int64_t participant_id = read_id(body, "participant_id", &errors);
    if (staff_id == 0)
        errors_add(&errors, "staff_id", "Choose the coach or mentor");
    if (participant_id == 0)
        errors_add(&errors, "participant_id", "Choose the participant");
    int64_t id = 0;
    if (errors.count == 0) {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        enum app_result r = accounts_assign(&env, kind, staff_id, participant_id, &id, &errors);
        if (r != APP_OK) {
            api_reply_result(request, r, &errors, "assignment");
            goto out;
        }
    }
    if (errors.count > 0)
        api_reply_invalid(request, &errors);
    else
        reply_json(request, 201,
                   json_pack("{s:I, s:s, s:I, s:I}", "id", (json_int_t)id, "kind", role_name(kind), "staff_id",
                             (json_int_t)staff_id, "participant_id", (json_int_t)participant_id));
out:
    errors_free(&errors);
    json_decref(body);
}

void api_assignments_delete(struct request *request)
{
    struct actor actor = request_actor(request);
    enum store_status s = store_assignment_delete(request->store, &actor, request_param_id(request, 0), request->now);
    if (s != STORE_OK)
        api_reply_store_status(request, s, "assignment");
    else
        reply_body(request, 204, "text/plain; charset=utf-8", "", 0);
}
