/* SPDX-License-Identifier: MIT */
/*
 * test: proves the fix on this host, for real. For each firewall unit whose
 * restart flushes Docker's rules: snapshot Docker's rules, restart the unit
 * (or stop it, then start it: --scenario stop-start) through systemd, and
 * wait until docker has been restarted (a new invocation), is active, and
 * every chain and rule present before is present again. heal_ms is the time
 * from the firewall job's start to the rules being back.
 *
 * --scenario flush proves tether-watch.service instead (test-flush.c).
 *
 * It refuses when it would do harm, and never leaves the host worse than it
 * found it: if docker ends up stopped or its rules did not come back (a host
 * without the fix), it restarts docker to restore them and reports failure.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "time-util.h"
#include "journal.h"
#include "state.h"
#include "test-recovery.h"

#define JOB_TIMEOUT_USEC (120ULL * 1000000ULL)
#define POLL_INTERVAL_USEC (100ULL * 1000ULL)
#define REPAIR_WAIT_SECONDS 30
/* How long docker must stay untouched (no job, no new invocation) before
 * the test concludes nothing will restart it. The follow policy's hook
 * queues its restart within milliseconds of the firewall's start. */
#define SETTLE_USEC (5ULL * 1000000ULL)

/* run_job()'s failure when a unit the job's unit requires failed to start
 * (systemd's job result "dependency"). */
#define JOB_DEPENDENCY_FAILED (-ENOLINK)

static int run_job(struct agent *agent, const char *method, const char *unit, const char *mode,
                   struct tether_error *error) {
        _cleanup_(tether_unit_freep) struct tether_unit *info = NULL;
        _cleanup_free_ char *result = NULL;
        int r;

        r = bus_run_job(agent->bus, method, unit, mode, JOB_TIMEOUT_USEC, &result, error);
        if (r < 0)
                return r;
        if (strcmp(result, "done") == 0)
                return 0;
        /* Say why, as far as systemd knows: the unit's own Result. */
        (void)bus_unit_info(agent->bus, unit, &info, NULL);
        return tether_error_set(
                error, strcmp(result, "dependency") == 0 ? JOB_DEPENDENCY_FAILED : -EIO,
                "%s %s: systemd's job ended with \"%s\" (the unit's result: %s; see journalctl -u %s)",
                method, unit, result, info && info->result[0] ? info->result : "unknown", unit);
}

void test_observe_recovery(struct agent *agent, const struct host_state *before, uint64_t started,
                           unsigned wait_seconds, uint64_t settle_usec,
                           struct tether_test_observation *seen) {
        uint64_t deadline = started + (uint64_t)wait_seconds * 1000000ULL;
        const struct tether_host_facts *facts = before->facts;
        uint64_t settled_since = 0;

        for (;;) {
                _cleanup_(tether_unit_freep) struct tether_unit *docker = NULL;
                _cleanup_netfilter_snapshot_ struct tether_netfilter_snapshot *now4 = NULL, *now6 = NULL,
                                                                              *missing4 = NULL,
                                                                              *missing6 = NULL;

                bool settled = false, changing = false;

                if (bus_unit_info(agent->bus, TETHER_DOCKER_UNIT, &docker, NULL) >= 0) {
                        seen->docker_restarted =
                                memcmp(docker->invocation_id, before->facts->docker->invocation_id,
                                       sizeof(docker->invocation_id)) != 0;
                        seen->docker_active = strcmp(docker->active_state, "active") == 0;
                        /* Nothing more will happen: docker stopped, or never restarted,
                         * with no job of systemd's on its way for it. */
                        settled = !docker->has_job && (!seen->docker_active || !seen->docker_restarted) &&
                                  strcmp(docker->active_state, "activating") != 0 &&
                                  strcmp(docker->active_state, "deactivating") != 0;
                        changing = docker->has_job || strcmp(docker->active_state, "activating") == 0 ||
                                   strcmp(docker->active_state, "deactivating") == 0;
                        seen->docker_changing = changing;
                }
                /* While docker starts or stops its rules are not whole yet (it
                 * says it is ready once it has made them): reading them then
                 * only takes CPU from the dockerd that is making them. */
                if ((!changing || tether_now_usec() >= deadline) &&
                    docker_rules_read(&now4, &now6, NULL) >= 0 &&
                    tether_netfilter_diff(facts->ipv4, now4, &missing4) >= 0 &&
                    (!facts->ipv6 || !now6 || tether_netfilter_diff(facts->ipv6, now6, &missing6) >= 0)) {
                        seen->missing = missing4->n_items + (missing6 ? missing6->n_items : 0);
                        if (seen->docker_active && seen->missing == 0) {
                                seen->healed = true;
                                seen->heal_usec = tether_now_usec() - started;
                        }
                }
                if (!settled)
                        settled_since = 0;
                else if (settled_since == 0)
                        settled_since = tether_now_usec();
                if (seen->healed || tether_now_usec() >= deadline ||
                    (settle_usec > 0 && settled_since > 0 &&
                     tether_now_usec() - settled_since >= settle_usec))
                        break;
                usleep(POLL_INTERVAL_USEC);
        }
}

/* Leaves the host no worse than the test found it: docker running with
 * every rule it had before. firewall is the unit just tested: when docker
 * requires it (the bind policy's Requires=) and it failed to start, a start
 * of docker pulls it in, fails again, and fails docker with "dependency";
 * docker is then started without its requirements, so that its containers
 * run again, and the firewall stays failed for its owner to fix. */
json_t *test_repair(struct agent *agent, const struct host_state *before, const char *firewall) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_(tether_unit_freep) struct tether_unit *docker = NULL;
        _cleanup_free_ char *action = NULL;
        struct tether_test_observation after = {};
        bool active, without_requirements = false;
        int r;

        /* As docker is now, not as last seen: the firewall's job may have failed before anything was seen.
         */
        active = bus_unit_info(agent->bus, TETHER_DOCKER_UNIT, &docker, NULL) >= 0 &&
                 strcmp(docker->active_state, "active") == 0;
        r = run_job(agent, active ? "RestartUnit" : "StartUnit", TETHER_DOCKER_UNIT, "replace", &error);
        if (r == JOB_DEPENDENCY_FAILED) {
                tether_error_clear(&error);
                r = run_job(agent, "StartUnit", TETHER_DOCKER_UNIT, "ignore-requirements", &error);
                without_requirements = true;
        }
        if (r >= 0)
                test_observe_recovery(agent, before, tether_now_usec(), REPAIR_WAIT_SECONDS, SETTLE_USEC,
                                      &after);
        action = tether_test_repair_action(active, without_requirements, firewall);
        journal_log_change(&(struct journal_change){
                .verb = "test",
                .action = r < 0                  ? "repair-failed"
                          : without_requirements ? "started-without-requirements"
                          : active               ? "restarted"
                                                 : "started",
                .unit = TETHER_DOCKER_UNIT,
                .message = r < 0 ? "tether-agent test: could not restart docker.service after the firewall "
                                   "test"
                           : without_requirements
                                   ? "tether-agent test: started docker.service without the firewall unit "
                                     "it requires, which failed to start"
                                   : "tether-agent test: restarted docker.service to restore the rules the "
                                     "firewall test removed",
        });
        return tether_test_repair_entry(action, r >= 0 && after.healed, after.missing,
                                        r < 0 ? error.text : NULL);
}

static json_t *test_one(struct agent *agent, const struct host_state *state,
                        const struct tether_firewall_judgement *firewall, bool *ret_passed) {
        struct tether_error error = TETHER_ERROR_INIT;
        const char *unit = firewall->unit->id, *why_not;
        struct tether_test_observation seen = {};
        uint64_t started, started_realtime;
        json_t *result;
        int r;

        why_not = tether_test_refusal(state->facts, state->judgement, firewall, agent->options.scenario);
        if (why_not) {
                *ret_passed = false;
                return tether_test_refused_entry(unit, why_not, state->facts);
        }

        journal_log_change(&(struct journal_change){
                .verb = "test",
                .action = tether_test_scenario_name(agent->options.scenario),
                .unit = unit,
                .message = "tether-agent test: restarting the firewall to prove docker's rules come back",
        });
        started = tether_now_usec();
        started_realtime = tether_now_realtime_usec();
        switch (agent->options.scenario) {
        case TETHER_TEST_SCENARIO_RESTART:
                r = run_job(agent, "RestartUnit", unit, "replace", &error);
                break;
        case TETHER_TEST_SCENARIO_STOP_START:
                r = run_job(agent, "StopUnit", unit, "replace", &error);
                if (r >= 0)
                        r = run_job(agent, "StartUnit", unit, "replace", &error);
                break;
        case TETHER_TEST_SCENARIO_RELOAD:
        default:
                r = run_job(agent, "ReloadUnit", unit, "replace", &error);
                break;
        }
        if (r >= 0)
                test_observe_recovery(agent, state, started, agent->options.wait_seconds, SETTLE_USEC,
                                      &seen);
        /* After the watch: journald has the exit logged by then. */
        seen.stop_failure = journal_stop_failure(unit, started_realtime);

        result = tether_test_entry(unit, tether_test_scenario_name(agent->options.scenario), &seen,
                                   r < 0 ? error.text : NULL, ret_passed);
        if (*ret_passed)
                return result;
        if (r >= 0)
                json_object_set_new(result, "reason", json_string(tether_test_failure_reason(&seen)));
        if (tether_test_needs_repair(&seen))
                json_object_set_new(result, "repair", test_repair(agent, state, unit));
        if (r < 0)
                tether_test_job_failure_reason(result, unit);
        return result;
}

int verb_test(struct agent *agent) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_(host_state_freep) struct host_state *state = NULL;
        json_t *tests = json_array();
        bool all_passed = true, any = false;
        int r;

        r = host_state_gather(agent->bus, agent->options.policy, false, &state, &error);
        if (r < 0) {
                json_decref(tests);
                return agent_fail(agent, AGENT_EXIT_FAILED, "test", "%s", error.text);
        }

        if (agent->options.scenario == TETHER_TEST_SCENARIO_FLUSH) {
                bool passed;

                json_array_append_new(tests, test_flush(agent, state, &passed));
                any = true;
                all_passed = passed;
        }
        for (size_t i = 0;
             agent->options.scenario != TETHER_TEST_SCENARIO_FLUSH && i < state->judgement->n_firewalls;
             i++) {
                const struct tether_firewall_judgement *firewall = &state->judgement->firewalls[i];
                bool passed;

                if (!tether_test_takes(firewall, agent->options.firewall))
                        continue;
                any = true;
                json_array_append_new(tests, test_one(agent, state, firewall, &passed));
                all_passed = all_passed && passed;
                if (!passed)
                        break;
                /* The next unit's test starts from the host as it is now. */
                state = host_state_free(state);
                r = host_state_gather(agent->bus, agent->options.policy, false, &state, &error);
                if (r < 0) {
                        json_decref(tests);
                        return agent_fail(agent, AGENT_EXIT_FAILED, "test", "%s", error.text);
                }
        }

        json_object_set_new(agent->document, "tests", tests);
        json_object_set_new(agent->document, "test_result",
                            json_string(tether_test_overall_result(tests, any, all_passed)));
        if (!any)
                json_object_set_new(agent->document, "test_reason",
                                    json_string(tether_test_nothing_to_test));

        state = host_state_free(state);
        if (host_state_gather(agent->bus, agent->options.policy, false, &state, &error) >= 0)
                agent_add_state(agent, state);
        return !any || all_passed ? AGENT_EXIT_OK : AGENT_EXIT_FAILED;
}
