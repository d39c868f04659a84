/* SPDX-License-Identifier: MIT */
/*
 * The follow policy's hooks (see hooks.h). They are found by their file
 * name in every drop-in directory,
 *
 *   /etc/systemd/system/nftables.service.d/50-tether-restart-docker.conf
 *
 * is the hook on nftables.service, so a hook on a unit tether no longer
 * knows (--firewall named it once) is found too.
 */
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dropin.h"
#include "hooks.h"
#include "macro.h"

int agent_hook_path(const char *unit, char **ret) {
        return asprintf(ret, "%s/%s.d/%s", TETHER_SYSTEMD_DIR, unit, TETHER_HOOK_DROPIN_NAME) < 0 ? -ENOMEM
                                                                                                  : 0;
}

int change_set_remove_hooks(struct change_set *set, char *const *keep, struct tether_error *error) {
        glob_t found = {};
        int r = 0;

        if (glob(TETHER_SYSTEMD_DIR "/*.d/" TETHER_HOOK_DROPIN_NAME, 0, NULL, &found) != 0)
                return 0;
        for (size_t i = 0; r >= 0 && i < found.gl_pathc; i++) {
                const char *path = found.gl_pathv[i];
                const char *unit = path + strlen(TETHER_SYSTEMD_DIR "/");
                _cleanup_free_ char *name = strndup(unit, strcspn(unit, "/"));

                if (!name) {
                        r = tether_error_set(error, -ENOMEM, "out of memory");
                        break;
                }
                if (strlen(name) > 2 && strcmp(name + strlen(name) - 2, ".d") == 0)
                        name[strlen(name) - 2] = '\0';
                if (keep && strv_contains(keep, name))
                        continue;
                r = change_set_add(set, path, NULL, name, error);
        }
        globfree(&found);
        return r;
}
