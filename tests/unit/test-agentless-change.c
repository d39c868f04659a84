/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for controller/agentless-change.c: apply and revert without
 * the agent. Plans are made from a real host's answer
 * (tests/unit/fixtures/agentless/debian12-iptables.out) with sections added
 * where a case needs them; texts go through this machine's /bin/sh as the
 * change script's printf formats and must come back byte for byte.
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

#include "agentless-change.h"
#include "agentless-fixture.h"
#include "agentless.h"
#include "fileio.h"
#include "macro.h"

#define DROPIN "/etc/systemd/system/docker.service.d/50-tether-firewall.conf"
#define HOOK(unit) "/etc/systemd/system/" unit ".d/50-tether-restart-docker.conf"

static char *fixture_with(const char *extra) {
        _cleanup_free_ char *text = fixture("debian12-iptables.out");
        char *joined;

        if (asprintf(&joined, "%s%s", text, extra ? extra : "") < 0)
                fail();
        return joined;
}

/* The plan of verb on the fixture's host with extra sections; returns
 * what agentless_plan_make() returned. */
static int plan_of(const char *verb, const struct agentless_options *options, const char *extra,
                   struct agentless_plan *plan, struct tether_error *error) {
        _cleanup_free_ char *text = fixture_with(extra);
        _cleanup_(tether_sections_freep) struct tether_sections *sections = sections_of(text);
        _cleanup_(tether_host_facts_freep) struct tether_host_facts *facts = NULL;
        _cleanup_(tether_judgement_freep) struct tether_judgement *judgement = NULL;

        if (agentless_judge(sections, options->policy, options->policy_forced, &facts, &judgement, error) <
            0)
                fail_msg("%s", error->text);
        return agentless_plan_make(verb, options, sections, facts, judgement, plan, error);
}

static void test_options(void **state) {
        static const struct {
                const char *args[6];
                int r;
                struct agentless_options want;
        } cases[] = {
                {{NULL}, 0, {.policy = TETHER_POLICY_BIND}},
                {{"--heal", "--check", NULL}, 0, {.heal = true, .check = true}},
                {{"--policy", "follow", NULL}, 0, {.policy = TETHER_POLICY_FOLLOW, .policy_forced = true}},
                {{"--watch", "--firewall", "iptables", NULL}, 0, {.watch = true, .firewall = "iptables"}},
                {{"--policy", "sideways", NULL}, -EINVAL, {}},
                {{"--policy", NULL}, -EINVAL, {}},
                {{"--scenario", "flush", NULL}, -EINVAL, {}},
        };

        (void)state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct agentless_options got = {.heal = true};

                assert_int_equal(agentless_options_parse((char *const *)cases[i].args, &got), cases[i].r);
                if (cases[i].r < 0)
                        continue;
                assert_int_equal(got.policy, cases[i].want.policy);
                assert_int_equal(got.policy_forced, cases[i].want.policy_forced);
                assert_int_equal(got.heal, cases[i].want.heal);
                assert_int_equal(got.check, cases[i].want.check);
                assert_int_equal(got.watch, cases[i].want.watch);
                if (cases[i].want.firewall)
                        assert_string_equal(got.firewall, cases[i].want.firewall);
                else
                        assert_null(got.firewall);
        }
}

/* What this machine's sh prints for printf "FORMAT". */
static char *sh_printf(const char *format, size_t *ret_length) {
        _cleanup_free_ char *command = NULL;
        char *out = calloc(1, 4096);
        size_t n = 0;
        FILE *pipe;

        if (!out || asprintf(&command, "printf \"%s\"", format) < 0 || !(pipe = popen(command, "r")))
                fail();
        n = fread(out, 1, 4095, pipe);
        assert_int_equal(pclose(pipe), 0);
        *ret_length = n;
        return out;
}

static void test_printf_format_round_trip(void **state) {
        char every_byte[256];
        const char *texts[] = {
                "[Unit]\nAfter=iptables.service\n",
                "100% of it, with %s and %%d and \\n and \\\\",
                "-e starts like an option",
                "$(touch /tmp/tether-injected) `id` \"$HOME\" 'quoted' !event",
                "/etc/systemd/system/a b\\x2dc.service.d/50-tether-restart-docker.conf",
                every_byte,
        };

        (void)state;
        for (size_t i = 1; i < 256; i++)
                every_byte[i - 1] = (char)i;
        every_byte[255] = '\0';
        for (size_t i = 0; i < ELEMENTSOF(texts); i++) {
                struct strbuf format = STRBUF_INIT;
                _cleanup_free_ char *printed = NULL;
                size_t length;

                agentless_printf_format(&format, texts[i]);
                assert_false(format.failed);
                assert_null(strchr(format.data, '\''));
                assert_null(strchr(format.data, '"'));
                assert_null(strchr(format.data, '$'));
                assert_null(strchr(format.data, '`'));
                printed = sh_printf(format.data, &length);
                assert_int_equal(length, strlen(texts[i]));
                assert_memory_equal(printed, texts[i], length);
                strbuf_free(&format);
        }
}

/* A section of the change script's output. */
static char *section(const char *name, const char *text, int status) {
        char *out;

        if (asprintf(&out, BOUNDARY " begin %s\n%s\n" BOUNDARY " end %s %d\n", name, text, name, status) < 0)
                fail();
        return out;
}

/* The fixture's host (iptables.service flushes, enabled; no drop-in):
 * apply writes the bind drop-in for iptables.service and checks it. */
static void test_plan_apply(void **state) {
        struct agentless_options options = {.policy = TETHER_POLICY_BIND};
        struct tether_error error = TETHER_ERROR_INIT;
        struct agentless_plan plan = {};
        _cleanup_free_ char *expected = NULL, *words = NULL;
        char *units[] = {"iptables.service", NULL};

        (void)state;
        assert_int_equal(plan_of("apply", &options, NULL, &plan, &error), 0);
        assert_int_equal(plan.set.n, 1);
        assert_string_equal(plan.set.items[0].path, DROPIN);
        assert_null(plan.set.items[0].before);
        assert_int_equal(tether_dropin_render(TETHER_POLICY_BIND, units, &expected, &error), 0);
        assert_string_equal(plan.set.items[0].after, expected);
        assert_string_equal(plan.ties[0], "iptables.service");
        assert_null(plan.ties[1]);
        assert_false(plan.heal); /* docker's rules are all there */

        assert_int_equal(agentless_change_words(&plan, &words), 0);
        assert_true(strncmp(words, "put \"$(printf \"/etc/systemd/system/docker.service.d/50", 53) == 0);
        assert_non_null(strstr(words, "\\133Unit\\135\\012After=iptables.service\\012"));
        assert_non_null(strstr(words, "\nchange\ngather\n"));
        assert_null(strstr(words, "heal"));
        agentless_plan_clear(&plan);
}

/* The whole command builds: both scripts hold no single quote, and the
 * plan's words follow them. */
static void test_change_command(void **state) {
        struct agentless_options options = {.policy = TETHER_POLICY_BIND};
        struct tether_error error = TETHER_ERROR_INIT;
        struct agentless_plan plan = {};
        _cleanup_free_ char *command = NULL, *sudo_command = NULL;

        (void)state;
        assert_int_equal(plan_of("apply", &options, NULL, &plan, &error), 0);
        assert_int_equal(agentless_change_command(BOUNDARY, false, NULL, NULL, &plan, &command), 0);
        assert_true(strncmp(command, "/bin/sh -c 'exec /bin/sh -c \"$1\" tether' sh 'B=\"" BOUNDARY "\"",
                            50) == 0);
        assert_non_null(strstr(command, "VERB=\"apply\"\nTIES=\"iptables.service\"\n"));
        assert_non_null(strstr(command, "\nchange\ngather\n'"));
        assert_int_equal(agentless_change_command(BOUNDARY, true, "[tether-sudo-1]", "iptables", &plan,
                                                  &sudo_command),
                         0);
        assert_non_null(strstr(sudo_command, "exec sudo -S -p \"[tether-sudo-1]\" -- /bin/sh"));
        assert_non_null(strstr(sudo_command, ".service iptables\"\nFILES="));
        free(command);
        command = NULL;
        assert_int_equal(agentless_change_command(BOUNDARY, false, NULL, "a;b", &plan, &command), -EINVAL);
        agentless_plan_clear(&plan);
}

/* follow: a hook on iptables.service, with the reload its unit file has;
 * a hook left on another unit goes. */
static void test_plan_apply_follow(void **state) {
        struct agentless_options options = {.policy = TETHER_POLICY_FOLLOW, .policy_forced = true};
        struct tether_error error = TETHER_ERROR_INIT;
        struct agentless_plan plan = {};
        _cleanup_free_ char *reloadable = section("reloadable", "/etc/systemd/system/iptables.service", 0);
        _cleanup_free_ char *old_hook = section("hook " HOOK("nftables.service"), "[Service]\n", 0);
        _cleanup_free_ char *extra = NULL, *hook = NULL;

        (void)state;
        if (asprintf(&extra, "%s%s", reloadable, old_hook) < 0)
                fail();
        assert_int_equal(plan_of("apply", &options, extra, &plan, &error), 0);
        assert_int_equal(plan.set.n, 3);
        assert_string_equal(plan.set.items[0].path, DROPIN);
        assert_non_null(strstr(plan.set.items[0].after, "After=iptables.service"));
        assert_null(strstr(plan.set.items[0].after, "Requires="));
        assert_string_equal(plan.set.items[1].path, HOOK("iptables.service"));
        assert_int_equal(tether_dropin_render_hook(true, &hook), 0);
        assert_string_equal(plan.set.items[1].after, hook);
        assert_string_equal(plan.set.items[2].path, HOOK("nftables.service"));
        assert_null(plan.set.items[2].after);
        assert_int_equal(plan.policy, TETHER_POLICY_FOLLOW);
        agentless_plan_clear(&plan);
}

/* What needs the agent, or a unit the host lacks, is refused with the fix. */
static void test_plan_refused(void **state) {
        struct agentless_options watch = {.watch = true}, missing = {.firewall = "no-such-firewall"},
                                 bad = {.firewall = "a$b"};
        struct tether_error error = TETHER_ERROR_INIT;
        struct agentless_plan plan = {};

        (void)state;
        assert_int_equal(plan_of("apply", &watch, NULL, &plan, &error), -EOPNOTSUPP);
        assert_non_null(strstr(error.text, "--mode agent"));
        tether_error_clear(&error);
        assert_int_equal(plan_of("apply", &missing, NULL, &plan, &error), -ENOENT);
        assert_non_null(strstr(error.text, "no-such-firewall.service is not installed"));
        tether_error_clear(&error);
        assert_int_equal(plan_of("apply", &bad, NULL, &plan, &error), -EINVAL);
        assert_null(plan.ties);
}

/* revert: tether's drop-in and every hook of tether's go; a file that
 * only looks like a hook stays. */
static void test_plan_revert(void **state) {
        struct agentless_options options = {};
        struct tether_error error = TETHER_ERROR_INIT;
        struct agentless_plan plan = {};
        _cleanup_free_ char *dropin = section("dropin " DROPIN, "[Unit]\nAfter=iptables.service\n", 0);
        _cleanup_free_ char *hook = section("hook " HOOK("iptables.service"), "[Service]\n", 0);
        _cleanup_free_ char *odd =
                section("hook /etc/systemd/system/x/y.d/50-tether-restart-docker.conf", "", 0);
        _cleanup_free_ char *extra = NULL;

        (void)state;
        if (asprintf(&extra, "%s%s%s", dropin, hook, odd) < 0)
                fail();
        assert_int_equal(plan_of("revert", &options, extra, &plan, &error), 0);
        assert_int_equal(plan.set.n, 2);
        assert_string_equal(plan.set.items[0].path, DROPIN);
        assert_string_equal(plan.set.items[0].before, "[Unit]\nAfter=iptables.service\n");
        assert_null(plan.set.items[0].after);
        assert_string_equal(plan.set.items[1].path, HOOK("iptables.service"));
        assert_string_equal(plan.dropin_path, DROPIN);
        agentless_plan_clear(&plan);

        /* Nothing of tether's: nothing to do. */
        assert_int_equal(plan_of("revert", &options, NULL, &plan, &error), 0);
        assert_int_equal(plan.set.n, 0);
        agentless_plan_clear(&plan);
}

/* What the change script printed by its question, as the reply sees it. */
static char *asked_output(const char *docker_show, int reload_status) {
        _cleanup_free_ char *reload = section("reload", "", reload_status);
        _cleanup_free_ char *docker = section("loaded docker.service", docker_show, 0);
        _cleanup_free_ char *iptables = section(
                "loaded iptables.service",
                "Id=iptables.service\nNames=iptables.service\nLoadState=loaded\nActiveState=active", 0);
        char *out;

        if (asprintf(&out, "%s%s%s" BOUNDARY " ask\n", reload, docker, iptables) < 0)
                fail();
        return out;
}

static void test_reply(void **state) {
        static const struct {
                const char *docker_show;
                int reload_status;
                const char *answer, *why;
        } cases[] = {
                {"Id=docker.service\nAfter=network.target iptables.service\nRequires=iptables.service\n"
                 "PartOf=iptables.service\nNeedDaemonReload=no",
                 0, "keep\n", NULL},
                {"Id=docker.service\nAfter=iptables.service\nRequires=iptables.service\nNeedDaemonReload=no",
                 0, "put-back\n",
                 "systemd did not take Requires= and PartOf=iptables.service for docker.service"},
                {"Id=docker.service\nAfter=network.target\nNeedDaemonReload=no", 0, "put-back\n",
                 "systemd did not take After=iptables.service for docker.service"},
                {"Id=docker.service\nAfter=iptables.service\nRequires=iptables.service\n"
                 "PartOf=iptables.service\nNeedDaemonReload=yes",
                 0, "put-back\n", "systemd has not loaded docker.service's new files"},
                {"Id=docker.service", 1, "put-back\n", "systemctl daemon-reload failed (status 1)"},
        };

        (void)state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char *ties[] = {"iptables.service", NULL};
                struct agentless_plan plan = {.verb = "apply", .policy = TETHER_POLICY_BIND, .ties = ties};
                struct agentless_asked asked = {.boundary = BOUNDARY, .plan = &plan};
                _cleanup_free_ char *out = asked_output(cases[i].docker_show, cases[i].reload_status);
                _cleanup_free_ char *answer = agentless_reply(out, strlen(out), &asked);

                assert_string_equal(answer, cases[i].answer);
                assert_true(asked.asked);
                assert_int_equal(asked.kept, cases[i].why == NULL);
                if (cases[i].why)
                        assert_string_equal(asked.why.text, cases[i].why);
        }
}

/* The document after the change: kept, or put back with the agent's words. */
static void test_change_document(void **state) {
        static const struct {
                const char *tail;
                int exit_status;
                const char *message;
        } cases[] = {
                {"kept", 0, NULL},
                {"put back", 1,
                 "systemd did not take After=iptables.service for docker.service; every file was "
                 "put back as it was"},
                {"put back, reload failed", 1,
                 "every file was put back as it was, but systemd did not load"},
                {"busy", 3, "busy: another tether-agent is working on this host; nothing was changed"},
        };
        struct agentless_options options = {.policy = TETHER_POLICY_BIND};

        (void)state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char *ties[] = {"iptables.service", NULL};
                struct agentless_plan plan = {.verb = "apply", .policy = TETHER_POLICY_BIND, .ties = ties};
                struct agentless_asked asked = {.boundary = BOUNDARY, .plan = &plan};
                struct tether_error error = TETHER_ERROR_INIT;
                _cleanup_free_ char *tail = NULL, *text = NULL;
                json_t *document = NULL;
                const char *tail_name = cases[i].tail;

                if (strcmp(tail_name, "kept") == 0) {
                        asked.asked = asked.kept = true;
                        tail = section("failed", "", 0);
                } else if (strcmp(tail_name, "busy") == 0) {
                        _cleanup_free_ char *failed =
                                section("failed", "busy: another tether-agent is working on this host", 1);
                        _cleanup_free_ char *put_back = section("put-back", "", 0); /* nothing to put back */

                        if (asprintf(&tail, "%s%s", failed, put_back) < 0)
                                fail();
                } else {
                        _cleanup_free_ char *failed = section("failed", "", 1);
                        _cleanup_free_ char *put_back = section("put-back", "", 0);
                        _cleanup_free_ char *again =
                                section("reload-again", "", strcmp(tail_name, "put back") == 0 ? 0 : 1);

                        asked.asked = true;
                        tether_error_set(&asked.why, -EPROTO,
                                         "systemd did not take After=iptables.service for docker.service");
                        if (asprintf(&tail, "%s%s%s", failed, put_back, again) < 0)
                                fail();
                }
                text = fixture_with(tail);
                assert_int_equal(agentless_change_document(text, strlen(text), &asked, &options, "run-1",
                                                           &document, &error),
                                 0);
                assert_string_equal(json_string_value(json_object_get(document, "mode")), "agentless");
                assert_string_equal(json_string_value(json_object_get(document, "verb")), "apply");
                assert_int_equal(json_integer_value(json_object_get(document, "exit_status")),
                                 cases[i].exit_status);
                if (cases[i].message)
                        assert_non_null(strstr(json_string_value(json_object_get(
                                                       json_object_get(document, "error"), "message")),
                                               cases[i].message));
                else {
                        assert_null(json_object_get(document, "error"));
                        assert_true(json_is_boolean(json_object_get(document, "changed")));
                        assert_true(json_is_true(json_object_get(document, "reloaded")));
                }
                json_decref(document);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_options),           cmocka_unit_test(test_printf_format_round_trip),
                cmocka_unit_test(test_plan_apply),        cmocka_unit_test(test_change_command),
                cmocka_unit_test(test_plan_apply_follow), cmocka_unit_test(test_plan_refused),
                cmocka_unit_test(test_plan_revert),       cmocka_unit_test(test_reply),
                cmocka_unit_test(test_change_document),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
