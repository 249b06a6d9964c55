/*
 * Arena allocator: chunks of at least 16 KiB, allocations carved off the newest chunk; a request
 * larger than a chunk gets a chunk of its own.
 */
#include "lib/arena.h"

#include "lib/die.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

enum { ARENA_CHUNK_SIZE = 16 * 1024 };

struct arena_chunk {
    struct arena_chunk *next;
    size_t used;
    size_t size;
    alignas(max_align_t) unsigned char data[];
};

void *arena_alloc_bytes(struct arena *arena, size_t size)
{
    size_t align = alignof(max_align_t);
    size = (size + align - 1) & ~(align - 1);
    struct arena_chunk *chunk = arena->head;
    if (chunk == NULL || chunk->size - chunk->used < size) {
        size_t capacity = size > ARENA_CHUNK_SIZE ? size : ARENA_CHUNK_SIZE;
        chunk = malloc(sizeof(*chunk) + capacity);
        if (chunk == NULL)
            die("out of memory");
        chunk->used = 0;
        chunk->size = capacity;
        chunk->next = arena->head;
        arena->head = chunk;
    }
    void *p = chunk->data + chunk->used;
    chunk->used += size;
    return p;
}

void *arena_alloc(struct arena *arena, size_t size)
{
    return memset(arena_alloc_bytes(arena, size), 0, size);
}

char *arena_strndup(struct arena *arena, const char *s, size_t n)
{
    char *copy = arena_alloc_bytes(arena, n + 1);
    memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

char *arena_strdup(struct arena *arena, const char *s)
{
    return s == NULL ? NULL : arena_strndup(arena, s, strlen(s));
}

void *arena_grow(struct arena *arena, const void *old, size_t *cap, size_t size)
{
    void *grown = arena_alloc(arena, size * *cap * 2);
    if (*cap > 0)
        memcpy(grown, old, size * *cap);
    *cap *= 2;
    return grown;
}

void arena_release(struct arena *arena)
{
    struct arena_chunk *chunk = arena->head;
    while (chunk != NULL) {
        struct arena_chunk *next = chunk->next;
        free(chunk);
        chunk = next;
    }
    arena->head = NULL;
}
