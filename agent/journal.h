/* SPDX-License-Identifier: MIT */
/*
 * The host's journal, both ways: every change the agent makes is written to
 * it with structured fields (journalctl -t tether-agent is the host's own
 * audit trail), and docker's recent starts are counted from it.
 */
#pragma once

#include <stdint.h>

#include "fix-test.h"
#include "watch-summary.h"

struct journal_change {
        const char *verb;    /* apply, revert, test */
        const char *action;  /* wrote, removed, reloaded, restarted, rolled-back */
        const char *unit;    /* the unit concerned, or NULL */
        const char *file;    /* the file changed, or NULL */
        const char *before;  /* contents before (NULL: absent) */
        const char *after;   /* contents after (NULL: absent) */
        const char *message; /* a sentence for humans */
};

/* One thing tether-agent watch saw or did (docs/watch.md, "The journal"). */
struct journal_watch_event {
        const char *event;        /* flush, heal, backoff */
        const char *action;       /* flush: restart, report, backoff, cap, start-limit; heal: healed,
                                     still-missing, failed; backoff: the reason */
        const char *culprit;      /* the process that made the change, by name ("" unknown) */
        unsigned culprit_pid;     /* 0: unknown */
        const char *culprit_unit; /* its unit or scope ("" unknown) */
        const char *missing;      /* Docker's rules missing, as the judge names them, or "" */
        unsigned changes_deleted; /* objects the changes deleted, and added */
        unsigned changes_added;
        long long heal_ms;   /* heal: from the change to the rules back; < 0: not known */
        unsigned retry_sec;  /* backoff: when watch looks again */
        const char *message; /* a sentence for humans */
};

void journal_set_run_id(const char *run_id);
void journal_log_watch(const struct journal_watch_event *event);
void journal_log_change(const struct journal_change *change);

/* Records that the verb made systemd reload its units. */
void journal_log_reload(const char *verb);

/* How many times systemd started unit since since_usec (CLOCK_REALTIME);
 * the first max of their times, oldest first, go to ret_times. */
unsigned journal_count_starts(const char *unit, uint64_t since_usec, uint64_t *ret_times, unsigned max);

/* The first stop command of unit that failed since since_usec
 * (CLOCK_REALTIME), as systemd logged its exit (common/fix-test.h); code
 * 0 when none did, or the journal could not be read. */
struct tether_exec_failure journal_stop_failure(const char *unit, uint64_t since_usec);

/* watch's flush and heal records since since_usec (CLOCK_REALTIME), newest
 * first, at most max of them, folded into *summary. 0, or -errno when the
 * journal could not be read (what was read stays folded in). */
int journal_read_watch(uint64_t since_usec, unsigned max, struct tether_watch_summary *summary);
