/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/inventory.c: tether's format and the output of
 * `ansible-inventory --list`, good, bad and hostile, asserting the error
 * code and the parts of the message a user needs (the place, the problem,
 * the hint). Set TEST_VERBOSE=1 to print every error message checked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "inventory.h"
#include "macro.h"
#include "test-util.h"

#define ORIGIN "inventory.json"

/* Not a valid pointer: shows that a failing call left *ret alone. */
static struct tether_inventory *const untouched = (struct tether_inventory *)(uintptr_t)0x1;

static struct tether_inventory *parse_length(const char *text, size_t length) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_inventory *inventory = NULL;
        int r;

        r = tether_inventory_parse(text, length, ORIGIN, &inventory, &error);
        if (r < 0)
                print_error("unexpected error %d: %s\n", r, error.text);
        assert_int_equal(r, 0);
        assert_false(tether_error_is_set(&error));
        assert_non_null(inventory);
        return inventory;
}

static struct tether_inventory *parse(const char *text) {
        return parse_length(text, strlen(text));
}

static void parse_fails_length(const char *text, size_t length, int code, const char *prefix, ...) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_inventory *inventory = untouched;
        va_list ap;
        int r;

        r = tether_inventory_parse(text, length, ORIGIN, &inventory, &error);
        va_start(ap, prefix);
        check_error(&error, r, code, prefix, ap);
        va_end(ap);
        assert_ptr_equal(inventory, untouched);
}
#define assert_parse_fails_length(text, length, code, ...) \
        parse_fails_length(text, length, code, __VA_ARGS__, (const char *)NULL)
#define assert_parse_fails(text, code, ...) assert_parse_fails_length(text, strlen(text), code, __VA_ARGS__)

static void load_fails(const char *path, int code, const char *prefix, ...) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_inventory *inventory = untouched;
        va_list ap;
        int r;

        r = tether_inventory_load(path, &inventory, &error);
        va_start(ap, prefix);
        check_error(&error, r, code, prefix, ap);
        va_end(ap);
        assert_ptr_equal(inventory, untouched);
}
#define assert_load_fails(path, code, ...) load_fails(path, code, __VA_ARGS__, (const char *)NULL)

/* The message exactly, for the shapes the documentation promises. */
static void assert_parse_message(const char *text, int code, const char *expected) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_inventory *inventory = untouched;
        int r;

        r = tether_inventory_parse(text, strlen(text), ORIGIN, &inventory, &error);
        assert_int_equal(r, code);
        assert_string_equal(error.text, expected);
        assert_ptr_equal(inventory, untouched);
}

static void check_tags(const struct tether_host *host, ...) {
        const char *tag;
        size_t n = 0;
        va_list ap;

        assert_non_null(host->tags);
        va_start(ap, host);
        while ((tag = va_arg(ap, const char *))) {
                assert_true(n < host->n_tags);
                assert_string_equal(host->tags[n], tag);
                n++;
        }
        va_end(ap);
        assert_int_equal(host->n_tags, n);
        assert_null(host->tags[n]);
}
#define assert_tags(host, ...) check_tags(host, ##__VA_ARGS__, (const char *)NULL)

static char *temporary_file_length(const char *content, size_t length) {
        return write_temporary_file("inventory", content, length);
}

static char *temporary_file(const char *content) {
        return temporary_file_length(content, strlen(content));
}

static const char brief_example[] =
        "{\n"
        "  \"defaults\": { \"user\": \"deploy\", \"port\": 22, \"sudo\": true,\n"
        "                \"identity_file\": \"~/.ssh/id_ed25519\", \"known_hosts\": "
        "\"~/.ssh/known_hosts\" },\n"
        "  \"hosts\": [\n"
        "    { \"name\": \"web-01\", \"address\": \"203.0.113.10\", \"tags\": [\"web\", "
        "\"rhel9\"] },\n"
        "    { \"name\": \"db-01\", \"address\": \"db-01.example.net\", \"port\": 2222, "
        "\"user\": \"root\",\n"
        "      \"sudo\": false, \"firewall\": \"nftables.service\" }\n"
        "  ]\n"
        "}\n";

/* ---- tether's format ---------------------------------------------------- */

static void test_minimal_host(void **state) {
        struct tether_inventory *inventory = parse("{\"hosts\": [{\"name\": \"web-01\"}]}");
        const struct tether_host *host = &inventory->hosts[0];

        assert_string_equal(inventory->origin, ORIGIN);
        assert_false(inventory->from_ansible);
        assert_int_equal(inventory->n_hosts, 1);
        assert_string_equal(host->name, "web-01");
        assert_string_equal(host->address, "web-01");
        assert_null(host->user);
        assert_int_equal(host->port, 0);
        assert_int_equal(host->sudo, -1);
        assert_null(host->identity_file);
        assert_null(host->known_hosts);
        assert_string_equal(host->firewall, "auto");
        assert_tags(host);
        tether_inventory_free(inventory);
}

static void test_defaults_merge_and_override(void **state) {
        struct tether_inventory *inventory = parse(brief_example);
        const struct tether_host *web = &inventory->hosts[0], *db = &inventory->hosts[1];

        assert_int_equal(inventory->n_hosts, 2);

        assert_string_equal(web->name, "web-01");
        assert_string_equal(web->address, "203.0.113.10");
        assert_string_equal(web->user, "deploy");
        assert_int_equal(web->port, 22);
        assert_int_equal(web->sudo, 1);
        assert_string_equal(web->identity_file, "~/.ssh/id_ed25519");
        assert_string_equal(web->known_hosts, "~/.ssh/known_hosts");
        assert_string_equal(web->firewall, "auto");
        assert_tags(web, "web", "rhel9");

        assert_string_equal(db->name, "db-01");
        assert_string_equal(db->address, "db-01.example.net");
        assert_string_equal(db->user, "root");
        assert_int_equal(db->port, 2222);
        assert_int_equal(db->sudo, 0);
        assert_string_equal(db->identity_file, "~/.ssh/id_ed25519");
        assert_string_equal(db->firewall, "nftables.service");
        assert_tags(db);
        tether_inventory_free(inventory);

        /* Every field may stand in defaults, and every one is overridden. */
        inventory = parse(
                "{\"defaults\": {\"address\": \"127.0.0.1\", \"port\": 2200, \"user\": \"a\", \"sudo\": "
                "false,"
                " \"identity_file\": \"/k1\", \"known_hosts\": \"/h1\", \"firewall\": \"iptables\"},"
                " \"hosts\": [{\"name\": \"x\"}, {\"name\": \"y\", \"address\": \"::1\", \"port\": 2201,"
                " \"user\": \"b\", \"sudo\": true, \"identity_file\": \"/k2\", \"known_hosts\": \"/h2\","
                " \"firewall\": \"auto\"}]}");
        assert_string_equal(inventory->hosts[0].address, "127.0.0.1");
        assert_int_equal(inventory->hosts[0].port, 2200);
        assert_string_equal(inventory->hosts[0].user, "a");
        assert_int_equal(inventory->hosts[0].sudo, 0);
        assert_string_equal(inventory->hosts[0].identity_file, "/k1");
        assert_string_equal(inventory->hosts[0].known_hosts, "/h1");
        assert_string_equal(inventory->hosts[0].firewall, "iptables.service");
        assert_string_equal(inventory->hosts[1].address, "::1");
        assert_int_equal(inventory->hosts[1].port, 2201);
        assert_string_equal(inventory->hosts[1].user, "b");
        assert_int_equal(inventory->hosts[1].sudo, 1);
        assert_string_equal(inventory->hosts[1].identity_file, "/k2");
        assert_string_equal(inventory->hosts[1].known_hosts, "/h2");
        assert_string_equal(inventory->hosts[1].firewall, "auto");
        tether_inventory_free(inventory);
}

static void test_address(void **state) {
        struct tether_inventory *inventory =
                parse("{\"hosts\": [{\"name\": \"a\"}, {\"name\": \"b\", \"address\": \"[2001:db8::1]\"},"
                      " {\"name\": \"c\", \"address\": \"2001:db8::2\"}, {\"name\": \"d\", \"address\": "
                      "\"d.example\"}]}");

        assert_string_equal(inventory->hosts[0].address, "a");
        assert_string_equal(inventory->hosts[1].address, "2001:db8::1"); /* brackets dropped */
        assert_string_equal(inventory->hosts[2].address, "2001:db8::2");
        assert_string_equal(inventory->hosts[3].address, "d.example");
        tether_inventory_free(inventory);

        assert_parse_fails("{\"hosts\": [{\"name\": \"a\", \"address\": \"db:22\"}]}", -EINVAL,
                           ORIGIN ": hosts[0].address: ", "\"db:22\"", "not an IPv6 address", "\"port\"");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\", \"address\": \"[db]\"}]}", -EINVAL,
                           ORIGIN ": hosts[0].address: ", "not an IPv6 address in brackets");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\", \"address\": \"\"}]}", -EINVAL,
                           ORIGIN ": hosts[0].address: ", "must not be empty");
}

static void test_tags_merge(void **state) {
        struct tether_inventory *inventory =
                parse("{\"defaults\": {\"tags\": [\"all-hosts\", \"eu\"]}, \"hosts\": ["
                      "{\"name\": \"a\", \"tags\": [\"eu\", \"web\", \"web\", \"all-hosts\", \"rhel9\"]},"
                      "{\"name\": \"b\"}, {\"name\": \"c\", \"tags\": []}]}");

        assert_tags(&inventory->hosts[0], "all-hosts", "eu", "web", "rhel9");
        assert_tags(&inventory->hosts[1], "all-hosts", "eu");
        assert_tags(&inventory->hosts[2], "all-hosts", "eu");
        tether_inventory_free(inventory);
}

static void test_duplicate_names(void **state) {
        assert_parse_message(
                "{\"hosts\": [{\"name\": \"db-01\"}, {\"name\": \"web-01\"}, {\"name\": \"db-01\"}]}",
                -EINVAL,
                ORIGIN ": hosts[2].name: \"db-01\" is used twice (also hosts[0]); "
                       "host names must be unique");
        /* Names are case-sensitive, as in Ansible. */
        tether_inventory_free(parse("{\"hosts\": [{\"name\": \"db\"}, {\"name\": \"DB\"}]}"));
}

static void test_unknown_keys(void **state) {
        assert_parse_message(
                "{\"hosts\": [{\"name\": \"a\"}, {\"name\": \"b\", \"adress\": \"x\"}]}", -EINVAL,
                ORIGIN ": hosts[1]: unknown key \"adress\" (did you mean \"address\"? valid keys: "
                       "name, address, port, user, sudo, identity_file, known_hosts, firewall, tags, "
                       "agent_path, identities_only, jump)");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\", \"prot\": 22}]}", -EINVAL,
                           ORIGIN ": hosts[0]: ", "unknown key \"prot\"", "did you mean \"port\"?");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\", \"identityfile\": \"k\"}]}", -EINVAL,
                           ORIGIN ": hosts[0]: ", "did you mean \"identity_file\"?");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\", \"password\": \"hunter2\"}]}", -EINVAL,
                           ORIGIN ": hosts[0]: ", "unknown key \"password\" (valid keys: name, address");
        assert_parse_fails("{\"defaults\": {\"usr\": \"x\"}, \"hosts\": [{\"name\": \"a\"}]}", -EINVAL,
                           ORIGIN ": defaults: ", "unknown key \"usr\"", "did you mean \"user\"?",
                           "valid keys: address, port,");
        assert_parse_fails("{\"defaults\": {\"name\": \"x\"}, \"hosts\": [{\"name\": \"a\"}]}", -EINVAL,
                           ORIGIN ": defaults: ", "\"name\" cannot have a default");
        /* Top level: strict, with a suggestion for a misspelt "hosts". */
        assert_parse_message("{\"host\": [{\"name\": \"a\"}]}", -EINVAL,
                             ORIGIN
                             ": unknown key \"host\" (did you mean \"hosts\"? valid keys: defaults, hosts)");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\"}], \"$schema\": \"x\"}", -EINVAL, ORIGIN ": ",
                           "unknown key \"$schema\" (valid keys: defaults, hosts)");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\"}], \"comment\": \"x\"}", -EINVAL, ORIGIN ": ",
                           "unknown key \"comment\"");
}

static void test_wrong_types(void **state) {
        static const struct {
                const char *host;
                const char *path;
                const char *message;
        } cases[] = {
                {"\"name\": 5", "hosts[0].name", "expected a host name (a string), got 5"},
                {"\"name\": null", "hosts[0].name", "got null"},
                {"\"name\": \"a\", \"address\": 5", "hosts[0].address",
                 "expected a host name or an IP address (a string), got 5"},
                {"\"name\": \"a\", \"port\": \"22\"", "hosts[0].port",
                 "expected an integer from 1 to 65535, got \"22\""},
                {"\"name\": \"a\", \"port\": 22.0", "hosts[0].port", "got 22.0"},
                {"\"name\": \"a\", \"port\": 22.5", "hosts[0].port", "got 22.5"},
                {"\"name\": \"a\", \"port\": 0", "hosts[0].port",
                 "expected an integer from 1 to 65535, got 0"},
                {"\"name\": \"a\", \"port\": 65536", "hosts[0].port", "got 65536"},
                {"\"name\": \"a\", \"port\": -22", "hosts[0].port", "got -22"},
                {"\"name\": \"a\", \"port\": true", "hosts[0].port", "got true"},
                {"\"name\": \"a\", \"user\": true", "hosts[0].user",
                 "expected a user name (a string), got true"},
                {"\"name\": \"a\", \"sudo\": \"yes\"", "hosts[0].sudo",
                 "expected true or false, got \"yes\""},
                {"\"name\": \"a\", \"sudo\": 1", "hosts[0].sudo", "expected true or false, got 1"},
                {"\"name\": \"a\", \"identity_file\": []", "hosts[0].identity_file",
                 "expected a file name (a string), got an array"},
                {"\"name\": \"a\", \"known_hosts\": {}", "hosts[0].known_hosts",
                 "expected a file name (a string), got an object"},
                {"\"name\": \"a\", \"firewall\": false", "hosts[0].firewall",
                 "expected \"auto\" or a systemd service such as \"nftables.service\", got false"},
                {"\"name\": \"a\", \"tags\": \"web\"", "hosts[0].tags",
                 "expected an array of tags (strings), got \"web\""},
                {"\"name\": \"a\", \"tags\": [\"web\", 3]", "hosts[0].tags[1]",
                 "expected a tag (a string), got 3"},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char *text = format("{\"hosts\": [{%s}]}", cases[i].host);
                char *prefix = format(ORIGIN ": %s: ", cases[i].path);

                assert_parse_fails(text, -EINVAL, prefix, cases[i].message);
                free(text);
                free(prefix);
        }

        assert_parse_fails("{\"hosts\": {\"name\": \"a\"}}", -EINVAL,
                           ORIGIN ": hosts: ", "expected an array of host objects, got an object");
        assert_parse_fails("{\"hosts\": [\"web-01\"]}", -EINVAL, ORIGIN ": hosts[0]: ",
                           "expected a host object such as {\"name\": \"web-01\"}, got \"web-01\"");
        assert_parse_fails("{\"defaults\": [], \"hosts\": [{\"name\": \"a\"}]}", -EINVAL,
                           ORIGIN ": defaults: ", "expected an object, got an array");
        assert_parse_fails(
                "{\"defaults\": {\"port\": \"22\"}, \"hosts\": [{\"name\": \"a\", \"port\": 22}]}", -EINVAL,
                ORIGIN ": defaults.port: ", "got \"22\"");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\"}, {\"address\": \"b\"}]}", -EINVAL,
                           ORIGIN ": hosts[1]: ", "missing key \"name\"");
        assert_parse_fails("[{\"name\": \"a\"}]", -EINVAL, ORIGIN ": ",
                           "expected a JSON object at the top level", "got an array");
}

static void test_shell_metacharacters(void **state) {
        assert_parse_message("{\"hosts\": [{\"name\": \"web;rm -rf /\"}]}", -EINVAL,
                             ORIGIN ": hosts[0].name: \"web;rm -rf /\" has characters that are not allowed; "
                                    "use letters, digits, '.', '_' and '-'");
        assert_parse_fails("{\"hosts\": [{\"name\": \"$(reboot)\"}]}", -EINVAL,
                           ORIGIN ": hosts[0].name: ", "\"$(reboot)\" has characters that are not allowed");
        assert_parse_fails("{\"hosts\": [{\"name\": \"-oProxyCommand=id\"}]}", -EINVAL,
                           ORIGIN ": hosts[0].name: ", "must not start with '-'");
        assert_parse_fails("{\"hosts\": [{\"name\": \"2001:db8::1\"}]}", -EINVAL,
                           ORIGIN ": hosts[0].name: ", "not allowed", "put the address in \"address\"");
        assert_parse_fails(
                "{\"hosts\": [{\"name\": \"a\", \"address\": \"a;reboot\"}]}", -EINVAL,
                ORIGIN ": hosts[0].address: ", "\"a;reboot\" has characters that are not allowed");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\", \"address\": \"`reboot`\"}]}", -EINVAL,
                           ORIGIN ": hosts[0].address: ", "not allowed");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\", \"address\": \"-oProxyCommand=reboot\"}]}",
                           -EINVAL, ORIGIN ": hosts[0].address: ", "must not start with '-'");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\", \"user\": \"root;id\"}]}", -EINVAL,
                           ORIGIN ": hosts[0].user: ", "\"root;id\" is not a valid user name",
                           "a letter or '_' followed by");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\", \"user\": \"$(id)\"}]}", -EINVAL,
                           ORIGIN ": hosts[0].user: ", "not a valid user name");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\", \"tags\": [\"web\", \"a b\"]}]}", -EINVAL,
                           ORIGIN ": hosts[0].tags[1]: ", "\"a b\" has characters that are not allowed");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\", \"tags\": [\"x|y\"]}]}", -EINVAL,
                           ORIGIN ": hosts[0].tags[0]: ", "not allowed");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\", \"firewall\": \"nft;reboot\"}]}", -EINVAL,
                           ORIGIN ": hosts[0].firewall: ",
                           "\"nft;reboot\" has characters that are not allowed", "a unit name");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\", \"firewall\": \"$(reboot).service\"}]}", -EINVAL,
                           ORIGIN ": hosts[0].firewall: ", "not allowed");
        assert_parse_fails(
                "{\"hosts\": [{\"name\": \"a\", \"identity_file\": \"~/.ssh/id\\nProxyCommand x\"}]}",
                -EINVAL, ORIGIN ": hosts[0].identity_file: ", "\"~/.ssh/id\\x0aProxyCommand x\"",
                "control character (0x0a)");
        /* Escaped in the message, so a value cannot forge lines of output. */
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\\u001b[31m\\r\\nb\"}]}", -EINVAL,
                           ORIGIN ": hosts[0].name: ", "\"a\\x1b[31m\\x0d\\x0ab\"");
}

static void test_firewall(void **state) {
        struct tether_inventory *inventory =
                parse("{\"defaults\": {\"firewall\": \"nftables\"}, \"hosts\": [{\"name\": \"a\"},"
                      " {\"name\": \"b\", \"firewall\": \"auto\"}, {\"name\": \"c\", \"firewall\": "
                      "\"firewalld.service\"},"
                      " {\"name\": \"d\", \"firewall\": \"iptables-restore@main.service\"},"
                      " {\"name\": \"e\", \"firewall\": \"netfilter-persistent\"}]}");

        assert_string_equal(inventory->hosts[0].firewall, "nftables.service");
        assert_string_equal(inventory->hosts[1].firewall, "auto");
        assert_string_equal(inventory->hosts[2].firewall, "firewalld.service");
        assert_string_equal(inventory->hosts[3].firewall, "iptables-restore@main.service");
        assert_string_equal(inventory->hosts[4].firewall, "netfilter-persistent.service");
        tether_inventory_free(inventory);

        assert_parse_fails("{\"hosts\": [{\"name\": \"a\", \"firewall\": \"docker.socket\"}]}", -EINVAL,
                           ORIGIN ": hosts[0].firewall: ", "\"docker.socket\" is a .socket unit",
                           "\"auto\" or a .service unit");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\", \"firewall\": \"nftables.v2\"}]}", -EINVAL,
                           ORIGIN ": hosts[0].firewall: ", "not a systemd unit name");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\", \"firewall\": \"foo@.service\"}]}", -EINVAL,
                           ORIGIN ": hosts[0].firewall: ", "is a template unit", "\"foo@main.service\"");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\", \"firewall\": \"\"}]}", -EINVAL,
                           ORIGIN ": hosts[0].firewall: ", "must not be empty");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\", \"firewall\": \"-x.service\"}]}", -EINVAL,
                           ORIGIN ": hosts[0].firewall: ", "not a systemd unit name");
        assert_parse_fails("{\"defaults\": {\"firewall\": \"ufw.timer\"}, \"hosts\": [{\"name\": \"a\"}]}",
                           -EINVAL, ORIGIN ": defaults.firewall: ", "is a .timer unit");
}

static void test_agent_path(void **state) {
        struct tether_inventory *inventory = parse(
                "{\"defaults\": {\"agent_path\": \"/usr/libexec/tether/tether-agent\"}, \"hosts\": ["
                "{\"name\": \"a\"}, {\"name\": \"b\", \"agent_path\": \"/opt/tether/bin/tether-agent\"}]}");

        assert_string_equal(inventory->hosts[0].agent_path, "/usr/libexec/tether/tether-agent");
        assert_string_equal(inventory->hosts[1].agent_path, "/opt/tether/bin/tether-agent");
        tether_inventory_free(inventory);
        inventory = parse("{\"hosts\": [{\"name\": \"a\"}]}");
        assert_null(inventory->hosts[0].agent_path);
        tether_inventory_free(inventory);
        inventory =
                parse("{\"_meta\": {\"hostvars\": {\"h\": {\"tether_agent_path\": \"/usr/libexec/t\"}}}}");
        assert_string_equal(inventory->hosts[0].agent_path, "/usr/libexec/t");
        tether_inventory_free(inventory);

        assert_parse_message("{\"hosts\": [{\"name\": \"a\", \"agent_path\": \"tether-agent\"}]}", -EINVAL,
                             ORIGIN ": hosts[0].agent_path: \"tether-agent\" is not an absolute path; give "
                                    "where the tether-agent package installs the agent, "
                                    "\"/usr/libexec/tether/tether-agent\"");
        assert_parse_message("{\"hosts\": [{\"name\": \"a\", \"agent_path\": \"/usr/a;reboot\"}]}", -EINVAL,
                             ORIGIN ": hosts[0].agent_path: \"/usr/a;reboot\" is not a plain path; use "
                                    "letters, digits, '.', '_', '+', ':', '@', '-' and single '/' between "
                                    "names, without \".\" or \"..\"");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\", \"agent_path\": \"/usr/../bin/sh\"}]}", -EINVAL,
                           ORIGIN ": hosts[0].agent_path: ", "is not a plain path");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\", \"agent_path\": \"/usr/lib/\"}]}", -EINVAL,
                           ORIGIN ": hosts[0].agent_path: ", "is not a plain path");
        assert_parse_message("{\"hosts\": [{\"name\": \"a\", \"agent_path\": \"\"}]}", -EINVAL,
                             ORIGIN ": hosts[0].agent_path: the agent path must not be empty; leave it out "
                                    "to upload tether's own agent");
        assert_parse_message("{\"hosts\": [{\"name\": \"a\", \"agent_path\": true}]}", -EINVAL,
                             ORIGIN ": hosts[0].agent_path: expected the path of an agent installed on the "
                                    "host (a string), got true");
        assert_parse_fails("{\"defaults\": {\"agent_path\": \"~/tether-agent\"}, \"hosts\": [{\"name\": "
                           "\"a\"}]}",
                           -EINVAL, ORIGIN ": defaults.agent_path: ", "is not an absolute path");
        assert_parse_fails("{\"_meta\": {\"hostvars\": {\"h\": {\"tether_agent_path\": \"/a b\"}}}}",
                           -EINVAL, ORIGIN ": _meta.hostvars.h.tether_agent_path: ", "is not a plain path");
}

static void test_identities_only(void **state) {
        static const char text[] =
                "{\"defaults\": {\"identities_only\": true}, \"hosts\": [{\"name\": \"a\"}, "
                "{\"name\": \"b\", \"identities_only\": false}, {\"name\": \"c\"}]}";
        static const char ansible[] =
                "{\"_meta\": {\"hostvars\": {\"a\": {\"ansible_ssh_common_args\": "
                "\"-o IdentitiesOnly=yes\"}, \"b\": {\"tether_identities_only\": \"no\"}, "
                "\"c\": {}}}}";
        struct tether_inventory *inventory = parse(text);

        assert_int_equal(inventory->hosts[0].identities_only, 1);
        assert_int_equal(inventory->hosts[1].identities_only, 0);
        tether_inventory_free(inventory);
        inventory = parse(ansible);
        assert_int_equal(inventory->hosts[0].identities_only, 1);
        assert_int_equal(inventory->hosts[1].identities_only, 0);
        assert_int_equal(inventory->hosts[2].identities_only, -1);
        tether_inventory_free(inventory);
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\", \"identities_only\": \"yes\"}]}", -EINVAL,
                           ORIGIN ": hosts[0].identities_only: expected true or false");
}

static void test_jump(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_inventory *inventory = NULL;
        static const char text[] =
                "{\"defaults\": {\"jump\": \"ops@bastion:2222\"}, \"hosts\": [{\"name\": \"a\"}, "
                "{\"name\": \"b\", \"jump\": \"edge,bastion\"}]}";

        assert_int_equal(tether_inventory_parse(text, strlen(text), ORIGIN, &inventory, &error), 0);
        assert_string_equal(inventory->hosts[0].jump, "ops@bastion:2222");
        assert_string_equal(inventory->hosts[1].jump, "edge,bastion");
        tether_inventory_free(inventory);

        assert_parse_fails("{\"hosts\": [{\"name\": \"a\", \"jump\": \"b;reboot\"}]}", -EINVAL,
                           ORIGIN ": hosts[0].jump: jump host \"b;reboot\": the host is not a valid");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\", \"jump\": \"\"}]}", -EINVAL,
                           ORIGIN ": hosts[0].jump: ", "leave it out to connect directly");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\", \"jump\": 22}]}", -EINVAL,
                           ORIGIN ": hosts[0].jump: ");
}

static void test_empty_and_missing(void **state) {
        assert_parse_message("{\"hosts\": []}", -EINVAL,
                             ORIGIN ": hosts: no hosts; list at least one, such as {\"name\": \"web-01\"}");
        assert_parse_fails("{\"defaults\": {\"user\": \"deploy\"}}", -EINVAL,
                           ORIGIN ": missing key \"hosts\"",
                           "{\"defaults\": {...}, \"hosts\": [{\"name\": \"web-01\", ...}]}");
        /* Neither format: say what each looks like. */
        assert_parse_fails("{}", -EINVAL, ORIGIN ": not an inventory", "\"hosts\": [",
                           "ansible-inventory --list", "\"_meta\": {\"hostvars\"");
        assert_parse_fails("{\"web\": {\"hosts\": [\"a\"]}}", -EINVAL, ORIGIN ": not an inventory");
        assert_parse_fails("", -EBADMSG, ORIGIN ": the inventory is empty");
        assert_parse_fails(" \n ", -EBADMSG, ORIGIN ":2:", "invalid JSON");
}

static void test_json_syntax(void **state) {
        assert_parse_message("{\n  \"hosts\": [\n    {\"name\": \"a\"]\n}", -EBADMSG,
                             ORIGIN ":3:17: invalid JSON: '}' expected near ']'");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\"},]}", -EBADMSG, ORIGIN ":1:", "invalid JSON");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\"}]} trailing", -EBADMSG,
                           ORIGIN ":1:", "invalid JSON", "end of file expected");
        assert_parse_fails("{\"hosts\": [{\"name\": \"\xff\"}]}", -EBADMSG, ORIGIN ":1:", "invalid JSON",
                           "unable to decode byte 0xff");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\", \"port\": 99999999999999999999999}]}", -EBADMSG,
                           ORIGIN ":1:", "too big integer");
}

static void test_duplicate_json_keys(void **state) {
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\",\n \"name\": \"b\"}]}", -EBADMSG,
                           ORIGIN ":2:", "invalid JSON: duplicate object key");
        assert_parse_fails("{\"hosts\": [], \"hosts\": [{\"name\": \"a\"}]}", -EBADMSG,
                           ORIGIN ":1:", "duplicate object key");
}

static void test_nul_bytes(void **state) {
        static const char after[] = "{\"hosts\": [{\"name\": \"a\"}]}\0{\"oops\": 1}";
        static const char inside[] = "{\"hosts\": [\n  {\"name\": \"a\0b\"}]}";

        /* jansson alone would stop at the NUL and accept the first. */
        assert_parse_fails_length(after, sizeof(after) - 1, -EBADMSG,
                                  ORIGIN ":1:27: invalid JSON: a NUL byte");
        assert_parse_fails_length(inside, sizeof(inside) - 1, -EBADMSG,
                                  ORIGIN ":2:14: invalid JSON: a NUL byte");
        assert_parse_fails("{\"hosts\": [{\"name\": \"a\\u0000b\"}]}", -EBADMSG,
                           ORIGIN ":1:", "\\u0000 is not allowed");
}

static void test_deep_nesting(void **state) {
        char *text = repeat('[', 5000);

        assert_parse_fails(text, -E2BIG, ORIGIN ":1:", "maximum parsing depth", "the limit is 2048 levels");
        free(text);
}

static void test_string_limits(void **state) {
        char *long_name = repeat('n', 254), *text;
        struct tether_inventory *inventory;

        text = format("{\"hosts\": [{\"name\": \"%.253s\"}]}", long_name);
        inventory = parse(text);
        assert_int_equal(strlen(inventory->hosts[0].name), 253);
        tether_inventory_free(inventory);
        free(text);

        text = format("{\"hosts\": [{\"name\": \"%s\"}]}", long_name);
        assert_parse_fails(text, -E2BIG, ORIGIN ": hosts[0].name: ", "is 254 characters long",
                           "a host name has at most 253", "...");
        free(text);

        text = format("{\"hosts\": [{\"name\": \"a\", \"address\": \"%s\"}]}", long_name);
        assert_parse_fails(text, -E2BIG, ORIGIN ": hosts[0].address: ", "an address has at most 253");
        free(text);

        text = format("{\"hosts\": [{\"name\": \"a\", \"tags\": [\"%s\"]}]}", long_name);
        assert_parse_fails(text, -E2BIG, ORIGIN ": hosts[0].tags[0]: ", "a tag has at most 253");
        free(text);

        text = format("{\"hosts\": [{\"name\": \"a\", \"user\": \"%.33s\"}]}", long_name);
        assert_parse_fails(text, -E2BIG, ORIGIN ": hosts[0].user: ", "is 33 characters long",
                           "a user name has at most 32");
        free(text);

        text = format("{\"hosts\": [{\"name\": \"a\", \"firewall\": \"%.248s\"}]}", long_name);
        assert_parse_fails(text, -E2BIG,
                           ORIGIN ": hosts[0].firewall: ", "with \".service\" is 256 characters long",
                           "at most 255");
        free(text);
        free(long_name);

        long_name = repeat('k', 4097);
        text = format("{\"hosts\": [{\"name\": \"a\", \"identity_file\": \"%s\"}]}", long_name);
        assert_parse_fails(text, -E2BIG, ORIGIN ": hosts[0].identity_file: ", "is 4097 bytes long",
                           "at most 4096");
        free(text);
        text = format("{\"hosts\": [{\"name\": \"a\", \"known_hosts\": \"%.4096s\"}]}", long_name);
        tether_inventory_free(parse(text));
        free(text);
        free(long_name);

        /* A key too long to suggest for: cut in the message. */
        long_name = repeat('k', 100000);
        text = format("{\"hosts\": [{\"name\": \"a\", \"%s\": 1}]}", long_name);
        assert_parse_fails(text, -EINVAL, ORIGIN ": hosts[0]: ", "unknown key \"kkkk",
                           "kkk\"... (valid keys:");
        free(text);
        free(long_name);
}

/* A JSON array of n tags "t0", "t1", ... */
static char *tag_list(size_t first, size_t n) {
        size_t size = n * 16 + 3, length = 0;
        char *s = malloc(size);

        assert_non_null(s);
        s[length++] = '[';
        for (size_t i = 0; i < n; i++)
                length += (size_t)snprintf(s + length, size - length, "%s\"t%zu\"", i ? "," : "", first + i);
        s[length++] = ']';
        s[length] = '\0';
        return s;
}

static void test_tag_limit(void **state) {
        char *tags = tag_list(0, TETHER_HOST_MAX_TAGS), *more_tags = tag_list(0, TETHER_HOST_MAX_TAGS + 1),
             *text;
        struct tether_inventory *inventory;

        text = format("{\"hosts\": [{\"name\": \"a\", \"tags\": %s}]}", tags);
        inventory = parse(text);
        assert_int_equal(inventory->hosts[0].n_tags, TETHER_HOST_MAX_TAGS);
        tether_inventory_free(inventory);
        free(text);

        text = format("{\"hosts\": [{\"name\": \"a\", \"tags\": %s}]}", more_tags);
        assert_parse_fails(text, -E2BIG, ORIGIN ": hosts[0].tags: ", "65 tags; a host has at most 64");
        free(text);

        /* 64 in defaults and 64 on the host, the same ones: fine. */
        text = format("{\"defaults\": {\"tags\": %s}, \"hosts\": [{\"name\": \"a\", \"tags\": %s}]}", tags,
                      tags);
        tether_inventory_free(parse(text));
        free(text);
        free(more_tags);

        /* 64 in defaults and one more on the host: too many. */
        more_tags = tag_list(1, 1);
        text = format("{\"defaults\": {\"tags\": %s}, \"hosts\": [{\"name\": \"a\", \"tags\": [\"t0\", "
                      "\"new\"]}]}",
                      tags);
        assert_parse_fails(text, -E2BIG, ORIGIN ": hosts[0].tags: ", "with the tags of \"defaults\"",
                           "at most 64");
        free(text);
        free(more_tags);
        free(tags);
}

/* {"hosts": [{"name": "h0"}, ...]} with n hosts. */
static char *many_hosts(size_t n) {
        size_t size = n * 24 + 32, length = 0;
        char *s = malloc(size);

        assert_non_null(s);
        length += (size_t)snprintf(s, size, "{\"hosts\": [");
        for (size_t i = 0; i < n; i++)
                length += (size_t)snprintf(s + length, size - length, "%s{\"name\": \"h%zu\"}", i ? "," : "",
                                           i);
        snprintf(s + length, size - length, "]}");
        return s;
}

static void test_host_limit(void **state) {
        char *text = many_hosts(TETHER_INVENTORY_MAX_HOSTS);
        struct tether_inventory *inventory = parse(text);

        assert_int_equal(inventory->n_hosts, TETHER_INVENTORY_MAX_HOSTS);
        assert_string_equal(inventory->hosts[TETHER_INVENTORY_MAX_HOSTS - 1].name, "h99999");
        assert_non_null(tether_inventory_find(inventory, "h99999"));
        tether_inventory_free(inventory);
        free(text);

        text = many_hosts(TETHER_INVENTORY_MAX_HOSTS + 1);
        assert_parse_fails(text, -E2BIG,
                           ORIGIN ": hosts: ", "100001 hosts; an inventory has at most 100000");
        free(text);
}

static void test_size_limit(void **state) {
        static const char json[] = "{\"hosts\": [{\"name\": \"a\"}]}";
        char *text = repeat(' ', TETHER_INVENTORY_MAX_BYTES + 1), *path;
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_inventory *inventory = NULL;

        /* Exactly the limit: fine. */
        memcpy(text, json, strlen(json));
        path = temporary_file_length(text, TETHER_INVENTORY_MAX_BYTES);
        assert_int_equal(tether_inventory_load(path, &inventory, &error), 0);
        assert_int_equal(inventory->n_hosts, 1);
        assert_string_equal(inventory->origin, path);
        inventory = tether_inventory_free(inventory);
        assert_null(inventory);
        assert_int_equal(unlink(path), 0);
        free(path);

        /* One byte more: refused, by load() and by parse(). */
        path = temporary_file_length(text, TETHER_INVENTORY_MAX_BYTES + 1);
        assert_load_fails(path, -EFBIG, path,
                          "16777217 bytes; an inventory has at most 16777216 bytes (16 MiB)");
        assert_int_equal(unlink(path), 0);
        free(path);
        assert_parse_fails_length(text, TETHER_INVENTORY_MAX_BYTES + 1, -EFBIG, ORIGIN ": ", "16 MiB");
        free(text);
}

/* A writer that never stops, behind a pipe: load() stops reading after the
 * limit and one byte. */
static void test_size_limit_pipe(void **state) {
        int fds[2];
        char path[64];
        pid_t pid;
        int status;

        assert_int_equal(pipe(fds), 0);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                char chunk[4096];

                memset(chunk, ' ', sizeof(chunk));
                close(fds[0]);
                signal(SIGPIPE, SIG_IGN);
                while (write(fds[1], chunk, sizeof(chunk)) > 0)
                        ;
                _exit(0);
        }
        close(fds[1]);
        snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
        assert_load_fails(path, -EFBIG, path, "more than 16777216 bytes", "16 MiB");
        close(fds[0]);
        assert_int_equal(waitpid(pid, &status, 0), pid);
}

static void test_load_pipe(void **state) {
        static const char json[] = "{\"hosts\": [{\"name\": \"piped\"}]}";
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_inventory *inventory = NULL;
        char path[64];
        int fds[2];

        assert_int_equal(pipe(fds), 0);
        assert_int_equal(write(fds[1], json, strlen(json)), (ssize_t)strlen(json));
        close(fds[1]);
        snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
        assert_int_equal(tether_inventory_load(path, &inventory, &error), 0);
        assert_string_equal(inventory->hosts[0].name, "piped");
        tether_inventory_free(inventory);
        close(fds[0]);
}

/* "-" is standard input. */
static void test_load_stdin(void **state) {
        static const char json[] = "{\"hosts\": [{\"name\": \"from-stdin\"}]}";
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_inventory *inventory = NULL;
        int fds[2], saved = dup(STDIN_FILENO);

        assert_true(saved >= 0);
        assert_int_equal(pipe(fds), 0);
        assert_int_equal(write(fds[1], json, strlen(json)), (ssize_t)strlen(json));
        close(fds[1]);
        assert_int_equal(dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
        close(fds[0]);
        assert_int_equal(tether_inventory_load("-", &inventory, &error), 0);
        assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
        close(saved);
        assert_string_equal(inventory->hosts[0].name, "from-stdin");
        assert_string_equal(inventory->origin, TETHER_INVENTORY_STDIN);
        tether_inventory_free(inventory);
}

/* Text that is not JSON at all (what Ansible's INI and YAML inventories
 * are) is told apart from broken JSON, for the caller to read it through
 * ansible-inventory. */
static void test_load_not_json(void **state) {
        static const struct {
                const char *text;
                int code;
        } rows[] = {
                {"[web]\nweb-01 ansible_host=10.0.0.1\n", -EMEDIUMTYPE},
                {"web-01\nweb-02\n", -EMEDIUMTYPE},
                {"all:\n  hosts:\n    web-01:\n", -EMEDIUMTYPE},
                {"---\nall: {}\n", -EMEDIUMTYPE},
                {"# a comment\n[db]\n", -EMEDIUMTYPE},
                {"[]", -EMEDIUMTYPE}, /* an array is no inventory either */
                {"\xef\xbb\xbf{\"hosts\": [\n", -EBADMSG},
                {"  \n\t{\"hosts\": [\n", -EBADMSG},
                {"{\"hosts\": [\n", -EBADMSG},
                {"", -EBADMSG}, /* "the inventory is empty" */
                {"  \n", -EBADMSG},
        };

        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                struct tether_error error = TETHER_ERROR_INIT;
                struct tether_inventory *inventory = untouched;
                char *path = temporary_file(rows[i].text);
                int r = tether_inventory_load(path, &inventory, &error);

                if (r != rows[i].code)
                        fail_msg("row %zu: %d (%s), expected %d", i, r, error.text, rows[i].code);
                assert_ptr_equal(inventory, untouched);
                if (r == -EMEDIUMTYPE)
                        assert_non_null(strstr(error.text, "is not JSON"));
                assert_int_equal(unlink(path), 0);
                free(path);
        }
}

static void test_load_errors(void **state) {
        char *path;

        assert_load_fails("/nonexistent/inventory.json", -ENOENT,
                          "/nonexistent/inventory.json: ", "No such file or directory", "ENOENT");
        assert_load_fails("/tmp", -EISDIR, "/tmp: ", "Is a directory");

        path = temporary_file("{\"hosts\": [{\"name\": \"a\"}, {\"name\": \"a\"}]}");
        assert_load_fails(path, -EINVAL, path, ": hosts[1].name: ", "used twice");
        assert_int_equal(unlink(path), 0);
        free(path);

        path = temporary_file("{\"hosts\": [\n");
        assert_load_fails(path, -EBADMSG, path, ":2:0: invalid JSON");
        assert_int_equal(unlink(path), 0);
        free(path);
}

static void test_first_error_wins(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_inventory *inventory = NULL;

        tether_error_set(&error, -EIO, "earlier");
        assert_int_equal(tether_inventory_parse("{}", 2, ORIGIN, &inventory, &error), -EINVAL);
        assert_int_equal(error.code, -EIO);
        assert_string_equal(error.text, "earlier");
        assert_null(inventory);

        /* A NULL error is fine; so is a NULL origin. */
        assert_int_equal(tether_inventory_parse("{}", 2, NULL, &inventory, NULL), -EINVAL);
        tether_error_clear(&error);
        assert_int_equal(tether_inventory_parse("{}", 2, NULL, &inventory, &error), -EINVAL);
        assert_non_null(strstr(error.text, "(inventory): "));
}

static void test_find(void **state) {
        struct tether_inventory *inventory = parse(brief_example);

        assert_ptr_equal(tether_inventory_find(inventory, "db-01"), &inventory->hosts[1]);
        assert_ptr_equal(tether_inventory_find(inventory, "web-01"), &inventory->hosts[0]);
        assert_null(tether_inventory_find(inventory, "web-02"));
        assert_null(tether_inventory_find(inventory, NULL));
        assert_null(tether_inventory_find(NULL, "web-01"));
        assert_null(tether_inventory_free(inventory));
        assert_null(tether_inventory_free(NULL));
}

/* ---- ansible-inventory --list --------------------------------------------- */

static const char ansible_example[] =
        "{\n"
        "  \"_meta\": {\n"
        "    \"hostvars\": {\n"
        "      \"web1\": {\"ansible_host\": \"10.0.0.5\", \"ansible_port\": 2222, \"ansible_user\": "
        "\"ops\",\n"
        "               \"ansible_become\": true, \"ansible_ssh_private_key_file\": \"~/.ssh/fleet\",\n"
        "               \"ansible_python_interpreter\": \"/usr/bin/python3\", \"http_port\": 80,\n"
        "               \"nested\": {\"any\": [\"thing\"]}},\n"
        "      \"db1\": {\"ansible_port\": \"2200\", \"ansible_become\": \"no\", \"tether_firewall\": "
        "\"nftables\"},\n"
        "      \"lonely\": {\"ansible_become\": \"True\"},\n"
        "      \"orphan\": {\"ansible_host\": \"192.0.2.7\"}\n"
        "    }\n"
        "  },\n"
        "  \"all\": {\"children\": [\"ungrouped\", \"prod\", \"staging\"]},\n"
        "  \"prod\": {\"children\": [\"web\", \"db\"]},\n"
        "  \"web\": {\"hosts\": [\"web1\", \"web2\"]},\n"
        "  \"db\": {\"hosts\": [\"db1\"], \"vars\": {\"ignored\": true}},\n"
        "  \"staging\": {\"hosts\": [\"web2\"]},\n"
        "  \"ungrouped\": {\"hosts\": [\"lonely\"]}\n"
        "}\n";

static void test_ansible(void **state) {
        struct tether_inventory *inventory = parse(ansible_example);
        const struct tether_host *host;

        assert_true(inventory->from_ansible);
        assert_int_equal(inventory->n_hosts, 5);

        /* Order of first appearance, groups in document order, then hostvars. */
        assert_string_equal(inventory->hosts[0].name, "web1");
        assert_string_equal(inventory->hosts[1].name, "web2");
        assert_string_equal(inventory->hosts[2].name, "db1");
        assert_string_equal(inventory->hosts[3].name, "lonely");
        assert_string_equal(inventory->hosts[4].name, "orphan");

        host = tether_inventory_find(inventory, "web1");
        assert_string_equal(host->address, "10.0.0.5");
        assert_int_equal(host->port, 2222);
        assert_string_equal(host->user, "ops");
        assert_int_equal(host->sudo, 1);
        assert_string_equal(host->identity_file, "~/.ssh/fleet");
        assert_null(host->known_hosts);
        assert_string_equal(host->firewall, "auto");
        assert_tags(host, "web", "prod");

        host = tether_inventory_find(inventory, "web2");
        assert_string_equal(host->address, "web2");
        assert_int_equal(host->port, 0);
        assert_null(host->user);
        assert_int_equal(host->sudo, -1);
        assert_tags(host, "web", "staging", "prod");

        host = tether_inventory_find(inventory, "db1");
        assert_int_equal(host->port, 2200);
        assert_int_equal(host->sudo, 0);
        assert_string_equal(host->firewall, "nftables.service");
        assert_tags(host, "db", "prod");

        host = tether_inventory_find(inventory, "lonely");
        assert_int_equal(host->sudo, 1);
        assert_tags(host);

        host = tether_inventory_find(inventory, "orphan");
        assert_string_equal(host->address, "192.0.2.7");
        assert_tags(host);
        tether_inventory_free(inventory);
}

static void test_ansible_minimal_and_aliases(void **state) {
        /* The shape in knowledge/libssh-and-fleet-tools.md. */
        struct tether_inventory *inventory = parse(
                "{\"_meta\":{\"hostvars\":{\"web1\":{\"ansible_host\":\"10.0.0.5\",\"ansible_port\":2222,"
                "\"ansible_user\":\"ops\"}}},\"all\":{\"children\":[\"ungrouped\",\"web\"]},"
                "\"web\":{\"hosts\":[\"web1\"]}}");

        assert_int_equal(inventory->n_hosts, 1);
        assert_string_equal(inventory->hosts[0].address, "10.0.0.5");
        assert_tags(&inventory->hosts[0], "web");
        tether_inventory_free(inventory);

        /* Only "all": fine too; the ssh plugin's older spellings are read,
         * and the newer one wins where both are given. */
        inventory = parse("{\"all\": {\"hosts\": [\"a\", \"b\"]}, \"_meta\": {\"hostvars\": {"
                          "\"a\": {\"ansible_ssh_host\": \"192.0.2.1\", \"ansible_ssh_port\": 2022,"
                          " \"ansible_ssh_user\": \"old\", \"ansible_private_key_file\": \"/k\"},"
                          "\"b\": {\"ansible_host\": \"192.0.2.2\", \"ansible_ssh_host\": \"192.0.2.99\","
                          " \"ansible_become\": \"yes\"}}}}");
        assert_int_equal(inventory->n_hosts, 2);
        assert_string_equal(inventory->hosts[0].address, "192.0.2.1");
        assert_int_equal(inventory->hosts[0].port, 2022);
        assert_string_equal(inventory->hosts[0].user, "old");
        assert_string_equal(inventory->hosts[0].identity_file, "/k");
        assert_tags(&inventory->hosts[0]);
        assert_string_equal(inventory->hosts[1].address, "192.0.2.2");
        assert_int_equal(inventory->hosts[1].sudo, 1);
        tether_inventory_free(inventory);

        /* Groups may have the names of tether's keys. */
        inventory =
                parse("{\"all\": {\"children\": [\"hosts\", \"defaults\"]}, \"hosts\": {\"hosts\": [\"a\"]},"
                      " \"defaults\": {\"hosts\": [\"a\"]}}");
        assert_true(inventory->from_ansible);
        assert_tags(&inventory->hosts[0], "hosts", "defaults");
        tether_inventory_free(inventory);

        /* Only "_meta". */
        inventory = parse("{\"_meta\": {\"hostvars\": {\"solo\": {}}}}");
        assert_int_equal(inventory->n_hosts, 1);
        assert_string_equal(inventory->hosts[0].address, "solo");
        tether_inventory_free(inventory);
}

static void test_ansible_become_strings(void **state) {
        static const struct {
                const char *value;
                int sudo;
        } cases[] = {
                {"true", 1},     {"false", 0},     {"\"yes\"", 1},  {"\"no\"", 0},
                {"\"true\"", 1}, {"\"false\"", 0}, {"\"True\"", 1}, {"\"False\"", 0},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char *text = format("{\"_meta\": {\"hostvars\": {\"h\": {\"ansible_become\": %s}}}}",
                                    cases[i].value);
                struct tether_inventory *inventory = parse(text);

                assert_int_equal(inventory->hosts[0].sudo, cases[i].sudo);
                tether_inventory_free(inventory);
                free(text);
        }

        assert_parse_fails("{\"_meta\": {\"hostvars\": {\"h\": {\"ansible_become\": \"maybe\"}}}}", -EINVAL,
                           ORIGIN ": _meta.hostvars.h.ansible_become: ",
                           "expected true or false (or \"yes\", \"no\"", "got \"maybe\"");
        assert_parse_fails("{\"_meta\": {\"hostvars\": {\"h\": {\"ansible_become\": 1}}}}", -EINVAL,
                           ORIGIN ": _meta.hostvars.h.ansible_become: ", "got 1");
}

static void test_ansible_port(void **state) {
        static const struct {
                const char *value;
                const char *message;
        } bad[] = {
                {"\"22x\"", "got \"22x\""}, {"\"0\"", "got \"0\""},     {"\"65536\"", "got \"65536\""},
                {"\"\"", "got \"\""},       {"\" 22\"", "got \" 22\""}, {"70000", "got 70000"},
                {"22.0", "got 22.0"},       {"[22]", "got an array"},
        };
        struct tether_inventory *inventory;

        inventory = parse("{\"_meta\": {\"hostvars\": {\"h\": {\"ansible_port\": \"65535\"}}}}");
        assert_int_equal(inventory->hosts[0].port, 65535);
        tether_inventory_free(inventory);

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                char *text =
                        format("{\"_meta\": {\"hostvars\": {\"db.example.net\": {\"ansible_port\": %s}}}}",
                               bad[i].value);

                assert_parse_fails(text, -EINVAL,
                                   ORIGIN ": _meta.hostvars[\"db.example.net\"].ansible_port: ",
                                   "expected a port from 1 to 65535 (an integer or a string of digits)",
                                   bad[i].message);
                free(text);
        }
}

static void test_ansible_groups(void **state) {
        struct tether_inventory *inventory;

        /* A cycle in children ends; every group on it is a tag once. */
        inventory =
                parse("{\"all\": {\"children\": [\"a\"]}, \"a\": {\"children\": [\"b\"]},"
                      " \"b\": {\"children\": [\"c\"]}, \"c\": {\"children\": [\"a\"], \"hosts\": [\"h\"]},"
                      " \"self\": {\"children\": [\"self\"], \"hosts\": [\"h\"]}}");
        assert_int_equal(inventory->n_hosts, 1);
        assert_tags(&inventory->hosts[0], "c", "self", "b", "a");
        tether_inventory_free(inventory);

        /* A child group that is not listed is empty; a host in several groups
         * appears once. */
        inventory = parse(
                "{\"all\": {\"children\": [\"ghost\", \"x\", \"y\"]}, \"x\": {\"hosts\": [\"h\", \"h\"]},"
                " \"y\": {\"hosts\": [\"h\"]}}");
        assert_int_equal(inventory->n_hosts, 1);
        assert_tags(&inventory->hosts[0], "x", "y");
        tether_inventory_free(inventory);

        assert_parse_fails("{\"all\": {\"children\": [\"web\"]}, \"web\": [\"a\"]}", -EINVAL,
                           ORIGIN ": web: ", "expected an Ansible group", "got an array");
        assert_parse_fails("{\"all\": {\"children\": [\"web\"]}, \"web\": {\"hosts\": \"a\"}}", -EINVAL,
                           ORIGIN ": web.hosts: ", "expected an array of host names, got \"a\"");
        assert_parse_fails("{\"all\": {\"children\": [\"web\"]}, \"web\": {\"hosts\": [\"a\", 2]}}", -EINVAL,
                           ORIGIN ": web.hosts[1]: ", "expected a host name (a string), got 2");
        assert_parse_fails("{\"all\": {\"children\": [\"web\", {}]}}", -EINVAL,
                           ORIGIN ": all.children[1]: ", "expected a group name (a string), got an object");
        assert_parse_fails("{\"all\": {\"children\": [\"web;x\"]}, \"web;x\": {\"hosts\": [\"a\"]}}",
                           -EINVAL,
                           ORIGIN ": [\"web;x\"]: ", "\"web;x\" has characters that are not allowed");
        assert_parse_fails("{\"all\": {\"children\": [\"web\"]}, \"web\": {\"hosts\": [\"a b\"]}}", -EINVAL,
                           ORIGIN ": web.hosts[0]: ", "\"a b\" has characters that are not allowed");
        assert_parse_fails("{\"_meta\": {\"hostvars\": {\"$(reboot)\": {}}}}", -EINVAL,
                           ORIGIN ": _meta.hostvars[\"$(reboot)\"]: ", "not allowed");
        assert_parse_fails("{\"_meta\": {\"hostvars\": {\"h\": []}}}", -EINVAL,
                           ORIGIN ": _meta.hostvars.h: ", "expected an object of variables, got an array");
        assert_parse_fails("{\"_meta\": [], \"all\": {}}", -EINVAL,
                           ORIGIN ": _meta: ", "expected an object");
        assert_parse_fails("{\"_meta\": {\"hostvars\": []}}", -EINVAL,
                           ORIGIN ": _meta.hostvars: ", "expected an object");
        assert_parse_fails("{\"_meta\": {\"hostvars\": {}}, \"all\": {\"children\": [\"ungrouped\"]}}",
                           -EINVAL, ORIGIN ": no hosts");
}

static void test_ansible_tag_limit(void **state) {
        size_t size = 128 * 1024, length = 0;
        char *text = malloc(size);

        /* One host in 65 groups. */
        assert_non_null(text);
        length += (size_t)snprintf(text, size, "{\"_meta\": {\"hostvars\": {}}");
        for (size_t i = 0; i < TETHER_HOST_MAX_TAGS + 1; i++)
                length += (size_t)snprintf(text + length, size - length, ", \"g%zu\": {\"hosts\": [\"h\"]}",
                                           i);
        snprintf(text + length, size - length, "}");
        assert_parse_fails(text, -E2BIG, ORIGIN ": ", "host \"h\" is in more than 64 groups",
                           "at most 64 tags");
        free(text);
}

static void test_ansible_hostvars(void **state) {
        /* Values are checked as strictly as in tether's format. */
        assert_parse_fails("{\"_meta\": {\"hostvars\": {\"h\": {\"ansible_host\": \"h;reboot\"}}}}", -EINVAL,
                           ORIGIN ": _meta.hostvars.h.ansible_host: ", "not allowed");
        assert_parse_fails("{\"_meta\": {\"hostvars\": {\"h\": {\"ansible_user\": \"root$(id)\"}}}}",
                           -EINVAL, ORIGIN ": _meta.hostvars.h.ansible_user: ", "not a valid user name");
        assert_parse_fails("{\"_meta\": {\"hostvars\": {\"h\": {\"tether_firewall\": \"ufw.socket\"}}}}",
                           -EINVAL, ORIGIN ": _meta.hostvars.h.tether_firewall: ", "is a .socket unit");
        assert_parse_fails("{\"_meta\": {\"hostvars\": {\"h\": {\"ansible_ssh_private_key_file\": 3}}}}",
                           -EINVAL, ORIGIN ": _meta.hostvars.h.ansible_ssh_private_key_file: ", "got 3");
        /* Our own variables are checked for typos; other ones are not ours. */
        assert_parse_fails("{\"_meta\": {\"hostvars\": {\"h\": {\"tether_firewal\": \"auto\"}}}}", -EINVAL,
                           ORIGIN ": _meta.hostvars.h: ", "unknown variable \"tether_firewal\"",
                           "did you mean \"tether_firewall\"? tether reads: tether_firewall, "
                           "tether_agent_path, tether_identities_only, tether_jump)");
        tether_inventory_free(
                parse("{\"_meta\": {\"hostvars\": {\"h\": {\"ansible_whatever\": [1, {}],"
                      " \"ansible_connection\": \"ssh\", \"foo\": null, \"ansible_host\": \"::1\"}}}}"));
}

/* Ansible variables tether takes (a ProxyJump in the ssh arguments) or
 * refuses for the host alone, with the reason the run reports. */
static void test_ansible_reach_vars(void **state) {
        static const struct {
                const char *vars;    /* the host's variables, a JSON object's insides */
                const char *jump;    /* expected, or NULL */
                const char *refusal; /* a part of it, or NULL */
        } rows[] = {
                {"\"ansible_connection\": \"ssh\"", NULL, NULL},
                {"\"ansible_connection\": \"local\"", NULL,
                 "ansible_connection=local: tether reaches hosts over SSH only"},
                {"\"ansible_connection\": \"community.docker.docker\"", NULL,
                 "ansible_connection=community.docker.docker"},
                {"\"ansible_become\": true, \"ansible_become_method\": \"su\"", NULL,
                 "ansible_become_method=su: tether runs its agent with sudo only"},
                {"\"ansible_become\": false, \"ansible_become_method\": \"su\"", NULL, NULL},
                {"\"ansible_become\": true, \"ansible_become_method\": \"sudo\"", NULL, NULL},
                {"\"ansible_ssh_common_args\": \"-o ProxyJump=ops@bastion:2222\"", "ops@bastion:2222", NULL},
                {"\"ansible_ssh_common_args\": \"-J edge,bastion -o ServerAliveInterval=30\"",
                 "edge,bastion", NULL},
                {"\"ansible_ssh_common_args\": \"-o 'ProxyJump=b' -oControlMaster=auto\"", "b", NULL},
                {"\"tether_jump\": \"mine\", \"ansible_ssh_common_args\": \"-o ProxyJump=theirs\"", "mine",
                 NULL},
                {"\"ansible_ssh_common_args\": \"-o ProxyCommand='ssh -W %h:%p b'\"", NULL,
                 "ansible_ssh_common_args: -o ProxyCommand=...: tether runs no shell command from an "
                 "inventory"},
                {"\"ansible_ssh_extra_args\": \"-o StrictHostKeyChecking=no\"", NULL,
                 "ansible_ssh_extra_args: -o StrictHostKeyChecking=no: tether always checks host keys"},
                {"\"ansible_ssh_common_args\": \"-o Ciphers=aes128-ctr\"", NULL,
                 "-o Ciphers: an ssh option tether cannot honour; put it in ssh_config"},
                {"\"ansible_ssh_common_args\": \"-o IdentitiesOnly=yes -o ProxyJump=b\"", "b", NULL},
                {"\"ansible_ssh_common_args\": \"-4\"", NULL,
                 "ansible_ssh_common_args: -4: an ssh argument"},
                {"\"ansible_ssh_common_args\": \"-o ProxyJump=b;reboot\"", NULL,
                 "-o ProxyJump=b;reboot: jump host"},
                {"\"ansible_host\": \"{{ lookup('env', 'WEB_IP') }}\"", NULL,
                 "ansible_host is a Jinja template, which tether does not render"},
                {"\"ansible_user\": \"{% if x %}a{% endif %}\"", NULL, "ansible_user is a Jinja template"},
                {"\"motd\": \"{{ not ours }}\"", NULL, NULL},
        };

        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                char text[1024];
                struct tether_inventory *inventory;

                snprintf(text, sizeof(text), "{\"_meta\": {\"hostvars\": {\"h\": {%s}}}}", rows[i].vars);
                inventory = parse(text);
                if (rows[i].refusal ? !inventory->hosts[0].refusal ||
                                              !strstr(inventory->hosts[0].refusal, rows[i].refusal)
                                    : inventory->hosts[0].refusal != NULL)
                        fail_msg("row %zu: refusal '%s', expected '%s'", i,
                                 inventory->hosts[0].refusal ? inventory->hosts[0].refusal : "(none)",
                                 rows[i].refusal ? rows[i].refusal : "(none)");
                if (rows[i].jump)
                        assert_string_equal(inventory->hosts[0].jump, rows[i].jump);
                else if (!rows[i].refusal)
                        assert_null(inventory->hosts[0].jump);
                tether_inventory_free(inventory);
        }
}

static void test_ansible_host_limit(void **state) {
        size_t n = TETHER_INVENTORY_MAX_HOSTS + 1, size = n * 12 + 64, length = 0;
        char *text = malloc(size);

        assert_non_null(text);
        length +=
                (size_t)snprintf(text, size, "{\"all\": {\"children\": [\"big\"]}, \"big\": {\"hosts\": [");
        for (size_t i = 0; i < n; i++)
                length += (size_t)snprintf(text + length, size - length, "%s\"h%zu\"", i ? "," : "", i);
        snprintf(text + length, size - length, "]}}");
        assert_parse_fails(text, -E2BIG, ORIGIN ": big.hosts[100000]: ", "more than 100000 hosts");
        free(text);
}

/* ---- the normalized dump --------------------------------------------------- */

static void assert_same_hosts(const struct tether_inventory *a, const struct tether_inventory *b) {
        assert_int_equal(a->n_hosts, b->n_hosts);
        for (size_t i = 0; i < a->n_hosts; i++) {
                const struct tether_host *x = &a->hosts[i], *y = &b->hosts[i];

                assert_string_equal(x->name, y->name);
                assert_string_equal(x->address, y->address);
                if (x->user || y->user)
                        assert_string_equal(x->user, y->user);
                assert_int_equal(x->port, y->port);
                assert_int_equal(x->sudo, y->sudo);
                if (x->identity_file || y->identity_file)
                        assert_string_equal(x->identity_file, y->identity_file);
                if (x->known_hosts || y->known_hosts)
                        assert_string_equal(x->known_hosts, y->known_hosts);
                assert_string_equal(x->firewall, y->firewall);
                assert_int_equal(x->n_tags, y->n_tags);
                for (size_t t = 0; t < x->n_tags; t++)
                        assert_string_equal(x->tags[t], y->tags[t]);
                if (x->agent_path || y->agent_path)
                        assert_string_equal(x->agent_path, y->agent_path);
        }
}

static void round_trip(const char *text) {
        struct tether_inventory *first = parse(text), *second;
        json_t *json = tether_inventory_to_json(first);
        char *dump;

        assert_non_null(json);
        assert_null(json_object_get(json, "defaults"));
        dump = json_dumps(json, JSON_INDENT(2));
        assert_non_null(dump);
        second = parse(dump);
        assert_false(second->from_ansible);
        assert_same_hosts(first, second);

        tether_inventory_free(second);
        tether_inventory_free(first);
        free(dump);
        json_decref(json);
}

static void test_to_json(void **state) {
        struct tether_inventory *inventory = parse(brief_example);
        json_t *json = tether_inventory_to_json(inventory), *host;

        host = json_array_get(json_object_get(json, "hosts"), 1);
        assert_string_equal(json_string_value(json_object_get(host, "name")), "db-01");
        assert_int_equal(json_integer_value(json_object_get(host, "port")), 2222);
        assert_true(json_is_false(json_object_get(host, "sudo")));
        assert_string_equal(json_string_value(json_object_get(host, "firewall")), "nftables.service");
        assert_true(json_is_array(json_object_get(host, "tags")));
        json_decref(json);
        tether_inventory_free(inventory);

        /* Unset fields are left out. */
        inventory = parse("{\"hosts\": [{\"name\": \"a\"}]}");
        json = tether_inventory_to_json(inventory);
        host = json_array_get(json_object_get(json, "hosts"), 0);
        assert_null(json_object_get(host, "user"));
        assert_null(json_object_get(host, "port"));
        assert_null(json_object_get(host, "sudo"));
        assert_null(json_object_get(host, "identity_file"));
        assert_string_equal(json_string_value(json_object_get(host, "address")), "a");
        json_decref(json);
        tether_inventory_free(inventory);

        assert_null(tether_inventory_to_json(NULL));

        round_trip(brief_example);
        round_trip(ansible_example);
        round_trip("{\"defaults\": {\"tags\": [\"x\"], \"sudo\": true}, \"hosts\": [{\"name\": \"v6\", "
                   "\"address\":"
                   " \"[2001:db8::1]\", \"tags\": [\"y\"]}, {\"name\": \"n\", \"sudo\": false}]}");
        round_trip("{\"defaults\": {\"agent_path\": \"/usr/libexec/tether/tether-agent\"}, \"hosts\": "
                   "[{\"name\": \"a\"}, {\"name\": \"b\", \"agent_path\": \"/opt/agent\"}]}");
}

/* ---- the example shipped with the source ----------------------------------- */

static void test_example_file(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_inventory *inventory = NULL;
        const char *path = "inventory.example";
        bool any_user = false, any_port = false, any_sudo = false, any_identity = false, any_known = false,
             any_forced = false, any_tags = false, any_agent_path = false;
        int r;

        /* Tests run from the top of the tree; allow tests/unit too. */
        if (access(path, R_OK) < 0)
                path = "../../inventory.example";
        r = tether_inventory_load(path, &inventory, &error);
        if (r < 0)
                print_error("%s\n", error.text);
        assert_int_equal(r, 0);
        assert_true(inventory->n_hosts >= 2);
        for (size_t i = 0; i < inventory->n_hosts; i++) {
                const struct tether_host *host = &inventory->hosts[i];

                any_user |= host->user != NULL;
                any_port |= host->port != 0;
                any_sudo |= host->sudo >= 0;
                any_identity |= host->identity_file != NULL;
                any_known |= host->known_hosts != NULL;
                any_forced |= strcmp(host->firewall, "auto") != 0;
                any_tags |= host->n_tags > 0;
                any_agent_path |= host->agent_path != NULL;
        }
        assert_true(any_user && any_port && any_sudo && any_identity && any_known && any_forced &&
                    any_tags && any_agent_path);
        tether_inventory_free(inventory);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_minimal_host),
                cmocka_unit_test(test_defaults_merge_and_override),
                cmocka_unit_test(test_address),
                cmocka_unit_test(test_tags_merge),
                cmocka_unit_test(test_duplicate_names),
                cmocka_unit_test(test_unknown_keys),
                cmocka_unit_test(test_wrong_types),
                cmocka_unit_test(test_shell_metacharacters),
                cmocka_unit_test(test_firewall),
                cmocka_unit_test(test_agent_path),
                cmocka_unit_test(test_empty_and_missing),
                cmocka_unit_test(test_json_syntax),
                cmocka_unit_test(test_duplicate_json_keys),
                cmocka_unit_test(test_nul_bytes),
                cmocka_unit_test(test_deep_nesting),
                cmocka_unit_test(test_string_limits),
                cmocka_unit_test(test_tag_limit),
                cmocka_unit_test(test_host_limit),
                cmocka_unit_test(test_size_limit),
                cmocka_unit_test(test_size_limit_pipe),
                cmocka_unit_test(test_load_pipe),
                cmocka_unit_test(test_load_errors),
                cmocka_unit_test(test_jump),
                cmocka_unit_test(test_identities_only),
                cmocka_unit_test(test_ansible_reach_vars),
                cmocka_unit_test(test_load_stdin),
                cmocka_unit_test(test_load_not_json),
                cmocka_unit_test(test_first_error_wins),
                cmocka_unit_test(test_find),
                cmocka_unit_test(test_ansible),
                cmocka_unit_test(test_ansible_minimal_and_aliases),
                cmocka_unit_test(test_ansible_become_strings),
                cmocka_unit_test(test_ansible_port),
                cmocka_unit_test(test_ansible_groups),
                cmocka_unit_test(test_ansible_tag_limit),
                cmocka_unit_test(test_ansible_hostvars),
                cmocka_unit_test(test_ansible_host_limit),
                cmocka_unit_test(test_to_json),
                cmocka_unit_test(test_example_file),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
