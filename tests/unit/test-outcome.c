/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the words of a host's outcome (controller/failure.c,
 * outcome.c, and the naming in render-views.c): the failure stages with
 * their report word, errno and unreachability as docs/schema.md lists them;
 * first-failure-wins; host verdicts and test results both ways, unknown
 * words refused; the one rule of what counts as failed, over every verdict,
 * error and test result; the agent's fates both ways; and the outcome and
 * rank each combination of verdict, test result and error gets in a
 * rendering, with whether a cut-off run may have changed its host.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "failure.h"
#include "macro.h"
#include "outcome.h"
#include "render.h"

static const struct {
        enum host_stage stage;
        const char *name;
        int code;
        bool unreachable;
} stage_cases[] = {
        {HOST_STAGE_INVENTORY, "inventory", -EINVAL, false},
        {HOST_STAGE_CONNECT, "connect", -EHOSTUNREACH, true},
        {HOST_STAGE_HOSTKEY, "hostkey", -EKEYREJECTED, true},
        {HOST_STAGE_AUTH, "auth", -EACCES, true},
        {HOST_STAGE_SUDO, "sudo", -EPERM, false},
        {HOST_STAGE_UPLOAD, "upload", -EIO, false},
        {HOST_STAGE_AGENT, "agent", -EREMOTEIO, false},
        {HOST_STAGE_PARSE, "parse", -EBADMSG, false},
        {HOST_STAGE_TIMEOUT, "timeout", -ETIMEDOUT, false},
        /* tether was in: a broken connection is no unreachable host. */
        {HOST_STAGE_CONNECTION_LOST, "connection-lost", -ECONNRESET, false},
};

static void test_stages(void **state) {
        assert_int_equal(ELEMENTSOF(stage_cases), _HOST_STAGE_MAX - 1);
        for (size_t i = 0; i < ELEMENTSOF(stage_cases); i++) {
                struct host_failure failure = {};

                assert_string_equal(host_stage_to_string(stage_cases[i].stage), stage_cases[i].name);
                assert_int_equal(host_stage_unreachable(stage_cases[i].stage), stage_cases[i].unreachable);
                assert_false(host_failed(&failure));
                assert_int_equal(fail_host(&failure, stage_cases[i].stage, "%s %d", "went wrong", 42),
                                 stage_cases[i].code);
                assert_true(host_failed(&failure));
                assert_int_equal(failure.stage, stage_cases[i].stage);
                assert_string_equal(failure.message, "went wrong 42");
        }
        assert_null(host_stage_to_string(HOST_STAGE_NONE));
        assert_null(host_stage_to_string(_HOST_STAGE_MAX));
        assert_null(host_stage_to_string((enum host_stage) - 1));
        assert_false(host_stage_unreachable(HOST_STAGE_NONE));
        assert_false(host_stage_unreachable(_HOST_STAGE_MAX));
}

/* The first failure wins, and a later one returns the first one's code. */
static void test_first_failure_wins(void **state) {
        struct host_failure failure = {};

        assert_int_equal(fail_host(&failure, HOST_STAGE_SUDO, "sudo said no"), -EPERM);
        assert_int_equal(fail_host(&failure, HOST_STAGE_PARSE, "then no JSON"), -EPERM);
        assert_int_equal(failure.stage, HOST_STAGE_SUDO);
        assert_string_equal(failure.message, "sudo said no");
}

/* A message longer than the buffer is cut, never overflows it. */
static void test_long_message(void **state) {
        struct host_failure failure = {};
        char long_text[3000];

        memset(long_text, 'x', sizeof(long_text) - 1);
        long_text[sizeof(long_text) - 1] = '\0';
        fail_host(&failure, HOST_STAGE_AGENT, "%s", long_text);
        assert_int_equal(strlen(failure.message), sizeof(failure.message) - 1);
}

static void test_verdicts(void **state) {
        static const struct {
                enum host_verdict verdict;
                const char *name;
        } cases[] = {
                {HOST_VERDICT_PROTECTED, "protected"},
                {HOST_VERDICT_VULNERABLE, "vulnerable"},
                {HOST_VERDICT_BROKEN, "broken"},
                {HOST_VERDICT_NOT_APPLICABLE, "not-applicable"},
                {HOST_VERDICT_UNREACHABLE, "unreachable"},
                {HOST_VERDICT_ERROR, "error"},
                {HOST_VERDICT_SKIPPED, "skipped"},
                {HOST_VERDICT_RELOAD_VULNERABLE, "reload-vulnerable"},
                {HOST_VERDICT_START_BLOCKED, "start-blocked"},
        };
        static const char *const unknown[] = {"", "Protected", "protected ", "not_applicable", "none", "?"};
        enum host_verdict verdict;

        assert_int_equal(ELEMENTSOF(cases), _HOST_VERDICT_MAX - 1);
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                assert_string_equal(host_verdict_to_string(cases[i].verdict), cases[i].name);
                verdict = HOST_VERDICT_NONE;
                assert_int_equal(host_verdict_from_string(cases[i].name, &verdict), 0);
                assert_int_equal(verdict, cases[i].verdict);
        }
        for (size_t i = 0; i < ELEMENTSOF(unknown); i++) {
                verdict = HOST_VERDICT_BROKEN;
                assert_int_equal(host_verdict_from_string(unknown[i], &verdict), -EINVAL);
                assert_int_equal(verdict, HOST_VERDICT_BROKEN);
        }
        assert_int_equal(host_verdict_from_string(NULL, &verdict), -EINVAL);
        assert_null(host_verdict_to_string(HOST_VERDICT_NONE));
        assert_null(host_verdict_to_string(_HOST_VERDICT_MAX));
}

/* The agent's verdicts keep their names in the controller's. */
static void test_verdicts_of_the_agent(void **state) {
        static const enum tether_verdict agent_verdicts[] = {
                TETHER_VERDICT_PROTECTED,
                TETHER_VERDICT_VULNERABLE,
                TETHER_VERDICT_BROKEN,
                TETHER_VERDICT_NOT_APPLICABLE,
        };

        for (size_t i = 0; i < ELEMENTSOF(agent_verdicts); i++)
                assert_string_equal(host_verdict_to_string(host_verdict_of_agent(agent_verdicts[i])),
                                    tether_verdict_to_string(agent_verdicts[i]));
}

static void test_test_results(void **state) {
        static const struct {
                const char *name;
                enum test_result result;
        } cases[] = {
                {"passed", TEST_RESULT_PASSED},   {"failed", TEST_RESULT_FAILED},
                {"refused", TEST_RESULT_REFUSED}, {"skipped", TEST_RESULT_SKIPPED},
                {NULL, TEST_RESULT_NONE},         {"", TEST_RESULT_NONE},
                {"Passed", TEST_RESULT_NONE},     {"fail", TEST_RESULT_NONE},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                assert_int_equal(test_result_from_string(cases[i].name), cases[i].result);
                if (cases[i].result != TEST_RESULT_NONE)
                        assert_string_equal(test_result_to_string(cases[i].result), cases[i].name);
        }
        assert_null(test_result_to_string(TEST_RESULT_NONE));
}

static void test_agent_fates(void **state) {
        static const struct {
                const char *name;
                enum agent_fate fate;
        } cases[] = {
                {"not-started", AGENT_FATE_NOT_STARTED},
                {"finished", AGENT_FATE_FINISHED},
                {"unknown", AGENT_FATE_UNKNOWN},
                {NULL, AGENT_FATE_NONE},
                {"", AGENT_FATE_NONE},
                {"Unknown", AGENT_FATE_NONE},
                {"not_started", AGENT_FATE_NONE},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                assert_int_equal(agent_fate_from_string(cases[i].name), cases[i].fate);
                if (cases[i].fate != AGENT_FATE_NONE)
                        assert_string_equal(agent_fate_to_string(cases[i].fate), cases[i].name);
        }
        assert_null(agent_fate_to_string(AGENT_FATE_NONE));
        assert_null(agent_fate_to_string(_AGENT_FATE_MAX));
}

static void test_counts_as_failed(void **state) {
        static const struct {
                enum host_verdict verdict;
                bool has_error;
                enum test_result test_result;
                bool failed;
        } cases[] = {
                {HOST_VERDICT_PROTECTED, false, TEST_RESULT_NONE, false},
                {HOST_VERDICT_PROTECTED, false, TEST_RESULT_PASSED, false},
                {HOST_VERDICT_PROTECTED, false, TEST_RESULT_SKIPPED, false},
                {HOST_VERDICT_PROTECTED, false, TEST_RESULT_FAILED, true},
                {HOST_VERDICT_PROTECTED, false, TEST_RESULT_REFUSED, true},
                {HOST_VERDICT_PROTECTED, true, TEST_RESULT_NONE, true},
                {HOST_VERDICT_VULNERABLE, false, TEST_RESULT_NONE, false},
                {HOST_VERDICT_VULNERABLE, true, TEST_RESULT_NONE, true}, /* an apply that failed */
                {HOST_VERDICT_NOT_APPLICABLE, false, TEST_RESULT_SKIPPED, false},
                {HOST_VERDICT_BROKEN, false, TEST_RESULT_NONE, true},
                /* docker cannot start: that needs someone now, as broken does. */
                {HOST_VERDICT_START_BLOCKED, false, TEST_RESULT_NONE, true},
                {HOST_VERDICT_RELOAD_VULNERABLE, false, TEST_RESULT_NONE, false},
                {HOST_VERDICT_ERROR, true, TEST_RESULT_NONE, true},
                {HOST_VERDICT_ERROR, false, TEST_RESULT_NONE, false},
                {HOST_VERDICT_NONE, false, TEST_RESULT_NONE, false},
                {HOST_VERDICT_NONE, false, TEST_RESULT_FAILED, true},
                /* Counted apart, whatever else they carry. */
                {HOST_VERDICT_UNREACHABLE, true, TEST_RESULT_NONE, false},
                {HOST_VERDICT_UNREACHABLE, false, TEST_RESULT_FAILED, false},
                {HOST_VERDICT_SKIPPED, false, TEST_RESULT_NONE, false},
                {HOST_VERDICT_SKIPPED, true, TEST_RESULT_REFUSED, false},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++)
                if (host_counts_as_failed(cases[i].verdict, cases[i].has_error, cases[i].test_result) !=
                    cases[i].failed)
                        fail_msg("case %zu: verdict %s, error %d, test %s: expected %s", i,
                                 host_verdict_to_string(cases[i].verdict), cases[i].has_error,
                                 test_result_to_string(cases[i].test_result),
                                 cases[i].failed ? "failed" : "not failed");
}

/* The view of a one-host report with this verdict, test result, error
 * stage and cut_off object (JSON text), each left out when NULL;
 * *ret_report owns what the view borrows. */
static struct host_view view_of(const char *verdict, const char *test_result, const char *stage,
                                const char *cut_off, json_t **ret_report) {
        json_t *host = json_pack("{s:s, s:s}", "name", "web-01", "address", "203.0.113.10");
        struct host_view *views = NULL, view;
        size_t n = 0;

        if (verdict)
                json_object_set_new(host, "verdict", json_string(verdict));
        if (test_result)
                json_object_set_new(host, "agent", json_pack("{s:s}", "test_result", test_result));
        if (stage)
                json_object_set_new(host, "error", json_pack("{s:s, s:s}", "stage", stage, "message", "no"));
        if (cut_off)
                json_object_set_new(host, "cut_off", json_loads(cut_off, 0, NULL));
        *ret_report = json_pack("{s:[o]}", "hosts", host);
        assert_int_equal(report_views(*ret_report, &views, &n), 0);
        assert_int_equal(n, 1);
        view = views[0];
        free(views);
        return view;
}

static void outcome_of(const char *verdict, const char *test_result, bool error, const char **ret_outcome,
                       enum host_rank *ret_rank, json_t **ret_report) {
        struct host_view view = view_of(verdict, test_result, error ? "sudo" : NULL, NULL, ret_report);

        *ret_outcome = view.outcome;
        *ret_rank = view.rank;
}

/* A connection lost after login names the outcome whatever the verdict; a
 * host "may have changed" as its cut_off says (what its agent did is not
 * known, and its verb changes hosts). */
static void test_cut_off_outcomes(void **state) {
#define CUT_OFF(agent, may) \
        "{\"step\":\"read\",\"after_ms\":10,\"agent\":\"" agent "\",\"may_have_changed\":" may "}"
        static const struct {
                const char *verdict, *stage, *cut_off;
                const char *outcome;
                bool may_have_changed;
        } cases[] = {
                {"error", "connection-lost", CUT_OFF("unknown", "true"), "connection lost", true},
                {"error", "connection-lost", CUT_OFF("not-started", "false"), "connection lost", false},
                {"vulnerable", "connection-lost", CUT_OFF("unknown", "true"), "connection lost", true},
                {"protected", NULL, CUT_OFF("finished", "false"), "protected", false}, /* read back */
                {"error", "timeout", CUT_OFF("unknown", "true"), "error", true},
                {"error", "timeout", CUT_OFF("unknown", "false"), "error",
                 false}, /* audit changes nothing */
                {"error", "connect", NULL, "error", false},
                {"protected", NULL, CUT_OFF("unknown", "\"yes\""), "protected", false},
        };
#undef CUT_OFF

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                json_t *report;
                struct host_view view =
                        view_of(cases[i].verdict, NULL, cases[i].stage, cases[i].cut_off, &report);

                if (strcmp(view.outcome, cases[i].outcome) != 0 ||
                    view.may_have_changed != cases[i].may_have_changed)
                        fail_msg("case %zu: got \"%s\" (may have changed: %d), expected \"%s\" (%d)", i,
                                 view.outcome, view.may_have_changed, cases[i].outcome,
                                 cases[i].may_have_changed);
                if (strcmp(view.outcome, "connection lost") == 0)
                        assert_int_equal(view.rank, RANK_ERROR);
                json_decref(report);
        }
}

static void test_rendered_outcomes(void **state) {
        static const struct {
                const char *verdict, *test_result;
                bool error;
                const char *outcome;
                enum host_rank rank;
        } cases[] = {
                {"error", NULL, true, "error", RANK_ERROR},
                {"error", "failed", false, "error", RANK_ERROR},
                {NULL, NULL, false, "error", RANK_ERROR},
                {"unreachable", NULL, true, "unreachable", RANK_UNREACHABLE},
                {"broken", "failed", false, "broken", RANK_BROKEN},
                {"protected", "failed", false, "test failed", RANK_TEST_FAILED},
                {"vulnerable", "refused", false, "test refused", RANK_TEST_FAILED},
                {"skipped", "failed", false, "test failed", RANK_TEST_FAILED},
                {"vulnerable", NULL, false, "vulnerable", RANK_VULNERABLE},
                {"vulnerable", NULL, true, "vulnerable", RANK_VULNERABLE},
                {"reload-vulnerable", NULL, false, "reload-vulnerable", RANK_RELOAD_VULNERABLE},
                {"start-blocked", NULL, false, "start-blocked", RANK_START_BLOCKED},
                {"start-blocked", "failed", false, "start-blocked", RANK_START_BLOCKED},
                /* A restart test that passed proves nothing about a reload. */
                {"reload-vulnerable", "passed", false, "reload-vulnerable", RANK_RELOAD_VULNERABLE},
                {"reload-vulnerable", "failed", false, "test failed", RANK_TEST_FAILED},
                {"skipped", NULL, false, "skipped", RANK_SKIPPED},
                {"not-applicable", "skipped", false, "not-applicable", RANK_NOT_APPLICABLE},
                {"protected", "passed", false, "test passed", RANK_PROTECTED},
                {"protected", "skipped", false, "protected", RANK_PROTECTED},
                {"protected", NULL, false, "protected", RANK_PROTECTED},
                /* A verdict of a later tether: named as it is, ranked as an error. */
                {"quarantined", NULL, false, "quarantined", RANK_ERROR},
                {"quarantined", "passed", false, "quarantined", RANK_ERROR},
                {"quarantined", "failed", false, "test failed", RANK_TEST_FAILED},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                const char *outcome;
                enum host_rank rank;
                json_t *report;

                outcome_of(cases[i].verdict, cases[i].test_result, cases[i].error, &outcome, &rank, &report);
                if (strcmp(outcome, cases[i].outcome) != 0 || rank != cases[i].rank)
                        fail_msg("verdict %s, test %s: got \"%s\" rank %d, expected \"%s\" rank %d",
                                 cases[i].verdict ? cases[i].verdict : "(none)",
                                 cases[i].test_result ? cases[i].test_result : "(none)", outcome, (int)rank,
                                 cases[i].outcome, (int)cases[i].rank);
                json_decref(report);
        }
}

static void test_outcome_names(void **state) {
        static const char *const names[] = {"error",        "connection lost", "unreachable",
                                            "broken",       "start-blocked",   "test failed",
                                            "test refused", "vulnerable",      "reload-vulnerable",
                                            "skipped",      "not-applicable",  "test passed",
                                            "protected"};

        assert_int_equal(ELEMENTSOF(names), _HOST_OUTCOME_MAX);
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                assert_string_equal(host_outcome_to_string((enum host_outcome)i), names[i]);
        assert_null(host_outcome_to_string(HOST_OUTCOME_UNKNOWN));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_stages),
                cmocka_unit_test(test_first_failure_wins),
                cmocka_unit_test(test_long_message),
                cmocka_unit_test(test_verdicts),
                cmocka_unit_test(test_verdicts_of_the_agent),
                cmocka_unit_test(test_test_results),
                cmocka_unit_test(test_agent_fates),
                cmocka_unit_test(test_counts_as_failed),
                cmocka_unit_test(test_rendered_outcomes),
                cmocka_unit_test(test_cut_off_outcomes),
                cmocka_unit_test(test_outcome_names),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
