/* SPDX-License-Identifier: MIT */
/*
 * apply: ties docker.service to the firewall units whose restart flushes
 * its rules, by writing tether's drop-in(s), daemon-reload, and checking in
 * what systemd then has loaded that the ties are in force. Nothing to change
 * means no write and no reload. A failed reload or check puts every file
 * back. Never restarts docker, unless --heal is given and its rules are
 * missing right now. With --watch it also installs, enables and starts
 * tether-watch.service (watch-install.h), in the same change set: a
 * failure puts the drop-ins and watch back together.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "changes.h"
#include "fileio.h"
#include "hooks.h"
#include "journal.h"
#include "state.h"
#include "tie-check.h"
#include "watch-install.h"

#define JOB_TIMEOUT_USEC (120ULL * 1000000ULL)

/* Whether the unit's own file can reload: the follow hook then joins its
 * ExecReload=; a unit that cannot reload must not gain a reload. */
static bool unit_file_can_reload(const struct tether_unit *unit) {
        _cleanup_free_ char *text = NULL;

        if (!unit->fragment_path[0] ||
            tether_read_file(unit->fragment_path, 1024 * 1024, &text, NULL, NULL) < 0)
                return false;
        for (const char *line = text; line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
                if (strncmp(line, "ExecReload=", 11) == 0)
                        return true;
        return false;
}

/* The files the policy wants for units: docker's drop-in, and with
 * "follow" a hook for each unit; hooks left on other firewall units (from
 * another policy or unit set) go. */
static int plan(struct agent *agent, const struct host_state *state, char *const *units,
                struct change_set *set, struct tether_error *error) {
        enum tether_policy policy = state->judgement->policy;
        _cleanup_free_ char *dropin = NULL;
        int r;

        r = tether_dropin_render(policy, units, &dropin, error);
        if (r < 0)
                return r;
        r = change_set_add(set, state->facts->dropin_path, dropin, TETHER_DOCKER_UNIT, error);
        if (r < 0)
                return r;

        for (size_t i = 0; units[i]; i++) {
                _cleanup_(tether_unit_freep) struct tether_unit *unit = NULL;
                _cleanup_free_ char *path = NULL, *hook = NULL;

                if (policy != TETHER_POLICY_FOLLOW)
                        break;
                r = bus_unit_info(agent->bus, units[i], &unit, error);
                if (r < 0)
                        return r;
                if (agent_hook_path(units[i], &path) < 0 ||
                    tether_dropin_render_hook(unit_file_can_reload(unit), &hook) < 0)
                        return tether_error_set(error, -ENOMEM, "out of memory");
                r = change_set_add(set, path, hook, units[i], error);
                if (r < 0)
                        return r;
        }
        return change_set_remove_hooks(set, policy == TETHER_POLICY_FOLLOW ? units : NULL, error);
}

/* Checks what systemd has loaded, not what the files say (tie-check.h). */
static int verify_ties(struct agent *agent, enum tether_policy policy, char *const *units,
                       struct tether_error *error) {
        _cleanup_(tether_unit_freep) struct tether_unit *docker = NULL;
        int r;

        r = bus_unit_info(agent->bus, TETHER_DOCKER_UNIT, &docker, error);
        if (r >= 0)
                r = tether_check_loaded(docker, error);
        for (size_t i = 0; r >= 0 && units[i]; i++) {
                _cleanup_(tether_unit_freep) struct tether_unit *unit = NULL;

                r = bus_unit_info(agent->bus, units[i], &unit, error);
                if (r >= 0)
                        r = tether_check_tie(docker, unit, policy, error);
        }
        return r;
}

/* --firewall UNIT: the unit must exist, since Requires= on a missing unit
 * makes 'systemctl restart docker' fail. */
static int forced_unit(struct agent *agent, char **ret, struct tether_error *error) {
        _cleanup_(tether_unit_freep) struct tether_unit *unit = NULL;
        _cleanup_free_ char *name = NULL;
        int r;

        r = tether_forced_unit_name(agent->options.firewall, &name, error);
        if (r >= 0)
                r = bus_unit_info(agent->bus, name, &unit, error);
        return r < 0 ? r : tether_forced_unit_id(name, unit, ret, error);
}

static int heal(struct agent *agent, json_t *document) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_free_ char *result = NULL;
        int r;

        r = bus_run_job(agent->bus, "RestartUnit", TETHER_DOCKER_UNIT, "replace", JOB_TIMEOUT_USEC, &result,
                        &error);
        journal_log_change(&(struct journal_change){
                .verb = "apply",
                .action = r >= 0 && strcmp(result, "done") == 0 ? "restarted" : "restart-failed",
                .unit = TETHER_DOCKER_UNIT,
                .message = r >= 0 && strcmp(result, "done") == 0
                                   ? "tether-agent apply --heal: restarted docker.service to restore its "
                                     "missing rules"
                                   : "tether-agent apply --heal: restarting docker.service failed",
        });
        json_object_set_new(document, "healed", json_boolean(r >= 0 && strcmp(result, "done") == 0));
        if (r < 0)
                json_object_set_new(document, "heal_error", json_string(error.text));
        return 0;
}

/* Writes the planned files, daemon-reloads, and checks the ties and watch
 * are in force; on failure puts every file back. Returns 0 or an agent
 * exit status. */
static int commit_and_verify(struct agent *agent, const struct host_state *state, char *const *units,
                             struct change_set *set, struct watch_change *watch, bool *ret_reloaded) {
        struct tether_error error = TETHER_ERROR_INIT;
        int r = 0, reload = 0;

        if (set->n > 0) {
                r = change_set_commit(set, &error);
                if (r < 0)
                        return agent_fail(agent, AGENT_EXIT_FAILED, "apply", "%s; nothing was changed",
                                          error.text);
        }
        r = watch_before_reload(agent->bus, watch, &error);
        if (r >= 0 && (set->n > 0 || watch->enabled || state->facts->docker->need_daemon_reload)) {
                r = reload = bus_daemon_reload(agent->bus, &error);
                *ret_reloaded = r >= 0;
                if (r >= 0)
                        journal_log_reload("apply");
        }
        if (r >= 0)
                r = verify_ties(agent, state->judgement->policy, units, &error);
        if (r >= 0)
                r = watch_after_reload(agent->bus, watch, &error);
        if (r >= 0)
                return 0;
        return agent_put_back(agent, "apply", error.text, reload, set, watch);
}

/* Nothing to tie, or already tied by a drop-in that is not ours (whose
 * reloads tether's bind drop-in would not cover either). */
static bool nothing_to_do(const struct agent *agent, const struct host_state *state, char *const *units) {
        return !tether_unit_exists(state->facts->docker) || !units[0] ||
               (!agent->options.firewall && state->judgement->dropin_state == TETHER_DROPIN_ABSENT &&
                (state->judgement->verdict == TETHER_VERDICT_PROTECTED ||
                 state->judgement->verdict == TETHER_VERDICT_RELOAD_VULNERABLE));
}

/* Report the host as it is now: after a heal, all of it anew; else only
 * what the change can have touched (systemd's view, the drop-ins). */
static int reread(struct agent *agent, bool changed, bool watch_changed, struct host_state **state,
                  struct tether_error *error) {
        if (agent->options.heal && (*state)->judgement->verdict == TETHER_VERDICT_BROKEN) {
                (void)heal(agent, agent->document);
                *state = host_state_free(*state);
                return host_state_gather(agent->bus, agent->options.policy, agent->options.policy_forced,
                                         state, error);
        }
        if (changed || watch_changed)
                return host_state_refresh(agent->bus, agent->options.policy, agent->options.policy_forced,
                                          watch_changed, state, error);
        return 0;
}

int verb_apply(struct agent *agent) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_(host_state_freep) struct host_state *state = NULL;
        struct change_set set = {.verb = "apply"};
        struct watch_change watch = {};
        _cleanup_free_ char *forced = NULL;
        char *forced_units[2] = {}, *no_units[1] = {};
        char *const *units;
        bool reloaded = false, tie;
        int r, status = AGENT_EXIT_OK;

        r = host_state_gather(agent->bus, agent->options.policy, agent->options.policy_forced, &state,
                              &error);
        if (r < 0)
                return agent_fail(agent, AGENT_EXIT_FAILED, "apply", "%s", error.text);

        /* units is borrowed from forced or from the state, and used only
         * while that state lives. */
        units = state->judgement->flushing_units;
        if (agent->options.firewall) {
                r = forced_unit(agent, &forced, &error);
                if (r < 0) {
                        agent_add_state(agent, state);
                        return agent_fail(agent,
                                          r == -ENOMEM ? AGENT_EXIT_INTERNAL : AGENT_EXIT_BAD_FIREWALL,
                                          "unknown-firewall", "%s", error.text);
                }
                forced_units[0] = forced;
                units = forced_units;
        }

        tie = !nothing_to_do(agent, state, units);
        if (!tie)
                units = no_units;
        r = tie ? plan(agent, state, units, &set, &error) : 0;
        if (r >= 0 && agent->options.watch)
                r = watch_plan_install(state->facts->watch, agent->options.watch_unit_heal, &set, &watch,
                                       &error);
        if (r < 0) {
                status = agent_fail(agent, AGENT_EXIT_FAILED, "apply", "%s", error.text);
                goto done;
        }
        json_object_set_new(agent->document, "changes", change_set_to_json(&set));
        if (agent->options.check) {
                json_object_set_new(agent->document, "check", json_true());
                json_object_set_new(agent->document, "changed", json_boolean(set.n > 0));
                goto done;
        }
        if (!tie && !watch.planned) {
                json_object_set_new(agent->document, "changed", json_false());
                goto done;
        }
        if (state->facts->unit_dir_read_only && (set.n > 0 || watch.planned)) {
                status = agent_fail(agent, AGENT_EXIT_FAILED, "read-only", "%s; nothing was changed",
                                    TETHER_READ_ONLY_REASON);
                goto done;
        }

        status = commit_and_verify(agent, state, units, &set, &watch, &reloaded);
        if (status != AGENT_EXIT_OK)
                goto done;
        json_object_set_new(agent->document, "changed",
                            json_boolean(set.n > 0 || watch.enabled || watch.started));
        json_object_set_new(agent->document, "reloaded", json_boolean(reloaded));
        r = reread(agent, set.n > 0 || reloaded, watch.planned, &state, &error);
        if (r < 0)
                status = agent_fail(agent, AGENT_EXIT_FAILED, "apply", "%s", error.text);
done:
        if (state)
                agent_add_state(agent, state);
        change_set_clear(&set);
        return status;
}
