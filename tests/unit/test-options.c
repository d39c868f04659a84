/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for controller/options.c: every numeric option at and past its
 * documented range (tether(1), --help) with garbage beside it; the options
 * that take one of a few words; the options with parsers of their own
 * (--user, --firewall, --agent-path, --shard, --batch, --max-fail, --fail-on), each with
 * the code and the exact message of a refusal, and the options left as they
 * were; the counts of hosts --batch and --max-fail come to; and the
 * report's "options" of each verb, byte for byte.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <syslog.h>
#include <cmocka.h>

#include "macro.h"
#include "options.h"
#include "outcome.h"
#include "verbs.h"

#define VERDICT(v) (1u << HOST_VERDICT_##v)

/* Sets id to text on fresh options; checks the code and, on failure, the
 * message and that nothing changed. */
static void set_one(struct options *options, enum option_id id, const char *text, int code,
                    const char *message) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct options before;
        int r;

        options_init(options);
        before = *options;
        r = option_set(options, id, text, &error);
        if (r != code)
                fail_msg("--%s '%s': got %d (%s), expected %d", option_spec_of(id)->name, text ? text : "",
                         r, error.text, code);
        if (code == 0) {
                assert_false(tether_error_is_set(&error));
                assert_true(options->given & OPTION_BIT(id));
                return;
        }
        assert_string_equal(error.text, message);
        assert_memory_equal(&before, options, sizeof(before));
}

static void test_numbers(void **state) {
        static const struct {
                enum option_id id;
                const char *text;
                unsigned value; /* 0: refused with message */
                const char *message;
        } cases[] = {
                {OPTION_PARALLEL, "1", 1, NULL},
                {OPTION_PARALLEL, "1024", 1024, NULL},
                {OPTION_PARALLEL, "0", 0, "--parallel takes a whole number from 1 to 1024, got '0'."},
                {OPTION_PARALLEL, "1025", 0, "--parallel takes a whole number from 1 to 1024, got '1025'."},
                {OPTION_PARALLEL, "-1", 0, "--parallel takes a whole number from 1 to 1024, got '-1'."},
                {OPTION_PARALLEL, "8 ", 0, "--parallel takes a whole number from 1 to 1024, got '8 '."},
                {OPTION_PARALLEL, "", 0, "--parallel takes a whole number from 1 to 1024, got ''."},
                {OPTION_CONNECT_TIMEOUT, "3600", 3600, NULL},
                {OPTION_CONNECT_TIMEOUT, "3601", 0,
                 "--connect-timeout takes a whole number from 1 to 3600, got '3601'."},
                {OPTION_CONNECT_TIMEOUT, "10s", 0,
                 "--connect-timeout takes a whole number from 1 to 3600, got '10s'."},
                {OPTION_TIMEOUT, "1", 1, NULL},
                /* Above a port's 65535, within the documented 86400. */
                {OPTION_TIMEOUT, "70000", 70000, NULL},
                {OPTION_TIMEOUT, "86400", 86400, NULL},
                {OPTION_TIMEOUT, "86401", 0, "--timeout takes a whole number from 1 to 86400, got '86401'."},
                {OPTION_TIMEOUT, "4294967296", 0,
                 "--timeout takes a whole number from 1 to 86400, got '4294967296'."},
                {OPTION_TIMEOUT, "+300", 0, "--timeout takes a whole number from 1 to 86400, got '+300'."},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                const struct option_spec *spec = option_spec_of(cases[i].id);
                struct options options;

                set_one(&options, cases[i].id, cases[i].text, cases[i].value ? 0 : -EINVAL,
                        cases[i].message);
                if (cases[i].value)
                        assert_int_equal(*(unsigned *)((char *)&options + spec->offset), cases[i].value);
        }
}

/* The documented defaults. */
static void test_defaults(void **state) {
        struct options options;

        options_init(&options);
        assert_int_equal(options.parallel, 32);
        assert_int_equal(options.connect_timeout_sec, 10);
        assert_int_equal(options.host_timeout_sec, 300);
        assert_int_equal(options.shard_index, 0);
        assert_int_equal(options.shard_count, 1);
        assert_int_equal(options.given, 0);
        assert_int_equal(options.fail_on_mask, 0);
}

static void test_words(void **state) {
        static const struct {
                enum option_id id;
                const char *text;
                const char *message; /* NULL: taken */
        } cases[] = {
                {OPTION_POLICY, "bind", NULL},
                {OPTION_POLICY, "follow", NULL},
                {OPTION_POLICY, "tie", "--policy: use bind or follow, not 'tie'."},
                {OPTION_POLICY, "Bind", "--policy: use bind or follow, not 'Bind'."},
                {OPTION_POLICY, "", "--policy: use bind or follow, not ''."},
                {OPTION_SCENARIO, "restart", NULL},
                {OPTION_SCENARIO, "stop-start", NULL},
                {OPTION_SCENARIO, "flush", NULL},
                {OPTION_SCENARIO, "reload", NULL},
                {OPTION_SCENARIO, "stop",
                 "--scenario: use restart, stop-start, reload or flush, not 'stop'."},
                {OPTION_WAIT, "1", NULL},
                {OPTION_WAIT, "3600", NULL},
                {OPTION_WAIT, "0", "--wait takes seconds from 1 to 3600, got '0'."},
                {OPTION_WAIT, "3601", "--wait takes seconds from 1 to 3600, got '3601'."},
                {OPTION_WAIT, "90s", "--wait takes seconds from 1 to 3600, got '90s'."},
                {OPTION_WAIT, "-5", "--wait takes seconds from 1 to 3600, got '-5'."},
                {OPTION_USER, "deploy", NULL},
                {OPTION_USER, "_svc.ops-1", NULL},
                {OPTION_USER, "a b", "--user: 'a b' is not a valid user name."},
                {OPTION_USER, "-oProxyCommand=x", "--user: '-oProxyCommand=x' is not a valid user name."},
                {OPTION_USER, "", "--user: '' is not a valid user name."},
                {OPTION_FIREWALL, "nftables.service", NULL},
                {OPTION_FIREWALL, "nftables", NULL},
                {OPTION_FIREWALL, "a;b", "--firewall: 'a;b' is not a unit name."},
                {OPTION_FIREWALL, "$(reboot)", "--firewall: '$(reboot)' is not a unit name."},
                {OPTION_AGENT_PATH, "/usr/libexec/tether/tether-agent", NULL},
                {OPTION_AGENT_PATH, "tether-agent",
                 "--agent-path: 'tether-agent' is not the absolute path of an agent installed on the hosts, "
                 "such as /usr/libexec/tether/tether-agent."},
                {OPTION_AGENT_PATH, "/usr/bin/x;reboot",
                 "--agent-path: '/usr/bin/x;reboot' is not the absolute path of an agent installed on the "
                 "hosts, such as /usr/libexec/tether/tether-agent."},
                {OPTION_AGENT_PATH, "",
                 "--agent-path: '' is not the absolute path of an agent installed on the hosts, such as "
                 "/usr/libexec/tether/tether-agent."},
                {OPTION_SHARD, "1/1", NULL},
                {OPTION_SHARD, "3/4", NULL},
                {OPTION_SHARD, "0/4", "--shard: shard \"0/4\": K must be between 1 and N (4)"},
                {OPTION_SHARD, "5/4", "--shard: shard \"5/4\": K must be between 1 and N (4)"},
                {OPTION_SHARD, "1/10001", "--shard: shard \"1/10001\": N must be between 1 and 10000"},
                {OPTION_SHARD, "2",
                 "--shard: shard \"2\": expected K/N, two numbers such as 2/4 (the second of 4 shards)"},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct options options;

                set_one(&options, cases[i].id, cases[i].text, cases[i].message ? -EINVAL : 0,
                        cases[i].message);
                if (!cases[i].message)
                        assert_string_equal(option_string(&options, cases[i].id), cases[i].text);
        }
}

static void test_shard(void **state) {
        struct options options;

        set_one(&options, OPTION_SHARD, "3/4", 0, NULL);
        assert_int_equal(options.shard_index, 2);
        assert_int_equal(options.shard_count, 4);
}

#define COUNT_MESSAGE(option, text) \
        option " takes a number of hosts from 0 to 100000 or a percentage from 0% to 100%, got '" text "'."

static void test_host_counts(void **state) {
        static const struct {
                enum option_id id;
                const char *text;
                unsigned value;
                bool percent;
                const char *message; /* NULL: taken */
        } cases[] = {
                {OPTION_BATCH, "0", 0, false, NULL},
                {OPTION_BATCH, "00", 0, false, NULL},
                {OPTION_BATCH, "10", 10, false, NULL},
                {OPTION_BATCH, "100000", 100000, false, NULL},
                {OPTION_BATCH, "0%", 0, true, NULL},
                {OPTION_BATCH, "10%", 10, true, NULL},
                {OPTION_BATCH, "100%", 100, true, NULL},
                {OPTION_BATCH, "100001", 0, false, COUNT_MESSAGE("--batch", "100001")},
                {OPTION_BATCH, "101%", 0, false, COUNT_MESSAGE("--batch", "101%")},
                {OPTION_BATCH, "%", 0, false, COUNT_MESSAGE("--batch", "%")},
                {OPTION_BATCH, "", 0, false, COUNT_MESSAGE("--batch", "")},
                {OPTION_BATCH, "10%%", 0, false, COUNT_MESSAGE("--batch", "10%%")},
                {OPTION_BATCH, "-1", 0, false, COUNT_MESSAGE("--batch", "-1")},
                {OPTION_BATCH, "1.5%", 0, false, COUNT_MESSAGE("--batch", "1.5%")},
                {OPTION_BATCH, " 5", 0, false, COUNT_MESSAGE("--batch", " 5")},
                {OPTION_MAX_FAIL, "2", 2, false, NULL},
                {OPTION_MAX_FAIL, "5%", 5, true, NULL},
                {OPTION_MAX_FAIL, "x", 0, false, COUNT_MESSAGE("--max-fail", "x")},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct options options;
                const struct host_count *count;

                set_one(&options, cases[i].id, cases[i].text, cases[i].message ? -EINVAL : 0,
                        cases[i].message);
                if (cases[i].message)
                        continue;
                count = cases[i].id == OPTION_BATCH ? &options.batch_count : &options.max_fail_count;
                assert_int_equal(count->value, cases[i].value);
                assert_int_equal(count->percent, cases[i].percent);
        }
}

static void test_host_count_of(void **state) {
        static const struct {
                struct host_count count;
                size_t total, hosts;
        } cases[] = {
                {{0, false}, 50, 0},           {{7, false}, 50, 7}, {{70, false}, 50, 70},
                {{10, true}, 50, 5},           {{10, true}, 9, 0},  {{10, true}, 19, 1},
                {{100, true}, 50, 50},         {{0, true}, 50, 0},  {{33, true}, 100000, 33000},
                {{100, true}, 100000, 100000},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++)
                assert_int_equal(host_count_of(cases[i].count, cases[i].total), cases[i].hosts);
}

#define FAIL_ON_CHOICES                                                                                    \
        "protected, vulnerable, reload-vulnerable, broken, start-blocked, not-applicable, unreachable or " \
        "error"

static void test_fail_on(void **state) {
        static const struct {
                const char *text;
                unsigned mask;
                const char *message; /* NULL: taken */
        } cases[] = {
                {"vulnerable", VERDICT(VULNERABLE), NULL},
                {"vulnerable,broken", VERDICT(VULNERABLE) | VERDICT(BROKEN), NULL},
                {"protected,vulnerable,broken,not-applicable,unreachable,error",
                 VERDICT(PROTECTED) | VERDICT(VULNERABLE) | VERDICT(BROKEN) | VERDICT(NOT_APPLICABLE) |
                         VERDICT(UNREACHABLE) | VERDICT(ERROR),
                 NULL},
                {"broken,broken", VERDICT(BROKEN), NULL},
                /* Taken as they always were: nothing, and one trailing comma. */
                {"", 0, NULL},
                {"unreachable,", VERDICT(UNREACHABLE), NULL},
                {",vulnerable", 0,
                 "--fail-on ',vulnerable': item 1 is empty; give verdicts separated by single "
                 "commas: " FAIL_ON_CHOICES "."},
                {"vulnerable,,broken", 0,
                 "--fail-on 'vulnerable,,broken': item 2 is empty; give verdicts separated by single "
                 "commas: " FAIL_ON_CHOICES "."},
                {",", 0,
                 "--fail-on ',': item 1 is empty; give verdicts separated by single commas: " FAIL_ON_CHOICES
                 "."},
                {"vulnerable,bogus", 0, "--fail-on: unknown verdict 'bogus'; use " FAIL_ON_CHOICES "."},
                {"skipped", 0, "--fail-on: unknown verdict 'skipped'; use " FAIL_ON_CHOICES "."},
                {"Vulnerable", 0, "--fail-on: unknown verdict 'Vulnerable'; use " FAIL_ON_CHOICES "."},
                {"vulnerable ,broken", 0,
                 "--fail-on: unknown verdict 'vulnerable '; use " FAIL_ON_CHOICES "."},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct options options;

                set_one(&options, OPTION_FAIL_ON, cases[i].text, cases[i].message ? -EINVAL : 0,
                        cases[i].message);
                if (!cases[i].message) {
                        assert_int_equal(options.fail_on_mask, cases[i].mask);
                        assert_string_equal(options.fail_on, cases[i].text);
                }
        }
}

/* -v and -q: the last one given wins; -q is quiet too. */
static void test_log_level(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct options options;

        options_init(&options);
        assert_int_equal(option_set(&options, OPTION_VERBOSE, NULL, &error), 0);
        assert_int_equal(options.log_level, LOG_DEBUG);
        assert_false(options.quiet);
        assert_int_equal(option_set(&options, OPTION_QUIET, NULL, &error), 0);
        assert_int_equal(options.log_level, LOG_ERR);
        assert_true(options.quiet);
        assert_int_equal(option_set(&options, OPTION_VERBOSE, NULL, &error), 0);
        assert_int_equal(options.log_level, LOG_DEBUG);
        assert_true(options.quiet);
}

static void test_table(void **state) {
        for (enum option_id id = 0; id < _OPTION_MAX; id++) {
                const struct option_spec *spec = option_spec_of(id);

                assert_non_null(spec->name);
                for (enum option_id other = id + 1; other < _OPTION_MAX; other++) {
                        assert_string_not_equal(spec->name, option_spec_of(other)->name);
                        if (spec->short_name)
                                assert_int_not_equal(spec->short_name, option_spec_of(other)->short_name);
                }
        }
        assert_null(option_spec_of(_OPTION_MAX));
        assert_true(option_takes_argument(OPTION_TIMEOUT));
        assert_true(option_takes_argument(OPTION_LIMIT));
        assert_false(option_takes_argument(OPTION_CHECK));
        assert_false(option_takes_argument(OPTION_JSON));
}

static void test_join_choices(void **state) {
        static const char *const none[] = {NULL}, *const one[] = {"a", NULL},
                                 *const two[] = {"a", "b", NULL}, *const three[] = {"a", "b", "c", NULL};
        char buffer[64], small[6];

        join_choices(none, buffer, sizeof(buffer));
        assert_string_equal(buffer, "");
        join_choices(one, buffer, sizeof(buffer));
        assert_string_equal(buffer, "a");
        join_choices(two, buffer, sizeof(buffer));
        assert_string_equal(buffer, "a or b");
        join_choices(three, buffer, sizeof(buffer));
        assert_string_equal(buffer, "a, b or c");
        join_choices(three, small, sizeof(small));
        assert_string_equal(small, "a, b ");
}

/* The report's "options" of each verb, as they always were written. */
static void test_report_json(void **state) {
        static const struct {
                const char *verb;
                const char *json;
        } cases[] = {
                {"audit", "{\"parallel\":8,\"limit\":\"web-*\",\"shard\":null,\"connect_timeout_sec\":10,"
                          "\"timeout_sec\":70000,\"user\":null,\"accept_new_host_keys\":false,"
                          "\"sudo_password\":true,\"fail_on\":\"vulnerable,broken\",\"mode\":null}"},
                {"apply",
                 "{\"parallel\":8,\"limit\":\"web-*\",\"shard\":null,\"connect_timeout_sec\":10,"
                 "\"timeout_sec\":70000,\"user\":null,\"accept_new_host_keys\":false,"
                 "\"sudo_password\":true,\"check\":true,\"heal\":false,\"watch\":true,\"policy\":\"follow\","
                 "\"firewall\":null,\"mode\":null}"},
                {"test", "{\"parallel\":8,\"limit\":\"web-*\",\"shard\":null,\"connect_timeout_sec\":10,"
                         "\"timeout_sec\":70000,\"user\":null,\"accept_new_host_keys\":false,"
                         "\"sudo_password\":true,\"firewall\":null,\"scenario\":\"reload\",\"wait\":\"180\","
                         "\"batch\":\"10%\",\"max_fail\":null,\"mode\":null}"},
                {"revert", "{\"parallel\":8,\"limit\":\"web-*\",\"shard\":null,\"connect_timeout_sec\":10,"
                           "\"timeout_sec\":70000,\"user\":null,\"accept_new_host_keys\":false,"
                           "\"sudo_password\":true,\"mode\":null}"},
        };
        struct options options;

        /* Options of every verb at once: each verb reports only its own. */
        options_init(&options);
        options.parallel = 8;
        options.limit = "web-*";
        options.host_timeout_sec = 70000;
        options.sudo_password_file = "pw";
        options.check = true;
        options.watch = true;
        options.policy = "follow";
        options.scenario = "reload";
        options.wait = "180";
        options.batch = "10%";
        options.fail_on = "vulnerable,broken";

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                json_t *json = options_report_json(&options, verb_find(cases[i].verb)->options);
                char *text = json_dumps(json, JSON_COMPACT | JSON_PRESERVE_ORDER);

                assert_non_null(text);
                assert_string_equal(text, cases[i].json);
                free(text);
                json_decref(json);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_numbers),     cmocka_unit_test(test_defaults),
                cmocka_unit_test(test_words),       cmocka_unit_test(test_shard),
                cmocka_unit_test(test_host_counts), cmocka_unit_test(test_host_count_of),
                cmocka_unit_test(test_fail_on),     cmocka_unit_test(test_log_level),
                cmocka_unit_test(test_table),       cmocka_unit_test(test_join_choices),
                cmocka_unit_test(test_report_json),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
