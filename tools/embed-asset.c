/* SPDX-License-Identifier: MIT */
/*
 * The HTML report's CSS and script as C, made at build time on the build
 * machine (the Makefile runs it; it is never installed). Two jobs, each
 * writing to stdout:
 *
 *   embed-asset source HEADER SYMBOL=FILE...
 *
 * a C source that defines, for each FILE, the struct report_asset SYMBOL
 * that HEADER declares: the file's exact bytes, their size, and the
 * Content-Security-Policy source that allows them inline, computed here so
 * no hash is ever written by hand:
 *
 *   static const unsigned char report_asset_css_bytes[] = {
 *           0x3a, 0x72, 0x6f, 0x6f, 0x74, ...
 *           0x00,
 *   };
 *   const struct report_asset report_asset_css = {
 *           .bytes = (const char *)report_asset_css_bytes,
 *           .size = 5550,
 *           .csp_source = "'sha256-FzLfAE3RoQdS+UfpgLjUuEFThn7r92B2yNd7gq5Rbbk='",
 *   };
 *
 *   embed-asset names LIST SCRIPT
 *
 * a header of the ids and data-* attributes LIST names, a "KIND NAME" a
 * line (KIND is id, id-prefix or data; # starts a comment), as macros for
 * the renderer:
 *
 *   #define REPORT_ID_HOST_TABLE "host-table"
 *   #define REPORT_ID_PREFIX_FILTER "filter-"
 *   #define REPORT_DATA_OUTCOME "data-outcome"
 *
 * It fails when SCRIPT does not spell a name the way it looks it up
 * ('host-table', 'filter-', dataset.outcome), so the page and its script
 * cannot drift apart unnoticed. Errors go to stderr, with exit status 1.
 */
#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "sha256.h"

/* The assets are a few kilobytes; anything near this is a mistake. */
#define ASSET_MAX_SIZE (1u << 20)
/* 'sha256-' + 44 characters of base64 + ' + NUL */
#define CSP_SOURCE_SIZE (8 + 44 + 2)
#define NAME_MAX_LENGTH 63

static void base64(const uint8_t *data, size_t n, char *out) {
        /* The 64 digits, then the padding, so that every character comes from one table. */
        static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
        enum { PADDING = 64 };

        for (size_t i = 0; i < n; i += 3) {
                uint32_t triple = (uint32_t)data[i] << 16;

                if (i + 1 < n)
                        triple |= (uint32_t)data[i + 1] << 8;
                if (i + 2 < n)
                        triple |= data[i + 2];
                *out++ = alphabet[(triple >> 18) & 63];
                *out++ = alphabet[(triple >> 12) & 63];
                *out++ = alphabet[i + 1 < n ? (triple >> 6) & 63 : PADDING];
                *out++ = alphabet[i + 2 < n ? triple & 63 : PADDING];
        }
        *out = '\0';
}

/* 'sha256-BASE64', the source a CSP allows an inline element by. */
static void csp_source(const char *data, size_t size, char out[CSP_SOURCE_SIZE]) {
        struct tether_sha256 ctx;
        uint8_t digest[TETHER_SHA256_SIZE];

        tether_sha256_init(&ctx);
        tether_sha256_update(&ctx, data, size);
        tether_sha256_final(&ctx, digest);
        memcpy(out, "'sha256-", 8);
        base64(digest, sizeof(digest), out + 8);
        out[CSP_SOURCE_SIZE - 2] = '\'';
        out[CSP_SOURCE_SIZE - 1] = '\0';
}

static bool is_identifier(const char *s, size_t n) {
        if (n == 0 || isdigit((unsigned char)s[0]))
                return false;
        for (size_t i = 0; i < n; i++)
                if (!isalnum((unsigned char)s[i]) && s[i] != '_')
                        return false;
        return true;
}

/* SYMBOL=FILE as a definition of SYMBOL. */
static int emit_asset(const char *argument) {
        const char *equals = strchr(argument, '=');
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_free_ char *data = NULL;
        char csp[CSP_SOURCE_SIZE];
        size_t size = 0;
        int symbol_length, r;

        if (!equals || !is_identifier(argument, (size_t)(equals - argument))) {
                fprintf(stderr, "embed-asset: '%s' is not SYMBOL=FILE\n", argument);
                return -EINVAL;
        }
        symbol_length = (int)(equals - argument);
        r = tether_read_file(equals + 1, ASSET_MAX_SIZE, &data, &size, &error);
        if (r < 0) {
                fprintf(stderr, "embed-asset: %s\n", error.text);
                return r;
        }
        /* The renderer and the tests treat an asset as a string. */
        if (memchr(data, '\0', size)) {
                fprintf(stderr, "embed-asset: %s has a NUL byte\n", equals + 1);
                return -EBADMSG;
        }
        csp_source(data, size, csp);

        printf("\n/* %s */\nstatic const unsigned char %.*s_bytes[] = {", equals + 1, symbol_length,
               argument);
        for (size_t i = 0; i <= size; i++)
                printf("%s0x%02x,", i % 12 == 0 ? "\n        " : " ", (unsigned char)data[i]);
        printf("\n};\n\nconst struct report_asset %.*s = {\n", symbol_length, argument);
        printf("        .bytes = (const char *)%.*s_bytes,\n", symbol_length, argument);
        printf("        .size = %zu,\n", size);
        printf("        .csp_source = \"%s\",\n};\n", csp);
        return 0;
}

static int emit_source(int argc, char **argv) {
        int r;

        if (argc < 2) {
                fprintf(stderr, "usage: embed-asset source HEADER SYMBOL=FILE...\n");
                return -EINVAL;
        }
        printf("/* Made by tools/embed-asset at build time: edit the files named below, not this. */\n"
               "#include \"%s\"\n",
               argv[0]);
        for (int i = 1; i < argc; i++) {
                r = emit_asset(argv[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* How the script spells a name when it looks it up: an id as a quoted
 * string, a data-* attribute as its dataset property (data-foo-bar is
 * dataset.fooBar). */
static void script_spelling(const char *kind, const char *name, char *out, size_t size) {
        size_t n = 0;

        if (strcmp(kind, "data") != 0) {
                snprintf(out, size, "'%s'", name);
                return;
        }
        n = (size_t)snprintf(out, size, "dataset.");
        for (const char *p = name; *p && n + 1 < size; p++)
                if (*p == '-' && p[1])
                        out[n++] = (char)toupper((unsigned char)*++p);
                else
                        out[n++] = *p;
        out[n] = '\0';
}

/* Whether script has spelling as a whole word: dataset.os is not found in
 * dataset.osName. */
static bool has_word(const char *script, const char *spelling) {
        size_t n = strlen(spelling);

        for (const char *p = strstr(script, spelling); p; p = strstr(p + 1, spelling))
                if (!isalnum((unsigned char)p[n]) && p[n] != '_' && p[n] != '$')
                        return true;
        return false;
}

/* One "KIND NAME" line as a macro, after checking the script uses it. */
static int emit_name(const char *kind, const char *name, const char *script, const char *where) {
        static const struct {
                const char *kind, *macro_prefix, *value_prefix;
        } kinds[] = {
                {"id", "REPORT_ID_", ""},
                {"id-prefix", "REPORT_ID_PREFIX_", ""},
                {"data", "REPORT_DATA_", "data-"},
        };
        char spelling[2 * NAME_MAX_LENGTH];
        size_t k = 0;

        while (k < ELEMENTSOF(kinds) && strcmp(kind, kinds[k].kind) != 0)
                k++;
        if (k == ELEMENTSOF(kinds)) {
                fprintf(stderr, "%s: unknown kind '%s' (id, id-prefix or data)\n", where, kind);
                return -EINVAL;
        }
        if (strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(name) ||
            !isalpha((unsigned char)name[0])) {
                fprintf(stderr, "%s: '%s' is not a name of lower-case letters, digits and -\n", where, name);
                return -EINVAL;
        }
        script_spelling(kind, name, spelling, sizeof(spelling));
        if (!has_word(script, spelling)) {
                fprintf(stderr, "%s: the script never looks up %s %s: it has no %s\n", where, kind, name,
                        spelling);
                return -ENOENT;
        }
        printf("#define %s", kinds[k].macro_prefix);
        for (const char *p = name; *p; p++)
                if (*p != '-' || p[1])
                        putchar(*p == '-' ? '_' : toupper((unsigned char)*p));
        printf(" \"%s%s\"\n", kinds[k].value_prefix, name);
        return 0;
}

static int emit_names(int argc, char **argv) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_free_ char *list = NULL, *script = NULL;
        size_t size = 0, line_number = 0;
        char *line, *next;
        int r;

        if (argc != 2) {
                fprintf(stderr, "usage: embed-asset names LIST SCRIPT\n");
                return -EINVAL;
        }
        for (int i = 0; i < 2; i++) {
                r = tether_read_file(argv[i], ASSET_MAX_SIZE, i == 0 ? &list : &script, &size, &error);
                if (r < 0) {
                        fprintf(stderr, "embed-asset: %s\n", error.text);
                        return r;
                }
        }
        printf("/* Made by tools/embed-asset at build time from %s: edit that, not this. */\n", argv[0]);
        printf("#pragma once\n\n");
        for (line = list; line; line = next) {
                char kind[16], name[NAME_MAX_LENGTH + 1], extra[2], where[256];
                int fields;

                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                line_number++;
                line[strcspn(line, "#")] = '\0';
                /* A word too long for its field spills into the next, and so fails too. */
                fields = sscanf(line, "%15s %63s %1s", kind, name, extra);
                if (fields <= 0)
                        continue; /* blank or a comment */
                snprintf(where, sizeof(where), "%s:%zu", argv[0], line_number);
                if (fields != 2) {
                        fprintf(stderr, "%s: not a line of KIND NAME\n", where);
                        return -EINVAL;
                }
                r = emit_name(kind, name, script, where);
                if (r < 0)
                        return r;
        }
        return 0;
}

int main(int argc, char **argv) {
        int r = -EINVAL;

        if (argc >= 2 && strcmp(argv[1], "source") == 0)
                r = emit_source(argc - 2, argv + 2);
        else if (argc >= 2 && strcmp(argv[1], "names") == 0)
                r = emit_names(argc - 2, argv + 2);
        else
                fprintf(stderr, "usage: embed-asset source HEADER SYMBOL=FILE... | names LIST SCRIPT\n");
        if (r >= 0 && (fflush(stdout) != 0 || ferror(stdout))) {
                fprintf(stderr, "embed-asset: cannot write: %s\n", strerror(errno));
                r = -EIO;
        }
        return r < 0 ? 1 : 0;
}
