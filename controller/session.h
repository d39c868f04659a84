/* SPDX-License-Identifier: MIT */
/*
 * An authenticated SSH session to one host, with its host key checked
 * strictly (see session.c for the precedence of settings). A session
 * belongs to the one worker thread that opened it.
 */
#pragma once

#include <libssh/libssh.h>

#include "config.h"
#include "failure.h"
#include "inventory.h"

/* 0 and *ret on success; the failure's negative errno, with failure filled
 * in (stage connect, hostkey or auth), and *ret untouched, on failure. */
int session_open(const struct run_config *config, const struct tether_host *host, ssh_session *ret,
                 struct host_failure *failure);

/* Disconnects and frees; accepts NULL; returns NULL. */
ssh_session session_close(ssh_session session);

/* "~/x" → "$HOME/x"; a new string, NULL on out of memory. */
char *session_expand_path(const char *path);
