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
        if (!json_is_string(json_object_get(report, "schema")) ||
            strcmp(json_string_value(json_object_get(report, "schema")), "tether.report/1") != 0 ||
            !json_is_array(json_object_get(report, "hosts"))) {
                json_decref(report);
                return tether_error_set(error, -EINVAL,
                                        "%s is not a tether.report/1 report (written by tether --report).",
                                        path);
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

static bool is_report(const json_t *report) {
        const char *schema = json_string_value(json_object_get(report, "schema"));

        return schema && strcmp(schema, "tether.report/1") == 0;
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

/* A rendering of a report read a host at a time: its hosts' objects are
 * never all in memory (render.h, report_views_read()). 1 and *ret when
 * rendered, 0 for a report to read whole (JSON or a format that is none,
 * which report_render_to() names, or a text the stream reader leaves to
 * jansson, whose error then says what is wrong). */
static int render_from_views(const char *path, const char *format, bool color, char **ret,
                             struct tether_error *error) {
        _cleanup_free_ char *text = NULL;
        struct host_view *views = NULL;
        json_t *rest = NULL;
        size_t size, n = 0;
        int r;

        if (!view_rendering(format))
                return 0;
        r = tether_read_file(path, REPORT_SIZE_LIMIT, &text, &size, error);
        if (r < 0)
                return r;
        r = report_views_read(text, size, &rest, &views, &n);
        if (r == -EBADMSG)
                return 0;
        if (r < 0)
                return tether_error_set(error, r, "Cannot read %s: out of memory.", path);
        if (!is_report(rest))
                r = 0; /* load_report() says what it is not */
        else {
                r = report_render_views_to(rest, views, n, format, color, ret);
                r = r < 0 ? tether_error_set(error, r, "Cannot render the report as %s.", format) : 1;
        }
        host_views_free(views, n);
        json_decref(rest);
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
        r = render_from_views(path, format, color, &text, &error);
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

/* The reports of one run's shards, joined as they are read. */
struct merge {
        json_t *merged;    /* a copy of the first report, which the others join */
        const char *first; /* its path */
        json_t *hosts;     /* every report's hosts, in the order read */
        json_t *run_ids;   /* every report's run_id: the merged report's merged_from */
        json_t *seen;      /* host name -> the path of the report it came in */
        json_int_t duration_ms;
        bool interrupted;
};

static void merge_clear(struct merge *merge) {
        json_decref(merge->merged);
        json_decref(merge->hosts);
        json_decref(merge->run_ids);
        json_decref(merge->seen);
}

/* The report's hosts, none of them in a report merged before. */
static int merge_hosts(struct merge *merge, const json_t *report, const char *path,
                       struct tether_error *error) {
        const json_t *host;
        size_t k;

        json_array_foreach(json_object_get(report, "hosts"), k, host) {
                const char *name = json_string_value(json_object_get(host, "name"));
                const json_t *where = name ? json_object_get(merge->seen, name) : NULL;

                if (!name)
                        return tether_error_set(error, -EINVAL, "%s: hosts[%zu] has no name.", path, k);
                if (where)
                        return tether_error_set(
                                error, -EINVAL,
                                "Host %s is in %s and in %s: shards of one run never share a "
                                "host; merge reports of one run's shards only.",
                                name, json_string_value(where), path);
                if (json_object_set_new(merge->seen, name, json_string(path)) < 0 ||
                    json_array_append(merge->hosts, (json_t *)host) < 0)
                        return tether_error_set(error, -ENOMEM, "Out of memory.");
        }
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

static int merge_one(struct merge *merge, const json_t *report, const char *path,
                     struct tether_error *error) {
        const char *verb = json_string_value(json_object_get(report, "verb"));
        const char *merged_verb = json_string_value(json_object_get(merge->merged, "verb"));
        int r;

        if (!verb || (merge->merged && strcmp(merged_verb, verb) != 0))
                return tether_error_set(
                        error, -EINVAL,
                        "%s is a report of '%s', %s one of '%s': only reports of the same verb "
                        "merge.",
                        path, verb ? verb : "?", merge->first ? merge->first : path,
                        merged_verb ? merged_verb : "(null)");
        if (!merge->merged) {
                merge->merged = json_deep_copy(report);
                merge->first = path;
                if (!merge->merged)
                        return tether_error_set(error, -ENOMEM, "Out of memory.");
        }
        r = merge_hosts(merge, report, path, error);
        if (r < 0)
                return r;
        json_array_append(merge->run_ids, json_object_get(report, "run_id"));
        merge_times(merge, report);
        return 0;
}

/* The merged report, whole: its hosts, their summary, the runs it joins. */
static void merge_finish(struct merge *merge) {
        json_object_set(merge->merged, "hosts", merge->hosts);
        json_object_set_new(merge->merged, "summary", report_summary(merge->hosts));
        json_object_set(merge->merged, "merged_from", merge->run_ids);
        json_object_set_new(merge->merged, "interrupted", json_boolean(merge->interrupted));
        json_object_set_new(merge->merged, "duration_ms", json_integer(merge->duration_ms));
        json_object_del(json_object_get(merge->merged, "options"), "shard");
}

static int merge(const struct options *options, int n, char **paths) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_(merge_clear) struct merge merge = {
                .hosts = json_array(),
                .run_ids = json_array(),
                .seen = json_object(),
        };
        _cleanup_free_ char *text = NULL;
        int r;

        if (!options->output_path)
                return log_error_errno(-EINVAL, "tether report merge needs -o FILE for the merged report.");
        if (!merge.hosts || !merge.run_ids || !merge.seen)
                return log_error_errno(-ENOMEM, "Out of memory.");
        for (int i = 0; i < n; i++) {
                json_t *report = NULL;

                r = load_report(paths[i], &report, &error);
                if (r >= 0)
                        r = merge_one(&merge, report, paths[i], &error);
                json_decref(report);
                if (r < 0)
                        return log_error_errno(r, "%s", error.text);
        }
        merge_finish(&merge);
        r = report_render_to(merge.merged, "json", false, &text, &error);
        if (r < 0)
                return log_error_errno(r, "%s", error.text);
        r = emit(text, options->output_path);
        if (r < 0)
                return r;
        log_info("Merged %d reports, %zu hosts, into %s.", n, json_array_size(merge.hosts),
                 options->output_path);
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
