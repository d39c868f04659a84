/* SPDX-License-Identifier: MIT */
/*
 * How a run connects and what it asks of each host: the command line's
 * options after parsing, shared read-only by every worker.
 */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sha256.h"

struct agent_binary {
        const char *path;    /* the local tether-agent that is deployed */
        unsigned char *data; /* its bytes */
        size_t size;
        char sha256[TETHER_SHA256_HEX_SIZE];
};

struct bastions;

/* How a host's facts are gathered: by tether-agent; with plain commands
 * (agentless.h); or by the agent, and agentlessly where it cannot run. */
enum run_mode {
        RUN_MODE_AUTO,
        RUN_MODE_AGENT,
        RUN_MODE_AGENTLESS,
};

struct run_config {
        const char *verb; /* audit, apply, test, revert */
        enum run_mode mode;
        bool changes_hosts;      /* the verb may change a host: apply (not --check), revert, test */
        char *const *agent_args; /* NULL-terminated, after the verb; each checked to be shell-safe */
        bool inventory_firewall; /* pass a host's firewall from the inventory (not "auto") as --firewall */
        unsigned parallel;
        unsigned connect_timeout_sec;
        unsigned host_timeout_sec;
        const char *user;          /* --user: beats the inventory */
        const char *identity_file; /* --identity: beats the inventory */
        const char *known_hosts;   /* --known-hosts: beats the inventory */
        const char *ssh_config;    /* --ssh-config: instead of ~/.ssh/config */
        bool accept_new_host_keys;
        const char *sudo_password; /* NULL: sudo -n */
        const char *run_id;
        const struct agent_binary *agent; /* empty when every host runs an installed agent */
        const char *agent_path;           /* --agent-path: beats the inventory's agent_path */
        const char *jump;                 /* --jump: beats the inventory's jump and ssh_config's ProxyJump */
        struct bastions *bastions;        /* the run's jump hosts (bastion.h) */
        bool ssh_log;                     /* -vv: libssh's protocol log on stderr */
        volatile sig_atomic_t *stop;      /* set by Ctrl-C: cut waits short */
};
