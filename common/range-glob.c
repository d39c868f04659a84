/* SPDX-License-Identifier: MIT */
/*
 * Globs with hostlist ranges (see range-glob.h). The matcher backtracks at
 * each '*' and each range, and remembers, for each of them, the positions of
 * the name from which it is known not to match: a '*' that failed from a
 * position failed from every later one too, so the next try stops there.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hostlist.h"
#include "macro.h"
#include "range-glob.h"

struct tether_range_glob {
        char *text;
        uint32_t *branch; /* per byte of text: 1 + the ordinal of the '*' or range there, or 0 */
        size_t n_branches;
};

/* One match: the name, and a bit per branch and position of the name
 * (its terminating NUL included) once that pair is known to fail. */
struct range_match {
        const struct tether_range_glob *glob;
        const char *name;
        size_t name_size;
        uint8_t *failed; /* NULL: nothing remembered, plain backtracking */
};

/* The length of the numeric range bracket at p ("[01-05,09]"), through
 * its ']'; 0 when p starts no such bracket (a glob class, say). */
static size_t range_bracket_length(const char *p) {
        size_t i = 1;

        if (p[0] != '[')
                return 0;
        while (p[i] && p[i] != ']' && (isdigit((unsigned char)p[i]) || p[i] == ',' || p[i] == '-'))
                i++;
        return p[i] == ']' && i > 1 ? i + 1 : 0;
}

/* The length of the glob class at p ("[!a-c]"), as fnmatch() reads it: a
 * ']' right after '[' or "[!" belongs to the class. 0: no closing ']'. */
static size_t class_length(const char *p) {
        size_t i = 1;

        if (p[i] == '!' || p[i] == '^')
                i++;
        if (p[i] == ']')
                i++;
        while (p[i] && p[i] != ']')
                i++;
        return p[i] == ']' ? i + 1 : 0;
}

/* Whether the class of length bytes at p takes c, byte by byte as
 * fnmatch() does in the C locale: "a-c" is a range, a '-' first or last is
 * itself. */
static bool class_match(const char *p, size_t length, char c) {
        const unsigned char *s = (const unsigned char *)p;
        size_t i = 1, end = length - 1; /* s[end] is the closing ']' */
        bool negate = s[1] == '!' || s[1] == '^', found = false;

        if (negate)
                i++;
        while (i < end) {
                unsigned char low = s[i], high = s[i];

                if (i + 2 < end && s[i + 1] == '-') {
                        high = s[i + 2];
                        i += 3;
                } else
                        i++;
                if ((unsigned char)c >= low && (unsigned char)c <= high)
                        found = true;
        }
        return found != negate;
}

static size_t memo_bit(const struct range_match *m, const char *p, const char *at) {
        size_t ordinal = m->glob->branch[p - m->glob->text] - 1;

        return ordinal * m->name_size + (size_t)(at - m->name);
}

static bool known_to_fail(const struct range_match *m, const char *p, const char *at) {
        size_t bit;

        if (!m->failed)
                return false;
        bit = memo_bit(m, p, at);
        return m->failed[bit / 8] & (1u << (bit % 8));
}

static void remember_failure(struct range_match *m, const char *p, const char *at) {
        size_t bit;

        if (!m->failed)
                return;
        bit = memo_bit(m, p, at);
        m->failed[bit / 8] |= (uint8_t)(1u << (bit % 8));
}

static bool match_from(struct range_match *m, const char *p, const char *name);

/* Whether one item of a range bracket ("7", "01-05", "8-10") takes the
 * digits at name, and the rest of the glob the rest of the name. A bound
 * with a leading zero pads the item to its width; an unpadded item takes
 * numbers written without leading zeros (as the expansion writes them). */
static bool range_item_match(struct range_match *m, const char *item, size_t length, const char *rest,
                             const char *name) {
        const char *dash = memchr(item, '-', length);
        size_t low_length = dash ? (size_t)(dash - item) : length;
        bool padded = item[0] == '0' && low_length > 1;
        unsigned long long low = strtoull(item, NULL, 10), high = dash ? strtoull(dash + 1, NULL, 10) : low;
        unsigned long long value = 0;

        for (size_t k = 1; k <= TETHER_HOSTLIST_DIGITS_MAX && isdigit((unsigned char)name[k - 1]); k++) {
                value = value * 10 + (unsigned long long)(name[k - 1] - '0');
                if (padded) {
                        if (k < low_length)
                                continue;
                        return value >= low && value <= high && match_from(m, rest, name + k);
                }
                if (value >= low && value <= high && match_from(m, rest, name + k))
                        return true;
                if (name[0] == '0') /* "0" alone: no number is written with a leading zero */
                        break;
        }
        return false;
}

/* A '*' at p: the rest of the glob from some position at or after name. A
 * failure from a position is a failure from every later one. */
static bool star_match(struct range_match *m, const char *p, const char *name) {
        const char *s = name;

        for (; !known_to_fail(m, p, s); s++) {
                if (match_from(m, p + 1, s))
                        return true;
                if (*s == '\0')
                        break;
        }
        for (const char *f = name; f <= s; f++)
                remember_failure(m, p, f);
        return false;
}

/* A range bracket of length bytes at p: one of its items, then the rest. */
static bool range_match(struct range_match *m, const char *p, size_t length, const char *name) {
        if (known_to_fail(m, p, name))
                return false;
        for (const char *item = p + 1; item < p + length - 1;) {
                size_t item_length = strcspn(item, ",]");

                if (range_item_match(m, item, item_length, p + length, name))
                        return true;
                item += item_length + 1;
        }
        remember_failure(m, p, name);
        return false;
}

static bool match_from(struct range_match *m, const char *p, const char *name) {
        for (;;) {
                size_t length;

                switch (*p) {
                case '\0':
                        return *name == '\0';
                case '*':
                        return star_match(m, p, name);
                case '?':
                        if (*name == '\0')
                                return false;
                        break;
                case '[':
                        length = range_bracket_length(p);
                        if (length > 0)
                                return range_match(m, p, length, name);
                        length = class_length(p);
                        if (length > 0) {
                                if (*name == '\0' || !class_match(p, length, *name))
                                        return false;
                                p += length;
                                name++;
                                continue;
                        }
                        /* An unclosed '[' is a plain character, as for fnmatch(). */
                        if (*name != '[')
                                return false;
                        break;
                default:
                        if (*p != *name)
                                return false;
                }
                p++;
                name++;
        }
}

bool tether_range_glob_match(const struct tether_range_glob *glob, const char *name) {
        _cleanup_free_ uint8_t *heap = NULL;
        uint8_t on_stack[256];
        struct range_match m = {.glob = glob, .name = name, .name_size = strlen(name) + 1};
        size_t bytes;

        /* Without room for the memo (a huge glob and name, and no memory)
         * the search is the plain one: slower, never wrong. */
        if (glob->n_branches > 0 && glob->n_branches <= (SIZE_MAX - 7) / m.name_size) {
                bytes = (glob->n_branches * m.name_size + 7) / 8;
                if (bytes <= sizeof(on_stack)) {
                        memset(on_stack, 0, bytes);
                        m.failed = on_stack;
                } else
                        m.failed = heap = calloc(bytes, 1);
        }
        return match_from(&m, glob->text, name);
}

int tether_range_glob_new(const char *text, size_t length, struct tether_range_glob **ret) {
        struct tether_range_glob *glob = calloc(1, sizeof(*glob));

        if (!glob || !(glob->text = strndup(text, length)) ||
            !(glob->branch = calloc(length + 1, sizeof(*glob->branch)))) {
                tether_range_glob_free(glob);
                return -ENOMEM;
        }
        /* Every '*' and range bracket, even one inside a class, where the
         * matcher never stands: a spare ordinal costs a few bits. */
        for (size_t i = 0; i < length; i++)
                if (glob->text[i] == '*' || range_bracket_length(glob->text + i) > 0)
                        glob->branch[i] = (uint32_t)++glob->n_branches;
        *ret = glob;
        return 0;
}

struct tether_range_glob *tether_range_glob_free(struct tether_range_glob *glob) {
        if (!glob)
                return NULL;
        free(glob->text);
        free(glob->branch);
        free(glob);
        return NULL;
}
