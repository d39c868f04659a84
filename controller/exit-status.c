/* SPDX-License-Identifier: MIT */
/*
 * A run's exit status (see exit-status.h). Unreachable hosts are counted
 * apart from failed ones, as tether(1) keeps them apart; --fail-on
 * unreachable makes an unreachable host count as both.
 */
#include <errno.h>
#include <stdlib.h>

#include "exit-status.h"
#include "pool.h"
#include "report.h"

int exit_status_of(struct host_result *const *results, size_t n, unsigned fail_on_mask,
                   struct run_ending ending) {
        bool unreachable = false, failed = false;

        if (ending.interrupted)
                return EXIT_INTERRUPTED;
        if (ending.tether_failed)
                return EXIT_FAILURE;
        for (size_t i = 0; i < n; i++) {
                const struct host_result *result = results[i];

                if (!pool_result_done(result))
                        continue;
                /* Out of file descriptors: what the hosts are is not known. */
                if (result->failure.tethers_own)
                        return EXIT_FAILURE;
                if (result->verdict == HOST_VERDICT_UNREACHABLE)
                        unreachable = true;
                if (report_host_failed(result) || (fail_on_mask & (1u << result->verdict)))
                        failed = true;
        }
        return (failed ? EXIT_FAILED_HOSTS : 0) | (unreachable ? EXIT_UNREACHABLE_HOSTS : 0);
}

bool host_needs_retry(const struct host_result *result, unsigned fail_on_mask) {
        if (!pool_result_done(result))
                return true;
        return result->verdict == HOST_VERDICT_UNREACHABLE || report_host_failed(result) ||
               (fail_on_mask & (1u << result->verdict));
}

int exit_status_of_errno(int r) {
        if (r == -EINVAL || r == -EBADMSG || r == -E2BIG || r == -EFBIG || r == -ENOENT)
                return EXIT_USAGE;
        return EXIT_FAILURE;
}
