/*
 * Storage: the one interface between npq and its database.
 *
 * Handlers and commands call these named operations; all SQL lives behind them, written once
 * against the driver interface of db.h. A store is one connection with its prepared statements,
 * used by one thread at a time: the server opens one per event-loop thread. SQLite is the driver
 * today (db_sqlite.c); a PostgreSQL driver is chosen by the location's scheme ("postgres://...").
 */
#ifndef NPQ_STORE_STORE_H
#define NPQ_STORE_STORE_H

#include "domain/catalogue.h"
#include "lib/arena.h"
#include "lib/errors.h"

#include <stdint.h>

enum store_status {
    STORE_OK = 0,
    STORE_NOT_FOUND,
    STORE_CONFLICT, /* the change would break a constraint, e.g. deleting a module in use */
    STORE_ERROR,    /* the database failed; the message says how */
};

struct store;

/*
 * Opens the database at location (a file path for SQLite). Does not migrate. On failure returns
 * NULL and writes a message into err.
 */
struct store *store_open(const char *location, char *err, size_t err_size);
void store_close(struct store *store);

/* The last error message of this connection, for logs; never NULL. */
const char *store_last_error(const struct store *store);

/*
 * Applies every migration newer than the schema's version, each in its own transaction, and
 * reports the version reached. Safe to call on every start and from several processes at once.
 */
enum store_status store_migrate(struct store *store, int *version);

/*
 * Replaces the catalogue with the given (validated) one, in one transaction: rows are updated in
 * place by their codes, new ones added, missing ones removed. When a missing row is still
 * referenced elsewhere nothing changes and STORE_CONFLICT is returned with the reason in errors.
 */
enum store_status store_catalogue_replace(struct store *store, const struct catalogue *catalogue,
                                          struct errors *errors);

/* Loads the whole catalogue; the caller frees *out with catalogue_free. */
enum store_status store_catalogue_load(struct store *store, struct catalogue **out);

/* A number that changes whenever the catalogue does, so caches know when to reload. */
enum store_status store_catalogue_revision(struct store *store, int64_t *revision);

/* Mail waiting to be sent (the outbox). Messages are queued in the same transaction as the change
 * that causes them and sent by the server's mailer (src/mail). */
struct mail_message {
    int64_t id;
    const char *recipient;
    const char *subject;
    const char *body;
    int attempts;
};

/* Queues a message to send from now on. */
enum store_status store_mail_enqueue(struct store *store, const char *recipient, const char *subject,
                                     const char *body, int64_t now);

/*
 * Claims the oldest message that is due and not leased by another sender, leasing it for
 * lease_seconds so no other server sends it meanwhile. STORE_NOT_FOUND when none is due.
 * Strings are copied into arena.
 */
enum store_status store_mail_claim(struct store *store, int64_t now, int lease_seconds, struct arena *arena,
                                   struct mail_message *out);

/* Records that the SMTP server accepted the message; it is never sent again. */
enum store_status store_mail_mark_sent(struct store *store, int64_t id, int64_t now);

/* Records a failed attempt; the message is due again at retry_at. */
enum store_status store_mail_mark_failed(struct store *store, int64_t id, int64_t retry_at, const char *error);

/* Counts messages not yet sent (for health and tests). */
enum store_status store_mail_pending(struct store *store, int64_t *count);

#endif
