/*
 * Shared by the unit tests: cmocka's headers in the order it needs, and a way to read the
 * project's own files (the default catalogue) from the source tree.
 */
#ifndef NPQ_TEST_SUPPORT_H
#define NPQ_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lib/embedded.h"

#include <string.h>

/* The embedded default catalogue (catalogue/default.json as built into the binary). */
static inline const struct embedded_file *test_default_catalogue(void)
{
    const struct embedded_file *f = embedded_find(embedded_data, embedded_data_count, "default.json", 12);
    assert_non_null(f);
    return f;
}

#endif
