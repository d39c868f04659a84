/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/netfilter.c: every fixture in
 * tests/unit/fixtures/netfilter (captured with iptables-nft and
 * iptables-legacy, Docker 20.10, 28 and 29, before and after a firewall
 * service wiped Docker's rules), the expectations per Docker version, the
 * diff, the JSON, and hostile input (binary data, wrong order, broken
 * quotes, lines and texts over the limits), asserting codes and messages.
 * Run from the top of the tree.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "macro.h"
#include "netfilter.h"
#include "test-util.h"

#define FIXTURES "tests/unit/fixtures/netfilter/"

#define SAVE_EXPECTED                                                                                     \
        "expected a comment (#), a table (*filter), a chain (:NAME POLICY [0:0]), a rule (-A CHAIN ...) " \
        "or COMMIT"

/* Reads a whole fixture; the caller frees it. */
static char *read_fixture(const char *name, size_t *ret_length) {
        _cleanup_free_ char *path = format(FIXTURES "%s", name);

        return read_test_file(path, "run from the top of the tree", ret_length);
}

static struct tether_netfilter_snapshot *load(const char *name) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_netfilter_snapshot *snapshot = NULL;
        size_t length;
        _cleanup_free_ char *text = read_fixture(name, &length);
        int r = tether_netfilter_parse_save(text, length, &snapshot, &error);

        if (r < 0)
                fail_msg("%s: %s", name, error.text);
        assert_non_null(snapshot);
        return snapshot;
}

static struct tether_netfilter_snapshot *parse_string(const char *text) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_netfilter_snapshot *snapshot = NULL;
        int r = tether_netfilter_parse_save(text, strlen(text), &snapshot, &error);

        if (r < 0)
                fail_msg("%s", error.text);
        return snapshot;
}

/* Parses text that must fail with code and exactly message. */
static void assert_parse_fails(const char *text, size_t length, int code, const char *message) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_netfilter_snapshot *sentinel = (struct tether_netfilter_snapshot *)&error,
                                         *snapshot = sentinel;

        assert_int_equal(tether_netfilter_parse_save(text, length, &snapshot, &error), code);
        assert_int_equal(error.code, code);
        assert_string_equal(error.text, message);
        assert_ptr_equal(snapshot, sentinel);
}

static void assert_string_fails(const char *text, int code, const char *message) {
        assert_parse_fails(text, strlen(text), code, message);
}

static void assert_sorted_unique(const struct tether_netfilter_snapshot *s) {
        for (size_t i = 1; i < s->n_items; i++) {
                int r = strcmp(s->items[i - 1].table, s->items[i].table);

                if (r == 0)
                        r = strcmp(s->items[i - 1].text, s->items[i].text);
                assert_true(r < 0);
        }
}

/* Docker 20.10's items, as both iptables flavours print them. */
static void assert_docker20_items(const struct tether_netfilter_snapshot *s) {
        static const char *const filter[] = {
                ":DOCKER",
                ":DOCKER-ISOLATION-STAGE-1",
                ":DOCKER-ISOLATION-STAGE-2",
                ":DOCKER-USER",
                "-A FORWARD -j DOCKER-USER",
                "-A FORWARD -j DOCKER-ISOLATION-STAGE-1",
                "-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                "-A FORWARD -o docker0 -j DOCKER",
                "-A FORWARD -i docker0 ! -o docker0 -j ACCEPT",
                "-A FORWARD -i docker0 -o docker0 -j ACCEPT",
                "-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2",
                "-A DOCKER-ISOLATION-STAGE-1 -j RETURN",
                "-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP",
                "-A DOCKER-ISOLATION-STAGE-2 -j RETURN",
                "-A DOCKER-USER -j RETURN",
        };
        static const char *const nat[] = {
                ":DOCKER",
                "-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
                "-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER",
                "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
                "-A DOCKER -i docker0 -j RETURN",
        };

        assert_int_equal(tether_netfilter_count(s, NULL), 20);
        assert_int_equal(tether_netfilter_count(s, "filter"), ELEMENTSOF(filter));
        assert_int_equal(tether_netfilter_count(s, "nat"), ELEMENTSOF(nat));
        for (size_t i = 0; i < ELEMENTSOF(filter); i++)
                assert_true(tether_netfilter_contains(s, "filter", filter[i]));
        for (size_t i = 0; i < ELEMENTSOF(nat); i++)
                assert_true(tether_netfilter_contains(s, "nat", nat[i]));
        assert_false(tether_netfilter_contains(s, "filter", ":INPUT"));
        assert_false(tether_netfilter_contains(s, "filter", ":FORWARD"));
        assert_false(tether_netfilter_contains(s, "nat", ":DOCKER-USER"));
        assert_sorted_unique(s);
}

static void test_docker20_nft_healthy(void **state) {
        _cleanup_netfilter_snapshot_ struct tether_netfilter_snapshot *s = load("docker20-nft-healthy.txt");

        assert_int_equal(s->backend, TETHER_NETFILTER_NFT);
        assert_docker20_items(s);
}

static void test_docker20_legacy_healthy(void **state) {
        _cleanup_netfilter_snapshot_ struct tether_netfilter_snapshot *legacy = load(
                                                                              "docker20-legacy-healthy.txt"),
                                                                      *nft = load(
                                                                              "docker20-nft-healthy.txt");

        assert_int_equal(legacy->backend, TETHER_NETFILTER_LEGACY);
        assert_docker20_items(legacy);
        /* The flavour changes the header only. */
        assert_int_equal(tether_netfilter_diff(legacy, nft, NULL), 0);
        assert_int_equal(tether_netfilter_diff(nft, legacy, NULL), 0);
}

static void test_docker20_after_nftables(void **state) {
        _cleanup_netfilter_snapshot_ struct tether_netfilter_snapshot *s =
                load("docker20-nft-after-nftables.txt");

        assert_int_equal(s->backend, TETHER_NETFILTER_UNKNOWN);
        assert_int_equal(s->n_items, 0);
        assert_null(s->items);
}

static void test_docker20_after_netfilter_persistent(void **state) {
        _cleanup_netfilter_snapshot_ struct tether_netfilter_snapshot *s =
                load("docker20-nft-after-netfilter-persistent.txt");

        assert_int_equal(s->backend, TETHER_NETFILTER_NFT);
        assert_int_equal(tether_netfilter_count(s, NULL), 5);
        assert_int_equal(tether_netfilter_count(s, "filter"), 0);
        assert_int_equal(tether_netfilter_count(s, "nat"), 5);
        assert_true(
                tether_netfilter_contains(s, "nat", "-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER"));
        assert_false(tether_netfilter_contains(s, "filter", "-A INPUT -i lo -j ACCEPT"));
}

static void test_docker28_nft_healthy(void **state) {
        _cleanup_netfilter_snapshot_ struct tether_netfilter_snapshot *s = load("docker28-nft-healthy.txt");

        /* The collector dropped the "# Generated by" lines. */
        assert_int_equal(s->backend, TETHER_NETFILTER_UNKNOWN);
        assert_int_equal(tether_netfilter_count(s, NULL), 25);
        assert_int_equal(tether_netfilter_count(s, "filter"), 20);
        assert_int_equal(tether_netfilter_count(s, "nat"), 5);
        assert_int_equal(tether_netfilter_count(s, "mangle"), 0);
        assert_int_equal(tether_netfilter_count(s, "raw"), 0);
        assert_sorted_unique(s);

        /* "[914457:4067835391] -A FORWARD -j DOCKER-USER" */
        assert_true(tether_netfilter_contains(s, "filter", "-A FORWARD -j DOCKER-USER"));
        assert_true(tether_netfilter_contains(s, "filter", "-A FORWARD -j DOCKER-FORWARD"));
        assert_true(tether_netfilter_contains(s, "filter", ":DOCKER-CT"));
        assert_true(tether_netfilter_contains(s, "filter", ":DOCKER-BRIDGE"));
        assert_true(tether_netfilter_contains(s, "filter", "-A DOCKER-FORWARD -j DOCKER-ISOLATION-STAGE-1"));
        assert_true(
                tether_netfilter_contains(s, "filter",
                                          "-A DOCKER-USER -i virbr1 -o br-+ -m conntrack --ctstate NEW -m "
                                          "comment \"REDACTED_COMMENT\" \"deny agent VM to Docker\" -j "
                                          "REJECT --reject-with icmp-port-unreachable"));
        assert_true(tether_netfilter_contains(s, "nat",
                                              "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE"));
        /* libvirt's and ufw's chains are not Docker's, nor is MASQUERADE for virbr1. */
        assert_false(tether_netfilter_contains(s, "filter", ":LIBVIRT_FWI"));
        assert_false(tether_netfilter_contains(s, "nat", "-A POSTROUTING -j LIBVIRT_PRT"));
        for (size_t i = 0; i < s->n_items; i++) {
                assert_null(strchr(s->items[i].text, '['));
                assert_null(strstr(s->items[i].text, "LIBVIRT"));
                assert_null(strstr(s->items[i].text, "ufw-"));
        }
}

static void test_docker29_nft_healthy(void **state) {
        _cleanup_netfilter_snapshot_ struct tether_netfilter_snapshot *s = load("docker29-nft-healthy.txt");

        assert_int_equal(s->backend, TETHER_NETFILTER_NFT);
        assert_int_equal(tether_netfilter_count(s, NULL), 19);
        assert_int_equal(tether_netfilter_count(s, "filter"), 15);
        assert_int_equal(tether_netfilter_count(s, "nat"), 4);
        assert_true(tether_netfilter_contains(s, "filter", ":DOCKER-INTERNAL"));
        assert_true(tether_netfilter_contains(s, "filter", "-A DOCKER-FORWARD -j DOCKER-INTERNAL"));
        assert_false(tether_netfilter_contains(s, "filter", ":DOCKER-ISOLATION-STAGE-1"));
        assert_false(tether_netfilter_contains(s, "filter", ":YJ-FIREWALL-INPUT"));
        assert_false(tether_netfilter_contains(s, "filter", "-A INPUT -j YJ-FIREWALL-INPUT"));
}

/* What each era of Docker is checked for, in the order of the checks: "+"
 * present, "-" missing, then "table: what". */
#define F_DOCKER "filter: chain DOCKER"
#define F_USER "filter: chain DOCKER-USER", "filter: jump FORWARD -> DOCKER-USER"
#define F_ISOLATION "filter: chain DOCKER-ISOLATION", "filter: jump FORWARD -> DOCKER-ISOLATION"
#define F_FORWARD                                                                      \
        "filter: chain DOCKER-FORWARD", "filter: jump FORWARD -> DOCKER-FORWARD",      \
                "filter: chain DOCKER-CT", "filter: jump DOCKER-FORWARD -> DOCKER-CT", \
                "filter: chain DOCKER-BRIDGE", "filter: jump DOCKER-FORWARD -> DOCKER-BRIDGE"
#define F_STAGES "filter: chain DOCKER-ISOLATION-STAGE-1", "filter: chain DOCKER-ISOLATION-STAGE-2"
#define NAT                                                                     \
        "nat: chain DOCKER", "nat: jump PREROUTING -> DOCKER (dst-type LOCAL)", \
                "nat: jump OUTPUT -> DOCKER", "nat: MASQUERADE for docker0"

struct era_row {
        const char *name;
        const char *fixture;
        const char *version; /* NULL: major alone */
        unsigned major;
        bool ipv6;
        const char *checks[24];  /* every check, in order */
        const char *missing[24]; /* those of checks[] that are missing */
};

static const struct era_row era_rows[] = {
        {"RHEL 7's docker 1.13.1: one isolation chain, no DOCKER-USER",
         "docker1.13-centos7-legacy-healthy.txt",
         "1.13.1",
         1,
         false,
         {F_DOCKER, F_ISOLATION, NAT},
         {}},
        {"1.13 from the major alone: the every-version checks",
         "docker1.13-centos7-legacy-healthy.txt",
         NULL,
         1,
         false,
         {F_DOCKER, NAT},
         {}},
        {"17.06 to 18.04: DOCKER-USER and one isolation chain",
         "docker17-legacy-healthy.txt",
         "17.09.0-ce",
         17,
         false,
         {F_DOCKER, F_USER, F_ISOLATION, NAT},
         {}},
        {"17.03 had no DOCKER-USER yet",
         "docker1.13-centos7-legacy-healthy.txt",
         "17.03.2-ce",
         17,
         false,
         {F_DOCKER, F_ISOLATION, NAT},
         {}},
        {"major 17 alone: DOCKER-USER came within it, not checked",
         "docker1.13-centos7-legacy-healthy.txt",
         NULL,
         17,
         false,
         {F_DOCKER, F_ISOLATION, NAT},
         {}},
        {"18.04: still one isolation chain",
         "docker17-legacy-healthy.txt",
         "18.04.0-ce",
         18,
         false,
         {F_DOCKER, F_USER, F_ISOLATION, NAT},
         {}},
        {"18.06 judged on a 17.x capture: the stages are missing",
         "docker17-legacy-healthy.txt",
         "18.06.1-ce",
         18,
         false,
         {F_DOCKER, F_USER, F_STAGES, "filter: jump FORWARD -> DOCKER-ISOLATION-STAGE-1", NAT},
         {F_STAGES, "filter: jump FORWARD -> DOCKER-ISOLATION-STAGE-1"}},
        {"RHEL 7's 1.13 capture judged as 20.10: what a false broken would look like",
         "docker1.13-centos7-legacy-healthy.txt",
         "20.10.24+dfsg1",
         20,
         false,
         {F_DOCKER, F_USER, F_STAGES, "filter: jump FORWARD -> DOCKER-ISOLATION-STAGE-1", NAT},
         {F_USER, F_STAGES, "filter: jump FORWARD -> DOCKER-ISOLATION-STAGE-1"}},
        {"20.10, nft",
         "docker20-nft-healthy.txt",
         "20.10.24+dfsg1",
         20,
         false,
         {F_DOCKER, F_USER, F_STAGES, "filter: jump FORWARD -> DOCKER-ISOLATION-STAGE-1", NAT},
         {}},
        {"20.10, legacy, major alone",
         "docker20-legacy-healthy.txt",
         NULL,
         20,
         false,
         {F_DOCKER, F_USER, F_STAGES, "filter: jump FORWARD -> DOCKER-ISOLATION-STAGE-1", NAT},
         {}},
        {"20.10 after nftables' restart: all gone",
         "docker20-nft-after-nftables.txt",
         "20.10.24",
         20,
         false,
         {F_DOCKER, F_USER, F_STAGES, "filter: jump FORWARD -> DOCKER-ISOLATION-STAGE-1", NAT},
         {F_DOCKER, F_USER, F_STAGES, "filter: jump FORWARD -> DOCKER-ISOLATION-STAGE-1", NAT}},
        {"20.10 after netfilter-persistent's restart: nat left",
         "docker20-nft-after-netfilter-persistent.txt",
         "20.10.24",
         20,
         false,
         {F_DOCKER, F_USER, F_STAGES, "filter: jump FORWARD -> DOCKER-ISOLATION-STAGE-1", NAT},
         {F_DOCKER, F_USER, F_STAGES, "filter: jump FORWARD -> DOCKER-ISOLATION-STAGE-1"}},
        {"28.0.0: the 27 layout, with ipsets",
         "docker28.0.0-healthy.txt",
         "28.0.0",
         28,
         false,
         {F_DOCKER, F_USER, F_STAGES, "filter: jump FORWARD -> DOCKER-ISOLATION-STAGE-1", NAT},
         {}},
        {"28.0.1 on: DOCKER-FORWARD and friends",
         "docker28-nft-healthy.txt",
         "28.5.2",
         28,
         false,
         {F_DOCKER, F_USER, F_FORWARD, F_STAGES, "filter: jump DOCKER-FORWARD -> DOCKER-ISOLATION-STAGE-1",
          NAT},
         {}},
        {"28.0.0's rules judged as 28.0.1's",
         "docker28.0.0-healthy.txt",
         "28.0.1",
         28,
         false,
         {F_DOCKER, F_USER, F_FORWARD, F_STAGES, "filter: jump DOCKER-FORWARD -> DOCKER-ISOLATION-STAGE-1",
          NAT},
         {F_FORWARD, "filter: jump DOCKER-FORWARD -> DOCKER-ISOLATION-STAGE-1"}},
        {"major 28 alone: only what all of 28 has",
         "docker28.0.0-healthy.txt",
         NULL,
         28,
         false,
         {F_DOCKER, F_USER, F_STAGES, NAT},
         {}},
        {"29: no isolation chains",
         "docker29-nft-healthy.txt",
         "29.6.1",
         29,
         false,
         {F_DOCKER, F_USER, F_FORWARD, NAT},
         {}},
        {"29 from the major alone, and a later major",
         "docker28-nft-healthy.txt",
         NULL,
         30,
         false,
         {F_DOCKER, F_USER, F_FORWARD, NAT},
         {}},
        {"20.10's rules judged as 29's",
         "docker20-nft-healthy.txt",
         "29.0.0",
         29,
         false,
         {F_DOCKER, F_USER, F_FORWARD, NAT},
         {F_FORWARD}},
        {"unknown version: the every-version checks",
         "docker29-nft-healthy.txt",
         NULL,
         0,
         false,
         {F_DOCKER, NAT},
         {}},
        {"a version that is not one: the major decides",
         "docker20-nft-healthy.txt",
         "garbage",
         20,
         false,
         {F_DOCKER, F_USER, F_STAGES, "filter: jump FORWARD -> DOCKER-ISOLATION-STAGE-1", NAT},
         {}},
        {"ip6tables, 20.10: filter chains, no DOCKER-USER, no nat",
         "docker20-nft-ipv6-healthy.txt",
         "20.10.24",
         20,
         true,
         {"ip6 filter: chain DOCKER", "ip6 filter: chain DOCKER-ISOLATION-STAGE-1",
          "ip6 filter: chain DOCKER-ISOLATION-STAGE-2",
          "ip6 filter: jump FORWARD -> DOCKER-ISOLATION-STAGE-1"},
         {}},
        {"ip6tables, 29, all gone",
         "docker20-nft-after-nftables.txt",
         "29.1.0",
         29,
         true,
         {"ip6 filter: chain DOCKER", "ip6 filter: chain DOCKER-FORWARD",
          "ip6 filter: jump FORWARD -> DOCKER-FORWARD", "ip6 filter: chain DOCKER-CT",
          "ip6 filter: jump DOCKER-FORWARD -> DOCKER-CT", "ip6 filter: chain DOCKER-BRIDGE",
          "ip6 filter: jump DOCKER-FORWARD -> DOCKER-BRIDGE"},
         {"ip6 filter: chain DOCKER", "ip6 filter: chain DOCKER-FORWARD",
          "ip6 filter: jump FORWARD -> DOCKER-FORWARD", "ip6 filter: chain DOCKER-CT",
          "ip6 filter: jump DOCKER-FORWARD -> DOCKER-CT", "ip6 filter: chain DOCKER-BRIDGE",
          "ip6 filter: jump DOCKER-FORWARD -> DOCKER-BRIDGE"}},
};

static bool listed(const char *const *list, const char *name) {
        for (size_t i = 0; list[i]; i++)
                if (strcmp(list[i], name) == 0)
                        return true;
        return false;
}

static void test_checks_by_era(void **state) {
        for (size_t i = 0; i < ELEMENTSOF(era_rows); i++) {
                const struct era_row *row = &era_rows[i];
                _cleanup_netfilter_snapshot_ struct tether_netfilter_snapshot *s = load(row->fixture);
                _cleanup_free_ struct tether_netfilter_check *checks = NULL;
                struct tether_docker_rules docker = {
                        .major = row->major, .version = row->version, .ipv6 = row->ipv6};
                size_t n = SIZE_MAX, n_expected = 0, n_missing = 0;
                int r;

                print_message("row: %s\n", row->name);
                while (row->checks[n_expected])
                        n_expected++;
                while (row->missing[n_missing])
                        n_missing++;
                r = tether_netfilter_check_expected(s, &docker, &checks, &n);
                assert_int_equal(n, n_expected);
                assert_int_equal(r, (int)n_missing);
                for (size_t k = 0; k < n; k++) {
                        char name[160];

                        snprintf(name, sizeof(name), "%s: %s", checks[k].table, checks[k].what);
                        assert_string_equal(name, row->checks[k]);
                        if (checks[k].present == listed(row->missing, name))
                                fail_msg("%s: %s is %s", row->name, name,
                                         checks[k].present ? "present" : "missing");
                }
        }
}
static void test_checks_patterns(void **state) {
        struct tether_netfilter_check *checks = NULL;
        size_t n = 0;
        _cleanup_netfilter_snapshot_ struct tether_netfilter_snapshot *s = NULL, *negated = NULL;

        /* Another subnet, the OUTPUT jump without the 127/8 exclusion: still Docker's. */
        s = parse_string("*nat\n"
                         ":DOCKER - [0:0]\n"
                         "-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER\n"
                         "-A OUTPUT -m addrtype --dst-type LOCAL -j DOCKER\n"
                         "-A POSTROUTING -s 10.200.0.0/24 ! -o docker0 -j MASQUERADE\n"
                         "COMMIT\n");
        assert_int_equal(
                tether_netfilter_check_expected(s, &(struct tether_docker_rules){.major = 0}, &checks, &n),
                1); /* the filter one */
        assert_int_equal(n, 5);
        for (size_t i = 1; i < n; i++)
                assert_true(checks[i].present);
        free(checks);

        /* A negated --dst-type LOCAL is not Docker's jump; MASQUERADE for another bridge is not docker0's.
         */
        negated = parse_string("*nat\n"
                               ":DOCKER - [0:0]\n"
                               "-A PREROUTING -m addrtype ! --dst-type LOCAL -j DOCKER\n"
                               "-A OUTPUT -m addrtype --dst-type LOCAL -j DOCKER\n"
                               "-A POSTROUTING -s 172.18.0.0/16 ! -o br-0123456789ab -j MASQUERADE\n"
                               "COMMIT\n");
        assert_int_equal(tether_netfilter_check_expected(negated, &(struct tether_docker_rules){.major = 0},
                                                         &checks, &n),
                         3);
        assert_string_equal(checks[2].what, "jump PREROUTING -> DOCKER (dst-type LOCAL)");
        assert_false(checks[2].present);
        assert_true(checks[3].present);
        assert_string_equal(checks[4].what, "MASQUERADE for docker0");
        assert_false(checks[4].present);
        free(checks);

        assert_int_equal(
                tether_netfilter_check_expected(NULL, &(struct tether_docker_rules){0}, &checks, &n),
                -EINVAL);
        assert_int_equal(
                tether_netfilter_check_expected(s, &(struct tether_docker_rules){.major = 0}, NULL, &n),
                -EINVAL);
        assert_int_equal(tether_netfilter_check_expected(s, NULL, &checks, &n), -EINVAL);

        /* "ip-masq": false or another default bridge: no MASQUERADE for docker0 to miss. */
        assert_int_equal(
                tether_netfilter_check_expected(
                        negated, &(struct tether_docker_rules){.no_docker0_masquerade = true}, &checks, &n),
                2);
        assert_int_equal(n, 4);
        for (size_t i = 0; i < n; i++)
                assert_string_not_equal(checks[i].what, "MASQUERADE for docker0");
        free(checks);
}

static void test_diff(void **state) {
        _cleanup_netfilter_snapshot_ struct tether_netfilter_snapshot
                *healthy = load("docker20-nft-healthy.txt"),
                *reloaded = load("docker20-nft-after-netfilter-"
                                 "persistent.txt"),
                *wiped = load("docker20-nft-after-nftables.txt"), *missing = NULL, *none = NULL;
        size_t k = 0;

        assert_int_equal(tether_netfilter_diff(healthy, reloaded, &missing), 15);
        assert_non_null(missing);
        assert_int_equal(missing->n_items, 15);
        assert_int_equal(missing->backend, TETHER_NETFILTER_NFT);
        assert_int_equal(tether_netfilter_count(missing, "filter"), 15);
        /* Exactly the filter items of the healthy snapshot, in order. */
        for (size_t i = 0; i < healthy->n_items; i++) {
                if (strcmp(healthy->items[i].table, "filter") != 0)
                        continue;
                assert_string_equal(missing->items[k].table, "filter");
                assert_string_equal(missing->items[k].text, healthy->items[i].text);
                k++;
        }
        assert_int_equal(k, 15);

        /* Everything is back: nothing missing, an empty snapshot. */
        assert_int_equal(tether_netfilter_diff(reloaded, healthy, &none), 0);
        assert_non_null(none);
        assert_int_equal(none->n_items, 0);
        assert_int_equal(tether_netfilter_diff(healthy, wiped, NULL), 20);
        assert_int_equal(tether_netfilter_diff(healthy, healthy, NULL), 0);
        assert_int_equal(tether_netfilter_diff(NULL, healthy, NULL), -EINVAL);
}

static void test_crlf_no_commit_no_final_newline(void **state) {
        size_t length;
        _cleanup_free_ char *text = read_fixture("docker20-nft-healthy.txt", &length);
        _cleanup_free_ char *mangled = malloc(length * 2 + 1);
        _cleanup_netfilter_snapshot_ struct tether_netfilter_snapshot *s = NULL;
        size_t out = 0;

        assert_non_null(mangled);
        /* CRLF everywhere, no COMMIT lines, no line break at the end. */
        for (const char *line = text, *end; *line; line = *end ? end + 1 : end) {
                size_t line_length;

                end = strchrnul(line, '\n');
                line_length = (size_t)(end - line);
                if (line_length == 6 && memcmp(line, "COMMIT", 6) == 0)
                        continue;
                if (out > 0) {
                        mangled[out++] = '\r';
                        mangled[out++] = '\n';
                }
                memcpy(mangled + out, line, line_length);
                out += line_length;
        }
        mangled[out] = '\0';
        assert_null(strstr(mangled, "COMMIT"));

        s = parse_string(mangled);
        assert_int_equal(s->backend, TETHER_NETFILTER_NFT);
        assert_docker20_items(s);
}

static void test_counters_stripped(void **state) {
        _cleanup_netfilter_snapshot_ struct tether_netfilter_snapshot *s =
                parse_string("*filter\n"
                             ":FORWARD DROP [12:3456]\n"
                             ":DOCKER-USER - [7:89]\n"
                             "[0:0] -A FORWARD -j DOCKER-USER\n"
                             "[123456789:987654321]   -A DOCKER-USER -j RETURN   \n"
                             "COMMIT\n");

        assert_int_equal(s->n_items, 3);
        assert_string_equal(s->items[0].text, "-A DOCKER-USER -j RETURN");
        assert_string_equal(s->items[1].text, "-A FORWARD -j DOCKER-USER");
        assert_string_equal(s->items[2].text, ":DOCKER-USER");
}

static void test_selection(void **state) {
        _cleanup_netfilter_snapshot_ struct tether_netfilter_snapshot *s = parse_string(
                "*filter\n"
                ":INPUT ACCEPT [0:0]\n"
                ":FORWARD ACCEPT [0:0]\n"
                ":DOCKER-USER - [0:0]\n"
                ":DOCKERISH - [0:0]\n"
                ":my-chain - [0:0]\n"
                "-A INPUT -m comment --comment \"not a jump: -j DOCKER -o docker0\" -j ACCEPT\n"
                "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n"
                "-A FORWARD -g DOCKER-USER\n"
                "-A FORWARD -i br-0123456789ab -j ACCEPT\n"
                "-A FORWARD -o br-0123456789AB -j ACCEPT\n"
                "-A FORWARD -o br-+ -j DROP\n"
                "-A FORWARD -o br-0123456789abc -j DROP\n"
                "-A FORWARD -i eth0 ! -o docker0 -j ACCEPT\n"
                "-A FORWARD -i eth0 -o docker_gwbridge -j ACCEPT\n"
                "-A FORWARD -j DOCKERISH\n"
                "-A my-chain -m comment --comment \"a \\\"quoted\\\" word\" -o docker0 -j RETURN\n"
                "-A DOCKER-USER -m comment --comment \"tab\there\" -j RETURN\n"
                "-A DOCKER-USER -j RETURN\n"
                "-A DOCKER-USER -j RETURN\n"
                "COMMIT\n"
                "*nat\n"
                ":DOCKER_OUTPUT - [0:0]\n"
                "-A OUTPUT -d 127.0.0.11/32 -j DOCKER_OUTPUT\n"
                "-A POSTROUTING -s 10.0.0.0/8 -o eth0 -j MASQUERADE\n"
                "COMMIT\n");
        static const char *const kept[] = {
                ":DOCKER-USER",
                "-A FORWARD -g DOCKER-USER",
                "-A FORWARD -i br-0123456789ab -j ACCEPT",
                "-A FORWARD -i eth0 ! -o docker0 -j ACCEPT",
                "-A FORWARD -i eth0 -o docker_gwbridge -j ACCEPT",
                "-A my-chain -m comment --comment \"a \\\"quoted\\\" word\" -o docker0 -j RETURN",
                "-A DOCKER-USER -m comment --comment \"tab\there\" -j RETURN",
                "-A DOCKER-USER -j RETURN",
        };

        /* The duplicate rule is one item; nothing from nat is Docker's. */
        assert_int_equal(s->n_items, ELEMENTSOF(kept));
        for (size_t i = 0; i < ELEMENTSOF(kept); i++)
                if (!tether_netfilter_contains(s, "filter", kept[i]))
                        fail_msg("not kept: %s", kept[i]);
        assert_int_equal(tether_netfilter_count(s, "nat"), 0);
}

static void test_headers(void **state) {
        static const struct {
                const char *header;
                enum tether_netfilter_backend backend;
        } cases[] = {
                {"# Generated by iptables-save v1.8.9 (nf_tables) on Fri Nov 27 19:26:10 2026",
                 TETHER_NETFILTER_NFT},
                {"# Generated by ip6tables-save v1.8.10 (nf_tables) on Sat Sep 12 09:44:24 2026",
                 TETHER_NETFILTER_NFT},
                {"# Generated by iptables-save v1.8.9 on Fri Nov 27 19:26:21 2026", TETHER_NETFILTER_LEGACY},
                {"# Generated by iptables-save v1.8.7 (legacy) on Sun Aug 29 19:14:08 2021",
                 TETHER_NETFILTER_LEGACY},
                {"# Generated by iptables-save v1.4.21 on Tue Aug 14 14:51:48 2018",
                 TETHER_NETFILTER_LEGACY},
                {"# Warning: iptables-legacy tables present, use iptables-legacy-save to see them",
                 TETHER_NETFILTER_UNKNOWN},
                {"# Generated by a script", TETHER_NETFILTER_UNKNOWN},
                {"# Generated by iptables-saver (nf_tables)", TETHER_NETFILTER_UNKNOWN},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char text[256];
                _cleanup_netfilter_snapshot_ struct tether_netfilter_snapshot *s = NULL;

                snprintf(text, sizeof(text), "%s\n*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n", cases[i].header);
                s = parse_string(text);
                if (s->backend != cases[i].backend)
                        fail_msg("%s: backend %d, expected %d", cases[i].header, s->backend,
                                 cases[i].backend);
        }
}

static void test_empty_and_blank(void **state) {
        _cleanup_netfilter_snapshot_ struct tether_netfilter_snapshot *empty = NULL, *blank = NULL;

        assert_int_equal(tether_netfilter_parse_save(NULL, 0, &empty, NULL), 0);
        assert_int_equal(empty->n_items, 0);
        assert_int_equal(empty->backend, TETHER_NETFILTER_UNKNOWN);
        blank = parse_string("\n\r\n   \n\t\n# only a comment\n");
        assert_int_equal(blank->n_items, 0);
}

static void test_garbage(void **state) {
        static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        static const char nul[] = "*filter\n:INPUT ACCEPT [0:0]\n-A IN\0PUT -j ACCEPT\n";

        assert_parse_fails(
                png, sizeof(png) - 1, -EBADMSG,
                "iptables-save output, line 1: not iptables-save syntax: \"\\x89PNG\"; " SAVE_EXPECTED);
        assert_parse_fails(
                nul, sizeof(nul) - 1, -EBADMSG,
                "iptables-save output, line 3: binary data (byte 0x00 at column 6); " SAVE_EXPECTED);
        assert_string_fails(
                "*filter\n\x1b[31mred\n", -EBADMSG,
                "iptables-save output, line 2: binary data (byte 0x1b at column 1); " SAVE_EXPECTED);
        assert_string_fails(
                "# Generated by iptables-save v1.8.9 (nf_tables)\n-A FORWARD -j DOCKER-USER\n", -EBADMSG,
                "iptables-save output, line 2: a rule before any table: \"-A FORWARD -j DOCKER-USER\"; "
                "iptables-save output starts each table with a line like \"*filter\"");
        assert_string_fails(
                "*filter\nCOMMIT\n[0:0] -A FORWARD -j DOCKER-USER\n", -EBADMSG,
                "iptables-save output, line 3: a rule before any table: \"-A FORWARD -j DOCKER-USER\"; "
                "iptables-save output starts each table with a line like \"*filter\"");
        assert_string_fails(":DOCKER - [0:0]\n", -EBADMSG,
                            "iptables-save output, line 1: a chain before any table: \":DOCKER - [0:0]\"; "
                            "iptables-save output starts each table with a line like \"*filter\"");
        assert_string_fails(
                "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m comment --comment \"oops -j ACCEPT\nCOMMIT\n",
                -EBADMSG,
                "iptables-save output, line 3: unterminated quote in the rule \"-A INPUT -m comment "
                "--comment \\\"oops -j ACCEPT\"");
        assert_string_fails(
                "*filter\n-I FORWARD -j DOCKER-USER\n", -EBADMSG,
                "iptables-save output, line 2: not iptables-save syntax: \"-I FORWARD -j DOCKER-USER\"; "
                "" SAVE_EXPECTED);
        assert_string_fails(
                "*filter\n-A\n", -EBADMSG,
                "iptables-save output, line 2: not a rule: \"-A\"; a rule reads like \"-A FORWARD -j "
                "DOCKER-USER\"");
        assert_string_fails(
                "*filter\n:foo bar\n", -EBADMSG,
                "iptables-save output, line 2: not a chain line: \":foo bar\"; a chain line reads like "
                "\":DOCKER-USER - [0:0]\"");
        assert_string_fails(
                "*filter\n:DOCKER - [0:x]\n", -EBADMSG,
                "iptables-save output, line 2: not a chain line: \":DOCKER - [0:x]\"; a chain line reads "
                "like \":DOCKER-USER - [0:0]\"");
        assert_string_fails(
                "* filter\n", -EBADMSG,
                "iptables-save output, line 1: not a table name: \"* filter\"; a table line reads like "
                "\"*filter\"");
        assert_string_fails(
                "COMMIT\n", -EBADMSG,
                "iptables-save output, line 1: COMMIT without a table (no \"*filter\"-like line before "
                "it)");
        assert_string_fails("<html><body>502 Bad Gateway</body></html>\n", -EBADMSG,
                            "iptables-save output, line 1: not iptables-save syntax: \"<html><body>502 Bad "
                            "Gateway</body></html>\"; " SAVE_EXPECTED);
        assert_string_fails(
                "*filter\n-A DOCKER-USER -m comment --comment \"caf\xe9\" -j RETURN\n", -EBADMSG,
                "iptables-save output, line 2: not valid UTF-8: \"-A DOCKER-USER -m comment --comment "
                "\\\"caf\\xe9\\\" -j RETURN\"");
}

static void test_limits(void **state) {
        size_t length = TETHER_NETFILTER_LINE_MAX + 32;
        _cleanup_free_ char *text = malloc(length + 1);
        _cleanup_free_ char *lines = NULL, *huge = NULL;
        _cleanup_netfilter_snapshot_ struct tether_netfilter_snapshot *s = NULL, *many = NULL;
        struct tether_error error = TETHER_ERROR_INIT;

        /* A line of exactly the limit is read; one byte more is refused. */
        assert_non_null(text);
        memcpy(text, "*filter\n#", 9);
        memset(text + 9, 'x', TETHER_NETFILTER_LINE_MAX - 1);
        text[8 + TETHER_NETFILTER_LINE_MAX] = '\n';
        assert_int_equal(tether_netfilter_parse_save(text, 9 + TETHER_NETFILTER_LINE_MAX, &s, &error), 0);
        assert_int_equal(s->n_items, 0);

        memset(text + 8, 'x', length - 8);
        assert_parse_fails(text, 8 + TETHER_NETFILTER_LINE_MAX + 1, -E2BIG,
                           "iptables-save output, line 2: longer than 65536 bytes");

        /* TETHER_NETFILTER_LINES_MAX blank lines are fine, one more is not. */
        lines = malloc(TETHER_NETFILTER_LINES_MAX + 1);
        assert_non_null(lines);
        memset(lines, '\n', TETHER_NETFILTER_LINES_MAX + 1);
        assert_int_equal(tether_netfilter_parse_save(lines, TETHER_NETFILTER_LINES_MAX, &many, NULL), 0);
        assert_parse_fails(lines, TETHER_NETFILTER_LINES_MAX + 1, -E2BIG,
                           "iptables-save output: more than 1000000 lines");
        /* The last line needs no line break to count. */
        lines[TETHER_NETFILTER_LINES_MAX] = '#';
        assert_parse_fails(lines, TETHER_NETFILTER_LINES_MAX + 1, -E2BIG,
                           "iptables-save output: more than 1000000 lines");

        /* Refused before a byte is read. */
        huge = calloc(1, (size_t)TETHER_NETFILTER_TEXT_MAX + 1);
        assert_non_null(huge);
        assert_parse_fails(
                huge, (size_t)TETHER_NETFILTER_TEXT_MAX + 1, -EFBIG,
                "iptables-save output: 67108865 bytes, more than the limit of 67108864 bytes (64 MiB)");
}

static void test_first_error_wins(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_netfilter_snapshot *s = NULL;

        tether_error_set(&error, -EIO, "earlier failure");
        assert_int_equal(tether_netfilter_parse_save("COMMIT\n", 7, &s, &error), -EBADMSG);
        assert_int_equal(error.code, -EIO);
        assert_string_equal(error.text, "earlier failure");
        assert_null(s);
}

static void test_snapshot_json(void **state) {
        _cleanup_netfilter_snapshot_ struct tether_netfilter_snapshot
                *reloaded = load("docker20-nft-after-netfilter-"
                                 "persistent.txt"),
                *wiped = load("docker20-nft-after-nftables.txt"),
                *healthy = load("docker20-legacy-healthy.txt");
        json_auto_t *json = NULL, *empty = NULL, *full = NULL;
        _cleanup_free_ char *dump = NULL, *empty_dump = NULL;
        json_t *filter;

        json = tether_netfilter_snapshot_to_json(reloaded);
        assert_non_null(json);
        dump = json_dumps(json, JSON_SORT_KEYS | JSON_COMPACT);
        assert_string_equal(dump,
                            "{\"backend\":\"nft\",\"tables\":{\"nat\":{\"chains\":[\"DOCKER\"],\"rules\":["
                            "\"-A DOCKER -i docker0 -j RETURN\","
                            "\"-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER\","
                            "\"-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE\","
                            "\"-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER\"]}}}");

        empty = tether_netfilter_snapshot_to_json(wiped);
        empty_dump = json_dumps(empty, JSON_SORT_KEYS | JSON_COMPACT);
        assert_string_equal(empty_dump, "{\"backend\":\"unknown\",\"tables\":{}}");

        full = tether_netfilter_snapshot_to_json(healthy);
        assert_string_equal(json_string_value(json_object_get(full, "backend")), "legacy");
        filter = json_object_get(json_object_get(full, "tables"), "filter");
        assert_int_equal(json_array_size(json_object_get(filter, "chains")), 4);
        assert_int_equal(json_array_size(json_object_get(filter, "rules")), 11);
        assert_string_equal(json_string_value(json_array_get(json_object_get(filter, "chains"), 3)),
                            "DOCKER-USER");

        assert_null(tether_netfilter_snapshot_to_json(NULL));
}

static void test_checks_json(void **state) {
        _cleanup_netfilter_snapshot_ struct tether_netfilter_snapshot *s =
                load("docker20-nft-after-netfilter-persistent.txt");
        _cleanup_free_ struct tether_netfilter_check *checks = NULL;
        json_auto_t *json = NULL, *none = NULL;
        _cleanup_free_ char *first = NULL, *last = NULL, *none_dump = NULL;
        size_t n = 0;

        assert_int_equal(
                tether_netfilter_check_expected(s, &(struct tether_docker_rules){.major = 20}, &checks, &n),
                6);
        json = tether_netfilter_checks_to_json(checks, n);
        assert_non_null(json);
        assert_int_equal(json_array_size(json), 10);
        first = json_dumps(json_array_get(json, 0), JSON_SORT_KEYS | JSON_COMPACT);
        assert_string_equal(first, "{\"present\":false,\"table\":\"filter\",\"what\":\"chain DOCKER\"}");
        last = json_dumps(json_array_get(json, 9), JSON_SORT_KEYS | JSON_COMPACT);
        assert_string_equal(last,
                            "{\"present\":true,\"table\":\"nat\",\"what\":\"MASQUERADE for docker0\"}");

        none = tether_netfilter_checks_to_json(NULL, 0);
        none_dump = json_dumps(none, JSON_COMPACT);
        assert_string_equal(none_dump, "[]");
}

static void test_parse_version(void **state) {
        static const struct {
                const char *text;
                enum tether_netfilter_backend backend;
        } good[] = {
                {"iptables v1.8.9 (nf_tables)", TETHER_NETFILTER_NFT},
                {"iptables v1.8.9 (nf_tables)\n", TETHER_NETFILTER_NFT},
                {"ip6tables v1.8.10 (nf_tables)\r\n", TETHER_NETFILTER_NFT},
                {"iptables v1.8.9 (legacy)\n", TETHER_NETFILTER_LEGACY},
                {"ip6tables v1.8.7 (legacy)", TETHER_NETFILTER_LEGACY},
                {"iptables v1.6.1\n", TETHER_NETFILTER_LEGACY},
                {"iptables v1.4.21", TETHER_NETFILTER_LEGACY},
        };
        static const char *const bad[] = {
                "",
                "\n",
                "iptables",
                "iptables v",
                "iptables v.1",
                "iptables vX.Y",
                "iptables 1.8.9 (nf_tables)",
                "nft v1.0.6 (Lester Gooch #5)",
                "iptables v1.8.9 (nf_tables) extra",
                "iptables v1.8.9 (ebtables)",
                "iptables v1.8.9 (nf_tables)\niptables v1.8.9 (legacy)",
                "bash: iptables: command not found",
                "xiptables v1.8.9",
        };

        for (size_t i = 0; i < ELEMENTSOF(good); i++) {
                enum tether_netfilter_backend backend = TETHER_NETFILTER_UNKNOWN;

                assert_int_equal(tether_netfilter_parse_version(good[i].text, &backend), 0);
                assert_int_equal(backend, good[i].backend);
        }
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                enum tether_netfilter_backend backend = TETHER_NETFILTER_NFT;

                if (tether_netfilter_parse_version(bad[i], &backend) != -EBADMSG)
                        fail_msg("accepted: \"%s\"", bad[i]);
                assert_int_equal(backend, TETHER_NETFILTER_NFT);
        }
        assert_int_equal(tether_netfilter_parse_version(NULL, NULL), -EINVAL);
}

static void test_backend_to_string(void **state) {
        assert_string_equal(tether_netfilter_backend_to_string(TETHER_NETFILTER_NFT), "nft");
        assert_string_equal(tether_netfilter_backend_to_string(TETHER_NETFILTER_LEGACY), "legacy");
        assert_string_equal(tether_netfilter_backend_to_string(TETHER_NETFILTER_UNKNOWN), "unknown");
        assert_string_equal(tether_netfilter_backend_to_string((enum tether_netfilter_backend)42),
                            "unknown");
}

/* The script that takes Docker's part away: its chains flushed, its rules
 * in chains of others deleted; the host's own rules never named. */
static void test_removal_script(void **state) {
        static const struct {
                const char *save;
                const char *script;
        } cases[] = {
                {"*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:DOCKER - [0:0]\n"
                 "-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER\n"
                 "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE\n"
                 "-A POSTROUTING -o eth0 -j SNAT --to-source 10.0.0.1\n"
                 "-A DOCKER -i docker0 -j RETURN\nCOMMIT\n"
                 "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:DOCKER-USER - [0:0]\n"
                 "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n"
                 "-A FORWARD -j DOCKER-USER\n-A DOCKER-USER -j RETURN\nCOMMIT\n",
                 "*filter\n"
                 "-D FORWARD -j DOCKER-USER\n"
                 "-F DOCKER-USER\n"
                 "COMMIT\n"
                 "*nat\n"
                 "-D POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE\n"
                 "-D PREROUTING -m addrtype --dst-type LOCAL -j DOCKER\n"
                 "-F DOCKER\n"
                 "COMMIT\n"},
                /* Nothing of Docker's: nothing to take. */
                {"*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n", ""},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_netfilter_snapshot_ struct tether_netfilter_snapshot *snapshot =
                        parse_string(cases[i].save);
                _cleanup_free_ char *script = NULL;

                assert_int_equal(tether_netfilter_removal_script(snapshot, &script), 0);
                assert_string_equal(script, cases[i].script);
        }
}

/* A fleet host's real ruleset: every chain of Docker's flushed, every
 * line a "-D" or "-F" of Docker's. */
static void test_removal_script_of_a_real_host(void **state) {
        _cleanup_netfilter_snapshot_ struct tether_netfilter_snapshot *snapshot =
                load("docker20-nft-healthy.txt");
        _cleanup_free_ char *script = NULL;
        char *untouched = (char *)(uintptr_t)0x1, *kept = untouched;
        size_t flushed = 0;

        assert_int_equal(tether_netfilter_removal_script(snapshot, &script), 0);
        for (size_t i = 0; i < snapshot->n_items; i++)
                if (snapshot->items[i].text[0] == ':') {
                        _cleanup_free_ char *line = format("\n-F %s\n", snapshot->items[i].text + 1);

                        assert_non_null(strstr(script, line));
                        flushed++;
                }
        assert_true(flushed >= 4);
        assert_non_null(strstr(script, "-D FORWARD -j DOCKER-USER\n"));
        for (const char *line = script; *line; line = strchr(line, '\n') + 1)
                assert_true(line[0] == '*' || strncmp(line, "-D ", 3) == 0 ||
                            strncmp(line, "-F DOCKER", 9) == 0 || strncmp(line, "COMMIT\n", 7) == 0);
        assert_int_equal(tether_netfilter_removal_script(NULL, &kept), -EINVAL);
        assert_ptr_equal(kept, untouched);
}

static void test_free_null(void **state) {
        assert_null(tether_netfilter_snapshot_free(NULL));
        assert_int_equal(tether_netfilter_count(NULL, "filter"), 0);
        assert_false(tether_netfilter_contains(NULL, "filter", ":DOCKER"));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_docker20_nft_healthy),
                cmocka_unit_test(test_docker20_legacy_healthy),
                cmocka_unit_test(test_docker20_after_nftables),
                cmocka_unit_test(test_docker20_after_netfilter_persistent),
                cmocka_unit_test(test_docker28_nft_healthy),
                cmocka_unit_test(test_docker29_nft_healthy),
                cmocka_unit_test(test_checks_by_era),
                cmocka_unit_test(test_checks_patterns),
                cmocka_unit_test(test_diff),
                cmocka_unit_test(test_crlf_no_commit_no_final_newline),
                cmocka_unit_test(test_counters_stripped),
                cmocka_unit_test(test_selection),
                cmocka_unit_test(test_headers),
                cmocka_unit_test(test_empty_and_blank),
                cmocka_unit_test(test_garbage),
                cmocka_unit_test(test_limits),
                cmocka_unit_test(test_first_error_wins),
                cmocka_unit_test(test_snapshot_json),
                cmocka_unit_test(test_checks_json),
                cmocka_unit_test(test_parse_version),
                cmocka_unit_test(test_backend_to_string),
                cmocka_unit_test(test_removal_script),
                cmocka_unit_test(test_removal_script_of_a_real_host),
                cmocka_unit_test(test_free_null),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
