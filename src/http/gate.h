/*
 * The gate: the one path every request takes before a handler runs.
 *
 * lookup -> method -> authentication -> CSRF -> authorization -> handler. A request that fails a
 * step is answered there (404, 405 with Allow, 401, 403), in JSON under /api/ and as a page
 * elsewhere.
 *
 * gate_dispatch runs on the event loop. It matches the route and, when the route is one the loop
 * may answer itself (assets, cached catalogue reads, the caller's own account) and the caller is
 * anonymous or known to the loop's cache, runs the rest there; every other request is handed to
 * a pool thread, where gate_run does the same steps with a database connection, so that a slow
 * query or a wait for the writer holds up only that request.
 */
#ifndef NPQ_HTTP_GATE_H
#define NPQ_HTTP_GATE_H

#include <h2o.h>

struct worker;
struct request;
struct executor;

void gate_dispatch(struct worker *worker, h2o_req_t *req);

/* Authentication (unless done), form, CSRF, authorization and the handler, on executor's thread. */
void gate_run(struct request *request, struct executor *executor);

#endif
