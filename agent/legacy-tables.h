/* SPDX-License-Identifier: MIT */
/*
 * iptables-legacy's tables, read straight from the kernel for watch, which
 * polls them where no event says they changed: two getsockopt() calls a
 * table, on a raw socket of each family (CAP_NET_RAW), no fork, no parsing.
 * What the tables hold is folded into one fingerprint
 * (common/xt-fingerprint.h): the rules changed when it did.
 */
#pragma once

#include <stdint.h>

struct legacy_tables {
        int fd4, fd6; /* -1: the family cannot be read (no IPv6 on the host) */
};

#define LEGACY_TABLES_INIT \
        { .fd4 = -1, .fd6 = -1 }

/* 0, or -errno when not even IPv4's socket opens. */
int legacy_tables_open(struct legacy_tables *tables);
void legacy_tables_close(struct legacy_tables *tables);

/* The fingerprint of every table of both families (filter, nat, mangle,
 * raw; a table the kernel does not have counts as empty). 0, or -errno
 * when a table could not be read; *ret is then untouched. */
int legacy_tables_fingerprint(const struct legacy_tables *tables, uint64_t *ret);
