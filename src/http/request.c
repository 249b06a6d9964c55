#include "http/request.h"

#include <string.h>

void *request_alloc(struct request *request, size_t size)
{
    void *p = h2o_mem_alloc_pool(&request->req->pool, size);
    memset(p, 0, size);
    return p;
}

char *request_strndup(struct request *request, struct str s)
{
    char *copy = h2o_mem_alloc_pool(&request->req->pool, s.len + 1);
    memcpy(copy, s.ptr, s.len);
    copy[s.len] = '\0';
    return copy;
}

struct str request_path(const struct request *request)
{
    const h2o_req_t *req = request->req;
    return (struct str){req->path_normalized.base, req->path_normalized.len};
}

struct str request_header(const struct request *request, const h2o_token_t *token)
{
    ssize_t i = h2o_find_header(&request->req->headers, token, -1);
    if (i < 0)
        return (struct str){"", 0};
    h2o_iovec_t value = request->req->headers.entries[i].value;
    return (struct str){value.base, value.len};
}
