/* SPDX-License-Identifier: MIT */
/*
 * The sudo password, held as little and as briefly as tether can: read
 * from a file only others cannot read, or from the terminal, into one
 * heap copy; every buffer it passed through wiped; the process not
 * dumpable (no core file, no ptrace by the same user) while it is held.
 */
#pragma once

#include "error.h"

/* The longest password: the first line of its file, or what is typed. */
#define PASSWORD_LIMIT 1024

/* The first line of path (at most PASSWORD_LIMIT bytes, without its line
 * end) into *ret, a new string to free with password_free(). -EACCES when
 * the file may be read by its group or others, -EFBIG when the line is too
 * long; the message says which file and what to do. The process is made
 * not dumpable on success. */
int password_read_file(const char *path, char **ret, struct tether_error *error);

/* One line typed on the controlling terminal without echo; as above. */
int password_read_terminal(const char *prompt, char **ret, struct tether_error *error);

/* Wipes and frees a password of password_read_*() (NULL is fine), and
 * makes the process dumpable again; returns NULL. */
char *password_free(char *password);
