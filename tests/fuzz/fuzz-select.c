/* SPDX-License-Identifier: MIT */
/* --limit patterns (the first line), matched against host names and tags (the other lines). */
#include <stdbool.h>

#include "fuzz.h"
#include "select.h"

/* Whether text has a run of more than three digits: a range that expands
 * to thousands of names, each input a slow one, which finds nothing new. */
static bool has_long_number(const char *text) {
        for (size_t run = 0; *text; text++) {
                run = *text >= '0' && *text <= '9' ? run + 1 : 0;
                if (run > 3)
                        return true;
        }
        return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *text = size <= 4096 ? fuzz_string(data, size) : NULL;
        char *names, *tags[] = {(char *)"web", (char *)"prod", NULL};
        struct tether_select *select = NULL;

        if (!text || has_long_number(text)) {
                free(text);
                return 0;
        }
        names = strchr(text, '\n');
        if (names)
                *names++ = '\0';
        if (tether_select_parse(text, &select, NULL) == 0) {
                for (char *name = names; name && *name;) {
                        char *end = strchr(name, '\n');
                        struct tether_host host = {.name = name, .tags = tags, .n_tags = 2};

                        if (end)
                                *end = '\0';
                        (void)tether_select_match(select, &host);
                        name = end ? end + 1 : NULL;
                }
                tether_select_free(select);
        }
        free(text);
        return 0;
}
