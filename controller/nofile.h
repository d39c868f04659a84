/* SPDX-License-Identifier: MIT */
/*
 * File descriptors: each worker holds a socket and, while it connects,
 * opens ~/.ssh/config, known_hosts and a key; tether raises its soft
 * RLIMIT_NOFILE to the hard limit at start and fits -j to what it got, so
 * that running out is never mistaken for an unreachable host.
 */
#pragma once

#include <stdbool.h>
#include <sys/resource.h>

/* Descriptors tether keeps for itself (stdio, the inventory, the agent, reports). */
#define NOFILE_FDS_RESERVED 10u
/* Descriptors a worker may hold at once. */
#define NOFILE_FDS_PER_WORKER 3u

/* Raises the soft RLIMIT_NOFILE to the hard one; the soft limit in force
 * afterwards in *ret (RLIM_INFINITY when unlimited). 0 or -errno (then
 * *ret is what getrlimit() said, or untouched if it failed too). */
int nofile_raise(rlim_t *ret);

/* The most workers nofile descriptors allow, no more than parallel, at
 * least 1. */
unsigned nofile_fit_parallel(unsigned parallel, rlim_t nofile);

/* Whether this process is out of descriptors now (EMFILE, or the system's
 * ENFILE): probed with a dup, closed at once. */
bool nofile_exhausted(void);
