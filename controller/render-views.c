/* SPDX-License-Identifier: MIT */
/*
 * Flattening a report's hosts into views sorted worst first (see render.h),
 * the one place that decides what a host's outcome is called and how bad it
 * is, so every rendering agrees.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "failure.h"
#include "outcome.h"
#include "render.h"
#include "report-stream.h"

static const char *string_at(const json_t *object, const char *key, const char *fallback) {
        const char *value = json_string_value(json_object_get(object, key));

        return value ? value : fallback;
}

static const struct {
        const char *name;
        enum host_rank rank;
} outcomes[_HOST_OUTCOME_MAX] = {
#define HOST_OUTCOME_ENTRY(id, name_, rank_) [HOST_OUTCOME_##id] = {.name = (name_), .rank = (rank_)},
        HOST_OUTCOMES(HOST_OUTCOME_ENTRY)
#undef HOST_OUTCOME_ENTRY
};

const char *host_outcome_to_string(enum host_outcome outcome) {
        return (unsigned)outcome < _HOST_OUTCOME_MAX ? outcomes[outcome].name : NULL;
}

/* A host that did not run through is named for that (a connection lost
 * after login first: whatever verdict it has, what was done there may not
 * be known); then a test that failed or was refused outweighs the verdict
 * it left. */
static enum host_outcome outcome_of(const char *verdict_name, const char *test_result_name,
                                    const char *error_stage) {
        enum test_result test_result = test_result_from_string(test_result_name);
        enum host_verdict verdict = HOST_VERDICT_NONE;

        if (error_stage && strcmp(error_stage, host_stage_to_string(HOST_STAGE_CONNECTION_LOST)) == 0)
                return HOST_OUTCOME_CONNECTION_LOST;
        (void)host_verdict_from_string(verdict_name, &verdict);
        switch (verdict) {
        case HOST_VERDICT_ERROR:
                return HOST_OUTCOME_ERROR;
        case HOST_VERDICT_UNREACHABLE:
                return HOST_OUTCOME_UNREACHABLE;
        case HOST_VERDICT_BROKEN:
                return HOST_OUTCOME_BROKEN;
        case HOST_VERDICT_START_BLOCKED:
                return HOST_OUTCOME_START_BLOCKED;
        default:
                break;
        }
        if (test_result == TEST_RESULT_FAILED)
                return HOST_OUTCOME_TEST_FAILED;
        if (test_result == TEST_RESULT_REFUSED)
                return HOST_OUTCOME_TEST_REFUSED;
        switch (verdict) {
        case HOST_VERDICT_VULNERABLE:
                return HOST_OUTCOME_VULNERABLE;
        case HOST_VERDICT_RELOAD_VULNERABLE:
                return HOST_OUTCOME_RELOAD_VULNERABLE;
        case HOST_VERDICT_SKIPPED:
                return HOST_OUTCOME_SKIPPED;
        case HOST_VERDICT_NOT_APPLICABLE:
                return HOST_OUTCOME_NOT_APPLICABLE;
        case HOST_VERDICT_PROTECTED:
                return test_result == TEST_RESULT_PASSED ? HOST_OUTCOME_TEST_PASSED : HOST_OUTCOME_PROTECTED;
        default:
                return HOST_OUTCOME_UNKNOWN;
        }
}

static void classify(struct host_view *view) {
        enum host_outcome outcome = outcome_of(view->verdict, view->test_result, view->error_stage);

        if (outcome == HOST_OUTCOME_UNKNOWN) {
                view->rank = RANK_ERROR;
                view->outcome = view->verdict;
        } else {
                view->rank = outcomes[outcome].rank;
                view->outcome = outcomes[outcome].name;
        }
        view->needs_attention = view->rank < RANK_SKIPPED;
}

void render_watch_cell(const json_t *watch, char *buf, size_t size) {
        const json_t *heals = json_object_get(watch, "heals_24h");
        const char *state = json_string_value(json_object_get(watch, "active_state"));
        const char *culprit =
                json_string_value(json_object_get(json_object_get(watch, "last_culprit"), "name"));
        size_t length;

        if (!json_is_true(json_object_get(watch, "installed"))) {
                snprintf(buf, size, "-");
                return;
        }
        if (!state)
                state = json_is_true(json_object_get(watch, "active")) ? "active" : "inactive";
        /* Each part cut short: a report may come from anywhere. */
        length = (size_t)snprintf(buf, size, "%.24s", state);
        if (length < size && json_is_integer(heals) && json_integer_value(heals) > 0)
                length += (size_t)snprintf(
                        buf + length, size - length, ", %" JSON_INTEGER_FORMAT " heal%s/24h",
                        json_integer_value(heals), json_integer_value(heals) == 1 ? "" : "s");
        if (length < size && culprit && *culprit)
                (void)snprintf(buf + length, size - length, ", last flush by %.32s", culprit);
}

void watch_totals(const struct host_view *views, size_t n, struct watch_totals *ret) {
        *ret = (struct watch_totals){};
        for (size_t i = 0; i < n; i++) {
                ret->installed += views[i].watch_installed;
                ret->active += views[i].watch_installed && views[i].watch_active;
                ret->heals += views[i].watch_installed ? views[i].watch_heals : 0;
        }
}

/* The agent's "watch" object, where it has one (agents before it have none). */
static void fill_watch(struct host_view *view, const json_t *agent) {
        const json_t *watch = json_object_get(agent, "watch"), *heals = json_object_get(watch, "heals_24h");

        view->watch_installed = json_is_true(json_object_get(watch, "installed"));
        view->watch_active = json_is_true(json_object_get(watch, "active"));
        view->watch_heals =
                json_is_integer(heals) && json_integer_value(heals) > 0 ? json_integer_value(heals) : 0;
        render_watch_cell(watch, view->watch, sizeof(view->watch));
}

static void fill(struct host_view *view, const json_t *host) {
        const json_t *agent = json_object_get(host, "agent"), *error = json_object_get(host, "error");
        const json_t *firewalls = json_object_get(agent, "firewalls"),
                     *tests = json_object_get(agent, "tests");
        const json_t *first_test = json_array_get(tests, 0), *firewall;
        size_t i;

        *view = (struct host_view){
                .json = host,
                .name = string_at(host, "name", "?"),
                .address = string_at(host, "address", "?"),
                .verdict = string_at(host, "verdict", host_verdict_to_string(HOST_VERDICT_ERROR)),
                .firewall = "-",
                .dropin_state = string_at(json_object_get(agent, "dropin"), "state", "-"),
                .docker_state = string_at(json_object_get(agent, "docker"), "active_state", "-"),
                .os = string_at(json_object_get(json_object_get(agent, "host"), "os"), "pretty_name", "-"),
                .error_stage = json_is_object(error) ? string_at(error, "stage", "?") : NULL,
                .error_message = json_is_object(error) ? string_at(error, "message", "") : NULL,
                .test_result = string_at(agent, "test_result", NULL),
                .skip_reason = string_at(host, "skip_reason", NULL),
                .heal_ms = json_is_integer(json_object_get(first_test, "heal_ms"))
                                   ? (long long)json_integer_value(json_object_get(first_test, "heal_ms"))
                                   : -1,
                .changed = json_is_true(json_object_get(host, "changed")),
                .may_have_changed =
                        json_is_true(json_object_get(json_object_get(host, "cut_off"), "may_have_changed")),
        };
        json_array_foreach(firewalls, i, firewall) {
                if (json_is_true(json_object_get(firewall, "flushes_docker_rules")) &&
                    (json_is_true(json_object_get(firewall, "enabled")) ||
                     json_is_true(json_object_get(firewall, "active")))) {
                        view->firewall = string_at(firewall, "unit", "-");
                        break;
                }
        }
        if (view->error_message)
                view->reason = view->error_message;
        else if (view->skip_reason)
                view->reason = view->skip_reason;
        else if (first_test && json_is_string(json_object_get(first_test, "reason")))
                view->reason = string_at(first_test, "reason", "");
        else {
                const json_t *first_reason = json_array_get(json_object_get(agent, "reasons"), 0);

                view->reason = json_is_string(first_reason) ? json_string_value(first_reason) : "";
        }
        fill_watch(view, agent);
        classify(view);
}

static int compare_views(const void *a, const void *b) {
        const struct host_view *x = a, *y = b;

        if (x->rank != y->rank)
                return x->rank < y->rank ? -1 : 1;
        return strcmp(x->name, y->name);
}

int report_views(const json_t *report, struct host_view **ret, size_t *ret_n) {
        const json_t *hosts = json_object_get(report, "hosts"), *host;
        struct host_view *views;
        size_t i, n = json_array_size(hosts);

        if (!json_is_array(hosts))
                return -EINVAL;
        views = calloc(n ? n : 1, sizeof(*views));
        if (!views)
                return -ENOMEM;
        json_array_foreach(hosts, i, host) fill(&views[i], host);
        qsort(views, n, sizeof(*views), compare_views);
        *ret = views;
        *ret_n = n;
        return 0;
}

/* The view's strings copied into one block of its own, so that it outlives
 * its host's object; -ENOMEM. */
static int view_keep_strings(struct host_view *view) {
        const char **fields[] = {
                &view->name,          &view->address,      &view->verdict,     &view->firewall,
                &view->dropin_state,  &view->docker_state, &view->os,          &view->error_stage,
                &view->error_message, &view->test_result,  &view->skip_reason, &view->reason,
        };
        bool outcome_is_verdict = view->outcome == view->verdict;
        size_t total = 0, length;
        char *at;

        for (size_t i = 0; i < ELEMENTSOF(fields); i++)
                total += *fields[i] ? strlen(*fields[i]) + 1 : 0;
        view->strings = at = malloc(total ? total : 1);
        if (!at)
                return -ENOMEM;
        for (size_t i = 0; i < ELEMENTSOF(fields); i++)
                if (*fields[i]) {
                        length = strlen(*fields[i]) + 1;
                        memcpy(at, *fields[i], length);
                        *fields[i] = at;
                        at += length;
                }
        if (outcome_is_verdict) /* a verdict tether does not know, named as it is */
                view->outcome = view->verdict;
        view->json = NULL;
        return 0;
}

json_t *host_view_object(const struct host_view *view) {
        if (view->json)
                return json_incref((json_t *)view->json);
        /* Read once already (report_stream_read()): only memory can fail. */
        return json_loadb(view->source, view->source_length, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, NULL);
}

void host_views_free(struct host_view *views, size_t n) {
        for (size_t i = 0; views && i < n; i++)
                free(views[i].strings);
        free(views);
}

struct views_read {
        struct host_view *views;
        size_t n, allocated;
};

static int read_one(const json_t *host, const char *source, size_t length, size_t index, void *userdata) {
        struct views_read *read = userdata;

        if (read->n == read->allocated) {
                size_t allocated = read->allocated ? read->allocated * 2 : 256;
                struct host_view *views = reallocarray(read->views, allocated, sizeof(*views));

                if (!views)
                        return -ENOMEM;
                read->views = views;
                read->allocated = allocated;
        }
        fill(&read->views[read->n], host);
        if (view_keep_strings(&read->views[read->n]) < 0)
                return -ENOMEM;
        read->views[read->n].source = source;
        read->views[read->n].source_length = length;
        read->n++;
        return 0;
}

int report_views_read(const char *text, size_t size, json_t **ret_rest, struct host_view **ret,
                      size_t *ret_n) {
        struct views_read read = {};
        json_t *rest = NULL;
        int r;

        r = report_stream_read(text, size, read_one, &read, &rest);
        if (r >= 0 && !read.views && !(read.views = calloc(1, sizeof(*read.views)))) {
                json_decref(rest);
                r = -ENOMEM;
        }
        if (r < 0) {
                host_views_free(read.views, read.n);
                return r;
        }
        qsort(read.views, read.n, sizeof(*read.views), compare_views);
        *ret_rest = rest;
        *ret = read.views;
        *ret_n = read.n;
        return 0;
}
