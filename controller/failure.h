/* SPDX-License-Identifier: MIT */
/*
 * Why one host failed: the stage it failed in and a sentence that names the
 * problem and the fix. The stage is one of the report's words:
 * inventory, connect, hostkey, auth, sudo, upload, agent, parse, timeout.
 * Like struct tether_error, the first failure recorded wins.
 */
#pragma once

#include <stdbool.h>

#include "macro.h"

struct host_failure {
        const char *stage;  /* NULL: no failure */
        char message[1024]; /* JSON text (escape.h), cut between characters */
};

static inline bool host_failed(const struct host_failure *failure) {
        return failure->stage != NULL;
}

/* Records the failure unless one is recorded; returns -1 for "return fail(...)".
 * The message is escaped as a whole with tether_escape_json_text(), since
 * its arguments may be what a host or the network said. */
int fail_host(struct host_failure *failure, const char *stage, const char *format, ...) _printf_(3, 4);
