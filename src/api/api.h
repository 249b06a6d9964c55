/*
 * The JSON API under /api/v1: one file per resource, each a set of handlers named in the route
 * table (http/routes.c). Helpers shared by the handlers live in api.c.
 */
#ifndef NPQ_API_API_H
#define NPQ_API_API_H

#include "domain/catalogue.h"
#include "http/request.h"

#include <jansson.h>

/* Handlers */
void api_health(struct request *request);
void api_openapi(struct request *request);
void api_qualifications_list(struct request *request);
void api_qualification_get(struct request *request);
void api_modules_list(struct request *request);
void api_module_get(struct request *request);
void api_frameworks_list(struct request *request);
void api_framework_get(struct request *request);

/*
 * The worker's catalogue, or NULL after replying 503 when none can be loaded.
 */
const struct catalogue *api_catalogue(struct request *request);

/*
 * Replies with the cached response for key, building it first with build(catalogue, arg) when it
 * is not cached. build returns a new JSON reference, or NULL when the thing does not exist (the
 * caller's not_found message is then sent as a 404, and nothing is cached).
 */
typedef json_t *(*api_builder)(const struct catalogue *catalogue, const void *arg);
void api_reply_catalogue(struct request *request, const char *key, api_builder build, const void *arg,
                         const char *not_found);

/* Small representations shared between resources. */
json_t *api_level_json(const struct catalogue *catalogue, int number);
json_t *api_module_summary_json(const struct catalogue_module *module);

#endif
