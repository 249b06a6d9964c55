#include "lib/cookie.h"

bool cookie_find(struct str header, const char *name, struct str *value)
{
    size_t name_len = strlen(name);
    const char *p = header.ptr, *end = header.ptr + header.len;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == ';'))
            p++;
        const char *semi = memchr(p, ';', (size_t)(end - p));
        const char *item_end = semi ? semi : end;
        if ((size_t)(item_end - p) > name_len && memcmp(p, name, name_len) == 0 && p[name_len] == '=') {
            *value = (struct str){p + name_len + 1, (size_t)(item_end - p - name_len - 1)};
            return true;
        }
        p = item_end;
    }
    return false;
}
