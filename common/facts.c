/* SPDX-License-Identifier: MIT */
/*
 * A host's facts as plain data (see facts.h); their JSON form is in
 * facts-json.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "macro.h"

const char *const tether_host_file_paths[_TETHER_HOST_FILE_MAX] = {
        [TETHER_HOST_FILE_NETFILTER_PERSISTENT] = "/etc/default/netfilter-persistent",
        [TETHER_HOST_FILE_IPTABLES_RULES_V4] = "/etc/iptables/rules.v4",
        [TETHER_HOST_FILE_IPTABLES_RULES_V6] = "/etc/iptables/rules.v6",
        [TETHER_HOST_FILE_UFW] = "/etc/default/ufw",
        [TETHER_HOST_FILE_UFW_CONF] = "/etc/ufw/ufw.conf",
        [TETHER_HOST_FILE_DOCKER_DAEMON_JSON] = "/etc/docker/daemon.json",
        [TETHER_HOST_FILE_FIREWALLD_CONF] = "/etc/firewalld/firewalld.conf",
        [TETHER_HOST_FILE_FIREWALLD_DIRECT] = "/etc/firewalld/direct.xml",
        [TETHER_HOST_FILE_SHOREWALL] = "/etc/shorewall/shorewall.conf",
        [TETHER_HOST_FILE_FERM] = "/etc/ferm/ferm.conf",
};

struct tether_host_facts *tether_host_facts_new(void) {
        struct tether_host_facts *facts = calloc(1, sizeof(struct tether_host_facts));

        if (facts) {
                facts->running_containers = -1;
                facts->watch_journal = (struct tether_watch_summary)TETHER_WATCH_SUMMARY_INIT;
        }
        return facts;
}

struct tether_host_facts *tether_host_facts_free(struct tether_host_facts *facts) {
        if (!facts)
                return NULL;
        free(facts->hostname);
        free(facts->os_id);
        free(facts->os_version_id);
        free(facts->os_pretty_name);
        free(facts->kernel);
        free(facts->systemd_version);
        tether_unit_free(facts->docker);
        free(facts->docker_other_unit);
        free(facts->init_system);
        free(facts->docker_version);
        tether_netfilter_snapshot_free(facts->ipv4);
        tether_netfilter_snapshot_free(facts->ipv6);
        free(facts->netfilter_error);
        free(facts->nft_tables);
        for (size_t i = 0; i < facts->n_firewalls; i++)
                tether_unit_free(facts->firewalls[i]);
        free(facts->firewalls);
        free(facts->firewalld_version);
        free(facts->firewalld_bridge_zone);
        for (size_t i = 0; i < _TETHER_HOST_FILE_MAX; i++)
                free(facts->files[i]);
        free(facts->dropin_path);
        free(facts->dropin_contents);
        for (size_t i = 0; i < facts->n_other_dropins; i++) {
                free(facts->other_dropins[i].path);
                free(facts->other_dropins[i].text);
        }
        free(facts->other_dropins);
        strv_free(facts->unloaded_dropins);
        tether_unit_free(facts->watch);
        tether_watch_summary_clear(&facts->watch_journal);
        free(facts);
        return NULL;
}

int tether_host_facts_add_firewall(struct tether_host_facts *facts, struct tether_unit *unit) {
        struct tether_unit **grown;

        if (!unit)
                return -ENOMEM;
        /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
        grown = realloc(facts->firewalls, (facts->n_firewalls + 1) * sizeof(*grown));
        if (!grown) {
                tether_unit_free(unit);
                return -ENOMEM;
        }
        grown[facts->n_firewalls++] = unit;
        facts->firewalls = grown;
        return 0;
}

int tether_host_facts_add_dropin(struct tether_host_facts *facts, char *path, char *text) {
        struct tether_dropin_file *grown;

        if (!path) {
                free(text);
                return -ENOMEM;
        }
        grown = realloc(facts->other_dropins, (facts->n_other_dropins + 1) * sizeof(*grown));
        if (!grown) {
                free(path);
                free(text);
                return -ENOMEM;
        }
        grown[facts->n_other_dropins++] = (struct tether_dropin_file){.path = path, .text = text};
        facts->other_dropins = grown;
        return 0;
}

bool tether_host_facts_docker_requires(const struct tether_host_facts *facts, const char *name) {
        const struct tether_unit *docker = facts->docker;

        return tether_unit_exists(docker) &&
               (strv_contains(docker->requires, name) || strv_contains(docker->binds_to, name));
}

int tether_host_facts_keep_firewall(struct tether_host_facts *facts, const char *name,
                                    struct tether_unit *unit) {
        bool required = tether_host_facts_docker_requires(facts, name);

        for (size_t i = 0; i < facts->n_firewalls; i++)
                if (strcmp(facts->firewalls[i]->id, unit->id) == 0) {
                        tether_unit_free(unit);
                        return 0;
                }
        if (!required && (!tether_unit_exists(unit) || strcmp(unit->load_state, "masked") == 0)) {
                tether_unit_free(unit);
                return 0;
        }
        return tether_host_facts_add_firewall(facts, unit);
}

void tether_host_facts_read_daemon_json(struct tether_host_facts *facts) {
        const char *text = facts->files[TETHER_HOST_FILE_DOCKER_DAEMON_JSON];
        json_t *config = text ? json_loads(text, 0, NULL) : NULL;

        facts->live_restore = json_is_true(json_object_get(config, "live-restore"));
        json_decref(config);
}

char *tether_host_facts_daemon_json_string(const struct tether_host_facts *facts, const char *key) {
        const char *text = facts->files[TETHER_HOST_FILE_DOCKER_DAEMON_JSON];
        json_t *config = text ? json_loads(text, 0, NULL) : NULL;
        const char *value = json_string_value(json_object_get(config, key));
        char *copy = value ? strdup(value) : NULL;

        json_decref(config);
        return copy;
}

void tether_host_facts_set_starts(struct tether_host_facts *facts, const uint64_t *times, unsigned n,
                                  unsigned count, uint64_t now_usec) {
        uint64_t window = facts->docker ? facts->docker->start_limit_interval_usec : 0;
        unsigned burst = facts->docker ? facts->docker->start_limit_burst : 0;

        facts->starts_in_window = count;
        facts->start_room_in_sec = 0;
        if (burst >= 2 && count + 2 > burst && count <= n) {
                uint64_t free_at = times[count + 2 - burst - 1] + window;

                facts->start_room_in_sec =
                        free_at > now_usec ? (unsigned)((free_at - now_usec + 999999) / 1000000) : 0;
        } else if (burst > 0 && burst < 2)
                facts->start_room_in_sec = (unsigned)(window / 1000000);
}

bool tether_host_facts_docker_active(const struct tether_host_facts *facts) {
        return tether_unit_exists(facts->docker) && strcmp(facts->docker->active_state, "active") == 0;
}
