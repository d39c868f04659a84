/* SPDX-License-Identifier: MIT */
/*
 * What iptables-legacy's tables hold, in 64 bits: watch polls them where
 * the kernel sends no events for their changes (docs/watch.md). One table's
 * rules come from the kernel as one blob of entries (IPT_SO_GET_ENTRIES,
 * IP6T_SO_GET_ENTRIES); each entry carries its packet and byte counters,
 * which move with the traffic. The fingerprint is a hash of the blob with
 * the counters left out: it changes when a rule, a chain or a policy
 * changes, and never with the traffic. Pure: the agent reads the blobs.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

enum tether_xt_family {
        TETHER_XT_IPV4, /* struct ipt_entry */
        TETHER_XT_IPV6, /* struct ip6t_entry */
};

#define TETHER_XT_FINGERPRINT_INIT 0xcbf29ce484222325ULL /* FNV-1a's offset basis */

/* Folds the size bytes of entries of one table into *fingerprint (start
 * from TETHER_XT_FINGERPRINT_INIT; fold several tables in one). 0, or
 * -EINVAL when the entries do not chain up to size exactly (an entry
 * shorter than its header, or one past the end); *fingerprint is then
 * untouched. */
int tether_xt_fingerprint(enum tether_xt_family family, const void *entries, size_t size,
                          uint64_t *fingerprint);
