/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for controller/render-junit.c: the real reports of
 * tests/unit/fixtures/reports/ against their golden files
 * (tests/unit/fixtures/render/NAME.xml; TETHER_UPDATE_GOLDEN=1 rewrites
 * them), each validated by xmllint against the Jenkins junit-4.xsd kept in
 * tests/unit/fixtures/junit/, its counts checked against the elements an
 * XML parser finds, how each kind of host is reported, hostile strings
 * (markup, quotes, "]]>", control characters, malformed UTF-8, and every
 * string of tests/unit/hostile-strings.h), limits, and reports that are
 * not reports.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "fileio.h"
#include "hostile-strings.h"
#include "macro.h"
#include "render.h"
#include "test-util.h"

#define XSD "tests/unit/fixtures/junit/jenkins-junit.xsd"

static const char *const fixtures[] = {"audit", "apply", "test", "failures", "hostile"};

/* The rendering of a report, in a new temporary file; its path is freed by
 * the caller after unlink(). */
static char *write_temporary(const char *text) {
        return write_temporary_file("render-junit", text, strlen(text));
}

/* Runs command (a shell line), returns its exit status; its output (stdout
 * and stderr) goes to *ret_output when that is not NULL. */
static int run(char **ret_output, const char *format, ...) _printf_(2, 3);
static int run(char **ret_output, const char *format, ...) {
        _cleanup_free_ char *command = NULL, *output = NULL;
        size_t size = 0;
        FILE *stream, *pipe;
        char buffer[4096];
        size_t n;
        va_list ap;
        int status;

        va_start(ap, format);
        assert_true(vasprintf(&command, format, ap) >= 0);
        va_end(ap);
        pipe = popen(command, "r");
        assert_non_null(pipe);
        stream = open_memstream(&output, &size);
        assert_non_null(stream);
        while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0)
                fwrite(buffer, 1, n, stream);
        fclose(stream);
        status = pclose(pipe);
        assert_true(WIFEXITED(status));
        if (ret_output)
                *ret_output = TAKE_PTR(output);
        return WEXITSTATUS(status);
}

/* The value of an XPath expression over the XML file, by xmllint. */
static char *xpath(const char *file, const char *expression) {
        char *output = NULL;
        int status = run(&output, "xmllint --xpath '%s' '%s' 2>&1", expression, file);

        if (status != 0)
                fail_msg("xmllint --xpath '%s' %s: exit %d: %s", expression, file, status, output);
        return output;
}

static long xpath_number(const char *file, const char *expression) {
        _cleanup_free_ char *value = xpath(file, expression);
        char *end;
        long number = strtol(value, &end, 10);

        if (end == value || (*end != '\0' && *end != '\n'))
                fail_msg("%s: not a number: '%s'", expression, value);
        return number;
}

static void assert_xpath_string(const char *file, const char *expression, const char *expected) {
        _cleanup_free_ char *value = xpath(file, expression);

        value[strcspn(value, "\n")] = '\0';
        assert_string_equal(value, expected);
}

static void assert_valid(const char *file) {
        _cleanup_free_ char *output = NULL;
        int status = run(&output, "xmllint --noout --schema " XSD " '%s' 2>&1", file);

        if (status != 0)
                fail_msg("%s does not validate against " XSD " (exit %d):\n%s", file, status, output);
}

/* The counts of the suite are those of the elements. */
static void assert_counts(const char *file, size_t hosts) {
        assert_int_equal(xpath_number(file, "string(/testsuite/@tests)"), (long)hosts);
        assert_int_equal(xpath_number(file, "count(/testsuite/testcase)"), (long)hosts);
        assert_int_equal(xpath_number(file, "string(/testsuite/@failures)"),
                         xpath_number(file, "count(/testsuite/testcase/failure)"));
        assert_int_equal(xpath_number(file, "string(/testsuite/@errors)"),
                         xpath_number(file, "count(/testsuite/testcase/error)"));
        assert_int_equal(xpath_number(file, "string(/testsuite/@skipped)"),
                         xpath_number(file, "count(/testsuite/testcase/skipped)"));
        /* One status at most for each host. */
        assert_int_equal(xpath_number(file, "count(/testsuite/testcase[count(failure|error|skipped) > 1])"),
                         0);
}

/* A rendering, written to a file, valid, with counts that add up. */
static char *render_checked(const json_t *report, char **ret_text) {
        _cleanup_free_ char *text = render_junit(report);
        char *file;

        assert_non_null(text);
        file = write_temporary(text);
        assert_valid(file);
        assert_counts(file, json_array_size(json_object_get(report, "hosts")));
        if (ret_text)
                *ret_text = TAKE_PTR(text);
        return file;
}

static void remove_temporary(char *file) {
        unlink(file);
        free(file);
}

/* ---- the real reports ----------------------------------------------- */

static void test_golden(void **state) {
        for (size_t i = 0; i < ELEMENTSOF(fixtures); i++) {
                json_t *report = load_fixture(fixtures[i]);
                _cleanup_free_ char *text = render_junit(report);
                _cleanup_free_ char *path = format("tests/unit/fixtures/render/%s.xml", fixtures[i]);
                _cleanup_free_ char *made_by = format("render_junit(%s.json)", fixtures[i]);

                assert_non_null(text);
                assert_golden(path, text, made_by);
                /* Made from the report alone: the same twice. */
                _cleanup_free_ char *again = render_junit(report);
                assert_string_equal(text, again);
                json_decref(report);
        }
}

static void test_fixtures_validate(void **state) {
        for (size_t i = 0; i < ELEMENTSOF(fixtures); i++) {
                json_t *report = load_fixture(fixtures[i]);
                char *file = render_checked(report, NULL);

                assert_int_equal(xpath_number(file, "count(/testsuite/properties/property)") >= 4, 1);
                remove_temporary(file);
                json_decref(report);
        }
}

/* What a host's case holds first, by the views; NULL: passed, or skipped
 * for its test (which depends on more than the view has). */
static const char *expected_element(const struct host_view *view) {
        if (view->error_stage || view->rank == RANK_ERROR || view->rank == RANK_UNREACHABLE)
                return "error";
        if (view->needs_attention)
                return "failure";
        if (view->rank == RANK_SKIPPED || view->rank == RANK_NOT_APPLICABLE)
                return "skipped";
        return NULL;
}

/* Each host's case says what the views make of it. */
static void test_fixtures_agree_with_views(void **state) {
        for (size_t i = 0; i < ELEMENTSOF(fixtures); i++) {
                json_t *report = load_fixture(fixtures[i]);
                struct host_view *views = NULL;
                size_t n = 0;
                char *file = render_checked(report, NULL);

                assert_int_equal(report_views(report, &views, &n), 0);
                for (size_t k = 0; k < n; k++) {
                        _cleanup_free_ char *expression = NULL;
                        const char *element = expected_element(&views[k]);

                        if (!element || strpbrk(views[k].name, "'\"<>&") || !*views[k].name)
                                continue;
                        assert_true(asprintf(&expression, "count(/testsuite/testcase[%zu][@name=\"%s\"]/%s)",
                                             k + 1, views[k].name, element) >= 0);
                        if (xpath_number(file, expression) != 1)
                                fail_msg("%s.json: host %s is not a <%s>", fixtures[i], views[k].name,
                                         element);
                }
                free(views);
                remove_temporary(file);
                json_decref(report);
        }
}

/* ---- reports made here ---------------------------------------------- */

static json_t *make_host(const char *name, const char *verdict, const char *test_result,
                         const char *reason) {
        return checked(json_pack(
                "{s:s, s:s, s:[s], s:s, s:b, s:b, s:i, s:{s:i, s:i, s:i, s:i}, s:n, "
                "s:{s:s, s:s, s:[s], s:[{s:s, s:b, s:b, s:b, s:b}], s:{s:s}, s:{s:s}, s:s*}}",
                "name", name, "address", "198.18.0.10", "tags", "fleet", "verdict", verdict, "changed", 0,
                "uploaded", 1, "agent_exit", 0, "timings_ms", "connect", 150, "upload", 138, "agent", 792,
                "total", 1082, "error", "agent", "schema", "tether.host/1", "verdict", verdict, "reasons",
                reason, "firewalls", "unit", "nftables.service", "enabled", 1, "active", 1,
                "flushes_docker_rules", 1, "tied", 0, "dropin", "state", "absent", "docker", "active_state",
                "active", "test_result", test_result));
}

static json_t *make_error_host(const char *name, const char *verdict, const char *stage,
                               const char *message) {
        return checked(
                json_pack("{s:s, s:s, s:[], s:s, s:b, s:b, s:i, s:{s:i, s:i, s:i, s:i}, s:{s:s, s:s}, s:n}",
                          "name", name, "address", "198.18.0.11", "tags", "verdict", verdict, "changed", 0,
                          "uploaded", 0, "agent_exit", -1, "timings_ms", "connect", 0, "upload", 0, "agent",
                          0, "total", 2002, "error", "stage", stage, "message", message, "agent"));
}

static json_t *make_skipped_host(const char *name, const char *skip_reason) {
        return checked(json_pack("{s:s, s:s, s:[], s:s, s:s}", "name", name, "address", "198.18.0.12",
                                 "tags", "verdict", "skipped", "skip_reason", skip_reason));
}

/* A report of verb over the hosts, which it steals. */
static json_t *make_report(const char *verb, json_t *hosts) {
        json_t *report =
                json_pack("{s:s, s:{s:s, s:s}, s:s, s:s, s:s, s:{s:b}, s:s, s:s, s:i, s:b, s:o}", "schema",
                          "tether.report/1", "tool", "name", "tether", "version", "0.1.0", "run_id",
                          "20261127T195701Z-b0ca02", "verb", verb, "inventory", "inventory.json", "options",
                          "check", 0, "started_at", "2026-11-27T19:57:01Z", "finished_at",
                          "2026-11-27T19:57:03Z", "duration_ms", 2005, "interrupted", 0, "hosts", hosts);

        assert_non_null(report);
        return report;
}

static char *case_status(const char *file, const char *name) {
        _cleanup_free_ char *expression = NULL;

        assert_true(asprintf(&expression, "name(/testsuite/testcase[@name=\"%s\"]/*[1])", name) >= 0);
        return xpath(file, expression);
}

static void assert_case(const char *file, const char *name, const char *expected) {
        _cleanup_free_ char *status = case_status(file, name);

        status[strcspn(status, "\n")] = '\0';
        if (strcmp(status, expected) != 0)
                fail_msg("host %s: <%s>, expected <%s>", name, status, expected);
}

static void test_statuses(void **state) {
        json_t *hosts = json_pack(
                "[o, o, o, o, o, o, o, o, o, o, o, o]",
                make_host("h-protected", "protected", NULL, "docker.service is tied to nftables.service"),
                make_host("h-vulnerable", "vulnerable", NULL, "nftables.service is running and ..."),
                make_host("h-broken", "broken", NULL, "docker is active but 2 of its rules are missing"),
                make_host("h-na", "not-applicable", NULL, "docker is not installed"),
                make_host("h-passed", "protected", "passed", "tied"),
                make_host("h-failed", "vulnerable", "failed", "untied"),
                make_host("h-refused", "protected", "refused", "near the start limit"),
                make_host("h-nothing", "protected", "skipped", "tied"),
                make_error_host("h-unreachable", "unreachable", "connect", "cannot connect to 198.18.0.11"),
                make_error_host("h-error", "error", "agent", "the agent exited with status 7"),
                make_error_host("h-rolled-back", "vulnerable", "agent",
                                "apply failed and put the files back"),
                make_skipped_host("h-skipped", "not started: interrupted"));
        json_t *report = make_report("test", hosts);
        _cleanup_free_ char *text = NULL;
        char *file = render_checked(report, &text);

        assert_case(file, "h-protected", "system-out");
        assert_case(file, "h-passed", "system-out");
        assert_case(file, "h-vulnerable", "failure");
        assert_case(file, "h-broken", "failure");
        assert_case(file, "h-failed", "failure");
        assert_case(file, "h-refused", "failure");
        assert_case(file, "h-na", "skipped");
        assert_case(file, "h-nothing", "skipped");
        assert_case(file, "h-skipped", "skipped");
        assert_case(file, "h-unreachable", "error");
        assert_case(file, "h-error", "error");
        assert_case(file, "h-rolled-back", "error");

        assert_xpath_string(file, "string(/testsuite/@name)", "tether test");
        assert_int_equal(xpath_number(file, "string(/testsuite/@failures)"), 4);
        assert_int_equal(xpath_number(file, "string(/testsuite/@errors)"), 3);
        assert_int_equal(xpath_number(file, "string(/testsuite/@skipped)"), 3);
        assert_non_null(strstr(text, " time=\"2.005\" timestamp=\"2026-11-27T19:57:01Z\">"));
        assert_non_null(
                strstr(text, "<testcase classname=\"tether.test\" name=\"h-broken\" time=\"1.082\">"));
        assert_non_null(strstr(text, "<failure type=\"test-refused\" message=\"near the start limit\">"));
        assert_non_null(strstr(text, "<error type=\"unreachable\" message=\"connect: cannot connect to "
                                     "198.18.0.11\">connect: cannot connect to 198.18.0.11\n"));
        assert_non_null(strstr(text, "<skipped>not started: interrupted</skipped>"));
        /* Worst first: the error before the protected. */
        assert_true(strstr(text, "\"h-error\"") < strstr(text, "\"h-protected\""));
        remove_temporary(file);
        json_decref(report);
}

/* Input order does not matter: the cases come worst first, by name. */
static void test_deterministic(void **state) {
        json_t *forward = make_report("audit", json_pack("[o, o, o]", make_host("a", "protected", NULL, "x"),
                                                         make_host("b", "vulnerable", NULL, "y"),
                                                         make_host("c", "vulnerable", NULL, "z")));
        json_t *backward =
                make_report("audit", json_pack("[o, o, o]", make_host("c", "vulnerable", NULL, "z"),
                                               make_host("b", "vulnerable", NULL, "y"),
                                               make_host("a", "protected", NULL, "x")));
        _cleanup_free_ char *one = render_junit(forward), *two = render_junit(backward);

        assert_non_null(one);
        assert_string_equal(one, two);
        assert_true(strstr(one, "name=\"b\"") < strstr(one, "name=\"c\""));
        assert_true(strstr(one, "name=\"c\"") < strstr(one, "name=\"a\""));
        json_decref(forward);
        json_decref(backward);
}

static void test_hostile(void **state) {
        static const char *const names[] = {
                "<img src=x onerror=alert(1)>", "a\"b'c&d",   "x]]>y",       "bell\x07tab\tnl\ncr\r",
                "nonchar\xef\xbf\xbe",          "c1\xc2\x9b", "bad\xff\xc3", "<!-- -->",
        };
        json_t *hosts = json_array();
        json_t *report;
        _cleanup_free_ char *text = NULL;
        char *file;

        /* Made with json_string_nocheck: a report in memory may hold what
         * json_loads() would refuse. */
        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                json_t *host =
                        make_host("placeholder", i % 2 ? "vulnerable" : "protected", NULL, "placeholder");

                json_object_set_new(host, "name", json_string_nocheck(names[i]));
                json_object_set_new(json_object_get(host, "agent"), "reasons",
                                    json_pack("[o]", json_string_nocheck(names[i])));
                json_array_append_new(hosts, host);
        }
        json_array_append_new(hosts, make_error_host("err", "error", "agent]]>", "<script>\"&'\x01"));
        assert_int_equal(json_array_size(hosts), ELEMENTSOF(names) + 1);
        report = make_report("audit<&>", hosts);
        file = render_checked(report, &text);

        assert_null(strstr(text, "<img"));
        assert_null(strstr(text, "]]>"));
        assert_null(strstr(text, "<!--"));
        assert_null(strstr(text, "<script"));
        assert_null(strchr(text, '\x07'));
        assert_null(strchr(text, '\r'));
        assert_null(strstr(text, "\xc2\x9b"));
        assert_null(strstr(text, "\xef\xbf\xbe"));
        assert_non_null(strstr(text, "name=\"&lt;img src=x onerror=alert(1)&gt;\""));
        assert_non_null(strstr(text, "name=\"a&quot;b&apos;c&amp;d\""));
        assert_non_null(strstr(text, "name=\"bell\xef\xbf\xbdtab&#9;nl&#10;cr&#13;\""));
        assert_non_null(strstr(text, "name=\"bad\xef\xbf\xbd\xef\xbf\xbd\""));
        assert_non_null(strstr(text, "<testsuite name=\"tether audit&lt;&amp;&gt;\""));
        assert_non_null(strstr(text, "classname=\"tether.audit&lt;&amp;&gt;\""));

        /* A parser reads back what was written. */
        assert_int_equal(xpath_number(file, "count(//testcase[@name=\"<img src=x onerror=alert(1)>\"])"), 1);
        assert_int_equal(xpath_number(file, "count(//testcase[@name=\"x]]>y\"])"), 1);
        assert_int_equal(xpath_number(file, "count(//testcase[@name=\"<!-- -->\"])"), 1);
        assert_int_equal(xpath_number(file, "count(//error[starts-with(@message, \"agent]]>: <script>\")])"),
                         1);
        remove_temporary(file);
        json_decref(report);
}

/* Each string of the table of hostile strings, after "row N: ", as a
 * host's name and reason, in one report that validates: each comes out as
 * tether_escape_xml_attribute() and tether_escape_xml_text() write it
 * (bidi controls included, which earlier versions let through), and the
 * document carries no character that must not reach a reader. */
static void test_hostile_table(void **state) {
        json_t *hosts = json_array(), *report;
        _cleanup_free_ char *text = NULL;
        char *file;

        for (size_t i = 0; i < ELEMENTSOF(hostile_strings); i++) {
                json_t *host = make_host("placeholder", "vulnerable", NULL, "placeholder");
                _cleanup_free_ char *value = NULL;

                assert_true(asprintf(&value, "row %zu: %s", i, hostile_strings[i].text) >= 0);
                json_object_set_new(host, "name", json_string_nocheck(value));
                json_object_set_new(json_object_get(host, "agent"), "reasons",
                                    json_pack("[o]", json_string_nocheck(value)));
                json_array_append_new(hosts, host);
        }
        report = make_report("audit", hosts);
        file = render_checked(report, &text);

        for (size_t i = 0; i < ELEMENTSOF(hostile_strings); i++) {
                const struct hostile_string *row = &hostile_strings[i];
                _cleanup_free_ char *name = NULL, *message = NULL, *line = NULL;

                assert_true(asprintf(&name, " name=\"row %zu: %s\"", i, row->xml_attribute) >= 0);
                assert_true(asprintf(&message, " message=\"row %zu: %s\">", i, row->xml_attribute) >= 0);
                assert_true(asprintf(&line, "\n- row %zu: %s\n", i, row->xml_text) >= 0);
                if (!strstr(text, name) || !strstr(text, message) || !strstr(text, line))
                        fail_msg("%s: not written as expected: %s, %s, %s", row->name, name, message, line);
        }
        if (hostile_raw_character(text, "\t\n"))
                fail_msg("a raw control or malformed byte at: %.40s", hostile_raw_character(text, "\t\n"));
        remove_temporary(file);
        json_decref(report);
}

static void test_hostile_fixture_escapes(void **state) {
        json_t *report = load_fixture("hostile");
        _cleanup_free_ char *text = NULL, *output = NULL;
        char *file = render_checked(report, &text);

        /* Well-formed on its own, not just valid. */
        assert_int_equal(run(&output, "xmllint --noout '%s' 2>&1", file), 0);
        for (const unsigned char *p = (const unsigned char *)text; *p; p++)
                if (*p < 0x20 && *p != '\n' && *p != '\t')
                        fail_msg("a raw control character 0x%02x at offset %zu", *p,
                                 (size_t)(p - (const unsigned char *)text));
        remove_temporary(file);
        json_decref(report);
}

static void test_limits(void **state) {
        json_t *host = make_host("many", "vulnerable", NULL, "first");
        json_t *reasons = json_object_get(json_object_get(host, "agent"), "reasons");
        _cleanup_free_ char *long_reason = malloc(5001), *text = NULL;
        json_t *report;
        char *file;

        assert_non_null(long_reason);
        memset(long_reason, 'r', 5000);
        long_reason[5000] = '\0';
        for (int i = 0; i < 29; i++)
                json_array_append_new(reasons, json_string(long_reason));
        report = make_report("audit", json_pack("[o]", host));
        file = render_checked(report, &text);

        /* 20 reasons of at most 2000 characters each, in the failure and in system-out. */
        assert_non_null(strstr(text, "- ... and 10 more\n"));
        assert_true(strlen(text) < 2 * 20 * 2010 + 4096);
        assert_non_null(strstr(text, "rrrr\xe2\x80\xa6\n"));
        remove_temporary(file);
        json_decref(report);
}

static void test_empty_and_invalid(void **state) {
        json_t *empty = make_report("audit", json_array());
        json_t *no_hosts = json_pack("{s:s}", "schema", "tether.report/1");
        json_t *bare = json_pack("{s:[]}", "hosts");
        _cleanup_free_ char *text = NULL, *bare_text = NULL;
        char *file = render_checked(empty, &text);

        assert_non_null(strstr(text, "tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\""));
        remove_temporary(file);

        /* Whatever is missing has a stand-in, and the XML is still valid. */
        bare_text = render_junit(bare);
        assert_non_null(bare_text);
        file = write_temporary(bare_text);
        assert_valid(file);
        remove_temporary(file);

        errno = 0;
        assert_null(render_junit(no_hosts));
        assert_int_equal(errno, EINVAL);
        errno = 0;
        assert_null(render_junit(NULL));
        assert_int_equal(errno, EINVAL);
        json_decref(empty);
        json_decref(no_hosts);
        json_decref(bare);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_golden),
                cmocka_unit_test(test_fixtures_validate),
                cmocka_unit_test(test_fixtures_agree_with_views),
                cmocka_unit_test(test_statuses),
                cmocka_unit_test(test_deterministic),
                cmocka_unit_test(test_hostile),
                cmocka_unit_test(test_hostile_table),
                cmocka_unit_test(test_hostile_fixture_escapes),
                cmocka_unit_test(test_limits),
                cmocka_unit_test(test_empty_and_invalid),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
