/*
 * The use cases of learning communities (forum.h says what each does). The order inside a write
 * is always the same: check what was sent (domain/forum.h), open one transaction, write, tell the
 * people the post concerns (their emails queued in the same transaction), end it.
 */
#include "app/forum.h"

#include "domain/forum.h"
#include "domain/policy.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

enum {
    EXCERPT_BYTES = 600, /* of a post's text in an email */
    MAIL_BODY_MAX = 256 * 1024,
};

const char *forum_title(const struct forum *forum, struct arena *arena)
{
    switch (forum->kind) {
    case FORUM_COHORT: {
        size_t size = strlen(forum->name) + 16;
        char *title = arena_alloc(arena, size);
        snprintf(title, size, "Cohort %s", forum->name);
        return title;
    }
    case FORUM_MODULE: return *forum->name ? forum->name : forum->module;
    case FORUM_PROVIDER: return "Everyone on the programme";
    case FORUM_KIND_NONE: break;
    }
    return "Forum";
}

enum app_result forum_list_mine(struct store *store, const struct caller *caller, struct arena *arena,
                                struct forum **out, size_t *count)
{
    struct forum *all;
    size_t n;
    enum store_status s = store_forum_list(store, caller, arena, &all, &n);
    if (s != STORE_OK)
        return app_result_of_store(s);
    *count = 0;
    *out = all;
    for (size_t i = 0; i < n; i++)
        if (policy_is_forum_member(caller, &all[i].relation))
            (*out)[(*count)++] = all[i];
    return APP_OK;
}

static size_t page_limit(size_t limit)
{
    return limit == 0 ? FORUM_LIST_DEFAULT : limit > FORUM_LIST_MAX ? FORUM_LIST_MAX : limit;
}

enum app_result forum_read(struct store *store, const struct caller *caller, const struct relation *r, int64_t id,
                           struct store_page *page, struct arena *arena, struct forum_view *out)
{
    memset(out, 0, sizeof(*out));
    if (!policy_is_forum_member(caller, r))
        return APP_NOT_FOUND;
    enum store_status s = store_forum_get(store, caller, id, arena, &out->forum);
    if (s == STORE_OK)
        s = store_forum_threads(store, id, page, arena, &out->threads, &out->thread_count);
    if (s != STORE_OK)
        return app_result_of_store(s);
    out->moderator = policy_moderates_forum(caller, r);
    return APP_OK;
}

enum app_result forum_thread_read(struct store *store, const struct caller *caller, const struct relation *r,
                                  int64_t id, struct store_page *page, struct arena *arena,
                                  struct forum_thread_view *out)
{
    memset(out, 0, sizeof(*out));
    if (!policy_is_forum_member(caller, r))
        return APP_NOT_FOUND;
    out->moderator = policy_moderates_forum(caller, r);
    enum store_status s = store_forum_thread_get(store, id, arena, &out->thread);
    if (s == STORE_OK)
        s = store_forum_get(store, caller, out->thread.forum_id, arena, &out->forum);
    if (s == STORE_OK)
        s = store_forum_posts(store, id, out->moderator, page, arena, &out->posts, &out->post_count);
    return app_result_of_store(s);
}

/* ---- Telling people ---- */

/* Whether person_id belongs to forum_id now; *person is filled for the email. */
static enum store_status member_get(struct store *store, int64_t person_id, int64_t forum_id, struct arena *arena,
                                    struct caller *person, bool *member)
{
    *member = false;
    enum store_status s = store_caller_get(store, person_id, arena, person);
    if (s == STORE_NOT_FOUND)
        return STORE_OK; /* gone or deactivated: nobody to tell */
    struct relation r;
    if (s == STORE_OK)
        s = store_relation(store, person, RESOURCE_FORUM, forum_id, &r);
    if (s == STORE_OK)
        *member = policy_is_forum_member(person, &r);
    return s;
}

/* The first EXCERPT_BYTES of text, cut at a character's start. */
static int excerpt_length(const char *text)
{
    size_t len = strlen(text);
    if (len <= EXCERPT_BYTES)
        return (int)len;
    len = EXCERPT_BYTES;
    while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
        len--;
    return (int)len;
}

struct post_news {
    const struct accounts_env *env;
    const struct caller *author;
    const char *forum_title;
    const struct forum_thread *thread;
    int64_t post_id;
    const char *body;
};

static enum app_result send_news(const struct post_news *n, const struct caller *person, bool mention)
{
    struct buf subject, body;
    buf_init(&subject, 1024);
    buf_init(&body, MAIL_BODY_MAX);
    bool ok = mention ? buf_appendf(&subject, "%s mentioned you: %s", n->author->name, n->thread->title)
                      : buf_appendf(&subject, "New post in %s: %s", n->forum_title, n->thread->title);
    ok = ok && buf_appendf(&body, "Dear %s,\n\n", person->name);
    ok = ok && (mention ? buf_appendf(&body, "%s mentioned you in a post in %s.\n\n", n->author->name, n->forum_title)
                        : buf_appendf(&body, "%s posted in %s.\n\n", n->author->name, n->forum_title));
    int len = excerpt_length(n->body);
    ok = ok &&
         buf_appendf(&body, "%s\n\n%.*s%s\n\n", n->thread->title, len, n->body, n->body[len] != '\0' ? " ..." : "");
    ok = ok && buf_appendf(&body,
                           "Read it and reply (you will be asked to sign in):\n%s/forums/threads/%" PRId64
                           "#post-%" PRId64 "\n\n",
                           n->env->base_url, n->thread->id, n->post_id);
    ok = ok && buf_append_str(&body, mention ? "You are getting this email because someone mentioned you in a forum "
                                               "you belong to.\n"
                                             : "You are getting this email because you subscribed to this forum for "
                                               "each new post. You can change that on the forum's page.\n");
    enum app_result result = ok ? APP_OK : app_broken("a forum email outgrew its buffer");
    if (result == APP_OK)
        result =
            app_result_of_store(store_mail_enqueue(n->env->store, person->email, subject.data, body.data, n->env->now));
    buf_free(&subject);
    buf_free(&body);
    return result;
}

/* Tells the members a post mentions (each once per post), then, for a new post, the forum's
 * subscribers for each post. Runs inside the post's transaction. */
static enum app_result tell_about_post(const struct post_news *n, int64_t forum_id, bool new_post, struct arena *arena)
{
    struct store *store = n->env->store;
    int64_t *ids;
    size_t count;
    enum store_status s = store_forum_people(store, forum_id, FORUM_PEOPLE_NAMED, n->body, arena, &ids, &count);
    if (s != STORE_OK)
        return app_result_of_store(s);
    struct caller *people = arena_alloc(arena, sizeof(*people) * (count + 1));
    const char **names = arena_alloc(arena, sizeof(*names) * (count + 1));
    size_t members = 0;
    for (size_t i = 0; i < count; i++) {
        if (ids[i] == n->author->user_id)
            continue;
        bool member;
        s = member_get(store, ids[i], forum_id, arena, &people[members], &member);
        if (s != STORE_OK)
            return app_result_of_store(s);
        if (member) {
            names[members] = people[members].name;
            members++;
        }
    }
    bool *mentioned = arena_alloc(arena, sizeof(*mentioned) * (members + 1));
    forum_mentions(n->body, names, members, mentioned);
    size_t told = 0;
    int64_t *told_ids = arena_alloc(arena, sizeof(*told_ids) * (members + 1));
    for (size_t i = 0; i < members && told < FORUM_MENTIONS_MAX; i++) {
        if (!mentioned[i])
            continue;
        bool recorded;
        s = store_forum_mention_record(store, n->post_id, people[i].user_id, &recorded);
        if (s != STORE_OK)
            return app_result_of_store(s);
        if (!recorded)
            continue; /* told when the post was first written */
        enum app_result r = send_news(n, &people[i], true);
        if (r != APP_OK)
            return r;
        told_ids[told++] = people[i].user_id;
    }
    if (!new_post)
        return APP_OK;
    s = store_forum_people(store, forum_id, FORUM_PEOPLE_EACH_POST, NULL, arena, &ids, &count);
    if (s != STORE_OK)
        return app_result_of_store(s);
    for (size_t i = 0; i < count; i++) {
        bool skip = ids[i] == n->author->user_id;
        for (size_t k = 0; k < told && !skip; k++)
            skip = told_ids[k] == ids[i];
        if (skip)
            continue;
        struct caller person;
        bool member;
        s = member_get(store, ids[i], forum_id, arena, &person, &member);
        if (s != STORE_OK)
            return app_result_of_store(s);
        if (!member)
            continue; /* left the cohort: the subscription waits in case they come back */
        enum app_result r = send_news(n, &person, false);
        if (r != APP_OK)
            return r;
    }
    return APP_OK;
}

/* Reads the thread and forum a post's news names, then tells. */
static enum app_result tell(const struct accounts_env *env, const struct caller *author, int64_t thread_id,
                            int64_t post_id, const char *body, bool new_post)
{
    struct arena arena = ARENA_INIT;
    struct forum_thread thread;
    struct forum forum;
    enum store_status s = store_forum_thread_get(env->store, thread_id, &arena, &thread);
    if (s == STORE_OK)
        s = store_forum_get(env->store, author, thread.forum_id, &arena, &forum);
    enum app_result result = app_result_of_store(s);
    if (result == APP_OK) {
        struct post_news n = {env, author, forum_title(&forum, &arena), &thread, post_id, body};
        result = tell_about_post(&n, thread.forum_id, new_post, &arena);
    }
    arena_release(&arena);
    return result;
}

/* ---- Writing ---- */

enum app_result forum_thread_start(const struct accounts_env *env, const struct caller *caller, int64_t forum_id,
                                   const char *title, const char *body, int64_t *thread_id, int64_t *post_id,
                                   struct errors *errors)
{
    bool ok = forum_check_title(title, "title", errors);
    ok = forum_check_body(body, "body", errors) && ok;
    if (!ok)
        return APP_INVALID;
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    enum app_result result = app_result_of_store(
        store_forum_thread_create(env->store, forum_id, caller->user_id, title, body, env->now, thread_id, post_id));
    if (result == APP_OK)
        result = tell(env, caller, *thread_id, *post_id, body, true);
    return app_transaction_end(env->store, result);
}

enum app_result forum_reply(const struct accounts_env *env, const struct caller *caller, int64_t thread_id,
                            const char *body, int64_t *post_id, struct errors *errors)
{
    if (!forum_check_body(body, "body", errors))
        return APP_INVALID;
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    enum store_status s = store_forum_reply_create(env->store, thread_id, caller->user_id, body, env->now, post_id);
    if (s == STORE_CONFLICT)
        errors_add(errors, "state", "This thread is locked: nobody can reply to it");
    enum app_result result = app_result_of_store(s);
    if (result == APP_OK)
        result = tell(env, caller, thread_id, *post_id, body, true);
    return app_transaction_end(env->store, result);
}

enum app_result forum_post_edit(const struct accounts_env *env, const struct caller *caller, const struct relation *r,
                                int64_t post_id, const char *body, struct errors *errors)
{
    if (!policy_may_edit_forum_post(caller, r)) {
        errors_add(errors, "id", "Only the person who wrote a post can change it");
        return APP_FORBIDDEN;
    }
    if (!forum_check_body(body, "body", errors))
        return APP_INVALID;
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    struct arena arena = ARENA_INIT;
    struct forum_post post;
    struct forum_thread thread;
    enum store_status s = store_forum_post_get(env->store, post_id, &arena, &post);
    if (s == STORE_OK)
        s = store_forum_thread_get(env->store, post.thread_id, &arena, &thread);
    if (s == STORE_OK && thread.locked) {
        errors_add(errors, "state", "This thread is locked: its posts cannot be changed");
        s = STORE_CONFLICT;
    }
    if (s == STORE_OK)
        s = store_forum_post_edit(env->store, post_id, body, env->now);
    enum app_result result = app_result_of_store(s);
    if (result == APP_OK)
        result = tell(env, caller, post.thread_id, post_id, body, false);
    arena_release(&arena);
    return app_transaction_end(env->store, result);
}

static bool moderator_or_refuse(const struct caller *caller, const struct relation *r, struct errors *errors)
{
    if (policy_moderates_forum(caller, r))
        return true;
    errors_add(errors, "id", "Only the forum's moderators can do this");
    return false;
}

enum app_result forum_post_hide(const struct accounts_env *env, const struct caller *caller, const struct relation *r,
                                int64_t post_id, bool hidden, struct errors *errors)
{
    if (!moderator_or_refuse(caller, r, errors))
        return APP_FORBIDDEN;
    return app_result_of_store(store_forum_post_hide(env->store, post_id, hidden, caller->user_id));
}

enum app_result forum_thread_moderate(const struct accounts_env *env, const struct caller *caller,
                                      const struct relation *r, int64_t thread_id, int pinned, int locked,
                                      struct errors *errors)
{
    if (!moderator_or_refuse(caller, r, errors))
        return APP_FORBIDDEN;
    if (pinned < 0 && locked < 0) {
        errors_add(errors, "pinned", "Say whether the thread is pinned or locked");
        return APP_INVALID;
    }
    return app_result_of_store(store_forum_thread_set(env->store, thread_id, pinned, locked));
}

enum app_result forum_report(const struct accounts_env *env, const struct caller *caller, int64_t post_id,
                             const char *reason, int64_t *report_id, struct errors *errors)
{
    if (!forum_check_reason(reason, "reason", errors))
        return APP_INVALID;
    enum store_status s = store_forum_report_create(env->store, post_id, caller->user_id, reason, env->now, report_id);
    if (s == STORE_CONFLICT)
        errors_add(errors, "state", "You have reported this post already; a moderator will look at it");
    return app_result_of_store(s);
}

enum app_result forum_report_resolve(const struct accounts_env *env, const struct caller *caller,
                                     const struct relation *r, int64_t report_id, const char *outcome,
                                     struct errors *errors)
{
    if (!moderator_or_refuse(caller, r, errors))
        return APP_FORBIDDEN;
    bool hide = outcome != NULL && strcmp(outcome, "hidden") == 0;
    if (!hide && (outcome == NULL || strcmp(outcome, "kept") != 0)) {
        errors_add(errors, "outcome", "Choose whether to hide the post or keep it");
        return APP_INVALID;
    }
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    struct arena arena = ARENA_INIT;
    struct forum_report report;
    enum store_status s = store_forum_report_get(env->store, caller, report_id, &arena, &report);
    if (s == STORE_OK)
        s = store_forum_report_resolve(env->store, report_id, caller->user_id, outcome, env->now);
    if (s == STORE_CONFLICT)
        errors_add(errors, "state", "This report has been dealt with already");
    if (s == STORE_OK && hide)
        s = store_forum_post_hide(env->store, report.post.id, true, caller->user_id);
    arena_release(&arena);
    return app_transaction_end(env->store, app_result_of_store(s));
}

enum app_result forum_reports_queue(struct store *store, const struct caller *caller, struct arena *arena,
                                    struct forum_report **out, size_t *count)
{
    struct forum_report *all;
    size_t n;
    enum store_status s = store_forum_reports_open(store, caller, 500, arena, &all, &n);
    if (s != STORE_OK)
        return app_result_of_store(s);
    *out = all;
    *count = 0;
    for (size_t i = 0; i < n; i++)
        if (policy_moderates_forum(caller, &all[i].relation))
            (*out)[(*count)++] = all[i];
    return APP_OK;
}

enum app_result forum_search(struct store *store, const struct caller *caller, const char *query, size_t limit,
                             struct arena *arena, struct forum_search_hit **out, size_t *count)
{
    limit = page_limit(limit);
    struct forum_search_hit *all;
    size_t n;
    /* Matches in forums the caller does not belong to are dropped here, by the policy: look
     * further than the page so they do not leave it short. */
    enum store_status s = store_forum_search(store, caller, query, limit * 10, arena, &all, &n);
    if (s != STORE_OK)
        return app_result_of_store(s);
    *out = all;
    *count = 0;
    for (size_t i = 0; i < n && *count < limit; i++)
        if (policy_is_forum_member(caller, &all[i].relation))
            (*out)[(*count)++] = all[i];
    return APP_OK;
}

enum app_result forum_subscribe(const struct accounts_env *env, const struct caller *caller, int64_t forum_id, int mode)
{
    return app_result_of_store(store_forum_subscribe(env->store, caller->user_id, forum_id, mode, env->now));
}

/* ---- The daily digest ---- */

bool forum_digest_compose(const char *name, const char *day, const struct forum_digest_item *items, size_t count,
                          const char *base_url, struct buf *subject, struct buf *body)
{
    bool ok = buf_appendf(subject, "Forum digest: %zu new post%s", count, count == 1 ? "" : "s");
    ok = ok && buf_appendf(body,
                           "Dear %s,\n\nThese are the new posts in the forums you follow, up to the start of %s "
                           "(UTC).\n",
                           name, day);
    const char *last_forum = NULL;
    for (size_t i = 0; ok && i < count; i++) {
        const struct forum_post *p = &items[i].post;
        if (last_forum == NULL || strcmp(last_forum, items[i].forum_name) != 0) {
            struct forum f = {.kind = items[i].forum_kind, .name = items[i].forum_name, .module = ""};
            struct arena arena = ARENA_INIT;
            ok = buf_appendf(body, "\n%s\n", forum_title(&f, &arena));
            arena_release(&arena);
            last_forum = items[i].forum_name;
        }
        int len = excerpt_length(p->body);
        ok = ok && buf_appendf(body, "\n- %s, by %s:\n  %.*s%s\n  %s/forums/threads/%" PRId64 "#post-%" PRId64 "\n",
                               p->thread_title, p->author_name, len < 200 ? len : 200, p->body,
                               p->body[len < 200 ? len : 200] != '\0' ? " ..." : "", base_url, p->thread_id, p->id);
    }
    ok = ok && buf_append_str(body, "\nYou are getting this email because you chose a daily digest for these forums. "
                                    "You can change that on each forum's page (you will be asked to sign in).\n");
    return ok;
}

/* One person's digest: recorded and queued in one transaction. APP_CONFLICT when another server
 * recorded it first. */
static enum app_result digest_one(struct store *store, const char *base_url, int64_t user_id, const char *day,
                                  int64_t day_start, int64_t now, bool *sent)
{
    *sent = false;
    if (store_begin(store) != STORE_OK)
        return APP_UNAVAILABLE;
    struct arena arena = ARENA_INIT;
    struct caller person;
    struct forum_digest_item *items = NULL;
    size_t count = 0, kept = 0;
    enum store_status s = store_caller_get(store, user_id, &arena, &person);
    if (s == STORE_OK)
        s = store_forum_digest_posts(store, user_id, day_start, 200, &arena, &items, &count);
    /* Only forums they still belong to: a participant who left a cohort hears no more of it. */
    int64_t checked_forum = 0;
    bool member = false;
    for (size_t i = 0; s == STORE_OK && i < count; i++) {
        if (items[i].post.forum_id != checked_forum) {
            struct relation r;
            s = store_relation(store, &person, RESOURCE_FORUM, items[i].post.forum_id, &r);
            member = s == STORE_OK && policy_is_forum_member(&person, &r);
            checked_forum = items[i].post.forum_id;
        }
        if (member)
            items[kept++] = items[i];
    }
    if (s == STORE_OK)
        s = store_forum_digest_record(store, user_id, day, day_start, now);
    enum app_result result = app_result_of_store(s);
    if (result == APP_OK && kept > 0) {
        struct buf subject, body;
        buf_init(&subject, 1024);
        buf_init(&body, MAIL_BODY_MAX);
        if (!forum_digest_compose(person.name, day, items, kept, base_url, &subject, &body))
            result = app_broken("a forum digest outgrew its buffer");
        else
            result = app_result_of_store(store_mail_enqueue(store, person.email, subject.data, body.data, now));
        buf_free(&subject);
        buf_free(&body);
        *sent = result == APP_OK;
    }
    arena_release(&arena);
    return app_transaction_end(store, result);
}

enum app_result forum_digests_run(struct store *store, const char *base_url, int64_t now, size_t *sent)
{
    *sent = 0;
    char day[FORUM_DAY_TEXT];
    forum_digest_day(now, day);
    int64_t day_start = forum_digest_day_start(now);
    struct arena arena = ARENA_INIT;
    int64_t *ids;
    size_t count;
    enum app_result result =
        app_result_of_store(store_forum_digest_due(store, day, day_start, FORUM_DIGEST_BATCH, &arena, &ids, &count));
    bool broken = false;
    for (size_t i = 0; result == APP_OK && i < count; i++) {
        bool one_sent;
        enum app_result one = digest_one(store, base_url, ids[i], day, day_start, now, &one_sent);
        if (one == APP_OK && one_sent)
            (*sent)++;
        else if (one == APP_UNAVAILABLE)
            result = APP_UNAVAILABLE;
        else if (one == APP_BROKEN)
            broken = true;
    }
    arena_release(&arena);
    return result == APP_OK && broken ? APP_BROKEN : result;
}
