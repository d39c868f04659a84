/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/verdict.c: every row of the table in verdict.h, the
 * precedence between rows (broken first), the boundaries of each count, and
 * the names of the verdicts both ways, with unknown names refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "macro.h"
#include "verdict.h"

/* A healthy host with docker running, one flushing firewall, tied. */
static const struct tether_verdict_facts protected_host = {
        .docker_installed = true,
        .docker_active = true,
        .docker_enabled = true,
        .rules_missing = 0,
        .flushing_units = 1,
        .flushing_untied = 0,
};

static enum tether_verdict decide(struct tether_verdict_facts facts) {
        return tether_verdict_decide(&facts);
}

/* docker active, some expected rules missing now -> broken */
static void test_broken(void **state) {
        struct tether_verdict_facts facts = protected_host;

        facts.rules_missing = 1;
        assert_int_equal(decide(facts), TETHER_VERDICT_BROKEN);
        facts.rules_missing = SIZE_MAX;
        assert_int_equal(decide(facts), TETHER_VERDICT_BROKEN);

        /* Broken comes before every other row: whatever the firewalls and
         * whether docker is enabled, running containers are cut off now. */
        for (size_t units = 0; units < 3; units++)
                for (size_t untied = 0; untied <= units; untied++)
                        for (int enabled = 0; enabled < 2; enabled++) {
                                facts = protected_host;
                                facts.rules_missing = 3;
                                facts.flushing_units = units;
                                facts.flushing_untied = untied;
                                facts.docker_enabled = enabled;
                                assert_int_equal(decide(facts), TETHER_VERDICT_BROKEN);
                        }
}

/* Missing rules mean nothing while docker is not running. */
static void test_missing_rules_docker_stopped(void **state) {
        struct tether_verdict_facts facts = protected_host;

        facts.docker_active = false;
        facts.rules_missing = 7;
        assert_int_equal(decide(facts), TETHER_VERDICT_PROTECTED);
        facts.flushing_untied = 1;
        assert_int_equal(decide(facts), TETHER_VERDICT_VULNERABLE);
        facts.docker_enabled = false;
        assert_int_equal(decide(facts), TETHER_VERDICT_NOT_APPLICABLE);
}

/* no docker, or docker neither active nor enabled -> not-applicable */
static void test_no_docker(void **state) {
        struct tether_verdict_facts facts = {0};

        assert_int_equal(decide(facts), TETHER_VERDICT_NOT_APPLICABLE);

        facts = protected_host;
        facts.docker_installed = false;
        facts.docker_active = false;
        facts.docker_enabled = false;
        assert_int_equal(decide(facts), TETHER_VERDICT_NOT_APPLICABLE);
        /* Not installed: whatever else was gathered. */
        facts.flushing_untied = 1;
        assert_int_equal(decide(facts), TETHER_VERDICT_NOT_APPLICABLE);
        facts.rules_missing = 5;
        assert_int_equal(decide(facts), TETHER_VERDICT_NOT_APPLICABLE);

        facts = protected_host;
        facts.docker_active = false;
        facts.docker_enabled = false;
        assert_int_equal(decide(facts), TETHER_VERDICT_NOT_APPLICABLE);
        facts.flushing_untied = 1;
        assert_int_equal(decide(facts), TETHER_VERDICT_NOT_APPLICABLE);
}

/* Active or enabled is enough for docker to matter. */
static void test_docker_active_or_enabled(void **state) {
        struct tether_verdict_facts facts = protected_host;

        facts.docker_active = true;
        facts.docker_enabled = false;
        assert_int_equal(decide(facts), TETHER_VERDICT_PROTECTED);
        facts.flushing_untied = 1;
        assert_int_equal(decide(facts), TETHER_VERDICT_VULNERABLE);

        facts = protected_host;
        facts.docker_active = false;
        facts.docker_enabled = true;
        assert_int_equal(decide(facts), TETHER_VERDICT_PROTECTED);
        facts.flushing_untied = 1;
        assert_int_equal(decide(facts), TETHER_VERDICT_VULNERABLE);
}

/* no firewall unit that flushes Docker's rules is enabled or active -> not-applicable */
static void test_no_flushing_firewall(void **state) {
        struct tether_verdict_facts facts = protected_host;

        facts.flushing_units = 0;
        facts.flushing_untied = 0;
        assert_int_equal(decide(facts), TETHER_VERDICT_NOT_APPLICABLE);
        facts.docker_active = false;
        assert_int_equal(decide(facts), TETHER_VERDICT_NOT_APPLICABLE);
}

/* every such unit tied to docker (loaded by systemd), reloads covered -> protected */
static void test_protected(void **state) {
        struct tether_verdict_facts facts = protected_host;

        assert_int_equal(decide(facts), TETHER_VERDICT_PROTECTED);
        facts.flushing_units = 5;
        assert_int_equal(decide(facts), TETHER_VERDICT_PROTECTED);
        facts.flushing_units = SIZE_MAX;
        assert_int_equal(decide(facts), TETHER_VERDICT_PROTECTED);
}

/* every unit tied, but a reload of one flushes and restarts nothing -> reload-vulnerable */
static void test_reload_vulnerable(void **state) {
        struct tether_verdict_facts facts = protected_host;

        facts.reload_uncovered = 1;
        assert_int_equal(decide(facts), TETHER_VERDICT_RELOAD_VULNERABLE);
        facts.flushing_units = 3;
        facts.reload_uncovered = 2;
        assert_int_equal(decide(facts), TETHER_VERDICT_RELOAD_VULNERABLE);
        /* An untied unit is worse: a restart alone cuts Docker off. */
        facts.flushing_untied = 1;
        assert_int_equal(decide(facts), TETHER_VERDICT_VULNERABLE);
        /* Broken and not-applicable come first, as for protected. */
        facts = protected_host;
        facts.reload_uncovered = 1;
        facts.rules_missing = 2;
        assert_int_equal(decide(facts), TETHER_VERDICT_BROKEN);
        facts.rules_missing = 0;
        facts.docker_installed = false;
        assert_int_equal(decide(facts), TETHER_VERDICT_NOT_APPLICABLE);
}

/* docker Requires= a masked, missing or failed unit -> start-blocked */
static void test_start_blocked(void **state) {
        struct tether_verdict_facts facts = protected_host;

        facts.blocking_units = 1;
        assert_int_equal(decide(facts), TETHER_VERDICT_START_BLOCKED);
        /* Worse than a missing tie: it holds for a docker that is down because of it. */
        facts.flushing_untied = 1;
        facts.docker_active = false;
        assert_int_equal(decide(facts), TETHER_VERDICT_START_BLOCKED);
        /* Not for a docker that is neither running nor enabled, nor over rules missing now. */
        facts.docker_enabled = false;
        assert_int_equal(decide(facts), TETHER_VERDICT_NOT_APPLICABLE);
        facts = protected_host;
        facts.blocking_units = 1;
        facts.rules_missing = 1;
        assert_int_equal(decide(facts), TETHER_VERDICT_BROKEN);
}

/* some unit not tied -> vulnerable */
static void test_vulnerable(void **state) {
        struct tether_verdict_facts facts = protected_host;

        facts.flushing_untied = 1;
        assert_int_equal(decide(facts), TETHER_VERDICT_VULNERABLE);
        /* One of two untied is enough. */
        facts.flushing_units = 2;
        assert_int_equal(decide(facts), TETHER_VERDICT_VULNERABLE);
        facts.flushing_untied = 2;
        assert_int_equal(decide(facts), TETHER_VERDICT_VULNERABLE);
}

static void test_decide_does_not_change_facts(void **state) {
        struct tether_verdict_facts facts = protected_host;

        facts.flushing_untied = 1;
        assert_int_equal(tether_verdict_decide(&facts), TETHER_VERDICT_VULNERABLE);
        assert_true(facts.docker_installed && facts.docker_active && facts.docker_enabled);
        assert_int_equal(facts.rules_missing, 0);
        assert_int_equal(facts.flushing_units, 1);
        assert_int_equal(facts.flushing_untied, 1);
}

static void test_strings(void **state) {
        static const struct {
                enum tether_verdict verdict;
                const char *name;
        } names[] = {
                {TETHER_VERDICT_PROTECTED, "protected"},
                {TETHER_VERDICT_VULNERABLE, "vulnerable"},
                {TETHER_VERDICT_BROKEN, "broken"},
                {TETHER_VERDICT_NOT_APPLICABLE, "not-applicable"},
                {TETHER_VERDICT_RELOAD_VULNERABLE, "reload-vulnerable"},
                {TETHER_VERDICT_START_BLOCKED, "start-blocked"},
        };

        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                enum tether_verdict verdict = (enum tether_verdict) - 1;

                assert_string_equal(tether_verdict_to_string(names[i].verdict), names[i].name);
                assert_int_equal(tether_verdict_from_string(names[i].name, &verdict), 0);
                assert_int_equal(verdict, names[i].verdict);
                /* Round trip from the enum. */
                assert_int_equal(
                        tether_verdict_from_string(tether_verdict_to_string(names[i].verdict), &verdict), 0);
                assert_int_equal(verdict, names[i].verdict);
        }
}

static void test_unknown_strings(void **state) {
        static const char *const unknown[] = {
                "",           "Protected", "PROTECTED",      "protected ",     " protected",
                "protectedx", "protect",   "not_applicable", "not applicable", "notapplicable",
                "n/a",        "ok",        "broken\n",       "\xff",
        };

        for (size_t i = 0; i < ELEMENTSOF(unknown); i++) {
                enum tether_verdict verdict = (enum tether_verdict)42;

                assert_int_equal(tether_verdict_from_string(unknown[i], &verdict), -EINVAL);
                assert_int_equal(verdict, 42);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_broken),
                cmocka_unit_test(test_missing_rules_docker_stopped),
                cmocka_unit_test(test_no_docker),
                cmocka_unit_test(test_docker_active_or_enabled),
                cmocka_unit_test(test_no_flushing_firewall),
                cmocka_unit_test(test_protected),
                cmocka_unit_test(test_reload_vulnerable),
                cmocka_unit_test(test_start_blocked),
                cmocka_unit_test(test_vulnerable),
                cmocka_unit_test(test_decide_does_not_change_facts),
                cmocka_unit_test(test_strings),
                cmocka_unit_test(test_unknown_strings),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
