/* SPDX-License-Identifier: MIT */
/*
 * ferm.conf, read as far as the judge needs it (see ferm.h): a walk over
 * its words, '(' ')' lists, braces and semicolons, with # comments left
 * out. "table X" and "table (X Y)" name managed tables; "chain X" and
 * "chain (X Y)" name the chains a following @preserve is about.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ferm.h"
#include "macro.h"

/* The next word, or one of ( ) { } ;, at *cursor (borrowed, *ret_length bytes); NULL at the end. */
static const char *next_token(const char **cursor, size_t *ret_length) {
        const char *p = *cursor;

        for (;;) {
                p += strspn(p, " \t\r\n");
                if (*p != '#')
                        break;
                p += strcspn(p, "\n");
        }
        if (!*p) {
                *cursor = p;
                return NULL;
        }
        *ret_length = strchr("(){};", *p) ? 1 : strcspn(p, " \t\r\n(){};#");
        *cursor = p + *ret_length;
        return p;
}

static bool token_is(const char *token, size_t length, const char *word) {
        return length == strlen(word) && strncmp(token, word, length) == 0;
}

/* After "table" or "chain": one name, or a list in parentheses, into *names. */
static int read_names(const char **cursor, char ***names) {
        const char *token;
        size_t length = 0;
        bool list = false;
        int r;

        while ((token = next_token(cursor, &length))) {
                if (token_is(token, length, "("))
                        list = true;
                else if (token_is(token, length, ")") || strchr("{};", *token))
                        return 0;
                else {
                        r = strv_push(names, strndup(token, length));
                        if (r < 0 || !list)
                                return r;
                }
        }
        return 0;
}

int tether_ferm_read(const char *text, char ***ret_preserved, char ***ret_tables) {
        char **preserved = calloc(1, sizeof(char *)), **tables = calloc(1, sizeof(char *)), **chains = NULL;
        const char *cursor = text ? text : "", *token;
        size_t length = 0;
        int r = preserved && tables ? strv_push(&tables, strdup("filter")) : -ENOMEM;

        while (r >= 0 && (token = next_token(&cursor, &length))) {
                if (token_is(token, length, "table"))
                        r = read_names(&cursor, &tables);
                else if (token_is(token, length, "chain")) {
                        strv_free(chains);
                        chains = NULL;
                        r = read_names(&cursor, &chains);
                } else if (token_is(token, length, "@preserve"))
                        for (size_t i = 0; r >= 0 && chains && chains[i]; i++)
                                r = strv_push(&preserved, strdup(chains[i]));
        }
        strv_free(chains);
        if (r < 0) {
                strv_free(preserved);
                strv_free(tables);
                return r;
        }
        *ret_preserved = preserved;
        *ret_tables = tables;
        return 0;
}
