/* SPDX-License-Identifier: MIT */
/*
 * CLOCK_MONOTONIC and CLOCK_REALTIME in microseconds (see time-util.h).
 */
#include <time.h>

#include "time-util.h"

uint64_t tether_now_usec(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000ULL;
}

uint64_t tether_now_realtime_usec(void) {
        struct timespec ts;

        clock_gettime(CLOCK_REALTIME, &ts);
        return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000ULL;
}
