/* SPDX-License-Identifier: MIT */
/*
 * One unit's loaded state as plain data (see unit.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "unit.h"

struct tether_unit *tether_unit_new(const char *name) {
        _cleanup_(tether_unit_freep) struct tether_unit *unit = calloc(1, sizeof(*unit));

        if (!unit || !(unit->name = strdup(name)) || tether_unit_fill_missing(unit) < 0)
                return NULL;
        return TAKE_PTR(unit);
}

int tether_unit_fill_missing(struct tether_unit *unit) {
        char **strings[] = {&unit->id,        &unit->load_state,      &unit->active_state,
                            &unit->sub_state, &unit->unit_file_state, &unit->fragment_path,
                            &unit->result};
        char ***lists[] = {&unit->names, &unit->drop_in_paths, &unit->after,  &unit->requires,
                           &unit->wants, &unit->binds_to,      &unit->part_of};

        for (size_t i = 0; i < ELEMENTSOF(strings); i++)
                if (!*strings[i] && !(*strings[i] = strdup("")))
                        return -ENOMEM;
        for (size_t i = 0; i < ELEMENTSOF(lists); i++)
                if (!*lists[i] && !(*lists[i] = calloc(1, sizeof(char *))))
                        return -ENOMEM;
        return 0;
}

struct tether_unit *tether_unit_free(struct tether_unit *unit) {
        if (!unit)
                return NULL;
        free(unit->name);
        free(unit->id);
        strv_free(unit->names);
        free(unit->load_state);
        free(unit->active_state);
        free(unit->sub_state);
        free(unit->unit_file_state);
        free(unit->fragment_path);
        strv_free(unit->drop_in_paths);
        strv_free(unit->after);
        strv_free(unit->requires);
        strv_free(unit->wants);
        strv_free(unit->binds_to);
        strv_free(unit->part_of);
        free(unit->result);
        free(unit);
        return NULL;
}

bool tether_unit_exists(const struct tether_unit *unit) {
        return unit && unit->load_state && strcmp(unit->load_state, "not-found") != 0;
}

/* Not "alias": systemd says it of a unit loaded under a name that is a
 * symlink to another unit's file, which starts nothing at boot. Debian 11's
 * iptables-persistent ships /lib/systemd/system/iptables.service as one (to
 * netfilter-persistent.service, through /etc/alternatives), and systemd 247
 * loads it as a unit of its own, "alias", on hosts where nothing enables
 * it. An alias made by enabling its unit is loaded as that unit, with its
 * state. */
bool tether_unit_is_enabled(const struct tether_unit *unit) {
        static const char *const enabled_states[] = {"enabled", "enabled-runtime"};

        for (size_t i = 0; i < ELEMENTSOF(enabled_states); i++)
                if (strcmp(unit->unit_file_state, enabled_states[i]) == 0)
                        return true;
        return false;
}

bool tether_unit_is_active(const struct tether_unit *unit) {
        return strcmp(unit->active_state, "active") == 0 || strcmp(unit->active_state, "reloading") == 0;
}

bool tether_unit_has_name(const struct tether_unit *unit, const char *name) {
        char full[512];

        snprintf(full, sizeof(full), "%s%s", name, strchr(name, '.') ? "" : ".service");
        if (strcmp(unit->id, full) == 0)
                return true;
        return strv_contains(unit->names, full);
}

bool tether_unit_listed_in(char *const *list, const struct tether_unit *unit) {
        if (strv_contains(list, unit->id))
                return true;
        for (size_t i = 0; unit->names && unit->names[i]; i++)
                if (strv_contains(list, unit->names[i]))
                        return true;
        return false;
}

const char *tether_unit_invocation_id(const struct tether_unit *unit, char buf[static 33]) {
        for (size_t i = 0; i < sizeof(unit->invocation_id); i++)
                snprintf(buf + 2 * i, 3, "%02x", unit->invocation_id[i]);
        return buf;
}
