/* What an uploaded file is, decided by its content (lib/file_type). The first line is the name
 * it was sent under. */
#include "fuzz.h"

#include "lib/file_type.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *content;
    size_t content_size;
    char *name = fuzz_split(data, size, &content, &content_size);
    file_type_detect(content, content_size, name);
    free(name);
    return 0;
}
