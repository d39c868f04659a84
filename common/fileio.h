/* SPDX-License-Identifier: MIT */
/*
 * Reading small files with a size limit, and replacing or removing files so
 * that a crash at any moment leaves either the old file or the new one:
 * write a temporary file in the same directory, fsync it, rename it over the
 * target, fsync the directory.
 */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#include "error.h"

/* Reads path whole into a new NUL-terminated string. -ENOENT when it does
 * not exist; -EFBIG when it is larger than limit bytes. */
int tether_read_file(const char *path, size_t limit, char **ret, size_t *ret_size,
                     struct tether_error *error);

/* The same for an open file descriptor (borrowed, read to its end, not
 * closed), for a caller that looks at the file before reading it; name is
 * what messages call it. */
int tether_read_fd(int fd, const char *name, size_t limit, char **ret, size_t *ret_size,
                   struct tether_error *error);

/* Atomically replaces (or creates) path with contents, mode bits mode;
 * creates the parent directory (0755) when missing. */
int tether_write_file_atomic(const char *path, const char *contents, mode_t mode,
                             struct tether_error *error);

/* Writes an output the user named (a report): a regular file, or none,
 * is replaced atomically, keeping an existing file's mode, else created
 * with 0666 less the umask; anything else (a device, a pipe, a symbolic
 * link such as /dev/stdout) is opened and written straight through, never
 * replaced (a regular file it leads to is truncated first). */
int tether_write_output(const char *path, const char *contents, struct tether_error *error);
/* Removes path and fsyncs its directory; a missing file is not an error. */
int tether_remove_file(const char *path, struct tether_error *error);
