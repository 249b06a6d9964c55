/* Form bodies and query strings (lib/form): both are decoded by form_parse, then read by the
 * checked readers. */
#include "fuzz.h"

#include "lib/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena arena = ARENA_INIT;
    struct form form;
    if (form_parse((const char *)data, size, &arena, &form)) {
        struct errors errors = ERRORS_INIT;
        int64_t number;
        bool flag;
        const char *all[8];
        for (size_t i = 0; i < form.count && i < 4; i++) {
            form_read_int(&form, form.fields[i].name, -1000, 1000, &number, &errors);
            form_read_id(&form, form.fields[i].name, &number, &errors);
            form_read_flag(&form, form.fields[i].name, &flag, &errors);
            form_get_all(&form, form.fields[i].name, all, 8);
            char encoded[256];
            form_encode(form.fields[i].value, encoded, sizeof encoded);
        }
        errors_free(&errors);
    }
    arena_release(&arena);
    return 0;
}
