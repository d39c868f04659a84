/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/log.c: every message reaches stderr escaped for
 * the terminal, whatever its arguments held (each string of
 * tests/unit/hostile-strings.h: ESC, CSI and OSC sequences, C0 and C1
 * controls, bidi controls, malformed UTF-8), as one line with the
 * program's name; at -v too; and %m still names the error.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "hostile-strings.h"
#include "log.h"
#include "macro.h"

static int saved_stderr = -1, capture_fds[2] = {-1, -1};

/* Until end_capture(), stderr goes into a pipe (a log line is far less
 * than the pipe holds). */
static void begin_capture(void) {
        saved_stderr = dup(STDERR_FILENO);
        assert_true(saved_stderr >= 0);
        assert_int_equal(pipe2(capture_fds, O_CLOEXEC), 0);
        assert_true(dup2(capture_fds[1], STDERR_FILENO) >= 0);
}

/* What was written on stderr since begin_capture(), into buf. */
static void end_capture(char *buf, size_t size) {
        ssize_t n;

        assert_true(dup2(saved_stderr, STDERR_FILENO) >= 0);
        close(saved_stderr);
        close(capture_fds[1]);
        n = read(capture_fds[0], buf, size - 1);
        close(capture_fds[0]);
        assert_true(n >= 0);
        buf[n] = '\0';
}

/* The ways a host's or a report's words reach a log line: tether's words
 * around them, which are printable and stay as they are. */
static const struct {
        int level;
        const char *before, *after;
} formats[] = {
        /* a tether_error's text, passed on as it is */
        {LOG_ERR, "", ""},
        /* tether report merge, quoting a report's host */
        {LOG_ERR, "Host ", " is in a.json and in b.json: shards of one run never share a host"},
        /* jansson's words on a report that is no JSON, which quote its bytes */
        {LOG_ERR, "a.json:1:2: not JSON: invalid token near '", "'"},
        /* the last line an inventory script printed on stderr */
        {LOG_ERR, "hosts.py is not JSON, and `ansible-inventory` failed (exit status 1): ",
         ". Fix the inventory, or give tether JSON"},
        /* libssh's words on an ssh_config line it refuses */
        {LOG_ERR, "/root/.ssh/config line 3: ", ". tether reads ssh_config with libssh"},
        /* -v */
        {LOG_DEBUG, "nft-01: the connection broke ", "; reading the result back"},
};

static void test_hostile_strings(void **state) {
        log_set_program("tether");
        log_set_max_level(LOG_DEBUG);
        for (size_t f = 0; f < ELEMENTSOF(formats); f++)
                for (size_t i = 0; i < ELEMENTSOF(hostile_strings); i++) {
                        const struct hostile_string *row = &hostile_strings[i];
                        _cleanup_free_ char *expected = NULL;
                        char got[4096];

                        begin_capture();
                        (void)log_full_errno(formats[f].level, -EINVAL, "%s%s%s", formats[f].before,
                                             row->text, formats[f].after);
                        end_capture(got, sizeof(got));
                        assert_true(asprintf(&expected, "tether: %s%s%s\n", formats[f].before, row->terminal,
                                             formats[f].after) >= 0);
                        if (strcmp(got, expected) != 0)
                                fail_msg("%s, format %zu: got \"%s\", expected \"%s\"", row->name, f, got,
                                         expected);
                }
        log_set_max_level(LOG_INFO);
}

static void test_plain_messages(void **state) {
        char got[4096];

        log_set_program("tether-agent");
        begin_capture();
        (void)log_error_errno(-ENOENT, "Cannot read %s: %m", "/etc/x");
        end_capture(got, sizeof(got));
        assert_string_equal(got, "tether-agent: Cannot read /etc/x: No such file or directory\n");
        /* A level below the maximum says nothing. */
        begin_capture();
        log_debug("%s", "\x1b[2J");
        end_capture(got, sizeof(got));
        assert_string_equal(got, "");
        log_set_program("tether");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_hostile_strings),
                cmocka_unit_test(test_plain_messages),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
