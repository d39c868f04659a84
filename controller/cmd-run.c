/* SPDX-License-Identifier: MIT */
/*
 * tether audit | apply | test | revert: runs the agent's verb on the
 * selected hosts in a worker pool, in the waves of the verb's rollout,
 * prints a line a host as it finishes and a summary that folds hosts with
 * the same outcome into ranges, writes the report and its renderings, and
 * sets the exit status (exit-status.h). In steps:
 *
 *   select_hosts()     --limit, --shard                    (rollout.c)
 *   plan_rollout()     all at once, or canary then batches (rollout.c)
 *   prepare()          the agent to deploy (if any), the sudo password, a run id
 *   run_batches()      the waves, stopping past --max-fail or on Ctrl-C
 *   write_outputs()    the report, --junit, --markdown, --html, the table
 *   exit_status_of()   from the results alone                (exit-status.c)
 *
 * test is disruptive: the dispatcher has checked --yes; it runs one host
 * first as a canary, then the rest in batches, and stops once more hosts
 * failed than --max-fail allows; the hosts it never touched are reported as
 * skipped.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "agent-binary.h"
#include "bastion.h"
#include "cmd-report.h"
#include "cmd-run.h"
#include "exit-status.h"
#include "fileio.h"
#include "host-key.h"
#include "log.h"
#include "nofile.h"
#include "password.h"
#include "pool.h"
#include "progress.h"
#include "render.h"
#include "report.h"
#include "rollout.h"
#include "session.h"
#include "strbuf.h"
#include "time-util.h"
#include "verbs.h"

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t abort_requested;

static void on_interrupt(int signal_number) {
        static const char first[] = "\ntether: stopping: running hosts finish their step, no new ones start "
                                    "(Ctrl-C again to abort)\n";
        if (stop_requested) {
                abort_requested = 1;
                return;
        }
        stop_requested = 1;
        (void)!write(STDERR_FILENO, first, sizeof(first) - 1);
}

/* A run's state, from the hosts selected to the report. */
struct run {
        const struct verb *verb;
        const struct options *options;
        struct host_result *storage; /* n, one a selected host */
        struct host_result **results;
        size_t n;
        struct agent_binary agent;
        char *sudo_password;
        char *run_id;
        char **agent_args;
        time_t started;
        uint64_t started_usec;
        struct progress progress;
        struct bastions *bastions;
        /* What the workers read, here rather than on run_batches()' stack:
         * after a second Ctrl-C the pool returns while they still run. */
        struct run_config config;
        struct pool_run pool;
};

static void run_clear(struct run *run) {
        /* Results of hosts still running after an abort belong to their workers. */
        if (!abort_requested) {
                for (size_t i = 0; i < run->n; i++)
                        host_result_clear(run->results[i]);
                free(run->storage);
                free(run->results);
                agent_binary_clear(&run->agent);
        }
        run->sudo_password = password_free(run->sudo_password);
        free(run->run_id);
        strv_free(run->agent_args);
}

/* ---- setup -------------------------------------------------------------- */

/* The first line of the password file, or one line typed on the terminal
 * without echo (password.h). */
static int read_sudo_password(const struct options *options, char **ret, struct tether_error *error) {
        if (options->sudo_password_file)
                return password_read_file(options->sudo_password_file, ret, error);
        return password_read_terminal("sudo password: ", ret, error);
}

/* "YYYYMMDDTHHMMSSZ-" and 6 random hex digits. */
static int new_run_id(char **ret) {
        unsigned char random_bytes[3] = {};
        char stamp[32];
        time_t now = time(NULL);
        struct tm tm;

        (void)!getrandom(random_bytes, sizeof(random_bytes), 0);
        if (!gmtime_r(&now, &tm) || strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm) == 0)
                return -EOVERFLOW;
        if (asprintf(ret, "%s-%02x%02x%02x", stamp, random_bytes[0], random_bytes[1], random_bytes[2]) < 0)
                return -ENOMEM;
        return 0;
}

/* A result a selected host, in their order. */
static int new_results(struct run *run, const struct tether_host *const *hosts, size_t n) {
        run->storage = calloc(n, sizeof(*run->storage));
        /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
        run->results = calloc(n, sizeof(*run->results));
        if (!run->storage || !run->results)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                run->storage[i].host = hosts[i];
                run->results[i] = &run->storage[i];
        }
        run->n = n;
        return 0;
}

/* Whether a selected host runs tether's own agent, which must then be
 * loaded: not when --agent-path is given, or every host has an agent_path. */
static bool deploys_agent(const struct run *run) {
        if (run->options->agent_path)
                return false;
        for (size_t i = 0; i < run->n; i++)
                if (!run->results[i]->host->agent_path)
                        return true;
        return false;
}

/* What the run needs before it connects anywhere: the agent's arguments,
 * the agent to deploy (if any host deploys it), the sudo password, a run
 * id. A failure here is the command line's or the controller's: each is
 * said on stderr. */
static int prepare(struct run *run) {
        struct tether_error error = TETHER_ERROR_INIT;
        int r;

        r = verb_agent_args(run->verb, run->options, &run->agent_args, &error);
        if (r < 0)
                return log_error_errno(r, "%s", error.text);
        r = deploys_agent(run) ? agent_binary_load(run->options->agent_file, &run->agent, &error) : 0;
        if (r < 0) {
                log_error("%s", error.text);
                return -EIO; /* exit status 1, though tether(1) lists an unreadable agent under 5 */
        }
        if (run->options->sudo_password_file || run->options->ask_sudo_password) {
                r = read_sudo_password(run->options, &run->sudo_password, &error);
                if (r < 0) {
                        log_error("%s", error.text);
                        return -EINVAL;
                }
        }
        r = session_check_config(run->options->ssh_config, &error);
        if (r < 0)
                return log_error_errno(r, "%s", error.text);
        r = new_run_id(&run->run_id);
        if (r < 0)
                return log_error_errno(r, "Failed to make the run's id: %m");
        return 0;
}

/* ---- the run ------------------------------------------------------------ */

static size_t failed_so_far(const struct run *run, size_t done) {
        size_t failed = 0;

        for (size_t i = 0; i < done; i++)
                failed += report_host_failed(run->results[i]);
        return failed;
}

/* The waves of the plan, each one ended before the next starts; stops on
 * Ctrl-C and once more hosts failed than the plan allows. The hosts never
 * started get their reason. Returns 0, or the pool's error when it could
 * start no worker (said on stderr): the run then stops there. */
static int run_batches(struct run *run, const struct rollout_plan *plan) {
        const struct options *options = run->options;
        run->config = (struct run_config){
                .verb = run->verb->name,
                .mode = !options->mode || strcmp(options->mode, "auto") == 0 ? RUN_MODE_AUTO
                        : strcmp(options->mode, "agent") == 0                ? RUN_MODE_AGENT
                                                                             : RUN_MODE_AGENTLESS,
                .changes_hosts = (run->verb->flags & VERB_CHANGES_HOSTS) && !options->check,
                .agent_args = run->agent_args,
                .inventory_firewall =
                        (run->verb->agent_options & OPTION_BIT(OPTION_FIREWALL)) && !options->firewall,
                .parallel = options->parallel,
                .connect_timeout_sec = options->connect_timeout_sec,
                .host_timeout_sec = options->host_timeout_sec,
                .user = options->user,
                .identity_file = options->identity_file,
                .known_hosts = options->known_hosts,
                .ssh_config = options->ssh_config,
                .accept_new_host_keys = options->accept_new_host_keys,
                .sudo_password = run->sudo_password,
                .run_id = run->run_id,
                .agent = &run->agent,
                .agent_path = options->agent_path,
                .jump = options->jump,
                .bastions = run->bastions,
                .ssh_log = options->ssh_log,
                .stop = &stop_requested,
        };
        run->pool = (struct pool_run){
                .config = &run->config,
                .parallel = options->parallel,
                .stop = &stop_requested,
                .abort = &abort_requested,
                .finished = progress_host_finished,
                .userdata = &run->progress,
        };
        size_t next = 0, size, failed;
        int r = 0;

        while ((size = rollout_wave_size(plan, next)) > 0 && !stop_requested && !abort_requested) {
                run->pool.results = run->results + next;
                run->pool.n = size;
                r = pool_run(&run->pool);
                if (r < 0) {
                        log_error_errno(r, "Cannot start the workers that connect to the hosts: %m");
                        break;
                }
                if (abort_requested)
                        break;
                next += size;
                failed = failed_so_far(run, next);
                if (!rollout_should_stop(plan, failed))
                        continue;
                for (size_t i = next; i < run->n; i++)
                        run->results[i]->skip_reason =
                                "not started: more hosts failed than --max-fail allows";
                if (!options->quiet)
                        fprintf(stderr,
                                "tether %s: stopping after %zu failed hosts (--max-fail %zu); %zu hosts not "
                                "touched\n",
                                run->verb->name, failed, plan->max_fail, run->n - next);
                break;
        }
        for (size_t i = 0; i < run->n; i++)
                if (!pool_result_started(run->results[i]) && !run->results[i]->skip_reason)
                        run->results[i]->skip_reason =
                                r < 0 ? "not started: tether could not start its workers"
                                      : "not started: interrupted";
        return r;
}

static json_t *build_report(const struct run *run) {
        json_t *options_json = options_report_json(run->options, run->verb->options), *report;

        if (!options_json)
                return NULL;
        report = report_build(
                &(struct report_info){
                        .run_id = run->run_id,
                        .verb = run->verb->name,
                        .inventory = run->options->inventory->origin,
                        .options = options_json,
                        .started = run->started,
                        .duration_ms = (tether_now_usec() - run->started_usec) / 1000,
                        .interrupted = stop_requested || abort_requested,
                },
                run->results, run->n);
        json_decref(options_json);
        return report;
}

/* --junit, --markdown, --html: each a rendering of the report, written
 * as report_output_write() does. Returns 0, or -EIO when one could not be
 * (each said). */
static int write_renderings(const struct options *options, const json_t *report) {
        const struct {
                const char *path, *format;
        } outputs[] = {
                {options->junit_path, "junit"},
                {options->markdown_path, "markdown"},
                {options->html_path, "html"},
        };
        int result = 0;

        for (size_t i = 0; i < ELEMENTSOF(outputs); i++) {
                struct tether_error error = TETHER_ERROR_INIT;
                _cleanup_free_ char *text = NULL;

                if (!outputs[i].path)
                        continue;
                if (report_render_to(report, outputs[i].format, false, &text, &error) < 0)
                        result = log_error_errno(-EIO, "%s", error.text);
                else if (report_output_write(outputs[i].path, text, &error) < 0)
                        result = log_error_errno(-EIO, "Cannot write %s: %s", outputs[i].path, error.text);
        }
        return result;
}

/* The report (--report), its renderings, and the summary table on stdout
 * (not after an abort, nor when stdout takes a report; nothing more once
 * stdout's reader went away). Returns 0, or -EIO when a file could not be
 * written (each said on stderr); the others are written all the same. */
static int write_outputs(struct run *run, const json_t *report) {
        const struct options *options = run->options;
        struct tether_error error = TETHER_ERROR_INIT;
        int result = 0;

        if (options->report_path && report_write(options->report_path, report, &error) < 0)
                result = log_error_errno(-EIO, "Cannot write the report: %s", error.text);
        progress_clear(&run->progress);
        if (write_renderings(options, report) < 0)
                result = -EIO;
        /* Not after an abort, nor over a report on stdout. */
        if (!abort_requested && run->progress.lines == stdout) {
                _cleanup_free_ char *table =
                        render_text(report, terminal_is_smart(STDOUT_FILENO) && !getenv("NO_COLOR"));
                _cleanup_free_ char *said = NULL;

                if (table && asprintf(&said, "\n%s", table) >= 0)
                        progress_print(&run->progress, said);
                free(TAKE_PTR(said));
                if (options->report_path && !options->quiet &&
                    asprintf(&said, "report: %s\n", options->report_path) >= 0)
                        progress_print(&run->progress, said);
        }
        return result;
}

/* --retry-file: the hosts to run again, one name a line, for --limit @FILE
 * (an empty file when every host is fine). */
static int write_retry_file(const struct run *run) {
        const struct options *options = run->options;
        struct tether_error error = TETHER_ERROR_INIT;
        struct strbuf buffer = STRBUF_INIT;
        _cleanup_free_ char *names = NULL;

        for (size_t i = 0; i < run->n; i++)
                if (host_needs_retry(run->results[i], options->fail_on_mask))
                        strbuf_appendf(&buffer, "%s\n", run->results[i]->host->name);
        names = strbuf_steal(&buffer);
        if (!names)
                return log_error_errno(-ENOMEM, "Cannot write %s: out of memory", options->retry_file);
        if (tether_write_output(options->retry_file, names, &error) < 0)
                return log_error_errno(-EIO, "Cannot write %s: %s", options->retry_file, error.text);
        return 0;
}

/* Whether one of the outputs (--report, --junit, --markdown, --html) is stdout. */
static bool an_output_is_stdout(const struct options *options) {
        const char *const paths[] = {options->report_path, options->junit_path, options->markdown_path,
                                     options->html_path};

        for (size_t i = 0; i < ELEMENTSOF(paths); i++)
                if (paths[i] && report_output_is_stdout(paths[i]))
                        return true;
        return false;
}

/* The soft RLIMIT_NOFILE raised to the hard one, and -j fitted to it
 * (nofile.h), said unless --quiet. */
static void fit_parallel(struct options *options) {
        rlim_t nofile = RLIM_INFINITY;
        unsigned fitted;

        (void)nofile_raise(&nofile);
        fitted = nofile_fit_parallel(options->parallel, nofile);
        if (fitted == options->parallel)
                return;
        if (!options->quiet)
                fprintf(stderr,
                        "tether: -j %u lowered to %u: tether may open only %llu files at once (ulimit -n; "
                        "a host takes up to %u)\n",
                        options->parallel, fitted, (unsigned long long)nofile, NOFILE_FDS_PER_WORKER);
        options->parallel = fitted;
}

static void catch_interrupts(void) {
        struct sigaction action = {.sa_handler = on_interrupt};

        sigemptyset(&action.sa_mask);
        sigaction(SIGINT, &action, NULL);
        sigaction(SIGTERM, &action, NULL);
        /* A closed terminal or session stops the run as Ctrl-C does, with a report. */
        sigaction(SIGHUP, &action, NULL);
}

int cmd_run(const struct verb *verb, struct options *options, int argc, char **argv) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_(run_clear) struct run run = {
                .verb = verb,
                .options = options,
                .started = time(NULL),
                .started_usec = tether_now_usec(),
        };
        _cleanup_free_ const struct tether_host **hosts = NULL;
        struct rollout_plan plan;
        size_t n_hosts;
        json_t *report;
        bool failed;
        int r;

        r = select_hosts(options->inventory, options, &hosts, &n_hosts, &error);
        if (r < 0)
                return log_error_errno(r, "%s", error.text);
        plan = plan_rollout(verb, options, n_hosts);
        r = new_results(&run, hosts, n_hosts);
        if (r < 0)
                return log_error_errno(r, "Out of memory.");
        r = prepare(&run);
        if (r < 0)
                return r;
        fit_parallel(options);

        catch_interrupts();
        /* stdout that takes a report takes nothing else. */
        progress_init(&run.progress, verb, options, run.results, run.n,
                      an_output_is_stdout(options) ? stderr : stdout);
        if (!options->quiet)
                fprintf(stderr, "tether %s: %zu hosts, %u at a time, run %s\n", verb->name, run.n,
                        options->parallel, run.run_id);
        /* A pool that could not start still leaves a report of hosts not started. */
        run.bastions = bastions_new();
        if (!run.bastions)
                return log_error_errno(-ENOMEM, "Out of memory.");
        failed = run_batches(&run, &plan) < 0;
        /* After an abort, workers may still be carried by the bastions. */
        if (!abort_requested)
                bastions_free(run.bastions);
        host_key_forget_files();

        report = build_report(&run);
        if (!report)
                return log_error_errno(-ENOMEM, "Cannot build the report.");
        if (write_outputs(&run, report) < 0)
                failed = true;
        if (options->retry_file && write_retry_file(&run) < 0)
                failed = true;
        json_decref(report);
        /* After a second Ctrl-C workers may still run, with pointers into the
         * run and the inventory: end here, the report written, without
         * freeing what they use. */
        if (abort_requested) {
                /* On the way out: a failed flush has nowhere left to be told. */
                (void)fflush(stdout);
                (void)fflush(stderr);
                _exit(EXIT_INTERRUPTED);
        }
        return exit_status_of(run.results, run.n, options->fail_on_mask,
                              (struct run_ending){
                                      .interrupted = stop_requested || abort_requested,
                                      .tether_failed = failed,
                              });
}
