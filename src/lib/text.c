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

bool text_is_one_line(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; p != NULL && *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return false;
        if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) /* U+0080 to U+009F */
            return false;
        if (p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0xa8 && p[2] <= 0xae) /* U+2028 to U+202E */
            return false;
        if (p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9) /* U+2066 to U+2069 */
            return false;
    }
    return true;
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

void text_bytes(int64_t bytes, char out[32])
{
    static const char *const units[] = {"GiB", "MiB", "KiB"};
    for (int i = 0; i < 3; i++) {
        int64_t unit = (int64_t)1 << (10 * (3 - i));
        if (bytes >= unit && bytes % unit == 0) {
            char n[32];
            text_thousands((uint64_t)(bytes / unit), n);
            snprintf(out, 32, "%s %s", n, units[i]);
            return;
        }
    }
    char n[32];
    text_thousands(bytes > 0 ? (uint64_t)bytes : 0, n);
    snprintf(out, 32, "%s byte%s", n, bytes == 1 ? "" : "s");
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
