/* SPDX-License-Identifier: MIT */
/*
 * What the unit tests share: strings and temporary files made for a test,
 * fixtures and golden files read from the tree (tests run from its top, see
 * tests/unit/run), and the check of an error's code and message. A test
 * program is built from its one source (see the Makefile), so these are
 * static inline; each fails the test (cmocka) instead of returning an error.
 *
 * Ownership: a returned string or path is new, the caller frees it; a
 * temporary file is the caller's to unlink().
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>

#include "error.h"
#include "fileio.h"
#include "macro.h"

/* Fixtures and goldens are small; this only stops a runaway file. */
#define TEST_FILE_LIMIT (64u * 1024 * 1024)

/* n times c. */
static inline char *repeat(char c, size_t n) {
        char *s = malloc(n + 1);

        assert_non_null(s);
        memset(s, c, n);
        s[n] = '\0';
        return s;
}

/* printf into a new string. */
static inline char *format(const char *fmt, ...) _printf_(1, 2);
static inline char *format(const char *fmt, ...) {
        char *s = NULL;
        va_list ap;

        va_start(ap, fmt);
        assert_true(vasprintf(&s, fmt, ap) >= 0);
        va_end(ap);
        return s;
}

/* Checks an error: its code, that its message starts with prefix, and that
 * the message contains each of the strings in ap, up to a NULL. Set
 * TEST_VERBOSE=1 to print every message checked. */
static inline void check_error(const struct tether_error *error, int r, int code, const char *prefix,
                               va_list ap) {
        const char *part;

        if (getenv("TEST_VERBOSE"))
                print_message("    %s\n", error->text);
        if (r != code)
                print_error("got %d, expected %d: %s\n", r, code, error->text);
        assert_int_equal(r, code);
        assert_int_equal(error->code, code);
        if (strncmp(error->text, prefix, strlen(prefix)) != 0)
                print_error("message does not start with '%s': %s\n", prefix, error->text);
        assert_true(strncmp(error->text, prefix, strlen(prefix)) == 0);
        while ((part = va_arg(ap, const char *))) {
                if (!strstr(error->text, part))
                        print_error("message lacks '%s': %s\n", part, error->text);
                assert_non_null(strstr(error->text, part));
        }
}

/* That two JSON values print the same, keys sorted; takes both references. */
static inline void assert_same_json(json_t *expected, json_t *actual) {
        char *expected_text = json_dumps(expected, JSON_SORT_KEYS | JSON_ENCODE_ANY);
        char *actual_text = json_dumps(actual, JSON_SORT_KEYS | JSON_ENCODE_ANY);

        assert_non_null(expected_text);
        assert_non_null(actual_text);
        assert_string_equal(expected_text, actual_text);
        free(expected_text);
        free(actual_text);
        json_decref(expected);
        json_decref(actual);
}

/* A new file /tmp/test-NAME-XXXXXX holding the length bytes of data; the
 * caller unlinks it and frees the path. */
static inline char *write_temporary_file(const char *name, const void *data, size_t length) {
        char *path = format("/tmp/test-%s-XXXXXX", name);
        int fd = mkstemp(path);

        assert_true(fd >= 0);
        for (size_t done = 0; done < length;) {
                ssize_t n = write(fd, (const char *)data + done, length - done);

                assert_true(n > 0);
                done += (size_t)n;
        }
        assert_int_equal(close(fd), 0);
        return path;
}

/* The file at path, whole (its size in *ret_size when that is not NULL),
 * or the test fails with why, and hint, which says how to get the file. */
static inline char *read_test_file(const char *path, const char *hint, size_t *ret_size) {
        struct tether_error error = TETHER_ERROR_INIT;
        char *text = NULL;

        if (tether_read_file(path, TEST_FILE_LIMIT, &text, ret_size, &error) < 0)
                fail_msg("%s (%s)", error.text, hint);
        return text;
}

/* The report fixture tests/unit/fixtures/reports/NAME.json, which the
 * renderings are made from (a new reference). */
static inline json_t *load_fixture(const char *name) {
        _cleanup_free_ char *path = format("tests/unit/fixtures/reports/%s.json", name);
        json_error_t error;
        json_t *report;

        report = json_load_file(path, JSON_REJECT_DUPLICATES, &error);
        if (!report)
                fail_msg("%s:%d: %s", path, error.line, error.text);
        return report;
}

/* json, which must not be NULL: json_pack() returns NULL for a string
 * that is not UTF-8, and every later call would take that for "nothing". */
static inline json_t *checked(json_t *json) {
        assert_non_null(json);
        return json;
}

/* Whether the golden files are to be written instead of compared with. */
static inline bool update_golden(void) {
        const char *update = getenv("TETHER_UPDATE_GOLDEN");

        return update && strcmp(update, "1") == 0;
}

/* The golden file at path holds text exactly; made_by says what made the
 * text, for the message. TETHER_UPDATE_GOLDEN=1 writes text to path first. */
static inline void assert_golden(const char *path, const char *text, const char *made_by) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_free_ char *golden = NULL;

        if (update_golden() && tether_write_file_atomic(path, text, 0644, &error) < 0)
                fail_msg("%s", error.text);
        golden = read_test_file(path, "TETHER_UPDATE_GOLDEN=1 writes it", NULL);
        if (strcmp(text, golden) != 0)
                fail_msg("%s differs from %s; if the change is meant, rerun with TETHER_UPDATE_GOLDEN=1 "
                         "and read the diff",
                         path, made_by);
}
