/* SPDX-License-Identifier: MIT */
/*
 * What test's scenarios share (verb-test.c): when a test would do harm to
 * docker, how docker and its rules are watched coming back, and the repair
 * that leaves the host no worse than the test found it. The flush scenario
 * (test-flush.c) uses them as the firewall scenarios do.
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent.h"
#include "state.h"
#include "fix-test.h"

/* Polls docker and its rules (as they were in before) until they are all
 * back in a new invocation of docker, or wait_seconds after started, or
 * (settle_usec > 0) once docker has been left alone for settle_usec: no
 * job, no new invocation, nothing will restart it. settle_usec 0 waits to
 * the end for whatever is to bring the rules back. */
void test_observe_recovery(struct agent *agent, const struct host_state *before, uint64_t started,
                           unsigned wait_seconds, uint64_t settle_usec,
                           struct tether_test_observation *seen);

/* Restarts (or starts) docker so that its rules are back; firewall names
 * what docker may require that failed. The repair's JSON. */
json_t *test_repair(struct agent *agent, const struct host_state *before, const char *firewall);

/* The flush scenario: one test of tether-watch.service (test-flush.c). */
json_t *test_flush(struct agent *agent, const struct host_state *state, bool *ret_passed);
