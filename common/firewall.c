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
         TETHER_FLUSH_IPV4_ONLY, NULL},
        {"ip6tables.service", "ip6tables-services: the same for IPv6", TETHER_FLUSH_IPV6_ONLY, NULL},
        {"netfilter-persistent.service",
         "iptables-persistent: start runs iptables-restore of /etc/iptables/rules.v4",
         TETHER_FLUSH_TABLES_IN_RULES_FILE, NULL},
        {"firewalld.service",
         "firewalld: restart, reload and stop flush the iptables tables (before 2.0, or with direct rules "
         "or FirewallBackend=iptables); Docker re-creates its rules on firewalld's D-Bus signals",
         TETHER_FLUSH_FIREWALLD, NULL},
        {"ufw.service", "ufw: flushes its own chains, and the built-in ones with MANAGE_BUILTINS=yes",
         TETHER_FLUSH_IF_UFW_MANAGES_BUILTINS, UFW_OUTSIDE},
        {"ferm.service", "ferm: replaces the tables it manages, but the chains marked @preserve",
         TETHER_FLUSH_UNLESS_FERM_PRESERVES_DOCKER, NULL},
        {"shorewall.service",
         "Shorewall: replaces the whole IPv4 ruleset, saving Docker's chains with DOCKER=Yes",
         TETHER_FLUSH_UNLESS_SHOREWALL_KEEPS_DOCKER, SHOREWALL_OUTSIDE},
        {"csf.service", "ConfigServer Firewall: flushes every table on restart", TETHER_FLUSH_ALWAYS,
         CSF_OUTSIDE},
        {"SuSEfirewall2.service", "SuSEfirewall2: flushes every table on restart", TETHER_FLUSH_ALWAYS,
         NULL},
        {"iptables-restore.service",
         "iptables-restore (Container Linux): iptables-restore of /var/lib/iptables/rules-save, without "
         "--noflush",
         TETHER_FLUSH_IPV4_ONLY, NULL},
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
#define FIREWALLD_TIES                                                                                \
        TIES ", and stays `reload-vulnerable` under any policy: `firewall-cmd --reload` goes around " \
             "systemd"
#define FIREWALLD_OUTSIDE \
        "none besides its reload: `firewall-cmd --reload` reloads it over D-Bus, not systemd"
#define FIREWALLD_1X "firewalld 1.x; 2.x with `FirewallBackend=iptables` or direct rules"

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
        {"iptables.service", "RHEL's iptables-services",
         "flushes every IPv4 table (stop runs -F, -X, -Z); IPv6 is ip6tables.service's",
         "restores /etc/sysconfig/iptables without `--noflush`: flushes the tables it names",
         "flushes every IPv4 table", "none", true, TIES_RELOAD,
         "test-judge: iptables.service bind; "
         "test-judge: Docker with IPv6 rules: iptables.service takes IPv4 only (ip6tables.service is its "
         "twin); "
         "test-10: test_iptables_restart_wipes_every_table; "
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
         "test-judge: netfilter-persistent restores rules.v4 and rules.v6: both families; "
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
        {"firewalld.service", FIREWALLD_1X ", Docker connected, before 28.3.3 (25.0.13 in 25.0)",
         "flushes every iptables and ip6tables table; Docker re-creates its rules on firewalld's signal, "
         "all but the isolation rules (before 28.0.0) or the per-container ones (28.0.0 to 28.3.2)",
         "the same", "stop flushes every table (`CleanupOnExit=yes`), start as a restart", FIREWALLD_OUTSIDE,
         true, FIREWALLD_TIES,
         "test-judge: firewalld 1.3, Docker 20.10 connected: heals all but the isolation rules, untied; "
         "test-judge: firewalld 1.3 bind: a restart restarts docker, 'firewall-cmd --reload' still leaves "
         "holes; "
         "test-judge: firewalld 1.3 follow: its ExecReload= hook never sees 'firewall-cmd --reload'; "
         "test-judge: firewalld 1.3, Docker 28.2.2: per-container rules not re-created (CVE-2025-54388); "
         "test-judge: firewalld 2.0 with direct rules: flushes iptables as 1.x does; "
         "test-judge: firewalld 2.3, FirewallBackend=iptables (any case, blanks); "
         "test-judge: Docker 28 with its default IPv6 rules: firewalld takes both families; "
         "test-25-firewalld: test_firewalld_untied_verdict_matches_restart_reload_stop_start; "
         "test-25-firewalld: test_firewalld_bind_covers_restart_not_reload; "
         "test-25-firewalld: test_firewalld_follow_misses_firewall_cmd_reload; "
         "test-25-firewalld: test_firewalld_1x_with_the_iptables_backend_flushes_alike; "
         "test-20: test_fix_cycle_firewalld"},
        {"firewalld.service", FIREWALLD_1X ", Docker not connected (firewalld started after dockerd)",
         "flushes every iptables and ip6tables table; Docker puts nothing back", "the same",
         "stop flushes every table, start as a restart", FIREWALLD_OUTSIDE, true, FIREWALLD_TIES,
         "test-judge: firewalld 1.3 started after dockerd: Docker not connected, heals nothing; "
         "test-judge: firewalld 1.3, Docker 28.3.3 not connected: heals nothing; "
         "test-25-firewalld: test_firewalld_started_after_docker_takes_everything"},
        {"firewalld.service", FIREWALLD_1X ", not running (Docker's connection cannot be asked)",
         "flushes, judged as 1.x (an unknown version is)", "the same", "the same", FIREWALLD_OUTSIDE, true,
         FIREWALLD_TIES,
         "test-judge: firewalld 1.3 enabled, stopped: Docker's connection unseen; "
         "test-judge: firewalld, nothing known of it: judged as 1.x, Docker's part unseen"},
        {"firewalld.service", FIREWALLD_1X ", Docker 28.3.3+ (or 25.0.13+) connected",
         "flushes every table; Docker re-creates all its rules within a second", "the same",
         "stop flushes every table until the start; then the same",
         "none (`firewall-cmd --reload` too: Docker heals)", false,
         LEAVES " (a tie would restart docker on each firewalld restart for nothing); `apply` removes its "
                "own tie",
         "test-judge: firewalld 1.3, Docker 28.3.3: heals itself, nothing to tie; "
         "test-judge: firewalld 1.3, Docker 25.0.13: heals itself, nothing to tie; "
         "test-judge: firewalld 1.3, Docker 28.3.3 tied by tether: the drop-in is no longer wanted"},
        {"firewalld.service", "firewalld 2.0+, `FirewallBackend=nftables` (or none), no direct rules",
         "nothing of Docker's (only its own nftables tables)", "nothing of Docker's", "nothing of Docker's",
         "none", false, LEAVES,
         "test-judge: firewalld 2.0, nftables, no direct rules: leaves iptables alone; "
         "test-judge: firewalld 2.0, no firewalld.conf: nftables is the default; "
         "test-judge: firewalld 2.0, a quoted backend is invalid to firewalld: nftables"},
        {"ufw.service", "`MANAGE_BUILTINS=no` (the default)", "nothing of Docker's (only ufw's own chains)",
         "no reload (no `ExecReload=`)", "nothing of Docker's",
         "none (`ufw reload` too touches only ufw's chains)", false, LEAVES,
         "test-judge: ufw leaves the built-in chains; "
         "test-25-ufw: test_ufw_default_keeps_docker_rules_on_restart_reload_and_stop_start"},
        {"ufw.service", "`MANAGE_BUILTINS=yes` (exactly `yes`)",
         "flushes every chain of filter and the built-in ones of nat (18 of Docker's 20 lines measured)",
         "no reload", "the same, from the stop", UFW_OUTSIDE, true, TIES_OUTSIDE,
         "test-judge: ufw with MANAGE_BUILTINS=yes; "
         "test-judge: ufw MANAGE_BUILTINS=yes bind: ufw reload still flushes outside systemd; "
         "test-25-ufw: test_ufw_builtins_flush_and_the_verdicts_say_so"},
        {"ufw.service", "`MANAGE_BUILTINS=yes`, ufw not enabled (`ENABLED=no` in /etc/ufw/ufw.conf)",
         "nothing (ufw-init does nothing)", "no reload", "nothing",
         "none counted (`ufw enable` flushes them, and enables ufw: audit then counts it)", false, LEAVES,
         "test-judge: ufw MANAGE_BUILTINS=yes, not enabled: its restart does nothing; "
         "test-25-ufw: test_ufw_builtins_flush_and_the_verdicts_say_so"},
        {"ferm.service", "Docker's chains not all `@preserve`", "flushes the tables ferm.conf manages",
         "flushes them too", "flushes them", "none", true, TIES_RELOAD,
         "test-judge: ferm without @preserve; test-judge: ferm preserving only Docker 18's chains, Docker "
         "28"},
        {"ferm.service", "every chain of this Docker `@preserve`, with FORWARD, PREROUTING, POSTROUTING",
         "nothing of Docker's", "nothing of Docker's", "nothing of Docker's", "none", false, LEAVES,
         "test-judge: ferm preserving Docker's chains"},
        {"shorewall.service", "`DOCKER=No` (the default)",
         "flushes every IPv4 table (IPv6 is shorewall6.service's)", "flushes every IPv4 table",
         "flushes every IPv4 table", SHOREWALL_OUTSIDE, true, TIES_OUTSIDE,
         "test-judge: shorewall, DOCKER=No; test-judge: shorewall bind: shorewall reload flushes outside "
         "systemd; test-judge: shorewall, DOCKER=No, Docker with IPv6 rules: IPv4 only"},
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
         "restores /var/lib/iptables/rules-save without `--noflush`: every IPv4 table (tether does not read "
         "the file)",
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
