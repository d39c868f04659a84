/* SPDX-License-Identifier: MIT */
/*
 * The tables of firewall services (see firewall.h): the kinds the judge
 * reads, and the knowledge table docs/firewalls.md shows, one row a setup.
 * The sources of each fact are in docs/firewalls.md.
 *
 * A row of the knowledge table, as the doc shows it:
 *
 *   | `ufw.service` | `MANAGE_BUILTINS=yes` | flushes every table | no reload | ... |
 */
#include <string.h>

#include "firewall.h"
#include "macro.h"
#include "strbuf.h"

/* Said in reasons and in the doc alike: plain text, no Markdown. */
#define UFW_OUTSIDE "'ufw reload', 'ufw disable' and 'ufw enable', which run ufw-init themselves"
#define SHOREWALL_OUTSIDE "'shorewall reload', 'shorewall restart' and 'shorewall stop'"
#define CSF_OUTSIDE "'csf -r', and lfd, which restarts csf by itself"

const struct tether_firewall_kind tether_firewall_kinds[] = {
        {"nftables.service", "nftables: stop runs 'nft flush ruleset', start loads /etc/nftables.conf",
         TETHER_FLUSH_IF_NFT, NULL},
        {"iptables.service", "iptables-services: stop flushes every table, start runs iptables-restore",
         TETHER_FLUSH_ALWAYS, NULL},
        {"ip6tables.service", "ip6tables-services: the same for IPv6", TETHER_FLUSH_IPV6_ONLY, NULL},
        {"netfilter-persistent.service",
         "iptables-persistent: start runs iptables-restore of /etc/iptables/rules.v4",
         TETHER_FLUSH_TABLES_IN_RULES_FILE, NULL},
        {"firewalld.service", "firewalld: restart and reload flush and rebuild every table",
         TETHER_FLUSH_ALWAYS, NULL},
        {"ufw.service", "ufw: flushes its own chains, and the built-in ones with MANAGE_BUILTINS=yes",
         TETHER_FLUSH_IF_UFW_MANAGES_BUILTINS, UFW_OUTSIDE},
        {"ferm.service", "ferm: replaces the tables it manages, but the chains marked @preserve",
         TETHER_FLUSH_UNLESS_FERM_PRESERVES_DOCKER, NULL},
        {"shorewall.service",
         "Shorewall: replaces the whole ruleset, saving Docker's chains with DOCKER=Yes",
         TETHER_FLUSH_UNLESS_SHOREWALL_KEEPS_DOCKER, SHOREWALL_OUTSIDE},
        {"csf.service", "ConfigServer Firewall: flushes every table on restart", TETHER_FLUSH_ALWAYS,
         CSF_OUTSIDE},
        {"SuSEfirewall2.service", "SuSEfirewall2: flushes every table on restart", TETHER_FLUSH_ALWAYS,
         NULL},
        {"iptables-restore.service",
         "iptables-restore (Container Linux): iptables-restore of /var/lib/iptables/rules-save, without "
         "--noflush",
         TETHER_FLUSH_ALWAYS, NULL},
};

const size_t tether_firewall_kinds_count = ELEMENTSOF(tether_firewall_kinds);

const struct tether_firewall_kind *tether_firewall_kind_find(const char *unit) {
        for (size_t i = 0; i < tether_firewall_kinds_count; i++)
                if (strcmp(tether_firewall_kinds[i].unit, unit) == 0)
                        return &tether_firewall_kinds[i];
        return NULL;
}

/* What tether does with a unit that flushes, by policy. */
#define TIES "`vulnerable`; `apply` ties docker to it"
#define TIES_RELOAD TIES ": under bind `reload-vulnerable`, under follow `protected`"
#define TIES_NO_RELOAD TIES ": `protected` (it has no reload)"
#define TIES_OUTSIDE \
        TIES ", and stays `reload-vulnerable` under any policy: no tie covers a flush outside systemd"
#define LEAVES "`not-applicable`; ties nothing"

/* The knowledge table. Columns: unit, setup, restart, reload, stop and
 * start, outside systemd, judged to flush, what tether does, proof. */
const struct tether_firewall_setup tether_firewall_setups[] = {
        {"nftables.service", "Docker's rules in iptables-nft (Debian 10+, RHEL 8+)",
         "flushes every table (`flush ruleset` first in nftables.conf)",
         "flushes every table (the same file again)", "flushes: stop runs `nft flush ruleset`", "none", true,
         TIES_RELOAD,
         "test-judge: nftables bind: reloads are not covered, and the verdict says so; "
         "test-10: test_nftables_restart_wipes_every_table; test-20: "
         "test_reload_matches_the_verdict_nftables"},
        {"nftables.service", "Docker's rules in iptables-legacy", "nothing (nft does not touch x_tables)",
         "nothing", "nothing", "none", false, LEAVES,
         "test-judge: nftables with iptables-legacy: nft flush ruleset leaves Docker's rules"},
        {"nftables.service", "Docker 29 with `\"firewall-backend\": \"nftables\"`",
         "flushes Docker's tables `ip`/`ip6 docker-bridges`", "flushes them too", "flushes them", "none",
         true, TIES_RELOAD, "test-judge: nftables backend, nftables.service untied"},
        {"iptables.service", "RHEL's iptables-services", "flushes every table (stop runs -F, -X, -Z)",
         "restores /etc/sysconfig/iptables without `--noflush`: flushes the tables it names",
         "flushes every table", "none", true, TIES_RELOAD,
         "test-judge: iptables.service bind; test-10: test_iptables_restart_wipes_every_table; "
         "test-20: test_reload_matches_the_verdict_iptables; test-20: "
         "test_follow_policy_survives_stop_start"},
        {"ip6tables.service", "Docker with IPv6 rules", "flushes Docker's IPv6 rules", "flushes them too",
         "flushes them", "none", true, TIES_RELOAD, "test-judge: ip6tables.service, Docker with IPv6 rules"},
        {"ip6tables.service", "Docker without IPv6 rules", "nothing of Docker's", "nothing", "nothing",
         "none", false, LEAVES, "test-judge: ip6tables.service, Docker without IPv6 rules"},
        {"netfilter-persistent.service", "rules.v4 (or rules.v6) names `*filter` or `*nat`",
         "flushes the tables the file names", "no reload (no `ExecReload=`)",
         "stop does nothing (`FLUSH_ON_STOP=0`), start flushes the tables the file names", "none", true,
         TIES_NO_RELOAD,
         "test-judge: netfilter-persistent, filter only; "
         "test-judge: netfilter-persistent bind: no reload to cover, one reason; "
         "test-10: test_netfilter_persistent_restart_wipes_filter_only; "
         "test-20: test_reload_matches_the_verdict_netfilter_persistent"},
        {"netfilter-persistent.service", "`FLUSH_ON_STOP` above 0",
         "flushes every table (stop runs the plugins' flush)", "no reload", "flushes every table", "none",
         true, TIES_NO_RELOAD, "test-judge: netfilter-persistent: FLUSH_ON_STOP=1 flushes every table"},
        {"netfilter-persistent.service", "`IPTABLES_RESTORE_NOFLUSH=yes`, rules.v4 saved while Docker ran",
         "flushes the `:DOCKER...` chains the file declares", "no reload", "the same as a restart", "none",
         true, TIES_NO_RELOAD,
         "test-judge: netfilter-persistent: NOFLUSH=yes, but rules.v4 was saved while Docker ran"},
        {"netfilter-persistent.service", "`IPTABLES_RESTORE_NOFLUSH=yes`, no Docker chain in the file",
         "nothing", "no reload", "nothing", "none", false, LEAVES,
         "test-judge: netfilter-persistent with IPTABLES_RESTORE_NOFLUSH=yes"},
        {"netfilter-persistent.service", "no /etc/iptables/rules.v4", "nothing", "no reload", "nothing",
         "none", false, LEAVES, "test-judge: netfilter-persistent without rules.v4"},
        {"firewalld.service", "any", "flushes and rebuilds every table", "flushes and rebuilds every table",
         "stop removes every rule (`CleanupOnExit=yes`)", "none", true, TIES_RELOAD,
         "test-judge: firewalld untied"},
        {"ufw.service", "`MANAGE_BUILTINS=no` (the default)", "nothing of Docker's (only ufw's own chains)",
         "no reload (no `ExecReload=`)", "nothing of Docker's",
         "none (`ufw reload` too touches only ufw's chains)", false, LEAVES,
         "test-judge: ufw leaves the built-in chains; "
         "test-25: test_ufw_default_keeps_docker_rules_on_restart_reload_and_stop_start"},
        {"ufw.service", "`MANAGE_BUILTINS=yes` (exactly `yes`)",
         "flushes every chain of filter and the built-in ones of nat (18 of Docker's 20 lines measured)",
         "no reload", "the same, from the stop", UFW_OUTSIDE, true, TIES_OUTSIDE,
         "test-judge: ufw with MANAGE_BUILTINS=yes; "
         "test-judge: ufw MANAGE_BUILTINS=yes bind: ufw reload still flushes outside systemd; "
         "test-25: test_ufw_builtins_flush_and_the_verdicts_say_so"},
        {"ufw.service", "`MANAGE_BUILTINS=yes`, ufw not enabled (`ENABLED=no` in /etc/ufw/ufw.conf)",
         "nothing (ufw-init does nothing)", "no reload", "nothing",
         "none counted (`ufw enable` flushes them, and enables ufw: audit then counts it)", false, LEAVES,
         "test-judge: ufw MANAGE_BUILTINS=yes, not enabled: its restart does nothing; "
         "test-25: test_ufw_builtins_flush_and_the_verdicts_say_so"},
        {"ferm.service", "Docker's chains not all `@preserve`", "flushes the tables ferm.conf manages",
         "flushes them too", "flushes them", "none", true, TIES_RELOAD,
         "test-judge: ferm without @preserve; test-judge: ferm preserving only Docker 18's chains, Docker "
         "28"},
        {"ferm.service", "every chain of this Docker `@preserve`, with FORWARD, PREROUTING, POSTROUTING",
         "nothing of Docker's", "nothing of Docker's", "nothing of Docker's", "none", false, LEAVES,
         "test-judge: ferm preserving Docker's chains"},
        {"shorewall.service", "`DOCKER=No` (the default)", "flushes every table", "flushes every table",
         "flushes every table", SHOREWALL_OUTSIDE, true, TIES_OUTSIDE,
         "test-judge: shorewall, DOCKER=No; test-judge: shorewall bind: shorewall reload flushes outside "
         "systemd"},
        {"shorewall.service", "`DOCKER=Yes`, Docker before 28", "saves and restores Docker's chains",
         "the same", "the same", "none (its commands save them too)", false, LEAVES,
         "test-judge: shorewall DOCKER=Yes, Docker 20"},
        {"shorewall.service", "`DOCKER=Yes`, Docker 28 or later",
         "flushes `DOCKER-FORWARD` and the other chains of 28, which it does not save", "the same",
         "the same", SHOREWALL_OUTSIDE, true, TIES_OUTSIDE,
         "test-judge: shorewall DOCKER=Yes, Docker 28: DOCKER-FORWARD is not saved"},
        {"csf.service", "any", "flushes every table", "no reload", "flushes every table", CSF_OUTSIDE, true,
         TIES_OUTSIDE,
         "test-judge: csf untied; test-judge: csf follow: csf -r and lfd flush outside systemd"},
        {"SuSEfirewall2.service", "any", "flushes every table", "flushes every table", "flushes every table",
         "none", true, TIES_RELOAD, "test-judge: SuSEfirewall2 untied"},
        {"iptables-restore.service", "Container Linux",
         "restores /var/lib/iptables/rules-save without `--noflush` (tether does not read the file)",
         "no reload", "the same as a restart", "none", true, TIES_NO_RELOAD,
         "test-judge: iptables-restore.service untied"},
};

const size_t tether_firewall_setups_count = ELEMENTSOF(tether_firewall_setups);

char *tether_firewall_setups_markdown(void) {
        struct strbuf table = STRBUF_INIT;

        strbuf_appendf(&table, "| unit | setup | restart | reload | stop, then start | outside systemd | "
                               "judged to flush | what tether does | proved by |\n"
                               "|---|---|---|---|---|---|---|---|---|\n");
        for (size_t i = 0; i < tether_firewall_setups_count; i++) {
                const struct tether_firewall_setup *s = &tether_firewall_setups[i];

                strbuf_appendf(&table, "| `%s` | %s | %s | %s | %s | %s | %s | %s | %s |\n", s->unit,
                               s->setup, s->restart, s->reload, s->stop_start, s->outside,
                               s->flushes ? "yes" : "no", s->tether, s->proof);
        }
        return strbuf_steal(&table);
}
