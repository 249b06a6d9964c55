/*
 * The learning community pages (forum.h says what each route is). No rule lives here: who
 * belongs and who moderates is the policy's, read from the facts the gate loaded, and every
 * change goes through app/forum.h exactly as the JSON API does. Posts are Markdown rendered by
 * page_markdown (cmark, safe mode), so what people write can never become markup. Built for a
 * phone: threads and posts are full-width blocks, never tables.
 */
#include "pages/forum.h"

#include "app/forum.h"
#include "http/reply.h"
#include "lib/form.h"
#include "pages/forms.h"
#include "pages/html.h"
#include "pages/layout.h"
#include "pages/widgets.h"

#include <inttypes.h>
#include <string.h>

static const char *id_text(struct request *request, int64_t id)
{
    return request_printf(request, "%" PRId64, id);
}

static void begin(struct page *page, const char *title, const struct errors *errors)
{
    page_begin(page, title, SECTION_FORUMS);
    page->has_errors = errors != NULL && errors->count > 0;
}

static void notice(struct request *request, struct page *page)
{
    static const char *const names[][2] = {
        {"started", "Thread started"},
        {"replied", "Reply posted"},
        {"edited", "Post changed"},
        {"hidden", "Post hidden"},
        {"shown", "Post shown again"},
        {"reported", "Post reported"},
        {"pinned", "Thread pinned"},
        {"unpinned", "Thread unpinned"},
        {"locked", "Thread locked"},
        {"unlocked", "Thread unlocked"},
        {"resolved", "Report closed"},
        {"following", "Following this forum"},
        {"unfollowed", "No longer following"},
    };
    const char *name = form_get(request_query(request), "notice");
    for (size_t i = 0; name != NULL && i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(name, names[i][0]) == 0)
            page_notice(page, "success", names[i][1]);
}

/* Where this page of threads or posts starts; false after the 400 page. */
static bool page_position(struct request *request, enum cursor_key kind, struct store_page *page)
{
    struct errors errors = ERRORS_INIT;
    page_list_position(request, kind, FORUM_LIST_DEFAULT, page, &errors);
    return !page_query_refused(request, &errors);
}

static void hidden_input(struct buf *b, const char *name, const char *value)
{
    html_printf(b, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", name, value);
}

/* A one-button form with one hidden field. */
static void button_with(struct buf *b, struct request *request, const char *action, const char *name, const char *value,
                        const char *text, const char *variant)
{
    html_printf(b, "<form method=\"post\" action=\"%s\" class=\"npq-inline-form\">", action);
    forms_csrf(b, request);
    hidden_input(b, name, value);
    forms_button(b, text, variant);
    html_printf(b, "</form>");
}

/* ---- /forums ---- */

static void search_form(struct buf *b, const char *q)
{
    html_printf(b,
                "<form method=\"get\" action=\"/forums/search\" class=\"govuk-!-margin-bottom-6\" role=\"search\">"
                "<div class=\"govuk-form-group\"><label class=\"govuk-label\" for=\"q\">Search posts</label><input "
                "class=\"govuk-input\" id=\"q\" name=\"q\" type=\"search\" value=\"%s\"></div><button "
                "class=\"govuk-button govuk-button--secondary\" data-module=\"govuk-button\">Search</button></form>",
                q);
}

void page_forum_search(struct request *request)
{
    const struct form *query = request_query(request);
    const char *q = form_get(query, "q");
    struct arena *arena = request_arena(request);
    struct forum_search_hit *hits = NULL;
    size_t count = 0;
    if (q != NULL && *q != '\0') {
        enum app_result r = forum_search(request->store, request->caller, q, 0, arena, &hits, &count);
        if (r != APP_OK) {
            page_refusal(request, r, NULL);
            return;
        }
    }
    struct page page;
    begin(&page, "Search the forums", NULL);
    page_breadcrumbs(&page, request, "/forums", "Forums", NULL, NULL);
    struct buf *b = &page.body;
    html_printf(b, "<h1 class=\"govuk-heading-l\">Search the forums</h1>");
    search_form(b, q ? q : "");
    if (q != NULL && *q != '\0') {
        html_printf(b, "<h2 class=\"govuk-heading-m\">%s result%s</h2>", id_text(request, (int64_t)count),
                    count == 1 ? "" : "s");
        html_printf(b, "<ul class=\"govuk-list\">");
        for (size_t i = 0; i < count; i++) {
            const struct forum_post *p = &hits[i].post;
            struct forum f = {.kind = hits[i].forum_kind, .name = hits[i].forum_name, .module = ""};
            html_printf(b,
                        "<li class=\"govuk-!-margin-bottom-6\" data-testid=\"result\"><a class=\"govuk-link "
                        "govuk-!-font-weight-bold govuk-!-text-break-word\" href=\"/forums/threads/%s#post-%s\">%s</a>"
                        "<br><span class=\"govuk-hint govuk-!-font-size-16\">%s, by %s, %s</span>"
                        "<div class=\"govuk-!-text-break-word\">",
                        id_text(request, p->thread_id), id_text(request, p->id), p->thread_title,
                        forum_title(&f, arena), p->author_name, page_time(request, p->created_at, DATE_DAY));
            page_markdown(b, p->body, true);
            html_printf(b, "</div></li>");
        }
        html_printf(b, "</ul>");
    }
    page_send(request, &page, 200);
}

void page_forums(struct request *request)
{
    struct arena *arena = request_arena(request);
    struct forum *forums;
    size_t count;
    enum app_result r = forum_list_mine(request->store, request->caller, arena, &forums, &count);
    if (r != APP_OK) {
        page_refusal(request, r, NULL);
        return;
    }
    struct page page;
    begin(&page, "Forums", NULL);
    struct buf *b = &page.body;
    html_printf(b, "<h1 class=\"govuk-heading-l\">Forums</h1><p class=\"govuk-body\">Talk with the people you "
                   "learn and work with: your cohort, the modules you study and everyone on the programme.</p>");
    if (policy_allows(PERM_FORUMS_MODERATE, request->caller, RESOURCE_NONE, NULL))
        html_printf(b, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/forums/moderation\" "
                       "data-testid=\"moderation-link\">Reports waiting for a moderator</a></p>");
    search_form(b, "");
    if (count == 0)
        html_printf(b, "<p class=\"govuk-body\">You do not belong to any forum yet.</p>");
    else {
        html_printf(b, "<ul class=\"govuk-list\">");
        for (size_t i = 0; i < count; i++) {
            const struct forum *f = &forums[i];
            html_printf(b,
                        "<li class=\"govuk-!-margin-bottom-4\" data-testid=\"forum\"><a class=\"govuk-link "
                        "govuk-!-font-weight-bold govuk-!-text-break-word\" href=\"/forums/%s\">%s</a><br><span "
                        "class=\"govuk-hint govuk-!-font-size-16\">%s, %s thread%s%s%s</span></li>",
                        id_text(request, f->id), forum_title(f, arena),
                        f->kind == FORUM_COHORT   ? "Cohort"
                        : f->kind == FORUM_MODULE ? "Module"
                                                  : "Everyone",
                        id_text(request, f->thread_count), f->thread_count == 1 ? "" : "s",
                        f->last_post_at ? ", last post " : "",
                        f->last_post_at ? page_time(request, f->last_post_at, DATE_DAY) : "");
        }
        html_printf(b, "</ul>");
    }
    page_send(request, &page, 200);
}

/* ---- /forums/{id} ---- */

struct thread_form {
    const char *title, *body;
};

static void subscription_form(struct buf *b, struct request *request, const struct forum *f)
{
    const char *action = request_printf(request, "/forums/%" PRId64 "/subscription", f->id);
    static const char *const modes[3][2] = {{"each_post", "An email for each new post"},
                                            {"daily_digest", "One email a day listing new posts"},
                                            {"none", "No emails"}};
    int current = f->subscription < 0 ? 2 : f->subscription;
    html_printf(b, "<details class=\"govuk-details\"><summary class=\"govuk-details__summary\"><span "
                   "class=\"govuk-details__summary-text\">Emails from this forum</span></summary><div "
                   "class=\"govuk-details__text\">");
    forms_begin(b, request, action);
    html_printf(b, "<div class=\"govuk-form-group\"><fieldset class=\"govuk-fieldset\"><legend "
                   "class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">How should we tell you about new "
                   "posts?</legend><div class=\"govuk-radios\" data-module=\"govuk-radios\">");
    for (int i = 0; i < 3; i++)
        html_printf(b,
                    "<div class=\"govuk-radios__item\"><input class=\"govuk-radios__input\" id=\"mode-%s\" "
                    "name=\"mode\" type=\"radio\" value=\"%s\"%R><label class=\"govuk-label govuk-radios__label\" "
                    "for=\"mode-%s\">%s</label></div>",
                    modes[i][0], modes[i][0], i == current ? " checked" : "", modes[i][0], modes[i][1]);
    html_printf(b, "</div></fieldset></div>");
    forms_button(b, "Save", "secondary");
    forms_end(b);
    html_printf(b, "</div></details>");
}

static void forum_show(struct request *request, const struct thread_form *typed, const struct errors *errors,
                       int status)
{
    struct store_page position;
    if (!page_position(request, CURSOR_NUMBER, &position))
        return;
    struct arena *arena = request_arena(request);
    struct forum_view view;
    int64_t id = request_param_id(request, 0);
    enum app_result r = forum_read(request->store, request->caller, &request->relation, id, &position, arena, &view);
    if (r != APP_OK) {
        page_refusal(request, r, NULL);
        return;
    }
    const char *title = forum_title(&view.forum, arena);
    struct page page;
    begin(&page, title, errors);
    page_breadcrumbs(&page, request, "/forums", "Forums", NULL, NULL);
    notice(request, &page);
    struct buf *b = &page.body;
    forms_error_summary(b, errors);
    html_printf(b,
                "<span class=\"govuk-caption-l\">Forum</span><h1 class=\"govuk-heading-l "
                "govuk-!-text-break-word\">%s</h1><p class=\"govuk-body\">%s %s</p>",
                title, forum_members_in_words(view.forum.kind), forum_moderators_in_words(view.forum.kind));
    subscription_form(b, request, &view.forum);
    html_printf(b, "<h2 class=\"govuk-heading-m\">Threads</h2>");
    if (view.thread_count == 0)
        html_printf(b, "<p class=\"govuk-body\">No threads yet. Start the first one below.</p>");
    else {
        html_printf(b, "<ul class=\"govuk-list\">");
        for (size_t i = 0; i < view.thread_count; i++) {
            const struct forum_thread *t = &view.threads[i];
            html_printf(
                b,
                "<li class=\"govuk-!-margin-bottom-4\" data-testid=\"thread\">%R%R<a class=\"govuk-link "
                "govuk-!-font-weight-bold govuk-!-text-break-word\" href=\"/forums/threads/%s\">%s</a><br><span "
                "class=\"govuk-hint govuk-!-font-size-16\">Started by %s, %s repl%s, last post %s</span></li>",
                t->pinned ? page_tag(request, "blue", "Pinned") : "",
                t->locked ? page_tag(request, "grey", "Locked") : "", id_text(request, t->id), t->title, t->author_name,
                id_text(request, t->reply_count), t->reply_count == 1 ? "y" : "ies",
                page_time(request, t->last_post_at, DATE_DAY));
        }
        html_printf(b, "</ul>");
    }
    page_pagination(b, request, NULL, 0, &position);
    html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"new-thread\">Start a thread</h2><div "
                   "class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    forms_begin(b, request, request_printf(request, "/forums/%" PRId64 "/threads", id));
    forms_input(b, "title", "Title", "text", typed ? typed->title : "", NULL, "off", errors);
    forms_textarea(b, "body", "Your post", typed ? typed->body : "",
                   "You can use Markdown. Write @ and a member's name to tell them about it.", 6, errors);
    forms_button(b, "Start the thread", NULL);
    forms_end(b);
    html_printf(b, "</div></div>");
    page_send(request, &page, status);
}

void page_forum(struct request *request)
{
    forum_show(request, NULL, NULL, 200);
}

void page_forum_thread_create(struct request *request)
{
    struct thread_form f = {forms_text(request, "title"), forms_value(request, "body")};
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t thread_id = 0, post_id = 0;
    enum app_result r = forum_thread_start(&env, request->caller, request_param_id(request, 0), f.title, f.body,
                                           &thread_id, &post_id, &errors);
    if (r == APP_OK)
        reply_redirect(request, request_printf(request, "/forums/threads/%" PRId64 "?notice=started", thread_id));
    else {
        int status = page_form_again(request, r, &errors);
        if (status != 0)
            forum_show(request, &f, &errors, status);
    }
    errors_free(&errors);
}

void page_forum_subscribe(struct request *request)
{
    const char *mode = forms_text(request, "mode");
    enum forum_delivery d;
    int value = strcmp(mode, "none") == 0 ? -1 : forum_delivery_parse(mode, &d) ? (int)d : -2;
    int64_t id = request_param_id(request, 0);
    if (value == -2) {
        struct errors errors = ERRORS_INIT;
        errors_add(&errors, "mode", "Choose how we should tell you about new posts");
        forum_show(request, NULL, &errors, 422);
        errors_free(&errors);
        return;
    }
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result r = forum_subscribe(&env, request->caller, id, value);
    if (r == APP_OK)
        reply_redirect(request, request_printf(request, "/forums/%" PRId64 "?notice=%s", id,
                                               value < 0 ? "unfollowed" : "following"));
    else
        page_refusal(request, r, NULL);
}

/* ---- /forums/threads/{id} ---- */

static void post_block(struct request *request, struct buf *b, const struct forum_thread_view *view,
                       const struct forum_post *p)
{
    /* The post's own facts are the thread's, with its author and whether it is hidden. */
    struct relation r = request->relation;
    r.is_self = p->author_id == request->caller->user_id;
    r.post_hidden = p->hidden;
    bool mine = policy_is_self(request->caller, &r);
    bool editable = policy_may_edit_forum_post(request->caller, &r);
    html_printf(b,
                "<article class=\"npq-forum-post govuk-!-margin-bottom-6\" id=\"post-%s\" data-testid=\"post\">"
                "<h2 class=\"govuk-heading-s govuk-!-margin-bottom-1\">%s %R</h2><p class=\"govuk-body-s "
                "govuk-!-margin-bottom-2 npq-muted\">%s%s</p>",
                id_text(request, p->id), p->author_name, p->hidden ? page_tag(request, "red", "Hidden") : "",
                page_time(request, p->created_at, DATE_DAY), p->edited_at ? " (edited)" : "");
    html_printf(b, "<div class=\"govuk-!-text-break-word\" data-testid=\"post-body\">");
    page_markdown(b, p->body, false);
    html_printf(b, "</div><p class=\"govuk-body-s\">");
    const char *post = request_printf(request, "/forums/posts/%" PRId64, p->id);
    if (editable && !view->thread.locked)
        html_printf(b,
                    "<a class=\"govuk-link govuk-!-margin-right-3\" href=\"%s/edit\">Edit<span "
                    "class=\"govuk-visually-hidden\"> your post</span></a>",
                    post);
    if (!mine)
        html_printf(b,
                    "<a class=\"govuk-link govuk-!-margin-right-3\" href=\"%s/report\">Report<span "
                    "class=\"govuk-visually-hidden\"> the post by %s</span></a>",
                    post, p->author_name);
    if (view->moderator && !p->hidden)
        html_printf(b,
                    "<a class=\"govuk-link\" href=\"%s/hide\">Hide<span class=\"govuk-visually-hidden\"> the "
                    "post by %s</span></a>",
                    post, p->author_name);
    html_printf(b, "</p>");
    if (view->moderator && p->hidden)
        button_with(b, request, request_printf(request, "%s/hide", post), "hidden", "0", "Show the post again",
                    "secondary");
    html_printf(b, "</article>");
}

static void thread_show(struct request *request, const char *typed, const struct errors *errors, int status)
{
    struct store_page position;
    if (!page_position(request, CURSOR_ID, &position))
        return;
    struct arena *arena = request_arena(request);
    struct forum_thread_view view;
    int64_t id = request_param_id(request, 0);
    enum app_result r =
        forum_thread_read(request->store, request->caller, &request->relation, id, &position, arena, &view);
    if (r != APP_OK) {
        page_refusal(request, r, NULL);
        return;
    }
    struct page page;
    begin(&page, view.thread.title, errors);
    page_breadcrumbs(&page, request, "/forums", "Forums", request_printf(request, "/forums/%" PRId64, view.forum.id),
                     forum_title(&view.forum, arena));
    notice(request, &page);
    struct buf *b = &page.body;
    forms_error_summary(b, errors);
    html_printf(b,
                "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l "
                "govuk-!-text-break-word\">%s</h1>",
                forum_title(&view.forum, arena), view.thread.title);
    if (view.thread.pinned || view.thread.locked)
        html_printf(b, "<p class=\"govuk-body\">%R %R</p>",
                    view.thread.pinned ? page_tag(request, "blue", "Pinned") : "",
                    view.thread.locked ? page_tag(request, "grey", "Locked") : "");
    if (view.moderator) {
        const char *action = request_printf(request, "/forums/threads/%" PRId64 "/moderate", id);
        html_printf(b, "<div class=\"govuk-button-group\">");
        button_with(b, request, action, "action", view.thread.pinned ? "unpin" : "pin",
                    view.thread.pinned ? "Unpin the thread" : "Pin the thread", "secondary");
        button_with(b, request, action, "action", view.thread.locked ? "unlock" : "lock",
                    view.thread.locked ? "Unlock the thread" : "Lock the thread", "secondary");
        html_printf(b, "</div>");
    }
    for (size_t i = 0; i < view.post_count; i++)
        post_block(request, b, &view, &view.posts[i]);
    page_pagination(b, request, NULL, 0, &position);
    if (view.thread.locked)
        html_printf(b, "<div class=\"govuk-inset-text\" data-testid=\"locked\">This thread is locked: nobody can "
                       "reply to it.</div>");
    else {
        html_printf(b, "<h2 class=\"govuk-heading-m\">Reply</h2><div class=\"govuk-grid-row\"><div "
                       "class=\"govuk-grid-column-two-thirds\">");
        forms_begin(b, request, request_printf(request, "/forums/threads/%" PRId64 "/posts", id));
        forms_textarea(b, "body", "Your reply", typed ? typed : "",
                       "You can use Markdown. Write @ and a member's name to tell them about it.", 5, errors);
        forms_button(b, "Post the reply", NULL);
        forms_end(b);
        html_printf(b, "</div></div>");
    }
    page_send(request, &page, status);
}

void page_forum_thread(struct request *request)
{
    thread_show(request, NULL, NULL, 200);
}

void page_forum_reply(struct request *request)
{
    const char *body = forms_value(request, "body");
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t id = request_param_id(request, 0), post_id = 0;
    enum app_result r = forum_reply(&env, request->caller, id, body, &post_id, &errors);
    if (r == APP_OK)
        reply_redirect(
            request, request_printf(request, "/forums/threads/%" PRId64 "?notice=replied#post-%" PRId64, id, post_id));
    else {
        int status = page_form_again(request, r, &errors);
        if (status != 0)
            thread_show(request, body, &errors, status);
    }
    errors_free(&errors);
}

void page_forum_thread_moderate(struct request *request)
{
    static const char *const actions[4][2] = {
        {"pin", "pinned"}, {"unpin", "unpinned"}, {"lock", "locked"}, {"unlock", "unlocked"}};
    const char *action = forms_text(request, "action");
    int which = -1;
    for (int i = 0; i < 4; i++)
        if (strcmp(action, actions[i][0]) == 0)
            which = i;
    struct errors errors = ERRORS_INIT;
    int64_t id = request_param_id(request, 0);
    enum app_result r = APP_INVALID;
    if (which < 0)
        errors_add(&errors, "action", "Choose pin, unpin, lock or unlock");
    else {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        int pinned = which < 2 ? which == 0 : -1, locked = which >= 2 ? which == 2 : -1;
        r = forum_thread_moderate(&env, request->caller, &request->relation, id, pinned, locked, &errors);
    }
    if (r == APP_OK)
        reply_redirect(request,
                       request_printf(request, "/forums/threads/%" PRId64 "?notice=%s", id, actions[which][1]));
    else
        page_refusal(request, r, &errors);
    errors_free(&errors);
}

/* ---- A post: edit, hide, report ---- */

/* The post the route names, or false after a refusal page. */
static bool post_read(struct request *request, struct forum_post *post)
{
    enum store_status s =
        store_forum_post_get(request->store, request_param_id(request, 0), request_arena(request), post);
    if (s != STORE_OK) {
        page_store_failed(request, s);
        return false;
    }
    return true;
}

static void quoted_post(struct request *request, struct buf *b, const struct forum_post *p)
{
    html_printf(b,
                "<div class=\"govuk-inset-text govuk-!-text-break-word\" data-testid=\"quoted-post\"><p "
                "class=\"govuk-body-s govuk-!-font-weight-bold\">%s, %s</p>",
                p->author_name, page_time(request, p->created_at, DATE_DAY));
    page_markdown(b, p->body, true);
    html_printf(b, "</div>");
}

static void post_page_begin(struct request *request, struct page *page, const char *heading, const struct forum_post *p,
                            const struct errors *errors)
{
    begin(page, heading, errors);
    page_breadcrumbs(page, request, "/forums", "Forums",
                     request_printf(request, "/forums/threads/%" PRId64 "#post-%" PRId64, p->thread_id, p->id),
                     p->thread_title);
    forms_error_summary(&page->body, errors);
    html_printf(&page->body, "<h1 class=\"govuk-heading-l\">%s</h1>", heading);
}

static void edit_show(struct request *request, const struct forum_post *p, const char *typed,
                      const struct errors *errors, int status)
{
    struct page page;
    post_page_begin(request, &page, "Change your post", p, errors);
    struct buf *b = &page.body;
    html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    forms_begin(b, request, request_printf(request, "/forums/posts/%" PRId64 "/edit", p->id));
    forms_textarea(b, "body", "Your post", typed, "You can use Markdown", 8, errors);
    forms_button(b, "Save the change", NULL);
    forms_end(b);
    html_printf(b, "</div></div>");
    page_send(request, &page, status);
}

void page_forum_post_edit(struct request *request)
{
    struct forum_post p;
    if (!post_read(request, &p))
        return;
    if (!policy_may_edit_forum_post(request->caller, &request->relation)) {
        struct errors errors = ERRORS_INIT;
        errors_add(&errors, "id", "Only the person who wrote a post can change it");
        page_refusal(request, APP_FORBIDDEN, &errors);
        errors_free(&errors);
        return;
    }
    edit_show(request, &p, p.body, NULL, 200);
}

void page_forum_post_save(struct request *request)
{
    struct forum_post p;
    if (!post_read(request, &p))
        return;
    const char *body = forms_value(request, "body");
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result r = forum_post_edit(&env, request->caller, &request->relation, p.id, body, &errors);
    if (r == APP_OK)
        reply_redirect(request, request_printf(request, "/forums/threads/%" PRId64 "?notice=edited#post-%" PRId64,
                                               p.thread_id, p.id));
    else if (r == APP_INVALID)
        edit_show(request, &p, body, &errors, 422);
    else
        page_refusal(request, r, &errors);
    errors_free(&errors);
}

void page_forum_post_hide_confirm(struct request *request)
{
    struct forum_post p;
    if (!post_read(request, &p))
        return;
    struct page page;
    post_page_begin(request, &page, "Hide this post?", &p, NULL);
    struct buf *b = &page.body;
    quoted_post(request, b, &p);
    html_printf(b, "<p class=\"govuk-body\">Members will no longer see it. It is kept, so you or another moderator "
                   "can show it again from the thread.</p>");
    html_printf(b, "<div class=\"govuk-button-group\">");
    button_with(b, request, request_printf(request, "/forums/posts/%" PRId64 "/hide", p.id), "hidden", "1",
                "Hide the post", "warning");
    html_printf(b, "<a class=\"govuk-link\" href=\"/forums/threads/%s#post-%s\">Cancel</a></div>",
                id_text(request, p.thread_id), id_text(request, p.id));
    page_send(request, &page, 200);
}

void page_forum_post_hide(struct request *request)
{
    struct forum_post p;
    if (!post_read(request, &p))
        return;
    const char *value = forms_text(request, "hidden");
    struct errors errors = ERRORS_INIT;
    enum app_result r = APP_INVALID;
    if (strcmp(value, "1") != 0 && strcmp(value, "0") != 0)
        errors_add(&errors, "hidden", "Choose whether to hide the post or show it");
    else {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        r = forum_post_hide(&env, request->caller, &request->relation, p.id, value[0] == '1', &errors);
    }
    if (r == APP_OK)
        reply_redirect(request, request_printf(request, "/forums/threads/%" PRId64 "?notice=%s#post-%" PRId64,
                                               p.thread_id, value[0] == '1' ? "hidden" : "shown", p.id));
    else
        page_refusal(request, r, &errors);
    errors_free(&errors);
}

static void report_show(struct request *request, const struct forum_post *p, const char *typed,
                        const struct errors *errors, int status)
{
    struct page page;
    post_page_begin(request, &page, "Report this post", p, errors);
    struct buf *b = &page.body;
    quoted_post(request, b, p);
    html_printf(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    forms_begin(b, request, request_printf(request, "/forums/posts/%" PRId64 "/report", p->id));
    forms_textarea(b, "reason", "Why are you reporting it?", typed,
                   "The forum's moderators read this. They will not tell the author who reported it.", 4, errors);
    forms_button(b, "Send the report", NULL);
    forms_end(b);
    html_printf(b, "</div></div>");
    page_send(request, &page, status);
}

void page_forum_post_report_form(struct request *request)
{
    struct forum_post p;
    if (post_read(request, &p))
        report_show(request, &p, "", NULL, 200);
}

void page_forum_post_report(struct request *request)
{
    struct forum_post p;
    if (!post_read(request, &p))
        return;
    const char *reason = forms_text(request, "reason");
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t report_id = 0;
    enum app_result r = forum_report(&env, request->caller, p.id, reason, &report_id, &errors);
    if (r == APP_OK)
        reply_redirect(request, request_printf(request, "/forums/threads/%" PRId64 "?notice=reported#post-%" PRId64,
                                               p.thread_id, p.id));
    else {
        int status = page_form_again(request, r, &errors);
        if (status != 0)
            report_show(request, &p, reason, &errors, status);
    }
    errors_free(&errors);
}

/* ---- The moderators' queue ---- */

void page_forum_moderation(struct request *request)
{
    struct arena *arena = request_arena(request);
    struct forum_report *reports;
    size_t count;
    enum app_result r = forum_reports_queue(request->store, request->caller, arena, &reports, &count);
    if (r != APP_OK) {
        page_refusal(request, r, NULL);
        return;
    }
    struct page page;
    begin(&page, "Reports waiting for a moderator", NULL);
    page_breadcrumbs(&page, request, "/forums", "Forums", NULL, NULL);
    notice(request, &page);
    struct buf *b = &page.body;
    html_printf(b, "<h1 class=\"govuk-heading-l\">Reports waiting for a moderator</h1>");
    if (count == 0)
        html_printf(b, "<p class=\"govuk-body\" data-testid=\"queue-empty\">No reports are waiting in the forums you "
                       "moderate.</p>");
    for (size_t i = 0; i < count; i++) {
        const struct forum_report *rep = &reports[i];
        struct forum f = {.kind = rep->forum_kind, .name = rep->forum_name, .module = ""};
        html_printf(b,
                    "<div class=\"govuk-summary-card\" data-testid=\"report\"><div "
                    "class=\"govuk-summary-card__title-wrapper\"><h2 class=\"govuk-summary-card__title "
                    "govuk-!-text-break-word\"><a class=\"govuk-link\" href=\"/forums/threads/%s#post-%s\">%s</a>"
                    "</h2></div><div class=\"govuk-summary-card__content\"><dl class=\"govuk-summary-list\">"
                    "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Forum</dt><dd "
                    "class=\"govuk-summary-list__value\">%s</dd></div>"
                    "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Reported by</dt><dd "
                    "class=\"govuk-summary-list__value\">%s, %s</dd></div>"
                    "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Reason</dt><dd "
                    "class=\"govuk-summary-list__value govuk-!-text-break-word\">%s</dd></div>"
                    "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Post by %s</dt><dd "
                    "class=\"govuk-summary-list__value govuk-!-text-break-word\">%R",
                    id_text(request, rep->post.thread_id), id_text(request, rep->post.id), rep->post.thread_title,
                    forum_title(&f, arena), rep->reporter_name, page_time(request, rep->created_at, DATE_DAY),
                    rep->reason, rep->post.author_name, rep->post.hidden ? page_tag(request, "red", "Hidden") : "");
        page_markdown(b, rep->post.body, true);
        html_printf(b, "</dd></div></dl><div class=\"govuk-button-group\">");
        const char *action = request_printf(request, "/forums/reports/%" PRId64 "/resolve", rep->id);
        button_with(b, request, action, "outcome", "hidden", "Hide the post", "warning");
        button_with(b, request, action, "outcome", "kept", "Keep the post", "secondary");
        html_printf(b, "</div></div></div>");
    }
    page_send(request, &page, 200);
}

void page_forum_report_resolve(struct request *request)
{
    const char *outcome = forms_text(request, "outcome");
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result r =
        forum_report_resolve(&env, request->caller, &request->relation, request_param_id(request, 0), outcome, &errors);
    if (r == APP_OK)
        reply_redirect(request, "/forums/moderation?notice=resolved");
    else
        page_refusal(request, r, &errors);
    errors_free(&errors);
}
