/* SPDX-License-Identifier: MIT */
/*
 * The agent's view of systemd, through its D-Bus API (sd-bus): what a unit
 * has loaded, daemon-reload, and start/stop/restart jobs waited for until
 * systemd reports their result with JobRemoved. Nothing here runs systemctl.
 */
#pragma once

#include <errno.h>

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#include "error.h"
#include "unit.h"

int bus_open(sd_bus **ret, struct tether_error *error);

/* Loads what systemd knows of unit name into a new unit (LoadUnit: a unit that does not
 * exist gives load_state "not-found", not an error). */
int bus_unit_info(sd_bus *bus, const char *name, struct tether_unit **ret, struct tether_error *error);

/* Which of the units named exist and are not masked, in one call
 * (ListUnitsByNames) instead of one a unit. */
int bus_units_loadable(sd_bus *bus, const char *const *names, size_t n, bool *ret_loadable);

int bus_systemd_version(sd_bus *bus, char **ret, struct tether_error *error);

/* firewalld's version, and the zone firewalld has interface in ("" for
 * none), asked of firewalld itself. A firewalld that is not on the bus is
 * not started by asking: -ENXIO or another -errno, and nothing is set. */
int bus_firewalld_info(sd_bus *bus, const char *interface, char **ret_version, char **ret_zone);

/* daemon-reload: returns when systemd has reloaded. BUS_RELOAD_REFUSED
 * when systemd answered that it would not (as it does when /run has too
 * little room): it reloaded nothing. Another failure (the connection lost
 * while systemd goes down) leaves that unknown. */
#define BUS_RELOAD_REFUSED (-ECANCELED)
int bus_daemon_reload(sd_bus *bus, struct tether_error *error);

/* systemctl enable (enable true) or disable of the unit file name, as
 * systemd's EnableUnitFiles and DisableUnitFiles do it: the [Install]
 * section's links, made or removed. A daemon-reload follows by the caller. */
int bus_unit_file_enable(sd_bus *bus, const char *name, bool enable, struct tether_error *error);

/* Runs a job ("RestartUnit", "StopUnit", "StartUnit", "TryRestartUnit") on
 * unit in systemd's job mode ("replace", "ignore-requirements", ...) and
 * waits up to timeout_usec for its JobRemoved; *ret_result is systemd's
 * word for it ("done", "failed", "dependency", "timeout", ...). */
int bus_run_job(sd_bus *bus, const char *method, const char *unit, const char *mode, uint64_t timeout_usec,
                char **ret_result, struct tether_error *error);
