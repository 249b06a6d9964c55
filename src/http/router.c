/*
 * Route matching: segment by segment against every pattern. The table holds a few dozen rows, so
 * a linear scan costs less than a request's header parsing.
 */
#include "http/router.h"

#include <stdbool.h>
#include <string.h>

/* Matches path against pattern, filling params. */
static bool pattern_match(const char *pattern, struct str path, struct route_match *match)
{
    const char *p = pattern;
    size_t i = 0;
    match->param_count = 0;
    while (*p != '\0') {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            bool rest = close[-1] == '*';
            size_t start = i;
            if (rest)
                i = path.len;
            else
                while (i < path.len && path.ptr[i] != '/')
                    i++;
            if (i == start || match->param_count == ROUTE_MAX_PARAMS)
                return false;
            match->params[match->param_count++] = (struct str){path.ptr + start, i - start};
            p = close + 1;
            continue;
        }
        if (i >= path.len || path.ptr[i] != *p)
            return false;
        p++;
        i++;
    }
    return i == path.len;
}

static bool method_accepts(const char *route_method, struct str method)
{
    if (str_eq(method, str_of(route_method)))
        return true;
    return strcmp(route_method, "GET") == 0 && str_eq(method, STR_LIT("HEAD"));
}

static void allow_add(char *allow, size_t size, const char *method)
{
    if (strstr(allow, method) != NULL)
        return;
    size_t len = strlen(allow);
    size_t need = strlen(method) + (len ? 2 : 0);
    if (len + need + 1 > size)
        return;
    if (len)
        memcpy(allow + len, ", ", 2), len += 2;
    memcpy(allow + len, method, strlen(method) + 1);
}

enum route_result router_match(const struct route *table, size_t count, struct str method, struct str path,
                               struct route_match *match)
{
    bool path_known = false;
    match->route = NULL;
    match->allow[0] = '\0';
    struct route_match candidate, best;
    best.route = NULL;
    for (size_t i = 0; i < count; i++) {
        if (!pattern_match(table[i].pattern, path, &candidate))
            continue;
        if (method_accepts(table[i].method, method)) {
            /* The most specific pattern wins: fewer parameters, so "/enrolments/{id}/activities"
             * is not taken by an earlier "/enrolments/{id}/{step}"; on a tie, the first row. */
            if (best.route == NULL || candidate.param_count < best.param_count) {
                best = candidate;
                best.route = &table[i];
            }
            continue;
        }
        path_known = true;
        allow_add(match->allow, sizeof(match->allow), table[i].method);
        if (strcmp(table[i].method, "GET") == 0)
            allow_add(match->allow, sizeof(match->allow), "HEAD");
    }
    if (best.route != NULL) {
        *match = best;
        match->allow[0] = '\0';
        return ROUTE_FOUND;
    }
    return path_known ? ROUTE_METHOD_NOT_ALLOWED : ROUTE_NOT_FOUND;
}
