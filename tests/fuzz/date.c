/* Dates and times as sent in forms and JSON (lib/date). */
#include "fuzz.h"

#include "lib/date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    int64_t t;
    if (date_is_valid(text) && !date_is_shaped(text))
        abort();
    if (date_is_valid(text)) {
        char out[64];
        date_format_day(text, true, out, sizeof out);
    }
    for (int alone = 0; alone < 2; alone++) {
        if (date_parse_utc(text, alone, &t)) {
            char again[DATE_UTC_TEXT];
            date_format_utc(t, again);
            int64_t back;
            if (!date_parse_utc(again, false, &back) || back != t)
                abort(); /* what is read must be written back the same */
        }
    }
    free(text);
    return 0;
}
