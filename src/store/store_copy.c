/*
 * Moving a provider from SQLite to PostgreSQL: every table of one database copied into another
 * of the same schema, files (the blob store's chunks) included, then checked.
 *
 * It is the one part of the store whose SQL is not a constant: it walks whatever tables the
 * source's schema has, so each table's statements are built here, once, and kept until the copy
 * ends (the drivers cache statements by the address of their text, so a text must outlive its
 * connection: both connections are opened and closed here, and the texts live in the caller's
 * arena, released after).
 *
 * Re-running is safe because a row is written by its primary key: INSERT ... ON CONFLICT (key)
 * DO UPDATE ... WHERE the row differs. A row already copied and unchanged is not written, so a
 * second run reports nothing copied; a row the target's own migrations made (the secret, the
 * revision counters, the provider's forum) takes the source's values, which is what a move
 * needs. A target holding more rows of a table than the source holds another provider's data,
 * or data written since the move, and is refused before anything is written: overwriting it
 * would lose what only it has.
 *
 * The target's triggers are turned off for each batch's transaction (DISABLE TRIGGER USER, undone
 * before it commits): the rows copied already hold what triggers would derive (totals, revisions,
 * audit entries), and the audit log's triggers refuse the updates a re-run may make. Foreign keys
 * stay on, so tables are copied parents first.
 */
#include "store/store_internal.h"

#include "lib/buf.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

enum {
    BATCH_ROWS = 1000,              /* rows per target transaction */
    BATCH_BYTES = 16 * 1024 * 1024, /* or fewer, when the rows are large (blob chunks) */
    COPY_COLUMNS_MAX = 32,          /* the most parameters a query may take (db_postgres.c) */
};

struct copy_column {
    const char *name;
    bool bytes; /* bytea on the target: bound as a blob */
    bool key;
};

struct copy_table {
    const char *name;
    struct copy_column *columns;
    int column_count;
    const char **parents;
    int parent_count;
    bool placed;
    const char *select_sql, *insert_sql, *count_sql;
};

static const char SQL_SOURCE_TABLES[] =
    "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' "
    "ORDER BY name";
static const char SQL_SOURCE_COLUMNS[] = "SELECT name, pk FROM pragma_table_info(?1) ORDER BY cid";
static const char SQL_SOURCE_PARENTS[] = "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?1)";
static const char SQL_TARGET_COLUMNS[] =
    "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() "
    "AND table_name = ?1 AND is_generated = 'NEVER'";
/* Every sequence behind a column (identity or serial) set past the largest value copied, so the
 * next row the server inserts takes a new id. */
static const char SQL_TARGET_RESET_SEQUENCES[] =
    "DO $$ DECLARE r record; BEGIN "
    "FOR r IN SELECT c.table_name AS t, c.column_name AS c, "
    "pg_get_serial_sequence(format('%I', c.table_name), c.column_name) AS s "
    "FROM information_schema.columns c WHERE c.table_schema = current_schema() LOOP "
    "IF r.s IS NOT NULL THEN "
    "EXECUTE format('SELECT setval(%L, coalesce((SELECT max(%I) FROM %I), 0) + 1, false)', r.s, r.c, r.t); "
    "END IF; END LOOP; END $$";
static const char SQL_TARGET_BLOBS[] = "SELECT id, sha256, size FROM blobs WHERE sha256 IS NOT NULL ORDER BY id";
static const char SQL_TARGET_CHUNKS[] = "SELECT data FROM blob_chunks WHERE blob_id = ?1 ORDER BY seq";

static enum store_status fail(char *err, size_t err_size, const char *what, const char *detail)
{
    snprintf(err, err_size, "%s: %s", what, detail);
    return STORE_ERROR;
}

/* arena_grow for a list that may not have started yet */
static void *grow(struct arena *arena, const void *old, size_t *cap, size_t size)
{
    if (*cap == 0) {
        *cap = 16;
        return arena_alloc(arena, size * *cap);
    }
    return arena_grow(arena, old, cap, size);
}

static const char *sql_of(struct arena *arena, struct buf *b)
{
    if (buf_failed(b))
        return NULL;
    return arena_strndup(arena, b->data != NULL ? b->data : "", b->len);
}

/* The columns and parents of table name, as the source has them and the target takes them. */
static enum store_status describe(struct store *from, struct store *to, struct arena *arena, struct copy_table *t,
                                  char *err, size_t err_size)
{
    struct db_stmt *s = db_prepare(from->db, SQL_SOURCE_COLUMNS);
    if (s == NULL)
        return fail(err, err_size, "reading the source's columns", db_error(from->db));
    db_bind_text(s, 1, t->name);
    size_t cap = 0;
    enum db_result r;
    while ((r = db_step(s)) == DB_ROW) {
        if ((size_t)t->column_count == cap)
            t->columns = grow(arena, t->columns, &cap, sizeof(*t->columns));
        t->columns[t->column_count++] = (struct copy_column){
            .name = arena_strdup(arena, db_column_text(s, 0)),
            .key = db_column_int64(s, 1) > 0,
        };
    }
    if (r != DB_DONE)
        return fail(err, err_size, "reading the source's columns", db_error(from->db));
    if (t->column_count > COPY_COLUMNS_MAX) {
        snprintf(err, err_size, "table %s has more than %d columns", t->name, COPY_COLUMNS_MAX);
        return STORE_ERROR;
    }

    s = db_prepare(from->db, SQL_SOURCE_PARENTS);
    if (s == NULL)
        return fail(err, err_size, "reading the source's foreign keys", db_error(from->db));
    db_bind_text(s, 1, t->name);
    cap = 0;
    while ((r = db_step(s)) == DB_ROW) {
        if ((size_t)t->parent_count == cap)
            t->parents = grow(arena, t->parents, &cap, sizeof(*t->parents));
        t->parents[t->parent_count++] = arena_strdup(arena, db_column_text(s, 0));
    }
    if (r != DB_DONE)
        return fail(err, err_size, "reading the source's foreign keys", db_error(from->db));

    /* Each source column must be one the target takes: a column the target lacks (or computes
     * itself) means the two schemas differ, and the copy would lose it. */
    bool found[COPY_COLUMNS_MAX] = {false};
    s = db_prepare(to->db, SQL_TARGET_COLUMNS);
    if (s == NULL)
        return fail(err, err_size, "reading the target's columns", db_error(to->db));
    db_bind_text(s, 1, t->name);
    while ((r = db_step(s)) == DB_ROW) {
        const char *name = db_column_text(s, 0);
        for (int i = 0; i < t->column_count; i++)
            if (strcmp(t->columns[i].name, name) == 0) {
                found[i] = true;
                t->columns[i].bytes = strcmp(db_column_text(s, 1), "bytea") == 0;
            }
    }
    if (r != DB_DONE)
        return fail(err, err_size, "reading the target's columns", db_error(to->db));
    for (int i = 0; i < t->column_count; i++)
        if (!found[i]) {
            snprintf(err, err_size, "the target has no column %s.%s that it would fill: its schema differs", t->name,
                     t->columns[i].name);
            return STORE_ERROR;
        }
    return STORE_OK;
}

/* The table's three statements: read every row in key order, write one, count them. */
static enum store_status build_sql(struct arena *arena, struct copy_table *t, char *err, size_t err_size)
{
    struct buf b;
    buf_init(&b, 64 * 1024);
    bool keyed = false;
    buf_append_str(&b, "SELECT ");
    for (int i = 0; i < t->column_count; i++)
        buf_appendf(&b, "%s\"%s\"", i > 0 ? ", " : "", t->columns[i].name);
    buf_appendf(&b, " FROM \"%s\" ORDER BY ", t->name);
    for (int i = 0, n = 0; i < t->column_count; i++)
        if (t->columns[i].key) {
            buf_appendf(&b, "%s\"%s\"", n++ > 0 ? ", " : "", t->columns[i].name);
            keyed = true;
        }
    if (!keyed)
        buf_append_str(&b, "rowid");
    t->select_sql = sql_of(arena, &b);

    buf_reset(&b);
    buf_appendf(&b, "INSERT INTO \"%s\" (", t->name);
    for (int i = 0; i < t->column_count; i++)
        buf_appendf(&b, "%s\"%s\"", i > 0 ? ", " : "", t->columns[i].name);
    buf_append_str(&b, ") OVERRIDING SYSTEM VALUE VALUES (");
    for (int i = 0; i < t->column_count; i++)
        buf_appendf(&b, "%s?%d", i > 0 ? ", " : "", i + 1);
    buf_append_str(&b, ")");
    if (keyed) {
        buf_append_str(&b, " ON CONFLICT (");
        for (int i = 0, n = 0; i < t->column_count; i++)
            if (t->columns[i].key)
                buf_appendf(&b, "%s\"%s\"", n++ > 0 ? ", " : "", t->columns[i].name);
        buf_append_str(&b, ")");
        int others = 0;
        for (int i = 0; i < t->column_count; i++)
            others += !t->columns[i].key;
        if (others == 0) {
            buf_append_str(&b, " DO NOTHING");
        } else {
            buf_append_str(&b, " DO UPDATE SET ");
            for (int i = 0, n = 0; i < t->column_count; i++)
                if (!t->columns[i].key)
                    buf_appendf(&b, "%s\"%s\" = excluded.\"%s\"", n++ > 0 ? ", " : "", t->columns[i].name,
                                t->columns[i].name);
            /* ROW(...) even for one column: a lone parenthesised column is not a row */
            buf_append_str(&b, " WHERE ROW(");
            for (int i = 0, n = 0; i < t->column_count; i++)
                if (!t->columns[i].key)
                    buf_appendf(&b, "%s\"%s\".\"%s\"", n++ > 0 ? ", " : "", t->name, t->columns[i].name);
            buf_append_str(&b, ") IS DISTINCT FROM ROW(");
            for (int i = 0, n = 0; i < t->column_count; i++)
                if (!t->columns[i].key)
                    buf_appendf(&b, "%sexcluded.\"%s\"", n++ > 0 ? ", " : "", t->columns[i].name);
            buf_append_str(&b, ")");
        }
    }
    t->insert_sql = sql_of(arena, &b);

    buf_reset(&b);
    buf_appendf(&b, "SELECT count(*) FROM \"%s\"", t->name);
    t->count_sql = sql_of(arena, &b);
    bool ok = !buf_failed(&b) && t->select_sql != NULL && t->insert_sql != NULL;
    buf_free(&b);
    if (!ok) {
        snprintf(err, err_size, "the statements for table %s are too long", t->name);
        return STORE_ERROR;
    }
    return STORE_OK;
}

static enum store_status count_rows(struct store *store, const struct copy_table *t, int64_t *rows, char *err,
                                    size_t err_size)
{
    struct db_stmt *s = db_prepare(store->db, t->count_sql);
    if (s == NULL || db_step(s) != DB_ROW)
        return fail(err, err_size, "counting rows", db_error(store->db));
    *rows = db_column_int64(s, 0);
    db_reset(s);
    return STORE_OK;
}

/* Tables in an order where every table comes after those its foreign keys name. */
static enum store_status order_tables(struct copy_table *tables, size_t count, struct copy_table **order, char *err,
                                      size_t err_size)
{
    for (size_t placed = 0; placed < count;) {
        size_t before = placed;
        for (size_t i = 0; i < count; i++) {
            struct copy_table *t = &tables[i];
            if (t->placed)
                continue;
            bool ready = true;
            for (int p = 0; p < t->parent_count && ready; p++)
                for (size_t j = 0; j < count; j++)
                    if (!tables[j].placed && &tables[j] != t && strcmp(tables[j].name, t->parents[p]) == 0)
                        ready = false;
            if (ready) {
                t->placed = true;
                order[placed++] = t;
            }
        }
        if (placed == before) {
            snprintf(err, err_size, "the source's foreign keys form a cycle: no order copies parents first");
            return STORE_ERROR;
        }
    }
    return STORE_OK;
}

static bool set_triggers(struct store *to, const struct copy_table *t, bool on)
{
    char sql[256];
    snprintf(sql, sizeof(sql), "ALTER TABLE \"%s\" %s TRIGGER USER", t->name, on ? "ENABLE" : "DISABLE");
    return db_exec_script(to->db, sql);
}

static bool batch_begin(struct store *to, const struct copy_table *t)
{
    if (!db_begin_write(to->db))
        return false;
    if (!set_triggers(to, t, false)) {
        db_rollback(to->db);
        return false;
    }
    return true;
}

static bool batch_end(struct store *to, const struct copy_table *t)
{
    if (!set_triggers(to, t, true)) {
        db_rollback(to->db);
        return false;
    }
    return db_commit(to->db);
}

/* Copies every row of t, in batches; *copied says how many the target did not hold as they are. */
static enum store_status copy_table(struct store *from, struct store *to, const struct copy_table *t, int64_t *copied,
                                    char *err, size_t err_size)
{
    *copied = 0;
    struct db_stmt *read = db_prepare(from->db, t->select_sql);
    if (read == NULL)
        return fail(err, err_size, t->name, db_error(from->db));
    if (!batch_begin(to, t))
        return fail(err, err_size, t->name, db_error(to->db));
    size_t rows = 0, bytes = 0;
    enum db_result r;
    while ((r = db_step(read)) == DB_ROW) {
        struct db_stmt *write = db_prepare(to->db, t->insert_sql);
        if (write == NULL)
            goto failed_target;
        for (int i = 0; i < t->column_count; i++) {
            if (db_column_is_null(read, i)) {
                db_bind_null(write, i + 1);
            } else if (t->columns[i].bytes) {
                size_t len = db_column_bytes(read, i);
                db_bind_blob(write, i + 1, db_column_blob(read, i), len);
                bytes += len;
            } else {
                db_bind_text(write, i + 1, db_column_text(read, i));
                bytes += db_column_bytes(read, i);
            }
        }
        if (db_exec_stmt(write) != DB_DONE)
            goto failed_target;
        *copied += db_changes(to->db);
        if (++rows >= BATCH_ROWS || bytes >= BATCH_BYTES) {
            if (!batch_end(to, t) || !batch_begin(to, t))
                goto failed_target_ended;
            rows = bytes = 0;
        }
    }
    if (r != DB_DONE) {
        db_rollback(to->db);
        return fail(err, err_size, t->name, db_error(from->db));
    }
    if (!batch_end(to, t))
        goto failed_target_ended;
    return STORE_OK;

failed_target:
    snprintf(err, err_size, "%s: %s", t->name, db_error(to->db));
    db_rollback(to->db);
    db_reset(read);
    return STORE_ERROR;
failed_target_ended:
    snprintf(err, err_size, "%s: %s", t->name, db_error(to->db));
    db_reset(read);
    return STORE_ERROR;
}

/* Every whole blob on the target read back from its chunks: their SHA-256 and length must be the
 * ones the blob row names. */
static enum store_status check_files(struct store *to, struct arena *arena, struct store_copy_report *report, char *err,
                                     size_t err_size)
{
    struct db_stmt *blobs = db_prepare(to->db, SQL_TARGET_BLOBS);
    if (blobs == NULL)
        return fail(err, err_size, "checking files", db_error(to->db));
    struct {
        int64_t id, size;
        const char *sha256;
    } *list = NULL;
    size_t count = 0, cap = 0;
    enum db_result r;
    while ((r = db_step(blobs)) == DB_ROW) {
        if (count == cap)
            list = grow(arena, list, &cap, sizeof(*list));
        list[count].id = db_column_int64(blobs, 0);
        list[count].sha256 = arena_strdup(arena, db_column_text(blobs, 1));
        list[count].size = db_column_int64(blobs, 2);
        count++;
    }
    if (r != DB_DONE)
        return fail(err, err_size, "checking files", db_error(to->db));
    for (size_t i = 0; i < count; i++) {
        crypto_hash_sha256_state hash;
        crypto_hash_sha256_init(&hash);
        int64_t size = 0;
        struct db_stmt *chunks = db_prepare(to->db, SQL_TARGET_CHUNKS);
        if (chunks == NULL)
            return fail(err, err_size, "checking files", db_error(to->db));
        db_bind_int64(chunks, 1, list[i].id);
        while ((r = db_step(chunks)) == DB_ROW) {
            size_t len = db_column_bytes(chunks, 0);
            crypto_hash_sha256_update(&hash, db_column_blob(chunks, 0), len);
            size += (int64_t)len;
        }
        if (r != DB_DONE)
            return fail(err, err_size, "checking files", db_error(to->db));
        unsigned char digest[crypto_hash_sha256_BYTES];
        crypto_hash_sha256_final(&hash, digest);
        char hex[crypto_hash_sha256_BYTES * 2 + 1];
        sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
        if (size != list[i].size || strcmp(hex, list[i].sha256) != 0) {
            snprintf(err, err_size,
                     "blob %lld on the target reads %lld bytes with SHA-256 %s from its chunks, not the %lld bytes "
                     "and %s it should",
                     (long long)list[i].id, (long long)size, hex, (long long)list[i].size, list[i].sha256);
            return STORE_ERROR;
        }
        report->files_checked++;
        report->file_bytes += size;
    }
    return STORE_OK;
}

static enum store_status copy_all(struct store *from, struct store *to, struct arena *arena,
                                  struct store_copy_report *report, char *err, size_t err_size)
{
    if (strcmp(db_dialect(from->db), "sqlite") != 0 || strcmp(db_dialect(to->db), "postgres") != 0) {
        snprintf(err, err_size, "a copy goes from a SQLite file to a PostgreSQL database");
        return STORE_ERROR;
    }
    int version;
    if (store_migrate(from, &version) != STORE_OK)
        return fail(err, err_size, "migrating the source", db_error(from->db));
    if (store_migrate(to, &version) != STORE_OK)
        return fail(err, err_size, "migrating the target", db_error(to->db));

    struct db_stmt *s = db_prepare(from->db, SQL_SOURCE_TABLES);
    if (s == NULL)
        return fail(err, err_size, "listing the source's tables", db_error(from->db));
    struct copy_table *tables = NULL;
    size_t count = 0, cap = 0;
    enum db_result r;
    while ((r = db_step(s)) == DB_ROW) {
        if (count == cap)
            tables = grow(arena, tables, &cap, sizeof(*tables));
        tables[count++] = (struct copy_table){.name = arena_strdup(arena, db_column_text(s, 0))};
    }
    if (r != DB_DONE)
        return fail(err, err_size, "listing the source's tables", db_error(from->db));
    enum store_status status = STORE_OK;
    for (size_t i = 0; i < count && status == STORE_OK; i++) {
        status = describe(from, to, arena, &tables[i], err, err_size);
        if (status == STORE_OK)
            status = build_sql(arena, &tables[i], err, err_size);
    }
    if (status != STORE_OK)
        return status;
    struct copy_table **order = arena_alloc(arena, sizeof(*order) * (count + 1));
    if ((status = order_tables(tables, count, order, err, err_size)) != STORE_OK)
        return status;

    report->tables = arena_alloc(arena, sizeof(*report->tables) * (count + 1));
    report->table_count = count;
    /* The source is read in one snapshot, so what is copied and what is counted agree even if
     * something writes to it meanwhile. */
    if (!db_begin_read(from->db))
        return fail(err, err_size, "reading the source", db_error(from->db));
    for (size_t i = 0; i < count && status == STORE_OK; i++) {
        struct store_copy_table *out = &report->tables[i];
        *out = (struct store_copy_table){.name = order[i]->name};
        status = count_rows(from, order[i], &out->source_rows, err, err_size);
        if (status == STORE_OK)
            status = count_rows(to, order[i], &out->target_rows, err, err_size);
        if (status == STORE_OK && out->target_rows > out->source_rows) {
            snprintf(err, err_size,
                     "the target holds %lld rows of %s and the source %lld: it holds data the source does not, "
                     "which a copy would mix with the source's; copy into a new database",
                     (long long)out->target_rows, out->name, (long long)out->source_rows);
            status = STORE_CONFLICT;
        }
    }
    for (size_t i = 0; i < count && status == STORE_OK; i++) {
        struct store_copy_table *out = &report->tables[i];
        status = copy_table(from, to, order[i], &out->copied, err, err_size);
        report->copied += out->copied;
    }
    if (status == STORE_OK) {
        if (!db_begin_write(to->db) || !db_exec_script(to->db, SQL_TARGET_RESET_SEQUENCES) || !db_commit(to->db)) {
            status = fail(err, err_size, "resetting the target's sequences", db_error(to->db));
            db_rollback(to->db);
        }
    }
    for (size_t i = 0; i < count && status == STORE_OK; i++) {
        struct store_copy_table *out = &report->tables[i];
        status = count_rows(to, order[i], &out->target_rows, err, err_size);
        if (status == STORE_OK && out->target_rows != out->source_rows) {
            snprintf(err, err_size, "the target holds %lld rows of %s after the copy, not the source's %lld",
                     (long long)out->target_rows, out->name, (long long)out->source_rows);
            status = STORE_ERROR;
        }
    }
    db_rollback(from->db); /* ends the read */
    if (status == STORE_OK)
        status = check_files(to, arena, report, err, err_size);
    return status;
}

enum store_status store_copy(const char *from_location, const char *to_location, struct arena *arena,
                             struct store_copy_report *report, char *err, size_t err_size)
{
    *report = (struct store_copy_report){0};
    struct store *from = store_open(from_location, err, err_size);
    if (from == NULL)
        return STORE_ERROR;
    struct store *to = store_open(to_location, err, err_size);
    if (to == NULL) {
        store_close(from);
        return STORE_ERROR;
    }
    enum store_status status = copy_all(from, to, arena, report, err, err_size);
    store_close(to);
    store_close(from);
    return status;
}
