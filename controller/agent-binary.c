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

#define AGENT_SIZE_LIMIT (64u * 1024 * 1024)

static char *beside_self(void) {
        char self[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
        char *path = NULL;

        if (n <= 0)
                return NULL;
        self[n] = '\0';
        if (asprintf(&path, "%s/tether-agent", dirname(self)) < 0)
                return NULL;
        return path;
}

int agent_binary_load(const char *explicit_path, struct agent_binary *ret, struct tether_error *error) {
        const char *path = explicit_path ? explicit_path : getenv("TETHER_AGENT");
        _cleanup_free_ char *sibling = NULL;
        char *data = NULL;
        size_t size = 0;
        int r;

        if (!path) {
                sibling = beside_self();
                path = sibling && access(sibling, R_OK) == 0 ? sibling : TETHER_AGENT_DIR "/tether-agent";
        }
        r = tether_read_file(path, AGENT_SIZE_LIMIT, &data, &size, error);
        if (r < 0)
                return tether_error_set(
                        error, r,
                        "cannot read the agent to deploy, %s: %s (build it with make, or name it "
                        "with --agent FILE)",
                        path, strerror(-r));
        ret->path = strdup(path);
        ret->data = (unsigned char *)data;
        ret->size = size;
        if (!ret->path) {
                free(data);
                return tether_error_set(error, -ENOMEM, "out of memory");
        }
        tether_sha256_hex(data, size, ret->sha256);
        return 0;
}

void agent_binary_clear(struct agent_binary *agent) {
        free((char *)agent->path);
        free(agent->data);
        *agent = (struct agent_binary){};
}
