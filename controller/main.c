/* SPDX-License-Identifier: MIT */
/*
 * tether: the controller's command line. Parses options, then finds the verb
 * in one table that says how many arguments it takes and what it needs set up
 * (an inventory), does that setup, and calls it. The work lives in the
 * cmd-*.c files.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-inventory.h"
#include "error.h"
#include "log.h"
#include "options.h"

enum {
        NEEDS_INVENTORY = 1 << 0,
};

struct verb {
        const char *name;
        int min_args, max_args; /* arguments after the verb */
        unsigned flags;
        int (*run)(struct options *options, int argc, char **argv);
        const char *summary;
};

static const struct verb verbs[] = {
        {"inventory", 0, 0, NEEDS_INVENTORY, cmd_inventory,
         "show the hosts of an inventory as tether reads them"},
};

static void help(void) {
        printf("Usage: tether VERB -i INVENTORY [OPTIONS]\n"
               "\n"
               "Keeps Docker's firewall rules alive across firewall service restarts, on a\n"
               "fleet of hosts over SSH.\n"
               "\n"
               "Verbs:\n");
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                printf("  %-12s %s\n", verbs[i].name, verbs[i].summary);
        printf("\n"
               "Options:\n"
               "  -i, --inventory FILE   the hosts, as tether JSON or `ansible-inventory --list`\n"
               "                         output (default: $TETHER_INVENTORY)\n"
               "      --json             inventory: print the normalized inventory as JSON\n"
               "      --names            inventory: print one host name a line\n"
               "  -v, --verbose          say more on stderr\n"
               "  -q, --quiet            say only errors on stderr\n"
               "  -h, --help             show this help\n"
               "      --version          show the version\n"
               "\n"
               "See tether(1), and docs/inventory.md for the inventory format.\n");
}

/* <0: error, 0: exit successfully, >0: go on. */
static int parse_argv(int argc, char **argv, struct options *options) {
        enum {
                ARG_VERSION = 0x100,
                ARG_JSON,
                ARG_NAMES,
        };
        static const struct option long_options[] = {
                {"inventory", required_argument, NULL, 'i'}, {"json", no_argument, NULL, ARG_JSON},
                {"names", no_argument, NULL, ARG_NAMES},     {"verbose", no_argument, NULL, 'v'},
                {"quiet", no_argument, NULL, 'q'},           {"help", no_argument, NULL, 'h'},
                {"version", no_argument, NULL, ARG_VERSION}, {},
        };
        int c;

        options->inventory_path = getenv("TETHER_INVENTORY");

        /* '+' would stop at the verb; options may stand before or after it. */
        while ((c = getopt_long(argc, argv, "i:vqh", long_options, NULL)) >= 0) {
                switch (c) {
                case 'i':
                        options->inventory_path = optarg;
                        break;
                case ARG_JSON:
                        options->format = OUTPUT_JSON;
                        break;
                case ARG_NAMES:
                        options->format = OUTPUT_NAMES;
                        break;
                case 'v':
                        log_set_max_level(LOG_DEBUG);
                        break;
                case 'q':
                        log_set_max_level(LOG_ERR);
                        break;
                case 'h':
                        help();
                        return 0;
                case ARG_VERSION:
                        printf("tether %s\n", TETHER_VERSION);
                        return 0;
                case '?':
                        return -EINVAL; /* getopt_long has said what was wrong */
                default:
                        return log_error_errno(-EINVAL, "Unhandled option %c", c);
                }
        }
        return 1;
}

static const struct verb *find_verb(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                if (strcmp(verbs[i].name, name) == 0)
                        return &verbs[i];
        return NULL;
}

static int dispatch(int argc, char **argv, struct options *options) {
        struct tether_error error = TETHER_ERROR_INIT;
        const struct verb *verb;
        int n_args, r;

        if (argc < 1)
                return log_error_errno(-EINVAL, "No verb given; try 'tether --help'.");

        verb = find_verb(argv[0]);
        if (!verb)
                return log_error_errno(-EINVAL, "Unknown verb '%s'; 'tether --help' lists the verbs.",
                                       argv[0]);

        n_args = argc - 1;
        if (n_args < verb->min_args || n_args > verb->max_args)
                return log_error_errno(-EINVAL, "'tether %s' takes %d to %d arguments, got %d.", verb->name,
                                       verb->min_args, verb->max_args, n_args);

        if (verb->flags & NEEDS_INVENTORY) {
                if (!options->inventory_path)
                        return log_error_errno(
                                -EINVAL,
                                "'tether %s' needs an inventory: pass -i FILE or set TETHER_INVENTORY.",
                                verb->name);
                r = tether_inventory_load(options->inventory_path, &options->inventory, &error);
                if (r < 0)
                        return log_error_errno(r, "%s", error.text);
        }

        return verb->run(options, argc, argv);
}

/* Exit statuses; the table is in tether(1). */
enum {
        EXIT_USAGE = 5, /* usage or inventory error, as Ansible's bad options */
};

int main(int argc, char **argv) {
        struct options options = {};
        int r;

        log_set_program("tether");

        r = parse_argv(argc, argv, &options);
        if (r <= 0)
                return r < 0 ? EXIT_USAGE : EXIT_SUCCESS;

        r = dispatch(argc - optind, argv + optind, &options);
        options.inventory = tether_inventory_free(options.inventory);
        if (r == -EINVAL || r == -EBADMSG || r == -E2BIG || r == -EFBIG)
                return EXIT_USAGE;
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
