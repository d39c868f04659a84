/* SPDX-License-Identifier: MIT */
/*
 * What apply and revert say when they failed and put every file back: the
 * words depend on what systemd did with the daemon-reloads, before the
 * files went back and after.
 */
#include "agent.h"
#include "bus.h"

int agent_fail_put_back(struct agent *agent, const char *verb, const char *why, int reload_before,
                        int reload_after, const char *reload_error) {
        if (reload_after >= 0)
                return agent_fail(agent, AGENT_EXIT_FAILED, verb, "%s; every file was put back as it was",
                                  why);
        /* A systemd that refused both reloads has what it had loaded before,
         * which the files' times, put back too, still match. */
        if (reload_before == BUS_RELOAD_REFUSED && reload_after == BUS_RELOAD_REFUSED)
                return agent_fail(agent, AGENT_EXIT_FAILED, verb,
                                  "%s; every file was put back as it was, with its time: systemd refused to "
                                  "reload and has them loaded as they were",
                                  why);
        return agent_fail(agent, AGENT_EXIT_FAILED, verb,
                          "%s; every file was put back as it was, but systemd did not load them again "
                          "('systemctl daemon-reload' will): %s",
                          why, reload_error);
}
