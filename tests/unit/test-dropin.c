/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/dropin.c: the drop-ins rendered per policy and per
 * list of units (one, several, invalid ones, with the message), the restart
 * hook with and without ExecReload=, how a file found on a host is
 * classified (absent, current, stale, drifted by one changed line or one
 * added space), and whether some unit text ties docker to a firewall unit
 * (sections, several units on one line, names that are only part of a
 * listed one, white space, each binding key).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "dropin.h"
#include "macro.h"

/* Not a valid pointer: shows that a failing call left *ret alone. */
static char *const untouched = (char *)(uintptr_t)0x1;

/* The drop-in of the seed hosts (tests/fleet), as an administrator wrote it. */
static const char seed_dropin[] = "[Unit]\n"
                                  "After=iptables.service\n"
                                  "Requires=iptables.service\n"
                                  "PartOf=iptables.service\n";

#define BIND_HEADER                                                                         \
        "# Managed by tether, policy \"bind\": docker.service is restarted, and stopped,\n" \
        "# with the firewall service below, so Docker re-creates the rules the\n"           \
        "# firewall flushes. 'tether revert' removes this file.\n"

#define FOLLOW_HEADER                                                                        \
        "# Managed by tether, policy \"follow\": docker.service starts after the firewall\n" \
        "# service below, which restarts docker after each of its starts and\n"              \
        "# reloads (50-tether-restart-docker.conf in its drop-in directory).\n"              \
        "# 'tether revert' removes both files.\n"

static char *render(enum tether_policy policy, char *const *units) {
        struct tether_error error = TETHER_ERROR_INIT;
        char *text = NULL;
        int r;

        r = tether_dropin_render(policy, units, &text, &error);
        if (r < 0)
                fail_msg("unexpected error %d: %s", r, error.text);
        assert_false(tether_error_is_set(&error));
        assert_non_null(text);
        return text;
}

static char *render_one(enum tether_policy policy, const char *unit) {
        char *units[] = {(char *)unit, NULL};

        return render(policy, units);
}

/* Renders units, which must fail with -EINVAL and exactly message. */
static void assert_render_fails(enum tether_policy policy, char *const *units, const char *message) {
        struct tether_error error = TETHER_ERROR_INIT;
        char *text = untouched;
        int r;

        r = tether_dropin_render(policy, units, &text, &error);
        if (getenv("TEST_VERBOSE"))
                print_message("    %s\n", error.text);
        assert_int_equal(r, -EINVAL);
        assert_int_equal(error.code, -EINVAL);
        assert_string_equal(error.text, message);
        assert_ptr_equal(text, untouched);

        /* The error struct is optional. */
        assert_int_equal(tether_dropin_render(policy, units, &text, NULL), -EINVAL);
        assert_ptr_equal(text, untouched);
}

static void assert_invalid_unit(const char *unit) {
        char *alone[] = {(char *)unit, NULL};
        char *after_good[] = {"nftables.service", (char *)unit, "iptables.service", NULL};
        _cleanup_free_ char *message = NULL;

        assert_true(asprintf(&message, "\"%s\" is not a valid systemd unit name", unit) >= 0);
        assert_render_fails(TETHER_POLICY_BIND, alone, message);
        assert_render_fails(TETHER_POLICY_FOLLOW, alone, message);
        assert_render_fails(TETHER_POLICY_BIND, after_good, message);
}

/* Copies text with the first occurrence of from replaced by to. */
static char *replace(const char *text, const char *from, const char *to) {
        const char *at = strstr(text, from);
        char *s = NULL;

        assert_non_null(at);
        assert_true(asprintf(&s, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from)) >= 0);
        return s;
}

/* ---- policies and states as strings ------------------------------------- */

static void test_policy_strings(void **state) {
        static const enum tether_policy policies[] = {TETHER_POLICY_BIND, TETHER_POLICY_FOLLOW};
        static const char *const bad[] = {"",      "Bind", "BIND",    "bind ",   " bind",
                                          "bindx", "bin",  "follows", "restart", "bind\n"};
        enum tether_policy policy;

        assert_string_equal(tether_policy_to_string(TETHER_POLICY_BIND), "bind");
        assert_string_equal(tether_policy_to_string(TETHER_POLICY_FOLLOW), "follow");
        for (size_t i = 0; i < ELEMENTSOF(policies); i++) {
                policy = (enum tether_policy) - 1;
                assert_int_equal(tether_policy_from_string(tether_policy_to_string(policies[i]), &policy),
                                 0);
                assert_int_equal(policy, policies[i]);
        }
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                policy = (enum tether_policy)42;
                assert_int_equal(tether_policy_from_string(bad[i], &policy), -EINVAL);
                assert_int_equal(policy, 42);
        }
}

static void test_state_strings(void **state) {
        assert_string_equal(tether_dropin_state_to_string(TETHER_DROPIN_ABSENT), "absent");
        assert_string_equal(tether_dropin_state_to_string(TETHER_DROPIN_CURRENT), "current");
        assert_string_equal(tether_dropin_state_to_string(TETHER_DROPIN_STALE), "stale");
        assert_string_equal(tether_dropin_state_to_string(TETHER_DROPIN_DRIFTED), "drifted");
}

/* ---- rendering ------------------------------------------------------------ */

static void test_render_bind(void **state) {
        _cleanup_free_ char *text = render_one(TETHER_POLICY_BIND, "nftables.service");

        assert_string_equal(text, BIND_HEADER "[Unit]\n"
                                              "After=nftables.service\n"
                                              "Requires=nftables.service\n"
                                              "PartOf=nftables.service\n");
        assert_true(tether_dropin_text_ties(text, "nftables.service"));
        assert_false(tether_dropin_text_ties(text, "iptables.service"));
}

static void test_render_follow(void **state) {
        _cleanup_free_ char *text = render_one(TETHER_POLICY_FOLLOW, "nftables.service");

        assert_string_equal(text, FOLLOW_HEADER "[Unit]\n"
                                                "After=nftables.service\n");
        assert_non_null(strstr(text, TETHER_HOOK_DROPIN_NAME));
        /* Ordering only: docker is not stopped with the firewall. */
        assert_null(strstr(text, "Requires="));
        assert_null(strstr(text, "PartOf="));
        assert_null(strstr(text, "BindsTo="));
        assert_false(tether_dropin_text_ties(text, "nftables.service"));
}

static void test_render_several_units(void **state) {
        char *two[] = {"iptables.service", "ip6tables.service", NULL};
        char *three[] = {"netfilter-persistent.service", "ufw.service", "getty@tty1.service", NULL};
        _cleanup_free_ char *bind_two = render(TETHER_POLICY_BIND, two);
        _cleanup_free_ char *bind_three = render(TETHER_POLICY_BIND, three);
        _cleanup_free_ char *follow_two = render(TETHER_POLICY_FOLLOW, two);

        /* In the order given, one line per directive. */
        assert_string_equal(bind_two, BIND_HEADER "[Unit]\n"
                                                  "After=iptables.service ip6tables.service\n"
                                                  "Requires=iptables.service ip6tables.service\n"
                                                  "PartOf=iptables.service ip6tables.service\n");
        assert_string_equal(bind_three, BIND_HEADER
                            "[Unit]\n"
                            "After=netfilter-persistent.service ufw.service getty@tty1.service\n"
                            "Requires=netfilter-persistent.service ufw.service getty@tty1.service\n"
                            "PartOf=netfilter-persistent.service ufw.service getty@tty1.service\n");
        assert_string_equal(follow_two, FOLLOW_HEADER "[Unit]\n"
                                                      "After=iptables.service ip6tables.service\n");
        for (size_t i = 0; two[i]; i++)
                assert_true(tether_dropin_text_ties(bind_two, two[i]));
        for (size_t i = 0; three[i]; i++)
                assert_true(tether_dropin_text_ties(bind_three, three[i]));
}

static void test_render_valid_unusual_names(void **state) {
        static const char *const names[] = {"foo@.service", "dev-disk-by\\x2dlabel.mount", "a:b_c.service",
                                            "x.target"};

        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                _cleanup_free_ char *text = render_one(TETHER_POLICY_BIND, names[i]);
                _cleanup_free_ char *line = NULL;

                assert_true(asprintf(&line, "\nAfter=%s\n", names[i]) >= 0);
                assert_non_null(strstr(text, line));
        }
}

static void test_render_no_units(void **state) {
        char *none[] = {NULL};

        assert_render_fails(TETHER_POLICY_BIND, NULL, "no firewall unit to tie docker.service to");
        assert_render_fails(TETHER_POLICY_BIND, none, "no firewall unit to tie docker.service to");
        assert_render_fails(TETHER_POLICY_FOLLOW, none, "no firewall unit to tie docker.service to");
}

static void test_render_invalid_units(void **state) {
        static const char *const invalid[] = {
                "",
                "nftables",
                "nftables.",
                "nftables.Service",
                ".service",
                "-x.service",
                "@x.service",
                "a@b@c.service",
                "a b.service",
                "a\tb.service",
                "iptables.service\nExecStartPre=/bin/sh",
                "iptables.service ufw.service",
                "x;rm -rf /.service",
                "$(id).service",
                "a/b.service",
                "a=b.service",
                "\xc3\xa9.service",
        };

        for (size_t i = 0; i < ELEMENTSOF(invalid); i++)
                assert_invalid_unit(invalid[i]);
}

static void test_render_unit_name_length(void **state) {
        char name[300];
        char *units[] = {name, NULL};
        _cleanup_free_ char *text = NULL;
        struct tether_error error = TETHER_ERROR_INIT;
        char *rejected = untouched;

        /* 255 characters is the longest valid name. */
        memset(name, 'a', 247);
        memcpy(name + 247, ".service", sizeof(".service"));
        assert_int_equal(strlen(name), 255);
        text = render(TETHER_POLICY_BIND, units);
        assert_true(tether_dropin_text_ties(text, name));

        memset(name, 'a', 248);
        memcpy(name + 248, ".service", sizeof(".service"));
        assert_int_equal(tether_dropin_render(TETHER_POLICY_BIND, units, &rejected, &error), -EINVAL);
        assert_ptr_equal(rejected, untouched);
        assert_non_null(strstr(error.text, "is not a valid systemd unit name"));
}

static void test_render_hook(void **state) {
        _cleanup_free_ char *plain = NULL, *reload = NULL;

        assert_int_equal(tether_dropin_render_hook(false, &plain), 0);
        assert_int_equal(tether_dropin_render_hook(true, &reload), 0);

        assert_string_equal(plain,
                            "# Managed by tether, policy \"follow\": after this firewall service loads its\n"
                            "# rules, restart docker.service (only if it runs) so Docker re-creates the\n"
                            "# rules the firewall flushed. --no-block: the restart waits for this unit.\n"
                            "[Service]\n"
                            "ExecStartPost=-/bin/systemctl --no-block try-restart docker.service\n");
        assert_null(strstr(plain, "ExecReload="));

        /* The same, plus the hook on reload. */
        assert_int_equal(strncmp(reload, plain, strlen(plain)), 0);
        assert_string_equal(reload + strlen(plain),
                            "ExecReload=-/bin/systemctl --no-block try-restart docker.service\n");

        /* Neither ties docker to anything: they live in the firewall's directory. */
        assert_false(tether_dropin_text_ties(plain, "docker.service"));
        assert_false(tether_dropin_text_ties(reload, "docker.service"));
}

/* ---- classify --------------------------------------------------------------- */

static void test_classify_absent(void **state) {
        _cleanup_free_ char *expected = render_one(TETHER_POLICY_BIND, "nftables.service");

        assert_int_equal(tether_dropin_classify(NULL, expected), TETHER_DROPIN_ABSENT);
        assert_int_equal(tether_dropin_classify(NULL, NULL), TETHER_DROPIN_ABSENT);
}

static void test_classify_current(void **state) {
        char *two[] = {"iptables.service", "ip6tables.service", NULL};
        _cleanup_free_ char *bind = render_one(TETHER_POLICY_BIND, "nftables.service");
        _cleanup_free_ char *follow = render(TETHER_POLICY_FOLLOW, two);
        _cleanup_free_ char *bind_copy = strdup(bind);

        assert_int_equal(tether_dropin_classify(bind, bind), TETHER_DROPIN_CURRENT);
        assert_int_equal(tether_dropin_classify(bind_copy, bind), TETHER_DROPIN_CURRENT);
        assert_int_equal(tether_dropin_classify(follow, follow), TETHER_DROPIN_CURRENT);
}

static void test_classify_stale(void **state) {
        char *two[] = {"iptables.service", "ip6tables.service", NULL};
        char *two_swapped[] = {"ip6tables.service", "iptables.service", NULL};
        _cleanup_free_ char *expected = render_one(TETHER_POLICY_BIND, "nftables.service");
        _cleanup_free_ char *other_unit = render_one(TETHER_POLICY_BIND, "iptables.service");
        _cleanup_free_ char *other_policy = render_one(TETHER_POLICY_FOLLOW, "nftables.service");
        _cleanup_free_ char *several = render(TETHER_POLICY_BIND, two);
        _cleanup_free_ char *several_swapped = render(TETHER_POLICY_BIND, two_swapped);
        _cleanup_free_ char *follow_several = render(TETHER_POLICY_FOLLOW, two);

        /* Tether's text, for other units. */
        assert_int_equal(tether_dropin_classify(other_unit, expected), TETHER_DROPIN_STALE);
        assert_int_equal(tether_dropin_classify(several, expected), TETHER_DROPIN_STALE);
        assert_int_equal(tether_dropin_classify(expected, several), TETHER_DROPIN_STALE);
        assert_int_equal(tether_dropin_classify(several_swapped, several), TETHER_DROPIN_STALE);
        /* For the other policy, either way round. */
        assert_int_equal(tether_dropin_classify(other_policy, expected), TETHER_DROPIN_STALE);
        assert_int_equal(tether_dropin_classify(expected, other_policy), TETHER_DROPIN_STALE);
        assert_int_equal(tether_dropin_classify(follow_several, expected), TETHER_DROPIN_STALE);
        /* Nothing expected now (no flushing firewall left): still tether's. */
        assert_int_equal(tether_dropin_classify(expected, NULL), TETHER_DROPIN_STALE);
        assert_int_equal(tether_dropin_classify(follow_several, NULL), TETHER_DROPIN_STALE);
}

static void test_classify_drifted(void **state) {
        _cleanup_free_ char *expected = render_one(TETHER_POLICY_BIND, "nftables.service");
        _cleanup_free_ char *follow = render_one(TETHER_POLICY_FOLLOW, "nftables.service");
        _cleanup_free_ char *one_line = replace(expected, "PartOf=nftables.service", "PartOf=ufw.service");
        _cleanup_free_ char *dropped_line = replace(expected, "Requires=nftables.service\n", "");
        _cleanup_free_ char *space_in_line =
                replace(expected, "After=nftables.service\n", "After=nftables.service \n");
        _cleanup_free_ char *space_at_end = NULL, *no_final_newline = strdup(expected);
        _cleanup_free_ char *added_unit =
                replace(expected, "After=nftables.service\n", "After=nftables.service ufw.service\n");
        _cleanup_free_ char *comment_edited = replace(expected, "removes this file", "removes that file");
        _cleanup_free_ char *policy_swapped = replace(expected, "policy \"bind\"", "policy \"follow\"");
        _cleanup_free_ char *follow_plus = NULL;

        assert_true(asprintf(&space_at_end, "%s ", expected) >= 0);
        no_final_newline[strlen(no_final_newline) - 1] = '\0';
        assert_true(asprintf(&follow_plus, "%sRequires=nftables.service\n", follow) >= 0);

        assert_int_equal(tether_dropin_classify(one_line, expected), TETHER_DROPIN_DRIFTED);
        assert_int_equal(tether_dropin_classify(dropped_line, expected), TETHER_DROPIN_DRIFTED);
        assert_int_equal(tether_dropin_classify(space_in_line, expected), TETHER_DROPIN_DRIFTED);
        assert_int_equal(tether_dropin_classify(space_at_end, expected), TETHER_DROPIN_DRIFTED);
        assert_int_equal(tether_dropin_classify(no_final_newline, expected), TETHER_DROPIN_DRIFTED);
        assert_int_equal(tether_dropin_classify(added_unit, expected), TETHER_DROPIN_DRIFTED);
        assert_int_equal(tether_dropin_classify(comment_edited, expected), TETHER_DROPIN_DRIFTED);
        assert_int_equal(tether_dropin_classify(policy_swapped, expected), TETHER_DROPIN_DRIFTED);
        assert_int_equal(tether_dropin_classify(follow_plus, expected), TETHER_DROPIN_DRIFTED);
        /* An edited file is drifted whatever tether expects now. */
        assert_int_equal(tether_dropin_classify(one_line, NULL), TETHER_DROPIN_DRIFTED);
        assert_int_equal(tether_dropin_classify(space_at_end, follow), TETHER_DROPIN_DRIFTED);
}

static void test_classify_garbage(void **state) {
        _cleanup_free_ char *expected = render_one(TETHER_POLICY_BIND, "nftables.service");
        static const char *const garbage[] = {
                "",
                "\n",
                "# Managed by tether, policy \"bind\"",
                "# Managed by tether, policy \"bind\": x\n[Unit]\nAfter=\n",
                "# Managed by tether, policy \"bind\": x\n[Unit]\nAfter=not a unit;\n",
                "# Managed by tether, policy \"restart\": x\n[Unit]\nAfter=nftables.service\n",
                "# Managed by tether, policy \"\": x\n",
                "# Managed by tether, policy \"bindbindbindbindbindbind\": "
                "x\n[Unit]\nAfter=nftables.service\n",
                "\x01\x02\xff",
        };

        /* Whatever is at tether's path and is not tether's own is drifted. */
        assert_int_equal(tether_dropin_classify(seed_dropin, expected), TETHER_DROPIN_DRIFTED);
        for (size_t i = 0; i < ELEMENTSOF(garbage); i++) {
                assert_int_equal(tether_dropin_classify(garbage[i], expected), TETHER_DROPIN_DRIFTED);
                assert_int_equal(tether_dropin_classify(garbage[i], NULL), TETHER_DROPIN_DRIFTED);
        }
}

static void test_classify_many_units(void **state) {
        char names[12][32];
        char *units[13];
        _cleanup_free_ char *text = NULL, *expected = render_one(TETHER_POLICY_BIND, "nftables.service");

        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                snprintf(names[i], sizeof(names[i]), "fw%zu.service", i);
                units[i] = names[i];
        }
        units[ELEMENTSOF(names)] = NULL;
        text = render(TETHER_POLICY_BIND, units);
        /* Still tether's, however many units it names. */
        assert_int_equal(tether_dropin_classify(text, text), TETHER_DROPIN_CURRENT);
        assert_int_equal(tether_dropin_classify(text, expected), TETHER_DROPIN_STALE);
}

/* ---- text_ties ------------------------------------------------------------------ */

static void test_ties_seed_dropin(void **state) {
        assert_true(tether_dropin_text_ties(seed_dropin, "iptables.service"));
        assert_false(tether_dropin_text_ties(seed_dropin, "nftables.service"));
        assert_false(tether_dropin_text_ties(seed_dropin, "docker.service"));
}

static void test_ties_after_only(void **state) {
        assert_false(tether_dropin_text_ties("[Unit]\nAfter=iptables.service\n", "iptables.service"));
        assert_false(tether_dropin_text_ties("[Unit]\nAfter=iptables.service\nWants=iptables.service\n",
                                             "iptables.service"));
        /* The binding without the ordering is not enough either. */
        assert_false(tether_dropin_text_ties("[Unit]\nRequires=iptables.service\nPartOf=iptables.service\n",
                                             "iptables.service"));
        /* After= one unit, bound to another. */
        assert_false(tether_dropin_text_ties("[Unit]\nAfter=iptables.service\nPartOf=nftables.service\n",
                                             "iptables.service"));
        assert_false(tether_dropin_text_ties("[Unit]\nBefore=iptables.service\nRequires=iptables.service\n",
                                             "iptables.service"));
}

static void test_ties_each_binding_key(void **state) {
        assert_true(tether_dropin_text_ties("[Unit]\nAfter=iptables.service\nRequires=iptables.service\n",
                                            "iptables.service"));
        assert_true(tether_dropin_text_ties("[Unit]\nAfter=iptables.service\nBindsTo=iptables.service\n",
                                            "iptables.service"));
        assert_true(tether_dropin_text_ties("[Unit]\nAfter=iptables.service\nPartOf=iptables.service\n",
                                            "iptables.service"));
        /* Order of the lines does not matter, nor does a missing final newline. */
        assert_true(tether_dropin_text_ties("[Unit]\nPartOf=iptables.service\nAfter=iptables.service",
                                            "iptables.service"));
        /* Keys are case-sensitive in systemd. */
        assert_false(tether_dropin_text_ties("[Unit]\nafter=iptables.service\npartof=iptables.service\n",
                                             "iptables.service"));
        /* Requisite=, Wants= and Upholds= do not stop docker with the firewall. */
        assert_false(tether_dropin_text_ties("[Unit]\nAfter=iptables.service\nRequisite=iptables.service\n"
                                             "Wants=iptables.service\nUpholds=iptables.service\n",
                                             "iptables.service"));
}

static void test_ties_sections(void **state) {
        /* PartOf= in [Service] means nothing to systemd. */
        assert_false(tether_dropin_text_ties(
                "[Unit]\nAfter=iptables.service\n[Service]\nPartOf=iptables.service\n", "iptables.service"));
        assert_false(tether_dropin_text_ties("[Service]\nAfter=iptables.service\nPartOf=iptables.service\n",
                                             "iptables.service"));
        /* No section header at all. */
        assert_false(tether_dropin_text_ties("After=iptables.service\nPartOf=iptables.service\n",
                                             "iptables.service"));
        /* [Unit] again after another section. */
        assert_true(tether_dropin_text_ties("[Unit]\nAfter=iptables.service\n[Service]\nExecStart=\n"
                                            "[Unit]\nPartOf=iptables.service\n",
                                            "iptables.service"));
        assert_false(tether_dropin_text_ties("[Units]\nAfter=iptables.service\nPartOf=iptables.service\n",
                                             "iptables.service"));
        assert_false(tether_dropin_text_ties("[unit]\nAfter=iptables.service\nPartOf=iptables.service\n",
                                             "iptables.service"));
        assert_false(tether_dropin_text_ties("[Install]\nAfter=iptables.service\nPartOf=iptables.service\n",
                                             "iptables.service"));
}

static void test_ties_several_on_a_line(void **state) {
        static const char text[] = "[Unit]\n"
                                   "After=network-online.target iptables.service\tnftables.service\n"
                                   "PartOf=nftables.service  iptables.service\n"
                                   "Requires=network-online.target\n";

        assert_true(tether_dropin_text_ties(text, "iptables.service"));
        assert_true(tether_dropin_text_ties(text, "nftables.service"));
        /* After= and Requires=, though not PartOf=. */
        assert_true(tether_dropin_text_ties(text, "network-online.target"));
        assert_false(tether_dropin_text_ties(text, "ufw.service"));
        /* Several lines of the same key add up, as in systemd. */
        assert_true(tether_dropin_text_ties(
                "[Unit]\nAfter=a.service\nAfter=b.service\nRequires=a.service b.service\n", "b.service"));
}

static void test_ties_partial_names(void **state) {
        static const char ip6[] = "[Unit]\n"
                                  "After=ip6tables.service\n"
                                  "Requires=ip6tables.service\n"
                                  "PartOf=ip6tables.service\n";

        assert_true(tether_dropin_text_ties(ip6, "ip6tables.service"));
        assert_false(tether_dropin_text_ties(ip6, "iptables.service"));
        assert_false(tether_dropin_text_ties(ip6, "tables.service"));
        assert_false(tether_dropin_text_ties(ip6, "ip6tables"));
        assert_false(tether_dropin_text_ties(ip6, "ip6tables.serv"));
        assert_false(tether_dropin_text_ties(seed_dropin, "iptables"));
        assert_false(tether_dropin_text_ties(seed_dropin, "ptables.service"));
        assert_false(tether_dropin_text_ties(seed_dropin, "iptables.service.d"));
        assert_false(tether_dropin_text_ties("[Unit]\nAfter=iptables.servicex\nPartOf=iptables.servicex\n",
                                             "iptables.service"));
        assert_false(tether_dropin_text_ties("[Unit]\nAfter=xiptables.service\nPartOf=xiptables.service\n",
                                             "iptables.service"));
        assert_false(tether_dropin_text_ties(seed_dropin, ""));
}

static void test_ties_white_space(void **state) {
        assert_true(tether_dropin_text_ties("[Unit]\n  After=iptables.service\n\tPartOf=iptables.service\n",
                                            "iptables.service"));
        assert_true(tether_dropin_text_ties(
                "  [Unit]\nAfter= iptables.service \nPartOf=iptables.service\t\n", "iptables.service"));
        assert_true(tether_dropin_text_ties(
                "\n\n[Unit]\n\n   \nAfter=iptables.service\n\nPartOf=iptables.service\n",
                "iptables.service"));
        /* Comments are not directives. */
        assert_false(tether_dropin_text_ties("[Unit]\nAfter=iptables.service\n#PartOf=iptables.service\n"
                                             ";Requires=iptables.service\n",
                                             "iptables.service"));
        assert_false(tether_dropin_text_ties("[Unit]\n# After=iptables.service\nPartOf=iptables.service\n",
                                             "iptables.service"));
}

static void test_ties_spaces_around_equals(void **state) {
        assert_true(tether_dropin_text_ties("[Unit]\nAfter = iptables.service\nPartOf = iptables.service\n",
                                            "iptables.service"));
        assert_true(tether_dropin_text_ties("[Unit]\nAfter =iptables.service\nRequires\t=iptables.service\n",
                                            "iptables.service"));
}

static void test_ties_garbage(void **state) {
        assert_false(tether_dropin_text_ties("", "iptables.service"));
        assert_false(tether_dropin_text_ties("\n\n\n", "iptables.service"));
        assert_false(tether_dropin_text_ties("[Unit]", "iptables.service"));
        assert_false(tether_dropin_text_ties("[Unit]\nAfter=\nPartOf=\n", "iptables.service"));
        assert_false(tether_dropin_text_ties("[Unit]\nAfter\nPartOf\n", "iptables.service"));
        assert_false(tether_dropin_text_ties("[\nAfter=iptables.service\nPartOf=iptables.service\n",
                                             "iptables.service"));
        assert_false(tether_dropin_text_ties("\x01\xff[Unit]\xfe", "iptables.service"));
        assert_false(tether_dropin_text_ties(NULL, "iptables.service"));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_policy_strings),
                cmocka_unit_test(test_state_strings),
                cmocka_unit_test(test_render_bind),
                cmocka_unit_test(test_render_follow),
                cmocka_unit_test(test_render_several_units),
                cmocka_unit_test(test_render_valid_unusual_names),
                cmocka_unit_test(test_render_no_units),
                cmocka_unit_test(test_render_invalid_units),
                cmocka_unit_test(test_render_unit_name_length),
                cmocka_unit_test(test_render_hook),
                cmocka_unit_test(test_classify_absent),
                cmocka_unit_test(test_classify_current),
                cmocka_unit_test(test_classify_stale),
                cmocka_unit_test(test_classify_drifted),
                cmocka_unit_test(test_classify_garbage),
                cmocka_unit_test(test_classify_many_units),
                cmocka_unit_test(test_ties_seed_dropin),
                cmocka_unit_test(test_ties_after_only),
                cmocka_unit_test(test_ties_each_binding_key),
                cmocka_unit_test(test_ties_sections),
                cmocka_unit_test(test_ties_several_on_a_line),
                cmocka_unit_test(test_ties_partial_names),
                cmocka_unit_test(test_ties_white_space),
                cmocka_unit_test(test_ties_spaces_around_equals),
                cmocka_unit_test(test_ties_garbage),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
