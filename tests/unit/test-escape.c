/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/escape.c: the classifier on the edges of each
 * class; every row of hostile-strings.h through every escaper, asserting
 * the exact output and that the output carries nothing its format must
 * never carry; the same property over pseudo-random byte strings; cuts;
 * lengths that are not the string's (NUL bytes, a bound inside a
 * sequence); and a strbuf that fails.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "escape.h"
#include "hostile-strings.h"
#include "macro.h"

/* ---- the classifier ---------------------------------------------------- */

static void test_classify(void **state) {
        static const struct {
                const char *text;
                size_t length;
                enum tether_escape_class class;
                uint32_t code;
                size_t code_length;
        } rows[] = {
                {"\0", 1, TETHER_ESCAPE_C0, 0, 1},
                {"\t", 1, TETHER_ESCAPE_C0, '\t', 1},
                {"\x1b[", 2, TETHER_ESCAPE_C0, 0x1b, 1},
                {"\x1f", 1, TETHER_ESCAPE_C0, 0x1f, 1},
                {" ", 1, TETHER_ESCAPE_PRINTABLE, ' ', 1},
                {"~", 1, TETHER_ESCAPE_PRINTABLE, '~', 1},
                {"\x7f", 1, TETHER_ESCAPE_DEL, 0x7f, 1},
                {"\xc2\x80", 2, TETHER_ESCAPE_C1, 0x80, 2},
                {"\xc2\x9b", 2, TETHER_ESCAPE_C1, 0x9b, 2},
                {"\xc2\x9f", 2, TETHER_ESCAPE_C1, 0x9f, 2},
                {"\xc2\xa0", 2, TETHER_ESCAPE_PRINTABLE, 0xa0, 2}, /* NO-BREAK SPACE */
                {"\xd8\x9b", 2, TETHER_ESCAPE_PRINTABLE, 0x061b, 2},
                {"\xd8\x9c", 2, TETHER_ESCAPE_BIDI, 0x061c, 2},
                {"\xe2\x80\x8d", 3, TETHER_ESCAPE_PRINTABLE, 0x200d, 3}, /* ZERO WIDTH JOINER */
                {"\xe2\x80\x8e", 3, TETHER_ESCAPE_BIDI, 0x200e, 3},
                {"\xe2\x80\x8f", 3, TETHER_ESCAPE_BIDI, 0x200f, 3},
                {"\xe2\x80\xa9", 3, TETHER_ESCAPE_PRINTABLE, 0x2029, 3},
                {"\xe2\x80\xaa", 3, TETHER_ESCAPE_BIDI, 0x202a, 3},
                {"\xe2\x80\xae", 3, TETHER_ESCAPE_BIDI, 0x202e, 3},
                {"\xe2\x80\xaf", 3, TETHER_ESCAPE_PRINTABLE, 0x202f, 3},
                {"\xe2\x81\xa5", 3, TETHER_ESCAPE_PRINTABLE, 0x2065, 3},
                {"\xe2\x81\xa6", 3, TETHER_ESCAPE_BIDI, 0x2066, 3},
                {"\xe2\x81\xa9", 3, TETHER_ESCAPE_BIDI, 0x2069, 3},
                {"\xe2\x81\xaa", 3, TETHER_ESCAPE_PRINTABLE, 0x206a, 3},
                {"\xef\xbf\xbd", 3, TETHER_ESCAPE_PRINTABLE, 0xfffd, 3},
                {"\xef\xbf\xbe", 3, TETHER_ESCAPE_NONCHARACTER, 0xfffe, 3},
                {"\xef\xbf\xbf", 3, TETHER_ESCAPE_NONCHARACTER, 0xffff, 3},
                {"\xf0\x9f\x98\x80", 4, TETHER_ESCAPE_PRINTABLE, 0x1f600, 4},
                /* Malformed: the byte itself, one at a time. */
                {"\x9b", 1, TETHER_ESCAPE_INVALID, 0x9b, 1},
                {"\xff", 1, TETHER_ESCAPE_INVALID, 0xff, 1},
                {"\xc0\xaf", 2, TETHER_ESCAPE_INVALID, 0xc0, 1},
                {"\xed\xa0\x80", 3, TETHER_ESCAPE_INVALID, 0xed, 1},
                /* Cut by the length, not by a NUL. */
                {"\xe2\x80\xae", 2, TETHER_ESCAPE_INVALID, 0xe2, 1},
                {"\xc2\x9b", 1, TETHER_ESCAPE_INVALID, 0xc2, 1},
        };

        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                uint32_t code = 0;
                size_t length = 0;
                enum tether_escape_class class =
                        tether_escape_classify(rows[i].text, rows[i].length, &code, &length);

                if (class != rows[i].class || code != rows[i].code || length != rows[i].code_length)
                        fail_msg("row %zu: class %d, U+%04X, length %zu; expected class %d, U+%04X, "
                                 "length %zu",
                                 i, (int)class, (unsigned)code, length, (int)rows[i].class,
                                 (unsigned)rows[i].code, rows[i].code_length);
        }
}

/* ---- what each format must never carry --------------------------------- */

typedef void escaper_function(struct strbuf *out, const char *s, size_t length, size_t max_chars);

/* Every character printable, but for the C0 controls in allowed_c0. */
static const char *check_classes(const char *s, const char *allowed_c0) {
        return hostile_raw_character(s, allowed_c0) ? "a character that is not printable" : NULL;
}

/* Every '&' starts one of the references given. */
static const char *check_references(const char *s, const char *const *references) {
        for (const char *amp = strchr(s, '&'); amp; amp = strchr(amp + 1, '&')) {
                bool known = false;

                for (size_t i = 0; references[i]; i++)
                        known = known || strncmp(amp, references[i], strlen(references[i])) == 0;
                if (!known)
                        return "a bare '&'";
        }
        return NULL;
}

/* Every backslash starts \\, \a \b \t \n \v \f \r, \xNN or \uNNNN. */
static const char *check_terminal(const char *s) {
        const char *problem = check_classes(s, "");

        if (problem)
                return problem;
        for (const char *p = strchr(s, '\\'); p; p = strchr(p, '\\')) {
                size_t digits = p[1] == 'x' ? 2 : p[1] == 'u' ? 4 : 0;

                if (digits == 0 && !strchr("\\abtnvfr", p[1]))
                        return "a backslash that escapes nothing";
                if (digits == 0 && p[1] == '\0')
                        return "a backslash at the end";
                for (size_t i = 0; i < digits; i++)
                        if (!strchr("0123456789abcdef", p[2 + i]) || p[2 + i] == '\0')
                                return "a \\x or \\u without its hex digits";
                p += 2 + digits;
        }
        return NULL;
}

static const char *check_html(const char *s) {
        static const char *const references[] = {"&amp;", "&lt;",     "&gt;", "&quot;",
                                                 "&#39;", "&#xFFFD;", NULL};

        if (strpbrk(s, "<>\"'"))
                return "a raw < > \" or '";
        if (strstr(s, FFFD))
                return "a raw U+FFFD";
        return check_classes(s, "\t\n\r") ?: check_references(s, references);
}

/* No punctuation without its backslash, no raw < >, no leading '#', and
 * every '@' not after a word character followed by a word joiner. */
static const char *check_markdown(const char *s) {
        static const char *const references[] = {"&amp;", "&lt;", "&gt;", NULL};
        const char *problem = check_classes(s, "") ?: check_references(s, references);

        if (problem)
                return problem;
        if (strpbrk(s, "<>"))
                return "a raw < or >";
        if (s[0] == '#')
                return "a leading '#'";
        for (size_t i = 0; s[i]; i++) {
                if (s[i] == '\\') {
                        if (!s[i + 1] || !strchr("\\`*_[]|~$#", s[i + 1]))
                                return "a backslash that escapes nothing";
                        i++;
                } else if (strchr("`*_[]|~$", s[i]))
                        return "Markdown punctuation without its backslash";
                else if (s[i] == '@' && strncmp(s + i + 1, WJ, strlen(WJ)) != 0 &&
                         !(i > 0 && (s[i - 1] == '_' || (s[i - 1] >= '0' && s[i - 1] <= '9') ||
                                     ((s[i - 1] | 0x20) >= 'a' && (s[i - 1] | 0x20) <= 'z'))))
                        return "an '@' that mentions";
        }
        return NULL;
}

static const char *check_xml_text(const char *s) {
        static const char *const references[] = {"&amp;", "&lt;", "&gt;", "&#13;", NULL};

        if (strpbrk(s, "<>"))
                return "a raw < or >";
        return check_classes(s, "\t\n") ?: check_references(s, references);
}

static const char *check_xml_attribute(const char *s) {
        static const char *const references[] = {"&amp;", "&lt;",  "&gt;",  "&quot;", "&apos;",
                                                 "&#9;",  "&#10;", "&#13;", NULL};

        if (strpbrk(s, "<>\"'"))
                return "a raw < > \" or '";
        return check_classes(s, "") ?: check_references(s, references);
}

static const char *check_json_text(const char *s) {
        return check_classes(s, "\t\n");
}

static const struct {
        const char *name;
        escaper_function *escape;
        size_t expected; /* offset of the row's expected output in struct hostile_string */
        const char *(*check)(const char *output);
} escapers[] = {
        {"terminal", tether_escape_terminal, offsetof(struct hostile_string, terminal), check_terminal},
        {"html", tether_escape_html, offsetof(struct hostile_string, html), check_html},
        {"markdown", tether_escape_markdown, offsetof(struct hostile_string, markdown), check_markdown},
        {"xml text", tether_escape_xml_text, offsetof(struct hostile_string, xml_text), check_xml_text},
        {"xml attribute", tether_escape_xml_attribute, offsetof(struct hostile_string, xml_attribute),
         check_xml_attribute},
        {"json text", tether_escape_json_text, offsetof(struct hostile_string, json_text), check_json_text},
};

static char *escaped(escaper_function *escape, const char *s, size_t length, size_t max_chars) {
        struct strbuf out = STRBUF_INIT;
        char *text;

        escape(&out, s, length, max_chars);
        text = strbuf_steal(&out);
        assert_non_null(text);
        return text;
}

/* ---- the table --------------------------------------------------------- */

static void test_hostile_strings(void **state) {
        for (size_t e = 0; e < ELEMENTSOF(escapers); e++)
                for (size_t i = 0; i < ELEMENTSOF(hostile_strings); i++) {
                        const struct hostile_string *row = &hostile_strings[i];
                        const char *expected =
                                *(const char *const *)((const char *)row + escapers[e].expected);
                        _cleanup_free_ char *output =
                                escaped(escapers[e].escape, row->text, strlen(row->text), 0);
                        const char *problem = escapers[e].check(output);

                        if (strcmp(output, expected) != 0)
                                fail_msg("%s, %s: got \"%s\", expected \"%s\"", escapers[e].name, row->name,
                                         output, expected);
                        if (problem)
                                fail_msg("%s, %s: %s in \"%s\"", escapers[e].name, row->name, problem,
                                         output);
                }
}

/* Each check finds what it is there to find. */
static void test_checks_can_fail(void **state) {
        static const struct {
                size_t escaper;
                const char *output;
        } rows[] = {
                /* terminal: raw controls, a backslash that escapes nothing or is cut short */
                {0, "\x1b]52"},
                {0, "\xc2\x9b"},
                {0, "x\xe2\x80\xaey"},
                {0, "\xff"},
                {0, "tab\t"},
                {0, "a\\q"},
                {0, "\\x1"},
                {0, "\\u20"},
                {0, "a\\"},
                /* HTML */
                {1, "<b>"},
                {1, "a & b"},
                {1, "\x1b"},
                {1, "x\xe2\x80\xaey"},
                {1, FFFD},
                /* Markdown */
                {2, "a|b"},
                {2, "# x"},
                {2, "\\q"},
                {2, "@all"},
                {2, "a\nb"},
                {2, "a&b"},
                /* XML text */
                {3, "a\rb"},
                {3, "&#1;"},
                {3, "\xc2\x85"},
                {3, "]]>"},
                /* XML attribute */
                {4, "a\tb"},
                {4, "'"},
                /* JSON text */
                {5, "a\rb"},
                {5, "\x7f"},
                {5, "\xed\xa0\x80"},
        };

        for (size_t i = 0; i < ELEMENTSOF(rows); i++)
                if (!escapers[rows[i].escaper].check(rows[i].output))
                        fail_msg("row %zu: the %s check lets \"%s\" through", i,
                                 escapers[rows[i].escaper].name, rows[i].output);
}

/* A fixed sequence of pseudo-random bytes, weighted to the ones that
 * matter, so a failure can be replayed. */
static uint32_t next_random(uint32_t *seed) {
        *seed = *seed * 1103515245u + 12345u;
        return *seed >> 8;
}

static void test_random_bytes(void **state) {
        static const unsigned char alphabet[] = {
                0x00, 0x07, 0x08, 0x09, 0x0a, 0x0d, 0x1b, 0x7f, '\\', '&',  '<',  '>',  '"',  '\'', '#',
                '@',  '|',  '*',  '_',  '`',  '[',  ']',  'a',  '0',  ' ',  0x80, 0x85, 0x9b, 0xa0, 0xa6,
                0xae, 0xbf, 0xc0, 0xc2, 0xd8, 0x9c, 0xe2, 0x81, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff,
        };
        uint32_t seed = 2026;

        for (unsigned round = 0; round < 20000; round++) {
                char text[16];
                size_t length = next_random(&seed) % sizeof(text);

                for (size_t i = 0; i < length; i++)
                        text[i] = (char)alphabet[next_random(&seed) % sizeof(alphabet)];
                for (size_t e = 0; e < ELEMENTSOF(escapers); e++) {
                        _cleanup_free_ char *output = escaped(escapers[e].escape, text, length, 0);
                        const char *problem = escapers[e].check(output);

                        if (problem)
                                fail_msg("%s, round %u: %s in \"%s\"", escapers[e].name, round, problem,
                                         output);
                }
        }
}

/* ---- cuts and lengths --------------------------------------------------- */

static void test_cut(void **state) {
        static const struct {
                size_t escaper;
                const char *text;
                size_t max_chars;
                const char *expected;
        } rows[] = {
                {0, "abcdef", 3, "abc\xe2\x80\xa6"},
                {0, "abc", 3, "abc"}, /* nothing left out: no ellipsis */
                {0, "abc", 0, "abc"},
                {0, "\xc3\xa9\xc3\xa9\xc3\xa9", 2,
                 "\xc3\xa9\xc3\xa9\xe2\x80\xa6"},                 /* characters, not bytes */
                {0, "\x1b\x1b\x1b", 2, "\\x1b\\x1b\xe2\x80\xa6"}, /* input characters, not output */
                {0, "\xff\xfe\xfd", 1, "\\xff\xe2\x80\xa6"},      /* a malformed byte is one */
                {1, "<<<", 2, "&lt;&lt;\xe2\x80\xa6"},
                {2, "|||", 1, "\\|\xe2\x80\xa6"},
                {3, "&&&", 1, "&amp;\xe2\x80\xa6"},
                {4, "\"\"", 1, "&quot;\xe2\x80\xa6"},
                {5, "\xe2\x80\xae\xe2\x80\xae", 1, FFFD "\xe2\x80\xa6"},
        };

        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                _cleanup_free_ char *output = escaped(escapers[rows[i].escaper].escape, rows[i].text,
                                                      strlen(rows[i].text), rows[i].max_chars);

                if (strcmp(output, rows[i].expected) != 0)
                        fail_msg("row %zu (%s): got \"%s\", expected \"%s\"", i,
                                 escapers[rows[i].escaper].name, output, rows[i].expected);
        }
}

/* The length given is the text: NUL bytes in it are characters, and a
 * sequence that runs past it is malformed. */
static void test_length(void **state) {
        static const char with_nul[] = "a\0b";
        static const struct {
                size_t escaper;
                const char *expected;
        } rows[] = {
                {0, "a\\x00b"},    {1, "a&#xFFFD;b"}, {2, "a" FFFD "b"},
                {3, "a" FFFD "b"}, {4, "a" FFFD "b"}, {5, "a" FFFD "b"},
        };

        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                _cleanup_free_ char *output =
                        escaped(escapers[rows[i].escaper].escape, with_nul, sizeof(with_nul) - 1, 0);

                assert_string_equal(output, rows[i].expected);
        }
        {
                _cleanup_free_ char *cut = escaped(tether_escape_terminal, "x\xe2\x80\xae", 3, 0);
                _cleanup_free_ char *none = escaped(tether_escape_terminal, "\x1b", 0, 0);

                assert_string_equal(cut, "x\\xe2\\x80");
                assert_string_equal(none, "");
        }
}

/* A strbuf past its limit stays failed, and says why. */
static void test_strbuf_limit(void **state) {
        for (size_t e = 0; e < ELEMENTSOF(escapers); e++) {
                struct strbuf out = {.limit = 8};

                escapers[e].escape(&out, "\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b", 8, 0);
                assert_true(out.failed);
                assert_true(out.too_big);
                assert_null(strbuf_steal(&out));
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_classify),
                cmocka_unit_test(test_hostile_strings),
                cmocka_unit_test(test_checks_can_fail),
                cmocka_unit_test(test_random_bytes),
                cmocka_unit_test(test_cut),
                cmocka_unit_test(test_length),
                cmocka_unit_test(test_strbuf_limit),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
