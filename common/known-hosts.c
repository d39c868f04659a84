/* SPDX-License-Identifier: MIT */
/*
 * known_hosts marker lines (see known-hosts.h). Patterns follow OpenSSH's
 * match.c: '*' is any run of characters, '?' any one, a leading '!' negates,
 * and the host name is compared in lower case.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "known-hosts.h"

/* Whether name[0..name_length) matches pattern[0..pattern_length). */
static bool glob_match(const char *pattern, size_t pattern_length, const char *name, size_t name_length) {
        size_t p = 0, n = 0, star_p = (size_t)-1, star_n = 0;

        while (n < name_length) {
                if (p < pattern_length && pattern[p] == '*') {
                        star_p = p++;
                        star_n = n;
                } else if (p < pattern_length &&
                           (pattern[p] == '?' ||
                            tolower((unsigned char)pattern[p]) == tolower((unsigned char)name[n]))) {
                        p++;
                        n++;
                } else if (star_p != (size_t)-1) {
                        p = star_p + 1;
                        n = ++star_n;
                } else
                        return false;
        }
        while (p < pattern_length && pattern[p] == '*')
                p++;
        return p == pattern_length;
}

bool tether_host_patterns_match(const char *patterns, const char *name) {
        size_t name_length = strlen(name);
        bool matched = false;

        for (const char *item = patterns; *item;) {
                size_t length = strcspn(item, ",");
                bool negated = item[0] == '!';
                const char *pattern = item + negated;
                size_t pattern_length = length - negated;

                if (pattern_length > 0 && glob_match(pattern, pattern_length, name, name_length)) {
                        if (negated)
                                return false;
                        matched = true;
                }
                item += length;
                if (*item == ',')
                        item++;
        }
        return matched;
}

/* Splits the next whitespace-separated field of a line off *cursor. */
static size_t next_field(const char **cursor, const char *end, const char **ret_field) {
        const char *s = *cursor;
        size_t length;

        while (s < end && (*s == ' ' || *s == '\t'))
                s++;
        length = strcspn(s, " \t\r\n");
        if (s + length > end)
                length = (size_t)(end - s);
        *ret_field = s;
        *cursor = s + length;
        return length;
}

static bool field_is(const char *field, size_t length, const char *word) {
        return length == strlen(word) && strncmp(field, word, length) == 0;
}

/* One marker line: "@marker patterns keytype base64 [comment]". */
static void check_marker_line(const char *line, const char *end, unsigned number, const char *name,
                              const char *key_base64, struct tether_known_hosts_markers *markers) {
        const char *cursor = line, *marker, *patterns, *type, *key;
        size_t marker_length = next_field(&cursor, end, &marker);
        size_t patterns_length = next_field(&cursor, end, &patterns);
        size_t type_length = next_field(&cursor, end, &type);
        size_t key_length = next_field(&cursor, end, &key);
        char pattern_list[1024];

        if (patterns_length == 0 || type_length == 0 || key_length == 0)
                return;
        if (field_is(marker, marker_length, "@revoked")) {
                if (markers->revoked_line == 0 && key_base64 && field_is(key, key_length, key_base64))
                        markers->revoked_line = number;
                return;
        }
        if (!field_is(marker, marker_length, "@cert-authority") || markers->cert_authority_line != 0 ||
            patterns[0] == '|' || patterns_length >= sizeof(pattern_list))
                return;
        memcpy(pattern_list, patterns, patterns_length);
        pattern_list[patterns_length] = '\0';
        if (tether_host_patterns_match(pattern_list, name))
                markers->cert_authority_line = number;
}

void tether_known_hosts_find_markers(const char *text, const char *host, unsigned port,
                                     const char *key_base64, struct tether_known_hosts_markers *ret) {
        struct tether_known_hosts_markers markers = {0};
        char name[300];
        unsigned number = 0;

        if (port == 22 || port == 0)
                snprintf(name, sizeof(name), "%s", host);
        else
                snprintf(name, sizeof(name), "[%s]:%u", host, port);

        for (const char *line = text; line && *line;) {
                const char *end, *start;
                /* Kept marker lines are few among the blank lines that keep
                 * their numbers: those are skipped in one run. */
                size_t blank = strspn(line, "\n");

                number += (unsigned)blank;
                line += blank;
                if (!*line)
                        break;
                end = strchr(line, '\n');
                start = line;
                if (!end)
                        end = line + strlen(line);
                number++;
                while (start < end && (*start == ' ' || *start == '\t'))
                        start++;
                if (start < end && *start == '@')
                        check_marker_line(start, end, number, name, key_base64, &markers);
                line = *end ? end + 1 : end;
        }
        *ret = markers;
}

char *tether_known_hosts_marker_lines(const char *text) {
        size_t size = text ? strlen(text) : 0, used = 0;
        char *kept = malloc(size + 1);

        if (!kept)
                return NULL;
        for (const char *line = text; line && *line;) {
                const char *end = strchr(line, '\n');
                const char *start = line + strspn(line, " \t");
                size_t length;

                if (!end)
                        end = line + strlen(line);
                length = (size_t)(end - line);
                if (*start == '@' && start < end) {
                        memcpy(kept + used, line, length);
                        used += length;
                }
                if (*end == '\n')
                        kept[used++] = '\n';
                line = *end ? end + 1 : end;
        }
        kept[used] = '\0';
        return kept;
}
