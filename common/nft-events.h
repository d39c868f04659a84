/* SPDX-License-Identifier: MIT */
/*
 * nftables change events, as the kernel multicasts them to the netlink
 * group NFNLGRP_NFTABLES, and who made them. Every commit of a ruleset
 * change (nft, iptables-nft, Docker 29's nftables backend) is one batch:
 * a message for each object it added or deleted, then one NFT_MSG_NEWGEN
 * that names the generation and the process that committed it:
 *
 *   NFT_MSG_DELRULE  table filter, chain FORWARD        (deleted)
 *   NFT_MSG_DELCHAIN table nat, chain DOCKER            (deleted)
 *   ...
 *   NFT_MSG_NEWGEN   NFTA_GEN_ID 812, NFTA_GEN_PROC_PID 4242, NFTA_GEN_PROC_NAME "nft"
 *
 * Each message is a struct nlmsghdr, a struct nfgenmsg, then attributes
 * (struct nlattr, 4-byte aligned). This module reads datagrams of them into
 * batch summaries and says whose a batch is; it reads no socket, and
 * nothing here logs.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A process name as the kernel keeps it (TASK_COMM_LEN, with its NUL). */
#define TETHER_NFT_PROC_NAME_SIZE 16

/* One commit's changes, summed up. */
struct tether_nft_batch {
        unsigned added;   /* NEW* messages: tables, chains, rules, sets, elements, objects */
        unsigned deleted; /* DEL* (and DESTROY*) messages */
        uint32_t generation;
        uint32_t pid;                              /* 0: the kernel did not say (before Linux 5.x) */
        char proc_name[TETHER_NFT_PROC_NAME_SIZE]; /* "": the kernel did not say */
};

/* Called for each batch that a NEWGEN message completes. */
typedef void (*tether_nft_batch_handler)(const struct tether_nft_batch *batch, void *userdata);

/* Reads one datagram of length bytes from the netlink socket. Object
 * messages are counted into *pending; a NEWGEN message completes it: its
 * generation, pid and name are filled in, handler is called, and *pending
 * starts over. Messages of other subsystems and netlink's own (NOOP,
 * DONE, ERROR) are skipped. A batch may span datagrams: *pending carries it
 * over. Returns the number of batches completed, or -EBADMSG for a
 * truncated or malformed message (the batches completed before it were
 * handled). */
int tether_nft_events_read(const void *datagram, size_t length, struct tether_nft_batch *pending,
                           tether_nft_batch_handler handler, void *userdata);

enum tether_nft_culprit {
        TETHER_NFT_CULPRIT_OTHER,  /* anyone else: a person, a firewall service, a script */
        TETHER_NFT_CULPRIT_DOCKER, /* dockerd, or a program it ran (iptables): never a flush */
        TETHER_NFT_CULPRIT_SELF,   /* the watcher itself */
        /* iptables or ip6tables, as dockerd runs them, in a process that
         * could not be checked: gone before it was read, or of another PID
         * namespace. Perhaps a flush, perhaps one step of Docker's own
         * (which deletes and re-inserts its jumps): a look waits until
         * such changes have stopped. */
        TETHER_NFT_CULPRIT_MAYBE_DOCKER,
};

/* What is known of the process that committed a batch. */
struct tether_nft_process {
        const char *proc_name; /* from the batch: "" when the kernel did not say */
        bool is_self;          /* its pid is the watcher's own */
        /* /proc/PID/comm and /proc/PID/cgroup as read when the batch
         * arrived, or NULL when they could not be read (the process had
         * already exited). The kernel names the pid of the initial PID
         * namespace: inside a container, /proc/PID may be another process
         * or none, so the cgroup is believed only when comm is proc_name. */
        const char *proc_comm;
        const char *proc_cgroup;
};

/* Whose the batch is: the watcher's own, docker's (in docker.service's
 * or snap's dockerd's cgroup, or named dockerd), perhaps docker's (an
 * iptables that could not be checked), or someone else's. */
enum tether_nft_culprit tether_nft_culprit_classify(const struct tether_nft_process *process);

/* The unit (or scope) of a /proc/PID/cgroup text: the last component of
 * its cgroup v2 line ("0::/system.slice/nftables.service" gives
 * "nftables.service"), else of its name=systemd line (cgroup v1). Writes at
 * most size bytes with the NUL to ret and returns true; false (ret "") when
 * there is none or it does not fit. */
bool tether_nft_cgroup_unit(const char *cgroup, char *ret, size_t size);

const char *tether_nft_culprit_to_string(enum tether_nft_culprit culprit);
