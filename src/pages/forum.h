/*
 * The learning community pages: /forums (the forums the caller belongs to), /forums/{id} (its
 * threads, pinned first, starting one, following it), /forums/threads/{id} (its posts, replying,
 * and for moderators pinning, locking and hiding), a post's edit, report and hide pages, and
 * /forums/moderation (the queue of reports in the forums the caller moderates).
 *
 * They are the HTML face of api/forums.c and call the same use cases (app/forum.h). Every POST
 * answers 303 back with ?notice=NAME on success, or shows its form again with what was typed and
 * the GOV.UK error summary (422), or a refusal page (403, 404, 409).
 */
#ifndef NPQ_PAGES_FORUM_H
#define NPQ_PAGES_FORUM_H

#include "http/request.h"

void page_forums(struct request *request);
void page_forum_search(struct request *request);
void page_forum(struct request *request);
void page_forum_thread_create(struct request *request);
void page_forum_subscribe(struct request *request);
void page_forum_thread(struct request *request);
void page_forum_reply(struct request *request);
void page_forum_thread_moderate(struct request *request);
void page_forum_post_edit(struct request *request);
void page_forum_post_save(struct request *request);
void page_forum_post_hide_confirm(struct request *request);
void page_forum_post_hide(struct request *request);
void page_forum_post_report_form(struct request *request);
void page_forum_post_report(struct request *request);
void page_forum_moderation(struct request *request);
void page_forum_report_resolve(struct request *request);

#endif
