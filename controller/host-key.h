/* SPDX-License-Identifier: MIT */
/*
 * Checking a host's key strictly, as OpenSSH does (see host-key.c).
 */
#pragma once

#include <libssh/libssh.h>

#include "config.h"
#include "failure.h"

/* Checks the key of the connected session against known_hosts (the path the
 * session uses, for messages and the marker lines) and the global file.
 * jump is the bastions the session went through, or NULL, for the hint
 * that accepts a new key. 0 to go on (with --accept-new-host-keys, a new key was recorded); the
 * failure's negative errno with failure filled in (stage hostkey). */
int host_key_check(ssh_session session, const struct run_config *config, const char *address, unsigned port,
                   const char *known_hosts, const char *jump, struct host_failure *failure);

/* Before ssh_connect(): points the session's known_hosts (the file it would
 * read, for the host it is set to) at a memfd that holds only the lines
 * that may concern that host, since libssh reads the whole file twice a
 * connection. Returns the memfd, which the caller closes once
 * host_key_check() is done; -1 when the session keeps the whole file (none
 * given, unreadable, no gain, no memfd). host_key_check() records a new key
 * in the file itself. */
int host_key_narrow(ssh_session session, const char *known_hosts, unsigned port);

/* Forgets the known_hosts files read (their marker lines, their index)
 * during the run. */
void host_key_forget_files(void);
