/* SPDX-License-Identifier: MIT */
/*
 * A unit from `systemctl show` output (see unit-show.h). One table names
 * each property once: what to ask for, and how its value reads back.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "unit-show.h"

enum show_kind {
        SHOW_STRING,
        SHOW_STRV,                /* words separated by spaces */
        SHOW_BOOL,                /* yes, no */
        SHOW_U32,                 /* decimal digits */
        SHOW_TIMESPAN,            /* "1min 30s": microseconds */
        SHOW_MONOTONIC_TIMESTAMP, /* microseconds of CLOCK_MONOTONIC, 0: never; kept as wall-clock */
        SHOW_INVOCATION_ID,       /* 32 hex digits, or empty */
        SHOW_JOB,                 /* a job's number, or empty */
        SHOW_EXEC_RELOAD,         /* one line a command: "{ path=... ; argv[]=... ; ... }" */
        SHOW_EXEC_START_POST,
};

struct show_property {
        const char *name;
        enum show_kind kind;
        size_t offset; /* in struct tether_unit; for the kinds that fill one field */
};

#define SHOW(n, k, field) \
        { n, k, offsetof(struct tether_unit, field) }

/* As agent/bus.c reads them through D-Bus, with ActiveEnterTimestamp asked
 * for as its monotonic twin. */
static const struct show_property properties[] = {
        SHOW("Id", SHOW_STRING, id),
        SHOW("Names", SHOW_STRV, names),
        SHOW("LoadState", SHOW_STRING, load_state),
        SHOW("ActiveState", SHOW_STRING, active_state),
        SHOW("SubState", SHOW_STRING, sub_state),
        SHOW("UnitFileState", SHOW_STRING, unit_file_state),
        SHOW("FragmentPath", SHOW_STRING, fragment_path),
        SHOW("DropInPaths", SHOW_STRV, drop_in_paths),
        SHOW("After", SHOW_STRV, after),
        SHOW("Requires", SHOW_STRV, requires),
        SHOW("Wants", SHOW_STRV, wants),
        SHOW("BindsTo", SHOW_STRV, binds_to),
        SHOW("PartOf", SHOW_STRV, part_of),
        SHOW("NeedDaemonReload", SHOW_BOOL, need_daemon_reload),
        SHOW("ActiveEnterTimestampMonotonic", SHOW_MONOTONIC_TIMESTAMP, active_enter_usec),
        SHOW("StartLimitIntervalUSec", SHOW_TIMESPAN, start_limit_interval_usec),
        SHOW("StartLimitBurst", SHOW_U32, start_limit_burst),
        SHOW("InvocationID", SHOW_INVOCATION_ID, invocation_id),
        SHOW("Job", SHOW_JOB, has_job),
        SHOW("Result", SHOW_STRING, result),
        SHOW("MainPID", SHOW_U32, main_pid),
        SHOW("NRestarts", SHOW_U32, n_restarts),
        SHOW("ExecReload", SHOW_EXEC_RELOAD, has_exec_reload),
        SHOW("ExecStartPost", SHOW_EXEC_START_POST, exec_start_post_restarts_docker),
};

char *tether_unit_show_properties(void) {
        size_t size = 1, at = 0;
        char *list;

        for (size_t i = 0; i < ELEMENTSOF(properties); i++)
                size += strlen(properties[i].name) + 1;
        list = malloc(size);
        if (!list)
                return NULL;
        for (size_t i = 0; i < ELEMENTSOF(properties); i++)
                at += (size_t)snprintf(list + at, size - at, "%s%s", i ? "," : "", properties[i].name);
        return list;
}

/* ---- values ------------------------------------------------------------ */

/* Decimal digits into *ret, no more than max. */
static int parse_u64(const char *text, size_t length, uint64_t max, uint64_t *ret) {
        uint64_t value = 0;

        if (length == 0)
                return -EINVAL;
        for (size_t i = 0; i < length; i++) {
                unsigned digit = (unsigned)(text[i] - '0');

                if (digit > 9 || value > (max - digit) / 10)
                        return -EINVAL;
                value = value * 10 + digit;
        }
        *ret = value;
        return 0;
}

static const struct {
        const char *suffix;
        uint64_t usec;
} timespan_units[] = {
        /* Longest first where one is the start of another ("ms" before "m"). */
        {"month", 2629800ULL * 1000000ULL},
        {"min", 60ULL * 1000000ULL},
        {"us", 1ULL},
        {"ms", 1000ULL},
        {"s", 1000000ULL},
        {"h", 3600ULL * 1000000ULL},
        {"d", 86400ULL * 1000000ULL},
        {"w", 7ULL * 86400ULL * 1000000ULL},
        {"y", 31557600ULL * 1000000ULL},
};

/* One "1.5min" of a span: its microseconds into *ret. */
static int parse_timespan_part(const char *part, size_t length, uint64_t *ret) {
        size_t digits = strspn(part, "0123456789"), fraction = 0;
        uint64_t whole, numerator = 0, denominator = 1;
        const char *rest;

        if (digits > length || parse_u64(part, digits, UINT32_MAX, &whole) < 0)
                return -EINVAL;
        rest = part + digits;
        if (rest < part + length && *rest == '.') {
                rest++;
                fraction = strspn(rest, "0123456789");
                if (fraction == 0 || fraction > 9 || parse_u64(rest, fraction, UINT64_MAX, &numerator) < 0)
                        return -EINVAL;
                for (size_t i = 0; i < fraction; i++)
                        denominator *= 10;
                rest += fraction;
        }
        for (size_t i = 0; i < ELEMENTSOF(timespan_units); i++) {
                size_t n = strlen(timespan_units[i].suffix);

                if ((size_t)(part + length - rest) != n || strncmp(rest, timespan_units[i].suffix, n) != 0)
                        continue;
                uint64_t unit = timespan_units[i].usec;
                /* numerator < denominator <= 10^9: neither product overflows. */
                uint64_t fractional =
                        unit / denominator * numerator + unit % denominator * numerator / denominator;

                if (whole > (UINT64_MAX - 1 - fractional) / unit)
                        return -EINVAL;
                *ret = whole * unit + fractional;
                return 0;
        }
        return -EINVAL;
}

int tether_parse_timespan(const char *text, uint64_t *ret) {
        uint64_t total = 0;

        if (!text || !*text)
                return -EINVAL;
        if (strcmp(text, "infinity") == 0) {
                *ret = UINT64_MAX;
                return 0;
        }
        if (strcmp(text, "0") == 0) {
                *ret = 0;
                return 0;
        }
        for (const char *p = text; *p;) {
                size_t length = strcspn(p, " ");
                uint64_t part;

                if (length == 0 || parse_timespan_part(p, length, &part) < 0 ||
                    part > UINT64_MAX - 1 - total)
                        return -EINVAL;
                total += part;
                p += length;
                if (*p == ' ' && !*++p)
                        return -EINVAL; /* a trailing blank */
        }
        *ret = total;
        return 0;
}

static int parse_words(const char *value, char ***ret) {
        char **words = calloc(1, sizeof(char *));

        if (!words)
                return -ENOMEM;
        for (const char *p = value; *p;) {
                size_t length;

                p += strspn(p, " ");
                length = strcspn(p, " ");
                if (length > 0 && strv_push(&words, strndup(p, length)) < 0) {
                        strv_free(words);
                        return -ENOMEM;
                }
                p += length;
        }
        strv_free(*ret);
        *ret = words;
        return 0;
}

static int parse_hex128(const char *value, uint8_t bytes[static 16]) {
        static const char digits[] = "0123456789abcdef";
        uint8_t parsed[16];

        if (!*value) {
                memset(bytes, 0, 16);
                return 0;
        }
        if (strlen(value) != 32)
                return -EINVAL;
        for (size_t i = 0; i < 16; i++) {
                const char *high = strchr(digits, value[2 * i]), *low = strchr(digits, value[2 * i + 1]);

                if (!high || !low || !value[2 * i] || !value[2 * i + 1])
                        return -EINVAL;
                parsed[i] = (uint8_t)((high - digits) << 4 | (low - digits));
        }
        memcpy(bytes, parsed, 16);
        return 0;
}

/* The text of field ("path=") in one command of an Exec property, up
 * to the " ;" that ends it: its start, and its length in *ret_length. */
static const char *exec_field(const char *value, const char *field, size_t *ret_length) {
        const char *start = strstr(value, field), *end;

        if (!start)
                return NULL;
        start += strlen(field);
        end = strstr(start, " ;");
        *ret_length = end ? (size_t)(end - start) : strlen(start);
        return start;
}

static bool word_is(const char *word, size_t length, const char *expected) {
        return length == strlen(expected) && strncmp(word, expected, length) == 0;
}

/* Whether one command ("{ path=... ; argv[]=... ; ... }") is systemctl
 * try-restart docker, as agent/bus.c's read_exec() tells it. */
static bool exec_try_restarts_docker(const char *value) {
        size_t path_length = 0, argv_length = 0;
        const char *path = exec_field(value, "path=", &path_length);
        const char *argv = exec_field(value, "argv[]=", &argv_length);
        bool try_restart = false, docker = false;
        _cleanup_free_ char *binary = NULL;

        if (!path || !argv || !(binary = strndup(path, path_length)) || !strstr(binary, "systemctl"))
                return false;
        for (size_t i = 0; i < argv_length;) {
                size_t length = strcspn(argv + i, " ");

                if (length > argv_length - i)
                        length = argv_length - i;
                if (word_is(argv + i, length, "try-restart"))
                        try_restart = true;
                else if (word_is(argv + i, length, "docker.service") || word_is(argv + i, length, "docker"))
                        docker = true;
                i += length + 1;
        }
        return try_restart && docker;
}

static int read_value(const struct show_property *property, const char *value,
                      const struct tether_host_clocks *clocks, struct tether_unit *unit) {
        void *field = (char *)unit + property->offset;
        uint64_t number;
        char *copy;

        switch (property->kind) {
        case SHOW_STRING:
                copy = strdup(value);
                if (!copy)
                        return -ENOMEM;
                free(*(char **)field);
                *(char **)field = copy;
                return 0;
        case SHOW_STRV:
                return parse_words(value, (char ***)field);
        case SHOW_BOOL:
                if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
                        return -EINVAL;
                *(bool *)field = value[0] == 'y';
                return 0;
        case SHOW_U32:
                if (parse_u64(value, strlen(value), UINT32_MAX, &number) < 0)
                        return -EINVAL;
                *(uint32_t *)field = (uint32_t)number;
                return 0;
        case SHOW_TIMESPAN:
                return tether_parse_timespan(value, (uint64_t *)field);
        case SHOW_MONOTONIC_TIMESTAMP:
                if (parse_u64(value, strlen(value), UINT64_MAX, &number) < 0)
                        return -EINVAL;
                /* Never entered, or (a clock read wrong) later than now: not known. */
                *(uint64_t *)field = number == 0 || number > clocks->monotonic_usec ||
                                                     clocks->monotonic_usec - number > clocks->realtime_usec
                                             ? 0
                                             : clocks->realtime_usec - (clocks->monotonic_usec - number);
                return 0;
        case SHOW_INVOCATION_ID:
                return parse_hex128(value, (uint8_t *)field);
        case SHOW_JOB:
                if (!*value) {
                        *(bool *)field = false;
                        return 0;
                }
                if (parse_u64(value, strlen(value), UINT32_MAX, &number) < 0)
                        return -EINVAL;
                *(bool *)field = number != 0;
                return 0;
        case SHOW_EXEC_RELOAD:
                /* One line a command; an empty value is none. */
                if (*value && strncmp(value, "{ ", 2) != 0)
                        return -EINVAL;
                *(bool *)field |= *value != '\0';
                return 0;
        case SHOW_EXEC_START_POST:
                if (*value && strncmp(value, "{ ", 2) != 0)
                        return -EINVAL;
                *(bool *)field |= exec_try_restarts_docker(value);
                return 0;
        }
        return -EINVAL;
}

/* ---- lines ------------------------------------------------------------- */

static const struct show_property *property_named(const char *name, size_t length) {
        for (size_t i = 0; i < ELEMENTSOF(properties); i++)
                if (strlen(properties[i].name) == length && strncmp(properties[i].name, name, length) == 0)
                        return &properties[i];
        return NULL;
}

int tether_unit_from_show(const char *name, const char *text, const struct tether_host_clocks *clocks,
                          struct tether_unit **ret, struct tether_error *error) {
        _cleanup_(tether_unit_freep) struct tether_unit *unit = tether_unit_new(name);
        unsigned line_number = 0;

        if (!unit)
                return tether_error_set(error, -ENOMEM, "out of memory");
        for (const char *line = text; *line;) {
                size_t length = strcspn(line, "\n"), key_length = strcspn(line, "=\n");
                const struct show_property *property;
                _cleanup_free_ char *value = NULL;
                int r;

                line_number++;
                property = key_length < length ? property_named(line, key_length) : NULL;
                if (property) {
                        value = strndup(line + key_length + 1, length - key_length - 1);
                        if (!value)
                                return tether_error_set(error, -ENOMEM, "out of memory");
                        r = read_value(property, value, clocks, unit);
                        if (r == -ENOMEM)
                                return tether_error_set(error, r, "out of memory");
                        if (r < 0)
                                return tether_error_set(error, -EBADMSG,
                                                        "systemctl show %s, line %u: %s= cannot be '%.64s'",
                                                        name, line_number, property->name, value);
                }
                line += length;
                if (*line)
                        line++;
        }
        *ret = TAKE_PTR(unit);
        return 0;
}
