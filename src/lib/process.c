#include "lib/process.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The 22nd field of /proc/PID/stat: clock ticks after boot when the process started; 0 when it
 * cannot be read (no such process). The name field may hold spaces: count from its last ')'. */
static unsigned long long start_ticks(long pid)
{
    char path[64], line[1024];
    snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    size_t n = fread(line, 1, sizeof(line) - 1, f);
    fclose(f);
    line[n] = '\0';
    char *p = strrchr(line, ')');
    if (p == NULL)
        return 0;
    /* After ") " come field 3 (state) onwards; the start time is field 22. */
    p++;
    for (int field = 3; field < 22 && p != NULL; field++)
        p = strchr(p + 1, ' ');
    return p ? strtoull(p + 1, NULL, 10) : 0;
}

static void boot_id(char out[64])
{
    out[0] = '\0';
    FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");
    if (f == NULL)
        return;
    if (fgets(out, 64, f) == NULL)
        out[0] = '\0';
    fclose(f);
    out[strcspn(out, "\n")] = '\0';
}

static void host_name(char out[128])
{
    if (gethostname(out, 128) != 0)
        out[0] = '\0';
    out[127] = '\0';
    for (char *c = out; *c; c++)
        if (*c == ' ')
            *c = '_';
}

void process_identity(char out[PROCESS_IDENTITY_TEXT])
{
    char host[128], boot[64];
    host_name(host);
    boot_id(boot);
    long pid = (long)getpid();
    snprintf(out, PROCESS_IDENTITY_TEXT, "%s %s %ld %llu", host[0] ? host : "-", boot[0] ? boot : "-", pid,
             start_ticks(pid));
}

bool process_identity_gone(const char *identity)
{
    char host[128], boot[64], their_host[128], their_boot[64];
    long pid;
    unsigned long long started;
    if (identity == NULL || sscanf(identity, "%127s %63s %ld %llu", their_host, their_boot, &pid, &started) != 4)
        return false;
    host_name(host);
    boot_id(boot);
    if (strcmp(their_host, host[0] ? host : "-") != 0 || boot[0] == '\0')
        return false; /* another machine: nothing here can tell */
    if (strcmp(their_boot, boot) != 0)
        return true; /* this machine has restarted since */
    if (pid <= 0)
        return false;
    unsigned long long now_started = start_ticks(pid);
    return now_started == 0 || now_started != started;
}
