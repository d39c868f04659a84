/* SPDX-License-Identifier: MIT */
/*
 * First-error-wins recording of a failure's code and human text
 * (see error.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "error.h"

int tether_error_set(struct tether_error *error, int code, const char *format, ...) {
        va_list ap;

        if (code >= 0)
                code = -EINVAL;
        if (!error || error->code != 0)
                return code;

        error->code = code;
        va_start(ap, format);
        vsnprintf(error->text, sizeof(error->text), format, ap);
        va_end(ap);
        return code;
}

void tether_error_clear(struct tether_error *error) {
        if (!error)
                return;
        error->code = 0;
        error->text[0] = '\0';
}
