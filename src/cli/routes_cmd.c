/*
 * npq routes: the route table as JSON, one object a route, for tests that must cover every
 * route (the authorization matrix) and for people reading what the server offers.
 */
#include "cli/cli.h"

#include "http/router.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

int cli_routes(int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        fprintf(stderr, "usage: npq routes\n");
        return 2;
    }
    static const char *const kinds[] = {[ROUTE_API] = "api", [ROUTE_PAGE] = "page", [ROUTE_ASSET] = "asset"};
    static const char *const resources[] = {
        [RESOURCE_NONE] = "none",
        [RESOURCE_USER] = "user",
        [RESOURCE_TOKEN] = "token",
        [RESOURCE_ORGANISATION] = "organisation",
        [RESOURCE_APPLICATION] = "application",
        [RESOURCE_ENROLMENT] = "enrolment",
        [RESOURCE_VENUE] = "venue",
        [RESOURCE_COHORT] = "cohort",
        [RESOURCE_EVENT] = "event",
        [RESOURCE_COACHING_SESSION] = "coaching_session",
        [RESOURCE_SUBMISSION] = "submission",
    };
    json_t *list = json_array();
    for (size_t i = 0; i < routes_count; i++)
        json_array_append_new(list,
                              json_pack("{s:s, s:s, s:s, s:s, s:s}", "method", routes[i].method, "pattern",
                                        routes[i].pattern, "permission", permission_name(routes[i].permission),
                                        "resource", resources[routes[i].resource], "kind", kinds[routes[i].kind]));
    char *text = json_dumps(list, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(list);
    puts(text);
    free(text);
    return 0;
}
