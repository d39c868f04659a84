/* SPDX-License-Identifier: MIT */
/*
 * known_hosts lines by host name (see known-hosts-index.h): the plain names
 * of each line, folded to lower case, sorted with the line they stand on,
 * for a binary search; the lines that cannot be indexed so, kept aside for
 * every host.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "known-hosts-index.h"
#include "macro.h"

struct known_line {
        const char *start;
        size_t length; /* without its '\n' */
};

struct name_entry {
        char *name; /* lower case */
        size_t line;
};

struct tether_known_hosts_index {
        struct known_line *lines;
        size_t n_lines;
        size_t *always; /* line numbers, ascending */
        size_t n_always;
        struct name_entry *names; /* by name, then line */
        size_t n_names;
};

static void fold_case(char *s) {
        for (; *s; s++)
                if (*s >= 'A' && *s <= 'Z')
                        *s = (char)(*s - 'A' + 'a');
}

static int compare_entries(const void *a, const void *b) {
        const struct name_entry *x = a, *y = b;
        int c = strcmp(x->name, y->name);

        return c != 0 ? c : (x->line > y->line) - (x->line < y->line);
}

static int compare_sizes(const void *a, const void *b) {
        size_t x = *(const size_t *)a, y = *(const size_t *)b;

        return (x > y) - (x < y);
}

static bool blank_or_comment(const char *s, size_t length) {
        if (length > 0 && s[0] == '#')
                return true;
        for (size_t i = 0; i < length; i++)
                if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
                        return false;
        return true;
}

/* The length of the host field at the start of a line whose names can be
 * indexed, or 0 for a line every host keeps: hashed names, wildcards,
 * negations, markers, a line that starts with a blank or has no key. */
static size_t plain_names_length(const char *s, size_t length) {
        size_t field = strcspn(s, " \t\n");

        if (field == 0 || field >= length || s[0] == '|' || s[0] == '@')
                return 0;
        for (size_t i = 0; i < field; i++)
                if (s[i] == '*' || s[i] == '?' || s[i] == '!')
                        return 0;
        return field;
}

static int add_names(struct tether_known_hosts_index *index, size_t line, const char *field, size_t length,
                     size_t *allocated) {
        for (const char *p = field, *end = field + length; p < end;) {
                size_t n = strcspn(p, ",");

                if (n > (size_t)(end - p))
                        n = (size_t)(end - p);
                if (n > 0) {
                        char *name = strndup(p, n);

                        if (!name)
                                return -ENOMEM;
                        if (index->n_names == *allocated) {
                                size_t grown = *allocated ? *allocated * 2 : 64;
                                struct name_entry *more = realloc(index->names, grown * sizeof(*more));

                                if (!more) {
                                        free(name);
                                        return -ENOMEM;
                                }
                                index->names = more;
                                *allocated = grown;
                        }
                        fold_case(name);
                        index->names[index->n_names++] = (struct name_entry){name, line};
                }
                p += n + 1;
        }
        return 0;
}

static size_t count_lines(const char *text) {
        size_t n = 1;

        for (const char *p = strchr(text, '\n'); p; p = strchr(p + 1, '\n'))
                n++;
        return n;
}

int tether_known_hosts_index_new(const char *text, struct tether_known_hosts_index **ret) {
        struct tether_known_hosts_index *index = calloc(1, sizeof(*index));
        size_t capacity, names_allocated = 0;

        if (!index)
                return -ENOMEM;
        capacity = count_lines(text);
        index->lines = calloc(capacity, sizeof(*index->lines));
        index->always = calloc(capacity, sizeof(*index->always));
        if (!index->lines || !index->always)
                goto oom;
        for (const char *p = text; *p;) {
                size_t length = strcspn(p, "\n"), field;

                if (!blank_or_comment(p, length)) {
                        size_t line = index->n_lines++;

                        index->lines[line] = (struct known_line){p, length};
                        field = plain_names_length(p, length);
                        if (field == 0)
                                index->always[index->n_always++] = line;
                        else if (add_names(index, line, p, field, &names_allocated) < 0)
                                goto oom;
                }
                p += length + (p[length] == '\n');
        }
        if (index->n_names > 0)
                qsort(index->names, index->n_names, sizeof(*index->names), compare_entries);
        *ret = index;
        return 0;

oom:
        tether_known_hosts_index_free(index);
        return -ENOMEM;
}

/* The first entry for name, or n_names. */
static size_t first_entry(const struct tether_known_hosts_index *index, const char *name) {
        size_t low = 0, high = index->n_names;

        while (low < high) {
                size_t middle = low + (high - low) / 2;

                if (strcmp(index->names[middle].name, name) < 0)
                        low = middle + 1;
                else
                        high = middle;
        }
        return low;
}

/* How many entries name has, from *ret_first on. */
static size_t entries_of(const struct tether_known_hosts_index *index, const char *name, size_t *ret_first) {
        size_t first = first_entry(index, name), n = 0;

        while (first + n < index->n_names && strcmp(index->names[first + n].name, name) == 0)
                n++;
        *ret_first = first;
        return n;
}

static void append_line(const struct tether_known_hosts_index *index, size_t line, struct strbuf *out) {
        strbuf_append_n(out, index->lines[line].start, index->lines[line].length);
        strbuf_append_n(out, "\n", 1);
}

void tether_known_hosts_index_lines(const struct tether_known_hosts_index *index, const char *name,
                                    unsigned port, struct strbuf *out) {
        _cleanup_free_ char *plain = strdup(name), *bracketed = NULL;
        _cleanup_free_ size_t *found = NULL;
        size_t plain_first, n_plain, bracketed_first, n_bracketed, n_found = 0;
        size_t a = 0, f = 0, last = SIZE_MAX;

        if (!plain || asprintf(&bracketed, "[%s]:%u", name, port) < 0) {
                bracketed = NULL;
                out->failed = true;
                return;
        }
        fold_case(plain);
        fold_case(bracketed);
        n_plain = entries_of(index, plain, &plain_first);
        n_bracketed = entries_of(index, bracketed, &bracketed_first);
        found = malloc((n_plain + n_bracketed ? n_plain + n_bracketed : 1) * sizeof(*found));
        if (!found) {
                out->failed = true;
                return;
        }
        for (size_t i = 0; i < n_plain; i++)
                found[n_found++] = index->names[plain_first + i].line;
        for (size_t i = 0; i < n_bracketed; i++)
                found[n_found++] = index->names[bracketed_first + i].line;
        qsort(found, n_found, sizeof(*found), compare_sizes);

        /* The host's own lines merged into those every host keeps, in the
         * file's order; a line that names the host twice, once. */
        while (a < index->n_always || f < n_found) {
                size_t line = f == n_found || (a < index->n_always && index->always[a] < found[f])
                                      ? index->always[a++]
                                      : found[f++];

                if (line != last)
                        append_line(index, line, out);
                last = line;
        }
}

struct tether_known_hosts_index *tether_known_hosts_index_free(struct tether_known_hosts_index *index) {
        if (!index)
                return NULL;
        for (size_t i = 0; i < index->n_names; i++)
                free(index->names[i].name);
        free(index->names);
        free(index->lines);
        free(index->always);
        free(index);
        return NULL;
}
