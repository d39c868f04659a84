/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/quote.c: what is escaped and how (quotes,
 * backslashes, every control character, DEL, every byte outside ASCII, NUL
 * bytes inside the counted length), what is not (printable ASCII, space to
 * '~'), the cut at 63, 64 and 65 bytes, a UTF-8 sequence split by the cut,
 * the worst case filling TETHER_QUOTE_SIZE to the byte, and the
 * NUL-terminated form, which reads no further than it shows.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "macro.h"
#include "quote.h"
#include "test-util.h"

/* The bytes written past a quoted value must still be this. */
#define CANARY 0x5a
#define CANARY_SIZE 16

/* Quotes length bytes of s, checks the result against expected, that the
 * buffer came back, and that nothing past the NUL was written. */
static void check_quote(const char *s, size_t length, const char *expected) {
        char buffer[TETHER_QUOTE_SIZE + CANARY_SIZE];
        const char *quoted;

        memset(buffer, CANARY, sizeof(buffer));
        quoted = tether_quote(s, length, buffer);
        assert_ptr_equal(quoted, buffer);
        assert_string_equal(quoted, expected);
        assert_true(strlen(quoted) < TETHER_QUOTE_SIZE);
        for (size_t i = strlen(quoted) + 1; i < sizeof(buffer); i++)
                assert_int_equal((unsigned char)buffer[i], CANARY);
}

#define assert_quote(literal, expected) check_quote(literal, sizeof(literal) - 1, expected)

static void test_plain(void **state) {
        assert_quote("web-01", "\"web-01\"");
        assert_quote("a b", "\"a b\"");
        /* The first and the last printable character. */
        assert_quote(" ~", "\" ~\"");
        assert_quote("tag:prod,!tag:canary", "\"tag:prod,!tag:canary\"");
}

static void test_empty(void **state) {
        const char nothing = 'x';
        char buffer[TETHER_QUOTE_SIZE];

        assert_quote("", "\"\"");
        /* length 0 shows nothing, whatever s holds. */
        check_quote(&nothing, 0, "\"\"");
        assert_string_equal(tether_quote_string("", buffer), "\"\"");
}

static void test_quotes_and_backslashes(void **state) {
        assert_quote("\"", "\"\\\"\"");
        assert_quote("\\", "\"\\\\\"");
        assert_quote("a\"b\\c", "\"a\\\"b\\\\c\"");
        /* An escaped quote in the input stays visibly escaped twice. */
        assert_quote("\\\"", "\"\\\\\\\"\"");
        /* A single quote needs nothing. */
        assert_quote("it's", "\"it's\"");
}

static void test_control_characters(void **state) {
        char input[1], expected[16];

        for (unsigned c = 0; c < 0x20; c++) {
                input[0] = (char)c;
                snprintf(expected, sizeof(expected), "\"\\x%02x\"", c);
                check_quote(input, 1, expected);
        }
        assert_quote("\x7f", "\"\\x7f\"");
        assert_quote("web\n01", "\"web\\x0a01\"");
        assert_quote("\x1b[31mred", "\"\\x1b[31mred\"");
        assert_quote("a\r\nb\tc", "\"a\\x0d\\x0ab\\x09c\"");
}

static void test_nul_inside_length(void **state) {
        assert_quote("a\0b", "\"a\\x00b\"");
        assert_quote("\0", "\"\\x00\"");
}

static void test_non_ascii(void **state) {
        char input[1], expected[16];

        for (unsigned c = 0x80; c <= 0xff; c++) {
                input[0] = (char)c;
                snprintf(expected, sizeof(expected), "\"\\x%02x\"", c);
                check_quote(input, 1, expected);
        }
        /* Well-formed UTF-8 is escaped too: é, a C1 CSI, a bidi override. */
        assert_quote("caf\xc3\xa9", "\"caf\\xc3\\xa9\"");
        assert_quote("\xc2\x9b"
                     "2J",
                     "\"\\xc2\\x9b2J\"");
        assert_quote("\xe2\x80\xae", "\"\\xe2\\x80\\xae\"");
}

static void test_cut(void **state) {
        _cleanup_free_ char *input = repeat('a', 100), *shown = repeat('a', 64), *expected = NULL;

        /* 63 and 64 bytes are shown whole. */
        assert_true(asprintf(&expected, "\"%.63s\"", shown) > 0);
        check_quote(input, 63, expected);
        free(expected);
        assert_true(asprintf(&expected, "\"%s\"", shown) > 0);
        check_quote(input, 64, expected);
        free(expected);

        /* From 65 on, the first 64 and "..." after the closing quote. */
        assert_true(asprintf(&expected, "\"%s\"...", shown) > 0);
        check_quote(input, 65, expected);
        check_quote(input, 100, expected);
        check_quote(input, SIZE_MAX, expected);
}

static void test_cut_inside_utf8(void **state) {
        _cleanup_free_ char *input = repeat('a', 70), *expected = NULL;

        /* é ends exactly at the limit: whole, no "...". */
        memcpy(input + 62, "\xc3\xa9", 2);
        assert_true(asprintf(&expected, "\"%.62s\\xc3\\xa9\"", input) > 0);
        check_quote(input, 64, expected);
        free(expected);

        /* é straddles the cut: its first byte is shown, escaped, so the
         * message stays ASCII and no broken character reaches it. */
        memset(input, 'a', 70);
        memcpy(input + 63, "\xc3\xa9", 2);
        assert_true(asprintf(&expected, "\"%.63s\\xc3\"...", input) > 0);
        check_quote(input, 65, expected);
        free(expected);

        /* A 4-byte sequence cut after its second byte. */
        memset(input, 'a', 70);
        memcpy(input + 62, "\xf0\x9f\x98\x80", 4);
        assert_true(asprintf(&expected, "\"%.62s\\xf0\\x9f\"...", input) > 0);
        check_quote(input, 66, expected);
}

static void test_worst_case_fills_size(void **state) {
        _cleanup_free_ char *input = repeat('\xff', 65), *expected = NULL;
        char buffer[TETHER_QUOTE_SIZE];

        /* Every byte shown as \xNN, then "...": the buffer to the byte. */
        tether_quote(input, 65, buffer);
        assert_int_equal(strlen(buffer), TETHER_QUOTE_SIZE - 1);
        assert_memory_equal(buffer, "\"\\xff\\xff", 9);
        assert_memory_equal(buffer + TETHER_QUOTE_SIZE - 7, "ff\"...", 6);

        /* Quotes and backslashes take two bytes each, never more. */
        free(input);
        input = repeat('"', 65);
        tether_quote(input, 65, buffer);
        assert_int_equal(strlen(buffer), 1 + 2 * 64 + 1 + 3);
}

static void test_string(void **state) {
        _cleanup_free_ char *value = repeat('k', 100000), *expected = NULL;
        char buffer[TETHER_QUOTE_SIZE], unterminated[TETHER_QUOTE_INPUT_MAX + 1];

        assert_string_equal(tether_quote_string("web\n01", buffer), "\"web\\x0a01\"");
        assert_ptr_equal(tether_quote_string("x", buffer), buffer);

        /* 100000 and 65 bytes are cut, 64 are not. */
        assert_true(asprintf(&expected, "\"%.64s\"...", value) > 0);
        assert_string_equal(tether_quote_string(value, buffer), expected);
        value[65] = '\0';
        assert_string_equal(tether_quote_string(value, buffer), expected);
        value[64] = '\0';
        free(expected);
        assert_true(asprintf(&expected, "\"%s\"", value) > 0);
        assert_string_equal(tether_quote_string(value, buffer), expected);

        /* It reads one byte past the limit and no further: no NUL needed. */
        memset(unterminated, 'u', sizeof(unterminated));
        free(expected);
        assert_true(asprintf(&expected, "\"%.64s\"...", unterminated) > 0);
        assert_string_equal(tether_quote_string(unterminated, buffer), expected);
}

/* The worked example at the top of quote.c. */
static void test_documented_example(void **state) {
        _cleanup_free_ char *input = NULL, *x = repeat('x', 61), *expected = NULL;
        char buffer[TETHER_QUOTE_SIZE];

        assert_true(asprintf(&input, "say \"hi\"\n%s", x) == 70);
        assert_true(asprintf(&expected, "\"say \\\"hi\\\"\\x0a%.55s\"...", x) > 0);
        assert_string_equal(tether_quote_string(input, buffer), expected);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_plain),
                cmocka_unit_test(test_empty),
                cmocka_unit_test(test_quotes_and_backslashes),
                cmocka_unit_test(test_control_characters),
                cmocka_unit_test(test_nul_inside_length),
                cmocka_unit_test(test_non_ascii),
                cmocka_unit_test(test_cut),
                cmocka_unit_test(test_cut_inside_utf8),
                cmocka_unit_test(test_worst_case_fills_size),
                cmocka_unit_test(test_string),
                cmocka_unit_test(test_documented_example),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
