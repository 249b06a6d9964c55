/*
 * Learning communities as JSON: /api/v1/forums (the forums the caller belongs to, one with a page
 * of its threads, starting a thread, subscribing), /api/v1/forum-threads/{id} (a page of posts,
 * replying, pinning and locking), /api/v1/forum-posts/{id} (a post, editing one's own, hiding,
 * reporting) and the moderators' queue of reports. Markdown travels as written with its safe
 * HTML beside it. The gate has decided membership (RESOURCE_FORUM...); the rules of each step are
 * app/forum.c's.
 */
#include "api/api.h"

#include "app/forum.h"
#include "http/paging.h"
#include "http/reply.h"
#include "lib/form.h"
#include "lib/markdown.h"

#include <stdlib.h>
#include <string.h>

static json_t *html_json(const char *md)
{
    char *html = markdown_to_html(md, md ? strlen(md) : 0);
    json_t *j = json_string(html);
    free(html);
    return j;
}

static json_t *person_json(int64_t id, const char *name)
{
    return json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", name);
}

static json_t *forum_json(struct request *request, const struct forum *f)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:I, s:o, s:o, s:b, s:s, s:s}", "id", (json_int_t)f->id, "kind",
                     forum_kind_name(f->kind), "title", forum_title(f, request_arena(request)), "name", f->name,
                     "cohort_id", f->cohort_id ? json_integer(f->cohort_id) : json_null(), "module",
                     *f->module ? json_string(f->module) : json_null(), "thread_count", (json_int_t)f->thread_count,
                     "last_post_at", api_time_json(f->last_post_at), "subscription",
                     f->subscription >= 0 ? json_string(forum_delivery_name((enum forum_delivery)f->subscription))
                                          : json_null(),
                     "moderator", policy_moderates_forum(request->caller, &f->relation), "members",
                     forum_members_in_words(f->kind), "moderators", forum_moderators_in_words(f->kind));
}

static json_t *thread_json(const struct forum_thread *t)
{
    return json_pack("{s:I, s:I, s:s, s:o, s:b, s:b, s:o, s:o, s:I}", "id", (json_int_t)t->id, "forum_id",
                     (json_int_t)t->forum_id, "title", t->title, "author", person_json(t->author_id, t->author_name),
                     "pinned", t->pinned, "locked", t->locked, "created_at", api_time_json(t->created_at),
                     "last_post_at", api_time_json(t->last_post_at), "reply_count", (json_int_t)t->reply_count);
}

static json_t *post_json(const struct forum_post *p)
{
    return json_pack("{s:I, s:I, s:I, s:s, s:o, s:s, s:o, s:b, s:b, s:o, s:o}", "id", (json_int_t)p->id, "thread_id",
                     (json_int_t)p->thread_id, "forum_id", (json_int_t)p->forum_id, "thread_title", p->thread_title,
                     "author", person_json(p->author_id, p->author_name), "body", p->body, "body_html",
                     html_json(p->body), "hidden", p->hidden, "opening", p->opening, "created_at",
                     api_time_json(p->created_at), "edited_at", api_time_json(p->edited_at));
}

static json_t *report_json(struct request *request, const struct forum_report *r)
{
    struct forum f = {.kind = r->forum_kind, .name = r->forum_name, .module = ""};
    return json_pack("{s:I, s:s, s:o, s:o, s:o, s:s}", "id", (json_int_t)r->id, "reason", r->reason, "reporter",
                     person_json(r->reporter_id, r->reporter_name), "created_at", api_time_json(r->created_at), "post",
                     post_json(&r->post), "forum_title", forum_title(&f, request_arena(request)));
}

void api_forums_list(struct request *request)
{
    struct forum *forums;
    size_t count;
    enum app_result r = forum_list_mine(request->store, request->caller, request_arena(request), &forums, &count);
    if (r != APP_OK) {
        api_reply_result(request, r, NULL, "forums");
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(list, forum_json(request, &forums[i]));
    api_reply_page_of(request, json_pack("{s:o}", "forums", list), "forums", "id", CURSOR_ID);
}

void api_forum_get(struct request *request)
{
    struct errors errors = ERRORS_INIT;
    struct store_page page;
    paging_read(request, CURSOR_NUMBER, &page, &errors);
    if (api_query_refused(request, &errors))
        return;
    struct forum_view view;
    enum app_result r = forum_read(request->store, request->caller, &request->relation, request_param_id(request, 0),
                                   &page, request_arena(request), &view);
    if (r != APP_OK) {
        api_reply_result(request, r, NULL, "forum");
        return;
    }
    json_t *threads = json_array();
    for (size_t i = 0; i < view.thread_count; i++)
        json_array_append_new(threads, thread_json(&view.threads[i]));
    paging_link(request, &page);
    reply_json(request, 200, json_pack("{s:o, s:o}", "forum", forum_json(request, &view.forum), "threads", threads));
}

/* A thread and a page of its posts; page->next, when another follows, is linked for a GET. */
static void reply_thread(struct request *request, int status, int64_t thread_id, struct store_page *page)
{
    struct relation r;
    enum store_status s = store_relation(request->store, request->caller, RESOURCE_FORUM_THREAD, thread_id, &r);
    struct forum_thread_view view;
    enum app_result result = app_result_of_store(s);
    if (result == APP_OK)
        result = forum_thread_read(request->store, request->caller, &r, thread_id, page, request_arena(request), &view);
    if (result != APP_OK) {
        api_reply_result(request, result, NULL, "thread");
        return;
    }
    json_t *posts = json_array();
    for (size_t i = 0; i < view.post_count; i++)
        json_array_append_new(posts, post_json(&view.posts[i]));
    if (status == 200)
        paging_link(request, page);
    reply_json(request, status,
               json_pack("{s:o, s:o, s:o}", "forum", forum_json(request, &view.forum), "thread",
                         thread_json(&view.thread), "posts", posts));
}

void api_forum_threads_create(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    const char *title = NULL, *text = NULL;
    api_member_text(body, "title", &title, &errors);
    api_member_text(body, "body", &text, &errors);
    int64_t thread_id = 0, post_id = 0;
    enum app_result r = APP_INVALID;
    if (errors.count == 0) {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        r = forum_thread_start(&env, request->caller, request_param_id(request, 0), title, text, &thread_id, &post_id,
                               &errors);
    }
    if (r == APP_OK)
        reply_thread(request, 201, thread_id, &(struct store_page){.limit = STORE_PAGE_DEFAULT});
    else
        api_reply_result(request, r, &errors, "forum");
    errors_free(&errors);
    json_decref(body);
}

void api_forum_thread_get(struct request *request)
{
    struct errors errors = ERRORS_INIT;
    struct store_page page;
    paging_read(request, CURSOR_ID, &page, &errors);
    if (!api_query_refused(request, &errors))
        reply_thread(request, 200, request_param_id(request, 0), &page);
}

/* A yes or no member: -1 when absent or null, else 0 or 1; an error at key for anything else. */
static int flag_member(json_t *body, const char *key, struct errors *errors)
{
    json_t *v = json_object_get(body, key);
    if (v == NULL || json_is_null(v))
        return -1;
    if (!json_is_boolean(v)) {
        errors_add(errors, key, "Must be true or false");
        return -1;
    }
    return json_is_true(v) ? 1 : 0;
}

void api_forum_thread_update(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    int pinned = flag_member(body, "pinned", &errors), locked = flag_member(body, "locked", &errors);
    int64_t id = request_param_id(request, 0);
    enum app_result r = APP_INVALID;
    if (errors.count == 0) {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        r = forum_thread_moderate(&env, request->caller, &request->relation, id, pinned, locked, &errors);
    }
    struct forum_thread t;
    if (r == APP_OK)
        r = app_result_of_store(store_forum_thread_get(request->store, id, request_arena(request), &t));
    if (r == APP_OK)
        reply_json(request, 200, thread_json(&t));
    else
        api_reply_result(request, r, &errors, "thread");
    errors_free(&errors);
    json_decref(body);
}

static void reply_post(struct request *request, int status, int64_t id)
{
    struct forum_post p;
    enum store_status s = store_forum_post_get(request->store, id, request_arena(request), &p);
    if (s == STORE_OK)
        reply_json(request, status, post_json(&p));
    else
        api_reply_store_status(request, s, "post");
}

void api_forum_posts_create(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    const char *text = NULL;
    api_member_text(body, "body", &text, &errors);
    int64_t post_id = 0;
    enum app_result r = APP_INVALID;
    if (errors.count == 0) {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        r = forum_reply(&env, request->caller, request_param_id(request, 0), text, &post_id, &errors);
    }
    if (r == APP_OK)
        reply_post(request, 201, post_id);
    else
        api_reply_result(request, r, &errors, "thread");
    errors_free(&errors);
    json_decref(body);
}

void api_forum_post_get(struct request *request)
{
    reply_post(request, 200, request_param_id(request, 0));
}

void api_forum_post_update(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    const char *text = NULL;
    bool has_body = api_member_text(body, "body", &text, &errors);
    int hidden = flag_member(body, "hidden", &errors);
    if (errors.count == 0 && !has_body && hidden < 0)
        errors_add(&errors, "body", "Send the post's new text (body), or hidden as a moderator");
    int64_t id = request_param_id(request, 0);
    enum app_result r = APP_INVALID;
    if (errors.count == 0) {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        r = APP_OK;
        /* Both refusals before either change, so a request is done whole or not at all. */
        if ((has_body && !policy_may_edit_forum_post(request->caller, &request->relation)) ||
            (hidden >= 0 && !policy_moderates_forum(request->caller, &request->relation))) {
            errors_add(&errors, has_body ? "body" : "hidden",
                       "Only a post's author changes its text, and only the forum's moderators hide it");
            r = APP_FORBIDDEN;
        }
        if (r == APP_OK && has_body)
            r = forum_post_edit(&env, request->caller, &request->relation, id, text, &errors);
        if (r == APP_OK && hidden >= 0)
            r = forum_post_hide(&env, request->caller, &request->relation, id, hidden == 1, &errors);
    }
    if (r == APP_OK)
        reply_post(request, 200, id);
    else
        api_reply_result(request, r, &errors, "post");
    errors_free(&errors);
    json_decref(body);
}

static void reply_report(struct request *request, int status, int64_t id)
{
    struct forum_report report;
    enum store_status s = store_forum_report_get(request->store, request->caller, id, request_arena(request), &report);
    if (s == STORE_OK)
        reply_json(request, status, report_json(request, &report));
    else
        api_reply_store_status(request, s, "report");
}

void api_forum_reports_create(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    const char *reason = NULL;
    api_member_text(body, "reason", &reason, &errors);
    int64_t id = 0;
    enum app_result r = APP_INVALID;
    if (errors.count == 0) {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        r = forum_report(&env, request->caller, request_param_id(request, 0), reason, &id, &errors);
    }
    if (r == APP_OK)
        reply_report(request, 201, id);
    else
        api_reply_result(request, r, &errors, "post");
    errors_free(&errors);
    json_decref(body);
}

void api_forum_reports_list(struct request *request)
{
    struct forum_report *reports;
    size_t count;
    enum app_result r = forum_reports_queue(request->store, request->caller, request_arena(request), &reports, &count);
    if (r != APP_OK) {
        api_reply_result(request, r, NULL, "reports");
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(list, report_json(request, &reports[i]));
    api_reply_page_of(request, json_pack("{s:o}", "reports", list), "reports", "id", CURSOR_ID);
}

void api_forum_report_resolve(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    const char *outcome = NULL;
    api_member_text(body, "outcome", &outcome, &errors);
    int64_t id = request_param_id(request, 0);
    enum app_result r = APP_INVALID;
    if (errors.count == 0) {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        r = forum_report_resolve(&env, request->caller, &request->relation, id, outcome, &errors);
    }
    if (r == APP_OK)
        reply_report(request, 200, id);
    else
        api_reply_result(request, r, &errors, "report");
    errors_free(&errors);
    json_decref(body);
}

void api_forum_subscription_put(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    const char *mode = NULL;
    api_member_text(body, "mode", &mode, &errors);
    enum forum_delivery d = FORUM_EACH_POST;
    if (errors.count == 0 && !forum_delivery_parse(mode, &d))
        errors_add(&errors, "mode", "Choose each_post or daily_digest");
    int64_t id = request_param_id(request, 0);
    enum app_result r = APP_INVALID;
    if (errors.count == 0) {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        r = forum_subscribe(&env, request->caller, id, (int)d);
    }
    if (r == APP_OK)
        reply_json(request, 200, json_pack("{s:I, s:s}", "forum_id", (json_int_t)id, "mode", forum_delivery_name(d)));
    else
        api_reply_result(request, r, &errors, "forum");
    errors_free(&errors);
    json_decref(body);
}

void api_forum_subscription_delete(struct request *request)
{
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result r = forum_subscribe(&env, request->caller, request_param_id(request, 0), -1);
    if (r == APP_OK)
        reply_body(request, 204, "text/plain; charset=utf-8", "", 0);
    else
        api_reply_result(request, r, NULL, "forum");
}

void api_forum_search(struct request *request)
{
    const struct form *query = request_query(request);
    struct errors errors = ERRORS_INIT;
    int64_t limit = FORUM_LIST_DEFAULT;
    const char *q = form_get(query, "q");
    if (q == NULL || *q == '\0')
        errors_add(&errors, "q", "Say what to search for");
    if (form_get(query, "limit") != NULL)
        form_read_int(query, "limit", 1, FORUM_LIST_MAX, &limit, &errors);
    if (api_query_refused(request, &errors))
        return;
    struct forum_search_hit *hits;
    size_t count;
    enum app_result r =
        forum_search(request->store, request->caller, q, (size_t)limit, request_arena(request), &hits, &count);
    if (r != APP_OK) {
        api_reply_result(request, r, NULL, "posts");
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < count; i++) {
        struct forum f = {.kind = hits[i].forum_kind, .name = hits[i].forum_name, .module = ""};
        json_array_append_new(list, json_pack("{s:o, s:s}", "post", post_json(&hits[i].post), "forum_title",
                                              forum_title(&f, request_arena(request))));
    }
    reply_json(request, 200, json_pack("{s:o}", "results", list));
}
