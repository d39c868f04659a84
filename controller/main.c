/* SPDX-License-Identifier: MIT */
/*
 * tether: the controller's command line. Parses the options with the table
 * of options.c, then finds the verb in the table of verbs.c, checks the
 * command line against it (the count of arguments, every option given being
 * one of the verb's, --yes where the verb needs it), does the setup the
 * verb needs (an inventory), and calls it. The work lives in the cmd-*.c
 * files.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "exit-status.h"
#include "fileio.h"
#include "inventory-source.h"
#include "log.h"
#include "macro.h"
#include "options.h"
#include "select.h"
#include "verbs.h"
#include "version.h"

static void help(void) {
        printf("Usage: tether VERB -i INVENTORY [OPTIONS]\n"
               "\n"
               "Keeps Docker's firewall rules alive across firewall service restarts, on a\n"
               "fleet of hosts over SSH.\n"
               "\n"
               "Verbs:\n");
        for (size_t i = 0; i < n_verbs; i++)
                printf("  %-10s %s\n", verbs[i].name, verbs[i].summary);
        printf("\n"
               "Options:\n"
               "  -i, --inventory FILE        the hosts: tether JSON or `ansible-inventory --list`\n"
               "                              output ($TETHER_INVENTORY)\n"
               "  -j, --parallel N            hosts at a time, 1 to 1024 (default 32)\n"
               "      --limit PATTERN         names, globs, web-[01-05], tag:TAG, !EXCLUDED,\n"
               "                              &INTERSECTED, @FILE (one host a line)\n"
               "      --report FILE           write the JSON report there ($TETHER_REPORT)\n"
               "      --connect-timeout SEC   for connecting and each SSH step, 1 to 3600 (default 10)\n"
               "      --timeout SEC           for a whole host, 1 to 86400 (default 300)\n"
               "      --user USER             log in as USER (beats the inventory)\n"
               "      --identity FILE         private key (beats the inventory)\n"
               "      --known-hosts FILE      known_hosts to check host keys against\n"
               "      --ssh-config FILE       read FILE instead of ~/.ssh/config ($TETHER_SSH_CONFIG)\n"
               "      --accept-new-host-keys  record unknown host keys (changed ones still fail)\n"
               "      --sudo-password-file F  sudo password, first line of F\n"
               "  -K, --ask-sudo-password     ask for the sudo password once\n"
               "      --agent FILE            the tether-agent to deploy ($TETHER_AGENT)\n"
               "      --agent-path PATH       run the agent installed on the hosts at PATH; upload none\n"
               "  -J, --jump SPEC             reach every host through the bastions of SPEC,\n"
               "                              [user@]host[:port],... as for ssh -J\n"
               "      --shard K/N             only the K-th of N shards of the inventory\n"
               "      --junit FILE            also write the run as JUnit XML\n"
               "      --markdown FILE         also write a Markdown summary\n"
               "      --html FILE             also write a self-contained HTML report\n"
               "      --retry-file FILE       write the hosts to run again (--limit @FILE)\n"
               "  -q, --quiet                 print only the summary and errors\n"
               "  -v, --verbose               say more on stderr; -vv: the SSH protocol too\n"
               "  apply:  --check (show diffs, change nothing)  --policy bind|follow\n"
               "          --firewall UNIT  --heal (restart docker where its rules are gone)\n"
               "          --watch (also install tether-watch.service: heals any flush; revert removes it)\n"
               "  test:   --yes  --scenario restart|stop-start|reload|flush  --wait SECONDS  --batch N|N%%  "
               "--max-fail N|N%%\n"
               "  audit:  --fail-on VERDICT,...  (e.g. vulnerable,broken)\n"
               "  audit, apply, test, revert: --mode auto|agent|agentless  (no agent; auto: where it cannot "
               "run)\n"
               "  inventory: --json, --names\n"
               "  report render [--format text|json|junit|markdown|html] [-o FILE] REPORT.json\n"
               "  report merge A.json B.json... -o ALL.json\n"
               "  -h, --help  --version (also the agent it deploys and the libraries it was built with)\n"
               "\n"
               "Exit status: 0 all good; 2 some hosts failed or are broken; 4 some\n"
               "unreachable; 6 both; 5 usage or inventory error; 1 tether failed;\n"
               "130 interrupted. See tether(1).\n");
}

/* getopt_long's tables, made from the options' table: each option's val is
 * its id past the range of short options. */
#define LONG_OPTION_VAL(id) (0x100 + (int)(id))

static void getopt_tables(struct option long_options[static _OPTION_MAX + 1], char *short_options,
                          size_t size) {
        size_t n = 0;

        for (enum option_id id = 0; id < _OPTION_MAX; id++) {
                const struct option_spec *spec = option_spec_of(id);
                bool argument = option_takes_argument(id);

                long_options[id] = (struct option){spec->name, argument ? required_argument : no_argument,
                                                   NULL, LONG_OPTION_VAL(id)};
                if (spec->short_name && n + 3 < size) {
                        short_options[n++] = spec->short_name;
                        if (argument)
                                short_options[n++] = ':';
                }
        }
        long_options[_OPTION_MAX] = (struct option){};
        short_options[n] = '\0';
}

/* The option getopt_long() returned c for; -1 for none of ours. */
static int option_of(int c) {
        if (c >= LONG_OPTION_VAL(0) && c < LONG_OPTION_VAL(_OPTION_MAX))
                return c - LONG_OPTION_VAL(0);
        for (enum option_id id = 0; id < _OPTION_MAX; id++)
                if (option_spec_of(id)->short_name == c)
                        return (int)id;
        return -1;
}

/* <0: error, 0: exit successfully, >0: go on. --version waits for the
 * end of the command line, as an --agent FILE after it changes what it says. */
static int parse_argv(int argc, char **argv, struct options *options) {
        struct option long_options[_OPTION_MAX + 1];
        char short_options[2 * _OPTION_MAX + 1];
        bool version = false;
        int c, r;

        options_init(options);
        options->inventory_path = getenv("TETHER_INVENTORY");
        options->report_path = getenv("TETHER_REPORT");
        options->ssh_config = getenv("TETHER_SSH_CONFIG");
        getopt_tables(long_options, short_options, sizeof(short_options));

        /* No '+': options may stand before or after the verb. */
        while ((c = getopt_long(argc, argv, short_options, long_options, NULL)) >= 0) {
                struct tether_error error = TETHER_ERROR_INIT;
                int id = option_of(c);

                if (c == '?')
                        return -EINVAL; /* getopt_long has said what was wrong */
                if (id < 0)
                        return log_error_errno(-EINVAL, "Unhandled option %c", c);
                if (id == OPTION_HELP) {
                        help();
                        return 0;
                }
                if (id == OPTION_VERSION) {
                        version = true;
                        continue;
                }
                r = option_set(options, (enum option_id)id, optarg, &error);
                if (r < 0)
                        return log_error_errno(r, "%s", error.text);
                /* At once, as the options that follow may log. */
                if (options->log_level)
                        log_set_max_level(options->log_level);
        }
        if (version)
                return version_show(options->agent_file);
        if (options->sudo_password_file && options->ask_sudo_password)
                return log_error_errno(-EINVAL,
                                       "Give --sudo-password-file or --ask-sudo-password, not both.");
        if (options->agent_file && options->agent_path)
                return log_error_errno(
                        -EINVAL, "Give --agent FILE (an agent to upload) or --agent-path PATH (the one "
                                 "installed on the hosts), not both.");
        if (!options->sudo_password_file && !options->ask_sudo_password)
                options->sudo_password_file = getenv("TETHER_SUDO_PASSWORD_FILE");
        return 1;
}

/* --limit @FILE: one host name or pattern a line, as --retry-file writes
 * them. */
static int read_limit_file(struct options *options, struct tether_error *error) {
        _cleanup_free_ char *text = NULL;
        const char *path = options->limit + 1;
        int r;

        r = tether_read_file(path, TETHER_SELECT_PATTERN_MAX, &text, NULL, error);
        if (r < 0)
                return r;
        r = tether_select_pattern_of_list(text, path, &options->limit_from_file, error);
        if (r < 0)
                return r;
        options->limit = options->limit_from_file;
        return 0;
}

static int dispatch(int argc, char **argv, struct options *options) {
        struct tether_error error = TETHER_ERROR_INIT;
        const struct verb *verb;
        int r;

        if (argc < 1)
                return log_error_errno(-EINVAL, "No verb given; try 'tether --help'.");

        verb = verb_find(argv[0]);
        if (!verb)
                return log_error_errno(-EINVAL, "Unknown verb '%s'; 'tether --help' lists the verbs.",
                                       argv[0]);
        r = verb_check_command_line(verb, options, argc - 1, &error);
        if (r < 0)
                return log_error_errno(r, "%s", error.text);

        if (verb->flags & VERB_NEEDS_INVENTORY) {
                if (!options->inventory_path)
                        return log_error_errno(
                                -EINVAL,
                                "'tether %s' needs an inventory: pass -i FILE or set TETHER_INVENTORY.",
                                verb->name);
                r = inventory_source_load(options->inventory_path, &options->inventory, &error);
                if (r < 0)
                        return log_error_errno(r, "%s", error.text);
        }
        if (options->limit && options->limit[0] == '@') {
                r = read_limit_file(options, &error);
                if (r < 0)
                        return log_error_errno(r, "--limit %s: %s", options->limit, error.text);
        }

        return verb->run(verb, options, argc, argv);
}

int main(int argc, char **argv) {
        struct options options = {};
        int r;

        log_set_program("tether");
        /* A reader that goes away (`| head -1`) must not kill tether before
         * its reports are written: writes to it fail with EPIPE instead. */
        (void)signal(SIGPIPE, SIG_IGN);

        r = parse_argv(argc, argv, &options);
        if (r <= 0)
                return r < 0 ? EXIT_USAGE : EXIT_SUCCESS;

        r = dispatch(argc - optind, argv + optind, &options);
        options.inventory = tether_inventory_free(options.inventory);
        free(options.limit_from_file);
        return r >= 0 ? r : exit_status_of_errno(r);
}
