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

/* The summary counted a host at a time, for hosts never all in memory:
 * report_tally_add() each host in order (-ENOMEM), then
 * report_tally_summary() is report_summary() of them all (a new
 * reference; the tally is spent). report_tally_clear() frees a tally left
 * unfinished. */
struct report_tally {
        json_t *by_verdict; /* verdict -> hosts, in the order first met */
        size_t hosts, changed, failed, skipped, uploaded, may_have_changed, agentless;
};

int report_tally_add(struct report_tally *tally, const json_t *host);
json_t *report_tally_summary(struct report_tally *tally);
void report_tally_clear(struct report_tally *tally);

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
