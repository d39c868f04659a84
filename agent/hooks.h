/* SPDX-License-Identifier: MIT */
/*
 * The follow policy's hooks: a drop-in tether puts on a firewall unit,
 * TETHER_SYSTEMD_DIR/<unit>.d/TETHER_HOOK_DROPIN_NAME, that try-restarts
 * docker.service after the unit starts, and after it reloads where it can
 * (the text is tether_dropin_render_hook()'s). apply writes one on each
 * firewall unit it follows and removes the others; revert removes them all.
 */
#pragma once

#include "changes.h"
#include "error.h"

/* The path of the hook drop-in of unit, in *ret (new string); -ENOMEM. */
int agent_hook_path(const char *unit, char **ret);

/* Adds to set the removal of every hook tether left on any unit, whatever
 * its name, but on the units in keep (NULL-terminated, or NULL: none). */
int change_set_remove_hooks(struct change_set *set, char *const *keep, struct tether_error *error);
