/* SPDX-License-Identifier: MIT */
/*
 * The judge: from a host's facts (facts.h) to what tether makes of them.
 * For each firewall unit: does a restart (and a reload) of it flush
 * Docker's rules here, and is docker.service tied to it as systemd has it
 * loaded. For the host: which of Docker's expected rules are missing, the
 * drop-in tether would write and how the one on disk compares, the verdict
 * (verdict.h) and the reasons a person reads, one sentence each.
 *
 * Pure: no I/O, no globals, no logging; the same facts always give the
 * same judgement, wherever they were gathered.
 *
 * Ownership: the judgement owns its lists and strings, and borrows the
 * units of the facts it was made from (firewalls[i].unit): free it before
 * the facts.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "dropin.h"
#include "facts.h"
#include "firewall.h"
#include "netfilter.h"
#include "verdict.h"

/* The address families of Docker's rules a firewall takes away. */
enum {
        TETHER_FAMILY_IPV4 = 1 << 0, /* iptables (or "ip docker-bridges") */
        TETHER_FAMILY_IPV6 = 1 << 1, /* ip6tables (or "ip6 docker-bridges") */
};

struct tether_firewall_judgement {
        const struct tether_unit *unit; /* borrowed from the facts */
        const struct tether_firewall_kind *kind;
        bool enabled;                 /* starts at boot by itself */
        bool active;                  /* running now */
        bool flushes;                 /* a restart of it flushes (some of) Docker's rules */
        unsigned families;            /* whose: TETHER_FAMILY_IPV4 and/or _IPV6; 0 when it does not flush */
        const char *why;              /* why it flushes them, or why not (a static string) */
        bool reload_flushes;          /* it can reload, and a reload flushes too: no unit dependency
                                         propagates reloads */
        bool reload_bypasses_systemd; /* it also reloads outside systemd ('firewall-cmd --reload'), which
                                         no hook of the unit sees */
        bool docker_heals;            /* it flushes Docker's rules, but Docker re-creates all of them itself
                                         (firewalld's signal): it does not flush in the judge's sense, and a tie
                                         would restart docker for nothing */
        bool tied;                    /* docker.service is tied to it, as systemd has it loaded */
        const char *outside;          /* it flushes, and so do these commands outside systemd, which no tie
                                         covers (the kind's, static); NULL: none */
};

struct tether_judgement {
        enum tether_verdict verdict;
        /* What Docker's own settings (/etc/docker/daemon.json) and version
         * make it put in iptables and ip6tables: with "iptables": false
         * nothing, so no firewall can take anything away; with "ip-masq":
         * false or another default "bridge", no MASQUERADE for docker0;
         * IPv6 rules with "ip6tables": true, or by default from Docker 27
         * (even with "iptables": false). docker_makes_rules: of either family,
         * IPv6 ones counting only where ip6tables holds some or they were
         * asked for. */
        bool docker_makes_rules;
        bool docker_makes_ipv4_rules;
        bool docker_makes_ipv6_rules;
        bool docker_ipv6_asked;    /* "ip6tables": true in daemon.json, not only by default */
        bool docker_uses_nftables; /* "firewall-backend": "nftables": its rules are in ip/ip6 docker-bridges
                                    */
        struct tether_docker_rules expected_rules; /* its version borrowed from the facts */
        char **reasons;                            /* NULL-terminated, never NULL */

        struct tether_firewall_judgement *firewalls; /* one a firewall unit of the facts, same order */
        size_t n_firewalls;
        char **flushing_units; /* ids of the enabled or running units that flush Docker's rules */

        struct tether_netfilter_check *checks; /* Docker's expected rules; none when not read */
        size_t n_checks;
        size_t rules_missing;

        enum tether_policy policy; /* of tether's drop-in, or the one asked for */
        char *dropin_expected;     /* what tether would write now; NULL when nothing to tie */
        enum tether_dropin_state dropin_state;
        char **foreign_dropins; /* other drop-ins that tie docker to a firewall unit; never NULL */
};

/* Judges facts. policy is the policy apply would use: an existing tether
 * drop-in's own policy wins when the caller did not ask for one
 * (policy_forced false). Returns 0 and a new judgement in *ret (untouched
 * on failure), or -ENOMEM. */
/* Why apply cannot change a host whose /etc/systemd/system is read-only:
 * a reason of the verdict, and the words of apply's refusal. */
#define TETHER_READ_ONLY_REASON                                                                           \
        TETHER_SYSTEMD_DIR " cannot be written here (a read-only file system): 'tether apply' cannot "    \
                           "write the drop-in until it can; make it writable, or build the drop-in into " \
                           "the image"

int tether_judge(const struct tether_host_facts *facts, enum tether_policy policy, bool policy_forced,
                 struct tether_judgement **ret);

/* Frees the judgement and all it owns; accepts NULL; returns NULL. */
struct tether_judgement *tether_judgement_free(struct tether_judgement *judgement);
static inline void tether_judgement_freep(struct tether_judgement **judgement) {
        tether_judgement_free(*judgement);
}
