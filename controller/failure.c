/* SPDX-License-Identifier: MIT */
/*
 * The failure stages' table (see failure.h) and first-failure-wins recording
 * of a host's failure.
 */
#include <stdarg.h>
#include <stdio.h>

#include "failure.h"

static const struct {
        const char *name;
        int code;
        bool unreachable;
} stages[_HOST_STAGE_MAX] = {
#define HOST_STAGE_ENTRY(id, name_, code_, unreachable_) \
        [HOST_STAGE_##id] = {.name = name_, .code = code_, .unreachable = unreachable_},
        HOST_STAGES(HOST_STAGE_ENTRY)
#undef HOST_STAGE_ENTRY
};

const char *host_stage_to_string(enum host_stage stage) {
        if ((unsigned)stage >= _HOST_STAGE_MAX)
                return NULL;
        return stages[stage].name;
}

bool host_stage_unreachable(enum host_stage stage) {
        return (unsigned)stage < _HOST_STAGE_MAX && stages[stage].unreachable;
}

int fail_host(struct host_failure *failure, enum host_stage stage, const char *format, ...) {
        va_list ap;

        if (host_failed(failure))
                return stages[failure->stage].code;
        if ((unsigned)stage >= _HOST_STAGE_MAX || stage == HOST_STAGE_NONE)
                stage = HOST_STAGE_AGENT; /* a caller's mistake must still fail the host */
        failure->stage = stage;
        va_start(ap, format);
        vsnprintf(failure->message, sizeof(failure->message), format, ap);
        va_end(ap);
        return stages[stage].code;
}
