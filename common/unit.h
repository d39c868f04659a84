/* SPDX-License-Identifier: MIT */
/*
 * What systemd has loaded of one unit, as plain data: filled from systemd's
 * D-Bus properties by the agent, or from `systemctl show` output where no
 * agent runs, and read by the judge (judge.h). Nothing here talks to systemd.
 *
 * Ownership: a unit owns every string and list in it; strings are never NULL
 * (a property systemd did not report reads as ""), lists are never NULL (an
 * empty list is { NULL }) once the unit is filled.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct tether_unit {
        char *name;         /* the name asked for */
        char *id;           /* the unit's own name (an alias resolves to its unit) */
        char **names;       /* all its names, aliases included */
        char *load_state;   /* loaded, not-found, masked, ... */
        char *active_state; /* active, inactive, failed, activating, ... */
        char *sub_state;
        char *unit_file_state; /* enabled, disabled, static, masked, alias, "" */
        char *fragment_path;
        char **drop_in_paths;
        char **after, **requires, **wants, **binds_to, **part_of;
        bool need_daemon_reload;
        bool has_job;               /* a start/stop/restart job is queued or running */
        uint64_t active_enter_usec; /* CLOCK_REALTIME, 0: never */
        uint64_t start_limit_interval_usec;
        unsigned start_limit_burst;
        uint8_t invocation_id[16]; /* all zero: none */
        /* Service units only */
        uint32_t main_pid;
        uint32_t n_restarts;
        char *result; /* success, start-limit-hit, exit-code, ... */
        bool has_exec_reload;
        bool exec_start_post_restarts_docker; /* an ExecStartPost= that try-restarts docker */
};

/* A new unit named name with every string "" and every list empty, or NULL
 * when out of memory. */
struct tether_unit *tether_unit_new(const char *name);

/* Gives every string and list the unit lacks its empty value: after a
 * reader that may have left some unset (an older systemd lacks some
 * properties). 0, or -ENOMEM. */
int tether_unit_fill_missing(struct tether_unit *unit);

/* Frees the unit and all it owns; accepts NULL; returns NULL. */
struct tether_unit *tether_unit_free(struct tether_unit *unit);
static inline void tether_unit_freep(struct tether_unit **unit) {
        tether_unit_free(*unit);
}

/* Whether systemd knows the unit (a unit that does not exist still loads,
 * with load_state "not-found"). NULL is a unit that does not exist. */
bool tether_unit_exists(const struct tether_unit *unit);

/* Whether it is enabled in the sense that it starts at boot by itself:
 * enabled, enabled-runtime or alias. Not static, indirect or generated:
 * those run only when something pulls them in, and Requires= from docker
 * would be what pulls them in. */
bool tether_unit_is_enabled(const struct tether_unit *unit);

/* Whether it is active now (reloading counts: it is running). */
bool tether_unit_is_active(const struct tether_unit *unit);

/* The invocation id as 32 lowercase hex digits, written into buf and returned. */
const char *tether_unit_invocation_id(const struct tether_unit *unit, char buf[static 33]);

/* Whether name (a unit name, ".service" implied when it has no suffix) is
 * one of the unit's names, aliases included. */
bool tether_unit_has_name(const struct tether_unit *unit, const char *name);

/* Whether list (a dependency property, such as After=) names the unit under
 * any of its names. */
bool tether_unit_listed_in(char *const *list, const struct tether_unit *unit);
