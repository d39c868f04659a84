/* SPDX-License-Identifier: MIT */
/*
 * A saved report, rendered in every format (tether report render): reports
 * come from other machines. The report read a host at a time
 * (report_views_read()) must be the report read whole: taken only where
 * jansson takes the whole text, left to it (-EBADMSG) only where that is
 * no report with a "hosts" array, and every rendering made of its views
 * the same as the whole read's, as is its JSON written a host at a time.
 */
#include <errno.h>

#include "cmd-report.h"
#include "fuzz.h"
#include "render.h"
#include "report-dump.h"
#include "report-stream.h"

static void check_read_by_host(const uint8_t *data, size_t size, const json_t *report) {
        static const char *const formats[] = {"text", "markdown", "junit", "html"};
        struct host_view *views = NULL;
        json_t *rest = NULL;
        size_t n = 0;
        int r = report_views_read((const char *)data, size, &rest, &views, &n);

        if (r == -EBADMSG) {
                if (json_is_array(json_object_get(report, "hosts")))
                        abort(); /* a report the whole read takes */
                return;
        }
        if (r < 0)
                return; /* out of memory */
        if (!report || n != json_array_size(json_object_get(report, "hosts")))
                abort();
        for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++)
                for (int color = 0; color <= 1; color++) {
                        char *from_whole = NULL, *from_views = NULL;
                        int whole_r = report_render_to(report, formats[f], color, &from_whole, NULL);
                        int views_r = report_render_views_to(rest, views, n, formats[f], color, &from_views);

                        if ((whole_r < 0) != (views_r < 0) ||
                            (whole_r == 0 && strcmp(from_whole, from_views) != 0))
                                abort();
                        free(from_whole);
                        free(from_views);
                }
        host_views_free(views, n);
        json_decref(rest);
}

static int dump_host(const json_t *host, const char *source, size_t length, size_t index, void *userdata) {
        return report_dump_host(userdata, host);
}

/* The report written a host at a time is the whole dump, byte for byte. */
static void check_dump_by_host(const uint8_t *data, size_t size, const json_t *report) {
        struct report_dump dump = REPORT_DUMP_INIT;
        char *whole, *streamed = NULL;
        json_t *rest = NULL;

        if (report_stream_read((const char *)data, size, dump_host, &dump, &rest) < 0) {
                report_dump_free(&dump);
                return;
        }
        whole = json_dumps(report, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        streamed = report_dump_finish(&dump, rest);
        if (whole && streamed &&
            (strncmp(whole, streamed, strlen(whole)) != 0 || strcmp(streamed + strlen(whole), "\n") != 0))
                abort();
        free(whole);
        free(streamed);
        json_decref(rest);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static const char *const formats[] = {"text", "json", "junit", "markdown", "html"};
        json_t *report = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);

        for (size_t i = 0; report && i < sizeof(formats) / sizeof(formats[0]); i++) {
                char *text = NULL;

                if (report_render_to(report, formats[i], i == 0, &text, NULL) == 0)
                        free(text);
        }
        check_read_by_host(data, size, report);
        check_dump_by_host(data, size, report);
        json_decref(report);
        return 0;
}
