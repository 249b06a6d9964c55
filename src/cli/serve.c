/*
 * npq serve: options and environment to struct server_options.
 */
#include "cli/cli.h"

#include "http/server.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

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
        {"db", required_argument, NULL, 'd'},      {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'}, {"access-log", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
        switch (opt) {
        case 'd': options.db = optarg; break;
        case 'l': options.listen = optarg; break;
        case 'a': options.access_log = optarg; break;
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
                    "  --access-log where the JSON access log goes (default: standard error)\n");
            return opt == 'h' ? 0 : 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "npq: unexpected argument \"%s\"\n", argv[optind]);
        return 2;
    }
    return server_run(&options);
}
