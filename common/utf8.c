/* SPDX-License-Identifier: MIT */
/*
 * One UTF-8 code point at a time (see utf8.h). A lead byte gives the
 * length and the top bits, each continuation byte six more bits:
 *
 *   "\xe2\x80\xa6"  1110 0010, 10 000000, 10 100110  ->  U+2026, 3 bytes
 *
 * The shortest form is the only valid one, so U+2026 cannot also be
 * "\xf0\x82\x80\xa6"; the lead bytes 0xc0 and 0xc1 could only start
 * overlong forms and are refused at once, the others once decoded.
 */
#include <string.h>

#include "utf8.h"

uint32_t tether_utf8_decode(const char *s, size_t length, size_t *ret_length) {
        const unsigned char *p = (const unsigned char *)s;
        uint32_t c;
        size_t n;

        if (p[0] < 0x80) {
                *ret_length = 1;
                return p[0];
        }
        if (p[0] >= 0xc2 && p[0] <= 0xdf) {
                n = 2;
                c = p[0] & 0x1f;
        } else if ((p[0] & 0xf0) == 0xe0) {
                n = 3;
                c = p[0] & 0x0f;
        } else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
                n = 4;
                c = p[0] & 0x07;
        } else
                goto invalid;
        if (n > length)
                goto invalid;
        for (size_t i = 1; i < n; i++) {
                if ((p[i] & 0xc0) != 0x80)
                        goto invalid;
                c = c << 6 | (p[i] & 0x3f);
        }
        if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
            (c >= 0xd800 && c <= 0xdfff))
                goto invalid;
        *ret_length = n;
        return c;
invalid:
        *ret_length = 1;
        return TETHER_UTF8_INVALID;
}

uint32_t tether_utf8_next(const char *s, size_t *ret_length) {
        /* A continuation byte is never NUL, so no sequence reaches past it. */
        uint32_t c = tether_utf8_decode(s, strnlen(s, 4), ret_length);

        return c == TETHER_UTF8_INVALID ? TETHER_UTF8_REPLACEMENT : c;
}

bool tether_utf8_is_valid(const char *s, size_t length) {
        for (size_t i = 0, n; i < length; i += n)
                if (tether_utf8_decode(s + i, length - i, &n) == TETHER_UTF8_INVALID)
                        return false;
        return true;
}
