#include "http/site.h"

#include "domain/catalogue.h"
#include "http/executor.h"
#include "lib/die.h"
#include "lib/pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    MONITOR_DEFAULT_MS = 100,
    USES_MAX = 65536, /* beyond this a use is dropped: it only keeps a session from looking idle */
};

struct site_catalogue {
    struct catalogue *catalogue;
    int64_t revision;
    atomic_int refs;
};

struct site {
    struct site_settings settings;
    struct store_engine *engine;
    struct pool *reads, *writes;

    pthread_mutex_t catalogue_lock;
    struct site_catalogue *catalogue;
    _Atomic uint64_t catalogue_generation;
    _Atomic int64_t catalogue_revision_committed; /* the newest revision a commit here reported */

    pthread_mutex_t uses_lock;
    struct credential_use *uses;
    size_t use_count;

    /* The monitor */
    struct store *monitor_store;
    int monitor_ms;
    pthread_t monitor;
    bool monitor_started;
    pthread_mutex_t monitor_lock;
    pthread_cond_t monitor_wake;
    bool look_now; /* a commit here changed the catalogue */
    bool stopping;
};

const struct site_settings *site_settings(const struct site *site)
{
    return &site->settings;
}

struct store_engine *site_engine(const struct site *site)
{
    return site->engine;
}

struct pool *site_pool(struct site *site, bool writes)
{
    return writes ? site->writes : site->reads;
}

/* Revisions only grow; a late report of an older one must not move the number back. */
static void raise_to(_Atomic int64_t *value, int64_t to)
{
    int64_t seen = atomic_load(value);
    while (seen < to && !atomic_compare_exchange_weak(value, &seen, to))
        ;
}

void site_note_use(struct site *site, const struct credential_use *use)
{
    pthread_mutex_lock(&site->uses_lock);
    if (site->use_count < USES_MAX)
        site->uses[site->use_count++] = *use;
    pthread_mutex_unlock(&site->uses_lock);
}

/* Catalogue */

uint64_t site_catalogue_generation(struct site *site)
{
    return atomic_load_explicit(&site->catalogue_generation, memory_order_acquire);
}

struct site_catalogue *site_catalogue_acquire(struct site *site, uint64_t *generation)
{
    pthread_mutex_lock(&site->catalogue_lock);
    struct site_catalogue *held = site->catalogue;
    if (held != NULL)
        atomic_fetch_add(&held->refs, 1);
    *generation = atomic_load(&site->catalogue_generation);
    pthread_mutex_unlock(&site->catalogue_lock);
    return held;
}

void site_catalogue_release(struct site_catalogue *held)
{
    if (held != NULL && atomic_fetch_sub(&held->refs, 1) == 1) {
        catalogue_free(held->catalogue);
        free(held);
    }
}

const struct catalogue *site_catalogue_get(const struct site_catalogue *held)
{
    return held ? held->catalogue : NULL;
}

static int64_t loaded_catalogue_revision(struct site *site)
{
    pthread_mutex_lock(&site->catalogue_lock);
    int64_t revision = site->catalogue ? site->catalogue->revision : -1;
    pthread_mutex_unlock(&site->catalogue_lock);
    return revision;
}

/* Loads the stored catalogue and makes it the current one. */
static bool catalogue_reload(struct site *site, int64_t revision)
{
    struct catalogue *fresh;
    if (store_catalogue_load(site->monitor_store, &fresh) != STORE_OK) {
        fprintf(stderr, "npq: catalogue load: %s\n", store_last_error(site->monitor_store));
        return false;
    }
    struct site_catalogue *held = calloc(1, sizeof(*held));
    if (held == NULL)
        die("out of memory");
    held->catalogue = fresh;
    held->revision = revision;
    atomic_init(&held->refs, 1); /* the site's own reference */
    pthread_mutex_lock(&site->catalogue_lock);
    struct site_catalogue *old = site->catalogue;
    site->catalogue = held;
    atomic_fetch_add(&site->catalogue_generation, 1);
    pthread_mutex_unlock(&site->catalogue_lock);
    site_catalogue_release(old);
    return true;
}

/* The monitor */

static void on_commit(const struct store_revisions *revisions, void *arg)
{
    struct site *site = arg;
    if (revisions->catalogue != atomic_load(&site->catalogue_revision_committed)) {
        raise_to(&site->catalogue_revision_committed, revisions->catalogue);
        pthread_mutex_lock(&site->monitor_lock);
        site->look_now = true; /* reload now rather than at the next look */
        pthread_cond_signal(&site->monitor_wake);
        pthread_mutex_unlock(&site->monitor_lock);
    }
}

static void flush_uses(struct site *site)
{
    struct credential_use batch[512];
    for (;;) {
        pthread_mutex_lock(&site->uses_lock);
        size_t n = site->use_count < 512 ? site->use_count : 512;
        memcpy(batch, site->uses + site->use_count - n, n * sizeof(*batch));
        site->use_count -= n;
        pthread_mutex_unlock(&site->uses_lock);
        if (n == 0)
            return;
        if (store_credential_uses_record(site->monitor_store, batch, n) != STORE_OK) {
            fprintf(stderr, "npq: noting session and token uses: %s\n", store_last_error(site->monitor_store));
            return; /* they only keep sessions from looking idle; the next uses will be noted */
        }
    }
}

/* One look at what other processes (and this one) changed. */
static void monitor_look(struct site *site)
{
    struct store_revisions revisions;
    if (store_revisions(site->monitor_store, &revisions) != STORE_OK) {
        fprintf(stderr, "npq: reading revisions: %s\n", store_last_error(site->monitor_store));
        return;
    }
    if (revisions.catalogue != loaded_catalogue_revision(site))
        catalogue_reload(site, revisions.catalogue);
}

static void *monitor_main(void *arg)
{
    struct site *site = arg;
    pthread_mutex_lock(&site->monitor_lock);
    while (!site->stopping) {
        struct timespec deadline;
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_nsec += (long)site->monitor_ms * 1000000L;
        deadline.tv_sec += deadline.tv_nsec / 1000000000L;
        deadline.tv_nsec %= 1000000000L;
        int rc = 0;
        while (!site->stopping && !site->look_now && rc != ETIMEDOUT)
            rc = pthread_cond_timedwait(&site->monitor_wake, &site->monitor_lock, &deadline);
        if (site->stopping)
            break;
        site->look_now = false;
        pthread_mutex_unlock(&site->monitor_lock);
        monitor_look(site);
        /* Soon, because another loop or server decides idleness from the database alone. */
        flush_uses(site);
        pthread_mutex_lock(&site->monitor_lock);
    }
    pthread_mutex_unlock(&site->monitor_lock);
    return NULL;
}

/* The pools' threads */

static void *pool_thread_start(void *arg)
{
    struct site *site = arg;
    char err[256];
    struct store *store = store_connect(site->engine, err, sizeof(err));
    if (store == NULL) {
        fprintf(stderr, "npq: %s\n", err);
        return NULL;
    }
    struct executor *executor = malloc(sizeof(*executor));
    if (executor == NULL)
        die("out of memory");
    executor_init(executor, site, store);
    return executor;
}

static void pool_thread_stop(void *state, void *arg)
{
    (void)arg;
    struct executor *executor = state;
    struct store *store = executor->store;
    executor_dispose(executor);
    store_close(store);
    free(executor);
}

struct site *site_start(const struct site_settings *settings, struct store_engine *engine,
                        const struct site_options *options, char *err, size_t err_size)
{
    struct site *site = calloc(1, sizeof(*site));
    if (site == NULL || (site->uses = calloc(USES_MAX, sizeof(*site->uses))) == NULL)
        die("out of memory");
    site->settings = *settings;
    site->engine = engine;
    site->monitor_ms = options->monitor_ms > 0 ? options->monitor_ms : MONITOR_DEFAULT_MS;
    pthread_mutex_init(&site->catalogue_lock, NULL);
    pthread_mutex_init(&site->uses_lock, NULL);
    pthread_mutex_init(&site->monitor_lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&site->monitor_wake, &attr);
    pthread_condattr_destroy(&attr);
    atomic_init(&site->catalogue_revision_committed, -1);

    site->monitor_store = store_connect(engine, err, err_size);
    if (site->monitor_store == NULL)
        goto fail;
    struct store_revisions revisions;
    if (store_revisions(site->monitor_store, &revisions) != STORE_OK) {
        snprintf(err, err_size, "cannot read the revisions: %s", store_last_error(site->monitor_store));
        goto fail;
    }
    atomic_store(&site->catalogue_revision_committed, revisions.catalogue);
    catalogue_reload(site, revisions.catalogue); /* before the first request rather than during it */
    store_engine_watch(engine, on_commit, site);

    struct pool_callbacks callbacks = {pool_thread_start, pool_thread_stop, site};
    site->reads = pool_start("read", options->read_threads, &callbacks, err, err_size);
    if (site->reads == NULL)
        goto fail;
    site->writes = pool_start("write", options->write_threads, &callbacks, err, err_size);
    if (site->writes == NULL)
        goto fail;
    if (pthread_create(&site->monitor, NULL, monitor_main, site) != 0) {
        snprintf(err, err_size, "cannot start the monitor thread");
        goto fail;
    }
    site->monitor_started = true;
    return site;
fail:
    site_stop(site);
    return NULL;
}

void site_stop(struct site *site)
{
    if (site == NULL)
        return;
    pool_stop(site->reads);
    pool_stop(site->writes);
    if (site->monitor_started) {
        pthread_mutex_lock(&site->monitor_lock);
        site->stopping = true;
        pthread_cond_signal(&site->monitor_wake);
        pthread_mutex_unlock(&site->monitor_lock);
        pthread_join(site->monitor, NULL);
    }
    if (site->monitor_store != NULL) {
        flush_uses(site);
        store_close(site->monitor_store);
    }
    store_engine_watch(site->engine, NULL, NULL);
    site_catalogue_release(site->catalogue);
    pthread_mutex_destroy(&site->catalogue_lock);
    pthread_mutex_destroy(&site->uses_lock);
    pthread_mutex_destroy(&site->monitor_lock);
    pthread_cond_destroy(&site->monitor_wake);
    free(site->uses);
    free(site);
}
