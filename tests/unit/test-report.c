/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for controller/report.c: the hosts and the summary of a
 * tether.report/1 document built from results of every kind (judged by the
 * agent, failed in a stage, unreachable, skipped by --max-fail, never
 * started, still running at an abort, cut off by a broken connection with
 * the agent's result read back or not known), byte for byte as docs/schema.md has
 * them, and the rule of what counts as failed read back from the report.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "macro.h"
#include "report.h"

static char *web_tags[] = {"web", NULL};
static char *no_tags[] = {NULL};

static struct tether_host hosts[] = {
        {.name = "web-01", .address = "203.0.113.10", .tags = web_tags, .n_tags = 1},
        {.name = "web-02", .address = "203.0.113.11", .tags = web_tags, .n_tags = 1},
        {.name = "db-01", .address = "db-01", .tags = no_tags},
        {.name = "db-02", .address = "db-02", .tags = no_tags},
        {.name = "lb-01", .address = "lb-01", .tags = no_tags},
        {.name = "lb-02", .address = "lb-02", .tags = no_tags},
        {.name = "app-01", .address = "app-01", .tags = no_tags},
        {.name = "app-02", .address = "app-02", .tags = no_tags},
};

static const char *const expected_hosts[] = {
        "{\"name\":\"web-01\",\"address\":\"203.0.113.10\",\"tags\":[\"web\"],\"verdict\":\"protected\","
        "\"changed\":true,\"uploaded\":true,\"mode\":\"agent\",\"agent_source\":\"deployed\",\"agent_path\":"
        "null,"
        "\"agent_exit\":0,\"timings_ms\":{\"connect\":12,\"upload\":30,"
        "\"agent\":800,\"total\":850},\"error\":null,\"agent\":{\"schema\":\"tether.host/1\","
        "\"verdict\":\"protected\",\"changed\":true}}",
        "{\"name\":\"web-02\",\"address\":\"203.0.113.11\",\"tags\":[\"web\"],\"verdict\":\"error\","
        "\"changed\":false,\"uploaded\":false,\"mode\":\"agent\",\"agent_source\":\"installed\","
        "\"agent_path\":\"/usr/libexec/tether/"
        "tether-agent\",\"agent_exit\":1,\"timings_ms\":{\"connect\":10,\"upload\":0,"
        "\"agent\":20,\"total\":31},\"error\":{\"stage\":\"sudo\",\"message\":\"sudo on 203.0.113.11 needs "
        "a "
        "password for deploy\"},\"agent\":null}",
        "{\"name\":\"db-01\",\"address\":\"db-01\",\"tags\":[],\"verdict\":\"unreachable\",\"changed\":"
        "false,"
        "\"uploaded\":false,\"mode\":\"agentless\",\"agent_source\":null,\"agent_path\":null,\"agent_exit\":"
        "-1,"
        "\"timings_ms\":{\"connect\":0,\"upload\":0,\"agent\":0,"
        "\"total\":5},\"error\":{\"stage\":\"connect\",\"message\":\"cannot connect to db-01 port 22\"},"
        "\"agent\":null}",
        "{\"name\":\"db-02\",\"address\":\"db-02\",\"tags\":[],\"verdict\":\"skipped\",\"skip_reason\":"
        "\"not "
        "started: more hosts failed than --max-fail allows\"}",
        "{\"name\":\"lb-01\",\"address\":\"lb-01\",\"tags\":[],\"verdict\":\"skipped\",\"skip_reason\":"
        "\"not "
        "started: interrupted\"}",
        "{\"name\":\"lb-02\",\"address\":\"lb-02\",\"tags\":[],\"verdict\":\"skipped\",\"skip_reason\":"
        "\"interrupted while it ran\"}",
        "{\"name\":\"app-01\",\"address\":\"app-01\",\"tags\":[],\"verdict\":\"error\",\"changed\":false,"
        "\"uploaded\":false,\"mode\":\"agent\",\"agent_source\":\"deployed\",\"agent_path\":null,\"agent_"
        "exit\":-1,"
        "\"timings_ms\":{\"connect\":9,\"upload\":0,\"agent\":1003,"
        "\"total\":2400},\"error\":{\"stage\":\"connection-lost\",\"message\":\"the connection broke while "
        "the agent "
        "ran\"},\"cut_off\":{\"step\":\"read\",\"after_ms\":1003,\"agent\":\"unknown\",\"may_have_changed\":"
        "true},"
        "\"agent\":null}",
        "{\"name\":\"app-02\",\"address\":\"app-02\",\"tags\":[],\"verdict\":\"protected\",\"changed\":"
        "true,\"uploaded\":false,\"mode\":\"agent\",\"agent_source\":\"deployed\",\"agent_path\":null,"
        "\"agent_exit\":0,"
        "\"timings_ms\":{\"connect\":9,\"upload\":0,\"agent\":"
        "900,\"total\":5800},\"error\":null,\"cut_off\":{\"step\":\"read\",\"after_ms\":900,\"agent\":"
        "\"finished\",\"may_have_changed\":false},\"agent\":{\"schema\":\"tether.host/"
        "1\",\"verdict\":\"protected\",\"changed\":true}}",
};

/* app-01 may have been changed: it counts there, and as failed. */
static const char expected_summary[] =
        "{\"hosts\":8,\"by_verdict\":{\"protected\":2,\"error\":2,\"unreachable\":1,"
        "\"skipped\":3},\"changed\":2,\"failed\":2,\"skipped\":3,\"uploaded\":1,\"may_have_changed\":1,"
        "\"agentless\":1}";

static void test_build(void **state) {
        struct host_result storage[ELEMENTSOF(hosts)] = {
                {.host = &hosts[0],
                 .done = true,
                 .started = true,
                 .verdict = HOST_VERDICT_PROTECTED,
                 .changed = true,
                 .uploaded = true,
                 .agent_exit = 0,
                 .connect_ms = 12,
                 .upload_ms = 30,
                 .agent_ms = 800,
                 .total_ms = 850},
                {.host = &hosts[1],
                 .done = true,
                 .started = true,
                 .verdict = HOST_VERDICT_ERROR,
                 .installed_agent = "/usr/libexec/tether/tether-agent",
                 .agent_exit = 1,
                 .connect_ms = 10,
                 .agent_ms = 20,
                 .total_ms = 31},
                {.host = &hosts[2],
                 .done = true,
                 .started = true,
                 .verdict = HOST_VERDICT_UNREACHABLE,
                 .agentless = true, /* --mode agentless: no agent is named */
                 .agent_exit = -1,
                 .total_ms = 5},
                {.host = &hosts[3], .skip_reason = "not started: more hosts failed than --max-fail allows"},
                {.host = &hosts[4], .skip_reason = "not started: interrupted"},
                {.host = &hosts[5], .started = true}, /* still running at an abort */
                {.host = &hosts[6], /* its connection broke, and its agent's fate is not known */
                 .done = true,
                 .started = true,
                 .verdict = HOST_VERDICT_ERROR,
                 .agent_exit = -1,
                 .connect_ms = 9,
                 .agent_ms = 1003,
                 .total_ms = 2400,
                 .cut_off = {.step = "read",
                             .after_ms = 1003,
                             .agent = AGENT_FATE_UNKNOWN,
                             .may_have_changed = true}},
                {.host = &hosts[7], /* its connection broke, and its result was read back */
                 .done = true,
                 .started = true,
                 .verdict = HOST_VERDICT_PROTECTED,
                 .changed = true,
                 .agent_exit = 0,
                 .connect_ms = 9,
                 .agent_ms = 900,
                 .total_ms = 5800,
                 .cut_off = {.step = "read", .after_ms = 900, .agent = AGENT_FATE_FINISHED}},
        };
        struct host_result *results[ELEMENTSOF(hosts)];
        json_t *options = json_object(), *report, *host;
        char *text;
        size_t i;

        storage[0].agent = json_pack("{s:s, s:s, s:b}", "schema", "tether.host/1", "verdict", "protected",
                                     "changed", 1);
        fail_host(&storage[1].failure, HOST_STAGE_SUDO, "sudo on %s needs a password for %s", "203.0.113.11",
                  "deploy");
        fail_host(&storage[2].failure, HOST_STAGE_CONNECT, "cannot connect to db-01 port 22");
        fail_host(&storage[6].failure, HOST_STAGE_CONNECTION_LOST,
                  "the connection broke while the agent ran");
        storage[7].agent = json_pack("{s:s, s:s, s:b}", "schema", "tether.host/1", "verdict", "protected",
                                     "changed", 1);
        for (i = 0; i < ELEMENTSOF(hosts); i++)
                results[i] = &storage[i];

        report = report_build(
                &(struct report_info){
                        .run_id = "R", .verb = "apply", .inventory = "hosts.json", .options = options},
                results, ELEMENTSOF(hosts));
        assert_non_null(report);
        assert_int_equal(json_array_size(json_object_get(report, "hosts")), ELEMENTSOF(expected_hosts));
        json_array_foreach(json_object_get(report, "hosts"), i, host) {
                text = json_dumps(host, JSON_COMPACT | JSON_PRESERVE_ORDER);
                assert_string_equal(text, expected_hosts[i]);
                free(text);
        }
        text = json_dumps(json_object_get(report, "summary"), JSON_COMPACT | JSON_PRESERVE_ORDER);
        assert_string_equal(text, expected_summary);
        free(text);

        /* The same rule, read from the results and from the report. */
        assert_true(report_host_failed(results[1]));
        assert_false(report_host_failed(results[0]));
        assert_false(report_host_failed(results[2]));
        assert_false(report_host_failed(results[3]));
        assert_true(report_host_failed(results[6]));
        assert_false(report_host_failed(results[7]));

        json_decref(report);
        json_decref(options);
        for (i = 0; i < ELEMENTSOF(hosts); i++)
                host_result_clear(&storage[i]);
}

/* A report of a later tether, or edited by hand: its verdicts are counted as
 * they are written, a host without one is an error, and only a mode that
 * says "agentless" counts as one. */
static void test_summary_of_foreign_hosts(void **state) {
        json_t *hosts_json =
                json_pack("[{s:s, s:s}, {s:s, s:{s:s}, s:i}, {s:s, s:{s:s}}, {}]", "verdict", "quarantined",
                          "mode", "agentless", "verdict", "quarantined", "agent", "test_result", "refused",
                          "mode", 1, "verdict", "protected", "agent", "test_result", "failed");
        json_t *summary = report_summary(hosts_json);
        char *text = json_dumps(summary, JSON_COMPACT | JSON_PRESERVE_ORDER);

        assert_string_equal(text,
                            "{\"hosts\":4,\"by_verdict\":{\"quarantined\":2,\"protected\":1,\"error\":1},"
                            "\"changed\":0,\"failed\":2,\"skipped\":0,\"uploaded\":0,\"may_have_changed\":0,"
                            "\"agentless\":1}");
        free(text);
        json_decref(summary);
        json_decref(hosts_json);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_build),
                cmocka_unit_test(test_summary_of_foreign_hosts),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
