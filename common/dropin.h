/* SPDX-License-Identifier: MIT */
/*
 * The systemd drop-ins tether writes, one text per policy, and how a file
 * found on a host is told apart: tether's as it would write it now, tether's
 * for other units or another policy, tether's changed by hand, or absent.
 *
 * Policy "bind" (the default), in /etc/systemd/system/docker.service.d/
 * 50-tether-firewall.conf:
 *
 *     # Managed by tether, policy "bind": ...
 *     [Unit]
 *     After=nftables.service
 *     Requires=nftables.service
 *     PartOf=nftables.service
 *
 * Policy "follow": docker.service only orders itself After= the firewall,
 * and the firewall unit gets 50-tether-restart-docker.conf in its own
 * drop-in directory, which try-restarts docker after every start and reload
 * of the firewall. docs/policies.md compares the two.
 */
#pragma once

#include <stdbool.h>

#include "error.h"

#define TETHER_SYSTEMD_DIR "/etc/systemd/system"
#define TETHER_DOCKER_UNIT "docker.service"
#define TETHER_DROPIN_NAME "50-tether-firewall.conf"
#define TETHER_HOOK_DROPIN_NAME "50-tether-restart-docker.conf"

enum tether_policy {
        TETHER_POLICY_BIND,   /* After= Requires= PartOf= on docker.service */
        TETHER_POLICY_FOLLOW, /* After= on docker.service, a restart hook on the firewall */
};

enum tether_dropin_state {
        TETHER_DROPIN_ABSENT,  /* no file */
        TETHER_DROPIN_CURRENT, /* exactly what tether would write now */
        TETHER_DROPIN_STALE,   /* tether's text, for other units or another policy */
        TETHER_DROPIN_DRIFTED, /* tether's file, changed by hand */
};

const char *tether_policy_to_string(enum tether_policy policy);
int tether_policy_from_string(const char *s, enum tether_policy *ret);
const char *tether_dropin_state_to_string(enum tether_dropin_state state);

/* docker.service's drop-in for the firewall units in units[] (NULL-terminated,
 * at least one). *ret is a new string. -EINVAL for an invalid unit name. */
int tether_dropin_render(enum tether_policy policy, char *const *units, char **ret,
                         struct tether_error *error);

/* The follow policy's drop-in for one firewall unit. with_reload adds the hook
 * to ExecReload= too, which is only right when the unit can already reload. */
int tether_dropin_render_hook(bool with_reload, char **ret);

/* How the text of tether's drop-in file compares with expected (what tether
 * would write now); contents NULL means there is no file. */
enum tether_dropin_state tether_dropin_classify(const char *contents, const char *expected);

/* Whether the text of some unit file or drop-in ties docker to unit in its
 * [Unit] section: After= and one of Requires=, BindsTo=, PartOf=. */
bool tether_dropin_text_ties(const char *contents, const char *unit);
