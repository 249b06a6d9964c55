#include "lib/text.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

bool text_has_words(const char *s)
{
    for (; s != NULL && *s != '\0'; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return true;
    return false;
}

size_t text_characters(const char *s)
{
    size_t n = 0;
    for (; s != NULL && *s != '\0'; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

void text_thousands(uint64_t n, char out[32])
{
    char digits[24];
    int len = snprintf(digits, sizeof(digits), "%" PRIu64, n);
    size_t o = 0;
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

bool text_name_find(const struct text_name *table, int count, const char *name, int *index)
{
    for (int i = 0; i < count && name != NULL; i++)
        if (strcmp(table[i].name, name) == 0) {
            *index = i;
            return true;
        }
    return false;
}
