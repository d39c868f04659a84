/* SPDX-License-Identifier: MIT */
/*
 * tether-agent: the part of tether that runs on a Docker host, as root, and
 * reports one JSON document on stdout. This file parses the command line and
 * dispatches to the verbs.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "macro.h"

static void help(void) {
        printf("Usage: tether-agent VERB [OPTIONS]\n"
               "\n"
               "Runs on a Docker host and reports on stdout, as JSON, whether Docker's\n"
               "firewall rules survive a restart of the host's firewall service.\n"
               "Normally started by tether over SSH, not by hand.\n"
               "\n"
               "Options:\n"
               "  -h, --help       show this help\n"
               "      --version    show the version\n");
}

/* <0: error, 0: exit successfully, >0: go on. */
static int parse_argv(int argc, char **argv) {
        enum {
                ARG_VERSION = 0x100,
        };
        static const struct option long_options[] = {
                {"help", no_argument, NULL, 'h'},
                {"version", no_argument, NULL, ARG_VERSION},
                {},
        };
        int c;

        while ((c = getopt_long(argc, argv, "h", long_options, NULL)) >= 0) {
                switch (c) {
                case 'h':
                        help();
                        return 0;
                case ARG_VERSION:
                        printf("tether-agent %s\n", TETHER_VERSION);
                        return 0;
                case '?':
                        return -EINVAL;
                default:
                        return log_error_errno(-EINVAL, "Unhandled option %c", c);
                }
        }
        return 1;
}

int main(int argc, char **argv) {
        int r;

        log_set_program("tether-agent");

        r = parse_argv(argc, argv);
        if (r <= 0)
                return r < 0 ? 2 : EXIT_SUCCESS;

        if (optind >= argc)
                log_error("No verb given; try 'tether-agent --help'.");
        else
                log_error("Unknown verb '%s'; try 'tether-agent --help'.", argv[optind]);
        return 2;
}
