/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/firewall.c: every kind is found by its unit name
 * and only by it (not by a prefix, another case, the name without its
 * suffix), unknown names give NULL, and the table itself is sound: unique
 * valid unit names, a description for each, a known flush rule.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <ctype.h>
#include <string.h>
#include <cmocka.h>

#include "firewall.h"
#include "macro.h"
#include "validate.h"

static void test_every_kind_found(void **state) {
        assert_true(tether_firewall_kinds_count > 0);
        for (size_t i = 0; i < tether_firewall_kinds_count; i++) {
                const struct tether_firewall_kind *kind = &tether_firewall_kinds[i];
                _cleanup_free_ char *copy = strdup(kind->unit);

                assert_ptr_equal(tether_firewall_kind_find(kind->unit), kind);
                /* By the name's contents, not its address. */
                assert_ptr_equal(tether_firewall_kind_find(copy), kind);
        }
}

static void test_known_units(void **state) {
        /* The units the fleet tests and the documentation rely on. */
        static const struct {
                const char *unit;
                enum tether_flush_rule flush;
        } known[] = {
                {"nftables.service", TETHER_FLUSH_IF_NFT},
                {"iptables.service", TETHER_FLUSH_IPV4_ONLY},
                {"ip6tables.service", TETHER_FLUSH_IPV6_ONLY},
                {"netfilter-persistent.service", TETHER_FLUSH_TABLES_IN_RULES_FILE},
                {"firewalld.service", TETHER_FLUSH_FIREWALLD},
                {"ufw.service", TETHER_FLUSH_IF_UFW_MANAGES_BUILTINS},
        };

        for (size_t i = 0; i < ELEMENTSOF(known); i++) {
                const struct tether_firewall_kind *kind = tether_firewall_kind_find(known[i].unit);

                assert_non_null(kind);
                assert_string_equal(kind->unit, known[i].unit);
                assert_int_equal(kind->flush, known[i].flush);
        }
}

static void test_unknown_units(void **state) {
        static const char *const unknown[] = {
                "",
                "docker.service",
                "sshd.service",
                "nftables",
                "nftables.",
                "nftables.socket",
                "nftables.service ",
                " nftables.service",
                "nftables.service\n",
                "NFTABLES.SERVICE",
                "Nftables.service",
                "suse-firewall2.service",
                "susefirewall2.service",
                "tables.service",
                "ip.service",
                "iptables.servicex",
                "xiptables.service",
                "iptables@.service",
                "iptables.service;",
                "\xff",
        };

        for (size_t i = 0; i < ELEMENTSOF(unknown); i++)
                assert_null(tether_firewall_kind_find(unknown[i]));
}

static void test_unit_names_unique_and_valid(void **state) {
        for (size_t i = 0; i < tether_firewall_kinds_count; i++) {
                const char *unit = tether_firewall_kinds[i].unit;
                size_t length;

                assert_non_null(unit);
                length = strlen(unit);
                /* Every name is one tether would accept in an inventory and
                 * write into a drop-in. */
                assert_true(tether_valid_unit_name(unit));
                assert_true(length > strlen(".service"));
                assert_string_equal(unit + length - strlen(".service"), ".service");
                for (size_t j = i + 1; j < tether_firewall_kinds_count; j++)
                        if (strcmp(unit, tether_firewall_kinds[j].unit) == 0)
                                fail_msg("%s is in the table twice (%zu and %zu)", unit, i, j);
        }
}

static void test_descriptions(void **state) {
        for (size_t i = 0; i < tether_firewall_kinds_count; i++) {
                const char *what = tether_firewall_kinds[i].what;

                assert_non_null(what);
                assert_true(strlen(what) > 0);
                /* A sentence for people: printable, no leading or trailing space. */
                assert_false(isspace((unsigned char)what[0]));
                assert_false(isspace((unsigned char)what[strlen(what) - 1]));
                for (const char *c = what; *c; c++)
                        assert_true(isprint((unsigned char)*c));
        }
}

static void test_flush_rules(void **state) {
        bool seen[TETHER_FLUSH_FIREWALLD + 1] = {false};

        for (size_t i = 0; i < tether_firewall_kinds_count; i++) {
                enum tether_flush_rule flush = tether_firewall_kinds[i].flush;

                assert_in_range(flush, TETHER_FLUSH_ALWAYS, TETHER_FLUSH_FIREWALLD);
                seen[flush] = true;
        }
        /* Every rule describes at least one unit. */
        for (size_t i = 0; i < ELEMENTSOF(seen); i++)
                assert_true(seen[i]);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_every_kind_found), cmocka_unit_test(test_known_units),
                cmocka_unit_test(test_unknown_units),    cmocka_unit_test(test_unit_names_unique_and_valid),
                cmocka_unit_test(test_descriptions),     cmocka_unit_test(test_flush_rules),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
