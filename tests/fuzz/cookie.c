/* The Cookie header (lib/cookie): the names npq looks for, in any header value. */
#include "fuzz.h"

#include "http/auth.h"
#include "lib/cookie.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct str header = {(const char *)data, size};
    const char *names[] = {AUTH_SESSION_COOKIE, AUTH_VISITOR_COOKIE, "", "a"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct str value;
        if (cookie_find(header, names[i], &value) &&
            (value.ptr < header.ptr || value.ptr + value.len > header.ptr + header.len))
            abort();
    }
    return 0;
}
