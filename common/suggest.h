/* SPDX-License-Identifier: MIT */
/*
 * "Did you mean": the word of a short list closest to one that is not in
 * it, for messages about a misspelt key ("prot" gives "port", "adress"
 * gives "address"). Words are compared byte by byte.
 */
#pragma once

#include <stddef.h>

/* Words longer than this are never suggested, nor suggested for: the
 * distance takes time in the product of the two lengths. */
#define TETHER_SUGGEST_WORD_MAX 64u

/* The edits that turn a into b: a byte inserted, deleted, replaced, or two
 * adjacent bytes swapped (the optimal string alignment distance). Both are
 * at most TETHER_SUGGEST_WORD_MAX bytes long; (size_t)-1 otherwise. */
size_t tether_suggest_distance(const char *a, const char *b);

/* The first of the n words (borrowed) at the smallest distance from word,
 * if that is at most 2 edits; NULL when none is that close. A word that is
 * in the list is its own suggestion. */
const char *tether_suggest_closest(const char *word, const char *const *words, size_t n);
