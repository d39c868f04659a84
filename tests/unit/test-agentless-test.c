/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for controller/agentless-test.c: the agent's options of test
 * read back, the words and the whole command (no single quote), and each
 * unit's entry from the test script's real answers on fleet hosts
 * (tests/unit/fixtures/agentless, the files of "test"): passed on Debian 11, failed
 * and repaired on an untied Debian 13, a firewall that failed to start and
 * docker started without it; the rules judged here, not by the script; the
 * lock held; an answer that lacks a section.
 */
#include <errno.h>
#include <stdlib.h>

#include "agentless-fixture.h"
#include "agentless-test.h"
#include "agentless.h"
#include "macro.h"
#include "netfilter.h"

static const struct agentless_test_options restart = {.scenario = TETHER_TEST_SCENARIO_RESTART,
                                                      .wait_seconds = 60};

static void test_options(void **state) {
        struct agentless_test_options options = {.wait_seconds = 7};
        char *defaults[] = {NULL};
        char *all[] = {"--scenario", "stop-start", "--wait", "30", "--firewall", "iptables", NULL};
        char *bad_scenario[] = {"--scenario", "sideways", NULL};
        char *bad_wait[] = {"--wait", "0", NULL};
        char *unknown[] = {"--policy", "follow", NULL};
        char *lacking[] = {"--wait", NULL};

        (void)state;
        assert_int_equal(agentless_test_options_parse(defaults, &options), 0);
        assert_int_equal(options.scenario, TETHER_TEST_SCENARIO_RESTART);
        assert_int_equal(options.wait_seconds, 60);
        assert_null(options.firewall);
        assert_int_equal(agentless_test_options_parse(all, &options), 0);
        assert_int_equal(options.scenario, TETHER_TEST_SCENARIO_STOP_START);
        assert_int_equal(options.wait_seconds, 30);
        assert_string_equal(options.firewall, "iptables");
        assert_int_equal(agentless_test_options_parse(bad_scenario, &options), -EINVAL);
        assert_int_equal(agentless_test_options_parse(bad_wait, &options), -EINVAL);
        assert_int_equal(agentless_test_options_parse(unknown, &options), -EINVAL);
        assert_int_equal(agentless_test_options_parse(lacking, &options), -EINVAL);
        /* untouched on failure */
        assert_int_equal(options.wait_seconds, 30);
}

static void test_words_and_command(void **state) {
        struct agentless_test_options flush = {.scenario = TETHER_TEST_SCENARIO_FLUSH, .wait_seconds = 60};
        struct agentless_test_options reload = {.scenario = TETHER_TEST_SCENARIO_RELOAD, .wait_seconds = 90};
        _cleanup_free_ char *words = NULL, *command = NULL;
        char *other = NULL;

        (void)state;
        assert_int_equal(agentless_test_words("iptables.service", &restart, &words), 0);
        assert_string_equal(words, "check_in\nrun_test iptables.service restart 60\ngather\n");
        assert_int_equal(agentless_test_words("nftables.service", &reload, &other), 0);
        assert_string_equal(other, "check_in\nrun_test nftables.service reload 90\ngather\n");
        free(other);
        other = NULL;
        assert_int_equal(agentless_test_words("a;b.service", &restart, &other), -EINVAL);
        assert_int_equal(agentless_test_words("$(id).service", &restart, &other), -EINVAL);
        assert_int_equal(agentless_test_words("iptables.service", &flush, &other), -EINVAL);
        assert_null(other);

        /* Every script of the command in one quoted word: none holds a single quote. */
        assert_int_equal(agentless_test_command(BOUNDARY, false, NULL, NULL, words, &command), 0);
        assert_true(strncmp(command, "/bin/sh -c 'exec /bin/sh -c \"$1\" tether' sh 'B=\"" BOUNDARY "\"",
                            50) == 0);
        assert_non_null(strstr(command, "\nrun_test() {\n"));
        assert_non_null(strstr(command, "\ncheck_in\nrun_test iptables.service restart 60\ngather\n'"));
        assert_ptr_equal(strchr(strstr(command, " sh '") + 5, '\''), command + strlen(command) - 1);
}

/* The facts the test was judged on: the rules the fixture's script read
 * before its job (the controller has them from the gathering before). */
static struct tether_host_facts before_of(const struct tether_sections *sections) {
        struct tether_host_facts facts = {};
        const struct tether_section *ipv4 = tether_sections_get(sections, "before 4");
        const struct tether_section *ipv6 = tether_sections_get(sections, "before 6");

        assert_non_null(ipv4);
        assert_int_equal(tether_netfilter_parse_save(ipv4->text, ipv4->length, &facts.ipv4, NULL), 0);
        if (ipv6 && ipv6->length > 0)
                assert_int_equal(tether_netfilter_parse_save(ipv6->text, ipv6->length, &facts.ipv6, NULL),
                                 0);
        return facts;
}

static void before_clear(struct tether_host_facts *facts) {
        tether_netfilter_snapshot_free(facts->ipv4);
        tether_netfilter_snapshot_free(facts->ipv6);
}

/* The entry of fixture's answer, which must parse. */
static json_t *entry_of(const char *text, bool *ret_passed, int expected) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_sections *sections = sections_of(text);
        struct tether_host_facts before = before_of(sections);
        json_t *entry = NULL;

        assert_int_equal(agentless_test_entry(sections, &before, "iptables.service", &restart, &entry,
                                              ret_passed, &error),
                         expected);
        before_clear(&before);
        tether_sections_free(sections);
        return entry;
}

static const char *string_of(const json_t *object, const char *key) {
        return json_string_value(json_object_get(object, key));
}

static void test_passed(void **state) {
        _cleanup_free_ char *text = fixture("debian11-test-passed.out");
        bool passed = false;
        json_t *entry;

        (void)state;
        entry = entry_of(text, &passed, 0);
        assert_true(passed);
        assert_string_equal(string_of(entry, "result"), "passed");
        assert_string_equal(string_of(entry, "unit"), "iptables.service");
        assert_string_equal(string_of(entry, "scenario"), "restart");
        assert_true(json_is_true(json_object_get(entry, "docker_restarted")));
        assert_int_equal(json_integer_value(json_object_get(entry, "rules_missing")), 0);
        assert_int_equal(json_integer_value(json_object_get(entry, "heal_ms")), 7380);
        assert_null(json_object_get(entry, "repair"));
        assert_null(json_object_get(entry, "reason"));
        json_decref(entry);
}

/* Untied: docker was not restarted, 20 items were lost, and the repair's
 * restart brought every one back. */
static void test_untied_repaired(void **state) {
        _cleanup_free_ char *text = fixture("debian13-test-untied.out");
        bool passed = true;
        json_t *entry, *repair;

        (void)state;
        entry = entry_of(text, &passed, 0);
        assert_false(passed);
        assert_string_equal(string_of(entry, "result"), "failed");
        assert_false(json_is_true(json_object_get(entry, "docker_restarted")));
        assert_int_equal(json_integer_value(json_object_get(entry, "rules_missing")), 20);
        assert_string_equal(string_of(entry, "reason"),
                            "docker was not restarted with the firewall, and its rules stayed lost");
        assert_null(json_object_get(entry, "heal_ms"));
        repair = json_object_get(entry, "repair");
        assert_string_equal(string_of(repair, "action"), "restarted docker");
        assert_true(json_is_true(json_object_get(repair, "ok")));
        assert_int_equal(json_integer_value(json_object_get(repair, "rules_missing")), 0);
        json_decref(entry);
}

/* The firewall's stop command failed (its first, "-"-prefixed record is
 * of an ignored failure, logged at debug): nothing was flushed, docker was
 * not restarted, and the entry says the test proved little. */
static void test_stop_failed(void **state) {
        _cleanup_free_ char *text = fixture("debian11-test-stop-failed.out");
        bool passed = true;
        json_t *entry, *stop;

        (void)state;
        entry = entry_of(text, &passed, 0);
        assert_false(passed);
        assert_false(json_is_true(json_object_get(entry, "docker_restarted")));
        assert_int_equal(json_integer_value(json_object_get(entry, "rules_missing")), 0);
        stop = json_object_get(entry, "firewall_stop_failed");
        assert_string_equal(string_of(stop, "code"), "exited");
        assert_int_equal(json_integer_value(json_object_get(stop, "status")), 1);
        assert_non_null(strstr(string_of(entry, "reason"), "stop command failed"));
        assert_null(json_object_get(entry, "repair"));
        json_decref(entry);

        /* Without the section (or with an empty one), no failure is seen. */
        free(text);
        text = fixture("debian11-test-passed.out");
        entry = entry_of(text, &passed, 0);
        assert_null(json_object_get(entry, "firewall_stop_failed"));
        json_decref(entry);
}

/* iptables.service failed to start (a bad rules file); docker, which
 * requires it, was started without it. */
static void test_job_failed(void **state) {
        _cleanup_free_ char *text = fixture("debian11-test-job-failed.out");
        bool passed = true;
        json_t *entry, *repair;

        (void)state;
        entry = entry_of(text, &passed, 0);
        assert_false(passed);
        assert_string_equal(
                string_of(entry, "error"),
                "RestartUnit iptables.service: systemd's job ended with \"failed\" (the unit's result: "
                "exit-code; see journalctl -u iptables.service)");
        /* Nothing was watched after a failed job, as with the agent. */
        assert_int_equal(json_integer_value(json_object_get(entry, "rules_missing")), 0);
        repair = json_object_get(entry, "repair");
        assert_non_null(strstr(string_of(repair, "action"), "started docker without iptables.service"));
        assert_true(json_is_true(json_object_get(repair, "ok")));
        assert_string_equal(
                string_of(entry, "reason"),
                "iptables.service failed (see error); the repair started docker without iptables.service, "
                "which failed to start: docker runs untied from it until it is fixed and docker "
                "restarted, and docker runs with its rules");
        json_decref(entry);
}

/* The script saw every rule back; the rules it printed lack one: tether's
 * reading wins, the test fails, and the entry says docker was not repaired. */
static void test_rules_are_judged_here(void **state) {
        _cleanup_free_ char *text = fixture("debian11-test-passed.out");
        char *after = strstr(text, "begin after 4"), *rule;
        bool passed = true;
        json_t *entry, *repair;

        (void)state;
        assert_non_null(after);
        rule = strstr(after, "\n-A DOCKER-USER -j RETURN\n");
        assert_non_null(rule);
        memcpy(rule + 1, "#A", 2); /* the rule turned into a comment */
        entry = entry_of(text, &passed, 0);
        assert_false(passed);
        assert_int_equal(json_integer_value(json_object_get(entry, "rules_missing")), 1);
        assert_string_equal(string_of(entry, "reason"),
                            "docker was restarted but its rules did not all come back");
        repair = json_object_get(entry, "repair");
        assert_false(json_is_true(json_object_get(repair, "ok")));
        assert_non_null(strstr(string_of(repair, "error"), "restart docker"));
        json_decref(entry);
}

/* text with its one "from" replaced by "to", in a new string. */
static char *replaced(const char *text, const char *from, const char *to) {
        const char *at = strstr(text, from);
        char *result = NULL;

        assert_non_null(at);
        assert_true(asprintf(&result, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from)) > 0);
        return result;
}

/* docker was still on its way back when the wait ran out: the reason says
 * the host is slow, not that a policy left docker stopped. */
static void test_still_starting(void **state) {
        _cleanup_free_ char *fixture_text = fixture("debian13-test-untied.out");
        _cleanup_free_ char *text = replaced(fixture_text, "restarted no\nrunning yes\n",
                                             "restarted yes\nrunning no\nchanging yes\n");
        bool passed = true;
        json_t *entry;

        (void)state;
        entry = entry_of(text, &passed, 0);
        assert_false(passed);
        assert_false(json_is_true(json_object_get(entry, "docker_active")));
        assert_non_null(strstr(string_of(entry, "reason"), "still starting or stopping"));
        assert_non_null(json_object_get(entry, "repair"));
        json_decref(entry);
}

static void test_lock_held_and_lacking_sections(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_sections *sections;
        _cleanup_free_ char *text = fixture("debian11-test-passed.out");
        struct tether_host_facts none = {};
        json_t *entry = NULL;
        bool passed = true;
        char *observed;

        (void)state;
        sections = sections_of(BOUNDARY
                               " begin lock\nbusy: another tether-agent is working on this host\n\n" BOUNDARY
                               " end lock 0\n");
        assert_int_equal(
                agentless_test_entry(sections, &none, "iptables.service", &restart, &entry, &passed, &error),
                -EBUSY);
        assert_string_equal(error.text, "busy: another tether-agent is working on this host");
        assert_null(entry);
        tether_sections_free(sections);
        tether_error_clear(&error);

        for (int i = 0; i < 2; i++) {
                observed = strstr(text, i == 0 ? "begin observed" : "end observed");
                assert_non_null(observed);
                memcpy(strchr(observed, ' ') + 1, "observer", 8);
        }
        sections = sections_of(text);
        assert_int_equal(
                agentless_test_entry(sections, &none, "iptables.service", &restart, &entry, &passed, &error),
                -EBADMSG);
        assert_string_equal(error.text, "the test's answer has no section \"observed\"");
        assert_null(entry);
        assert_true(passed);
        tether_sections_free(sections);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_options),
                cmocka_unit_test(test_words_and_command),
                cmocka_unit_test(test_passed),
                cmocka_unit_test(test_untied_repaired),
                cmocka_unit_test(test_stop_failed),
                cmocka_unit_test(test_job_failed),
                cmocka_unit_test(test_rules_are_judged_here),
                cmocka_unit_test(test_still_starting),
                cmocka_unit_test(test_lock_held_and_lacking_sections),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
