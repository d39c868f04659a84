/* SPDX-License-Identifier: MIT */
/*
 * audit: read-only. Gathers the host's state and reports it; changes
 * nothing on the host (the docker socket is not even touched unless docker
 * runs, since a connection would start it through socket activation).
 */
#include "agent.h"
#include "state.h"

int verb_audit(struct agent *agent) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_(host_state_freep) struct host_state *state = NULL;
        int r;

        r = host_state_gather(agent->bus, agent->options.policy, agent->options.policy_forced, &state,
                              &error);
        if (r < 0)
                return agent_fail(agent, AGENT_EXIT_FAILED, "audit", "%s", error.text);
        agent_add_state(agent, state);
        return AGENT_EXIT_OK;
}
