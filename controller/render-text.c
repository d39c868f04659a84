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

static bool same_row(const struct host_view *a, const struct host_view *b) {
        return strcmp(a->outcome, b->outcome) == 0 && strcmp(a->firewall, b->firewall) == 0 &&
               strcmp(a->dropin_state, b->dropin_state) == 0 &&
               strcmp(a->docker_state, b->docker_state) == 0 && strcmp(a->reason, b->reason) == 0 &&
               a->changed == b->changed && a->may_have_changed == b->may_have_changed;
}

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

static char *fold_rows(struct row *rows, size_t n_rows, bool color, const char *summary_line) {
        struct strbuf out = STRBUF_INIT;
        size_t width[6] = {5, 7, 8, 7, 6, 4};
        static const char *const headers[] = {"HOSTS", "OUTCOME", "FIREWALL", "DROP-IN", "DOCKER", "HEAL"};

        for (size_t i = 0; i < n_rows; i++) {
                const char *cells[] = {rows[i].cells[CELL_HOSTS],    rows[i].cells[CELL_OUTCOME],
                                       rows[i].cells[CELL_FIREWALL], rows[i].cells[CELL_DROPIN],
                                       rows[i].cells[CELL_DOCKER],   rows[i].heal};

                for (size_t c = 0; c < ELEMENTSOF(cells); c++)
                        if (strlen(cells[c]) > width[c])
                                width[c] = strlen(cells[c]);
        }
        for (size_t c = 0; c < ELEMENTSOF(headers); c++)
                pad(&out, headers[c], width[c]);
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
        row->cells[CELL_REASON] = terminal_text(view->reason, 0);
        for (size_t c = 0; c < _CELL_MAX; c++)
                if (!row->cells[c])
                        return -ENOMEM;
        return 0;
}

static void summarize(const json_t *report, const struct host_view *views, size_t n, struct strbuf *line) {
        const json_t *by_verdict = json_object_get(json_object_get(report, "summary"), "by_verdict");
        const char *key;
        const json_t *value;
        size_t changed = 0, may_have_changed = 0;

        for (size_t i = 0; i < n; i++) {
                changed += views[i].changed;
                may_have_changed += views[i].may_have_changed;
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
        if (json_is_true(json_object_get(report, "interrupted")))
                strbuf_append(line, "; INTERRUPTED");
        strbuf_append(line, "\n");
}

char *render_text(const json_t *report, bool color) {
        struct host_view *views = NULL;
        struct row *rows = NULL;
        struct strbuf summary_line = STRBUF_INIT;
        const char **names = NULL;
        size_t n = 0, n_rows = 0;
        char *text = NULL, *hosts;

        if (report_views(report, &views, &n) < 0)
                return NULL;
        rows = calloc(n ? n : 1, sizeof(*rows));
        names = calloc(n ? n : 1, sizeof(*names));
        if (!rows || !names)
                goto out;

        /* Rows in the order of their worst (first) host; names gathered per row. */
        for (size_t i = 0; i < n; i++) {
                size_t r;

                for (r = 0; r < n_rows; r++)
                        if (same_row(rows[r].first, &views[i]))
                                break;
                if (r == n_rows)
                        rows[n_rows++] = (struct row){.first = &views[i], .heal_min = -1, .heal_max = -1};
                rows[r].n++;
                if (views[i].heal_ms >= 0) {
                        if (rows[r].heal_min < 0 || views[i].heal_ms < rows[r].heal_min)
                                rows[r].heal_min = views[i].heal_ms;
                        if (views[i].heal_ms > rows[r].heal_max)
                                rows[r].heal_max = views[i].heal_ms;
                }
        }
        for (size_t r = 0, offset = 0; r < n_rows; r++) {
                size_t k = 0;

                rows[r].names = names + offset;
                for (size_t i = 0; i < n; i++)
                        if (same_row(rows[r].first, &views[i]))
                                rows[r].names[k++] = views[i].name;
                offset += k;
                hosts = tether_hostlist_fold(rows[r].names, k);
                if (!hosts || fill_cells(&rows[r], hosts) < 0)
                        goto out;
                if (rows[r].heal_min < 0)
                        snprintf(rows[r].heal, sizeof(rows[r].heal), "-");
                else if (rows[r].heal_min == rows[r].heal_max)
                        snprintf(rows[r].heal, sizeof(rows[r].heal), "%lld ms", rows[r].heal_min);
                else
                        snprintf(rows[r].heal, sizeof(rows[r].heal), "%lld-%lld ms", rows[r].heal_min,
                                 rows[r].heal_max);
        }
        summarize(report, views, n, &summary_line);
        if (!summary_line.failed)
                text = fold_rows(rows, n_rows, color, summary_line.data);
out:
        for (size_t r = 0; rows && r < n_rows; r++)
                for (size_t c = 0; c < _CELL_MAX; c++)
                        free(rows[r].cells[c]);
        strbuf_free(&summary_line);
        free(rows);
        free(names);
        free(views);
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
