/* SPDX-License-Identifier: MIT */
/*
 * One command on a host over an exec channel, under a deadline. stdout and
 * stderr are read with limits; when a sudo prompt (a nonce of ours) shows
 * on stderr, the password is written to stdin, once. When sudo asks again
 * after that, or shows a prompt tether did not set and waits
 * (sudo-prompt.h), the command is given up at once: nothing will answer,
 * and waiting would only run out the host's --timeout.
 *
 * Each step (open, exec, read, write, exit-status) waits until the
 * deadline: libssh's session timeout is set to what is left of it before
 * each blocking call, and a call whose wait ran out (libssh 0.10 returns
 * SSH_AGAIN, with no error text, from a channel open or an exec request
 * that got no reply in time) is made again until the deadline. A host that
 * is only slow is waited for; a reply that never comes is a timeout, not a
 * broken connection. In libssh 0.10 a read that times out returns 0 like
 * EOF, so EOF is checked with ssh_channel_is_eof().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "macro.h"
#include "remote.h"
#include "session.h"
#include "sudo-prompt.h"

/* How long one read of stdout waits: READ_SLICE_MS while sudo's prompt
 * may come, else doubled with each read that found nothing, to
 * READ_SLICE_MAX_MS (read_slice_ms()). */
#define READ_SLICE_MS 50
#define READ_SLICE_MAX_MS 1000

static const char *const step_names[_REMOTE_STEP_MAX] = {
#define REMOTE_STEP_NAME(id, name) [REMOTE_STEP_##id] = (name),
        REMOTE_STEPS(REMOTE_STEP_NAME)
#undef REMOTE_STEP_NAME
};

const char *remote_step_to_string(enum remote_step step) {
        return (unsigned)step < _REMOTE_STEP_MAX ? step_names[step] : NULL;
}

/* One command's channel and where it is. */
struct exec_state {
        ssh_session session;
        ssh_channel channel;
        uint64_t deadline, step_started;
        struct remote_result *result;
};

static bool past_deadline(const struct exec_state *state) {
        return tether_now_usec() >= state->deadline;
}

static void begin_step(struct exec_state *state, enum remote_step step) {
        state->result->step = step;
        state->step_started = tether_now_usec();
        (void)session_wait_until(state->session, state->deadline);
}

/* What a step that stopped short returns: -ETIMEDOUT when its wait ran
 * out; -EPROTO when the host refused it (refusable) and the connection is
 * still up; else -ECONNRESET. libssh's words are kept for the last two. */
static int step_stopped(struct exec_state *state, bool timed_out, bool refusable) {
        struct remote_result *result = state->result;
        const char *text;

        result->step_ms = (tether_now_usec() - state->step_started) / 1000;
        if (timed_out)
                return -ETIMEDOUT;
        text = ssh_get_error(state->session);
        snprintf(result->ssh_error, sizeof(result->ssh_error), "%s", text ? text : "");
        return refusable && ssh_is_connected(state->session) ? -EPROTO : -ECONNRESET;
}

static int open_and_exec(struct exec_state *state, const char *command) {
        int rc;

        begin_step(state, REMOTE_STEP_OPEN);
        while ((rc = ssh_channel_open_session(state->channel)) == SSH_AGAIN && !past_deadline(state))
                (void)session_wait_until(state->session, state->deadline);
        if (rc != SSH_OK)
                return step_stopped(state, rc == SSH_AGAIN, true);

        begin_step(state, REMOTE_STEP_EXEC);
        state->result->command_sent = true;
        while ((rc = ssh_channel_request_exec(state->channel, command)) == SSH_AGAIN &&
               !past_deadline(state))
                (void)session_wait_until(state->session, state->deadline);
        if (rc != SSH_OK)
                return step_stopped(state, rc == SSH_AGAIN, true);
        return 0;
}

/* Reads what the channel has on one stream into into; stderr keeps its
 * first REMOTE_STDERR_KEEP bytes and counts the rest in *dropped. */
static int drain(ssh_channel channel, int is_stderr, struct strbuf *into, size_t *dropped, int timeout_ms) {
        char chunk[16384];
        size_t keep;
        int n;

        n = ssh_channel_read_timeout(channel, chunk, sizeof(chunk), is_stderr, timeout_ms);
        if (n <= 0)
                return n;
        keep = (size_t)n;
        if (is_stderr) {
                keep = into->length < REMOTE_STDERR_KEEP ? REMOTE_STDERR_KEEP - into->length : 0;
                keep = keep < (size_t)n ? keep : (size_t)n;
                *dropped += (size_t)n - keep;
        }
        strbuf_append_n(into, chunk, keep);
        return n;
}

/* The password goes only to stdin, never to argv or a log. */
static int send_password(struct exec_state *state, const struct remote_input *input) {
        begin_step(state, REMOTE_STEP_WRITE);
        if (ssh_channel_write(state->channel, input->password, (uint32_t)strlen(input->password)) < 0 ||
            ssh_channel_write(state->channel, "\n", 1) < 0)
                return step_stopped(state, past_deadline(state), false);
        if (!input->reply)
                (void)ssh_channel_send_eof(state->channel);
        state->result->password_sent = true;
        begin_step(state, REMOTE_STEP_READ);
        return 0;
}

/* Once the command printed input's marker line: its answer to stdin, and
 * stdin closed. *searched is how much of stdout was looked at before. */
static int answer_when_asked(struct exec_state *state, const struct remote_input *input, size_t *searched) {
        const struct strbuf *out = &state->result->out;
        size_t marker_length = strlen(input->reply_marker);
        _cleanup_free_ char *answer = NULL;
        const char *found;

        if (out->length < marker_length + 1)
                return 0;
        found = memmem(out->data + *searched, out->length - *searched, input->reply_marker, marker_length);
        if (!found || (size_t)(found - out->data) + marker_length >= out->length ||
            found[marker_length] != '\n') {
                *searched = out->length > marker_length ? out->length - marker_length - 1 : 0;
                return 0;
        }
        answer = input->reply(out->data, out->length, input->userdata);
        begin_step(state, REMOTE_STEP_WRITE);
        if (answer && ssh_channel_write(state->channel, answer, (uint32_t)strlen(answer)) < 0)
                return step_stopped(state, past_deadline(state), false);
        (void)ssh_channel_send_eof(state->channel);
        begin_step(state, REMOTE_STEP_READ);
        return 1;
}

/* What sudo's prompts call for now (sudo-prompt.h); quiet_since is when
 * the last byte came, on either stream. */
static enum sudo_prompt_state judge_prompt(const struct remote_result *result, const char *prompt,
                                           uint64_t quiet_since) {
        return sudo_prompt_judge(&(struct sudo_prompt_seen){
                .err = result->err.data,
                .err_length = result->err.length,
                .ours = prompt,
                .password_sent = result->password_sent,
                .out_seen = result->out.length > 0,
                .quiet_ms = (tether_now_usec() - quiet_since) / 1000,
        });
}

/* How long the next read of stdout waits. Output on stdout, or its end,
 * ends the wait at once; stderr, sudo's prompt and the deadline are looked
 * at only after it. So it stays short while a prompt may come, and
 * otherwise doubles with each quiet read: a host whose agent works for
 * seconds wakes the controller a few times, not twenty times a second
 * (a cost of hosts × seconds waited). Any output starts it short again,
 * so a host that floods stderr is read as often as before. */
static int read_slice_ms(const struct exec_state *state, bool prompt_may_come, unsigned quiet_reads) {
        uint64_t slice = READ_SLICE_MS, now = tether_now_usec(), left_ms;

        for (unsigned i = 0; !prompt_may_come && i < quiet_reads && slice < READ_SLICE_MAX_MS; i++)
                slice *= 2;
        if (slice > READ_SLICE_MAX_MS)
                slice = READ_SLICE_MAX_MS;
        left_ms = state->deadline > now ? (state->deadline - now + 999) / 1000 : 0;
        return (int)(slice < left_ms ? slice : left_ms);
}

/* Reads stdout and stderr until EOF, answering sudo's prompt once; stops
 * early, with result->sudo_prompt set, when nothing will answer what
 * sudo asks. */
static int read_output(struct exec_state *state, const struct remote_input *input) {
        struct remote_result *result = state->result;
        const char *prompt = input ? input->sudo_prompt : NULL;
        uint64_t quiet_since = tether_now_usec();
        bool asks = input && input->reply, answered = false;
        enum sudo_prompt_state judged;
        size_t searched = 0;
        unsigned quiet_reads = 0;
        int r;

        begin_step(state, REMOTE_STEP_READ);
        if (!prompt && !asks)
                (void)ssh_channel_send_eof(state->channel);
        for (;;) {
                int n_out, n_err;

                if (past_deadline(state))
                        return step_stopped(state, true, false);
                n_out = drain(state->channel, 0, &result->out, NULL,
                              read_slice_ms(state, prompt != NULL, quiet_reads));
                n_err = drain(state->channel, 1, &result->err, &result->err_dropped, 0);
                if (n_out == SSH_ERROR || n_err == SSH_ERROR)
                        return step_stopped(state, false, false);
                if (result->out.failed || result->err.failed)
                        return -EFBIG;
                quiet_reads = n_out > 0 || n_err > 0 ? 0 : quiet_reads + 1;
                if (quiet_reads == 0)
                        quiet_since = tether_now_usec();
                if (asks && !answered && n_out > 0) {
                        r = answer_when_asked(state, input, &searched);
                        if (r < 0)
                                return r;
                        answered = r > 0;
                }
                judged = prompt ? judge_prompt(result, prompt, quiet_since) : SUDO_PROMPT_NONE;
                switch (judged) {
                case SUDO_PROMPT_OURS:
                        r = send_password(state, input);
                        if (r < 0)
                                return r;
                        break;
                case SUDO_PROMPT_REFUSED:
                case SUDO_PROMPT_ASKED_AGAIN:
                case SUDO_PROMPT_NOT_OURS:
                        result->sudo_prompt = judged;
                        return 0;
                case SUDO_PROMPT_NONE:
                        break;
                }
                if (ssh_channel_is_eof(state->channel) && n_out <= 0 && n_err <= 0)
                        return 0;
        }
}

/* The exit status, waited for until the deadline; -1 when none came (the
 * command was killed by a signal, or the channel or the connection went
 * first). The output is all read by then. */
static int wait_exit_status(struct exec_state *state) {
        int status;

        begin_step(state, REMOTE_STEP_EXIT_STATUS);
        for (;;) {
                status = ssh_channel_get_exit_status(state->channel);
                if (status != -1 || !ssh_is_connected(state->session) ||
                    ssh_channel_is_closed(state->channel) || past_deadline(state))
                        return status;
                (void)session_wait_until(state->session, state->deadline);
        }
}

/* Drops sudo's prompt from what the command printed on stderr. */
static void drop_prompt(struct remote_result *result, const char *prompt) {
        char *found = result->err.data ? strstr(result->err.data, prompt) : NULL;
        size_t length = strlen(prompt);

        if (!found)
                return;
        memmove(found, found + length, strlen(found + length) + 1);
        result->err.length -= length;
}

int remote_exec(ssh_session session, const char *command, const struct remote_input *input,
                uint64_t deadline, struct remote_result *result) {
        struct exec_state state = {.session = session, .deadline = deadline, .result = result};
        int r;

        *result = (struct remote_result){.exit_status = -1};
        result->out.limit = REMOTE_OUTPUT_LIMIT;
        result->err.limit = REMOTE_STDERR_KEEP + 1;

        state.channel = ssh_channel_new(session);
        if (!state.channel)
                return -ENOMEM;
        r = open_and_exec(&state, command);
        if (r == 0)
                r = read_output(&state, input);
        if (r == 0 && result->sudo_prompt == SUDO_PROMPT_NONE) {
                result->exit_status = wait_exit_status(&state);
                if (input && input->sudo_prompt)
                        drop_prompt(result, input->sudo_prompt);
        }
        (void)session_wait_until(session, deadline);
        (void)ssh_channel_close(state.channel);
        ssh_channel_free(state.channel);
        return r;
}

void remote_result_clear(struct remote_result *result) {
        strbuf_free(&result->out);
        strbuf_free(&result->err);
}
