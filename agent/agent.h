/* SPDX-License-Identifier: MIT */
/*
 * What every verb of tether-agent is given: the connection to systemd, the
 * command line's options, and the JSON document it fills in for stdout.
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <systemd/sd-bus.h>

#include "dropin.h"
#include "error.h"
#include "fix-test.h"
#include "watch-policy.h"

struct agent_options {
        const char *run_id;
        enum tether_policy policy;
        bool policy_forced;                     /* --policy given */
        const char *firewall;                   /* --firewall UNIT, or NULL for the units found */
        bool check;                             /* apply --check */
        bool heal;                              /* apply --heal */
        bool watch;                             /* apply --watch: install tether-watch.service */
        enum tether_watch_heal watch_unit_heal; /* apply --watch=: the unit's --heal= */
        enum tether_test_scenario scenario;
        unsigned wait_seconds;                   /* test: how long rules may take to return */
        struct tether_watch_limits watch_limits; /* watch: --heal=, --settle-ms, --backoff-sec, ... */
};

/* Exit statuses of tether-agent; the table is in docs/agent.md. */
enum {
        AGENT_EXIT_OK = 0,
        AGENT_EXIT_FAILED = 1, /* the verb ran and failed: apply rolled back, test failed or refused */
        AGENT_EXIT_USAGE = 2,
        AGENT_EXIT_BUSY = 3, /* another tether-agent holds the host's lock */
        AGENT_EXIT_NOT_ROOT = 4,
        AGENT_EXIT_NO_SYSTEMD = 5,   /* no systemd as PID 1, or no system D-Bus */
        AGENT_EXIT_BAD_FIREWALL = 6, /* --firewall names a unit that is not there */
        AGENT_EXIT_INTERNAL = 7,
        AGENT_EXIT_CLOSED = 8,      /* tether closed the run (--run-id) before this agent of it started */
        AGENT_EXIT_UNSUPPORTED = 9, /* watch: this host's changes send no events (iptables-legacy) */
};

struct agent {
        sd_bus *bus;
        int lock_fd; /* the host's lock, held while the verb runs; -1: none (result, watch) */
        struct agent_options options;
        json_t *document; /* the verb adds its fields */
};

/* Each returns an AGENT_EXIT_* status; failures are also described in the
 * document's "error" (see agent_fail). */
int verb_audit(struct agent *agent);
int verb_apply(struct agent *agent);
int verb_revert(struct agent *agent);
int verb_test(struct agent *agent);
int verb_result(struct agent *agent);
int verb_watch(struct agent *agent); /* runs until SIGTERM; no document */

/* Records {"error": {"kind": kind, "message": ...}} in the document and
 * returns status. */
int agent_fail(struct agent *agent, int status, const char *kind, const char *format, ...)
        __attribute__((format(printf, 4, 5)));

/* agent_fail() for a verb that failed with why and then put every file
 * back, by what systemd did with the daemon-reloads before the files went
 * back (reload_before: 0, or bus_daemon_reload()'s error) and after
 * (reload_after, its error text reload_error). */
int agent_fail_put_back(struct agent *agent, const char *verb, const char *why, int reload_before,
                        int reload_after, const char *reload_error);

/* apply's and revert's way back after why: what was done to watch undone
 * around it (watch-install.h), every file of set put back, systemd
 * reloaded; reload is the daemon-reload's result before (0: none, or its
 * error). Returns agent_fail()'s status, the message saying all of it. */
struct change_set;
struct watch_change;
int agent_put_back(struct agent *agent, const char *verb, const char *why, int reload,
                   struct change_set *set, struct watch_change *watch);

/* Merges the host state's JSON into the document. */
struct host_state;
void agent_add_state(struct agent *agent, const struct host_state *state);
