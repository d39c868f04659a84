/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for controller/failure.c: the first failure wins; a message
 * that quotes a host's words keeps them as JSON text, which jansson takes
 * into the report whatever they were (each string of
 * tests/unit/hostile-strings.h); and a message too long for its buffer is
 * cut between two characters, never inside one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "failure.h"
#include "hostile-strings.h"
#include "macro.h"
#include "utf8.h"

static void test_first_wins(void **state) {
        struct host_failure failure = {};

        assert_false(host_failed(&failure));
        assert_int_equal(
                fail_host(&failure, HOST_STAGE_CONNECT, "cannot connect to %s port %u", "198.18.0.10", 22),
                -EHOSTUNREACH);
        /* The first failure's code, since it is the one recorded. */
        assert_int_equal(fail_host(&failure, HOST_STAGE_AUTH, "refused"), -EHOSTUNREACH);
        assert_true(host_failed(&failure));
        assert_string_equal(host_stage_to_string(failure.stage), "connect");
        assert_string_equal(failure.message, "cannot connect to 198.18.0.10 port 22");
}

static void test_hostile_strings(void **state) {
        for (size_t i = 0; i < ELEMENTSOF(hostile_strings); i++) {
                const struct hostile_string *row = &hostile_strings[i];
                struct host_failure failure = {};
                _cleanup_free_ char *expected = NULL;
                json_t *string;

                fail_host(&failure, HOST_STAGE_PARSE, "the agent printed nothing (stderr: %s)", row->text);
                assert_true(asprintf(&expected, "the agent printed nothing (stderr: %s)", row->json_text) >=
                            0);
                assert_string_equal(failure.message, expected);
                /* What json_pack("s") does with it in report.c. */
                string = json_string(failure.message);
                if (!string)
                        fail_msg("%s: jansson refuses the message \"%s\"", row->name, failure.message);
                json_decref(string);
        }
}

/* 600 "é" are 1200 bytes: the message keeps 511 of them, 1022 bytes, where
 * a byte cut would keep half of the 512th. */
static void test_cut_between_characters(void **state) {
        char long_text[1201];
        struct host_failure failure = {};

        for (size_t i = 0; i < 600; i++)
                memcpy(long_text + 2 * i, "\xc3\xa9", 2);
        long_text[1200] = '\0';
        fail_host(&failure, HOST_STAGE_AGENT, "%s", long_text);
        assert_int_equal(strlen(failure.message), 1022);
        assert_true(tether_utf8_is_valid(failure.message, strlen(failure.message)));
        assert_int_equal(memcmp(failure.message, long_text, 1022), 0);

        /* ASCII is cut where it always was, at the buffer's last byte. */
        memset(long_text, 'x', 1200);
        failure = (struct host_failure){};
        fail_host(&failure, HOST_STAGE_AGENT, "%s", long_text);
        assert_int_equal(strlen(failure.message), sizeof(failure.message) - 1);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_first_wins),
                cmocka_unit_test(test_hostile_strings),
                cmocka_unit_test(test_cut_between_characters),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
