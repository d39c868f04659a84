/* SPDX-License-Identifier: MIT */
/*
 * tether --version: what a bug report needs to know of this build. The
 * agent is the one a run would deploy, found the same way (agent-binary.h),
 * with the digest that hosts cache it under; the libraries are those the
 * build compiled against (libsystemd is the agent's: the controller does
 * not link it):
 *
 *   tether 0.1.0
 *   agent /usr/local/libexec/tether/tether-agent
 *   agent sha256 9f2c...e1
 *   built with libssh 0.10.6, libsystemd 252, jansson 2.14
 */
#include <errno.h>
#include <jansson.h>
#include <libssh/libssh.h>
#include <stdio.h>

#include "agent-binary.h"
#include "install-paths.h"
#include "version.h"

int version_show(const char *agent_file) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct agent_binary agent = {};

        printf("tether %s\n", TETHER_VERSION);
        if (agent_binary_load(agent_file, &agent, &error) < 0)
                printf("agent none: %s\n", error.text);
        else
                printf("agent %s\nagent sha256 %s\n", agent.path, agent.sha256);
        agent_binary_clear(&agent);
        printf("built with libssh %d.%d.%d, libsystemd %s, jansson %s\n", LIBSSH_VERSION_MAJOR,
               LIBSSH_VERSION_MINOR, LIBSSH_VERSION_MICRO,
               TETHER_LIBSYSTEMD_VERSION[0] ? TETHER_LIBSYSTEMD_VERSION : "(unknown)", JANSSON_VERSION);
        return fflush(stdout) == 0 ? 0 : -EIO;
}
