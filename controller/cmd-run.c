/* SPDX-License-Identifier: MIT */
/*
 * tether audit | apply | test | revert: runs the agent's verb on every
 * selected host in a worker pool, prints a line a host as it finishes and a
 * summary that folds hosts with the same outcome into ranges, writes the
 * report, and sets the exit status (the table is in tether(1)):
 *
 *   0 every host fine; 2 some hosts failed or are broken (or match
 *   --fail-on); 4 some unreachable; 6 both; 5 usage or inventory error;
 *   1 tether itself failed; 130 interrupted.
 *
 * test is disruptive: it needs --yes, runs one host first as a canary, then
 * the rest in batches, and stops once more hosts failed than --max-fail
 * allows; the hosts it never touched are reported as skipped.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "agent-binary.h"
#include "cmd-report.h"
#include "cmd-run.h"
#include "verbs.h"
#include "render.h"
#include "fileio.h"
#include "hostlist.h"
#include "log.h"
#include "pool.h"
#include "remote.h"
#include "report.h"
#include "select.h"
#include "validate.h"

#define SUDO_PASSWORD_LIMIT 1024

enum {
        EXIT_FAILED_HOSTS = 2,
        EXIT_UNREACHABLE_HOSTS = 4,
        EXIT_USAGE = 5,
        EXIT_INTERRUPTED = 130,
};

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

struct run_state {
        const struct options *options;
        const struct verb *verb;
        unsigned name_width;
        size_t finished, total;
        bool progress; /* redraw a progress line on stderr (a terminal) */
        uint64_t started_usec;
        /* Hosts finished so far by verdict, in the order the verdicts first came. */
        enum host_verdict seen[_HOST_VERDICT_MAX];
        size_t n_seen;
        size_t counts[_HOST_VERDICT_MAX];
};

/* ---- what one host's line and summary group say ------------------------ */

static const char *test_result_of(const struct host_result *result) {
        return json_string_value(json_object_get(result->agent, "test_result"));
}

/* Whether what the agents call changed is only what would change. */
static bool dry_run(const struct run_state *state) {
        return !(state->verb->flags & VERB_CHANGES_HOSTS) || state->options->check;
}

/* Only the agent's test verb reports tests. */
static void outcome_label(const struct run_state *state, const struct host_result *result, char *buf,
                          size_t size) {
        const char *verdict = host_verdict_to_string(result->verdict ? result->verdict : HOST_VERDICT_ERROR);
        const char *test_result = test_result_of(result);

        if (result->skip_reason)
                snprintf(buf, size, "skipped");
        else if (host_failed(&result->failure))
                snprintf(buf, size, "%s (%s)", verdict, host_stage_to_string(result->failure.stage));
        else if (test_result)
                snprintf(buf, size, "%s, test %s", verdict, test_result);
        else if (result->changed)
                snprintf(buf, size, "%s, %s", verdict, dry_run(state) ? "would change" : "changed");
        else
                snprintf(buf, size, "%s", verdict);
}

static void detail_of(const struct run_state *state, const struct host_result *result, char *buf,
                      size_t size) {
        const json_t *reasons = json_object_get(result->agent, "reasons");
        const json_t *tests = json_object_get(result->agent, "tests");
        const json_t *first_test = json_array_get(tests, 0);

        buf[0] = '\0';
        if (result->skip_reason)
                snprintf(buf, size, "%s", result->skip_reason);
        else if (host_failed(&result->failure))
                snprintf(buf, size, "%s", result->failure.message);
        else if (first_test) {
                const char *reason = json_string_value(json_object_get(first_test, "reason"));
                json_int_t heal_ms = json_integer_value(json_object_get(first_test, "heal_ms"));

                if (reason)
                        snprintf(buf, size, "%s", reason);
                else
                        snprintf(buf, size, "%s restarted, rules back in %lld ms",
                                 json_string_value(json_object_get(first_test, "unit")), (long long)heal_ms);
        } else if (json_array_size(reasons) > 0)
                snprintf(buf, size, "%s", json_string_value(json_array_get(reasons, 0)));
}

static void count_verdict(struct run_state *state, enum host_verdict verdict) {
        if (state->counts[verdict]++ == 0)
                state->seen[state->n_seen++] = verdict;
}

/* One line on stderr, redrawn: done/total, outcomes so far, elapsed and ETA. */
static void draw_progress(const struct run_state *state) {
        double elapsed = (double)(tether_now_usec() - state->started_usec) / 1e6;
        double eta = state->finished > 0
                             ? elapsed / (double)state->finished * (double)(state->total - state->finished)
                             : 0;
        char line[512];
        int n;

        n = snprintf(line, sizeof(line), "\r\033[K[%zu/%zu]", state->finished, state->total);
        for (size_t i = 0; i < state->n_seen && n > 0 && (size_t)n < sizeof(line); i++)
                n += snprintf(line + n, sizeof(line) - (size_t)n, " %s %zu",
                              host_verdict_to_string(state->seen[i]), state->counts[state->seen[i]]);
        if (n > 0 && (size_t)n < sizeof(line))
                n += snprintf(line + n, sizeof(line) - (size_t)n, "  %.0fs elapsed, about %.0fs to go",
                              elapsed, eta);
        if (n > 0)
                (void)!write(STDERR_FILENO, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

static void clear_progress(const struct run_state *state) {
        if (state->progress)
                (void)!write(STDERR_FILENO, "\r\033[K", 4);
}

static void print_host_line(struct host_result *result, void *userdata) {
        struct run_state *state = userdata;
        char label[128], detail[1200];

        state->finished++;
        count_verdict(state, result->verdict ? result->verdict : HOST_VERDICT_ERROR);
        if (state->options->quiet)
                return;
        clear_progress(state);
        outcome_label(state, result, label, sizeof(label));
        detail_of(state, result, detail, sizeof(detail));
        printf("%-*s %-28s %s%s(%.1fs)\n", (int)state->name_width, result->host->name, label, detail,
               detail[0] ? " " : "", (double)result->total_ms / 1000.0);
        fflush(stdout);
        if (state->progress)
                draw_progress(state);
}

static bool dumb_terminal(void) {
        const char *term = getenv("TERM");

        return !term || strcmp(term, "dumb") == 0;
}

/* --junit, --markdown, --html: each a rendering of the report, written atomically. */
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
                if (report_render_to(report, outputs[i].format, false, &text) < 0 ||
                    tether_write_file_atomic(outputs[i].path, text, 0644, &error) < 0) {
                        if (error.code)
                                log_error("Cannot write %s: %s", outputs[i].path, error.text);
                        result = -EIO;
                }
        }
        return result;
}

/* ---- setup -------------------------------------------------------------- */

static char *read_sudo_password(const struct options *options) {
        char buf[SUDO_PASSWORD_LIMIT + 2];
        size_t n = 0;

        if (options->sudo_password_file) {
                _cleanup_free_ char *text = NULL;
                struct tether_error error = TETHER_ERROR_INIT;

                if (tether_read_file(options->sudo_password_file, SUDO_PASSWORD_LIMIT, &text, NULL, &error) <
                    0) {
                        log_error("Cannot read the sudo password: %s", error.text);
                        return NULL;
                }
                text[strcspn(text, "\r\n")] = '\0';
                return strdup(text);
        }

        {
                _cleanup_close_ int tty = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
                struct termios saved, quiet;
                ssize_t r;

                if (tty < 0) {
                        log_error("--ask-sudo-password needs a terminal; use --sudo-password-file FILE "
                                  "instead.");
                        return NULL;
                }
                (void)!write(tty, "sudo password: ", 15);
                if (tcgetattr(tty, &saved) < 0)
                        return NULL;
                quiet = saved;
                quiet.c_lflag &= ~(tcflag_t)ECHO;
                (void)tcsetattr(tty, TCSAFLUSH, &quiet);
                while (n < sizeof(buf) - 1 && (r = read(tty, buf + n, 1)) == 1 && buf[n] != '\n')
                        n++;
                (void)tcsetattr(tty, TCSAFLUSH, &saved);
                (void)!write(tty, "\n", 1);
                buf[n] = '\0';
        }
        return strdup(buf);
}

static char *new_run_id(void) {
        unsigned char random_bytes[3] = {};
        char stamp[32], *id = NULL;
        time_t now = time(NULL);
        struct tm tm;

        (void)getrandom(random_bytes, sizeof(random_bytes), 0);
        gmtime_r(&now, &tm);
        strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
        if (asprintf(&id, "%s-%02x%02x%02x", stamp, random_bytes[0], random_bytes[1], random_bytes[2]) < 0)
                return NULL;
        return id;
}

/* ---- the run ------------------------------------------------------------ */

int cmd_run(const struct verb *verb, struct options *options, int argc, char **argv) {
        struct tether_inventory *inventory = options->inventory;
        struct tether_error error = TETHER_ERROR_INIT;
        struct agent_binary agent = {};
        struct tether_select *select = NULL;
        _cleanup_free_ char *run_id = NULL, *sudo_password = NULL;
        _cleanup_strv_free_ char **agent_args = NULL;
        struct host_result *storage = NULL, **results = NULL;
        struct run_state state = {
                .options = options,
                .verb = verb,
                .progress = !options->quiet && isatty(STDERR_FILENO) && !dumb_terminal(),
                .started_usec = tether_now_usec(),
        };
        struct sigaction action = {.sa_handler = on_interrupt};
        json_t *report = NULL, *options_json = NULL;
        size_t n = 0, batch = 0, max_fail = 0, failures = 0, next = 0;
        time_t started = time(NULL);
        uint64_t started_usec = tether_now_usec();
        bool unreachable = false, failed = false;
        int r, status = EXIT_SUCCESS;

        if (options->limit) {
                r = tether_select_parse(options->limit, &select, &error);
                if (r < 0)
                        return log_error_errno(r, "--limit: %s", error.text);
        }
        r = verb_agent_args(verb, options, &agent_args, &error);
        if (r < 0)
                return log_error_errno(r, "%s", error.text);

        storage = calloc(inventory->n_hosts ? inventory->n_hosts : 1, sizeof(*storage));
        results = calloc(inventory->n_hosts ? inventory->n_hosts : 1, sizeof(*results));
        if (!storage || !results) {
                r = log_error_errno(-ENOMEM, "Out of memory.");
                goto out;
        }
        for (size_t i = 0; i < inventory->n_hosts; i++) {
                if (select && !tether_select_match(select, &inventory->hosts[i]))
                        continue;
                if (options->shard &&
                    tether_shard_of(inventory->hosts[i].name, options->shard_count) != options->shard_index)
                        continue;
                storage[n].host = &inventory->hosts[i];
                results[n] = &storage[n];
                if (strlen(inventory->hosts[i].name) > state.name_width)
                        state.name_width = (unsigned)strlen(inventory->hosts[i].name);
                n++;
        }
        if (n == 0) {
                r = log_error_errno(-EINVAL, "The selection (--limit %s, --shard %s) holds no host of %s.",
                                    options->limit ? options->limit : "-",
                                    options->shard ? options->shard : "-", inventory->origin);
                goto out;
        }
        state.total = n;

        if (verb->rollout == ROLLOUT_CANARY_THEN_BATCHES) {
                batch = host_count_of(options->batch_count, n);
                max_fail = host_count_of(options->max_fail_count, n);
                if (batch == 0)
                        batch = options->parallel;
        }

        r = agent_binary_load(options->agent_path, &agent, &error);
        if (r < 0) {
                log_error("%s", error.text);
                r = -EIO;
                goto out;
        }
        if (options->sudo_password_file || options->ask_sudo_password) {
                sudo_password = read_sudo_password(options);
                if (!sudo_password) {
                        r = -EINVAL;
                        goto out;
                }
        }
        run_id = new_run_id();
        if (!run_id) {
                r = log_error_errno(-ENOMEM, "Out of memory.");
                goto out;
        }

        sigemptyset(&action.sa_mask);
        sigaction(SIGINT, &action, NULL);
        sigaction(SIGTERM, &action, NULL);

        {
                const struct run_config config = {
                        .verb = verb->name,
                        .agent_args = agent_args,
                        .inventory_firewall =
                                (verb->agent_options & OPTION_BIT(OPTION_FIREWALL)) && !options->firewall,
                        .parallel = options->parallel,
                        .connect_timeout_sec = options->connect_timeout_sec,
                        .host_timeout_sec = options->host_timeout_sec,
                        .user = options->user,
                        .identity_file = options->identity_file,
                        .known_hosts = options->known_hosts,
                        .ssh_config = options->ssh_config,
                        .accept_new_host_keys = options->accept_new_host_keys,
                        .sudo_password = sudo_password,
                        .run_id = run_id,
                        .agent = &agent,
                        .stop = &stop_requested,
                };
                struct pool_run pool = {
                        .config = &config,
                        .parallel = options->parallel,
                        .stop = &stop_requested,
                        .abort = &abort_requested,
                        .finished = print_host_line,
                        .userdata = &state,
                };

                if (!options->quiet)
                        fprintf(stderr, "tether %s: %zu hosts, %u at a time, run %s\n", verb->name, n,
                                options->parallel, run_id);

                /* test: one canary host, then batches; everything else at once. */
                while (next < n && !stop_requested && !abort_requested) {
                        size_t size =
                                verb->rollout != ROLLOUT_CANARY_THEN_BATCHES ? n : (next == 0 ? 1 : batch);

                        if (size > n - next)
                                size = n - next;
                        pool.results = results + next;
                        pool.n = size;
                        (void)pool_run(&pool);
                        if (abort_requested)
                                break;
                        next += size;
                        if (verb->rollout == ROLLOUT_CANARY_THEN_BATCHES) {
                                failures = 0;
                                for (size_t i = 0; i < next; i++)
                                        failures += report_host_failed(results[i]);
                                if (failures > max_fail) {
                                        for (size_t i = next; i < n; i++)
                                                results[i]->skip_reason =
                                                        "not started: more hosts failed than "
                                                        "--max-fail allows";
                                        if (!options->quiet)
                                                fprintf(stderr,
                                                        "tether test: stopping after %zu failed hosts "
                                                        "(--max-fail %zu); %zu hosts not touched\n",
                                                        failures, max_fail, n - next);
                                        break;
                                }
                        }
                }
                for (size_t i = 0; i < n; i++)
                        if (!pool_result_started(results[i]) && !results[i]->skip_reason)
                                results[i]->skip_reason = "not started: interrupted";
        }

        options_json = options_report_json(options, verb->options);
        report = report_build(
                &(struct report_info){
                        .run_id = run_id,
                        .verb = verb->name,
                        .inventory = inventory->origin,
                        .options = options_json,
                        .started = started,
                        .duration_ms = (tether_now_usec() - started_usec) / 1000,
                        .interrupted = stop_requested || abort_requested,
                },
                results, n);
        if (!report) {
                r = log_error_errno(-ENOMEM, "Cannot build the report.");
                goto out;
        }
        if (options->report_path) {
                r = report_write(options->report_path, report, &error);
                if (r < 0) {
                        log_error("Cannot write the report: %s", error.text);
                        status = EXIT_FAILURE;
                }
        }
        clear_progress(&state);
        if (write_renderings(options, report) < 0)
                status = EXIT_FAILURE;
        if (!abort_requested) {
                _cleanup_free_ char *table = render_text(
                        report, isatty(STDOUT_FILENO) && !getenv("NO_COLOR") && !dumb_terminal());

                if (table)
                        printf("\n%s", table);
                if (options->report_path && !options->quiet)
                        printf("report: %s\n", options->report_path);
        }

        for (size_t i = 0; i < n; i++) {
                const struct host_result *result = results[i];

                if (!pool_result_done(result))
                        continue;
                if (result->verdict == HOST_VERDICT_UNREACHABLE)
                        unreachable = true;
                if (report_host_failed(result) || (options->fail_on_mask & (1u << result->verdict)))
                        failed = true;
        }
        if (stop_requested || abort_requested)
                status = EXIT_INTERRUPTED;
        else if (status == EXIT_SUCCESS)
                status = (failed ? EXIT_FAILED_HOSTS : 0) | (unreachable ? EXIT_UNREACHABLE_HOSTS : 0);
        r = status;

out:
        json_decref(report);
        json_decref(options_json);
        /* Results of hosts still running after an abort belong to their workers. */
        if (!abort_requested) {
                for (size_t i = 0; i < n; i++)
                        host_result_clear(results[i]);
                free(storage);
                free(results);
                agent_binary_clear(&agent);
        }
        tether_select_free(select);
        if (sudo_password)
                explicit_bzero(sudo_password, strlen(sudo_password));
        return r;
}
