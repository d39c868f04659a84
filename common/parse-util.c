/* SPDX-License-Identifier: MIT */
/*
 * Range-checked parsing of whole numbers (see parse-util.h). The value is
 * accumulated in 64 bits and stops growing once past max, so no count of
 * digits can overflow it: "99999999999999999999" is -ERANGE, not a wrap.
 */
#include <errno.h>
#include <stdint.h>

#include "parse-util.h"

int tether_parse_unsigned(const char *text, unsigned min, unsigned max, unsigned *ret) {
        uint64_t value = 0;

        if (!text || !*text)
                return -EINVAL;
        for (const char *c = text; *c; c++) {
                if (*c < '0' || *c > '9')
                        return -EINVAL;
                if (value <= max)
                        value = value * 10 + (uint64_t)(*c - '0');
        }
        if (value < min || value > max)
                return -ERANGE;
        *ret = (unsigned)value;
        return 0;
}
