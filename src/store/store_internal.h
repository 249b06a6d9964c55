/*
 * What the store's own files share: the connection behind a struct store. Private to src/store.
 */
#ifndef NPQ_STORE_INTERNAL_H
#define NPQ_STORE_INTERNAL_H

#include "store/db.h"
#include "store/store.h"

struct store {
    struct db *db;
};

#endif
