/* SPDX-License-Identifier: MIT */
/*
 * What every fuzz harness shares: libFuzzer's entry point, and the input as
 * a NUL-terminated string for the parsers that take one.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* data as a new NUL-terminated string (a NUL inside ends it early, as it
 * would for a C caller); NULL when out of memory. */
static inline char *fuzz_string(const uint8_t *data, size_t size) {
        char *s = malloc(size + 1);

        if (s) {
                memcpy(s, data, size);
                s[size] = '\0';
        }
        return s;
}
