/* SPDX-License-Identifier: MIT */
/*
 * One tether-agent at a time on a host: an flock(2) on a file under /run,
 * held for the whole run and released by the kernel when the process ends,
 * however it ends.
 */
#pragma once

#include "error.h"

#define AGENT_LOCK_PATH "/run/tether-agent.lock"

/* Returns the lock's fd (keep it open), -EBUSY when another agent holds it.
 * On a read-only /run (watch's sandbox): -ENOENT when the file does not
 * exist, which no agent then holds. */
int agent_lock_take(const char *path, struct tether_error *error);
