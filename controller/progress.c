/* SPDX-License-Identifier: MIT */
/*
 * A run's lines as its hosts finish. Each host's line has its name, its
 * outcome (the verdict, then the stage it failed in, its test's result, or
 * whether it changed), the first reason or the error, and its time:
 *
 *   web-01 protected, changed           docker.service is tied to nftables.service, ... (1.5s)
 *   db-02  unreachable (connect)        cannot connect to 198.51.100.7 port 22: ... (0.0s)
 *   web-03 protected, changed (read back) docker.service is tied to ... (6.2s)
 *
 * On a terminal, a line on stderr counts the hosts done by verdict, with
 * the time gone and an estimate of the time left:
 *
 *   [12/50] protected 10 unreachable 2  14s elapsed, about 44s to go
 *
 * The pool calls progress_host_finished() under its lock, so the counts
 * need no lock of their own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "progress.h"
#include "render.h"
#include "time-util.h"

bool terminal_is_smart(int fd) {
        const char *term = getenv("TERM");

        return isatty(fd) && term && strcmp(term, "dumb") != 0;
}

void progress_init(struct progress *progress, const struct verb *verb, const struct options *options,
                   struct host_result *const *results, size_t n, FILE *lines) {
        *progress = (struct progress){
                .options = options,
                .verb = verb,
                .total = n,
                .lines = lines,
                .redraw = !options->quiet && terminal_is_smart(STDERR_FILENO),
                .started_usec = tether_now_usec(),
        };
        for (size_t i = 0; i < n; i++)
                if (strlen(results[i]->host->name) > progress->name_width)
                        progress->name_width = (unsigned)strlen(results[i]->host->name);
}

/* Whether what the agents call changed is only what would change. */
static bool dry_run(const struct progress *progress) {
        return !(progress->verb->flags & VERB_CHANGES_HOSTS) || progress->options->check;
}

/* Only the agent's test verb reports a test_result. A result read back
 * after the connection broke says so. */
static void outcome_label(const struct progress *progress, const struct host_result *result, char *buf,
                          size_t size) {
        const char *verdict = host_verdict_to_string(result->verdict ? result->verdict : HOST_VERDICT_ERROR);
        const char *test_result = json_string_value(json_object_get(result->agent, "test_result"));
        const char *read_back = result->cut_off.agent == AGENT_FATE_FINISHED ? " (read back)" : "";

        if (result->skip_reason)
                snprintf(buf, size, "%s", host_verdict_to_string(HOST_VERDICT_SKIPPED));
        else if (host_failed(&result->failure))
                snprintf(buf, size, "%s (%s)", verdict, host_stage_to_string(result->failure.stage));
        else if (test_result)
                snprintf(buf, size, "%s, test %s%s", verdict, test_result, read_back);
        else if (result->changed)
                snprintf(buf, size, "%s, %s%s", verdict, dry_run(progress) ? "would change" : "changed",
                         read_back);
        else
                snprintf(buf, size, "%s%s", verdict, read_back);
}

/* What a host's line says after its outcome: borrowed from the result, or
 * formatted into buf; "" for nothing. */
static const char *detail_of(const struct host_result *result, char *buf, size_t size) {
        const json_t *reasons = json_object_get(result->agent, "reasons");
        const json_t *first_test = json_array_get(json_object_get(result->agent, "tests"), 0);
        const char *text;

        if (result->skip_reason)
                return result->skip_reason;
        if (host_failed(&result->failure))
                return result->failure.message;
        if (first_test) {
                const char *reason = json_string_value(json_object_get(first_test, "reason"));
                json_int_t heal_ms = json_integer_value(json_object_get(first_test, "heal_ms"));

                if (reason)
                        return reason;
                /* "(null)" for a missing string, as printf() has always written it here. */
                text = json_string_value(json_object_get(first_test, "unit"));
                snprintf(buf, size, "%s restarted, rules back in %lld ms", text ? text : "(null)",
                         (long long)heal_ms);
                return buf;
        }
        if (json_array_size(reasons) == 0)
                return "";
        text = json_string_value(json_array_get(reasons, 0));
        return text ? text : "(null)";
}

static void count_verdict(struct progress *progress, enum host_verdict verdict) {
        if (progress->counts[verdict]++ == 0)
                progress->seen[progress->n_seen++] = verdict;
}

static void draw(const struct progress *progress) {
        double elapsed = (double)(tether_now_usec() - progress->started_usec) / 1e6;
        double eta = progress->finished > 0 ? elapsed / (double)progress->finished *
                                                      (double)(progress->total - progress->finished)
                                            : 0;
        char line[512];
        int n;

        n = snprintf(line, sizeof(line), "\r\033[K[%zu/%zu]", progress->finished, progress->total);
        for (size_t i = 0; i < progress->n_seen && n > 0 && (size_t)n < sizeof(line); i++)
                n += snprintf(line + n, sizeof(line) - (size_t)n, " %s %zu",
                              host_verdict_to_string(progress->seen[i]),
                              progress->counts[progress->seen[i]]);
        if (n > 0 && (size_t)n < sizeof(line))
                n += snprintf(line + n, sizeof(line) - (size_t)n, "  %.0fs elapsed, about %.0fs to go",
                              elapsed, eta);
        if (n > 0)
                (void)!write(STDERR_FILENO, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

void progress_clear(const struct progress *progress) {
        if (progress->redraw)
                (void)!write(STDERR_FILENO, "\r\033[K", 4);
}

void progress_print(struct progress *progress, const char *text) {
        if (progress->lines_gone)
                return;
        if (fputs(text, progress->lines) == EOF || fflush(progress->lines) == EOF) {
                progress->lines_gone = true;
                clearerr(progress->lines);
        }
}

void progress_host_finished(struct host_result *result, void *userdata) {
        struct progress *progress = userdata;
        char label[128], formatted[1200];
        _cleanup_free_ char *line = NULL;

        progress->finished++;
        count_verdict(progress, result->verdict ? result->verdict : HOST_VERDICT_ERROR);
        if (progress->options->quiet)
                return;
        progress_clear(progress);
        outcome_label(progress, result, label, sizeof(label));
        /* Whatever the host said is escaped there: it may hold ESC or bidi controls. */
        line = render_host_line(result->host->name, progress->name_width, label,
                                detail_of(result, formatted, sizeof(formatted)),
                                (double)result->total_ms / 1000.0);
        if (line)
                progress_print(progress, line);
        if (progress->redraw)
                draw(progress);
}
