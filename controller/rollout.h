/* SPDX-License-Identifier: MIT */
/*
 * Which hosts a run takes and in which waves, decided before anything
 * runs and without side effects, so it can be tested as a table:
 *
 *   select_hosts()   the hosts of the inventory that --limit and --shard
 *                    select, in the inventory's order
 *   plan_rollout()   the waves: every host at once, or (tether test) one
 *                    host as a canary, then batches of --batch hosts, with
 *                    the run stopped once more than --max-fail have failed
 *
 * For 10 hosts, --batch 3: waves of 1, 3, 3 and 3 hosts.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "inventory.h"
#include "options.h"
#include "verbs.h"

/* The hosts that options->limit and options->shard select, borrowed from
 * inventory, in its order. On success returns 0, and *ret is a new array
 * of *ret_n hosts: 0 only for a shard that --limit's hosts leave empty. On
 * failure *ret and *ret_n are untouched, error says why, and the code is
 * that of tether_select_parse() for a bad --limit ("--limit: ..."), -EINVAL
 * for a --limit (or inventory) that holds no host, -ENOMEM. */
int select_hosts(const struct tether_inventory *inventory, const struct options *options,
                 const struct tether_host ***ret, size_t *ret_n, struct tether_error *error);

struct rollout_plan {
        size_t n_hosts;
        size_t first_wave; /* hosts in the first wave: 1 (a canary), or all of them */
        size_t batch;      /* hosts in each later wave, at least 1 */
        size_t max_fail;   /* the run stops once more hosts than this have failed; SIZE_MAX: never */
};

/* How verb rolls out over n_hosts with the options' --batch, --max-fail and
 * -j (a --batch of 0 hosts, or a percentage that rounds down to 0, is -j). */
struct rollout_plan plan_rollout(const struct verb *verb, const struct options *options, size_t n_hosts);

/* The size of the wave that starts at host next (0 for the first), cut to
 * the hosts left; 0 once next is past the last host. */
size_t rollout_wave_size(const struct rollout_plan *plan, size_t next);

/* Whether the run stops, with failed hosts failed so far. */
bool rollout_should_stop(const struct rollout_plan *plan, size_t failed);
