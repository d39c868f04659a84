/* SPDX-License-Identifier: MIT */
/*
 * Unified diff by the longest common subsequence of lines (see diff.h). The
 * LCS table is quadratic, so the texts are limited to a few thousand lines.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "strbuf.h"

#define DIFF_MAX_LINES 4000u

struct lines {
        const char **start;
        size_t *length;
        size_t n;
};

static int split_lines(const char *text, struct lines *ret) {
        size_t n = 0, capacity = 16;
        struct lines lines = {.start = malloc(capacity * sizeof(char *)),
                              .length = malloc(capacity * sizeof(size_t))};

        if (!lines.start || !lines.length)
                goto oom;
        for (const char *p = text; p && *p;) {
                const char *end = strchr(p, '\n');

                if (n == DIFF_MAX_LINES) {
                        free(lines.start);
                        free(lines.length);
                        return -E2BIG;
                }
                if (n == capacity) {
                        const char **start;
                        size_t *length;

                        capacity *= 2;
                        start = realloc(lines.start, capacity * sizeof(char *));
                        if (!start)
                                goto oom;
                        lines.start = start;
                        length = realloc(lines.length, capacity * sizeof(size_t));
                        if (!length)
                                goto oom;
                        lines.length = length;
                }
                lines.start[n] = p;
                lines.length[n] = end ? (size_t)(end - p) : strlen(p);
                n++;
                p = end ? end + 1 : NULL;
        }
        lines.n = n;
        *ret = lines;
        return 0;
oom:
        free(lines.start);
        free(lines.length);
        return -ENOMEM;
}

/* Whether line i is the last of a text that does not end in a newline. */
static bool unterminated(const struct lines *lines, size_t i) {
        return i + 1 == lines->n && lines->start[i][lines->length[i]] == '\0';
}

/* A last line without its newline differs from the same line with one, as
 * diff -u has it. */
static bool same_line(const struct lines *a, size_t i, const struct lines *b, size_t j) {
        return a->length[i] == b->length[j] && memcmp(a->start[i], b->start[j], a->length[i]) == 0 &&
               unterminated(a, i) == unterminated(b, j);
}

static void append_line(struct strbuf *out, char mark, const struct lines *lines, size_t i) {
        strbuf_append_n(out, &mark, 1);
        strbuf_append_n(out, lines->start[i], lines->length[i]);
        strbuf_append(out, unterminated(lines, i) ? "\n\\ No newline at end of file\n" : "\n");
}

int tether_diff_unified(const char *old_label, const char *old, const char *new_label, const char *new,
                        char **ret) {
        struct lines a = {}, b = {};
        struct strbuf out = STRBUF_INIT;
        unsigned *table = NULL;
        size_t i, j, width;
        int r;

        if ((!old && !new) || (old && new &&strcmp(old, new) == 0)) {
                *ret = strdup("");
                return *ret ? 0 : -ENOMEM;
        }
        r = split_lines(old, &a);
        if (r < 0)
                return r;
        r = split_lines(new, &b);
        if (r < 0)
                goto out;

        /* table[i][j]: length of the LCS of a[i..] and b[j..]. */
        width = b.n + 1;
        table = calloc((a.n + 1) * width, sizeof(unsigned));
        if (!table) {
                r = -ENOMEM;
                goto out;
        }
        for (i = a.n; i-- > 0;)
                for (j = b.n; j-- > 0;)
                        table[i * width + j] =
                                same_line(&a, i, &b, j)
                                        ? table[(i + 1) * width + j + 1] + 1
                                        : (table[(i + 1) * width + j] > table[i * width + j + 1]
                                                   ? table[(i + 1) * width + j]
                                                   : table[i * width + j + 1]);

        strbuf_appendf(&out, "--- %s\n+++ %s\n@@ -%zu,%zu +%zu,%zu @@\n", old ? old_label : "/dev/null",
                       new ? new_label : "/dev/null", a.n ? (size_t)1 : 0, a.n, b.n ? (size_t)1 : 0, b.n);
        /* On a tie, the removed line goes first, as diff -u and git print it. */
        for (i = 0, j = 0; i < a.n || j < b.n;) {
                if (i < a.n && j < b.n && same_line(&a, i, &b, j)) {
                        append_line(&out, ' ', &a, i);
                        i++, j++;
                } else if (j < b.n && (i == a.n || table[i * width + j + 1] > table[(i + 1) * width + j])) {
                        append_line(&out, '+', &b, j);
                        j++;
                } else {
                        append_line(&out, '-', &a, i);
                        i++;
                }
        }
        *ret = strbuf_steal(&out);
        r = *ret ? 0 : -ENOMEM;
out:
        free(table);
        free(a.start);
        free(a.length);
        free(b.start);
        free(b.length);
        return r;
}
