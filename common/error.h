/* SPDX-License-Identifier: MIT */
/*
 * The error a failing call hands back to its caller: an errno-style code for
 * the program to branch on and a sentence for the human, which names the
 * problem and the fix. Like jansson's json_error_t, the first error set wins:
 * a low-level cause is not overwritten by the generic failure of its caller.
 */
#pragma once

#include <stdbool.h>

#include "macro.h"

#define TETHER_ERROR_TEXT_MAX 1024

struct tether_error {
        int code;                         /* 0, or a negative errno value */
        char text[TETHER_ERROR_TEXT_MAX]; /* "" while code is 0 */
};

#define TETHER_ERROR_INIT \
        { .code = 0, .text = "" }

/* Records code and the formatted text in *error unless an error is already
 * recorded there; error may be NULL. Returns code (negative), so a caller
 * can write: return tether_error_set(error, -EINVAL, "...", ...); */
int tether_error_set(struct tether_error *error, int code, const char *format, ...) _printf_(3, 4);

static inline bool tether_error_is_set(const struct tether_error *error) {
        return error && error->code != 0;
}

void tether_error_clear(struct tether_error *error);
