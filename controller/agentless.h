/* SPDX-License-Identifier: MIT */
/*
 * Agentless mode: a host's facts gathered with plain commands every
 * systemd host has (controller/agentless-gather.sh, sent as the argument of
 * `sh -c`, nothing written to the host), judged here by the judge the agent
 * uses, into the document the agent would print. The script is tether's own
 * text; what goes before it is too: a boundary made for the run, and the
 * property, unit and file lists of common/.
 *
 *   /bin/sh -c 'exec sudo -n -- /bin/sh -c "$1" tether' sh 'B="@tether-..."; PROPS="..."; ...; SCRIPT'
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "judge.h"

/* "@tether-" and 32 hex digits, with the NUL. */
#define AGENTLESS_BOUNDARY_SIZE 41

/* A new boundary from the kernel's random numbers. 0, or -errno. */
int agentless_boundary(char ret[static AGENTLESS_BOUNDARY_SIZE]);

/* The remote command that runs the script under boundary: through sudo
 * when sudo, with its prompt (a nonce of tether's, sudo-prompt.h) when
 * prompt is not NULL, else sudo -n. 0 and a new string in *ret, -EINVAL
 * when the script holds a single quote (a build that broke it), or
 * -ENOMEM. */
int agentless_command(const char *boundary, bool sudo, const char *prompt, char **ret);

/* The document of schema tether.host/1 made from the script's output
 * (length bytes), judged under policy (forced: asked for on the command
 * line), with "mode": "agentless", verb and run_id. 0 and a new reference
 * in *ret (untouched on failure), -EBADMSG with a message naming what the
 * host's answer lacks, or -ENOMEM. */
int agentless_document(const char *output, size_t length, const char *boundary, enum tether_policy policy,
                       bool policy_forced, const char *verb, const char *run_id, json_t **ret,
                       struct tether_error *error);
