/* SPDX-License-Identifier: MIT */
/*
 * The verdict on one host, from the facts the agent gathered. The table:
 *
 *   docker active, some expected rules missing now          -> broken
 *   no docker, or docker neither active nor enabled         -> not-applicable
 *   Docker makes no iptables rules ("iptables": false)       -> not-applicable
 *   docker Requires= (or BindsTo=) a firewall unit that is
 *   masked, missing or failed: docker cannot start           -> start-blocked
 *   no firewall unit that flushes Docker's rules is enabled
 *   or active                                               -> not-applicable
 *   some such unit not tied to docker                       -> vulnerable
 *   every one tied, but the reload of one still flushes
 *   Docker's rules and nothing restarts docker after it,
 *   or one flushes them from outside systemd too (csf -r,
 *   ufw reload), which no tie covers                        -> reload-vulnerable
 *   otherwise                                               -> protected
 *
 * reload-vulnerable is its own verdict because `systemctl reload nftables`
 * is the ordinary way to apply a firewall edit, and systemd passes no
 * reload on through Requires=, PartOf= or BindsTo=: a host that one such
 * command cuts off is not protected. A firewall's own command that flushes
 * without systemd (csf -r, ufw reload) is such a command too.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

enum tether_verdict {
        TETHER_VERDICT_PROTECTED,
        TETHER_VERDICT_VULNERABLE,
        TETHER_VERDICT_BROKEN,
        TETHER_VERDICT_NOT_APPLICABLE,
        TETHER_VERDICT_RELOAD_VULNERABLE,
        TETHER_VERDICT_START_BLOCKED,
};

struct tether_verdict_facts {
        bool docker_installed;
        bool docker_active;
        bool docker_enabled;
        bool docker_makes_no_rules; /* "iptables": false in its daemon.json */
        size_t blocking_units;      /* units docker Requires= that are masked, missing or failed */
        size_t rules_missing;       /* expected chains and rules of Docker's missing now */
        size_t flushing_units;   /* enabled or active firewall units whose restart flushes Docker's rules */
        size_t flushing_untied;  /* of those, the ones docker is not tied to */
        size_t reload_uncovered; /* of the tied ones, those whose reload flushes and restarts nothing,
                                    or that flush from outside systemd */
};

enum tether_verdict tether_verdict_decide(const struct tether_verdict_facts *facts);
const char *tether_verdict_to_string(enum tether_verdict verdict);
int tether_verdict_from_string(const char *s, enum tether_verdict *ret);
