/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for controller/verbs.c: the table (names, what each verb
 * takes, how it rolls out, whether it changes hosts), the dispatcher's
 * checks of a command line against it with the exact message of each
 * refusal, and the agent's arguments each verb passes on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "macro.h"
#include "options.h"
#include "strbuf.h"
#include "verbs.h"

static void test_find(void **state) {
        static const char *const names[] = {"audit", "apply", "test", "revert", "inventory", "report"};

        assert_int_equal(n_verbs, ELEMENTSOF(names));
        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                assert_non_null(verb_find(names[i]));
                assert_string_equal(verb_find(names[i])->name, names[i]);
                assert_non_null(verb_find(names[i])->run);
                assert_non_null(verb_find(names[i])->summary);
        }
        assert_null(verb_find("Audit"));
        assert_null(verb_find("audi"));
        assert_null(verb_find(""));
        assert_null(verb_find(NULL));
}

static void test_what_verbs_are(void **state) {
        static const struct {
                const char *name;
                unsigned flags;
                enum rollout rollout;
                bool confirm;
        } cases[] = {
                {"audit", VERB_NEEDS_INVENTORY, ROLLOUT_ALL_AT_ONCE, false},
                {"apply", VERB_NEEDS_INVENTORY | VERB_CHANGES_HOSTS, ROLLOUT_ALL_AT_ONCE, false},
                {"test", VERB_NEEDS_INVENTORY | VERB_CHANGES_HOSTS, ROLLOUT_CANARY_THEN_BATCHES, true},
                {"revert", VERB_NEEDS_INVENTORY | VERB_CHANGES_HOSTS, ROLLOUT_ALL_AT_ONCE, false},
                {"inventory", VERB_NEEDS_INVENTORY, ROLLOUT_NONE, false},
                {"report", 0, ROLLOUT_NONE, false},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                const struct verb *verb = verb_find(cases[i].name);

                assert_int_equal(verb->flags, cases[i].flags);
                assert_int_equal(verb->rollout, cases[i].rollout);
                assert_int_equal(verb->confirm != NULL, cases[i].confirm);
                /* What goes to the agent is what the verb takes. */
                assert_int_equal(verb->agent_options & ~verb->options, 0);
        }
}

/* The options of one verb or a few, and the verbs that take them. */
static void test_options_of_verbs(void **state) {
        static const struct {
                enum option_id id;
                const char *verbs; /* that take it, separated by ' ' */
        } cases[] = {
                {OPTION_CHECK, "apply"},
                {OPTION_HEAL, "apply"},
                {OPTION_POLICY, "apply"},
                {OPTION_FIREWALL, "apply test"},
                {OPTION_YES, "test"},
                {OPTION_SCENARIO, "test"},
                {OPTION_WAIT, "test"},
                {OPTION_BATCH, "test"},
                {OPTION_MAX_FAIL, "test"},
                {OPTION_FAIL_ON, "audit"},
                {OPTION_JSON, "inventory"},
                {OPTION_NAMES, "inventory"},
                {OPTION_FORMAT, "report"},
                {OPTION_OUTPUT, "report"},
                {OPTION_INVENTORY, "audit apply test revert inventory"},
                {OPTION_PARALLEL, "audit apply test revert"},
                {OPTION_LIMIT, "audit apply test revert inventory"},
                {OPTION_SHARD, "audit apply test revert inventory"},
                {OPTION_AGENT, "audit apply test revert"},
                {OPTION_AGENT_PATH, "audit apply test revert"},
                {OPTION_SUDO_PASSWORD_FILE, "audit apply test revert"},
                {OPTION_HTML, "audit apply test revert"},
                {OPTION_RETRY_FILE, "audit apply test revert"},
                {OPTION_JUMP, "audit apply test revert"},
                {OPTION_QUIET, "audit apply test revert inventory report"},
                {OPTION_VERBOSE, "audit apply test revert inventory report"},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct strbuf takers = STRBUF_INIT;

                for (size_t v = 0; v < n_verbs; v++)
                        if (verb_takes_option(&verbs[v], cases[i].id))
                                strbuf_appendf(&takers, "%s%s", takers.length ? " " : "", verbs[v].name);
                if (strcmp(takers.data ? takers.data : "", cases[i].verbs) != 0)
                        fail_msg("--%s: taken by '%s', expected '%s'", option_spec_of(cases[i].id)->name,
                                 takers.data ? takers.data : "", cases[i].verbs);
                strbuf_free(&takers);
        }
}

static void test_command_lines(void **state) {
        static const struct {
                const char *verb;
                enum option_id given[3]; /* _OPTION_MAX ends */
                int n_args;
                const char *message; /* NULL: fine */
        } cases[] = {
                {"audit", {_OPTION_MAX}, 0, NULL},
                {"audit", {OPTION_FAIL_ON, OPTION_LIMIT, _OPTION_MAX}, 0, NULL},
                {"apply", {OPTION_CHECK, OPTION_POLICY, _OPTION_MAX}, 0, NULL},
                {"test", {OPTION_YES, OPTION_BATCH, _OPTION_MAX}, 0, NULL},
                {"inventory", {OPTION_JSON, _OPTION_MAX}, 0, NULL},
                {"report", {OPTION_FORMAT, OPTION_OUTPUT, _OPTION_MAX}, 2, NULL},
                {"revert",
                 {OPTION_CHECK, _OPTION_MAX},
                 0,
                 "--check goes with tether apply, not with tether revert."},
                {"audit",
                 {OPTION_HEAL, _OPTION_MAX},
                 0,
                 "--heal goes with tether apply, not with tether audit."},
                {"revert",
                 {OPTION_WATCH, _OPTION_MAX},
                 0,
                 "--watch goes with tether apply, not with tether revert."},
                {"audit",
                 {OPTION_FIREWALL, _OPTION_MAX},
                 0,
                 "--firewall goes with tether apply or test, not with tether audit."},
                {"apply",
                 {OPTION_YES, _OPTION_MAX},
                 0,
                 "--yes goes with tether test, not with tether apply."},
                {"test",
                 {OPTION_YES, OPTION_FAIL_ON, _OPTION_MAX},
                 0,
                 "--fail-on goes with tether audit, not with tether test."},
                {"revert",
                 {OPTION_MAX_FAIL, _OPTION_MAX},
                 0,
                 "--max-fail goes with tether test, not with tether revert."},
                {"inventory", {OPTION_LIMIT, OPTION_SHARD, _OPTION_MAX}, 0, NULL},
                {"report",
                 {OPTION_LIMIT, _OPTION_MAX},
                 2,
                 "--limit goes with tether audit, apply, test, revert or inventory, not with tether "
                 "report."},
                {"report",
                 {OPTION_INVENTORY, _OPTION_MAX},
                 2,
                 "--inventory goes with tether audit, apply, test, revert or inventory, not with tether "
                 "report."},
                {"audit",
                 {OPTION_OUTPUT, _OPTION_MAX},
                 0,
                 "--output goes with tether report, not with tether audit."},
                /* The first option out of place, in the table's order. */
                {"revert",
                 {OPTION_FAIL_ON, OPTION_CHECK, _OPTION_MAX},
                 0,
                 "--check goes with tether apply, not with tether revert."},
                {"test",
                 {_OPTION_MAX},
                 0,
                 "tether test restarts the firewall service of every host it tests, which briefly cuts "
                 "their "
                 "containers off: pass --yes to go ahead."},
                {"audit", {_OPTION_MAX}, 1, "'tether audit' takes 0 to 0 arguments, got 1."},
                {"report", {_OPTION_MAX}, 1, "'tether report' takes 2 to 1000 arguments, got 1."},
                {"report", {_OPTION_MAX}, 1001, "'tether report' takes 2 to 1000 arguments, got 1001."},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct tether_error error = TETHER_ERROR_INIT;
                struct options options;
                int r;

                options_init(&options);
                for (size_t k = 0; cases[i].given[k] != _OPTION_MAX; k++) {
                        options.given |= OPTION_BIT(cases[i].given[k]);
                        if (cases[i].given[k] == OPTION_YES)
                                options.yes = true;
                }
                r = verb_check_command_line(verb_find(cases[i].verb), &options, cases[i].n_args, &error);
                if (!cases[i].message) {
                        if (r != 0)
                                fail_msg("case %zu, tether %s: %s", i, cases[i].verb, error.text);
                        continue;
                }
                assert_int_equal(r, -EINVAL);
                assert_string_equal(error.text, cases[i].message);
        }
}

/* An option from the environment ($TETHER_REPORT) is no option given. */
static void test_environment_is_not_given(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct options options;

        options_init(&options);
        options.inventory_path = "hosts.json";
        options.report_path = "report.json";
        assert_int_equal(verb_check_command_line(verb_find("report"), &options, 2, &error), 0);
}

static char *joined_agent_args(const char *verb, const struct options *options, int *ret_code,
                               struct tether_error *error) {
        struct strbuf out = STRBUF_INIT;
        _cleanup_strv_free_ char **args = NULL;

        *ret_code = verb_agent_args(verb_find(verb), options, &args, error);
        if (*ret_code < 0)
                return NULL;
        for (size_t i = 0; args[i]; i++)
                strbuf_appendf(&out, "%s%s", i ? " " : "", args[i]);
        return out.data ? strbuf_steal(&out) : strdup("");
}

static void test_agent_args(void **state) {
        static const struct {
                const char *verb;
                bool check, heal, watch, yes;
                const char *policy, *firewall, *scenario, *wait;
                const char *args; /* NULL: refused */
        } cases[] = {
                {"audit", false, false, false, false, NULL, NULL, NULL, NULL, ""},
                {"revert", false, false, false, false, NULL, NULL, NULL, NULL, ""},
                {"apply", false, false, false, false, NULL, NULL, NULL, NULL, ""},
                {"apply", true, true, false, false, "follow", "nftables.service", NULL, NULL,
                 "--check --heal --policy follow --firewall nftables.service"},
                {"apply", false, true, false, false, NULL, NULL, NULL, NULL, "--heal"},
                {"apply", false, false, true, false, NULL, NULL, NULL, NULL, "--watch"},
                /* Only apply's agent gets --watch; revert removes watch unasked. */
                {"revert", false, false, true, false, NULL, NULL, NULL, NULL, ""},
                {"test", false, false, false, true, NULL, "nftables.service", "stop-start", NULL,
                 "--firewall nftables.service --scenario stop-start"},
                {"test", false, false, false, true, NULL, NULL, "reload", "180",
                 "--scenario reload --wait 180"},
                {"test", false, false, false, true, NULL, NULL, NULL, NULL, ""},
                /* Only the verb's own reach the agent: --yes is tether's. */
                {"test", true, true, false, true, "bind", NULL, "reload", NULL, "--scenario reload"},
                {"audit", true, false, false, false, "bind", "iptables.service", "reload", "180", ""},
                /* A unit name may have a backslash; a shell must never see one. */
                {"apply", false, false, false, false, NULL, "fw\\x2dmain.service", NULL, NULL, NULL},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct tether_error error = TETHER_ERROR_INIT;
                struct options options;
                _cleanup_free_ char *args = NULL;
                int r;

                options_init(&options);
                options.check = cases[i].check;
                options.heal = cases[i].heal;
                options.watch = cases[i].watch;
                options.yes = cases[i].yes;
                options.policy = cases[i].policy;
                options.firewall = cases[i].firewall;
                options.scenario = cases[i].scenario;
                options.wait = cases[i].wait;
                args = joined_agent_args(cases[i].verb, &options, &r, &error);
                if (!cases[i].args) {
                        assert_int_equal(r, -EINVAL);
                        assert_string_equal(error.text, "'fw\\x2dmain.service' is not a valid value here.");
                        continue;
                }
                assert_int_equal(r, 0);
                assert_string_equal(args, cases[i].args);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_find),
                cmocka_unit_test(test_what_verbs_are),
                cmocka_unit_test(test_options_of_verbs),
                cmocka_unit_test(test_command_lines),
                cmocka_unit_test(test_environment_is_not_given),
                cmocka_unit_test(test_agent_args),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
