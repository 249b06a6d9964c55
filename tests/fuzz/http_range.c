/* The Range header (lib/http_range): any value, against sizes at the edges; a partial answer
 * must lie inside the representation. */
#include "fuzz.h"

#include "lib/http_range.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct str header = {(const char *)data, size};
    const uint64_t sizes[] = {0, 1, 2, 100, 1u << 20, UINT64_MAX / 2, UINT64_MAX};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        struct http_range range;
        if (http_range_parse(header, sizes[i], &range) == HTTP_RANGE_PARTIAL &&
            (range.first > range.last || range.last >= sizes[i]))
            abort();
    }
    return 0;
}
