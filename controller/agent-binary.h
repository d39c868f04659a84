/* SPDX-License-Identifier: MIT */
/*
 * Finding and loading the tether-agent this controller deploys: --agent
 * FILE, else $TETHER_AGENT, else tether-agent beside the tether binary (a
 * build tree), else the install's libexec directory (TETHER_AGENT_DIR).
 */
#pragma once

#include "config.h"
#include "error.h"

int agent_binary_load(const char *explicit_path, struct agent_binary *ret, struct tether_error *error);
void agent_binary_clear(struct agent_binary *agent);
