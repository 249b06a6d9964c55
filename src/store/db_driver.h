/*
 * What a driver of db.h provides, and how db.c reaches it. Private to src/store.
 *
 * db.h's three objects are, for db.c, a pointer to the driver they belong to: each driver's own
 * engine, handle and statement structs start with the matching struct below, so db.c can route a
 * call without knowing more of them, and the driver turns the pointer back into its own struct.
 * Which driver serves a location is decided once, in db_engine_open, by its scheme.
 */
#ifndef NPQ_STORE_DB_DRIVER_H
#define NPQ_STORE_DB_DRIVER_H

#include "store/db.h"

struct db_driver;

struct db_engine {
    const struct db_driver *driver;
};
struct db {
    const struct db_driver *driver;
};
struct db_stmt {
    const struct db_driver *driver;
};

/* Every operation of db.h but db_engine_open (which picks the driver), with the same contract. */
struct db_driver {
    struct db_engine *(*engine_open)(const char *location, char *err, size_t err_size);
    void (*engine_close)(struct db_engine *engine);
    void (*engine_set_commit_hook)(struct db_engine *engine, db_commit_hook hook, void *arg);
    struct db *(*connect)(struct db_engine *engine, char *err, size_t err_size);
    void (*close)(struct db *db);
    bool (*never_wait)(struct db *db);
    bool (*engine_follow)(struct db_engine *engine, const char *channel, db_change_listener changed, void *arg,
                          char *err, size_t err_size); /* NULL when the driver needs no following */
    const char *(*error)(const struct db *db);
    struct db_stmt *(*prepare)(struct db *db, const char *sql);
    void (*bind_int64)(struct db_stmt *stmt, int index, int64_t value);
    void (*bind_text)(struct db_stmt *stmt, int index, const char *text);
    void (*bind_blob)(struct db_stmt *stmt, int index, const void *data, size_t len);
    void (*bind_null)(struct db_stmt *stmt, int index);
    enum db_result (*step)(struct db_stmt *stmt);
    void (*reset)(struct db_stmt *stmt);
    int64_t (*column_int64)(struct db_stmt *stmt, int column);
    const char *(*column_text)(struct db_stmt *stmt, int column);
    size_t (*column_bytes)(struct db_stmt *stmt, int column);
    const void *(*column_blob)(struct db_stmt *stmt, int column);
    bool (*column_is_null)(struct db_stmt *stmt, int column);
    int64_t (*last_insert_id)(struct db *db);
    int64_t (*changes)(struct db *db);
    bool (*begin_read)(struct db *db);
    bool (*begin_write)(struct db *db);
    bool (*commit)(struct db *db);
    void (*rollback)(struct db *db);
    bool (*lock_schema)(struct db *db);
    const char *(*busy_statement)(struct db *db);
    bool (*exec_script)(struct db *db, const char *sql);
    bool (*backup)(struct db *db, const char *to, char *err, size_t err_size);
    bool (*restore)(const char *location, const char *from, const char *required_table, char *err, size_t err_size);
    const char *dialect;
};

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_postgres_driver;

#endif
