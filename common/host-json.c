/* SPDX-License-Identifier: MIT */
/*
 * A host's facts and their judgement as the JSON of schema tether.host/1
 * (docs/schema.md), the same from the agent and from agentless gathering:
 *
 *   {"schema": "tether.host/1", "verdict": "vulnerable",
 *    "reasons": ["nftables.service is enabled and ..."],
 *    "host": {"hostname": "web-01", "os": {...}, "kernel": "6.1.0", "systemd": "252"},
 *    "docker": {"installed": true, "active_state": "active", ...},
 *    "netfilter": {"backend": "nft", "ipv4": {...}, "checks": [...], "missing": 0},
 *    "firewalls": [{"unit": "nftables.service", "flushes_docker_rules": true, "tied": false, ...}],
 *    "dropin": {"path": "...", "state": "absent", "policy": "bind", "loaded": {...}, ...},
 *    "watch": {"installed": true, "active": true, "heals_24h": 1, "last_culprit": {...}, ...}}
 *
 * The verb's own fields (changed, diff, test) are added by the verb.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "host-json.h"
#include "watch-summary.h"

static json_t *string_or_null(const char *s) {
        return s ? json_string(s) : json_null();
}

static json_t *strv_to_json(char *const *strv) {
        json_t *array = json_array();

        for (size_t i = 0; strv && strv[i]; i++)
                json_array_append_new(array, json_string(strv[i]));
        return array;
}

static json_t *timestamp_to_json(uint64_t usec) {
        char buf[64];
        struct tm tm;
        time_t seconds = (time_t)(usec / 1000000ULL);

        if (usec == 0 || !gmtime_r(&seconds, &tm) ||
            strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
                return json_null();
        return json_string(buf);
}

/* The names in list that are firewall units of this host. */
static json_t *firewall_names_in(const struct tether_host_facts *facts, char *const *list) {
        json_t *array = json_array();

        for (size_t i = 0; list && list[i]; i++)
                for (size_t j = 0; j < facts->n_firewalls; j++) {
                        if (tether_unit_has_name(facts->firewalls[j], list[i])) {
                                json_array_append_new(array, json_string(list[i]));
                                break;
                        }
                }
        return array;
}

/* A dockerd outside docker.service, looked for only where docker.service
 * runs none: its pid, or null. */
static json_t *outside_pid(const struct tether_host_facts *facts) {
        return facts->dockerd_outside_pid ? json_integer(facts->dockerd_outside_pid) : json_null();
}

static json_t *docker_to_json(const struct tether_host_facts *facts) {
        const struct tether_unit *docker = facts->docker;
        char invocation[33];
        json_t *limit;

        if (!tether_unit_exists(docker))
                return json_pack("{s:b, s:o, s:o}", "installed", 0, "other_unit",
                                 string_or_null(facts->docker_other_unit), "outside_pid",
                                 outside_pid(facts));

        limit = json_pack("{s:i, s:I, s:i, s:b, s:b, s:i}", "burst", (json_int_t)docker->start_limit_burst,
                          "interval_sec", (json_int_t)(docker->start_limit_interval_usec / 1000000ULL),
                          "starts_in_window", (json_int_t)facts->starts_in_window, "hit",
                          strcmp(docker->result, "start-limit-hit") == 0, "near",
                          facts->start_room_in_sec > 0, "room_in_sec", (json_int_t)facts->start_room_in_sec);
        return json_pack(
                "{s:b, s:s, s:s, s:s, s:o, s:i, s:s, s:i, s:s, s:o, s:b, s:o, s:o, s:o, s:o}", "installed",
                1, "active_state", docker->active_state, "sub_state", docker->sub_state, "unit_file_state",
                docker->unit_file_state, "since", timestamp_to_json(docker->active_enter_usec), "restarts",
                (json_int_t)docker->n_restarts, "invocation_id",
                tether_unit_invocation_id(docker, invocation), "main_pid", (json_int_t)docker->main_pid,
                "result", docker->result, "start_limit", limit, "live_restore", facts->live_restore,
                "version", string_or_null(facts->docker_version), "drop_in_paths",
                strv_to_json(docker->drop_in_paths), "running_containers",
                facts->running_containers < 0 ? json_null() : json_integer(facts->running_containers),
                "outside_pid", outside_pid(facts));
}

static json_t *netfilter_to_json(const struct tether_host_facts *facts,
                                 const struct tether_judgement *judgement) {

        if (!tether_host_facts_docker_active(facts))
                return json_pack("{s:s, s:s}", "backend",
                                 tether_netfilter_backend_to_string(facts->netfilter_backend), "note",
                                 "docker is not running: its rules were not read");
        return json_pack("{s:s, s:o, s:o, s:o, s:i, s:o}", "backend",
                         tether_netfilter_backend_to_string(facts->netfilter_backend), "ipv4",
                         facts->ipv4 ? tether_netfilter_snapshot_to_json(facts->ipv4) : json_null(), "ipv6",
                         facts->ipv6 ? tether_netfilter_snapshot_to_json(facts->ipv6) : json_null(),
                         "checks", tether_netfilter_checks_to_json(judgement->checks, judgement->n_checks),
                         "missing", (json_int_t)judgement->rules_missing, "error",
                         string_or_null(facts->netfilter_error));
}

static json_t *firewalls_to_json(const struct tether_judgement *judgement) {
        json_t *array = json_array();

        for (size_t i = 0; i < judgement->n_firewalls; i++) {
                const struct tether_firewall_judgement *firewall = &judgement->firewalls[i];

                json_array_append_new(
                        array, json_pack("{s:s, s:o, s:s, s:s, s:s, s:b, s:b, s:b, s:s, s:b}", "unit",
                                         firewall->unit->id, "names", strv_to_json(firewall->unit->names),
                                         "what", firewall->kind ? firewall->kind->what : "", "active_state",
                                         firewall->unit->active_state, "unit_file_state",
                                         firewall->unit->unit_file_state, "enabled", firewall->enabled,
                                         "active", firewall->active, "flushes_docker_rules",
                                         firewall->flushes, "why", firewall->why, "tied", firewall->tied));
                json_object_set_new(json_array_get(array, json_array_size(array) - 1),
                                    "reload_flushes_docker_rules", json_boolean(firewall->reload_flushes));
                json_object_set_new(json_array_get(array, json_array_size(array) - 1),
                                    "reloads_outside_systemd",
                                    json_boolean(firewall->reload_bypasses_systemd));
                json_object_set_new(json_array_get(array, json_array_size(array) - 1), "docker_heals_itself",
                                    json_boolean(firewall->docker_heals));
                json_object_set_new(json_array_get(array, json_array_size(array) - 1),
                                    "flushes_outside_systemd",
                                    firewall->outside ? json_string(firewall->outside) : json_null());
        }
        return array;
}

static json_t *dropin_to_json(const struct tether_host_facts *facts,
                              const struct tether_judgement *judgement) {
        const struct tether_unit *docker = facts->docker;
        json_t *loaded = json_null();

        if (tether_unit_exists(docker))
                loaded = json_pack("{s:o, s:o, s:o, s:o, s:o, s:b}", "after",
                                   firewall_names_in(facts, docker->after), "requires",
                                   firewall_names_in(facts, docker->requires), "wants",
                                   firewall_names_in(facts, docker->wants), "part_of",
                                   firewall_names_in(facts, docker->part_of), "binds_to",
                                   firewall_names_in(facts, docker->binds_to), "need_daemon_reload",
                                   docker->need_daemon_reload);
        return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "path", facts->dropin_path, "state",
                         tether_dropin_state_to_string(judgement->dropin_state), "policy",
                         tether_policy_to_string(judgement->policy), "foreign",
                         strv_to_json(judgement->foreign_dropins), "unloaded",
                         strv_to_json(facts->unloaded_dropins), "loaded", loaded);
}

json_t *tether_host_to_json(const struct tether_host_facts *facts,
                            const struct tether_judgement *judgement) {
        json_t *os = json_pack("{s:o, s:o, s:o}", "id", string_or_null(facts->os_id), "version_id",
                               string_or_null(facts->os_version_id), "pretty_name",
                               string_or_null(facts->os_pretty_name));
        json_t *host = json_pack(
                "{s:o, s:o, s:o, s:o, s:o, s:b}", "hostname", string_or_null(facts->hostname), "os", os,
                "kernel", string_or_null(facts->kernel), "systemd", string_or_null(facts->systemd_version),
                "init_system", string_or_null(facts->init_system), "unit_dir_read_only",
                facts->unit_dir_read_only);

        return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "verdict",
                         tether_verdict_to_string(judgement->verdict), "reasons",
                         strv_to_json(judgement->reasons), "host", host, "docker", docker_to_json(facts),
                         "netfilter", netfilter_to_json(facts, judgement), "firewalls",
                         firewalls_to_json(judgement), "dropin", dropin_to_json(facts, judgement), "watch",
                         tether_watch_to_json(facts->watch, &facts->watch_journal,
                                              facts->netfilter_backend == TETHER_NETFILTER_LEGACY));
}
