/* SPDX-License-Identifier: MIT */
/*
 * ssh_config's key keywords for one host (see ssh-config.h). A line is
 * "Keyword args" or "Keyword=args", the keyword in any case; '#' starts a
 * comment line; an argument may be in double quotes.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "known-hosts.h"
#include "macro.h"
#include "ssh-config.h"

struct reading {
        const char *host;
        tether_ssh_config_include include;
        void *userdata;
        struct tether_ssh_auth_config *config;
        struct tether_error *error;
};

/* The next argument of a line at *cursor (quotes removed), into word; a
 * keyword also ends at '=' ("IdentitiesOnly=yes"). */
static bool next_word_of(const char **cursor, char *word, size_t size, bool keyword) {
        const char *p = *cursor + strspn(*cursor, " \t=");
        size_t n = 0;
        char end = ' ';

        if (*p == '\0' || *p == '#')
                return false;
        if (*p == '"') {
                end = '"';
                p++;
        }
        while (*p && (end == '"' ? *p != '"' : *p != ' ' && *p != '\t' && !(keyword && *p == '=')) &&
               n + 1 < size)
                word[n++] = *p++;
        if (end == '"' && *p == '"')
                p++;
        word[n] = '\0';
        *cursor = p;
        return true;
}

static bool next_word(const char **cursor, char *word, size_t size) {
        return next_word_of(cursor, word, size, false);
}

/* Whether a "Host" line's patterns take the host: any pattern matches
 * and no negated one does (the same rule as known_hosts'). */
static bool host_line_applies(const char *args, const char *host) {
        char patterns[4096] = "", word[1024];
        size_t used = 0;

        while (next_word(&args, word, sizeof(word))) {
                size_t length = strlen(word);

                if (used + length + 2 > sizeof(patterns))
                        break;
                if (used > 0)
                        patterns[used++] = ',';
                memcpy(patterns + used, word, length + 1);
                used += length;
        }
        return tether_host_patterns_match(patterns, host);
}

/* "Match all" and "Match host PATTERNS" (also with "canonical" or "final",
 * which change nothing here); anything else is not read. */
static bool match_line_applies(const char *args, const char *host) {
        char word[1024];
        bool any = false;

        while (next_word(&args, word, sizeof(word))) {
                if (strcasecmp(word, "all") == 0 || strcasecmp(word, "canonical") == 0 ||
                    strcasecmp(word, "final") == 0) {
                        any = true;
                        continue;
                }
                if (strcasecmp(word, "host") != 0 || !next_word(&args, word, sizeof(word)))
                        return false;
                if (!tether_host_patterns_match(word, host))
                        return false;
                any = true;
        }
        return any;
}

static int read_text(struct reading *reading, const char *text, unsigned depth);

static int read_includes(struct reading *reading, const char *args, unsigned depth) {
        char word[4096];
        int r = 0;

        if (depth >= TETHER_SSH_CONFIG_INCLUDE_DEPTH)
                return tether_error_set(reading->error, -ELOOP,
                                        "ssh_config: more than %u nested Include lines (a loop?)",
                                        TETHER_SSH_CONFIG_INCLUDE_DEPTH);
        while (r >= 0 && next_word(&args, word, sizeof(word))) {
                _cleanup_strv_free_ char **texts = NULL;

                r = reading->include ? reading->include(word, &texts, reading->userdata) : 0;
                if (r < 0)
                        return tether_error_set(reading->error, r, "ssh_config: cannot read Include %s",
                                                word);
                for (size_t i = 0; r >= 0 && texts && texts[i]; i++)
                        r = read_text(reading, texts[i], depth + 1);
        }
        return r;
}

/* One keyword of an applying block. */
static int take_keyword(struct reading *reading, const char *keyword, const char *args) {
        struct tether_ssh_auth_config *config = reading->config;
        char word[4096];
        char ***list = NULL;

        if (strcasecmp(keyword, "IdentitiesOnly") == 0) {
                if (config->identities_only < 0 && next_word(&args, word, sizeof(word)))
                        config->identities_only = strcasecmp(word, "yes") == 0;
                return 0;
        }
        if (strcasecmp(keyword, "IdentityFile") == 0)
                list = &config->identity_files;
        else if (strcasecmp(keyword, "CertificateFile") == 0)
                list = &config->certificate_files;
        if (!list || !next_word(&args, word, sizeof(word)) || strv_contains(*list, word))
                return 0;
        if (strv_push(list, strdup(word)) < 0)
                return tether_error_set(reading->error, -ENOMEM, "out of memory");
        return 0;
}

static int read_text(struct reading *reading, const char *text, unsigned depth) {
        bool applies = true; /* before the first Host or Match line */
        int r = 0;

        for (const char *line = text; r >= 0 && line && *line;) {
                const char *end = strchr(line, '\n');
                char copy[4096], keyword[128];
                const char *cursor = copy;
                size_t length = end ? (size_t)(end - line) : strlen(line);

                if (length >= sizeof(copy))
                        length = sizeof(copy) - 1;
                memcpy(copy, line, length);
                copy[length] = '\0';
                copy[strcspn(copy, "\r")] = '\0';
                line = end ? end + 1 : NULL;

                if (!next_word_of(&cursor, keyword, sizeof(keyword), true))
                        continue;
                if (strcasecmp(keyword, "Host") == 0)
                        applies = host_line_applies(cursor, reading->host);
                else if (strcasecmp(keyword, "Match") == 0)
                        applies = match_line_applies(cursor, reading->host);
                else if (strcasecmp(keyword, "Include") == 0 && applies)
                        r = read_includes(reading, cursor, depth);
                else if (applies)
                        r = take_keyword(reading, keyword, cursor);
        }
        return r;
}

int tether_ssh_config_read(const char *text, const char *host, tether_ssh_config_include include,
                           void *userdata, struct tether_ssh_auth_config *config,
                           struct tether_error *error) {
        struct reading reading = {host, include, userdata, config, error};

        return read_text(&reading, text ? text : "", 0);
}

void tether_ssh_auth_config_done(struct tether_ssh_auth_config *config) {
        strv_free(config->identity_files);
        strv_free(config->certificate_files);
        *config = (struct tether_ssh_auth_config){.identities_only = -1};
}
