/* SPDX-License-Identifier: MIT */
/*
 * Renderings of a tether.report/1 document for each audience: a terminal
 * table, JUnit XML for CI test reports, Markdown for job summaries and merge
 * requests, a self-contained HTML page for audits. Each is made from the
 * report alone, so a saved report renders the same as a live run
 * (tether report render).
 *
 * The hosts are first flattened into views sorted worst first: error (and
 * connection lost), unreachable, broken, start-blocked, test failed or
 * refused, vulnerable, reload-vulnerable, skipped, not-applicable,
 * protected; by name within each.
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The most a rendering may grow to. The HTML page of 20,000 hosts with
 * every detail is about 90 MB, so strbuf's 64 MiB default would refuse a
 * fleet tether is meant for; 1 GiB still stops a runaway. */
#define RENDER_SIZE_LIMIT (1024u * 1024 * 1024)

enum host_rank {
        RANK_ERROR,
        RANK_UNREACHABLE,
        RANK_BROKEN,
        RANK_START_BLOCKED,
        RANK_TEST_FAILED,
        RANK_VULNERABLE,
        RANK_RELOAD_VULNERABLE,
        RANK_SKIPPED,
        RANK_NOT_APPLICABLE,
        RANK_PROTECTED,
};

/* What a host's outcome is called in every rendering, worst first, with
 * its rank; render-views.c decides which one a host has. */
#define HOST_OUTCOMES(X)                                                  \
        X(ERROR, "error", RANK_ERROR)                                     \
        X(CONNECTION_LOST, "connection lost", RANK_ERROR)                 \
        X(UNREACHABLE, "unreachable", RANK_UNREACHABLE)                   \
        X(BROKEN, "broken", RANK_BROKEN)                                  \
        X(START_BLOCKED, "start-blocked", RANK_START_BLOCKED)             \
        X(TEST_FAILED, "test failed", RANK_TEST_FAILED)                   \
        X(TEST_REFUSED, "test refused", RANK_TEST_FAILED)                 \
        X(VULNERABLE, "vulnerable", RANK_VULNERABLE)                      \
        X(RELOAD_VULNERABLE, "reload-vulnerable", RANK_RELOAD_VULNERABLE) \
        X(SKIPPED, "skipped", RANK_SKIPPED)                               \
        X(NOT_APPLICABLE, "not-applicable", RANK_NOT_APPLICABLE)          \
        X(TEST_PASSED, "test passed", RANK_PROTECTED)                     \
        X(PROTECTED, "protected", RANK_PROTECTED)

enum host_outcome {
#define HOST_OUTCOME_ENUM(id, name, rank) HOST_OUTCOME_##id,
        HOST_OUTCOMES(HOST_OUTCOME_ENUM)
#undef HOST_OUTCOME_ENUM
                _HOST_OUTCOME_MAX,
        /* A verdict tether does not know: named as it is, ranked as an error. */
        HOST_OUTCOME_UNKNOWN = _HOST_OUTCOME_MAX,
};

/* The outcome's name; NULL for HOST_OUTCOME_UNKNOWN. */
const char *host_outcome_to_string(enum host_outcome outcome);

/* One host of a report; every pointer is borrowed from the report, or,
 * for a view of report_views_read(), from its own strings. */
struct host_view {
        const json_t *json; /* the host's object in "hosts"; NULL in report_views_read()'s */
        char *strings;      /* report_views_read()'s copies of the strings below; else NULL */
        const char *source; /* report_views_read()'s: the host's text in the report's */
        size_t source_length;
        const char *name;
        const char *address;
        const char *verdict;      /* as in the report */
        const char *outcome;      /* what the host needs said: "broken", "test failed", "protected", ... */
        const char *firewall;     /* the firewall units that flush Docker's rules, first one, or "-" */
        const char *dropin_state; /* absent, current, stale, drifted, or "-" */
        const char *docker_state; /* active, inactive, ..., or "-" */
        const char *os;           /* PRETTY_NAME, or "-" */
        const char *error_stage;  /* NULL when none */
        const char *error_message;
        const char *test_result; /* passed, failed, refused, skipped, or NULL */
        const char *skip_reason; /* NULL unless skipped */
        const char *reason;      /* the first of the agent's reasons, or the error, or "" */
        long long heal_ms;       /* -1 when no test measured it */
        long long watch_heals;   /* tether-agent watch's heals in the last 24 hours */
        bool watch_installed;    /* the agent says tether-watch.service is installed */
        bool watch_active;
        char watch[96]; /* watch in a few words (render_watch_cell()); "-" where it is not installed */
        bool changed;
        bool may_have_changed; /* its agent's run was cut off, and what it did is not known */
        bool needs_attention;  /* rank worse than skipped */
        enum host_rank rank;
};

/* A host's tether-agent watch (the agent's "watch" object, borrowed) in a
 * few words, into buf: "-" where it is not installed or the agent did not
 * say; else its state, its heals of the last 24 hours and who made the
 * last flush: "active, 2 heals/24h, last flush by nft". Not escaped. */
void render_watch_cell(const json_t *watch, char *buf, size_t size);

/* watch across the hosts: where it is installed, where active, and their
 * heals of the last 24 hours. Renderings show watch only when installed > 0,
 * so a report without it renders as it always did. */
struct watch_totals {
        size_t installed, active;
        long long heals;
};
void watch_totals(const struct host_view *views, size_t n, struct watch_totals *ret);

/* The report's hosts as views, sorted worst first (a new array of *ret_n). */
int report_views(const json_t *report, struct host_view **ret, size_t *ret_n);

/* The same for a report's text, read a host at a time (report-stream.h):
 * each view holds copies of its strings, and no host's object is kept.
 * *ret_rest is the report less its hosts, which the renderings of views
 * below take as their report. -EBADMSG for a text to read whole instead
 * (json_loadb()'s error then says what is wrong with it), -ENOMEM; the
 * outputs are untouched on failure. Free the views with host_views_free(). */
int report_views_read(const char *text, size_t size, json_t **ret_rest, struct host_view **ret,
                      size_t *ret_n);
void host_views_free(struct host_view *views, size_t n);

/* The host's object: a new reference to view->json, or for a view of
 * report_views_read() its text read again (the report's text must still
 * be there); NULL when out of memory. */
json_t *host_view_object(const struct host_view *view);

/* Each returns a new string, or NULL with errno set: ENOMEM, EINVAL for
 * something that is not a report, E2BIG past the output's size limit. */
char *render_text(const json_t *report, bool color);
char *render_junit(const json_t *report);
char *render_markdown(const json_t *report);
char *render_html(const json_t *report);

/* The terminal table and the Markdown summary of a report's views, which
 * is all they read of its hosts: report's "hosts" is not read. */
char *render_text_views(const json_t *report, const struct host_view *views, size_t n, bool color);
char *render_markdown_views(const json_t *report, const struct host_view *views, size_t n);
/* JUnit and HTML, which read each host's object again as its part is
 * written (host_view_object()). */
char *render_junit_views(const json_t *report, const struct host_view *views, size_t n);
char *render_html_views(const json_t *report, const struct host_view *views, size_t n);

/* The line printed for one host as it finishes, name padded to name_width
 * and label to 28 bytes, detail after them when not empty:
 *
 *   web-01  protected, changed           docker.service is tied to ... (1.2s)
 *
 * Each string is borrowed and escaped for the terminal (escape.h), the
 * detail cut after 1199 characters. A new string, or NULL with errno
 * ENOMEM. */
char *render_host_line(const char *name, size_t name_width, const char *label, const char *detail,
                       double seconds);
