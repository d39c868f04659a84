/* SPDX-License-Identifier: MIT */
/*
 * Jump hosts built in (see bastion.c): one authenticated SSH session to each
 * bastion of a run, shared by every host behind it, and one direct-tcpip
 * channel through it for each host's own SSH session.
 */
#pragma once

#include <libssh/libssh.h>
#include <stdint.h>

#include "config.h"
#include "failure.h"
#include "inventory.h"

struct bastions;

/* The bastions of one run; NULL when out of memory. Nothing connects yet. */
struct bastions *bastions_new(void);

/* Closes every tunnel and bastion session and frees; accepts NULL. Call it
 * once no host session uses a tunnel any more. */
void bastions_free(struct bastions *bastions);

/* A socket to address:port through the jump hosts of spec (jump.h), for the
 * host session of target (whose identity and known_hosts the bastions use
 * too), among config->bastions: the first call for a spec connects to its
 * bastions, the others share them. 0 and *ret_fd, which the caller hands to SSH_OPTIONS_FD and
 * closes with bastions_close_tunnel(); or the failure's negative errno with
 * failure filled in, naming the hop that failed. Waits at most until
 * deadline (CLOCK_MONOTONIC µs) for the bastion to open the channel. */
int bastions_tunnel(const struct run_config *config, const char *spec, const struct tether_host *target,
                    const char *address, unsigned port, uint64_t deadline, int *ret_fd,
                    struct host_failure *failure);

/* The jump spec that libssh 0.10 made of a ProxyJump line of ssh_config: it
 * turns "ProxyJump u@a:2,b" into the ProxyCommand
 * "ssh -l u -p 2 -J b -W '[%h]:%p' a". A new "u@a:2,b", or NULL when
 * command is no such ProxyCommand (or out of memory). */
char *bastion_spec_of_proxy_command(const char *command);
