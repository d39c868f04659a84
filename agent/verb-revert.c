/* SPDX-License-Identifier: MIT */
/*
 * revert: removes tether's drop-in and any follow hook tether put on a
 * firewall unit (never a drop-in that is not tether's), daemon-reloads, and
 * checks that systemd no longer has them loaded. tether-watch.service,
 * where tether installed it (apply --watch), is stopped, disabled and
 * removed with them (watch-install.h). A failure puts them back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "changes.h"
#include "hooks.h"
#include "journal.h"
#include "state.h"
#include "tie-check.h"
#include "watch-install.h"

static int verify_removed(struct agent *agent, const char *dropin_path, struct tether_error *error) {
        _cleanup_(tether_unit_freep) struct tether_unit *docker = NULL;
        int r;

        r = bus_unit_info(agent->bus, TETHER_DOCKER_UNIT, &docker, error);
        return r < 0 ? r : tether_check_unloaded(docker, dropin_path, error);
}

int verb_revert(struct agent *agent) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_(host_state_freep) struct host_state *state = NULL;
        struct change_set set = {.verb = "revert"};
        struct watch_change watch = {};
        int r, reload = 0, status = AGENT_EXIT_OK;

        r = host_state_gather(agent->bus, agent->options.policy, false, &state, &error);
        if (r < 0)
                return agent_fail(agent, AGENT_EXIT_FAILED, "revert", "%s", error.text);

        r = change_set_add(&set, state->facts->dropin_path, NULL, TETHER_DOCKER_UNIT, &error);
        if (r >= 0)
                r = change_set_remove_hooks(&set, NULL, &error);
        if (r >= 0)
                r = watch_plan_remove(state->facts->watch, &set, &watch, &error);
        if (r < 0) {
                status = agent_fail(agent, AGENT_EXIT_FAILED, "revert", "%s", error.text);
                goto done;
        }
        json_object_set_new(agent->document, "changes", change_set_to_json(&set));
        if (set.n == 0) {
                json_object_set_new(agent->document, "changed", json_false());
                goto done;
        }
        if (state->facts->unit_dir_read_only) {
                status = agent_fail(agent, AGENT_EXIT_FAILED, "read-only", "%s; nothing was changed",
                                    TETHER_READ_ONLY_REASON);
                goto done;
        }

        /* Watch stops before its file goes: a running watch is not left
         * without the unit that runs it. */
        r = watch_before_reload(agent->bus, &watch, &error);
        if (r < 0) {
                status = agent_put_back(agent, "revert", error.text, 0, &set, &watch);
                goto done;
        }
        r = change_set_commit(&set, &error);
        if (r < 0) {
                status = agent_put_back(agent, "revert", error.text, 0, &set, &watch);
                goto done;
        }
        r = reload = bus_daemon_reload(agent->bus, &error);
        if (r >= 0)
                journal_log_reload("revert");
        if (r >= 0)
                r = verify_removed(agent, state->facts->dropin_path, &error);
        if (r >= 0)
                r = watch_after_reload(agent->bus, &watch, &error);
        if (r < 0) {
                status = agent_put_back(agent, "revert", error.text, reload, &set, &watch);
                goto done;
        }
        json_object_set_new(agent->document, "changed", json_true());

        r = host_state_refresh(agent->bus, agent->options.policy, false, watch.planned, &state, &error);
        if (r < 0)
                status = agent_fail(agent, AGENT_EXIT_FAILED, "revert", "%s", error.text);
done:
        if (state)
                agent_add_state(agent, state);
        change_set_clear(&set);
        return status;
}
