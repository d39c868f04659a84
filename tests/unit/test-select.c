/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/select.c: --limit patterns (names, globs, ranges,
 * tag:, '!', only '!', malformed and hostile patterns with the error code
 * and message) matched against a small fleet, and --shard (parsing, a
 * known answer, an even spread over 10,000 names, stability when hosts come
 * and go). Set TEST_VERBOSE=1 to print every error message checked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <fnmatch.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "hostlist.h"
#include "macro.h"
#include "select.h"
#include "strbuf.h"
#include "test-util.h"

/* Not a valid pointer: shows that a failing call left *ret alone. */
static struct tether_select *const untouched = (struct tether_select *)(uintptr_t)0x1;

static char *web_tags[] = {"web", "prod", NULL};
static char *canary_tags[] = {"web", "prod", "canary", NULL};
static char *staging_web_tags[] = {"web", "staging", NULL};
static char *web_only_tags[] = {"web", NULL};
static char *db_prod_tags[] = {"db", "prod", NULL};
static char *db_staging_tags[] = {"db", "staging", NULL};
static char *lb_tags[] = {"lb", "rack-1", NULL};
static char *no_tags[] = {NULL};

#define HOST(n, t) \
        { .name = (char *)(n), .tags = (t), .n_tags = ELEMENTSOF(t) - 1 }

static const struct tether_host fleet[] = {
        HOST("web-01", web_tags),      HOST("web-02", web_tags),
        HOST("web-03", canary_tags),   HOST("web-04", staging_web_tags),
        HOST("web-05", web_only_tags), HOST("web-13", no_tags),
        HOST("db-01", db_prod_tags),   HOST("db-02", db_staging_tags),
        HOST("lb", lb_tags),           HOST("n1", no_tags),
        HOST("n2", no_tags),           HOST("n3", no_tags),
};

/* The names of the fleet's hosts that pattern selects, joined by ' '. */
static char *selected(const char *pattern) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_select *select = NULL;
        struct strbuf out = STRBUF_INIT;
        char *s;
        int r;

        r = tether_select_parse(pattern, &select, &error);
        if (r < 0)
                print_error("'%s': unexpected error %d: %s\n", pattern, r, error.text);
        assert_int_equal(r, 0);
        assert_false(tether_error_is_set(&error));
        assert_non_null(select);
        for (size_t i = 0; i < ELEMENTSOF(fleet); i++)
                if (tether_select_match(select, &fleet[i])) {
                        if (out.length > 0)
                                strbuf_append(&out, " ");
                        strbuf_append(&out, fleet[i].name);
                }
        assert_null(tether_select_free(select));
        s = strbuf_steal(&out);
        assert_non_null(s);
        return s;
}

static void check_selected(const char *pattern, const char *expected) {
        _cleanup_free_ char *got = selected(pattern);

        if (strcmp(got, expected) != 0)
                print_error("'%s' selected '%s', expected '%s'\n", pattern, got, expected);
        assert_string_equal(got, expected);
}

static void parse_fails(const char *pattern, int code, const char *prefix, ...) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_select *select = untouched;
        va_list ap;
        int r;

        r = tether_select_parse(pattern, &select, &error);
        va_start(ap, prefix);
        check_error(&error, r, code, prefix, ap);
        va_end(ap);
        assert_ptr_equal(select, untouched);
}
#define assert_parse_fails(pattern, code, ...) parse_fails(pattern, code, __VA_ARGS__, (const char *)NULL)

static void shard_fails(const char *text, int code, const char *prefix, ...) {
        struct tether_error error = TETHER_ERROR_INIT;
        unsigned index = 777, count = 888;
        va_list ap;
        int r;

        r = tether_shard_parse(text, &index, &count, &error);
        va_start(ap, prefix);
        check_error(&error, r, code, prefix, ap);
        va_end(ap);
        assert_int_equal(index, 777);
        assert_int_equal(count, 888);
}
#define assert_shard_fails(text, code, ...) shard_fails(text, code, __VA_ARGS__, (const char *)NULL)

/* ---- selection ------------------------------------------------------ */

static void test_names(void **state) {
        check_selected("web-01", "web-01");
        check_selected("lb", "lb");
        check_selected("db-01,web-01", "web-01 db-01");
        check_selected("web-01,web-01", "web-01");
        check_selected("nonexistent", "");
        /* Exact, not a prefix or a substring; case-sensitive. */
        check_selected("web-0", "");
        check_selected("eb-01", "");
        check_selected("WEB-01", "");
}

static void test_globs(void **state) {
        check_selected("web-*", "web-01 web-02 web-03 web-04 web-05 web-13");
        check_selected("web-0?", "web-01 web-02 web-03 web-04 web-05");
        check_selected("*", "web-01 web-02 web-03 web-04 web-05 web-13 db-01 db-02 lb n1 n2 n3");
        check_selected("*-1?", "web-13");
        check_selected("?b*", "db-01 db-02 lb");
        /* Brackets that are not ranges are glob classes. */
        check_selected("web-0[!1-3]", "web-04 web-05");
        check_selected("n[a-z]", "");
        check_selected("[dl]*", "db-01 db-02 lb");
        check_selected("db-0[1-2],l[a-c]", "db-01 db-02 lb");
        /* A comma inside a glob class belongs to it. */
        check_selected("n[!,2]", "n1 n3");
}

static void test_ranges(void **state) {
        check_selected("web-[01-03,05]", "web-01 web-02 web-03 web-05");
        check_selected("web-[01-02],db-[01-02]", "web-01 web-02 db-01 db-02");
        check_selected("n[1-2]", "n1 n2");
        check_selected("n[2-99]", "n2 n3");
        /* A bracket of digits is a range: [12] is twelve, not 1 or 2. */
        check_selected("n[12]", "");
        check_selected("web-[13]", "web-13");
        check_selected("web-[1-13]", "web-13"); /* unpadded: web-1 .. web-13, of which web-13 exists */
        check_selected("web-[01-13]", "web-01 web-02 web-03 web-04 web-05 web-13");
        /* Ranges with globs, and with glob classes. */
        check_selected("web-[0-1]*", "web-01 web-02 web-03 web-04 web-05 web-13");
        check_selected("[a-z]b-[01-02]", "db-01 db-02");
        check_selected("web-[1-5]*", "web-13");
        check_selected("web-[0-999999]*", "web-01 web-02 web-03 web-04 web-05 web-13");
}

/* The names of the fleet that pattern's expansion selects, each expanded
 * glob tried with fnmatch(): what a range in a glob means. */
static char *selected_by_expansion(const char *pattern) {
        struct tether_error error = TETHER_ERROR_INIT;
        char **expanded = NULL, *joined = calloc(1, 4096);
        size_t n = 0;

        assert_non_null(joined);
        assert_int_equal(tether_hostlist_expand_glob(pattern, NULL, &expanded, &n, &error), 0);
        for (size_t h = 0; h < ELEMENTSOF(fleet); h++)
                for (size_t i = 0; i < n; i++)
                        if (fnmatch(expanded[i], fleet[h].name, 0) == 0) {
                                strcat(strcat(joined, *joined ? " " : ""), fleet[h].name);
                                break;
                        }
        strv_free(expanded);
        return joined;
}

/* Ranges in globs are matched number by number, without expanding them
 * ("db-[0-999999]*" would be a million globs): the same hosts as the
 * expansion, padded or not. */
static void test_ranges_in_globs(void **state) {
        static const char *const patterns[] = {
                "web-[1-5]*",  "web-[01-05]*", "web-[0-99]?",    "web-[00-99]*", "web-[13,1]?",
                "*-[1-13]",    "n[1-2]*",      "?[1,3-9]*",      "*[0-9]",       "*[0-99]",
                "*[00-13]",    "web-[0-1]*",   "[a-z]b-[01-02]", "[dl]b-[0]?",   "web-[001-013]*",
                "web-[1,01]*", "*[1-3]*",      "?[!e]-[1-2]*",   "w*[0-9][0-9]", "web-[00-01][1-3]",
        };

        for (size_t i = 0; i < ELEMENTSOF(patterns); i++) {
                _cleanup_free_ char *expected = selected_by_expansion(patterns[i]);

                check_selected(patterns[i], expected);
        }
}

static void test_tags(void **state) {
        check_selected("tag:prod", "web-01 web-02 web-03 db-01");
        check_selected("tag:web,tag:db", "web-01 web-02 web-03 web-04 web-05 db-01 db-02");
        check_selected("tag:st*", "web-04 db-02");
        check_selected("tag:*", "web-01 web-02 web-03 web-04 web-05 db-01 db-02 lb");
        check_selected("tag:rack-[1-2]", "lb");
        check_selected("tag:rack-[!1]", "");
        check_selected("tag:nope", "");
        /* A tag: term is not a name; a bare name is also a tag (an Ansible
         * group), but a glob matches names only. */
        check_selected("tag:web-01", "");
        check_selected("prod", "web-01 web-02 web-03 db-01");
        check_selected("pro*", "");
        check_selected("rack-[1-2]", "lb");
        check_selected("lb", "lb");
        check_selected("!prod", "web-04 web-05 web-13 db-02 lb n1 n2 n3");
        /* Names and tags together. */
        check_selected("tag:db,lb,n3", "db-01 db-02 lb n3");
}

static void test_negation(void **state) {
        check_selected("web-*,!web-03", "web-01 web-02 web-04 web-05 web-13");
        check_selected("tag:prod,!tag:canary", "web-01 web-02 db-01");
        check_selected("web-*,!tag:staging,!web-05", "web-01 web-02 web-03 web-13");
        check_selected("tag:web,!web-[01-03]", "web-04 web-05");
        /* An exclusion wins, wherever it stands. */
        check_selected("web-01,!web-01", "");
        check_selected("!web-01,web-01", "");
        check_selected("!web-01,web-0[1-2]", "web-02");
}

static void test_intersection(void **state) {
        check_selected("tag:web,&tag:prod", "web-01 web-02 web-03");
        check_selected("web,&prod", "web-01 web-02 web-03");
        check_selected("&tag:prod,tag:web", "web-01 web-02 web-03");
        check_selected("tag:web,&tag:prod,!tag:canary", "web-01 web-02");
        check_selected("web-*,&tag:staging", "web-04");
        check_selected("tag:web,&tag:prod,&db-*", "");
        check_selected("db-*,lb,&tag:prod", "db-01");
        /* '&' alone keeps what it matches of every host. */
        check_selected("&tag:staging", "web-04 db-02");
        check_selected("&web-0[1-2],&tag:prod", "web-01 web-02");
        check_selected("&nope", "");
}

static void test_only_negative(void **state) {
        check_selected("!web-*", "db-01 db-02 lb n1 n2 n3");
        check_selected("!tag:prod,!lb", "web-04 web-05 web-13 db-02 n1 n2 n3");
        check_selected("!*", "");
        check_selected("!nonexistent", "web-01 web-02 web-03 web-04 web-05 web-13 db-01 db-02 lb n1 n2 n3");
        check_selected("!tag:*", "web-13 n1 n2 n3");
}

static void test_match_edges(void **state) {
        struct tether_host untagged = {.name = (char *)"n1", .tags = NULL, .n_tags = 0};
        struct tether_select *select = NULL;

        assert_null(tether_select_free(NULL));
        assert_int_equal(tether_select_parse("!tag:x", &select, NULL), 0);
        /* A host without a tags array is a host without tags. */
        assert_true(tether_select_match(select, &untagged));
        assert_false(tether_select_match(NULL, &untagged));
        assert_false(tether_select_match(select, NULL));
        select = tether_select_free(select);
        assert_null(select);
}

static void test_malformed(void **state) {
        assert_parse_fails(
                "", -EINVAL,
                "empty host pattern: give host names, globs (web-*), ranges (web-[01-05]) or tag:GLOB, "
                "separated by ','");
        assert_parse_fails(NULL, -EINVAL, "empty host pattern");
        assert_parse_fails(
                "web,,db", -EINVAL,
                "host pattern \"web,,db\": term 2 is empty: a ',' with nothing before or after it");
        assert_parse_fails(",web", -EINVAL, "host pattern \",web\": term 1 is empty");
        assert_parse_fails("web,", -EINVAL, "host pattern \"web,\": term 2 is empty");
        assert_parse_fails(",", -EINVAL, "host pattern \",\": term 1 is empty");

        /* Characters outside the allowed set, named. */
        assert_parse_fails(
                "web;reboot", -EINVAL,
                "host pattern term \"web;reboot\": ';' is not allowed: a term is made of letters, digits "
                "and . _ - * ? ! & [ ] : (a name, a glob, a range such as web-[01-05] or tag:GLOB, '!' "
                "before it to exclude, '&' to intersect)");
        assert_parse_fails("web-01, db-01", -EINVAL, "host pattern term \" db-01\": ' ' is not allowed");
        assert_parse_fails("$(reboot)", -EINVAL, "host pattern term \"$(reboot)\": '$' is not allowed");
        assert_parse_fails("web`id`", -EINVAL, "host pattern term \"web`id`\": '`' is not allowed");
        assert_parse_fails("web\n", -EINVAL, "host pattern term \"web\\x0a\": \\x0a is not allowed");
        assert_parse_fails("web/01", -EINVAL, "host pattern term \"web/01\": '/' is not allowed");
        assert_parse_fails("web\\*", -EINVAL, "host pattern term \"web\\\\*\": '\\' is not allowed");
        assert_parse_fails("w\xc3\xa9"
                           "b",
                           -EINVAL, "host pattern term \"w\\xc3\\xa9b\": \\xc3 is not allowed");
        assert_parse_fails("tag:a^b", -EINVAL, "host pattern term \"tag:a^b\": '^' is not allowed");
        assert_parse_fails(
                "web-01,db&prod", -EINVAL,
                "host pattern term \"db&prod\": '&' only starts a term (&NAME, &tag:GLOB: hosts must "
                "match it too)");
        assert_parse_fails("&", -EINVAL,
                           "host pattern term \"&\": nothing after '&': write &NAME, &GLOB or &tag:GLOB");
        assert_parse_fails("&&web", -EINVAL, "host pattern term \"&&web\": '&' only starts a term");
        assert_parse_fails("!&web", -EINVAL, "host pattern term \"!&web\": '&' only starts a term");
        assert_parse_fails("&tag:", -EINVAL, "host pattern term \"&tag:\": no glob after \"tag:\"");

        /* '!' and ':' out of place. */
        assert_parse_fails("!", -EINVAL,
                           "host pattern term \"!\": nothing after '!': write !NAME, !GLOB or "
                           "!tag:GLOB");
        assert_parse_fails(
                "!!web", -EINVAL,
                "host pattern term \"!!web\": '!' only starts a term (to exclude) or follows '[' (a glob "
                "class such as [!0-9])");
        assert_parse_fails("web!", -EINVAL, "host pattern term \"web!\": '!' only starts a term");
        assert_parse_fails("web-[1!]", -EINVAL, "host pattern term \"web-[1!]\": '!' only starts a term");
        assert_parse_fails(
                "foo:bar", -EINVAL,
                "host pattern term \"foo:bar\": ':' only follows \"tag\" (tag:GLOB, matching the host's "
                "tags)");
        assert_parse_fails("TAG:web", -EINVAL, "host pattern term \"TAG:web\": ':' only follows \"tag\"");
        assert_parse_fails("tag:a:b", -EINVAL, "host pattern term \"tag:a:b\": ':' only follows \"tag\"");
        assert_parse_fails(":web", -EINVAL, "host pattern term \":web\": ':' only follows \"tag\"");
        assert_parse_fails("xtag:web", -EINVAL, "host pattern term \"xtag:web\": ':' only follows \"tag\"");
        assert_parse_fails("tag:", -EINVAL,
                           "host pattern term \"tag:\": no glob after \"tag:\": write tag:web or "
                           "tag:rack-*");
        assert_parse_fails("!tag:", -EINVAL, "host pattern term \"!tag:\": no glob after \"tag:\"");

        /* Brackets: ranges are checked, positions count in the term. */
        assert_parse_fails(
                "db,web-[5-1]", -EINVAL,
                "host pattern term \"web-[5-1]\": reversed range \"5-1\" in \"[5-1]\": the start is "
                "greater than the end");
        assert_parse_fails("!tag:rack[", -EINVAL,
                           "host pattern term \"!tag:rack[\": '[' at position 10 is not closed by a ']'");
        assert_parse_fails("web-[01-05", -EINVAL,
                           "host pattern term \"web-[01-05\": '[' at position 5 is not closed by a ']'");
        assert_parse_fails("web-01]", -EINVAL,
                           "host pattern term \"web-01]\": ']' at position 7 without a '[' before it");
        assert_parse_fails("web-[01-5]", -EINVAL, "host pattern term \"web-[01-5]\": range \"01-5\"",
                           "mixes widths");
        assert_parse_fails("web-[1,,2]", -EINVAL,
                           "host pattern term \"web-[1,,2]\": empty range in \"[1,,2]\"");
        assert_parse_fails("web-[1-2-3]", -EINVAL,
                           "host pattern term \"web-[1-2-3]\": malformed range \"1-2-3\"");
        assert_parse_fails("web-[]", -EINVAL,
                           "host pattern term \"web-[]\": '[' at position 5 is not closed");
        assert_parse_fails("n[1-1000000000000000000]", -E2BIG,
                           "host pattern term \"n[1-1000000000000000000]\": ", "has more than 18 digits");
}

static void test_limits(void **state) {
        _cleanup_free_ char *pattern = malloc(TETHER_SELECT_PATTERN_MAX + 2);
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_select *select = NULL;

        assert_non_null(pattern);
        /* TETHER_SELECT_PATTERN_MAX bytes are fine (32,768 terms), one
         * more is not. */
        for (size_t i = 0; i < TETHER_SELECT_PATTERN_MAX; i += 2)
                memcpy(pattern + i, "a,", 2);
        pattern[TETHER_SELECT_PATTERN_MAX - 1] = 'b';
        pattern[TETHER_SELECT_PATTERN_MAX] = '\0';
        assert_int_equal(tether_select_parse(pattern, &select, &error), 0);
        select = tether_select_free(select);
        pattern[TETHER_SELECT_PATTERN_MAX] = 'c';
        pattern[TETHER_SELECT_PATTERN_MAX + 1] = '\0';
        assert_parse_fails(pattern, -E2BIG, "host pattern \"a,a,a,", "\"... is longer than 65536 bytes");

        /* A term, like a name, has at most 253 characters. */
        memset(pattern, 'a', TETHER_HOSTLIST_NAME_MAX + 1);
        pattern[TETHER_HOSTLIST_NAME_MAX] = '\0';
        assert_int_equal(tether_select_parse(pattern, &select, &error), 0);
        select = tether_select_free(select);
        pattern[TETHER_HOSTLIST_NAME_MAX] = '*';
        pattern[TETHER_HOSTLIST_NAME_MAX + 1] = '\0';
        assert_parse_fails(pattern, -E2BIG, "host pattern term \"aaaa",
                           "\"...: names longer than 253 characters");

        /* Ranges expand to TETHER_HOSTLIST_MAX names in all, no more. */
        assert_int_equal(tether_select_parse("a[1-500000],b[1-500000]", &select, &error), 0);
        select = tether_select_free(select);
        assert_false(tether_error_is_set(&error));
        assert_parse_fails(
                "a[1-500000],b[0-500000]", -E2BIG,
                "host pattern term \"b[0-500000]\": with the terms before it, the ranges expand to "
                "more than 1000000 names");
        assert_parse_fails("a[0-1000000]", -E2BIG,
                           "host pattern term \"a[0-1000000]\": ", "expands to more than 1000000 names");
}

static void test_large_fleet(void **state) {
        const size_t n = 100000;
        _cleanup_free_ struct tether_host *hosts = calloc(n, sizeof(*hosts));
        _cleanup_free_ char *names = malloc(n * 16);
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_select *select = NULL;
        size_t count = 0;

        assert_non_null(hosts);
        assert_non_null(names);
        for (size_t i = 0; i < n; i++) {
                snprintf(names + 16 * i, 16, "h%06u", (unsigned)(i % 1000000));
                hosts[i] = (struct tether_host){.name = names + 16 * i, .tags = no_tags};
        }
        /* 50,000 exact names: found by binary search, not one by one. */
        assert_int_equal(tether_select_parse("h[000000-049999],!h[000010-000019]", &select, &error), 0);
        for (size_t i = 0; i < n; i++)
                count += tether_select_match(select, &hosts[i]);
        assert_int_equal(count, 50000 - 10);
        select = tether_select_free(select);
}

/* ---- sharding ------------------------------------------------------- */

static void check_shard(const char *text, unsigned index, unsigned count) {
        struct tether_error error = TETHER_ERROR_INIT;
        unsigned got_index = 777, got_count = 888;
        int r;

        r = tether_shard_parse(text, &got_index, &got_count, &error);
        if (r < 0)
                print_error("'%s': unexpected error %d: %s\n", text, r, error.text);
        assert_int_equal(r, 0);
        assert_false(tether_error_is_set(&error));
        assert_int_equal(got_index, index);
        assert_int_equal(got_count, count);
}

static void test_shard_parse(void **state) {
        check_shard("1/1", 0, 1);
        check_shard("1/4", 0, 4);
        check_shard("4/4", 3, 4);
        check_shard("2/3", 1, 3);
        check_shard("1/10000", 0, 10000);
        check_shard("10000/10000", 9999, 10000);
        check_shard("0004/00004", 3, 4); /* leading zeros are just digits */

        assert_shard_fails("", -EINVAL,
                           "shard \"\": expected K/N, two numbers such as 2/4 (the second of 4 shards)");
        assert_shard_fails(NULL, -EINVAL, "shard \"\": expected K/N");
        assert_shard_fails("4", -EINVAL, "shard \"4\": expected K/N");
        assert_shard_fails("1/", -EINVAL, "shard \"1/\": expected K/N");
        assert_shard_fails("/4", -EINVAL, "shard \"/4\": expected K/N");
        assert_shard_fails("/", -EINVAL, "shard \"/\": expected K/N");
        assert_shard_fails("a/4", -EINVAL, "shard \"a/4\": expected K/N");
        assert_shard_fails("1/4x", -EINVAL, "shard \"1/4x\": expected K/N");
        assert_shard_fails("+1/4", -EINVAL, "shard \"+1/4\": expected K/N");
        assert_shard_fails("-1/4", -EINVAL, "shard \"-1/4\": expected K/N");
        assert_shard_fails(" 1/4", -EINVAL, "shard \" 1/4\": expected K/N");
        assert_shard_fails("1/ 4", -EINVAL, "shard \"1/ 4\": expected K/N");
        assert_shard_fails("1/4 ", -EINVAL, "shard \"1/4 \": expected K/N");
        assert_shard_fails("1//4", -EINVAL, "shard \"1//4\": expected K/N");
        assert_shard_fails("1/4/4", -EINVAL, "shard \"1/4/4\": expected K/N");
        assert_shard_fails("1.0/4", -EINVAL, "shard \"1.0/4\": expected K/N");
        assert_shard_fails("0x1/4", -EINVAL, "shard \"0x1/4\": expected K/N");
        assert_shard_fails("1/4\n", -EINVAL, "shard \"1/4\\x0a\": expected K/N");
        assert_shard_fails("1of4", -EINVAL, "shard \"1of4\": expected K/N");

        assert_shard_fails("1/0", -ERANGE, "shard \"1/0\": N must be between 1 and 10000");
        assert_shard_fails("0/0", -ERANGE, "shard \"0/0\": N must be between 1 and 10000");
        assert_shard_fails("1/10001", -ERANGE, "shard \"1/10001\": N must be between 1 and 10000");
        assert_shard_fails("1/99999999999999999999999999", -ERANGE,
                           "shard \"1/99999999999999999999999999\": N must "
                           "be between 1 and 10000");
        assert_shard_fails("0/4", -ERANGE, "shard \"0/4\": K must be between 1 and N (4)");
        assert_shard_fails("5/4", -ERANGE, "shard \"5/4\": K must be between 1 and N (4)");
        assert_shard_fails("10001/10000", -ERANGE,
                           "shard \"10001/10000\": K must be between 1 and N (10000)");
        assert_shard_fails("4294967297/4", -ERANGE, "shard \"4294967297/4\": K must be between 1 and N (4)");
}

static void test_shard_parse_long(void **state) {
        _cleanup_free_ char *text = malloc(202);

        assert_non_null(text);
        memset(text, '1', 201);
        text[100] = '/';
        text[201] = '\0';
        /* Quoted cut, range checked without overflow. */
        assert_shard_fails(text, -ERANGE, "shard \"1111", "\"...: N must be between 1 and 10000");
}

static void test_shard_of(void **state) {
        /* Known answers: SHA-256("web-01") starts 0b9d9f06cc8cf447,
         * SHA-256("db-01") 82cf7f0efd2059fa, SHA-256("") e3b0c44298fc1c14. */
        assert_int_equal(tether_shard_of("web-01", 4), 0x0b9d9f06cc8cf447u % 4);
        assert_int_equal(tether_shard_of("web-01", 4), 3);
        assert_int_equal(tether_shard_of("web-01", 7), 2);
        assert_int_equal(tether_shard_of("web-01", 10000), 87);
        assert_int_equal(tether_shard_of("db-01", 4), 2);
        assert_int_equal(tether_shard_of("db-01", 10000), 3002);
        assert_int_equal(tether_shard_of("db-01", UINT32_MAX), 2146425097u);
        assert_int_equal(tether_shard_of("", 7), 1);
        /* One shard, or none given: everything in shard 0. */
        assert_int_equal(tether_shard_of("web-01", 1), 0);
        assert_int_equal(tether_shard_of("web-01", 0), 0);
        for (unsigned count = 1; count <= 50; count++)
                assert_true(tether_shard_of("web-02", count) < count);
}

static void test_shard_distribution(void **state) {
        unsigned counts[4] = {0}, counts_7[7] = {0};
        char name[32];

        for (unsigned i = 0; i < 10000; i++) {
                snprintf(name, sizeof(name), "host-%05u", i);
                counts[tether_shard_of(name, 4)]++;
                counts_7[tether_shard_of(name, 7)]++;
        }
        for (unsigned k = 0; k < 4; k++) {
                if (getenv("TEST_VERBOSE"))
                        print_message("    shard %u/4: %u names\n", k + 1, counts[k]);
                assert_in_range(counts[k], 2250, 2750);
        }
        for (unsigned k = 0; k < 7; k++)
                assert_in_range(counts_7[k], 10000 / 7 * 9 / 10, 10000 / 7 * 11 / 10);
}

static void test_shard_stability(void **state) {
        unsigned before[10000];
        char name[32];

        for (unsigned i = 0; i < 10000; i++) {
                snprintf(name, sizeof(name), "host-%05u", i);
                before[i] = tether_shard_of(name, 4);
        }
        /* Remove every other host, and look again at those that are left,
         * in another order: none has moved. */
        for (unsigned i = 10000; i-- > 0;) {
                if (i % 2)
                        continue;
                snprintf(name, sizeof(name), "host-%05u", i);
                assert_int_equal(tether_shard_of(name, 4), before[i]);
        }
        /* Each shard keeps about half its hosts: none empties. */
        for (unsigned k = 0; k < 4; k++) {
                unsigned left = 0;

                for (unsigned i = 0; i < 10000; i += 2)
                        left += before[i] == k;
                assert_in_range(left, 1000, 1500);
        }
}

/* A --shard and a --limit together, as the controller uses them: the
 * shards of the selected hosts are disjoint and cover them all. */
static void test_shard_with_select(void **state) {
        struct tether_select *select = NULL;
        unsigned index, count, covered = 0, selected_count = 0;

        assert_int_equal(tether_select_parse("web-*,!tag:canary", &select, NULL), 0);
        for (unsigned k = 1; k <= 3; k++) {
                char text[16];

                snprintf(text, sizeof(text), "%u/3", k);
                assert_int_equal(tether_shard_parse(text, &index, &count, NULL), 0);
                for (size_t i = 0; i < ELEMENTSOF(fleet); i++)
                        if (tether_select_match(select, &fleet[i]) &&
                            tether_shard_of(fleet[i].name, count) == index)
                                covered++;
        }
        for (size_t i = 0; i < ELEMENTSOF(fleet); i++)
                selected_count += tether_select_match(select, &fleet[i]);
        assert_int_equal(selected_count, 5);
        assert_int_equal(covered, selected_count);
        tether_select_free(select);
}

static void test_pattern_of_list(void **state) {
        static const struct {
                const char *text, *pattern; /* pattern NULL: refused */
        } rows[] = {
                {"web-01\n", "web-01"},
                {"web-01\ndb-02\n", "web-01,db-02"},
                {"web-01\r\n  db-02 \t\n\n# a comment\n\tlb", "web-01,db-02,lb"},
                {"tag:prod\n!web-03\n", "tag:prod,!web-03"},
                {"", NULL},
                {"\n\n  \n# only a comment\n", NULL},
        };

        (void)state;
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                struct tether_error error = TETHER_ERROR_INIT;
                char *pattern = (char *)untouched;
                int r = tether_select_pattern_of_list(rows[i].text, "retry.txt", &pattern, &error);

                if (!rows[i].pattern) {
                        assert_int_equal(r, -EINVAL);
                        assert_ptr_equal(pattern, untouched);
                        assert_string_equal(
                                error.text,
                                "retry.txt names no host: write one host name or pattern a line");
                        continue;
                }
                assert_int_equal(r, 0);
                assert_string_equal(pattern, rows[i].pattern);
                free(pattern);
        }
        /* What a retry file selects. */
        {
                char *pattern = NULL;

                assert_int_equal(tether_select_pattern_of_list("db-02\nweb-04\n", "f", &pattern, NULL), 0);
                check_selected(pattern, "web-04 db-02");
                free(pattern);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_names),
                cmocka_unit_test(test_globs),
                cmocka_unit_test(test_ranges),
                cmocka_unit_test(test_tags),
                cmocka_unit_test(test_negation),
                cmocka_unit_test(test_intersection),
                cmocka_unit_test(test_ranges_in_globs),
                cmocka_unit_test(test_pattern_of_list),
                cmocka_unit_test(test_only_negative),
                cmocka_unit_test(test_match_edges),
                cmocka_unit_test(test_malformed),
                cmocka_unit_test(test_limits),
                cmocka_unit_test(test_large_fleet),
                cmocka_unit_test(test_shard_parse),
                cmocka_unit_test(test_shard_parse_long),
                cmocka_unit_test(test_shard_of),
                cmocka_unit_test(test_shard_distribution),
                cmocka_unit_test(test_shard_stability),
                cmocka_unit_test(test_shard_with_select),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
