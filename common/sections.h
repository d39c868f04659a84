/* SPDX-License-Identifier: MIT */
/*
 * The output of a script that gathers a host's facts without the agent:
 * one section a command, each between two marker lines, so that any bytes
 * a command prints (a file without its last newline, a line that looks
 * like a marker of another run) come back as they were:
 *
 *   <boundary> begin NAME\n                (NAME: the rest of the line)
 *   ...what the command printed...\n      (the script adds this newline)
 *   <boundary> end NAME STATUS\n
 *
 * The boundary is a token the controller makes for each run (random, in
 * the script it sends), so no file on the host can hold it by accident.
 * Text outside sections (a banner of the login shell) is ignored.
 */
#pragma once

#include <stddef.h>

#include "error.h"

struct tether_section {
        char *name;
        char *text; /* what the command printed, NUL-terminated; it holds no NUL */
        size_t length;
        int status; /* its exit status */
};

struct tether_sections {
        struct tether_section *items;
        size_t n_items;
};

/* Splits output (length bytes) at boundary's markers. Returns 0 and new
 * sections in *ret (untouched on failure); -EBADMSG with a message naming
 * the section for a section begun and never ended (the host stopped
 * talking), ended under another name, named twice, with a status that is
 * not a number, or holding a NUL byte; -ENOMEM. */
int tether_sections_parse(const char *output, size_t length, const char *boundary,
                          struct tether_sections **ret, struct tether_error *error);

/* The section named name, or NULL. */
const struct tether_section *tether_sections_get(const struct tether_sections *sections, const char *name);

/* The text of the section named name when its command succeeded (status
 * 0); NULL when it failed or is not there. */
const char *tether_sections_output(const struct tether_sections *sections, const char *name);

/* Frees them; accepts NULL; returns NULL. */
struct tether_sections *tether_sections_free(struct tether_sections *sections);
static inline void tether_sections_freep(struct tether_sections **sections) {
        tether_sections_free(*sections);
}
