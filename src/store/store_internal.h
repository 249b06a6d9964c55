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

/* store_relation for applications and enrolments (store_enrolment.c): the facts about the
 * participant they belong to, and the sponsor and partner facts of the record itself. */
enum store_status store_relation_record(struct store *store, const struct caller *caller, enum resource resource,
                                        int64_t id, struct relation *out);

#endif
