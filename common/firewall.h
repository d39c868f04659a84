/* SPDX-License-Identifier: MIT */
/*
 * What tether knows of the firewall services found on Docker hosts: their
 * unit names and what a restart of each does to Docker's rules. The facts
 * and their sources are in docs/firewalls.md.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

enum tether_flush_rule {
        /* Always flushes every table Docker uses (nft flush ruleset, iptables -F/-X of every table). */
        TETHER_FLUSH_ALWAYS,
        /* Flushes what nftables holds: Docker's rules only when they live in nf_tables (iptables-nft). */
        TETHER_FLUSH_IF_NFT,
        /* iptables-restore without --noflush: flushes the tables named in its rules files. */
        TETHER_FLUSH_TABLES_IN_RULES_FILE,
        /* ufw: only its own chains, unless MANAGE_BUILTINS=yes in /etc/default/ufw. */
        TETHER_FLUSH_IF_UFW_MANAGES_BUILTINS,
        /* Restores only IPv6 tables: matters when Docker has IPv6 rules. */
        TETHER_FLUSH_IPV6_ONLY,
        /* Flushes every IPv4 table, and no IPv6 one (its IPv6 twin is a unit of its own). */
        TETHER_FLUSH_IPV4_ONLY,
        /* firewalld: flushes iptables unless it is 2.0+ on nftables without direct rules; Docker
         * connected to it re-creates its rules (all of them from 28.3.3 and 25.0.13). */
        TETHER_FLUSH_FIREWALLD,
};

struct tether_firewall_kind {
        const char *unit; /* "nftables.service" */
        const char *what; /* "nftables (nft flush ruleset, then /etc/nftables.conf)" */
        enum tether_flush_rule flush;
};

/* The known firewall units, in the order an audit reports them. */
extern const struct tether_firewall_kind tether_firewall_kinds[];
extern const size_t tether_firewall_kinds_count;

/* The kind of a unit name, or NULL when tether does not know it. */
const struct tether_firewall_kind *tether_firewall_kind_find(const char *unit);
