/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/judge.c, one row a situation: every firewall kind's
 * flush rule, a firewall tied (bind, follow), untied, half-tied, disabled;
 * Docker's rules present, partly gone, all gone, not read; docker missing,
 * stopped, disabled; tether's drop-in absent, current, stale, drifted; a
 * foreign drop-in; drop-ins not loaded. Each row states the verdict, the
 * exact reasons in order, the drop-in's state and what apply would tie.
 * The facts are built as a gatherer would fill them; Docker's rules come
 * from the iptables-save captures in tests/unit/fixtures/netfilter.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "facts.h"
#include "fileio.h"
#include "judge.h"
#include "macro.h"
#include "test-util.h"

/* Each row starts from a base (HEALTHY_NFT) and overrides the fields it is
 * about: the override is the point of the row. */
#pragma GCC diagnostic ignored "-Woverride-init"

#define FIXTURES "tests/unit/fixtures/netfilter/"
#define DROPIN_PATH "/etc/systemd/system/docker.service.d/50-tether-firewall.conf"
#define OTHER_DROPIN "/etc/systemd/system/docker.service.d/override.conf"

enum tie {
        UNTIED,
        TIE_BIND,       /* After= Requires= PartOf=, as tether's bind policy writes */
        TIE_FOLLOW,     /* After= and the firewall's ExecStartPost= hook */
        TIE_AFTER_ONLY, /* ordering alone ties nothing */
        TIE_BINDS_TO,   /* After= BindsTo=, as some hand-written drop-ins have it */
};

enum dropin {
        NO_DROPIN,
        DROPIN_AS_RENDERED,  /* tether's bind drop-in for the row's firewall, as it would write it */
        DROPIN_FOR_NFTABLES, /* tether's bind drop-in for nftables.service */
        DROPIN_HAND_EDITED,  /* tether's, with a line added by hand */
};

struct row {
        const char *name;
        /* docker.service: NULL active state is "not installed" */
        const char *docker_active, *docker_file_state;
        const char *docker_result; /* NULL: success */
        bool need_daemon_reload;
        unsigned docker_major;
        const char *docker_version; /* the Engine's, NULL: the major alone */
        /* one firewall unit, or none */
        const char *firewall, *firewall_active, *firewall_file_state;
        const char *firewall_load; /* NULL: loaded */
        bool firewall_reloads;
        enum tie tie;
        /* Docker's rules: fixture names, NULL not read */
        enum tether_netfilter_backend backend;
        const char *ipv4, *ipv6;
        bool ipv4_without_masquerade; /* the ipv4 fixture less its POSTROUTING MASQUERADE */
        /* files */
        const char *rules_v4, *rules_v6, *netfilter_persistent, *ufw, *ufw_conf, *daemon_json, *shorewall,
                *ferm;
        const char *docker_other_unit; /* snap's Docker, where docker.service does not exist */
        unsigned dockerd_outside_pid;  /* a dockerd outside docker.service */
        const char *init_system;       /* PID 1, where it is not systemd */
        bool unit_dir_read_only;
        /* firewalld: its files are fixtures of tests/unit/fixtures/firewalld, or text */
        const char *firewalld_version, *bridge_zone;
        const char *firewalld_conf, *firewalld_direct;
        const char *nft_tables; /* `nft list tables` */
        int running;            /* containers */
        bool live_restore;
        /* drop-ins */
        enum dropin dropin;
        const char *other_dropin;
        bool unloaded;
        /* expected */
        enum tether_verdict verdict;
        const char *reasons[6];
        enum tether_dropin_state dropin_state;
        const char *flushing; /* the one unit apply would tie, or NULL */
};

#define NFT_RESTART "its restart runs 'nft flush ruleset', which removes Docker's iptables-nft rules"
#define NFT_UNTIED "nftables.service is running and " NFT_RESTART ", but docker.service is not tied to it"
#define NFT_RELOAD                                                                                       \
        "a reload of nftables.service flushes Docker's rules too, and systemd does not pass reloads on " \
        "through PartOf= or Requires=: policy follow covers reloads"
#define TIED(unit) "docker.service is tied to " unit ", as systemd has it loaded"
#define NOT_APPLICABLE "no enabled or running firewall service flushes Docker's rules"
#define NFP_FILTER                                                                          \
        "its restart restores the filter table of /etc/iptables/rules.v4, wiping Docker's " \
        "filter chains (nat survives)"
#define FWD_FLUSHES "its restart, reload and stop flush the iptables tables"
#define FWD_UNSEEN                                                                                        \
        FWD_FLUSHES ", and whether Docker re-creates them cannot be seen while firewalld is not running " \
                    "(it does only if firewalld ran when dockerd started)"
#define FWD_ISOLATION                                                                                      \
        FWD_FLUSHES "; Docker re-creates them on firewalld's signal, all but the isolation rules between " \
                    "its networks (CVE-2025-54410, fixed in Docker 28.0.0 and 25.0.13)"
#define FWD_UNTIED(why) "firewalld.service is running and " why ", but docker.service is not tied to it"
#define FWD_RELOAD(why)                                                                                     \
        "no tie passes on a reload of firewalld.service, nor 'firewall-cmd --reload', which systemd never " \
        "sees: " why
#define FWD_HEALS                                                                                          \
        "firewalld.service is running and " FWD_FLUSHES                                                    \
        ", and Docker re-creates all of them on firewalld's "                                              \
        "signal (Docker 28.3.3 or later, or 25.0.13 or later, connected to firewalld since dockerd "       \
        "started): tether ties nothing to it, as a tie would restart docker, and stop its containers, on " \
        "each firewalld restart for nothing"
#define FWD_SPARED                                                                                       \
        "firewalld.service is running, but firewalld 2.0 or later with FirewallBackend=nftables and no " \
        "direct rules leaves iptables, and Docker's rules, alone"
#define OUTSIDE(unit, commands)                                                                            \
        unit " flushes Docker's rules from outside systemd too (" commands "): no tie to the unit covers " \
             "that, only something that puts the rules back when they go"
#define UFW_OUTSIDE                                                                                \
        OUTSIDE("ufw.service", "'ufw reload', 'ufw disable' and 'ufw enable', which run ufw-init " \
                               "themselves")
#define UFW_UNTIED                                                                                       \
        "ufw.service is running and MANAGE_BUILTINS=yes: its restart flushes every chain of the filter " \
        "table, Docker's too, and the built-in ones of nat, but "                                        \
        "docker.service is not tied to it"
#define SHOREWALL_OUTSIDE \
        OUTSIDE("shorewall.service", "'shorewall reload', 'shorewall restart' and 'shorewall stop'")
#define SHOREWALL_28                                                                                      \
        "shorewall.service is running and DOCKER=Yes, but Shorewall saves only the chains Docker had "    \
        "before "                                                                                         \
        "28 (not DOCKER-FORWARD and its kin): its restart flushes the others, but docker.service is not " \
        "tied to it"
#define CSF_OUTSIDE OUTSIDE("csf.service", "'csf -r', and lfd, which restarts csf by itself")
#define FERM_UNTIED                                                                                         \
        "ferm.service is running and its restart replaces the tables it manages, and /etc/ferm/ferm.conf "  \
        "does not mark every chain that holds Docker's rules @preserve, but docker.service is not tied to " \
        "it"
/* ferm.conf in the form ferm(1) gives for @preserve ("chain (foo bar) @preserve;", Debian's
 * ferm 2.5.1), naming every chain of the captured Docker 20 rules in filter and nat. */
#define FERM_PRESERVING_DOCKER20                                                                        \
        "# Docker's chains, kept as Docker made them\n"                                                 \
        "domain (ip ip6) {\n"                                                                           \
        "    table filter {\n"                                                                          \
        "        chain (DOCKER DOCKER-USER DOCKER-ISOLATION-STAGE-1 DOCKER-ISOLATION-STAGE-2 FORWARD) " \
        "@preserve;\n"                                                                                  \
        "        chain INPUT { policy DROP; proto tcp dport ssh ACCEPT; }\n"                            \
        "    }\n"                                                                                       \
        "    table nat {\n"                                                                             \
        "        chain (DOCKER PREROUTING OUTPUT POSTROUTING) @preserve;\n"                             \
        "    }\n"                                                                                       \
        "}\n"
/* Base row: Docker 28 running with every rule, nftables running and enabled. */
#define HEALTHY_NFT                                                                                    \
        .docker_active = "active", .docker_file_state = "enabled", .docker_major = 28,                 \
        .firewall = "nftables.service", .firewall_active = "active", .firewall_file_state = "enabled", \
        .firewall_reloads = true, .backend = TETHER_NETFILTER_NFT, .ipv4 = "docker28-nft-healthy.txt"

/* The fleet's firewalld role: Debian 12's firewalld 1.3.3 running, docker.io 20.10.24 connected to it. */
#define FWD_DEBIAN12                                                                         \
        HEALTHY_NFT, .firewall = "firewalld.service", .docker_major = 20,                    \
                     .ipv4 = "docker20-nft-healthy.txt", .docker_version = "20.10.24+dfsg1", \
                     .firewalld_version = "1.3.3", .bridge_zone = "docker",                  \
                     .firewalld_conf = "fixture:debian12-1.3.3-firewalld.conf"

static const struct row rows[] = {
        /* nftables */
        {"nftables untied", HEALTHY_NFT, .verdict = TETHER_VERDICT_VULNERABLE, .reasons = {NFT_UNTIED},
         .flushing = "nftables.service"},
        {"nftables bind: reloads are not covered, and the verdict says so", HEALTHY_NFT, .tie = TIE_BIND,
         .verdict = TETHER_VERDICT_RELOAD_VULNERABLE, .reasons = {TIED("nftables.service"), NFT_RELOAD},
         .flushing = "nftables.service"},
        {"nftables follow: tied, reloads covered, nothing contradicts it", HEALTHY_NFT, .tie = TIE_FOLLOW,
         .verdict = TETHER_VERDICT_PROTECTED, .reasons = {TIED("nftables.service")},
         .flushing = "nftables.service"},
        {"nftables BindsTo", HEALTHY_NFT, .tie = TIE_BINDS_TO, .verdict = TETHER_VERDICT_RELOAD_VULNERABLE,
         .reasons = {TIED("nftables.service"), NFT_RELOAD}, .flushing = "nftables.service"},
        {"After= alone ties nothing", HEALTHY_NFT, .tie = TIE_AFTER_ONLY,
         .verdict = TETHER_VERDICT_VULNERABLE, .reasons = {NFT_UNTIED}, .flushing = "nftables.service"},
        {"nftables enabled, not running", HEALTHY_NFT, .firewall_active = "inactive",
         .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {"nftables.service is enabled and " NFT_RESTART
                     ", but docker.service is not tied to it"},
         .flushing = "nftables.service"},
        {"nftables running, not enabled", HEALTHY_NFT, .firewall_file_state = "disabled",
         .verdict = TETHER_VERDICT_VULNERABLE, .reasons = {NFT_UNTIED}, .flushing = "nftables.service"},
        {"nftables static counts as not enabled", HEALTHY_NFT, .firewall_active = "inactive",
         .firewall_file_state = "static", .verdict = TETHER_VERDICT_NOT_APPLICABLE,
         .reasons = {NOT_APPLICABLE}},
        {"nftables neither running nor enabled", HEALTHY_NFT, .firewall_active = "inactive",
         .firewall_file_state = "disabled", .verdict = TETHER_VERDICT_NOT_APPLICABLE,
         .reasons = {NOT_APPLICABLE}},
        {"an alias the distribution ships is not enabled (Debian 11's iptables.service)", HEALTHY_NFT,
         .firewall = "iptables.service", .firewall_active = "inactive", .firewall_file_state = "alias",
         .verdict = TETHER_VERDICT_NOT_APPLICABLE, .reasons = {NOT_APPLICABLE}},
        {"nftables with iptables-legacy: nft flush ruleset leaves Docker's rules", HEALTHY_NFT,
         .backend = TETHER_NETFILTER_LEGACY, .ipv4 = "docker20-legacy-healthy.txt", .docker_major = 20,
         .verdict = TETHER_VERDICT_NOT_APPLICABLE, .reasons = {NOT_APPLICABLE}},

        /* Docker's rules */
        {"all of Docker's rules gone", HEALTHY_NFT, .ipv4 = "docker20-nft-after-nftables.txt",
         .docker_major = 20, .verdict = TETHER_VERDICT_BROKEN,
         .reasons =
                 {"docker is active but 10 of its chains and rules are missing now (filter: chain DOCKER, "
                  "filter: chain DOCKER-USER, filter: jump FORWARD -> DOCKER-USER, filter: chain "
                  "DOCKER-ISOLATION-STAGE-1, filter: chain DOCKER-ISOLATION-STAGE-2, filter: jump FORWARD "
                  "-> DOCKER-ISOLATION-STAGE-1, nat: "
                  "chain DOCKER, nat: jump PREROUTING -> DOCKER (dst-type LOCAL), nat: jump OUTPUT -> "
                  "DOCKER, nat: MASQUERADE for docker0): its containers are cut off; 'apply --heal' "
                  "restarts docker to restore them",
                  NFT_UNTIED},
         .flushing = "nftables.service"},
        {"Docker's filter chains gone, nat kept, on a protected host", HEALTHY_NFT, .tie = TIE_BIND,
         .ipv4 = "docker20-nft-after-netfilter-persistent.txt", .docker_major = 20,
         .verdict = TETHER_VERDICT_BROKEN,
         .reasons =
                 {"docker is active but 6 of its chains and rules are missing now (filter: chain DOCKER, "
                  "filter: chain DOCKER-USER, filter: jump FORWARD -> DOCKER-USER, filter: chain "
                  "DOCKER-ISOLATION-STAGE-1, filter: chain DOCKER-ISOLATION-STAGE-2, filter: jump FORWARD "
                  "-> DOCKER-ISOLATION-STAGE-1): its containers are cut off; 'apply --heal' restarts "
                  "docker to restore them",
                  TIED("nftables.service"), NFT_RELOAD},
         .flushing = "nftables.service"},

        /* docker */
        {"docker not installed", HEALTHY_NFT, .docker_active = NULL, .ipv4 = NULL,
         .verdict = TETHER_VERDICT_NOT_APPLICABLE, .reasons = {"docker.service is not installed"},
         .flushing = "nftables.service"},
        {"snap's Docker: not supported, and said so (its dockerd is outside docker.service too)",
         HEALTHY_NFT, .docker_active = NULL, .ipv4 = NULL, .dockerd_outside_pid = 519,
         .docker_other_unit = "snap.docker.dockerd.service", .verdict = TETHER_VERDICT_NOT_APPLICABLE,
         .reasons =
                 {"Docker runs here as snap.docker.dockerd.service (snap's Docker), not as docker.service: "
                  "tether does not support it, and neither judges nor ties it; tie that unit to the "
                  "firewall by hand"},
         .flushing = "nftables.service"},
        {"no systemd: nothing tether can apply, and the risk said", .docker_active = NULL, .ipv4 = NULL,
         .init_system = "openrc-init", .dockerd_outside_pid = 812, .verdict = TETHER_VERDICT_NOT_APPLICABLE,
         .reasons = {"this host does not run systemd (PID 1 is openrc-init): tether's fix is a drop-in for "
                     "docker.service, which only systemd reads, so it cannot be applied here; a firewall "
                     "restart may still take Docker's rules: restart Docker after it with the init "
                     "system's own means"}},
        {"a dockerd outside docker.service: named, not protected", HEALTHY_NFT, .docker_active = NULL,
         .ipv4 = NULL, .dockerd_outside_pid = 812, .verdict = TETHER_VERDICT_NOT_APPLICABLE,
         .reasons = {"dockerd runs here (pid 812), but not as docker.service: tether ties docker.service to "
                     "the firewall, so it cannot protect this Docker; run Docker as docker.service, or "
                     "restart it by hand after each firewall restart"},
         .flushing = "nftables.service"},
        {"a dockerd by hand beside a stopped, disabled docker.service", HEALTHY_NFT,
         .docker_active = "inactive", .docker_file_state = "disabled", .ipv4 = NULL,
         .dockerd_outside_pid = 90, .verdict = TETHER_VERDICT_NOT_APPLICABLE,
         .reasons = {"dockerd runs here (pid 90), but not as docker.service: tether ties docker.service to "
                     "the firewall, so it cannot protect this Docker; run Docker as docker.service, or "
                     "restart it by hand after each firewall restart"},
         .flushing = "nftables.service"},
        {"read-only /etc: vulnerable, and apply cannot fix it", HEALTHY_NFT, .unit_dir_read_only = true,
         .verdict = TETHER_VERDICT_VULNERABLE, .reasons = {NFT_UNTIED, TETHER_READ_ONLY_REASON},
         .flushing = "nftables.service"},
        {"read-only /etc, already protected: nothing more to say", HEALTHY_NFT, .tie = TIE_FOLLOW,
         .unit_dir_read_only = true, .verdict = TETHER_VERDICT_PROTECTED,
         .reasons = {TIED("nftables.service")}, .flushing = "nftables.service"},
        {"docker neither running nor enabled", HEALTHY_NFT, .docker_active = "inactive",
         .docker_file_state = "disabled", .ipv4 = NULL, .verdict = TETHER_VERDICT_NOT_APPLICABLE,
         .reasons = {"docker.service is neither running nor enabled"}, .flushing = "nftables.service"},
        {"docker enabled, stopped: its rules are not read, the tie still matters", HEALTHY_NFT,
         .docker_active = "inactive", .ipv4 = "docker20-nft-after-nftables.txt",
         .verdict = TETHER_VERDICT_VULNERABLE, .reasons = {NFT_UNTIED}, .flushing = "nftables.service"},
        {"no firewall unit at all", HEALTHY_NFT, .firewall = NULL, .verdict = TETHER_VERDICT_NOT_APPLICABLE,
         .reasons = {NOT_APPLICABLE}},

        /* iptables.service (RHEL) and firewall kinds that always flush */
        {"iptables.service untied", HEALTHY_NFT, .firewall = "iptables.service",
         .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {"iptables.service is running and its restart flushes every table, but docker.service "
                     "is not tied to it"},
         .flushing = "iptables.service"},
        {"iptables.service bind", HEALTHY_NFT, .firewall = "iptables.service", .tie = TIE_BIND,
         .verdict = TETHER_VERDICT_RELOAD_VULNERABLE,
         .reasons = {TIED("iptables.service"),
                     "a reload of iptables.service flushes Docker's rules too, and systemd does not pass "
                     "reloads on through PartOf= or Requires=: policy follow covers reloads"},
         .flushing = "iptables.service"},

        /* firewalld: its version, backend and direct rules say whether it flushes iptables;
         * Docker's version, and whether it is connected to firewalld (its bridge in the
         * "docker" zone), say what Docker re-creates itself. The 1.3.3 rows are the fleet's
         * firewalld role (Debian 12: firewalld 1.3.3, docker.io 20.10.24), where a reload,
         * a restart and a start leave every rule but the two isolation rules, counted. */
        {"firewalld, nothing known of it: judged as 1.x, Docker's part unseen", HEALTHY_NFT,
         .firewall = "firewalld.service", .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {"firewalld.service is running and " FWD_UNSEEN
                     ", but docker.service is not tied to it"},
         .flushing = "firewalld.service"},
        {"firewalld 1.3, Docker 20.10 connected: heals all but the isolation rules, untied", FWD_DEBIAN12,
         .verdict = TETHER_VERDICT_VULNERABLE, .reasons = {FWD_UNTIED(FWD_ISOLATION)},
         .flushing = "firewalld.service"},
        {"firewalld 1.3 bind: a restart restarts docker, 'firewall-cmd --reload' still leaves holes",
         FWD_DEBIAN12, .tie = TIE_BIND, .verdict = TETHER_VERDICT_RELOAD_VULNERABLE,
         .reasons = {TIED("firewalld.service"), FWD_RELOAD(FWD_ISOLATION)}, .flushing = "firewalld.service"},
        {"firewalld 1.3 follow: its ExecReload= hook never sees 'firewall-cmd --reload'", FWD_DEBIAN12,
         .tie = TIE_FOLLOW, .verdict = TETHER_VERDICT_RELOAD_VULNERABLE,
         .reasons = {TIED("firewalld.service"), FWD_RELOAD(FWD_ISOLATION)}, .flushing = "firewalld.service"},
        {"firewalld 1.3 after 'firewall-cmd --reload' (captured): the chains are back, not broken",
         FWD_DEBIAN12, .ipv4 = "docker20-nft-after-firewalld-reload.txt",
         .verdict = TETHER_VERDICT_VULNERABLE, .reasons = {FWD_UNTIED(FWD_ISOLATION)},
         .flushing = "firewalld.service"},
        {"firewalld 1.3 started after dockerd: Docker not connected, heals nothing", FWD_DEBIAN12,
         .bridge_zone = "", .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {FWD_UNTIED(FWD_FLUSHES ", and Docker does not re-create them: it is not connected to "
                                            "firewalld (firewalld was not running when dockerd started)")},
         .flushing = "firewalld.service"},
        {"firewalld 1.3 enabled, stopped: Docker's connection unseen", FWD_DEBIAN12,
         .firewall_active = "inactive", .firewalld_version = NULL, .bridge_zone = NULL,
         .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {"firewalld.service is enabled and " FWD_UNSEEN
                     ", but docker.service is not tied to it"},
         .flushing = "firewalld.service"},
        {"firewalld 1.3, Docker 25.0.12: before the isolation fix", FWD_DEBIAN12,
         .docker_version = "25.0.12", .docker_major = 25, .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {FWD_UNTIED(FWD_ISOLATION)}, .flushing = "firewalld.service"},
        {"firewalld 1.3, Docker 25.0.13: heals itself, nothing to tie", FWD_DEBIAN12,
         .docker_version = "25.0.13", .docker_major = 25, .verdict = TETHER_VERDICT_NOT_APPLICABLE,
         .reasons = {NOT_APPLICABLE, FWD_HEALS}},
        {"firewalld 1.3, Docker 28.2.2: per-container rules not re-created (CVE-2025-54388)", FWD_DEBIAN12,
         .docker_version = "28.2.2", .docker_major = 28, .ipv4 = "docker28-nft-healthy.txt",
         .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {FWD_UNTIED(FWD_FLUSHES "; Docker re-creates them on firewalld's signal, all but its "
                                            "per-container rules (CVE-2025-54388, fixed in Docker 28.3.3)")},
         .flushing = "firewalld.service"},
        {"firewalld 1.3, Docker 28.3.3: heals itself, nothing to tie", FWD_DEBIAN12,
         .docker_version = "28.3.3", .docker_major = 28, .ipv4 = "docker28-nft-healthy.txt",
         .verdict = TETHER_VERDICT_NOT_APPLICABLE, .reasons = {NOT_APPLICABLE, FWD_HEALS}},
        {"firewalld 1.3, Docker 28.3.3 tied by tether: the drop-in is no longer wanted", FWD_DEBIAN12,
         .docker_version = "28.3.3", .docker_major = 28, .ipv4 = "docker28-nft-healthy.txt", .tie = TIE_BIND,
         .dropin = DROPIN_AS_RENDERED, .verdict = TETHER_VERDICT_NOT_APPLICABLE,
         .reasons = {NOT_APPLICABLE, FWD_HEALS}, .dropin_state = TETHER_DROPIN_STALE},
        {"firewalld 1.3, Docker 28.3.3 not connected: heals nothing", FWD_DEBIAN12,
         .docker_version = "28.3.3", .docker_major = 28, .ipv4 = "docker28-nft-healthy.txt",
         .bridge_zone = "public", .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {FWD_UNTIED(FWD_FLUSHES ", and Docker does not re-create them: it is not connected to "
                                            "firewalld (firewalld was not running when dockerd started)")},
         .flushing = "firewalld.service"},
        {"firewalld 2.0, nftables, no direct rules: leaves iptables alone", FWD_DEBIAN12,
         .firewalld_version = "2.0.0", .firewalld_conf = "fixture:v2.0.0-firewalld.conf",
         .verdict = TETHER_VERDICT_NOT_APPLICABLE, .reasons = {NOT_APPLICABLE, FWD_SPARED}},
        {"firewalld 2^32 + 2.0.0: a number past unsigned is no version, judged as 1.x", FWD_DEBIAN12,
         .firewalld_version = "4294967298.0.0", .firewalld_conf = "fixture:v2.0.0-firewalld.conf",
         .verdict = TETHER_VERDICT_VULNERABLE, .reasons = {FWD_UNTIED(FWD_ISOLATION)},
         .flushing = "firewalld.service"},
        {"firewalld 1.3, Docker 2^32 + 28.3.3: a number past unsigned is no version", FWD_DEBIAN12,
         .docker_version = "4294967324.3.3", .docker_major = 28, .ipv4 = "docker28-nft-healthy.txt",
         .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {FWD_UNTIED(FWD_FLUSHES ", and Docker's version cannot be read: whether it re-creates "
                                            "them all cannot be told")},
         .flushing = "firewalld.service"},
        {"firewalld 2.0, no firewalld.conf: nftables is the default", FWD_DEBIAN12,
         .firewalld_version = "2.0.0", .firewalld_conf = NULL,
         .firewalld_direct = "<?xml version=\"1.0\"?>\n<direct/>\n",
         .verdict = TETHER_VERDICT_NOT_APPLICABLE, .reasons = {NOT_APPLICABLE, FWD_SPARED}},
        {"firewalld 2.0 with direct rules: flushes iptables as 1.x does", FWD_DEBIAN12,
         .firewalld_version = "2.0.0", .firewalld_conf = "fixture:v2.0.0-firewalld.conf",
         .firewalld_direct = "fixture:direct-example.xml", .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {FWD_UNTIED(FWD_ISOLATION)}, .flushing = "firewalld.service"},
        {"firewalld 2.3, FirewallBackend=iptables (any case, blanks)", FWD_DEBIAN12,
         .firewalld_version = "2.3.1", .firewalld_conf = "# RHEL-style edit\nFirewallBackend = IPTables\r\n",
         .verdict = TETHER_VERDICT_VULNERABLE, .reasons = {FWD_UNTIED(FWD_ISOLATION)},
         .flushing = "firewalld.service"},
        {"firewalld 2.0, a quoted backend is invalid to firewalld: nftables", FWD_DEBIAN12,
         .firewalld_version = "2.0.0", .firewalld_conf = "FirewallBackend=\"iptables\"\n",
         .verdict = TETHER_VERDICT_NOT_APPLICABLE, .reasons = {NOT_APPLICABLE, FWD_SPARED}},
        {"firewalld, Docker without iptables rules", FWD_DEBIAN12, .daemon_json = "{\"iptables\": false}",
         .verdict = TETHER_VERDICT_NOT_APPLICABLE,
         .reasons =
                 {"Docker makes no iptables rules here (\"iptables\": false in /etc/docker/daemon.json): no "
                  "firewall can take them away"}},

        /* netfilter-persistent: what rules.v4 names decides */
        {"netfilter-persistent bind: no reload to cover, one reason", HEALTHY_NFT,
         .firewall = "netfilter-persistent.service", .firewall_reloads = false, .tie = TIE_BIND,
         .rules_v4 = "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n", .verdict = TETHER_VERDICT_PROTECTED,
         .reasons = {TIED("netfilter-persistent.service")}, .flushing = "netfilter-persistent.service"},
        {"netfilter-persistent, filter only", HEALTHY_NFT, .firewall = "netfilter-persistent.service",
         .rules_v4 = "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n", .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {"netfilter-persistent.service is running and " NFP_FILTER
                     ", but docker.service is not tied to it"},
         .flushing = "netfilter-persistent.service"},
        {"netfilter-persistent, filter and nat (CRLF)", HEALTHY_NFT,
         .firewall = "netfilter-persistent.service", .rules_v4 = "*nat\r\nCOMMIT\r\n*filter\r\nCOMMIT\r\n",
         .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {"netfilter-persistent.service is running and its restart restores the filter and nat "
                     "tables of /etc/iptables/rules.v4, but docker.service is not tied to it"},
         .flushing = "netfilter-persistent.service"},
        {"netfilter-persistent, nat only", HEALTHY_NFT, .firewall = "netfilter-persistent.service",
         .rules_v4 = "*nat\nCOMMIT", .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {"netfilter-persistent.service is running and its restart restores the nat table of "
                     "/etc/iptables/rules.v4, but docker.service is not tied to it"},
         .flushing = "netfilter-persistent.service"},
        {"netfilter-persistent, a table named like filter is not filter", HEALTHY_NFT,
         .firewall = "netfilter-persistent.service", .rules_v4 = "*filterx\n*mangle\nCOMMIT\n",
         .verdict = TETHER_VERDICT_NOT_APPLICABLE, .reasons = {NOT_APPLICABLE}},
        {"netfilter-persistent without rules.v4", HEALTHY_NFT, .firewall = "netfilter-persistent.service",
         .verdict = TETHER_VERDICT_NOT_APPLICABLE, .reasons = {NOT_APPLICABLE}},
        {"netfilter-persistent with IPTABLES_RESTORE_NOFLUSH=yes", HEALTHY_NFT,
         .firewall = "netfilter-persistent.service", .rules_v4 = "*filter\nCOMMIT\n",
         .netfilter_persistent = "# defaults\nIPTABLES_RESTORE_NOFLUSH=\"yes\"\n",
         .verdict = TETHER_VERDICT_NOT_APPLICABLE, .reasons = {NOT_APPLICABLE}},
        {"netfilter-persistent with IPTABLES_RESTORE_NOFLUSH=no", HEALTHY_NFT,
         .firewall = "netfilter-persistent.service", .rules_v4 = "*filter\nCOMMIT\n",
         .netfilter_persistent = "IPTABLES_RESTORE_NOFLUSH=no\n", .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {"netfilter-persistent.service is running and " NFP_FILTER
                     ", but docker.service is not tied to it"},
         .flushing = "netfilter-persistent.service"},

        {"netfilter-persistent: NOFLUSH=1 is not yes, the restore flushes", HEALTHY_NFT,
         .firewall = "netfilter-persistent.service", .rules_v4 = "*filter\nCOMMIT\n",
         .netfilter_persistent = "IPTABLES_RESTORE_NOFLUSH=1\n", .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {"netfilter-persistent.service is running and " NFP_FILTER
                     ", but docker.service is not tied to it"},
         .flushing = "netfilter-persistent.service"},
        {"netfilter-persistent: NOFLUSH=Yes is not yes either", HEALTHY_NFT,
         .firewall = "netfilter-persistent.service", .rules_v4 = "*filter\nCOMMIT\n",
         .netfilter_persistent = "IPTABLES_RESTORE_NOFLUSH=Yes\n", .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {"netfilter-persistent.service is running and " NFP_FILTER
                     ", but docker.service is not tied to it"},
         .flushing = "netfilter-persistent.service"},
        {"netfilter-persistent: NOFLUSH=yes, but rules.v4 was saved while Docker ran", HEALTHY_NFT,
         .firewall = "netfilter-persistent.service",
         .rules_v4 =
                 "*nat\n:PREROUTING ACCEPT [0:0]\n:DOCKER - [0:0]\n-A DOCKER -i docker0 -j RETURN\nCOMMIT\n"
                 "*filter\n:FORWARD DROP [0:0]\n:DOCKER-USER - [0:0]\nCOMMIT\n",
         .netfilter_persistent = "IPTABLES_RESTORE_NOFLUSH='yes'\n", .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {"netfilter-persistent.service is running and IPTABLES_RESTORE_NOFLUSH=yes, but "
                     "/etc/iptables/rules.v4 declares Docker's chains (it was saved while Docker ran): its "
                     "restart flushes them, but docker.service is not tied to it"},
         .flushing = "netfilter-persistent.service"},
        {"netfilter-persistent: NOFLUSH=yes, a chain merely named like Docker's", HEALTHY_NFT,
         .firewall = "netfilter-persistent.service", .rules_v4 = "*filter\n:DOCKERISH - [0:0]\nCOMMIT\n",
         .netfilter_persistent = "IPTABLES_RESTORE_NOFLUSH=yes\n", .verdict = TETHER_VERDICT_NOT_APPLICABLE,
         .reasons = {NOT_APPLICABLE}},
        {"netfilter-persistent: rules.v6 only, Docker with IPv6 rules", HEALTHY_NFT,
         .firewall = "netfilter-persistent.service", .ipv6 = "docker28-nft-healthy.txt",
         .rules_v6 = "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n", .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {"netfilter-persistent.service is running and its restart restores the filter table of "
                     "/etc/iptables/rules.v6, wiping Docker's IPv6 filter chains, but docker.service is not "
                     "tied to it"},
         .flushing = "netfilter-persistent.service"},
        {"netfilter-persistent: IPTABLES_RESTORE_NOFLUSH=yes is not read for rules.v6", HEALTHY_NFT,
         .firewall = "netfilter-persistent.service", .ipv6 = "docker28-nft-healthy.txt",
         .rules_v4 = "*filter\nCOMMIT\n", .rules_v6 = "*filter\nCOMMIT\n",
         .netfilter_persistent = "IPTABLES_RESTORE_NOFLUSH=yes\n", .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {"netfilter-persistent.service is running and its restart restores the filter table of "
                     "/etc/iptables/rules.v6, wiping Docker's IPv6 filter chains, but docker.service is not "
                     "tied to it"},
         .flushing = "netfilter-persistent.service"},
        {"netfilter-persistent: IP6TABLES_RESTORE_NOFLUSH=yes for rules.v6", HEALTHY_NFT,
         .firewall = "netfilter-persistent.service", .ipv6 = "docker28-nft-healthy.txt",
         .rules_v4 = "*filter\nCOMMIT\n", .rules_v6 = "*filter\nCOMMIT\n",
         .netfilter_persistent = "IPTABLES_RESTORE_NOFLUSH=yes\nIP6TABLES_RESTORE_NOFLUSH=yes\n",
         .verdict = TETHER_VERDICT_NOT_APPLICABLE, .reasons = {NOT_APPLICABLE}},
        {"netfilter-persistent: rules.v6 only, Docker without IPv6 rules", HEALTHY_NFT,
         .firewall = "netfilter-persistent.service", .rules_v6 = "*filter\nCOMMIT\n",
         .verdict = TETHER_VERDICT_NOT_APPLICABLE, .reasons = {NOT_APPLICABLE}},
        {"ufw: MANAGE_BUILTINS=YES is not yes", HEALTHY_NFT, .firewall = "ufw.service",
         .ufw = "MANAGE_BUILTINS=YES\n", .verdict = TETHER_VERDICT_NOT_APPLICABLE,
         .reasons = {NOT_APPLICABLE}},
        {"ufw: MANAGE_BUILTINS=\"yes\", quoted as the shell reads it", HEALTHY_NFT,
         .firewall = "ufw.service", .ufw = "MANAGE_BUILTINS=\"yes\"\n", .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {UFW_UNTIED, UFW_OUTSIDE}, .flushing = "ufw.service"},

        /* ufw and ip6tables */
        {"ufw leaves the built-in chains", HEALTHY_NFT, .firewall = "ufw.service",
         .ufw = "MANAGE_BUILTINS=no\n", .verdict = TETHER_VERDICT_NOT_APPLICABLE,
         .reasons = {NOT_APPLICABLE}},
        {"ufw with MANAGE_BUILTINS=yes", HEALTHY_NFT, .firewall = "ufw.service", .firewall_reloads = false,
         .ufw = "IPV6=yes\nMANAGE_BUILTINS=yes\n", .ufw_conf = "ENABLED=yes\nLOGLEVEL=low\n",
         .verdict = TETHER_VERDICT_VULNERABLE, .reasons = {UFW_UNTIED, UFW_OUTSIDE},
         .flushing = "ufw.service"},
        {"ufw MANAGE_BUILTINS=yes, not enabled: its restart does nothing", HEALTHY_NFT,
         .firewall = "ufw.service", .ufw = "MANAGE_BUILTINS=yes\n",
         .ufw_conf = "# /etc/ufw/ufw.conf\nENABLED=no\nLOGLEVEL=low\n",
         .verdict = TETHER_VERDICT_NOT_APPLICABLE, .reasons = {NOT_APPLICABLE}},
        {"ufw MANAGE_BUILTINS=yes, ENABLED=YES as ufw-init reads it", HEALTHY_NFT, .firewall = "ufw.service",
         .firewall_reloads = false, .ufw = "MANAGE_BUILTINS=yes\n", .ufw_conf = "ENABLED=YES\n",
         .verdict = TETHER_VERDICT_VULNERABLE, .reasons = {UFW_UNTIED, UFW_OUTSIDE},
         .flushing = "ufw.service"},
        {"ufw MANAGE_BUILTINS=yes bind: ufw reload still flushes outside systemd", HEALTHY_NFT,
         .firewall = "ufw.service", .firewall_reloads = false, .ufw = "MANAGE_BUILTINS=yes\n",
         .tie = TIE_BIND, .verdict = TETHER_VERDICT_RELOAD_VULNERABLE,
         .reasons = {TIED("ufw.service"), UFW_OUTSIDE}, .flushing = "ufw.service"},
        {"ufw MANAGE_BUILTINS=yes follow: the hook does not see ufw reload either", HEALTHY_NFT,
         .firewall = "ufw.service", .firewall_reloads = false, .ufw = "MANAGE_BUILTINS=yes\n",
         .tie = TIE_FOLLOW, .verdict = TETHER_VERDICT_RELOAD_VULNERABLE,
         .reasons = {TIED("ufw.service"), UFW_OUTSIDE}, .flushing = "ufw.service"},

        /* netfilter-persistent's FLUSH_ON_STOP: `[ ${FLUSH_ON_STOP} -gt 0 ]` */
        {"netfilter-persistent: FLUSH_ON_STOP=1 flushes every table", HEALTHY_NFT,
         .firewall = "netfilter-persistent.service", .firewall_reloads = false,
         .netfilter_persistent = "FLUSH_ON_STOP=1\n", .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons =
                 {"netfilter-persistent.service is running and FLUSH_ON_STOP is set: its stop, and so its "
                  "restart, flushes every table, but docker.service is not tied to it"},
         .flushing = "netfilter-persistent.service"},
        {"netfilter-persistent: FLUSH_ON_STOP=0, as shipped, and no rules.v4", HEALTHY_NFT,
         .firewall = "netfilter-persistent.service", .netfilter_persistent = "FLUSH_ON_STOP=0\n",
         .verdict = TETHER_VERDICT_NOT_APPLICABLE, .reasons = {NOT_APPLICABLE}},
        {"netfilter-persistent: FLUSH_ON_STOP=yes is no number, the shell's test fails", HEALTHY_NFT,
         .firewall = "netfilter-persistent.service", .netfilter_persistent = "FLUSH_ON_STOP=yes\n",
         .verdict = TETHER_VERDICT_NOT_APPLICABLE, .reasons = {NOT_APPLICABLE}},

        /* Shorewall (shorewall.conf as Debian's shorewall 5.2.8 ships it, DOCKER changed) */
        {"shorewall, DOCKER=No", HEALTHY_NFT, .firewall = "shorewall.service",
         .shorewall = "STARTUP_ENABLED=Yes\nDOCKER=No\nDOCKER_BRIDGE=docker0\n",
         .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons =
                 {"shorewall.service is running and its restart replaces every table, and DOCKER=Yes is "
                  "not set in /etc/shorewall/shorewall.conf to save Docker's chains, but docker.service is "
                  "not tied to it",
                  SHOREWALL_OUTSIDE},
         .flushing = "shorewall.service"},
        /* shorewall.service is IPv4's (shorewall6.service is another unit): the reason does
         * not claim Docker's IPv6 rules, as it would with "(Docker's IPv4 and IPv6 rules)". */
        {"shorewall, DOCKER=No, Docker with IPv6 rules: IPv4 only", HEALTHY_NFT,
         .ipv6 = "docker28-nft-healthy.txt", .firewall = "shorewall.service", .shorewall = "DOCKER=No\n",
         .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons =
                 {"shorewall.service is running and its restart replaces every table, and DOCKER=Yes is "
                  "not set in /etc/shorewall/shorewall.conf to save Docker's chains, but docker.service is "
                  "not tied to it",
                  SHOREWALL_OUTSIDE},
         .flushing = "shorewall.service"},
        {"shorewall bind: shorewall reload flushes outside systemd", HEALTHY_NFT,
         .firewall = "shorewall.service", .tie = TIE_BIND, .verdict = TETHER_VERDICT_RELOAD_VULNERABLE,
         .reasons = {TIED("shorewall.service"), SHOREWALL_OUTSIDE,
                     "a reload of shorewall.service flushes Docker's rules too, and systemd does not pass "
                     "reloads on through PartOf= or Requires=: policy follow covers reloads"},
         .flushing = "shorewall.service"},
        {"shorewall DOCKER=Yes, Docker 20", HEALTHY_NFT, .firewall = "shorewall.service",
         .ipv4 = "docker20-nft-healthy.txt", .docker_major = 20, .shorewall = "DOCKER=Yes\n",
         .verdict = TETHER_VERDICT_NOT_APPLICABLE, .reasons = {NOT_APPLICABLE}},
        {"shorewall DOCKER=yes, as Perl reads it, in any case", HEALTHY_NFT, .firewall = "shorewall.service",
         .ipv4 = "docker20-nft-healthy.txt", .docker_major = 20, .shorewall = "DOCKER=\"yes\"\n",
         .verdict = TETHER_VERDICT_NOT_APPLICABLE, .reasons = {NOT_APPLICABLE}},
        {"shorewall DOCKER=Yes, Docker 28: DOCKER-FORWARD is not saved", HEALTHY_NFT,
         .firewall = "shorewall.service", .shorewall = "DOCKER=Yes\n", .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {SHOREWALL_28, SHOREWALL_OUTSIDE}, .flushing = "shorewall.service"},
        {"shorewall DOCKER=Yes, docker stopped and its version unknown", HEALTHY_NFT,
         .firewall = "shorewall.service", .docker_active = "inactive", .docker_major = 0, .ipv4 = NULL,
         .shorewall = "DOCKER=Yes\n", .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons =
                 {"shorewall.service is running and DOCKER=Yes, but Shorewall saves only the chains Docker "
                  "had before 28 (not DOCKER-FORWARD and its kin): its restart flushes the others, but "
                  "docker.service is not tied to it",
                  SHOREWALL_OUTSIDE},
         .flushing = "shorewall.service"},

        /* ferm */
        {"ferm without @preserve", HEALTHY_NFT, .firewall = "ferm.service",
         .ferm = "table filter {\n    chain INPUT { policy DROP; proto tcp dport ssh ACCEPT; }\n}\n",
         .verdict = TETHER_VERDICT_VULNERABLE, .reasons = {FERM_UNTIED}, .flushing = "ferm.service"},
        {"ferm preserving Docker's chains", HEALTHY_NFT, .firewall = "ferm.service",
         .ipv4 = "docker20-nft-healthy.txt", .docker_major = 20, .ferm = FERM_PRESERVING_DOCKER20,
         .verdict = TETHER_VERDICT_NOT_APPLICABLE, .reasons = {NOT_APPLICABLE}},
        {"ferm preserving only Docker 18's chains, Docker 28", HEALTHY_NFT, .firewall = "ferm.service",
         .ferm = FERM_PRESERVING_DOCKER20, .verdict = TETHER_VERDICT_VULNERABLE, .reasons = {FERM_UNTIED},
         .flushing = "ferm.service"},
        {"ferm managing only filter: Docker's nat chains need no @preserve", HEALTHY_NFT,
         .firewall = "ferm.service", .ipv4 = "docker20-nft-healthy.txt", .docker_major = 20,
         .ferm = "chain (DOCKER DOCKER-USER DOCKER-ISOLATION-STAGE-1 DOCKER-ISOLATION-STAGE-2 FORWARD) "
                 "@preserve; # filter, ferm's default table\nchain INPUT policy DROP;\n",
         .verdict = TETHER_VERDICT_NOT_APPLICABLE, .reasons = {NOT_APPLICABLE}},
        {"ferm: @preserve in a comment preserves nothing", HEALTHY_NFT, .firewall = "ferm.service",
         .ipv4 = "docker20-nft-healthy.txt", .docker_major = 20,
         .ferm = "chain (DOCKER DOCKER-USER DOCKER-ISOLATION-STAGE-1 DOCKER-ISOLATION-STAGE-2 FORWARD) "
                 "# @preserve;\n",
         .verdict = TETHER_VERDICT_VULNERABLE, .reasons = {FERM_UNTIED}, .flushing = "ferm.service"},
        {"ferm, docker stopped: which chains to preserve is not known", HEALTHY_NFT,
         .firewall = "ferm.service", .docker_active = "inactive", .ipv4 = NULL,
         .ferm = FERM_PRESERVING_DOCKER20, .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons =
                 {"ferm.service is running and its restart replaces the tables it manages, and which "
                  "chains hold Docker's rules is not known while docker is stopped, but docker.service is "
                  "not tied to it"},
         .flushing = "ferm.service"},

        /* csf (moby/moby#14073: csf and lfd flush), SuSEfirewall2 (moby/moby#35161),
         * Container Linux's iptables-restore (coreos/bugs#338): no file read */
        {"csf untied", HEALTHY_NFT, .firewall = "csf.service", .firewall_reloads = false,
         .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {"csf.service is running and its restart flushes every table, but docker.service is not "
                     "tied to it",
                     CSF_OUTSIDE},
         .flushing = "csf.service"},
        {"csf follow: csf -r and lfd flush outside systemd", HEALTHY_NFT, .firewall = "csf.service",
         .firewall_reloads = false, .tie = TIE_FOLLOW, .verdict = TETHER_VERDICT_RELOAD_VULNERABLE,
         .reasons = {TIED("csf.service"), CSF_OUTSIDE}, .flushing = "csf.service"},
        {"SuSEfirewall2 untied", HEALTHY_NFT, .firewall = "SuSEfirewall2.service",
         .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {"SuSEfirewall2.service is running and its restart flushes every table, but "
                     "docker.service is not tied to it"},
         .flushing = "SuSEfirewall2.service"},
        {"iptables-restore.service untied", HEALTHY_NFT, .firewall = "iptables-restore.service",
         .firewall_reloads = false, .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {"iptables-restore.service is running and its restart flushes every table, but "
                     "docker.service is not tied to it"},
         .flushing = "iptables-restore.service"},
        {"ip6tables.service, Docker without IPv6 rules", HEALTHY_NFT, .firewall = "ip6tables.service",
         .ipv6 = "docker20-nft-after-nftables.txt", .verdict = TETHER_VERDICT_NOT_APPLICABLE,
         .reasons = {NOT_APPLICABLE}},
        {"ip6tables.service, Docker with IPv6 rules", HEALTHY_NFT, .firewall = "ip6tables.service",
         .ipv6 = "docker28-nft-healthy.txt", .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {"ip6tables.service is running and its restart flushes Docker's IPv6 rules, but "
                     "docker.service is not tied to it"},
         .flushing = "ip6tables.service"},

        /* Docker's eras: each healthy capture reads healthy under its own version */
        {"RHEL 7's docker 1.13.1: one DOCKER-ISOLATION, no DOCKER-USER, not broken", HEALTHY_NFT,
         .firewall = "iptables.service", .backend = TETHER_NETFILTER_LEGACY,
         .ipv4 = "docker1.13-centos7-legacy-healthy.txt", .docker_major = 1, .docker_version = "1.13.1",
         .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {"iptables.service is running and its restart flushes every table, but docker.service "
                     "is not tied to it"},
         .flushing = "iptables.service"},
        {"RHEL 7's docker 1.13.1 with its filter chains flushed: broken", HEALTHY_NFT,
         .firewall = "iptables.service", .backend = TETHER_NETFILTER_LEGACY,
         .ipv4 = "docker20-nft-after-netfilter-persistent.txt", .docker_major = 1,
         .docker_version = "1.13.1", .verdict = TETHER_VERDICT_BROKEN,
         .reasons = {"docker is active but 3 of its chains and rules are missing now (filter: chain DOCKER, "
                     "filter: chain DOCKER-ISOLATION, filter: jump FORWARD -> DOCKER-ISOLATION): its "
                     "containers are cut off; 'apply --heal' restarts docker to restore them",
                     "iptables.service is running and its restart flushes every table, but docker.service "
                     "is not tied to it"},
         .flushing = "iptables.service"},
        {"Docker 17.09: DOCKER-USER and one DOCKER-ISOLATION, not broken", HEALTHY_NFT,
         .backend = TETHER_NETFILTER_LEGACY, .firewall = "iptables.service",
         .ipv4 = "docker17-legacy-healthy.txt", .docker_major = 17, .docker_version = "17.09.0-ce",
         .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {"iptables.service is running and its restart flushes every table, but docker.service "
                     "is not tied to it"},
         .flushing = "iptables.service"},
        {"Docker 28.0.0: no DOCKER-FORWARD yet, not broken", HEALTHY_NFT, .ipv4 = "docker28.0.0-healthy.txt",
         .docker_version = "28.0.0", .verdict = TETHER_VERDICT_VULNERABLE, .reasons = {NFT_UNTIED},
         .flushing = "nftables.service"},
        {"Docker 28.0.1 without its DOCKER-FORWARD chains: broken", HEALTHY_NFT,
         .ipv4 = "docker28.0.0-healthy.txt", .docker_version = "28.0.1", .verdict = TETHER_VERDICT_BROKEN,
         .reasons =
                 {"docker is active but 7 of its chains and rules are missing now (filter: chain "
                  "DOCKER-FORWARD, filter: jump FORWARD -> DOCKER-FORWARD, filter: chain DOCKER-CT, "
                  "filter: jump DOCKER-FORWARD -> DOCKER-CT, filter: chain DOCKER-BRIDGE, filter: jump "
                  "DOCKER-FORWARD -> DOCKER-BRIDGE, filter: jump DOCKER-FORWARD -> "
                  "DOCKER-ISOLATION-STAGE-1): its containers are cut off; 'apply --heal' restarts docker to "
                  "restore them",
                  NFT_UNTIED},
         .flushing = "nftables.service"},

        /* IPv6: Docker's ip6tables rules, where it makes them */
        {"\"ip6tables\": true: both families at risk, said so", HEALTHY_NFT,
         .ipv4 = "docker20-nft-healthy.txt", .ipv6 = "docker20-nft-ipv6-healthy.txt", .docker_major = 20,
         .docker_version = "20.10.24+dfsg1",
         .daemon_json = "{\"ipv6\": true, \"ip6tables\": true, \"experimental\": true}",
         .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {"nftables.service is running and " NFT_RESTART
                     " (Docker's IPv4 and IPv6 rules), but docker.service is not tied to it"},
         .flushing = "nftables.service"},
        {"\"ip6tables\": true, its IPv6 chains gone: broken, and the family named", HEALTHY_NFT,
         .ipv4 = "docker20-nft-healthy.txt", .ipv6 = "docker20-nft-after-nftables.txt", .docker_major = 20,
         .docker_version = "20.10.24+dfsg1", .daemon_json = "{\"ip6tables\": true, \"experimental\": true}",
         .verdict = TETHER_VERDICT_BROKEN,
         .reasons =
                 {"docker is active but 4 of its chains and rules are missing now (ip6 filter: chain "
                  "DOCKER, "
                  "ip6 filter: chain DOCKER-ISOLATION-STAGE-1, ip6 filter: chain DOCKER-ISOLATION-STAGE-2, "
                  "ip6 filter: jump FORWARD -> DOCKER-ISOLATION-STAGE-1): its containers are cut off; "
                  "'apply --heal' restarts docker to restore them",
                  "nftables.service is running and " NFT_RESTART
                  " (Docker's IPv4 and IPv6 rules), but docker.service is not tied to it"},
         .flushing = "nftables.service"},
        {"Docker 20.10 without \"ip6tables\": an empty ip6tables is no loss", HEALTHY_NFT,
         .ipv4 = "docker20-nft-healthy.txt", .ipv6 = "docker20-nft-after-nftables.txt", .docker_major = 20,
         .verdict = TETHER_VERDICT_VULNERABLE, .reasons = {NFT_UNTIED}, .flushing = "nftables.service"},
        {"Docker 28 (ip6tables by default) on a host with IPv6 off: not broken", HEALTHY_NFT,
         .ipv6 = "docker20-nft-after-nftables.txt", .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {NFT_UNTIED}, .flushing = "nftables.service"},
        {"Docker 28 with its default IPv6 rules: firewalld takes both families", HEALTHY_NFT,
         .ipv6 = "docker28-nft-healthy.txt", .firewall = "firewalld.service", .bridge_zone = "",
         .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons =
                 {"firewalld.service is running and its restart, reload and stop flush the iptables tables, "
                  "and Docker does not re-create them: it is not connected to firewalld (firewalld was not "
                  "running when dockerd started) (Docker's IPv4 and IPv6 rules), but docker.service is not "
                  "tied to it"},
         .flushing = "firewalld.service"},
        {"Docker with IPv6 rules: iptables.service takes IPv4 only (ip6tables.service is its twin)",
         HEALTHY_NFT, .ipv6 = "docker28-nft-healthy.txt", .firewall = "iptables.service",
         .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {"iptables.service is running and its restart flushes every table, but docker.service "
                     "is not tied to it"},
         .flushing = "iptables.service"},
        {"\"ip6tables\": false on Docker 28: IPv4 only", HEALTHY_NFT, .ipv6 = "docker28-nft-healthy.txt",
         .firewall = "iptables.service", .daemon_json = "{\"ip6tables\": false}",
         .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {"iptables.service is running and its restart flushes every table, but docker.service "
                     "is not tied to it"},
         .flushing = "iptables.service"},
        {"netfilter-persistent restores rules.v4 and rules.v6: both families", HEALTHY_NFT,
         .firewall = "netfilter-persistent.service", .ipv6 = "docker28-nft-healthy.txt",
         .rules_v4 = "*filter\nCOMMIT\n", .rules_v6 = "*filter\nCOMMIT\n",
         .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {"netfilter-persistent.service is running and " NFP_FILTER
                     " (Docker's IPv4 and IPv6 rules), but docker.service is not tied to it"},
         .flushing = "netfilter-persistent.service"},

        {"\"iptables\": false on Docker 28: its default IPv6 rules are still there to lose", HEALTHY_NFT,
         .ipv4 = "docker20-nft-after-nftables.txt", .ipv6 = "docker28-nft-healthy.txt",
         .daemon_json = "{\"iptables\": false}", .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {"nftables.service is running and " NFT_RESTART
                     " (Docker's IPv6 rules), but docker.service is not tied to it"},
         .flushing = "nftables.service"},
        {"\"iptables\": false on Docker 28: iptables.service leaves its IPv6 rules alone", HEALTHY_NFT,
         .firewall = "iptables.service", .ipv4 = "docker20-nft-after-nftables.txt",
         .ipv6 = "docker28-nft-healthy.txt", .daemon_json = "{\"iptables\": false}",
         .verdict = TETHER_VERDICT_NOT_APPLICABLE, .reasons = {NOT_APPLICABLE}},
        {"\"iptables\": false on Docker 28 with IPv6 off: no rules at all", HEALTHY_NFT,
         .ipv4 = "docker20-nft-after-nftables.txt", .ipv6 = "docker20-nft-after-nftables.txt",
         .daemon_json = "{\"iptables\": false}", .verdict = TETHER_VERDICT_NOT_APPLICABLE,
         .reasons =
                 {"Docker makes no iptables rules here (\"iptables\": false in /etc/docker/daemon.json): no "
                  "firewall can take them away"}},

        /* Docker's own settings */
        {"\"iptables\": false: nothing to lose, nothing to tie", HEALTHY_NFT,
         .ipv4 = "docker20-nft-after-nftables.txt",
         .daemon_json = "{\"storage-driver\": \"vfs\", \"iptables\": false}",
         .verdict = TETHER_VERDICT_NOT_APPLICABLE,
         .reasons =
                 {"Docker makes no iptables rules here (\"iptables\": false in /etc/docker/daemon.json): no "
                  "firewall can take them away"}},
        {"\"iptables\": true said out loud", HEALTHY_NFT, .daemon_json = "{\"iptables\": true}",
         .verdict = TETHER_VERDICT_VULNERABLE, .reasons = {NFT_UNTIED}, .flushing = "nftables.service"},
        {"\"ip-masq\": false: no MASQUERADE to miss", HEALTHY_NFT, .ipv4 = "docker20-nft-healthy.txt",
         .docker_major = 20, .ipv4_without_masquerade = true, .daemon_json = "{\"ip-masq\": false}",
         .verdict = TETHER_VERDICT_VULNERABLE, .reasons = {NFT_UNTIED}, .flushing = "nftables.service"},
        {"a default bridge of another name: no docker0 MASQUERADE to miss", HEALTHY_NFT,
         .ipv4 = "docker20-nft-healthy.txt", .docker_major = 20, .ipv4_without_masquerade = true,
         .daemon_json = "{\"bridge\": \"none\"}", .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {NFT_UNTIED}, .flushing = "nftables.service"},
        {"the MASQUERADE gone with the defaults: broken", HEALTHY_NFT, .ipv4 = "docker20-nft-healthy.txt",
         .docker_major = 20, .ipv4_without_masquerade = true, .daemon_json = "not JSON",
         .verdict = TETHER_VERDICT_BROKEN,
         .reasons = {"docker is active but 1 of its chains and rules are missing now (nat: "
                     "MASQUERADE for "
                     "docker0): its containers are cut off; 'apply --heal' restarts docker to "
                     "restore them",
                     NFT_UNTIED},
         .flushing = "nftables.service"},

        /* What the fix costs the containers */
        {"three containers, live-restore off", HEALTHY_NFT, .tie = TIE_BIND, .running = 3,
         .verdict = TETHER_VERDICT_RELOAD_VULNERABLE,
         .reasons =
                 {TIED("nftables.service"), NFT_RELOAD,
                  "with docker tied to the firewall, each restart of it restarts docker, and live-restore "
                  "is "
                  "off: the 3 running containers stop, and those whose restart policy is no or on-failure "
                  "stay stopped (\"live-restore\": true in /etc/docker/daemon.json keeps them running)"},
         .flushing = "nftables.service"},
        {"one container, live-restore on", HEALTHY_NFT, .running = 1, .live_restore = true,
         .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {NFT_UNTIED, "live-restore is on: the 1 running container keeps running when a firewall "
                                 "restart restarts docker"},
         .flushing = "nftables.service"},
        {"containers, but no firewall to tie", HEALTHY_NFT, .firewall = NULL, .running = 5,
         .verdict = TETHER_VERDICT_NOT_APPLICABLE, .reasons = {NOT_APPLICABLE}},

        /* Docker 29's nftables backend: its rules are in ip/ip6 docker-bridges */
        {"nftables backend, nftables.service untied", HEALTHY_NFT, .ipv4 = "docker20-nft-after-nftables.txt",
         .docker_major = 29, .daemon_json = "{\"firewall-backend\": \"nftables\"}",
         .nft_tables = "table inet filter\ntable ip docker-bridges\ntable ip6 docker-bridges\n",
         .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {"nftables.service is running and its restart runs 'nft flush ruleset', which removes "
                     "Docker's nftables tables (\"firewall-backend\": \"nftables\") (Docker's IPv4 and IPv6 "
                     "rules), but docker.service is not tied to it"},
         .flushing = "nftables.service"},
        {"nftables backend, an iptables firewall does not matter", HEALTHY_NFT,
         .firewall = "iptables.service", .ipv4 = "docker20-nft-after-nftables.txt", .docker_major = 29,
         .daemon_json = "{\"firewall-backend\": \"nftables\"}", .nft_tables = "table ip docker-bridges",
         .verdict = TETHER_VERDICT_NOT_APPLICABLE, .reasons = {NOT_APPLICABLE}},
        {"nftables backend, its table gone", HEALTHY_NFT, .ipv4 = "docker20-nft-after-nftables.txt",
         .docker_major = 29, .daemon_json = "{\"firewall-backend\": \"nftables\"}",
         .nft_tables = "table inet filter\ntable ip docker-bridges-old\n", .verdict = TETHER_VERDICT_BROKEN,
         .reasons = {"docker is active but 1 of its chains and rules are missing now (nftables: table ip "
                     "docker-bridges): its containers are cut off; 'apply --heal' restarts docker to "
                     "restore them",
                     "nftables.service is running and its restart runs 'nft flush ruleset', which removes "
                     "Docker's nftables tables (\"firewall-backend\": \"nftables\"), but docker.service is "
                     "not tied to it"},
         .flushing = "nftables.service"},

        /* Requires= on a unit that cannot start */
        {"tied to a firewall that was masked since", HEALTHY_NFT, .tie = TIE_BIND, .firewall_load = "masked",
         .firewall_active = "inactive", .firewall_file_state = "masked",
         .verdict = TETHER_VERDICT_START_BLOCKED,
         .reasons =
                 {"docker.service requires nftables.service, which is masked: systemd refuses to restart or "
                  "start docker (now, and at the next boot) until it is unmasked, or the tie is made with "
                  "After= and PartOf= alone"}},
        {"tied to a firewall that is not installed", HEALTHY_NFT, .firewall = "iptables.service",
         .tie = TIE_BIND, .firewall_load = "not-found", .firewall_active = "inactive",
         .firewall_file_state = "", .docker_active = "inactive", .ipv4 = NULL,
         .verdict = TETHER_VERDICT_START_BLOCKED,
         .reasons =
                 {"docker.service requires iptables.service, which is not installed: systemd refuses to "
                  "restart or start docker (now, and at the next boot) until it is installed, or the tie is "
                  "made with After= and PartOf= alone"}},
        {"docker failed at its start limit", HEALTHY_NFT, .docker_active = "failed",
         .docker_result = "start-limit-hit", .ipv4 = NULL, .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons =
                 {"docker.service has failed at its start limit (start request repeated too quickly): its "
                  "containers are down until 'systemctl reset-failed docker.service' and 'systemctl start "
                  "docker.service'",
                  NFT_UNTIED},
         .flushing = "nftables.service"},
        {"docker failed", HEALTHY_NFT, .docker_active = "failed", .docker_result = "exit-code", .ipv4 = NULL,
         .tie = TIE_BIND, .verdict = TETHER_VERDICT_RELOAD_VULNERABLE,
         .reasons =
                 {"docker.service has failed (its result: exit-code): its containers are down until it is "
                  "started again",
                  TIED("nftables.service"), NFT_RELOAD},
         .flushing = "nftables.service"},
        {"tied to a firewall that failed", HEALTHY_NFT, .tie = TIE_BIND, .firewall_active = "failed",
         .verdict = TETHER_VERDICT_START_BLOCKED,
         .reasons = {"docker.service requires nftables.service, which failed: if it fails again when docker "
                     "restarts or starts (at the next boot too), docker does not start; fix it, or make the "
                     "tie "
                     "with After= and PartOf= alone",
                     TIED("nftables.service"), NFT_RELOAD},
         .flushing = "nftables.service"},
        {"ordered after a masked firewall, nothing required", HEALTHY_NFT, .tie = TIE_AFTER_ONLY,
         .firewall_load = "masked", .firewall_active = "inactive", .firewall_file_state = "masked",
         .verdict = TETHER_VERDICT_NOT_APPLICABLE, .reasons = {NOT_APPLICABLE}},

        /* drop-ins */
        {"tether's drop-in, current", HEALTHY_NFT, .tie = TIE_BIND, .dropin = DROPIN_AS_RENDERED,
         .verdict = TETHER_VERDICT_RELOAD_VULNERABLE, .reasons = {TIED("nftables.service"), NFT_RELOAD},
         .dropin_state = TETHER_DROPIN_CURRENT, .flushing = "nftables.service"},
        {"tether's drop-in for another unit", HEALTHY_NFT, .firewall = "iptables.service",
         .dropin = DROPIN_FOR_NFTABLES, .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {"iptables.service is running and its restart flushes every table, but docker.service "
                     "is not tied to it"},
         .dropin_state = TETHER_DROPIN_STALE, .flushing = "iptables.service"},
        {"tether's drop-in changed by hand", HEALTHY_NFT, .tie = TIE_BIND, .dropin = DROPIN_HAND_EDITED,
         .verdict = TETHER_VERDICT_RELOAD_VULNERABLE,
         .reasons = {TIED("nftables.service"), NFT_RELOAD,
                     DROPIN_PATH " was changed by hand since tether wrote it"},
         .dropin_state = TETHER_DROPIN_DRIFTED, .flushing = "nftables.service"},
        {"a foreign drop-in ties docker", HEALTHY_NFT, .tie = TIE_BIND,
         .other_dropin = "[Unit]\nAfter=nftables.service\nPartOf=nftables.service\n",
         .verdict = TETHER_VERDICT_RELOAD_VULNERABLE,
         .reasons = {TIED("nftables.service"), NFT_RELOAD,
                     OTHER_DROPIN ", not tether's, ties docker to a firewall unit"},
         .flushing = "nftables.service"},
        {"a foreign drop-in about something else", HEALTHY_NFT,
         .other_dropin = "[Service]\nLimitNOFILE=1048576\n", .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {NFT_UNTIED}, .flushing = "nftables.service"},
        {"a drop-in on disk, not loaded", HEALTHY_NFT, .unloaded = true,
         .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {NFT_UNTIED, DROPIN_PATH " is on disk but systemd has not loaded it: it is not in force "
                                             "until 'systemctl daemon-reload'"},
         .flushing = "nftables.service"},
        {"docker's files changed since loaded", HEALTHY_NFT, .need_daemon_reload = true,
         .verdict = TETHER_VERDICT_VULNERABLE,
         .reasons = {NFT_UNTIED, "docker.service's files changed since systemd loaded them: what is on disk "
                                 "is not in force until daemon-reload"},
         .flushing = "nftables.service"},
};

static char *fixture(const char *name) {
        _cleanup_free_ char *path = NULL;

        if (!name)
                return NULL;
        path = format(FIXTURES "%s", name);
        return read_test_file(path, "captured with iptables-save on a fleet host", NULL);
}

static struct tether_netfilter_snapshot *snapshot(const char *name, bool without_masquerade) {
        _cleanup_free_ char *text = fixture(name);
        struct tether_netfilter_snapshot *s = NULL;
        char *masquerade;

        if (!text)
                return NULL;
        /* Commented out, as a daemon with "ip-masq": false never wrote it. */
        if (without_masquerade) {
                masquerade = strstr(text, "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE");
                assert_non_null(masquerade);
                masquerade[0] = '#';
        }
        assert_int_equal(tether_netfilter_parse_save(text, strlen(text), &s, NULL), 0);
        return s;
}

/* A firewalld file: "fixture:NAME" of tests/unit/fixtures/firewalld, else the text itself. */
static char *firewalld_file(const char *text) {
        _cleanup_free_ char *path = NULL;

        if (!text || strncmp(text, "fixture:", 8) != 0)
                return text ? strdup(text) : NULL;
        path = format("tests/unit/fixtures/firewalld/%s", text + 8);
        return read_test_file(path, "a firewalld file, with where it came from", NULL);
}

static char **strv_of(const char *a, const char *b, const char *c) {
        const char *items[] = {a, b, c};
        char **strv = calloc(4, sizeof(char *));
        size_t n = 0;

        assert_non_null(strv);
        for (size_t i = 0; i < ELEMENTSOF(items); i++)
                if (items[i])
                        assert_non_null(strv[n++] = strdup(items[i]));
        return strv;
}

static struct tether_unit *unit(const char *id, const char *active, const char *file_state) {
        struct tether_unit *u = tether_unit_new(id);

        assert_non_null(u);
        free(u->id);
        free(u->load_state);
        free(u->active_state);
        free(u->unit_file_state);
        assert_non_null(u->id = strdup(id));
        assert_non_null(u->load_state = strdup("loaded"));
        assert_non_null(u->active_state = strdup(active));
        assert_non_null(u->unit_file_state = strdup(file_state));
        return u;
}

/* docker.service's dependencies as systemd would have loaded them. */
static void tie(struct tether_unit *docker, struct tether_unit *firewall, enum tie how) {
        const char *id = firewall->id;

        if (how == UNTIED)
                return;
        strv_free(docker->after);
        docker->after = strv_of("network-online.target", id, NULL);
        if (how == TIE_BIND) {
                strv_free(docker->requires);
                strv_free(docker->part_of);
                docker->requires = strv_of("docker.socket", id, NULL);
                docker->part_of = strv_of(id, NULL, NULL);
        } else if (how == TIE_BINDS_TO) {
                strv_free(docker->binds_to);
                docker->binds_to = strv_of(id, NULL, NULL);
        } else if (how == TIE_FOLLOW)
                firewall->exec_start_post_restarts_docker = true;
}

static char *dropin_text(const struct row *row) {
        char *units[] = {row->dropin == DROPIN_FOR_NFTABLES ? "nftables.service" : (char *)row->firewall,
                         NULL};
        char *text = NULL, *edited = NULL;

        if (row->dropin == NO_DROPIN)
                return NULL;
        assert_int_equal(tether_dropin_render(TETHER_POLICY_BIND, units, &text, NULL), 0);
        if (row->dropin != DROPIN_HAND_EDITED)
                return text;
        assert_true(asprintf(&edited, "%sWants=nftables.service\n", text) > 0);
        free(text);
        return edited;
}

static struct tether_host_facts *facts_of(const struct row *row) {
        struct tether_host_facts *facts = tether_host_facts_new();
        struct tether_unit *firewall = NULL;

        assert_non_null(facts);
        facts->docker = row->docker_active
                                ? unit("docker.service", row->docker_active, row->docker_file_state)
                                : unit("docker.service", "inactive", "");
        if (!row->docker_active) {
                free(facts->docker->load_state);
                assert_non_null(facts->docker->load_state = strdup("not-found"));
        }
        if (row->docker_result) {
                free(facts->docker->result);
                assert_non_null(facts->docker->result = strdup(row->docker_result));
        }
        facts->docker->need_daemon_reload = row->need_daemon_reload;
        facts->docker_major = row->docker_major;
        facts->docker_version = row->docker_version ? strdup(row->docker_version) : NULL;
        if (row->firewall) {
                firewall = unit(row->firewall, row->firewall_active, row->firewall_file_state);
                firewall->has_exec_reload = row->firewall_reloads;
                if (row->firewall_load) {
                        free(firewall->load_state);
                        assert_non_null(firewall->load_state = strdup(row->firewall_load));
                }
                tie(facts->docker, firewall, row->tie);
                assert_int_equal(tether_host_facts_add_firewall(facts, firewall), 0);
        }
        facts->netfilter_backend = row->backend;
        if (row->docker_active && strcmp(row->docker_active, "active") == 0) {
                facts->ipv4 = snapshot(row->ipv4, row->ipv4_without_masquerade);
                facts->ipv6 = snapshot(row->ipv6, false);
        }
        facts->files[TETHER_HOST_FILE_IPTABLES_RULES_V4] = row->rules_v4 ? strdup(row->rules_v4) : NULL;
        facts->files[TETHER_HOST_FILE_IPTABLES_RULES_V6] = row->rules_v6 ? strdup(row->rules_v6) : NULL;
        facts->files[TETHER_HOST_FILE_NETFILTER_PERSISTENT] =
                row->netfilter_persistent ? strdup(row->netfilter_persistent) : NULL;
        facts->files[TETHER_HOST_FILE_UFW] = row->ufw ? strdup(row->ufw) : NULL;
        facts->files[TETHER_HOST_FILE_UFW_CONF] = row->ufw_conf ? strdup(row->ufw_conf) : NULL;
        facts->files[TETHER_HOST_FILE_DOCKER_DAEMON_JSON] =
                row->daemon_json ? strdup(row->daemon_json) : NULL;
        facts->files[TETHER_HOST_FILE_SHOREWALL] = row->shorewall ? strdup(row->shorewall) : NULL;
        facts->files[TETHER_HOST_FILE_FERM] = row->ferm ? strdup(row->ferm) : NULL;
        facts->docker_other_unit = row->docker_other_unit ? strdup(row->docker_other_unit) : NULL;
        facts->dockerd_outside_pid = row->dockerd_outside_pid;
        facts->init_system = row->init_system ? strdup(row->init_system) : NULL;
        facts->unit_dir_read_only = row->unit_dir_read_only;
        facts->nft_tables = row->nft_tables ? strdup(row->nft_tables) : NULL;
        facts->firewalld_version = row->firewalld_version ? strdup(row->firewalld_version) : NULL;
        facts->firewalld_bridge_zone = row->bridge_zone ? strdup(row->bridge_zone) : NULL;
        facts->files[TETHER_HOST_FILE_FIREWALLD_CONF] = firewalld_file(row->firewalld_conf);
        facts->files[TETHER_HOST_FILE_FIREWALLD_DIRECT] = firewalld_file(row->firewalld_direct);
        facts->running_containers = row->running;
        facts->live_restore = row->live_restore;
        assert_non_null(facts->dropin_path = strdup(DROPIN_PATH));
        facts->dropin_contents = dropin_text(row);
        if (row->other_dropin)
                assert_int_equal(
                        tether_host_facts_add_dropin(facts, strdup(OTHER_DROPIN), strdup(row->other_dropin)),
                        0);
        if (row->unloaded)
                facts->unloaded_dropins = strv_of(DROPIN_PATH, NULL, NULL);
        return facts;
}

static void assert_judgement(const struct row *row, const struct tether_judgement *judgement) {
        size_t n = 0;

        print_message("row: %s\n", row->name);
        assert_string_equal(tether_verdict_to_string(judgement->verdict),
                            tether_verdict_to_string(row->verdict));
        for (; row->reasons[n]; n++) {
                assert_non_null(judgement->reasons[n]);
                assert_string_equal(judgement->reasons[n], row->reasons[n]);
        }
        assert_null(judgement->reasons[n]);
        assert_int_equal(judgement->dropin_state, row->dropin_state);
        if (row->flushing) {
                assert_string_equal(judgement->flushing_units[0], row->flushing);
                assert_null(judgement->flushing_units[1]);
                assert_non_null(judgement->dropin_expected);
        } else {
                assert_null(judgement->flushing_units[0]);
                assert_null(judgement->dropin_expected);
        }
}

static void test_rows(void **state) {
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                _cleanup_(tether_host_facts_freep) struct tether_host_facts *facts = facts_of(&rows[i]);
                _cleanup_(tether_judgement_freep) struct tether_judgement *judgement = NULL;

                assert_int_equal(tether_judge(facts, TETHER_POLICY_BIND, false, &judgement), 0);
                assert_judgement(&rows[i], judgement);
        }
}

/* No judgement says a unit is both tied and not tied. */
static void test_no_contradiction(void **state) {
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                _cleanup_(tether_host_facts_freep) struct tether_host_facts *facts = facts_of(&rows[i]);
                _cleanup_(tether_judgement_freep) struct tether_judgement *judgement = NULL;
                bool tied = false, untied = false;

                assert_int_equal(tether_judge(facts, TETHER_POLICY_FOLLOW, true, &judgement), 0);
                for (size_t k = 0; judgement->reasons[k]; k++) {
                        tied = tied || strstr(judgement->reasons[k], "docker.service is tied to");
                        untied = untied || strstr(judgement->reasons[k], "docker.service is not tied to");
                }
                print_message("row: %s\n", rows[i].name);
                assert_false(tied && untied);
        }
}

/* An existing drop-in's policy wins unless one is asked for. */
static void test_policy(void **state) {
        struct row row = {"follow drop-in", HEALTHY_NFT, .tie = TIE_FOLLOW};
        _cleanup_(tether_host_facts_freep) struct tether_host_facts *facts = facts_of(&row);
        char *units[] = {"nftables.service", NULL};
        struct tether_judgement *judgement = NULL;

        assert_int_equal(tether_dropin_render(TETHER_POLICY_FOLLOW, units, &facts->dropin_contents, NULL),
                         0);
        assert_int_equal(tether_judge(facts, TETHER_POLICY_BIND, false, &judgement), 0);
        assert_int_equal(judgement->policy, TETHER_POLICY_FOLLOW);
        assert_int_equal(judgement->dropin_state, TETHER_DROPIN_CURRENT);
        judgement = tether_judgement_free(judgement);

        assert_int_equal(tether_judge(facts, TETHER_POLICY_BIND, true, &judgement), 0);
        assert_int_equal(judgement->policy, TETHER_POLICY_BIND);
        assert_int_equal(judgement->dropin_state, TETHER_DROPIN_STALE);
        judgement = tether_judgement_free(judgement);

        /* Not tether's first line: the policy asked for. */
        free(facts->dropin_contents);
        facts->dropin_contents = strdup("# Managed by someone, policy \"follow\"\n");
        assert_int_equal(tether_judge(facts, TETHER_POLICY_BIND, false, &judgement), 0);
        assert_int_equal(judgement->policy, TETHER_POLICY_BIND);
        tether_judgement_free(judgement);
}

static bool judgements_equal(const struct tether_judgement *a, const struct tether_judgement *b) {
        size_t i = 0;

        if (a->verdict != b->verdict || a->dropin_state != b->dropin_state || a->policy != b->policy ||
            a->rules_missing != b->rules_missing || a->n_firewalls != b->n_firewalls)
                return false;
        for (; a->reasons[i] && b->reasons[i]; i++)
                if (strcmp(a->reasons[i], b->reasons[i]) != 0)
                        return false;
        return !a->reasons[i] && !b->reasons[i];
}

/* Facts through their JSON form and back are judged the same, and print the same. */
static void test_json_round_trip(void **state) {
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                _cleanup_(tether_host_facts_freep) struct tether_host_facts *facts = facts_of(&rows[i]),
                                                                            *back = NULL;
                _cleanup_(tether_judgement_freep) struct tether_judgement *before = NULL, *after = NULL;
                struct tether_error error = TETHER_ERROR_INIT;
                json_t *json = tether_host_facts_to_json(facts);

                print_message("row: %s\n", rows[i].name);
                assert_non_null(json);
                assert_int_equal(tether_host_facts_from_json(json, &back, &error), 0);
                assert_int_equal(tether_judge(facts, TETHER_POLICY_BIND, false, &before), 0);
                assert_int_equal(tether_judge(back, TETHER_POLICY_BIND, false, &after), 0);
                assert_true(judgements_equal(before, after));
                assert_same_json(json, tether_host_facts_to_json(back));
        }
}

static void test_json_refused(void **state) {
        static const struct {
                const char *json;
                const char *message;
        } cases[] = {
                {"[]", "not a tether.facts/1 document: it is not a JSON object"},
                {"{}", "not a tether.facts/1 document: its \"schema\" is not \"tether.facts/1\""},
                {"{\"schema\": \"tether.host/1\"}",
                 "not a tether.facts/1 document: its \"schema\" is not \"tether.facts/1\""},
                {"{\"schema\": \"tether.facts/1\", \"host\": {\"hostname\": 7}}",
                 "not a tether.facts/1 document: hostname is not a string"},
                {"{\"schema\": \"tether.facts/1\", \"firewalls\": {}}",
                 "not a tether.facts/1 document: firewalls is not a list"},
                {"{\"schema\": \"tether.facts/1\", \"firewalls\": [{\"names\": []}]}",
                 "not a tether.facts/1 document: a unit has no id"},
                {"{\"schema\": \"tether.facts/1\", \"firewalls\": [{\"id\": \"a.service\", \"after\": "
                 "[1]}]}",
                 "not a tether.facts/1 document: after holds a non-string"},
                {"{\"schema\": \"tether.facts/1\", \"firewalls\": [{\"id\": \"a.service\", \"main_pid\": "
                 "-1}]}",
                 "not a tether.facts/1 document: main_pid is not a number from 0 to 4294967295"},
                {"{\"schema\": \"tether.facts/1\", \"docker\": {\"unit\": {\"id\": \"docker.service\", "
                 "\"invocation_id\": \"xyz\"}}}",
                 "not a tether.facts/1 document: invocation_id is not 32 hex digits"},
                {"{\"schema\": \"tether.facts/1\", \"docker\": {\"unit\": {\"id\": \"docker.service\", "
                 "\"invocation_id\": \"+123456789abcdef0123456789ABCDEF\"}}}",
                 "not a tether.facts/1 document: invocation_id is not 32 hex digits"},
                {"{\"schema\": \"tether.facts/1\", \"netfilter\": {\"ipv4\": {\"tables\": 3}}}",
                 "not a tether.facts/1 document: netfilter.ipv4 has no tables"},
                {"{\"schema\": \"tether.facts/1\", \"netfilter\": {\"ipv4\": {\"tables\": {\"nat\": "
                 "{\"rules\": [\"-A DOCKER \\\"unterminated\"]}}}}}",
                 NULL /* the iptables-save parser's own message */},
                {"{\"schema\": \"tether.facts/1\", \"dropin\": {\"others\": [{\"text\": \"x\"}]}}",
                 "not a tether.facts/1 document: a drop-in of dropin.others has no path"},
                /* watch's unit and journal (common/watch-summary.h) */
                {"{\"schema\": \"tether.facts/1\", \"watch\": []}",
                 "not a tether.facts/1 document: watch is not an object"},
                {"{\"schema\": \"tether.facts/1\", \"watch\": {\"unit\": {\"names\": []}}}",
                 "not a tether.facts/1 document: a unit has no id"},
                {"{\"schema\": \"tether.facts/1\", \"watch\": {\"heals\": -1}}",
                 "not a tether.facts/1 document: watch.heals is not a number from 0 to 4294967295"},
                {"{\"schema\": \"tether.facts/1\", \"watch\": {\"last_heal_usec\": \"now\"}}",
                 "not a tether.facts/1 document: watch.last_heal_usec is not a number from 0 to "
                 "9223372036854775807"},
                {"{\"schema\": \"tether.facts/1\", \"watch\": {\"last_flush\": 3}}",
                 "not a tether.facts/1 document: watch.last_flush is not an object"},
                {"{\"schema\": \"tether.facts/1\", \"watch\": {\"last_flush\": {\"culprit\": 3}}}",
                 "not a tether.facts/1 document: watch.last_flush.culprit is not a string"},
                {"{\"schema\": \"tether.facts/1\", \"watch\": {\"last_flush\": {\"culprit_pid\": "
                 "4294967296}}}",
                 "not a tether.facts/1 document: watch.last_flush.culprit_pid is not a number from 0 to "
                 "4294967295"},
                {"{\"schema\": \"tether.facts/1\", \"watch\": {\"last_flush\": {\"heal_ms\": 1.5}}}",
                 "not a tether.facts/1 document: watch.last_flush.heal_ms is not a number from 0 to "
                 "4294967295"},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct tether_error error = TETHER_ERROR_INIT;
                struct tether_host_facts *facts = (struct tether_host_facts *)0x1;
                json_t *json = json_loads(cases[i].json, 0, NULL);

                print_message("case: %s\n", cases[i].json);
                assert_non_null(json);
                assert_int_equal(tether_host_facts_from_json(json, &facts, &error), -EBADMSG);
                assert_ptr_equal(facts, (struct tether_host_facts *)0x1);
                if (cases[i].message)
                        assert_string_equal(error.text, cases[i].message);
                else
                        assert_true(error.text[0] != '\0');
                json_decref(json);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_rows),         cmocka_unit_test(test_no_contradiction),
                cmocka_unit_test(test_policy),       cmocka_unit_test(test_json_round_trip),
                cmocka_unit_test(test_json_refused),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
