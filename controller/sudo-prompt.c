/* SPDX-License-Identifier: MIT */
/*
 * The judge of sudo's prompts (see sudo-prompt.h). stderr is searched as
 * bytes, not as a C string: a host may send NUL bytes, and a prompt after
 * them must still be found.
 *
 *   "[n]Sorry, try again.\n[n]"  ->  2 nonces, words between: refused
 *   "[n][n]"                     ->  2 nonces, nothing between: asked again
 *   "[n]\nVerification code: "   ->  after the last nonce and line break,
 *                                    "Verification code: ": not ours
 */
#include <string.h>

#include "sudo-prompt.h"

static bool only_white_space(const char *p, const char *end) {
        for (; p < end; p++)
                if (!strchr(" \t\r\n", *p) || *p == '\0')
                        return false;
        return true;
}

/* How many times ours shows in the text, where the last one ends, and
 * whether the second came right after the first (nothing but white space
 * between). */
static size_t count_ours(const struct sudo_prompt_seen *seen, size_t *ret_end, bool *ret_adjacent) {
        size_t length = strlen(seen->ours), count = 0, end = 0;
        bool adjacent = false;

        /* An empty stderr may have no buffer at all. */
        while (seen->err && length > 0 && seen->err_length - end >= length) {
                const char *from = seen->err + end;
                const char *found = memmem(from, seen->err_length - end, seen->ours, length);

                if (!found)
                        break;
                if (++count == 2)
                        adjacent = only_white_space(from, found);
                end = (size_t)(found - seen->err) + length;
        }
        *ret_end = end;
        if (ret_adjacent)
                *ret_adjacent = adjacent;
        return count;
}

void sudo_prompt_not_ours(const struct sudo_prompt_seen *seen, size_t *ret_start, size_t *ret_length) {
        size_t start;

        (void)count_ours(seen, &start, NULL);
        for (size_t i = start; i < seen->err_length; i++)
                if (seen->err[i] == '\n')
                        start = i + 1;
        *ret_start = start;
        *ret_length = seen->err_length - start;
}

/* Whether what follows the last nonce and line break is a prompt: text
 * with something in it besides spaces. */
static bool ends_in_prompt(const struct sudo_prompt_seen *seen) {
        size_t start, length;

        sudo_prompt_not_ours(seen, &start, &length);
        for (size_t i = 0; i < length; i++)
                if (seen->err[start + i] != ' ' && seen->err[start + i] != '\t')
                        return true;
        return false;
}

enum sudo_prompt_state sudo_prompt_judge(const struct sudo_prompt_seen *seen) {
        bool adjacent;
        size_t last_end, count = count_ours(seen, &last_end, &adjacent);

        if (count > 0 && !seen->password_sent)
                return SUDO_PROMPT_OURS;
        if (count > 1)
                return adjacent ? SUDO_PROMPT_ASKED_AGAIN : SUDO_PROMPT_REFUSED;
        /* Once the command printed on stdout, sudo is done asking. */
        if (seen->out_seen || seen->quiet_ms < SUDO_PROMPT_WAIT_MS)
                return SUDO_PROMPT_NONE;
        return ends_in_prompt(seen) ? SUDO_PROMPT_NOT_OURS : SUDO_PROMPT_NONE;
}
