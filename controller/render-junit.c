/* SPDX-License-Identifier: MIT */
/*
 * A report as JUnit XML, for the test report views of GitLab (artifacts:
 * reports: junit) and Jenkins (junit step). The shape is the Jenkins/Ant
 * one that both read, checked against the Jenkins junit-4.xsd kept at
 * tests/unit/fixtures/junit/jenkins-junit.xsd: one suite for the run, one
 * test case for each host, worst first (render.h):
 *
 *   <?xml version="1.0" encoding="UTF-8"?>
 *   <testsuite name="tether audit" tests="3" failures="1" errors="1" skipped="0"
 *              time="2.005" timestamp="2026-11-27T19:57:01Z">
 *     <properties><property name="tether.run_id" value="20261127T195701Z-b0ca02"/>...</properties>
 *     <testcase classname="tether.audit" name="nft-01" time="2.002">
 *       <error type="unreachable" message="connect: cannot connect to ...">connect: ...</error>
 *       <system-out>...</system-out>
 *     </testcase>
 *     <testcase classname="tether.audit" name="ipt-02" time="1.082">
 *       <failure type="vulnerable" message="nftables.service is running ...">...</failure>
 *       ...
 *
 * A host is an <error> when its verb did not run through (an "error" object,
 * or the error and unreachable verdicts); a <failure> when it needs attention
 * otherwise (broken, a failed or refused test, vulnerable); <skipped> when it
 * was not run, has nothing to do (not-applicable) or its test had nothing to
 * test; else it passed. So the counts are the numbers of those elements.
 *
 * Every string of the report is escaped (tether_escape_xml_text() and
 * tether_escape_xml_attribute(), see escape.h); characters XML 1.0 does not
 * allow (most C0 controls, U+FFFE, U+FFFF, malformed UTF-8), and C1
 * controls, DEL and bidi controls, which it allows but which act in a log
 * viewer or reorder what a CI page shows, become U+FFFD. No CDATA sections,
 * so "]]>" in a string is just text.
 */
#include <errno.h>
#include <string.h>

#include "escape.h"
#include "render.h"
#include "strbuf.h"

/* Bounds on what one host's agent can make us write (it may print 1 MiB). */
#define JUNIT_STRING_CHARS_MAX 2000u
#define JUNIT_REASONS_MAX 20u

enum case_status {
        CASE_PASSED,
        CASE_FAILED,
        CASE_ERROR,
        CASE_SKIPPED,
        _CASE_STATUS_MAX,
};

/* s as XML character data or, with attribute, as an attribute value in
 * double quotes, cut after max_chars characters with "…" (escape.h). */
static void xml_append(struct strbuf *out, const char *s, size_t max_chars, bool attribute) {
        if (attribute)
                tether_escape_xml_attribute(out, s, strlen(s), max_chars);
        else
                tether_escape_xml_text(out, s, strlen(s), max_chars);
}

static void xml_attribute(struct strbuf *out, const char *name, const char *value) {
        strbuf_appendf(out, " %s=\"", name);
        xml_append(out, value, JUNIT_STRING_CHARS_MAX, true);
        strbuf_append(out, "\"");
}

/* Milliseconds as the seconds JUnit's time attributes hold: "1.082". */
static void seconds_attribute(struct strbuf *out, const char *name, const json_t *ms) {
        long long value = json_is_integer(ms) ? (long long)json_integer_value(ms) : 0;

        if (value < 0)
                value = 0;
        strbuf_appendf(out, " %s=\"%lld.%03lld\"", name, value / 1000, value % 1000);
}

static const char *string_or(const json_t *json, const char *fallback) {
        const char *s = json_string_value(json);

        return s ? s : fallback;
}

static bool test_skipped(const struct host_view *view) {
        return view->test_result && strcmp(view->test_result, "skipped") == 0;
}

/* The views decide how bad a host is (render.h); an "error" object is an
 * error here whatever the verdict, since the verb did not run through: an
 * apply that failed and rolled back may leave a host "vulnerable". */
static enum case_status status_of(const struct host_view *view) {
        if (view->error_stage || view->rank == RANK_ERROR || view->rank == RANK_UNREACHABLE)
                return CASE_ERROR;
        if (view->needs_attention)
                return CASE_FAILED;
        if (view->rank == RANK_SKIPPED || view->rank == RANK_NOT_APPLICABLE || test_skipped(view))
                return CASE_SKIPPED;
        return CASE_PASSED;
}

/* The type attribute, from a fixed vocabulary: GitLab reads the XML with
 * Rails' Hash.from_xml, which treats type="array", "yaml", "file", ... as
 * type casts, so no string of the report may go there. */
static const char *status_type(const struct host_view *view, enum case_status status) {
        if (status == CASE_ERROR)
                return view->rank == RANK_UNREACHABLE ? "unreachable" : "error";
        switch (view->rank) {
        case RANK_BROKEN:
                return "broken";
        case RANK_START_BLOCKED:
                return "start-blocked";
        case RANK_TEST_FAILED:
                return view->test_result && strcmp(view->test_result, "refused") == 0 ? "test-refused"
                                                                                      : "test-failed";
        case RANK_VULNERABLE:
                return "vulnerable";
        case RANK_RELOAD_VULNERABLE:
                return "reload-vulnerable";
        default:
                return "error";
        }
}

static void append_reasons(struct strbuf *out, const json_t *host) {
        const json_t *agent = json_object_get(host, "agent");
        const json_t *reasons = json_object_get(agent, "reasons"), *tests = json_object_get(agent, "tests");
        const json_t *item;
        size_t i;

        json_array_foreach(reasons, i, item) {
                if (i == JUNIT_REASONS_MAX) {
                        strbuf_appendf(out, "- ... and %zu more\n", json_array_size(reasons) - i);
                        break;
                }
                strbuf_append(out, "- ");
                xml_append(out, string_or(item, "?"), JUNIT_STRING_CHARS_MAX, false);
                strbuf_append(out, "\n");
        }
        json_array_foreach(tests, i, item) {
                if (i == JUNIT_REASONS_MAX)
                        break;
                strbuf_append(out, "- test of ");
                xml_append(out, string_or(json_object_get(item, "unit"), "?"), JUNIT_STRING_CHARS_MAX,
                           false);
                if (json_is_string(json_object_get(item, "scenario"))) {
                        strbuf_append(out, " (");
                        xml_append(out, json_string_value(json_object_get(item, "scenario")),
                                   JUNIT_STRING_CHARS_MAX, false);
                        strbuf_append(out, ")");
                }
                strbuf_append(out, ": ");
                xml_append(out, string_or(json_object_get(item, "result"), "?"), JUNIT_STRING_CHARS_MAX,
                           false);
                if (json_is_integer(json_object_get(item, "heal_ms")))
                        strbuf_appendf(out, ", healed in %lld ms",
                                       (long long)json_integer_value(json_object_get(item, "heal_ms")));
                if (json_is_string(json_object_get(item, "reason"))) {
                        strbuf_append(out, ": ");
                        xml_append(out, json_string_value(json_object_get(item, "reason")),
                                   JUNIT_STRING_CHARS_MAX, false);
                }
                strbuf_append(out, "\n");
        }
}

static void append_line(struct strbuf *out, const char *label, const char *value) {
        strbuf_appendf(out, "%s: ", label);
        xml_append(out, value, JUNIT_STRING_CHARS_MAX, false);
        strbuf_append(out, "\n");
}

/* <failure>, <error> or <skipped>: GitLab shows only the element's text for
 * such a case (not its message attribute, not <system-out>), so the text
 * says it all. */
static void append_status(struct strbuf *out, const struct host_view *view, const json_t *host,
                          enum case_status status) {
        const char *element = status == CASE_ERROR ? "error" : "failure";
        const char *message = view->reason && *view->reason ? view->reason : view->outcome;

        if (status == CASE_SKIPPED) {
                /* junit-4.xsd has <skipped> as text only; Jenkins reads the
                 * text when there is no message attribute. */
                if (view->skip_reason)
                        message = view->skip_reason;
                else if (test_skipped(view) &&
                         json_is_string(json_object_get(json_object_get(host, "agent"), "test_reason")))
                        message = json_string_value(
                                json_object_get(json_object_get(host, "agent"), "test_reason"));
                strbuf_append(out, "    <skipped>");
                xml_append(out, message, JUNIT_STRING_CHARS_MAX, false);
                strbuf_append(out, "</skipped>\n");
                return;
        }
        if (status == CASE_PASSED)
                return;

        strbuf_appendf(out, "    <%s type=\"%s\"", element, status_type(view, status));
        if (view->error_stage) {
                /* "connect: cannot connect to ...", in the attribute and the text. */
                strbuf_append(out, " message=\"");
                xml_append(out, view->error_stage, JUNIT_STRING_CHARS_MAX, true);
                strbuf_append(out, ": ");
                xml_append(out, view->error_message, JUNIT_STRING_CHARS_MAX, true);
                strbuf_append(out, "\">");
                xml_append(out, view->error_stage, JUNIT_STRING_CHARS_MAX, false);
                strbuf_append(out, ": ");
                xml_append(out, view->error_message, JUNIT_STRING_CHARS_MAX, false);
                strbuf_append(out, "\n");
                if (strcmp(view->verdict, "error") != 0 && strcmp(view->verdict, "unreachable") != 0)
                        append_line(out, "verdict", view->verdict);
        } else {
                xml_attribute(out, "message", message);
                strbuf_append(out, ">");
                xml_append(out, view->outcome, JUNIT_STRING_CHARS_MAX, false);
                strbuf_append(out, "\n");
        }
        append_reasons(out, host);
        strbuf_appendf(out, "</%s>\n", element);
}

static void append_testcase(struct strbuf *out, const char *verb, const struct host_view *view,
                            enum case_status status) {
        json_t *host = host_view_object(view);

        if (!host) {
                out->failed = true;
                return;
        }

        /* classname "tether.apply": GitLab lists it as the case's suite
         * ("tether.apply", "web-01"); Jenkins splits a classname at its last
         * dot into package and class, so this is package "tether", class
         * "apply", where a bare "apply" would land in "(root)". */
        strbuf_append(out, "  <testcase classname=\"tether.");
        xml_append(out, verb, JUNIT_STRING_CHARS_MAX, true);
        strbuf_append(out, "\"");
        xml_attribute(out, "name", view->name);
        seconds_attribute(out, "time", json_object_get(json_object_get(host, "timings_ms"), "total"));
        strbuf_append(out, ">\n");

        append_status(out, view, host, status);

        /* What the host is like, as far as its agent told. */
        strbuf_append(out, "    <system-out>");
        append_line(out, "outcome", view->outcome);
        append_line(out, "address", view->address);
        if (strcmp(view->verdict, view->outcome) != 0 && !view->skip_reason)
                append_line(out, "verdict", view->verdict);
        if (json_is_object(json_object_get(host, "agent"))) {
                append_line(out, "firewall", view->firewall);
                append_line(out, "drop-in", view->dropin_state);
                append_line(out, "docker", view->docker_state);
                append_line(out, "os", view->os);
        }
        if (view->changed)
                strbuf_append(out, "changed: yes\n");
        else if (view->may_have_changed)
                strbuf_append(out, "changed: maybe (its agent's run was cut off)\n");
        if (view->heal_ms >= 0)
                strbuf_appendf(out, "heal: %lld ms\n", view->heal_ms);
        append_reasons(out, host);
        strbuf_append(out, "</system-out>\n");
        strbuf_append(out, "  </testcase>\n");
        json_decref(host);
}

static void append_property(struct strbuf *out, const char *name, const char *value) {
        strbuf_appendf(out, "    <property name=\"%s\"", name);
        xml_attribute(out, "value", value);
        strbuf_append(out, "/>\n");
}

char *render_junit(const json_t *report) {
        struct host_view *views = NULL;
        size_t n = 0;
        char *text;
        int r;

        r = report_views(report, &views, &n);
        if (r < 0) {
                errno = -r;
                return NULL;
        }
        text = render_junit_views(report, views, n);
        free(views);
        return text;
}

char *render_junit_views(const json_t *report, const struct host_view *views, size_t n) {
        struct strbuf out = {.limit = RENDER_SIZE_LIMIT};
        size_t counts[_CASE_STATUS_MAX] = {0};
        enum case_status *statuses;
        const char *verb = string_or(json_object_get(report, "verb"), "run");
        const char *started_at = json_string_value(json_object_get(report, "started_at"));

        statuses = calloc(n ? n : 1, sizeof(*statuses));
        if (!statuses) {
                errno = ENOMEM;
                return NULL;
        }
        for (size_t i = 0; i < n; i++) {
                statuses[i] = status_of(&views[i]);
                counts[statuses[i]]++;
        }

        strbuf_append(&out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        strbuf_append(&out, "<testsuite name=\"tether ");
        xml_append(&out, verb, JUNIT_STRING_CHARS_MAX, true);
        strbuf_appendf(&out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\"", n,
                       counts[CASE_FAILED], counts[CASE_ERROR], counts[CASE_SKIPPED]);
        seconds_attribute(&out, "time", json_object_get(report, "duration_ms"));
        /* As the report has it, UTC with its "Z". Ant wrote local time
         * without a zone; a reader that parses only that form (Jenkins may)
         * takes the "Z" off and is off by its own zone, but a zoneless time
         * would be wrong for every reader not in UTC. GitLab ignores it. */
        if (started_at)
                xml_attribute(&out, "timestamp", started_at);
        /* No hostname: the cases ran on many hosts, each named by its case. */
        strbuf_append(&out, ">\n  <properties>\n");
        append_property(&out, "tether.run_id", string_or(json_object_get(report, "run_id"), "?"));
        append_property(&out, "tether.version",
                        string_or(json_object_get(json_object_get(report, "tool"), "version"), "?"));
        append_property(&out, "tether.inventory", string_or(json_object_get(report, "inventory"), "?"));
        if (json_is_boolean(json_object_get(json_object_get(report, "options"), "check")))
                append_property(&out, "tether.check",
                                json_is_true(json_object_get(json_object_get(report, "options"), "check"))
                                        ? "true"
                                        : "false");
        append_property(&out, "tether.interrupted",
                        json_is_true(json_object_get(report, "interrupted")) ? "true" : "false");
        strbuf_append(&out, "  </properties>\n");

        for (size_t i = 0; i < n; i++)
                append_testcase(&out, verb, &views[i], statuses[i]);
        strbuf_append(&out, "</testsuite>\n");

        free(statuses);
        if (out.failed)
                errno = out.too_big ? E2BIG : ENOMEM;
        return strbuf_steal(&out);
}
