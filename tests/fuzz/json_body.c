/* JSON request bodies: parsed as api_read_object parses them, then read by the body readers. */
#include "fuzz.h"

#include "api/api.h"

#include <jansson.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t err;
    json_t *body = json_loadb((const char *)data, size, 0, &err);
    if (json_is_object(body)) {
        struct errors errors = ERRORS_INIT;
        const char *key;
        json_t *value;
        json_object_foreach(body, key, value)
        {
            const char *text;
            int64_t number;
            api_member_text(body, key, &text, &errors);
            api_member_int(body, key, &number, &errors);
        }
        errors_free(&errors);
    }
    json_decref(body);
    return 0;
}
