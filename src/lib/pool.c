#include "lib/pool.h"

#include "lib/die.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Jobs run deep call chains (JSON, Markdown, PDF drawing): room enough, without the default 8 MiB. */
enum { POOL_STACK_BYTES = 2 * 1024 * 1024 };

struct pool {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct pool_job *head, *tail;
    size_t pending; /* queued and running */
    bool stopping;
    struct pool_callbacks callbacks;
    pthread_t *threads;
    size_t started;
    /* Start-up: each thread reports whether its state could be made. */
    pthread_cond_t ready;
    size_t ready_count;
    bool start_failed;
};

static void *pool_thread(void *arg)
{
    struct pool *pool = arg;
    void *state = pool->callbacks.thread_start ? pool->callbacks.thread_start(pool->callbacks.arg) : NULL;
    pthread_mutex_lock(&pool->lock);
    if (pool->callbacks.thread_start != NULL && state == NULL)
        pool->start_failed = true;
    pool->ready_count++;
    pthread_cond_broadcast(&pool->ready);
    bool failed = pool->callbacks.thread_start != NULL && state == NULL;
    while (!failed) {
        while (pool->head == NULL && !pool->stopping)
            pthread_cond_wait(&pool->wake, &pool->lock);
        struct pool_job *job = pool->head;
        if (job == NULL)
            break; /* stopping, and nothing left to run */
        pool->head = job->next;
        if (pool->head == NULL)
            pool->tail = NULL;
        pthread_mutex_unlock(&pool->lock);
        job->run(job, state); /* may free job */
        pthread_mutex_lock(&pool->lock);
        pool->pending--;
    }
    pthread_mutex_unlock(&pool->lock);
    if (state != NULL && pool->callbacks.thread_stop != NULL)
        pool->callbacks.thread_stop(state, pool->callbacks.arg);
    return NULL;
}

struct pool *pool_start(const char *name, size_t threads, const struct pool_callbacks *callbacks, char *err,
                        size_t err_size)
{
    if (err_size > 0)
        err[0] = '\0';
    struct pool *pool = calloc(1, sizeof(*pool));
    if (pool == NULL || (pool->threads = calloc(threads, sizeof(*pool->threads))) == NULL)
        die("out of memory");
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->wake, NULL);
    pthread_cond_init(&pool->ready, NULL);
    pool->callbacks = *callbacks;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, POOL_STACK_BYTES);
    for (size_t i = 0; i < threads; i++) {
        if (pthread_create(&pool->threads[i], &attr, pool_thread, pool) != 0) {
            snprintf(err, err_size, "cannot start %s thread %zu", name, i + 1);
            pool->start_failed = true;
            break;
        }
        pool->started++;
    }
    pthread_attr_destroy(&attr);
    pthread_mutex_lock(&pool->lock);
    while (pool->ready_count < pool->started)
        pthread_cond_wait(&pool->ready, &pool->lock);
    bool failed = pool->start_failed;
    pthread_mutex_unlock(&pool->lock);
    if (failed) {
        if (err_size > 0 && err[0] == '\0')
            snprintf(err, err_size, "a %s thread could not set itself up", name);
        pool_stop(pool);
        return NULL;
    }
    return pool;
}

void pool_submit(struct pool *pool, struct pool_job *job)
{
    job->next = NULL;
    pthread_mutex_lock(&pool->lock);
    if (pool->tail != NULL)
        pool->tail->next = job;
    else
        pool->head = job;
    pool->tail = job;
    pool->pending++;
    pthread_mutex_unlock(&pool->lock);
    /* After the unlock: a thread woken while the lock is still held would only wake to wait for
     * it. Every waiter checks the queue under the lock, so no job is missed. */
    pthread_cond_signal(&pool->wake);
}

size_t pool_pending(struct pool *pool)
{
    pthread_mutex_lock(&pool->lock);
    size_t n = pool->pending;
    pthread_mutex_unlock(&pool->lock);
    return n;
}

void pool_stop(struct pool *pool)
{
    if (pool == NULL)
        return;
    pthread_mutex_lock(&pool->lock);
    pool->stopping = true;
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->lock);
    for (size_t i = 0; i < pool->started; i++)
        pthread_join(pool->threads[i], NULL);
    pthread_mutex_destroy(&pool->lock);
    pthread_cond_destroy(&pool->wake);
    pthread_cond_destroy(&pool->ready);
    free(pool->threads);
    free(pool);
}
