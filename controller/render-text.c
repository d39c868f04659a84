/* SPDX-License-Identifier: MIT */
/*
 * The terminal's table of a report, worst first, with hosts of identical
 * outcome folded into one row of host ranges, as ClusterShell's clubak
 * does, so 500 healthy hosts take one line:
 *
 *   HOSTS           OUTCOME      FIREWALL          DROP-IN  DOCKER  HEAL        REASON
 *   db-01           broken       nftables.service  absent   active  -           docker is active but 2 ...
 *   web-[01-12]     protected    nftables.service  current  active  512-910 ms  docker.service is tied to
 * ...
 *
 * A WATCH column before REASON, and a line under the counts, come only
 * where some host has tether-agent watch installed: what it is, and how
 * often it had to bring Docker's rules back.
 *
 * Colours only when asked (a terminal without NO_COLOR); otherwise plain,
 * stable lines for CI logs. Every string of the report is escaped for the
 * terminal (tether_escape_terminal(), see escape.h): a host's reason that
 * holds "\x1b]52;..." shows those characters and writes no clipboard, and
 * a line break in it cannot start a row of its own. So is the line of each
 * host as it finishes (render_host_line()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "hostlist.h"
#include "render.h"
#include "strbuf.h"

/* An outcome is one of tether's words, unless a report names an unknown
 * verdict: that is cut, as it always was (at 62 bytes before, now
 * characters, so no UTF-8 sequence is cut in two). */
#define OUTCOME_CHARS_MAX 62u
/* A host's line as it finishes: what a reason or an error says, in one line. */
#define HOST_LINE_LABEL_WIDTH 28u
#define HOST_LINE_DETAIL_CHARS_MAX 1199u

enum {
        CELL_HOSTS, /* folded */
        CELL_OUTCOME,
        CELL_FIREWALL,
        CELL_DROPIN,
        CELL_DOCKER,
        CELL_WATCH, /* shown only where some host has watch installed */
        CELL_REASON,
        _CELL_MAX,
};

struct row {
        const struct host_view *first; /* the columns every host of the row shares */
        const char **names;
        size_t n;
        long long heal_min, heal_max;
        char *cells[_CELL_MAX]; /* escaped for the terminal */
        char heal[32];
};

static const char *colour_of(enum host_rank rank) {
        switch (rank) {
        case RANK_ERROR:
        case RANK_UNREACHABLE:
        case RANK_BROKEN:
        case RANK_START_BLOCKED:
        case RANK_TEST_FAILED:
                return "\033[1;31m";
        case RANK_VULNERABLE:
        case RANK_RELOAD_VULNERABLE:
                return "\033[33m";
        case RANK_PROTECTED:
                return "\033[32m";
        default:
                return "\033[2m";
        }
}

static void pad(struct strbuf *out, const char *s, size_t width) {
        size_t length = strlen(s);

        strbuf_append(out, s);
        for (size_t i = length; i < width + 2; i++)
                strbuf_append(out, " ");
}

static char *fold_rows(struct row *rows, size_t n_rows, bool color, bool show_watch,
                       const char *summary_line) {
        struct strbuf out = {.limit = RENDER_SIZE_LIMIT};
        size_t width[7] = {5, 7, 8, 7, 6, 4, 5};
        static const char *const headers[] = {"HOSTS",  "OUTCOME", "FIREWALL", "DROP-IN",
                                              "DOCKER", "HEAL",    "WATCH"};

        for (size_t i = 0; i < n_rows; i++) {
                const char *cells[] = {rows[i].cells[CELL_HOSTS],    rows[i].cells[CELL_OUTCOME],
                                       rows[i].cells[CELL_FIREWALL], rows[i].cells[CELL_DROPIN],
                                       rows[i].cells[CELL_DOCKER],   rows[i].heal,
                                       rows[i].cells[CELL_WATCH]};

                for (size_t c = 0; c < ELEMENTSOF(cells); c++)
                        if (strlen(cells[c]) > width[c])
                                width[c] = strlen(cells[c]);
        }
        /* An empty shard's report has no row to head. */
        for (size_t c = 0; n_rows > 0 && c < ELEMENTSOF(headers) - !show_watch; c++)
                pad(&out, headers[c], width[c]);
        if (n_rows > 0)
                strbuf_append(&out, "REASON\n");
        for (size_t i = 0; i < n_rows; i++) {
                const char *outcome = rows[i].cells[CELL_OUTCOME];
                const char *star = rows[i].first->changed ? "*" : rows[i].first->may_have_changed ? "?" : "";

                pad(&out, rows[i].cells[CELL_HOSTS], width[0]);
                if (color) {
                        strbuf_append(&out, colour_of(rows[i].first->rank));
                        strbuf_append(&out, outcome);
                        strbuf_append(&out, star);
                        strbuf_append(&out, "\033[0m");
                } else {
                        strbuf_append(&out, outcome);
                        strbuf_append(&out, star);
                }
                for (size_t k = strlen(outcome) + strlen(star); k < width[1] + 2; k++)
                        strbuf_append(&out, " ");
                pad(&out, rows[i].cells[CELL_FIREWALL], width[2]);
                pad(&out, rows[i].cells[CELL_DROPIN], width[3]);
                pad(&out, rows[i].cells[CELL_DOCKER], width[4]);
                pad(&out, rows[i].heal, width[5]);
                if (show_watch)
                        pad(&out, rows[i].cells[CELL_WATCH], width[6]);
                strbuf_append(&out, rows[i].cells[CELL_REASON]);
                strbuf_append(&out, "\n");
        }
        strbuf_append(&out, summary_line);
        return strbuf_steal(&out);
}

/* s for the terminal, cut after max_chars characters (0: no cut): a new
 * string, or NULL without memory. */
static char *terminal_text(const char *s, size_t max_chars) {
        struct strbuf out = STRBUF_INIT;

        tether_escape_terminal(&out, s, strlen(s), max_chars);
        return strbuf_steal(&out);
}

/* The row's cells, from its first host and its folded names hosts (which it
 * takes); -ENOMEM. */
static int fill_cells(struct row *row, char *hosts) {
        const struct host_view *view = row->first;

        row->cells[CELL_HOSTS] = terminal_text(hosts, 0);
        free(hosts);
        row->cells[CELL_OUTCOME] = terminal_text(view->outcome, OUTCOME_CHARS_MAX);
        row->cells[CELL_FIREWALL] = terminal_text(view->firewall, 0);
        row->cells[CELL_DROPIN] = terminal_text(view->dropin_state, 0);
        row->cells[CELL_DOCKER] = terminal_text(view->docker_state, 0);
        row->cells[CELL_WATCH] = terminal_text(view->watch, 0);
        row->cells[CELL_REASON] = terminal_text(view->reason, 0);
        for (size_t c = 0; c < _CELL_MAX; c++)
                if (!row->cells[c])
                        return -ENOMEM;
        return 0;
}

/* A line of its own, only where some host has watch installed. */
static void summarize_watch(const struct watch_totals *totals, size_t n, struct strbuf *line) {
        if (totals->installed == 0)
                return;
        strbuf_appendf(
                line, "watch: installed on %zu of %zu host%s, active on %zu; %lld heal%s in the last 24 h\n",
                totals->installed, n, n == 1 ? "" : "s", totals->active, totals->heals,
                totals->heals == 1 ? "" : "s");
}

static void summarize(const json_t *report, const struct host_view *views, size_t n,
                      const struct watch_totals *watch, struct strbuf *line) {
        const json_t *summary = json_object_get(report, "summary");
        const json_t *by_verdict = json_object_get(summary, "by_verdict");
        long long agentless = json_integer_value(json_object_get(summary, "agentless"));
        const char *key;
        const json_t *value;
        size_t changed = 0, may_have_changed = 0;

        for (size_t i = 0; i < n; i++) {
                changed += views[i].changed;
                may_have_changed += views[i].may_have_changed;
        }
        if (n == 0) {
                strbuf_append(line, "0 hosts: the selection left this run none (an empty --shard)\n");
                return;
        }
        strbuf_appendf(line, "\n%zu host%s:", n, n == 1 ? "" : "s");
        json_object_foreach((json_t *)by_verdict, key, value) {
                strbuf_append(line, " ");
                tether_escape_terminal(line, key, strlen(key), 0);
                strbuf_appendf(line, " %lld,", (long long)json_integer_value(value));
        }
        if (line->length > 0 && line->data[line->length - 1] == ',')
                line->data[--line->length] = '\0';
        if (changed > 0)
                strbuf_appendf(line, "; %zu changed (*)", changed);
        if (may_have_changed > 0)
                strbuf_appendf(line, "; %zu may have changed (?)", may_have_changed);
        if (agentless > 0)
                strbuf_appendf(line, "; %lld agentless", agentless);
        if (json_is_true(json_object_get(report, "interrupted")))
                strbuf_append(line, "; INTERRUPTED");
        strbuf_append(line, "\n");
        summarize_watch(watch, n, line);
}

/* What makes hosts share a row, as one string: each field with its length
 * before it, so no field's text can pass for a field boundary. */
static char *row_key(const struct host_view *view) {
        char *key;

        if (asprintf(&key, "%zu:%s%zu:%s%zu:%s%zu:%s%zu:%s%zu:%s%d%d", strlen(view->outcome), view->outcome,
                     strlen(view->firewall), view->firewall, strlen(view->dropin_state), view->dropin_state,
                     strlen(view->docker_state), view->docker_state, strlen(view->watch), view->watch,
                     strlen(view->reason), view->reason, view->changed, view->may_have_changed) < 0)
                return NULL;
        return key;
}

/* Each view's row in *row_of, rows numbered in the order their first host
 * comes, in one hashed pass (a fleet of 20,000 distinct reasons makes
 * 20,000 rows; comparing each host with every row took minutes); -ENOMEM. */
static int assign_rows(const struct host_view *views, size_t n, size_t *row_of, size_t *ret_n_rows) {
        json_t *index = json_object();
        size_t n_rows = 0;
        int r = -ENOMEM;

        if (!index)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *key = row_key(&views[i]);
                const json_t *known;

                if (!key)
                        goto out;
                known = json_object_get(index, key);
                if (known)
                        row_of[i] = (size_t)json_integer_value(known);
                else {
                        if (json_object_set_new_nocheck(index, key, json_integer((json_int_t)n_rows)) < 0)
                                goto out;
                        row_of[i] = n_rows++;
                }
        }
        *ret_n_rows = n_rows;
        r = 0;
out:
        json_decref(index);
        return r;
}

/* The rows of views, each with its hosts' names (in view order) in names,
 * its count and its heal times; -ENOMEM. */
static int gather_rows(const struct host_view *views, size_t n, struct row *rows, size_t *ret_n_rows,
                       const char **names) {
        _cleanup_free_ size_t *row_of = calloc(n ? n : 1, sizeof(*row_of));
        size_t n_rows = 0, offset = 0;

        if (!row_of || assign_rows(views, n, row_of, &n_rows) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                struct row *row = &rows[row_of[i]];

                if (row->n == 0)
                        *row = (struct row){.first = &views[i], .heal_min = -1, .heal_max = -1};
                row->n++;
                if (views[i].heal_ms >= 0) {
                        if (row->heal_min < 0 || views[i].heal_ms < row->heal_min)
                                row->heal_min = views[i].heal_ms;
                        if (views[i].heal_ms > row->heal_max)
                                row->heal_max = views[i].heal_ms;
                }
        }
        for (size_t r = 0; r < n_rows; r++) {
                rows[r].names = names + offset;
                offset += rows[r].n;
                rows[r].n = 0; /* counted again as the names go in */
        }
        for (size_t i = 0; i < n; i++) {
                struct row *row = &rows[row_of[i]];

                row->names[row->n++] = views[i].name;
        }
        *ret_n_rows = n_rows;
        return 0;
}

static void format_heal(struct row *row) {
        if (row->heal_min < 0)
                snprintf(row->heal, sizeof(row->heal), "-");
        else if (row->heal_min == row->heal_max)
                snprintf(row->heal, sizeof(row->heal), "%lld ms", row->heal_min);
        else
                snprintf(row->heal, sizeof(row->heal), "%lld-%lld ms", row->heal_min, row->heal_max);
}

char *render_text(const json_t *report, bool color) {
        struct host_view *views = NULL;
        size_t n = 0;
        char *text;

        if (report_views(report, &views, &n) < 0)
                return NULL;
        text = render_text_views(report, views, n, color);
        free(views);
        return text;
}

char *render_text_views(const json_t *report, const struct host_view *views, size_t n, bool color) {
        struct row *rows = NULL;
        struct strbuf summary_line = STRBUF_INIT;
        struct watch_totals totals;
        const char **names = NULL;
        size_t n_rows = 0;
        char *text = NULL, *hosts;

        rows = calloc(n ? n : 1, sizeof(*rows));
        names = calloc(n ? n : 1, sizeof(*names));
        /* Rows in the order of their worst (first) host. */
        if (!rows || !names || gather_rows(views, n, rows, &n_rows, names) < 0)
                goto out;
        for (size_t r = 0; r < n_rows; r++) {
                hosts = tether_hostlist_fold(rows[r].names, rows[r].n);
                if (!hosts || fill_cells(&rows[r], hosts) < 0)
                        goto out;
                format_heal(&rows[r]);
        }
        watch_totals(views, n, &totals);
        summarize(report, views, n, &totals, &summary_line);
        if (!summary_line.failed)
                text = fold_rows(rows, n_rows, color, totals.installed > 0, summary_line.data);
out:
        for (size_t r = 0; rows && r < n_rows; r++)
                for (size_t c = 0; c < _CELL_MAX; c++)
                        free(rows[r].cells[c]);
        strbuf_free(&summary_line);
        free(rows);
        free(names);
        return text;
}

/* s escaped, then spaces up to width bytes. */
static void append_padded(struct strbuf *out, const char *s, size_t width) {
        size_t start = out->length;

        tether_escape_terminal(out, s, strlen(s), 0);
        for (size_t k = out->length - start; k < width; k++)
                strbuf_append(out, " ");
}

char *render_host_line(const char *name, size_t name_width, const char *label, const char *detail,
                       double seconds) {
        struct strbuf line = STRBUF_INIT;
        char *text;

        append_padded(&line, name, name_width);
        strbuf_append(&line, " ");
        append_padded(&line, label, HOST_LINE_LABEL_WIDTH);
        strbuf_append(&line, " ");
        if (detail && *detail) {
                tether_escape_terminal(&line, detail, strlen(detail), HOST_LINE_DETAIL_CHARS_MAX);
                strbuf_append(&line, " ");
        }
        strbuf_appendf(&line, "(%.1fs)\n", seconds);
        text = strbuf_steal(&line);
        if (!text)
                errno = ENOMEM;
        return text;
}
