/*
 * One fuzz target per parser of outside input. Each file defines LLVMFuzzerTestOneInput; built
 * with libFuzzer (make fuzz) it is explored, built with replay.c (the unit tests) it is run over
 * its kept corpus, which holds every input that once crashed it.
 */
#ifndef NPQ_TESTS_FUZZ_H
#define NPQ_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a NUL-terminated string (cut at its first NUL), which the caller frees. */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    return text;
}

/* Splits the input at its first newline into a head (NUL-terminated, freed by the caller) and the
 * rest: for parsers that take a header value beside a body. */
static inline char *fuzz_split(const uint8_t *data, size_t size, const uint8_t **rest, size_t *rest_size)
{
    const uint8_t *newline = memchr(data, '\n', size);
    size_t head = newline ? (size_t)(newline - data) : size;
    *rest = newline ? newline + 1 : data + size;
    *rest_size = size - head - (newline ? 1 : 0);
    return fuzz_text(data, head);
}

#endif
