/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the side-effect-free steps of a run (controller/rollout.c,
 * exit-status.c): the hosts --limit and --shard select, with the code and
 * message when they select none or the pattern is bad; the waves of each
 * verb's rollout for --batch, --max-fail and -j, as numbers and
 * percentages, and when the run stops; and the exit status of a run from
 * its results, --fail-on and how it ended.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "exit-status.h"
#include "macro.h"
#include "rollout.h"
#include "select.h"
#include "strbuf.h"

static struct tether_inventory *fleet(void) {
        static const char text[] = "{\"hosts\": ["
                                   "{\"name\": \"web-01\", \"tags\": [\"web\"]},"
                                   "{\"name\": \"web-02\", \"tags\": [\"web\"]},"
                                   "{\"name\": \"web-03\", \"tags\": [\"web\", \"canary\"]},"
                                   "{\"name\": \"db-01\", \"tags\": [\"db\"]},"
                                   "{\"name\": \"db-02\", \"tags\": [\"db\"]},"
                                   "{\"name\": \"lb\"}]}";
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_inventory *inventory = NULL;

        assert_int_equal(tether_inventory_parse(text, strlen(text), "fleet.json", &inventory, &error), 0);
        return inventory;
}

static void set(struct options *options, enum option_id id, const char *text) {
        struct tether_error error = TETHER_ERROR_INIT;

        if (option_set(options, id, text, &error) < 0)
                fail_msg("--%s %s: %s", option_spec_of(id)->name, text, error.text);
}

static void test_select_hosts(void **state) {
        static const struct {
                const char *limit, *shard;
                int code;
                const char *names; /* or the message */
        } cases[] = {
                {NULL, NULL, 0, "web-01 web-02 web-03 db-01 db-02 lb"},
                {"web-*", NULL, 0, "web-01 web-02 web-03"},
                {"tag:db,lb", NULL, 0, "db-01 db-02 lb"},
                {"tag:web,!tag:canary", NULL, 0, "web-01 web-02"},
                {"db-[02-03],web-01", NULL, 0, "web-01 db-02"},
                /* The inventory's order, not the pattern's. */
                {"lb,web-01", NULL, 0, "web-01 lb"},
                {NULL, "1/1", 0, "web-01 web-02 web-03 db-01 db-02 lb"},
                {"nosuchhost", NULL, -EINVAL,
                 "The selection (--limit nosuchhost) holds no host of fleet.json: check the pattern "
                 "against 'tether inventory'."},
                {"nosuchhost", "1/2", -EINVAL,
                 "The selection (--limit nosuchhost) holds no host of fleet.json: check the pattern "
                 "against 'tether inventory'."},
                /* An empty shard is a run of no host, whose report still merges. */
                {"web-*", "1/10000", 0, ""},
                {"[", NULL, -EINVAL,
                 "--limit: host pattern term \"[\": '[' at position 1 is not closed by a ']'"},
                {"web-01,,db-01", NULL, -EINVAL,
                 "--limit: host pattern \"web-01,,db-01\": term 2 is empty: a ',' with nothing before or "
                 "after "
                 "it"},
        };
        struct tether_inventory *inventory = fleet();

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct tether_error error = TETHER_ERROR_INIT;
                const struct tether_host **hosts = (const struct tether_host **)(uintptr_t)0x1;
                struct options options;
                struct strbuf names = STRBUF_INIT;
                size_t n = 4242;
                int r;

                options_init(&options);
                if (cases[i].limit)
                        set(&options, OPTION_LIMIT, cases[i].limit);
                if (cases[i].shard)
                        set(&options, OPTION_SHARD, cases[i].shard);
                r = select_hosts(inventory, &options, &hosts, &n, &error);
                assert_int_equal(r, cases[i].code);
                if (r < 0) {
                        assert_string_equal(error.text, cases[i].names);
                        assert_ptr_equal(hosts, (const struct tether_host **)(uintptr_t)0x1);
                        assert_int_equal(n, 4242);
                        continue;
                }
                for (size_t k = 0; k < n; k++)
                        strbuf_appendf(&names, "%s%s", k ? " " : "", hosts[k]->name);
                assert_string_equal(names.data ? names.data : "", cases[i].names);
                strbuf_free(&names);
                free(hosts);
        }
        tether_inventory_free(inventory);
}

/* A shard of N is the hosts whose tether_shard_of() is K-1: the N shards
 * together hold every host once. */
static void test_shards_cover_the_inventory(void **state) {
        struct tether_inventory *inventory = fleet();
        size_t total = 0;

        for (unsigned k = 1; k <= 3; k++) {
                struct tether_error error = TETHER_ERROR_INIT;
                const struct tether_host **hosts = NULL;
                struct options options;
                char shard[16];
                size_t n = 0;

                options_init(&options);
                snprintf(shard, sizeof(shard), "%u/3", k);
                set(&options, OPTION_SHARD, shard);
                assert_int_equal(select_hosts(inventory, &options, &hosts, &n, &error), 0);
                for (size_t i = 0; i < n; i++)
                        assert_int_equal(tether_shard_of(hosts[i]->name, 3), k - 1);
                total += n;
                free(hosts);
        }
        assert_int_equal(total, inventory->n_hosts);
        tether_inventory_free(inventory);
}

/* The waves of a run, as "1 3 3 3". */
static char *waves(const struct rollout_plan *plan) {
        struct strbuf out = STRBUF_INIT;
        size_t next = 0, size;

        while ((size = rollout_wave_size(plan, next)) > 0) {
                strbuf_appendf(&out, "%s%zu", next ? " " : "", size);
                next += size;
        }
        assert_int_equal(next, plan->n_hosts);
        return out.data ? strbuf_steal(&out) : strdup("");
}

static void test_plan_rollout(void **state) {
        static const struct {
                const char *verb;
                size_t n_hosts;
                const char *parallel, *batch, *max_fail;
                const char *waves;
                size_t max_fail_hosts;
        } cases[] = {
                /* Every host at once, -j at a time, never stopping early. */
                {"audit", 10, NULL, NULL, NULL, "10", SIZE_MAX},
                {"apply", 10, "2", NULL, NULL, "10", SIZE_MAX},
                {"revert", 1, NULL, NULL, NULL, "1", SIZE_MAX},
                {"audit", 0, NULL, NULL, NULL, "", SIZE_MAX},
                /* A canary, then batches of -j by default. */
                {"test", 10, NULL, NULL, NULL, "1 9", 0},
                {"test", 10, "4", NULL, NULL, "1 4 4 1", 0},
                {"test", 1, NULL, NULL, NULL, "1", 0},
                {"test", 2, NULL, NULL, NULL, "1 1", 0},
                {"test", 10, NULL, "3", NULL, "1 3 3 3", 0},
                {"test", 10, NULL, "9", NULL, "1 9", 0},
                {"test", 10, NULL, "100", NULL, "1 9", 0},
                /* A batch of 0, or a percentage that rounds down to 0, is -j. */
                {"test", 10, "5", "0", NULL, "1 5 4", 0},
                {"test", 10, "5", "5%", NULL, "1 5 4", 0},
                {"test", 10, NULL, "20%", NULL, "1 2 2 2 2 1", 0},
                {"test", 100, NULL, "10%", "5%", "1 10 10 10 10 10 10 10 10 10 9", 5},
                {"test", 10, NULL, "100%", "100%", "1 9", 10},
                {"test", 10, NULL, NULL, "2", "1 9", 2},
                {"test", 10, NULL, NULL, "19%", "1 9", 1},
                {"test", 0, NULL, NULL, NULL, "", 0},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct options options;
                struct rollout_plan plan;
                _cleanup_free_ char *text = NULL;

                options_init(&options);
                if (cases[i].parallel)
                        set(&options, OPTION_PARALLEL, cases[i].parallel);
                if (cases[i].batch)
                        set(&options, OPTION_BATCH, cases[i].batch);
                if (cases[i].max_fail)
                        set(&options, OPTION_MAX_FAIL, cases[i].max_fail);
                plan = plan_rollout(verb_find(cases[i].verb), &options, cases[i].n_hosts);
                text = waves(&plan);
                if (strcmp(text, cases[i].waves) != 0 || plan.max_fail != cases[i].max_fail_hosts)
                        fail_msg("case %zu, %s of %zu hosts: waves \"%s\", max_fail %zu; expected \"%s\", "
                                 "%zu",
                                 i, cases[i].verb, cases[i].n_hosts, text, plan.max_fail, cases[i].waves,
                                 cases[i].max_fail_hosts);
        }
}

static void test_should_stop(void **state) {
        struct rollout_plan plan = {.n_hosts = 10, .first_wave = 1, .batch = 3, .max_fail = 2};

        assert_false(rollout_should_stop(&plan, 0));
        assert_false(rollout_should_stop(&plan, 2));
        assert_true(rollout_should_stop(&plan, 3));
        plan.max_fail = 0;
        assert_false(rollout_should_stop(&plan, 0));
        assert_true(rollout_should_stop(&plan, 1));
        plan.max_fail = SIZE_MAX;
        assert_false(rollout_should_stop(&plan, 100000));
        assert_int_equal(rollout_wave_size(&plan, 10), 0);
        assert_int_equal(rollout_wave_size(&plan, 11), 0);
}

/* One host's result, as the pool leaves it. */
struct result_case {
        bool done;
        enum host_verdict verdict;
        enum host_stage stage;   /* HOST_STAGE_NONE: no failure */
        const char *test_result; /* the agent's, or NULL */
        const char *skip_reason;
};

#define DONE(v) \
        { true, HOST_VERDICT_##v, HOST_STAGE_NONE, NULL, NULL }
#define FAILED(v, s) \
        { true, HOST_VERDICT_##v, HOST_STAGE_##s, NULL, NULL }
#define TESTED(v, t) \
        { true, HOST_VERDICT_##v, HOST_STAGE_NONE, t, NULL }
#define NOT_DONE \
        { false, HOST_VERDICT_NONE, HOST_STAGE_NONE, NULL, "not started: interrupted" }
#define END \
        { false, _HOST_VERDICT_MAX, HOST_STAGE_NONE, NULL, NULL }

#define VERDICT(v) (1u << HOST_VERDICT_##v)

/* The result the pool would leave for c, on host (borrowed). */
static struct host_result result_of(const struct result_case *c, const struct tether_host *host) {
        return (struct host_result){
                .host = host,
                .done = c->done,
                .started = c->done,
                .verdict = c->verdict,
                .failure = {.stage = c->stage},
                .skip_reason = c->skip_reason,
                .agent = c->test_result ? json_pack("{s:s}", "test_result", c->test_result) : NULL,
        };
}

static void test_exit_status(void **state) {
        static const struct {
                struct result_case results[4]; /* END ends */
                unsigned fail_on;
                bool interrupted, tether_failed;
                int status;
        } cases[] = {
                {{DONE(PROTECTED), DONE(NOT_APPLICABLE), END}, 0, false, false, 0},
                {{DONE(VULNERABLE), END}, 0, false, false, 0},
                {{DONE(VULNERABLE), DONE(PROTECTED), END}, VERDICT(VULNERABLE), false, false, 2},
                {{DONE(VULNERABLE), END}, VERDICT(BROKEN) | VERDICT(ERROR), false, false, 0},
                {{DONE(BROKEN), END}, 0, false, false, 2},
                {{FAILED(ERROR, SUDO), END}, 0, false, false, 2},
                {{FAILED(VULNERABLE, AGENT), END}, 0, false, false, 2}, /* an apply that rolled back */
                {{FAILED(UNREACHABLE, CONNECT), DONE(PROTECTED), END}, 0, false, false, 4},
                {{FAILED(UNREACHABLE, HOSTKEY), FAILED(ERROR, PARSE), END}, 0, false, false, 6},
                /* --fail-on unreachable: both. */
                {{FAILED(UNREACHABLE, AUTH), END}, VERDICT(UNREACHABLE), false, false, 6},
                {{TESTED(PROTECTED, "passed"), END}, 0, false, false, 0},
                {{TESTED(PROTECTED, "failed"), END}, 0, false, false, 2},
                {{TESTED(PROTECTED, "refused"), END}, 0, false, false, 2},
                {{TESTED(NOT_APPLICABLE, "skipped"), END}, 0, false, false, 0},
                /* Hosts never done count for nothing. */
                {{DONE(PROTECTED), NOT_DONE, NOT_DONE, END}, VERDICT(ERROR), false, false, 0},
                {{NOT_DONE, END}, 0, false, false, 0},
                /* Interrupted wins over everything; tether's own failure over the hosts'. */
                {{DONE(BROKEN), END}, 0, true, false, 130},
                {{DONE(BROKEN), END}, 0, true, true, 130},
                {{DONE(BROKEN), FAILED(UNREACHABLE, CONNECT), END}, 0, false, true, 1},
                {{DONE(PROTECTED), END}, 0, false, true, 1},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct host_result storage[4] = {}, *results[4];
                struct tether_host host = {.name = (char *)"h", .address = (char *)"h"};
                size_t n = 0;
                int status;

                for (; cases[i].results[n].verdict != _HOST_VERDICT_MAX; n++) {
                        storage[n] = result_of(&cases[i].results[n], &host);
                        results[n] = &storage[n];
                }
                status = exit_status_of(results, n, cases[i].fail_on,
                                        (struct run_ending){.interrupted = cases[i].interrupted,
                                                            .tether_failed = cases[i].tether_failed});
                if (status != cases[i].status)
                        fail_msg("case %zu: exit status %d, expected %d", i, status, cases[i].status);
                for (size_t k = 0; k < n; k++)
                        host_result_clear(&storage[k]);
        }
}

/* The hosts --retry-file lists: those that count against the run, and
 * those never run. */
static void test_host_needs_retry(void **state) {
        static const struct {
                struct result_case result;
                unsigned fail_on;
                bool retry;
        } cases[] = {
                {DONE(PROTECTED), 0, false},
                {DONE(NOT_APPLICABLE), 0, false},
                {DONE(VULNERABLE), 0, false},
                {DONE(VULNERABLE), VERDICT(VULNERABLE), true},
                {DONE(BROKEN), 0, true},
                {FAILED(ERROR, SUDO), 0, true},
                {FAILED(VULNERABLE, AGENT), 0, true},
                {FAILED(UNREACHABLE, CONNECT), 0, true},
                {FAILED(UNREACHABLE, HOSTKEY), 0, true},
                {TESTED(PROTECTED, "passed"), 0, false},
                {TESTED(PROTECTED, "failed"), 0, true},
                {TESTED(NOT_APPLICABLE, "skipped"), 0, false},
                {NOT_DONE, 0, true},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct tether_host host = {.name = (char *)"h", .address = (char *)"h"};
                struct host_result result = result_of(&cases[i].result, &host);

                if (host_needs_retry(&result, cases[i].fail_on) != cases[i].retry)
                        fail_msg("case %zu: expected %s", i, cases[i].retry ? "a retry" : "no retry");
                host_result_clear(&result);
        }
}

static void test_exit_status_of_errno(void **state) {
        static const struct {
                int r, status;
        } cases[] = {
                {-EINVAL, 5}, {-EBADMSG, 5}, {-E2BIG, 5},  {-EFBIG, 5},
                {-ENOENT, 5}, {-EIO, 1},     {-ENOMEM, 1}, {-EACCES, 1},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++)
                assert_int_equal(exit_status_of_errno(cases[i].r), cases[i].status);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_select_hosts),     cmocka_unit_test(test_shards_cover_the_inventory),
                cmocka_unit_test(test_plan_rollout),     cmocka_unit_test(test_should_stop),
                cmocka_unit_test(test_exit_status),      cmocka_unit_test(test_exit_status_of_errno),
                cmocka_unit_test(test_host_needs_retry),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
