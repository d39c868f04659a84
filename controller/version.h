/* SPDX-License-Identifier: MIT */
#pragma once

/* tether --version on stdout: the version, the agent it would deploy
 * (agent_file: --agent FILE, or NULL to look as a run does) and the
 * libraries it was built with. Returns 0, or -EIO when stdout fails. */
int version_show(const char *agent_file);
