/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/diff.c: equal texts, a file created and removed,
 * one changed line with its context, the header lines, texts without a
 * final newline, a real drop-in, and texts over the line limit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "diff.h"
#include "macro.h"

#define PATH "/etc/systemd/system/docker.service.d/50-tether-firewall.conf"
#define LABEL PATH " (tether)"

/* Not a valid pointer: shows that a failing call left *ret alone. */
static char *const untouched = (char *)(uintptr_t)0x1;

static char *diff(const char *old, const char *new) {
        char *text = untouched;
        int r;

        r = tether_diff_unified(PATH, old, LABEL, new, &text);
        if (r < 0)
                fail_msg("unexpected error %d", r);
        assert_ptr_not_equal(text, untouched);
        assert_non_null(text);
        return text;
}

static void assert_has_line(const char *text, const char *line) {
        _cleanup_free_ char *needle = NULL;

        assert_true(asprintf(&needle, "\n%s\n", line) >= 0);
        if (!strstr(text, needle))
                fail_msg("no line '%s' in:\n%s", line, text);
}

/* "n\n" for n in 0..count-1: count distinct lines. */
static char *numbered_lines(size_t count) {
        size_t size = count * 8 + 1, used = 0;
        char *text = malloc(size);

        assert_non_null(text);
        text[0] = '\0';
        for (size_t i = 0; i < count; i++)
                used += (size_t)snprintf(text + used, size - used, "%zu\n", i);
        return text;
}

static void test_equal(void **state) {
        static const char *const texts[] = {"", "\n", "a", "a\n", "a\nb\nc\n", "[Unit]\nAfter=x.service\n"};
        _cleanup_free_ char *long_text = numbered_lines(3000);
        _cleanup_free_ char *nothing = diff(NULL, NULL);

        assert_string_equal(nothing, "");
        for (size_t i = 0; i < ELEMENTSOF(texts); i++) {
                _cleanup_free_ char *copy = strdup(texts[i]);
                _cleanup_free_ char *same = diff(texts[i], copy);

                assert_string_equal(same, "");
        }
        {
                _cleanup_free_ char *same = diff(long_text, long_text);

                assert_string_equal(same, "");
        }
}

static void test_created(void **state) {
        _cleanup_free_ char *text = diff(NULL, "a\nb\n");
        _cleanup_free_ char *one = diff(NULL, "only\n");

        assert_string_equal(text, "--- /dev/null\n"
                                  "+++ " LABEL "\n"
                                  "@@ -0,0 +1,2 @@\n"
                                  "+a\n"
                                  "+b\n");
        assert_string_equal(one, "--- /dev/null\n"
                                 "+++ " LABEL "\n"
                                 "@@ -0,0 +1,1 @@\n"
                                 "+only\n");
}

static void test_removed(void **state) {
        _cleanup_free_ char *text = diff("a\nb\n", NULL);

        assert_string_equal(text, "--- " PATH "\n"
                                  "+++ /dev/null\n"
                                  "@@ -1,2 +0,0 @@\n"
                                  "-a\n"
                                  "-b\n");
}

static void test_empty_file(void **state) {
        _cleanup_free_ char *filled = diff("", "a\n");
        _cleanup_free_ char *emptied = diff("a\n", "");
        _cleanup_free_ char *removed = diff("", NULL);

        /* An empty file exists: its label, not /dev/null. */
        assert_string_equal(filled, "--- " PATH "\n"
                                    "+++ " LABEL "\n"
                                    "@@ -0,0 +1,1 @@\n"
                                    "+a\n");
        assert_string_equal(emptied, "--- " PATH "\n"
                                     "+++ " LABEL "\n"
                                     "@@ -1,1 +0,0 @@\n"
                                     "-a\n");
        assert_string_equal(removed, "--- " PATH "\n"
                                     "+++ /dev/null\n"
                                     "@@ -0,0 +0,0 @@\n");
}

static void test_one_line_changed(void **state) {
        _cleanup_free_ char *text = diff("[Unit]\nAfter=a.service\nRequires=a.service\nPartOf=a.service\n",
                                         "[Unit]\nAfter=a.service\nRequires=b.service\nPartOf=a.service\n");
        size_t minus = 0, plus = 0, context = 0;

        assert_int_equal(strncmp(text, "--- " PATH "\n+++ " LABEL "\n@@ -1,4 +1,4 @@\n",
                                 strlen("--- " PATH "\n+++ " LABEL "\n@@ -1,4 +1,4 @@\n")),
                         0);
        /* The whole file is one hunk: every unchanged line is context. */
        assert_has_line(text, " [Unit]");
        assert_has_line(text, " After=a.service");
        assert_has_line(text, "-Requires=a.service");
        assert_has_line(text, "+Requires=b.service");
        assert_has_line(text, " PartOf=a.service");
        /* Context keeps its place around the change. */
        assert_true(strstr(text, " After=a.service\n") < strstr(text, "-Requires=a.service\n"));
        assert_true(strstr(text, " After=a.service\n") < strstr(text, "+Requires=b.service\n"));
        assert_true(strstr(text, "-Requires=a.service\n") < strstr(text, " PartOf=a.service\n"));
        assert_true(strstr(text, "+Requires=b.service\n") < strstr(text, " PartOf=a.service\n"));

        /* Past the three header lines, one line per line of either text. */
        for (const char *p = strstr(text, "@@ -1,4 +1,4 @@\n") + strlen("@@ -1,4 +1,4 @@\n"); *p;) {
                const char *end = strchr(p, '\n');

                assert_non_null(end);
                minus += *p == '-';
                plus += *p == '+';
                context += *p == ' ';
                p = end + 1;
        }
        assert_int_equal(minus, 1);
        assert_int_equal(plus, 1);
        assert_int_equal(context, 3);
}

static void test_one_line_changed_order(void **state) {
        _cleanup_free_ char *text = NULL;
        text = diff("a\nx\nb\n", "a\ny\nb\n");
        assert_string_equal(text, "--- " PATH "\n"
                                  "+++ " LABEL "\n"
                                  "@@ -1,3 +1,3 @@\n"
                                  " a\n"
                                  "-x\n"
                                  "+y\n"
                                  " b\n");
}

static void test_lines_added_and_removed(void **state) {
        _cleanup_free_ char *text = diff("a\nb\nc\n", "b\nc\nd\n");
        _cleanup_free_ char *inserted = diff("a\nc\n", "a\nb\nc\n");

        assert_string_equal(text, "--- " PATH "\n"
                                  "+++ " LABEL "\n"
                                  "@@ -1,3 +1,3 @@\n"
                                  "-a\n"
                                  " b\n"
                                  " c\n"
                                  "+d\n");
        assert_string_equal(inserted, "--- " PATH "\n"
                                      "+++ " LABEL "\n"
                                      "@@ -1,2 +1,3 @@\n"
                                      " a\n"
                                      "+b\n"
                                      " c\n");
}

static void test_dropin_policy_change(void **state) {
        static const char bind[] = "# Managed by tether, policy \"bind\"\n"
                                   "[Unit]\n"
                                   "After=nftables.service\n"
                                   "Requires=nftables.service\n"
                                   "PartOf=nftables.service\n";
        static const char follow[] = "# Managed by tether, policy \"follow\"\n"
                                     "[Unit]\n"
                                     "After=nftables.service\n";
        _cleanup_free_ char *text = diff(bind, follow);

        assert_true(strncmp(text, "--- " PATH "\n+++ " LABEL "\n@@ -1,5 +1,3 @@\n",
                            strlen("--- " PATH "\n+++ " LABEL "\n@@ -1,5 +1,3 @@\n")) == 0);
        assert_has_line(text, "-# Managed by tether, policy \"bind\"");
        assert_has_line(text, "+# Managed by tether, policy \"follow\"");
        assert_has_line(text, " [Unit]");
        assert_has_line(text, " After=nftables.service");
        assert_has_line(text, "-Requires=nftables.service");
        assert_has_line(text, "-PartOf=nftables.service");
}

static void test_no_final_newline(void **state) {
        _cleanup_free_ char *changed = diff("a\nb", "a\nc");
        _cleanup_free_ char *created = diff(NULL, "a");

        /* Every line of the output ends in a newline all the same. */
        assert_has_line(changed, " a");
        assert_has_line(changed, "-b");
        assert_has_line(changed, "+c");
        assert_int_equal(changed[strlen(changed) - 1], '\n');
        assert_string_equal(created, "--- /dev/null\n+++ " LABEL
                                     "\n@@ -0,0 +1,1 @@\n+a\n\\ No newline at end of file\n");
}

static void test_only_final_newline_differs(void **state) {
        _cleanup_free_ char *text = NULL;
        text = diff("a\nb", "a\nb\n");
        assert_has_line(text, "-b");
        assert_has_line(text, "+b");
        assert_non_null(strstr(text, "\\ No newline at end of file\n"));
}

static void test_labels(void **state) {
        char *text = untouched;

        assert_int_equal(tether_diff_unified("old label", "x\n", "new label", "y\n", &text), 0);
        assert_int_equal(strncmp(text, "--- old label\n+++ new label\n@@ -1,1 +1,1 @@\n",
                                 strlen("--- old label\n+++ new label\n@@ -1,1 +1,1 @@\n")),
                         0);
        free(text);
}

static void test_too_many_lines(void **state) {
        _cleanup_free_ char *limit = numbered_lines(4000), *over = numbered_lines(4001);
        _cleanup_free_ char *over_unterminated = numbered_lines(4001);
        char *text = untouched;

        /* 4000 lines is the limit, on either side. */
        text = diff(limit, "x\n");
        assert_non_null(strstr(text, "@@ -1,4000 +1,1 @@\n"));
        free(text);
        text = diff("x\n", limit);
        assert_non_null(strstr(text, "@@ -1,1 +1,4000 @@\n"));
        free(text);

        text = untouched;
        assert_int_equal(tether_diff_unified(PATH, over, LABEL, "x\n", &text), -E2BIG);
        assert_ptr_equal(text, untouched);
        assert_int_equal(tether_diff_unified(PATH, "x\n", LABEL, over, &text), -E2BIG);
        assert_ptr_equal(text, untouched);
        assert_int_equal(tether_diff_unified(PATH, over, LABEL, NULL, &text), -E2BIG);
        assert_ptr_equal(text, untouched);
        assert_int_equal(tether_diff_unified(PATH, NULL, LABEL, over, &text), -E2BIG);
        assert_ptr_equal(text, untouched);
        assert_int_equal(tether_diff_unified(PATH, over, LABEL, limit, &text), -E2BIG);
        assert_ptr_equal(text, untouched);

        /* The 4001st line counts without its newline. */
        over_unterminated[strlen(over_unterminated) - 1] = '\0';
        assert_int_equal(tether_diff_unified(PATH, over_unterminated, LABEL, "x\n", &text), -E2BIG);
        assert_ptr_equal(text, untouched);

        /* Empty lines are lines. */
        {
                _cleanup_free_ char *blank = malloc(4002);

                assert_non_null(blank);
                memset(blank, '\n', 4001);
                blank[4001] = '\0';
                assert_int_equal(tether_diff_unified(PATH, blank, LABEL, "x\n", &text), -E2BIG);
                assert_ptr_equal(text, untouched);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_equal),
                cmocka_unit_test(test_created),
                cmocka_unit_test(test_removed),
                cmocka_unit_test(test_empty_file),
                cmocka_unit_test(test_one_line_changed),
                cmocka_unit_test(test_one_line_changed_order),
                cmocka_unit_test(test_lines_added_and_removed),
                cmocka_unit_test(test_dropin_policy_change),
                cmocka_unit_test(test_no_final_newline),
                cmocka_unit_test(test_only_final_newline_differs),
                cmocka_unit_test(test_labels),
                cmocka_unit_test(test_too_many_lines),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
