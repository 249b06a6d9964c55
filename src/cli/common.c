/*
 * Helpers shared by the subcommands.
 */
#include "cli/cli.h"

#include "lib/buf.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_INPUT_FILE = 64 * 1024 * 1024 };

const char *cli_default_db(void)
{
    const char *db = getenv("NPQ_DB");
    return db && *db ? db : "npq.db";
}

int cli_read_file(const char *path, char **data, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "npq: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    struct buf b;
    buf_init(&b, MAX_INPUT_FILE);
    char chunk[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if (!buf_append(&b, chunk, n)) {
            fprintf(stderr, "npq: %s is larger than %d MiB\n", path, MAX_INPUT_FILE / (1024 * 1024));
            rc = -1;
            break;
        }
    if (ferror(f)) {
        fprintf(stderr, "npq: cannot read %s: %s\n", path, strerror(errno));
        rc = -1;
    }
    if (f != stdin)
        fclose(f);
    if (rc != 0) {
        buf_free(&b);
        return -1;
    }
    if (b.data == NULL)
        buf_append(&b, "", 0);
    *data = b.data;
    *len = b.len;
    return 0;
}

struct store *cli_open_store(const char *location)
{
    char err[512];
    struct store *store = store_open(location, err, sizeof(err));
    if (store == NULL) {
        fprintf(stderr, "npq: %s\n", err);
        return NULL;
    }
    int version;
    if (store_migrate(store, &version) != STORE_OK) {
        fprintf(stderr, "npq: migration failed: %s\n", store_last_error(store));
        store_close(store);
        return NULL;
    }
    return store;
}
