/* SPDX-License-Identifier: MIT */
/*
 * apply --watch installs tether-watch.service, revert removes it: the unit
 * file goes into the verb's change set beside the drop-ins (written or
 * removed with them, put back with them), and around the set's commit and
 * daemon-reload this module enables and starts watch, or stops and
 * disables it, then checks through systemd that watch runs from tether's
 * file, or no longer does. Whatever it did is undone when the verb fails:
 *
 *   apply:  plan, commit, enable, reload, (re)start, verify
 *   revert: plan, stop, disable, commit, reload, verify
 *   undo:   watch_undo_early() before the files go back and their reload,
 *           watch_undo_late() after
 */
#pragma once

#include <stdbool.h>
#include <systemd/sd-bus.h>

#include "changes.h"
#include "error.h"
#include "unit.h"
#include "watch-policy.h"

struct watch_change {
        bool install;      /* apply --watch; false: revert */
        bool planned;      /* the verb does something to watch */
        bool file_changed; /* the change set writes or removes its unit file */
        bool was_enabled;  /* before the verb */
        bool was_active;
        bool enabled, disabled; /* what the verb did, for undo */
        bool started, stopped;
};

/* apply --watch: plans tether-watch.service for the agent running now with
 * --heal=heal, from what systemd says of the unit now (NULL: not known).
 * Watch is then planned: it is enabled and started even where the file is
 * already in place. */
int watch_plan_install(const struct tether_unit *unit, enum tether_watch_heal heal, struct change_set *set,
                       struct watch_change *change, struct tether_error *error);

/* revert: plans the removal of tether-watch.service when tether wrote it;
 * a unit file an admin wrote is left alone (nothing planned). */
int watch_plan_remove(const struct tether_unit *unit, struct change_set *set, struct watch_change *change,
                      struct tether_error *error);

/* Before the set's commit (revert: stop and disable) or after it (apply:
 * enable), before the daemon-reload. */
int watch_before_reload(sd_bus *bus, struct watch_change *change, struct tether_error *error);

/* After the daemon-reload: apply (re)starts watch and checks it runs from
 * tether's file, enabled; revert checks systemd no longer has the file. */
int watch_after_reload(sd_bus *bus, struct watch_change *change, struct tether_error *error);

/* Undo, in two steps around the files' rollback and its daemon-reload;
 * each step undoes only what the verb did. Best effort: the error, if
 * any, of the first step that failed. */
int watch_undo_early(sd_bus *bus, struct watch_change *change, struct tether_error *error);
int watch_undo_late(sd_bus *bus, struct watch_change *change, struct tether_error *error);
