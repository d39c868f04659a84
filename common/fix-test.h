/* SPDX-License-Identifier: MIT */
/*
 * What a test of the fix concludes, the same with the agent (agent/verb-test.c)
 * and without it (controller/agentless-test.c): which firewall units it
 * restarts, when it refuses because it would do harm, and each unit's entry
 * in the document (docs/schema.md, "tests"): passed, failed and why,
 * refused and when to retry.
 *
 * Pure: everything here works on facts, a judgement and an observation
 * made elsewhere.
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts.h"
#include "judge.h"

/* A command of a unit's that failed: how it ended, as systemd says it
 * (code: CLD_EXITED, CLD_KILLED or CLD_DUMPED; status: the exit status or
 * the signal). code 0: none failed. */
struct tether_exec_failure {
        int code;
        int status;
};

enum tether_test_scenario {
        TETHER_TEST_SCENARIO_RESTART,    /* systemctl restart FIREWALL */
        TETHER_TEST_SCENARIO_STOP_START, /* systemctl stop FIREWALL; systemctl start FIREWALL */
        TETHER_TEST_SCENARIO_RELOAD,     /* systemctl reload FIREWALL */
        TETHER_TEST_SCENARIO_FLUSH,      /* Docker's rules taken away: watch must bring them back */
};

/* "restart", "stop-start", "reload", "flush". */
const char *tether_test_scenario_name(enum tether_test_scenario scenario);

/* The scenario of name; -EINVAL for a name not above. */
int tether_test_scenario_from_name(const char *name, enum tether_test_scenario *ret);

/* The refusal that retry_after_sec goes with: waiting helps no other. */
extern const char tether_test_near_start_limit[];

/* Why taking Docker's rules away would do harm now, or NULL: docker is
 * not running, its rules are missing already, it is near its start limit,
 * or its rules are nftables' own, which the test does not count. */
const char *tether_test_docker_refusal(const struct tether_host_facts *facts,
                                       const struct tether_judgement *judgement);

/* Why testing firewall by scenario would do harm now, or NULL. */
const char *tether_test_refusal(const struct tether_host_facts *facts,
                                const struct tether_judgement *judgement,
                                const struct tether_firewall_judgement *firewall,
                                enum tether_test_scenario scenario);

/* Whether a test restarts firewall: it flushes Docker's rules and is
 * enabled or running, and only (the --firewall unit, or NULL) names it. */
bool tether_test_takes(const struct tether_firewall_judgement *firewall, const char *only);

/* A refused test's entry: unit, why, and when to retry (facts' start
 * room, for the start limit's refusal). */
json_t *tether_test_refused_entry(const char *unit, const char *why, const struct tether_host_facts *facts);

/* What was seen of docker and its rules after the firewall's job. */
struct tether_test_observation {
        bool docker_restarted;
        bool docker_active;
        /* docker still had a job of systemd's, or was starting or
         * stopping, when the watch ended: not settled, only slow. */
        bool docker_changing;
        size_t missing; /* of the items present before */
        uint64_t heal_usec;
        bool healed;
        /* A stop command of the firewall's that failed during the test
         * (code 0: none seen): systemd then ran no more of them, and
         * started the unit again, so its restart may have flushed
         * nothing. */
        struct tether_exec_failure stop_failure;
};

/* systemd's journal record of a unit's process that exited (systemd 247
 * logs it; an older one does not, and no failure is seen there). */
#define TETHER_MESSAGE_PROCESS_EXIT "98e322203f7a4ed290d09fe03c09fe15"

/* Whether such a record, by its fields (NULL: absent), is of a stop
 * command (COMMAND=ExecStop) that failed and counts: logged at notice or
 * above (the failure of a "-"-prefixed command is ignored, and logged at
 * debug); *ret says how it ended. */
bool tether_test_stop_failed(const char *command, const char *exit_code, const char *exit_status,
                             const char *priority, struct tether_exec_failure *ret);

/* A test's entry: passed when error is NULL and docker was restarted with
 * every rule back (heal_ms), else failed, for the caller to say why.
 * *ret_passed says which. With error (the firewall's job failed, and
 * nothing was watched), docker_restarted, docker_active and rules_missing
 * are null. A stop of the firewall's that failed is in
 * firewall_stop_failed, passed or not. */
json_t *tether_test_entry(const char *unit, const char *scenario, const struct tether_test_observation *seen,
                          const char *error, bool *ret_passed);

/* Why a firewall's test failed, its job done, from what was seen after. */
const char *tether_test_failure_reason(const struct tether_test_observation *seen);

/* Whether a failed test must repair docker: its rules are not all back,
 * or it is not running. */
bool tether_test_needs_repair(const struct tether_test_observation *seen);

/* What a repair did, in words: "restarted docker" (it was active),
 * "started docker", or, where the firewall docker requires failed to
 * start, that docker was started without it. A new string, or NULL. */
char *tether_test_repair_action(bool was_active, bool without_requirements, const char *firewall);

/* The repair's entry: what was done (action), whether docker then runs
 * with every rule (ok), the items still missing, and error when the
 * repair's own job failed. */
json_t *tether_test_repair_entry(const char *action, bool ok, size_t missing, const char *error);

/* The reason of a test whose firewall job failed: that, and what the
 * repair (result's "repair") did about docker. */
void tether_test_job_failure_reason(json_t *result, const char *unit);

/* The document's test_result: skipped (nothing to test), passed, refused
 * (the last unit's test would have done harm), or failed. */
const char *tether_test_overall_result(const json_t *tests, bool any, bool all_passed);

/* The document's test_reason when there was nothing to test. */
extern const char tether_test_nothing_to_test[];
