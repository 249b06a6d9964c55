#include "lib/embedded.h"

#include <string.h>

const struct embedded_file *embedded_find(const struct embedded_file *files, size_t count, const char *name,
                                          size_t name_len)
{
    for (size_t i = 0; i < count; i++)
        if (strlen(files[i].name) == name_len && memcmp(files[i].name, name, name_len) == 0)
            return &files[i];
    return NULL;
}
