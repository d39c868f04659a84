/* SPDX-License-Identifier: MIT */
/*
 * Running a helper program on the host (iptables-save, nft) with a fixed
 * argv, no shell, a time limit and a limit on what it may print.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Runs argv[0] (searched in the standard sbin and bin directories) and
 * captures its stdout into *ret_output (new string). *ret_status is the
 * exit status, or 128 + signal. Fails with -ETIMEDOUT past timeout_usec,
 * -EFBIG past limit bytes, -ENOENT when the program is not installed. */
int exec_capture(char *const argv[], size_t limit, uint64_t timeout_usec, char **ret_output, int *ret_status,
                 struct tether_error *error);
