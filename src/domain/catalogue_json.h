/*
 * The catalogue file format (docs/catalogue-format.md) to and from struct catalogue.
 *
 * Pure transformation, no I/O: the CLI reads the file, this turns it into a catalogue with every
 * shape error named by its JSON path, catalogue_validate checks the references, and only then
 * does the store see it.
 */
#ifndef NPQ_DOMAIN_CATALOGUE_JSON_H
#define NPQ_DOMAIN_CATALOGUE_JSON_H

#include "domain/catalogue.h"
#include "lib/errors.h"

#include <jansson.h>
#include <stddef.h>

#define CATALOGUE_FORMAT "npq-catalogue/1"

/*
 * Parses a catalogue document. On success returns a new catalogue (the caller frees it) that has
 * also passed catalogue_validate. On any error returns NULL with every problem added to errors.
 */
struct catalogue *catalogue_json_parse(const char *text, size_t len, struct errors *errors);

/* The canonical document for a catalogue; the caller owns the returned reference. */
json_t *catalogue_json_build(const struct catalogue *catalogue);

/* The canonical text (two-space indent, final newline); the caller frees it with free(). */
char *catalogue_json_dump(const struct catalogue *catalogue);

#endif
