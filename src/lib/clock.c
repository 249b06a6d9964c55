/*
 * The wall clock (see clock.h): the system's, unless a test set one. The set time is atomic
 * because the server's threads and a test's may read it while a test moves it.
 */
#include "lib/clock.h"

#include <stdatomic.h>
#include <time.h>

/* 0: the system's clock; otherwise the time a test set. */
static _Atomic int64_t fake_now;

int64_t clock_now(void)
{
    int64_t fake = atomic_load(&fake_now);
    return fake > 0 ? fake : (int64_t)time(NULL);
}

void clock_set(int64_t now)
{
    atomic_store(&fake_now, now > 0 ? now : 1);
}

void clock_advance(int64_t seconds)
{
    int64_t now = clock_now() + seconds;
    atomic_store(&fake_now, now > 0 ? now : 1);
}

void clock_use_system(void)
{
    atomic_store(&fake_now, 0);
}
