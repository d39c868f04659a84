/* SPDX-License-Identifier: MIT */
/*
 * Decoding UTF-8 one code point at a time, for writers that must know each
 * character (to escape it, or to count characters for a cut): well-formed
 * UTF-8 as RFC 3629 has it, with anything else read one byte at a time, as
 * TETHER_UTF8_INVALID or U+FFFD, so a writer never copies malformed bytes
 * out; and the check that a whole text is well-formed. Which characters a
 * writer must not show as themselves is escape.h's business.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TETHER_UTF8_REPLACEMENT 0xfffdu
/* Not a code point: what tether_utf8_decode() returns for malformed input. */
#define TETHER_UTF8_INVALID 0xffffffffu

/* The code point at s, of which length bytes (at least 1) may be read, and
 * in *ret_length its length in bytes (1 to 4). A byte that does not start a
 * well-formed sequence within those bytes (a continuation byte, an overlong
 * form, a surrogate, past U+10FFFF, truncated, 0xc0, 0xc1 or 0xf5 to 0xff)
 * is TETHER_UTF8_INVALID of length 1, so a caller can show that byte. A NUL
 * is U+0000 of length 1, like any other character. s is borrowed. */
uint32_t tether_utf8_decode(const char *s, size_t length, size_t *ret_length);

/* The code point at s and, in *ret_length, its length in bytes (1 to 4).
 * A byte that does not start a well-formed sequence (a continuation byte,
 * an overlong form, a surrogate, past U+10FFFF, truncated, 0xc0, 0xc1 or
 * 0xf5 to 0xff) is TETHER_UTF8_REPLACEMENT of length 1. s is borrowed and
 * NUL-terminated: the decoder reads no further than a NUL, which it returns
 * as U+0000 of length 1. */
uint32_t tether_utf8_next(const char *s, size_t *ret_length);

/* Whether the length bytes at s (borrowed) are well-formed UTF-8 through and
 * through: what jansson accepts in a string, NUL bytes aside. */
bool tether_utf8_is_valid(const char *s, size_t length);
