/* SPDX-License-Identifier: MIT */
/*
 * The checks apply and revert make after daemon-reload, on what systemd
 * has loaded (never on what the files say): the agent fills the units
 * through D-Bus, agentless mode from `systemctl show`, and both ask here,
 * so that a change is kept, or put back, by the same rule.
 */
#pragma once

#include "dropin.h"
#include "error.h"
#include "unit.h"

/* Whether systemd has loaded docker.service's files as they are now: 0,
 * or -EAGAIN with the words for it. */
int tether_check_loaded(const struct tether_unit *docker, struct tether_error *error);

/* Whether docker is tied to unit as policy ties it: After= always;
 * Requires= and PartOf= for bind; for follow, unit's ExecStartPost= hook
 * that restarts docker. 0, or -EPROTO naming what systemd did not take. */
int tether_check_tie(const struct tether_unit *docker, const struct tether_unit *unit,
                     enum tether_policy policy, struct tether_error *error);

/* Whether systemd no longer has the drop-in at path loaded for docker:
 * 0, or -EPROTO. */
int tether_check_unloaded(const struct tether_unit *docker, const char *path, struct tether_error *error);

/* apply --firewall GIVEN as a unit name (".service" added where it has
 * none): 0 and a new string in *ret, -EINVAL naming it, or -ENOMEM. */
int tether_forced_unit_name(const char *given, char **ret, struct tether_error *error);

/* The forced unit name as systemd showed it (unit NULL: not shown): 0 and
 * its id in *ret (a new string), or -ENOENT when it does not exist, since
 * Requires= on a missing unit makes 'systemctl restart docker' fail. */
int tether_forced_unit_id(const char *name, const struct tether_unit *unit, char **ret,
                          struct tether_error *error);
