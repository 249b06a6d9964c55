/*
 * Form and query string decoding (see form.h), and the checked readers of one field.
 */
#include "lib/form.h"

#include <inttypes.h>
#include <string.h>

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes one name or value; NULL when malformed. */
static char *decode(const char *s, size_t len, struct arena *arena)
{
    char *out = arena_alloc(arena, len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            if (i + 2 >= len)
                return NULL;
            int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
            if (hi < 0 || lo < 0)
                return NULL;
            c = (char)(hi * 16 + lo);
            i += 2;
        }
        if (c == '\0')
            return NULL;
        out[n++] = c;
    }
    out[n] = '\0';
    return out;
}

bool form_parse(const char *text, size_t len, struct arena *arena, struct form *form)
{
    size_t pairs = len > 0 ? 1 : 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '&')
            pairs++;
    if (pairs > FORM_MAX_FIELDS)
        return false;
    form->fields = arena_alloc(arena, sizeof(*form->fields) * (pairs ? pairs : 1));
    form->count = 0;
    size_t start = 0;
    while (start < len) {
        const char *amp = memchr(text + start, '&', len - start);
        size_t end = amp ? (size_t)(amp - text) : len;
        if (end > start) {
            const char *eq = memchr(text + start, '=', end - start);
            size_t name_end = eq ? (size_t)(eq - text) : end;
            char *name = decode(text + start, name_end - start, arena);
            char *value = eq ? decode(eq + 1, end - name_end - 1, arena) : decode("", 0, arena);
            if (name == NULL || value == NULL)
                return false;
            form->fields[form->count++] = (struct form_field){name, value};
        }
        start = end + 1;
    }
    return true;
}

const char *form_get(const struct form *form, const char *name)
{
    for (size_t i = 0; form != NULL && i < form->count; i++)
        if (strcmp(form->fields[i].name, name) == 0)
            return form->fields[i].value;
    return NULL;
}

size_t form_get_all(const struct form *form, const char *name, const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; form != NULL && i < form->count && n < max; i++)
        if (strcmp(form->fields[i].name, name) == 0)
            out[n++] = form->fields[i].value;
    return n;
}

void form_encode(const char *s, char *out, size_t size)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && n + 4 < size; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
            *p == '_' || *p == '.' || *p == '~' || *p == '/') {
            out[n++] = (char)*p;
        } else {
            out[n++] = '%';
            out[n++] = hex[*p >> 4];
            out[n++] = hex[*p & 15];
        }
    }
    if (size > 0)
        out[n] = '\0';
}

/* Parses text as decimal digits with an optional leading minus; false on anything else or overflow. */
static bool parse_whole(const char *text, int64_t *out)
{
    const char *p = text;
    bool negative = *p == '-';
    if (negative)
        p++;
    if (*p == '\0')
        return false;
    uint64_t n = 0, limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        unsigned digit = (unsigned)(*p - '0');
        if (n > (limit - digit) / 10)
            return false;
        n = n * 10 + digit;
    }
    *out = negative ? (n == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)n) : (int64_t)n;
    return true;
}

bool form_read_int(const struct form *form, const char *name, int64_t min, int64_t max, int64_t *out,
                   struct errors *errors)
{
    const char *value = form_get(form, name);
    if (value == NULL || *value == '\0')
        return true;
    int64_t n;
    if (parse_whole(value, &n) && n >= min && n <= max && (min < 0 || value[0] != '-')) {
        *out = n;
        return true;
    }
    if (max == INT64_MAX)
        errors_add(errors, name, "%s must be a whole number, %" PRId64 " or more", name, min);
    else
        errors_add(errors, name, "%s must be a whole number from %" PRId64 " to %" PRId64, name, min, max);
    return false;
}

bool form_read_id(const struct form *form, const char *name, int64_t *out, struct errors *errors)
{
    return form_read_int(form, name, 1, INT64_MAX, out, errors);
}

bool form_read_flag(const struct form *form, const char *name, bool *out, struct errors *errors)
{
    const char *value = form_get(form, name);
    if (value == NULL || *value == '\0')
        return true;
    if (strcmp(value, "true") == 0 || strcmp(value, "1") == 0) {
        *out = true;
        return true;
    }
    if (strcmp(value, "false") == 0 || strcmp(value, "0") == 0) {
        *out = false;
        return true;
    }
    errors_add(errors, name, "%s must be true or false", name);
    return false;
}
