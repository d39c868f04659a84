/* SPDX-License-Identifier: MIT */
/*
 * libssh's log, per host (see ssh-log.h). What libssh logs quotes the
 * network (banners, the server's error text), so each line goes through
 * the terminal escaper before it is printed.
 */
#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "ssh-log.h"
#include "strbuf.h"

static void print_line(int priority, const char *function, const char *buffer, void *userdata) {
        struct strbuf line = STRBUF_INIT;
        const char *who = userdata ? userdata : "?";

        (void)priority;
        (void)function;
        tether_escape_terminal(&line, who, strlen(who), 0);
        strbuf_append(&line, ": libssh: ");
        tether_escape_terminal(&line, buffer, strlen(buffer), 0);
        strbuf_append(&line, "\n");
        if (line.data && !line.failed)
                fputs(line.data, stderr);
        strbuf_free(&line);
}

int ssh_log_verbosity(bool enabled) {
        return enabled ? SSH_LOG_PROTOCOL : SSH_LOG_NOLOG;
}

void ssh_log_use(bool enabled, const char *who) {
        ssh_set_log_level(ssh_log_verbosity(enabled));
        ssh_set_log_callback(enabled ? print_line : NULL);
        ssh_set_log_userdata((void *)who);
}
