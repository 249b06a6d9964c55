/*
 * The DfE syncer thread: sleeps an interval (or until stopped), runs one sync, and goes back to
 * sleep. Apart from the notifier and the mailer because it waits on another service: a DfE that
 * is slow or down holds up nothing of npq's own.
 */
#include "mail/dfe_syncer.h"

#include "app/dfe_sync.h"
#include "lib/die.h"
#include "lib/process.h"
#include "store/store.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct dfe_syncer {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    atomic_bool stopping; /* also read by the sync between its calls */
    struct store *store;
    int interval_seconds;
    char holder[PROCESS_IDENTITY_TEXT];
};

static void sleep_unless_stopped(struct dfe_syncer *s)
{
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += s->interval_seconds;
    pthread_mutex_lock(&s->lock);
    while (!atomic_load(&s->stopping) && pthread_cond_timedwait(&s->wake, &s->lock, &deadline) != ETIMEDOUT)
        ;
    pthread_mutex_unlock(&s->lock);
}

static void *syncer_main(void *arg)
{
    struct dfe_syncer *s = arg;
    while (!atomic_load(&s->stopping)) {
        sleep_unless_stopped(s);
        if (atomic_load(&s->stopping))
            break;
        struct catalogue *catalogue = NULL;
        if (store_catalogue_load(s->store, &catalogue) != STORE_OK)
            catalogue = NULL; /* declarations wait for approval until the catalogue reads again */
        struct dfe_sync_env env = {s->store, catalogue, s->holder, &s->stopping, 0, 0};
        struct dfe_sync_report report;
        enum app_result result = dfe_sync_run(&env, &report);
        /* Not configured, or another server's turn: nothing to say. */
        if (result != APP_OK && result != APP_NOT_FOUND && result != APP_CONFLICT)
            fprintf(stderr, "npq: DfE sync: %s\n", report.error);
        if (catalogue != NULL)
            catalogue_free(catalogue);
    }
    return NULL;
}

static void syncer_free(struct dfe_syncer *s)
{
    store_close(s->store);
    pthread_cond_destroy(&s->wake);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

struct dfe_syncer *dfe_syncer_start(const struct dfe_syncer_options *options, char *err, size_t err_size)
{
    if (options->interval_seconds <= 0)
        return NULL;
    struct dfe_syncer *s = calloc(1, sizeof(*s));
    if (s == NULL)
        die("out of memory");
    pthread_mutex_init(&s->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&s->wake, &attr);
    pthread_condattr_destroy(&attr);
    atomic_init(&s->stopping, false);
    s->interval_seconds = options->interval_seconds;
    process_identity(s->holder);
    s->store = store_connect(options->engine, err, err_size);
    if (s->store == NULL) {
        syncer_free(s);
        return NULL;
    }
    sigset_t all, old;
    sigfillset(&all);
    sigdelset(&all, SIGSEGV);
    sigdelset(&all, SIGBUS);
    sigdelset(&all, SIGFPE);
    sigdelset(&all, SIGILL);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&s->thread, NULL, syncer_main, s);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        snprintf(err, err_size, "cannot start the DfE syncer thread: %s", strerror(rc));
        syncer_free(s);
        return NULL;
    }
    return s;
}

void dfe_syncer_stop(struct dfe_syncer *s)
{
    if (s == NULL)
        return;
    pthread_mutex_lock(&s->lock);
    atomic_store(&s->stopping, true);
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    syncer_free(s);
}
