/* SPDX-License-Identifier: MIT */
/*
 * One tether-agent at a time on a host: an flock(2) on a file under /run,
 * held for the whole run and released by the kernel when the process ends,
 * however it ends.
 */
#pragma once

#include <stdint.h>

#include "error.h"

#define AGENT_LOCK_PATH "/run/tether-agent.lock"

/* Returns the lock's fd (keep it open), -EBUSY when another agent holds it.
 * On a read-only /run (watch's sandbox): -ENOENT when the file does not
 * exist, which no agent then holds. */
int agent_lock_take(const char *path, struct tether_error *error);

/* The same, trying again every 200 ms for up to seconds while another
 * agent holds it: watch holds it for each look at the rules, which is
 * short, and a verb that came meanwhile waits for it rather than fail. */
int agent_lock_wait(const char *path, unsigned seconds, struct tether_error *error);

/* test --scenario flush hands the host to watch while it waits: the lock,
 * taken by agent_lock_take() as fd, is let go, and taken back once the
 * wait is over, waiting up to timeout_usec for whoever took it meanwhile
 * (watch, while it heals). 0, or -ETIMEDOUT, or another -errno. */
int agent_lock_lend(int fd);
int agent_lock_take_back(int fd, uint64_t timeout_usec);
