/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/strbuf.c: appending (plain, counted with NUL bytes,
 * formatted, growing past the first allocation), the limit to the byte (an
 * append that would pass it fails the buffer, marks it too big, and every
 * later append is a no-op), and what steal and free hand back and leave.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "macro.h"
#include "strbuf.h"

static void assert_healthy(const struct strbuf *buf, const char *contents) {
        assert_false(buf->failed);
        assert_false(buf->too_big);
        assert_non_null(buf->data);
        assert_int_equal(buf->length, strlen(contents));
        assert_string_equal(buf->data, contents);
        assert_true(buf->allocated > buf->length);
}

static void test_init(void **state) {
        struct strbuf buf = STRBUF_INIT;

        assert_null(buf.data);
        assert_int_equal(buf.length, 0);
        assert_int_equal(buf.allocated, 0);
        assert_int_equal(buf.limit, 0);
        assert_false(buf.failed);
        assert_false(buf.too_big);
        strbuf_free(&buf); /* of an untouched buffer */
        assert_null(buf.data);
}

static void test_append(void **state) {
        struct strbuf buf = STRBUF_INIT;
        _cleanup_free_ char *s = NULL;

        strbuf_append(&buf, "After=");
        assert_healthy(&buf, "After=");
        strbuf_append(&buf, "");
        assert_healthy(&buf, "After=");
        strbuf_append(&buf, "nftables.service");
        strbuf_append(&buf, "\n");
        assert_healthy(&buf, "After=nftables.service\n");

        s = strbuf_steal(&buf);
        assert_string_equal(s, "After=nftables.service\n");
        /* The buffer is empty and usable afterwards. */
        assert_null(buf.data);
        assert_int_equal(buf.length, 0);
        assert_int_equal(buf.allocated, 0);
        strbuf_append(&buf, "again");
        assert_healthy(&buf, "again");
        strbuf_free(&buf);
        assert_null(buf.data);
        assert_int_equal(buf.length, 0);
}

static void test_append_n(void **state) {
        struct strbuf buf = STRBUF_INIT;

        /* Only n bytes of s, and a NUL after them. */
        strbuf_append_n(&buf, "abcdef", 3);
        assert_healthy(&buf, "abc");
        strbuf_append_n(&buf, "xyz", 0);
        assert_healthy(&buf, "abc");
        /* NUL bytes are data too. */
        strbuf_append_n(&buf, "d\0e", 3);
        assert_false(buf.failed);
        assert_int_equal(buf.length, 6);
        assert_memory_equal(buf.data, "abcd\0e", 7);
        strbuf_free(&buf);
}

static void test_empty_append_allocates(void **state) {
        struct strbuf buf = STRBUF_INIT;
        _cleanup_free_ char *s = NULL;

        strbuf_append_n(&buf, "", 0);
        assert_healthy(&buf, "");
        s = strbuf_steal(&buf);
        assert_string_equal(s, "");
}

static void test_appendf(void **state) {
        struct strbuf buf = STRBUF_INIT;
        _cleanup_free_ char *s = NULL;

        strbuf_appendf(&buf, "%s=%s", "After", "ufw.service");
        assert_healthy(&buf, "After=ufw.service");
        strbuf_appendf(&buf, " %zu %d %05.1f %c%%", (size_t)42, -7, 3.14159, 'x');
        assert_healthy(&buf, "After=ufw.service 42 -7 003.1 x%");
        strbuf_appendf(&buf, "%s", "");
        assert_healthy(&buf, "After=ufw.service 42 -7 003.1 x%");
        strbuf_append(&buf, "|");
        strbuf_appendf(&buf, "%.3s", "abcdef");
        assert_healthy(&buf, "After=ufw.service 42 -7 003.1 x%|abc");
        s = strbuf_steal(&buf);
        assert_string_equal(s, "After=ufw.service 42 -7 003.1 x%|abc");
}

static void test_growth(void **state) {
        struct strbuf buf = STRBUF_INIT;
        char expected[10001];
        _cleanup_free_ char *s = NULL;

        /* Many small appends across several reallocations, and formatted
         * appends landing just past the end of the allocation. */
        for (size_t i = 0; i < 10000; i++) {
                if (i % 3 == 0)
                        strbuf_appendf(&buf, "%c", (char)('a' + i % 26));
                else
                        strbuf_append_n(&buf, (const char[]){(char)('a' + i % 26)}, 1);
                expected[i] = (char)('a' + i % 26);
                assert_true(buf.allocated > buf.length);
        }
        expected[10000] = '\0';
        assert_healthy(&buf, expected);

        /* One append bigger than everything so far. */
        {
                char big[70000];

                memset(big, 'z', sizeof(big) - 1);
                big[sizeof(big) - 1] = '\0';
                strbuf_append(&buf, big);
                assert_false(buf.failed);
                assert_int_equal(buf.length, 10000 + sizeof(big) - 1);
                assert_int_equal(buf.data[buf.length], '\0');
                assert_memory_equal(buf.data, expected, 10000);
        }
        s = strbuf_steal(&buf);
        assert_int_equal(strlen(s), 10000 + 70000 - 1);
}

static void test_limit(void **state) {
        struct strbuf buf = {.limit = 8};

        /* Exactly the limit fits. */
        strbuf_append(&buf, "1234");
        strbuf_appendf(&buf, "%s", "5678");
        assert_healthy(&buf, "12345678");

        /* One byte more fails, and marks the buffer. */
        strbuf_append(&buf, "9");
        assert_true(buf.failed);
        assert_true(buf.too_big);
        assert_int_equal(buf.length, 8);

        /* Later appends, even small ones, change nothing. */
        strbuf_append(&buf, "");
        strbuf_append_n(&buf, "x", 0);
        strbuf_appendf(&buf, "%s", "");
        assert_true(buf.failed);
        assert_true(buf.too_big);
        assert_int_equal(buf.length, 8);
        assert_memory_equal(buf.data, "12345678", 8);

        /* Steal of a failed buffer: NULL, and the buffer is released, limit kept. */
        assert_null(strbuf_steal(&buf));
        assert_null(buf.data);
        assert_false(buf.failed);
        assert_false(buf.too_big);
        assert_int_equal(buf.length, 0);
        assert_int_equal(buf.limit, 8);

        /* Usable again, with the same limit. */
        strbuf_append(&buf, "abcdefgh");
        assert_healthy(&buf, "abcdefgh");
        strbuf_append_n(&buf, "i", 1);
        assert_true(buf.too_big);
        strbuf_free(&buf);
        assert_int_equal(buf.limit, 8);
        assert_false(buf.failed);
}

static void test_limit_appendf(void **state) {
        struct strbuf buf = {.limit = 10};

        strbuf_append(&buf, "abc");
        /* A formatted append over the limit writes none of itself. */
        strbuf_appendf(&buf, "%s-%d", "defgh", 12345);
        assert_true(buf.failed);
        assert_true(buf.too_big);
        assert_int_equal(buf.length, 3);
        assert_string_equal(buf.data, "abc");
        strbuf_append(&buf, "d");
        assert_int_equal(buf.length, 3);
        assert_null(strbuf_steal(&buf));
}

static void test_limit_first_append(void **state) {
        struct strbuf buf = {.limit = 4};

        strbuf_append(&buf, "12345");
        assert_true(buf.failed);
        assert_true(buf.too_big);
        assert_int_equal(buf.length, 0);
        /* Failed before anything was stored: still NULL, not "". */
        assert_null(strbuf_steal(&buf));
}

static void test_limit_huge_append(void **state) {
        struct strbuf buf = {.limit = 16};

        strbuf_append(&buf, "x");
        /* Lengths near SIZE_MAX must not wrap around the check. */
        strbuf_append_n(&buf, "y", SIZE_MAX);
        assert_true(buf.too_big);
        assert_int_equal(buf.length, 1);
        strbuf_free(&buf);

        buf = (struct strbuf){.limit = 16};
        strbuf_append(&buf, "x");
        strbuf_append_n(&buf, "y", SIZE_MAX - 1);
        assert_true(buf.too_big);
        strbuf_free(&buf);
}

static void test_default_limit(void **state) {
        struct strbuf buf = STRBUF_INIT;

        /* limit 0 means STRBUF_DEFAULT_LIMIT; asking past it fails without
         * allocating anything. */
        strbuf_append_n(&buf, "x", (size_t)STRBUF_DEFAULT_LIMIT + 1);
        assert_true(buf.failed);
        assert_true(buf.too_big);
        assert_null(buf.data);
        assert_null(strbuf_steal(&buf));
}

static void test_steal_empty(void **state) {
        struct strbuf buf = STRBUF_INIT, limited = {.limit = 3};
        _cleanup_free_ char *s = NULL, *t = NULL;

        s = strbuf_steal(&buf);
        assert_non_null(s);
        assert_string_equal(s, "");
        assert_null(buf.data);

        t = strbuf_steal(&limited);
        assert_non_null(t);
        assert_string_equal(t, "");
        assert_int_equal(limited.limit, 3);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_init),
                cmocka_unit_test(test_append),
                cmocka_unit_test(test_append_n),
                cmocka_unit_test(test_empty_append_allocates),
                cmocka_unit_test(test_appendf),
                cmocka_unit_test(test_growth),
                cmocka_unit_test(test_limit),
                cmocka_unit_test(test_limit_appendf),
                cmocka_unit_test(test_limit_first_append),
                cmocka_unit_test(test_limit_huge_append),
                cmocka_unit_test(test_default_limit),
                cmocka_unit_test(test_steal_empty),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
