/* SPDX-License-Identifier: MIT */
/*
 * One command on a host over an exec channel, under a deadline. stdout and
 * stderr are read with limits; when a sudo prompt (a nonce of ours) shows
 * on stderr, the password is written to stdin, once. In libssh 0.10 a read
 * that times out returns 0 like EOF, so EOF is checked with
 * ssh_channel_is_eof() and the deadline is kept here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "remote.h"

#define READ_SLICE_MS 50

static int drain(ssh_channel channel, int is_stderr, struct strbuf *into, int timeout_ms) {
        char chunk[16384];
        int n;

        n = ssh_channel_read_timeout(channel, chunk, sizeof(chunk), is_stderr, timeout_ms);
        if (n > 0)
                strbuf_append_n(into, chunk, (size_t)n);
        return n;
}

int remote_exec(ssh_session session, const char *command, const struct remote_input *input,
                uint64_t deadline, struct remote_result *result) {
        ssh_channel channel;
        bool password_sent = false;
        int r = 0;

        *result = (struct remote_result){.exit_status = -1};
        result->out.limit = REMOTE_OUTPUT_LIMIT;
        result->err.limit = REMOTE_OUTPUT_LIMIT;

        channel = ssh_channel_new(session);
        if (!channel)
                return -ENOMEM;
        if (ssh_channel_open_session(channel) != SSH_OK ||
            ssh_channel_request_exec(channel, command) != SSH_OK) {
                ssh_channel_free(channel);
                return -ECONNRESET;
        }
        if (!input || !input->sudo_prompt)
                (void)ssh_channel_send_eof(channel);

        for (;;) {
                int n_out, n_err;

                if (tether_now_usec() >= deadline) {
                        r = -ETIMEDOUT;
                        break;
                }
                n_out = drain(channel, 0, &result->out, READ_SLICE_MS);
                n_err = drain(channel, 1, &result->err, 0);
                if (n_out == SSH_ERROR || n_err == SSH_ERROR) {
                        r = -ECONNRESET;
                        break;
                }
                if (result->out.failed || result->err.failed) {
                        r = -EFBIG;
                        break;
                }
                if (input && input->sudo_prompt && !password_sent && result->err.data &&
                    strstr(result->err.data, input->sudo_prompt)) {
                        /* The password goes only to stdin, never to argv or a log. */
                        if (ssh_channel_write(channel, input->password, (uint32_t)strlen(input->password)) <
                                    0 ||
                            ssh_channel_write(channel, "\n", 1) < 0) {
                                r = -ECONNRESET;
                                break;
                        }
                        (void)ssh_channel_send_eof(channel);
                        password_sent = true;
                        result->password_sent = true;
                }
                if (input && input->sudo_prompt && password_sent && result->err.data &&
                    strstr(result->err.data, "Sorry, try again")) {
                        /* A wrong password: sudo would ask again; nothing will answer it. */
                        result->wrong_password = true;
                        break;
                }
                if (ssh_channel_is_eof(channel) && n_out <= 0 && n_err <= 0)
                        break;
        }

        if (r == 0 && !result->wrong_password) {
                result->exit_status = ssh_channel_get_exit_status(channel);
                /* Drop sudo's prompt from what the command printed on stderr. */
                if (input && input->sudo_prompt && result->err.data) {
                        char *prompt = strstr(result->err.data, input->sudo_prompt);

                        if (prompt) {
                                size_t length = strlen(input->sudo_prompt);
                                memmove(prompt, prompt + length, strlen(prompt + length) + 1);
                                result->err.length -= length;
                        }
                }
        }
        (void)ssh_channel_close(channel);
        ssh_channel_free(channel);
        return r;
}

void remote_result_clear(struct remote_result *result) {
        strbuf_free(&result->out);
        strbuf_free(&result->err);
}
