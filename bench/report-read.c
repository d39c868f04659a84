/* SPDX-License-Identifier: MIT */
/*
 * bench/report-read's probe: reads a tether report with jansson, as
 * `tether report render` does (whole), or one host object at a time (by-host),
 * and counts its hosts. A measurement, not a reader: by-host finds the
 * hosts array by its text as tether writes it ("hosts": [).
 *
 *   report-read whole|by-host REPORT.json
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path, size_t *ret_size) {
        FILE *f = fopen(path, "rb");
        char *text = NULL;
        long size;

        if (!f || fseek(f, 0, SEEK_END) < 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) < 0 ||
            !(text = malloc((size_t)size + 1)) || fread(text, 1, (size_t)size, f) != (size_t)size) {
                perror(path);
                exit(2);
        }
        fclose(f);
        text[size] = '\0';
        *ret_size = (size_t)size;
        return text;
}

static size_t whole(const char *text, size_t size) {
        json_error_t error;
        json_t *report = json_loadb(text, size, JSON_REJECT_DUPLICATES, &error);
        size_t n;

        if (!report) {
                fprintf(stderr, "not JSON: %s\n", error.text);
                exit(1);
        }
        n = json_array_size(json_object_get(report, "hosts"));
        json_decref(report);
        return n;
}

static size_t by_host(const char *text, size_t size) {
        const char *start = strstr(text, "\"hosts\": [");
        size_t at, n = 0;

        if (!start) {
                fprintf(stderr, "no \"hosts\": [ in the report\n");
                exit(1);
        }
        for (at = (size_t)(start - text) + strlen("\"hosts\": [");;) {
                json_error_t error;
                json_t *host;

                at += strspn(text + at, " \t\r\n,");
                if (at >= size || text[at] == ']')
                        return n;
                host = json_loadb(text + at, size - at, JSON_REJECT_DUPLICATES | JSON_DISABLE_EOF_CHECK,
                                  &error);
                if (!host) {
                        fprintf(stderr, "host %zu: not JSON: %s\n", n, error.text);
                        exit(1);
                }
                at += (size_t)error.position;
                n++;
                json_decref(host);
        }
}

int main(int argc, char **argv) {
        size_t size, n;
        char *text;

        if (argc != 3 || (strcmp(argv[1], "whole") != 0 && strcmp(argv[1], "by-host") != 0)) {
                fprintf(stderr, "usage: report-read whole|by-host REPORT.json\n");
                return 2;
        }
        text = slurp(argv[2], &size);
        n = strcmp(argv[1], "whole") == 0 ? whole(text, size) : by_host(text, size);
        printf("%zu\n", n);
        free(text);
        return 0;
}
