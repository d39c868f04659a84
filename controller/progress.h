/* SPDX-License-Identifier: MIT */
/*
 * What a run prints as its hosts finish: a line a host on stdout, and on a
 * terminal a progress line on stderr, redrawn (see progress.c).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "host-job.h"
#include "options.h"
#include "verbs.h"

struct progress {
        const struct options *options; /* borrowed */
        const struct verb *verb;       /* borrowed */
        unsigned name_width;
        size_t finished, total;
        bool redraw;     /* redraw a progress line on stderr (a terminal) */
        FILE *lines;     /* where the hosts' lines go: stdout, or stderr when stdout takes a report */
        bool lines_gone; /* a write failed (EPIPE: `| head -1`): print no more lines */
        uint64_t started_usec;
        /* Hosts finished so far by verdict, in the order the verdicts first came. */
        enum host_verdict seen[_HOST_VERDICT_MAX];
        size_t n_seen;
        size_t counts[_HOST_VERDICT_MAX];
};

/* For a run of verb over the n hosts of results; lines: where the hosts'
 * lines go (borrowed). */
void progress_init(struct progress *progress, const struct verb *verb, const struct options *options,
                   struct host_result *const *results, size_t n, FILE *lines);

/* Prints text on progress->lines, unless a write there failed before: a
 * reader that went away (EPIPE) gets nothing more, and the run goes on. */
void progress_print(struct progress *progress, const char *text);

/* The pool's finished() callback: userdata is the struct progress. */
void progress_host_finished(struct host_result *result, void *userdata);

/* Wipes the progress line, if one is drawn, before other output. */
void progress_clear(const struct progress *progress);

/* Whether stdout or stderr may take colours and redrawn lines: a terminal
 * that is not TERM=dumb (NO_COLOR is for colours alone). */
bool terminal_is_smart(int fd);
