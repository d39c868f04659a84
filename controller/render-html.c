/* SPDX-License-Identifier: MIT */
/*
 * A tether.report/1 document as one self-contained HTML page for auditors:
 * the run, the hosts counted by outcome (an inline SVG bar chart, numbers
 * written out), and a table of the hosts worst first, each with its details
 * (reasons, the drop-in diff, Docker's rules present and missing, tests,
 * timings, the error, and tether-agent watch where some host has it
 * installed) in a <details> element.
 *
 * Nothing is fetched: the CSS and the script (controller/assets/, compiled
 * in at build time, see report-assets.h) are inline and a
 * Content-Security-Policy allows only those two, by their SHA-256, so a
 * string from the report that slipped through escaping still could not run.
 * Every string of the report is escaped; the script reads its data from the
 * DOM (data-* attributes and cell text), never from embedded JSON. The ids
 * and data-* attributes it looks up are the REPORT_ID_* and REPORT_DATA_*
 * macros of report-names.h, which the build makes from
 * controller/assets/report.names after checking that the script uses each.
 *
 * The filters live in the URL fragment, so a filtered view can be linked:
 *
 *   report.html#outcome=broken&tag=web&sort=heal&dir=desc
 *
 * keys: outcome, firewall, os (exact), tag (a tag containing the text,
 * ignoring case), sort (a column: name, outcome, firewall, dropin, docker,
 * os, tags, heal, reason) and dir (asc, desc). Hosts filtered out get the
 * hidden attribute on their <tbody class="host">; #shown carries
 * data-shown and data-total.
 *
 * The page has no clock in it: the same report renders to the same bytes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "render.h"
#include "report-assets.h"
#include "report-names.h"
#include "strbuf.h"

/* The outcomes render-views.c names, in the order the chart and the filter
 * list them (worst first), with the class that colours them. */
static const struct {
        const char *outcome;
        const char *class;
} known_outcomes[] = {
        {"error", "o-error"},
        {"connection lost", "o-connection-lost"},
        {"unreachable", "o-unreachable"},
        {"broken", "o-broken"},
        {"start-blocked", "o-start-blocked"},
        {"test failed", "o-test-failed"},
        {"test refused", "o-test-refused"},
        {"vulnerable", "o-vulnerable"},
        {"reload-vulnerable", "o-reload-vulnerable"},
        {"skipped", "o-skipped"},
        {"not-applicable", "o-not-applicable"},
        {"test passed", "o-test-passed"},
        {"protected", "o-protected"},
};

/* The table's columns: the key the script sorts by (and the fragment's
 * sort=), and the header. */
static const struct {
        const char *key;
        const char *title;
} columns[] = {
        {"name", "Host"},      {"outcome", "Outcome"}, {"firewall", "Firewall"},
        {"dropin", "Drop-in"}, {"docker", "Docker"},   {"os", "OS"},
        {"tags", "Tags"},      {"heal", "Heal time"},  {"reason", "Error or reason"},
};

#define CHART_LABEL_WIDTH 130
#define CHART_BAR_WIDTH 360
#define CHART_ROW_HEIGHT 26
#define CHART_WIDTH (CHART_LABEL_WIDTH + CHART_BAR_WIDTH + 50)

/* ---- escaping ---- */

/* s as text or a quoted attribute value (escape.h). */
static void append_escaped_n(struct strbuf *buf, const char *s, size_t n) {
        tether_escape_html(buf, s, n, 0);
}

static void append_escaped(struct strbuf *buf, const char *s) {
        if (s)
                append_escaped_n(buf, s, strlen(s));
}

/* A value for the reader: "-" and "" show as a muted dash. */
static void append_cell_text(struct strbuf *buf, const char *s) {
        if (!s || !*s || strcmp(s, "-") == 0)
                strbuf_append(buf, "<span class=\"none\">-</span>");
        else
                append_escaped(buf, s);
}

static void append_attribute(struct strbuf *buf, const char *name, const char *value) {
        strbuf_appendf(buf, " %s=\"", name);
        append_escaped(buf, value);
        strbuf_append(buf, "\"");
}

/* A scalar of the report for the reader; none_text stands for null or a
 * missing value. */
static void append_json_value(struct strbuf *buf, const json_t *value, const char *none_text) {
        if (!value || json_is_null(value)) {
                strbuf_append(buf, "<span class=\"none\">");
                append_escaped(buf, none_text);
                strbuf_append(buf, "</span>");
        } else if (json_is_string(value))
                append_escaped_n(buf, json_string_value(value), json_string_length(value));
        else if (json_is_integer(value))
                strbuf_appendf(buf, "%" JSON_INTEGER_FORMAT, json_integer_value(value));
        else if (json_is_real(value))
                strbuf_appendf(buf, "%g", json_real_value(value));
        else if (json_is_boolean(value))
                strbuf_append(buf, json_is_true(value) ? "yes" : "no");
        else {
                char *dumped = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);

                if (!dumped)
                        buf->failed = true;
                append_escaped(buf, dumped);
                free(dumped);
        }
}

/* An array of strings as a comma-separated list. */
static void append_string_list(struct strbuf *buf, const json_t *array, const char *none_text) {
        const json_t *item;
        size_t i;

        if (json_array_size(array) == 0) {
                append_json_value(buf, NULL, none_text);
                return;
        }
        json_array_foreach(array, i, item) {
                if (i > 0)
                        strbuf_append(buf, ", ");
                append_json_value(buf, item, "?");
        }
}

static void append_fact(struct strbuf *buf, const char *term, const json_t *value, const char *none_text) {
        strbuf_append(buf, "<dt>");
        append_escaped(buf, term);
        strbuf_append(buf, "</dt><dd>");
        append_json_value(buf, value, none_text);
        strbuf_append(buf, "</dd>\n");
}

static void append_fact_ms(struct strbuf *buf, const char *term, const json_t *value) {
        strbuf_append(buf, "<dt>");
        append_escaped(buf, term);
        strbuf_append(buf, "</dt><dd>");
        if (json_is_integer(value))
                strbuf_appendf(buf, "%" JSON_INTEGER_FORMAT " ms", json_integer_value(value));
        else
                append_json_value(buf, value, "-");
        strbuf_append(buf, "</dd>\n");
}

/* ---- outcomes ---- */

static const char *outcome_class(const char *outcome) {
        for (size_t i = 0; i < ELEMENTSOF(known_outcomes); i++)
                if (strcmp(outcome, known_outcomes[i].outcome) == 0)
                        return known_outcomes[i].class;
        return "o-other";
}

/* Known outcomes in their order; others (a verdict tether does not know,
 * ranked as an error) right after "error". */
static size_t outcome_order(const char *outcome) {
        for (size_t i = 0; i < ELEMENTSOF(known_outcomes); i++)
                if (strcmp(outcome, known_outcomes[i].outcome) == 0)
                        return 2 * i;
        return 1;
}

struct outcome_count {
        const char *outcome; /* borrowed */
        size_t count;
};

static int compare_outcome_counts(const void *a, const void *b) {
        const struct outcome_count *x = a, *y = b;
        size_t ox = outcome_order(x->outcome), oy = outcome_order(y->outcome);

        if (ox != oy)
                return ox < oy ? -1 : 1;
        return strcmp(x->outcome, y->outcome);
}

/* The outcomes that occur, with their counts, in chart order (a new array). */
static struct outcome_count *count_outcomes(const struct host_view *views, size_t n, size_t *ret_n) {
        struct outcome_count *counts = calloc(n ? n : 1, sizeof(*counts));
        size_t n_counts = 0;

        if (!counts)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                size_t j;

                /* Views are sorted by rank, so a repeated outcome is among the last few. */
                for (j = n_counts; j > 0; j--)
                        if (strcmp(counts[j - 1].outcome, views[i].outcome) == 0)
                                break;
                if (j > 0)
                        counts[j - 1].count++;
                else
                        counts[n_counts++] = (struct outcome_count){views[i].outcome, 1};
        }
        qsort(counts, n_counts, sizeof(*counts), compare_outcome_counts);
        *ret_n = n_counts;
        return counts;
}

/* ---- the run ---- */

static void append_duration(struct strbuf *buf, const json_t *duration_ms) {
        json_int_t ms;

        if (!json_is_integer(duration_ms) || json_integer_value(duration_ms) < 0) {
                append_json_value(buf, NULL, "unknown");
                return;
        }
        ms = json_integer_value(duration_ms);
        if (ms < 1000)
                strbuf_appendf(buf, "%" JSON_INTEGER_FORMAT " ms", ms);
        else if (ms < 60000)
                strbuf_appendf(buf, "%" JSON_INTEGER_FORMAT ".%03" JSON_INTEGER_FORMAT " s", ms / 1000,
                               ms % 1000);
        else
                strbuf_appendf(buf,
                               "%" JSON_INTEGER_FORMAT " min %02" JSON_INTEGER_FORMAT
                               " s (%" JSON_INTEGER_FORMAT " ms)",
                               ms / 60000, ms / 1000 % 60, ms);
}

static void append_time(struct strbuf *buf, const json_t *value) {
        if (!json_is_string(value)) {
                append_json_value(buf, NULL, "unknown");
                return;
        }
        strbuf_append(buf, "<time");
        append_attribute(buf, "datetime", json_string_value(value));
        strbuf_append(buf, ">");
        append_escaped(buf, json_string_value(value));
        strbuf_append(buf, "</time>");
}

static void append_run(struct strbuf *buf, const json_t *report) {
        const json_t *tool = json_object_get(report, "tool");

        strbuf_append(buf, "<section id=\"run\" aria-labelledby=\"run-title\">\n"
                           "<h2 id=\"run-title\">The run</h2>\n<dl class=\"facts\">\n");
        append_fact(buf, "Verb", json_object_get(report, "verb"), "unknown");
        strbuf_append(buf, "<dt>Run ID</dt><dd><code>");
        append_json_value(buf, json_object_get(report, "run_id"), "none");
        strbuf_append(buf, "</code></dd>\n<dt>Tool</dt><dd>");
        append_json_value(buf, json_object_get(tool, "name"), "tether");
        strbuf_append(buf, " ");
        append_json_value(buf, json_object_get(tool, "version"), "(version unknown)");
        strbuf_append(buf, "</dd>\n<dt>Schema</dt><dd>");
        append_json_value(buf, json_object_get(report, "schema"), "unknown");
        strbuf_append(buf, "</dd>\n<dt>Inventory</dt><dd><code>");
        append_json_value(buf, json_object_get(report, "inventory"), "none");
        strbuf_append(buf, "</code></dd>\n<dt>Started</dt><dd>");
        append_time(buf, json_object_get(report, "started_at"));
        strbuf_append(buf, "</dd>\n<dt>Finished</dt><dd>");
        append_time(buf, json_object_get(report, "finished_at"));
        strbuf_append(buf, "</dd>\n<dt>Duration</dt><dd>");
        append_duration(buf, json_object_get(report, "duration_ms"));
        strbuf_append(buf, "</dd>\n");
        append_fact(buf, "Interrupted", json_object_get(report, "interrupted"), "unknown");
        if (json_is_array(json_object_get(report, "merged_from"))) {
                strbuf_append(buf, "<dt>Merged from runs</dt><dd>");
                append_string_list(buf, json_object_get(report, "merged_from"), "none");
                strbuf_append(buf, "</dd>\n");
        }
        strbuf_append(buf, "</dl>\n</section>\n");
}

/* The run's options as the report has them; null is the default. */
static void append_options(struct strbuf *buf, const json_t *report) {
        const json_t *options = json_object_get(report, "options"), *value;
        const char *key;

        strbuf_append(buf, "<section id=\"options\" aria-labelledby=\"options-title\">\n"
                           "<h2 id=\"options-title\">Options</h2>\n");
        if (json_object_size(options) == 0)
                strbuf_append(buf, "<p class=\"none\">none recorded</p>\n");
        else {
                strbuf_append(buf, "<dl class=\"facts\">\n");
                json_object_foreach((json_t *)options, key, value) {
                        append_fact(buf, key, value, "default");
                }
                strbuf_append(buf, "</dl>\n");
        }
        strbuf_append(buf, "</section>\n");
}

/* ---- the chart ---- */

static void append_stat(struct strbuf *buf, const char *id, const char *term, const json_t *value) {
        strbuf_appendf(buf, "<div id=\"stat-%s\"><dt>%s</dt><dd>", id, term);
        append_json_value(buf, value, "-");
        strbuf_append(buf, "</dd></div>\n");
}

/* The summary's counts, then the hosts by outcome as a bar chart, each bar
 * with its outcome and number as text, so it reads without colour. */
static void append_chart(struct strbuf *buf, const json_t *report, const struct outcome_count *counts,
                         size_t n_counts) {
        const json_t *summary = json_object_get(report, "summary");
        size_t max = 1, height = n_counts * CHART_ROW_HEIGHT + 8;

        for (size_t i = 0; i < n_counts; i++)
                if (counts[i].count > max)
                        max = counts[i].count;

        strbuf_append(buf, "<section id=\"outcomes\" aria-labelledby=\"outcomes-title\">\n"
                           "<h2 id=\"outcomes-title\">Hosts by outcome</h2>\n<dl class=\"stats\">\n");
        append_stat(buf, "hosts", "hosts", json_object_get(summary, "hosts"));
        append_stat(buf, "failed", "failed", json_object_get(summary, "failed"));
        append_stat(buf, "changed", "changed", json_object_get(summary, "changed"));
        append_stat(buf, "skipped", "skipped", json_object_get(summary, "skipped"));
        append_stat(buf, "uploaded", "agent deployed", json_object_get(summary, "uploaded"));
        if (json_integer_value(json_object_get(summary, "agentless")) > 0)
                append_stat(buf, "agentless", "agentless", json_object_get(summary, "agentless"));
        if (json_integer_value(json_object_get(summary, "may_have_changed")) > 0)
                append_stat(buf, "may-have-changed", "may have changed",
                            json_object_get(summary, "may_have_changed"));
        strbuf_append(buf, "</dl>\n");
        if (n_counts == 0) {
                strbuf_append(buf, "<p class=\"none\">no hosts</p>\n</section>\n");
                return;
        }
        strbuf_appendf(buf,
                       "<svg class=\"chart\" role=\"img\" aria-labelledby=\"chart-title\" "
                       "width=\"%d\" height=\"%zu\" viewBox=\"0 0 %d %zu\">\n"
                       "<title id=\"chart-title\">Hosts by outcome</title>\n",
                       CHART_WIDTH, height, CHART_WIDTH, height);
        for (size_t i = 0; i < n_counts; i++) {
                size_t y = i * CHART_ROW_HEIGHT + 4;
                size_t width = counts[i].count * CHART_BAR_WIDTH / max;

                if (width < 3)
                        width = 3;
                strbuf_appendf(buf, "<g class=\"bar %s\"", outcome_class(counts[i].outcome));
                append_attribute(buf, REPORT_DATA_OUTCOME, counts[i].outcome);
                strbuf_appendf(buf, "><text class=\"label\" x=\"%d\" y=\"%zu\" text-anchor=\"end\">",
                               CHART_LABEL_WIDTH - 8, y + 15);
                append_escaped(buf, counts[i].outcome);
                strbuf_appendf(buf,
                               "</text><rect x=\"%d\" y=\"%zu\" width=\"%zu\" height=\"20\" rx=\"2\"/>"
                               "<text class=\"count\" x=\"%zu\" y=\"%zu\">%zu</text></g>\n",
                               CHART_LABEL_WIDTH, y, width, CHART_LABEL_WIDTH + width + 6, y + 15,
                               counts[i].count);
        }
        strbuf_append(buf, "</svg>\n</section>\n");
}

/* ---- the filters ---- */

static int compare_strings(const void *a, const void *b) {
        return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A <select> of the distinct values of one field of the views; "-" (none)
 * is listed last as none_text. */
static int append_select(struct strbuf *buf, const char *key, const char *label, const char *all_text,
                         const char *none_text, const char *const *values, size_t n) {
        _cleanup_free_ const char **sorted = calloc(n ? n : 1, sizeof(*sorted));
        bool has_none = false;

        if (!sorted)
                return -ENOMEM;
        memcpy(sorted, values, n * sizeof(*sorted));
        qsort(sorted, n, sizeof(*sorted), compare_strings);
        strbuf_appendf(buf,
                       "<label>%s <select id=\"" REPORT_ID_PREFIX_FILTER
                       "%s\" data-filter=\"%s\">\n<option value=\"\">%s</option>\n",
                       label, key, key, all_text);
        for (size_t i = 0; i < n; i++) {
                if (i > 0 && strcmp(sorted[i], sorted[i - 1]) == 0)
                        continue;
                if (strcmp(sorted[i], "-") == 0) {
                        has_none = true;
                        continue;
                }
                strbuf_append(buf, "<option");
                append_attribute(buf, "value", sorted[i]);
                strbuf_append(buf, ">");
                append_escaped(buf, sorted[i]);
                strbuf_append(buf, "</option>\n");
        }
        if (has_none)
                strbuf_appendf(buf, "<option value=\"-\">%s</option>\n", none_text);
        strbuf_append(buf, "</select></label>\n");
        return 0;
}

static int append_controls(struct strbuf *buf, const struct host_view *views, size_t n,
                           const struct outcome_count *counts, size_t n_counts) {
        _cleanup_free_ const char **values = calloc(n ? n : 1, sizeof(*values));
        int r;

        if (!values)
                return -ENOMEM;
        /* Hidden until the script runs: without it they would do nothing. */
        strbuf_append(buf, "<form id=\"" REPORT_ID_CONTROLS "\" class=\"controls\" role=\"search\" hidden>\n"
                           "<label>Outcome <select id=\"" REPORT_ID_PREFIX_FILTER "outcome\" "
                           "data-filter=\"outcome\">\n"
                           "<option value=\"\">all outcomes</option>\n");
        for (size_t i = 0; i < n_counts; i++) {
                strbuf_append(buf, "<option");
                append_attribute(buf, "value", counts[i].outcome);
                strbuf_append(buf, ">");
                append_escaped(buf, counts[i].outcome);
                strbuf_appendf(buf, " (%zu)</option>\n", counts[i].count);
        }
        strbuf_append(buf, "</select></label>\n");

        for (size_t i = 0; i < n; i++)
                values[i] = views[i].firewall;
        r = append_select(buf, "firewall", "Firewall", "all firewalls",
                          "none that flushes Docker&#39;s rules", values, n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++)
                values[i] = views[i].os;
        r = append_select(buf, "os", "OS", "all systems", "unknown", values, n);
        if (r < 0)
                return r;
        strbuf_append(buf,
                      "<label>Tag <input type=\"search\" id=\"" REPORT_ID_PREFIX_FILTER "tag\" "
                      "data-filter=\"tag\" placeholder=\"any tag\" autocomplete=\"off\"></label>\n"
                      "<button type=\"button\" id=\"" REPORT_ID_FILTER_CLEAR "\">Clear filters</button>\n"
                      "<button type=\"button\" id=\"" REPORT_ID_EXPAND_ALL "\">Expand all details</button>\n"
                      "<button type=\"button\" id=\"" REPORT_ID_COLLAPSE_ALL "\">Collapse all</button>\n"
                      "</form>\n");
        return 0;
}

/* ---- a host's details ---- */

static void append_reasons(struct strbuf *buf, const struct host_view *view, const json_t *json) {
        const json_t *agent = json_object_get(json, "agent"), *reason;
        const json_t *reasons = json_object_get(agent, "reasons");
        const char *test_reason = json_string_value(json_object_get(agent, "test_reason"));
        const char *heal_error = json_string_value(json_object_get(agent, "heal_error"));
        size_t i;

        if (json_array_size(reasons) == 0 && !view->skip_reason && !test_reason && !heal_error)
                return;
        strbuf_append(buf, "<section class=\"wide\"><h4>Reasons</h4><ul>\n");
        if (view->skip_reason) {
                strbuf_append(buf, "<li>Skipped: ");
                append_escaped(buf, view->skip_reason);
                strbuf_append(buf, "</li>\n");
        }
        json_array_foreach(reasons, i, reason) {
                strbuf_append(buf, "<li>");
                append_json_value(buf, reason, "?");
                strbuf_append(buf, "</li>\n");
        }
        if (test_reason) {
                strbuf_append(buf, "<li>Test skipped: ");
                append_escaped(buf, test_reason);
                strbuf_append(buf, "</li>\n");
        }
        if (heal_error) {
                strbuf_append(buf, "<li>Healing failed: ");
                append_escaped(buf, heal_error);
                strbuf_append(buf, "</li>\n");
        }
        strbuf_append(buf, "</ul></section>\n");
}

static void append_errors(struct strbuf *buf, const struct host_view *view, const json_t *json) {
        const json_t *agent_error = json_object_get(json_object_get(json, "agent"), "error");

        if (!view->error_stage && !json_is_object(agent_error))
                return;
        strbuf_append(buf, "<section class=\"wide\"><h4>Error</h4>\n");
        if (view->error_stage) {
                strbuf_append(buf, "<p class=\"error\">Stage <span class=\"stage\">");
                append_escaped(buf, view->error_stage);
                strbuf_append(buf, ":</span> ");
                append_escaped(buf, view->error_message);
                strbuf_append(buf, "</p>\n");
        }
        if (json_is_object(agent_error)) {
                strbuf_append(buf, "<p class=\"error\">The agent: <span class=\"stage\">");
                append_json_value(buf, json_object_get(agent_error, "kind"), "?");
                strbuf_append(buf, ":</span> ");
                append_json_value(buf, json_object_get(agent_error, "message"), "");
                strbuf_append(buf, "</p>\n");
        }
        strbuf_append(buf, "</section>\n");
}

static void append_host_facts(struct strbuf *buf, const struct host_view *view, const json_t *json) {
        const json_t *agent = json_object_get(json, "agent");
        const json_t *host = json_object_get(agent, "host");

        strbuf_append(buf, "<section><h4>Host</h4><dl class=\"facts\">\n");
        append_fact(buf, "Address", json_object_get(json, "address"), "-");
        append_fact(buf, "Verdict", json_object_get(json, "verdict"), "-");
        if (view->test_result)
                append_fact(buf, "Test result", json_object_get(agent, "test_result"), "-");
        append_fact(buf, "Changed", json_object_get(json, "changed"), "-");
        /* Reports before mode have none: their hosts all ran the agent. */
        if (json_is_string(json_object_get(json, "mode")))
                append_fact(buf, "Mode", json_object_get(json, "mode"), "-");
        append_fact(buf, "Agent deployed", json_object_get(json, "uploaded"), "-");
        /* Reports before agent_path have none: their hosts all deployed tether's own. */
        if (json_is_string(json_object_get(json, "agent_path")))
                append_fact(buf, "Agent installed at", json_object_get(json, "agent_path"), "-");
        append_fact(buf, "Agent exit status", json_object_get(json, "agent_exit"), "-");
        if (json_is_object(host)) {
                append_fact(buf, "Hostname", json_object_get(host, "hostname"), "-");
                append_fact(buf, "OS", json_object_get(json_object_get(host, "os"), "pretty_name"), "-");
                append_fact(buf, "Kernel", json_object_get(host, "kernel"), "-");
                append_fact(buf, "systemd", json_object_get(host, "systemd"), "-");
        }
        if (json_is_string(json_object_get(agent, "agent_version")))
                append_fact(buf, "Agent version", json_object_get(agent, "agent_version"), "-");
        strbuf_append(buf, "</dl></section>\n");
}

static void append_timings(struct strbuf *buf, const struct host_view *view, const json_t *json) {
        const json_t *timings = json_object_get(json, "timings_ms");
        const json_t *first_test =
                json_array_get(json_object_get(json_object_get(json, "agent"), "tests"), 0);

        if (!json_is_object(timings) && view->heal_ms < 0)
                return;
        strbuf_append(buf, "<section><h4>Timings</h4><dl class=\"facts\">\n");
        if (json_is_object(timings)) {
                append_fact_ms(buf, "Connect", json_object_get(timings, "connect"));
                append_fact_ms(buf, "Upload", json_object_get(timings, "upload"));
                append_fact_ms(buf, "Agent", json_object_get(timings, "agent"));
                append_fact_ms(buf, "Total", json_object_get(timings, "total"));
        }
        if (view->heal_ms >= 0)
                append_fact_ms(buf, "Rules back after", json_object_get(first_test, "heal_ms"));
        strbuf_append(buf, "</dl></section>\n");
}

static void append_docker(struct strbuf *buf, const json_t *agent) {
        const json_t *docker = json_object_get(agent, "docker");
        const json_t *limit = json_object_get(docker, "start_limit");

        if (!json_is_object(docker))
                return;
        strbuf_append(buf, "<section><h4>Docker</h4><dl class=\"facts\">\n");
        append_fact(buf, "Installed", json_object_get(docker, "installed"), "-");
        if (json_is_true(json_object_get(docker, "installed"))) {
                append_fact(buf, "Version", json_object_get(docker, "version"), "unknown");
                strbuf_append(buf, "<dt>State</dt><dd>");
                append_json_value(buf, json_object_get(docker, "active_state"), "-");
                strbuf_append(buf, " (");
                append_json_value(buf, json_object_get(docker, "sub_state"), "-");
                strbuf_append(buf, "), ");
                append_json_value(buf, json_object_get(docker, "unit_file_state"), "-");
                strbuf_append(buf, "</dd>\n");
                append_fact(buf, "Since", json_object_get(docker, "since"), "never active");
                append_fact(buf, "Restarts", json_object_get(docker, "restarts"), "-");
                append_fact(buf, "Last result", json_object_get(docker, "result"), "-");
                if (json_is_object(limit)) {
                        strbuf_append(buf, "<dt>Start limit</dt><dd>");
                        append_json_value(buf, json_object_get(limit, "starts_in_window"), "?");
                        strbuf_append(buf, " of ");
                        append_json_value(buf, json_object_get(limit, "burst"), "?");
                        strbuf_append(buf, " starts in ");
                        append_json_value(buf, json_object_get(limit, "interval_sec"), "?");
                        strbuf_append(buf, " s");
                        if (json_is_true(json_object_get(limit, "hit")))
                                strbuf_append(buf, " <strong class=\"missing\">limit hit</strong>");
                        else if (json_is_true(json_object_get(limit, "near")))
                                strbuf_append(buf, " <strong>near the limit</strong>");
                        strbuf_append(buf, "</dd>\n");
                }
                append_fact(buf, "live-restore", json_object_get(docker, "live_restore"), "-");
        }
        strbuf_append(buf, "</dl></section>\n");
}

/* tether-agent watch on the host (docs/watch.md), where some host of the
 * report has it installed. */
static void append_watch(struct strbuf *buf, const json_t *agent) {
        const json_t *watch = json_object_get(agent, "watch");
        const json_t *culprit = json_object_get(watch, "last_culprit");

        if (!json_is_object(watch))
                return;
        strbuf_append(buf, "<section><h4>tether-agent watch</h4><dl class=\"facts\">\n");
        append_fact(buf, "Installed", json_object_get(watch, "installed"), "-");
        if (json_is_true(json_object_get(watch, "installed"))) {
                append_fact(buf, "State", json_object_get(watch, "active_state"), "-");
                append_fact(buf, "Heals in 24 h", json_object_get(watch, "heals_24h"), "-");
                append_fact(buf, "Last heal", json_object_get(watch, "last_heal"), "none");
                strbuf_append(buf, "<dt>Last flush by</dt><dd>");
                append_json_value(buf, json_object_get(culprit, "name"),
                                  json_is_object(culprit) ? "unknown" : "none");
                if (json_is_integer(json_object_get(culprit, "pid")))
                        strbuf_appendf(buf, " (pid %" JSON_INTEGER_FORMAT ")",
                                       json_integer_value(json_object_get(culprit, "pid")));
                if (json_is_string(json_object_get(culprit, "unit"))) {
                        strbuf_append(buf, " in <code>");
                        append_json_value(buf, json_object_get(culprit, "unit"), "");
                        strbuf_append(buf, "</code>");
                }
                strbuf_append(buf, "</dd>\n");
                append_fact_ms(buf, "Rules back after", json_object_get(watch, "last_heal_ms"));
        }
        strbuf_append(buf, "</dl></section>\n");
}

static void append_dropin(struct strbuf *buf, const json_t *agent) {
        const json_t *dropin = json_object_get(agent, "dropin");
        const json_t *loaded = json_object_get(dropin, "loaded");

        if (!json_is_object(dropin))
                return;
        strbuf_append(buf, "<section class=\"double\"><h4>Drop-in</h4><dl class=\"facts\">\n");
        strbuf_append(buf, "<dt>Path</dt><dd><code>");
        append_json_value(buf, json_object_get(dropin, "path"), "-");
        strbuf_append(buf, "</code></dd>\n");
        append_fact(buf, "State", json_object_get(dropin, "state"), "-");
        append_fact(buf, "Policy", json_object_get(dropin, "policy"), "-");
        strbuf_append(buf, "<dt>Foreign ties</dt><dd>");
        append_string_list(buf, json_object_get(dropin, "foreign"), "none");
        strbuf_append(buf, "</dd>\n<dt>Not loaded</dt><dd>");
        append_string_list(buf, json_object_get(dropin, "unloaded"), "none");
        strbuf_append(buf, "</dd>\n");
        if (json_is_object(loaded)) {
                strbuf_append(buf, "<dt>Docker has After=</dt><dd>");
                append_string_list(buf, json_object_get(loaded, "after"), "none");
                strbuf_append(buf, "</dd>\n<dt>Requires=</dt><dd>");
                append_string_list(buf, json_object_get(loaded, "requires"), "none");
                strbuf_append(buf, "</dd>\n<dt>BindsTo=</dt><dd>");
                append_string_list(buf, json_object_get(loaded, "binds_to"), "none");
                strbuf_append(buf, "</dd>\n<dt>PartOf=</dt><dd>");
                append_string_list(buf, json_object_get(loaded, "part_of"), "none");
                strbuf_append(buf, "</dd>\n");
                append_fact(buf, "Needs daemon-reload", json_object_get(loaded, "need_daemon_reload"), "-");
        }
        strbuf_append(buf, "</dl></section>\n");
}

static void append_firewalls(struct strbuf *buf, const json_t *agent) {
        const json_t *firewalls = json_object_get(agent, "firewalls"), *firewall;
        size_t i;

        if (!json_is_array(firewalls))
                return;
        strbuf_append(buf, "<section class=\"wide\"><h4>Firewall units</h4>\n");
        if (json_array_size(firewalls) == 0) {
                strbuf_append(buf, "<p class=\"none\">none found</p></section>\n");
                return;
        }
        strbuf_append(buf,
                      "<table class=\"small\"><thead><tr><th>Unit</th><th>State</th><th>Flushes "
                      "Docker&#39;s rules</th><th>Docker tied to it</th><th>Why</th></tr></thead><tbody>\n");
        json_array_foreach(firewalls, i, firewall) {
                strbuf_append(buf, "<tr><td><code>");
                append_json_value(buf, json_object_get(firewall, "unit"), "?");
                strbuf_append(buf, "</code></td><td>");
                append_json_value(buf, json_object_get(firewall, "active_state"), "-");
                strbuf_append(buf, ", ");
                append_json_value(buf, json_object_get(firewall, "unit_file_state"), "-");
                strbuf_append(buf, "</td><td>");
                append_json_value(buf, json_object_get(firewall, "flushes_docker_rules"), "-");
                strbuf_append(buf, "</td><td>");
                append_json_value(buf, json_object_get(firewall, "tied"), "-");
                strbuf_append(buf, "</td><td>");
                append_json_value(buf, json_object_get(firewall, "why"), "");
                strbuf_append(buf, "</td></tr>\n");
        }
        strbuf_append(buf, "</tbody></table></section>\n");
}

static void append_rules(struct strbuf *buf, const json_t *agent) {
        const json_t *netfilter = json_object_get(agent, "netfilter");
        const json_t *checks = json_object_get(netfilter, "checks"), *check;
        size_t i, missing = 0;

        if (!json_is_object(netfilter))
                return;
        json_array_foreach(checks, i, check) missing += !json_is_true(json_object_get(check, "present"));
        strbuf_append(buf, "<section class=\"wide\"><h4>Docker&#39;s chains and rules</h4>\n<p>iptables: ");
        append_json_value(buf, json_object_get(netfilter, "backend"), "unknown");
        if (json_is_array(checks))
                strbuf_appendf(buf, ". %zu of %zu missing.", missing, json_array_size(checks));
        strbuf_append(buf, "</p>\n");
        if (json_is_string(json_object_get(netfilter, "note"))) {
                strbuf_append(buf, "<p>");
                append_json_value(buf, json_object_get(netfilter, "note"), "");
                strbuf_append(buf, "</p>\n");
        }
        if (json_is_string(json_object_get(netfilter, "error"))) {
                strbuf_append(buf, "<p class=\"missing\">Reading them failed: ");
                append_json_value(buf, json_object_get(netfilter, "error"), "");
                strbuf_append(buf, "</p>\n");
        }
        if (json_array_size(checks) > 0) {
                strbuf_append(buf,
                              "<table class=\"small rules\"><thead><tr><th>Table</th><th>Chain or rule</th>"
                              "<th>Found</th></tr></thead><tbody>\n");
                json_array_foreach(checks, i, check) {
                        bool present = json_is_true(json_object_get(check, "present"));

                        strbuf_appendf(buf, "<tr class=\"%s\"><td>", present ? "present" : "missing");
                        append_json_value(buf, json_object_get(check, "table"), "?");
                        strbuf_append(buf, "</td><td><code>");
                        append_json_value(buf, json_object_get(check, "what"), "?");
                        strbuf_appendf(buf, "</code></td><td>%s</td></tr>\n",
                                       present ? "present" : "MISSING");
                }
                strbuf_append(buf, "</tbody></table>\n");
        }
        strbuf_append(buf, "</section>\n");
}

static void append_tests(struct strbuf *buf, const json_t *agent) {
        const json_t *tests = json_object_get(agent, "tests"), *test;
        size_t i;

        if (json_array_size(tests) == 0)
                return;
        strbuf_append(buf, "<section class=\"wide\"><h4>Firewall tests</h4>\n"
                           "<table class=\"small\"><thead><tr><th>Unit</th><th>Scenario</th><th>Result</th>"
                           "<th>Rules back after</th><th>Rules missing</th><th>Docker restarted</th>"
                           "<th>Notes</th></tr></thead><tbody>\n");
        json_array_foreach(tests, i, test) {
                const json_t *repair = json_object_get(test, "repair");

                strbuf_append(buf, "<tr><td><code>");
                append_json_value(buf, json_object_get(test, "unit"), "?");
                strbuf_append(buf, "</code></td><td>");
                append_json_value(buf, json_object_get(test, "scenario"), "-");
                strbuf_append(buf, "</td><td>");
                append_json_value(buf, json_object_get(test, "result"), "-");
                strbuf_append(buf, "</td><td>");
                if (json_is_integer(json_object_get(test, "heal_ms")))
                        strbuf_appendf(buf, "%" JSON_INTEGER_FORMAT " ms",
                                       json_integer_value(json_object_get(test, "heal_ms")));
                else
                        append_json_value(buf, NULL, "-");
                strbuf_append(buf, "</td><td>");
                append_json_value(buf, json_object_get(test, "rules_missing"), "-");
                strbuf_append(buf, "</td><td>");
                append_json_value(buf, json_object_get(test, "docker_restarted"), "-");
                strbuf_append(buf, "</td><td>");
                if (json_is_string(json_object_get(test, "reason"))) {
                        strbuf_append(buf, "<div>");
                        append_json_value(buf, json_object_get(test, "reason"), "");
                        strbuf_append(buf, "</div>");
                }
                if (json_is_string(json_object_get(test, "error"))) {
                        strbuf_append(buf, "<div>The firewall&#39;s job failed: ");
                        append_json_value(buf, json_object_get(test, "error"), "");
                        strbuf_append(buf, "</div>");
                }
                if (json_is_integer(json_object_get(test, "retry_after_sec")) &&
                    json_integer_value(json_object_get(test, "retry_after_sec")) > 0)
                        strbuf_appendf(buf, "<div>Retry after %" JSON_INTEGER_FORMAT " s.</div>",
                                       json_integer_value(json_object_get(test, "retry_after_sec")));
                if (json_is_object(repair)) {
                        strbuf_append(buf, "<div>Repair: ");
                        append_json_value(buf, json_object_get(repair, "action"), "?");
                        strbuf_append(buf,
                                      json_is_true(json_object_get(repair, "ok")) ? ", worked" : ", failed");
                        if (json_is_string(json_object_get(repair, "error"))) {
                                strbuf_append(buf, ": ");
                                append_json_value(buf, json_object_get(repair, "error"), "");
                        }
                        strbuf_append(buf, ".</div>");
                }
                strbuf_append(buf, "</td></tr>\n");
        }
        strbuf_append(buf, "</tbody></table></section>\n");
}

/* A unified diff in a <pre>, a line at a time so each can be marked. */
static void append_diff(struct strbuf *buf, const char *diff, size_t length) {
        const char *end = diff + length;

        strbuf_append(buf, "<pre class=\"diff\">");
        for (const char *line = diff; line < end;) {
                const char *newline = memchr(line, '\n', (size_t)(end - line));
                size_t n = newline ? (size_t)(newline - line) : (size_t)(end - line);
                const char *class = NULL;

                if (n >= 3 && (strncmp(line, "---", 3) == 0 || strncmp(line, "+++", 3) == 0))
                        class = "file";
                else if (n >= 2 && strncmp(line, "@@", 2) == 0)
                        class = "hunk";
                else if (n >= 1 && line[0] == '+')
                        class = "add";
                else if (n >= 1 && line[0] == '-')
                        class = "del";
                if (class)
                        strbuf_appendf(buf, "<span class=\"%s\">", class);
                append_escaped_n(buf, line, n);
                if (class)
                        strbuf_append(buf, "</span>");
                if (newline)
                        strbuf_append(buf, "\n");
                line += n + (newline ? 1 : 0);
        }
        strbuf_append(buf, "</pre>\n");
}

static void append_changes(struct strbuf *buf, const json_t *agent) {
        const json_t *changes = json_object_get(agent, "changes"), *change;
        size_t i;

        if (!json_is_array(changes))
                return;
        strbuf_append(buf, "<section class=\"wide\"><h4>Changes</h4>\n");
        if (json_is_true(json_object_get(agent, "check")))
                strbuf_append(buf, "<p>Checked only (--check): nothing was written.</p>\n");
        if (json_array_size(changes) == 0)
                strbuf_append(buf, "<p class=\"none\">none</p>\n");
        json_array_foreach(changes, i, change) {
                const json_t *diff = json_object_get(change, "diff");

                strbuf_append(buf, "<p><strong>");
                append_json_value(buf, json_object_get(change, "action"), "?");
                strbuf_append(buf, "</strong> <code>");
                append_json_value(buf, json_object_get(change, "path"), "?");
                strbuf_append(buf, "</code></p>\n");
                if (json_is_string(diff) && json_string_length(diff) > 0)
                        append_diff(buf, json_string_value(diff), json_string_length(diff));
        }
        if (json_is_boolean(json_object_get(agent, "reloaded"))) {
                strbuf_append(buf, "<p>systemd daemon-reload: ");
                append_json_value(buf, json_object_get(agent, "reloaded"), "-");
                strbuf_append(buf, "</p>\n");
        }
        if (json_is_boolean(json_object_get(agent, "healed"))) {
                strbuf_append(buf, "<p>Docker restarted to heal: ");
                append_json_value(buf, json_object_get(agent, "healed"), "-");
                strbuf_append(buf, "</p>\n");
        }
        strbuf_append(buf, "</section>\n");
}

static void append_details(struct strbuf *buf, const struct host_view *view, const json_t *json,
                           bool show_watch) {
        const json_t *agent = json_object_get(json, "agent");

        strbuf_append(buf, "<details><summary>Details of ");
        append_escaped(buf, view->name);
        strbuf_append(buf, "</summary>\n<div class=\"detail-grid\">\n");
        append_errors(buf, view, json);
        append_reasons(buf, view, json);
        append_host_facts(buf, view, json);
        append_timings(buf, view, json);
        append_docker(buf, agent);
        append_dropin(buf, agent);
        if (show_watch)
                append_watch(buf, agent);
        append_rules(buf, agent);
        append_firewalls(buf, agent);
        append_tests(buf, agent);
        append_changes(buf, agent);
        if (!json_is_object(agent))
                strbuf_append(buf, "<p class=\"none wide\">The agent gave no state for this host.</p>\n");
        strbuf_append(buf, "</div>\n</details>\n");
}

/* ---- the table ---- */

/* The host's object is read again here for a view of report_views_read()
 * (host_view_object()), and freed once its part is written. */
static void append_host(struct strbuf *buf, const struct host_view *view, size_t order, bool show_watch) {
        json_t *json = host_view_object(view);
        const json_t *tags = json_object_get(json, "tags"), *tag;
        const char *class = outcome_class(view->outcome);
        size_t i;

        if (!json) {
                buf->failed = true;
                return;
        }

        strbuf_appendf(buf, "<tbody class=\"host %s\" " REPORT_DATA_ORDER "=\"%zu\"", class, order);
        append_attribute(buf, REPORT_DATA_NAME, view->name);
        append_attribute(buf, REPORT_DATA_OUTCOME, view->outcome);
        append_attribute(buf, REPORT_DATA_FIREWALL, view->firewall);
        append_attribute(buf, REPORT_DATA_OS, view->os);
        strbuf_appendf(buf, " " REPORT_DATA_HEAL "=\"%lld\">\n<tr class=\"row\"><td class=\"name\"><strong>",
                       view->heal_ms);
        append_escaped(buf, view->name);
        strbuf_append(buf, "</strong><br><span class=\"address\">");
        append_escaped(buf, view->address);
        strbuf_appendf(buf, "</span></td>\n<td class=\"outcome\"><span class=\"badge %s\">", class);
        append_escaped(buf, view->outcome);
        strbuf_append(buf, "</span>");
        if (view->changed)
                strbuf_append(buf, "<span class=\"flag\">changed</span>");
        else if (view->may_have_changed)
                strbuf_append(buf, "<span class=\"flag\">may have changed</span>");
        strbuf_append(buf, "</td>\n<td class=\"firewall\">");
        append_cell_text(buf, view->firewall);
        strbuf_append(buf, "</td>\n<td class=\"dropin\">");
        append_cell_text(buf, view->dropin_state);
        strbuf_append(buf, "</td>\n<td class=\"docker\">");
        append_cell_text(buf, view->docker_state);
        strbuf_append(buf, "</td>\n<td class=\"os\">");
        append_cell_text(buf, view->os);
        strbuf_append(buf, "</td>\n<td class=\"tags\">");
        if (json_array_size(tags) == 0)
                append_cell_text(buf, NULL);
        json_array_foreach(tags, i, tag) {
                strbuf_append(buf, "<span class=\"tag\">");
                append_json_value(buf, tag, "?");
                strbuf_append(buf, "</span> ");
        }
        strbuf_append(buf, "</td>\n<td class=\"heal nowrap\">");
        if (view->heal_ms >= 0)
                strbuf_appendf(buf, "%lld ms", view->heal_ms);
        else
                append_cell_text(buf, NULL);
        strbuf_append(buf, "</td>\n<td class=\"reason\">");
        if (view->error_stage) {
                strbuf_append(buf, "<span class=\"stage\">");
                append_escaped(buf, view->error_stage);
                strbuf_append(buf, ":</span> ");
                append_escaped(buf, view->error_message);
        } else
                append_escaped(buf, view->reason);
        strbuf_appendf(buf, "</td></tr>\n<tr class=\"more\"><td colspan=\"%zu\">", ELEMENTSOF(columns));
        append_details(buf, view, json, show_watch);
        strbuf_append(buf, "</td></tr>\n</tbody>\n");
        json_decref(json);
}

static int append_hosts(struct strbuf *buf, const struct host_view *views, size_t n,
                        const struct outcome_count *counts, size_t n_counts) {
        struct watch_totals totals;
        int r;

        strbuf_append(buf, "<section id=\"hosts\" aria-labelledby=\"hosts-title\">\n"
                           "<h2 id=\"hosts-title\">Hosts</h2>\n");
        r = append_controls(buf, views, n, counts, n_counts);
        if (r < 0)
                return r;
        strbuf_appendf(buf,
                       "<p id=\"" REPORT_ID_SHOWN "\" aria-live=\"polite\" " REPORT_DATA_SHOWN
                       "=\"%zu\" data-total=\"%zu\">Showing <span id=\"" REPORT_ID_SHOWN_COUNT
                       "\">%zu</span> of %zu hosts<span id=\"" REPORT_ID_FILTER_DESCRIPTION
                       "\"></span></p>\n",
                       n, n, n, n);
        strbuf_append(buf, "<table id=\"" REPORT_ID_HOST_TABLE "\">\n<thead><tr>");
        for (size_t i = 0; i < ELEMENTSOF(columns); i++)
                strbuf_appendf(buf,
                               "<th scope=\"col\" " REPORT_DATA_SORT "=\"%s\" aria-sort=\"%s\"><button "
                               "type=\"button\">%s</button><span class=\"print\" "
                               "aria-hidden=\"true\">%s</span></th>",
                               columns[i].key, strcmp(columns[i].key, "outcome") == 0 ? "ascending" : "none",
                               columns[i].title, columns[i].title);
        strbuf_append(buf, "</tr></thead>\n");
        watch_totals(views, n, &totals);
        for (size_t i = 0; i < n; i++)
                append_host(buf, &views[i], i, totals.installed > 0);
        strbuf_append(buf, "</table>\n");
        if (n == 0)
                strbuf_append(buf, "<p class=\"none\">This report has no hosts.</p>\n");
        strbuf_append(buf, "</section>\n");
        return 0;
}

/* ---- the page ---- */

static void append_head(struct strbuf *buf, const json_t *report) {
        strbuf_append(buf, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                           "style-src ");
        strbuf_append(buf, report_asset_css.csp_source);
        strbuf_append(buf, "; script-src ");
        strbuf_append(buf, report_asset_js.csp_source);
        strbuf_append(buf, "; form-action 'none'; base-uri 'none'\">\n"
                           "<meta name=\"referrer\" content=\"no-referrer\">\n<title>tether ");
        append_json_value(buf, json_object_get(report, "verb"), "run");
        strbuf_append(buf, " ");
        append_json_value(buf, json_object_get(report, "run_id"), "");
        strbuf_append(buf, "</title>\n<style>");
        strbuf_append_n(buf, report_asset_css.bytes, report_asset_css.size);
        strbuf_append(buf, "</style>\n</head>\n");
}

static void append_header(struct strbuf *buf, const json_t *report, const struct host_view *views,
                          size_t n) {
        size_t attention = 0;

        for (size_t i = 0; i < n; i++)
                attention += views[i].needs_attention;
        strbuf_append(buf, "<header>\n<h1>tether ");
        append_json_value(buf, json_object_get(report, "verb"), "run");
        strbuf_append(buf, " <code>");
        append_json_value(buf, json_object_get(report, "run_id"), "");
        strbuf_append(buf, "</code></h1>\n");
        if (n == 0)
                strbuf_append(buf, "<p class=\"headline\">No hosts in this report.</p>\n");
        else if (attention > 0)
                strbuf_appendf(buf,
                               "<p class=\"headline attention\">%zu of %zu host%s need%s attention.</p>\n",
                               attention, n, n == 1 ? "" : "s", attention == 1 ? "s" : "");
        else
                strbuf_appendf(buf,
                               "<p class=\"headline fine\">None of the %zu host%s needs attention.</p>\n", n,
                               n == 1 ? "" : "s");
        if (json_is_true(json_object_get(report, "interrupted")))
                strbuf_append(buf, "<p class=\"interrupted\" role=\"alert\">This run was interrupted: hosts "
                                   "that had not finished are reported as skipped.</p>\n");
        strbuf_append(buf, "</header>\n");
}

char *render_html(const json_t *report) {
        _cleanup_free_ struct host_view *views = NULL;
        size_t n = 0;
        int r;

        r = report_views(report, &views, &n);
        if (r == -ENOMEM)
                return NULL;
        if (r < 0)
                n = 0; /* no "hosts" array: the page says so */
        return render_html_views(report, views, n);
}

char *render_html_views(const json_t *report, const struct host_view *views, size_t n) {
        struct strbuf buf = {.limit = RENDER_SIZE_LIMIT};
        _cleanup_free_ struct outcome_count *counts = NULL;
        size_t n_counts = 0;

        counts = count_outcomes(views, n, &n_counts);
        if (!counts)
                return NULL;

        append_head(&buf, report);
        strbuf_append(&buf, "<body>\n");
        append_header(&buf, report, views, n);
        strbuf_append(&buf, "<main>\n<div class=\"overview\">\n");
        append_run(&buf, report);
        append_chart(&buf, report, counts, n_counts);
        append_options(&buf, report);
        strbuf_append(&buf, "</div>\n");
        if (append_hosts(&buf, views, n, counts, n_counts) < 0) {
                strbuf_free(&buf);
                return NULL;
        }
        strbuf_append(&buf, "</main>\n<footer>Made by tether from a ");
        append_json_value(&buf, json_object_get(report, "schema"), "tether report");
        strbuf_append(&buf, " report. Filters are kept in the address after #, so a filtered view can be "
                            "linked.</footer>\n<script>");
        strbuf_append_n(&buf, report_asset_js.bytes, report_asset_js.size);
        strbuf_append(&buf, "</script>\n</body>\n</html>\n");
        return strbuf_steal(&buf);
}
