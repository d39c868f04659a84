/* SPDX-License-Identifier: MIT */
/*
 * Host lists folded into ranges, as ClusterShell's nodeset and pdsh's
 * hostlist write them, for one-line summaries ("web-[01-03,05], db-01"),
 * and expanded back, for `--limit web-[01-05]`.
 *
 * A name is a prefix, the last run of digits in it and a suffix:
 * "rack1-node07.dc" is "rack1-node", "07", ".dc". Names that share prefix,
 * suffix and the width of that run fold into one "prefix[ranges]suffix".
 * The width is the number of digits; a run with a leading zero ("07") is
 * padded and folds only with runs of its width ("10" included); runs
 * without one fold whatever their length ("n9", "n10" give "n[9-10]")
 * unless a padded group of their width claims them.
 */
#pragma once

#include <stddef.h>

#include "error.h"
#include "validate.h"

#define TETHER_HOSTLIST_NAME_MAX TETHER_HOST_NAME_MAX /* characters in a name, folded or expanded */
#define TETHER_HOSTLIST_MAX 1000000u                  /* names folded, or expanded from one list */
#define TETHER_HOSTLIST_DIGITS_MAX 18u                /* longer digit runs are not numbers */

/* The n names folded into ranges, separated by ",", so that the list is a
 * --limit pattern that selects them (see select.h). names is borrowed and
 * may hold duplicates (dropped) in any order; the result does not depend on
 * the order. Sorted by prefix, then suffix (byte order), then number; a
 * name without digits, or with a run longer than TETHER_HOSTLIST_DIGITS_MAX,
 * stands as it is. A group of one stays plain ("db-01"). n == 0 gives "".
 *
 * Names made of [A-Za-z0-9._-] (host names: see validate.h) come back
 * from tether_hostlist_expand() as they went in; others are copied as they
 * are, and a '[', ',' or space in them will not survive the round trip.
 *
 * Returns a new string the caller frees, or NULL with errno set: ENOMEM;
 * E2BIG for more than TETHER_HOSTLIST_MAX names or a name longer than
 * TETHER_HOSTLIST_NAME_MAX; EINVAL for a NULL or empty name. */
char *tether_hostlist_fold(const char *const *names, size_t n);

/* The names of a folded list, in the order written (duplicates kept):
 * items separated by ',' (spaces around it are ignored), each a name with
 * any number of brackets of comma-separated numbers and ranges:
 * "web-[01-03,05]", "rack[1-2]-node[1-2]" (rack1-node1, rack1-node2,
 * rack2-node1, ...). A bound with a leading zero pads the range to its
 * width, and then both bounds must have that width: "[08-10]" is 08, 09, 10;
 * "[8-10]" is 8, 9, 10; "[8-010]" is an error. "" gives no names.
 *
 * On success returns 0, *ret is a new NULL-terminated array of new strings
 * (free it with strv_free()) and *ret_n its length. On failure *ret and
 * *ret_n are untouched, error (may be NULL) names the item and the
 * problem, and the code is: -EINVAL for folded NULL or a malformed list
 * (unbalanced or nested brackets, an empty item, bracket or range, a bound
 * that is not a number, a reversed range "[5-1]", mismatched padding,
 * whitespace or a control character inside a name); -E2BIG for more than TETHER_HOSTLIST_MAX
 * names, a name longer than TETHER_HOSTLIST_NAME_MAX or a number longer
 * than TETHER_HOSTLIST_DIGITS_MAX digits; -ENOMEM. */
int tether_hostlist_expand(const char *folded, char ***ret, size_t *ret_n, struct tether_error *error);

/* For host patterns (see select.h): like tether_hostlist_expand(), but a
 * bracket holding anything other than digits, ',' and '-' is kept as
 * written, a glob class for fnmatch(): "web-[a-c]*", "db[!0-9]". A bracket
 * of only those characters is a range and must be a valid one. Error
 * messages begin with what (say `host pattern term "web-[5-1]"`) instead
 * of the quoted item; what NULL quotes the item. */
int tether_hostlist_expand_glob(const char *pattern, const char *what, char ***ret, size_t *ret_n,
                                struct tether_error *error);

/* The end of the list item that starts at p: the first ',' outside
 * brackets, or the end of the string ("web-[01,03],db" ends before ",db"). */
const char *tether_hostlist_item_end(const char *p);
