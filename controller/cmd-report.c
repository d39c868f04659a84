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
#include "report-dump.h"
#include "report-stream.h"
#include "report.h"

#define REPORT_SIZE_LIMIT (512u * 1024 * 1024)

static bool is_report(const json_t *report) {
        const char *schema = json_string_value(json_object_get(report, "schema"));

        return schema && strcmp(schema, "tether.report/1") == 0;
}

static int check_report(const json_t *report, const char *path, struct tether_error *error) {
        if (!is_report(report) || !json_is_array(json_object_get(report, "hosts")))
                return tether_error_set(error, -EINVAL,
                                        "%s is not a tether.report/1 report (written by tether --report).",
                                        path);
        return 0;
}

/* Reads and checks a report; *ret a new reference. */
static int load_report(const char *path, json_t **ret, struct tether_error *error) {
        _cleanup_free_ char *text = NULL;
        json_error_t json_error;
        size_t size;
        json_t *report;
        int r;

        r = tether_read_file(path, REPORT_SIZE_LIMIT, &text, &size, error);
        if (r < 0)
                return r;
        report = json_loadb(text, size, JSON_REJECT_DUPLICATES, &json_error);
        if (!report)
                return tether_error_set(error, -EBADMSG, "%s:%d:%d: not JSON: %s", path, json_error.line,
                                        json_error.column, json_error.text);
        r = check_report(report, path, error);
        if (r < 0) {
                json_decref(report);
                return r;
        }
        *ret = report;
        return 0;
}

int report_render_to(const json_t *report, const char *format, bool color, char **ret,
                     struct tether_error *error) {
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
                return tether_error_set(error, -EINVAL,
                                        "Unknown format '%s'; use text, json, junit, markdown or html.",
                                        format);
        if (!text)
                return tether_error_set(error, -ENOMEM, "Cannot render the report as %s.", format);
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
        r = report_output_write(output, text, &error);
        return r < 0 ? log_error_errno(r, "%s", error.text) : 0;
}

/* The renderings made of a report's views, color or not. JUnit and HTML
 * read each host's object again as they write its part (host_view_object()). */
static char *views_as_text(const json_t *report, const struct host_view *views, size_t n, bool color) {
        return render_text_views(report, views, n, color);
}

static char *views_as_markdown(const json_t *report, const struct host_view *views, size_t n, bool color) {
        return render_markdown_views(report, views, n);
}

static char *views_as_junit(const json_t *report, const struct host_view *views, size_t n, bool color) {
        return render_junit_views(report, views, n);
}

static char *views_as_html(const json_t *report, const struct host_view *views, size_t n, bool color) {
        return render_html_views(report, views, n);
}

typedef char *render_views_fn(const json_t *report, const struct host_view *views, size_t n, bool color);

static const struct {
        const char *format;
        render_views_fn *render;
} view_renderings[] = {
        {"text", views_as_text},
        {"markdown", views_as_markdown},
        {"junit", views_as_junit},
        {"html", views_as_html},
};

static render_views_fn *view_rendering(const char *format) {
        for (size_t i = 0; i < ELEMENTSOF(view_renderings); i++)
                if (strcmp(format, view_renderings[i].format) == 0)
                        return view_renderings[i].render;
        return NULL;
}

int report_render_views_to(const json_t *report, const struct host_view *views, size_t n, const char *format,
                           bool color, char **ret) {
        render_views_fn *render = view_rendering(format);
        char *text;

        if (!render)
                return -EINVAL;
        text = render(report, views, n, color);
        if (!text)
                return -ENOMEM;
        *ret = text;
        return 0;
}

static int dump_host_read(const json_t *host, const char *source, size_t length, size_t index,
                          void *userdata) {
        return report_dump_host(userdata, host);
}

/* json, and the formats rendered from views, are read a host at a time. */
static bool format_streams(const char *format) {
        return strcmp(format, "json") == 0 || view_rendering(format);
}

int report_render_stream(const char *text, size_t size, const char *format, bool color, char **ret) {
        struct report_dump dump = REPORT_DUMP_INIT;
        struct host_view *views = NULL;
        bool as_json = strcmp(format, "json") == 0;
        json_t *rest = NULL;
        size_t n = 0;
        int r;

        if (!format_streams(format))
                return 0;
        r = as_json ? report_stream_read(text, size, dump_host_read, &dump, &rest)
                    : report_views_read(text, size, &rest, &views, &n);
        if (r < 0)
                r = r == -EBADMSG ? 0 : r;
        else if (!is_report(rest))
                r = 0; /* load_report() says what it is not */
        else if (as_json)
                r = (*ret = report_dump_finish(&dump, rest)) ? 1 : -ENOMEM;
        else
                r = report_render_views_to(rest, views, n, format, color, ret) < 0 ? -ENOMEM : 1;
        report_dump_free(&dump);
        host_views_free(views, n);
        json_decref(rest);
        return r;
}

/* A rendering of a report read a host at a time: its hosts' objects are
 * never all in memory (render.h, report_views_read(); report-dump.h for
 * JSON). 1 and *ret when rendered, 0 for a report to read whole (a format
 * that is none, which report_render_to() names, or a text the stream
 * reader leaves to jansson, whose error then says what is wrong). */
static int render_from_stream(const char *path, const char *format, bool color, char **ret,
                              struct tether_error *error) {
        _cleanup_free_ char *text = NULL;
        size_t size;
        int r;

        if (!format_streams(format))
                return 0;
        r = tether_read_file(path, REPORT_SIZE_LIMIT, &text, &size, error);
        if (r < 0)
                return r;
        r = report_render_stream(text, size, format, color, ret);
        if (r < 0)
                return tether_error_set(error, r, "Cannot render the report as %s.", format);
        return r;
}

static int render(const struct options *options, int n, char **paths) {
        const char *path = paths[0], *format = options->render_format ? options->render_format : "text";
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_free_ char *text = NULL;
        json_t *report = NULL;
        bool color;
        int r;

        color = !options->output_path && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
        r = render_from_stream(path, format, color, &text, &error);
        if (r < 0)
                return log_error_errno(r, "%s", error.text);
        if (r > 0)
                return emit(text, options->output_path);
        r = load_report(path, &report, &error);
        if (r < 0)
                return log_error_errno(r, "%s", error.text);
        r = report_render_to(report, format, color, &text, &error);
        json_decref(report);
        if (r < 0)
                return log_error_errno(r, "%s", error.text);
        return emit(text, options->output_path);
}

/* The reports of one run's shards, joined as they are read, a host at a
 * time: each host is written into the merged report and counted in its
 * summary as it is read, and freed. */
struct merge {
        json_t *merged;            /* the first report less its hosts, which the others join */
        const char *first;         /* its path */
        struct report_dump hosts;  /* every report's hosts, written in the order read */
        struct report_tally tally; /* and counted */
        json_t *run_ids;           /* every report's run_id: the merged report's merged_from */
        json_t *seen;              /* host name -> the path of the report it came in */
        json_int_t duration_ms;
        bool interrupted;
        /* The report being read, and the first of its hosts that cannot
         * join, said once the report is known to be one of the same verb. */
        const char *path;
        struct tether_error host_error;
        int host_r;
};

static void merge_clear(struct merge *merge) {
        json_decref(merge->merged);
        report_dump_free(&merge->hosts);
        report_tally_clear(&merge->tally);
        json_decref(merge->run_ids);
        json_decref(merge->seen);
}

/* The host at index k of the report being read, unless it has no name or
 * came in a report merged before; -ENOMEM. */
static int merge_host(const json_t *host, const char *source, size_t length, size_t k, void *userdata) {
        struct merge *merge = userdata;
        const char *name = json_string_value(json_object_get(host, "name"));
        const json_t *where = name ? json_object_get(merge->seen, name) : NULL;

        if (merge->host_r < 0)
                return 0;
        if (!name) {
                merge->host_r = tether_error_set(&merge->host_error, -EINVAL, "%s: hosts[%zu] has no name.",
                                                 merge->path, k);
                return 0;
        }
        if (where) {
                merge->host_r =
                        tether_error_set(&merge->host_error, -EINVAL,
                                         "Host %s is in %s and in %s: shards of one run never share a "
                                         "host; merge reports of one run's shards only.",
                                         name, json_string_value(where), merge->path);
                return 0;
        }
        if (json_object_set_new(merge->seen, name, json_string(merge->path)) < 0 ||
            report_dump_host(&merge->hosts, host) < 0 || report_tally_add(&merge->tally, host) < 0)
                return -ENOMEM;
        return 0;
}

/* The report at path less its hosts, which merge_host() has had: *ret a
 * new reference. */
static int merge_read(struct merge *merge, const char *path, json_t **ret, struct tether_error *error) {
        _cleanup_free_ char *text = NULL;
        json_t *rest = NULL;
        size_t size;
        int r;

        r = tether_read_file(path, REPORT_SIZE_LIMIT, &text, &size, error);
        if (r < 0)
                return r;
        merge->path = path;
        r = report_stream_read(text, size, merge_host, merge, &rest);
        if (r == -ENOMEM)
                return tether_error_set(error, r, "Cannot read %s: out of memory.", path);
        if (r < 0) {
                /* Text the stream reader leaves to jansson, which refuses
                 * it (report-stream.h) and says why. */
                r = load_report(path, &rest, error);
                json_decref(rest);
                return r < 0 ? r : tether_error_set(error, -EBADMSG, "Cannot read %s.", path);
        }
        r = check_report(rest, path, error);
        if (r < 0) {
                json_decref(rest);
                return r;
        }
        *ret = rest;
        return 0;
}

/* The merged run spans from the earliest start to the latest end. */
static void merge_times(struct merge *merge, const json_t *report) {
        const char *started = json_string_value(json_object_get(report, "started_at"));
        const char *finished = json_string_value(json_object_get(report, "finished_at"));
        const char *merged_started = json_string_value(json_object_get(merge->merged, "started_at"));
        const char *merged_finished = json_string_value(json_object_get(merge->merged, "finished_at"));
        json_int_t duration_ms = json_integer_value(json_object_get(report, "duration_ms"));

        if (started && merged_started && strcmp(started, merged_started) < 0)
                json_object_set(merge->merged, "started_at", json_object_get(report, "started_at"));
        if (finished && merged_finished && strcmp(finished, merged_finished) > 0)
                json_object_set(merge->merged, "finished_at", json_object_get(report, "finished_at"));
        if (duration_ms > merge->duration_ms)
                merge->duration_ms = duration_ms;
        merge->interrupted = merge->interrupted || json_is_true(json_object_get(report, "interrupted"));
}

/* report, read from path, joins the merge. */
static int merge_one(struct merge *merge, json_t *report, const char *path, struct tether_error *error) {
        const char *verb = json_string_value(json_object_get(report, "verb"));
        const char *merged_verb = json_string_value(json_object_get(merge->merged, "verb"));

        if (!verb || (merge->merged && strcmp(merged_verb, verb) != 0))
                return tether_error_set(
                        error, -EINVAL,
                        "%s is a report of '%s', %s one of '%s': only reports of the same verb "
                        "merge.",
                        path, verb ? verb : "?", merge->first ? merge->first : path,
                        merged_verb ? merged_verb : "(null)");
        if (merge->host_r < 0)
                return tether_error_set(error, merge->host_r, "%s", merge->host_error.text);
        if (!merge->merged) {
                merge->merged = json_incref(report);
                merge->first = path;
        }
        json_array_append(merge->run_ids, json_object_get(report, "run_id"));
        merge_times(merge, report);
        return 0;
}

/* The merged report: the first one's members, its hosts every report's,
 * their summary, the runs it joins. */
static char *merge_finish(struct merge *merge) {
        json_object_set_new(merge->merged, "summary", report_tally_summary(&merge->tally));
        json_object_set(merge->merged, "merged_from", merge->run_ids);
        json_object_set_new(merge->merged, "interrupted", json_boolean(merge->interrupted));
        json_object_set_new(merge->merged, "duration_ms", json_integer(merge->duration_ms));
        json_object_del(json_object_get(merge->merged, "options"), "shard");
        return report_dump_finish(&merge->hosts, merge->merged);
}

int report_merge_files(char *const *paths, size_t n, char **ret, size_t *ret_n_hosts,
                       struct tether_error *error) {
        _cleanup_(merge_clear) struct merge merge = {
                .hosts = REPORT_DUMP_INIT,
                .run_ids = json_array(),
                .seen = json_object(),
        };
        size_t n_hosts;
        char *text;
        int r;

        if (!merge.run_ids || !merge.seen)
                return tether_error_set(error, -ENOMEM, "Out of memory.");
        for (size_t i = 0; i < n; i++) {
                json_t *report = NULL;

                r = merge_read(&merge, paths[i], &report, error);
                if (r >= 0)
                        r = merge_one(&merge, report, paths[i], error);
                json_decref(report);
                if (r < 0)
                        return r;
        }
        n_hosts = merge.hosts.n_hosts;
        text = merge_finish(&merge);
        if (!text)
                return tether_error_set(error, -ENOMEM, "Cannot write the merged report: out of memory.");
        *ret = text;
        *ret_n_hosts = n_hosts;
        return 0;
}

static int merge(const struct options *options, int n, char **paths) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_free_ char *text = NULL;
        size_t n_hosts;
        int r;

        if (!options->output_path)
                return log_error_errno(-EINVAL, "tether report merge needs -o FILE for the merged report.");
        r = report_merge_files(paths, (size_t)n, &text, &n_hosts, &error);
        if (r < 0)
                return log_error_errno(r, "%s", error.text);
        r = emit(text, options->output_path);
        if (r < 0)
                return r;
        log_info("Merged %d reports, %zu hosts, into %s.", n, n_hosts, options->output_path);
        return 0;
}

/* What tether report does, after its verb: each with the most reports it
 * takes (at least one) and its usage. */
static const struct {
        const char *name;
        int max_reports;
        const char *usage;
        int (*run)(const struct options *options, int n, char **paths);
} actions[] = {
        {"render", 1, "Usage: tether report render [--format F] REPORT.json", render},
        {"merge", 1000, "Usage: tether report merge A.json B.json... -o ALL.json", merge},
};

int cmd_report(const struct verb *verb, struct options *options, int argc, char **argv) {
        const char *names[ELEMENTSOF(actions) + 1] = {};
        char choices[64];
        int n = argc - 2;

        for (size_t i = 0; i < ELEMENTSOF(actions); i++)
                if (strcmp(argv[1], actions[i].name) == 0) {
                        if (n < 1 || n > actions[i].max_reports)
                                return log_error_errno(-EINVAL, "%s", actions[i].usage);
                        return actions[i].run(options, n, argv + 2);
                }
        for (size_t i = 0; i < ELEMENTSOF(actions); i++)
                names[i] = actions[i].name;
        join_choices(names, choices, sizeof(choices));
        return log_error_errno(-EINVAL, "Unknown 'tether report %s'; use %s.", argv[1], choices);
}
