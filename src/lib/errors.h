/*
 * A list of validation errors, each naming the place it applies to.
 *
 * Validators collect every problem instead of stopping at the first, so a person fixing a file or
 * a form sees all of them at once. Places are JSON paths (`$.modules[3].strand`) or form field
 * names; messages are plain sentences.
 */
#ifndef NPQ_LIB_ERRORS_H
#define NPQ_LIB_ERRORS_H

#include <stddef.h>

struct error_item {
    char *where;
    char *message;
};

struct errors {
    struct error_item *items;
    size_t count;
    size_t cap;
};

#define ERRORS_INIT                                                                                                    \
    {                                                                                                                  \
        NULL, 0, 0                                                                                                     \
    }

/* Records an error at a place; both strings are copied. At most ERRORS_MAX are kept. */
void errors_add(struct errors *errors, const char *where, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

void errors_free(struct errors *errors);

enum { ERRORS_MAX = 200 };

#endif
