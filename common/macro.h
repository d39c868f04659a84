/* SPDX-License-Identifier: MIT */
/*
 * Small helpers every tether source file uses: scope-based cleanup
 * (__attribute__((cleanup)), as systemd's alloc-util.h and fd-util.h have
 * it), ownership hand-off with TAKE_PTR(), and array sizes.
 */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))

#define _unused_ __attribute__((unused))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _cleanup_(f) __attribute__((cleanup(f)))

/* Hand the pointer out and leave NULL behind, so the cleanup of the
 * local variable does not free what the caller now owns. */
#define TAKE_PTR(p)                         \
        ({                                  \
                __typeof__(p) _taken = (p); \
                (p) = NULL;                 \
                _taken;                     \
        })

#define TAKE_FD(fd)                   \
        ({                            \
                int _taken_fd = (fd); \
                (fd) = -1;            \
                _taken_fd;            \
        })

static inline void freep(void *p) {
        free(*(void **)p);
}
#define _cleanup_free_ _cleanup_(freep)

static inline void closep(int *fd) {
        if (*fd >= 0) {
                int saved_errno = errno;
                close(*fd);
                errno = saved_errno;
        }
}
#define _cleanup_close_ _cleanup_(closep)

/* For a stream read, or one given up on an error path: a stream whose
 * writes must land is closed by hand, and that fclose() checked. */
static inline void fclosep(FILE **f) {
        if (*f)
                (void)fclose(*f);
}
#define _cleanup_fclose_ _cleanup_(fclosep)

/* Free a NULL-terminated array of strings. */
static inline void strv_free(char **strv) {
        if (!strv)
                return;
        for (char **s = strv; *s; s++)
                free(*s);
        free(strv);
}
static inline bool strv_contains(char *const *strv, const char *s) {
        for (size_t i = 0; strv && strv[i]; i++)
                if (strcmp(strv[i], s) == 0)
                        return true;
        return false;
}

/* Appends s (stolen, also on failure) to the NULL-terminated *strv, which
 * may be NULL. 0, or -ENOMEM (also for s NULL, so that strdup()'s result
 * can be passed as it is). */
static inline int strv_push(char ***strv, char *s) {
        size_t n = 0;
        char **grown;

        if (!s)
                return -ENOMEM;
        while (*strv && (*strv)[n])
                n++;
        grown = (char **)realloc(*strv, (n + 2) * sizeof(char *));
        if (!grown) {
                free(s);
                return -ENOMEM;
        }
        grown[n] = s;
        grown[n + 1] = NULL;
        *strv = grown;
        return 0;
}

/* The index of s in table (n entries; NULL entries match nothing), or -1
 * for a string that is not there or NULL: the one lookup behind every
 * *_from_string() of a name table (systemd's string_table_lookup()). */
static inline int string_table_lookup(const char *const *table, size_t n, const char *s) {
        for (size_t i = 0; s && i < n; i++)
                if (table[i] && strcmp(s, table[i]) == 0)
                        return (int)i;
        return -1;
}

static inline void strv_freep(char ***strv) {
        strv_free(*strv);
}
#define _cleanup_strv_free_ _cleanup_(strv_freep)

static inline int negative_errno(void) {
        return errno > 0 ? -errno : -EIO;
}
