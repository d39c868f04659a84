/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/xt-fingerprint.c: the fingerprint of a table's
 * entries moves with a rule, a policy or a target, never with the
 * counters; blobs whose entries do not chain up are refused, with the
 * fingerprint untouched; IPv4 and IPv6 entries each by their own layout.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>

#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>

#include "macro.h"
#include "xt-fingerprint.h"

/* A table of three IPv4 entries, each a header and 8 bytes of target. */
#define ENTRY_SIZE (sizeof(struct ipt_entry) + 8)
struct table4 {
        unsigned char bytes[3 * ENTRY_SIZE];
};

static struct ipt_entry *entry4(struct table4 *t, size_t i) {
        return (struct ipt_entry *)(t->bytes + i * ENTRY_SIZE);
}

static struct table4 table4(void) {
        struct table4 t = {};

        for (size_t i = 0; i < 3; i++) {
                entry4(&t, i)->target_offset = sizeof(struct ipt_entry);
                entry4(&t, i)->next_offset = ENTRY_SIZE;
                entry4(&t, i)->ip.src.s_addr = htonl(0xac110000u + (uint32_t)i); /* 172.17.0.i */
                t.bytes[i * ENTRY_SIZE + sizeof(struct ipt_entry)] = (unsigned char)('A' + i);
        }
        return t;
}

static uint64_t print4(const struct table4 *t, size_t size) {
        uint64_t fingerprint = TETHER_XT_FINGERPRINT_INIT;

        assert_int_equal(tether_xt_fingerprint(TETHER_XT_IPV4, t->bytes, size, &fingerprint), 0);
        return fingerprint;
}

static void test_changes_that_count(void **state) {
        const struct table4 base = table4();
        const uint64_t before = print4(&base, sizeof(base.bytes));
        struct table4 t;

        /* The same table, the same fingerprint. */
        t = table4();
        assert_true(print4(&t, sizeof(t.bytes)) == before);
        /* A rule's match. */
        t = table4();
        entry4(&t, 1)->ip.src.s_addr = htonl(0x0a000001u);
        assert_true(print4(&t, sizeof(t.bytes)) != before);
        /* A rule's target (the bytes after the header). */
        t = table4();
        t.bytes[2 * ENTRY_SIZE + sizeof(struct ipt_entry) + 3] = 1;
        assert_true(print4(&t, sizeof(t.bytes)) != before);
        /* A rule fewer. */
        t = table4();
        assert_true(print4(&t, 2 * ENTRY_SIZE) != before);
        /* Nothing at all: the basis itself. */
        assert_true(print4(&t, 0) == TETHER_XT_FINGERPRINT_INIT);
}

static void test_counters_do_not_count(void **state) {
        const struct table4 base = table4();
        const uint64_t before = print4(&base, sizeof(base.bytes));
        struct table4 t = table4();

        for (size_t i = 0; i < 3; i++) {
                entry4(&t, i)->counters.pcnt = 1000 * (i + 1);
                entry4(&t, i)->counters.bcnt = 64000 * (i + 1);
        }
        assert_true(print4(&t, sizeof(t.bytes)) == before);
}

static void test_broken_blobs(void **state) {
        static const struct {
                size_t entry;
                uint16_t next_offset;
                size_t size;
        } cases[] = {
                {1, 0, 3 * ENTRY_SIZE},                            /* no progress */
                {1, sizeof(struct ipt_entry) - 1, 3 * ENTRY_SIZE}, /* shorter than its header */
                {2, ENTRY_SIZE + 1, 3 * ENTRY_SIZE},               /* past the end */
                {0, ENTRY_SIZE, 3 * ENTRY_SIZE - 1},               /* the last entry cut */
                {0, ENTRY_SIZE, sizeof(struct ipt_entry) - 1},     /* not even one header */
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct table4 t = table4();
                uint64_t fingerprint = 42;

                entry4(&t, cases[i].entry)->next_offset = cases[i].next_offset;
                assert_int_equal(tether_xt_fingerprint(TETHER_XT_IPV4, t.bytes, cases[i].size, &fingerprint),
                                 -EINVAL);
                assert_true(fingerprint == 42);
        }
}

/* IPv6 entries are longer, with their counters elsewhere. */
static void test_ipv6(void **state) {
        unsigned char bytes[2 * (sizeof(struct ip6t_entry) + 8)] = {};
        struct ip6t_entry *first = (struct ip6t_entry *)bytes,
                          *second = (struct ip6t_entry *)(bytes + sizeof(struct ip6t_entry) + 8);
        uint64_t before = TETHER_XT_FINGERPRINT_INIT, after = TETHER_XT_FINGERPRINT_INIT,
                 moved = TETHER_XT_FINGERPRINT_INIT;

        first->next_offset = second->next_offset = sizeof(struct ip6t_entry) + 8;
        first->target_offset = second->target_offset = sizeof(struct ip6t_entry);
        assert_int_equal(tether_xt_fingerprint(TETHER_XT_IPV6, bytes, sizeof(bytes), &before), 0);
        second->counters.pcnt = 77;
        assert_int_equal(tether_xt_fingerprint(TETHER_XT_IPV6, bytes, sizeof(bytes), &after), 0);
        assert_true(before == after);
        second->ipv6.proto = 6;
        assert_int_equal(tether_xt_fingerprint(TETHER_XT_IPV6, bytes, sizeof(bytes), &moved), 0);
        assert_true(moved != before);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_changes_that_count),
                cmocka_unit_test(test_counters_do_not_count),
                cmocka_unit_test(test_broken_blobs),
                cmocka_unit_test(test_ipv6),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
