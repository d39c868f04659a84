/* SPDX-License-Identifier: MIT */
/*
 * The gatherer: everything the agent finds out about its host, through
 * systemd's D-Bus API, the host's files, iptables-save and the Docker API,
 * as facts (common/facts.h), and what the judge (common/judge.h) makes of
 * them. Every verb starts from it; audit only prints it.
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <systemd/sd-bus.h>

#include "bus.h"
#include "error.h"
#include "facts.h"
#include "host-json.h"
#include "judge.h"

struct host_state {
        struct tether_host_facts *facts;    /* what was observed */
        struct tether_judgement *judgement; /* what the judge made of it; borrows from facts */
};

/* policy: the policy apply would use (an existing tether drop-in's own
 * policy wins when the caller did not ask for one: policy_forced false). */
int host_state_gather(sd_bus *bus, enum tether_policy policy, bool policy_forced, struct host_state **ret,
                      struct tether_error *error);
/* The state of a host that does not run systemd: what can be read without
 * it (PID 1's name, the files, a dockerd), judged, so that the host gets
 * its verdict (not-applicable, and why) rather than an error. */
int host_state_without_systemd(enum tether_policy policy, bool policy_forced, struct host_state **ret,
                               struct tether_error *error);
struct host_state *host_state_free(struct host_state *state);

/* What tether-agent watch needs at each look: the same gathering and
 * judge, under the bind policy, without watch's own unit and journal. */
int host_state_look(sd_bus *bus, struct host_state **ret, struct tether_error *error);

/* After unit files changed (apply, revert), and nothing else: re-reads what
 * systemd has loaded and the drop-ins, and keeps the rest of *state (the
 * host, docker's version and starts, Docker's rules), saving their cost;
 * with_watch: watch's unit changed too, and is read again with its journal.
 * *state is replaced; on failure it is freed and NULL. */
int host_state_refresh(sd_bus *bus, enum tether_policy policy, bool policy_forced, bool with_watch,
                       struct host_state **state, struct tether_error *error);

/* Reads Docker's rules now (fast: used while waiting for them to return):
 * new snapshots in *ret_ipv4 and *ret_ipv6 (NULL when the host has no
 * ip6tables); both untouched on failure. */
int docker_rules_read(struct tether_netfilter_snapshot **ret_ipv4,
                      struct tether_netfilter_snapshot **ret_ipv6, struct tether_error *error);

/* What `iptables -V` says iptables is here: nft or legacy. 0 and *ret;
 * -ENOENT without iptables, -EBADMSG for an answer not understood, or
 * another -errno; *ret untouched on failure. */
int netfilter_backend_read(enum tether_netfilter_backend *ret);

/* The document of schema tether.host/1 (docs/schema.md): a new reference. */
static inline json_t *host_state_to_json(const struct host_state *state) {
        return tether_host_to_json(state->facts, state->judgement);
}

static inline bool docker_is_active(const struct host_state *state) {
        return tether_host_facts_docker_active(state->facts);
}

static inline void host_state_freep(struct host_state **state) {
        host_state_free(*state);
}
