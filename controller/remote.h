/* SPDX-License-Identifier: MIT */
/*
 * Running one command on a host and collecting what it prints and its exit
 * status, within a deadline and size limits.
 */
#pragma once

#include <libssh/libssh.h>
#include <stdbool.h>
#include <stdint.h>

#include "strbuf.h"
#include "time-util.h"

/* What the agent may print: its JSON is far smaller. */
#define REMOTE_OUTPUT_LIMIT (8u * 1024 * 1024)

struct remote_input {
        const char *sudo_prompt; /* when it appears on stderr, password goes to stdin */
        const char *password;
};

struct remote_result {
        struct strbuf out;
        struct strbuf err;
        int exit_status; /* -1: none came (killed by a signal, or the channel broke) */
        bool password_sent;
        bool wrong_password;
};

/* 0, or -ETIMEDOUT past deadline (CLOCK_MONOTONIC µs), -EFBIG past the
 * output limit, -ECONNRESET when the channel fails. result is filled in
 * either way; free it with remote_result_clear(). */
int remote_exec(ssh_session session, const char *command, const struct remote_input *input,
                uint64_t deadline, struct remote_result *result);
void remote_result_clear(struct remote_result *result);
