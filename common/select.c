/* SPDX-License-Identifier: MIT */
/*
 * Host selection for --limit and sharding for --shard (see select.h). A
 * pattern such as
 *
 *   web-[01-03],db-*,tag:prod,!tag:canary
 *
 * is four terms: the exact names web-01, web-02 and web-03, the glob
 * "db-*", the tag glob "prod", and an exclusion of the hosts tagged
 * "canary". Each term keeps the names its ranges expand to sorted, for a
 * binary search, apart from its globs, which fnmatch() tries in turn; a
 * glob with ranges stays one glob (range-glob.h).
 */
#include <fnmatch.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hostlist.h"
#include "quote.h"
#include "range-glob.h"
#include "select.h"
#include "sha256.h"

#define ALLOWED_HINT "letters, digits and . _ - * ? ! & [ ] :"

struct select_term {
        bool exclude;   /* '!' */
        bool intersect; /* '&': every selected host must match it too */
        bool tag;       /* "tag:": matches the host's tags, not its name */
        char **exact;   /* sorted, without glob characters */
        size_t n_exact;
        char **globs; /* for fnmatch() */
        size_t n_globs;
        struct tether_range_glob *range_glob; /* "db-[0-999999]*": one glob, not a million; or NULL */
};

struct tether_select {
        struct select_term *terms;
        size_t n_terms;
        bool any_include; /* a term without '!' or '&' */
};

static bool allowed_character(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               strchr("._*?!&[]:,-", c) != NULL;
}

static bool has_glob_character(const char *s) {
        return strpbrk(s, "*?[") != NULL;
}

static int compare_strings(const void *a, const void *b) {
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static void select_term_done(struct select_term *term) {
        for (size_t i = 0; i < term->n_exact; i++)
                free(term->exact[i]);
        free(term->exact);
        for (size_t i = 0; i < term->n_globs; i++)
                free(term->globs[i]);
        free(term->globs);
        tether_range_glob_free(term->range_glob);
}

struct tether_select *tether_select_free(struct tether_select *select) {
        if (!select)
                return NULL;
        for (size_t i = 0; i < select->n_terms; i++)
                select_term_done(&select->terms[i]);
        free(select->terms);
        free(select);
        return NULL;
}

static int term_fail(struct tether_error *error, int code, const char *term, size_t length,
                     const char *format, ...) _printf_(5, 6);

static int term_fail(struct tether_error *error, int code, const char *term, size_t length,
                     const char *format, ...) {
        char message[TETHER_ERROR_TEXT_MAX], quoted[TETHER_QUOTE_SIZE];
        va_list ap;

        va_start(ap, format);
        vsnprintf(message, sizeof(message), format, ap);
        va_end(ap);
        return tether_error_set(error, code, "host pattern term %s: %s", tether_quote(term, length, quoted),
                                message);
}

/* Checks the characters of a term and where '!' and ':' stand in it. */
static int check_term(const char *term, size_t length, struct tether_error *error) {
        for (size_t i = 0; i < length; i++) {
                char c = term[i];

                if (!allowed_character(c)) {
                        char shown[8];

                        if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7f)
                                snprintf(shown, sizeof(shown), "'%c'", c);
                        else
                                snprintf(shown, sizeof(shown), "\\x%02x", (unsigned char)c);
                        return term_fail(error, -EINVAL, term, length,
                                         "%s is not allowed: a term is made of " ALLOWED_HINT
                                         " (a name, a glob, a range such as web-[01-05] or tag:GLOB, "
                                         "'!' before it to exclude, '&' to intersect)",
                                         shown);
                }
                if (c == '!' && i > 0 && term[i - 1] != '[')
                        return term_fail(error, -EINVAL, term, length,
                                         "'!' only starts a term (to exclude) or follows '[' (a glob class "
                                         "such as [!0-9])");
                if (c == '&' && i > 0)
                        return term_fail(
                                error, -EINVAL, term, length,
                                "'&' only starts a term (&NAME, &tag:GLOB: hosts must match it too)");
                if (c == ':') {
                        size_t start = term[0] == '!' || term[0] == '&' ? 1 : 0;

                        if (i != start + 3 || strncmp(term + start, "tag", 3) != 0)
                                return term_fail(
                                        error, -EINVAL, term, length,
                                        "':' only follows \"tag\" (tag:GLOB, matching the host's tags)");
                }
        }
        return 0;
}

/* Parses one term into *ret, adding the names its ranges expand to to
 * *total. */
static int parse_term(const char *term, size_t length, size_t *total, struct select_term *ret,
                      struct tether_error *error) {
        _cleanup_strv_free_ char **expanded = NULL;
        _cleanup_free_ char *copy = NULL;
        struct select_term parsed = {0};
        char what[TETHER_QUOTE_SIZE + 32], quoted[TETHER_QUOTE_SIZE];
        size_t start = 0, n = 0;
        int r;

        r = check_term(term, length, error);
        if (r < 0)
                return r;
        if (term[0] == '!' || term[0] == '&') {
                parsed.exclude = term[0] == '!';
                parsed.intersect = term[0] == '&';
                start = 1;
                if (length == 1)
                        return term_fail(error, -EINVAL, term, length,
                                         "nothing after '%c': write %cNAME, %cGLOB or %ctag:GLOB", term[0],
                                         term[0], term[0], term[0]);
        }
        if (length - start >= 4 && strncmp(term + start, "tag:", 4) == 0) {
                parsed.tag = true;
                start += 4;
                if (length == start)
                        return term_fail(error, -EINVAL, term, length,
                                         "no glob after \"tag:\": write tag:web or tag:rack-*");
        }

        /* The whole term goes to the expander, so that the positions in its
         * messages count from the start of the term; every name it gives
         * starts with the '!' and "tag:" that are then cut off. */
        copy = strndup(term, length);
        if (!copy)
                return tether_error_set(error, -ENOMEM, "out of memory");
        snprintf(what, sizeof(what), "host pattern term %s", tether_quote(term, length, quoted));
        r = tether_hostlist_expand_glob(copy, what, &expanded, &n, error);
        if (r < 0)
                return r;
        if (n > TETHER_HOSTLIST_MAX - *total)
                return term_fail(error, -E2BIG, term, length,
                                 "with the terms before it, the ranges expand to more than %u names",
                                 TETHER_HOSTLIST_MAX);
        *total += n;

        /* Ranges with globs stay one glob, matched range by range. */
        if (n > 1 && has_glob_character(expanded[0] + start)) {
                if (tether_range_glob_new(term + start, length - start, &parsed.range_glob) < 0)
                        return tether_error_set(error, -ENOMEM, "out of memory");
                *ret = parsed;
                return 0;
        }
        parsed.exact = calloc(n, sizeof(char *));
        parsed.globs = calloc(n, sizeof(char *));
        if (!parsed.exact || !parsed.globs) {
                free(parsed.exact);
                free(parsed.globs);
                return tether_error_set(error, -ENOMEM, "out of memory");
        }
        for (size_t i = 0; i < n; i++) {
                char *s = TAKE_PTR(expanded[i]);

                memmove(s, s + start, strlen(s + start) + 1);
                if (has_glob_character(s))
                        parsed.globs[parsed.n_globs++] = s;
                else
                        parsed.exact[parsed.n_exact++] = s;
        }
        qsort(parsed.exact, parsed.n_exact, sizeof(char *), compare_strings);
        *ret = parsed;
        return 0;
}

int tether_select_parse(const char *pattern, struct tether_select **ret, struct tether_error *error) {
        _cleanup_(tether_select_freep) struct tether_select *select = NULL;
        char quoted[TETHER_QUOTE_SIZE];
        size_t length, n_terms = 1, total = 0;
        const char *p;
        int r;

        if (!pattern || pattern[0] == '\0')
                return tether_error_set(error, -EINVAL,
                                        "empty host pattern: give host names, globs (web-*), ranges "
                                        "(web-[01-05]) or tag:GLOB, separated by ','");
        length = strnlen(pattern, TETHER_SELECT_PATTERN_MAX + 1);
        if (length > TETHER_SELECT_PATTERN_MAX)
                return tether_error_set(error, -E2BIG, "host pattern %s is longer than %u bytes",
                                        tether_quote(pattern, length, quoted), TETHER_SELECT_PATTERN_MAX);

        for (p = tether_hostlist_item_end(pattern); *p; p = tether_hostlist_item_end(p + 1))
                n_terms++;
        select = calloc(1, sizeof(*select));
        if (!select)
                return tether_error_set(error, -ENOMEM, "out of memory");
        select->terms = calloc(n_terms, sizeof(*select->terms));
        if (!select->terms)
                return tether_error_set(error, -ENOMEM, "out of memory");

        p = pattern;
        for (size_t i = 0; i < n_terms; i++) {
                const char *end = tether_hostlist_item_end(p);
                struct select_term *term = &select->terms[i];

                if (end == p)
                        return tether_error_set(error, -EINVAL,
                                                "host pattern %s: term %zu is empty: a ',' with nothing "
                                                "before or after it",
                                                tether_quote(pattern, length, quoted), i + 1);
                r = parse_term(p, (size_t)(end - p), &total, term, error);
                if (r < 0)
                        return r;
                select->n_terms++;
                if (!term->exclude && !term->intersect)
                        select->any_include = true;
                p = end + 1;
        }

        *ret = TAKE_PTR(select);
        return 0;
}

static bool match_string(const struct select_term *term, const char *s) {
        if (term->n_exact > 0 && bsearch(&s, term->exact, term->n_exact, sizeof(char *), compare_strings))
                return true;
        for (size_t i = 0; i < term->n_globs; i++)
                if (fnmatch(term->globs[i], s, 0) == 0)
                        return true;
        return term->range_glob && tether_range_glob_match(term->range_glob, s);
}

/* Whether one of the host's tags is an exact name of the term, or (for a
 * tag: term) matches one of its globs. */
static bool match_tags(const struct select_term *term, const struct tether_host *host) {
        for (size_t i = 0; host->tags && i < host->n_tags; i++) {
                const char *tag = host->tags[i];

                if (!tag)
                        continue;
                if (term->tag ? match_string(term, tag)
                              : term->n_exact > 0 && bsearch(&tag, term->exact, term->n_exact,
                                                             sizeof(char *), compare_strings))
                        return true;
        }
        return false;
}

/* A tag: term matches tags; any other matches names, and its exact names
 * match tags too, as a bare group name does in Ansible ("web" is the host
 * web or the hosts tagged web; "web-*" is names only). */
static bool match_term(const struct select_term *term, const struct tether_host *host) {
        if (!term->tag && host->name && match_string(term, host->name))
                return true;
        return match_tags(term, host);
}

bool tether_select_match(const struct tether_select *select, const struct tether_host *host) {
        bool selected;

        if (!select || !host)
                return false;
        selected = !select->any_include;
        for (size_t i = 0; i < select->n_terms; i++) {
                const struct select_term *term = &select->terms[i];

                if (term->exclude || term->intersect) {
                        if (match_term(term, host) == term->exclude)
                                return false;
                        continue;
                }
                /* Once selected, only an exclusion or an intersection can change the answer. */
                if (!selected && match_term(term, host))
                        selected = true;
        }
        return selected;
}

/* Decimal digits only, at least one; values above TETHER_SHARD_MAX come
 * back as TETHER_SHARD_MAX + 1 however long they are. */
static bool parse_shard_number(const char *s, size_t length, unsigned *ret) {
        unsigned value = 0;

        if (length == 0)
                return false;
        for (size_t i = 0; i < length; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return false;
                value = value * 10 + (unsigned)(s[i] - '0');
                if (value > TETHER_SHARD_MAX)
                        value = TETHER_SHARD_MAX + 1;
        }
        *ret = value;
        return true;
}

int tether_shard_parse(const char *text, unsigned *ret_index, unsigned *ret_count,
                       struct tether_error *error) {
        char quoted[TETHER_QUOTE_SIZE];
        const char *slash;
        unsigned index, count;

        if (!text)
                text = "";
        tether_quote(text, strlen(text), quoted);
        slash = strchr(text, '/');
        if (!slash || !parse_shard_number(text, (size_t)(slash - text), &index) ||
            !parse_shard_number(slash + 1, strlen(slash + 1), &count))
                return tether_error_set(error, -EINVAL,
                                        "shard %s: expected K/N, two numbers such as 2/4 (the second of "
                                        "4 shards)",
                                        quoted);
        if (count < 1 || count > TETHER_SHARD_MAX)
                return tether_error_set(error, -ERANGE, "shard %s: N must be between 1 and %u", quoted,
                                        TETHER_SHARD_MAX);
        if (index < 1 || index > count)
                return tether_error_set(error, -ERANGE, "shard %s: K must be between 1 and N (%u)", quoted,
                                        count);
        *ret_index = index - 1;
        *ret_count = count;
        return 0;
}

unsigned tether_shard_of(const char *name, unsigned count) {
        uint8_t digest[TETHER_SHA256_SIZE];
        struct tether_sha256 ctx;
        uint64_t value = 0;

        if (count <= 1 || !name)
                return 0;
        tether_sha256_init(&ctx);
        tether_sha256_update(&ctx, name, strlen(name));
        tether_sha256_final(&ctx, digest);
        for (int i = 0; i < 8; i++)
                value = value << 8 | digest[i];
        return (unsigned)(value % count);
}

int tether_select_pattern_of_list(const char *text, const char *origin, char **ret,
                                  struct tether_error *error) {
        _cleanup_free_ char *pattern = NULL;
        size_t used = 0, size = strlen(text) + 1;

        pattern = malloc(size);
        if (!pattern)
                return tether_error_set(error, -ENOMEM, "out of memory");
        for (const char *line = text; *line;) {
                const char *end = line + strcspn(line, "\n");
                const char *start = line + strspn(line, " \t");
                const char *stop = end;

                while (stop > start && (stop[-1] == ' ' || stop[-1] == '\t' || stop[-1] == '\r'))
                        stop--;
                if (stop > start && *start != '#') {
                        if (used > 0)
                                pattern[used++] = ',';
                        memcpy(pattern + used, start, (size_t)(stop - start));
                        used += (size_t)(stop - start);
                }
                line = *end ? end + 1 : end;
        }
        pattern[used] = '\0';
        if (used == 0)
                return tether_error_set(error, -EINVAL,
                                        "%s names no host: write one host name or pattern a line", origin);
        if (used > TETHER_SELECT_PATTERN_MAX)
                return tether_error_set(error, -E2BIG, "%s holds more than %u bytes of host names", origin,
                                        TETHER_SELECT_PATTERN_MAX);
        *ret = TAKE_PTR(pattern);
        return 0;
}
