/* SPDX-License-Identifier: MIT */
/*
 * What the files of the inventory parser share; the library's API is
 * inventory.h. inventory.c reads the JSON, tells the two formats apart and
 * keeps the error helpers; inventory-host.c knows the fields of a host,
 * in one table; inventory-tether.c and inventory-ansible.c read one format
 * each. These symbols are inventory_*, not tether_inventory_*: nothing
 * outside common/inventory*.c calls them.
 *
 * Ownership: as in inventory.h. Strings handed to a setter are borrowed and
 * copied; a host's fields belong to the host until inventory_host_done().
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "inventory.h"
#include "quote.h"

/* A JSON path in a message ("hosts[3].port"); a longer one is cut. */
#define INVENTORY_PATH_SIZE 512

/* tether's format, as messages show it. */
#define INVENTORY_TETHER_EXAMPLE "{\"defaults\": {...}, \"hosts\": [{\"name\": \"web-01\", ...}]}"

struct inventory_parser {
        const char *origin;         /* the name messages give the text */
        struct tether_error *error; /* may be NULL */
        bool ansible;               /* values as ansible-inventory prints them: a port or a boolean
                                     * may also be a string */
};

/* ---- errors and paths (inventory.c) ---------------------------------- */

/* Sets the error "origin: path: message" (no "path: " when path is NULL or
 * empty) and returns code. */
int inventory_fail(struct inventory_parser *p, int code, const char *path, const char *format, ...)
        _printf_(4, 5);
int inventory_fail_oom(struct inventory_parser *p);

/* "unknown key "prot" (did you mean "port"? valid keys: ...)": noun names
 * what key is ("key", "variable"), valid_label what valid lists. */
int inventory_fail_unknown(struct inventory_parser *p, const char *path, const char *noun, const char *key,
                           const char *valid_label, const char *const *valid, size_t n_valid);

bool inventory_in_list(const char *s, const char *const *list, size_t n);

/* Fails on the first key of object that is not one of the n_valid in valid. */
int inventory_check_keys(struct inventory_parser *p, json_t *object, const char *path,
                         const char *const *valid, size_t n_valid);

/* What a message says was found instead of the expected value: the value
 * itself for scalars ("22" quoted is a string, 22 a number), the type for
 * containers. Returns buffer or a literal. */
const char *inventory_describe(const json_t *value, char buffer[static TETHER_QUOTE_SIZE]);

/* *ret_string borrowed from value, or "expected <expected>, got ...". */
int inventory_expect_string(struct inventory_parser *p, const json_t *value, const char *path,
                            const char *expected, const char **ret_string);

/* parent.key, or parent["key"] when key is not a plain word; parent[index]. */
void inventory_path_key(char path[static INVENTORY_PATH_SIZE], const char *parent, const char *key);
void inventory_path_index(char path[static INVENTORY_PATH_SIZE], const char *parent, size_t index);

/* ---- hosts and their fields (inventory-host.c) ----------------------- */

/* At most this many keys (of a host, or of Ansible host variables). */
#define INVENTORY_KEYS_MAX 16

/* The keys of a host in tether's format, in the order they are checked:
 * "name" first when with_name (a host, not "defaults"), then the fields'.
 * Returns how many it put in keys. */
size_t inventory_host_keys(bool with_name, const char *keys[static INVENTORY_KEYS_MAX]);

/* The Ansible host variables that are tether's own ("tether_firewall"):
 * another "tether_" variable is a typo. Returns how many. */
size_t inventory_tether_vars(const char *vars[static INVENTORY_KEYS_MAX]);

/* What a name is, for the rules and messages that tell them apart. */
enum inventory_name_kind {
        INVENTORY_HOST_NAME,
        INVENTORY_TAG,
        INVENTORY_GROUP_NAME,
};

/* Checks a host name, tag or Ansible group name (length, characters); on
 * success *ret, when ret is not NULL, is a new copy of it. */
int inventory_check_name(struct inventory_parser *p, enum inventory_name_kind kind, const char *path,
                         const char *name, char **ret);

/* The same for a JSON value, which must be a string. */
int inventory_name_value(struct inventory_parser *p, enum inventory_name_kind kind, const json_t *value,
                         const char *path, char **ret);

/* An empty host: nothing set, no tags. */
int inventory_host_init(struct inventory_parser *p, struct tether_host *host);
/* Frees what the host holds and empties it; for _cleanup_. */
void inventory_host_done(struct tether_host *host);

/* Sets the fields that object (a host, "defaults", or an Ansible host's
 * variables, by p->ansible) has, checked, in the table's order. */
int inventory_host_set_fields(struct inventory_parser *p, struct tether_host *host, json_t *object,
                              const char *path);

/* Appends tag unless the host has it already; -E2BIG, without a message,
 * when the host has TETHER_HOST_MAX_TAGS: the caller knows where the tags
 * came from. */
int inventory_host_add_tag(struct inventory_parser *p, struct tether_host *host, const char *tag);

/* Fills in what the host did not set: from defaults (may be NULL), else
 * the name for the address and "auto" for the firewall. */
int inventory_host_complete(struct inventory_parser *p, struct tether_host *host,
                            const struct tether_host *defaults);

/* The host in tether's format, fields not set left out; NULL when out of
 * memory. */
json_t *inventory_host_to_json(const struct tether_host *host);

/* ---- the two formats (inventory-tether.c, inventory-ansible.c) ------- */

/* Whether root has a top-level key of tether's format, or one misspelt. */
bool inventory_looks_like_tether(json_t *root);

/* Each fills inventory (empty, origin set) from root, a JSON object. */
int inventory_parse_tether(struct inventory_parser *p, json_t *root, struct tether_inventory *inventory);
int inventory_parse_ansible(struct inventory_parser *p, json_t *root, struct tether_inventory *inventory);

/* inventory-ansible-vars.c: a host's Ansible variables that the field table
 * does not map. Each returns 0 having set host->refusal (and nothing else)
 * when a variable cannot be honoured, or an inventory error (out of
 * memory). _templates() looks for Jinja templates in the variables tether
 * reads, before the fields are set (a template is no address); _vars()
 * takes ansible_connection, ansible_become_method and the ssh arguments,
 * after them. */
int inventory_ansible_templates(struct inventory_parser *p, struct tether_host *host, json_t *vars);
int inventory_ansible_vars(struct inventory_parser *p, struct tether_host *host, json_t *vars);
