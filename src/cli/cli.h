/*
 * Subcommands of build/npq. Each takes its own arguments (after the subcommand's name) and returns
 * the process exit status: 0 success, 1 failure, 2 bad usage.
 */
#ifndef NPQ_CLI_CLI_H
#define NPQ_CLI_CLI_H

#include <stddef.h>

struct store;

int cli_serve(int argc, char **argv);
int cli_init(int argc, char **argv);
int cli_catalogue(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_token(int argc, char **argv);
int cli_organisation(int argc, char **argv);
int cli_import(int argc, char **argv);
int cli_routes(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_backup(int argc, char **argv);
int cli_restore(int argc, char **argv);
int cli_db(int argc, char **argv);
int cli_files(int argc, char **argv);
int cli_progress(int argc, char **argv);
int cli_dfe(int argc, char **argv);
int cli_bench_data(int argc, char **argv);

/* The database location when --db is not given: $NPQ_DB, or "npq.db". */
const char *cli_default_db(void);

/* Reads a whole file (or standard input for "-"); the caller frees *data. Returns 0 or -1. */
int cli_read_file(const char *path, char **data, size_t *len);

/* Opens and migrates the store at location, printing why on failure. */
struct store *cli_open_store(const char *location);

#endif
