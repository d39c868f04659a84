/* SPDX-License-Identifier: MIT */
/*
 * A report as a short Markdown summary, for a CI job summary
 * ($GITHUB_STEP_SUMMARY) or a merge request comment (GitHub and GitLab
 * flavoured Markdown): the run, its counts by outcome, a table of the hosts
 * that need attention, worst first, and every other host folded into host
 * ranges by outcome:
 *
 *   ### tether audit, run 20261127T195701Z-b0ca02
 *
 *   8 hosts: 1 unreachable, 5 vulnerable, 2 not-applicable.
 *
 *   | outcome | host | firewall | reason |
 *   | --- | --- | --- | --- |
 *   | unreachable | nft-01 | - | connect: cannot connect to 198.18.0.10 port 22: … |
 *   | vulnerable | ipt-02 | netfilter-persistent.service | netfilter-persistent.service is … |
 *
 *   - **not-applicable** (2): docker-\[01-02\]
 *
 * Where some host has tether-agent watch installed, a line under the counts
 * says where it runs and how often it healed, and the table has a watch
 * column.
 *
 * The table stops at ATTENTION_ROWS_MAX hosts ("… and 23 more."); those
 * left out are folded into the list below it with the rest.
 *
 * Every string of the report is escaped (tether_escape_markdown(), see
 * escape.h) so that it renders as the text it is and does nothing else:
 * Markdown punctuation gets a backslash (a "|" must, in a table cell), "<",
 * ">" and "&" become entities, so a host named <img src=x onerror=...> is
 * text, line breaks become spaces, so a string cannot start a block or end
 * a table row, and controls and bidi controls become U+FFFD. An "@" that
 * would mention someone is followed by a word joiner, so a host's text
 * cannot notify "@all" from a merge request.
 * Brackets of folded ranges are escaped too ("web-\[01-12\]", which renders
 * "web-[01-12]"): a folded list joins names, and "a1(x)", "a2(x)" fold to a
 * link "a[1-2](x)" otherwise.
 */
#include <errno.h>
#include <string.h>

#include "escape.h"
#include "hostlist.h"
#include "render.h"
#include "strbuf.h"

#define ATTENTION_ROWS_MAX 100u
#define CELL_CHARS_MAX 200u    /* reason, firewall */
#define NAME_CHARS_MAX 253u    /* a host name: TETHER_HOST_NAME_MAX */
#define FOLDED_CHARS_MAX 1000u /* one outcome's folded host list */
#define WORD_CHARS_MAX 64u     /* outcome, verb, run id */
#define OUTCOMES_COUNTED_MAX 20u

#define ELLIPSIS "\xe2\x80\xa6"

/* Hosts of one outcome within a range of views. */
struct group {
        const char *outcome;
        size_t n;
        size_t first; /* offset of the group's names in a shared array */
};

static const char *string_or(const json_t *json, const char *fallback) {
        const char *s = json_string_value(json);

        return s ? s : fallback;
}

/* s as inert inline Markdown text, cut after max_chars characters with "…". */
static void md_append(struct strbuf *out, const char *s, size_t max_chars) {
        tether_escape_markdown(out, s, strlen(s), max_chars);
}

/* Groups views[from, to) by outcome, in the order outcomes first appear;
 * *ret_names holds each group's names in view order, from its first. */
static int group_by_outcome(const struct host_view *views, size_t from, size_t to, struct group **ret_groups,
                            size_t *ret_n_groups, const char ***ret_names) {
        size_t n = to - from, n_groups = 0, *group_of = NULL, *filled = NULL;
        struct group *groups = NULL;
        const char **names = NULL;
        json_t *index = json_object();
        int r = -ENOMEM;

        groups = calloc(n ? n : 1, sizeof(*groups));
        names = calloc(n ? n : 1, sizeof(*names));
        group_of = calloc(n ? n : 1, sizeof(*group_of));
        filled = calloc(n ? n : 1, sizeof(*filled));
        if (!index || !groups || !names || !group_of || !filled)
                goto out;

        for (size_t i = 0; i < n; i++) {
                const struct host_view *view = &views[from + i];
                const json_t *known = json_object_get(index, view->outcome);

                if (known)
                        group_of[i] = (size_t)json_integer_value(known);
                else {
                        if (json_object_set_new_nocheck(index, view->outcome,
                                                        json_integer((json_int_t)n_groups)) < 0)
                                goto out;
                        groups[n_groups] = (struct group){.outcome = view->outcome};
                        group_of[i] = n_groups++;
                }
                groups[group_of[i]].n++;
        }
        for (size_t g = 1; g < n_groups; g++)
                groups[g].first = groups[g - 1].first + groups[g - 1].n;
        for (size_t i = 0; i < n; i++) {
                size_t g = group_of[i];

                names[groups[g].first + filled[g]++] = views[from + i].name;
        }

        *ret_groups = groups;
        *ret_n_groups = n_groups;
        *ret_names = names;
        groups = NULL;
        names = NULL;
        r = 0;
out:
        json_decref(index);
        free(groups);
        free(names);
        free(group_of);
        free(filled);
        return r;
}

/* One list item for each outcome of views[from, to): "- **protected** (12): web-\[01-12\]". */
static int append_folded(struct strbuf *out, const struct host_view *views, size_t from, size_t to) {
        struct group *groups = NULL;
        const char **names = NULL;
        size_t n_groups = 0;
        int r;

        r = group_by_outcome(views, from, to, &groups, &n_groups, &names);
        if (r < 0)
                return r;
        for (size_t g = 0; g < n_groups; g++) {
                const char *const *group_names = names + groups[g].first;
                char *folded = tether_hostlist_fold(group_names, groups[g].n);

                strbuf_append(out, "- **");
                md_append(out, groups[g].outcome, WORD_CHARS_MAX);
                strbuf_appendf(out, "** (%zu): ", groups[g].n);
                if (folded)
                        md_append(out, folded, FOLDED_CHARS_MAX);
                else if (errno == ENOMEM) {
                        r = -ENOMEM;
                        break;
                } else {
                        /* A name that cannot be folded (empty, or too long):
                         * the names as they are. */
                        struct strbuf joined = STRBUF_INIT;

                        for (size_t i = 0; i < groups[g].n && joined.length < FOLDED_CHARS_MAX; i++) {
                                strbuf_append(&joined, i ? ", " : "");
                                strbuf_append(&joined, group_names[i]);
                        }
                        if (joined.failed) {
                                strbuf_free(&joined);
                                r = -ENOMEM;
                                break;
                        }
                        md_append(out, joined.data ? joined.data : "", FOLDED_CHARS_MAX);
                        strbuf_free(&joined);
                }
                free(folded);
                strbuf_append(out, "\n");
        }
        free(groups);
        free(names);
        return r;
}

static void append_counts(struct strbuf *out, const struct host_view *views, size_t n) {
        struct group *groups = NULL;
        const char **names = NULL;
        size_t n_groups = 0, changed = 0, may_have_changed = 0;

        strbuf_appendf(out, "%zu host%s", n, n == 1 ? "" : "s");
        if (group_by_outcome(views, 0, n, &groups, &n_groups, &names) < 0) {
                out->failed = true;
                return;
        }
        for (size_t g = 0; g < n_groups; g++) {
                if (g == OUTCOMES_COUNTED_MAX) {
                        strbuf_append(out, ", " ELLIPSIS);
                        break;
                }
                strbuf_appendf(out, "%s %zu ", g == 0 ? ":" : ",", groups[g].n);
                md_append(out, groups[g].outcome, WORD_CHARS_MAX);
        }
        for (size_t i = 0; i < n; i++) {
                changed += views[i].changed;
                may_have_changed += views[i].may_have_changed;
        }
        if (changed > 0)
                strbuf_appendf(out, "; %zu changed", changed);
        if (may_have_changed > 0)
                strbuf_appendf(out, "; %zu may have changed", may_have_changed);
        strbuf_append(out, ".\n\n");
        free(groups);
        free(names);
}

static void append_row(struct strbuf *out, const struct host_view *view, bool show_watch) {
        strbuf_append(out, "| ");
        md_append(out, view->outcome, WORD_CHARS_MAX);
        strbuf_append(out, " | ");
        md_append(out, view->name, NAME_CHARS_MAX);
        strbuf_append(out, " | ");
        md_append(out, view->firewall, CELL_CHARS_MAX);
        strbuf_append(out, " | ");
        if (show_watch) {
                md_append(out, view->watch, CELL_CHARS_MAX);
                strbuf_append(out, " | ");
        }
        if (view->error_stage) {
                md_append(out, view->error_stage, WORD_CHARS_MAX);
                strbuf_append(out, ": ");
                md_append(out, view->error_message, CELL_CHARS_MAX);
        } else
                md_append(out, view->reason, CELL_CHARS_MAX);
        strbuf_append(out, " |\n");
}

/* Only where some host has watch installed: a report without it reads as before. */
static void append_watch_totals(struct strbuf *out, const struct watch_totals *totals, size_t n) {
        if (totals->installed == 0)
                return;
        strbuf_appendf(
                out,
                "tether-agent watch: installed on %zu of %zu host%s, active on %zu; %lld heal%s in the "
                "last 24 hours.\n\n",
                totals->installed, n, n == 1 ? "" : "s", totals->active, totals->heals,
                totals->heals == 1 ? "" : "s");
}

char *render_markdown(const json_t *report) {
        struct host_view *views = NULL;
        size_t n = 0;
        char *text;
        int r;

        r = report_views(report, &views, &n);
        if (r < 0) {
                errno = -r;
                return NULL;
        }
        text = render_markdown_views(report, views, n);
        free(views);
        return text;
}

char *render_markdown_views(const json_t *report, const struct host_view *views, size_t n) {
        const json_t *options = json_object_get(report, "options");
        struct strbuf out = {.limit = RENDER_SIZE_LIMIT};
        struct watch_totals totals;
        size_t n_attention = 0, n_rows;
        int r;

        /* Worst first: the hosts that need attention come first. */
        while (n_attention < n && views[n_attention].needs_attention)
                n_attention++;
        n_rows = n_attention < ATTENTION_ROWS_MAX ? n_attention : ATTENTION_ROWS_MAX;

        strbuf_append(&out, "### tether ");
        md_append(&out, string_or(json_object_get(report, "verb"), "?"), WORD_CHARS_MAX);
        if (json_is_true(json_object_get(options, "check")))
                strbuf_append(&out, " --check");
        strbuf_append(&out, ", run ");
        md_append(&out, string_or(json_object_get(report, "run_id"), "?"), WORD_CHARS_MAX);
        if (json_is_true(json_object_get(report, "interrupted")))
                strbuf_append(&out, " (interrupted)");
        strbuf_append(&out, "\n\n");

        append_counts(&out, views, n);
        watch_totals(views, n, &totals);
        append_watch_totals(&out, &totals, n);

        if (n_rows == 0)
                strbuf_append(&out, "No host needs attention.\n");
        else {
                if (totals.installed > 0)
                        strbuf_append(&out, "| outcome | host | firewall | watch | reason |\n"
                                            "| --- | --- | --- | --- | --- |\n");
                else
                        strbuf_append(&out,
                                      "| outcome | host | firewall | reason |\n| --- | --- | --- | --- |\n");
                for (size_t i = 0; i < n_rows; i++)
                        append_row(&out, &views[i], totals.installed > 0);
                if (n_attention > n_rows)
                        strbuf_appendf(&out, "\n" ELLIPSIS " and %zu more.\n", n_attention - n_rows);
        }
        if (n_rows < n) {
                strbuf_append(&out, "\n");
                r = append_folded(&out, views, n_rows, n);
                if (r < 0)
                        out.failed = true;
        }

        if (out.failed)
                errno = out.too_big ? E2BIG : ENOMEM;
        return strbuf_steal(&out);
}
