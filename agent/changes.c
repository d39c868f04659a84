/* SPDX-License-Identifier: MIT */
/*
 * All-or-nothing file changes (see changes.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "changes.h"
#include "diff.h"
#include "fileio.h"
#include "journal.h"

#define DROPIN_SIZE_LIMIT (1024u * 1024)

int change_set_add(struct change_set *set, const char *path, const char *after, const char *unit,
                   struct tether_error *error) {
        struct file_change *grown, *item;
        struct stat st = {};
        char *before = NULL;
        int r;

        r = tether_read_file(path, DROPIN_SIZE_LIMIT, &before, NULL, error);
        if (r == -ENOENT) {
                tether_error_clear(error);
                before = NULL;
        } else if (r < 0)
                return r;

        if ((!before && !after) || (before && after && strcmp(before, after) == 0)) {
                free(before);
                return 0;
        }
        if (before && stat(path, &st) < 0) {
                free(before);
                return tether_error_set(error, -errno, "cannot look at %s: %s", path, strerror(errno));
        }

        grown = realloc(set->items, (set->n + 1) * sizeof(*set->items));
        if (!grown) {
                free(before);
                return tether_error_set(error, -ENOMEM, "out of memory");
        }
        set->items = grown;
        item = &set->items[set->n];
        *item = (struct file_change){
                .path = strdup(path),
                .before = before,
                .after = after ? strdup(after) : NULL,
                .unit = unit ? strdup(unit) : NULL,
                .before_mtime = st.st_mtim,
        };
        if (!item->path || (after && !item->after) || (unit && !item->unit)) {
                free(item->path);
                free(item->before);
                free(item->after);
                free(item->unit);
                return tether_error_set(error, -ENOMEM, "out of memory");
        }
        set->n++;
        return 0;
}

static int put(const char *path, const char *contents, struct tether_error *error) {
        return contents ? tether_write_file_atomic(path, contents, 0644, error)
                        : tether_remove_file(path, error);
}

static void record(const struct change_set *set, const struct file_change *item, const char *action,
                   const char *from, const char *to) {
        char message[1024];

        snprintf(message, sizeof(message), "tether-agent %s: %s %s", set->verb, action, item->path);
        journal_log_change(&(struct journal_change){
                .verb = set->verb,
                .action = action,
                .unit = item->unit,
                .file = item->path,
                .before = from,
                .after = to,
                .message = message,
        });
}

int change_set_commit(struct change_set *set, struct tether_error *error) {
        for (size_t i = 0; i < set->n; i++) {
                struct file_change *item = &set->items[i];
                int r;

                r = put(item->path, item->after, error);
                if (r < 0) {
                        (void)change_set_rollback(set, NULL);
                        return r;
                }
                item->done = true;
                record(set, item, item->after ? "wrote" : "removed", item->before, item->after);
        }
        return 0;
}

/* Puts item's file back, with its old modification time. */
static int put_back(const struct file_change *item, struct tether_error *error) {
        const struct timespec times[2] = {{.tv_nsec = UTIME_OMIT}, item->before_mtime};
        int r;

        r = put(item->path, item->before, error);
        if (r < 0 || !item->before)
                return r;
        if (utimensat(AT_FDCWD, item->path, times, 0) < 0)
                return tether_error_set(error, -errno, "cannot set the time of %s back: %s", item->path,
                                        strerror(errno));
        return 0;
}

int change_set_rollback(struct change_set *set, struct tether_error *error) {
        int result = 0;

        for (size_t i = set->n; i-- > 0;) {
                struct file_change *item = &set->items[i];
                int r;

                if (!item->done)
                        continue;
                r = put_back(item, error);
                if (r < 0 && result == 0)
                        result = r;
                if (r >= 0) {
                        item->done = false;
                        record(set, item, "rolled-back", item->after, item->before);
                }
        }
        return result;
}

json_t *change_set_to_json(const struct change_set *set) {
        json_t *array = json_array();

        for (size_t i = 0; i < set->n; i++) {
                const struct file_change *item = &set->items[i];
                char *diff = NULL, *label = NULL;

                if (asprintf(&label, "%s (tether)", item->path) < 0)
                        label = NULL;
                (void)tether_diff_unified(item->path, item->before, label ? label : item->path, item->after,
                                          &diff);
                json_array_append_new(array,
                                      json_pack("{s:s, s:s, s:s}", "path", item->path, "action",
                                                item->after ? "write" : "remove", "diff", diff ? diff : ""));
                free(diff);
                free(label);
        }
        return array;
}

void change_set_clear(struct change_set *set) {
        for (size_t i = 0; i < set->n; i++) {
                free(set->items[i].path);
                free(set->items[i].before);
                free(set->items[i].after);
                free(set->items[i].unit);
        }
        free(set->items);
        set->items = NULL;
        set->n = 0;
}
