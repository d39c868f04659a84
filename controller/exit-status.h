/* SPDX-License-Identifier: MIT */
/*
 * tether's exit statuses, the table of tether(1), and the status of a run,
 * decided from its results alone:
 *
 *   0 every host fine; 2 some hosts failed or are broken (or have a
 *   verdict of --fail-on); 4 some unreachable; 6 both; 5 usage or
 *   inventory error; 1 tether itself failed; 130 interrupted.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "host-job.h"

enum {
        EXIT_FAILED_HOSTS = 2,
        EXIT_UNREACHABLE_HOSTS = 4,
        EXIT_USAGE = 5, /* usage or inventory error, as Ansible's bad options */
        EXIT_INTERRUPTED = 130,
};

struct run_ending {
        bool interrupted;   /* Ctrl-C, SIGINT or SIGTERM: it wins over everything */
        bool tether_failed; /* tether itself failed: no workers, or the report or a rendering not written */
};

/* The exit status of a run from its n results (only those done are read,
 * through pool_result_done()), the verdicts of --fail-on (a mask of
 * 1 << enum host_verdict) and how it ended. */
int exit_status_of(struct host_result *const *results, size_t n, unsigned fail_on_mask,
                   struct run_ending ending);

/* Whether a host is one to run again (--retry-file): it failed, was
 * unreachable, has a verdict of --fail-on, or was never run (a run stopped
 * by Ctrl-C or --max-fail). */
bool host_needs_retry(const struct host_result *result, unsigned fail_on_mask);

/* The exit status of a verb that returned the negative errno r: a usage or
 * inventory error (-EINVAL, -EBADMSG, -E2BIG, -EFBIG, -ENOENT) is
 * EXIT_USAGE; anything else is tether's own failure, EXIT_FAILURE. */
int exit_status_of_errno(int r);
