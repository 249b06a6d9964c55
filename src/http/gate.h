/*
 * The gate: the one path every request takes before a handler runs.
 *
 * lookup -> method -> authentication -> authorization -> handler. A request that fails a step is
 * answered there (404, 405 with Allow, 401, 403), in JSON under /api/ and as a page elsewhere.
 */
#ifndef NPQ_HTTP_GATE_H
#define NPQ_HTTP_GATE_H

#include <h2o.h>

struct worker;

void gate_dispatch(struct worker *worker, h2o_req_t *req);

#endif
