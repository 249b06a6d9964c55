#include "lib/errors.h"

#include "lib/die.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *errors_strdup(const char *s)
{
    char *copy = strdup(s);
    if (copy == NULL)
        die("out of memory");
    return copy;
}

void errors_add(struct errors *errors, const char *where, const char *fmt, ...)
{
    if (errors->count >= ERRORS_MAX)
        return;
    if (errors->count == errors->cap) {
        size_t cap = errors->cap ? errors->cap * 2 : 8;
        struct error_item *items = realloc(errors->items, cap * sizeof(*items));
        if (items == NULL)
            die("out of memory");
        errors->items = items;
        errors->cap = cap;
    }
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    errors->items[errors->count].where = errors_strdup(where);
    errors->items[errors->count].message = errors_strdup(message);
    errors->count++;
}

void errors_free(struct errors *errors)
{
    for (size_t i = 0; i < errors->count; i++) {
        free(errors->items[i].where);
        free(errors->items[i].message);
    }
    free(errors->items);
    *errors = (struct errors)ERRORS_INIT;
}
