/* SPDX-License-Identifier: MIT */
/*
 * Choosing hosts: `--limit PATTERN`, after Ansible's --limit, and
 * `--shard K/N`, which splits a fleet into N stable parts.
 *
 * A pattern is terms separated by ',' (a ',' inside [...] belongs to the
 * bracket). A term is
 *   web-01            a host name
 *   web-*  db-0?      a shell glob on names (fnmatch: * ? [a-c] [!0-9])
 *   web-[01-05,09]    a range, as tether_hostlist_expand() reads it: a
 *                     bracket of only digits, ',' and '-' is a range, any
 *                     other is a glob class; "[13]" is 13, not 1 or 3
 *   tag:GLOB          hosts with a tag that GLOB matches (ranges too)
 * A name (or a range's name) also selects the hosts tagged with it, as a
 * group name does in Ansible: "prod" is the host prod and the hosts tagged
 * prod; globs match names only. A term that starts with '!' excludes the
 * hosts it matches, and one that starts with '&' keeps only the hosts it
 * matches. A host is selected when it matches a plain term (or there are
 * none), every '&' term, and no '!' term: "web-*,!web-03",
 * "tag:prod,!tag:canary", "!db-*", "tag:web,&tag:prod". Matching is
 * case-sensitive.
 */
#pragma once

#include <stdbool.h>

#include "error.h"
#include "inventory.h"

#define TETHER_SELECT_PATTERN_MAX 65536u /* bytes in a pattern */
#define TETHER_SHARD_MAX 10000u          /* N in K/N */

struct tether_select;

/* Parses pattern. On success returns 0 and *ret is a new selection the
 * caller frees with tether_select_free(). On failure *ret is untouched and
 * error (may be NULL) names the term and the problem: -EINVAL for an empty
 * pattern or term, a character outside [A-Za-z0-9._*?!&[]:,-], a '!', '&'
 * or ':' out of place, an empty tag glob or a malformed range; -E2BIG for a
 * pattern longer than TETHER_SELECT_PATTERN_MAX or ranges that expand to
 * more than TETHER_HOSTLIST_MAX names in all; -ENOMEM. */
int tether_select_parse(const char *pattern, struct tether_select **ret, struct tether_error *error);

/* Whether host (borrowed) is selected. Exact names and ranges are found by
 * binary search; each glob is tried in turn, and a glob with ranges
 * ("db-[0-999999]*") is one glob whose ranges are matched as numbers, not a
 * glob for each number. */
bool tether_select_match(const struct tether_select *select, const struct tether_host *host);

/* Frees select; accepts NULL; returns NULL. */
struct tether_select *tether_select_free(struct tether_select *select);

static inline void tether_select_freep(struct tether_select **select) {
        tether_select_free(*select);
}
#define _cleanup_select_ _cleanup_(tether_select_freep)

/* Parses "K/N", 1 <= K <= N <= TETHER_SHARD_MAX, decimal digits only. On
 * success returns 0, *ret_index is K - 1 (0-based, to compare with
 * tether_shard_of()) and *ret_count is N. On failure both are untouched,
 * error (may be NULL) names the problem, and the code is -EINVAL for text
 * that is not two numbers around a '/', -ERANGE for N or K out of range. */
int tether_shard_parse(const char *text, unsigned *ret_index, unsigned *ret_count,
                       struct tether_error *error);

/* The shard of the host named name among count, 0..count-1: the first 8
 * bytes of SHA-256(name), big-endian, modulo count. It depends on nothing
 * but the name and count, so adding or removing other hosts moves no host.
 * count 0 is taken as 1. */
unsigned tether_shard_of(const char *name, unsigned count);

/* The pattern of a list of hosts, as `--limit @FILE` reads FILE (a retry
 * file that --retry-file wrote, or one written by hand): one term a line,
 * blank lines and lines starting with '#' skipped, surrounding blanks cut;
 * the terms joined by ','. origin names the file in messages. 0 and a new
 * string in *ret (untouched on failure); -EINVAL when the list holds no
 * term; -E2BIG past TETHER_SELECT_PATTERN_MAX; -ENOMEM. */
int tether_select_pattern_of_list(const char *text, const char *origin, char **ret,
                                  struct tether_error *error);
