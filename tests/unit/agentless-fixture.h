/* SPDX-License-Identifier: MIT */
/*
 * What the agentless unit tests share: the boundary of the fixtures in
 * tests/unit/fixtures/agentless (real answers of fleet hosts, gathered with
 * it), a fixture read whole, and its sections. Each fails the test (cmocka)
 * instead of returning an error; strings and sections are the caller's.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fileio.h"
#include "sections.h"

#define BOUNDARY "@tether-0123456789abcdef0123456789abcdef"

/* Not inlined: gcc 12 then takes the text for a local that dies (-Wdangling-pointer). */
__attribute__((noinline)) static char *fixture(const char *name) {
        char path[256], *text = NULL;

        snprintf(path, sizeof(path), "tests/unit/fixtures/agentless/%s", name);
        if (tether_read_file(path, 1024 * 1024, &text, NULL, NULL) < 0)
                fail_msg("cannot read %s", path);
        return text;
}

static inline struct tether_sections *sections_of(const char *text) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_sections *sections = NULL;

        if (tether_sections_parse(text, strlen(text), BOUNDARY, &sections, &error) < 0)
                fail_msg("%s", error.text);
        return sections;
}
