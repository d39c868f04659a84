/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/watch-unit.c: tether-watch.service as apply --watch
 * writes it, for an agent path and a heal policy; the paths ExecStart=
 * cannot name, refused with *ret untouched; and which files are tether's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "macro.h"
#include "watch-unit.h"

/* Not a valid pointer: shows that a failing call left *ret alone. */
static char *const untouched = (char *)(uintptr_t)0x1;

static void test_render(void **state) {
        static const struct {
                const char *path;
                enum tether_watch_heal heal;
                const char *exec_start;
        } cases[] = {
                {"/var/lib/tether/tether-agent-0123abcd", TETHER_WATCH_HEAL_RESTART,
                 "\nExecStart=/var/lib/tether/tether-agent-0123abcd watch --heal=restart\n"},
                {"/usr/libexec/tether/tether-agent", TETHER_WATCH_HEAL_REPORT,
                 "\nExecStart=/usr/libexec/tether/tether-agent watch --heal=report\n"},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct tether_error error = TETHER_ERROR_INIT;
                char *text = NULL;

                assert_int_equal(tether_watch_unit_render(cases[i].path, cases[i].heal, &text, &error), 0);
                assert_non_null(strstr(text, cases[i].exec_start));
                assert_true(strncmp(text, TETHER_WATCH_UNIT_MARKER, strlen(TETHER_WATCH_UNIT_MARKER)) == 0);
                /* One ExecStart=, the hardening, and a section to enable it by. */
                assert_null(strstr(strstr(text, "ExecStart=") + 1, "ExecStart="));
                assert_non_null(strstr(text, "\nType=notify\n"));
                assert_non_null(strstr(text, "\nCapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW\n"));
                assert_non_null(strstr(text, "\nProtectSystem=strict\n"));
                assert_non_null(strstr(text, "\nRestartPreventExitStatus=2 9\n"));
                assert_non_null(strstr(text, "\n[Install]\nWantedBy=multi-user.target\n"));
                assert_true(tether_watch_unit_is_ours(text));
                free(text);
        }
}

static void test_render_refuses_paths_execstart_cannot_name(void **state) {
        static const char *const paths[] = {
                NULL,
                "",
                "tether-agent",                      /* relative */
                "/opt/my tools/tether-agent",        /* a space splits the command */
                "/opt/%h/tether-agent",              /* a systemd specifier */
                "/opt/\"x\"/tether-agent",           /* a quote */
                "/opt/a\\x20b/tether-agent",         /* an escape */
                "/var/lib/tether/a (deleted)",       /* a binary replaced while it runs */
                "/usr/libexec/tether/tether-agent/", /* not a file's path */
        };

        for (size_t i = 0; i < ELEMENTSOF(paths); i++) {
                struct tether_error error = TETHER_ERROR_INIT;
                char *text = untouched;

                assert_int_equal(
                        tether_watch_unit_render(paths[i], TETHER_WATCH_HEAL_RESTART, &text, &error),
                        -EINVAL);
                assert_ptr_equal(text, untouched);
                assert_non_null(strstr(error.text, "cannot be named in ExecStart="));
        }
}

static void test_is_ours(void **state) {
        static const struct {
                const char *text;
                bool ours;
        } cases[] = {
                {NULL, false},
                {"", false},
                /* An admin's own unit, even one copied from tether's docs. */
                {"[Unit]\nDescription=watch\n[Service]\nExecStart=/usr/local/bin/tether-agent watch\n",
                 false},
                {"# tether-agent watch: brings Docker's firewall rules back\n[Unit]\n", false},
                /* The marker must open the file, not be quoted inside it. */
                {"[Unit]\n" TETHER_WATCH_UNIT_MARKER, false},
                {TETHER_WATCH_UNIT_MARKER "[Unit]\n", true},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++)
                assert_int_equal(tether_watch_unit_is_ours(cases[i].text), cases[i].ours);
}

/* Which watch a unit's files start: the last ExecStart= says. */
static void test_restarts(void **state) {
        static const struct {
                const char *text;
                bool before, restarts;
        } cases[] = {
                {"[Service]\nExecStart=/usr/libexec/tether/tether-agent watch --heal=restart\n", false,
                 true},
                {"[Service]\nExecStart=/usr/libexec/tether/tether-agent watch --heal\n", false, true},
                {"[Service]\nExecStart=/usr/libexec/tether/tether-agent watch --heal=report\n", true, false},
                /* watch's default is report. */
                {"[Service]\nExecStart=/usr/libexec/tether/tether-agent watch\n", true, false},
                /* A drop-in's ExecStart= replaces the unit's; an empty one only resets. */
                {"[Service]\nExecStart=\nExecStart=/a/tether-agent watch --heal=restart --backoff-sec 1\n",
                 false, true},
                {"[Service]\nExecStart=\n", true, false},
                /* A drop-in without ExecStart= leaves what the files before said. */
                {"[Service]\nMemoryMax=64M\n", true, true},
                {"[Service]\nMemoryMax=64M\n", false, false},
                {"", true, true},
                /* Words, not parts of them. */
                {"[Service]\nExecStart=/a/tether-agent watch --healthy --heal=restarting\n", false, false},
                {"# ExecStart=/a/tether-agent watch --heal=restart\n", false, false},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++)
                assert_int_equal(tether_watch_unit_restarts(cases[i].text, cases[i].before),
                                 cases[i].restarts);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_render),
                cmocka_unit_test(test_render_refuses_paths_execstart_cannot_name),
                cmocka_unit_test(test_is_ours),
                cmocka_unit_test(test_restarts),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
