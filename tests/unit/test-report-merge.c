/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for report_merge_files(), the merge of a run's shards read a
 * host at a time: the real reports of tests/unit/fixtures/reports/, cut
 * into shards of their own (each with its run id, times, interruption and
 * options.shard), merge byte for byte into what merging the whole
 * documents with jansson writes; and the first report at fault, with its
 * first fault, names the problem, in the order a whole read finds them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cmd-report.h"
#include "fileio.h"
#include "macro.h"
#include "report.h"
#include "strbuf.h"
#include "test-util.h"

#define MAX_SHARDS 4

static char *dump_whole(const json_t *report) {
        _cleanup_free_ char *dumped = json_dumps(report, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

        assert_non_null(dumped);
        return format("%s\n", dumped);
}

/* The merge of the whole documents: each read whole, the first copied,
 * every host appended to it. The reference the host-at-a-time merge must
 * write byte for byte. */
static char *merge_whole(json_t *const *reports, size_t n) {
        json_t *merged = checked(json_deep_copy(reports[0])), *hosts = checked(json_array());
        json_t *run_ids = checked(json_array());
        json_int_t duration_ms = 0;
        bool interrupted = false;
        char *text;

        for (size_t i = 0; i < n; i++) {
                const char *started = json_string_value(json_object_get(reports[i], "started_at"));
                const char *finished = json_string_value(json_object_get(reports[i], "finished_at"));

                assert_int_equal(json_array_extend(hosts, json_object_get(reports[i], "hosts")), 0);
                assert_int_equal(json_array_append(run_ids, json_object_get(reports[i], "run_id")), 0);
                if (strcmp(started, json_string_value(json_object_get(merged, "started_at"))) < 0)
                        json_object_set(merged, "started_at", json_object_get(reports[i], "started_at"));
                if (strcmp(finished, json_string_value(json_object_get(merged, "finished_at"))) > 0)
                        json_object_set(merged, "finished_at", json_object_get(reports[i], "finished_at"));
                if (json_integer_value(json_object_get(reports[i], "duration_ms")) > duration_ms)
                        duration_ms = json_integer_value(json_object_get(reports[i], "duration_ms"));
                interrupted = interrupted || json_is_true(json_object_get(reports[i], "interrupted"));
        }
        json_object_set_new(merged, "hosts", hosts);
        json_object_set_new(merged, "summary", report_summary(hosts));
        json_object_set_new(merged, "merged_from", run_ids);
        json_object_set_new(merged, "interrupted", json_boolean(interrupted));
        json_object_set_new(merged, "duration_ms", json_integer(duration_ms));
        json_object_del(json_object_get(merged, "options"), "shard");
        text = dump_whole(merged);
        json_decref(merged);
        return text;
}

/* Shard k of n of report: every n-th host from the k-th, with its own run
 * id, times, duration and options.shard; of several, the first
 * interrupted (so that a later one's "false" must not win). */
static json_t *cut_shard(const json_t *report, size_t k, size_t n) {
        json_t *shard = checked(json_deep_copy(report)), *hosts = checked(json_array());
        const json_t *host;
        size_t i;

        json_array_foreach(json_object_get(report, "hosts"), i, host) {
                if (i % n == k)
                        assert_int_equal(json_array_append(hosts, (json_t *)host), 0);
        }
        json_object_set_new(shard, "hosts", hosts);
        json_object_set_new(shard, "summary", report_summary(hosts));
        json_object_set_new(shard, "run_id", json_sprintf("run-%zu-of-%zu", k + 1, n));
        json_object_set_new(shard, "started_at", json_sprintf("2026-11-27T20:05:%02zuZ", 30 - k));
        json_object_set_new(shard, "finished_at", json_sprintf("2026-11-27T20:06:%02zuZ", 10 + k * 7 % 5));
        json_object_set_new(shard, "duration_ms", json_integer((json_int_t)(1000 + k * 250 % 700)));
        json_object_set_new(shard, "interrupted", json_boolean(n > 1 && k == 0));
        json_object_set_new(json_object_get(shard, "options"), "shard", json_sprintf("%zu/%zu", k + 1, n));
        return shard;
}

static void write_reports(json_t *const *reports, size_t n, char **paths) {
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *text = dump_whole(reports[i]);

                paths[i] = write_temporary_file("merge", text, strlen(text));
        }
}

static void remove_reports(char **paths, size_t n) {
        for (size_t i = 0; i < n; i++) {
                unlink(paths[i]);
                free(paths[i]);
        }
}

static void test_shards_merge_as_whole_documents(void **state) {
        static const char *const fixtures[] = {"audit", "apply", "test", "failures", "hostile"};

        for (size_t f = 0; f < ELEMENTSOF(fixtures); f++)
                for (size_t n = 1; n <= MAX_SHARDS; n++) {
                        json_t *report = load_fixture(fixtures[f]), *shards[MAX_SHARDS];
                        char *paths[MAX_SHARDS];
                        _cleanup_free_ char *merged = NULL, *expected = NULL;
                        size_t n_hosts = 0;

                        for (size_t k = 0; k < n; k++)
                                shards[k] = cut_shard(report, k, n);
                        write_reports(shards, n, paths);
                        expected = merge_whole(shards, n);
                        assert_int_equal(report_merge_files(paths, n, &merged, &n_hosts, NULL), 0);
                        assert_string_equal(merged, expected);
                        assert_int_equal(n_hosts, json_array_size(json_object_get(report, "hosts")));
                        remove_reports(paths, n);
                        for (size_t k = 0; k < n; k++)
                                json_decref(shards[k]);
                        json_decref(report);
                }
}

/* A tether.report/1 report of verb with the hosts given (JSON text). */
#define REPORT(verb, hosts) \
        "{\"schema\": \"tether.report/1\", \"verb\": \"" verb "\", \"hosts\": [" hosts "]}"

/* prefix with {1} and {2} the paths of the first and second report. */
static char *fill_paths(const char *prefix, char *const *paths, size_t n) {
        struct strbuf buf = STRBUF_INIT;

        for (const char *at = prefix; *at;) {
                if (strncmp(at, "{1}", 3) == 0 || (n > 1 && strncmp(at, "{2}", 3) == 0)) {
                        strbuf_append(&buf, paths[at[1] - '1']);
                        at += 3;
                } else
                        strbuf_append_n(&buf, at++, 1);
        }
        assert_false(buf.failed);
        return strbuf_steal(&buf);
}

/* The merge of texts fails with code, its message prefix (fill_paths())
 * and the strings after it, up to a NULL. */
static void check_merge_error(const char *const *texts, size_t n, int code, const char *prefix, ...) {
        struct tether_error error = TETHER_ERROR_INIT;
        char *paths[MAX_SHARDS], *merged = (char *)texts;
        size_t n_hosts = 7;
        va_list ap;
        int r;

        assert_true(n <= MAX_SHARDS);
        for (size_t i = 0; i < n; i++)
                paths[i] = write_temporary_file("merge", texts[i], strlen(texts[i]));
        r = report_merge_files(paths, n, &merged, &n_hosts, &error);
        va_start(ap, prefix);
        {
                _cleanup_free_ char *full_prefix = fill_paths(prefix, paths, n);

                check_error(&error, r, code, full_prefix, ap);
        }
        va_end(ap);
        assert_ptr_equal(merged, texts); /* untouched */
        assert_int_equal(n_hosts, 7);
        remove_reports(paths, n);
}

static void test_errors(void **state) {
        const char *audit_ab = REPORT("audit", "{\"name\": \"a\"}, {\"name\": \"b\"}");

        check_merge_error((const char *[]){"not JSON"}, 1, -EBADMSG, "{1}:1:3: not JSON", NULL);
        check_merge_error((const char *[]){"{\"hosts\": []}"}, 1, -EINVAL,
                          "{1} is not a tether.report/1 report", NULL);
        check_merge_error((const char *[]){REPORT("audit", "{\"name\": \"a\"}, {\"name\": \"a\"}")}, 1,
                          -EINVAL, "Host a is in {1} and in {1}", "never share a host", NULL);
        check_merge_error(
                (const char *[]){audit_ab, REPORT("audit", "{\"name\": \"c\"}, {\"name\": \"b\"}")}, 2,
                -EINVAL, "Host b is in {1} and in {2}", NULL);
        check_merge_error((const char *[]){REPORT("audit", "{\"name\": \"a\"}, {\"id\": \"b\"}, 3")}, 1,
                          -EINVAL, "{1}: hosts[1] has no name.", NULL);
        check_merge_error((const char *[]){audit_ab, REPORT("apply", "{\"name\": \"c\"}")}, 2, -EINVAL,
                          "{2} is a report of 'apply', {1} one of 'audit'", "only reports of the same verb",
                          NULL);
        /* A whole read meets the verb and what the report is before its
         * hosts: so are they said first. */
        check_merge_error((const char *[]){audit_ab, REPORT("apply", "{\"name\": \"a\"}")}, 2, -EINVAL,
                          "{2} is a report of 'apply', {1} one of 'audit'", NULL);
        check_merge_error((const char *[]){"{\"schema\": \"tether.report/2\", \"hosts\": [{\"name\": "
                                           "\"a\"}, {\"name\": \"a\"}]}"},
                          1, -EINVAL, "{1} is not a tether.report/1 report", NULL);
        check_merge_error((const char *[]){audit_ab, "{\"hosts\": [{\"name\": \"a\"}], \"hosts\": []}"}, 2,
                          -EBADMSG, "{2}:1:", "duplicate object key", NULL);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_shards_merge_as_whole_documents),
                cmocka_unit_test(test_errors),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
