/*
 * What the store's own files share: the connection behind a struct store. Private to src/store.
 */
#ifndef NPQ_STORE_INTERNAL_H
#define NPQ_STORE_INTERNAL_H

#include "store/db.h"
#include "store/store.h"

struct store {
    struct db *db;
    int depth;                  /* open store_begin calls; only the outermost begins and ends the transaction */
    struct store_engine *owned; /* the engine store_open made for this store alone, closed with it */
};

struct store_engine {
    struct db_engine *db;
    store_revisions_listener listener;
    void *listener_arg;
};

/* Begin or join a write transaction; end it (commit or roll back) only at the outermost level. */
bool store_tx_begin(struct store *store);
bool store_tx_commit(struct store *store);
void store_tx_rollback(struct store *store);

/* A text column copied into arena: NULL for SQL NULL (store_text) or "" (store_text_or_empty). */
const char *store_text(struct arena *arena, struct db_stmt *stmt, int column);
const char *store_text_or_empty(struct arena *arena, struct db_stmt *stmt, int column);

/* Binds an id, or SQL NULL for 0. */
void store_bind_id(struct db_stmt *stmt, int index, int64_t id);

/* Ends a write begun with store_tx_begin: commits when status is STORE_OK, rolls back
 * otherwise; returns status, or STORE_ERROR when the commit fails. */
enum store_status store_tx_end(struct store *store, enum store_status status);

/* Records an audit event whose before and after summaries are JSON (either may be NULL); takes
 * both references. */
struct json_t;
enum store_status store_audit_json(struct store *store, const struct actor *actor, const char *action,
                                   const char *entity, int64_t entity_id, struct json_t *before, struct json_t *after,
                                   int64_t now);

/* store_relation for applications and enrolments (store_enrolment.c): the facts about the
 * participant they belong to, and the sponsor and partner facts of the record itself. */
enum store_status store_relation_record(struct store *store, const struct caller *caller, enum resource resource,
                                        int64_t id, struct relation *out);

/* store_relation for venues, cohorts, events and coaching sessions (store_delivery_scope.c). */
enum store_status store_relation_delivery(struct store *store, const struct caller *caller, enum resource resource,
                                          int64_t id, struct relation *out);

/* store_relation for forums, threads, posts and reports (store_forum.c). */
enum store_status store_relation_forum(struct store *store, const struct caller *caller, enum resource resource,
                                       int64_t id, struct relation *out);

#endif
