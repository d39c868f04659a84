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
#include "render.h"
#include "fileio.h"
#include "hostlist.h"
#include "log.h"
#include "parse-util.h"
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
        const char *verb;
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

static void outcome_label(const struct run_state *state, const struct host_result *result, char *buf,
                          size_t size) {
        const char *verdict = host_verdict_to_string(result->verdict ? result->verdict : HOST_VERDICT_ERROR);
        const char *test_result = test_result_of(result);

        if (result->skip_reason)
                snprintf(buf, size, "skipped");
        else if (host_failed(&result->failure))
                snprintf(buf, size, "%s (%s)", verdict, host_stage_to_string(result->failure.stage));
        else if (strcmp(state->verb, "test") == 0 && test_result)
                snprintf(buf, size, "%s, test %s", verdict, test_result);
        else if (state->options->check && result->changed)
                snprintf(buf, size, "%s, would change", verdict);
        else if (result->changed)
                snprintf(buf, size, "%s, changed", verdict);
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
        else if (strcmp(state->verb, "test") == 0 && first_test) {
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

static bool shell_safe(const char *s) {
        if (!*s)
                return false;
        for (; *s; s++)
                if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-:@", *s))
                        return false;
        return true;
}

/* "N" hosts or "N%" of total, rounded down. */
static int parse_count(const char *text, size_t total, size_t *ret) {
        size_t length = strlen(text);
        char number[16];
        unsigned value;

        if (length == 0 || length >= sizeof(number))
                return -EINVAL;
        memcpy(number, text, length + 1);
        if (number[length - 1] == '%') {
                number[length - 1] = '\0';
                if (tether_parse_unsigned(number, 0, 100, &value) < 0)
                        return -EINVAL;
                *ret = total * value / 100;
        } else {
                if (tether_parse_unsigned(number, 0, TETHER_INVENTORY_MAX_HOSTS, &value) < 0)
                        return -EINVAL;
                *ret = value;
        }
        return 0;
}

static int log_count_error(const char *option, const char *text) {
        return log_error_errno(-EINVAL,
                               "%s takes a number of hosts from 0 to %u or a percentage from 0%% to 100%%, "
                               "got '%s'.",
                               option, TETHER_INVENTORY_MAX_HOSTS, text);
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

static json_t *options_to_json(const struct options *options, const char *verb) {
        json_t *json =
                json_pack("{s:i, s:s?, s:s?, s:i, s:i, s:s?, s:b, s:b}", "parallel",
                          (json_int_t)options->parallel, "limit", options->limit, "shard", options->shard,
                          "connect_timeout_sec", (json_int_t)options->connect_timeout_sec, "timeout_sec",
                          (json_int_t)options->host_timeout_sec, "user", options->user,
                          "accept_new_host_keys", options->accept_new_host_keys, "sudo_password",
                          options->sudo_password_file || options->ask_sudo_password);

        json_t *own = NULL;

        if (strcmp(verb, "apply") == 0)
                own = json_pack("{s:b, s:b, s:s?, s:s?}", "check", options->check, "heal", options->heal,
                                "policy", options->policy, "firewall", options->firewall);
        else if (strcmp(verb, "test") == 0)
                own = json_pack("{s:s?, s:s?, s:s?, s:s?}", "firewall", options->firewall, "scenario",
                                options->scenario, "batch", options->batch, "max_fail", options->max_fail);
        else if (strcmp(verb, "audit") == 0)
                own = json_pack("{s:s?}", "fail_on", options->fail_on);
        /* The verb's own options, after the common ones. */
        if (own)
                json_object_update(json, own);
        json_decref(own);
        return json;
}

#define FAIL_ON_VERDICTS "protected, vulnerable, broken, not-applicable, unreachable or error"

/* The verdicts of --fail-on, as a mask of 1 << enum host_verdict. */
static int parse_fail_on(const char *list, unsigned *ret) {
        const char *p = list;
        unsigned mask = 0;

        for (size_t item = 1; p && *p; item++) {
                const char *end = strchr(p, ',');
                size_t n = end ? (size_t)(end - p) : strlen(p);
                enum host_verdict verdict = HOST_VERDICT_NONE;
                char word[32];

                if (n == 0)
                        return log_error_errno(
                                -EINVAL,
                                "--fail-on '%s': item %zu is empty; give verdicts separated by "
                                "single commas: " FAIL_ON_VERDICTS ".",
                                list, item);
                if (n < sizeof(word)) {
                        memcpy(word, p, n);
                        word[n] = '\0';
                        (void)host_verdict_from_string(word, &verdict);
                }
                if (verdict == HOST_VERDICT_NONE || verdict == HOST_VERDICT_SKIPPED)
                        return log_error_errno(
                                -EINVAL, "--fail-on: unknown verdict '%.*s'; use " FAIL_ON_VERDICTS ".",
                                (int)n, p);
                mask |= 1u << verdict;
                p = end ? end + 1 : NULL;
        }
        *ret = mask;
        return 0;
}

/* ---- the run ------------------------------------------------------------ */

/* An option of another verb is a mistake to say, not to ignore:
 * 'tether revert --check' must not revert. */
static int check_options_fit(const struct options *options, const char *verb) {
        const struct {
                bool given;
                const char *option, *verbs;
        } table[] = {
                {options->check, "--check", "apply"},
                {options->heal, "--heal", "apply"},
                {options->policy != NULL, "--policy", "apply"},
                {options->firewall != NULL, "--firewall", "apply test"},
                {options->yes, "--yes", "test"},
                {options->scenario != NULL, "--scenario", "test"},
                {options->batch != NULL, "--batch", "test"},
                {options->max_fail != NULL, "--max-fail", "test"},
                {options->fail_on != NULL, "--fail-on", "audit"},
        };

        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                const char *found;
                size_t length = strlen(verb);

                if (!table[i].given)
                        continue;
                found = strstr(table[i].verbs, verb);
                if (!found || (found[length] != '\0' && found[length] != ' '))
                        return log_error_errno(-EINVAL, "%s goes with tether %s, not with tether %s.",
                                               table[i].option, table[i].verbs, verb);
        }
        return 0;
}

static int build_agent_args(const struct options *options, const char *verb, char ***ret) {
        char **args = calloc(16, sizeof(char *));
        size_t n = 0;

        if (!args)
                return -ENOMEM;
#define ADD(s) (args[n++] = (char *)(s))
        if (strcmp(verb, "apply") == 0) {
                if (options->check)
                        ADD("--check");
                if (options->heal)
                        ADD("--heal");
                if (options->policy) {
                        ADD("--policy");
                        ADD(options->policy);
                }
        }
        if ((strcmp(verb, "apply") == 0 || strcmp(verb, "test") == 0) && options->firewall) {
                ADD("--firewall");
                ADD(options->firewall);
        }
        if (strcmp(verb, "test") == 0 && options->scenario) {
                ADD("--scenario");
                ADD(options->scenario);
        }
#undef ADD
        for (size_t i = 0; i < n; i++)
                if (!shell_safe(args[i])) {
                        log_error("'%s' is not a valid value here.", args[i]);
                        free(args);
                        return -EINVAL;
                }
        *ret = args;
        return 0;
}

int cmd_run(struct options *options, int argc, char **argv) {
        const char *verb = argv[0];
        struct tether_inventory *inventory = options->inventory;
        struct tether_error error = TETHER_ERROR_INIT;
        struct agent_binary agent = {};
        struct tether_select *select = NULL;
        _cleanup_free_ char *run_id = NULL, *sudo_password = NULL;
        _cleanup_free_ char **agent_args = NULL;
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
        unsigned shard_index = 0, shard_count = 1;
        time_t started = time(NULL);
        uint64_t started_usec = tether_now_usec();
        bool unreachable = false, failed = false;
        unsigned fail_on = 0;
        int r, status = EXIT_SUCCESS;

        r = check_options_fit(options, verb);
        if (r < 0)
                return r;
        if (strcmp(verb, "test") == 0 && !options->yes)
                return log_error_errno(
                        -EINVAL, "tether test restarts the firewall service of every host it tests, which "
                                 "briefly cuts their containers off: pass --yes to go ahead.");
        if (options->fail_on) {
                r = parse_fail_on(options->fail_on, &fail_on);
                if (r < 0)
                        return r;
        }
        if (options->limit) {
                r = tether_select_parse(options->limit, &select, &error);
                if (r < 0)
                        return log_error_errno(r, "--limit: %s", error.text);
        }
        r = build_agent_args(options, verb, &agent_args);
        if (r < 0)
                return r;

        storage = calloc(inventory->n_hosts ? inventory->n_hosts : 1, sizeof(*storage));
        results = calloc(inventory->n_hosts ? inventory->n_hosts : 1, sizeof(*results));
        if (!storage || !results) {
                r = log_error_errno(-ENOMEM, "Out of memory.");
                goto out;
        }
        if (options->shard) {
                r = tether_shard_parse(options->shard, &shard_index, &shard_count, &error);
                if (r < 0) {
                        r = log_error_errno(r == -ERANGE ? -EINVAL : r, "--shard: %s", error.text);
                        goto out;
                }
        }
        for (size_t i = 0; i < inventory->n_hosts; i++) {
                if (select && !tether_select_match(select, &inventory->hosts[i]))
                        continue;
                if (options->shard && tether_shard_of(inventory->hosts[i].name, shard_count) != shard_index)
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

        if (strcmp(verb, "test") == 0) {
                if (parse_count(options->batch ? options->batch : "0", n, &batch) < 0) {
                        r = log_count_error("--batch", options->batch);
                        goto out;
                }
                if (parse_count(options->max_fail ? options->max_fail : "0", n, &max_fail) < 0) {
                        r = log_count_error("--max-fail", options->max_fail);
                        goto out;
                }
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
                        .verb = verb,
                        .agent_args = agent_args,
                        .firewall_forced = options->firewall != NULL,
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
                        fprintf(stderr, "tether %s: %zu hosts, %u at a time, run %s\n", verb, n,
                                options->parallel, run_id);

                /* test: one canary host, then batches; everything else at once. */
                while (next < n && !stop_requested && !abort_requested) {
                        size_t size = strcmp(verb, "test") != 0 ? n : (next == 0 ? 1 : batch);

                        if (size > n - next)
                                size = n - next;
                        pool.results = results + next;
                        pool.n = size;
                        (void)pool_run(&pool);
                        if (abort_requested)
                                break;
                        next += size;
                        if (strcmp(verb, "test") == 0) {
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

        options_json = options_to_json(options, verb);
        report = report_build(
                &(struct report_info){
                        .run_id = run_id,
                        .verb = verb,
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
                if (report_host_failed(result) || (fail_on & (1u << result->verdict)))
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
