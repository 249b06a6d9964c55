/*
 * npq user, npq token, npq organisation: administration from the command line, for the first
 * administrator and for scripts. Changes are audited as made by "command line".
 */
#include "cli/cli.h"

#include "app/accounts.h"
#include "app/imports.h"
#include "domain/password.h"
#include "lib/clock.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct actor cli_actor = {0, "command line", ""};

static void print_errors(const struct errors *errors)
{
    for (size_t i = 0; i < errors->count; i++)
        fprintf(stderr, "npq: %s: %s\n", errors->items[i].where, errors->items[i].message);
}

/* Reads one line (a password) from standard input, without its line ending. */
static bool read_line(char *out, size_t size)
{
    if (fgets(out, (int)size, stdin) == NULL)
        return false;
    out[strcspn(out, "\r\n")] = '\0';
    return true;
}

static int64_t parse_id(const char *text)
{
    char *end;
    long long n = strtoll(text, &end, 10);
    return *end == '\0' && n > 0 ? (int64_t)n : 0;
}

static int user_add(int argc, char **argv)
{
    const char *db = cli_default_db(), *email = NULL, *name = NULL, *role_text = NULL;
    int64_t organisation = 0;
    bool password_stdin = false;
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"email", required_argument, NULL, 'e'},
        {"name", required_argument, NULL, 'n'},
        {"role", required_argument, NULL, 'r'},
        {"organisation", required_argument, NULL, 'o'},
        {"password-stdin", no_argument, NULL, 'p'},
        {NULL, 0, NULL, 0},
    };
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (opt) {
        case 'd': db = optarg; break;
        case 'e': email = optarg; break;
        case 'n': name = optarg; break;
        case 'r': role_text = optarg; break;
        case 'o': organisation = parse_id(optarg); break;
        case 'p': password_stdin = true; break;
        default: goto usage;
        }
    }
    enum role role;
    if (email == NULL || name == NULL || role_text == NULL || !role_parse(role_text, &role) || optind != argc)
        goto usage;
    struct store *store = cli_open_store(db);
    if (store == NULL)
        return 1;
    struct errors errors = ERRORS_INIT;
    struct accounts_env env = {store, &cli_actor,
                               getenv("NPQ_BASE_URL") ? getenv("NPQ_BASE_URL") : "http://127.0.0.1:8080", clock_now()};
    int64_t id = 0;
    /* The role's scope and the person's organisation are the same one from here. */
    enum organisation_kind kind;
    int64_t scope = role_scope_kind(role, &kind) ? organisation : 0;
    /* With a password given there is nobody to invite: the person can sign in at once. The
     * password is read and checked before anything is created. */
    char password[512] = "";
    if (password_stdin && !read_line(password, sizeof(password))) {
        fprintf(stderr, "npq: expected the password on standard input\n");
        store_close(store);
        return 1;
    }
    enum app_result r = APP_UNAVAILABLE;
    if (password_stdin) {
        password_check(password, email, name, &errors);
        r = errors.count > 0 ? APP_INVALID
                             : accounts_create_person(&env, email, name, organisation, role, scope, &id, &errors);
        if (r == APP_OK)
            r = accounts_set_password(&env, id, password, &errors);
    } else {
        r = accounts_invite(&env, email, name, organisation, role, scope, &id, &errors);
    }
    int rc = 0;
    if (r != APP_OK) {
        if (errors.count > 0)
            print_errors(&errors);
        else
            fprintf(stderr, "npq: could not add the user: %s\n", store_last_error(store));
        rc = 1;
    } else {
        printf("%lld\n", (long long)id);
        fprintf(stderr, "npq: added %s (%s) as %s%s\n", name, email, role_title(role),
                password_stdin ? "" : "; an invitation to set a password is queued");
    }
    errors_free(&errors);
    store_close(store);
    return rc;
usage:
    fprintf(stderr, "usage: npq user add [--db PATH] --email E --name N --role ROLE [--organisation ID]"
                    " [--password-stdin]\n"
                    "roles: admin partner_lead facilitator coach assessor participant mentor headteacher\n");
    return 2;
}

static int user_list(int argc, char **argv)
{
    const char *db = argc == 3 && strcmp(argv[1], "--db") == 0 ? argv[2] : cli_default_db();
    if (argc != 1 && argc != 3) {
        fprintf(stderr, "usage: npq user list [--db PATH]\n");
        return 2;
    }
    struct store *store = cli_open_store(db);
    if (store == NULL)
        return 1;
    struct arena arena = ARENA_INIT;
    struct caller everyone = {.roles = 1u << ROLE_ADMIN};
    struct user_filter filter = {.role = -1, .include_inactive = true};
    struct store_page page = {.limit = STORE_PAGE_MAX};
    struct user *users;
    size_t count, total;
    int rc = 0;
    /* Everyone, a page at a time, each page's memory released before the next. */
    do {
        if (store_user_list(store, &everyone, &filter, &page, &arena, &users, &count, &total) != STORE_OK) {
            rc = 1;
            break;
        }
        for (size_t i = 0; i < count; i++) {
            printf("%lld\t%s\t%s\t%s\t", (long long)users[i].id, users[i].email, users[i].name,
                   users[i].active ? "active" : "deactivated");
            for (size_t r = 0; r < users[i].role_count; r++)
                printf("%s%s", r ? "," : "", role_name(users[i].roles[r].role));
            printf("\n");
        }
        struct arena next_arena = ARENA_INIT;
        bool more = store_page_advance(&page, &next_arena);
        arena_release(&arena);
        arena = next_arena;
        if (!more)
            break;
    } while (true);
    arena_release(&arena);
    store_close(store);
    return rc;
}

int cli_user(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "add") == 0)
        return user_add(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return user_list(argc - 1, argv + 1);
    fprintf(stderr, "usage: npq user add|list ...\n");
    return 2;
}

/* Finds a user id by email, printing why not. */
static int64_t user_by_email(struct store *store, const char *email)
{
    struct arena arena = ARENA_INIT;
    struct user user;
    enum store_status s = store_user_find_by_email(store, email, &arena, &user, NULL);
    int64_t id = s == STORE_OK && user.active ? user.id : 0;
    if (id == 0)
        fprintf(stderr, "npq: no active account has the email %s\n", email);
    arena_release(&arena);
    return id;
}

int cli_token(int argc, char **argv)
{
    const char *db = cli_default_db(), *email = NULL, *name = NULL;
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"email", required_argument, NULL, 'e'},
        {"name", required_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    if (argc < 2)
        goto usage;
    const char *action = argv[1];
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc - 1, argv + 1, "", options, NULL)) != -1) {
        switch (opt) {
        case 'd': db = optarg; break;
        case 'e': email = optarg; break;
        case 'n': name = optarg; break;
        default: goto usage;
        }
    }
    struct store *store = NULL;
    int rc = 1;
    if (strcmp(action, "create") == 0 && email != NULL && name != NULL && optind == argc - 1) {
        if ((store = cli_open_store(db)) == NULL)
            return 1;
        int64_t user_id = user_by_email(store, email), id;
        char token[ACCOUNTS_TOKEN_TEXT];
        struct accounts_env env = {store, &cli_actor, "", clock_now()};
        struct errors errors = ERRORS_INIT;
        if (user_id > 0 && accounts_issue_token(&env, user_id, name, 0, token, &id, &errors) == APP_OK) {
            printf("%s\n", token); /* alone on standard output, so scripts can capture it */
            fprintf(stderr, "npq: token %lld \"%s\" made for %s; it is not shown again\n", (long long)id, name, email);
            rc = 0;
        }
        for (size_t i = 0; i < errors.count; i++)
            fprintf(stderr, "npq: %s: %s\n", errors.items[i].where, errors.items[i].message);
        errors_free(&errors);
    } else if (strcmp(action, "list") == 0 && optind == argc - 1) {
        if ((store = cli_open_store(db)) == NULL)
            return 1;
        int64_t user_id = email ? user_by_email(store, email) : 0;
        struct arena arena = ARENA_INIT;
        struct api_token *tokens;
        size_t count;
        if ((email == NULL || user_id > 0) &&
            store_token_list(store, user_id, NULL, &arena, &tokens, &count) == STORE_OK) {
            for (size_t i = 0; i < count; i++)
                printf("%lld\t%s\t%s\t%s…\t%s\n", (long long)tokens[i].id, tokens[i].user_email, tokens[i].name,
                       tokens[i].prefix, tokens[i].revoked_at ? "revoked" : "live");
            rc = 0;
        }
        arena_release(&arena);
    } else if (strcmp(action, "revoke") == 0 && optind == argc - 2 && parse_id(argv[argc - 1]) > 0) {
        if ((store = cli_open_store(db)) == NULL)
            return 1;
        enum store_status s = store_token_revoke(store, &cli_actor, parse_id(argv[argc - 1]), clock_now());
        if (s == STORE_OK)
            rc = 0;
        else
            fprintf(stderr, "npq: no live token has the id %s\n", argv[argc - 1]);
    } else {
        goto usage;
    }
    store_close(store);
    return rc;
usage:
    fprintf(stderr, "usage: npq token create [--db PATH] --email E --name N\n"
                    "       npq token list [--db PATH] [--email E]\n"
                    "       npq token revoke [--db PATH] ID\n");
    return 2;
}

int cli_organisation(int argc, char **argv)
{
    const char *db = cli_default_db(), *kind_text = NULL, *name = NULL, *urn = NULL, *region = "";
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},     {"kind", required_argument, NULL, 'k'},
        {"name", required_argument, NULL, 'n'},   {"urn", required_argument, NULL, 'u'},
        {"region", required_argument, NULL, 'r'}, {NULL, 0, NULL, 0},
    };
    if (argc < 2 || strcmp(argv[1], "add") != 0)
        goto usage;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc - 1, argv + 1, "", options, NULL)) != -1) {
        switch (opt) {
        case 'd': db = optarg; break;
        case 'k': kind_text = optarg; break;
        case 'n': name = optarg; break;
        case 'u': urn = optarg; break;
        case 'r': region = optarg; break;
        default: goto usage;
        }
    }
    struct organisation o = {.name = name, .urn = urn, .region = region};
    if (kind_text == NULL || !organisation_kind_parse(kind_text, &o.kind) || optind != argc - 1)
        goto usage;
    struct errors errors = ERRORS_INIT;
    account_organisation_validate(&o, &errors);
    if (errors.count > 0) {
        print_errors(&errors);
        errors_free(&errors);
        return 1;
    }
    struct store *store = cli_open_store(db);
    if (store == NULL)
        return 1;
    enum store_status s = store_organisation_create(store, &cli_actor, &o, clock_now());
    if (s == STORE_OK)
        printf("%lld\n", (long long)o.id);
    else
        fprintf(stderr, "npq: %s\n",
                s == STORE_CONFLICT ? "a school with this URN already exists" : store_last_error(store));
    store_close(store);
    return s == STORE_OK ? 0 : 1;
usage:
    fprintf(stderr, "usage: npq organisation add [--db PATH] --kind provider|delivery_partner|trust|school --name N"
                    " [--urn URN] [--region R]\n");
    return 2;
}

int cli_import(int argc, char **argv)
{
    const char *db = cli_default_db();
    bool dry_run = false;
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"dry-run", no_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    if (argc < 2 || (strcmp(argv[1], "schools") != 0 && strcmp(argv[1], "users") != 0))
        goto usage;
    enum import_kind kind = strcmp(argv[1], "schools") == 0 ? IMPORT_SCHOOLS : IMPORT_USERS;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc - 1, argv + 1, "", options, NULL)) != -1) {
        if (opt == 'd')
            db = optarg;
        else if (opt == 'n')
            dry_run = true;
        else
            goto usage;
    }
    if (optind != argc - 2)
        goto usage;
    char *csv;
    size_t len;
    if (cli_read_file(argv[argc - 1], &csv, &len) != 0)
        return 1;
    struct store *store = cli_open_store(db);
    if (store == NULL) {
        free(csv);
        return 1;
    }
    char base_url[512];
    accounts_base_url(store, base_url, sizeof(base_url));
    struct accounts_env env = {store, &cli_actor, base_url, clock_now()};
    struct arena arena = ARENA_INIT;
    struct import_report report;
    imports_run(&env, kind, csv, len, dry_run, &arena, &report);
    for (size_t i = 0; i < report.errors.count; i++)
        fprintf(stderr, "%s: %s: %s\n", argv[argc - 1], report.errors.items[i].where, report.errors.items[i].message);
    if (report.result == APP_OK)
        fprintf(stderr, "npq: %s %zu rows: %zu created, %zu updated\n", dry_run ? "checked" : "imported", report.rows,
                report.created, report.updated);
    else
        fprintf(stderr, "npq: nothing was imported\n");
    int rc = report.result == APP_OK ? 0 : 1;
    imports_report_free(&report);
    arena_release(&arena);
    store_close(store);
    free(csv);
    return rc;
usage:
    fprintf(stderr, "usage: npq import schools|users [--db PATH] [--dry-run] FILE.csv\n");
    return 2;
}
