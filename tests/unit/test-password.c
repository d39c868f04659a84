/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for controller/password.c: the first line of a password file
 * only its owner may read, the files refused (readable by group or others,
 * too long a line, missing), and the process not dumpable while a password
 * is held.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "macro.h"
#include "password.h"
#include "test-util.h"

static char path[] = "/tmp/test-password-XXXXXX";

static void write_password_file(const char *contents, mode_t mode) {
        _cleanup_close_ int fd = -1;

        memcpy(path + strlen(path) - 6, "XXXXXX", 6);
        fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, contents, strlen(contents)), (ssize_t)strlen(contents));
        assert_int_equal(fchmod(fd, mode), 0);
}

static void test_read(void **state) {
        static const struct {
                const char *contents;
                const char *password;
        } rows[] = {
                {"secret\n", "secret"},
                {"secret", "secret"},
                {"secret\r\nsecond line\n", "secret"},
                {"\n", ""},
                {"", ""},
                {"with spaces and ünïcode\nrest", "with spaces and ünïcode"},
        };

        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                struct tether_error error = TETHER_ERROR_INIT;
                char *password = NULL;

                write_password_file(rows[i].contents, 0600);
                assert_int_equal(password_read_file(path, &password, &error), 0);
                assert_string_equal(password, rows[i].password);
                /* Held: no core file, no ptrace by the same user. */
                assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
                assert_null(password_free(password));
                assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
                unlink(path);
        }
}

static void test_refused(void **state) {
        static const struct {
                mode_t mode;
                const char *who;
        } rows[] = {
                {0640, "its group"}, {0604, "anyone"}, {0644, "anyone"},
                {0660, "its group"}, {0444, "anyone"},
        };

        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                struct tether_error error = TETHER_ERROR_INIT;
                _cleanup_free_ char *expected = NULL;
                char *password = NULL;

                write_password_file("secret\n", rows[i].mode);
                assert_true(
                        asprintf(&expected,
                                 "The sudo password file %s may be read by %s (mode %04o): make it yours "
                                 "alone, with chmod 600 %s",
                                 path, rows[i].who, (unsigned)rows[i].mode, path) >= 0);
                assert_int_equal(password_read_file(path, &password, &error), -EACCES);
                assert_string_equal(error.text, expected);
                assert_null(password);
                assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
                unlink(path);
        }
}

static void test_too_long_and_missing(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_free_ char *line = repeat('x', PASSWORD_LIMIT + 1), *exact = repeat('y', PASSWORD_LIMIT);
        _cleanup_free_ char *expected = NULL;
        char *password = NULL;

        write_password_file(line, 0600);
        assert_true(asprintf(&expected,
                             "Cannot read the sudo password: the first line of %s is longer than %u bytes",
                             path, PASSWORD_LIMIT) >= 0);
        assert_int_equal(password_read_file(path, &password, &error), -EFBIG);
        assert_string_equal(error.text, expected);
        unlink(path);

        tether_error_clear(&error);
        write_password_file(exact, 0400);
        assert_int_equal(password_read_file(path, &password, &error), 0);
        assert_string_equal(password, exact);
        password = password_free(password);
        unlink(path);

        tether_error_clear(&error);
        assert_int_equal(password_read_file("/nonexistent/password", &password, &error), -ENOENT);
        assert_string_equal(
                error.text,
                "Cannot read the sudo password: cannot open /nonexistent/password: No such file or "
                "directory");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_read),
                cmocka_unit_test(test_refused),
                cmocka_unit_test(test_too_long_and_missing),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
