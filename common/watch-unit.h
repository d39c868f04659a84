/* SPDX-License-Identifier: MIT */
/*
 * tether-watch.service as `tether apply --watch` writes it (docs/watch.md,
 * "The unit"): the agent's watch, started by systemd, hardened to what it
 * needs. The unit names the agent by the path it runs from on the host
 * (root's checked copy that tether deploys, or the package's), and the
 * heal policy the admin chose. Its first line says it is tether's: revert
 * removes only a file that starts with it, never one an admin wrote.
 */
#pragma once

#include <stdbool.h>

#include "error.h"
#include "watch-policy.h"

#define TETHER_WATCH_UNIT_PATH "/etc/systemd/system/tether-watch.service"
#define TETHER_WATCH_UNIT_MARKER "# Managed by tether: 'tether apply --watch' wrote this file,\n"

/* The unit's text for the agent at agent_path (tether_valid_agent_path())
 * with --heal=heal. 0 and *ret (the caller frees it); -EINVAL when the path
 * cannot be ExecStart='s program, with the error naming it; -ENOMEM.
 * *ret is untouched on failure. */
int tether_watch_unit_render(const char *agent_path, enum tether_watch_heal heal, char **ret,
                             struct tether_error *error);

/* Whether the watch that the unit's files start heals (--heal=restart, or
 * a bare --heal): each file's text is read in systemd's order (the unit
 * file, then its drop-ins), restarts the value after the files before it,
 * and the last ExecStart= decides; an empty ExecStart= resets it. */
bool tether_watch_unit_restarts(const char *text, bool restarts);

/* Whether a unit file's text is one tether wrote (starts with the marker). */
bool tether_watch_unit_is_ours(const char *text);
