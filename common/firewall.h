/* SPDX-License-Identifier: MIT */
/*
 * What tether knows of the firewall services found on Docker hosts: their
 * unit names, what each does to Docker's rules, and the knowledge table of
 * docs/firewalls.md, which is generated from this one (a unit test fails
 * when the two differ).
 *
 * Two tables. The kinds say what the judge needs of a unit: its flush rule
 * and the commands that flush Docker's rules without going through
 * systemd. The setups are the kinds as people run them (ufw with and
 * without MANAGE_BUILTINS=yes, Shorewall with and without DOCKER=Yes, ...):
 * per setup, what a restart, a reload, a stop and start and commands
 * outside systemd do to Docker's rules, what tether does, and the test that
 * proves it.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

enum tether_flush_rule {
        /* Always flushes every table Docker uses (nft flush ruleset, iptables -F/-X of every table). */
        TETHER_FLUSH_ALWAYS,
        /* Flushes what nftables holds: Docker's rules only when they live in nf_tables (iptables-nft). */
        TETHER_FLUSH_IF_NFT,
        /* iptables-restore without --noflush: flushes the tables named in its rules files; every
         * table with FLUSH_ON_STOP set. */
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
        /* Shorewall: every table, unless DOCKER=Yes in shorewall.conf saves and restores Docker's
         * chains (only those Docker had before 28). */
        TETHER_FLUSH_UNLESS_SHOREWALL_KEEPS_DOCKER,
        /* ferm: the tables it manages, except the chains ferm.conf marks @preserve. */
        TETHER_FLUSH_UNLESS_FERM_PRESERVES_DOCKER,
};

struct tether_firewall_kind {
        const char *unit; /* "nftables.service" */
        const char *what; /* "nftables (nft flush ruleset, then /etc/nftables.conf)" */
        enum tether_flush_rule flush;
        /* Where its flush happens, commands that flush Docker's rules without
         * systemd, so no tie to the unit covers them ("csf -r, lfd"); NULL:
         * none beyond running its scripts by hand. */
        const char *outside;
};

/* The known firewall units, in the order an audit reports them. */
extern const struct tether_firewall_kind tether_firewall_kinds[];
extern const size_t tether_firewall_kinds_count;

/* The kind of a unit name, or NULL when tether does not know it. */
const struct tether_firewall_kind *tether_firewall_kind_find(const char *unit);

/* One row of the knowledge table. Each text is a cell of docs/firewalls.md
 * (Markdown, no '|' or newline). */
struct tether_firewall_setup {
        const char *unit;       /* a kind's unit */
        const char *setup;      /* "MANAGE_BUILTINS=yes" */
        const char *restart;    /* what `systemctl restart` does to Docker's rules */
        const char *reload;     /* `systemctl reload` */
        const char *stop_start; /* `systemctl stop`, then `start` */
        const char *outside;    /* commands outside systemd that flush them: the kind's outside, or "none" */
        bool flushes;           /* tether judges the unit to flush Docker's rules */
        const char *tether;     /* what audit says and apply does */
        const char *proof;      /* the tests that prove it: "test-judge: ROW NAME", "test-NN: test_name" */
};

extern const struct tether_firewall_setup tether_firewall_setups[];
extern const size_t tether_firewall_setups_count;

/* The knowledge table as the Markdown table of docs/firewalls.md: a new
 * string, or NULL when out of memory. */
char *tether_firewall_setups_markdown(void);
