/*
 * API tokens: /api/v1/tokens. A token is shown once, when it is made; afterwards only its name and
 * first characters are, so people can tell their tokens apart.
 */
#include "api/api.h"

#include "app/accounts.h"
#include "http/paging.h"
#include "http/reply.h"
#include "http/site.h"

#include <string.h>

static json_t *token_json(const struct api_token *t)
{
    return json_pack("{s:I, s:s, s:s, s:I, s:s?, s:o, s:o, s:o, s:o}", "id", (json_int_t)t->id, "name", t->name,
                     "prefix", t->prefix, "user_id", (json_int_t)t->user_id, "user_email", t->user_email, "created_at",
                     api_time_json(t->created_at), "last_used_at", api_time_json(t->last_used_at), "revoked_at",
                     api_time_json(t->revoked_at), "expires_at", api_time_json(t->expires_at));
}

void api_tokens_list(struct request *request)
{
    /* Everyone sees their own; an administrator may ask for anyone's (user_id) or all (all=1). */
    struct form *query = request_query(request);
    int64_t user_id = request->caller->user_id, asked = 0;
    bool all = false;
    struct errors errors = ERRORS_INIT;
    form_read_flag(query, "all", &all, &errors);
    form_read_id(query, "user_id", &asked, &errors);
    struct store_page page;
    paging_read(request, CURSOR_ID, &page, &errors);
    if (api_query_refused(request, &errors))
        return;
    if (policy_acts_for_others(request->caller))
        user_id = all ? 0 : asked > 0 ? asked : user_id;
    struct api_token *tokens;
    size_t count;
    enum store_status s = store_token_list(request->store, user_id, &page, request_arena(request), &tokens, &count);
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "token");
        return;
    }
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(array, token_json(&tokens[i]));
    paging_link(request, &page);
    reply_json(request, 200, json_pack("{s:o}", "tokens", array));
}

void api_tokens_create(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    const char *name = NULL;
    int64_t days = 0;
    api_member_text(body, "name", &name, &errors);
    api_member_int(body, "expires_in_days", &days, &errors);
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    char token[ACCOUNTS_TOKEN_TEXT];
    int64_t id;
    enum app_result r = errors.count > 0
                            ? APP_INVALID
                            : accounts_issue_token(&env, request->caller->user_id, name, days, token, &id, &errors);
    if (r != APP_OK)
        api_reply_result(request, r, &errors, "token");
    else
        reply_json(request, 201,
                   json_pack("{s:I, s:s, s:s, s:o, s:s}", "id", (json_int_t)id, "name", name, "token", token,
                             "expires_at", api_time_json(days > 0 ? env.now + days * 86400 : 0), "note",
                             "Copy the token now: it is not shown again."));
    errors_free(&errors);
    json_decref(body);
}

void api_tokens_revoke(struct request *request)
{
    struct actor actor = request_actor(request);
    enum store_status s = store_token_revoke(request->store, &actor, request_param_id(request, 0), request->now);
    if (s != STORE_OK)
        api_reply_store_status(request, s, "live token");
    else
        reply_body(request, 204, "text/plain; charset=utf-8", "", 0);
}
