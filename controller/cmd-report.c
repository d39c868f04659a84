/* SPDX-License-Identifier: MIT */
/*
 * tether report render [--format F] [-o FILE] REPORT.json
 * tether report merge A.json B.json... -o ALL.json
 *
 * render turns a saved report into any of tether's renderings; merge joins
 * the reports of the shards of one run (tether --shard K/N in a CI matrix)
 * into one: same schema and verb, no host twice.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd-report.h"
#include "fileio.h"
#include "log.h"
#include "render.h"
#include "report.h"

#define REPORT_SIZE_LIMIT (512u * 1024 * 1024)

static int load_report(const char *path, json_t **ret) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_free_ char *text = NULL;
        json_error_t json_error;
        size_t size;
        json_t *report;
        int r;

        r = tether_read_file(path, REPORT_SIZE_LIMIT, &text, &size, &error);
        if (r < 0)
                return log_error_errno(r, "%s", error.text);
        report = json_loadb(text, size, JSON_REJECT_DUPLICATES, &json_error);
        if (!report)
                return log_error_errno(-EBADMSG, "%s:%d:%d: not JSON: %s", path, json_error.line,
                                       json_error.column, json_error.text);
        if (!json_is_string(json_object_get(report, "schema")) ||
            strcmp(json_string_value(json_object_get(report, "schema")), "tether.report/1") != 0 ||
            !json_is_array(json_object_get(report, "hosts"))) {
                json_decref(report);
                return log_error_errno(
                        -EINVAL, "%s is not a tether.report/1 report (written by tether --report).", path);
        }
        *ret = report;
        return 0;
}

int report_render_to(const json_t *report, const char *format, bool color, char **ret) {
        char *text = NULL;

        if (strcmp(format, "text") == 0)
                text = render_text(report, color);
        else if (strcmp(format, "json") == 0) {
                char *dumped = json_dumps(report, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

                if (dumped && asprintf(&text, "%s\n", dumped) < 0)
                        text = NULL;
                free(dumped);
        } else if (strcmp(format, "junit") == 0)
                text = render_junit(report);
        else if (strcmp(format, "markdown") == 0)
                text = render_markdown(report);
        else if (strcmp(format, "html") == 0)
                text = render_html(report);
        else
                return log_error_errno(
                        -EINVAL, "Unknown format '%s'; use text, json, junit, markdown or html.", format);
        if (!text)
                return log_error_errno(-ENOMEM, "Cannot render the report as %s.", format);
        *ret = text;
        return 0;
}

static int emit(const char *text, const char *output) {
        struct tether_error error = TETHER_ERROR_INIT;
        int r;

        if (!output || strcmp(output, "-") == 0) {
                if (fputs(text, stdout) < 0 || fflush(stdout) != 0)
                        return log_error_errno(-EIO, "Cannot write to stdout.");
                return 0;
        }
        r = tether_write_file_atomic(output, text, 0644, &error);
        return r < 0 ? log_error_errno(r, "%s", error.text) : 0;
}

static int render(const struct options *options, const char *path) {
        _cleanup_free_ char *text = NULL;
        json_t *report = NULL;
        bool color;
        int r;

        r = load_report(path, &report);
        if (r < 0)
                return r;
        color = !options->output_path && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
        r = report_render_to(report, options->render_format ? options->render_format : "text", color, &text);
        json_decref(report);
        return r < 0 ? r : emit(text, options->output_path);
}

static int merge(const struct options *options, int n, char **paths) {
        json_t *merged = NULL, *hosts = json_array(), *run_ids = json_array(), *seen = json_object();
        const char *verb = NULL;
        _cleanup_free_ char *text = NULL;
        bool interrupted = false;
        json_int_t duration = 0;
        int r = 0;

        if (!options->output_path) {
                r = log_error_errno(-EINVAL, "tether report merge needs -o FILE for the merged report.");
                goto out;
        }
        for (int i = 0; i < n; i++) {
                json_t *report = NULL, *host;
                const char *this_verb, *this_started, *this_finished;
                size_t k;

                r = load_report(paths[i], &report);
                if (r < 0)
                        goto out;
                this_verb = json_string_value(json_object_get(report, "verb"));
                if (!this_verb || (verb && strcmp(verb, this_verb) != 0)) {
                        log_error("%s is a report of '%s', %s one of '%s': only reports of the same verb "
                                  "merge.",
                                  paths[i], this_verb ? this_verb : "?", paths[0], verb);
                        json_decref(report);
                        r = -EINVAL;
                        goto out;
                }
                if (!merged) {
                        merged = json_deep_copy(report);
                        verb = json_string_value(json_object_get(merged, "verb"));
                }
                json_array_foreach(json_object_get(report, "hosts"), k, host) {
                        const char *name = json_string_value(json_object_get(host, "name"));
                        const json_t *where = name ? json_object_get(seen, name) : NULL;

                        if (!name) {
                                log_error("%s: hosts[%zu] has no name.", paths[i], k);
                                r = -EINVAL;
                        } else if (where) {
                                log_error(
                                        "Host %s is in %s and in %s: shards of one run never share a host; "
                                        "merge reports of one run's shards only.",
                                        name, json_string_value(where), paths[i]);
                                r = -EINVAL;
                        }
                        if (r < 0) {
                                json_decref(report);
                                goto out;
                        }
                        json_object_set_new(seen, name, json_string(paths[i]));
                        json_array_append(hosts, host);
                }
                json_array_append(run_ids, json_object_get(report, "run_id"));
                /* The merged run spans from the earliest start to the latest end. */
                this_started = json_string_value(json_object_get(report, "started_at"));
                this_finished = json_string_value(json_object_get(report, "finished_at"));
                if (this_started && json_is_string(json_object_get(merged, "started_at")) &&
                    strcmp(this_started, json_string_value(json_object_get(merged, "started_at"))) < 0)
                        json_object_set(merged, "started_at", json_object_get(report, "started_at"));
                if (this_finished && json_is_string(json_object_get(merged, "finished_at")) &&
                    strcmp(this_finished, json_string_value(json_object_get(merged, "finished_at"))) > 0)
                        json_object_set(merged, "finished_at", json_object_get(report, "finished_at"));
                duration = json_integer_value(json_object_get(report, "duration_ms")) > duration
                                   ? json_integer_value(json_object_get(report, "duration_ms"))
                                   : duration;
                interrupted = interrupted || json_is_true(json_object_get(report, "interrupted"));
                json_decref(report);
        }

        json_object_set(merged, "hosts", hosts);
        json_object_set_new(merged, "summary", report_summary(hosts));
        json_object_set(merged, "merged_from", run_ids);
        json_object_set_new(merged, "interrupted", json_boolean(interrupted));
        json_object_set_new(merged, "duration_ms", json_integer(duration));
        json_object_del(json_object_get(merged, "options"), "shard");
        r = report_render_to(merged, "json", false, &text);
        if (r >= 0)
                r = emit(text, options->output_path);
        if (r >= 0)
                log_info("Merged %d reports, %zu hosts, into %s.", n, json_array_size(hosts),
                         options->output_path);
out:
        json_decref(merged);
        json_decref(hosts);
        json_decref(run_ids);
        json_decref(seen);
        return r < 0 ? r : 0;
}

int cmd_report(const struct verb *verb, struct options *options, int argc, char **argv) {
        if (strcmp(argv[1], "render") == 0) {
                if (argc != 3)
                        return log_error_errno(-EINVAL,
                                               "Usage: tether report render [--format F] REPORT.json");
                return render(options, argv[2]);
        }
        if (strcmp(argv[1], "merge") == 0) {
                if (argc < 3)
                        return log_error_errno(-EINVAL,
                                               "Usage: tether report merge A.json B.json... -o ALL.json");
                return merge(options, argc - 2, argv + 2);
        }
        return log_error_errno(-EINVAL, "Unknown 'tether report %s'; use render or merge.", argv[1]);
}
