/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/validate.c: each check against good values, the
 * boundaries of its length limit, and hostile values (shell metacharacters,
 * option injection, control characters).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "macro.h"
#include "validate.h"
#include "test-util.h"

/* Values no check may accept: each would mean something to a shell, ssh
 * or systemctl. */
static const char *const hostile[] = {
        "",
        "a b",
        "a;b",
        "a|b",
        "a&b",
        "a$b",
        "$(id)",
        "`id`",
        "a'b",
        "a\"b",
        "a\\b",
        "a\nb",
        "a\tb",
        "a\rb",
        "a>b",
        "a<b",
        "a*b",
        "a?b",
        "a[b",
        "a]b",
        "a{b",
        "a}b",
        "a(b)",
        "a!b",
        "a#b",
        "a~b",
        "a,b",
        "a=b",
        "a/b",
        "a%b",
        "a+b",
        "-oProxyCommand=x",
        "web;rm -rf /",
        "\xc3\xa9t\xc3\xa9",
        "a\x7f",
};

static void test_host_name(void **state) {
        char *s;

        assert_true(tether_valid_host_name("web-01"));
        assert_true(tether_valid_host_name("web-01.example.net"));
        assert_true(tether_valid_host_name("a"));
        assert_true(tether_valid_host_name("_private"));
        assert_true(tether_valid_host_name("10.0.0.1"));
        assert_true(tether_valid_host_name("Web_01"));

        assert_false(tether_valid_host_name(NULL));
        assert_false(tether_valid_host_name("-web"));
        assert_false(tether_valid_host_name(".web"));
        assert_false(tether_valid_host_name("2001:db8::1"));
        for (size_t i = 0; i < ELEMENTSOF(hostile); i++)
                assert_false(tether_valid_host_name(hostile[i]));

        s = repeat('a', TETHER_HOST_NAME_MAX);
        assert_true(tether_valid_host_name(s));
        free(s);
        s = repeat('a', TETHER_HOST_NAME_MAX + 1);
        assert_false(tether_valid_host_name(s));
        free(s);
}

static void test_tag(void **state) {
        char *s;

        assert_true(tether_valid_tag("web"));
        assert_true(tether_valid_tag("rhel9"));
        assert_true(tether_valid_tag("eu-west_1.prod"));
        assert_false(tether_valid_tag(NULL));
        assert_false(tether_valid_tag("-web"));
        for (size_t i = 0; i < ELEMENTSOF(hostile); i++)
                assert_false(tether_valid_tag(hostile[i]));

        s = repeat('t', TETHER_TAG_MAX);
        assert_true(tether_valid_tag(s));
        free(s);
        s = repeat('t', TETHER_TAG_MAX + 1);
        assert_false(tether_valid_tag(s));
        free(s);
}

static void test_address(void **state) {
        char *s;

        assert_true(tether_valid_address("203.0.113.10"));
        assert_true(tether_valid_address("db-01.example.net"));
        assert_true(tether_valid_address("host_with_underscore"));
        assert_true(tether_valid_address("2001:db8::1"));
        assert_true(tether_valid_address("::1"));
        assert_true(tether_valid_address("::ffff:192.0.2.1"));
        assert_true(tether_valid_address("[2001:db8::1]"));
        assert_true(tether_valid_address("[::1]"));

        assert_false(tether_valid_address(NULL));
        assert_false(tether_valid_address("-oProxyCommand=id"));
        assert_false(tether_valid_address("host:22"));
        assert_false(tether_valid_address("[host]"));
        assert_false(tether_valid_address("[]"));
        assert_false(tether_valid_address("["));
        assert_false(tether_valid_address("[::1"));
        assert_false(tether_valid_address("::1]"));
        assert_false(tether_valid_address("[[::1]]"));
        assert_false(tether_valid_address("[::1]:22"));
        assert_false(tether_valid_address("fe80::1%eth0"));
        assert_false(tether_valid_address("user@host"));
        for (size_t i = 0; i < ELEMENTSOF(hostile); i++)
                assert_false(tether_valid_address(hostile[i]));

        s = repeat('a', TETHER_ADDRESS_MAX);
        assert_true(tether_valid_address(s));
        free(s);
        s = repeat('a', TETHER_ADDRESS_MAX + 1);
        assert_false(tether_valid_address(s));
        free(s);
}

static void test_user_name(void **state) {
        char *s;

        assert_true(tether_valid_user_name("deploy"));
        assert_true(tether_valid_user_name("root"));
        assert_true(tether_valid_user_name("_svc"));
        assert_true(tether_valid_user_name("first.last"));
        assert_true(tether_valid_user_name("ops-team_2"));
        assert_true(tether_valid_user_name("JSmith"));

        assert_false(tether_valid_user_name(NULL));
        assert_false(tether_valid_user_name("1user"));
        assert_false(tether_valid_user_name("-user"));
        assert_false(tether_valid_user_name(".user"));
        assert_false(tether_valid_user_name("user@host"));
        assert_false(tether_valid_user_name("machine$"));
        for (size_t i = 0; i < ELEMENTSOF(hostile); i++)
                assert_false(tether_valid_user_name(hostile[i]));

        s = repeat('u', TETHER_USER_NAME_MAX);
        assert_true(tether_valid_user_name(s));
        free(s);
        s = repeat('u', TETHER_USER_NAME_MAX + 1);
        assert_false(tether_valid_user_name(s));
        free(s);
}

static void test_unit_name(void **state) {
        char *s;

        assert_true(tether_valid_unit_name("nftables.service"));
        assert_true(tether_valid_unit_name("firewalld.service"));
        assert_true(tether_valid_unit_name("netfilter-persistent.service"));
        assert_true(tether_valid_unit_name("docker.socket"));
        assert_true(tether_valid_unit_name("getty@tty1.service"));
        assert_true(tether_valid_unit_name("foo@.service"));
        assert_true(tether_valid_unit_name("dev-disk-by\\x2dlabel-data.mount"));
        assert_true(tether_valid_unit_name("a:b_c.service"));

        assert_false(tether_valid_unit_name(NULL));
        assert_false(tether_valid_unit_name("nftables"));
        assert_false(tether_valid_unit_name("nftables."));
        assert_false(tether_valid_unit_name(".service"));
        assert_false(tether_valid_unit_name("-x.service"));
        assert_false(tether_valid_unit_name("@x.service"));
        assert_false(tether_valid_unit_name("a@b@c.service"));
        assert_false(tether_valid_unit_name("nftables.Service"));
        assert_false(tether_valid_unit_name("nftables.v2"));
        assert_false(tether_valid_unit_name("nft;reboot.service"));
        assert_false(tether_valid_unit_name("nft tables.service"));
        assert_false(tether_valid_unit_name("$(reboot).service"));
        assert_false(tether_valid_unit_name("a/b.service"));

        /* 247 characters and ".service": exactly the limit. */
        s = repeat('u', TETHER_UNIT_NAME_MAX);
        memcpy(s + TETHER_UNIT_NAME_MAX - strlen(".service"), ".service", strlen(".service"));
        assert_true(tether_valid_unit_name(s));
        free(s);
        s = repeat('u', TETHER_UNIT_NAME_MAX + 1);
        memcpy(s + TETHER_UNIT_NAME_MAX + 1 - strlen(".service"), ".service", strlen(".service"));
        assert_false(tether_valid_unit_name(s));
        free(s);
}

static void test_shell_word(void **state) {
        static const char *const words[] = {
                "nftables.service",        "--firewall", "follow", "stop-start", "getty@tty1.service", "a:b",
                "20261127T195811Z-8b58b4", "x"};
        static const char *const not_words[] = {"",           "fw\\x2dmain.service",
                                                "a b",        "a'b",
                                                "a\"b",       "$(reboot)",
                                                "`id`",       "a;b",
                                                "a|b",        "a&b",
                                                "a>b",        "a*",
                                                "~",          "a\nb",
                                                "caf\xc3\xa9"};
        char *s;

        for (size_t i = 0; i < ELEMENTSOF(words); i++)
                if (!tether_valid_shell_word(words[i]))
                        fail_msg("'%s' is a shell word", words[i]);
        for (size_t i = 0; i < ELEMENTSOF(not_words); i++)
                if (tether_valid_shell_word(not_words[i]))
                        fail_msg("'%s' is not a shell word", not_words[i]);
        assert_false(tether_valid_shell_word(NULL));
        s = repeat('w', TETHER_UNIT_NAME_MAX);
        assert_true(tether_valid_shell_word(s));
        free(s);
        s = repeat('w', TETHER_UNIT_NAME_MAX + 1);
        assert_false(tether_valid_shell_word(s));
        free(s);
}

static void test_agent_path(void **state) {
        static const char *const paths[] = {"/usr/libexec/tether/tether-agent", "/opt/tether-0.1.0/agent",
                                            "/usr/local/lib/tether+x/a_b", "/srv/a:b@c", "/a"};
        static const char *const not_paths[] = {"tether-agent",
                                                "./tether-agent",
                                                "~/bin/tether-agent",
                                                "/",
                                                "//usr/agent",
                                                "/usr//agent",
                                                "/usr/lib/",
                                                "/usr/./agent",
                                                "/usr/../agent",
                                                "/usr/..",
                                                "/usr/.",
                                                "/usr/a b",
                                                "/usr/a;id",
                                                "/usr/$(id)",
                                                "/usr/`id`",
                                                "/usr/a'b",
                                                "/usr/a\"b",
                                                "/usr/a\\b",
                                                "/usr/a\nb",
                                                "/usr/a*",
                                                "/usr/a~b",
                                                "/usr/caf\xc3\xa9",
                                                "-/usr/agent"};
        char *s;

        for (size_t i = 0; i < ELEMENTSOF(paths); i++)
                if (!tether_valid_agent_path(paths[i]))
                        fail_msg("'%s' is an agent path", paths[i]);
        for (size_t i = 0; i < ELEMENTSOF(not_paths); i++)
                if (tether_valid_agent_path(not_paths[i]))
                        fail_msg("'%s' is not an agent path", not_paths[i]);
        for (size_t i = 0; i < ELEMENTSOF(hostile); i++)
                assert_false(tether_valid_agent_path(hostile[i]));
        assert_false(tether_valid_agent_path(NULL));

        s = repeat('a', TETHER_AGENT_PATH_MAX);
        s[0] = '/';
        assert_true(tether_valid_agent_path(s));
        free(s);
        s = repeat('a', TETHER_AGENT_PATH_MAX + 1);
        s[0] = '/';
        assert_false(tether_valid_agent_path(s));
        free(s);
}

static void test_parse_port(void **state) {
        unsigned port = 4242;

        assert_int_equal(tether_parse_port("22", &port), 0);
        assert_int_equal(port, 22);
        assert_int_equal(tether_parse_port("1", &port), 0);
        assert_int_equal(port, 1);
        assert_int_equal(tether_parse_port("65535", &port), 0);
        assert_int_equal(port, 65535);
        assert_int_equal(tether_parse_port("022", &port), 0);
        assert_int_equal(port, 22);

        port = 4242;
        assert_int_equal(tether_parse_port("0", &port), -ERANGE);
        assert_int_equal(tether_parse_port("65536", &port), -ERANGE);
        assert_int_equal(tether_parse_port("99999999999999999999999999", &port), -ERANGE);
        assert_int_equal(tether_parse_port("", &port), -EINVAL);
        assert_int_equal(tether_parse_port(NULL, &port), -EINVAL);
        assert_int_equal(tether_parse_port("-1", &port), -EINVAL);
        assert_int_equal(tether_parse_port("+22", &port), -EINVAL);
        assert_int_equal(tether_parse_port(" 22", &port), -EINVAL);
        assert_int_equal(tether_parse_port("22 ", &port), -EINVAL);
        assert_int_equal(tether_parse_port("22x", &port), -EINVAL);
        assert_int_equal(tether_parse_port("0x16", &port), -EINVAL);
        assert_int_equal(tether_parse_port("2e1", &port), -EINVAL);
        assert_int_equal(tether_parse_port("22.0", &port), -EINVAL);
        assert_int_equal(tether_parse_port("ssh", &port), -EINVAL);
        /* Untouched on failure. */
        assert_int_equal(port, 4242);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_host_name),  cmocka_unit_test(test_tag),
                cmocka_unit_test(test_address),    cmocka_unit_test(test_user_name),
                cmocka_unit_test(test_unit_name),  cmocka_unit_test(test_parse_port),
                cmocka_unit_test(test_shell_word), cmocka_unit_test(test_agent_path),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
