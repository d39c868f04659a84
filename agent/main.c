/* SPDX-License-Identifier: MIT */
/*
 * tether-agent: the part of tether that runs on a Docker host, as root, and
 * reports one JSON document on stdout (schema tether.host/1, docs/schema.md);
 * diagnostics go to stderr. This file parses the command line, takes the
 * host's lock, records a run that tether gave an id (run-record.h),
 * connects to systemd and dispatches to the verb. It ignores SIGPIPE: an
 * agent whose connection broke goes on to the end of its verb and records
 * what it did; only its output is lost.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "journal.h"
#include "lock.h"
#include "log.h"
#include "parse-util.h"
#include "run-record.h"
#include "state.h"
#include "validate.h"

#define SCHEMA "tether.host/1"
/* How long a verb waits for the host's lock before it says busy: long
 * enough for a look of watch's, short next to another agent's apply. */
#define LOCK_WAIT_SECONDS 10

struct verb {
        const char *name;
        int (*run)(struct agent *agent);
        const char *summary;
        bool reads_records; /* takes no lock and no bus, needs --run-id: result */
        bool daemon;        /* runs until stopped, holds no lock, prints no document: watch */
        bool changes_host;  /* writes files or restarts units: holds off signals (hold_signals()) */
};

static const struct verb verbs[] = {
        {"audit", verb_audit, "report the host's state and verdict; changes nothing"},
        {"apply", verb_apply, "tie docker.service to the firewall units that flush its rules",
         .changes_host = true},
        {"revert", verb_revert, "remove what apply wrote", .changes_host = true},
        {"test", verb_test, "restart the firewall and check that Docker's rules come back (disruptive)",
         .changes_host = true},
        {"result", verb_result, "what became of the run --run-id (for tether, after a lost connection)",
         true},
        {"watch", verb_watch,
         "a daemon: restart docker when any flush takes its rules (tether-watch.service)", false, true},
};

static void help(void) {
        printf("Usage: tether-agent VERB [OPTIONS]\n"
               "\n"
               "Runs on a Docker host, as root, and reports on stdout, as one JSON document,\n"
               "whether Docker's firewall rules survive a restart of the host's firewall\n"
               "service; apply fixes it with a systemd drop-in. Normally started by tether.\n"
               "\n"
               "Verbs:\n");
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                printf("  %-8s %s\n", verbs[i].name, verbs[i].summary);
        printf("\n"
               "Options:\n"
               "      --policy bind|follow  apply: how docker is tied to the firewall (docs/policies.md)\n"
               "      --firewall UNIT       apply, test: this firewall unit instead of the ones found\n"
               "      --check               apply: say what would change, with a diff; change nothing\n"
               "      --heal[=restart|report]\n"
               "                            apply: restart docker if its rules are missing now;\n"
               "                            watch: restart it when they go missing (default: report)\n"
               "      --watch[=restart|report]\n"
               "                            apply: also install and start tether-watch.service, whose\n"
               "                            watch heals so (default restart); revert removes it\n"
               "      --scenario restart|stop-start|reload|flush\n"
               "                            test: how the firewall is bounced (default restart);\n"
               "                            flush: Docker's rules taken away, for watch to bring back\n"
               "      --wait SECONDS        test: how long the rules may take to return (default 60);\n"
               "                            result: how long to wait for a running agent\n"
               "      --settle-ms MS        watch: look at the rules once changes are quiet this long\n"
               "                            (default 500)\n"
               "      --backoff-sec SECONDS watch: the least time between two restarts (default 10,\n"
               "                            doubled with each restart of the hour)\n"
               "      --max-heals-per-hour N\n"
               "                            watch: then report only (default 6)\n"
               "      --run-id ID           recorded in the journal with every change, and the\n"
               "                            run's result under /run/tether\n"
               "  -h, --help                show this help\n"
               "      --version             show the version\n"
               "\n"
               "Exit status: 0 done; 1 the verb failed (apply rolled back, test failed or\n"
               "refused); 2 usage; 3 busy; 4 not root; 5 no systemd; 6 unknown firewall unit;\n"
               "7 internal error; 8 tether closed the run; 9 watch cannot see this host's changes.\n");
}

static int parse_argv(int argc, char **argv, struct agent_options *options) {
        enum {
                ARG_VERSION = 0x100,
                ARG_POLICY,
                ARG_FIREWALL,
                ARG_CHECK,
                ARG_HEAL,
                ARG_SCENARIO,
                ARG_WAIT,
                ARG_RUN_ID,
                ARG_SETTLE_MS,
                ARG_BACKOFF_SEC,
                ARG_MAX_HEALS,
                ARG_WATCH,
        };
        static const struct option long_options[] = {
                {"help", no_argument, NULL, 'h'},
                {"version", no_argument, NULL, ARG_VERSION},
                {"policy", required_argument, NULL, ARG_POLICY},
                {"firewall", required_argument, NULL, ARG_FIREWALL},
                {"check", no_argument, NULL, ARG_CHECK},
                {"heal", optional_argument, NULL, ARG_HEAL},
                {"scenario", required_argument, NULL, ARG_SCENARIO},
                {"wait", required_argument, NULL, ARG_WAIT},
                {"run-id", required_argument, NULL, ARG_RUN_ID},
                {"settle-ms", required_argument, NULL, ARG_SETTLE_MS},
                {"backoff-sec", required_argument, NULL, ARG_BACKOFF_SEC},
                {"max-heals-per-hour", required_argument, NULL, ARG_MAX_HEALS},
                {"watch", optional_argument, NULL, ARG_WATCH},
                {},
        };
        unsigned number;
        int c;

        while ((c = getopt_long(argc, argv, "h", long_options, NULL)) >= 0) {
                switch (c) {
                case 'h':
                        help();
                        return 0;
                case ARG_VERSION:
                        printf("tether-agent %s\n", TETHER_VERSION);
                        return 0;
                case ARG_POLICY:
                        if (tether_policy_from_string(optarg, &options->policy) < 0)
                                return log_error_errno(-EINVAL, "Unknown policy '%s'; use bind or follow.",
                                                       optarg);
                        options->policy_forced = true;
                        break;
                case ARG_FIREWALL:
                        options->firewall = optarg;
                        break;
                case ARG_CHECK:
                        options->check = true;
                        break;
                case ARG_HEAL:
                        /* --heal=report, not "--heal report": the argument is optional. */
                        options->watch_limits.heal = TETHER_WATCH_HEAL_RESTART;
                        if (optarg && tether_watch_heal_from_string(optarg, &options->watch_limits.heal) < 0)
                                return log_error_errno(
                                        -EINVAL, "Unknown --heal '%s'; use --heal=restart or --heal=report.",
                                        optarg);
                        options->heal = options->watch_limits.heal == TETHER_WATCH_HEAL_RESTART;
                        break;
                case ARG_WATCH:
                        /* --watch=report, as --heal=: the argument is optional. */
                        options->watch = true;
                        options->watch_unit_heal = TETHER_WATCH_HEAL_RESTART;
                        if (optarg && tether_watch_heal_from_string(optarg, &options->watch_unit_heal) < 0)
                                return log_error_errno(
                                        -EINVAL,
                                        "Unknown --watch '%s'; use --watch=restart or --watch=report.",
                                        optarg);
                        break;
                case ARG_SETTLE_MS:
                        if (tether_parse_unsigned(optarg, 10, 60000, &number) < 0)
                                return log_error_errno(
                                        -EINVAL,
                                        "--settle-ms takes milliseconds from 10 to 60000, got '%s'.",
                                        optarg);
                        options->watch_limits.settle_usec = (uint64_t)number * 1000ULL;
                        break;
                case ARG_BACKOFF_SEC:
                        if (tether_parse_unsigned(optarg, 1, 3600, &number) < 0)
                                return log_error_errno(
                                        -EINVAL, "--backoff-sec takes seconds from 1 to 3600, got '%s'.",
                                        optarg);
                        options->watch_limits.backoff_first_usec = (uint64_t)number * TETHER_USEC_PER_SEC;
                        if (options->watch_limits.backoff_max_usec <
                            options->watch_limits.backoff_first_usec)
                                options->watch_limits.backoff_max_usec =
                                        options->watch_limits.backoff_first_usec;
                        break;
                case ARG_MAX_HEALS:
                        if (tether_parse_unsigned(optarg, 1, TETHER_WATCH_HEALS_PER_HOUR_MAX, &number) < 0)
                                return log_error_errno(
                                        -EINVAL,
                                        "--max-heals-per-hour takes a number from 1 to %u, got '%s'.",
                                        TETHER_WATCH_HEALS_PER_HOUR_MAX, optarg);
                        options->watch_limits.max_heals_per_hour = number;
                        break;
                case ARG_SCENARIO:
                        if (tether_test_scenario_from_name(optarg, &options->scenario) < 0)
                                return log_error_errno(
                                        -EINVAL,
                                        "Unknown scenario '%s'; use restart, stop-start, reload or flush.",
                                        optarg);
                        break;
                case ARG_WAIT:
                        if (tether_parse_unsigned(optarg, 1, 3600, &options->wait_seconds) < 0)
                                return log_error_errno(
                                        -EINVAL, "--wait takes seconds from 1 to 3600, got '%s'.", optarg);
                        break;
                case ARG_RUN_ID:
                        if (!tether_valid_tag(optarg))
                                return log_error_errno(
                                        -EINVAL,
                                        "--run-id takes letters, digits, '.', '_' and '-', got '%s'.",
                                        optarg);
                        options->run_id = optarg;
                        break;
                case '?':
                        return -EINVAL;
                default:
                        return log_error_errno(-EINVAL, "Unhandled option %c", c);
                }
        }
        return 1;
}

int agent_fail(struct agent *agent, int status, const char *kind, const char *format, ...) {
        char message[2048];
        va_list ap;

        va_start(ap, format);
        vsnprintf(message, sizeof(message), format, ap);
        va_end(ap);
        log_error("%s", message);
        if (!json_object_get(agent->document, "error"))
                json_object_set_new(agent->document, "error",
                                    json_pack("{s:s, s:s}", "kind", kind, "message", message));
        return status;
}

void agent_add_state(struct agent *agent, const struct host_state *state) {
        json_t *json = host_state_to_json(state);

        if (!json) {
                (void)agent_fail(agent, AGENT_EXIT_INTERNAL, "internal",
                                 "cannot render the host's state as JSON");
                return;
        }
        json_object_update_missing(agent->document, json);
        json_decref(json);
}

static const struct verb *find_verb(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                if (strcmp(verbs[i].name, name) == 0)
                        return &verbs[i];
        return NULL;
}

/* The verb on systemd's bus; its status. */
static int run_on_bus(const struct verb *verb, struct agent *agent) {
        struct tether_error error = TETHER_ERROR_INIT;
        int r;

        r = bus_open(&agent->bus, &error);
        if (r < 0)
                return agent_fail(agent, AGENT_EXIT_NO_SYSTEMD, "no-systemd", "%s", error.text);
        r = verb->run(agent);
        agent->bus = sd_bus_flush_close_unref(agent->bus);
        return r;
}

/* A run tether gave an id is recorded as it starts and as it ends, under
 * the lock, so that the record of a run always says whether it finished. */
static int run_recorded(const struct verb *verb, struct agent *agent) {
        struct tether_error error = TETHER_ERROR_INIT;
        const char *run_id = agent->options.run_id;
        int r, status;

        r = agent_record_begin(run_id, verb->name, &error);
        if (r == -ESTALE)
                return agent_fail(agent, AGENT_EXIT_CLOSED, "closed",
                                  "tether closed run %s on this host after its connection broke, before "
                                  "this agent of it started; it does nothing",
                                  run_id);
        if (r < 0)
                return agent_fail(agent, AGENT_EXIT_INTERNAL, "record", "cannot record the run: %s",
                                  error.text);
        status = run_on_bus(verb, agent);
        json_object_set_new(agent->document, "exit_status", json_integer(status));
        if (agent_record_finish(run_id, verb->name, agent->document, &error) < 0)
                log_error("Cannot record the run's result: %s", error.text);
        return status;
}

/* A verb that changes the host finishes once it has begun: SIGTERM,
 * SIGINT, SIGHUP and SIGQUIT stay pending until the process exits, which
 * discards them. Killed between its files and systemd's reload, apply
 * would leave files on disk that systemd has not loaded; killed while it
 * waits for docker, test would leave a firewall restarted and Docker's
 * rules gone. These signals come when tether's connection is cut (sshd
 * hangs up, sudo passes it on) or someone stops it by hand; the verb ends
 * within its own bounds (systemd's job timeouts, --wait) and records its
 * result for `result`. SIGKILL still stops it. Programs it runs get the
 * signals back (exec.c). */
static void hold_signals(void) {
        sigset_t mask;

        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGHUP);
        sigaddset(&mask, SIGQUIT);
        (void)sigprocmask(SIG_BLOCK, &mask, NULL);
}

/* A host without systemd gets its verdict, not an error: the judge says
 * why tether's fix does not apply; there is nothing to change or test. */
static int without_systemd(const struct verb *verb, struct agent *agent) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_(host_state_freep) struct host_state *state = NULL;

        if (host_state_without_systemd(agent->options.policy, agent->options.policy_forced, &state, &error) <
            0)
                return agent_fail(agent, AGENT_EXIT_NO_SYSTEMD, "no-systemd", "%s", error.text);
        agent_add_state(agent, state);
        if (strcmp(verb->name, "apply") == 0 || strcmp(verb->name, "revert") == 0) {
                json_object_set_new(agent->document, "changes", json_array());
                json_object_set_new(agent->document, "changed", json_false());
        } else if (strcmp(verb->name, "test") == 0) {
                json_object_set_new(agent->document, "tests", json_array());
                json_object_set_new(agent->document, "test_result", json_string("skipped"));
                json_object_set_new(agent->document, "test_reason",
                                    json_string("nothing to test: this host does not run systemd"));
        }
        return AGENT_EXIT_OK;
}

static int run(const struct verb *verb, struct agent *agent) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_close_ int lock = -1;

        if (geteuid() != 0)
                return agent_fail(
                        agent, AGENT_EXIT_NOT_ROOT, "not-root",
                        "tether-agent must run as root (it reads netfilter rules and talks to systemd); "
                        "run it through sudo");
        if (verb->reads_records)
                return verb->run(agent);
        if (verb->daemon && access("/run/systemd/system", F_OK) < 0)
                return log_error("this host does not run systemd as its init system"), AGENT_EXIT_NO_SYSTEMD;
        if (verb->daemon)
                return verb->run(agent);
        if (access("/run/systemd/system", F_OK) < 0)
                return without_systemd(verb, agent);
        lock = agent_lock_wait(AGENT_LOCK_PATH, LOCK_WAIT_SECONDS, &error);
        if (lock < 0)
                return agent_fail(agent, lock == -EBUSY ? AGENT_EXIT_BUSY : AGENT_EXIT_INTERNAL,
                                  lock == -EBUSY ? "busy" : "lock", "%s", error.text);
        agent->lock_fd = lock;
        if (verb->changes_host)
                hold_signals();
        return agent->options.run_id ? run_recorded(verb, agent) : run_on_bus(verb, agent);
}

int main(int argc, char **argv) {
        struct agent agent = {.lock_fd = -1,
                              .options = {.wait_seconds = 60, .watch_limits = tether_watch_limits_default}};
        const struct verb *verb;
        int r, status;

        log_set_program("tether-agent");
        (void)signal(SIGPIPE, SIG_IGN);

        r = parse_argv(argc, argv, &agent.options);
        if (r <= 0)
                return r < 0 ? AGENT_EXIT_USAGE : AGENT_EXIT_OK;
        if (optind >= argc)
                return log_error("No verb given; try 'tether-agent --help'."), AGENT_EXIT_USAGE;
        if (optind + 1 < argc)
                return log_error("Unexpected argument '%s'; try 'tether-agent --help'.", argv[optind + 1]),
                       AGENT_EXIT_USAGE;
        verb = find_verb(argv[optind]);
        if (!verb)
                return log_error("Unknown verb '%s'; try 'tether-agent --help'.", argv[optind]),
                       AGENT_EXIT_USAGE;
        if (verb->reads_records && !agent.options.run_id)
                return log_error("%s needs --run-id; try 'tether-agent --help'.", verb->name),
                       AGENT_EXIT_USAGE;

        /* A daemon's diagnostics are its output: it prints no document. */
        if (verb->daemon)
                return run(verb, &agent);

        journal_set_run_id(agent.options.run_id);
        agent.document = json_pack("{s:s, s:s, s:s, s:s?}", "schema", SCHEMA, "agent_version",
                                   TETHER_VERSION, "verb", verb->name, "run_id", agent.options.run_id);
        if (!agent.document)
                return log_error("Out of memory."), AGENT_EXIT_INTERNAL;

        status = run(verb, &agent);
        json_object_set_new(agent.document, "exit_status", json_integer(status));
        if (json_dumpf(agent.document, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER) < 0 ||
            fputc('\n', stdout) < 0 || fflush(stdout) != 0)
                status = AGENT_EXIT_INTERNAL;
        json_decref(agent.document);
        return status;
}
