/*
 * Which process is this, in words another process on the same machine can check: for leases
 * (mail being sent) that a crashed process left behind, so that its successor need not wait for
 * them to run out.
 */
#ifndef NPQ_LIB_PROCESS_H
#define NPQ_LIB_PROCESS_H

#include <stdbool.h>
#include <stddef.h>

enum { PROCESS_IDENTITY_TEXT = 256 };

/* "HOST BOOT PID START": the host name, this boot of the machine, the process id and when the
 * process started (so a reused id is not taken for the same process). */
void process_identity(char out[PROCESS_IDENTITY_TEXT]);

/*
 * Whether identity names a process that is certainly gone: one of this machine, from an earlier
 * boot, or whose id is free or now belongs to a process started at another time. False when it
 * cannot tell (another machine, an identity of another shape): such a lease is left to expire.
 */
bool process_identity_gone(const char *identity);

#endif
