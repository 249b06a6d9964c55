#include "lib/csv_write.h"

#include <stdbool.h>
#include <string.h>

void csv_write_field(struct buf *b, const char *value, int first)
{
    if (!first)
        buf_append(b, ",", 1);
    if (value == NULL)
        return;
    /* A leading quote mark makes a would-be formula plain text in spreadsheets: OWASP's list of
     * the characters that start one, tab and carriage return included. */
    bool formula = value[0] != '\0' && strchr("=+-@\t\r", value[0]) != NULL;
    bool quote = formula || strpbrk(value, ",\"\r\n") != NULL;
    if (!quote) {
        buf_append_str(b, value);
        return;
    }
    buf_append(b, "\"", 1);
    if (formula)
        buf_append(b, "'", 1);
    for (const char *p = value; *p; p++) {
        if (*p == '"')
            buf_append(b, "\"", 1);
        buf_append(b, p, 1);
    }
    buf_append(b, "\"", 1);
}

void csv_write_int(struct buf *b, int64_t value, int first)
{
    if (!first)
        buf_append(b, ",", 1);
    buf_appendf(b, "%lld", (long long)value);
}

void csv_write_end(struct buf *b)
{
    buf_append(b, "\r\n", 2);
}
