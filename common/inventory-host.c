/* SPDX-License-Identifier: MIT */
/*
 * The fields of an inventory host, described once in a table: the key in
 * tether's format, the Ansible host variables that set it, what it is, its
 * limit, its own checks and the hint a message gives. Every string goes
 * through the same steps, each with the words of its rule:
 *
 *   "user": 7           expected a user name (a string), got 7
 *   "user": ""          the user name must not be empty; leave it out to use the default
 *   "user": 40 x "a"    "aaa...a" is 40 characters long; a user name has at most 32
 *   "user": "9lives"    "9lives" is not a valid user name; use a letter or '_' ...
 *
 * Host names, tags and Ansible group names are strings with rules of the
 * same shape. Values are quoted in messages with quote.h.
 */
#include <stdint.h>
#include <string.h>

#include "inventory-internal.h"
#include "jump.h"
#include "validate.h"

#define NAME_CHARS "use letters, digits, '.', '_' and '-'"

/* A string's checks: a string, not empty, not longer than max, then the
 * rule's own. */
struct string_rule {
        const char *expected; /* what a value of another type is told it should be */
        const char *if_empty; /* the message for "" */
        const char *noun;     /* what the value is, in "... has at most N" */
        const char *unit;     /* what max counts: "characters" or "bytes" */
        size_t max;
        /* The rule's own checks of s, which is neither empty nor too long;
         * when ret is not NULL, *ret gets the value to store (new). */
        int (*check)(struct inventory_parser *p, const struct string_rule *rule, const char *path,
                     const char *s, char **ret);
};

/* A field of a host: everything about it but the member of struct
 * tether_host, in one entry of the table fields[] below. */
struct host_field {
        const char *key;             /* in tether's format, in a host and in "defaults" */
        const char *ansible_vars[2]; /* the host variables that set it, the first present wins */
        struct string_rule string;   /* a string field: its rule */
        size_t offset;               /* a string field: its char * in struct tether_host */
        /* Checks value and sets it in host. */
        int (*set)(struct inventory_parser *p, const struct host_field *field, struct tether_host *host,
                   const json_t *value, const char *path);
        /* Adds the field to object unless it is not set; -ENOMEM. */
        int (*dump)(const struct host_field *field, const struct tether_host *host, json_t *object);
};

static bool streq(const char *a, const char *b) {
        return strcmp(a, b) == 0;
}

static bool endswith(const char *s, const char *suffix) {
        size_t length = strlen(s), suffix_length = strlen(suffix);

        return length >= suffix_length && streq(s + length - suffix_length, suffix);
}

static int copy_string(struct inventory_parser *p, const char *s, char **ret) {
        char *copy;

        if (!ret)
                return 0;
        copy = strdup(s);
        if (!copy)
                return inventory_fail_oom(p);
        *ret = copy;
        return 0;
}

static int replace_string(struct inventory_parser *p, char **field, const char *value) {
        char *copy = NULL;
        int r;

        r = copy_string(p, value, &copy);
        if (r < 0)
                return r;
        free(*field);
        *field = copy;
        return 0;
}

/* ---- the rules of strings ------------------------------------------- */

/* A host name, tag or Ansible group name: the same rules, told apart in
 * the message; host_name adds the hint for an IPv6 address. */
static int check_name_characters(struct inventory_parser *p, const struct string_rule *rule,
                                 const char *path, const char *s, bool host_name) {
        char quoted[TETHER_QUOTE_SIZE];

        if (tether_valid_host_name(s))
                return 0;
        if (s[0] == '-' || s[0] == '.')
                return inventory_fail(p, -EINVAL, path,
                                      "%s must not start with '%c'; %s starts with a letter, a digit or '_'",
                                      tether_quote_string(s, quoted), s[0], rule->noun);
        if (host_name && strchr(s, ':'))
                return inventory_fail(p, -EINVAL, path,
                                      "%s has characters that are not allowed; " NAME_CHARS
                                      " (for an IPv6 address, name the host and put the address in "
                                      "\"address\")",
                                      tether_quote_string(s, quoted));
        return inventory_fail(p, -EINVAL, path, "%s has characters that are not allowed; " NAME_CHARS,
                              tether_quote_string(s, quoted));
}

static int check_host_name(struct inventory_parser *p, const struct string_rule *rule, const char *path,
                           const char *s, char **ret) {
        int r = check_name_characters(p, rule, path, s, true);

        return r < 0 ? r : copy_string(p, s, ret);
}

static int check_other_name(struct inventory_parser *p, const struct string_rule *rule, const char *path,
                            const char *s, char **ret) {
        int r = check_name_characters(p, rule, path, s, false);

        return r < 0 ? r : copy_string(p, s, ret);
}

/* What is wrong with an address tether_valid_address() refuses. */
static int fail_address(struct inventory_parser *p, const char *path, const char *s) {
        char quoted[TETHER_QUOTE_SIZE];

        if (s[0] == '-')
                return inventory_fail(p, -EINVAL, path, "%s must not start with '-'",
                                      tether_quote_string(s, quoted));
        if (s[0] == '[')
                return inventory_fail(p, -EINVAL, path,
                                      "%s is not an IPv6 address in brackets; write it as \"[2001:db8::1]\"",
                                      tether_quote_string(s, quoted));
        if (strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-") == strlen(s))
                return inventory_fail(p, -EINVAL, path,
                                      "%s is not an IPv6 address; an address with ':' must be one "
                                      "(a port goes in \"port\", not in the address)",
                                      tether_quote_string(s, quoted));
        return inventory_fail(p, -EINVAL, path,
                              "%s has characters that are not allowed; use a host name or an IP address "
                              "(letters, digits, '.', '-', '_', and ':' in IPv6)",
                              tether_quote_string(s, quoted));
}

static int check_address(struct inventory_parser *p, const struct string_rule *rule, const char *path,
                         const char *s, char **ret) {
        char *bare;

        if (!tether_valid_address(s))
                return fail_address(p, path, s);
        if (s[0] != '[')
                return copy_string(p, s, ret);
        if (!ret)
                return 0;

        /* Stored without brackets: libssh, getaddrinfo() and ProxyJump's
         * "[%h]" all want the bare literal. */
        bare = strndup(s + 1, strlen(s) - 2);
        if (!bare)
                return inventory_fail_oom(p);
        *ret = bare;
        return 0;
}

static int check_user(struct inventory_parser *p, const struct string_rule *rule, const char *path,
                      const char *s, char **ret) {
        char quoted[TETHER_QUOTE_SIZE];

        if (!tether_valid_user_name(s))
                return inventory_fail(
                        p, -EINVAL, path,
                        "%s is not a valid user name; use a letter or '_' followed by letters, "
                        "digits, '_', '.' and '-'",
                        tether_quote_string(s, quoted));
        return copy_string(p, s, ret);
}

static int check_file(struct inventory_parser *p, const struct string_rule *rule, const char *path,
                      const char *s, char **ret) {
        char quoted[TETHER_QUOTE_SIZE];

        for (size_t i = 0; s[i]; i++) {
                unsigned char c = (unsigned char)s[i];

                if (c < 0x20 || c == 0x7f)
                        return inventory_fail(
                                p, -EINVAL, path,
                                "%s has a control character (0x%02x) at byte %zu; a file name has none",
                                tether_quote_string(s, quoted), c, i);
        }
        return copy_string(p, s, ret);
}

/* The path of an agent installed on the host: it goes into the command run
 * there, so it is held to tether_valid_agent_path(). */
static int check_agent_path(struct inventory_parser *p, const struct string_rule *rule, const char *path,
                            const char *s, char **ret) {
        char quoted[TETHER_QUOTE_SIZE];

        if (s[0] != '/')
                return inventory_fail(p, -EINVAL, path,
                                      "%s is not an absolute path; give where the tether-agent package "
                                      "installs the agent, \"/usr/libexec/tether/tether-agent\"",
                                      tether_quote_string(s, quoted));
        if (!tether_valid_agent_path(s))
                return inventory_fail(p, -EINVAL, path,
                                      "%s is not a plain path; use letters, digits, '.', '_', '+', ':', "
                                      "'@', '-' and single '/' between names, without \".\" or \"..\"",
                                      tether_quote_string(s, quoted));
        return copy_string(p, s, ret);
}

/* Jump hosts, as OpenSSH's ProxyJump writes them (jump.h). */
static int check_jump(struct inventory_parser *p, const struct string_rule *rule, const char *path,
                      const char *s, char **ret) {
        struct tether_error error = TETHER_ERROR_INIT;
        int r = tether_jump_check(s, &error);

        if (r < 0)
                return inventory_fail(p, r, path, "%s", error.text);
        return copy_string(p, s, ret);
}

/* What is wrong with a firewall unit (s as written, unit with its suffix). */
static int check_unit(struct inventory_parser *p, const char *path, const char *s, const char *unit) {
        char quoted[TETHER_QUOTE_SIZE];

        if (strlen(unit) > TETHER_UNIT_NAME_MAX)
                return inventory_fail(
                        p, -E2BIG, path,
                        "%s with \".service\" is %zu characters long; a unit name has at most %u",
                        tether_quote_string(s, quoted), strlen(unit), TETHER_UNIT_NAME_MAX);
        if (!tether_valid_unit_name(unit)) {
                if (strspn(unit, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:_.@\\-") !=
                    strlen(unit))
                        return inventory_fail(p, -EINVAL, path,
                                              "%s has characters that are not allowed in a unit name; use "
                                              "letters, digits, ':', '_', '.', '@', '\\' and '-'",
                                              tether_quote_string(s, quoted));
                return inventory_fail(p, -EINVAL, path,
                                      "%s is not a systemd unit name; use \"auto\" or a service such as "
                                      "\"nftables.service\"",
                                      tether_quote_string(s, quoted));
        }
        if (!endswith(unit, ".service"))
                return inventory_fail(
                        p, -EINVAL, path,
                        "%s is a .%s unit; the firewall is \"auto\" or a .service unit, such as "
                        "\"nftables.service\"",
                        tether_quote_string(s, quoted), strrchr(unit, '.') + 1);
        if (endswith(unit, "@.service"))
                return inventory_fail(
                        p, -EINVAL, path,
                        "%s is a template unit; name an instance, such as \"%.*s@main.service\"",
                        tether_quote_string(s, quoted), (int)(strlen(unit) - strlen("@.service")), unit);
        return 0;
}

/* "auto", or a systemd unit to force; "nftables" means "nftables.service". */
static int check_firewall(struct inventory_parser *p, const struct string_rule *rule, const char *path,
                          const char *s, char **ret) {
        _cleanup_free_ char *unit = NULL;
        int r;

        if (streq(s, "auto"))
                return copy_string(p, s, ret);
        if (strchr(s, '.'))
                unit = strdup(s);
        else if (asprintf(&unit, "%s.service", s) < 0)
                unit = NULL;
        if (!unit)
                return inventory_fail_oom(p);
        r = check_unit(p, path, s, unit);
        if (r < 0)
                return r;
        if (ret)
                *ret = TAKE_PTR(unit);
        return 0;
}

static const struct string_rule host_name_rule = {
        .expected = "a host name (a string)",
        .if_empty = "a host name must not be empty; " NAME_CHARS,
        .noun = "a host name",
        .unit = "characters",
        .max = TETHER_HOST_NAME_MAX,
        .check = check_host_name,
};

static const struct string_rule tag_rule = {
        .expected = "a tag (a string)",
        .if_empty = "a tag must not be empty; " NAME_CHARS,
        .noun = "a tag",
        .unit = "characters",
        .max = TETHER_HOST_NAME_MAX,
        .check = check_other_name,
};

static const struct string_rule group_name_rule = {
        .expected = "a group name (a string)",
        .if_empty = "a group name must not be empty; " NAME_CHARS,
        .noun = "a group name",
        .unit = "characters",
        .max = TETHER_HOST_NAME_MAX,
        .check = check_other_name,
};

static const struct string_rule *const name_rules[] = {
        [INVENTORY_HOST_NAME] = &host_name_rule,
        [INVENTORY_TAG] = &tag_rule,
        [INVENTORY_GROUP_NAME] = &group_name_rule,
};

static int check_string(struct inventory_parser *p, const struct string_rule *rule, const char *path,
                        const char *s, char **ret) {
        char quoted[TETHER_QUOTE_SIZE];
        size_t length = strnlen(s, rule->max + 1);

        if (length == 0)
                return inventory_fail(p, -EINVAL, path, "%s", rule->if_empty);
        if (length > rule->max)
                return inventory_fail(p, -E2BIG, path, "%s is %zu %s long; %s has at most %zu",
                                      tether_quote_string(s, quoted), strlen(s), rule->unit, rule->noun,
                                      rule->max);
        return rule->check(p, rule, path, s, ret);
}

static int string_value(struct inventory_parser *p, const struct string_rule *rule, const json_t *value,
                        const char *path, char **ret) {
        const char *s = NULL;
        int r;

        r = inventory_expect_string(p, value, path, rule->expected, &s);
        if (r < 0)
                return r;
        return check_string(p, rule, path, s, ret);
}

int inventory_check_name(struct inventory_parser *p, enum inventory_name_kind kind, const char *path,
                         const char *name, char **ret) {
        return check_string(p, name_rules[kind], path, name, ret);
}

int inventory_name_value(struct inventory_parser *p, enum inventory_name_kind kind, const json_t *value,
                         const char *path, char **ret) {
        return string_value(p, name_rules[kind], value, path, ret);
}

/* ---- setting and dumping fields ------------------------------------- */

static char **string_slot(struct tether_host *host, const struct host_field *field) {
        return (char **)((char *)host + field->offset);
}

static const char *string_of(const struct tether_host *host, const struct host_field *field) {
        return *(char *const *)((const char *)host + field->offset);
}

static int set_string(struct inventory_parser *p, const struct host_field *field, struct tether_host *host,
                      const json_t *value, const char *path) {
        char *stored = NULL;
        int r;

        r = string_value(p, &field->string, value, path, &stored);
        if (r < 0)
                return r;
        free(*string_slot(host, field));
        *string_slot(host, field) = stored;
        return 0;
}

/* Ansible's ansible_port may be a string of digits. */
static int set_port(struct inventory_parser *p, const struct host_field *field, struct tether_host *host,
                    const json_t *value, const char *path) {
        char found[TETHER_QUOTE_SIZE];

        if (json_is_integer(value) && json_integer_value(value) >= 1 && json_integer_value(value) <= 65535) {
                host->port = (unsigned)json_integer_value(value);
                return 0;
        }
        if (p->ansible && json_is_string(value) &&
            tether_parse_port(json_string_value(value), &host->port) >= 0)
                return 0;
        if (p->ansible)
                return inventory_fail(
                        p, -EINVAL, path,
                        "expected a port from 1 to 65535 (an integer or a string of digits), got %s",
                        inventory_describe(value, found));
        return inventory_fail(p, -EINVAL, path, "expected an integer from 1 to 65535, got %s",
                              inventory_describe(value, found));
}

/* Ansible's ansible_become takes a boolean or one of these strings. */
/* A yes/no field: an int of the host, -1 while not set. */
static int *tristate_slot(struct tether_host *host, const struct host_field *field) {
        return (int *)((char *)host + field->offset);
}

static int set_tristate(struct inventory_parser *p, const struct host_field *field, struct tether_host *host,
                        const json_t *value, const char *path) {
        static const char *const yes[] = {"yes", "true", "True"};
        static const char *const no[] = {"no", "false", "False"};
        char found[TETHER_QUOTE_SIZE];

        if (json_is_boolean(value)) {
                *tristate_slot(host, field) = json_is_true(value);
                return 0;
        }
        if (p->ansible && json_is_string(value)) {
                if (inventory_in_list(json_string_value(value), yes, ELEMENTSOF(yes))) {
                        *tristate_slot(host, field) = 1;
                        return 0;
                }
                if (inventory_in_list(json_string_value(value), no, ELEMENTSOF(no))) {
                        *tristate_slot(host, field) = 0;
                        return 0;
                }
        }
        if (p->ansible)
                return inventory_fail(p, -EINVAL, path,
                                      "expected true or false (or \"yes\", \"no\", \"true\", \"false\", "
                                      "\"True\", \"False\"), got %s",
                                      inventory_describe(value, found));
        return inventory_fail(p, -EINVAL, path, "expected true or false, got %s",
                              inventory_describe(value, found));
}

static int set_tags(struct inventory_parser *p, const struct host_field *field, struct tether_host *host,
                    const json_t *value, const char *path) {
        char found[TETHER_QUOTE_SIZE], element_path[INVENTORY_PATH_SIZE];
        json_t *element;
        size_t index;
        int r;

        if (!json_is_array(value))
                return inventory_fail(p, -EINVAL, path, "expected an array of tags (strings), got %s",
                                      inventory_describe(value, found));
        if (json_array_size(value) > TETHER_HOST_MAX_TAGS)
                return inventory_fail(p, -E2BIG, path, "%zu tags; a host has at most %u",
                                      json_array_size(value), TETHER_HOST_MAX_TAGS);

        json_array_foreach(value, index, element) {
                inventory_path_index(element_path, path, index);
                r = inventory_name_value(p, INVENTORY_TAG, element, element_path, NULL);
                if (r < 0)
                        return r;
                r = inventory_host_add_tag(p, host, json_string_value(element));
                if (r == -E2BIG)
                        return inventory_fail(
                                p, r, path,
                                "with the tags of \"defaults\", more than %u tags; a host has at most %u",
                                TETHER_HOST_MAX_TAGS, TETHER_HOST_MAX_TAGS);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* json_object_set_new() for a value that may be NULL (out of memory). */
static int set_new(json_t *object, const char *key, json_t *value) {
        return value && json_object_set_new(object, key, value) == 0 ? 0 : -ENOMEM;
}

static int dump_string(const struct host_field *field, const struct tether_host *host, json_t *object) {
        const char *value = string_of(host, field);

        return value ? set_new(object, field->key, json_string(value)) : 0;
}

static int dump_port(const struct host_field *field, const struct tether_host *host, json_t *object) {
        return host->port > 0 ? set_new(object, field->key, json_integer(host->port)) : 0;
}

static int dump_tristate(const struct host_field *field, const struct tether_host *host, json_t *object) {
        int value = *tristate_slot((struct tether_host *)host, field);

        return value >= 0 ? set_new(object, field->key, json_boolean(value)) : 0;
}

static int dump_tags(const struct host_field *field, const struct tether_host *host, json_t *object) {
        json_auto_t *tags = json_array();

        if (!tags)
                return -ENOMEM;
        for (size_t i = 0; i < host->n_tags; i++)
                if (json_array_append_new(tags, json_string(host->tags[i])) < 0)
                        return -ENOMEM;
        return set_new(object, field->key, TAKE_PTR(tags));
}

/* The fields of a host, in the order they are checked, dumped and listed
 * in messages; "name" is not one, as it has no default and must be unique. */
static const struct host_field fields[] = {
        {
                .key = "address",
                .ansible_vars = {"ansible_host", "ansible_ssh_host"},
                .string =
                        {
                                .expected = "a host name or an IP address (a string)",
                                .if_empty = "the address must not be empty; leave it out to use the name",
                                .noun = "an address",
                                .unit = "characters",
                                .max = TETHER_ADDRESS_MAX,
                                .check = check_address,
                        },
                .offset = offsetof(struct tether_host, address),
                .set = set_string,
                .dump = dump_string,
        },
        {
                .key = "port",
                .ansible_vars = {"ansible_port", "ansible_ssh_port"},
                .set = set_port,
                .dump = dump_port,
        },
        {
                .key = "user",
                .ansible_vars = {"ansible_user", "ansible_ssh_user"},
                .string =
                        {
                                .expected = "a user name (a string)",
                                .if_empty =
                                        "the user name must not be empty; leave it out to use the default",
                                .noun = "a user name",
                                .unit = "characters",
                                .max = TETHER_USER_NAME_MAX,
                                .check = check_user,
                        },
                .offset = offsetof(struct tether_host, user),
                .set = set_string,
                .dump = dump_string,
        },
        {
                .key = "sudo",
                .ansible_vars = {"ansible_become"},
                .offset = offsetof(struct tether_host, sudo),
                .set = set_tristate,
                .dump = dump_tristate,
        },
        {
                .key = "identity_file",
                .ansible_vars = {"ansible_ssh_private_key_file", "ansible_private_key_file"},
                .string =
                        {
                                .expected = "a file name (a string)",
                                .if_empty = "the file name must not be empty; give a path such as "
                                            "\"~/.ssh/id_ed25519\"",
                                .noun = "a file name",
                                .unit = "bytes",
                                .max = TETHER_PATH_MAX,
                                .check = check_file,
                        },
                .offset = offsetof(struct tether_host, identity_file),
                .set = set_string,
                .dump = dump_string,
        },
        {
                .key = "known_hosts",
                .string =
                        {
                                .expected = "a file name (a string)",
                                .if_empty = "the file name must not be empty; give a path such as "
                                            "\"~/.ssh/known_hosts\"",
                                .noun = "a file name",
                                .unit = "bytes",
                                .max = TETHER_PATH_MAX,
                                .check = check_file,
                        },
                .offset = offsetof(struct tether_host, known_hosts),
                .set = set_string,
                .dump = dump_string,
        },
        {
                .key = "firewall",
                .ansible_vars = {"tether_firewall"},
                .string =
                        {
                                .expected = "\"auto\" or a systemd service such as \"nftables.service\"",
                                .if_empty =
                                        "the firewall must not be empty; use \"auto\" or a service such as "
                                        "\"nftables.service\"",
                                .noun = "a unit name",
                                .unit = "characters",
                                .max = TETHER_UNIT_NAME_MAX,
                                .check = check_firewall,
                        },
                .offset = offsetof(struct tether_host, firewall),
                .set = set_string,
                .dump = dump_string,
        },
        {
                .key = "tags",
                .set = set_tags,
                .dump = dump_tags,
        },
        {
                .key = "agent_path",
                .ansible_vars = {"tether_agent_path"},
                .string =
                        {
                                .expected = "the path of an agent installed on the host (a string)",
                                .if_empty = "the agent path must not be empty; leave it out to upload "
                                            "tether's own agent",
                                .noun = "an agent path",
                                .unit = "characters",
                                .max = TETHER_AGENT_PATH_MAX,
                                .check = check_agent_path,
                        },
                .offset = offsetof(struct tether_host, agent_path),
                .set = set_string,
                .dump = dump_string,
        },
        {
                .key = "identities_only",
                .ansible_vars = {"tether_identities_only"},
                .offset = offsetof(struct tether_host, identities_only),
                .set = set_tristate,
                .dump = dump_tristate,
        },
        {
                .key = "jump",
                .ansible_vars = {"tether_jump"},
                .string =
                        {
                                .expected = "jump hosts as ProxyJump writes them, \"user@bastion:22\" (a "
                                            "string)",
                                .if_empty =
                                        "the jump host must not be empty; leave it out to connect directly",
                                .noun = "a jump host spec",
                                .unit = "bytes",
                                .max = TETHER_JUMP_SPEC_MAX,
                                .check = check_jump,
                        },
                .offset = offsetof(struct tether_host, jump),
                .set = set_string,
                .dump = dump_string,
        },
};

_Static_assert(ELEMENTSOF(fields) + 1 <= INVENTORY_KEYS_MAX, "a host has more keys than INVENTORY_KEYS_MAX");

size_t inventory_host_keys(bool with_name, const char *keys[static INVENTORY_KEYS_MAX]) {
        size_t n = 0;

        if (with_name)
                keys[n++] = "name";
        for (size_t i = 0; i < ELEMENTSOF(fields); i++)
                keys[n++] = fields[i].key;
        return n;
}

size_t inventory_tether_vars(const char *vars[static INVENTORY_KEYS_MAX]) {
        size_t n = 0;

        for (size_t i = 0; i < ELEMENTSOF(fields); i++)
                for (size_t j = 0; j < ELEMENTSOF(fields[i].ansible_vars); j++) {
                        const char *var = fields[i].ansible_vars[j];

                        if (var && strncmp(var, "tether_", strlen("tether_")) == 0)
                                vars[n++] = var;
                }
        return n;
}

/* The value object has for the field: under its key in tether's format,
 * under the first of its variables present in Ansible's; NULL if none. */
static const json_t *field_value(const struct inventory_parser *p, const struct host_field *field,
                                 json_t *object, const char **ret_key) {
        if (!p->ansible) {
                *ret_key = field->key;
                return json_object_get(object, field->key);
        }
        for (size_t j = 0; j < ELEMENTSOF(field->ansible_vars) && field->ansible_vars[j]; j++) {
                json_t *value = json_object_get(object, field->ansible_vars[j]);

                if (value) {
                        *ret_key = field->ansible_vars[j];
                        return value;
                }
        }
        return NULL;
}

int inventory_host_set_fields(struct inventory_parser *p, struct tether_host *host, json_t *object,
                              const char *path) {
        char field_path[INVENTORY_PATH_SIZE];

        for (size_t i = 0; i < ELEMENTSOF(fields); i++) {
                const char *key = NULL;
                const json_t *value = field_value(p, &fields[i], object, &key);
                int r;

                if (!value)
                        continue;
                inventory_path_key(field_path, path, key);
                r = fields[i].set(p, &fields[i], host, value, field_path);
                if (r < 0)
                        return r;
        }
        return 0;
}

json_t *inventory_host_to_json(const struct tether_host *host) {
        json_auto_t *object = json_object();

        if (!object || set_new(object, "name", json_string(host->name)) < 0)
                return NULL;
        for (size_t i = 0; i < ELEMENTSOF(fields); i++)
                if (fields[i].dump(&fields[i], host, object) < 0)
                        return NULL;
        return TAKE_PTR(object);
}

/* ---- a host's life --------------------------------------------------- */

int inventory_host_init(struct inventory_parser *p, struct tether_host *host) {
        *host = (struct tether_host){.sudo = -1, .identities_only = -1};
        host->tags = calloc(1, sizeof(char *));
        if (!host->tags)
                return inventory_fail_oom(p);
        return 0;
}

void inventory_host_done(struct tether_host *host) {
        free(host->name);
        for (size_t i = 0; i < ELEMENTSOF(fields); i++)
                if (fields[i].set == set_string)
                        free(*string_slot(host, &fields[i]));
        strv_free(host->tags);
        free(host->refusal);
        *host = (struct tether_host){};
}

int inventory_host_add_tag(struct inventory_parser *p, struct tether_host *host, const char *tag) {
        char **tags;

        for (size_t i = 0; i < host->n_tags; i++)
                if (streq(host->tags[i], tag))
                        return 0;
        if (host->n_tags >= TETHER_HOST_MAX_TAGS)
                return -E2BIG;

        tags = realloc(host->tags, (host->n_tags + 2) * sizeof(char *));
        if (!tags)
                return inventory_fail_oom(p);
        host->tags = tags;
        host->tags[host->n_tags] = strdup(tag);
        if (!host->tags[host->n_tags])
                return inventory_fail_oom(p);
        host->n_tags++;
        host->tags[host->n_tags] = NULL;
        return 0;
}

int inventory_host_complete(struct inventory_parser *p, struct tether_host *host,
                            const struct tether_host *defaults) {
        int r;

        for (size_t i = 0; defaults && i < ELEMENTSOF(fields); i++) {
                const char *fallback;

                if (fields[i].set == set_tristate && *tristate_slot(host, &fields[i]) < 0)
                        *tristate_slot(host, &fields[i]) =
                                *tristate_slot((struct tether_host *)defaults, &fields[i]);
                if (fields[i].set != set_string || *string_slot(host, &fields[i]))
                        continue;
                fallback = string_of(defaults, &fields[i]);
                if (fallback && (r = replace_string(p, string_slot(host, &fields[i]), fallback)) < 0)
                        return r;
        }
        if (!host->address && (r = replace_string(p, &host->address, host->name)) < 0)
                return r;
        if (!host->firewall && (r = replace_string(p, &host->firewall, "auto")) < 0)
                return r;
        if (defaults && host->port == 0)
                host->port = defaults->port;
        return 0;
}
