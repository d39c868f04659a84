/* SPDX-License-Identifier: MIT */
/*
 * Folding host names into ranges and expanding them back (see hostlist.h).
 * An example of the format, both ways:
 *
 *   web-01 web-02 web-03 web-05 db-01 n9 n10 n11 n01 lb
 *     <-> "db-01,lb,n[01,10-11],n9,web-[01-03,05]"
 *
 * The list is a --limit pattern as it stands: it can be pasted back.
 *
 * n10 and n11 join n01, as they are two digits wide like it; n9 stays
 * alone. Folding sorts the names by prefix, suffix and number, so it is
 * O(n log n) and the result does not depend on the input order.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "hostlist.h"
#include "quote.h"
#include "strbuf.h"

/* The number of groups a (prefix, suffix) can fold into: unpadded, and
 * padded to each width from 2 to TETHER_HOSTLIST_DIGITS_MAX. */
#define GROUPS_MAX (TETHER_HOSTLIST_DIGITS_MAX + 1)

static bool is_digit(char c) {
        return c >= '0' && c <= '9';
}

/* A run of digits with a leading zero pads its numbers to its width. */
static bool is_padded(const char *digits, size_t length) {
        return length > 1 && digits[0] == '0';
}

/* ---- folding -------------------------------------------------------- */

struct entry {
        const char *name;
        size_t prefix_length; /* the whole name when it has no number */
        const char *suffix;
        size_t suffix_length;
        uint64_t value;
        unsigned digits; /* length of the digit run; 0: no number */
        unsigned group;  /* 0: unpadded, else the width it is padded to */
};

static void split(const char *name, size_t length, struct entry *ret) {
        size_t end = length, start;
        uint64_t value = 0;

        *ret = (struct entry){.name = name, .prefix_length = length, .suffix = name + length};
        while (end > 0 && !is_digit(name[end - 1]))
                end--;
        if (end == 0)
                return;
        start = end;
        while (start > 0 && is_digit(name[start - 1]))
                start--;
        if (end - start > TETHER_HOSTLIST_DIGITS_MAX)
                return;
        for (size_t i = start; i < end; i++)
                value = value * 10 + (uint64_t)(name[i] - '0');
        ret->prefix_length = start;
        ret->suffix = name + end;
        ret->suffix_length = length - end;
        ret->value = value;
        ret->digits = (unsigned)(end - start);
}

static int compare_bytes(const char *a, size_t a_length, const char *b, size_t b_length) {
        int r = memcmp(a, b, a_length < b_length ? a_length : b_length);

        if (r != 0)
                return r;
        return (a_length > b_length) - (a_length < b_length);
}

static int compare_stem(const struct entry *a, const struct entry *b) {
        int r = compare_bytes(a->name, a->prefix_length, b->name, b->prefix_length);

        if (r != 0)
                return r;
        r = compare_bytes(a->suffix, a->suffix_length, b->suffix, b->suffix_length);
        if (r != 0)
                return r;
        /* A name without a number before the numbered ones of its stem. */
        return (a->digits != 0) - (b->digits != 0);
}

/* Prefix, suffix, number, width: equal only for equal names. */
static int compare_entries(const void *x, const void *y) {
        const struct entry *a = x, *b = y;
        int r = compare_stem(a, b);

        if (r != 0 || a->digits == 0)
                return r;
        if (a->value != b->value)
                return a->value < b->value ? -1 : 1;
        return (a->digits > b->digits) - (a->digits < b->digits);
}

static void append_number(struct strbuf *out, uint64_t value, unsigned width) {
        char buffer[32];
        int n = snprintf(buffer, sizeof(buffer), "%0*" PRIu64, (int)width, value);

        strbuf_append_n(out, buffer, (size_t)n);
}

static void append_separator(struct strbuf *out, bool *first) {
        if (!*first)
                strbuf_append_n(out, ",", 1);
        *first = false;
}

static void append_range(struct strbuf *out, uint64_t start, uint64_t end, unsigned width, bool first) {
        if (!first)
                strbuf_append_n(out, ",", 1);
        append_number(out, start, width);
        if (end != start) {
                strbuf_append_n(out, "-", 1);
                append_number(out, end, width);
        }
}

/* The entries of run in group, which are sorted by value, as
 * "prefix[a-b,c]suffix", or as the name itself when there is one value. */
static void append_group(struct strbuf *out, const struct entry *run, size_t n, unsigned group,
                         bool *first) {
        const struct entry *head = NULL;
        uint64_t start = 0, previous = 0;
        bool first_range = true;
        size_t values = 0;

        for (size_t i = 0; i < n; i++) {
                if (run[i].group != group || (values > 0 && run[i].value == previous))
                        continue;
                if (values == 0)
                        head = &run[i];
                previous = run[i].value;
                values++;
        }
        if (values == 0)
                return;
        append_separator(out, first);
        if (values == 1) {
                strbuf_append_n(out, head->name, head->prefix_length + head->digits + head->suffix_length);
                return;
        }

        strbuf_append_n(out, head->name, head->prefix_length);
        strbuf_append_n(out, "[", 1);
        start = previous = head->value;
        for (const struct entry *e = head + 1; e < run + n; e++) {
                if (e->group != group || e->value == previous)
                        continue;
                if (e->value != previous + 1) {
                        append_range(out, start, previous, group, first_range);
                        first_range = false;
                        start = e->value;
                }
                previous = e->value;
        }
        append_range(out, start, previous, group, first_range);
        strbuf_append_n(out, "]", 1);
        strbuf_append_n(out, head->suffix, head->suffix_length);
}

/* Folds n numbered entries that share prefix and suffix, sorted by value
 * and width. A padded run claims the unpadded runs of its width ("10"
 * joins "01"); the other unpadded runs fold together whatever their
 * length. Groups come out by their smallest number. */
static void append_run(struct strbuf *out, struct entry *run, size_t n, bool *first) {
        uint32_t padded_widths = 0, seen = 0;
        unsigned order[GROUPS_MAX], n_order = 0;

        for (size_t i = 0; i < n; i++)
                if (is_padded(run[i].name + run[i].prefix_length, run[i].digits))
                        padded_widths |= UINT32_C(1) << run[i].digits;
        for (size_t i = 0; i < n; i++) {
                unsigned group = (padded_widths & (UINT32_C(1) << run[i].digits)) ? run[i].digits : 0;

                run[i].group = group;
                /* The run is sorted by value, so a group's first entry
                 * holds its smallest number. */
                if (!(seen & (UINT32_C(1) << group))) {
                        seen |= UINT32_C(1) << group;
                        order[n_order++] = group;
                }
        }
        for (unsigned g = 0; g < n_order; g++)
                append_group(out, run, n, order[g], first);
}

char *tether_hostlist_fold(const char *const *names, size_t n) {
        _cleanup_free_ struct entry *entries = NULL;
        struct strbuf out = STRBUF_INIT;
        size_t total = 0, i;
        bool first = true;

        if (n > TETHER_HOSTLIST_MAX) {
                errno = E2BIG;
                return NULL;
        }
        if (n == 0)
                return strdup("");
        entries = malloc(n * sizeof(*entries));
        if (!entries)
                return NULL;
        for (i = 0; i < n; i++) {
                size_t length;

                if (!names[i] || names[i][0] == '\0') {
                        errno = EINVAL;
                        return NULL;
                }
                length = strnlen(names[i], TETHER_HOSTLIST_NAME_MAX + 1);
                if (length > TETHER_HOSTLIST_NAME_MAX) {
                        errno = E2BIG;
                        return NULL;
                }
                split(names[i], length, &entries[i]);
                total += length + 2;
        }
        qsort(entries, n, sizeof(*entries), compare_entries);

        /* A folded list is at most the names joined by ',' plus two
         * brackets a name; the limit only guards against a wrong count. */
        out.limit = 2 * total + 1;
        for (i = 0; i < n;) {
                size_t j = i + 1;

                if (entries[i].digits == 0) {
                        append_separator(&out, &first);
                        strbuf_append_n(&out, entries[i].name, entries[i].prefix_length);
                        while (j < n && compare_entries(&entries[i], &entries[j]) == 0)
                                j++;
                } else {
                        while (j < n && compare_stem(&entries[i], &entries[j]) == 0)
                                j++;
                        append_run(&out, entries + i, j - i, &first);
                }
                i = j;
        }
        if (out.failed) {
                errno = out.too_big ? E2BIG : ENOMEM;
                strbuf_free(&out);
                return NULL;
        }
        return strbuf_steal(&out);
}

/* ---- expanding ------------------------------------------------------ */

struct range {
        uint64_t start, end;
        unsigned width; /* 0: unpadded */
};

/* A piece of an item: literal text, or a bracket of ranges. */
struct part {
        const char *text; /* literal, when n_ranges is 0 */
        size_t length;
        size_t first_range, n_ranges;
        /* the odometer, while names are generated */
        size_t range_index;
        uint64_t value;
};

struct expander {
        bool glob;
        const char *what; /* NULL: "host list" and the quoted item */
        const char *list; /* the whole text */
        const char *item; /* the item being expanded, the item_number'th */
        size_t item_length, item_number;
        struct tether_error *error;

        struct part *parts;
        size_t n_parts, allocated_parts;
        struct range *ranges;
        size_t n_ranges, allocated_ranges;

        char **names;
        size_t n_names, allocated_names;
};

static int fail(struct expander *x, int code, const char *format, ...) _printf_(3, 4);

static int fail(struct expander *x, int code, const char *format, ...) {
        char message[TETHER_ERROR_TEXT_MAX], quoted[TETHER_QUOTE_SIZE];
        va_list ap;

        va_start(ap, format);
        vsnprintf(message, sizeof(message), format, ap);
        va_end(ap);
        if (x->what)
                return tether_error_set(x->error, code, "%s: %s", x->what, message);
        return tether_error_set(x->error, code, "host list %s: %s",
                                tether_quote(x->item, x->item_length, quoted), message);
}

static int fail_oom(struct expander *x) {
        return fail(x, -ENOMEM, "out of memory");
}

/* array with room for more than used elements of size bytes: the same
 * or a larger allocation, whose size goes to *allocated; NULL when out of
 * memory, and array is still valid then. */
static void *grow(void *array, size_t *allocated, size_t used, size_t size) {
        size_t n;
        void *p;

        if (used < *allocated)
                return array;
        n = *allocated ? *allocated * 2 : 16;
        p = realloc(array, n * size);
        if (p)
                *allocated = n;
        return p;
}

static int add_literal(struct expander *x, const char *text, size_t length) {
        struct part *parts;

        /* Adjacent literal text (a glob class after a name) is one part. */
        if (x->n_parts > 0 && x->parts[x->n_parts - 1].n_ranges == 0 &&
            x->parts[x->n_parts - 1].text + x->parts[x->n_parts - 1].length == text) {
                x->parts[x->n_parts - 1].length += length;
                return 0;
        }
        parts = grow(x->parts, &x->allocated_parts, x->n_parts, sizeof(*x->parts));
        if (!parts)
                return fail_oom(x);
        x->parts = parts;
        x->parts[x->n_parts++] = (struct part){.text = text, .length = length};
        return 0;
}

/* One bound of a range: 1..TETHER_HOSTLIST_DIGITS_MAX digits. */
static int parse_bound(struct expander *x, const char *text, size_t length, const char *bracket,
                       size_t bracket_length, uint64_t *ret_value) {
        char quoted[TETHER_QUOTE_SIZE], quoted_bracket[TETHER_QUOTE_SIZE];
        uint64_t value = 0;

        if (length == 0)
                return fail(x, -EINVAL, "a range in %s lacks a number: write [1-5] or [01,03-05]",
                            tether_quote(bracket, bracket_length, quoted_bracket));
        if (length > TETHER_HOSTLIST_DIGITS_MAX)
                return fail(x, -E2BIG, "the number %s in %s has more than %u digits",
                            tether_quote(text, length, quoted),
                            tether_quote(bracket, bracket_length, quoted_bracket),
                            TETHER_HOSTLIST_DIGITS_MAX);
        for (size_t i = 0; i < length; i++)
                value = value * 10 + (uint64_t)(text[i] - '0');
        *ret_value = value;
        return 0;
}

/* The comma-separated numbers and ranges of a bracket, made only of
 * digits, ',' and '-' (the caller checked). Returns the count of numbers
 * in *ret_count and the most digits one of them has in *ret_digits. */
static int parse_ranges(struct expander *x, const char *content, size_t length, uint64_t *ret_count,
                        unsigned *ret_digits) {
        const char *bracket = content - 1, *end = content + length;
        size_t bracket_length = length + 2;
        char quoted[TETHER_QUOTE_SIZE], quoted_bracket[TETHER_QUOTE_SIZE];
        uint64_t count = 0;
        unsigned digits = 0;
        int r;

        if (length == 0)
                return fail(x, -EINVAL, "empty brackets \"[]\": write a number or a range such as [1-5]");
        for (const char *term = content; term <= end;) {
                const char *comma = memchr(term, ',', (size_t)(end - term));
                const char *term_end = comma ? comma : end, *dash;
                size_t term_length = (size_t)(term_end - term), start_length, end_length;
                struct range range = {0}, *ranges;

                tether_quote(bracket, bracket_length, quoted_bracket);
                if (term_length == 0)
                        return fail(x, -EINVAL, "empty range in %s: a ',' with nothing before or after it",
                                    quoted_bracket);
                dash = memchr(term, '-', term_length);
                start_length = dash ? (size_t)(dash - term) : term_length;
                end_length = dash ? (size_t)(term_end - dash - 1) : 0;
                if (dash && memchr(dash + 1, '-', end_length))
                        return fail(x, -EINVAL, "malformed range %s in %s: a range is START-END",
                                    tether_quote(term, term_length, quoted), quoted_bracket);
                r = parse_bound(x, term, start_length, bracket, bracket_length, &range.start);
                if (r < 0)
                        return r;
                range.end = range.start;
                if (dash) {
                        r = parse_bound(x, dash + 1, end_length, bracket, bracket_length, &range.end);
                        if (r < 0)
                                return r;
                }
                if (is_padded(term, start_length) || (dash && is_padded(dash + 1, end_length))) {
                        if (dash && start_length != end_length)
                                return fail(x, -EINVAL,
                                            "range %s in %s mixes widths: padded bounds have the same "
                                            "number of digits, as in 08-10",
                                            tether_quote(term, term_length, quoted), quoted_bracket);
                        range.width = (unsigned)start_length;
                }
                if (range.start > range.end)
                        return fail(x, -EINVAL, "reversed range %s in %s: the start is greater than the end",
                                    tether_quote(term, term_length, quoted), quoted_bracket);

                count += range.end - range.start + 1;
                if (count > TETHER_HOSTLIST_MAX)
                        return fail(x, -E2BIG, "%s expands to more than %u names", quoted_bracket,
                                    TETHER_HOSTLIST_MAX);
                if (start_length > digits)
                        digits = (unsigned)start_length;
                if (end_length > digits)
                        digits = (unsigned)end_length;
                ranges = grow(x->ranges, &x->allocated_ranges, x->n_ranges, sizeof(*x->ranges));
                if (!ranges)
                        return fail_oom(x);
                x->ranges = ranges;
                x->ranges[x->n_ranges++] = range;
                term = term_end + 1;
        }
        *ret_count = count;
        *ret_digits = digits;
        return 0;
}

/* The end of the glob class that opens at text[0] == '[', as fnmatch()
 * reads it: a '!' or '^' and then a ']' right after the '[' are members.
 * NULL if it does not close before end. */
static const char *glob_class_end(const char *text, const char *end) {
        const char *p = text + 1;

        if (p < end && (*p == '!' || *p == '^'))
                p++;
        if (p < end && *p == ']')
                p++;
        for (; p < end; p++)
                if (*p == ']')
                        return p;
        return NULL;
}

static bool only_range_characters(const char *text, size_t length) {
        for (size_t i = 0; i < length; i++)
                if (!is_digit(text[i]) && text[i] != ',' && text[i] != '-')
                        return false;
        return true;
}

static int add_name(struct expander *x, const char *name, size_t length) {
        char *copy, **names;

        names = grow(x->names, &x->allocated_names, x->n_names + 1, sizeof(*x->names));
        if (!names)
                return fail_oom(x);
        x->names = names;
        copy = strndup(name, length);
        if (!copy)
                return fail_oom(x);
        x->names[x->n_names++] = copy;
        x->names[x->n_names] = NULL;
        return 0;
}

/* Every name of the parts of the item, leftmost bracket slowest. */
static int generate(struct expander *x) {
        char name[TETHER_HOSTLIST_NAME_MAX + 32];
        int r;

        for (size_t i = 0; i < x->n_parts; i++) {
                x->parts[i].range_index = 0;
                x->parts[i].value = x->parts[i].n_ranges ? x->ranges[x->parts[i].first_range].start : 0;
        }
        for (;;) {
                size_t length = 0;
                size_t i;

                for (i = 0; i < x->n_parts; i++) {
                        const struct part *part = &x->parts[i];

                        if (part->n_ranges == 0) {
                                memcpy(name + length, part->text, part->length);
                                length += part->length;
                        } else {
                                const struct range *range =
                                        &x->ranges[part->first_range + part->range_index];

                                length += (size_t)snprintf(name + length, sizeof(name) - length,
                                                           "%0*" PRIu64, (int)range->width, part->value);
                        }
                }
                r = add_name(x, name, length);
                if (r < 0)
                        return r;

                /* Advance the rightmost bracket; carry to the left. */
                for (i = x->n_parts; i > 0; i--) {
                        struct part *part = &x->parts[i - 1];
                        const struct range *range;

                        if (part->n_ranges == 0)
                                continue;
                        range = &x->ranges[part->first_range + part->range_index];
                        if (part->value < range->end) {
                                part->value++;
                                break;
                        }
                        if (part->range_index + 1 < part->n_ranges) {
                                part->range_index++;
                                part->value = x->ranges[part->first_range + part->range_index].start;
                                break;
                        }
                        part->range_index = 0;
                        part->value = x->ranges[part->first_range].start;
                }
                if (i == 0)
                        return 0;
        }
}

static int fail_unclosed(struct expander *x, const char *open) {
        return fail(x, -EINVAL, "'[' at position %zu is not closed by a ']'", (size_t)(open - x->item) + 1);
}

/* An item is not empty and has no control character and no space. */
static int check_item(struct expander *x) {
        if (x->item_length == 0) {
                /* Nothing to quote but the list. */
                x->item = x->list;
                x->item_length = strlen(x->list);
                return fail(x, -EINVAL, "name %zu is empty: a ',' with nothing before or after it",
                            x->item_number);
        }
        for (const char *c = x->item; c < x->item + x->item_length; c++) {
                if ((unsigned char)*c < 0x20 || *c == 0x7f)
                        return fail(x, -EINVAL, "control character \\x%02x at position %zu",
                                    (unsigned char)*c, (size_t)(c - x->item) + 1);
                if (*c == ' ')
                        return fail(x, -EINVAL,
                                    "space inside a name at position %zu: separate names with ','",
                                    (size_t)(c - x->item) + 1);
        }
        return 0;
}

/* In a pattern, a bracket that opens at open and is not a range (closed,
 * with digits, ',' and '-' in it, and something) is a glob class. */
static bool is_glob_class(const struct expander *x, const char *open, const char *end) {
        const char *close = memchr(open + 1, ']', (size_t)(end - open - 1));

        return x->glob &&
               (!close || !only_range_characters(open + 1, (size_t)(close - open - 1)) || close == open + 1);
}

/* The ']' of the range bracket that opens at open, which must be closed,
 * not nested, and hold only numbers and ranges. */
static int range_bracket_end(struct expander *x, const char *open, const char *end, const char **ret_close) {
        const char *close = memchr(open + 1, ']', (size_t)(end - open - 1));

        if (!close)
                return fail_unclosed(x, open);
        for (const char *c = open + 1; c < close; c++)
                if (*c == '[')
                        return fail(x, -EINVAL, "nested '[' at position %zu", (size_t)(c - x->item) + 1);
        if (!only_range_characters(open + 1, (size_t)(close - open - 1))) {
                char quoted[TETHER_QUOTE_SIZE];

                return fail(x, -EINVAL, "%s is not a list of numbers and ranges: write [1-5] or [01,03-05]",
                            tether_quote(open, (size_t)(close - open + 1), quoted));
        }
        *ret_close = close;
        return 0;
}

/* Adds the literal text from literal to the bracket open..close and the
 * bracket's ranges as parts of the item. *count, the names the item
 * expands to, and *longest, the length of the longest, grow by them. */
static int add_bracket(struct expander *x, const char *literal, const char *open, const char *close,
                       uint64_t *count, size_t *longest) {
        size_t first_range = x->n_ranges;
        uint64_t bracket_count = 0;
        unsigned digits = 0;
        struct part *parts;
        int r;

        if (open > literal) {
                r = add_literal(x, literal, (size_t)(open - literal));
                if (r < 0)
                        return r;
                *longest += (size_t)(open - literal);
        }
        r = parse_ranges(x, open + 1, (size_t)(close - open - 1), &bracket_count, &digits);
        if (r < 0)
                return r;
        parts = grow(x->parts, &x->allocated_parts, x->n_parts, sizeof(*x->parts));
        if (!parts)
                return fail_oom(x);
        x->parts = parts;
        x->parts[x->n_parts++] = (struct part){
                .first_range = first_range,
                .n_ranges = x->n_ranges - first_range,
        };
        /* Each bracket's count is at most TETHER_HOSTLIST_MAX, so the
         * product cannot overflow before it is checked. */
        *count *= bracket_count;
        if (*count > TETHER_HOSTLIST_MAX - x->n_names)
                return fail(x, -E2BIG, "more than %u names", TETHER_HOSTLIST_MAX);
        *longest += digits;
        if (*longest > TETHER_HOSTLIST_NAME_MAX)
                return fail(x, -E2BIG, "names longer than %u characters", TETHER_HOSTLIST_NAME_MAX);
        return 0;
}

/* Parses the item x->item (spaces around it already trimmed) into parts,
 * checks the limits and adds its names. */
static int expand_item(struct expander *x) {
        const char *p = x->item, *end = x->item + x->item_length, *literal = p, *close = NULL;
        uint64_t count = 1;
        size_t longest = 0;
        int r;

        x->n_parts = x->n_ranges = 0;
        r = check_item(x);
        if (r < 0)
                return r;
        while (p < end) {
                if (*p == ']')
                        return fail(x, -EINVAL, "']' at position %zu without a '[' before it",
                                    (size_t)(p - x->item) + 1);
                if (*p != '[') {
                        p++;
                        continue;
                }
                if (is_glob_class(x, p, end)) {
                        /* Part of the literal text. */
                        close = glob_class_end(p, end);
                        if (!close)
                                return fail_unclosed(x, p);
                        p = close + 1;
                        continue;
                }
                r = range_bracket_end(x, p, end, &close);
                if (r < 0)
                        return r;
                r = add_bracket(x, literal, p, close, &count, &longest);
                if (r < 0)
                        return r;
                p = literal = close + 1;
        }
        if (end > literal) {
                r = add_literal(x, literal, (size_t)(end - literal));
                if (r < 0)
                        return r;
                longest += (size_t)(end - literal);
        }
        if (longest > TETHER_HOSTLIST_NAME_MAX)
                return fail(x, -E2BIG, "names longer than %u characters", TETHER_HOSTLIST_NAME_MAX);
        if (count > TETHER_HOSTLIST_MAX - x->n_names)
                return fail(x, -E2BIG, "more than %u names", TETHER_HOSTLIST_MAX);
        return generate(x);
}

const char *tether_hostlist_item_end(const char *p) {
        bool in_bracket = false;

        for (; *p; p++) {
                if (*p == '[')
                        in_bracket = true;
                else if (*p == ']')
                        in_bracket = false;
                else if (*p == ',' && !in_bracket)
                        break;
        }
        return p;
}

static int expand(const char *text, bool glob, const char *what, char ***ret, size_t *ret_n,
                  struct tether_error *error) {
        struct expander x = {.glob = glob, .what = what, .list = text, .error = error};
        const char *end;
        int r = 0;

        if (!text)
                return tether_error_set(error, -EINVAL, "%s: no text given", what ? what : "host list");
        x.names = calloc(1, sizeof(*x.names));
        if (!x.names)
                return tether_error_set(error, -ENOMEM, "out of memory");
        x.allocated_names = 1;

        for (const char *p = text; *text != '\0'; p = end + 1) {
                const char *item_start = p, *item_stop;

                end = item_stop = tether_hostlist_item_end(p);
                while (item_start < item_stop && *item_start == ' ')
                        item_start++;
                while (item_stop > item_start && item_stop[-1] == ' ')
                        item_stop--;
                x.item = item_start;
                x.item_length = (size_t)(item_stop - item_start);
                x.item_number++;
                r = expand_item(&x);
                if (r < 0 || *end == '\0')
                        break;
        }

        free(x.parts);
        free(x.ranges);
        if (r < 0) {
                strv_free(x.names);
                return r;
        }
        *ret = x.names;
        *ret_n = x.n_names;
        return 0;
}

int tether_hostlist_expand(const char *folded, char ***ret, size_t *ret_n, struct tether_error *error) {
        return expand(folded, false, NULL, ret, ret_n, error);
}

int tether_hostlist_expand_glob(const char *pattern, const char *what, char ***ret, size_t *ret_n,
                                struct tether_error *error) {
        return expand(pattern, true, what, ret, ret_n, error);
}
