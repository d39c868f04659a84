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

/* Where a host's run was cut off after login: its connection broke, or
 * its --timeout ran out. */
struct host_cut_off {
        const char *step;      /* NULL: not cut off; else remote_step_to_string()'s word, or "upload" */
        uint64_t after_ms;     /* how long that step had waited */
        enum agent_fate agent; /* what is known of the agent's run */
        bool may_have_changed; /* agent unknown, of a verb that changes hosts: "changed" cannot be trusted */
};

struct host_result {
        const struct tether_host *host; /* borrowed from the inventory */
        enum host_verdict verdict;      /* the agent's, or unreachable, error; NONE until done */
        const char *skip_reason;
        json_t *agent; /* the agent's document, or NULL */
        struct host_failure failure;
        struct host_cut_off cut_off;
        int agent_exit; /* the agent's exit status, -1 when it did not run */
        bool uploaded;  /* the agent was deployed in this run */
        bool agentless; /* the host ran tether's scripts, not the agent (--mode) */
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
