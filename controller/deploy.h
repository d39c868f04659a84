/* SPDX-License-Identifier: MIT */
/*
 * Putting this build's tether-agent on a host: over SFTP, into
 * ~/.cache/tether/tether-agent-<sha256>, written to a temporary name,
 * fsynced and renamed, so a host never runs a half-written agent and two
 * runs never mix their bytes. The name carries the digest, and the command
 * that runs it checks the digest first: a cached file replaced by anything
 * else is never run, but deployed again.
 */
#pragma once

#include <libssh/libssh.h>
#include <stdint.h>

#include "config.h"
#include "failure.h"

#define DEPLOY_DIR ".cache/tether"
/* Where root keeps the copy it checks and runs (host-job.c). */
#define ROOT_AGENT_DIR "/var/lib/tether"

/* The agent's path relative to the login user's home. */
int deploy_agent_path(const struct agent_binary *agent, char *buf, size_t size);

/* Uploads agent over the session's SFTP before deadline (CLOCK_MONOTONIC
 * µs). 0, or the failure's negative errno with failure filled in (stage
 * upload, or timeout); a temporary file left behind is removed. */
int deploy_agent(ssh_session session, const struct agent_binary *agent, uint64_t deadline,
                 struct host_failure *failure);
