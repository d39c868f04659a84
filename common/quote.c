/* SPDX-License-Identifier: MIT */
/*
 * Quoting values for error messages (see quote.h). Every byte outside
 * printable ASCII is escaped, so the quoted text is plain ASCII whatever
 * the input: a cut inside a UTF-8 sequence leaves no broken character
 * behind, and neither a C1 control nor a bidi override reaches a terminal.
 * A byte becomes at most four, so the buffer has a fixed size. The 70
 * bytes "say \"hi\"\n" followed by 61 'x' (as a C literal) give
 *
 *   "say \"hi\"\x0axxx...xxx"...
 *
 * with 55 of the 'x': 64 bytes of input, then "..." for the 6 left out.
 */
#include <stdio.h>
#include <string.h>

#include "quote.h"

const char *tether_quote(const char *s, size_t length, char buffer[static TETHER_QUOTE_SIZE]) {
        size_t end = length > TETHER_QUOTE_INPUT_MAX ? TETHER_QUOTE_INPUT_MAX : length, out = 0;

        buffer[out++] = '"';
        for (size_t i = 0; i < end; i++) {
                unsigned char c = (unsigned char)s[i];

                if (c == '"' || c == '\\') {
                        buffer[out++] = '\\';
                        buffer[out++] = (char)c;
                } else if (c < 0x20 || c >= 0x7f) {
                        snprintf(buffer + out, 5, "\\x%02x", c);
                        out += 4;
                } else
                        buffer[out++] = (char)c;
        }
        buffer[out++] = '"';
        if (end < length) {
                memcpy(buffer + out, "...", 3);
                out += 3;
        }
        buffer[out] = '\0';
        return buffer;
}

const char *tether_quote_string(const char *s, char buffer[static TETHER_QUOTE_SIZE]) {
        /* One byte past the limit tells a cut value from one that fits. */
        return tether_quote(s, strnlen(s, TETHER_QUOTE_INPUT_MAX + 1), buffer);
}
