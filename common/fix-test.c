/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "fix-test.h"
#include "unit.h"

static const char *const scenario_names[] = {
        [TETHER_TEST_SCENARIO_RESTART] = "restart",
        [TETHER_TEST_SCENARIO_STOP_START] = "stop-start",
        [TETHER_TEST_SCENARIO_RELOAD] = "reload",
        [TETHER_TEST_SCENARIO_FLUSH] = "flush",
};

const char *tether_test_scenario_name(enum tether_test_scenario scenario) {
        if ((size_t)scenario < ELEMENTSOF(scenario_names) && scenario_names[scenario])
                return scenario_names[scenario];
        return "reload";
}

int tether_test_scenario_from_name(const char *name, enum tether_test_scenario *ret) {
        for (size_t i = 0; i < ELEMENTSOF(scenario_names); i++)
                if (strcmp(name, scenario_names[i]) == 0) {
                        *ret = (enum tether_test_scenario)i;
                        return 0;
                }
        return -EINVAL;
}

const char tether_test_near_start_limit[] =
        "docker.service is near its start limit (StartLimitBurst): two more starts now could leave it "
        "failed with 'start request repeated too quickly'; retry_after_sec says when it is safe";

const char tether_test_nothing_to_test[] =
        "nothing to test: no enabled or running firewall service flushes Docker's rules";

const char *tether_test_docker_refusal(const struct tether_host_facts *facts,
                                       const struct tether_judgement *judgement) {
        bool active = tether_host_facts_docker_active(facts);

        if (judgement->docker_uses_nftables)
                return "Docker keeps its rules in nftables tables of its own (\"firewall-backend\": "
                       "\"nftables\"), "
                       "and the test counts iptables rules: it would prove nothing here";
        if (facts->docker->result && strcmp(facts->docker->result, "start-limit-hit") == 0 && !active)
                return "docker.service has failed at its start limit (start request repeated too quickly): "
                       "there are no rules to lose; 'systemctl reset-failed docker.service' and 'systemctl "
                       "start docker.service' first";
        if (!active)
                return "docker.service is not active: there are no rules to lose, and nothing to restart";
        if (judgement->rules_missing > 0)
                return "some of Docker's rules are missing already (the host is broken): heal it first "
                       "('apply --heal')";
        /* A firewall restart starts docker once, a repair a second time. */
        if (facts->start_room_in_sec > 0)
                return tether_test_near_start_limit;
        return NULL;
}

const char *tether_test_refusal(const struct tether_host_facts *facts,
                                const struct tether_judgement *judgement,
                                const struct tether_firewall_judgement *firewall,
                                enum tether_test_scenario scenario) {
        if (scenario == TETHER_TEST_SCENARIO_RELOAD && !firewall->unit->has_exec_reload)
                return "the firewall unit cannot reload (it has no ExecReload=): there is no reload to test";
        if (strcmp(firewall->unit->active_state, "failed") == 0 &&
            !tether_test_docker_refusal(facts, judgement))
                return "the firewall unit is in the failed state: restarting it could fail again";
        return tether_test_docker_refusal(facts, judgement);
}

bool tether_test_takes(const struct tether_firewall_judgement *firewall, const char *only) {
        if (!firewall->flushes || !(firewall->enabled || firewall->active))
                return false;
        return !only || tether_unit_has_name(firewall->unit, only);
}

json_t *tether_test_refused_entry(const char *unit, const char *why, const struct tether_host_facts *facts) {
        return json_pack("{s:s, s:s, s:s, s:i}", "unit", unit, "result", "refused", "reason", why,
                         "retry_after_sec",
                         why == tether_test_near_start_limit ? (json_int_t)facts->start_room_in_sec : 0);
}

bool tether_test_stop_failed(const char *command, const char *exit_code, const char *exit_status,
                             const char *priority, struct tether_exec_failure *ret) {
        static const struct {
                const char *word;
                int code;
        } codes[] = {{"exited", CLD_EXITED}, {"killed", CLD_KILLED}, {"dumped", CLD_DUMPED}};
        struct tether_exec_failure failure = {.code = 0};
        unsigned long level, status;
        char *end;

        if (!command || strcmp(command, "ExecStop") != 0 || !exit_code || !exit_status || !priority)
                return false;
        for (size_t i = 0; i < ELEMENTSOF(codes); i++)
                if (strcmp(exit_code, codes[i].word) == 0)
                        failure.code = codes[i].code;
        errno = 0;
        status = strtoul(exit_status, &end, 10);
        if (failure.code == 0 || errno || end == exit_status || *end || status > INT_MAX)
                return false;
        level = strtoul(priority, &end, 10);
        if (end == priority || *end || level > 5 /* LOG_NOTICE */)
                return false;
        failure.status = (int)status;
        if (failure.code == CLD_EXITED && failure.status == 0)
                return false;
        *ret = failure;
        return true;
}

const char *tether_test_failure_reason(const struct tether_test_observation *seen) {
        if (seen->stop_failure.code != 0 && !seen->docker_restarted)
                return "the firewall's stop command failed (firewall_stop_failed; journalctl -u says "
                       "why), so systemd started it again without the stop's flush, and docker was not "
                       "restarted with it: this restart proves little; run the test again";
        if (!seen->docker_active && seen->docker_changing)
                return "docker was still starting or stopping when the test's wait ran out: this host is "
                       "slow to restart it, which says nothing of the tie; test again with a longer --wait "
                       "(60 s by default)";
        if (!seen->docker_active)
                return "docker did not come back: it was left stopped (under the bind policy, stopping the "
                       "firewall stops docker, and starting the firewall again does not start it; the "
                       "follow "
                       "policy does)";
        if (!seen->docker_restarted)
                return seen->missing > 0
                               ? "docker was not restarted with the firewall, and its rules stayed lost"
                               : "docker was not restarted with the firewall";
        return "docker was restarted but its rules did not all come back";
}

/* {"code": "exited", "status": 219}, as systemctl status says it. */
static json_t *stop_failure_json(const struct tether_exec_failure *failure) {
        return json_pack("{s:s, s:i}", "code",
                         failure->code == CLD_KILLED   ? "killed"
                         : failure->code == CLD_DUMPED ? "dumped"
                                                       : "exited",
                         "status", (json_int_t)failure->status);
}

json_t *tether_test_entry(const char *unit, const char *scenario, const struct tether_test_observation *seen,
                          const char *error, bool *ret_passed) {
        /* Neither mode watches docker after a firewall job that failed:
         * what docker did then was not seen, and null says so. */
        bool observed = !error;
        json_t *result =
                json_pack("{s:s, s:s, s:o, s:o, s:o}", "unit", unit, "scenario", scenario,
                          "docker_restarted", observed ? json_boolean(seen->docker_restarted) : json_null(),
                          "docker_active", observed ? json_boolean(seen->docker_active) : json_null(),
                          "rules_missing", observed ? json_integer((json_int_t)seen->missing) : json_null());

        if (!result)
                return NULL;
        if (error)
                json_object_set_new(result, "error", json_string(error));
        if (seen->stop_failure.code != 0)
                json_object_set_new(result, "firewall_stop_failed", stop_failure_json(&seen->stop_failure));
        *ret_passed = !error && seen->healed && seen->docker_restarted;
        json_object_set_new(result, "result", json_string(*ret_passed ? "passed" : "failed"));
        if (*ret_passed)
                json_object_set_new(result, "heal_ms", json_integer((json_int_t)(seen->heal_usec / 1000)));
        return result;
}

bool tether_test_needs_repair(const struct tether_test_observation *seen) {
        return !seen->healed || !seen->docker_active;
}

char *tether_test_repair_action(bool was_active, bool without_requirements, const char *firewall) {
        char *action;
        int k;

        if (without_requirements)
                k = asprintf(&action,
                             "started docker without %s, which failed to start: docker runs untied "
                             "from it until it is fixed and docker restarted",
                             firewall);
        else
                k = asprintf(&action, "%s docker", was_active ? "restarted" : "started");
        return k < 0 ? NULL : action;
}

json_t *tether_test_repair_entry(const char *action, bool ok, size_t missing, const char *error) {
        return json_pack("{s:s, s:b, s:i, s:s?}", "action", action ? action : "started docker", "ok", ok,
                         "rules_missing", (json_int_t)missing, "error", error);
}

void tether_test_job_failure_reason(json_t *result, const char *unit) {
        const json_t *repair_done = json_object_get(result, "repair");
        char *reason;

        if (asprintf(&reason, "%s failed (see error)%s%s%s", unit, repair_done ? "; the repair " : "",
                     repair_done ? json_string_value(json_object_get(repair_done, "action")) : "",
                     !repair_done                                       ? ""
                     : json_is_true(json_object_get(repair_done, "ok")) ? ", and docker runs with its rules"
                                                                        : ", and that failed too") < 0)
                return;
        json_object_set_new(result, "reason", json_string(reason));
        free(reason);
}

const char *tether_test_overall_result(const json_t *tests, bool any, bool all_passed) {
        const char *last;

        if (!any)
                return "skipped";
        if (all_passed)
                return "passed";
        last = json_string_value(
                json_object_get(json_array_get(tests, json_array_size(tests) - 1), "result"));
        return last && strcmp(last, "refused") == 0 ? "refused" : "failed";
}
