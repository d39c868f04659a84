/* SPDX-License-Identifier: MIT */
/*
 * Globs that keep their hostlist ranges, for --limit (see select.h):
 * "db-[0-999999]*" matches db-7x by reading 7 as a number in 0..999999,
 * without expanding a million globs. A glob is made of
 *   *  ?           any run of characters, any one character
 *   [01-05,9]      a range: a bracket of only digits, ',' and '-'; a bound
 *                  with a leading zero pads its item to that width
 *   [a-c] [!0-9]   any other bracket: a class, as fnmatch() reads it in the
 *                  C locale ('^' as '!', a ']' first is a member)
 *   anything else  itself; an unclosed '[' too
 *
 * Matching takes time linear in the length of the glob times the length of
 * the name (times the items of a range): the positions already known to fail
 * after each '*' and range are remembered, so "*a*a*a*a*b" or a run of
 * ranges does not make the search exponential.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct tether_range_glob;

/* Compiles the length bytes of text (need not be NUL-terminated). 0 and a
 * new glob in *ret that the caller frees; -ENOMEM, *ret untouched. */
int tether_range_glob_new(const char *text, size_t length, struct tether_range_glob **ret);

/* Whether the glob matches the whole of name. */
bool tether_range_glob_match(const struct tether_range_glob *glob, const char *name);

/* Frees glob; accepts NULL; returns NULL. */
struct tether_range_glob *tether_range_glob_free(struct tether_range_glob *glob);
