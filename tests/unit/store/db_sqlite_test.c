/*
 * The SQLite driver's group commit, below the store: many threads writing at once, each on its
 * own handle. Whatever groups their transactions fall into, a transaction whose db_commit said
 * yes is in the database and already visible to a new read when db_commit returns; one rolled
 * back, or refused by a constraint, is not there and takes nobody else's work with it; and every
 * writer gets its turn (a lost wake-up would hang this test until meson's timeout).
 */
#include "../test_support.h"

#include "store/db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

enum { WRITERS = 16, ROUNDS = 150 };

struct writer {
    struct db_engine *engine;
    int number;
    pthread_barrier_t *start;
    int committed;    /* transactions db_commit said yes to */
    int seen_at_once; /* of those, how many a read on the same handle saw straight after */
    int refused;      /* inserts a constraint refused, then rolled back */
    int commit_failures;
};

static const char SQL_INSERT[] = "INSERT INTO entries (writer, round) VALUES (?1, ?2)";
static const char SQL_SEEN[] = "SELECT count(*) FROM entries WHERE writer = ?1 AND round = ?2";
static const char SQL_COUNT[] = "SELECT count(*) FROM entries WHERE writer = ?1";
static const char SQL_DUPLICATE[] = "INSERT INTO entries (writer, round) VALUES (?1, -1)";

static int64_t count_of(struct db *db, const char *sql, int writer, int round)
{
    struct db_stmt *stmt = db_prepare(db, sql);
    assert_non_null(stmt);
    db_bind_int64(stmt, 1, writer);
    if (round >= 0)
        db_bind_int64(stmt, 2, round);
    assert_int_equal(db_step(stmt), DB_ROW);
    int64_t n = db_column_int64(stmt, 0);
    db_reset(stmt);
    return n;
}

static bool insert(struct db *db, const char *sql, int writer, int round)
{
    struct db_stmt *stmt = db_prepare(db, sql);
    assert_non_null(stmt);
    db_bind_int64(stmt, 1, writer);
    if (round >= 0)
        db_bind_int64(stmt, 2, round);
    return db_exec_stmt(stmt) == DB_DONE;
}

static void *write_rounds(void *arg)
{
    struct writer *w = arg;
    char err[256];
    struct db *db = db_connect(w->engine, err, sizeof(err));
    assert_non_null(db);
    pthread_barrier_wait(w->start);
    for (int round = 0; round < ROUNDS; round++) {
        assert_true(db_begin_write(db));
        assert_true(insert(db, SQL_INSERT, w->number, round));
        if (round % 7 == 3) { /* changes its mind: nothing of this round may stay */
            db_rollback(db);
            continue;
        }
        if (round % 11 == 5) { /* the row of round -1 exists: refused, and rolled back whole */
            if (!insert(db, SQL_DUPLICATE, w->number, -1)) {
                w->refused++;
                db_rollback(db);
                continue;
            }
        }
        if (!db_commit(db)) {
            w->commit_failures++;
            continue;
        }
        w->committed++;
        if (count_of(db, SQL_SEEN, w->number, round) == 1)
            w->seen_at_once++;
    }
    db_close(db);
    return NULL;
}

static void concurrent_writers_keep_exactly_what_was_committed(void **state)
{
    (void)state;
    char path[64], err[256];
    snprintf(path, sizeof(path), "/tmp/npq-db-test-%d.db", (int)getpid());
    unlink(path);
    struct db_engine *engine = db_engine_open(path, err, sizeof(err));
    assert_non_null(engine);
    struct db *setup = db_connect(engine, err, sizeof(err));
    assert_non_null(setup);
    assert_true(db_begin_write(setup));
    assert_true(db_exec_script(setup, "CREATE TABLE entries (writer INTEGER NOT NULL, round INTEGER NOT NULL, "
                                      "UNIQUE (writer, round))"));
    for (int i = 0; i < WRITERS; i++)
        assert_true(insert(setup, SQL_DUPLICATE, i, -1));
    assert_true(db_commit(setup));

    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, WRITERS);
    struct writer writers[WRITERS];
    pthread_t threads[WRITERS];
    for (int i = 0; i < WRITERS; i++) {
        writers[i] = (struct writer){.engine = engine, .number = i, .start = &start};
        assert_int_equal(pthread_create(&threads[i], NULL, write_rounds, &writers[i]), 0);
    }
    for (int i = 0; i < WRITERS; i++)
        pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&start);

    int expected_committed = 0, expected_refused = 0;
    for (int round = 0; round < ROUNDS; round++)
        if (round % 7 != 3) {
            if (round % 11 == 5)
                expected_refused++;
            else
                expected_committed++;
        }
    for (int i = 0; i < WRITERS; i++) {
        assert_int_equal(writers[i].commit_failures, 0);
        assert_int_equal(writers[i].committed, expected_committed);
        assert_int_equal(writers[i].refused, expected_refused);
        assert_int_equal(writers[i].seen_at_once, writers[i].committed);
        /* Its committed rounds and the row of round -1, nothing rolled back or refused. */
        assert_int_equal(count_of(setup, SQL_COUNT, i, -1), expected_committed + 1);
    }
    db_close(setup);
    db_engine_close(engine);
    char extra[80];
    unlink(path);
    snprintf(extra, sizeof(extra), "%s-wal", path);
    unlink(extra);
    snprintf(extra, sizeof(extra), "%s-shm", path);
    unlink(extra);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(concurrent_writers_keep_exactly_what_was_committed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
