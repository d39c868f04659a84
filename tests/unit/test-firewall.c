/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/firewall.c: every kind is found by its unit name
 * and only by it (not by a prefix, another case, the name without its
 * suffix), unknown names give NULL, and the table itself is sound: unique
 * valid unit names, a description for each, a known flush rule. The
 * knowledge table: every kind has setups, every cell is one line of
 * Markdown, the commands outside systemd are the kind's, every test named
 * as proof exists, and docs/firewalls.md shows exactly this table
 * (TETHER_UPDATE_GOLDEN=1 writes it there).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <ctype.h>
#include <glob.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "firewall.h"
#include "macro.h"
#include "test-util.h"
#include "validate.h"

#define DOC "docs/firewalls.md"
#define TABLE_BEGIN "<!-- knowledge table: generated from common/firewall.c, do not edit -->\n"
#define TABLE_END "<!-- end of the knowledge table -->\n"

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
        bool seen[TETHER_FLUSH_UNLESS_FERM_PRESERVES_DOCKER + 1] = {false};

        for (size_t i = 0; i < tether_firewall_kinds_count; i++) {
                enum tether_flush_rule flush = tether_firewall_kinds[i].flush;

                assert_in_range(flush, TETHER_FLUSH_ALWAYS, TETHER_FLUSH_UNLESS_FERM_PRESERVES_DOCKER);
                seen[flush] = true;
        }
        /* Every rule describes at least one unit. */
        for (size_t i = 0; i < ELEMENTSOF(seen); i++)
                assert_true(seen[i]);
}

static void assert_cell(const char *cell, const char *what, size_t row) {
        assert_non_null(cell);
        if (!cell[0] || strpbrk(cell, "|\n") || isspace((unsigned char)cell[0]))
                fail_msg("setup %zu: its %s \"%s\" is not one Markdown cell", row, what, cell);
}

static void test_setups_sound(void **state) {
        for (size_t i = 0; i < tether_firewall_setups_count; i++) {
                const struct tether_firewall_setup *setup = &tether_firewall_setups[i];
                const struct tether_firewall_kind *kind = tether_firewall_kind_find(setup->unit);
                const char *cells[] = {setup->setup,   setup->restart, setup->reload, setup->stop_start,
                                       setup->outside, setup->tether,  setup->proof};

                print_message("setup %zu: %s, %s\n", i, setup->unit, setup->setup);
                assert_non_null(kind);
                for (size_t c = 0; c < ELEMENTSOF(cells); c++)
                        assert_cell(cells[c], "cell", i);
                /* What flushes outside systemd is what the judge reads: the kind's. */
                if (setup->flushes && kind->outside)
                        assert_string_equal(setup->outside, kind->outside);
                else
                        assert_true(strncmp(setup->outside, "none", 4) == 0);
        }
        for (size_t k = 0; k < tether_firewall_kinds_count; k++) {
                bool described = false;

                for (size_t i = 0; i < tether_firewall_setups_count; i++)
                        described = described || strcmp(tether_firewall_setups[i].unit,
                                                        tether_firewall_kinds[k].unit) == 0;
                if (!described)
                        fail_msg("%s has no setup in the knowledge table", tether_firewall_kinds[k].unit);
        }
}

/* "test-judge: ROW" is a row of tests/unit/test-judge.c; "test-NN: name" a
 * test function of tests/integration/test-NN-*.sh. */
static void assert_proof_exists(const char *proof) {
        _cleanup_free_ char *judge = read_test_file("tests/unit/test-judge.c", "the judge's tests", NULL);
        _cleanup_free_ char *needle = NULL, *exact = NULL, *pattern = NULL, *script = NULL;
        const char *name = strstr(proof, ": ");
        glob_t found = {0};

        if (!name)
                fail_msg("proof \"%s\" is neither \"test-judge: ROW\" nor \"test-NN: name\"", proof);
        name += 2;
        if (strncmp(proof, "test-judge: ", strlen("test-judge: ")) == 0) {
                needle = format("{\"%s\"", name);
                if (!strstr(judge, needle))
                        fail_msg("tests/unit/test-judge.c has no row \"%s\"", name);
                return;
        }
        /* "test-25-ufw" names its file whole ("test-25" has two); "test-10" is one alone. */
        exact = format("tests/integration/%.*s.sh", (int)(name - 2 - proof), proof);
        if (access(exact, F_OK) == 0)
                pattern = format("%s", exact);
        else
                pattern = format("tests/integration/%.*s-*.sh", (int)(name - 2 - proof), proof);
        if (glob(pattern, 0, NULL, &found) != 0 || found.gl_pathc != 1)
                fail_msg("no one file %s for proof \"%s\"", pattern, proof);
        script = read_test_file(found.gl_pathv[0], "an integration test", NULL);
        needle = format("\n%s() {\n", name);
        globfree(&found);
        if (!strstr(script, needle))
                fail_msg("%s has no test %s", pattern, name);
}

static void test_setups_proved(void **state) {
        for (size_t i = 0; i < tether_firewall_setups_count; i++) {
                _cleanup_free_ char *proofs = strdup(tether_firewall_setups[i].proof);
                char *saveptr = NULL;

                assert_non_null(proofs);
                for (char *p = strtok_r(proofs, ";", &saveptr); p; p = strtok_r(NULL, ";", &saveptr))
                        assert_proof_exists(p + strspn(p, " "));
        }
}

/* docs/firewalls.md holds the code's table between its two markers. */
static void test_doc_is_the_table(void **state) {
        _cleanup_free_ char *doc = read_test_file(DOC, "the firewall documentation", NULL);
        _cleanup_free_ char *table = tether_firewall_setups_markdown(), *expected = NULL;
        const char *begin = strstr(doc, TABLE_BEGIN), *end = begin ? strstr(begin, TABLE_END) : NULL;

        assert_non_null(table);
        if (!begin || !end)
                fail_msg(DOC " lacks the lines %s and %s", TABLE_BEGIN, TABLE_END);
        begin += strlen(TABLE_BEGIN);
        expected = format("%.*s%s%s", (int)(begin - doc), doc, table, end);
        assert_golden(DOC, expected, "common/firewall.c's knowledge table");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_every_kind_found), cmocka_unit_test(test_known_units),
                cmocka_unit_test(test_unknown_units),    cmocka_unit_test(test_unit_names_unique_and_valid),
                cmocka_unit_test(test_descriptions),     cmocka_unit_test(test_flush_rules),
                cmocka_unit_test(test_setups_sound),     cmocka_unit_test(test_setups_proved),
                cmocka_unit_test(test_doc_is_the_table),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
