/* SPDX-License-Identifier: MIT */
/*
 * What apply and revert do when they failed: put every file back, and
 * watch as it was, and say so. The words depend on what systemd did with
 * the daemon-reloads, before the files went back and after.
 */
#include "agent.h"
#include "bus.h"
#include "changes.h"
#include "watch-install.h"
#include "watch-summary.h"

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

int agent_put_back(struct agent *agent, const char *verb, const char *why, int reload,
                   struct change_set *set, struct watch_change *watch) {
        struct tether_error rollback_error = TETHER_ERROR_INIT, watch_error = TETHER_ERROR_INIT;
        int k = 0, w;

        w = watch_undo_early(agent->bus, watch, &watch_error);
        k = change_set_rollback(set, &rollback_error);
        if (k < 0)
                return agent_fail(agent, AGENT_EXIT_FAILED, verb,
                                  "%s; putting the files back failed too, see the journal", why);
        if (set->n > 0 || watch->enabled || watch->disabled)
                k = bus_daemon_reload(agent->bus, &rollback_error);
        if (w >= 0)
                w = watch_undo_late(agent->bus, watch, &watch_error);
        if (w < 0)
                return agent_fail(agent, AGENT_EXIT_FAILED, verb,
                                  "%s; the files were put back, but %s could not be put back as it was: %s",
                                  why, TETHER_WATCH_UNIT, watch_error.text);
        return agent_fail_put_back(agent, verb, why, reload, k, rollback_error.text);
}
