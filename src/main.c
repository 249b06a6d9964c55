/*
 * build/npq: one binary, a subcommand each for serving and for administration.
 */
#include "cli/cli.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"serve", cli_serve, "run the web server and API"},
    {"init", cli_init, "create the database and load the default catalogue"},
    {"catalogue", cli_catalogue, "import, export or validate the catalogue"},
    {"user", cli_user, "add people (the first administrator) and list them"},
    {"token", cli_token, "create, list and revoke API tokens"},
    {"organisation", cli_organisation, "add schools, trusts, delivery partners and the provider"},
    {"import", cli_import, "import schools or people from CSV, all or nothing"},
    {"demo", cli_demo, "add demonstration organisations and a person for every role"},
    {"routes", cli_routes, "print the route table as JSON"},
    {"backup", cli_backup, "copy the database, files included, while the server runs"},
    {"restore", cli_restore, "check a backup and put it in place of the database"},
    {"db", cli_db, "copy a SQLite database, files included, into PostgreSQL"},
    {"files", cli_files, "the blob store's totals, and the files that are one person's"},
    {"progress", cli_progress, "progress thresholds, judging every enrolment again, progress updates by email"},
    {"dfe", cli_dfe, "configure the DfE's lead-provider API, and sync with it once"},
    {"bench-data", cli_bench_data, "generate a national programme of N participants, for the benchmarks"},
};

static int usage(FILE *out)
{
    fprintf(out, "usage: npq COMMAND [OPTIONS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nRun npq COMMAND --help for a command's options.\n");
    return out == stdout ? 0 : 2;
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0) {
        fprintf(stderr, "npq: libsodium failed to start\n");
        return 1;
    }
    if (argc < 2)
        return usage(stderr);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)
        return usage(stdout);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "npq: unknown command \"%s\"\n", argv[1]);
    return usage(stderr);
}
