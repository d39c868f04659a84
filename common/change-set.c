/* SPDX-License-Identifier: MIT */
/*
 * Planned file changes (see change-set.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "change-set.h"
#include "diff.h"

int change_set_add_known(struct change_set *set, const char *path, const char *before,
                         struct timespec before_mtime, const char *after, const char *unit,
                         struct tether_error *error) {
        struct file_change *grown, *item;

        if ((!before && !after) || (before && after && strcmp(before, after) == 0))
                return 0;
        grown = realloc(set->items, (set->n + 1) * sizeof(*set->items));
        if (!grown)
                return tether_error_set(error, -ENOMEM, "out of memory");
        set->items = grown;
        item = &set->items[set->n];
        *item = (struct file_change){
                .path = strdup(path),
                .before = before ? strdup(before) : NULL,
                .after = after ? strdup(after) : NULL,
                .unit = unit ? strdup(unit) : NULL,
                .before_mtime = before_mtime,
        };
        if (!item->path || (before && !item->before) || (after && !item->after) || (unit && !item->unit)) {
                free(item->path);
                free(item->before);
                free(item->after);
                free(item->unit);
                return tether_error_set(error, -ENOMEM, "out of memory");
        }
        set->n++;
        return 0;
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
