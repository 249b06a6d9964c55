/*
 * The PostgreSQL driver, on libpq.
 *
 * Each handle is a connection of its own, used by one thread at a time, so a query waits only on
 * the thread that runs it, never on an event loop: the loops' handles never query (db_never_wait,
 * below), and everything else runs on pool, mail and command-line threads. A write transaction is
 * a plain BEGIN at READ COMMITTED (PostgreSQL commits concurrent transactions in groups itself),
 * and the rules that concurrent writers could break are single conditional statements or
 * constraints (db.h), so nothing here serialises writers. Outside a transaction a connection is
 * read-only (default_transaction_read_only), which refuses a stray write as SQLite's read
 * connections do.
 *
 * Statements: the store's "?N" parameters become "$N" and each query is prepared on first use,
 * once per connection and per pattern of bound types (an integer binds as int8 and a blob as
 * bytea, so "?1 IS NULL OR x = ?1" needs no cast; text and NULL leave the type to the query).
 * A step runs the statement and keeps its whole result, so the store may run other statements
 * while it walks the rows, as it does on SQLite. Results come as text: integers and booleans
 * ("t", "f") are read from it, and bytea is decoded from its hex form when a blob is asked for.
 *
 * Following: a loop's handle never queries (below), so what the loops check on every request (the
 * revisions caches follow) is kept in memory by the store, and a thread of the engine keeps it
 * current across processes: it LISTENs on a connection of its own to the channel the schema's
 * triggers NOTIFY when a revision moves (migration 029), and has the store read the revisions
 * again after each notification. PostgreSQL signals listeners when the change commits, so
 * another server learns of it within a round trip.
 *
 * Errors: class 23 (integrity constraint violation, which the triggers of the audit log and of
 * submitted versions raise too) is DB_CONSTRAINT; a deadlock or serialization failure (40P01,
 * 40001) is, like any other failure, DB_ERROR or a false begin or commit, which db.h says may be
 * retried whole.
 */
#include "store/db_driver.h"

#include "lib/die.h"

#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
    STATEMENT_SLOTS = 2048, /* per connection; a power of two, well above the number of queries */
    PARAMS_MAX = 32,        /* the most parameters one query of the store takes */
    VARIANTS_MAX = 8,       /* patterns of bound types one query is prepared for */
    COLUMNS_MAX = 64,       /* columns whose bytea is decoded; a query of the store has fewer */
    OID_BOOL = 16,
    OID_BYTEA = 17,
    OID_INT8 = 20,
    OID_TEXT = 25,
    KEY_NULL = 1,           /* no Oid is 1 */
    SCHEMA_LOCK = 0x6e7071, /* "npq": the advisory lock migrations take */
};

struct variant {
    unsigned int types[PARAMS_MAX]; /* what was bound: an Oid, 0 for text, KEY_NULL for NULL */
    char name[24];                  /* of the prepared statement on the connection */
};

struct param {
    char *value; /* NULL for SQL NULL */
    int length;
    int format;        /* 1 for a blob, sent as bytes */
    unsigned int type; /* Oid, as in struct variant */
    char number[24];   /* an integer's text, which value points into */
};

struct pg_stmt {
    struct db_stmt base;
    struct pg_db *db;
    const char *sql; /* the store's text, the key */
    char *text;      /* the same with "$N" */
    int params;      /* the highest N */
    struct variant variants[VARIANTS_MAX];
    int variant_count;
    struct param bound[PARAMS_MAX];
    PGresult *result; /* of the run being walked; NULL before the first step */
    int row;          /* the current row, -1 before the first */
    int rows;
    struct {
        unsigned char *data; /* a bytea column of the current row, decoded */
        size_t len;
    } decoded[COLUMNS_MAX];
};

struct pg_follower {
    struct pg_engine *engine;
    char *listen;     /* the LISTEN statement */
    struct pg_db *db; /* NULL while the connection is lost */
    db_change_listener changed;
    void *arg;
    int wake[2]; /* a pipe: a byte on it stops the thread */
    pthread_t thread;
};

struct pg_engine {
    struct db_engine base;
    char *location;
    db_commit_hook hook;
    void *hook_arg;
    struct pg_follower *follower;
};

struct pg_db {
    struct db base;
    struct pg_engine *engine;
    PGconn *conn;
    struct {
        const char *sql;
        struct pg_stmt *stmt;
    } slots[STATEMENT_SLOTS];
    size_t used;
    unsigned prepared; /* statements prepared, for their names */
    bool writing, reading;
    bool never_wait;
    bool stepped;           /* a statement was stepped since the last db_busy_statement */
    unsigned int text_type; /* the Oid open text parameters are given (citext), 0 until looked up */
    int64_t changes;
    char error[512];
};

#define ENGINE(x) ((struct pg_engine *)(x))
#define HANDLE(x) ((struct pg_db *)(x))
#define STMT(x) ((struct pg_stmt *)(x))

static void record_error(struct pg_db *db, const char *what, const PGresult *result)
{
    const char *message = result != NULL ? PQresultErrorMessage(result) : "";
    if (message == NULL || *message == '\0')
        message = PQerrorMessage(db->conn);
    snprintf(db->error, sizeof(db->error), "%s: %s", what, message);
    size_t n = strlen(db->error);
    while (n > 0 && db->error[n - 1] == '\n')
        db->error[--n] = '\0';
}

/* Runs a statement without parameters; true when it did what it should. */
static bool run(struct pg_db *db, const char *sql)
{
    PGresult *r = PQexec(db->conn, sql);
    ExecStatusType status = PQresultStatus(r);
    bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
    if (!ok)
        record_error(db, sql, r);
    PQclear(r);
    return ok;
}

static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static PGconn *connect_to(const char *location, char *err, size_t err_size)
{
    PGconn *conn = PQconnectdb(location);
    if (PQstatus(conn) != CONNECTION_OK) {
        snprintf(err, err_size, "cannot connect to %s: %s", location, PQerrorMessage(conn));
        size_t n = strlen(err);
        while (n > 0 && err[n - 1] == '\n')
            err[--n] = '\0';
        PQfinish(conn);
        return NULL;
    }
    PQsetNoticeProcessor(conn, ignore_notice, NULL); /* "already exists, skipping" and the like */
    return conn;
}

/*
 * Creates the database a location names when the server has none of that name, connecting to
 * the server's "postgres" database to do it, as SQLite creates a missing file. Two processes
 * creating it at once both succeed (the second finds it made).
 */
static bool create_database(const char *location, char *err, size_t err_size)
{
    PQconninfoOption *options = PQconninfoParse(location, NULL);
    if (options == NULL) {
        snprintf(err, err_size, "cannot read the address %s", location);
        return false;
    }
    const char *keys[64], *values[64];
    const char *name = NULL;
    int n = 0;
    for (PQconninfoOption *o = options; o->keyword != NULL && n < 62; o++) {
        if (o->val == NULL)
            continue;
        if (strcmp(o->keyword, "dbname") == 0) {
            name = o->val;
            continue;
        }
        keys[n] = o->keyword;
        values[n++] = o->val;
    }
    keys[n] = "dbname";
    values[n++] = "postgres";
    keys[n] = NULL;
    values[n] = NULL;
    bool ok = false;
    PGconn *conn = NULL;
    if (name == NULL) {
        snprintf(err, err_size, "the address %s names no database", location);
        goto out;
    }
    conn = PQconnectdbParams(keys, values, 0);
    if (PQstatus(conn) != CONNECTION_OK) {
        snprintf(err, err_size, "cannot connect to the server of %s: %s", location, PQerrorMessage(conn));
        goto out;
    }
    char *quoted = PQescapeIdentifier(conn, name, strlen(name));
    if (quoted == NULL) {
        snprintf(err, err_size, "cannot quote the database name %s", name);
        goto out;
    }
    char sql[512];
    snprintf(sql, sizeof(sql), "CREATE DATABASE %s", quoted);
    PQfreemem(quoted);
    PGresult *r = PQexec(conn, sql);
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    /* 42P04: made meanwhile by another process; 23505: the same, caught in the catalogue */
    ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
         (state != NULL && (strcmp(state, "42P04") == 0 || strcmp(state, "23505") == 0));
    if (!ok)
        snprintf(err, err_size, "cannot create the database %s: %s", name, PQresultErrorMessage(r));
    PQclear(r);
out:
    PQfinish(conn);
    PQconninfoFree(options);
    return ok;
}

static struct db_engine *pg_engine_open(const char *location, char *err, size_t err_size)
{
    PGconn *conn = PQconnectdb(location);
    if (PQstatus(conn) != CONNECTION_OK) {
        /* 3D000 is not reported on a connection; its message is the one sign of a missing database */
        bool missing = strstr(PQerrorMessage(conn), "does not exist") != NULL;
        PQfinish(conn);
        if (!missing || !create_database(location, err, err_size)) {
            if (!missing)
                connect_to(location, err, err_size);
            return NULL;
        }
        conn = connect_to(location, err, err_size);
        if (conn == NULL)
            return NULL;
    }
    PQfinish(conn);
    struct pg_engine *e = calloc(1, sizeof(*e));
    if (e == NULL)
        die("out of memory");
    e->base.driver = &db_postgres_driver;
    e->location = strdup(location);
    if (e->location == NULL)
        die("out of memory");
    return &e->base;
}

static void follower_stop(struct pg_follower *f);

static void pg_engine_close(struct db_engine *base)
{
    struct pg_engine *e = ENGINE(base);
    if (e->follower != NULL)
        follower_stop(e->follower);
    free(e->location);
    free(e);
}

static void pg_engine_set_commit_hook(struct db_engine *base, db_commit_hook hook, void *arg)
{
    struct pg_engine *e = ENGINE(base);
    e->hook = hook;
    e->hook_arg = arg;
}

static struct db *pg_connect(struct db_engine *base, char *err, size_t err_size)
{
    struct pg_engine *e = ENGINE(base);
    PGconn *conn = connect_to(e->location, err, err_size);
    if (conn == NULL)
        return NULL;
    struct pg_db *db = calloc(1, sizeof(*db));
    if (db == NULL)
        die("out of memory");
    db->base.driver = &db_postgres_driver;
    db->engine = e;
    db->conn = conn;
    /* Outside a write transaction nothing writes; times and text as the store reads them. */
    if (!run(db, "SET default_transaction_read_only = on; SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'")) {
        snprintf(err, err_size, "cannot set up a connection to %s: %s", e->location, db->error);
        PQfinish(conn);
        free(db);
        return NULL;
    }
    return &db->base;
}

static void clear_result(struct pg_stmt *s)
{
    PQclear(s->result);
    s->result = NULL;
    s->row = -1;
    s->rows = 0;
    for (int i = 0; i < COLUMNS_MAX; i++) {
        free(s->decoded[i].data);
        s->decoded[i].data = NULL;
    }
}

static void unbind(struct pg_stmt *s)
{
    for (int i = 0; i < s->params; i++) {
        struct param *p = &s->bound[i];
        if (p->value != p->number)
            free(p->value);
        *p = (struct param){0};
    }
}

static void stmt_free(struct pg_stmt *s)
{
    clear_result(s);
    unbind(s);
    free(s->text);
    free(s);
}

static void pg_rollback(struct db *base);

static void pg_close(struct db *base)
{
    struct pg_db *db = HANDLE(base);
    if (db->writing || db->reading)
        pg_rollback(base);
    for (size_t i = 0; i < STATEMENT_SLOTS; i++)
        if (db->slots[i].stmt != NULL)
            stmt_free(db->slots[i].stmt);
    PQfinish(db->conn);
    free(db);
}

/*
 * A loop's handle, which must never wait, asks nothing of PostgreSQL: even a read is a round trip
 * to the server, which would hold up every connection of the loop. Its statements fail at once,
 * so what the loop would have read (the access revision, to trust a cached caller) is looked up
 * on a pool thread instead.
 */
static bool pg_never_wait(struct db *base)
{
    HANDLE(base)->never_wait = true;
    return false;
}

static const char *pg_error(const struct db *base)
{
    return ((const struct pg_db *)base)->error;
}

static size_t slot_of(const char *sql)
{
    uintptr_t p = (uintptr_t)sql;
    return (size_t)((p >> 3) * UINT64_C(0x9E3779B97F4A7C15) >> 40) & (STATEMENT_SLOTS - 1);
}

/* The store's SQL with "$N" for each "?N" outside quotes; the highest N in *params. */
static char *rewrite(const char *sql, int *params)
{
    size_t len = strlen(sql);
    char *out = malloc(len + 1);
    if (out == NULL)
        die("out of memory");
    size_t o = 0;
    char quote = 0;
    *params = 0;
    for (size_t i = 0; i < len; i++) {
        char c = sql[i];
        if (quote != 0) {
            if (c == quote)
                quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '?' && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
            c = '$';
            int n = 0;
            for (size_t j = i + 1; sql[j] >= '0' && sql[j] <= '9'; j++)
                n = n * 10 + (sql[j] - '0');
            if (n > *params)
                *params = n;
        }
        out[o++] = c;
    }
    out[o] = '\0';
    return out;
}

static struct db_stmt *pg_prepare(struct db *base, const char *sql)
{
    struct pg_db *db = HANDLE(base);
    if (db->never_wait) {
        snprintf(db->error, sizeof(db->error), "this handle never waits, and a PostgreSQL query may");
        return NULL;
    }
    size_t i = slot_of(sql);
    while (db->slots[i].sql != NULL && db->slots[i].sql != sql)
        i = (i + 1) & (STATEMENT_SLOTS - 1);
    struct pg_stmt *s = db->slots[i].stmt;
    if (s == NULL) {
        if (db->used >= STATEMENT_SLOTS / 2)
            die("statement cache full: raise STATEMENT_SLOTS");
        s = calloc(1, sizeof(*s));
        if (s == NULL)
            die("out of memory");
        s->base.driver = &db_postgres_driver;
        s->db = db;
        s->sql = sql;
        s->text = rewrite(sql, &s->params);
        s->row = -1;
        if (s->params > PARAMS_MAX)
            die("a query takes more than %d parameters: raise PARAMS_MAX", PARAMS_MAX);
        db->slots[i].sql = sql;
        db->slots[i].stmt = s;
        db->used++;
    }
    clear_result(s);
    unbind(s);
    return &s->base;
}

static struct param *param_at(struct pg_stmt *s, int index)
{
    if (index < 1 || index > s->params)
        return NULL; /* SQLite ignores a parameter the query does not have; so does this */
    struct param *p = &s->bound[index - 1];
    if (p->value != p->number)
        free(p->value);
    *p = (struct param){0};
    return p;
}

static void pg_bind_int64(struct db_stmt *base, int index, int64_t value)
{
    struct param *p = param_at(STMT(base), index);
    if (p == NULL)
        return;
    p->length = snprintf(p->number, sizeof(p->number), "%lld", (long long)value);
    p->value = p->number;
    p->type = OID_INT8;
}

static void pg_bind_text(struct db_stmt *base, int index, const char *text)
{
    struct param *p = param_at(STMT(base), index);
    if (p == NULL || text == NULL)
        return;
    p->value = strdup(text);
    if (p->value == NULL)
        die("out of memory");
    p->length = (int)strlen(text);
}

static void pg_bind_blob(struct db_stmt *base, int index, const void *data, size_t len)
{
    struct param *p = param_at(STMT(base), index);
    if (p == NULL)
        return;
    p->value = malloc(len + 1);
    if (p->value == NULL)
        die("out of memory");
    if (len > 0)
        memcpy(p->value, data, len);
    p->length = (int)len;
    p->format = 1;
    p->type = OID_BYTEA;
}

static void pg_bind_null(struct db_stmt *base, int index)
{
    param_at(STMT(base), index);
}

/* Which parameter an "undetermined type" error names ("... of parameter $3"); 0 if none. */
static int undetermined_parameter(const PGresult *r)
{
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    const char *message = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
    /* 42P18 indeterminate, or 42P08 ambiguous (text joined with ||) */
    if (state == NULL || (strcmp(state, "42P18") != 0 && strcmp(state, "42P08") != 0) || message == NULL)
        return 0;
    const char *dollar = strrchr(message, '$');
    return dollar != NULL ? (int)strtol(dollar + 1, NULL, 10) : 0;
}

/*
 * The type an open text parameter is given: citext, which compares without regard to case with
 * a citext column (as the NOCASE column it mirrors does on SQLite) and as text with a text
 * column; text where the schema has no citext yet.
 */
static unsigned int text_type(struct pg_db *db)
{
    if (db->text_type == 0) {
        PGresult *r = PQexec(db->conn, "SELECT coalesce((SELECT oid FROM pg_type WHERE typname = 'citext'), 25)");
        db->text_type = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1
                            ? (unsigned int)strtoul(PQgetvalue(r, 0, 0), NULL, 10)
                            : OID_TEXT;
        PQclear(r);
    }
    return db->text_type;
}

/*
 * Prepares the statement under name. A parameter whose type the query leaves open (only ever
 * "?1 IS NULL", or text joined with ||) is given one: citext or text when text was bound, else
 * first int8 and, if the query refuses that, text. A failed prepare inside a transaction would
 * end it, so there each attempt runs under a savepoint.
 */
static bool prepare_named(struct pg_stmt *s, const char *name, const unsigned int *bound)
{
    struct pg_db *db = s->db;
    unsigned int types[PARAMS_MAX];
    memcpy(types, bound, sizeof(types));
    bool in_transaction = db->writing || db->reading;
    int guessed = 0; /* a NULL parameter tried as int8 */
    for (int attempt = 0; attempt <= 2 * s->params; attempt++) {
        if (in_transaction && !run(db, "SAVEPOINT npq_prepare"))
            return false;
        PGresult *r = PQprepare(db->conn, name, s->text, s->params, types);
        bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (ok) {
            PQclear(r);
            return !in_transaction || run(db, "RELEASE SAVEPOINT npq_prepare");
        }
        record_error(db, "prepare", r);
        int open = undetermined_parameter(r);
        PQclear(r);
        if (in_transaction && !run(db, "ROLLBACK TO SAVEPOINT npq_prepare"))
            return false;
        if (open >= 1 && open <= s->params && types[open - 1] == 0) {
            bool text = s->bound[open - 1].value != NULL;
            types[open - 1] = text ? text_type(db) : OID_INT8;
            if (!text)
                guessed = open;
        } else if (guessed > 0) {
            types[guessed - 1] = text_type(db);
            guessed = 0;
        } else {
            break;
        }
    }
    fprintf(stderr, "npq: %s\n  in: %s\n", db->error, s->text);
    return false;
}

/* The name of the statement prepared for the types bound now, preparing it when it is new. */
static const char *variant_for(struct pg_stmt *s)
{
    unsigned int types[PARAMS_MAX] = {0}, key[PARAMS_MAX] = {0};
    for (int i = 0; i < s->params; i++) {
        types[i] = s->bound[i].type;
        /* NULL and text both leave the type open, but a type chosen for one need not suit the other */
        key[i] = s->bound[i].value == NULL ? KEY_NULL : types[i];
    }
    for (int v = 0; v < s->variant_count; v++)
        if (memcmp(s->variants[v].types, key, sizeof(key)) == 0)
            return s->variants[v].name;
    if (s->variant_count == VARIANTS_MAX)
        die("a query was bound with more than %d patterns of types: raise VARIANTS_MAX\n  in: %s", VARIANTS_MAX,
            s->sql);
    struct variant *v = &s->variants[s->variant_count];
    memcpy(v->types, key, sizeof(key));
    snprintf(v->name, sizeof(v->name), "s%u", ++s->db->prepared);
    if (!prepare_named(s, v->name, types))
        return NULL;
    s->variant_count++;
    return v->name;
}

static enum db_result failed(struct pg_stmt *s, PGresult *r)
{
    record_error(s->db, "step", r);
    /* The state lives in the result: read it before the result is freed. Class 23 is a
     * constraint the change broke. */
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    bool constraint = state != NULL && strncmp(state, "23", 2) == 0;
    PQclear(r);
    clear_result(s);
    return constraint ? DB_CONSTRAINT : DB_ERROR;
}

static enum db_result pg_step(struct db_stmt *base)
{
    struct pg_stmt *s = STMT(base);
    struct pg_db *db = s->db;
    if (s->result == NULL) {
        const char *name = variant_for(s);
        if (name == NULL)
            return DB_ERROR;
        const char *values[PARAMS_MAX];
        int lengths[PARAMS_MAX], formats[PARAMS_MAX];
        for (int i = 0; i < s->params; i++) {
            values[i] = s->bound[i].value;
            lengths[i] = s->bound[i].length;
            formats[i] = s->bound[i].format;
        }
        PGresult *r = PQexecPrepared(db->conn, name, s->params, values, lengths, formats, 0);
        ExecStatusType status = PQresultStatus(r);
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
            return failed(s, r);
        const char *changed = PQcmdTuples(r);
        db->changes = changed[0] != '\0' ? strtoll(changed, NULL, 10) : 0;
        s->result = r;
        s->rows = PQntuples(r);
        s->row = -1;
        db->stepped = true;
    }
    for (int i = 0; i < COLUMNS_MAX; i++) {
        free(s->decoded[i].data);
        s->decoded[i].data = NULL;
    }
    if (++s->row < s->rows)
        return DB_ROW;
    clear_result(s);
    return DB_DONE;
}

static void pg_reset(struct db_stmt *base)
{
    clear_result(STMT(base));
}

static bool has_value(struct pg_stmt *s, int column)
{
    return s->result != NULL && s->row >= 0 && s->row < s->rows && column >= 0 && column < PQnfields(s->result) &&
           !PQgetisnull(s->result, s->row, column);
}

static int64_t pg_column_int64(struct db_stmt *base, int column)
{
    struct pg_stmt *s = STMT(base);
    if (!has_value(s, column))
        return 0;
    const char *text = PQgetvalue(s->result, s->row, column);
    if (PQftype(s->result, column) == OID_BOOL)
        return text[0] == 't';
    return strtoll(text, NULL, 10); /* a numeric sum or average: its whole part, as SQLite gives */
}

static bool decode(struct pg_stmt *s, int column);

static const char *pg_column_text(struct db_stmt *base, int column)
{
    struct pg_stmt *s = STMT(base);
    if (!has_value(s, column))
        return NULL;
    if (decode(s, column))
        return (const char *)s->decoded[column].data;
    return PQgetvalue(s->result, s->row, column);
}

/* A bytea column decoded from its text form and ended with a NUL (a setting kept as bytes is
 * read as text), kept until the next step. */
static bool decode(struct pg_stmt *s, int column)
{
    if (column >= COLUMNS_MAX || PQftype(s->result, column) != OID_BYTEA)
        return false;
    if (s->decoded[column].data == NULL) {
        size_t len = 0;
        unsigned char *bytes = PQunescapeBytea((const unsigned char *)PQgetvalue(s->result, s->row, column), &len);
        if (bytes == NULL)
            return false;
        unsigned char *copy = malloc(len + 1);
        if (copy == NULL)
            die("out of memory");
        memcpy(copy, bytes, len);
        copy[len] = '\0';
        PQfreemem(bytes);
        s->decoded[column].data = copy;
        s->decoded[column].len = len;
    }
    return true;
}

static size_t pg_column_bytes(struct db_stmt *base, int column)
{
    struct pg_stmt *s = STMT(base);
    if (!has_value(s, column))
        return 0;
    if (decode(s, column))
        return s->decoded[column].len;
    return (size_t)PQgetlength(s->result, s->row, column);
}

static const void *pg_column_blob(struct db_stmt *base, int column)
{
    struct pg_stmt *s = STMT(base);
    if (!has_value(s, column))
        return NULL;
    if (decode(s, column))
        return s->decoded[column].data;
    return PQgetvalue(s->result, s->row, column);
}

static bool pg_column_is_null(struct db_stmt *base, int column)
{
    return !has_value(STMT(base), column);
}

/* lastval(): the identity the last INSERT of this connection took, which is this transaction's
 * (a connection runs one transaction at a time). */
static int64_t pg_last_insert_id(struct db *base)
{
    struct pg_db *db = HANDLE(base);
    PGresult *r = PQexec(db->conn, "SELECT lastval()");
    int64_t id = 0;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    else
        record_error(db, "lastval", r);
    PQclear(r);
    return id;
}

static int64_t pg_changes(struct db *base)
{
    return HANDLE(base)->changes;
}

static bool pg_begin_read(struct db *base)
{
    struct pg_db *db = HANDLE(base);
    if (db->writing || db->reading) {
        snprintf(db->error, sizeof(db->error), "a transaction is already open on this handle");
        return false;
    }
    if (!run(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"))
        return false;
    db->reading = true;
    return true;
}

static bool pg_begin_write(struct db *base)
{
    struct pg_db *db = HANDLE(base);
    if (db->writing || db->reading) {
        snprintf(db->error, sizeof(db->error), "a transaction is already open on this handle");
        return false;
    }
    if (db->never_wait) {
        snprintf(db->error, sizeof(db->error), "this handle never waits, and a PostgreSQL transaction may");
        return false;
    }
    if (!run(db, "BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE"))
        return false;
    db->writing = true;
    return true;
}

static bool pg_commit(struct db *base)
{
    struct pg_db *db = HANDLE(base);
    if (!db->writing && !db->reading) {
        snprintf(db->error, sizeof(db->error), "commit without a transaction");
        return false;
    }
    bool writing = db->writing;
    db->writing = db->reading = false;
    /* A transaction a failed statement aborted answers COMMIT with ROLLBACK. */
    PGresult *r = PQexec(db->conn, "COMMIT");
    bool committed = PQresultStatus(r) == PGRES_COMMAND_OK && strcmp(PQcmdStatus(r), "COMMIT") == 0;
    if (!committed) {
        if (PQresultStatus(r) == PGRES_COMMAND_OK)
            snprintf(db->error, sizeof(db->error), "the transaction could not be committed: it had failed");
        else
            record_error(db, "COMMIT", r);
    }
    PQclear(r);
    if (!committed && PQtransactionStatus(db->conn) != PQTRANS_IDLE)
        PQclear(PQexec(db->conn, "ROLLBACK"));
    if (committed && writing && db->engine->hook != NULL)
        db->engine->hook(base, db->engine->hook_arg);
    return committed;
}

static void pg_rollback(struct db *base)
{
    struct pg_db *db = HANDLE(base);
    if (!db->writing && !db->reading)
        return;
    db->writing = db->reading = false;
    PQclear(PQexec(db->conn, "ROLLBACK"));
}

static bool pg_lock_schema(struct db *base)
{
    char sql[64];
    snprintf(sql, sizeof(sql), "SELECT pg_advisory_xact_lock(%d)", SCHEMA_LOCK);
    return run(HANDLE(base), sql);
}

static const char *pg_busy_statement(struct db *base)
{
    struct pg_db *db = HANDLE(base);
    if (!db->stepped)
        return NULL;
    db->stepped = false;
    const char *found = NULL;
    for (size_t i = 0; i < STATEMENT_SLOTS; i++) {
        struct pg_stmt *s = db->slots[i].stmt;
        if (s != NULL && s->result != NULL) {
            if (found == NULL)
                found = s->sql;
            clear_result(s);
        }
    }
    return found;
}

static bool pg_exec_script(struct db *base, const char *sql)
{
    struct pg_db *db = HANDLE(base);
    PGresult *r = PQexec(db->conn, sql);
    ExecStatusType status = PQresultStatus(r);
    bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
    if (!ok)
        record_error(db, "exec", r);
    PQclear(r);
    return ok;
}

/* A PostgreSQL server is backed up and restored with its own tools (pg_dump, pg_basebackup and
 * continuous archiving; docs/deployment.md), which copy a database of one moment while it runs. */
static bool pg_backup(struct db *base, const char *to, char *err, size_t err_size)
{
    (void)base;
    (void)to;
    snprintf(err, err_size, "npq backup copies SQLite databases; back PostgreSQL up with pg_dump or pg_basebackup");
    return false;
}

static bool pg_restore(const char *location, const char *from, const char *required_table, char *err, size_t err_size)
{
    (void)location;
    (void)from;
    (void)required_table;
    snprintf(err, err_size, "npq restore restores SQLite databases; restore PostgreSQL with pg_restore");
    return false;
}

/* Following */

static struct pg_db *follower_connect(struct pg_follower *f, char *err, size_t err_size)
{
    struct db *base = pg_connect(&f->engine->base, err, err_size);
    if (base == NULL)
        return NULL;
    struct pg_db *db = HANDLE(base);
    if (!run(db, f->listen)) {
        snprintf(err, err_size, "cannot listen for changes: %s", db->error);
        pg_close(base);
        return NULL;
    }
    return db;
}

/* Tells changed once for every batch of notifications libpq holds; false when the connection is lost. */
static bool follower_drain(struct pg_follower *f)
{
    for (;;) {
        bool any = false;
        PGnotify *n;
        while ((n = PQnotifies(f->db->conn)) != NULL) {
            any = true;
            PQfreemem(n);
        }
        if (!any)
            return PQstatus(f->db->conn) == CONNECTION_OK;
        f->changed(&f->db->base, f->arg); /* its query may bring in more notifications */
    }
}

/* Waits up to ms for the stop byte; true when it came. */
static bool follower_stopping(struct pg_follower *f, int socket, int ms)
{
    struct pollfd fds[2] = {{.fd = f->wake[0], .events = POLLIN}, {.fd = socket, .events = POLLIN}};
    return poll(fds, socket >= 0 ? 2 : 1, ms) > 0 && (fds[0].revents & POLLIN);
}

static void *follower_main(void *arg)
{
    struct pg_follower *f = arg;
    for (;;) {
        if (f->db == NULL) {
            if (follower_stopping(f, -1, 250))
                break;
            char err[256];
            f->db = follower_connect(f, err, sizeof(err));
            if (f->db == NULL)
                continue;
            f->changed(&f->db->base, f->arg); /* whatever moved while it was away */
            continue;
        }
        if (follower_stopping(f, PQsocket(f->db->conn), -1))
            break;
        if (!PQconsumeInput(f->db->conn) || !follower_drain(f)) {
            fprintf(stderr, "npq: lost the connection that follows changes: %s", PQerrorMessage(f->db->conn));
            pg_close(&f->db->base);
            f->db = NULL;
            f->changed(NULL, f->arg);
        }
    }
    return NULL;
}

static void follower_stop(struct pg_follower *f)
{
    char byte = 1;
    if (write(f->wake[1], &byte, 1) != 1)
        fprintf(stderr, "npq: cannot stop the thread that follows changes\n");
    pthread_join(f->thread, NULL);
    if (f->db != NULL)
        pg_close(&f->db->base);
    close(f->wake[0]);
    close(f->wake[1]);
    free(f->listen);
    free(f);
}

static bool pg_engine_follow(struct db_engine *base, const char *channel, db_change_listener changed, void *arg,
                             char *err, size_t err_size)
{
    struct pg_engine *e = ENGINE(base);
    if (e->follower != NULL) {
        snprintf(err, err_size, "this engine already follows changes");
        return false;
    }
    struct pg_follower *f = calloc(1, sizeof(*f));
    if (f == NULL)
        die("out of memory");
    f->engine = e;
    f->changed = changed;
    f->arg = arg;
    size_t len = strlen(channel) + sizeof("LISTEN \"\"");
    f->listen = malloc(len);
    if (f->listen == NULL)
        die("out of memory");
    snprintf(f->listen, len, "LISTEN \"%s\"", channel); /* the store's own name, never outside input */
    if (pipe(f->wake) != 0) {
        snprintf(err, err_size, "cannot make a pipe to stop the following thread");
        free(f->listen);
        free(f);
        return false;
    }
    f->db = follower_connect(f, err, err_size);
    if (f->db == NULL)
        goto fail;
    changed(&f->db->base, arg); /* current before the first request asks */
    if (pthread_create(&f->thread, NULL, follower_main, f) != 0) {
        snprintf(err, err_size, "cannot start the thread that follows changes");
        pg_close(&f->db->base);
        goto fail;
    }
    e->follower = f;
    return true;
fail:
    close(f->wake[0]);
    close(f->wake[1]);
    free(f->listen);
    free(f);
    return false;
}

const struct db_driver db_postgres_driver = {
    .engine_open = pg_engine_open,
    .engine_close = pg_engine_close,
    .engine_set_commit_hook = pg_engine_set_commit_hook,
    .connect = pg_connect,
    .close = pg_close,
    .never_wait = pg_never_wait,
    .engine_follow = pg_engine_follow,
    .error = pg_error,
    .prepare = pg_prepare,
    .bind_int64 = pg_bind_int64,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .reset = pg_reset,
    .column_int64 = pg_column_int64,
    .column_text = pg_column_text,
    .column_bytes = pg_column_bytes,
    .column_blob = pg_column_blob,
    .column_is_null = pg_column_is_null,
    .last_insert_id = pg_last_insert_id,
    .changes = pg_changes,
    .begin_read = pg_begin_read,
    .begin_write = pg_begin_write,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .lock_schema = pg_lock_schema,
    .busy_statement = pg_busy_statement,
    .exec_script = pg_exec_script,
    .backup = pg_backup,
    .restore = pg_restore,
    .dialect = "postgres",
};
