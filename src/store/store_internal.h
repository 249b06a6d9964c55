/*
 * What the store's own files share: the connection behind a struct store. Private to src/store.
 */
#ifndef NPQ_STORE_INTERNAL_H
#define NPQ_STORE_INTERNAL_H

#include "store/db.h"
#include "store/store.h"

struct store {
    struct db *db;
    int depth; /* open store_begin calls; only the outermost begins and ends the transaction */
};

/* Begin or join a write transaction; end it (commit or roll back) only at the outermost level. */
bool store_tx_begin(struct store *store);
bool store_tx_commit(struct store *store);
void store_tx_rollback(struct store *store);

#endif
