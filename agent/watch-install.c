/* SPDX-License-Identifier: MIT */
/*
 * Installing and removing tether-watch.service (see watch-install.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus.h"
#include "fileio.h"
#include "macro.h"
#include "watch-install.h"
#include "watch-summary.h"
#include "watch-unit.h"

/* Watch answers systemd once it is subscribed (Type=notify): a second or two. */
#define WATCH_JOB_TIMEOUT_USEC (60ULL * 1000000ULL)

static bool is(const char *s, const char *word) {
        return s && strcmp(s, word) == 0;
}

static void note_before(const struct tether_unit *unit, struct watch_change *change) {
        change->was_enabled = unit && is(unit->unit_file_state, "enabled");
        change->was_active = unit && is(unit->active_state, "active");
}

/* The path this agent runs from: the unit names the very file whose
 * digest tether checked (root's copy), or the package's. */
static int own_path(char **ret, struct tether_error *error) {
        char path[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);

        if (n < 0)
                return tether_error_set(error, -errno, "cannot tell where this agent runs from: %s",
                                        strerror(errno));
        path[n] = '\0';
        *ret = strdup(path);
        return *ret ? 0 : tether_error_set(error, -ENOMEM, "out of memory");
}

int watch_plan_install(const struct tether_unit *unit, enum tether_watch_heal heal, struct change_set *set,
                       struct watch_change *change, struct tether_error *error) {
        _cleanup_free_ char *path = NULL, *text = NULL;
        size_t before = set->n;
        int r;

        r = own_path(&path, error);
        if (r >= 0)
                r = tether_watch_unit_render(path, heal, &text, error);
        if (r >= 0)
                r = change_set_add(set, TETHER_WATCH_UNIT_PATH, text, TETHER_WATCH_UNIT, error);
        if (r < 0)
                return r;
        *change = (struct watch_change){.install = true, .planned = true, .file_changed = set->n > before};
        note_before(unit, change);
        return 0;
}

int watch_plan_remove(const struct tether_unit *unit, struct change_set *set, struct watch_change *change,
                      struct tether_error *error) {
        _cleanup_free_ char *text = NULL;
        int r;

        *change = (struct watch_change){};
        r = tether_read_file(TETHER_WATCH_UNIT_PATH, 1024 * 1024, &text, NULL, error);
        if (r == -ENOENT) {
                tether_error_clear(error);
                return 0;
        }
        if (r < 0)
                return r;
        if (!tether_watch_unit_is_ours(text))
                return 0;
        r = change_set_add(set, TETHER_WATCH_UNIT_PATH, NULL, TETHER_WATCH_UNIT, error);
        if (r < 0)
                return r;
        *change = (struct watch_change){.planned = true, .file_changed = true};
        note_before(unit, change);
        return 0;
}

static int run_job(sd_bus *bus, const char *method, struct tether_error *error) {
        _cleanup_free_ char *result = NULL;
        int r;

        r = bus_run_job(bus, method, TETHER_WATCH_UNIT, "replace", WATCH_JOB_TIMEOUT_USEC, &result, error);
        if (r < 0)
                return r;
        if (!is(result, "done"))
                return tether_error_set(error, -EIO,
                                        "%s %s: systemd's job ended '%s'; 'journalctl -u %s' says why",
                                        method, TETHER_WATCH_UNIT, result, TETHER_WATCH_UNIT);
        return 0;
}

int watch_before_reload(sd_bus *bus, struct watch_change *change, struct tether_error *error) {
        int r;

        if (!change->planned)
                return 0;
        if (change->install) {
                if (change->was_enabled)
                        return 0;
                r = bus_unit_file_enable(bus, TETHER_WATCH_UNIT, true, error);
                change->enabled = r >= 0;
                return r;
        }
        if (change->was_active) {
                r = run_job(bus, "StopUnit", error);
                if (r < 0)
                        return r;
                change->stopped = true;
        }
        if (change->was_enabled) {
                r = bus_unit_file_enable(bus, TETHER_WATCH_UNIT, false, error);
                if (r < 0)
                        return r;
                change->disabled = true;
        }
        return 0;
}

/* What systemd has loaded and runs, not what the file says. */
static int verify(sd_bus *bus, const struct watch_change *change, struct tether_error *error) {
        _cleanup_(tether_unit_freep) struct tether_unit *unit = NULL;
        int r;

        r = bus_unit_info(bus, TETHER_WATCH_UNIT, &unit, error);
        if (r < 0)
                return r;
        if (!change->install)
                return is(unit->fragment_path, TETHER_WATCH_UNIT_PATH)
                               ? tether_error_set(error, -EPROTO, "systemd still has %s loaded",
                                                  TETHER_WATCH_UNIT_PATH)
                               : 0;
        if (!is(unit->fragment_path, TETHER_WATCH_UNIT_PATH) || unit->need_daemon_reload)
                return tether_error_set(error, -EPROTO, "systemd has not loaded %s (it has '%s')",
                                        TETHER_WATCH_UNIT_PATH, unit->fragment_path);
        if (!is(unit->unit_file_state, "enabled"))
                return tether_error_set(error, -EPROTO, "%s is %s, not enabled", TETHER_WATCH_UNIT,
                                        unit->unit_file_state);
        if (!is(unit->active_state, "active"))
                return tether_error_set(error, -EPROTO, "%s is %s (%s); 'journalctl -u %s' says why",
                                        TETHER_WATCH_UNIT, unit->active_state, unit->result,
                                        TETHER_WATCH_UNIT);
        return 0;
}

int watch_after_reload(sd_bus *bus, struct watch_change *change, struct tether_error *error) {
        int r;

        if (!change->planned)
                return 0;
        /* A running watch runs the file it started from: a changed file
         * (another agent, another policy) takes a restart. */
        if (change->install && (change->file_changed || !change->was_active)) {
                change->started = true;
                r = run_job(bus, "RestartUnit", error);
                if (r < 0)
                        return r;
        }
        return verify(bus, change, error);
}

int watch_undo_early(sd_bus *bus, struct watch_change *change, struct tether_error *error) {
        int result = 0, r;

        if (change->started && !change->was_active) {
                r = run_job(bus, "StopUnit", error);
                if (r < 0 && result == 0)
                        result = r;
        }
        if (change->enabled) {
                r = bus_unit_file_enable(bus, TETHER_WATCH_UNIT, false, error);
                if (r < 0 && result == 0)
                        result = r;
        }
        return result;
}

int watch_undo_late(sd_bus *bus, struct watch_change *change, struct tether_error *error) {
        int result = 0, r;

        if (change->disabled) {
                r = bus_unit_file_enable(bus, TETHER_WATCH_UNIT, true, error);
                if (r >= 0)
                        r = bus_daemon_reload(bus, error);
                if (r < 0 && result == 0)
                        result = r;
        }
        /* It ran before: again, from the file put back. */
        if (change->stopped || (change->started && change->was_active)) {
                r = run_job(bus, "RestartUnit", error);
                if (r < 0 && result == 0)
                        result = r;
        }
        return result;
}
