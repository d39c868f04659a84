/* SPDX-License-Identifier: MIT */
/*
 * stderr logging for the programs (see log.h). A message is formatted whole
 * before it is written, in one write(2), so lines from several threads of
 * the controller never interleave.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static const char *program_name = "tether";
static int max_level = LOG_INFO;

void log_set_program(const char *name) {
        program_name = name;
}

void log_set_max_level(int level) {
        max_level = level;
}

int log_get_max_level(void) {
        return max_level;
}

int log_full_errno(int level, int error, const char *format, ...) {
        char line[4096];
        va_list ap;
        int n, saved_errno = errno;

        if (level > max_level)
                return error;

        n = snprintf(line, sizeof(line), "%s: ", program_name);
        /* %m in the format prints strerror(errno): make that the error's. */
        errno = error < 0 ? -error : (error > 0 ? error : saved_errno);
        va_start(ap, format);
        n += vsnprintf(line + n, sizeof(line) - (size_t)n, format, ap);
        va_end(ap);
        if ((size_t)n >= sizeof(line) - 1)
                n = sizeof(line) - 2;
        line[n++] = '\n';
        (void)!write(STDERR_FILENO, line, (size_t)n);

        errno = saved_errno;
        return error;
}
