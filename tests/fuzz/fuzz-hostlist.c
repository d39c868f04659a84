/* SPDX-License-Identifier: MIT */
/* Host lists: expanding a folded list, and folding the names back. */
#include "fuzz.h"
#include "hostlist.h"
#include "macro.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *text, **names = NULL;
        size_t n = 0;

        /* A short list can name a million hosts; longer inputs add nothing. */
        if (size > 512)
                return 0;
        text = fuzz_string(data, size);
        if (text && tether_hostlist_expand(text, &names, &n, NULL) == 0 && n <= 10000) {
                free(tether_hostlist_fold((const char *const *)names, n));
        }
        strv_free(names);
        free(text);
        return 0;
}
