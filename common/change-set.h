/* SPDX-License-Identifier: MIT */
/*
 * The file changes a verb plans on a host, as plain data: what each file
 * holds now and should hold after, and the "changes" array of the host's
 * document. The agent makes them on the host itself (agent/changes.h);
 * agentless mode has a script make them (controller/agentless.h). Nothing
 * here touches a file.
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "error.h"

struct file_change {
        char *path;
        char *before;                 /* NULL: the file did not exist */
        char *after;                  /* NULL: the file is to be removed */
        char *unit;                   /* the unit the file belongs to */
        struct timespec before_mtime; /* with before: put back with the file, so that
                                       * systemd, which compares it with what it loaded,
                                       * sees the file it has */
        bool done;
};

struct change_set {
        const char *verb; /* for the journal */
        struct file_change *items;
        size_t n;
};

/* Adds "path, which holds before (NULL: no file), should hold after (NULL:
 * not exist)"; a file that already holds it adds nothing. 0, or -ENOMEM. */
int change_set_add_known(struct change_set *set, const char *path, const char *before,
                         struct timespec before_mtime, const char *after, const char *unit,
                         struct tether_error *error);

/* [{"path": ..., "action": "write"|"remove", "diff": "..."}] */
json_t *change_set_to_json(const struct change_set *set);

void change_set_clear(struct change_set *set);
