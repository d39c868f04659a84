/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for controller/cmd-inventory.c: a refused host's reason,
 * which may quote any value an inventory script printed, is escaped for
 * the terminal in `tether inventory`'s table (each string of
 * tests/unit/hostile-strings.h), one line whatever it holds.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cmd-inventory.h"
#include "hostile-strings.h"
#include "macro.h"

static void test_refusal_escaped(void **state) {
        char *no_tags[] = {NULL};

        for (size_t i = 0; i < ELEMENTSOF(hostile_strings); i++) {
                const struct hostile_string *row = &hostile_strings[i];
                _cleanup_free_ char *refusal = NULL, *expected = NULL, *table = NULL;
                struct tether_host host = {
                        .name = (char *)"web-01",
                        .address = (char *)"203.0.113.10",
                        .sudo = -1,
                        .firewall = (char *)"auto",
                        .tags = no_tags,
                };
                const struct tether_host *hosts[] = {&host};
                size_t size = 0;
                FILE *out = open_memstream(&table, &size);
                const char *line;

                assert_non_null(out);
                assert_true(asprintf(&refusal, "ansible_connection=%s: tether reaches hosts over SSH only",
                                     row->text) >= 0);
                host.refusal = refusal;
                cmd_inventory_print_table(out, hosts, 1);
                assert_int_equal(fclose(out), 0);
                assert_true(asprintf(&expected,
                                     "%-24s refused: ansible_connection=%s: tether reaches hosts over "
                                     "SSH only\n",
                                     "", row->terminal) >= 0);
                /* The third line, the last: the header, the host, its refusal. */
                line = strchr(strchr(table, '\n') + 1, '\n') + 1;
                if (strcmp(line, expected) != 0)
                        fail_msg("%s: got \"%s\", expected \"%s\"", row->name, line, expected);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_refusal_escaped),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
