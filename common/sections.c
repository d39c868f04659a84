/* SPDX-License-Identifier: MIT */
/*
 * The sections of a gathering script's output (see sections.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "parse-util.h"
#include "sections.h"

struct tether_sections *tether_sections_free(struct tether_sections *sections) {
        if (!sections)
                return NULL;
        for (size_t i = 0; i < sections->n_items; i++) {
                free(sections->items[i].name);
                free(sections->items[i].text);
        }
        free(sections->items);
        free(sections);
        return NULL;
}

const struct tether_section *tether_sections_get(const struct tether_sections *sections, const char *name) {
        for (size_t i = 0; sections && i < sections->n_items; i++)
                if (strcmp(sections->items[i].name, name) == 0)
                        return &sections->items[i];
        return NULL;
}

const char *tether_sections_output(const struct tether_sections *sections, const char *name) {
        const struct tether_section *section = tether_sections_get(sections, name);

        return section && section->status == 0 ? section->text : NULL;
}

/* The first line at or after from that starts with marker (boundary and
 * " begin " or " end "), at a line's start; NULL when none. */
static const char *find_marker(const char *output, const char *end, const char *from, const char *marker) {
        size_t n = strlen(marker);

        for (const char *p = from; p && p + n <= end;) {
                if ((p == output || p[-1] == '\n') && memcmp(p, marker, n) == 0)
                        return p;
                p = memchr(p, '\n', (size_t)(end - p));
                if (p)
                        p++;
        }
        return NULL;
}

/* The rest of the line at p, as a new string; *ret_next after its newline. */
static char *line_rest(const char *p, const char *end, const char **ret_next) {
        const char *newline = memchr(p, '\n', (size_t)(end - p));
        const char *stop = newline ? newline : end;

        *ret_next = newline ? newline + 1 : end;
        return strndup(p, (size_t)(stop - p));
}

static int add(struct tether_sections *sections, char *name, const char *text, size_t length,
               unsigned status) {
        struct tether_section *grown;

        grown = realloc(sections->items, (sections->n_items + 1) * sizeof(*grown));
        if (!grown)
                return -ENOMEM;
        sections->items = grown;
        grown[sections->n_items] = (struct tether_section){
                .name = name, .text = strndup(text, length), .length = length, .status = (int)status};
        if (!grown[sections->n_items].text)
                return -ENOMEM;
        sections->n_items++;
        return 0;
}

int tether_sections_parse(const char *output, size_t length, const char *boundary,
                          struct tether_sections **ret, struct tether_error *error) {
        _cleanup_(tether_sections_freep) struct tether_sections *sections = calloc(1, sizeof(*sections));
        _cleanup_free_ char *begin = NULL, *finish = NULL;
        const char *end = output + length, *p = output;

        if (!sections || asprintf(&begin, "%s begin ", boundary) < 0 ||
            asprintf(&finish, "\n%s end ", boundary) < 0)
                return tether_error_set(error, -ENOMEM, "out of memory");
        while ((p = find_marker(output, end, p, begin))) {
                _cleanup_free_ char *name = NULL, *closing = NULL;
                const char *text, *stop;
                unsigned status;

                name = line_rest(p + strlen(begin), end, &text);
                if (!name)
                        return tether_error_set(error, -ENOMEM, "out of memory");
                if (!*name)
                        return tether_error_set(error, -EBADMSG, "a section without a name");
                if (tether_sections_get(sections, name))
                        return tether_error_set(error, -EBADMSG, "section '%s' twice", name);
                /* The script ends what a command printed with a newline of
                 * its own, then the end marker. */
                stop = text > output ? find_marker(output, end, text - 1, finish + 1) : NULL;
                if (!stop || stop <= text)
                        return tether_error_set(
                                error, -EBADMSG,
                                "section '%s' begun and never ended: the host stopped talking", name);
                closing = line_rest(stop + strlen(finish) - 1, end, &p);
                if (!closing)
                        return tether_error_set(error, -ENOMEM, "out of memory");
                if (strncmp(closing, name, strlen(name)) != 0 || closing[strlen(name)] != ' ' ||
                    tether_parse_unsigned(closing + strlen(name) + 1, 0, 255, &status) < 0)
                        return tether_error_set(error, -EBADMSG, "section '%s' ended as '%.64s'", name,
                                                closing);
                if (memchr(text, '\0', (size_t)(stop - 1 - text)))
                        return tether_error_set(error, -EBADMSG, "section '%s' holds a NUL byte", name);
                if (add(sections, TAKE_PTR(name), text, (size_t)(stop - 1 - text), status) < 0)
                        return tether_error_set(error, -ENOMEM, "out of memory");
        }
        *ret = TAKE_PTR(sections);
        return 0;
}
