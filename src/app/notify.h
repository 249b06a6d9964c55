/*
 * Notifications by email about the events people are booked on, and the words calendars and
 * emails share to describe an event or a coaching session.
 *
 * What is sent, and to whom:
 *   - an invitation when a person is booked on an event (the booking, not the event's creation,
 *     is what invites: a cohort's participants choose which events to book, and only those who
 *     did want them in their diary);
 *   - a change when the event's SEQUENCE rises after they were told of it;
 *   - a cancellation when the event is cancelled, to everyone booked on it at that moment;
 *   - a reminder once, when delivery_reminder_due says so (usually a day before the start).
 * Only events that have not started are notified, and only active people. A coaching session's
 * coach and participant are emailed by the use case that books, moves or cancels it
 * (app/coaching.c), in the same transaction as the change.
 *
 * Each notification is recorded in the same transaction as its email is queued in the outbox, and
 * the record's primary key refuses a second one, so a notification is sent once however many
 * servers run notify_run at the same time. Sending, and retrying, is the mailer's.
 */
#ifndef NPQ_APP_NOTIFY_H
#define NPQ_APP_NOTIFY_H

#include "app/result.h"
#include "lib/buf.h"
#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    NOTIFY_BATCH = 200, /* notifications looked at in one pass; the rest wait for the next */
};

/* What a pass needs from its surroundings. */
struct notify_env {
    struct store *store;
    const char *base_url;  /* for links in emails, without a trailing slash */
    int64_t now;           /* UTC seconds */
    int64_t reminder_lead; /* seconds before the start that reminders are due (DELIVERY_REMINDER_LEAD_SECONDS) */
};

/*
 * Queues an email for every notification due at env->now (at most NOTIFY_BATCH), each in its own
 * transaction with its record. *sent counts the emails queued. APP_UNAVAILABLE when the database
 * failed; what was queued before the failure stays queued. APP_BROKEN when an email could not be
 * written (logged; the others are sent).
 */
enum app_result notify_run(const struct notify_env *env, size_t *sent);

/*
 * Writes the subject and body of notification kind about entry e to a person called name:
 * the title, the time in UK time, the place or joining link, and a link to the .ics download
 * (base_url + "/api/v1/events/ID/ics"). Pure: no clock, no I/O. Returns false when a buffer's
 * maximum was reached.
 */
bool notify_compose(enum notification_kind kind, const struct calendar_entry *e, const char *name, const char *base_url,
                    struct buf *subject, struct buf *body);

/*
 * Where an entry happens, for a calendar's LOCATION and an email: a venue's name, address and
 * postcode joined by ", ", an in-person session's place, or "" (online). In arena.
 */
const char *notify_location(const struct calendar_entry *e, struct arena *arena);

/*
 * An entry's title for someone: an event's own title, or "Coaching session with NAME" naming the
 * other person of a session (the coach for its participant, the participant for anyone else).
 * In arena.
 */
const char *notify_title(const struct calendar_entry *e, int64_t viewer_id, struct arena *arena);

/*
 * Makes a new private calendar address for user_id (revoking any older one) and writes it into
 * url: base_url + "/calendar/TOKEN.ics". Only the token's hash is kept, so this is the one time the
 * address exists in full.
 */
enum app_result notify_calendar_feed_create(struct store *store, const struct actor *actor, int64_t user_id,
                                            const char *base_url, int64_t now, char *url, size_t size);

#endif
