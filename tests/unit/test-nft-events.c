/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/nft-events.c: a table of datagrams, built message
 * by message as the kernel sends them to NFNLGRP_NFTABLES, with the
 * batches each must give (a flush, a rule added, two batches in one
 * datagram, one batch across two, other subsystems, a kernel that names no
 * process, a name too long) and the malformed ones that must be refused
 * (-EBADMSG, with the batches before them still handled); then a table of
 * processes and whose batch each is, and one of cgroups and their units.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>

#include "macro.h"
#include "nft-events.h"

/* ---- building datagrams ------------------------------------------------ */

struct datagram {
        unsigned char bytes[4096];
        size_t length;
        size_t message; /* where the message being built starts */
};

static void put(struct datagram *d, const void *p, size_t n) {
        assert_true(d->length + n <= sizeof(d->bytes));
        memcpy(d->bytes + d->length, p, n);
        d->length += n;
}

static void pad(struct datagram *d) {
        static const unsigned char zeros[4] = {0};

        put(d, zeros, (4 - d->length % 4) % 4);
}

/* Starts a message of the subsystem and type, with its nfgenmsg. */
static void begin(struct datagram *d, unsigned subsystem, unsigned type) {
        struct nlmsghdr header = {.nlmsg_type = (uint16_t)(subsystem << 8 | type)};
        struct nfgenmsg nfgen = {.nfgen_family = AF_UNSPEC, .version = NFNETLINK_V0};

        d->message = d->length;
        put(d, &header, sizeof(header));
        put(d, &nfgen, sizeof(nfgen));
}

static void attribute(struct datagram *d, unsigned type, const void *value, size_t n) {
        struct nlattr attr = {.nla_len = (uint16_t)(sizeof(attr) + n), .nla_type = (uint16_t)type};

        put(d, &attr, sizeof(attr));
        put(d, value, n);
        pad(d);
}

static void attribute_u32(struct datagram *d, unsigned type, uint32_t value) {
        uint32_t be = htonl(value);

        attribute(d, type, &be, sizeof(be));
}

static void end(struct datagram *d) {
        uint32_t length = (uint32_t)(d->length - d->message);

        memcpy(d->bytes + d->message, &length, sizeof(length));
}

static void object(struct datagram *d, unsigned type) {
        begin(d, NFNL_SUBSYS_NFTABLES, type);
        attribute(d, 1, "filter", 7); /* NFTA_*_TABLE */
        end(d);
}

static void generation(struct datagram *d, uint32_t id, uint32_t pid, const char *name) {
        begin(d, NFNL_SUBSYS_NFTABLES, NFT_MSG_NEWGEN);
        attribute_u32(d, NFTA_GEN_ID, id);
        if (pid)
                attribute_u32(d, NFTA_GEN_PROC_PID, pid);
        if (name)
                attribute(d, NFTA_GEN_PROC_NAME, name, strlen(name) + 1);
        end(d);
}

/* ---- the table of datagrams -------------------------------------------- */

enum step_kind {
        END,
        NEW_RULE,
        DEL_RULE,
        DEL_CHAIN,
        DEL_TABLE,
        NEW_TABLE,
        NEW_SETELEM,
        GEN,
        GEN_ANON,
        OTHER_SUBSYS,
        NOOP,
        SEND,
        RAW
};

struct step {
        enum step_kind kind;
        uint32_t generation; /* GEN */
        uint32_t pid;        /* GEN */
        const char *name;    /* GEN */
        const char *raw;     /* RAW: bytes appended as they are */
        size_t raw_length;
};

struct expected_batch {
        unsigned added, deleted;
        uint32_t generation, pid;
        const char *name;
};

static const struct {
        const char *what;
        struct step steps[12];
        int code; /* of the last datagram read */
        struct expected_batch batches[3];
        size_t n_batches;
} cases[] = {
        {"nft flush ruleset",
         {{DEL_RULE}, {DEL_RULE}, {DEL_RULE}, {DEL_CHAIN}, {DEL_TABLE}, {GEN, 1, 4242, "nft"}},
         1,
         {{0, 5, 1, 4242, "nft"}},
         1},
        {"iptables -A: a rule added",
         {{NEW_RULE}, {GEN, 1, 77, "iptables"}},
         1,
         {{1, 0, 1, 77, "iptables"}},
         1},
        {"a table and set elements added",
         {{NEW_TABLE}, {NEW_SETELEM}, {NEW_SETELEM}, {GEN, 1, 9, "dockerd"}},
         1,
         {{3, 0, 1, 9, "dockerd"}},
         1},
        {"two batches in one datagram",
         {{DEL_RULE}, {GEN, 1, 10, "iptables"}, {NEW_RULE}, {NEW_RULE}, {GEN, 2, 11, "iptables"}},
         2,
         {{0, 1, 1, 10, "iptables"}, {2, 0, 2, 11, "iptables"}},
         2},
        {"one batch across two datagrams",
         {{DEL_RULE}, {DEL_RULE}, {SEND}, {DEL_TABLE}, {GEN, 1, 5, "nft"}},
         1,
         {{0, 3, 1, 5, "nft"}},
         1},
        {"another subsystem and netlink's own messages are skipped",
         {{OTHER_SUBSYS}, {NOOP}, {DEL_RULE}, {OTHER_SUBSYS}, {GEN, 1, 5, "nft"}},
         1,
         {{0, 1, 1, 5, "nft"}},
         1},
        {"a kernel that names no process", {{DEL_RULE}, {GEN_ANON}}, 1, {{0, 1, 1, 0, ""}}, 1},
        {"a name past TASK_COMM_LEN is cut",
         {{DEL_RULE}, {GEN, 1, 3, "a-very-long-process-name"}},
         1,
         {{0, 1, 1, 3, "a-very-long-pro"}},
         1},
        {"changes with no generation yet: no batch", {{DEL_RULE}, {DEL_RULE}}, 0, {}, 0},
        {"an empty datagram", {{SEND}}, 0, {}, 0},
        {"a header cut short", {{RAW, 0, 0, NULL, "\x10\x00\x00\x00\x00\x0a", 6}}, -EBADMSG, {}, 0},
        {"a length past the datagram",
         {{RAW, 0, 0, NULL, "\xff\x00\x00\x00\x0f\x0a\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 16}},
         -EBADMSG,
         {},
         0},
        {"a length shorter than the header",
         {{RAW, 0, 0, NULL, "\x08\x00\x00\x00\x0f\x0a\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 16}},
         -EBADMSG,
         {},
         0},
        {"an nftables message without its nfgenmsg",
         {{RAW, 0, 0, NULL, "\x10\x00\x00\x00\x0f\x0a\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 16}},
         -EBADMSG,
         {},
         0},
        {"a generation whose attribute runs past the message, after a good batch",
         {{DEL_RULE},
          {GEN, 1, 1, "nft"},
          {RAW, 0, 0, NULL,
           "\x1c\x00\x00\x00\x0f\x0a\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
           "\x00\x00\x00\x00\x40\x00\x02\x00\x00\x00\x00\x01",
           28}},
         -EBADMSG,
         {{0, 1, 1, 1, "nft"}},
         1},
        {"a pid of two bytes",
         {{RAW, 0, 0, NULL,
           "\x1a\x00\x00\x00\x0f\x0a\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
           "\x00\x00\x00\x00\x06\x00\x02\x00\x01\x02",
           26}},
         -EBADMSG,
         {},
         0},
};

struct collected {
        struct tether_nft_batch batches[8];
        size_t n;
};

static void collect(const struct tether_nft_batch *batch, void *userdata) {
        struct collected *collected = userdata;

        assert_true(collected->n < ELEMENTSOF(collected->batches));
        collected->batches[collected->n++] = *batch;
}

static int send_datagram(struct datagram *d, struct tether_nft_batch *pending, struct collected *collected) {
        int r = tether_nft_events_read(d->bytes, d->length, pending, collect, collected);

        d->length = 0;
        return r;
}

static void test_events_table(void **state) {
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct datagram d = {0};
                struct tether_nft_batch pending = {0};
                struct collected collected = {0};
                int r = 0;

                for (const struct step *step = cases[i].steps; step->kind != END; step++)
                        switch (step->kind) {
                        case NEW_RULE:
                                object(&d, NFT_MSG_NEWRULE);
                                break;
                        case DEL_RULE:
                                object(&d, NFT_MSG_DELRULE);
                                break;
                        case DEL_CHAIN:
                                object(&d, NFT_MSG_DELCHAIN);
                                break;
                        case DEL_TABLE:
                                object(&d, NFT_MSG_DELTABLE);
                                break;
                        case NEW_TABLE:
                                object(&d, NFT_MSG_NEWTABLE);
                                break;
                        case NEW_SETELEM:
                                object(&d, NFT_MSG_NEWSETELEM);
                                break;
                        case GEN:
                                generation(&d, step->generation, step->pid, step->name);
                                break;
                        case GEN_ANON:
                                generation(&d, 1, 0, NULL);
                                break;
                        case OTHER_SUBSYS:
                                begin(&d, NFNL_SUBSYS_CTNETLINK, 0);
                                end(&d);
                                break;
                        case NOOP: {
                                struct nlmsghdr noop = {.nlmsg_len = sizeof(noop), .nlmsg_type = NLMSG_NOOP};

                                put(&d, &noop, sizeof(noop));
                                break;
                        }
                        case SEND:
                                r = send_datagram(&d, &pending, &collected);
                                break;
                        case RAW:
                                put(&d, step->raw, step->raw_length);
                                break;
                        case END:
                                break;
                        }
                r = d.length ? send_datagram(&d, &pending, &collected) : r;

                if (r != cases[i].code)
                        fail_msg("%s: returned %d, expected %d", cases[i].what, r, cases[i].code);
                if (collected.n != cases[i].n_batches)
                        fail_msg("%s: %zu batches, expected %zu", cases[i].what, collected.n,
                                 cases[i].n_batches);
                for (size_t b = 0; b < collected.n; b++) {
                        const struct expected_batch *want = &cases[i].batches[b];
                        const struct tether_nft_batch *got = &collected.batches[b];

                        if (got->added != want->added || got->deleted != want->deleted ||
                            got->pid != want->pid || got->generation != want->generation ||
                            strcmp(got->proc_name, want->name) != 0)
                                fail_msg("%s: batch %zu is +%u -%u gen %u by %s[%u], expected +%u -%u gen "
                                         "%u by "
                                         "%s[%u]",
                                         cases[i].what, b, got->added, got->deleted, got->generation,
                                         got->proc_name, got->pid, want->added, want->deleted,
                                         want->generation, want->name, want->pid);
                }
        }
}

/* A batch handled starts the next one from nothing. */
static void test_pending_starts_over(void **state) {
        struct datagram d = {0};
        struct tether_nft_batch pending = {0};
        struct collected collected = {0};

        object(&d, NFT_MSG_DELRULE);
        generation(&d, 1, 1, "nft");
        object(&d, NFT_MSG_NEWRULE);
        assert_int_equal(send_datagram(&d, &pending, &collected), 1);
        assert_int_equal(pending.added, 1);
        assert_int_equal(pending.deleted, 0);
        assert_int_equal(pending.pid, 0);
        assert_string_equal(pending.proc_name, "");
        /* No handler: counted all the same. */
        generation(&d, 2, 1, "nft");
        assert_int_equal(tether_nft_events_read(d.bytes, d.length, &pending, NULL, NULL), 1);
}

/* ---- whose batch ------------------------------------------------------- */

static const char *const docker_v2 = "0::/system.slice/docker.service\n";

static const struct {
        const char *what;
        struct tether_nft_process process;
        enum tether_nft_culprit culprit;
} processes[] = {
        {"the watcher itself", {"iptables-save", true, NULL, NULL}, TETHER_NFT_CULPRIT_SELF},
        {"nft typed in a session",
         {"nft", false, "nft", "0::/user.slice/user-0.slice/session-3.scope\n"},
         TETHER_NFT_CULPRIT_OTHER},
        {"nftables.service",
         {"nft", false, "nft", "0::/system.slice/nftables.service\n"},
         TETHER_NFT_CULPRIT_OTHER},
        {"iptables run by dockerd",
         {"iptables", false, "iptables", "0::/system.slice/docker.service\n"},
         TETHER_NFT_CULPRIT_DOCKER},
        {"in a cgroup below docker's",
         {"iptables", false, "iptables", "0::/system.slice/docker.service/sub\n"},
         TETHER_NFT_CULPRIT_DOCKER},
        {"snap's dockerd",
         {"iptables", false, "iptables", "0::/system.slice/snap.docker.dockerd.service\n"},
         TETHER_NFT_CULPRIT_DOCKER},
        {"cgroup v1",
         {"iptables", false, "iptables", "12:pids:/x\n1:name=systemd:/system.slice/docker.service\n"},
         TETHER_NFT_CULPRIT_DOCKER},
        {"a unit whose name ends like docker's",
         {"iptables", false, "iptables", "0::/system.slice/mydocker.service\n"},
         TETHER_NFT_CULPRIT_OTHER},
        {"a unit whose name starts like docker's",
         {"iptables", false, "iptables", "0::/system.slice/docker.service2\n"},
         TETHER_NFT_CULPRIT_OTHER},
        {"the process is gone", {"iptables", false, NULL, NULL}, TETHER_NFT_CULPRIT_MAYBE_DOCKER},
        {"ip6tables, gone", {"ip6tables", false, NULL, NULL}, TETHER_NFT_CULPRIT_MAYBE_DOCKER},
        {"iptables of a session, still there",
         {"iptables", false, "iptables", "0::/user.slice/user-0.slice/session-3.scope\n"},
         TETHER_NFT_CULPRIT_OTHER},
        {"nft, gone (dockerd never runs it)", {"nft", false, NULL, NULL}, TETHER_NFT_CULPRIT_OTHER},
        {"iptables-restore, gone (a firewall's)",
         {"iptables-restor", false, NULL, NULL},
         TETHER_NFT_CULPRIT_OTHER},
        /* Another PID namespace: /proc/PID is someone else. */
        {"the pid is another process",
         {"iptables", false, "bash", docker_v2},
         TETHER_NFT_CULPRIT_MAYBE_DOCKER},
        {"nft, the pid another process", {"nft", false, "bash", docker_v2}, TETHER_NFT_CULPRIT_OTHER},
        {"dockerd itself (Docker 29's nftables backend)",
         {"dockerd", false, NULL, NULL},
         TETHER_NFT_CULPRIT_DOCKER},
        {"dockerd in another PID namespace",
         {"dockerd", false, "sshd", "0::/system.slice/ssh.service\n"},
         TETHER_NFT_CULPRIT_DOCKER},
        {"a name like dockerd's", {"dockerd-fake", false, NULL, NULL}, TETHER_NFT_CULPRIT_OTHER},
        {"tether-watch.service's own",
         {"iptables", false, "iptables", "0::/system.slice/tether-watch.service\n"},
         TETHER_NFT_CULPRIT_SELF},
        {"a kernel that names no process", {"", false, "", docker_v2}, TETHER_NFT_CULPRIT_OTHER},
        {"no name at all", {NULL, false, NULL, NULL}, TETHER_NFT_CULPRIT_OTHER},
};

static void test_culprit_table(void **state) {
        for (size_t i = 0; i < ELEMENTSOF(processes); i++) {
                enum tether_nft_culprit culprit = tether_nft_culprit_classify(&processes[i].process);

                if (culprit != processes[i].culprit)
                        fail_msg("%s: %s, expected %s", processes[i].what,
                                 tether_nft_culprit_to_string(culprit),
                                 tether_nft_culprit_to_string(processes[i].culprit));
        }
        assert_string_equal(tether_nft_culprit_to_string(TETHER_NFT_CULPRIT_MAYBE_DOCKER), "maybe-docker");
        assert_string_equal(tether_nft_culprit_to_string((enum tether_nft_culprit)42), "other");
}

static const struct {
        const char *cgroup;
        size_t size;
        const char *unit; /* NULL: none */
} units[] = {
        {"0::/system.slice/nftables.service\n", 64, "nftables.service"},
        {"0::/user.slice/user-0.slice/session-3.scope", 64, "session-3.scope"},
        {"12:pids:/x\n1:name=systemd:/system.slice/cron.service\n", 64, "cron.service"},
        {"1:name=systemd:/system.slice/cron.service\n0::/system.slice/ssh.service\n", 64, "ssh.service"},
        {"0::/\n", 64, NULL},
        {"", 64, NULL},
        {NULL, 64, NULL},
        {"12:pids:/system.slice/x.service\n", 64, NULL},
        {"0::/system.slice/nftables.service\n", 16, NULL}, /* does not fit */
        {"0::/system.slice/nftables.service\n", 17, "nftables.service"},
};

static void test_cgroup_unit_table(void **state) {
        for (size_t i = 0; i < ELEMENTSOF(units); i++) {
                char unit[64] = "garbage";
                bool found = tether_nft_cgroup_unit(units[i].cgroup, unit, units[i].size);

                if (found != (units[i].unit != NULL) ||
                    strcmp(unit, units[i].unit ? units[i].unit : "") != 0)
                        fail_msg("'%s' (size %zu): %s '%s', expected '%s'",
                                 units[i].cgroup ? units[i].cgroup : "NULL", units[i].size,
                                 found ? "found" : "none", unit, units[i].unit ? units[i].unit : "");
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_events_table),
                cmocka_unit_test(test_pending_starts_over),
                cmocka_unit_test(test_culprit_table),
                cmocka_unit_test(test_cgroup_unit_table),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
