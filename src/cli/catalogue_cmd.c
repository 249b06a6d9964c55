/*
 * npq init, npq catalogue import|export|validate.
 */
#include "cli/cli.h"

#include "domain/catalogue_json.h"
#include "lib/embedded.h"
#include "store/store.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_errors(const char *source, const struct errors *errors)
{
    for (size_t i = 0; i < errors->count; i++)
        fprintf(stderr, "%s: %s: %s\n", source, errors->items[i].where, errors->items[i].message);
    if (errors->count == ERRORS_MAX)
        fprintf(stderr, "%s: (stopped after %d errors)\n", source, ERRORS_MAX);
}

/* Parses, validates and stores a catalogue document: all of it or, on any error, none of it. */
static int import_text(struct store *store, const char *source, const char *text, size_t len)
{
    struct errors errors = ERRORS_INIT;
    struct catalogue *catalogue = catalogue_json_parse(text, len, &errors);
    if (catalogue == NULL) {
        print_errors(source, &errors);
        fprintf(stderr, "npq: %s was not imported; nothing was changed\n", source);
        errors_free(&errors);
        return 1;
    }
    enum store_status status = store_catalogue_replace(store, catalogue, &errors);
    if (status != STORE_OK) {
        print_errors(source, &errors);
        fprintf(stderr, "npq: %s was not imported; nothing was changed\n", source);
    } else {
        fprintf(stderr, "npq: imported %zu qualifications, %zu modules, %zu frameworks and %zu schedules from %s\n",
                catalogue->qualification_count, catalogue->module_count, catalogue->framework_count,
                catalogue->schedule_count, source);
    }
    errors_free(&errors);
    catalogue_free(catalogue);
    return status == STORE_OK ? 0 : 1;
}

static const struct option db_options[] = {
    {"db", required_argument, NULL, 'd'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* Reads --db; returns the database location or NULL after printing usage. */
static const char *parse_db(int argc, char **argv, const char *usage)
{
    const char *db = cli_default_db();
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", db_options, NULL)) != -1) {
        if (opt == 'd')
            db = optarg;
        else {
            fprintf(opt == 'h' ? stdout : stderr, "usage: %s\n", usage);
            return NULL;
        }
    }
    return db;
}

int cli_init(int argc, char **argv)
{
    const char *db = parse_db(argc, argv, "npq init [--db PATH]");
    if (db == NULL)
        return 2;
    struct store *store = cli_open_store(db);
    if (store == NULL)
        return 1;
    const struct embedded_file *file =
        embedded_find(embedded_data, embedded_data_count, "default.json", strlen("default.json"));
    int rc = file ? import_text(store, "catalogue/default.json", (const char *)file->data, file->size) : 1;
    store_close(store);
    if (rc == 0)
        fprintf(stderr, "npq: %s is ready\n", db);
    return rc;
}

static int catalogue_import(int argc, char **argv)
{
    const char *usage = "npq catalogue import [--db PATH] FILE   (FILE may be - for standard input)";
    const char *db = parse_db(argc, argv, usage);
    if (db == NULL)
        return 2;
    if (optind != argc - 1) {
        fprintf(stderr, "usage: %s\n", usage);
        return 2;
    }
    const char *path = argv[optind];
    char *text;
    size_t len;
    if (cli_read_file(path, &text, &len) != 0)
        return 1;
    struct store *store = cli_open_store(db);
    int rc = store ? import_text(store, path, text, len) : 1;
    store_close(store);
    free(text);
    return rc;
}

static int catalogue_validate_file(int argc, char **argv)
{
    const char *usage = "npq catalogue validate FILE";
    if (argc != 2) {
        fprintf(stderr, "usage: %s\n", usage);
        return 2;
    }
    char *text;
    size_t len;
    if (cli_read_file(argv[1], &text, &len) != 0)
        return 1;
    struct errors errors = ERRORS_INIT;
    struct catalogue *catalogue = catalogue_json_parse(text, len, &errors);
    free(text);
    if (catalogue == NULL) {
        print_errors(argv[1], &errors);
        errors_free(&errors);
        return 1;
    }
    catalogue_free(catalogue);
    fprintf(stderr, "%s: valid\n", argv[1]);
    return 0;
}

static int catalogue_export(int argc, char **argv)
{
    const char *db = parse_db(argc, argv, "npq catalogue export [--db PATH] > FILE");
    if (db == NULL)
        return 2;
    struct store *store = cli_open_store(db);
    if (store == NULL)
        return 1;
    struct catalogue *catalogue;
    int rc = 1;
    if (store_catalogue_load(store, &catalogue) == STORE_OK) {
        char *text = catalogue_json_dump(catalogue);
        if (text != NULL && fputs(text, stdout) != EOF && fflush(stdout) == 0)
            rc = 0;
        else
            fprintf(stderr, "npq: cannot write the catalogue\n");
        free(text);
        catalogue_free(catalogue);
    } else {
        fprintf(stderr, "npq: cannot read the catalogue: %s\n", store_last_error(store));
    }
    store_close(store);
    return rc;
}

int cli_catalogue(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "import") == 0)
        return catalogue_import(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "export") == 0)
        return catalogue_export(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "validate") == 0)
        return catalogue_validate_file(argc - 1, argv + 1);
    fprintf(stderr, "usage: npq catalogue import [--db PATH] FILE\n"
                    "       npq catalogue export [--db PATH]\n"
                    "       npq catalogue validate FILE\n");
    return 2;
}
