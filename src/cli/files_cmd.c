/*
 * npq files: what the blob store holds, and a person's files, for an operator answering a data
 * export or an erasure request (every file row names whose it is, migration 026).
 */
#include "cli/cli.h"

#include "store/blob.h"
#include "store/store.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

int cli_files(int argc, char **argv)
{
    static const char usage[] = "usage: npq files [--db PATH] [--owner EMAIL]\n"
                                "  prints how many blobs the database keeps and their bytes (each kept once however\n"
                                "  many records hold it); with --owner, every file that is that person's:\n"
                                "  file ID RECORD-KIND RECORD-ID SHA-256 SIZE NAME\n";
    const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"owner", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = cli_default_db(), *owner = NULL;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (opt) {
        case 'd': db = optarg; break;
        case 'o': owner = optarg; break;
        default: fprintf(opt == 'h' ? stdout : stderr, "%s", usage); return opt == 'h' ? 0 : 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "%s", usage);
        return 2;
    }
    struct store *store = cli_open_store(db);
    if (store == NULL)
        return 1;
    int code = 1;
    struct arena arena = ARENA_INIT;
    int64_t count = 0, bytes = 0;
    if (blob_totals(store, &count, &bytes) != STORE_OK) {
        fprintf(stderr, "npq: the blob store could not be read\n");
        goto out;
    }
    printf("blobs %lld bytes %lld\n", (long long)count, (long long)bytes);
    if (owner != NULL) {
        struct user user;
        const char *hash;
        enum store_status s = store_user_find_by_email(store, owner, &arena, &user, &hash);
        if (s == STORE_NOT_FOUND) {
            fprintf(stderr, "npq: nobody has the email %s\n", owner);
            goto out;
        }
        struct stored_file *files;
        size_t n = 0;
        if (s != STORE_OK || store_files_of_owner(store, user.id, &arena, &files, &n) != STORE_OK) {
            fprintf(stderr, "npq: the files could not be read\n");
            goto out;
        }
        for (size_t i = 0; i < n; i++)
            printf("file %lld %s %lld %s %lld %s\n", (long long)files[i].id, files[i].record_kind,
                   (long long)files[i].record_id, files[i].sha256, (long long)files[i].size, files[i].name);
    }
    code = 0;
out:
    arena_release(&arena);
    store_close(store);
    return code;
}
