/*
 * Learning communities as use cases: reading the forums a person belongs to, starting threads,
 * replying, editing one's own post, moderating (hide and show posts, lock and pin threads, work
 * the report queue), reporting a post with a reason, subscribing, and the daily digest.
 *
 * Who may do what is the policy's (policy_is_forum_member, policy_moderates_forum,
 * policy_may_edit_forum_post) over the facts the gate loaded for the record (r, from
 * request->relation); lists spanning forums keep the rows it allows. Every write is one
 * transaction with the emails it causes:
 *   - a post that mentions members ("@Name", forum_mentions over the forum's members only) tells
 *     each of them once, recorded in forum_mentions, so editing a post never tells anyone twice;
 *   - people subscribed to the forum for each post get an email (not for their own posts, and
 *     not twice when the post mentions them);
 *   - people subscribed for a daily digest get one email a day (UTC), sent by the notifier
 *     thread (forum_digests_run), recorded under a key that refuses a second.
 * Emails link to the pages: env->base_url + "/forums/threads/ID#post-ID".
 */
#ifndef NPQ_APP_FORUM_H
#define NPQ_APP_FORUM_H

#include "app/accounts.h"
#include "app/result.h"
#include "lib/buf.h"
#include "store/store.h"

enum {
    FORUM_LIST_DEFAULT = 50, /* threads or posts on a page of the site; search hits unless limit says */
    FORUM_LIST_MAX = 200,    /* search hits */
    FORUM_DIGEST_BATCH = 50, /* people whose digests one pass sends; the rest wait for the next */
};

/* A forum's title for people: "Cohort NPQSL-2027-NW-1", a module's title, or "Everyone on the
 * programme". In arena. */
const char *forum_title(const struct forum *forum, struct arena *arena);

/* The forums caller belongs to, in store_forum_list's order. */
enum app_result forum_list_mine(struct store *store, const struct caller *caller, struct arena *arena,
                                struct forum **out, size_t *count);

struct forum_view {
    struct forum forum;
    struct forum_thread *threads; /* pinned first, then the most recently active */
    size_t thread_count;
    bool moderator;
};
/* A forum and a page of its threads (the gate let caller in: r is the forum's facts); page as
 * store_forum_threads reads it, page->next set when another follows. */
enum app_result forum_read(struct store *store, const struct caller *caller, const struct relation *r, int64_t id,
                           struct store_page *page, struct arena *arena, struct forum_view *out);

struct forum_thread_view {
    struct forum forum;
    struct forum_thread thread;
    struct forum_post *posts; /* in order; hidden ones only for moderators, marked hidden */
    size_t post_count;
    bool moderator;
};
/* A thread and a page of its posts (store_forum_posts's page, CURSOR_ID). */
enum app_result forum_thread_read(struct store *store, const struct caller *caller, const struct relation *r,
                                  int64_t id, struct store_page *page, struct arena *arena,
                                  struct forum_thread_view *out);

/* A new thread with its opening post in forum_id. APP_INVALID with errors at "title" and "body". */
enum app_result forum_thread_start(const struct accounts_env *env, const struct caller *caller, int64_t forum_id,
                                   const char *title, const char *body, int64_t *thread_id, int64_t *post_id,
                                   struct errors *errors);

/* A reply. APP_INVALID at "body"; APP_CONFLICT when the thread is locked. */
enum app_result forum_reply(const struct accounts_env *env, const struct caller *caller, int64_t thread_id,
                            const char *body, int64_t *post_id, struct errors *errors);

/* Changes the text of one's own post (r: the post's facts). APP_FORBIDDEN for anyone else's;
 * APP_CONFLICT in a locked thread. Newly mentioned members are told; the others are not again. */
enum app_result forum_post_edit(const struct accounts_env *env, const struct caller *caller, const struct relation *r,
                                int64_t post_id, const char *body, struct errors *errors);

/* Hides or shows a post again (moderators). */
enum app_result forum_post_hide(const struct accounts_env *env, const struct caller *caller, const struct relation *r,
                                int64_t post_id, bool hidden, struct errors *errors);

/* Pins or unpins, locks or unlocks a thread (moderators); a value below 0 leaves that one. */
enum app_result forum_thread_moderate(const struct accounts_env *env, const struct caller *caller,
                                      const struct relation *r, int64_t thread_id, int pinned, int locked,
                                      struct errors *errors);

/* Reports a post with a reason. APP_INVALID at "reason"; APP_CONFLICT when the caller's earlier
 * report of it is still open. */
enum app_result forum_report(const struct accounts_env *env, const struct caller *caller, int64_t post_id,
                             const char *reason, int64_t *report_id, struct errors *errors);

/* Closes a report (moderators): outcome "hidden" hides the post in the same transaction, "kept"
 * leaves it. APP_INVALID at "outcome"; APP_CONFLICT when the report is closed already. */
enum app_result forum_report_resolve(const struct accounts_env *env, const struct caller *caller,
                                     const struct relation *r, int64_t report_id, const char *outcome,
                                     struct errors *errors);

/* Open reports in the forums caller moderates, oldest first. */
enum app_result forum_reports_queue(struct store *store, const struct caller *caller, struct arena *arena,
                                    struct forum_report **out, size_t *count);

/* Posts matching the words of query in the forums caller belongs to, best first (at most limit,
 * FORUM_LIST_DEFAULT for 0). Hidden posts are never found. */
enum app_result forum_search(struct store *store, const struct caller *caller, const char *query, size_t limit,
                             struct arena *arena, struct forum_search_hit **out, size_t *count);

/* Subscribes the caller to a forum (mode an enum forum_delivery) or ends it (mode -1). */
enum app_result forum_subscribe(const struct accounts_env *env, const struct caller *caller, int64_t forum_id,
                                int mode);

/* Queues the daily digests due at now (at most FORUM_DIGEST_BATCH people), each in its own
 * transaction with its record. *sent counts the emails queued. */
enum app_result forum_digests_run(struct store *store, const char *base_url, int64_t now, size_t *sent);

/* The subject and body of a digest for name listing items. Pure. False when a buffer is full. */
bool forum_digest_compose(const char *name, const char *day, const struct forum_digest_item *items, size_t count,
                          const char *base_url, struct buf *subject, struct buf *body);

#endif
