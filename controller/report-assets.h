/* SPDX-License-Identifier: MIT */
/*
 * The HTML report's CSS and script, controller/assets/report.css and
 * report.js, compiled in at build time: tools/embed-asset makes
 * build/gen/report-assets.c from the files, with the Content-Security-Policy
 * source of each computed from its bytes, so the page's CSP always allows
 * exactly the style and script it carries.
 */
#pragma once

#include <stddef.h>

struct report_asset {
        const char *bytes;      /* the file's bytes, NUL-terminated (the file has no NUL) */
        size_t size;            /* without the NUL */
        const char *csp_source; /* 'sha256-BASE64' of the bytes, quotes included */
};

extern const struct report_asset report_asset_css; /* controller/assets/report.css */
extern const struct report_asset report_asset_js;  /* controller/assets/report.js */
/* Not the report's: the script an agentless host runs (agentless.h), by
 * the same tool. */
extern const struct report_asset agentless_gather_script; /* controller/agentless-gather.sh */
extern const struct report_asset agentless_change_script; /* controller/agentless-change.sh */
extern const struct report_asset agentless_test_script;   /* controller/agentless-test.sh */
