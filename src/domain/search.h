/*
 * Search as rules: what a query must be, the kinds of record a search finds, and the matched words
 * of a snippet. The store marks each match in a snippet with SEARCH_MARK_OPEN and SEARCH_MARK_CLOSE,
 * two control characters that text people write never needs; search_snippet_split turns a snippet
 * into plain runs of text, each matched or not, so that pages escape every run like any other text
 * and the JSON carries no markup at all. Stored text cannot forge a mark that opens HTML: at worst
 * a stray control character becomes the edge of a highlighted run.
 *
 * Who sees which hit is domain/policy.c's (policy_sees_search_hit). Pure functions, no I/O.
 */
#ifndef NPQ_DOMAIN_SEARCH_H
#define NPQ_DOMAIN_SEARCH_H

#include "lib/arena.h"
#include "lib/errors.h"

#include <stdbool.h>
#include <stddef.h>

enum {
    SEARCH_QUERY_MAX = 200, /* characters in a query */
};

#define SEARCH_MARK_OPEN "\x01"
#define SEARCH_MARK_CLOSE "\x02"

/* What a hit is: an item of the content library, a partner's local variant of one, a statement of
 * a framework, or a forum post. */
enum search_source { SEARCH_CONTENT, SEARCH_VARIANT, SEARCH_STATEMENT, SEARCH_POST };

/* "content", "variant", "statement", "post": the names of the API's "type". */
const char *search_source_name(enum search_source source);

/* Checks a query: at least one letter or digit, at most SEARCH_QUERY_MAX characters. Errors name
 * the field "q". True when it added no error. */
bool search_query_check(const char *query, struct errors *errors);

/* One run of a snippet: text (in arena, NUL-terminated, no marks) and whether it matched. */
struct search_run {
    const char *text;
    bool matched;
};

/* Splits a snippet at its marks into runs, empty runs left out; a mark that opens inside a match
 * or closes outside one is dropped. *runs in arena. */
void search_snippet_split(const char *snippet, struct arena *arena, struct search_run **runs, size_t *count);

#endif
