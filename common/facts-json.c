/* SPDX-License-Identifier: MIT */
/*
 * A host's facts as JSON, schema "tether.facts/1", and back:
 *
 *   {"schema": "tether.facts/1",
 *    "host": {"hostname": "web-01", "os_id": "debian", "os_version_id": "12", ..., "systemd": "252"},
 *    "docker": {"unit": {"id": "docker.service", "active_state": "active", "after": [...], ...},
 *               "version": "28.2.2", "major": 28, "live_restore": false, ...},
 *    "netfilter": {"backend": "nft", "ipv4": {"backend": "nft", "tables": {...}}, "ipv6": null},
 *    "firewalls": [{"id": "nftables.service", "unit_file_state": "enabled", ...}],
 *    "firewalld": {"version": "1.3.3", "bridge_zone": "docker"},
 *    "files": {"/etc/iptables/rules.v4": "*filter\n...", "/etc/default/ufw": null, ...},
 *    "dropin": {"path": "...", "contents": null, "others": [{"path": "...", "text": "..."}],
 *               "unloaded": []},
 *    "watch": {"unit": {"id": "tether-watch.service", ...}, "heals": 1, "last_heal_usec": ...,
 *              "last_flush": {"culprit": "nft", "culprit_pid": 4242, "culprit_unit": null, "heal_ms":
 * 2488}}}
 *
 * A unit's fields are one table, read by both directions. A snapshot of
 * Docker's rules goes out in netfilter.h's JSON form and comes back through
 * the iptables-save parser, so that what is read in is checked as strictly
 * as what the host printed.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "macro.h"
#include "strbuf.h"

#define FACTS_SCHEMA "tether.facts/1"

enum field_kind {
        FIELD_STRING,
        FIELD_STRV,
        FIELD_BOOL,
        FIELD_U64,
        FIELD_U32,
        FIELD_UNSIGNED,
        FIELD_ID128,
};

struct field {
        const char *key;
        enum field_kind kind;
        size_t offset;
};

#define UNIT_FIELD(k, kind, member) \
        { k, kind, offsetof(struct tether_unit, member) }

static const struct field unit_fields[] = {
        UNIT_FIELD("name", FIELD_STRING, name),
        UNIT_FIELD("id", FIELD_STRING, id),
        UNIT_FIELD("names", FIELD_STRV, names),
        UNIT_FIELD("load_state", FIELD_STRING, load_state),
        UNIT_FIELD("active_state", FIELD_STRING, active_state),
        UNIT_FIELD("sub_state", FIELD_STRING, sub_state),
        UNIT_FIELD("unit_file_state", FIELD_STRING, unit_file_state),
        UNIT_FIELD("fragment_path", FIELD_STRING, fragment_path),
        UNIT_FIELD("drop_in_paths", FIELD_STRV, drop_in_paths),
        UNIT_FIELD("after", FIELD_STRV, after),
        UNIT_FIELD("requires", FIELD_STRV, requires),
        UNIT_FIELD("wants", FIELD_STRV, wants),
        UNIT_FIELD("binds_to", FIELD_STRV, binds_to),
        UNIT_FIELD("part_of", FIELD_STRV, part_of),
        UNIT_FIELD("need_daemon_reload", FIELD_BOOL, need_daemon_reload),
        UNIT_FIELD("has_job", FIELD_BOOL, has_job),
        UNIT_FIELD("active_enter_usec", FIELD_U64, active_enter_usec),
        UNIT_FIELD("start_limit_interval_usec", FIELD_U64, start_limit_interval_usec),
        UNIT_FIELD("start_limit_burst", FIELD_UNSIGNED, start_limit_burst),
        UNIT_FIELD("invocation_id", FIELD_ID128, invocation_id),
        UNIT_FIELD("main_pid", FIELD_U32, main_pid),
        UNIT_FIELD("n_restarts", FIELD_U32, n_restarts),
        UNIT_FIELD("result", FIELD_STRING, result),
        UNIT_FIELD("has_exec_reload", FIELD_BOOL, has_exec_reload),
        UNIT_FIELD("exec_start_post_restarts_docker", FIELD_BOOL, exec_start_post_restarts_docker),
};

static int fail(struct tether_error *error, const char *what) {
        return tether_error_set(error, -EBADMSG, "not a tether.facts/1 document: %s", what);
}

/* ---- out --------------------------------------------------------------- */

static json_t *string_or_null(const char *s) {
        return s ? json_string(s) : json_null();
}

static json_t *strv_to_json(char *const *strv) {
        json_t *array = json_array();

        for (size_t i = 0; array && strv && strv[i]; i++)
                if (json_array_append_new(array, json_string(strv[i])) < 0)
                        return json_decref(array), NULL;
        return array;
}

static json_t *field_to_json(const void *base, const struct field *field) {
        const char *p = (const char *)base + field->offset;

        switch (field->kind) {
        case FIELD_STRING:
                return string_or_null(*(char *const *)p);
        case FIELD_STRV:
                return strv_to_json(*(char **const *)p);
        case FIELD_BOOL:
                return json_boolean(*(const bool *)p);
        case FIELD_U64:
                return json_integer((json_int_t) * (const uint64_t *)p);
        case FIELD_U32:
                return json_integer((json_int_t) * (const uint32_t *)p);
        case FIELD_UNSIGNED:
                return json_integer((json_int_t) * (const unsigned *)p);
        case FIELD_ID128:
                return json_string(tether_unit_invocation_id(base, (char[33]){0}));
        }
        return NULL;
}

static json_t *unit_to_json(const struct tether_unit *unit) {
        json_t *object;

        if (!unit)
                return json_null();
        object = json_object();
        for (size_t i = 0; object && i < ELEMENTSOF(unit_fields); i++)
                if (json_object_set_new(object, unit_fields[i].key, field_to_json(unit, &unit_fields[i])) <
                    0)
                        return json_decref(object), NULL;
        return object;
}

static json_t *snapshot_to_json(const struct tether_netfilter_snapshot *snapshot) {
        return snapshot ? tether_netfilter_snapshot_to_json(snapshot) : json_null();
}

static json_t *files_to_json(const struct tether_host_facts *facts) {
        json_t *files = json_object();

        for (size_t i = 0; files && i < _TETHER_HOST_FILE_MAX; i++)
                if (json_object_set_new(files, tether_host_file_paths[i], string_or_null(facts->files[i])) <
                    0)
                        return json_decref(files), NULL;
        return files;
}

static json_t *dropin_to_json(const struct tether_host_facts *facts) {
        json_t *others = json_array();

        for (size_t i = 0; others && i < facts->n_other_dropins; i++)
                if (json_array_append_new(
                            others, json_pack("{s:s, s:o}", "path", facts->other_dropins[i].path, "text",
                                              string_or_null(facts->other_dropins[i].text))) < 0)
                        return json_decref(others), NULL;
        return json_pack("{s:o, s:o, s:o, s:o}", "path", string_or_null(facts->dropin_path), "contents",
                         string_or_null(facts->dropin_contents), "others", others, "unloaded",
                         strv_to_json(facts->unloaded_dropins));
}

/* watch's unit and what its journal says (watch-summary.h), as gathered. */
static json_t *watch_to_json(const struct tether_host_facts *facts) {
        const struct tether_watch_summary *journal = &facts->watch_journal;
        json_t *last_flush = json_null();

        if (journal->flush_seen)
                last_flush = json_pack("{s:o, s:I, s:o, s:o}", "culprit", string_or_null(journal->culprit),
                                       "culprit_pid", (json_int_t)journal->culprit_pid, "culprit_unit",
                                       string_or_null(journal->culprit_unit), "heal_ms",
                                       journal->heal_ms < 0 ? json_null() : json_integer(journal->heal_ms));
        return json_pack("{s:o, s:I, s:I, s:o}", "unit", unit_to_json(facts->watch), "heals",
                         (json_int_t)journal->heals, "last_heal_usec", (json_int_t)journal->last_heal_usec,
                         "last_flush", last_flush);
}

json_t *tether_host_facts_to_json(const struct tether_host_facts *facts) {
        json_t *firewalls = json_array(), *json;

        for (size_t i = 0; firewalls && i < facts->n_firewalls; i++)
                if (json_array_append_new(firewalls, unit_to_json(facts->firewalls[i])) < 0)
                        return json_decref(firewalls), NULL;
        json = json_pack(
                "{s:s, s:{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b}, s:{s:o, s:o, s:I, s:o, s:I, s:b, s:I, "
                "s:I, s:o},"
                " s:{s:s, s:o, s:o, s:o, s:o}, s:o, s:{s:o, s:o}, s:o, s:o}",
                "schema", FACTS_SCHEMA, "host", "hostname", string_or_null(facts->hostname), "os_id",
                string_or_null(facts->os_id), "os_version_id", string_or_null(facts->os_version_id),
                "os_pretty_name", string_or_null(facts->os_pretty_name), "kernel",
                string_or_null(facts->kernel), "systemd", string_or_null(facts->systemd_version),
                "init_system", string_or_null(facts->init_system), "unit_dir_read_only",
                facts->unit_dir_read_only, "docker", "unit", unit_to_json(facts->docker), "other_unit",
                string_or_null(facts->docker_other_unit), "outside_pid",
                (json_int_t)facts->dockerd_outside_pid, "version", string_or_null(facts->docker_version),
                "major", (json_int_t)facts->docker_major, "live_restore", facts->live_restore,
                "starts_in_window", (json_int_t)facts->starts_in_window, "start_room_in_sec",
                (json_int_t)facts->start_room_in_sec, "running_containers",
                facts->running_containers < 0 ? json_null() : json_integer(facts->running_containers),
                "netfilter", "backend", tether_netfilter_backend_to_string(facts->netfilter_backend), "ipv4",
                snapshot_to_json(facts->ipv4), "ipv6", snapshot_to_json(facts->ipv6), "error",
                string_or_null(facts->netfilter_error), "nft_tables", string_or_null(facts->nft_tables),
                "firewalls", firewalls, "firewalld", "version", string_or_null(facts->firewalld_version),
                "bridge_zone", string_or_null(facts->firewalld_bridge_zone), "files", files_to_json(facts),
                "dropin", dropin_to_json(facts));
        if (json && json_object_set_new(json, "watch", watch_to_json(facts)) < 0)
                return json_decref(json), NULL;
        return json;
}

/* ---- in ---------------------------------------------------------------- */

/* Each reader leaves *ret as it was for a missing or null value. */
static int string_from_json(json_t *value, const char *key, char **ret, struct tether_error *error) {
        char *copy;

        if (!value || json_is_null(value))
                return 0;
        if (!json_is_string(value))
                return tether_error_set(error, -EBADMSG, "not a tether.facts/1 document: %s is not a string",
                                        key);
        copy = strdup(json_string_value(value));
        if (!copy)
                return -ENOMEM;
        free(*ret);
        *ret = copy;
        return 0;
}

static int strv_from_json(json_t *value, const char *key, char ***ret, struct tether_error *error) {
        _cleanup_strv_free_ char **strv = NULL;
        size_t i;
        json_t *item;

        if (!value || json_is_null(value))
                return 0;
        if (!json_is_array(value))
                return tether_error_set(error, -EBADMSG, "not a tether.facts/1 document: %s is not a list",
                                        key);
        strv = calloc(json_array_size(value) + 1, sizeof(char *));
        if (!strv)
                return -ENOMEM;
        json_array_foreach(value, i, item) {
                if (!json_is_string(item))
                        return tether_error_set(error, -EBADMSG,
                                                "not a tether.facts/1 document: %s holds a non-string", key);
                strv[i] = strdup(json_string_value(item));
                if (!strv[i])
                        return -ENOMEM;
        }
        strv_free(*ret);
        *ret = TAKE_PTR(strv);
        return 0;
}

static int number_from_json(json_t *value, const char *key, uint64_t max, uint64_t *ret,
                            struct tether_error *error) {
        if (!value || json_is_null(value))
                return 0;
        if (!json_is_integer(value) || json_integer_value(value) < 0 ||
            (uint64_t)json_integer_value(value) > max)
                return tether_error_set(error, -EBADMSG,
                                        "not a tether.facts/1 document: %s is not a number from 0 to %llu",
                                        key, (unsigned long long)max);
        *ret = (uint64_t)json_integer_value(value);
        return 0;
}

/* 0 to 15 for a hex digit of either case, -1 for any other character. */
static int hex_digit_value(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

static int id128_from_json(json_t *value, const char *key, uint8_t ret[16], struct tether_error *error) {
        const char *hex = json_string_value(value);
        uint8_t id[16];

        if (!value || json_is_null(value))
                return 0;
        if (!hex || strlen(hex) != 32)
                return tether_error_set(error, -EBADMSG,
                                        "not a tether.facts/1 document: %s is not 32 hex digits", key);
        for (size_t i = 0; i < 16; i++) {
                int high = hex_digit_value(hex[2 * i]), low = hex_digit_value(hex[2 * i + 1]);

                if (high < 0 || low < 0)
                        return tether_error_set(error, -EBADMSG,
                                                "not a tether.facts/1 document: %s is not 32 hex digits",
                                                key);
                id[i] = (uint8_t)(high << 4 | low);
        }
        memcpy(ret, id, sizeof(id));
        return 0;
}

static int field_from_json(json_t *object, const struct field *field, void *base,
                           struct tether_error *error) {
        json_t *value = json_object_get(object, field->key);
        char *p = (char *)base + field->offset;
        uint64_t number = 0;
        int r;

        switch (field->kind) {
        case FIELD_STRING:
                return string_from_json(value, field->key, (char **)p, error);
        case FIELD_STRV:
                return strv_from_json(value, field->key, (char ***)p, error);
        case FIELD_BOOL:
                if (value && !json_is_boolean(value) && !json_is_null(value))
                        return tether_error_set(error, -EBADMSG,
                                                "not a tether.facts/1 document: %s is not true or false",
                                                field->key);
                *(bool *)p = json_is_true(value);
                return 0;
        case FIELD_U64:
                return number_from_json(value, field->key, UINT64_MAX >> 1, (uint64_t *)p, error);
        case FIELD_U32:
        case FIELD_UNSIGNED:
                r = number_from_json(value, field->key, UINT32_MAX, &number, error);
                if (r >= 0 && field->kind == FIELD_U32)
                        *(uint32_t *)p = (uint32_t)number;
                else if (r >= 0)
                        *(unsigned *)p = (unsigned)number;
                return r;
        case FIELD_ID128:
                return id128_from_json(value, field->key, (uint8_t *)p, error);
        }
        return -EINVAL;
}

static int unit_from_json(json_t *object, struct tether_unit **ret, struct tether_error *error) {
        _cleanup_(tether_unit_freep) struct tether_unit *unit = calloc(1, sizeof(*unit));
        int r;

        if (!unit)
                return -ENOMEM;
        if (!json_is_object(object))
                return fail(error, "a unit is not an object");
        for (size_t i = 0; i < ELEMENTSOF(unit_fields); i++) {
                r = field_from_json(object, &unit_fields[i], unit, error);
                if (r < 0)
                        return r;
        }
        if (!unit->id || !unit->id[0])
                return fail(error, "a unit has no id");
        r = tether_unit_fill_missing(unit);
        if (r < 0)
                return r;
        if (!unit->name && !(unit->name = strdup(unit->id)))
                return -ENOMEM;
        *ret = TAKE_PTR(unit);
        return 0;
}

/* Back through the parser: the JSON form as the iptables-save text it came from. */
static int snapshot_from_json(json_t *value, const char *key, struct tether_netfilter_snapshot **ret,
                              struct tether_error *error) {
        struct strbuf text = STRBUF_INIT;
        _cleanup_free_ char *save = NULL;
        const char *backend = json_string_value(json_object_get(value, "backend")), *table_name;
        json_t *tables = json_object_get(value, "tables"), *table, *item;
        size_t i;

        if (!value || json_is_null(value))
                return 0;
        if (!json_is_object(tables))
                return tether_error_set(error, -EBADMSG, "not a tether.facts/1 document: %s has no tables",
                                        key);
        if (backend && strcmp(backend, "unknown") != 0)
                strbuf_appendf(&text, "# Generated by iptables-save v1 %s\n",
                               strcmp(backend, "nft") == 0 ? "(nf_tables)" : "(legacy)");
        json_object_foreach(tables, table_name, table) {
                strbuf_appendf(&text, "*%s\n", table_name);
                json_array_foreach(json_object_get(table, "chains"), i, item)
                        strbuf_appendf(&text, ":%s - [0:0]\n", json_string_value(item) ?: "");
                json_array_foreach(json_object_get(table, "rules"), i, item)
                        strbuf_appendf(&text, "%s\n", json_string_value(item) ?: "");
                strbuf_append(&text, "COMMIT\n");
        }
        save = strbuf_steal(&text);
        if (!save)
                return -ENOMEM;
        return tether_netfilter_parse_save(save, strlen(save), ret, error);
}

static int host_from_json(json_t *host, struct tether_host_facts *facts, struct tether_error *error) {
        struct {
                const char *key;
                char **field;
        } strings[] = {
                {"hostname", &facts->hostname},
                {"os_id", &facts->os_id},
                {"os_version_id", &facts->os_version_id},
                {"os_pretty_name", &facts->os_pretty_name},
                {"kernel", &facts->kernel},
                {"systemd", &facts->systemd_version},
                {"init_system", &facts->init_system},
        };
        int r;

        for (size_t i = 0; i < ELEMENTSOF(strings); i++) {
                r = string_from_json(json_object_get(host, strings[i].key), strings[i].key, strings[i].field,
                                     error);
                if (r < 0)
                        return r;
        }
        facts->unit_dir_read_only = json_is_true(json_object_get(host, "unit_dir_read_only"));
        return 0;
}

static int docker_from_json(json_t *docker, struct tether_host_facts *facts, struct tether_error *error) {
        json_t *unit = json_object_get(docker, "unit");
        uint64_t major = 0, starts = 0, room = 0, running = UINT64_MAX, outside = 0;
        int r = 0;

        if (unit && !json_is_null(unit))
                r = unit_from_json(unit, &facts->docker, error);
        if (r >= 0)
                r = string_from_json(json_object_get(docker, "other_unit"), "docker.other_unit",
                                     &facts->docker_other_unit, error);
        if (r >= 0)
                r = string_from_json(json_object_get(docker, "version"), "docker.version",
                                     &facts->docker_version, error);
        if (r >= 0)
                r = number_from_json(json_object_get(docker, "major"), "docker.major", UINT32_MAX, &major,
                                     error);
        if (r >= 0)
                r = number_from_json(json_object_get(docker, "starts_in_window"), "docker.starts_in_window",
                                     UINT32_MAX, &starts, error);
        if (r >= 0)
                r = number_from_json(json_object_get(docker, "start_room_in_sec"),
                                     "docker.start_room_in_sec", UINT32_MAX, &room, error);
        if (r >= 0)
                r = number_from_json(json_object_get(docker, "running_containers"),
                                     "docker.running_containers", INT32_MAX, &running, error);
        if (r >= 0)
                r = number_from_json(json_object_get(docker, "outside_pid"), "docker.outside_pid",
                                     UINT32_MAX, &outside, error);
        if (r < 0)
                return r;
        facts->dockerd_outside_pid = (unsigned)outside;
        facts->running_containers = running == UINT64_MAX ? -1 : (int)running;
        facts->docker_major = (unsigned)major;
        facts->starts_in_window = (unsigned)starts;
        facts->start_room_in_sec = (unsigned)room;
        facts->live_restore = json_is_true(json_object_get(docker, "live_restore"));
        return 0;
}

static int netfilter_from_json(json_t *netfilter, struct tether_host_facts *facts,
                               struct tether_error *error) {
        const char *backend = json_string_value(json_object_get(netfilter, "backend"));
        int r;

        facts->netfilter_backend = !backend                         ? TETHER_NETFILTER_UNKNOWN
                                   : strcmp(backend, "nft") == 0    ? TETHER_NETFILTER_NFT
                                   : strcmp(backend, "legacy") == 0 ? TETHER_NETFILTER_LEGACY
                                                                    : TETHER_NETFILTER_UNKNOWN;
        r = snapshot_from_json(json_object_get(netfilter, "ipv4"), "netfilter.ipv4", &facts->ipv4, error);
        if (r >= 0)
                r = snapshot_from_json(json_object_get(netfilter, "ipv6"), "netfilter.ipv6", &facts->ipv6,
                                       error);
        if (r >= 0)
                r = string_from_json(json_object_get(netfilter, "error"), "netfilter.error",
                                     &facts->netfilter_error, error);
        if (r >= 0)
                r = string_from_json(json_object_get(netfilter, "nft_tables"), "netfilter.nft_tables",
                                     &facts->nft_tables, error);
        return r;
}

static int firewalls_from_json(json_t *firewalls, struct tether_host_facts *facts,
                               struct tether_error *error) {
        size_t i;
        json_t *item;
        int r;

        if (firewalls && !json_is_array(firewalls))
                return fail(error, "firewalls is not a list");
        json_array_foreach(firewalls, i, item) {
                struct tether_unit *unit = NULL;

                r = unit_from_json(item, &unit, error);
                if (r >= 0)
                        r = tether_host_facts_add_firewall(facts, unit);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int firewalld_from_json(json_t *firewalld, struct tether_host_facts *facts,
                               struct tether_error *error) {
        int r;

        r = string_from_json(json_object_get(firewalld, "version"), "firewalld.version",
                             &facts->firewalld_version, error);
        if (r >= 0)
                r = string_from_json(json_object_get(firewalld, "bridge_zone"), "firewalld.bridge_zone",
                                     &facts->firewalld_bridge_zone, error);
        return r;
}

static int files_from_json(json_t *files, struct tether_host_facts *facts, struct tether_error *error) {
        int r;

        for (size_t i = 0; i < _TETHER_HOST_FILE_MAX; i++) {
                r = string_from_json(json_object_get(files, tether_host_file_paths[i]),
                                     tether_host_file_paths[i], &facts->files[i], error);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int dropin_from_json(json_t *dropin, struct tether_host_facts *facts, struct tether_error *error) {
        json_t *others = json_object_get(dropin, "others"), *item;
        size_t i;
        int r;

        r = string_from_json(json_object_get(dropin, "path"), "dropin.path", &facts->dropin_path, error);
        if (r >= 0)
                r = string_from_json(json_object_get(dropin, "contents"), "dropin.contents",
                                     &facts->dropin_contents, error);
        if (r >= 0)
                r = strv_from_json(json_object_get(dropin, "unloaded"), "dropin.unloaded",
                                   &facts->unloaded_dropins, error);
        if (r < 0)
                return r;
        json_array_foreach(others, i, item) {
                char *path = NULL, *text = NULL;

                r = string_from_json(json_object_get(item, "path"), "dropin.others.path", &path, error);
                if (r >= 0 && !path)
                        r = fail(error, "a drop-in of dropin.others has no path");
                if (r >= 0)
                        r = string_from_json(json_object_get(item, "text"), "dropin.others.text", &text,
                                             error);
                if (r < 0) {
                        free(path);
                        free(text);
                        return r;
                }
                r = tether_host_facts_add_dropin(facts, path, text);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int last_flush_from_json(json_t *last_flush, struct tether_watch_summary *journal,
                                struct tether_error *error) {
        uint64_t pid = 0, heal_ms = UINT64_MAX;
        int r;

        if (!last_flush || json_is_null(last_flush))
                return 0;
        if (!json_is_object(last_flush))
                return fail(error, "watch.last_flush is not an object");
        r = string_from_json(json_object_get(last_flush, "culprit"), "watch.last_flush.culprit",
                             &journal->culprit, error);
        if (r >= 0)
                r = string_from_json(json_object_get(last_flush, "culprit_unit"),
                                     "watch.last_flush.culprit_unit", &journal->culprit_unit, error);
        if (r >= 0)
                r = number_from_json(json_object_get(last_flush, "culprit_pid"),
                                     "watch.last_flush.culprit_pid", UINT32_MAX, &pid, error);
        if (r >= 0)
                r = number_from_json(json_object_get(last_flush, "heal_ms"), "watch.last_flush.heal_ms",
                                     UINT32_MAX, &heal_ms, error);
        if (r < 0)
                return r;
        journal->culprit_pid = (unsigned)pid;
        journal->heal_ms = heal_ms == UINT64_MAX ? -1 : (long long)heal_ms;
        journal->flush_seen = true;
        return 0;
}

static int watch_from_json(json_t *watch, struct tether_host_facts *facts, struct tether_error *error) {
        json_t *unit = json_object_get(watch, "unit");
        uint64_t heals = 0, last_heal = 0;
        int r = 0;

        if (watch && !json_is_object(watch) && !json_is_null(watch))
                return fail(error, "watch is not an object");
        if (unit && !json_is_null(unit))
                r = unit_from_json(unit, &facts->watch, error);
        if (r >= 0)
                r = number_from_json(json_object_get(watch, "heals"), "watch.heals", UINT32_MAX, &heals,
                                     error);
        if (r >= 0)
                r = number_from_json(json_object_get(watch, "last_heal_usec"), "watch.last_heal_usec",
                                     UINT64_MAX >> 1, &last_heal, error);
        if (r < 0)
                return r;
        facts->watch_journal.heals = (unsigned)heals;
        facts->watch_journal.last_heal_usec = last_heal;
        return last_flush_from_json(json_object_get(watch, "last_flush"), &facts->watch_journal, error);
}

int tether_host_facts_from_json(json_t *json, struct tether_host_facts **ret, struct tether_error *error) {
        _cleanup_(tether_host_facts_freep) struct tether_host_facts *facts = NULL;
        const char *schema = json_string_value(json_object_get(json, "schema"));
        int r;

        if (!json_is_object(json))
                return fail(error, "it is not a JSON object");
        if (!schema || strcmp(schema, FACTS_SCHEMA) != 0)
                return fail(error, "its \"schema\" is not \"" FACTS_SCHEMA "\"");
        facts = tether_host_facts_new();
        if (!facts)
                return -ENOMEM;
        r = host_from_json(json_object_get(json, "host"), facts, error);
        if (r >= 0)
                r = docker_from_json(json_object_get(json, "docker"), facts, error);
        if (r >= 0)
                r = netfilter_from_json(json_object_get(json, "netfilter"), facts, error);
        if (r >= 0)
                r = firewalls_from_json(json_object_get(json, "firewalls"), facts, error);
        if (r >= 0)
                r = firewalld_from_json(json_object_get(json, "firewalld"), facts, error);
        if (r >= 0)
                r = files_from_json(json_object_get(json, "files"), facts, error);
        if (r >= 0)
                r = dropin_from_json(json_object_get(json, "dropin"), facts, error);
        if (r >= 0)
                r = watch_from_json(json_object_get(json, "watch"), facts, error);
        if (r < 0)
                return r == -ENOMEM ? tether_error_set(error, r, "out of memory") : r;
        *ret = TAKE_PTR(facts);
        return 0;
}
