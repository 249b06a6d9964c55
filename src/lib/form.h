/*
 * application/x-www-form-urlencoded bodies and query strings, decoded into name/value pairs.
 */
#ifndef NPQ_LIB_FORM_H
#define NPQ_LIB_FORM_H

#include "lib/arena.h"
#include "lib/errors.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct form_field {
    const char *name;
    const char *value;
};

struct form {
    struct form_field *fields;
    size_t count;
};

enum { FORM_MAX_FIELDS = 4096 }; /* a register of 1000 people sends two fields each */

/*
 * Decodes text ("a=1&b=two+words&c=%C3%A9") into form, copies in arena. Returns false on
 * malformed percent-escapes, NUL bytes or more than FORM_MAX_FIELDS fields.
 */
bool form_parse(const char *text, size_t len, struct arena *arena, struct form *form);

/* The first value of name, or NULL. */
const char *form_get(const struct form *form, const char *name);

/* Every value of name, in order, into out (at most max); returns how many. */
size_t form_get_all(const struct form *form, const char *name, const char **out, size_t max);

/*
 * Checked readers of one field (a query string's parameters, mostly), for callers that must never
 * fall back to a default on bad input. Each returns true, leaving *out as it was, when name is
 * absent or empty; true with *out set when the value is well formed; and false, adding an error
 * at name that names it and says what it must be ("limit must be a whole number from 1 to 500"),
 * when it is not.
 */

/* A whole number from min to max, in decimal digits (a minus sign only when min is negative). */
bool form_read_int(const struct form *form, const char *name, int64_t min, int64_t max, int64_t *out,
                   struct errors *errors);

/* A record's id: a whole number, 1 or more. */
bool form_read_id(const struct form *form, const char *name, int64_t *out, struct errors *errors);

/* A yes or no: true or 1, false or 0. */
bool form_read_flag(const struct form *form, const char *name, bool *out, struct errors *errors);

/* Percent-encodes s for a URL query or path segment into out (at most size, NUL-terminated). */
void form_encode(const char *s, char *out, size_t size);

#endif
