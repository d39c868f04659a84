/* SPDX-License-Identifier: MIT */
/*
 * Reading iptables-legacy's tables for watch (see legacy-tables.h). A table
 * is read with IPT_SO_GET_INFO (its size) and IPT_SO_GET_ENTRIES (its
 * entries); when it changed between the two, the kernel answers EAGAIN and
 * the pair is asked again.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>

#include "legacy-tables.h"
#include "xt-fingerprint.h"

#define TRIES 5

static const char *const table_names[] = {"filter", "nat", "mangle", "raw"};

int legacy_tables_open(struct legacy_tables *tables) {
        tables->fd4 = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
        if (tables->fd4 < 0)
                return -errno;
        tables->fd6 = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
        return 0;
}

void legacy_tables_close(struct legacy_tables *tables) {
        if (tables->fd4 >= 0)
                close(tables->fd4);
        if (tables->fd6 >= 0)
                close(tables->fd6);
        *tables = (struct legacy_tables)LEGACY_TABLES_INIT;
}

/* The IPv4 and IPv6 calls differ only in their level: the option numbers
 * are the same, and so is the layout of the structs they fill. */
_Static_assert(IPT_SO_GET_INFO == IP6T_SO_GET_INFO && IPT_SO_GET_ENTRIES == IP6T_SO_GET_ENTRIES,
               "ip6_tables' getsockopt() options are ip_tables' own numbers");
_Static_assert(sizeof(struct ipt_getinfo) == sizeof(struct ip6t_getinfo) &&
                       sizeof(struct ipt_get_entries) == sizeof(struct ip6t_get_entries),
               "ip6_tables' structs have ip_tables' layout");

static int fold_table(int fd, enum tether_xt_family family, const char *name, uint64_t *fingerprint) {
        int level = family == TETHER_XT_IPV6 ? IPPROTO_IPV6 : IPPROTO_IP;
        int get_info = IPT_SO_GET_INFO, get_entries = IPT_SO_GET_ENTRIES;

        for (int try = 0; try < TRIES; try++) {
                struct ipt_getinfo info = {};
                struct ipt_get_entries *entries;
                socklen_t length = sizeof(info);
                int r;

                strncpy(info.name, name, sizeof(info.name) - 1);
                if (getsockopt(fd, level, get_info, &info, &length) < 0)
                        /* A table this kernel does not have holds nothing. */
                        return errno == ENOENT ? 0 : -errno;
                length = (socklen_t)(sizeof(*entries) + info.size);
                entries = calloc(1, length);
                if (!entries)
                        return -ENOMEM;
                strncpy(entries->name, name, sizeof(entries->name) - 1);
                entries->size = info.size;
                r = getsockopt(fd, level, get_entries, entries, &length) < 0 ? -errno : 0;
                if (r >= 0)
                        r = tether_xt_fingerprint(family, entries->entrytable, info.size, fingerprint);
                free(entries);
                if (r != -EAGAIN)
                        return r;
        }
        return -EAGAIN;
}

int legacy_tables_fingerprint(const struct legacy_tables *tables, uint64_t *ret) {
        uint64_t fingerprint = TETHER_XT_FINGERPRINT_INIT;

        for (size_t i = 0; i < sizeof(table_names) / sizeof(table_names[0]); i++) {
                int r = fold_table(tables->fd4, TETHER_XT_IPV4, table_names[i], &fingerprint);

                if (r >= 0 && tables->fd6 >= 0)
                        r = fold_table(tables->fd6, TETHER_XT_IPV6, table_names[i], &fingerprint);
                if (r < 0)
                        return r;
        }
        *ret = fingerprint;
        return 0;
}
