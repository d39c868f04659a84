/* SPDX-License-Identifier: MIT */
/*
 * A growable string with a size limit, after curl's dynbuf: appending past
 * the limit, or failing to allocate, marks the buffer failed, and every later
 * append is a no-op, so a caller checks once at the end.
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "macro.h"

#define STRBUF_DEFAULT_LIMIT (64u * 1024 * 1024)

struct strbuf {
        char *data; /* NUL-terminated while not failed; NULL before the first append */
        size_t length;
        size_t allocated;
        size_t limit; /* 0: STRBUF_DEFAULT_LIMIT */
        bool failed;
        bool too_big; /* failed because of the limit */
};

#define STRBUF_INIT \
        { .data = NULL }

void strbuf_append_n(struct strbuf *buf, const char *s, size_t n);
void strbuf_append(struct strbuf *buf, const char *s);
void strbuf_appendf(struct strbuf *buf, const char *format, ...) _printf_(2, 3);
/* Hands the string out (an empty string when nothing was appended), or NULL
 * if the buffer failed; the buffer is empty afterwards. */
char *strbuf_steal(struct strbuf *buf);
void strbuf_free(struct strbuf *buf);
