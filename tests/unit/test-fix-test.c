/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/fix-test.c, what a test of the fix concludes with or
 * without the agent: the refusals in their order, which units a test
 * takes, each entry as docs/schema.md has it, the repair's words, and the
 * overall result.
 */
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <errno.h>

#include "fix-test.h"
#include "macro.h"

static char *no_names[] = {NULL};
static char *iptables_names[] = {"iptables.service", "ip4tables.service", NULL};

/* A host the test may proceed on: docker active, every rule there, room
 * under the start limit; then each row changes one thing. */
struct refusal_row {
        const char *name;
        const char *docker_active, *docker_result; /* NULL active: docker.service not found */
        bool nftables_backend;
        size_t rules_missing;
        unsigned start_room_in_sec;
        const char *firewall_active;
        bool firewall_reloads;
        enum tether_test_scenario scenario;
        const char *refused; /* a word of the refusal, NULL: none */
};

static const struct refusal_row refusal_rows[] = {
        {"healthy", "active", "success", false, 0, 0, "active", false, TETHER_TEST_SCENARIO_RESTART, NULL},
        {"stop-start", "active", "success", false, 0, 0, "active", false, TETHER_TEST_SCENARIO_STOP_START,
         NULL},
        {"reload without ExecReload=", "active", "success", false, 0, 0, "active", false,
         TETHER_TEST_SCENARIO_RELOAD, "cannot reload"},
        {"reload with ExecReload=", "active", "success", false, 0, 0, "active", true,
         TETHER_TEST_SCENARIO_RELOAD, NULL},
        {"nftables backend", "active", "success", true, 0, 0, "active", false, TETHER_TEST_SCENARIO_RESTART,
         "nftables tables of its own"},
        {"nftables backend before all else", NULL, NULL, true, 3, 30, "failed", false,
         TETHER_TEST_SCENARIO_RESTART, "nftables tables of its own"},
        {"start limit hit", "failed", "start-limit-hit", false, 0, 0, "active", false,
         TETHER_TEST_SCENARIO_RESTART, "failed at its start limit"},
        {"docker inactive", "inactive", "success", false, 0, 0, "active", false,
         TETHER_TEST_SCENARIO_RESTART, "not active"},
        {"docker not installed", NULL, NULL, false, 0, 0, "active", false, TETHER_TEST_SCENARIO_RESTART,
         "not active"},
        {"rules missing", "active", "success", false, 1, 0, "active", false, TETHER_TEST_SCENARIO_RESTART,
         "missing already"},
        {"near the start limit", "active", "success", false, 0, 12, "active", false,
         TETHER_TEST_SCENARIO_RESTART, "near its start limit"},
        /* A failed firewall is refused for itself only where docker's state
         * would not refuse the test anyway. */
        {"firewall failed", "active", "success", false, 0, 0, "failed", false, TETHER_TEST_SCENARIO_RESTART,
         "failed state"},
        {"firewall failed, docker inactive", "inactive", "success", false, 0, 0, "failed", false,
         TETHER_TEST_SCENARIO_RESTART, "not active"},
};

static void test_refusals(void **state) {
        (void)state;
        for (size_t i = 0; i < ELEMENTSOF(refusal_rows); i++) {
                const struct refusal_row *row = &refusal_rows[i];
                struct tether_unit docker = {
                        .id = "docker.service",
                        .names = no_names,
                        .load_state = row->docker_active ? "loaded" : "not-found",
                        .active_state = row->docker_active ? (char *)row->docker_active : "inactive",
                        .result = (char *)row->docker_result,
                };
                struct tether_unit firewall = {
                        .id = "iptables.service",
                        .names = iptables_names,
                        .load_state = "loaded",
                        .active_state = (char *)row->firewall_active,
                        .has_exec_reload = row->firewall_reloads,
                };
                struct tether_host_facts facts = {.docker = &docker,
                                                  .start_room_in_sec = row->start_room_in_sec};
                struct tether_judgement judgement = {.docker_uses_nftables = row->nftables_backend,
                                                     .rules_missing = row->rules_missing};
                struct tether_firewall_judgement judged = {
                        .unit = &firewall, .flushes = true, .enabled = true};
                const char *why = tether_test_refusal(&facts, &judgement, &judged, row->scenario);
                json_t *entry;

                print_message("%s\n", row->name);
                if (!row->refused) {
                        assert_null(why);
                        continue;
                }
                assert_non_null(why);
                assert_non_null(strstr(why, row->refused));
                entry = tether_test_refused_entry("iptables.service", why, &facts);
                assert_string_equal(json_string_value(json_object_get(entry, "result")), "refused");
                assert_string_equal(json_string_value(json_object_get(entry, "reason")), why);
                /* Only the start limit's refusal says when to retry. */
                assert_int_equal(json_integer_value(json_object_get(entry, "retry_after_sec")),
                                 why == tether_test_near_start_limit ? row->start_room_in_sec : 0);
                json_decref(entry);
        }
}

static void test_which_units_a_test_takes(void **state) {
        struct tether_unit firewall = {.id = "iptables.service", .names = iptables_names};
        struct tether_firewall_judgement judged = {.unit = &firewall, .flushes = true, .enabled = true};

        (void)state;
        assert_true(tether_test_takes(&judged, NULL));
        assert_true(tether_test_takes(&judged, "iptables"));
        assert_true(tether_test_takes(&judged, "ip4tables.service"));
        assert_false(tether_test_takes(&judged, "nftables.service"));
        judged.enabled = false;
        assert_false(tether_test_takes(&judged, NULL));
        judged.active = true; /* running, though not enabled */
        assert_true(tether_test_takes(&judged, NULL));
        judged.flushes = false;
        assert_false(tether_test_takes(&judged, NULL));
}

struct entry_row {
        const char *name;
        struct tether_test_observation seen;
        const char *error;
        const char *result, *reason; /* reason: tether_test_failure_reason()'s word, NULL when passed */
        bool repair;
};

static const struct entry_row entry_rows[] = {
        {"healed",
         {.docker_restarted = true, .docker_active = true, .healed = true, .heal_usec = 1234567},
         NULL,
         "passed",
         NULL,
         false},
        {"left stopped",
         {.docker_restarted = true, .docker_active = false, .missing = 40},
         NULL,
         "failed",
         "left stopped",
         true},
        /* At the end of the wait docker was still on its way back: a slow
         * host, not a policy that leaves it stopped. */
        {"still starting",
         {.docker_restarted = true, .docker_changing = true, .missing = 40},
         NULL,
         "failed",
         "still starting or stopping",
         true},
        {"not restarted, rules lost",
         {.docker_active = true, .missing = 12},
         NULL,
         "failed",
         "stayed lost",
         true},
        {"not restarted, rules kept",
         {.docker_active = true, .healed = true},
         NULL,
         "failed",
         "was not restarted with the firewall",
         false},
        {"restarted, rules not back",
         {.docker_restarted = true, .docker_active = true, .missing = 2},
         NULL,
         "failed",
         "did not all come back",
         true},
        /* The firewall's stop failed (systemd 247 in a container, at
         * times: 219/CGROUP): nothing was flushed, and the reason says the
         * test proved little, not that Docker's rules survive. */
        {"stop failed, nothing flushed",
         {.docker_active = true, .healed = true, .stop_failure = {CLD_EXITED, 219}},
         NULL,
         "failed",
         "stop command failed",
         false},
        {"stop failed, tied",
         {.docker_restarted = true,
          .docker_active = true,
          .healed = true,
          .heal_usec = 1234567,
          .stop_failure = {CLD_EXITED, 219}},
         NULL,
         "passed",
         NULL,
         false},
        {"job failed",
         {.docker_active = true, .healed = true, .docker_restarted = true},
         "RestartUnit iptables.service: systemd's job ended with \"failed\"",
         "failed",
         NULL,
         false},
};

static void test_entries(void **state) {
        (void)state;
        for (size_t i = 0; i < ELEMENTSOF(entry_rows); i++) {
                const struct entry_row *row = &entry_rows[i];
                bool passed = !row->result;
                json_t *entry =
                        tether_test_entry("iptables.service", "restart", &row->seen, row->error, &passed);

                print_message("%s\n", row->name);
                assert_non_null(entry);
                assert_string_equal(json_string_value(json_object_get(entry, "result")), row->result);
                assert_int_equal(passed, strcmp(row->result, "passed") == 0);
                if (row->error) {
                        /* The job failed: nothing of docker was watched. */
                        assert_true(json_is_null(json_object_get(entry, "docker_restarted")));
                        assert_true(json_is_null(json_object_get(entry, "docker_active")));
                        assert_true(json_is_null(json_object_get(entry, "rules_missing")));
                } else {
                        assert_int_equal(json_is_true(json_object_get(entry, "docker_restarted")),
                                         row->seen.docker_restarted);
                        assert_int_equal(json_is_true(json_object_get(entry, "docker_active")),
                                         row->seen.docker_active);
                        assert_int_equal(json_integer_value(json_object_get(entry, "rules_missing")),
                                         row->seen.missing);
                }
                if (passed)
                        assert_int_equal(json_integer_value(json_object_get(entry, "heal_ms")), 1234);
                else
                        assert_null(json_object_get(entry, "heal_ms"));
                if (row->error)
                        assert_string_equal(json_string_value(json_object_get(entry, "error")), row->error);
                if (row->reason)
                        assert_non_null(strstr(tether_test_failure_reason(&row->seen), row->reason));
                if (row->seen.stop_failure.code) {
                        const json_t *stop = json_object_get(entry, "firewall_stop_failed");

                        assert_string_equal(json_string_value(json_object_get(stop, "code")), "exited");
                        assert_int_equal(json_integer_value(json_object_get(stop, "status")), 219);
                } else
                        assert_null(json_object_get(entry, "firewall_stop_failed"));
                assert_int_equal(tether_test_needs_repair(&row->seen), row->repair);
                json_decref(entry);
        }
}

/* systemd's records of a process exit, by their fields: a stop command
 * that failed, not one that succeeded, ran another command, or failed
 * where failure is ignored (logged at debug). */
static void test_stop_failed(void **state) {
        static const struct {
                const char *command, *code, *status, *priority;
                bool failed;
                struct tether_exec_failure failure;
        } rows[] = {
                {"ExecStop", "exited", "219", "5", true, {CLD_EXITED, 219}},
                {"ExecStop", "exited", "1", "5", true, {CLD_EXITED, 1}},
                {"ExecStop", "killed", "9", "4", true, {CLD_KILLED, 9}},
                {"ExecStop", "dumped", "11", "4", true, {CLD_DUMPED, 11}},
                {"ExecStop", "exited", "0", "7", false, {0, 0}},
                {"ExecStop", "exited", "1", "7", false, {0, 0}}, /* "-": ignored, logged at debug */
                {"ExecStart", "exited", "1", "5", false, {0, 0}},
                {"ExecStopPost", "exited", "1", "5", false, {0, 0}},
                {"ExecStop", "gone", "1", "5", false, {0, 0}},
                {"ExecStop", "exited", "1x", "5", false, {0, 0}},
                {"ExecStop", "exited", "", "5", false, {0, 0}},
                {"ExecStop", "exited", "1", "", false, {0, 0}},
                {NULL, "exited", "1", "5", false, {0, 0}},
                {"ExecStop", NULL, "1", "5", false, {0, 0}},
                {"ExecStop", "exited", NULL, "5", false, {0, 0}},
                {"ExecStop", "exited", "1", NULL, false, {0, 0}},
        };

        (void)state;
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                struct tether_exec_failure failure = {.code = -1, .status = -1};
                bool failed = tether_test_stop_failed(rows[i].command, rows[i].code, rows[i].status,
                                                      rows[i].priority, &failure);

                if (failed != rows[i].failed)
                        fail_msg("row %zu: %s", i, failed ? "failed" : "did not fail");
                if (failed &&
                    (failure.code != rows[i].failure.code || failure.status != rows[i].failure.status))
                        fail_msg("row %zu: code %d status %d", i, failure.code, failure.status);
                if (!failed && (failure.code != -1 || failure.status != -1))
                        fail_msg("row %zu: *ret was written", i);
        }
}

static void test_repair_words(void **state) {
        char *action;
        json_t *entry, *repair;

        (void)state;
        action = tether_test_repair_action(true, false, "iptables.service");
        assert_string_equal(action, "restarted docker");
        free(action);
        action = tether_test_repair_action(false, false, "iptables.service");
        assert_string_equal(action, "started docker");
        free(action);
        action = tether_test_repair_action(false, true, "iptables.service");
        assert_non_null(strstr(action, "started docker without iptables.service, which failed to start"));

        /* A failed job's reason says what the repair did. */
        entry = json_pack("{s:s}", "result", "failed");
        repair = tether_test_repair_entry(action, true, 0, NULL);
        assert_true(json_is_null(json_object_get(repair, "error"))); /* as the agent always said it */
        json_object_set_new(entry, "repair", repair);
        tether_test_job_failure_reason(entry, "iptables.service");
        assert_non_null(strstr(json_string_value(json_object_get(entry, "reason")),
                               "iptables.service failed (see error); the repair started docker without"));
        assert_non_null(
                strstr(json_string_value(json_object_get(entry, "reason")), "docker runs with its rules"));
        json_decref(entry);

        entry = json_pack("{s:s}", "result", "failed");
        json_object_set_new(entry, "repair", tether_test_repair_entry(NULL, false, 7, "StartUnit: refused"));
        tether_test_job_failure_reason(entry, "iptables.service");
        assert_string_equal(
                json_string_value(json_object_get(entry, "reason")),
                "iptables.service failed (see error); the repair started docker, and that failed too");
        json_decref(entry);

        entry = json_pack("{s:s}", "result", "failed");
        tether_test_job_failure_reason(entry, "iptables.service");
        assert_string_equal(json_string_value(json_object_get(entry, "reason")),
                            "iptables.service failed (see error)");
        json_decref(entry);
        free(action);
}

static void test_overall_result(void **state) {
        json_t *tests = json_pack("[{s:s}, {s:s}]", "result", "passed", "result", "refused");

        (void)state;
        assert_string_equal(tether_test_overall_result(tests, false, true), "skipped");
        assert_string_equal(tether_test_overall_result(tests, true, true), "passed");
        assert_string_equal(tether_test_overall_result(tests, true, false), "refused");
        json_array_append_new(tests, json_pack("{s:s}", "result", "failed"));
        assert_string_equal(tether_test_overall_result(tests, true, false), "failed");
        json_decref(tests);
}

static void test_scenario_names(void **state) {
        enum tether_test_scenario scenario;
        static const char *const names[] = {"restart", "stop-start", "reload", "flush"};

        (void)state;
        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                assert_int_equal(tether_test_scenario_from_name(names[i], &scenario), 0);
                assert_string_equal(tether_test_scenario_name(scenario), names[i]);
        }
        scenario = TETHER_TEST_SCENARIO_RELOAD;
        assert_int_equal(tether_test_scenario_from_name("Restart", &scenario), -EINVAL);
        assert_int_equal(tether_test_scenario_from_name("", &scenario), -EINVAL);
        assert_int_equal(scenario, TETHER_TEST_SCENARIO_RELOAD);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_refusals),       cmocka_unit_test(test_which_units_a_test_takes),
                cmocka_unit_test(test_entries),        cmocka_unit_test(test_stop_failed),
                cmocka_unit_test(test_repair_words),   cmocka_unit_test(test_overall_result),
                cmocka_unit_test(test_scenario_names),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
