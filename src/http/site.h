/*
 * The site: what every thread of a running server shares. Its settings (fixed before the first
 * request), the database engine, the thread pools that handle requests which touch the database,
 * the current catalogue, and the uses of sessions and tokens waiting to be noted.
 *
 * A monitor thread keeps the shared parts fresh: it follows the catalogue revision (an import
 * from the command line), reloads the catalogue when it changed, and notes the gathered session
 * and token uses in one transaction every tenth of a second, so that keeping a session alive costs no write per
 * request. A catalogue this process commits is reloaded at once (store_engine_watch).
 */
#ifndef NPQ_HTTP_SITE_H
#define NPQ_HTTP_SITE_H

#include "store/store.h"

#include <stdbool.h>
#include <stdint.h>

struct pool;
struct catalogue;

/* Settings every thread reads and none changes. */
enum { CONTENT_FILE_LIMIT_DEFAULT = 50 * 1024 * 1024 };

struct site_settings {
    int64_t session_idle_seconds; /* a session unused this long ends */
    int64_t session_max_seconds;  /* and none lasts longer than this */
    bool secure_cookies;          /* the site is served over TLS (directly or behind a proxy) */
    const char *base_url;         /* "https://npq.example.org": links in emails start with it */
    unsigned char secret[32];     /* store_secret: the key CSRF tokens are made with */
    int64_t content_file_limit;   /* bytes: the largest file attached to a content item */
};

struct site_options {
    unsigned read_threads;  /* threads for requests that only read (GET, HEAD) */
    unsigned write_threads; /* threads for requests that change things, which wait for their commit */
    int monitor_ms;         /* how often to look at other processes' changes; default 100 */
};

struct site;

/*
 * Starts the shared machinery over engine (migrated already): loads the catalogue, starts the
 * monitor and the pools. settings are copied. NULL with a message in err on failure.
 */
struct site *site_start(const struct site_settings *settings, struct store_engine *engine,
                        const struct site_options *options, char *err, size_t err_size);
/* Stops the pools (finishing the jobs they hold) and the monitor, notes the last uses. */
void site_stop(struct site *site);

const struct site_settings *site_settings(const struct site *site);
struct store_engine *site_engine(const struct site *site);

/* The pool for a request: reads, or writes (an unsafe method). */
struct pool *site_pool(struct site *site, bool writes);

/* Queues a use of a session or token, noted at the monitor's next look. */
void site_note_use(struct site *site, const struct credential_use *use);

/*
 * The catalogue, shared by every thread and replaced whole when it changes. site_catalogue_acquire
 * takes a reference to the current one (and reports its generation); each holder releases its
 * own. site_catalogue_generation changes whenever a new one is published: a cheap test of
 * whether the one in hand is still current.
 */
struct site_catalogue;
uint64_t site_catalogue_generation(struct site *site);
struct site_catalogue *site_catalogue_acquire(struct site *site, uint64_t *generation);
void site_catalogue_release(struct site_catalogue *held);                      /* NULL-safe */
const struct catalogue *site_catalogue_get(const struct site_catalogue *held); /* NULL-safe */

#endif
