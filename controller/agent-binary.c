/* SPDX-License-Identifier: MIT */
/*
 * Loading the agent to deploy (see agent-binary.h) and naming it by its
 * SHA-256, so hosts cache exactly this build.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent-binary.h"
#include "fileio.h"
#include "install-paths.h"

/* The directory of the running tether, in dir; false when /proc does not say. */
static bool own_directory(char dir[static PATH_MAX]) {
        char self[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

        if (n <= 0)
                return false;
        self[n] = '\0';
        snprintf(dir, PATH_MAX, "%s", dirname(self));
        return true;
}

/* dir/tether-agent, or dir/TETHER_AGENT_DIR_FROM_BINDIR/tether-agent,
 * without "..", if it can be read: a new string; NULL if not, or out of
 * memory. */
static char *readable_in(const char *dir, bool installed) {
        _cleanup_free_ char *joined = NULL;
        char *path;

        if (asprintf(&joined, "%s/%s%stether-agent", dir, installed ? TETHER_AGENT_DIR_FROM_BINDIR : "",
                     installed ? "/" : "") < 0) {
                joined = NULL;
                return NULL;
        }
        path = realpath(joined, NULL);
        if (path && access(path, R_OK) < 0) {
                free(path);
                return NULL;
        }
        return path;
}

/* The first place of agent-binary.h's list with a file that can be read,
 * as a new string; when none can, the install's path, which the error then
 * names. NULL when out of memory. */
static char *find_agent(void) {
        char dir[PATH_MAX];
        char *path;

        if (own_directory(dir)) {
                path = readable_in(dir, false);
                if (!path)
                        path = readable_in(dir, true);
                if (path)
                        return path;
        }
        return strdup(TETHER_AGENT_DIR "/tether-agent");
}

int agent_binary_load(const char *explicit_path, struct agent_binary *ret, struct tether_error *error) {
        const char *path = explicit_path ? explicit_path : getenv("TETHER_AGENT");
        _cleanup_free_ char *found = NULL;
        char *data = NULL, *kept;
        size_t size = 0;
        int r;

        if (!path) {
                found = find_agent();
                if (!found)
                        return tether_error_set(error, -ENOMEM, "out of memory");
                path = found;
        }
        r = tether_read_file(path, AGENT_SIZE_LIMIT, &data, &size, error);
        if (r < 0)
                return tether_error_set(
                        error, r,
                        "cannot read the agent to deploy, %s: %s (build it with make, or name it "
                        "with --agent FILE)",
                        path, strerror(-r));
        kept = strdup(path);
        if (!kept) {
                free(data);
                return tether_error_set(error, -ENOMEM, "out of memory");
        }
        *ret = (struct agent_binary){.path = kept, .data = (unsigned char *)data, .size = size};
        tether_sha256_hex(data, size, ret->sha256);
        return 0;
}

void agent_binary_clear(struct agent_binary *agent) {
        free((char *)agent->path);
        free(agent->data);
        *agent = (struct agent_binary){};
}
