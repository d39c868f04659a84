/* SPDX-License-Identifier: MIT */
/*
 * A set of file changes made as one: each file is replaced atomically
 * (temp file, fsync, rename, fsync of the directory), and when any step
 * fails, or the caller's verification after daemon-reload fails, every file
 * is put back as it was. Each change is recorded in the journal.
 */
#pragma once

#include "change-set.h"
#include "error.h"

/* Adds "path should hold after (NULL: not exist)", reading what it holds
 * now; a file that already holds it adds nothing. */
int change_set_add(struct change_set *set, const char *path, const char *after, const char *unit,
                   struct tether_error *error);

/* Makes every change; on failure undoes the ones made and returns the error. */
int change_set_commit(struct change_set *set, struct tether_error *error);

/* Puts every file back as it was before commit, with its modification
 * time: a daemon-reload that failed or never came leaves systemd with
 * what it had, and it does not ask for a reload. */
int change_set_rollback(struct change_set *set, struct tether_error *error);
