/* Catalogue files (domain/catalogue_json), which `npq catalogue load` reads. */
#include "fuzz.h"

#include "domain/catalogue.h"
#include "domain/catalogue_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct errors errors = ERRORS_INIT;
    struct catalogue *catalogue = catalogue_json_parse((const char *)data, size, &errors);
    if (catalogue != NULL) {
        char *again = catalogue_json_dump(catalogue);
        free(again);
        catalogue_free(catalogue);
    }
    errors_free(&errors);
    return 0;
}
