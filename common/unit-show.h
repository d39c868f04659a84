/* SPDX-License-Identifier: MIT */
/*
 * A unit from `systemctl show` output, for hosts where no agent runs: the
 * controller asks `systemctl show -p PROPERTIES UNIT` (the list below) and
 * reads the KEY=VALUE lines into the same struct tether_unit the agent
 * fills through D-Bus, so that the judge sees the same facts either way.
 *
 * systemctl prints some values formatted for people: time spans ("1min
 * 30s"), timestamps in the host's time zone. Spans are parsed back; the
 * one timestamp the judge reads is asked for as its monotonic twin (plain
 * microseconds) and turned into wall-clock time with the host's two clocks,
 * read in the same run.
 */
#pragma once

#include <stdint.h>

#include "error.h"
#include "unit.h"

/* The properties to ask for, comma-separated, as `systemctl show -p`
 * takes them (every systemd since 239 knows each; one it does not know is
 * left out of its output, and reads as not reported): a new string, or
 * NULL when out of memory. */
char *tether_unit_show_properties(void);

/* The host's clocks when systemctl ran: CLOCK_REALTIME and
 * CLOCK_MONOTONIC, in microseconds. */
struct tether_host_clocks {
        uint64_t realtime_usec;
        uint64_t monotonic_usec;
};

/* Reads the output of `systemctl show -p ... NAME` (text, NUL-terminated)
 * into a new unit named name. Lines of properties not in the list are
 * ignored, as are blank lines; a value that does not parse is an error
 * naming the line. Returns 0 and the unit in *ret (untouched on failure),
 * -EBADMSG with a message, or -ENOMEM. */
int tether_unit_from_show(const char *name, const char *text, const struct tether_host_clocks *clocks,
                          struct tether_unit **ret, struct tether_error *error);

/* Parses a time span as systemd formats it ("0", "100ms", "1min 30s",
 * "1.500000s", "infinity") into microseconds (infinity: UINT64_MAX).
 * Returns 0 and sets *ret, or -EINVAL (*ret untouched). */
int tether_parse_timespan(const char *text, uint64_t *ret);
