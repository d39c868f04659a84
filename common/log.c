/* SPDX-License-Identifier: MIT */
/*
 * stderr logging for the programs (see log.h). A message is formatted whole
 * before it is written, in one write(2), so lines from several threads of
 * the controller never interleave. It is escaped for the terminal
 * (escape.h) as a whole, since its arguments may be what a host, the
 * network, a report or an inventory script said; tether's own words are
 * printable text, which the escaper leaves as it is:
 *
 *   log_error("%s", "bad \x1b]52;c;aGk=\x07")  ->  "tether: bad \\x1b]52;c;aGk=\\a\n"
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "log.h"
#include "strbuf.h"

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

/* Without memory to escape it, the message still goes out, every byte
 * that is not printable ASCII as '?'. */
static void write_plainly(char *message, size_t length) {
        for (size_t i = 0; i < length; i++)
                if ((unsigned char)message[i] < 0x20 || (unsigned char)message[i] >= 0x7f)
                        message[i] = '?';
        (void)!write(STDERR_FILENO, message, length);
        (void)!write(STDERR_FILENO, "\n", 1);
}

int log_full_errno(int level, int error, const char *format, ...) {
        char message[4096];
        struct strbuf line = STRBUF_INIT;
        va_list ap;
        int n, saved_errno = errno;

        if (level > max_level)
                return error;

        /* %m in the format prints strerror(errno): make that the error's. */
        errno = error < 0 ? -error : (error > 0 ? error : saved_errno);
        va_start(ap, format);
        n = vsnprintf(message, sizeof(message), format, ap);
        va_end(ap);
        n = n < 0 ? 0 : (size_t)n >= sizeof(message) ? (int)sizeof(message) - 1 : n;
        strbuf_appendf(&line, "%s: ", program_name);
        tether_escape_terminal(&line, message, (size_t)n, 0);
        strbuf_append(&line, "\n");
        if (line.failed || !line.data)
                write_plainly(message, (size_t)n);
        else
                (void)!write(STDERR_FILENO, line.data, line.length);
        strbuf_free(&line);

        errno = saved_errno;
        return error;
}
