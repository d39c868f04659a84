/* SPDX-License-Identifier: MIT */
/*
 * Building and writing the tether.report/1 document of a run.
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <time.h>

#include "error.h"
#include "host-job.h"

struct report_info {
        const char *run_id;
        const char *verb;
        const char *inventory;
        json_t *options; /* borrowed */
        time_t started;
        uint64_t duration_ms;
        bool interrupted;
};

/* A new report; results not done are reported as skipped. */
json_t *report_build(const struct report_info *info, struct host_result *const *results, size_t n);

/* The "summary" object of a report's "hosts" array (new reference). */
json_t *report_summary(const json_t *hosts);

/* Whether path names tether's stdout: "-", or the file stdout is open on
 * (/dev/stdout, or the file it was redirected to). */
bool report_output_is_stdout(const char *path);

/* Writes text to the output the user named: stdout for
 * report_output_is_stdout(), else tether_write_output() (a regular file
 * replaced atomically, keeping its mode or else honouring the umask;
 * anything else written straight through). */
int report_output_write(const char *path, const char *text, struct tether_error *error);

/* The report as JSON, with report_output_write(). */
int report_write(const char *path, const json_t *report, struct tether_error *error);

/* Whether the host counts as failed: an error, a broken verdict, a failed test. */
bool report_host_failed(const struct host_result *result);
