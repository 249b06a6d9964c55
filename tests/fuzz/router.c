/* The router (http/router) over npq's own route table. The first line is the method, the rest
 * the path. The index (router_find) must answer exactly as the full scan (router_match). */
#include "fuzz.h"

#include "http/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *path;
    size_t path_size;
    char *method = fuzz_split(data, size, &path, &path_size);
    static struct router *index;
    if (index == NULL && (index = router_new(routes, routes_count)) == NULL)
        abort();
    struct str path_str = {(const char *)path, path_size};
    struct route_match match, found;
    enum route_result scanned = router_match(routes, routes_count, str_of(method), path_str, &match);
    enum route_result indexed = router_find(index, str_of(method), path_str, &found);
    if (scanned != indexed || match.route != found.route || strcmp(match.allow, found.allow) != 0)
        abort();
    if (scanned == ROUTE_FOUND) {
        if (match.param_count != found.param_count)
            abort();
        for (size_t i = 0; i < match.param_count; i++)
            if (!str_eq(match.params[i], found.params[i]) || match.params[i].ptr != found.params[i].ptr)
                abort();
        for (size_t i = 0; i < match.param_count; i++)
            if (match.params[i].ptr < (const char *)path ||
                match.params[i].ptr + match.params[i].len > (const char *)path + path_size)
                abort();
    }
    free(method);
    return 0;
}
