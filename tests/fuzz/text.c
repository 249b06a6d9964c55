/* One-line text checks and character counts (lib/text), applied to every name and title. */
#include "fuzz.h"

#include "lib/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    if (text_is_one_line(text) && (strchr(text, '\n') != NULL || strchr(text, '\r') != NULL))
        abort();
    if (text_characters(text) > strlen(text))
        abort();
    text_has_words(text);
    free(text);
    return 0;
}
