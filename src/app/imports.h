/*
 * Bulk imports of schools and people from CSV, shared by the API, the admin pages and the
 * command line: parse and check the file (domain/roster.c), check it against the database and
 * keep all of it or none (store_import_*), and invite the people it creates.
 */
#ifndef NPQ_APP_IMPORTS_H
#define NPQ_APP_IMPORTS_H

#include "app/accounts.h"

enum import_kind { IMPORT_SCHOOLS, IMPORT_USERS };

struct import_report {
    enum app_result result; /* APP_OK, APP_INVALID (errors say where) or APP_UNAVAILABLE */
    size_t rows;            /* data rows in the file */
    size_t created;
    size_t updated;
    struct errors errors; /* "row N, column C": message */
};

/* Runs an import; with dry_run nothing is kept and nobody is emailed. */
void imports_run(const struct accounts_env *env, enum import_kind kind, const char *csv, size_t len, bool dry_run,
                 struct arena *arena, struct import_report *report);

void imports_report_free(struct import_report *report);

#endif
