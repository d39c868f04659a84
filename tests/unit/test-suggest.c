/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/suggest.c: the distance on insertions, deletions,
 * replacements and swaps, its limit of TETHER_SUGGEST_WORD_MAX bytes on
 * either side, and the suggestion: the closest word at most 2 edits away,
 * the first of equals, none for a word too far or too long.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "macro.h"
#include "suggest.h"
#include "test-util.h"

static void test_distance(void **state) {
        static const struct {
                const char *a, *b;
                size_t distance;
        } cases[] = {
                {"", "", 0},
                {"port", "port", 0},
                {"", "ab", 2},
                {"abc", "", 3},
                {"adress", "address", 1},    /* an insertion */
                {"hosts", "host", 1},        /* a deletion */
                {"pot", "port", 1},          /* an insertion in the middle */
                {"usar", "user", 1},         /* a replacement */
                {"prot", "port", 1},         /* a swap */
                {"hsots", "hosts", 1},       /* a swap at the start */
                {"defualts", "defaults", 1}, /* a swap in the middle */
                {"usr", "sudo", 3},
                {"firewal", "tags", 7},
                /* The optimal string alignment distance edits no substring
                 * twice: "ca" is not a swap and an insertion from "abc". */
                {"ca", "abc", 3},
                {"Port", "port", 1}, /* bytes: case counts */
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                size_t distance = tether_suggest_distance(cases[i].a, cases[i].b);

                if (distance != cases[i].distance)
                        print_error("\"%s\" -> \"%s\": %zu, expected %zu\n", cases[i].a, cases[i].b,
                                    distance, cases[i].distance);
                assert_int_equal(distance, cases[i].distance);
                /* The same both ways. */
                assert_int_equal(tether_suggest_distance(cases[i].b, cases[i].a), cases[i].distance);
        }
}

static void test_distance_limit(void **state) {
        _cleanup_free_ char *longest = repeat('a', TETHER_SUGGEST_WORD_MAX);
        _cleanup_free_ char *too_long = repeat('a', TETHER_SUGGEST_WORD_MAX + 1);

        assert_int_equal(tether_suggest_distance(longest, longest), 0);
        assert_int_equal(tether_suggest_distance(longest, ""), TETHER_SUGGEST_WORD_MAX);
        assert_int_equal(tether_suggest_distance(too_long, "a"), SIZE_MAX);
        assert_int_equal(tether_suggest_distance("a", too_long), SIZE_MAX);
        assert_int_equal(tether_suggest_distance(too_long, too_long), SIZE_MAX);
}

static void test_closest(void **state) {
        static const char *const keys[] = {"name",          "address",     "port",     "user", "sudo",
                                           "identity_file", "known_hosts", "firewall", "tags"};
        static const struct {
                const char *word, *expected;
        } cases[] = {
                {"adress", "address"},
                {"prot", "port"},
                {"usr", "user"},
                {"identityfile", "identity_file"},
                {"knownhosts", "known_hosts"},
                {"firewal", "firewall"},
                {"tag", "tags"},
                {"port", "port"},   /* a word in the list is its own */
                {"nme", "name"},    /* 1 edit */
                {"nm", "name"},     /* 2 edits: still */
                {"n", NULL},        /* 3: too far */
                {"", NULL},         /* 4 from the shortest */
                {"hostname", NULL}, /* nothing close */
                {"PORT", NULL},     /* 4 replacements */
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                const char *got = tether_suggest_closest(cases[i].word, keys, ELEMENTSOF(keys));

                if (cases[i].expected)
                        assert_string_equal(got, cases[i].expected);
                else
                        assert_null(got);
        }
}

static void test_closest_ties_and_limits(void **state) {
        static const char *const words[] = {"sudo", "user", "usar"};
        _cleanup_free_ char *long_word = repeat('u', TETHER_SUGGEST_WORD_MAX + 1);
        _cleanup_free_ char *long_key = repeat('u', TETHER_SUGGEST_WORD_MAX + 1);
        const char *const with_long[] = {long_key, "user"};

        /* "usor" is one edit from both "user" and "usar": the first wins. */
        assert_ptr_equal(tether_suggest_closest("usor", words, ELEMENTSOF(words)), words[1]);
        /* A closer word beats an earlier one. */
        assert_ptr_equal(tether_suggest_closest("usa", words, ELEMENTSOF(words)), words[2]);
        /* Too long to suggest for, or to be suggested. */
        assert_null(tether_suggest_closest(long_word, words, ELEMENTSOF(words)));
        assert_ptr_equal(tether_suggest_closest(long_word, with_long, ELEMENTSOF(with_long)), NULL);
        assert_ptr_equal(tether_suggest_closest("usr", with_long, ELEMENTSOF(with_long)), with_long[1]);
        /* No words. */
        assert_null(tether_suggest_closest("user", words, 0));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_distance),
                cmocka_unit_test(test_distance_limit),
                cmocka_unit_test(test_closest),
                cmocka_unit_test(test_closest_ties_and_limits),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
