/* SPDX-License-Identifier: MIT */
/*
 * A value from a file, a command line or a remote host, quoted for an error
 * message so that it can neither forge nor flood the message: in double
 * quotes, with quotes and backslashes escaped, every byte outside printable
 * ASCII as \xNN, and cut after TETHER_QUOTE_INPUT_MAX bytes with "..."
 * after the closing quote. "web\n01" and "caf\xc3\xa9" (as C literals) give
 *
 *   "web\x0a01"   "caf\xc3\xa9"
 */
#pragma once

#include <stddef.h>

/* A value is quoted with at most this many of its bytes. */
#define TETHER_QUOTE_INPUT_MAX 64
/* Each byte may become "\xNN"; two quotes, "...", NUL. */
#define TETHER_QUOTE_SIZE (4 * TETHER_QUOTE_INPUT_MAX + 6)

/* The length bytes at s (borrowed; may hold NUL bytes, which are escaped)
 * quoted into buffer. Returns buffer, for use as a printf argument. */
const char *tether_quote(const char *s, size_t length, char buffer[static TETHER_QUOTE_SIZE]);

/* As tether_quote() for the NUL-terminated s, of which only the first
 * TETHER_QUOTE_INPUT_MAX + 1 bytes are read. */
const char *tether_quote_string(const char *s, char buffer[static TETHER_QUOTE_SIZE]);
