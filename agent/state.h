/* SPDX-License-Identifier: MIT */
/*
 * Everything the agent finds out about its host: the host itself, docker,
 * Docker's netfilter rules, the firewall units, tether's drop-in and any
 * other that ties docker to a firewall, and the verdict with its reasons.
 * Every verb starts from it; audit only prints it.
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <systemd/sd-bus.h>

#include "bus.h"
#include "dropin.h"
#include "error.h"
#include "firewall.h"
#include "netfilter.h"
#include "verdict.h"

struct firewall_state {
        struct unit_info *unit;
        const struct tether_firewall_kind *kind;
        bool enabled;
        bool active;
        bool flushes;        /* a restart of it flushes (some of) Docker's rules */
        char *flush_reason;  /* why, or why not */
        bool reload_flushes; /* it can reload, and a reload flushes too: no unit dependency propagates
                                reloads */
        bool tied;           /* docker.service is tied to it, as systemd has it loaded */
};

struct netfilter_state {
        enum tether_netfilter_backend backend; /* what `iptables` is on this host */
        struct tether_netfilter_snapshot *ipv4;
        struct tether_netfilter_snapshot *ipv6;
        struct tether_netfilter_check *checks;
        size_t n_checks;
        size_t missing;
        char *error; /* why the rules could not be read, or NULL */
};

struct host_state {
        char *hostname;
        char *os_id, *os_version_id, *os_pretty_name;
        char *kernel;
        char *systemd_version;

        struct unit_info *docker;
        char *docker_version; /* from the Engine API, NULL when docker is not running */
        unsigned docker_major;
        bool live_restore;
        unsigned starts_in_window;  /* docker starts within its StartLimitIntervalSec */
        unsigned start_room_in_sec; /* until two more starts fit under StartLimitBurst; 0: now */

        struct netfilter_state netfilter;

        struct firewall_state *firewalls;
        size_t n_firewalls;

        enum tether_policy policy; /* of tether's drop-in, or the one asked for */
        char *dropin_path;
        char *dropin_contents; /* NULL: absent */
        char *dropin_expected; /* what tether would write now, NULL when nothing to tie */
        enum tether_dropin_state dropin_state;
        char **foreign_dropins;  /* other drop-ins that tie docker to a firewall unit */
        char **unloaded_dropins; /* docker.service drop-ins on disk that systemd has not loaded */

        enum tether_verdict verdict;
        char **reasons;
};

/* policy: the policy apply would use (an existing tether drop-in's own
 * policy wins when the caller did not ask for one: policy_forced false). */
int host_state_gather(sd_bus *bus, enum tether_policy policy, bool policy_forced, struct host_state **ret,
                      struct tether_error *error);
struct host_state *host_state_free(struct host_state *state);

/* After unit files changed (apply, revert), and nothing else: re-reads what
 * systemd has loaded and the drop-ins, and keeps the rest of *state (the
 * host, docker's version and starts, Docker's rules), saving their cost.
 * *state is replaced; on failure it is freed and NULL. */
int host_state_refresh(sd_bus *bus, enum tether_policy policy, bool policy_forced, struct host_state **state,
                       struct tether_error *error);

/* Re-reads only Docker's rules (fast: used while waiting for them to return). */
int netfilter_state_read(struct netfilter_state *netfilter, unsigned docker_major,
                         struct tether_error *error);
void netfilter_state_clear(struct netfilter_state *netfilter);

/* The firewall units whose restart flushes Docker's rules, as a new
 * NULL-terminated list of their ids (the list only is owned). */
int host_state_flushing_units(const struct host_state *state, char ***ret);

json_t *host_state_to_json(const struct host_state *state);

bool docker_is_active(const struct host_state *state);

static inline void host_state_freep(struct host_state **state) {
        host_state_free(*state);
}
