/* SPDX-License-Identifier: MIT */
/*
 * Choosing a run's hosts and its waves (see rollout.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "rollout.h"
#include "select.h"

int select_hosts(const struct tether_inventory *inventory, const struct options *options,
                 const struct tether_host ***ret, size_t *ret_n, struct tether_error *error) {
        _cleanup_(tether_select_freep) struct tether_select *select = NULL;
        _cleanup_free_ const struct tether_host **hosts = NULL;
        size_t n = 0, n_selected = 0;
        int r;

        if (options->limit) {
                struct tether_error limit_error = TETHER_ERROR_INIT;

                r = tether_select_parse(options->limit, &select, &limit_error);
                if (r < 0)
                        return tether_error_set(error, r, "--limit: %s", limit_error.text);
        }
        /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
        hosts = calloc(inventory->n_hosts ? inventory->n_hosts : 1, sizeof(*hosts));
        if (!hosts)
                return tether_error_set(error, -ENOMEM, "Out of memory.");
        for (size_t i = 0; i < inventory->n_hosts; i++) {
                const struct tether_host *host = &inventory->hosts[i];

                if (select && !tether_select_match(select, host))
                        continue;
                n_selected++;
                if (options->shard &&
                    tether_shard_of(host->name, options->shard_count) != options->shard_index)
                        continue;
                hosts[n++] = host;
        }
        /* A --limit that matches nothing is a mistake worth stopping for. A
         * shard with no host is not: with few hosts and many CI jobs some
         * shards are empty, and their (empty) reports still merge. */
        if (n_selected == 0)
                return tether_error_set(error, -EINVAL,
                                        "The selection (--limit %s) holds no host of %s: check the "
                                        "pattern against 'tether inventory'.",
                                        options->limit ? options->limit : "-", inventory->origin);
        *ret = TAKE_PTR(hosts);
        *ret_n = n;
        return 0;
}

struct rollout_plan plan_rollout(const struct verb *verb, const struct options *options, size_t n_hosts) {
        struct rollout_plan plan = {
                .n_hosts = n_hosts,
                .first_wave = n_hosts,
                .batch = n_hosts > 0 ? n_hosts : 1,
                .max_fail = SIZE_MAX,
        };

        if (verb->rollout == ROLLOUT_CANARY_THEN_BATCHES) {
                plan.first_wave = n_hosts > 0 ? 1 : 0;
                plan.batch = host_count_of(options->batch_count, n_hosts);
                if (plan.batch == 0)
                        plan.batch = options->parallel > 0 ? options->parallel : 1;
                plan.max_fail = host_count_of(options->max_fail_count, n_hosts);
        }
        return plan;
}

size_t rollout_wave_size(const struct rollout_plan *plan, size_t next) {
        size_t size = next == 0 ? plan->first_wave : plan->batch;

        if (next >= plan->n_hosts)
                return 0;
        return size < plan->n_hosts - next ? size : plan->n_hosts - next;
}

bool rollout_should_stop(const struct rollout_plan *plan, size_t failed) {
        return failed > plan->max_fail;
}
