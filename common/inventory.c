/* SPDX-License-Identifier: MIT */
/*
 * The inventory parser: a JSON file of Docker hosts in, validated hosts out
 * (see inventory.h). Two formats are read. tether's own:
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
 * the tags of "defaults" come first. The output of `ansible-inventory
 * --list`:
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
 *
 * Every error names the origin and either the line:column of a JSON syntax
 * error or the JSON path of the value ("hosts[3].port"), what is wrong and
 * what would be valid. Values from the file are quoted in messages with
 * everything but printable ASCII escaped and long ones cut (quote.h), so a
 * hostile inventory cannot forge or flood the message.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "inventory.h"
#include "quote.h"
#include "validate.h"

#define PATH_SIZE 512
/* Keys longer than this get no "did you mean" (and no quadratic work). */
#define SUGGEST_KEY_MAX 64
#define READ_CHUNK (64u * 1024)

#define TETHER_EXAMPLE "{\"defaults\": {...}, \"hosts\": [{\"name\": \"web-01\", ...}]}"
#define ANSIBLE_EXAMPLE                                                                            \
        "{\"_meta\": {\"hostvars\": {...}}, \"all\": {\"children\": [...]}, \"web\": {\"hosts\": " \
        "[\"web-01\"]}}"
#define NAME_CHARS "use letters, digits, '.', '_' and '-'"

static const char *const top_keys[] = {"defaults", "hosts"};
static const char *const host_keys[] = {"name",          "address",     "port",     "user", "sudo",
                                        "identity_file", "known_hosts", "firewall", "tags"};
static const char *const defaults_keys[] = {"address",       "port",        "user",     "sudo",
                                            "identity_file", "known_hosts", "firewall", "tags"};
/* The hostvars tether reads; other "tether_" variables are typos. */
static const char *const tether_hostvars[] = {"tether_firewall"};

struct parser {
        const char *origin;
        struct tether_error *error;
};

static int fail(struct parser *p, int code, const char *path, const char *format, ...) _printf_(4, 5);

static int fail(struct parser *p, int code, const char *path, const char *format, ...) {
        char message[TETHER_ERROR_TEXT_MAX];
        va_list ap;

        va_start(ap, format);
        vsnprintf(message, sizeof(message), format, ap);
        va_end(ap);
        if (path && path[0])
                return tether_error_set(p->error, code, "%s: %s: %s", p->origin, path, message);
        return tether_error_set(p->error, code, "%s: %s", p->origin, message);
}

static int fail_oom(struct parser *p) {
        return fail(p, -ENOMEM, NULL, "out of memory");
}

static bool streq(const char *a, const char *b) {
        return strcmp(a, b) == 0;
}

static bool endswith(const char *s, const char *suffix) {
        size_t length = strlen(s), suffix_length = strlen(suffix);

        return length >= suffix_length && streq(s + length - suffix_length, suffix);
}

/* What a message says was found instead of the expected value: the value
 * itself for scalars ("22" quoted is a string, 22 a number), the type for
 * containers. Returns buffer or a literal. */
static const char *describe(const json_t *value, char buffer[static TETHER_QUOTE_SIZE]) {
        switch (json_typeof(value)) {
        case JSON_STRING:
                return tether_quote_string(json_string_value(value), buffer);
        case JSON_INTEGER:
                snprintf(buffer, TETHER_QUOTE_SIZE, "%" JSON_INTEGER_FORMAT, json_integer_value(value));
                return buffer;
        case JSON_REAL:
                snprintf(buffer, TETHER_QUOTE_SIZE, "%g", json_real_value(value));
                /* 22.0 must not read as the integer 22. */
                if (strspn(buffer, "-0123456789") == strlen(buffer))
                        strncat(buffer, ".0", TETHER_QUOTE_SIZE - strlen(buffer) - 1);
                return buffer;
        case JSON_TRUE:
                return "true";
        case JSON_FALSE:
                return "false";
        case JSON_NULL:
                return "null";
        case JSON_ARRAY:
                return "an array";
        case JSON_OBJECT:
                return "an object";
        }
        return "a value of unknown type";
}

/* parent.key, or parent["key"] when key is not a plain word. */
/* snprintf() that may cut: a path in a message is bounded, and a cut one
 * still points the reader to the place. */
static void format_path(char path[static PATH_SIZE], const char *format, ...) _printf_(2, 3);

static void format_path(char path[static PATH_SIZE], const char *format, ...) {
        va_list ap;

        va_start(ap, format);
        vsnprintf(path, PATH_SIZE, format, ap);
        va_end(ap);
}

static void path_key(char path[static PATH_SIZE], const char *parent, const char *key) {
        size_t length = strlen(key);

        if (length > 0 && length <= TETHER_QUOTE_INPUT_MAX &&
            strspn(key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == length) {
                format_path(path, "%s%s%s", parent, parent[0] ? "." : "", key);
        } else {
                char quoted[TETHER_QUOTE_SIZE];

                format_path(path, "%s[%s]", parent, tether_quote_string(key, quoted));
        }
}

static void path_index(char path[static PATH_SIZE], const char *parent, size_t index) {
        format_path(path, "%s[%zu]", parent, index);
}

/* Optimal string alignment distance (Levenshtein plus transpositions), for
 * "did you mean"; both strings are at most SUGGEST_KEY_MAX bytes. */
static size_t edit_distance(const char *a, const char *b) {
        size_t a_length = strlen(a), b_length = strlen(b);
        size_t rows[3][SUGGEST_KEY_MAX + 1];
        size_t *before = rows[0], *previous = rows[1], *current = rows[2];

        for (size_t j = 0; j <= b_length; j++)
                previous[j] = j;
        for (size_t i = 1; i <= a_length; i++) {
                size_t *recycled = before;

                current[0] = i;
                for (size_t j = 1; j <= b_length; j++) {
                        size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
                        size_t best = previous[j - 1] + cost;

                        if (previous[j] + 1 < best)
                                best = previous[j] + 1;
                        if (current[j - 1] + 1 < best)
                                best = current[j - 1] + 1;
                        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                            before[j - 2] + 1 < best)
                                best = before[j - 2] + 1;
                        current[j] = best;
                }
                before = previous;
                previous = current;
                current = recycled;
        }
        return previous[b_length];
}

/* The valid key closest to key, if it is at most 2 edits away. */
static const char *suggest(const char *key, const char *const *valid, size_t n_valid) {
        const char *best = NULL;
        size_t best_distance = 3;

        if (strlen(key) > SUGGEST_KEY_MAX)
                return NULL;
        for (size_t i = 0; i < n_valid; i++) {
                size_t distance = edit_distance(key, valid[i]);

                if (distance < best_distance) {
                        best = valid[i];
                        best_distance = distance;
                }
        }
        return best;
}

static bool in_list(const char *key, const char *const *valid, size_t n_valid) {
        for (size_t i = 0; i < n_valid; i++)
                if (streq(key, valid[i]))
                        return true;
        return false;
}

/* noun names what key is ("key"), valid_label what valid lists. */
static int fail_unknown(struct parser *p, const char *path, const char *noun, const char *key,
                        const char *valid_label, const char *const *valid, size_t n_valid) {
        char quoted[TETHER_QUOTE_SIZE], list[256] = "";
        const char *suggestion = suggest(key, valid, n_valid);

        for (size_t i = 0; i < n_valid; i++)
                snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i > 0 ? ", " : "",
                         valid[i]);
        if (suggestion)
                return fail(p, -EINVAL, path, "unknown %s %s (did you mean \"%s\"? %s: %s)", noun,
                            tether_quote_string(key, quoted), suggestion, valid_label, list);
        return fail(p, -EINVAL, path, "unknown %s %s (%s: %s)", noun, tether_quote_string(key, quoted),
                    valid_label, list);
}

static int check_keys(struct parser *p, json_t *object, const char *path, const char *const *valid,
                      size_t n_valid) {
        const char *key;
        json_t *value;

        json_object_foreach(object, key, value) {
                if (!in_list(key, valid, n_valid))
                        return fail_unknown(p, path, "key", key, "valid keys", valid, n_valid);
        }
        return 0;
}

static int expect_string(struct parser *p, const json_t *value, const char *path, const char *expected,
                         const char **ret_string) {
        char found[TETHER_QUOTE_SIZE];

        if (!json_is_string(value))
                return fail(p, -EINVAL, path, "expected %s, got %s", expected, describe(value, found));
        *ret_string = json_string_value(value);
        return 0;
}

static int replace_string(struct parser *p, char **field, const char *value) {
        char *copy = strdup(value);

        if (!copy)
                return fail_oom(p);
        free(*field);
        *field = copy;
        return 0;
}

enum name_kind {
        NAME_HOST,
        NAME_TAG,
        NAME_GROUP,
};

/* A host name, tag or Ansible group name: the same rules, told apart in
 * the message. */
static int check_name(struct parser *p, const char *path, const char *s, enum name_kind kind) {
        static const char *const what[] = {
                [NAME_HOST] = "a host name",
                [NAME_TAG] = "a tag",
                [NAME_GROUP] = "a group name",
        };
        char quoted[TETHER_QUOTE_SIZE];
        size_t length = strnlen(s, TETHER_HOST_NAME_MAX + 1);

        if (length == 0)
                return fail(p, -EINVAL, path, "%s must not be empty; " NAME_CHARS, what[kind]);
        if (length > TETHER_HOST_NAME_MAX)
                return fail(p, -E2BIG, path, "%s is %zu characters long; %s has at most %u",
                            tether_quote_string(s, quoted), strlen(s), what[kind], TETHER_HOST_NAME_MAX);
        if (tether_valid_host_name(s))
                return 0;
        if (s[0] == '-' || s[0] == '.')
                return fail(p, -EINVAL, path,
                            "%s must not start with '%c'; %s starts with a letter, a digit or '_'",
                            tether_quote_string(s, quoted), s[0], what[kind]);
        if (kind == NAME_HOST && strchr(s, ':'))
                return fail(p, -EINVAL, path,
                            "%s has characters that are not allowed; " NAME_CHARS
                            " (for an IPv6 address, name the host and put the address in \"address\")",
                            tether_quote_string(s, quoted));
        return fail(p, -EINVAL, path, "%s has characters that are not allowed; " NAME_CHARS,
                    tether_quote_string(s, quoted));
}

static int set_address(struct parser *p, struct tether_host *host, const json_t *value, const char *path) {
        char quoted[TETHER_QUOTE_SIZE];
        const char *s = NULL;
        size_t length;
        int r;

        r = expect_string(p, value, path, "a host name or an IP address (a string)", &s);
        if (r < 0)
                return r;
        length = strnlen(s, TETHER_ADDRESS_MAX + 1);
        if (length == 0)
                return fail(p, -EINVAL, path, "the address must not be empty; leave it out to use the name");
        if (length > TETHER_ADDRESS_MAX)
                return fail(p, -E2BIG, path, "%s is %zu characters long; an address has at most %u",
                            tether_quote_string(s, quoted), strlen(s), TETHER_ADDRESS_MAX);
        if (!tether_valid_address(s)) {
                if (s[0] == '-')
                        return fail(p, -EINVAL, path, "%s must not start with '-'",
                                    tether_quote_string(s, quoted));
                if (s[0] == '[')
                        return fail(p, -EINVAL, path,
                                    "%s is not an IPv6 address in brackets; write it as \"[2001:db8::1]\"",
                                    tether_quote_string(s, quoted));
                if (strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-") ==
                    length)
                        return fail(p, -EINVAL, path,
                                    "%s is not an IPv6 address; an address with ':' must be one "
                                    "(a port goes in \"port\", not in the address)",
                                    tether_quote_string(s, quoted));
                return fail(p, -EINVAL, path,
                            "%s has characters that are not allowed; use a host name or an IP address "
                            "(letters, digits, '.', '-', '_', and ':' in IPv6)",
                            tether_quote_string(s, quoted));
        }

        /* Stored without brackets: libssh, getaddrinfo() and ProxyJump's
         * "[%h]" all want the bare literal. */
        if (s[0] == '[') {
                char *bare = strndup(s + 1, length - 2);

                if (!bare)
                        return fail_oom(p);
                free(host->address);
                host->address = bare;
                return 0;
        }
        return replace_string(p, &host->address, s);
}

static int set_user(struct parser *p, struct tether_host *host, const json_t *value, const char *path) {
        char quoted[TETHER_QUOTE_SIZE];
        const char *s = NULL;
        size_t length;
        int r;

        r = expect_string(p, value, path, "a user name (a string)", &s);
        if (r < 0)
                return r;
        length = strnlen(s, TETHER_USER_NAME_MAX + 1);
        if (length == 0)
                return fail(p, -EINVAL, path,
                            "the user name must not be empty; leave it out to use the default");
        if (length > TETHER_USER_NAME_MAX)
                return fail(p, -E2BIG, path, "%s is %zu characters long; a user name has at most %u",
                            tether_quote_string(s, quoted), strlen(s), TETHER_USER_NAME_MAX);
        if (!tether_valid_user_name(s))
                return fail(p, -EINVAL, path,
                            "%s is not a valid user name; use a letter or '_' followed by letters, "
                            "digits, '_', '.' and '-'",
                            tether_quote_string(s, quoted));
        return replace_string(p, &host->user, s);
}

static int set_file(struct parser *p, char **field, const json_t *value, const char *path,
                    const char *example) {
        char quoted[TETHER_QUOTE_SIZE];
        const char *s = NULL;
        size_t length;
        int r;

        r = expect_string(p, value, path, "a file name (a string)", &s);
        if (r < 0)
                return r;
        length = strnlen(s, TETHER_PATH_MAX + 1);
        if (length == 0)
                return fail(p, -EINVAL, path, "the file name must not be empty; give a path such as \"%s\"",
                            example);
        if (length > TETHER_PATH_MAX)
                return fail(p, -E2BIG, path, "%s is %zu bytes long; a file name has at most %u",
                            tether_quote_string(s, quoted), strlen(s), TETHER_PATH_MAX);
        for (size_t i = 0; i < length; i++) {
                unsigned char c = (unsigned char)s[i];

                if (c < 0x20 || c == 0x7f)
                        return fail(p, -EINVAL, path,
                                    "%s has a control character (0x%02x) at byte %zu; a file name has none",
                                    tether_quote_string(s, quoted), c, i);
        }
        return replace_string(p, field, s);
}

static int set_port_number(struct parser *p, struct tether_host *host, const json_t *value, const char *path,
                           bool allow_string) {
        char found[TETHER_QUOTE_SIZE];

        if (json_is_integer(value) && json_integer_value(value) >= 1 && json_integer_value(value) <= 65535) {
                host->port = (unsigned)json_integer_value(value);
                return 0;
        }
        if (allow_string && json_is_string(value) &&
            tether_parse_port(json_string_value(value), &host->port) >= 0)
                return 0;
        if (allow_string)
                return fail(p, -EINVAL, path,
                            "expected a port from 1 to 65535 (an integer or a string of digits), got %s",
                            describe(value, found));
        return fail(p, -EINVAL, path, "expected an integer from 1 to 65535, got %s", describe(value, found));
}

/* Ansible's ansible_become takes a boolean or one of these strings. */
static int set_sudo(struct parser *p, struct tether_host *host, const json_t *value, const char *path,
                    bool allow_string) {
        static const char *const yes[] = {"yes", "true", "True"};
        static const char *const no[] = {"no", "false", "False"};
        char found[TETHER_QUOTE_SIZE];

        if (json_is_boolean(value)) {
                host->sudo = json_is_true(value);
                return 0;
        }
        if (allow_string && json_is_string(value)) {
                if (in_list(json_string_value(value), yes, ELEMENTSOF(yes))) {
                        host->sudo = 1;
                        return 0;
                }
                if (in_list(json_string_value(value), no, ELEMENTSOF(no))) {
                        host->sudo = 0;
                        return 0;
                }
        }
        if (allow_string)
                return fail(p, -EINVAL, path,
                            "expected true or false (or \"yes\", \"no\", \"true\", \"false\", \"True\", "
                            "\"False\"), "
                            "got %s",
                            describe(value, found));
        return fail(p, -EINVAL, path, "expected true or false, got %s", describe(value, found));
}

/* "auto", or a systemd unit to force; "nftables" means "nftables.service". */
static int set_firewall(struct parser *p, struct tether_host *host, const json_t *value, const char *path) {
        _cleanup_free_ char *unit = NULL;
        char quoted[TETHER_QUOTE_SIZE];
        const char *s = NULL;
        int r;

        r = expect_string(p, value, path, "\"auto\" or a systemd service such as \"nftables.service\"", &s);
        if (r < 0)
                return r;
        if (streq(s, "auto"))
                return replace_string(p, &host->firewall, s);

        if (strnlen(s, TETHER_UNIT_NAME_MAX + 1) > TETHER_UNIT_NAME_MAX)
                return fail(p, -E2BIG, path, "%s is %zu characters long; a unit name has at most %u",
                            tether_quote_string(s, quoted), strlen(s), TETHER_UNIT_NAME_MAX);
        if (s[0] == '\0')
                return fail(p, -EINVAL, path,
                            "the firewall must not be empty; use \"auto\" or a service such as "
                            "\"nftables.service\"");
        if (strchr(s, '.'))
                unit = strdup(s);
        else if (asprintf(&unit, "%s.service", s) < 0)
                unit = NULL;
        if (!unit)
                return fail_oom(p);
        if (strlen(unit) > TETHER_UNIT_NAME_MAX)
                return fail(p, -E2BIG, path,
                            "%s with \".service\" is %zu characters long; a unit name has at most %u",
                            tether_quote_string(s, quoted), strlen(unit), TETHER_UNIT_NAME_MAX);

        if (!tether_valid_unit_name(unit)) {
                if (strspn(unit, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:_.@\\-") !=
                    strlen(unit))
                        return fail(p, -EINVAL, path,
                                    "%s has characters that are not allowed in a unit name; use letters, "
                                    "digits, "
                                    "':', '_', '.', '@', '\\' and '-'",
                                    tether_quote_string(s, quoted));
                return fail(p, -EINVAL, path,
                            "%s is not a systemd unit name; use \"auto\" or a service such as "
                            "\"nftables.service\"",
                            tether_quote_string(s, quoted));
        }
        if (!endswith(unit, ".service"))
                return fail(p, -EINVAL, path,
                            "%s is a .%s unit; the firewall is \"auto\" or a .service unit, such as "
                            "\"nftables.service\"",
                            tether_quote_string(s, quoted), strrchr(unit, '.') + 1);
        if (endswith(unit, "@.service"))
                return fail(p, -EINVAL, path,
                            "%s is a template unit; name an instance, such as \"%.*s@main.service\"",
                            tether_quote_string(s, quoted), (int)(strlen(unit) - strlen("@.service")), unit);

        free(host->firewall);
        host->firewall = TAKE_PTR(unit);
        return 0;
}

/* Appends tag unless the host has it already. */
static int host_add_tag(struct parser *p, struct tether_host *host, const char *tag) {
        char **tags;

        for (size_t i = 0; i < host->n_tags; i++)
                if (streq(host->tags[i], tag))
                        return 0;
        if (host->n_tags >= TETHER_HOST_MAX_TAGS)
                return -E2BIG; /* the caller knows where the tags came from */

        tags = realloc(host->tags, (host->n_tags + 2) * sizeof(char *));
        if (!tags)
                return fail_oom(p);
        host->tags = tags;
        host->tags[host->n_tags] = strdup(tag);
        if (!host->tags[host->n_tags])
                return fail_oom(p);
        host->n_tags++;
        host->tags[host->n_tags] = NULL;
        return 0;
}

static int add_tags(struct parser *p, struct tether_host *host, const json_t *value, const char *path) {
        char found[TETHER_QUOTE_SIZE], element_path[PATH_SIZE];
        const char *tag = NULL;
        json_t *element;
        size_t index;
        int r;

        if (!json_is_array(value))
                return fail(p, -EINVAL, path, "expected an array of tags (strings), got %s",
                            describe(value, found));
        if (json_array_size(value) > TETHER_HOST_MAX_TAGS)
                return fail(p, -E2BIG, path, "%zu tags; a host has at most %u", json_array_size(value),
                            TETHER_HOST_MAX_TAGS);

        json_array_foreach(value, index, element) {
                path_index(element_path, path, index);
                r = expect_string(p, element, element_path, "a tag (a string)", &tag);
                if (r < 0)
                        return r;
                r = check_name(p, element_path, tag, NAME_TAG);
                if (r < 0)
                        return r;
                r = host_add_tag(p, host, tag);
                if (r == -E2BIG)
                        return fail(
                                p, r, path,
                                "with the tags of \"defaults\", more than %u tags; a host has at most %u",
                                TETHER_HOST_MAX_TAGS, TETHER_HOST_MAX_TAGS);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int host_init(struct parser *p, struct tether_host *host) {
        *host = (struct tether_host){.sudo = -1};
        host->tags = calloc(1, sizeof(char *));
        if (!host->tags)
                return fail_oom(p);
        return 0;
}

static void host_done(struct tether_host *host) {
        free(host->name);
        free(host->address);
        free(host->user);
        free(host->identity_file);
        free(host->known_hosts);
        free(host->firewall);
        strv_free(host->tags);
        *host = (struct tether_host){};
}

/* Fills in what the host did not set: from defaults (may be NULL), else the
 * name for the address and "auto" for the firewall. */
static int host_complete(struct parser *p, struct tether_host *host, const struct tether_host *defaults) {
        static const struct tether_host none = {.sudo = -1};
        const char *address, *firewall;
        int r;

        if (!defaults)
                defaults = &none;
        address = host->address ? NULL : defaults->address ? defaults->address : host->name;
        firewall = host->firewall ? NULL : defaults->firewall ? defaults->firewall : "auto";

        if (address && (r = replace_string(p, &host->address, address)) < 0)
                return r;
        if (firewall && (r = replace_string(p, &host->firewall, firewall)) < 0)
                return r;
        if (!host->user && defaults->user && (r = replace_string(p, &host->user, defaults->user)) < 0)
                return r;
        if (!host->identity_file && defaults->identity_file &&
            (r = replace_string(p, &host->identity_file, defaults->identity_file)) < 0)
                return r;
        if (!host->known_hosts && defaults->known_hosts &&
            (r = replace_string(p, &host->known_hosts, defaults->known_hosts)) < 0)
                return r;
        if (host->port == 0)
                host->port = defaults->port;
        if (host->sudo < 0)
                host->sudo = defaults->sudo;
        return 0;
}

/* The fields a host and "defaults" share, typed strictly (tether format). */
static int parse_host_fields(struct parser *p, struct tether_host *host, json_t *object, const char *path) {
        char field_path[PATH_SIZE];
        json_t *value;
        int r = 0;

#define FIELD(key) ((value = json_object_get(object, key)) ? (path_key(field_path, path, key), true) : false)
        if (FIELD("address") && (r = set_address(p, host, value, field_path)) < 0)
                return r;
        if (FIELD("port") && (r = set_port_number(p, host, value, field_path, false)) < 0)
                return r;
        if (FIELD("user") && (r = set_user(p, host, value, field_path)) < 0)
                return r;
        if (FIELD("sudo") && (r = set_sudo(p, host, value, field_path, false)) < 0)
                return r;
        if (FIELD("identity_file") &&
            (r = set_file(p, &host->identity_file, value, field_path, "~/.ssh/id_ed25519")) < 0)
                return r;
        if (FIELD("known_hosts") &&
            (r = set_file(p, &host->known_hosts, value, field_path, "~/.ssh/known_hosts")) < 0)
                return r;
        if (FIELD("firewall") && (r = set_firewall(p, host, value, field_path)) < 0)
                return r;
        if (FIELD("tags") && (r = add_tags(p, host, value, field_path)) < 0)
                return r;
#undef FIELD
        return 0;
}

/* Remembers name → index in names, or fails naming the first use. */
static int claim_name(struct parser *p, json_t *names, const char *name, size_t index, const char *path,
                      const char *parent_path) {
        char quoted[TETHER_QUOTE_SIZE], first_path[PATH_SIZE];
        json_t *previous = json_object_get(names, name);

        if (previous) {
                path_index(first_path, parent_path, (size_t)json_integer_value(previous));
                return fail(p, -EINVAL, path, "%s is used twice (also %s); host names must be unique",
                            tether_quote_string(name, quoted), first_path);
        }
        if (json_object_set_new(names, name, json_integer((json_int_t)index)) < 0)
                return fail_oom(p);
        return 0;
}

static int parse_tether(struct parser *p, json_t *root, struct tether_inventory *inventory) {
        _cleanup_(host_done) struct tether_host defaults = {.sudo = -1};
        json_auto_t *names = NULL;
        json_t *defaults_object, *hosts, *object;
        char found[TETHER_QUOTE_SIZE];
        size_t index;
        int r;

        r = check_keys(p, root, "", top_keys, ELEMENTSOF(top_keys));
        if (r < 0)
                return r;

        r = host_init(p, &defaults);
        if (r < 0)
                return r;
        defaults_object = json_object_get(root, "defaults");
        if (defaults_object) {
                if (!json_is_object(defaults_object))
                        return fail(p, -EINVAL, "defaults", "expected an object, got %s",
                                    describe(defaults_object, found));
                if (json_object_get(defaults_object, "name"))
                        return fail(p, -EINVAL, "defaults",
                                    "\"name\" cannot have a default; every host has its own, in \"hosts\"");
                r = check_keys(p, defaults_object, "defaults", defaults_keys, ELEMENTSOF(defaults_keys));
                if (r < 0)
                        return r;
                r = parse_host_fields(p, &defaults, defaults_object, "defaults");
                if (r < 0)
                        return r;
        }

        hosts = json_object_get(root, "hosts");
        if (!hosts)
                return fail(p, -EINVAL, NULL, "missing key \"hosts\"; a tether inventory is %s",
                            TETHER_EXAMPLE);
        if (!json_is_array(hosts))
                return fail(p, -EINVAL, "hosts", "expected an array of host objects, got %s",
                            describe(hosts, found));
        if (json_array_size(hosts) == 0)
                return fail(p, -EINVAL, "hosts",
                            "no hosts; list at least one, such as {\"name\": \"web-01\"}");
        if (json_array_size(hosts) > TETHER_INVENTORY_MAX_HOSTS)
                return fail(p, -E2BIG, "hosts", "%zu hosts; an inventory has at most %u",
                            json_array_size(hosts), TETHER_INVENTORY_MAX_HOSTS);

        inventory->hosts = calloc(json_array_size(hosts), sizeof(struct tether_host));
        names = json_object();
        if (!inventory->hosts || !names)
                return fail_oom(p);

        json_array_foreach(hosts, index, object) {
                char host_path[PATH_SIZE], name_path[PATH_SIZE];
                struct tether_host *host = &inventory->hosts[index];
                const char *name = NULL;
                json_t *name_value;

                path_index(host_path, "hosts", index);
                if (!json_is_object(object))
                        return fail(p, -EINVAL, host_path,
                                    "expected a host object such as {\"name\": \"web-01\"}, got %s",
                                    describe(object, found));
                r = check_keys(p, object, host_path, host_keys, ELEMENTSOF(host_keys));
                if (r < 0)
                        return r;

                r = host_init(p, host);
                if (r < 0)
                        return r;
                inventory->n_hosts++;

                name_value = json_object_get(object, "name");
                if (!name_value)
                        return fail(
                                p, -EINVAL, host_path,
                                "missing key \"name\"; every host has one, such as {\"name\": \"web-01\"}");
                path_key(name_path, host_path, "name");
                r = expect_string(p, name_value, name_path, "a host name (a string)", &name);
                if (r < 0)
                        return r;
                r = check_name(p, name_path, name, NAME_HOST);
                if (r < 0)
                        return r;
                r = claim_name(p, names, name, index, name_path, "hosts");
                if (r < 0)
                        return r;
                r = replace_string(p, &host->name, name);
                if (r < 0)
                        return r;

                /* The tags of defaults come first. */
                for (size_t i = 0; i < defaults.n_tags; i++) {
                        r = host_add_tag(p, host, defaults.tags[i]);
                        if (r < 0)
                                return r;
                }
                r = parse_host_fields(p, host, object, host_path);
                if (r < 0)
                        return r;
                r = host_complete(p, host, &defaults);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Ansible: the index of the host named name, added (with its name
 * checked) on first sight. */
static int ansible_add_host(struct parser *p, struct tether_inventory *inventory, json_t *names,
                            json_t *memberships, size_t *capacity, const char *name, const char *path,
                            size_t *ret_index) {
        json_t *known = json_object_get(names, name);
        struct tether_host *host;
        int r;

        if (known) {
                *ret_index = (size_t)json_integer_value(known);
                return 0;
        }

        r = check_name(p, path, name, NAME_HOST);
        if (r < 0)
                return r;
        if (inventory->n_hosts >= TETHER_INVENTORY_MAX_HOSTS)
                return fail(p, -E2BIG, path, "more than %u hosts; an inventory has at most %u",
                            TETHER_INVENTORY_MAX_HOSTS, TETHER_INVENTORY_MAX_HOSTS);
        if (inventory->n_hosts == *capacity) {
                size_t new_capacity = *capacity ? *capacity * 2 : 16;
                struct tether_host *hosts;

                if (new_capacity > TETHER_INVENTORY_MAX_HOSTS)
                        new_capacity = TETHER_INVENTORY_MAX_HOSTS;
                hosts = realloc(inventory->hosts, new_capacity * sizeof(struct tether_host));
                if (!hosts)
                        return fail_oom(p);
                inventory->hosts = hosts;
                *capacity = new_capacity;
        }

        host = &inventory->hosts[inventory->n_hosts];
        r = host_init(p, host);
        if (r < 0)
                return r;
        inventory->n_hosts++;
        r = replace_string(p, &host->name, name);
        if (r < 0)
                return r;
        if (json_object_set_new(names, name, json_integer((json_int_t)(inventory->n_hosts - 1))) < 0 ||
            json_array_append_new(memberships, json_array()) < 0)
                return fail_oom(p);
        *ret_index = inventory->n_hosts - 1;
        return 0;
}

static bool is_implicit_group(const char *group) {
        return streq(group, "all") || streq(group, "ungrouped");
}

/* hostvars → fields. Ansible spells some variables two ways (the ssh
 * plugin reads both); the first spelling listed wins. */
static int ansible_hostvars(struct parser *p, struct tether_host *host, json_t *vars, const char *path) {
        char var_path[PATH_SIZE];
        const char *key;
        json_t *value;
        int r;

#define VAR(key) ((value = json_object_get(vars, key)) ? (path_key(var_path, path, key), true) : false)
#define VAR2(key, alias) (VAR(key) || VAR(alias))
        if (VAR2("ansible_host", "ansible_ssh_host") && (r = set_address(p, host, value, var_path)) < 0)
                return r;
        if (VAR2("ansible_port", "ansible_ssh_port") &&
            (r = set_port_number(p, host, value, var_path, true)) < 0)
                return r;
        if (VAR2("ansible_user", "ansible_ssh_user") && (r = set_user(p, host, value, var_path)) < 0)
                return r;
        if (VAR("ansible_become") && (r = set_sudo(p, host, value, var_path, true)) < 0)
                return r;
        if (VAR2("ansible_ssh_private_key_file", "ansible_private_key_file") &&
            (r = set_file(p, &host->identity_file, value, var_path, "~/.ssh/id_ed25519")) < 0)
                return r;
        if (VAR("tether_firewall") && (r = set_firewall(p, host, value, var_path)) < 0)
                return r;
#undef VAR2
#undef VAR

        /* Other variables are the playbooks' business, but "tether_" ones
         * are ours, and a typo there would be silently ignored. */
        json_object_foreach(vars, key, value) {
                if (strncmp(key, "tether_", strlen("tether_")) == 0 &&
                    !in_list(key, tether_hostvars, ELEMENTSOF(tether_hostvars)))
                        return fail_unknown(p, path, "variable", key, "tether reads", tether_hostvars,
                                            ELEMENTSOF(tether_hostvars));
        }
        return 0;
}

/* The tags of a host: its groups, then their parents breadth-first, each
 * once (so cycles in "children" end), without "all" and "ungrouped". */
static int ansible_tags(struct parser *p, struct tether_host *host, json_t *groups, json_t *parents_of) {
        json_auto_t *queue = json_copy(groups), *seen = json_object();
        json_t *group, *parent;
        size_t index;
        int r;

        if (!queue || !seen)
                return fail_oom(p);
        json_array_foreach(queue, index, group) {
                if (json_object_set(seen, json_string_value(group), json_true()) < 0)
                        return fail_oom(p);
        }

        for (size_t i = 0; i < json_array_size(queue); i++) {
                const char *name = json_string_value(json_array_get(queue, i));

                if (!is_implicit_group(name)) {
                        r = host_add_tag(p, host, name);
                        if (r == -E2BIG)
                                return fail(
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
                                return fail_oom(p);
                }
        }
        return 0;
}

/* A group's "hosts" or "children": an array of strings. */
static int ansible_string_array(struct parser *p, json_t *value, const char *path, const char *what) {
        char found[TETHER_QUOTE_SIZE], element_path[PATH_SIZE];
        json_t *element;
        size_t index;

        if (!json_is_array(value))
                return fail(p, -EINVAL, path, "expected an array of %ss, got %s", what,
                            describe(value, found));
        json_array_foreach(value, index, element) {
                if (!json_is_string(element)) {
                        path_index(element_path, path, index);
                        return fail(p, -EINVAL, element_path, "expected a %s (a string), got %s", what,
                                    describe(element, found));
                }
        }
        return 0;
}

static int parse_ansible(struct parser *p, json_t *root, struct tether_inventory *inventory) {
        json_auto_t *names = json_object(), *memberships = json_array(), *parents_of = json_object();
        json_t *meta, *hostvars = NULL, *group, *vars;
        char found[TETHER_QUOTE_SIZE], path[PATH_SIZE];
        const char *group_name, *host_name;
        size_t capacity = 0, index;
        int r;

        inventory->from_ansible = true;
        if (!names || !memberships || !parents_of)
                return fail_oom(p);

        meta = json_object_get(root, "_meta");
        if (meta) {
                if (!json_is_object(meta))
                        return fail(p, -EINVAL, "_meta", "expected an object with \"hostvars\", got %s",
                                    describe(meta, found));
                hostvars = json_object_get(meta, "hostvars");
                if (hostvars && !json_is_object(hostvars))
                        return fail(p, -EINVAL, "_meta.hostvars",
                                    "expected an object of hosts' variables, got %s",
                                    describe(hostvars, found));
        }

        /* Hosts in the order they first appear, walking the groups in
         * document order (jansson keeps it); then hosts only in hostvars. */
        json_object_foreach(root, group_name, group) {
                json_t *hosts, *children, *element;

                if (streq(group_name, "_meta"))
                        continue;
                path_key(path, "", group_name);
                if (!json_is_object(group))
                        return fail(p, -EINVAL, path,
                                    "expected an Ansible group, an object with \"hosts\" and \"children\", "
                                    "got %s",
                                    describe(group, found));
                if (!is_implicit_group(group_name)) {
                        r = check_name(p, path, group_name, NAME_GROUP);
                        if (r < 0)
                                return r;
                }

                hosts = json_object_get(group, "hosts");
                if (hosts) {
                        char hosts_path[PATH_SIZE];

                        path_key(hosts_path, path, "hosts");
                        r = ansible_string_array(p, hosts, hosts_path, "host name");
                        if (r < 0)
                                return r;
                        json_array_foreach(hosts, index, element) {
                                char host_path[PATH_SIZE];
                                size_t host_index;

                                path_index(host_path, hosts_path, index);
                                r = ansible_add_host(p, inventory, names, memberships, &capacity,
                                                     json_string_value(element), host_path, &host_index);
                                if (r < 0)
                                        return r;
                                if (json_array_append_new(json_array_get(memberships, host_index),
                                                          json_string(group_name)) < 0)
                                        return fail_oom(p);
                        }
                }

                children = json_object_get(group, "children");
                if (children) {
                        char children_path[PATH_SIZE];

                        path_key(children_path, path, "children");
                        r = ansible_string_array(p, children, children_path, "group name");
                        if (r < 0)
                                return r;
                        json_array_foreach(children, index, element) {
                                const char *child = json_string_value(element);
                                json_t *parents = json_object_get(parents_of, child);

                                if (!parents) {
                                        parents = json_array();
                                        if (json_object_set_new(parents_of, child, parents) < 0)
                                                return fail_oom(p);
                                }
                                if (json_array_append_new(parents, json_string(group_name)) < 0)
                                        return fail_oom(p);
                        }
                }
        }

        if (hostvars) {
                json_object_foreach(hostvars, host_name, vars) {
                        size_t host_index;

                        path_key(path, "_meta.hostvars", host_name);
                        r = ansible_add_host(p, inventory, names, memberships, &capacity, host_name, path,
                                             &host_index);
                        if (r < 0)
                                return r;
                }
        }

        if (inventory->n_hosts == 0)
                return fail(p, -EINVAL, NULL,
                            "no hosts: no group lists any under \"hosts\" and \"_meta.hostvars\" has none");

        for (size_t i = 0; i < inventory->n_hosts; i++) {
                struct tether_host *host = &inventory->hosts[i];

                vars = hostvars ? json_object_get(hostvars, host->name) : NULL;
                if (vars) {
                        path_key(path, "_meta.hostvars", host->name);
                        if (!json_is_object(vars))
                                return fail(p, -EINVAL, path, "expected an object of variables, got %s",
                                            describe(vars, found));
                        r = ansible_hostvars(p, host, vars, path);
                        if (r < 0)
                                return r;
                }
                r = ansible_tags(p, host, json_array_get(memberships, i), parents_of);
                if (r < 0)
                        return r;
                r = host_complete(p, host, NULL);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* A top-level key of a tether inventory, or one misspelt. */
static bool looks_like_tether(json_t *root) {
        const char *key;
        json_t *value;

        json_object_foreach(root, key, value) {
                if (suggest(key, top_keys, ELEMENTSOF(top_keys)))
                        return true;
        }
        return false;
}

static int fail_json(struct parser *p, const json_error_t *json_error) {
        int code;

        switch (json_error_code(json_error)) {
        case json_error_out_of_memory:
                code = -ENOMEM;
                break;
        case json_error_stack_overflow:
                return tether_error_set(
                        p->error, -E2BIG, "%s:%d:%d: invalid JSON: %s (the limit is %d levels)", p->origin,
                        json_error->line, json_error->column, json_error->text, JSON_PARSER_MAX_DEPTH);
        default:
                code = -EBADMSG;
        }
        return tether_error_set(p->error, code, "%s:%d:%d: invalid JSON: %s", p->origin, json_error->line,
                                json_error->column, json_error->text);
}

/* jansson stops at a NUL byte as if the text ended there, so find one
 * first, and report it where an editor would show it. */
static int check_nul(struct parser *p, const char *text, size_t length) {
        const char *nul = memchr(text, '\0', length);
        size_t line = 1, column = 1;

        if (!nul)
                return 0;
        for (const char *c = text; c < nul; c++) {
                if (*c == '\n') {
                        line++;
                        column = 1;
                } else if (((unsigned char)*c & 0xc0) != 0x80)
                        column++;
        }
        return tether_error_set(p->error, -EBADMSG,
                                "%s:%zu:%zu: invalid JSON: a NUL byte (the file is binary or corrupt)",
                                p->origin, line, column);
}

static int inventory_new(struct parser *p, struct tether_inventory **ret_inventory) {
        struct tether_inventory *inventory = calloc(1, sizeof(*inventory));

        if (!inventory)
                return fail_oom(p);
        inventory->origin = strdup(p->origin);
        if (!inventory->origin) {
                free(inventory);
                return fail_oom(p);
        }
        *ret_inventory = inventory;
        return 0;
}

int tether_inventory_parse(const char *text, size_t length, const char *origin,
                           struct tether_inventory **ret_inventory, struct tether_error *error) {
        _cleanup_(tether_inventory_freep) struct tether_inventory *inventory = NULL;
        struct parser p = {.origin = origin ? origin : "(inventory)", .error = error};
        json_auto_t *root = NULL;
        json_error_t json_error;
        char found[TETHER_QUOTE_SIZE];
        int r;

        if (!text && length > 0)
                return fail(&p, -EINVAL, NULL, "no text to parse");
        if (length > TETHER_INVENTORY_MAX_BYTES)
                return fail(&p, -EFBIG, NULL, "%zu bytes; an inventory has at most %u bytes (16 MiB)",
                            length, TETHER_INVENTORY_MAX_BYTES);
        if (length == 0)
                return fail(&p, -EBADMSG, NULL, "the inventory is empty; it is a JSON object such as %s",
                            TETHER_EXAMPLE);
        r = check_nul(&p, text, length);
        if (r < 0)
                return r;

        root = json_loadb(text, length, JSON_REJECT_DUPLICATES, &json_error);
        if (!root)
                return fail_json(&p, &json_error);
        if (!json_is_object(root))
                return fail(&p, -EINVAL, NULL, "expected a JSON object at the top level, such as %s; got %s",
                            TETHER_EXAMPLE, describe(root, found));

        r = inventory_new(&p, &inventory);
        if (r < 0)
                return r;

        /* An Ansible group may be called "hosts" or "defaults", but its
         * value is an object, never an array. */
        if (json_is_array(json_object_get(root, "hosts")))
                r = parse_tether(&p, root, inventory);
        else if (json_is_object(json_object_get(root, "_meta")) ||
                 json_is_object(json_object_get(root, "all")))
                r = parse_ansible(&p, root, inventory);
        else if (looks_like_tether(root))
                r = parse_tether(&p, root, inventory);
        else
                r = fail(&p, -EINVAL, NULL,
                         "not an inventory: expected tether's format, %s, or the output of "
                         "`ansible-inventory --list`, %s",
                         TETHER_EXAMPLE, ANSIBLE_EXAMPLE);
        if (r < 0)
                return r;

        *ret_inventory = TAKE_PTR(inventory);
        return 0;
}

static const char *errno_name(int error_number) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
        const char *name = strerrorname_np(error_number);

        if (name)
                return name;
#endif
        (void)error_number;
        return "errno";
}

static int fail_io(struct tether_error *error, const char *path, const char *doing, int code) {
        return tether_error_set(error, code, "%s: cannot %s: %s (%s %d)", path, doing, strerror(-code),
                                errno_name(-code), -code);
}

int tether_inventory_load(const char *path, struct tether_inventory **ret_inventory,
                          struct tether_error *error) {
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *text = NULL;
        size_t size = 0, capacity;
        struct stat st;

        if (!path)
                return tether_error_set(error, -EINVAL, "no inventory file given");

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return fail_io(error, path, "open the inventory", negative_errno());
        if (fstat(fd, &st) < 0)
                return fail_io(error, path, "stat the inventory", negative_errno());
        if (S_ISDIR(st.st_mode))
                return fail_io(error, path, "read the inventory", -EISDIR);
        if (S_ISREG(st.st_mode) && st.st_size > (off_t)TETHER_INVENTORY_MAX_BYTES)
                return tether_error_set(error, -EFBIG,
                                        "%s: %jd bytes; an inventory has at most %u bytes (16 MiB)", path,
                                        (intmax_t)st.st_size, TETHER_INVENTORY_MAX_BYTES);

        /* A regular file is read in one go (one byte more, to see EOF); a
         * pipe in chunks. Never more than the limit and one byte. */
        capacity = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : READ_CHUNK;
        text = malloc(capacity);
        if (!text)
                return tether_error_set(error, -ENOMEM, "%s: out of memory", path);

        while (size <= TETHER_INVENTORY_MAX_BYTES) {
                ssize_t n;

                if (size == capacity) {
                        size_t new_capacity = capacity * 2;
                        char *grown;

                        if (new_capacity > TETHER_INVENTORY_MAX_BYTES + 1)
                                new_capacity = TETHER_INVENTORY_MAX_BYTES + 1;
                        grown = realloc(text, new_capacity);
                        if (!grown)
                                return tether_error_set(error, -ENOMEM, "%s: out of memory", path);
                        text = grown;
                        capacity = new_capacity;
                }
                n = read(fd, text + size, capacity - size);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return fail_io(error, path, "read the inventory", negative_errno());
                }
                if (n == 0)
                        break;
                size += (size_t)n;
        }
        if (size > TETHER_INVENTORY_MAX_BYTES)
                return tether_error_set(error, -EFBIG,
                                        "%s: more than %u bytes; an inventory has at most %u bytes (16 MiB)",
                                        path, TETHER_INVENTORY_MAX_BYTES, TETHER_INVENTORY_MAX_BYTES);

        return tether_inventory_parse(text, size, path, ret_inventory, error);
}

struct tether_inventory *tether_inventory_free(struct tether_inventory *inventory) {
        if (!inventory)
                return NULL;
        for (size_t i = 0; i < inventory->n_hosts; i++)
                host_done(&inventory->hosts[i]);
        free(inventory->hosts);
        free(inventory->origin);
        free(inventory);
        return NULL;
}

const struct tether_host *tether_inventory_find(const struct tether_inventory *inventory, const char *name) {
        if (!inventory || !name)
                return NULL;
        for (size_t i = 0; i < inventory->n_hosts; i++)
                if (streq(inventory->hosts[i].name, name))
                        return &inventory->hosts[i];
        return NULL;
}

/* json_object_set_new() for a value that may be NULL (out of memory). */
static bool set_new(json_t *object, const char *key, json_t *value) {
        return value && json_object_set_new(object, key, value) == 0;
}

static json_t *host_to_json(const struct tether_host *host) {
        json_auto_t *object = json_object(), *tags = json_array();

        if (!object || !tags)
                return NULL;
        for (size_t i = 0; i < host->n_tags; i++)
                if (json_array_append_new(tags, json_string(host->tags[i])) < 0)
                        return NULL;

        if (!set_new(object, "name", json_string(host->name)) ||
            !set_new(object, "address", json_string(host->address)) ||
            (host->port > 0 && !set_new(object, "port", json_integer(host->port))) ||
            (host->user && !set_new(object, "user", json_string(host->user))) ||
            (host->sudo >= 0 && !set_new(object, "sudo", json_boolean(host->sudo))) ||
            (host->identity_file && !set_new(object, "identity_file", json_string(host->identity_file))) ||
            (host->known_hosts && !set_new(object, "known_hosts", json_string(host->known_hosts))) ||
            !set_new(object, "firewall", json_string(host->firewall)) ||
            !set_new(object, "tags", TAKE_PTR(tags)))
                return NULL;
        return TAKE_PTR(object);
}

json_t *tether_inventory_to_json(const struct tether_inventory *inventory) {
        json_auto_t *root = json_object(), *hosts = json_array();

        if (!inventory || !root || !hosts)
                return NULL;
        for (size_t i = 0; i < inventory->n_hosts; i++)
                if (json_array_append_new(hosts, host_to_json(&inventory->hosts[i])) < 0)
                        return NULL;
        if (!set_new(root, "hosts", TAKE_PTR(hosts)))
                return NULL;
        return TAKE_PTR(root);
}
