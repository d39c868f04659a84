/* SPDX-License-Identifier: MIT */
/*
 * The inventory: the Docker hosts tether works on, read from a JSON file in
 * tether's own format or as printed by `ansible-inventory --list`. Parsing
 * validates every value (see validate.h) and merges "defaults" into each
 * host, so a caller gets hosts it can use as they are.
 *
 * Ownership: a struct tether_inventory and everything it points to belong
 * to the inventory and are freed by tether_inventory_free(); pointers taken
 * from it (hosts, strings) are borrowed and live as long as the inventory.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "error.h"

struct tether_host {
        char *name;    /* unique within the inventory */
        char *address; /* never NULL after parsing: defaults to name; an IPv6 literal without brackets */
        char *user;    /* NULL: not set */
        unsigned port; /* 0: not set */
        int sudo;      /* -1: not set (use sudo unless the user is root), 0, 1 */
        int identities_only; /* -1: not set (ssh_config decides), 0, 1: offer only the named keys */
        char *identity_file; /* NULL: not set; as written, '~' not expanded */
        char *known_hosts;   /* NULL: not set; as written, '~' not expanded */
        char *firewall;      /* "auto" or a unit name ending in ".service" */
        char **tags;         /* NULL-terminated, never NULL (may be empty) */
        size_t n_tags;
        char *agent_path; /* NULL: not set (tether deploys its agent); an agent installed on the host */
        char *jump;       /* NULL: not set; the bastions to reach the host through, as ProxyJump (jump.h) */
        char *refusal; /* NULL; else why tether will not run this host (an Ansible setting it cannot honour)
                        */
};

struct tether_inventory {
        char *origin;              /* the file name errors were reported against */
        struct tether_host *hosts; /* n_hosts entries, in the order of the file */
        size_t n_hosts;
        bool from_ansible; /* read from `ansible-inventory --list` output */
};

#define TETHER_INVENTORY_MAX_BYTES (16u * 1024 * 1024)
#define TETHER_INVENTORY_MAX_HOSTS 100000u
#define TETHER_HOST_MAX_TAGS 64u

#define TETHER_INVENTORY_STDIN "(standard input)" /* the origin of `-i -` */

/* Reads and parses the inventory at path; path is also the origin that
 * error messages name. Any file that can be read works, a pipe too
 * (`--inventory <(ansible-inventory --list)`), and "-" is standard input,
 * up to TETHER_INVENTORY_MAX_BYTES. On success returns 0 and *ret_inventory
 * is a new inventory the caller frees; on failure returns a negative errno
 * (-errno for I/O, -EFBIG for a file too large, -EMEDIUMTYPE for a text
 * that is not JSON at all, such as an Ansible INI or YAML inventory, and
 * the codes of tether_inventory_parse()), fills error (may be NULL) and
 * leaves *ret_inventory untouched. */
int tether_inventory_load(const char *path, struct tether_inventory **ret_inventory,
                          struct tether_error *error);

/* Parses length bytes of text (need not be NUL-terminated; a NUL byte in it
 * is an error). origin names the text in error messages ("inventory.json");
 * NULL means "(inventory)". Returns 0 and a new inventory in *ret_inventory,
 * or: -EBADMSG for a JSON syntax error (the message has line:column),
 * -EINVAL for content that is not a valid inventory (the message has the
 * JSON path, what is wrong and what would be valid), -E2BIG for a limit
 * exceeded (hosts, tags, string lengths, nesting), -EFBIG for a text larger
 * than TETHER_INVENTORY_MAX_BYTES, -ENOMEM. *ret_inventory is untouched on
 * failure. */
int tether_inventory_parse(const char *text, size_t length, const char *origin,
                           struct tether_inventory **ret_inventory, struct tether_error *error);

/* Frees the inventory and everything in it; accepts NULL; returns NULL. */
struct tether_inventory *tether_inventory_free(struct tether_inventory *inventory);

static inline void tether_inventory_freep(struct tether_inventory **inventory) {
        tether_inventory_free(*inventory);
}
#define _cleanup_inventory_ _cleanup_(tether_inventory_freep)

/* The host named name, or NULL; borrowed from inventory. A linear search. */
const struct tether_host *tether_inventory_find(const struct tether_inventory *inventory, const char *name);

/* The inventory in tether's format, normalized: no "defaults", every host
 * with its merged values, fields that are not set left out. Parsing the
 * dump gives the same hosts. Returns a new reference, or NULL when out of
 * memory. */
json_t *tether_inventory_to_json(const struct tether_inventory *inventory);
