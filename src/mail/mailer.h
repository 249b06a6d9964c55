/*
 * The mailer: a thread that sends what the outbox (store_mail_*) holds.
 *
 * Requests never talk SMTP: they queue a message in the same transaction as the change that
 * causes it, and this thread claims due messages one at a time, sends them with libcurl, and
 * records the outcome. A message the SMTP server accepted is marked sent at once and never sent
 * again; a failed one is retried with a growing delay and given up after MAILER_MAX_ATTEMPTS.
 * Several servers may run a mailer on one database: claims are leased, so each message goes out
 * from one of them.
 */
#ifndef NPQ_MAIL_MAILER_H
#define NPQ_MAIL_MAILER_H

#include "lib/buf.h"

struct store_engine;

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    MAILER_MAX_ATTEMPTS = 10,   /* after this many failures a message is given up */
    MAILER_LEASE_SECONDS = 120, /* how long a claim keeps other senders off a message */
};

/* The retry time of a message given up: 9999-12-31T23:59:59Z, so it is never due again but still
 * shows as pending (and with its last_error) to whoever looks. */
#define MAILER_NEVER INT64_C(253402300799)

struct mailer_options {
    struct store_engine *engine;     /* the database; the mailer opens its own connection to it */
    const char *smtp_url;            /* "smtp://host:port" or "smtps://host:port"; NULL or "log" writes each message
                                        to standard output instead of sending it */
    const char *from;                /* envelope and From: address, default "npq@localhost" */
    const char *username, *password; /* optional SMTP AUTH; with smtp:// they make STARTTLS required */
    int poll_ms;                     /* how often to look for due mail; default (0) 500 */
};

struct mailer;

/*
 * Opens a connection to options->engine (which must already be migrated) and starts the sending
 * thread. The options are copied. On failure returns NULL with a message in err.
 */
struct mailer *mailer_start(const struct mailer_options *options, char *err, size_t err_size);

/* Finishes the message in hand (at most the 30 s SMTP time limit), stops the thread and frees
 * everything. NULL-safe. */
void mailer_stop(struct mailer *mailer);

/*
 * Appends one RFC 5322 message to out: Date (from now, UTC), From, To, Subject (RFC 2047 encoded
 * when not plain printable ASCII), Message-ID (message_id is written between angle brackets),
 * MIME-Version, a UTF-8 text/plain body sent as 8bit. Every line ends in CRLF; a body line longer
 * than the 998 octets RFC 5322 allows is broken. Dot-stuffing is left to the SMTP client. Returns
 * false, with out possibly partly written, when an address or the message id holds a control
 * character or angle bracket, or the message would exceed out's maximum. Pure: no I/O.
 */
bool mailer_format(struct buf *out, const char *from, const char *to, const char *subject, const char *body,
                   int64_t now, const char *message_id);

/*
 * When to try again a message whose attempt number `attempts` (1 for the first) failed at now:
 * 30 s after the first failure, doubling to at most an hour; MAILER_NEVER once attempts reaches
 * MAILER_MAX_ATTEMPTS.
 */
int64_t mailer_retry_at(int attempts, int64_t now);

#endif
