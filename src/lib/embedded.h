/*
 * Files compiled into the binary (migrations, the default catalogue, front-end assets), so that
 * build/npq runs from anywhere with nothing beside it. scripts/embed.py generates the tables.
 */
#ifndef NPQ_LIB_EMBEDDED_H
#define NPQ_LIB_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
    const char *name; /* path relative to the embedded folder, e.g. "fonts/bold-....woff2" */
    const unsigned char *data;
    size_t size;
};

/* Looks a file up by name in a table of count entries; NULL when absent. */
const struct embedded_file *embedded_find(const struct embedded_file *files, size_t count, const char *name,
                                          size_t name_len);

extern const struct embedded_file embedded_migrations_sqlite[];
extern const size_t embedded_migrations_sqlite_count;
extern const struct embedded_file embedded_migrations_postgres[];
extern const size_t embedded_migrations_postgres_count;
extern const struct embedded_file embedded_data[];
extern const size_t embedded_data_count;
extern const struct embedded_file embedded_assets[];
extern const size_t embedded_assets_count;

#endif
