/* SPDX-License-Identifier: MIT */
/*
 * The inventory parser: a JSON file of Docker hosts in, validated hosts out
 * (see inventory.h). This file reads the JSON, tells the two formats apart,
 * tether's own (inventory-tether.c) and the output of `ansible-inventory
 * --list` (inventory-ansible.c), and has what both report errors with; the
 * fields of a host are in inventory-host.c. A text is tether's format when
 * "hosts" is an array, Ansible's when it has an object "_meta" or "all":
 *
 *   {"hosts": [{"name": "web-01"}]}                         tether's
 *   {"all": {"children": ["web"]}, "web": {"hosts": [...]}}  Ansible's
 *   {"hsots": [...]}                                          tether's, misspelt
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
#include <unistd.h>

#include "fileio.h"
#include "inventory-internal.h"
#include "suggest.h"

#define ANSIBLE_EXAMPLE                                                                            \
        "{\"_meta\": {\"hostvars\": {...}}, \"all\": {\"children\": [...]}, \"web\": {\"hosts\": " \
        "[\"web-01\"]}}"

/* ---- errors and paths ------------------------------------------------ */

int inventory_fail(struct inventory_parser *p, int code, const char *path, const char *format, ...) {
        char message[TETHER_ERROR_TEXT_MAX];
        va_list ap;

        va_start(ap, format);
        vsnprintf(message, sizeof(message), format, ap);
        va_end(ap);
        if (path && path[0])
                return tether_error_set(p->error, code, "%s: %s: %s", p->origin, path, message);
        return tether_error_set(p->error, code, "%s: %s", p->origin, message);
}

int inventory_fail_oom(struct inventory_parser *p) {
        return inventory_fail(p, -ENOMEM, NULL, "out of memory");
}

const char *inventory_describe(const json_t *value, char buffer[static TETHER_QUOTE_SIZE]) {
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

/* snprintf() that may cut: a path in a message is bounded, and a cut one
 * still points the reader to the place. */
static void format_path(char path[static INVENTORY_PATH_SIZE], const char *format, ...) _printf_(2, 3);

static void format_path(char path[static INVENTORY_PATH_SIZE], const char *format, ...) {
        va_list ap;

        va_start(ap, format);
        vsnprintf(path, INVENTORY_PATH_SIZE, format, ap);
        va_end(ap);
}

void inventory_path_key(char path[static INVENTORY_PATH_SIZE], const char *parent, const char *key) {
        size_t length = strlen(key);

        if (length > 0 && length <= TETHER_QUOTE_INPUT_MAX &&
            strspn(key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == length) {
                format_path(path, "%s%s%s", parent, parent[0] ? "." : "", key);
        } else {
                char quoted[TETHER_QUOTE_SIZE];

                format_path(path, "%s[%s]", parent, tether_quote_string(key, quoted));
        }
}

void inventory_path_index(char path[static INVENTORY_PATH_SIZE], const char *parent, size_t index) {
        format_path(path, "%s[%zu]", parent, index);
}

bool inventory_in_list(const char *s, const char *const *list, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (strcmp(s, list[i]) == 0)
                        return true;
        return false;
}

int inventory_fail_unknown(struct inventory_parser *p, const char *path, const char *noun, const char *key,
                           const char *valid_label, const char *const *valid, size_t n_valid) {
        char quoted[TETHER_QUOTE_SIZE], list[256] = "";
        const char *suggestion = tether_suggest_closest(key, valid, n_valid);

        for (size_t i = 0; i < n_valid; i++)
                snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i > 0 ? ", " : "",
                         valid[i]);
        if (suggestion)
                return inventory_fail(p, -EINVAL, path, "unknown %s %s (did you mean \"%s\"? %s: %s)", noun,
                                      tether_quote_string(key, quoted), suggestion, valid_label, list);
        return inventory_fail(p, -EINVAL, path, "unknown %s %s (%s: %s)", noun,
                              tether_quote_string(key, quoted), valid_label, list);
}

int inventory_check_keys(struct inventory_parser *p, json_t *object, const char *path,
                         const char *const *valid, size_t n_valid) {
        const char *key;
        json_t *value;

        json_object_foreach(object, key, value) {
                if (!inventory_in_list(key, valid, n_valid))
                        return inventory_fail_unknown(p, path, "key", key, "valid keys", valid, n_valid);
        }
        return 0;
}

int inventory_expect_string(struct inventory_parser *p, const json_t *value, const char *path,
                            const char *expected, const char **ret_string) {
        char found[TETHER_QUOTE_SIZE];

        if (!json_is_string(value))
                return inventory_fail(p, -EINVAL, path, "expected %s, got %s", expected,
                                      inventory_describe(value, found));
        *ret_string = json_string_value(value);
        return 0;
}

/* ---- parsing ----------------------------------------------------------- */

static int fail_json(struct inventory_parser *p, const json_error_t *json_error) {
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
static int check_nul(struct inventory_parser *p, const char *text, size_t length) {
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

/* The text as a JSON object, or the error that says why it is none. */
static int load_json(struct inventory_parser *p, const char *text, size_t length, json_t **ret_root) {
        json_auto_t *root = NULL;
        json_error_t json_error;
        char found[TETHER_QUOTE_SIZE];
        int r;

        if (!text && length > 0)
                return inventory_fail(p, -EINVAL, NULL, "no text to parse");
        if (length > TETHER_INVENTORY_MAX_BYTES)
                return inventory_fail(p, -EFBIG, NULL,
                                      "%zu bytes; an inventory has at most %u bytes (16 MiB)", length,
                                      TETHER_INVENTORY_MAX_BYTES);
        if (length == 0)
                return inventory_fail(p, -EBADMSG, NULL,
                                      "the inventory is empty; it is a JSON object such as %s",
                                      INVENTORY_TETHER_EXAMPLE);
        r = check_nul(p, text, length);
        if (r < 0)
                return r;

        root = json_loadb(text, length, JSON_REJECT_DUPLICATES, &json_error);
        if (!root)
                return fail_json(p, &json_error);
        if (!json_is_object(root))
                return inventory_fail(p, -EINVAL, NULL,
                                      "expected a JSON object at the top level, such as %s; got %s",
                                      INVENTORY_TETHER_EXAMPLE, inventory_describe(root, found));
        *ret_root = TAKE_PTR(root);
        return 0;
}

static int inventory_new(struct inventory_parser *p, struct tether_inventory **ret_inventory) {
        struct tether_inventory *inventory = calloc(1, sizeof(*inventory));

        if (!inventory)
                return inventory_fail_oom(p);
        inventory->origin = strdup(p->origin);
        if (!inventory->origin) {
                free(inventory);
                return inventory_fail_oom(p);
        }
        *ret_inventory = inventory;
        return 0;
}

/* The output of `ansible-inventory --list`. An Ansible group may be called
 * "hosts" or "defaults", but its value is an object, never an array: a
 * "hosts" array is tether's. */
static bool looks_like_ansible(json_t *root) {
        return !json_is_array(json_object_get(root, "hosts")) &&
               (json_is_object(json_object_get(root, "_meta")) ||
                json_is_object(json_object_get(root, "all")));
}

int tether_inventory_parse(const char *text, size_t length, const char *origin,
                           struct tether_inventory **ret_inventory, struct tether_error *error) {
        _cleanup_(tether_inventory_freep) struct tether_inventory *inventory = NULL;
        struct inventory_parser p = {.origin = origin ? origin : "(inventory)", .error = error};
        json_auto_t *root = NULL;
        int r;

        r = load_json(&p, text, length, &root);
        if (r < 0)
                return r;
        r = inventory_new(&p, &inventory);
        if (r < 0)
                return r;

        if (looks_like_ansible(root))
                r = inventory_parse_ansible(&p, root, inventory);
        else if (json_is_array(json_object_get(root, "hosts")) || inventory_looks_like_tether(root))
                r = inventory_parse_tether(&p, root, inventory);
        else
                r = inventory_fail(&p, -EINVAL, NULL,
                                   "not an inventory: expected tether's format, %s, or the output of "
                                   "`ansible-inventory --list`, %s",
                                   INVENTORY_TETHER_EXAMPLE, ANSIBLE_EXAMPLE);
        if (r < 0)
                return r;

        *ret_inventory = TAKE_PTR(inventory);
        return 0;
}

/* ---- loading ------------------------------------------------------------- */

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

/* Reads what fd holds, up to the limit: fileio's reader, with the
 * inventory's own messages. */
static int read_inventory(int fd, const char *path, char **ret_text, size_t *ret_size,
                          struct tether_error *error) {
        int r;

        r = tether_read_fd(fd, path, TETHER_INVENTORY_MAX_BYTES, ret_text, ret_size, NULL);
        if (r == -ENOMEM)
                return tether_error_set(error, r, "%s: out of memory", path);
        if (r == -EFBIG)
                return tether_error_set(error, r,
                                        "%s: more than %u bytes; an inventory has at most %u bytes (16 MiB)",
                                        path, TETHER_INVENTORY_MAX_BYTES, TETHER_INVENTORY_MAX_BYTES);
        if (r < 0)
                return fail_io(error, path, "read the inventory", r);
        return 0;
}

/* Whether text is JSON at all: an object is the only JSON an inventory can
 * be, so anything else (an INI file's "[web]" or "host1", YAML's "all:")
 * is another format. */
static bool looks_like_json(const char *text, size_t size) {
        size_t i = 0;

        if (size >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
                i = 3; /* a UTF-8 byte order mark */
        while (i < size && strchr(" \t\r\n", text[i]) && text[i] != '\0')
                i++;
        return i == size || text[i] == '{';
}

int tether_inventory_load(const char *path, struct tether_inventory **ret_inventory,
                          struct tether_error *error) {
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *text = NULL;
        size_t size = 0;
        struct stat st;
        int r;

        if (!path)
                return tether_error_set(error, -EINVAL, "no inventory file given");

        /* Any file that can be read, a pipe too; a regular file's size is
         * known before it is read, so a large one is refused unread. */
        if (strcmp(path, "-") == 0) {
                fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
                path = TETHER_INVENTORY_STDIN;
        } else
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

        r = read_inventory(fd, path, &text, &size, error);
        if (r < 0)
                return r;
        if (!looks_like_json(text, size))
                return tether_error_set(error, -EMEDIUMTYPE,
                                        "%s is not JSON: tether reads its own JSON format and the output of "
                                        "`ansible-inventory --list`",
                                        path);
        return tether_inventory_parse(text, size, path, ret_inventory, error);
}

/* ---- using ----------------------------------------------------------------- */

struct tether_inventory *tether_inventory_free(struct tether_inventory *inventory) {
        if (!inventory)
                return NULL;
        for (size_t i = 0; i < inventory->n_hosts; i++)
                inventory_host_done(&inventory->hosts[i]);
        free(inventory->hosts);
        free(inventory->origin);
        free(inventory);
        return NULL;
}

const struct tether_host *tether_inventory_find(const struct tether_inventory *inventory, const char *name) {
        if (!inventory || !name)
                return NULL;
        for (size_t i = 0; i < inventory->n_hosts; i++)
                if (strcmp(inventory->hosts[i].name, name) == 0)
                        return &inventory->hosts[i];
        return NULL;
}

json_t *tether_inventory_to_json(const struct tether_inventory *inventory) {
        json_auto_t *root = json_object(), *hosts = json_array();

        if (!inventory || !root || !hosts)
                return NULL;
        for (size_t i = 0; i < inventory->n_hosts; i++)
                if (json_array_append_new(hosts, inventory_host_to_json(&inventory->hosts[i])) < 0)
                        return NULL;
        if (json_object_set_new(root, "hosts", TAKE_PTR(hosts)) < 0)
                return NULL;
        return TAKE_PTR(root);
}
