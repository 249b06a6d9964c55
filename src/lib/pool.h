/*
 * A pool of threads that run jobs from one queue.
 *
 * Each thread has state of its own (for the server: a database handle and caches), made by
 * thread_start when the thread starts and undone by thread_stop when it ends, so a job needs no
 * lock to use it. Jobs run in the order they were submitted, as threads become free.
 */
#ifndef NPQ_LIB_POOL_H
#define NPQ_LIB_POOL_H

#include <stdbool.h>
#include <stddef.h>

struct pool_job {
    struct pool_job *next;
    void (*run)(struct pool_job *job, void *thread_state);
};

struct pool_callbacks {
    /* Makes one thread's state; NULL stops the pool from starting. */
    void *(*thread_start)(void *arg);
    void (*thread_stop)(void *thread_state, void *arg);
    void *arg;
};

struct pool;

/* Starts threads threads (named name in logs); NULL with a message in err when one cannot start. */
struct pool *pool_start(const char *name, size_t threads, const struct pool_callbacks *callbacks, char *err,
                        size_t err_size);

/* Queues job; it runs on one of the threads. The job's memory is the caller's until run is called. */
void pool_submit(struct pool *pool, struct pool_job *job);

/* Jobs queued or running. */
size_t pool_pending(struct pool *pool);

/* Runs what is queued, stops the threads and frees the pool. NULL-safe. */
void pool_stop(struct pool *pool);

#endif
