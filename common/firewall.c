/* SPDX-License-Identifier: MIT */
/*
 * The table of firewall services and what their restart does to Docker's
 * rules (see firewall.h and docs/firewalls.md for the sources).
 */
#include <string.h>

#include "firewall.h"
#include "macro.h"

const struct tether_firewall_kind tether_firewall_kinds[] = {
        {"nftables.service", "nftables: stop runs 'nft flush ruleset', start loads /etc/nftables.conf",
         TETHER_FLUSH_IF_NFT},
        {"iptables.service", "iptables-services: stop flushes every table, start runs iptables-restore",
         TETHER_FLUSH_IPV4_ONLY},
        {"ip6tables.service", "ip6tables-services: the same for IPv6", TETHER_FLUSH_IPV6_ONLY},
        {"netfilter-persistent.service",
         "iptables-persistent: start runs iptables-restore of /etc/iptables/rules.v4",
         TETHER_FLUSH_TABLES_IN_RULES_FILE},
        {"firewalld.service",
         "firewalld: restart, reload and stop flush the iptables tables (before 2.0, or with direct rules "
         "or FirewallBackend=iptables); Docker re-creates its rules on firewalld's D-Bus signals",
         TETHER_FLUSH_FIREWALLD},
        {"ufw.service", "ufw: flushes its own chains, and the built-in ones with MANAGE_BUILTINS=yes",
         TETHER_FLUSH_IF_UFW_MANAGES_BUILTINS},
        {"ferm.service", "ferm: replaces the tables it manages", TETHER_FLUSH_ALWAYS},
        {"shorewall.service", "Shorewall: replaces the whole ruleset", TETHER_FLUSH_IPV4_ONLY},
        {"csf.service", "ConfigServer Firewall: flushes every table on restart", TETHER_FLUSH_ALWAYS},
        {"SuSEfirewall2.service", "SuSEfirewall2: flushes every table on restart", TETHER_FLUSH_ALWAYS},
        {"iptables-restore.service",
         "iptables-restore (Container Linux): iptables-restore of /var/lib/iptables/rules-save, without "
         "--noflush",
         TETHER_FLUSH_IPV4_ONLY},
};

const size_t tether_firewall_kinds_count = ELEMENTSOF(tether_firewall_kinds);

const struct tether_firewall_kind *tether_firewall_kind_find(const char *unit) {
        for (size_t i = 0; i < tether_firewall_kinds_count; i++)
                if (strcmp(tether_firewall_kinds[i].unit, unit) == 0)
                        return &tether_firewall_kinds[i];
        return NULL;
}
