/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/range-glob.c: without ranges it answers as
 * fnmatch() does (every glob of a table against every name of another);
 * ranges are numbers, padded or not; and globs that make a backtracking
 * matcher exponential ("*a*a*a*...b", a run of ranges) get their answer
 * (the matcher before the memo did not finish them).
 */
#include <fnmatch.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "macro.h"
#include "range-glob.h"
#include "test-util.h"

static bool glob_matches(const char *glob, const char *name) {
        struct tether_range_glob *compiled = NULL;
        bool matched;

        assert_int_equal(tether_range_glob_new(glob, strlen(glob), &compiled), 0);
        assert_non_null(compiled);
        matched = tether_range_glob_match(compiled, name);
        assert_null(tether_range_glob_free(compiled));
        return matched;
}

static void check_match(const char *glob, const char *name, bool expected) {
        bool got = glob_matches(glob, name);

        if (got != expected)
                print_error("'%s' against '%s': got %d, expected %d\n", glob, name, got, expected);
        assert_int_equal(got, expected);
}

/* Globs without a range bracket: the same answer as fnmatch(), classes
 * and unclosed brackets included. */
static void test_as_fnmatch(void **state) {
        static const char *const globs[] = {
                "*",     "?",     "a*b",   "[a-c]x", "[!a-c]", "[^a-c]",  "[]a]",     "[!]a]",   "[a-]",
                "[-a]",  "[z-a]", "[.-_]", "[*]",    "[?]",    "a[",      "[",        "*[",      "[!",
                "a*?*b", "**",    "[[]",   "x]",     "[]",     "[!]",     "w*-[!0]?", "*[a-c]*", "[a-c-e]",
                "?*?",   "[!-]",  "[--.]", "*a",     "a*",     "[a]b[c]",
        };
        static const char *const names[] = {
                "",  "a",  "b",   "ab", "axb", "]",   "-", "[",  "*",  "?",      "x",   "z",
                "_", "a[", "[]",  "[!", "aab", "ba",  "d", "e",  "A",  "web-01", "w-1", "w-0x",
                ".", "x]", "abc", "ca", "0",   "[!]", "/", "a]", "aa", "abcab",
        };

        for (size_t g = 0; g < ELEMENTSOF(globs); g++)
                for (size_t n = 0; n < ELEMENTSOF(names); n++)
                        check_match(globs[g], names[n], fnmatch(globs[g], names[n], 0) == 0);
}

static void test_ranges(void **state) {
        static const struct {
                const char *glob, *name;
                bool matched;
        } rows[] = {
                {"n[1-3]", "n1", true},
                {"n[1-3]", "n3", true},
                {"n[1-3]", "n4", false},
                {"n[1-3]", "n01", false},
                {"n[01-03]", "n01", true},
                {"n[01-03]", "n1", false},
                {"n[01-03]", "n003", false},
                {"n[8-10]", "n10", true},
                {"n[8-10]", "n9", true},
                {"n[8-10]", "n11", false},
                {"n[1,5,7-9]", "n5", true},
                {"n[1,5,7-9]", "n6", false},
                {"n[1-3]?", "n2x", true},
                {"db-[0-999999]*", "db-7x", true},
                {"db-[0-999999]*", "db-x", false},
                {"*[0-9]", "web-13", true},
                {"*[0-9]", "web-1x", false},
                {"[1-2][1-2]", "12", true},
                {"[1-2][1-2]", "1", false},
                {"n[0]", "n0", true},
                {"n[0-5]", "n00", false},
                {"n[001-010]x", "n010x", true},
                {"[a-c][1-2]", "b2", true},
                {"[!a-c][1-2]", "b2", false},
                {"n[1-3", "n[1-3", true},
        };

        for (size_t i = 0; i < ELEMENTSOF(rows); i++)
                check_match(rows[i].glob, rows[i].name, rows[i].matched);
}

/* Each '*' against each position, or each range's items one after another,
 * is exponential in their number; remembered failures make it quick. */
static void test_hostile(void **state) {
        _cleanup_free_ char *letters = repeat('a', 300), *digits = repeat('1', 40);
        _cleanup_free_ char *stars = repeat('*', 500);
        _cleanup_free_ char *ranges = NULL, *ranges_and_b = NULL, *name = NULL;

        check_match("*a*a*a*a*a*a*a*a*a*a*a*a*b", letters, false);
        check_match("*a*a*a*a*a*a*a*a*a*a*a*a*a", letters, true);
        check_match("[1-2]*a*a*a*a*a*a*a*a*a*a*?b", letters, false);
        check_match(stars, letters, true);
        name = format("1%s", letters);
        check_match("[1-2]*a*a*a*a*a*a*a*a*a*a*a*a*b", name, false);
        check_match("[1-2]*a*a*a*a*a*a*a*a*a*a*a*a*a", name, true);
        check_match("*[0-9]*[0-9]*[0-9]*[0-9]*[0-9]*[0-9]*[0-9]*[0-9]*x", digits, false);

        /* Thirty ranges that each take one digit or two of "11...1". */
        ranges = repeat('\0', 0);
        for (int i = 0; i < 30; i++) {
                char *longer = format("%s[1-99]", ranges);

                free(ranges);
                ranges = longer;
        }
        ranges_and_b = format("%sb", ranges);
        check_match(ranges_and_b, digits, false);
        check_match(ranges, digits, true);
}

static void test_free_null(void **state) {
        assert_null(tether_range_glob_free(NULL));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_as_fnmatch),
                cmocka_unit_test(test_ranges),
                cmocka_unit_test(test_hostile),
                cmocka_unit_test(test_free_null),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
