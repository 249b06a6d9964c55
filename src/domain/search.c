/*
 * Search as rules: queries, sources and snippets (search.h).
 */
#include "domain/search.h"

#include "lib/text.h"

#include <string.h>

const char *search_source_name(enum search_source source)
{
    switch (source) {
    case SEARCH_CONTENT: return "content";
    case SEARCH_VARIANT: return "variant";
    case SEARCH_STATEMENT: return "statement";
    case SEARCH_POST: return "post";
    }
    return "";
}

bool search_query_check(const char *query, struct errors *errors)
{
    if (query == NULL || !text_has_words(query)) {
        errors_add(errors, "q", "Enter a word to search for");
        return false;
    }
    if (text_characters(query) > SEARCH_QUERY_MAX) {
        errors_add(errors, "q", "Search for %d characters or fewer", SEARCH_QUERY_MAX);
        return false;
    }
    return true;
}

void search_snippet_split(const char *snippet, struct arena *arena, struct search_run **runs, size_t *count)
{
    size_t len = strlen(snippet), cap = 1;
    for (size_t i = 0; i < len; i++)
        cap += snippet[i] == SEARCH_MARK_OPEN[0] || snippet[i] == SEARCH_MARK_CLOSE[0];
    *runs = arena_alloc(arena, sizeof(**runs) * cap);
    *count = 0;
    bool matched = false;
    const char *start = snippet;
    for (const char *p = snippet;; p++) {
        bool opens = *p == SEARCH_MARK_OPEN[0], closes = *p == SEARCH_MARK_CLOSE[0];
        if (*p != '\0' && !opens && !closes)
            continue;
        if (p > start) {
            char *text = arena_alloc(arena, (size_t)(p - start) + 1);
            memcpy(text, start, (size_t)(p - start));
            text[p - start] = '\0';
            (*runs)[(*count)++] = (struct search_run){.text = text, .matched = matched};
        }
        if (*p == '\0')
            break;
        if (opens)
            matched = true;
        else if (closes)
            matched = false;
        start = p + 1;
    }
}
