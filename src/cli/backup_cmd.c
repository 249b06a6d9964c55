/*
 * npq backup and npq restore: a consistent copy of everything npq keeps, made while the server
 * runs, and putting one back.
 */
#include "cli/cli.h"

#include "store/store.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Reads --db and one more option (--to or --from) into *db and *file. Returns 0, or 2 after
 * printing usage. */
static int read_options(int argc, char **argv, const char *file_option, const char **db, const char **file,
                        const char *usage)
{
    const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {file_option, required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *db = cli_default_db();
    *file = NULL;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (opt) {
        case 'd': *db = optarg; break;
        case 'f': *file = optarg; break;
        default: fprintf(opt == 'h' ? stdout : stderr, "%s", usage); return opt == 'h' ? 1 : 2;
        }
    }
    if (*file == NULL || optind != argc) {
        fprintf(stderr, "%s", usage);
        return 2;
    }
    return 0;
}

int cli_backup(int argc, char **argv)
{
    const char *db, *to;
    int usage = read_options(argc, argv, "to", &db, &to,
                             "usage: npq backup [--db PATH] --to FILE\n"
                             "  copies the whole database, files included, into FILE (which must not exist)\n"
                             "  while the server goes on serving\n");
    if (usage != 0)
        return usage == 1 ? 0 : usage;
    if (access(db, F_OK) != 0) {
        fprintf(stderr, "npq: there is no database at %s\n", db);
        return 1;
    }
    char err[512];
    struct store *store = store_open(db, err, sizeof(err));
    if (store == NULL) {
        fprintf(stderr, "npq: %s\n", err);
        return 1;
    }
    bool ok = store_backup(store, to, err, sizeof(err));
    store_close(store);
    if (!ok) {
        fprintf(stderr, "npq: backup failed: %s\n", err);
        return 1;
    }
    printf("npq: backed up %s to %s\n", db, to);
    return 0;
}

int cli_restore(int argc, char **argv)
{
    const char *db, *from;
    int usage = read_options(argc, argv, "from", &db, &from,
                             "usage: npq restore [--db PATH] --from FILE\n"
                             "  checks the backup FILE, then replaces the database with it; stop every\n"
                             "  npq serve using the database first\n");
    if (usage != 0)
        return usage == 1 ? 0 : usage;
    char err[512];
    if (!store_restore(db, from, err, sizeof(err))) {
        fprintf(stderr, "npq: restore failed, %s is as it was: %s\n", db, err);
        return 1;
    }
    /* A backup from an older npq is brought up to this one's schema. */
    struct store *store = cli_open_store(db);
    if (store == NULL)
        return 1;
    store_close(store);
    printf("npq: restored %s from %s\n", db, from);
    return 0;
}
