/*
 * npq db copy: moving a provider from SQLite to PostgreSQL. The copy and its checks are the
 * store's (store_copy); this parses the addresses and prints the report.
 */
#include "cli/cli.h"

#include "lib/arena.h"
#include "store/store.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char USAGE[] =
    "usage: npq db copy --from sqlite:PATH --to postgres://...\n"
    "  migrates both, copies every table and file of the SQLite database into the PostgreSQL one,\n"
    "  checks that every row and file arrived, and prints the rows per table; safe to re-run\n";

static int copy(int argc, char **argv)
{
    const struct option options[] = {
        {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *from = NULL, *to = NULL;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (opt) {
        case 'f': from = optarg; break;
        case 't': to = optarg; break;
        default: fprintf(opt == 'h' ? stdout : stderr, "%s", USAGE); return opt == 'h' ? 0 : 2;
        }
    }
    if (from == NULL || to == NULL || optind != argc) {
        fprintf(stderr, "%s", USAGE);
        return 2;
    }
    if (strncmp(from, "sqlite:", 7) == 0)
        from += 7;
    if (strncmp(to, "postgres://", 11) != 0 && strncmp(to, "postgresql://", 13) != 0) {
        fprintf(stderr, "npq: --to must be a postgres:// address\n%s", USAGE);
        return 2;
    }
    /* opening a missing path would make an empty database and copy nothing */
    if (access(from, F_OK) != 0) {
        fprintf(stderr, "npq: there is no database at %s\n", from);
        return 1;
    }
    struct arena arena = ARENA_INIT;
    struct store_copy_report report;
    char err[1024];
    enum store_status status = store_copy(from, to, &arena, &report, err, sizeof(err));
    if (status != STORE_OK) {
        fprintf(stderr, "npq: copy failed: %s\n", err);
        arena_release(&arena);
        return 1;
    }
    printf("%-32s %10s %10s %10s\n", "table", "source", "target", "copied");
    for (size_t i = 0; i < report.table_count; i++) {
        const struct store_copy_table *t = &report.tables[i];
        printf("%-32s %10lld %10lld %10lld\n", t->name, (long long)t->source_rows, (long long)t->target_rows,
               (long long)t->copied);
    }
    printf("files checked: %lld (%lld bytes), every one's chunks match its SHA-256\n", (long long)report.files_checked,
           (long long)report.file_bytes);
    if (report.copied == 0)
        printf("nothing new: the target already held every row\n");
    else
        printf("copied %lld rows into %zu tables\n", (long long)report.copied, report.table_count);
    arena_release(&arena);
    return 0;
}

int cli_db(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "copy") == 0)
        return copy(argc - 1, argv + 1);
    fprintf(stderr, "%s", USAGE);
    return 2;
}
