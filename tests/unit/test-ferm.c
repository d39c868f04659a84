/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/ferm.c: which chains a ferm.conf marks @preserve
 * and which tables it manages, one row a file: the forms ferm(1) documents,
 * comments, nesting, lists, and text that only looks like them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "ferm.h"
#include "macro.h"

static void assert_strv(char **strv, const char *const *expected) {
        size_t n = 0;

        assert_non_null(strv);
        for (; expected[n]; n++) {
                assert_non_null(strv[n]);
                assert_string_equal(strv[n], expected[n]);
        }
        assert_null(strv[n]);
}

static void test_rows(void **state) {
        static const struct {
                const char *name, *text;
                const char *preserved[8], *tables[4];
        } rows[] = {
                {"no file", NULL, {NULL}, {"filter", NULL}},
                {"empty", "", {NULL}, {"filter", NULL}},
                {"one chain, ferm's default table",
                 "chain DOCKER @preserve;",
                 {"DOCKER", NULL},
                 {"filter", NULL}},
                {"a list, in tables",
                 "domain (ip ip6) {\n  table filter {\n    chain (DOCKER FORWARD) @preserve;\n  }\n"
                 "  table nat { chain (DOCKER POSTROUTING) @preserve; }\n}\n",
                 {"DOCKER", "FORWARD", "DOCKER", "POSTROUTING", NULL},
                 {"filter", "filter", "nat", NULL}},
                {"a table list",
                 "table (nat raw) chain PREROUTING @preserve;",
                 {"PREROUTING", NULL},
                 {"filter", "nat", "raw", NULL}},
                {"@preserve inside the chain's block",
                 "chain DOCKER-USER { @preserve; }",
                 {"DOCKER-USER", NULL},
                 {"filter", NULL}},
                {"a chain with rules only",
                 "chain INPUT { policy DROP; proto tcp dport ssh ACCEPT; }",
                 {NULL},
                 {"filter", NULL}},
                {"@preserve in a comment", "chain DOCKER # @preserve;\n;", {NULL}, {"filter", NULL}},
                {"a word that contains @preserve", "chain DOCKER @preserved;", {NULL}, {"filter", NULL}},
                {"the last chain named is the one preserved",
                 "chain INPUT policy DROP;\nchain DOCKER @preserve;",
                 {"DOCKER", NULL},
                 {"filter", NULL}},
                {"no blanks around the punctuation",
                 "table nat{chain(DOCKER OUTPUT)@preserve;}",
                 {"DOCKER", "OUTPUT", NULL},
                 {"filter", "nat", NULL}},
                {"an unterminated list", "chain (DOCKER FORWARD", {NULL}, {"filter", NULL}},
        };

        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                char **preserved = NULL, **tables = NULL;

                print_message("row: %s\n", rows[i].name);
                assert_int_equal(tether_ferm_read(rows[i].text, &preserved, &tables), 0);
                assert_strv(preserved, rows[i].preserved);
                assert_strv(tables, rows[i].tables);
                strv_free(preserved);
                strv_free(tables);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_rows),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
