/* SPDX-License-Identifier: MIT */
/*
 * Finding and loading the tether-agent this controller deploys: --agent
 * FILE, else $TETHER_AGENT, else the first of these that can be read:
 *
 *   DIR/tether-agent                  beside the tether binary in DIR (a build tree)
 *   DIR/../libexec/tether/tether-agent  where make install put it, relative to DIR
 *   /usr/local/libexec/tether/tether-agent  the same, as the path it was given
 *
 * (the last two from the PREFIX, BINDIR and LIBEXECDIR of the build,
 * build/gen/install-paths.h), so an installed tree also works where
 * DESTDIR put it.
 */
#pragma once

#include "config.h"
#include "error.h"

/* The largest agent deployed; the host copies no more than this into root's. */
#define AGENT_SIZE_LIMIT (64u * 1024 * 1024)

/* Loads the agent (explicit_path: --agent FILE, or NULL) into *ret, which
 * the caller clears with agent_binary_clear(). On failure returns a negative
 * errno with error saying which file could not be read; *ret is untouched. */
int agent_binary_load(const char *explicit_path, struct agent_binary *ret, struct tether_error *error);
void agent_binary_clear(struct agent_binary *agent);
