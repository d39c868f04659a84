/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/hostlist.c: folding names into ranges (prefixes,
 * suffixes, widths, order, duplicates, limits, 100,000 names in well under
 * a second) and expanding them back (good lists, malformed and hostile
 * ones, asserting the error code and the message), and the round trip
 * expand(fold(x)) == the unique names of x on generated names. Set
 * TEST_VERBOSE=1 to print every error message checked.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "hostlist.h"
#include "macro.h"
#include "test-util.h"

/* Not a valid pointer: shows that a failing call left *ret alone. */
static char **const untouched = (char **)(uintptr_t)0x1;

/* ---- folding -------------------------------------------------------- */

/* Folds the NULL-terminated names that follow expected and compares. */
static void check_fold(const char *expected, ...) {
        const char *names[64];
        _cleanup_free_ char *folded = NULL;
        size_t n = 0;
        va_list ap;

        va_start(ap, expected);
        while ((names[n] = va_arg(ap, const char *)))
                assert_true(++n < ELEMENTSOF(names));
        va_end(ap);
        folded = tether_hostlist_fold(names, n);
        assert_non_null(folded);
        if (strcmp(folded, expected) != 0)
                print_error("folded to '%s', expected '%s'\n", folded, expected);
        assert_string_equal(folded, expected);
}
#define assert_fold(expected, ...) check_fold(expected, ##__VA_ARGS__, (const char *)NULL)

static void test_fold_examples(void **state) {
        assert_fold("web-[01-03,05]", "web-01", "web-02", "web-03", "web-05");
        assert_fold("db-01", "db-01");
        assert_fold("rack1-node[07-08].dc", "rack1-node07.dc", "rack1-node08.dc");
        assert_fold("n[9-11]", "n9", "n10", "n11");
        assert_fold("n1,n02", "n1", "n02");
        assert_fold("web-[01-02]", "web-01", "web-02"); /* two make a range */
        assert_fold("web-[01,03,05]", "web-01", "web-03", "web-05");
        assert_fold("lb,proxy", "proxy", "lb"); /* no digits: as they are */
        assert_fold("");
        /* Only the last run of digits folds. */
        assert_fold("rack1-node01,rack2-node01", "rack2-node01", "rack1-node01");
        assert_fold("rack1-node[01-02]", "rack1-node02", "rack1-node01");
        /* Digits at the start, in the middle, alone. */
        assert_fold("[1-2]a", "2a", "1a");
        assert_fold("web[1-3]a", "web3a", "web1a", "web2a");
        assert_fold("[1-3]", "3", "1", "2");
        assert_fold("[0-1]", "0", "1");
}

static void test_fold_mixed_prefixes(void **state) {
        assert_fold("db-[01-02],lb,web-[01-02]", "web-01", "db-01", "lb", "web-02", "db-02");
        /* Same prefix, different suffixes: not folded, sorted by suffix. */
        assert_fold("a[1-2].x,a1.y", "a1.y", "a2.x", "a1.x");
        /* Sorted by prefix, then suffix, then number; byte order, so
         * upper case first. */
        assert_fold("Web-1,a-1,web-[1-2],web-1.dc,web-a1", "web-a1", "web-1.dc", "web-2", "a-1", "web-1",
                    "Web-1");
        /* A plain name before the numbered names of its stem. */
        assert_fold("web-,web-[1-2]", "web-2", "web-", "web-1");
        /* Dots and dashes as the text around the number. */
        assert_fold("host-[1-2].eu-west.example.com", "host-2.eu-west.example.com",
                    "host-1.eu-west.example.com");
}

static void test_fold_unsorted_and_duplicates(void **state) {
        assert_fold("web-[01-03,05]", "web-05", "web-01", "web-03", "web-02");
        assert_fold("web-[01-03]", "web-02", "web-01", "web-02", "web-03", "web-01", "web-03");
        assert_fold("db-01", "db-01", "db-01", "db-01");
        assert_fold("lb", "lb", "lb");
        assert_fold("lb,n[1-2]", "n2", "lb", "n1", "lb", "n2");
}

static void test_fold_widths(void **state) {
        /* Padded runs fold only with runs of their width. */
        assert_fold("n01,n001", "n001", "n01");
        assert_fold("n[01-02],n[001-002]", "n001", "n01", "n002", "n02");
        /* An unpadded run of a padded group's width joins it; other
         * unpadded runs fold together whatever their length. */
        assert_fold("n[01,10-11],n9", "n9", "n10", "n11", "n01");
        assert_fold("n001,n[9-10]", "n001", "n9", "n10");
        assert_fold("n[08-10]", "n10", "n08", "n09");
        assert_fold("n[8-10]", "n10", "n8", "n9");
        assert_fold("n[98-100]", "n100", "n99", "n98");
        assert_fold("n[1,100]", "n1", "n100");
        /* Zero: "0" is unpadded, "00" padded to 2. */
        assert_fold("n[0-1],n00", "n00", "n1", "n0");
        /* Same number, several widths: by number, unpadded first. */
        assert_fold("n1,n01,n001", "n001", "n01", "n1");
        /* Every width of two numbers: the folded list is longer than the
         * names joined, and still fits. */
        assert_fold("[1-2],[01-02],[001-002],[0001-0002]", "1", "2", "01", "02", "001", "002", "0001",
                    "0002");
        /* 18 digits fold; 19 are not a number. */
        assert_fold("n[999999999999999998-999999999999999999]", "n999999999999999999",
                    "n999999999999999998");
        assert_fold("n[000000000000000000-000000000000000001]", "n000000000000000001",
                    "n000000000000000000");
        assert_fold("n1000000000000000000,n1000000000000000001", "n1000000000000000001",
                    "n1000000000000000000");
        /* A name whose run is too long stays plain and sorts by itself. */
        assert_fold("a1,a1000000000000000000", "a1000000000000000000", "a1");
}

static void test_fold_limits(void **state) {
        _cleanup_free_ char *longest = repeat('a', TETHER_HOSTLIST_NAME_MAX);
        _cleanup_free_ char *too_long = repeat('a', TETHER_HOSTLIST_NAME_MAX + 1);
        _cleanup_free_ char *folded = NULL;
        const char *names[3];

        names[0] = longest;
        folded = tether_hostlist_fold(names, 1);
        assert_non_null(folded);
        assert_string_equal(folded, longest);
        free(TAKE_PTR(folded));

        /* A 253-character name with digits folds. */
        longest[TETHER_HOSTLIST_NAME_MAX - 1] = '1';
        too_long[TETHER_HOSTLIST_NAME_MAX] = '\0';
        too_long[TETHER_HOSTLIST_NAME_MAX - 1] = '2';
        names[1] = too_long;
        folded = tether_hostlist_fold(names, 2);
        assert_non_null(folded);
        assert_int_equal(strlen(folded), TETHER_HOSTLIST_NAME_MAX - 1 + strlen("[1-2]"));
        assert_string_equal(folded + TETHER_HOSTLIST_NAME_MAX - 1, "[1-2]");
        free(TAKE_PTR(folded));
        too_long[TETHER_HOSTLIST_NAME_MAX] = 'a';

        names[0] = "web-01";
        names[1] = too_long;
        errno = 0;
        assert_null(tether_hostlist_fold(names, 2));
        assert_int_equal(errno, E2BIG);

        names[1] = "";
        errno = 0;
        assert_null(tether_hostlist_fold(names, 2));
        assert_int_equal(errno, EINVAL);

        names[1] = NULL;
        errno = 0;
        assert_null(tether_hostlist_fold(names, 2));
        assert_int_equal(errno, EINVAL);

        /* The count is checked before any name is read. */
        errno = 0;
        assert_null(tether_hostlist_fold(names, TETHER_HOSTLIST_MAX + 1));
        assert_int_equal(errno, E2BIG);
        errno = 0;
        assert_null(tether_hostlist_fold(names, SIZE_MAX));
        assert_int_equal(errno, E2BIG);

        /* No names at all, names NULL. */
        folded = tether_hostlist_fold(NULL, 0);
        assert_non_null(folded);
        assert_string_equal(folded, "");
}

/* Bytes for each generated name in one allocation. */
#define SLOT 32

static double seconds_since(const struct timespec *start) {
        struct timespec now;

        assert_int_equal(clock_gettime(CLOCK_MONOTONIC, &now), 0);
        return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* A deterministic permutation of 0..n-1. */
static size_t *shuffled(size_t n, uint64_t seed) {
        size_t *order = malloc(n * sizeof(*order));

        assert_non_null(order);
        for (size_t i = 0; i < n; i++)
                order[i] = i;
        for (size_t i = n; i > 1; i--) {
                size_t j, t;

                seed = seed * 6364136223846793005u + 1442695040888963407u;
                j = (size_t)((seed >> 33) % i);
                t = order[i - 1];
                order[i - 1] = order[j];
                order[j] = t;
        }
        return order;
}

static void fold_many(size_t n, double *ret_seconds) {
        _cleanup_free_ size_t *order = shuffled(n, 42);
        _cleanup_free_ const char **names = malloc(n * sizeof(*names));
        _cleanup_free_ char *storage = malloc(n * SLOT);
        _cleanup_free_ char *folded = NULL, *expected = NULL;
        struct timespec start;

        assert_non_null(names);
        assert_non_null(storage);
        /* Even numbers padded in one stem, odd ones unpadded in another:
         * 100,000 names, 100,000 ranges of one number each. */
        for (size_t i = 0; i < n; i++) {
                size_t k = order[i];

                if (k % 2 == 0)
                        snprintf(storage + SLOT * i, SLOT, "node%07zu.dc", k);
                else
                        snprintf(storage + SLOT * i, SLOT, "x%zu", k);
                names[i] = storage + SLOT * i;
        }
        assert_int_equal(clock_gettime(CLOCK_MONOTONIC, &start), 0);
        folded = tether_hostlist_fold(names, n);
        *ret_seconds = seconds_since(&start);
        assert_non_null(folded);

        /* node[0000000,0000002,...].dc, x[1,3,...] */
        assert_true(strncmp(folded, "node[0000000,0000002,0000004,", 29) == 0);
        expected = format("%07zu].dc,x[1,3,5,", (n - 1) / 2 * 2);
        assert_non_null(strstr(folded, expected));
        free(TAKE_PTR(expected));
        expected = format(",%zu]", (n - 1) % 2 ? n - 1 : n - 2);
        assert_true(strlen(folded) > strlen(expected));
        assert_string_equal(folded + strlen(folded) - strlen(expected), expected);
}

/* Large folds give the right ranges; how fast they are is a benchmark's
 * question (bench/), not a test's. */
static void test_fold_large(void **state) {
        _cleanup_free_ size_t *order = shuffled(100000, 7);
        _cleanup_free_ const char **names = malloc(100000 * sizeof(*names));
        _cleanup_free_ char *storage = malloc(100000 * SLOT);
        _cleanup_free_ char *folded = NULL;
        double seconds_sparse;

        assert_non_null(names);
        assert_non_null(storage);
        for (size_t i = 0; i < 100000; i++) {
                snprintf(storage + SLOT * i, SLOT, "web-%06zu", order[i]);
                names[i] = storage + SLOT * i;
        }
        folded = tether_hostlist_fold(names, 100000);
        assert_non_null(folded);
        assert_string_equal(folded, "web-[000000-099999]");

        fold_many(100000, &seconds_sparse);
        if (getenv("TEST_VERBOSE"))
                print_message("    100,000 sparse names folded in %.3f s\n", seconds_sparse);
}

static void test_fold_limit_count(void **state) {
        const size_t n = TETHER_HOSTLIST_MAX;
        _cleanup_free_ const char **names = malloc(n * sizeof(*names));
        _cleanup_free_ char *storage = malloc(n * SLOT);
        _cleanup_free_ char *folded = NULL;

        assert_non_null(names);
        assert_non_null(storage);
        for (size_t i = 0; i < n; i++) {
                snprintf(storage + SLOT * i, SLOT, "h%07zu", n - 1 - i);
                names[i] = storage + SLOT * i;
        }
        folded = tether_hostlist_fold(names, n);
        assert_non_null(folded);
        assert_string_equal(folded, "h[0000000-0999999]");
}

/* ---- expanding ------------------------------------------------------ */

static void check_expand(const char *text, ...) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_strv_free_ char **names = NULL;
        const char *expected;
        size_t n = SIZE_MAX, i = 0;
        va_list ap;
        int r;

        r = tether_hostlist_expand(text, &names, &n, &error);
        if (r < 0)
                print_error("'%s': unexpected error %d: %s\n", text, r, error.text);
        assert_int_equal(r, 0);
        assert_false(tether_error_is_set(&error));
        assert_non_null(names);
        va_start(ap, text);
        while ((expected = va_arg(ap, const char *))) {
                assert_true(i < n);
                assert_string_equal(names[i], expected);
                i++;
        }
        va_end(ap);
        assert_int_equal(n, i);
        assert_null(names[n]);
}
#define assert_expand(text, ...) check_expand(text, ##__VA_ARGS__, (const char *)NULL)

static void expand_fails(bool glob, const char *text, int code, const char *prefix, ...) {
        struct tether_error error = TETHER_ERROR_INIT;
        char **names = untouched;
        size_t n = 12345;
        va_list ap;
        int r;

        if (glob)
                r = tether_hostlist_expand_glob(text, NULL, &names, &n, &error);
        else
                r = tether_hostlist_expand(text, &names, &n, &error);
        va_start(ap, prefix);
        check_error(&error, r, code, prefix, ap);
        va_end(ap);
        assert_ptr_equal(names, untouched);
        assert_int_equal(n, 12345);
}
#define assert_expand_fails(text, code, ...) expand_fails(false, text, code, __VA_ARGS__, (const char *)NULL)
#define assert_expand_glob_fails(text, code, ...) \
        expand_fails(true, text, code, __VA_ARGS__, (const char *)NULL)

static void test_expand_good(void **state) {
        assert_expand("web-[01-03,05]", "web-01", "web-02", "web-03", "web-05");
        assert_expand("db-01", "db-01");
        assert_expand("");
        assert_expand("db-01, lb, n[01,10-11], n9, web-[01-03,05]", "db-01", "lb", "n01", "n10", "n11", "n9",
                      "web-01", "web-02", "web-03", "web-05");
        /* Spaces around commas, none, several. */
        assert_expand("a,b ,  c  ", "a", "b", "c");
        assert_expand(" a", "a");
        /* Order as written, duplicates kept. */
        assert_expand("b,a,b", "b", "a", "b");
        assert_expand("n[3,1-2]", "n3", "n1", "n2");
        /* Several brackets: the leftmost varies slowest. */
        assert_expand("rack[1-2]-node[1-2]", "rack1-node1", "rack1-node2", "rack2-node1", "rack2-node2");
        assert_expand("[1-2][0-1]", "10", "11", "20", "21");
        /* Padding comes from a bound with a leading zero. */
        assert_expand("n[08-10]", "n08", "n09", "n10");
        assert_expand("n[8-10]", "n8", "n9", "n10");
        assert_expand("n[007]", "n007");
        assert_expand("n[00-01]", "n00", "n01");
        assert_expand("n[0-1]", "n0", "n1");
        assert_expand("n[098-100]", "n098", "n099", "n100");
        assert_expand("n[5-5]", "n5");
        assert_expand("n[9-11].dc", "n9.dc", "n10.dc", "n11.dc");
        assert_expand("[1]", "1");
        assert_expand("n[999999999999999998-999999999999999999]", "n999999999999999998",
                      "n999999999999999999");
        /* A 19-digit name without brackets is just a name. */
        assert_expand("n1000000000000000000", "n1000000000000000000");
}

static void test_expand_limits(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_free_ char *name = repeat('a', TETHER_HOSTLIST_NAME_MAX);
        _cleanup_free_ char *text = NULL;
        char **names = NULL;
        size_t n = 0;

        /* 253 characters, from a bracket too. */
        assert_expand(name, name);
        text = format("%.*s[1-9]", (int)TETHER_HOSTLIST_NAME_MAX - 1, name);
        assert_int_equal(tether_hostlist_expand(text, &names, &n, &error), 0);
        assert_int_equal(n, 9);
        assert_int_equal(strlen(names[8]), TETHER_HOSTLIST_NAME_MAX);
        strv_free(names);
        free(TAKE_PTR(text));

        text = format("%sa", name);
        assert_expand_fails(text, -E2BIG, "host list \"aaaa", "...: names longer than 253 characters");
        free(TAKE_PTR(text));
        text = format("%.*s[1-10]", (int)TETHER_HOSTLIST_NAME_MAX - 1, name);
        assert_expand_fails(text, -E2BIG, "host list \"aaaa", "names longer than 253 characters");
        free(TAKE_PTR(text));
        text = format("%.*s[1][2]", (int)TETHER_HOSTLIST_NAME_MAX - 1, name);
        assert_expand_fails(text, -E2BIG, "host list \"aaaa", "names longer than 253 characters");
        free(TAKE_PTR(text));

        /* Numbers of 19 digits. */
        assert_expand_fails(
                "n[1000000000000000000]", -E2BIG, "host list \"n[1000000000000000000]\": ",
                "the number \"1000000000000000000\" in \"[1000000000000000000]\" has more than 18 "
                "digits");
        assert_expand_fails("n[1-0000000000000000001]", -E2BIG, "host list ", "has more than 18 digits");

        /* Exactly TETHER_HOSTLIST_MAX names, in one bracket or across
         * two items; one more fails, however it comes. */
        assert_int_equal(tether_hostlist_expand("h[0-999999]", &names, &n, &error), 0);
        assert_int_equal(n, TETHER_HOSTLIST_MAX);
        assert_string_equal(names[999999], "h999999");
        assert_null(names[n]);
        strv_free(names);
        assert_int_equal(tether_hostlist_expand("a[1-500000], b[1-1000][1-500]", &names, &n, &error), 0);
        assert_int_equal(n, TETHER_HOSTLIST_MAX);
        assert_string_equal(names[999999], "b1000500");
        strv_free(names);
        assert_false(tether_error_is_set(&error));

        assert_expand_fails("h[0-1000000]", -E2BIG, "host list \"h[0-1000000]\": ",
                            "\"[0-1000000]\" expands to more than 1000000 names");
        assert_expand_fails("h[0-999999999999999999]", -E2BIG, "host list ",
                            "expands to more than 1000000 names");
        assert_expand_fails("h[0-999999,0]", -E2BIG, "host list ", "expands to more than 1000000 names");
        assert_expand_fails("h[1-1001][1-1000]", -E2BIG,
                            "host list \"h[1-1001][1-1000]\": more than 1000000 names");
        assert_expand_fails("h[1-1000000][1-1000000][1-1000000]", -E2BIG, "host list ",
                            "more than 1000000 names");
        assert_expand_fails("a[1-500000], b[1-500000], c", -E2BIG,
                            "host list \"c\": more than 1000000 names");
}

static void test_expand_malformed(void **state) {
        assert_expand_fails("web-[01-03", -EINVAL,
                            "host list \"web-[01-03\": '[' at position 5 is not closed by a ']'");
        assert_expand_fails("web-01]", -EINVAL,
                            "host list \"web-01]\": ']' at position 7 without a '[' before it");
        assert_expand_fails("web-[[01]]", -EINVAL, "host list \"web-[[01]]\": nested '[' at position 6");
        assert_expand_fails("web-[0[1]-2]", -EINVAL, "host list ", "nested '[' at position 7");
        assert_expand_fails("web-[]", -EINVAL, "host list \"web-[]\": empty brackets \"[]\"");
        assert_expand_fails("web-[1,,2]", -EINVAL, "host list \"web-[1,,2]\": empty range in \"[1,,2]\"");
        assert_expand_fails("web-[1,]", -EINVAL, "host list ", "empty range in \"[1,]\"");
        assert_expand_fails("web-[,1]", -EINVAL, "host list ", "empty range in \"[,1]\"");
        assert_expand_fails("web-[1-]", -EINVAL,
                            "host list \"web-[1-]\": a range in \"[1-]\" lacks a number");
        assert_expand_fails("web-[-1]", -EINVAL, "host list ", "a range in \"[-1]\" lacks a number");
        assert_expand_fails("web-[-]", -EINVAL, "host list ", "lacks a number");
        assert_expand_fails(
                "web-[1-2-3]", -EINVAL,
                "host list \"web-[1-2-3]\": malformed range \"1-2-3\" in \"[1-2-3]\": a range is "
                "START-END");
        assert_expand_fails(
                "web-[5-1]", -EINVAL,
                "host list \"web-[5-1]\": reversed range \"5-1\" in \"[5-1]\": the start is greater "
                "than the end");
        assert_expand_fails("web-[1-3,10-09]", -EINVAL, "host list ", "reversed range \"10-09\"");
        assert_expand_fails(
                "web-[01-5]", -EINVAL,
                "host list \"web-[01-5]\": range \"01-5\" in \"[01-5]\" mixes widths: padded bounds "
                "have the same number of digits, as in 08-10");
        assert_expand_fails("web-[1-05]", -EINVAL, "host list ",
                            "range \"1-05\" in \"[1-05]\" mixes widths");
        assert_expand_fails("web-[8-010]", -EINVAL, "host list ", "mixes widths");
        assert_expand_fails(
                "web-[a-c]", -EINVAL,
                "host list \"web-[a-c]\": \"[a-c]\" is not a list of numbers and ranges: write [1-5] "
                "or [01,03-05]");
        assert_expand_fails("web-[1 -2]", -EINVAL,
                            "host list \"web-[1 -2]\": space inside a name at position 7");
        assert_expand_fails("web-[*]", -EINVAL, "host list ", "\"[*]\" is not a list of numbers");
        /* Empty items. */
        assert_expand_fails(",", -EINVAL,
                            "host list \",\": name 1 is empty: a ',' with nothing before or after it");
        assert_expand_fails("a,,b", -EINVAL, "host list \"a,,b\": name 2 is empty");
        assert_expand_fails("a,", -EINVAL, "host list \"a,\": name 2 is empty");
        assert_expand_fails(",a", -EINVAL, "host list \",a\": name 1 is empty");
        assert_expand_fails(" ", -EINVAL, "host list \" \": name 1 is empty");
        assert_expand_fails("a, ,b", -EINVAL, "host list \"a, ,b\": name 2 is empty");
        /* Whitespace and control characters inside a name. */
        assert_expand_fails("web 01", -EINVAL,
                            "host list \"web 01\": space inside a name at position 4: separate "
                            "names with ','");
        assert_expand_fails("web\t01", -EINVAL,
                            "host list \"web\\x0901\": control character \\x09 at position 4");
        assert_expand_fails("a,web\n", -EINVAL,
                            "host list \"web\\x0a\": control character \\x0a at position 4");
        assert_expand_fails("\x1b[31mred", -EINVAL,
                            "host list \"\\x1b[31mred\": control character \\x1b at position 1");
        assert_expand_fails(NULL, -EINVAL, "host list: no text given");
        assert_expand_glob_fails(NULL, -EINVAL, "host list: no text given");
        /* The first error in the list is the one reported. */
        assert_expand_fails("ok-[1-2], bad-[2-1], worse-[", -EINVAL,
                            "host list \"bad-[2-1]\": reversed range");
}

static void test_expand_hostile_messages(void **state) {
        _cleanup_free_ char *long_item = NULL, *expected = NULL;
        struct tether_error error = TETHER_ERROR_INIT;
        char **names = untouched;
        size_t n = 7;

        /* Quotes and backslashes are escaped; a long item is cut. */
        assert_expand_fails("a\"b\\[", -EINVAL,
                            "host list \"a\\\"b\\\\[\": '[' at position 5 is not closed");
        long_item = format("%0200d[", 0);
        expected = format("host list \"%064d\"...: '[' at position 201 is not closed by a ']'", 0);
        assert_expand_fails(long_item, -EINVAL, expected);
        /* A message never outgrows the error text. */
        free(TAKE_PTR(long_item));
        long_item = format("n[%0300d-1]", 0);
        assert_expand_fails(long_item, -E2BIG, "host list \"n[000", "...: the number \"000",
                            "\"... in \"[000", "has more than 18 digits");

        /* The first error wins; error may be NULL. */
        tether_error_set(&error, -EIO, "earlier");
        assert_int_equal(tether_hostlist_expand("x[", &names, &n, &error), -EINVAL);
        assert_int_equal(error.code, -EIO);
        assert_string_equal(error.text, "earlier");
        assert_int_equal(tether_hostlist_expand("x]", &names, &n, NULL), -EINVAL);
        assert_ptr_equal(names, untouched);
        assert_int_equal(n, 7);
}

static void test_expand_glob(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        char **names = NULL;
        size_t n = 0;

        assert_int_equal(tether_hostlist_expand_glob("web-[01-02]*,db[!0-9],x[a-c][1-2],[]]", NULL, &names,
                                                     &n, &error),
                         0);
        assert_int_equal(n, 6);
        assert_string_equal(names[0], "web-01*");
        assert_string_equal(names[1], "web-02*");
        assert_string_equal(names[2], "db[!0-9]");
        assert_string_equal(names[3], "x[a-c]1");
        assert_string_equal(names[4], "x[a-c]2");
        assert_string_equal(names[5], "[]]");
        assert_null(names[6]);
        strv_free(names);

        /* A bracket of digits, ',' and '-' is a range, and a checked one. */
        assert_int_equal(tether_hostlist_expand_glob("n[13],n[1-3]?", NULL, &names, &n, &error), 0);
        assert_int_equal(n, 4);
        assert_string_equal(names[0], "n13");
        assert_string_equal(names[3], "n3?");
        strv_free(names);
        assert_false(tether_error_is_set(&error));

        assert_expand_glob_fails("web-[5-1]", -EINVAL, "host list \"web-[5-1]\": reversed range \"5-1\"");
        assert_expand_glob_fails("web-[a", -EINVAL, "host list \"web-[a\": '[' at position 5 is not closed");
        assert_expand_glob_fails("web-[]", -EINVAL, "host list \"web-[]\": '[' at position 5 is not closed");
        assert_expand_glob_fails("web-]", -EINVAL, "host list \"web-]\": ']' at position 5 without a '['");

        /* what replaces "host list" and the item. */
        assert_int_equal(tether_hostlist_expand_glob("web-[1,,2]", "host pattern term \"!web-[1,,2]\"",
                                                     &names, &n, &error),
                         -EINVAL);
        assert_string_equal(error.text,
                            "host pattern term \"!web-[1,,2]\": empty range in \"[1,,2]\": a ',' with "
                            "nothing before or after it");
}

/* ---- the round trip ------------------------------------------------- */

struct parsed_name {
        const char *name;
        size_t prefix, digits; /* lengths; digits 0: no number */
        uint64_t value;
};

static void parse_name(const char *name, struct parsed_name *ret) {
        size_t length = strlen(name), end = length, start;

        *ret = (struct parsed_name){.name = name, .prefix = length};
        while (end > 0 && (name[end - 1] < '0' || name[end - 1] > '9'))
                end--;
        start = end;
        while (start > 0 && name[start - 1] >= '0' && name[start - 1] <= '9')
                start--;
        if (end == 0 || end - start > 18)
                return;
        ret->prefix = start;
        ret->digits = end - start;
        for (size_t i = start; i < end; i++)
                ret->value = ret->value * 10 + (uint64_t)(name[i] - '0');
}

static int compare_parts(const char *a, size_t a_length, const char *b, size_t b_length) {
        int r = memcmp(a, b, a_length < b_length ? a_length : b_length);

        return r != 0 ? r : (a_length > b_length) - (a_length < b_length);
}

/* The documented order: prefix, suffix, no number first, number, width. */
static int compare_documented(const void *x, const void *y) {
        const struct parsed_name *a = x, *b = y;
        const char *a_suffix = a->name + a->prefix + a->digits, *b_suffix = b->name + b->prefix + b->digits;
        int r = compare_parts(a->name, a->prefix, b->name, b->prefix);

        if (r != 0)
                return r;
        r = strcmp(a_suffix, b_suffix);
        if (r != 0)
                return r;
        if ((a->digits == 0) != (b->digits == 0))
                return a->digits == 0 ? -1 : 1;
        if (a->value != b->value)
                return a->value < b->value ? -1 : 1;
        return (a->digits > b->digits) - (a->digits < b->digits);
}

static int compare_strings(const void *a, const void *b) {
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static uint64_t next_random(uint64_t *seed) {
        *seed = *seed * 6364136223846793005u + 1442695040888963407u;
        return *seed >> 33;
}

/* n random-ish names from a few stems. With mixed_widths, numbers of one
 * stem come padded to several widths and unpadded, which folds into
 * several groups per stem; without, each stem has one width. */
static char **generate_names(size_t n, uint64_t seed, bool mixed_widths) {
        static const char *const prefixes[] = {"web-", "db", "rack1-node", "a.b-", "", "x9y", "n"};
        static const char *const suffixes[] = {"", ".dc", "-eu.example.com", "z"};
        static const char *const plain[] = {"lb", "proxy", "web-", "n", "gateway.example.net"};
        char **names = calloc(n + 1, sizeof(char *));

        assert_non_null(names);
        for (size_t i = 0; i < n; i++) {
                size_t p = next_random(&seed) % ELEMENTSOF(prefixes),
                       s = next_random(&seed) % ELEMENTSOF(suffixes);
                uint64_t kind = next_random(&seed) % 20;
                int width;

                if (kind == 0) {
                        names[i] = strdup(plain[next_random(&seed) % ELEMENTSOF(plain)]);
                        assert_non_null(names[i]);
                        continue;
                }
                if (mixed_widths)
                        width = (int)(next_random(&seed) % 5); /* 0: unpadded */
                else
                        width = (int)((p + s) % 4); /* one width per stem */
                if (kind == 1)
                        /* A long number, up to 18 digits, or a 19-digit
                         * one that stays plain. */
                        names[i] =
                                format("%s%018" PRIu64 "%s", prefixes[p],
                                       next_random(&seed) % 50 + UINT64_C(999999999999999950), suffixes[s]);
                else if (kind == 2)
                        names[i] = format("%s1%018" PRIu64 "%s", prefixes[p], next_random(&seed) % 3,
                                          suffixes[s]);
                else
                        names[i] = format("%s%0*" PRIu64 "%s", prefixes[p], width,
                                          next_random(&seed) % (kind < 10 ? 30 : 3000), suffixes[s]);
        }
        return names;
}

/* The names sorted with duplicates dropped, and their count. */
static size_t unique_sorted(char **names, size_t n) {
        size_t m = 0;

        qsort(names, n, sizeof(char *), compare_strings);
        for (size_t i = 0; i < n; i++)
                if (m == 0 || strcmp(names[m - 1], names[i]) != 0)
                        names[m++] = names[i];
        return m;
}

static void check_round_trip(size_t n, uint64_t seed, bool mixed_widths) {
        _cleanup_strv_free_ char **names = generate_names(n, seed, mixed_widths);
        _cleanup_strv_free_ char **expanded = NULL, **expanded_sorted = NULL;
        _cleanup_free_ char *folded = NULL, *folded_again = NULL;
        _cleanup_free_ char **unique = malloc(n * sizeof(char *));
        struct tether_error error = TETHER_ERROR_INIT;
        size_t n_expanded = 0, n_unique;
        int r;

        assert_non_null(unique);
        memcpy(unique, names, n * sizeof(char *));
        folded = tether_hostlist_fold((const char *const *)names, n);
        assert_non_null(folded);
        r = tether_hostlist_expand(folded, &expanded, &n_expanded, &error);
        if (r < 0)
                print_error("%s\n", error.text);
        assert_int_equal(r, 0);

        /* The same names, each once. */
        n_unique = unique_sorted(unique, n);
        assert_int_equal(n_expanded, n_unique);
        expanded_sorted = calloc(n_expanded + 1, sizeof(char *));
        assert_non_null(expanded_sorted);
        for (size_t i = 0; i < n_expanded; i++)
                assert_non_null(expanded_sorted[i] = strdup(expanded[i]));
        assert_int_equal(unique_sorted(expanded_sorted, n_expanded), n_expanded);
        for (size_t i = 0; i < n_unique; i++)
                assert_string_equal(expanded_sorted[i], unique[i]);

        /* With one width per stem, the order is the documented one: by
         * prefix, suffix and number. (With several, each group comes out
         * whole, in the order of its smallest number.) */
        if (!mixed_widths) {
                _cleanup_free_ struct parsed_name *order = malloc(n_unique * sizeof(*order));

                assert_non_null(order);
                for (size_t i = 0; i < n_unique; i++)
                        parse_name(unique[i], &order[i]);
                qsort(order, n_unique, sizeof(*order), compare_documented);
                for (size_t i = 0; i < n_unique; i++)
                        assert_string_equal(expanded[i], order[i].name);
        }

        /* Folding is canonical: the expansion folds to the same text. */
        folded_again = tether_hostlist_fold((const char *const *)expanded, n_expanded);
        assert_non_null(folded_again);
        assert_string_equal(folded_again, folded);
}

static void test_round_trip(void **state) {
        for (uint64_t seed = 1; seed <= 40; seed++) {
                check_round_trip(1 + (size_t)(seed * 37 % 300), seed, seed % 2 == 0);
                check_round_trip(5, seed, seed % 2 == 1);
        }
        check_round_trip(20000, 99, false);
        check_round_trip(20000, 100, true);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_fold_examples),
                cmocka_unit_test(test_fold_mixed_prefixes),
                cmocka_unit_test(test_fold_unsorted_and_duplicates),
                cmocka_unit_test(test_fold_widths),
                cmocka_unit_test(test_fold_limits),
                cmocka_unit_test(test_fold_large),
                cmocka_unit_test(test_fold_limit_count),
                cmocka_unit_test(test_expand_good),
                cmocka_unit_test(test_expand_limits),
                cmocka_unit_test(test_expand_malformed),
                cmocka_unit_test(test_expand_hostile_messages),
                cmocka_unit_test(test_expand_glob),
                cmocka_unit_test(test_round_trip),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
