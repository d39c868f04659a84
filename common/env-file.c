/* SPDX-License-Identifier: MIT */
/*
 * KEY=value files (see env-file.h).
 */
#include <errno.h>
#include <string.h>

#include "env-file.h"
#include "macro.h"

int tether_env_file_get(const char *text, const char *key, char **ret) {
        size_t key_length = strlen(key);

        for (const char *line = text; line && *line;) {
                const char *end = strchr(line, '\n');
                size_t length = end ? (size_t)(end - line) : strlen(line);

                if (length > key_length && strncmp(line, key, key_length) == 0 && line[key_length] == '=') {
                        const char *value = line + key_length + 1;
                        size_t value_length = length - key_length - 1;
                        char *copy;

                        if (value_length >= 2 && (value[0] == '"' || value[0] == '\'') &&
                            value[value_length - 1] == value[0]) {
                                value++;
                                value_length -= 2;
                        }
                        copy = strndup(value, value_length);
                        if (!copy)
                                return -ENOMEM;
                        *ret = copy;
                        return 1;
                }
                line = end ? end + 1 : NULL;
        }
        return 0;
}

bool tether_env_file_is_yes(const char *text, const char *key) {
        _cleanup_free_ char *value = NULL;

        return tether_env_file_get(text, key, &value) > 0 && strcmp(value, "yes") == 0;
}
