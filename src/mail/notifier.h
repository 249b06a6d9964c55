/*
 * The notifier: a thread of the server that turns what happens to events into emails.
 *
 * Every interval (30 s unless told otherwise), and once as soon as it starts, it runs notify_run
 * (app/notify.h) on its own database connection: invitations, changes, cancellations and
 * reminders due are recorded and their emails queued in the outbox, which the mailer sends; and
 * forum_digests_run (app/forum.h) queues the daily forum digests due.
 * Several servers may run a notifier on one database: each notification is recorded once, so it
 * is queued once. Once an hour (claimed by one server) it also judges again the progress that
 * time alone has moved (progress_refresh_hourly), and each pass it sends the period's progress
 * updates to mentors and headteachers not yet sent theirs (progress_updates_send).
 */
#ifndef NPQ_MAIL_NOTIFIER_H
#define NPQ_MAIL_NOTIFIER_H

#include <stddef.h>
#include <stdint.h>

enum { NOTIFIER_DEFAULT_INTERVAL_MS = 30 * 1000 };

struct store_engine;

struct notifier_options {
    struct store_engine *engine; /* the database; the notifier opens its own connection to it */
    const char *base_url;        /* start of links in emails, without a trailing slash */
    int interval_ms;             /* how often to look for due notifications; 0 for the default */
    int64_t reminder_lead;       /* seconds before an event's start that its reminder is due; 0 for a day */
};

struct notifier;

/*
 * Opens a connection to options->engine (which must already be migrated) and starts the thread.
 * The options are copied. On failure returns NULL with a message in err.
 */
struct notifier *notifier_start(const struct notifier_options *options, char *err, size_t err_size);

/* Lets the pass in hand finish, stops the thread and frees everything. NULL-safe. */
void notifier_stop(struct notifier *notifier);

#endif
