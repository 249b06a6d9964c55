/*
 * Process identities: this process is alive, a process that has exited is gone, and what cannot
 * be checked here (another machine, a malformed name) is never taken for gone.
 */
#include "../test_support.h"

#include "lib/process.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void this_process_is_not_gone(void **state)
{
    (void)state;
    char me[PROCESS_IDENTITY_TEXT];
    process_identity(me);
    assert_false(process_identity_gone(me));
}

static void a_process_that_has_exited_is_gone(void **state)
{
    (void)state;
    int pipe_fds[2];
    assert_int_equal(pipe(pipe_fds), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        char id[PROCESS_IDENTITY_TEXT];
        process_identity(id);
        ssize_t n = write(pipe_fds[1], id, strlen(id) + 1);
        _exit(n > 0 ? 0 : 1);
    }
    char theirs[PROCESS_IDENTITY_TEXT] = "";
    assert_true(read(pipe_fds[0], theirs, sizeof(theirs)) > 0);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    int status;
    waitpid(child, &status, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_true(process_identity_gone(theirs));
}

static void a_reused_id_or_another_boot_is_gone(void **state)
{
    (void)state;
    char me[PROCESS_IDENTITY_TEXT], host[128], boot[64];
    long pid;
    unsigned long long started;
    process_identity(me);
    assert_int_equal(sscanf(me, "%127s %63s %ld %llu", host, boot, &pid, &started), 4);
    char other[PROCESS_IDENTITY_TEXT];
    snprintf(other, sizeof(other), "%s %s %ld %llu", host, boot, pid, started + 1); /* same id, started later */
    assert_true(process_identity_gone(other));
    snprintf(other, sizeof(other), "%s %s %ld %llu", host, "another-boot", pid, started);
    assert_true(process_identity_gone(other));
}

static void what_cannot_be_checked_is_never_gone(void **state)
{
    (void)state;
    assert_false(process_identity_gone("some-other-machine boot 1 1"));
    assert_false(process_identity_gone("not an identity"));
    assert_false(process_identity_gone(""));
    assert_false(process_identity_gone(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(this_process_is_not_gone),
        cmocka_unit_test(a_process_that_has_exited_is_gone),
        cmocka_unit_test(a_reused_id_or_another_boot_is_gone),
        cmocka_unit_test(what_cannot_be_checked_is_never_gone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
