/* SPDX-License-Identifier: MIT */
/*
 * What sudo's stderr says about its prompts, while the command runs. tether
 * runs `sudo -S -p "[tether-sudo-NONCE]"` and answers the password when its
 * nonce shows. sudo (sudoers, since 1.7) shows that prompt for every
 * question PAM asks, so a second factor (a one-time code, a Kerberos
 * password) shows the nonce a second time; a sudo that does not honour -p,
 * or a wrapper around it, shows a prompt of its own and waits. As stderr
 * arrives:
 *
 *   "[tether-sudo-0a1b]"                            ours: answer it
 *   "[tether-sudo-0a1b]Sorry, try again.\n[tether-sudo-0a1b]"
 *                                                   refused: a wrong password
 *   "[tether-sudo-0a1b][tether-sudo-0a1b]"          asked again: a second question
 *   "Verification code: "  (nothing more for 10 s)  a prompt not ours
 *   "sudo: unable to resolve host db-01\n"          nothing: a line, not a prompt
 *
 * A wrong password and a second question both show the nonce again, and
 * nothing will answer it (the password went with an end of input); sudo
 * says something between the two only for the first, in whatever words
 * its locale and badpass_message give it. A prompt not ours is text after
 * the last nonce (or from the start) that
 * does not end a line, with nothing on stdout and nothing more on either
 * stream for SUDO_PROMPT_WAIT_MS: what sudo, PAM and the agent write
 * otherwise is whole lines, and a prompt is the last thing written before
 * a read that nothing will answer.
 *
 * Nothing here does I/O or keeps state; every function borrows its text.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How long text that looks like a prompt must stand, with nothing after
 * it, before it is one. A prompt never gets more; the wait only has to
 * outlast a stall of the connection in the middle of a line: TCP resends a
 * lost segment after 1, 3 and 7 s, and 10 s still end the host long before
 * any --timeout an agent's run needs (300 s by default). */
#define SUDO_PROMPT_WAIT_MS 10000u

/* A prompt not ours is quoted up to this many characters. */
#define SUDO_PROMPT_QUOTE_CHARS_MAX 80u

enum sudo_prompt_state {
        SUDO_PROMPT_NONE,        /* nothing to do: read on */
        SUDO_PROMPT_OURS,        /* our prompt, not answered yet: write the password */
        SUDO_PROMPT_REFUSED,     /* our prompt again after a word from sudo ("Sorry, try again."):
                                    the password is wrong */
        SUDO_PROMPT_ASKED_AGAIN, /* our prompt again right after the first: PAM asks a second
                                    question (a one-time code) */
        SUDO_PROMPT_NOT_OURS,    /* a prompt tether did not set, left waiting */
};

/* What the command has shown so far. */
struct sudo_prompt_seen {
        const char *err; /* stderr as kept, err_length bytes (may hold NUL bytes) */
        size_t err_length;
        const char *ours;   /* tether's prompt, "[tether-sudo-NONCE]" */
        bool password_sent; /* tether answered its prompt */
        bool out_seen;      /* stdout had a byte: the command runs */
        uint64_t quiet_ms;  /* since the last byte on either stream */
};

enum sudo_prompt_state sudo_prompt_judge(const struct sudo_prompt_seen *seen);

/* The prompt not ours that seen ends with, in *ret_start and *ret_length
 * (within seen->err): the text after the last nonce and the last line
 * break. Its length is 0 when there is none. */
void sudo_prompt_not_ours(const struct sudo_prompt_seen *seen, size_t *ret_start, size_t *ret_length);
