/* SPDX-License-Identifier: MIT */
/* A saved report, rendered in every format (tether report render): reports come from other machines. */
#include "cmd-report.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static const char *const formats[] = {"text", "json", "junit", "markdown", "html"};
        json_t *report = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);

        for (size_t i = 0; report && i < sizeof(formats) / sizeof(formats[0]); i++) {
                char *text = NULL;

                if (report_render_to(report, formats[i], i == 0, &text, NULL) == 0)
                        free(text);
        }
        json_decref(report);
        return 0;
}
