/*
 * Every route of npq. Add a row here and the gate, the 405 Allow header, the OpenAPI document
 * and the route tests all know of it.
 */
#include "api/api.h"
#include "http/router.h"
#include "http/static_assets.h"
#include "pages/pages.h"

const struct route routes[] = {
    /* JSON API */
    {"GET", "/api/v1/health", api_health, PERM_PUBLIC, RESOURCE_NONE, ROUTE_API, "Whether the server can reach its database",
     "Health"},
    {"GET", "/api/v1/openapi.json", api_openapi, PERM_PUBLIC, RESOURCE_NONE, ROUTE_API, "This OpenAPI document", NULL},
    {"GET", "/api/v1/qualifications", api_qualifications_list, PERM_PUBLIC, RESOURCE_NONE, ROUTE_API, "List qualifications",
     "QualificationList"},
    {"GET", "/api/v1/qualifications/{code}", api_qualification_get, PERM_PUBLIC, RESOURCE_NONE, ROUTE_API,
     "A qualification with its rule and its modules by strand (code is case-insensitive)", "Qualification"},
    {"GET", "/api/v1/modules", api_modules_list, PERM_PUBLIC, RESOURCE_NONE, ROUTE_API, "List modules", "ModuleList"},
    {"GET", "/api/v1/modules/{code}", api_module_get, PERM_PUBLIC, RESOURCE_NONE, ROUTE_API,
     "A module and the qualifications it counts towards", "Module"},
    {"GET", "/api/v1/frameworks", api_frameworks_list, PERM_PUBLIC, RESOURCE_NONE, ROUTE_API, "List frameworks", "FrameworkList"},
    {"GET", "/api/v1/frameworks/{code}", api_framework_get, PERM_PUBLIC, RESOURCE_NONE, ROUTE_API,
     "A framework with its areas and statements", "Framework"},

    /* Pages */
    {"GET", "/", page_home, PERM_PUBLIC, RESOURCE_NONE, ROUTE_PAGE, "Home", NULL},
    {"GET", "/qualifications", page_qualifications, PERM_PUBLIC, RESOURCE_NONE, ROUTE_PAGE, "Qualifications", NULL},
    {"GET", "/qualifications/{code}", page_qualification, PERM_PUBLIC, RESOURCE_NONE, ROUTE_PAGE, "A qualification", NULL},
    {"GET", "/modules/{code}", page_module, PERM_PUBLIC, RESOURCE_NONE, ROUTE_PAGE, "A module", NULL},
    {"GET", "/frameworks", page_frameworks, PERM_PUBLIC, RESOURCE_NONE, ROUTE_PAGE, "Frameworks", NULL},
    {"GET", "/frameworks/{code}", page_framework, PERM_PUBLIC, RESOURCE_NONE, ROUTE_PAGE, "A framework", NULL},

    /* Front-end assets */
    {"GET", "/assets/{path*}", static_assets_serve, PERM_PUBLIC, RESOURCE_NONE, ROUTE_ASSET, "Front-end assets", NULL},
};

const size_t routes_count = sizeof(routes) / sizeof(routes[0]);
