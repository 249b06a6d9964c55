/*
 * Outgoing mail: the message format (headers, CRLF, encoded subjects, no header injection), the
 * retry schedule, the outbox's claims and leases in the store, and the mailer end to end against
 * a real SMTP server (Debian's aiosmtpd writing a maildir), including a server that is not there.
 */
#include "../test_support.h"

#include "mail/mailer.h"
#include "store/store.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- Helpers ---- */

struct fixture {
    char dir[64];
    char db[96];
    char maildir[96];
    struct store_engine *engine;
    struct store *store;
    struct mailer *mailer; /* stopped by teardown when a test fails with it running */
    pid_t sink;            /* the SMTP server, killed by teardown */
    int port;
    int saved_stdout;
};

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    socklen_t len = sizeof(addr);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
    close(fd);
    return ntohs(addr.sin_port);
}

static bool port_open(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {
        .sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bool open = connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0;
    close(fd);
    return open;
}

/* aiosmtpd comes from Debian's python3-aiosmtpd, so it belongs to the system's interpreter,
 * which may not be the first python3 on PATH. */
static const char *python_with_aiosmtpd(void)
{
    return access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
}

static void sink_start(struct fixture *f)
{
    f->port = free_port();
    char listen[32], log[128];
    snprintf(listen, sizeof(listen), "127.0.0.1:%d", f->port);
    snprintf(log, sizeof(log), "%s/sink.log", f->dir);
    const char *python = python_with_aiosmtpd();
    pid_t parent = getpid();
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* Dies with the test even if the test crashes before its teardown. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
            close(fd);
        }
        execlp(python, python, "-m", "aiosmtpd", "-n", "-l", listen, "-c", "aiosmtpd.handlers.Mailbox", f->maildir,
               (char *)NULL);
        _exit(127);
    }
    f->sink = pid;
    for (int i = 0; i < 500 && !port_open(f->port); i++) {
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            f->sink = 0;
            fail_msg("the SMTP sink exited (is python3-aiosmtpd installed? see %s)", log);
        }
        sleep_ms(20);
    }
    if (!port_open(f->port))
        fail_msg("the SMTP sink did not listen on %s within 10 s (see %s)", listen, log);
}

static void sink_stop(struct fixture *f)
{
    if (f->sink <= 0)
        return;
    kill(f->sink, SIGTERM);
    int status;
    for (int i = 0; i < 250 && waitpid(f->sink, &status, WNOHANG) == 0; i++)
        sleep_ms(20);
    kill(f->sink, SIGKILL); /* harmless when already gone and reaped */
    waitpid(f->sink, &status, 0);
    f->sink = 0;
}

static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

static int delivered(struct fixture *f)
{
    char dir[128];
    snprintf(dir, sizeof(dir), "%s/new", f->maildir);
    int n = count_files(dir);
    snprintf(dir, sizeof(dir), "%s/cur", f->maildir);
    return n + count_files(dir);
}

/* The whole of a file, NUL-terminated; the caller frees it. */
static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    struct buf b;
    buf_init(&b, 1 << 20);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
        assert_true(buf_append(&b, chunk, n));
    fclose(fp);
    assert_true(buf_append(&b, "", 0));
    return b.data;
}

static char *first_delivered(struct fixture *f)
{
    char dir[128], path[512];
    snprintf(dir, sizeof(dir), "%s/new", f->maildir);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL && e->d_name[0] == '.')
        ;
    assert_non_null(e);
    snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
    closedir(d);
    return slurp(path);
}

static int64_t pending(struct fixture *f)
{
    int64_t n = -1;
    assert_int_equal(store_mail_pending(f->store, &n), STORE_OK);
    return n;
}

/* What the store keeps about a message but does not hand out: read straight from SQLite. */
struct row {
    int attempts;
    char last_error[512];
    bool sent;
    int64_t not_before;
};

static bool read_row(struct fixture *f, struct row *row)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt *stmt;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT attempts, coalesce(last_error, ''), sent_at IS NOT NULL, not_before"
                                        " FROM mail_outbox ORDER BY id LIMIT 1",
                                        -1, &stmt, NULL),
                     SQLITE_OK);
    bool found = sqlite3_step(stmt) == SQLITE_ROW;
    if (found) {
        row->attempts = sqlite3_column_int(stmt, 0);
        snprintf(row->last_error, sizeof(row->last_error), "%s", (const char *)sqlite3_column_text(stmt, 1));
        row->sent = sqlite3_column_int(stmt, 2) != 0;
        row->not_before = sqlite3_column_int64(stmt, 3);
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return found;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    f->saved_stdout = -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/npq-mailer-test-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->db, sizeof(f->db), "%s/npq.db", f->dir);
    snprintf(f->maildir, sizeof(f->maildir), "%s/maildir", f->dir);
    char err[256];
    f->engine = store_engine_open(f->db, err, sizeof(err));
    assert_non_null(f->engine);
    f->store = store_connect(f->engine, err, sizeof(err));
    assert_non_null(f->store);
    int version = 0;
    assert_int_equal(store_migrate(f->store, &version), STORE_OK);
    *state = f;
    return 0;
}

static int setup_with_sink(void **state)
{
    setup(state);
    sink_start(*state);
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    if (f->saved_stdout >= 0) {
        fflush(stdout);
        dup2(f->saved_stdout, STDOUT_FILENO);
        close(f->saved_stdout);
    }
    mailer_stop(f->mailer);
    sink_stop(f);
    store_close(f->store);
    store_engine_close(f->engine);
    nftw(f->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

static void start_mailer(struct fixture *f, const char *smtp_url)
{
    struct mailer_options options = {
        .engine = f->engine, .smtp_url = smtp_url, .from = "npq@example.org", .poll_ms = 50};
    char err[256] = "";
    f->mailer = mailer_start(&options, err, sizeof(err));
    if (f->mailer == NULL)
        fail_msg("mailer_start: %s", err);
}

static void stop_mailer(struct fixture *f)
{
    mailer_stop(f->mailer);
    f->mailer = NULL;
}

/* ---- The message format ---- */

static char *format(const char *to, const char *subject, const char *body)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    assert_true(mailer_format(&b, "npq@example.org", to, subject, body, 1700000000, "42.abc@example.org"));
    return b.data;
}

/* Every line ends in CRLF: no bare LF, no bare CR, and the text ends with a line end. */
static void assert_crlf_only(const char *text)
{
    size_t len = strlen(text);
    assert_true(len >= 2);
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n')
            assert_true(i > 0 && text[i - 1] == '\r');
        if (text[i] == '\r')
            assert_true(text[i + 1] == '\n');
    }
    assert_string_equal(text + len - 2, "\r\n");
}

static void format_writes_the_headers_and_crlf_lines(void **state)
{
    (void)state;
    char *text = format("ada@example.org", "Your invitation", "Hello Ada,\n\n.Join us\r\nBye\rnow");
    assert_crlf_only(text);
    const char *expected_head = "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"
                                "From: npq@example.org\r\n"
                                "To: ada@example.org\r\n"
                                "Subject: Your invitation\r\n"
                                "Message-ID: <42.abc@example.org>\r\n"
                                "MIME-Version: 1.0\r\n"
                                "Content-Type: text/plain; charset=utf-8\r\n"
                                "Content-Transfer-Encoding: 8bit\r\n"
                                "\r\n";
    assert_memory_equal(text, expected_head, strlen(expected_head));
    /* Dot-stuffing is libcurl's job: the body keeps its leading dot here. */
    assert_string_equal(text + strlen(expected_head), "Hello Ada,\r\n\r\n.Join us\r\nBye\r\nnow\r\n");
    free(text);
}

static void format_encodes_a_subject_that_is_not_ascii(void **state)
{
    (void)state;
    char *text = format("ada@example.org", "Réinitialiser votre mot de passe", "x");
    assert_non_null(strstr(text, "\r\nSubject: =?UTF-8?B?UsOpaW5pdGlhbGlzZXIgdm90cmUgbW90IGRlIHBhc3Nl?=\r\n"));
    assert_null(strstr(text, "Réinitialiser"));
    free(text);

    /* A long one is folded into several encoded words, each of whole characters, lines < 78. */
    const char *long_subject = "ééééééééééééééééééééééééééééééééééééééééééééééééééééééé"; /* 55 × 2 bytes */
    text = format("ada@example.org", long_subject, "x");
    assert_crlf_only(text);
    /* 39-byte chunks, backed off to 38 so no character is split: 19 + 19 + 17 characters. */
    const char *expected = "\r\nSubject: =?UTF-8?B?w6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6k=?=\r\n"
                           " =?UTF-8?B?w6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6k=?=\r\n"
                           " =?UTF-8?B?w6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqQ==?=\r\n"
                           "Message-ID: ";
    assert_non_null(strstr(text, expected));
    for (const char *line = text; *line;) {
        const char *end = strstr(line, "\r\n");
        assert_true(end - line < 78);
        line = end + 2;
    }
    free(text);
}

static void format_refuses_header_injection(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1 << 20);
    assert_false(mailer_format(&b, "npq@example.org", "ada@example.org\r\nBcc: eve@example.org", "s", "b", 0, "1@x"));
    assert_false(mailer_format(&b, "npq@example.org", "ada@example.org, eve@example.org", "s", "b", 0, "1@x"));
    assert_false(mailer_format(&b, "npq@example.org", "", "s", "b", 0, "1@x"));
    assert_false(mailer_format(&b, "npq@example.org", "ada@example.org", "s", "b", 0, "1@x>\r\nBcc: e@x"));
    buf_free(&b);

    /* A subject cannot start a header of its own: its line breaks become spaces. */
    char *text = format("ada@example.org", "Hi\r\nBcc: eve@example.org", "x");
    assert_null(strstr(text, "\r\nBcc:"));
    assert_non_null(strstr(text, "\r\nSubject: Hi  Bcc: eve@example.org\r\n"));
    free(text);
}

static void format_breaks_lines_longer_than_rfc_5322_allows(void **state)
{
    (void)state;
    char body[2501];
    memset(body, 'a', 2000);
    memcpy(body + 2000, "\n", 2);
    char *text = format("ada@example.org", "s", body);
    assert_crlf_only(text);
    size_t total = 0;
    for (const char *line = strstr(text, "\r\n\r\n") + 4; *line;) {
        const char *end = strstr(line, "\r\n");
        assert_true(end - line <= 998);
        total += (size_t)(end - line);
        line = end + 2;
    }
    assert_int_equal(total, 2000);
    free(text);

    /* The break never splits a UTF-8 character. */
    for (size_t i = 0; i < 2500; i += 2)
        memcpy(body + i, "\xc3\xa9", 2);
    body[2500] = '\0';
    text = format("ada@example.org", "s", body);
    for (const char *line = strstr(text, "\r\n\r\n") + 4; *line;) {
        const char *end = strstr(line, "\r\n");
        assert_true(end - line <= 998);
        assert_int_equal((end - line) % 2, 0);
        assert_int_equal((unsigned char)line[0], 0xc3);
        line = end + 2;
    }
    free(text);
}

static void retries_back_off_to_an_hour_then_give_up(void **state)
{
    (void)state;
    assert_int_equal(mailer_retry_at(1, 1000), 1030);
    assert_int_equal(mailer_retry_at(2, 1000), 1060);
    assert_int_equal(mailer_retry_at(3, 1000), 1120);
    assert_int_equal(mailer_retry_at(7, 1000), 1000 + 1920);
    assert_int_equal(mailer_retry_at(8, 1000), 1000 + 3600);
    assert_int_equal(mailer_retry_at(9, 1000), 1000 + 3600);
    assert_int_equal(mailer_retry_at(10, 1000), MAILER_NEVER);
    assert_int_equal(mailer_retry_at(11, 1000), MAILER_NEVER);
}

/* ---- The outbox in the store ---- */

static void claim(struct fixture *f, int64_t now, struct arena *arena, struct mail_message *m)
{
    assert_int_equal(store_mail_claim(f->store, NULL, now, 120, arena, m), STORE_OK);
}

static void assert_none_due(struct fixture *f, int64_t now)
{
    struct arena arena = ARENA_INIT;
    struct mail_message m;
    assert_int_equal(store_mail_claim(f->store, NULL, now, 120, &arena, &m), STORE_NOT_FOUND);
    arena_release(&arena);
}

static void outbox_hands_out_each_message_once_until_its_lease_or_retry(void **state)
{
    struct fixture *f = *state;
    struct arena arena = ARENA_INIT;
    struct mail_message first, second, again;
    assert_int_equal(store_mail_enqueue(f->store, "ada@example.org", "First", "Body one", 1000), STORE_OK);
    assert_int_equal(store_mail_enqueue(f->store, "bob@example.org", "Second", "Body two", 1000), STORE_OK);
    assert_int_equal(pending(f), 2);
    assert_none_due(f, 999);

    claim(f, 1000, &arena, &first);
    assert_string_equal(first.recipient, "ada@example.org");
    assert_string_equal(first.subject, "First");
    assert_string_equal(first.body, "Body one");
    assert_int_equal(first.attempts, 1);
    claim(f, 1000, &arena, &second); /* the first is leased, so the other comes next */
    assert_string_equal(second.recipient, "bob@example.org");
    assert_true(second.id != first.id);
    assert_none_due(f, 1000);

    assert_int_equal(store_mail_mark_sent(f->store, second.id, 1001), STORE_OK);
    assert_int_equal(pending(f), 1);

    /* A sender that died holding the lease: the message comes back once the lease has passed. */
    assert_none_due(f, 1120);
    claim(f, 1121, &arena, &again);
    assert_int_equal(again.id, first.id);
    assert_int_equal(again.attempts, 2);

    /* A failure makes it due again at retry_at, not before. */
    assert_int_equal(store_mail_mark_failed(f->store, first.id, 2000, "connection refused"), STORE_OK);
    assert_none_due(f, 1999);
    claim(f, 2000, &arena, &again);
    assert_int_equal(again.id, first.id);
    assert_int_equal(again.attempts, 3);

    assert_int_equal(store_mail_mark_sent(f->store, first.id, 2001), STORE_OK);
    assert_int_equal(pending(f), 0);
    assert_none_due(f, 1000000);
    assert_int_equal(store_mail_mark_sent(f->store, 999999, 1), STORE_NOT_FOUND);
    arena_release(&arena);
}

enum { RACE_MESSAGES = 60 };

struct racer {
    const char *db;
    int64_t ids[RACE_MESSAGES];
    int count;
    bool failed;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    char err[256];
    struct store *store = store_open(r->db, err, sizeof(err));
    if (store == NULL) {
        r->failed = true;
        return NULL;
    }
    struct arena arena = ARENA_INIT;
    for (;;) {
        struct mail_message m;
        enum store_status status = store_mail_claim(store, NULL, 5000, 120, &arena, &m);
        if (status == STORE_NOT_FOUND)
            break;
        if (status != STORE_OK || r->count == RACE_MESSAGES) {
            r->failed = true;
            break;
        }
        r->ids[r->count++] = m.id;
        arena_release(&arena);
    }
    arena_release(&arena);
    store_close(store);
    return NULL;
}

static void claims_from_two_connections_never_overlap(void **state)
{
    struct fixture *f = *state;
    for (int i = 0; i < RACE_MESSAGES; i++)
        assert_int_equal(store_mail_enqueue(f->store, "ada@example.org", "s", "b", 1000), STORE_OK);
    struct racer racers[2] = {{.db = f->db}, {.db = f->db}};
    pthread_t threads[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, race, &racers[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(threads[i], NULL);
    assert_false(racers[0].failed);
    assert_false(racers[1].failed);
    assert_int_equal(racers[0].count + racers[1].count, RACE_MESSAGES);
    bool seen[RACE_MESSAGES + 1] = {false};
    for (int r = 0; r < 2; r++)
        for (int i = 0; i < racers[r].count; i++) {
            int64_t id = racers[r].ids[i];
            assert_true(id >= 1 && id <= RACE_MESSAGES);
            assert_false(seen[id]);
            seen[id] = true;
        }
}

/* ---- The mailer ---- */

static void mailer_delivers_once_through_smtp(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(store_mail_enqueue(f->store, "ada@example.org", "Welcome to npq",
                                        "Hello Ada,\n.a line that starts with a dot\nCaf\xc3\xa9 at ten.\n",
                                        (int64_t)time(NULL)),
                     STORE_OK);
    char url[64];
    snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", f->port);
    start_mailer(f, url);
    for (int i = 0; i < 500 && (delivered(f) < 1 || pending(f) > 0); i++)
        sleep_ms(20);
    stop_mailer(f);
    assert_int_equal(delivered(f), 1);
    assert_int_equal(pending(f), 0);

    char *text = first_delivered(f);
    assert_non_null(strstr(text, "Subject: Welcome to npq\n"));
    assert_non_null(strstr(text, "To: ada@example.org\n"));
    assert_non_null(strstr(text, "From: npq@example.org\n"));
    assert_non_null(strstr(text, "Message-ID: <1."));
    assert_non_null(strstr(text, "\nHello Ada,\n.a line that starts with a dot\nCaf\xc3\xa9 at ten.\n"));
    free(text);

    /* A second mailer finds nothing left to send. */
    start_mailer(f, url);
    sleep_ms(500);
    stop_mailer(f);
    assert_int_equal(delivered(f), 1);
    struct row row;
    assert_true(read_row(f, &row));
    assert_true(row.sent);
    assert_int_equal(row.attempts, 1);
}

static void mailer_keeps_a_message_it_could_not_send(void **state)
{
    struct fixture *f = *state;
    int port = f->port;
    sink_stop(f); /* nothing listens on the port any more */
    assert_false(port_open(port));
    int64_t queued = (int64_t)time(NULL);
    assert_int_equal(store_mail_enqueue(f->store, "ada@example.org", "Welcome", "Hello", queued), STORE_OK);
    char url[64];
    snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", port);
    start_mailer(f, url);
    struct row row = {0};
    for (int i = 0; i < 500 && !(read_row(f, &row) && row.last_error[0] != '\0'); i++)
        sleep_ms(20);
    stop_mailer(f);
    assert_true(read_row(f, &row));
    assert_false(row.sent);
    assert_int_equal(row.attempts, 1); /* tried once, then waits for its retry time */
    assert_true(row.last_error[0] != '\0');
    assert_true(row.not_before >= queued + 30 && row.not_before <= (int64_t)time(NULL) + 30);
    assert_int_equal(pending(f), 1);
}

static void mailer_in_log_mode_prints_and_marks_sent(void **state)
{
    struct fixture *f = *state;
    char out[128];
    snprintf(out, sizeof(out), "%s/stdout.txt", f->dir);
    assert_int_equal(
        store_mail_enqueue(f->store, "ada@example.org", "Reset your password", "Follow the link.", (int64_t)time(NULL)),
        STORE_OK);
    fflush(stdout);
    f->saved_stdout = dup(STDOUT_FILENO);
    int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    dup2(fd, STDOUT_FILENO);
    close(fd);
    start_mailer(f, "log");
    for (int i = 0; i < 500 && pending(f) > 0; i++)
        sleep_ms(20);
    stop_mailer(f);
    fflush(stdout);
    dup2(f->saved_stdout, STDOUT_FILENO);
    close(f->saved_stdout);
    f->saved_stdout = -1;

    assert_int_equal(pending(f), 0);
    char *text = slurp(out);
    assert_non_null(strstr(text, "npq: mail to ada@example.org: Reset your password\nFollow the link.\n---"));
    free(text);
}

static void mailer_refuses_options_it_cannot_use(void **state)
{
    struct fixture *f = *state;
    char err[256] = "";
    struct mailer_options options = {.engine = f->engine, .smtp_url = "http://example.org/"};
    assert_null(mailer_start(&options, err, sizeof(err)));
    assert_non_null(strstr(err, "smtp://"));
    options = (struct mailer_options){.engine = f->engine, .from = "npq@example.org\r\nBcc: eve@example.org"};
    assert_null(mailer_start(&options, err, sizeof(err)));
    mailer_stop(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(format_writes_the_headers_and_crlf_lines),
        cmocka_unit_test(format_encodes_a_subject_that_is_not_ascii),
        cmocka_unit_test(format_refuses_header_injection),
        cmocka_unit_test(format_breaks_lines_longer_than_rfc_5322_allows),
        cmocka_unit_test(retries_back_off_to_an_hour_then_give_up),
        cmocka_unit_test_setup_teardown(outbox_hands_out_each_message_once_until_its_lease_or_retry, setup, teardown),
        cmocka_unit_test_setup_teardown(claims_from_two_connections_never_overlap, setup, teardown),
        cmocka_unit_test_setup_teardown(mailer_delivers_once_through_smtp, setup_with_sink, teardown),
        cmocka_unit_test_setup_teardown(mailer_keeps_a_message_it_could_not_send, setup_with_sink, teardown),
        cmocka_unit_test_setup_teardown(mailer_in_log_mode_prints_and_marks_sent, setup, teardown),
        cmocka_unit_test_setup_teardown(mailer_refuses_options_it_cannot_use, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
