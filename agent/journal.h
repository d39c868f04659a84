/* SPDX-License-Identifier: MIT */
/*
 * The host's journal, both ways: every change the agent makes is written to
 * it with structured fields (journalctl -t tether-agent is the host's own
 * audit trail), and docker's recent starts are counted from it.
 */
#pragma once

#include <stdint.h>

struct journal_change {
        const char *verb;    /* apply, revert, test */
        const char *action;  /* wrote, removed, reloaded, restarted, rolled-back */
        const char *unit;    /* the unit concerned, or NULL */
        const char *file;    /* the file changed, or NULL */
        const char *before;  /* contents before (NULL: absent) */
        const char *after;   /* contents after (NULL: absent) */
        const char *message; /* a sentence for humans */
};

void journal_set_run_id(const char *run_id);
void journal_log_change(const struct journal_change *change);

/* Records that the verb made systemd reload its units. */
void journal_log_reload(const char *verb);

/* How many times systemd started unit since since_usec (CLOCK_REALTIME);
 * the first max of their times, oldest first, go to ret_times. */
unsigned journal_count_starts(const char *unit, uint64_t since_usec, uint64_t *ret_times, unsigned max);
