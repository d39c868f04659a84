/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for session_check_config(): ssh_config read by the real
 * libssh before a run; a line it refuses is one usage error naming the
 * file and the line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "macro.h"
#include "session.h"
#include "test-util.h"

static void test_configs(void **state) {
        static const struct {
                const char *text;
                const char *message; /* NULL: accepted; else a part of the message after the path */
        } rows[] = {
                {"Host *\n  User deploy\n  ProxyJump bastion\n", NULL},
                {"", NULL},
                {"Host *\n  User deploy\nMatch tagged prod\n  User ops\n",
                 " line 3: Unknown argument 'tagged' for Match keyword. tether reads ssh_config with "
                 "libssh"},
                {"# a comment\nMatch user x exec \"true\"\n\nMatch canonical bogus\n", " line 4: "},
        };

        (void)state;
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                struct tether_error error = TETHER_ERROR_INIT;
                char *path = write_temporary_file("ssh_config", rows[i].text, strlen(rows[i].text));
                int r = session_check_config(path, &error);

                if (!rows[i].message) {
                        if (r != 0)
                                fail_msg("row %zu: refused: %s", i, error.text);
                } else {
                        assert_int_equal(r, -EINVAL);
                        if (strncmp(error.text, path, strlen(path)) != 0 ||
                            !strstr(error.text + strlen(path), rows[i].message))
                                fail_msg("row %zu: '%s' lacks '%s'", i, error.text, rows[i].message);
                }
                assert_int_equal(unlink(path), 0);
                free(path);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_configs),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
