/* SPDX-License-Identifier: MIT */
/*
 * Running one command on a host and collecting what it prints and its exit
 * status, within a deadline and size limits. Every step waits until the
 * deadline, however slow the host's replies; when one stops short, the
 * result says which step, after how long, and whether the command may have
 * started.
 */
#pragma once

#include <libssh/libssh.h>
#include <stdbool.h>
#include <stdint.h>

#include "strbuf.h"
#include "sudo-prompt.h"
#include "time-util.h"

/* What the agent may print on stdout: its JSON is far smaller (tens of KiB
 * on a host with thousands of rules), and a host that sends more fails
 * rather than costing the controller memory for every such host at once. */
#define REMOTE_OUTPUT_LIMIT (1024u * 1024)
/* What is kept of stderr (sudo's prompt, the agent's last words); the rest
 * is read, counted and dropped. */
#define REMOTE_STDERR_KEEP (8u * 1024)

/* The steps of a command, in order, each with its word in the report. */
#define REMOTE_STEPS(X)   \
        X(OPEN, "open")   \
        X(EXEC, "exec")   \
        X(READ, "read")   \
        X(WRITE, "write") \
        X(EXIT_STATUS, "exit-status")

enum remote_step {
#define REMOTE_STEP_ENUM(id, name) REMOTE_STEP_##id,
        REMOTE_STEPS(REMOTE_STEP_ENUM)
#undef REMOTE_STEP_ENUM
                _REMOTE_STEP_MAX,
};

struct remote_input {
        const char *sudo_prompt; /* when it appears on stderr, password goes to stdin */
        const char *password;
        /* With reply: stdin stays open until the command prints the line
         * reply_marker on stdout; reply() then gets all stdout so far and
         * returns what to write to stdin (a new string; NULL writes
         * nothing), and stdin is closed. A command that asks, and may act on
         * the answer: none (a broken channel) must be its safe choice. */
        const char *reply_marker;
        char *(*reply)(const char *out, size_t length, void *userdata);
        void *userdata;
};

struct remote_result {
        struct strbuf out;
        struct strbuf err;  /* its first REMOTE_STDERR_KEEP bytes */
        size_t err_dropped; /* bytes of stderr past those */
        int exit_status;    /* -1: none came (killed by a signal, or the channel broke) */
        bool password_sent;
        /* SUDO_PROMPT_NONE, or why the command was given up early: sudo
         * showed its prompt again after the password (refused, or asked
         * again) or a prompt not tether's (sudo-prompt.h). */
        enum sudo_prompt_state sudo_prompt;
        /* Where remote_exec() stopped, when it returned -ETIMEDOUT,
         * -ECONNRESET or -EPROTO: */
        enum remote_step step;
        uint64_t step_ms;    /* how long that step had waited */
        bool command_sent;   /* the exec request went out: the command may have run */
        char ssh_error[256]; /* libssh's words for it; "" when it had none */
};

/* The step's word; NULL for a value out of range. */
const char *remote_step_to_string(enum remote_step step);

/* 0; -ETIMEDOUT at the deadline (CLOCK_MONOTONIC µs); -EFBIG past the
 * output limit; -ECONNRESET when the connection or the channel broke;
 * -EPROTO when the host refused the channel or the command (the connection
 * still up). result is filled in either way; free it with
 * remote_result_clear(). */
int remote_exec(ssh_session session, const char *command, const struct remote_input *input,
                uint64_t deadline, struct remote_result *result);
void remote_result_clear(struct remote_result *result);
