/*
 * The mailer thread and the message format it sends. Separate from the store, which only keeps
 * the outbox's bookkeeping, and from the HTTP layer, which only queues: this is the one place
 * that talks SMTP (through libcurl) and decides when a failed message is tried again.
 */
#include "mail/mailer.h"

#include "lib/arena.h"
#include "lib/clock.h"
#include "lib/die.h"
#include "lib/process.h"
#include "store/store.h"

#include <curl/curl.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

enum {
    DEFAULT_POLL_MS = 500,
    MESSAGE_MAX = 4 * 1024 * 1024, /* far above any message npq writes; a bound, not a target */
    LINE_MAX_OCTETS = 998,         /* RFC 5322 2.1.1, not counting the CRLF */
    SUBJECT_CHUNK = 39,            /* bytes per encoded word: 52 base64 characters, lines under 78 */
    CONNECT_TIMEOUT_S = 10,
    TRANSFER_TIMEOUT_S = 30,
    MARK_SENT_TRIES = 10, /* a busy database must not turn a delivered message into a second one */
    ORPHANS_EVERY_S = 30, /* how often to look for leases that dead senders left */
};

struct mailer {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake; /* signalled by mailer_stop, so a sleeping thread leaves at once */
    bool stopping;       /* under lock */
    struct store *store; /* used by the thread alone once it runs */
    char *smtp_url;      /* NULL: log mode */
    char *from, *username, *password;
    int poll_ms;
    bool store_failing;                  /* so a broken database is reported once, not every poll */
    char claimer[PROCESS_IDENTITY_TEXT]; /* this process, as the leases it takes name it */
    time_t orphans_checked_at;
};

/* ---- Formatting ---- */

static bool is_continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* An address we can put both in the envelope and in a header as it is: printable ASCII with no
 * spaces, brackets or commas, so it can neither end the header nor name a second recipient. */
static bool plain_address(const char *s)
{
    if (s == NULL || *s == '\0')
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p >= 0x7F || *p == '<' || *p == '>' || *p == ',' || *p == '"')
            return false;
    return true;
}

static bool append_base64(struct buf *out, const unsigned char *data, size_t len)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char quad[4];
    for (size_t i = 0; i < len; i += 3) {
        uint32_t n = (uint32_t)data[i] << 16;
        if (i + 1 < len)
            n |= (uint32_t)data[i + 1] << 8;
        if (i + 2 < len)
            n |= data[i + 2];
        quad[0] = alphabet[(n >> 18) & 63];
        quad[1] = alphabet[(n >> 12) & 63];
        quad[2] = i + 1 < len ? alphabet[(n >> 6) & 63] : '=';
        quad[3] = i + 2 < len ? alphabet[n & 63] : '=';
        if (!buf_append(out, quad, 4))
            return false;
    }
    return true;
}

/* The subject as it goes on the wire: control characters (a CR or LF would end the header and
 * start another) become spaces, then it is written plainly when it is short printable ASCII that
 * no reader could mistake for an encoded word, and as RFC 2047 B-encoded words otherwise, each
 * holding whole UTF-8 characters, folded one to a line. */
static bool append_subject(struct buf *out, const char *subject)
{
    size_t len = strlen(subject);
    char *clean = malloc(len + 1);
    if (clean == NULL)
        die("out of memory");
    bool plain = len <= 900 && strstr(subject, "=?") == NULL;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)subject[i];
        clean[i] = c < 0x20 || c == 0x7F ? ' ' : (char)c;
        if (c >= 0x80)
            plain = false;
    }
    clean[len] = '\0';
    bool ok = buf_append_str(out, "Subject: ");
    if (plain) {
        ok = ok && buf_append(out, clean, len);
    } else {
        const unsigned char *p = (const unsigned char *)clean;
        size_t left = len;
        bool first = true;
        while (ok && (left > 0 || first)) {
            size_t n = left < SUBJECT_CHUNK ? left : SUBJECT_CHUNK;
            if (n < left) {
                size_t cut = n;
                while (cut > 0 && is_continuation(p[cut]))
                    cut--;
                if (cut > 0) /* else not UTF-8 at all: split anywhere rather than loop */
                    n = cut;
            }
            ok = (first || buf_append_str(out, "\r\n ")) && buf_append_str(out, "=?UTF-8?B?") &&
                 append_base64(out, p, n) && buf_append_str(out, "?=");
            p += n;
            left -= n;
            first = false;
        }
    }
    free(clean);
    return ok && buf_append_str(out, "\r\n");
}

static size_t utf8_length(unsigned char lead)
{
    if (lead < 0x80 || is_continuation(lead))
        return 1;
    if (lead < 0xE0)
        return 2;
    if (lead < 0xF0)
        return 3;
    return 4;
}

/* The body with every line end as CRLF (LF, CR and CRLF all count as one) and no line longer
 * than RFC 5322 allows: an overlong line is broken before the character that would pass it. */
static bool append_body(struct buf *out, const char *body)
{
    static const char crlf[] = "\r\n";
    size_t column = 0;
    const unsigned char *p = (const unsigned char *)body;
    while (*p) {
        if (*p == '\r' || *p == '\n') {
            if (!buf_append(out, crlf, 2))
                return false;
            p += p[0] == '\r' && p[1] == '\n' ? 2 : 1;
            column = 0;
            continue;
        }
        size_t n = is_continuation(*p) ? 1 : utf8_length(*p);
        for (size_t i = 1; i < n; i++)
            if (p[i] == '\0' || !is_continuation(p[i])) {
                n = i; /* a truncated sequence: copy what there is */
                break;
            }
        if (column + n > LINE_MAX_OCTETS) {
            if (!buf_append(out, crlf, 2))
                return false;
            column = 0;
        }
        if (!buf_append(out, p, n))
            return false;
        column += n;
        p += n;
    }
    return column == 0 || buf_append(out, crlf, 2);
}

bool mailer_format(struct buf *out, const char *from, const char *to, const char *subject, const char *body,
                   int64_t now, const char *message_id)
{
    static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (!plain_address(from) || !plain_address(to) || !plain_address(message_id))
        return false;
    time_t t = (time_t)now;
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL)
        return false;
    /* Names from our own tables: strftime's %a and %b would follow the locale. */
    return buf_appendf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday], tm.tm_mday,
                       months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec) &&
           buf_appendf(out, "From: %s\r\nTo: %s\r\n", from, to) && append_subject(out, subject ? subject : "") &&
           buf_appendf(out, "Message-ID: <%s>\r\n", message_id) &&
           buf_append_str(out, "MIME-Version: 1.0\r\n"
                               "Content-Type: text/plain; charset=utf-8\r\n"
                               "Content-Transfer-Encoding: 8bit\r\n"
                               "\r\n") &&
           append_body(out, body ? body : "");
}

int64_t mailer_retry_at(int attempts, int64_t now)
{
    if (attempts >= MAILER_MAX_ATTEMPTS)
        return MAILER_NEVER;
    int64_t delay = 30;
    for (int i = 1; i < attempts && delay < 3600; i++)
        delay *= 2;
    return now + (delay < 3600 ? delay : 3600);
}

/* ---- Sending ---- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_result;

static void curl_init(void)
{
    curl_init_result = curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct upload {
    const char *data;
    size_t len, pos;
};

static size_t read_upload(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct upload *up = userdata;
    size_t room = size * nmemb, left = up->len - up->pos;
    size_t n = left < room ? left : room;
    memcpy(ptr, up->data + up->pos, n);
    up->pos += n;
    return n;
}

/* True when the SMTP server accepted the message; otherwise why not in error. */
static bool smtp_send(struct mailer *m, const char *to, const struct buf *message, char *error, size_t error_size)
{
    CURL *curl = curl_easy_init();
    if (curl == NULL) {
        snprintf(error, error_size, "libcurl could not start");
        return false;
    }
    char curl_error[CURL_ERROR_SIZE] = "";
    struct upload up = {message->data, message->len, 0};
    struct curl_slist *recipients = curl_slist_append(NULL, to);
    if (recipients == NULL)
        die("out of memory");
    CURLcode rc = curl_easy_setopt(curl, CURLOPT_URL, m->smtp_url);
    if (rc == CURLE_OK) /* a mistyped URL must not make the mailer fetch or write files */
        rc = curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(curl, CURLOPT_MAIL_FROM, m->from);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    if (rc == CURLE_OK && m->username != NULL) {
        rc = curl_easy_setopt(curl, CURLOPT_USERNAME, m->username);
        if (rc == CURLE_OK)
            rc = curl_easy_setopt(curl, CURLOPT_PASSWORD, m->password ? m->password : "");
    }
    if (rc == CURLE_OK) {
        curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_error);
        curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
        curl_easy_setopt(curl, CURLOPT_READDATA, &up);
        curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, (long)CONNECT_TIMEOUT_S);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)TRANSFER_TIMEOUT_S);
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        /* STARTTLS when the server offers it; required when there is a password to protect. */
        curl_easy_setopt(curl, CURLOPT_USE_SSL, m->username != NULL ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
        rc = curl_easy_perform(curl);
    }
    if (rc != CURLE_OK) {
        long code = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
        const char *why = curl_error[0] ? curl_error : curl_easy_strerror(rc);
        if (code > 0)
            snprintf(error, error_size, "%s (SMTP reply %ld)", why, code);
        else
            snprintf(error, error_size, "%s", why);
    }
    curl_slist_free_all(recipients);
    curl_easy_cleanup(curl);
    return rc == CURLE_OK;
}

static void log_message(const struct mail_message *message)
{
    size_t len = strlen(message->body);
    flockfile(stdout);
    fprintf(stdout, "npq: mail to %s: %s\n%s%s", message->recipient, message->subject, message->body,
            len > 0 && message->body[len - 1] != '\n' ? "\n" : "");
    fputs("------------------------------------------------------------------------\n", stdout);
    fflush(stdout);
    funlockfile(stdout);
}

/* "<outbox id>.<random>@<the sender's domain>": unique without any state to keep. */
static void make_message_id(const char *from, int64_t id, char *out, size_t size)
{
    uint64_t nonce = 0;
    if (getrandom(&nonce, sizeof(nonce), 0) != (ssize_t)sizeof(nonce))
        nonce = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
    const char *at = strrchr(from, '@');
    snprintf(out, size, "%" PRId64 ".%016" PRIx64 "@%s", id, nonce, at && at[1] ? at + 1 : "localhost");
}

static void report_store(struct mailer *m, const char *what)
{
    fprintf(stderr, "npq: mailer: %s: %s\n", what, store_last_error(m->store));
}

enum pass {
    PASS_IDLE,  /* nothing due */
    PASS_DONE,  /* a message was handled; look for the next at once */
    PASS_ERROR, /* the database failed; wait before trying again */
};

static enum pass send_next(struct mailer *m, struct arena *arena)
{
    struct mail_message message;
    enum store_status status =
        store_mail_claim(m->store, m->claimer, clock_now(), MAILER_LEASE_SECONDS, arena, &message);
    if (status == STORE_NOT_FOUND || status == STORE_ERROR) {
        if (status == STORE_ERROR && !m->store_failing)
            report_store(m, "cannot claim mail");
        m->store_failing = status == STORE_ERROR;
        return status == STORE_ERROR ? PASS_ERROR : PASS_IDLE;
    }
    m->store_failing = false;

    char message_id[128], error[CURL_ERROR_SIZE + 64] = "";
    make_message_id(m->from, message.id, message_id, sizeof(message_id));
    struct buf text;
    buf_init(&text, MESSAGE_MAX);
    bool formatted =
        mailer_format(&text, m->from, message.recipient, message.subject, message.body, clock_now(), message_id);
    bool sent = false;
    if (!formatted)
        snprintf(error, sizeof(error), "cannot be sent: the recipient is not a plain address or it is too long");
    else if (m->smtp_url == NULL) {
        log_message(&message);
        sent = true;
    } else {
        sent = smtp_send(m, message.recipient, &text, error, sizeof(error));
    }
    buf_free(&text);

    if (sent) {
        /* Delivered: retry the bookkeeping rather than let the lease lapse and send it again. */
        for (int i = 0; i < MARK_SENT_TRIES; i++) {
            status = store_mail_mark_sent(m->store, message.id, clock_now());
            if (status != STORE_ERROR)
                break;
            report_store(m, "cannot mark mail sent");
            sleep(1);
        }
        return PASS_DONE;
    }
    int64_t retry_at = formatted ? mailer_retry_at(message.attempts, clock_now()) : MAILER_NEVER;
    char last_error[sizeof(error) + 64];
    if (retry_at == MAILER_NEVER && formatted)
        snprintf(last_error, sizeof(last_error), "gave up after %d attempts: %s", message.attempts, error);
    else
        snprintf(last_error, sizeof(last_error), "%s", error);
    fprintf(stderr, "npq: mail %" PRId64 " to %s, attempt %d: %s\n", message.id, message.recipient, message.attempts,
            last_error);
    if (store_mail_mark_failed(m->store, message.id, retry_at, last_error) == STORE_ERROR)
        report_store(m, "cannot record a failed mail"); /* the lease runs out and it is tried again */
    return PASS_DONE;
}

static bool stopping(struct mailer *m)
{
    pthread_mutex_lock(&m->lock);
    bool stop = m->stopping;
    pthread_mutex_unlock(&m->lock);
    return stop;
}

static void sleep_unless_stopped(struct mailer *m)
{
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += m->poll_ms / 1000;
    deadline.tv_nsec += (long)(m->poll_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&m->lock);
    while (!m->stopping && pthread_cond_timedwait(&m->wake, &m->lock, &deadline) != ETIMEDOUT)
        ;
    pthread_mutex_unlock(&m->lock);
}

/*
 * Takes back the leases of senders on this machine that have died holding them (a server killed
 * while sending): their messages are due again at once rather than when the lease runs out, so
 * the mail of a change acknowledged just before a crash still goes out promptly.
 */
static void release_orphans(struct mailer *m, struct arena *arena)
{
    time_t now = (time_t)clock_now();
    if (m->orphans_checked_at != 0 && now - m->orphans_checked_at < ORPHANS_EVERY_S)
        return;
    m->orphans_checked_at = now;
    const char **claimers;
    size_t count;
    if (store_mail_claimers(m->store, (int64_t)now, arena, &claimers, &count) != STORE_OK)
        return; /* reported by the next claim if the database is failing */
    for (size_t i = 0; i < count; i++)
        if (strcmp(claimers[i], m->claimer) != 0 && process_identity_gone(claimers[i]) &&
            store_mail_release(m->store, claimers[i]) == STORE_OK)
            fprintf(stderr, "npq: mailer: took back the mail leased by %s, which has stopped\n", claimers[i]);
}

static void *mailer_main(void *arg)
{
    struct mailer *m = arg;
    struct arena arena = ARENA_INIT;
    while (!stopping(m)) {
        release_orphans(m, &arena);
        enum pass pass = send_next(m, &arena);
        arena_release(&arena);
        if (pass != PASS_DONE)
            sleep_unless_stopped(m);
    }
    return NULL;
}

static char *copy(const char *s)
{
    if (s == NULL)
        return NULL;
    char *c = strdup(s);
    if (c == NULL)
        die("out of memory");
    return c;
}

static void mailer_free(struct mailer *m)
{
    store_close(m->store);
    free(m->smtp_url);
    free(m->from);
    free(m->username);
    free(m->password);
    pthread_cond_destroy(&m->wake);
    pthread_mutex_destroy(&m->lock);
    free(m);
}

struct mailer *mailer_start(const struct mailer_options *options, char *err, size_t err_size)
{
    const char *url = options->smtp_url;
    bool log_mode = url == NULL || strcmp(url, "log") == 0;
    if (!log_mode && strncasecmp(url, "smtp://", 7) != 0 && strncasecmp(url, "smtps://", 8) != 0) {
        snprintf(err, err_size, "the mail server must be \"log\" or a smtp:// or smtps:// URL, not \"%s\"", url);
        return NULL;
    }
    const char *from = options->from ? options->from : "npq@localhost";
    if (!plain_address(from)) {
        snprintf(err, err_size, "the sender \"%s\" is not a plain mail address", from);
        return NULL;
    }
    if (!log_mode) {
        pthread_once(&curl_once, curl_init);
        if (curl_init_result != CURLE_OK) {
            snprintf(err, err_size, "libcurl: %s", curl_easy_strerror(curl_init_result));
            return NULL;
        }
    }
    struct mailer *m = calloc(1, sizeof(*m));
    if (m == NULL)
        die("out of memory");
    pthread_mutex_init(&m->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC); /* sleeps must not stretch when the clock is set */
    pthread_cond_init(&m->wake, &attr);
    pthread_condattr_destroy(&attr);
    m->smtp_url = log_mode ? NULL : copy(url);
    m->from = copy(from);
    m->username = copy(options->username);
    m->password = copy(options->password);
    m->poll_ms = options->poll_ms > 0 ? options->poll_ms : DEFAULT_POLL_MS;
    process_identity(m->claimer);
    m->store = store_connect(options->engine, err, err_size);
    if (m->store == NULL) {
        mailer_free(m);
        return NULL;
    }
    /* The thread takes no process signals: stop requests belong to the thread that waits for
     * them, and a SIGPIPE from a closed TLS connection becomes an EPIPE error instead. */
    sigset_t all, old;
    sigfillset(&all);
    sigdelset(&all, SIGSEGV);
    sigdelset(&all, SIGBUS);
    sigdelset(&all, SIGFPE);
    sigdelset(&all, SIGILL);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&m->thread, NULL, mailer_main, m);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        snprintf(err, err_size, "cannot start the mailer thread: %s", strerror(rc));
        mailer_free(m);
        return NULL;
    }
    return m;
}

void mailer_stop(struct mailer *m)
{
    if (m == NULL)
        return;
    pthread_mutex_lock(&m->lock);
    m->stopping = true;
    pthread_cond_signal(&m->wake);
    pthread_mutex_unlock(&m->lock);
    pthread_join(m->thread, NULL);
    mailer_free(m);
}
