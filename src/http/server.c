/*
 * Threads, sockets and signals. Request handling starts at gate_dispatch.
 */
#include "http/server.h"

#include "app/files.h"
#include "http/connection_limit.h"
#include "http/forwarded.h"
#include "http/request_rate.h"
#include "http/gate.h"
#include "http/worker.h"
#include "mail/mailer.h"
#include "mail/dfe_syncer.h"
#include "mail/notifier.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

enum { SHUTDOWN_GRACE_MS = 10000, SHUTDOWN_IDLE_MS = 1000, LOOP_WAKE_MS = 100, MAX_THREADS = 64 };

static atomic_bool stopping;
static struct connection_limit *connections;
static struct request_rate *request_rates; /* NULL for no limit; like connections, lives until exit */

struct handler {
    h2o_handler_t super;
};

static int on_request(h2o_handler_t *self, h2o_req_t *req)
{
    (void)self;
    struct worker *worker = H2O_STRUCT_FROM_MEMBER(struct worker, ctx, req->conn->ctx);
    gate_dispatch(worker, req);
    return 0;
}

/* The client a connection counts against rides in its close callback's data: 64 bits of key in
 * a pointer, so that nothing is allocated per connection. */
_Static_assert(sizeof(uintptr_t) >= sizeof(uint64_t), "a client key fits in a pointer");

static void on_connection_close(void *data)
{
    connection_limit_leave(connections, (uint64_t)(uintptr_t)data);
}

/* Over a cap, the client hears why before the connection closes: one write into an empty socket
 * buffer, never waited for. */
static void refuse_connection(h2o_socket_t *sock)
{
    static const char body[] = "{\"error\":{\"status\":503,\"code\":\"too_many_connections\",\"message\":\"Too many "
                               "connections are open from your address. Try again soon.\"}}";
    char answer[512];
    int len = snprintf(answer, sizeof(answer),
                       "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 5\r\n"
                       "Connection: close\r\nContent-Length: %zu\r\n\r\n%s",
                       sizeof(body) - 1, body);
    ssize_t sent = send(h2o_socket_get_fd(sock), answer, (size_t)len, MSG_DONTWAIT | MSG_NOSIGNAL);
    (void)sent;
    h2o_socket_close(sock);
}

static void on_accept(h2o_socket_t *listener, const char *err)
{
    if (err != NULL)
        return;
    struct worker *worker = listener->data;
    h2o_socket_t *sock = h2o_evloop_socket_accept(listener);
    if (sock == NULL)
        return;
    struct sockaddr_storage peer;
    socklen_t peer_len = h2o_socket_getpeername(sock, (struct sockaddr *)&peer);
    uint64_t client = forwarded_is_trusted((struct sockaddr *)&peer, peer_len)
                          ? CONNECTION_LIMIT_PROXY
                          : connection_limit_client((struct sockaddr *)&peer, peer_len);
    if (!connection_limit_enter(connections, client)) {
        refuse_connection(sock);
        return;
    }
    sock->on_close.cb = on_connection_close;
    sock->on_close.data = (void *)(uintptr_t)client;
    h2o_accept(&worker->accept_ctx, sock);
}

/* Splits "host:port" or "[v6]:port". */
static int parse_listen(const char *listen, char *host, size_t host_size, char *port, size_t port_size)
{
    const char *colon = strrchr(listen, ':');
    if (colon == NULL)
        return -1;
    const char *h = listen;
    size_t hlen = (size_t)(colon - listen);
    if (hlen >= 2 && h[0] == '[' && h[hlen - 1] == ']')
        h++, hlen -= 2;
    if (hlen >= host_size || strlen(colon + 1) >= port_size || colon[1] == '\0')
        return -1;
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    snprintf(port, port_size, "%s", colon + 1);
    return 0;
}

/* A listening socket on addr; SO_REUSEPORT so every worker can have its own on one port. */
static int listen_on(const struct sockaddr *addr, socklen_t len)
{
    int fd = socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on));
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    if (bind(fd, addr, len) != 0 || listen(fd, SOMAXCONN) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

struct listener_plan {
    struct sockaddr_storage addr;
    socklen_t len;
    int fds[MAX_THREADS];
};

/* Binds one socket per thread; the first fixes the port when port 0 was asked for. */
static int open_listeners(const char *listen_address, int threads, struct listener_plan *plan)
{
    char host[256], port[16];
    if (parse_listen(listen_address, host, sizeof(host), port, sizeof(port)) != 0) {
        fprintf(stderr, "npq: --listen must be HOST:PORT, not \"%s\"\n", listen_address);
        return -1;
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
    struct addrinfo *res;
    int rc = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
    if (rc != 0) {
        fprintf(stderr, "npq: cannot resolve %s: %s\n", listen_address, gai_strerror(rc));
        return -1;
    }
    memcpy(&plan->addr, res->ai_addr, res->ai_addrlen);
    plan->len = res->ai_addrlen;
    freeaddrinfo(res);
    for (int i = 0; i < threads; i++) {
        plan->fds[i] = listen_on((struct sockaddr *)&plan->addr, plan->len);
        if (plan->fds[i] < 0) {
            fprintf(stderr, "npq: cannot listen on %s: %s\n", listen_address, strerror(errno));
            while (i-- > 0)
                close(plan->fds[i]);
            return -1;
        }
        if (i == 0) /* later sockets bind the port the first one got */
            getsockname(plan->fds[0], (struct sockaddr *)&plan->addr, &plan->len);
    }
    return 0;
}

static int bound_port(const struct listener_plan *plan)
{
    if (plan->addr.ss_family == AF_INET6)
        return ntohs(((const struct sockaddr_in6 *)&plan->addr)->sin6_port);
    return ntohs(((const struct sockaddr_in *)&plan->addr)->sin_port);
}

struct thread_args {
    struct worker *worker;
    h2o_globalconf_t *config;
    int listen_fd;
};

static bool has_connections(struct worker *w)
{
    return !h2o_linklist_is_empty(&w->ctx.http1._conns) || !h2o_linklist_is_empty(&w->ctx.http2._conns);
}

static void *worker_main(void *arg)
{
    struct thread_args *args = arg;
    struct worker *w = args->worker;
    h2o_context_init(&w->ctx, h2o_evloop_create(), args->config);
    if (!worker_open(w))
        exit(1); /* before serving anything: nothing to finish */
    w->accept_ctx.ctx = &w->ctx;
    w->accept_ctx.hosts = args->config->hosts;
    w->listener = h2o_evloop_socket_create(w->ctx.loop, args->listen_fd, H2O_SOCKET_FLAG_DONT_READ);
    w->listener->data = w;
    h2o_socket_read_start(w->listener, on_accept);

    while (!atomic_load(&stopping))
        h2o_evloop_run(w->ctx.loop, LOOP_WAKE_MS);

    /* Stop accepting, then let connections finish what they are doing. */
    h2o_socket_read_stop(w->listener);
    h2o_socket_close(w->listener);
    h2o_context_request_shutdown(&w->ctx);
    /* h2o 2.2 closes idle HTTP/1.1 keep-alive connections only when their idle timer fires
     * (normally after 10 s). Shortened to one second, idle connections close at once while a
     * client half-way through sending a request still has a second to finish it. Connections
     * writing a response are not on this timer and finish. */
    w->ctx.http1.req_timeout.timeout = SHUTDOWN_IDLE_MS;
    uint64_t deadline = h2o_now(w->ctx.loop) + SHUTDOWN_GRACE_MS;
    while ((has_connections(w) || w->in_pools > 0) && h2o_now(w->ctx.loop) < deadline)
        h2o_evloop_run(w->ctx.loop, LOOP_WAKE_MS);
    /* Requests still in the pools come back here; nothing may be left to arrive on the queue. */
    while (w->in_pools > 0)
        h2o_evloop_run(w->ctx.loop, LOOP_WAKE_MS);
    access_log_flush(&w->log);
    worker_close(w);
    /* The context and loop are not disposed: h2o 2.2 asserts when the shutdown timer it armed is
     * still linked, and the process is about to exit (see server_run). */
    return NULL;
}

static int open_access_log(const char *where)
{
    if (where == NULL || strcmp(where, "-") == 0)
        return STDERR_FILENO;
    if (strcmp(where, "off") == 0)
        return -1;
    int fd = open(where, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0)
        fprintf(stderr, "npq: cannot open access log %s: %s\n", where, strerror(errno));
    return fd;
}

/*
 * The public base URL is configuration, kept in the database for every server and command: one
 * given with --base-url (or $NPQ_BASE_URL) is recorded; a server started without it uses the
 * recorded one, so instances behind one proxy never overwrite each other's. Only where none was
 * ever given do links point at the address this server bound, which is noted apart (bound_url)
 * for commands run beside it.
 */
static bool settle_base_url(struct store *store, const char *given, const char *bound, struct site_settings *settings)
{
    static char recorded[1024];
    if (given != NULL && *given != '\0') {
        settings->base_url = given;
        return store_setting_set(store, "base_url", given) == STORE_OK;
    }
    enum store_status status = store_setting_get(store, "base_url", recorded, sizeof(recorded));
    if (status == STORE_OK && recorded[0] != '\0') {
        settings->base_url = recorded;
        return true;
    }
    settings->base_url = bound;
    return (status == STORE_OK || status == STORE_NOT_FOUND) &&
           store_setting_set(store, "bound_url", bound) == STORE_OK;
}

/* Migrates, settles the base URL and reads the secret: what must be done once, before serving. */
static bool prepare_database(struct store_engine *engine, const char *given_base_url, struct site_settings *settings,
                             int *version)
{
    char err[512];
    struct store *store = store_connect(engine, err, sizeof(err));
    if (store == NULL) {
        fprintf(stderr, "npq: %s\n", err);
        return false;
    }
    bool ok = false;
    if (store_migrate(store, version) != STORE_OK)
        fprintf(stderr, "npq: migration failed: %s\n", store_last_error(store));
    else if (store_secret(store, settings->secret) != STORE_OK)
        fprintf(stderr, "npq: cannot read the server secret: %s\n", store_last_error(store));
    /* Commands run beside the server (invitations, imports) make links to the same address. */
    else if (!settle_base_url(store, given_base_url, settings->base_url, settings))
        fprintf(stderr, "npq: cannot record the base URL: %s\n", store_last_error(store));
    else
        ok = true;
    store_close(store);
    return ok;
}

int server_run(const struct server_options *options)
{
    int threads = options->threads > 0 ? options->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (threads < 1)
        threads = 1;
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;

    /* Blocks of 1 MiB or more (a password hash's 19 MiB, an upload) are mapped, and given back to
     * the system when freed. Left to itself glibc raises this threshold after the first such
     * block is freed, and every later one then stays in its thread's heap for good. */
    mallopt(M_MMAP_THRESHOLD, 1024 * 1024);

    /* Every connection is a descriptor: take all the process may have (the soft limit is often
     * 1024, below the connection cap). */
    struct rlimit files;
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
    }
    connections =
        connection_limit_new(options->max_connections > 0 ? options->max_connections : CONNECTION_LIMIT_DEFAULT_TOTAL,
                             options->max_connections_per_client > 0 ? options->max_connections_per_client
                                                                     : CONNECTION_LIMIT_DEFAULT_PER_CLIENT);
    if (connections == NULL) {
        fprintf(stderr, "npq: out of memory\n");
        return 1;
    }

    if (options->rate_limit >= 0) {
        const char *problem;
        request_rates = request_rate_new(
            options->rate_limit > 0 ? (uint32_t)options->rate_limit : REQUEST_RATE_DEFAULT_PER_SECOND,
            options->rate_limit_exempt ? options->rate_limit_exempt : REQUEST_RATE_DEFAULT_EXEMPT, &problem);
        if (request_rates == NULL) {
            fprintf(stderr, "npq: --rate-limit-exempt: %s\n", problem);
            return 2;
        }
    }

    int log_fd = open_access_log(options->access_log);
    if (log_fd < 0 && strcmp(options->access_log ? options->access_log : "-", "off") != 0)
        return 1;

    char err[512];
    struct store_engine *engine = store_engine_open(options->db, err, sizeof(err));
    if (engine == NULL) {
        fprintf(stderr, "npq: %s\n", err);
        return 1;
    }
    struct listener_plan plan;
    if (open_listeners(options->listen, threads, &plan) != 0) {
        store_engine_close(engine);
        return 1;
    }

    /* Signals go to this thread alone, which waits for them while the workers serve. */
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    /* h2o 2.2 cannot dispose a context once it has been asked to shut down (it asserts on the
     * timer that request armed), so the configuration and the workers' contexts stay, reachable,
     * until the process exits: static, and the workers array is not freed. Leak checks then
     * report any memory that is really lost, with no suppression for h2o. */
    static h2o_globalconf_t config;
    h2o_config_init(&config);
    config.server_name = h2o_iovec_init(H2O_STRLIT("npq"));
    /* h2o 2.2.5 buffers a request body whole before any handler sees it (it has no streaming of
     * request bodies: that came with proceed_req in 2.3). Its buffers past a threshold live in a
     * temporary file mapped into memory rather than on the heap; the threshold is lowered from
     * 32 MiB to 1 MiB, in a directory on disk, so that an upload does not grow the heap. Bodies
     * larger than any upload could need (files_body_max) are refused; each use holds its files to
     * its own limit. */
    int64_t content_limit = options->content_file_limit > 0 ? options->content_file_limit : CONTENT_FILE_LIMIT_DEFAULT;
    config.max_request_entity_size = files_body_max(content_limit);
    h2o_socket_buffer_mmap_settings.threshold = REQUEST_SPOOL_BYTES;
    snprintf(h2o_socket_buffer_mmap_settings.fn_template, sizeof(h2o_socket_buffer_mmap_settings.fn_template),
             "%s/npq-body-XXXXXX", request_spool_dir());
    /* HTTP/2 in clear text (h2c) stays off: Debian's h2o 2.2.5 has no defence against rapid
     * reset (CVE-2023-44487), and browsers speak HTTP/2 only over TLS, which the proxy in front
     * of npq ends. */
    config.http1.upgrade_to_http2 = 0;
    h2o_hostconf_t *host = h2o_config_register_host(&config, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    h2o_pathconf_t *path = h2o_config_register_path(host, "/", 0);
    struct handler *handler = (struct handler *)h2o_create_handler(path, sizeof(*handler));
    handler->super.on_req = on_request;
    /* Text answers over 1 KiB travel gzipped to clients that accept it (the OpenAPI document
     * shrinks from 277 KB to 17 KB), at the fastest level so the CPU cost stays small. Debian's
     * h2o is built without brotli. */
    h2o_compress_args_t compress = {.min_size = 1024, .gzip = {.quality = 1}, .brotli = {.quality = -1}};
    h2o_compress_register(path, &compress);

    /* Without --base-url, links point at the address actually bound (port 0 picks one). */
    char bound_host[NI_MAXHOST] = "";
    h2o_socket_getnumerichost((struct sockaddr *)&plan.addr, plan.len, bound_host);
    char default_base_url[NI_MAXHOST + 32];
    bool v6 = plan.addr.ss_family == AF_INET6;
    snprintf(default_base_url, sizeof(default_base_url), "http://%s%s%s:%d", v6 ? "[" : "", bound_host, v6 ? "]" : "",
             bound_port(&plan));
    struct site_settings settings = {
        .session_idle_seconds = options->session_idle_seconds > 0 ? options->session_idle_seconds : 30 * 60,
        .session_max_seconds = options->session_max_seconds > 0 ? options->session_max_seconds : 12 * 3600,
        .secure_cookies = options->secure_cookies,
        .base_url = default_base_url, /* unless one is given or recorded (settle_base_url) */
        .content_file_limit = content_limit,
    };
    int version = 0;
    struct site *site = NULL;
    struct mailer *mailer = NULL;
    struct notifier *notifier = NULL;
    struct dfe_syncer *dfe_syncer = NULL;
    static struct worker *workers;
    workers = calloc((size_t)threads, sizeof(*workers));
    struct thread_args *args = calloc((size_t)threads, sizeof(*args));
    pthread_t *ids = calloc((size_t)threads, sizeof(*ids));
    if (workers == NULL || args == NULL || ids == NULL) {
        fprintf(stderr, "npq: out of memory\n");
        return 1;
    }
    int started = 0, status = 1;
    if (!prepare_database(engine, options->base_url, &settings, &version))
        goto stop;
    /* Requests that only read wait for nothing but their own queries: a few threads per core
     * keep the cores busy. Requests that write wait for their commit, and a group commit is only
     * as large as the number of writers waiting, so those get many more. */
    struct site_options site_options = {
        .read_threads = (unsigned)(threads * 4 < 8 ? 8 : threads * 4),
        .write_threads = 64,
    };
    site = site_start(&settings, engine, &site_options, err, sizeof(err));
    if (site == NULL) {
        fprintf(stderr, "npq: %s\n", err);
        goto stop;
    }
    /* Mail queued by any server or command is sent from here. */
    struct mailer_options mail = {.engine = engine,
                                  .smtp_url = options->smtp_url,
                                  .from = options->mail_from,
                                  .username = options->smtp_username,
                                  .password = options->smtp_password};
    mailer = mailer_start(&mail, err, sizeof(err));
    if (mailer == NULL) {
        fprintf(stderr, "npq: cannot start the mailer: %s\n", err);
        goto stop;
    }
    /* Notifications about events, queued for the mailer. */
    struct notifier_options notify = {.engine = engine,
                                      .base_url = settings.base_url,
                                      .interval_ms = options->notify_interval_ms,
                                      .reminder_lead = options->reminder_lead_seconds};
    notifier = notifier_start(&notify, err, sizeof(err));
    if (notifier == NULL) {
        fprintf(stderr, "npq: cannot start the notifier: %s\n", err);
        goto stop;
    }
    /* The sync with the DfE, when asked for; the lease keeps it to one server at a time. */
    struct dfe_syncer_options dfe = {.engine = engine, .interval_seconds = options->dfe_sync_interval_seconds};
    err[0] = '\0';
    dfe_syncer = dfe_syncer_start(&dfe, err, sizeof(err));
    if (dfe_syncer == NULL && err[0] != '\0') {
        fprintf(stderr, "npq: cannot start the DfE syncer: %s\n", err);
        goto stop;
    }

    for (int i = 0; i < threads; i++) {
        workers[i].site = site;
        workers[i].rate = request_rates;
        access_log_init(&workers[i].log, log_fd);
        args[i] = (struct thread_args){&workers[i], &config, plan.fds[i]};
        if (pthread_create(&ids[i], NULL, worker_main, &args[i]) != 0)
            break;
        started++;
    }
    if (started == threads) {
        status = 0;
        char host_text[NI_MAXHOST] = "";
        h2o_socket_getnumerichost((struct sockaddr *)&plan.addr, plan.len, host_text);
        const char *open_bracket = plan.addr.ss_family == AF_INET6 ? "[" : "";
        const char *close_bracket = plan.addr.ss_family == AF_INET6 ? "]" : "";
        printf("npq: listening on http://%s%s%s:%d/ with %d threads (database %s, schema version %d)\n", open_bracket,
               host_text, close_bracket, bound_port(&plan), threads, options->db, version);
        fflush(stdout);
        int sig;
        sigwait(&signals, &sig);
        printf("npq: %s received, finishing requests in flight\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
        fflush(stdout);
    }
stop:
    atomic_store(&stopping, true);
    for (int i = 0; i < started; i++) {
        pthread_join(ids[i], NULL);
        access_log_dispose(&workers[i].log);
    }
    for (int i = started; i < threads; i++)
        close(plan.fds[i]);
    dfe_syncer_stop(dfe_syncer);
    notifier_stop(notifier);
    mailer_stop(mailer);
    site_stop(site);
    store_engine_close(engine);
    if (log_fd > STDERR_FILENO)
        close(log_fd);
    free(args);
    free(ids);
    if (status == 0)
        printf("npq: stopped\n");
    return status;
}
