/* SPDX-License-Identifier: MIT */
/*
 * First-failure-wins recording of a host's failure (see failure.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "failure.h"

int fail_host(struct host_failure *failure, const char *stage, const char *format, ...) {
        va_list ap;

        if (failure->stage)
                return -1;
        failure->stage = stage;
        va_start(ap, format);
        vsnprintf(failure->message, sizeof(failure->message), format, ap);
        va_end(ap);
        return -1;
}
