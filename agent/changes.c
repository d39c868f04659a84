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
#include "fileio.h"
#include "journal.h"
#include "macro.h"

#define DROPIN_SIZE_LIMIT (1024u * 1024)

int change_set_add(struct change_set *set, const char *path, const char *after, const char *unit,
                   struct tether_error *error) {
        _cleanup_free_ char *before = NULL;
        struct stat st = {};
        int r;

        r = tether_read_file(path, DROPIN_SIZE_LIMIT, &before, NULL, error);
        if (r == -ENOENT) {
                tether_error_clear(error);
                before = NULL;
        } else if (r < 0)
                return r;
        if (before && stat(path, &st) < 0)
                return tether_error_set(error, -errno, "cannot look at %s: %s", path, strerror(errno));
        return change_set_add_known(set, path, before, st.st_mtim, after, unit, error);
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
