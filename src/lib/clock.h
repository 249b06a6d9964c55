/*
 * The wall clock, in one place.
 *
 * Rules about time (a session's idle limit, a link's lifetime, a deadline, a reminder, the sign-in
 * throttling window) are functions that take `now` as an argument; only the edges read the clock
 * and pass it down: a request, a background pass, a command. They read it here, so a test can
 * set the time and move it on instead of sleeping. The fake is for tests that link the code
 * directly (tests/unit); nothing in the server or the command line sets it.
 */
#ifndef NPQ_LIB_CLOCK_H
#define NPQ_LIB_CLOCK_H

#include <stdint.h>

/* Seconds since the epoch (UTC): the system's clock, or the time a test set. Thread-safe. */
int64_t clock_now(void);

/* For tests: clock_now returns now (which must be after the epoch) until clock_use_system. */
void clock_set(int64_t now);

/* For tests: moves a set clock on by seconds (back when negative). */
void clock_advance(int64_t seconds);

/* Back to the system's clock. */
void clock_use_system(void);

#endif
