/*
 * The notifier thread: wakes every interval (or when stopped), runs one pass of notify_run and of
 * forum_digests_run, and goes back to sleep. Kept apart from the mailer because the two work at different paces (the
 * mailer looks for mail every half second, notifications are worth a look every half minute) and
 * fail apart: a broken SMTP server holds up no notification, it only delays the mail.
 */
#include "mail/notifier.h"

#include "app/forum.h"
#include "app/notify.h"
#include "app/progress.h"
#include "domain/delivery.h"
#include "lib/clock.h"
#include "lib/die.h"
#include "store/store.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct notifier {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake; /* signalled by notifier_stop, so a sleeping thread leaves at once */
    bool stopping;       /* under lock */
    struct store *store; /* used by the thread alone once it runs */
    char *base_url;
    int interval_ms;
    int64_t reminder_lead;
    bool store_failing; /* so a broken database is reported once, not every pass */
};

static bool stopping(struct notifier *n)
{
    pthread_mutex_lock(&n->lock);
    bool stop = n->stopping;
    pthread_mutex_unlock(&n->lock);
    return stop;
}

static void sleep_unless_stopped(struct notifier *n)
{
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += n->interval_ms / 1000;
    deadline.tv_nsec += (long)(n->interval_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&n->lock);
    while (!n->stopping && pthread_cond_timedwait(&n->wake, &n->lock, &deadline) != ETIMEDOUT)
        ;
    pthread_mutex_unlock(&n->lock);
}

/* Once an hour across every server (the first to claim the hour runs it): progress judged again
 * where time alone moved it, a deadline nearer or an event over with nobody writing anything.
 * Then the progress updates of the period to those not yet sent theirs. */
static enum app_result refresh_progress(struct notifier *n, int64_t now)
{
    static const struct actor system = {0, "system", ""};
    struct accounts_env env = {n->store, &system, n->base_url, now};
    bool ran = false;
    size_t refreshed = 0, sent = 0;
    enum app_result result = progress_refresh_hourly(&env, &ran, &refreshed);
    /* Every pass: once everyone due this period has their claim, this is one query that finds
     * nobody, and a recipient who becomes due (a participant enrolled) hears at once. */
    if (result == APP_OK)
        result = progress_updates_send(&env, &sent, NULL);
    return result;
}

static void *notifier_main(void *arg)
{
    struct notifier *n = arg;
    while (!stopping(n)) {
        struct notify_env env = {n->store, n->base_url, clock_now(), n->reminder_lead};
        size_t sent = 0;
        enum app_result result = notify_run(&env, &sent);
        if (result == APP_OK)
            result = refresh_progress(n, env.now);
        if (result == APP_UNAVAILABLE && !n->store_failing)
            fprintf(stderr, "npq: notifier: %s\n", store_last_error(n->store));
        /* Forum digests go out in the same pass: once a day per person, under a key that refuses a second. */
        size_t digests = 0;
        if (result != APP_UNAVAILABLE &&
            forum_digests_run(n->store, n->base_url, env.now, &digests) == APP_UNAVAILABLE && !n->store_failing)
            fprintf(stderr, "npq: notifier: %s\n", store_last_error(n->store));
        n->store_failing = result == APP_UNAVAILABLE;
        /* A full batch may have left more behind: look again at once rather than an interval later. */
        if (result != APP_OK || (sent < NOTIFY_BATCH && digests < FORUM_DIGEST_BATCH))
            sleep_unless_stopped(n);
    }
    return NULL;
}

static void notifier_free(struct notifier *n)
{
    store_close(n->store);
    free(n->base_url);
    pthread_cond_destroy(&n->wake);
    pthread_mutex_destroy(&n->lock);
    free(n);
}

struct notifier *notifier_start(const struct notifier_options *options, char *err, size_t err_size)
{
    struct notifier *n = calloc(1, sizeof(*n));
    if (n == NULL)
        die("out of memory");
    pthread_mutex_init(&n->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC); /* sleeps must not stretch when the clock is set */
    pthread_cond_init(&n->wake, &attr);
    pthread_condattr_destroy(&attr);
    n->base_url = strdup(options->base_url ? options->base_url : "");
    if (n->base_url == NULL)
        die("out of memory");
    size_t len = strlen(n->base_url);
    while (len > 0 && n->base_url[len - 1] == '/')
        n->base_url[--len] = '\0';
    n->interval_ms = options->interval_ms > 0 ? options->interval_ms : NOTIFIER_DEFAULT_INTERVAL_MS;
    n->reminder_lead = options->reminder_lead > 0 ? options->reminder_lead : DELIVERY_REMINDER_LEAD_SECONDS;
    n->store = store_connect(options->engine, err, err_size);
    if (n->store == NULL) {
        notifier_free(n);
        return NULL;
    }
    /* Process signals belong to the thread that waits for them, as for the mailer. */
    sigset_t all, old;
    sigfillset(&all);
    sigdelset(&all, SIGSEGV);
    sigdelset(&all, SIGBUS);
    sigdelset(&all, SIGFPE);
    sigdelset(&all, SIGILL);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&n->thread, NULL, notifier_main, n);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        snprintf(err, err_size, "cannot start the notifier thread: %s", strerror(rc));
        notifier_free(n);
        return NULL;
    }
    return n;
}

void notifier_stop(struct notifier *n)
{
    if (n == NULL)
        return;
    pthread_mutex_lock(&n->lock);
    n->stopping = true;
    pthread_cond_signal(&n->wake);
    pthread_mutex_unlock(&n->lock);
    pthread_join(n->thread, NULL);
    notifier_free(n);
}
