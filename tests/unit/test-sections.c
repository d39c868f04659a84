/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/sections.c: a gathering script's output split at
 * its markers, every byte of each command's output kept; a host that stops
 * talking or answers garbage refused with the section named and *ret
 * untouched.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "macro.h"
#include "sections.h"

#define B "@tether-5f0c2a9e"

static struct tether_sections *const untouched = (struct tether_sections *)(uintptr_t)0x1;

static struct tether_sections *parse(const char *output) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_sections *sections = NULL;

        if (tether_sections_parse(output, strlen(output), B, &sections, &error) != 0)
                fail_msg("refused: %s", error.text);
        return sections;
}

static void test_sections_as_printed(void **state) {
        static const struct {
                const char *name;
                const char *text;
                int status;
        } expected[] = {
                {"os-release", "ID=debian\nVERSION_ID=\"12\"\n", 0},
                {"empty", "", 0},
                {"no-last-newline", "abc", 0},
                {"blank-lines", "\n\n", 0},
                {"failed", "cat: /etc/ufw/ufw.conf: No such file or directory\n", 1},
                /* A marker of another run, or of this one not at a line's start. */
                {"lookalike", "@tether-00000000 end lookalike 0\nx " B " end lookalike 0\n", 0},
                /* Names are the rest of the line: a path may hold blanks. */
                {"file /etc/my firewall.conf", "x\n", 0},
        };
        struct tether_sections *sections =
                parse("Welcome to web-01!\n" /* a banner before the first section */
                      B " begin os-release\nID=debian\nVERSION_ID=\"12\"\n\n" B " end os-release 0\n" B
                      " begin empty\n\n" B " end empty 0\n" B " begin no-last-newline\nabc\n" B
                      " end no-last-newline 0\n" B " begin blank-lines\n\n\n\n" B " end blank-lines 0\n"
                      "stray text between sections\n" B
                      " begin failed\ncat: /etc/ufw/ufw.conf: No such file or directory\n\n" B
                      " end failed 1\n" B " begin lookalike\n@tether-00000000 end lookalike 0\nx " B
                      " end lookalike 0\n\n" B " end lookalike 0\n" B
                      " begin file /etc/my firewall.conf\nx\n\n" B " end file /etc/my firewall.conf 0\n");

        assert_int_equal(sections->n_items, ELEMENTSOF(expected));
        for (size_t i = 0; i < ELEMENTSOF(expected); i++) {
                const struct tether_section *section = tether_sections_get(sections, expected[i].name);

                assert_non_null(section);
                assert_string_equal(section->text, expected[i].text);
                assert_int_equal(section->length, strlen(expected[i].text));
                assert_int_equal(section->status, expected[i].status);
        }
        assert_null(tether_sections_get(sections, "nope"));
        tether_sections_free(sections);
}

static void test_no_sections(void **state) {
        struct tether_sections *sections = parse("sh: 1: exec: not found\n");

        assert_int_equal(sections->n_items, 0);
        tether_sections_free(sections);
        sections = parse("");
        assert_int_equal(sections->n_items, 0);
        tether_sections_free(sections);
}

static void test_refused(void **state) {
        static const struct {
                const char *output;
                const char *message;
        } cases[] = {
                {B " begin a\nhalf of it", "section 'a' begun and never ended"},
                {B " begin a\n", "section 'a' begun and never ended"},
                {B " begin a\n" B " end a 0\n", "section 'a' begun and never ended"},
                {B " begin a\nx\n" B " end b 0\n", "section 'a' ended as 'b 0'"},
                {B " begin a\nx\n" B " end a\n", "section 'a' ended as 'a'"},
                {B " begin a\nx\n" B " end a 256\n", "section 'a' ended as 'a 256'"},
                {B " begin a\nx\n" B " end a -1\n", "section 'a' ended as 'a -1'"},
                {B " begin a\nx\n" B " end ab 0\n", "section 'a' ended as 'ab 0'"},
                {B " begin a\nx\n\n" B " end a 0\n" B " begin a\n\n" B " end a 0\n", "section 'a' twice"},
                {B " begin \n\n" B " end  0\n", "a section without a name"},
                {B " begin a b\nx\n" B " end a 0\n", "section 'a b' ended as 'a 0'"},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct tether_error error = TETHER_ERROR_INIT;
                struct tether_sections *sections = untouched;
                int r = tether_sections_parse(cases[i].output, strlen(cases[i].output), B, &sections,
                                              &error);

                if (r != -EBADMSG)
                        fail_msg("case %zu: %d", i, r);
                assert_ptr_equal(sections, untouched);
                if (!strstr(error.text, cases[i].message))
                        fail_msg("case %zu: '%s', expected '%s'", i, error.text, cases[i].message);
        }
}

/* A NUL byte in a command's output (a binary file), and the length that
 * says where the output ends, not the NUL. */
static void test_nul_byte(void **state) {
        static const char output[] = B " begin a\nx\0y\n\n" B " end a 0\n";
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_sections *sections = untouched;

        assert_int_equal(tether_sections_parse(output, sizeof(output) - 1, B, &sections, &error), -EBADMSG);
        assert_ptr_equal(sections, untouched);
        assert_non_null(strstr(error.text, "section 'a' holds a NUL byte"));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_sections_as_printed),
                cmocka_unit_test(test_no_sections),
                cmocka_unit_test(test_refused),
                cmocka_unit_test(test_nul_byte),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
