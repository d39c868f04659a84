/* SPDX-License-Identifier: MIT */
/*
 * -vv: libssh's protocol log on stderr, each line naming the host it is
 * about, as `ssh -vv` gives it for one host:
 *
 *   web-01: libssh: ssh_connect: libssh 0.10.6 (c) 2003-2023 ...
 */
#pragma once

#include <stdbool.h>

/* libssh keeps its log level, callback and userdata per thread: call this
 * in each thread before it uses a session, with who (borrowed, alive as long
 * as the thread uses it) naming the host or bastion. enabled false keeps
 * libssh quiet. */
void ssh_log_use(bool enabled, const char *who);

/* The verbosity for SSH_OPTIONS_LOG_VERBOSITY, which sets the thread's
 * level too. */
int ssh_log_verbosity(bool enabled);
