/*
 * Arena: a bump allocator whose memory is released all at once.
 *
 * Long-lived data built in one go (a loaded catalogue, a parsed import) lives in an arena so that
 * its owner frees one thing. Allocation never fails: out of memory aborts, as there is nothing
 * sensible a caller could do with NULL (the same choice Redis's zmalloc makes).
 */
#ifndef NPQ_LIB_ARENA_H
#define NPQ_LIB_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
    struct arena_chunk *head;
};

/* An empty arena; allocates nothing until first use. */
#define ARENA_INIT                                                                                                     \
    {                                                                                                                  \
        NULL                                                                                                           \
    }

/* Returns zeroed memory aligned for any type, owned by the arena. */
void *arena_alloc(struct arena *arena, size_t size);

/* The same, not zeroed: for a buffer written in full before it is read (an answer's body). */
void *arena_alloc_bytes(struct arena *arena, size_t size);

/* Copies n bytes of s and appends a NUL. */
char *arena_strndup(struct arena *arena, const char *s, size_t n);

/* Copies a NUL-terminated string; NULL stays NULL. */
char *arena_strdup(struct arena *arena, const char *s);

/*
 * Doubles an array that lives in the arena: returns a copy of the *cap elements of size bytes
 * at old with room for twice as many, and updates *cap. For lists whose length a query learns
 * only as it reads them.
 */
void *arena_grow(struct arena *arena, const void *old, size_t *cap, size_t size);

/* Releases every allocation; the arena may be used again afterwards. */
void arena_release(struct arena *arena);

#endif
