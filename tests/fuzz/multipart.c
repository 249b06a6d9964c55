/* multipart/form-data bodies (lib/multipart). The first line is the Content-Type header value,
 * the rest the body. */
#include "fuzz.h"

#include "lib/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *body;
    size_t body_size;
    char *type = fuzz_split(data, size, &body, &body_size);
    struct arena arena = ARENA_INIT;
    struct form fields;
    struct multipart_file *files;
    size_t file_count;
    if (multipart_is_form_data(str_of(type)) &&
        multipart_parse(str_of(type), (const char *)body, body_size, &arena, &fields, &files, &file_count)) {
        volatile size_t sum = 0; /* touch every byte a part claims, so an overrun is seen */
        for (size_t i = 0; i < file_count; i++)
            for (size_t j = 0; j < files[i].len; j++)
                sum += (unsigned char)files[i].data[j];
        for (size_t i = 0; i < fields.count; i++)
            sum += strlen(fields.fields[i].name) + strlen(fields.fields[i].value);
        (void)sum;
    }
    arena_release(&arena);
    free(type);
    return 0;
}
