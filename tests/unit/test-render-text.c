/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for controller/render-text.c: the terminal's table of a small
 * report, plain and coloured, byte for byte; each string of
 * tests/unit/hostile-strings.h as a host's reason, firewall, name and
 * verdict, which come out as tether_escape_terminal() writes them, with no
 * control character but tether's own colours and line ends; hosts whose
 * run was cut off, marked when they may have changed; tether-agent watch,
 * its cell and its column and line only where some host has it; and the line
 * of a host as it finishes (render_host_line()), benign, hostile and long.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "hostile-strings.h"
#include "macro.h"
#include "render.h"

static json_t *make_host(const char *name, const char *verdict, const char *firewall, const char *reason) {
        json_t *host =
                json_pack("{s:s, s:s, s:s, s:{s:[s], s:[{s:s, s:b, s:b}], s:{s:s}, s:{s:s}}}", "name",
                          "placeholder", "address", "198.18.0.10", "verdict", verdict, "agent", "reasons",
                          "placeholder", "firewalls", "unit", "placeholder", "flushes_docker_rules", 1,
                          "active", 1, "dropin", "state", "absent", "docker", "active_state", "active");
        json_t *agent;

        assert_non_null(host);
        agent = json_object_get(host, "agent");
        /* json_string_nocheck: a report in memory may hold what a file may not. */
        json_object_set_new(host, "name", json_string_nocheck(name));
        json_object_set_new(agent, "reasons", json_pack("[o]", json_string_nocheck(reason)));
        json_object_set_new(json_array_get(json_object_get(agent, "firewalls"), 0), "unit",
                            json_string_nocheck(firewall));
        return host;
}

/* A report of the hosts, which it steals, and their counts by verdict. */
static json_t *make_report(json_t *hosts) {
        json_t *by_verdict = json_object(), *host;
        json_t *report;
        size_t i;

        json_array_foreach(hosts, i, host) {
                const char *verdict = json_string_value(json_object_get(host, "verdict"));
                json_t *count = json_object_get(by_verdict, verdict);

                json_object_set_new_nocheck(by_verdict, verdict,
                                            json_integer(count ? json_integer_value(count) + 1 : 1));
        }
        report = json_pack("{s:s, s:s, s:o, s:{s:o}}", "schema", "tether.report/1", "verb", "audit", "hosts",
                           hosts, "summary", "by_verdict", by_verdict);
        assert_non_null(report);
        return report;
}

static void test_table(void **state) {
        json_t *hosts = json_pack("[o, o, o]", make_host("web-01", "protected", "nftables.service", "tied"),
                                  make_host("web-02", "protected", "nftables.service", "tied"),
                                  make_host("db-01", "vulnerable", "iptables.service", "not tied"));
        json_t *report;
        _cleanup_free_ char *plain = NULL, *coloured = NULL;

        json_object_set_new(json_array_get(hosts, 0), "changed", json_true());
        json_object_set_new(json_array_get(hosts, 1), "changed", json_true());
        report = make_report(hosts);
        plain = render_text(report, false);
        coloured = render_text(report, true);
        assert_non_null(plain);
        assert_non_null(coloured);
        assert_string_equal(plain,
                            "HOSTS        OUTCOME     FIREWALL          DROP-IN  DOCKER  HEAL  REASON\n"
                            "db-01        vulnerable  iptables.service  absent   active  -     not tied\n"
                            "web-[01-02]  protected*  nftables.service  absent   active  -     tied\n"
                            "\n"
                            "3 hosts: protected 2, vulnerable 1; 2 changed (*)\n");
        assert_string_equal(
                coloured, "HOSTS        OUTCOME     FIREWALL          DROP-IN  DOCKER  HEAL  REASON\n"
                          "db-01        \033[33mvulnerable\033[0m  iptables.service  absent   active  -     "
                          "not tied\n"
                          "web-[01-02]  \033[32mprotected*\033[0m  nftables.service  absent   active  -     "
                          "tied\n"
                          "\n"
                          "3 hosts: protected 2, vulnerable 1; 2 changed (*)\n");
        json_decref(report);
}

/* The summary's count of hosts that ran without the agent ends the line;
 * none, and it says nothing. */
static void test_agentless_count(void **state) {
        json_t *report = make_report(
                json_pack("[o, o]", make_host("old-01", "vulnerable", "iptables.service", "not tied"),
                          make_host("old-02", "vulnerable", "iptables.service", "not tied")));
        _cleanup_free_ char *text = NULL;

        json_object_set_new(json_object_get(report, "summary"), "agentless", json_integer(2));
        text = render_text(report, false);
        assert_non_null(text);
        assert_non_null(strstr(text, "\n2 hosts: vulnerable 2; 2 agentless\n"));
        json_decref(report);
}

/* An empty shard's report: no table to head, and a line that says why. */
static void test_no_host(void **state) {
        json_t *report = make_report(json_array());
        _cleanup_free_ char *text = NULL;

        text = render_text(report, false);
        assert_non_null(text);
        assert_string_equal(text, "0 hosts: the selection left this run none (an empty --shard)\n");
        json_decref(report);
}

/* Hosts share a row exactly when every column but the name is the same:
 * text that moves from one field to the next (a firewall ending in what
 * the reason starts with) makes another row, and rows come in the order of
 * their first host, names in report order. */
static void test_rows_group_exactly(void **state) {
        static const struct {
                const char *name, *verdict, *firewall, *reason;
        } hosts_in[] = {
                {"a-1", "vulnerable", "x.service", "1:y"}, {"b-1", "vulnerable", "x.service1:", "y"},
                {"a-2", "vulnerable", "x.service", "1:y"}, {"c-1", "vulnerable", "x.service", "1:y2:z"},
                {"b-2", "vulnerable", "x.service1:", "y"}, {"a-3", "vulnerable", "x.service", "1:y"},
        };
        static const char *const rows_expected[] = {
                "a-[1-3]  ",
                "b-[1-2]  ",
                "c-1      ",
        };
        json_t *hosts = json_array();
        json_t *report;
        _cleanup_free_ char *text = NULL;
        const char *line;

        for (size_t i = 0; i < ELEMENTSOF(hosts_in); i++)
                json_array_append_new(hosts, make_host(hosts_in[i].name, hosts_in[i].verdict,
                                                       hosts_in[i].firewall, hosts_in[i].reason));
        report = make_report(hosts);
        text = render_text(report, false);
        assert_non_null(text);
        line = strchr(text, '\n') + 1;
        for (size_t r = 0; r < ELEMENTSOF(rows_expected); r++) {
                assert_memory_equal(line, rows_expected[r], strlen(rows_expected[r]));
                line = strchr(line, '\n') + 1;
        }
        assert_memory_equal(line, "\n6 hosts", strlen("\n6 hosts"));
        json_decref(report);
}

/* A host whose connection broke after login: "connection lost", marked
 * "?" and counted when what its agent did is not known; a run read back
 * is the agent's, as any other. */
static json_t *cut_off_host(const char *name, const char *fate, const char *message) {
        return json_pack("{s:s, s:s, s:s, s:b, s:{s:s, s:s}, s:{s:s, s:i, s:s, s:b}}", "name", name,
                         "address", "198.18.0.11", "verdict", "error", "changed", 0, "error", "stage",
                         "connection-lost", "message", message, "cut_off", "step", "read", "after_ms", 1003,
                         "agent", fate, "may_have_changed", strcmp(fate, "unknown") == 0);
}

static void test_cut_off_hosts(void **state) {
        json_t *read_back = make_host("web-01", "protected", "nftables.service", "tied");
        json_t *report;
        _cleanup_free_ char *text = NULL;

        json_object_set_new(read_back, "changed", json_true());
        json_object_set_new(
                read_back, "cut_off",
                json_pack("{s:s, s:i, s:s}", "step", "read", "after_ms", 900, "agent", "finished"));
        report =
                make_report(json_pack("[o, o, o]", cut_off_host("app-01", "unknown", "it may have changed"),
                                      cut_off_host("app-02", "not-started", "it did not start"), read_back));
        text = render_text(report, false);
        assert_non_null(text);
        assert_string_equal(text,
                            "HOSTS   OUTCOME          FIREWALL          DROP-IN  DOCKER  HEAL  REASON\n"
                            "app-01  connection lost? -                 -        -       -     it may have "
                            "changed\n"
                            "app-02  connection lost  -                 -        -       -     it did not "
                            "start\n"
                            "web-01  protected*       nftables.service  absent   active  -     tied\n"
                            "\n"
                            "3 hosts: error 2, protected 1; 1 changed (*); 1 may have changed (?)\n");
        json_decref(report);
}

/* Each string of the table after "row N: " as a reason, after "fw N: " as
 * a firewall unit. */
static void test_hostile_table(void **state) {
        json_t *hosts = json_array(), *report;
        _cleanup_free_ char *text = NULL;

        for (size_t i = 0; i < ELEMENTSOF(hostile_strings); i++) {
                _cleanup_free_ char *name = NULL, *firewall = NULL, *reason = NULL;

                assert_true(asprintf(&name, "h-%zu", i) >= 0);
                assert_true(asprintf(&firewall, "fw %zu: %s", i, hostile_strings[i].text) >= 0);
                assert_true(asprintf(&reason, "row %zu: %s", i, hostile_strings[i].text) >= 0);
                json_array_append_new(hosts, make_host(name, "vulnerable", firewall, reason));
        }
        report = make_report(hosts);
        text = render_text(report, true);
        assert_non_null(text);

        for (size_t i = 0; i < ELEMENTSOF(hostile_strings); i++) {
                const struct hostile_string *row = &hostile_strings[i];
                _cleanup_free_ char *firewall = NULL, *reason = NULL;

                assert_true(asprintf(&firewall, "  fw %zu: %s  ", i, row->terminal) >= 0);
                assert_true(asprintf(&reason, "  row %zu: %s\n", i, row->terminal) >= 0);
                if (!strstr(text, firewall) || !strstr(text, reason))
                        fail_msg("%s: not written as expected: \"%s\", \"%s\"", row->name, firewall, reason);
        }
        /* One line a row, and no escape sequence but the colours. */
        {
                size_t lines = 0;

                for (const char *p = text; (p = strchr(p, '\n')); p++)
                        lines++;
                assert_int_equal(lines, 1 + ELEMENTSOF(hostile_strings) + 2);
        }
        for (const char *p = strchr(text, '\033'); p; p = strchr(p + 1, '\033'))
                if (strncmp(p, "\033[33m", 5) != 0 && strncmp(p, "\033[0m", 4) != 0)
                        fail_msg("an escape sequence not of tether's own: %.20s", p);
        json_decref(report);
}

/* A name and a verdict from the report, which tether did not write. */
static void test_hostile_name_and_verdict(void **state) {
        json_t *report = make_report(json_pack(
                "[o]", make_host("a\x1b]52;c;aGk=\x07", "\xe2\x80\xae\x1b[2J", "fw.service", "reason")));
        _cleanup_free_ char *text = render_text(report, false);

        assert_non_null(text);
        assert_string_equal(
                text, "HOSTS              OUTCOME        FIREWALL    DROP-IN  DOCKER  HEAL  REASON\n"
                      "a\\x1b]52;c;aGk=\\a  \\u202e\\x1b[2J  fw.service  absent   active  -     reason\n"
                      "\n"
                      "1 host: \\u202e\\x1b[2J 1\n");
        assert_null(hostile_raw_character(text, "\n"));
        json_decref(report);
}

/* What a host's watch cell says, from its agent's "watch" object. */
static void test_watch_cell(void **state) {
        static const struct {
                const char *watch, *cell;
        } cases[] = {
                {"null", "-"},
                {"{}", "-"},
                {"{\"installed\": false, \"active\": false, \"heals_24h\": 0}", "-"},
                {"{\"installed\": true, \"active\": true, \"active_state\": \"active\", \"heals_24h\": 0, "
                 "\"last_culprit\": null}",
                 "active"},
                {"{\"installed\": true, \"active\": true, \"active_state\": \"active\", \"heals_24h\": 1, "
                 "\"last_culprit\": {\"name\": \"nft\", \"pid\": 4242, \"unit\": null}}",
                 "active, 1 heal/24h, last flush by nft"},
                {"{\"installed\": true, \"active\": false, \"active_state\": \"failed\", \"heals_24h\": 12, "
                 "\"last_culprit\": {\"name\": null, \"pid\": null, \"unit\": null}}",
                 "failed, 12 heals/24h"},
                /* Without active_state (it is the agent's to say): from active. */
                {"{\"installed\": true, \"active\": false}", "inactive"},
                {"{\"installed\": true, \"active\": true, \"heals_24h\": -3, \"last_culprit\": {\"name\": "
                 "\"\"}}",
                 "active"},
                {"{\"installed\": true, \"active_state\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", "
                 "\"last_culprit\": {\"name\": \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"}}",
                 "aaaaaaaaaaaaaaaaaaaaaaaa, last flush by bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                json_t *watch = json_loads(cases[i].watch, JSON_DECODE_ANY, NULL);
                char cell[96];

                print_message("case: %s\n", cases[i].watch);
                assert_non_null(watch);
                render_watch_cell(watch, cell, sizeof(cell));
                assert_string_equal(cell, cases[i].cell);
                json_decref(watch);
        }
}

/* A host whose agent reports watch (an installed one, when heals > -1). */
static json_t *watch_host(const char *name, const char *verdict, long long heals, const char *culprit) {
        json_t *host = make_host(name, verdict, "nftables.service", "not tied");
        json_t *watch =
                heals < 0 ? json_pack("{s:b, s:b, s:n, s:i, s:n}", "installed", 0, "active", 0,
                                      "active_state", "heals_24h", 0, "last_culprit")
                          : json_pack("{s:b, s:b, s:s, s:I, s:{s:s, s:i, s:n}}", "installed", 1, "active", 1,
                                      "active_state", "active", "heals_24h", (json_int_t)heals,
                                      "last_culprit", "name", culprit, "pid", 7, "unit");

        assert_non_null(watch);
        json_object_set_new(json_object_get(host, "agent"), "watch", watch);
        return host;
}

/* Only where some host has watch installed: its column and its line; hosts
 * with a different watch make rows of their own. */
static void test_watch(void **state) {
        json_t *report = make_report(json_pack("[o, o, o, o]", watch_host("nft-01", "vulnerable", 2, "nft"),
                                               watch_host("nft-02", "vulnerable", 2, "nft"),
                                               watch_host("nft-03", "vulnerable", 1, "iptables"),
                                               watch_host("ipt-01", "vulnerable", -1, NULL)));
        json_t *without = make_report(json_pack("[o]", watch_host("ipt-01", "vulnerable", -1, NULL)));
        _cleanup_free_ char *text = render_text(report, false), *plain = render_text(without, false);

        assert_non_null(text);
        assert_string_equal(text,
                            "HOSTS        OUTCOME     FIREWALL          DROP-IN  DOCKER  "
                            "HEAL  WATCH                                       REASON\n"
                            "ipt-01       vulnerable  nftables.service  absent   active  "
                            "-     -                                           not tied\n"
                            "nft-[01-02]  vulnerable  nftables.service  absent   active  "
                            "-     active, 2 heals/24h, last flush by nft      not tied\n"
                            "nft-03       vulnerable  nftables.service  absent   active  "
                            "-     active, 1 heal/24h, last flush by iptables  not tied\n"
                            "\n"
                            "4 hosts: vulnerable 4\n"
                            "watch: installed on 3 of 4 hosts, active on 3; 5 heals in the last 24 h\n");
        assert_non_null(plain);
        assert_string_equal(plain, "HOSTS   OUTCOME     FIREWALL          DROP-IN  DOCKER  HEAL  REASON\n"
                                   "ipt-01  vulnerable  nftables.service  absent   active  -     not tied\n"
                                   "\n"
                                   "1 host: vulnerable 1\n");
        json_decref(report);
        json_decref(without);
}

static void test_host_line(void **state) {
        static const struct {
                const char *name;
                size_t width;
                const char *label, *detail, *expected;
        } rows[] = {
                {"web-01", 8, "protected, changed", "docker.service is tied to nftables.service",
                 "web-01   protected, changed           docker.service is tied to nftables.service "
                 "(1.2s)\n"},
                {"db-1", 2, "protected", "", "db-1 protected                    (1.2s)\n"},
                {"db-1", 4, "protected", NULL, "db-1 protected                    (1.2s)\n"},
                {"h", 1, "error (connect)", "cannot connect: \x1b]52;c;aGk=\x07 \xe2\x80\xae!\xff",
                 "h error (connect)              cannot connect: \\x1b]52;c;aGk=\\a \\u202e!\\xff (1.2s)\n"},
                {"h", 1, "vulnerable, test \x1b[31mpassed\x1b[0m", "r",
                 "h vulnerable, test \\x1b[31mpassed\\x1b[0m r (1.2s)\n"},
                {"h", 1, "protected", "line\nbreak\r\\",
                 "h protected                    line\\nbreak\\r\\\\ (1.2s)\n"},
        };

        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                _cleanup_free_ char *line =
                        render_host_line(rows[i].name, rows[i].width, rows[i].label, rows[i].detail, 1.234);

                assert_non_null(line);
                assert_string_equal(line, rows[i].expected);
        }
}

/* Each string of the table as a detail; a detail of 5000 characters is cut
 * after 1199 of them. */
static void test_host_line_hostile_and_long(void **state) {
        _cleanup_free_ char *long_detail = malloc(5001), *line = NULL;

        for (size_t i = 0; i < ELEMENTSOF(hostile_strings); i++) {
                _cleanup_free_ char *detail = NULL, *got = NULL, *expected = NULL;

                assert_true(asprintf(&detail, "row %zu: %s", i, hostile_strings[i].text) >= 0);
                assert_true(asprintf(&expected, "h protected                    row %zu: %s (0.0s)\n", i,
                                     hostile_strings[i].terminal) >= 0);
                got = render_host_line("h", 1, "protected", detail, 0);
                assert_non_null(got);
                assert_string_equal(got, expected);
                assert_null(hostile_raw_character(got, "\n"));
        }

        assert_non_null(long_detail);
        memset(long_detail, 'r', 5000);
        long_detail[5000] = '\0';
        line = render_host_line("h", 1, "protected", long_detail, 0);
        assert_non_null(line);
        assert_int_equal(strlen(line),
                         strlen("h protected                    ") + 1199 + strlen("\xe2\x80\xa6 (0.0s)\n"));
        assert_non_null(strstr(line, "rrr\xe2\x80\xa6 (0.0s)\n"));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_table),
                cmocka_unit_test(test_agentless_count),
                cmocka_unit_test(test_no_host),
                cmocka_unit_test(test_rows_group_exactly),
                cmocka_unit_test(test_cut_off_hosts),
                cmocka_unit_test(test_hostile_table),
                cmocka_unit_test(test_hostile_name_and_verdict),
                cmocka_unit_test(test_watch_cell),
                cmocka_unit_test(test_watch),
                cmocka_unit_test(test_host_line),
                cmocka_unit_test(test_host_line_hostile_and_long),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
