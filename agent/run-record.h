/* SPDX-License-Identifier: MIT */
/*
 * The agent's side of a run's record (common/record.h): written under
 * /run/tether as a run with --run-id starts and as it ends, while the
 * agent holds the host's lock, and read there by the verb result. A run
 * without --run-id (by hand) is not recorded.
 */
#pragma once

#include <jansson.h>

#include "error.h"
#include "record.h"

/* Before the verb, under the host's lock: -ESTALE when tether closed the
 * run (an agent of it must not run), else the run recorded as started.
 * Records older than a day go, so /run does not fill up. */
int agent_record_begin(const char *run_id, const char *verb, struct tether_error *error);

/* After the verb, still under the lock: the document it printed (borrowed)
 * recorded as finished. While the test hook's file /run/tether/test-hold
 * exists, it waits first (at most 10 minutes), with its pid in
 * /run/tether/test-held: the integration tests cut a run off there. */
int agent_record_finish(const char *run_id, const char *verb, const json_t *document,
                        struct tether_error *error);

/* The record of run_id: 0 and *ret_json (new reference) with *ret borrowing
 * from it; -ENOENT when there is none; another negative errno, with error
 * set, for one that cannot be read or makes no sense. */
int agent_record_read(const char *run_id, json_t **ret_json, struct tether_record *ret,
                      struct tether_error *error);

/* Records record (a closed one, written by the verb result). */
int agent_record_write(const struct tether_record *record, struct tether_error *error);
