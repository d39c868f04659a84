/* SPDX-License-Identifier: MIT */
/* What `tether-agent result` prints, read back after a lost connection. */
#include "fuzz.h"
#include "read-back.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        json_t *document = NULL;
        char why[512];

        (void)read_back_judge((const char *)data, size, "20261127T195811Z-8b58b4", &document, why,
                              sizeof(why));
        json_decref(document);
        return 0;
}
