/* SPDX-License-Identifier: MIT */
/*
 * The clocks in microseconds: the monotonic one for deadlines and
 * durations (it never jumps when the wall clock is set), the wall clock
 * for what others time-stamp with it (the journal).
 */
#pragma once

#include <stdint.h>

uint64_t tether_now_usec(void);
uint64_t tether_now_realtime_usec(void);
