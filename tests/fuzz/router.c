/* The router (http/router) over npq's own route table. The first line is the method, the rest
 * the path. */
#include "fuzz.h"

#include "http/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *path;
    size_t path_size;
    char *method = fuzz_split(data, size, &path, &path_size);
    struct route_match match;
    if (router_match(routes, routes_count, str_of(method), (struct str){(const char *)path, path_size}, &match) ==
        ROUTE_FOUND) {
        for (size_t i = 0; i < match.param_count; i++)
            if (match.params[i].ptr < (const char *)path ||
                match.params[i].ptr + match.params[i].len > (const char *)path + path_size)
                abort();
    }
    free(method);
    return 0;
}
