/*
 * Dispatch from the store interface to the backend that opened the connection.
 */
#include "store/store.h"

#include "store/store_backend.h"

#include <stdio.h>
#include <string.h>

struct store *store_open(const char *location, char *err, size_t err_size)
{
    if (strncmp(location, "postgres://", 11) == 0 || strncmp(location, "postgresql://", 13) == 0) {
        snprintf(err, err_size, "the PostgreSQL backend is not built yet; use a file path for SQLite");
        return NULL;
    }
    return store_sqlite_backend.open(location, err, err_size);
}

void store_close(struct store *store)
{
    if (store != NULL)
        store->backend->close(store);
}

const char *store_last_error(const struct store *store)
{
    return store->backend->last_error(store);
}

enum store_status store_migrate(struct store *store, int *version)
{
    return store->backend->migrate(store, version);
}

enum store_status store_catalogue_replace(struct store *store, const struct catalogue *catalogue, struct errors *errors)
{
    return store->backend->catalogue_replace(store, catalogue, errors);
}

enum store_status store_catalogue_load(struct store *store, struct catalogue **out)
{
    return store->backend->catalogue_load(store, out);
}

enum store_status store_catalogue_revision(struct store *store, int64_t *revision)
{
    return store->backend->catalogue_revision(store, revision);
}
