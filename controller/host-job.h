/* SPDX-License-Identifier: MIT */
/*
 * One host's part of a run and its result. A result is written only by the
 * worker thread that runs its host, and read by the main thread once done.
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "failure.h"
#include "inventory.h"
#include "outcome.h"

struct host_result {
        const struct tether_host *host; /* borrowed from the inventory */
        enum host_verdict verdict;      /* the agent's, or unreachable, error; NONE until done */
        const char *skip_reason;
        json_t *agent; /* the agent's document, or NULL */
        struct host_failure failure;
        int agent_exit; /* the agent's exit status, -1 when it did not run */
        bool uploaded;  /* the agent was deployed in this run */
        /* The agent installed on the host that it runs (--agent-path, else the
         * inventory's agent_path), borrowed; NULL: tether's own, deployed. */
        const char *installed_agent;
        bool changed;
        bool started; /* set by the pool, under its lock */
        bool done;    /* set by the pool, under its lock */
        uint64_t connect_ms, upload_ms, agent_ms, total_ms;
};

void host_job_run(const struct run_config *config, struct host_result *result);
void host_result_clear(struct host_result *result);
