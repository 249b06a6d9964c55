/*
 * npq serve: options and environment to struct server_options.
 */
#include "cli/cli.h"

#include "http/forwarded.h"
#include "http/server.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_serve(int argc, char **argv)
{
    const char *listen = getenv("NPQ_LISTEN");
    struct server_options options = {
        .db = cli_default_db(),
        .listen = listen && *listen ? listen : "127.0.0.1:8080",
        .threads = 0,
        .access_log = "-",
    };
    static const struct option long_options[] = {
        {"db", required_argument, NULL, 'd'},
        {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'},
        {"access-log", required_argument, NULL, 'a'},
        {"session-idle", required_argument, NULL, 'i'},
        {"session-max", required_argument, NULL, 'm'},
        {"secure-cookies", no_argument, NULL, 's'},
        {"base-url", required_argument, NULL, 'b'},
        {"smtp-url", required_argument, NULL, 'u'},
        {"mail-from", required_argument, NULL, 'f'},
        {"reminder-lead-seconds", required_argument, NULL, 'r'},
        {"notify-interval-ms", required_argument, NULL, 'n'},
        {"max-connections", required_argument, NULL, 'c'},
        {"max-connections-per-client", required_argument, NULL, 'p'},
        {"rate-limit", required_argument, NULL, 'R'},
        {"rate-limit-exempt", required_argument, NULL, 'E'},
        {"content-file-limit", required_argument, NULL, 'F'},
        {"trusted-proxy", required_argument, NULL, 'x'},
        {"dfe-sync-interval", required_argument, NULL, 'D'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    options.smtp_url = getenv("NPQ_SMTP_URL");
    options.mail_from = getenv("NPQ_MAIL_FROM");
    options.base_url = getenv("NPQ_BASE_URL");
    options.smtp_username = getenv("NPQ_SMTP_USERNAME");
    options.smtp_password = getenv("NPQ_SMTP_PASSWORD");
    options.secure_cookies = getenv("NPQ_SECURE_COOKIES") != NULL && strcmp(getenv("NPQ_SECURE_COOKIES"), "1") == 0;
    char err[256];
    const char *proxies = getenv("NPQ_TRUSTED_PROXY");
    if (proxies != NULL && !forwarded_trust(proxies, err, sizeof(err))) {
        fprintf(stderr, "npq: NPQ_TRUSTED_PROXY: %s\n", err);
        return 2;
    }
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
        switch (opt) {
        case 'd': options.db = optarg; break;
        case 'l': options.listen = optarg; break;
        case 'a': options.access_log = optarg; break;
        case 'i':
        case 'm': {
            char *end;
            long long n = strtoll(optarg, &end, 10);
            if (*end != '\0' || n < 1 || n > 90LL * 86400) {
                fprintf(stderr, "npq: --session-idle and --session-max take seconds, from 1 to 90 days\n");
                return 2;
            }
            if (opt == 'i')
                options.session_idle_seconds = n;
            else
                options.session_max_seconds = n;
            break;
        }
        case 's': options.secure_cookies = true; break;
        case 'x':
            if (!forwarded_trust(optarg, err, sizeof(err))) {
                fprintf(stderr, "npq: %s\n", err);
                return 2;
            }
            break;
        case 'b': options.base_url = optarg; break;
        case 'u': options.smtp_url = optarg; break;
        case 'f': options.mail_from = optarg; break;
        case 'r':
        case 'n': {
            char *end;
            long long n = strtoll(optarg, &end, 10);
            if (*end != '\0' || n < 1 || n > (opt == 'r' ? 30LL * 86400 : 3600LL * 1000)) {
                fprintf(stderr, "npq: --reminder-lead-seconds takes 1 to 2592000 seconds, --notify-interval-ms 1 "
                                "to 3600000 milliseconds\n");
                return 2;
            }
            if (opt == 'r')
                options.reminder_lead_seconds = n;
            else
                options.notify_interval_ms = (int)n;
            break;
        }
        case 'c':
        case 'p': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end != '\0' || n < 1 || n > 1000000) {
                fprintf(stderr, "npq: --max-connections and --max-connections-per-client take 1 to 1000000\n");
                return 2;
            }
            if (opt == 'c')
                options.max_connections = (int)n;
            else
                options.max_connections_per_client = (int)n;
            break;
        }
        case 'R': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (strcmp(optarg, "off") == 0) {
                options.rate_limit = -1;
            } else if (*end != '\0' || n < 1 || n > 1000000) {
                fprintf(stderr, "npq: --rate-limit takes requests a second from 1 to 1000000, or off\n");
                return 2;
            } else {
                options.rate_limit = (int)n;
            }
            break;
        }
        case 'E': options.rate_limit_exempt = optarg; break;
        case 'F': {
            char *end;
            long long n = strtoll(optarg, &end, 10);
            if (*end != '\0' || n < 1 || n > 1024) {
                fprintf(stderr, "npq: --content-file-limit takes MiB, from 1 to 1024\n");
                return 2;
            }
            options.content_file_limit = n * 1024 * 1024;
            break;
        }
        case 'D': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end != '\0' || n < 1 || n > 86400) {
                fprintf(stderr, "npq: --dfe-sync-interval takes 1 to 86400 seconds\n");
                return 2;
            }
            options.dfe_sync_interval_seconds = (int)n;
            break;
        }
        case 't': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end != '\0' || n < 1 || n > 64) {
                fprintf(stderr, "npq: --threads must be a number from 1 to 64\n");
                return 2;
            }
            options.threads = (int)n;
            break;
        }
        default:
            fprintf(opt == 'h' ? stdout : stderr,
                    "usage: npq serve [--db PATH] [--listen HOST:PORT] [--threads N] [--access-log FILE|-|off]\n"
                    "  --db         database (default $NPQ_DB or npq.db)\n"
                    "  --listen     address (default $NPQ_LISTEN or 127.0.0.1:8080; port 0 picks one)\n"
                    "  --threads    event-loop threads (default: one per core)\n"
                    "  --access-log where the JSON access log goes (default: standard error)\n"
                    "  --session-idle SECONDS   sign out after this long unused (default 1800)\n"
                    "  --session-max SECONDS    and after this long in any case (default 43200)\n"
                    "  --secure-cookies         the site is served over TLS ($NPQ_SECURE_COOKIES=1)\n"
                    "  --base-url URL           start of links in emails ($NPQ_BASE_URL)\n"
                    "  --smtp-url URL           smtp://host:port to send mail through ($NPQ_SMTP_URL);\n"
                    "                           without it mail is printed to standard output\n"
                    "  --mail-from ADDRESS      sender of mail ($NPQ_MAIL_FROM)\n"
                    "  --reminder-lead-seconds N  email event reminders N seconds before the start (default 86400)\n"
                    "  --notify-interval-ms N     look for notifications to send every N ms (default 30000)\n"
                    "  --max-connections N        connections open at once (default 4096); more are refused\n"
                    "  --max-connections-per-client N  from one address or IPv6 /64 (default 256)\n"
                    "  --rate-limit N|off         requests a second from one address or IPv6 /64 (default 50,\n"
                    "                             in bursts of up to ten seconds' worth); more are answered 429\n"
                    "  --rate-limit-exempt LIST   CIDR blocks never limited (default 127.0.0.0/8,::1/128), or none\n"
                    "  --content-file-limit MiB   largest file attached to a content item (default 50)\n"
                    "  --trusted-proxy ADDR[/BITS]  believe X-Forwarded-For and -Proto from this proxy\n"
                    "                           (repeatable, or comma-separated; $NPQ_TRUSTED_PROXY)\n"
                    "  --dfe-sync-interval SECONDS  sync with the DfE's API this often (default: never;\n"
                    "                           configure it with npq dfe configure)\n");
            return opt == 'h' ? 0 : 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "npq: unexpected argument \"%s\"\n", argv[optind]);
        return 2;
    }
    return server_run(&options);
}
