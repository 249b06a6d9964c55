/*
 * npq routes: the route table as JSON, one object a route, for tests that must cover every
 * route (the authorization matrix, the walk of every list) and for people reading what the
 * server offers.
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
    json_t *list = json_array();
    for (size_t i = 0; i < routes_count; i++)
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "method", routes[i].method, "pattern",
                                              routes[i].pattern, "permission", permission_name(routes[i].permission),
                                              "resource", resource_name(routes[i].resource), "kind",
                                              kinds[routes[i].kind], "list", route_is_list(&routes[i])));
    char *text = json_dumps(list, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(list);
    puts(text);
    free(text);
    return 0;
}
