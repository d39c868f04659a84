/* SPDX-License-Identifier: MIT */
/*
 * Rendering and recognizing tether's drop-ins (see dropin.h for the format).
 * A file is recognized as tether's by its first line, and as STALE when some
 * other rendering of tether's reproduces it to the byte.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dropin.h"
#include "strbuf.h"
#include "validate.h"

#define HEADER_PREFIX "# Managed by tether, policy \""

static const char *const policy_names[] = {
        [TETHER_POLICY_BIND] = "bind",
        [TETHER_POLICY_FOLLOW] = "follow",
};

static const char *const state_names[] = {
        [TETHER_DROPIN_ABSENT] = "absent",
        [TETHER_DROPIN_CURRENT] = "current",
        [TETHER_DROPIN_STALE] = "stale",
        [TETHER_DROPIN_DRIFTED] = "drifted",
};

const char *tether_policy_to_string(enum tether_policy policy) {
        return policy_names[policy];
}

int tether_policy_from_string(const char *s, enum tether_policy *ret) {
        int i = string_table_lookup(policy_names, ELEMENTSOF(policy_names), s);

        if (i < 0)
                return -EINVAL;
        *ret = (enum tether_policy)i;
        return 0;
}

const char *tether_dropin_state_to_string(enum tether_dropin_state state) {
        return state_names[state];
}

static void append_directive(struct strbuf *buf, const char *key, char *const *units) {
        strbuf_append(buf, key);
        strbuf_append(buf, "=");
        for (size_t i = 0; units[i]; i++) {
                if (i > 0)
                        strbuf_append(buf, " ");
                strbuf_append(buf, units[i]);
        }
        strbuf_append(buf, "\n");
}

int tether_dropin_render(enum tether_policy policy, char *const *units, char **ret,
                         struct tether_error *error) {
        struct strbuf buf = STRBUF_INIT;

        if (!units || !units[0])
                return tether_error_set(error, -EINVAL, "no firewall unit to tie docker.service to");
        for (size_t i = 0; units[i]; i++)
                if (!tether_valid_unit_name(units[i]))
                        return tether_error_set(error, -EINVAL, "\"%s\" is not a valid systemd unit name",
                                                units[i]);

        switch (policy) {
        case TETHER_POLICY_BIND:
                strbuf_append(&buf, HEADER_PREFIX
                              "bind\": docker.service is restarted, and stopped,\n"
                              "# with the firewall service below, so Docker re-creates the rules the\n"
                              "# firewall flushes. 'tether revert' removes this file.\n"
                              "[Unit]\n");
                append_directive(&buf, "After", units);
                append_directive(&buf, "Requires", units);
                append_directive(&buf, "PartOf", units);
                break;
        case TETHER_POLICY_FOLLOW:
                strbuf_append(&buf, HEADER_PREFIX
                              "follow\": docker.service starts after the firewall\n"
                              "# service below, which restarts docker after each of its starts and\n"
                              "# reloads (" TETHER_HOOK_DROPIN_NAME " in its drop-in directory).\n"
                              "# 'tether revert' removes both files.\n"
                              "[Unit]\n");
                append_directive(&buf, "After", units);
                break;
        }

        if (buf.failed) {
                strbuf_free(&buf);
                return tether_error_set(error, -ENOMEM, "out of memory");
        }
        *ret = strbuf_steal(&buf);
        return 0;
}

int tether_dropin_render_hook(bool with_reload, char **ret) {
        struct strbuf buf = STRBUF_INIT;

        strbuf_append(&buf, HEADER_PREFIX
                      "follow\": after this firewall service loads its\n"
                      "# rules, restart docker.service (only if it runs) so Docker re-creates the\n"
                      "# rules the firewall flushed. --no-block: the restart waits for this unit.\n"
                      "[Service]\n"
                      "ExecStartPost=-/bin/systemctl --no-block try-restart " TETHER_DOCKER_UNIT "\n");
        if (with_reload)
                strbuf_append(&buf,
                              "ExecReload=-/bin/systemctl --no-block try-restart " TETHER_DOCKER_UNIT "\n");
        if (buf.failed) {
                strbuf_free(&buf);
                return -ENOMEM;
        }
        *ret = strbuf_steal(&buf);
        return 0;
}

/* Renders what tether would have written for the policy and units named in
 * contents' own header and After= line; NULL when they cannot be read. */
static char *rerender_from_text(const char *contents) {
        enum tether_policy policy;
        char policy_name[16] = "";
        const char *after, *end;
        char *line, *save = NULL, *rendered = NULL;
        char *units[64];
        size_t n = 0;

        if (sscanf(contents, HEADER_PREFIX "%15[a-z]\"", policy_name) != 1 ||
            tether_policy_from_string(policy_name, &policy) < 0)
                return NULL;

        after = strstr(contents, "\nAfter=");
        if (!after)
                return NULL;
        after += strlen("\nAfter=");
        end = strchr(after, '\n');
        line = strndup(after, end ? (size_t)(end - after) : strlen(after));
        if (!line)
                return NULL;
        for (char *unit = strtok_r(line, " ", &save); unit && n < ELEMENTSOF(units) - 1;
             unit = strtok_r(NULL, " ", &save))
                units[n++] = unit;
        units[n] = NULL;
        if (n > 0)
                (void)tether_dropin_render(policy, units, &rendered, NULL);
        free(line);
        return rendered;
}

enum tether_dropin_state tether_dropin_classify(const char *contents, const char *expected) {
        enum tether_dropin_state state;
        char *rerendered;

        if (!contents)
                return TETHER_DROPIN_ABSENT;
        if (expected && strcmp(contents, expected) == 0)
                return TETHER_DROPIN_CURRENT;

        rerendered = rerender_from_text(contents);
        state = rerendered && strcmp(rerendered, contents) == 0 ? TETHER_DROPIN_STALE
                                                                : TETHER_DROPIN_DRIFTED;
        free(rerendered);
        return state;
}

/* Whether a "Key=a b c" line lists unit (systemd splits such lists on white space). */
static bool line_lists(const char *value, size_t length, const char *unit) {
        size_t unit_length = strlen(unit);
        const char *p = value, *end = value + length;

        while (p < end) {
                const char *word;

                while (p < end && (*p == ' ' || *p == '\t'))
                        p++;
                word = p;
                while (p < end && *p != ' ' && *p != '\t')
                        p++;
                if ((size_t)(p - word) == unit_length && memcmp(word, unit, unit_length) == 0)
                        return true;
        }
        return false;
}

/* Whether the key of a "Key = value" line (white space around '=' allowed,
 * as systemd strips it) is key; *ret_value points at its value. */
static bool line_has_key(const char *line, size_t length, const char *key, const char **ret_value,
                         size_t *ret_value_length) {
        const char *equals = memchr(line, '=', length);
        size_t key_length;

        if (!equals)
                return false;
        key_length = (size_t)(equals - line);
        while (key_length > 0 && (line[key_length - 1] == ' ' || line[key_length - 1] == '\t'))
                key_length--;
        if (key_length != strlen(key) || memcmp(line, key, key_length) != 0)
                return false;
        *ret_value = equals + 1;
        *ret_value_length = length - (size_t)(equals + 1 - line);
        return true;
}

bool tether_dropin_text_ties(const char *contents, const char *unit) {
        static const char *const binding_keys[] = {"Requires", "BindsTo", "PartOf"};
        bool in_unit_section = false, after = false, binding = false;
        const char *p = contents, *value;
        size_t value_length;

        while (p && *p) {
                const char *end = strchr(p, '\n');
                size_t length = end ? (size_t)(end - p) : strlen(p);

                while (length > 0 && (*p == ' ' || *p == '\t')) {
                        p++;
                        length--;
                }
                if (length > 0 && *p == '[')
                        in_unit_section = length >= 6 && memcmp(p, "[Unit]", 6) == 0;
                else if (in_unit_section) {
                        if (line_has_key(p, length, "After", &value, &value_length) &&
                            line_lists(value, value_length, unit))
                                after = true;
                        for (size_t i = 0; i < ELEMENTSOF(binding_keys); i++)
                                if (line_has_key(p, length, binding_keys[i], &value, &value_length) &&
                                    line_lists(value, value_length, unit))
                                        binding = true;
                }
                p = end ? end + 1 : NULL;
        }
        return after && binding;
}
