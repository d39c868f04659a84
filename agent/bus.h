/* SPDX-License-Identifier: MIT */
/*
 * The agent's view of systemd, through its D-Bus API (sd-bus): what a unit
 * has loaded, daemon-reload, and start/stop/restart jobs waited for until
 * systemd reports their result with JobRemoved. Nothing here runs systemctl.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-id128.h>

#include "error.h"

struct unit_info {
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
        sd_id128_t invocation_id;
        /* Service units only */
        uint32_t main_pid;
        uint32_t n_restarts;
        char *result; /* success, start-limit-hit, exit-code, ... */
        bool has_exec_reload;
        bool exec_start_post_restarts_docker; /* an ExecStartPost= that try-restarts docker */
};

int bus_open(sd_bus **ret, struct tether_error *error);

/* Loads what systemd knows of unit name (LoadUnit: a unit that does not
 * exist gives load_state "not-found", not an error). */
int bus_unit_info(sd_bus *bus, const char *name, struct unit_info **ret, struct tether_error *error);
struct unit_info *unit_info_free(struct unit_info *info);
bool unit_info_exists(const struct unit_info *info);

/* Whether name (a unit name, ".service" implied when it has no suffix) is
 * one of the unit's names, aliases included. */
bool unit_has_name(const struct unit_info *info, const char *name);

/* Whether list (a dependency property, such as After=) names the unit under
 * any of its names. */
bool unit_listed_in(char *const *list, const struct unit_info *info);

/* Which of the units named exist and are not masked, in one call
 * (ListUnitsByNames) instead of one a unit. */
int bus_units_loadable(sd_bus *bus, const char *const *names, size_t n, bool *ret_loadable);

int bus_systemd_version(sd_bus *bus, char **ret, struct tether_error *error);

/* daemon-reload: returns when systemd has reloaded. */
int bus_daemon_reload(sd_bus *bus, struct tether_error *error);

/* Runs a job ("RestartUnit", "StopUnit", "StartUnit", "TryRestartUnit") on
 * unit and waits up to timeout_usec for its JobRemoved; *ret_result is
 * systemd's word for it ("done", "failed", "dependency", "timeout", ...). */
int bus_run_job(sd_bus *bus, const char *method, const char *unit, uint64_t timeout_usec, char **ret_result,
                struct tether_error *error);

static inline void unit_info_freep(struct unit_info **info) {
        unit_info_free(*info);
}
