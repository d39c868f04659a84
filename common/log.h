/* SPDX-License-Identifier: MIT */
/*
 * Logging for the programs (tether, tether-agent): one line a message on
 * stderr, prefixed with the program's name. The library modules of common/
 * never call it: they hand errors back in a struct tether_error instead.
 *
 * As in systemd, a failure is logged and returned in one step:
 *     return log_error_errno(r, "Failed to read %s: %m", path);
 * where %m stands for the text of the negative errno value r.
 */
#pragma once

#include <syslog.h>

#include "macro.h"

void log_set_program(const char *name);
void log_set_max_level(int level); /* LOG_ERR .. LOG_DEBUG; LOG_INFO by default */
int log_get_max_level(void);

/* Logs at level; returns error, which should be a negative errno value
 * (0 is passed through). */
int log_full_errno(int level, int error, const char *format, ...) _printf_(3, 4);

#define log_error_errno(error, ...) log_full_errno(LOG_ERR, (error), __VA_ARGS__)
#define log_warning_errno(error, ...) log_full_errno(LOG_WARNING, (error), __VA_ARGS__)
#define log_error(...) ((void)log_full_errno(LOG_ERR, 0, __VA_ARGS__))
#define log_warning(...) ((void)log_full_errno(LOG_WARNING, 0, __VA_ARGS__))
#define log_notice(...) ((void)log_full_errno(LOG_NOTICE, 0, __VA_ARGS__))
#define log_info(...) ((void)log_full_errno(LOG_INFO, 0, __VA_ARGS__))
#define log_debug(...) ((void)log_full_errno(LOG_DEBUG, 0, __VA_ARGS__))
