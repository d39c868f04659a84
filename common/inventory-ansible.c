/* SPDX-License-Identifier: MIT */
/*
 * The inventory as `ansible-inventory --list` prints it (see
 * inventory-internal.h):
 *
 *   {
 *     "_meta": { "hostvars": { "web-01": { "ansible_host": "203.0.113.10",
 *                                          "ansible_port": "22" } } },
 *     "all": { "children": ["ungrouped", "prod"] },
 *     "prod": { "children": ["web"] },
 *     "web": { "hosts": ["web-01"] }
 *   }
 *
 * gives web-01 at 203.0.113.10:22 with tags web and prod: the groups a host
 * is in, directly or through "children", except "all" and "ungrouped".
 * Hosts come in the order they first appear, walking the groups in
 * document order (jansson keeps it), then those only in hostvars. Host
 * variables tether does not read are the playbooks' business, but for
 * "tether_" ones, which are tether's.
 */
#include <string.h>

#include "inventory-internal.h"

/* What walking the groups has found so far. */
struct ansible_walk {
        struct inventory_parser *p;
        struct tether_inventory *inventory;
        json_t *names;       /* host name -> its index in inventory->hosts */
        json_t *memberships; /* for each host, the array of the groups that list it */
        json_t *parents_of;  /* group name -> the array of the groups that list it in "children" */
        size_t capacity;     /* of inventory->hosts */
};

static bool is_implicit_group(const char *group) {
        return strcmp(group, "all") == 0 || strcmp(group, "ungrouped") == 0;
}

/* Room in inventory->hosts for one more host. */
static int grow_hosts(struct ansible_walk *walk, const char *path) {
        struct tether_inventory *inventory = walk->inventory;
        size_t capacity;
        struct tether_host *hosts;

        if (inventory->n_hosts >= TETHER_INVENTORY_MAX_HOSTS)
                return inventory_fail(walk->p, -E2BIG, path,
                                      "more than %u hosts; an inventory has at most %u",
                                      TETHER_INVENTORY_MAX_HOSTS, TETHER_INVENTORY_MAX_HOSTS);
        if (inventory->n_hosts < walk->capacity)
                return 0;
        capacity = walk->capacity ? walk->capacity * 2 : 16;
        if (capacity > TETHER_INVENTORY_MAX_HOSTS)
                capacity = TETHER_INVENTORY_MAX_HOSTS;
        hosts = realloc(inventory->hosts, capacity * sizeof(struct tether_host));
        if (!hosts)
                return inventory_fail_oom(walk->p);
        inventory->hosts = hosts;
        walk->capacity = capacity;
        return 0;
}

/* The index of the host named name, added (with its name checked) on
 * first sight. */
static int add_host(struct ansible_walk *walk, const char *name, const char *path, size_t *ret_index) {
        struct tether_inventory *inventory = walk->inventory;
        json_t *known = json_object_get(walk->names, name);
        struct tether_host *host;
        int r;

        if (known) {
                *ret_index = (size_t)json_integer_value(known);
                return 0;
        }

        r = inventory_check_name(walk->p, INVENTORY_HOST_NAME, path, name, NULL);
        if (r < 0)
                return r;
        r = grow_hosts(walk, path);
        if (r < 0)
                return r;
        host = &inventory->hosts[inventory->n_hosts];
        r = inventory_host_init(walk->p, host);
        if (r < 0)
                return r;
        inventory->n_hosts++;
        host->name = strdup(name);
        if (!host->name)
                return inventory_fail_oom(walk->p);
        if (json_object_set_new(walk->names, name, json_integer((json_int_t)(inventory->n_hosts - 1))) < 0 ||
            json_array_append_new(walk->memberships, json_array()) < 0)
                return inventory_fail_oom(walk->p);
        *ret_index = inventory->n_hosts - 1;
        return 0;
}

/* A group's "hosts" or "children" (key): an array of strings, each a
 * what; path gets where it is. */
static int check_group_list(struct inventory_parser *p, json_t *value, const char *group_path,
                            const char *key, const char *what, char path[static INVENTORY_PATH_SIZE]) {
        char found[TETHER_QUOTE_SIZE], element_path[INVENTORY_PATH_SIZE];
        json_t *element;
        size_t index;

        inventory_path_key(path, group_path, key);
        if (!json_is_array(value))
                return inventory_fail(p, -EINVAL, path, "expected an array of %ss, got %s", what,
                                      inventory_describe(value, found));
        json_array_foreach(value, index, element) {
                if (!json_is_string(element)) {
                        inventory_path_index(element_path, path, index);
                        return inventory_fail(p, -EINVAL, element_path, "expected a %s (a string), got %s",
                                              what, inventory_describe(element, found));
                }
        }
        return 0;
}

/* The group's "hosts": each added, and the group noted among its own. */
static int walk_group_hosts(struct ansible_walk *walk, const char *group_name, json_t *hosts,
                            const char *group_path) {
        char hosts_path[INVENTORY_PATH_SIZE], host_path[INVENTORY_PATH_SIZE];
        json_t *element;
        size_t index;
        int r;

        r = check_group_list(walk->p, hosts, group_path, "hosts", "host name", hosts_path);
        if (r < 0)
                return r;
        json_array_foreach(hosts, index, element) {
                size_t host_index;

                inventory_path_index(host_path, hosts_path, index);
                r = add_host(walk, json_string_value(element), host_path, &host_index);
                if (r < 0)
                        return r;
                if (json_array_append_new(json_array_get(walk->memberships, host_index),
                                          json_string(group_name)) < 0)
                        return inventory_fail_oom(walk->p);
        }
        return 0;
}

/* The group's "children": the group noted as a parent of each. */
static int walk_group_children(struct ansible_walk *walk, const char *group_name, json_t *children,
                               const char *group_path) {
        char children_path[INVENTORY_PATH_SIZE];
        json_t *element;
        size_t index;
        int r;

        r = check_group_list(walk->p, children, group_path, "children", "group name", children_path);
        if (r < 0)
                return r;
        json_array_foreach(children, index, element) {
                const char *child = json_string_value(element);
                json_t *parents = json_object_get(walk->parents_of, child);

                if (!parents) {
                        parents = json_array();
                        if (json_object_set_new(walk->parents_of, child, parents) < 0)
                                return inventory_fail_oom(walk->p);
                }
                if (json_array_append_new(parents, json_string(group_name)) < 0)
                        return inventory_fail_oom(walk->p);
        }
        return 0;
}

static int walk_group(struct ansible_walk *walk, const char *group_name, json_t *group) {
        char found[TETHER_QUOTE_SIZE], path[INVENTORY_PATH_SIZE];
        json_t *hosts = json_object_get(group, "hosts"), *children = json_object_get(group, "children");
        int r;

        inventory_path_key(path, "", group_name);
        if (!json_is_object(group))
                return inventory_fail(
                        walk->p, -EINVAL, path,
                        "expected an Ansible group, an object with \"hosts\" and \"children\", "
                        "got %s",
                        inventory_describe(group, found));
        if (!is_implicit_group(group_name)) {
                r = inventory_check_name(walk->p, INVENTORY_GROUP_NAME, path, group_name, NULL);
                if (r < 0)
                        return r;
        }
        if (hosts) {
                r = walk_group_hosts(walk, group_name, hosts, path);
                if (r < 0)
                        return r;
        }
        if (children) {
                r = walk_group_children(walk, group_name, children, path);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* "_meta.hostvars", or NULL in *ret_hostvars when there is none. */
static int find_hostvars(struct inventory_parser *p, json_t *root, json_t **ret_hostvars) {
        char found[TETHER_QUOTE_SIZE];
        json_t *meta = json_object_get(root, "_meta"), *hostvars = NULL;

        if (meta) {
                if (!json_is_object(meta))
                        return inventory_fail(p, -EINVAL, "_meta",
                                              "expected an object with \"hostvars\", got %s",
                                              inventory_describe(meta, found));
                hostvars = json_object_get(meta, "hostvars");
                if (hostvars && !json_is_object(hostvars))
                        return inventory_fail(p, -EINVAL, "_meta.hostvars",
                                              "expected an object of hosts' variables, got %s",
                                              inventory_describe(hostvars, found));
        }
        *ret_hostvars = hostvars;
        return 0;
}

/* A host's variables into its fields; an unknown "tether_" one is a typo. */
static int host_vars(struct inventory_parser *p, struct tether_host *host, json_t *vars) {
        char found[TETHER_QUOTE_SIZE], path[INVENTORY_PATH_SIZE];
        const char *tether_vars[INVENTORY_KEYS_MAX], *key;
        size_t n_tether_vars = inventory_tether_vars(tether_vars);
        json_t *value;
        int r;

        inventory_path_key(path, "_meta.hostvars", host->name);
        if (!json_is_object(vars))
                return inventory_fail(p, -EINVAL, path, "expected an object of variables, got %s",
                                      inventory_describe(vars, found));
        r = inventory_ansible_templates(p, host, vars);
        if (r >= 0 && !host->refusal)
                r = inventory_host_set_fields(p, host, vars, path);
        if (r >= 0 && !host->refusal)
                r = inventory_ansible_vars(p, host, vars);
        if (r < 0)
                return r;
        json_object_foreach(vars, key, value) {
                if (strncmp(key, "tether_", strlen("tether_")) == 0 &&
                    !inventory_in_list(key, tether_vars, n_tether_vars))
                        return inventory_fail_unknown(p, path, "variable", key, "tether reads", tether_vars,
                                                      n_tether_vars);
        }
        return 0;
}

/* The tags of a host: its groups, then their parents breadth-first, each
 * once (so cycles in "children" end), without "all" and "ungrouped". */
static int host_tags(struct inventory_parser *p, struct tether_host *host, json_t *groups,
                     json_t *parents_of) {
        json_auto_t *queue = json_copy(groups), *seen = json_object();
        json_t *group, *parent;
        size_t index;
        int r;

        if (!queue || !seen)
                return inventory_fail_oom(p);
        json_array_foreach(queue, index, group) {
                if (json_object_set(seen, json_string_value(group), json_true()) < 0)
                        return inventory_fail_oom(p);
        }

        for (size_t i = 0; i < json_array_size(queue); i++) {
                const char *name = json_string_value(json_array_get(queue, i));

                if (!is_implicit_group(name)) {
                        r = inventory_host_add_tag(p, host, name);
                        if (r == -E2BIG)
                                return inventory_fail(
                                        p, r, NULL,
                                        "host \"%s\" is in more than %u groups (counting parent groups); "
                                        "a host has at most %u tags",
                                        host->name, TETHER_HOST_MAX_TAGS, TETHER_HOST_MAX_TAGS);
                        if (r < 0)
                                return r;
                }
                json_array_foreach(json_object_get(parents_of, name), index, parent) {
                        if (json_object_get(seen, json_string_value(parent)))
                                continue;
                        if (json_object_set(seen, json_string_value(parent), json_true()) < 0 ||
                            json_array_append(queue, parent) < 0)
                                return inventory_fail_oom(p);
                }
        }
        return 0;
}

int inventory_parse_ansible(struct inventory_parser *p, json_t *root, struct tether_inventory *inventory) {
        json_auto_t *names = json_object(), *memberships = json_array(), *parents_of = json_object();
        struct ansible_walk walk = {p, inventory, names, memberships, parents_of, 0};
        json_t *hostvars = NULL, *value;
        char path[INVENTORY_PATH_SIZE];
        const char *key;
        size_t index;
        int r;

        p->ansible = inventory->from_ansible = true;
        if (!names || !memberships || !parents_of)
                return inventory_fail_oom(p);
        r = find_hostvars(p, root, &hostvars);
        if (r < 0)
                return r;

        json_object_foreach(root, key, value) {
                if (strcmp(key, "_meta") == 0)
                        continue;
                r = walk_group(&walk, key, value);
                if (r < 0)
                        return r;
        }
        json_object_foreach(hostvars, key, value) {
                inventory_path_key(path, "_meta.hostvars", key);
                r = add_host(&walk, key, path, &index);
                if (r < 0)
                        return r;
        }
        if (inventory->n_hosts == 0)
                return inventory_fail(
                        p, -EINVAL, NULL,
                        "no hosts: no group lists any under \"hosts\" and \"_meta.hostvars\" has none");

        for (size_t i = 0; i < inventory->n_hosts; i++) {
                struct tether_host *host = &inventory->hosts[i];
                json_t *vars = json_object_get(hostvars, host->name);

                r = vars ? host_vars(p, host, vars) : 0;
                if (r < 0)
                        return r;
                r = host_tags(p, host, json_array_get(memberships, i), parents_of);
                if (r < 0)
                        return r;
                r = inventory_host_complete(p, host, NULL);
                if (r < 0)
                        return r;
        }
        return 0;
}
