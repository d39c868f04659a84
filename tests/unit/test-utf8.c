/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/utf8.c: ASCII and NUL, the first and last code
 * point of each length, and each kind of malformed input read as U+FFFD of
 * length 1 (stray continuation bytes, overlong forms, surrogates, past
 * U+10FFFF, lead bytes that cannot start anything, sequences cut by a NUL
 * or by a byte that does not continue them), reading no further than the
 * NUL; then every code point encoded and decoded back, and a walk through
 * a mixed string that resynchronises after each bad byte. The bounded
 * decoder tells malformed input apart (TETHER_UTF8_INVALID), reads no
 * further than the length it is given, NUL or not; the validity check
 * agrees with it on every kind of malformed input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "macro.h"
#include "utf8.h"

/* Decodes the first code point of s and checks it and its length. */
static void check_next(const char *s, uint32_t expected, size_t expected_length) {
        size_t length = 0;

        assert_int_equal(tether_utf8_next(s, &length), expected);
        assert_int_equal(length, expected_length);
}

#define assert_invalid(s) check_next(s, TETHER_UTF8_REPLACEMENT, 1)

/* c as UTF-8 into buffer, NUL-terminated, by the table of RFC 3629. */
static void encode(uint32_t c, char buffer[static 5]) {
        unsigned char *u = (unsigned char *)buffer;

        if (c < 0x80) {
                u[0] = (unsigned char)c;
                u[1] = 0;
        } else if (c < 0x800) {
                u[0] = (unsigned char)(0xc0 | c >> 6);
                u[1] = (unsigned char)(0x80 | (c & 0x3f));
                u[2] = 0;
        } else if (c < 0x10000) {
                u[0] = (unsigned char)(0xe0 | c >> 12);
                u[1] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
                u[2] = (unsigned char)(0x80 | (c & 0x3f));
                u[3] = 0;
        } else {
                u[0] = (unsigned char)(0xf0 | c >> 18);
                u[1] = (unsigned char)(0x80 | (c >> 12 & 0x3f));
                u[2] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
                u[3] = (unsigned char)(0x80 | (c & 0x3f));
                u[4] = 0;
        }
}

static void test_ascii(void **state) {
        check_next("A", 'A', 1);
        check_next("AB", 'A', 1);
        check_next("\x01", 0x01, 1);
        check_next("\x7f", 0x7f, 1);
        /* The NUL is a code point of its own; the caller stops at it. */
        check_next("", 0, 1);
}

static void test_two_bytes(void **state) {
        check_next("\xc2\x80", 0x80, 2);
        check_next("\xc2\x9b", 0x9b, 2); /* C1 CSI: decoded; escaping is the writer's job */
        check_next("\xc3\xa9", 0xe9, 2);
        check_next("\xdf\xbf", 0x7ff, 2);
        check_next("\xc3\xa9z", 0xe9, 2);
}

static void test_three_bytes(void **state) {
        check_next("\xe0\xa0\x80", 0x800, 3);
        check_next("\xe2\x80\xa6", 0x2026, 3);
        check_next("\xe2\x80\xae", 0x202e, 3); /* a bidi override */
        check_next("\xed\x9f\xbf", 0xd7ff, 3); /* just below the surrogates */
        check_next("\xee\x80\x80", 0xe000, 3); /* just above them */
        /* A real U+FFFD is 3 bytes long; the replacement for a bad byte is 1. */
        check_next("\xef\xbf\xbd", 0xfffd, 3);
        /* Non-characters are well-formed UTF-8. */
        check_next("\xef\xbf\xbe", 0xfffe, 3);
        check_next("\xef\xbf\xbf", 0xffff, 3);
}

static void test_four_bytes(void **state) {
        check_next("\xf0\x90\x80\x80", 0x10000, 4);
        check_next("\xf0\x9f\x98\x80", 0x1f600, 4);
        check_next("\xf3\xbf\xbf\xbf", 0xfffff, 4);
        check_next("\xf4\x8f\xbf\xbf", 0x10ffff, 4);
}

static void test_stray_continuation(void **state) {
        assert_invalid("\x80");
        assert_invalid("\xbf");
        assert_invalid("\x80\x80\x80\x80");
}

static void test_overlong(void **state) {
        assert_invalid("\xc0\x80"); /* NUL in two bytes, as "modified UTF-8" has it */
        assert_invalid("\xc0\xaf"); /* '/' */
        assert_invalid("\xc1\xbf");
        assert_invalid("\xe0\x80\x80");
        assert_invalid("\xe0\x80\xaf");
        assert_invalid("\xe0\x9f\xbf"); /* U+07FF in three bytes */
        assert_invalid("\xf0\x80\x80\x80");
        assert_invalid("\xf0\x80\x80\xaf");
        assert_invalid("\xf0\x8f\xbf\xbf"); /* U+FFFF in four bytes */
}

static void test_surrogates(void **state) {
        assert_invalid("\xed\xa0\x80");             /* U+D800 */
        assert_invalid("\xed\xad\xbf");             /* U+DB7F */
        assert_invalid("\xed\xb0\x80");             /* U+DC00 */
        assert_invalid("\xed\xbf\xbf");             /* U+DFFF */
        assert_invalid("\xed\xa0\xbd\xed\xb8\x80"); /* CESU-8 for U+1F600 */
}

static void test_past_last_code_point(void **state) {
        assert_invalid("\xf4\x90\x80\x80"); /* U+110000 */
        assert_invalid("\xf4\xbf\xbf\xbf");
        assert_invalid("\xf5\x80\x80\x80");
        assert_invalid("\xf7\xbf\xbf\xbf"); /* U+1FFFFF */
        assert_invalid("\xf8\x88\x80\x80\x80");
        assert_invalid("\xfc\x84\x80\x80\x80\x80");
        assert_invalid("\xfe");
        assert_invalid("\xff");
}

static void test_truncated(void **state) {
        /* Cut by the end of the string. */
        assert_invalid("\xc3");
        assert_invalid("\xe2");
        assert_invalid("\xe2\x80");
        assert_invalid("\xf0");
        assert_invalid("\xf0\x9f");
        assert_invalid("\xf0\x9f\x98");
        /* Cut by a byte that does not continue it. */
        assert_invalid("\xc3z");
        assert_invalid("\xe2\x80z");
        assert_invalid("\xf0\x9f\x98z");
        assert_invalid("\xc3\xc3\xa9");
        assert_invalid("\xe2\xe2\x80\xa6");
}

/* The length a lead byte asks for; 0 for one that cannot lead. */
static size_t sequence_length(unsigned lead) {
        if (lead < 0x80)
                return 1;
        if (lead >= 0xc2 && lead <= 0xdf)
                return 2;
        if (lead >= 0xe0 && lead <= 0xef)
                return 3;
        if (lead >= 0xf0 && lead <= 0xf4)
                return 4;
        return 0;
}

/* Every byte outside ASCII, followed by continuation bytes up to one short
 * of what it asks for, then the NUL, in a buffer of exactly that size: all
 * are U+FFFD of length 1, and under valgrind or ASan a read past the NUL
 * would show. */
static void test_stops_at_nul(void **state) {
        for (unsigned lead = 0x80; lead <= 0xff; lead++) {
                size_t needed = sequence_length(lead);

                for (size_t given = 1; given <= 3; given++) {
                        char *s;

                        if (needed != 0 && given >= needed)
                                break;
                        s = malloc(given + 1);
                        assert_non_null(s);
                        s[0] = (char)lead;
                        memset(s + 1, 0xa0, given - 1);
                        s[given] = '\0';
                        assert_invalid(s);
                        free(s);
                }
        }
}

/* Every code point there is, encoded by the RFC 3629 table, comes back
 * with its length; the surrogates, which UTF-8 cannot carry, do not. */
static void test_every_code_point(void **state) {
        char buffer[5];

        for (uint32_t c = 1; c <= 0x10ffff; c++) {
                size_t expected_length = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4, length = 0;
                uint32_t decoded;

                encode(c, buffer);
                assert_int_equal(strlen(buffer), expected_length);
                decoded = tether_utf8_next(buffer, &length);
                if (c >= 0xd800 && c <= 0xdfff) {
                        assert_int_equal(decoded, TETHER_UTF8_REPLACEMENT);
                        assert_int_equal(length, 1);
                } else {
                        assert_int_equal(decoded, c);
                        assert_int_equal(length, expected_length);
                }
        }
}

/* A writer's loop: one bad byte costs one U+FFFD, and what follows it is
 * read as what it is. */
static void test_walk(void **state) {
        const char *s = "a\xc3\xa9\xe2\x80\xa6\xf0\x9f\x98\x80\xff\xe2\x80z\x80\xed\xa0\x80!";
        static const uint32_t expected[] = {
                'a', 0xe9, 0x2026, 0x1f600, 0xfffd, 0xfffd, 0xfffd, 'z', 0xfffd, 0xfffd, 0xfffd, 0xfffd, '!',
        };
        size_t i = 0, n = 0, length;

        while (s[i]) {
                assert_true(n < ELEMENTSOF(expected));
                assert_int_equal(tether_utf8_next(s + i, &length), expected[n]);
                i += length;
                n++;
        }
        assert_int_equal(n, ELEMENTSOF(expected));
        assert_int_equal(i, strlen(s));
}

/* ---- the bounded decoder and the validity check ---------------------- */

/* Each string of this table, first as a whole, then cut one byte short
 * (which always breaks its last sequence), into a buffer of exactly that
 * size with no NUL after it: under valgrind or ASan a read past the end
 * would show. */
static const struct {
        const char *text;
        size_t length;
        uint32_t first;
        size_t first_length;
} decoded[] = {
        {"A", 1, 'A', 1},
        {"\0x", 2, 0, 1}, /* a NUL is a character like another */
        {"\xc3\xa9", 2, 0xe9, 2},
        {"\xe2\x80\xae", 3, 0x202e, 3},
        {"\xef\xbf\xbd", 3, 0xfffd, 3}, /* a real U+FFFD, told from malformed input */
        {"\xf0\x9f\x98\x80", 4, 0x1f600, 4},
        {"\xf4\x8f\xbf\xbf", 4, 0x10ffff, 4},
};

static char *copy_exactly(const char *text, size_t length) {
        char *copy = malloc(length ? length : 1);

        assert_non_null(copy);
        memcpy(copy, text, length);
        return copy;
}

static void test_decode_bounded(void **state) {
        for (size_t i = 0; i < ELEMENTSOF(decoded); i++) {
                _cleanup_free_ char *whole = copy_exactly(decoded[i].text, decoded[i].length);
                _cleanup_free_ char *cut = copy_exactly(decoded[i].text, decoded[i].length - 1);
                size_t length = 0;

                assert_int_equal(tether_utf8_decode(whole, decoded[i].length, &length), decoded[i].first);
                assert_int_equal(length, decoded[i].first_length);
                assert_true(tether_utf8_is_valid(whole, decoded[i].length));
                if (decoded[i].first_length == 1)
                        continue;
                length = 0;
                assert_int_equal(tether_utf8_decode(cut, decoded[i].length - 1, &length),
                                 TETHER_UTF8_INVALID);
                assert_int_equal(length, 1);
                assert_false(tether_utf8_is_valid(cut, decoded[i].length - 1));
        }
}

/* What tether_utf8_next() reads as U+FFFD of length 1, the bounded decoder
 * reads as TETHER_UTF8_INVALID of length 1, and the check refuses. */
static void test_decode_invalid(void **state) {
        static const char *const malformed[] = {
                "\x80",
                "\xbf",
                "\xc0\x80",
                "\xc1\xbf",
                "\xe0\x9f\xbf",
                "\xf0\x8f\xbf\xbf",
                "\xed\xa0\x80",
                "\xed\xbf\xbf",
                "\xf4\x90\x80\x80",
                "\xf5\x80\x80\x80",
                "\xfe",
                "\xff",
                "\xc3z",
                "\xe2\x80z",
                "\xf0\x9f\x98z",
        };

        for (size_t i = 0; i < ELEMENTSOF(malformed); i++) {
                size_t length = 0;
                char text[16];

                assert_int_equal(tether_utf8_decode(malformed[i], strlen(malformed[i]), &length),
                                 TETHER_UTF8_INVALID);
                assert_int_equal(length, 1);
                assert_false(tether_utf8_is_valid(malformed[i], strlen(malformed[i])));
                /* Anywhere in a text. */
                snprintf(text, sizeof(text), "ok %s ok", malformed[i]);
                assert_false(tether_utf8_is_valid(text, strlen(text)));
        }
}

static void test_is_valid(void **state) {
        static const char text[] = "caf\xc3\xa9 \xe2\x80\xa6 \xf0\x9f\x98\x80\0after the NUL";

        assert_true(tether_utf8_is_valid("", 0));
        assert_true(tether_utf8_is_valid(text, sizeof(text) - 1));
        /* Only the length given is read: the bad byte after it does not count. */
        assert_true(tether_utf8_is_valid("ok\xff", 2));
        assert_false(tether_utf8_is_valid("ok\xff", 3));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_ascii),
                cmocka_unit_test(test_two_bytes),
                cmocka_unit_test(test_three_bytes),
                cmocka_unit_test(test_four_bytes),
                cmocka_unit_test(test_stray_continuation),
                cmocka_unit_test(test_overlong),
                cmocka_unit_test(test_surrogates),
                cmocka_unit_test(test_past_last_code_point),
                cmocka_unit_test(test_truncated),
                cmocka_unit_test(test_stops_at_nul),
                cmocka_unit_test(test_every_code_point),
                cmocka_unit_test(test_walk),
                cmocka_unit_test(test_decode_bounded),
                cmocka_unit_test(test_decode_invalid),
                cmocka_unit_test(test_is_valid),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
