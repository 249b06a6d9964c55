/*
 * What a storage backend provides. Private to src/store: the rest of npq sees only store.h.
 */
#ifndef NPQ_STORE_BACKEND_H
#define NPQ_STORE_BACKEND_H

#include "store/store.h"

struct store_backend {
    const char *name;
    struct store *(*open)(const char *location, char *err, size_t err_size);
    void (*close)(struct store *store);
    const char *(*last_error)(const struct store *store);
    enum store_status (*migrate)(struct store *store, int *version);
    enum store_status (*catalogue_replace)(struct store *store, const struct catalogue *catalogue,
                                           struct errors *errors);
    enum store_status (*catalogue_load)(struct store *store, struct catalogue **out);
    enum store_status (*catalogue_revision)(struct store *store, int64_t *revision);
};

/* Every store starts with this header so the dispatcher can find its backend. */
struct store {
    const struct store_backend *backend;
};

extern const struct store_backend store_sqlite_backend;

#endif
