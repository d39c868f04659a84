/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/parse-util.c: one table of texts and ranges with the
 * code and value each must give: plain numbers, both bounds of a range and
 * one past each, leading zeros, empty and NULL text, signs, blanks on
 * either side, trailing garbage, other bases and notations, and numbers far
 * past 64 bits; *ret is checked to be untouched on every failure.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <limits.h>
#include <cmocka.h>

#include "macro.h"
#include "parse-util.h"

#define UNTOUCHED 4242u

static const struct {
        const char *text;
        unsigned min, max;
        int code;
        unsigned value; /* when code is 0 */
} cases[] = {
        /* Numbers in range, and the bounds. */
        {"1", 1, 1024, 0, 1},
        {"1024", 1, 1024, 0, 1024},
        {"300", 1, 86400, 0, 300},
        {"70000", 1, 86400, 0, 70000}, /* --timeout 70000: above a port's range, within its own */
        {"86400", 1, 86400, 0, 86400},
        {"0", 0, 100, 0, 0},
        {"100", 0, 100, 0, 100},
        {"022", 1, 65535, 0, 22},
        {"0000000000000000000000007", 1, 10, 0, 7},
        {"4294967295", 0, UINT_MAX, 0, UINT_MAX},
        /* Out of range: one below, one above, far above. */
        {"0", 1, 1024, -ERANGE, 0},
        {"1025", 1, 1024, -ERANGE, 0},
        {"86401", 1, 86400, -ERANGE, 0},
        {"101", 0, 100, -ERANGE, 0},
        {"4294967296", 0, UINT_MAX, -ERANGE, 0},
        {"18446744073709551616", 0, UINT_MAX, -ERANGE, 0}, /* 2^64: no wrap to 0 */
        {"99999999999999999999999999999999", 1, 1024, -ERANGE, 0},
        /* Empty. */
        {NULL, 0, 100, -EINVAL, 0},
        {"", 0, 100, -EINVAL, 0},
        /* Signs. */
        {"-1", 0, 100, -EINVAL, 0},
        {"+1", 0, 100, -EINVAL, 0},
        {"-0", 0, 100, -EINVAL, 0},
        /* Blanks. */
        {" 1", 0, 100, -EINVAL, 0},
        {"1 ", 0, 100, -EINVAL, 0},
        {"\t1", 0, 100, -EINVAL, 0},
        {"1\n", 0, 100, -EINVAL, 0},
        {"1 0", 0, 100, -EINVAL, 0},
        /* Garbage, other bases and notations. */
        {"30s", 1, 86400, -EINVAL, 0},
        {"1x", 0, 100, -EINVAL, 0},
        {"x1", 0, 100, -EINVAL, 0},
        {"0x10", 0, 100, -EINVAL, 0},
        {"1e3", 1, 86400, -EINVAL, 0},
        {"1.0", 0, 100, -EINVAL, 0},
        {"1,000", 1, 86400, -EINVAL, 0},
        {"10%", 0, 100, -EINVAL, 0},
        {"ten", 0, 100, -EINVAL, 0},
        /* Garbage after more digits than fit still says garbage. */
        {"99999999999999999999999999999999x", 1, 1024, -EINVAL, 0},
};

static void test_parse_unsigned(void **state) {
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                unsigned value = UNTOUCHED;
                int r = tether_parse_unsigned(cases[i].text, cases[i].min, cases[i].max, &value);

                if (r != cases[i].code || value != (cases[i].code == 0 ? cases[i].value : UNTOUCHED))
                        fail_msg("'%s' in %u..%u: got %d and %u, expected %d and %u",
                                 cases[i].text ? cases[i].text : "(null)", cases[i].min, cases[i].max, r,
                                 value, cases[i].code, cases[i].code == 0 ? cases[i].value : UNTOUCHED);
        }
}

/* A range of one value takes exactly that value. */
static void test_single_value_range(void **state) {
        unsigned value = UNTOUCHED;

        assert_int_equal(tether_parse_unsigned("5", 5, 5, &value), 0);
        assert_int_equal(value, 5);
        value = UNTOUCHED;
        assert_int_equal(tether_parse_unsigned("4", 5, 5, &value), -ERANGE);
        assert_int_equal(tether_parse_unsigned("6", 5, 5, &value), -ERANGE);
        assert_int_equal(value, UNTOUCHED);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_parse_unsigned),
                cmocka_unit_test(test_single_value_range),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
