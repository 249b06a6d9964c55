#include "http/worker.h"

#include "http/gate.h"
#include "http/reply.h"
#include "http/request.h"

#include <stdio.h>

static void on_handled(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    struct worker *w = H2O_STRUCT_FROM_MEMBER(struct worker, handled, receiver);
    while (!h2o_linklist_is_empty(messages)) {
        struct request_message *message = H2O_STRUCT_FROM_MEMBER(struct request_message, super.link, messages->next);
        h2o_linklist_unlink(&message->super.link);
        struct request *r = message->request;
        if (message->piece) {
            reply_stream_send_piece(r);
            continue;
        }
        w->in_pools--;
        const struct credential_found *found = &r->credential_found;
        if (found->found && r->caller != NULL)
            caller_cache_put(&w->callers, found->key, found->session, found->access_revision, &found->credential,
                             r->caller);
        request_finish(r);
    }
}

static void run_in_pool(struct pool_job *job, void *thread_state)
{
    struct request *r = H2O_STRUCT_FROM_MEMBER(struct request, job, job);
    gate_run(r, thread_state);
    h2o_multithread_send_message(&r->worker->handled, &r->done.super);
}

bool worker_open(struct worker *w)
{
    char err[256];
    w->revisions = store_connect(site_engine(w->site), err, sizeof(err));
    if (w->revisions == NULL) {
        fprintf(stderr, "npq: %s\n", err);
        return false;
    }
    store_never_wait(w->revisions);
    executor_init(&w->executor, w->site, NULL);
    caller_cache_init(&w->callers);
    w->queue = h2o_multithread_create_queue(w->ctx.loop);
    h2o_multithread_register_receiver(w->queue, &w->handled, on_handled);
    return true;
}

void worker_close(struct worker *w)
{
    h2o_multithread_unregister_receiver(w->queue, &w->handled);
    h2o_multithread_destroy_queue(w->queue);
    caller_cache_dispose(&w->callers);
    executor_dispose(&w->executor);
    store_close(w->revisions);
}

void worker_send_to_pool(struct worker *w, struct request *r)
{
    request_detach(r);
    r->job.run = run_in_pool;
    r->done.request = r;
    w->in_pools++;
    bool writes = !str_eq(r->method, STR_LIT("GET")) && !str_eq(r->method, STR_LIT("HEAD"));
    pool_submit(site_pool(w->site, writes), &r->job);
}
