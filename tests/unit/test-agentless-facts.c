/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for controller/agentless-facts.c: the facts of a real host
 * (tests/unit/fixtures/agentless: agentless-gather.sh's output on a host
 * of the test fleet) as the judge reads them; answers that cannot be the
 * script's refused with the problem named and *ret untouched.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "agentless-facts.h"
#include "agentless-fixture.h"
#include "fileio.h"
#include "judge.h"
#include "macro.h"

static struct tether_host_facts *const untouched = (struct tether_host_facts *)(uintptr_t)0x1;

/* The facts of a fixture's answer. */
static struct tether_host_facts *facts_of(const char *name) {
        _cleanup_free_ char *text = fixture(name);
        _cleanup_(tether_sections_freep) struct tether_sections *sections = sections_of(text);
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_host_facts *facts = NULL;

        if (tether_agentless_facts(sections, &facts, &error) != 0)
                fail_msg("%s: %s", name, error.text);
        return facts;
}

/* Debian 12, firewalld 1.3.3 running, Docker 20.10 in its zone, no
 * drop-in: the facts, and the verdict the agent gives such a host. */
static void test_debian12_firewalld(void **state) {
        _cleanup_(tether_judgement_freep) struct tether_judgement *judgement = NULL;
        struct tether_host_facts *facts = facts_of("debian12-firewalld.out");

        assert_string_equal(facts->hostname, "fwd-05");
        assert_string_equal(facts->os_id, "debian");
        assert_string_equal(facts->os_version_id, "12");
        assert_string_equal(facts->systemd_version, "252.39-1~deb12u2");
        assert_true(tether_host_facts_docker_active(facts));
        assert_string_equal(facts->docker_version, "20.10.24+dfsg1");
        assert_int_equal(facts->docker_major, 20);
        assert_int_equal(facts->running_containers, 0);
        assert_false(facts->live_restore);
        assert_int_equal(facts->starts_in_window, 0); /* its one start was minutes ago */
        assert_int_equal(facts->netfilter_backend, TETHER_NETFILTER_NFT);
        assert_non_null(facts->ipv4);
        assert_non_null(facts->ipv6);
        assert_null(facts->nft_tables);
        /* Installed, in the order of tether's knowledge; only firewalld runs. */
        assert_int_equal(facts->n_firewalls, 4);
        assert_string_equal(facts->firewalls[0]->id, "nftables.service");
        assert_string_equal(facts->firewalls[1]->id, "netfilter-persistent.service");
        assert_string_equal(facts->firewalls[2]->id, "firewalld.service");
        assert_string_equal(facts->firewalls[3]->id, "ufw.service");
        for (size_t i = 0; i < facts->n_firewalls; i++)
                assert_int_equal(tether_unit_is_active(facts->firewalls[i]), i == 2);
        assert_string_equal(facts->firewalld_version, "1.3.3");
        assert_string_equal(facts->firewalld_bridge_zone, "docker");
        assert_string_equal(facts->files[TETHER_HOST_FILE_DOCKER_DAEMON_JSON],
                            "{\"storage-driver\":\"vfs\"}\n");
        assert_null(facts->files[TETHER_HOST_FILE_FIREWALLD_DIRECT]);
        assert_string_equal(facts->dropin_path,
                            "/etc/systemd/system/docker.service.d/50-tether-firewall.conf");
        assert_null(facts->dropin_contents);
        assert_int_equal(facts->n_other_dropins, 0);
        assert_non_null(facts->watch);
        assert_false(tether_unit_exists(facts->watch));

        assert_int_equal(tether_judge(facts, TETHER_POLICY_BIND, false, &judgement), 0);
        assert_int_equal(judgement->verdict, TETHER_VERDICT_VULNERABLE);
        assert_int_equal(judgement->rules_missing, 0);
        tether_host_facts_free(facts);
}

/* Debian 12 with the fleet's iptables.service (iptables-restore of its
 * rules file) running and nothing tying docker to it. */
static void test_debian12_iptables(void **state) {
        _cleanup_(tether_judgement_freep) struct tether_judgement *judgement = NULL;
        struct tether_host_facts *facts = facts_of("debian12-iptables.out");

        assert_string_equal(facts->hostname, "ipt-02");
        assert_int_equal(facts->n_firewalls, 5);
        assert_string_equal(facts->firewalls[1]->id, "iptables.service");
        assert_true(tether_unit_is_active(facts->firewalls[1]));
        assert_null(facts->firewalld_version); /* not running: not asked */
        assert_null(facts->firewalld_bridge_zone);
        assert_int_equal(tether_judge(facts, TETHER_POLICY_BIND, false, &judgement), 0);
        assert_int_equal(judgement->verdict, TETHER_VERDICT_VULNERABLE);
        assert_int_equal(judgement->rules_missing, 0);
        assert_non_null(judgement->dropin_expected);
        assert_non_null(strstr(judgement->dropin_expected, "\nRequires=iptables.service\n"));
        tether_host_facts_free(facts);
}

/* text with every from made to (as a new string). */
static char *replace_all(const char *text, const char *from, const char *to) {
        size_t n = 0, from_length = strlen(from), to_length = strlen(to);
        char *result, *out;

        for (const char *p = strstr(text, from); p; p = strstr(p + from_length, from))
                n++;
        assert_true(n > 0);
        result = out = malloc(strlen(text) + n * to_length + 1);
        assert_non_null(result);
        for (const char *p = text, *at; *p; p = at + from_length) {
                at = strstr(p, from);
                if (!at) {
                        strcpy(out, p);
                        return result;
                }
                memcpy(out, p, (size_t)(at - p));
                out += at - p;
                memcpy(out, to, to_length);
                out += to_length;
        }
        *out = '\0';
        return result;
}

/* docker's starts against the wall clock to the microsecond, as the
 * journal has them: one 30 s ago and one 0.4 s ago, in docker's 60 s
 * window, so a test (two starts) is near its limit of 3 until the first
 * is 60 s old. Read to the second, the clock would put the last start
 * after now, count one, and find no limit near. */
static void test_docker_starts_to_the_microsecond(void **state) {
        _cleanup_free_ char *text = fixture("debian12-iptables.out");
        _cleanup_free_ char *precise = replace_all(text, BOUNDARY " begin clocks\n1796250288\n",
                                                   BOUNDARY " begin clocks\n1796250288.900000\n");
        _cleanup_free_ char *older = replace_all(precise, "1796249702.013490 ", "1796250258.700000 ");
        _cleanup_free_ char *recent = replace_all(older, "1796249916.149662 ", "1796250288.500000 ");
        _cleanup_(tether_sections_freep) struct tether_sections *sections = sections_of(recent);
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_host_facts *facts = NULL;

        (void)state;
        assert_int_equal(tether_agentless_facts(sections, &facts, &error), 0);
        assert_int_equal(facts->starts_in_window, 2);
        /* Room when the first start leaves the window: 1796250318.7, 29.8 s on. */
        assert_int_equal(facts->start_room_in_sec, 30);
        tether_host_facts_free(facts);
}

/* The same answer with one section changed to what the script never
 * prints: refused, naming what is wrong. */
static void test_refused(void **state) {
        static const struct {
                const char *from, *to, *message;
        } cases[] = {
                {BOUNDARY " begin clocks\n1", BOUNDARY " begin clocks\nx",
                 "the host's clocks could not be read"},
                {"NeedDaemonReload=no\n", "NeedDaemonReload=perhaps\n",
                 "NeedDaemonReload= cannot be 'perhaps'"},
                {"unit docker.service", "unit docker-gone.service", "no 'systemctl show' of docker.service"},
                {BOUNDARY " end iptables-save 0\n", BOUNDARY " end iptables-save 4\n",
                 "iptables-save failed with status 4"},
                {"unit ufw.service", "unit ufw-gone.service", "no 'systemctl show' of ufw.service"},
        };
        _cleanup_free_ char *text = fixture("debian12-firewalld.out");

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_(tether_sections_freep) struct tether_sections *sections = NULL;
                struct tether_error error = TETHER_ERROR_INIT;
                struct tether_host_facts *facts = untouched;
                _cleanup_free_ char *changed = replace_all(text, cases[i].from, cases[i].to);

                sections = sections_of(changed);
                assert_true(tether_agentless_facts(sections, &facts, &error) < 0);
                assert_ptr_equal(facts, untouched);
                if (!strstr(error.text, cases[i].message))
                        fail_msg("case %zu: '%s', expected '%s'", i, error.text, cases[i].message);
        }
}

/* A Debian 12 fleet host's answer from a PID and mount namespace of its
 * own, with /run/systemd hidden: no systemd, PID 1 a shell. The host gets
 * its verdict, as the agent gives it there, not an error. */
static void test_debian12_without_systemd(void **state) {
        _cleanup_(tether_judgement_freep) struct tether_judgement *judgement = NULL;
        struct tether_host_facts *facts = facts_of("debian12-no-systemd.out");

        (void)state;
        assert_string_equal(facts->init_system, "sh");
        assert_false(tether_unit_exists(facts->docker));
        assert_int_equal(facts->n_firewalls, 0);
        assert_int_equal(facts->dockerd_outside_pid, 0); /* its dockerd is in the namespace outside */
        assert_false(facts->unit_dir_read_only);
        assert_int_equal(tether_judge(facts, TETHER_POLICY_BIND, false, &judgement), 0);
        assert_int_equal(judgement->verdict, TETHER_VERDICT_NOT_APPLICABLE);
        assert_true(strncmp(judgement->reasons[0], "this host does not run systemd (PID 1 is sh): ", 46) ==
                    0);
        tether_host_facts_free(facts);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_debian12_firewalld),
                cmocka_unit_test(test_debian12_iptables),
                cmocka_unit_test(test_debian12_without_systemd),
                cmocka_unit_test(test_docker_starts_to_the_microsecond),
                cmocka_unit_test(test_refused),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
