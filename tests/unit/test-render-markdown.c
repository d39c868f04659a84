/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for controller/render-markdown.c: the real reports of
 * tests/unit/fixtures/reports/ against their golden files
 * (tests/unit/fixtures/render/NAME.md; TETHER_UPDATE_GOLDEN=1 rewrites
 * them); the attention table lists exactly the hosts the views say need
 * attention, and stops at 100; the rest are folded by outcome; every
 * string of a report, hostile ones included, comes out inert (no raw "<"
 * or ">", no unescaped "|" in a cell, no unescaped backtick, bracket,
 * emphasis, no line break inside a row, no "@" mention), each string of
 * tests/unit/hostile-strings.h as tether_escape_markdown() writes it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fileio.h"
#include "hostile-strings.h"
#include "macro.h"
#include "render.h"
#include "test-util.h"

#define WORD_JOINER "\xe2\x81\xa0"

static const char *const fixtures[] = {"audit", "apply", "test", "failures", "hostile"};

/* Whether text[i] is escaped: preceded by an odd number of backslashes. */
static bool escaped(const char *text, size_t i) {
        size_t backslashes = 0;

        while (i > backslashes && text[i - backslashes - 1] == '\\')
                backslashes++;
        return backslashes % 2 == 1;
}

/* The lines of a table (header and separator included), in a new array of
 * new strings, NULL-terminated. */
static char **table_lines(const char *text) {
        char **lines = calloc(strlen(text) + 1, sizeof(char *));
        size_t n = 0;

        assert_non_null(lines);
        for (const char *line = text; *line;) {
                size_t length = strcspn(line, "\n");

                if (line[0] == '|') {
                        lines[n] = strndup(line, length);
                        assert_non_null(lines[n++]);
                }
                line += length + (line[length] == '\n');
        }
        return lines;
}

/* Cell k (from 0) of a table row, unescaped: "\|" is "|", "&lt;" is "<",
 * an "@" loses its word joiner. */
static char *cell(const char *row, size_t k) {
        char *value = malloc(strlen(row) + 1);
        size_t column = 0, length = 0;

        assert_non_null(value);
        for (size_t i = 1; row[i]; i++) {
                if (row[i] == '|' && !escaped(row, i)) {
                        if (column++ == k)
                                break;
                        continue;
                }
                if (column != k)
                        continue;
                if (row[i] == '\\' && row[i + 1]) {
                        value[length++] = row[++i];
                        continue;
                }
                if (strncmp(row + i, "&lt;", 4) == 0 || strncmp(row + i, "&gt;", 4) == 0) {
                        value[length++] = row[i + 1] == 'l' ? '<' : '>';
                        i += 3;
                        continue;
                }
                if (strncmp(row + i, "&amp;", 5) == 0) {
                        value[length++] = '&';
                        i += 4;
                        continue;
                }
                if (strncmp(row + i, WORD_JOINER, 3) == 0 && length > 0 && value[length - 1] == '@') {
                        i += 2;
                        continue;
                }
                value[length++] = row[i];
        }
        value[length] = '\0';
        /* Cells are padded with one space on each side. */
        if (length >= 2 && value[0] == ' ' && value[length - 1] == ' ') {
                memmove(value, value + 1, length - 2);
                value[length - 2] = '\0';
        }
        return value;
}

/* Nothing of a report can turn into markup. */
static void assert_inert(const char *text) {
        _cleanup_strv_free_ char **lines = table_lines(text);

        if (strchr(text, '<') || strchr(text, '>'))
                fail_msg("raw < or > in:\n%s", text);
        for (size_t i = 0; text[i]; i++) {
                /* tether writes none of these itself: each comes from a
                 * report, and must be escaped. */
                if (strchr("`[]_~$", text[i]) && !escaped(text, i))
                        fail_msg("unescaped '%c' at offset %zu in:\n%s", text[i], i, text);
                if ((unsigned char)text[i] < 0x20 && text[i] != '\n')
                        fail_msg("a raw control character 0x%02x at offset %zu", (unsigned)text[i], i);
        }
        /* Four columns, five with watch's: each row as many as the header. */
        for (size_t l = 0, columns = 0; lines[l]; l++) {
                size_t pipes = 0;

                for (size_t i = 0; lines[l][i]; i++) {
                        if (lines[l][i] == '|' && !escaped(lines[l], i))
                                pipes++;
                        if (lines[l][i] == '*' && !escaped(lines[l], i))
                                fail_msg("unescaped '*' in row: %s", lines[l]);
                }
                if (l == 0)
                        columns = strstr(lines[0], "| watch |") ? 6 : 5;
                if (pipes != columns)
                        fail_msg("%zu unescaped pipes, not %zu, in row: %s", pipes, columns, lines[l]);
        }
}

/* ---- the real reports ----------------------------------------------- */

static void test_golden(void **state) {
        for (size_t i = 0; i < ELEMENTSOF(fixtures); i++) {
                json_t *report = load_fixture(fixtures[i]);
                _cleanup_free_ char *text = render_markdown(report), *again = render_markdown(report);
                _cleanup_free_ char *path = format("tests/unit/fixtures/render/%s.md", fixtures[i]);
                _cleanup_free_ char *made_by = format("render_markdown(%s.json)", fixtures[i]);

                assert_non_null(text);
                assert_golden(path, text, made_by);
                assert_string_equal(text, again);
                json_decref(report);
        }
}

/* The table's hosts are exactly those that need attention, worst first. */
static void assert_attention_table(const json_t *report, const char *text) {
        _cleanup_strv_free_ char **lines = table_lines(text);
        struct host_view *views = NULL;
        size_t n = 0, rows = 0, attention = 0;

        assert_int_equal(report_views(report, &views, &n), 0);
        for (size_t i = 0; i < n; i++)
                attention += views[i].needs_attention;
        if (attention == 0)
                assert_null(lines[0]);
        else {
                assert_string_equal(lines[0], "| outcome | host | firewall | reason |");
                assert_string_equal(lines[1], "| --- | --- | --- | --- |");
                for (rows = 0; lines[rows + 2]; rows++) {
                        _cleanup_free_ char *host = cell(lines[rows + 2], 1);
                        _cleanup_free_ char *outcome = cell(lines[rows + 2], 0);

                        assert_true(rows < n);
                        assert_true(views[rows].needs_attention);
                        assert_string_equal(outcome, views[rows].outcome);
                        /* Hostile names come out with U+FFFD for controls. */
                        if (strspn(views[rows].name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                                     "0123456789.-_<>|`*[]&@ ") == strlen(views[rows].name))
                                assert_string_equal(host, views[rows].name);
                }
                assert_int_equal(rows, attention < 100 ? attention : 100);
        }
        free(views);
}

static void test_fixtures(void **state) {
        for (size_t i = 0; i < ELEMENTSOF(fixtures); i++) {
                json_t *report = load_fixture(fixtures[i]);
                _cleanup_free_ char *text = render_markdown(report), *title = NULL;

                assert_non_null(text);
                assert_true(asprintf(&title, "### tether %s",
                                     json_string_value(json_object_get(report, "verb"))) >= 0);
                assert_true(strncmp(text, title, strlen(title)) == 0);
                assert_inert(text);
                assert_attention_table(report, text);
                json_decref(report);
        }
}

/* ---- reports made here ---------------------------------------------- */

static json_t *make_host(const char *name, const char *verdict, const char *reason) {
        return checked(json_pack(
                "{s:s, s:s, s:[], s:s, s:b, s:b, s:i, s:{s:i}, s:n, "
                "s:{s:s, s:[s], s:[{s:s, s:b, s:b, s:b}], s:{s:s}, s:{s:s}}}",
                "name", name, "address", "198.18.0.10", "tags", "verdict", verdict, "changed", 0, "uploaded",
                1, "agent_exit", 0, "timings_ms", "total", 1082, "error", "agent", "verdict", verdict,
                "reasons", reason, "firewalls", "unit", "nftables.service", "enabled", 1, "active", 1,
                "flushes_docker_rules", 1, "dropin", "state", "absent", "docker", "active_state", "active"));
}

/* A report of verb over the hosts, which it steals. */
static json_t *make_report(const char *verb, json_t *hosts) {
        json_t *report = json_pack("{s:s, s:s, s:s, s:{s:b}, s:s, s:i, s:b, s:o}", "schema",
                                   "tether.report/1", "run_id", "20261127T195701Z-b0ca02", "verb", verb,
                                   "options", "check", 0, "started_at", "2026-11-27T19:57:01Z",
                                   "duration_ms", 2005, "interrupted", 0, "hosts", hosts);

        assert_non_null(report);
        return report;
}

static void test_folding(void **state) {
        json_t *hosts = json_array(), *report;
        _cleanup_free_ char *text = NULL;

        for (int i = 12; i >= 1; i--) {
                char name[16];

                snprintf(name, sizeof(name), "web-%02d", i);
                json_array_append_new(hosts, make_host(name, "protected", "tied"));
        }
        json_array_append_new(hosts, make_host("db-01", "protected", "tied"));
        json_array_append_new(hosts, make_host("db-02", "not-applicable", "no docker"));
        json_array_append_new(hosts, make_host("db-03", "not-applicable", "no docker"));
        report = make_report("audit", hosts);
        text = render_markdown(report);
        assert_non_null(text);
        assert_string_equal(text, "### tether audit, run 20261127T195701Z-b0ca02\n"
                                  "\n"
                                  "15 hosts: 2 not-applicable, 13 protected.\n"
                                  "\n"
                                  "No host needs attention.\n"
                                  "\n"
                                  "- **not-applicable** (2): db-\\[02-03\\]\n"
                                  "- **protected** (13): db-01,web-\\[01-12\\]\n");
        assert_inert(text);
        json_decref(report);
}

static void test_table_and_overflow(void **state) {
        json_t *hosts = json_array(), *report;
        _cleanup_free_ char *text = NULL;

        for (int i = 1; i <= 150; i++) {
                char name[16];

                snprintf(name, sizeof(name), "vuln-%03d", i);
                json_array_append_new(hosts, make_host(name, "vulnerable", "untied"));
        }
        json_array_append_new(hosts, make_host("db-01", "broken", "2 rules missing"));
        json_array_append_new(hosts, make_host("ok-1", "protected", "tied"));
        json_array_append_new(hosts, make_host("ok-2", "protected", "tied"));
        report = make_report("apply", hosts);
        text = render_markdown(report);
        assert_non_null(text);

        /* The broken host first, then 99 of the vulnerable. */
        assert_non_null(strstr(text, "| outcome | host | firewall | reason |\n| --- | --- | --- | --- |\n"
                                     "| broken | db-01 | nftables.service | 2 rules missing |\n"
                                     "| vulnerable | vuln-001 | nftables.service | untied |\n"));
        assert_non_null(strstr(text, "| vulnerable | vuln-099 | nftables.service | untied |\n"
                                     "\n"
                                     "\xe2\x80\xa6 and 51 more.\n"
                                     "\n"
                                     "- **vulnerable** (51): vuln-\\[100-150\\]\n"
                                     "- **protected** (2): ok-\\[1-2\\]\n"));
        assert_null(strstr(text, "| vuln-100 |"));
        assert_non_null(strstr(text, "153 hosts: 1 broken, 150 vulnerable, 2 protected.\n"));
        assert_inert(text);
        assert_attention_table(report, text);
        json_decref(report);
}

/* watch only where some host has it installed: a line under the counts
 * and a column of the table; its culprit is escaped as any other text. */
static void test_watch(void **state) {
        json_t *hosts = json_array(), *report;
        _cleanup_free_ char *text = NULL;

        json_array_append_new(hosts, make_host("nft-01", "vulnerable", "untied"));
        json_array_append_new(hosts, make_host("nft-02", "vulnerable", "untied"));
        json_array_append_new(hosts, make_host("ok-1", "protected", "tied"));
        json_object_set_new(json_object_get(json_array_get(hosts, 0), "agent"), "watch",
                            checked(json_pack("{s:b, s:b, s:s, s:i, s:{s:s, s:i, s:n}}", "installed", 1,
                                              "active", 1, "active_state", "active", "heals_24h", 3,
                                              "last_culprit", "name", "ip|tables", "pid", 7, "unit")));
        json_object_set_new(json_object_get(json_array_get(hosts, 2), "agent"), "watch",
                            checked(json_pack("{s:b, s:b, s:s, s:i, s:n}", "installed", 1, "active", 0,
                                              "active_state", "failed", "heals_24h", 1, "last_culprit")));
        report = make_report("audit", hosts);
        text = render_markdown(report);
        assert_non_null(text);
        assert_string_equal(text,
                            "### tether audit, run 20261127T195701Z-b0ca02\n"
                            "\n"
                            "3 hosts: 2 vulnerable, 1 protected.\n"
                            "\n"
                            "tether-agent watch: installed on 2 of 3 hosts, active on 1; 4 heals in the "
                            "last 24 hours.\n"
                            "\n"
                            "| outcome | host | firewall | watch | reason |\n"
                            "| --- | --- | --- | --- | --- |\n"
                            "| vulnerable | nft-01 | nftables.service | active, 3 heals/24h, last flush by "
                            "ip\\|tables | untied |\n"
                            "| vulnerable | nft-02 | nftables.service | - | untied |\n"
                            "\n"
                            "- **protected** (1): ok-1\n");
        assert_inert(text);
        json_decref(report);
}

static void test_hostile(void **state) {
        static const char *const names[] = {
                "<img src=x onerror=alert(1)>",
                "pipe|in|name",
                "`code` and ``more``",
                "*bold* _it_ ~~s~~ $x$",
                "[link](https://example.com) ![i](x)",
                "line\nbreak\r\n| --- |",
                "back\\slash\\|",
                "&lt;script&gt;",
                "bell\x07 c1\xc2\x9b bidi\xe2\x80\xae!",
                "bad\xff\xc3",
        };
        json_t *hosts = json_array(), *report;
        _cleanup_free_ char *text = NULL;

        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                /* Each name twice: in the table, and folded in the list. */
                json_t *host = make_host("placeholder", "vulnerable", "r");
                json_t *folded = make_host("placeholder", "protected", "r");

                json_object_set_new(host, "name", json_string_nocheck(names[i]));
                json_object_set_new(json_object_get(host, "agent"), "reasons",
                                    json_pack("[o]", json_string_nocheck(names[i])));
                json_array_append_new(hosts, host);
                json_object_set_new(folded, "name", json_string_nocheck(names[i]));
                json_array_append_new(hosts, folded);
        }
        json_array_append_new(hosts,
                              make_host("mention", "broken", "ping @all and @here, not user@example.com"));
        assert_int_equal(json_array_size(hosts), 2 * ELEMENTSOF(names) + 1);
        report = make_report("audit", hosts);
        json_object_set_new(report, "run_id", json_string("run`<b>|"));
        text = render_markdown(report);
        assert_non_null(text);
        assert_inert(text);
        assert_attention_table(report, text);

        assert_non_null(strstr(text, "&lt;img src=x onerror=alert(1)&gt;"));
        assert_non_null(strstr(text, "pipe\\|in\\|name"));
        assert_non_null(strstr(text, "\\`code\\` and \\`\\`more\\`\\`"));
        assert_non_null(strstr(text, "\\*bold\\* \\_it\\_ \\~\\~s\\~\\~ \\$x\\$"));
        assert_non_null(strstr(text, "\\[link\\](https://example.com) !\\[i\\](x)"));
        assert_non_null(strstr(text, "| line break  \\| --- \\| |"));
        assert_non_null(strstr(text, "back\\\\slash\\\\\\|"));
        assert_non_null(strstr(text, "&amp;lt;script&amp;gt;"));
        assert_non_null(strstr(text, "bell\xef\xbf\xbd c1\xef\xbf\xbd bidi\xef\xbf\xbd!"));
        assert_non_null(strstr(text, "bad\xef\xbf\xbd\xef\xbf\xbd"));
        assert_non_null(
                strstr(text, "ping @" WORD_JOINER "all and @" WORD_JOINER "here, not user@example.com"));
        assert_non_null(strstr(text, "### tether audit, run run\\`&lt;b&gt;\\|\n"));
        json_decref(report);
}

/* Each string of the table of hostile strings as a host's name and reason:
 * its row holds what tether_escape_markdown() makes of them, and the
 * summary no character that must not reach a reader. */
static void test_hostile_table(void **state) {
        for (size_t i = 0; i < ELEMENTSOF(hostile_strings); i++) {
                const struct hostile_string *row = &hostile_strings[i];
                json_t *host = make_host("placeholder", "vulnerable", "placeholder");
                _cleanup_free_ char *text = NULL, *expected = NULL;
                json_t *report;

                json_object_set_new(host, "name", json_string_nocheck(row->text));
                json_object_set_new(json_object_get(host, "agent"), "reasons",
                                    json_pack("[o]", json_string_nocheck(row->text)));
                report = make_report("audit", json_pack("[o]", host));
                text = render_markdown(report);
                assert_non_null(text);
                assert_true(asprintf(&expected, "| vulnerable | %s | nftables.service | %s |\n",
                                     row->markdown, row->markdown) >= 0);
                if (!strstr(text, expected))
                        fail_msg("%s: no row \"%s\" in:\n%s", row->name, expected, text);
                if (hostile_raw_character(text, "\n"))
                        fail_msg("%s: a raw control or malformed byte in:\n%s", row->name, text);
                assert_inert(text);
                json_decref(report);
        }
}

static void test_long_strings(void **state) {
        _cleanup_free_ char *reason = malloc(1001), *text = NULL;
        json_t *report;

        assert_non_null(reason);
        memset(reason, 'r', 1000);
        reason[1000] = '\0';
        report = make_report("audit", json_pack("[o]", make_host("web-01", "vulnerable", reason)));
        text = render_markdown(report);
        assert_non_null(text);
        /* 200 characters, then "…". */
        assert_non_null(strstr(text, " | rrrr"));
        assert_non_null(strstr(text, "r\xe2\x80\xa6 |\n"));
        assert_true(strlen(strstr(text, " | rrrr")) < 200 + 16);
        json_decref(report);
}

static void test_empty_and_invalid(void **state) {
        json_t *empty = make_report("test", json_array());
        json_t *not_a_report = json_pack("{s:s}", "schema", "tether.report/1");
        _cleanup_free_ char *text = render_markdown(empty);

        assert_non_null(text);
        assert_string_equal(text, "### tether test, run 20261127T195701Z-b0ca02\n"
                                  "\n"
                                  "0 hosts.\n"
                                  "\n"
                                  "No host needs attention.\n");
        errno = 0;
        assert_null(render_markdown(not_a_report));
        assert_int_equal(errno, EINVAL);
        errno = 0;
        assert_null(render_markdown(NULL));
        assert_int_equal(errno, EINVAL);
        json_decref(empty);
        json_decref(not_a_report);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_golden),
                cmocka_unit_test(test_fixtures),
                cmocka_unit_test(test_folding),
                cmocka_unit_test(test_table_and_overflow),
                cmocka_unit_test(test_watch),
                cmocka_unit_test(test_hostile),
                cmocka_unit_test(test_hostile_table),
                cmocka_unit_test(test_long_strings),
                cmocka_unit_test(test_empty_and_invalid),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
