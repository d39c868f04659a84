/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for controller/sudo-prompt.c: one table of what sudo's stderr
 * showed, how long ago, and whether stdout had anything, with what the
 * judge makes of it; and the prompt not tether's that a host waits at, as
 * it is quoted.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "macro.h"
#include "sudo-prompt.h"

#define OURS "[tether-sudo-0011223344556677]"
#define WAITED SUDO_PROMPT_WAIT_MS
#define NOT_YET (SUDO_PROMPT_WAIT_MS - 1)

static const struct {
        const char *name;
        const char *err;
        bool password_sent, out_seen;
        uint64_t quiet_ms;
        enum sudo_prompt_state expected;
} judgements[] = {
        /* name, stderr, password sent, stdout seen, quiet for, judged */
        {"nothing yet", "", false, false, WAITED, SUDO_PROMPT_NONE},
        {"ours", OURS, false, false, 0, SUDO_PROMPT_OURS},
        {"ours after sudo's lecture", "\nWe trust you have received the usual lecture\n\n" OURS, false,
         false, 0, SUDO_PROMPT_OURS},
        {"ours, answered", OURS, true, false, WAITED, SUDO_PROMPT_NONE},
        {"ours, answered, a line after it", OURS "\n", true, false, WAITED, SUDO_PROMPT_NONE},
        {"a wrong password", OURS "Sorry, try again.\n" OURS, true, false, 0, SUDO_PROMPT_REFUSED},
        {"a wrong password, in German",
         OURS "Das hat leider nicht funktioniert, bitte nochmal probieren.\n" OURS, true, false, 0,
         SUDO_PROMPT_REFUSED},
        {"a second question", OURS OURS, true, false, 0, SUDO_PROMPT_ASKED_AGAIN},
        {"a second question after a line break", OURS "\n" OURS, true, false, 0, SUDO_PROMPT_ASKED_AGAIN},
        {"ours twice, unanswered (sudo cannot)", OURS OURS, false, false, 0, SUDO_PROMPT_OURS},
        {"a prompt not ours, just shown", "Verification code: ", false, false, NOT_YET, SUDO_PROMPT_NONE},
        {"a prompt not ours, waiting", "Verification code: ", false, false, WAITED, SUDO_PROMPT_NOT_OURS},
        {"Kerberos's prompt, waiting", "Password for ops@EXAMPLE.NET: ", false, false, WAITED,
         SUDO_PROMPT_NOT_OURS},
        {"a prompt not ours after PAM's message",
         "Duo two-factor login for ops\n\nPasscode or option (1-1): ", false, false, WAITED,
         SUDO_PROMPT_NOT_OURS},
        {"a prompt not ours after ours was answered", OURS "Verification code: ", true, false, WAITED,
         SUDO_PROMPT_NOT_OURS},
        {"a prompt not ours, stdout seen", "Verification code: ", false, true, WAITED, SUDO_PROMPT_NONE},
        {"a warning line, the agent slow to start",
         "sudo: unable to resolve host db-01: Name or service not "
         "known\n",
         false, false, WAITED, SUDO_PROMPT_NONE},
        {"the agent's line, slow", OURS "tether-agent: waiting for the lock\n", true, false, WAITED,
         SUDO_PROMPT_NONE},
        {"white space only", "  \t", false, false, WAITED, SUDO_PROMPT_NONE},
        {"ESC, OSC and C1 CSI before a prompt",
         "\x1b[2J\x1b]52;c;aGk=\x07\xc2\x9b"
         "Code: ",
         false, false, WAITED, SUDO_PROMPT_NOT_OURS},
};

static void test_judge(void **state) {
        for (size_t i = 0; i < ELEMENTSOF(judgements); i++) {
                struct sudo_prompt_seen seen = {
                        .err = judgements[i].err,
                        .err_length = strlen(judgements[i].err),
                        .ours = OURS,
                        .password_sent = judgements[i].password_sent,
                        .out_seen = judgements[i].out_seen,
                        .quiet_ms = judgements[i].quiet_ms,
                };
                enum sudo_prompt_state judged = sudo_prompt_judge(&seen);

                if (judged != judgements[i].expected)
                        fail_msg("%s: judged %d, expected %d", judgements[i].name, judged,
                                 judgements[i].expected);
        }
}

static const struct {
        const char *err;
        const char *prompt;
} prompts[] = {
        {"Verification code: ", "Verification code: "},
        {"Duo two-factor login for ops\n\nPasscode or option (1-1): ", "Passcode or option (1-1): "},
        {OURS "Verification code: ", "Verification code: "},
        {OURS "\nsudo: a password is required\n", ""},
        {"", ""},
};

/* A host may send NUL bytes: the prompt after one is still found. */
static void test_nul_before_a_prompt(void **state) {
        static const char err[] = "\0Code: ";
        struct sudo_prompt_seen seen = {
                .err = err, .err_length = sizeof(err) - 1, .ours = OURS, .quiet_ms = WAITED};
        size_t start, length;

        assert_int_equal(sudo_prompt_judge(&seen), SUDO_PROMPT_NOT_OURS);
        sudo_prompt_not_ours(&seen, &start, &length);
        assert_int_equal(start, 0);
        assert_int_equal(length, sizeof(err) - 1);
}

static void test_prompt_not_ours(void **state) {
        for (size_t i = 0; i < ELEMENTSOF(prompts); i++) {
                struct sudo_prompt_seen seen = {
                        .err = prompts[i].err, .err_length = strlen(prompts[i].err), .ours = OURS};
                size_t start, length;

                sudo_prompt_not_ours(&seen, &start, &length);
                assert_int_equal(length, strlen(prompts[i].prompt));
                assert_memory_equal(prompts[i].err + start, prompts[i].prompt, length);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_judge),
                cmocka_unit_test(test_prompt_not_ours),
                cmocka_unit_test(test_nul_before_a_prompt),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
