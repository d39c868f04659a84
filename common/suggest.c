/* SPDX-License-Identifier: MIT */
/*
 * "Did you mean" (see suggest.h): the optimal string alignment distance,
 * Levenshtein's with a swap of two adjacent bytes as one edit, so "prot"
 * is one edit from "port", as a typist would count it:
 *
 *   "adress"  -> "address"   1 (an insertion)
 *   "hsots"   -> "hosts"     1 (a swap)
 *   "usr"     -> "user"      1
 *   "firewal" -> "tags"      7, too far: no suggestion
 *
 * Three rows of the dynamic programming table are kept: the current one,
 * the one before it, and the one before that, for swaps.
 */
#include <stdint.h>
#include <string.h>

#include "suggest.h"

/* A suggestion is at most this many edits away. */
#define SUGGEST_DISTANCE_MAX 2

static size_t min_size(size_t a, size_t b) {
        return a < b ? a : b;
}

size_t tether_suggest_distance(const char *a, const char *b) {
        size_t a_length = strnlen(a, TETHER_SUGGEST_WORD_MAX + 1);
        size_t b_length = strnlen(b, TETHER_SUGGEST_WORD_MAX + 1);
        size_t rows[3][TETHER_SUGGEST_WORD_MAX + 1];
        size_t *before = rows[0], *previous = rows[1], *current = rows[2];

        if (a_length > TETHER_SUGGEST_WORD_MAX || b_length > TETHER_SUGGEST_WORD_MAX)
                return SIZE_MAX;
        for (size_t j = 0; j <= b_length; j++)
                previous[j] = j;
        for (size_t i = 1; i <= a_length; i++) {
                size_t *recycled = before;

                current[0] = i;
                for (size_t j = 1; j <= b_length; j++) {
                        size_t best = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);

                        best = min_size(best, previous[j] + 1);
                        best = min_size(best, current[j - 1] + 1);
                        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                                best = min_size(best, before[j - 2] + 1);
                        current[j] = best;
                }
                before = previous;
                previous = current;
                current = recycled;
        }
        return previous[b_length];
}

const char *tether_suggest_closest(const char *word, const char *const *words, size_t n) {
        const char *best = NULL;
        size_t best_distance = SUGGEST_DISTANCE_MAX + 1;

        for (size_t i = 0; i < n; i++) {
                size_t distance = tether_suggest_distance(word, words[i]);

                if (distance < best_distance) {
                        best = words[i];
                        best_distance = distance;
                }
        }
        return best;
}
