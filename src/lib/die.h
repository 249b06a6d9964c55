/*
 * Fatal errors: for our own broken invariants and exhausted memory, never for bad input.
 */
#ifndef NPQ_LIB_DIE_H
#define NPQ_LIB_DIE_H

/* Prints "npq: <message>" to standard error and aborts. */
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
