/* SPDX-License-Identifier: MIT */
/*
 * The monotonic clock in microseconds, for deadlines and durations: it
 * never jumps when the wall clock is set.
 */
#pragma once

#include <stdint.h>

uint64_t tether_now_usec(void);
