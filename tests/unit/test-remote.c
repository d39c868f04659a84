/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for controller/remote.c over a scripted libssh (its channel
 * calls wrapped at the link, WRAP below): a host that is only slow to
 * answer the channel open or the exec request is waited for until the
 * deadline (libssh 0.10 returns SSH_AGAIN, with no error text, when its
 * session timeout runs out first), and every blocking call waits under a
 * session timeout of what is left of the deadline, not --connect-timeout;
 * a reply that never comes is -ETIMEDOUT; a broken connection is
 * -ECONNRESET with libssh's words; a refusal on a live connection is
 * -EPROTO; and each says the step and whether the command went out; and
 * sudo's password goes to stdin once, at tether's prompt, and a prompt
 * shown again ends the command at once.
 *
 * WRAP: ssh_channel_new ssh_channel_open_session ssh_channel_request_exec ssh_channel_send_eof
 * WRAP: ssh_channel_read_timeout ssh_channel_is_eof ssh_channel_get_exit_status ssh_channel_is_closed
 * WRAP: ssh_channel_close ssh_channel_free ssh_channel_write ssh_get_error ssh_is_connected
 * WRAP: ssh_options_set
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "remote.h"
#include "test-util.h"

#define MAX_CALLS 8
#define QUIET_ERR_AT 4

/* What the scripted host does. A list of return codes is consumed one a
 * call; past its end (zeros) the host answers: SSH_OK. */
static struct {
        int open[MAX_CALLS], exec[MAX_CALLS];
        size_t n_open, n_exec; /* calls so far */
        const char *out;       /* printed at once; NULL: nothing, and no EOF ever */
        bool out_read;
        bool read_breaks; /* the first read is SSH_ERROR */
        bool connected;
        const char *error_text;
        int exit_status;
        long timeout_sec, timeout_usec; /* the session timeout last set */
        size_t n_timeouts;
        size_t out_flood, err_flood; /* bytes still to print on stdout and stderr, before out */
        size_t quiet_reads;          /* reads of stdout that find nothing, before out */
        const char *err_while_quiet; /* printed on stderr at the read of stdout QUIET_ERR_AT */
        int out_timeouts[16];        /* each read of stdout's timeout */
        size_t n_out_reads;
        /* sudo: err is printed on stderr at once; once a line was written
         * to stdin, err_after_password, and out (when out_after_password). */
        const char *err, *err_after_password;
        bool err_read, err_after_password_read, out_after_password;
        char written[256];
        size_t n_written;
} host;

static bool password_written(void) {
        return memchr(host.written, '\n', host.n_written) != NULL;
}

/* The next scripted text on stderr, once each; NULL: none now. */
static const char *next_err(void) {
        if (host.err && !host.err_read) {
                host.err_read = true;
                return host.err;
        }
        if (host.err_after_password && !host.err_after_password_read && password_written()) {
                host.err_after_password_read = true;
                return host.err_after_password;
        }
        return NULL;
}

static ssh_channel fake_channel = (ssh_channel)(uintptr_t)0x10;
static ssh_session fake_session = (ssh_session)(uintptr_t)0x20;

static int scripted(const int *codes, size_t *n) {
        size_t i = (*n)++;

        return i < MAX_CALLS ? codes[i] : SSH_OK;
}

ssh_channel __wrap_ssh_channel_new(ssh_session session);
ssh_channel __wrap_ssh_channel_new(ssh_session session) {
        return fake_channel;
}

int __wrap_ssh_channel_open_session(ssh_channel channel);
int __wrap_ssh_channel_open_session(ssh_channel channel) {
        return scripted(host.open, &host.n_open);
}

int __wrap_ssh_channel_request_exec(ssh_channel channel, const char *command);
int __wrap_ssh_channel_request_exec(ssh_channel channel, const char *command) {
        return scripted(host.exec, &host.n_exec);
}

int __wrap_ssh_channel_send_eof(ssh_channel channel);
int __wrap_ssh_channel_send_eof(ssh_channel channel) {
        return SSH_OK;
}

int __wrap_ssh_channel_read_timeout(ssh_channel channel, void *dest, uint32_t count, int is_stderr,
                                    int timeout_ms);
int __wrap_ssh_channel_read_timeout(ssh_channel channel, void *dest, uint32_t count, int is_stderr,
                                    int timeout_ms) {
        size_t length;

        size_t *flood = is_stderr ? &host.err_flood : &host.out_flood;

        if (*flood > 0) {
                length = *flood < count ? *flood : count;
                memset(dest, is_stderr ? 'e' : 'o', length);
                *flood -= length;
                return (int)length;
        }
        if (is_stderr) {
                const char *text = next_err();

                if (!text)
                        return 0;
                length = strlen(text);
                assert_true(length <= count);
                memcpy(dest, text, length);
                return (int)length;
        }
        if (host.read_breaks)
                return SSH_ERROR;
        if (host.n_out_reads < ELEMENTSOF(host.out_timeouts))
                host.out_timeouts[host.n_out_reads] = timeout_ms;
        host.n_out_reads++;
        if (host.quiet_reads > 0) {
                host.quiet_reads--;
                if (host.n_out_reads == QUIET_ERR_AT && host.err_while_quiet)
                        host.err = host.err_while_quiet;
                return 0;
        }
        if (!host.out || host.out_read || (host.out_after_password && !password_written()))
                return 0;
        length = strlen(host.out);
        assert_true(length <= count);
        memcpy(dest, host.out, length);
        host.out_read = true;
        return (int)length;
}

int __wrap_ssh_channel_is_eof(ssh_channel channel);
int __wrap_ssh_channel_is_eof(ssh_channel channel) {
        return host.out && host.out_read && host.out_flood == 0 && host.err_flood == 0;
}

int __wrap_ssh_channel_get_exit_status(ssh_channel channel);
int __wrap_ssh_channel_get_exit_status(ssh_channel channel) {
        return host.exit_status;
}

int __wrap_ssh_channel_is_closed(ssh_channel channel);
int __wrap_ssh_channel_is_closed(ssh_channel channel) {
        return 0;
}

int __wrap_ssh_channel_close(ssh_channel channel);
int __wrap_ssh_channel_close(ssh_channel channel) {
        return SSH_OK;
}

void __wrap_ssh_channel_free(ssh_channel channel);
void __wrap_ssh_channel_free(ssh_channel channel) {
}

int __wrap_ssh_channel_write(ssh_channel channel, const void *data, uint32_t len);
int __wrap_ssh_channel_write(ssh_channel channel, const void *data, uint32_t len) {
        assert_true(host.n_written + len <= sizeof(host.written));
        memcpy(host.written + host.n_written, data, len);
        host.n_written += len;
        return (int)len;
}

const char *__wrap_ssh_get_error(void *error);
const char *__wrap_ssh_get_error(void *error) {
        return host.error_text ? host.error_text : "";
}

int __wrap_ssh_is_connected(ssh_session session);
int __wrap_ssh_is_connected(ssh_session session) {
        return host.connected;
}

int __wrap_ssh_options_set(ssh_session session, enum ssh_options_e type, const void *value);
int __wrap_ssh_options_set(ssh_session session, enum ssh_options_e type, const void *value) {
        if (type == SSH_OPTIONS_TIMEOUT) {
                host.timeout_sec = *(const long *)value;
                host.n_timeouts++;
        } else if (type == SSH_OPTIONS_TIMEOUT_USEC)
                host.timeout_usec = *(const long *)value;
        return 0;
}

#define SECONDS(n) ((uint64_t)(n)*1000000ULL)

static const struct {
        const char *name;
        int open[MAX_CALLS], exec[MAX_CALLS];
        bool read_breaks, connected, no_output;
        const char *error_text;
        uint64_t deadline_in; /* µs from now; 0: already past */
        int r;
        enum remote_step step;
        bool command_sent;
        const char *ssh_error;
        size_t n_open, n_exec; /* calls expected, 0: not checked */
} cases[] = {
        /* The case: a busy host, slow to open the channel and to start
         * the command; libssh's own wait ran out, the host's deadline did not. */
        {"slow replies are waited for",
         {SSH_AGAIN, SSH_AGAIN, SSH_OK},
         {SSH_AGAIN, SSH_OK},
         false,
         true,
         false,
         NULL,
         SECONDS(300),
         0,
         REMOTE_STEP_EXIT_STATUS,
         true,
         "",
         3,
         2},
        {"no channel before the deadline",
         {SSH_AGAIN},
         {SSH_OK},
         false,
         true,
         false,
         NULL,
         0,
         -ETIMEDOUT,
         REMOTE_STEP_OPEN,
         false,
         "",
         1,
         0},
        {"no answer to the exec request before the deadline",
         {SSH_OK},
         {SSH_AGAIN},
         false,
         true,
         false,
         NULL,
         0,
         -ETIMEDOUT,
         REMOTE_STEP_EXEC,
         true,
         "",
         1,
         1},
        {"the agent does not finish before the deadline",
         {SSH_OK},
         {SSH_OK},
         false,
         true,
         true,
         NULL,
         0,
         -ETIMEDOUT,
         REMOTE_STEP_READ,
         true,
         "",
         1,
         1},
        {"the connection breaks before the channel opens",
         {SSH_ERROR},
         {SSH_OK},
         false,
         false,
         false,
         "Socket error: disconnected",
         SECONDS(300),
         -ECONNRESET,
         REMOTE_STEP_OPEN,
         false,
         "Socket error: disconnected",
         1,
         0},
        {"the connection breaks at the exec request, without a word",
         {SSH_OK},
         {SSH_ERROR},
         false,
         false,
         false,
         NULL,
         SECONDS(300),
         -ECONNRESET,
         REMOTE_STEP_EXEC,
         true,
         "",
         1,
         1},
        {"the connection breaks while the agent runs",
         {SSH_OK},
         {SSH_OK},
         true,
         false,
         false,
         "Socket error: disconnected",
         SECONDS(300),
         -ECONNRESET,
         REMOTE_STEP_READ,
         true,
         "Socket error: disconnected",
         1,
         1},
        {"the host refuses a channel",
         {SSH_ERROR},
         {SSH_OK},
         false,
         true,
         false,
         "Channel opening failure: channel 43 error (2) open failed",
         SECONDS(300),
         -EPROTO,
         REMOTE_STEP_OPEN,
         false,
         "Channel opening failure: channel 43 error (2) open failed",
         1,
         0},
        {"the host refuses the command",
         {SSH_OK},
         {SSH_ERROR},
         false,
         true,
         false,
         "Channel request exec failed",
         SECONDS(300),
         -EPROTO,
         REMOTE_STEP_EXEC,
         true,
         "Channel request exec failed",
         1,
         1},
};

static void test_steps(void **state) {
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                uint64_t deadline = tether_now_usec() + cases[i].deadline_in;
                struct remote_result result;
                int r;

                memset(&host, 0, sizeof(host));
                memcpy(host.open, cases[i].open, sizeof(host.open));
                memcpy(host.exec, cases[i].exec, sizeof(host.exec));
                host.out = cases[i].no_output ? NULL : "{\"schema\":\"tether.host/1\"}";
                host.read_breaks = cases[i].read_breaks;
                host.connected = cases[i].connected;
                host.error_text = cases[i].error_text;

                r = remote_exec(fake_session, "true", NULL, deadline, &result);
                if (r != cases[i].r || (r < 0 && result.step != cases[i].step) ||
                    result.command_sent != cases[i].command_sent)
                        fail_msg("%s: got %d at step %s (command sent: %d), expected %d at %s (%d)",
                                 cases[i].name, r, remote_step_to_string(result.step), result.command_sent,
                                 cases[i].r, remote_step_to_string(cases[i].step), cases[i].command_sent);
                assert_string_equal(result.ssh_error, cases[i].ssh_error);
                if (cases[i].n_open)
                        assert_int_equal(host.n_open, cases[i].n_open);
                assert_int_equal(host.n_exec, cases[i].n_exec);
                if (r == 0) {
                        assert_string_equal(result.out.data, "{\"schema\":\"tether.host/1\"}");
                        assert_int_equal(result.exit_status, 0);
                } else
                        assert_true(result.step_ms < 60 * 1000);
                remote_result_clear(&result);
        }
}

/* Each blocking call waits what is left of the deadline, to the
 * millisecond, and at least 1 ms: 0 s and 0 µs would be libssh's 10 s. */
static void test_session_timeout_follows_the_deadline(void **state) {
        struct remote_result result;

        memset(&host, 0, sizeof(host));
        host.open[0] = host.exec[0] = SSH_OK;
        host.out = "{}";
        host.connected = true;
        assert_int_equal(remote_exec(fake_session, "true", NULL, tether_now_usec() + SECONDS(300), &result),
                         0);
        assert_true(host.n_timeouts >= 4); /* open, exec, read, exit status, close */
        assert_true(host.timeout_sec >= 298 && host.timeout_sec <= 300);
        assert_true(host.timeout_usec >= 0 && host.timeout_usec < 1000000);
        remote_result_clear(&result);

        memset(&host, 0, sizeof(host));
        host.open[0] = SSH_AGAIN;
        assert_int_equal(remote_exec(fake_session, "true", NULL, tether_now_usec(), &result), -ETIMEDOUT);
        assert_int_equal(host.timeout_sec, 0);
        assert_int_equal(host.timeout_usec, 1000);
        remote_result_clear(&result);
}

/* stdout is capped (a host that floods it fails, -EFBIG); stderr keeps its
 * first REMOTE_STDERR_KEEP bytes, and the rest is read and dropped. */
static void test_output_caps(void **state) {
        static const struct {
                size_t out_flood, err_flood;
                int r;
                size_t err_kept, err_dropped;
        } caps[] = {
                {0, 0, 0, 0, 0},
                {REMOTE_OUTPUT_LIMIT - 64, 0, 0, 0, 0},
                {REMOTE_OUTPUT_LIMIT + 1, 0, -EFBIG, 0, 0},
                {8u << 20, 0, -EFBIG, 0, 0},
                {0, REMOTE_STDERR_KEEP, 0, REMOTE_STDERR_KEEP, 0},
                {0, 8u << 20, 0, REMOTE_STDERR_KEEP, (8u << 20) - REMOTE_STDERR_KEEP},
        };

        for (size_t i = 0; i < ELEMENTSOF(caps); i++) {
                struct remote_result result;
                int r;

                memset(&host, 0, sizeof(host));
                host.out = "{}";
                host.connected = true;
                host.out_flood = caps[i].out_flood;
                host.err_flood = caps[i].err_flood;
                r = remote_exec(fake_session, "true", NULL, tether_now_usec() + SECONDS(60), &result);
                if (r != caps[i].r)
                        fail_msg("case %zu: %d, expected %d", i, r, caps[i].r);
                if (r == 0) {
                        assert_int_equal(result.err.length, caps[i].err_kept);
                        assert_int_equal(result.err_dropped, caps[i].err_dropped);
                        assert_int_equal(result.out.length, caps[i].out_flood + 2);
                }
                remote_result_clear(&result);
        }
}

/* While a command prints nothing, each read of stdout waits twice as long
 * as the one before, to a second; any output starts it short again; while
 * sudo's prompt may come on stderr, every read is short; and no read waits
 * past the deadline. */
static void test_read_slices(void **state) {
        static const struct {
                const char *name;
                size_t quiet_reads;
                const char *err_while_quiet, *sudo_prompt;
                uint64_t deadline_ms;
                int timeouts[11];
        } slices[] = {
                {"quiet", 8, NULL, NULL, 60000, {50, 100, 200, 400, 800, 1000, 1000, 1000, 1000, 50}},
                {"stderr at read 4",
                 8,
                 "warning\n",
                 NULL,
                 60000,
                 {50, 100, 200, 400, 50, 100, 200, 400, 800, 50}},
                {"sudo's prompt may come",
                 6,
                 NULL,
                 "[tether-sudo-00]",
                 60000,
                 {50, 50, 50, 50, 50, 50, 50, 50}},
                {"the deadline near", 3, NULL, NULL, 120, {50, 100, 120, 120, 50}},
        };

        for (size_t i = 0; i < ELEMENTSOF(slices); i++) {
                const struct remote_input input = {.sudo_prompt = slices[i].sudo_prompt, .password = "x"};
                struct remote_result result;
                /* The quiet reads, the one that finds out, and the one that finds its end. */
                size_t n = slices[i].quiet_reads + 2;

                memset(&host, 0, sizeof(host));
                host.connected = true;
                host.out = "{}";
                host.quiet_reads = slices[i].quiet_reads;
                host.err_while_quiet = slices[i].err_while_quiet;
                (void)remote_exec(fake_session, "true", slices[i].sudo_prompt ? &input : NULL,
                                  tether_now_usec() + slices[i].deadline_ms * 1000, &result);
                assert_int_equal(host.n_out_reads, n);
                for (size_t k = 0; k < n; k++) {
                        /* What is left of the deadline is a little less than it was. */
                        int expected = slices[i].timeouts[k], seen = host.out_timeouts[k];

                        if (seen > expected || (slices[i].deadline_ms > 1000 && seen != expected))
                                fail_msg("%s: read %zu waited %d ms, expected %d", slices[i].name, k, seen,
                                         expected);
                }
                remote_result_clear(&result);
        }
}

#define NONCE "[tether-sudo-0011223344556677]"

/* sudo's prompts, as remote_exec() meets them: the password goes to stdin
 * once, at tether's prompt; when sudo shows it again, whatever came
 * between, the command is given up at once, without its exit status (the
 * scripted host would never end it). */
static void test_sudo_prompts(void **state) {
        static const struct {
                const char *name;
                const char *err, *err_after_password;
                bool ends; /* the command prints and ends */
                enum sudo_prompt_state sudo_prompt;
                const char *err_kept;
        } prompts[] = {
                {"the password, the agent runs", NONCE, NULL, true, SUDO_PROMPT_NONE, ""},
                {"no prompt (NOPASSWD)", "", NULL, true, SUDO_PROMPT_NONE, ""},
                {"a wrong password", NONCE, "Sorry, try again.\n" NONCE, false, SUDO_PROMPT_REFUSED,
                 NONCE "Sorry, try again.\n" NONCE},
                {"a second question", NONCE, NONCE, false, SUDO_PROMPT_ASKED_AGAIN, NONCE NONCE},
        };
        const struct remote_input input = {.sudo_prompt = NONCE, .password = "hunter2"};

        for (size_t i = 0; i < ELEMENTSOF(prompts); i++) {
                struct remote_result result;
                int r;

                memset(&host, 0, sizeof(host));
                host.connected = true;
                host.err = prompts[i].err;
                host.err_after_password = prompts[i].err_after_password;
                host.out = prompts[i].ends ? "{}" : NULL;
                host.out_after_password = prompts[i].err[0] != '\0';
                r = remote_exec(fake_session, "true", &input, tether_now_usec() + SECONDS(60), &result);
                if (r != 0 || result.sudo_prompt != prompts[i].sudo_prompt)
                        fail_msg("%s: %d, sudo's prompt judged %d, expected %d", prompts[i].name, r,
                                 result.sudo_prompt, prompts[i].sudo_prompt);
                assert_int_equal(result.password_sent, prompts[i].err[0] != '\0');
                assert_int_equal(host.n_written, prompts[i].err[0] ? strlen("hunter2\n") : 0);
                assert_memory_equal(host.written, "hunter2\n", host.n_written);
                assert_string_equal(result.err.data ? result.err.data : "", prompts[i].err_kept);
                assert_int_equal(result.exit_status, prompts[i].ends ? 0 : -1);
                remote_result_clear(&result);
        }
}

static void test_step_names(void **state) {
        static const char *const names[] = {"open", "read", "write", "exit-status"};

        assert_string_equal(remote_step_to_string(REMOTE_STEP_EXEC), "exec");
        assert_string_equal(remote_step_to_string(REMOTE_STEP_OPEN), names[0]);
        assert_string_equal(remote_step_to_string(REMOTE_STEP_READ), names[1]);
        assert_string_equal(remote_step_to_string(REMOTE_STEP_WRITE), names[2]);
        assert_string_equal(remote_step_to_string(REMOTE_STEP_EXIT_STATUS), names[3]);
        assert_null(remote_step_to_string(_REMOTE_STEP_MAX));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_steps),
                cmocka_unit_test(test_session_timeout_follows_the_deadline),
                cmocka_unit_test(test_output_caps),
                cmocka_unit_test(test_read_slices),
                cmocka_unit_test(test_sudo_prompts),
                cmocka_unit_test(test_step_names),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
