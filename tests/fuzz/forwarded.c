/* X-Forwarded-For (http/forwarded): any header values, with some proxies believed; a client read
 * from them is an address, never one of the proxies. And --trusted-proxy lists of any text. */
#include "fuzz.h"

#include "http/forwarded.h"
#include "lib/cidr.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool configured;
    if (!configured) {
        char err[256];
        if (!forwarded_trust("127.0.0.1,10.0.0.0/8,::1,fd00::/8", err, sizeof err))
            abort();
        configured = true;
    }
    /* Up to three header values, split at NUL bytes. */
    struct str values[3];
    size_t count = 0, start = 0;
    for (size_t i = 0; i <= size && count < 3; i++)
        if (i == size || data[i] == 0) {
            values[count++] = (struct str){(const char *)data + start, i - start};
            start = i + 1;
        }
    struct sockaddr_storage client;
    socklen_t len;
    if (forwarded_client(values, count, &client, &len) && forwarded_is_trusted((struct sockaddr *)&client, len))
        abort();

    char spec[256];
    size_t n = size < sizeof spec - 1 ? size : sizeof spec - 1;
    memcpy(spec, data, n);
    spec[n] = '\0';
    struct cidr blocks[4];
    size_t parsed;
    struct str bad;
    if (!cidr_parse_list(spec, blocks, 4, &parsed, &bad) && bad.len > 0 &&
        (bad.ptr < spec || bad.ptr + bad.len > spec + n))
        abort();
    for (size_t i = 0; i < parsed; i++)
        if (blocks[i].prefix > (blocks[i].family == AF_INET ? 32u : 128u))
            abort();
    return 0;
}
