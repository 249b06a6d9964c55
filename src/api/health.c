/*
 * GET /api/v1/health: whether this server can reach its database, for load balancers and people.
 */
#include "api/api.h"

#include "http/reply.h"
#include "http/site.h"

void api_health(struct request *request)
{
    int64_t revision;
    if (store_catalogue_revision(request->store, &revision) != STORE_OK) {
        api_reply_reason(request, APP_UNAVAILABLE, "The database cannot be reached.");
        return;
    }
    reply_json(request, 200, json_pack("{s:s, s:I}", "status", "ok", "catalogue_revision", (json_int_t)revision));
}
