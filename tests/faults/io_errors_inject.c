/*
 * Loaded into `npq serve` with LD_PRELOAD by tests/faults/io_errors.test.js: while the file named
 * by NPQ_IO_ERRORS_SWITCH exists, writes ("write" in it) or syncs ("sync" in it) of files under
 * the directory NPQ_IO_ERRORS_DIR fail with EIO, as a failing disk's would. Sockets, logs and
 * every file elsewhere are untouched, and reads always work, so the test sees how the server
 * answers a disk that fails under it and whether it recovers once the disk works again.
 */
/* Both pwrite and pwrite64 are replaced, so the names must not be mapped onto each other. */
#undef _FILE_OFFSET_BITS
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

enum fault { FAULT_WRITE, FAULT_SYNC };

/* Whether the switch is on for this kind of call and fd is a file under the directory. */
static bool failing(int fd, enum fault fault)
{
    const char *dir = getenv("NPQ_IO_ERRORS_DIR");
    const char *switch_path = getenv("NPQ_IO_ERRORS_SWITCH");
    if (dir == NULL || switch_path == NULL)
        return false;
    FILE *f = fopen(switch_path, "re");
    if (f == NULL)
        return false;
    char mode[16] = "";
    bool read = fgets(mode, sizeof mode, f) != NULL;
    fclose(f);
    if (!read || strstr(mode, fault == FAULT_WRITE ? "write" : "sync") == NULL)
        return false;

    char link[64], target[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0)
        return false;
    target[n] = '\0';
    size_t dir_length = strlen(dir);
    return strncmp(target, dir, dir_length) == 0 && target[dir_length] == '/';
}

/* The libc function the name would reach without this library. */
static void *next_symbol(const char *name)
{
    void *f = dlsym(RTLD_NEXT, name);
    if (f == NULL)
        abort();
    return f;
}

#define FAIL_OR_CALL(fd, fault, type, name, ...)                                                                       \
    do {                                                                                                               \
        if (failing(fd, fault)) {                                                                                      \
            errno = EIO;                                                                                               \
            return -1;                                                                                                 \
        }                                                                                                              \
        static type *real;                                                                                             \
        if (real == NULL)                                                                                              \
            real = (type *)next_symbol(name);                                                                          \
        return real(__VA_ARGS__);                                                                                      \
    } while (0)

typedef ssize_t write_fn(int, const void *, size_t);
typedef ssize_t pwrite_fn(int, const void *, size_t, off_t);
typedef ssize_t pwrite64_fn(int, const void *, size_t, off64_t);
typedef int sync_fn(int);

ssize_t write(int fd, const void *buf, size_t count)
{
    FAIL_OR_CALL(fd, FAULT_WRITE, write_fn, "write", fd, buf, count);
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)
{
    FAIL_OR_CALL(fd, FAULT_WRITE, pwrite_fn, "pwrite", fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off64_t offset)
{
    FAIL_OR_CALL(fd, FAULT_WRITE, pwrite64_fn, "pwrite64", fd, buf, count, offset);
}

int fsync(int fd)
{
    FAIL_OR_CALL(fd, FAULT_SYNC, sync_fn, "fsync", fd);
}

int fdatasync(int fd)
{
    FAIL_OR_CALL(fd, FAULT_SYNC, sync_fn, "fdatasync", fd);
}
