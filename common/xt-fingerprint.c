/* SPDX-License-Identifier: MIT */
/*
 * The fingerprint of iptables-legacy's tables (see xt-fingerprint.h):
 * FNV-1a over each entry's bytes but its counters.
 */
#include <errno.h>
#include <string.h>

#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>

#include "xt-fingerprint.h"

#define FNV_PRIME 0x100000001b3ULL

static uint64_t fold(uint64_t hash, const unsigned char *bytes, size_t n) {
        for (size_t i = 0; i < n; i++) {
                hash ^= bytes[i];
                hash *= FNV_PRIME;
        }
        return hash;
}

/* Where an entry of the family has its next_offset and its counters. */
static void layout(enum tether_xt_family family, size_t *ret_header, size_t *ret_next,
                   size_t *ret_counters) {
        if (family == TETHER_XT_IPV6) {
                *ret_header = sizeof(struct ip6t_entry);
                *ret_next = offsetof(struct ip6t_entry, next_offset);
                *ret_counters = offsetof(struct ip6t_entry, counters);
        } else {
                *ret_header = sizeof(struct ipt_entry);
                *ret_next = offsetof(struct ipt_entry, next_offset);
                *ret_counters = offsetof(struct ipt_entry, counters);
        }
}

int tether_xt_fingerprint(enum tether_xt_family family, const void *entries, size_t size,
                          uint64_t *fingerprint) {
        const unsigned char *blob = entries;
        size_t header, next_at, counters_at;
        uint64_t hash = *fingerprint;

        layout(family, &header, &next_at, &counters_at);
        for (size_t offset = 0; offset < size;) {
                uint16_t next;

                if (size - offset < header)
                        return -EINVAL;
                memcpy(&next, blob + offset + next_at, sizeof(next));
                if (next < header || next > size - offset)
                        return -EINVAL;
                hash = fold(hash, blob + offset, counters_at);
                hash = fold(hash, blob + offset + counters_at + sizeof(struct xt_counters),
                            next - counters_at - sizeof(struct xt_counters));
                offset += next;
        }
        *fingerprint = hash;
        return 0;
}
