/* SPDX-License-Identifier: MIT */
/*
 * test --scenario flush: proves tether-watch.service on this host, for
 * real. It takes Docker's IPv4 rules away as a flush would, in one
 * iptables-restore --noflush of the script the rules give (netfilter.h:
 * Docker's chains flushed, its rules in others' chains deleted), so the
 * host's own rules are never touched, and then waits, with the host's lock
 * let go (watch looks and heals under it), until docker was restarted and
 * every rule is back: heal_ms is from the flush to that. If they do not come
 * back in --wait seconds, it takes the lock back, restarts docker itself,
 * and reports failure, as the firewall scenarios do.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "fileio.h"
#include "journal.h"
#include "lock.h"
#include "test-recovery.h"
#include "time-util.h"
#include "watch-policy.h"
#include "watch-summary.h"
#include "watch-unit.h"

#define RESTORE_TIMEOUT_USEC (30ULL * 1000000ULL)
/* Watch may be healing when the wait ends: its restart of docker is
 * bounded by systemd's job timeout. */
#define LOCK_BACK_TIMEOUT_USEC (150ULL * 1000000ULL)

/* Whether the watch systemd runs restarts docker: its unit file, then its
 * drop-ins, each read as systemd would, the last ExecStart= deciding. */
static bool watch_restarts(const struct tether_unit *watch) {
        _cleanup_free_ char *text = NULL;
        bool restarts = false;

        if (watch->fragment_path[0] &&
            tether_read_file(watch->fragment_path, 1024 * 1024, &text, NULL, NULL) >= 0)
                restarts = tether_watch_unit_restarts(text, restarts);
        for (size_t i = 0; watch->drop_in_paths && watch->drop_in_paths[i]; i++) {
                _cleanup_free_ char *drop_in = NULL;

                if (tether_read_file(watch->drop_in_paths[i], 1024 * 1024, &drop_in, NULL, NULL) >= 0)
                        restarts = tether_watch_unit_restarts(drop_in, restarts);
        }
        return restarts;
}

/* Why the flush test would prove nothing or do harm now, or NULL. */
static const char *refusal(const struct host_state *state) {
        const struct tether_unit *watch = state->facts->watch;
        const char *docker = tether_test_docker_refusal(state->facts, state->judgement);

        if (!watch || !tether_watch_installed(watch))
                return "tether-watch.service is not installed here: nothing would bring Docker's rules back "
                       "('tether apply --watch' installs it)";
        if (strcmp(watch->active_state, "active") != 0)
                return "tether-watch.service is not running: nothing would bring Docker's rules back "
                       "('systemctl status tether-watch.service' says why)";
        if (tether_watch_effective_heal(watch_restarts(watch) ? TETHER_WATCH_HEAL_RESTART
                                                              : TETHER_WATCH_HEAL_REPORT,
                                        state->facts->live_restore) != TETHER_WATCH_HEAL_RESTART)
                return "tether-watch.service only reports here (--heal=report, and no live-restore): "
                       "nothing would bring Docker's rules back";
        return docker;
}

/* Takes Docker's IPv4 rules away: one iptables-restore --noflush of a
 * script in a file of root's own under /run, gone afterwards. */
static int take_rules_away(const struct host_state *state, struct tether_error *error) {
        _cleanup_free_ char *script = NULL, *output = NULL;
        char path[] = "/run/tether-flush-XXXXXX";
        char *argv[] = {(char *)"iptables-restore", (char *)"--noflush", path, NULL};
        int fd, status, r;

        r = tether_netfilter_removal_script(state->facts->ipv4, &script);
        if (r < 0)
                return tether_error_set(error, r, "out of memory");
        fd = mkstemp(path);
        if (fd < 0)
                return tether_error_set(error, -errno, "cannot make %s: %s", path, strerror(errno));
        r = write(fd, script, strlen(script)) == (ssize_t)strlen(script) ? 0 : -EIO;
        close(fd);
        if (r >= 0)
                r = exec_capture(argv, 64 * 1024, RESTORE_TIMEOUT_USEC, &output, &status, error);
        (void)unlink(path);
        if (r == -EIO)
                return tether_error_set(error, r, "cannot write %s", path);
        if (r < 0)
                return r;
        if (status != 0)
                return tether_error_set(error, -EIO, "iptables-restore --noflush failed with status %d",
                                        status);
        return 0;
}

static json_t *refused(const struct host_state *state, const char *why) {
        return json_pack("{s:s, s:s, s:s, s:s, s:i}", "unit", TETHER_WATCH_UNIT, "scenario", "flush",
                         "result", "refused", "reason", why, "retry_after_sec",
                         why == tether_test_near_start_limit ? (json_int_t)state->facts->start_room_in_sec
                                                             : 0);
}

json_t *test_flush(struct agent *agent, const struct host_state *state, bool *ret_passed) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_test_observation seen = {};
        const char *why_not;
        uint64_t started;
        json_t *result;
        int r, back = 0;

        *ret_passed = false;
        why_not = refusal(state);
        if (why_not)
                return refused(state, why_not);

        journal_log_change(&(struct journal_change){
                .verb = "test",
                .action = "flush",
                .unit = TETHER_WATCH_UNIT,
                .message = "tether-agent test: taking Docker's rules away, as a flush would, to prove "
                           "tether-watch.service brings them back",
        });
        started = tether_now_usec();
        r = take_rules_away(state, &error);
        if (r >= 0) {
                (void)agent_lock_lend(agent->lock_fd);
                /* No early end: watch waits for the burst to settle, and
                 * for its back-off where it healed lately, before it
                 * restarts docker; only --wait bounds that. */
                test_observe_recovery(agent, state, started, agent->options.wait_seconds, 0, &seen);
                back = agent_lock_take_back(agent->lock_fd, LOCK_BACK_TIMEOUT_USEC);
        }

        result = tether_test_entry(TETHER_WATCH_UNIT, "flush", &seen, r < 0 ? error.text : NULL, ret_passed);
        if (*ret_passed)
                return result;
        json_object_set_new(result, "reason",
                            json_string(r < 0 ? "Docker's rules could not be taken away (see error)"
                                              : "tether-watch.service did not bring Docker's rules back in "
                                                "time ('journalctl -u tether-watch.service' says why)"));
        if (r >= 0 && back >= 0)
                json_object_set_new(result, "repair", test_repair(agent, state, "a unit it requires"));
        else if (r >= 0)
                json_object_set_new(result, "repair",
                                    json_pack("{s:s, s:b}", "action",
                                              "none: another agent held the host's lock past the wait", "ok",
                                              false));
        return result;
}
