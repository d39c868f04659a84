/* SPDX-License-Identifier: MIT */
/*
 * After-reload checks (see tie-check.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tie-check.h"
#include "validate.h"

int tether_check_loaded(const struct tether_unit *docker, struct tether_error *error) {
        if (docker->need_daemon_reload)
                return tether_error_set(error, -EAGAIN, "systemd has not loaded docker.service's new files");
        return 0;
}

int tether_check_tie(const struct tether_unit *docker, const struct tether_unit *unit,
                     enum tether_policy policy, struct tether_error *error) {
        if (!tether_unit_listed_in(docker->after, unit))
                return tether_error_set(error, -EPROTO, "systemd did not take After=%s for docker.service",
                                        unit->name);
        if (policy == TETHER_POLICY_BIND && (!tether_unit_listed_in(docker->requires, unit) ||
                                             !tether_unit_listed_in(docker->part_of, unit)))
                return tether_error_set(error, -EPROTO,
                                        "systemd did not take Requires= and PartOf=%s for docker.service",
                                        unit->name);
        if (policy == TETHER_POLICY_FOLLOW && !unit->exec_start_post_restarts_docker)
                return tether_error_set(error, -EPROTO,
                                        "systemd did not take the hook that restarts docker after %s starts",
                                        unit->name);
        return 0;
}

int tether_check_unloaded(const struct tether_unit *docker, const char *path, struct tether_error *error) {
        for (size_t i = 0; docker->drop_in_paths && docker->drop_in_paths[i]; i++)
                if (strcmp(docker->drop_in_paths[i], path) == 0)
                        return tether_error_set(error, -EPROTO, "systemd still has %s loaded", path);
        return 0;
}

int tether_forced_unit_name(const char *given, char **ret, struct tether_error *error) {
        char *name;

        if (asprintf(&name, "%s%s", given, strchr(given, '.') ? "" : ".service") < 0)
                return tether_error_set(error, -ENOMEM, "out of memory");
        if (!tether_valid_unit_name(name)) {
                free(name);
                return tether_error_set(error, -EINVAL, "\"%s\" is not a valid systemd unit name", given);
        }
        *ret = name;
        return 0;
}

int tether_forced_unit_id(const char *name, const struct tether_unit *unit, char **ret,
                          struct tether_error *error) {
        if (!tether_unit_exists(unit))
                return tether_error_set(
                        error, -ENOENT,
                        "%s is not installed on this host; Requires= on a missing unit would make "
                        "'systemctl restart docker' fail. Leave --firewall out to use the "
                        "firewall units found",
                        name);
        *ret = strdup(unit->id);
        return *ret ? 0 : tether_error_set(error, -ENOMEM, "out of memory");
}
