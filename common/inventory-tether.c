/* SPDX-License-Identifier: MIT */
/*
 * tether's own inventory format (see inventory-internal.h):
 *
 *   {
 *     "defaults": { "user": "deploy", "port": 22, "sudo": true },
 *     "hosts": [
 *       { "name": "web-01", "address": "203.0.113.10", "tags": ["web"] },
 *       { "name": "db-01", "port": 2222, "firewall": "nftables" }
 *     ]
 *   }
 *
 * gives web-01 (deploy@203.0.113.10:22, sudo, firewall "auto", tags web)
 * and db-01 (deploy@db-01:2222, sudo, firewall "nftables.service"): a
 * host's own field beats "defaults", the address defaults to the name, and
 * the tags of "defaults" come first. Keys are strict: an unknown one is an
 * error, with a suggestion for a misspelt one.
 */
#include <string.h>

#include "inventory-internal.h"
#include "suggest.h"

static const char *const top_keys[] = {"defaults", "hosts"};

bool inventory_looks_like_tether(json_t *root) {
        const char *key;
        json_t *value;

        json_object_foreach(root, key, value) {
                if (tether_suggest_closest(key, top_keys, ELEMENTSOF(top_keys)))
                        return true;
        }
        return false;
}

/* "defaults", if there is one, into defaults (initialized). */
static int parse_defaults(struct inventory_parser *p, json_t *object, struct tether_host *defaults) {
        const char *keys[INVENTORY_KEYS_MAX];
        char found[TETHER_QUOTE_SIZE];
        size_t n_keys = inventory_host_keys(false, keys);
        int r;

        if (!object)
                return 0;
        if (!json_is_object(object))
                return inventory_fail(p, -EINVAL, "defaults", "expected an object, got %s",
                                      inventory_describe(object, found));
        if (json_object_get(object, "name"))
                return inventory_fail(
                        p, -EINVAL, "defaults",
                        "\"name\" cannot have a default; every host has its own, in \"hosts\"");
        r = inventory_check_keys(p, object, "defaults", keys, n_keys);
        if (r < 0)
                return r;
        return inventory_host_set_fields(p, defaults, object, "defaults");
}

/* "hosts": a non-empty array, not too long. */
static int check_hosts(struct inventory_parser *p, json_t *hosts) {
        char found[TETHER_QUOTE_SIZE];

        if (!hosts)
                return inventory_fail(p, -EINVAL, NULL, "missing key \"hosts\"; a tether inventory is %s",
                                      INVENTORY_TETHER_EXAMPLE);
        if (!json_is_array(hosts))
                return inventory_fail(p, -EINVAL, "hosts", "expected an array of host objects, got %s",
                                      inventory_describe(hosts, found));
        if (json_array_size(hosts) == 0)
                return inventory_fail(p, -EINVAL, "hosts",
                                      "no hosts; list at least one, such as {\"name\": \"web-01\"}");
        if (json_array_size(hosts) > TETHER_INVENTORY_MAX_HOSTS)
                return inventory_fail(p, -E2BIG, "hosts", "%zu hosts; an inventory has at most %u",
                                      json_array_size(hosts), TETHER_INVENTORY_MAX_HOSTS);
        return 0;
}

/* The host's name, checked and unique: names maps each name to the index
 * of the host that has it. */
static int parse_name(struct inventory_parser *p, json_t *object, const char *host_path, size_t index,
                      json_t *names, struct tether_host *host) {
        char quoted[TETHER_QUOTE_SIZE], name_path[INVENTORY_PATH_SIZE], first_path[INVENTORY_PATH_SIZE];
        json_t *value = json_object_get(object, "name"), *previous;
        int r;

        if (!value)
                return inventory_fail(
                        p, -EINVAL, host_path,
                        "missing key \"name\"; every host has one, such as {\"name\": \"web-01\"}");
        inventory_path_key(name_path, host_path, "name");
        r = inventory_name_value(p, INVENTORY_HOST_NAME, value, name_path, NULL);
        if (r < 0)
                return r;

        previous = json_object_get(names, json_string_value(value));
        if (previous) {
                inventory_path_index(first_path, "hosts", (size_t)json_integer_value(previous));
                return inventory_fail(p, -EINVAL, name_path,
                                      "%s is used twice (also %s); host names must be unique",
                                      tether_quote_string(json_string_value(value), quoted), first_path);
        }
        if (json_object_set_new(names, json_string_value(value), json_integer((json_int_t)index)) < 0)
                return inventory_fail_oom(p);
        host->name = strdup(json_string_value(value));
        if (!host->name)
                return inventory_fail_oom(p);
        return 0;
}

/* hosts[index] into inventory->hosts[index], which it counts in as soon as
 * there is something to free. */
static int parse_host(struct inventory_parser *p, json_t *object, size_t index,
                      const struct tether_host *defaults, json_t *names,
                      struct tether_inventory *inventory) {
        struct tether_host *host = &inventory->hosts[index];
        const char *keys[INVENTORY_KEYS_MAX];
        char found[TETHER_QUOTE_SIZE], host_path[INVENTORY_PATH_SIZE];
        size_t n_keys = inventory_host_keys(true, keys);
        int r;

        inventory_path_index(host_path, "hosts", index);
        if (!json_is_object(object))
                return inventory_fail(p, -EINVAL, host_path,
                                      "expected a host object such as {\"name\": \"web-01\"}, got %s",
                                      inventory_describe(object, found));
        r = inventory_check_keys(p, object, host_path, keys, n_keys);
        if (r < 0)
                return r;

        r = inventory_host_init(p, host);
        if (r < 0)
                return r;
        inventory->n_hosts++;
        r = parse_name(p, object, host_path, index, names, host);
        if (r < 0)
                return r;

        /* The tags of defaults come first. */
        for (size_t i = 0; i < defaults->n_tags; i++) {
                r = inventory_host_add_tag(p, host, defaults->tags[i]);
                if (r < 0)
                        return r;
        }
        r = inventory_host_set_fields(p, host, object, host_path);
        if (r < 0)
                return r;
        return inventory_host_complete(p, host, defaults);
}

int inventory_parse_tether(struct inventory_parser *p, json_t *root, struct tether_inventory *inventory) {
        _cleanup_(inventory_host_done) struct tether_host defaults = {.sudo = -1};
        json_auto_t *names = NULL;
        json_t *hosts = json_object_get(root, "hosts"), *object;
        size_t index;
        int r;

        r = inventory_check_keys(p, root, "", top_keys, ELEMENTSOF(top_keys));
        if (r < 0)
                return r;
        r = inventory_host_init(p, &defaults);
        if (r < 0)
                return r;
        r = parse_defaults(p, json_object_get(root, "defaults"), &defaults);
        if (r < 0)
                return r;
        r = check_hosts(p, hosts);
        if (r < 0)
                return r;

        inventory->hosts = calloc(json_array_size(hosts), sizeof(struct tether_host));
        names = json_object();
        if (!inventory->hosts || !names)
                return inventory_fail_oom(p);
        json_array_foreach(hosts, index, object) {
                r = parse_host(p, object, index, &defaults, names, inventory);
                if (r < 0)
                        return r;
        }
        return 0;
}
