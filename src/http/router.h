/*
 * The route table and its matcher.
 *
 * Every route of npq is one row of data: method, path pattern, handler, the permission it needs
 * and what it documents. The gate, the 405 Allow header, the OpenAPI document and the
 * authorization tests all read this one table, so none of them can drift from the others.
 * Matching is pure (no h2o types) so it is unit-tested on its own.
 */
#ifndef NPQ_HTTP_ROUTER_H
#define NPQ_HTTP_ROUTER_H

#include "domain/policy.h"
#include "lib/str.h"

#include <stdbool.h>
#include <stddef.h>

enum { ROUTE_MAX_PARAMS = 4 };

struct request;
typedef void (*route_handler)(struct request *request);

/* Where a route belongs: the JSON API (documented in OpenAPI) or the HTML pages. */
enum route_kind { ROUTE_API, ROUTE_PAGE, ROUTE_ASSET };

struct route {
    const char *method;  /* "GET", "POST", ...; HEAD is served by GET routes */
    const char *pattern; /* "/api/v1/qualifications/{code}": literal segments and {name} parameters */
    route_handler handler;
    enum permission permission;
    enum resource resource; /* the record the first URL parameter names, checked against the caller */
    enum route_kind kind;
    const char *summary;  /* one line for the OpenAPI document */
    const char *response; /* name of the response schema in the OpenAPI components, or NULL */
    const char
        *body;    /* the request body: a JSON schema's name, "csv" for text/csv, "file" for raw bytes; NULL for none */
    int status;   /* the success status when it is not the usual one (POST 201, DELETE 204, else 200) */
    bool on_loop; /* the handler needs no database (catalogue, assets, the caller's own account), so
                     the event loop may answer it itself when it knows the caller */
    bool csv;     /* a report: also a CSV download (?format=csv or Accept: text/csv, api/export.h) */
};

/* A list: a GET of the API whose response schema is named "...List". Every list takes ?limit= and
 * ?after= and points at its next page with a Link header (http/paging.h); the OpenAPI document
 * says so for each. */
bool route_is_list(const struct route *route);

enum route_result { ROUTE_FOUND, ROUTE_METHOD_NOT_ALLOWED, ROUTE_NOT_FOUND };

struct route_match {
    const struct route *route;
    struct str params[ROUTE_MAX_PARAMS];
    size_t param_count;
    /* For ROUTE_METHOD_NOT_ALLOWED: the methods the path does accept, e.g. "GET, HEAD". */
    char allow[64];
};

/*
 * Finds the route for method and path (path without its query string). A pattern ending in
 * "{name*}" takes the rest of the path, slashes included. When several patterns match, the one
 * with the fewest parameters wins (a literal segment beats a parameter); on a tie, the first row.
 */
enum route_result router_match(const struct route *table, size_t count, struct str method, struct str path,
                               struct route_match *match);

/* An index of a table for router_find, which answers exactly as router_match does over the same
 * table (tests/fuzz/router.c checks that on every input). NULL when out of memory. */
struct router;
struct router *router_new(const struct route *table, size_t count);
void router_free(struct router *router);
enum route_result router_find(const struct router *router, struct str method, struct str path,
                              struct route_match *match);

/* The whole table of npq, defined in routes.c. */
extern const struct route routes[];
extern const size_t routes_count;

#endif
