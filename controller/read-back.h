/* SPDX-License-Identifier: MIT */
/*
 * Reading a run's result back from its host after the connection broke
 * while the agent may have been at work: what `tether-agent result`
 * printed, judged (common/record.h says what the agent records).
 */
#pragma once

#include <jansson.h>
#include <stddef.h>

#include "outcome.h"

/* The agent's fate from the length bytes of out that `tether-agent result
 * --run-id run_id` printed: finished, with the agent's document in
 * *ret_document (a new reference; untouched otherwise); not-started; or
 * unknown, for anything else, which is never taken for "nothing was done".
 * A clause that says what is known, for the host's failure message, goes
 * into why (size bytes), always; what an unknown fate means for the host
 * (which depends on the verb) is the caller's to add. */
enum agent_fate read_back_judge(const char *out, size_t length, const char *run_id, json_t **ret_document,
                                char *why, size_t size);
