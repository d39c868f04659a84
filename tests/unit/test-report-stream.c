/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for controller/report-stream.c and report_views_read(): a
 * report read a host at a time is the report json_loadb() reads whole,
 * over a table of documents, good and broken: where the stream reader
 * takes a document, jansson takes it whole, the report less its hosts is
 * the same and every host comes in order, equal; where it leaves one to
 * the whole read (-EBADMSG), jansson refuses it or it has no "hosts"
 * array. Nesting is held to jansson's depth, counted from the document's
 * top. The views of the real reports of tests/unit/fixtures/reports/ and
 * their terminal, Markdown, JUnit and HTML renderings are those of the
 * whole read, and so is the JSON written a host at a time
 * (report_dump_*()); each host's text, given with it, reads as that host
 * alone.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cmd-report.h"
#include "fileio.h"
#include "macro.h"
#include "render.h"
#include "report-dump.h"
#include "report-stream.h"
#include "strbuf.h"
#include "test-util.h"

struct collected {
        json_t *hosts;
        struct report_dump dump; /* the hosts written as they came */
        int fail_at;             /* the index whose call fails with -ECANCELED; -1 for none */
};

/* The dump of value as report_write() writes it whole. */
static char *whole_dump(const json_t *value) {
        _cleanup_free_ char *dumped = json_dumps(value, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

        assert_non_null(dumped);
        return format("%s\n", dumped);
}

/* The same members in the same order: their dumps the same. */
static void assert_dumps_equal(const json_t *actual, const json_t *expected) {
        _cleanup_free_ char *a = whole_dump(actual), *e = whole_dump(expected);

        assert_string_equal(a, e);
}

static int collect(const json_t *host, const char *source, size_t length, size_t index, void *userdata) {
        struct collected *collected = userdata;
        json_t *again = json_loadb(source, length, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, NULL);

        /* The host's text is its whole value, no more. */
        assert_true(json_equal(again, host));
        json_decref(again);
        if ((int)index == collected->fail_at)
                return -ECANCELED;
        assert_int_equal(json_array_append(collected->hosts, (json_t *)host), 0);
        assert_int_equal(report_dump_host(&collected->dump, host), 0);
        return 0;
}

/* The stream read of text against json_loadb()'s whole read; returns
 * the stream read's result. */
static int check_against_whole(const char *text, size_t size) {
        struct collected collected = {
                .hosts = checked(json_array()), .dump = REPORT_DUMP_INIT, .fail_at = -1};
        json_t *whole = json_loadb(text, size, JSON_REJECT_DUPLICATES, NULL), *rest = NULL;
        int r = report_stream_read(text, size, collect, &collected, &rest);

        if (r == 0) {
                json_t *without_hosts;

                if (!whole)
                        fail_msg("the stream read takes what jansson refuses: %.*s",
                                 (int)(size < 200 ? size : 200), text);
                /* The same members in the same order, the hosts' place kept. */
                without_hosts = checked(json_copy(whole));
                assert_int_equal(json_object_set_new(without_hosts, "hosts", json_array()), 0);
                assert_dumps_equal(rest, without_hosts);
                assert_true(json_equal(collected.hosts, json_object_get(whole, "hosts")));
                /* Written a host at a time, the whole dump, byte for byte. */
                {
                        _cleanup_free_ char *streamed = report_dump_finish(&collected.dump, rest);
                        _cleanup_free_ char *expected = whole_dump(whole);

                        assert_non_null(streamed);
                        assert_string_equal(streamed, expected);
                }
                json_decref(without_hosts);
                json_decref(rest);
        } else {
                assert_int_equal(r, -EBADMSG);
                if (json_is_array(json_object_get(whole, "hosts")))
                        fail_msg("the stream read leaves to jansson a report it reads: %.*s",
                                 (int)(size < 200 ? size : 200), text);
        }
        json_decref(whole);
        json_decref(collected.hosts);
        report_dump_free(&collected.dump);
        return r;
}

static void test_documents(void **state) {
        static const struct {
                const char *text;
                int expected;
        } cases[] = {
                {"{\"hosts\": []}", 0},
                {" \t\r\n{ \"schema\" : \"tether.report/1\" , \"hosts\" : [ ] } \n", 0},
                {"{\"a\": 1, \"hosts\": [{\"name\": \"x\"}, {\"name\": \"y\"}], \"b\": [true, null, 1.5]}",
                 0},
                {"{\"hosts\": [1, \"two\", null, [3], {}]}", 0}, /* what a host is, is the renderings' */
                {"{\"h\\u006fsts\": [{\"name\": \"escaped key\"}]}", 0},
                {"{\"hosts\": [{\"name\": \"x\"}], \"n\": -0, \"m\": 1e-400}", 0},
                {"{\"hosts\":[{\"name\":\"x\"}],\"tail\":123}", 0},
                /* left to the whole read */
                {"", -EBADMSG},
                {"{}", -EBADMSG},
                {"[]", -EBADMSG},
                {"{\"hosts\": {}}", -EBADMSG},
                {"{\"hosts\": 1}", -EBADMSG},
                {"\xef\xbb\xbf{\"hosts\": []}", -EBADMSG},
                {"{\"hosts\": []} x", -EBADMSG},
                {"{\"hosts\": []}}", -EBADMSG},
                {"{\"hosts\": [], }", -EBADMSG},
                {"{\"hosts\": [1,]}", -EBADMSG},
                {"{\"hosts\": [1 2]}", -EBADMSG},
                {"{\"hosts\": [], \"hosts\": []}", -EBADMSG},
                {"{\"a\": 1, \"hosts\": [], \"a\": 2}", -EBADMSG},
                {"{\"hosts\": [{\"name\": \"x\", \"name\": \"y\"}]}", -EBADMSG},
                {"{\"hosts\": [\"\\u0000\"]}", -EBADMSG},
                {"{\"\\u0000\": 1, \"hosts\": []}", -EBADMSG},
                {"{\"hosts\": [\"\xff\"]}", -EBADMSG},
                {"{\"hosts\": [1e400]}", -EBADMSG},
                {"{\"hosts\": [99999999999999999999]}", -EBADMSG},
                {"{\"hosts\": [01]}", -EBADMSG},
                {"{1: 2, \"hosts\": []}", -EBADMSG},
                {"{\"hosts\" []}", -EBADMSG},
                {"{\"hosts\": [", -EBADMSG},
                {"{\"hosts\": [{\"name\": \"x\"", -EBADMSG},
                {"{\"hosts\": []", -EBADMSG},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                int r = check_against_whole(cases[i].text, strlen(cases[i].text));

                if (r != cases[i].expected)
                        fail_msg("case %zu (%s): %d, expected %d", i, cases[i].text, r, cases[i].expected);
        }
        /* A NUL byte after the document: jansson's json_loadb() refuses it. */
        assert_int_equal(check_against_whole("{\"hosts\": []}\0", 14), -EBADMSG);
}

/* A report whose one host nests depth levels (the host's object one of
 * them), a new string. */
static char *nested_report(size_t depth) {
        struct strbuf text = STRBUF_INIT;

        strbuf_append(&text, "{\"hosts\": [{\"x\": ");
        for (size_t i = 1; i < depth; i++)
                strbuf_append(&text, "[");
        for (size_t i = 1; i < depth; i++)
                strbuf_append(&text, "]");
        strbuf_append(&text, "}], \"deep\": ");
        for (size_t i = 0; i < 10; i++)
                strbuf_append(&text, "{\"a\":");
        strbuf_append(&text, "1");
        for (size_t i = 0; i < 10; i++)
                strbuf_append(&text, "}");
        strbuf_append(&text, "}");
        assert_false(text.failed);
        return strbuf_steal(&text);
}

/* jansson reads a document 2,048 levels deep, no deeper: a host sits two
 * levels down (the report, its "hosts"), so it may nest 2,046 more. */
static void test_depth(void **state) {
        _cleanup_free_ char *deepest = nested_report(2046), *too_deep = nested_report(2047);

        assert_int_equal(check_against_whole(deepest, strlen(deepest)), 0);
        assert_int_equal(check_against_whole(too_deep, strlen(too_deep)), -EBADMSG);
}

static void test_callback_error_stops(void **state) {
        static const char text[] = "{\"hosts\": [1, 2, 3], \"after\": true}";
        struct collected collected = {
                .hosts = checked(json_array()), .dump = REPORT_DUMP_INIT, .fail_at = 1};
        json_t *rest = (json_t *)&collected; /* untouched on failure */

        assert_int_equal(report_stream_read(text, strlen(text), collect, &collected, &rest), -ECANCELED);
        assert_ptr_equal(rest, &collected);
        assert_int_equal(json_array_size(collected.hosts), 1);
        json_decref(collected.hosts);
        report_dump_free(&collected.dump);
}

static const char *string_or_null(const char *s) {
        return s ? s : "(null)";
}

/* Every field of two views the same, the pointers aside. */
static void assert_views_equal(const struct host_view *a, const struct host_view *b) {
        const char *const fields_a[] = {a->name,        a->address,       a->verdict,      a->outcome,
                                        a->firewall,    a->dropin_state,  a->docker_state, a->os,
                                        a->error_stage, a->error_message, a->test_result,  a->skip_reason,
                                        a->reason,      a->watch};
        const char *const fields_b[] = {b->name,        b->address,       b->verdict,      b->outcome,
                                        b->firewall,    b->dropin_state,  b->docker_state, b->os,
                                        b->error_stage, b->error_message, b->test_result,  b->skip_reason,
                                        b->reason,      b->watch};

        for (size_t i = 0; i < ELEMENTSOF(fields_a); i++)
                assert_string_equal(string_or_null(fields_a[i]), string_or_null(fields_b[i]));
        assert_int_equal(a->heal_ms, b->heal_ms);
        assert_int_equal(a->watch_heals, b->watch_heals);
        assert_int_equal(a->watch_installed, b->watch_installed);
        assert_int_equal(a->watch_active, b->watch_active);
        assert_int_equal(a->changed, b->changed);
        assert_int_equal(a->may_have_changed, b->may_have_changed);
        assert_int_equal(a->needs_attention, b->needs_attention);
        assert_int_equal(a->rank, b->rank);
}

/* Every rendering of the report read a host at a time is the one of the
 * whole report, colors or not, and so is each made of its views. */
static void assert_renderings_equal(const json_t *whole, const char *text, size_t size, const json_t *rest,
                                    const struct host_view *views, size_t n) {
        static const char *const formats[] = {"text", "json", "markdown", "junit", "html"};

        for (size_t f = 0; f < ELEMENTSOF(formats); f++)
                for (int color = 0; color <= 1; color++) {
                        _cleanup_free_ char *from_whole = NULL, *from_views = NULL, *streamed = NULL;

                        assert_int_equal(report_render_to(whole, formats[f], color, &from_whole, NULL), 0);
                        assert_int_equal(report_render_stream(text, size, formats[f], color, &streamed), 1);
                        assert_string_equal(streamed, from_whole);
                        if (strcmp(formats[f], "json") == 0)
                                continue;
                        assert_int_equal(
                                report_render_views_to(rest, views, n, formats[f], color, &from_views), 0);
                        assert_string_equal(from_views, from_whole);
                }
        assert_int_equal(report_render_stream(text, size, "yaml", false, NULL), 0);
        assert_int_equal(report_render_views_to(rest, views, n, "json", false, NULL), -EINVAL);
        assert_int_equal(report_render_views_to(rest, views, n, "yaml", false, NULL), -EINVAL);
}

static void test_fixtures_read_as_whole(void **state) {
        static const char *const fixtures[] = {"audit", "apply", "test", "failures", "hostile"};

        for (size_t f = 0; f < ELEMENTSOF(fixtures); f++) {
                _cleanup_free_ char *path = format("tests/unit/fixtures/reports/%s.json", fixtures[f]);
                _cleanup_free_ char *text = NULL;
                struct host_view *whole_views = NULL, *views = NULL;
                size_t size, n_whole = 0, n = 0;
                json_t *whole = load_fixture(fixtures[f]), *rest = NULL;

                text = read_test_file(path, "a fixture of the tree", &size);
                assert_int_equal(check_against_whole(text, size), 0);
                assert_int_equal(report_views(whole, &whole_views, &n_whole), 0);
                assert_int_equal(report_views_read(text, size, &rest, &views, &n), 0);
                assert_int_equal(n, n_whole);
                for (size_t i = 0; i < n; i++) {
                        assert_null(views[i].json);
                        assert_views_equal(&views[i], &whole_views[i]);
                }
                assert_renderings_equal(whole, text, size, rest, views, n);
                free(whole_views);
                host_views_free(views, n);
                json_decref(rest);
                json_decref(whole);
        }
}

static void test_views_read_left_to_whole(void **state) {
        static const char text[] = "{\"hosts\": [{\"name\": \"x\"}], \"hosts\": []}";
        struct host_view *views = (struct host_view *)text;
        json_t *rest = (json_t *)text;
        size_t n = 7;

        assert_int_equal(report_views_read(text, strlen(text), &rest, &views, &n), -EBADMSG);
        assert_ptr_equal(views, text);
        assert_ptr_equal(rest, text);
        assert_int_equal(n, 7);
}

/* What the whole read must answer, report_render_stream() leaves to it. */
static void test_render_stream_left_to_whole(void **state) {
        static const char *const texts[] = {
                "{\"hosts\": [], \"hosts\": []}",
                "{\"schema\": \"tether.report/1\", \"hosts\": {}}",
                "{\"schema\": \"tether.report/2\", \"hosts\": []}",
                "{\"hosts\": []}",
                "[]",
        };
        static const char *const formats[] = {"text", "json", "markdown", "junit", "html"};

        for (size_t t = 0; t < ELEMENTSOF(texts); t++)
                for (size_t f = 0; f < ELEMENTSOF(formats); f++) {
                        char *ret = (char *)texts[t];

                        assert_int_equal(
                                report_render_stream(texts[t], strlen(texts[t]), formats[f], false, &ret),
                                0);
                        assert_ptr_equal(ret, texts[t]);
                }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_documents),
                cmocka_unit_test(test_depth),
                cmocka_unit_test(test_callback_error_stops),
                cmocka_unit_test(test_fixtures_read_as_whole),
                cmocka_unit_test(test_views_read_left_to_whole),
                cmocka_unit_test(test_render_stream_left_to_whole),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
