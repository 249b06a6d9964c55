/*
 * What the store's own files share: the connection behind a struct store. Private to src/store.
 */
#ifndef NPQ_STORE_INTERNAL_H
#define NPQ_STORE_INTERNAL_H

#include "store/db.h"

#include <pthread.h>
#include <stdatomic.h>
#include "store/store.h"

struct store {
    struct db *db;
    int depth;                  /* open store_begin calls; only the outermost begins and ends the transaction */
    struct store_engine *owned; /* the engine store_open made for this store alone, closed with it */
    struct store_engine *engine;
    bool revisions_known; /* never waits and cannot read: store_revisions answers from the engine's */
};

struct store_engine {
    struct db_engine *db;
    store_revisions_listener listener;
    void *listener_arg;
    /* The revisions as the engine last learnt them (commits here, notifications of others'), for
     * handles that cannot read without waiting; -1 while unknown. Following starts with the
     * first such handle. */
    pthread_mutex_t listener_lock; /* the follower calls the listener while the server may be leaving */
    pthread_mutex_t follow_lock;
    bool following;
    _Atomic int64_t known_catalogue, known_access;
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

/*
 * Key-set pages (struct store_page). A list's query ends
 *   AND (sort_key, x.id) > (?K, ?I) ORDER BY sort_key, x.id LIMIT ?L
 * (or "x.id > ?I" alone for a list ordered by id; "<" and DESC for newest first), which both
 * engines read alike and answer by seeking in an index on (sort_key, id) (migration 024). The
 * first page binds a position before every row (0, the lowest number, "" or the highest for
 * newest first) rather than writing "?K IS NULL OR ...", which would make SQLite read the index
 * from its start; a key that is an expression (lower(name)) repeats "lower(name) >= ?K AND" in
 * front, the form SQLite seeks its expression index by. Sort keys are never NULL. store_page_bind binds ?K (not for
 * CURSOR_ID), ?I and ?L from index on, ?L being one more than the page holds, so that reading it tells whether another
 * page follows; it returns the next index free. store_page_row is called on each row read, with kept the rows kept
 * before it: true to keep it (its position, from key_column and id_column, noted), false for the row past the page,
 * whose arrival sets page->next from the last row kept (the statement is then reset).
 */
enum store_order { STORE_ASCENDING, STORE_DESCENDING }; /* STORE_DESCENDING: not for CURSOR_TEXT */
int store_page_bind(struct db_stmt *stmt, int index, enum cursor_key kind, enum store_order order,
                    const struct store_page *page);
bool store_page_row(struct store_page *page, struct db_stmt *stmt, size_t kept, enum cursor_key kind, int key_column,
                    int id_column, struct arena *arena);
/* store_relation for forums, threads, posts and reports (store_forum.c). */
enum store_status store_relation_forum(struct store *store, const struct caller *caller, enum resource resource,
                                       int64_t id, struct relation *out);

#endif
