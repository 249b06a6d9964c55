/*
 * Reading the Cookie request header (RFC 6265, section 5.4): "name=value" pairs separated by
 * semicolons. Pure, so the one reader of outside input it is can be fuzzed on its own.
 */
#ifndef NPQ_LIB_COOKIE_H
#define NPQ_LIB_COOKIE_H

#include "lib/str.h"

#include <stdbool.h>

/* Finds the first cookie called name in one Cookie header value; its value is a slice of header.
 * Returns false when there is none. */
bool cookie_find(struct str header, const char *name, struct str *value);

#endif
