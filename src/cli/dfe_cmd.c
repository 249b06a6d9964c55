/*
 * npq dfe: where the DfE's lead-provider API is and the token to reach it, and one sync run from
 * the command line (the server runs the same on its own, every --dfe-sync-interval).
 */
#include "cli/cli.h"

#include "app/accounts.h"
#include "app/dfe_sync.h"
#include "lib/clock.h"
#include "lib/process.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct actor cli_actor = {0, "command line", ""};

static int usage(void)
{
    fprintf(stderr, "usage: npq dfe configure --url URL --token TOKEN [--auto-submit yes|no]\n"
                    "                         [--requests-per-minute N] [--db PATH]\n"
                    "       npq dfe sync [--per-page N] [--db PATH]\n");
    return 2;
}

static int configure(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"url", required_argument, NULL, 'u'},
        {"token", required_argument, NULL, 't'},
        {"auto-submit", required_argument, NULL, 'a'},
        {"requests-per-minute", required_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    const char *db = cli_default_db(), *auto_submit = "no";
    struct dfe_config config = {.requests_per_minute = 200};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (opt) {
        case 'd': db = optarg; break;
        case 'u': config.base_url = optarg; break;
        case 't': config.token = optarg; break;
        case 'a': auto_submit = optarg; break;
        case 'r': {
            char *end;
            long n = strtol(optarg, &end, 10);
            config.requests_per_minute = *end == '\0' && n > 0 && n <= 100000 ? (int)n : 0;
            break;
        }
        default: return usage();
        }
    }
    if (optind != argc || (strcmp(auto_submit, "yes") != 0 && strcmp(auto_submit, "no") != 0))
        return usage();
    config.auto_submit = strcmp(auto_submit, "yes") == 0;
    struct store *store = cli_open_store(db);
    if (store == NULL)
        return 1;
    struct accounts_env env = {store, &cli_actor, NULL, clock_now()};
    struct errors errors = ERRORS_INIT;
    enum app_result r = dfe_configure(&env, &config, &errors);
    for (size_t i = 0; i < errors.count; i++)
        fprintf(stderr, "npq: %s: %s\n", errors.items[i].where, errors.items[i].message);
    errors_free(&errors);
    store_close(store);
    if (r == APP_OK)
        printf("npq: DfE API at %s, declarations %s\n", config.base_url,
               config.auto_submit ? "submitted when due" : "submitted once approved");
    return r == APP_OK ? 0 : 1;
}

static atomic_bool stop_asked;
static void on_stop(int sig)
{
    (void)sig;
    atomic_store(&stop_asked, true);
}

static int sync_once(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"per-page", required_argument, NULL, 'p'},
        {NULL, 0, NULL, 0},
    };
    const char *db = cli_default_db();
    int per_page = 0;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (opt) {
        case 'd': db = optarg; break;
        case 'p': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end != '\0' || n < 1 || n > 3000)
                return usage();
            per_page = (int)n;
            break;
        }
        default: return usage();
        }
    }
    if (optind != argc)
        return usage();
    struct store *store = cli_open_store(db);
    if (store == NULL)
        return 1;
    struct catalogue *catalogue = NULL;
    if (store_catalogue_load(store, &catalogue) != STORE_OK) {
        fprintf(stderr, "npq: cannot read the catalogue: %s\n", store_last_error(store));
        store_close(store);
        return 1;
    }
    /* Interrupted, the run stops between two calls and leaves its cursors for the next. */
    signal(SIGINT, on_stop);
    signal(SIGTERM, on_stop);
    char holder[PROCESS_IDENTITY_TEXT];
    process_identity(holder);
    /* NPQ_DFE_BACKOFF_MS shortens the waits between retries (tests). */
    const char *backoff = getenv("NPQ_DFE_BACKOFF_MS");
    struct dfe_sync_env env = {store,       catalogue, holder,
                               &stop_asked, per_page,  backoff ? strtoll(backoff, NULL, 10) : 0};
    struct dfe_sync_report report;
    enum app_result r = dfe_sync_run(&env, &report);
    char text[600];
    dfe_sync_report_text(&report, r, text, sizeof(text));
    fprintf(r == APP_OK ? stdout : stderr, "npq: %s\n", text);
    catalogue_free(catalogue);
    store_close(store);
    return r == APP_OK ? 0 : 1;
}

int cli_dfe(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "configure") == 0)
        return configure(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "sync") == 0)
        return sync_once(argc - 1, argv + 1);
    return usage();
}
