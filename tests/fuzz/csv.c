/* CSV imports (lib/csv_reader). */
#include "fuzz.h"

#include "lib/csv_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct csv_failure failure;
    struct csv_table *table = csv_read((const char *)data, size, 100, &failure);
    if (table != NULL) {
        volatile size_t sum = 0;
        for (size_t r = 0; r < table->row_count; r++)
            for (size_t f = 0; f < table->rows[r].width; f++)
                sum += strlen(table->rows[r].fields[f]);
        (void)sum;
    } else if (strnlen(failure.message, sizeof failure.message) == sizeof failure.message) {
        abort(); /* the message a person reads must be a string */
    }
    csv_table_free(table);
    return 0;
}
