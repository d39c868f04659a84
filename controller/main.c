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
#include "cmd-report.h"
#include "cmd-run.h"
#include "error.h"
#include "log.h"
#include "options.h"
#include "parse-util.h"
#include "validate.h"

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
        {"audit", 0, 0, NEEDS_INVENTORY, cmd_run, "report every host's state and verdict; changes nothing"},
        {"apply", 0, 0, NEEDS_INVENTORY, cmd_run,
         "tie docker to the firewall that flushes its rules, everywhere"},
        {"test", 0, 0, NEEDS_INVENTORY, cmd_run,
         "restart each firewall and check Docker's rules come back (--yes)"},
        {"revert", 0, 0, NEEDS_INVENTORY, cmd_run, "remove what apply wrote"},
        {"inventory", 0, 0, NEEDS_INVENTORY, cmd_inventory,
         "show the hosts of an inventory as tether reads them"},
        {"report", 2, 1000, 0, cmd_report, "render a saved report, or merge the reports of shards"},
};

static void help(void) {
        printf("Usage: tether VERB -i INVENTORY [OPTIONS]\n"
               "\n"
               "Keeps Docker's firewall rules alive across firewall service restarts, on a\n"
               "fleet of hosts over SSH.\n"
               "\n"
               "Verbs:\n");
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                printf("  %-10s %s\n", verbs[i].name, verbs[i].summary);
        printf("\n"
               "Options:\n"
               "  -i, --inventory FILE        the hosts: tether JSON or `ansible-inventory --list`\n"
               "                              output ($TETHER_INVENTORY)\n"
               "  -j, --parallel N            hosts at a time, 1 to 1024 (default 32)\n"
               "      --limit PATTERN         names, globs, web-[01-05], tag:TAG, !EXCLUDED\n"
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
               "      --shard K/N             only the K-th of N shards of the inventory\n"
               "      --junit FILE            also write the run as JUnit XML\n"
               "      --markdown FILE         also write a Markdown summary\n"
               "      --html FILE             also write a self-contained HTML report\n"
               "  -q, --quiet                 print only the summary and errors\n"
               "  -v, --verbose               say more on stderr\n"
               "  apply:  --check (show diffs, change nothing)  --policy bind|follow\n"
               "          --firewall UNIT  --heal (restart docker where its rules are gone)\n"
               "  test:   --yes  --scenario restart|stop-start|reload  --batch N|N%%  --max-fail N|N%%\n"
               "  audit:  --fail-on VERDICT,...  (e.g. vulnerable,broken)\n"
               "  inventory: --json, --names\n"
               "  report render [--format text|json|junit|markdown|html] [-o FILE] REPORT.json\n"
               "  report merge A.json B.json... -o ALL.json\n"
               "  -h, --help  --version\n"
               "\n"
               "Exit status: 0 all good; 2 some hosts failed or are broken; 4 some\n"
               "unreachable; 6 both; 5 usage or inventory error; 1 tether failed;\n"
               "130 interrupted. See tether(1).\n");
}

/* A whole number of option from min to max, into *ret. */
static int parse_number(const char *option, const char *text, unsigned min, unsigned max, unsigned *ret) {
        if (tether_parse_unsigned(text, min, max, ret) < 0)
                return log_error_errno(-EINVAL, "%s takes a whole number from %u to %u, got '%s'.", option,
                                       min, max, text);
        return 0;
}

/* <0: error, 0: exit successfully, >0: go on. */
static int parse_argv(int argc, char **argv, struct options *options) {
        enum {
                ARG_VERSION = 0x100,
                ARG_JSON,
                ARG_NAMES,
                ARG_LIMIT,
                ARG_REPORT,
                ARG_CONNECT_TIMEOUT,
                ARG_TIMEOUT,
                ARG_USER,
                ARG_IDENTITY,
                ARG_KNOWN_HOSTS,
                ARG_ACCEPT_NEW,
                ARG_SUDO_PASSWORD_FILE,
                ARG_AGENT,
                ARG_CHECK,
                ARG_HEAL,
                ARG_POLICY,
                ARG_FIREWALL,
                ARG_YES,
                ARG_SCENARIO,
                ARG_BATCH,
                ARG_MAX_FAIL,
                ARG_FAIL_ON,
                ARG_SHARD,
                ARG_SSH_CONFIG,
                ARG_JUNIT,
                ARG_MARKDOWN,
                ARG_HTML,
                ARG_FORMAT,
        };
        static const struct option long_options[] = {
                {"inventory", required_argument, NULL, 'i'},
                {"parallel", required_argument, NULL, 'j'},
                {"limit", required_argument, NULL, ARG_LIMIT},
                {"report", required_argument, NULL, ARG_REPORT},
                {"connect-timeout", required_argument, NULL, ARG_CONNECT_TIMEOUT},
                {"timeout", required_argument, NULL, ARG_TIMEOUT},
                {"user", required_argument, NULL, ARG_USER},
                {"identity", required_argument, NULL, ARG_IDENTITY},
                {"known-hosts", required_argument, NULL, ARG_KNOWN_HOSTS},
                {"accept-new-host-keys", no_argument, NULL, ARG_ACCEPT_NEW},
                {"sudo-password-file", required_argument, NULL, ARG_SUDO_PASSWORD_FILE},
                {"ask-sudo-password", no_argument, NULL, 'K'},
                {"agent", required_argument, NULL, ARG_AGENT},
                {"check", no_argument, NULL, ARG_CHECK},
                {"heal", no_argument, NULL, ARG_HEAL},
                {"policy", required_argument, NULL, ARG_POLICY},
                {"firewall", required_argument, NULL, ARG_FIREWALL},
                {"yes", no_argument, NULL, ARG_YES},
                {"scenario", required_argument, NULL, ARG_SCENARIO},
                {"batch", required_argument, NULL, ARG_BATCH},
                {"max-fail", required_argument, NULL, ARG_MAX_FAIL},
                {"fail-on", required_argument, NULL, ARG_FAIL_ON},
                {"shard", required_argument, NULL, ARG_SHARD},
                {"ssh-config", required_argument, NULL, ARG_SSH_CONFIG},
                {"junit", required_argument, NULL, ARG_JUNIT},
                {"markdown", required_argument, NULL, ARG_MARKDOWN},
                {"html", required_argument, NULL, ARG_HTML},
                {"format", required_argument, NULL, ARG_FORMAT},
                {"output", required_argument, NULL, 'o'},
                {"json", no_argument, NULL, ARG_JSON},
                {"names", no_argument, NULL, ARG_NAMES},
                {"verbose", no_argument, NULL, 'v'},
                {"quiet", no_argument, NULL, 'q'},
                {"help", no_argument, NULL, 'h'},
                {"version", no_argument, NULL, ARG_VERSION},
                {},
        };
        int c, r;

        options->inventory_path = getenv("TETHER_INVENTORY");
        options->report_path = getenv("TETHER_REPORT");
        options->ssh_config = getenv("TETHER_SSH_CONFIG");
        options->parallel = 32;
        options->connect_timeout_sec = 10;
        options->host_timeout_sec = 300;

        /* No '+': options may stand before or after the verb. */
        while ((c = getopt_long(argc, argv, "i:j:o:Kvqh", long_options, NULL)) >= 0) {
                switch (c) {
                case 'i':
                        options->inventory_path = optarg;
                        break;
                case 'j':
                        r = parse_number("--parallel", optarg, 1, 1024, &options->parallel);
                        if (r < 0)
                                return r;
                        break;
                case ARG_LIMIT:
                        options->limit = optarg;
                        break;
                case ARG_REPORT:
                        options->report_path = optarg;
                        break;
                case ARG_CONNECT_TIMEOUT:
                        r = parse_number("--connect-timeout", optarg, 1, 3600,
                                         &options->connect_timeout_sec);
                        if (r < 0)
                                return r;
                        break;
                case ARG_TIMEOUT:
                        r = parse_number("--timeout", optarg, 1, 86400, &options->host_timeout_sec);
                        if (r < 0)
                                return r;
                        break;
                case ARG_USER:
                        if (!tether_valid_user_name(optarg))
                                return log_error_errno(-EINVAL, "--user: '%s' is not a valid user name.",
                                                       optarg);
                        options->user = optarg;
                        break;
                case ARG_IDENTITY:
                        options->identity_file = optarg;
                        break;
                case ARG_KNOWN_HOSTS:
                        options->known_hosts = optarg;
                        break;
                case ARG_ACCEPT_NEW:
                        options->accept_new_host_keys = true;
                        break;
                case ARG_SUDO_PASSWORD_FILE:
                        options->sudo_password_file = optarg;
                        break;
                case 'K':
                        options->ask_sudo_password = true;
                        break;
                case ARG_AGENT:
                        options->agent_path = optarg;
                        break;
                case ARG_CHECK:
                        options->check = true;
                        break;
                case ARG_HEAL:
                        options->heal = true;
                        break;
                case ARG_POLICY:
                        if (strcmp(optarg, "bind") != 0 && strcmp(optarg, "follow") != 0)
                                return log_error_errno(-EINVAL, "--policy: use bind or follow, not '%s'.",
                                                       optarg);
                        options->policy = optarg;
                        break;
                case ARG_FIREWALL:
                        if (!tether_valid_unit_name(optarg) && !tether_valid_host_name(optarg))
                                return log_error_errno(-EINVAL, "--firewall: '%s' is not a unit name.",
                                                       optarg);
                        options->firewall = optarg;
                        break;
                case ARG_YES:
                        options->yes = true;
                        break;
                case ARG_SCENARIO:
                        if (strcmp(optarg, "restart") != 0 && strcmp(optarg, "stop-start") != 0 &&
                            strcmp(optarg, "reload") != 0)
                                return log_error_errno(
                                        -EINVAL, "--scenario: use restart, stop-start or reload, not '%s'.",
                                        optarg);
                        options->scenario = optarg;
                        break;
                case ARG_BATCH:
                        options->batch = optarg;
                        break;
                case ARG_MAX_FAIL:
                        options->max_fail = optarg;
                        break;
                case ARG_FAIL_ON:
                        options->fail_on = optarg;
                        break;
                case ARG_SSH_CONFIG:
                        options->ssh_config = optarg;
                        break;
                case ARG_SHARD:
                        options->shard = optarg;
                        break;
                case ARG_JUNIT:
                        options->junit_path = optarg;
                        break;
                case ARG_MARKDOWN:
                        options->markdown_path = optarg;
                        break;
                case ARG_HTML:
                        options->html_path = optarg;
                        break;
                case ARG_FORMAT:
                        options->render_format = optarg;
                        break;
                case 'o':
                        options->output_path = optarg;
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
                        options->quiet = true;
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
        if (options->sudo_password_file && options->ask_sudo_password)
                return log_error_errno(-EINVAL,
                                       "Give --sudo-password-file or --ask-sudo-password, not both.");
        if (!options->sudo_password_file && !options->ask_sudo_password)
                options->sudo_password_file = getenv("TETHER_SUDO_PASSWORD_FILE");
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
        if (r >= 0)
                return r;
        if (r == -EINVAL || r == -EBADMSG || r == -E2BIG || r == -EFBIG || r == -ENOENT)
                return EXIT_USAGE;
        return EXIT_FAILURE;
}
