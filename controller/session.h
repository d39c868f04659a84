/* SPDX-License-Identifier: MIT */
/*
 * An authenticated SSH session to one host, with its host key checked
 * strictly (see session.c for the precedence of settings). A session
 * belongs to the one worker thread that opened it. Connecting and logging
 * in wait at most --connect-timeout for each reply; what follows waits
 * until a deadline of the caller's (session_wait_until()).
 */
#pragma once

#include <libssh/libssh.h>
#include <stdint.h>

#include "config.h"
#include "failure.h"
#include "inventory.h"

/* 0 and *ret on success; the failure's negative errno, with failure filled
 * in (stage connect, hostkey or auth), and *ret untouched, on failure. */
int session_open(const struct run_config *config, const struct tether_host *host, ssh_session *ret,
                 struct host_failure *failure);

/* A session to a bastion (bastion.c): hop's user, identity and known_hosts,
 * with --identity and --known-hosts winning but not --user, through
 * hop->jump (the hops before it); ssh_config's ProxyJump is not followed
 * for a bastion, so that "Host *" cannot make a loop. */
int session_open_hop(const struct run_config *config, const struct tether_host *hop, ssh_session *ret,
                     struct host_failure *failure);

/* From now on, each blocking libssh call of the session (channel open,
 * exec request, exit-status wait, SFTP) waits at most until deadline
 * (CLOCK_MONOTONIC µs), at least 1 ms: after login, steps are bounded by
 * the host's --timeout, not by --connect-timeout. 0, or -EINVAL when
 * libssh refused the setting. */
int session_wait_until(ssh_session session, uint64_t deadline);

/* Disconnects and frees; accepts NULL; returns NULL. */
ssh_session session_close(ssh_session session);

/* Reads the ssh_config every session will read (ssh_config, or NULL for
 * libssh's own ~/.ssh/config and /etc/ssh/ssh_config) once, before a run,
 * so that a line libssh refuses is one usage error naming the file, the
 * line and libssh's complaint, not every host failing alike. 0, or -EINVAL
 * with error filled in. */
int session_check_config(const char *ssh_config, struct tether_error *error);

/* "~/x" → "$HOME/x"; a new string, NULL on out of memory. */
char *session_expand_path(const char *path);
