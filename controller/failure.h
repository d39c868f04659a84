/* SPDX-License-Identifier: MIT */
/*
 * Why one host failed: the stage it failed in and a sentence that names the
 * problem and the fix. Like struct tether_error, the first failure recorded
 * wins.
 *
 * The stages, in the order a host goes through them, each with its word in
 * the report ("error": {"stage": "connect", ...}), the negative errno a
 * failure in it is returned as, and whether a host that failed there is
 * unreachable (it never let tether in) rather than in error. A connection
 * that broke after login (connection-lost) is no unreachable host: tether
 * was in, and the agent may have run.
 */
#pragma once

#include <errno.h>
#include <stdbool.h>

#include "macro.h"

#define HOST_STAGES(X)                             \
        X(INVENTORY, "inventory", -EINVAL, false)  \
        X(CONNECT, "connect", -EHOSTUNREACH, true) \
        X(HOSTKEY, "hostkey", -EKEYREJECTED, true) \
        X(AUTH, "auth", -EACCES, true)             \
        X(SUDO, "sudo", -EPERM, false)             \
        X(UPLOAD, "upload", -EIO, false)           \
        X(AGENT, "agent", -EREMOTEIO, false)       \
        X(PARSE, "parse", -EBADMSG, false)         \
        X(TIMEOUT, "timeout", -ETIMEDOUT, false)   \
        X(CONNECTION_LOST, "connection-lost", -ECONNRESET, false)

enum host_stage {
        HOST_STAGE_NONE, /* no failure: 0, so a zeroed result has none */
#define HOST_STAGE_ENUM(id, name, code, unreachable) HOST_STAGE_##id,
        HOST_STAGES(HOST_STAGE_ENUM)
#undef HOST_STAGE_ENUM
                _HOST_STAGE_MAX,
};

struct host_failure {
        enum host_stage stage; /* HOST_STAGE_NONE: no failure */
        char message[1024];    /* JSON text (escape.h), cut between characters */
        bool tethers_own;      /* tether's failure, not the host's (out of file descriptors) */
};

static inline bool host_failed(const struct host_failure *failure) {
        return failure->stage != HOST_STAGE_NONE;
}

/* The stage's word in the report; NULL for HOST_STAGE_NONE or a value out of range. */
const char *host_stage_to_string(enum host_stage stage);

/* Whether a host that failed in stage is unreachable: connect, hostkey, auth. */
bool host_stage_unreachable(enum host_stage stage);

/* Records the failure unless one is recorded. The message is escaped as a
 * whole with tether_escape_json_text(), since its arguments may be what a
 * host or the network said. Returns the negative errno of stage (of the
 * failure recorded first, when there is one), for "return fail_host(...)". */
int fail_host(struct host_failure *failure, enum host_stage stage, const char *format, ...) _printf_(3, 4);
