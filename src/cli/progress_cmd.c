/*
 * npq progress: the progress thresholds (settings), judging every enrolment again (refresh, for a
 * changed threshold or a database restored from before the progress table), and the progress
 * updates by email (send-updates), from the command line.
 */
#include "cli/cli.h"

#include "app/progress.h"
#include "lib/clock.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const struct actor cli_actor = {0, "command line", ""};

static int usage(void)
{
    fprintf(stderr, "usage: npq progress settings [--db DB] [NAME=VALUE ...]\n"
                    "       npq progress refresh [--db DB]\n"
                    "       npq progress send-updates [--db DB]\n");
    return 2;
}

static int settings(struct store *store, int argc, char **argv)
{
    int rc = 0;
    for (int i = 0; i < argc && rc == 0; i++) {
        char name[64];
        const char *eq = strchr(argv[i], '=');
        if (eq == NULL || (size_t)(eq - argv[i]) >= sizeof(name)) {
            fprintf(stderr, "npq: give each setting as NAME=VALUE, not %s\n", argv[i]);
            return 2;
        }
        snprintf(name, sizeof(name), "%.*s", (int)(eq - argv[i]), argv[i]);
        struct errors errors = ERRORS_INIT;
        if (progress_setting_set(store, name, eq + 1, &errors) != APP_OK) {
            for (size_t k = 0; k < errors.count; k++)
                fprintf(stderr, "npq: %s: %s\n", errors.items[k].where, errors.items[k].message);
            if (errors.count == 0)
                fprintf(stderr, "npq: the database could not be changed\n");
            rc = 1;
        }
        errors_free(&errors);
    }
    struct progress_thresholds t;
    if (rc == 0 && progress_settings_read(store, &t) != APP_OK) {
        fprintf(stderr, "npq: the settings could not be read\n");
        rc = 1;
    }
    for (size_t i = 0; rc == 0 && i < PROGRESS_THRESHOLD_COUNT; i++)
        printf("%s=%d\n", progress_threshold_name(i), progress_threshold_get(&t, i));
    enum progress_cadence cadence;
    if (rc == 0 && progress_cadence_read(store, &cadence) == APP_OK)
        printf("update_cadence=%s\n", progress_cadence_name(cadence));
    if (rc == 0 && argc > 0)
        fprintf(stderr, "npq: run `npq progress refresh` to judge every enrolment by the new settings\n");
    return rc;
}

static int refresh(struct store *store)
{
    struct accounts_env env = {store, &cli_actor, "", clock_now()};
    size_t refreshed = 0;
    if (progress_refresh_many(&env, PROGRESS_ALL, &refreshed) != APP_OK) {
        fprintf(stderr, "npq: the refresh failed after %zu enrolments\n", refreshed);
        return 1;
    }
    fprintf(stderr, "npq: progress of %zu enrolments judged again\n", refreshed);
    return 0;
}

/* The period's updates to those not yet sent theirs: the mailer of a running server sends them. */
static int send_updates(struct store *store)
{
    char base_url[512];
    accounts_base_url(store, base_url, sizeof(base_url));
    struct accounts_env env = {store, &cli_actor, base_url, clock_now()};
    size_t sent = 0;
    char period[PROGRESS_PERIOD_TEXT];
    if (progress_updates_send(&env, &sent, period) != APP_OK) {
        fprintf(stderr, "npq: sending the progress updates failed after %zu\n", sent);
        return 1;
    }
    printf("%zu\n", sent);
    fprintf(stderr, "npq: %zu progress updates for %s queued\n", sent, period);
    return 0;
}

int cli_progress(int argc, char **argv)
{
    const char *db = cli_default_db();
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {NULL, 0, NULL, 0},
    };
    if (argc < 2)
        return usage();
    const char *action = argv[1];
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc - 1, argv + 1, "", options, NULL)) != -1) {
        if (opt != 'd')
            return usage();
        db = optarg;
    }
    int rest = optind + 1; /* the first argument after the options, counted in argv */
    bool settings_asked = strcmp(action, "settings") == 0, refresh_asked = strcmp(action, "refresh") == 0,
         send_asked = strcmp(action, "send-updates") == 0;
    if (!settings_asked && (!(refresh_asked || send_asked) || rest != argc))
        return usage();
    struct store *store = cli_open_store(db);
    if (store == NULL)
        return 1;
    int rc = settings_asked  ? settings(store, argc - rest, argv + rest)
             : refresh_asked ? refresh(store)
                             : send_updates(store);
    store_close(store);
    return rc;
}
